"""Input parsing for the gate pages; rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from houqin.assets.models import Asset
from houqin.core.forms import DateInput, Form, ServiceModelForm
from houqin.orgs.models import Person
from houqin.visitors.models import BlacklistEntry, GatePass, StaffOuting, VehicleEntry, Visit


def _people(user: Any) -> Any:
    return Person.objects.visible_to(user).filter(is_active=True)


class VisitForm(ServiceModelForm):
    """The guard's form, in the order things happen at the gate; the blacklist tick appears after a warning."""

    blacklist_acknowledged = forms.BooleanField(label=_("I have checked: let this visitor in"), required=False)

    class Meta:
        model = Visit
        fields = [
            "name",
            "phone",
            "purpose",
            "host",
            "host_confirmed_by",
            "id_type",
            "id_tail",
            "party_size",
            "organisation",
            "vehicle_plate",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "id_tail": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 6}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, user=user, **kwargs)
        self.blacklist_warning = False
        self.fields["host"].queryset = _people(user)
        self.fields["party_size"].required = False
        # Left to the service, which says why: the host must confirm by phone first.
        self.fields["host_confirmed_by"].required = False

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["party_size"] = data.get("party_size") or 1
        return data


class FlagForm(Form):
    note = forms.CharField(label=_("Incident"), max_length=300)


class BlacklistForm(ServiceModelForm):
    class Meta:
        model = BlacklistEntry
        fields = ["name", "phone", "id_tail", "reason", "is_active"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk is None:
            del self.fields["is_active"]


class OutingForm(ServiceModelForm):
    class Meta:
        model = StaffOuting
        fields = ["person", "reason", "approved_by", "expected_back_at"]
        widgets = {"expected_back_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, user=user, **kwargs)
        self.fields["person"].queryset = _people(user)
        self.fields["approved_by"].queryset = _people(user)


class GatePassForm(ServiceModelForm):
    class Meta:
        model = GatePass
        fields = ["asset", "reason", "destination", "expected_back_on"]
        widgets = {"expected_back_on": DateInput()}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, user=user, **kwargs)
        self.fields["asset"].queryset = Asset.objects.visible_to(user).filter(disposed_on__isnull=True)


class VehicleForm(ServiceModelForm):
    class Meta:
        model = VehicleEntry
        fields = ["plate", "driver", "purpose"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, user=user, **kwargs)
