"""Health (F1–F6): the classes' morning and noon checks, the students absent or unwell, cluster and fever alerts,
the observation room, and the disinfection schedule with its records. Health data is sensitive (G1): student names
are masked in lists for readers without the need, and reads of one student's case are audited (G5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel
from houqin.core.sensitive import mask_name
from houqin.health.choices import AlertKind, Assessment, Disease, Frequency, Outcome, Reason, Session

USER = settings.AUTH_USER_MODEL
TEMPERATURE = {"max_digits": 3, "decimal_places": 1, "null": True, "blank": True}


class ClassCheck(SchoolOwnedModel):
    """One class's morning, noon (or boarders' evening) check on a school day (F1), by whoever checked."""

    school_class = models.ForeignKey(
        "orgs.SchoolClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("class")
    )
    date = models.DateField(_("date"), db_index=True)
    session = models.CharField(_("check"), max_length=10, choices=Session.choices)
    enrolled = models.PositiveSmallIntegerField(_("enrolled"))
    present = models.PositiveSmallIntegerField(_("present"))
    absent = models.PositiveSmallIntegerField(_("absent"))
    symptomatic = models.PositiveSmallIntegerField(_("symptomatic"), default=0)
    checked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by"))
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("class check")
        verbose_name_plural = _("class checks")
        ordering = ["-date", "school_class__grade", "school_class__number", "school_class_id", "session"]
        permissions = [
            ("check_any_class", _("Can record the check of any class")),
            ("view_school_health", _("Can see the health records of every class")),
            ("see_student_names", _("Can see students' names on health lists")),
            ("view_daily_report", _("Can read the daily health report")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "date", "session"],
                name="health_one_check_per_class_session",
                violation_error_message=_("This class's check for this session is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(symptomatic__lte=F("enrolled")),
                name="health_check_symptomatic_within_enrolled",
                violation_error_message=_("More symptomatic students than enrolled."),
            ),
        ]
        indexes = [models.Index(fields=["school", "date"], name="health_check_school_date_idx")]

    def __str__(self) -> str:
        return f"{self.school_class} {self.date:%Y-%m-%d} {self.get_session_display()}"

    def get_absolute_url(self) -> str:
        return reverse("health:check_detail", args=[self.pk])


class StudentCase(SchoolOwnedModel):
    """A student absent or unwell at a check (F2): the reason, symptoms, temperature, visit and diagnosis; an unknown
    reason is followed up the same day; open until the student returns (with a certificate after a listed disease)."""

    check_record = models.ForeignKey(
        ClassCheck, on_delete=models.PROTECT, related_name="cases", verbose_name=_("check")
    )
    student = models.ForeignKey("orgs.Student", on_delete=models.PROTECT, related_name="+", verbose_name=_("student"))
    school_class = models.ForeignKey(
        "orgs.SchoolClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("class")
    )
    date = models.DateField(_("date"), db_index=True)
    is_absent = models.BooleanField(_("absent"), default=True)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    temperature = models.DecimalField(_("temperature (°C)"), **TEMPERATURE)
    onset_on = models.DateField(_("onset"), null=True, blank=True)
    visited_doctor = models.BooleanField(_("saw a doctor"), default=False)
    institution = models.CharField(_("hospital or clinic"), max_length=100, blank=True)
    diagnosis = models.CharField(_("diagnosis"), max_length=200, blank=True)
    disease = models.CharField(_("infectious disease"), max_length=20, choices=Disease.choices, blank=True)
    contacted_at = models.DateTimeField(_("family contacted at"), null=True, blank=True)
    family_answer = models.CharField(_("family's answer"), max_length=300, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    certificate = models.FileField(_("recovery certificate"), upload_to="health/certificates/%Y/", blank=True)
    certificate_ref = models.CharField(_("certificate reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("student case")
        verbose_name_plural = _("student cases")
        ordering = ["-date", "school_class_id", "student_id", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("date")),
                name="health_case_returns_after_absence",
                violation_error_message=_("A student cannot return before the absence began."),
            ),
        ]
        indexes = [models.Index(fields=["school", "returned_on"], name="health_case_open_idx")]

    def __str__(self) -> str:
        # The audit trail keeps this text: a masked name only.
        return f"{self.date:%Y-%m-%d} {mask_name(self.student.name)}"

    def get_absolute_url(self) -> str:
        return reverse("health:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.is_absent and self.returned_on is None

    @property
    def needs_follow_up(self) -> bool:
        return self.reason == Reason.UNKNOWN and self.contacted_at is None

    def symptom_labels(self) -> list[str]:
        from houqin.health.choices import Symptom

        labels = dict(Symptom.choices)
        return [str(labels.get(s, s)) for s in self.symptoms]


class HealthAlert(SchoolOwnedModel):
    """A cluster or fever alert (F3–F5), raised once by the check service, to be reported within the deadline."""

    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    key = models.CharField(max_length=100, editable=False)
    school_class = models.ForeignKey(
        "orgs.SchoolClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("class")
    )
    student = models.ForeignKey(
        "orgs.Student", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("student")
    )
    date = models.DateField(_("date"), db_index=True)
    symptom = models.CharField(_("symptom"), max_length=20, blank=True)
    disease = models.CharField(_("infectious disease"), max_length=20, choices=Disease.choices, blank=True)
    cases = models.PositiveSmallIntegerField(_("cases"))
    raised_at = models.DateTimeField(_("raised at"))
    report_due_at = models.DateTimeField(_("report due"))
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    report_note = models.CharField(_("report"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("health alert")
        verbose_name_plural = _("health alerts")
        ordering = ["-date", "-raised_at", "-id"]
        permissions = [("report_healthalert", _("Can report health alerts"))]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "key"],
                name="health_alert_raised_once",
                violation_error_message=_("This alert was already raised."),
            ),
        ]

    def __str__(self) -> str:
        where = self.school_class or self.school
        return f"{self.get_kind_display()} {where} {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("health:alert_list")

    @property
    def status(self) -> str:
        if self.reported_at is not None:
            return "reported"
        return "overdue" if timezone.now() > self.report_due_at else "open"


class ObservationVisit(SchoolOwnedModel):
    """临时留观: a student in the observation room, what was done, when the family was told, how it ended (F5)."""

    student = models.ForeignKey("orgs.Student", on_delete=models.PROTECT, related_name="+", verbose_name=_("student"))
    case = models.ForeignKey(
        StudentCase, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    came_at = models.DateTimeField(_("came in at"))
    temperature = models.DecimalField(_("temperature (°C)"), **TEMPERATURE)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    measures = models.CharField(_("measures taken"), max_length=300, blank=True)
    parent_notified_at = models.DateTimeField(_("family told at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("observation room visit")
        verbose_name_plural = _("observation room visits")
        ordering = ["-came_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=F("came_at")),
                name="health_observation_leaves_after_coming",
                violation_error_message=_("A student cannot leave before coming in."),
            ),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.came_at):%Y-%m-%d %H:%M} {mask_name(self.student.name)}"

    def get_absolute_url(self) -> str:
        return reverse("health:observation_list")


class DisinfectionSchedule(SchoolOwnedModel):
    """分区域分部门定时消毒: an area, the department responsible, the agent with its minimum concentration (F6)."""

    area = models.ForeignKey("orgs.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    department = models.ForeignKey(
        "orgs.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    agent = models.CharField(_("disinfectant"), max_length=50)
    min_concentration = models.DecimalField(_("minimum concentration (mg/L)"), max_digits=7, decimal_places=1)
    contact_minutes = models.PositiveSmallIntegerField(_("contact time (minutes)"))
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("disinfection schedule")
        verbose_name_plural = _("disinfection schedules")
        ordering = ["area__full_name", "id"]

    def __str__(self) -> str:
        return f"{self.area} · {self.agent}"

    def get_absolute_url(self) -> str:
        return reverse("health:disinfection")

    def period_start(self, day: dt.date) -> dt.date:
        """The first day of the period (day or ISO week) that `day` falls in."""
        return day - dt.timedelta(days=day.weekday()) if self.frequency == Frequency.WEEKLY else day


class DisinfectionRecord(SchoolOwnedModel):
    """One disinfection done: agent, concentration, contact time and operator (F6)."""

    schedule = models.ForeignKey(
        DisinfectionSchedule, on_delete=models.PROTECT, related_name="records", verbose_name=_("schedule")
    )
    done_at = models.DateTimeField(_("done at"), db_index=True)
    agent = models.CharField(_("disinfectant"), max_length=50)
    concentration = models.DecimalField(_("concentration (mg/L)"), max_digits=7, decimal_places=1)
    contact_minutes = models.PositiveSmallIntegerField(_("contact time (minutes)"))
    operator = models.CharField(_("operator"), max_length=50)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("disinfection record")
        verbose_name_plural = _("disinfection records")
        ordering = ["-done_at", "-id"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.done_at):%Y-%m-%d %H:%M} {self.schedule}"

    def get_absolute_url(self) -> str:
        return reverse("health:disinfection")


class ReporterTraining(SchoolOwnedModel):
    """A class reporter's (the head teacher's) training and assessment in one semester (F8, WS/T 772-2020)."""

    semester = models.ForeignKey(
        "orgs.Semester", on_delete=models.PROTECT, related_name="+", verbose_name=_("semester")
    )
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("reporter"))
    trained_on = models.DateField(_("trained on"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, default=Decimal("2.0"))
    assessment = models.CharField(
        _("assessment"), max_length=10, choices=Assessment.choices, default=Assessment.PENDING
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("reporter training")
        verbose_name_plural = _("reporter trainings")
        ordering = ["-semester__starts_on", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["semester", "person"],
                name="health_one_training_per_reporter_semester",
                violation_error_message=_("This reporter's training for the semester is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.semester} {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("health:training")

    @property
    def is_trained(self) -> bool:
        return self.assessment == Assessment.PASSED


class HealthStaffing(SchoolOwnedModel):
    """The school's health staff (F7): full-time health workers against 1 per 600 students (学校卫生工作条例 art. 20)."""

    full_time = models.PositiveSmallIntegerField(_("full-time health workers"), default=0)
    part_time = models.PositiveSmallIntegerField(_("part-time health teachers"), default=0)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("updated by"))

    class Meta:
        verbose_name = _("health staffing")
        verbose_name_plural = _("health staffing")
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                name="health_one_staffing_per_school",
                violation_error_message=_("The school's health staffing is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.full_time}+{self.part_time}"

    def get_absolute_url(self) -> str:
        return reverse("health:staffing")
