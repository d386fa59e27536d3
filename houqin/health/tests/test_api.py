import datetime as dt
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from houqin.core.models import AuditEvent
from houqin.core.testing import HouqinTestCase
from houqin.health import services
from houqin.health.models import ClassCheck, HealthAlert, StudentCase
from houqin.health.tests.factories import make_class, students
from houqin.orgs.choices import PlaceKind
from houqin.orgs.models import Place

TODAY = timezone.localdate()


class HealthApiTests(HouqinTestCase):
    def setUp(self):
        self.school_class = make_class(self.school_a, head_teacher_user=self.headteacher)
        self.kids = students(self.school_class)

    def post(self, user, path, body=None):
        return self.api(user).post(path, json.dumps(body or {}), content_type="application/json")

    def body(self, **fields):
        absences = fields.pop("absences", [])
        return {
            "class_id": self.school_class.pk,
            "date": str(TODAY),
            "session": "morning",
            "present": 10 - len(absences),
            "absent": len(absences),
            "absences": absences,
            **fields,
        }

    def test_the_head_teacher_submits_a_check_with_an_absent_and_a_feverish_student(self):
        body = self.body(
            absences=[{"student_id": self.kids[0].pk, "reason": "illness", "symptoms": ["cough", "sore_throat"]}],
            unwell=[{"student_id": self.kids[1].pk, "temperature": "38.2"}],
        )
        created = self.post(self.headteacher, "/api/health/checks", body)
        self.assertEqual(created.status_code, 201, created.content)
        data = created.json()
        self.assertEqual((data["present"], data["absent"], data["symptomatic"]), (9, 1, 2))
        self.assertEqual(len(data["cases"]), 2)
        self.assertTrue(data["id"])
        alerts = self.api(self.doctor).get(f"/api/health/alerts?date={TODAY}").json()
        self.assertEqual(alerts["count"], 1)
        alert = alerts["items"][0]
        self.assertEqual((alert["kind"], alert["class_id"], alert["cases"]), ("fever", self.school_class.pk, 1))
        self.assertIsNone(alert["reported_at"])
        self.assertIn("+08:00", alert["report_due_at"])

    def test_a_duplicate_check_is_409_and_a_correction_goes_through_its_own_endpoint(self):
        first = self.post(self.headteacher, "/api/health/checks", self.body())
        self.assertEqual(self.post(self.headteacher, "/api/health/checks", self.body()).status_code, 409)
        corrected = self.post(
            self.doctor,
            f"/api/health/checks/{first.json()['id']}/correct",
            {"present": 9, "absent": 1, "symptomatic": 0, "note": "一人早退"},
        )
        self.assertEqual(corrected.status_code, 200, corrected.content)
        self.assertEqual(corrected.json()["present"], 9)

    def test_60_degrees_is_422_naming_the_field_and_nothing_is_saved(self):
        body = self.body(
            absences=[{"student_id": self.kids[0].pk, "reason": "illness", "symptoms": ["fever"], "temperature": 60}]
        )
        response = self.post(self.headteacher, "/api/health/checks", body)
        self.assertEqual(response.status_code, 422)
        error = response.json()["detail"][0]
        self.assertEqual(error["loc"], ["body", "absences.0.temperature"])
        self.assertIn("60.0", error["msg"])  # "体温 60.0 °C 不是人体温度" once translated
        self.assertFalse(ClassCheck.objects.exists() or StudentCase.objects.exists())

    def test_counts_that_do_not_add_up_are_422(self):
        response = self.post(self.headteacher, "/api/health/checks", self.body(present=8))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "present"])
        missing_entry = self.post(self.headteacher, "/api/health/checks", self.body(present=9, absent=1))
        self.assertEqual(missing_entry.json()["detail"][0]["loc"], ["body", "absences"])

    def test_another_schools_class_is_404_another_head_teachers_class_is_403(self):
        other_school = make_class(self.school_b, name="一年级一班")
        self.assertEqual(
            self.post(self.headteacher, "/api/health/checks", self.body(class_id=other_school.pk)).status_code, 404
        )
        other_class = make_class(self.school_a, name="四年级一班")
        response = self.post(self.headteacher, "/api/health/checks", self.body(class_id=other_class.pk))
        self.assertEqual(response.status_code, 403)
        self.assertTrue(response.json()["detail"])
        self.assertEqual(
            self.post(self.doctor, "/api/health/checks", self.body(class_id=other_class.pk)).status_code, 201
        )

    def test_without_login_401_without_permission_403(self):
        self.assertEqual(self.api().get("/api/health/alerts").status_code, 401)
        self.assertEqual(self.post(self.teacher, "/api/health/checks", self.body()).status_code, 403)
        self.assertEqual(self.api(self.guard).get("/api/health/daily-report").status_code, 403)

    def test_lists_filter_and_mask_names_for_readers_without_the_need(self):
        self.post(
            self.headteacher,
            "/api/health/checks",
            self.body(absences=[{"student_id": self.kids[0].pk, "reason": "unknown"}]),
        )
        checks = self.api(self.doctor).get(f"/api/health/checks?date={TODAY}&class_id={self.school_class.pk}").json()
        self.assertEqual(checks["count"], 1)
        mine = self.api(self.headteacher).get("/api/health/absences").json()
        self.assertEqual(mine["items"][0]["student_name"], self.kids[0].name)
        self.assertEqual(self.api(self.principal).get("/api/health/absences").status_code, 403)
        self.assertEqual(self.api(self.headteacher_b).get("/api/health/absences").json()["count"], 0)

    def test_reading_a_case_is_audited_and_limited_to_the_own_class(self):
        self.post(
            self.headteacher,
            "/api/health/checks",
            self.body(absences=[{"student_id": self.kids[0].pk, "reason": "unknown"}]),
        )
        case = StudentCase.objects.get()
        self.assertEqual(self.api(self.headteacher).get(f"/api/health/cases/{case.pk}").status_code, 200)
        self.assertTrue(AuditEvent.objects.filter(action="health.studentcase.viewed", actor=self.headteacher).exists())
        self.assertEqual(self.api(self.doctor_b).get(f"/api/health/cases/{case.pk}").status_code, 404)

    def test_follow_up_and_return_with_a_certificate(self):
        self.post(
            self.headteacher,
            "/api/health/checks",
            self.body(
                absences=[
                    {"student_id": self.kids[0].pk, "reason": "unknown"},
                    {"student_id": self.kids[1].pk, "reason": "illness", "symptoms": ["rash"], "disease": "chickenpox"},
                ]
            ),
        )
        unknown, chickenpox = (StudentCase.objects.get(student=k) for k in self.kids[:2])
        followed = self.post(
            self.headteacher,
            f"/api/health/cases/{unknown.pk}/follow-up",
            {"family_answer": "家中有事", "reason": "personal"},
        )
        self.assertEqual(followed.status_code, 200, followed.content)
        self.assertEqual(followed.json()["reason"], "personal")
        late = timezone.now() - dt.timedelta(days=1)
        again = self.post(
            self.headteacher,
            f"/api/health/cases/{unknown.pk}/follow-up",
            {"family_answer": "x", "contacted_at": late.isoformat()},
        )
        self.assertEqual(again.status_code, 409)
        refused = self.post(self.headteacher, f"/api/health/cases/{chickenpox.pk}/return", {})
        self.assertEqual(refused.status_code, 422)
        self.assertEqual(refused.json()["detail"][0]["loc"], ["body", "certificate"])
        back = self.post(
            self.headteacher,
            f"/api/health/cases/{chickenpox.pk}/return",
            {"certificate_ref": "区人民医院复课证明 118 号"},
        )
        self.assertEqual(back.json()["returned_on"], str(TODAY))

    def test_alert_report_and_the_bureau_daily_report(self):
        self.post(
            self.headteacher,
            "/api/health/checks",
            self.body(
                absences=[{"student_id": k.pk, "reason": "illness", "symptoms": ["vomiting"]} for k in self.kids[:3]]
            ),
        )
        alert = HealthAlert.objects.get()
        self.assertEqual(self.post(self.headteacher, f"/api/health/alerts/{alert.pk}/report").status_code, 403)
        reported = self.post(self.doctor, f"/api/health/alerts/{alert.pk}/report", {"note": "已电话报区疾控中心"})
        self.assertEqual(reported.json()["status"], "reported")
        self.assertEqual(self.post(self.doctor, f"/api/health/alerts/{alert.pk}/report").status_code, 409)
        self.assertEqual(self.api(self.bureau).get("/api/health/alerts").json()["count"], 1)
        report = self.api(self.bureau).get(f"/api/health/daily-report?date={TODAY}").json()
        self.assertEqual(report["count"], 2)
        row = next(r for r in report["items"] if r["school_name"] == "实验小学")
        self.assertEqual((row["absent"], row["illness_absent"], row["by_symptom"]), (3, 3, {"vomiting": 3}))
        self.assertEqual(self.api(self.doctor).get("/api/health/daily-report").json()["count"], 1)

    def test_disinfection_below_the_minimum_is_422(self):
        area = Place.objects.create(school=self.school_a, name="一楼走廊", kind=PlaceKind.AREA)
        schedule = self.post(
            self.doctor,
            "/api/health/disinfection/schedules",
            {
                "area_id": area.pk,
                "agent": "含氯消毒剂",
                "min_concentration": "500",
                "contact_minutes": 30,
            },
        )
        self.assertEqual(schedule.status_code, 201, schedule.content)
        body = {"schedule_id": schedule.json()["id"], "concentration": "250", "contact_minutes": 30}
        low = self.post(self.logistics, "/api/health/disinfection/records", body)
        self.assertEqual(low.status_code, 422)
        self.assertEqual(low.json()["detail"][0]["loc"], ["body", "concentration"])
        ok = self.post(self.logistics, "/api/health/disinfection/records", {**body, "concentration": "500"})
        self.assertEqual(ok.status_code, 201, ok.content)
        missed = self.api(self.doctor).get("/api/health/disinfection/missed").json()
        self.assertTrue(all(m["schedule_id"] == schedule.json()["id"] for m in missed))

    def test_observation_room_in_and_out(self):
        visit = self.post(
            self.doctor,
            "/api/health/observation-visits",
            {"student_id": self.kids[0].pk, "temperature": "37.8", "symptoms": ["fever"]},
        )
        self.assertEqual(visit.status_code, 201, visit.content)
        closed = self.post(
            self.doctor, f"/api/health/observation-visits/{visit.json()['id']}/close", {"outcome": "sent_home"}
        )
        self.assertIsNotNone(closed.json()["left_at"])
        self.assertEqual(self.api(self.doctor).get("/api/health/observation-visits?in_room=true").json()["count"], 0)

    def _queries_for_check_list(self):
        client = self.api(self.doctor)
        client.get("/api/health/checks")  # session and user loaded once
        with CaptureQueriesContext(connection) as queries:
            client.get("/api/health/checks")
        return len(queries)

    def test_the_check_list_does_not_grow_queries_with_rows(self):
        services.check_submit(
            actor=self.doctor, school_class=self.school_class, date=TODAY, session="morning", present=10, absent=0
        )
        one_row = self._queries_for_check_list()
        for n in range(5):
            other = make_class(self.school_a, name=f"五年级{n}班", size=1)
            services.check_submit(
                actor=self.doctor, school_class=other, date=TODAY, session="morning", present=1, absent=0
            )
        self.assertEqual(self._queries_for_check_list(), one_row)
