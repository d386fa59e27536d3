from django.urls import reverse
from django.utils import timezone

from houqin.core.models import AuditEvent
from houqin.core.testing import HouqinTestCase
from houqin.health import services
from houqin.health.models import ClassCheck, StudentCase
from houqin.health.tests.factories import make_class, students

TODAY = timezone.localdate()


class HealthViewTests(HouqinTestCase):
    def setUp(self):
        self.school_class = make_class(self.school_a, head_teacher_user=self.headteacher)
        self.kids = students(self.school_class)

    def check_with_unknown_absence(self):
        return services.check_submit(
            actor=self.headteacher,
            school_class=self.school_class,
            date=TODAY,
            session="morning",
            present=9,
            absent=1,
            absences=[{"student": self.kids[0], "reason": "unknown"}],
        )

    def test_the_head_teacher_submits_the_check_form(self):
        page = self.api(self.headteacher).get(reverse("health:check_form"))
        self.assertContains(page, self.kids[0].name)
        response = self.api(self.headteacher).post(
            reverse("health:check_form"),
            {
                "class": self.school_class.pk,
                "date": str(TODAY),
                "session": "morning",
                "present": 9,
                "absent": 1,
                "entry-0-student": self.kids[0].pk,
                "entry-0-kind": "illness",
                "entry-0-symptoms": ["cough"],
                "entry-1-student": self.kids[1].pk,
                "entry-1-kind": "unwell",
                "entry-1-temperature": "37.8",
            },
        )
        check = ClassCheck.objects.get()
        self.assertRedirects(response, check.get_absolute_url())
        self.assertEqual((check.present, check.absent, check.symptomatic), (9, 1, 2))

    def test_a_wrong_count_returns_to_the_form_with_the_message(self):
        response = self.api(self.headteacher).post(
            reverse("health:check_form"),
            {
                "class": self.school_class.pk,
                "date": str(TODAY),
                "session": "morning",
                "present": 8,
                "absent": 0,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ClassCheck.objects.exists())

    def test_pages_need_their_role(self):
        for name in ("health:dashboard", "health:daily_report", "health:disinfection", "health:alert_list"):
            with self.subTest(name=name):
                self.assertEqual(self.api(self.teacher).get(reverse(name)).status_code, 403)
        self.assertEqual(self.api(self.teacher).get(reverse("health:check_form")).status_code, 403)

    def test_the_doctor_dashboard_lists_unknown_absences(self):
        self.check_with_unknown_absence()
        page = self.api(self.doctor).get(reverse("health:dashboard"))
        self.assertContains(page, self.kids[0].name)
        self.assertContains(self.api(self.principal).get(reverse("health:dashboard")), self.kids[0].name[0] + "**")

    def test_another_schools_case_and_check_are_404_and_a_read_is_audited(self):
        check = self.check_with_unknown_absence()
        case = StudentCase.objects.get()
        self.assertEqual(self.api(self.doctor_b).get(case.get_absolute_url()).status_code, 404)
        self.assertEqual(self.api(self.doctor_b).get(check.get_absolute_url()).status_code, 404)
        self.assertEqual(self.api(self.doctor).get(case.get_absolute_url()).status_code, 200)
        self.assertTrue(AuditEvent.objects.filter(action="health.studentcase.viewed", actor=self.doctor).exists())

    def test_follow_up_and_return_from_the_case_page(self):
        self.check_with_unknown_absence()
        case = StudentCase.objects.get()
        client = self.api(self.headteacher)
        client.post(
            reverse("health:case_follow_up", args=[case.pk]),
            {"family_answer": "生病在家", "reason": "illness", "symptoms": ["fever"]},
        )
        client.post(reverse("health:case_return", args=[case.pk]), {"returned_on": str(TODAY)})
        case.refresh_from_db()
        self.assertEqual((case.reason, case.returned_on), ("illness", TODAY))
        self.assertEqual(
            self.api(self.headteacher_b).post(reverse("health:case_return", args=[case.pk])).status_code, 404
        )

    def test_the_daily_report_exports_to_excel_for_the_bureau(self):
        self.check_with_unknown_absence()
        page = self.api(self.bureau).get(reverse("health:daily_report"))
        self.assertContains(page, "中南路小学")
        export = self.api(self.bureau).get(reverse("health:daily_report") + "?export=xlsx")
        self.assertEqual(export.status_code, 200)
        self.assertIn("spreadsheet", export["Content-Type"])

    def test_disinfection_and_observation_pages_open(self):
        self.assertEqual(self.api(self.logistics).get(reverse("health:disinfection")).status_code, 200)
        self.assertEqual(self.api(self.doctor).get(reverse("health:observation_list")).status_code, 200)
        self.assertEqual(self.api(self.doctor).get(reverse("health:record_create")).status_code, 200)
