"""The one way to write the audit trail: `audit.record(...)` inside the service's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models

from houqin.core.middleware import current_request_id
from houqin.core.models import AuditEvent

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
) -> AuditEvent:
    """Append one audit event: who did `action` (e.g. "orgs.person.created") to `target`, with old → new values."""
    if school is None and target is not None:
        school = getattr(target, "school", None) if hasattr(target, "school_id") else None
    if school is None and actor is not None:
        school = getattr(actor, "school", None)
    district_id = getattr(school, "district_id", None) or getattr(actor, "district_id", None)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.display_name if actor is not None else "系统")[:150],
        district_id=district_id,
        school=school,
        action=action,
        target_type=target_type_of(target) if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        changes={k: _jsonable(v) for k, v in (changes or {}).items()},
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
