"""Reads at the gate, always from visible_to(user) (the blacklist match runs inside the registering service)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from houqin.core.search import search
from houqin.visitors.models import BlacklistEntry, GatePass, StaffOuting, VehicleEntry, Visit

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import School


def visit_list(*, user: User, q: str | None = None, **filters: Any) -> QuerySet[Visit]:
    visits = Visit.objects.visible_to(user).select_related("host", "school")
    visits = visits.filter(**{k: v for k, v in filters.items() if v not in (None, "")})
    if q:
        visits = visits.filter(Q(name__icontains=q) | Q(purpose__icontains=q) | Q(host__name__icontains=q))
    return visits


def on_campus(*, user: User) -> QuerySet[Visit]:
    """Visitors in and not yet out, oldest entry first."""
    return visit_list(user=user).filter(left_at__isnull=True).order_by("entered_at", "id")


def blacklist_matches(*, school: School, name: str, phone: str = "", id_tail: str = "") -> list[BlacklistEntry]:
    """Active entries with the same phone, or the same name (and, when both are known, the same ID digits)."""
    name, phone, id_tail = name.strip(), phone.strip(), id_tail.strip().upper()
    same_person = Q(name=name)
    if id_tail:
        same_person &= Q(id_tail="") | Q(id_tail__iexact=id_tail)
    condition = same_person | Q(phone=phone) if phone else same_person
    return list(BlacklistEntry.objects.filter(school=school, is_active=True).filter(condition))


def blacklist(*, user: User, q: str | None = None) -> QuerySet[BlacklistEntry]:
    entries = BlacklistEntry.objects.visible_to(user)
    return search(entries, q) if q else entries


def outings(*, user: User, out_only: bool = False) -> QuerySet[StaffOuting]:
    rows = StaffOuting.objects.visible_to(user).select_related("person", "approved_by")
    return rows.filter(back_at__isnull=True) if out_only else rows


def gatepasses(*, user: User) -> QuerySet[GatePass]:
    return GatePass.objects.visible_to(user).select_related("asset", "requested_by", "approved_by")


def vehicles(*, user: User) -> QuerySet[VehicleEntry]:
    return VehicleEntry.objects.visible_to(user).select_related("requested_by", "approved_by")
