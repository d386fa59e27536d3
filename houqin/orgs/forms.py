"""Input parsing for the organisation pages; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import DateInput, Form, ModelForm
from houqin.core.policies import POLICIES
from houqin.orgs.models import Department, Person, Place, School, SchoolClass, Semester, Student, Tenant


class SchoolModelForm(ModelForm):
    """A model form whose every ForeignKey offers only rows of the user's school (visible_to)."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                queryset = field.queryset.model.objects.visible_to(user)
                field.queryset = self.limit_choices(field, queryset)

    def limit_choices(self, field: forms.ModelChoiceField, queryset: Any) -> Any:
        return queryset

    def active_or_current(self, queryset: Any, name: str) -> Any:
        """Active rows, plus the one already chosen (so an old value is not lost on edit)."""
        current = getattr(self.instance, f"{name}_id", None)
        return queryset.filter(is_active=True) | queryset.filter(pk=current)


class DepartmentForm(SchoolModelForm):
    class Meta:
        model = Department
        fields = ["name", "is_active"]


class PlaceForm(SchoolModelForm):
    class Meta:
        model = Place
        fields = ["name", "parent", "kind", "use", "code", "is_active"]

    def limit_choices(self, field: forms.ModelChoiceField, queryset: Any) -> Any:
        # Rooms and areas hold nothing; a place cannot be inside itself (the service checks deeper cycles).
        queryset = queryset.exclude(kind__in=["room", "area"])
        return queryset.exclude(pk=self.instance.pk) if self.instance.pk else queryset


class PersonForm(SchoolModelForm):
    class Meta:
        model = Person
        fields = ["name", "department", "kind", "sex", "job_title", "phone", "staff_no", "is_active", "left_on"]
        widgets = {"left_on": DateInput(), "phone": forms.TextInput(attrs={"type": "tel"})}

    def limit_choices(self, field: forms.ModelChoiceField, queryset: Any) -> Any:
        return self.active_or_current(queryset, "department")


class SchoolClassForm(SchoolModelForm):
    class Meta:
        model = SchoolClass
        fields = ["name", "grade", "number", "head_teacher", "classroom", "is_active"]

    def limit_choices(self, field: forms.ModelChoiceField, queryset: Any) -> Any:
        name = "head_teacher" if queryset.model is Person else "classroom"
        return self.active_or_current(queryset, name)


class StudentForm(SchoolModelForm):
    class Meta:
        model = Student
        fields = ["name", "school_class", "sex", "student_no", "guardian_phone", "is_active"]
        widgets = {"guardian_phone": forms.TextInput(attrs={"type": "tel"})}

    def limit_choices(self, field: forms.ModelChoiceField, queryset: Any) -> Any:
        return self.active_or_current(queryset, "school_class")


class TenantForm(SchoolModelForm):
    class Meta:
        model = Tenant
        fields = [
            "name",
            "kind",
            "contact_name",
            "contact_phone",
            "place",
            "food_licence_no",
            "healthy_food_commitment",
            "notes",
            "is_active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "contact_phone": forms.TextInput(attrs={"type": "tel"})}


class SemesterForm(ModelForm):
    class Meta:
        model = Semester
        fields = ["name", "starts_on", "ends_on"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.instance.district = getattr(user, "district", None)  # for the unique-name check of full_clean


class PolicyForm(Form):
    """A new value of a place-dependent rule, from a date, for the district or one of its schools."""

    key = forms.ChoiceField(label=_("Rule"))
    value = forms.CharField(label=_("Value"), max_length=50)
    effective_from = forms.DateField(label=_("Effective from"), widget=DateInput())
    school = forms.ModelChoiceField(
        label=_("Only for school"), queryset=None, required=False, empty_label=_("Whole district")
    )
    source = forms.CharField(label=_("Source (document and article)"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["key"].choices = [(key, policy.label) for key, policy in POLICIES.items()]
        self.fields["school"].queryset = School.objects.visible_to(user)
