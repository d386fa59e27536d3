import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from houqin.core.models import AuditEvent, PolicyValue
from houqin.core.policies import POLICIES, policy
from houqin.core.services import policy_set
from houqin.core.testing import HouqinTestCase

JUNE = dt.date(2026, 6, 1)
SEPTEMBER = dt.date(2026, 9, 1)


class PolicyLookupTests(HouqinTestCase):
    def set(self, key, value, *, on=JUNE, school=None, district=None):
        return policy_set(
            actor=self.bureau_admin,
            key=key,
            value=value,
            effective_from=on,
            district=district or self.district,
            school=school,
        )

    def test_without_a_setting_the_national_default_applies(self):
        self.assertEqual(policy("canteen.sample_min_grams", school=self.school_a), 125)
        self.assertEqual(policy("assets.fixed_threshold", school=self.school_a), Decimal("1000.00"))

    def test_a_district_value_applies_from_its_date(self):
        self.set("canteen.sample_min_grams", 150, on=SEPTEMBER)
        self.assertEqual(policy("canteen.sample_min_grams", school=self.school_a, on=SEPTEMBER), 150)

    def test_before_its_date_a_district_value_does_not_apply(self):
        self.set("canteen.sample_min_grams", 150, on=SEPTEMBER)
        self.assertEqual(policy("canteen.sample_min_grams", school=self.school_a, on=JUNE), 125)

    def test_the_latest_district_value_in_force_wins(self):
        self.set("canteen.sample_min_grams", 150, on=JUNE)
        self.set("canteen.sample_min_grams", 200, on=SEPTEMBER)
        self.assertEqual(policy("canteen.sample_min_grams", school=self.school_a, on=dt.date(2026, 7, 1)), 150)
        self.assertEqual(policy("canteen.sample_min_grams", school=self.school_a, on=dt.date(2026, 10, 1)), 200)

    def test_a_school_override_wins_over_the_district(self):
        self.set("canteen.sample_min_grams", 150)
        self.set("canteen.sample_min_grams", 180, school=self.school_a)
        self.assertEqual(policy("canteen.sample_min_grams", school=self.school_a, on=SEPTEMBER), 180)

    def test_a_school_override_does_not_reach_other_schools(self):
        self.set("canteen.sample_min_grams", 150)
        self.set("canteen.sample_min_grams", 180, school=self.school_a)
        self.assertEqual(policy("canteen.sample_min_grams", school=self.school_b, on=SEPTEMBER), 150)

    def test_another_districts_value_does_not_apply(self):
        self.set("canteen.sample_min_grams", 150)
        self.assertEqual(policy("canteen.sample_min_grams", school=self.school_far, on=SEPTEMBER), 125)

    def test_decimal_values_come_back_as_decimals(self):
        self.set("assets.fixed_threshold", "1500.00")
        self.assertEqual(policy("assets.fixed_threshold", school=self.school_a, on=SEPTEMBER), Decimal("1500.00"))

    def test_every_policy_has_a_default_and_a_source(self):
        for key, definition in POLICIES.items():
            self.assertEqual(definition.key, key)
            self.assertIsNotNone(definition.default)
            self.assertTrue(definition.source, key)


class PolicySetTests(HouqinTestCase):
    def set(self, actor=None, **kwargs):
        values = {"key": "canteen.sample_min_grams", "value": 150, "effective_from": JUNE, "district": self.district}
        return policy_set(actor=actor or self.bureau_admin, **{**values, **kwargs})

    def test_a_value_below_the_national_floor_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.set(value=120)
        self.assertIn("value", caught.exception.message_dict)
        self.assertFalse(PolicyValue.objects.exists())

    def test_a_school_override_below_the_floor_is_refused_too(self):
        with self.assertRaises(ValidationError):
            self.set(value=100, school=self.school_a)

    def test_the_floor_itself_is_accepted(self):
        self.assertEqual(self.set(value=125).value, 125)

    def test_an_unknown_key_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.set(key="canteen.no_such_rule")
        self.assertIn("key", caught.exception.message_dict)

    def test_a_value_that_is_not_a_number_is_refused(self):
        for junk in ("abc", "", None, "NaN", "Infinity"):
            with self.subTest(junk=junk), self.assertRaises(ValidationError):
                self.set(value=junk)

    def test_a_non_finite_decimal_is_refused(self):
        with self.assertRaises(ValidationError):
            self.set(key="health.fever_threshold", value="NaN")

    def test_school_staff_cannot_set_a_policy(self):
        with self.assertRaises(PermissionDenied):
            self.set(actor=self.principal, school=self.school_a)

    def test_bureau_staff_without_the_admin_role_cannot_set_a_policy(self):
        with self.assertRaises(PermissionDenied):
            self.set(actor=self.bureau)

    def test_a_bureau_admin_cannot_set_another_districts_policy(self):
        with self.assertRaises(PermissionDenied):
            self.set(district=self.other_district)

    def test_a_school_override_must_be_for_a_school_of_the_district(self):
        with self.assertRaises(ValidationError) as caught:
            self.set(school=self.school_far)
        self.assertIn("school", caught.exception.message_dict)

    def test_setting_a_value_is_audited(self):
        row = self.set(source="区教育局文件")
        event = AuditEvent.objects.get(action="core.policy.set")
        self.assertEqual(event.actor, self.bureau_admin)
        self.assertEqual(event.target_id, str(row.pk))
        self.assertEqual(event.district, self.district)
        self.assertEqual(event.changes, {"canteen.sample_min_grams": [None, "150"]})
        self.assertEqual(event.message, "区教育局文件")

    def test_changing_a_value_for_the_same_date_records_the_old_value(self):
        self.set(value=150)
        self.set(value=160)
        event = AuditEvent.objects.filter(action="core.policy.set").first()
        self.assertEqual(event.changes, {"canteen.sample_min_grams": ["150", "160"]})
        self.assertEqual(PolicyValue.objects.count(), 1)

    def test_a_school_override_is_audited_under_the_school(self):
        self.set(school=self.school_a)
        event = AuditEvent.objects.get(action="core.policy.set")
        self.assertEqual(event.school, self.school_a)
