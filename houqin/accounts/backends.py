"""Authentication backend whose permissions come from the user's roles (accounts/roles.py), with no queries."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from houqin.accounts.roles import permissions_for


class RoleBackend(ModelBackend):
    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any):
        """Every password check (the admin site's login too) goes through the lockout of login_check."""
        from houqin.accounts.services import LoginFailed, LoginLocked, login_check

        if username is None or password is None:
            return None
        try:
            return login_check(username=username, password=password, channel="admin")
        except (LoginFailed, LoginLocked):
            return None

    def get_user(self, user_id: Any) -> Any:
        """The request's user with school, district and roles in two queries (every page shows them)."""
        from houqin.accounts.models import User

        user = User.objects.with_roles().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return set(super().get_all_permissions(user_obj))
        return set(permissions_for(user_obj.role_codes))

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return self.get_all_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return user_obj.is_active and perm in self.get_all_permissions(user_obj, obj)
