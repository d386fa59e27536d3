"""The asset keeper's stocktake on a phone: start a count of a room, tick and scan, close, give the cause of the
difference; then the logistics director approves it and the ledger changes."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from playwright.sync_api import expect

from django.urls import reverse
from django.utils import translation

from houqin.assets.choices import AssetStatus, StocktakeResult, StocktakeStatus
from houqin.assets.tests.factories import make_asset, make_place
from houqin.core.testing import PASSWORD, build_cast
from tests.browser.test_flows import expect_no_sideways_scrolling, log_in, open_page_from_menu, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast():
    cast = SimpleNamespace()
    build_cast(cast)
    cast.room = make_place(cast.school_a, "301")
    cast.pc = make_asset(cast.assetkeeper, "台式计算机", place=cast.room)
    cast.tv = make_asset(cast.assetkeeper, "电视机", place=cast.room)
    cast.board = make_asset(cast.assetkeeper, "交互式触控一体机", place=cast.room)
    return cast


def log_out(site):
    site.page.get_by_test_id("user-menu").click()
    site.page.get_by_test_id("logout").click()
    expect(site.page.get_by_test_id("login-form")).to_be_visible()


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_the_asset_keeper_counts_a_room_on_a_phone_and_the_director_approves(site, cast):
    page = site.page
    site.go("/")
    log_in(site, "assetkeeper", PASSWORD)
    open_page_from_menu(site, "assets:stocktake_list")
    page.get_by_test_id("add-button").click()
    page.fill("#id_name", "期末盘点")
    page.select_option("#id_places", label="301")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("counts")).to_contain_text("3")

    page.get_by_test_id("rooms").get_by_text("301").click()
    expect(page.get_by_test_id("room").locator("[data-row=line]")).to_have_count(3)
    expect_no_sideways_scrolling(site)
    page.locator("[data-row=line]", has_text=cast.pc.asset_no).get_by_test_id("tick").click()
    page.fill("#id_asset_no", cast.tv.asset_no)
    page.get_by_test_id("scan-form").locator("button[type=submit]").click()
    expect(page.locator("[data-row=line]", has_text=cast.tv.asset_no).get_by_test_id("line-result")).to_have_text(
        shown(StocktakeResult.MATCHED)
    )

    page.get_by_test_id("close-button").click()
    differences = page.get_by_test_id("differences")
    expect(differences).to_contain_text(cast.board.asset_no)
    differences.locator("input[name=cause]").fill("送修未回")
    differences.locator("button[type=submit]").click()
    expect(page.get_by_test_id("differences").locator("input[name=cause]")).to_have_value("送修未回")
    log_out(site)

    log_in(site, "logistics", PASSWORD)
    site.go(reverse("assets:stocktake_list"))
    page.locator("[data-row=stocktake]").first.click()
    page.get_by_test_id("approve-button").click()
    expect(page.get_by_test_id("status")).to_have_text(shown(StocktakeStatus.APPROVED))
    cast.board.refresh_from_db()
    assert cast.board.status == AssetStatus.AWAITING_DISPOSAL
    expect_no_sideways_scrolling(site)


def shown(choice: Any) -> str:
    """How a choice's label appears on a page for a Chinese browser."""
    with translation.override("en"):
        msgid = str(choice.label)
    return zh(msgid)
