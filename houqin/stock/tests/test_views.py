from decimal import Decimal

from django.urls import reverse

from houqin.core.testing import HouqinTestCase
from houqin.orgs.models import Person
from houqin.stock import services
from houqin.stock.choices import RequisitionStatus
from houqin.stock.models import Requisition
from houqin.stock.tests.factories import make_item


class StockViewTestCase(HouqinTestCase):
    def setUp(self):
        self.paper = make_item(self.school_a, balance=50, min_quantity=Decimal("60"))
        self.other_school_item = make_item(self.school_b, balance=5)
        self.teacher.person = Person.objects.create(school=self.school_a, name="何老师")
        self.teacher.save()

    def login(self, user):
        self.client.force_login(user, backend="houqin.accounts.backends.RoleBackend")


class ItemPageTests(StockViewTestCase):
    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(reverse("stock:item_list"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_teacher_sees_the_list_but_cannot_add_items(self):
        self.login(self.teacher)
        self.assertContains(self.client.get(reverse("stock:item_list")), "A4复印纸")
        self.assertEqual(self.client.get(reverse("stock:item_create")).status_code, 403)

    def test_another_schools_item_is_404(self):
        self.login(self.assetkeeper)
        self.assertEqual(
            self.client.get(reverse("stock:item_detail", args=[self.other_school_item.pk])).status_code, 404
        )

    def test_list_hides_other_schools_items(self):
        self.login(self.assetkeeper)
        response = self.client.get(reverse("stock:item_list"))
        self.assertEqual(list(response.context["object_list"]), [self.paper])

    def test_storekeeper_creates_an_item(self):
        self.login(self.assetkeeper)
        response = self.client.post(
            reverse("stock:item_create"),
            {
                "name": "粉笔",
                "spec": "白色",
                "unit": "盒",
                "category": "teaching",
                "amortisation": "one_off",
                "min_quantity": "10",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(self.paper.__class__.objects.filter(school=self.school_a, name="粉笔").exists())

    def test_receipt_form_raises_the_balance(self):
        self.login(self.assetkeeper)
        response = self.client.post(
            reverse("stock:item_receive", args=[self.paper.pk]),
            {"quantity": "20", "unit_price": "21.5", "supplier_name": "文具店"},
        )
        self.assertRedirects(response, self.paper.get_absolute_url())
        self.paper.refresh_from_db()
        self.assertEqual(self.paper.balance, Decimal("70"))

    def test_receipt_is_post_only_and_needs_the_permission(self):
        self.login(self.teacher)
        url = reverse("stock:item_receive", args=[self.paper.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertEqual(self.client.post(url, {"quantity": "1", "unit_price": "1"}).status_code, 403)

    def test_low_filter_and_export(self):
        self.login(self.assetkeeper)
        response = self.client.get(reverse("stock:item_list"), {"low": "true"})
        self.assertEqual(list(response.context["object_list"]), [self.paper])
        export = self.client.get(reverse("stock:item_list"), {"export": "xlsx"})
        self.assertEqual(
            export["Content-Type"].split(";")[0], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    def test_list_query_count_does_not_grow_with_rows(self):
        self.login(self.assetkeeper)
        self.client.get(reverse("stock:item_list"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("stock:item_list"))
        for n in range(30):
            make_item(self.school_a, name=f"物品{n}", balance=1)
        with CaptureQueriesContext(connection) as many:
            self.client.get(reverse("stock:item_list"))
        self.assertEqual(len(few), len(many))


class RequisitionPageTests(StockViewTestCase):
    def test_teacher_submits_a_requisition_from_the_form(self):
        self.login(self.teacher)
        response = self.client.post(
            reverse("stock:requisition_create"),
            {
                "purpose": "期中考试",
                "receiver": self.teacher.person.pk,
                "form-TOTAL_FORMS": "2",
                "form-INITIAL_FORMS": "0",
                "form-0-item": self.paper.pk,
                "form-0-quantity": "5",
                "form-1-item": "",
                "form-1-quantity": "",
            },
        )
        requisition = Requisition.objects.get(school=self.school_a)
        self.assertRedirects(response, requisition.get_absolute_url())
        self.assertEqual(requisition.lines.get().quantity, Decimal("5"))

    def test_a_line_without_quantity_is_shown_beside_the_field(self):
        self.login(self.teacher)
        response = self.client.post(
            reverse("stock:requisition_create"),
            {
                "purpose": "期中考试",
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "0",
                "form-0-item": self.paper.pk,
                "form-0-quantity": "",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Requisition.objects.exists())
        self.assertTrue(response.context["formset"].forms[0].errors)

    def test_storekeeper_issues_from_the_detail_page(self):
        requisition = services.requisition_create(
            actor=self.teacher, lines=[(self.paper, Decimal("5"))], purpose="考试"
        )
        self.login(self.assetkeeper)
        detail = self.client.get(requisition.get_absolute_url())
        self.assertTrue(detail.context["can_issue"])
        self.client.post(reverse("stock:requisition_issue", args=[requisition.pk]))
        requisition.refresh_from_db()
        self.assertEqual(requisition.status, RequisitionStatus.ISSUED)

    def test_shortage_is_reported_as_a_message_and_nothing_changes(self):
        requisition = services.requisition_create(
            actor=self.teacher, lines=[(self.paper, Decimal("500"))], purpose="考试"
        )
        self.login(self.assetkeeper)
        response = self.client.post(reverse("stock:requisition_issue", args=[requisition.pk]), follow=True)
        self.assertContains(response, "A4复印纸")
        requisition.refresh_from_db()
        self.assertEqual(requisition.status, RequisitionStatus.PENDING)

    def test_teacher_cannot_issue(self):
        requisition = services.requisition_create(
            actor=self.teacher, lines=[(self.paper, Decimal("5"))], purpose="考试"
        )
        self.login(self.headteacher)
        self.assertEqual(self.client.post(reverse("stock:requisition_issue", args=[requisition.pk])).status_code, 403)

    def test_other_school_cannot_see_a_requisition(self):
        requisition = services.requisition_create(
            actor=self.teacher, lines=[(self.paper, Decimal("5"))], purpose="考试"
        )
        self.login(self.assetkeeper_b)
        self.assertEqual(self.client.get(requisition.get_absolute_url()).status_code, 404)

    def test_batch_issue_page_issues_to_a_department(self):
        people = [
            Person.objects.create(school=self.school_a, name=f"老师{n}", department=self.department_a) for n in range(3)
        ]
        self.login(self.assetkeeper)
        response = self.client.post(
            reverse("stock:batch_issue"),
            {
                "purpose": "开学办公用品",
                "department": self.department_a.pk,
                "lines-TOTAL_FORMS": "1",
                "lines-INITIAL_FORMS": "0",
                "lines-0-item": self.paper.pk,
                "lines-0-quantity": "2",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Requisition.objects.filter(receiver__in=people, status=RequisitionStatus.ISSUED).count(), 3)

    def test_home_page_shows_low_stock_to_the_storekeeper(self):
        self.login(self.assetkeeper)
        response = self.client.get(reverse("core:home"))
        titles = [item.title for item in response.context["today_items"]]
        from houqin.stock.today import items_for

        self.assertEqual(titles, [item.title for item in items_for(self.assetkeeper)])
        self.assertTrue(any(item.count == 1 for item in response.context["today_items"]))
