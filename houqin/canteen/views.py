"""Canteen pages: the morning dashboard and the sample form on a phone, 陪餐, menus and the parents' public page,
feedback replies, staff health, and the logs (purchase inspection, disinfection, ledger)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from houqin.canteen import selectors, services
from houqin.canteen.choices import MenuStatus
from houqin.canteen.forms import (
    AccompaniedForm,
    CertificateForm,
    CheckForm,
    DishForm,
    DisinfectionForm,
    MenuForm,
    PublicFeedbackForm,
    ReplyForm,
    SampleForm,
)
from houqin.canteen.models import (
    AccompaniedMeal,
    CanteenProfile,
    Delivery,
    Disinfection,
    Feedback,
    HealthCertificate,
    LedgerEntry,
    Menu,
    PreShiftCheck,
    Sample,
)
from houqin.core.mixins import ActionView, ScopedDetailView, ScopedListView, ScopedMixin, ServiceFormView

Column = tuple[Any, Callable[[Any], Any]]


class DashboardView(ScopedMixin, TemplateView):
    """The canteen manager's morning: each meal of the day with its sample coverage, reminders, staff."""

    model = Sample
    permission_required = "canteen.view_sample"
    template_name = "canteen/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        school = self.request.user.school
        if school is not None:
            context.update(selectors.dashboard(school, timezone.localdate()))
            context["profile"] = services.profile_for(school)
        return context


class TableView(ScopedListView):
    """A list page drawn from `columns` (the same columns feed the Excel export)."""

    template_name = "canteen/table.html"
    columns: Sequence[Column] = ()
    related: Sequence[str] = ()
    create_url = ""
    create_perm = ""

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related(*self.related)

    @property
    def export_columns(self) -> Sequence[Column]:  # type: ignore[override]
        return self.columns

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.model._meta.verbose_name_plural
        context["headers"] = [label for label, _value in self.columns]
        context["rows"] = [(obj, [value(obj) for _label, value in self.columns]) for obj in context["object_list"]]
        if self.create_url and self.request.user.has_perm(self.create_perm):
            context["create_url"] = reverse(self.create_url)
        return context


class SampleCreateView(ServiceFormView):
    model = Sample
    permission_required = "canteen.add_sample"
    form_class = SampleForm
    template_name = "canteen/sample_form.html"
    success_message = _("Sample recorded.")

    def perform(self, form: SampleForm) -> Sample:
        return services.sample_record(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("canteen:dashboard")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["dish_names"] = sorted(
            set(selectors.served_dishes(self.request.user.school, today, today).values_list("name", flat=True))
        )
        return context


class SampleListView(TableView):
    model = Sample
    permission_required = "canteen.view_sample"
    template_name = "canteen/sample_list.html"
    search_fields = ("dish", "taken_by", "fridge")
    columns = [
        (_("Meal date"), lambda s: s.meal_date),
        (_("Meal"), lambda s: s.get_meal_display()),
        (_("Dish"), lambda s: s.dish),
        (_("Weight (g)"), lambda s: s.weight_g),
        (_("Taken at"), lambda s: timezone.localtime(s.taken_at).strftime("%Y-%m-%d %H:%M")),
        (_("Taken by"), lambda s: s.taken_by),
        (_("Fridge"), lambda s: s.fridge),
        (
            _("Discarded at"),
            lambda s: timezone.localtime(s.discarded_at).strftime("%Y-%m-%d %H:%M") if s.discarded_at else "",
        ),
    ]


class SampleDiscardView(ActionView):
    model = Sample
    permission_required = "canteen.change_sample"
    success_message = _("Sample discarded.")

    def perform(self, sample: Sample) -> Any:
        return services.sample_discard(actor=self.request.user, sample=sample)


class AccompaniedListView(TableView):
    model = AccompaniedMeal
    permission_required = "canteen.view_accompaniedmeal"
    related = ("leader",)
    create_url, create_perm = "canteen:accompanied_create", "canteen.add_accompaniedmeal"
    columns = [
        (_("Meal date"), lambda a: a.meal_date),
        (_("Meal"), lambda a: a.get_meal_display()),
        (_("Leader"), lambda a: a.leader),
        (_("Feedback"), lambda a: a.feedback),
        (_("Rectification"), lambda a: a.get_rectification_display()),
        (_("Follow-up"), lambda a: a.follow_up),
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        school = self.request.user.school
        if school is not None:
            context["without_leader"] = selectors.meals_without_leader(school, timezone.localdate())
        return context


class AccompaniedCreateView(ServiceFormView):
    model = AccompaniedMeal
    permission_required = "canteen.add_accompaniedmeal"
    form_class = AccompaniedForm
    template_name = "canteen/form.html"
    success_message = _("陪餐 recorded.")
    extra_context = {"title": _("Record 陪餐")}

    def perform(self, form: AccompaniedForm) -> AccompaniedMeal:
        try:
            return services.accompanied_meal_record(
                actor=self.request.user, school=self.request.user.school, **form.cleaned_data
            )
        except ValidationError as error:  # the service names the API's field; the form's is "leader"
            if not hasattr(error, "error_dict"):
                raise
            raise ValidationError({k.removesuffix("_id"): v for k, v in error.message_dict.items()}) from error

    def get_success_url(self) -> str:
        return reverse("canteen:accompanied_list")


class MenuListView(TableView):
    model = Menu
    permission_required = "canteen.view_menu"
    template_name = "canteen/menu_list.html"
    create_url, create_perm = "canteen:menu_create", "canteen.add_menu"


class MenuCreateView(ServiceFormView):
    model = Menu
    permission_required = "canteen.add_menu"
    form_class = MenuForm
    template_name = "canteen/form.html"
    extra_context = {"title": _("New menu")}

    def perform(self, form: MenuForm) -> Menu:
        return services.menu_create(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("canteen:menu_detail", args=[self.object.pk])


class MenuDetailView(ScopedDetailView):
    model = Menu
    permission_required = "canteen.view_menu"
    template_name = "canteen/menu_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["dishes"] = self.object.dishes.all()
        context["dish_form"] = DishForm(initial={"day": self.object.week_start})
        context["public_url"] = public_url(self.request, self.object.school)
        return context


class MenuDishAddView(ServiceFormView):
    model = Menu
    permission_required = "canteen.change_menu"
    form_class = DishForm
    template_name = "canteen/form.html"
    extra_context = {"title": _("Add a dish")}
    success_message = _("Dish added.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        return kwargs

    def perform(self, form: DishForm) -> Menu:
        services.menu_add_dish(actor=self.request.user, menu=self.object, **form.cleaned_data)
        return self.object

    def get_success_url(self) -> str:
        return reverse("canteen:menu_detail", args=[self.object.pk])


class MenuPublishView(ActionView):
    model = Menu
    permission_required = "canteen.change_menu"
    success_message = _("Menu published.")

    def perform(self, menu: Menu) -> Any:
        return services.menu_publish(actor=self.request.user, menu=menu)


class FeedbackListView(ScopedListView):
    model = Feedback
    permission_required = "canteen.view_feedback"
    search_fields = ("text", "reply")
    export_name = _("Parent feedback")
    export_columns = [
        (_("Received at"), lambda f: timezone.localtime(f.created_at).strftime("%Y-%m-%d %H:%M")),
        (_("Dish"), lambda f: f.dish.name if f.dish else ""),
        (_("Comment"), lambda f: f.text),
        (_("Contact"), lambda f: f.contact_masked),
        (_("Status"), lambda f: f.get_status_display()),
        (_("Reply"), lambda f: f.reply),
    ]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("dish", "menu")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["reply_form"] = ReplyForm()
        return context


class FeedbackReplyView(ActionView):
    model = Feedback
    permission_required = "canteen.change_feedback"
    success_message = _("Reply saved.")

    def perform(self, feedback: Feedback) -> Any:
        form = ReplyForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Write a reply."))
        return services.feedback_reply(actor=self.request.user, feedback=feedback, **form.cleaned_data)


class StaffHealthView(ScopedMixin, TemplateView):
    """Certificates (expiring first) and today's pre-shift checks."""

    model = HealthCertificate
    permission_required = "canteen.view_healthcertificate"
    template_name = "canteen/staff_health.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        context["certificates"] = HealthCertificate.objects.visible_to(user).select_related("person")[:200]
        context["checks"] = PreShiftCheck.objects.visible_to(user).filter(day=today).select_related("person")
        context["today"] = today
        if user.school is not None:
            context["expiring_ids"] = {c.pk for c in selectors.expiring_certificates(user.school, today)}
        return context


class SchoolFormView(ServiceFormView):
    """A form whose service takes the user's school and the cleaned fields; back to `success_url_name`."""

    template_name = "canteen/form.html"
    service: Callable[..., Any]
    success_url_name = "canteen:staff_health"

    def perform(self, form: Any) -> Any:
        return type(self).service(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse(self.success_url_name)


class CheckCreateView(SchoolFormView):
    model = PreShiftCheck
    permission_required = "canteen.add_preshiftcheck"
    form_class = CheckForm
    service = services.preshift_check_record
    extra_context = {"title": _("Pre-shift check")}


class CertificateCreateView(SchoolFormView):
    model = HealthCertificate
    permission_required = "canteen.add_healthcertificate"
    form_class = CertificateForm
    service = services.certificate_record
    extra_context = {"title": _("Health certificate")}


class DisinfectionCreateView(SchoolFormView):
    model = Disinfection
    permission_required = "canteen.add_disinfection"
    form_class = DisinfectionForm
    service = services.disinfection_record
    success_url_name = "canteen:disinfection_list"
    extra_context = {"title": _("Tableware disinfection")}


class DeliveryListView(TableView):
    model = Delivery
    permission_required = "canteen.view_delivery"
    related = ("supplier", "inspector", "second_inspector")
    search_fields = ("supplier__name", "lines__name")
    columns = [
        (_("Purchase date"), lambda d: d.purchased_on),
        (_("Supplier"), lambda d: d.supplier),
        (_("Inspector"), lambda d: d.inspector),
        (_("Second inspector"), lambda d: d.second_inspector or ""),
        (_("Earliest deletion date"), lambda d: d.keep_until),
    ]


class DisinfectionListView(TableView):
    model = Disinfection
    permission_required = "canteen.view_disinfection"
    create_url, create_perm = "canteen:disinfection_create", "canteen.add_disinfection"
    columns = [
        (_("Done at"), lambda d: timezone.localtime(d.done_at).strftime("%Y-%m-%d %H:%M")),
        (_("Method"), lambda d: d.get_method_display()),
        (_("Temperature (°C)"), lambda d: d.temperature_c or ""),
        (_("Available chlorine (mg/L)"), lambda d: d.chlorine_mg_l or ""),
        (_("Duration (seconds)"), lambda d: d.duration_s),
        (_("Tableware"), lambda d: d.items),
        (_("Operator"), lambda d: d.operator),
    ]


class LedgerListView(TableView):
    model = LedgerEntry
    permission_required = "canteen.view_ledgerentry"
    columns = [
        (_("Date"), lambda e: e.occurred_on),
        (_("Direction"), lambda e: e.get_direction_display()),
        (_("Category"), lambda e: e.get_category_display()),
        (_("Amount"), lambda e: e.amount),
        (_("Note"), lambda e: e.note),
    ]


#
# The parents' public page (no login)
#


def public_url(request: HttpRequest, school: Any) -> str:
    return request.build_absolute_uri(reverse("canteen:public_menu", args=[services.profile_for(school).public_token]))


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class PublicMenuView(View):
    """Published menus with their publication time and a feedback form; no personal data on this page."""

    def get_profile(self, token: str) -> CanteenProfile:
        return get_object_or_404(CanteenProfile.objects.select_related("school"), public_token=token)

    def menus(self, profile: CanteenProfile) -> QuerySet[Menu]:
        published = Menu.objects.filter(school=profile.school, status=MenuStatus.PUBLISHED)
        return published.prefetch_related("dishes").order_by("-week_start", "-id")[:4]

    def render(self, request: HttpRequest, profile: CanteenProfile, form: Any, menu: Menu | None) -> HttpResponse:
        menus = list(self.menus(profile))
        menu = menu or (menus[0] if menus else None)
        replies = Feedback.objects.filter(school=profile.school, menu__in=menus).exclude(reply="")[:20]
        context = {"school": profile.school, "menus": menus, "menu": menu, "form": form, "replies": replies}
        return render(request, "canteen/public_menu.html", context)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        profile = self.get_profile(token)
        menus = list(self.menus(profile))
        form = PublicFeedbackForm(menu=menus[0]) if menus else None
        return self.render(request, profile, form, None)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        profile = self.get_profile(token)
        menu = next((m for m in self.menus(profile) if str(m.pk) == request.POST.get("menu")), None)
        if menu is None:
            raise Http404
        form = PublicFeedbackForm(request.POST, menu=menu)
        if form.is_valid():
            data = form.cleaned_data
            if data.pop("website"):  # the honeypot: answer as if saved, save nothing
                messages.success(request, _("Thank you, the canteen will reply here."))
                return redirect(request.path)
            try:
                services.feedback_submit(menu=menu, ip=_client_ip(request), **data)
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                messages.success(request, _("Thank you, the canteen will reply here."))
                return redirect(request.path)
        return self.render(request, profile, form, menu)
