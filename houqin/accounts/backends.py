"""Authentication backend whose permissions come from the user's roles (accounts/roles.py), with no queries."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from houqin.accounts.roles import permissions_for


class RoleBackend(ModelBackend):
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
