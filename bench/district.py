"""A large district for the benchmark: N schools with M staff each, bulk-loaded."""

from __future__ import annotations

import random

from houqin.core.search import pinyin_index
from houqin.orgs.models import Department, District, Person, School

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅玉兰志文斌海燕辉鹏宇浩晨欣怡子涵梓萱"
DEPARTMENTS = ["校长室", "总务处", "教导处", "德育处", "一年级组", "二年级组", "三年级组", "食堂", "门卫", "校医室"]


def build_district(*, schools: int, staff_per_school: int, seed: int = 7) -> District:
    rng = random.Random(seed)
    district = District.objects.create(name=f"基准测试区教育局-{schools}")
    school_rows = School.objects.bulk_create(
        [School(district=district, name=f"基准第{n + 1}小学") for n in range(schools)], batch_size=500
    )
    departments = Department.objects.bulk_create(
        [
            Department(school=school, name=name, search_text=pinyin_index(name))
            for school in school_rows
            for name in DEPARTMENTS
        ],
        batch_size=2000,
    )
    by_school: dict[int, list[Department]] = {}
    for department in departments:
        by_school.setdefault(department.school_id, []).append(department)
    people = []
    for school in school_rows:
        for n in range(staff_per_school):
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            people.append(
                Person(
                    school=school,
                    name=name,
                    department=rng.choice(by_school[school.pk]),
                    phone=f"13{rng.randrange(10**9):09d}",
                    staff_no=f"T{n:04d}",
                    search_text=pinyin_index(name, f"T{n:04d}"),
                )
            )
    Person.objects.bulk_create(people, batch_size=5000)
    return district
