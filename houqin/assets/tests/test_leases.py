"""A14: a lease runs at most the years the setting allows, and is activated only with the approval, the tenant's
safety agreement and the fire-responsibility clause."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from houqin.assets import selectors, services
from houqin.assets.tests.test_services import AssetTestCase
from houqin.core.models import PolicyValue
from houqin.orgs.models import Tenant


class LeaseTests(AssetTestCase):
    def setUp(self):
        super().setUp()
        self.tenant = Tenant.objects.create(school=self.school_a, name="小天才培训学校")

    def lease(self, ends_on=dt.date(2031, 8, 31), **fields):
        values = {"tenant": self.tenant, "place": self.room, "starts_on": dt.date(2026, 9, 1), "ends_on": ends_on}
        return services.lease_create(actor=self.assetkeeper, **{**values, **fields})

    def test_five_years_is_the_longest_term(self):
        self.assertEqual(self.lease().ends_on, dt.date(2031, 8, 31))
        with self.assertRaises(ValidationError) as raised:
            self.lease(ends_on=dt.date(2031, 9, 1))
        self.assertIn("ends_on", raised.exception.message_dict)

    def test_the_longest_term_is_a_setting(self):
        PolicyValue.objects.create(
            district=self.district, key="assets.rental_max_years", value="3", effective_from=dt.date(2020, 1, 1)
        )
        with self.assertRaises(ValidationError):
            self.lease(ends_on=dt.date(2030, 8, 31))

    def test_activation_needs_approval_safety_agreement_and_fire_clause(self):
        lease = self.lease(approval_document="示教资〔2026〕3号")
        with self.assertRaises(ValidationError) as raised:
            services.lease_activate(actor=self.assetkeeper, lease=lease)
        self.assertIn(str(lease._meta.get_field("safety_agreement").verbose_name), str(raised.exception))
        lease = self.lease(approval_document="示教资〔2026〕3号", safety_agreement="AQ-2026-01", fire_clause=True)
        self.assertTrue(services.lease_activate(actor=self.assetkeeper, lease=lease).is_active)
        self.assertAudited(lease, "assets.lease.activated", actor=self.assetkeeper)

    def test_another_schools_premises_and_other_roles_are_refused(self):
        with self.assertRaises(ValidationError):
            self.lease(place=self.office.__class__.objects.create(school=self.school_b, name="外校", full_name="外校"))
        with self.assertRaises(PermissionDenied):
            services.lease_create(
                actor=self.teacher,
                tenant=self.tenant,
                place=self.room,
                starts_on=dt.date(2026, 9, 1),
                ends_on=dt.date(2027, 8, 31),
            )

    def test_active_leases_are_in_the_annual_report(self):
        lease = self.lease(approval_document="示教资〔2026〕3号", safety_agreement="AQ-2026-01", fire_clause=True)
        services.lease_activate(actor=self.assetkeeper, lease=lease)
        self.assertEqual(selectors.annual_report(user=self.accountant, year=2027)["leases"], [lease])
        self.assertEqual(selectors.annual_report(user=self.accountant, year=2025)["leases"], [])
