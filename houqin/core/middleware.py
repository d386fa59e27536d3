"""Request id for log lines and audit events."""

from __future__ import annotations

import contextvars
import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("houqin_request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Tags each request with an id (kept from X-Request-ID when sane) that audit events and logs carry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if incoming.isascii() and 8 <= len(incoming) <= 64 else uuid.uuid4().hex
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class SessionIdleMiddleware:
    """Idle timeout without a write per request: a logged-in session is re-saved (renewing its expiry of
    SESSION_COOKIE_AGE) only when the last renewal is older than HOUQIN_SESSION_TOUCH_SECONDS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.session_key
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            now = int(time.time())
            if now - session.get("_touched", 0) >= settings.HOUQIN_SESSION_TOUCH_SECONDS:
                session["_touched"] = now
        return self.get_response(request)


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True
