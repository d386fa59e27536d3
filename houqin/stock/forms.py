"""Input parsing for the store pages; rules live in services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import Form, ModelForm
from houqin.orgs.models import Department, Person
from houqin.stock.models import StockItem


class ItemForm(ModelForm):
    class Meta:
        model = StockItem
        fields = ["name", "spec", "unit", "category", "amortisation", "min_quantity", "is_active"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is None:
            del self.fields["is_active"]


class ReceiptForm(Form):
    quantity = forms.DecimalField(label=_("Quantity"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2)
    unit_price = forms.DecimalField(
        label=_("Unit price (yuan)"), min_value=Decimal("0"), max_digits=14, decimal_places=4
    )
    supplier_name = forms.CharField(label=_("Supplier"), max_length=100, required=False)


class AdjustmentForm(Form):
    quantity = forms.DecimalField(label=_("Difference (+ surplus, − shortage)"), max_digits=12, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ReverseForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RequisitionForm(Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    receiver = forms.ModelChoiceField(label=_("Receiver"), queryset=Person.objects.none(), required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["receiver"].queryset = Person.objects.visible_to(user).filter(is_active=True)
        self.fields["department"].queryset = Department.objects.visible_to(user).filter(is_active=True)


class LineForm(Form):
    item = forms.ModelChoiceField(label=_("Item"), queryset=StockItem.objects.none(), required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2, required=False
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["item"].queryset = StockItem.objects.visible_to(user).filter(is_active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("item") and not data.get("quantity"):
            self.add_error("quantity", _("Enter the quantity."))
        return data


LineFormSet = forms.formset_factory(LineForm, extra=5, max_num=50)


def chosen_lines(formset: Any) -> list[tuple[StockItem, Decimal]]:
    return [(f.cleaned_data["item"], f.cleaned_data["quantity"]) for f in formset.forms if f.cleaned_data.get("item")]


class BatchIssueForm(Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=200, initial=_("Office supplies for the new term"))
    department = forms.ModelChoiceField(
        label=_("Everyone in department"), queryset=Department.objects.none(), required=False
    )
    receivers = forms.ModelMultipleChoiceField(
        label=_("Or choose people"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        people = Person.objects.visible_to(user).filter(is_active=True)
        self.fields["receivers"].queryset = people
        self.fields["department"].queryset = Department.objects.visible_to(user).filter(is_active=True)
        self.people = people

    def receiver_list(self) -> list[Person]:
        chosen = list(self.cleaned_data.get("receivers") or [])
        department = self.cleaned_data.get("department")
        if department is not None:
            chosen += [p for p in self.people.filter(department=department) if p not in chosen]
        return chosen


class CommentForm(Form):
    comment = forms.CharField(label=_("Comment"), max_length=200, required=False)


class CountForm(Form):
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["name"].initial = _("Stock count of %(month)s") % {"month": f"{today:%Y-%m}"}


def count_entries(data: Any) -> list[tuple[int, Decimal | None, str]]:
    """The sheet's rows as posted (`item` ids with `counted_<id>` and `reason_<id>`); a blank quantity clears it.
    Quantities that are not numbers are reported by row."""
    entries, errors = [], []
    for row, raw_id in enumerate(data.getlist("item"), start=1):
        if not raw_id.isdigit():
            continue
        text = data.get(f"counted_{raw_id}", "").strip().replace("，", "").replace(",", "")
        try:
            counted = Decimal(text) if text else None
        except InvalidOperation:
            errors.append(_("Row %(row)s: “%(value)s” is not a quantity.") % {"row": row, "value": text})
            continue
        entries.append((int(raw_id), counted, data.get(f"reason_{raw_id}", "")[:200]))
    if errors:
        raise ValidationError(errors)
    return entries
