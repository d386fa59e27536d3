"""The organisation: district, schools, semesters, departments, places, people, classes, students, tenants."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from houqin.core.models import PinyinIndexed, SchoolOwnedModel, TimeStampedModel
from houqin.core.sensitive import mask_phone
from houqin.orgs.choices import PersonKind, PlaceKind, PlaceUse, SchoolKind, Sex, TenantKind


class District(TimeStampedModel):
    """A district education bureau (区/县教育局): it sets semesters and rules for its schools."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("code"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user) -> SchoolQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser and user.school_id is None and user.district_id is None:
            return self
        if user.school_id is not None:
            return self.filter(pk=user.school_id)
        return self.filter(district_id=user.district_id)


class School(TimeStampedModel):
    """A primary or secondary school (or kindergarten) of one district."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools", verbose_name=_("district"))
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("school code"), max_length=20, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=SchoolKind.choices, default=SchoolKind.PRIMARY)
    is_boarding = models.BooleanField(_("boarding school"), default=False)
    address = models.CharField(_("address"), max_length=200, blank=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["district", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                name="orgs_school_unique_name_per_district",
                violation_error_message=_("A school with this name already exists in the district."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SemesterQuerySet(models.QuerySet):
    def visible_to(self, user) -> SemesterQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser and user.district_id is None:
            return self
        return self.filter(district_id=user.district_id)


class Semester(TimeStampedModel):
    """A term (学年学期), set by the district; its schools inherit it."""

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="semesters", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=50)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    objects = SemesterQuerySet.as_manager()

    class Meta:
        verbose_name = _("semester")
        verbose_name_plural = _("semesters")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                name="orgs_semester_unique_name",
                violation_error_message=_("A semester with this name already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="orgs_semester_ends_after_start",
                violation_error_message=_("The semester must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Department(PinyinIndexed, SchoolOwnedModel):
    """A department of a school (总务处, 教导处, 年级组, 食堂, 门卫…)."""

    name = models.CharField(_("name"), max_length=50)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="orgs_department_unique_name",
                violation_error_message=_("A department with this name already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:department_detail", args=[self.pk])


class Place(PinyinIndexed, SchoolOwnedModel):
    """A place on campus: campus → building → floor → room or area. `full_name` is the path, kept by the service."""

    name = models.CharField(_("name"), max_length=50)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("inside")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    use = models.CharField(_("use"), max_length=20, choices=PlaceUse.choices, blank=True)
    code = models.CharField(_("room number"), max_length=30, blank=True)
    full_name = models.CharField(_("full name"), max_length=300, editable=False, default="")
    is_active = models.BooleanField(_("in use"), default=True)

    search_source_fields = ("full_name", "code")

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "parent", "name"],
                name="orgs_place_unique_name_in_parent",
                violation_error_message=_("A place with this name already exists here."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:place_detail", args=[self.pk])


class Person(PinyinIndexed, SchoolOwnedModel):
    """A member of staff or a worker (including temporary drivers, cooks, night watchmen)."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="people", verbose_name=_("department")
    )
    kind = models.CharField(_("employment"), max_length=20, choices=PersonKind.choices, default=PersonKind.STAFF)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    job_title = models.CharField(_("post"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    staff_no = models.CharField(_("staff number"), max_length=30, blank=True)
    is_active = models.BooleanField(_("on staff"), default=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    search_source_fields = ("name", "staff_no")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:person_detail", args=[self.pk])

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class SchoolClass(PinyinIndexed, SchoolOwnedModel):
    """A class (年级 + 班) with its head teacher."""

    name = models.CharField(_("name"), max_length=50)
    grade = models.PositiveSmallIntegerField(_("grade"))
    number = models.PositiveSmallIntegerField(_("class number"), null=True, blank=True)
    head_teacher = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="classes", verbose_name=_("head teacher")
    )
    classroom = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("classroom")
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["grade", "number", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="orgs_class_unique_name",
                violation_error_message=_("A class with this name already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(grade__gte=1, grade__lte=12),
                name="orgs_class_grade_range",
                violation_error_message=_("The grade must be between 1 and 12."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:class_detail", args=[self.pk])


class Student(PinyinIndexed, SchoolOwnedModel):
    """A pupil, kept minimal (PIPL for minors): name, class, sex, guardian phone."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, related_name="students", verbose_name=_("class")
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    student_no = models.CharField(_("student number"), max_length=30, blank=True)
    guardian_phone = models.CharField(_("guardian phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("enrolled"), default=True)

    search_source_fields = ("name", "student_no")

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["school_class", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:student_detail", args=[self.pk])

    @property
    def guardian_phone_masked(self) -> str:
        return mask_phone(self.guardian_phone)


class Tenant(PinyinIndexed, SchoolOwnedModel):
    """A unit renting space on campus (kindergarten, training school, shop…)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=20, choices=TenantKind.choices, default=TenantKind.OTHER)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("premises")
    )
    food_licence_no = models.CharField(
        _("food business licence number"), max_length=50, blank=True, help_text=_("for a shop selling food")
    )
    healthy_food_commitment = models.BooleanField(
        _("commits to sell no food high in salt, sugar or fat"), default=False
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="orgs_tenant_unique_name",
                violation_error_message=_("A tenant with this name already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:tenant_detail", args=[self.pk])

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)
