import datetime as dt

from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.accounts import services
from houqin.accounts.models import ApiToken
from houqin.accounts.roles import Role
from houqin.core.api import CSRF_FAILED, UNAUTHENTICATED
from houqin.core.testing import PASSWORD, HouqinTestCase


class TokenApiTests(HouqinTestCase):
    def request_token(self, username="logistics", password=PASSWORD, **extra):
        return Client().post(
            "/api/auth/token", {"username": username, "password": password, **extra}, content_type="application/json"
        )

    def test_the_right_password_gives_a_token_and_its_expiry(self):
        response = self.request_token(name="钉钉机器人")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(set(body), {"token", "expires_at"})
        token = ApiToken.objects.get(user=self.logistics)
        self.assertEqual(token.name, "钉钉机器人")
        expires_at = dt.datetime.fromisoformat(body["expires_at"])
        self.assertAlmostEqual(expires_at, token.expires_at, delta=dt.timedelta(milliseconds=1))

    def test_the_expiry_is_given_in_china_time(self):
        self.assertTrue(self.request_token().json()["expires_at"].endswith("+08:00"))

    def test_a_wrong_password_is_401_with_the_credentials_message(self):
        response = self.request_token(password="wrong-password")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json(), {"detail": _(services.INVALID_CREDENTIALS)})

    def test_an_unknown_user_gets_the_same_answer(self):
        response = self.request_token(username="nobody")
        self.assertEqual((response.status_code, response.json()), (401, {"detail": _(services.INVALID_CREDENTIALS)}))

    def test_the_fifth_failure_in_a_row_is_429_with_a_detail(self):
        statuses = [self.request_token(password="wrong-password").status_code for _ in range(5)]
        self.assertEqual(statuses, [401, 401, 401, 401, 429])
        response = self.request_token()
        self.assertEqual(response.status_code, 429)
        self.assertIsInstance(response.json()["detail"], str)
        self.assertTrue(response.json()["detail"])

    def test_a_missing_password_is_a_field_error(self):
        response = Client().post("/api/auth/token", {"username": "logistics"}, content_type="application/json")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "password"])


class BearerAuthTests(HouqinTestCase):
    def setUp(self):
        self.token, self.raw = services.api_token_create(user=self.logistics)

    def me(self, authorization=None):
        headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
        return Client().get("/api/me", **headers)

    def test_a_bearer_token_authenticates(self):
        response = self.me(f"Bearer {self.raw}")
        self.assertEqual((response.status_code, response.json()["username"]), (200, "logistics"))

    def test_a_revoked_token_is_401(self):
        services.api_token_revoke(actor=self.logistics, token=self.token)
        response = self.me(f"Bearer {self.raw}")
        self.assertEqual((response.status_code, response.json()), (401, {"detail": str(UNAUTHENTICATED)}))

    def test_an_expired_token_is_401(self):
        ApiToken.objects.filter(pk=self.token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        self.assertEqual(self.me(f"Bearer {self.raw}").status_code, 401)

    def test_a_made_up_token_is_401(self):
        self.assertEqual(self.me("Bearer made-up").status_code, 401)

    def test_no_authentication_is_401(self):
        self.assertEqual(self.me().status_code, 401)

    def create_department(self, client, **headers):
        return client.post("/api/orgs/departments", {"name": "督导室"}, content_type="application/json", **headers)

    def test_a_post_without_authentication_is_401_not_a_csrf_refusal(self):
        self.assertEqual(self.create_department(Client(enforce_csrf_checks=True)).status_code, 401)

    def test_a_bearer_post_needs_no_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        self.assertEqual(self.create_department(client, HTTP_AUTHORIZATION=f"Bearer {self.raw}").status_code, 201)

    def test_a_session_post_without_the_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.logistics, backend="houqin.accounts.backends.RoleBackend")
        response = self.create_department(client)
        self.assertEqual((response.status_code, response.json()), (403, {"detail": str(CSRF_FAILED)}))

    def test_the_token_of_a_user_without_the_permission_is_403(self):
        _token, raw = services.api_token_create(user=self.teacher)
        self.assertEqual(self.create_department(Client(), HTTP_AUTHORIZATION=f"Bearer {raw}").status_code, 403)


class MeApiTests(HouqinTestCase):
    CONTRACT_KEYS = {"id", "username", "name", "roles", "school", "district"}

    def test_a_school_user_sees_their_roles_as_labels_and_their_school(self):
        body = self.api(self.logistics).get("/api/me").json()
        self.assertLessEqual(self.CONTRACT_KEYS, set(body))
        self.assertEqual(
            {key: body[key] for key in self.CONTRACT_KEYS},
            {
                "id": self.logistics.pk,
                "username": "logistics",
                "name": "李后勤",
                "roles": [str(Role.LOGISTICS_HEAD.label)],
                "school": {"id": self.school_a.pk, "name": "实验小学"},
                "district": {"id": self.district.pk, "name": "示例区教育局"},
            },
        )

    def test_a_bureau_user_has_no_school(self):
        body = self.api(self.bureau).get("/api/me").json()
        self.assertIsNone(body["school"])
        self.assertEqual(body["district"], {"id": self.district.pk, "name": "示例区教育局"})
        self.assertEqual(body["roles"], [str(Role.BUREAU_STAFF.label)])

    def test_it_lists_the_role_codes_and_permissions_for_front_ends(self):
        body = self.api(self.guard).get("/api/me").json()
        self.assertEqual(body["role_codes"], [Role.GUARD])
        self.assertIn("orgs.view_person", body["permissions"])
        self.assertNotIn("orgs.add_person", body["permissions"])
