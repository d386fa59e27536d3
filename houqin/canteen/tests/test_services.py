import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from houqin.canteen import selectors, services
from houqin.canteen.choices import IncidentStatus, PurchaseKind
from houqin.canteen.models import Delivery, LedgerEntry, Sample
from houqin.canteen.tests.factories import leader_person, person, published_menu, sample, supplier
from houqin.core.models import PolicyValue
from houqin.core.testing import HouqinTestCase


class SampleTests(HouqinTestCase):
    def test_124_grams_is_refused_naming_weight_and_125_is_kept(self):
        with self.assertRaises(ValidationError) as refused:
            sample(self.canteen, weight_g=124)
        self.assertIn("weight_g", refused.exception.message_dict)
        self.assertIn("125", refused.exception.message_dict["weight_g"][0])
        self.assertFalse(Sample.objects.exists())
        kept = sample(self.canteen, weight_g=125)
        self.assertAudited(kept, "canteen.sample.created", actor=self.canteen)

    def test_a_district_minimum_of_200_grams_applies(self):
        PolicyValue.objects.create(
            district=self.district, key="canteen.sample_min_grams", value=200, effective_from=dt.date(2020, 1, 1)
        )
        with self.assertRaises(ValidationError):
            sample(self.canteen, weight_g=199)
        sample(self.canteen, weight_g=200)

    def test_discard_at_47_59_is_refused_and_at_48_00_recorded(self):
        taken = timezone.now() - dt.timedelta(hours=50)
        kept = sample(self.canteen, taken_at=taken)
        with self.assertRaises(ValidationError):
            services.sample_discard(actor=self.canteen, sample=kept, now=taken + dt.timedelta(hours=47, minutes=59))
        done = services.sample_discard(actor=self.canteen, sample=kept, now=taken + dt.timedelta(hours=48))
        self.assertEqual(done.discarded_by, self.canteen)
        self.assertAudited(done, "canteen.sample.discarded", actor=self.canteen)
        with self.assertRaises(ValidationError):
            services.sample_discard(actor=self.canteen, sample=kept)

    def test_an_open_incident_keeps_the_meals_samples(self):
        taken = timezone.now() - dt.timedelta(hours=72)
        kept = sample(self.canteen, taken_at=taken)
        incident = services.incident_open(
            actor=self.canteen,
            school=self.school_a,
            meal_date=kept.meal_date,
            meal="lunch",
            occurred_at=taken + dt.timedelta(hours=3),
            description="三名学生腹痛",
            samples_secured=True,
        )
        with self.assertRaises(ValidationError):
            services.sample_discard(actor=self.canteen, sample=kept)
        with self.assertRaises(ValidationError):  # C15: not closed before it is reported
            services.incident_update(actor=self.canteen, incident=incident, status=IncidentStatus.CLOSED)
        services.incident_update(
            actor=self.canteen, incident=incident, status=IncidentStatus.CLOSED, reported_at=timezone.now()
        )
        services.sample_discard(actor=self.canteen, sample=kept)

    def test_the_dashboard_flags_a_meal_whose_samples_miss_a_dish(self):
        today = timezone.localdate()
        published_menu(self.canteen, self.school_a, today, {"lunch": ["熘肉段", "清炒菠菜"], "breakfast": ["豆浆"]})
        sample(self.canteen, dish="熘肉段")
        sample(self.canteen, dish="豆浆", meal="breakfast")
        meals = {m.meal: m for m in selectors.meal_statuses(self.school_a, today)}
        self.assertTrue(meals["breakfast"].samples_complete)
        self.assertFalse(meals["lunch"].samples_complete)
        self.assertEqual(meals["lunch"].missing_samples, ["清炒菠菜"])

    def test_samples_past_48_hours_are_listed_to_discard(self):
        sample(self.canteen, taken_at=timezone.now() - dt.timedelta(hours=49))
        sample(self.canteen, dish="米饭")
        self.assertEqual(selectors.samples_to_discard(self.school_a).count(), 1)

    def test_a_fridge_outside_0_to_8_degrees_is_an_alert(self):
        cold = services.fridge_reading_record(
            actor=self.canteen, school=self.school_a, fridge="留样柜1", celsius=Decimal("4")
        )
        warm = services.fridge_reading_record(
            actor=self.canteen, school=self.school_a, fridge="留样柜1", celsius=Decimal("8.5")
        )
        self.assertFalse(cold.out_of_range)
        self.assertTrue(warm.out_of_range)

    def test_a_teacher_cannot_record_samples(self):
        with self.assertRaises(PermissionDenied):
            sample(self.teacher)


class AccompaniedMealTests(HouqinTestCase):
    def test_a_principal_records_and_a_cook_is_refused(self):
        leader = leader_person(self.principal)
        record = services.accompanied_meal_record(
            actor=self.principal, school=self.school_a, meal_date=timezone.localdate(), meal="lunch",
            leader=leader, feedback="米饭偏硬", rectification="open",
        )  # fmt: skip
        self.assertEqual(record.leader, leader)
        with self.assertRaises(ValidationError) as refused:
            services.accompanied_meal_record(
                actor=self.canteen, school=self.school_a, meal_date=timezone.localdate(), meal="lunch",
                leader=person(self.school_a), feedback="好",
            )  # fmt: skip
        self.assertIn("leader_id", refused.exception.message_dict)

    def test_a_leader_named_in_the_settings_may_record(self):
        vice = person(self.school_a, "副校长")
        services.profile_for(self.school_a).leaders.add(vice)
        services.accompanied_meal_record(
            actor=self.principal, school=self.school_a, meal_date=timezone.localdate(), meal="lunch",
            leader=vice, feedback="好",
        )  # fmt: skip

    def test_a_served_meal_without_a_leader_is_flagged_after_the_day(self):
        today = timezone.localdate()
        yesterday = today - dt.timedelta(days=1)
        published_menu(self.canteen, self.school_a, yesterday, {"lunch": ["米饭"], "dinner": ["面条"]})
        services.accompanied_meal_record(
            actor=self.principal, school=self.school_a, meal_date=yesterday, meal="lunch",
            leader=leader_person(self.principal), feedback="好",
        )  # fmt: skip
        missing = selectors.meals_without_leader(self.school_a, today)
        self.assertEqual([(m.day, m.meal) for m in missing], [(yesterday, "dinner")])


class MenuTests(HouqinTestCase):
    def test_banned_dishes_are_refused(self):
        menu = services.menu_create(
            actor=self.canteen, school=self.school_a, title="第3周", week_start=timezone.localdate()
        )
        for name in ("凉拌四季豆", "冷荤拼盘", "裱花蛋糕"):
            with self.subTest(name=name), self.assertRaises(ValidationError) as refused:
                services.menu_add_dish(actor=self.canteen, menu=menu, day=menu.week_start, meal="lunch", name=name)
            self.assertIn("name", refused.exception.message_dict)
        services.menu_add_dish(actor=self.canteen, menu=menu, day=menu.week_start, meal="lunch", name="熘肉段")

    def test_publishing_sets_the_time_and_feedback_is_rate_limited(self):
        from django.core.cache import cache

        cache.clear()
        menu = published_menu(self.canteen, self.school_a, timezone.localdate(), {"lunch": ["熘肉段"]})
        self.assertIsNotNone(menu.published_at)
        for _ in range(services.FEEDBACK_PER_HOUR):
            services.feedback_submit(menu=menu, text="为什么在熘肉段里放胡萝卜", ip="10.0.0.1")
        with self.assertRaises(ValidationError):
            services.feedback_submit(menu=menu, text="再问一次", ip="10.0.0.1")
        services.feedback_submit(menu=menu, text="另一位家长", ip="10.0.0.2")
        feedback = menu.feedback.first()
        replied = services.feedback_reply(actor=self.canteen, feedback=feedback, reply="胡萝卜补充维生素A")
        self.assertEqual(replied.status, "replied")


class StaffHealthTests(HouqinTestCase):
    def test_certificates_last_a_year_and_warn_30_days_ahead(self):
        cook = person(self.school_a)
        today = timezone.localdate()
        cert = services.certificate_record(
            actor=self.canteen,
            school=self.school_a,
            person=cook,
            number="JK001",
            issued_on=today - dt.timedelta(days=340),
        )
        self.assertEqual(cert.expires_on, services.add_months(cert.issued_on, 12))
        self.assertEqual(list(selectors.expiring_certificates(self.school_a, today)), [cert])
        self.assertEqual(list(selectors.expiring_certificates(self.school_a, today - dt.timedelta(days=30))), [])

    def test_no_food_contact_shift_without_a_certificate_or_after_a_failed_check(self):
        cook, today = person(self.school_a), timezone.localdate()
        with self.assertRaises(ValidationError):
            services.shift_assign(actor=self.canteen, school=self.school_a, person=cook, day=today, post="切配")
        services.certificate_record(
            actor=self.canteen, school=self.school_a, person=cook, number="JK2", issued_on=today
        )
        services.preshift_check_record(actor=self.canteen, school=self.school_a, person=cook, day=today, diarrhoea=True)
        with self.assertRaises(ValidationError):
            services.shift_assign(actor=self.canteen, school=self.school_a, person=cook, day=today, post="切配")
        self.assertEqual([c.person for c in selectors.suspended_today(self.school_a, today)], [cook])
        # Not on food contact: allowed.
        services.shift_assign(
            actor=self.canteen, school=self.school_a, person=cook, day=today, post="仓库", food_contact=False
        )
        tomorrow = today + dt.timedelta(days=1)
        services.shift_assign(actor=self.canteen, school=self.school_a, person=cook, day=tomorrow, post="切配")

    def test_an_expired_certificate_blocks_the_shift(self):
        cook, today = person(self.school_a), timezone.localdate()
        services.certificate_record(
            actor=self.canteen,
            school=self.school_a,
            person=cook,
            number="JK3",
            issued_on=today - dt.timedelta(days=366),
        )
        with self.assertRaises(ValidationError):
            services.shift_assign(actor=self.canteen, school=self.school_a, person=cook, day=today, post="切配")


class DeliveryTests(HouqinTestCase):
    def setUp(self):
        self.first, self.second = person(self.school_a, "周食堂"), person(self.school_a, "李后勤")

    def line(self, **values):
        return {"name": "大米", "quantity": Decimal("50"), "unit": "kg", "kind": PurchaseKind.PREPACKAGED, **values}

    def record(self, purchased_on, lines, second=None, shop=None):
        return services.delivery_record(
            actor=self.canteen, school=self.school_a, supplier=shop or supplier(self.school_a),
            purchased_on=purchased_on, inspector=self.first, second_inspector=second, lines=lines,
        )  # fmt: skip

    def test_the_licence_must_be_valid_on_the_purchase_date(self):
        day = dt.date(2026, 9, 10)
        self.record(day, [self.line()], shop=supplier(self.school_a, expires_on=day))
        with self.assertRaises(ValidationError) as refused:
            self.record(day, [self.line()], shop=supplier(self.school_a, expires_on=day - dt.timedelta(days=1)))
        self.assertIn("supplier_id", refused.exception.message_dict)

    def test_nitrite_is_refused(self):
        with self.assertRaises(ValidationError):
            self.record(dt.date(2026, 9, 10), [self.line(name="亚硝酸钠")])
        self.assertFalse(Delivery.objects.exists())

    def test_bulk_needs_two_different_inspectors(self):
        bulk = [self.line(name="散装面粉", kind=PurchaseKind.BULK)]
        for second in (None, self.first):
            with self.assertRaises(ValidationError):
                self.record(dt.date(2026, 9, 10), bulk, second=second)
        self.record(dt.date(2026, 9, 10), bulk, second=self.second)

    def test_earliest_deletion_dates_of_the_three_kinds(self):
        day = dt.date(2026, 9, 10)
        shelf = self.record(day, [self.line(production_date=dt.date(2026, 9, 1), shelf_life_days=180)])
        self.assertEqual(shelf.keep_until, dt.date(2027, 8, 28))  # 2027-02-28 + 6 months
        no_shelf = self.record(day, [self.line()])
        self.assertEqual(no_shelf.keep_until, dt.date(2028, 9, 10))
        farm = self.record(day, [self.line(name="青菜", kind=PurchaseKind.FARM)])
        self.assertEqual(farm.keep_until, dt.date(2027, 3, 10))
        with self.assertRaises(ValidationError):
            services.delivery_delete(actor=self.canteen, delivery=farm, today=dt.date(2027, 3, 9))
        services.delivery_delete(actor=self.canteen, delivery=farm, today=dt.date(2027, 3, 10))
        self.assertFalse(Delivery.objects.filter(pk=farm.pk).exists())


class DisinfectionTests(HouqinTestCase):
    def record(self, method, duration_s, **values):
        return services.disinfection_record(
            actor=self.canteen, school=self.school_a, method=method, duration_s=duration_s,
            items="餐盘", operator="王师傅", **values,
        )  # fmt: skip

    def test_thresholds_at_the_boundary(self):
        cases = [
            ("steam", 600, {"temperature_c": 100}, {"temperature_c": 99}, 599),
            ("boiling", 600, {"temperature_c": 100}, {"temperature_c": 99}, 599),
            ("infrared", 600, {"temperature_c": 120}, {"temperature_c": 119}, 599),
            ("dishwasher", 40, {"temperature_c": 85}, {"temperature_c": 84}, 39),
            ("chlorine", 300, {"chlorine_mg_l": 250}, {"chlorine_mg_l": 249}, 299),
        ]
        for method, seconds, ok, weak, short in cases:
            with self.subTest(method=method):
                self.record(method, seconds, **ok)
                with self.assertRaises(ValidationError):
                    self.record(method, seconds, **weak)
                with self.assertRaises(ValidationError) as refused:
                    self.record(method, short, **ok)
                self.assertIn("duration_s", refused.exception.message_dict)


class AccountsTests(HouqinTestCase):
    def test_rent_is_never_canteen_income_and_the_ledger_is_append_only(self):
        day = timezone.localdate()
        for category in ("rent", "shop"):
            with self.assertRaises(ValidationError):
                services.ledger_post(
                    actor=self.canteen, school=self.school_a, occurred_on=day, direction="income",
                    category=category, amount=Decimal("1000"),
                )  # fmt: skip
        entry = services.ledger_post(
            actor=self.canteen, school=self.school_a, occurred_on=day, direction="income",
            category="meal_sales", amount=Decimal("1200.50"),
        )  # fmt: skip
        with self.assertRaises(ValidationError):
            LedgerEntry.objects.filter(pk=entry.pk).delete()

    def test_tenant_meals_offset_against_rent(self):
        from houqin.orgs.models import Tenant

        tenant = Tenant.objects.create(school=self.school_a, name="阳光幼儿园")
        count = services.meal_count_record(
            actor=self.canteen, school=self.school_a, month=dt.date(2026, 10, 15), tenant=tenant,
            diners=37, meals=37 * 22, unit_price=Decimal("12.00"), offset_against_rent=True,
        )  # fmt: skip
        self.assertEqual(count.month, dt.date(2026, 10, 1))
        self.assertEqual(count.amount, Decimal("9768.00"))
        with self.assertRaises(ValidationError):
            services.meal_count_record(
                actor=self.canteen, school=self.school_a, month=dt.date(2026, 10, 1), diners=5, meals=100,
                unit_price=Decimal("12"), offset_against_rent=True,
            )  # fmt: skip

    def test_a_price_change_is_published_before_it_applies(self):
        with self.assertRaises(ValidationError):
            services.price_change_record(
                actor=self.canteen, school=self.school_a, meal="lunch", new_price=Decimal("6.50"),
                effective_on=dt.date(2026, 11, 1), decision_record="", published_on=dt.date(2026, 10, 20),
            )  # fmt: skip
        with self.assertRaises(ValidationError):
            services.price_change_record(
                actor=self.canteen, school=self.school_a, meal="lunch", new_price=Decimal("6.50"),
                effective_on=dt.date(2026, 11, 1), decision_record="校务会2026-10-15纪要",
                published_on=dt.date(2026, 11, 2),
            )  # fmt: skip
