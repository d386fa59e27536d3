"""/api/security: patrols, the guard roster and staffing, vetting, cameras and footage requests, fire records and the
gate's emergency equipment."""

import datetime as dt

from ninja import Field, Query, Router, Schema, Status

from django.http import HttpRequest
from django.utils import timezone

from houqin.assets.models import Asset
from houqin.core.api import ERRORS, Id, Input, OptionalId, in_scope, needs, paginate, school_for_write
from houqin.orgs.models import Person, Place, School
from houqin.security import selectors, services
from houqin.security.choices import CheckResult, EquipmentKind, FootageKind, VettingResult
from houqin.security.models import (
    Camera,
    Checkpoint,
    FireInspection,
    FirePatrol,
    FootageRequest,
    GateEquipment,
    GuardShift,
    PatrolLog,
    PatrolRoute,
    VettingCheck,
)

router = Router(tags=["security"])

#
# Patrol routes and patrols (E5)
#


class CheckpointIn(Input):
    place_id: OptionalId = None
    name: str = Field("", max_length=100)


class RouteIn(Input):
    school_id: OptionalId = None
    name: str = Field(..., min_length=1, max_length=100)
    is_key_area: bool = False
    is_dorm_night: bool = False
    checkpoints: list[CheckpointIn] = Field(..., min_length=1, max_length=100)


class CheckpointOut(Schema):
    id: int
    position: int
    place_id: int | None
    name: str
    label: str

    @staticmethod
    def resolve_label(obj: Checkpoint) -> str:
        return str(obj)


class RouteOut(Schema):
    id: int
    school_id: int
    name: str
    is_key_area: bool
    is_dorm_night: bool
    is_active: bool
    checkpoints: list[CheckpointOut]

    @staticmethod
    def resolve_checkpoints(obj: PatrolRoute) -> list[Checkpoint]:
        return list(obj.checkpoints.all())


def _routes(request: HttpRequest):
    return PatrolRoute.objects.prefetch_related("checkpoints__place")


@router.get("/routes", auth=needs("security.view_patrolroute"), response={200: list[RouteOut], **ERRORS})
@paginate
def route_list(request: HttpRequest):
    return _routes(request).visible_to(request.user)


@router.post("/routes", auth=needs("security.add_patrolroute"), response={201: RouteOut, **ERRORS})
def route_create(request: HttpRequest, payload: RouteIn):
    school = school_for_write(request, payload.school_id)
    checkpoints = [
        (in_scope(Place.objects, request, point.place_id) if point.place_id else None, point.name)
        for point in payload.checkpoints
    ]
    route = services.route_create(
        actor=request.user,
        school=school,
        name=payload.name,
        checkpoints=checkpoints,
        is_key_area=payload.is_key_area,
        is_dorm_night=payload.is_dorm_night,
    )
    return Status(201, in_scope(_routes(request), request, route.pk))


@router.get("/routes/{route_id}", auth=needs("security.view_patrolroute"), response={200: RouteOut, **ERRORS})
def route_get(request: HttpRequest, route_id: Id):
    return in_scope(_routes(request), request, route_id)


class PatrolIn(Input):
    route_id: Id


class SecurityCheckOut(Schema):
    checkpoint_id: int
    result: str
    note: str
    checked_at: dt.datetime
    hazard_id: int | None


class PatrolOut(Schema):
    id: int
    school_id: int
    route_id: int
    route_name: str = Field(..., alias="route.name")
    patroller_id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    is_key_area: bool
    is_dorm_night: bool
    checks: list[SecurityCheckOut]

    @staticmethod
    def resolve_checks(obj: PatrolLog) -> list:
        return list(obj.checks.all())


class PatrolFilter(Input):
    day: dt.date | None = None
    route_id: OptionalId = None


def _patrol(request: HttpRequest, patrol_id: int) -> PatrolLog:
    return in_scope(PatrolLog.objects.select_related("route").prefetch_related("checks"), request, patrol_id)


@router.get("/patrols", auth=needs("security.view_patrollog"), response={200: list[PatrolOut], **ERRORS})
@paginate
def patrol_list(request: HttpRequest, filters: Query[PatrolFilter]):
    logs = selectors.patrols(user=request.user).prefetch_related("checks")
    if filters.day:
        logs = logs.filter(started_at__date=filters.day)
    if filters.route_id:
        logs = logs.filter(route_id=filters.route_id)
    return logs


@router.post("/patrols", auth=needs("security.add_patrollog"), response={201: PatrolOut, **ERRORS})
def patrol_start(request: HttpRequest, payload: PatrolIn):
    route = in_scope(PatrolRoute.objects, request, payload.route_id)
    log = services.patrol_start(actor=request.user, route=route)
    return Status(201, _patrol(request, log.pk))


@router.get("/patrols/{patrol_id}", auth=needs("security.view_patrollog"), response={200: PatrolOut, **ERRORS})
def patrol_get(request: HttpRequest, patrol_id: Id):
    return _patrol(request, patrol_id)


class TickIn(Input):
    checkpoint_id: Id
    result: CheckResult = CheckResult.NORMAL
    note: str = Field("", max_length=300)


@router.post(
    "/patrols/{patrol_id}/checks", auth=needs("security.change_patrollog"), response={201: PatrolOut, **ERRORS}
)
def patrol_tick(request: HttpRequest, patrol_id: Id, payload: TickIn):
    log = _patrol(request, patrol_id)
    checkpoint = in_scope(Checkpoint.objects, request, payload.checkpoint_id)
    services.patrol_tick(actor=request.user, log=log, checkpoint=checkpoint, result=payload.result, note=payload.note)
    return Status(201, _patrol(request, patrol_id))


@router.post(
    "/patrols/{patrol_id}/finish", auth=needs("security.change_patrollog"), response={200: PatrolOut, **ERRORS}
)
def patrol_finish(request: HttpRequest, patrol_id: Id):
    services.patrol_finish(actor=request.user, log=_patrol(request, patrol_id))
    return _patrol(request, patrol_id)


class PatrolDayOut(Schema):
    day: dt.date
    key_area: int
    required: int
    dorm_night: int | None
    night_required: int | None
    short: bool


class DaysFilter(Input):
    since: dt.date | None = Field(None, description="default: 30 days ago")
    until: dt.date | None = Field(None, description="default: today")


@router.get("/patrol-days", auth=needs("security.view_patrollog"), response={200: list[PatrolDayOut], **ERRORS})
def patrol_days(request: HttpRequest, filters: Query[DaysFilter]):
    """Key-area patrols per day (and dorm night patrols per night for a boarding school) against the rules."""
    until = filters.until or timezone.localdate()
    since = max(filters.since or until - dt.timedelta(days=30), until - dt.timedelta(days=366))
    school = school_for_write(request, None)
    return selectors.patrol_days(school, since, until)


#
# Roster, staffing and vetting (E5, E10)
#


class ShiftIn(Input):
    person_id: Id
    day: dt.date
    starts: dt.time
    ends: dt.time = Field(..., description="at or before `starts`: the shift ends the next day")


class ShiftOut(Schema):
    id: int
    school_id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    day: dt.date
    starts: dt.time
    ends: dt.time


class RosterFilter(Input):
    day_from: dt.date | None = None
    day_to: dt.date | None = None


@router.get("/roster", auth=needs("security.view_guardshift"), response={200: list[ShiftOut], **ERRORS})
@paginate
def roster(request: HttpRequest, filters: Query[RosterFilter]):
    shifts = GuardShift.objects.visible_to(request.user).select_related("person")
    if filters.day_from:
        shifts = shifts.filter(day__gte=filters.day_from)
    if filters.day_to:
        shifts = shifts.filter(day__lte=filters.day_to)
    return shifts


@router.post("/roster", auth=needs("security.add_guardshift"), response={201: ShiftOut, **ERRORS})
def shift_create(request: HttpRequest, payload: ShiftIn):
    shift = services.shift_add(
        actor=request.user,
        school=school_for_write(request, None),
        person=in_scope(Person.objects, request, payload.person_id),
        day=payload.day,
        starts=payload.starts,
        ends=payload.ends,
    )
    return Status(201, GuardShift.objects.select_related("person").get(pk=shift.pk))


class GapOut(Schema):
    starts: dt.datetime
    ends: dt.datetime


class StaffingOut(Schema):
    school_id: int
    school_name: str
    students: int
    required_guards: int
    rostered_guards: int
    gaps: list[GapOut]
    cameras: int
    cameras_in_fault: int


EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


class StaffingFilter(Input):
    day: dt.date | None = Field(None, ge=EARLIEST, le=LATEST, description="default: today")


@router.get("/staffing", auth=needs("security.view_guardshift"), response={200: list[StaffingOut], **ERRORS})
def staffing(request: HttpRequest, filters: Query[StaffingFilter]):
    """Per school in scope: required guards from the enrolled students (E5 formula), guards on the roster, the hours
    nobody covers at the gatehouse, and cameras (in fault)."""
    day = filters.day or timezone.localdate()
    rows = []
    for school in School.objects.visible_to(request.user).order_by("name", "id"):
        figures = selectors.staffing(school, day)
        cameras = Camera.objects.filter(school=school).exclude(status="removed")
        rows.append(
            {
                "school_id": school.pk,
                "school_name": school.name,
                "students": figures.students,
                "required_guards": figures.required,
                "rostered_guards": figures.rostered,
                "gaps": [{"starts": timezone.make_aware(a), "ends": timezone.make_aware(b)} for a, b in figures.gaps],
                "cameras": cameras.count(),
                "cameras_in_fault": selectors.cameras_in_fault(school),
            }
        )
    return rows


class VettingIn(Input):
    person_id: Id
    checked_on: dt.date
    result: VettingResult
    note: str = Field("", max_length=200)


class VettingOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    checked_on: dt.date
    result: str
    note: str


@router.get("/vetting", auth=needs("security.view_vettingcheck"), response={200: list[VettingOut], **ERRORS})
@paginate
def vetting_list(request: HttpRequest):
    return VettingCheck.objects.visible_to(request.user).select_related("person")


@router.post("/vetting", auth=needs("security.add_vettingcheck"), response={201: VettingOut, **ERRORS})
def vetting_create(request: HttpRequest, payload: VettingIn):
    check = services.vetting_record(
        actor=request.user,
        school=school_for_write(request, None),
        person=in_scope(Person.objects, request, payload.person_id),
        checked_on=payload.checked_on,
        result=payload.result,
        note=payload.note,
    )
    return Status(201, check)


#
# Cameras and footage (E7)
#


class CameraIn(Input):
    name: str = Field(..., min_length=1, max_length=100)
    covers: str = Field(..., min_length=1, max_length=200)
    place_id: OptionalId = None
    retention_days: int = Field(90, ge=0, le=3650)


class CameraOut(Schema):
    id: int
    school_id: int
    name: str
    place_id: int | None
    covers: str
    status: str
    retention_days: int
    hazard_id: int | None


@router.get("/cameras", auth=needs("security.view_camera"), response={200: list[CameraOut], **ERRORS})
@paginate
def camera_list(request: HttpRequest):
    return Camera.objects.visible_to(request.user)


@router.post("/cameras", auth=needs("security.add_camera"), response={201: CameraOut, **ERRORS})
def camera_create(request: HttpRequest, payload: CameraIn):
    place = in_scope(Place.objects, request, payload.place_id) if payload.place_id else None
    camera = services.camera_create(
        actor=request.user,
        school=school_for_write(request, None),
        name=payload.name,
        covers=payload.covers,
        place=place,
        retention_days=payload.retention_days,
    )
    return Status(201, camera)


class FaultIn(Input):
    note: str = Field(..., min_length=1, max_length=200)


@router.post("/cameras/{camera_id}/fault", auth=needs("security.change_camera"), response={200: CameraOut, **ERRORS})
def camera_fault(request: HttpRequest, camera_id: Id, payload: FaultIn):
    camera = in_scope(Camera.objects, request, camera_id)
    return services.camera_report_fault(actor=request.user, camera=camera, note=payload.note)


class FootageIn(Input):
    camera_id: Id
    kind: FootageKind = FootageKind.VIEW
    purpose: str = Field(..., min_length=1, max_length=300)
    period_from: dt.datetime
    period_to: dt.datetime


class FootageOut(Schema):
    id: int
    camera_id: int
    kind: str
    purpose: str
    period_from: dt.datetime
    period_to: dt.datetime
    requested_by_id: int
    status: str
    decided_by_id: int | None
    decided_at: dt.datetime | None


@router.get("/footage-requests", auth=needs("security.view_footagerequest"), response={200: list[FootageOut], **ERRORS})
@paginate
def footage_list(request: HttpRequest):
    return FootageRequest.objects.visible_to(request.user)


@router.post("/footage-requests", auth=needs("security.add_footagerequest"), response={201: FootageOut, **ERRORS})
def footage_create(request: HttpRequest, payload: FootageIn):
    camera = in_scope(Camera.objects, request, payload.camera_id)
    values = payload.dict(exclude={"camera_id"})
    return Status(201, services.footage_request(actor=request.user, camera=camera, **values))


class SecurityDecisionIn(Input):
    approve: bool


@router.post(
    "/footage-requests/{request_id}/decide",
    auth=needs("security.approve_footagerequest"),
    response={200: FootageOut, **ERRORS},
)
def footage_decide(request: HttpRequest, request_id: Id, payload: SecurityDecisionIn):
    footage = in_scope(FootageRequest.objects, request, request_id)
    return services.footage_decide(actor=request.user, request=footage, approve=payload.approve)


#
# Fire records (E3)
#


class FirePatrolIn(Input):
    day: dt.date | None = Field(None, description="default: today")
    all_clear: bool = True
    note: str = Field("", max_length=300)


class FirePatrolOut(Schema):
    id: int
    day: dt.date
    patroller_id: int
    all_clear: bool
    note: str


@router.get("/fire-patrols", auth=needs("security.view_firepatrol"), response={200: list[FirePatrolOut], **ERRORS})
@paginate
def fire_patrol_list(request: HttpRequest):
    return FirePatrol.objects.visible_to(request.user)


@router.post("/fire-patrols", auth=needs("security.add_firepatrol"), response={201: FirePatrolOut, **ERRORS})
def fire_patrol_create(request: HttpRequest, payload: FirePatrolIn):
    patrol = services.fire_patrol_record(
        actor=request.user,
        school=school_for_write(request, None),
        day=payload.day or timezone.localdate(),
        all_clear=payload.all_clear,
        note=payload.note,
    )
    return Status(201, patrol)


class FireInspectionIn(Input):
    inspected_on: dt.date
    inspector_id: Id
    department_head_id: Id
    findings: str = Field("", max_length=2000)


class FireInspectionOut(Schema):
    id: int
    inspected_on: dt.date
    inspector_id: int
    department_head_id: int
    findings: str
    head_signed_at: dt.datetime | None


@router.get(
    "/fire-inspections", auth=needs("security.view_fireinspection"), response={200: list[FireInspectionOut], **ERRORS}
)
@paginate
def fire_inspection_list(request: HttpRequest):
    return FireInspection.objects.visible_to(request.user)


@router.post(
    "/fire-inspections", auth=needs("security.add_fireinspection"), response={201: FireInspectionOut, **ERRORS}
)
def fire_inspection_create(request: HttpRequest, payload: FireInspectionIn):
    inspection = services.fire_inspection_record(
        actor=request.user,
        school=school_for_write(request, None),
        inspected_on=payload.inspected_on,
        inspector=in_scope(Person.objects, request, payload.inspector_id),
        department_head=in_scope(Person.objects, request, payload.department_head_id),
        findings=payload.findings,
    )
    return Status(201, inspection)


@router.post(
    "/fire-inspections/{inspection_id}/countersign",
    auth=needs("security.view_fireinspection"),
    response={200: FireInspectionOut, **ERRORS},
)
def fire_inspection_countersign(request: HttpRequest, inspection_id: Id):
    inspection = in_scope(FireInspection.objects, request, inspection_id)
    return services.fire_inspection_countersign(actor=request.user, inspection=inspection)


class FireGapsOut(Schema):
    missing_days: list[dt.date]
    missing_quarters: list[int]


@router.get("/fire-gaps", auth=needs("security.view_firepatrol"), response={200: FireGapsOut, **ERRORS})
def fire_gaps(request: HttpRequest, filters: Query[DaysFilter]):
    """School days without a fire patrol, and quarters of the year without a countersigned fire inspection."""
    until = filters.until or timezone.localdate()
    since = max(filters.since or until - dt.timedelta(days=30), until - dt.timedelta(days=366))
    school = school_for_write(request, None)
    return {
        "missing_days": selectors.fire_missing_days(school, since, until),
        "missing_quarters": selectors.fire_missing_quarters(school, until.year, until),
    }


#
# Emergency equipment at the gate
#


class EquipmentIn(Input):
    asset_id: Id
    kind: EquipmentKind
    check_every_days: int = Field(30, ge=1, le=366)


class EquipmentOut(Schema):
    id: int
    asset_id: int
    asset_no: str = Field(..., alias="asset.asset_no")
    asset_name: str = Field(..., alias="asset.name")
    kind: str
    check_every_days: int


@router.get("/equipment", auth=needs("security.view_gateequipment"), response={200: list[EquipmentOut], **ERRORS})
@paginate
def equipment_list(request: HttpRequest):
    return GateEquipment.objects.visible_to(request.user).select_related("asset")


@router.post("/equipment", auth=needs("security.add_gateequipment"), response={201: EquipmentOut, **ERRORS})
def equipment_create(request: HttpRequest, payload: EquipmentIn):
    equipment = services.equipment_add(
        actor=request.user,
        school=school_for_write(request, None),
        asset=in_scope(Asset.objects, request, payload.asset_id),
        kind=payload.kind,
        check_every_days=payload.check_every_days,
    )
    return Status(201, equipment)


class EquipmentCheckIn(Input):
    ok: bool
    note: str = Field("", max_length=300)


class EquipmentCheckOut(Schema):
    id: int
    equipment_id: int
    checked_on: dt.date
    ok: bool
    note: str
    hazard_id: int | None


@router.post(
    "/equipment/{equipment_id}/checks",
    auth=needs("security.add_equipmentcheck"),
    response={201: EquipmentCheckOut, **ERRORS},
)
def equipment_check(request: HttpRequest, equipment_id: Id, payload: EquipmentCheckIn):
    equipment = in_scope(GateEquipment.objects.select_related("asset"), request, equipment_id)
    check = services.equipment_check(actor=request.user, equipment=equipment, ok=payload.ok, note=payload.note)
    return Status(201, check)
