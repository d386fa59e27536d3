"""Input parsing for the purchasing pages; the rules live in the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import DateInput, Form, ModelForm
from houqin.orgs.models import Department, Person
from houqin.procurement.choices import FundingSource, LineKind, ProcurementMethod, SingleSourceReason, StatutoryMethod
from houqin.procurement.models import Donation, PurchaseRequest, Supplier
from houqin.procurement.services import AcceptedLine, LineData, PanelMember, Procedure

DATE = DateInput()


def _money(label: Any, **options: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=Decimal("0"), max_digits=14, decimal_places=2, **options)


def _quantity(label: Any, **options: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, **options)


class RequestForm(Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    needed_by = forms.DateField(label=_("Needed by"), required=False, widget=DATE)
    method = forms.ChoiceField(
        label=_("Procurement method"),
        choices=[("", _("As the amount requires")), *ProcurementMethod.choices],
        required=False,
        help_text=_("Choose government procurement for items of the centralised catalogue (computers, printers)."),
    )
    approval_document = forms.CharField(
        label=_("Approval document number"),
        max_length=100,
        required=False,
        help_text=_("Only for a non-open method above the open-tender threshold."),
    )
    non_open_reason = forms.CharField(
        label=_("Reason for a non-open method"),
        max_length=500,
        required=False,
        help_text=_("With the approval document: kept in the procurement file (rule B8)."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["department"].queryset = Department.objects.visible_to(user).filter(is_active=True)


class RequestLineForm(Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    spec = forms.CharField(label=_("Specification"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=LineKind.choices, initial=LineKind.CONSUMABLE)
    quantity = _quantity(_("Quantity"), min_value=Decimal("0.01"), required=False)
    unit = forms.CharField(label=_("Unit"), max_length=10, required=False)
    estimated_unit_price = _money(_("Estimated unit price"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("name"):
            for field in ("quantity", "unit", "estimated_unit_price"):
                if data.get(field) in (None, ""):
                    self.add_error(field, _("This field is required."))
        return data


RequestLineFormSet = forms.formset_factory(RequestLineForm, extra=4, max_num=50)


def line_data(formset: Any) -> list[LineData]:
    return [
        LineData(
            name=f.cleaned_data["name"],
            spec=f.cleaned_data.get("spec", ""),
            kind=f.cleaned_data["kind"],
            quantity=f.cleaned_data["quantity"],
            unit=f.cleaned_data["unit"],
            estimated_unit_price=f.cleaned_data["estimated_unit_price"],
        )
        for f in formset.forms
        if f.cleaned_data.get("name")
    ]


class CommentForm(Form):
    comment = forms.CharField(label=_("Comment"), max_length=200, required=False)


class CancelForm(Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200, required=False)


class QuoteForm(Form):
    supplier_name = forms.CharField(label=_("Supplier"), max_length=100)
    amount = _money(_("Amount (yuan)"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ChooseForm(Form):
    justification = forms.CharField(label=_("Why not the lowest quote"), max_length=200, required=False)


class OrderForm(Form):
    reference_number = forms.CharField(label=_("Procurement reference number"), max_length=100, required=False)
    quote_exemption_reason = forms.CharField(label=_("Reason for fewer quotes"), max_length=200, required=False)


class AcceptanceForm(Form):
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Inspectors (at least two)"),
        queryset=Person.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE, initial=timezone.localdate)
    passed = forms.BooleanField(label=_("Passed: the goods are as ordered"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["inspectors"].queryset = Person.objects.visible_to(user).filter(is_active=True)


class AcceptanceLineForm(Form):
    line_id = forms.IntegerField(widget=forms.HiddenInput)
    accepted_quantity = _quantity(_("Accepted quantity"), min_value=Decimal("0"))
    unit_price = _money(_("Unit price"))


AcceptanceLineFormSet = forms.formset_factory(AcceptanceLineForm, extra=0, max_num=200)


def accepted_lines(request: PurchaseRequest, formset: Any) -> list[AcceptedLine]:
    own = request.lines.in_bulk()
    return [
        AcceptedLine(own[f.cleaned_data["line_id"]], f.cleaned_data["accepted_quantity"], f.cleaned_data["unit_price"])
        for f in formset.forms
        if f.cleaned_data.get("line_id") in own
    ]


class SupplierForm(ModelForm):
    class Meta:
        model = Supplier
        fields = ["name", "contact_name", "phone", "licence_number", "licence_expires_on", "address", "notes"]
        widgets = {"licence_expires_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user


class DonationForm(ModelForm):
    value = _money(_("Value (yuan)"), required=False, help_text=_("Leave empty for the nominal amount of 1 yuan."))

    class Meta:
        model = Donation
        fields = [
            "donor_name",
            "donor_kind",
            "donor_contact",
            "kind",
            "description",
            "received_on",
            "value_basis",
            "receipt_number",
            "purpose",
            "use",
        ]
        widgets = {"received_on": DATE, "use": forms.Textarea(attrs={"rows": 3})}

    field_order = [*Meta.fields[:7], "value"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user


class DonationUseForm(Form):
    use = forms.CharField(label=_("How it was used"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class DonationPurposeForm(Form):
    purpose = forms.CharField(label=_("New purpose"), max_length=200)
    consent = forms.CharField(label=_("Donor's consent (date, form, reference)"), max_length=200, required=False)


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.replace("，", "\n").replace(",", "\n").splitlines() if name.strip()]


class ProcedureForm(Form):
    """The statutory procedure of a government procurement (B4–B6, B8); the panel as two lists of names."""

    statutory_method = forms.ChoiceField(
        label=_("Government procurement method"),
        choices=[("", "—"), *StatutoryMethod.choices],
        required=False,
    )
    non_open_reason = forms.CharField(
        label=_("Reason for a non-open method"), max_length=500, required=False, widget=forms.Textarea({"rows": 2})
    )
    panel_experts = forms.CharField(
        label=_("Panel: experts (one per line)"), required=False, widget=forms.Textarea({"rows": 3})
    )
    panel_others = forms.CharField(
        label=_("Panel: other members (one per line)"), required=False, widget=forms.Textarea({"rows": 2})
    )
    single_source_reason = forms.ChoiceField(
        label=_("Single-source reason"), choices=[("", "—"), *SingleSourceReason.choices], required=False
    )
    original_contract_amount = _money(_("Original contract amount (add-on purchase)"), required=False)
    tender_issued_on = forms.DateField(label=_("Tender documents issued on"), widget=DATE, required=False)
    bid_deadline = forms.DateField(label=_("Bid deadline"), widget=DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        request = self.instance
        if request is not None and not self.is_bound:
            for field in ("statutory_method", "non_open_reason", "single_source_reason"):
                self.fields[field].initial = getattr(request, field)
            for field in ("original_contract_amount", "tender_issued_on", "bid_deadline"):
                self.fields[field].initial = getattr(request, field)
            self.fields["panel_experts"].initial = "\n".join(m["name"] for m in request.panel if m.get("expert"))
            self.fields["panel_others"].initial = "\n".join(m["name"] for m in request.panel if not m.get("expert"))

    def procedure(self) -> Procedure:
        data = self.cleaned_data
        panel = [PanelMember(name, True) for name in _names(data["panel_experts"])]
        panel += [PanelMember(name, False) for name in _names(data["panel_others"])]
        return Procedure(
            statutory_method=data["statutory_method"],
            non_open_reason=data["non_open_reason"],
            panel=panel,
            single_source_reason=data["single_source_reason"],
            original_contract_amount=data["original_contract_amount"],
            tender_issued_on=data["tender_issued_on"],
            bid_deadline=data["bid_deadline"],
        )


class AwardForm(Form):
    awarded_on = forms.DateField(label=_("Award notice date"), widget=DATE)
    publication_date = forms.DateField(label=_("Single-source publication date"), widget=DATE, required=False)


class ContractForm(Form):
    signed_on = forms.DateField(label=_("Contract signed on"), widget=DATE)
    amount = _money(_("Contract amount"))
    published_on = forms.DateField(label=_("Contract published on"), widget=DATE, required=False)
    filed_on = forms.DateField(label=_("Contract filed on"), widget=DATE, required=False)


class SupplementForm(Form):
    amount = _money(_("Supplementary contract amount"))
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
