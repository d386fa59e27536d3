"""Excel import of a trip's driving record (the GPS/Beidou export of the bus): every row checked and flagged by the
rules of `speed_record_add` (D5), all rows or none, errors by row and column."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from openpyxl.utils.datetime import from_excel

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from houqin.core.importing import (
    CellError,
    ImportColumn,
    ImportContext,
    ImportSpec,
    choice_parser,
    normalise,
    parse_decimal,
    parse_text,
)
from houqin.transport import selectors, services
from houqin.transport.choices import RoadType
from houqin.transport.models import Trip

NOT_A_TIME = gettext_noop("Enter a time such as 07:35:20 or 2025-06-01 07:35:20.")

ROAD_ALIASES = {
    "高速": RoadType.EXPRESSWAY,
    "高速公路": RoadType.EXPRESSWAY,
    "快速路": RoadType.EXPRESSWAY,
    "是": RoadType.EXPRESSWAY,
    "普通道路": RoadType.OTHER,
    "普通公路": RoadType.OTHER,
    "城市道路": RoadType.OTHER,
    "国道": RoadType.OTHER,
    "省道": RoadType.OTHER,
    "县道": RoadType.OTHER,
    "乡道": RoadType.OTHER,
    "其他": RoadType.OTHER,
    "否": RoadType.OTHER,
}

_TIME = re.compile(r"(?P<h>\d{1,2})[:：](?P<m>\d{2})(?:[:：](?P<s>\d{2}))?")
_DATE_TIME = re.compile(r"(?P<y>\d{4})[-/.年](?P<mo>\d{1,2})[-/.月](?P<d>\d{1,2})日?[ T]+(?P<time>.+)")


def parse_moment(value: Any) -> dt.datetime | dt.time | None:
    """A time of day (07:35, 07:35:20, an Excel time) or a date and time (an Excel date-time, 2025-06-01 07:35:20,
    2025/6/1 7:35); a time alone is taken on the trip's day."""
    value = normalise(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 2958466:
        moment = from_excel(value)  # a fraction of a day is a time; a larger number a date and time
        return moment if isinstance(moment, dt.datetime | dt.time) else None
    text = str(value)
    date = None
    match = _DATE_TIME.fullmatch(text)
    if match:
        try:
            date = dt.date(int(match["y"]), int(match["mo"]), int(match["d"]))
        except ValueError:
            raise CellError(_(NOT_A_TIME)) from None
        text = match["time"].strip()
    match = _TIME.fullmatch(text)
    if not match:
        raise CellError(_(NOT_A_TIME))
    try:
        time = dt.time(int(match["h"]), int(match["m"]), int(match["s"] or 0))
    except ValueError:
        raise CellError(_(NOT_A_TIME)) from None
    return dt.datetime.combine(date, time) if date else time


def _save_row(trip: Trip) -> Any:
    def save(context: ImportContext, values: dict[str, Any]) -> Any:
        moment = values["recorded_at"]
        if isinstance(moment, dt.time):
            moment = dt.datetime.combine(trip.date, moment)
        point = services.SpeedPoint(
            recorded_at=moment,
            speed_kmh=values["speed_kmh"],
            road_type=values.get("road_type") or RoadType.OTHER,
            location=values.get("location", ""),
        )
        limits = context.cached(("speed_limits", trip.pk), lambda: selectors.speed_limits(trip))
        return services.speed_record_add(actor=context.actor, trip=trip, point=point, limits=limits)

    return save


def telemetry_spec(trip: Trip) -> ImportSpec:
    """The import of one trip's driving record (the spec names the trip: a preview belongs to it alone)."""
    return ImportSpec(
        name=f"transport-telemetry-{trip.pk}",
        # also the template's sheet name, where : / \ ? * [ ] are not allowed
        title=format_lazy("{} {}", gettext_lazy("Driving record"), re.sub(r"[\[\]:*?/\\]", " ", str(trip))),
        columns=(
            ImportColumn(
                "recorded_at",
                gettext_lazy("Time"),
                ("时间", "定位时间", "GPS时间", "记录时间", "采集时间", "上报时间"),
                required=True,
                parse=parse_moment,
                help=gettext_lazy("a time on the trip's day, or a date and time"),
            ),
            ImportColumn(
                "speed_kmh",
                gettext_lazy("Speed (km/h)"),
                ("速度", "车速", "速度(km/h)", "GPS速度", "行驶速度"),
                required=True,
                parse=parse_decimal,
                help=gettext_lazy("0 to 200"),
            ),
            ImportColumn(
                "road_type",
                gettext_lazy("Road"),
                ("道路类型", "道路", "路段类型", "是否高速"),
                parse=choice_parser(RoadType, ROAD_ALIASES),
                help=gettext_lazy("expressway or other road; blank means other road"),
            ),
            ImportColumn("location", gettext_lazy("Location"), ("位置", "地点", "地址", "定位地址"), parse=parse_text),
        ),
        save_row=_save_row(trip),
        unique_together=("recorded_at",),
        audit_action="transport.trip.telemetry_imported",
    )
