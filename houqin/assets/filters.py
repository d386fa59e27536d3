"""List filters of the asset pages; every choice comes from visible_to(user)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import django_filters

from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from houqin.assets import categories
from houqin.assets.choices import AssetClass, AssetStatus, DisposalStatus, TransferStatus
from houqin.assets.models import Asset, Disposal, Transfer
from houqin.orgs.filters import ScopedFilterSet, visible
from houqin.orgs.models import Department, Person, Place


class FastSelect(forms.Select):
    """A select written in one pass of Python: the register's filters list hundreds of rooms and staff, and a model
    instance and a template per option took most of the page's time. Model choices come from one `values_list`
    query, labelled by the first non-empty of `label_fields` as the models' __str__ does."""

    def __init__(self, *args: Any, label_fields: tuple[str, ...] = ("name",), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.label_fields = label_fields

    def _option_pairs(self) -> Iterable[tuple[Any, Any]]:
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return self.choices
        empty_label = self.choices.field.empty_label
        rows = queryset.values_list("pk", *self.label_fields)
        labelled = ((pk, next((label for label in labels if label), "")) for pk, *labels in rows)
        return itertools.chain([("", empty_label)] if empty_label is not None else [], labelled)

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        chosen = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) == chosen else ""}>{escape(str(label))}</option>'
            for key, label in self._option_pairs()
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')


TOP_CLASSES = [(code, f"{code} {c.name}") for code, c in sorted(categories.CATEGORIES.items()) if len(code) == 3]


class AssetFilter(ScopedFilterSet):
    asset_class = django_filters.ChoiceFilter(label=_("Asset class"), choices=AssetClass.choices, widget=FastSelect)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssetStatus.choices, widget=FastSelect)
    category = django_filters.ChoiceFilter(
        label=_("Class"), choices=TOP_CLASSES, method="filter_category", widget=FastSelect
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=visible(Department), widget=FastSelect
    )
    place = django_filters.ModelChoiceFilter(
        label=_("Place"),
        queryset=visible(Place),
        method="filter_place",
        widget=FastSelect(label_fields=("full_name", "name")),
    )
    custodian = django_filters.ModelChoiceFilter(
        label=_("Custodian"), queryset=visible(Person, is_active=True), widget=FastSelect
    )
    custodian_left = django_filters.BooleanFilter(
        label=_("Custodian has left"), method="filter_custodian_left", widget=django_filters.widgets.BooleanWidget
    )

    class Meta(ScopedFilterSet.Meta):
        model = Asset
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.filters.pop("is_active", None)

    def filter_category(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(category_code__startswith=value)

    def filter_custodian_left(self, queryset: Any, name: str, value: bool | None) -> Any:
        """Cards whose custodian has left (to hand over), or whose custodian is on staff."""
        if value is None:
            return queryset
        left = Q(custodian__is_active=False) | Q(custodian__left_on__isnull=False)
        return queryset.filter(left) if value else queryset.exclude(left)

    def filter_place(self, queryset: Any, name: str, value: Place) -> Any:
        """Assets in the place or anywhere inside it."""
        return queryset.filter(Q(place=value) | Q(place__full_name__startswith=f"{value.full_name} / "))


class TransferFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TransferStatus.choices)

    class Meta(ScopedFilterSet.Meta):
        model = Transfer
        fields: list[str] = []


class DisposalFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DisposalStatus.choices)

    class Meta(ScopedFilterSet.Meta):
        model = Disposal
        fields: list[str] = []
