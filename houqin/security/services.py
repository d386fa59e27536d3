"""Every write of 安全保卫: patrols (E5), the guard roster with staff vetting (E5, E10), cameras and footage requests
(E7), fire records (E3) and the gate's emergency equipment checks.

Findings, camera faults and failed equipment checks become hazards through the safety module's own service.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core import audit
from houqin.core.crud import create_audited, lock, require_perm, require_same_school, update_audited
from houqin.core.policies import policy
from houqin.safety import services as safety
from houqin.safety.choices import HazardCategory, HazardSource
from houqin.security.choices import CameraStatus, CheckResult, PatrolStatus, RequestStatus, VettingResult
from houqin.security.models import (
    Camera,
    Checkpoint,
    EquipmentCheck,
    FireInspection,
    FirePatrol,
    FireSystemTest,
    FootageRequest,
    GateEquipment,
    GuardShift,
    PatrolCheck,
    PatrolLog,
    PatrolRoute,
    VettingCheck,
)

if TYPE_CHECKING:
    from django.core.files import File

    from houqin.accounts.models import User
    from houqin.assets.models import Asset
    from houqin.orgs.models import Person, Place, School

REQUIRED = gettext_noop("This field is required.")
CHECKPOINT_NEEDS_NAME = gettext_noop("Choose a place or name the checkpoint.")
ROUTE_WITHOUT_CHECKPOINTS = gettext_noop("This route has no checkpoints yet.")
ROUTE_NOT_IN_USE = gettext_noop("This route is no longer in use.")
PATROL_FINISHED = gettext_noop("This patrol is already finished.")
NOT_ON_ROUTE = gettext_noop("This checkpoint is not on the patrol's route.")
FINDING_NEEDS_NOTE = gettext_noop("Say what was found.")
CHECKPOINTS_LEFT = gettext_noop("Tick every checkpoint first: %(left)s left.")
NOT_YOUR_PATROL = gettext_noop("Only the guard who started this patrol can record it.")
VETTING_MISSING = gettext_noop(
    "%(person)s has no criminal-record check with a clear result in %(year)s and cannot be put on the roster."
)
SHIFT_TOO_SHORT = gettext_noop("A shift needs a start and an end that differ.")
RETENTION_TOO_SHORT = gettext_noop("Footage must be kept at least %(days)s days.")
CAMERA_REMOVED = gettext_noop("This camera has been removed.")
FAULT_NEEDS_NOTE = gettext_noop("Say what is wrong with the camera.")
ALREADY_DECIDED = gettext_noop("This request has already been decided.")
OWN_REQUEST = gettext_noop("A footage request must be approved by someone other than the requester.")
PERIOD_IN_FUTURE = gettext_noop("The footage cannot be from the future.")
IN_FUTURE = gettext_noop("The date cannot be in the future.")
SAME_SIGNER = gettext_noop("The department head countersigns; the inspector cannot sign twice.")
NOT_THE_HEAD = gettext_noop("Only %(person)s, the department head named on the inspection, can countersign it.")
ALREADY_SIGNED = gettext_noop("Already countersigned.")
CHECK_NOTE_REQUIRED = gettext_noop("Say what is wrong with the equipment.")
EQUIPMENT_ALREADY_LISTED = gettext_noop("This asset is already on the gate equipment list.")
ASSET_DISPOSED = gettext_noop("This asset has been disposed of.")


def _required(**values: str) -> None:
    missing = {field: _(REQUIRED) for field, value in values.items() if not (value or "").strip()}
    if missing:
        raise ValidationError(missing)


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _(IN_FUTURE)})


#
# Patrols (E5)
#


@transaction.atomic
def route_create(
    *,
    actor: User,
    school: School,
    name: str,
    checkpoints: list[tuple[Place | None, str]],
    is_key_area: bool = False,
    is_dorm_night: bool = False,
) -> PatrolRoute:
    """A route with its checkpoints in walking order; each checkpoint is a place or a named point."""
    require_perm(actor, "security.add_patrolroute")
    _required(name=name)
    if not checkpoints:
        raise ValidationError({"checkpoints": _(ROUTE_WITHOUT_CHECKPOINTS)})
    for place, label in checkpoints:
        require_same_school(school, place=place)
        if place is None and not label.strip():
            raise ValidationError({"checkpoints": _(CHECKPOINT_NEEDS_NAME)})
    values = {"school": school, "name": name.strip(), "is_key_area": is_key_area, "is_dorm_night": is_dorm_night}
    route = create_audited(actor=actor, model=PatrolRoute, values=values)
    Checkpoint.objects.bulk_create(
        Checkpoint(school=school, route=route, position=n, place=place, name=label.strip())
        for n, (place, label) in enumerate(checkpoints, start=1)
    )
    return route


@transaction.atomic
def route_update(*, actor: User, route: PatrolRoute, **values: Any) -> PatrolRoute:
    require_perm(actor, "security.change_patrolroute")
    return update_audited(actor=actor, instance=lock(PatrolRoute, route.pk), values=values)


@transaction.atomic
def patrol_start(*, actor: User, route: PatrolRoute, started_at: dt.datetime | None = None) -> PatrolLog:
    require_perm(actor, "security.add_patrollog")
    if not route.is_active:
        raise ValidationError(_(ROUTE_NOT_IN_USE))
    if not route.checkpoints.exists():
        raise ValidationError(_(ROUTE_WITHOUT_CHECKPOINTS))
    values = {
        "school": route.school,
        "route": route,
        "patroller": actor,
        "started_at": started_at or timezone.now(),
        "is_key_area": route.is_key_area,
        "is_dorm_night": route.is_dorm_night,
    }
    return create_audited(actor=actor, model=PatrolLog, values=values)


def _open_patrol(actor: User, log: PatrolLog) -> PatrolLog:
    require_perm(actor, "security.change_patrollog")
    log = lock(PatrolLog, log.pk)
    if log.status == PatrolStatus.FINISHED:
        raise ValidationError(_(PATROL_FINISHED))
    if log.patroller_id != actor.pk and not actor.has_perm("security.change_patrolroute"):
        raise PermissionDenied(_(NOT_YOUR_PATROL))
    return log


@transaction.atomic
def patrol_tick(
    *, actor: User, log: PatrolLog, checkpoint: Checkpoint, result: str = CheckResult.NORMAL, note: str = ""
) -> PatrolCheck:
    """Tick a checkpoint as normal, or record a finding with a note — which raises a hazard (source "patrol")."""
    log = _open_patrol(actor, log)
    if checkpoint.route_id != log.route_id:
        raise ValidationError({"checkpoint": _(NOT_ON_ROUTE)})
    if result == CheckResult.FINDING and not note.strip():
        raise ValidationError({"note": _(FINDING_NEEDS_NOTE)})
    now = timezone.now()
    check = PatrolCheck(
        school_id=log.school_id, log=log, checkpoint=checkpoint, result=result, note=note.strip(), checked_at=now
    )
    check.full_clean()
    if result == CheckResult.FINDING:
        check.hazard = safety.hazard_report(
            actor=actor,
            school=log.school,
            title=note.strip()[:200],
            found_on=timezone.localdate(now),
            source=HazardSource.PATROL,
            place=checkpoint.place,
            location=checkpoint.name,
            category=HazardCategory.SECURITY,
        )
    check.save()
    audit.record(
        actor=actor,
        action="security.patrollog.ticked",
        target=log,
        changes={str(checkpoint): [None, result]},
        message=check.note,
    )
    return check


@transaction.atomic
def patrol_finish(*, actor: User, log: PatrolLog, finished_at: dt.datetime | None = None) -> PatrolLog:
    """Finish a patrol once every checkpoint of its route is ticked; only finished patrols count."""
    log = _open_patrol(actor, log)
    left = Checkpoint.objects.filter(route_id=log.route_id).exclude(pk__in=log.checks.values("checkpoint")).count()
    if left:
        raise ValidationError(_(CHECKPOINTS_LEFT) % {"left": left})
    values = {"status": PatrolStatus.FINISHED, "finished_at": finished_at or timezone.now()}
    return update_audited(actor=actor, instance=log, values=values)


#
# Vetting (E10) and the guard roster (E5)
#


@transaction.atomic
def vetting_record(
    *, actor: User, school: School, person: Person, checked_on: dt.date, result: str, note: str = ""
) -> VettingCheck:
    require_perm(actor, "security.add_vettingcheck")
    require_same_school(school, person=person)
    _not_future(checked_on, "checked_on")
    values = {"school": school, "person": person, "checked_on": checked_on, "result": result, "note": note.strip()}
    return create_audited(actor=actor, model=VettingCheck, values=values)


def is_vetted(person: Person, day: dt.date) -> bool:
    """A clear check in the calendar year of `day`, on or before it."""
    return VettingCheck.objects.filter(
        person=person, result=VettingResult.CLEAR, checked_on__year=day.year, checked_on__lte=day
    ).exists()


@transaction.atomic
def shift_add(
    *, actor: User, school: School, person: Person, day: dt.date, starts: dt.time, ends: dt.time
) -> GuardShift:
    """Put a guard on the roster; a guard without this year's clear criminal-record check is refused (E10)."""
    require_perm(actor, "security.add_guardshift")
    require_same_school(school, person=person)
    if starts == ends:
        raise ValidationError({"ends": _(SHIFT_TOO_SHORT)})
    if not is_vetted(person, day):
        raise ValidationError({"person": _(VETTING_MISSING) % {"person": person, "year": day.year}})
    values = {"school": school, "person": person, "day": day, "starts": starts, "ends": ends}
    return create_audited(actor=actor, model=GuardShift, values=values)


@transaction.atomic
def shift_remove(*, actor: User, shift: GuardShift) -> None:
    require_perm(actor, "security.delete_guardshift")
    shift = lock(GuardShift, shift.pk)
    audit.record(actor=actor, action="security.guardshift.deleted", target=shift, message=str(shift))
    shift.delete()


#
# Cameras and footage (E7)
#


def _check_retention(school: School, days: int) -> None:
    floor = max(policy("safety.video_retention_days", school=school), 30)
    if days < floor:
        raise ValidationError({"retention_days": _(RETENTION_TOO_SHORT) % {"days": floor}})


@transaction.atomic
def camera_create(
    *, actor: User, school: School, name: str, covers: str, place: Place | None = None, retention_days: int = 90
) -> Camera:
    """Register a camera; footage is kept at least as long as the school's video retention rule (≥ 30 days)."""
    require_perm(actor, "security.add_camera")
    _required(name=name, covers=covers)
    require_same_school(school, place=place)
    _check_retention(school, retention_days)
    values = {
        "school": school,
        "name": name.strip(),
        "covers": covers.strip(),
        "place": place,
        "retention_days": retention_days,
    }
    return create_audited(actor=actor, model=Camera, values=values)


@transaction.atomic
def camera_update(*, actor: User, camera: Camera, **values: Any) -> Camera:
    require_perm(actor, "security.change_camera")
    camera = lock(Camera, camera.pk)
    require_same_school(camera.school, place=values.get("place"))
    if "retention_days" in values:
        _check_retention(camera.school, values["retention_days"])
    return update_audited(actor=actor, instance=camera, values=values)


@transaction.atomic
def camera_report_fault(*, actor: User, camera: Camera, note: str) -> Camera:
    """A camera stops working: its status becomes fault and a hazard is raised for the repair."""
    require_perm(actor, "security.change_camera")
    camera = lock(Camera, camera.pk)
    if camera.status == CameraStatus.REMOVED:
        raise ValidationError(_(CAMERA_REMOVED))
    if not note.strip():
        raise ValidationError({"note": _(FAULT_NEEDS_NOTE)})
    hazard = safety.hazard_report(
        actor=actor,
        school=camera.school,
        title=f"{camera.name}：{note.strip()}"[:200],
        found_on=timezone.localdate(),
        source=HazardSource.REPORT,
        place=camera.place,
        category=HazardCategory.SECURITY,
    )
    return update_audited(actor=actor, instance=camera, values={"status": CameraStatus.FAULT, "hazard": hazard})


@transaction.atomic
def footage_request(
    *,
    actor: User,
    camera: Camera,
    purpose: str,
    period_from: dt.datetime,
    period_to: dt.datetime,
    kind: str = "view",
) -> FootageRequest:
    """Ask to view or export footage; it is logged with its purpose and waits for someone else's approval."""
    require_perm(actor, "security.add_footagerequest")
    _required(purpose=purpose)
    if period_from > timezone.now():
        raise ValidationError({"period_from": _(PERIOD_IN_FUTURE)})
    values = {
        "school": camera.school,
        "camera": camera,
        "kind": kind,
        "purpose": purpose.strip(),
        "period_from": period_from,
        "period_to": period_to,
        "requested_by": actor,
    }
    return create_audited(actor=actor, model=FootageRequest, values=values)


@transaction.atomic
def footage_decide(*, actor: User, request: FootageRequest, approve: bool) -> FootageRequest:
    require_perm(actor, "security.approve_footagerequest")
    request = lock(FootageRequest, request.pk)
    if request.status != RequestStatus.REQUESTED:
        raise ValidationError(_(ALREADY_DECIDED))
    if request.requested_by_id == actor.pk:
        raise ValidationError(_(OWN_REQUEST))
    values = {
        "status": RequestStatus.APPROVED if approve else RequestStatus.REFUSED,
        "decided_by": actor,
        "decided_at": timezone.now(),
    }
    return update_audited(actor=actor, instance=request, values=values)


#
# Fire records (E3)
#


@transaction.atomic
def fire_patrol_record(
    *, actor: User, school: School, day: dt.date, all_clear: bool = True, note: str = ""
) -> FirePatrol:
    require_perm(actor, "security.add_firepatrol")
    _not_future(day, "day")
    if not all_clear:
        _required(note=note)
    values = {"school": school, "day": day, "patroller": actor, "all_clear": all_clear, "note": note.strip()}
    return create_audited(actor=actor, model=FirePatrol, values=values)


@transaction.atomic
def fire_inspection_record(
    *,
    actor: User,
    school: School,
    inspected_on: dt.date,
    inspector: Person,
    department_head: Person,
    findings: str = "",
) -> FireInspection:
    """The inspector's signed record; it counts for its quarter once the department head countersigns."""
    require_perm(actor, "security.add_fireinspection")
    require_same_school(school, inspector=inspector, department_head=department_head)
    _not_future(inspected_on, "inspected_on")
    if inspector.pk == department_head.pk:
        raise ValidationError({"department_head": _(SAME_SIGNER)})
    values = {
        "school": school,
        "inspected_on": inspected_on,
        "inspector": inspector,
        "department_head": department_head,
        "findings": findings.strip(),
    }
    return create_audited(actor=actor, model=FireInspection, values=values)


@transaction.atomic
def fire_inspection_countersign(*, actor: User, inspection: FireInspection) -> FireInspection:
    inspection = lock(FireInspection, inspection.pk)
    if inspection.head_signed_at is not None:
        raise ValidationError(_(ALREADY_SIGNED))
    if getattr(actor, "person_id", None) != inspection.department_head_id:
        raise PermissionDenied(_(NOT_THE_HEAD) % {"person": inspection.department_head})
    return update_audited(actor=actor, instance=inspection, values={"head_signed_at": timezone.now()})


@transaction.atomic
def fire_test_upload(
    *, actor: User, school: School, year: int, tested_on: dt.date, company: str, report: File
) -> FireSystemTest:
    require_perm(actor, "security.add_firesystemtest")
    _required(company=company)
    _not_future(tested_on, "tested_on")
    values = {"school": school, "year": year, "tested_on": tested_on, "company": company.strip(), "report": report}
    return create_audited(actor=actor, model=FireSystemTest, values=values)


#
# Emergency equipment at the gate
#


@transaction.atomic
def equipment_add(*, actor: User, school: School, asset: Asset, kind: str, check_every_days: int = 30) -> GateEquipment:
    """List an asset card as gate equipment (the card itself stays in the asset register)."""
    require_perm(actor, "security.add_gateequipment")
    require_same_school(school, asset=asset)
    if asset.disposed_on is not None:
        raise ValidationError({"asset": _(ASSET_DISPOSED)})
    if GateEquipment.objects.filter(asset=asset).exists():
        raise ValidationError({"asset": _(EQUIPMENT_ALREADY_LISTED)})
    values = {"school": school, "asset": asset, "kind": kind, "check_every_days": check_every_days}
    return create_audited(actor=actor, model=GateEquipment, values=values)


@transaction.atomic
def equipment_check(
    *, actor: User, equipment: GateEquipment, ok: bool, note: str = "", checked_on: dt.date | None = None
) -> EquipmentCheck:
    """Record a check; equipment not in order raises a hazard."""
    require_perm(actor, "security.add_equipmentcheck")
    checked_on = checked_on or timezone.localdate()
    _not_future(checked_on, "checked_on")
    if not ok and not note.strip():
        raise ValidationError({"note": _(CHECK_NOTE_REQUIRED)})
    hazard = None
    if not ok:
        hazard = safety.hazard_report(
            actor=actor,
            school=equipment.school,
            title=f"{equipment}：{note.strip()}"[:200],
            found_on=checked_on,
            source=HazardSource.INSPECTION,
            location=_("Gatehouse"),
            category=HazardCategory.SECURITY,
        )
    values = {
        "school": equipment.school,
        "equipment": equipment,
        "checked_on": checked_on,
        "ok": ok,
        "note": note.strip(),
        "checked_by": actor,
        "hazard": hazard,
    }
    return create_audited(actor=actor, model=EquipmentCheck, values=values)
