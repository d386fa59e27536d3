"""Every write at the gate: visitors in and out (E6), the blacklist, staff going out, and the retention purge (G4).

An outsider enters only after the host has confirmed the visit by phone (外来人员来访需电话核实及登记); only the last
digits of a document are written down; a blacklist match stops the registration until the guard acknowledges it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core import audit
from houqin.core.crud import create_audited, lock, require_perm, require_same_school, update_audited
from houqin.core.numbering import next_number
from houqin.core.policies import policy
from houqin.core.sensitive import mask_name
from houqin.orgs.models import School
from houqin.visitors.choices import GatePassStatus, IdType, VehicleStatus
from houqin.visitors.models import BlacklistEntry, GatePass, StaffOuting, VehicleEntry, Visit
from houqin.visitors.selectors import blacklist_matches

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.assets.models import Asset
    from houqin.orgs.models import Person

HOST_NOT_CONFIRMED = gettext_noop("Call the host first: a visitor enters only after the host has confirmed by phone.")
HOST_NOT_ON_STAFF = gettext_noop("%(host)s is no longer on the staff.")
BLACKLISTED = gettext_noop("Warning: %(name)s is on the blacklist (%(reason)s). Stop the entry or confirm to let in.")
ALREADY_LEFT = gettext_noop("This visitor already left at %(time)s.")
ALREADY_BACK = gettext_noop("Already back at %(time)s.")
IN_FUTURE = gettext_noop("The time cannot be in the future.")
INCIDENT_NOTE_REQUIRED = gettext_noop("Say which incident the visit is linked to.")
REQUIRED = gettext_noop("This field is required.")
PASS_NOT_APPROVED = gettext_noop("The gate pass is %(status)s: an asset leaves only on an approved pass.")
PASS_NOT_OUT = gettext_noop("The asset has not gone out on this pass.")
PASS_DECIDED = gettext_noop("This gate pass has already been decided.")
OWN_PASS = gettext_noop("A gate pass must be approved by someone other than the person who asked for it.")
ASSET_DISPOSED = gettext_noop("This asset has been disposed of and cannot leave on a pass.")
ASSET_ALREADY_OUT = gettext_noop("This asset is already out on pass %(number)s.")
VEHICLE_NOT_APPROVED = gettext_noop("An outside vehicle is let in only after its entry has been approved.")
VEHICLE_NOT_IN = gettext_noop("This vehicle is not on campus.")
VEHICLE_DECIDED = gettext_noop("This vehicle entry has already been decided.")
OWN_VEHICLE = gettext_noop("An outside vehicle must be approved by someone other than the person who asked for it.")


def _now_or(moment: dt.datetime | None, field: str) -> dt.datetime:
    now = timezone.now()
    if moment is None:
        return now
    if moment > now + dt.timedelta(minutes=5):
        raise ValidationError({field: _(IN_FUTURE)})
    return moment


def _required(**values: str) -> None:
    missing = {field: _(REQUIRED) for field, value in values.items() if not value.strip()}
    if missing:
        raise ValidationError(missing)


@transaction.atomic
def visit_register(
    *,
    actor: User,
    school: School,
    name: str,
    phone: str,
    purpose: str,
    host: Person,
    host_confirmed_by: str,
    id_type: str = IdType.RESIDENT_ID,
    id_tail: str = "",
    blacklist_acknowledged: bool = False,
    entered_at: dt.datetime | None = None,
    **fields: Any,
) -> Visit:
    """Let a visitor in: the host's phone confirmation is required, and a blacklist match must be acknowledged."""
    require_perm(actor, "visitors.add_visit")
    if not host_confirmed_by.strip():
        raise ValidationError({"host_confirmed_by": _(HOST_NOT_CONFIRMED)})
    _required(name=name, phone=phone, purpose=purpose)
    require_same_school(school, host=host)
    if not host.is_active:
        raise ValidationError({"host": _(HOST_NOT_ON_STAFF) % {"host": host}})
    matches = blacklist_matches(school=school, name=name, phone=phone, id_tail=id_tail)
    warning = "；".join(f"{m.name}：{m.reason}" for m in matches)
    if matches and not blacklist_acknowledged:
        raise ValidationError(_(BLACKLISTED) % {"name": name.strip(), "reason": warning}, code="blacklisted")
    entered_at = _now_or(entered_at, "entered_at")
    visit = Visit(
        school=school,
        name=name.strip(),
        phone=phone.strip(),
        purpose=purpose.strip(),
        host=host,
        host_confirmed_by=host_confirmed_by.strip(),
        host_confirmed_at=fields.pop("host_confirmed_at", None) or entered_at,
        id_type=id_type,
        id_tail=id_tail.strip().upper(),
        entered_at=entered_at,
        registered_by=actor,
        blacklist_hit=warning[:300],
        **fields,
    )
    visit.full_clean()
    visit.save()
    audit.record(
        actor=actor,
        action="visitors.visit.entered",
        target=visit,
        changes={"host": [None, str(host)], "purpose": [None, visit.purpose], "phone": [None, visit.phone]},
        message=warning,
    )
    return visit


@transaction.atomic
def visit_leave(*, actor: User, visit: Visit, left_at: dt.datetime | None = None) -> Visit:
    """The visitor goes out through the gate."""
    require_perm(actor, "visitors.change_visit")
    visit = lock(Visit, visit.pk)
    if visit.left_at is not None:
        raise ValidationError(_(ALREADY_LEFT) % {"time": f"{timezone.localtime(visit.left_at):%H:%M}"})
    visit.left_at = _now_or(left_at, "left_at")
    visit.full_clean()
    visit.save(update_fields=["left_at", "updated_at"])
    audit.record(actor=actor, action="visitors.visit.left", target=visit, changes={"left_at": [None, visit.left_at]})
    return visit


@transaction.atomic
def visit_flag_incident(*, actor: User, visit: Visit, note: str) -> Visit:
    """Link a visit to an incident: its personal data is then kept past the retention period."""
    require_perm(actor, "visitors.flag_visit")
    if not note.strip():
        raise ValidationError({"note": _(INCIDENT_NOTE_REQUIRED)})
    return update_audited(
        actor=actor, instance=lock(Visit, visit.pk), values={"incident_flag": True, "incident_note": note.strip()}
    )


#
# Blacklist
#


@transaction.atomic
def blacklist_add(*, actor: User, school: School, name: str, reason: str, **fields: Any) -> BlacklistEntry:
    """Put someone on the gate's blacklist, with the reason the guard will see."""
    require_perm(actor, "visitors.add_blacklistentry")
    _required(name=name, reason=reason)
    values = {"school": school, "name": name.strip(), "reason": reason.strip(), **fields}
    return create_audited(actor=actor, model=BlacklistEntry, values=values)


@transaction.atomic
def blacklist_update(*, actor: User, entry: BlacklistEntry, **values: Any) -> BlacklistEntry:
    require_perm(actor, "visitors.change_blacklistentry")
    return update_audited(actor=actor, instance=lock(BlacklistEntry, entry.pk), values=values)


#
# Staff going out (校内人员外出登记)
#


@transaction.atomic
def outing_register(
    *,
    actor: User,
    school: School,
    person: Person,
    reason: str,
    approved_by: Person,
    out_at: dt.datetime | None = None,
    expected_back_at: dt.datetime | None = None,
) -> StaffOuting:
    """A member of staff goes out during working hours, with the leader who approved it."""
    require_perm(actor, "visitors.add_staffouting")
    _required(reason=reason)
    require_same_school(school, person=person, approved_by=approved_by)
    values = {
        "school": school,
        "person": person,
        "reason": reason.strip(),
        "approved_by": approved_by,
        "out_at": _now_or(out_at, "out_at"),
        "expected_back_at": expected_back_at,
        "registered_by": actor,
    }
    return create_audited(actor=actor, model=StaffOuting, values=values)


@transaction.atomic
def outing_return(*, actor: User, outing: StaffOuting, back_at: dt.datetime | None = None) -> StaffOuting:
    """The member of staff is back."""
    require_perm(actor, "visitors.change_staffouting")
    outing = lock(StaffOuting, outing.pk)
    if outing.back_at is not None:
        raise ValidationError(_(ALREADY_BACK) % {"time": f"{timezone.localtime(outing.back_at):%H:%M}"})
    return update_audited(actor=actor, instance=outing, values={"back_at": _now_or(back_at, "back_at")})


#
# Asset gate passes (出门证)
#


@transaction.atomic
def gatepass_request(
    *,
    actor: User,
    school: School,
    asset: Asset,
    reason: str,
    destination: str = "",
    expected_back_on: dt.date | None = None,
) -> GatePass:
    """Ask for a pass for an asset of this school to leave campus."""
    require_perm(actor, "visitors.add_gatepass")
    _required(reason=reason)
    require_same_school(school, asset=asset)
    if asset.disposed_on is not None:
        raise ValidationError({"asset": _(ASSET_DISPOSED)})
    out = GatePass.objects.filter(asset=asset, status=GatePassStatus.OUT).first()
    if out is not None:
        raise ValidationError({"asset": _(ASSET_ALREADY_OUT) % {"number": out.number}})
    values = {
        "school": school,
        "number": next_number(school=school, prefix="CM", year=timezone.localdate().year),
        "asset": asset,
        "reason": reason.strip(),
        "destination": destination.strip(),
        "expected_back_on": expected_back_on,
        "requested_by": actor,
    }
    return create_audited(actor=actor, model=GatePass, values=values)


def _decide(*, actor: User, row: Any, approve: bool, approved: str, refused: str, decided: str, own: str) -> Any:
    """Approve or refuse a request once, by someone other than the person who asked for it."""
    row = lock(type(row), row.pk)
    if row.status != GatePassStatus.REQUESTED:
        raise ValidationError(_(decided))
    if row.requested_by_id == actor.pk:
        raise ValidationError(_(own))
    values = {"status": approved if approve else refused, "approved_by": actor, "approved_at": timezone.now()}
    return update_audited(actor=actor, instance=row, values=values)


@transaction.atomic
def gatepass_decide(*, actor: User, gatepass: GatePass, approve: bool) -> GatePass:
    require_perm(actor, "visitors.approve_gatepass")
    return _decide(
        actor=actor,
        row=gatepass,
        approve=approve,
        approved=GatePassStatus.APPROVED,
        refused=GatePassStatus.REFUSED,
        decided=PASS_DECIDED,
        own=OWN_PASS,
    )


@transaction.atomic
def gatepass_check_out(*, actor: User, gatepass: GatePass) -> GatePass:
    """The guard lets the asset out: only on an approved pass."""
    require_perm(actor, "visitors.change_gatepass")
    gatepass = lock(GatePass, gatepass.pk)
    if gatepass.status != GatePassStatus.APPROVED:
        raise ValidationError(_(PASS_NOT_APPROVED) % {"status": gatepass.get_status_display()})
    values = {"status": GatePassStatus.OUT, "out_at": timezone.now()}
    return update_audited(actor=actor, instance=gatepass, values=values)


@transaction.atomic
def gatepass_check_back(*, actor: User, gatepass: GatePass) -> GatePass:
    require_perm(actor, "visitors.change_gatepass")
    gatepass = lock(GatePass, gatepass.pk)
    if gatepass.status != GatePassStatus.OUT:
        raise ValidationError(_(PASS_NOT_OUT))
    values = {"status": GatePassStatus.BACK, "back_at": timezone.now()}
    return update_audited(actor=actor, instance=gatepass, values=values)


#
# Outside vehicles (E6)
#


@transaction.atomic
def vehicle_request(*, actor: User, school: School, plate: str, driver: str, purpose: str) -> VehicleEntry:
    require_perm(actor, "visitors.add_vehicleentry")
    _required(plate=plate, driver=driver, purpose=purpose)
    values = {
        "school": school,
        "plate": plate.strip().upper(),
        "driver": driver.strip(),
        "purpose": purpose.strip(),
        "requested_by": actor,
    }
    return create_audited(actor=actor, model=VehicleEntry, values=values)


@transaction.atomic
def vehicle_decide(*, actor: User, entry: VehicleEntry, approve: bool) -> VehicleEntry:
    require_perm(actor, "visitors.approve_vehicleentry")
    return _decide(
        actor=actor,
        row=entry,
        approve=approve,
        approved=VehicleStatus.APPROVED,
        refused=VehicleStatus.REFUSED,
        decided=VEHICLE_DECIDED,
        own=OWN_VEHICLE,
    )


@transaction.atomic
def vehicle_let_in(*, actor: User, entry: VehicleEntry) -> VehicleEntry:
    """The guard opens the barrier: only for an approved entry."""
    require_perm(actor, "visitors.change_vehicleentry")
    entry = lock(VehicleEntry, entry.pk)
    if entry.status != VehicleStatus.APPROVED:
        raise ValidationError(_(VEHICLE_NOT_APPROVED))
    return update_audited(
        actor=actor, instance=entry, values={"status": VehicleStatus.IN, "entered_at": timezone.now()}
    )


@transaction.atomic
def vehicle_leave(*, actor: User, entry: VehicleEntry) -> VehicleEntry:
    require_perm(actor, "visitors.change_vehicleentry")
    entry = lock(VehicleEntry, entry.pk)
    if entry.status != VehicleStatus.IN:
        raise ValidationError(_(VEHICLE_NOT_IN))
    return update_audited(actor=actor, instance=entry, values={"status": VehicleStatus.OUT, "left_at": timezone.now()})


#
# Retention (G4)
#

PERSONAL_FIELDS = ("name", "phone", "id_tail", "organisation", "vehicle_plate", "anonymised_at")


@transaction.atomic
def visitors_purge(*, school: School, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Anonymise the visits older than the school's retention period ("visitors.retention_days"), except those
    linked to an incident: the name is masked, phone, document digits, organisation and plate are erased.
    The purge itself is audited. Returns how many visits were (or, with dry_run, would be) anonymised."""
    now = now or timezone.now()
    days = policy("visitors.retention_days", school=school, on=timezone.localtime(now).date())
    expired = Visit.objects.select_for_update().filter(
        school=school, entered_at__lt=now - dt.timedelta(days=days), incident_flag=False, anonymised_at__isnull=True
    )
    visits = list(expired)
    if dry_run or not visits:
        return len(visits)
    for visit in visits:
        visit.name = mask_name(visit.name)
        visit.phone = visit.id_tail = visit.organisation = visit.vehicle_plate = ""
        visit.anonymised_at = now
    Visit.objects.bulk_update(visits, PERSONAL_FIELDS, batch_size=500)
    audit.record(
        actor=None,
        action="visitors.visit.purged",
        school=school,
        changes={"anonymised": [None, len(visits)]},
        message=_("Visitor data older than %(days)s days anonymised: %(count)s visits.")
        % {"days": days, "count": len(visits)},
    )
    return len(visits)
