"""Pages and API of the reporters' training (F8), the health staffing (F7), the disease thresholds (F3/F4), the
evening check (F1) and the doctor's day, with their 403 / 404 / happy paths."""

import datetime as dt
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from houqin.core.testing import HouqinTestCase
from houqin.health import services
from houqin.health.models import HealthStaffing, ReporterTraining
from houqin.health.tests.factories import make_class, students
from houqin.orgs.models import Person, SchoolClass, Semester, Student

TODAY = timezone.localdate()


class TrainingPagesTests(HouqinTestCase):
    def setUp(self):
        self.school_class = make_class(self.school_a, head_teacher_user=self.headteacher)
        self.kids = students(self.school_class)
        self.semester = Semester.objects.create(
            district=self.district,
            name="本学期",
            starts_on=TODAY - dt.timedelta(days=60),
            ends_on=TODAY + dt.timedelta(days=60),
        )
        self.far_semester = Semester.objects.create(
            district=self.other_district, name="邻区学期", starts_on=self.semester.starts_on, ends_on=TODAY
        )

    def post_json(self, user, path, body, method="post"):
        return getattr(self.api(user), method)(path, json.dumps(body), content_type="application/json")

    def test_the_training_page_needs_its_role_and_hides_other_districts_semesters(self):
        url = reverse("health:training")
        self.assertEqual(self.api(self.headteacher).get(url).status_code, 403)
        self.assertEqual(self.api(self.doctor).get(f"{url}?semester={self.far_semester.pk}").status_code, 404)
        page = self.api(self.principal).get(url)
        self.assertContains(page, self.headteacher.person.name)
        self.assertContains(page, 'data-testid="untrained-count"')
        self.assertNotContains(page, 'data-testid="training-form"')
        self.assertEqual(self.api(self.principal).post(url, {}).status_code, 403)

    def test_the_doctor_records_a_training_from_the_page(self):
        url = reverse("health:training")
        response = self.api(self.doctor).post(
            url,
            {
                "person": self.headteacher.person.pk,
                "semester": self.semester.pk,
                "trained_on": str(TODAY),
                "hours": "2",
                "assessment": "passed",
                "score": "92",
            },
        )
        self.assertRedirects(response, f"{url}?semester={self.semester.pk}")
        self.assertEqual(ReporterTraining.objects.get().score, 92)
        self.assertNotContains(self.api(self.doctor).get(url), 'data-testid="untrained-count"')

    def test_another_schools_head_teacher_cannot_be_chosen(self):
        other = make_class(self.school_b, head_teacher_user=self.headteacher_b)
        response = self.api(self.doctor).post(
            reverse("health:training"),
            {"person": other.head_teacher_id, "semester": self.semester.pk, "trained_on": str(TODAY)},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ReporterTraining.objects.exists())

    def test_the_dashboard_flags_untrained_reporters_and_the_staffing(self):
        page = self.api(self.doctor).get(reverse("health:dashboard"))
        self.assertContains(page, 'data-testid="untrained"')
        Student.objects.bulk_create(
            [Student(school=self.school_a, school_class=self.school_class, name=f"学生{n}") for n in range(600)]
        )
        self.assertContains(self.api(self.doctor).get(reverse("health:dashboard")), 'data-testid="staffing"')

    def test_the_dashboard_query_count_does_not_grow_with_the_school(self):
        def count():
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.api(self.doctor).get(reverse("health:dashboard")).status_code, 200)
            return len(queries)

        before = count()
        for n in range(5):
            person = Person.objects.create(school=self.school_a, name=f"班主任{n}")
            school_class = SchoolClass.objects.create(
                school=self.school_a, name=f"一年级{n}班", grade=1, number=n + 1, head_teacher=person
            )
            services.check_submit(
                actor=self.doctor,
                school_class=school_class,
                date=TODAY,
                session="morning",
                present=0,
                absent=1,
                absences=[
                    {
                        "student": Student.objects.create(
                            school=self.school_a, school_class=school_class, name=f"孩子{n}"
                        ),
                        "reason": "unknown",
                    }
                ],
            )
        self.assertEqual(count(), before)

    def test_the_bureau_sees_the_district_dashboard_and_a_disease_alert_names_its_disease(self):
        services.check_submit(
            actor=self.headteacher,
            school_class=self.school_class,
            date=TODAY,
            session="morning",
            present=8,
            absent=2,
            absences=[
                {"student": kid, "reason": "illness", "symptoms": ["rash"], "disease": "hfmd"} for kid in self.kids[:2]
            ],
        )
        page = self.api(self.bureau).get(reverse("health:dashboard"))
        self.assertContains(page, 'data-row="alert"')
        self.assertContains(self.api(self.doctor).get(reverse("health:alert_list")), "手足口病")
        alerts = self.api(self.doctor).get("/api/health/alerts").json()
        self.assertIn(
            "hfmd",
            [a["disease"] for a in alerts["items"]] if isinstance(alerts, dict) else [a["disease"] for a in alerts],
        )

    def test_the_staffing_page(self):
        url = reverse("health:staffing")
        self.assertEqual(self.api(self.principal).get(url).status_code, 403)
        self.assertEqual(self.api(self.doctor).get(url).status_code, 200)
        response = self.api(self.doctor).post(url, {"full_time": "1", "part_time": "2"})
        self.assertRedirects(response, reverse("health:dashboard"))
        self.assertEqual((HealthStaffing.objects.get().full_time, HealthStaffing.objects.get().part_time), (1, 2))

    def test_the_check_form_offers_the_evening_check_only_at_a_boarding_school(self):
        page = self.api(self.headteacher).get(reverse("health:check_form"))
        self.assertNotContains(page, 'value="evening"')
        self.school_a.is_boarding = True
        self.school_a.save()
        self.assertContains(self.api(self.headteacher).get(reverse("health:check_form")), 'value="evening"')

    # API

    def test_api_reporters_and_training(self):
        self.assertEqual(self.api(self.headteacher).get("/api/health/reporters").status_code, 403)
        body = {
            "semester_id": self.semester.pk,
            "person_id": self.headteacher.person.pk,
            "trained_on": str(TODAY),
            "assessment": "passed",
            "score": 80,
        }
        response = self.post_json(self.doctor, "/api/health/reporters/training", body)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["assessment"], "passed")
        listing = self.api(self.principal).get("/api/health/reporters").json()
        self.assertEqual((listing["semester_id"], listing["untrained"]), (self.semester.pk, 0))
        self.assertTrue(listing["items"][0]["trained"])
        other = make_class(self.school_b, head_teacher_user=self.headteacher_b)
        far = self.post_json(
            self.doctor, "/api/health/reporters/training", {**body, "person_id": other.head_teacher_id}
        )
        self.assertEqual(far.status_code, 404)
        far = self.post_json(
            self.doctor, "/api/health/reporters/training", {**body, "semester_id": self.far_semester.pk}
        )
        self.assertEqual(far.status_code, 404)
        late = self.post_json(
            self.doctor, "/api/health/reporters/training", {**body, "trained_on": str(self.semester.ends_on)}
        )
        self.assertEqual(late.status_code, 422)

    def test_api_staffing(self):
        self.assertEqual(self.api(self.headteacher).get("/api/health/staffing").status_code, 403)
        self.assertEqual(
            self.post_json(self.principal, "/api/health/staffing", {"full_time": 1}, "put").status_code, 403
        )
        response = self.post_json(self.doctor, "/api/health/staffing", {"full_time": 0, "part_time": 1}, "put")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["full_time"], 0)
        Student.objects.bulk_create(
            [Student(school=self.school_a, school_class=self.school_class, name=f"学生{n}") for n in range(600)]
        )
        data = self.api(self.principal).get("/api/health/staffing").json()
        self.assertEqual((data["students"], data["needed"], data["short"]), (610, 2, True))

    def test_api_disease_thresholds_and_today(self):
        self.assertEqual(self.api(self.headteacher).get("/api/health/disease-thresholds").status_code, 403)
        rules = {r["disease"]: r for r in self.api(self.doctor).get("/api/health/disease-thresholds").json()}
        self.assertEqual(rules["hfmd"]["class_day"], 2)
        self.assertEqual(rules["chickenpox"]["class_day"], 3)
        bureau = {r["disease"]: r for r in self.api(self.bureau).get("/api/health/disease-thresholds").json()}
        self.assertEqual(bureau["influenza"]["school_cases"], 10)
        self.assertEqual(self.api(self.headteacher).get("/api/health/today").status_code, 403)
        today = self.api(self.doctor).get("/api/health/today").json()
        self.assertEqual(today["untrained_reporters"], [self.headteacher.person.name])
        self.assertEqual(today["classes"], 1)

    def test_api_evening_check_refused_at_a_day_school(self):
        body = {"class_id": self.school_class.pk, "date": str(TODAY), "session": "evening", "present": 10, "absent": 0}
        response = self.post_json(self.headteacher, "/api/health/checks", body)
        self.assertEqual(response.status_code, 422)
        self.school_a.is_boarding = True
        self.school_a.save()
        self.assertEqual(self.post_json(self.headteacher, "/api/health/checks", body).status_code, 201)
