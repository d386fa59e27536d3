import datetime as dt

from django.urls import reverse

from houqin.core.models import PolicyValue
from houqin.core.testing import HouqinTestCase

URL = reverse("orgs:policy_list")
KEY = "canteen.sample_min_grams"


class PolicyPageTests(HouqinTestCase):
    def value_shown(self, response, key=KEY):
        return next(e for e in response.context["rows"] if e.policy.key == key)

    def set_value(self, value, school=None):
        data = {"key": KEY, "value": value, "effective_from": "2026-09-01", "source": "区教育局通知"}
        if school is not None:
            data["school"] = school.pk
        return self.api(self.bureau_admin).post(URL, data)

    def test_anonymous_is_sent_to_login(self):
        self.assertEqual(self.client.get(URL).status_code, 302)

    def test_a_teacher_may_not_see_the_settings(self):
        self.assertEqual(self.api(self.teacher).get(URL).status_code, 403)

    def test_the_principal_sees_the_national_default_and_no_form(self):
        response = self.api(self.principal).get(URL)
        shown = self.value_shown(response)
        self.assertEqual((shown.value, shown.level), (125, "national"))
        self.assertIsNone(response.context["form"])

    def test_a_district_value_applies_to_every_school(self):
        response = self.set_value("150")
        self.assertEqual(response.status_code, 302)
        shown = self.value_shown(self.api(self.principal).get(URL))
        self.assertEqual((shown.value, shown.level), (150, "district"))

    def test_a_school_override_applies_to_that_school_only(self):
        self.set_value("150")
        self.set_value("200", school=self.school_b)
        self.assertEqual(self.value_shown(self.api(self.principal).get(URL)).value, 150)
        shown = self.value_shown(self.api(self.principal_b).get(URL))
        self.assertEqual((shown.value, shown.level), (200, "school"))

    def test_a_value_below_the_national_floor_is_refused_beside_the_field(self):
        response = self.set_value("100")
        self.assertEqual(response.status_code, 200)
        self.assertIn("value", response.context["form"].errors)
        self.assertFalse(PolicyValue.objects.exists())

    def test_the_setting_is_audited_with_its_source(self):
        self.set_value("150")
        row = PolicyValue.objects.get()
        self.assertEqual(row.effective_from, dt.date(2026, 9, 1))
        self.assertAudited(row, "core.policy.set", actor=self.bureau_admin)


class SemesterPageTests(HouqinTestCase):
    def test_the_bureau_administrator_sets_a_semester_for_the_district(self):
        client = self.api(self.bureau_admin)
        self.assertContains(client.get(reverse("orgs:semester_list")), reverse("orgs:semester_create"))
        response = client.post(
            reverse("orgs:semester_create"),
            {"name": "2026-2027学年第一学期", "starts_on": "2026-09-01", "ends_on": "2027-01-20"},
        )
        self.assertRedirects(response, reverse("orgs:semester_list"))
        names = [s.name for s in self.api(self.principal).get(reverse("orgs:semester_list")).context["object_list"]]
        self.assertEqual(names, ["2026-2027学年第一学期"])

    def test_a_semester_that_ends_before_it_starts_is_refused(self):
        response = self.api(self.bureau_admin).post(
            reverse("orgs:semester_create"), {"name": "错误学期", "starts_on": "2027-01-20", "ends_on": "2026-09-01"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)

    def test_school_staff_cannot_set_semesters(self):
        self.assertEqual(self.api(self.admin).get(reverse("orgs:semester_create")).status_code, 403)


class DateInputTests(HouqinTestCase):
    def test_date_fields_render_iso_values_in_chinese(self):
        from houqin.orgs.forms import SemesterForm
        from houqin.orgs.models import Semester

        semester = Semester(district=self.district, name="x", starts_on="2026-09-01", ends_on="2027-01-20")
        html = str(SemesterForm(instance=semester, user=self.bureau_admin)["starts_on"])
        self.assertIn('value="2026-09-01"', html)
        self.assertIn('type="date"', html)
