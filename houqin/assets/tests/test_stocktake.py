from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from houqin.assets.choices import AssetStatus, EventKind, StocktakeResult, StocktakeStatus
from houqin.assets.services import stocktake as stocktaking
from houqin.assets.tests.factories import make_asset, make_place
from houqin.core.testing import HouqinTestCase
from houqin.orgs.choices import PlaceKind

R = StocktakeResult


class StocktakeTests(HouqinTestCase):
    def setUp(self):
        self.building = make_place(self.school_a, "教学楼", kind=PlaceKind.BUILDING)
        self.room = make_place(self.school_a, "101", parent=self.building)
        self.lab = make_place(self.school_a, "实验室", parent=self.building)
        self.elsewhere = make_place(self.school_a, "操场", kind=PlaceKind.AREA)
        self.pc = make_asset(self.assetkeeper, "台式计算机", place=self.room)
        self.tv = make_asset(self.assetkeeper, "电视机", place=self.room)
        self.scope = make_asset(self.assetkeeper, "显微镜", place=self.lab)
        self.ball = make_asset(self.assetkeeper, "篮球架", place=self.elsewhere)
        self.stocktake = stocktaking.stocktake_create(
            actor=self.assetkeeper, school=self.school_a, name="2026年度盘点", places=[self.building]
        )

    def scan(self, asset_no, place=None):
        return stocktaking.stocktake_scan(
            actor=self.assetkeeper, stocktake=self.stocktake, asset_no=asset_no, place=place
        )

    def test_the_expected_list_is_every_asset_inside_the_chosen_places(self):
        expected = set(self.stocktake.lines.values_list("asset_id", flat=True))
        self.assertEqual(expected, {self.pc.pk, self.tv.pk, self.scope.pk})
        self.assertRegex(self.stocktake.number, r"^PD-\d{4}-00001$")

    def test_scans_are_matched_misplaced_or_surplus(self):
        self.assertEqual(self.scan(self.pc.asset_no, self.room).result, R.MATCHED)
        self.assertEqual(self.scan(self.tv.asset_no.lower(), self.lab).result, R.MISPLACED)
        self.assertEqual(self.scan(self.ball.asset_no, self.room).result, R.MISPLACED)
        self.assertEqual(self.scan("GZ-9999", self.room).result, R.SURPLUS)

    def test_scanning_twice_keeps_one_line(self):
        self.scan(self.pc.asset_no, self.room)
        self.scan(self.pc.asset_no, self.room)
        self.assertEqual(self.stocktake.lines.filter(asset=self.pc).count(), 1)

    def test_closing_counts_what_was_not_found_as_missing(self):
        self.scan(self.pc.asset_no, self.room)
        self.scan(self.tv.asset_no, self.lab)
        self.scan("GZ-9999", self.room)
        closed = stocktaking.stocktake_close(actor=self.assetkeeper, stocktake=self.stocktake)
        self.assertEqual(
            (closed.matched, closed.missing, closed.surplus, closed.misplaced, closed.status),
            (1, 1, 1, 1, StocktakeStatus.CLOSED),
        )
        with self.assertRaisesMessage(ValidationError, _(stocktaking.NOT_OPEN)):
            self.scan(self.scope.asset_no)

    def test_the_ledger_changes_only_after_the_differences_are_approved_with_causes(self):
        self.scan(self.pc.asset_no, self.room)
        self.scan(self.tv.asset_no, self.lab)
        stocktaking.stocktake_close(actor=self.assetkeeper, stocktake=self.stocktake)
        self.tv.refresh_from_db()
        self.assertEqual(self.tv.place, self.room)
        with self.assertRaisesMessage(ValidationError, self.tv.asset_no):
            stocktaking.stocktake_approve(actor=self.logistics, stocktake=self.stocktake)
        for line in self.stocktake.lines.filter(result__in=[R.MISPLACED, R.MISSING]):
            stocktaking.stocktake_explain(actor=self.assetkeeper, line=line, cause="搬动未登记")
        stocktaking.stocktake_approve(actor=self.logistics, stocktake=self.stocktake)
        self.tv.refresh_from_db()
        self.scope.refresh_from_db()
        self.assertEqual(self.tv.place, self.lab)
        self.assertEqual(self.scope.status, AssetStatus.AWAITING_DISPOSAL)
        self.assertEqual(self.tv.events.first().kind, EventKind.STOCKTAKE_DIFFERENCE)

    def test_the_counter_cannot_approve_and_approval_needs_the_permission(self):
        stocktaking.stocktake_close(actor=self.assetkeeper, stocktake=self.stocktake)
        with self.assertRaises(PermissionDenied):
            stocktaking.stocktake_approve(actor=self.assetkeeper, stocktake=self.stocktake)
        own = stocktaking.stocktake_create(
            actor=self.assetkeeper, school=self.school_a, name="抽查", places=[self.elsewhere]
        )
        own.created_by = self.logistics
        own.save()
        stocktaking.stocktake_close(actor=self.assetkeeper, stocktake=own)
        with self.assertRaises(ValidationError):
            stocktaking.stocktake_approve(actor=self.logistics, stocktake=own)

    def test_a_stocktake_needs_places_of_the_school(self):
        with self.assertRaisesMessage(ValidationError, _(stocktaking.NO_PLACES)):
            stocktaking.stocktake_create(actor=self.assetkeeper, school=self.school_a, name="空", places=[])
        with self.assertRaises(ValidationError):
            stocktaking.stocktake_create(
                actor=self.assetkeeper, school=self.school_a, name="外校", places=[make_place(self.school_b, "201")]
            )

    def test_a_teacher_cannot_scan(self):
        with self.assertRaises(PermissionDenied):
            stocktaking.stocktake_scan(actor=self.teacher, stocktake=self.stocktake, asset_no=self.pc.asset_no)
