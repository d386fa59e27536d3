"""Input parsing for the safety pages; rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.accounts.models import User
from houqin.core.forms import DateInput, Form, ServiceModelForm
from houqin.orgs.models import Person, Place, SchoolClass
from houqin.safety.choices import HazardSource
from houqin.safety.models import Agreement, ChecklistTemplate, Drill, Hazard, HazardCampaign, Notice

DATE = DateInput()


def _scoped(form: Any, user: Any, **models: Any) -> None:
    """Limit the choice fields to the user's school (active rows)."""
    for field, model in models.items():
        if field in form.fields:
            form.fields[field].queryset = model.objects.visible_to(user).filter(is_active=True)


class HazardReportForm(ServiceModelForm):
    """Reporting a hazard: anyone; the responsible person and deadline only for safety managers."""

    class Meta:
        model = Hazard
        fields = [
            "title",
            "found_on",
            "place",
            "location",
            "category",
            "level",
            "source",
            "campaign",
            "description",
            "responsible",
            "deadline",
            "photo_before",
        ]
        widgets = {"found_on": DATE, "deadline": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        kwargs.pop("instance", None)
        super().__init__(*args, user=user, **kwargs)
        self.fields["found_on"].initial = timezone.localdate()
        self.fields["source"].initial = HazardSource.REPORT
        for name in ("category", "level", "source"):
            self.fields[name].required = False  # the model's default applies
        _scoped(self, user, place=Place, responsible=Person)
        self.fields["campaign"].queryset = HazardCampaign.objects.visible_to(user)
        if not user.has_perm("safety.change_hazard"):
            for name in ("responsible", "deadline", "campaign"):
                del self.fields[name]


class HazardEditForm(ServiceModelForm):
    class Meta:
        model = Hazard
        fields = [
            "title",
            "description",
            "place",
            "location",
            "category",
            "level",
            "responsible",
            "deadline",
            "measures",
            "cost",
        ]
        widgets = {
            "deadline": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        _scoped(self, user, place=Place, responsible=Person)


class RectifyForm(Form):
    measures = forms.CharField(label=_("Measures taken"), widget=forms.Textarea(attrs={"rows": 2}))
    rectified_on = forms.DateField(label=_("Rectified on"), widget=DATE, initial=timezone.localdate)
    cost = forms.DecimalField(label=_("Cost (yuan)"), min_value=0, max_digits=12, decimal_places=2, required=False)
    photo_after = forms.FileField(label=_("Photo after"), required=False)


class VerifyForm(Form):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Passed: close the hazard")), ("0", _("Failed: reopen"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class SuperviseForm(Form):
    plan = forms.CharField(
        label=_("Supervision plan"),
        help_text=_("measures, people, money, deadline and contingency plan"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BureauReportForm(Form):
    reported_on = forms.DateField(label=_("Reported on"), widget=DATE, initial=timezone.localdate)
    reference = forms.CharField(label=_("Report reference"), max_length=100, required=False)


class WindowForm(Form):
    start = forms.DateField(label=_("From"), widget=DATE, required=False)
    end = forms.DateField(label=_("To"), widget=DATE, required=False)


class CampaignForm(ServiceModelForm):
    class Meta:
        model = HazardCampaign
        fields = ["name", "starts_on", "ends_on", "scope", "led_by"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class TemplateForm(ServiceModelForm):
    items = forms.CharField(
        label=_("Items"), help_text=_("one item per line"), widget=forms.Textarea(attrs={"rows": 8})
    )

    class Meta:
        model = ChecklistTemplate
        fields = ["name", "area_type", "frequency", "places", "inspector", "starts_on", "description", "is_active"]
        widgets = {
            "starts_on": DATE,
            "places": forms.SelectMultiple(attrs={"size": 10}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        _scoped(self, user, places=Place)
        self.fields["inspector"].queryset = User.objects.visible_to(user).filter(is_active=True)
        if self.instance.pk:
            texts = self.instance.items.filter(is_active=True).values_list("text", flat=True)
            self.fields["items"].initial = "\n".join(texts)
        else:
            del self.fields["is_active"]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["items"] = data["items"].splitlines()
        data["places"] = list(data["places"])
        return data


OK_CHOICES = [("ok", _("OK")), ("fail", _("Not OK"))]


class InspectionForm(Form):
    """One OK / not OK choice, a note and a 'raise a hazard' tick per item of the checklist."""

    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, template: ChecklistTemplate, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.items = list(template.items.filter(is_active=True))
        for item in self.items:
            self.fields[f"ok_{item.pk}"] = forms.ChoiceField(
                label=item.text, choices=OK_CHOICES, widget=forms.RadioSelect, initial="ok"
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(label=_("Note"), max_length=200, required=False)
            self.fields[f"raise_{item.pk}"] = forms.BooleanField(label=_("Raise a hazard"), required=False)

    def rows(self) -> list[tuple[Any, Any, Any, Any]]:
        return [(item, self[f"ok_{item.pk}"], self[f"note_{item.pk}"], self[f"raise_{item.pk}"]) for item in self.items]

    def results(self) -> list[Any]:
        from houqin.safety.services import ResultInput

        data = self.cleaned_data
        return [
            ResultInput(item, data[f"ok_{item.pk}"] == "ok", data[f"note_{item.pk}"], data[f"raise_{item.pk}"])
            for item in self.items
        ]


class DrillForm(ServiceModelForm):
    class Meta:
        model = Drill
        fields = ["kind", "held_on", "scenario", "participants", "evacuation_seconds", "floors", "problems"]
        widgets = {"held_on": DATE, "problems": forms.Textarea(attrs={"rows": 3})}


class AgreementForm(ServiceModelForm):
    class Meta:
        model = Agreement
        fields = ["kind", "year", "title", "text", "version"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class PaperSignatureForm(Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE, initial=timezone.localdate)
    scan = forms.FileField(label=_("Scan of the paper"), required=False)


class NoticeForm(ServiceModelForm):
    class Meta:
        model = Notice
        fields = ["title", "text", "issued_on", "classes", "attachment"]
        widgets = {
            "issued_on": DATE,
            "text": forms.Textarea(attrs={"rows": 8}),
            "classes": forms.SelectMultiple(attrs={"size": 12}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()
        _scoped(self, user, classes=SchoolClass)
