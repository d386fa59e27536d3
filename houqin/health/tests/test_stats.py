"""A period's health figures (the term summary): hand-computed numbers, constant queries, scope and permission."""

import datetime as dt

from django.urls import reverse

from houqin.core.testing import HouqinTestCase
from houqin.health import selectors, services
from houqin.health.tests.factories import make_class, students

MONDAY = dt.date(2026, 9, 7)


class SemesterStatsTests(HouqinTestCase):
    def setUp(self):
        self.school_class = make_class(self.school_a, head_teacher_user=self.headteacher)
        self.kids = students(self.school_class)
        ill = {"reason": "illness", "symptoms": ["fever", "cough"], "disease": "influenza"}
        # Monday: two away, one of them ill with influenza; Tuesday: one away for personal reasons.
        self.check(MONDAY, [{"student": self.kids[0], **ill}, {"student": self.kids[1], "reason": "personal"}])
        self.check(MONDAY + dt.timedelta(days=1), [{"student": self.kids[2], "reason": "personal"}])
        self.check(MONDAY, [], session="noon")

    def check(self, day, absences, session="morning"):
        services.check_submit(
            actor=self.doctor,
            school_class=self.school_class,
            date=day,
            session=session,
            present=10 - len(absences),
            absent=len(absences),
            absences=absences,
        )

    def stats(self, user=None):
        return selectors.semester_stats(user=user or self.doctor, start=MONDAY, end=MONDAY + dt.timedelta(days=6))

    def test_the_figures_come_from_the_morning_checks(self):
        stats = self.stats()
        self.assertEqual((stats["school_days"], stats["checks"], stats["student_days"]), (2, 3, 20))
        self.assertEqual((stats["absent_days"], stats["illness_days"]), (3, 1))
        self.assertEqual((stats["absence_rate"], stats["illness_rate"]), (15.0, 5.0))
        self.assertEqual(
            stats["by_month"],
            [{"month": "2026-09", "student_days": 20, "absent_days": 3, "illness_days": 1, "illness_rate": 5.0}],
        )
        self.assertEqual([c["illness_days"] for c in stats["by_class"]], [1])
        self.assertEqual(stats["by_disease"], {"influenza": 1})

    def test_another_school_sees_nothing_of_it(self):
        self.assertEqual(self.stats(self.doctor_b)["checks"], 0)

    def test_the_query_count_does_not_grow_with_the_days(self):
        with self.assertNumQueries(9):
            self.stats()
        self.check(MONDAY + dt.timedelta(days=2), [])
        with self.assertNumQueries(9):
            self.stats()

    def test_api_and_page(self):
        url = "/api/health/stats?start=2026-09-07&end=2026-09-13"
        body = self.api(self.doctor).get(url).json()
        self.assertEqual((body["illness_days"], body["illness_rate"]), (1, 5.0))
        self.assertEqual(self.api(self.teacher).get(url).status_code, 403)
        self.assertEqual(self.api(self.doctor).get(url.replace("13", "01")).status_code, 422)
        self.client.force_login(self.doctor)
        response = self.client.get(reverse("health:stats"), {"start": "2026-09-07", "end": "2026-09-13"})
        self.assertContains(response, 'data-testid="illness-days">1<')
        self.assertContains(response, "流感")
        export = self.client.get(reverse("health:stats"), {"start": "2026-09-07", "export": "xlsx"})
        self.assertEqual(export.status_code, 200)
        self.client.force_login(self.teacher)
        self.assertEqual(self.client.get(reverse("health:stats")).status_code, 403)
