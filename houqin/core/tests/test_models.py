from django.test import SimpleTestCase

from houqin.core.models import AuditEvent
from houqin.core.search import pinyin_index, search
from houqin.core.testing import HouqinTestCase, make_user
from houqin.orgs.models import Department, Person


class PinyinIndexTests(SimpleTestCase):
    def test_it_holds_the_text_its_full_pinyin_and_its_initials(self):
        self.assertEqual(pinyin_index("张三"), "张三 zhangsan zs")

    def test_it_indexes_several_texts_and_skips_blank_ones(self):
        self.assertEqual(pinyin_index("资产", " ", "A-01").split(), ["资产", "zichan", "zc", "a-01"])

    def test_it_lowercases_latin_text(self):
        self.assertIn("room 301", pinyin_index("Room 301"))


class SearchTests(HouqinTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.zhang = Person.objects.create(school=cls.school_a, name="张三")
        cls.li = Person.objects.create(school=cls.school_a, name="李四", staff_no="T-042")
        cls.assets = Department.objects.create(school=cls.school_a, name="资产管理科")

    def people(self, q, *extra):
        return list(search(Person.objects.all(), q, *extra))

    def test_initials_find_a_chinese_name(self):
        self.assertEqual(self.people("zs"), [self.zhang])

    def test_full_pinyin_finds_a_chinese_name(self):
        self.assertEqual(self.people("zhangsan"), [self.zhang])

    def test_the_chinese_text_itself_finds_the_row(self):
        self.assertEqual(self.people("李"), [self.li])

    def test_initials_of_a_longer_name_find_it(self):
        self.assertEqual(list(search(Department.objects.all(), "zcgl")), [self.assets])

    def test_capital_letters_are_ignored(self):
        self.assertEqual(self.people("ZS"), [self.zhang])

    def test_every_word_must_match(self):
        self.assertEqual(self.people("ls zs"), [])

    def test_extra_fields_are_searched_too(self):
        self.assertEqual(self.people("t-042"), [self.li])

    def test_the_index_follows_a_rename(self):
        self.zhang.name = "王五"
        self.zhang.save(update_fields=["name"])
        self.assertEqual(self.people("ww"), [self.zhang])
        self.assertEqual(self.people("zs"), [])


class VisibleToTests(HouqinTestCase):
    def test_school_staff_see_their_school_only(self):
        self.assertEqual(list(Department.objects.visible_to(self.teacher)), [self.department_a])

    def test_bureau_staff_see_every_school_of_their_district(self):
        far = Department.objects.create(school=self.school_far, name="总务处")
        visible = set(Department.objects.visible_to(self.bureau))
        self.assertEqual(visible, {self.department_a, self.department_b})
        self.assertNotIn(far, visible)

    def test_a_disabled_user_sees_nothing(self):
        self.teacher.is_active = False
        self.assertFalse(Department.objects.visible_to(self.teacher).exists())

    def test_a_user_without_school_or_district_sees_nothing(self):
        loner = make_user("loner", role=None)
        self.assertFalse(Department.objects.visible_to(loner).exists())

    def test_a_superuser_without_a_place_sees_everything(self):
        root = make_user("root", role=None, is_superuser=True)
        self.assertEqual(Department.objects.visible_to(root).count(), 2)

    def test_audit_events_are_scoped_too(self):
        self.assertFalse(AuditEvent.objects.visible_to(self.teacher).filter(school=self.school_b).exists())


def test_choice_labels_follow_the_active_language_and_keep_unknown_values():
    from django.utils import translation

    from houqin.assets.models import Asset

    asset = Asset(status="in_use")
    with translation.override("zh-hans"):
        assert asset.get_status_display() == "在用"
    with translation.override("en"):
        assert asset.get_status_display() == "In use"
    asset.status = "no_such_status"
    assert asset.get_status_display() == "no_such_status"
