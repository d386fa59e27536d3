"""The safety officer's inspection round on a phone raises a hazard in one tap; the responsible teacher rectifies it
and the officer verifies and closes it (销号) — two people, as the rule requires."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from django.urls import reverse

from houqin.core.testing import PASSWORD, build_cast
from houqin.safety import services
from houqin.safety.choices import AgreementKind, Frequency, HazardStatus, SignMethod
from houqin.safety.models import Hazard
from houqin.safety.tests.factories import days_ago, make_person, make_place, make_template
from tests.browser.test_flows import expect_no_sideways_scrolling, log_in, open_page_from_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast():
    cast = SimpleNamespace()
    build_cast(cast)
    cast.gate = make_place(cast.school_a, "校门")
    cast.worker = make_person(cast.school_a, "何老师", user=cast.teacher)
    # Weekly, so that it is due whatever day the test runs.
    cast.template = make_template(
        cast.safety,
        places=[cast.gate],
        items=["门卫在岗，来访登记", "防冲撞隔离桩到位"],
        name="校门周查",
        frequency=Frequency.WEEKLY,
    )
    return cast


def log_out(site):
    site.page.get_by_test_id("user-menu").click()
    site.page.get_by_test_id("logout").click()
    expect(site.page.get_by_test_id("login-form")).to_be_visible()


def inspect_the_gate_and_raise_a_hazard(site):
    page = site.page
    open_page_from_menu(site, "safety:round")
    expect_no_sideways_scrolling(site)
    page.get_by_test_id("due-list").get_by_text("校门", exact=True).click()
    expect(page.get_by_test_id("inspection-form")).to_be_visible()
    expect_no_sideways_scrolling(site)
    page.get_by_test_id("fail-2").click()
    page.get_by_test_id("note-2").fill("东侧隔离桩缺两根")
    page.get_by_test_id("save-inspection").click()
    page.get_by_test_id("raise-hazard").click()
    expect(page.get_by_test_id("status")).to_be_visible()
    return Hazard.objects.get()


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_a_round_raises_a_hazard_the_teacher_rectifies_and_the_officer_closes(site, cast):
    page = site.page
    site.go("/")
    log_in(site, "safety", PASSWORD)
    hazard = inspect_the_gate_and_raise_a_hazard(site)
    assert hazard.title == "防冲撞隔离桩到位：东侧隔离桩缺两根"

    site.go(reverse("safety:hazard_update", args=[hazard.pk]))
    page.select_option("#id_responsible", label="何老师")
    page.fill("#id_deadline", str(days_ago(-7)))
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("responsible")).to_contain_text("何老师")
    log_out(site)

    log_in(site, "teacher", PASSWORD)
    page.get_by_test_id("today-list").locator(f'a[href*="{reverse("safety:hazard_list")}"]').first.click()
    page.get_by_text(hazard.title).click()
    form = page.get_by_test_id("rectify-form")
    form.locator("#id_measures").fill("补装隔离桩两根")
    form.get_by_test_id("rectify").click()
    expect(page.get_by_test_id("verify-form")).to_have_count(0)
    log_out(site)

    log_in(site, "safety", PASSWORD)
    site.go(hazard.get_absolute_url())
    form = page.get_by_test_id("verify-form")
    form.locator("input[name=passed][value='1']").check()
    form.locator("#id_note").fill("复查合格")
    form.get_by_test_id("verify").click()
    expect(page.get_by_test_id("actions").locator("li")).to_have_count(4)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED
    assert hazard.verified_by == cast.safety and hazard.rectified_by == cast.teacher
    expect_no_sideways_scrolling(site)


def test_the_statistics_page_draws_the_trend_chart(site, cast):
    site.go("/")
    log_in(site, "safety", PASSWORD)
    inspect_the_gate_and_raise_a_hazard(site)
    open_page_from_menu(site, "safety:hazard_stats")
    expect(site.page.get_by_test_id("found")).to_have_text("1")
    expect(site.page.get_by_test_id("trend-chart").locator("canvas")).to_have_count(1)
    expect_no_sideways_scrolling(site)


@pytest.mark.parametrize("site", ["phone"], indirect=True)
def test_a_teacher_signs_the_years_agreement_on_a_phone(site, cast):
    agreement = services.agreement_create(
        actor=cast.safety,
        school=cast.school_a,
        kind=AgreementKind.SAFETY_WORK,
        year=2026,
        title="安全工作责任状",
        text="一、认真履行本岗位安全职责。",
    )
    page = site.page
    site.go("/")
    log_in(site, "teacher", PASSWORD)
    page.get_by_test_id("today-list").locator(f'a[href="{reverse("safety:my_agreements")}"]').click()
    card = page.get_by_test_id("my-agreement")
    expect(card).to_contain_text("认真履行本岗位安全职责")
    expect_no_sideways_scrolling(site)
    card.get_by_test_id("sign").click()
    expect(page.get_by_test_id("my-agreement").get_by_test_id("sign")).to_have_count(0)
    signature = agreement.signatures.get(person=cast.worker)
    assert signature.method == SignMethod.ONLINE and signature.signed_version == 1
