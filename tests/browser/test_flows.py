"""The main flows a person performs, in a real browser at desktop and phone widths."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from django.urls import reverse
from django.utils import translation

from houqin.accounts.services import INVALID_CREDENTIALS
from houqin.core.testing import PASSWORD, build_cast
from houqin.orgs import services as org_services
from houqin.orgs.apps import CLASSES_WITHOUT_HEAD_TEACHER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect_no_sideways_scrolling(site):
    # Compared with the device width: a mobile browser zooms out to fit, so window.innerWidth would grow too.
    # Wait for the page a click may still be loading, or there is no document element to measure yet.
    site.page.wait_for_load_state("load")
    extra = site.page.evaluate("document.documentElement.scrollWidth") - site.page.viewport_size["width"]
    assert extra <= 1, f"{site.page.url} is {extra}px wider than the {site.viewport} screen"


def zh(message: str) -> str:
    """What the server shows for a msgid, in the UI language of a Chinese browser."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


@pytest.fixture
def cast():
    """The shared cast, plus a class without a head teacher so that 今日待办 has something to show."""
    cast = SimpleNamespace()
    build_cast(cast)
    org_services.class_create(actor=cast.admin, school=cast.school_a, name="一(1)班", grade=1)
    return cast


def log_in(site, username, password):
    page = site.page
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_test_id("login-form").locator("button[type=submit]").click()


def open_page_from_menu(site, url_name):
    """Follow a navigation link; on a phone the menu is opened with the toggle first."""
    page = site.page
    if site.is_phone:
        page.locator(".navbar-toggler").click()
        expect(page.locator("#sidebar")).to_be_visible()
    page.get_by_test_id("sidebar-nav").locator(f'a[href="{reverse(url_name)}"]').click()
    page.wait_for_url(f"**{reverse(url_name)}")


def add_from_list(site, url_name):
    open_page_from_menu(site, url_name)
    site.page.get_by_test_id("add-button").click()
    expect(site.page.get_by_test_id("object-form")).to_be_visible()


def test_the_logistics_head_logs_in_sees_today_and_logs_out(site, cast):
    page = site.page
    site.go("/")
    expect(page.get_by_test_id("login-form")).to_be_visible()

    log_in(site, "logistics", "wrong-password")
    expect(page.get_by_test_id("form-errors")).to_contain_text(zh(INVALID_CREDENTIALS))

    log_in(site, "logistics", PASSWORD)
    expect(page.get_by_test_id("today-list")).to_contain_text(zh(str(CLASSES_WITHOUT_HEAD_TEACHER)))

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("login-form")).to_be_visible()


def test_the_logistics_head_adds_a_building_and_a_person(site, cast):
    page = site.page
    site.go("/")
    log_in(site, "logistics", PASSWORD)
    expect(page.get_by_test_id("today-list")).to_be_visible()

    add_from_list(site, "orgs:place_list")
    page.fill("#id_name", "实验楼")
    page.select_option("#id_kind", "building")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("object-title")).to_have_text("实验楼")
    open_page_from_menu(site, "orgs:place_list")
    expect(page.get_by_test_id("object-table")).to_contain_text("实验楼")

    add_from_list(site, "orgs:person_list")
    page.fill("#id_name", "赵师傅")
    page.select_option("#id_department", label="总务处")
    page.fill("#id_phone", "13812345678")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("object-title")).to_have_text("赵师傅")
    expect(page.get_by_test_id("object-fields")).to_contain_text("13812345678")
    open_page_from_menu(site, "orgs:person_list")
    table = page.get_by_test_id("object-table")
    expect(table).to_contain_text("赵师傅")
    expect(table).to_contain_text("138****5678")

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("login-form")).to_be_visible()


def test_the_pages_fit_the_screen_width(site, cast):
    person = org_services.person_create(actor=cast.admin, school=cast.school_a, name="赵师傅", phone="13812345678")
    site.go("/")
    log_in(site, "admin", PASSWORD)
    paths = [
        "/",
        reverse("orgs:person_list"),
        person.get_absolute_url(),
        reverse("orgs:person_create"),
        reverse("orgs:person_import"),
        reverse("accounts:user_list"),
        reverse("accounts:user_create"),
    ]
    for path in paths:
        site.go(path)
        expect_no_sideways_scrolling(site)
