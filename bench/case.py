"""One benchmark case in its own process (settings are per process): set up the database, time the pages."""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import django

WARMUP = 5
RUNS = int(os.environ.get("BENCH_RUNS", "100"))
ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def prepare_database(setup: str) -> None:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        import psycopg

        with psycopg.connect(
            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_data(setup: str) -> tuple[Any, Any, str]:
    """Returns (school user, bureau user, description)."""
    from django.core.management import call_command

    from houqin.accounts.models import User, UserRole
    from houqin.accounts.roles import Role
    from houqin.orgs.models import Person

    if setup == "demo":
        call_command("demo", verbosity=0)
        school_user = User.objects.get(username="logistics")
        bureau_user = User.objects.get(username="bureau")
        description = f"demo data, {Person.objects.count()} people in {school_user.district.schools.count()} schools"
        return school_user, bureau_user, description
    from bench.district import build_district

    _, schools, staff = setup.split(":")
    started = time.perf_counter()
    district = build_district(schools=int(schools), staff_per_school=int(staff))
    load_seconds = time.perf_counter() - started
    school = district.schools.order_by("pk").first()
    school_user = User.objects.create_user(
        "bench_logistics", "Bench-pass-1", school=school, district=district, name="基准后勤"
    )
    UserRole.objects.create(user=school_user, role=Role.LOGISTICS_HEAD)
    bureau_user = User.objects.create_user("bench_bureau", "Bench-pass-1", district=district, name="基准科员")
    UserRole.objects.create(user=bureau_user, role=Role.BUREAU_STAFF)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    description = f"{Person.objects.count()} people in {schools} schools (loaded in {load_seconds:.1f} s)"
    return school_user, bureau_user, description


def main_query(captured: list[dict], table: str = "orgs_person") -> str | None:
    """The page's main SELECT on `table` (the one with LIMIT), to run bare."""
    for query in captured:
        sql = query["sql"]
        if f'FROM "{table}"' in sql and "LIMIT" in sql and "COUNT(" not in sql:
            return sql
    return None


def time_request(client: Any, url: str, table: str = "orgs_person") -> tuple[list[float], int, str | None, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:500])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    captured = list(ctx.captured_queries)  # copy now: the next request's request_started resets the query log
    rows = len(response.json()["items"]) if url.startswith("/api/") else response.content.count(b"<tr data-row")
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, len(captured), main_query(captured, table), rows


def time_bare(sql: str) -> list[float]:
    from django.db import connection

    timings = []
    with connection.cursor() as cursor:
        for _ in range(WARMUP):
            cursor.execute(sql)
            cursor.fetchall()
        for _ in range(RUNS):
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def measure(label: str, client: Any, url: str, table: str = "orgs_person") -> dict:
    timings, queries, sql, rows = time_request(client, url, table)
    row = {
        "label": label,
        "url": url,
        "queries": queries,
        "rows": rows,
        "p50": statistics.median(timings),
        "p95": percentile(timings, 95),
    }
    if sql:
        bare = time_bare(sql)
        row.update(bare_p50=statistics.median(bare), bare_p95=percentile(bare, 95))
    return row


def session_cookie(user: Any) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "houqin.accounts.backends.RoleBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_rss_mb(master_pid: int) -> list[float]:
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master_pid:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def gunicorn_run(urls: list[str], cookie: str, requests: int = 600) -> dict:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "houqin.wsgi:application",
            "-c",
            str(ROOT / "houqin/gunicorn_conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        timings = []
        for n in range(requests):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{urls[n % len(urls)]}", headers={"Cookie": f"sessionid={cookie}"}
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
            timings.append((time.perf_counter() - started) * 1000)
        rss = worker_rss_mb(process.pid)
        return {
            "requests": requests,
            "workers": len(rss),
            "max_rss_mb": max(rss) if rss else 0.0,
            "p50": statistics.median(timings),
            "p95": percentile(timings, 95),
        }
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--setup", required=True)
    parser.add_argument("--name", required=True)
    args = parser.parse_args()
    prepare_database(args.setup)
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)
    # As in Django's own test client runs: keep one connection for the in-process requests, so that the queries of a
    # request can be captured and the bare query runs on the same connection.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    school_user, bureau_user, description = load_data(args.setup)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(school_user, backend="houqin.accounts.backends.RoleBackend")
    bureau = Client(HTTP_HOST="127.0.0.1")
    bureau.force_login(bureau_user, backend="houqin.accounts.backends.RoleBackend")
    from houqin.core.search import pinyin_index
    from houqin.orgs.models import Person

    someone = Person.objects.visible_to(school_user).exclude(department=None).order_by("pk").first()
    department = someone.department
    initial = pinyin_index(someone.name).split()[-1][:1]
    rows = [
        measure("home page (school)", client, "/"),
        measure("people list page", client, "/orgs/people/"),
        measure("people list page, filtered", client, f"/orgs/people/?q={initial}&department={department.pk}"),
        measure("API people limit=50", client, "/api/orgs/people?limit=50"),
        measure("API people q=w limit=50", client, "/api/orgs/people?q=w&limit=50"),
        measure("people list page (bureau)", bureau, "/orgs/people/"),
        measure("API people (bureau) limit=50", bureau, "/api/orgs/people?limit=50"),
    ]
    page_queries = {limit: time_request(client, f"/api/orgs/people?limit={limit}")[1] for limit in (10, 100)}
    result = {
        "name": args.name,
        "description": description,
        "rows": rows,
        "page_queries": page_queries,
        "constant_queries": len(set(page_queries.values())) == 1,
    }
    result["gunicorn"] = gunicorn_run(["/", "/orgs/people/", "/api/orgs/people?limit=50"], session_cookie(school_user))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
