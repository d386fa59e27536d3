"""Stock counts (库存盘点, A18): book quantities frozen at the start, every difference explained, and closing posts
one adjustment per difference so the ledger and the count agree."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.urls import reverse

from houqin.core.models import AuditEvent
from houqin.stock import services
from houqin.stock.models import StockCount, StockItem, StockMovement
from houqin.stock.tests.factories import make_item
from houqin.stock.tests.test_services import StockTestCase


class CountTestCase(StockTestCase):
    def setUp(self):
        super().setUp()
        StockItem.objects.filter(pk=self.paper.pk).update(is_active=False)  # counts list the items in use


class CountServiceTests(CountTestCase):
    def setUp(self):
        super().setUp()
        self.pens = make_item(self.school_a, "签字笔", "支", balance="100")
        self.chalk = make_item(self.school_a, "粉笔", "盒", balance="30")
        make_item(self.school_a, "旧墨盒", "个", is_active=False)

    def start(self):
        return services.count_start(actor=self.assetkeeper, school=self.school_a, name="期末盘点")

    def test_the_count_lists_the_items_in_use_with_their_book_quantity(self):
        count = self.start()
        books = {line.item.name: line.book_quantity for line in count.lines.select_related("item")}
        self.assertEqual(books, {"签字笔": Decimal("100"), "粉笔": Decimal("30")})
        self.assertAudited(count, "stock.count.started", actor=self.assetkeeper)

    def test_closing_posts_each_explained_difference_as_one_adjustment(self):
        count = self.start()
        services.count_record(
            actor=self.assetkeeper,
            count=count,
            entries=[(self.pens.pk, Decimal("97"), "损坏 3 支"), (self.chalk.pk, Decimal("30"), "")],
        )
        services.count_close(actor=self.assetkeeper, count=count)
        self.pens.refresh_from_db()
        self.chalk.refresh_from_db()
        self.assertEqual((self.pens.balance, self.chalk.balance), (Decimal("97"), Decimal("30")))
        adjustment = StockMovement.objects.get(item=self.pens, kind="adjustment")
        self.assertEqual((adjustment.quantity, adjustment.reason), (Decimal("-3"), "损坏 3 支"))
        self.assertFalse(StockMovement.objects.filter(item=self.chalk, kind="adjustment").exists())
        ledger = StockMovement.objects.filter(item=self.pens).aggregate(total=Sum("quantity"))["total"]
        self.assertEqual(ledger, self.pens.balance)
        self.assertEqual(count.lines.get(item=self.pens).movement, adjustment)
        self.assertAudited(count, "stock.count.closed", actor=self.assetkeeper)

    def test_a_count_does_not_close_with_items_uncounted_or_differences_unexplained(self):
        count = self.start()
        services.count_record(actor=self.assetkeeper, count=count, entries=[(self.pens.pk, Decimal("101"), "")])
        with self.assertRaises(ValidationError) as refused:
            services.count_close(actor=self.assetkeeper, count=count)
        self.assertIn("粉笔", str(refused.exception))
        services.count_record(actor=self.assetkeeper, count=count, entries=[(self.chalk.pk, Decimal("30"), "")])
        with self.assertRaises(ValidationError) as refused:
            services.count_close(actor=self.assetkeeper, count=count)
        self.assertIn("签字笔", str(refused.exception))
        self.assertFalse(StockMovement.objects.filter(kind="adjustment").exists())
        self.assertEqual(StockCount.objects.get().status, "open")

    def test_a_bad_line_saves_nothing(self):
        count = self.start()
        with self.assertRaises(ValidationError) as refused:
            services.count_record(
                actor=self.assetkeeper,
                count=count,
                entries=[(self.pens.pk, Decimal("90"), "丢失"), (self.chalk.pk, Decimal("-1"), "")],
            )
        self.assertIn("2", str(refused.exception))  # the second line is named
        self.assertIsNone(count.lines.get(item=self.pens).counted_quantity)

    def test_a_closed_count_cannot_change_and_a_teacher_cannot_count(self):
        count = self.start()
        with self.assertRaises(PermissionDenied):
            services.count_record(actor=self.teacher, count=count, entries=[(self.pens.pk, Decimal("1"), "")])
        services.count_record(
            actor=self.assetkeeper, count=count, entries=[(self.pens.pk, 100, ""), (self.chalk.pk, 30, "")]
        )
        services.count_close(actor=self.assetkeeper, count=count)
        with self.assertRaises(ValidationError):
            services.count_record(actor=self.assetkeeper, count=count, entries=[(self.pens.pk, Decimal("1"), "x")])

    def test_two_thousand_lines_close_in_one_transaction_with_one_audit_event(self):
        items = StockItem.objects.bulk_create(
            [StockItem(school=self.school_a, name=f"物品{n}", unit="个") for n in range(2000)]
        )
        count = services.count_start(actor=self.assetkeeper, school=self.school_a, name="大盘点", items=items)
        services.count_record(
            actor=self.assetkeeper, count=count, entries=[(item.pk, Decimal("2"), "盘盈") for item in items]
        )
        events_before = AuditEvent.objects.count()
        services.count_close(actor=self.assetkeeper, count=count)
        self.assertEqual(StockMovement.objects.filter(kind="adjustment").count(), 2000)
        self.assertEqual(AuditEvent.objects.count(), events_before + 1)


class CountPageTests(CountTestCase):
    def setUp(self):
        super().setUp()
        self.pens = make_item(self.school_a, "签字笔", "支", balance="100")

    def test_count_on_the_sheet_then_close(self):
        self.client.force_login(self.assetkeeper, backend="houqin.accounts.backends.RoleBackend")
        created = self.client.post(reverse("stock:count_create"), {"name": "十一月盘点"})
        count = StockCount.objects.get()
        self.assertRedirects(created, count.get_absolute_url())
        sheet = self.client.get(count.get_absolute_url())
        self.assertContains(sheet, 'data-testid="count-sheet"')
        record = reverse("stock:count_record", args=[count.pk])
        bad = self.client.post(record, {"item": [self.pens.pk], f"counted_{self.pens.pk}": "九十"}, follow=True)
        self.assertContains(bad, "九十")
        self.client.post(
            record, {"item": [self.pens.pk], f"counted_{self.pens.pk}": "98", f"reason_{self.pens.pk}": "丢失"}
        )
        self.client.post(reverse("stock:count_close", args=[count.pk]))
        self.pens.refresh_from_db()
        self.assertEqual(self.pens.balance, Decimal("98"))

    def test_the_sheet_narrows_to_items_by_name_or_pinyin_initials(self):
        make_item(self.school_a, "粉笔", "盒", balance="30")
        count = services.count_start(actor=self.assetkeeper, school=self.school_a, name="盘点")
        self.client.force_login(self.assetkeeper, backend="houqin.accounts.backends.RoleBackend")
        sheet = self.client.get(count.get_absolute_url(), {"q": "qzb"})
        self.assertEqual([line.item.name for line in sheet.context["lines"]], ["签字笔"])
        self.assertEqual(sheet.context["totals"]["all"], 2)

    def test_a_teacher_gets_403_and_another_school_404(self):
        count = services.count_start(actor=self.assetkeeper, school=self.school_a, name="盘点")
        self.client.force_login(self.teacher, backend="houqin.accounts.backends.RoleBackend")
        self.assertEqual(self.client.get(reverse("stock:count_list")).status_code, 403)
        self.client.force_login(self.assetkeeper_b, backend="houqin.accounts.backends.RoleBackend")
        self.assertEqual(self.client.get(count.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.post(reverse("stock:count_close", args=[count.pk])).status_code, 404)


class CountApiTests(CountTestCase):
    def test_start_record_close(self):
        pens = make_item(self.school_a, "签字笔", "支", balance="10")
        api = self.api(self.assetkeeper)
        started = api.post("/api/stock/counts", {"name": "月末盘点"}, content_type="application/json")
        self.assertEqual(started.status_code, 201, started.content)
        count_id = started.json()["id"]
        entries = [{"item_id": pens.pk, "counted_quantity": "12", "reason": "上次漏记入库"}]
        recorded = api.post(f"/api/stock/counts/{count_id}/lines", entries, content_type="application/json")
        self.assertEqual(recorded.json()["lines"][0]["difference"], "2.00")
        closed = api.post(f"/api/stock/counts/{count_id}/close")
        self.assertEqual(closed.json()["status"], "closed")
        self.assertEqual(self.api(self.assetkeeper_b).get(f"/api/stock/counts/{count_id}").status_code, 404)
