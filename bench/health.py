"""Health checks under load and at district scale.

    python -m bench.health peak        # the morning peak on the default SQLite install, then with synchronous=FULL
    python -m bench.health district    # 200 schools x 40 classes x 2 checks x 180 days on PostgreSQL

peak: a fresh SQLite demo database served by gunicorn (the `houqin serve` settings); 60 head teachers' class checks
are posted by 3 clients while 5 clients reload the doctor's "today" dashboard, for 60 s (BENCH_SECONDS). Reports
the requests, errors ("database is locked" in the server log or any 5xx), submit and dashboard p50/p95 over
loopback, and the dashboard's in-process time against its queries run bare.

district: the bureau's daily report for one day and one school's semester statistics, each against its queries
run bare on the same connection (BENCH_SCHOOLS, BENCH_RUNS).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_HEALTH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/houqin_bench_health")
TEACHERS = 60
SUBMITTERS, WATCHERS = 3, 5
DASHBOARD = "/health/"


def _setup_django(database_url: str, **extra: str) -> None:
    os.environ.update(
        HOUQIN_DATABASE_URL=database_url,
        HOUQIN_DEBUG="0",
        HOUQIN_TESTING="0",
        DJANGO_SETTINGS_MODULE="houqin.settings",
        **extra,
    )


# --- the morning peak ------------------------------------------------------------------------------------------


def _teachers_with_classes(count: int) -> list[tuple[Any, Any]]:
    """(head teacher user, class) pairs: the demo school's head teachers, and more classes with their own until
    there are `count`."""
    from houqin.accounts.models import User, UserRole
    from houqin.accounts.roles import Role
    from houqin.orgs.models import Person, SchoolClass, Student

    school = User.objects.get(username="doctor").school
    pairs = []
    classes = SchoolClass.objects.filter(school=school).select_related("head_teacher").order_by("grade", "number")
    for n, school_class in enumerate(classes):
        if len(pairs) == count:
            break
        person = school_class.head_teacher
        user = getattr(person, "user", None) if person else None
        if user is None:
            user = User(username=f"bench_ht_{n}", school=school, district_id=school.district_id, person=person)
            user.set_unusable_password()
            user.save()
            UserRole.objects.create(user=user, role=Role.HEAD_TEACHER)
        pairs.append((user, school_class))
    for n in range(len(pairs), count):
        person = Person.objects.create(school=school, name=f"基准班主任{n}")
        school_class = SchoolClass.objects.create(
            school=school, name=f"基准{n}班", grade=1 + n % 6, number=50 + n, head_teacher=person
        )
        Student.objects.bulk_create(
            [Student(school=school, school_class=school_class, name=f"学生{n}-{k}") for k in range(40)]
        )
        user = User(username=f"bench_ht_{n}", school=school, district_id=school.district_id, person=person)
        user.set_unusable_password()
        user.save()
        UserRole.objects.create(user=user, role=Role.HEAD_TEACHER)
        pairs.append((user, school_class))
    return pairs


def _submissions(pairs: list[tuple[Any, Any]]) -> list[tuple[str, dict]]:
    """One check per class, session and day over the last weeks, newest first, none recorded yet."""
    from houqin.accounts.services import api_token_create
    from houqin.health.models import ClassCheck
    from houqin.orgs.models import Student

    enrolled = {c.pk: Student.objects.filter(school_class=c, is_active=True).count() for _u, c in pairs}
    tokens = {user.pk: api_token_create(user=user, name="bench")[1] for user, _c in pairs}
    done = set(ClassCheck.objects.values_list("school_class_id", "date", "session"))
    today = dt.date.today()
    jobs = []
    for back in range(1, 60):
        day = today - dt.timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for session in ("morning", "noon"):
            for user, school_class in pairs:
                if (school_class.pk, day, session) in done:
                    continue
                body = {
                    "class_id": school_class.pk,
                    "date": day.isoformat(),
                    "session": session,
                    "present": enrolled[school_class.pk],
                    "absent": 0,
                    "absences": [],
                }
                jobs.append((tokens[user.pk], body))
    return jobs


class Load:
    """Clients hammering a server for a while; each records (kind, milliseconds, status)."""

    def __init__(self, base: str, seconds: float) -> None:
        self.base, self.deadline = base, time.monotonic() + seconds
        self.samples: list[tuple[str, float, int]] = []
        self.lock = threading.Lock()

    def _send(self, kind: str, request: urllib.request.Request) -> None:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        with self.lock:
            self.samples.append((kind, (time.perf_counter() - started) * 1000, status))

    def submitter(self, jobs: list[tuple[str, dict]]) -> None:
        while time.monotonic() < self.deadline:
            with self.lock:
                if not jobs:
                    return
                token, body = jobs.pop()
            request = urllib.request.Request(
                self.base + "/api/health/checks",
                data=json.dumps(body).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                method="POST",
            )
            self._send("submit", request)

    def watcher(self, cookie: str) -> None:
        while time.monotonic() < self.deadline:
            self._send("dashboard", urllib.request.Request(self.base + DASHBOARD, headers={"Cookie": cookie}))


def _serve(log: Path) -> tuple[subprocess.Popen, str]:
    from bench.case import free_port

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "houqin/gunicorn_conf.py"), "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return process, base
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def _summary(samples: list[tuple[str, float, int]], kind: str) -> dict:
    from bench.case import percentile

    times = [ms for k, ms, _s in samples if k == kind]
    statuses: dict[int, int] = {}
    for k, _ms, status in samples:
        if k == kind:
            statuses[status] = statuses.get(status, 0) + 1
    return {
        "requests": len(times),
        "statuses": statuses,
        "p50": statistics.median(times) if times else 0.0,
        "p95": percentile(times, 95) if times else 0.0,
    }


def peak_case(synchronous: str) -> dict:
    """One run in this process: a fresh demo database, the load, then the dashboard against its bare queries."""
    import signal

    import django

    with tempfile.TemporaryDirectory() as tmp:
        _setup_django(f"sqlite:///{tmp}/peak.sqlite3", HOUQIN_SQLITE_SYNCHRONOUS=synchronous)
        django.setup()
        from django.core.management import call_command

        from bench.case import session_cookie
        from houqin.accounts.models import User

        call_command("migrate", verbosity=0)
        call_command("demo", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        jobs = _submissions(_teachers_with_classes(TEACHERS))
        doctor = User.objects.get(username="doctor")
        cookie = f"sessionid={session_cookie(doctor)}"
        seconds = float(os.environ.get("BENCH_SECONDS", "60"))
        log = Path(tmp) / "server.log"
        process, base = _serve(log)
        try:
            load = Load(base, seconds)
            threads = [threading.Thread(target=load.submitter, args=(jobs,)) for _ in range(SUBMITTERS)]
            threads += [threading.Thread(target=load.watcher, args=(cookie,)) for _ in range(WATCHERS)]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        locked = log.read_text(errors="replace").count("database is locked")
        from django.test import Client

        from bench.safety import time_all

        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(doctor, backend="houqin.accounts.backends.RoleBackend")
        inprocess = time_all(client, DASHBOARD, int(os.environ.get("BENCH_RUNS", "100")))
    return {
        "synchronous": synchronous,
        "seconds": elapsed,
        "submit": _summary(load.samples, "submit"),
        "dashboard": _summary(load.samples, "dashboard"),
        "locked": locked,
        "inprocess": inprocess,
    }


def _print_peak(result: dict) -> None:
    submit, dashboard, inproc = result["submit"], result["dashboard"], result["inprocess"]
    print(
        f"\n== Morning peak on SQLite (synchronous={result['synchronous']}), {result['seconds']:.0f} s, "
        f"{SUBMITTERS} submitting + {WATCHERS} watching clients, 2 gunicorn workers"
    )
    for name, row in (("class check submitted (POST)", submit), ("doctor's dashboard (GET)", dashboard)):
        print(
            f"{name:<32} {row['requests']:>6} requests  p50 {row['p50']:7.1f} ms  p95 {row['p95']:7.1f} ms  "
            f"statuses {row['statuses']}"
        )
    print(f"'database is locked' in the server log: {result['locked']}")
    print(
        f"dashboard in-process: p50 {inproc['p50']:.2f} ms, p95 {inproc['p95']:.2f} ms, {inproc['queries']} queries; "
        f"the same queries bare p50 {inproc['bare_p50']:.2f} ms → {inproc['p50'] / inproc['bare_p50']:.1f}x"
    )


# --- the district ------------------------------------------------------------------------------------------------


def _school_days(days: int) -> list[dt.date]:
    today = dt.date.today()
    found: list[dt.date] = []
    day = today - dt.timedelta(days=1)
    while len(found) < days:
        if day.weekday() < 5:
            found.append(day)
        day -= dt.timedelta(days=1)
    return sorted(found)


def build_district(schools: int, classes: int, days: int) -> tuple[Any, Any, str]:
    from django.db import connection
    from django.utils import timezone

    from bench.district import build_district as district_of
    from bench.safety import _officer_bureau
    from houqin.accounts.models import User, UserRole
    from houqin.accounts.roles import Role
    from houqin.health.models import ClassCheck, StudentCase
    from houqin.orgs.models import SchoolClass, Semester, Student

    started = time.perf_counter()
    rng = random.Random(5)
    district = district_of(schools=schools, staff_per_school=10)
    school_days = _school_days(days)
    Semester.objects.create(
        district=district, name="本学期", starts_on=school_days[0], ends_on=school_days[-1] + dt.timedelta(days=30)
    )
    doctors = []
    for school in district.schools.order_by("pk"):
        doctor = User(username=f"bench_doctor_{school.pk}", school=school, district=district, name="基准校医")
        doctor.set_unusable_password()
        doctor.save()
        UserRole.objects.create(user=doctor, role=Role.DOCTOR)
        doctors.append(doctor)
        rows = SchoolClass.objects.bulk_create(
            [
                SchoolClass(school=school, name=f"{1 + n // 7}年级{1 + n % 7}班", grade=1 + n // 7, number=1 + n % 7)
                for n in range(classes)
            ]
        )
        students = Student.objects.bulk_create(
            [Student(school=school, school_class=c, name=f"学生{k}") for c in rows for k in range(40)], batch_size=5000
        )
        by_class: dict[int, list[Any]] = {}
        for student in students:
            by_class.setdefault(student.school_class_id, []).append(student)
        checks, absent_of = [], {}
        for day in school_days:
            moment = timezone.make_aware(dt.datetime.combine(day, dt.time(7, 50)))
            for school_class in rows:
                absent = rng.choice((0, 0, 0, 1, 1, 2))
                for session in ("morning", "noon"):
                    check = ClassCheck(
                        school=school,
                        school_class=school_class,
                        date=day,
                        session=session,
                        enrolled=40,
                        present=40 - absent,
                        absent=absent,
                        checked_by=doctor,
                        checked_at=moment,
                    )
                    checks.append(check)
                    absent_of[id(check)] = absent
        ClassCheck.objects.bulk_create(checks, batch_size=5000)
        cases = [
            StudentCase(
                school=school,
                check_record=check,
                student=by_class[check.school_class_id][k],
                school_class_id=check.school_class_id,
                date=check.date,
                is_absent=True,
                reason=rng.choice(("illness", "personal", "illness")),
                symptoms=rng.choice(([], ["fever"], ["cough"], ["fever", "cough"])),
            )
            for check in checks
            if check.session == "morning"
            for k in range(absent_of[id(check)])
        ]
        StudentCase.objects.bulk_create(cases, batch_size=5000)
    bureau = _officer_bureau(district)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    description = (
        f"{schools} schools x {classes} classes x 2 checks x {len(school_days)} days: "
        f"{ClassCheck.objects.count():,} checks, {StudentCase.objects.count():,} absences "
        f"(loaded in {time.perf_counter() - started:.0f} s)"
    )
    return doctors[0], bureau, description


def district_case() -> None:
    _setup_django(os.environ.get("HOUQIN_DATABASE_URL_BENCH", PG_URL))
    from bench.case import RUNS, prepare_database

    prepare_database("health")
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import Client

    from bench.safety import time_all

    call_command("collectstatic", interactive=False, verbosity=0)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    schools = int(os.environ.get("BENCH_SCHOOLS", "200"))
    doctor, bureau_user, description = build_district(schools, int(os.environ.get("BENCH_CLASSES", "40")), 180)
    school, bureau = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    school.force_login(doctor, backend="houqin.accounts.backends.RoleBackend")
    bureau.force_login(bureau_user, backend="houqin.accounts.backends.RoleBackend")
    day = _school_days(1)[0].isoformat()
    cases = [
        ("daily report API (bureau)", bureau, f"/api/health/daily-report?date={day}"),
        ("daily report page (bureau)", bureau, f"/health/daily-report/?date={day}"),
        ("semester statistics API (school)", school, "/api/health/stats"),
        ("semester statistics page (school)", school, "/health/stats/"),
    ]
    print(f"\n== Health on PostgreSQL: {description}")
    print(f"{'case':<36}{'queries':>8}{'p50':>9}{'p95':>9}{'bare p50':>10}{'bare p95':>10}{'ratio':>8}")
    for label, client, url in cases:
        try:
            r = time_all(client, url, RUNS)
        except AssertionError as error:  # a page this install does not have
            print(f"{label:<36} not measured: {str(error)[:80]}")
            continue
        print(
            f"{label:<36}{r['queries']:>8}{r['p50']:>9.2f}{r['p95']:>9.2f}{r['bare_p50']:>10.2f}"
            f"{r['bare_p95']:>10.2f}{r['p50'] / r['bare_p50']:>7.1f}x"
        )


def main() -> None:
    what = sys.argv[1] if len(sys.argv) > 1 else "peak"
    if what == "district":
        district_case()
        return
    if what == "peak-run":  # one synchronous mode, in its own process (settings are per process)
        print(json.dumps(peak_case(sys.argv[2])))
        return
    for synchronous in ("NORMAL", "FULL"):
        out = subprocess.run(
            [sys.executable, "-m", "bench.health", "peak-run", synchronous],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            print(out.stdout[-2000:], out.stderr[-4000:], file=sys.stderr)
            raise SystemExit("the peak benchmark failed")
        _print_peak(json.loads(out.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
