"""Consumables on a phone: a teacher asks for paper, the storekeeper issues it from the waiting list, the teacher
confirms receipt; the balance falls by what was issued."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from houqin.core.testing import PASSWORD, build_cast
from houqin.orgs.models import Person
from houqin.stock.models import Requisition, StockItem
from houqin.stock.tests.factories import make_item
from tests.browser.test_flows import expect_no_sideways_scrolling, log_in, open_page_from_menu
from tests.browser.test_procurement import log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast():
    cast = SimpleNamespace()
    build_cast(cast)
    cast.paper = make_item(cast.school_a, name="A4复印纸", unit="包", balance=30)
    cast.teacher.person = Person.objects.create(school=cast.school_a, name="何老师")
    cast.teacher.save()
    return cast


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_a_teacher_requests_paper_the_storekeeper_issues_it_and_the_teacher_signs(site, cast):
    page = site.page
    site.go("/")
    log_in(site, "teacher", PASSWORD)
    open_page_from_menu(site, "stock:requisition_create")
    page.fill("#id_purpose", "期中考试试卷印制")
    page.select_option("#id_form-0-item", str(cast.paper.pk))
    page.fill("#id_form-0-quantity", "12")
    expect_no_sideways_scrolling(site)
    page.get_by_test_id("requisition-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("status")).to_be_visible()
    requisition = Requisition.objects.get()
    log_out(site)

    log_in(site, "assetkeeper", PASSWORD)
    site.go("/stock/requisitions/?scope=waiting")
    page.locator("[data-row=requisition]").first.click()
    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("issue")).to_have_count(0)
    expect_no_sideways_scrolling(site)
    assert StockItem.objects.get(pk=cast.paper.pk).balance == Decimal("18")
    log_out(site)

    log_in(site, "teacher", PASSWORD)
    site.go(requisition.get_absolute_url())
    page.get_by_test_id("receive").click()
    expect(page.get_by_test_id("receive")).to_have_count(0)
    requisition.refresh_from_db()
    assert requisition.status == "received"


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_the_storekeeper_counts_the_store_on_a_phone_and_the_difference_reaches_the_ledger(site, cast):
    page = site.page
    site.go("/")
    log_in(site, "assetkeeper", PASSWORD)
    open_page_from_menu(site, "stock:count_list")
    page.get_by_test_id("add-button").click()
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("count-sheet")).to_be_visible()
    line = page.locator("[data-row=count-line]").filter(has_text="A4复印纸")
    line.get_by_test_id("counted").fill("28")
    line.get_by_test_id("reason").fill("受潮损坏 2 包")
    expect_no_sideways_scrolling(site)
    site.shoot("stock-count")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("differences")).to_contain_text("A4复印纸 -2")
    page.get_by_test_id("close-button").click()
    expect(page.get_by_test_id("close-button")).to_have_count(0)
    assert StockItem.objects.get(pk=cast.paper.pk).balance == Decimal("28")
