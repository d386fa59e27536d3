"""Drills and the monthly check (E4), responsibility agreements (E8), notices to parents with receipts."""

import datetime as dt
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.models import PolicyValue
from houqin.core.testing import HouqinTestCase
from houqin.orgs.models import SchoolClass, Semester, Student, Tenant
from houqin.safety import selectors, services
from houqin.safety.choices import AgreementKind, DrillKind, SignMethod
from houqin.safety.tests.factories import days_ago, make_person


def month(year: int, number: int) -> dt.date:
    return dt.date(year, number, 1)


class DrillTests(HouqinTestCase):
    def setUp(self):
        Semester.objects.create(
            district=self.district,
            name="2025-2026学年第一学期",
            starts_on=dt.date(2025, 9, 1),
            ends_on=dt.date(2026, 1, 20),
        )

    def drill(self, held_on, kind=DrillKind.FIRE, **fields):
        return services.drill_record(
            actor=self.safety, school=self.school_a, kind=kind, held_on=held_on, scenario="三楼化学实验室起火", **fields
        )

    def test_a_term_month_without_an_evacuation_drill_is_flagged(self):
        self.drill(dt.date(2025, 9, 12))
        self.drill(dt.date(2025, 10, 20), kind=DrillKind.INTRUDER)  # not an evacuation drill
        self.drill(dt.date(2025, 11, 7), kind=DrillKind.EARTHQUAKE)
        months = selectors.drill_months(
            school=self.school_a, start=dt.date(2025, 9, 1), end=dt.date(2025, 11, 30), today=dt.date(2026, 3, 1)
        )
        self.assertEqual(
            [(m.month, m.held, m.short) for m in months],
            [
                (month(2025, 9), 1, False),
                (month(2025, 10), 0, True),
                (month(2025, 11), 1, False),
            ],
        )

    def test_the_number_required_is_the_districts_setting(self):
        PolicyValue.objects.create(
            district=self.district,
            key="safety.evacuation_drills_per_month",
            value=2,
            effective_from=dt.date(2025, 1, 1),
        )
        self.drill(dt.date(2025, 9, 12))
        (september,) = selectors.drill_months(school=self.school_a, start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 30))
        self.assertEqual((september.required, september.short), (2, True))

    def test_the_current_month_is_not_flagged_before_it_ends(self):
        (september,) = selectors.drill_months(
            school=self.school_a, start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 10), today=dt.date(2025, 9, 10)
        )
        self.assertFalse(september.short)

    def test_months_out_of_term_are_not_counted(self):
        months = selectors.drill_months(school=self.school_a, start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 28))
        self.assertEqual([m.month for m in months], [month(2026, 1)])

    def test_an_evacuation_over_two_minutes_in_a_low_building_is_for_review(self):
        self.assertTrue(self.drill(dt.date(2025, 9, 12), evacuation_seconds=150, floors=3).needs_review)
        self.assertFalse(self.drill(dt.date(2025, 9, 13), evacuation_seconds=100, floors=3).needs_review)

    def test_a_drill_in_the_future_is_refused(self):
        with self.assertRaisesMessage(ValidationError, _(services.DRILL_IN_FUTURE)):
            self.drill(days_ago(-1))


class AgreementTests(HouqinTestCase):
    def setUp(self):
        self.teacher_person = make_person(self.school_a, "何老师", user=self.teacher)
        self.other = make_person(self.school_a, "张老师")
        self.agreement = services.agreement_create(
            actor=self.safety,
            school=self.school_a,
            kind=AgreementKind.SAFETY_WORK,
            year=2026,
            title="安全工作责任状",
            text="一、……",
        )

    def test_everyone_on_the_staff_is_to_sign(self):
        self.assertEqual(self.agreement.signatures.count(), 2)

    def test_a_teacher_signs_once_on_the_phone(self):
        signature = self.agreement.signatures.get(person=self.teacher_person)
        signed = services.agreement_sign(actor=self.teacher, signature=signature)
        self.assertEqual((signed.method, signed.signed_version), (SignMethod.ONLINE, 1))
        with self.assertRaises(ValidationError):
            services.agreement_sign(actor=self.teacher, signature=signature)

    def test_nobody_signs_for_someone_else_on_the_phone(self):
        with self.assertRaises(PermissionDenied):
            services.agreement_sign(actor=self.teacher, signature=self.agreement.signatures.get(person=self.other))

    def test_coverage_and_the_list_of_who_has_not_signed(self):
        services.agreement_record_paper(actor=self.safety, signature=self.agreement.signatures.get(person=self.other))
        agreement = selectors.agreements_with_coverage(user=self.safety).get()
        self.assertEqual((agreement.signed, agreement.to_sign), (1, 2))
        self.assertEqual(
            list(self.agreement.signatures.filter(signed_at__isnull=True).values_list("person__name", flat=True)),
            ["何老师"],
        )

    def test_a_tenant_agreement_is_signed_by_each_tenant(self):
        Tenant.objects.create(school=self.school_a, name="小太阳幼儿园")
        agreement = services.agreement_create(
            actor=self.safety,
            school=self.school_a,
            kind=AgreementKind.TENANT,
            year=2026,
            title="租赁安全协议",
            text="……",
        )
        self.assertEqual([str(s.signatory) for s in agreement.signatures.all()], ["小太阳幼儿园"])

    def test_one_agreement_per_kind_and_year(self):
        with self.assertRaises(ValidationError):
            services.agreement_create(
                actor=self.safety, school=self.school_a, kind=AgreementKind.SAFETY_WORK, year=2026, title="x", text="y"
            )

    def test_the_teacher_signs_from_the_phone_page(self):
        self.client.force_login(self.teacher, backend="houqin.accounts.backends.RoleBackend")
        signature = self.agreement.signatures.get(person=self.teacher_person)
        self.assertContains(self.client.get(reverse("safety:my_agreements")), "安全工作责任状")
        self.client.post(
            reverse("safety:agreement_sign", args=[signature.pk]), {"next": reverse("safety:my_agreements")}
        )
        signature.refresh_from_db()
        self.assertIsNotNone(signature.signed_at)

    def test_the_api_signs_and_reports_coverage(self):
        signature = self.agreement.signatures.get(person=self.teacher_person)
        response = self.api(self.teacher).post(f"/api/safety/agreement-signatures/{signature.pk}/sign")
        self.assertEqual(response.status_code, 200, response.content)
        body = self.api(self.safety).get(f"/api/safety/agreements/{self.agreement.pk}").json()
        self.assertEqual((body["signed"], body["to_sign"], body["coverage"]), (1, 2, 50.0))
        again = self.api(self.teacher).post(f"/api/safety/agreement-signatures/{signature.pk}/sign")
        self.assertEqual(again.status_code, 409)


class NoticeTests(HouqinTestCase):
    def setUp(self):
        self.head = make_person(self.school_a, "冯老师", user=self.headteacher)
        self.class_a = SchoolClass.objects.create(
            school=self.school_a, name="五年级二班", grade=5, head_teacher=self.head
        )
        self.class_b = SchoolClass.objects.create(school=self.school_a, name="五年级三班", grade=5)
        for n in range(3):
            Student.objects.create(school=self.school_a, name=f"学生甲{n}", school_class=self.class_a)
            Student.objects.create(school=self.school_a, name=f"学生乙{n}", school_class=self.class_b)
        self.notice = services.notice_issue(
            actor=self.safety, school=self.school_a, title="告家长书", text="……", classes=[self.class_a, self.class_b]
        )

    def test_one_receipt_is_expected_per_pupil(self):
        self.assertEqual(selectors.notices_with_returns(user=self.safety).get().sent, 6)

    def test_the_head_teacher_ticks_the_slips_of_their_class(self):
        pupils = Student.objects.filter(school_class=self.class_a)[:2]
        count = services.receipts_record(
            actor=self.headteacher, notice=self.notice, school_class=self.class_a, students=pupils
        )
        self.assertEqual(count, 2)
        rows = {row["school_class__name"]: row for row in selectors.notice_classes(self.notice)}
        self.assertEqual((rows["五年级二班"]["returned"], rows["五年级二班"]["rate"]), (2, 66.7))

    def test_another_class_is_not_the_head_teachers(self):
        with self.assertRaises(PermissionDenied):
            services.receipts_record(
                actor=self.headteacher,
                notice=self.notice,
                school_class=self.class_b,
                students=Student.objects.filter(school_class=self.class_b),
            )

    def test_ticking_the_same_slips_again_is_refused(self):
        pupils = Student.objects.filter(school_class=self.class_a)
        services.receipts_record(actor=self.headteacher, notice=self.notice, school_class=self.class_a, students=pupils)
        with self.assertRaisesMessage(ValidationError, _(services.NOTHING_TO_RECORD)):
            services.receipts_record(
                actor=self.headteacher, notice=self.notice, school_class=self.class_a, students=pupils
            )

    def test_a_notice_needs_classes(self):
        with self.assertRaisesMessage(ValidationError, _(services.CLASSES_REQUIRED)):
            services.notice_issue(actor=self.safety, school=self.school_a, title="x", text="y", classes=[])

    def test_the_head_teacher_ticks_from_the_notice_page(self):
        self.client.force_login(self.headteacher, backend="houqin.accounts.backends.RoleBackend")
        page = self.client.get(self.notice.get_absolute_url())
        self.assertEqual(page.context["chosen"], self.class_a)
        self.assertTrue(page.context["may_tick"])
        pupil = Student.objects.filter(school_class=self.class_a).first()
        self.client.post(
            reverse("safety:notice_receipts", args=[self.notice.pk]), {"class": self.class_a.pk, "student": [pupil.pk]}
        )
        self.assertTrue(self.notice.receipts.filter(student=pupil, returned_at__isnull=False).exists())

    def test_the_api_issues_and_records(self):
        created = self.api(self.safety).post(
            "/api/safety/notices",
            json.dumps({"title": "路途安全责任书", "text": "……", "class_ids": [self.class_a.pk]}),
            content_type="application/json",
        )
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["sent"], 3)
        pupil = Student.objects.filter(school_class=self.class_a).first()
        recorded = self.api(self.headteacher).post(
            f"/api/safety/notices/{created.json()['id']}/receipts",
            json.dumps({"class_id": self.class_a.pk, "student_ids": [pupil.pk]}),
            content_type="application/json",
        )
        self.assertEqual(recorded.json(), {"recorded": 1})


class RecordPagesTests(HouqinTestCase):
    def test_every_page_renders_for_the_safety_officer(self):
        make_person(self.school_a, "何老师", user=self.safety)
        drill = services.drill_record(
            actor=self.safety, school=self.school_a, kind=DrillKind.FIRE, held_on=timezone.localdate(), scenario="火灾"
        )
        agreement = services.agreement_create(
            actor=self.safety, school=self.school_a, kind=AgreementKind.FIRE_SAFETY, year=2026, title="消防", text="……"
        )
        school_class = SchoolClass.objects.create(school=self.school_a, name="一年级一班", grade=1)
        notice = services.notice_issue(
            actor=self.safety, school=self.school_a, title="告家长书", text="……", classes=[school_class]
        )
        self.client.force_login(self.safety, backend="houqin.accounts.backends.RoleBackend")
        for url in (
            reverse("safety:drill_list"),
            reverse("safety:drill_create"),
            drill.get_absolute_url(),
            reverse("safety:drill_update", args=[drill.pk]),
            reverse("safety:agreement_list"),
            reverse("safety:agreement_create"),
            agreement.get_absolute_url(),
            reverse("safety:my_agreements"),
            reverse("safety:notice_list"),
            reverse("safety:notice_create"),
            notice.get_absolute_url() + f"?class={school_class.pk}",
            reverse("core:home"),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
