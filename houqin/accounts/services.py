"""Accounts: creating users and roles, logging in with lockout, API tokens."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.accounts.models import ApiToken, User, UserRole, hash_token
from houqin.accounts.roles import BUREAU_ROLES, SCHOOL_ROLES, Role
from houqin.core import audit
from houqin.core.crud import lock, require_perm, require_same_school

INVALID_CREDENTIALS = gettext_noop("Incorrect username or password.")
ACCOUNT_LOCKED = gettext_noop("Too many failed attempts: the account is locked until %(until)s. Try again later.")
ROLE_NOT_FOR_SCHOOL = gettext_noop("The role %(role)s is for bureau staff only.")
ROLE_NOT_FOR_BUREAU = gettext_noop("The role %(role)s is for school staff only.")
CANNOT_GRANT_ROLE = gettext_noop("You cannot grant the role %(role)s.")
CANNOT_DISABLE_SELF = gettext_noop("You cannot disable your own account.")
NO_SCHOOL_OR_DISTRICT = gettext_noop("A user must belong to a school or a district.")

# What user_update may change; roles have their own argument, passwords their own service.
USER_EDITABLE_FIELDS = frozenset({"name", "person", "is_active"})


class LoginLocked(Exception):
    def __init__(self, until: dt.datetime):
        super().__init__(until)
        self.until = until

    @property
    def message(self) -> str:
        local = timezone.localtime(self.until)
        return _(ACCOUNT_LOCKED) % {"until": local.strftime("%H:%M")}


class LoginFailed(Exception):
    message = INVALID_CREDENTIALS


#
# Login with lockout
#


def login_check(*, username: str, password: str, channel: str = "web") -> User:
    """Check credentials; count failures in a row and lock the account after the configured number (G7).

    Raises LoginFailed or LoginLocked. The failure count is committed before raising: an exception inside the
    transaction would roll the count back and the lock would never happen.
    """
    outcome = _login_attempt(username=username, password=password, channel=channel)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


@transaction.atomic
def _login_attempt(*, username: str, password: str, channel: str) -> User | LoginFailed | LoginLocked:
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        User().set_password(password)  # same work as a real check, so timing does not reveal usernames
        return LoginFailed()
    if user.is_locked:
        return LoginLocked(user.locked_until)
    if not user.check_password(password):
        return _count_failure(user, channel)
    if not user.is_active:
        return LoginFailed()
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login = timezone.now()
    user.save(update_fields=["failed_login_count", "locked_until", "last_login"])
    audit.record(actor=user, action="accounts.user.logged_in", target=user, message=channel)
    return user


def _count_failure(user: User, channel: str) -> LoginFailed | LoginLocked:
    user.failed_login_count += 1
    if user.failed_login_count < settings.HOUQIN_LOGIN_MAX_FAILURES:
        user.save(update_fields=["failed_login_count"])
        return LoginFailed()
    user.failed_login_count = 0
    user.locked_until = timezone.now() + dt.timedelta(minutes=settings.HOUQIN_LOGIN_LOCK_MINUTES)
    user.save(update_fields=["failed_login_count", "locked_until"])
    audit.record(actor=user, action="accounts.user.locked", target=user, message=channel)
    return LoginLocked(user.locked_until)


#
# Users and roles
#


def _require_scope(actor: User, *, school: Any, district: Any) -> None:
    """User administrators manage their own school; bureau administrators their district and its schools."""
    if actor.is_superuser and actor.district_id is None:
        return
    if school is not None:
        allowed = school.pk == actor.school_id or (actor.school_id is None and school.district_id == actor.district_id)
    else:
        allowed = actor.school_id is None and district is not None and district.pk == actor.district_id
    if not allowed:
        raise PermissionDenied


def _require_manages(actor: User, user: User) -> None:
    if not User.objects.visible_to(actor).filter(pk=user.pk).exists():
        raise PermissionDenied


def _check_roles(actor: User, roles: Iterable[str], *, for_school: bool) -> list[str]:
    roles = list(dict.fromkeys(roles))
    for role in roles:
        if role not in Role.values:
            raise ValidationError({"roles": _("Unknown role: %(role)s") % {"role": role}})
        label = Role(role).label
        if for_school and role in BUREAU_ROLES:
            raise ValidationError({"roles": _(ROLE_NOT_FOR_SCHOOL) % {"role": label}})
        if not for_school and role in SCHOOL_ROLES:
            raise ValidationError({"roles": _(ROLE_NOT_FOR_BUREAU) % {"role": label}})
        if role == Role.BUREAU_ADMIN and not (actor.is_superuser or Role.BUREAU_ADMIN in actor.role_codes):
            raise ValidationError({"roles": _(CANNOT_GRANT_ROLE) % {"role": label}})
    return roles


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    name: str = "",
    school: Any = None,
    district: Any = None,
    roles: Iterable[str] = (),
    person: Any = None,
) -> User:
    """Create a login for a school's staff member (or a bureau user when no school is given)."""
    require_perm(actor, "accounts.add_user")
    if school is not None:
        district = school.district
    if district is None:
        raise ValidationError({"school": _(NO_SCHOOL_OR_DISTRICT)})
    _require_scope(actor, school=school, district=district)
    if school is not None:
        require_same_school(school, person=person)
    roles = _check_roles(actor, roles, for_school=school is not None)
    user = User(username=username.strip(), name=name.strip(), school=school, district=district, person=person)
    user.full_clean(exclude=["password"])
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles])
    audit.record(
        actor=actor,
        action="accounts.user.created",
        target=user,
        school=school,
        changes={"username": [None, user.username], "roles": [None, roles]},
    )
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, roles: Iterable[str] | None = None, **values: Any) -> User:
    """Change a user's name, person link, active flag or roles."""
    unknown = set(values) - USER_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"user_update cannot change {sorted(unknown)}")
    require_perm(actor, "accounts.change_user")
    _require_manages(actor, user)
    user = lock(User, user.pk)
    if values.get("is_active") is False and user.pk == actor.pk:
        raise ValidationError({"is_active": _(CANNOT_DISABLE_SELF)})
    if user.school is not None:
        require_same_school(user.school, person=values.get("person"))
    changes = audit.diff(user, values)
    if roles is not None:
        new_roles = _check_roles(actor, roles, for_school=user.school_id is not None)
        old_roles = sorted(user.role_assignments.values_list("role", flat=True))
        if sorted(new_roles) != old_roles:
            user.role_assignments.all().delete()
            UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in new_roles])
            changes["roles"] = [old_roles, sorted(new_roles)]
            user.__dict__.pop("role_codes", None)
    if changes:
        user.full_clean(exclude=["password"])
        user.save()
        audit.record(actor=actor, action="accounts.user.updated", target=user, school=user.school, changes=changes)
    return user


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> User:
    """Set a new password (one's own, or another's by a user administrator); it must meet the rules."""
    if actor.pk != user.pk:
        require_perm(actor, "accounts.change_user")
        _require_manages(actor, user)
    user = lock(User, user.pk)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.locked_until = None
    user.failed_login_count = 0
    user.save()
    audit.record(actor=actor, action="accounts.user.password_changed", target=user, school=user.school)
    return user


#
# API tokens
#


@transaction.atomic
def api_token_create(*, user: User, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """Issue a bearer token; the raw value is returned once and only its hash is kept."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_hash=hash_token(raw),
        prefix=raw[:8],
        expires_at=timezone.now() + dt.timedelta(days=days or settings.HOUQIN_API_TOKEN_DAYS),
    )
    audit.record(
        actor=user,
        action="accounts.api_token.created",
        target=token,
        school=user.school,
        changes={"expires_at": [None, token.expires_at]},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once (its owner, or a user administrator of the same school)."""
    if token.user_id != actor.pk:
        require_perm(actor, "accounts.change_user")
        _require_manages(actor, token.user)
    token = lock(ApiToken, token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="accounts.api_token.revoked", target=token, school=token.user.school)
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a live token, or None. Updates last_used_at at most once a minute."""
    token = (
        ApiToken.objects.live()
        .select_related("user", "user__school", "user__district")
        .filter(key_hash=hash_token(raw))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
