"""Canteen pages: the morning dashboard and the sample form on a phone, 陪餐, menus and the parents' public page,
feedback replies, staff health, and the logs (purchase inspection, disinfection, ledger)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
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
from houqin.canteen.filters import FridgeFilter, IncidentFilter
from houqin.canteen.forms import (
    AccompaniedForm,
    CertificateForm,
    CheckForm,
    CommitteeMemberForm,
    DeliveryForm,
    DeliveryLineForm,
    DeliveryLineFormSet,
    DishForm,
    DisinfectionForm,
    FridgeForm,
    IncidentForm,
    IncidentUpdateForm,
    MealCountForm,
    MenuForm,
    ParentMealForm,
    PriceChangeForm,
    PublicFeedbackForm,
    ReplyForm,
    SampleForm,
    SurveyForm,
    delivery_lines,
)
from houqin.canteen.models import (
    AccompaniedMeal,
    CanteenProfile,
    CommitteeMember,
    Delivery,
    Disinfection,
    Feedback,
    FoodIncident,
    FridgeReading,
    HealthCertificate,
    LedgerEntry,
    MealCount,
    Menu,
    ParentMeal,
    PreShiftCheck,
    PriceChange,
    Sample,
    SatisfactionSurvey,
)
from houqin.core.audit import history_for
from houqin.core.mixins import (
    ActionView,
    AuthenticatedHttpRequest,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    ServiceFormView,
    apply_validation_error,
)
from houqin.orgs.models import Semester

if TYPE_CHECKING:
    from houqin.orgs.models import School

Column = tuple[Any, Callable[[Any], Any]]


def user_school(request: AuthenticatedHttpRequest) -> School:
    """The school of a school user; users without one (bureau staff) record nothing here."""
    if request.user.school is None:
        raise PermissionDenied
    return request.user.school


class DashboardView(ScopedMixin, TemplateView):
    """The canteen manager's morning: each meal of the day with its sample coverage, reminders, staff."""

    model = Sample
    request: AuthenticatedHttpRequest
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
    request: AuthenticatedHttpRequest
    permission_required = "canteen.add_sample"
    form_class = SampleForm
    template_name = "canteen/sample_form.html"
    success_message = _("Sample recorded.")

    def perform(self, form: SampleForm) -> Sample:
        return services.sample_record(actor=self.request.user, school=user_school(self.request), **form.cleaned_data)

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
    request: AuthenticatedHttpRequest
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
    request: AuthenticatedHttpRequest
    permission_required = "canteen.change_sample"
    success_message = _("Sample discarded.")

    def perform(self, sample: Sample) -> Any:
        return services.sample_discard(actor=self.request.user, sample=sample)


class AccompaniedListView(TableView):
    model = AccompaniedMeal
    request: AuthenticatedHttpRequest
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
    request: AuthenticatedHttpRequest
    permission_required = "canteen.add_accompaniedmeal"
    form_class = AccompaniedForm
    template_name = "canteen/form.html"
    success_message = _("陪餐 recorded.")
    extra_context = {"title": _("Record 陪餐")}

    def perform(self, form: AccompaniedForm) -> AccompaniedMeal:
        try:
            return services.accompanied_meal_record(
                actor=self.request.user, school=user_school(self.request), **form.cleaned_data
            )
        except ValidationError as error:  # the service names the API's field; the form's is "leader"
            if not hasattr(error, "error_dict"):
                raise
            raise ValidationError({k.removesuffix("_id"): v for k, v in error.message_dict.items()}) from error

    def get_success_url(self) -> str:
        return reverse("canteen:accompanied_list")


class MenuListView(TableView):
    model = Menu
    request: AuthenticatedHttpRequest
    permission_required = "canteen.view_menu"
    template_name = "canteen/menu_list.html"
    create_url, create_perm = "canteen:menu_create", "canteen.add_menu"


class MenuCreateView(ServiceFormView):
    model = Menu
    request: AuthenticatedHttpRequest
    permission_required = "canteen.add_menu"
    form_class = MenuForm
    template_name = "canteen/form.html"
    extra_context = {"title": _("New menu")}

    def perform(self, form: MenuForm) -> Menu:
        return services.menu_create(actor=self.request.user, school=user_school(self.request), **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("canteen:menu_detail", args=[self.object.pk])


class MenuDetailView(ScopedDetailView):
    model = Menu
    request: AuthenticatedHttpRequest
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
    request: AuthenticatedHttpRequest
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
    request: AuthenticatedHttpRequest
    permission_required = "canteen.change_menu"
    success_message = _("Menu published.")

    def perform(self, menu: Menu) -> Any:
        return services.menu_publish(actor=self.request.user, menu=menu)


class FeedbackListView(ScopedListView):
    model = Feedback
    request: AuthenticatedHttpRequest
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
    request: AuthenticatedHttpRequest
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
    request: AuthenticatedHttpRequest
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
    request: AuthenticatedHttpRequest
    service: Callable[..., Any]
    success_url_name = "canteen:staff_health"

    def perform(self, form: Any) -> Any:
        return type(self).service(actor=self.request.user, school=user_school(self.request), **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse(self.success_url_name)


class CheckCreateView(SchoolFormView):
    model = PreShiftCheck
    request: AuthenticatedHttpRequest
    permission_required = "canteen.add_preshiftcheck"
    form_class = CheckForm
    service = services.preshift_check_record
    extra_context = {"title": _("Pre-shift check")}


class CertificateCreateView(SchoolFormView):
    model = HealthCertificate
    request: AuthenticatedHttpRequest
    permission_required = "canteen.add_healthcertificate"
    form_class = CertificateForm
    service = services.certificate_record
    extra_context = {"title": _("Health certificate")}


class DisinfectionCreateView(SchoolFormView):
    model = Disinfection
    request: AuthenticatedHttpRequest
    permission_required = "canteen.add_disinfection"
    form_class = DisinfectionForm
    service = services.disinfection_record
    success_url_name = "canteen:disinfection_list"
    extra_context = {"title": _("Tableware disinfection")}


class DeliveryListView(TableView):
    model = Delivery
    request: AuthenticatedHttpRequest
    permission_required = "canteen.view_delivery"
    template_name = "canteen/delivery_list.html"
    related = ("supplier", "inspector", "second_inspector")
    search_fields = ("supplier__name", "lines__name")
    create_url, create_perm = "canteen:delivery_create", "canteen.add_delivery"
    columns = [
        (_("Purchase date"), lambda d: d.purchased_on),
        (_("Supplier"), lambda d: d.supplier),
        (_("Inspector"), lambda d: d.inspector),
        (_("Second inspector"), lambda d: d.second_inspector or ""),
        (_("Earliest deletion date"), lambda d: d.keep_until),
    ]


def _field_name(key: str) -> str:
    return key.removesuffix("_id")


class DeliveryCreateView(ScopedMixin, TemplateView):
    """The purchase inspection form (C8): the delivery's head and its lines; one service call saves it all."""

    model = Delivery
    request: AuthenticatedHttpRequest
    permission_required = "canteen.add_delivery"
    template_name = "canteen/delivery_form.html"

    def forms(self, data: Any) -> tuple[DeliveryForm, Any]:
        return DeliveryForm(data, user=self.request.user), DeliveryLineFormSet(data, prefix="lines")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if "form" not in kwargs:
            context["form"], context["formset"] = self.forms(None)
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        form, formset = self.forms(request.POST)
        if form.is_valid() and formset.is_valid():
            lines = delivery_lines(formset)
            try:
                delivery = services.delivery_record(
                    actor=self.request.user,
                    school=user_school(self.request),
                    lines=[values for _index, values in lines],
                    **form.cleaned_data,
                )
            except ValidationError as error:
                self.show_errors(form, formset, [index for index, _values in lines], error)
            else:
                messages.success(request, _("Purchase inspection recorded."))
                return redirect(delivery.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    @staticmethod
    def show_errors(form: DeliveryForm, formset: Any, rows: list[int], error: ValidationError) -> None:
        """The service names line fields "lines.<n>.<field>" (n counts filled rows): show each beside its field."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                form.add_error(None, message)
            return
        for key, messages_ in error.message_dict.items():
            parts = key.split(".")
            for message in messages_:
                if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(rows):
                    line = formset.forms[rows[int(parts[1])]]
                    line.add_error(parts[2] if parts[2] in line.fields else None, message)
                else:
                    name = _field_name(key)
                    form.add_error(name if name in form.fields else None, message)


class DeliveryLineRowView(ScopedMixin, TemplateView):
    """One more empty line for the delivery form (htmx), with the formset's new row count out of band."""

    model = Delivery
    request: AuthenticatedHttpRequest
    permission_required = "canteen.add_delivery"
    template_name = "canteen/_delivery_line_row.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            index = max(0, min(int(self.request.GET.get("lines-TOTAL_FORMS", "0")), 49))
        except ValueError:
            index = 0
        context["line"] = DeliveryLineForm(prefix=f"lines-{index}", empty_permitted=True, use_required_attribute=False)
        context["total"] = index + 1
        context["oob"] = True
        return context


class DeliveryDetailView(ScopedDetailView):
    model = Delivery
    request: AuthenticatedHttpRequest
    permission_required = "canteen.view_delivery"
    template_name = "canteen/delivery_detail.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("supplier", "inspector", "second_inspector", "recorded_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["lines"] = self.object.lines.all()
        context["deletable"] = timezone.localdate() >= self.object.keep_until
        return context


class DeliveryDeleteView(ActionView):
    model = Delivery
    request: AuthenticatedHttpRequest
    permission_required = "canteen.delete_delivery"
    success_message = _("Purchase inspection deleted.")

    def perform(self, delivery: Delivery) -> Any:
        return services.delivery_delete(actor=self.request.user, delivery=delivery)


class DisinfectionListView(TableView):
    model = Disinfection
    request: AuthenticatedHttpRequest
    permission_required = "canteen.view_disinfection"
    create_url, create_perm = "canteen:disinfection_create", "canteen.add_disinfection"
    columns = [
        (_("Done at"), lambda d: timezone.localtime(d.done_at).strftime("%Y-%m-%d %H:%M")),
        (_("Method"), lambda d: d.get_method_display()),
        (_("Temperature reading (°C)"), lambda d: d.temperature_c or ""),
        (_("Available chlorine (mg/L)"), lambda d: d.chlorine_mg_l or ""),
        (_("Duration (seconds)"), lambda d: d.duration_s),
        (_("Tableware"), lambda d: d.items),
        (_("Operator"), lambda d: d.operator),
    ]


class LedgerListView(TableView):
    model = LedgerEntry
    request: AuthenticatedHttpRequest
    permission_required = "canteen.view_ledgerentry"
    columns = [
        (_("Date"), lambda e: e.occurred_on),
        (_("Direction"), lambda e: e.get_direction_display()),
        (_("Category"), lambda e: e.get_category_display()),
        (_("Amount"), lambda e: e.amount),
        (_("Note"), lambda e: e.note),
    ]


#
# Fridge readings (C4)
#


class FridgeListView(TableView):
    model = FridgeReading
    request: AuthenticatedHttpRequest
    permission_required = "canteen.view_fridgereading"
    template_name = "canteen/fridgereading_list.html"
    filterset_class = FridgeFilter
    search_fields = ("fridge",)
    create_url, create_perm = "canteen:fridge_create", "canteen.add_fridgereading"
    columns = [
        (_("Read at"), lambda r: timezone.localtime(r.read_at).strftime("%Y-%m-%d %H:%M")),
        (_("Fridge"), lambda r: r.fridge),
        (_("Temperature reading (°C)"), lambda r: r.celsius),
        (_("Out of range"), lambda r: _("yes") if r.out_of_range else ""),
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        school = self.request.user.school
        if school is not None:
            context["range"] = selectors.fridge_range(school, timezone.localdate())
        return context


class FridgeCreateView(SchoolFormView):
    model = FridgeReading
    request: AuthenticatedHttpRequest
    permission_required = "canteen.add_fridgereading"
    form_class = FridgeForm
    template_name = "canteen/fridge_form.html"
    service = services.fridge_reading_record
    success_url_name = "canteen:fridge_list"
    extra_context = {"title": _("Record a fridge temperature")}

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.object = self.perform(form)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        if self.object.out_of_range:  # saved all the same, as an alert
            messages.warning(self.request, _("Saved: the temperature is out of range, check the fridge."))
        else:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["fridges"] = selectors.fridge_names(self.request.user)
        return context


#
# Parent 陪餐
#


class ParentMealListView(TableView):
    model = ParentMeal
    request: AuthenticatedHttpRequest
    permission_required = "canteen.view_parentmeal"
    related = ("school_class",)
    search_fields = ("parent_name", "feedback", "school_class__name")
    create_url, create_perm = "canteen:parent_meal_create", "canteen.add_parentmeal"
    columns = [
        (_("Meal date"), lambda p: p.meal_date),
        (_("Meal"), lambda p: p.get_meal_display()),
        (_("Parent"), lambda p: p.parent_name),
        (_("Class"), lambda p: p.school_class),
        (_("Price paid"), lambda p: p.price_paid),
        (_("Feedback"), lambda p: p.feedback),
        (_("School response"), lambda p: p.school_response),
    ]


class ParentMealCreateView(SchoolFormView):
    model = ParentMeal
    request: AuthenticatedHttpRequest
    permission_required = "canteen.add_parentmeal"
    form_class = ParentMealForm
    service = services.parent_meal_record
    success_url_name = "canteen:parent_meal_list"
    success_message = _("Parent accompanied meal recorded.")
    extra_context = {"title": _("Record a parent accompanied meal")}


#
# Meal counts and price changes (C14)
#


class MealCountListView(TableView):
    model = MealCount
    request: AuthenticatedHttpRequest
    permission_required = "canteen.view_mealcount"
    template_name = "canteen/mealcount_list.html"
    related = ("tenant",)
    search_fields = ("tenant__name",)
    create_url, create_perm = "canteen:meal_count_create", "canteen.add_mealcount"
    columns = [
        (_("Month"), lambda m: f"{m.month:%Y-%m}"),
        (_("Diners"), lambda m: m.tenant or _("School staff")),
        (_("Number of diners"), lambda m: m.diners),
        (_("Meals"), lambda m: m.meals),
        (_("Price per meal"), lambda m: m.unit_price),
        (_("Amount"), lambda m: m.amount),
        (_("Offset against rent"), lambda m: _("yes") if m.offset_against_rent else ""),
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["offsets"] = selectors.rent_offsets(self.request.user)
        return context


class MealCountCreateView(SchoolFormView):
    model = MealCount
    request: AuthenticatedHttpRequest
    permission_required = "canteen.add_mealcount"
    form_class = MealCountForm
    service = services.meal_count_record
    success_url_name = "canteen:meal_count_list"
    extra_context = {"title": _("Record meal counts")}


class PriceChangeListView(TableView):
    model = PriceChange
    request: AuthenticatedHttpRequest
    permission_required = "canteen.view_pricechange"
    search_fields = ("decision_record",)
    create_url, create_perm = "canteen:price_change_create", "canteen.add_pricechange"
    columns = [
        (_("Effective from"), lambda p: p.effective_on),
        (_("Meal"), lambda p: p.get_meal_display()),
        (_("New price"), lambda p: p.new_price),
        (_("Published on"), lambda p: p.published_on),
        (_("Collective decision record"), lambda p: p.decision_record),
    ]


class PriceChangeCreateView(SchoolFormView):
    model = PriceChange
    request: AuthenticatedHttpRequest
    permission_required = "canteen.add_pricechange"
    form_class = PriceChangeForm
    service = services.price_change_record
    success_url_name = "canteen:price_change_list"
    extra_context = {"title": _("Meal price change")}


#
# Food incidents (C15)
#


class IncidentListView(TableView):
    model = FoodIncident
    request: AuthenticatedHttpRequest
    permission_required = "canteen.view_foodincident"
    template_name = "canteen/foodincident_list.html"
    filterset_class = IncidentFilter
    search_fields = ("description",)
    create_url, create_perm = "canteen:incident_create", "canteen.add_foodincident"
    columns = [
        (_("Occurred at"), lambda i: timezone.localtime(i.occurred_at).strftime("%Y-%m-%d %H:%M")),
        (_("Meal"), lambda i: f"{i.meal_date:%m-%d} {i.get_meal_display()}"),
        (_("What happened"), lambda i: i.description),
        (_("People affected"), lambda i: i.affected),
        (_("Samples secured"), lambda i: _("yes") if i.samples_secured else _("no")),
        (
            _("Reported to the authorities at"),
            lambda i: timezone.localtime(i.reported_at).strftime("%Y-%m-%d %H:%M") if i.reported_at else "",
        ),
        (_("Status"), lambda i: i.get_status_display()),
    ]


class IncidentCreateView(SchoolFormView):
    model = FoodIncident
    request: AuthenticatedHttpRequest
    permission_required = "canteen.add_foodincident"
    form_class = IncidentForm
    service = services.incident_open
    success_message = _("Food incident reported: secure the samples and report it to the authorities.")
    extra_context = {"title": _("Report a food incident")}

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class IncidentDetailView(ScopedDetailView):
    model = FoodIncident
    request: AuthenticatedHttpRequest
    permission_required = "canteen.view_foodincident"
    template_name = "canteen/foodincident_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", IncidentUpdateForm(instance=self.object))
        return context


class IncidentUpdateView(ServiceFormView):
    """The incident's follow-up: report time, samples secured, status (C15)."""

    model = FoodIncident
    request: AuthenticatedHttpRequest
    permission_required = "canteen.change_foodincident"
    form_class = IncidentUpdateForm
    template_name = "canteen/foodincident_detail.html"
    success_message = _("Incident updated.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["history"] = history_for(self.object)[:50]
        return context

    def perform(self, form: IncidentUpdateForm) -> FoodIncident:
        data = form.cleaned_data
        return services.incident_update(
            actor=self.request.user,
            incident=self.object,
            status=data["status"],
            reported_at=data["reported_at"],
            samples_secured=data["samples_secured"],
        )


#
# Governance (C13): satisfaction surveys and the parents' dining committee
#


class GovernanceView(ScopedMixin, TemplateView):
    """A semester's dining committee against C13 (≥ 7 members, every grade, declarations) and its surveys."""

    model = CommitteeMember
    request: AuthenticatedHttpRequest
    permission_required = "canteen.view_committeemember"
    template_name = "canteen/governance.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        school, today = user_school(self.request), timezone.localdate()
        semesters = Semester.objects.visible_to(self.request.user)
        chosen = self.request.GET.get("semester", "")
        semester = semesters.filter(pk=chosen).first() if chosen.isdigit() else selectors.semester_on(school, today)
        semester = semester or semesters.first()
        context.update({"semesters": semesters, "semester": semester, "today": today})
        if semester is not None:
            context["committee"] = selectors.committee_status(school, semester)
            context["surveys"] = SatisfactionSurvey.objects.filter(school=school, semester=semester)
            context["survey_overdue"] = selectors.survey_overdue(school, today)
            if semester.starts_on <= today <= semester.ends_on:
                context["week"] = selectors.semester_week(semester, today)
        return context


class GovernanceFormView(SchoolFormView):
    """A form of the governance page; the semester shown there is preselected."""

    success_url_name = "canteen:governance"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        chosen = self.request.GET.get("semester", "")
        semesters = Semester.objects.visible_to(self.request.user)
        kwargs["semester"] = semesters.filter(pk=chosen).first() if chosen.isdigit() else None
        if kwargs["semester"] is None and self.request.user.school is not None:
            kwargs["semester"] = selectors.semester_on(self.request.user.school, timezone.localdate())
        return kwargs

    def get_success_url(self) -> str:
        return f"{reverse(self.success_url_name)}?semester={self.object.semester_id}"


class SurveyCreateView(GovernanceFormView):
    model = SatisfactionSurvey
    permission_required = "canteen.add_satisfactionsurvey"
    form_class = SurveyForm
    service = services.survey_record
    success_message = _("Satisfaction survey recorded.")
    extra_context = {"title": _("Food-safety satisfaction survey")}


class CommitteeMemberCreateView(GovernanceFormView):
    model = CommitteeMember
    permission_required = "canteen.add_committeemember"
    form_class = CommitteeMemberForm
    service = services.committee_member_add
    success_message = _("Committee member added.")
    extra_context = {"title": _("Add a dining committee member")}


class CommitteeMemberRemoveView(ActionView):
    model = CommitteeMember
    request: AuthenticatedHttpRequest
    permission_required = "canteen.delete_committeemember"
    success_message = _("Committee member removed.")

    def perform(self, member: CommitteeMember) -> Any:
        return services.committee_member_remove(actor=self.request.user, member=member)


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
