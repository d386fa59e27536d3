"""Shared API pieces: error shapes in Chinese, bearer/session auth, scoping helpers, the audit endpoint."""

import datetime as dt
from typing import Annotated, Any, TypeVar

from annotated_types import Interval
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.pagination import paginate as ninja_paginate
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import BeforeValidator, field_validator

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.models import AuditEvent

M = TypeVar("M", bound=models.Model)

NOT_FOUND = gettext_lazy("Not found.")
FORBIDDEN = gettext_lazy("You do not have permission to do this.")
UNAUTHENTICATED = gettext_lazy("Not logged in, or the token is invalid or expired.")
CSRF_FAILED = gettext_lazy("The form has expired (CSRF check failed). Reload the page and try again.")
CONFLICT = gettext_lazy("This conflicts with data saved at the same time. Reload and try again.")

# Pydantic error types -> Chinese messages (the msgids are English; the zh_Hans catalog translates them).
PYDANTIC_MESSAGES: dict[str, Any] = {
    "missing": gettext_lazy("This field is required."),
    "string_too_long": gettext_lazy("At most %(max_length)s characters."),
    "string_too_short": gettext_lazy("At least %(min_length)s characters."),
    "string_type": gettext_lazy("Enter text."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "decimal_parsing": gettext_lazy("Enter a number."),
    "decimal_type": gettext_lazy("Enter a number."),
    "decimal_max_places": gettext_lazy("At most %(decimal_places)s decimal places."),
    "decimal_max_digits": gettext_lazy("The number is too large."),
    "float_parsing": gettext_lazy("Enter a number."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "bool_type": gettext_lazy("Enter true or false."),
    "date_from_datetime_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_type": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "datetime_parsing": gettext_lazy("Enter a time in ISO 8601 form."),
    "datetime_from_date_parsing": gettext_lazy("Enter a time in ISO 8601 form."),
    "greater_than_equal": gettext_lazy("Must be at least %(ge)s."),
    "greater_than": gettext_lazy("Must be greater than %(gt)s."),
    "less_than_equal": gettext_lazy("Must be at most %(le)s."),
    "less_than": gettext_lazy("Must be less than %(lt)s."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "literal_error": gettext_lazy("Choose one of: %(expected)s."),
    "list_type": gettext_lazy("Enter a list."),
    "dict_type": gettext_lazy("Enter an object."),
    "model_attributes_type": gettext_lazy("Enter an object."),
    "json_invalid": gettext_lazy("The request body is not valid JSON."),
    "extra_forbidden": gettext_lazy("This field is not allowed."),
    "value_error": gettext_lazy("The value is not valid."),
}
FALLBACK_MESSAGE = gettext_lazy("The value is not valid.")
UNPARSABLE_BODY = "Cannot parse request body"  # ninja's message (not translated) when the body is not JSON


def chinese_error(error: dict[str, Any]) -> dict[str, Any]:
    template = PYDANTIC_MESSAGES.get(error.get("type", ""), FALLBACK_MESSAGE)
    context = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, str | int | float)}
    try:
        message = str(template) % context if context else str(template)
    except (KeyError, TypeError, ValueError):
        message = str(FALLBACK_MESSAGE)
    if error.get("type") == "value_error" and isinstance((error.get("ctx") or {}).get("error"), ValueError):
        message = str(error["ctx"]["error"])
    loc = [part for part in error.get("loc", []) if part not in ("payload",)]
    return {"loc": loc, "msg": message, "type": error.get("type", "")}


class LocalTimeEncoder(NinjaJSONEncoder):
    """Times go out in the site's time zone, as the contract says: 2026-09-01T08:00:00+08:00."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime) and timezone.is_aware(o):
            o = timezone.localtime(o)
        return super().default(o)


class LocalTimeRenderer(JSONRenderer):
    encoder_class = LocalTimeEncoder


def install_error_handlers(api: Any) -> None:
    """One error shape for every endpoint: {"detail": "..."} or, for bad input, {"detail": [{"loc", "msg"}]}."""

    @api.exception_handler(NinjaValidationError)
    def on_schema_error(request: HttpRequest, exc: NinjaValidationError):
        return api.create_response(request, {"detail": [chinese_error(e) for e in exc.errors]}, status=422)

    @api.exception_handler(ValidationError)
    def on_rule_broken(request: HttpRequest, exc: ValidationError):
        if hasattr(exc, "error_dict"):
            fields = {k: v for k, v in exc.message_dict.items() if k != NON_FIELD_ERRORS}
            if not fields:
                return api.create_response(
                    request, {"detail": "；".join(exc.message_dict[NON_FIELD_ERRORS])}, status=409
                )
            detail = [
                {"loc": ["body", field], "msg": msg, "type": "rule"} for field, msgs in fields.items() for msg in msgs
            ]
            return api.create_response(request, {"detail": detail}, status=422)
        return api.create_response(request, {"detail": "；".join(exc.messages)}, status=409)

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request: HttpRequest, exc: PermissionDenied):
        return api.create_response(request, {"detail": str(exc) or str(FORBIDDEN)}, status=403)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404):
        return api.create_response(request, {"detail": str(NOT_FOUND)}, status=404)

    @api.exception_handler(ObjectDoesNotExist)
    def on_missing(request: HttpRequest, exc: ObjectDoesNotExist):
        return api.create_response(request, {"detail": str(NOT_FOUND)}, status=404)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError):
        return api.create_response(request, {"detail": str(UNAUTHENTICATED)}, status=401)

    @api.exception_handler(IntegrityError)
    def on_conflict(request: HttpRequest, exc: IntegrityError):
        # Services validate constraints first; this is the race where two requests pass that check together.
        return api.create_response(request, {"detail": str(CONFLICT)}, status=409)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError):
        if exc.status_code == 400 and str(exc.message).startswith(UNPARSABLE_BODY):
            # ninja's answer to a body that is not JSON: one validation shape for every bad input.
            error = {"loc": ["body"], "msg": str(PYDANTIC_MESSAGES["json_invalid"]), "type": "json_invalid"}
            return api.create_response(request, {"detail": [error]}, status=422)
        return api.create_response(request, {"detail": str(exc.message)}, status=exc.status_code)


def _permitted(user: Any, perm: str | None) -> Any:
    if perm is not None and not user.has_perm(perm):
        raise PermissionDenied(str(FORBIDDEN))
    return user


class BearerAuth(HttpBearer):
    """Authorization: Bearer <token> from POST /api/auth/token."""

    def __init__(self, perm: str | None = None) -> None:
        super().__init__()
        self.perm = perm

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from houqin.accounts.services import api_token_authenticate

        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        return _permitted(user, self.perm)


class SessionAuth(APIKeyCookie):
    """The browser's session cookie, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def __init__(self, perm: str | None = None) -> None:
        super().__init__(csrf=True)
        self.perm = perm

    def _get_key(self, request: HttpRequest) -> str | None:
        if not _session_user(request):
            return None  # not logged in: 401, not a CSRF verdict on a request that carries no session
        try:
            return super()._get_key(request)
        except HttpError:
            raise PermissionDenied(str(CSRF_FAILED)) from None

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = _session_user(request)
        return _permitted(user, self.perm) if user else None


def _session_user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated and user.is_active else None


def needs(perm: str | None) -> list[Any]:
    """The auth of an operation that needs `perm`: checked before the input is parsed, so a user without the
    permission gets 403 whatever they send, and the input's validity is only told to those who may use it."""
    return [BearerAuth(perm), SessionAuth(perm)]


API_AUTH = needs(None)


def in_scope(queryset: models.QuerySet[M], request: HttpRequest, pk: Any) -> M:
    """The row with this id among those the user may see; 404 otherwise (never reveal other schools' rows)."""
    return get_object_or_404(queryset.visible_to(request.user), pk=pk)  # type: ignore[attr-defined]


def require(request: HttpRequest, perm: str) -> None:
    """A further permission inside an endpoint; the operation's own permission goes in `auth=needs(perm)`."""
    if not request.user.has_perm(perm):
        raise PermissionDenied(str(FORBIDDEN))


def school_for_write(request: HttpRequest, school_id: int | None) -> Any:
    """The school a write goes to: the user's own, or for bureau staff the `school_id` given (in their district)."""
    from houqin.orgs.models import School

    user = request.user
    if user.school_id is not None:  # type: ignore[union-attr]
        if school_id not in (None, user.school_id):  # type: ignore[union-attr]
            raise Http404
        return user.school  # type: ignore[union-attr]
    if school_id is None:
        raise ValidationError({"school_id": _("Bureau users must say which school (school_id).")})
    return get_object_or_404(School.objects.visible_to(user), pk=school_id)


def _reject_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(_("Enter a whole number."))
    return value


MAX_BIGINT = 2**63 - 1
# Integer inputs: the bounds come before the bool check, or pydantic cannot put them in the OpenAPI schema (it would
# write "ge"/"le" instead of minimum/maximum). Bounds in Field(...) on an `X | None` would be applied to null as well.
NotBool = BeforeValidator(_reject_bool)
Int = Annotated[int, Interval(ge=-MAX_BIGINT - 1, le=MAX_BIGINT), NotBool]
Id = Annotated[int, Interval(ge=1, le=MAX_BIGINT), NotBool]
OptionalId = Annotated[Id | None, Field(None)]

BAD_TEXT = gettext_lazy("The text contains characters that cannot be stored.")


class Input(Schema):
    """Base of every input schema: text with NUL bytes or lone surrogates is refused with 422, not a database 500."""

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        if isinstance(value, str) and ("\x00" in value or not _encodes(value)):
            raise ValueError(str(BAD_TEXT))
        return value


def _encodes(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


class Pagination(LimitOffsetPagination):
    """?limit=50&offset=0 with limit 1..500 and an offset the database can take."""

    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_BIGINT)


paginate = ninja_paginate(Pagination)


class ErrorOut(Schema):
    detail: Any


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


#
# /api/audit
#

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    occurred_at: dt.datetime
    actor_name: str
    school_id: int | None
    action: str
    target_type: str
    target_id: str
    target_repr: str
    changes: dict
    message: str
    request_id: str


class AuditFilter(Input):
    target_type: str | None = Field(None, max_length=100)
    target_id: str | None = Field(None, max_length=64)
    action: str | None = Field(None, max_length=100)


@router.get(
    "", auth=needs("core.view_auditevent"), response={200: list[AuditEventOut], **ERRORS}, summary="Audit events"
)
@paginate
def audit_list(request: HttpRequest, filters: Query[AuditFilter]):
    events = AuditEvent.objects.visible_to(request.auth)  # type: ignore[attr-defined]
    for field in ("target_type", "target_id", "action"):
        value = getattr(filters, field)
        if value:
            events = events.filter(**{field: value})
    return events
