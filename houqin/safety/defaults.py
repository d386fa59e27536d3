"""The default checklists of a Chinese primary school (data, in Chinese) and the places each applies to.

"食堂管理天天查，学生安全天天查，'三室'及各教室、办公室安全日日查": the canteen, the classrooms (one check per
floor), the laboratory / computer room / library and the gate daily; offices weekly; fire safety monthly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from houqin.orgs.choices import PlaceKind, PlaceUse
from houqin.orgs.models import Place
from houqin.safety.choices import AreaType, Frequency

if TYPE_CHECKING:
    from houqin.orgs.models import School


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    area_type: str
    frequency: str
    items: tuple[str, ...]
    description: str = ""


DEFAULT_TEMPLATES: tuple[TemplateSpec, ...] = (
    TemplateSpec(
        "食堂每日检查",
        AreaType.CANTEEN,
        Frequency.DAILY,
        (
            "从业人员健康证有效，晨检记录完整",
            "食品留样每餐每样不少于125克，冷藏48小时以上，记录完整",
            "食品原料索证索票、进货查验记录齐全",
            "操作间生熟分开，餐用具清洗消毒到位",
            "燃气阀门、管道无泄漏，灭火器、灭火毯完好",
            "库房防鼠防蝇设施完好，无过期变质食品",
        ),
        "学校食品安全与营养健康管理规定",
    ),
    TemplateSpec(
        "教室安全日查",
        AreaType.CLASSROOM,
        Frequency.DAILY,
        (
            "门窗、玻璃完好，窗户限位器有效",
            "电源插座、开关、灯具完好，无私拉乱接",
            "课桌椅、讲台无松动，无尖锐突出物",
            "走廊、楼梯畅通，应急照明和疏散指示完好",
            "栏杆、护栏牢固",
            "无管制刀具等危险物品",
        ),
        "按楼层检查本层各教室、走廊和楼梯",
    ),
    TemplateSpec(
        "三室安全日查",
        AreaType.SPECIAL_ROOMS,
        Frequency.DAILY,
        (
            "电源线路、插座完好，人走断电",
            "灭火器在位，压力正常，在有效期内",
            "实验药品、器材按规定存放，危险化学品双人双锁",
            "门窗锁闭完好，防盗设施有效",
            "通风良好，无杂物堆放",
        ),
        "实验室、微机室、图书室",
    ),
    TemplateSpec(
        "办公室安全周查",
        AreaType.OFFICE,
        Frequency.WEEKLY,
        (
            "下班断电，无违规使用大功率电器",
            "门窗锁闭，重要资料和财物妥善保管",
            "无易燃杂物堆放",
        ),
    ),
    TemplateSpec(
        "消防安全月查",
        AreaType.FIRE,
        Frequency.MONTHLY,
        (
            "灭火器数量、压力、有效期符合要求",
            "消火栓箱完好，水带水枪齐全，水压正常",
            "疏散通道、安全出口畅通，无锁闭",
            "应急照明、疏散指示标志完好",
            "电气线路无老化，无私拉乱接",
            "消防设施年度检测报告在有效期内",
        ),
        "消防法第十六条；机关、团体、企业、事业单位消防安全管理规定",
    ),
    TemplateSpec(
        "围墙与校门日查",
        AreaType.PERIMETER,
        Frequency.DAILY,
        (
            "门卫在岗值守，外来人员电话核实并登记",
            "校门防冲撞设施（拒马、隔离桩）到位",
            "防卫器械（钢叉、警棍、盾牌等）齐全",
            "一键报警装置、视频监控运行正常",
            "围墙、护栏完好，无破损、无攀爬隐患",
        ),
        "中小学幼儿园安全管理办法；GB/T 29315-2022",
    ),
    TemplateSpec(
        "校车安全周查",
        AreaType.SCHOOL_BUS,
        Frequency.WEEKLY,
        (
            "校车年检、保险在有效期内",
            "驾驶人、随车照管人员在岗，资质有效",
            "安全锤、灭火器、急救箱齐全",
            "车门、座椅、安全带完好",
            "乘车学生名单和上下车清点记录完整",
        ),
        "校车安全管理条例",
    ),
)

SPECIAL_ROOM_WORDS = ("实验", "微机", "计算机", "图书")


def _top_building(place: Place, by_id: dict[int, Place]) -> Place:
    while place.kind != PlaceKind.BUILDING and place.parent_id in by_id:
        place = by_id[place.parent_id]
    return place


def places_for(school: School, area_type: str) -> list[Place]:
    """The places a default checklist of this area type applies to (none: one school-wide check)."""
    places = list(Place.objects.filter(school=school, is_active=True))
    by_id = {p.pk: p for p in places}
    chosen: dict[int, Place] = {}
    for place in places:
        target: Place | None = None
        if area_type == AreaType.CANTEEN and place.use == PlaceUse.CANTEEN:
            target = _top_building(place, by_id)
        elif area_type == AreaType.CLASSROOM and place.use == PlaceUse.CLASSROOM:
            target = by_id.get(place.parent_id) if place.parent_id else place
        elif area_type == AreaType.OFFICE and place.use == PlaceUse.OFFICE:
            target = place
        elif area_type == AreaType.SPECIAL_ROOMS and (
            place.use == PlaceUse.LAB or any(word in place.name for word in SPECIAL_ROOM_WORDS)
        ):
            target = place if place.kind == PlaceKind.ROOM else None
        elif area_type == AreaType.PERIMETER and place.use == PlaceUse.GATE and place.kind == PlaceKind.AREA:
            target = place
        if target is not None:
            chosen[target.pk] = target
    return sorted(chosen.values(), key=lambda p: p.full_name)
