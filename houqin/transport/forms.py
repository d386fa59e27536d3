"""Input parsing for the school-bus pages; rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import DateInput, Form, ServiceModelForm
from houqin.orgs.models import Person, Place, Student
from houqin.transport.choices import Direction
from houqin.transport.models import BusDrill, Driver, Route, Vehicle

DATES = ("sign_valid_until", "last_inspection_on", "insurance_until", "kit_checked_on")


class VehicleForm(ServiceModelForm):
    class Meta:
        model = Vehicle
        fields = ["plate", "seats", "model_name", "operator", *DATES, "gps_ok", "is_active"]
        widgets = dict.fromkeys(DATES, DateInput())


class DriverForm(ServiceModelForm):
    class Meta:
        model = Driver
        fields = [
            "name",
            "person",
            "birth_date",
            "licence_since",
            "has_endorsement",
            "annual_review_until",
            "phone",
            "is_active",
        ]
        widgets = dict.fromkeys(("birth_date", "licence_since", "annual_review_until"), DateInput())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user).filter(is_active=True)


class RouteForm(ServiceModelForm):
    class Meta:
        model = Route
        fields = ["name", "vehicle", "driver", "trip_number", "is_outsourced", "provider", "agreement_filed_on"]
        widgets = {"agreement_filed_on": DateInput()}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["vehicle"].queryset = Vehicle.objects.visible_to(user).filter(is_active=True)
        self.fields["driver"].queryset = Driver.objects.visible_to(user).filter(is_active=True)


class TripForm(Form):
    route = forms.ModelChoiceField(label=_("Route"), queryset=Route.objects.none())
    date = forms.DateField(label=_("Date"), widget=DateInput())
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    attendant = forms.ModelChoiceField(label=_("Attendant"), queryset=Person.objects.none())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, user=user, **kwargs)
        self.fields["route"].queryset = Route.objects.visible_to(user).filter(is_active=True)
        self.fields["attendant"].queryset = Person.objects.visible_to(user).filter(is_active=True)


class WaitingForm(Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    room = forms.ModelChoiceField(label=_("Room"), queryset=Place.objects.none())
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=Person.objects.none())
    route = forms.ModelChoiceField(label=_("Second-trip route"), queryset=Route.objects.none(), required=False)
    students = forms.ModelMultipleChoiceField(label=_("Students"), queryset=Student.objects.none())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, user=user, **kwargs)
        self.fields["room"].queryset = Place.objects.visible_to(user).filter(is_active=True)
        self.fields["teacher"].queryset = Person.objects.visible_to(user).filter(is_active=True)
        self.fields["route"].queryset = Route.objects.visible_to(user).filter(trip_number=2)
        self.fields["students"].queryset = Student.objects.visible_to(user).filter(is_active=True)


class DrillForm(ServiceModelForm):
    class Meta:
        model = BusDrill
        fields = ["held_on", "route", "vehicle", "participants", "notes"]
        widgets = {"held_on": DateInput()}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, user=user, **kwargs)
        self.fields["route"].queryset = Route.objects.visible_to(user)
        self.fields["vehicle"].queryset = Vehicle.objects.visible_to(user)
