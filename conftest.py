"""Test-run policy shared by every test.

- HOUQIN_TEST_STRICT=1 turns any skipped test into a failed run (CI must run everything).
- Tests marked `postgres` run only when the database is PostgreSQL; on SQLite they are deselected (they run in
  the PostgreSQL pass of CI), not skipped.
"""

from __future__ import annotations

import os

import pytest

STRICT = os.environ.get("HOUQIN_TEST_STRICT", "") in {"1", "true", "yes"}


def _database_is_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _database_is_postgres():
        return
    selected, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgres") else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
        config._houqin_pg_deselected = len(deselected)  # type: ignore[attr-defined]


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    count = getattr(config, "_houqin_pg_deselected", 0)
    if count:
        terminalreporter.write_line(
            f"{count} PostgreSQL-only tests were not run on this database "
            "(set HOUQIN_DATABASE_URL=postgresql://… to run them)."
        )
    skipped = terminalreporter.stats.get("skipped", [])
    if STRICT and skipped:
        terminalreporter.write_line(f"HOUQIN_TEST_STRICT=1: {len(skipped)} skipped tests fail this run:", red=True)
        for report in skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            terminalreporter.write_line(f"  {report.nodeid}: {reason}", red=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if STRICT and reporter is not None and reporter.stats.get("skipped") and session.exitstatus == 0:
        session.exitstatus = 1
