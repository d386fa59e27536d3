"""Input parsing for the asset pages; rules live in services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.assets import categories
from houqin.assets.choices import STATUS_TRANSITIONS, DisposalMethod
from houqin.assets.labels import asset_number_from_scan
from houqin.assets.models import Asset
from houqin.core.forms import DateInput, Form, ModelForm
from houqin.orgs.models import Department, Person, Place, Tenant

DATE = DateInput()


def staff(user: Any) -> Any:
    return Person.objects.visible_to(user).filter(is_active=True)


def places(user: Any) -> Any:
    return Place.objects.visible_to(user).filter(is_active=True)


def departments(user: Any) -> Any:
    return Department.objects.visible_to(user).filter(is_active=True)


class AssetForm(ModelForm):
    """The card. Department, place and custodian are set here once; later moves go through a transfer."""

    category_code = forms.ChoiceField(label=_("Class code"), required=False)

    class Meta:
        model = Asset
        fields = [
            "name",
            "category_code",
            "brand",
            "spec",
            "quantity",
            "unit",
            "unit_price",
            "acquired_on",
            "acquisition_method",
            "funding_source",
            "supplier_name",
            "source",
            "department",
            "place",
            "custodian",
            "useful_life_months",
            "voucher_no",
            "value_type",
            "is_special_equipment",
            "is_bulk_batch",
            "notes",
        ]
        widgets = {"acquired_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category_code"].choices = [("", "—"), *categories.choices()]
        self.fields["department"].queryset = departments(user)
        self.fields["place"].queryset = places(user)
        self.fields["custodian"].queryset = staff(user)
        self.fields["useful_life_months"].help_text = _("Blank: the minimum life of the class.")
        for name in ("department", "place", "custodian"):
            if self.instance.pk and getattr(self.instance, f"{name}_id"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Moved by a transfer.")

    def _post_clean(self) -> None:
        """The service validates the card (its number, value and class are computed there)."""

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("department", "place", "custodian"):
            if self.fields[name].disabled:
                data.pop(name)
        return data


class StatusForm(Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, asset: Asset | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        allowed = STATUS_TRANSITIONS.get(asset.status, set()) if asset is not None else set()
        self.fields["status"].choices = [
            (v, label) for v, label in Asset._meta.get_field("status").choices if v in allowed
        ]


class TransferForm(Form):
    to_department = forms.ModelChoiceField(label=_("To department"), queryset=Department.objects.none(), required=False)
    to_place = forms.ModelChoiceField(label=_("To place"), queryset=Place.objects.none(), required=False)
    to_custodian = forms.ModelChoiceField(label=_("To custodian"), queryset=Person.objects.none(), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["to_department"].queryset = departments(user)
        self.fields["to_place"].queryset = places(user)
        self.fields["to_custodian"].queryset = staff(user)


class LoanForm(Form):
    borrower = forms.ModelChoiceField(label=_("Borrower"), queryset=Person.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["borrower"].queryset = staff(user)
        self.fields["due_on"].initial = timezone.localdate() + dt.timedelta(days=7)


class ReturnForm(Form):
    condition = forms.CharField(label=_("Condition on return"), max_length=200, required=False)
    damaged = forms.BooleanField(label=_("Damaged"), required=False)


class DisposalForm(Form):
    method = forms.ChoiceField(label=_("Method"), choices=DisposalMethod.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    collective_decision = forms.CharField(
        label=_("Collective decision"),
        max_length=200,
        help_text=_("e.g. the minutes of the principal's office meeting"),
    )
    appraised_value = forms.DecimalField(
        label=_("Appraised value"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Needed for a sale."),
    )


class DecisionForm(Form):
    comment = forms.CharField(label=_("Comment"), max_length=200, required=False)
    approval_document = forms.CharField(label=_("Approval document"), max_length=100, required=False)
    sale_price = forms.DecimalField(label=_("Sale price"), max_digits=14, decimal_places=2, min_value=0, required=False)


class StocktakeForm(Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    places = forms.ModelMultipleChoiceField(
        label=_("Places"),
        queryset=Place.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("A building or floor includes every room inside it."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["places"].queryset = places(user)


class ScanForm(Form):
    asset_no = forms.CharField(label=_("Asset number"), max_length=300)  # a label's scan address, too
    place = forms.ModelChoiceField(queryset=Place.objects.none(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["place"].queryset = places(user)

    def clean_asset_no(self) -> str:
        return asset_number_from_scan(self.cleaned_data["asset_no"])


class FoundForm(Form):
    """An item found without a card, registered on the spot (盘盈)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    estimated_value = forms.DecimalField(label=_("Estimated value"), max_digits=14, decimal_places=2, min_value=0)
    cause = forms.CharField(label=_("Cause"), max_length=200, required=False)
    place = forms.ModelChoiceField(queryset=Place.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["place"].queryset = places(user)


class CauseForm(Form):
    cause = forms.CharField(label=_("Cause"), max_length=200)


class DepreciationForm(Form):
    on = forms.DateField(label=_("As of"), widget=DATE, required=False)
    category = forms.ChoiceField(label=_("Class"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        tops = [(code, f"{code} {c.name}") for code, c in sorted(categories.CATEGORIES.items()) if len(code) == 3]
        self.fields["category"].choices = [("", "—"), *tops]

    def as_of(self) -> dt.date:
        return (self.cleaned_data.get("on") if self.is_valid() else None) or timezone.localdate()


class LeaseForm(Form):
    """A lease to an outside unit: the premises, or one asset by its number (or both)."""

    tenant = forms.ModelChoiceField(label=_("Tenant"), queryset=Tenant.objects.none())
    place = forms.ModelChoiceField(label=_("Premises"), queryset=Place.objects.none(), required=False)
    asset_no = forms.CharField(label=_("Asset number"), max_length=40, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    rent = forms.DecimalField(
        label=_("Rent (yuan)"), max_digits=14, decimal_places=2, min_value=0, required=False, initial=0
    )
    approval_document = forms.CharField(label=_("Approval document"), max_length=100, required=False)
    safety_agreement = forms.CharField(label=_("Safety agreement number"), max_length=100, required=False)
    fire_clause = forms.BooleanField(label=_("Fire-responsibility clause included"), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["tenant"].queryset = Tenant.objects.visible_to(user).filter(is_active=True)
        self.fields["place"].queryset = places(user)

    def clean_rent(self) -> Decimal:
        return self.cleaned_data["rent"] or Decimal("0")

    def clean_asset_no(self) -> Asset | None:
        number = self.cleaned_data["asset_no"].strip()
        if not number:
            return None
        asset = Asset.objects.visible_to(self.user).filter(asset_no=number).first()
        if asset is None:
            raise forms.ValidationError(_("There is no asset numbered %(number)s.") % {"number": number})
        return asset
