"""The demo district: what `houqin demo` promises (API.md "Demo accounts") and how it behaves when run again."""

from __future__ import annotations

from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase

from houqin.accounts.models import User
from houqin.accounts.roles import Role
from houqin.accounts.services import login_check
from houqin.core.models import AuditEvent
from houqin.core.search import search
from houqin.demo import registry
from houqin.demo.builder import build
from houqin.demo.data import DEMO_PASSWORD
from houqin.orgs.models import Department, Person, Place, School, SchoolClass, Semester, Student, Tenant

EXPECTED_LOGINS = {
    "admin": (Role.SCHOOL_ADMIN, "实验小学"),
    "principal": (Role.PRINCIPAL, "实验小学"),
    "logistics": (Role.LOGISTICS_HEAD, "实验小学"),
    "accountant": (Role.ACCOUNTANT, "实验小学"),
    "assetkeeper": (Role.ASSET_KEEPER, "实验小学"),
    "safety": (Role.SAFETY_OFFICER, "实验小学"),
    "canteen": (Role.CANTEEN_MANAGER, "实验小学"),
    "doctor": (Role.DOCTOR, "实验小学"),
    "guard": (Role.GUARD, "实验小学"),
    "headteacher": (Role.HEAD_TEACHER, "实验小学"),
    "teacher": (Role.STAFF, "实验小学"),
    "principal2": (Role.PRINCIPAL, "中南路小学"),
    "logistics2": (Role.LOGISTICS_HEAD, "中南路小学"),
    "bureau": (Role.BUREAU_STAFF, None),
}
SCHOOL_OWNED = (Department, Place, Person, SchoolClass, Student, Tenant)


class DemoContentTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        build()
        cls.school1 = School.objects.get(name="实验小学")
        cls.school2 = School.objects.get(name="中南路小学")

    def test_school_one_has_five_classes_in_each_of_six_grades(self):
        classes = SchoolClass.objects.filter(school=self.school1)
        self.assertEqual(classes.count(), 30)
        self.assertEqual(sorted({c.grade for c in classes}), [1, 2, 3, 4, 5, 6])
        self.assertTrue(classes.filter(name="一年级一班").exists())
        self.assertTrue(classes.filter(name="六年级五班").exists())

    def test_school_one_has_about_1200_students(self):
        self.assertTrue(1150 <= Student.objects.filter(school=self.school1).count() <= 1250)

    def test_every_class_has_a_head_teacher_and_a_classroom(self):
        self.assertFalse(SchoolClass.objects.filter(head_teacher=None).exists())
        self.assertFalse(SchoolClass.objects.filter(classroom=None).exists())

    def test_school_one_has_about_sixty_staff_including_temporary_workers(self):
        people = Person.objects.filter(school=self.school1)
        self.assertTrue(55 <= people.count() <= 70)
        temporary = set(people.filter(kind="temporary").values_list("job_title", flat=True))
        self.assertTrue({"司机", "厨师", "打更员"} <= temporary)

    def test_school_one_has_the_usual_departments(self):
        names = set(Department.objects.filter(school=self.school1).values_list("name", flat=True))
        self.assertTrue({"校长室", "总务处", "教导处", "德育处", "食堂", "门卫", "校医室", "五年级组"} <= names)

    def test_school_one_has_buildings_floors_and_rooms(self):
        places = Place.objects.filter(school=self.school1)
        buildings = set(places.filter(kind="building").values_list("name", flat=True))
        self.assertTrue({"教学楼", "综合楼", "食堂", "门卫室"} <= buildings)
        self.assertTrue(places.filter(full_name="教学楼 / 1层 / 101", use="classroom").exists())
        rooms = set(places.filter(kind="room").values_list("name", flat=True))
        self.assertTrue({"微机室", "科学实验室", "图书室", "总务库房"} <= rooms)

    def test_tenants_are_a_kindergarten_and_a_cooks_school_with_premises(self):
        kinds = set(Tenant.objects.filter(school=self.school1).values_list("kind", flat=True))
        self.assertEqual(kinds, {"kindergarten", "training"})
        self.assertFalse(Tenant.objects.filter(place=None).exists())

    def test_school_two_is_smaller(self):
        self.assertEqual(SchoolClass.objects.filter(school=self.school2).count(), 12)
        self.assertTrue(400 <= Student.objects.filter(school=self.school2).count() <= 500)
        self.assertTrue(20 <= Person.objects.filter(school=self.school2).count() <= 30)

    def test_the_district_has_the_autumn_and_spring_semesters(self):
        autumn = Semester.objects.get(district=self.school1.district, name="2026-2027学年第一学期")
        self.assertEqual((autumn.starts_on.isoformat(), autumn.ends_on.isoformat()), ("2026-09-01", "2027-01-20"))
        self.assertTrue(Semester.objects.filter(name="2026-2027学年第二学期").exists())

    def test_every_demo_login_exists_with_its_role_and_place(self):
        for username, (role, school_name) in EXPECTED_LOGINS.items():
            user = User.objects.get(username=username)
            self.assertEqual(set(user.role_codes), {role}, username)
            self.assertEqual(user.school.name if user.school else None, school_name, username)
            self.assertEqual(user.district, self.school1.district, username)

    def test_every_demo_login_logs_in_with_the_demo_password(self):
        for username in EXPECTED_LOGINS:
            self.assertEqual(login_check(username=username, password=DEMO_PASSWORD).username, username)

    def test_school_logins_are_linked_to_their_own_schools_staff_records(self):
        for user in User.objects.exclude(username="bureau"):
            self.assertIsNotNone(user.person, user.username)
            self.assertEqual(user.person.school_id, user.school_id, user.username)

    def test_the_head_teacher_login_heads_five_two(self):
        head = User.objects.get(username="headteacher").person
        self.assertEqual(SchoolClass.objects.get(school=self.school1, name="五年级二班").head_teacher, head)

    def test_school_two_users_cannot_see_school_one_rows(self):
        principal2 = User.objects.get(username="principal2")
        for model in SCHOOL_OWNED:
            visible = model.objects.visible_to(principal2)
            self.assertTrue(visible.exists(), model.__name__)
            self.assertFalse(visible.filter(school=self.school1).exists(), model.__name__)

    def test_the_bureau_sees_both_schools(self):
        bureau = User.objects.get(username="bureau")
        schools = set(Student.objects.visible_to(bureau).values_list("school_id", flat=True).distinct())
        self.assertEqual(schools, {self.school1.pk, self.school2.pk})

    def test_people_are_found_by_pinyin_initials(self):
        self.assertTrue(search(Person.objects.filter(school=self.school1), "lgq").filter(name="李国强").exists())

    def test_each_bulk_batch_is_audited_as_demo_loaded(self):
        event = AuditEvent.objects.get(action="demo.loaded", school=self.school1, message__startswith="orgs.student")
        self.assertEqual(event.changes["orgs.student"][1], Student.objects.filter(school=self.school1).count())
        self.assertIsNone(event.actor)


class DemoCommandTests(TestCase):
    def run_demo(self, *args: str) -> str:
        out = StringIO()
        call_command("demo", *args, stdout=out)
        return out.getvalue()

    def counts(self) -> tuple[int, ...]:
        return tuple(model.objects.count() for model in (School, User, *SCHOOL_OWNED))

    def test_if_empty_twice_does_not_duplicate(self):
        self.run_demo("--if-empty")
        first = self.counts()
        self.run_demo("--if-empty")
        self.assertEqual(self.counts(), first)

    def test_it_prints_every_demo_login_and_the_address(self):
        output = self.run_demo()
        for username in EXPECTED_LOGINS:
            self.assertIn(f"  {username} ", output)
        self.assertIn(DEMO_PASSWORD, output)
        self.assertIn("http://127.0.0.1:", output)

    def test_if_empty_still_prints_the_logins_of_an_existing_demo(self):
        self.run_demo()
        self.assertIn("  principal2 ", self.run_demo("--if-empty"))

    def test_without_flags_it_refuses_a_database_that_has_schools(self):
        self.run_demo()
        with self.assertRaises(CommandError):
            self.run_demo()

    def test_force_rebuilds_the_same_demo_without_duplicating(self):
        self.run_demo()
        first, names = self.counts(), list(Student.objects.order_by("school", "student_no").values_list("name"))
        self.run_demo("--force")
        self.assertEqual(self.counts(), first)
        self.assertEqual(list(Student.objects.order_by("school", "student_no").values_list("name")), names)

    def test_force_keeps_the_audit_trail_and_the_logins_working(self):
        self.run_demo()
        before = AuditEvent.objects.count()
        self.run_demo("--force")
        self.assertGreater(AuditEvent.objects.count(), before)
        self.assertEqual(
            login_check(username="headteacher", password=DEMO_PASSWORD).person.classes.get().name, "五年级二班"
        )

    def test_another_module_can_add_a_step_that_runs_after_the_logins(self):
        seen = []
        with mock.patch.object(registry, "_steps", list(registry._steps)):
            registry.register_step(order=100)(lambda ctx: seen.append(ctx.users["logistics"].username))
            build()
        self.assertEqual(seen, ["logistics"])
