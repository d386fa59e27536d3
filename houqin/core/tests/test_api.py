from unittest import mock

from django.db import IntegrityError
from django.db.utils import OperationalError
from django.test import Client

from houqin.core import audit
from houqin.core.api import CONFLICT
from houqin.core.testing import HouqinTestCase

# The "Foundation" section of the public API contract (docs: API version 1); these must never disappear.
FOUNDATION = {
    ("get", "/api/me"): [],
    ("get", "/api/orgs/departments"): [],
    ("post", "/api/orgs/departments"): [],
    ("get", "/api/orgs/places"): [],
    ("post", "/api/orgs/places"): [],
    ("get", "/api/orgs/people"): [],
    ("post", "/api/orgs/people"): [],
    ("get", "/api/orgs/classes"): [],
    ("post", "/api/orgs/classes"): [],
    ("get", "/api/orgs/students"): ["class_id"],
    ("get", "/api/orgs/semesters"): [],
    ("get", "/api/audit"): ["target_type", "target_id"],
    ("post", "/api/auth/token"): [],
}


class ContractTests(HouqinTestCase):
    def test_the_openapi_document_lists_every_foundation_path_and_filter(self):
        response = Client().get("/api/openapi.json")
        self.assertEqual(response.status_code, 200)
        paths = response.json()["paths"]
        for (method, path), params in FOUNDATION.items():
            with self.subTest(method=method, path=path):
                self.assertIn(method, paths.get(path, {}))
                names = {p["name"] for p in paths[path][method].get("parameters", [])}
                self.assertLessEqual(set(params), names)

    def test_the_api_docs_page_is_served(self):
        self.assertEqual(Client().get("/api/docs").status_code, 200)

    def test_every_response_carries_a_request_id(self):
        response = self.api(self.logistics).get("/api/me", HTTP_X_REQUEST_ID="trace-12345678")
        self.assertEqual(response["X-Request-ID"], "trace-12345678")


class HealthzTests(HouqinTestCase):
    def test_it_answers_ok_without_login(self):
        response = Client().get("/healthz")
        self.assertEqual((response.status_code, response.json()), (200, {"status": "ok", "database": "ok"}))

    def test_it_answers_503_when_the_database_is_unreachable(self):
        with mock.patch("houqin.core.views.connection.cursor", side_effect=OperationalError("down")):
            response = Client().get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertNotEqual(response.json()["database"], "ok")


class AuditApiTests(HouqinTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.renamed = audit.record(
            actor=cls.logistics,
            action="orgs.department.updated",
            target=cls.department_a,
            changes={"name": ["总务处", "后勤处"]},
            message="合并科室",
        )
        cls.created = audit.record(actor=cls.admin, action="orgs.department.created", target=cls.department_a)
        cls.other_target = audit.record(actor=cls.admin, action="orgs.school.updated", target=cls.school_a)
        cls.other_school = audit.record(
            actor=cls.logistics_b, action="orgs.department.updated", target=cls.department_b
        )

    def events(self, user=None, **params):
        response = self.api(user or self.principal).get("/api/audit", params)
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def test_it_filters_by_target(self):
        body = self.events(target_type="orgs.department", target_id=str(self.department_a.pk))
        self.assertEqual([e["id"] for e in body["items"]], [self.created.pk, self.renamed.pk])

    def test_each_event_has_the_contract_fields(self):
        body = self.events(
            target_type="orgs.department", target_id=str(self.department_a.pk), action="orgs.department.updated"
        )
        (event,) = body["items"]
        self.assertEqual(
            {k: event[k] for k in ("actor_name", "action", "changes", "message")},
            {
                "actor_name": "李后勤",
                "action": "orgs.department.updated",
                "changes": {"name": ["总务处", "后勤处"]},
                "message": "合并科室",
            },
        )
        self.assertTrue(event["occurred_at"].endswith("+08:00"))

    def test_it_never_shows_another_schools_events(self):
        ids = {e["id"] for e in self.events()["items"]}
        self.assertNotIn(self.other_school.pk, ids)
        self.assertEqual(ids, {self.renamed.pk, self.created.pk, self.other_target.pk})

    def test_bureau_staff_see_both_schools(self):
        ids = {e["id"] for e in self.events(self.bureau)["items"]}
        self.assertIn(self.other_school.pk, ids)

    def test_staff_without_the_permission_are_refused(self):
        self.assertEqual(self.api(self.teacher).get("/api/audit").status_code, 403)

    def test_a_filter_with_a_nul_character_is_refused(self):
        response = self.api(self.principal).get("/api/audit", {"target_id": "1\x00"})
        self.assertEqual(response.status_code, 422)


class ErrorShapeTests(HouqinTestCase):
    def test_a_database_conflict_is_409_not_500(self):
        with mock.patch("houqin.orgs.services.create_audited", side_effect=IntegrityError("duplicate")):
            response = self.api(self.logistics).post(
                "/api/orgs/departments", {"name": "督导室"}, content_type="application/json"
            )
        self.assertEqual((response.status_code, response.json()), (409, {"detail": str(CONFLICT)}))

    def test_an_unknown_path_is_404(self):
        self.assertEqual(self.api(self.logistics).get("/api/orgs/nothing-here").status_code, 404)

    def test_a_wrong_method_is_405(self):
        self.assertEqual(self.api(self.logistics).delete("/api/orgs/departments").status_code, 405)
