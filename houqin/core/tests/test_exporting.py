import datetime as dt
import zipfile
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from houqin.core.exporting import FLUSH_ROWS, iter_workbook, workbook_bytes, xlsx_response

COLUMNS = [
    ("编号", lambda row: row[0]),
    ("名称", lambda row: row[1]),
    ("原值", lambda row: row[2]),
    ("取得日期", lambda row: row[3]),
    ("是否在用", lambda row: row[4]),
    ("备注", lambda row: row[5]),
]


def test_workbook_reads_back_with_types_header_and_frozen_row():
    rows = [("A-1", "投影仪 <&> \x01", Decimal("1200.50"), dt.date(2019, 9, 1), True, None)]
    sheet = load_workbook(BytesIO(workbook_bytes("资产台账", COLUMNS, rows))).active
    assert sheet.title == "资产台账"
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == ["编号", "名称", "原值", "取得日期", "是否在用", "备注"]
    assert sheet[1][0].font.b
    values = [cell.value for cell in sheet[2]]
    assert values[:3] == ["A-1", "投影仪 <&> ", 1200.5]  # the control character XML cannot hold is dropped
    assert values[3] == dt.datetime(2019, 9, 1)
    assert sheet[2][3].number_format == "yyyy-mm-dd"
    assert values[4] == "Yes" or values[4] == "是"
    assert values[5] is None


def test_rows_are_written_while_they_are_read():
    consumed = []
    total = FLUSH_ROWS * 40

    def rows():
        for number in range(total):
            consumed.append(number)
            yield (f"{number * 7919 % 100003:06d}", f"物品{number * 31 % 997}", number, None, False, str(number**3))

    stream = iter_workbook("台账", COLUMNS, rows())
    first = next(stream)
    assert first.startswith(b"PK") and not consumed  # the container's first parts leave before any row is read
    chunks, read_when_sent = [first], []
    for chunk in stream:
        chunks.append(chunk)
        read_when_sent.append(len(consumed))
    assert any(0 < read < total for read in read_when_sent)  # compressed rows leave before the last row is read
    data = b"".join(chunks)
    assert zipfile.ZipFile(BytesIO(data)).testzip() is None
    assert sum(1 for _row in load_workbook(BytesIO(data), read_only=True).active.iter_rows()) == total + 1


def test_response_streams_with_a_chinese_file_name():
    response = xlsx_response("资产台账", "资产台账", COLUMNS, [])
    assert response.streaming
    assert "filename*=UTF-8''%E8%B5%84%E4%BA%A7%E5%8F%B0%E8%B4%A6-" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 1
