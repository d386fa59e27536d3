"""Building blocks for audited create/update services: permission check, same-school check, full_clean, audit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core import audit

if TYPE_CHECKING:
    from houqin.accounts.models import User

M = TypeVar("M", bound=models.Model)

NO_PERMISSION = gettext_noop("You do not have permission to do this.")
OTHER_SCHOOL = gettext_noop("%(field)s does not belong to this school.")


def require_perm(actor: User, *perms: str) -> None:
    """Refuse with 403 unless the actor holds every permission."""
    if not actor.has_perms(perms):
        raise PermissionDenied(_(NO_PERMISSION))


def require_same_school(school: Any, **related: models.Model | None) -> None:
    """Refuse a reference to another school's row, naming the field (e.g. department=...)."""
    errors = {}
    for field, obj in related.items():
        if obj is not None and getattr(obj, "school_id", school.pk) != school.pk:
            label = obj._meta.verbose_name
            errors[field] = _(OTHER_SCHOOL) % {"field": label}
    if errors:
        raise ValidationError(errors)


def action_name(instance_or_model: Any, verb: str) -> str:
    meta = instance_or_model._meta
    return f"{meta.app_label}.{meta.model_name}.{verb}"


def create_audited(*, actor: User, model: type[M], values: dict[str, Any], message: str = "") -> M:
    """Validate (fields and constraints) and save a new row, then audit "<app>.<model>.created"."""
    instance = model(**values)
    instance.full_clean()
    instance.save()
    audit.record(
        actor=actor,
        action=action_name(instance, "created"),
        target=instance,
        changes={k: [None, v] for k, v in values.items() if k != "school"},
        message=message,
    )
    return instance


def update_audited(*, actor: User, instance: M, values: dict[str, Any], message: str = "") -> M:
    """Apply the changed values, validate, save them, and audit "<app>.<model>.updated" with old → new."""
    changes = audit.diff(instance, values)
    if not changes:
        return instance
    instance.full_clean()
    instance.save()
    audit.record(
        actor=actor, action=action_name(instance, "updated"), target=instance, changes=changes, message=message
    )
    return instance


def lock(model: type[M], pk: Any) -> M:
    """Re-read a row under lock: another request may have changed it since the page was loaded."""
    return model._default_manager.select_for_update().get(pk=pk)
