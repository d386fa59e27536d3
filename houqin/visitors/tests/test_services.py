import datetime as dt
from io import StringIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.models import AuditEvent, PolicyValue
from houqin.core.testing import HouqinTestCase
from houqin.visitors import selectors, services
from houqin.visitors.models import StaffOuting, Visit
from houqin.visitors.tests.factories import make_host, register


class VisitTests(HouqinTestCase):
    def setUp(self):
        self.host = make_host(self.school_a)

    def test_the_guard_registers_a_confirmed_visitor_who_is_then_on_campus(self):
        visit = register(self.guard, self.host, id_type="resident_id", id_tail="1234", vehicle_plate="鄂E12345")
        self.assertEqual(list(selectors.on_campus(user=self.guard)), [visit])
        self.assertEqual(visit.phone_masked, "138****5678")
        event = self.assertAudited(visit, "visitors.visit.entered", actor=self.guard)
        self.assertNotIn("王建国", event.target_repr)
        self.assertEqual(event.changes["phone"][1], "138****5678")

    def test_entry_is_refused_without_the_hosts_confirmation(self):
        with self.assertRaisesMessage(ValidationError, _(services.HOST_NOT_CONFIRMED)):
            register(self.guard, self.host, host_confirmed_by=" ")
        self.assertFalse(Visit.objects.exists())

    def test_a_full_id_number_is_refused(self):
        with self.assertRaises(ValidationError):
            register(self.guard, self.host, id_tail="420500198001011234")

    def test_a_host_of_another_school_is_refused(self):
        with self.assertRaises(ValidationError):
            register(self.guard, make_host(self.school_b))

    def test_a_teacher_cannot_register_visitors(self):
        with self.assertRaises(PermissionDenied):
            register(self.teacher, self.host)

    def test_leaving_twice_is_refused(self):
        visit = services.visit_leave(actor=self.guard, visit=register(self.guard, self.host))
        self.assertIsNotNone(visit.left_at)
        self.assertEqual(list(selectors.on_campus(user=self.guard)), [])
        with self.assertRaises(ValidationError):
            services.visit_leave(actor=self.guard, visit=visit)

    def test_a_blacklisted_visitor_warns_until_acknowledged(self):
        services.blacklist_add(actor=self.safety, school=self.school_a, name="王建国", reason="法院禁止令")
        with self.assertRaisesMessage(ValidationError, "法院禁止令"):
            register(self.guard, self.host)
        visit = register(self.guard, self.host, blacklist_acknowledged=True)
        self.assertIn("法院禁止令", visit.blacklist_hit)

    def test_the_blacklist_matches_by_phone_and_not_another_schools_list(self):
        services.blacklist_add(actor=self.safety_b, school=self.school_b, name="王建国", reason="乙校")
        register(self.guard, self.host)  # school B's list does not apply here
        services.blacklist_add(actor=self.safety, school=self.school_a, name="化名", phone="13812345678", reason="骚扰")
        with self.assertRaises(ValidationError):
            register(self.guard, self.host, name="另一个名字")

    def test_the_guard_cannot_edit_the_blacklist(self):
        with self.assertRaises(PermissionDenied):
            services.blacklist_add(actor=self.guard, school=self.school_a, name="x", reason="y")


class OutingTests(HouqinTestCase):
    def test_staff_go_out_with_approval_and_come_back(self):
        teacher, leader = make_host(self.school_a, "何老师"), make_host(self.school_a, "刘校长")
        outing = services.outing_register(
            actor=self.guard, school=self.school_a, person=teacher, reason="去教育局送材料", approved_by=leader
        )
        outing = services.outing_return(actor=self.guard, outing=outing)
        self.assertIsNotNone(outing.back_at)
        with self.assertRaises(ValidationError):
            services.outing_return(actor=self.guard, outing=outing)

    def test_the_approver_must_be_of_the_same_school(self):
        with self.assertRaises(ValidationError):
            services.outing_register(
                actor=self.guard,
                school=self.school_a,
                person=make_host(self.school_a),
                reason="x",
                approved_by=make_host(self.school_b),
            )
        self.assertFalse(StaffOuting.objects.exists())


class PurgeTests(HouqinTestCase):
    def setUp(self):
        host = make_host(self.school_a)
        now = timezone.now()
        self.old = register(self.guard, host, entered_at=now - dt.timedelta(days=200), id_tail="1234")
        self.flagged = register(self.guard, host, name="李四", entered_at=now - dt.timedelta(days=200))
        services.visit_flag_incident(actor=self.safety, visit=self.flagged, note="校门冲突事件")
        self.recent = register(self.guard, host, name="赵六", entered_at=now - dt.timedelta(days=10))

    def test_the_command_anonymises_old_visits_except_incidents(self):
        out = StringIO()
        call_command("purge_visitors", stdout=out)
        self.old.refresh_from_db()
        self.assertEqual((self.old.name, self.old.phone, self.old.id_tail), ("王**", "", ""))
        self.assertIsNotNone(self.old.anonymised_at)
        self.flagged.refresh_from_db()
        self.recent.refresh_from_db()
        self.assertEqual((self.flagged.name, self.recent.name), ("李四", "赵六"))
        self.assertTrue(AuditEvent.objects.filter(action="visitors.visit.purged", school=self.school_a).exists())

    def test_a_dry_run_changes_nothing(self):
        out = StringIO()
        call_command("purge_visitors", "--dry-run", stdout=out)
        self.old.refresh_from_db()
        self.assertEqual(self.old.name, "王建国")
        self.assertIn("1", out.getvalue())

    def test_the_retention_period_is_the_schools_policy(self):
        PolicyValue.objects.create(
            district=self.district, key="visitors.retention_days", value=365, effective_from=dt.date(2000, 1, 1)
        )
        self.assertEqual(services.visitors_purge(school=self.school_a), 0)

    def test_purging_twice_does_nothing_more(self):
        services.visitors_purge(school=self.school_a)
        self.assertEqual(services.visitors_purge(school=self.school_a), 0)
