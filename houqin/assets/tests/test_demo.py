import time

from django.test import TestCase

from houqin.accounts.models import User
from houqin.assets import selectors
from houqin.assets.choices import AssetStatus, StocktakeStatus, TransferStatus
from houqin.assets.models import Asset, AssetEvent, Disposal, Stocktake, Transfer
from houqin.demo.builder import build


class AssetDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        started = time.monotonic()
        build()
        cls.seconds = time.monotonic() - started
        cls.keeper = User.objects.get(username="assetkeeper")

    def test_about_3000_cards_with_places_custodians_and_a_history_line_each(self):
        cards = Asset.objects.visible_to(self.keeper).filter(voucher_no__startswith="记-")  # not the new purchases
        self.assertTrue(2700 <= cards.count() <= 3300, cards.count())
        self.assertEqual(cards.values("asset_no").distinct().count(), cards.count())
        self.assertFalse(cards.filter(place__isnull=True).exists())
        self.assertFalse(cards.filter(custodian__isnull=True).exists())
        self.assertFalse(cards.exclude(pk__in=AssetEvent.objects.values("asset_id")).exists())

    def test_a_term_of_transfers_loans_and_disposals(self):
        statuses = set(Transfer.objects.values_list("status", flat=True))
        self.assertEqual(statuses, {TransferStatus.DONE, TransferStatus.PENDING})
        self.assertTrue(selectors.overdue_loans(user=self.keeper).exists())
        self.assertTrue(Asset.objects.filter(status=AssetStatus.DISPOSED).exists())
        self.assertTrue(Disposal.objects.filter(status="pending").exists())

    def test_a_closed_stocktake_with_differences_waits_for_the_logistics_director(self):
        stocktake = Stocktake.objects.get()
        self.assertEqual(stocktake.status, StocktakeStatus.CLOSED)
        self.assertEqual((stocktake.missing, stocktake.misplaced, stocktake.surplus), (1, 1, 1))
        logistics = User.objects.get(username="logistics")
        self.assertEqual(list(selectors.stocktakes_waiting_for(user=logistics)), [stocktake])

    def test_the_demo_logins_have_something_to_do(self):
        teacher = User.objects.get(username="teacher")
        self.assertTrue(selectors.my_assets(user=teacher).exists())
        self.assertTrue(selectors.handovers_to_sign(user=teacher).exists())
        self.assertTrue(selectors.my_assets(user=User.objects.get(username="headteacher")).exists())
        self.assertTrue(selectors.transfers_waiting_for(user=User.objects.get(username="logistics")).exists())

    def test_the_whole_demo_still_builds_quickly(self):
        self.assertLess(self.seconds, 30)
