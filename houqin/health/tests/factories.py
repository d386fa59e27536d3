"""Test data for health: a class with its head teacher and a roll of students."""

from __future__ import annotations

from typing import Any

from houqin.orgs.models import Person, School, SchoolClass, Student


def make_class(
    school: School, *, head_teacher_user: Any = None, size: int = 10, name: str = "三年级二班"
) -> SchoolClass:
    """A class of `size` students; the head teacher is the given user's person (created if missing)."""
    head = None
    if head_teacher_user is not None:
        if head_teacher_user.person is None:
            head_teacher_user.person = Person.objects.create(school=school, name=head_teacher_user.name)
            head_teacher_user.save(update_fields=["person"])
        head = head_teacher_user.person
    school_class = SchoolClass.objects.create(school=school, name=name, grade=3, number=2, head_teacher=head)
    Student.objects.bulk_create(
        [Student(school=school, school_class=school_class, name=f"学生{n:02d}号") for n in range(1, size + 1)]
    )
    return school_class


def students(school_class: SchoolClass) -> list[Student]:
    return list(Student.objects.filter(school_class=school_class).order_by("id"))
