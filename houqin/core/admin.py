"""Admin site: read-mostly support views. Audit events are read-only; nothing may change or delete them."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from houqin.core.models import AuditEvent, Notification, PolicyValue


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "actor_name", "school", "action", "target_repr"]
    list_filter = ["action"]
    search_fields = ["actor_name", "action", "target_repr", "message"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PolicyValue)
class PolicyValueAdmin(admin.ModelAdmin):
    list_display = ["key", "district", "school", "value", "effective_from", "source"]
    list_filter = ["key"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # set through core.services.policy_set so that it is validated and audited

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind"]
