"""Demo gate records for 实验小学: a week of visitors confirmed by phone with their hosts (two still on campus),
a blacklist entry, and staff going out with a leader's approval (one still out)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from houqin.demo.registry import DemoContext, register_step
from houqin.demo.steps import random_name, random_phone
from houqin.orgs.choices import Sex
from houqin.visitors import services
from houqin.visitors.choices import IdType

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import Person
    from houqin.visitors.models import Visit

PURPOSES = (
    ("送教学资料", "新华书店"),
    ("维修多媒体设备", "华信电子"),
    ("食堂供货", "惠民农贸"),
    ("家长来访", ""),
    ("消防设施检测", "安达消防检测公司"),
    ("区教育局督导检查", "示例区教育局"),
    ("接孩子看病", ""),
    ("送快递", ""),
    ("校服量体", "育才服饰"),
)
PLATES = ("鄂E·3K215", "鄂E·A7782", "鄂E·9M036")
OUTINGS = (("去区教育局送材料", 1), ("带学生参加区运动会", 2), ("银行办理公务卡业务", 0), ("到教研室参加教研活动", 3))


def _moment(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _visit(ctx: DemoContext, guard: User, hosts: list[Person], entered: dt.datetime) -> Visit:
    rng = ctx.rng
    purpose, organisation = rng.choice(PURPOSES)
    host = rng.choice(hosts)
    return services.visit_register(
        actor=guard,
        school=ctx.schools[0].school,
        name=random_name(rng, rng.choice([Sex.MALE, Sex.FEMALE])),
        phone=random_phone(rng),
        purpose=purpose,
        organisation=organisation,
        host=host,
        host_confirmed_by=host.name,
        id_type=IdType.RESIDENT_ID if rng.random() < 0.8 else IdType.DRIVING_LICENCE,
        id_tail=f"{rng.randrange(10000):04d}",
        vehicle_plate=rng.choice(PLATES) if rng.random() < 0.2 else "",
        entered_at=entered,
        host_confirmed_at=entered - dt.timedelta(minutes=2),
    )


@register_step(order=150)
def gate(ctx: DemoContext) -> None:
    demo, rng, guard = ctx.schools[0], ctx.rng, ctx.users["guard"]
    school, now = demo.school, timezone.now()
    services.blacklist_add(
        actor=ctx.users["safety"],
        school=school,
        name="赵某强",
        reason="法院人身安全保护令：禁止接近其子女，见到即报校领导和警务室",
        phone="13907171234",
    )
    hosts = [p for p in demo.people if p.job_title != "门卫"][:60]
    today = timezone.localdate()
    moments = [
        _moment(today - dt.timedelta(days=n), rng.randint(8, 15), rng.randint(0, 59))
        for n in range(7, 0, -1)
        for _n in range(rng.randint(3, 6))
        if (today - dt.timedelta(days=n)).weekday() < 5
    ]
    for entered in sorted(moments):
        visit = _visit(ctx, guard, hosts, entered)
        services.visit_leave(actor=guard, visit=visit, left_at=entered + dt.timedelta(minutes=rng.randint(15, 120)))
    for minutes in (50, 25):  # still on campus
        _visit(ctx, guard, hosts, now - dt.timedelta(minutes=minutes))
    leaders = [demo.staff["principal"], demo.staff["logistics"]]
    for reason, days_ago in OUTINGS:
        out = _moment(today - dt.timedelta(days=days_ago), rng.randint(8, 14), rng.randint(0, 59))
        if out > now:
            out = now - dt.timedelta(minutes=40)
        outing = services.outing_register(
            actor=guard,
            school=school,
            person=rng.choice(hosts),
            reason=reason,
            approved_by=rng.choice(leaders),
            out_at=out,
            expected_back_at=out + dt.timedelta(hours=2),
        )
        if days_ago:
            services.outing_return(actor=guard, outing=outing, back_at=out + dt.timedelta(hours=rng.randint(1, 3)))


@register_step(order=151)
def gate_passes(ctx: DemoContext) -> None:
    """Two asset gate passes (one back, one still out for repair) and outside vehicles (one awaiting approval)."""
    from houqin.assets.models import Asset

    demo = ctx.schools[0]
    keeper, guard, principal = ctx.users["assetkeeper"], ctx.users["guard"], ctx.users["principal"]
    cards = list(Asset.objects.filter(school=demo.school, disposed_on__isnull=True).order_by("id")[:2])
    for asset, reason, back in zip(cards, ("送华信电子维修", "借给区教研室公开课使用"), (False, True), strict=False):
        gatepass = services.gatepass_request(
            actor=keeper, school=demo.school, asset=asset, reason=reason, destination="校外"
        )
        services.gatepass_decide(actor=principal, gatepass=gatepass, approve=True)
        services.gatepass_check_out(actor=guard, gatepass=gatepass)
        if back:
            services.gatepass_check_back(actor=guard, gatepass=gatepass)
    safety = ctx.users["safety"]
    delivery = services.vehicle_request(
        actor=safety, school=demo.school, plate="鄂E·3K215", driver="王师傅", purpose="送体育器材"
    )
    services.vehicle_decide(actor=ctx.users["logistics"], entry=delivery, approve=True)
    services.vehicle_let_in(actor=guard, entry=delivery)
    services.vehicle_leave(actor=guard, entry=delivery)
    services.vehicle_request(
        actor=safety, school=demo.school, plate="鄂E·9M036", driver="刘师傅", purpose="消防设施年度检测"
    )
