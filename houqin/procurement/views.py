"""Purchasing pages: requests (form with duplicate warnings, the request with its quotes side by side and its
actions, the approval queue), acceptance and the goods-received slip, suppliers, donations, spending."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from houqin.core.mixins import (
    ActionView,
    AuthenticatedHttpRequest,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    ServiceFormView,
    apply_validation_error,
)
from houqin.core.pdf import pdf_response
from houqin.procurement import selectors, services
from houqin.procurement.choices import QUOTABLE, RequestStatus
from houqin.procurement.filters import DonationFilter, RequestFilter
from houqin.procurement.forms import (
    AcceptanceForm,
    AcceptanceLineFormSet,
    AwardForm,
    CancelForm,
    ChooseForm,
    CommentForm,
    ContractForm,
    DonationForm,
    DonationPurposeForm,
    DonationUseForm,
    OrderForm,
    ProcedureForm,
    QuoteForm,
    RequestForm,
    RequestLineFormSet,
    SupplementForm,
    SupplierForm,
    accepted_lines,
    line_data,
)
from houqin.procurement.models import Acceptance, Donation, PurchaseRequest, Quote, Supplier
from houqin.procurement.printing import rmb_upper
from houqin.procurement.rules import LEVEL_PERMISSIONS, Thresholds

#
# Purchase requests
#


class RequestListView(ScopedListView):
    """Mine, waiting for me (the approval queue) or all the school's requests."""

    model = PurchaseRequest
    permission_required = "procurement.view_purchaserequest"
    filterset_class = RequestFilter
    default_scope = "mine"
    export_name = _("Purchase requests")
    export_columns = [
        (_("Number"), lambda r: r.number),
        (_("Title"), lambda r: r.title),
        (_("Department"), lambda r: r.department or ""),
        (_("Requested by"), lambda r: r.requested_by),
        (_("Funding source"), lambda r: r.get_funding_source_display()),
        (_("Estimated amount"), lambda r: r.estimated_total),
        (_("Procurement method"), lambda r: r.get_method_display()),
        (_("Status"), lambda r: r.get_status_display()),
        (_("Created at"), lambda r: r.created_at),
    ]

    def scope(self) -> str:
        # Bureau staff draft no requests of their own: they start from everything they can see.
        drafts = self.request.user.has_perm("procurement.add_purchaserequest")
        return self.request.GET.get("scope", self.default_scope if drafts or self.default_scope != "mine" else "all")

    def scoped_queryset(self) -> QuerySet:
        scope = self.scope()
        return selectors.request_list(user=self.request.user, mine=scope == "mine", waiting=scope == "waiting")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["scope"] = self.scope()
        return context


class ApprovalQueueView(RequestListView):
    """The approver's queue: the requests whose current step is theirs."""

    default_scope = "waiting"


class RequestCreateView(ScopedMixin, TemplateView):
    """The request form: details and up to 50 lines. "Check" shows what the school already has of the same kind
    (idle assets, stock in hand) and the method the amount needs, before anything is saved."""

    model = PurchaseRequest
    permission_required = "procurement.add_purchaserequest"
    template_name = "procurement/request_form.html"

    def forms(self, data: Any) -> tuple[RequestForm, Any]:
        user = self.request.user
        initial = {"department": user.person.department_id} if user.person_id else {}
        return RequestForm(data, user=user, initial=initial), RequestLineFormSet(data, prefix="lines")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if "form" not in kwargs:
            context["form"], context["formset"] = self.forms(None)
        return context

    def check(self, lines: list[services.LineData]) -> dict[str, Any]:
        school = self.request.user.school
        total = sum((line.quantity * line.estimated_unit_price for line in lines), 0)
        return {
            "checked": True,
            "duplicates": selectors.duplicates_for(school=school, names=[line.name for line in lines]),
            "probably_assets": selectors.probably_assets(school=school, lines=lines),
            "total": total,
            "required_method": Thresholds.for_school(school).required_method(total).label,
        }

    def post(self, request: HttpRequest) -> HttpResponse:
        form, formset = self.forms(request.POST)
        context: dict[str, Any] = {"form": form, "formset": formset}
        if form.is_valid() and formset.is_valid():
            lines = line_data(formset)
            if "check" in request.POST:
                context.update(self.check(lines))
            else:
                try:
                    data = dict(form.cleaned_data)
                    procedure = services.Procedure(non_open_reason=data.pop("non_open_reason", ""))
                    created = services.request_create(actor=request.user, lines=lines, procedure=procedure, **data)
                except ValidationError as error:
                    apply_validation_error(form, error)
                else:
                    messages.success(request, _("Draft saved. Check the possible duplicates, then submit it."))
                    return HttpResponseRedirect(created.get_absolute_url())
        return self.render_to_response(self.get_context_data(**context))


class RequestDetailView(ScopedDetailView):
    """The request: lines, quotes side by side, the approval chain, warnings, and the actions the user may take."""

    model = PurchaseRequest
    permission_required = "procurement.view_purchaserequest"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("school", "requested_by", "department", "ordered_by")

    def actions(self, request: PurchaseRequest) -> dict[str, bool]:
        user, own = self.request.user, request.requested_by_id == self.request.user.pk
        level_perm = LEVEL_PERMISSIONS.get(request.current_level)
        return {
            "can_submit": own and request.status == RequestStatus.DRAFT,
            "can_decide": not own and bool(level_perm) and user.has_perm(level_perm),
            "can_quote": request.status in QUOTABLE and user.has_perm("procurement.add_quote"),
            "can_choose": request.status in QUOTABLE and user.has_perm("procurement.change_quote"),
            "can_order": request.status == RequestStatus.APPROVED
            and user.has_perm("procurement.order_purchaserequest"),
            "can_edit_procedure": request.status in QUOTABLE and user.has_perm("procurement.order_purchaserequest"),
            "can_record_contract": bool(request.statutory_method)
            and request.status in (RequestStatus.APPROVED, RequestStatus.ORDERED, RequestStatus.ACCEPTED)
            and user.has_perm("procurement.order_purchaserequest"),
            "can_accept": request.status in (RequestStatus.APPROVED, RequestStatus.ORDERED)
            and user.has_perm("procurement.add_acceptance"),
            "can_cancel": request.can_become(RequestStatus.CANCELLED)
            and (
                (own and request.status in (RequestStatus.DRAFT, RequestStatus.SUBMITTED))
                or user.has_perm("procurement.order_purchaserequest")
            ),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        request = self.object
        lines = list(request.lines.select_related("stock_item"))
        context["deadlines"] = selectors.deadlines_of(request) if request.awarded_on else None
        quotes = list(request.quotes.all())
        lowest = min((q.amount for q in quotes), default=None)
        context.update(
            self.actions(request),
            lines=lines,
            probably_assets=selectors.probably_assets(school=request.school, lines=lines),
            quotes=[(quote, quote.amount == lowest) for quote in quotes],
            steps=list(request.steps.select_related("decided_by")),
            acceptances=list(request.acceptances.prefetch_related("inspectors")),
            duplicates=selectors.duplicates_for_request(request),
            split_warnings=selectors.split_warnings(request),
            ordering_errors=services.ordering_errors(request) if request.status == RequestStatus.APPROVED else {},
            required_method=Thresholds.for_school(request.school).required_method(request.estimated_total).label,
        )
        return context


class FormActionView(ActionView):
    """A POST of a small form from the request page; its field errors come back as messages."""

    request: AuthenticatedHttpRequest
    model = PurchaseRequest
    permission_required = "procurement.view_purchaserequest"
    form_class: Any = CommentForm

    def perform(self, obj: Any) -> Any:
        form = self.form_class(self.request.POST)
        if not form.is_valid():
            raise ValidationError([f"{form.fields[f].label}: {e}" for f, errs in form.errors.items() for e in errs])
        return self.apply(obj, **form.cleaned_data)

    def apply(self, obj: Any, **data: Any) -> Any:
        raise NotImplementedError


class RequestSubmitView(FormActionView):
    success_message = _("Submitted for approval.")

    def apply(self, obj: PurchaseRequest, comment: str) -> Any:
        return services.request_submit(actor=self.request.user, request=obj, comment=comment)


class RequestApproveView(FormActionView):
    success_message = _("Approved.")

    def apply(self, obj: PurchaseRequest, comment: str) -> Any:
        return services.request_approve(actor=self.request.user, request=obj, comment=comment)


class RequestRejectView(FormActionView):
    success_message = _("Rejected.")

    def apply(self, obj: PurchaseRequest, comment: str) -> Any:
        return services.request_reject(actor=self.request.user, request=obj, comment=comment)


class RequestCancelView(FormActionView):
    form_class = CancelForm
    success_message = _("Cancelled.")

    def apply(self, obj: PurchaseRequest, reason: str) -> Any:
        return services.request_cancel(actor=self.request.user, request=obj, reason=reason)


class QuoteAddView(FormActionView):
    permission_required = "procurement.add_quote"
    form_class = QuoteForm
    success_message = _("Quote recorded.")

    def apply(self, obj: PurchaseRequest, **data: Any) -> Any:
        services.quote_add(actor=self.request.user, request=obj, **data)


class QuoteChooseView(FormActionView):
    model = Quote
    permission_required = "procurement.change_quote"
    form_class = ChooseForm
    success_message = _("Supplier chosen.")

    def apply(self, obj: Quote, justification: str) -> Any:
        services.quote_choose(actor=self.request.user, quote=obj, justification=justification)


class RequestOrderView(FormActionView):
    permission_required = "procurement.order_purchaserequest"
    form_class = OrderForm
    success_message = _("Ordered.")

    def apply(self, obj: PurchaseRequest, **data: Any) -> Any:
        return services.request_order(actor=self.request.user, request=obj, **data)


class ProcedureView(ServiceFormView):
    """The statutory procedure of a request until it is ordered (B4 panel, B5 single source, B6 tender period, B8
    the reason for a non-open method)."""

    request: AuthenticatedHttpRequest
    model = PurchaseRequest
    permission_required = "procurement.order_purchaserequest"
    form_class = ProcedureForm
    template_name = "procurement/form.html"
    success_message = _("Procedure saved.")

    def perform(self, form: ProcedureForm) -> Any:
        return services.procedure_update(actor=self.request.user, request=self.object, procedure=form.procedure())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Procedure of %(number)s") % {"number": self.object.number}
        context["cancel_url"] = self.object.get_absolute_url()
        return context


class AwardView(FormActionView):
    permission_required = "procurement.order_purchaserequest"
    form_class = AwardForm
    success_message = _("Award recorded.")

    def apply(self, obj: PurchaseRequest, **data: Any) -> Any:
        return services.award_record(actor=self.request.user, request=obj, **data)


class ContractView(FormActionView):
    permission_required = "procurement.order_purchaserequest"
    form_class = ContractForm
    success_message = _("Contract recorded.")

    def apply(self, obj: PurchaseRequest, **data: Any) -> Any:
        return services.contract_record(actor=self.request.user, request=obj, **data)


class SupplementView(FormActionView):
    permission_required = "procurement.order_purchaserequest"
    form_class = SupplementForm
    success_message = _("Supplementary contract recorded.")

    def apply(self, obj: PurchaseRequest, **data: Any) -> Any:
        return services.supplement_add(actor=self.request.user, request=obj, **data)


#
# Acceptance and the goods-received slip
#


class AcceptanceCreateView(ScopedMixin, TemplateView):
    """The acceptance form: inspectors, date, pass or fail, and what was counted of each line."""

    model = PurchaseRequest
    permission_required = "procurement.add_acceptance"
    template_name = "procurement/acceptance_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and self.has_permission():
            self.object = get_object_or_404(self.scoped_queryset(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def forms(self, data: Any) -> tuple[AcceptanceForm, Any]:
        prices = selectors.suggested_unit_prices(self.object)
        initial = [
            {"line_id": line.pk, "accepted_quantity": line.quantity, "unit_price": prices[line.pk]}
            for line in self.object.lines.all()
        ]
        return (
            AcceptanceForm(data, user=self.request.user),
            AcceptanceLineFormSet(data, initial=initial, prefix="lines"),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if "form" not in kwargs:
            context["form"], context["formset"] = self.forms(None)
        context["object"] = self.object
        context["rows"] = list(zip(self.object.lines.all(), context["formset"].forms, strict=False))
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form, formset = self.forms(request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                acceptance = services.acceptance_record(
                    actor=request.user,
                    request=self.object,
                    lines=accepted_lines(self.object, formset),
                    **form.cleaned_data,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Acceptance recorded."))
                return HttpResponseRedirect(acceptance.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


class AcceptanceSlipView(ScopedDetailView):
    """The goods-received slip (入库单) as a printable page."""

    model = Acceptance
    permission_required = "procurement.view_acceptance"
    template_name = "procurement/acceptance_slip.html"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .select_related("school", "request__department", "request__requested_by", "recorded_by")
            .prefetch_related("inspectors", "lines__line__stock_item")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        total = self.object.total
        context.update(total=total, total_in_words=rmb_upper(total), printed_at=timezone.localtime())
        return context


class AcceptanceSlipPdfView(AcceptanceSlipView):
    """The same slip as a PDF for finance (WeasyPrint, A4)."""

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        title = f"{_('Goods-received slip')}-{self.object.slip_number}"
        return pdf_response(self.request, "procurement/pdf/slip.html", context, title)


#
# Suppliers
#


class SupplierListView(ScopedListView):
    model = Supplier
    permission_required = "procurement.view_supplier"
    export_name = _("Suppliers")
    export_columns = [
        (_("Name"), lambda s: s.name),
        (_("Contact person"), lambda s: s.contact_name),
        (_("Phone"), lambda s: s.phone),
        (_("Licence number"), lambda s: s.licence_number),
        (_("Licence expires on"), lambda s: s.licence_expires_on),
    ]


class SupplierDetailView(ScopedDetailView):
    model = Supplier
    permission_required = "procurement.view_supplier"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["quotes"] = self.object.quotes.select_related("request").order_by("-quoted_on")[:30]
        return context


class RegisterFormView(ServiceFormView):
    """The form page of a register entry (a supplier, a donation), with its title and the way back."""

    template_name = "procurement/form.html"
    title: Any = ""
    list_url = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = str(self.object) if self.object else self.title
        context["cancel_url"] = self.object.get_absolute_url() if self.object else reverse(self.list_url)
        return context


class SupplierCreateView(RegisterFormView):
    model = Supplier
    permission_required = "procurement.add_supplier"
    form_class = SupplierForm
    title = _("New supplier")
    list_url = "procurement:supplier_list"

    def perform(self, form: SupplierForm) -> Supplier:
        return services.supplier_create(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


class SupplierUpdateView(SupplierCreateView):
    permission_required = "procurement.change_supplier"

    def perform(self, form: SupplierForm) -> Supplier:
        return services.supplier_update(actor=self.request.user, supplier=self.object, **form.cleaned_data)


#
# Donations
#


class DonationListView(ScopedListView):
    model = Donation
    permission_required = "procurement.view_donation"
    filterset_class = DonationFilter
    export_name = _("Donations register")
    export_columns = [
        (_("Register number"), lambda d: d.number),
        (_("Received on"), lambda d: d.received_on),
        (_("Donor"), lambda d: d.donor_name),
        (_("Type"), lambda d: d.get_kind_display()),
        (_("What was given"), lambda d: d.description),
        (_("Value"), lambda d: d.value),
        (_("Value based on"), lambda d: d.get_value_basis_display()),
        (_("Receipt number"), lambda d: d.receipt_number),
        (_("Donor's purpose"), lambda d: d.purpose),
        (_("How it was used"), lambda d: d.use),
    ]


class DonationDetailView(ScopedDetailView):
    model = Donation
    permission_required = "procurement.view_donation"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["use_form"] = DonationUseForm(initial={"use": self.object.use})
        context["purpose_form"] = DonationPurposeForm()
        return context


class DonationCreateView(RegisterFormView):
    model = Donation
    permission_required = "procurement.add_donation"
    form_class = DonationForm
    title = _("Register a donation")
    list_url = "procurement:donation_list"

    def perform(self, form: DonationForm) -> Donation:
        return services.donation_create(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


class DonationUseView(FormActionView):
    model = Donation
    permission_required = "procurement.change_donation"
    form_class = DonationUseForm
    success_message = _("Saved.")

    def apply(self, obj: Donation, use: str) -> Any:
        return services.donation_record_use(actor=self.request.user, donation=obj, use=use)


class DonationPurposeView(FormActionView):
    model = Donation
    permission_required = "procurement.change_donation"
    form_class = DonationPurposeForm
    success_message = _("Saved.")

    def apply(self, obj: Donation, **data: Any) -> Any:
        return services.donation_change_purpose(actor=self.request.user, donation=obj, **data)


#
# Spending
#


class SpendingView(ScopedMixin, TemplateView):
    """Spent and committed amounts of a fiscal year by funding source and department, and the gifts received."""

    model = PurchaseRequest
    permission_required = "procurement.view_spending"
    template_name = "procurement/spending.html"

    def year(self) -> int:
        year = self.request.GET.get("year", "")
        return int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, year = self.request.user, self.year()
        context.update(
            year=year,
            years=range(timezone.localdate().year, timezone.localdate().year - 6, -1),
            tables=[
                (_("By funding source"), selectors.spending_by_funding_source(user=user, year=year), "by-source"),
                (_("By department"), selectors.spending_by_department(user=user, year=year), "by-department"),
            ],
            donations_total=selectors.donations_total(user=user, year=year),
        )
        return context


class OffBookRiskView(ScopedMixin, TemplateView):
    """A8: goods received at or above the fixed-asset threshold that still have no asset card after the days
    allowed (a purchase taken into the store, a donation of goods)."""

    model = Acceptance
    permission_required = "procurement.view_acceptance"
    template_name = "procurement/offbook.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "risks": selectors.offbook_risks(user=self.request.user)}
