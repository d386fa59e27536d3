"""/api/auth/token and /api/me."""

import datetime as dt

from ninja import Field, Router, Schema, Status

from django.http import HttpRequest
from django.utils.translation import gettext as _

from houqin.accounts import services
from houqin.core.api import ERRORS, ErrorOut, Input

router = Router(tags=["auth"])


class TokenIn(Input):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=200)
    name: str = Field("", max_length=100, description="What the token is for, e.g. 'DingTalk bot'")


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Exchange a username and password for a bearer token",
)
def token_create(request: HttpRequest, payload: TokenIn):
    try:
        user = services.login_check(username=payload.username, password=payload.password, channel="api")
    except services.LoginLocked as exc:
        return Status(429, {"detail": exc.message})
    except services.LoginFailed:
        return Status(401, {"detail": _(services.INVALID_CREDENTIALS)})
    token, raw = services.api_token_create(user=user, name=payload.name or "API")
    return Status(200, {"token": raw, "expires_at": token.expires_at})


class NamedRef(Schema):
    id: int
    name: str


class MeOut(Schema):
    id: int
    username: str
    name: str
    roles: list[str]
    role_codes: list[str]
    school: NamedRef | None
    district: NamedRef | None
    permissions: list[str]


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The user behind this token or session")
def me(request: HttpRequest):
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.display_name,
        "roles": user.role_labels,
        "role_codes": sorted(user.role_codes),
        "school": {"id": user.school.pk, "name": user.school.name} if user.school else None,
        "district": {"id": user.district.pk, "name": user.district.name} if user.district else None,
        "permissions": sorted(user.get_all_permissions()),
    }
