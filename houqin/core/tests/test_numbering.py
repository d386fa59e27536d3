import threading

import pytest

from django.db import connection
from django.test import TransactionTestCase

from houqin.core.numbering import next_number
from houqin.core.testing import HouqinTestCase
from houqin.orgs.models import District, School


class NextNumberTests(HouqinTestCase):
    def test_numbers_start_at_one_and_count_up(self):
        first = next_number(school=self.school_a, prefix="CG", year=2026)
        second = next_number(school=self.school_a, prefix="CG", year=2026)
        self.assertEqual((first, second), ("CG-2026-00001", "CG-2026-00002"))

    def test_each_school_counts_on_its_own(self):
        next_number(school=self.school_a, prefix="CG", year=2026)
        self.assertEqual(next_number(school=self.school_b, prefix="CG", year=2026), "CG-2026-00001")

    def test_each_year_counts_on_its_own(self):
        next_number(school=self.school_a, prefix="CG", year=2026)
        self.assertEqual(next_number(school=self.school_a, prefix="CG", year=2027), "CG-2027-00001")

    def test_each_prefix_counts_on_its_own(self):
        next_number(school=self.school_a, prefix="CG", year=2026)
        self.assertEqual(next_number(school=self.school_a, prefix="LY", year=2026), "LY-2026-00001")

    def test_a_school_id_works_as_well_as_a_school(self):
        next_number(school=self.school_a, prefix="CG", year=2026)
        self.assertEqual(next_number(school=self.school_a.pk, prefix="CG", year=2026), "CG-2026-00002")

    def test_the_width_can_be_chosen(self):
        self.assertEqual(next_number(school=self.school_a, prefix="ZC", year=2026, width=3), "ZC-2026-001")


@pytest.mark.postgres
class ConcurrentNumberTests(TransactionTestCase):
    """Callers in separate transactions at the same moment must never share a number (row lock)."""

    CALLERS = 8
    EACH = 5

    def setUp(self):
        district = District.objects.create(name="并发区")
        self.school = School.objects.create(district=district, name="并发小学")

    def take_numbers(self, barrier: threading.Barrier, results: list[str], errors: list[BaseException]) -> None:
        try:
            barrier.wait()
            for _ in range(self.EACH):
                results.append(next_number(school=self.school, prefix="CG", year=2026))
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            connection.close()

    def test_concurrent_callers_never_get_the_same_number(self):
        barrier = threading.Barrier(self.CALLERS)
        results: list[str] = []
        errors: list[BaseException] = []
        threads = [
            threading.Thread(target=self.take_numbers, args=(barrier, results, errors)) for _ in range(self.CALLERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        total = self.CALLERS * self.EACH
        self.assertEqual(sorted(results), [f"CG-2026-{n:05d}" for n in range(1, total + 1)])
