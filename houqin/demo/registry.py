"""The demo builder's steps and the context they share.

A step is a function `step(ctx: DemoContext) -> None` registered with `@register_step(order=…)`. The organisation
(orders 10–80) and the demo logins (90) come first; a module adds its own records by defining `houqin/<app>/demo.py`
with registered steps (order 100 and up), found automatically for every installed Houqin app:

    from houqin.demo.registry import DemoContext, register_step

    @register_step(order=120)
    def assets(ctx: DemoContext) -> None:
        school = ctx.schools[0]
        asset_create(actor=ctx.users["assetkeeper"], school=school.school, ...)

Steps run in one transaction, in order, each exactly once per build.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.db import models
from django.utils.module_loading import module_has_submodule

from houqin.core import audit
from houqin.core.models import PinyinIndexed
from houqin.core.search import pinyin_index
from houqin.demo.data import DEMO_SEED, SchoolSpec

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import Department, District, Person, Place, School, SchoolClass, Semester

M = TypeVar("M", bound=models.Model)
StepFunction = Callable[["DemoContext"], None]


@dataclass
class DemoSchool:
    """One demo school and the records built for it, for later steps to use."""

    spec: SchoolSpec
    school: School
    departments: dict[str, Department] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)  # by full name: "教学楼 / 1层 / 101"
    people: list[Person] = field(default_factory=list)
    staff: dict[str, Person] = field(default_factory=dict)  # the people behind demo logins, by username
    head_teachers: dict[str, Person] = field(default_factory=dict)  # by class name
    classes: list[SchoolClass] = field(default_factory=list)


class DemoError(Exception):
    """The demo cannot be built here; the message says why, for the person at the terminal."""


@dataclass
class DemoContext:
    """What the steps share: a seeded random generator (same demo every time) and what earlier steps built."""

    rng: random.Random = field(default_factory=lambda: random.Random(DEMO_SEED))
    district: District | None = None
    semesters: list[Semester] = field(default_factory=list)
    schools: list[DemoSchool] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)

    def bulk(self, objects: Sequence[M], *, school: School | None) -> list[M]:
        """Insert many rows at once, with one "demo.loaded" audit event for the batch.

        bulk_create skips save(), so the pinyin search key is computed here.
        """
        if not objects:
            return []
        model = type(objects[0])
        for obj in objects:
            if isinstance(obj, PinyinIndexed):
                obj.search_text = pinyin_index(*(str(getattr(obj, f) or "") for f in obj.search_source_fields))
        created = model._default_manager.bulk_create(objects, batch_size=500)
        self.loaded(model, len(created), school=school)
        return created

    @staticmethod
    def loaded(model: type[models.Model], count: int, *, school: School | None, target: Any = None) -> None:
        label = model._meta.label_lower
        audit.record(
            actor=None,
            action="demo.loaded",
            target=target,
            school=school,
            changes={label: [0, count]},
            message=f"{label}: {count}",
        )


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    function: StepFunction


_steps: list[Step] = []


def register_step(*, order: int = 100) -> Callable[[StepFunction], StepFunction]:
    """Decorator: add a function to the demo build, run in ascending `order`."""

    def decorator(function: StepFunction) -> StepFunction:
        name = f"{function.__module__}.{function.__qualname__}"
        if all(step.name != name for step in _steps):
            _steps.append(Step(name=name, order=order, function=function))
        return function

    return decorator


def autodiscover() -> None:
    """Import `houqin/demo/steps.py` and every installed Houqin app's `demo` module, registering their steps."""
    import_module("houqin.demo.steps")
    for config in apps.get_app_configs():
        if config.name.startswith("houqin.") and module_has_submodule(config.module, "demo"):
            import_module(f"{config.name}.demo")


def steps() -> list[Step]:
    autodiscover()
    return sorted(_steps, key=lambda step: step.order)
