"""Every write to the organisation: audited, permission-checked, in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core.crud import create_audited, lock, require_perm, require_same_school, update_audited
from houqin.core.registry import before_leaving
from houqin.orgs.choices import PLACE_PARENTS, PlaceKind, TenantKind
from houqin.orgs.models import Department, District, Person, Place, School, SchoolClass, Semester, Student, Tenant

if TYPE_CHECKING:
    from houqin.accounts.models import User

PLACE_BAD_PARENT = gettext_noop("A %(kind)s cannot be placed inside a %(parent)s.")
PLACE_TOP_NOT_ALLOWED = gettext_noop("A %(kind)s must be placed inside a building.")
PLACE_CYCLE = gettext_noop("A place cannot be inside itself.")
PLACE_NAME_TAKEN = gettext_noop("A place with this name already exists here.")
PLACE_KIND_ORPHANS_CHILDREN = gettext_noop("A %(kind)s cannot hold the places now inside this one.")
OTHER_DISTRICT = gettext_noop("You can only manage your own district.")
NO_FOOD_SHOP = gettext_noop(
    "A day school may not let space to a shop selling food (Regulations on food safety in schools, art. 12)."
)
FOOD_SHOP_NEEDS = gettext_noop(
    "A boarding school's food shop needs its food business licence number and the commitment to sell no food "
    "high in salt, sugar or fat."
)
MUST_HAND_OVER = gettext_noop("Before leaving, this person must hand over: %(items)s.")


def _require_own_district(actor: User, district: District) -> None:
    """Bureau staff act for their own district only (a superuser without a district acts for all)."""
    if actor.district_id is not None and actor.district_id != district.pk:
        raise PermissionDenied(_(OTHER_DISTRICT))


#
# Schools and semesters (district level)
#


@transaction.atomic
def school_create(*, actor: User, district: District, name: str, **fields: Any) -> School:
    """Register a school of a district (bureau administrators)."""
    require_perm(actor, "orgs.add_school")
    _require_own_district(actor, district)
    return create_audited(actor=actor, model=School, values={"district": district, "name": name, **fields})


@transaction.atomic
def semester_create(*, actor: User, district: District, name: str, starts_on: Any, ends_on: Any) -> Semester:
    """Set a semester for every school of the district."""
    require_perm(actor, "orgs.add_semester")
    _require_own_district(actor, district)
    return create_audited(
        actor=actor,
        model=Semester,
        values={"district": district, "name": name, "starts_on": starts_on, "ends_on": ends_on},
    )


#
# Departments
#


@transaction.atomic
def department_create(*, actor: User, school: School, name: str, is_active: bool = True) -> Department:
    require_perm(actor, "orgs.add_department")
    return create_audited(
        actor=actor, model=Department, values={"school": school, "name": name.strip(), "is_active": is_active}
    )


@transaction.atomic
def department_update(*, actor: User, department: Department, **values: Any) -> Department:
    require_perm(actor, "orgs.change_department")
    return update_audited(actor=actor, instance=lock(Department, department.pk), values=values)


#
# Places: a tree whose full_name ("教学楼 / 3层 / 301") is kept here
#


def _check_place_parent(kind: str, parent: Place | None) -> None:
    if kind not in PLACE_PARENTS:
        raise ValidationError({"kind": _("Unknown place kind.")})
    allowed = PLACE_PARENTS[kind]
    parent_kind = parent.kind if parent is not None else None
    if parent_kind in allowed:
        return
    if parent is None:
        raise ValidationError({"parent": _(PLACE_TOP_NOT_ALLOWED) % {"kind": PlaceKind(kind).label}})
    raise ValidationError(
        {"parent": _(PLACE_BAD_PARENT) % {"kind": PlaceKind(kind).label, "parent": PlaceKind(parent.kind).label}}
    )


def _check_no_cycle(place: Place, parent: Place | None) -> None:
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == place.pk:
            raise ValidationError({"parent": _(PLACE_CYCLE)})
        ancestor = ancestor.parent


def _check_children_fit(place: Place, kind: str) -> None:
    """Changing a place's kind must leave what is inside it valid (floors stay inside a building)."""
    if any(kind not in PLACE_PARENTS[child_kind] for child_kind in place.children.values_list("kind", flat=True)):
        raise ValidationError({"kind": _(PLACE_KIND_ORPHANS_CHILDREN) % {"kind": PlaceKind(kind).label}})


def _check_top_level_name_free(school: School, name: str, parent: Place | None, exclude_pk: Any = None) -> None:
    # The unique constraint on (school, parent, name) treats NULL parents as distinct, so check the top level here.
    if parent is None and Place.objects.filter(school=school, parent=None, name=name).exclude(pk=exclude_pk).exists():
        raise ValidationError(_(PLACE_NAME_TAKEN))


def _place_full_name(name: str, parent: Place | None) -> str:
    return f"{parent.full_name} / {name}" if parent is not None else name


@transaction.atomic
def place_create(
    *, actor: User, school: School, name: str, kind: str, parent: Place | None = None, **fields: Any
) -> Place:
    """Add a place under its parent (a floor inside a building, a room inside a floor…)."""
    require_perm(actor, "orgs.add_place")
    require_same_school(school, parent=parent)
    _check_place_parent(kind, parent)
    name = name.strip()
    _check_top_level_name_free(school, name, parent)
    values = {
        "school": school,
        "name": name,
        "kind": kind,
        "parent": parent,
        "full_name": _place_full_name(name, parent),
        **fields,
    }
    return create_audited(actor=actor, model=Place, values=values)


@transaction.atomic
def place_update(*, actor: User, place: Place, **values: Any) -> Place:
    """Rename or move a place; the full names of everything inside it follow."""
    require_perm(actor, "orgs.change_place")
    place = lock(Place, place.pk)
    parent = values.get("parent", place.parent)
    require_same_school(place.school, parent=parent)
    _check_no_cycle(place, parent)
    kind = values.get("kind", place.kind)
    _check_place_parent(kind, parent)
    if kind != place.kind:
        _check_children_fit(place, kind)
    name = values["name"] = values.get("name", place.name).strip()
    _check_top_level_name_free(place.school, name, parent, exclude_pk=place.pk)
    values["full_name"] = _place_full_name(name, parent)
    old_full_name = place.full_name
    update_audited(actor=actor, instance=place, values=values)
    if place.full_name != old_full_name:
        _rename_descendants(place)
    return place


def _rename_descendants(place: Place) -> None:
    for child in Place.objects.filter(parent=place):
        child.full_name = _place_full_name(child.name, place)
        child.save(update_fields=["full_name"])
        _rename_descendants(child)


#
# People, classes, students, tenants
#


@transaction.atomic
def person_create(
    *, actor: User, school: School, name: str, department: Department | None = None, **fields: Any
) -> Person:
    """Add a member of staff or a worker."""
    require_perm(actor, "orgs.add_person")
    require_same_school(school, department=department)
    return create_audited(
        actor=actor, model=Person, values={"school": school, "name": name.strip(), "department": department, **fields}
    )


@transaction.atomic
def person_update(*, actor: User, person: Person, **values: Any) -> Person:
    """Change a staff record. Marking someone as left (off staff or a leaving date) waits until they have handed
    over what they keep: each module says what is still open (registry.before_leaving)."""
    require_perm(actor, "orgs.change_person")
    person = lock(Person, person.pk)
    require_same_school(person.school, department=values.get("department"))
    leaving = (values.get("is_active") is False and person.is_active) or (
        values.get("left_on") is not None and person.left_on is None
    )
    if leaving and (open_items := before_leaving(person)):
        field = "left_on" if values.get("left_on") is not None else "is_active"
        raise ValidationError({field: [_(MUST_HAND_OVER) % {"items": "；".join(open_items)}]})
    return update_audited(actor=actor, instance=person, values=values)


@transaction.atomic
def class_create(
    *, actor: User, school: School, name: str, grade: int, head_teacher: Person | None = None, **fields: Any
) -> SchoolClass:
    """Add a class (年级 + 班) with its head teacher."""
    require_perm(actor, "orgs.add_schoolclass")
    require_same_school(school, head_teacher=head_teacher, classroom=fields.get("classroom"))
    return create_audited(
        actor=actor,
        model=SchoolClass,
        values={"school": school, "name": name.strip(), "grade": grade, "head_teacher": head_teacher, **fields},
    )


@transaction.atomic
def class_update(*, actor: User, school_class: SchoolClass, **values: Any) -> SchoolClass:
    require_perm(actor, "orgs.change_schoolclass")
    school_class = lock(SchoolClass, school_class.pk)
    require_same_school(school_class.school, head_teacher=values.get("head_teacher"), classroom=values.get("classroom"))
    return update_audited(actor=actor, instance=school_class, values=values)


@transaction.atomic
def student_create(*, actor: User, school: School, name: str, school_class: SchoolClass, **fields: Any) -> Student:
    """Enrol a pupil with the minimum of personal data."""
    require_perm(actor, "orgs.add_student")
    require_same_school(school, school_class=school_class)
    return create_audited(
        actor=actor,
        model=Student,
        values={"school": school, "name": name.strip(), "school_class": school_class, **fields},
    )


@transaction.atomic
def student_update(*, actor: User, student: Student, **values: Any) -> Student:
    require_perm(actor, "orgs.change_student")
    student = lock(Student, student.pk)
    require_same_school(student.school, school_class=values.get("school_class"))
    return update_audited(actor=actor, instance=student, values=values)


TENANT_KIND_FIELDS = ("kind", "food_licence_no", "healthy_food_commitment")


def check_tenant_kind(school: School, fields: dict[str, Any]) -> None:
    """A15: no food shop at a day school; at a boarding school only with a food licence and the healthy-food
    commitment on file."""
    if fields.get("kind") != TenantKind.SHOP:
        return
    if not school.is_boarding:
        raise ValidationError({"kind": [_(NO_FOOD_SHOP)]})
    if not str(fields.get("food_licence_no") or "").strip() or not fields.get("healthy_food_commitment"):
        field = "food_licence_no" if not str(fields.get("food_licence_no") or "").strip() else "healthy_food_commitment"
        raise ValidationError({field: [_(FOOD_SHOP_NEEDS)]})


@transaction.atomic
def tenant_create(*, actor: User, school: School, name: str, **fields: Any) -> Tenant:
    """Register a unit renting space on campus."""
    require_perm(actor, "orgs.add_tenant")
    require_same_school(school, place=fields.get("place"))
    check_tenant_kind(school, fields)
    return create_audited(actor=actor, model=Tenant, values={"school": school, "name": name.strip(), **fields})


@transaction.atomic
def tenant_update(*, actor: User, tenant: Tenant, **values: Any) -> Tenant:
    require_perm(actor, "orgs.change_tenant")
    tenant = lock(Tenant, tenant.pk)
    require_same_school(tenant.school, place=values.get("place"))
    check_tenant_kind(tenant.school, {field: getattr(tenant, field) for field in TENANT_KIND_FIELDS} | values)
    return update_audited(actor=actor, instance=tenant, values=values)
