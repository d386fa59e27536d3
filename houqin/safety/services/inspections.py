"""Every write of the routine inspections: checklists (with the default ones of a primary school) and the checks
done with them, item by item; a failed item raises a hazard, pre-filled, in one tap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core import audit
from houqin.core.crud import create_audited, lock, require_perm, require_same_school, update_audited
from houqin.safety.choices import AreaType, HazardCategory, HazardSource
from houqin.safety.defaults import DEFAULT_TEMPLATES, places_for
from houqin.safety.models import ChecklistItem, ChecklistTemplate, Hazard, Inspection, InspectionResult
from houqin.safety.services.hazards import hazard_report

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import Place, School

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
        category=CATEGORY_OF_AREA.get(AreaType(inspection.template.area_type), HazardCategory.OTHER),
        found_by=inspection.inspector.display_name,
        raised_from=result,
        description=f"{inspection.template}：{result.item.text}",
    )
