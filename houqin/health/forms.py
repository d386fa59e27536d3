"""Input parsing for the health pages; rules live in services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import DateInput, Form, ServiceModelForm
from houqin.health.choices import Assessment, Outcome, Reason, Session, Symptom
from houqin.health.models import DisinfectionRecord, DisinfectionSchedule
from houqin.orgs.models import Department, Person, Place, SchoolClass, Semester, Student

# What the head teacher picks for a listed student: absent with a reason, or present but unwell.
ENTRY_KINDS = [
    ("illness", _("Absent: illness")),
    ("personal", _("Absent: personal")),
    ("unknown", _("Absent: reason unknown")),
    ("unwell", _("Present but unwell")),
]
BAD_TEMPERATURE = _("Enter a temperature such as 37.5.")
MAX_ENTRIES = 60


def default_session(now: dt.datetime | None = None, *, boarding: bool = False) -> str:
    hour = timezone.localtime(now).hour
    if boarding and hour >= 17:
        return Session.EVENING
    return Session.MORNING if hour < 12 else Session.NOON


class CheckForm(Form):
    """The 晨午检 form: counts, then one row per absent or unwell student (rows are numbered entry-N-*)."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    session = forms.ChoiceField(label=_("Check"), choices=Session.choices)
    present = forms.IntegerField(
        label=_("Present"), min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    absent = forms.IntegerField(
        label=_("Absent"), min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )

    def __init__(self, *args: Any, school_class: SchoolClass, enrolled: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.school_class = school_class
        self.students = list(Student.objects.filter(school_class=school_class, is_active=True).order_by("name", "id"))
        if not school_class.school.is_boarding:  # the evening check is for boarders only (F1)
            self.fields["session"].choices = [c for c in Session.choices if c[0] != Session.EVENING]
        self.initial.setdefault("date", timezone.localdate())
        self.initial.setdefault("session", default_session(boarding=school_class.school.is_boarding))
        self.initial.setdefault("present", enrolled)
        self.initial.setdefault("absent", 0)
        self.entry_rows: list[dict[str, Any]] = []

    def _entry(self, n: int) -> dict[str, Any] | None:
        get = self.data.get
        student_id = get(f"entry-{n}-student", "")
        if not student_id:
            return None
        by_id = {str(s.pk): s for s in self.students}
        if student_id not in by_id:
            raise ValidationError(_("Choose a student of the class."))
        raw_temperature = (get(f"entry-{n}-temperature") or "").strip()
        try:
            temperature = Decimal(raw_temperature) if raw_temperature else None
        except InvalidOperation:
            raise ValidationError(BAD_TEMPERATURE) from None
        kind = get(f"entry-{n}-kind", "illness")
        symptoms = [s for s in self.data.getlist(f"entry-{n}-symptoms") if s in Symptom.values]
        row = {"student": by_id[student_id], "symptoms": symptoms, "temperature": temperature}
        if kind != "unwell":
            row["reason"] = kind if kind in Reason.values else Reason.UNKNOWN
        row["kind"] = kind
        return row

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for n in range(MAX_ENTRIES):
            if f"entry-{n}-student" not in self.data:
                continue
            try:
                row = self._entry(n)
            except ValidationError as error:
                self.add_error(None, error)
                continue
            if row is not None:
                self.entry_rows.append(row)
        return cleaned

    def values(self) -> dict[str, Any]:
        absences = [row for row in self.entry_rows if row["kind"] != "unwell"]
        unwell = [row for row in self.entry_rows if row["kind"] == "unwell"]
        for row in self.entry_rows:
            row.pop("kind")
        return {**self.cleaned_data, "absences": absences, "unwell": unwell}


class FollowUpForm(Form):
    family_answer = forms.CharField(label=_("Family's answer"), max_length=300)
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices, initial=Reason.UNKNOWN)
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms"), choices=Symptom.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class ReturnForm(Form):
    returned_on = forms.DateField(label=_("Returned on"), widget=DateInput())
    certificate = forms.FileField(label=_("Recovery certificate"), required=False)
    certificate_ref = forms.CharField(label=_("Certificate reference"), max_length=100, required=False)


class ReportForm(Form):
    note = forms.CharField(label=_("Reported to"), max_length=300, required=False)


class ObservationForm(Form):
    student = forms.ModelChoiceField(label=_("Student"), queryset=Student.objects.none())
    temperature = forms.DecimalField(label=_("Temperature (°C)"), max_digits=3, decimal_places=1, required=False)
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms"), choices=Symptom.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    measures = forms.CharField(label=_("Measures taken"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["student"].queryset = (
            Student.objects.visible_to(user).filter(is_active=True).select_related("school_class")
        )


class CloseObservationForm(Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    measures = forms.CharField(label=_("Measures taken"), max_length=300, required=False)


class ScheduleForm(ServiceModelForm):
    class Meta:
        model = DisinfectionSchedule
        fields = ["area", "department", "agent", "min_concentration", "contact_minutes", "frequency"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, user=user, **kwargs)
        self.fields["area"].queryset = Place.objects.visible_to(user).filter(is_active=True)
        self.fields["department"].queryset = Department.objects.visible_to(user).filter(is_active=True)


class RecordForm(ServiceModelForm):
    class Meta:
        model = DisinfectionRecord
        fields = ["schedule", "concentration", "contact_minutes", "agent", "operator"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, user=user, **kwargs)
        schedules = DisinfectionSchedule.objects.visible_to(user).filter(is_active=True).select_related("area")
        self.fields["schedule"].queryset = schedules
        self.fields["agent"].required = False
        self.fields["operator"].required = False


class TrainingForm(Form):
    """A class reporter's training and assessment this semester (F8)."""

    person = forms.ModelChoiceField(label=_("Reporter (head teacher)"), queryset=Person.objects.none())
    semester = forms.ModelChoiceField(label=_("Semester"), queryset=Semester.objects.none())
    trained_on = forms.DateField(label=_("Trained on"), widget=DateInput())
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=1, min_value=0, required=False)
    assessment = forms.ChoiceField(label=_("Assessment"), choices=Assessment.choices, initial=Assessment.PASSED)
    score = forms.IntegerField(label=_("Score"), min_value=0, max_value=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        heads = SchoolClass.objects.visible_to(user).filter(is_active=True).values("head_teacher")
        self.fields["person"].queryset = Person.objects.visible_to(user).filter(pk__in=heads)
        self.fields["semester"].queryset = Semester.objects.visible_to(user)
        self.initial.setdefault("trained_on", timezone.localdate())


class StaffingForm(Form):
    full_time = forms.IntegerField(label=_("Full-time health workers"), min_value=0, max_value=100)
    part_time = forms.IntegerField(label=_("Part-time health teachers"), min_value=0, max_value=100, initial=0)
