"""Every write of the drill records (E4): fire, earthquake, flood, intruder and school-bus drills."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core.crud import create_audited, lock, require_perm, update_audited
from houqin.safety.models import Drill

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import School

DRILL_IN_FUTURE = gettext_noop("A drill is recorded once it has been held; the date cannot be in the future.")


def _held(held_on: dt.date) -> None:
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _(DRILL_IN_FUTURE)})


@transaction.atomic
def drill_record(*, actor: User, school: School, kind: str, held_on: dt.date, scenario: str, **fields: Any) -> Drill:
    """Record a drill held: scenario, participants, evacuation time, problems found."""
    require_perm(actor, "safety.add_drill")
    _held(held_on)
    values = {
        "school": school,
        "kind": kind,
        "held_on": held_on,
        "scenario": scenario.strip(),
        "recorded_by": actor,
        **fields,
    }
    return create_audited(actor=actor, model=Drill, values=values)


@transaction.atomic
def drill_update(*, actor: User, drill: Drill, **values: Any) -> Drill:
    require_perm(actor, "safety.change_drill")
    if "held_on" in values:
        _held(values["held_on"])
    return update_audited(actor=actor, instance=lock(Drill, drill.pk), values=values)
