import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from houqin.core.models import Notification
from houqin.core.testing import HouqinTestCase
from houqin.orgs.choices import PlaceKind
from houqin.orgs.models import Person, Place
from houqin.transport import selectors, services
from houqin.transport.choices import TripStatus
from houqin.transport.models import BusDrill, Trip, TripEvent, WaitingStudent
from houqin.transport.tests.factories import (
    CHECKS,
    DAY,
    add_rider,
    make_driver,
    make_route,
    make_student,
    make_trip,
    make_vehicle,
)


def person_for(user, name="何老师"):
    user.person = Person.objects.create(school=user.school, name=name)
    user.save(update_fields=["person"])
    return user.person


class PlanTests(HouqinTestCase):
    def setUp(self):
        self.route = make_route(self.school_a)
        self.attendant = person_for(self.teacher)

    def plan(self, date=DAY, **fields):
        return services.trip_plan(
            actor=self.safety, route=self.route, date=date, direction="to_school", attendant=self.attendant, **fields
        )

    def assertRefused(self, words, date=DAY, **fields):
        before = Trip.objects.count()
        with self.assertRaises(ValidationError) as caught:
            self.plan(date=date, **fields)
        self.assertIn(words, " ".join(caught.exception.messages))
        self.assertEqual(Trip.objects.count(), before)

    def test_a_compliant_bus_and_driver_run(self):
        trip = self.plan()
        self.assertEqual((trip.vehicle, trip.driver, trip.status), (self.route.vehicle, self.route.driver, "planned"))
        self.assertAudited(trip, "transport.trip.created", actor=self.safety)

    def test_each_paper_of_the_bus_is_required(self):  # D1, one by one
        cases = {
            "sign_valid_until": (dt.date(2025, 5, 31), "校车标牌"),
            "last_inspection_on": (dt.date(2024, 11, 30), "6"),
            "insurance_until": (None, _("carrier liability insurance missing or expired")),
            "kit_checked_on": (
                dt.date(2025, 4, 1),
                _("escape hammer, extinguisher and first-aid kit not checked this month"),
            ),
            "gps_ok": (False, _("GPS with driving records not working")),
        }
        for field, (value, words) in cases.items():
            with self.subTest(field=field):
                vehicle = make_vehicle(self.school_a, plate=f"鄂E·{field[:5]}", **{field: value})
                self.assertRefused(words, vehicle=vehicle)

    def test_an_inspection_exactly_six_months_ago_is_still_valid(self):
        vehicle = make_vehicle(self.school_a, plate="鄂E·6M", last_inspection_on=dt.date(2024, 12, 1))
        self.assertEqual(self.plan(vehicle=vehicle).vehicle, vehicle)

    def test_the_driver_turns_61_on_the_day(self):  # D2 boundary
        driver = make_driver(self.school_a, name="老李", birth_date=dt.date(1964, 6, 1))
        self.assertTrue(self.plan(date=dt.date(2025, 5, 31), driver=driver))
        self.assertRefused("61", date=dt.date(2025, 6, 1), driver=driver)

    def test_a_driver_under_25_is_refused(self):
        driver = make_driver(self.school_a, name="小王", birth_date=dt.date(2000, 6, 2))
        self.assertRefused("24", driver=driver)

    def test_licence_years_endorsement_and_review(self):
        cases = {
            "licence_since": (dt.date(2022, 6, 2), _("licensed less than %(years)s years") % {"years": 3}),
            "has_endorsement": (False, _("no school-bus endorsement")),
            "annual_review_until": (dt.date(2025, 5, 31), _("annual review missing or expired")),
        }
        for field, (value, words) in cases.items():
            with self.subTest(field=field):
                self.assertRefused(words, driver=make_driver(self.school_a, **{field: value}))

    def test_three_years_licensed_to_the_day_is_enough(self):
        self.assertTrue(self.plan(driver=make_driver(self.school_a, licence_since=dt.date(2022, 6, 1))))

    def test_an_outsourced_route_needs_its_filed_agreement(self):  # D6
        self.route.is_outsourced, self.route.provider = True, "顺达客运"
        self.route.save()
        self.assertRefused("校车安全管理责任书")
        self.route.agreement_filed_on = dt.date(2025, 2, 20)
        self.route.save()
        self.assertTrue(self.plan())

    def test_a_bus_of_another_school_is_refused(self):
        with self.assertRaises(ValidationError):
            self.plan(vehicle=make_vehicle(self.school_b))

    def test_a_teacher_cannot_plan_trips(self):
        with self.assertRaises(PermissionDenied):
            services.trip_plan(
                actor=self.teacher, route=self.route, date=DAY, direction="to_school", attendant=self.attendant
            )


class TripTests(HouqinTestCase):
    def setUp(self):
        self.route = make_route(self.school_a)  # 3 seats
        self.attendant = person_for(self.teacher)
        self.head = person_for(self.headteacher, "冯班主任")
        self.trip = make_trip(self.route, self.attendant)
        self.small = make_student(self.school_a, "王小一", grade=1, head_teacher=self.head)
        self.big = make_student(self.school_a, "李大五", grade=5)
        self.third = make_student(self.school_a, "赵小三", grade=5)
        for student in (self.small, self.big, self.third):
            add_rider(self.route, student)

    def board(self, *students, **kwargs):
        return services.trip_board(actor=self.teacher, trip=self.trip, student_ids=[s.pk for s in students], **kwargs)

    def depart(self, **overrides):
        return services.trip_depart(
            actor=self.teacher, trip=self.trip, **{**CHECKS, "doors_and_belts": True, **overrides}
        )

    def test_a_full_trip(self):
        self.board(self.small, self.big, self.third)
        self.assertEqual(self.depart().status, TripStatus.DEPARTED)
        stop = self.route.stops.first()
        services.trip_alight(actor=self.teacher, trip=self.trip, student_ids=[self.big.pk], stop=stop)
        services.trip_hand_over(
            actor=self.teacher,
            trip=self.trip,
            student_ids=[self.small.pk],
            receiver_name="王妈妈",
            receiver_relation="母亲",
        )
        services.trip_return(actor=self.teacher, trip=self.trip, student_ids=[self.third.pk])
        trip = services.trip_close(actor=self.teacher, trip=self.trip, no_child_left=True)
        self.assertEqual((trip.status, trip.no_child_left), (TripStatus.CLOSED, True))
        roster = selectors.roster(trip)
        self.assertEqual((roster.boarded, roster.alighted, roster.handed_over, roster.returned), (3, 1, 1, 1))

    def test_a_student_boards_only_once(self):
        self.board(self.big)
        with self.assertRaisesMessage(ValidationError, "李大五"):
            self.board(self.big)
        self.assertEqual(TripEvent.objects.count(), 1)

    def test_only_the_routes_riders_board_unless_extra(self):
        stranger = make_student(self.school_a, "周外乘", grade=4)
        with self.assertRaisesMessage(ValidationError, "周外乘"):
            self.board(stranger)
        self.board(stranger, extra=True)
        self.assertTrue(selectors.roster(self.trip).on_board)

    def test_a_student_of_another_school_is_unknown(self):
        other = make_student(self.school_b, "乙校生")
        with self.assertRaises(ValidationError) as caught:
            self.board(other, extra=True)
        self.assertIn("student_ids", caught.exception.message_dict)

    def test_more_students_than_seats_blocks_departure(self):  # D3
        extra = make_student(self.school_a, "钱第四", grade=3)
        self.board(self.small, self.big, self.third)
        self.board(extra, extra=True)
        with self.assertRaisesMessage(ValidationError, "3"):
            self.depart()
        self.assertEqual(Trip.objects.get().status, TripStatus.PLANNED)
        services.trip_return(actor=self.teacher, trip=self.trip, student_ids=[extra.pk])
        self.assertEqual(self.depart().status, TripStatus.DEPARTED)

    def test_on_the_road_no_boarding_above_the_seats(self):
        self.board(self.small, self.big, self.third)
        self.depart()
        with self.assertRaises(ValidationError):
            self.board(make_student(self.school_a, "钱第四"), extra=True)

    def test_departure_needs_every_check_and_the_doors_confirmation(self):
        for item in CHECKS:
            with self.subTest(item=item), self.assertRaises(ValidationError):
                self.depart(**{item: False})
        with self.assertRaisesMessage(ValidationError, _(services.DOORS_NOT_CONFIRMED)):
            self.depart(doors_and_belts=False)
        self.assertEqual(Trip.objects.get().status, TripStatus.PLANNED)

    def test_departure_rechecks_the_bus_on_the_trip_date(self):
        self.route.vehicle.gps_ok = False
        self.route.vehicle.save()
        with self.assertRaisesMessage(ValidationError, _("GPS with driving records not working")):
            self.depart()

    def test_a_grade_1_student_goes_only_to_a_registered_guardian(self):
        self.board(self.small, self.big)
        self.depart()
        with self.assertRaisesMessage(ValidationError, "王小一"):
            services.trip_hand_over(
                actor=self.teacher,
                trip=self.trip,
                student_ids=[self.small.pk],
                receiver_name="陌生人",
                receiver_relation="邻居",
            )
        services.trip_hand_over(  # grade 5: anyone named, as the family arranged
            actor=self.teacher,
            trip=self.trip,
            student_ids=[self.big.pk],
            receiver_name="陌生人",
            receiver_relation="邻居",
        )
        off = selectors.roster(self.trip)
        self.assertEqual([r.student for r in off.on_board], [self.small])

    def test_a_hand_over_names_the_receiver(self):
        self.board(self.big)
        with self.assertRaises(ValidationError):
            services.trip_hand_over(
                actor=self.teacher, trip=self.trip, student_ids=[self.big.pk], receiver_name=" ", receiver_relation=""
            )

    def test_alighting_twice_or_without_boarding_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "李大五"):
            services.trip_alight(actor=self.teacher, trip=self.trip, student_ids=[self.big.pk])
        self.board(self.big)
        services.trip_alight(actor=self.teacher, trip=self.trip, student_ids=[self.big.pk])
        with self.assertRaises(ValidationError):
            services.trip_return(actor=self.teacher, trip=self.trip, student_ids=[self.big.pk])

    def test_close_with_a_child_missing_is_refused_and_alerts_at_once(self):  # D4
        self.board(self.small, self.big)
        self.depart()
        services.trip_alight(actor=self.teacher, trip=self.trip, student_ids=[self.big.pk])
        with self.assertRaisesMessage(ValidationError, "王小一"):
            services.trip_close(actor=self.teacher, trip=self.trip, no_child_left=True)
        trip = Trip.objects.get()
        self.assertEqual(trip.status, TripStatus.DEPARTED)
        self.assertIsNotNone(trip.mismatch_at)
        recipients = set(
            Notification.objects.filter(kind="transport.trip.mismatch").values_list("recipient", flat=True)
        )
        self.assertEqual(recipients, {self.safety.pk, self.headteacher.pk})
        self.assertNotIn(self.safety_b.pk, recipients)
        # The same children again: no second alert. Resolved: the trip closes.
        with self.assertRaises(ValidationError):
            services.trip_close(actor=self.teacher, trip=self.trip, no_child_left=True)
        self.assertEqual(Notification.objects.filter(kind="transport.trip.mismatch").count(), 2)
        services.trip_hand_over(
            actor=self.teacher,
            trip=self.trip,
            student_ids=[self.small.pk],
            receiver_name="王妈妈",
            receiver_relation="母亲",
        )
        self.assertEqual(services.trip_close(actor=self.teacher, trip=self.trip, no_child_left=True).status, "closed")

    def test_close_needs_the_confirmation(self):
        self.board(self.big)
        self.depart()
        services.trip_alight(actor=self.teacher, trip=self.trip, student_ids=[self.big.pk])
        with self.assertRaisesMessage(ValidationError, _(services.CONFIRM_NO_CHILD)):
            services.trip_close(actor=self.teacher, trip=self.trip, no_child_left=False)
        self.assertEqual(Trip.objects.get().status, TripStatus.DEPARTED)
        self.assertFalse(Notification.objects.exists())

    def test_a_closed_trip_takes_nothing_more(self):
        self.depart()
        services.trip_close(actor=self.teacher, trip=self.trip, no_child_left=True)
        with self.assertRaisesMessage(ValidationError, _(services.TRIP_CLOSED)):
            self.board(self.big)

    def test_only_the_attendant_records_the_trip(self):
        person_for(self.guard, "郑门卫")
        with self.assertRaises(PermissionDenied):
            services.trip_board(actor=self.guard, trip=self.trip, student_ids=[self.big.pk])
        services.trip_board(actor=self.safety, trip=self.trip, student_ids=[self.big.pk])  # oversees every trip

    def test_events_cannot_be_changed(self):
        event = self.board(self.big)[0]
        with self.assertRaises(ValidationError):
            event.save()
        with self.assertRaises(ValidationError):
            TripEvent.objects.all().delete()


class WaitingTests(HouqinTestCase):
    def test_students_wait_and_are_signed_off_when_they_board_the_second_trip(self):
        route = make_route(self.school_a, trip_number=2)
        attendant = person_for(self.teacher)
        supervisor = person_for(self.headteacher, "冯班主任")
        room = Place.objects.create(school=self.school_a, name="阅览室", kind=PlaceKind.ROOM, full_name="阅览室")
        first, second = make_student(self.school_a, "王一"), make_student(self.school_a, "王二")
        for student in (first, second):
            add_rider(route, student)
        session = services.waiting_open(
            actor=self.safety,
            school=self.school_a,
            date=DAY,
            room=room,
            teacher=supervisor,
            route=route,
            student_ids=[first.pk, second.pk],
        )
        trip = make_trip(route, attendant)
        services.trip_board(actor=self.teacher, trip=trip, student_ids=[first.pk])
        signed = WaitingStudent.objects.filter(session=session, signed_off_at__isnull=False)
        self.assertEqual([(w.student, w.trip) for w in signed], [(first, trip)])
        with self.assertRaises(PermissionDenied):
            services.waiting_sign_off(actor=self.guard, session=session, student_ids=[second.pk])
        self.assertEqual(services.waiting_sign_off(actor=self.headteacher, session=session, student_ids=[second.pk]), 1)


class DrillTests(HouqinTestCase):
    def test_drills_are_counted_against_the_setting(self):  # D7
        today = dt.date.today()
        self.assertTrue(selectors.drill_count(school=self.school_a).short)
        drill = services.drill_record(actor=self.safety, school=self.school_a, held_on=today, participants=40)
        self.assertFalse(selectors.drill_count(school=self.school_a).short)
        self.assertAudited(drill, "transport.busdrill.created", actor=self.safety)
        with self.assertRaises(ValidationError):
            services.drill_record(actor=self.safety, school=self.school_a, held_on=today + dt.timedelta(days=2))
        self.assertEqual(BusDrill.objects.count(), 1)
