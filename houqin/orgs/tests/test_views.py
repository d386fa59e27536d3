"""Organisation pages: access (login, 403, 404 across schools), create/edit through services, masking, exports,
filters, search, navigation, 今日待办 and constant query counts."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from openpyxl import load_workbook

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.core.registry import menu_for, search_for, today_for
from houqin.core.testing import HouqinTestCase
from houqin.orgs import services
from houqin.orgs.apps import CLASSES_WITHOUT_HEAD_TEACHER
from houqin.orgs.models import Department, Person, Place, SchoolClass, Semester, Student

PHONE = "13812345678"
PHONE_MASKED = "138****5678"
GUARDIAN = "13987654321"
GUARDIAN_MASKED = "139****4321"


def build_orgs(cls, school, actor, suffix=""):
    """One of each organisation row in `school`, set on `cls` as person<suffix>, place<suffix>…"""
    department = Department.objects.get(school=school, name="总务处")
    person = services.person_create(
        actor=actor, school=school, name=f"张三{suffix}", department=department, phone=PHONE, job_title="电工"
    )
    building = services.place_create(actor=actor, school=school, name="教学楼", kind="building")
    school_class = services.class_create(actor=actor, school=school, name="三(1)班", grade=3, head_teacher=person)
    student = services.student_create(
        actor=actor, school=school, name="王小明", school_class=school_class, guardian_phone=GUARDIAN
    )
    tenant = services.tenant_create(actor=actor, school=school, name="阳光幼儿园", contact_phone=PHONE)
    for name, obj in {
        "department": department,
        "person": person,
        "place": building,
        "school_class": school_class,
        "student": student,
        "tenant": tenant,
    }.items():
        setattr(cls, f"{name}{suffix}", obj)


class OrgTestCase(HouqinTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_orgs(cls, cls.school_a, cls.admin)
        build_orgs(cls, cls.school_b, cls.admin_b, suffix="_b")

    def page_urls(self, suffix=""):
        """Every page of every entity, for the rows of school A (or B with suffix '_b')."""
        rows = {
            "department": getattr(self, f"department{suffix}"),
            "place": getattr(self, f"place{suffix}"),
            "person": getattr(self, f"person{suffix}"),
            "class": getattr(self, f"school_class{suffix}"),
            "student": getattr(self, f"student{suffix}"),
            "tenant": getattr(self, f"tenant{suffix}"),
        }
        urls = []
        for prefix, obj in rows.items():
            urls += [
                reverse(f"orgs:{prefix}_detail", args=[obj.pk]),
                reverse(f"orgs:{prefix}_update", args=[obj.pk]),
            ]
        return urls

    def list_urls(self):
        names = ["department", "place", "person", "class", "student", "tenant"]
        return [reverse(f"orgs:{n}_list") for n in names] + [reverse(f"orgs:{n}_create") for n in names]


class AccessTests(OrgTestCase):
    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        for url in [*self.list_urls(), *self.page_urls(), reverse("orgs:semester_list"), reverse("orgs:person_import")]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("accounts:login")))

    def test_every_page_opens_for_the_school_administrator(self):
        client = self.api(self.admin)
        for url in [*self.list_urls(), *self.page_urls(), reverse("orgs:semester_list")]:
            with self.subTest(url=url):
                self.assertEqual(client.get(url).status_code, 200)

    def test_another_schools_rows_are_not_found(self):
        client = self.api(self.admin)
        for url in self.page_urls(suffix="_b"):
            with self.subTest(url=url):
                self.assertEqual(client.get(url).status_code, 404)

    def test_editing_another_schools_row_by_post_is_not_found(self):
        response = self.api(self.admin).post(
            reverse("orgs:person_update", args=[self.person_b.pk]), {"name": "改名", "kind": "staff"}
        )
        self.assertEqual(response.status_code, 404)
        self.person_b.refresh_from_db()
        self.assertEqual(self.person_b.name, "张三_b")

    def test_staff_without_the_student_permission_get_403(self):
        client = self.api(self.teacher)
        for url in [reverse("orgs:student_list"), reverse("orgs:student_detail", args=[self.student.pk])]:
            with self.subTest(url=url):
                self.assertEqual(client.get(url).status_code, 403)

    def test_readers_cannot_open_the_create_and_edit_pages(self):
        client = self.api(self.principal)
        for url in [reverse("orgs:person_create"), reverse("orgs:person_update", args=[self.person.pk])]:
            with self.subTest(url=url):
                self.assertEqual(client.get(url).status_code, 403)

    def test_guard_sees_people_but_not_places(self):
        client = self.api(self.guard)
        self.assertEqual(client.get(reverse("orgs:person_list")).status_code, 200)
        self.assertEqual(client.get(reverse("orgs:place_list")).status_code, 403)

    def test_bureau_staff_see_every_school_of_their_district(self):
        response = self.api(self.bureau).get(reverse("orgs:person_list"))
        names = {person.name for person in response.context["object_list"]}
        self.assertEqual(names, {"张三", "张三_b"})

    def test_bureau_staff_choose_a_school_before_its_departments(self):
        """A district's departments are no useful drop-down: they appear once a school is chosen, only its own."""
        client = self.api(self.bureau)
        without_school = client.get(reverse("orgs:person_list")).context["filterset"]
        self.assertNotIn("department", without_school.form.fields)
        chosen = client.get(reverse("orgs:person_list"), {"school": self.school_b.pk}).context["filterset"]
        self.assertEqual({d.school_id for d in chosen.form.fields["department"].queryset}, {self.school_b.pk})


class PersonPageTests(OrgTestCase):
    def form_data(self, **overrides):
        data = {"name": "李四", "department": self.department.pk, "kind": "staff", "phone": "13700001111"}
        data.update(overrides)
        return data

    def test_creating_a_person_saves_in_the_users_school_and_audits(self):
        response = self.api(self.admin).post(reverse("orgs:person_create"), self.form_data())
        person = Person.objects.get(name="李四")
        self.assertRedirects(response, person.get_absolute_url())
        self.assertEqual(person.school, self.school_a)
        self.assertAudited(person, "orgs.person.created", actor=self.admin)

    def test_editing_a_person_saves_and_audits_the_change(self):
        url = reverse("orgs:person_update", args=[self.person.pk])
        response = self.api(self.logistics).post(url, self.form_data(name="张三丰", is_active="on"))
        self.assertRedirects(response, self.person.get_absolute_url())
        self.person.refresh_from_db()
        self.assertEqual(self.person.name, "张三丰")
        event = self.assertAudited(self.person, "orgs.person.updated", actor=self.logistics)
        self.assertEqual(event.changes["name"], ["张三", "张三丰"])

    def test_department_choices_are_only_the_users_school(self):
        form = self.api(self.admin).get(reverse("orgs:person_create")).context["form"]
        self.assertEqual(list(form.fields["department"].queryset), [self.department])

    def test_another_schools_department_is_refused(self):
        response = self.api(self.admin).post(
            reverse("orgs:person_create"), self.form_data(department=self.department_b.pk)
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("department", response.context["form"].errors)
        self.assertFalse(Person.objects.filter(name="李四").exists())

    def test_the_list_masks_phone_numbers(self):
        content = self.api(self.admin).get(reverse("orgs:person_list")).content.decode()
        self.assertIn(PHONE_MASKED, content)
        self.assertNotIn(PHONE, content)

    def test_the_detail_page_shows_the_full_phone_to_editors(self):
        content = self.api(self.admin).get(self.person.get_absolute_url()).content.decode()
        self.assertIn(PHONE, content)

    def test_the_detail_page_masks_the_phone_for_readers(self):
        content = self.api(self.principal).get(self.person.get_absolute_url()).content.decode()
        self.assertIn(PHONE_MASKED, content)
        self.assertNotIn(PHONE, content)

    def test_the_detail_page_shows_the_history(self):
        response = self.api(self.admin).get(self.person.get_absolute_url())
        self.assertEqual([e.action for e in response.context["history"]], ["orgs.person.created"])

    def test_the_export_is_an_xlsx_with_masked_phones(self):
        response = self.api(self.admin).get(reverse("orgs:person_list"), {"export": "xlsx"})
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertIn(PHONE_MASKED, rows[1])
        self.assertNotIn(PHONE, str(rows))

    def test_search_finds_people_by_pinyin_initials(self):
        services.person_create(actor=self.admin, school=self.school_a, name="李四")
        response = self.api(self.admin).get(reverse("orgs:person_list"), {"q": "zs"})
        self.assertEqual([p.name for p in response.context["object_list"]], ["张三"])

    def test_the_list_filters_by_department(self):
        other = services.department_create(actor=self.admin, school=self.school_a, name="教导处")
        services.person_create(actor=self.admin, school=self.school_a, name="李四", department=other)
        response = self.api(self.admin).get(reverse("orgs:person_list"), {"department": other.pk})
        self.assertEqual([p.name for p in response.context["object_list"]], ["李四"])

    def test_the_list_takes_the_same_number_of_queries_for_10_and_50_rows(self):
        client = self.api(self.admin)
        url = reverse("orgs:person_list")
        departments = [self.department, services.department_create(actor=self.admin, school=self.school_a, name="食堂")]
        Person.objects.bulk_create(
            Person(school=self.school_a, name=f"工人{i}", department=departments[i % 2], phone=PHONE) for i in range(9)
        )
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as at_10:
            self.assertEqual(len(client.get(url).context["object_list"]), 10)
        self.assertLessEqual(len(at_10), 12)
        Person.objects.bulk_create(
            Person(school=self.school_a, name=f"临时工{i}", department=departments[i % 2]) for i in range(40)
        )
        with self.assertNumQueries(len(at_10)):
            self.assertEqual(len(client.get(url).context["object_list"]), 50)


class PlacePageTests(OrgTestCase):
    def test_a_floor_created_inside_a_building_gets_its_full_name(self):
        response = self.api(self.assetkeeper).post(
            reverse("orgs:place_create"), {"name": "3层", "kind": "floor", "parent": self.place.pk, "is_active": "on"}
        )
        floor = Place.objects.get(name="3层")
        self.assertRedirects(response, floor.get_absolute_url())
        self.assertEqual(floor.full_name, "教学楼 / 3层")
        self.assertAudited(floor, "orgs.place.created", actor=self.assetkeeper)

    def test_a_broken_tree_rule_is_shown_beside_the_parent_field(self):
        response = self.api(self.admin).post(reverse("orgs:place_create"), {"name": "3层", "kind": "floor"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("parent", response.context["form"].errors)
        self.assertFalse(Place.objects.filter(name="3层").exists())

    def test_renaming_a_building_renames_what_is_inside(self):
        floor = services.place_create(
            actor=self.admin, school=self.school_a, name="3层", kind="floor", parent=self.place
        )
        self.api(self.admin).post(
            reverse("orgs:place_update", args=[self.place.pk]),
            {"name": "综合楼", "kind": "building", "is_active": "on"},
        )
        floor.refresh_from_db()
        self.assertEqual(floor.full_name, "综合楼 / 3层")

    def test_the_inside_filter_lists_everything_under_a_building(self):
        floor = services.place_create(
            actor=self.admin, school=self.school_a, name="3层", kind="floor", parent=self.place
        )
        services.place_create(actor=self.admin, school=self.school_a, name="301", kind="room", parent=floor)
        services.place_create(actor=self.admin, school=self.school_a, name="操场", kind="area")
        response = self.api(self.admin).get(reverse("orgs:place_list"), {"parent": self.place.pk})
        self.assertEqual([p.full_name for p in response.context["object_list"]], ["教学楼 / 3层", "教学楼 / 3层 / 301"])

    def test_the_list_filters_by_kind(self):
        services.place_create(actor=self.admin, school=self.school_a, name="操场", kind="area")
        response = self.api(self.admin).get(reverse("orgs:place_list"), {"kind": "area"})
        self.assertEqual([p.name for p in response.context["object_list"]], ["操场"])

    def test_add_a_place_inside_prefills_the_parent(self):
        client = self.api(self.admin)
        label, url = client.get(self.place.get_absolute_url()).context["actions"][0]
        self.assertEqual(client.get(url).context["form"].initial["parent"], str(self.place.pk))

    def test_parent_choices_are_only_the_users_school(self):
        form = self.api(self.admin).get(reverse("orgs:place_create")).context["form"]
        self.assertEqual(list(form.fields["parent"].queryset), [self.place])


class SchoolClassPageTests(OrgTestCase):
    def test_creating_a_class_with_a_head_teacher_saves_and_audits(self):
        response = self.api(self.admin).post(
            reverse("orgs:class_create"),
            {"name": "四(2)班", "grade": 4, "head_teacher": self.person.pk, "is_active": "on"},
        )
        school_class = SchoolClass.objects.get(name="四(2)班")
        self.assertRedirects(response, school_class.get_absolute_url())
        self.assertEqual(school_class.head_teacher, self.person)
        self.assertAudited(school_class, "orgs.schoolclass.created", actor=self.admin)

    def test_head_teacher_choices_are_only_the_users_school(self):
        form = self.api(self.admin).get(reverse("orgs:class_create")).context["form"]
        self.assertEqual(list(form.fields["head_teacher"].queryset), [self.person])

    def test_the_list_counts_enrolled_students(self):
        response = self.api(self.admin).get(reverse("orgs:class_list"))
        self.assertEqual([c.student_count for c in response.context["object_list"]], [1])

    def test_the_class_page_lists_its_students_with_masked_guardian_phones(self):
        content = self.api(self.headteacher).get(self.school_class.get_absolute_url()).content.decode()
        self.assertIn("王小明", content)
        self.assertIn(GUARDIAN_MASKED, content)
        self.assertNotIn(GUARDIAN, content)

    def test_the_class_page_hides_students_from_staff_without_the_permission(self):
        content = self.api(self.teacher).get(self.school_class.get_absolute_url()).content.decode()
        self.assertNotIn("王小明", content)

    def test_today_shows_classes_without_a_head_teacher_to_those_who_can_set_one(self):
        services.class_create(actor=self.admin, school=self.school_a, name="一(1)班", grade=1)
        items = [i for i in today_for(self.admin) if i.title == str(CLASSES_WITHOUT_HEAD_TEACHER)]
        self.assertEqual([i.count for i in items], [1])
        response = self.api(self.admin).get(items[0].url)
        self.assertEqual([c.name for c in response.context["object_list"]], ["一(1)班"])

    def test_today_has_no_class_item_when_every_class_has_a_head_teacher(self):
        titles = [i.title for i in today_for(self.admin)]
        self.assertNotIn(str(CLASSES_WITHOUT_HEAD_TEACHER), titles)

    def test_today_has_no_class_item_for_readers(self):
        services.class_create(actor=self.admin, school=self.school_a, name="一(1)班", grade=1)
        titles = [i.title for i in today_for(self.principal)]
        self.assertNotIn(str(CLASSES_WITHOUT_HEAD_TEACHER), titles)


class StudentPageTests(OrgTestCase):
    def test_creating_a_student_saves_and_audits(self):
        response = self.api(self.admin).post(
            reverse("orgs:student_create"),
            {"name": "李小红", "school_class": self.school_class.pk, "sex": "F", "is_active": "on"},
        )
        student = Student.objects.get(name="李小红")
        self.assertRedirects(response, student.get_absolute_url())
        self.assertAudited(student, "orgs.student.created", actor=self.admin)

    def test_the_list_and_export_mask_guardian_phones(self):
        client = self.api(self.doctor)
        content = client.get(reverse("orgs:student_list")).content.decode()
        self.assertIn(GUARDIAN_MASKED, content)
        self.assertNotIn(GUARDIAN, content)
        export = client.get(reverse("orgs:student_list"), {"export": "xlsx"})
        rows = list(load_workbook(BytesIO(b"".join(export.streaming_content))).active.iter_rows(values_only=True))
        self.assertIn(GUARDIAN_MASKED, rows[1])
        self.assertNotIn(GUARDIAN, str(rows))

    def test_the_student_page_masks_the_guardian_phone_for_readers(self):
        content = self.api(self.doctor).get(self.student.get_absolute_url()).content.decode()
        self.assertIn(GUARDIAN_MASKED, content)
        self.assertNotIn(GUARDIAN, content)


class DepartmentAndTenantPageTests(OrgTestCase):
    def test_creating_a_department_saves_and_audits(self):
        response = self.api(self.admin).post(reverse("orgs:department_create"), {"name": "教导处", "is_active": "on"})
        department = Department.objects.get(school=self.school_a, name="教导处")
        self.assertRedirects(response, department.get_absolute_url())
        self.assertAudited(department, "orgs.department.created", actor=self.admin)

    def test_a_duplicate_department_name_is_refused_on_the_form(self):
        response = self.api(self.admin).post(reverse("orgs:department_create"), {"name": "总务处"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertEqual(Department.objects.filter(school=self.school_a).count(), 1)

    def test_the_department_list_counts_people(self):
        response = self.api(self.admin).get(reverse("orgs:department_list"))
        self.assertEqual([d.people_count for d in response.context["object_list"]], [1])

    def test_editing_a_tenant_saves_and_audits(self):
        url = reverse("orgs:tenant_update", args=[self.tenant.pk])
        response = self.api(self.safety).post(url, {"name": "阳光幼儿园", "kind": "kindergarten", "is_active": "on"})
        self.assertRedirects(response, self.tenant.get_absolute_url())
        self.tenant.refresh_from_db()
        self.assertEqual(self.tenant.kind, "kindergarten")
        self.assertAudited(self.tenant, "orgs.tenant.updated", actor=self.safety)

    def test_the_tenant_list_masks_contact_phones(self):
        content = self.api(self.admin).get(reverse("orgs:tenant_list")).content.decode()
        self.assertIn(PHONE_MASKED, content)
        self.assertNotIn(PHONE, content)


class SemesterListTests(OrgTestCase):
    def test_school_staff_see_their_districts_semesters_only(self):
        Semester.objects.create(
            district=self.district, name="2025秋", starts_on=dt.date(2025, 9, 1), ends_on=dt.date(2026, 1, 20)
        )
        Semester.objects.create(
            district=self.other_district, name="邻区2025秋", starts_on=dt.date(2025, 9, 1), ends_on=dt.date(2026, 1, 20)
        )
        response = self.api(self.teacher).get(reverse("orgs:semester_list"))
        self.assertEqual([s.name for s in response.context["object_list"]], ["2025秋"])


class ShellTests(OrgTestCase):
    def nav_urls(self, user):
        return {item["url"] for section in menu_for(user, "/") for item in section["items"]}

    def test_the_navigation_shows_the_pages_the_role_may_open(self):
        self.assertIn(reverse("orgs:student_list"), self.nav_urls(self.admin))
        self.assertNotIn(reverse("orgs:student_list"), self.nav_urls(self.teacher))
        self.assertEqual(
            self.nav_urls(self.guard) & {reverse("orgs:person_list"), reverse("orgs:place_list")},
            {reverse("orgs:person_list")},
        )

    def test_global_search_finds_people_places_and_classes_of_the_school(self):
        groups = search_for(self.admin, "张三")
        hits = [hit for group in groups for hit in group["hits"]]
        self.assertEqual(hits, [self.person])

    def test_global_search_finds_students_only_with_the_permission(self):
        self.assertTrue(any(self.student in g["hits"] for g in search_for(self.doctor, "wxm")))
        self.assertFalse(any(self.student in g["hits"] for g in search_for(self.teacher, "wxm")))
