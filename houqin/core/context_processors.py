"""What the page shell needs on every page: navigation for the user's roles and the unread count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from houqin.core.registry import menu_for

    return {
        "nav_sections": menu_for(user, request.path),
        "unread_count": user.notifications.unread().count(),
    }
