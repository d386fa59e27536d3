"""/api/visitors: visitors in and out, who is on campus, the blacklist, staff going out."""

import datetime as dt

from ninja import Field, Query, Router, Schema, Status

from django.http import HttpRequest

from houqin.assets.models import Asset
from houqin.core.api import ERRORS, Id, Input, OptionalId, in_scope, needs, paginate, school_for_write
from houqin.orgs.models import Person
from houqin.visitors import selectors, services
from houqin.visitors.choices import IdType
from houqin.visitors.models import BlacklistEntry, GatePass, StaffOuting, VehicleEntry, Visit

router = Router(tags=["visitors"])


class VisitIn(Input):
    school_id: OptionalId = None
    name: str = Field(..., min_length=1, max_length=50)
    phone: str = Field(..., min_length=1, max_length=20)
    id_type: IdType = IdType.RESIDENT_ID
    id_tail: str = Field("", max_length=6, description="the last digits of the document only")
    purpose: str = Field(..., min_length=1, max_length=200)
    host_person_id: Id
    host_confirmed_by: str = Field(..., max_length=50, description="who confirmed the visit by phone")
    vehicle_plate: str = Field("", max_length=20)
    organisation: str = Field("", max_length=100)
    party_size: int = Field(1, ge=1, le=500)
    blacklist_acknowledged: bool = Field(False, description="let in despite a blacklist warning (409 otherwise)")


class VisitOut(Schema):
    id: int
    school_id: int
    name: str
    phone: str = Field(..., description="masked: 138****5678")
    id_type: str
    id_tail: str
    organisation: str
    party_size: int
    purpose: str
    host_id: int
    host_name: str = Field(..., alias="host.name")
    host_confirmed_by: str
    host_confirmed_at: dt.datetime
    vehicle_plate: str
    entered_at: dt.datetime
    left_at: dt.datetime | None
    blacklist_warning: str = Field(..., alias="blacklist_hit")
    incident_flag: bool

    @staticmethod
    def resolve_phone(obj: Visit) -> str:
        return obj.phone_masked


class VisitFilter(Input):
    q: str | None = Field(None, max_length=100, description="name, purpose or host")
    on_campus: bool = False
    entered_from: dt.date | None = None
    entered_to: dt.date | None = None


def _visit(request: HttpRequest, visit_id: int) -> Visit:
    return in_scope(Visit.objects.select_related("host"), request, visit_id)


@router.post("/visits", auth=needs("visitors.add_visit"), response={201: VisitOut, **ERRORS})
def visit_create(request: HttpRequest, payload: VisitIn):
    school = school_for_write(request, payload.school_id)
    values = payload.dict(exclude={"school_id", "host_person_id"})
    visit = services.visit_register(
        actor=request.user, school=school, host=in_scope(Person.objects, request, payload.host_person_id), **values
    )
    return Status(201, _visit(request, visit.pk))


@router.get("/visits", auth=needs("visitors.view_visit"), response={200: list[VisitOut], **ERRORS})
@paginate
def visit_list(request: HttpRequest, filters: Query[VisitFilter]):
    visits = selectors.visit_list(
        user=request.user,
        q=filters.q,
        entered_at__date__gte=filters.entered_from,
        entered_at__date__lte=filters.entered_to,
    )
    return visits.filter(left_at__isnull=True) if filters.on_campus else visits


@router.get("/visits/{visit_id}", auth=needs("visitors.view_visit"), response={200: VisitOut, **ERRORS})
def visit_get(request: HttpRequest, visit_id: Id):
    return _visit(request, visit_id)


class LeaveIn(Input):
    left_at: dt.datetime | None = Field(None, description="default: now")


@router.post("/visits/{visit_id}/leave", auth=needs("visitors.change_visit"), response={200: VisitOut, **ERRORS})
def visit_leave(request: HttpRequest, visit_id: Id, payload: LeaveIn | None = None):
    left_at = payload.left_at if payload else None
    services.visit_leave(actor=request.user, visit=_visit(request, visit_id), left_at=left_at)
    return _visit(request, visit_id)


@router.get("/on-campus", auth=needs("visitors.view_visit"), response={200: list[VisitOut], **ERRORS})
@paginate
def on_campus(request: HttpRequest):
    return selectors.on_campus(user=request.user)


#
# Blacklist
#


class BlacklistIn(Input):
    school_id: OptionalId = None
    name: str = Field(..., min_length=1, max_length=50)
    phone: str = Field("", max_length=20)
    id_tail: str = Field("", max_length=6)
    reason: str = Field(..., min_length=1, max_length=300)


class BlacklistOut(Schema):
    id: int
    school_id: int
    name: str
    phone: str = Field(..., description="masked")
    id_tail: str
    reason: str
    is_active: bool

    @staticmethod
    def resolve_phone(obj: BlacklistEntry) -> str:
        return obj.phone_masked


@router.get("/blacklist", auth=needs("visitors.view_blacklistentry"), response={200: list[BlacklistOut], **ERRORS})
@paginate
def blacklist_list(request: HttpRequest):
    return selectors.blacklist(user=request.user)


@router.post("/blacklist", auth=needs("visitors.add_blacklistentry"), response={201: BlacklistOut, **ERRORS})
def blacklist_create(request: HttpRequest, payload: BlacklistIn):
    school = school_for_write(request, payload.school_id)
    entry = services.blacklist_add(actor=request.user, school=school, **payload.dict(exclude={"school_id"}))
    return Status(201, entry)


#
# Staff going out
#


class OutingIn(Input):
    person_id: Id
    reason: str = Field(..., min_length=1, max_length=200)
    approved_by_id: Id
    expected_back_at: dt.datetime | None = None


class OutingOut(Schema):
    id: int
    school_id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    reason: str
    approved_by_id: int
    approved_by_name: str = Field(..., alias="approved_by.name")
    out_at: dt.datetime
    expected_back_at: dt.datetime | None
    back_at: dt.datetime | None


class OutingFilter(Input):
    out_only: bool = Field(False, description="only those not back yet")


def _outing(request: HttpRequest, outing_id: int) -> StaffOuting:
    return in_scope(StaffOuting.objects.select_related("person", "approved_by"), request, outing_id)


@router.get("/outings", auth=needs("visitors.view_staffouting"), response={200: list[OutingOut], **ERRORS})
@paginate
def outing_list(request: HttpRequest, filters: Query[OutingFilter]):
    return selectors.outings(user=request.user, out_only=filters.out_only)


@router.post("/outings", auth=needs("visitors.add_staffouting"), response={201: OutingOut, **ERRORS})
def outing_create(request: HttpRequest, payload: OutingIn):
    outing = services.outing_register(
        actor=request.user,
        school=school_for_write(request, None),
        person=in_scope(Person.objects, request, payload.person_id),
        approved_by=in_scope(Person.objects, request, payload.approved_by_id),
        reason=payload.reason,
        expected_back_at=payload.expected_back_at,
    )
    return Status(201, _outing(request, outing.pk))


@router.post(
    "/outings/{outing_id}/back", auth=needs("visitors.change_staffouting"), response={200: OutingOut, **ERRORS}
)
def outing_back(request: HttpRequest, outing_id: Id):
    services.outing_return(actor=request.user, outing=_outing(request, outing_id))
    return _outing(request, outing_id)


#
# Asset gate passes (出门证)
#


class GatePassIn(Input):
    asset_id: Id
    reason: str = Field(..., min_length=1, max_length=200)
    destination: str = Field("", max_length=100)
    expected_back_on: dt.date | None = None


class GatePassOut(Schema):
    id: int
    school_id: int
    number: str
    asset_id: int
    asset_no: str = Field(..., alias="asset.asset_no")
    asset_name: str = Field(..., alias="asset.name")
    reason: str
    destination: str
    expected_back_on: dt.date | None
    status: str
    requested_by_id: int
    approved_by_id: int | None
    approved_at: dt.datetime | None
    out_at: dt.datetime | None
    back_at: dt.datetime | None


class DecisionIn(Input):
    approve: bool


def _gatepass(request: HttpRequest, gatepass_id: int) -> GatePass:
    return in_scope(GatePass.objects.select_related("asset"), request, gatepass_id)


@router.get("/gate-passes", auth=needs("visitors.view_gatepass"), response={200: list[GatePassOut], **ERRORS})
@paginate
def gatepass_list(request: HttpRequest):
    return selectors.gatepasses(user=request.user)


@router.post("/gate-passes", auth=needs("visitors.add_gatepass"), response={201: GatePassOut, **ERRORS})
def gatepass_create(request: HttpRequest, payload: GatePassIn):
    gatepass = services.gatepass_request(
        actor=request.user,
        school=school_for_write(request, None),
        asset=in_scope(Asset.objects, request, payload.asset_id),
        **payload.dict(exclude={"asset_id"}),
    )
    return Status(201, _gatepass(request, gatepass.pk))


@router.get("/gate-passes/{gatepass_id}", auth=needs("visitors.view_gatepass"), response={200: GatePassOut, **ERRORS})
def gatepass_get(request: HttpRequest, gatepass_id: Id):
    return _gatepass(request, gatepass_id)


@router.post(
    "/gate-passes/{gatepass_id}/decide", auth=needs("visitors.approve_gatepass"), response={200: GatePassOut, **ERRORS}
)
def gatepass_decide(request: HttpRequest, gatepass_id: Id, payload: DecisionIn):
    services.gatepass_decide(actor=request.user, gatepass=_gatepass(request, gatepass_id), approve=payload.approve)
    return _gatepass(request, gatepass_id)


@router.post(
    "/gate-passes/{gatepass_id}/out", auth=needs("visitors.change_gatepass"), response={200: GatePassOut, **ERRORS}
)
def gatepass_out(request: HttpRequest, gatepass_id: Id):
    services.gatepass_check_out(actor=request.user, gatepass=_gatepass(request, gatepass_id))
    return _gatepass(request, gatepass_id)


@router.post(
    "/gate-passes/{gatepass_id}/back", auth=needs("visitors.change_gatepass"), response={200: GatePassOut, **ERRORS}
)
def gatepass_back(request: HttpRequest, gatepass_id: Id):
    services.gatepass_check_back(actor=request.user, gatepass=_gatepass(request, gatepass_id))
    return _gatepass(request, gatepass_id)


#
# Outside vehicles (E6)
#


class VehicleIn(Input):
    plate: str = Field(..., min_length=1, max_length=20)
    driver: str = Field(..., min_length=1, max_length=50)
    purpose: str = Field(..., min_length=1, max_length=200)


class VehicleOut(Schema):
    id: int
    school_id: int
    plate: str
    driver: str
    purpose: str
    status: str
    requested_by_id: int
    approved_by_id: int | None
    approved_at: dt.datetime | None
    entered_at: dt.datetime | None
    left_at: dt.datetime | None


def _vehicle(request: HttpRequest, vehicle_id: int) -> VehicleEntry:
    return in_scope(VehicleEntry.objects, request, vehicle_id)


@router.get("/vehicles", auth=needs("visitors.view_vehicleentry"), response={200: list[VehicleOut], **ERRORS})
@paginate
def vehicle_list(request: HttpRequest):
    return selectors.vehicles(user=request.user)


@router.post("/vehicles", auth=needs("visitors.add_vehicleentry"), response={201: VehicleOut, **ERRORS})
def vehicle_create(request: HttpRequest, payload: VehicleIn):
    entry = services.vehicle_request(actor=request.user, school=school_for_write(request, None), **payload.dict())
    return Status(201, entry)


@router.post(
    "/vehicles/{vehicle_id}/decide", auth=needs("visitors.approve_vehicleentry"), response={200: VehicleOut, **ERRORS}
)
def vehicle_decide(request: HttpRequest, vehicle_id: Id, payload: DecisionIn):
    return services.vehicle_decide(actor=request.user, entry=_vehicle(request, vehicle_id), approve=payload.approve)


@router.post(
    "/vehicles/{vehicle_id}/in", auth=needs("visitors.change_vehicleentry"), response={200: VehicleOut, **ERRORS}
)
def vehicle_in(request: HttpRequest, vehicle_id: Id):
    return services.vehicle_let_in(actor=request.user, entry=_vehicle(request, vehicle_id))


@router.post(
    "/vehicles/{vehicle_id}/out", auth=needs("visitors.change_vehicleentry"), response={200: VehicleOut, **ERRORS}
)
def vehicle_out(request: HttpRequest, vehicle_id: Id):
    return services.vehicle_leave(actor=request.user, entry=_vehicle(request, vehicle_id))
