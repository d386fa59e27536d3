"""The guard at the gate on a phone: a visitor confirmed by phone with the host comes in, shows on campus, and
leaves with one tap."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from houqin.core.testing import PASSWORD, build_cast
from houqin.orgs.models import Person
from houqin.visitors.models import Visit
from houqin.visitors.services import HOST_NOT_CONFIRMED
from tests.browser.test_flows import expect_no_sideways_scrolling, log_in, open_page_from_menu, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast():
    cast = SimpleNamespace()
    build_cast(cast)
    cast.host = Person.objects.create(school=cast.school_a, name="冯晓梅")
    return cast


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_the_guard_lets_a_visitor_in_and_out(site, cast):
    page = site.page
    site.go("/")
    log_in(site, "guard", PASSWORD)
    open_page_from_menu(site, "visitors:gate")
    page.get_by_test_id("register-visitor").click()
    expect_no_sideways_scrolling(site)

    page.fill("#id_name", "王建国")
    page.fill("#id_phone", "13812345678")
    page.fill("#id_purpose", "送教学资料")
    page.select_option("#id_host", label="冯晓梅")
    page.get_by_test_id("save").click()  # not yet confirmed by phone: refused
    expect(page.get_by_test_id("visit-form")).to_contain_text(zh(HOST_NOT_CONFIRMED))
    page.get_by_test_id("confirmed-by-host").click()
    page.fill("#id_id_tail", "1234")
    page.get_by_test_id("save").click()

    on_campus = page.get_by_test_id("on-campus")
    expect(on_campus).to_contain_text("王建国")
    expect(page.get_by_test_id("on-campus-count")).to_have_text("1")
    expect_no_sideways_scrolling(site)
    on_campus.get_by_test_id("leave").click()
    expect(page.get_by_test_id("on-campus-count")).to_have_text("0")

    visit = Visit.objects.get()
    assert visit.host_confirmed_by == "冯晓梅" and visit.left_at is not None
    assert visit.registered_by == cast.guard


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_the_guard_checks_an_asset_out_on_an_approved_pass(site, cast):
    from houqin.assets.tests.factories import make_asset
    from houqin.visitors import services
    from houqin.visitors.models import GatePass

    asset = make_asset(cast.assetkeeper, "投影仪", "3200.00")
    gatepass = services.gatepass_request(
        actor=cast.assetkeeper, school=cast.school_a, asset=asset, reason="送华信电子维修", destination="华信电子"
    )
    services.gatepass_decide(actor=cast.principal, gatepass=gatepass, approve=True)

    page = site.page
    site.go("/")
    log_in(site, "guard", PASSWORD)
    open_page_from_menu(site, "visitors:gatepass_list")
    page.locator("[data-row=gatepass]").first.click()
    expect_no_sideways_scrolling(site)
    site.shoot("gate-pass")
    page.get_by_test_id("check-out").click()
    expect(page.get_by_test_id("check-back")).to_be_visible()
    assert GatePass.objects.get().status == "out"
