import datetime as dt

from django.test import TestCase

from houqin.accounts.models import User
from houqin.demo.builder import build
from houqin.safety import selectors
from houqin.safety.choices import HazardSource, HazardStatus
from houqin.safety.models import Hazard, HazardCampaign, Inspection


class SafetyDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build()
        cls.officer = User.objects.get(username="safety")

    def test_the_stats_page_window_shows_the_seeds_68_8_for_the_campaigns(self):
        """The seeds' "排查出隐患16处，整改11，整改率为69%" is the 拉网式 campaigns' line of the 'by source' table;
        the gate's and the cameras' own findings come on top of it."""
        start, end = selectors.default_window(self.officer)
        found = selectors.hazards_found_between(user=self.officer, start=start, end=end)
        by_source = {row["key"]: row for row in selectors.hazard_breakdown(found, "source")}
        campaigns = by_source[HazardSource.CAMPAIGN]
        self.assertEqual((campaigns["found"], campaigns["closed"], campaigns["rate"]), (16, 11, 68.8))
        self.assertEqual(selectors.stats_of(found.filter(source=HazardSource.CAMPAIGN)).overdue, 2)
        self.assertGreaterEqual(selectors.stats_of(found).found, 16)

    def test_four_campaigns_found_the_hazards(self):
        campaigns = HazardCampaign.objects.visible_to(self.officer)
        self.assertEqual(campaigns.count(), 4)
        self.assertEqual(Hazard.objects.visible_to(self.officer).filter(campaign__in=campaigns).count(), 16)

    def test_closed_hazards_were_verified_by_someone_other_than_the_rectifier(self):
        closed = Hazard.objects.filter(status=HazardStatus.CLOSED)
        self.assertTrue(closed.exists())
        self.assertFalse([h for h in closed if h.verified_by_id == h.rectified_by_id])

    def test_a_term_of_inspections_with_a_missed_check(self):
        inspections = Inspection.objects.visible_to(self.officer)
        self.assertGreater(inspections.count(), 100)
        day_after = inspections.latest("performed_on").performed_on + dt.timedelta(days=1)
        missed = selectors.missed_checks(user=self.officer, on=day_after)
        self.assertIn("图书室", " ".join(str(check.place) for check in missed))

    def test_the_seeds_481_notices_with_most_receipts_back(self):
        notices = selectors.notices_with_returns(user=self.officer)
        self.assertEqual(sorted(n.sent for n in notices), [481, 481])
        self.assertTrue(all(0 < n.returned < n.sent for n in notices))

    def test_a_term_month_without_an_evacuation_drill_is_flagged(self):
        start, end = selectors.default_window(self.officer)
        months = selectors.drill_months(school=self.officer.school, start=start, end=end)
        self.assertEqual(sum(1 for m in months if m.short), 1)

    def test_agreements_with_a_few_unsigned_including_the_demo_teacher(self):
        teacher = User.objects.get(username="teacher")
        self.assertTrue(selectors.signatures_for(user=teacher).filter(signed_at__isnull=True).exists())
        coverage = [a.signed / a.to_sign for a in selectors.agreements_with_coverage(user=self.officer)]
        self.assertTrue(all(0.8 < c <= 1 for c in coverage))
