from django.test import TestCase

from houqin.accounts.models import User
from houqin.demo.builder import build
from houqin.stock import selectors
from houqin.stock.choices import RequisitionStatus
from houqin.stock.models import Requisition, StockItem


class StockDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build()
        cls.keeper = User.objects.get(username="assetkeeper")

    def test_the_store_has_items_with_a_balanced_ledger(self):
        self.assertGreaterEqual(StockItem.objects.visible_to(self.keeper).count(), 20)
        self.assertFalse(selectors.ledger_mismatches(user=self.keeper).exists())

    def test_some_items_are_low_and_some_requisitions_wait(self):
        self.assertTrue(selectors.item_list(user=self.keeper, low_only=True).exists())
        statuses = set(Requisition.objects.values_list("status", flat=True))
        self.assertTrue({RequisitionStatus.PENDING, RequisitionStatus.APPROVED, RequisitionStatus.ISSUED} <= statuses)
        self.assertTrue(selectors.requisitions_waiting_for(user=self.keeper).exists())
