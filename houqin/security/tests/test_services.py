import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from houqin.assets.tests.factories import make_asset
from houqin.core.testing import HouqinTestCase
from houqin.orgs.models import SchoolClass, Student
from houqin.safety.choices import HazardSource
from houqin.safety.models import Hazard
from houqin.security import selectors, services
from houqin.security.choices import CameraStatus, CheckResult, PatrolStatus, RequestStatus, VettingResult
from houqin.security.models import GuardShift, PatrolCheck
from houqin.security.tests.factories import make_guard, make_person, make_route, walk

T = dt.time


class GuardFormulaTests(HouqinTestCase):
    def test_the_default_formula(self):
        expected = {0: 1, 99: 1, 100: 2, 999: 2, 1000: 3, 1499: 3, 1500: 4, 2000: 5}
        for students, guards in expected.items():
            with self.subTest(students=students):
                self.assertEqual(selectors.required_guards(students, school=self.school_a), guards)

    def test_staffing_counts_enrolled_students_only(self):
        klass = SchoolClass.objects.create(school=self.school_a, name="一(1)班", grade=1)
        Student.objects.bulk_create(
            Student(school=self.school_a, school_class=klass, name=f"学生{n}", is_active=n < 100) for n in range(105)
        )
        self.assertEqual(selectors.staffing(self.school_a).students, 100)
        self.assertEqual(selectors.staffing(self.school_a).required, 2)


class RosterTests(HouqinTestCase):
    def setUp(self):
        self.day = timezone.localdate()
        self.guard_person = make_guard(self.safety)

    def shift(self, starts, ends, day=None, person=None):
        return services.shift_add(
            actor=self.safety,
            school=self.school_a,
            person=person or self.guard_person,
            day=day or self.day,
            starts=starts,
            ends=ends,
        )

    def test_gaps_in_the_24_hours(self):
        self.shift(T(6), T(14))
        self.shift(T(15), T(22))
        gaps = [(a.time(), b.time()) for a, b in selectors.coverage_gaps(self.school_a, self.day)]
        self.assertEqual(gaps, [(T(0), T(6)), (T(14), T(15)), (T(22), T(0))])

    def test_a_night_shift_from_the_day_before_covers_the_morning(self):
        self.shift(T(22), T(8), day=self.day - dt.timedelta(days=1))
        self.shift(T(8), T(22))
        self.shift(T(22), T(8))
        self.assertEqual(selectors.coverage_gaps(self.school_a, self.day), [])
        self.assertEqual(selectors.staffing(self.school_a, self.day).rostered, 1)

    def test_a_guard_without_this_years_check_cannot_be_rostered(self):
        unvetted = make_person(self.school_a, "钱保安")
        with self.assertRaises(ValidationError) as caught:
            self.shift(T(8), T(16), person=unvetted)
        self.assertIn("person", caught.exception.message_dict)
        last_year = make_guard(self.safety, "孙保安", vetted_on=self.day.replace(year=self.day.year - 1))
        with self.assertRaises(ValidationError):
            self.shift(T(8), T(16), person=last_year)
        services.vetting_record(
            actor=self.safety,
            school=self.school_a,
            person=unvetted,
            checked_on=self.day,
            result=VettingResult.RECORD,
        )
        with self.assertRaises(ValidationError):
            self.shift(T(8), T(16), person=unvetted)
        self.assertFalse(GuardShift.objects.exclude(person=self.guard_person).exists())

    def test_expired_vetting_is_listed(self):
        self.shift(T(8), T(16))
        self.assertEqual(list(selectors.vetting_expired(self.school_a)), [])
        self.assertEqual(
            list(selectors.vetting_expired(self.school_a, on=self.day.replace(year=self.day.year + 1)).values("pk")),
            [],
        )

    def test_a_guard_cannot_roster(self):
        with self.assertRaises(PermissionDenied):
            services.shift_add(
                actor=self.guard, school=self.school_a, person=self.guard_person, day=self.day, starts=T(8), ends=T(9)
            )


class PatrolTests(HouqinTestCase):
    def setUp(self):
        self.route = make_route(self.safety)

    def test_a_finding_raises_a_patrol_hazard(self):
        log = services.patrol_start(actor=self.guard, route=self.route)
        first, second = self.route.checkpoints.all()
        services.patrol_tick(actor=self.guard, log=log, checkpoint=first)
        with self.assertRaises(ValidationError):
            services.patrol_tick(actor=self.guard, log=log, checkpoint=second, result=CheckResult.FINDING)
        with self.assertRaises(ValidationError):
            services.patrol_finish(actor=self.guard, log=log)
        check = services.patrol_tick(
            actor=self.guard, log=log, checkpoint=second, result=CheckResult.FINDING, note="围墙外侧护栏松动"
        )
        hazard = Hazard.objects.get()
        self.assertEqual(check.hazard, hazard)
        self.assertEqual(hazard.source, HazardSource.PATROL)
        self.assertEqual(hazard.title, "围墙外侧护栏松动")
        finished = services.patrol_finish(actor=self.guard, log=log)
        self.assertEqual(finished.status, PatrolStatus.FINISHED)
        self.assertAudited(finished, "security.patrollog.updated", actor=self.guard)
        with self.assertRaises(ValidationError):
            services.patrol_tick(actor=self.guard, log=log, checkpoint=first)

    def test_a_checkpoint_of_another_route_is_refused(self):
        other = make_route(self.safety, "宿舍夜巡", is_key_area=False, is_dorm_night=True)
        log = services.patrol_start(actor=self.guard, route=self.route)
        with self.assertRaises(ValidationError):
            services.patrol_tick(actor=self.guard, log=log, checkpoint=other.checkpoints.first())
        self.assertFalse(PatrolCheck.objects.exists())

    def test_key_area_patrols_per_day_against_the_rule(self):
        today = timezone.localdate()
        for _n in range(4):
            walk(self.guard, self.route)
        days = selectors.patrol_days(self.school_a, today - dt.timedelta(days=1), today)
        self.assertEqual([(d.day, d.key_area, d.required, d.short) for d in days][0], (today, 4, 5, True))
        self.assertTrue(days[1].short)
        walk(self.guard, self.route)
        self.assertFalse(selectors.patrol_days(self.school_a, today, today)[0].short)

    def test_dorm_night_patrols_for_a_boarding_school(self):
        self.school_a.is_boarding = True
        self.school_a.save()
        dorm = make_route(self.safety, "宿舍夜巡", is_key_area=False, is_dorm_night=True)
        night = timezone.localdate() - dt.timedelta(days=2)
        for hour in (23, 27):  # 23:00 and 03:00 the next morning
            walk(self.guard, dorm, timezone.make_aware(dt.datetime.combine(night, T(0))) + dt.timedelta(hours=hour))
        days = {d.day: d for d in selectors.patrol_days(self.school_a, night - dt.timedelta(days=1), night)}
        self.assertEqual(days[night].dorm_night, 2)
        self.assertEqual(days[night - dt.timedelta(days=1)].dorm_night, 0)


class CameraTests(HouqinTestCase):
    def camera(self, **fields):
        fields.setdefault("retention_days", 90)
        return services.camera_create(
            actor=self.safety, school=self.school_a, name="校门口1号", covers="校门及门前道路", **fields
        )

    def test_retention_below_30_days_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.camera(retention_days=29)
        self.assertIn("retention_days", caught.exception.message_dict)
        camera = self.camera(retention_days=90)
        with self.assertRaises(ValidationError):
            services.camera_update(actor=self.safety, camera=camera, retention_days=15)

    def test_a_fault_raises_a_hazard(self):
        camera = self.camera()
        services.camera_report_fault(actor=self.safety, camera=camera, note="画面黑屏")
        camera.refresh_from_db()
        self.assertEqual(camera.status, CameraStatus.FAULT)
        self.assertIn("画面黑屏", camera.hazard.title)
        self.assertEqual(selectors.cameras_in_fault(self.school_a), 1)

    def test_footage_request_is_approved_by_someone_else(self):
        camera = self.camera()
        request = services.footage_request(
            actor=self.principal,
            camera=camera,
            purpose="学生物品丢失查看",
            period_from=timezone.now() - dt.timedelta(hours=3),
            period_to=timezone.now() - dt.timedelta(hours=2),
        )
        with self.assertRaises(ValidationError):
            services.footage_decide(actor=self.principal, request=request, approve=True)
        with self.assertRaises(PermissionDenied):
            services.footage_decide(actor=self.guard, request=request, approve=True)
        decided = services.footage_decide(actor=self.logistics, request=request, approve=True)
        self.assertEqual((decided.status, decided.decided_by), (RequestStatus.APPROVED, self.logistics))
        self.assertAudited(decided, "security.footagerequest.updated", actor=self.logistics)


class FireTests(HouqinTestCase):
    def test_a_quarter_counts_once_the_head_countersigns(self):
        inspector = make_person(self.school_a, "孙安全")
        head = make_person(self.school_a, "李后勤", user=self.logistics)
        day = dt.date(2026, 2, 10)
        inspection = services.fire_inspection_record(
            actor=self.safety, school=self.school_a, inspected_on=day, inspector=inspector, department_head=head
        )
        until = dt.date(2026, 5, 1)
        self.assertEqual(selectors.fire_missing_quarters(self.school_a, 2026, until), [1, 2])
        with self.assertRaises(PermissionDenied):
            services.fire_inspection_countersign(actor=self.safety, inspection=inspection)
        services.fire_inspection_countersign(actor=self.logistics, inspection=inspection)
        self.assertEqual(selectors.fire_missing_quarters(self.school_a, 2026, until), [2])
        with self.assertRaises(ValidationError):
            services.fire_inspection_record(
                actor=self.safety, school=self.school_a, inspected_on=day, inspector=head, department_head=head
            )

    def test_missing_fire_patrol_days(self):
        monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday() + 7)
        services.fire_patrol_record(actor=self.guard, school=self.school_a, day=monday)
        missing = selectors.fire_missing_days(self.school_a, monday, monday + dt.timedelta(days=6))
        self.assertEqual(missing, [monday + dt.timedelta(days=n) for n in (1, 2, 3, 4)])

    def test_the_annual_test_report(self):
        report = SimpleUploadedFile("report.pdf", b"%PDF-1.4")
        test = services.fire_test_upload(
            actor=self.safety,
            school=self.school_a,
            year=2026,
            tested_on=dt.date(2026, 3, 1),
            company="安达消防检测公司",
            report=report,
        )
        self.assertTrue(test.report.name.endswith(".pdf"))
        test.report.delete(save=False)


class EquipmentTests(HouqinTestCase):
    def test_a_failed_check_raises_a_hazard_and_checks_fall_due(self):
        fork = make_asset(self.assetkeeper, "钢叉", "120.00")
        equipment = services.equipment_add(actor=self.safety, school=self.school_a, asset=fork, kind="fork")
        self.assertEqual(selectors.equipment_due(self.school_a), [equipment])
        check = services.equipment_check(actor=self.guard, equipment=equipment, ok=False, note="锁扣损坏")
        self.assertIsNotNone(check.hazard)
        self.assertEqual(selectors.equipment_due(self.school_a), [])

    def test_another_schools_asset_is_refused(self):
        other = make_asset(self.assetkeeper_b, "警棍", "80.00")
        with self.assertRaises(ValidationError):
            services.equipment_add(actor=self.safety, school=self.school_a, asset=other, kind="baton")
