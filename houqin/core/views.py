"""Pages of the shell: health check, home (今日待办), search, inbox, audit log."""

from __future__ import annotations

import django_filters

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from houqin.core.mixins import AuthenticatedHttpRequest, ScopedListView
from houqin.core.models import AuditEvent, Notification
from houqin.core.registry import search_for, today_for
from houqin.core.services import notification_mark_read


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: 200 when the database answers, 503 otherwise. No auth."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """今日待办: what is due or overdue for this user, from every module."""
    return render(request, "core/home.html", {"today_items": today_for(request.user)})


@login_required
def search_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    groups = search_for(request.user, q) if q else []
    return render(request, "core/search.html", {"search_q": q, "groups": groups})


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications = Paginator(Notification.objects.filter(recipient=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page_obj": notifications})


@login_required
@require_POST
def inbox_mark_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    notification_mark_read(actor=request.user, notification_ids=ids)
    return redirect("core:inbox")


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(label=_("Action"), lookup_expr="startswith")
    actor_name = django_filters.CharFilter(label=_("Operator"), lookup_expr="icontains")
    occurred_after = django_filters.DateFilter(label=_("From"), field_name="occurred_at", lookup_expr="date__gte")
    occurred_before = django_filters.DateFilter(label=_("To"), field_name="occurred_at", lookup_expr="date__lte")
    target_type = django_filters.CharFilter(widget=forms.HiddenInput)
    target_id = django_filters.CharFilter(widget=forms.HiddenInput)

    class Meta:
        model = AuditEvent
        fields: list[str] = []


class AuditEventListView(ScopedListView):
    """The audit log of the school (or the district, for bureau staff)."""

    model = AuditEvent
    permission_required = "core.view_auditevent"
    filterset_class = AuditEventFilter
    search_fields = ("actor_name", "action", "target_repr", "message")
    template_name = "core/auditevent_list.html"
    export_name = _("Audit log")
    export_columns = [
        (_("Time"), lambda e: e.occurred_at),
        (_("Operator"), lambda e: e.actor_name),
        (_("Action"), lambda e: e.action),
        (_("Object"), lambda e: e.target_repr),
        (_("Changes"), lambda e: e.changes),
        (_("Note"), lambda e: e.message),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("school")
