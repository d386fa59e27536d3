"""Demo safety records for 实验小学: the default checklists with a term of daily inspections (a few missed), and
four 拉网式 campaigns that found 16 hazards, 11 of them closed — the seeds' "排查出隐患16处，整改11，整改率为69%";
monthly drills with one month missed, the year's responsibility agreements with a few unsigned, and the seeds'
481 notices home with most receipts back.

Hazards go through the services step by step; the routine inspections, hundreds of rows, are inserted in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from houqin.demo.registry import DemoContext, DemoSchool, register_step
from houqin.safety import selectors, services
from houqin.safety.choices import AgreementKind, AreaType, DrillKind
from houqin.safety.choices import HazardCategory as C
from houqin.safety.choices import HazardLevel as L
from houqin.safety.models import ChecklistTemplate, Inspection, InspectionResult

CAMPAIGN_SCOPE = "校舍、场地、设备设施、线路、校外周边环境"
CAMPAIGNS = (
    "第一次拉网式安全隐患排查",
    "第二次拉网式安全隐患排查",
    "第三次拉网式安全隐患排查",
    "第四次拉网式安全隐患排查",
)


@dataclass(frozen=True)
class DemoHazard:
    title: str
    place: str  # full name, or "" with the location in words
    category: str
    responsible: str  # demo login of the responsible person
    outcome: str  # closed | rectified | open | overdue
    level: str = L.GENERAL
    location: str = ""
    measures: str = ""


# Per campaign, in order; 11 closed, 2 rectified waiting for verification, 3 open (2 past their deadline).
HAZARDS: tuple[tuple[DemoHazard, ...], ...] = (
    (
        DemoHazard(
            "三楼东侧走廊窗户限位器缺失",
            "教学楼 / 3层",
            C.FACILITIES,
            "assetkeeper",
            "closed",
            measures="加装限位器12个",
        ),
        DemoHazard(
            "综合楼配电箱未上锁",
            "综合楼 / 1层 / 总务处",
            C.ELECTRICAL,
            "logistics",
            "closed",
            L.SERIOUS,
            measures="更换箱锁，张贴警示标识",
        ),
        DemoHazard(
            "操作间燃气软管老化", "食堂 / 1层 / 操作间", C.ELECTRICAL, "canteen", "closed", measures="更换金属波纹管"
        ),
        DemoHazard(
            "东侧围墙一段开裂",
            "操场",
            C.BUILDING,
            "logistics",
            "closed",
            L.MAJOR,
            measures="设警戒区停用，委托施工单位加固重建",
        ),
        DemoHazard("图书室灭火器过期", "综合楼 / 2层 / 图书室", C.FIRE, "safety", "closed", measures="更换灭火器4具"),
    ),
    (
        DemoHazard(
            "微机室插座过载，线路私拉乱接",
            "综合楼 / 2层 / 微机室",
            C.ELECTRICAL,
            "logistics",
            "closed",
            measures="重新布线，增设专用回路",
        ),
        DemoHazard("篮球架底座锈蚀松动", "操场", C.FACILITIES, "assetkeeper", "closed", measures="除锈加固"),
        DemoHazard(
            "二楼卫生间地面湿滑无警示",
            "教学楼 / 2层 / 2楼卫生间",
            C.FACILITIES,
            "assetkeeper",
            "closed",
            measures="铺设防滑垫，设置警示牌",
        ),
        DemoHazard(
            "实验室危险化学品柜未双人双锁",
            "综合楼 / 2层 / 科学实验室",
            C.SECURITY,
            "safety",
            "closed",
            measures="加装第二把锁，钥匙分人保管",
        ),
    ),
    (
        DemoHazard(
            "多功能厅应急照明损坏", "综合楼 / 3层 / 多功能厅", C.FIRE, "logistics", "closed", measures="更换应急灯6盏"
        ),
        DemoHazard(
            "食品库房防鼠板缺失", "食堂 / 1层 / 食品库房", C.FOOD, "canteen", "closed", measures="安装不锈钢防鼠板"
        ),
        DemoHazard("车库顶棚漏雨", "车库", C.BUILDING, "logistics", "rectified", measures="更换破损彩钢瓦"),
        DemoHazard(
            "监控室2号摄像头黑屏", "门卫室 / 监控室", C.SECURITY, "safety", "rectified", measures="更换摄像头电源"
        ),
    ),
    (
        DemoHazard("校门口道路无减速带", "", C.TRAFFIC, "logistics", "open", L.SERIOUS, location="校门口人民路"),
        DemoHazard("校门防冲撞隔离桩缺失两根", "校门", C.SECURITY, "safety", "overdue"),
        DemoHazard("教学楼楼梯扶手松动", "教学楼 / 1层", C.FACILITIES, "assetkeeper", "overdue"),
    ),
)
# Who verifies a rectification: never the one who rectified it.
VERIFIER = {"safety": "logistics"}


def demo_window(ctx: DemoContext, today: dt.date) -> tuple[dt.date, dt.date]:
    """The current term up to today (as the statistics page shows it), or the last 90 days early in a term."""
    for term in ctx.semesters:
        if term.starts_on <= today <= term.ends_on and (today - term.starts_on).days >= 30:
            return term.starts_on, today
    return today - dt.timedelta(days=90), today


def _campaign_days(start: dt.date, end: dt.date) -> list[dt.date]:
    span = (end - start).days
    return [start + dt.timedelta(days=span * share // 100) for share in (8, 33, 58, 83)]


def _hazards(ctx: DemoContext, demo: DemoSchool, start: dt.date, today: dt.date) -> None:
    users = ctx.users
    for name, day, specs in zip(CAMPAIGNS, _campaign_days(start, today), HAZARDS, strict=True):
        campaign = services.campaign_create(
            actor=users["safety"],
            school=demo.school,
            name=name,
            starts_on=day,
            ends_on=min(day + dt.timedelta(days=2), today),
            scope=CAMPAIGN_SCOPE,
            led_by="后勤安全副校长",
        )
        for spec in specs:
            _hazard(ctx, demo, campaign, spec, today)


def _hazard(ctx: DemoContext, demo: DemoSchool, campaign, spec: DemoHazard, today: dt.date) -> None:
    users, rng = ctx.users, ctx.rng
    found_on = min(campaign.starts_on + dt.timedelta(days=rng.randint(0, 2)), today)
    if spec.outcome == "overdue":
        deadline = max(found_on, today - dt.timedelta(days=rng.randint(3, 10)))
    elif spec.outcome == "open":
        deadline = today + dt.timedelta(days=30)
    else:
        deadline = found_on + dt.timedelta(days=rng.choice((7, 10, 14, 20)))
    hazard = services.hazard_report(
        actor=users["safety"],
        school=demo.school,
        title=spec.title,
        found_on=found_on,
        place=demo.places.get(spec.place),
        location=spec.location,
        category=spec.category,
        level=spec.level,
        campaign=campaign,
        found_by="排查小组",
        responsible=users[spec.responsible].person,
        deadline=deadline,
    )
    if spec.level != L.GENERAL:
        plan = "挂牌督办：责任人、措施、资金、时限和应急预案落实到位，整改前设置警戒和提示。"
        services.hazard_supervise(actor=users["logistics"], hazard=hazard, plan=plan)
        services.hazard_report_to_bureau(
            actor=users["logistics"], hazard=hazard, reported_on=found_on, reference=f"安全隐患报告{hazard.number}"
        )
    if spec.outcome in ("closed", "rectified"):
        rectifier = users[spec.responsible]
        services.hazard_rectify(
            actor=rectifier,
            hazard=hazard,
            measures=spec.measures,
            rectified_on=min(found_on + dt.timedelta(days=rng.randint(1, 6)), today),
        )
        if spec.outcome == "closed":
            verifier = users[VERIFIER.get(spec.responsible, "safety")]
            services.hazard_verify(actor=verifier, hazard=hazard, passed=True, note="复查合格，销号")


MISS_RATE = 0.03  # share of routine checks left undone
FAIL_RATE = 0.02  # share of items found not OK (fixed on the spot: no hazard)
FAILED_NOTES = ("已当场整改", "已提醒相关人员", "已报总务处处理")
MISSED_YESTERDAY = "图书室"  # one check missed on the last school day, for the officer's home page


def _school_days(calendar: selectors.Calendar, start: dt.date, today: dt.date) -> list[dt.date]:
    days = (start + dt.timedelta(days=n) for n in range((today - start).days + 1))
    return [day for day in days if calendar.is_school_day(day)]


def _inspections(ctx: DemoContext, demo: DemoSchool, start: dt.date, today: dt.date) -> None:
    """Every check of the term done on its first school day, a few missed; today only the canteen is checked."""
    rng, calendar = ctx.rng, selectors.Calendar(demo.school.district_id)
    templates = list(ChecklistTemplate.objects.filter(school=demo.school).prefetch_related("places"))
    days = _school_days(calendar, start, today)
    yesterday = days[-2] if len(days) > 1 and days[-1] == today else (days[-1] if days else None)
    planned: dict[tuple, Inspection] = {}
    for day in days:
        for template in templates:
            period = calendar.period(template.frequency, day)
            if period is None or (day == today and template.area_type != AreaType.CANTEEN):
                continue
            for place in list(template.places.all()) or [None]:
                key = (template.pk, place.pk if place else None, period[0])
                missed = day == yesterday and place is not None and MISSED_YESTERDAY in place.name
                if key in planned or missed or rng.random() < MISS_RATE:
                    continue
                moment = dt.datetime.combine(day, dt.time(7, 30)) + dt.timedelta(minutes=rng.randint(0, 120))
                canteen = template.area_type == AreaType.CANTEEN
                planned[key] = Inspection(
                    school=demo.school,
                    template=template,
                    place=place,
                    inspector=ctx.users["canteen" if canteen else "safety"],
                    performed_at=timezone.make_aware(moment),
                    performed_on=day,
                )
    _results(ctx, demo, ctx.bulk(list(planned.values()), school=demo.school))


def _results(ctx: DemoContext, demo: DemoSchool, inspections: list[Inspection]) -> None:
    items = {t.pk: list(t.items.filter(is_active=True)) for t in ChecklistTemplate.objects.filter(school=demo.school)}
    results = [
        InspectionResult(inspection=inspection, item=item, ok=ctx.rng.random() > FAIL_RATE)
        for inspection in inspections
        for item in items[inspection.template_id]
    ]
    failed = Counter()
    for result in results:
        if not result.ok:
            result.note = ctx.rng.choice(FAILED_NOTES)
            failed[result.inspection.pk] += 1
    ctx.bulk(results, school=demo.school)
    for inspection in inspections:
        inspection.failed_count = failed[inspection.pk]
    Inspection.objects.bulk_update([i for i in inspections if i.failed_count], ["failed_count"], batch_size=500)


@register_step(order=140)
def safety(ctx: DemoContext) -> None:
    demo = ctx.schools[0]
    today = timezone.localdate()
    start, _end = demo_window(ctx, today)
    services.templates_install_defaults(actor=ctx.users["safety"], school=demo.school, starts_on=start)
    _inspections(ctx, demo, start, today)
    _hazards(ctx, demo, start, today)


#
# Drills, agreements, notices to parents
#

DRILLS = (
    (DrillKind.FIRE, "教学楼火灾疏散演练", 118),
    (DrillKind.EARTHQUAKE, "地震应急疏散演练", 105),
    (DrillKind.FIRE, "食堂火灾疏散演练", 132),
    (DrillKind.FLOOD, "防汛应急疏散演练", 110),
    (DrillKind.EARTHQUAKE, "地震应急疏散演练（第二次）", 98),
)
SKIPPED_MONTH = 1  # the second term month has no evacuation drill, for the monthly check to flag
AGREEMENT_TEXT = (
    "为落实“一岗双责”，保障师生生命财产安全，学校与教职工签订本责任状。\n"
    "一、认真履行本岗位安全职责，做好课堂、课间、活动中的安全管理。\n"
    "二、发现安全隐患及时报告并协助整改。\n"
    "三、按要求参加安全培训和应急疏散演练。\n"
    "四、本责任状自签订之日起至本年度末有效。"
)
NOTICES = ("致家长的一封信（安全教育十大事项）", "学生路途安全责任书")
NOTICE_TEXT = "各位家长：为切实做好学生安全工作，请您认真阅读并签字后由学生带回回执。"
SEEDS_COPIES = 481  # "向全校家长发放481份家长告知书及481份学生路途安全责任书"


def _drills(ctx: DemoContext, demo: DemoSchool, start: dt.date, today: dt.date) -> None:
    months = [m.month for m in selectors.drill_months(school=demo.school, start=start, end=today)]
    drills = iter(DRILLS)
    for index, first in enumerate(months):
        held_on = first + dt.timedelta(days=7 + (2 - first.weekday()) % 7)  # the second Wednesday
        if index == SKIPPED_MONTH or held_on > today:
            continue
        kind, scenario, seconds = next(drills, DRILLS[0])
        services.drill_record(
            actor=ctx.users["safety"],
            school=demo.school,
            kind=kind,
            held_on=held_on,
            scenario=scenario,
            participants=1100 + ctx.rng.randint(0, 60),
            evacuation_seconds=seconds,
            floors=3,
            problems="三楼东侧楼梯口拥堵，需错峰疏散" if seconds > 120 else "",
        )


def _agreements(ctx: DemoContext, demo: DemoSchool, today: dt.date) -> None:
    safety, rng = ctx.users["safety"], ctx.rng
    for kind, title in (
        (AgreementKind.SAFETY_WORK, "安全工作责任状"),
        (AgreementKind.FIRE_SAFETY, "消防安全工作责任状"),
    ):
        agreement = services.agreement_create(
            actor=safety, school=demo.school, kind=kind, year=today.year, title=title, text=AGREEMENT_TEXT
        )
        users_by_person = {u.person_id: u for u in ctx.users.values() if u.person_id}
        for signature in agreement.signatures.all():
            user = users_by_person.get(signature.person_id)
            if user is not None and user.username == "teacher":
                continue  # left for the demo teacher to sign on the phone
            if user is not None:
                services.agreement_sign(actor=user, signature=signature)
            elif rng.random() < 0.93:
                services.agreement_record_paper(actor=safety, signature=signature, signed_on=demo_window(ctx, today)[0])
    tenants = services.agreement_create(
        actor=safety,
        school=demo.school,
        kind=AgreementKind.TENANT,
        year=today.year,
        title="租赁单位安全管理协议",
        text=AGREEMENT_TEXT,
    )
    for signature in tenants.signatures.all():
        services.agreement_record_paper(actor=safety, signature=signature, signed_on=demo_window(ctx, today)[0])


def classes_for(classes: list, sizes: dict, target: int, first: object) -> list:
    """Classes (lowest grades first, `first` among them) whose pupils add up to `target`, or as close as possible."""
    reachable: dict[int, list] = {sizes[first]: [first]}
    for school_class in classes:
        if school_class is first:
            continue
        for total, chosen in list(reachable.items()):
            reachable.setdefault(total + sizes[school_class], [*chosen, school_class])
    best = min(reachable, key=lambda total: (abs(total - target), total))
    return reachable[best]


def _notices(ctx: DemoContext, demo: DemoSchool, start: dt.date) -> None:
    safety, head = ctx.users["safety"], ctx.users["headteacher"]
    classes = sorted(demo.classes, key=lambda c: (c.grade, c.number or 0))
    sizes = {c: c.students.filter(is_active=True).count() for c in classes}
    mine = next(c for c in classes if c.head_teacher_id == head.person_id)
    chosen = classes_for(classes, sizes, SEEDS_COPIES, mine)
    for title in NOTICES:
        notice = services.notice_issue(
            actor=safety, school=demo.school, title=title, text=NOTICE_TEXT, classes=chosen, issued_on=start
        )
        for school_class in chosen:
            pupils = list(school_class.students.filter(is_active=True))
            back = [p for p in pupils if ctx.rng.random() < 0.96]
            actor = head if school_class is mine else safety
            if back:
                services.receipts_record(actor=actor, notice=notice, school_class=school_class, students=back)


@register_step(order=141)
def safety_records(ctx: DemoContext) -> None:
    demo = ctx.schools[0]
    today = timezone.localdate()
    start, _end = demo_window(ctx, today)
    _drills(ctx, demo, start, today)
    _agreements(ctx, demo, today)
    _notices(ctx, demo, start)
