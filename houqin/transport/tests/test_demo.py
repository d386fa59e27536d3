from django.test import TestCase

from houqin.accounts.models import User
from houqin.demo.builder import build
from houqin.transport import selectors
from houqin.transport.models import BusDrill, Route, Trip, WaitingSession


class SchoolBusDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build()
        cls.safety = User.objects.get(username="safety")
        cls.teacher = User.objects.get(username="teacher")

    def test_two_routes_one_outsourced_with_its_agreement(self):
        routes = Route.objects.visible_to(self.safety)
        self.assertEqual(routes.count(), 2)
        outsourced = routes.get(is_outsourced=True)
        self.assertIsNotNone(outsourced.agreement_filed_on)
        self.assertFalse(any(selectors.route_problems(r) for r in routes))

    def test_closed_trips_balance_and_one_mismatch_was_resolved(self):
        trips = Trip.objects.visible_to(self.safety)
        self.assertGreater(trips.filter(status="closed").count(), 20)
        resolved = trips.get(mismatch_at__isnull=False)
        self.assertEqual(resolved.status, "closed")
        roster = selectors.roster(resolved)
        self.assertEqual(roster.boarded, roster.alighted + roster.handed_over + roster.returned)

    def test_the_attendant_has_a_trip_to_run_today(self):
        self.assertTrue(selectors.open_trips_today(user=self.teacher).exists())

    def test_a_waiting_room_and_a_drill(self):
        self.assertTrue(WaitingSession.objects.visible_to(self.safety).get().students.exists())
        self.assertEqual(BusDrill.objects.visible_to(self.safety).count(), 1)

    def test_speeding_this_morning_to_review_and_a_rainy_trip_reviewed(self):
        to_review = list(selectors.speeding_to_review(user=self.safety))
        self.assertEqual(len(to_review), 1)
        self.assertEqual(selectors.unreviewed_speeding(to_review[0]).count(), 4)
        rainy = Trip.objects.visible_to(self.safety).exclude(adverse_conditions="").get()
        self.assertEqual({r.limit_kmh for r in rainy.speed_records.all()}, {20})
        self.assertEqual(selectors.unreviewed_speeding(rainy).count(), 0)
        self.assertTrue(selectors.speeding(rainy).exists())
