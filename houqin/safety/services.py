"""Every write of the safety module: the hazard register (E1) with its ledger, campaigns, checklists, inspections.

A hazard moves open → rectified → closed; closing (销号) is a verification by someone other than the rectifier, and a
failed verification reopens it. A major hazard is closed only once it has been placed under supervision (挂牌督办) and
reported to the education bureau.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core import audit
from houqin.core.crud import create_audited, lock, require_perm, require_same_school, update_audited
from houqin.core.numbering import next_number
from houqin.safety.choices import AreaType, HazardActionKind, HazardCategory, HazardSource, HazardStatus
from houqin.safety.defaults import DEFAULT_TEMPLATES, places_for
from houqin.safety.models import (
    ChecklistItem,
    ChecklistTemplate,
    Hazard,
    HazardAction,
    HazardCampaign,
    Inspection,
    InspectionResult,
)

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
OTHER_SCHOOL_INSPECTION = gettext_noop("The inspection item belongs to another school.")
ITEM_NOT_FAILED = gettext_noop("Only a failed item can raise a hazard.")
ALREADY_RAISED = gettext_noop("A hazard has already been raised for this item.")
INACTIVE_TEMPLATE = gettext_noop("The checklist %(template)s is no longer in use.")
PLACE_NOT_COVERED = gettext_noop("The checklist %(template)s does not apply to %(place)s.")
PLACE_REQUIRED = gettext_noop("Choose the place inspected.")
ITEM_NOT_ON_TEMPLATE = gettext_noop("%(item)s is not on this checklist.")
ITEM_TWICE = gettext_noop("%(item)s is ticked twice.")
ITEMS_MISSING = gettext_noop("Tick every item; not done: %(items)s.")
INSPECTED_IN_FUTURE = gettext_noop("The inspection time cannot be in the future.")
ITEMS_REQUIRED = gettext_noop("A checklist needs at least one item.")
NOT_A_SCHOOL_USER = gettext_noop("Only school staff can record inspections.")

# Which hazard category a failed item of each kind of checklist starts with.
CATEGORY_OF_AREA = {
    AreaType.CANTEEN: HazardCategory.FOOD,
    AreaType.FIRE: HazardCategory.FIRE,
    AreaType.SCHOOL_BUS: HazardCategory.TRAFFIC,
    AreaType.PERIMETER: HazardCategory.SECURITY,
    AreaType.CLASSROOM: HazardCategory.FACILITIES,
    AreaType.OFFICE: HazardCategory.FACILITIES,
    AreaType.SPECIAL_ROOMS: HazardCategory.FACILITIES,
}


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


#
# Checklists
#


def _clean_items(items: Sequence[str]) -> list[str]:
    texts = list(dict.fromkeys(text.strip() for text in items if text.strip()))
    if not texts:
        raise ValidationError({"items": _(ITEMS_REQUIRED)})
    return texts


@transaction.atomic
def template_create(
    *, actor: User, school: School, items: Sequence[str], places: Sequence[Place] = (), **fields: Any
) -> ChecklistTemplate:
    """A new checklist with its items, for the places it applies to."""
    require_perm(actor, "safety.add_checklisttemplate")
    texts = _clean_items(items)
    require_same_school(school, inspector=fields.get("inspector"), **{f"place {p.pk}": p for p in places})
    template = create_audited(
        actor=actor,
        model=ChecklistTemplate,
        values={"school": school, **fields},
        message="\n".join(texts),
    )
    template.places.set(places)
    ChecklistItem.objects.bulk_create(
        [ChecklistItem(template=template, text=text, position=n) for n, text in enumerate(texts, start=1)]
    )
    return template


@transaction.atomic
def template_update(
    *, actor: User, template: ChecklistTemplate, items: Sequence[str], places: Sequence[Place], **values: Any
) -> ChecklistTemplate:
    """Change a checklist. Items whose text is gone are retired, not deleted, so past results keep their wording."""
    require_perm(actor, "safety.change_checklisttemplate")
    template = lock(ChecklistTemplate, template.pk)
    texts = _clean_items(items)
    require_same_school(template.school, inspector=values.get("inspector"), **{f"place {p.pk}": p for p in places})
    update_audited(actor=actor, instance=template, values=values)
    current = {item.text: item for item in template.items.all()}
    for position, text in enumerate(texts, start=1):
        item = current.pop(text, None) or ChecklistItem(template=template, text=text)
        item.position, item.is_active = position, True
        item.save()
    for retired in current.values():
        if retired.is_active:
            retired.is_active = False
            retired.save(update_fields=["is_active"])
    old_places = {p.pk for p in template.places.all()}
    template.places.set(places)
    audit.record(
        actor=actor,
        action="safety.checklisttemplate.items",
        target=template,
        changes={"places": [sorted(old_places), sorted(p.pk for p in places)]},
        message="\n".join(texts),
    )
    return template


@transaction.atomic
def templates_install_defaults(
    *, actor: User, school: School, starts_on: dt.date | None = None
) -> list[ChecklistTemplate]:
    """Install the default checklists of a Chinese primary school (skipping names the school already has), with
    checks due from `starts_on` (default today)."""
    require_perm(actor, "safety.add_checklisttemplate")
    existing = set(ChecklistTemplate.objects.filter(school=school).values_list("name", flat=True))
    installed = []
    for spec in DEFAULT_TEMPLATES:
        if spec.name in existing:
            continue
        installed.append(
            template_create(
                actor=actor,
                school=school,
                name=spec.name,
                area_type=spec.area_type,
                frequency=spec.frequency,
                description=spec.description,
                items=spec.items,
                places=places_for(school, spec.area_type),
                starts_on=starts_on or timezone.localdate(),
            )
        )
    return installed


#
# Inspections
#


class ResultInput(NamedTuple):
    item: ChecklistItem
    ok: bool
    note: str = ""
    raise_hazard: bool = False


def _check_place(template: ChecklistTemplate, place: Place | None) -> None:
    require_same_school(template.school, place=place)
    covered = {p.pk: p for p in template.places.all()}
    if covered and place is None:
        raise ValidationError({"place_id": _(PLACE_REQUIRED)})
    if covered and place is not None and place.pk not in covered:
        raise ValidationError({"place_id": _(PLACE_NOT_COVERED) % {"template": template, "place": place}})


def _check_results(template: ChecklistTemplate, results: Sequence[ResultInput]) -> None:
    active = {item.pk: item for item in template.items.all() if item.is_active}
    seen: set[int] = set()
    for result in results:
        if result.item.template_id != template.pk:
            raise ValidationError({"results": _(ITEM_NOT_ON_TEMPLATE) % {"item": result.item}})
        if result.item.pk in seen:
            raise ValidationError({"results": _(ITEM_TWICE) % {"item": result.item}})
        seen.add(result.item.pk)
    missing = [str(item) for pk, item in active.items() if pk not in seen]
    if missing:
        raise ValidationError({"results": _(ITEMS_MISSING) % {"items": "、".join(missing)}})


@transaction.atomic
def inspection_record(
    *,
    actor: User,
    template: ChecklistTemplate,
    results: Sequence[ResultInput],
    place: Place | None = None,
    performed_at: dt.datetime | None = None,
    note: str = "",
) -> Inspection:
    """Record a check item by item; each failed item marked `raise_hazard` opens a hazard, pre-filled."""
    require_perm(actor, "safety.add_inspection")
    if actor.school_id is None:
        raise PermissionDenied(_(NOT_A_SCHOOL_USER))
    if not template.is_active:
        raise ValidationError(_(INACTIVE_TEMPLATE) % {"template": template})
    _check_place(template, place)
    _check_results(template, results)
    performed_at = performed_at or timezone.now()
    if performed_at > timezone.now():
        raise ValidationError({"performed_at": _(INSPECTED_IN_FUTURE)})
    inspection = Inspection.objects.create(
        school_id=template.school_id,
        template=template,
        place=place,
        inspector=actor,
        performed_at=performed_at,
        performed_on=timezone.localtime(performed_at).date(),
        note=note.strip(),
        failed_count=sum(1 for r in results if not r.ok),
    )
    saved = InspectionResult.objects.bulk_create(
        [InspectionResult(inspection=inspection, item=r.item, ok=r.ok, note=r.note.strip()) for r in results]
    )
    audit.record(
        actor=actor,
        action="safety.inspection.recorded",
        target=inspection,
        changes={"failed_count": [None, inspection.failed_count]},
        message=inspection.note,
    )
    for result, wanted in zip(saved, results, strict=True):
        if wanted.raise_hazard and not wanted.ok:
            inspection_raise_hazard(actor=actor, result=result)
    return inspection


@transaction.atomic
def inspection_raise_hazard(*, actor: User, result: InspectionResult) -> Hazard:
    """Open a hazard from a failed item, pre-filled from the inspection (one tap on the phone)."""
    result = (
        InspectionResult.objects.select_for_update().select_related("inspection__template", "item").get(pk=result.pk)
    )
    inspection = result.inspection
    if actor.school_id not in (None, inspection.school_id):
        raise PermissionDenied(_(OTHER_SCHOOL_INSPECTION))
    if result.ok:
        raise ValidationError(_(ITEM_NOT_FAILED))
    if Hazard.objects.filter(raised_from=result).exists():
        raise ValidationError(_(ALREADY_RAISED))
    title = f"{result.item.text}：{result.note}" if result.note else result.item.text
    return hazard_report(
        actor=actor,
        school=inspection.school,
        title=title[:200],
        found_on=inspection.performed_on,
        source=HazardSource.INSPECTION,
        place=inspection.place,
        category=CATEGORY_OF_AREA.get(inspection.template.area_type, HazardCategory.OTHER),
        found_by=inspection.inspector.display_name,
        raised_from=result,
        description=f"{inspection.template}：{result.item.text}",
    )
