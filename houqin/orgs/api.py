"""/api/orgs: departments, places, people, classes, students, semesters, tenants."""

import datetime as dt
from typing import Annotated

from annotated_types import Interval
from ninja import Field, Query, Router, Schema, Status

from django.http import HttpRequest

from houqin.core.api import ERRORS, Id, Input, NotBool, OptionalId, in_scope, needs, paginate, school_for_write
from houqin.orgs import selectors, services
from houqin.orgs.choices import PersonKind, PlaceKind, PlaceUse, Sex, TenantKind
from houqin.orgs.models import Department, Person, Place, SchoolClass, Semester, Student, Tenant

router = Router(tags=["orgs"])


class ListFilter(Input):
    q: str | None = Field(None, max_length=100, description="name, pinyin or initials")


class Created(Input):
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


@router.get("/departments", auth=needs("orgs.view_department"), response={200: list[DepartmentOut], **ERRORS})
@paginate
def department_list(request: HttpRequest, filters: Query[ListFilter]):
    return selectors.department_list(user=request.user, q=filters.q)


@router.post("/departments", auth=needs("orgs.add_department"), response={201: DepartmentOut, **ERRORS})
def department_create(request: HttpRequest, payload: DepartmentIn):
    school = school_for_write(request, payload.school_id)
    return Status(201, services.department_create(actor=request.user, school=school, name=payload.name))


@router.get("/departments/{department_id}", auth=needs("orgs.view_department"), response={200: DepartmentOut, **ERRORS})
def department_get(request: HttpRequest, department_id: Id):
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


@router.get("/places", auth=needs("orgs.view_place"), response={200: list[PlaceOut], **ERRORS})
@paginate
def place_list(request: HttpRequest, filters: Query[PlaceFilter]):
    return selectors.place_list(user=request.user, q=filters.q, parent_id=filters.parent_id, kind=filters.kind)


@router.post("/places", auth=needs("orgs.add_place"), response={201: PlaceOut, **ERRORS})
def place_create(request: HttpRequest, payload: PlaceIn):
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
    return Status(201, place)


@router.get("/places/{place_id}", auth=needs("orgs.view_place"), response={200: PlaceOut, **ERRORS})
def place_get(request: HttpRequest, place_id: Id):
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


@router.get("/people", auth=needs("orgs.view_person"), response={200: list[PersonOut], **ERRORS})
@paginate
def person_list(request: HttpRequest, filters: Query[PersonFilter]):
    return selectors.person_list(
        user=request.user,
        q=filters.q,
        department_id=filters.department_id,
        kind=filters.kind,
        is_active=filters.is_active,
    )


@router.post("/people", auth=needs("orgs.add_person"), response={201: PersonOut, **ERRORS})
def person_create(request: HttpRequest, payload: PersonIn):
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
    return Status(201, person)


@router.get("/people/{person_id}", auth=needs("orgs.view_person"), response={200: PersonOut, **ERRORS})
def person_get(request: HttpRequest, person_id: Id):
    return in_scope(Person.objects.select_related("department"), request, person_id)


#
# Classes
#


Grade = Annotated[int, Interval(ge=1, le=12), NotBool]
ClassNumber = Annotated[int, Interval(ge=1, le=99), NotBool]


class ClassIn(Created):
    name: str = Field(..., min_length=1, max_length=50)
    grade: Grade
    number: ClassNumber | None = None
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
    grade: Grade | None = None


@router.get("/classes", auth=needs("orgs.view_schoolclass"), response={200: list[ClassOut], **ERRORS})
@paginate
def class_list(request: HttpRequest, filters: Query[ClassFilter]):
    return selectors.class_list(user=request.user, q=filters.q, grade=filters.grade)


@router.post("/classes", auth=needs("orgs.add_schoolclass"), response={201: ClassOut, **ERRORS})
def class_create(request: HttpRequest, payload: ClassIn):
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
    return Status(201, school_class)


@router.get("/classes/{class_id}", auth=needs("orgs.view_schoolclass"), response={200: ClassOut, **ERRORS})
def class_get(request: HttpRequest, class_id: Id):
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


@router.get("/students", auth=needs("orgs.view_student"), response={200: list[StudentOut], **ERRORS})
@paginate
def student_list(request: HttpRequest, filters: Query[StudentFilter]):
    return selectors.student_list(user=request.user, q=filters.q, school_class_id=filters.class_id)


@router.get("/students/{student_id}", auth=needs("orgs.view_student"), response={200: StudentOut, **ERRORS})
def student_get(request: HttpRequest, student_id: Id):
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


@router.get("/semesters", auth=needs("orgs.view_semester"), response={200: list[SemesterOut], **ERRORS})
@paginate
def semester_list(request: HttpRequest):
    return Semester.objects.visible_to(request.user)


#
# Tenants
#


class TenantIn(Created):
    name: str = Field(..., min_length=1, max_length=100)
    kind: TenantKind = TenantKind.OTHER
    contact_name: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=20, pattern=r"^[0-9+\- ]*$")
    food_licence_no: str = Field("", max_length=50)
    healthy_food_commitment: bool = False


class TenantOut(Schema):
    id: int
    school_id: int
    name: str
    kind: str
    contact_name: str
    contact_phone: str = Field(..., alias="contact_phone_masked")
    food_licence_no: str
    healthy_food_commitment: bool
    is_active: bool


@router.get("/tenants", auth=needs("orgs.view_tenant"), response={200: list[TenantOut], **ERRORS})
@paginate
def tenant_list(request: HttpRequest, filters: Query[ListFilter]):
    return selectors.tenant_list(user=request.user, q=filters.q)


@router.post("/tenants", auth=needs("orgs.add_tenant"), response={201: TenantOut, **ERRORS})
def tenant_create(request: HttpRequest, payload: TenantIn):
    school = school_for_write(request, payload.school_id)
    tenant = services.tenant_create(
        actor=request.user,
        school=school,
        name=payload.name,
        kind=payload.kind,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone.strip(),
        food_licence_no=payload.food_licence_no.strip(),
        healthy_food_commitment=payload.healthy_food_commitment,
    )
    return Status(201, tenant)


@router.get("/tenants/{tenant_id}", auth=needs("orgs.view_tenant"), response={200: TenantOut, **ERRORS})
def tenant_get(request: HttpRequest, tenant_id: Id):
    return in_scope(Tenant.objects, request, tenant_id)
