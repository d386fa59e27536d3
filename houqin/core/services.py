"""Writes of the core records: policy values and the notification inbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core import audit
from houqin.core.models import Notification, PolicyValue
from houqin.core.policies import POLICIES

if TYPE_CHECKING:
    from houqin.accounts.models import User


NOT_OF_DISTRICT = gettext_noop("The school is not in this district.")
BELOW_FLOOR = gettext_noop("The value may not be below the national floor of %(floor)s.")


def _check_policy_scope(actor: User, district: Any, school: Any) -> None:
    """A bureau administrator sets the rules of their own district and of its schools only."""
    if not actor.has_perm("core.change_policyvalue"):
        raise PermissionDenied
    if actor.district_id is not None and actor.district_id != district.pk:
        raise PermissionDenied
    if school is not None and school.district_id != district.pk:
        raise ValidationError({"school": _(NOT_OF_DISTRICT)})


def _parse_policy_value(key: str, value: Any) -> Any:
    if key not in POLICIES:
        raise ValidationError({"key": _("Unknown setting: %(key)s") % {"key": key}})
    definition = POLICIES[key]
    try:
        parsed = definition.parse(value)
    except (ValueError, ArithmeticError):
        raise ValidationError({"value": _("The value is not valid for this setting.")}) from None
    if definition.minimum is not None and parsed < definition.minimum:
        raise ValidationError({"value": _(BELOW_FLOOR) % {"floor": definition.minimum}})
    return parsed


@transaction.atomic
def policy_set(
    *,
    actor: User,
    key: str,
    value: Any,
    effective_from: dt.date,
    district: Any,
    school: Any = None,
    source: str = "",
) -> PolicyValue:
    """Set a district value, or a school override, of a place-dependent rule from a date."""
    _check_policy_scope(actor, district, school)
    parsed = _parse_policy_value(key, value)
    where = {"district": district, "school": school, "key": key, "effective_from": effective_from}
    previous = PolicyValue.objects.select_for_update().filter(**where).first()
    row, _created = PolicyValue.objects.update_or_create(
        **where,
        defaults={
            "value": str(parsed) if not isinstance(parsed, int) else parsed,
            "source": source,
            "created_by": actor,
        },
    )
    audit.record(
        actor=actor,
        action="core.policy.set",
        target=row,
        school=school,
        changes={key: [str(previous.value) if previous is not None else None, str(parsed)]},
        message=source,
    )
    return row


def notify(
    *, recipients: Iterable[User], kind: str, title: str, body: str = "", url: str = "", school: Any = None
) -> list[Notification]:
    """Put a message in each recipient's inbox. Call inside the service's transaction (transactional outbox)."""
    return Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                school=school if school is not None else user.school,
                kind=kind,
                title=title,
                body=body,
                url=url,
            )
            for user in recipients
        ]
    )


@transaction.atomic
def notification_mark_read(*, actor: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of the actor's unread messages as read."""
    unread = Notification.objects.filter(recipient=actor).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
