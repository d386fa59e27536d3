"""/api/safety: the hazard register and its statistics, campaigns, checklists, inspections and what is due."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.api import ERRORS, Id, Input, OptionalId, in_scope, needs, paginate, school_for_write
from houqin.orgs.models import Person, Place
from houqin.safety import selectors, services
from houqin.safety.api_records import router as records_router
from houqin.safety.choices import AreaType, Frequency, HazardCategory, HazardLevel, HazardSource, HazardStatus
from houqin.safety.models import ChecklistTemplate, Hazard, HazardCampaign, Inspection, InspectionResult

router = Router(tags=["safety"])
router.add_router("", records_router)

Money = Field(None, ge=0, max_digits=12, decimal_places=2)


def _optional(model: type, request: HttpRequest, pk: int | None):
    return in_scope(model.objects, request, pk) if pk else None


#
# Hazards
#


class HazardIn(Input):
    school_id: OptionalId = Field(None, description="bureau users only: the school to write to")
    title: str = Field(..., min_length=1, max_length=200)
    found_on: dt.date
    source: HazardSource = HazardSource.REPORT
    level: HazardLevel = Field(HazardLevel.GENERAL, description="general 一般, serious 较大, major 重大")
    category: HazardCategory = HazardCategory.OTHER
    place_id: OptionalId = None
    location: str = Field("", max_length=200)
    description: str = Field("", max_length=2000)
    found_by: str = Field("", max_length=100)
    campaign_id: OptionalId = None
    responsible_id: OptionalId = None
    deadline: dt.date | None = None


class ActionOut(Schema):
    id: int
    kind: str
    actor_name: str = Field(..., alias="actor.display_name")
    occurred_at: dt.datetime
    note: str
    status_after: str


class HazardOut(Schema):
    id: int
    school_id: int
    number: str
    title: str
    description: str
    status: str
    level: str
    source: str
    category: str
    place_id: int | None
    place_name: str | None = Field(None, alias="place.full_name")
    location: str
    campaign_id: int | None
    found_on: dt.date
    found_by: str
    responsible_id: int | None
    responsible_name: str | None = Field(None, alias="responsible.name")
    deadline: dt.date | None
    overdue: bool
    measures: str
    cost: Decimal | None
    rectified_on: dt.date | None
    rectified_by_id: int | None
    verified_by_id: int | None
    verified_at: dt.datetime | None
    verification_note: str
    supervised_at: dt.datetime | None
    bureau_reported_on: dt.date | None
    inspection_id: int | None = Field(None, alias="raised_from.inspection_id")

    @staticmethod
    def resolve_overdue(obj: Hazard) -> bool:
        return obj.is_overdue()


class HazardDetailOut(HazardOut):
    actions: list[ActionOut]


class HazardFilter(Input):
    q: str | None = Field(None, max_length=100)
    status: HazardStatus | None = None
    level: HazardLevel | None = None
    source: HazardSource | None = None
    category: HazardCategory | None = None
    campaign_id: OptionalId = None
    place_id: OptionalId = None
    school_id: OptionalId = None
    overdue: bool = False


class Window(Input):
    start: dt.date | None = Field(None, alias="from", description="found on or after (default: the term's start)")
    end: dt.date | None = Field(None, alias="to", description="found on or before (default: today)")
    school_id: OptionalId = Field(None, description="bureau users: one school of the district")


class Breakdown(Schema):
    key: str | None
    found: int
    rectified: int
    closed: int
    overdue: int
    rate: float | None


class TrendPoint(Schema):
    month: str
    found: int
    closed: int


class StatsOut(Schema):
    period_start: dt.date
    period_end: dt.date
    found: int
    rectified: int
    closed: int
    overdue: int
    rectification_rate: float | None = Field(..., description="closed ÷ found × 100, to 0.1; null when none found")
    by_level: list[Breakdown]
    by_category: list[Breakdown]
    by_source: list[Breakdown]
    trend: list[TrendPoint]


def _hazard(request: HttpRequest, hazard_id: int) -> Hazard:
    return in_scope(
        Hazard.objects.select_related("place", "responsible", "raised_from").prefetch_related("actions__actor"),
        request,
        hazard_id,
    )


@router.get("/hazards", auth=needs("safety.view_hazard"), response={200: list[HazardOut], **ERRORS})
@paginate
def hazard_list(request: HttpRequest, filters: Query[HazardFilter]):
    return selectors.hazard_list(user=request.user, **filters.dict()).select_related("raised_from")


@router.post("/hazards", auth=needs("safety.add_hazard"), response={201: HazardOut, **ERRORS})
def hazard_create(request: HttpRequest, payload: HazardIn):
    school = school_for_write(request, payload.school_id)
    hazard = services.hazard_report(
        actor=request.user,
        school=school,
        title=payload.title,
        found_on=payload.found_on,
        source=payload.source,
        level=payload.level,
        category=payload.category,
        place=_optional(Place, request, payload.place_id),
        location=payload.location,
        description=payload.description,
        found_by=payload.found_by,
        campaign=_optional(HazardCampaign, request, payload.campaign_id),
        responsible=_optional(Person, request, payload.responsible_id),
        deadline=payload.deadline,
    )
    return Status(201, _hazard(request, hazard.pk))


@router.get("/hazards/stats", auth=needs("safety.view_hazard"), response={200: StatsOut, **ERRORS})
def hazard_stats(request: HttpRequest, window: Query[Window]):
    default_start, default_end = selectors.default_window(request.user)
    start, end = window.start or default_start, window.end or default_end
    if start > end:
        raise ValidationError({"from": _("The start of the period is after its end.")})
    stats = selectors.hazard_stats(user=request.user, start=start, end=end, school_id=window.school_id)
    hazards = selectors.hazards_found_between(user=request.user, start=start, end=end, school_id=window.school_id)
    return {
        "period_start": start,
        "period_end": end,
        "found": stats.found,
        "rectified": stats.rectified,
        "closed": stats.closed,
        "overdue": stats.overdue,
        "rectification_rate": stats.rectification_rate,
        **{f"by_{field}": selectors.hazard_breakdown(hazards, field) for field in ("level", "category", "source")},
        "trend": selectors.hazard_trend(hazards),
    }


@router.get("/hazards/{hazard_id}", auth=needs("safety.view_hazard"), response={200: HazardDetailOut, **ERRORS})
def hazard_get(request: HttpRequest, hazard_id: Id):
    return _hazard(request, hazard_id)


class AssignIn(Input):
    responsible_id: OptionalId = None
    deadline: dt.date | None = None
    measures: str | None = Field(None, max_length=2000)
    cost: Decimal | None = Money
    level: HazardLevel | None = None
    category: HazardCategory | None = None


@router.post(
    "/hazards/{hazard_id}/assign", auth=needs("safety.change_hazard"), response={200: HazardDetailOut, **ERRORS}
)
def hazard_assign(request: HttpRequest, hazard_id: Id, payload: AssignIn):
    hazard = _hazard(request, hazard_id)
    values = payload.dict(exclude_unset=True, exclude={"responsible_id"})
    if "responsible_id" in payload.model_fields_set:
        values["responsible"] = _optional(Person, request, payload.responsible_id)
    services.hazard_update(actor=request.user, hazard=hazard, **values)
    return _hazard(request, hazard_id)


class RectifyIn(Input):
    measures: str = Field(..., min_length=1, max_length=2000)
    rectified_on: dt.date
    cost: Decimal | None = Money


# Only the responsible person (or a holder of safety.change_hazard) may rectify: a rule on the hazard.
@router.post(
    "/hazards/{hazard_id}/rectify", auth=needs("safety.view_hazard"), response={200: HazardDetailOut, **ERRORS}
)
def hazard_rectify(request: HttpRequest, hazard_id: Id, payload: RectifyIn):
    services.hazard_rectify(actor=request.user, hazard=_hazard(request, hazard_id), **payload.dict())
    return _hazard(request, hazard_id)


class VerifyIn(Input):
    passed: bool
    note: str = Field("", max_length=500)


@router.post(
    "/hazards/{hazard_id}/verify", auth=needs("safety.verify_hazard"), response={200: HazardDetailOut, **ERRORS}
)
def hazard_verify(request: HttpRequest, hazard_id: Id, payload: VerifyIn):
    services.hazard_verify(actor=request.user, hazard=_hazard(request, hazard_id), **payload.dict())
    return _hazard(request, hazard_id)


class SuperviseIn(Input):
    plan: str = Field(..., min_length=1, max_length=2000, description="measures, people, money, deadline, contingency")


@router.post(
    "/hazards/{hazard_id}/supervise", auth=needs("safety.change_hazard"), response={200: HazardDetailOut, **ERRORS}
)
def hazard_supervise(request: HttpRequest, hazard_id: Id, payload: SuperviseIn):
    services.hazard_supervise(actor=request.user, hazard=_hazard(request, hazard_id), plan=payload.plan)
    return _hazard(request, hazard_id)


class BureauReportIn(Input):
    reported_on: dt.date
    reference: str = Field("", max_length=100)


@router.post(
    "/hazards/{hazard_id}/report-to-bureau",
    auth=needs("safety.change_hazard"),
    response={200: HazardDetailOut, **ERRORS},
)
def hazard_report_to_bureau(request: HttpRequest, hazard_id: Id, payload: BureauReportIn):
    services.hazard_report_to_bureau(actor=request.user, hazard=_hazard(request, hazard_id), **payload.dict())
    return _hazard(request, hazard_id)


#
# Campaigns
#


class CampaignIn(Input):
    school_id: OptionalId = None
    name: str = Field(..., min_length=1, max_length=100)
    starts_on: dt.date
    ends_on: dt.date | None = None
    scope: str = Field("", max_length=200)
    led_by: str = Field("", max_length=100)


class CampaignOut(Schema):
    id: int
    school_id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date | None
    scope: str
    led_by: str


@router.get("/campaigns", auth=needs("safety.view_hazardcampaign"), response={200: list[CampaignOut], **ERRORS})
@paginate
def campaign_list(request: HttpRequest):
    return HazardCampaign.objects.visible_to(request.user)


@router.post("/campaigns", auth=needs("safety.add_hazardcampaign"), response={201: CampaignOut, **ERRORS})
def campaign_create(request: HttpRequest, payload: CampaignIn):
    school = school_for_write(request, payload.school_id)
    values = payload.dict(exclude={"school_id"})
    return Status(201, services.campaign_create(actor=request.user, school=school, **values))


@router.get("/campaigns/{campaign_id}", auth=needs("safety.view_hazardcampaign"), response={200: CampaignOut, **ERRORS})
def campaign_get(request: HttpRequest, campaign_id: Id):
    return in_scope(HazardCampaign.objects, request, campaign_id)


#
# Checklists and inspections
#


class ItemOut(Schema):
    id: int
    text: str
    position: int
    is_active: bool


class TemplateOut(Schema):
    id: int
    school_id: int
    name: str
    area_type: AreaType
    frequency: Frequency
    place_ids: list[int]
    inspector_id: int | None
    starts_on: dt.date
    is_active: bool
    items: list[ItemOut]

    @staticmethod
    def resolve_place_ids(obj: ChecklistTemplate) -> list[int]:
        return [place.pk for place in obj.places.all()]


def _templates(request: HttpRequest):
    return ChecklistTemplate.objects.visible_to(request.user).prefetch_related("places", "items")


@router.get("/templates", auth=needs("safety.view_checklisttemplate"), response={200: list[TemplateOut], **ERRORS})
@paginate
def template_list(request: HttpRequest):
    return _templates(request)


class Installed(Schema):
    installed: list[TemplateOut]


@router.post(
    "/templates/install-defaults", auth=needs("safety.add_checklisttemplate"), response={201: Installed, **ERRORS}
)
def templates_install_defaults(request: HttpRequest):
    school = school_for_write(request, None)
    installed = services.templates_install_defaults(actor=request.user, school=school)
    return Status(201, {"installed": list(_templates(request).filter(pk__in=[t.pk for t in installed]))})


@router.get(
    "/templates/{template_id}", auth=needs("safety.view_checklisttemplate"), response={200: TemplateOut, **ERRORS}
)
def template_get(request: HttpRequest, template_id: Id):
    return in_scope(_templates(request), request, template_id)


class DueFilter(Input):
    date: dt.date | None = Field(None, description="default: today")
    mine: bool = Field(False, description="only the checklists assigned to me (or to nobody)")
    school_id: OptionalId = None


class CheckOut(Schema):
    template_id: int
    template_name: str
    area_type: str
    frequency: str
    place_id: int | None
    place_name: str | None
    period_start: dt.date
    period_end: dt.date
    done: bool
    inspection_id: int | None


class DueOut(Schema):
    date: dt.date
    count: int
    done: int
    items: list[CheckOut]


def check_row(check: selectors.Check) -> dict:
    return {
        "template_id": check.template.pk,
        "template_name": check.template.name,
        "area_type": check.template.area_type,
        "frequency": check.template.frequency,
        "place_id": check.place.pk if check.place else None,
        "place_name": check.place.full_name if check.place else None,
        "period_start": check.period_start,
        "period_end": check.period_end,
        "done": check.done,
        "inspection_id": check.inspection_id,
    }


@router.get("/inspections/due", auth=needs("safety.view_inspection"), response={200: DueOut, **ERRORS})
def inspections_due(request: HttpRequest, filters: Query[DueFilter]):
    day = filters.date or timezone.localdate()
    checks = selectors.checks_due(user=request.user, on=day, school_id=filters.school_id, mine=filters.mine)
    items = [check_row(check) for check in checks]
    return {"date": day, "count": len(items), "done": sum(1 for i in items if i["done"]), "items": items}


class ResultIn(Input):
    item_id: Id
    ok: bool
    note: str = Field("", max_length=200)
    raise_hazard: bool = Field(False, description="open a hazard from this failed item")


class InspectionIn(Input):
    template_id: Id
    place_id: OptionalId = None
    results: list[ResultIn] = Field(..., min_length=1, max_length=200)
    performed_at: dt.datetime | None = Field(None, description="default: now")
    note: str = Field("", max_length=500)


class ResultOut(Schema):
    id: int
    item_id: int
    item_text: str = Field(..., alias="item.text")
    ok: bool
    note: str
    hazard_id: int | None

    @staticmethod
    def resolve_hazard_id(obj: InspectionResult) -> int | None:
        hazard = getattr(obj, "hazard", None)  # the reverse one-to-one raises an AttributeError when empty
        return hazard.pk if hazard is not None else None


class InspectionOut(Schema):
    id: int
    school_id: int
    template_id: int
    place_id: int | None
    inspector_id: int
    performed_at: dt.datetime
    performed_on: dt.date
    failed_count: int
    note: str
    results: list[ResultOut]


class InspectionFilter(Input):
    template_id: OptionalId = None
    place_id: OptionalId = None
    failed: bool = False


def _inspections(request: HttpRequest):
    return Inspection.objects.visible_to(request.user).prefetch_related("results__item", "results__hazard")


@router.get("/inspections", auth=needs("safety.view_inspection"), response={200: list[InspectionOut], **ERRORS})
@paginate
def inspection_list(request: HttpRequest, filters: Query[InspectionFilter]):
    inspections = _inspections(request)
    for field in ("template_id", "place_id"):
        if getattr(filters, field):
            inspections = inspections.filter(**{field: getattr(filters, field)})
    return inspections.filter(failed_count__gt=0) if filters.failed else inspections


@router.post("/inspections", auth=needs("safety.add_inspection"), response={201: InspectionOut, **ERRORS})
def inspection_create(request: HttpRequest, payload: InspectionIn):
    template = in_scope(ChecklistTemplate.objects, request, payload.template_id)
    items = {item.pk: item for item in template.items.all()}
    unknown = [r.item_id for r in payload.results if r.item_id not in items]
    if unknown:
        raise ValidationError({"results": _(services.ITEM_NOT_ON_TEMPLATE) % {"item": unknown[0]}})
    inspection = services.inspection_record(
        actor=request.user,
        template=template,
        place=_optional(Place, request, payload.place_id),
        results=[services.ResultInput(items[r.item_id], r.ok, r.note, r.raise_hazard) for r in payload.results],
        performed_at=payload.performed_at,
        note=payload.note,
    )
    return Status(201, in_scope(_inspections(request), request, inspection.pk))


@router.get(
    "/inspections/{inspection_id}", auth=needs("safety.view_inspection"), response={200: InspectionOut, **ERRORS}
)
def inspection_get(request: HttpRequest, inspection_id: Id):
    return in_scope(_inspections(request), request, inspection_id)
