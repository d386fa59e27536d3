"""`houqin demo`: load the demo district (示例区教育局 with 实验小学 and 中南路小学) and print its logins."""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.demo.builder import build, login_rows
from houqin.demo.data import DEMO_PASSWORD
from houqin.demo.registry import DemoError
from houqin.orgs.models import School, Student

NOT_EMPTY = gettext_noop(
    "The database already has schools, so the demo was not loaded. "
    "Use --if-empty to skip quietly, or --force to rebuild the demo schools."
)
SKIPPED = gettext_noop("The database already has schools: the demo was not loaded.")
LOADED = gettext_noop(
    "Demo loaded in %(seconds).1f s: %(schools)d schools, %(classes)d classes, %(students)d students, %(people)d staff."
)
LOGINS = gettext_noop(
    "Demo logins, all with the password %(password)s (for the demo only: it is weaker than the password rules):"
)
OPEN = gettext_noop("Open %(url)s")


class Command(BaseCommand):
    help = (
        "Load the demo district: two schools with staff, classes, students and one login per role "
        "(password houqin-demo, set directly for the demo only). Never run it on a production database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the database has a school.")
        parser.add_argument(
            "--force", action="store_true", help="Delete the demo schools' records, then build them again."
        )

    def handle(self, *args, if_empty: bool = False, force: bool = False, **options) -> None:
        if if_empty and force:
            raise CommandError(_("Use either --if-empty or --force, not both."))
        if School.objects.exists() and not force:
            if not if_empty:
                raise CommandError(_(NOT_EMPTY))
            self.stdout.write(_(SKIPPED))
        else:
            self.load(force=force)
        self.print_logins()

    def load(self, *, force: bool) -> None:
        started = time.monotonic()
        try:
            ctx = build(force=force)
        except DemoError as error:
            raise CommandError(str(error)) from None
        counts = {
            "seconds": time.monotonic() - started,
            "schools": len(ctx.schools),
            "classes": sum(len(s.classes) for s in ctx.schools),
            "students": Student.objects.filter(school__in=[s.school for s in ctx.schools]).count(),
            "people": sum(len(s.people) for s in ctx.schools),
        }
        self.stdout.write(self.style.SUCCESS(_(LOADED) % counts))

    def print_logins(self) -> None:
        rows = login_rows()
        if not rows:
            return
        width = max(len(row.username) for row in rows) + 2
        self.stdout.write("")
        self.stdout.write(_(LOGINS) % {"password": DEMO_PASSWORD})
        for row in rows:
            self.stdout.write(f"  {row.username.ljust(width)}{row.role} · {row.where}")
        url = f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_(OPEN) % {"url": url}))
