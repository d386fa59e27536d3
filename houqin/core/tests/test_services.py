from decimal import Decimal

from django.test import SimpleTestCase

from houqin.core.models import Notification
from houqin.core.money import format_yuan, parse_amount, to_yuan
from houqin.core.sensitive import mask_id_number, mask_name, mask_phone
from houqin.core.services import notification_mark_read, notify
from houqin.core.testing import HouqinTestCase


class NotifyTests(HouqinTestCase):
    def test_each_recipient_gets_one_unread_message(self):
        notify(recipients=[self.logistics, self.principal], kind="repairs.due", title="3 项报修待处理", url="/repairs/")
        for user in (self.logistics, self.principal):
            message = Notification.objects.get(recipient=user)
            self.assertEqual((message.title, message.url, message.read_at), ("3 项报修待处理", "/repairs/", None))

    def test_the_message_belongs_to_the_recipients_school_unless_given(self):
        notify(recipients=[self.logistics_b], kind="k", title="t")
        notify(recipients=[self.bureau], kind="k", title="t", school=self.school_a)
        self.assertEqual(Notification.objects.get(recipient=self.logistics_b).school, self.school_b)
        self.assertEqual(Notification.objects.get(recipient=self.bureau).school, self.school_a)


class MarkReadTests(HouqinTestCase):
    def setUp(self):
        self.first, self.second = notify(recipients=[self.logistics, self.logistics], kind="k", title="t")
        (self.others,) = notify(recipients=[self.principal], kind="k", title="t")

    def test_it_marks_the_given_messages_read(self):
        self.assertEqual(notification_mark_read(actor=self.logistics, notification_ids=[self.first.pk]), 1)
        self.assertEqual(list(Notification.objects.filter(recipient=self.logistics).unread()), [self.second])

    def test_without_ids_it_marks_all_of_the_actors_messages_read(self):
        self.assertEqual(notification_mark_read(actor=self.logistics), 2)
        self.assertFalse(Notification.objects.filter(recipient=self.logistics).unread().exists())

    def test_it_never_touches_someone_elses_messages(self):
        self.assertEqual(notification_mark_read(actor=self.logistics, notification_ids=[self.others.pk]), 0)
        self.assertTrue(Notification.objects.filter(pk=self.others.pk).unread().exists())

    def test_a_message_read_twice_counts_once(self):
        notification_mark_read(actor=self.logistics, notification_ids=[self.first.pk])
        self.assertEqual(notification_mark_read(actor=self.logistics, notification_ids=[self.first.pk]), 0)


class MoneyTests(SimpleTestCase):
    def test_it_reads_an_amount_with_a_currency_sign_and_thousands_separators(self):
        self.assertEqual(parse_amount("¥1,200.00"), Decimal("1200.00"))
        self.assertEqual(parse_amount("￥1,200.5"), Decimal("1200.50"))

    def test_it_reads_full_width_digits(self):
        self.assertEqual(parse_amount("１２００"), Decimal("1200.00"))
        self.assertEqual(parse_amount("１，２００．５０"), Decimal("1200.50"))

    def test_it_reads_an_amount_written_with_yuan(self):
        self.assertEqual(parse_amount("1200元"), Decimal("1200.00"))
        self.assertEqual(parse_amount(" 35.8 元 "), Decimal("35.80"))

    def test_blank_is_no_amount(self):
        for blank in ("", "   ", None, "¥"):
            with self.subTest(blank=blank):
                self.assertIsNone(parse_amount(blank))

    def test_junk_is_refused(self):
        for junk in ("abc", "12.3.4", "一千", "Infinity", "1,2a"):
            with self.subTest(junk=junk), self.assertRaises(ValueError):
                parse_amount(junk)

    def test_not_a_number_is_refused(self):
        with self.assertRaises(ValueError):
            parse_amount("NaN")

    def test_numbers_are_rounded_half_up_to_fen(self):
        self.assertEqual(parse_amount(Decimal("166.665")), Decimal("166.67"))
        self.assertEqual(parse_amount(2), Decimal("2.00"))
        self.assertEqual(parse_amount(0.1), Decimal("0.10"))

    def test_to_yuan_rounds_half_up(self):
        self.assertEqual(to_yuan("166.666"), Decimal("166.67"))
        self.assertEqual(to_yuan(Decimal("0.005")), Decimal("0.01"))
        self.assertEqual(to_yuan(Decimal("2.675")), Decimal("2.68"))

    def test_format_yuan_writes_thousands_and_two_decimals(self):
        self.assertEqual(format_yuan(Decimal("1234.5")), "1,234.50")
        self.assertEqual(format_yuan(None), "")


class MaskingTests(SimpleTestCase):
    def test_a_mobile_number_keeps_its_first_three_and_last_four_digits(self):
        self.assertEqual(mask_phone("13812345678"), "138****5678")

    def test_a_short_number_keeps_only_its_last_two_digits(self):
        self.assertEqual(mask_phone("87654321"), "******21")
        self.assertEqual(mask_phone("110"), "***")

    def test_an_empty_phone_stays_empty(self):
        self.assertEqual(mask_phone(""), "")
        self.assertEqual(mask_phone(None), "")

    def test_an_id_number_keeps_its_first_and_last_four(self):
        self.assertEqual(mask_id_number("110101201001011234"), "1101**********1234")
        self.assertEqual(mask_id_number("11010120100101123X"), "1101**********123X")

    def test_a_short_id_number_is_masked_entirely(self):
        self.assertEqual(mask_id_number("12345678"), "********")

    def test_a_name_keeps_only_its_family_name(self):
        self.assertEqual(mask_name("王小明"), "王**")
        self.assertEqual(mask_name("欧阳"), "欧*")
        self.assertEqual(mask_name(""), "")


def test_yuan_filter_groups_thousands_and_keeps_fen():
    from decimal import Decimal

    from houqin.core.templatetags.houqin import yuan

    assert yuan(Decimal("4050")) == "¥4,050.00"
    assert yuan(Decimal("0.005")) == "¥0.01"
    assert yuan(None) == ""
