"""Reads of the organisation, always starting from visible_to(user)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet

from houqin.core.search import search
from houqin.orgs.models import Department, Person, Place, SchoolClass, Student, Tenant

if TYPE_CHECKING:
    from houqin.accounts.models import User


def _filtered(queryset: QuerySet, q: str | None, **filters: Any) -> QuerySet:
    queryset = queryset.filter(**{k: v for k, v in filters.items() if v not in (None, "")})
    return search(queryset, q) if q else queryset


def department_list(*, user: User, q: str | None = None, **filters: Any) -> QuerySet[Department]:
    departments = Department.objects.visible_to(user).annotate(people_count=Count("people")).order_by("name", "pk")
    return _filtered(departments, q, **filters)


def place_list(*, user: User, q: str | None = None, **filters: Any) -> QuerySet[Place]:
    return _filtered(Place.objects.visible_to(user), q, **filters)


def person_list(*, user: User, q: str | None = None, **filters: Any) -> QuerySet[Person]:
    return _filtered(Person.objects.visible_to(user).select_related("department"), q, **filters)


def class_list(*, user: User, q: str | None = None, **filters: Any) -> QuerySet[SchoolClass]:
    classes = SchoolClass.objects.visible_to(user).select_related("head_teacher", "classroom")
    counted = classes.annotate(student_count=Count("students")).order_by("grade", "number", "name", "pk")
    return _filtered(counted, q, **filters)


def student_list(*, user: User, q: str | None = None, **filters: Any) -> QuerySet[Student]:
    return _filtered(Student.objects.visible_to(user).select_related("school_class"), q, **filters)


def tenant_list(*, user: User, q: str | None = None, **filters: Any) -> QuerySet[Tenant]:
    return _filtered(Tenant.objects.visible_to(user).select_related("place"), q, **filters)
