"""Store pages: items and their ledger, receipts and adjustments, requisitions, batch issue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from houqin.core.mixins import (
    ActionView,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    ServiceFormView,
    apply_validation_error,
)
from houqin.core.search import search
from houqin.stock import selectors, services
from houqin.stock.filters import ItemFilter, MovementFilter, RequisitionFilter
from houqin.stock.forms import (
    AdjustmentForm,
    BatchIssueForm,
    CommentForm,
    CountForm,
    ItemForm,
    LineFormSet,
    ReceiptForm,
    RequisitionForm,
    ReverseForm,
    chosen_lines,
    count_entries,
)
from houqin.stock.models import Requisition, StockCount, StockItem, StockMovement

#
# Items and the ledger
#


class ItemListView(ScopedListView):
    model = StockItem
    permission_required = "stock.view_stockitem"
    filterset_class = ItemFilter
    export_name = _("Consumables")
    export_columns = [
        (_("Name"), lambda i: i.name),
        (_("Specification"), lambda i: i.spec),
        (_("Unit"), lambda i: i.unit),
        (_("Category"), lambda i: i.get_category_display()),
        (_("Balance"), lambda i: i.balance),
        (_("Minimum level"), lambda i: i.min_quantity),
        (_("Average unit cost"), lambda i: i.average_cost),
        (_("Value"), lambda i: i.balance_value),
    ]


class ItemDetailView(ScopedDetailView):
    model = StockItem
    permission_required = "stock.view_stockitem"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["movements"] = self.object.movements.select_related("actor", "receiver", "reversed_by")[:30]
        context["receipt_form"] = ReceiptForm()
        context["adjustment_form"] = AdjustmentForm()
        return context


class ItemCreateView(ServiceFormView):
    model = StockItem
    permission_required = "stock.add_stockitem"
    form_class = ItemForm
    template_name = "stock/item_form.html"

    def perform(self, form: ItemForm) -> StockItem:
        return services.item_create(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


class ItemUpdateView(ItemCreateView):
    permission_required = "stock.change_stockitem"

    def perform(self, form: ItemForm) -> StockItem:
        return services.item_update(actor=self.request.user, item=self.object, **form.cleaned_data)


class ItemFormActionView(ActionView):
    """POST a small form (receipt, adjustment) from the item page; errors come back as messages."""

    model = StockItem
    permission_required = "stock.add_stockmovement"
    form_class: Any = None

    def perform(self, obj: StockItem) -> Any:
        form = self.form_class(self.request.POST)
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[f].label}: {e}" for f, errs in form.errors.items() if f in form.fields for e in errs]
            )
        return self.apply(obj, form.cleaned_data)

    def apply(self, item: StockItem, data: dict[str, Any]) -> Any:
        raise NotImplementedError


class ItemReceiveView(ItemFormActionView):
    form_class = ReceiptForm
    success_message = _("Goods received.")

    def apply(self, item: StockItem, data: dict[str, Any]) -> Any:
        services.stock_receive(actor=self.request.user, item=item, **data)


class ItemAdjustView(ItemFormActionView):
    form_class = AdjustmentForm
    success_message = _("Adjustment recorded.")

    def apply(self, item: StockItem, data: dict[str, Any]) -> Any:
        services.stock_adjust(actor=self.request.user, item=item, **data)


class MovementReverseView(ActionView):
    model = StockMovement
    permission_required = "stock.add_stockmovement"
    success_message = _("The movement has been reversed.")

    def perform(self, obj: StockMovement) -> Any:
        form = ReverseForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Give the reason for this change."))
        services.movement_reverse(actor=self.request.user, movement=obj, reason=form.cleaned_data["reason"])


class MovementListView(ScopedListView):
    model = StockMovement
    permission_required = "stock.view_stockmovement"
    filterset_class = MovementFilter
    template_name = "stock/movement_list.html"
    export_name = _("Stock ledger")
    export_columns = [
        (_("Time"), lambda m: m.occurred_at),
        (_("Item"), lambda m: str(m.item)),
        (_("Type"), lambda m: m.get_kind_display()),
        (_("Quantity"), lambda m: m.quantity),
        (_("Unit price"), lambda m: m.unit_price),
        (_("Amount"), lambda m: m.amount),
        (_("Balance after"), lambda m: m.balance_after),
        (_("Receiver"), lambda m: m.receiver or ""),
        (_("Supplier"), lambda m: m.supplier_name),
        (_("Reason"), lambda m: m.reason),
        (_("Recorded by"), lambda m: m.actor),
    ]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("item", "actor", "receiver")


#
# Requisitions
#


class RequisitionListView(ScopedListView):
    model = Requisition
    permission_required = "stock.view_requisition"
    filterset_class = RequisitionFilter

    def scoped_queryset(self) -> QuerySet:
        scope = self.request.GET.get("scope", "mine")
        user = self.request.user
        if scope == "waiting":
            return selectors.requisitions_waiting_for(user=user).select_related("requested_by", "receiver")
        return selectors.requisition_list(user=user, mine=scope != "all")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["scope"] = self.request.GET.get("scope", "mine")
        return context


class RequisitionDetailView(ScopedDetailView):
    model = Requisition
    permission_required = "stock.view_requisition"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .select_related("requested_by", "receiver", "department", "approved_by", "issued_by")
            .prefetch_related("lines__item")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, requisition = self.request.user, self.object
        not_own = requisition.requested_by_id != user.pk
        context["can_approve"] = (
            not_own and user.has_perm("stock.approve_requisition") and requisition.can_become("approved")
        )
        context["can_issue"] = (
            not_own
            and user.has_perm("stock.issue_requisition")
            and requisition.can_become("issued")
            and (requisition.status == "approved" or user.has_perm("stock.approve_requisition"))
        )
        context["can_receive"] = requisition.status == "issued" and user.pk in (
            requisition.requested_by_id,
            getattr(getattr(requisition.receiver, "user", None), "pk", None),
        )
        context["can_cancel"] = requisition.can_become("cancelled") and (
            not not_own or user.has_perm("stock.approve_requisition")
        )
        context["comment_form"] = CommentForm()
        return context


class LinesFormView(ScopedMixin, TemplateView):
    """A form plus item lines, saved by one service call in `submit` (which returns the page to go to)."""

    model = Requisition
    success_message: Any = _("Saved.")

    def forms(self, data: Any) -> tuple[Any, Any]:
        raise NotImplementedError

    def submit(self, form: Any, lines: list[tuple[StockItem, Any]]) -> str:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if "form" not in kwargs:
            context["form"], context["formset"] = self.forms(None)
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        form, formset = self.forms(request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                next_url = self.submit(form, chosen_lines(formset))
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, self.success_message)
                return HttpResponseRedirect(next_url)
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


class RequisitionCreateView(LinesFormView):
    """The requisition form: purpose, receiver and up to 50 lines."""

    permission_required = "stock.add_requisition"
    template_name = "stock/requisition_form.html"
    success_message = _("Requisition submitted.")

    def forms(self, data: Any) -> tuple[RequisitionForm, Any]:
        item = self.request.GET.get("item")
        return (
            RequisitionForm(data, user=self.request.user, initial={"receiver": self.request.user.person}),
            LineFormSet(data, form_kwargs={"user": self.request.user}, initial=[{"item": item}] if item else None),
        )

    def submit(self, form: RequisitionForm, lines: list[tuple[StockItem, Any]]) -> str:
        requisition = services.requisition_create(actor=self.request.user, lines=lines, **form.cleaned_data)
        return requisition.get_absolute_url()


class RequisitionActionView(ActionView):
    model = Requisition
    permission_required = "stock.view_requisition"

    def comment(self) -> str:
        form = CommentForm(self.request.POST)
        return form.cleaned_data["comment"] if form.is_valid() else ""


class RequisitionApproveView(RequisitionActionView):
    permission_required = "stock.approve_requisition"
    success_message = _("Approved.")

    def perform(self, obj: Requisition) -> Any:
        return services.requisition_approve(actor=self.request.user, requisition=obj, comment=self.comment())


class RequisitionRejectView(RequisitionActionView):
    permission_required = "stock.approve_requisition"
    success_message = _("Rejected.")

    def perform(self, obj: Requisition) -> Any:
        return services.requisition_reject(actor=self.request.user, requisition=obj, comment=self.comment())


class RequisitionIssueView(RequisitionActionView):
    permission_required = "stock.issue_requisition"
    success_message = _("Issued.")

    def perform(self, obj: Requisition) -> Any:
        return services.requisition_issue(actor=self.request.user, requisition=obj)


class RequisitionReceiveView(RequisitionActionView):
    success_message = _("Receipt confirmed.")

    def perform(self, obj: Requisition) -> Any:
        return services.requisition_confirm_received(actor=self.request.user, requisition=obj)


class RequisitionCancelView(RequisitionActionView):
    success_message = _("Cancelled.")

    def perform(self, obj: Requisition) -> Any:
        return services.requisition_cancel(actor=self.request.user, requisition=obj)


class BatchIssueView(LinesFormView):
    """Term-start issue: one set of items for everyone of a department or a list of people."""

    permission_required = ("stock.issue_requisition", "stock.approve_requisition")
    template_name = "stock/batch_issue.html"
    success_message = _("Issued.")

    def forms(self, data: Any) -> tuple[BatchIssueForm, Any]:
        return (
            BatchIssueForm(data, user=self.request.user),
            LineFormSet(data, form_kwargs={"user": self.request.user}, prefix="lines"),
        )

    def submit(self, form: BatchIssueForm, lines: list[tuple[StockItem, Any]]) -> str:
        services.batch_issue(
            actor=self.request.user, lines=lines, receivers=form.receiver_list(), purpose=form.cleaned_data["purpose"]
        )
        return reverse("stock:requisition_list") + "?scope=all"


#
# Counts (库存盘点)
#


class CountListView(ScopedListView):
    model = StockCount
    permission_required = "stock.view_stockcount"
    template_name = "stock/count_list.html"


class CountCreateView(ServiceFormView):
    model = StockCount
    permission_required = "stock.add_stockcount"
    form_class = CountForm
    template_name = "stock/count_form.html"
    success_message = _("Count started: enter what you find, item by item.")

    def perform(self, form: CountForm) -> StockCount:
        return services.count_start(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


class CountDetailView(ScopedDetailView):
    """The count sheet: book quantity, what was found and why it differs; `?q=` narrows it to some items and
    `?todo=1` to those not counted yet, so a phone shows one shelf at a time."""

    model = StockCount
    permission_required = "stock.view_stockcount"
    template_name = "stock/count_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        lines = list(self.object.lines.select_related("item"))
        totals = {"all": len(lines), "counted": sum(1 for line in lines if line.counted_quantity is not None)}
        q = self.request.GET.get("q", "").strip()
        shown = lines
        if q:
            matching = set(
                search(StockItem.objects.filter(school_id=self.object.school_id), q).values_list("pk", flat=True)
            )
            shown = [line for line in shown if line.item_id in matching]
        if self.request.GET.get("todo"):
            shown = [line for line in shown if line.counted_quantity is None]
        differing = [line for line in lines if line.difference]
        context.update(lines=shown, totals=totals, differing=differing, q=q)
        context["can_count"] = self.object.status == "open" and self.request.user.has_perm("stock.change_stockcount")
        return context


class CountRecordView(ActionView):
    model = StockCount
    permission_required = "stock.change_stockcount"
    success_message = _("Saved.")

    def perform(self, obj: StockCount) -> Any:
        return services.count_record(actor=self.request.user, count=obj, entries=count_entries(self.request.POST))


class CountCloseView(ActionView):
    model = StockCount
    permission_required = "stock.change_stockcount"
    success_message = _("Count closed: the differences are posted to the stock ledger.")

    def perform(self, obj: StockCount) -> Any:
        return services.count_close(actor=self.request.user, count=obj)
