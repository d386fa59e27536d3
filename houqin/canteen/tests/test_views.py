import datetime as dt

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from houqin.canteen import services
from houqin.canteen.models import Feedback, Sample
from houqin.canteen.tests.factories import leader_person, published_menu, sample
from houqin.core.testing import HouqinTestCase


class CanteenViewTests(HouqinTestCase):
    def client_for(self, user):
        client = Client()
        client.force_login(user, backend="houqin.accounts.backends.RoleBackend")
        return client

    def test_pages_open_for_the_canteen_manager(self):
        client = self.client_for(self.canteen)
        published_menu(self.canteen, self.school_a, timezone.localdate(), {"lunch": ["熘肉段"]})
        sample(self.canteen, dish="熘肉段", taken_at=timezone.now() - dt.timedelta(hours=49))
        for name in ("dashboard", "sample_list", "sample_create", "accompanied_list", "menu_list", "menu_create",
                     "feedback_list", "staff_health", "delivery_list", "disinfection_list", "ledger_list"):  # fmt: skip
            with self.subTest(name=name):
                self.assertEqual(client.get(reverse(f"canteen:{name}")).status_code, 200)
        self.assertEqual(client.get(reverse("canteen:sample_list") + "?export=xlsx").status_code, 200)

    def test_a_teacher_gets_403_and_another_schools_sample_404(self):
        self.assertEqual(self.client_for(self.teacher).get(reverse("canteen:dashboard")).status_code, 403)
        other = sample(self.canteen_b, taken_at=timezone.now() - dt.timedelta(hours=50))
        response = self.client_for(self.canteen).post(reverse("canteen:sample_discard", args=[other.pk]))
        self.assertEqual(response.status_code, 404)

    def test_recording_a_sample_from_the_form(self):
        client = self.client_for(self.canteen)
        data = {"meal_date": f"{timezone.localdate():%Y-%m-%d}", "meal": "lunch", "dish": "熘肉段", "fridge": "1号柜"}
        light = client.post(reverse("canteen:sample_create"), {**data, "weight_g": 100})
        self.assertContains(light, "125")
        self.assertFalse(Sample.objects.exists())
        saved = client.post(reverse("canteen:sample_create"), {**data, "weight_g": 130})
        self.assertRedirects(saved, reverse("canteen:dashboard"))

    def test_a_leader_records_accompanied_meal(self):
        client = self.client_for(self.principal)
        data = {"meal_date": f"{timezone.localdate():%Y-%m-%d}", "meal": "lunch",
                "leader": leader_person(self.principal).pk, "feedback": "口味清淡", "rectification": "none"}  # fmt: skip
        response = client.post(reverse("canteen:accompanied_create"), data)
        self.assertRedirects(response, reverse("canteen:accompanied_list"))

    def test_the_public_page_needs_no_login_and_takes_feedback(self):
        cache.clear()
        published_menu(self.canteen, self.school_a, timezone.localdate(), {"lunch": ["熘肉段"]})
        url = reverse("canteen:public_menu", args=[services.profile_for(self.school_a).public_token])
        page = Client().get(url)
        self.assertContains(page, "熘肉段")
        self.assertNotContains(page, "周食堂")
        self.assertEqual(Client().get(reverse("canteen:public_menu", args=["guess"])).status_code, 404)
        menu_id = page.context["menu"].pk
        Client().post(url, {"menu": menu_id, "text": "机器人", "website": "http://spam"})
        self.assertFalse(Feedback.objects.exists())
        for _ in range(services.FEEDBACK_PER_HOUR):
            self.assertEqual(Client().post(url, {"menu": menu_id, "text": "为什么在熘肉段里放胡萝卜"}).status_code, 302)
        refused = Client().post(url, {"menu": menu_id, "text": "第六条"})
        self.assertEqual(refused.status_code, 200)
        self.assertEqual(Feedback.objects.count(), services.FEEDBACK_PER_HOUR)

    def test_pre_shift_check_and_disinfection_forms(self):
        from houqin.canteen.models import Disinfection, PreShiftCheck
        from houqin.canteen.tests.factories import person

        client = self.client_for(self.canteen)
        cook = person(self.school_a)
        response = client.post(reverse("canteen:check_create"), {"person": cook.pk, "fever": "on"})
        self.assertRedirects(response, reverse("canteen:staff_health"))
        self.assertTrue(PreShiftCheck.objects.get().suspended)
        self.assertContains(client.get(reverse("canteen:dashboard")), cook.name)
        weak = {"method": "dishwasher", "temperature_c": 80, "duration_s": 40, "items": "餐盘", "operator": "王师傅"}
        self.assertEqual(client.post(reverse("canteen:disinfection_create"), weak).status_code, 200)
        self.assertFalse(Disinfection.objects.exists())
        response = client.post(reverse("canteen:disinfection_create"), {**weak, "temperature_c": 85})
        self.assertRedirects(response, reverse("canteen:disinfection_list"))
        self.assertEqual(self.client_for(self.doctor).get(reverse("canteen:staff_health")).status_code, 200)
        self.assertEqual(self.client_for(self.doctor).get(reverse("canteen:check_create")).status_code, 403)
