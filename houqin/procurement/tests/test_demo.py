from django.test import TestCase

from houqin.accounts.models import User
from houqin.assets.models import Asset
from houqin.demo.builder import build
from houqin.procurement import selectors
from houqin.procurement.choices import ProcurementMethod, RequestStatus, ValueBasis
from houqin.procurement.models import Donation, PurchaseRequest
from houqin.stock.models import StockMovement


class ProcurementDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build()
        cls.logistics = User.objects.get(username="logistics")
        cls.requests = PurchaseRequest.objects.visible_to(cls.logistics)

    def test_a_semester_of_requests_at_every_stage(self):
        statuses = set(self.requests.values_list("status", flat=True))
        self.assertEqual(statuses, set(RequestStatus.values) - {RequestStatus.CANCELLED})

    def test_one_purchase_after_three_quotes_and_one_through_government_procurement(self):
        three = [r for r in self.requests.filter(status=RequestStatus.ACCEPTED) if r.quotes.count() >= 3]
        self.assertTrue(three)
        government = self.requests.get(method=ProcurementMethod.GOVERNMENT)
        self.assertIn("DZMC", government.reference_number)
        self.assertEqual(Asset.objects.filter(source=government.number).count(), 1)

    def test_consumables_were_accepted_into_the_store(self):
        numbers = set(self.requests.values_list("number", flat=True))
        self.assertTrue(StockMovement.objects.filter(source__in=numbers).exists())

    def test_approvers_have_requests_waiting(self):
        for username in ("logistics", "principal", "bureau"):
            with self.subTest(username=username):
                user = User.objects.get(username=username)
                self.assertTrue(selectors.requests_waiting_for(user=user).exists())

    def test_the_parent_who_sponsored_the_fountain_and_the_asphalt(self):
        sponsored = Donation.objects.filter(donor_name__contains="朱厚达")
        self.assertEqual(sponsored.count(), 2)
        self.assertGreater(sum(d.value for d in sponsored), 50000)
        self.assertTrue(Donation.objects.filter(value_basis=ValueBasis.NOMINAL).exists())
