from decimal import Decimal

import pytest

from houqin.procurement.printing import rmb_upper


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
