import datetime as dt
from io import BytesIO

from openpyxl import load_workbook

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.core.testing import HouqinTestCase
from houqin.orgs.choices import PlaceKind
from houqin.orgs.models import Place
from houqin.transport import services
from houqin.transport.models import BusDrill, Rider, Trip, WaitingSession
from houqin.transport.tests.factories import CHECKS, add_rider, make_route, make_student, make_trip, make_vehicle
from houqin.transport.tests.test_services import person_for


class TransportPageTests(HouqinTestCase):
    def setUp(self):
        self.route = make_route(self.school_a)
        self.attendant = person_for(self.teacher)
        self.student = make_student(self.school_a, "李大五")
        add_rider(self.route, self.student)
        self.trip = make_trip(self.route, self.attendant)

    def login(self, user):
        self.client.force_login(user, backend="houqin.accounts.backends.RoleBackend")

    def record(self, action, **fields):
        url = reverse("transport:trip_record", args=[self.trip.pk])
        return self.client.post(url, {"action": action, "student_id": self.student.pk, **fields})

    def test_the_attendant_runs_the_trip_from_the_phone_screen(self):
        self.login(self.teacher)
        page = self.client.get(self.trip.get_absolute_url())
        self.assertContains(page, 'data-testid="depart-form"')
        self.record("board")
        self.client.post(
            reverse("transport:trip_depart", args=[self.trip.pk]),
            {**dict.fromkeys(CHECKS, "on"), "doors_and_belts": "on"},
        )
        self.assertEqual(Trip.objects.get().status, "departed")
        self.record("alight")
        closed = self.client.post(
            reverse("transport:trip_close", args=[self.trip.pk]), {"no_child_left": "on"}, follow=True
        )
        self.assertEqual(Trip.objects.get().status, "closed")
        self.assertContains(closed, 'data-testid="closed-note"')

    def test_closing_with_a_child_on_board_shows_the_refusal(self):
        self.login(self.teacher)
        self.record("board")
        services.trip_depart(actor=self.teacher, trip=self.trip, doors_and_belts=True, **CHECKS)
        page = self.client.post(
            reverse("transport:trip_close", args=[self.trip.pk]), {"no_child_left": "on"}, follow=True
        )
        self.assertContains(page, "李大五")
        self.assertContains(page, 'data-testid="mismatch"')
        self.assertEqual(Trip.objects.get().status, "departed")

    def test_another_member_of_staff_gets_403_and_another_school_404(self):
        person_for(self.guard, "郑门卫")
        self.login(self.guard)
        self.assertEqual(self.client.get(self.trip.get_absolute_url()).status_code, 403)
        self.assertEqual(self.record("board").status_code, 403)
        self.login(self.teacher_b)
        self.assertEqual(self.client.get(self.trip.get_absolute_url()).status_code, 404)

    def test_a_teacher_cannot_open_the_bus_register(self):
        self.login(self.teacher)
        self.assertEqual(self.client.get(reverse("transport:vehicle_list")).status_code, 403)
        self.assertEqual(self.client.get(reverse("transport:route_list")).status_code, 403)

    def test_buses_show_what_is_expired(self):
        self.route.vehicle.gps_ok = False
        self.route.vehicle.save()
        self.login(self.safety)
        page = self.client.get(reverse("transport:vehicle_list"))
        self.assertContains(page, "data-problem")

    def test_the_rider_export_masks_names_and_phones(self):
        self.login(self.safety)
        export = self.client.get(reverse("transport:rider_list"), {"export": "xlsx"})
        sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
        text = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
        self.assertIn("李**", text)
        self.assertNotIn("李大五", text)
        self.assertNotIn("13800001111", text)

    def test_route_stops_and_riders_from_the_page(self):
        self.login(self.safety)
        self.client.post(reverse("transport:stop_add", args=[self.route.pk]), {"name": "桃花岭", "time": "16:40"})
        self.assertEqual(self.route.stops.count(), 3)
        other = make_student(self.school_a, "周新生")
        self.client.post(
            reverse("transport:rider_add", args=[self.route.pk]),
            {"student": other.pk, "guardian_name": "周爸爸", "guardian_relation": "父亲", "guardian_phone": "139"},
        )
        self.assertTrue(Rider.objects.filter(student=other).exists())

    def test_plan_a_trip_from_the_form_refused_when_the_bus_fails(self):
        self.login(self.safety)
        form = {"route": self.route.pk, "date": "2030-01-01", "direction": "to_school", "attendant": self.attendant.pk}
        page = self.client.post(reverse("transport:trip_create"), form)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "校车标牌")
        form["date"] = "2025-06-02"
        self.assertEqual(self.client.post(reverse("transport:trip_create"), form).status_code, 302)

    def test_waiting_room_opened_and_signed_off(self):
        head = person_for(self.headteacher, "冯班主任")
        room = Place.objects.create(school=self.school_a, name="阅览室", kind=PlaceKind.ROOM, full_name="阅览室")
        self.login(self.safety)
        self.client.post(
            reverse("transport:waiting_list"),
            {"date": "2025-06-01", "room": room.pk, "teacher": head.pk, "students": [self.student.pk]},
        )
        session = WaitingSession.objects.get()
        self.login(self.headteacher)
        self.client.post(reverse("transport:waiting_sign_off", args=[session.pk]), {"student_id": self.student.pk})
        self.assertIsNotNone(session.students.get().signed_off_at)

    def test_drill_page_shows_the_semester_count(self):
        self.login(self.safety)
        self.assertContains(self.client.get(reverse("transport:drill_list")), "0/1")
        self.client.post(reverse("transport:drill_create"), {"held_on": str(dt.date.today()), "participants": 30})
        self.assertEqual(BusDrill.objects.count(), 1)
        self.assertContains(self.client.get(reverse("transport:drill_list")), "1/1")

    def test_trip_screen_queries_do_not_grow_with_riders(self):
        self.login(self.teacher)
        self.client.get(self.trip.get_absolute_url())
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.trip.get_absolute_url())
        for n in range(8):
            student = make_student(self.school_a, f"学生{n}")
            add_rider(self.route, student)
            services.trip_board(actor=self.teacher, trip=self.trip, student_ids=[student.pk])
        with CaptureQueriesContext(connection) as many:
            self.client.get(self.trip.get_absolute_url())
        self.assertEqual(len(few), len(many))

    def test_every_page_renders(self):
        self.login(self.safety)
        for url in (
            reverse("transport:trip_list"),
            reverse("transport:trip_create"),
            self.trip.get_absolute_url(),
            reverse("transport:route_list"),
            reverse("transport:route_create"),
            self.route.get_absolute_url(),
            reverse("transport:rider_list"),
            reverse("transport:vehicle_list"),
            reverse("transport:vehicle_create"),
            self.route.vehicle.get_absolute_url(),
            reverse("transport:driver_list"),
            reverse("transport:driver_create"),
            self.route.driver.get_absolute_url(),
            reverse("transport:waiting_list"),
            reverse("transport:drill_list"),
            reverse("transport:drill_create"),
            reverse("core:home"),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        self.login(self.bureau)
        for url in (
            reverse("transport:vehicle_list"),
            reverse("transport:driver_list"),
            reverse("transport:drill_list"),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)


class TodayTests(HouqinTestCase):
    def test_open_trips_expiring_papers_and_no_drill_show_on_the_home_page(self):
        from django.utils import timezone

        from houqin.transport.today import items_for

        today = timezone.localdate()
        route = make_route(self.school_a)
        route.vehicle.insurance_until = today + dt.timedelta(days=10)
        route.vehicle.save()
        make_trip(route, person_for(self.teacher), date=today)
        titles = {item.title: item.count for item in items_for(self.safety)}
        self.assertEqual(len(titles), 3)
        self.assertIn(1, titles.values())
        self.assertEqual(len(items_for(self.teacher)), 1)  # their own trip, nothing about buses
        self.assertEqual(items_for(self.bureau), [])

    def test_the_bus_list_reads_the_rules_once(self):
        client = Client()
        client.force_login(self.safety, backend="houqin.accounts.backends.RoleBackend")
        make_route(self.school_a)
        client.get(reverse("transport:vehicle_list"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("transport:vehicle_list"))
        for n in range(5):
            make_vehicle(self.school_a, plate=f"鄂E·T{n}")
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("transport:vehicle_list"))
        self.assertEqual(len(few), len(many))
