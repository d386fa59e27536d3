"""Purchasing on a phone: a teacher asks (and is told the store already has some), the logistics director approves,
the storekeeper accepts with a second inspector and gets the goods-received slip."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from django.urls import reverse

from houqin.core.testing import PASSWORD, build_cast
from houqin.orgs.models import Person
from houqin.procurement.models import PurchaseRequest
from houqin.stock.models import StockItem
from houqin.stock.tests.factories import make_item
from tests.browser.test_flows import expect_no_sideways_scrolling, log_in, open_page_from_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast():
    cast = SimpleNamespace()
    build_cast(cast)
    make_item(cast.school_a, name="跳绳", unit="根", balance=12)
    cast.inspectors = [Person.objects.create(school=cast.school_a, name=name) for name in ("赵校产", "李后勤")]
    return cast


def log_out(site):
    site.page.get_by_test_id("user-menu").click()
    site.page.get_by_test_id("logout").click()
    expect(site.page.get_by_test_id("login-form")).to_be_visible()


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_a_purchase_from_request_to_goods_received_on_a_phone(site, cast):
    page = site.page
    site.go("/")
    log_in(site, "teacher", PASSWORD)
    open_page_from_menu(site, "procurement:request_create")
    page.fill("#id_title", "体育课器材")
    page.select_option("#id_funding_source", "自筹")
    page.fill("#id_reason", "体育课教学需要")
    page.fill("#id_lines-0-name", "跳绳")
    page.fill("#id_lines-0-quantity", "20")
    page.fill("#id_lines-0-unit", "根")
    page.fill("#id_lines-0-estimated_unit_price", "15")
    page.get_by_test_id("check-button").click()
    expect(page.get_by_test_id("duplicates")).to_contain_text("跳绳")
    expect_no_sideways_scrolling(site)
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("duplicates")).to_be_visible()
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("steps")).to_be_visible()
    request = PurchaseRequest.objects.get()
    log_out(site)

    log_in(site, "logistics", PASSWORD)
    open_page_from_menu(site, "procurement:approval_queue")
    page.locator("[data-row=request]").first.click()
    page.locator("input[name=comment]").fill("同意，先领用库存")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("steps")).to_contain_text("同意，先领用库存")
    log_out(site)

    log_in(site, "assetkeeper", PASSWORD)
    site.go(request.get_absolute_url())
    page.get_by_test_id("accept").click()
    page.select_option("#id_inspectors", [str(p.pk) for p in cast.inspectors])
    expect_no_sideways_scrolling(site)
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("slip-total-words")).to_have_text("叁佰元整")
    expect(page.get_by_test_id("slip")).to_contain_text("赵校产")
    expect_no_sideways_scrolling(site)
    assert StockItem.objects.get(name="跳绳").balance == Decimal("32")
    assert page.url.endswith(reverse("procurement:acceptance_slip", args=[request.acceptances.get().pk]))
