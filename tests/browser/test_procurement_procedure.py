"""The government procurement procedure on a phone: the logistics director records an RFQ panel (an even panel is
refused, B4), then the award and the contract from the request page."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from django.utils import timezone

from houqin.core.testing import PASSWORD, build_cast
from houqin.procurement.choices import ProcurementMethod
from houqin.procurement.tests.factories import approved_request, asset_line
from tests.browser.test_flows import expect_no_sideways_scrolling, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast():
    cast = SimpleNamespace()
    build_cast(cast)
    cast.request = approved_request(cast, asset_line("台式电脑", "8", "7000.00"), method=ProcurementMethod.GOVERNMENT)
    return cast


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_an_rfq_panel_then_the_award_and_the_contract_on_a_phone(site, cast):
    page = site.page
    site.go("/")
    log_in(site, "logistics", PASSWORD)
    site.go(cast.request.get_absolute_url())
    page.get_by_test_id("procedure").click()
    page.select_option("#id_statutory_method", "rfq")
    page.fill("#id_non_open_reason", "规格标准统一、货源充足")
    page.fill("#id_panel_experts", "张专家\n李专家\n赵专家\n钱专家")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("object-form")).to_contain_text("B4")
    expect_no_sideways_scrolling(site)
    page.fill("#id_panel_experts", "张专家\n李专家")
    page.fill("#id_panel_others", "王采购")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("panel")).to_contain_text("王采购")

    awarded = timezone.localdate() - dt.timedelta(days=3)
    award = page.get_by_test_id("award-form")
    award.locator("input[name=awarded_on]").fill(str(awarded))
    award.get_by_role("button").click()
    contract = page.get_by_test_id("contract-form")
    contract.locator("input[name=signed_on]").fill(str(awarded))
    contract.locator("input[name=amount]").fill("55000")
    contract.get_by_role("button").click()
    expect(page.get_by_test_id("supplement-form")).to_be_visible()
    expect_no_sideways_scrolling(site)
    cast.request.refresh_from_db()
    assert cast.request.contract_signed_on == awarded
