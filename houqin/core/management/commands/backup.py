"""`houqin backup <file>`: a consistent copy of the whole database (see houqin/core/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from houqin.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent copy of the database to a file (SQLite backup API, or pg_dump for PostgreSQL)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="Where to write the backup.")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = file.stat().st_size / 1024 / 1024
        self.stdout.write(
            self.style.SUCCESS(_("Backup written to %(path)s (%(size).1f MB).") % {"path": file, "size": size})
        )
