"""Test data for the safety module."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from houqin.orgs.choices import PlaceKind, PlaceUse
from houqin.orgs.models import Person, Place
from houqin.safety import services
from houqin.safety.choices import AreaType, Frequency, HazardLevel, HazardSource


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def past_weekday(weekday: int) -> dt.date:
    """The latest day with this weekday (0 = Monday) at least a week ago."""
    today = timezone.localdate()
    return today - dt.timedelta(days=(today.weekday() - weekday) % 7 + 7)


def noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def make_place(school, name="校门", kind=PlaceKind.AREA, use=PlaceUse.GATE, parent=None):
    full_name = f"{parent.full_name} / {name}" if parent else name
    return Place.objects.create(school=school, name=name, kind=kind, use=use, parent=parent, full_name=full_name)


def make_person(school, name="张师傅", user=None):
    person = Person.objects.create(school=school, name=name)
    if user is not None:
        user.person = person
        user.save(update_fields=["person"])
    return person


def make_hazard(actor, school=None, title="楼梯扶手松动", found_on=None, **fields):
    """A hazard reported through the service (actor needs safety.add_hazard, and change_hazard to assign)."""
    fields.setdefault("source", HazardSource.REPORT)
    fields.setdefault("level", HazardLevel.GENERAL)
    return services.hazard_report(
        actor=actor, school=school or actor.school, title=title, found_on=found_on or days_ago(3), **fields
    )


def make_template(actor, places=(), items=("灭火器完好", "疏散通道畅通"), name="消防安全月查", **fields):
    fields.setdefault("area_type", AreaType.FIRE)
    fields.setdefault("frequency", Frequency.MONTHLY)
    fields.setdefault("starts_on", dt.date(2020, 1, 1))
    return services.template_create(
        actor=actor, school=actor.school, name=name, items=list(items), places=list(places), **fields
    )


def all_ok(template, failed=(), notes=None):
    """Results ticking every active item, with the items whose text is in `failed` not OK."""
    notes = notes or {}
    return [
        services.ResultInput(item, item.text not in failed, notes.get(item.text, ""))
        for item in template.items.filter(is_active=True)
    ]
