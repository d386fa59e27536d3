"""Input parsing for the organisation pages; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms

from houqin.core.forms import ModelForm
from houqin.orgs.models import Department, Person, Place, SchoolClass, Student, Tenant


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
        widgets = {"left_on": forms.DateInput(attrs={"type": "date"}), "phone": forms.TextInput(attrs={"type": "tel"})}

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
        fields = ["name", "kind", "contact_name", "contact_phone", "place", "notes", "is_active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "contact_phone": forms.TextInput(attrs={"type": "tel"})}
