"""Excel imports of the organisation: people, classes, students and places, one service call per row."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from houqin.core.importing import (
    CellError,
    ImportColumn,
    ImportContext,
    ImportSpec,
    choice_parser,
    parse_int,
    parse_phone,
    parse_text,
)
from houqin.orgs import services
from houqin.orgs.choices import PersonKind, PlaceKind, PlaceUse, Sex
from houqin.orgs.models import Department, Person, Place, SchoolClass

NO_SUCH_DEPARTMENT = gettext_noop("There is no department named %(name)s.")
NO_SUCH_PERSON = gettext_noop("There is no member of staff named %(name)s.")
SEVERAL_PEOPLE = gettext_noop("Several members of staff are named %(name)s; set the head teacher on the class page.")
NO_SUCH_CLASS = gettext_noop("There is no class named %(name)s.")
NOT_A_GRADE = gettext_noop("Enter a grade from 1 to 12, such as %(examples)s.")
GRADE_EXAMPLES = "3、三年级、初一、高二"
EMPTY_PATH = gettext_noop("Enter the place as a path such as %(example)s.")
PATH_EXAMPLE = "教学楼/3层/301"

SEX_ALIASES = {"男": Sex.MALE, "女": Sex.FEMALE}
PERSON_KIND_ALIASES = {
    "在编": PersonKind.STAFF,
    "正式": PersonKind.STAFF,
    "教职工": PersonKind.STAFF,
    "临时": PersonKind.TEMPORARY,
    "临时工": PersonKind.TEMPORARY,
    "临聘": PersonKind.TEMPORARY,
    "外包": PersonKind.CONTRACTOR,
    "承包": PersonKind.CONTRACTOR,
    "劳务派遣": PersonKind.CONTRACTOR,
}
PLACE_KIND_ALIASES = {
    "校区": PlaceKind.CAMPUS,
    "楼": PlaceKind.BUILDING,
    "楼宇": PlaceKind.BUILDING,
    "建筑": PlaceKind.BUILDING,
    "层": PlaceKind.FLOOR,
    "楼层": PlaceKind.FLOOR,
    "室": PlaceKind.ROOM,
    "房间": PlaceKind.ROOM,
    "区域": PlaceKind.AREA,
    "场地": PlaceKind.AREA,
}
PLACE_USE_ALIASES = {
    "教室": PlaceUse.CLASSROOM,
    "普通教室": PlaceUse.CLASSROOM,
    "功能室": PlaceUse.FUNCTION_ROOM,
    "实验室": PlaceUse.LAB,
    "办公室": PlaceUse.OFFICE,
    "食堂": PlaceUse.CANTEEN,
    "仓库": PlaceUse.STOREROOM,
    "库房": PlaceUse.STOREROOM,
    "宿舍": PlaceUse.DORMITORY,
    "校门": PlaceUse.GATE,
    "门岗": PlaceUse.GATE,
    "运动场": PlaceUse.SPORTS,
    "操场": PlaceUse.SPORTS,
    "厕所": PlaceUse.TOILET,
    "卫生间": PlaceUse.TOILET,
    "其他": PlaceUse.OTHER,
}

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _chinese_number(text: str) -> int | None:
    """'三' → 3, '十一' → 11, '12' → 12; None when it is neither."""
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _NUMERALS.get(text)
    if len(text) == 2 and text[0] == "十":
        return 10 + _NUMERALS.get(text[1], 99)
    return None


def parse_grade(value: Any) -> int | None:
    """A grade as schools write it: 3, '3年级', '三年级', '初一' (7), '高二' (11)."""
    text = parse_text(value).replace("年级", "").replace("年", "")
    if not text:
        return None
    offset = {"初": 6, "高": 9}.get(text[0], 0)
    number = _chinese_number(text[1:] if offset else text)
    if number is None or not 1 <= number + offset <= 12 or (offset and number > 3):
        raise CellError(_(NOT_A_GRADE) % {"examples": GRADE_EXAMPLES})
    return number + offset


def _optional(values: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The optional fields the file filled in (blank cells keep the model's default)."""
    return {key: values[key] for key in keys if values.get(key) not in (None, "")}


def _lookup(context: ImportContext, model: Any, field: str, name: str, missing: str) -> Any:
    if not name:
        return None
    found = context.cached(
        (model, name), lambda: list(model.objects.filter(school=context.school, name=name, is_active=True)[:2])
    )
    if not found:
        raise ValidationError({field: _(missing) % {"name": name}})
    if len(found) > 1:
        raise ValidationError({field: _(SEVERAL_PEOPLE) % {"name": name}})
    return found[0]


NAME = ImportColumn("name", gettext_lazy("Name"), ("姓名", "名字"), required=True)
SEX = ImportColumn("sex", gettext_lazy("Sex"), ("性别",), parse=choice_parser(Sex, SEX_ALIASES))


#
# People
#


def save_person(context: ImportContext, values: dict[str, Any]) -> Person:
    department = _lookup(context, Department, "department", values.get("department", ""), NO_SUCH_DEPARTMENT)
    return services.person_create(
        actor=context.actor,
        school=context.school,
        name=values["name"],
        department=department,
        **_optional(values, "phone", "kind", "job_title", "sex", "staff_no"),
    )


PERSON_IMPORT = ImportSpec(
    name="people",
    title=gettext_lazy("People"),
    columns=(
        NAME,
        ImportColumn("department", gettext_lazy("Department"), ("部门", "科室", "处室")),
        ImportColumn("phone", gettext_lazy("Phone"), ("手机", "电话", "联系电话", "手机号"), parse=parse_phone),
        ImportColumn(
            "kind",
            gettext_lazy("Employment"),
            ("用工类型", "人员类型", "类型"),
            parse=choice_parser(PersonKind, PERSON_KIND_ALIASES),
        ),
        ImportColumn("job_title", gettext_lazy("Post"), ("岗位", "职务", "职位")),
        SEX,
        ImportColumn("staff_no", gettext_lazy("Staff number"), ("工号", "编号")),
    ),
    save_row=save_person,
    unique_together=("name", "phone"),
    audit_action="orgs.person.imported",
)


#
# Classes
#


def save_class(context: ImportContext, values: dict[str, Any]) -> SchoolClass:
    teacher = _lookup(context, Person, "head_teacher", values.get("head_teacher", ""), NO_SUCH_PERSON)
    return services.class_create(
        actor=context.actor,
        school=context.school,
        name=values["name"],
        grade=values["grade"],
        head_teacher=teacher,
        **_optional(values, "number"),
    )


CLASS_IMPORT = ImportSpec(
    name="classes",
    title=gettext_lazy("Classes"),
    columns=(
        ImportColumn("name", gettext_lazy("Class"), ("班级", "班级名称", "名称"), required=True),
        ImportColumn("grade", gettext_lazy("Grade"), ("年级",), required=True, parse=parse_grade),
        ImportColumn("number", gettext_lazy("Class number"), ("班号", "班"), parse=parse_int),
        ImportColumn("head_teacher", gettext_lazy("Head teacher"), ("班主任",)),
    ),
    save_row=save_class,
    unique_together=("name",),
    audit_action="orgs.schoolclass.imported",
)


#
# Students
#


def save_student(context: ImportContext, values: dict[str, Any]) -> Any:
    school_class = _lookup(context, SchoolClass, "school_class", values["school_class"], NO_SUCH_CLASS)
    return services.student_create(
        actor=context.actor,
        school=context.school,
        name=values["name"],
        school_class=school_class,
        **_optional(values, "sex", "student_no", "guardian_phone"),
    )


STUDENT_IMPORT = ImportSpec(
    name="students",
    title=gettext_lazy("Students"),
    columns=(
        NAME,
        ImportColumn("school_class", gettext_lazy("Class"), ("班级", "所在班级"), required=True),
        SEX,
        ImportColumn("student_no", gettext_lazy("Student number"), ("学号", "学籍号")),
        ImportColumn(
            "guardian_phone",
            gettext_lazy("Guardian phone"),
            ("家长电话", "监护人电话", "家长手机", "联系电话"),
            parse=parse_phone,
        ),
    ),
    save_row=save_student,
    unique_together=("name", "school_class"),
    audit_action="orgs.student.imported",
)


#
# Places: a path such as 教学楼/3层/301; the missing buildings and floors on the way are created
#


def _kind_inside(parent: Place | None, name: str) -> str:
    """What a place created on the way most likely is: a building at the top (a campus if so named), a floor
    inside a building, a room elsewhere."""
    if parent is None:
        return PlaceKind.CAMPUS if name.endswith("校区") else PlaceKind.BUILDING
    return {PlaceKind.CAMPUS: PlaceKind.BUILDING, PlaceKind.BUILDING: PlaceKind.FLOOR}.get(parent.kind, PlaceKind.ROOM)


def split_path(value: Any) -> list[str]:
    parts = [part.strip() for part in re.split(r"[/\\>]", parse_text(value))]
    return [part for part in parts if part]


def save_place(context: ImportContext, values: dict[str, Any]) -> Place:
    parts = values["path"]
    if not parts:
        raise ValidationError({"name": _(EMPTY_PATH) % {"example": PATH_EXAMPLE}})
    parent = None
    for depth, name in enumerate(parts[:-1], start=1):
        full_name = " / ".join(parts[:depth])
        existing = Place.objects.filter(school=context.school, full_name=full_name).first()
        parent = existing or services.place_create(
            actor=context.actor, school=context.school, name=name, kind=_kind_inside(parent, name), parent=parent
        )
    return services.place_create(
        actor=context.actor,
        school=context.school,
        name=parts[-1],
        kind=values.get("kind") or _kind_inside(parent, parts[-1]),
        parent=parent,
        **_optional(values, "use", "code"),
    )


PLACE_IMPORT = ImportSpec(
    name="places",
    title=gettext_lazy("Places"),
    columns=(
        ImportColumn(
            "path",
            gettext_lazy("Place"),
            ("位置", "地点", "场所", "完整路径", "全称"),
            required=True,
            parse=split_path,
            field="name",
            help=gettext_lazy("The path from the top separated by /; missing buildings and floors are created."),
        ),
        ImportColumn(
            "kind", gettext_lazy("Kind"), ("类型", "类别"), parse=choice_parser(PlaceKind, PLACE_KIND_ALIASES)
        ),
        ImportColumn("use", gettext_lazy("Use"), ("用途",), parse=choice_parser(PlaceUse, PLACE_USE_ALIASES)),
        ImportColumn("code", gettext_lazy("Room number"), ("房间号", "门牌号", "编号")),
    ),
    save_row=save_place,
    unique_together=("path",),
    audit_action="orgs.place.imported",
)
