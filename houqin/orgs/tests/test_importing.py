"""Excel imports: the generic reader (headers, blank and total rows, full-width digits, dates, amounts), the four
organisation imports, and the upload → preview → confirm page with its refusals."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook, load_workbook

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from houqin.core import importing
from houqin.core.importing import CellError, parse_date, parse_decimal, parse_int, parse_phone, parse_text, run_import
from houqin.core.models import AuditEvent
from houqin.core.testing import HouqinTestCase
from houqin.orgs import services
from houqin.orgs.importing import CLASS_IMPORT, PERSON_IMPORT, PLACE_IMPORT, STUDENT_IMPORT, parse_grade
from houqin.orgs.models import Person, Place, SchoolClass, Student


def xlsx(*rows, name="people.xlsx"):
    """An uploaded workbook whose first sheet holds `rows`."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


PEOPLE_HEADER = ("姓名", "部门", "手机", "用工类型", "岗位")


class ParserTests(SimpleTestCase):
    def test_dates_are_read_as_offices_write_them(self):
        cases = {
            "2019.09": dt.date(2019, 9, 1),
            "2019/9/1": dt.date(2019, 9, 1),
            "2019-09-01": dt.date(2019, 9, 1),
            "２０１９年９月１日": dt.date(2019, 9, 1),
            "20190901": dt.date(2019, 9, 1),
            dt.datetime(2019, 9, 1, 0, 0): dt.date(2019, 9, 1),
            43709: dt.date(2019, 9, 1),
        }
        for typed, expected in cases.items():
            with self.subTest(typed=typed):
                self.assertEqual(parse_date(typed), expected)

    def test_a_date_that_does_not_exist_is_an_error(self):
        for typed in ("2019.13", "2019-02-30", "九月"):
            with self.subTest(typed=typed), self.assertRaises(CellError):
                parse_date(typed)

    def test_full_width_digits_become_ascii(self):
        self.assertEqual(parse_phone("１３８ １２３４ ５６７８"), "13812345678")
        self.assertEqual(parse_int("１２"), 12)

    def test_phones_lose_the_country_code_and_separators(self):
        self.assertEqual(parse_phone("+86 138-1234-5678"), "13812345678")
        self.assertEqual(parse_phone(13812345678), "13812345678")
        self.assertEqual(parse_phone("0571-88886666"), "057188886666")

    def test_a_phone_with_letters_is_an_error(self):
        with self.assertRaises(CellError):
            parse_phone("1381234abcd")

    def test_amounts_accept_the_yuan_sign_and_thousands_separators(self):
        self.assertEqual(parse_decimal("¥1,200.00"), Decimal("1200.00"))
        self.assertEqual(parse_decimal("１２００元"), Decimal("1200.00"))
        with self.assertRaises(CellError):
            parse_decimal("一千")

    def test_numbers_stored_as_floats_are_read_as_text_without_the_point(self):
        self.assertEqual(parse_text(2019.0), "2019")

    def test_grades_accept_numbers_and_chinese_names(self):
        cases = {3: 3, "3年级": 3, "三年级": 3, "初一": 7, "高二": 11, "十二年级": 12}
        for typed, expected in cases.items():
            with self.subTest(typed=typed):
                self.assertEqual(parse_grade(typed), expected)

    def test_a_grade_out_of_range_is_an_error(self):
        for typed in ("13", "初四", "大一"):
            with self.subTest(typed=typed), self.assertRaises(CellError):
                parse_grade(typed)


class ImportTestCase(HouqinTestCase):
    def run_people(self, *rows, dry_run=False, actor=None):
        return run_import(PERSON_IMPORT, xlsx(*rows), actor=actor or self.admin, school=self.school_a, dry_run=dry_run)


class PersonImportTests(ImportTestCase):
    def test_a_good_file_creates_every_row(self):
        result = self.run_people(
            PEOPLE_HEADER,
            ("张三", "总务处", "13812345678", "在编", "电工"),
            ("李四", "", "13900001111", "临时工", "保洁"),
        )
        self.assertEqual((result.rows, result.created, result.errors), (2, 2, []))
        li = Person.objects.get(name="李四")
        self.assertEqual((li.school, li.kind, li.job_title), (self.school_a, "temporary", "保洁"))
        self.assertEqual(Person.objects.get(name="张三").department, self.department_a)

    def test_every_row_is_audited_and_so_is_the_import(self):
        self.run_people(PEOPLE_HEADER, ("张三", "总务处", "13812345678", "", ""))
        self.assertAudited(Person.objects.get(name="张三"), "orgs.person.created", actor=self.admin)
        self.assertTrue(AuditEvent.objects.filter(action="orgs.person.imported", school=self.school_a).exists())

    def test_one_bad_row_saves_nothing_and_names_its_row_and_column(self):
        result = self.run_people(
            PEOPLE_HEADER,
            ("张三", "总务处", "13812345678", "", ""),
            ("李四", "不存在的处", "13900001111", "", ""),
        )
        self.assertEqual([(e.row, e.column) for e in result.errors], [(3, "部门")])
        self.assertEqual(Person.objects.count(), 0)

    def test_every_error_of_the_file_is_reported(self):
        result = self.run_people(
            PEOPLE_HEADER,
            ("", "总务处", "13812345678", "", ""),
            ("李四", "总务处", "12345", "兼职", ""),
        )
        self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "姓名"), (3, "手机"), (3, "用工类型")])

    def test_a_dry_run_saves_nothing(self):
        result = self.run_people(PEOPLE_HEADER, ("张三", "总务处", "13812345678", "", ""), dry_run=True)
        self.assertEqual((result.created, result.errors), (1, []))
        self.assertEqual(Person.objects.count(), 0)
        self.assertFalse(AuditEvent.objects.filter(action__startswith="orgs.person").exists())

    def test_title_rows_blank_rows_and_total_rows_are_skipped(self):
        result = self.run_people(
            ("实验小学教职工名单",),
            (),
            ("序号", "姓名", "部门", "联系电话"),
            (1, "张三", "总务处", "１３８１２３４５６７８"),
            (None, None, None, None),
            ("合计", "1人", None, None),
        )
        self.assertEqual((result.rows, result.created, result.errors), (1, 1, []))
        self.assertEqual(Person.objects.get().phone, "13812345678")

    def test_the_same_person_twice_in_a_file_is_an_error(self):
        result = self.run_people(
            PEOPLE_HEADER,
            ("张三", "总务处", "13812345678", "", ""),
            ("张三", "总务处", "138 1234 5678", "", ""),
        )
        self.assertEqual([(e.row, e.column) for e in result.errors], [(3, "姓名")])
        self.assertEqual(Person.objects.count(), 0)

    def test_a_missing_required_column_is_reported_on_the_header_row(self):
        result = self.run_people(("部门", "手机"), ("总务处", "13812345678"))
        self.assertEqual([(e.row, e.column) for e in result.errors], [(1, "姓名")])

    def test_header_aliases_and_english_headers_are_understood(self):
        result = self.run_people(("名字", "Department", "电话"), ("张三", "总务处", "13812345678"))
        self.assertEqual((result.created, result.errors), (1, []))

    def test_a_department_of_another_school_is_not_found(self):
        services.department_create(actor=self.admin_b, school=self.school_b, name="教导处")
        result = self.run_people(PEOPLE_HEADER, ("张三", "教导处", "", "", ""))
        self.assertEqual([e.column for e in result.errors], ["部门"])


class OtherImportTests(ImportTestCase):
    def test_classes_take_chinese_grades_and_head_teachers_by_name(self):
        teacher = services.person_create(actor=self.admin, school=self.school_a, name="冯老师")
        result = run_import(
            CLASS_IMPORT,
            xlsx(("班级", "年级", "班主任"), ("三(1)班", "三年级", "冯老师"), ("初一(2)班", "初一", "")),
            actor=self.admin,
            school=self.school_a,
            dry_run=False,
        )
        self.assertEqual(result.errors, [])
        self.assertEqual(SchoolClass.objects.get(name="三(1)班").head_teacher, teacher)
        self.assertEqual(SchoolClass.objects.get(name="初一(2)班").grade, 7)

    def test_students_join_their_class_by_name(self):
        school_class = services.class_create(actor=self.admin, school=self.school_a, name="三(1)班", grade=3)
        result = run_import(
            STUDENT_IMPORT,
            xlsx(
                ("姓名", "班级", "性别", "学号", "家长电话"),
                ("王小明", "三(1)班", "男", "２０２３００１", "13987654321"),
            ),
            actor=self.admin,
            school=self.school_a,
            dry_run=False,
        )
        self.assertEqual(result.errors, [])
        student = Student.objects.get()
        self.assertEqual((student.school_class, student.sex, student.student_no), (school_class, "M", "2023001"))

    def test_a_student_of_an_unknown_class_is_an_error_in_the_class_column(self):
        result = run_import(
            STUDENT_IMPORT,
            xlsx(("姓名", "班级"), ("王小明", "九(9)班")),
            actor=self.admin,
            school=self.school_a,
            dry_run=False,
        )
        self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "班级")])

    def test_place_paths_create_the_missing_buildings_and_floors(self):
        result = run_import(
            PLACE_IMPORT,
            xlsx(("位置", "类型", "用途"), ("教学楼/3层/301", "", "教室"), ("教学楼／３层／302", "房间", "实验室")),
            actor=self.admin,
            school=self.school_a,
            dry_run=False,
        )
        self.assertEqual(result.errors, [])
        places = {p.full_name: p.kind for p in Place.objects.all()}
        self.assertEqual(
            places,
            {"教学楼": "building", "教学楼 / 3层": "floor", "教学楼 / 3层 / 301": "room", "教学楼 / 3层 / 302": "room"},
        )
        self.assertEqual(Place.objects.get(name="302").use, "lab")

    def test_a_place_that_exists_already_is_an_error_in_the_place_column(self):
        services.place_create(actor=self.admin, school=self.school_a, name="操场", kind="area")
        result = run_import(
            PLACE_IMPORT,
            xlsx(("位置", "类型"), ("操场", "区域")),
            actor=self.admin,
            school=self.school_a,
            dry_run=False,
        )
        self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "位置")])


class ReaderRefusalTests(ImportTestCase):
    def test_a_file_that_is_not_xlsx_is_refused(self):
        upload = SimpleUploadedFile("people.xls", b"\xd0\xcf\x11\xe0 old excel")
        with self.assertRaises(importing.ImportFileError):
            run_import(PERSON_IMPORT, upload, actor=self.admin, school=self.school_a)

    def test_a_zip_that_is_not_a_workbook_is_refused(self):
        upload = SimpleUploadedFile("people.xlsx", b"PK\x03\x04" + b"\0" * 100)
        with self.assertRaises(importing.ImportFileError):
            run_import(PERSON_IMPORT, upload, actor=self.admin, school=self.school_a)


class ImportPageTests(ImportTestCase):
    def setUp(self):
        self.data_dir = tempfile.mkdtemp()
        self.settings_override = override_settings(DATA_DIR=self.data_dir)
        self.settings_override.enable()
        self.client = self.api(self.admin)
        self.url = reverse("orgs:person_import")

    def tearDown(self):
        self.settings_override.disable()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def good_file(self):
        return xlsx(PEOPLE_HEADER, ("张三", "总务处", "13812345678", "", ""))

    def test_upload_previews_without_saving_then_confirm_saves(self):
        preview = self.client.post(self.url, {"file": self.good_file()})
        self.assertEqual(preview.status_code, 200)
        self.assertEqual(preview.context["result"].created, 1)
        self.assertContains(preview, 'data-testid="confirm-button"')
        self.assertEqual(Person.objects.count(), 0)
        confirmed = self.client.post(self.url, {"confirm": "1"})
        self.assertRedirects(confirmed, reverse("orgs:person_list"))
        self.assertEqual(Person.objects.get().name, "张三")

    def test_the_preview_masks_phone_numbers(self):
        preview = self.client.post(self.url, {"file": self.good_file()})
        self.assertContains(preview, "138****5678")
        self.assertNotContains(preview, "13812345678")

    def test_a_file_with_errors_shows_them_and_offers_no_confirm(self):
        response = self.client.post(self.url, {"file": xlsx(PEOPLE_HEADER, ("张三", "无此部门", "", "", ""))})
        self.assertEqual(response.status_code, 200)
        self.assertEqual([(e.row, e.column) for e in response.context["result"].errors], [(2, "部门")])
        self.assertNotContains(response, 'data-testid="confirm-button"')
        self.assertEqual(self.client.post(self.url, {"confirm": "1"}).status_code, 400)

    def test_a_new_upload_with_errors_cancels_the_previewed_file(self):
        self.client.post(self.url, {"file": self.good_file()})
        self.client.post(self.url, {"file": xlsx(PEOPLE_HEADER, ("张三", "无此部门", "", "", ""))})
        self.assertEqual(self.client.post(self.url, {"confirm": "1"}).status_code, 400)
        self.assertEqual(Person.objects.count(), 0)

    def test_confirming_twice_imports_once(self):
        self.client.post(self.url, {"file": self.good_file()})
        self.client.post(self.url, {"confirm": "1"})
        self.assertEqual(self.client.post(self.url, {"confirm": "1"}).status_code, 400)
        self.assertEqual(Person.objects.count(), 1)

    def test_a_non_xlsx_upload_is_refused_with_400(self):
        upload = SimpleUploadedFile("people.csv", "姓名,部门\n张三,总务处\n".encode())
        response = self.client.post(self.url, {"file": upload})
        self.assertEqual(response.status_code, 400)
        self.assertIn("file", response.context["form"].errors)

    def test_a_broken_workbook_is_refused_with_400(self):
        upload = SimpleUploadedFile("people.xlsx", b"PK\x03\x04" + b"\0" * 100)
        self.assertEqual(self.client.post(self.url, {"file": upload}).status_code, 400)

    @override_settings(HOUQIN_UPLOAD_MAX_MB=1)
    def test_an_oversize_upload_is_refused_with_400(self):
        upload = SimpleUploadedFile("people.xlsx", b"PK\x03\x04" + b"\0" * (1024 * 1024 + 1))
        response = self.client.post(self.url, {"file": upload})
        self.assertEqual(response.status_code, 400)
        self.assertIn("file", response.context["form"].errors)

    def test_the_template_has_the_headers(self):
        response = self.client.get(self.url, {"download": "template"})
        headers = next(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
        self.assertEqual(headers[:3], ("姓名*", "部门", "手机"))

    def test_staff_without_the_add_permission_get_403(self):
        self.assertEqual(self.api(self.principal).get(self.url).status_code, 403)
        self.assertEqual(self.api(self.principal).post(self.url, {"file": self.good_file()}).status_code, 403)

    def test_every_import_page_opens(self):
        for name in ("person", "place", "class", "student"):
            with self.subTest(name=name):
                self.assertEqual(self.client.get(reverse(f"orgs:{name}_import")).status_code, 200)
