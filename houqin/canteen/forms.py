"""Input parsing for the canteen pages; rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.canteen.choices import IncidentStatus, Meal, PurchaseKind, Rectification
from houqin.canteen.models import (
    AccompaniedMeal,
    CommitteeMember,
    Disinfection,
    FoodIncident,
    FridgeReading,
    HealthCertificate,
    MealCount,
    Menu,
    MenuDish,
    ParentMeal,
    PreShiftCheck,
    PriceChange,
    Sample,
    SatisfactionSurvey,
)
from houqin.core.forms import DateInput, Form, ServiceModelForm
from houqin.orgs.models import Person, SchoolClass, Semester, Tenant
from houqin.procurement.models import Supplier


def _people(user: Any) -> Any:
    return Person.objects.visible_to(user).filter(is_active=True)


def _choices(form: Any, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


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
        _choices(self, "leader").queryset = _people(user)


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
        dish = _choices(self, "dish")
        dish.queryset = menu.dishes.all()
        dish.label_from_instance = lambda d: f"{d.day:%m-%d} {d.get_meal_display()} {d.name}"  # type: ignore[method-assign,assignment]


class CheckForm(ServiceModelForm):
    class Meta:
        model = PreShiftCheck
        fields = ["person", "fever", "diarrhoea", "skin_wound", "sore_throat", "other"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, user=user, **kwargs)
        _choices(self, "person").queryset = _people(user)


class CertificateForm(ServiceModelForm):
    class Meta:
        model = HealthCertificate
        fields = ["person", "number", "issued_on"]
        widgets = {"issued_on": DateInput()}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, user=user, **kwargs)
        _choices(self, "person").queryset = _people(user)


class DisinfectionForm(ServiceModelForm):
    class Meta:
        model = Disinfection
        fields = ["method", "temperature_c", "chlorine_mg_l", "duration_s", "items", "operator"]
        labels = {"temperature_c": _("Temperature reading (°C)")}
        widgets = {
            "temperature_c": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "chlorine_mg_l": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "duration_s": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (ISO value, minutes)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _now_minutes() -> Any:
    return timezone.localtime().replace(second=0, microsecond=0)


#
# Purchase inspection (C8–C9)
#


class SupplierChoiceField(forms.ModelChoiceField):
    """Suppliers named with their licence's expiry, which the inspection checks against the purchase date."""

    def label_from_instance(self, obj: Any) -> str:
        if obj.licence_expires_on:
            return f"{obj.name}（{_('licence until')} {obj.licence_expires_on:%Y-%m-%d}）"
        return f"{obj.name}（{_('no licence on record')}）"


class DeliveryForm(Form):
    """The delivery's head: supplier (its licence is checked on the purchase date), date and inspectors."""

    supplier = SupplierChoiceField(label=_("Supplier"), queryset=Supplier.objects.none())
    purchased_on = forms.DateField(label=_("Purchase date"), widget=DateInput())
    inspector = forms.ModelChoiceField(label=_("Inspector"), queryset=Person.objects.none())
    second_inspector = forms.ModelChoiceField(
        label=_("Second inspector"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Required when a line is a bulk ingredient: two different people inspect it."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("purchased_on", timezone.localdate())
        if user is not None and user.person_id:
            initial.setdefault("inspector", user.person_id)
        super().__init__(*args, user=user, **kwargs)
        suppliers = Supplier.objects.visible_to(user).filter(is_active=True) if user else Supplier.objects.none()
        supplier_field = self.fields["supplier"]
        assert isinstance(supplier_field, forms.ModelChoiceField)
        supplier_field.queryset = suppliers
        for name in ("inspector", "second_inspector"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = _people(user)


class DeliveryLineForm(Form):
    """One food of the delivery; a row left empty is skipped."""

    name = forms.CharField(label=_("Food"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=PurchaseKind.choices, initial=PurchaseKind.PREPACKAGED)
    spec = forms.CharField(label=_("Specification"), max_length=50, required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=12, decimal_places=3, min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )  # fmt: skip
    unit = forms.CharField(label=_("Unit"), max_length=10, initial="kg")
    batch = forms.CharField(label=_("Batch"), max_length=50, required=False)
    production_date = forms.DateField(label=_("Production date"), required=False, widget=DateInput())
    shelf_life_days = forms.IntegerField(
        label=_("Shelf life (days)"), min_value=1, max_value=36500, required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    certificate = forms.CharField(label=_("Certificate or quarantine reference"), max_length=100, required=False)


DeliveryLineFormSet = forms.formset_factory(DeliveryLineForm, extra=3, max_num=50, validate_max=True)


def delivery_lines(formset: Any) -> list[tuple[int, dict[str, Any]]]:
    """(form index, line values) of the filled-in rows, in order."""
    return [
        (index, dict(form.cleaned_data))
        for index, form in enumerate(formset.forms)
        if getattr(form, "cleaned_data", None) and form.cleaned_data.get("name")
    ]


#
# Fridge readings (C4), parent 陪餐, meal counts and prices (C14), incidents (C15)
#


class FridgeForm(ServiceModelForm):
    class Meta:
        model = FridgeReading
        fields = ["fridge", "celsius", "read_at"]
        labels = {"celsius": _("Temperature reading (°C)")}
        widgets = {
            "fridge": forms.TextInput(attrs={"autocomplete": "off", "list": "fridges"}),
            "celsius": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
            "read_at": DateTimeInput(),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        kwargs.setdefault("initial", {}).setdefault("read_at", _now_minutes())
        super().__init__(*args, user=user, **kwargs)
        self.fields["read_at"].required = False


class ParentMealForm(ServiceModelForm):
    class Meta:
        model = ParentMeal
        fields = ["parent_name", "school_class", "meal_date", "meal", "price_paid", "feedback", "school_response"]
        widgets = {
            "meal_date": DateInput(),
            "price_paid": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": 0}),
            "feedback": forms.Textarea(attrs={"rows": 3}),
            "school_response": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        kwargs.setdefault("initial", {}).update({"meal_date": timezone.localdate(), "meal": Meal.LUNCH})
        super().__init__(*args, user=user, **kwargs)
        field = self.fields["school_class"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = SchoolClass.objects.visible_to(user).filter(is_active=True).order_by("grade", "number", "id")


class MealCountForm(ServiceModelForm):
    class Meta:
        model = MealCount
        fields = ["month", "tenant", "diners", "meals", "unit_price", "offset_against_rent"]
        widgets = {
            "month": DateInput(),
            "diners": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "meals": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "unit_price": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": 0}),
        }
        help_texts = {"tenant": _("Leave empty for the school's own staff.")}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        kwargs.setdefault("initial", {}).setdefault("month", timezone.localdate().replace(day=1))
        super().__init__(*args, user=user, **kwargs)
        field = self.fields["tenant"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Tenant.objects.visible_to(user).filter(is_active=True)


class PriceChangeForm(ServiceModelForm):
    class Meta:
        model = PriceChange
        fields = ["meal", "new_price", "effective_on", "published_on", "decision_record"]
        widgets = {
            "new_price": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": 0}),
            "effective_on": DateInput(),
            "published_on": DateInput(),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        kwargs.setdefault("initial", {}).update({"meal": Meal.LUNCH, "published_on": timezone.localdate()})
        super().__init__(*args, user=user, **kwargs)


class IncidentForm(ServiceModelForm):
    class Meta:
        model = FoodIncident
        fields = ["meal_date", "meal", "occurred_at", "description", "affected", "samples_secured"]
        widgets = {
            "meal_date": DateInput(),
            "occurred_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "affected": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        initial = {"meal_date": timezone.localdate(), "meal": _current_meal(), "occurred_at": _now_minutes()}
        kwargs.setdefault("initial", {}).update(initial)
        super().__init__(*args, user=user, **kwargs)


class IncidentUpdateForm(Form):
    """The follow-up of an incident: the report time to the authorities, samples secured, the status."""

    status = forms.ChoiceField(label=_("Status"), choices=IncidentStatus.choices)
    reported_at = forms.DateTimeField(
        label=_("Reported to the authorities at"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("County food-safety regulator, health and education authorities."),
    )
    samples_secured = forms.BooleanField(label=_("Samples secured"), required=False)

    def __init__(self, *args: Any, instance: FoodIncident | None = None, **kwargs: Any):
        if instance is not None:
            initial = kwargs.setdefault("initial", {})
            initial.update(
                {
                    "status": instance.status,
                    "reported_at": timezone.localtime(instance.reported_at) if instance.reported_at else None,
                    "samples_secured": instance.samples_secured,
                }
            )
        super().__init__(*args, instance=instance, **kwargs)


#
# Governance (C13)
#


class SurveyForm(ServiceModelForm):
    class Meta:
        model = SatisfactionSurvey
        fields = ["semester", "held_on", "respondents", "satisfied", "summary"]
        widgets = {
            "held_on": DateInput(),
            "respondents": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "satisfied": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any = None, semester: Semester | None = None, **kwargs: Any):
        kwargs.pop("instance", None)
        kwargs.setdefault("initial", {}).update({"held_on": timezone.localdate(), "semester": semester})
        super().__init__(*args, user=user, **kwargs)
        _choices(self, "semester").queryset = Semester.objects.visible_to(user)


class CommitteeMemberForm(ServiceModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["semester", "name", "school_class", "phone", "declared_on", "interests"]
        widgets = {"declared_on": DateInput(), "phone": forms.TextInput(attrs={"inputmode": "tel"})}

    def __init__(self, *args: Any, user: Any = None, semester: Semester | None = None, **kwargs: Any):
        kwargs.pop("instance", None)
        kwargs.setdefault("initial", {}).update({"semester": semester, "declared_on": timezone.localdate()})
        super().__init__(*args, user=user, **kwargs)
        _choices(self, "semester").queryset = Semester.objects.visible_to(user)
        classes = SchoolClass.objects.visible_to(user).filter(is_active=True).order_by("grade", "number", "id")
        _choices(self, "school_class").queryset = classes
