"""D5: a trip's driving record checked against the speed limits (80 expressway / 60 other roads / 20 in adverse
conditions), imported by API or Excel all-or-nothing, shown on the trip page and reviewed by the safety officer."""

import datetime as dt
import json
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.importing import run_import
from houqin.core.models import AuditEvent, PolicyValue
from houqin.core.testing import HouqinTestCase
from houqin.transport import selectors, services
from houqin.transport.importing import telemetry_spec
from houqin.transport.models import SpeedingReview, SpeedRecord, Trip
from houqin.transport.services import SpeedPoint
from houqin.transport.tests.factories import DAY, make_route, make_trip
from houqin.transport.tests.test_services import person_for


def at(hour: int, minute: int = 0, second: int = 0, day: dt.date = DAY) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute, second)))


def point(speed, minute=0, road="other", **fields):
    return SpeedPoint(recorded_at=at(7, minute), speed_kmh=Decimal(str(speed)), road_type=road, **fields)


def workbook(rows, header=("时间", "速度", "道路类型", "位置")) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("行驶记录.xlsx", buffer.getvalue())


class SpeedCase(HouqinTestCase):
    def setUp(self):
        self.route = make_route(self.school_a)
        self.attendant = person_for(self.teacher)
        self.trip = make_trip(self.route, self.attendant, status="departed")

    def store(self, *points, trip=None, actor=None):
        return services.telemetry_import(actor=actor or self.safety, trip=trip or self.trip, points=list(points))


class LimitTests(SpeedCase):
    def flags(self, *points):
        return [(r.limit_kmh, r.is_speeding) for r in self.store(*points)]

    def test_expressway_80_exactly_at_the_limit_is_not_speeding(self):
        flags = self.flags(point(80, 1, "expressway"), point("80.1", 2, "expressway"), point(95, 3, "expressway"))
        self.assertEqual(flags, [(80, False), (80, True), (80, True)])

    def test_other_roads_60(self):
        self.assertEqual(
            self.flags(point(60, 1), point(61, 2), point("60.04", 3)), [(60, False), (60, True), (60, False)]
        )

    def test_adverse_conditions_20_on_every_road(self):
        services.trip_set_conditions(actor=self.teacher, trip=self.trip, adverse_conditions=" 大雾 ")
        self.trip.refresh_from_db()
        self.assertEqual(self.trip.adverse_conditions, "大雾")
        flags = self.flags(point(20, 1), point(21, 2), point(20, 3, "expressway"), point(35, 4, "expressway"))
        self.assertEqual(flags, [(20, False), (20, True), (20, False), (20, True)])
        self.assertAudited(self.trip, "transport.trip.updated", actor=self.teacher)

    def test_a_district_setting_applies_from_its_date(self):
        PolicyValue.objects.create(
            district=self.district, key="transport.speed_limit_road_kmh", value=50, effective_from=DAY
        )
        later = make_trip(self.route, self.attendant, direction="to_school", status="departed")
        self.assertEqual(self.flags(point(55, 1)), [(50, True)])
        PolicyValue.objects.create(
            district=self.district,
            school=self.school_a,
            key="transport.speed_limit_expressway_kmh",
            value=70,
            effective_from=DAY,
        )
        self.assertEqual(
            [(r.limit_kmh, r.is_speeding) for r in self.store(point(75, 5, "expressway"), trip=later)], [(70, True)]
        )

    def test_a_setting_from_a_later_day_does_not_apply(self):
        PolicyValue.objects.create(
            district=self.district,
            key="transport.speed_limit_road_kmh",
            value=50,
            effective_from=DAY + dt.timedelta(days=1),
        )
        self.assertEqual(self.flags(point(55, 1)), [(60, False)])

    def test_the_import_is_audited_on_the_trip(self):
        self.store(point(70, 1), point(50, 2))
        event = self.assertAudited(self.trip, "transport.trip.telemetry_imported", actor=self.safety)
        self.assertEqual(event.changes, {"speed_records": [None, 2], "speeding": [None, 1]})


class AllOrNothingTests(SpeedCase):
    def refused(self, *points):
        with self.assertRaises(ValidationError) as caught:
            self.store(*points)
        self.assertEqual(SpeedRecord.objects.count(), 0)
        return caught.exception.message_dict["points"]

    def test_every_bad_point_is_named_by_its_index_and_nothing_is_kept(self):
        messages = self.refused(
            point(50, 1),
            point(201, 2),
            SpeedPoint(recorded_at=at(7, 3, day=DAY + dt.timedelta(days=1)), speed_kmh=Decimal(40)),
            point(-1, 4),
            point(30, 1),
        )
        self.assertEqual(len(messages), 4)
        self.assertTrue(messages[0].startswith("points[1]"), messages)
        self.assertIn(_(services.SPEED_OUT_OF_RANGE), messages[0])
        self.assertTrue(messages[1].startswith("points[2]"))
        self.assertIn("2025-06-01", messages[1])
        self.assertTrue(messages[2].startswith("points[3]"))
        self.assertIn("points[0]", messages[3])  # points[4] has the time of points[0]

    def test_speeds_0_and_200_are_accepted(self):
        self.assertEqual(len(self.store(point(0, 1), point(200, 2))), 2)

    def test_a_time_already_stored_is_refused(self):
        self.store(point(30, 1))
        messages = self.refused_again(point(40, 2), point(35, 1))
        self.assertEqual(
            messages, [_(services.POINT_ERROR) % {"index": 1, "message": _(services.TIME_ALREADY_RECORDED)}]
        )

    def refused_again(self, *points):
        with self.assertRaises(ValidationError) as caught:
            self.store(*points)
        self.assertEqual(SpeedRecord.objects.count(), 1)
        return caught.exception.message_dict["points"]

    def test_a_planned_trip_has_no_driving_record(self):
        planned = make_trip(self.route, self.attendant, direction="to_school")
        with self.assertRaises(ValidationError):
            self.store(point(30, 1), trip=planned)

    def test_only_who_may_import(self):
        with self.assertRaises(PermissionDenied):
            self.store(point(30, 1), actor=self.teacher)

    def test_the_conditions_are_fixed_once_records_were_checked_against_them(self):
        self.store(point(30, 1))
        with self.assertRaises(ValidationError):
            services.trip_set_conditions(actor=self.safety, trip=self.trip, adverse_conditions="雨")
        services.trip_set_conditions(actor=self.safety, trip=self.trip, adverse_conditions="")  # unchanged: fine

    def test_another_member_of_staff_cannot_tag_the_trip(self):
        person_for(self.guard, "郑门卫")
        with self.assertRaises(PermissionDenied):
            services.trip_set_conditions(actor=self.guard, trip=self.trip, adverse_conditions="雨")


class ExcelImportTests(SpeedCase):
    def run_file(self, rows, dry_run=False, **kwargs):
        upload = workbook(rows, **kwargs)
        return run_import(telemetry_spec(self.trip), upload, actor=self.safety, school=self.school_a, dry_run=dry_run)

    def test_rows_are_checked_flagged_and_saved(self):
        result = self.run_file(
            [
                ("07:01:00", 45, "", "东湖路"),
                ("2025-06-01 07:02:00", "85", "高速", "沪渝高速"),
                (dt.datetime(2025, 6, 1, 7, 3), 62.5, "普通道路", ""),
                (dt.time(7, 4), 30, None, None),
            ]
        )
        self.assertTrue(result.ok, result.errors)
        records = list(SpeedRecord.objects.order_by("recorded_at"))
        self.assertEqual(
            [(r.limit_kmh, r.is_speeding) for r in records], [(60, False), (80, True), (60, True), (60, False)]
        )
        self.assertEqual(records[0].location, "东湖路")
        self.assertEqual(timezone.localtime(records[3].recorded_at).time(), dt.time(7, 4))
        self.assertTrue(AuditEvent.objects.filter(action="transport.trip.telemetry_imported").exists())

    def test_one_bad_row_keeps_nothing_and_names_row_and_column(self):
        result = self.run_file(
            [("07:01", 45, "", ""), ("07:02", 250, "", ""), ("2025-06-02 07:03", 40, "", ""), ("7点", 1, "", "")]
        )
        self.assertFalse(result.ok)
        self.assertEqual(SpeedRecord.objects.count(), 0)
        where = {(e.row, e.column) for e in result.errors}
        self.assertEqual(where, {(3, "速度"), (4, "时间"), (5, "时间")})
        self.assertIn(_(services.SPEED_OUT_OF_RANGE), [e.message for e in result.errors])

    def test_the_same_time_twice_in_a_file(self):
        result = self.run_file([("07:01", 45, "", ""), ("07:01", 46, "", "")])
        self.assertEqual([(e.row, e.column) for e in result.errors], [(3, "时间")])

    def test_a_dry_run_keeps_nothing(self):
        result = self.run_file([("07:01", 45, "", "")], dry_run=True)
        self.assertTrue(result.ok)
        self.assertEqual(SpeedRecord.objects.count(), 0)


class ReviewTests(SpeedCase):
    def test_a_review_clears_the_trip_until_new_speeding_is_imported(self):
        today = timezone.localdate()
        trip = make_trip(self.route, self.attendant, date=today, direction="to_school", status="departed")
        old = make_trip(self.route, self.attendant, date=today - dt.timedelta(days=7), status="departed")
        for each in (trip, old):
            self.store(SpeedPoint(recorded_at=at(7, 1, day=each.date), speed_kmh=Decimal(70)), trip=each)
        self.assertEqual(list(selectors.speeding_to_review(user=self.safety)), [trip])
        self.assertEqual(list(selectors.speeding_to_review(user=self.safety_b)), [])

        with self.assertRaises(ValidationError):
            services.speeding_review(actor=self.safety, trip=trip, note="  ")
        with self.assertRaises(PermissionDenied):
            services.speeding_review(actor=self.logistics, trip=trip, note="已约谈")
        review = services.speeding_review(actor=self.safety, trip=trip, note="已约谈驾驶员并学习限速规定")
        self.assertAudited(trip, "transport.trip.speeding_reviewed", actor=self.safety)
        self.assertEqual(list(selectors.speeding_to_review(user=self.safety)), [])
        with self.assertRaises(ValidationError):
            services.speeding_review(actor=self.safety, trip=trip, note="再次")

        self.store(SpeedPoint(recorded_at=at(7, 2, day=today), speed_kmh=Decimal(30)), trip=trip)
        self.assertEqual(list(selectors.speeding_to_review(user=self.safety)), [])  # nothing over the limit
        self.store(SpeedPoint(recorded_at=at(7, 3, day=today), speed_kmh=Decimal(66)), trip=trip)
        self.assertEqual(list(selectors.speeding_to_review(user=self.safety)), [trip])
        self.assertEqual(selectors.unreviewed_speeding(trip).count(), 1)
        self.assertEqual(SpeedingReview.objects.get().pk, review.pk)

    def test_the_safety_officers_home_page_lists_the_trip(self):
        from houqin.transport.today import items_for

        today = timezone.localdate()
        trip = make_trip(self.route, self.attendant, date=today, direction="to_school", status="departed")
        self.store(SpeedPoint(recorded_at=at(7, 1, day=today), speed_kmh=Decimal(70)), trip=trip)
        urls = [item.url for item in items_for(self.safety)]
        self.assertIn(trip.get_absolute_url(), urls)
        self.assertNotIn(trip.get_absolute_url(), [item.url for item in items_for(self.teacher)])
        services.speeding_review(actor=self.safety, trip=trip, note="已处理")
        self.assertNotIn(trip.get_absolute_url(), [item.url for item in items_for(self.safety)])


class SpeedApiTests(SpeedCase):
    def post(self, user, path, body):
        return self.api(user).post(path, json.dumps(body), content_type="application/json")

    def url(self, trip=None, suffix="telemetry"):
        return f"/api/transport/trips/{(trip or self.trip).pk}/{suffix}"

    def test_import_then_read_the_speeding_and_review_it(self):
        body = {
            "points": [
                {"recorded_at": "2025-06-01T07:01:00+08:00", "speed_kmh": "58.5", "location": "东湖路"},
                {"recorded_at": "2025-06-01T07:02:00", "speed_kmh": 84, "road_type": "expressway"},
                {"recorded_at": "2025-06-01T07:03:00+08:00", "speed_kmh": 64.04},
            ]
        }
        created = self.post(self.safety, self.url(), body)
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual((created.json()["stored"], created.json()["speeding"]), (3, 2))
        listed = self.api(self.principal).get(self.url(suffix="speeding"))
        self.assertEqual(listed.status_code, 200)
        items = listed.json()["items"]
        self.assertEqual([i["limit_kmh"] for i in items], [80, 60])
        self.assertEqual(Decimal(items[1]["speed_kmh"]), Decimal("64.0"))
        self.assertTrue(items[0]["recorded_at"].endswith("+08:00"))
        reviewed = self.post(self.safety, self.url(suffix="speeding/review"), {"note": "已约谈驾驶员"})
        self.assertEqual(reviewed.status_code, 201, reviewed.content)
        self.assertEqual(reviewed.json()["through_record_id"], items[1]["id"])
        again = self.post(self.safety, self.url(suffix="speeding/review"), {"note": "再次"})
        self.assertEqual(again.status_code, 409)

    def test_a_bad_point_is_422_naming_its_index_and_nothing_is_kept(self):
        body = {
            "points": [
                {"recorded_at": "2025-06-01T07:01:00+08:00", "speed_kmh": 50},
                {"recorded_at": "2025-06-02T07:02:00+08:00", "speed_kmh": 300},
            ]
        }
        response = self.post(self.safety, self.url(), body)
        self.assertEqual(response.status_code, 422)
        messages = [d["msg"] for d in response.json()["detail"]]
        self.assertEqual(len(messages), 2)
        self.assertTrue(all(m.startswith("points[1]") for m in messages), messages)
        self.assertEqual(SpeedRecord.objects.count(), 0)

    def test_another_schools_trip_is_404(self):
        other = make_trip(make_route(self.school_b, name="二号线"), person_for(self.teacher_b), status="departed")
        body = {"points": [{"recorded_at": "2025-06-01T07:01:00+08:00", "speed_kmh": 50}]}
        self.assertEqual(self.post(self.safety, self.url(other), body).status_code, 404)
        self.assertEqual(self.api(self.safety).get(self.url(other, "speeding")).status_code, 404)
        self.assertEqual(self.post(self.safety, self.url(other, "speeding/review"), {"note": "x"}).status_code, 404)
        self.assertEqual(
            self.post(self.safety, self.url(other, "conditions"), {"adverse_conditions": "雨"}).status_code, 404
        )

    def test_without_the_permission_403(self):
        body = {"points": [{"recorded_at": "2025-06-01T07:01:00+08:00", "speed_kmh": 50}]}
        self.assertEqual(self.post(self.teacher, self.url(), body).status_code, 403)
        self.assertEqual(self.post(self.logistics, self.url(suffix="speeding/review"), {"note": "x"}).status_code, 403)
        self.assertEqual(self.api(self.teacher).get(self.url(suffix="speeding")).status_code, 403)
        self.assertEqual(SpeedRecord.objects.count(), 0)

    def test_the_attendant_tags_the_conditions(self):
        response = self.post(self.teacher, self.url(suffix="conditions"), {"adverse_conditions": "冰雪路面"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["adverse_conditions"], "冰雪路面")
        person_for(self.guard, "郑门卫")
        self.assertEqual(
            self.post(self.guard, self.url(suffix="conditions"), {"adverse_conditions": ""}).status_code, 403
        )


class SpeedPageTests(SpeedCase):
    def login(self, user):
        self.client.force_login(user, backend="houqin.accounts.backends.RoleBackend")

    def test_the_trip_page_shows_the_speeding_and_the_review(self):
        self.store(point(72, 1, location="东湖路"), point(40, 2))
        self.login(self.safety)
        page = self.client.get(self.trip.get_absolute_url())
        self.assertContains(page, 'data-testid="speeding-table"')
        self.assertContains(page, "东湖路")
        self.assertContains(page, 'data-testid="review-form"')
        self.assertContains(page, 'data-testid="telemetry-form"')
        done = self.client.post(
            reverse("transport:trip_speeding_review", args=[self.trip.pk]), {"note": "已约谈驾驶员"}, follow=True
        )
        self.assertContains(done, "已约谈驾驶员")
        self.assertNotContains(done, 'data-testid="review-form"')

    def test_the_attendant_sees_no_speed_section_but_tags_the_conditions(self):
        self.login(self.teacher)
        page = self.client.get(self.trip.get_absolute_url())
        self.assertNotContains(page, 'data-testid="speeding"')
        self.assertContains(page, 'data-testid="conditions-form"')
        self.client.post(reverse("transport:trip_conditions", args=[self.trip.pk]), {"adverse_conditions": "暴雨"})
        self.assertEqual(Trip.objects.get(pk=self.trip.pk).adverse_conditions, "暴雨")

    def test_excel_upload_preview_then_confirm(self):
        self.login(self.safety)
        url = reverse("transport:trip_telemetry", args=[self.trip.pk])
        preview = self.client.post(url, {"file": workbook([("07:01", 45, "", ""), ("07:02", 66, "", "")])})
        self.assertContains(preview, 'data-testid="confirm-form"')
        self.assertEqual(SpeedRecord.objects.count(), 0)
        done = self.client.post(url, {"confirm": "1"})
        self.assertRedirects(done, self.trip.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(SpeedRecord.objects.filter(is_speeding=True).count(), 1)
        template = self.client.get(url + "?download=template")
        self.assertEqual(template.status_code, 200)

    def test_a_bad_file_shows_the_errors_and_keeps_nothing(self):
        self.login(self.safety)
        url = reverse("transport:trip_telemetry", args=[self.trip.pk])
        page = self.client.post(url, {"file": workbook([("07:01", 45, "", ""), ("07:02", 666, "", "")])})
        self.assertContains(page, 'data-testid="import-errors"')
        self.assertNotContains(page, 'data-testid="confirm-form"')
        self.assertEqual(SpeedRecord.objects.count(), 0)

    def test_403_without_the_permission_and_404_for_another_school(self):
        self.login(self.teacher)
        url = reverse("transport:trip_telemetry", args=[self.trip.pk])
        self.assertEqual(self.client.get(url).status_code, 403)
        review = reverse("transport:trip_speeding_review", args=[self.trip.pk])
        self.assertEqual(self.client.post(review, {"note": "x"}).status_code, 403)
        person_for(self.guard, "郑门卫")
        self.login(self.guard)
        conditions = reverse("transport:trip_conditions", args=[self.trip.pk])
        self.assertEqual(self.client.post(conditions, {"adverse_conditions": "雨"}).status_code, 403)
        self.login(self.safety_b)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(review, {"note": "x"}).status_code, 404)
        self.assertEqual(self.client.post(conditions, {"adverse_conditions": "雨"}).status_code, 404)

    def test_a_planned_trip_cannot_take_a_driving_record(self):
        planned = make_trip(self.route, self.attendant, direction="to_school")
        self.login(self.safety)
        url = reverse("transport:trip_telemetry", args=[planned.pk])
        self.assertRedirects(self.client.get(url), planned.get_absolute_url(), fetch_redirect_response=False)
