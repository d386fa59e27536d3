"""List filters of the asset pages; every choice comes from visible_to(user)."""

from __future__ import annotations

from typing import Any

import django_filters

from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from houqin.assets import categories
from houqin.assets.choices import AssetClass, AssetStatus, DisposalStatus, TransferStatus
from houqin.assets.models import Asset, Disposal, Transfer
from houqin.orgs.filters import ScopedFilterSet, visible
from houqin.orgs.models import Department, Person, Place


class FastSelect(forms.Select):
    """A select whose options are written in Python rather than one template each: the register's filters list
    hundreds of rooms and staff, which otherwise took most of the page's time."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if option["value"] is None else option["value"],
                    " selected" if option["selected"] else "",
                    option["label"],
                )
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


TOP_CLASSES = [(code, f"{code} {c.name}") for code, c in sorted(categories.CATEGORIES.items()) if len(code) == 3]


class AssetFilter(ScopedFilterSet):
    asset_class = django_filters.ChoiceFilter(label=_("Asset class"), choices=AssetClass.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssetStatus.choices)
    category = django_filters.ChoiceFilter(label=_("Class"), choices=TOP_CLASSES, method="filter_category")
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=visible(Department), widget=FastSelect
    )
    place = django_filters.ModelChoiceFilter(
        label=_("Place"), queryset=visible(Place), method="filter_place", widget=FastSelect
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
