"""/api/orgs: departments, places, people, classes, students, semesters, tenants."""

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from django.http import HttpRequest

from houqin.core.api import ERRORS, Id, OptionalId, in_scope, require, school_for_write
from houqin.orgs import selectors, services
from houqin.orgs.choices import PersonKind, PlaceKind, PlaceUse, Sex, TenantKind
from houqin.orgs.models import Department, Person, Place, SchoolClass, Semester, Student, Tenant

router = Router(tags=["orgs"])


class ListFilter(Schema):
    q: str | None = Field(None, max_length=100, description="name, pinyin or initials")


class Created(Schema):
    school_id: OptionalId = Field(None, description="bureau users only: the school to write to")


#
# Departments
#


class DepartmentIn(Created):
    name: str = Field(..., min_length=1, max_length=50)


class DepartmentOut(Schema):
    id: int
    school_id: int
    name: str
    is_active: bool


@router.get("/departments", response={200: list[DepartmentOut], **ERRORS})
@paginate
def department_list(request: HttpRequest, filters: Query[ListFilter]):
    require(request, "orgs.view_department")
    return selectors.department_list(user=request.user, q=filters.q)


@router.post("/departments", response={201: DepartmentOut, **ERRORS})
def department_create(request: HttpRequest, payload: DepartmentIn):
    require(request, "orgs.add_department")
    school = school_for_write(request, payload.school_id)
    return 201, services.department_create(actor=request.user, school=school, name=payload.name)


@router.get("/departments/{department_id}", response={200: DepartmentOut, **ERRORS})
def department_get(request: HttpRequest, department_id: Id):
    require(request, "orgs.view_department")
    return in_scope(Department.objects, request, department_id)


#
# Places
#


class PlaceIn(Created):
    name: str = Field(..., min_length=1, max_length=50)
    parent_id: OptionalId = None
    kind: PlaceKind
    use: PlaceUse | None = None
    code: str = Field("", max_length=30)


class PlaceOut(Schema):
    id: int
    school_id: int
    name: str
    full_name: str
    parent_id: int | None
    kind: str
    use: str
    code: str
    is_active: bool


class PlaceFilter(ListFilter):
    parent_id: OptionalId = None
    kind: PlaceKind | None = None


@router.get("/places", response={200: list[PlaceOut], **ERRORS})
@paginate
def place_list(request: HttpRequest, filters: Query[PlaceFilter]):
    require(request, "orgs.view_place")
    return selectors.place_list(user=request.user, q=filters.q, parent_id=filters.parent_id, kind=filters.kind)


@router.post("/places", response={201: PlaceOut, **ERRORS})
def place_create(request: HttpRequest, payload: PlaceIn):
    require(request, "orgs.add_place")
    school = school_for_write(request, payload.school_id)
    parent = in_scope(Place.objects, request, payload.parent_id) if payload.parent_id else None
    place = services.place_create(
        actor=request.user,
        school=school,
        name=payload.name,
        kind=payload.kind,
        parent=parent,
        use=payload.use or "",
        code=payload.code,
    )
    return 201, place


@router.get("/places/{place_id}", response={200: PlaceOut, **ERRORS})
def place_get(request: HttpRequest, place_id: Id):
    require(request, "orgs.view_place")
    return in_scope(Place.objects, request, place_id)


#
# People
#


class PersonIn(Created):
    name: str = Field(..., min_length=1, max_length=50)
    department_id: OptionalId = None
    phone: str = Field("", max_length=20, pattern=r"^[0-9+\- ]*$")
    kind: PersonKind = PersonKind.STAFF
    job_title: str = Field("", max_length=50)
    sex: Sex | None = None


class PersonOut(Schema):
    id: int
    school_id: int
    name: str
    department_id: int | None
    department_name: str | None = Field(None, alias="department.name")
    kind: str
    job_title: str
    phone: str = Field(..., alias="phone_masked", description="masked: 138****5678")
    is_active: bool


class PersonFilter(ListFilter):
    department_id: OptionalId = None
    kind: PersonKind | None = None
    is_active: bool | None = None


@router.get("/people", response={200: list[PersonOut], **ERRORS})
@paginate
def person_list(request: HttpRequest, filters: Query[PersonFilter]):
    require(request, "orgs.view_person")
    return selectors.person_list(
        user=request.user,
        q=filters.q,
        department_id=filters.department_id,
        kind=filters.kind,
        is_active=filters.is_active,
    )


@router.post("/people", response={201: PersonOut, **ERRORS})
def person_create(request: HttpRequest, payload: PersonIn):
    require(request, "orgs.add_person")
    school = school_for_write(request, payload.school_id)
    department = in_scope(Department.objects, request, payload.department_id) if payload.department_id else None
    person = services.person_create(
        actor=request.user,
        school=school,
        name=payload.name,
        department=department,
        phone=payload.phone.strip(),
        kind=payload.kind,
        job_title=payload.job_title,
        sex=payload.sex or "",
    )
    return 201, person


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS})
def person_get(request: HttpRequest, person_id: Id):
    require(request, "orgs.view_person")
    return in_scope(Person.objects.select_related("department"), request, person_id)


#
# Classes
#


class ClassIn(Created):
    name: str = Field(..., min_length=1, max_length=50)
    grade: int = Field(..., ge=1, le=12)
    number: int | None = Field(None, ge=1, le=99)
    head_teacher_id: OptionalId = None


class ClassOut(Schema):
    id: int
    school_id: int
    name: str
    grade: int
    number: int | None
    head_teacher_id: int | None
    head_teacher_name: str | None = Field(None, alias="head_teacher.name")
    is_active: bool


class ClassFilter(ListFilter):
    grade: int | None = Field(None, ge=1, le=12)


@router.get("/classes", response={200: list[ClassOut], **ERRORS})
@paginate
def class_list(request: HttpRequest, filters: Query[ClassFilter]):
    require(request, "orgs.view_schoolclass")
    return selectors.class_list(user=request.user, q=filters.q, grade=filters.grade)


@router.post("/classes", response={201: ClassOut, **ERRORS})
def class_create(request: HttpRequest, payload: ClassIn):
    require(request, "orgs.add_schoolclass")
    school = school_for_write(request, payload.school_id)
    head = in_scope(Person.objects, request, payload.head_teacher_id) if payload.head_teacher_id else None
    school_class = services.class_create(
        actor=request.user,
        school=school,
        name=payload.name,
        grade=payload.grade,
        number=payload.number,
        head_teacher=head,
    )
    return 201, school_class


@router.get("/classes/{class_id}", response={200: ClassOut, **ERRORS})
def class_get(request: HttpRequest, class_id: Id):
    require(request, "orgs.view_schoolclass")
    return in_scope(SchoolClass.objects.select_related("head_teacher"), request, class_id)


#
# Students (minimal fields; guardian phone masked)
#


class StudentOut(Schema):
    id: int
    school_id: int
    name: str
    class_id: int = Field(..., alias="school_class_id")
    sex: str
    guardian_phone: str = Field(..., alias="guardian_phone_masked", description="masked")
    is_active: bool


class StudentFilter(ListFilter):
    class_id: OptionalId = None


@router.get("/students", response={200: list[StudentOut], **ERRORS})
@paginate
def student_list(request: HttpRequest, filters: Query[StudentFilter]):
    require(request, "orgs.view_student")
    return selectors.student_list(user=request.user, q=filters.q, school_class_id=filters.class_id)


@router.get("/students/{student_id}", response={200: StudentOut, **ERRORS})
def student_get(request: HttpRequest, student_id: Id):
    require(request, "orgs.view_student")
    return in_scope(Student.objects, request, student_id)


#
# Semesters (set by the district)
#


class SemesterOut(Schema):
    id: int
    district_id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date


@router.get("/semesters", response={200: list[SemesterOut], **ERRORS})
@paginate
def semester_list(request: HttpRequest):
    require(request, "orgs.view_semester")
    return Semester.objects.visible_to(request.user)


#
# Tenants
#


class TenantIn(Created):
    name: str = Field(..., min_length=1, max_length=100)
    kind: TenantKind = TenantKind.OTHER
    contact_name: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=20, pattern=r"^[0-9+\- ]*$")


class TenantOut(Schema):
    id: int
    school_id: int
    name: str
    kind: str
    contact_name: str
    contact_phone: str = Field(..., alias="contact_phone_masked")
    is_active: bool


@router.get("/tenants", response={200: list[TenantOut], **ERRORS})
@paginate
def tenant_list(request: HttpRequest, filters: Query[ListFilter]):
    require(request, "orgs.view_tenant")
    return selectors.tenant_list(user=request.user, q=filters.q)


@router.post("/tenants", response={201: TenantOut, **ERRORS})
def tenant_create(request: HttpRequest, payload: TenantIn):
    require(request, "orgs.add_tenant")
    school = school_for_write(request, payload.school_id)
    tenant = services.tenant_create(
        actor=request.user,
        school=school,
        name=payload.name,
        kind=payload.kind,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone.strip(),
    )
    return 201, tenant


@router.get("/tenants/{tenant_id}", response={200: TenantOut, **ERRORS})
def tenant_get(request: HttpRequest, tenant_id: Id):
    require(request, "orgs.view_tenant")
    return in_scope(Tenant.objects, request, tenant_id)
