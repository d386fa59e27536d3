"""Base models and the cross-cutting records every module shares: audit trail, numbering, policies, inbox."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from houqin.accounts.models import User

_M = TypeVar("_M", bound=models.Model)
_Ledger = TypeVar("_Ledger", bound="AppendOnlyModel")


# The last part of an audit action, in words for the history lists.
ACTION_VERBS: dict[str, Any] = {
    "created": pgettext_lazy("history", "Created"),
    "updated": pgettext_lazy("history", "Changed"),
    "set": pgettext_lazy("history", "Set"),
    "imported": pgettext_lazy("history", "Imported"),
    "viewed": pgettext_lazy("history", "Viewed"),
    "deleted": pgettext_lazy("history", "Deleted"),
    "purged": pgettext_lazy("history", "Purged"),
    "closed": pgettext_lazy("history", "Closed"),
    "started": pgettext_lazy("history", "Started"),
    "approved": pgettext_lazy("history", "Approved"),
    "step_approved": pgettext_lazy("history", "Approved at one level"),
    "rejected": pgettext_lazy("history", "Rejected"),
    "cancelled": pgettext_lazy("history", "Cancelled"),
    "issued": pgettext_lazy("history", "Issued"),
    "returned": pgettext_lazy("history", "Returned"),
    "received": pgettext_lazy("history", "Receipt confirmed"),
    "signed": pgettext_lazy("history", "Signed"),
    "signed_off": pgettext_lazy("history", "Signed off"),
    "activated": pgettext_lazy("history", "Put in force"),
    "raised": pgettext_lazy("history", "Raised"),
    "recorded": pgettext_lazy("history", "Recorded"),
    "added": pgettext_lazy("history", "Added"),
    "done": pgettext_lazy("history", "Done"),
    "discarded": pgettext_lazy("history", "Discarded"),
    "chosen": pgettext_lazy("history", "Chosen"),
    "revoked": pgettext_lazy("history", "Revoked"),
    "adjusted": pgettext_lazy("history", "Adjusted"),
    "reversed": pgettext_lazy("history", "Reversed"),
    "ticked": pgettext_lazy("history", "Ticked"),
    "found": pgettext_lazy("history", "Found"),
    "entered": pgettext_lazy("history", "Entered"),
    "left": pgettext_lazy("history", "Left"),
    "locked": pgettext_lazy("history", "Locked"),
}


def labelled_changes(model: type[models.Model] | None, changes: dict | None) -> list[tuple[str, Any, Any]]:
    """A changes dict ({field: [before, after]}) as rows labelled by the model's field names where they exist."""
    fields = {field.name: field for field in model._meta.get_fields()} if model else {}
    rows = []
    for name, pair in (changes or {}).items():
        before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        verbose = getattr(fields.get(name), "verbose_name", None)
        rows.append((str(verbose) if verbose else name, before, after))
    return rows


@functools.cache
def _choice_labels(field: models.Field) -> dict[Any, Any]:
    return dict(field.flatchoices)


class ChoiceLabels:
    """get_FOO_display() from a map of each field's choices built once. Django's own rebuilds a hashable copy of the
    choices on every call, hashing each lazy label (a gettext call each): a third of a 50-row list's rendering."""

    def _get_FIELD_display(self, field: models.Field) -> Any:
        value = getattr(self, field.attname)
        try:
            label = _choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value has no label
            label = value
        return force_str(label, strings_only=True)


class TimeStampedModel(ChoiceLabels, models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SchoolScopedQuerySet(models.QuerySet[_M]):
    """Rows a user may see: their school's, or every school of their district for bureau staff."""

    school_field = "school"

    def visible_to(self, user: User) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser and user.school_id is None and user.district_id is None:
            return self
        if user.school_id is not None:
            return self.filter(**{f"{self.school_field}_id": user.school_id})
        if user.district_id is not None:
            return self.filter(**{f"{self.school_field}__district_id": user.district_id})
        return self.none()


class SchoolOwnedModel(TimeStampedModel):
    """A row that belongs to one school. Every query that reaches a user starts from visible_to(user)."""

    school = models.ForeignKey("orgs.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class StatusFlow(models.Model):
    """A record with a `status` whose allowed moves are a table of the app's choices.py (status -> next statuses)."""

    transitions: ClassVar[dict[str, set[str]]] = {}
    status: Any

    class Meta:
        abstract = True

    def can_become(self, status: str) -> bool:
        return status in self.transitions.get(self.status, set())


class PinyinIndexed(models.Model):
    """Keeps `search_text` (the text plus its full pinyin and initials) so staff can type `zgs` for 资产.

    A derived column maintained on save: it carries no business rule, only a search key.
    """

    search_text = models.TextField(editable=False, default="", db_index=False)

    search_source_fields: tuple[str, ...] = ("name",)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        from houqin.core.search import pinyin_index

        self.search_text = pinyin_index(*(str(getattr(self, f) or "") for f in self.search_source_fields))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class AppendOnlyQuerySet(SchoolScopedQuerySet[_Ledger]):
    """The rows of a ledger: never updated or deleted, one by one or in bulk (ARCHITECTURE rule 5)."""

    def update(self, **kwargs: Any) -> int:
        raise ValidationError(self.model.immutable_message)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError(self.model.immutable_message)


class AppendOnlyModel(ChoiceLabels, models.Model):
    """A ledger row: written once, then never changed or deleted; mistakes are corrected by a new row."""

    immutable_message: Any = _("This record cannot be changed or deleted.")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError(self.immutable_message)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError(self.immutable_message)


class AuditEventQuerySet(AppendOnlyQuerySet["AuditEvent"]):
    def visible_to(self, user: User) -> Self:
        if user.is_authenticated and user.school_id is None and user.district_id is not None:
            # Bureau staff also see the district-level events (school is empty there).
            return self.filter(district_id=user.district_id)
        return super().visible_to(user)


AuditEventManager = models.Manager.from_queryset(AuditEventQuerySet)


class AuditEvent(AppendOnlyModel):
    """One thing someone did: append-only, never edited, kept at least 180 days (G6)."""

    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("operator"), max_length=150, blank=True)
    district = models.ForeignKey("orgs.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("orgs.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object ID"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    message = models.TextField(_("note"), blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects: ClassVar[AuditEventManager] = AuditEventManager()
    immutable_message = _("Audit events cannot be changed or deleted.")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="core_audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    @property
    def action_label(self) -> str:
        """What happened in words ("Approved"), from the action's last part; the code itself when it has none."""
        label = ACTION_VERBS.get(self.action.rsplit(".", 1)[-1])
        return str(label) if label is not None else self.action

    @property
    def change_rows(self) -> list[tuple[str, Any, Any]]:
        """(field label, before, after) per change, labelled by the target model's field names where they exist."""
        try:
            model = apps.get_model(self.target_type) if self.target_type else None
        except (LookupError, ValueError):
            model = None
        return labelled_changes(model, self.changes)


class DocumentSequence(models.Model):
    """The last number issued per school, prefix and year; incremented under a row lock."""

    school = models.ForeignKey("orgs.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "prefix", "year"], name="core_sequence_unique_per_school"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_value}"


class PolicyValue(models.Model):
    """A rule's number set by a district, or overridden by one school, from a date (ARCHITECTURE rule 7)."""

    district = models.ForeignKey("orgs.District", on_delete=models.CASCADE, related_name="policy_values")
    school = models.ForeignKey("orgs.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("setting"), max_length=80)
    value = models.JSONField(_("value"))
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("policy setting")
        verbose_name_plural = _("policy settings")
        ordering = ["key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "school", "key", "effective_from"], name="core_policy_unique_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value} ({self.effective_from})"


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An inbox message (outbox row): shown in-app now; `delivered_at` is for robot-webhook adapters."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    school = models.ForeignKey("orgs.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="core_notification_unread_idx")]

    def __str__(self) -> str:
        return self.title
