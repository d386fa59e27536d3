"""The bus attendant on a phone: the departure checklist, boarding, alighting and hand-over at the stops, and the
close with "no child left on the bus" — refused while a child is still on board."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from django.utils import timezone

from houqin.core.testing import PASSWORD, build_cast
from houqin.orgs.models import Person
from houqin.transport.models import Trip
from houqin.transport.tests.factories import add_rider, make_driver, make_route, make_student, make_trip, make_vehicle
from tests.browser.test_flows import expect_no_sideways_scrolling, log_in, open_page_from_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast():
    cast = SimpleNamespace()
    build_cast(cast)
    today = timezone.localdate()
    year = today + dt.timedelta(days=365)
    vehicle = make_vehicle(
        cast.school_a,
        seats=19,
        sign_valid_until=year,
        last_inspection_on=today - dt.timedelta(days=30),
        insurance_until=year,
        kit_checked_on=today,
    )
    driver = make_driver(cast.school_a, annual_review_until=year)
    route = make_route(cast.school_a, vehicle=vehicle, driver=driver)
    cast.teacher.person = Person.objects.create(school=cast.school_a, name="何老师")
    cast.teacher.save(update_fields=["person"])
    cast.small = make_student(cast.school_a, "王小一", grade=1)
    cast.big = make_student(cast.school_a, "李大五", grade=5)
    for student in (cast.small, cast.big):
        add_rider(route, student)
    cast.trip = make_trip(route, cast.teacher.person, date=today)
    return cast


def row(page, student):
    return page.locator(f'[data-row="student"][data-student="{student.pk}"]')


def depart_with_both_on_board(site, cast):
    page = site.page
    site.go("/")
    log_in(site, "teacher", PASSWORD)
    open_page_from_menu(site, "transport:trip_list")
    page.locator('[data-row="trip"]').click()
    expect_no_sideways_scrolling(site)
    for student in (cast.small, cast.big):
        row(page, student).locator('[data-action="board"]').click()
        expect(row(page, student)).to_have_attribute("data-state", "boarded")
    expect(page.locator('[data-count="on_board"]')).to_have_text("2")
    form = page.get_by_test_id("depart-form")
    for box in form.locator("[data-check]").all():
        box.check()
    site.shoot("transport-depart")
    page.get_by_test_id("depart").click()
    page.get_by_test_id("close-form").wait_for()


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_the_attendant_runs_a_trip_to_the_close(site, cast):
    page = site.page
    depart_with_both_on_board(site, cast)
    row(page, cast.big).locator('[data-action="alight"]').click()
    expect(row(page, cast.big)).to_have_attribute("data-state", "alighted")
    small = row(page, cast.small)
    small.locator('[data-action="hand-over-open"]').click()
    small.locator('[data-field="receiver_name"]').fill("王妈妈")
    small.locator('[data-field="receiver_relation"]').fill("母亲")
    site.shoot("transport-trip")
    small.locator('[data-action="hand-over"]').click()
    expect(row(page, cast.small)).to_have_attribute("data-state", "handed_over")
    expect(page.locator('[data-count="on_board"]')).to_have_text("0")
    expect_no_sideways_scrolling(site)
    page.get_by_test_id("no-child-left").check()
    page.get_by_test_id("close").click()
    expect(page.get_by_test_id("closed-note")).to_be_visible()
    site.shoot("transport-closed")
    trip = Trip.objects.get()
    assert trip.status == "closed" and trip.no_child_left and trip.closed_by == cast.teacher


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_the_trip_does_not_close_with_a_child_on_board(site, cast):
    page = site.page
    depart_with_both_on_board(site, cast)
    row(page, cast.big).locator('[data-action="alight"]').click()
    expect(row(page, cast.big)).to_have_attribute("data-state", "alighted")
    page.get_by_test_id("no-child-left").check()
    page.get_by_test_id("close").click()
    expect(page.get_by_test_id("mismatch")).to_be_visible()
    expect(page.locator('.alert-danger[role="alert"]')).to_contain_text("王小一")
    expect(row(page, cast.small)).to_have_attribute("data-state", "boarded")
    site.shoot("transport-mismatch")
    assert Trip.objects.get().status == "departed"


def telemetry_xlsx(day) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["时间", "速度", "道路类型", "位置"])
    sheet.append([f"{day:%Y-%m-%d} 07:01:00", 18, "", "东湖路"])
    sheet.append([f"{day:%Y-%m-%d} 07:02:30", 35, "", "西陵广场"])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_fog_is_tagged_the_driving_record_imported_and_the_speeding_reviewed(site, cast):
    from houqin.transport.models import SpeedRecord

    page = site.page
    Trip.objects.filter(pk=cast.trip.pk).update(status="departed")
    site.go("/")
    log_in(site, "teacher", PASSWORD)
    site.go(cast.trip.get_absolute_url())
    page.get_by_test_id("conditions-open").click()
    page.locator('[data-field="adverse_conditions"]').fill("大雾")
    page.get_by_test_id("conditions-save").click()
    expect(page.get_by_test_id("adverse")).to_contain_text("大雾")

    page.context.clear_cookies()
    site.go("/")
    log_in(site, "safety", PASSWORD)
    site.go(cast.trip.get_absolute_url())
    files = {"name": "行驶记录.xlsx", "mimeType": "application/octet-stream", "buffer": telemetry_xlsx(cast.trip.date)}
    page.locator('[data-field="telemetry-file"]').set_input_files(files)
    page.get_by_test_id("telemetry-check").click()
    page.get_by_test_id("confirm-button").click()
    expect(page.locator('[data-row="speeding"]')).to_have_count(1)
    expect(page.get_by_test_id("speeding-table")).to_contain_text("西陵广场")
    expect_no_sideways_scrolling(site)
    site.shoot("transport-speeding")
    page.locator('[data-field="note"]').fill("已约谈驾驶员，雾天限速 20")
    page.get_by_test_id("review").click()
    expect(page.locator('[data-row="review"]')).to_contain_text("已约谈驾驶员")
    expect(page.get_by_test_id("review-form")).to_have_count(0)
    assert [(r.limit_kmh, r.is_speeding) for r in SpeedRecord.objects.order_by("recorded_at")] == [
        (20, False),
        (20, True),
    ]
