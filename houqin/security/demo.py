"""Demo 安全保卫 records for 实验小学: a key-area patrol route walked five times a day through the term (some
days short), a night round, the guards vetted this year and a week's gatehouse roster, the seeds' "6 video cameras
at key points" with one in fault, daily fire patrols with a few missed days and countersigned quarterly inspections,
and the gate's emergency equipment with monthly checks.

Routes, cameras and equipment go through the services; the term's patrols and fire patrols are bulk inserts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from houqin.assets import services as assets
from houqin.demo.registry import DemoContext, DemoSchool, register_step
from houqin.safety.demo import demo_window
from houqin.security import services
from houqin.security.choices import CheckResult, EquipmentKind, PatrolStatus, VettingResult
from houqin.security.models import (
    EquipmentCheck,
    FirePatrol,
    GuardShift,
    PatrolCheck,
    PatrolLog,
    PatrolRoute,
    VettingCheck,
)

KEY_POINTS = ("校门", "门卫室 / 监控室", "配电房", "食堂后厨", "教学楼楼道", "围墙周界")
PATROL_TIMES = (dt.time(7, 20), dt.time(9, 40), dt.time(12, 10), dt.time(14, 30), dt.time(17, 10))
CAMERAS = (
    ("校门口1号", "校门及门前道路"),
    ("校门口2号", "接送区及人行道"),
    ("门卫室", "门卫值班台、来访登记处"),
    ("教学楼一层大厅", "教学楼出入口"),
    ("操场", "操场及体育器材室"),
    ("食堂后厨", "后厨操作间"),
)
EQUIPMENT = (
    ("钢叉", EquipmentKind.FORK, "180.00"),
    ("钢叉", EquipmentKind.FORK, "180.00"),
    ("橡胶警棍", EquipmentKind.BATON, "65.00"),
    ("防暴辣椒水", EquipmentKind.PEPPER_SPRAY, "45.00"),
    ("防刺服", EquipmentKind.STAB_VEST, "320.00"),
    ("防暴盾牌", EquipmentKind.SHIELD, "260.00"),
)
SHIFTS = ((dt.time(7), dt.time(15)), (dt.time(15), dt.time(23)), (dt.time(23), dt.time(7)))


def _moment(day: dt.date, time: dt.time, minutes: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time)) + dt.timedelta(minutes=minutes)


def _school_days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [
        start + dt.timedelta(days=n)
        for n in range((end - start).days + 1)
        if (start + dt.timedelta(days=n)).weekday() < 5
    ]


def _checkpoint(demo: DemoSchool, label: str) -> tuple:
    place = demo.places.get(label) or next((p for name, p in demo.places.items() if label in name), None)
    return (place, "" if place else label)


def _patrols(ctx: DemoContext, demo: DemoSchool, route: PatrolRoute, days: list[dt.date]) -> None:
    """Five key-area patrols a day (the gate is guarded at weekends too), one day in eight short by one or two; none yet to come today."""
    guard, now, rng = ctx.users["guard"], timezone.now(), ctx.rng
    logs = []
    for day in days:
        times = PATROL_TIMES[: 5 - rng.choice((1, 2))] if rng.random() < 0.125 else PATROL_TIMES
        for time in times:
            started = _moment(day, time, rng.randint(0, 15))
            if started + dt.timedelta(minutes=25) > now:
                continue
            logs.append(
                PatrolLog(
                    school=demo.school,
                    route=route,
                    patroller=guard,
                    started_at=started,
                    finished_at=started + dt.timedelta(minutes=rng.randint(15, 25)),
                    status=PatrolStatus.FINISHED,
                    is_key_area=True,
                )
            )
    logs = ctx.bulk(logs, school=demo.school)
    points = list(route.checkpoints.all())
    checks = [
        PatrolCheck(
            school=demo.school,
            log=log,
            checkpoint=point,
            result=CheckResult.NORMAL,
            checked_at=log.started_at + dt.timedelta(minutes=3 * n),
        )
        for log in logs
        for n, point in enumerate(points)
    ]
    ctx.bulk(checks, school=demo.school)


def _guards(ctx: DemoContext, demo: DemoSchool, today: dt.date) -> None:
    guards = [p for p in demo.people if p.job_title in ("门卫", "保安", "校门安保员")]
    vetted_on = dt.date(today.year, 1, 1)
    ctx.bulk(
        [
            VettingCheck(
                school=demo.school,
                person=p,
                checked_on=vetted_on,
                result=VettingResult.CLEAR,
                note="派出所出具无犯罪记录证明",
            )
            for p in guards
        ],
        school=demo.school,
    )
    if not guards:
        return
    shifts = [
        GuardShift(
            school=demo.school, person=guards[n % len(guards)], day=today + dt.timedelta(days=d), starts=a, ends=b
        )
        for d in range(-1, 7)
        for n, (a, b) in enumerate(SHIFTS)
        if not (d == 4 and n == 2)  # a night not yet covered next week: the roster shows the gap
    ]
    ctx.bulk(shifts, school=demo.school)


def _cameras(ctx: DemoContext, demo: DemoSchool, now: dt.datetime) -> None:
    safety = ctx.users["safety"]
    cameras = [
        services.camera_create(
            actor=safety, school=demo.school, name=name, covers=covers, place=_checkpoint(demo, name)[0]
        )
        for name, covers in CAMERAS
    ]
    services.camera_report_fault(actor=safety, camera=cameras[4], note="夜间画面无红外补光，看不清")
    request = services.footage_request(
        actor=safety,
        camera=cameras[0],
        purpose="家长反映孩子放学时遗失书包，查看校门口放学时段录像",
        period_from=now - dt.timedelta(days=2, hours=3),
        period_to=now - dt.timedelta(days=2, hours=2),
    )
    services.footage_decide(actor=ctx.users["principal"], request=request, approve=True)


def _fire(ctx: DemoContext, demo: DemoSchool, days: list[dt.date], today: dt.date) -> None:
    guard, rng = ctx.users["guard"], ctx.rng
    patrols = [
        FirePatrol(school=demo.school, day=day, patroller=guard, all_clear=True) for day in days if rng.random() > 0.04
    ]
    ctx.bulk(patrols, school=demo.school)
    inspector, head = demo.staff["safety"], demo.staff["logistics"]
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    for months_back in (3, 6):
        month = quarter_start.month - months_back
        year = quarter_start.year + (month - 1) // 12
        day = dt.date(year, (month - 1) % 12 + 1, 20)
        inspection = services.fire_inspection_record(
            actor=ctx.users["safety"],
            school=demo.school,
            inspected_on=day,
            inspector=inspector,
            department_head=head,
            findings="灭火器压力正常；疏散指示标志完好；教学楼三楼一处应急照明灯不亮，已更换。",
        )
        services.fire_inspection_countersign(actor=ctx.users["logistics"], inspection=inspection)
    services.fire_test_upload(
        actor=ctx.users["safety"],
        school=demo.school,
        year=today.year,
        tested_on=max(dt.date(today.year, 1, 1), today - dt.timedelta(days=40)),
        company="安达消防检测公司",
        report=ContentFile(b"%PDF-1.4\n% demo report\n", name="fire-system-test.pdf"),
    )


def _equipment(ctx: DemoContext, demo: DemoSchool, today: dt.date) -> None:
    keeper, guard = ctx.users["assetkeeper"], ctx.users["guard"]
    place = _checkpoint(demo, "门卫室 / 值班室")[0]
    listed = []
    for name, kind, price in EQUIPMENT:
        asset = assets.asset_create(
            actor=keeper,
            school=demo.school,
            name=name,
            unit_price=Decimal(price),
            unit="件",
            acquired_on=today - dt.timedelta(days=200),
            funding_source="财政拨款",
            place=place,
        )
        listed.append(services.equipment_add(actor=ctx.users["safety"], school=demo.school, asset=asset, kind=kind))
    checks = [
        EquipmentCheck(
            school=demo.school,
            equipment=item,
            checked_on=today - dt.timedelta(days=30 * n + 3),
            ok=True,
            checked_by=guard,
        )
        for item in listed[:-1]
        for n in range(5)
    ]
    ctx.bulk(checks, school=demo.school)  # the shield has never been checked: it shows as due
    services.equipment_check(
        actor=guard, equipment=listed[3], ok=False, note="辣椒水已过有效期，需更换", checked_on=today
    )


@register_step(order=330)
def security(ctx: DemoContext) -> None:
    demo = ctx.schools[0]
    today, now = timezone.localdate(), timezone.now()
    start, end = demo_window(ctx, today)
    days = _school_days(start, end)
    safety = ctx.users["safety"]
    key_route = services.route_create(
        actor=safety,
        school=demo.school,
        name="重点部位巡逻",
        is_key_area=True,
        checkpoints=[_checkpoint(demo, label) for label in KEY_POINTS],
    )
    services.route_create(
        actor=safety,
        school=demo.school,
        name="夜间校园巡逻",
        checkpoints=[_checkpoint(demo, label) for label in ("校门", "教学楼楼道", "围墙周界", "操场")],
    )
    _patrols(ctx, demo, key_route, [start + dt.timedelta(days=n) for n in range((end - start).days + 1)])
    _guards(ctx, demo, today)
    _cameras(ctx, demo, now)
    _fire(ctx, demo, days, today)
    _equipment(ctx, demo, today)
