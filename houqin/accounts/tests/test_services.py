import datetime as dt
from unittest import mock

from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from houqin.accounts import services
from houqin.accounts.backends import RoleBackend
from houqin.accounts.models import ApiToken, User, hash_token
from houqin.accounts.roles import ROLE_PERMISSIONS, Role, permissions_for
from houqin.accounts.validators import CharacterClassesValidator
from houqin.core.models import AuditEvent
from houqin.core.testing import PASSWORD, HouqinTestCase, make_user
from houqin.orgs.models import Person

NEW_PASSWORD = "Xuexiao-2026"


class LoginCheckTests(HouqinTestCase):
    def fail(self, username="teacher", times=1):
        for _ in range(times):
            with self.assertRaises((services.LoginFailed, services.LoginLocked)):
                services.login_check(username=username, password="wrong-password")

    def test_the_right_password_returns_the_user(self):
        self.assertEqual(services.login_check(username="teacher", password=PASSWORD), self.teacher)

    def test_a_successful_login_is_audited(self):
        services.login_check(username="teacher", password=PASSWORD, channel="api")
        event = AuditEvent.objects.get(action="accounts.user.logged_in")
        self.assertEqual((event.actor, event.message), (self.teacher, "api"))

    def test_a_wrong_password_fails_and_is_counted(self):
        self.fail()
        self.teacher.refresh_from_db()
        self.assertEqual(self.teacher.failed_login_count, 1)

    def test_success_resets_the_failures(self):
        self.fail(times=3)
        services.login_check(username="teacher", password=PASSWORD)
        self.teacher.refresh_from_db()
        self.assertEqual(self.teacher.failed_login_count, 0)

    def test_five_failures_in_a_row_lock_the_account(self):
        self.fail(times=4)
        with self.assertRaises(services.LoginLocked):
            services.login_check(username="teacher", password="wrong-password")
        self.teacher.refresh_from_db()
        self.assertTrue(self.teacher.is_locked)
        self.assertTrue(AuditEvent.objects.filter(action="accounts.user.locked", target_id=self.teacher.pk).exists())

    def test_four_failures_do_not_lock(self):
        self.fail(times=4)
        self.teacher.refresh_from_db()
        self.assertFalse(self.teacher.is_locked)

    @override_settings(HOUQIN_LOGIN_MAX_FAILURES=2)
    def test_the_number_of_failures_comes_from_the_setting(self):
        self.fail(times=1)
        with self.assertRaises(services.LoginLocked):
            services.login_check(username="teacher", password="wrong-password")

    def test_a_locked_account_refuses_even_the_right_password(self):
        self.fail(times=5)
        with self.assertRaises(services.LoginLocked) as caught:
            services.login_check(username="teacher", password=PASSWORD)
        self.teacher.refresh_from_db()
        self.assertEqual(caught.exception.until, self.teacher.locked_until)

    def test_the_lock_message_says_until_when(self):
        self.fail(times=5)
        self.teacher.refresh_from_db()
        message = services.LoginLocked(self.teacher.locked_until).message
        self.assertIn(timezone.localtime(self.teacher.locked_until).strftime("%H:%M"), message)

    def test_after_the_lock_expires_the_right_password_works_again(self):
        User.objects.filter(pk=self.teacher.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
        self.assertEqual(services.login_check(username="teacher", password=PASSWORD), self.teacher)
        self.teacher.refresh_from_db()
        self.assertIsNone(self.teacher.locked_until)

    def test_an_unknown_user_fails_like_a_wrong_password(self):
        with self.assertRaises(services.LoginFailed):
            services.login_check(username="nobody", password=PASSWORD)

    def test_a_disabled_user_cannot_log_in(self):
        User.objects.filter(pk=self.teacher.pk).update(is_active=False)
        with self.assertRaises(services.LoginFailed):
            services.login_check(username="teacher", password=PASSWORD)

    def test_one_users_failures_do_not_lock_another(self):
        self.fail(username="guard", times=5)
        self.assertEqual(services.login_check(username="teacher", password=PASSWORD), self.teacher)


class AuthenticateBackendTests(HouqinTestCase):
    """django.contrib.auth.authenticate (the admin site's login) obeys the same lockout."""

    def test_it_accepts_the_right_password(self):
        self.assertEqual(authenticate(username="teacher", password=PASSWORD), self.teacher)

    def test_it_refuses_a_locked_account(self):
        User.objects.filter(pk=self.teacher.pk).update(locked_until=timezone.now() + dt.timedelta(minutes=5))
        self.assertIsNone(authenticate(username="teacher", password=PASSWORD))

    def test_its_failures_count_towards_the_lock(self):
        for _ in range(5):
            self.assertIsNone(authenticate(username="teacher", password="wrong-password"))
        self.teacher.refresh_from_db()
        self.assertTrue(self.teacher.is_locked)


class PasswordRuleTests(HouqinTestCase):
    def test_a_short_password_is_refused(self):
        with self.assertRaises(ValidationError):
            password_validation.validate_password("Ab1!xyz")

    def test_a_password_with_two_character_classes_is_refused(self):
        for weak in ("abcdefgh", "abcdefg1", "ABCDEFGh"):
            with self.subTest(weak=weak), self.assertRaises(ValidationError) as caught:
                password_validation.validate_password(weak)
            self.assertIn("password_too_simple", [e.code for e in caught.exception.error_list])

    def test_three_character_classes_satisfy_the_class_rule(self):
        for strong in ("Abcdefg1", "abcdefg1!", "ABCDEFG1!"):
            with self.subTest(strong=strong):
                CharacterClassesValidator(min_classes=3).validate(strong)

    def test_a_long_mixed_password_passes_every_rule(self):
        password_validation.validate_password("Houqin-2026")


class UserCreateTests(HouqinTestCase):
    def create(self, actor=None, **kwargs):
        values = {"username": "newcook", "password": NEW_PASSWORD, "name": "新厨师", "school": self.school_a}
        return services.user_create(actor=actor or self.admin, **{**values, **kwargs})

    def test_a_school_admin_creates_a_user_of_their_school_with_roles(self):
        user = self.create(roles=[Role.CANTEEN_MANAGER])
        self.assertEqual((user.school, user.district), (self.school_a, self.district))
        self.assertEqual(user.role_codes, {Role.CANTEEN_MANAGER})
        self.assertTrue(user.check_password(NEW_PASSWORD))

    def test_creating_a_user_is_audited_with_the_roles(self):
        user = self.create(roles=[Role.CANTEEN_MANAGER])
        event = self.assertAudited(user, "accounts.user.created", actor=self.admin)
        self.assertEqual(event.changes["roles"], [None, [Role.CANTEEN_MANAGER]])
        self.assertEqual(event.school, self.school_a)

    def test_the_password_is_never_written_to_the_audit_trail(self):
        self.create()
        self.assertNotIn(NEW_PASSWORD, str(AuditEvent.objects.get(action="accounts.user.created").changes))

    def test_a_weak_password_is_refused(self):
        with self.assertRaises(ValidationError):
            self.create(password="abcdefgh")
        self.assertFalse(User.objects.filter(username="newcook").exists())

    def test_a_taken_username_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.create(username="teacher")
        self.assertIn("username", caught.exception.message_dict)

    def test_a_bureau_role_is_refused_for_a_school_user(self):
        with self.assertRaises(ValidationError) as caught:
            self.create(roles=[Role.BUREAU_STAFF])
        self.assertIn("roles", caught.exception.message_dict)

    def test_a_school_role_is_refused_for_a_bureau_user(self):
        with self.assertRaises(ValidationError):
            self.create(actor=self.bureau_admin, school=None, district=self.district, roles=[Role.PRINCIPAL])

    def test_an_unknown_role_is_refused(self):
        with self.assertRaises(ValidationError):
            self.create(roles=["janitor"])

    def test_a_bureau_admin_creates_bureau_staff(self):
        user = self.create(actor=self.bureau_admin, school=None, district=self.district, roles=[Role.BUREAU_STAFF])
        self.assertEqual((user.school, user.district), (None, self.district))
        self.assertTrue(user.is_bureau)

    def test_a_bureau_admin_grants_the_bureau_admin_role(self):
        user = self.create(actor=self.bureau_admin, school=None, district=self.district, roles=[Role.BUREAU_ADMIN])
        self.assertEqual(user.role_codes, {Role.BUREAU_ADMIN})

    def test_a_user_manager_without_the_bureau_admin_role_cannot_grant_it(self):
        clerk = make_user("clerk", role=Role.BUREAU_STAFF, district=self.district)
        with mock.patch("houqin.accounts.services.require_perm"), self.assertRaises(ValidationError) as caught:
            self.create(actor=clerk, school=None, district=self.district, roles=[Role.BUREAU_ADMIN])
        self.assertIn("roles", caught.exception.message_dict)

    def test_a_school_admin_cannot_create_a_bureau_user(self):
        with self.assertRaises(PermissionDenied):
            self.create(school=None, district=self.district, roles=[Role.BUREAU_STAFF])

    def test_a_school_admin_cannot_create_a_user_in_another_school(self):
        with self.assertRaises(PermissionDenied):
            self.create(school=self.school_b)

    def test_a_bureau_admin_cannot_create_a_user_in_another_district(self):
        with self.assertRaises(PermissionDenied):
            self.create(actor=self.bureau_admin, school=self.school_far)

    def test_a_user_without_the_permission_cannot_create_users(self):
        with self.assertRaises(PermissionDenied):
            self.create(actor=self.principal)

    def test_the_linked_person_must_be_of_the_same_school(self):
        other = Person.objects.create(school=self.school_b, name="外校人")
        with self.assertRaises(ValidationError) as caught:
            self.create(person=other)
        self.assertIn("person", caught.exception.message_dict)

    def test_a_user_needs_a_school_or_a_district(self):
        with self.assertRaises(ValidationError):
            self.create(actor=self.bureau_admin, school=None, district=None)


class UserUpdateTests(HouqinTestCase):
    def test_roles_are_replaced_and_audited(self):
        services.user_update(actor=self.admin, user=self.teacher, roles=[Role.STAFF, Role.HEAD_TEACHER])
        self.teacher.refresh_from_db()
        self.assertEqual(self.teacher.role_codes, {Role.STAFF, Role.HEAD_TEACHER})
        event = self.assertAudited(self.teacher, "accounts.user.updated", actor=self.admin)
        self.assertEqual(event.changes["roles"], [[Role.STAFF], sorted([Role.HEAD_TEACHER, Role.STAFF])])

    def test_the_name_change_is_audited_with_old_and_new(self):
        services.user_update(actor=self.admin, user=self.teacher, name="何老师二")
        event = self.assertAudited(self.teacher, "accounts.user.updated", actor=self.admin)
        self.assertEqual(event.changes, {"name": ["何老师", "何老师二"]})

    def test_nothing_changed_writes_no_audit_event(self):
        services.user_update(actor=self.admin, user=self.teacher, name="何老师", roles=[Role.STAFF])
        self.assertFalse(AuditEvent.objects.filter(action="accounts.user.updated").exists())

    def test_an_admin_can_disable_another_user(self):
        services.user_update(actor=self.admin, user=self.teacher, is_active=False)
        self.teacher.refresh_from_db()
        self.assertFalse(self.teacher.is_active)

    def test_nobody_can_disable_their_own_account(self):
        with self.assertRaises(ValidationError) as caught:
            services.user_update(actor=self.admin, user=self.admin, is_active=False)
        self.assertIn("is_active", caught.exception.message_dict)

    def test_a_bureau_role_cannot_be_given_to_a_school_user(self):
        with self.assertRaises(ValidationError):
            services.user_update(actor=self.bureau_admin, user=self.teacher, roles=[Role.BUREAU_ADMIN])

    def test_the_person_must_be_of_the_users_school(self):
        other = Person.objects.create(school=self.school_b, name="外校人")
        with self.assertRaises(ValidationError) as caught:
            services.user_update(actor=self.admin, user=self.teacher, person=other)
        self.assertIn("person", caught.exception.message_dict)

    def test_a_school_admin_cannot_change_a_user_of_another_school(self):
        with self.assertRaises(PermissionDenied):
            services.user_update(actor=self.admin, user=self.teacher_b, name="改名")

    def test_only_name_person_and_active_may_be_changed_here(self):
        with self.assertRaises(TypeError):
            services.user_update(actor=self.admin, user=self.teacher, is_superuser=True)

    def test_a_user_without_the_permission_cannot_change_users(self):
        with self.assertRaises(PermissionDenied):
            services.user_update(actor=self.principal, user=self.teacher, name="改名")


class SetPasswordTests(HouqinTestCase):
    def test_a_user_sets_their_own_password_and_the_lock_is_lifted(self):
        User.objects.filter(pk=self.teacher.pk).update(locked_until=timezone.now() + dt.timedelta(minutes=5))
        services.user_set_password(actor=self.teacher, user=self.teacher, password=NEW_PASSWORD)
        self.assertEqual(services.login_check(username="teacher", password=NEW_PASSWORD), self.teacher)
        self.assertAudited(self.teacher, "accounts.user.password_changed", actor=self.teacher)

    def test_a_weak_password_is_refused(self):
        with self.assertRaises(ValidationError):
            services.user_set_password(actor=self.teacher, user=self.teacher, password="abcdefgh")

    def test_another_users_password_needs_the_permission(self):
        with self.assertRaises(PermissionDenied):
            services.user_set_password(actor=self.principal, user=self.teacher, password=NEW_PASSWORD)

    def test_an_admin_cannot_set_the_password_of_another_schools_user(self):
        with self.assertRaises(PermissionDenied):
            services.user_set_password(actor=self.admin, user=self.teacher_b, password=NEW_PASSWORD)


class ApiTokenTests(HouqinTestCase):
    def test_a_new_token_authenticates_its_user(self):
        _token, raw = services.api_token_create(user=self.logistics, name="钉钉机器人")
        self.assertEqual(services.api_token_authenticate(raw), self.logistics)

    def test_only_the_hash_of_the_token_is_stored(self):
        token, raw = services.api_token_create(user=self.logistics)
        token.refresh_from_db()
        self.assertEqual(token.key_hash, hash_token(raw))
        self.assertNotIn(raw, [token.key_hash, token.name, token.prefix])
        self.assertFalse(ApiToken.objects.filter(key_hash=raw).exists())

    def test_it_expires_after_the_configured_days(self):
        with self.settings(HOUQIN_API_TOKEN_DAYS=7):
            token, _raw = services.api_token_create(user=self.logistics)
        self.assertAlmostEqual(token.expires_at, timezone.now() + dt.timedelta(days=7), delta=dt.timedelta(minutes=1))

    def test_an_expired_token_is_refused(self):
        token, raw = services.api_token_create(user=self.logistics)
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        self.assertIsNone(services.api_token_authenticate(raw))

    def test_a_revoked_token_is_refused(self):
        token, raw = services.api_token_create(user=self.logistics)
        services.api_token_revoke(actor=self.logistics, token=token)
        self.assertIsNone(services.api_token_authenticate(raw))
        self.assertAudited(token, "accounts.api_token.revoked", actor=self.logistics)

    def test_an_unknown_token_is_refused(self):
        self.assertIsNone(services.api_token_authenticate("not-a-token"))

    def test_the_token_of_a_disabled_user_is_refused(self):
        _token, raw = services.api_token_create(user=self.logistics)
        User.objects.filter(pk=self.logistics.pk).update(is_active=False)
        self.assertIsNone(services.api_token_authenticate(raw))

    def test_creating_a_token_is_audited(self):
        token, _raw = services.api_token_create(user=self.logistics)
        self.assertAudited(token, "accounts.api_token.created", actor=self.logistics)

    def test_a_user_admin_of_the_school_may_revoke_someone_elses_token(self):
        token, _raw = services.api_token_create(user=self.logistics)
        self.assertIsNotNone(services.api_token_revoke(actor=self.admin, token=token).revoked_at)

    def test_another_user_without_the_permission_may_not_revoke_it(self):
        token, _raw = services.api_token_create(user=self.logistics)
        with self.assertRaises(PermissionDenied):
            services.api_token_revoke(actor=self.teacher, token=token)

    def test_a_user_admin_of_another_school_may_not_revoke_it(self):
        token, _raw = services.api_token_create(user=self.logistics)
        with self.assertRaises(PermissionDenied):
            services.api_token_revoke(actor=self.admin_b, token=token)


class RoleBackendTests(HouqinTestCase):
    def fresh(self, user):
        return User.objects.with_roles().get(pk=user.pk)

    def test_each_role_grants_exactly_its_permissions(self):
        for username, user in self.users.items():
            (role,) = user.role_codes
            with self.subTest(username=username):
                self.assertEqual(self.fresh(user).get_all_permissions(), set(ROLE_PERMISSIONS[role]))

    def test_the_logistics_head_manages_places_but_not_students(self):
        user = self.fresh(self.logistics)
        self.assertTrue(user.has_perm("orgs.add_place"))
        self.assertFalse(user.has_perm("orgs.add_student"))

    def test_a_guard_may_look_people_up_but_not_departments_or_students(self):
        guard = self.fresh(self.guard)
        self.assertTrue(guard.has_perm("orgs.view_person"))
        self.assertFalse(guard.has_perm("orgs.view_department"))
        self.assertFalse(guard.has_perm("orgs.view_student"))

    def test_several_roles_add_up(self):
        self.assertEqual(
            permissions_for({Role.DOCTOR, Role.GUARD}),
            ROLE_PERMISSIONS[Role.DOCTOR] | ROLE_PERMISSIONS[Role.GUARD],
        )

    def test_a_disabled_user_has_no_permissions(self):
        user = self.fresh(self.admin)
        user.is_active = False
        self.assertFalse(user.has_perm("orgs.add_place"))
        self.assertEqual(user.get_all_permissions(), set())

    def test_object_permissions_are_never_granted(self):
        self.assertFalse(RoleBackend().has_perm(self.fresh(self.admin), "orgs.add_place", obj=self.department_a))

    def test_has_perm_needs_no_queries_once_roles_are_loaded(self):
        user = self.fresh(self.logistics)
        with self.assertNumQueries(0):
            for _ in range(3):
                user.has_perm("orgs.add_place")
                user.has_perm("orgs.add_student")
                user.has_perms(["orgs.view_place", "core.view_auditevent"])

    def test_every_role_has_an_entry(self):
        self.assertEqual(set(ROLE_PERMISSIONS), set(Role.values))
