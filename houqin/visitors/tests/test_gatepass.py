from django.core.exceptions import ValidationError

from houqin.assets.tests.factories import make_asset
from houqin.core.testing import HouqinTestCase
from houqin.visitors import services
from houqin.visitors.choices import GatePassStatus, VehicleStatus
from houqin.visitors.models import GatePass


class GatePassTests(HouqinTestCase):
    def setUp(self):
        self.asset = make_asset(self.assetkeeper, "投影仪", "3200.00")

    def request(self, actor=None, asset=None):
        actor = actor or self.assetkeeper
        return services.gatepass_request(
            actor=actor, school=actor.school, asset=asset or self.asset, reason="送修", destination="华信电子"
        )

    def test_a_pass_is_approved_then_checked_out_and_back(self):
        gatepass = self.request()
        self.assertTrue(gatepass.number.startswith("CM-"))
        with self.assertRaises(ValidationError):
            services.gatepass_check_out(actor=self.guard, gatepass=gatepass)
        services.gatepass_decide(actor=self.principal, gatepass=gatepass, approve=True)
        out = services.gatepass_check_out(actor=self.guard, gatepass=gatepass)
        self.assertEqual(out.status, GatePassStatus.OUT)
        with self.assertRaises(ValidationError):
            self.request()  # already out
        back = services.gatepass_check_back(actor=self.guard, gatepass=gatepass)
        self.assertEqual(back.status, GatePassStatus.BACK)
        self.assertAudited(back, "visitors.gatepass.updated", actor=self.guard)

    def test_another_schools_asset_is_refused(self):
        other = make_asset(self.assetkeeper_b, "笔记本电脑", "5200.00")
        with self.assertRaises(ValidationError) as caught:
            self.request(asset=other)
        self.assertIn("asset", caught.exception.message_dict)
        self.assertFalse(GatePass.objects.exists())

    def test_the_requester_cannot_approve_their_own_pass(self):
        gatepass = self.request(actor=self.logistics)
        with self.assertRaises(ValidationError):
            services.gatepass_decide(actor=self.logistics, gatepass=gatepass, approve=True)


class VehicleTests(HouqinTestCase):
    def test_an_outside_vehicle_without_approval_is_refused(self):
        entry = services.vehicle_request(
            actor=self.safety, school=self.school_a, plate="鄂e·3k215", driver="王师傅", purpose="送体育器材"
        )
        self.assertEqual(entry.plate, "鄂E·3K215")
        with self.assertRaises(ValidationError):
            services.vehicle_let_in(actor=self.guard, entry=entry)
        services.vehicle_decide(actor=self.logistics, entry=entry, approve=True)
        self.assertEqual(services.vehicle_let_in(actor=self.guard, entry=entry).status, VehicleStatus.IN)
        self.assertEqual(services.vehicle_leave(actor=self.guard, entry=entry).status, VehicleStatus.OUT)

    def test_a_refused_vehicle_stays_out(self):
        entry = services.vehicle_request(
            actor=self.safety, school=self.school_a, plate="鄂E·A7782", driver="李师傅", purpose="施工"
        )
        services.vehicle_decide(actor=self.principal, entry=entry, approve=False)
        with self.assertRaises(ValidationError):
            services.vehicle_let_in(actor=self.guard, entry=entry)
