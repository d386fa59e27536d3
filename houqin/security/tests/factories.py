"""Test data for 安全保卫."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from houqin.assets.tests.factories import make_person, make_place
from houqin.security import services
from houqin.security.choices import VettingResult

__all__ = ["make_guard", "make_person", "make_place", "make_route", "walk"]


def make_guard(actor: Any, name: str = "郑门卫", vetted_on: dt.date | None = None) -> Any:
    """A guard with this year's clear criminal-record check (unless vetted_on is given)."""
    person = make_person(actor.school, name)
    services.vetting_record(
        actor=actor,
        school=actor.school,
        person=person,
        checked_on=vetted_on or timezone.localdate().replace(month=1, day=1),
        result=VettingResult.CLEAR,
    )
    return person


def make_route(actor: Any, name: str = "教学区重点部位巡逻", points: int = 2, **flags: bool) -> Any:
    flags.setdefault("is_key_area", True)
    checkpoints = [(None, f"巡更点{n}") for n in range(1, points + 1)]
    return services.route_create(actor=actor, school=actor.school, name=name, checkpoints=checkpoints, **flags)


def walk(guard: Any, route: Any, started_at: Any = None) -> Any:
    """A whole patrol of the route, every checkpoint normal."""
    log = services.patrol_start(actor=guard, route=route, started_at=started_at)
    for checkpoint in route.checkpoints.all():
        services.patrol_tick(actor=guard, log=log, checkpoint=checkpoint)
    return services.patrol_finish(actor=guard, log=log)
