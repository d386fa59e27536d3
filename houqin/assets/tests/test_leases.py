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


class LeasePageTests(AssetTestCase):
    def setUp(self):
        super().setUp()
        self.tenant = Tenant.objects.create(school=self.school_a, name="小天才培训学校")
        self.client.force_login(self.assetkeeper, backend="houqin.accounts.backends.RoleBackend")

    def test_record_then_put_in_force_from_the_pages(self):
        from django.urls import reverse

        response = self.client.post(
            reverse("assets:lease_create"),
            {
                "tenant": self.tenant.pk,
                "place": self.room.pk,
                "starts_on": "2026-09-01",
                "ends_on": "2031-09-01",
                "rent": "12000",
            },
        )
        self.assertContains(response, "5")  # refused beside the end date: longer than five years
        self.assertFalse(self.tenant_leases().exists())
        response = self.client.post(
            reverse("assets:lease_create"),
            {"tenant": self.tenant.pk, "place": self.room.pk, "starts_on": "2026-09-01", "ends_on": "2027-08-31"},
        )
        lease = self.tenant_leases().get()
        self.assertRedirects(response, lease.get_absolute_url())
        page = self.client.get(lease.get_absolute_url())
        self.assertContains(page, 'data-testid="activate-button"')
        refused = self.client.post(reverse("assets:lease_activate", args=[lease.pk]), follow=True)
        self.assertContains(refused, "alert-danger")
        lease.approval_document, lease.safety_agreement, lease.fire_clause = "示教资〔2026〕3号", "AQ-01", True
        lease.save()
        self.client.post(reverse("assets:lease_activate", args=[lease.pk]))
        lease.refresh_from_db()
        self.assertTrue(lease.is_active)
        listed = self.client.get(reverse("assets:lease_list"))
        self.assertContains(listed, "小天才培训学校")

    def test_an_unknown_asset_number_is_named_beside_the_field(self):
        from django.urls import reverse

        response = self.client.post(
            reverse("assets:lease_create"),
            {"tenant": self.tenant.pk, "asset_no": "ZC-NOPE", "starts_on": "2026-09-01", "ends_on": "2027-08-31"},
        )
        self.assertContains(response, "ZC-NOPE")
        self.assertFalse(self.tenant_leases().exists())

    def test_a_teacher_has_no_lease_pages_and_another_school_gets_404(self):
        from django.urls import reverse

        lease = services.lease_create(
            actor=self.assetkeeper,
            tenant=self.tenant,
            place=self.room,
            starts_on=dt.date(2026, 9, 1),
            ends_on=dt.date(2027, 8, 31),
        )
        self.client.force_login(self.teacher, backend="houqin.accounts.backends.RoleBackend")
        self.assertEqual(self.client.get(reverse("assets:lease_list")).status_code, 403)
        self.client.force_login(self.assetkeeper_b, backend="houqin.accounts.backends.RoleBackend")
        self.assertEqual(self.client.get(lease.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.post(reverse("assets:lease_activate", args=[lease.pk])).status_code, 404)

    def tenant_leases(self):
        from houqin.assets.models import Lease

        return Lease.objects.filter(tenant=self.tenant)


class LeaseApiTests(AssetTestCase):
    def test_create_activate_and_list(self):
        tenant = Tenant.objects.create(school=self.school_a, name="幼儿园")
        api = self.api(self.assetkeeper)
        body = {"tenant_id": tenant.pk, "place_id": self.room.pk, "starts_on": "2026-09-01", "ends_on": "2032-09-01"}
        refused = api.post("/api/assets/leases", body, content_type="application/json")
        self.assertEqual(refused.status_code, 422)
        body.update(ends_on="2027-08-31", rent="8000", approval_document="批复1号")
        created = api.post("/api/assets/leases", body, content_type="application/json")
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual((created.json()["state"], created.json()["rent"]), ("pending", "8000.00"))
        lease_id = created.json()["id"]
        self.assertEqual(api.post(f"/api/assets/leases/{lease_id}/activate").status_code, 409)  # documents missing
        other = self.api(self.assetkeeper_b)
        self.assertEqual(other.get(f"/api/assets/leases/{lease_id}").status_code, 404)
        foreign = {**body, "tenant_id": tenant.pk}
        self.assertEqual(other.post("/api/assets/leases", foreign, content_type="application/json").status_code, 404)
        listed = api.get("/api/assets/leases").json()
        self.assertEqual([row["tenant_name"] for row in listed["items"]], ["幼儿园"])
