"""`houqin backup` / `houqin restore`: a round trip brings back every row and every audit event.

The round trips run the real console script against a scratch database of their own (a SQLite file, or a
PostgreSQL database created for the test), so the test database is never touched.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from django.core.management import CommandError, call_command
from django.db import connection

HOUQIN = [sys.executable, "-m", "houqin.cli"]
SCHOOL = ["createschool", "--district", "示例区教育局", "--name", "实验小学"]
ADMIN = ["--admin-username", "xiaowang", "--admin-password", "Xiaoxue-2026"]


def houqin(database_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOUQIN_DATABASE_URL": database_url, "HOUQIN_TESTING": "1"}
    return subprocess.run(
        [*HOUQIN, *args], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120, check=check
    )


def snapshot(db, tables: list[str]) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    cursor = db.cursor()
    rows = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')
        rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def damage(db) -> None:
    """What a bad day does: audit events gone, a school renamed, an administrator's role removed."""
    cursor = db.cursor()
    cursor.execute("DELETE FROM core_auditevent")
    cursor.execute("UPDATE orgs_school SET name = 'renamed'")
    cursor.execute("DELETE FROM accounts_userrole")
    db.commit()


#
# SQLite
#


def sqlite_tables(db: sqlite3.Connection) -> list[str]:
    return [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, dict]]:
    """A migrated SQLite database with a school, its administrator and their audit events, and its backup."""
    folder = tmp_path_factory.mktemp("backup")
    url = f"sqlite:///{folder / 'live.sqlite3'}"
    houqin(url, "migrate", "--noinput", "-v0")
    houqin(url, *SCHOOL, *ADMIN)
    houqin(url, "backup", str(folder / "copy.sqlite3"))
    db = sqlite3.connect(folder / "live.sqlite3")
    before = snapshot(db, sqlite_tables(db))
    db.close()
    yield url, folder, before


def test_sqlite_restore_brings_back_every_row_and_audit_event(sqlite_site):
    url, folder, before = sqlite_site
    assert before["core_auditevent"] and before["orgs_school"]
    db = sqlite3.connect(folder / "live.sqlite3")
    damage(db)
    db.close()
    houqin(url, "restore", "--yes", str(folder / "copy.sqlite3"))
    db = sqlite3.connect(folder / "live.sqlite3")
    assert snapshot(db, sqlite_tables(db)) == before
    db.close()


def test_restore_without_yes_refuses_a_database_that_has_data(sqlite_site):
    url, folder, _before = sqlite_site
    result = houqin(url, "restore", str(folder / "copy.sqlite3"), check=False)
    assert result.returncode == 1
    assert "--yes" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_backup_is_one_self_contained_file(sqlite_site):
    _url, folder, _before = sqlite_site
    db = sqlite3.connect(folder / "copy.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    db.close()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")
    with pytest.raises(CommandError):
        call_command("restore", str(junk), yes=True)


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing.db"), yes=True)


def test_backup_into_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(CommandError):
        call_command("backup", str(tmp_path / "no" / "such" / "copy.db"))


#
# PostgreSQL (pg_dump / pg_restore)
#


@pytest.fixture
def pg_scratch() -> Iterator[tuple[str, dict]]:
    """An empty PostgreSQL database next to the test database, dropped afterwards."""
    import psycopg

    settings = connection.settings_dict
    params = {"host": settings["HOST"] or None, "port": settings["PORT"] or None, "user": settings["USER"] or None}
    params = {k: v for k, v in params.items() if v is not None}
    if settings["PASSWORD"]:
        params["password"] = settings["PASSWORD"]
    name = f"houqin_backup_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    url = (
        f"postgresql://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"
    )
    try:
        yield url, {**params, "dbname": name}
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_postgresql_restore_brings_back_every_row_and_audit_event(pg_scratch, tmp_path):
    import psycopg

    url, params = pg_scratch
    houqin(url, "migrate", "--noinput", "-v0")
    houqin(url, *SCHOOL, *ADMIN)
    houqin(url, "backup", str(tmp_path / "copy.dump"))
    with psycopg.connect(**params) as db:
        tables = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        before = snapshot(db, tables)
        assert before["core_auditevent"] and before["orgs_school"]
        damage(db)
    houqin(url, "restore", "--yes", str(tmp_path / "copy.dump"))
    with psycopg.connect(**params) as db:
        assert snapshot(db, tables) == before
