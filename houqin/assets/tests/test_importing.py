"""The ledger import's bulk path: the rules of asset_create row by row, errors of the whole file in one pass, nothing
saved on any error, numbers checked against the file and the register, one audit event, a history line per card, and
a number of queries that does not grow with the rows."""

import dataclasses
import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.assets import importing
from houqin.assets.choices import AssetClass, AssetStatus, EventKind
from houqin.assets.importing import ASSET_IMPORT
from houqin.assets.models import Asset, AssetEvent
from houqin.assets.services import rules
from houqin.assets.tests.factories import make_asset, make_person, make_place, xlsx_upload
from houqin.core.importing import ImportFileError, run_import
from houqin.core.importing.engine import DUPLICATE_IN_FILE
from houqin.core.models import AuditEvent, PolicyValue
from houqin.core.search import pinyin_index
from houqin.core.testing import HouqinTestCase
from houqin.orgs.choices import PlaceKind
from houqin.orgs.models import Department

HEADER = [
    "资产编号",
    "资产名称",
    "分类代码",
    "单价",
    "数量",
    "购置日期",
    "经费来源",
    "使用部门",
    "存放地点",
    "使用人",
    "使用年限",
    "凭证号",
    "使用状况",
]


def row(number="", name="台式计算机", code="", price="4800", quantity=1, acquired="2025-03-15", **more):
    """A ledger row in HEADER's order; `more` fills the later columns by their keys."""
    return [
        number,
        name,
        code,
        price,
        quantity,
        acquired,
        more.get("funding", "财政拨款"),
        more.get("department", ""),
        more.get("place", ""),
        more.get("custodian", ""),
        more.get("life", ""),
        more.get("voucher", ""),
        more.get("status", ""),
    ]


class AssetImportTestCase(HouqinTestCase):
    def setUp(self):
        self.building = make_place(self.school_a, "教学楼", kind=PlaceKind.BUILDING)
        self.room = make_place(self.school_a, "301", parent=self.building)
        self.room.code = "J301"
        self.room.save(update_fields=["code"])
        self.keeper_person = make_person(self.school_a, "何老师")

    def run_rows(self, rows, *, dry_run=False, spec=ASSET_IMPORT, actor=None, name="台账.xlsx"):
        upload = xlsx_upload([HEADER, *rows], name=name)
        return run_import(spec, upload, actor=actor or self.assetkeeper, school=self.school_a, dry_run=dry_run)

    def errors(self, result):
        return [(e.row, e.column, e.message) for e in result.errors]


class SameRulesAsAssetCreateTests(AssetImportTestCase):
    """Each row becomes the card asset_create makes of the same values."""

    CASES = [
        # (price, acquired on, class code, life in years, department, place, custodian, voucher)
        ("1000.00", "2025-03-15", "", "", "", "", "", ""),
        ("999.99", "2025-03-15", "", "", "", "", "", ""),
        ("800.00", "2025-05-31", "", "", "", "", "", ""),
        ("800.00", "2025-06-01", "", "", "", "", "", ""),
        ("1200.00", "2025-03-15", "", "1", "", "", "", ""),
        ("4800.00", "2025-03-15", "A02010100", "", "", "", "", ""),
        ("4800.00", "2025-03-15", "a02010105", "8", "总务处", "教学楼/301", "何老师", "记-12"),
        ("300.00", "2025-03-15", "A05010301", "", "总务处", "J301", "", ""),
    ]
    COMPARED = (
        "asset_class",
        "status",
        "category_code",
        "useful_life_months",
        "unit_price",
        "original_value",
        "department_id",
        "place_id",
        "custodian_id",
        "voucher_no",
        "acquired_on",
    )

    def test_each_row_is_classed_coded_and_completed_as_asset_create_does(self):
        PolicyValue.objects.create(
            district=self.district, key="assets.fixed_threshold", value="500.00", effective_from=dt.date(2025, 6, 1)
        )
        rows = [
            row(f"I-{n}", price=price, acquired=on, code=code, life=life, department=dep, place=place, custodian=who,
                voucher=voucher, quantity=2)
            for n, (price, on, code, life, dep, place, who, voucher) in enumerate(self.CASES)
        ]  # fmt: skip
        result = self.run_rows(rows)
        self.assertEqual(result.errors, [])
        self.assertEqual(result.created, len(self.CASES))
        places = {"": None, "教学楼/301": self.room, "J301": self.room}
        for n, (price, on, code, life, dep, place, who, voucher) in enumerate(self.CASES):
            created = make_asset(
                self.assetkeeper,
                unit_price=price,
                quantity=2,
                asset_no=f"C-{n}",
                acquired_on=dt.date.fromisoformat(on),
                category_code=code or None,
                useful_life_months=int(life) * 12 if life else None,
                department=self.department_a if dep else None,
                place=places[place],
                custodian=self.keeper_person if who else None,
                voucher_no=voucher,
                status=AssetStatus.IN_USE,
            )
            imported = Asset.objects.get(asset_no=f"I-{n}")
            with self.subTest(case=self.CASES[n]):
                self.assertEqual(
                    [getattr(imported, f) for f in self.COMPARED], [getattr(created, f) for f in self.COMPARED]
                )
        classes = dict(Asset.objects.filter(asset_no__startswith="I-").values_list("asset_no", "asset_class"))
        self.assertEqual(
            [classes[f"I-{n}"] for n in range(len(self.CASES))],
            [
                AssetClass.FIXED,
                AssetClass.LOW_VALUE,
                AssetClass.LOW_VALUE,  # the 500 threshold is in force from 1 June only
                AssetClass.FIXED,
                AssetClass.CONSUMABLE,
                AssetClass.FIXED,
                AssetClass.FIXED,
                AssetClass.LOW_VALUE,
            ],
        )
        complete = Asset.objects.get(asset_no="I-6")
        self.assertEqual((complete.status, complete.category_code), (AssetStatus.IN_USE, "A02010105"))
        self.assertEqual(Asset.objects.get(asset_no="I-0").status, AssetStatus.REGISTERED)  # A7: card incomplete
        self.assertEqual(Asset.objects.get(asset_no="I-5").useful_life_months, 72)  # the class's floor (A6)

    def test_the_threshold_lookup_answers_as_the_policy_does(self):
        PolicyValue.objects.create(
            district=self.district, key="assets.fixed_threshold", value="500.00", effective_from=dt.date(2025, 6, 1)
        )
        PolicyValue.objects.create(
            district=self.district,
            school=self.school_a,
            key="assets.fixed_threshold",
            value="1500.00",
            effective_from=dt.date(2025, 9, 1),
        )
        lookup = rules.threshold_lookup(self.school_a)
        for day in (dt.date(2025, 5, 31), dt.date(2025, 6, 1), dt.date(2025, 9, 1), None):
            for key in (rules.FIXED_THRESHOLD, rules.SPECIAL_THRESHOLD):
                with self.subTest(day=day, key=key):
                    self.assertEqual(lookup(key, day), rules.policy(key, school=self.school_a, on=day))

    def test_an_unknown_class_code_is_refused_in_its_column(self):
        result = self.run_rows([row("GZ-1"), row("GZ-2", code="A99")])
        message = _(rules.UNKNOWN_CODE) % {"code": "A99", "table": "GB/T 14885-2022"}
        self.assertEqual(self.errors(result), [(3, "分类代码", message)])
        self.assertIn("不是", message)  # in Chinese
        self.assertFalse(Asset.objects.exists())

    def test_a_life_below_the_class_floor_and_a_negative_price_are_refused(self):
        result = self.run_rows([row("GZ-1", code="A02010105", life="3"), row("GZ-2", price="-5")])
        self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "使用年限"), (3, "单价")])
        self.assertEqual(result.errors[1].message, _(rules.PRICE_NEGATIVE))

    def test_a_too_long_name_is_refused_by_the_card_field(self):
        result = self.run_rows([row("GZ-1", name="机" * 101)])
        self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "资产名称")])


class NumberTests(AssetImportTestCase):
    def test_a_number_twice_in_the_file_is_reported_on_the_second_row(self):
        result = self.run_rows([row("GZ-1"), row("GZ-2"), row("GZ-1")])
        self.assertEqual(self.errors(result), [(4, "资产编号", _(DUPLICATE_IN_FILE) % {"row": 2})])
        self.assertFalse(Asset.objects.exists())

    def test_numbers_already_in_the_register_are_all_reported(self):
        make_asset(self.assetkeeper, asset_no="GZ-1")
        make_asset(self.assetkeeper, asset_no="GZ-3")
        result = self.run_rows([row("GZ-1"), row("GZ-2"), row("GZ-3")])
        self.assertEqual(
            self.errors(result),
            [(2, "资产编号", _(importing.NUMBER_TAKEN)), (4, "资产编号", _(importing.NUMBER_TAKEN))],
        )
        self.assertEqual(Asset.objects.count(), 2)

    def test_another_schools_numbers_do_not_count(self):
        make_asset(self.assetkeeper_b, asset_no="GZ-1")
        self.assertTrue(self.run_rows([row("GZ-1")]).ok)

    def test_blank_numbers_are_generated_skipping_those_in_use(self):
        year = timezone.localdate().year
        make_asset(self.assetkeeper, asset_no=f"ZC-{year}-00002")
        result = self.run_rows([row(""), row(f"ZC-{year}-00003"), row(""), row("")])
        self.assertTrue(result.ok, result.errors)
        numbers = set(Asset.objects.values_list("asset_no", flat=True))
        expected = {f"ZC-{year}-0000{n}" for n in (1, 2, 3, 4, 5)}
        self.assertEqual(numbers, expected)
        self.assertEqual(make_asset(self.assetkeeper).asset_no, f"ZC-{year}-00006")

    def test_a_dry_run_issues_no_numbers(self):
        result = self.run_rows([row(""), row("")], dry_run=True)
        self.assertEqual((result.ok, result.created), (True, 2))
        self.assertFalse(Asset.objects.exists())
        self.assertEqual(make_asset(self.assetkeeper).asset_no, f"ZC-{timezone.localdate().year}-00001")


class AllOrNothingTests(AssetImportTestCase):
    def test_every_error_of_the_file_is_listed_and_nothing_is_saved(self):
        Department.objects.create(school=self.school_b, name="财务处")  # another school's
        result = self.run_rows(
            [
                row("GZ-1", department="总务处", place="教学楼/301"),
                row("GZ-2", department="财务处"),
                row("GZ-3", place="礼堂"),
                row("GZ-4", custodian="不在职的人"),
                row("GZ-5", price="一千"),
                row("GZ-6", status="已报废"),
                row("GZ-7"),
            ]
        )
        self.assertEqual(
            [(e.row, e.column) for e in result.errors],
            [(3, "使用部门"), (4, "存放地点"), (5, "使用人"), (6, "单价"), (7, "使用状况")],
        )
        self.assertEqual(result.errors[0].message, _(importing.NO_SUCH_DEPARTMENT) % {"name": "财务处"})
        self.assertIn("没有", result.errors[0].message)
        self.assertEqual(result.created, 2)  # would have been, had the file no error
        self.assertFalse(Asset.objects.exists())
        self.assertFalse(AssetEvent.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(action__startswith="assets.").exists())

    def test_an_error_after_batches_were_written_keeps_none_of_them(self):
        small_batches = dataclasses.replace(ASSET_IMPORT, batch_size=3)
        rows = [row(f"GZ-{n}") for n in range(8)] + [row("GZ-9", code="A99")]
        result = self.run_rows(rows, spec=small_batches)
        self.assertEqual([(e.row, e.column) for e in result.errors], [(10, "分类代码")])
        self.assertFalse(Asset.objects.exists())
        self.assertFalse(AssetEvent.objects.exists())

    def test_batches_add_up(self):
        small_batches = dataclasses.replace(ASSET_IMPORT, batch_size=3)
        result = self.run_rows([row(f"GZ-{n}") for n in range(7)] + [row(""), row("")], spec=small_batches)
        self.assertEqual((result.ok, result.created), (True, 9))
        self.assertEqual(Asset.objects.count(), 9)

    def test_a_generated_number_given_again_later_in_the_file_is_an_error(self):
        small_batches = dataclasses.replace(ASSET_IMPORT, batch_size=1)
        result = self.run_rows([row(""), row(f"ZC-{timezone.localdate().year}-00001")], spec=small_batches)
        self.assertEqual(self.errors(result), [(3, "资产编号", _(DUPLICATE_IN_FILE) % {"row": 2})])
        self.assertFalse(Asset.objects.exists())

    def test_staff_without_the_add_permission_are_refused(self):
        with self.assertRaises(PermissionDenied):
            self.run_rows([row("GZ-1")], actor=self.teacher)
        with self.assertRaises(PermissionDenied):
            run_import(ASSET_IMPORT, xlsx_upload([HEADER, row("GZ-1")]), actor=self.assetkeeper_b, school=self.school_a)
        self.assertFalse(Asset.objects.exists())


class HistoryAndAuditTests(AssetImportTestCase):
    def test_one_audit_event_for_the_file_and_a_history_line_per_card(self):
        result = self.run_rows([row("GZ-1"), row("GZ-2"), row("")], name="2019台账.xlsx")
        self.assertEqual(result.created, 3)
        events = AuditEvent.objects.filter(action__startswith="assets.")
        self.assertEqual(list(events.values_list("action", flat=True)), ["assets.asset.imported"])
        event = events.get()
        self.assertEqual((event.changes, event.message), ({"rows": [None, 3]}, "2019台账.xlsx"))
        self.assertEqual(event.school, self.school_a)
        for asset in Asset.objects.all():
            line = AssetEvent.objects.get(asset=asset)
            self.assertEqual(
                (line.kind, line.actor, line.school_id), (EventKind.REGISTERED, self.assetkeeper, asset.school_id)
            )
            self.assertIn("2019台账.xlsx", line.message)

    def test_imported_cards_are_found_by_pinyin(self):
        self.run_rows([row("GZ-1", name="投影仪")])
        self.assertEqual(Asset.objects.get().search_text, pinyin_index("投影仪", "GZ-1"))
        self.assertIn("tyy", Asset.objects.get().search_text)


def rows_per_insert(model):
    """How many rows one INSERT of bulk_create holds: the import's batch, or fewer where the database caps the
    parameters of a statement (SQLite: 999)."""
    fields = len(model._meta.concrete_fields) - 1  # not the id
    batch = [None] * ASSET_IMPORT.batch_size
    return max(min(ASSET_IMPORT.batch_size, connection.ops.bulk_batch_size([None] * fields, batch)), 1)


class QueryCountTests(AssetImportTestCase):
    def queries(self, count, prefix):
        rows = [
            row(f"{prefix}{n}" if n % 2 else "", department="总务处", place="教学楼/301", custodian="何老师")
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            result = self.run_rows(rows)
        self.assertEqual(result.created, count, result.errors)
        inserts = [
            q["sql"]
            for q in captured
            if q["sql"].startswith(('INSERT INTO "assets_asset"', 'INSERT INTO "assets_assetevent"'))
        ]
        return len(captured) - len(inserts), len(inserts)

    def test_the_queries_do_not_grow_with_the_rows(self):
        self.queries(2, "W-")  # the school's first numbers: its number sequence is created
        (ten, ten_inserts), (two_hundred, two_hundred_inserts) = self.queries(10, "A-"), self.queries(200, "B-")
        self.assertEqual(ten, two_hundred)
        self.assertLessEqual(ten, 16)
        self.assertEqual(ten_inserts, 2)  # the cards, their history lines
        # 200 rows: as many statements as bulk_create needs on this database (one each on PostgreSQL)
        expected = -(-200 // rows_per_insert(Asset)) + -(-200 // rows_per_insert(AssetEvent))
        self.assertEqual(two_hundred_inserts, expected)


class FileSizeTests(AssetImportTestCase):
    @override_settings(HOUQIN_IMPORT_MAX_ROWS=3)
    def test_the_row_limit_is_a_setting(self):
        with self.assertRaises(ImportFileError):
            self.run_rows([row(f"GZ-{n}") for n in range(20)])
        self.assertTrue(self.run_rows([row(f"GZ-{n}") for n in range(3)]).ok)

    def test_a_whole_ledger_fits_in_one_file(self):
        from houqin.core.importing.engine import max_rows

        self.assertGreaterEqual(max_rows(), 100_000)

    def test_money_is_kept_to_the_fen(self):
        self.run_rows([row("GZ-1", price="¥1,234.56", quantity=3)])
        asset = Asset.objects.get()
        self.assertEqual((asset.unit_price, asset.original_value), (Decimal("1234.56"), Decimal("3703.68")))
