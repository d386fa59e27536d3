from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.core.api import FORBIDDEN
from houqin.core.models import AuditEvent
from houqin.core.testing import HouqinTestCase, make_user
from houqin.orgs.choices import PlaceKind
from houqin.orgs.models import Department, Person, Place, SchoolClass, Semester, Student, Tenant


class OrgsApiTestCase(HouqinTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.teaching = Department.objects.create(school=cls.school_a, name="教导处")
        cls.building = Place.objects.create(
            school=cls.school_a, name="教学楼", kind=PlaceKind.BUILDING, full_name="教学楼"
        )
        cls.floor = Place.objects.create(
            school=cls.school_a, name="3层", kind=PlaceKind.FLOOR, parent=cls.building, full_name="教学楼 / 3层"
        )
        cls.place_b = Place.objects.create(school=cls.school_b, name="B楼", kind=PlaceKind.BUILDING, full_name="B楼")
        cls.zhang = Person.objects.create(
            school=cls.school_a, name="张三", department=cls.department_a, phone="13812345678"
        )
        cls.li = Person.objects.create(school=cls.school_a, name="李四", department=cls.teaching)
        cls.person_b = Person.objects.create(school=cls.school_b, name="王五", department=cls.department_b)
        cls.class_52 = SchoolClass.objects.create(school=cls.school_a, name="五年级二班", grade=5, head_teacher=cls.li)
        cls.class_11 = SchoolClass.objects.create(school=cls.school_a, name="一年级一班", grade=1)
        cls.class_b = SchoolClass.objects.create(school=cls.school_b, name="五年级二班", grade=5)
        cls.xiaoming = Student.objects.create(
            school=cls.school_a, name="王小明", school_class=cls.class_52, guardian_phone="13987654321"
        )
        cls.xiaohong = Student.objects.create(school=cls.school_a, name="李小红", school_class=cls.class_11)
        cls.student_b = Student.objects.create(school=cls.school_b, name="赵小刚", school_class=cls.class_b)
        cls.tenant = Tenant.objects.create(school=cls.school_a, name="小天鹅幼儿园", contact_phone="13600001111")
        cls.semester = Semester.objects.create(
            district=cls.district, name="2026-2027学年第一学期", starts_on="2026-09-01", ends_on="2027-01-20"
        )
        Semester.objects.create(
            district=cls.other_district, name="邻区学期", starts_on="2026-09-01", ends_on="2027-01-20"
        )

    def get(self, url, user=None, **params):
        return self.api(user or self.logistics).get(url, params)

    def post(self, url, body, user=None):
        return self.api(user or self.logistics).post(url, body, content_type="application/json")

    def names(self, response):
        self.assertEqual(response.status_code, 200, response.content)
        return [item["name"] for item in response.json()["items"]]

    def assertStatus(self, response, status):
        self.assertEqual(response.status_code, status, response.content.decode())
        return response.json()

    def assertInvalid(self, response, field):
        body = self.assertStatus(response, 422)
        self.assertIn(field, [error["loc"][-1] for error in body["detail"]])
        for error in body["detail"]:
            self.assertEqual(set(error) >= {"loc", "msg"}, True)
        return body


class ListShapeTests(OrgsApiTestCase):
    def test_a_list_has_items_and_count(self):
        body = self.get("/api/orgs/departments").json()
        self.assertEqual(set(body), {"items", "count"})
        self.assertEqual(body["count"], 2)

    def test_limit_and_offset_page_through_the_list(self):
        first = self.get("/api/orgs/people", limit=1, offset=0).json()
        second = self.get("/api/orgs/people", limit=1, offset=1).json()
        self.assertEqual((first["count"], second["count"]), (2, 2))
        self.assertEqual([first["items"][0]["name"], second["items"][0]["name"]], ["张三", "李四"])

    def test_a_limit_above_500_is_refused(self):
        self.assertInvalid(self.get("/api/orgs/people", limit=501), "limit")

    def test_a_limit_of_500_is_accepted(self):
        self.assertEqual(self.get("/api/orgs/people", limit=500).status_code, 200)

    def test_a_huge_offset_gives_an_empty_page_not_an_error(self):
        body = self.assertStatus(self.get("/api/orgs/people", offset=2**63 - 1), 200)
        self.assertEqual(body["items"], [])

    def test_an_offset_beyond_a_database_integer_is_refused(self):
        self.assertInvalid(self.get("/api/orgs/people", offset=2**63), "offset")

    def test_a_negative_offset_is_refused(self):
        self.assertInvalid(self.get("/api/orgs/people", offset=-1), "offset")


class ScopeTests(OrgsApiTestCase):
    def test_staff_see_only_their_schools_rows(self):
        self.assertEqual(self.names(self.get("/api/orgs/departments")), ["总务处", "教导处"])

    def test_another_schools_object_by_id_is_not_found(self):
        for url in (
            f"/api/orgs/departments/{self.department_b.pk}",
            f"/api/orgs/places/{self.place_b.pk}",
            f"/api/orgs/people/{self.person_b.pk}",
            f"/api/orgs/classes/{self.class_b.pk}",
            f"/api/orgs/students/{self.student_b.pk}",
        ):
            with self.subTest(url=url):
                body = self.assertStatus(self.get(url, user=self.admin), 404)
                self.assertEqual(set(body), {"detail"})

    def test_an_own_object_by_id_is_found(self):
        body = self.assertStatus(self.get(f"/api/orgs/people/{self.zhang.pk}"), 200)
        self.assertEqual(body["name"], "张三")

    def test_a_missing_permission_is_forbidden(self):
        body = self.assertStatus(self.get("/api/orgs/departments", user=self.guard), 403)
        self.assertEqual(body, {"detail": str(FORBIDDEN)})

    def test_a_missing_permission_is_forbidden_even_for_a_bad_body(self):
        self.assertStatus(self.post("/api/orgs/departments", {"name": ""}, user=self.teacher), 403)

    def test_an_id_that_is_not_a_number_is_refused(self):
        self.assertInvalid(self.get("/api/orgs/people/abc"), "person_id")

    def test_an_id_beyond_a_database_integer_is_refused(self):
        self.assertInvalid(self.get(f"/api/orgs/people/{2**63}"), "person_id")


class BureauTests(OrgsApiTestCase):
    def test_a_bureau_user_sees_both_schools_of_the_district_but_not_the_far_one(self):
        Department.objects.create(school=self.school_far, name="邻区总务处")
        schools = {item["school_id"] for item in self.get("/api/orgs/departments", user=self.bureau).json()["items"]}
        self.assertEqual(schools, {self.school_a.pk, self.school_b.pk})

    def test_a_bureau_user_sees_a_schools_object_by_id(self):
        self.assertStatus(self.get(f"/api/orgs/people/{self.person_b.pk}", user=self.bureau), 200)

    def test_a_bureau_user_without_write_permission_is_forbidden_to_write(self):
        self.assertStatus(self.post("/api/orgs/departments", {"name": "督导室"}, user=self.bureau), 403)


class BureauWriteTests(OrgsApiTestCase):
    """A district-level account that may write (a superuser of the district) must say which school."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.district_root = make_user("districtroot", role=None, district=cls.district, is_superuser=True)

    def test_without_school_id_the_write_is_refused(self):
        self.assertInvalid(self.post("/api/orgs/departments", {"name": "督导室"}, user=self.district_root), "school_id")

    def test_with_a_school_id_of_the_district_the_row_goes_there(self):
        body = self.assertStatus(
            self.post("/api/orgs/departments", {"name": "督导室", "school_id": self.school_b.pk}, self.district_root),
            201,
        )
        self.assertEqual(body["school_id"], self.school_b.pk)

    def test_a_school_of_another_district_is_not_found(self):
        response = self.post(
            "/api/orgs/departments", {"name": "督导室", "school_id": self.school_far.pk}, self.district_root
        )
        self.assertStatus(response, 404)

    def test_a_school_user_naming_another_school_is_not_found(self):
        self.assertStatus(self.post("/api/orgs/departments", {"name": "督导室", "school_id": self.school_b.pk}), 404)

    def test_a_school_user_may_name_their_own_school(self):
        self.assertStatus(self.post("/api/orgs/departments", {"name": "督导室", "school_id": self.school_a.pk}), 201)


class DepartmentApiTests(OrgsApiTestCase):
    def test_create_returns_201_with_the_new_department(self):
        body = self.assertStatus(self.post("/api/orgs/departments", {"name": "督导室"}), 201)
        self.assertEqual((body["name"], body["school_id"], body["is_active"]), ("督导室", self.school_a.pk, True))
        self.assertTrue(Department.objects.filter(pk=body["id"], school=self.school_a).exists())

    def test_create_is_audited_with_the_request_id(self):
        response = self.api(self.logistics).post(
            "/api/orgs/departments",
            {"name": "督导室"},
            content_type="application/json",
            HTTP_X_REQUEST_ID="abc-12345678",
        )
        event = AuditEvent.objects.get(action="orgs.department.created", target_id=str(response.json()["id"]))
        self.assertEqual((event.actor, event.request_id), (self.logistics, "abc-12345678"))

    def test_a_missing_name_is_a_field_error(self):
        self.assertInvalid(self.post("/api/orgs/departments", {}), "name")

    def test_a_blank_name_is_a_field_error_not_a_server_error(self):
        self.assertInvalid(self.post("/api/orgs/departments", {"name": "   "}), "name")

    def test_a_too_long_name_is_a_field_error(self):
        self.assertInvalid(self.post("/api/orgs/departments", {"name": "长" * 51}), "name")

    def test_a_name_with_a_nul_character_is_refused(self):
        self.assertInvalid(self.post("/api/orgs/departments", {"name": "总务\x00处"}), "name")

    def test_a_taken_name_is_a_conflict_with_the_rule_message(self):
        body = self.assertStatus(self.post("/api/orgs/departments", {"name": "总务处"}), 409)
        self.assertEqual(body, {"detail": str(Department._meta.constraints[0].violation_error_message)})

    def test_a_body_that_is_not_json_is_refused(self):
        response = self.api(self.logistics).post("/api/orgs/departments", "{name", content_type="application/json")
        self.assertEqual(self.assertStatus(response, 422)["detail"][0]["loc"], ["body"])

    def test_q_finds_by_pinyin_initials(self):
        self.assertEqual(self.names(self.get("/api/orgs/departments", q="jdc")), ["教导处"])


class PlaceApiTests(OrgsApiTestCase):
    def test_create_a_floor_inside_a_building(self):
        body = self.assertStatus(
            self.post("/api/orgs/places", {"name": "4层", "kind": "floor", "parent_id": self.building.pk}), 201
        )
        self.assertEqual((body["full_name"], body["parent_id"]), ("教学楼 / 4层", self.building.pk))

    def test_a_floor_at_the_top_is_refused_on_the_parent_field(self):
        self.assertInvalid(self.post("/api/orgs/places", {"name": "4层", "kind": "floor", "parent_id": None}), "parent")

    def test_an_unknown_kind_is_refused(self):
        self.assertInvalid(self.post("/api/orgs/places", {"name": "X", "kind": "spaceship"}), "kind")

    def test_a_parent_of_another_school_is_not_found(self):
        response = self.post("/api/orgs/places", {"name": "4层", "kind": "floor", "parent_id": self.place_b.pk})
        self.assertStatus(response, 404)

    def test_a_parent_id_that_does_not_exist_is_not_found(self):
        self.assertStatus(self.post("/api/orgs/places", {"name": "4层", "kind": "floor", "parent_id": 999999}), 404)

    def test_a_parent_id_that_is_a_boolean_is_refused(self):
        self.assertInvalid(
            self.post("/api/orgs/places", {"name": "4层", "kind": "floor", "parent_id": True}), "parent_id"
        )

    def test_filter_by_parent(self):
        self.assertEqual(self.names(self.get("/api/orgs/places", parent_id=self.building.pk)), ["3层"])

    def test_filter_by_kind(self):
        self.assertEqual(self.names(self.get("/api/orgs/places", kind="building")), ["教学楼"])

    def test_q_finds_a_place_by_the_pinyin_of_its_path(self):
        self.assertEqual(self.names(self.get("/api/orgs/places", q="jxl 3")), ["3层"])


class PersonApiTests(OrgsApiTestCase):
    def test_the_phone_is_masked_in_the_list(self):
        items = self.get("/api/orgs/people").json()["items"]
        self.assertEqual({i["name"]: i["phone"] for i in items}, {"张三": "138****5678", "李四": ""})

    def test_the_phone_is_masked_on_the_detail_too(self):
        self.assertEqual(self.get(f"/api/orgs/people/{self.zhang.pk}").json()["phone"], "138****5678")

    def test_the_department_name_comes_along(self):
        item = self.get("/api/orgs/people", q="zs").json()["items"][0]
        self.assertEqual((item["department_id"], item["department_name"]), (self.department_a.pk, "总务处"))

    def test_create_with_department_and_phone(self):
        body = self.assertStatus(
            self.post("/api/orgs/people", {"name": "赵六", "department_id": self.teaching.pk, "phone": "13700001234"}),
            201,
        )
        self.assertEqual((body["department_id"], body["phone"]), (self.teaching.pk, "137****1234"))
        self.assertEqual(Person.objects.get(pk=body["id"]).phone, "13700001234")

    def test_a_department_of_another_school_is_not_found(self):
        response = self.post("/api/orgs/people", {"name": "赵六", "department_id": self.department_b.pk})
        self.assertStatus(response, 404)
        self.assertFalse(Person.objects.filter(name="赵六").exists())

    def test_a_phone_with_letters_is_refused(self):
        self.assertInvalid(self.post("/api/orgs/people", {"name": "赵六", "phone": "call me"}), "phone")

    def test_filter_by_department(self):
        self.assertEqual(self.names(self.get("/api/orgs/people", department_id=self.teaching.pk)), ["李四"])

    def test_q_finds_by_initials(self):
        self.assertEqual(self.names(self.get("/api/orgs/people", q="zs")), ["张三"])

    def test_a_guard_may_look_people_up(self):
        self.assertEqual(self.get("/api/orgs/people", user=self.guard).status_code, 200)

    def query_count(self, limit):
        for i in range(limit + 5):
            Person.objects.create(school=self.school_a, name=f"员工{i}", department=self.teaching, phone="13800000000")
        client = self.api(self.logistics)
        client.get("/api/orgs/people", {"limit": 1})  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/orgs/people", {"limit": limit})
        self.assertEqual(len(response.json()["items"]), limit)
        return len(queries)

    def test_the_list_needs_the_same_queries_for_10_and_100_rows(self):
        self.assertEqual(self.query_count(10), self.query_count(100))


class ClassApiTests(OrgsApiTestCase):
    def test_create_a_class_with_its_head_teacher(self):
        body = self.assertStatus(
            self.post("/api/orgs/classes", {"name": "五年级三班", "grade": 5, "head_teacher_id": self.zhang.pk}),
            201,
        )
        self.assertEqual(
            (body["grade"], body["head_teacher_id"], body["head_teacher_name"]), (5, self.zhang.pk, "张三")
        )

    def test_a_head_teacher_of_another_school_is_not_found(self):
        response = self.post(
            "/api/orgs/classes", {"name": "五年级三班", "grade": 5, "head_teacher_id": self.person_b.pk}
        )
        self.assertStatus(response, 404)

    def test_a_grade_out_of_range_is_refused(self):
        self.assertInvalid(self.post("/api/orgs/classes", {"name": "十三年级", "grade": 13}), "grade")

    def test_a_grade_given_as_a_boolean_is_refused(self):
        self.assertInvalid(self.post("/api/orgs/classes", {"name": "一年级二班", "grade": True}), "grade")

    def test_filter_by_grade(self):
        self.assertEqual(self.names(self.get("/api/orgs/classes", grade=1)), ["一年级一班"])

    def test_a_class_without_head_teacher_shows_none(self):
        item = self.get("/api/orgs/classes", grade=1).json()["items"][0]
        self.assertEqual((item["head_teacher_id"], item["head_teacher_name"]), (None, None))


class StudentApiTests(OrgsApiTestCase):
    def test_the_guardian_phone_is_masked(self):
        item = self.get("/api/orgs/students", class_id=self.class_52.pk).json()["items"][0]
        self.assertEqual(item["guardian_phone"], "139****4321")

    def test_each_student_carries_id_name_and_class_id(self):
        item = self.get("/api/orgs/students", class_id=self.class_52.pk).json()["items"][0]
        self.assertEqual((item["id"], item["name"], item["class_id"]), (self.xiaoming.pk, "王小明", self.class_52.pk))

    def test_filter_by_class(self):
        self.assertEqual(self.names(self.get("/api/orgs/students", class_id=self.class_11.pk)), ["李小红"])

    def test_another_schools_class_gives_an_empty_list(self):
        self.assertEqual(self.names(self.get("/api/orgs/students", class_id=self.class_b.pk)), [])

    def test_staff_without_the_permission_may_not_list_students(self):
        self.assertStatus(self.get("/api/orgs/students", user=self.teacher), 403)


class SemesterApiTests(OrgsApiTestCase):
    def test_schools_see_their_districts_semesters(self):
        body = self.get("/api/orgs/semesters", user=self.teacher).json()
        self.assertEqual(
            body["items"],
            [
                {
                    "id": self.semester.pk,
                    "district_id": self.district.pk,
                    "name": "2026-2027学年第一学期",
                    "starts_on": "2026-09-01",
                    "ends_on": "2027-01-20",
                }
            ],
        )


class TenantApiTests(OrgsApiTestCase):
    def test_the_contact_phone_is_masked(self):
        self.assertEqual(self.get("/api/orgs/tenants").json()["items"][0]["contact_phone"], "136****1111")

    def test_the_safety_officer_registers_a_tenant(self):
        body = self.assertStatus(
            self.post("/api/orgs/tenants", {"name": "兴趣班", "kind": "training"}, self.safety), 201
        )
        self.assertEqual(body["kind"], "training")

    def test_a_day_school_refuses_a_food_shop(self):
        refused = self.post("/api/orgs/tenants", {"name": "小卖部", "kind": "shop"}, self.safety)
        self.assertInvalid(refused, "kind")

    def test_a_taken_name_is_a_conflict(self):
        self.assertStatus(self.post("/api/orgs/tenants", {"name": "小天鹅幼儿园"}, self.safety), 409)
