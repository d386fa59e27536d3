"""The one way to write the audit trail: `audit.record(...)` inside the service's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models

from houqin.core.middleware import current_request_id
from houqin.core.models import AuditEvent
from houqin.core.sensitive import mask_id_number, mask_phone

if TYPE_CHECKING:
    from houqin.accounts.models import User


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


SENSITIVE_SUFFIXES = ("phone", "id_number")


def _minimised(field: str, value: Any) -> Any:
    """Phone and ID numbers are kept masked in the trail: the history shows that they changed, not what they are."""
    if not field.endswith(SENSITIVE_SUFFIXES):
        return value
    mask = mask_id_number if field.endswith("id_number") else mask_phone
    return [mask(v) if isinstance(v, str) else v for v in value] if isinstance(value, list) else mask(str(value or ""))


def target_type_of(target: models.Model) -> str:
    return target._meta.label_lower


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    message: str = "",
    school: Any = None,
    district: Any = None,
) -> AuditEvent:
    """Append one audit event: who did `action` (e.g. "orgs.person.created") to `target`, with old → new values.

    The event is scoped to a school (from `school`, the target or the actor) and a district (from `district`, the
    school, the target's `district_id` or the actor), so that bureau staff see district-level events too."""
    if school is None and target is not None:
        school = getattr(target, "school", None) if hasattr(target, "school_id") else None
    if school is None and actor is not None:
        school = getattr(actor, "school", None)
    district_id = (
        getattr(district, "pk", district)
        or getattr(school, "district_id", None)
        or getattr(target, "district_id", None)
        or getattr(actor, "district_id", None)
    )
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.display_name if actor is not None else "系统")[:150],
        district_id=district_id,
        school=school,
        action=action,
        target_type=target_type_of(target) if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        changes={k: _minimised(k, _jsonable(v)) for k, v in (changes or {}).items()},
        message=message,
        request_id=current_request_id(),
    )


def diff(instance: models.Model, new_values: dict[str, Any], fields: Iterable[str] | None = None) -> dict[str, list]:
    """Set `new_values` on `instance` and return {field: [old, new]} for the fields that changed."""
    changes: dict[str, list] = {}
    for field in fields or new_values.keys():
        if field not in new_values:
            continue
        old = getattr(instance, field)
        new = new_values[field]
        if old != new:
            changes[field] = [_jsonable(old), _jsonable(new)]
            setattr(instance, field, new)
    return changes


def history_for(target: models.Model) -> models.QuerySet[AuditEvent]:
    """The audit events of one object, newest first (the history panel of every detail page)."""
    return AuditEvent.objects.filter(target_type=target_type_of(target), target_id=str(target.pk))
