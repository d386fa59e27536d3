"""Health pages: the head teacher's 晨午检 on a phone and their class's absences; the doctor's dashboard for today,
alerts, the observation room and disinfection; the daily report for the school and the bureau (Excel export)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from houqin.core.exporting import xlsx_response
from houqin.core.mixins import (
    ActionView,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    ServiceFormView,
    apply_validation_error,
)
from houqin.core.sensitive import mask_name
from houqin.health import selectors, services
from houqin.health.choices import Disease, Session, Symptom
from houqin.health.forms import (
    ENTRY_KINDS,
    CheckForm,
    CloseObservationForm,
    FollowUpForm,
    ObservationForm,
    RecordForm,
    ReportForm,
    ReturnForm,
    ScheduleForm,
    StaffingForm,
    TrainingForm,
)
from houqin.health.models import (
    ClassCheck,
    DisinfectionRecord,
    DisinfectionSchedule,
    HealthAlert,
    HealthStaffing,
    ObservationVisit,
    ReporterTraining,
    StudentCase,
)
from houqin.orgs.models import Semester


def student_name(user: Any, name: str) -> str:
    """Names on health lists are masked for readers without the need (G1)."""
    return name if user.has_perm("health.see_student_names") else mask_name(name)


def _cleaned(form: Any) -> dict[str, Any]:
    """The form's data for a POST-only action; a field error comes back as the action's error message."""
    if not form.is_valid():
        raise ValidationError([message for messages_ in form.errors.values() for message in messages_])
    return form.cleaned_data


def _day(request: HttpRequest) -> dt.date:
    return parse_date(request.GET.get("date") or "") or timezone.localdate()


class DashboardView(ScopedMixin, TemplateView):
    """The doctor's page for today: classes missing their check, open alerts, unknown absences not followed up,
    the observation room."""

    model = ClassCheck
    permission_required = "health.view_school_health"
    template_name = "health/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # One query per panel, rows as plain values (selectors.dashboard); no TemplateView context beyond it.
        return {"view": self, **selectors.dashboard(user=self.request.user, day=timezone.localdate())}


class CheckFormView(ScopedMixin, TemplateView):
    """The head teacher's 晨午检: counts, and a row per absent or unwell student (reason, symptoms, temperature)."""

    model = ClassCheck
    permission_required = "health.add_classcheck"
    template_name = "health/check_form.html"

    def _classes(self) -> QuerySet:
        user = self.request.user
        classes = selectors.classes_for(user)
        if user.has_perm("health.check_any_class"):
            return classes
        return classes.filter(head_teacher_id=user.person_id) if user.person_id else classes.none()

    def _form(self, data: Any = None) -> CheckForm | None:
        classes = list(self._classes())
        wanted = self.request.POST.get("class") or self.request.GET.get("class")
        chosen = next((c for c in classes if str(c.pk) == wanted), classes[0] if classes else None)
        if wanted and chosen is not None and str(chosen.pk) != wanted:
            raise Http404
        self.classes, self.school_class = classes, chosen
        if chosen is None:
            return None
        return CheckForm(data, school_class=chosen, enrolled=selectors.enrolled_count(chosen), user=self.request.user)

    def _render(self, form: CheckForm | None) -> HttpResponse:
        context = self.get_context_data(form=form, classes=self.classes, school_class=self.school_class)
        context |= {"kinds": ENTRY_KINDS, "symptoms": Symptom.choices, "sessions": Session.choices}
        return self.render_to_response(context)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        form = self._form(request.POST)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                check = services.check_submit(actor=request.user, school_class=self.school_class, **form.values())
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Check recorded."))
                return HttpResponseRedirect(check.get_absolute_url())
        return self._render(form)


class CheckListView(ScopedListView):
    model = ClassCheck
    permission_required = "health.view_classcheck"
    search_fields = ("school_class__name",)
    export_name = _("Class checks")
    export_columns = [
        (_("Date"), lambda c: c.date),
        (_("Check"), lambda c: c.get_session_display()),
        (_("Class"), lambda c: c.school_class),
        (_("Enrolled"), lambda c: c.enrolled),
        (_("Present"), lambda c: c.present),
        (_("Absent"), lambda c: c.absent),
        (_("Symptomatic"), lambda c: c.symptomatic),
        (_("Checked by"), lambda c: c.checked_by.name),
        (_("Checked at"), lambda c: c.checked_at),
    ]

    def get_queryset(self) -> QuerySet:
        rows = selectors.checks(user=self.request.user, date=parse_date(self.request.GET.get("date") or ""))
        q = self.request.GET.get("q", "").strip()
        return rows.filter(school_class__name__icontains=q) if q else rows


class CheckDetailView(ScopedDetailView):
    model = ClassCheck
    permission_required = "health.view_classcheck"

    def get_queryset(self) -> QuerySet:
        return selectors.checks(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cases = self.object.cases.select_related("student")
        context["cases"] = [(case, student_name(self.request.user, case.student.name)) for case in cases]
        return context


class AbsenceListView(ScopedListView):
    """Open absences (the class's for a head teacher), with follow-up of unknown reasons and the return."""

    model = StudentCase
    permission_required = "health.view_studentcase"
    template_name = "health/absence_list.html"
    export_name = _("Open absences")
    export_columns = [
        (_("Date"), lambda c: c.date),
        (_("Class"), lambda c: c.school_class),
        (_("Student"), lambda c: mask_name(c.student.name)),
        (_("Reason"), lambda c: c.get_reason_display()),
        (_("Symptoms"), lambda c: "、".join(c.symptom_labels())),
        (_("Infectious disease"), lambda c: c.get_disease_display()),
        (_("Family contacted at"), lambda c: c.contacted_at),
    ]

    def get_queryset(self) -> QuerySet:
        return selectors.open_absences(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["rows"] = [(case, student_name(user, case.student.name)) for case in context["object_list"]]
        return context


class CaseDetailView(ScopedDetailView):
    """One student's case; each read is audited (G5)."""

    model = StudentCase
    permission_required = "health.view_studentcase"

    def get_queryset(self) -> QuerySet:
        return StudentCase.objects.visible_to(self.request.user).select_related("student", "school_class")

    def get_object(self, queryset: QuerySet | None = None) -> StudentCase:
        case = super().get_object(queryset)
        user = self.request.user
        if selectors.own_classes_only(user) and not selectors.is_own_class(user, case.school_class):
            raise PermissionDenied
        services.case_viewed(actor=user, case=case)
        return case

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["name"] = student_name(self.request.user, self.object.student.name)
        context["follow_up_form"] = FollowUpForm()
        context["return_form"] = ReturnForm(initial={"returned_on": timezone.localdate()})
        return context


class CaseFollowUpView(ActionView):
    model = StudentCase
    permission_required = "health.change_studentcase"
    success_message = _("Follow-up recorded.")

    def perform(self, case: StudentCase) -> Any:
        values = _cleaned(FollowUpForm(self.request.POST))
        services.case_follow_up(actor=self.request.user, case=case, **values)


class CaseReturnView(ActionView):
    model = StudentCase
    permission_required = "health.change_studentcase"
    success_message = _("Return recorded; the absence is closed.")

    def perform(self, case: StudentCase) -> Any:
        values = _cleaned(ReturnForm(self.request.POST, self.request.FILES))
        services.case_return(actor=self.request.user, case=case, **values)


class AlertListView(ScopedListView):
    model = HealthAlert
    permission_required = "health.view_healthalert"
    export_name = _("Health alerts")
    export_columns = [
        (_("School"), lambda a: a.school),
        (_("Kind"), lambda a: a.get_kind_display()),
        (_("Class"), lambda a: a.school_class or ""),
        (_("Date"), lambda a: a.date),
        (_("Cases"), lambda a: a.cases),
        (_("Report due"), lambda a: a.report_due_at),
        (_("Reported at"), lambda a: a.reported_at),
    ]

    def get_queryset(self) -> QuerySet:
        day = parse_date(self.request.GET.get("date") or "")
        return selectors.alerts(user=self.request.user, day=day, open_only=self.request.GET.get("open") == "1")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["report_form"] = ReportForm()
        context["now"] = timezone.now()
        return context


class AlertReportView(ActionView):
    model = HealthAlert
    permission_required = "health.report_healthalert"
    success_message = _("Marked as reported.")

    def perform(self, alert: HealthAlert) -> Any:
        services.alert_report(actor=self.request.user, alert=alert, note=self.request.POST.get("note", ""))


REPORT_COLUMNS = [
    (_("School"), lambda r: r["school_name"]),
    (_("Date"), lambda r: r["date"]),
    (_("Classes checked"), lambda r: r["classes_checked"]),
    (_("Classes"), lambda r: r["classes_total"]),
    (_("Enrolled"), lambda r: r["enrolled"]),
    (_("Present"), lambda r: r["present"]),
    (_("Absent"), lambda r: r["absent"]),
    (_("Absent through illness"), lambda r: r["illness_absent"]),
    (_("By symptom"), lambda r: r["by_symptom_text"]),
    (_("Infectious disease cases"), lambda r: r["infectious_cases"]),
]


class DailyReportView(ScopedMixin, TemplateView):
    """因病缺课 daily report per school (the bureau sees every school of the district), with Excel export."""

    model = ClassCheck
    permission_required = "health.view_daily_report"
    template_name = "health/daily_report.html"

    def rows(self, day: dt.date) -> list[dict[str, Any]]:
        labels = dict(Symptom.choices)
        rows = selectors.daily_report(user=self.request.user, day=day)
        for row in rows:
            parts = [f"{labels.get(k, k)} {v}" for k, v in sorted(row["by_symptom"].items())]
            row["by_symptom_text"] = "、".join(parts)
        return rows

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        day = _day(request)
        if request.GET.get("export") == "xlsx":
            title = f"{_('Daily health report')} {day:%Y-%m-%d}"
            return xlsx_response(title, str(_("Daily health report")), REPORT_COLUMNS, self.rows(day))
        return self.render_to_response(self.get_context_data(day=day, rows=self.rows(day)))


STATS_COLUMNS = [
    (_("Class"), lambda r: r["class_name"]),
    (_("Student-days"), lambda r: r["student_days"]),
    (_("Student-days absent"), lambda r: r["absent_days"]),
    (_("Absent through illness"), lambda r: r["illness_days"]),
    (_("Illness absence rate (%)"), lambda r: r["illness_rate"]),
]


class StatsView(ScopedMixin, TemplateView):
    """A period's health figures for the term summary (default: this semester up to today), with Excel export."""

    model = ClassCheck
    permission_required = "health.view_school_health"
    template_name = "health/stats.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        start, end = selectors.term_window(request.user)
        start = parse_date(request.GET.get("start") or "") or start
        end = parse_date(request.GET.get("end") or "") or end
        stats = selectors.semester_stats(user=request.user, start=start, end=end)
        if request.GET.get("export") == "xlsx":
            title = f"{_('Health statistics')} {start:%Y-%m-%d}–{end:%Y-%m-%d}"
            return xlsx_response(title, str(_("Health statistics")), STATS_COLUMNS, stats["by_class"])
        diseases = [(dict(Disease.choices).get(key, key), n) for key, n in stats["by_disease"].items()]
        return self.render_to_response(self.get_context_data(stats=stats, diseases=diseases, start=start, end=end))


class ObservationListView(ScopedListView):
    model = ObservationVisit
    permission_required = "health.view_observationvisit"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("student__school_class")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["rows"] = [(v, student_name(user, v.student.name)) for v in context["object_list"]]
        context["close_form"] = CloseObservationForm()
        return context


class ObservationCreateView(ServiceFormView):
    model = ObservationVisit
    permission_required = "health.add_observationvisit"
    form_class = ObservationForm
    template_name = "health/form.html"
    success_message = _("Student in the observation room.")
    extra_context = {"title": _("Observation room: a student comes in")}

    def perform(self, form: ObservationForm) -> ObservationVisit:
        return services.observation_open(actor=self.request.user, **form.cleaned_data)


class ObservationCloseView(ActionView):
    model = ObservationVisit
    permission_required = "health.change_observationvisit"
    success_message = _("The student left the observation room.")

    def perform(self, visit: ObservationVisit) -> Any:
        values = _cleaned(CloseObservationForm(self.request.POST))
        services.observation_close(actor=self.request.user, visit=visit, **values)


class DisinfectionView(ScopedMixin, TemplateView):
    """The schedule per area and department, missed disinfections of the last 7 days, and the latest records."""

    model = DisinfectionSchedule
    permission_required = "health.view_disinfectionschedule"
    template_name = "health/disinfection.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        schedules = DisinfectionSchedule.objects.visible_to(user).filter(is_active=True)
        context["schedules"] = schedules.select_related("area", "department")
        yesterday = today - dt.timedelta(days=1)
        context["missed"] = selectors.missed_disinfections(
            user=user, since=today - dt.timedelta(days=7), until=yesterday
        )
        context["records"] = selectors.disinfection_records(user=user)[:30]
        return context


class ScheduleCreateView(ServiceFormView):
    model = DisinfectionSchedule
    permission_required = "health.add_disinfectionschedule"
    form_class = ScheduleForm
    template_name = "health/form.html"
    extra_context = {"title": _("New disinfection schedule")}

    def perform(self, form: ScheduleForm) -> DisinfectionSchedule:
        return services.disinfection_schedule_add(
            actor=self.request.user, school=self.request.user.school, **form.cleaned_data
        )


class RecordCreateView(ServiceFormView):
    model = DisinfectionRecord
    permission_required = "health.add_disinfectionrecord"
    form_class = RecordForm
    template_name = "health/form.html"
    success_message = _("Disinfection recorded.")
    extra_context = {"title": _("Record a disinfection")}

    def get_initial(self) -> dict[str, Any]:
        return {"schedule": self.request.GET.get("schedule")}

    def perform(self, form: RecordForm) -> DisinfectionRecord:
        data = dict(form.cleaned_data)
        schedule = get_object_or_404(
            DisinfectionSchedule.objects.visible_to(self.request.user), pk=data.pop("schedule").pk
        )
        return services.disinfection_record(actor=self.request.user, schedule=schedule, **data)

    def get_success_url(self) -> str:
        return reverse("health:disinfection")


class TrainingView(ScopedMixin, TemplateView):
    """F8: the class reporters (head teachers) of the semester with their training and assessment; the doctor
    records them here."""

    model = ReporterTraining
    permission_required = "health.view_reportertraining"
    template_name = "health/training.html"

    def _semester(self) -> Any:
        wanted = self.request.GET.get("semester") or self.request.POST.get("semester")
        semesters = Semester.objects.visible_to(self.request.user)
        if wanted:
            return get_object_or_404(semesters, pk=wanted) if wanted.isdigit() else None
        return selectors.current_semester(self.request.user.district_id, timezone.localdate())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        semester = self._semester()
        context["semester"] = semester
        context["semesters"] = Semester.objects.visible_to(user)
        context["rows"] = selectors.reporters(user=user, semester=semester)
        context["untrained"] = sum(1 for row in context["rows"] if not row["trained"])
        context.setdefault("form", TrainingForm(user=user, initial={"semester": semester}))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm("health.add_reportertraining"):
            raise PermissionDenied
        form = TrainingForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            school = request.user.school or data["person"].school
            try:
                services.training_record(actor=request.user, school=school, **data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Training recorded."))
                return HttpResponseRedirect(f"{reverse('health:training')}?semester={data['semester'].pk}")
        return self.render_to_response(self.get_context_data(form=form))


class StaffingView(ServiceFormView):
    """F7: the school's full-time health workers and part-time health teachers."""

    model = HealthStaffing
    permission_required = "health.change_healthstaffing"
    form_class = StaffingForm
    template_name = "health/form.html"
    success_message = _("Health staffing saved.")
    extra_context = {"title": _("Health staffing"), "cancel_url": reverse_lazy("health:dashboard")}

    def get_initial(self) -> dict[str, Any]:
        current = HealthStaffing.objects.filter(school=self.request.user.school).first()
        return {"full_time": current.full_time, "part_time": current.part_time} if current else {}

    def perform(self, form: StaffingForm) -> HealthStaffing:
        if self.request.user.school is None:
            raise PermissionDenied
        return services.staffing_set(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("health:dashboard")
