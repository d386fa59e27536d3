"""Demo assets for 实验小学: about 3,000 cards over its rooms (each pupil's desk and chair a card of its own), each with its custodian (classroom equipment kept by
the class's head teacher, office computers by their users, the computer room by the information officer), then a
term of work through the services: transfers (some waiting for approval, one hand-over signed), loans (one
overdue), a disposal of worn-out computers and one waiting, and a closed stocktake with differences.

The cards are inserted in bulk for speed, each with its "registered" history line; everything after goes through
the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from houqin.assets import services
from houqin.assets.choices import AcquisitionMethod, EventKind, FundingSource
from houqin.assets.models import Asset, AssetEvent
from houqin.core.money import to_yuan
from houqin.core.numbering import next_numbers
from houqin.demo.registry import DemoContext, DemoSchool, register_step


@dataclass(frozen=True)
class Item:
    """One kind of equipment in a room: `count` cards of `quantity` each, bought `age` years ago."""

    name: str
    code: str
    unit_price: str
    count: int = 1
    quantity: int = 1
    unit: str = "台"
    brand: str = ""
    spec: str = ""
    age: tuple[int, int] = (1, 8)
    bulk: bool = False
    special: bool = False


CLASSROOM = (
    Item("交互式触控一体机", "A020207", "12800.00", brand="希沃", spec="86英寸", age=(1, 5)),
    Item("学生课桌", "A05010203", "260.00", count=45, unit="张", spec="单人 可升降", age=(3, 9)),
    Item("学生椅", "A05010304", "120.00", count=45, unit="把", spec="可升降", age=(3, 9)),
    Item("讲台", "A05", "850.00", unit="张", age=(3, 9)),
    Item("壁挂式空调", "A02061804", "4299.00", brand="格力", spec="2匹", age=(2, 6)),
)
TEACHER_OFFICE = (
    Item("台式计算机", "A02010105", "4800.00", count=3, brand="联想", spec="启天M430", age=(1, 6)),
    Item("激光打印机", "A020210", "1680.00", brand="惠普", spec="M208dw", age=(1, 5)),
    Item("文件柜", "A05010502", "1150.00", count=2, unit="组", age=(4, 10)),
)
ADMIN_OFFICE = (
    Item("台式计算机", "A02010105", "4800.00", count=2, brand="联想", spec="启天M430", age=(1, 6)),
    Item("便携式计算机", "A02010108", "6200.00", brand="华为", spec="MateBook 14", age=(1, 4)),
    Item("激光打印机", "A020210", "1680.00", brand="惠普", spec="M208dw", age=(1, 5)),
    Item("文件柜", "A05010502", "1150.00", unit="组", age=(4, 10)),
    Item("壁挂式空调", "A02061804", "4299.00", brand="格力", spec="1.5匹", age=(2, 6)),
)
ROOMS: dict[str, tuple[Item, ...]] = {
    "综合楼 / 2层 / 微机室": (
        Item("台式计算机", "A02010105", "4300.00", count=45, brand="联想", spec="启天M420", age=(2, 2)),
        Item("交换机", "A020102", "2600.00", brand="华为", spec="S1730S 48口", age=(2, 2)),
    ),
    "综合楼 / 2层 / 科学实验室": (
        Item("生物显微镜", "A0210", "1200.00", count=6, brand="麦克奥迪", spec="BA81", special=True, age=(3, 7)),
        Item("实验桌", "A05010203", "960.00", quantity=12, unit="张", bulk=True, age=(3, 7)),
    ),
    "综合楼 / 2层 / 图书室": (
        Item("图书", "A04", "28.00", quantity=9600, unit="册", bulk=True, age=(1, 10)),
        Item("书柜", "A05010501", "1150.00", count=6, unit="组", age=(4, 10)),
    ),
    "综合楼 / 2层 / 音乐教室": (
        Item("立式钢琴", "", "16800.00", brand="珠江", spec="UP118", age=(5, 10)),
        Item("音响系统", "A0209", "5600.00", unit="套", age=(2, 6)),
    ),
    "综合楼 / 1层 / 会议室": (
        Item("投影仪", "A0202", "5400.00", brand="爱普生", spec="CB-X50", age=(2, 5)),
        Item("会议椅", "A05010303", "260.00", quantity=30, unit="把", bulk=True, age=(3, 8)),
    ),
    "综合楼 / 3层 / 多功能厅": (
        Item("LED显示屏", "A02091104", "68000.00", unit="套", spec="P2.5 6×3m", age=(2, 4)),
        Item("音响系统", "A0209", "23800.00", unit="套", age=(2, 4)),
    ),
    "综合楼 / 3层 / 体育器材室": (
        Item("乒乓球台", "A05", "1850.00", count=4, unit="张", age=(2, 8)),
        Item("体操垫", "A05", "420.00", quantity=20, unit="块", age=(1, 4)),
    ),
    "综合楼 / 3层 / 档案室": (Item("密集架", "A05", "36000.00", unit="组", age=(5, 9)),),
    "食堂 / 1层 / 操作间": (
        Item("蒸饭柜", "A0206", "7800.00", brand="美厨", spec="24盘", age=(2, 6)),
        Item("消毒柜", "A0206", "3600.00", count=2, brand="康宝", age=(1, 5)),
    ),
    "食堂 / 1层 / 留样间": (Item("留样冰箱", "A0206", "2980.00", brand="海尔", spec="双门", age=(1, 3)),),
    "门卫室 / 监控室": (
        Item("硬盘录像机", "A020102", "3800.00", count=2, brand="海康威视", spec="32路", age=(1, 5)),
        Item("监控显示屏", "A02091104", "2300.00", count=2, spec="43英寸", age=(1, 5)),
    ),
    "操场": (Item("篮球架", "A05", "4600.00", count=2, unit="副", age=(3, 9)),),
    "车库": (Item("校车", "A0203", "385000.00", unit="辆", brand="宇通", spec="ZK6609DX 19座", age=(3, 3)),),
}
# Which department keeps a room's equipment (the rest: 总务处).
KEEPERS = {
    "校长室": "校长室",
    "总务处": "总务处",
    "教导处": "教导处",
    "德育处": "德育处",
    "校医室": "校医室",
    "微机室": "教导处",
    "科学实验室": "教导处",
    "图书室": "教导处",
    "操作间": "食堂",
    "留样间": "食堂",
    "监控室": "门卫",
}
SUPPLIERS = ("示例区政府采购中心", "城区办公设备公司", "育才教学设备有限公司", "惠民家电商场")


@register_step(order=120)
def assets(ctx: DemoContext) -> None:
    demo = ctx.schools[0]
    cards = _cards(ctx, demo)
    created = ctx.bulk(cards, school=demo.school)
    ctx.bulk(
        [
            AssetEvent(
                school=demo.school,
                asset=asset,
                kind=EventKind.REGISTERED,
                occurred_at=timezone.make_aware(dt.datetime.combine(asset.acquired_on, dt.time(9))),
                message=asset.source,
            )
            for asset in created
        ],
        school=demo.school,
    )
    _a_term_of_work(ctx, demo, created)


def _custodian_for(ctx: DemoContext, demo: DemoSchool, place_name: str) -> Any:
    """The classroom's head teacher, the information officer for the computer room, else someone of the room's
    department (teachers' offices: a teacher of the grade groups)."""
    room = place_name.rsplit(" / ", 1)[-1]
    if room == "微机室":
        return demo.staff["admin"]
    department = KEEPERS.get(room)
    if department is None and "办公室" in room:
        people = [p for p in demo.people if p.department.name.endswith("年级组")]
    else:
        people = [p for p in demo.people if p.department.name == (department or "总务处")]
    return ctx.rng.choice(people)


def _rooms(demo: DemoSchool) -> list[tuple[Any, tuple[Item, ...], Any]]:
    """(place, items, fixed custodian or None) for every equipped room."""
    classrooms = {c.classroom_id: c for c in demo.classes if c.classroom_id}
    rooms = []
    for name, place in demo.places.items():
        if place.use == "classroom" and place.pk in classrooms:
            rooms.append((place, CLASSROOM, classrooms[place.pk].head_teacher))
        elif "办公室" in name and name.startswith("教学楼"):
            rooms.append((place, TEACHER_OFFICE, None))
        elif name.startswith("综合楼 / 1层 / ") and name.rsplit(" / ", 1)[-1] in KEEPERS:
            rooms.append((place, ADMIN_OFFICE, None))
        elif name in ROOMS:
            rooms.append((place, ROOMS[name], None))
    return rooms


def _cards(ctx: DemoContext, demo: DemoSchool) -> list[Asset]:
    school, today = demo.school, timezone.localdate()
    teacher = demo.staff.get("teacher")
    cards = []
    for place, items, keeper in _rooms(demo):
        for item in items:
            for _ in range(item.count):
                custodian = keeper or _custodian_for(ctx, demo, place.full_name)
                acquired_on = today.replace(year=today.year - ctx.rng.randint(*item.age), day=1) - dt.timedelta(
                    days=ctx.rng.randint(0, 300)
                )
                cards.append(_card(ctx, school, item, place, custodian, acquired_on))
    if teacher is not None:  # the demo teacher keeps one of her office's computers
        office_pc = next(c for c in cards if c.name == "台式计算机" and "办公室" in str(c.place))
        office_pc.custodian, office_pc.department = teacher, teacher.department
    _number(school, cards)
    return cards


def _number(school: Any, cards: list[Asset]) -> None:
    """ZC-<year>-<n> in the order of acquisition, each year's numbers issued at once."""
    by_year: dict[int, list[Asset]] = {}
    for card in sorted(cards, key=lambda c: c.acquired_on):
        by_year.setdefault(card.acquired_on.year, []).append(card)
    for year, year_cards in by_year.items():
        numbers = next_numbers(school=school, prefix="ZC", year=year, count=len(year_cards))
        for card, number in zip(year_cards, numbers, strict=True):
            card.asset_no = number


def _card(ctx: DemoContext, school: Any, item: Item, place: Any, custodian: Any, acquired_on: dt.date) -> Asset:
    price = Decimal(item.unit_price)
    life = services.useful_life(item.code, None)
    return Asset(
        school=school,
        name=item.name,
        category_code=item.code,
        brand=item.brand,
        spec=item.spec,
        quantity=item.quantity,
        unit=item.unit,
        unit_price=price,
        original_value=to_yuan(price * item.quantity),
        asset_class=services.classify(
            school=school,
            unit_price=price,
            acquired_on=acquired_on,
            special_equipment=item.special,
            bulk_batch=item.bulk,
            useful_life_months=life,
        ),
        is_special_equipment=item.special,
        is_bulk_batch=item.bulk,
        acquisition_method=AcquisitionMethod.PURCHASE,
        acquired_on=acquired_on,
        funding_source=FundingSource.FISCAL if ctx.rng.random() < 0.85 else FundingSource.SELF_RAISED,
        supplier_name=ctx.rng.choice(SUPPLIERS),
        source=f"YS-{acquired_on.year}-{ctx.rng.randint(1, 60):05d}",
        department=custodian.department,
        place=place,
        custodian=custodian,
        useful_life_months=life,
        voucher_no=f"记-{acquired_on:%Y%m}-{ctx.rng.randint(1, 99):03d}",
    )


def _a_term_of_work(ctx: DemoContext, demo: DemoSchool, cards: list[Asset]) -> None:
    keeper, head, principal = ctx.users["assetkeeper"], ctx.users["logistics"], ctx.users["principal"]
    places = demo.places
    by_name: dict[str, list[Asset]] = {}
    for card in cards:
        by_name.setdefault(card.name, []).append(card)
    computers = [c for c in by_name["台式计算机"] if "办公室" in str(c.place)]
    teacher = demo.staff["teacher"]

    # Transfers: a computer handed over to the demo teacher (she has not signed yet), the projector moved, two waiting.
    moved = services.transfer_request(
        actor=keeper,
        asset=computers[1],
        to_custodian=teacher,
        reason="新教师办公用机",
        to_department=teacher.department,
    )
    services.transfer_approve(actor=head, transfer=moved, comment="同意")
    hall = services.transfer_request(
        actor=keeper, asset=by_name["投影仪"][0], to_place=places["综合楼 / 3层 / 多功能厅"], reason="多功能厅讲座使用"
    )
    services.transfer_approve(actor=principal, transfer=hall)
    for card, room in ((computers[2], "综合楼 / 1层 / 教导处"), (by_name["激光打印机"][0], "综合楼 / 1层 / 总务处")):
        services.transfer_request(actor=keeper, asset=card, to_place=places[room], reason="办公室调整")

    # Loans: two returned, one out, one overdue.
    today = timezone.localdate()
    borrowers = [teacher, demo.staff["headteacher"], demo.staff["safety"], demo.staff["doctor"]]
    loaned = [by_name["便携式计算机"][0], by_name["便携式计算机"][1], by_name["投影仪"][0], by_name["音响系统"][0]]
    for n, (card, borrower) in enumerate(zip(loaned, borrowers, strict=True)):
        lent_on = today - dt.timedelta(days=30 - n * 7)
        loan = services.loan_create(
            actor=keeper,
            asset=card,
            borrower=borrower,
            lent_on=lent_on,
            due_on=lent_on + dt.timedelta(days=10),
            purpose=("公开课", "家长会", "消防演练宣传", "健康讲座")[n],
        )
        if n < 2:
            services.loan_return(actor=keeper, loan=loan, condition="完好", returned_on=lent_on + dt.timedelta(days=5))

    # Disposal: the oldest worn-out computers approved (cards closed), a broken table-tennis table waiting.
    oldest = sorted(computers[3:], key=lambda c: c.acquired_on)[:2]
    worn = services.disposal_request(
        actor=keeper, assets=oldest, reason="主板老化，无维修价值", collective_decision="2026年第9次校长办公会纪要"
    )
    services.disposal_approve(actor=head, disposal=worn, comment="同意报废，交回收单位")
    services.disposal_request(
        actor=keeper,
        assets=by_name["乒乓球台"][:1],
        reason="台面断裂",
        collective_decision="2026年第10次校长办公会纪要",
    )

    _stocktake(keeper, demo, by_name)


def _stocktake(keeper: Any, demo: DemoSchool, by_name: dict[str, list[Asset]]) -> None:
    """The second floor of 综合楼 counted: one computer missing, a microscope in the computer room, an old
    unregistered keyboard found; closed with the causes given, waiting for the logistics director."""
    floor = demo.places["综合楼 / 2层"]
    computer_room = demo.places["综合楼 / 2层 / 微机室"]
    stocktake = services.stocktake_create(actor=keeper, school=demo.school, name="2026年秋季资产盘点", places=[floor])
    lost = [c for c in by_name["台式计算机"] if c.place_id == computer_room.pk][-1]
    wandered = by_name["生物显微镜"][0]
    for line in stocktake.lines.select_related("asset").exclude(asset=lost):
        place = computer_room if line.asset_id == wandered.pk else line.expected_place
        services.stocktake_scan(actor=keeper, stocktake=stocktake, asset_no=line.asset_no, place=place)
    services.stocktake_scan(
        actor=keeper, stocktake=stocktake, asset_no="旧-0371", place=demo.places["综合楼 / 2层 / 音乐教室"]
    )
    services.stocktake_close(actor=keeper, stocktake=stocktake)
    causes = {
        "missing": "疑为暑期维修时送修未回，已联系维修商",
        "misplaced": "科学课借用后未归还原处",
        "surplus": "旧电子琴，早年捐赠未入账",
    }
    for line in stocktake.lines.filter(result__in=list(causes)):
        services.stocktake_explain(actor=keeper, line=line, cause=causes[line.result])
