"""`houqin health_alerts`: raise today's alerts for unexplained absences not followed up by the cut-off (F3, 5.9).

Run it from cron after the follow-up cut-off (e.g. every 30 minutes in school hours); each alert is raised once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from houqin.health.services import raise_unknown_absence_alerts
from houqin.orgs.models import School


class Command(BaseCommand):
    help = "Raise the alerts for many unexplained absences not followed up by the cut-off (health.unknown_*)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", type=int, help="one school's id (default: every school)")

    def handle(self, *args: Any, school: int | None = None, **options: Any) -> None:
        schools = School.objects.order_by("pk")
        if school is not None:
            schools = schools.filter(pk=school)
        day, total = timezone.localdate(), 0
        for each in schools:
            raised = raise_unknown_absence_alerts(school=each, day=day)
            total += len(raised)
            if raised:
                self.stdout.write(f"{each.name}: {len(raised)}")
        self.stdout.write(f"{total}")
