"""晨午检 on a phone: the head teacher submits the morning check with one absent and one feverish student; the
school doctor then sees the fever alert, the observation room and the day's report."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from houqin.core.testing import PASSWORD, build_cast
from houqin.health.models import ClassCheck, HealthAlert, ObservationVisit
from houqin.health.tests.factories import make_class, students
from tests.browser.test_flows import expect_no_sideways_scrolling, log_in, open_page_from_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast():
    cast = SimpleNamespace()
    build_cast(cast)
    cast.school_class = make_class(cast.school_a, head_teacher_user=cast.headteacher, name="五年级二班")
    cast.kids = students(cast.school_class)
    return cast


def add_student(page, index, student, kind, *, temperature="", symptoms=()):
    page.get_by_test_id("add-student").click()
    row = page.locator("[data-row=entry]").nth(index)
    row.locator("[data-field=student]").select_option(str(student.pk))
    row.locator("[data-field=kind]").select_option(kind)
    if temperature:
        row.locator("[data-field=temperature]").fill(temperature)
    for symptom in symptoms:
        row.locator(f"[data-symptom={symptom}]").check()


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_the_head_teacher_submits_the_morning_check_and_the_doctor_sees_the_alert(site, cast):
    page = site.page
    site.go("/")
    log_in(site, "headteacher", PASSWORD)
    open_page_from_menu(site, "health:check_form")
    expect_no_sideways_scrolling(site)
    page.select_option("#id_session", "morning")
    add_student(page, 0, cast.kids[0], "illness", symptoms=["cough", "sore_throat"])
    add_student(page, 1, cast.kids[1], "unwell", temperature="38.2")
    expect(page.locator("#id_absent")).to_have_value("1")
    expect(page.locator("#id_present")).to_have_value("9")
    expect_no_sideways_scrolling(site)
    site.shoot("health-check")
    page.get_by_test_id("submit-check").click()
    expect(page.get_by_test_id("absent")).to_have_text("1")
    check = ClassCheck.objects.get()
    assert (check.present, check.absent, check.symptomatic) == (9, 1, 2)
    assert ObservationVisit.objects.filter(student=cast.kids[1], left_at__isnull=True).exists()
    assert HealthAlert.objects.filter(kind="fever").count() == 1

    page.context.clear_cookies()
    site.go("/")
    log_in(site, "doctor", PASSWORD)
    open_page_from_menu(site, "health:dashboard")
    expect(page.get_by_test_id("open-alerts")).to_contain_text("五年级二班")
    expect(page.get_by_test_id("observation-room")).to_contain_text(cast.kids[1].name)
    expect_no_sideways_scrolling(site)
    site.shoot("health-dashboard")
    open_page_from_menu(site, "health:alert_list")
    page.get_by_test_id("report").first.click()
    expect(page.get_by_test_id("report")).to_have_count(0)
    assert HealthAlert.objects.get().reported_at is not None
    site.shoot("health-alerts")


@pytest.mark.parametrize("site", ["phone", "desktop"], indirect=True)
def test_a_wrong_temperature_is_refused_on_the_form(site, cast):
    page = site.page
    site.go("/")
    log_in(site, "headteacher", PASSWORD)
    open_page_from_menu(site, "health:check_form")
    add_student(page, 0, cast.kids[0], "unwell", temperature="60")
    page.get_by_test_id("submit-check").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("60")
    assert not ClassCheck.objects.exists()


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_the_doctor_records_a_class_reporters_training_and_the_flag_goes(site, cast):
    import datetime as dt

    from django.utils import timezone

    from houqin.health.models import ReporterTraining
    from houqin.orgs.models import Semester

    today = timezone.localdate()
    Semester.objects.create(
        district=cast.district,
        name="本学期",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=90),
    )
    page = site.page
    site.go("/")
    log_in(site, "doctor", PASSWORD)
    open_page_from_menu(site, "health:dashboard")
    expect(page.get_by_test_id("untrained")).to_contain_text("五年级二班")
    page.get_by_test_id("untrained").locator("[data-row=untrained]").first.click()
    expect(page.get_by_test_id("untrained-count")).to_be_visible()
    expect_no_sideways_scrolling(site)
    page.select_option("#id_person", str(cast.headteacher.person.pk))
    page.select_option("#id_assessment", "passed")
    page.fill("#id_score", "90")
    site.shoot("health-training")
    page.get_by_test_id("training-form").get_by_test_id("save").click()
    expect(page.get_by_test_id("untrained-count")).to_have_count(0)
    assert ReporterTraining.objects.get().score == 90
    open_page_from_menu(site, "health:dashboard")
    expect(page.get_by_test_id("untrained")).to_have_count(0)
