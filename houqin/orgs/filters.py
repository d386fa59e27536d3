"""List filters of the organisation pages. Every choice of a row comes from visible_to(user)."""

from __future__ import annotations

from typing import Any

import django_filters

from django.utils.translation import gettext_lazy as _

from houqin.core.forms import Form
from houqin.orgs.choices import PersonKind, PlaceKind, PlaceUse, Sex, TenantKind
from houqin.orgs.models import Department, Person, Place, School, SchoolClass, Student, Tenant


def visible(model: Any, **filters: Any) -> Any:
    """A queryset callable for ModelChoiceFilter: the rows of `model` the requesting user may see."""

    def rows(request: Any) -> Any:
        return model.objects.visible_to(request.user).filter(**filters)

    rows.model = model  # type: ignore[attr-defined]
    return rows


class ScopedFilterSet(django_filters.FilterSet):
    """Filters with a school choice for bureau staff (school staff see one school, so it is dropped)."""

    school = django_filters.ModelChoiceFilter(label=_("School"), queryset=visible(School))
    is_active = django_filters.BooleanFilter(label=_("In use"))

    class Meta:
        form = Form  # Bootstrap classes on the filter widgets

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any):
        super().__init__(*args, request=request, **kwargs)
        if request is None or request.user.school_id is not None:
            self.filters.pop("school", None)
        else:
            self._narrow_to_chosen_school()

    def _narrow_to_chosen_school(self) -> None:
        """For bureau staff, choices of one school's rows (departments, places…) appear once a school is chosen,
        and only that school's: a district's thousands of departments make no useful drop-down."""
        school_id = (self.data or {}).get("school", "")
        for name, field in list(self.filters.items()):
            rows = getattr(field, "queryset", None)
            if not isinstance(field, django_filters.ModelChoiceFilter) or getattr(rows, "model", School) is School:
                continue
            if not str(school_id).isdigit():
                self.filters.pop(name)
                continue
            field.queryset = lambda request, rows=rows, school_id=int(school_id): rows(request).filter(
                school_id=school_id
            )


class DepartmentFilter(ScopedFilterSet):
    class Meta(ScopedFilterSet.Meta):
        model = Department
        fields: list[str] = []


class PlaceFilter(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PlaceKind.choices)
    use = django_filters.ChoiceFilter(label=_("Use"), choices=PlaceUse.choices)
    parent = django_filters.ModelChoiceFilter(
        label=_("Inside"),
        queryset=visible(Place, kind__in=[PlaceKind.CAMPUS, PlaceKind.BUILDING, PlaceKind.FLOOR]),
        method="filter_inside",
    )

    class Meta(ScopedFilterSet.Meta):
        model = Place
        fields: list[str] = []

    def filter_inside(self, queryset: Any, name: str, value: Place) -> Any:
        """Everything under the chosen place, at any depth (the tree is kept in full_name)."""
        return queryset.filter(full_name__startswith=f"{value.full_name} / ")


class PersonFilter(ScopedFilterSet):
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=visible(Department))
    kind = django_filters.ChoiceFilter(label=_("Employment"), choices=PersonKind.choices)
    is_active = django_filters.BooleanFilter(label=_("On staff"))

    class Meta(ScopedFilterSet.Meta):
        model = Person
        fields: list[str] = []


class SchoolClassFilter(ScopedFilterSet):
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=[(g, g) for g in range(1, 13)])
    no_head_teacher = django_filters.BooleanFilter(
        label=_("Without a head teacher"), field_name="head_teacher", lookup_expr="isnull"
    )

    class Meta(ScopedFilterSet.Meta):
        model = SchoolClass
        fields: list[str] = []


class StudentFilter(ScopedFilterSet):
    school_class = django_filters.ModelChoiceFilter(label=_("Class"), queryset=visible(SchoolClass))
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices)
    is_active = django_filters.BooleanFilter(label=_("Enrolled"))

    class Meta(ScopedFilterSet.Meta):
        model = Student
        fields: list[str] = []


class TenantFilter(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=TenantKind.choices)

    class Meta(ScopedFilterSet.Meta):
        model = Tenant
        fields: list[str] = []
