import django_filters

from django import forms
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import Form
from houqin.safety.choices import HazardCategory, HazardLevel, HazardSource, HazardStatus
from houqin.safety.forms import DATE
from houqin.safety.models import Hazard, HazardCampaign, Inspection
from houqin.safety.selectors import overdue_only


class HazardFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=HazardStatus.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=HazardLevel.choices)
    source = django_filters.ChoiceFilter(label=_("Source"), choices=HazardSource.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=HazardCategory.choices)
    campaign = django_filters.ModelChoiceFilter(label=_("Special campaign"), queryset=HazardCampaign.objects.none())
    found_after = django_filters.DateFilter(
        label=_("Found from"), field_name="found_on", lookup_expr="gte", widget=DATE
    )
    found_before = django_filters.DateFilter(label=_("Found to"), field_name="found_on", lookup_expr="lte", widget=DATE)
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput)
    mine = django_filters.BooleanFilter(label=_("Assigned to me"), method="filter_mine", widget=forms.CheckboxInput)

    class Meta:
        form = Form
        model = Hazard
        fields = ["status", "level", "source", "category", "campaign"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["campaign"].queryset = HazardCampaign.objects.visible_to(request.user)

    def filter_overdue(self, queryset, name, value):
        return overdue_only(queryset) if value else queryset

    def filter_mine(self, queryset, name, value):
        user = self.request.user if self.request is not None else None
        return queryset.filter(responsible_id=user.person_id) if value and user is not None else queryset


class InspectionFilter(django_filters.FilterSet):
    performed_after = django_filters.DateFilter(
        label=_("From"), field_name="performed_on", lookup_expr="gte", widget=DATE
    )
    performed_before = django_filters.DateFilter(
        label=_("To"), field_name="performed_on", lookup_expr="lte", widget=DATE
    )
    failed = django_filters.BooleanFilter(label=_("With problems"), method="filter_failed", widget=forms.CheckboxInput)

    class Meta:
        form = Form
        model = Inspection
        fields = []

    def filter_failed(self, queryset, name, value):
        return queryset.filter(failed_count__gt=0) if value else queryset
