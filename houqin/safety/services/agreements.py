"""Every write of the responsibility agreements (安全责任书, E8): a year's agreement of one kind with the people or
tenants who must sign it; each signs once, on the phone or on paper (a scan kept)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core import audit
from houqin.core.crud import create_audited, lock, require_perm
from houqin.orgs.models import Person, Tenant
from houqin.safety.choices import AgreementKind, SignMethod
from houqin.safety.models import Agreement, AgreementSignature

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import School

ALREADY_SIGNED = gettext_noop("Already signed on %(date)s; an agreement is signed once.")
NOT_YOUR_AGREEMENT = gettext_noop("Only %(signatory)s can sign this agreement on the phone.")
SIGNED_IN_FUTURE = gettext_noop("The signing date cannot be in the future.")


def _signatories(school: School, kind: str) -> list[dict[str, Any]]:
    """Who signs: every tenant for a tenant agreement; every active member of staff otherwise."""
    if kind == AgreementKind.TENANT:
        return [{"tenant": t} for t in Tenant.objects.filter(school=school, is_active=True)]
    if kind == AgreementKind.BUS_PROVIDER:
        return []  # the provider is added by name when the route is outsourced
    return [{"person": p} for p in Person.objects.filter(school=school, is_active=True)]


@transaction.atomic
def agreement_create(
    *, actor: User, school: School, kind: str, year: int, title: str, text: str, **fields: Any
) -> Agreement:
    """Start the year's signing of an agreement: one line to sign for each person (or tenant) concerned."""
    require_perm(actor, "safety.add_agreement")
    values = {"school": school, "kind": kind, "year": year, "title": title.strip(), "text": text.strip(), **fields}
    agreement = create_audited(actor=actor, model=Agreement, values=values)
    AgreementSignature.objects.bulk_create(
        [AgreementSignature(school=school, agreement=agreement, **who) for who in _signatories(school, kind)]
    )
    return agreement


def _not_signed(signature: AgreementSignature) -> AgreementSignature:
    signature = lock(AgreementSignature, signature.pk)
    if signature.signed_at is not None:
        raise ValidationError(_(ALREADY_SIGNED) % {"date": f"{timezone.localtime(signature.signed_at):%Y-%m-%d}"})
    return signature


def _signed(actor: User, signature: AgreementSignature, method: str, at: dt.datetime, **fields: Any) -> None:
    agreement = signature.agreement
    signature.signed_at, signature.signed_version, signature.method = at, agreement.version, method
    signature.recorded_by = actor
    for field, value in fields.items():
        setattr(signature, field, value)
    signature.save()
    audit.record(
        actor=actor,
        action=f"safety.agreement.signed_{method}",
        target=agreement,
        changes={"signatory": [None, str(signature.signatory)], "version": [None, agreement.version]},
    )


@transaction.atomic
def agreement_sign(*, actor: User, signature: AgreementSignature) -> AgreementSignature:
    """The signatory signs on the phone: their name, the time and the agreement's version are kept."""
    signature = _not_signed(signature)
    if signature.person_id is None or signature.person_id != actor.person_id:
        raise PermissionDenied(_(NOT_YOUR_AGREEMENT) % {"signatory": signature.signatory})
    _signed(actor, signature, SignMethod.ONLINE, timezone.now())
    return signature


@transaction.atomic
def agreement_record_paper(
    *, actor: User, signature: AgreementSignature, signed_on: dt.date | None = None, scan: Any = None
) -> AgreementSignature:
    """Record a paper agreement signed by hand (a tenant's, or a teacher's), with a scan when there is one."""
    require_perm(actor, "safety.change_agreement")
    signature = _not_signed(signature)
    day = signed_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"signed_on": _(SIGNED_IN_FUTURE)})
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    _signed(actor, signature, SignMethod.PAPER, moment, **({"scan": scan} if scan else {}))
    return signature
