import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.assets import services
from houqin.assets.choices import AssetStatus, DisposalStatus, StocktakeStatus, TransferStatus
from houqin.assets.models import Asset, Disposal, Loan, Stocktake, Transfer
from houqin.assets.tests.factories import make_asset, make_person, make_place, xlsx_upload
from houqin.core.testing import HouqinTestCase

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AssetViewTestCase(HouqinTestCase):
    def setUp(self):
        self.room = make_place(self.school_a, "101")
        self.office = make_place(self.school_a, "总务处")
        self.teacher_person = make_person(self.school_a, "何老师", user=self.teacher)
        self.pc = make_asset(self.assetkeeper, "台式计算机", place=self.room, custodian=self.teacher_person)

    def login(self, user):
        self.client.force_login(user, backend="houqin.accounts.backends.RoleBackend")


class RegisterPageTests(AssetViewTestCase):
    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(reverse("assets:asset_list"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_a_teacher_has_no_register_but_sees_their_own_assets_and_cards(self):
        other = make_asset(self.assetkeeper, "打印机")
        self.login(self.teacher)
        self.assertEqual(self.client.get(reverse("assets:asset_list")).status_code, 403)
        mine = self.client.get(reverse("assets:my_assets"))
        self.assertEqual(list(mine.context["object_list"]), [self.pc])
        self.assertEqual(self.client.get(self.pc.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.get(other.get_absolute_url()).status_code, 403)

    def test_another_schools_card_is_404(self):
        other = make_asset(self.assetkeeper_b)
        self.login(self.assetkeeper)
        self.assertEqual(self.client.get(other.get_absolute_url()).status_code, 404)

    def test_the_list_filters_by_pinyin_and_place(self):
        make_asset(self.assetkeeper, "办公椅", unit_price="300", place=self.office)
        self.login(self.assetkeeper)
        response = self.client.get(reverse("assets:asset_list"), {"q": "bgy"})
        self.assertEqual([a.name for a in response.context["object_list"]], ["办公椅"])
        response = self.client.get(reverse("assets:asset_list"), {"place": self.room.pk})
        self.assertEqual(list(response.context["object_list"]), [self.pc])

    def test_the_filters_offer_this_schools_places_and_keep_the_choice(self):
        hall = make_place(self.school_a, "礼堂 <b>")
        make_place(self.school_b, "别校的房间")
        self.login(self.assetkeeper)
        page = self.client.get(reverse("assets:asset_list"), {"place": hall.pk, "status": "idle"}).content.decode()
        self.assertIn(f'<option value="{hall.pk}" selected>礼堂 &lt;b&gt;</option>', page)
        self.assertNotIn("别校的房间", page)
        self.assertIn('<option value="idle" selected>', page)

    def test_the_list_query_count_does_not_grow_with_rows(self):
        self.login(self.assetkeeper)
        self.client.get(reverse("assets:asset_list"))
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("assets:asset_list"))
        for n in range(20):
            make_asset(self.assetkeeper, f"课桌{n}", place=self.room, custodian=self.teacher_person)
        with CaptureQueriesContext(connection) as many:
            self.client.get(reverse("assets:asset_list"))
        self.assertEqual(len(few), len(many))

    def test_export(self):
        self.login(self.assetkeeper)
        response = self.client.get(reverse("assets:asset_list"), {"export": "xlsx"})
        self.assertEqual(response["Content-Type"].split(";")[0], XLSX)

    def test_the_keeper_registers_a_card_from_the_form(self):
        self.login(self.assetkeeper)
        response = self.client.post(
            reverse("assets:asset_create"),
            {
                "name": "投影仪",
                "category_code": "A0202",
                "quantity": "1",
                "unit": "台",
                "unit_price": "3200",
                "acquired_on": "2026-03-01",
                "acquisition_method": "purchase",
                "funding_source": "财政拨款",
                "place": self.room.pk,
                "value_type": "cost",
            },
        )
        asset = Asset.objects.get(name="投影仪")
        self.assertRedirects(response, asset.get_absolute_url())
        self.assertEqual((asset.asset_class, asset.useful_life_months), ("fixed", 72))

    def test_a_rule_broken_is_shown_beside_the_field(self):
        self.login(self.assetkeeper)
        response = self.client.post(
            reverse("assets:asset_create"),
            {
                "name": "笔记本电脑",
                "category_code": "A02010108",
                "quantity": "1",
                "unit": "台",
                "unit_price": "5200",
                "acquired_on": "2026-03-01",
                "acquisition_method": "purchase",
                "funding_source": "财政拨款",
                "useful_life_months": "24",
                "value_type": "cost",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("useful_life_months", response.context["form"].errors)

    def test_on_the_edit_page_a_set_place_is_moved_only_by_a_transfer(self):
        self.login(self.assetkeeper)
        form = self.client.get(reverse("assets:asset_update", args=[self.pc.pk])).context["form"]
        self.assertTrue(form.fields["place"].disabled)
        self.assertFalse(form.fields["department"].disabled)

    def test_a_price_correction_from_the_edit_page_recomputes_the_class(self):
        self.login(self.assetkeeper)
        form = self.client.get(reverse("assets:asset_update", args=[self.pc.pk])).context["form"]
        data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
        data.update(unit_price="800", quantity="1", place="", custodian="", department="")
        response = self.client.post(reverse("assets:asset_update", args=[self.pc.pk]), data)
        self.assertRedirects(response, self.pc.get_absolute_url())
        self.pc.refresh_from_db()
        self.assertEqual((self.pc.asset_class, self.pc.place), ("low_value", self.room))

    def test_the_card_shows_its_history_and_the_keepers_actions(self):
        self.login(self.assetkeeper)
        response = self.client.get(self.pc.get_absolute_url())
        self.assertEqual(len(response.context["events"]), 1)
        self.assertTrue(response.context["can"]["transfer"])
        self.assertContains(response, self.pc.asset_no)

    def test_the_import_page_and_its_template(self):
        self.login(self.assetkeeper)
        self.assertEqual(self.client.get(reverse("assets:asset_import")).status_code, 200)
        template = self.client.get(reverse("assets:asset_import"), {"download": "template"})
        self.assertEqual(template["Content-Type"], XLSX)
        self.login(self.teacher)
        self.assertEqual(self.client.get(reverse("assets:asset_import")).status_code, 403)


class TransferPageTests(AssetViewTestCase):
    def test_the_keeper_asks_and_the_logistics_head_approves(self):
        self.login(self.assetkeeper)
        response = self.client.post(
            reverse("assets:transfer_create", args=[self.pc.pk]), {"to_place": self.office.pk, "reason": "调整"}
        )
        self.assertRedirects(response, self.pc.get_absolute_url())
        transfer = Transfer.objects.get()
        self.login(self.logistics)
        queue = self.client.get(reverse("assets:transfer_list"))
        self.assertEqual(list(queue.context["object_list"]), [transfer])
        self.client.post(reverse("assets:transfer_approve", args=[transfer.pk]))
        self.pc.refresh_from_db()
        self.assertEqual(self.pc.place, self.office)

    def test_approval_is_post_only_and_needs_the_permission(self):
        transfer = services.transfer_request(actor=self.assetkeeper, asset=self.pc, to_place=self.office, reason="x")
        url = reverse("assets:transfer_approve", args=[transfer.pk])
        self.login(self.assetkeeper)
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertEqual(self.client.post(url).status_code, 403)
        transfer.refresh_from_db()
        self.assertEqual(transfer.status, TransferStatus.PENDING)

    def test_the_new_custodian_signs_from_my_assets(self):
        transfer = services.transfer_request(
            actor=self.assetkeeper, asset=make_asset(self.assetkeeper), to_custodian=self.teacher_person, reason="x"
        )
        services.transfer_approve(actor=self.logistics, transfer=transfer)
        self.login(self.teacher)
        page = self.client.get(reverse("assets:my_assets"))
        self.assertEqual(list(page.context["handovers"]), [transfer])
        self.client.post(reverse("assets:handover_sign", args=[transfer.pk]))
        transfer.refresh_from_db()
        self.assertIsNotNone(transfer.received_at)


class LoanPageTests(AssetViewTestCase):
    def test_lend_then_take_back_from_the_loan_list(self):
        self.login(self.assetkeeper)
        due = (dt.date.today() + dt.timedelta(days=5)).isoformat()
        self.client.post(
            reverse("assets:loan_create", args=[self.pc.pk]), {"borrower": self.teacher_person.pk, "due_on": due}
        )
        loan = Loan.objects.get()
        self.assertEqual(list(self.client.get(reverse("assets:loan_list")).context["object_list"]), [loan])
        self.client.post(reverse("assets:loan_return", args=[loan.pk]), {"condition": "完好"})
        before = self.pc.status
        self.pc.refresh_from_db()
        self.assertEqual(self.pc.status, before)  # back to what it was before the loan

    def test_overdue_loans_are_on_the_keepers_home_page(self):
        services.loan_create(
            actor=self.assetkeeper,
            asset=self.pc,
            borrower=self.teacher_person,
            lent_on=dt.date(2025, 1, 1),
            due_on=dt.date(2025, 1, 10),
        )
        self.login(self.assetkeeper)
        items = self.client.get(reverse("core:home")).context["today_items"]
        self.assertTrue(any(i.url.endswith("?scope=overdue") and i.count == 1 for i in items))
        self.login(self.teacher)
        items = self.client.get(reverse("core:home")).context["today_items"]
        self.assertTrue(any(i.url == reverse("assets:my_assets") and i.count == 1 for i in items))


class DisposalPageTests(AssetViewTestCase):
    def test_request_then_approve_closes_the_card(self):
        old = make_asset(self.assetkeeper, "旧电脑", acquired_on=dt.date(2012, 9, 1))
        self.login(self.assetkeeper)
        response = self.client.post(
            reverse("assets:disposal_create", args=[old.pk]),
            {"method": "scrap", "reason": "无法修复", "collective_decision": "校长办公会纪要"},
        )
        disposal = Disposal.objects.get()
        self.assertRedirects(response, disposal.get_absolute_url())
        self.login(self.logistics)
        self.assertTrue(self.client.get(disposal.get_absolute_url()).context["can_decide"])
        self.client.post(reverse("assets:disposal_approve", args=[disposal.pk]))
        disposal.refresh_from_db()
        old.refresh_from_db()
        self.assertEqual((disposal.status, old.status), (DisposalStatus.DONE, AssetStatus.DISPOSED))


class StocktakePageTests(AssetViewTestCase):
    def test_count_room_by_room_close_explain_and_approve(self):
        tv = make_asset(self.assetkeeper, "电视机", place=self.room)
        self.login(self.assetkeeper)
        self.client.post(reverse("assets:stocktake_create"), {"name": "期末盘点", "places": [self.room.pk]})
        stocktake = Stocktake.objects.get()
        room = self.client.get(stocktake.get_absolute_url(), {"place": self.room.pk})
        self.assertEqual(len(room.context["room_lines"]), 2)
        self.client.post(
            reverse("assets:stocktake_scan", args=[stocktake.pk]), {"asset_no": self.pc.asset_no, "place": self.room.pk}
        )
        self.client.post(reverse("assets:stocktake_close", args=[stocktake.pk]))
        missing = stocktake.lines.get(asset=tv)
        self.client.post(reverse("assets:stocktake_cause", args=[missing.pk]), {"cause": "借出未登记"})
        self.login(self.logistics)
        self.client.post(reverse("assets:stocktake_approve", args=[stocktake.pk]))
        stocktake.refresh_from_db()
        tv.refresh_from_db()
        self.assertEqual(stocktake.status, StocktakeStatus.APPROVED)
        self.assertEqual(tv.status, AssetStatus.AWAITING_DISPOSAL)

    def test_a_scan_after_closing_is_refused_with_a_message(self):
        stocktake = services.stocktake_create(
            actor=self.assetkeeper, school=self.school_a, name="抽查", places=[self.room]
        )
        services.stocktake_close(actor=self.assetkeeper, stocktake=stocktake)
        self.login(self.assetkeeper)
        response = self.client.post(
            reverse("assets:stocktake_scan", args=[stocktake.pk]), {"asset_no": self.pc.asset_no}, follow=True
        )
        self.assertContains(response, self.pc.asset_no.split("-")[0])
        self.assertEqual(stocktake.lines.get(asset=self.pc).result, "missing")


class ReportPageTests(AssetViewTestCase):
    def test_depreciation_page_and_export(self):
        self.login(self.accountant)
        response = self.client.get(reverse("assets:depreciation"), {"on": "2025-12-31"})
        self.assertEqual([r.asset for r in response.context["rows"]], [self.pc])
        export = self.client.get(reverse("assets:depreciation"), {"on": "2025-12-31", "export": "xlsx"})
        self.assertEqual(export["Content-Type"], XLSX)

    def test_annual_report_counts_additions_by_class(self):
        self.login(self.principal)
        report = self.client.get(reverse("assets:annual_report"), {"year": "2025"}).context["report"]
        self.assertEqual([(r["asset_class"], r["count"]) for r in report["added"]], [("fixed", 1)])
        self.assertFalse(report["full_stocktake_done"])


class EveryPageRendersTests(AssetViewTestCase):
    def test_every_page_renders_for_the_keeper_and_the_approver(self):
        transfer = services.transfer_request(actor=self.assetkeeper, asset=self.pc, to_place=self.office, reason="x")
        old = make_asset(self.assetkeeper, "旧电脑", acquired_on=dt.date(2012, 9, 1))
        disposal = services.disposal_request(
            actor=self.assetkeeper, assets=[old], reason="坏", collective_decision="纪要"
        )
        stocktake = services.stocktake_create(
            actor=self.assetkeeper, school=self.school_a, name="抽查", places=[self.room]
        )
        pages = [
            reverse("assets:asset_list"),
            reverse("assets:asset_create"),
            reverse("assets:my_assets"),
            self.pc.get_absolute_url(),
            reverse("assets:transfer_list") + "?scope=all",
            transfer.get_absolute_url(),
            reverse("assets:loan_list") + "?scope=all",
            reverse("assets:disposal_list"),
            disposal.get_absolute_url(),
            reverse("assets:stocktake_list"),
            reverse("assets:stocktake_create"),
            stocktake.get_absolute_url(),
            reverse("assets:depreciation"),
            reverse("assets:annual_report"),
            reverse("assets:transfer_create", args=[old.pk]),
            reverse("assets:loan_create", args=[self.pc.pk]),
            reverse("assets:disposal_create", args=[self.pc.pk]),
        ]
        for user in (self.assetkeeper, self.logistics):
            self.login(user)
            for url in pages:
                with self.subTest(user=user.username, url=url):
                    self.assertIn(self.client.get(url).status_code, (200, 403))
        services.stocktake_close(actor=self.assetkeeper, stocktake=stocktake)
        self.assertEqual(self.client.get(stocktake.get_absolute_url()).status_code, 200)


class ImportPageTests(AssetViewTestCase):
    def test_preview_then_confirm_imports_the_ledger(self):
        upload = xlsx_upload(
            [
                ["资产台账（2019年）"],
                ["资产编号", "资产名称", "单价", "购置日期", "经费来源", "存放地点", "使用年限"],
                ["GZ-001", "钢琴", "¥16,800.00", "2019.09", "财政", "101", "１０年"],
                [],
                ["合计", "", "16800"],
            ]
        )
        self.login(self.assetkeeper)
        preview = self.client.post(reverse("assets:asset_import"), {"file": upload})
        self.assertEqual(preview.status_code, 200)
        self.assertEqual((preview.context["result"].rows, preview.context["result"].errors), (1, []))
        self.assertFalse(Asset.objects.filter(asset_no="GZ-001").exists())
        confirmed = self.client.post(reverse("assets:asset_import"), {"confirm": "1"})
        self.assertRedirects(confirmed, reverse("assets:asset_list"))
        piano = Asset.objects.get(asset_no="GZ-001")
        self.assertEqual((piano.place, piano.useful_life_months, str(piano.unit_price)), (self.room, 120, "16800.00"))
