"""Input parsing for the security pages; rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from houqin.assets.models import Asset
from houqin.core.forms import DateInput, Form, ServiceModelForm
from houqin.orgs.models import Person, Place
from houqin.security.choices import CheckResult
from houqin.security.models import (
    Camera,
    FireInspection,
    FirePatrol,
    FireSystemTest,
    FootageRequest,
    GateEquipment,
    GuardShift,
    VettingCheck,
)


def _people(user: Any) -> Any:
    return Person.objects.visible_to(user).filter(is_active=True)


def _places(user: Any) -> Any:
    return Place.objects.visible_to(user).filter(is_active=True)


class CreateForm(ServiceModelForm):
    """A form that only creates: the view's object (if any) is not the row being edited."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)


class RouteForm(Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    is_key_area = forms.BooleanField(label=_("Key area"), required=False)
    is_dorm_night = forms.BooleanField(label=_("Dorm night patrol"), required=False)
    places = forms.ModelMultipleChoiceField(
        label=_("Places on the route"), queryset=Place.objects.none(), required=False
    )
    points = forms.CharField(
        label=_("Other checkpoints"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, in walking order, after the places."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = _places(self.user)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        checkpoints = [(place, "") for place in data["places"]]
        checkpoints += [(None, line.strip()) for line in data["points"].splitlines() if line.strip()]
        return {
            "name": data["name"],
            "is_key_area": data["is_key_area"],
            "is_dorm_night": data["is_dorm_night"],
            "checkpoints": checkpoints,
        }


class TickForm(Form):
    checkpoint = forms.IntegerField()
    result = forms.ChoiceField(choices=CheckResult.choices)
    note = forms.CharField(max_length=300, required=False)


class ShiftForm(CreateForm):
    class Meta:
        model = GuardShift
        fields = ["person", "day", "starts", "ends"]
        widgets = {
            "day": DateInput(),
            "starts": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["person"].queryset = _people(user)


class VettingForm(CreateForm):
    class Meta:
        model = VettingCheck
        fields = ["person", "checked_on", "result", "note"]
        widgets = {"checked_on": DateInput()}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["person"].queryset = _people(user)


class CameraForm(CreateForm):
    class Meta:
        model = Camera
        fields = ["name", "place", "covers", "retention_days"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["place"].queryset = _places(user)


class NoteForm(Form):
    note = forms.CharField(label=_("What is wrong"), max_length=200)


class FootageForm(CreateForm):
    class Meta:
        model = FootageRequest
        fields = ["kind", "purpose", "period_from", "period_to"]
        widgets = {
            "period_from": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "period_to": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }


class FirePatrolForm(CreateForm):
    class Meta:
        model = FirePatrol
        fields = ["day", "all_clear", "note"]
        widgets = {"day": DateInput()}


class FireInspectionForm(CreateForm):
    class Meta:
        model = FireInspection
        fields = ["inspected_on", "inspector", "department_head", "findings"]
        widgets = {"inspected_on": DateInput(), "findings": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["inspector"].queryset = _people(user)
        self.fields["department_head"].queryset = _people(user)


class FireTestForm(CreateForm):
    class Meta:
        model = FireSystemTest
        fields = ["year", "tested_on", "company", "report"]
        widgets = {"tested_on": DateInput()}


class EquipmentForm(CreateForm):
    class Meta:
        model = GateEquipment
        fields = ["asset", "kind", "check_every_days"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["asset"].queryset = Asset.objects.visible_to(user).filter(disposed_on__isnull=True)
