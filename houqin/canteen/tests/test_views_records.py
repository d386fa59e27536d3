"""Pages of the canteen records: purchase inspection, fridge temperatures, parent 陪餐, meal counts and prices,
food incidents. Each: 403 without the role, 404 across schools, and the happy path."""

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from houqin.canteen import services
from houqin.canteen.models import (
    Delivery,
    DeliveryLine,
    FoodIncident,
    FridgeReading,
    MealCount,
    ParentMeal,
    PriceChange,
)
from houqin.canteen.tests.factories import person, supplier
from houqin.core.testing import HouqinTestCase
from houqin.orgs.models import SchoolClass, Tenant

LISTS = ("delivery_list", "fridge_list", "parent_meal_list", "meal_count_list", "price_change_list", "incident_list")
FORMS = (
    "delivery_create", "fridge_create", "parent_meal_create", "meal_count_create", "price_change_create",
    "incident_create",
)  # fmt: skip


def line(**values):
    return {
        "name": "大米", "kind": "prepackaged", "spec": "25kg/袋", "quantity": "4", "unit": "袋", "batch": "B20260901",
        "production_date": "", "shelf_life_days": "", "certificate": "合格证 HG-01", **values,
    }  # fmt: skip


def delivery_post(supplier_id, inspector_id, second_id="", lines=(), **head):
    data = {
        "supplier": supplier_id, "purchased_on": f"{timezone.localdate():%Y-%m-%d}", "inspector": inspector_id,
        "second_inspector": second_id, "lines-TOTAL_FORMS": str(max(3, len(lines))), "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "50", **head,
    }  # fmt: skip
    for index in range(max(3, len(lines))):
        values = lines[index] if index < len(lines) else {"kind": "prepackaged", "unit": "kg"}
        for key, value in values.items():
            data[f"lines-{index}-{key}"] = value
    return data


class CanteenRecordPageTests(HouqinTestCase):
    def client_for(self, user):
        client = Client()
        client.force_login(user, backend="houqin.accounts.backends.RoleBackend")
        return client

    def test_pages_open_for_the_canteen_manager_and_a_teacher_gets_403(self):
        manager, teacher = self.client_for(self.canteen), self.client_for(self.teacher)
        for name in LISTS + FORMS:
            with self.subTest(name=name):
                self.assertEqual(manager.get(reverse(f"canteen:{name}")).status_code, 200)
                self.assertEqual(teacher.get(reverse(f"canteen:{name}")).status_code, 403)
        for name in LISTS:
            with self.subTest(export=name):
                self.assertEqual(manager.get(reverse(f"canteen:{name}") + "?export=xlsx").status_code, 200)
        dashboard = manager.get(reverse("canteen:dashboard"))
        self.assertContains(dashboard, reverse("canteen:delivery_create"))
        self.assertContains(dashboard, reverse("canteen:incident_create"))

    def test_the_accountant_sees_meal_counts_but_cannot_record_them(self):
        accountant = self.client_for(self.accountant)
        self.assertEqual(accountant.get(reverse("canteen:meal_count_list")).status_code, 200)
        self.assertEqual(accountant.get(reverse("canteen:meal_count_create")).status_code, 403)
        self.assertEqual(accountant.get(reverse("canteen:delivery_list")).status_code, 403)

    #
    # Purchase inspection
    #

    def test_recording_a_delivery_with_lines_and_opening_its_detail(self):
        client = self.client_for(self.canteen)
        firm, inspector = supplier(self.school_a), person(self.school_a, "李验收")
        lines = [line(), line(name="鸡蛋", kind="farm", unit="箱", quantity="2.5", batch="", certificate="检疫 J-7")]
        response = client.post(reverse("canteen:delivery_create"), delivery_post(firm.pk, inspector.pk, lines=lines))
        delivery = Delivery.objects.get()
        self.assertRedirects(response, reverse("canteen:delivery_detail", args=[delivery.pk]))
        self.assertEqual(sorted(delivery.lines.values_list("name", flat=True)), ["大米", "鸡蛋"])
        self.assertEqual(delivery.keep_until, services.add_months(timezone.localdate(), 24))
        self.assertAudited(delivery, "canteen.delivery.created", actor=self.canteen)
        page = client.get(reverse("canteen:delivery_detail", args=[delivery.pk]))
        self.assertContains(page, "检疫 J-7")
        self.assertContains(page, "2.5 箱")
        self.assertContains(page, "4 袋")
        self.assertContains(page, f"{delivery.keep_until:%Y-%m-%d}")
        listing = client.get(reverse("canteen:delivery_list"))
        self.assertContains(listing, reverse("canteen:delivery_detail", args=[delivery.pk]))

    def test_bulk_ingredients_need_a_second_inspector_beside_the_field(self):
        client = self.client_for(self.canteen)
        firm, inspector = supplier(self.school_a), person(self.school_a, "李验收")
        data = delivery_post(firm.pk, inspector.pk, lines=[line(name="面粉", kind="bulk")])
        response = client.post(reverse("canteen:delivery_create"), data)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["form"].errors["second_inspector"], [services._(services.TWO_INSPECTORS)])
        self.assertFalse(Delivery.objects.exists())
        second = person(self.school_a, "赵复核")
        data["second_inspector"] = second.pk
        self.assertEqual(client.post(reverse("canteen:delivery_create"), data).status_code, 302)

    def test_a_banned_item_or_nitrite_is_refused_beside_its_line(self):
        client = self.client_for(self.canteen)
        firm, inspector = supplier(self.school_a), person(self.school_a, "李验收")
        for name, fragment in (("亚硝酸钠", "亚硝酸盐"), ("野生蘑菇", "野生蘑菇")):
            with self.subTest(name=name):
                data = delivery_post(
                    firm.pk, inspector.pk, lines=[{"kind": "prepackaged", "unit": "kg"}, line(name=name)]
                )
                response = client.post(reverse("canteen:delivery_create"), data)
                self.assertEqual(response.status_code, 200)
                errors = response.context["formset"].forms[1].errors["name"]
                self.assertIn(fragment, errors[0])
        self.assertFalse(DeliveryLine.objects.exists())

    def test_an_expired_licence_is_refused_beside_the_supplier(self):
        client = self.client_for(self.canteen)
        firm = supplier(self.school_a, expires_on=timezone.localdate() - dt.timedelta(days=1))
        inspector = person(self.school_a, "李验收")
        response = client.post(reverse("canteen:delivery_create"), delivery_post(firm.pk, inspector.pk, lines=[line()]))
        self.assertIn("supplier", response.context["form"].errors)
        self.assertFalse(Delivery.objects.exists())

    def test_no_line_is_refused(self):
        client = self.client_for(self.canteen)
        firm, inspector = supplier(self.school_a), person(self.school_a, "李验收")
        response = client.post(reverse("canteen:delivery_create"), delivery_post(firm.pk, inspector.pk))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].non_field_errors())

    def test_another_schools_supplier_or_delivery_is_out_of_reach(self):
        client = self.client_for(self.canteen)
        other = supplier(self.school_b)
        inspector = person(self.school_a, "李验收")
        response = client.post(
            reverse("canteen:delivery_create"), delivery_post(other.pk, inspector.pk, lines=[line()])
        )
        self.assertIn("supplier", response.context["form"].errors)
        theirs = services.delivery_record(
            actor=self.canteen_b, school=self.school_b, supplier=other, purchased_on=timezone.localdate(),
            inspector=person(self.school_b), lines=[{"name": "大米", "quantity": Decimal(1), "unit": "袋", "kind": "prepackaged"}],
        )  # fmt: skip
        self.assertEqual(client.get(reverse("canteen:delivery_detail", args=[theirs.pk])).status_code, 404)
        self.assertEqual(client.post(reverse("canteen:delivery_delete", args=[theirs.pk])).status_code, 404)
        self.assertEqual(
            self.client_for(self.teacher).get(reverse("canteen:delivery_detail", args=[theirs.pk])).status_code, 403
        )

    def test_the_add_line_row_comes_with_the_new_count(self):
        response = self.client_for(self.canteen).get(reverse("canteen:delivery_line_row") + "?lines-TOTAL_FORMS=3")
        self.assertContains(response, 'name="lines-3-name"')
        self.assertContains(response, 'value="4" hx-swap-oob="true"')

    #
    # Fridge readings
    #

    def test_fridge_readings_are_recorded_and_out_of_range_flagged(self):
        client = self.client_for(self.canteen)
        now = f"{timezone.localtime():%Y-%m-%dT%H:%M}"
        self.assertRedirects(
            client.post(reverse("canteen:fridge_create"), {"fridge": "留样柜1", "celsius": "4.5", "read_at": now}),
            reverse("canteen:fridge_list"),
        )
        client.post(reverse("canteen:fridge_create"), {"fridge": "留样柜1", "celsius": "11", "read_at": ""})
        self.assertEqual(
            list(FridgeReading.objects.order_by("celsius").values_list("out_of_range", flat=True)), [False, True]
        )
        page = client.get(reverse("canteen:fridge_list") + f"?fridge=留样柜&day={timezone.localdate():%Y-%m-%d}")
        self.assertContains(page, 'data-out-of-range="1"', count=1)
        only = client.get(reverse("canteen:fridge_list") + "?out_of_range=on")
        self.assertEqual(len(only.context["rows"]), 1)
        self.assertContains(client.get(reverse("canteen:dashboard")), "11.0")
        theirs = services.fridge_reading_record(
            actor=self.canteen_b, school=self.school_b, fridge="B柜", celsius=Decimal(3)
        )
        self.assertNotContains(client.get(reverse("canteen:fridge_list")), "B柜")
        self.assertTrue(theirs.pk)

    #
    # Parent 陪餐
    #

    def test_a_parent_meal_is_recorded_only_for_a_class_of_the_school(self):
        client = self.client_for(self.canteen)
        mine = SchoolClass.objects.create(school=self.school_a, name="三年级2班", grade=3, number=2)
        theirs = SchoolClass.objects.create(school=self.school_b, name="三年级1班", grade=3, number=1)
        data = {"parent_name": "王女士", "meal_date": f"{timezone.localdate():%Y-%m-%d}", "meal": "lunch",
                "price_paid": "12.00", "feedback": "饭菜偏咸", "school_response": "已调整"}  # fmt: skip
        refused = client.post(reverse("canteen:parent_meal_create"), {**data, "school_class": theirs.pk})
        self.assertEqual(refused.status_code, 200)
        self.assertFalse(ParentMeal.objects.exists())
        saved = client.post(reverse("canteen:parent_meal_create"), {**data, "school_class": mine.pk})
        self.assertRedirects(saved, reverse("canteen:parent_meal_list"))
        self.assertContains(client.get(reverse("canteen:parent_meal_list")), "王女士")
        self.assertNotContains(client.get(reverse("canteen:accompanied_list")), "王女士")
        self.assertEqual(self.client_for(self.principal).get(reverse("canteen:parent_meal_create")).status_code, 200)

    #
    # Meal counts and prices
    #

    def test_tenant_meals_offset_against_rent_are_shown(self):
        client = self.client_for(self.canteen)
        cooks = Tenant.objects.create(school=self.school_a, name="鸿福厨师培训学校")
        other = Tenant.objects.create(school=self.school_b, name="邻校商铺")
        month = f"{timezone.localdate().replace(day=1):%Y-%m-%d}"
        data = {"month": month, "tenant": cooks.pk, "diners": 37, "meals": 1554, "unit_price": "8.00",
                "offset_against_rent": "on"}  # fmt: skip
        self.assertRedirects(
            client.post(reverse("canteen:meal_count_create"), data), reverse("canteen:meal_count_list")
        )
        staff = {**data, "tenant": "", "diners": 60}
        refused = client.post(reverse("canteen:meal_count_create"), staff)
        self.assertContains(refused, services._(services.TENANT_NEEDED))
        staff.pop("offset_against_rent")
        client.post(reverse("canteen:meal_count_create"), staff)
        self.assertEqual(
            client.post(reverse("canteen:meal_count_create"), {**data, "tenant": other.pk}).status_code, 200
        )
        self.assertEqual(MealCount.objects.count(), 2)
        page = client.get(reverse("canteen:meal_count_list"))
        self.assertContains(page, "鸿福厨师培训学校")
        self.assertEqual(page.context["offsets"][0]["total_amount"], Decimal("12432.00"))
        self.assertEqual(page.context["offsets"][0]["most_diners"], 37)

    def test_a_price_change_is_published_before_it_applies(self):
        client = self.client_for(self.canteen)
        today = timezone.localdate()
        data = {"meal": "lunch", "new_price": "13.00", "effective_on": f"{today:%Y-%m-%d}",
                "published_on": f"{today + dt.timedelta(days=1):%Y-%m-%d}", "decision_record": "膳食委员会会议纪要"}  # fmt: skip
        late = client.post(reverse("canteen:price_change_create"), data)
        self.assertIn("published_on", late.context["form"].errors)
        data["published_on"] = f"{today - dt.timedelta(days=7):%Y-%m-%d}"
        self.assertRedirects(
            client.post(reverse("canteen:price_change_create"), data), reverse("canteen:price_change_list")
        )
        self.assertEqual(PriceChange.objects.get().new_price, Decimal("13.00"))
        self.assertContains(
            self.client_for(self.accountant).get(reverse("canteen:price_change_list")), "膳食委员会会议纪要"
        )

    #
    # Food incidents
    #

    def test_an_incident_is_reported_then_followed_up(self):
        client = self.client_for(self.canteen)
        occurred = timezone.localtime() - dt.timedelta(hours=2)
        data = {"meal_date": f"{occurred:%Y-%m-%d}", "meal": "lunch", "occurred_at": f"{occurred:%Y-%m-%dT%H:%M}",
                "description": "3名学生午餐后腹痛", "affected": 3, "samples_secured": "on"}  # fmt: skip
        response = client.post(reverse("canteen:incident_create"), data)
        incident = FoodIncident.objects.get()
        self.assertRedirects(response, reverse("canteen:incident_detail", args=[incident.pk]))
        self.assertContains(
            client.get(reverse("canteen:dashboard")), reverse("canteen:incident_detail", args=[incident.pk])
        )
        url = reverse("canteen:incident_update", args=[incident.pk])
        refused = client.post(url, {"status": "reported", "reported_at": "", "samples_secured": "on"})
        self.assertIn("reported_at", refused.context["form"].errors)
        incident.refresh_from_db()
        self.assertEqual(incident.status, "open")
        reported = f"{timezone.localtime() - dt.timedelta(hours=1):%Y-%m-%dT%H:%M}"
        ok = client.post(url, {"status": "reported", "reported_at": reported, "samples_secured": "on"})
        self.assertRedirects(ok, reverse("canteen:incident_detail", args=[incident.pk]))
        incident.refresh_from_db()
        self.assertEqual(incident.status, "reported")
        self.assertIsNotNone(incident.reported_at)
        self.assertAudited(incident, "canteen.foodincident.updated", actor=self.canteen)

    def test_another_schools_incident_is_404_and_a_teacher_403(self):
        theirs = services.incident_open(
            actor=self.canteen_b, school=self.school_b, meal_date=timezone.localdate(), meal="lunch",
            occurred_at=timezone.now(), description="腹泻",
        )  # fmt: skip
        client = self.client_for(self.canteen)
        self.assertEqual(client.get(reverse("canteen:incident_detail", args=[theirs.pk])).status_code, 404)
        self.assertEqual(
            client.post(reverse("canteen:incident_update", args=[theirs.pk]), {"status": "open"}).status_code, 404
        )
        teacher = self.client_for(self.teacher)
        self.assertEqual(teacher.get(reverse("canteen:incident_detail", args=[theirs.pk])).status_code, 403)
        self.assertEqual(
            teacher.post(reverse("canteen:incident_update", args=[theirs.pk]), {"status": "open"}).status_code, 403
        )
