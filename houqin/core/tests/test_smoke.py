from houqin.core.testing import HouqinTestCase


class HealthzTests(HouqinTestCase):
    def test_it_answers_ok_without_login(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "database": "ok"})
