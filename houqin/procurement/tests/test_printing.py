from decimal import Decimal

import pytest

from django.urls import reverse

from houqin.assets.tests.factories import get_pdf
from houqin.procurement.printing import rmb_upper
from houqin.procurement.tests.factories import asset_line, line
from houqin.procurement.tests.test_acceptance import AcceptanceTestCase


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "零元整"),
        ("150", "壹佰伍拾元整"),
        ("1010", "壹仟零壹拾元整"),
        ("10005.30", "壹万零伍元叁角整"),
        ("56000", "伍万陆仟元整"),
        ("100000", "壹拾万元整"),
        ("1000000.05", "壹佰万元零伍分"),
        ("0.5", "伍角整"),
        ("120034567.89", "壹亿贰仟零叁万肆仟伍佰陆拾柒元捌角玖分"),
        ("-1.5", "负壹元伍角整"),
    ],
)
def test_amounts_in_chinese_capitals(amount, words):
    assert rmb_upper(Decimal(amount)) == words


class SlipPdfTests(AcceptanceTestCase):
    """The goods-received slip (入库单) as a PDF for finance."""

    def setUp(self):
        super().setUp()
        self.acceptance = self.accept(self.ordered(line(), asset_line()))
        self.url = reverse("procurement:acceptance_slip_pdf", args=[self.acceptance.pk])

    def test_the_slip_is_a_pdf_with_the_lines_and_the_amount_in_words(self):
        self.client.force_login(self.assetkeeper, backend="houqin.accounts.backends.RoleBackend")
        response, html = get_pdf(self.client, self.url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"%PDF"))
        for text in ("入库单", self.acceptance.slip_number, "跳绳", "投影仪", "肆仟叁佰伍拾元整", "赵校产"):
            self.assertIn(text, html)

    def test_another_school_404_and_without_the_role_403(self):
        self.client.force_login(self.assetkeeper_b, backend="houqin.accounts.backends.RoleBackend")
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.client.force_login(self.teacher, backend="houqin.accounts.backends.RoleBackend")
        self.assertEqual(self.client.get(self.url).status_code, 403)
