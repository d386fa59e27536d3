"""Leases to outside units (出租出借, A14): the term is capped by the district setting, and a lease is activated
only with its approval document, the tenant's safety agreement and the fire-responsibility clause."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.assets.models import Asset, Lease
from houqin.core import audit
from houqin.core.crud import lock, require_perm, require_same_school
from houqin.core.money import to_yuan
from houqin.core.policies import policy

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import Place, Tenant

TERM_TOO_LONG = gettext_noop("A lease may run at most %(years)s years; this one ends after %(end)s.")
NOTHING_LEASED = gettext_noop("Choose the premises or the asset that is let.")
ENDS_BEFORE_START = gettext_noop("The lease must end after it starts.")
NEEDS_FOR_ACTIVATION = gettext_noop("A lease is activated only with %(missing)s.")
ALREADY_ACTIVE = gettext_noop("The lease is already active.")


def latest_end(starts_on: dt.date, years: int) -> dt.date:
    """The last day a lease starting on `starts_on` may run (29 February starts end on 28 February)."""
    try:
        return starts_on.replace(year=starts_on.year + years) - dt.timedelta(days=1)
    except ValueError:
        return starts_on.replace(year=starts_on.year + years, day=28)


@transaction.atomic
def lease_create(
    *,
    actor: User,
    tenant: Tenant,
    starts_on: dt.date,
    ends_on: dt.date,
    place: Place | None = None,
    asset: Asset | None = None,
    rent: Decimal = Decimal("0"),
    approval_document: str = "",
    safety_agreement: str = "",
    fire_clause: bool = False,
) -> Lease:
    """Record a lease (not yet active); its term may not exceed `assets.rental_max_years`."""
    require_perm(actor, "assets.add_lease")
    require_same_school(tenant.school, place=place, asset=asset)
    if place is None and asset is None:
        raise ValidationError(_(NOTHING_LEASED))
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _(ENDS_BEFORE_START)})
    years = policy("assets.rental_max_years", school=tenant.school, on=starts_on)
    if ends_on > latest_end(starts_on, years):
        end = latest_end(starts_on, years)
        raise ValidationError({"ends_on": _(TERM_TOO_LONG) % {"years": years, "end": f"{end:%Y-%m-%d}"}})
    lease = Lease(
        school=tenant.school,
        tenant=tenant,
        place=place,
        asset=asset,
        starts_on=starts_on,
        ends_on=ends_on,
        rent=to_yuan(rent),
        approval_document=approval_document.strip(),
        safety_agreement=safety_agreement.strip(),
        fire_clause=fire_clause,
        created_by=actor,
    )
    lease.full_clean()
    lease.save()
    audit.record(actor=actor, action="assets.lease.created", target=lease, changes={"ends_on": [None, ends_on]})
    return lease


@transaction.atomic
def lease_activate(*, actor: User, lease: Lease) -> Lease:
    """Put a lease into force: it needs the approval, the safety agreement and the fire-responsibility clause."""
    require_perm(actor, "assets.change_lease")
    lease = lock(Lease, lease.pk)
    if lease.is_active:
        raise ValidationError(_(ALREADY_ACTIVE))
    missing = [
        str(Lease._meta.get_field(field).verbose_name)
        for field, present in (
            ("approval_document", lease.approval_document),
            ("safety_agreement", lease.safety_agreement),
            ("fire_clause", lease.fire_clause),
        )
        if not present
    ]
    if missing:
        raise ValidationError(_(NEEDS_FOR_ACTIVATION) % {"missing": "、".join(missing)})
    lease.is_active = True
    lease.save(update_fields=["is_active", "updated_at"])
    audit.record(actor=actor, action="assets.lease.activated", target=lease, changes={"is_active": [False, True]})
    return lease
