"""The demo organisation and its logins, one step per part: district and semesters, schools, departments,
places, staff, classes, students, tenants, users.

Rows are inserted with bulk_create for speed (the demo must load in seconds), each batch audited as
"demo.loaded"; real data always goes through the services.
"""

from __future__ import annotations

import random
from itertools import cycle

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.accounts.models import User, UserRole
from houqin.demo.data import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DISTRICT_CODE,
    DISTRICT_NAME,
    GIVEN_BOY,
    GIVEN_GIRL,
    PHONE_PREFIXES,
    SCHOOL_KIND,
    SCHOOLS,
    SEMESTERS,
    SURNAMES,
    DemoLogin,
    StaffSpec,
    class_name,
)
from houqin.demo.registry import DemoContext, DemoError, DemoSchool, register_step
from houqin.orgs.choices import PlaceKind, Sex
from houqin.orgs.models import Department, District, Person, Place, School, SchoolClass, Semester, Student, Tenant

USERNAMES_TAKEN = gettext_noop(
    "These usernames belong to accounts outside the demo district: %(names)s. The demo was not loaded."
)
SUBJECTS = ("语文教师", "数学教师", "英语教师", "体育教师", "音乐教师", "美术教师", "科学教师", "信息技术教师")


def random_name(rng: random.Random, sex: str) -> str:
    given = GIVEN_GIRL if sex == Sex.FEMALE else GIVEN_BOY
    length = 2 if rng.random() < 0.7 else 1
    return rng.choice(SURNAMES) + "".join(rng.sample(given, length))


def random_phone(rng: random.Random) -> str:
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def sex_of(name: str) -> str:
    return Sex.FEMALE if name[-1] in GIVEN_GIRL else Sex.MALE


@register_step(order=10)
def district_and_semesters(ctx: DemoContext) -> None:
    district, created = District.objects.get_or_create(name=DISTRICT_NAME, defaults={"code": DISTRICT_CODE})
    if created:
        ctx.loaded(District, 1, school=None, target=district)
    for name, starts_on, ends_on in SEMESTERS:
        semester, created = Semester.objects.get_or_create(
            district=district, name=name, defaults={"starts_on": starts_on, "ends_on": ends_on}
        )
        if created:
            ctx.loaded(Semester, 1, school=None, target=semester)
        ctx.semesters.append(semester)
    ctx.district = district


@register_step(order=20)
def schools(ctx: DemoContext) -> None:
    for spec in SCHOOLS:
        school, created = School.objects.get_or_create(
            district=ctx.district,
            name=spec.name,
            defaults={"code": spec.code, "kind": SCHOOL_KIND, "address": spec.address},
        )
        if created:
            ctx.loaded(School, 1, school=school, target=school)
        ctx.schools.append(DemoSchool(spec=spec, school=school))


@register_step(order=30)
def departments(ctx: DemoContext) -> None:
    for demo in ctx.schools:
        names = [*demo.spec.departments, *(group for group, _grades in demo.spec.grade_groups)]
        created = ctx.bulk([Department(school=demo.school, name=name) for name in names], school=demo.school)
        demo.departments = {d.name: d for d in created}


def _place(school: School, name: str, kind: str, parent: Place | None = None, use: str = "", code: str = "") -> Place:
    full_name = f"{parent.full_name} / {name}" if parent is not None else name
    return Place(school=school, name=name, kind=kind, parent=parent, use=use, code=code, full_name=full_name)


@register_step(order=40)
def places(ctx: DemoContext) -> None:
    """Buildings → floors ("1层") → rooms, and open areas; one insert per level."""
    for demo in ctx.schools:
        school, spec = demo.school, demo.spec
        buildings = [(b, _place(school, b.name, PlaceKind.BUILDING)) for b in spec.buildings]
        areas = [_place(school, a.name, PlaceKind.AREA, use=a.use) for a in spec.areas]
        ctx.bulk([p for _spec, p in buildings] + areas, school=school)
        floors = [
            (rooms, _place(school, f"{n}层", PlaceKind.FLOOR, parent=building))
            for b, building in buildings
            for n, rooms in enumerate(b.floors, start=1)
        ]
        ctx.bulk([p for _rooms, p in floors], school=school)
        rooms = [
            _place(school, r.name, PlaceKind.ROOM, parent=floor, use=r.use, code=r.code)
            for rooms_spec, floor in floors
            for r in rooms_spec
        ]
        rooms += [
            _place(school, r.name, PlaceKind.ROOM, parent=building, use=r.use, code=r.code)
            for b, building in buildings
            for r in b.rooms
        ]
        ctx.bulk(rooms, school=school)
        for place in [*areas, *(p for _b, p in buildings), *(p for _r, p in floors), *rooms]:
            demo.places[place.full_name] = place


def _person(ctx: DemoContext, demo: DemoSchool, department: str, job_title: str, **fields: str) -> Person:
    name = fields.pop("name", "") or random_name(ctx.rng, ctx.rng.choice([Sex.MALE, Sex.FEMALE]))
    return Person(
        school=demo.school,
        name=name,
        sex=sex_of(name),
        department=demo.departments[department],
        job_title=job_title,
        phone=random_phone(ctx.rng),
        **fields,
    )


Keyed = list[tuple[tuple[str, ...], Person]]  # each person with the keys it is known by


def _staff_people(ctx: DemoContext, demo: DemoSchool, spec: StaffSpec) -> Keyed:
    return [
        ((spec.login,), _person(ctx, demo, spec.department, spec.job_title, name=spec.name, kind=spec.kind))
        for _ in range(spec.count)
    ]


def _grade_group_people(ctx: DemoContext, demo: DemoSchool) -> Keyed:
    """A head teacher for every class (keyed "class:<name>") and a few subject teachers per grade group."""
    spec = demo.spec
    subjects = cycle(SUBJECTS[2:])
    teacher_group, teacher_login, teacher_name = spec.teacher_login
    people: Keyed = []
    for group, grades in spec.grade_groups:
        for grade in grades:
            for number in range(1, spec.classes_per_grade + 1):
                cname = class_name(grade, number)
                login, name = spec.head_teacher_logins.get(cname, ("", ""))
                subject = SUBJECTS[number % 2]
                person = _person(ctx, demo, group, f"班主任（{subject}）", name=name)
                people.append(((f"class:{cname}", login), person))
        for n in range(spec.subject_teachers_per_group):
            first_teacher = group == teacher_group and n == 0
            name = teacher_name if first_teacher else ""
            key = teacher_login if first_teacher else ""
            people.append(((key,), _person(ctx, demo, group, next(subjects), name=name)))
    return people


@register_step(order=50)
def staff(ctx: DemoContext) -> None:
    """Staff and temporary workers (drivers, cooks, the night watchman), head teachers and subject teachers."""
    for demo in ctx.schools:
        keyed = [kp for spec in demo.spec.staff for kp in _staff_people(ctx, demo, spec)]
        keyed += _grade_group_people(ctx, demo)
        for number, (_keys, person) in enumerate(keyed, start=1):
            person.staff_no = f"{demo.spec.code}-{number:03d}"
        demo.people = ctx.bulk([person for _keys, person in keyed], school=demo.school)
        for keys, person in keyed:
            for key in filter(None, keys):
                if key.startswith("class:"):
                    demo.head_teachers[key.removeprefix("class:")] = person
                else:
                    demo.staff[key] = person


@register_step(order=60)
def classes(ctx: DemoContext) -> None:
    for demo in ctx.schools:
        classrooms = sorted(
            (p for p in demo.places.values() if p.use == "classroom"), key=lambda p: (p.parent_id, p.code)
        )
        grades = [g for _group, group_grades in demo.spec.grade_groups for g in group_grades]
        rows = [
            SchoolClass(
                school=demo.school,
                name=class_name(grade, number),
                grade=grade,
                number=number,
                head_teacher=demo.head_teachers[class_name(grade, number)],
            )
            for grade in grades
            for number in range(1, demo.spec.classes_per_grade + 1)
        ]
        for school_class, classroom in zip(rows, classrooms, strict=False):
            school_class.classroom = classroom
        demo.classes = ctx.bulk(rows, school=demo.school)


def _students_of(ctx: DemoContext, demo: DemoSchool, school_class: SchoolClass) -> list[Student]:
    low, high = demo.spec.students_per_class
    entry_year = 2027 - school_class.grade
    students = []
    for seat in range(1, ctx.rng.randint(low, high) + 1):
        sex = ctx.rng.choice([Sex.MALE, Sex.FEMALE])
        students.append(
            Student(
                school=demo.school,
                school_class=school_class,
                name=random_name(ctx.rng, sex),
                sex=sex,
                student_no=f"{entry_year}{school_class.number:02d}{seat:02d}",
                guardian_phone=random_phone(ctx.rng),
            )
        )
    return students


@register_step(order=70)
def students(ctx: DemoContext) -> None:
    for demo in ctx.schools:
        rows = [student for c in demo.classes for student in _students_of(ctx, demo, c)]
        ctx.bulk(rows, school=demo.school)


@register_step(order=80)
def tenants(ctx: DemoContext) -> None:
    """The kindergarten and the cooks' school renting space on campus."""
    for demo in ctx.schools:
        rows = [
            Tenant(
                school=demo.school,
                name=t.name,
                kind=t.kind,
                contact_name=t.contact_name,
                contact_phone=random_phone(ctx.rng),
                place=demo.places[t.place],
                notes=t.notes,
            )
            for t in demo.spec.tenants
        ]
        ctx.bulk(rows, school=demo.school)


def _login_values(ctx: DemoContext, login: DemoLogin, password: str) -> dict:
    demo = ctx.schools[login.school] if login.school is not None else None
    person = demo.staff[login.username] if demo is not None else None
    return {
        "name": login.name or (person.name if person is not None else ""),
        "school": demo.school if demo is not None else None,
        "district": ctx.district,
        "person": person,
        "password": password,
        "password_changed_at": timezone.now(),
        "is_active": True,
        "failed_login_count": 0,
        "locked_until": None,
    }


@register_step(order=90)
def users(ctx: DemoContext) -> None:
    """The demo logins of the public API contract, each linked to its staff record.

    The password "houqin-demo" would fail the password rules (three character classes); it is set directly,
    for the demo only. It is hashed once and shared: hashing it fourteen times would cost seconds.
    """
    assert ctx.district is not None
    password = make_password(DEMO_PASSWORD)
    existing = {u.username: u for u in User.objects.filter(username__in=[x.username for x in DEMO_LOGINS])}
    foreign = sorted(name for name, u in existing.items() if u.district_id != ctx.district.pk)
    if foreign:
        raise DemoError(_(USERNAMES_TAKEN) % {"names": ", ".join(foreign)})
    for login in DEMO_LOGINS:
        user = existing.get(login.username) or User(username=login.username)
        for field, value in _login_values(ctx, login, password).items():
            setattr(user, field, value)
        ctx.users[login.username] = user
    for index in sorted({x.school for x in DEMO_LOGINS}, key=lambda i: -1 if i is None else i):
        batch = [ctx.users[x.username] for x in DEMO_LOGINS if x.school == index]
        school = ctx.schools[index].school if index is not None else None
        ctx.bulk([u for u in batch if u.pk is None], school=school)
    for user in existing.values():
        user.save()
    UserRole.objects.filter(user__in=ctx.users.values()).delete()
    UserRole.objects.bulk_create([UserRole(user=ctx.users[x.username], role=x.role) for x in DEMO_LOGINS])
