import datetime as dt
import json

from django.test import Client
from django.utils import timezone

from houqin.core.testing import HouqinTestCase
from houqin.safety.models import Hazard
from houqin.security.models import GuardShift, PatrolLog
from houqin.security.tests.factories import make_guard, make_person, make_route


class SecurityApiTests(HouqinTestCase):
    def post(self, user, path, body=None):
        return self.api(user).post(path, json.dumps(body or {}), content_type="application/json")

    def test_a_patrol_with_a_finding_through_the_api(self):
        route = self.post(
            self.safety,
            "/api/security/routes",
            {"name": "重点部位", "is_key_area": True, "checkpoints": [{"name": "校门"}, {"name": "配电房"}]},
        )
        self.assertEqual(route.status_code, 201, route.content)
        points = [c["id"] for c in route.json()["checkpoints"]]
        started = self.post(self.guard, "/api/security/patrols", {"route_id": route.json()["id"]})
        self.assertEqual(started.status_code, 201, started.content)
        patrol = started.json()["id"]
        self.assertEqual(self.post(self.guard, f"/api/security/patrols/{patrol}/finish").status_code, 409)
        self.post(self.guard, f"/api/security/patrols/{patrol}/checks", {"checkpoint_id": points[0]})
        missing_note = self.post(
            self.guard, f"/api/security/patrols/{patrol}/checks", {"checkpoint_id": points[1], "result": "finding"}
        )
        self.assertEqual(missing_note.status_code, 422)
        self.assertEqual(missing_note.json()["detail"][0]["loc"], ["body", "note"])
        found = self.post(
            self.guard,
            f"/api/security/patrols/{patrol}/checks",
            {"checkpoint_id": points[1], "result": "finding", "note": "配电房门未锁"},
        )
        self.assertEqual(found.status_code, 201)
        self.assertEqual(found.json()["checks"][1]["hazard_id"], Hazard.objects.get().pk)
        finished = self.post(self.guard, f"/api/security/patrols/{patrol}/finish")
        self.assertEqual(finished.json()["status"], "finished")
        listed = self.api(self.safety).get("/api/security/patrols").json()
        self.assertEqual(listed["count"], 1)
        days = self.api(self.safety).get("/api/security/patrol-days?since=" + str(timezone.localdate())).json()
        self.assertEqual((days[0]["key_area"], days[0]["required"], days[0]["short"]), (1, 5, True))

    def test_401_403_404(self):
        route = make_route(self.safety)
        self.assertEqual(Client().get("/api/security/patrols").status_code, 401)
        self.assertEqual(self.post(self.teacher, "/api/security/patrols", {"route_id": route.pk}).status_code, 403)
        self.assertEqual(self.post(self.guard_b, "/api/security/patrols", {"route_id": route.pk}).status_code, 404)
        self.assertEqual(self.api(self.safety_b).get(f"/api/security/routes/{route.pk}").status_code, 404)
        self.assertFalse(PatrolLog.objects.exists())

    def test_roster_refuses_an_unvetted_guard_and_lists_gaps(self):
        person = make_person(self.school_a, "钱保安")
        body = {"person_id": person.pk, "day": str(timezone.localdate()), "starts": "08:00", "ends": "20:00"}
        refused = self.post(self.safety, "/api/security/roster", body)
        self.assertEqual(refused.status_code, 422)
        self.assertEqual(refused.json()["detail"][0]["loc"], ["body", "person"])
        guard = make_guard(self.safety)
        created = self.post(self.safety, "/api/security/roster", {**body, "person_id": guard.pk})
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(self.api(self.guard).get("/api/security/roster").json()["count"], 1)
        self.assertEqual(GuardShift.objects.count(), 1)
        staffing = self.api(self.bureau).get("/api/security/staffing").json()
        ours = next(row for row in staffing if row["school_id"] == self.school_a.pk)
        self.assertEqual((ours["required_guards"], ours["rostered_guards"], len(ours["gaps"])), (1, 1, 2))
        self.assertEqual({row["school_id"] for row in staffing}, {self.school_a.pk, self.school_b.pk})
        self.assertEqual(len(self.api(self.safety).get("/api/security/staffing").json()), 1)

    def test_cameras_retention_and_footage(self):
        short = self.post(self.safety, "/api/security/cameras", {"name": "1号", "covers": "校门", "retention_days": 20})
        self.assertEqual(short.status_code, 422)
        self.assertEqual(short.json()["detail"][0]["loc"], ["body", "retention_days"])
        camera = self.post(self.safety, "/api/security/cameras", {"name": "1号", "covers": "校门"}).json()
        fault = self.post(self.safety, f"/api/security/cameras/{camera['id']}/fault", {"note": "黑屏"})
        self.assertEqual(fault.json()["status"], "fault")
        now = timezone.now()
        request = self.post(
            self.principal,
            "/api/security/footage-requests",
            {
                "camera_id": camera["id"],
                "purpose": "查找遗失物品",
                "period_from": (now - dt.timedelta(hours=2)).isoformat(),
                "period_to": (now - dt.timedelta(hours=1)).isoformat(),
            },
        ).json()
        own = self.post(self.principal, f"/api/security/footage-requests/{request['id']}/decide", {"approve": True})
        self.assertEqual(own.status_code, 409)
        other = self.post(self.logistics, f"/api/security/footage-requests/{request['id']}/decide", {"approve": True})
        self.assertEqual(other.json()["status"], "approved")
        self.assertEqual(self.api(self.bureau).get("/api/security/cameras").json()["count"], 1)


class ListQueryTests(HouqinTestCase):
    def queries_for(self, path):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = self.api(self.safety)
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(client.get(path).status_code, 200)
        return len(captured)

    def test_lists_do_not_grow_queries_with_rows(self):
        from houqin.security import services
        from houqin.security.tests.factories import walk

        route = make_route(self.safety)
        walk(self.guard, route)
        before = {p: self.queries_for(p) for p in ("/api/security/patrols", "/api/security/routes")}
        for _n in range(3):
            walk(self.guard, make_route(self.safety, "夜间巡逻"))
        services.camera_create(actor=self.safety, school=self.school_a, name="2号", covers="操场")
        after = {p: self.queries_for(p) for p in before}
        self.assertEqual(before, after)
