from django.core.exceptions import ValidationError

from houqin.core import audit
from houqin.core.middleware import _request_id
from houqin.core.models import AuditEvent
from houqin.core.testing import HouqinTestCase
from houqin.orgs.models import Department


class RecordTests(HouqinTestCase):
    def record_rename(self, **extra):
        return audit.record(
            actor=self.logistics,
            action="orgs.department.updated",
            target=self.department_a,
            changes={"name": ["总务处", "后勤处"]},
            message="改名",
            **extra,
        )

    def test_it_writes_who_did_what_to_which_object(self):
        event = self.record_rename()
        event.refresh_from_db()
        self.assertEqual(event.actor, self.logistics)
        self.assertEqual(event.actor_name, "李后勤")
        self.assertEqual(event.action, "orgs.department.updated")
        self.assertEqual(event.target_type, "orgs.department")
        self.assertEqual(event.target_id, str(self.department_a.pk))
        self.assertEqual(event.target_repr, "总务处")
        self.assertEqual(event.message, "改名")

    def test_it_takes_the_school_and_district_from_the_target(self):
        event = audit.record(actor=self.bureau, action="orgs.department.updated", target=self.department_b)
        self.assertEqual(event.school, self.school_b)
        self.assertEqual(event.district, self.district)

    def test_without_a_target_school_it_takes_the_actors_district(self):
        event = audit.record(actor=self.bureau, action="core.policy.set")
        self.assertIsNone(event.school)
        self.assertEqual(event.district, self.district)

    def test_changes_are_kept_as_field_old_new_pairs(self):
        event = self.record_rename()
        event.refresh_from_db()
        self.assertEqual(event.changes, {"name": ["总务处", "后勤处"]})

    def test_changes_of_decimals_dates_and_objects_become_json(self):
        import datetime as dt
        from decimal import Decimal

        event = audit.record(
            actor=self.logistics,
            action="x.y.updated",
            changes={
                "price": [Decimal("1.50"), Decimal("2.00")],
                "on": [None, dt.date(2026, 9, 1)],
                "dept": [None, self.department_a],
            },
        )
        event.refresh_from_db()
        self.assertEqual(
            event.changes, {"price": ["1.50", "2.00"], "on": [None, "2026-09-01"], "dept": [None, "总务处"]}
        )

    def test_it_keeps_the_request_id(self):
        token = _request_id.set("req-0123456789")
        try:
            event = self.record_rename()
        finally:
            _request_id.reset(token)
        self.assertEqual(event.request_id, "req-0123456789")

    def test_a_system_action_has_no_actor(self):
        event = audit.record(actor=None, action="core.job.ran", school=self.school_a)
        self.assertIsNone(event.actor)
        self.assertEqual(event.actor_name, "系统")
        self.assertEqual(event.school, self.school_a)


class DiffTests(HouqinTestCase):
    def test_it_returns_only_the_changed_fields_and_sets_them(self):
        department = Department(school=self.school_a, name="总务处", is_active=True)
        changes = audit.diff(department, {"name": "后勤处", "is_active": True})
        self.assertEqual(changes, {"name": ["总务处", "后勤处"]})
        self.assertEqual(department.name, "后勤处")


class AppendOnlyTests(HouqinTestCase):
    def setUp(self):
        self.event = audit.record(actor=self.logistics, action="orgs.department.updated", target=self.department_a)

    def test_an_event_cannot_be_saved_again(self):
        self.event.message = "edited"
        with self.assertRaises(ValidationError):
            self.event.save()

    def test_an_event_cannot_be_deleted(self):
        with self.assertRaises(ValidationError):
            self.event.delete()

    def test_a_queryset_cannot_update_events(self):
        with self.assertRaises(ValidationError):
            AuditEvent.objects.filter(pk=self.event.pk).update(message="edited")

    def test_a_queryset_cannot_delete_events(self):
        with self.assertRaises(ValidationError):
            AuditEvent.objects.filter(pk=self.event.pk).delete()

    def test_the_event_is_unchanged_after_the_refusals(self):
        for attempt in (
            lambda: AuditEvent.objects.all().update(message="edited"),
            lambda: AuditEvent.objects.all().delete(),
        ):
            with self.assertRaises(ValidationError):
                attempt()
        self.event.refresh_from_db()
        self.assertEqual(self.event.message, "")


class HistoryTests(HouqinTestCase):
    def test_it_lists_the_events_of_one_object_newest_first(self):
        first = audit.record(actor=self.logistics, action="orgs.department.created", target=self.department_a)
        second = audit.record(actor=self.logistics, action="orgs.department.updated", target=self.department_a)
        audit.record(actor=self.logistics, action="orgs.department.updated", target=self.department_b)
        self.assertEqual(list(audit.history_for(self.department_a)), [second, first])

    def test_it_does_not_mix_objects_of_other_types_with_the_same_id(self):
        audit.record(actor=self.logistics, action="orgs.department.created", target=self.department_a)
        audit.record(actor=self.logistics, action="orgs.school.created", target=self.school_a)
        types = {e.target_type for e in audit.history_for(self.department_a)}
        self.assertEqual(types, {"orgs.department"})


class VisibilityTests(HouqinTestCase):
    def test_school_staff_see_only_their_schools_events(self):
        mine = audit.record(actor=self.logistics, action="a.b.c", target=self.department_a)
        audit.record(actor=self.logistics_b, action="a.b.c", target=self.department_b)
        self.assertEqual(list(AuditEvent.objects.visible_to(self.principal)), [mine])

    def test_bureau_staff_see_the_districts_events_including_district_level_ones(self):
        school_event = audit.record(actor=self.logistics_b, action="a.b.c", target=self.department_b)
        district_event = audit.record(actor=self.bureau_admin, action="core.policy.set")
        self.assertEqual(set(AuditEvent.objects.visible_to(self.bureau)), {school_event, district_event})


class HistoryWordingTests(HouqinTestCase):
    def test_the_history_names_the_action_and_the_fields_in_words(self):
        from django.utils import translation

        event = audit.record(
            actor=self.admin,
            action="orgs.department.updated",
            target=self.department_a,
            changes={"name": ["总务处", "后勤处"], "no_such_field": [1, 2]},
        )
        with translation.override("zh-hans"):
            self.assertEqual(event.action_label, "修改")
            self.assertEqual(event.change_rows, [("名称", "总务处", "后勤处"), ("no_such_field", 1, 2)])
        event.action = "orgs.department.something_new"
        self.assertEqual(event.action_label, "orgs.department.something_new")  # the code when there is no word
