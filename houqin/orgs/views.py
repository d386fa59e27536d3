"""Organisation pages: lists, detail with history, create and edit forms, Excel imports. Thin: services do the work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.exporting import Column
from houqin.core.importing import ImportView
from houqin.core.mixins import ScopedDetailView, ScopedListView, ServiceFormView, apply_validation_error
from houqin.core.models import PolicyValue
from houqin.core.policies import effective_all
from houqin.core.sensitive import mask_phone
from houqin.core.services import policy_set
from houqin.orgs import filters, forms, importing, services
from houqin.orgs.choices import PlaceKind
from houqin.orgs.models import Department, Person, Place, School, SchoolClass, Semester, Student, Tenant


def col(model: type[models.Model], name: str, value: Callable[[Any], Any] | None = None) -> Column:
    """A table/export column headed by the field's verbose name; choices show their label."""
    field = model._meta.get_field(name)
    if value is None:
        value = (lambda o: getattr(o, f"get_{name}_display")()) if field.choices else attrgetter(name)
    return (field.verbose_name, value)  # type: ignore[union-attr]


#
# Base views of every organisation entity
#


class ModelPermission:
    """The permission of a page is `orgs.<verb>_<model>`: view for lists and records, add, change."""

    verb = "view"
    model: type[models.Model]

    def get_permission_required(self) -> tuple[str]:
        return (f"orgs.{self.verb}_{self.model._meta.model_name}",)


class OrgListView(ModelPermission, ScopedListView):
    """A table of `columns` (also the Excel export, so masked values stay masked), linked to the detail pages."""

    template_name = "orgs/list.html"
    columns: Sequence[Column] = ()
    related: Sequence[str] = ()
    url_prefix = ""
    links = True
    searchable = True
    importable = False

    def get_queryset(self) -> models.QuerySet:
        queryset = super().get_queryset()
        if self.related:
            queryset = queryset.select_related(*self.related)
        # Meta.ordering is dropped from aggregating queries; pagination needs a stable order.
        return self.annotate(queryset).order_by(*self.model._meta.ordering, "pk")

    def annotate(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset

    def table_columns(self) -> list[Column]:
        columns = [(str(capfirst(header)), value) for header, value in self.columns]
        if self.request.user.school_id is None and "school" in self.related:
            columns.append((str(_("School")), attrgetter("school")))
        return columns

    @property
    def export_columns(self) -> list[Column]:  # type: ignore[override]
        return self.table_columns()

    def url_if_allowed(self, verb: str, name: str) -> str:
        if not self.url_prefix or not self.request.user.has_perm(f"orgs.{verb}_{self.model._meta.model_name}"):
            return ""
        return reverse(f"orgs:{self.url_prefix}_{name}")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        columns = self.table_columns()
        context.update(
            title=capfirst(self.model._meta.verbose_name_plural),
            headers=[header for header, _value in columns],
            rows=[(obj, [value(obj) for _header, value in columns]) for obj in context["object_list"]],
            links=self.links,
            searchable=self.searchable,
            add_url=self.url_if_allowed("add", "create"),
            import_url=self.url_if_allowed("add", "import") if self.importable else "",
        )
        return context


class OrgDetailView(ModelPermission, ScopedDetailView):
    """The record as label/value pairs, related tables, the edit link and the history.

    `masked_fields` maps a phone field to the permission needed to see it in full; others see it masked, in the
    record and in the history.
    """

    template_name = "orgs/detail.html"
    fields: Sequence[str] = ()
    masked_fields: dict[str, str] = {}
    url_prefix = ""

    def hidden_fields(self) -> set[str]:
        return {name for name, perm in self.masked_fields.items() if not self.request.user.has_perm(perm)}

    def field_rows(self, obj: Any) -> list[dict[str, Any]]:
        hidden = self.hidden_fields()
        rows = []
        for name in self.fields:
            label, value = col(self.model, name)
            shown = mask_phone(value(obj)) if name in hidden else value(obj)
            url = shown.get_absolute_url() if isinstance(shown, models.Model) else ""
            rows.append({"label": label, "value": shown, "url": url})
        return rows

    def masked_history(self, events: Any) -> list[Any]:
        hidden = self.hidden_fields()
        events = list(events)
        for event in events:  # shown, never saved
            for name in hidden & set(event.changes):
                event.changes[name] = [mask_phone(v) if isinstance(v, str) else v for v in event.changes[name]]
        return events

    def tables(self, obj: Any) -> list[dict[str, Any]]:
        return []

    def actions(self, obj: Any) -> list[tuple[Any, str]]:
        """Extra buttons (label, url) beside Edit."""
        return []

    def add_link(self, label: Any, model: type[models.Model], prefix: str, **initial: Any) -> list[tuple[Any, str]]:
        """A button to add a row pre-filled with `initial`, when the user may add one."""
        if not self.request.user.has_perm(f"orgs.add_{model._meta.model_name}"):
            return []
        query = "&".join(f"{k}={v}" for k, v in initial.items())
        return [(label, f"{reverse(f'orgs:{prefix}_create')}?{query}")]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        perm = f"orgs.change_{self.model._meta.model_name}"
        context.update(
            title=str(self.object),
            list_title=self.model._meta.verbose_name_plural,
            field_rows=self.field_rows(self.object),
            tables=self.tables(self.object),
            actions=self.actions(self.object),
            history=self.masked_history(context["history"]),
            edit_url=reverse(f"orgs:{self.url_prefix}_update", args=[self.object.pk])
            if self.request.user.has_perm(perm)
            else "",
            list_url=reverse(f"orgs:{self.url_prefix}_list"),
        )
        return context


def related_table(title: Any, columns: Sequence[Column], rows: Any) -> dict[str, Any]:
    return {
        "title": title,
        "headers": [header for header, _value in columns],
        "rows": [(obj, [value(obj) for _header, value in columns]) for obj in rows],
    }


class OrgFormMixin:
    """Title and cancel link of the create and edit pages."""

    template_name = "orgs/form.html"
    url_prefix = ""
    model: type[models.Model]
    object: Any
    request: Any

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        name = self.model._meta.verbose_name
        if self.object is None:
            context["title"] = _("New %(model)s") % {"model": name}
            context["cancel_url"] = reverse(f"orgs:{self.url_prefix}_list")
        else:
            context["title"] = _("Edit %(model)s: %(name)s") % {"model": name, "name": self.object}
            context["cancel_url"] = self.object.get_absolute_url()
        return context


class OrgCreateView(ModelPermission, OrgFormMixin, ServiceFormView):
    """Create in the user's own school with `service(actor=, school=, **cleaned_data)`."""

    verb = "add"
    service: Any

    def get_initial(self) -> dict[str, Any]:
        # Links such as "add a room here" pre-fill fields from the query string (?parent=<id>).
        fields = self.get_form_class().base_fields
        return {**super().get_initial(), **{k: v for k, v in self.request.GET.items() if k in fields}}

    def perform(self, form: Any) -> Any:
        school = self.request.user.school
        if school is None:
            raise PermissionDenied
        return self.service(actor=self.request.user, school=school, **form.cleaned_data)


class OrgUpdateView(ModelPermission, OrgFormMixin, ServiceFormView):
    """Edit with `service(actor=, <object_kwarg>=object, **cleaned_data)`."""

    verb = "change"
    service: Any
    object_kwarg = ""

    def perform(self, form: Any) -> Any:
        return self.service(actor=self.request.user, **{self.object_kwarg: self.object}, **form.cleaned_data)


class OrgImportView(ModelPermission, ImportView):
    verb = "add"
    template_name = "orgs/import.html"


def form_views(model: type[models.Model], form_class: Any, url_prefix: str, create: Any, update: Any, kwarg: str):
    """The create and edit pages of one entity: its form, and the service each page calls."""
    attrs = {"__module__": __name__, "model": model, "form_class": form_class, "url_prefix": url_prefix}
    name = model.__name__
    return (
        type(f"{name}CreateView", (OrgCreateView,), {**attrs, "service": staticmethod(create)}),
        type(f"{name}UpdateView", (OrgUpdateView,), {**attrs, "service": staticmethod(update), "object_kwarg": kwarg}),
    )


def import_view(model: type[models.Model], spec: Any, success_url_name: str) -> type[OrgImportView]:
    attrs = {"__module__": __name__, "model": model, "spec": spec, "success_url_name": success_url_name}
    return type(f"{model.__name__}ImportView", (OrgImportView,), attrs)


#
# Departments
#


class DepartmentListView(OrgListView):
    model = Department
    filterset_class = filters.DepartmentFilter
    related = ("school",)
    url_prefix = "department"
    columns = (
        col(Department, "name"),
        (gettext_lazy("People"), attrgetter("people_count")),
        col(Department, "is_active"),
    )

    def annotate(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.annotate(people_count=Count("people", filter=Q(people__is_active=True)))


PEOPLE_COLUMNS = (
    col(Person, "name"),
    col(Person, "job_title"),
    col(Person, "phone", attrgetter("phone_masked")),
)


class DepartmentDetailView(OrgDetailView):
    model = Department
    url_prefix = "department"
    fields = ("name", "is_active")

    def tables(self, obj: Department) -> list[dict[str, Any]]:
        people = obj.people.filter(is_active=True)
        return [related_table(Person._meta.verbose_name_plural, PEOPLE_COLUMNS, people)]

    def actions(self, obj: Department) -> list[tuple[Any, str]]:
        return self.add_link(_("Add a person"), Person, "person", department=obj.pk)


DepartmentCreateView, DepartmentUpdateView = form_views(
    Department, forms.DepartmentForm, "department", services.department_create, services.department_update, "department"
)


#
# Places
#


PLACE_COLUMNS = (
    col(Place, "full_name"),
    col(Place, "kind"),
    col(Place, "use"),
    col(Place, "code"),
    col(Place, "is_active"),
)


class PlaceListView(OrgListView):
    importable = True
    model = Place
    filterset_class = filters.PlaceFilter
    related = ("school",)
    url_prefix = "place"
    columns = PLACE_COLUMNS


class PlaceDetailView(OrgDetailView):
    model = Place
    url_prefix = "place"
    fields = ("name", "full_name", "parent", "kind", "use", "code", "is_active")

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("parent")

    def tables(self, obj: Place) -> list[dict[str, Any]]:
        return [related_table(_("Inside this place"), PLACE_COLUMNS, obj.children.all())]

    def actions(self, obj: Place) -> list[tuple[Any, str]]:
        if obj.kind in (PlaceKind.ROOM, PlaceKind.AREA):
            return []
        return self.add_link(_("Add a place inside"), Place, "place", parent=obj.pk)


PlaceCreateView, PlaceUpdateView = form_views(
    Place, forms.PlaceForm, "place", services.place_create, services.place_update, "place"
)
PlaceImportView = import_view(Place, importing.PLACE_IMPORT, "orgs:place_list")


#
# People (staff and workers)
#


class PersonListView(OrgListView):
    importable = True
    model = Person
    filterset_class = filters.PersonFilter
    related = ("department", "school")
    url_prefix = "person"
    columns = (
        col(Person, "name"),
        col(Person, "department"),
        col(Person, "kind"),
        col(Person, "job_title"),
        col(Person, "phone", attrgetter("phone_masked")),
        col(Person, "is_active"),
    )


class PersonDetailView(OrgDetailView):
    model = Person
    url_prefix = "person"
    fields = ("name", "department", "kind", "sex", "job_title", "phone", "staff_no", "is_active", "left_on")
    masked_fields = {"phone": "orgs.change_person"}

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("department")

    def tables(self, obj: Person) -> list[dict[str, Any]]:
        classes = obj.classes.filter(is_active=True)
        return [related_table(_("Head teacher of"), CLASS_COLUMNS[:2], classes)] if classes else []


PersonCreateView, PersonUpdateView = form_views(
    Person, forms.PersonForm, "person", services.person_create, services.person_update, "person"
)
PersonImportView = import_view(Person, importing.PERSON_IMPORT, "orgs:person_list")


#
# Classes and students
#


CLASS_COLUMNS = (
    col(SchoolClass, "name"),
    col(SchoolClass, "grade"),
    col(SchoolClass, "head_teacher"),
    col(SchoolClass, "classroom"),
    (gettext_lazy("Students"), attrgetter("student_count")),
    col(SchoolClass, "is_active"),
)


class SchoolClassListView(OrgListView):
    importable = True
    model = SchoolClass
    filterset_class = filters.SchoolClassFilter
    related = ("head_teacher", "classroom", "school")
    url_prefix = "class"
    columns = CLASS_COLUMNS

    def annotate(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.annotate(student_count=Count("students", filter=Q(students__is_active=True)))


STUDENT_COLUMNS = (
    col(Student, "name"),
    col(Student, "school_class"),
    col(Student, "sex"),
    col(Student, "student_no"),
    col(Student, "guardian_phone", attrgetter("guardian_phone_masked")),
    col(Student, "is_active"),
)


class SchoolClassDetailView(OrgDetailView):
    model = SchoolClass
    url_prefix = "class"
    fields = ("name", "grade", "number", "head_teacher", "classroom", "is_active")

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("head_teacher", "classroom")

    def tables(self, obj: SchoolClass) -> list[dict[str, Any]]:
        if not self.request.user.has_perm("orgs.view_student"):
            return []
        students = obj.students.filter(is_active=True).select_related("school_class")
        return [related_table(Student._meta.verbose_name_plural, STUDENT_COLUMNS[:5], students)]

    def actions(self, obj: SchoolClass) -> list[tuple[Any, str]]:
        return self.add_link(_("Add a student"), Student, "student", school_class=obj.pk)


SchoolClassCreateView, SchoolClassUpdateView = form_views(
    SchoolClass, forms.SchoolClassForm, "class", services.class_create, services.class_update, "school_class"
)
SchoolClassImportView = import_view(SchoolClass, importing.CLASS_IMPORT, "orgs:class_list")


class StudentListView(OrgListView):
    importable = True
    model = Student
    filterset_class = filters.StudentFilter
    related = ("school_class", "school")
    url_prefix = "student"
    columns = STUDENT_COLUMNS


class StudentDetailView(OrgDetailView):
    model = Student
    url_prefix = "student"
    fields = ("name", "school_class", "sex", "student_no", "guardian_phone", "is_active")
    masked_fields = {"guardian_phone": "orgs.change_student"}


StudentCreateView, StudentUpdateView = form_views(
    Student, forms.StudentForm, "student", services.student_create, services.student_update, "student"
)
StudentImportView = import_view(Student, importing.STUDENT_IMPORT, "orgs:student_list")


#
# Tenants and semesters
#


class TenantListView(OrgListView):
    model = Tenant
    filterset_class = filters.TenantFilter
    related = ("place", "school")
    url_prefix = "tenant"
    columns = (
        col(Tenant, "name"),
        col(Tenant, "kind"),
        col(Tenant, "contact_name"),
        col(Tenant, "contact_phone", attrgetter("contact_phone_masked")),
        col(Tenant, "place"),
        col(Tenant, "is_active"),
    )


class TenantDetailView(OrgDetailView):
    model = Tenant
    url_prefix = "tenant"
    fields = ("name", "kind", "contact_name", "contact_phone", "place", "notes", "is_active")
    masked_fields = {"contact_phone": "orgs.change_tenant"}


TenantCreateView, TenantUpdateView = form_views(
    Tenant, forms.TenantForm, "tenant", services.tenant_create, services.tenant_update, "tenant"
)


class SemesterListView(OrgListView):
    """The district's semesters, read-only for schools."""

    model = Semester
    links = False
    searchable = False
    url_prefix = "semester"
    columns = (col(Semester, "name"), col(Semester, "starts_on"), col(Semester, "ends_on"))

    def filtered_queryset(self) -> models.QuerySet:
        return self.scoped_queryset()  # a handful of rows a year: no search, no filters


class SemesterCreateView(ModelPermission, OrgFormMixin, ServiceFormView):
    """A bureau administrator sets a semester for every school of the district."""

    verb = "add"
    model = Semester
    form_class = forms.SemesterForm
    url_prefix = "semester"

    def perform(self, form: Any) -> Any:
        return services.semester_create(
            actor=self.request.user, district=self.request.user.district, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("orgs:semester_list")


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    """Rules and thresholds in force (留样 grams, fixed-asset threshold…): national default, district value or school
    override, with their sources; bureau administrators set new values from a date."""
    user = request.user
    if not user.has_perm("core.view_policyvalue"):
        raise PermissionDenied
    school = user.school or School.objects.visible_to(user).filter(pk=request.GET.get("school") or 0).first()
    form = forms.PolicyForm(request.POST or None, user=user) if user.has_perm("core.change_policyvalue") else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            policy_set(
                actor=user,
                key=data["key"],
                value=data["value"],
                effective_from=data["effective_from"],
                district=user.district,
                school=data["school"],
                source=data["source"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The new value has been recorded."))
            return redirect(f"{request.path}?school={data['school'].pk}" if data["school"] else request.path)
    rows = effective_all(district_id=user.district_id, school_id=school.pk if school else None)
    history = PolicyValue.objects.filter(district_id=user.district_id).select_related("school", "created_by")
    if user.school_id:
        history = history.filter(Q(school__isnull=True) | Q(school_id=user.school_id))
    context = {
        "rows": rows,
        "school": school,
        "form": form,
        "history": history[:100],
        "schools": School.objects.visible_to(user) if user.school_id is None else [],
    }
    return render(request, "orgs/policy_list.html", context)
