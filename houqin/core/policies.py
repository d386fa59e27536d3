"""Rules whose numbers vary by place (ARCHITECTURE rule 7).

Each key has a national default with its source (shared/domain/china-rules.md); a district may set its own value
from a date, and a school may override its district. `policy(key, school=..., on=...)` answers for a day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Policy:
    key: str
    label: Any
    default: Any
    source: str
    minimum: Any = None  # a floor no district may go below (e.g. 留样 125 g is a national floor)

    def parse(self, raw: Any) -> Any:
        """The typed value of `raw` (as stored or typed); ValueError or ArithmeticError when it is not one."""
        kind = type(self.default)
        if kind not in (Decimal, int, float):
            return raw
        if raw is None or isinstance(raw, bool):
            raise ValueError(raw)
        number = Decimal(str(raw).strip())
        if not number.is_finite():
            raise ValueError(raw)
        if kind is int:
            if number != number.to_integral_value():
                raise ValueError(raw)
            return int(number)
        return float(number) if kind is float else number


# Per-disease cluster thresholds (F3/F4): in one class the cases of the disease in one day (at least) and over 3 days
# (more than), 0 meaning the general class rule; in the school at least N cases within D days (湖州市 CDC table).
HEALTH_DISEASES = [
    ("influenza", _("influenza"), 0, 0, 10, 7),
    ("chickenpox", _("chickenpox"), 0, 0, 5, 7),
    ("hfmd", _("hand, foot and mouth disease"), 2, 0, 5, 7),
    ("norovirus", _("norovirus"), 0, 0, 10, 7),
    ("mumps", _("mumps"), 0, 0, 5, 7),
    ("scarlet_fever", _("scarlet fever"), 0, 0, 10, 7),
    ("measles", _("measles"), 2, 0, 2, 10),
]
HEALTH_DISEASE_POLICIES = [
    policy
    for code, name, per_day, over_3_days, school_cases, school_days in HEALTH_DISEASES
    for policy in (
        Policy(
            f"health.{code}_class_day",
            format_lazy(
                _("{disease}: cases in a class in one day that raise an alert (0: general rule)"), disease=name
            ),
            per_day,
            "学校和托幼机构传染病疫情报告工作规范 (2006)",
        ),
        Policy(
            f"health.{code}_class_3_days",
            format_lazy(
                _("{disease}: cases in a class over 3 days above which an alert is raised (0: general rule)"),
                disease=name,
            ),
            over_3_days,
            "学校和托幼机构传染病疫情报告工作规范 (2006)",
        ),
        Policy(
            f"health.{code}_school_cases",
            format_lazy(_("{disease}: cases in the school that raise an alert"), disease=name),
            school_cases,
            "湖州市 学校传染病聚集性疫情 thresholds (local CDC)",
        ),
        Policy(
            f"health.{code}_school_days",
            format_lazy(_("{disease}: days counted for the school cases"), disease=name),
            school_days,
            "湖州市 学校传染病聚集性疫情 thresholds (local CDC)",
        ),
    )
]

POLICIES: dict[str, Policy] = {
    p.key: p
    for p in [
        Policy(
            "assets.fixed_threshold",
            _("Fixed-asset unit value threshold (yuan)"),
            Decimal("1000.00"),
            "财教〔2022〕159号 art. 52; 财政部令第108号 art. 41",
        ),
        Policy(
            "assets.special_equipment_threshold",
            _("Special-equipment threshold (yuan, legacy 1500 mode)"),
            Decimal("1000.00"),
            "财政部令第68号 art. 40 (legacy)",
        ),
        Policy("assets.rental_max_years", _("Longest rental term (years)"), 5, "出租出借 rules (local)"),
        Policy("assets.offbook_days", _("Days to create an asset card after goods are received"), 30, "条例 art. 30"),
        Policy(
            "assets.sale_floor_ratio",
            _("Lowest sale price as a share of the appraised value"),
            Decimal("0.90"),
            "china-rules 1.5.4 (A13)",
        ),
        Policy(
            "assets.disposal_leader_limit",
            _("Disposal approved by the school leader in charge up to (yuan, original value)"),
            Decimal("20000.00"),
            "local tier table (china-rules 1.5.4, A12)",
        ),
        Policy(
            "assets.disposal_principal_limit",
            _("Disposal approved by the principal up to (yuan, original value)"),
            Decimal("50000.00"),
            "local tier table (china-rules 1.5.4, A12)",
        ),
        Policy(
            "assets.disposal_meeting_limit",
            _("Disposal approved by the principal's office meeting up to (yuan, original value)"),
            Decimal("200000.00"),
            "local tier table (china-rules 1.5.4, A12)",
        ),
        Policy(
            "assets.disposal_bureau_limit",
            _("Disposal approved by the education bureau up to (yuan, original value; above: finance bureau)"),
            Decimal("1000000.00"),
            "local tier table (china-rules 1.5.4, A12)",
        ),
        Policy(
            "procurement.quote_min_count",
            _("Quotes needed below the government procurement threshold"),
            3,
            "school rule (货比三家)",
        ),
        Policy(
            "procurement.quote_required_above",
            _("Amount above which three quotes are needed (yuan)"),
            Decimal("5000.00"),
            "school rule",
        ),
        Policy(
            "procurement.dispersed_threshold",
            _("Dispersed procurement threshold, goods (yuan)"),
            Decimal("1000000.00"),
            "国办发〔2019〕55号 (central)",
        ),
        Policy(
            "procurement.open_tender_threshold",
            _("Open tender threshold, goods (yuan)"),
            Decimal("2000000.00"),
            "财库〔2019〕 (central)",
        ),
        Policy(
            "procurement.contract_warn_day",
            _("Warn about an unsigned contract from this day after the award (of 30)"),
            25,
            "local practice (china-rules 7.1.10, B6)",
        ),
        Policy(
            "canteen.sample_min_grams",
            _("Minimum food sample weight (g)"),
            125,
            "学校食品安全与营养健康管理规定 (2019)",
            minimum=125,
        ),
        Policy(
            "canteen.sample_retention_hours",
            _("Food sample retention (hours)"),
            48,
            "学校食品安全与营养健康管理规定 (2019)",
            minimum=48,
        ),
        Policy(
            "safety.evacuation_drills_per_month",
            _("Evacuation drills per term month"),
            1,
            "教育部 中小学幼儿园应急疏散演练指南 (2014)",
        ),
        Policy("safety.key_area_patrols_per_day", _("Key-area patrols per day"), 5, "GB/T 29315-2022"),
        Policy("safety.video_retention_days", _("Video retention (days)"), 90, "GB/T 29315-2022", minimum=30),
        Policy("safety.dorm_night_patrols_per_night", _("Dorm night patrols per night"), 2, "GB/T 29315-2022"),
        Policy("safety.guards_base", _("Guards for a school under the first step"), 1, "GB/T 29315-2022"),
        Policy(
            "safety.guards_step1_students", _("Students from which a second guard is needed"), 100, "GB/T 29315-2022"
        ),
        Policy("safety.guards_step1", _("Guards from the first step"), 2, "GB/T 29315-2022"),
        Policy(
            "safety.guards_step2_students", _("Students from which a third guard is needed"), 1000, "GB/T 29315-2022"
        ),
        Policy("safety.guards_step2", _("Guards from the second step"), 3, "GB/T 29315-2022"),
        Policy("safety.guards_extra_per_students", _("One more guard per this many students"), 500, "GB/T 29315-2022"),
        Policy("visitors.retention_days", _("Visitor record retention (days)"), 180, "PIPL art. 19; local practice"),
        Policy("health.fever_threshold", _("Fever threshold (°C)"), Decimal("37.3"), "practice"),
        Policy(
            "health.cluster_cases_per_day",
            _("Similar-symptom cases in a class in one day that raise an alert"),
            3,
            "学校和托幼机构传染病疫情报告工作规范 (2006)",
        ),
        Policy(
            "health.cluster_cases_3_days",
            _("Cases in a class over 3 days above which an alert is raised"),
            5,
            "学校和托幼机构传染病疫情报告工作规范 (2006)",
        ),
        Policy(
            "health.morning_check_cutoff", _("Morning check cut-off (HH:MM)"), "08:30", "传染病疫情报告工作规范 (2006)"
        ),
        Policy("health.noon_check_cutoff", _("Noon check cut-off (HH:MM)"), "14:00", "传染病疫情报告工作规范 (2006)"),
        Policy("health.bureau_report_time", _("Daily absence report due at (HH:MM)"), "10:00", "district practice"),
        Policy("health.report_deadline_hours", _("Hours to report a cluster alert"), 24, "传染病防治法 art. 33"),
        Policy(
            "health.ili_cases_7_days",
            _("Influenza-like cases in the school over 7 days that raise an alert"),
            10,
            "湖州市 学校传染病聚集性疫情 thresholds (local CDC)",
        ),
        Policy("health.students_per_health_worker", _("Students per full-time health worker"), 600, "学校卫生工作条例"),
        Policy(
            "health.evening_check_cutoff", _("Evening check cut-off for boarders (HH:MM)"), "19:00", "WS/T 772-2020"
        ),
        Policy("health.unknown_follow_up_cutoff", _("Unknown absences followed up by (HH:MM)"), "10:00", "2006 规范"),
        Policy("health.unknown_absences_class", _("Unknown absences in a class that raise an alert"), 5, "2006 规范"),
        Policy(
            "health.unknown_absences_school", _("Unknown absences in the school that raise an alert"), 20, "2006 规范"
        ),
        *HEALTH_DISEASE_POLICIES,
        Policy(
            "canteen.fridge_min_celsius",
            _("Sample fridge lowest temperature (°C)"),
            Decimal("0"),
            "餐饮服务食品安全操作规范",
        ),
        Policy(
            "canteen.fridge_max_celsius",
            _("Sample fridge highest temperature (°C)"),
            Decimal("8"),
            "餐饮服务食品安全操作规范",
        ),
        Policy(
            "canteen.health_cert_warning_days", _("Days before a health certificate expires to warn"), 30, "practice"
        ),
        Policy(
            "canteen.banned_dishes",
            _("Dishes never served (comma-separated)"),
            "冷荤,生食,裱花蛋糕,四季豆,鲜黄花菜,野生蘑菇,发芽土豆",
            "学校食品安全与营养健康管理规定 art. 24 (provinces may extend)",
        ),
        Policy("transport.bus_drills_per_semester", _("School-bus drills per semester"), 1, "校车安全管理条例 art. 12"),
        Policy(
            "transport.inspection_months",
            _("Months between school-bus safety inspections"),
            6,
            "校车安全管理条例 art. 21",
        ),
        Policy(
            "transport.driver_min_age",
            _("Youngest school-bus driver (years)"),
            25,
            "校车安全管理条例 art. 23",
            minimum=25,
        ),
        Policy("transport.driver_max_age", _("Oldest school-bus driver (years)"), 60, "校车安全管理条例 art. 23"),
        Policy(
            "transport.driver_min_licence_years",
            _("Years licensed before driving a school bus"),
            3,
            "校车安全管理条例 art. 23",
            minimum=3,
        ),
        Policy(
            "transport.speed_limit_expressway_kmh",
            _("School bus speed limit on expressways (km/h)"),
            80,
            "校车安全管理条例 art. 35",
        ),
        Policy(
            "transport.speed_limit_road_kmh",
            _("School bus speed limit on other roads (km/h)"),
            60,
            "校车安全管理条例 art. 35",
        ),
        Policy(
            "transport.speed_limit_adverse_kmh",
            _("School bus speed limit in adverse road or weather conditions (km/h)"),
            20,
            "校车安全管理条例 art. 35",
        ),
        Policy(
            "duties.handover_max_grade",
            _("Highest grade handed over to a guardian at dismissal"),
            2,
            "local regulation",
        ),
    ]
}


def policy(key: str, *, school: Any, on: dt.date | None = None) -> Any:
    """The value in force for `school` on day `on`: the school's override, else its district's, else the default."""
    return effective(key, district_id=school.district_id, school_id=school.pk, on=on).value


@dataclass(frozen=True)
class Effective:
    """A rule's value in force, and where it comes from (the row that set it, or the national default)."""

    policy: Policy
    value: Any
    row: Any = None

    @property
    def level(self) -> str:
        if self.row is None:
            return "national"
        return "school" if self.row.school_id else "district"


def effective(key: str, *, district_id: int, school_id: int | None = None, on: dt.date | None = None) -> Effective:
    """The value in force on day `on` for a school (its override first) or, without a school, for the district."""
    return effective_all(district_id=district_id, school_id=school_id, on=on, keys=[key])[0]


def effective_all(
    *, district_id: int, school_id: int | None = None, on: dt.date | None = None, keys: list[str] | None = None
) -> list[Effective]:
    """The values in force of several rules (all by default) in one query."""
    from houqin.core.models import PolicyValue

    keys = keys or list(POLICIES)
    scope = Q(school__isnull=True) | Q(school_id=school_id) if school_id else Q(school__isnull=True)
    rows = (
        PolicyValue.objects.filter(
            key__in=keys, district_id=district_id, effective_from__lte=on or timezone.localdate()
        )
        .filter(scope)
        .order_by("key", F("school_id").desc(nulls_last=True), "-effective_from")
    )
    chosen: dict[str, PolicyValue] = {}
    for candidate in rows:
        chosen.setdefault(candidate.key, candidate)  # the school's override first, then the latest district value
    result = []
    for key in keys:
        definition, row = POLICIES[key], chosen.get(key)
        result.append(Effective(definition, definition.parse(row.value) if row else definition.default, row))
    return result
