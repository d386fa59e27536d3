"""Input parsing for the canteen pages; rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.canteen.choices import Meal, Rectification
from houqin.canteen.models import (
    AccompaniedMeal,
    Disinfection,
    HealthCertificate,
    Menu,
    MenuDish,
    PreShiftCheck,
    Sample,
)
from houqin.core.forms import DateInput, Form, ServiceModelForm
from houqin.orgs.models import Person


def _people(user: Any) -> Any:
    return Person.objects.visible_to(user).filter(is_active=True)


def _current_meal() -> str:
    hour = timezone.localtime().hour
    return Meal.BREAKFAST if hour < 10 else Meal.LUNCH if hour < 15 else Meal.DINNER


class SampleForm(ServiceModelForm):
    """The canteen manager's phone form: the meal of the moment is preselected; the time is now."""

    class Meta:
        model = Sample
        fields = ["meal_date", "meal", "dish", "weight_g", "fridge", "taken_by"]
        widgets = {
            "meal_date": DateInput(),
            "dish": forms.TextInput(attrs={"autocomplete": "off", "list": "dishes"}),
            "weight_g": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        kwargs.setdefault("initial", {}).update({"meal_date": timezone.localdate(), "meal": _current_meal()})
        super().__init__(*args, user=user, **kwargs)
        self.fields["taken_by"].required = False


class AccompaniedForm(ServiceModelForm):
    class Meta:
        model = AccompaniedMeal
        fields = ["meal_date", "meal", "leader", "feedback", "rectification", "follow_up"]
        widgets = {
            "meal_date": DateInput(),
            "feedback": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        initial = {"meal_date": timezone.localdate(), "meal": _current_meal(), "rectification": Rectification.NONE}
        if user is not None and user.person_id:
            initial["leader"] = user.person_id
        kwargs.setdefault("initial", {}).update(initial)
        super().__init__(*args, user=user, **kwargs)
        self.fields["leader"].queryset = _people(user)


class MenuForm(ServiceModelForm):
    class Meta:
        model = Menu
        fields = ["title", "week_start", "event"]
        widgets = {"week_start": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)


class DishForm(ServiceModelForm):
    class Meta:
        model = MenuDish
        fields = ["day", "meal", "name", "portion_g", "allergens", "vegetarian"]
        widgets = {"day": DateInput()}


class ReplyForm(Form):
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    close = forms.BooleanField(label=_("Close"), required=False)


class PublicFeedbackForm(Form):
    """The parents' form; `website` is a honeypot that people never see and bots fill in."""

    dish = forms.ModelChoiceField(label=_("Dish"), queryset=MenuDish.objects.none(), required=False)
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    contact = forms.CharField(label=_("Phone (optional)"), max_length=50, required=False)
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args: Any, menu: Menu, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["dish"].queryset = menu.dishes.all()
        self.fields["dish"].label_from_instance = lambda d: f"{d.day:%m-%d} {d.get_meal_display()} {d.name}"


class CheckForm(ServiceModelForm):
    class Meta:
        model = PreShiftCheck
        fields = ["person", "fever", "diarrhoea", "skin_wound", "sore_throat", "other"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, user=user, **kwargs)
        self.fields["person"].queryset = _people(user)


class CertificateForm(ServiceModelForm):
    class Meta:
        model = HealthCertificate
        fields = ["person", "number", "issued_on"]
        widgets = {"issued_on": DateInput()}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, user=user, **kwargs)
        self.fields["person"].queryset = _people(user)


class DisinfectionForm(ServiceModelForm):
    class Meta:
        model = Disinfection
        fields = ["method", "temperature_c", "chlorine_mg_l", "duration_s", "items", "operator"]
        widgets = {
            "temperature_c": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "chlorine_mg_l": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "duration_s": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
