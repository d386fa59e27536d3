"""`houqin restore <file>`: replace the whole database by a backup made with `houqin backup`."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core.backup import BackupError, check, database_has_data, restore

HAS_DATA = gettext_noop("The database already has data, and restoring replaces all of it. Add --yes to go ahead.")
CONFIRM = gettext_noop("The database already has data, and restoring replaces all of it. Type yes to go ahead: ")
CANCELLED = gettext_noop("Restore cancelled: nothing was changed.")
DONE = gettext_noop("Database restored from %(path)s. Run `houqin migrate` if the backup comes from an older version.")


class Command(BaseCommand):
    help = "Replace the whole database by a backup made with `houqin backup`. Stop the server first."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The backup file.")
        parser.add_argument("--yes", action="store_true", help="Replace a database that has data without asking.")

    def handle(self, *args, file: Path, yes: bool = False, **options) -> None:
        try:
            check(file)
            if not yes and database_has_data():
                self._confirm()
            restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(_(DONE) % {"path": file}))

    def _confirm(self) -> None:
        if not sys.stdin.isatty():
            raise CommandError(_(HAS_DATA))
        if input(_(CONFIRM)).strip().lower() != "yes":
            raise CommandError(_(CANCELLED))
