"""List filters of the canteen pages (django-filter)."""

from __future__ import annotations

import django_filters

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from houqin.canteen.choices import IncidentStatus
from houqin.canteen.models import FoodIncident, FridgeReading
from houqin.core.forms import DateInput, Form


class FridgeFilter(django_filters.FilterSet):
    fridge = django_filters.CharFilter(label=_("Fridge"), lookup_expr="icontains")
    day = django_filters.DateFilter(label=_("Day"), field_name="read_at", lookup_expr="date", widget=DateInput())
    out_of_range = django_filters.BooleanFilter(
        label=_("Out of range only"), method="filter_out_of_range", widget=forms.CheckboxInput
    )

    class Meta:
        form = Form
        model = FridgeReading
        fields: list[str] = []

    def filter_out_of_range(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(out_of_range=True) if value else queryset


class IncidentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=IncidentStatus.choices)

    class Meta:
        form = Form
        model = FoodIncident
        fields = ["status"]
