"""Small builders for the canteen tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from houqin.canteen import services
from houqin.canteen.models import Menu
from houqin.orgs.models import Person
from houqin.procurement.models import Supplier


def person(school: Any, name: str = "张厨师") -> Person:
    return Person.objects.create(school=school, name=name)


def leader_person(user: Any) -> Person:
    """The Person of a user (a principal or logistics director), created and linked if missing."""
    if user.person_id is None:
        user.person = Person.objects.create(school=user.school, name=user.name)
        user.save(update_fields=["person"])
    return user.person


def supplier(school: Any, *, expires_on: dt.date | None = None, licence: str = "JY14201000012345") -> Supplier:
    expires_on = expires_on or timezone.localdate() + dt.timedelta(days=365)
    name = f"惠民农贸{Supplier.objects.count() + 1}"
    return Supplier.objects.create(school=school, name=name, licence_number=licence, licence_expires_on=expires_on)


def published_menu(actor: Any, school: Any, day: dt.date, dishes: dict[str, list[str]]) -> Menu:
    """A published menu with these dishes per meal on `day`."""
    menu = services.menu_create(actor=actor, school=school, title="本周菜谱", week_start=day)
    for meal, names in dishes.items():
        for name in names:
            services.menu_add_dish(actor=actor, menu=menu, day=day, meal=meal, name=name, portion_g=150)
    return services.menu_publish(actor=actor, menu=menu)


def sample(actor: Any, *, dish: str = "番茄炒蛋", meal: str = "lunch", taken_at: dt.datetime | None = None, **kw: Any):
    taken_at = taken_at or timezone.now()
    return services.sample_record(
        actor=actor,
        school=actor.school,
        meal_date=timezone.localtime(taken_at).date(),
        meal=meal,
        dish=dish,
        weight_g=kw.pop("weight_g", 150),
        taken_at=taken_at,
        **kw,
    )
