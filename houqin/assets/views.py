"""Asset pages: the register, the card with its actions and history, my assets, transfers, loans, disposal,
stocktakes on a phone, depreciation, the annual report and the ledger import. Thin: services do the work."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from houqin.assets import depreciation, exports, filters, forms, labels, selectors, services
from houqin.assets.choices import (
    LENDABLE,
    MOVABLE,
    STATUS_TRANSITIONS,
    AssetStatus,
    DisposalStatus,
    StocktakeResult,
    StocktakeStatus,
    TransferStatus,
)
from houqin.assets.importing import ASSET_IMPORT
from houqin.assets.models import Asset, Disposal, Lease, Loan, Stocktake, StocktakeLine, Transfer
from houqin.core.exporting import xlsx_response
from houqin.core.importing import ImportView
from houqin.core.mixins import ActionView, ScopedDetailView, ScopedListView, ScopedMixin, ServiceFormView
from houqin.core.pdf import pdf_response
from houqin.orgs.models import Place

#
# The register
#


class AssetListView(ScopedListView):
    model = Asset
    permission_required = "assets.view_asset"
    filterset_class = filters.AssetFilter
    export_name = exports.LEDGER_TITLE
    export_columns = exports.LEDGER_COLUMNS

    def scoped_queryset(self) -> QuerySet:
        return super().scoped_queryset().select_related(*selectors.LIST_RELATED)


class MyAssetsView(ScopedMixin, TemplateView):
    """The cards a member of staff keeps, with the hand-overs they still have to sign."""

    model = Asset
    permission_required = ()
    template_name = "assets/my_assets.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["object_list"] = selectors.my_assets(user=user)
        context["handovers"] = selectors.handovers_to_sign(user=user)
        context["loans"] = Loan.objects.visible_to(user).filter(borrower_id=user.person_id, returned_on__isnull=True)
        context["has_person"] = user.person_id is not None
        return context


class AssetDetailView(ScopedDetailView):
    """The card: details, the actions the user may take, its history. A custodian sees their own cards."""

    model = Asset
    permission_required = ()

    def get_object(self, queryset: QuerySet | None = None) -> Asset:
        asset = super().get_object(queryset)
        user = self.request.user
        if not user.has_perm("assets.view_asset") and (user.person_id is None or asset.custodian_id != user.person_id):
            raise PermissionDenied
        return asset

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related(*selectors.LIST_RELATED)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        asset, user = self.object, self.request.user
        context["events"] = selectors.history(asset)[:100]
        context["can"] = {
            "edit": not asset.is_closed and user.has_perm("assets.change_asset"),
            "status": user.has_perm("assets.change_asset") and bool(STATUS_TRANSITIONS.get(asset.status)),
            "transfer": asset.status in MOVABLE and user.has_perm("assets.add_transfer"),
            "lend": asset.status in LENDABLE and user.has_perm("assets.add_loan"),
            "dispose": asset.status in MOVABLE and user.has_perm("assets.add_disposal"),
        }
        context["status_form"] = forms.StatusForm(asset=asset)
        context["open_loan"] = asset.loans.filter(returned_on__isnull=True).select_related("borrower").first()
        context["pending_transfer"] = asset.transfers.filter(status=TransferStatus.PENDING).first()
        context["return_form"] = forms.ReturnForm()
        context["depreciation"] = depreciation.row_for(asset, timezone.localdate())
        return context


class AssetCreateView(ServiceFormView):
    model = Asset
    permission_required = "assets.add_asset"
    form_class = forms.AssetForm
    template_name = "assets/asset_form.html"

    def perform(self, form: forms.AssetForm) -> Asset:
        data = form.service_values()
        fields = {k: data.pop(k) for k in ("name", "unit_price", "acquired_on", "funding_source")}
        return services.asset_create(actor=self.request.user, school=self.request.user.school, **fields, **data)


class AssetUpdateView(AssetCreateView):
    permission_required = "assets.change_asset"

    def perform(self, form: forms.AssetForm) -> Asset:
        return services.asset_update(actor=self.request.user, asset=self.object, **form.service_values())


class AssetStatusView(ActionView):
    model = Asset
    permission_required = "assets.change_asset"
    success_message = _("Status changed.")

    def perform(self, obj: Asset) -> Any:
        form = forms.StatusForm(self.request.POST, asset=obj)
        if not form.is_valid():
            raise ValidationError(_("Choose the new status."))
        return services.asset_set_status(actor=self.request.user, asset=obj, **form.cleaned_data)


class AssetScanView(ScopedMixin, View):
    """Where a label's QR code points: the card, for someone who may see it in its school (404 for others)."""

    model = Asset
    permission_required = ()

    def get(self, request: HttpRequest, school_id: int, asset_no: str) -> HttpResponse:
        asset = get_object_or_404(self.scoped_queryset(), school_id=school_id, asset_no=asset_no)
        return redirect(asset)


class AssetLabelsView(ScopedMixin, View):
    """A4 sheets of QR labels (PDF) for the chosen cards (`?id=…`), or for the register's filters."""

    model = Asset
    permission_required = "assets.view_asset"

    def chosen(self, request: HttpRequest) -> QuerySet[Asset]:
        assets = self.scoped_queryset().exclude(status=AssetStatus.DISPOSED)
        ids = {int(i) for i in request.GET.getlist("id") if i.isdigit()}
        if not ids:
            return filters.AssetFilter(request.GET, queryset=assets, request=request).qs
        assets = assets.filter(pk__in=ids)
        if assets.count() != len(ids):
            raise Http404  # a card of another school (or a closed one) is never printed
        return assets

    def get(self, request: HttpRequest) -> HttpResponseBase:
        chosen = self.chosen(request).select_related("school", "place", "custodian")
        assets = list(chosen.order_by("place__full_name", "asset_no")[: labels.MAX_LABELS])
        if not assets:
            messages.error(request, _("Choose the assets to label."))
            return redirect("assets:asset_list")
        context = {"labels": labels.labels_for(request, assets)}
        return pdf_response(request, "assets/pdf/labels.html", context, str(_("Asset labels")))


class AssetImportView(ImportView):
    model = Asset
    permission_required = "assets.add_asset"
    spec = ASSET_IMPORT
    template_name = "orgs/import.html"
    success_url_name = "assets:asset_list"


#
# Forms about one asset: transfer, loan, disposal
#


class AssetFormView(ServiceFormView):
    """A form about one asset (`pk`), saved by one service call; the card is shown above the form."""

    model = Asset
    template_name = "assets/form.html"
    title: Any = ""

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = None
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "asset": self.object, "title": self.title}

    def get_success_url(self) -> str:
        return reverse("assets:asset_detail", args=[self.kwargs["pk"]])


class TransferCreateView(AssetFormView):
    permission_required = "assets.add_transfer"
    form_class = forms.TransferForm
    title = _("Transfer")
    success_message = _("Transfer requested; the card changes once it is approved.")

    def perform(self, form: forms.TransferForm) -> Any:
        return services.transfer_request(actor=self.request.user, asset=self.object, **form.cleaned_data)


class LoanCreateView(AssetFormView):
    permission_required = "assets.add_loan"
    form_class = forms.LoanForm
    title = _("Lend")
    success_message = _("Lent.")

    def perform(self, form: forms.LoanForm) -> Any:
        return services.loan_create(actor=self.request.user, asset=self.object, **form.cleaned_data)


class DisposalCreateView(AssetFormView):
    permission_required = "assets.add_disposal"
    form_class = forms.DisposalForm
    title = _("Dispose of")
    success_message = _("Disposal requested.")

    def perform(self, form: forms.DisposalForm) -> Any:
        return services.disposal_request(actor=self.request.user, assets=[self.object], **form.cleaned_data)

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()  # the disposal request


class BatchTransferView(ServiceFormView):
    """One transfer request for many cards chosen in the register (`id=…`), to the same destination."""

    model = Asset
    permission_required = "assets.add_transfer"
    form_class = forms.TransferForm
    template_name = "assets/batch_transfer.html"
    success_message = _("Transfers requested; the cards change once they are approved.")
    MAX_ASSETS = 200

    def get_object(self) -> list[Asset]:
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        ids = {int(i) for i in data.getlist("id") if i.isdigit()}
        assets = list(
            self.scoped_queryset().filter(pk__in=ids).select_related(*selectors.LIST_RELATED)[: self.MAX_ASSETS]
        )
        if len(assets) != len(ids) or not assets:
            raise Http404  # none chosen, too many, or a card outside the user's school
        return assets

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": None}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "assets": self.object}

    def perform(self, form: forms.TransferForm) -> Any:
        return services.transfer_request_batch(actor=self.request.user, assets=self.object, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("assets:transfer_list") + "?scope=all"


#
# Transfers
#


class TransferListView(ScopedListView):
    """Transfers: those waiting for me (approvers) first, or all."""

    model = Transfer
    permission_required = "assets.view_transfer"
    filterset_class = filters.TransferFilter

    def scope(self) -> str:
        return self.request.GET.get(
            "scope", "waiting" if self.request.user.has_perm("assets.approve_transfer") else "all"
        )

    def scoped_queryset(self) -> QuerySet:
        if self.scope() == "waiting":
            return selectors.transfers_waiting_for(user=self.request.user)
        return (
            super()
            .scoped_queryset()
            .select_related("asset", "requested_by", "to_department", "to_place", "to_custodian")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "scope": self.scope()}


class TransferDetailView(ScopedDetailView):
    model = Transfer
    permission_required = "assets.view_transfer"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .select_related(
                "asset",
                "requested_by",
                "decided_by",
                "from_department",
                "to_department",
                "from_place",
                "to_place",
                "from_custodian",
                "to_custodian",
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        transfer, user = self.object, self.request.user
        pending = transfer.status == TransferStatus.PENDING
        context["can_decide"] = (
            pending and user.has_perm("assets.approve_transfer") and transfer.requested_by_id != user.pk
        )
        context["can_cancel"] = pending and (
            transfer.requested_by_id == user.pk or user.has_perm("assets.approve_transfer")
        )
        context["can_sign"] = (
            transfer.status == TransferStatus.DONE
            and user.person_id is not None
            and (
                (user.person_id == transfer.from_custodian_id and transfer.released_at is None)
                or (user.person_id == transfer.to_custodian_id and transfer.received_at is None)
            )
            and transfer.is_handover
        )
        return context


class DecisionMixin:
    request: HttpRequest

    def decision(self) -> dict[str, str]:
        form = forms.DecisionForm(self.request.POST)
        return form.cleaned_data if form.is_valid() else {"comment": "", "approval_document": "", "sale_price": None}


class TransferApproveView(DecisionMixin, ActionView):
    model = Transfer
    permission_required = "assets.approve_transfer"
    success_message = _("Approved; the card has been changed.")

    def perform(self, obj: Transfer) -> Any:
        return services.transfer_approve(actor=self.request.user, transfer=obj, comment=self.decision()["comment"])


class TransferRejectView(DecisionMixin, ActionView):
    model = Transfer
    permission_required = "assets.approve_transfer"
    success_message = _("Rejected.")

    def perform(self, obj: Transfer) -> Any:
        return services.transfer_reject(actor=self.request.user, transfer=obj, comment=self.decision()["comment"])


class TransferCancelView(ActionView):
    model = Transfer
    permission_required = "assets.view_transfer"
    success_message = _("Cancelled.")

    def perform(self, obj: Transfer) -> Any:
        return services.transfer_cancel(actor=self.request.user, transfer=obj)


class HandoverSignView(ActionView):
    """The old or new custodian signs the hand-over (no permission beyond being that custodian)."""

    model = Transfer
    permission_required = ()
    success_message = _("Hand-over signed.")

    def perform(self, obj: Transfer) -> Any:
        return services.handover_sign(actor=self.request.user, transfer=obj)


#
# Loans
#


class LoanListView(ScopedListView):
    """Loans out (overdue first), or all."""

    model = Loan
    permission_required = "assets.view_loan"

    def scope(self) -> str:
        return self.request.GET.get("scope", "open")

    def scoped_queryset(self) -> QuerySet:
        loans = super().scoped_queryset().select_related("asset", "borrower")
        if self.request.GET.get("asset", "").isdigit():
            loans = loans.filter(asset_id=self.request.GET["asset"])
        if self.scope() == "overdue":
            return loans.filter(returned_on__isnull=True, due_on__lt=timezone.localdate())
        if self.scope() == "open":
            return loans.filter(returned_on__isnull=True).order_by("due_on", "id")
        return loans

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(scope=self.scope(), today=timezone.localdate(), return_form=forms.ReturnForm())
        return context


class LoanReturnView(ActionView):
    model = Loan
    permission_required = "assets.change_loan"
    success_message = _("Returned.")

    def perform(self, obj: Loan) -> Any:
        form = forms.ReturnForm(self.request.POST)
        data = form.cleaned_data if form.is_valid() else {}
        return services.loan_return(actor=self.request.user, loan=obj, **data)


#
# Disposal
#


class DisposalListView(ScopedListView):
    model = Disposal
    permission_required = "assets.view_disposal"
    filterset_class = filters.DisposalFilter

    def scoped_queryset(self) -> QuerySet:
        return super().scoped_queryset().select_related("requested_by").annotate(asset_count=Count("assets"))


class DisposalDetailView(ScopedDetailView):
    model = Disposal
    permission_required = "assets.view_disposal"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        disposal, user = self.object, self.request.user
        tier = services.TIERS_BY_CODE[disposal.tier]
        context["tier"] = tier
        context["assets"] = disposal.assets.select_related("place", "custodian")
        context["can_decide"] = (
            disposal.status == DisposalStatus.PENDING
            and disposal.requested_by_id != user.pk
            and user.has_perm("assets.approve_disposal")
            and user.has_perm(tier.permission)
        )
        return context


class DisposalApproveView(DecisionMixin, ActionView):
    model = Disposal
    permission_required = "assets.approve_disposal"
    success_message = _("Approved; the cards are closed.")

    def perform(self, obj: Disposal) -> Any:
        return services.disposal_approve(actor=self.request.user, disposal=obj, **self.decision())


class DisposalRejectView(DecisionMixin, ActionView):
    model = Disposal
    permission_required = "assets.approve_disposal"
    success_message = _("Rejected.")

    def perform(self, obj: Disposal) -> Any:
        return services.disposal_reject(actor=self.request.user, disposal=obj, comment=self.decision()["comment"])


#
# Stocktakes
#


class StocktakeListView(ScopedListView):
    model = Stocktake
    permission_required = "assets.view_stocktake"


class StocktakeCreateView(ServiceFormView):
    model = Stocktake
    permission_required = "assets.add_stocktake"
    form_class = forms.StocktakeForm
    template_name = "assets/form.html"
    success_message = _("Stocktake started.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "title": _("New stocktake")}

    def perform(self, form: forms.StocktakeForm) -> Stocktake:
        return services.stocktake_create(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


class StocktakeDetailView(ScopedDetailView):
    """The count room by room: progress per place; `?place=` opens one room's list to tick (on a phone)."""

    model = Stocktake
    permission_required = "assets.view_stocktake"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        stocktake, user = self.object, self.request.user
        lines = stocktake.lines.select_related("expected_place", "found_place")
        context["rooms"] = (
            lines.filter(expected_place__isnull=False)
            .values("expected_place", "expected_place__full_name")
            .annotate(total=Count("id"), found=Count("id", filter=~Q(result=StocktakeResult.PENDING)))
            .order_by("expected_place__full_name")
        )
        room = self.request.GET.get("place", "")
        if room.isdigit():
            context["room"] = get_object_or_404(Place.objects.visible_to(user), pk=room)
            context["room_lines"] = lines.filter(Q(expected_place_id=room) | Q(found_place_id=room))
        context["differences"] = lines.filter(result__in=["surplus", "missing", "misplaced"])
        context["is_open"] = stocktake.status == StocktakeStatus.OPEN
        context["can_count"] = user.has_perm("assets.change_stocktake")
        context["can_approve"] = (
            stocktake.status == StocktakeStatus.CLOSED
            and user.has_perm("assets.approve_stocktake")
            and user.pk not in (stocktake.created_by_id, stocktake.closed_by_id)
        )
        context["scan_form"] = forms.ScanForm(user=user, initial={"place": room or None})
        context["can_register"] = user.has_perm("assets.add_asset")
        return context


class StocktakeScanView(ActionView):
    """A scan or a tick (the asset number posted), then back to the room."""

    model = Stocktake
    permission_required = "assets.change_stocktake"

    def perform(self, obj: Stocktake) -> Any:
        form = forms.ScanForm(self.request.POST, user=self.request.user)
        if not form.is_valid():
            raise ValidationError(_("Enter or scan the asset number."))
        line = services.stocktake_scan(actor=self.request.user, stocktake=obj, **form.cleaned_data)
        self.success_message = f"{line.asset_no} {line.name}：{line.get_result_display()}"
        return obj


class StocktakeReportView(ScopedMixin, View):
    """The stocktake report: every line as Excel (`xlsx`), or the counts and differences as a PDF to sign."""

    model = Stocktake
    permission_required = "assets.view_stocktake"

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
        related = ("school", "created_by", "closed_by", "approved_by")
        stocktake = get_object_or_404(self.scoped_queryset().select_related(*related), pk=pk)
        title = f"{_('Stocktake report')}-{stocktake.number}"
        if fmt == "xlsx":
            return xlsx_response(
                title, str(_("Stocktake report")), STOCKTAKE_COLUMNS, selectors.stocktake_lines(stocktake)
            )
        context = {"stocktake": stocktake, "differences": selectors.stocktake_lines(stocktake, differences_only=True)}
        return pdf_response(request, "assets/pdf/stocktake_report.html", context, title)


STOCKTAKE_COLUMNS = [
    (_("Asset number"), lambda line: line.asset_no),
    (_("Name"), lambda line: line.name),
    (_("place in the ledger"), lambda line: line.expected_place.full_name if line.expected_place else ""),
    (_("place found"), lambda line: line.found_place.full_name if line.found_place else ""),
    (_("Result"), lambda line: line.get_result_display()),
    (_("Cause"), lambda line: line.cause),
    (_("found at"), lambda line: line.scanned_at),
]


class StocktakeFoundView(ActionView):
    """An item found in a room without a card, registered on the spot (盘盈); its card follows the approval."""

    model = Stocktake
    permission_required = ("assets.change_stocktake", "assets.add_asset")
    success_message = _("Registered as surplus; its card is created when the differences are approved.")

    def perform(self, obj: Stocktake) -> Any:
        form = forms.FoundForm(self.request.POST, user=self.request.user)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        return services.stocktake_register_found(actor=self.request.user, stocktake=obj, **form.cleaned_data)


class StocktakeCloseView(ActionView):
    model = Stocktake
    permission_required = "assets.change_stocktake"
    success_message = _("Stocktake closed.")

    def perform(self, obj: Stocktake) -> Any:
        return services.stocktake_close(actor=self.request.user, stocktake=obj)


class StocktakeApproveView(DecisionMixin, ActionView):
    model = Stocktake
    permission_required = "assets.approve_stocktake"
    success_message = _("Differences approved; the ledger has been updated.")

    def perform(self, obj: Stocktake) -> Any:
        return services.stocktake_approve(actor=self.request.user, stocktake=obj, comment=self.decision()["comment"])


class StocktakeCauseView(ActionView):
    model = StocktakeLine
    permission_required = "assets.change_stocktake"
    success_message = _("Cause recorded.")

    def perform(self, obj: StocktakeLine) -> Any:
        form = forms.CauseForm(self.request.POST)
        cause = form.cleaned_data["cause"] if form.is_valid() else ""
        return services.stocktake_explain(actor=self.request.user, line=obj, cause=cause)


#
# Reports
#


class DepreciationView(ScopedMixin, TemplateView):
    """Depreciation as of a date (A4–A6), with totals; `?export=xlsx` for Excel."""

    model = Asset
    permission_required = "assets.view_asset"
    template_name = "assets/depreciation.html"

    def rows(self, form: forms.DepreciationForm) -> list[depreciation.DepreciationRow]:
        category = form.cleaned_data.get("category") if form.is_valid() else ""
        filters_ = {"category_code__startswith": category} if category else {}
        return selectors.depreciation_rows(user=self.request.user, on=form.as_of(), **filters_)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = forms.DepreciationForm(request.GET or None)
        rows = self.rows(form)
        if request.GET.get("export") == "xlsx":
            title = str(_("Depreciation"))
            return xlsx_response(title, title, DEPRECIATION_COLUMNS, rows)
        context = self.get_context_data(
            form=form, rows=rows, totals=selectors.depreciation_totals(rows), on=form.as_of(), **kwargs
        )
        return self.render_to_response(context)


DEPRECIATION_COLUMNS = [
    (_("Asset number"), lambda r: r.asset.asset_no),
    (_("Name"), lambda r: r.asset.name),
    (_("Class code"), lambda r: r.asset.category_code),
    (_("Acquired on"), lambda r: r.asset.acquired_on),
    (_("Useful life (months)"), lambda r: r.asset.useful_life_months),
    (_("Original value"), lambda r: r.asset.original_value),
    (_("Monthly charge"), lambda r: r.monthly),
    (_("Accumulated depreciation"), lambda r: r.accumulated),
    (_("Net value"), lambda r: r.net_value),
]


class AnnualReportView(ScopedMixin, TemplateView):
    """The annual state-asset report (A17) from the ledger."""

    model = Asset
    permission_required = "assets.view_asset"
    template_name = "assets/annual_report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = self.request.GET.get("year", "")
        year_value = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
        context["report"] = selectors.annual_report(user=self.request.user, year=year_value)
        context["years"] = range(timezone.localdate().year, timezone.localdate().year - 6, -1)
        return context


#
# Leases (出租出借, A14)
#


class LeaseListView(ScopedListView):
    """Leases to outside units: pending ones (waiting for their documents), in force, ended."""

    model = Lease
    permission_required = "assets.view_lease"
    search_fields = ("tenant__name",)

    def scoped_queryset(self) -> QuerySet:
        return super().scoped_queryset().select_related("tenant", "place", "asset")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        context = super().get_context_data(**kwargs)
        context["rows"] = [(lease, lease.state_on(today)) for lease in context["object_list"]]
        return context


class LeaseCreateView(ServiceFormView):
    model = Lease
    permission_required = "assets.add_lease"
    form_class = forms.LeaseForm
    template_name = "assets/form.html"
    success_message = _("Lease recorded; it takes effect once activated.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "title": _("New lease"),
            "cancel_url": reverse("assets:lease_list"),
        }

    def perform(self, form: forms.LeaseForm) -> Lease:
        data = dict(form.cleaned_data)
        return services.lease_create(actor=self.request.user, asset=data.pop("asset_no"), **data)


class LeaseDetailView(ScopedDetailView):
    model = Lease
    permission_required = "assets.view_lease"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("tenant", "place", "asset", "created_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "state": self.object.state_on(timezone.localdate())}


class LeaseActivateView(ActionView):
    model = Lease
    permission_required = "assets.change_lease"
    success_message = _("The lease is in force.")

    def perform(self, obj: Lease) -> Any:
        return services.lease_activate(actor=self.request.user, lease=obj)
