"""`houqin purge_visitors`: anonymise visitor records older than each school's retention period (G4)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from houqin.orgs.models import School
from houqin.visitors.services import visitors_purge


class Command(BaseCommand):
    help = "Anonymise visitor personal data older than the retention period (policy visitors.retention_days)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only count what would be anonymised")
        parser.add_argument("--school", type=int, help="one school's id (default: every school)")

    def handle(self, *args: Any, dry_run: bool = False, school: int | None = None, **options: Any) -> None:
        schools = School.objects.order_by("pk")
        if school is not None:
            schools = schools.filter(pk=school)
        total = 0
        for each in schools:
            count = visitors_purge(school=each, dry_run=dry_run)
            total += count
            if count:
                self.stdout.write(f"{each.name}: {count}")
        template = _("%(count)s visits would be anonymised.") if dry_run else _("%(count)s visits anonymised.")
        self.stdout.write(self.style.SUCCESS(template % {"count": total}))
