"""A guard's key-area patrol on a phone: every checkpoint ticked, one finding that becomes a hazard in the safety
register, and the patrol finished."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from houqin.core.testing import PASSWORD, build_cast
from houqin.safety.choices import HazardSource
from houqin.safety.models import Hazard
from houqin.security import services
from houqin.security.models import PatrolLog
from tests.browser.test_flows import expect_no_sideways_scrolling, log_in, open_page_from_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast():
    cast = SimpleNamespace()
    build_cast(cast)
    cast.route = services.route_create(
        actor=cast.safety,
        school=cast.school_a,
        name="重点部位巡逻",
        is_key_area=True,
        checkpoints=[(None, "校门"), (None, "配电房"), (None, "食堂后厨")],
    )
    return cast


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_a_guards_patrol_with_a_finding(site, cast):
    page = site.page
    site.go("/")
    log_in(site, "guard", PASSWORD)
    open_page_from_menu(site, "security:patrols")
    expect_no_sideways_scrolling(site)
    page.get_by_test_id("start-patrol").click()

    points = page.get_by_test_id("checkpoints").locator("[data-row=checkpoint]")
    expect(points).to_have_count(3)
    points.nth(0).get_by_test_id("tick-normal").click()
    points.nth(1).get_by_test_id("finding-note").fill("配电房门未上锁")
    points.nth(1).get_by_test_id("tick-finding").click()
    expect(points.nth(1)).to_contain_text("YH-")
    points.nth(2).get_by_test_id("tick-normal").click()
    expect_no_sideways_scrolling(site)
    site.shoot("security-patrol")
    page.get_by_test_id("finish-patrol").click()
    expect(page.get_by_test_id("patrols-today")).to_contain_text("1 / 5")

    log = PatrolLog.objects.get()
    assert log.status == "finished" and log.patroller == cast.guard
    hazard = Hazard.objects.get()
    assert hazard.title == "配电房门未上锁" and hazard.source == HazardSource.PATROL
