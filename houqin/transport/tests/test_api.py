import datetime as dt
import json

from django.utils.translation import gettext as _

from houqin.core.models import Notification
from houqin.core.testing import HouqinTestCase
from houqin.transport.models import Trip
from houqin.transport.tests.factories import CHECKS, add_rider, make_driver, make_route, make_student, make_trip
from houqin.transport.tests.test_services import person_for


class TransportApiTests(HouqinTestCase):
    def setUp(self):
        self.route = make_route(self.school_a)
        self.attendant = person_for(self.teacher)
        self.small = make_student(self.school_a, "王小一", grade=1)
        self.big = make_student(self.school_a, "李大五", grade=5)
        for student in (self.small, self.big):
            add_rider(self.route, student)

    def post(self, user, path, body=None):
        return self.api(user).post(path, json.dumps(body or {}), content_type="application/json")

    def trip(self, **fields):
        return make_trip(self.route, self.attendant, **fields)

    def test_routes_come_with_their_stops_in_order(self):
        body = self.api(self.safety).get("/api/transport/routes").json()
        self.assertEqual(body["count"], 1)
        self.assertEqual([s["name"] for s in body["items"][0]["stops"]], ["东湖小区", "西陵广场"])

    def test_planning_a_trip_with_defaults_from_the_route(self):
        body = {
            "route_id": self.route.pk,
            "date": "2025-06-01",
            "direction": "to_school",
            "attendant_id": self.attendant.pk,
        }
        created = self.post(self.safety, "/api/transport/trips", body)
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["vehicle_id"], self.route.vehicle_id)
        self.assertEqual(created.json()["on_board"], 0)
        self.assertEqual(len(created.json()["students"]), 2)

    def test_a_driver_over_age_is_409_in_chinese(self):
        old = make_driver(self.school_a, name="老李", birth_date=dt.date(1964, 6, 1))
        body = {
            "route_id": self.route.pk,
            "date": "2025-06-01",
            "direction": "from_school",
            "attendant_id": self.attendant.pk,
            "driver_id": old.pk,
        }
        response = self.post(self.safety, "/api/transport/trips", body)
        self.assertEqual(response.status_code, 409)
        self.assertIn("61", response.json()["detail"])
        self.assertFalse(Trip.objects.exists())

    def test_bad_direction_is_422(self):
        body = {
            "route_id": self.route.pk,
            "date": "2025-06-01",
            "direction": "sideways",
            "attendant_id": self.attendant.pk,
        }
        self.assertEqual(self.post(self.safety, "/api/transport/trips", body).status_code, 422)

    def test_the_attendants_trip_from_boarding_to_close(self):
        trip = self.trip()
        url = f"/api/transport/trips/{trip.pk}"
        boarded = self.post(self.teacher, f"{url}/board", {"student_ids": [self.small.pk, self.big.pk]})
        self.assertEqual(boarded.json()["on_board"], 2)
        self.assertEqual(self.post(self.teacher, f"{url}/board", {"student_ids": [self.big.pk]}).status_code, 409)
        self.assertEqual(self.post(self.teacher, f"{url}/depart", {"check_brakes": True}).status_code, 409)
        departed = self.post(self.teacher, f"{url}/depart", {**CHECKS, "doors_and_belts": True})
        self.assertEqual(departed.json()["status"], "departed")
        stop = self.route.stops.first()
        alighted = self.post(self.teacher, f"{url}/alight", {"student_ids": [self.big.pk], "stop_id": stop.pk})
        self.assertEqual(alighted.json()["alighted"], 1)
        refused = self.post(self.teacher, f"{url}/close", {"no_child_left": True})
        self.assertEqual(refused.status_code, 409)
        self.assertIn("王小一", refused.json()["detail"])
        self.assertTrue(Notification.objects.filter(recipient=self.safety).exists())
        stranger = {"student_ids": [self.small.pk], "receiver_name": "路人", "receiver_relation": "邻居"}
        self.assertEqual(self.post(self.teacher, f"{url}/hand-over", stranger).status_code, 409)
        mother = {**stranger, "receiver_name": "王妈妈", "receiver_relation": "母亲"}
        handed = self.post(self.teacher, f"{url}/hand-over", mother)
        self.assertEqual(handed.status_code, 200, handed.content)
        self.assertEqual(self.post(self.teacher, f"{url}/close", {"no_child_left": False}).status_code, 409)
        closed = self.post(self.teacher, f"{url}/close", {"no_child_left": True})
        self.assertEqual(closed.json()["status"], "closed")
        self.assertEqual({s["state"] for s in closed.json()["students"]}, {"alighted", "handed_over"})

    def test_returned_to_school(self):
        trip = self.trip()
        url = f"/api/transport/trips/{trip.pk}"
        self.post(self.teacher, f"{url}/board", {"student_ids": [self.big.pk]})
        returned = self.post(self.teacher, f"{url}/return", {"student_ids": [self.big.pk]})
        self.assertEqual(returned.json()["returned"], 1)

    def test_extra_riders_need_the_flag(self):
        trip = self.trip()
        other = make_student(self.school_a, "周外乘")
        url = f"/api/transport/trips/{trip.pk}/board"
        self.assertEqual(self.post(self.teacher, url, {"student_ids": [other.pk]}).status_code, 409)
        self.assertEqual(self.post(self.teacher, url, {"student_ids": [other.pk], "extra": True}).status_code, 200)

    def test_close_without_the_field_is_422(self):
        trip = self.trip()
        self.assertEqual(self.post(self.teacher, f"/api/transport/trips/{trip.pk}/close", {}).status_code, 422)

    def test_another_attendant_gets_403_and_another_school_404(self):
        trip = self.trip()
        person_for(self.guard, "郑门卫")
        self.assertEqual(self.api(self.guard).get(f"/api/transport/trips/{trip.pk}").status_code, 403)
        board = self.post(self.guard, f"/api/transport/trips/{trip.pk}/board", {"student_ids": [self.big.pk]})
        self.assertEqual(board.status_code, 403)
        self.assertEqual(self.api(self.teacher_b).get(f"/api/transport/trips/{trip.pk}").status_code, 404)
        self.assertEqual(self.api(self.guard).get("/api/transport/trips").json()["count"], 0)
        self.assertEqual(self.api(self.teacher).get("/api/transport/trips").json()["count"], 1)

    def test_anonymous_is_401_and_a_teacher_cannot_see_buses(self):
        self.assertEqual(self.api().get("/api/transport/routes").status_code, 401)
        self.assertEqual(self.api(self.teacher).get("/api/transport/vehicles").status_code, 403)

    def test_the_bureau_sees_bus_compliance(self):
        self.route.vehicle.gps_ok = False
        self.route.vehicle.save()
        body = self.api(self.bureau).get("/api/transport/vehicles").json()
        self.assertEqual(body["count"], 1)
        self.assertIn(_("GPS with driving records not working"), body["items"][0]["problems_today"])
        self.assertEqual(self.api(self.bureau).get("/api/transport/drivers").json()["items"][0]["phone"], "139****5678")

    def test_the_bus_list_reads_the_rules_once(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from houqin.transport.tests.factories import make_vehicle

        client = self.api(self.bureau)
        client.get("/api/transport/vehicles")
        with CaptureQueriesContext(connection) as few:
            client.get("/api/transport/vehicles")
        for n in range(5):
            make_vehicle(self.school_a, plate=f"鄂E·T{n}")
        with CaptureQueriesContext(connection) as many:
            self.assertEqual(client.get("/api/transport/vehicles").json()["count"], 6)
        self.assertEqual(len(few), len(many))

    def test_a_head_teacher_sees_only_their_class_riders(self):
        head = person_for(self.headteacher, "冯班主任")
        self.small.school_class.head_teacher = head
        self.small.school_class.save()
        body = self.api(self.headteacher).get("/api/transport/riders").json()
        self.assertEqual([r["student_name"] for r in body["items"]], ["王小一"])
        self.assertEqual(body["items"][0]["guardians"][0]["phone"], "138****1111")

    def test_vehicles_drivers_routes_stops_riders_and_drills_are_created(self):
        vehicle = self.post(
            self.safety,
            "/api/transport/vehicles",
            {"plate": "鄂E·N0001", "seats": 19, "gps_ok": True, "sign_valid_until": "2026-12-31"},
        )
        self.assertEqual(vehicle.status_code, 201, vehicle.content)
        driver = self.post(
            self.safety,
            "/api/transport/drivers",
            {"name": "赵师傅", "birth_date": "1980-01-01", "licence_since": "2005-01-01", "has_endorsement": True},
        )
        self.assertEqual(driver.status_code, 201, driver.content)
        route = self.post(
            self.safety,
            "/api/transport/routes",
            {"name": "二号线", "vehicle_id": vehicle.json()["id"], "driver_id": driver.json()["id"], "trip_number": 2},
        )
        self.assertEqual(route.status_code, 201, route.content)
        route_id = route.json()["id"]
        stops = self.post(self.safety, f"/api/transport/routes/{route_id}/stops", {"name": "桃花岭", "time": "16:40"})
        stop_id = stops.json()["stops"][0]["id"]
        rider = self.post(
            self.safety,
            f"/api/transport/routes/{route_id}/riders",
            {"student_id": self.big.pk, "stop_id": stop_id, "guardians": [{"name": "李爸爸", "relation": "父亲"}]},
        )
        self.assertEqual(rider.status_code, 201, rider.content)
        wrong_stop = self.post(
            self.safety, f"/api/transport/routes/{route_id}/riders", {"student_id": self.small.pk, "stop_id": 999999}
        )
        self.assertEqual(wrong_stop.status_code, 422)
        drill = self.post(self.safety, "/api/transport/drills", {"held_on": str(dt.date.today()), "participants": 30})
        self.assertEqual(drill.status_code, 201, drill.content)
        self.assertEqual(self.api(self.bureau).get("/api/transport/drills").json()["count"], 1)

    def test_a_waiting_room_and_its_sign_off(self):
        from houqin.orgs.choices import PlaceKind
        from houqin.orgs.models import Place

        room = Place.objects.create(school=self.school_a, name="阅览室", kind=PlaceKind.ROOM, full_name="阅览室")
        head = person_for(self.headteacher, "冯班主任")
        body = {
            "date": str(dt.date.today()),
            "room_id": room.pk,
            "teacher_id": head.pk,
            "student_ids": [self.small.pk, self.big.pk],
        }
        created = self.post(self.safety, "/api/transport/waiting", body)
        self.assertEqual(created.status_code, 201, created.content)
        url = f"/api/transport/waiting/{created.json()['id']}/sign-off"
        self.assertEqual(self.post(self.guard, url, {"student_ids": [self.big.pk]}).status_code, 403)
        signed = self.post(self.headteacher, url, {"student_ids": [self.big.pk]})
        self.assertEqual(sum(1 for s in signed.json()["students"] if s["signed_off_at"]), 1)
        self.assertEqual(self.api(self.headteacher).get("/api/transport/waiting").json()["count"], 1)
        self.assertEqual(self.api(self.guard).get("/api/transport/waiting").json()["count"], 0)
