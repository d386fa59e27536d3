import datetime as dt
import time

from django.test import TestCase
from django.utils import timezone

from houqin.accounts.models import User
from houqin.canteen import selectors
from houqin.canteen.demo import canteen
from houqin.canteen.models import Delivery, Feedback, FridgeReading, ParentMeal, Sample
from houqin.demo.registry import DemoContext, steps


class CanteenDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # The organisation and logins (orders below 100), then this module's step on its own, timed.
        ctx = DemoContext()
        for step in steps():
            if step.order < 100:
                step.function(ctx)
        started = time.perf_counter()
        canteen(ctx)
        cls.step_seconds = time.perf_counter() - started
        cls.manager = User.objects.get(username="canteen")
        cls.school = cls.manager.school

    def test_one_meal_misses_a_sample_and_a_few_lack_a_leader(self):
        today = timezone.localdate()
        meals = selectors.meal_statuses(self.school, today - dt.timedelta(days=150), today)
        self.assertGreater(len(meals), 20)
        self.assertEqual(len([m for m in meals if not m.samples_complete and m.day < today]), 1)
        self.assertTrue(1 <= len(selectors.meals_without_leader(self.school, today, days=150)) <= 6)

    def test_feedback_inspections_and_certificates(self):
        self.assertTrue(Feedback.objects.filter(text__contains="胡萝卜").exclude(reply="").exists())
        self.assertTrue(Delivery.objects.visible_to(self.manager).exists())
        self.assertEqual(selectors.expiring_certificates(self.school, timezone.localdate()).count(), 1)
        self.assertTrue(Sample.objects.filter(weight_g__gte=125).exists())
        self.assertFalse(Sample.objects.filter(weight_g__lt=125).exists())

    def test_fridge_readings_parent_meals_and_the_committee(self):
        self.assertEqual(FridgeReading.objects.filter(out_of_range=True).count(), 1)
        self.assertTrue(ParentMeal.objects.exists())
        semester = selectors.semester_on(self.school, timezone.localdate())
        if semester is not None:
            self.assertTrue(selectors.committee_status(self.school, semester).complete)

    def test_the_step_is_quick(self):
        self.assertLess(self.step_seconds, 10)

    def test_the_home_page_lines_are_quick(self):
        from houqin.canteen.today import items_for

        items_for(self.manager)  # the first call loads the URL configuration
        with self.assertNumQueries(15):  # + open food incidents, + the semester (survey due from week 16)
            lines = items_for(self.manager)
        self.assertTrue(lines)
