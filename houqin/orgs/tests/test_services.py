import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from houqin.core.crud import OTHER_SCHOOL
from houqin.core.models import AuditEvent
from houqin.core.testing import HouqinTestCase
from houqin.orgs import services
from houqin.orgs.choices import PlaceKind, TenantKind
from houqin.orgs.models import Department, Person, Place, SchoolClass, Tenant


class OrgsTestCase(HouqinTestCase):
    def place(self, name, kind, parent=None, school=None, actor=None):
        return services.place_create(
            actor=actor or self.logistics, school=school or self.school_a, name=name, kind=kind, parent=parent
        )

    def building_with_room(self):
        building = self.place("教学楼", PlaceKind.BUILDING)
        floor = self.place("3层", PlaceKind.FLOOR, building)
        room = self.place("301", PlaceKind.ROOM, floor)
        return building, floor, room


class DepartmentTests(OrgsTestCase):
    def test_a_department_is_created_and_audited(self):
        department = services.department_create(actor=self.admin, school=self.school_a, name=" 教导处 ")
        self.assertEqual((department.name, department.school), ("教导处", self.school_a))
        event = self.assertAudited(department, "orgs.department.created", actor=self.admin)
        self.assertEqual(event.changes["name"], [None, "教导处"])
        self.assertEqual(event.school, self.school_a)

    def test_a_teacher_cannot_create_a_department(self):
        with self.assertRaises(PermissionDenied):
            services.department_create(actor=self.teacher, school=self.school_a, name="教导处")
        self.assertFalse(Department.objects.filter(name="教导处").exists())

    def test_a_name_already_used_in_the_school_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            services.department_create(actor=self.admin, school=self.school_a, name="总务处")
        self.assertEqual(caught.exception.messages, [str(Department._meta.constraints[0].violation_error_message)])

    def test_the_same_name_in_another_school_is_fine(self):
        self.assertEqual(
            services.department_create(actor=self.admin_b, school=self.school_b, name="教导处").name, "教导处"
        )

    def test_a_blank_name_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            services.department_create(actor=self.admin, school=self.school_a, name="   ")
        self.assertIn("name", caught.exception.message_dict)

    def test_an_update_is_audited_with_old_and_new(self):
        services.department_update(actor=self.admin, department=self.department_a, name="后勤处")
        event = self.assertAudited(self.department_a, "orgs.department.updated", actor=self.admin)
        self.assertEqual(event.changes, {"name": ["总务处", "后勤处"]})

    def test_an_update_changing_nothing_writes_no_event(self):
        services.department_update(actor=self.admin, department=self.department_a, name="总务处")
        self.assertFalse(AuditEvent.objects.filter(action="orgs.department.updated").exists())

    def test_renaming_to_a_taken_name_is_refused(self):
        other = services.department_create(actor=self.admin, school=self.school_a, name="教导处")
        with self.assertRaises(ValidationError):
            services.department_update(actor=self.admin, department=other, name="总务处")

    def test_a_teacher_cannot_rename_a_department(self):
        with self.assertRaises(PermissionDenied):
            services.department_update(actor=self.teacher, department=self.department_a, name="后勤处")


class PlaceTreeTests(OrgsTestCase):
    def test_the_full_name_is_the_path_from_the_top(self):
        _building, _floor, room = self.building_with_room()
        self.assertEqual(room.full_name, "教学楼 / 3层 / 301")

    def test_a_floor_must_be_inside_a_building(self):
        with self.assertRaises(ValidationError) as caught:
            self.place("3层", PlaceKind.FLOOR)
        self.assertIn("parent", caught.exception.message_dict)

    def test_a_floor_cannot_be_inside_a_room(self):
        _building, _floor, room = self.building_with_room()
        with self.assertRaises(ValidationError) as caught:
            self.place("夹层", PlaceKind.FLOOR, room)
        self.assertIn("parent", caught.exception.message_dict)

    def test_a_room_may_stand_at_the_top(self):
        self.assertEqual(self.place("门卫室", PlaceKind.ROOM).full_name, "门卫室")

    def test_a_building_may_be_inside_a_campus(self):
        campus = self.place("东校区", PlaceKind.CAMPUS)
        self.assertEqual(self.place("实验楼", PlaceKind.BUILDING, campus).full_name, "东校区 / 实验楼")

    def test_an_unknown_kind_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.place("太空", "spaceship")
        self.assertIn("kind", caught.exception.message_dict)

    def test_a_parent_of_another_school_is_refused_naming_the_field(self):
        foreign = self.place("外校楼", PlaceKind.BUILDING, school=self.school_b, actor=self.logistics_b)
        with self.assertRaises(ValidationError) as caught:
            self.place("3层", PlaceKind.FLOOR, foreign)
        self.assertEqual(
            caught.exception.message_dict, {"parent": [_(OTHER_SCHOOL) % {"field": Place._meta.verbose_name}]}
        )

    def test_two_places_with_the_same_name_under_one_parent_are_refused(self):
        building, _floor, _room = self.building_with_room()
        with self.assertRaises(ValidationError):
            self.place("3层", PlaceKind.FLOOR, building)

    def test_two_top_level_places_with_the_same_name_are_refused(self):
        self.place("教学楼", PlaceKind.BUILDING)
        with self.assertRaises(ValidationError):
            self.place("教学楼", PlaceKind.BUILDING)

    def test_creating_a_place_is_audited(self):
        building = self.place("教学楼", PlaceKind.BUILDING)
        self.assertAudited(building, "orgs.place.created", actor=self.logistics)

    def test_a_teacher_cannot_create_a_place(self):
        with self.assertRaises(PermissionDenied):
            self.place("教学楼", PlaceKind.BUILDING, actor=self.teacher)


class PlaceUpdateTests(OrgsTestCase):
    def test_renaming_a_building_renames_everything_inside(self):
        building, floor, room = self.building_with_room()
        services.place_update(actor=self.logistics, place=building, name="明德楼")
        floor.refresh_from_db()
        room.refresh_from_db()
        self.assertEqual((floor.full_name, room.full_name), ("明德楼 / 3层", "明德楼 / 3层 / 301"))

    def test_the_search_index_follows_the_new_full_name(self):
        building, _floor, room = self.building_with_room()
        services.place_update(actor=self.logistics, place=building, name="明德楼")
        room.refresh_from_db()
        self.assertIn("mdl", room.search_text)

    def test_moving_a_room_to_another_floor_changes_its_full_name(self):
        building, _floor, room = self.building_with_room()
        second = self.place("2层", PlaceKind.FLOOR, building)
        services.place_update(actor=self.logistics, place=room, parent=second)
        room.refresh_from_db()
        self.assertEqual(room.full_name, "教学楼 / 2层 / 301")

    def test_a_place_cannot_be_moved_inside_itself(self):
        building, _floor, _room = self.building_with_room()
        with self.assertRaises(ValidationError) as caught:
            services.place_update(actor=self.logistics, place=building, parent=building)
        self.assertIn("parent", caught.exception.message_dict)

    def test_a_place_cannot_be_moved_inside_its_own_descendant(self):
        campus = self.place("东校区", PlaceKind.CAMPUS)
        area = self.place("操场", PlaceKind.AREA, campus)
        with self.assertRaises(ValidationError) as caught:
            services.place_update(actor=self.logistics, place=campus, parent=area)
        self.assertIn("parent", caught.exception.message_dict)

    def test_a_floor_cannot_be_moved_to_the_top(self):
        _building, floor, _room = self.building_with_room()
        with self.assertRaises(ValidationError):
            services.place_update(actor=self.logistics, place=floor, parent=None)

    def test_a_building_with_floors_cannot_become_a_room(self):
        building, _floor, _room = self.building_with_room()
        with self.assertRaises(ValidationError) as caught:
            services.place_update(actor=self.logistics, place=building, kind=PlaceKind.ROOM)
        self.assertIn("kind", caught.exception.message_dict)

    def test_a_place_cannot_move_under_another_schools_place(self):
        _building, _floor, room = self.building_with_room()
        foreign = self.place("外校楼", PlaceKind.BUILDING, school=self.school_b, actor=self.logistics_b)
        with self.assertRaises(ValidationError) as caught:
            services.place_update(actor=self.logistics, place=room, parent=foreign)
        self.assertIn("parent", caught.exception.message_dict)

    def test_renaming_is_audited_with_old_and_new_full_names(self):
        building, _floor, _room = self.building_with_room()
        services.place_update(actor=self.logistics, place=building, name="明德楼")
        event = self.assertAudited(building, "orgs.place.updated", actor=self.logistics)
        self.assertEqual(event.changes["name"], ["教学楼", "明德楼"])
        self.assertEqual(event.changes["full_name"], ["教学楼", "明德楼"])

    def test_the_new_name_is_trimmed(self):
        building, _floor, _room = self.building_with_room()
        services.place_update(actor=self.logistics, place=building, name=" 明德楼 ")
        building.refresh_from_db()
        self.assertEqual((building.name, building.full_name), ("明德楼", "明德楼"))

    def test_a_rename_to_a_taken_top_level_name_is_refused(self):
        building, _floor, _room = self.building_with_room()
        self.place("实验楼", PlaceKind.BUILDING)
        with self.assertRaises(ValidationError):
            services.place_update(actor=self.logistics, place=building, name="实验楼")

    def test_a_teacher_cannot_change_a_place(self):
        building, _floor, _room = self.building_with_room()
        with self.assertRaises(PermissionDenied):
            services.place_update(actor=self.teacher, place=building, name="明德楼")


class PersonTests(OrgsTestCase):
    def test_a_person_is_created_in_a_department_and_audited(self):
        person = services.person_create(
            actor=self.admin, school=self.school_a, name="张三", department=self.department_a, phone="13812345678"
        )
        self.assertEqual((person.department, person.phone_masked), (self.department_a, "138****5678"))
        self.assertAudited(person, "orgs.person.created", actor=self.admin)

    def test_a_department_of_another_school_is_refused_naming_the_field(self):
        with self.assertRaises(ValidationError) as caught:
            services.person_create(actor=self.admin, school=self.school_a, name="张三", department=self.department_b)
        self.assertEqual(
            caught.exception.message_dict, {"department": [_(OTHER_SCHOOL) % {"field": Department._meta.verbose_name}]}
        )
        self.assertFalse(Person.objects.filter(name="张三").exists())

    def test_moving_a_person_to_another_schools_department_is_refused(self):
        person = services.person_create(actor=self.admin, school=self.school_a, name="张三")
        with self.assertRaises(ValidationError) as caught:
            services.person_update(actor=self.admin, person=person, department=self.department_b)
        self.assertIn("department", caught.exception.message_dict)

    def test_a_person_update_is_audited(self):
        person = services.person_create(actor=self.admin, school=self.school_a, name="张三")
        services.person_update(actor=self.admin, person=person, job_title="电工", left_on=dt.date(2026, 7, 1))
        event = self.assertAudited(person, "orgs.person.updated", actor=self.admin)
        self.assertEqual(event.changes, {"job_title": ["", "电工"], "left_on": [None, "2026-07-01"]})

    def test_a_guard_cannot_add_people(self):
        with self.assertRaises(PermissionDenied):
            services.person_create(actor=self.guard, school=self.school_a, name="张三")


class ClassAndStudentTests(OrgsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.feng = Person.objects.create(school=cls.school_a, name="冯老师")
        cls.foreign_teacher = Person.objects.create(school=cls.school_b, name="外校老师")
        cls.foreign_class = SchoolClass.objects.create(school=cls.school_b, name="一年级一班", grade=1)

    def create_class(self, **kwargs):
        values = {"school": self.school_a, "name": "五年级二班", "grade": 5, "number": 2, "head_teacher": self.feng}
        return services.class_create(actor=self.admin, **{**values, **kwargs})

    def test_a_class_is_created_with_its_head_teacher_and_audited(self):
        school_class = self.create_class()
        self.assertEqual((school_class.head_teacher, school_class.grade), (self.feng, 5))
        self.assertAudited(school_class, "orgs.schoolclass.created", actor=self.admin)

    def test_a_head_teacher_of_another_school_is_refused_naming_the_field(self):
        with self.assertRaises(ValidationError) as caught:
            self.create_class(head_teacher=self.foreign_teacher)
        self.assertEqual(
            caught.exception.message_dict, {"head_teacher": [_(OTHER_SCHOOL) % {"field": Person._meta.verbose_name}]}
        )

    def test_changing_to_a_head_teacher_of_another_school_is_refused(self):
        school_class = self.create_class()
        with self.assertRaises(ValidationError) as caught:
            services.class_update(actor=self.admin, school_class=school_class, head_teacher=self.foreign_teacher)
        self.assertIn("head_teacher", caught.exception.message_dict)

    def test_a_grade_outside_one_to_twelve_is_refused(self):
        with self.assertRaises(ValidationError):
            self.create_class(grade=13)

    def test_a_class_name_already_used_is_refused(self):
        self.create_class()
        with self.assertRaises(ValidationError):
            self.create_class(number=3)

    def test_a_logistics_head_cannot_create_classes_of_pupils_without_the_permission(self):
        with self.assertRaises(PermissionDenied):
            services.student_create(
                actor=self.logistics, school=self.school_a, name="王小明", school_class=self.create_class()
            )

    def test_a_student_is_enrolled_in_a_class_and_audited(self):
        student = services.student_create(
            actor=self.admin, school=self.school_a, name="王小明", school_class=self.create_class()
        )
        self.assertAudited(student, "orgs.student.created", actor=self.admin)

    def test_a_class_of_another_school_is_refused_for_a_student(self):
        with self.assertRaises(ValidationError) as caught:
            services.student_create(
                actor=self.admin, school=self.school_a, name="王小明", school_class=self.foreign_class
            )
        self.assertEqual(
            caught.exception.message_dict,
            {"school_class": [_(OTHER_SCHOOL) % {"field": SchoolClass._meta.verbose_name}]},
        )

    def test_moving_a_student_to_another_schools_class_is_refused(self):
        student = services.student_create(
            actor=self.admin, school=self.school_a, name="王小明", school_class=self.create_class()
        )
        with self.assertRaises(ValidationError):
            services.student_update(actor=self.admin, student=student, school_class=self.foreign_class)


class TenantTests(OrgsTestCase):
    def test_a_tenant_is_registered_and_audited(self):
        tenant = services.tenant_create(actor=self.safety, school=self.school_a, name="小天鹅幼儿园")
        self.assertAudited(tenant, "orgs.tenant.created", actor=self.safety)

    def test_premises_of_another_school_are_refused(self):
        foreign = self.place("外校楼", PlaceKind.BUILDING, school=self.school_b, actor=self.logistics_b)
        with self.assertRaises(ValidationError) as caught:
            services.tenant_create(actor=self.safety, school=self.school_a, name="小卖部", place=foreign)
        self.assertIn("place", caught.exception.message_dict)

    def test_a_teacher_cannot_register_a_tenant(self):
        with self.assertRaises(PermissionDenied):
            services.tenant_create(actor=self.teacher, school=self.school_a, name="小卖部")

    def test_a_day_school_lets_no_space_to_a_food_shop(self):
        with self.assertRaises(ValidationError) as caught:
            services.tenant_create(
                actor=self.safety, school=self.school_a, name="小卖部", kind=TenantKind.SHOP, food_licence_no="JY1"
            )
        self.assertIn("kind", caught.exception.message_dict)
        self.assertFalse(Tenant.objects.filter(name="小卖部").exists())
        tenant = services.tenant_create(actor=self.safety, school=self.school_a, name="文具店", kind=TenantKind.OTHER)
        with self.assertRaises(ValidationError):
            services.tenant_update(actor=self.safety, tenant=tenant, kind=TenantKind.SHOP)

    def test_a_boarding_schools_food_shop_needs_its_licence_and_the_healthy_food_commitment(self):
        self.school_a.is_boarding = True
        self.school_a.save(update_fields=["is_boarding"])
        with self.assertRaises(ValidationError) as caught:
            services.tenant_create(actor=self.safety, school=self.school_a, name="超市", kind=TenantKind.SHOP)
        self.assertIn("food_licence_no", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            services.tenant_create(
                actor=self.safety, school=self.school_a, name="超市", kind=TenantKind.SHOP, food_licence_no="JY1"
            )
        self.assertIn("healthy_food_commitment", caught.exception.message_dict)
        shop = services.tenant_create(
            actor=self.safety,
            school=self.school_a,
            name="超市",
            kind=TenantKind.SHOP,
            food_licence_no="JY13301000000001",
            healthy_food_commitment=True,
        )
        with self.assertRaises(ValidationError):
            services.tenant_update(actor=self.safety, tenant=shop, healthy_food_commitment=False)


class DistrictLevelTests(OrgsTestCase):
    def semester(self, actor=None, district=None, ends_on=dt.date(2027, 1, 20)):
        return services.semester_create(
            actor=actor or self.bureau_admin,
            district=district or self.district,
            name="2026-2027学年第一学期",
            starts_on=dt.date(2026, 9, 1),
            ends_on=ends_on,
        )

    def test_a_bureau_admin_sets_a_semester_for_the_district(self):
        self.assertAudited(self.semester(), "orgs.semester.created", actor=self.bureau_admin)

    def test_a_semester_must_end_after_it_starts(self):
        with self.assertRaises(ValidationError):
            self.semester(ends_on=dt.date(2026, 8, 1))

    def test_a_bureau_admin_cannot_set_a_semester_for_another_district(self):
        with self.assertRaises(PermissionDenied):
            self.semester(district=self.other_district)

    def test_a_principal_cannot_set_a_semester(self):
        with self.assertRaises(PermissionDenied):
            self.semester(actor=self.principal)

    def test_a_bureau_admin_registers_a_school_of_the_district(self):
        school = services.school_create(actor=self.bureau_admin, district=self.district, name="第三小学")
        self.assertAudited(school, "orgs.school.created", actor=self.bureau_admin)

    def test_a_bureau_admin_cannot_register_a_school_in_another_district(self):
        with self.assertRaises(PermissionDenied):
            services.school_create(actor=self.bureau_admin, district=self.other_district, name="第三小学")
