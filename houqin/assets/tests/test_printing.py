"""PDF label sheets, the scan address on a label, and the stocktake report (PDF and Excel)."""

from django.urls import reverse

from houqin.assets import services
from houqin.assets.labels import asset_number_from_scan, scan_path
from houqin.assets.tests.factories import get_pdf, make_asset, make_place
from houqin.assets.tests.test_views import XLSX, AssetViewTestCase


class LabelTests(AssetViewTestCase):
    def test_a_sheet_of_labels_for_the_chosen_assets(self):
        tv = make_asset(self.assetkeeper, "电视机", place=self.room)
        self.login(self.assetkeeper)
        response, html = get_pdf(self.client, reverse("assets:asset_labels"), id=[self.pc.pk, tv.pk])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        for text in ("实验小学", self.pc.asset_no, "台式计算机", "电视机", "何老师", "101", "data:image/svg+xml"):
            self.assertIn(text, html)

    def test_without_a_choice_the_filters_choose(self):
        other_room = make_place(self.school_a, "102")
        make_asset(self.assetkeeper, "钢琴", place=other_room)
        self.login(self.assetkeeper)
        response, html = get_pdf(self.client, reverse("assets:asset_labels"), place=other_room.pk)
        self.assertEqual(response.status_code, 200)
        self.assertIn("钢琴", html)
        self.assertNotIn("台式计算机", html)

    def test_another_schools_asset_is_never_printed(self):
        self.login(self.assetkeeper_b)
        response = self.client.get(reverse("assets:asset_labels"), {"id": self.pc.pk})
        self.assertEqual(response.status_code, 404)

    def test_labels_need_the_register(self):
        self.login(self.teacher)
        response = self.client.get(reverse("assets:asset_labels"), {"id": self.pc.pk})
        self.assertEqual(response.status_code, 403)


class ScanTests(AssetViewTestCase):
    def test_scanning_a_label_opens_the_card_with_its_actions(self):
        self.login(self.assetkeeper)
        response = self.client.get(scan_path(self.pc), follow=True)
        self.assertEqual(response.redirect_chain[-1][0], self.pc.get_absolute_url())
        self.assertContains(response, 'data-testid="transfer-button"')

    def test_the_custodian_sees_their_own_card_without_actions(self):
        self.login(self.teacher)
        response = self.client.get(scan_path(self.pc), follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'data-testid="transfer-button"')

    def test_another_school_gets_404(self):
        self.login(self.assetkeeper_b)
        self.assertEqual(self.client.get(scan_path(self.pc)).status_code, 404)

    def test_a_stocktake_accepts_the_scanned_address(self):
        self.assertEqual(asset_number_from_scan(f"https://hq.example/{scan_path(self.pc)[1:]}"), self.pc.asset_no)
        self.assertEqual(asset_number_from_scan(" ZC-2026-00001 "), "ZC-2026-00001")
        stocktake = services.stocktake_create(
            actor=self.assetkeeper, school=self.school_a, name="抽查", places=[self.room]
        )
        self.login(self.assetkeeper)
        self.client.post(
            reverse("assets:stocktake_scan", args=[stocktake.pk]),
            {"asset_no": f"http://testserver{scan_path(self.pc)}", "place": self.room.pk},
        )
        self.assertEqual(stocktake.lines.get(asset=self.pc).result, "matched")


class StocktakeReportTests(AssetViewTestCase):
    def setUp(self):
        super().setUp()
        make_asset(self.assetkeeper, "电视机", place=self.room)
        self.stocktake = services.stocktake_create(
            actor=self.assetkeeper, school=self.school_a, name="期末盘点", places=[self.room]
        )
        services.stocktake_scan(actor=self.assetkeeper, stocktake=self.stocktake, asset_no=self.pc.asset_no)
        services.stocktake_close(actor=self.assetkeeper, stocktake=self.stocktake)
        line = self.stocktake.lines.get(result="missing")
        services.stocktake_explain(actor=self.assetkeeper, line=line, cause="借出未登记")

    def test_the_report_as_pdf_lists_the_differences_with_their_causes(self):
        self.login(self.assetkeeper)
        response, html = get_pdf(self.client, reverse("assets:stocktake_pdf", args=[self.stocktake.pk]))
        self.assertTrue(response.content.startswith(b"%PDF"))
        for text in ("期末盘点", "电视机", "借出未登记", self.stocktake.number):
            self.assertIn(text, html)
        self.assertNotIn("台式计算机", html)  # matched: counted, not listed

    def test_the_report_as_excel_lists_every_line(self):
        self.login(self.assetkeeper)
        response = self.client.get(reverse("assets:stocktake_xlsx", args=[self.stocktake.pk]))
        self.assertEqual(response["Content-Type"].split(";")[0], XLSX)

    def test_outside_the_school_404_and_without_the_role_403(self):
        self.login(self.assetkeeper_b)
        self.assertEqual(self.client.get(reverse("assets:stocktake_pdf", args=[self.stocktake.pk])).status_code, 404)
        self.login(self.teacher)
        self.assertEqual(self.client.get(reverse("assets:stocktake_pdf", args=[self.stocktake.pk])).status_code, 403)


class BatchTransferTests(AssetViewTestCase):
    def test_many_assets_move_in_one_request(self):
        tv = make_asset(self.assetkeeper, "电视机", place=self.room)
        self.login(self.assetkeeper)
        url = reverse("assets:transfer_batch")
        form = self.client.get(url, {"id": [self.pc.pk, tv.pk]})
        self.assertContains(form, "电视机")
        response = self.client.post(url, {"id": [self.pc.pk, tv.pk], "to_place": self.office.pk, "reason": "搬迁"})
        self.assertEqual(response.status_code, 302)
        transfers = list(self.pc.transfers.all()) + list(tv.transfers.all())
        self.assertEqual(len(transfers), 2)
        self.assertEqual(len({t.batch for t in transfers}), 1)

    def test_another_schools_asset_in_the_batch_is_404(self):
        other = make_asset(self.assetkeeper_b, "钢琴", school=self.school_b)
        self.login(self.assetkeeper)
        response = self.client.get(reverse("assets:transfer_batch"), {"id": [self.pc.pk, other.pk]})
        self.assertEqual(response.status_code, 404)

    def test_without_the_role_403(self):
        self.login(self.teacher)
        response = self.client.get(reverse("assets:transfer_batch"), {"id": [self.pc.pk]})
        self.assertEqual(response.status_code, 403)
