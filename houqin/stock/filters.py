import django_filters

from django import forms
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import Form
from houqin.stock.choices import ItemCategory, MovementKind, RequisitionStatus
from houqin.stock.models import Requisition, StockItem, StockMovement


class ItemFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(label=_("Category"), choices=ItemCategory.choices)
    low = django_filters.BooleanFilter(label=_("Low stock only"), method="filter_low", widget=forms.CheckboxInput)

    class Meta:
        form = Form
        model = StockItem
        fields = ["category"]

    def filter_low(self, queryset, name, value):
        from houqin.stock.selectors import low_stock

        return low_stock(queryset) if value else queryset


class MovementFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=MovementKind.choices)
    occurred_after = django_filters.DateFilter(label=_("From"), field_name="occurred_at", lookup_expr="date__gte")
    occurred_before = django_filters.DateFilter(label=_("To"), field_name="occurred_at", lookup_expr="date__lte")

    class Meta:
        form = Form
        model = StockMovement
        fields = ["kind"]


class RequisitionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RequisitionStatus.choices)

    class Meta:
        form = Form
        model = Requisition
        fields = ["status"]
