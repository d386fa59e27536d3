"""The canteen manager records the day's food samples on a phone and sees the dashboard turn compliant; the
principal records 陪餐; a parent reads the published menu without logging in, comments, and reads the reply; the
canteen manager records a purchase inspection, a fridge temperature and a food incident on a phone, and sees the
semester's dining committee."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from houqin.canteen import services
from houqin.canteen.models import AccompaniedMeal, Delivery, Feedback, FoodIncident, FridgeReading, Sample
from houqin.canteen.tests.factories import leader_person, person, published_menu, supplier
from houqin.core.testing import PASSWORD, build_cast
from houqin.orgs.models import SchoolClass, Semester
from tests.browser.test_flows import expect_no_sideways_scrolling, log_in, open_page_from_menu, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast():
    cast = SimpleNamespace()
    build_cast(cast)
    cast.menu = published_menu(cast.canteen, cast.school_a, timezone.localdate(), {"lunch": ["熘肉段", "清炒菠菜"]})
    cache.clear()
    return cast


def record_sample(page, dish):
    page.get_by_test_id("record-sample").click()
    page.select_option("#id_meal", "lunch")
    page.fill("#id_dish", dish)
    page.fill("#id_weight_g", "150")
    page.fill("#id_fridge", "留样柜1")
    page.get_by_test_id("save").click()


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_the_canteen_manager_records_samples_on_a_phone(site, cast):
    page = site.page
    site.go("/")
    log_in(site, "canteen", PASSWORD)
    open_page_from_menu(site, "canteen:dashboard")
    lunch = page.locator('[data-meal="lunch"]')
    expect(lunch.get_by_test_id("non-compliant")).to_be_visible()

    record_sample(page, "熘肉段")
    expect_no_sideways_scrolling(site)
    expect(lunch.get_by_test_id("non-compliant")).to_be_visible()
    page.get_by_test_id("record-sample").click()
    page.select_option("#id_meal", "lunch")
    page.fill("#id_dish", "清炒菠菜")
    page.fill("#id_weight_g", "100")  # under 125 g: refused, stays on the form
    page.get_by_test_id("save").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("125")
    site.shoot("canteen-samples")
    page.fill("#id_weight_g", "130")
    page.get_by_test_id("save").click()
    expect(lunch.get_by_test_id("compliant")).to_be_visible()
    expect_no_sideways_scrolling(site)
    site.shoot("canteen-dashboard")
    assert sorted(Sample.objects.values_list("dish", flat=True)) == ["清炒菠菜", "熘肉段"]


def test_the_principal_records_accompanied_meal(site, cast):
    leader_person(cast.principal)
    page = site.page
    site.go("/")
    log_in(site, "principal", PASSWORD)
    open_page_from_menu(site, "canteen:accompanied_list")
    page.get_by_test_id("add-button").click()
    page.select_option("#id_meal", "lunch")
    page.fill("#id_feedback", "熘肉段偏咸，菠菜新鲜")
    page.select_option("#id_rectification", "open")
    page.fill("#id_follow_up", "已通知厨师减盐")
    page.get_by_test_id("save").click()
    expect(page.locator("[data-row=item]")).to_contain_text("熘肉段偏咸")
    expect_no_sideways_scrolling(site)
    site.shoot("canteen-accompanied")
    record = AccompaniedMeal.objects.get()
    assert record.leader == cast.principal.person and record.rectification == "open"


def test_a_parent_comments_on_the_public_menu_and_reads_the_reply(site, cast):
    page = site.page
    public = reverse("canteen:public_menu", args=[services.profile_for(cast.school_a).public_token])
    site.go(public)
    expect(page.get_by_test_id("public-menu")).to_contain_text("熘肉段")
    expect_no_sideways_scrolling(site)
    page.select_option("#id_dish", label=f"{timezone.localdate():%m-%d} 午餐 熘肉段")
    page.fill("#id_text", "为什么在熘肉段里放胡萝卜")
    page.get_by_test_id("send").click()
    page.wait_for_url(f"**{public}")
    feedback = Feedback.objects.get()
    assert feedback.dish.name == "熘肉段"
    site.shoot("canteen-public-menu")

    site.go("/")
    log_in(site, "canteen", PASSWORD)
    open_page_from_menu(site, "canteen:feedback_list")
    form = page.get_by_test_id("reply-form")
    form.locator("textarea").fill("胡萝卜富含维生素A，搭配肉类更利于吸收。")
    form.get_by_test_id("reply").click()
    expect(page.locator("[data-row=feedback]")).to_contain_text("胡萝卜富含")
    site.shoot("canteen-feedback")

    page.context.clear_cookies()
    site.go(public)
    expect(page.get_by_test_id("replies")).to_contain_text("胡萝卜富含维生素A")


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_the_canteen_manager_records_a_purchase_inspection_on_a_phone(site, cast):
    inspector = leader_person(cast.canteen)
    second = person(cast.school_a, "赵复核")
    firm = supplier(cast.school_a)
    page = site.page
    site.go("/")
    log_in(site, "canteen", PASSWORD)
    open_page_from_menu(site, "canteen:dashboard")
    page.get_by_test_id("record-delivery").click()
    expect(page.get_by_test_id("delivery-form")).to_be_visible()
    page.select_option("#id_supplier", str(firm.pk))
    expect(page.locator("#id_inspector")).to_have_value(str(inspector.pk))
    page.fill("#id_lines-0-name", "野生蘑菇")  # banned (C10): refused beside the line's name
    page.fill("#id_lines-0-quantity", "2")
    page.get_by_test_id("save").click()
    expect(page.locator("[data-row=line]").first.get_by_test_id("line-error")).to_contain_text("野生蘑菇")
    expect_no_sideways_scrolling(site)

    page.fill("#id_lines-0-name", "面粉")
    page.select_option("#id_lines-0-kind", "bulk")
    page.fill("#id_lines-0-spec", "25kg/袋")
    page.fill("#id_lines-0-quantity", "4")
    page.fill("#id_lines-0-unit", "袋")
    page.fill("#id_lines-0-batch", "M20260901")
    page.fill("#id_lines-0-production_date", f"{timezone.localdate():%Y-%m-%d}")
    page.fill("#id_lines-0-shelf_life_days", "180")
    page.fill("#id_lines-0-certificate", "合格证 HG-2026-0901")
    page.select_option("#id_second_inspector", str(second.pk))
    page.get_by_test_id("add-line").click()  # one more row, fetched with htmx
    expect(page.locator("#id_lines-3-name")).to_be_visible()
    page.fill("#id_lines-3-name", "鸡蛋")
    page.select_option("#id_lines-3-kind", "farm")
    page.fill("#id_lines-3-quantity", "2")
    page.fill("#id_lines-3-unit", "箱")
    page.fill("#id_lines-3-certificate", "检疫 J-7")
    page.evaluate("window.scrollTo(0, 0)")
    site.shoot("canteen-delivery-form")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("delivery-lines")).to_contain_text("合格证 HG-2026-0901")
    expect(page.get_by_test_id("delivery-lines")).to_contain_text("检疫 J-7")
    delivery = Delivery.objects.get()
    expect(page.get_by_test_id("keep-until")).to_have_text(f"{delivery.keep_until:%Y-%m-%d}")
    expect_no_sideways_scrolling(site)
    site.shoot("canteen-delivery-detail")
    assert delivery.second_inspector == second
    assert sorted(delivery.lines.values_list("name", flat=True)) == ["面粉", "鸡蛋"]


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_a_warm_fridge_and_a_food_incident_on_a_phone(site, cast):
    page = site.page
    site.go("/")
    log_in(site, "canteen", PASSWORD)
    open_page_from_menu(site, "canteen:dashboard")
    page.get_by_test_id("record-fridge").click()
    page.fill("#id_fridge", "留样柜1")
    page.fill("#id_celsius", "9.5")
    page.get_by_test_id("save").click()
    expect(page.locator("[data-out-of-range]")).to_contain_text("9.5")
    expect_no_sideways_scrolling(site)
    site.shoot("canteen-fridge")
    assert FridgeReading.objects.get().out_of_range

    open_page_from_menu(site, "canteen:incident_list")
    page.get_by_test_id("add-button").click()
    page.fill("#id_description", "3名学生午餐后腹痛")
    page.fill("#id_affected", "3")
    page.check("#id_samples_secured")
    page.get_by_test_id("save").click()
    form = page.get_by_test_id("incident-form")
    form.locator("#id_status").select_option("reported")
    form.get_by_test_id("save").click()  # no report time yet: refused beside the field
    expect(form.locator(".invalid-feedback")).to_be_visible()
    form.locator("#id_reported_at").fill(f"{timezone.localtime():%Y-%m-%dT%H:%M}")
    form.get_by_test_id("save").click()
    expect(page.get_by_test_id("incident-status")).to_have_text(zh("Reported"))
    expect_no_sideways_scrolling(site)
    site.shoot("canteen-incident")
    assert FoodIncident.objects.get().status == "reported"


def test_the_dining_committee_page(site, cast):
    semester = Semester.objects.create(
        district=cast.district, name="2026秋", starts_on=timezone.localdate() - dt.timedelta(days=120),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    for grade in range(1, 7):
        school_class = SchoolClass.objects.create(school=cast.school_a, name=f"{grade}年级1班", grade=grade, number=1)
        services.committee_member_add(
            actor=cast.canteen, school=cast.school_a, semester=semester, name=f"家长{grade}", school_class=school_class,
            declared_on=timezone.localdate(), interests="亲属为供应商员工" if grade == 3 else "",
        )  # fmt: skip
    page = site.page
    site.go("/")
    log_in(site, "canteen", PASSWORD)
    open_page_from_menu(site, "canteen:governance")
    expect(page.get_by_test_id("survey-overdue")).to_be_visible()
    expect(page.get_by_test_id("committee-incomplete")).to_be_visible()
    page.get_by_test_id("add-member").click()
    page.fill("#id_name", "王女士")
    page.select_option("#id_school_class", label="1年级1班")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("committee-complete")).to_be_visible()
    page.get_by_test_id("add-survey").click()
    page.fill("#id_respondents", "320")
    page.fill("#id_satisfied", "301")
    page.fill("#id_summary", "希望增加水果品种")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("surveys")).to_contain_text("94.1%")
    expect(page.get_by_test_id("survey-overdue")).to_have_count(0)
    expect_no_sideways_scrolling(site)
    site.shoot("canteen-governance")
