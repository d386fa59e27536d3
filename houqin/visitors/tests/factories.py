"""Test data for the gate."""

from __future__ import annotations

from houqin.orgs.models import Person
from houqin.visitors import services


def make_host(school, name="冯老师"):
    return Person.objects.create(school=school, name=name, phone="13900001111")


def register(actor, host, name="王建国", phone="13812345678", **fields):
    fields.setdefault("purpose", "送教学资料")
    fields.setdefault("host_confirmed_by", host.name)
    return services.visit_register(actor=actor, school=actor.school, name=name, phone=phone, host=host, **fields)
