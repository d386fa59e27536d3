"""Demo canteen records for 实验小学, from the start of the semester to today: published weekly menus with every
dish sampled (one lunch missing a sample), 陪餐 by the principal and the logistics director (a few meals without),
purchase inspections, staff certificates (one expiring soon) and today's checks, tableware disinfection, parent
feedback with replies (the carrot complaint), the cooks' school's 37 teachers eating against its rent, and the
canteen's own ledger; fridge temperatures (one too warm), parents' 陪餐, a food incident reported and closed, and the
semester's parents' dining committee. Everything is inserted in bulk."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import cycle
from typing import Any

from django.utils import timezone

from houqin.canteen import services
from houqin.canteen.choices import FeedbackStatus, IncidentStatus, Meal, MenuStatus, PurchaseKind, Rectification
from houqin.canteen.models import (
    AccompaniedMeal,
    CommitteeMember,
    Delivery,
    DeliveryLine,
    Disinfection,
    Feedback,
    FoodIncident,
    FridgeReading,
    HealthCertificate,
    Menu,
    MenuDish,
    ParentMeal,
    PreShiftCheck,
    Sample,
)
from houqin.demo.registry import DemoContext, register_step
from houqin.orgs.models import Tenant
from houqin.procurement.services import supplier_create

BREAKFASTS = [
    ("豆浆", "大豆"),
    ("花卷", "小麦"),
    ("鸡蛋羹", "鸡蛋"),
    ("小米粥", ""),
    ("肉包", "小麦"),
    ("牛奶", "牛奶"),
]
MAINS = ["熘肉段", "番茄炒蛋", "红烧鸡块", "土豆炖牛肉", "鱼香肉丝", "宫保鸡丁", "清蒸鲈鱼", "木须肉", "糖醋里脊"]
GREENS = ["清炒菠菜", "蒜蓉油麦菜", "醋溜白菜", "西兰花炒胡萝卜", "地三鲜", "炒豆芽"]
SOUPS = ["紫菜蛋花汤", "冬瓜排骨汤", "西红柿蛋汤", "玉米羹"]
LEADER_FEEDBACK = ["饭菜温度合适，分量足", "熘肉段偏咸，已提醒厨师", "蔬菜新鲜，学生光盘率高", "米饭偏硬", "汤偏淡"]
FEEDBACK = [
    ("为什么在熘肉段里放胡萝卜", "胡萝卜富含维生素A，和肉类一起烹调更利于吸收；我们会切得更细一些。"),
    ("孩子说午饭的汤有点凉", "已调整出餐顺序，汤在开餐前10分钟再加热。"),
    ("能否每周多安排一次鱼", "下周起每周安排两次鱼类菜品。"),
    ("希望公布每道菜的份量", ""),
]
FOOD = [
    ("大米", "25kg/袋", "40", "袋", PurchaseKind.PREPACKAGED, 365),
    ("大豆油", "5L/桶", "12", "桶", PurchaseKind.PREPACKAGED, 540),
    ("散装面粉", "", "200", "kg", PurchaseKind.BULK, 180),
    ("猪里脊", "", "30", "kg", PurchaseKind.FARM, None),
    ("菠菜", "", "25", "kg", PurchaseKind.FARM, None),
    ("鸡蛋", "", "300", "枚", PurchaseKind.FARM, None),
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _school_days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(n) for n in range((last - first).days + 1) if (first + dt.timedelta(n)).weekday() < 5]


@register_step(order=310)
def canteen(ctx: DemoContext) -> None:
    demo, rng = ctx.schools[0], ctx.rng
    school, manager, today = demo.school, ctx.users["canteen"], timezone.localdate()
    starts = [s.starts_on for s in ctx.semesters if s.starts_on <= today]
    first = max(max(starts) if starts else today - dt.timedelta(days=60), today - dt.timedelta(days=120))
    first -= dt.timedelta(days=first.weekday())  # menus are weekly, from Monday
    days = _school_days(first, today)
    past = [day for day in days if day < today]

    menus = ctx.bulk(
        [
            Menu(school=school, title=f"{monday:%m月%d日}一周食谱", week_start=monday, status=MenuStatus.PUBLISHED,
                 published_at=_at(monday - dt.timedelta(days=3), 16))
            for monday in sorted({d - dt.timedelta(days=d.weekday()) for d in days})
        ],
        school=school,
    )  # fmt: skip
    menu_of = {m.week_start: m for m in menus}
    mains, greens, soups, breakfasts = cycle(MAINS), cycle(GREENS), cycle(SOUPS), cycle(BREAKFASTS)
    dishes: list[MenuDish] = []
    for day in days:
        menu = menu_of[day - dt.timedelta(days=day.weekday())]
        for _n in range(2):
            name, allergen = next(breakfasts)
            dishes.append(
                MenuDish(menu=menu, day=day, meal=Meal.BREAKFAST, name=name, portion_g=150, allergens=allergen)
            )
        for name, grams, vegetarian in (
            (next(mains), 120, False),
            (next(greens), 100, True),
            (next(soups), 200, False),
        ):
            dishes.append(
                MenuDish(menu=menu, day=day, meal=Meal.LUNCH, name=name, portion_g=grams, vegetarian=vegetarian)
            )
    dishes = ctx.bulk(dishes, school=school)

    missing_day = days[-3] if len(days) > 3 else days[0]
    now = timezone.now()
    samples = []
    for dish in dishes:
        taken = _at(dish.day, 7 if dish.meal == Meal.BREAKFAST else 11, rng.randint(10, 40))
        skipped = dish.day == missing_day and dish.meal == Meal.LUNCH and dish.vegetarian
        if taken > now or skipped:
            continue
        kept = now - taken < dt.timedelta(hours=48) or dish.day >= today - dt.timedelta(days=3)
        samples.append(
            Sample(school=school, meal_date=dish.day, meal=dish.meal, dish=dish.name, weight_g=rng.randint(130, 180),
                   taken_at=taken, taken_by="周玉梅", fridge="留样柜1", recorded_by=manager,
                   discarded_at=None if kept else taken + dt.timedelta(hours=49), discarded_by=None if kept else manager)
        )  # fmt: skip
    ctx.bulk(samples, school=school)

    leaders = [demo.staff["principal"], demo.staff["logistics"]]
    gaps = {past[-2], past[len(past) // 2], past[len(past) // 3]} if len(past) > 3 else set()
    accompanied = []
    for day in past:
        for meal in (Meal.BREAKFAST, Meal.LUNCH):
            if day in gaps and meal == Meal.LUNCH:
                continue
            text = rng.choice(LEADER_FEEDBACK)
            open_issue = "偏" in text
            accompanied.append(
                AccompaniedMeal(school=school, meal_date=day, meal=meal, leader=rng.choice(leaders), feedback=text,
                                rectification=Rectification.DONE if open_issue else Rectification.NONE,
                                follow_up="已整改" if open_issue else "", recorded_by=ctx.users["principal"])
            )  # fmt: skip
    ctx.bulk(accompanied, school=school)

    _staff_health(ctx, today)
    _deliveries(ctx, days)
    ctx.bulk(
        [
            Disinfection(school=school, done_at=_at(day, 13, 10), method="infrared", temperature_c=125,
                         duration_s=900, items="餐盘、碗、勺", operator="王师傅")
            for day in past
        ],
        school=school,
    )  # fmt: skip
    last_menu = menus[-1]
    carrot_dish = next((d for d in dishes if d.menu_id == last_menu.pk and d.name == "熘肉段"), None)
    ctx.bulk(
        [
            Feedback(school=school, menu=last_menu, dish=carrot_dish if n == 0 else None, text=text,
                     contact="13912345678" if n == 0 else "", status=FeedbackStatus.REPLIED if reply else FeedbackStatus.NEW,
                     reply=reply, replied_at=now if reply else None, replied_by=manager if reply else None)
            for n, (text, reply) in enumerate(FEEDBACK)
        ],
        school=school,
    )  # fmt: skip
    _accounts(ctx, today)
    _records(ctx, past, today)


def _staff_health(ctx: DemoContext, today: dt.date) -> None:
    demo = ctx.schools[0]
    cooks = [p for p in demo.people if p.job_title in ("厨师", "食堂管理员")]
    certificates = []
    for n, cook in enumerate(cooks):
        issued = today - dt.timedelta(days=350 if n == 1 else 60 + 30 * n)  # the second cook's expires soon
        certificates.append(
            HealthCertificate(school=demo.school, person=cook, number=f"JKZ{today:%Y}{n + 1:04d}", issued_on=issued,
                              expires_on=services.add_months(issued, 12))
        )  # fmt: skip
    ctx.bulk(certificates, school=demo.school)
    ctx.bulk(
        [
            PreShiftCheck(school=demo.school, person=cook, day=today, sore_throat=(n == 2), checked_by=ctx.users["canteen"])
            for n, cook in enumerate(cooks)
        ],
        school=demo.school,
    )  # fmt: skip


def _deliveries(ctx: DemoContext, days: list[dt.date]) -> None:
    demo = ctx.schools[0]
    school = demo.school
    supplier = supplier_create(
        actor=ctx.users["logistics"], school=school, name="鲜丰农副产品配送中心", contact_name="钱海", phone="13807171234",
        licence_number="JY14201060012345", licence_expires_on=days[-1] + dt.timedelta(days=400), address="示例区农贸路8号",
    )  # fmt: skip
    inspector, second = demo.staff["canteen"], demo.staff["logistics"]
    deliveries, lines = [], []
    for day in days[::2]:
        chosen = [line for line in FOOD if line[4] == PurchaseKind.FARM or ctx.rng.random() < 0.3]
        rows = []
        for name, spec, quantity, unit, kind, shelf in chosen:
            production = day - dt.timedelta(days=3) if shelf else None
            keep = services.earliest_deletion(
                kind=kind, purchased_on=day, production_date=production, shelf_life_days=shelf
            )
            rows.append(DeliveryLine(name=name, spec=spec, quantity=Decimal(quantity), unit=unit, kind=kind, batch=f"{day:%Y%m%d}",
                                     production_date=production, shelf_life_days=shelf, certificate=f"检-{day:%m%d}", keep_until=keep))  # fmt: skip
        deliveries.append(
            Delivery(school=school, supplier=supplier, purchased_on=day, inspector=inspector, second_inspector=second,
                     keep_until=max(r.keep_until for r in rows), recorded_by=ctx.users["canteen"])
        )  # fmt: skip
        lines.append(rows)
    deliveries = ctx.bulk(deliveries, school=school)
    for delivery, rows in zip(deliveries, lines, strict=True):
        for row in rows:
            row.delivery = delivery
    ctx.bulk([row for rows in lines for row in rows], school=school)


def _accounts(ctx: DemoContext, today: dt.date) -> None:
    school, manager = ctx.schools[0].school, ctx.users["canteen"]
    tenant = Tenant.objects.filter(school=school, name="鸿福厨师培训学校").first()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if tenant is not None:
        services.meal_count_record(
            actor=manager, school=school, month=last_month, tenant=tenant, diners=37, meals=37 * 21 * 2,
            unit_price=Decimal("8.00"), offset_against_rent=True,
        )  # fmt: skip
    services.meal_count_record(
        actor=manager, school=school, month=last_month, diners=86, meals=86 * 21, unit_price=Decimal("10.00")
    )
    for direction, category, amount, note in (
        ("income", "meal_sales", "186400.00", "学生伙食费"),
        ("income", "rent_offset", "12432.00", "厨师学校37名教师就餐抵房租"),
        ("expense", "food", "142380.50", "食材采购"),
        ("expense", "wages", "38000.00", "食堂临时工工资"),
        ("expense", "utilities", "9620.00", "燃气水电"),
    ):
        services.ledger_post(actor=manager, school=school, occurred_on=last_month + dt.timedelta(days=27),
                             direction=direction, category=category, amount=Decimal(amount), note=note)  # fmt: skip
    services.price_change_record(
        actor=manager, school=school, meal=Meal.LUNCH, new_price=Decimal("6.50"), effective_on=last_month,
        decision_record="校务会及家长委员会联席会议纪要（餐费调整）", published_on=last_month - dt.timedelta(days=10),
    )  # fmt: skip


PARENTS = ["王女士", "李先生", "张女士", "刘先生", "陈女士", "杨先生", "赵女士", "黄先生", "周女士"]
PARENT_FEEDBACK = [
    ("饭菜口味清淡，孩子们吃得干净", "感谢您的肯定。"),
    ("青菜略有些老", "已要求后厨缩短焖煮时间。"),
    ("分餐速度可以再快一些", "已增加一个分餐窗口。"),
]


def _records(ctx: DemoContext, past: list[dt.date], today: dt.date) -> None:
    """Fridge temperatures twice a day (one too warm), parents' 陪餐, a closed incident, the dining committee."""
    demo, rng = ctx.schools[0], ctx.rng
    school, manager = demo.school, ctx.users["canteen"]
    warm = past[-4] if len(past) > 4 else None
    readings = []
    for day in past[-20:]:
        for hour in (8, 16):
            celsius = Decimal("9.5") if day == warm and hour == 16 else Decimal(rng.randint(20, 60)) / 10
            readings.append(
                FridgeReading(school=school, fridge="留样柜1", celsius=celsius, read_at=_at(day, hour, 5),
                              out_of_range=celsius > 8, recorded_by=manager)
            )  # fmt: skip
    ctx.bulk(readings, school=school)
    classes = sorted(demo.classes, key=lambda c: (c.grade, c.number or 0, c.pk))
    if classes:
        ctx.bulk(
            [
                ParentMeal(school=school, parent_name=PARENTS[n], school_class=classes[n * 3 % len(classes)],
                           meal_date=day, meal=Meal.LUNCH, price_paid=Decimal("6.50"), feedback=text,
                           school_response=reply)
                for n, (day, (text, reply)) in enumerate(zip(past[-15::5], PARENT_FEEDBACK, strict=False))
            ],
            school=school,
        )  # fmt: skip
    if len(past) > 30:
        day = past[-30]
        ctx.bulk(
            [
                FoodIncident(school=school, meal_date=day, meal=Meal.LUNCH, occurred_at=_at(day, 14, 20),
                             description="2名学生午餐后腹痛，校医观察后缓解，已通知家长。", affected=2,
                             reported_at=_at(day, 15, 5), samples_secured=True, status=IncidentStatus.CLOSED)
            ],
            school=school,
        )  # fmt: skip
    semester = next((s for s in ctx.semesters if s.starts_on <= today <= s.ends_on), None)
    by_grade: dict[int, Any] = {}
    for school_class in classes:
        by_grade.setdefault(school_class.grade, school_class)
    if semester is not None and by_grade:
        picks = list(by_grade.values())
        picks += [c for c in classes if c not in picks][: max(0, 7 - len(picks))]
        ctx.bulk(
            [
                CommitteeMember(school=school, semester=semester, name=PARENTS[n % len(PARENTS)], school_class=c,
                                declared_on=semester.starts_on + dt.timedelta(days=10),
                                interests="" if n else "亲属在本区另一所学校食堂工作")
                for n, c in enumerate(picks)
            ],
            school=school,
        )  # fmt: skip
