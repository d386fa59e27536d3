"""The shared cast for tests: one district with two schools, a bureau user, and named staff per role.

School A (实验小学) is "ours"; school B (中南路小学) must stay invisible to A's staff.
"""

from __future__ import annotations

from typing import Any

from django.test import TestCase

from houqin.accounts.models import User, UserRole
from houqin.accounts.roles import Role
from houqin.core.models import AuditEvent
from houqin.orgs.models import Department, District, School

PASSWORD = "Houqin-test-1"

# username -> (name, role) for school A; school B gets the same with suffix "_b".
SCHOOL_STAFF: dict[str, tuple[str, str]] = {
    "admin": ("王管理", Role.SCHOOL_ADMIN),
    "principal": ("刘校长", Role.PRINCIPAL),
    "logistics": ("李后勤", Role.LOGISTICS_HEAD),
    "accountant": ("陈会计", Role.ACCOUNTANT),
    "assetkeeper": ("赵校产", Role.ASSET_KEEPER),
    "safety": ("孙安全", Role.SAFETY_OFFICER),
    "canteen": ("周食堂", Role.CANTEEN_MANAGER),
    "doctor": ("吴校医", Role.DOCTOR),
    "guard": ("郑门卫", Role.GUARD),
    "headteacher": ("冯班主任", Role.HEAD_TEACHER),
    "teacher": ("何老师", Role.STAFF),
}


def make_user(
    username: str,
    *,
    role: str | None,
    school: School | None = None,
    district: District | None = None,
    name: str = "",
    **extra: Any,
) -> User:
    district = school.district if school is not None else district
    user = User.objects.create_user(username, PASSWORD, school=school, district=district, name=name, **extra)
    if role:
        UserRole.objects.create(user=user, role=role)
    return user


def build_cast(target: Any) -> None:
    """Set the cast as attributes of `target` (a TestCase class or a plain namespace)."""
    target.district = District.objects.create(name="示例区教育局")
    target.other_district = District.objects.create(name="邻区教育局")
    target.school_a = School.objects.create(district=target.district, name="实验小学")
    target.school_b = School.objects.create(district=target.district, name="中南路小学")
    target.school_far = School.objects.create(district=target.other_district, name="邻区小学")
    target.department_a = Department.objects.create(school=target.school_a, name="总务处")
    target.department_b = Department.objects.create(school=target.school_b, name="总务处")
    target.bureau = make_user("bureau", role=Role.BUREAU_STAFF, district=target.district, name="教育局科员")
    target.bureau_admin = make_user(
        "bureauadmin", role=Role.BUREAU_ADMIN, district=target.district, name="教育局管理员"
    )
    target.users = {}
    for username, (name, role) in SCHOOL_STAFF.items():
        user = make_user(username, role=role, school=target.school_a, name=name)
        setattr(target, username, user)
        target.users[username] = user
        other = make_user(f"{username}_b", role=role, school=target.school_b, name=f"{name}B")
        setattr(target, f"{username}_b", other)


class HouqinTestCase(TestCase):
    """TestCase with the cast built once per class, and audit assertions."""

    @classmethod
    def setUpTestData(cls) -> None:
        build_cast(cls)

    def assertAudited(self, target: Any, action: str, *, actor: User) -> AuditEvent:
        event = AuditEvent.objects.filter(
            action=action, target_type=target._meta.label_lower, target_id=str(target.pk)
        ).first()
        self.assertIsNotNone(event, f"no audit event {action} for {target!r}")
        assert event is not None
        self.assertEqual(event.actor_id, actor.pk)
        return event

    def api(self, user: User | None = None) -> Any:
        """A test client logged in (by session) as `user`, sending JSON."""
        from django.test import Client

        client = Client()
        if user is not None:
            client.force_login(user, backend="houqin.accounts.backends.RoleBackend")
        return client
