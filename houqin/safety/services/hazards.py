"""Every write of the hazard register (E1) and its ledger, and of the special campaigns that group hazards.

A hazard moves open → rectified → closed; closing (销号) is a verification by someone other than the rectifier, and a
failed verification reopens it. A major hazard is closed only once it has been placed under supervision (挂牌督办) and
reported to the education bureau.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core import audit
from houqin.core.crud import create_audited, lock, require_perm, require_same_school, update_audited
from houqin.core.numbering import next_number
from houqin.safety.choices import HazardActionKind, HazardSource, HazardStatus
from houqin.safety.models import Hazard, HazardAction, HazardCampaign, InspectionResult

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import Person, Place, School

TITLE_REQUIRED = gettext_noop("Say what the hazard is.")
FOUND_IN_FUTURE = gettext_noop("The day the hazard was found cannot be in the future.")
RECTIFIED_IN_FUTURE = gettext_noop("The rectification date cannot be in the future.")
MEASURES_REQUIRED = gettext_noop("Describe the measures taken.")
ONLY_RESPONSIBLE_RECTIFIES = gettext_noop(
    "Only the responsible person or a safety manager can record the rectification."
)
ASSIGN_NEEDS_PERMISSION = gettext_noop("Only a safety manager can set the responsible person and the deadline.")
TRANSITION_NOT_ALLOWED = gettext_noop("The hazard is %(current)s and cannot become %(target)s.")
NOT_RECTIFIED_YET = gettext_noop("Only a rectified hazard can be verified; this one is %(current)s.")
VERIFIER_IS_RECTIFIER = gettext_noop("The hazard must be verified by someone other than the person who rectified it.")
FAILURE_NOTE_REQUIRED = gettext_noop("Say what is still wrong when the verification fails.")
MAJOR_NEEDS_SUPERVISION = gettext_noop(
    "A major hazard can be closed only after it has been placed under supervision and reported to the education bureau."
)
CLOSED_HAZARD = gettext_noop("This hazard is closed and can no longer be changed.")
PLAN_REQUIRED = gettext_noop("Describe the supervision plan: measures, people, money, deadline and contingency.")
REPORT_IN_FUTURE = gettext_noop("The report date cannot be in the future.")

#
# Hazards
#


def _act(actor: User, hazard: Hazard, kind: str, note: str = "", changes: dict[str, Any] | None = None) -> None:
    """Append the step to the hazard's ledger and to the audit trail, in the caller's transaction."""
    HazardAction.objects.create(
        school_id=hazard.school_id, hazard=hazard, kind=kind, actor=actor, note=note, status_after=hazard.status
    )
    audit.record(actor=actor, action=f"safety.hazard.{kind}", target=hazard, changes=changes or {}, message=note)


def _not_after_today(day: dt.date | None, field: str, message: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _(message)})


@transaction.atomic
def hazard_report(
    *,
    actor: User,
    school: School,
    title: str,
    found_on: dt.date,
    source: str = HazardSource.REPORT,
    place: Place | None = None,
    responsible: Person | None = None,
    deadline: dt.date | None = None,
    campaign: HazardCampaign | None = None,
    raised_from: InspectionResult | None = None,
    **fields: Any,
) -> Hazard:
    """Record a hazard (anyone may report one). Setting who fixes it and by when is for safety managers."""
    require_perm(actor, "safety.add_hazard")
    if (responsible is not None or deadline is not None) and not actor.has_perm("safety.change_hazard"):
        raise PermissionDenied(_(ASSIGN_NEEDS_PERMISSION))
    if not title.strip():
        raise ValidationError({"title": _(TITLE_REQUIRED)})
    _not_after_today(found_on, "found_on", FOUND_IN_FUTURE)
    require_same_school(school, place=place, responsible=responsible, campaign=campaign)
    if campaign is not None and source == HazardSource.REPORT:
        source = HazardSource.CAMPAIGN
    values = {
        "school": school,
        "number": next_number(school=school, prefix="YH", year=found_on.year),
        "title": title.strip(),
        "found_on": found_on,
        "source": source,
        "place": place,
        "responsible": responsible,
        "deadline": deadline,
        "campaign": campaign,
        "raised_from": raised_from,
        "reported_by": actor,
        "found_by": (fields.pop("found_by", "") or actor.display_name).strip(),
        **fields,
    }
    hazard = Hazard(**values)
    hazard.full_clean()
    hazard.save()
    note = _("Responsible: %(person)s, deadline %(deadline)s") % {"person": responsible, "deadline": deadline}
    _act(actor, hazard, HazardActionKind.REPORTED, note if responsible or deadline else hazard.title)
    return hazard


ASSIGNMENT_FIELDS = ("responsible", "deadline", "measures", "cost")


@transaction.atomic
def hazard_update(*, actor: User, hazard: Hazard, **values: Any) -> Hazard:
    """Edit an unclosed hazard: what and where, its level, and who fixes it by when (an "assigned" step)."""
    require_perm(actor, "safety.change_hazard")
    hazard = lock(Hazard, hazard.pk)
    if hazard.status == HazardStatus.CLOSED:
        raise ValidationError(_(CLOSED_HAZARD))
    require_same_school(hazard.school, place=values.get("place"), responsible=values.get("responsible"))
    changes = audit.diff(hazard, values)
    if not changes:
        return hazard
    hazard.full_clean()
    hazard.save()
    assigned = [field for field in ASSIGNMENT_FIELDS if field in changes]
    if assigned:
        note = _("Responsible: %(person)s, deadline %(deadline)s") % {
            "person": hazard.responsible or "—",
            "deadline": hazard.deadline or "—",
        }
        _act(actor, hazard, HazardActionKind.ASSIGNED, note, changes)
    else:
        audit.record(actor=actor, action="safety.hazard.updated", target=hazard, changes=changes)
    return hazard


def may_rectify(actor: User, hazard: Hazard) -> bool:
    """The responsible person rectifies; safety managers may record it for them."""
    is_responsible = hazard.responsible_id is not None and actor.person_id == hazard.responsible_id
    return is_responsible or actor.has_perm("safety.change_hazard")


def _transition(hazard: Hazard, target: str) -> None:
    if not hazard.can_become(target):
        raise ValidationError(
            _(TRANSITION_NOT_ALLOWED) % {"current": hazard.get_status_display(), "target": HazardStatus(target).label}
        )


@transaction.atomic
def hazard_rectify(
    *,
    actor: User,
    hazard: Hazard,
    measures: str,
    rectified_on: dt.date,
    cost: Decimal | None = None,
    photo_after: Any = None,
) -> Hazard:
    """The responsible person records what was done (整改), ready for verification."""
    hazard = lock(Hazard, hazard.pk)
    if not may_rectify(actor, hazard):
        raise PermissionDenied(_(ONLY_RESPONSIBLE_RECTIFIES))
    _transition(hazard, HazardStatus.RECTIFIED)
    if not measures.strip():
        raise ValidationError({"measures": _(MEASURES_REQUIRED)})
    _not_after_today(rectified_on, "rectified_on", RECTIFIED_IN_FUTURE)
    values: dict[str, Any] = {
        "status": HazardStatus.RECTIFIED,
        "measures": measures.strip(),
        "rectified_on": rectified_on,
        "rectified_by": actor,
    }
    if cost is not None:
        values["cost"] = cost
    if photo_after:
        values["photo_after"] = photo_after
    changes = audit.diff(hazard, values)
    hazard.full_clean()
    hazard.save()
    _act(actor, hazard, HazardActionKind.RECTIFIED, hazard.measures, changes)
    return hazard


@transaction.atomic
def hazard_verify(*, actor: User, hazard: Hazard, passed: bool, note: str = "") -> Hazard:
    """Check the rectification on site: passed closes the hazard (销号), failed sends it back to open."""
    require_perm(actor, "safety.verify_hazard")
    hazard = lock(Hazard, hazard.pk)
    if hazard.status != HazardStatus.RECTIFIED:
        raise ValidationError(_(NOT_RECTIFIED_YET) % {"current": hazard.get_status_display()})
    if hazard.rectified_by_id == actor.pk:
        raise ValidationError(_(VERIFIER_IS_RECTIFIER))
    note = note.strip()
    if passed:
        if hazard.is_major and (hazard.supervised_at is None or hazard.bureau_reported_on is None):
            raise ValidationError(_(MAJOR_NEEDS_SUPERVISION))
        values: dict[str, Any] = {
            "status": HazardStatus.CLOSED,
            "verified_by": actor,
            "verified_at": timezone.now(),
            "verification_note": note,
        }
        kind = HazardActionKind.VERIFIED
    else:
        if not note:
            raise ValidationError({"note": _(FAILURE_NOTE_REQUIRED)})
        values = {"status": HazardStatus.OPEN, "rectified_on": None, "rectified_by": None, "verification_note": note}
        kind = HazardActionKind.REJECTED
    changes = audit.diff(hazard, values)
    hazard.save()
    _act(actor, hazard, kind, note, changes)
    return hazard


def _open_for_change(actor: User, hazard: Hazard) -> Hazard:
    require_perm(actor, "safety.change_hazard")
    hazard = lock(Hazard, hazard.pk)
    if hazard.status == HazardStatus.CLOSED:
        raise ValidationError(_(CLOSED_HAZARD))
    return hazard


@transaction.atomic
def hazard_supervise(*, actor: User, hazard: Hazard, plan: str) -> Hazard:
    """Place a hazard under supervision (挂牌督办) with its plan: measures, people, money, deadline, contingency."""
    hazard = _open_for_change(actor, hazard)
    if not plan.strip():
        raise ValidationError({"plan": _(PLAN_REQUIRED)})
    changes = audit.diff(hazard, {"supervised_at": timezone.now(), "supervision_note": plan.strip()})
    hazard.save()
    _act(actor, hazard, HazardActionKind.SUPERVISED, hazard.supervision_note, changes)
    return hazard


@transaction.atomic
def hazard_report_to_bureau(*, actor: User, hazard: Hazard, reported_on: dt.date, reference: str = "") -> Hazard:
    """Record the written report of the hazard to the education bureau (安全生产法 art. 41)."""
    hazard = _open_for_change(actor, hazard)
    _not_after_today(reported_on, "reported_on", REPORT_IN_FUTURE)
    changes = audit.diff(hazard, {"bureau_reported_on": reported_on, "bureau_report_ref": reference.strip()})
    hazard.full_clean()
    hazard.save()
    _act(actor, hazard, HazardActionKind.BUREAU_REPORTED, hazard.bureau_report_ref, changes)
    return hazard


#
# Special campaigns
#


@transaction.atomic
def campaign_create(*, actor: User, school: School, name: str, starts_on: dt.date, **fields: Any) -> HazardCampaign:
    """Start a special screening campaign (专项排查)."""
    require_perm(actor, "safety.add_hazardcampaign")
    values = {"school": school, "name": name.strip(), "starts_on": starts_on, **fields}
    return create_audited(actor=actor, model=HazardCampaign, values=values)


@transaction.atomic
def campaign_update(*, actor: User, campaign: HazardCampaign, **values: Any) -> HazardCampaign:
    require_perm(actor, "safety.change_hazardcampaign")
    return update_audited(actor=actor, instance=lock(HazardCampaign, campaign.pk), values=values)
