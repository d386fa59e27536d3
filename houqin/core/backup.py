"""Consistent copies of the whole database: `houqin backup <file>` and `houqin restore <file>`.

SQLite: the online backup API copies a consistent snapshot while the server keeps running; the copy is one
self-contained file (rollback journal, no -wal). PostgreSQL: pg_dump's custom format, restored with pg_restore
in a single transaction. Uploaded files under the media folder are not part of the copy.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

SQLITE_HEADER = b"SQLite format 3\x00"
# Tables filled by `migrate` itself: their rows do not make a database "have data".
BOOKKEEPING_APPS = {"contenttypes", "auth", "sessions", "admin"}

NO_SUCH_FILE = gettext_noop("The file %(path)s does not exist.")
NO_SUCH_FOLDER = gettext_noop("The folder %(path)s does not exist.")
NOT_SQLITE = gettext_noop("%(path)s is not a SQLite database backup.")
NOT_HOUQIN = gettext_noop("%(path)s is a SQLite database but not a Houqin backup.")
DAMAGED = gettext_noop("%(path)s is damaged: %(detail)s")
NOT_PG_ARCHIVE = gettext_noop("%(path)s is not a PostgreSQL backup made by houqin backup (pg_dump custom format).")
TOOL_MISSING = gettext_noop("%(tool)s was not found: install the PostgreSQL client tools.")
TOOL_FAILED = gettext_noop("%(tool)s failed: %(detail)s")
UNSUPPORTED = gettext_noop("Backups of %(vendor)s databases are not supported.")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the person at the terminal."""


def backup(path: Path) -> None:
    """Write a consistent copy of the database to `path` (replacing it once the copy is complete)."""
    if not path.parent.is_dir():
        raise BackupError(_(NO_SUCH_FOLDER) % {"path": path.parent})
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        _engine("backup")(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def check(path: Path) -> None:
    """Refuse a file that is missing or is not a backup of this kind of database."""
    if not path.is_file():
        raise BackupError(_(NO_SUCH_FILE) % {"path": path})
    _engine("check")(path)


def restore(path: Path) -> None:
    """Replace the whole database by the backup in `path` (checked first)."""
    check(path)
    _engine("restore")(path)
    connection.close()


def database_has_data() -> bool:
    """Whether any Houqin table holds a row (a freshly migrated database has none)."""
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.app_label in BOOKKEEPING_APPS or model._meta.db_table not in tables:
            continue
        if model._base_manager.exists():
            return True
    return False


def _engine(operation: str):
    engines = {
        "sqlite": {"backup": _sqlite_backup, "check": _sqlite_check, "restore": _sqlite_restore},
        "postgresql": {"backup": _pg_backup, "check": _pg_check, "restore": _pg_restore},
    }
    if connection.vendor not in engines:
        raise BackupError(_(UNSUPPORTED) % {"vendor": connection.vendor})
    return engines[connection.vendor][operation]


#
# SQLite
#


def _sqlite_backup(path: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def _sqlite_check(path: Path) -> None:
    with path.open("rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(_(NOT_SQLITE) % {"path": path})
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = source.execute("PRAGMA quick_check").fetchone()[0]
        has_migrations = source.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
        ).fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(_(DAMAGED) % {"path": path, "detail": error}) from None
    finally:
        source.close()
    if result != "ok":
        raise BackupError(_(DAMAGED) % {"path": path, "detail": result})
    if not has_migrations:
        raise BackupError(_(NOT_HOUQIN) % {"path": path})


def _sqlite_restore(path: Path) -> None:
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    connection.ensure_connection()
    try:
        source.backup(connection.connection)
    finally:
        source.close()


#
# PostgreSQL
#


def _pg_command(tool: str, *args: str) -> list[str]:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(_(TOOL_MISSING) % {"tool": tool})
    db = connection.settings_dict
    options = [f"--{flag}={db[key]}" for flag, key in (("host", "HOST"), ("port", "PORT"), ("username", "USER"))]
    return [executable, *(o for o in options if not o.endswith("=")), *args]


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    return env


def _pg_run(tool: str, *args: str) -> None:
    command = _pg_command(tool, *args)
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr.strip() or result.stdout.strip()).splitlines()[-3:]
        raise BackupError(_(TOOL_FAILED) % {"tool": tool, "detail": " ".join(detail)})


def _pg_backup(path: Path) -> None:
    _pg_run("pg_dump", "--format=custom", f"--file={path}", f"--dbname={connection.settings_dict['NAME']}")


def _pg_check(path: Path) -> None:
    command = _pg_command("pg_restore", "--list", str(path))
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(_(NOT_PG_ARCHIVE) % {"path": path})


def _pg_restore(path: Path) -> None:
    connection.close()
    _pg_run(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        f"--dbname={connection.settings_dict['NAME']}",
        str(path),
    )
