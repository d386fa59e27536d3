"""Campus safety at district scale on PostgreSQL: a district of 200 schools with a year of daily inspections and
hazards. Times the due-today page of one school, the hazard list (school and bureau) and the district's hazard
statistics, each against the bare SQL it runs (every query the request ran, re-run on the same connection).

    python -m bench.safety                  # 200 schools (BENCH_SCHOOLS), BENCH_RUNS timed requests per case
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from typing import Any

PG_URL = os.environ.get("BENCH_SAFETY_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/houqin_bench_safety")
DAYS = 365


def _places(school: Any) -> list[Any]:
    """A teaching building (3 floors, 4 classrooms each), a complex with the 三室 and offices, a canteen, a gate."""
    from houqin.core.search import pinyin_index
    from houqin.orgs.choices import PlaceKind, PlaceUse
    from houqin.orgs.models import Place

    def place(name: str, kind: str, parent: Place | None = None, use: str = "") -> Place:
        full = f"{parent.full_name} / {name}" if parent else name
        return Place(
            school=school, name=name, kind=kind, use=use, parent=parent, full_name=full, search_text=pinyin_index(full)
        )

    rows: list[Place] = []
    teaching = place("教学楼", PlaceKind.BUILDING)
    complex_ = place("综合楼", PlaceKind.BUILDING)
    Place.objects.bulk_create([teaching, complex_])
    floors = [place(f"{n}层", PlaceKind.FLOOR, teaching) for n in (1, 2, 3)]
    Place.objects.bulk_create(floors)
    for floor in floors:
        rows += [place(f"{floor.name[0]}0{n}教室", PlaceKind.ROOM, floor, PlaceUse.CLASSROOM) for n in (1, 2, 3, 4)]
    rows += [
        place("科学实验室", PlaceKind.ROOM, complex_, PlaceUse.LAB),
        place("微机室", PlaceKind.ROOM, complex_, PlaceUse.FUNCTION_ROOM),
        place("图书室", PlaceKind.ROOM, complex_, PlaceUse.FUNCTION_ROOM),
        place("总务处", PlaceKind.ROOM, complex_, PlaceUse.OFFICE),
        place("食堂", PlaceKind.BUILDING, None, PlaceUse.CANTEEN),
        place("校门", PlaceKind.AREA, None, PlaceUse.GATE),
    ]
    return Place.objects.bulk_create(rows)


def _officer(school: Any, role: str, username: str) -> Any:
    from houqin.accounts.models import User, UserRole

    user = User(username=username, school=school, district_id=school.district_id, name="基准安全")
    user.set_unusable_password()
    user.save()
    UserRole.objects.create(user=user, role=role)
    return user


def _school_days(district: Any) -> list[dt.date]:
    from houqin.safety.selectors import Calendar

    calendar = Calendar(district.pk)
    today = dt.date.today()
    days = (today - dt.timedelta(days=n) for n in range(DAYS))
    return sorted(day for day in days if calendar.is_school_day(day))


def _inspections(school: Any, inspector: Any, days: list[dt.date], rng: random.Random) -> Iterator[Any]:
    from django.utils import timezone

    from houqin.safety.choices import Frequency
    from houqin.safety.models import ChecklistTemplate, Inspection

    for template in ChecklistTemplate.objects.filter(school=school, frequency=Frequency.DAILY).prefetch_related(
        "places"
    ):
        for place in template.places.all():
            for day in days:
                if rng.random() < 0.03:
                    continue
                moment = dt.datetime.combine(day, dt.time(7, 30)) + dt.timedelta(minutes=rng.randint(0, 120))
                yield Inspection(
                    school=school,
                    template=template,
                    place=place,
                    inspector=inspector,
                    performed_at=timezone.make_aware(moment),
                    performed_on=day,
                )


def _hazards(school: Any, reporter: Any, places: list[Any], rng: random.Random, count: int = 60) -> Iterator[Any]:
    from django.utils import timezone

    from houqin.core.search import pinyin_index
    from houqin.safety.choices import HazardCategory, HazardLevel, HazardSource, HazardStatus
    from houqin.safety.models import Hazard

    today = dt.date.today()
    for n in range(count):
        found = today - dt.timedelta(days=rng.randrange(DAYS))
        deadline = found + dt.timedelta(days=rng.choice((7, 14, 30)))
        outcome = rng.random()
        closed, rectified = outcome < 0.7, outcome < 0.8
        title = rng.choice(("灭火器过期", "插座松动", "窗户限位器缺失", "围墙开裂", "应急灯损坏", "楼梯扶手松动"))
        rectified_on = min(found + dt.timedelta(days=rng.randint(1, 20)), today) if rectified else None
        yield Hazard(
            school=school,
            number=f"YH-{found.year}-{n + 1:05d}",
            title=title,
            search_text=pinyin_index(title),
            place=rng.choice(places),
            category=rng.choice(list(HazardCategory)),
            level=HazardLevel.GENERAL,
            source=rng.choice(list(HazardSource)),
            found_on=found,
            reported_by=reporter,
            deadline=deadline,
            rectified_on=rectified_on,
            rectified_by=reporter if rectified else None,
            verified_at=timezone.now() if closed else None,
            status=HazardStatus.CLOSED if closed else HazardStatus.RECTIFIED if rectified else HazardStatus.OPEN,
        )


def build(schools: int) -> tuple[Any, Any, str]:
    """The district, returning (a school's safety officer, a bureau user, a description)."""
    from django.db import connection

    from bench.district import build_district
    from houqin.accounts.roles import Role
    from houqin.orgs.models import Semester
    from houqin.safety import services
    from houqin.safety.models import Hazard, Inspection

    started = time.perf_counter()
    rng = random.Random(11)
    district = build_district(schools=schools, staff_per_school=30)
    today = dt.date.today()
    for n, start in enumerate((today - dt.timedelta(days=DAYS), today - dt.timedelta(days=DAYS // 2))):
        Semester.objects.create(
            district=district,
            name=f"学期{n + 1}",
            starts_on=start,
            ends_on=start + dt.timedelta(days=DAYS // 2 - 1) if n == 0 else today + dt.timedelta(days=60),
        )
    days = _school_days(district)
    officers = []
    for school in district.schools.order_by("pk"):
        places = _places(school)
        officer = _officer(school, Role.SAFETY_OFFICER, f"bench_safety_{school.pk}")
        services.templates_install_defaults(actor=officer, school=school, starts_on=days[0])
        Inspection.objects.bulk_create(_inspections(school, officer, days, rng), batch_size=5000)
        Hazard.objects.bulk_create(_hazards(school, officer, places, rng), batch_size=5000)
        officers.append(officer)
    bureau = _officer_bureau(district)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    description = (
        f"{schools} schools, {Inspection.objects.count():,} inspections over {len(days)} school days, "
        f"{Hazard.objects.count():,} hazards (loaded in {time.perf_counter() - started:.0f} s)"
    )
    return officers[0], bureau, description


def _officer_bureau(district: Any) -> Any:
    from houqin.accounts.models import User, UserRole
    from houqin.accounts.roles import Role

    user = User(username="bench_safety_bureau", district=district, name="基准科员")
    user.set_unusable_password()
    user.save()
    UserRole.objects.create(user=user, role=Role.BUREAU_STAFF)
    return user


def time_all(client: Any, url: str, runs: int) -> dict:
    """Page p50/p95, its query count, and the same queries run bare on the same connection (sum per request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.case import WARMUP, percentile

    for _ in range(WARMUP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    captured = list(ctx.captured_queries)  # now: the next request resets the query log
    selects = [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("SELECT")]
    page, bare = [], []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        page.append((time.perf_counter() - started) * 1000)
    with connection.cursor() as cursor:
        for _ in range(runs):
            started = time.perf_counter()
            for sql in selects:
                cursor.execute(sql)
                cursor.fetchall()
            bare.append((time.perf_counter() - started) * 1000)
    return {
        "url": url,
        "queries": len(captured),
        "p50": statistics.median(page),
        "p95": percentile(page, 95),
        "bare_p50": statistics.median(bare),
        "bare_p95": percentile(bare, 95),
    }


def main() -> None:
    os.environ.setdefault("HOUQIN_DATABASE_URL", PG_URL)
    os.environ.update(HOUQIN_DEBUG="0", HOUQIN_TESTING="0", DJANGO_SETTINGS_MODULE="houqin.settings")
    from bench.case import RUNS, prepare_database

    prepare_database("safety")
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import Client

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    schools = int(os.environ.get("BENCH_SCHOOLS", "200"))
    officer, bureau_user, description = build(schools)
    school, bureau = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    school.force_login(officer, backend="houqin.accounts.backends.RoleBackend")
    bureau.force_login(bureau_user, backend="houqin.accounts.backends.RoleBackend")
    cases = [
        ("due today, page (school)", school, "/safety/round/"),
        ("due today, API (school)", school, "/api/safety/inspections/due"),
        ("hazard list page (school)", school, "/safety/hazards/"),
        ("hazard list page (bureau)", bureau, "/safety/hazards/"),
        ("API hazards limit=50 (bureau)", bureau, "/api/safety/hazards?limit=50"),
        ("hazard statistics page (bureau)", bureau, "/safety/stats/"),
        ("API hazard statistics (bureau)", bureau, "/api/safety/hazards/stats"),
    ]
    print(f"\n== Campus safety on PostgreSQL: {description}")
    print(f"{'case':<34}{'queries':>8}{'p50':>9}{'p95':>9}{'bare p50':>10}{'bare p95':>10}{'ratio':>8}")
    for label, client, url in cases:
        r = time_all(client, url, RUNS)
        print(
            f"{label:<34}{r['queries']:>8}{r['p50']:>9.2f}{r['p95']:>9.2f}{r['bare_p50']:>10.2f}"
            f"{r['bare_p95']:>10.2f}{r['p50'] / r['bare_p50']:>7.1f}x"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
