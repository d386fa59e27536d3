"""User administration pages: who may open them, scoping to the school or district, create/edit/reset through the
account services, and the System navigation."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.accounts.models import User
from houqin.accounts.roles import Role
from houqin.core.registry import menu_for
from houqin.core.testing import PASSWORD, HouqinTestCase, make_user
from houqin.orgs import services as org_services

NEW_PASSWORD = "Xin-mima-2025"


class UserAdminTestCase(HouqinTestCase):
    def pages(self, user):
        return [
            reverse("accounts:user_list"),
            reverse("accounts:user_create"),
            reverse("accounts:user_update", args=[user.pk]),
            reverse("accounts:user_password", args=[user.pk]),
        ]


class AccessTests(UserAdminTestCase):
    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        for url in self.pages(self.teacher):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("accounts:login")))

    def test_staff_without_the_user_permissions_get_403(self):
        client = self.api(self.principal)
        for url in self.pages(self.teacher):
            with self.subTest(url=url):
                self.assertEqual(client.get(url).status_code, 403)

    def test_another_schools_user_is_not_found(self):
        client = self.api(self.admin)
        for url in self.pages(self.teacher_b)[2:]:
            with self.subTest(url=url):
                self.assertEqual(client.get(url).status_code, 404)

    def test_the_list_shows_only_the_schools_users(self):
        response = self.api(self.admin).get(reverse("accounts:user_list"))
        schools = {u.school_id for u in response.context["object_list"]}
        self.assertEqual(schools, {self.school_a.pk})

    def test_bureau_administrators_see_the_users_of_their_district(self):
        response = self.api(self.bureau_admin).get(reverse("accounts:user_list"), {"school": self.school_b.pk})
        usernames = {u.username for u in response.context["object_list"]}
        self.assertIn("teacher_b", usernames)
        self.assertNotIn("teacher", usernames)

    def test_the_list_searches_usernames_and_names(self):
        response = self.api(self.admin).get(reverse("accounts:user_list"), {"q": "李后勤"})
        self.assertEqual([u.username for u in response.context["object_list"]], ["logistics"])

    def test_the_list_filters_by_role(self):
        response = self.api(self.admin).get(reverse("accounts:user_list"), {"role": Role.GUARD})
        self.assertEqual([u.username for u in response.context["object_list"]], ["guard"])

    def test_the_list_query_count_does_not_grow_with_users(self):
        client = self.api(self.admin)
        url = reverse("accounts:user_list")
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as before:
            client.get(url)
        for i in range(10):
            make_user(f"extra{i}", role=Role.STAFF, school=self.school_a)
        with self.assertNumQueries(len(before)):
            client.get(url)


class UserCreateTests(UserAdminTestCase):
    def post(self, actor, **overrides):
        data = {
            "username": "newcook",
            "name": "钱厨师",
            "password": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "roles": [Role.CANTEEN_MANAGER],
        }
        data.update(overrides)
        return self.api(actor).post(reverse("accounts:user_create"), data)

    def test_creating_a_user_saves_roles_in_the_school_and_audits(self):
        response = self.post(self.admin)
        self.assertRedirects(response, reverse("accounts:user_list"))
        user = User.objects.get(username="newcook")
        self.assertEqual((user.school, user.role_codes), (self.school_a, frozenset({Role.CANTEEN_MANAGER})))
        self.assertTrue(user.check_password(NEW_PASSWORD))
        self.assertAudited(user, "accounts.user.created", actor=self.admin)

    def test_school_administrators_are_offered_school_roles_only(self):
        form = self.api(self.admin).get(reverse("accounts:user_create")).context["form"]
        offered = {code for code, _label in form.fields["roles"].choices}
        self.assertNotIn(Role.BUREAU_ADMIN, offered)
        self.assertNotIn(Role.BUREAU_STAFF, offered)
        self.assertIn(Role.GUARD, offered)
        self.assertNotIn("school", form.fields)

    def test_a_bureau_role_posted_by_a_school_administrator_is_refused(self):
        response = self.post(self.admin, roles=[Role.BUREAU_STAFF])
        self.assertEqual(response.status_code, 200)
        self.assertIn("roles", response.context["form"].errors)
        self.assertFalse(User.objects.filter(username="newcook").exists())

    def test_a_weak_password_is_shown_beside_the_password_field(self):
        response = self.post(self.admin, password="abc", password2="abc")
        self.assertIn("password", response.context["form"].errors)
        self.assertFalse(User.objects.filter(username="newcook").exists())

    def test_passwords_that_differ_are_refused(self):
        response = self.post(self.admin, password2=NEW_PASSWORD + "x")
        self.assertIn("password2", response.context["form"].errors)

    def test_a_taken_username_is_refused(self):
        response = self.post(self.admin, username="teacher")
        self.assertEqual(response.status_code, 200)
        self.assertIn("username", response.context["form"].errors)

    def test_the_login_can_be_linked_to_a_staff_record_of_the_school(self):
        person = org_services.person_create(actor=self.admin, school=self.school_a, name="钱厨师")
        self.post(self.admin, person=person.pk)
        self.assertEqual(User.objects.get(username="newcook").person, person)

    def test_staff_records_of_another_school_are_not_offered(self):
        other = org_services.person_create(actor=self.admin_b, school=self.school_b, name="别校人")
        form = self.api(self.admin).get(reverse("accounts:user_create")).context["form"]
        self.assertNotIn(other, form.fields["person"].queryset)

    def test_bureau_administrators_create_users_for_a_school_of_their_district(self):
        response = self.post(self.bureau_admin, school=self.school_b.pk)
        self.assertRedirects(response, reverse("accounts:user_list"))
        self.assertEqual(User.objects.get(username="newcook").school, self.school_b)


class UserEditTests(UserAdminTestCase):
    def test_editing_roles_and_disabling_saves_and_audits(self):
        url = reverse("accounts:user_update", args=[self.teacher.pk])
        response = self.api(self.admin).post(url, {"name": "何老师", "roles": [Role.HEAD_TEACHER]})
        self.assertRedirects(response, reverse("accounts:user_list"))
        user = User.objects.get(pk=self.teacher.pk)
        self.assertEqual((user.role_codes, user.is_active), (frozenset({Role.HEAD_TEACHER}), False))
        event = self.assertAudited(user, "accounts.user.updated", actor=self.admin)
        self.assertEqual(event.changes["is_active"], [True, False])

    def test_the_form_starts_from_the_users_values(self):
        form = self.api(self.admin).get(reverse("accounts:user_update", args=[self.guard.pk])).context["form"]
        self.assertEqual(form.initial["roles"], [Role.GUARD])
        self.assertTrue(form.initial["is_active"])

    def test_administrators_cannot_disable_themselves(self):
        url = reverse("accounts:user_update", args=[self.admin.pk])
        response = self.api(self.admin).post(url, {"name": "王管理", "roles": [Role.SCHOOL_ADMIN]})
        self.assertEqual(response.status_code, 200)
        self.assertIn("is_active", response.context["form"].errors)
        self.assertTrue(User.objects.get(pk=self.admin.pk).is_active)

    def test_the_edit_page_shows_the_users_history(self):
        response = self.api(self.admin).get(reverse("accounts:user_update", args=[self.teacher.pk]))
        self.assertIn("history", response.context)


class PasswordResetTests(UserAdminTestCase):
    def test_a_reset_password_lets_the_user_log_in_and_is_audited(self):
        url = reverse("accounts:user_password", args=[self.teacher.pk])
        response = self.api(self.admin).post(url, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
        self.assertRedirects(response, reverse("accounts:user_list"))
        self.assertTrue(User.objects.get(pk=self.teacher.pk).check_password(NEW_PASSWORD))
        self.assertAudited(self.teacher, "accounts.user.password_changed", actor=self.admin)

    def test_a_weak_password_is_refused_beside_the_field(self):
        url = reverse("accounts:user_password", args=[self.teacher.pk])
        response = self.api(self.admin).post(url, {"password": "12345678", "password2": "12345678"})
        self.assertIn("password", response.context["form"].errors)
        self.assertTrue(User.objects.get(pk=self.teacher.pk).check_password(PASSWORD))


class SystemNavigationTests(UserAdminTestCase):
    def system_items(self, user):
        return [item["url"] for s in menu_for(user, "/") if s["key"] == "system" for item in s["items"]]

    def test_administrators_see_users_the_audit_log_and_the_rules(self):
        self.assertEqual(
            self.system_items(self.admin),
            [reverse("accounts:user_list"), reverse("core:audit_list"), reverse("orgs:policy_list")],
        )

    def test_principals_see_the_audit_log_and_the_rules(self):
        self.assertEqual(self.system_items(self.principal), [reverse("core:audit_list"), reverse("orgs:policy_list")])

    def test_staff_see_no_system_section(self):
        self.assertEqual(self.system_items(self.teacher), [])
