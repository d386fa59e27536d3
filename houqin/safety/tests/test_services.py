import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.testing import HouqinTestCase
from houqin.orgs.choices import PlaceKind, PlaceUse
from houqin.orgs.models import Semester
from houqin.safety import selectors, services
from houqin.safety.choices import Frequency, HazardActionKind, HazardLevel, HazardSource, HazardStatus
from houqin.safety.models import ChecklistTemplate, Hazard, HazardAction, Inspection
from houqin.safety.tests.factories import (
    all_ok,
    days_ago,
    make_hazard,
    make_person,
    make_place,
    make_template,
    noon,
    past_weekday,
)


class HazardTestCase(HouqinTestCase):
    def setUp(self):
        self.worker = make_person(self.school_a, "张师傅", user=self.teacher)

    def assigned(self, **fields):
        return make_hazard(self.safety, responsible=self.worker, deadline=days_ago(-7), **fields)

    def rectified(self, by=None, **fields):
        hazard = self.assigned(**fields)
        return services.hazard_rectify(
            actor=by or self.teacher, hazard=hazard, measures="已加固", rectified_on=timezone.localdate()
        )


class ReportTests(HazardTestCase):
    def test_anyone_reports_a_hazard_which_opens_with_a_number_and_a_ledger_row(self):
        hazard = make_hazard(self.teacher)
        self.assertEqual(hazard.status, HazardStatus.OPEN)
        self.assertRegex(hazard.number, r"^YH-\d{4}-00001$")
        self.assertEqual(hazard.found_by, self.teacher.display_name)
        self.assertEqual(list(hazard.actions.values_list("kind", flat=True)), [HazardActionKind.REPORTED])
        self.assertAudited(hazard, "safety.hazard.reported", actor=self.teacher)

    def test_a_teacher_cannot_assign_the_responsible_person(self):
        with self.assertRaises(PermissionDenied):
            make_hazard(self.teacher, responsible=self.worker)

    def test_a_finding_date_in_the_future_is_refused(self):
        with self.assertRaisesMessage(ValidationError, _(services.FOUND_IN_FUTURE)):
            make_hazard(self.safety, found_on=days_ago(-1))

    def test_a_deadline_before_the_finding_date_is_refused_and_nothing_is_saved(self):
        with self.assertRaisesMessage(
            ValidationError, _("The deadline cannot be before the day the hazard was found.")
        ):
            make_hazard(self.safety, found_on=days_ago(3), deadline=days_ago(5))
        self.assertFalse(Hazard.objects.exists())
        self.assertFalse(HazardAction.objects.exists())

    def test_a_place_of_another_school_is_refused(self):
        with self.assertRaises(ValidationError):
            make_hazard(self.safety, place=make_place(self.school_b))

    def test_a_campaign_hazard_takes_the_campaign_as_its_source(self):
        campaign = services.campaign_create(
            actor=self.safety, school=self.school_a, name="第一次拉网式排查", starts_on=days_ago(10)
        )
        self.assertEqual(make_hazard(self.teacher, campaign=campaign).source, HazardSource.CAMPAIGN)

    def test_the_ledger_is_append_only(self):
        action = make_hazard(self.teacher).actions.get()
        action.note = "改写"
        with self.assertRaises(ValidationError):
            action.save()
        with self.assertRaises(ValidationError):
            HazardAction.objects.filter(pk=action.pk).update(note="改写")


class RectifyTests(HazardTestCase):
    def test_the_responsible_person_rectifies(self):
        hazard = self.rectified()
        self.assertEqual(hazard.status, HazardStatus.RECTIFIED)
        self.assertEqual(hazard.rectified_by, self.teacher)
        self.assertEqual(hazard.actions.last().kind, HazardActionKind.RECTIFIED)

    def test_someone_else_without_the_permission_cannot_rectify(self):
        hazard = self.assigned()
        with self.assertRaisesMessage(PermissionDenied, _(services.ONLY_RESPONSIBLE_RECTIFIES)):
            services.hazard_rectify(
                actor=self.headteacher, hazard=hazard, measures="x", rectified_on=timezone.localdate()
            )

    def test_measures_are_required(self):
        with self.assertRaisesMessage(ValidationError, _(services.MEASURES_REQUIRED)):
            services.hazard_rectify(actor=self.teacher, hazard=self.assigned(), measures=" ", rectified_on=days_ago(0))

    def test_a_rectification_date_in_the_future_is_refused(self):
        with self.assertRaisesMessage(ValidationError, _(services.RECTIFIED_IN_FUTURE)):
            services.hazard_rectify(actor=self.teacher, hazard=self.assigned(), measures="x", rectified_on=days_ago(-1))

    def test_cost_is_kept_with_the_rectification(self):
        hazard = services.hazard_rectify(
            actor=self.teacher, hazard=self.assigned(), measures="更换", rectified_on=days_ago(0), cost=Decimal("350")
        )
        self.assertEqual(hazard.cost, Decimal("350.00"))

    def test_a_rectified_hazard_cannot_be_rectified_again(self):
        with self.assertRaises(ValidationError):
            services.hazard_rectify(actor=self.teacher, hazard=self.rectified(), measures="x", rectified_on=days_ago(0))


class VerifyTests(HazardTestCase):
    def test_someone_else_verifies_and_closes(self):
        hazard = services.hazard_verify(actor=self.safety, hazard=self.rectified(), passed=True, note="复查合格")
        self.assertEqual(hazard.status, HazardStatus.CLOSED)
        self.assertEqual(hazard.verified_by, self.safety)
        self.assertIsNotNone(hazard.verified_at)
        self.assertAudited(hazard, "safety.hazard.verified", actor=self.safety)

    def test_the_rectifier_cannot_verify_their_own_work(self):
        hazard = self.rectified(by=self.safety)
        with self.assertRaisesMessage(ValidationError, _(services.VERIFIER_IS_RECTIFIER)):
            services.hazard_verify(actor=self.safety, hazard=hazard, passed=True)
        hazard.refresh_from_db()
        self.assertEqual(hazard.status, HazardStatus.RECTIFIED)

    def test_verification_needs_the_permission(self):
        with self.assertRaises(PermissionDenied):
            services.hazard_verify(actor=self.headteacher, hazard=self.rectified(), passed=True)

    def test_an_open_hazard_cannot_be_closed_without_rectification(self):
        with self.assertRaises(ValidationError):
            services.hazard_verify(actor=self.safety, hazard=self.assigned(), passed=True)

    def test_a_failed_verification_reopens_the_hazard(self):
        hazard = services.hazard_verify(actor=self.safety, hazard=self.rectified(), passed=False, note="仍有松动")
        self.assertEqual(hazard.status, HazardStatus.OPEN)
        self.assertIsNone(hazard.rectified_on)
        self.assertEqual(hazard.actions.last().kind, HazardActionKind.REJECTED)

    def test_a_failed_verification_says_why(self):
        with self.assertRaisesMessage(ValidationError, _(services.FAILURE_NOTE_REQUIRED)):
            services.hazard_verify(actor=self.safety, hazard=self.rectified(), passed=False, note="")

    def test_a_major_hazard_needs_supervision_and_a_bureau_report_before_closing(self):
        hazard = self.rectified(level=HazardLevel.MAJOR)
        with self.assertRaisesMessage(ValidationError, _(services.MAJOR_NEEDS_SUPERVISION)):
            services.hazard_verify(actor=self.safety, hazard=hazard, passed=True)
        services.hazard_supervise(actor=self.safety, hazard=hazard, plan="挂牌督办：停用东侧围墙，设警戒")
        services.hazard_report_to_bureau(actor=self.safety, hazard=hazard, reported_on=days_ago(0), reference="安报1号")
        hazard = services.hazard_verify(actor=self.safety, hazard=hazard, passed=True)
        self.assertEqual(hazard.status, HazardStatus.CLOSED)
        kinds = list(hazard.actions.values_list("kind", flat=True))
        self.assertIn(HazardActionKind.SUPERVISED, kinds)
        self.assertIn(HazardActionKind.BUREAU_REPORTED, kinds)

    def test_a_closed_hazard_cannot_be_edited(self):
        hazard = services.hazard_verify(actor=self.safety, hazard=self.rectified(), passed=True)
        with self.assertRaisesMessage(ValidationError, _(services.CLOSED_HAZARD)):
            services.hazard_update(actor=self.safety, hazard=hazard, title="改")

    def test_assigning_is_a_step_in_the_ledger(self):
        hazard = make_hazard(self.teacher)
        services.hazard_update(actor=self.safety, hazard=hazard, responsible=self.worker, deadline=days_ago(-3))
        self.assertEqual(hazard.actions.last().kind, HazardActionKind.ASSIGNED)


class StatsTests(HazardTestCase):
    def make(self, count, *, closed=0, rectified=0, found_on=None, deadline=None):
        for n in range(count):
            hazard = make_hazard(
                self.safety,
                title=f"隐患{n}",
                found_on=found_on or days_ago(20),
                responsible=self.worker,
                deadline=deadline,
            )
            if n < closed + rectified:
                services.hazard_rectify(actor=self.teacher, hazard=hazard, measures="整改", rectified_on=days_ago(1))
            if n < closed:
                services.hazard_verify(actor=self.safety, hazard=hazard, passed=True)

    def test_the_seeds_sixteen_found_eleven_closed_give_68_8(self):
        self.make(16, closed=11, rectified=2, deadline=days_ago(2))
        self.make(3, closed=3, found_on=days_ago(200))  # before the window
        stats = selectors.hazard_stats(user=self.principal, start=days_ago(60), end=days_ago(0))
        self.assertEqual((stats.found, stats.rectified, stats.closed, stats.overdue), (16, 13, 11, 3))
        self.assertEqual(stats.rectification_rate, 68.8)

    def test_the_rate_is_empty_when_nothing_was_found(self):
        self.assertIsNone(selectors.hazard_stats(user=self.principal, start=None, end=None).rectification_rate)

    def test_a_school_sees_only_its_own_hazards_and_the_bureau_the_district(self):
        self.make(2, closed=1)
        make_hazard(self.safety_b)
        self.assertEqual(selectors.hazard_stats(user=self.safety_b, start=None, end=None).found, 1)
        self.assertEqual(selectors.hazard_stats(user=self.bureau, start=None, end=None).found, 3)

    def test_breakdown_and_trend_count_by_category_and_month(self):
        self.make(3, closed=1)
        hazards = selectors.hazards_found_between(user=self.safety, start=None, end=None)
        self.assertEqual(selectors.hazard_breakdown(hazards, "category")[0]["found"], 3)
        self.assertEqual(sum(row["found"] for row in selectors.hazard_trend(hazards)), 3)


class ChecklistTests(HouqinTestCase):
    def setUp(self):
        self.gate = make_place(self.school_a)
        building = make_place(self.school_a, "教学楼", PlaceKind.BUILDING, "")
        floor = make_place(self.school_a, "1层", PlaceKind.FLOOR, "", parent=building)
        self.classroom = make_place(self.school_a, "101", PlaceKind.ROOM, PlaceUse.CLASSROOM, parent=floor)
        self.floor = floor

    def test_default_templates_install_once_with_their_places(self):
        installed = services.templates_install_defaults(actor=self.safety, school=self.school_a)
        self.assertEqual(len(installed), 7)
        classroom = ChecklistTemplate.objects.get(school=self.school_a, name="教室安全日查")
        self.assertEqual(list(classroom.places.all()), [self.floor])
        gate = ChecklistTemplate.objects.get(school=self.school_a, name="围墙与校门日查")
        self.assertEqual(list(gate.places.all()), [self.gate])
        self.assertEqual(services.templates_install_defaults(actor=self.safety, school=self.school_a), [])

    def test_editing_a_template_retires_removed_items(self):
        template = make_template(self.safety, items=["甲", "乙"])
        services.template_update(actor=self.safety, template=template, items=["乙", "丙"], places=[], name="消防")
        active = list(template.items.filter(is_active=True).values_list("text", flat=True))
        self.assertEqual(active, ["乙", "丙"])
        self.assertTrue(template.items.filter(text="甲", is_active=False).exists())

    def test_a_template_needs_items(self):
        with self.assertRaisesMessage(ValidationError, _(services.ITEMS_REQUIRED)):
            make_template(self.safety, items=[" "])


class DueTests(HouqinTestCase):
    def setUp(self):
        self.gate = make_place(self.school_a)
        self.daily = make_template(self.safety, places=[self.gate], name="校门日查", frequency=Frequency.DAILY)
        self.weekly = make_template(self.safety, name="办公室周查", frequency=Frequency.WEEKLY)
        self.wednesday = past_weekday(2)

    def inspect(self, template, day, place=None):
        return services.inspection_record(
            actor=self.safety, template=template, place=place, results=all_ok(template), performed_at=noon(day)
        )

    def test_on_a_weekday_the_daily_and_weekly_checks_are_due_and_flagged_when_done(self):
        checks = selectors.checks_due(user=self.safety, on=self.wednesday)
        self.assertEqual(
            [(c.template, c.place, c.done) for c in checks],
            [(self.weekly, None, False), (self.daily, self.gate, False)],
        )
        self.inspect(self.daily, self.wednesday, self.gate)
        self.inspect(self.weekly, self.wednesday - dt.timedelta(days=2))  # Monday counts for the week
        self.assertTrue(all(c.done for c in selectors.checks_due(user=self.safety, on=self.wednesday)))

    def test_no_daily_check_on_a_saturday(self):
        saturday = self.wednesday + dt.timedelta(days=3)
        self.assertEqual([c.template for c in selectors.checks_due(user=self.safety, on=saturday)], [self.weekly])

    def test_nothing_is_due_outside_term(self):
        Semester.objects.create(
            district=self.district,
            name="学期",
            starts_on=self.wednesday + dt.timedelta(days=1),
            ends_on=self.wednesday + dt.timedelta(days=90),
        )
        self.assertEqual(selectors.checks_due(user=self.safety, on=self.wednesday), [])

    def test_a_daily_check_not_done_yesterday_is_missed(self):
        thursday = self.wednesday + dt.timedelta(days=1)
        missed = selectors.missed_checks(user=self.safety, on=thursday, days=1)
        self.assertEqual([(c.template, c.period_start) for c in missed], [(self.daily, self.wednesday)])
        self.inspect(self.daily, self.wednesday, self.gate)
        self.assertEqual(selectors.missed_checks(user=self.safety, on=thursday, days=1), [])

    def test_other_schools_checks_are_not_due_here(self):
        make_template(self.safety_b, name="乙校日查", frequency=Frequency.DAILY)
        self.assertEqual(len(selectors.checks_due(user=self.safety, on=self.wednesday)), 2)


class InspectionTests(HouqinTestCase):
    def setUp(self):
        self.gate = make_place(self.school_a)
        self.template = make_template(self.safety, places=[self.gate], items=["门卫在岗", "监控正常"])

    def record(self, results=None, place="gate", **kwargs):
        return services.inspection_record(
            actor=self.safety,
            template=self.template,
            place=self.gate if place == "gate" else place,
            results=results if results is not None else all_ok(self.template),
            **kwargs,
        )

    def test_a_failed_item_raises_a_prefilled_hazard(self):
        results = [
            r._replace(raise_hazard=True)
            for r in all_ok(self.template, failed=["监控正常"], notes={"监控正常": "2号摄像头黑屏"})
        ]
        inspection = self.record(results)
        self.assertEqual(inspection.failed_count, 1)
        hazard = Hazard.objects.get()
        self.assertEqual(hazard.title, "监控正常：2号摄像头黑屏")
        self.assertEqual(
            (hazard.source, hazard.place, hazard.found_on),
            (HazardSource.INSPECTION, self.gate, inspection.performed_on),
        )
        self.assertEqual(hazard.raised_from.inspection, inspection)

    def test_raising_twice_or_from_an_ok_item_is_refused(self):
        inspection = self.record(all_ok(self.template, failed=["监控正常"]))
        failed = inspection.results.get(ok=False)
        services.inspection_raise_hazard(actor=self.safety, result=failed)
        with self.assertRaisesMessage(ValidationError, _(services.ALREADY_RAISED)):
            services.inspection_raise_hazard(actor=self.safety, result=failed)
        with self.assertRaisesMessage(ValidationError, _(services.ITEM_NOT_FAILED)):
            services.inspection_raise_hazard(actor=self.safety, result=inspection.results.get(ok=True))

    def test_every_item_must_be_ticked_and_nothing_is_half_saved(self):
        with self.assertRaises(ValidationError):
            self.record(all_ok(self.template)[:1])
        self.assertFalse(Inspection.objects.exists())

    def test_an_item_of_another_checklist_is_refused(self):
        other = make_template(self.safety, name="其他", items=["别的"])
        with self.assertRaises(ValidationError):
            self.record(all_ok(self.template) + all_ok(other))

    def test_a_place_the_checklist_does_not_cover_is_refused(self):
        playground = make_place(self.school_a, "操场", use=PlaceUse.SPORTS)
        message = _(services.PLACE_NOT_COVERED) % {"template": self.template, "place": playground}
        with self.assertRaisesMessage(ValidationError, message):
            self.record(place=playground)

    def test_a_place_outside_the_school_is_refused(self):
        with self.assertRaises(ValidationError):
            self.record(place=make_place(self.school_b))
        self.assertFalse(Inspection.objects.exists())

    def test_an_inspection_in_the_future_is_refused(self):
        with self.assertRaisesMessage(ValidationError, _(services.INSPECTED_IN_FUTURE)):
            self.record(performed_at=timezone.now() + dt.timedelta(hours=2))

    def test_recording_needs_the_permission(self):
        with self.assertRaises(PermissionDenied):
            services.inspection_record(
                actor=self.teacher, template=self.template, place=self.gate, results=all_ok(self.template)
            )


class NewChecklistTests(HouqinTestCase):
    def test_a_new_checklist_asks_nothing_for_the_days_before_it_started(self):
        make_template(self.safety, name="新表", frequency=Frequency.DAILY, starts_on=timezone.localdate())
        self.assertEqual(selectors.missed_checks(user=self.safety, on=timezone.localdate()), [])
