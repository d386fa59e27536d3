"""C13 governance: a food-safety satisfaction survey per semester (warned from week 16) and the parents' dining
committee (≥ 7 members, ≥ 1 per grade, each with a conflict-of-interest declaration); and the purchase of a banned
item (C10)."""

import datetime as dt
import json
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from houqin.canteen import selectors, services
from houqin.canteen.models import CommitteeMember, Delivery, SatisfactionSurvey
from houqin.canteen.tests.factories import person, supplier
from houqin.canteen.today import items_for
from houqin.core.testing import HouqinTestCase
from houqin.orgs.models import SchoolClass, Semester


class GovernanceTestCase(HouqinTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()
        # today is in week 17 of the semester
        cls.semester = Semester.objects.create(
            district=cls.district, name="2026秋", starts_on=today - dt.timedelta(days=16 * 7), ends_on=today + dt.timedelta(days=30)
        )  # fmt: skip
        cls.far_semester = Semester.objects.create(
            district=cls.other_district, name="邻区2026秋", starts_on=cls.semester.starts_on, ends_on=cls.semester.ends_on
        )  # fmt: skip
        cls.classes = [
            SchoolClass.objects.create(school=cls.school_a, name=f"{grade}年级1班", grade=grade, number=1)
            for grade in range(1, 7)
        ]
        cls.class_b = SchoolClass.objects.create(school=cls.school_b, name="一年级1班", grade=1, number=1)

    def add_member(self, name, school_class, **values):
        return services.committee_member_add(
            actor=self.canteen, school=self.school_a, semester=self.semester, name=name, school_class=school_class,
            declared_on=values.pop("declared_on", timezone.localdate()), **values,
        )  # fmt: skip

    def full_committee(self):
        for index, school_class in enumerate(self.classes + self.classes[:1]):
            self.add_member(f"家长{index + 1}", school_class)

    def survey(self, **values):
        values = {"held_on": timezone.localdate(), "respondents": 200, "satisfied": 188, **values}
        return services.survey_record(actor=self.canteen, school=self.school_a, semester=self.semester, **values)


class GovernanceServiceTests(GovernanceTestCase):
    def test_a_committee_needs_seven_members_and_every_grade(self):
        for index, school_class in enumerate(self.classes[:5]):
            self.add_member(f"家长{index}", school_class)
        status = selectors.committee_status(self.school_a, self.semester)
        self.assertTrue(status.too_few)
        self.assertEqual(status.missing_grades, [6])
        self.assertFalse(status.complete)
        self.add_member("家长甲", self.classes[5])
        self.add_member("家长乙", self.classes[0])
        status = selectors.committee_status(self.school_a, self.semester)
        self.assertEqual((len(status.members), status.missing_grades, status.complete), (7, [], True))

    def test_every_member_signs_a_declaration_and_is_added_once(self):
        with self.assertRaises(ValidationError) as caught:
            self.add_member("王家长", self.classes[0], declared_on=None)
        self.assertIn("declared_on", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            self.add_member("王家长", self.classes[0], declared_on=timezone.localdate() + dt.timedelta(days=2))
        member = self.add_member("王家长", self.classes[0], interests="配偶在供应商处任职", phone="13912345678")
        self.assertAudited(member, "canteen.committeemember.created", actor=self.canteen)
        self.assertEqual(member.phone_masked, "139****5678")
        with self.assertRaises(ValidationError) as caught:
            self.add_member("王家长", self.classes[0])
        self.assertIn("name", caught.exception.message_dict)

    def test_a_member_comes_from_the_school_and_the_semester_from_its_district(self):
        with self.assertRaises(ValidationError):
            self.add_member("外校家长", self.class_b)
        with self.assertRaises(ValidationError) as caught:
            services.committee_member_add(
                actor=self.canteen, school=self.school_a, semester=self.far_semester, name="家长",
                school_class=self.classes[0], declared_on=timezone.localdate(),
            )  # fmt: skip
        self.assertIn("semester_id", caught.exception.message_dict)

    def test_only_the_canteen_manager_keeps_the_committee(self):
        with self.assertRaises(PermissionDenied):
            services.committee_member_add(
                actor=self.teacher, school=self.school_a, semester=self.semester, name="家长",
                school_class=self.classes[0], declared_on=timezone.localdate(),
            )  # fmt: skip
        member = self.add_member("王家长", self.classes[0])
        with self.assertRaises(PermissionDenied):
            services.committee_member_remove(actor=self.principal, member=member)
        services.committee_member_remove(actor=self.canteen, member=member)
        self.assertFalse(CommitteeMember.objects.exists())

    def test_a_survey_is_held_in_the_semester_with_no_more_satisfied_than_respondents(self):
        with self.assertRaises(ValidationError) as caught:
            self.survey(held_on=self.semester.starts_on - dt.timedelta(days=1))
        self.assertIn("held_on", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            self.survey(satisfied=201)
        self.assertIn("satisfied", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            self.survey(respondents=0, satisfied=0)
        self.assertIn("respondents", caught.exception.message_dict)
        survey = self.survey()
        self.assertEqual(survey.rate, 94.0)
        self.assertAudited(survey, "canteen.satisfactionsurvey.created", actor=self.canteen)

    def test_no_survey_by_week_16_is_warned(self):
        today = timezone.localdate()
        week_15 = self.semester.starts_on + dt.timedelta(days=14 * 7 + 6)
        self.assertIsNone(selectors.survey_overdue(self.school_a, week_15))
        warning = selectors.survey_overdue(self.school_a, today)
        self.assertEqual((warning["semester"], warning["week"]), (self.semester, 17))
        self.assertIn(reverse("canteen:governance"), [item.url for item in items_for(self.canteen)])
        self.survey()
        self.assertIsNone(selectors.survey_overdue(self.school_a, today))
        self.assertIsNotNone(selectors.survey_overdue(self.school_b, today))

    def test_a_banned_item_cannot_be_bought(self):
        firm, inspector = supplier(self.school_a), person(self.school_a, "李验收")
        for name in ("野生蘑菇", "鲜黄花菜"):
            with self.subTest(name=name), self.assertRaises(ValidationError) as caught:
                services.delivery_record(
                    actor=self.canteen, school=self.school_a, supplier=firm, purchased_on=timezone.localdate(),
                    inspector=inspector, lines=[
                        {"name": "大米", "quantity": Decimal(1), "unit": "袋", "kind": "prepackaged"},
                        {"name": name, "quantity": Decimal(1), "unit": "kg", "kind": "farm"},
                    ],
                )  # fmt: skip
            self.assertIn("lines.1.name", caught.exception.message_dict)
        self.assertFalse(Delivery.objects.exists())


class GovernancePageTests(GovernanceTestCase):
    def client_for(self, user):
        client = Client()
        client.force_login(user, backend="houqin.accounts.backends.RoleBackend")
        return client

    def test_the_page_shows_the_roster_status_and_the_survey_warning(self):
        client = self.client_for(self.canteen)
        page = client.get(reverse("canteen:governance"))
        self.assertContains(page, 'data-testid="committee-incomplete"')
        self.assertContains(page, 'data-testid="survey-overdue"')
        self.assertContains(client.get(reverse("canteen:dashboard")), 'data-testid="governance-alerts"')
        self.full_committee()
        self.survey()
        page = client.get(reverse("canteen:governance") + f"?semester={self.semester.pk}")
        self.assertContains(page, 'data-testid="committee-complete"')
        self.assertNotContains(page, 'data-testid="survey-overdue"')
        self.assertContains(page, "94.0%")
        self.assertNotContains(client.get(reverse("canteen:dashboard")), 'data-testid="governance-alerts"')

    def test_adding_a_member_and_a_survey_from_the_forms(self):
        client = self.client_for(self.canteen)
        url = reverse("canteen:committee_member_create") + f"?semester={self.semester.pk}"
        form = client.get(url)
        self.assertEqual(form.context["form"].initial["semester"], self.semester)
        data = {"semester": self.semester.pk, "name": "王家长", "school_class": self.classes[2].pk,
                "declared_on": "", "interests": "", "phone": ""}  # fmt: skip
        refused = client.post(url, data)
        self.assertIn("declared_on", refused.context["form"].errors)
        data["declared_on"] = f"{timezone.localdate():%Y-%m-%d}"
        self.assertRedirects(client.post(url, data), reverse("canteen:governance") + f"?semester={self.semester.pk}")
        survey = {"semester": self.semester.pk, "held_on": f"{timezone.localdate():%Y-%m-%d}", "respondents": 50,
                  "satisfied": 60, "summary": ""}  # fmt: skip
        refused = client.post(reverse("canteen:survey_create"), survey)
        self.assertIn("satisfied", refused.context["form"].errors)
        survey["satisfied"] = 45
        self.assertEqual(client.post(reverse("canteen:survey_create"), survey).status_code, 302)
        self.assertEqual(SatisfactionSurvey.objects.get().rate, 90.0)

    def test_403_without_the_role_and_404_across_schools(self):
        teacher = self.client_for(self.teacher)
        for name in ("governance", "survey_create", "committee_member_create"):
            with self.subTest(name=name):
                self.assertEqual(teacher.get(reverse(f"canteen:{name}")).status_code, 403)
        self.assertEqual(self.client_for(self.principal).get(reverse("canteen:governance")).status_code, 200)
        self.assertEqual(self.client_for(self.principal).get(reverse("canteen:survey_create")).status_code, 403)
        theirs = services.committee_member_add(
            actor=self.canteen_b, school=self.school_b, semester=self.semester, name="外校家长",
            school_class=self.class_b, declared_on=timezone.localdate(),
        )  # fmt: skip
        response = self.client_for(self.canteen).post(reverse("canteen:committee_member_remove", args=[theirs.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(self.client_for(self.canteen).get(reverse("canteen:governance")), "外校家长")


class GovernanceApiTests(GovernanceTestCase):
    def post(self, user, path, body):
        return self.api(user).post(path, json.dumps(body), content_type="application/json")

    def test_members_and_surveys_through_the_api(self):
        body = {"semester_id": self.semester.pk, "name": "王家长", "school_class_id": self.classes[0].pk,
                "declared_on": f"{timezone.localdate():%Y-%m-%d}", "phone": "13912345678"}  # fmt: skip
        created = self.post(self.canteen, "/api/canteen/committee-members", body)
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual((created.json()["phone"], created.json()["grade"]), ("139****5678", 1))
        other_class = self.post(
            self.canteen, "/api/canteen/committee-members", {**body, "school_class_id": self.class_b.pk}
        )
        self.assertEqual(other_class.status_code, 404)
        far = self.post(self.canteen, "/api/canteen/committee-members", {**body, "semester_id": self.far_semester.pk})
        self.assertEqual(far.status_code, 404)
        status = self.api(self.principal).get(f"/api/canteen/committee-status/{self.semester.pk}").json()
        self.assertEqual((status["members"], status["complete"], status["missing_grades"]), (1, False, [2, 3, 4, 5, 6]))
        survey = {"semester_id": self.semester.pk, "held_on": f"{timezone.localdate():%Y-%m-%d}", "respondents": 10,
                  "satisfied": 11}  # fmt: skip
        refused = self.post(self.canteen, "/api/canteen/surveys", survey)
        self.assertEqual(refused.status_code, 422)
        self.assertEqual(refused.json()["detail"][0]["loc"], ["body", "satisfied"])
        self.assertEqual(self.post(self.canteen, "/api/canteen/surveys", {**survey, "satisfied": 9}).status_code, 201)
        self.assertEqual(self.api(self.canteen).get("/api/canteen/surveys").json()["items"][0]["rate"], 90.0)
        self.assertEqual(self.api(self.canteen_b).get("/api/canteen/committee-members").json()["count"], 0)
        member_id = created.json()["id"]
        self.assertEqual(
            self.api(self.canteen_b).delete(f"/api/canteen/committee-members/{member_id}").status_code, 404
        )
        self.assertEqual(self.api(self.canteen).delete(f"/api/canteen/committee-members/{member_id}").status_code, 204)
