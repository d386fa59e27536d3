"""The asset register, the store and its concurrency at school scale.

On SQLite (a temporary file): the asset register page and API at 20k, 50k and 100k cards (25 and 100 rows, filtered
and searched) against a bare view of the same rows and their main SQL query run bare; the 20k-card ledger export
(time to first byte, peak memory); posting a stock movement at 30k and 300k movements; the store's balances against
the raw GROUP BY; the import of a 20,000-row ledger end to end (`BENCH_IMPORT_ROWS`, 100,000 for the memory) with
its memory growth, against a bare bulk_create. On PostgreSQL (`BENCH_ASSETS_POSTGRES_URL`, dropped and recreated): 20
storekeepers issuing from one item at once.

    python -m bench --only assets           # both parts, about 15 minutes on two busy cores
    python -m bench.assets --part sqlite    # one part (sqlite, import, count, postgres), HOUQIN_DATABASE_URL set by
                                            # the caller; `count`: a 2,000-item stock count recorded and closed
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import threading
import time
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from bench.case import RUNS, percentile, prepare_database, time_bare, time_request

PG_URL = os.environ.get("BENCH_ASSETS_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/houqin_bench_assets")
NAMES = ["台式计算机", "笔记本电脑", "投影仪", "交互式电子白板", "打印机", "空调", "课桌椅", "钢琴", "显微镜", "文件柜"]
CODES = ["A02010105", "A02010108", "", "A020207", "A020210", "A02061804", "A05010203", "", "", "A05010502"]


def peak_rss_reset() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # Linux: the peak (VmHWM) starts again from the current size


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def report(label: str, **figures: Any) -> None:
    text = ", ".join(
        f"{key} {value:.2f}" if isinstance(value, float) else f"{key} {value}" for key, value in figures.items()
    )
    print(f"{label:<44} {text}", flush=True)


#
# Data
#


def school_setup(staff: int = 200) -> tuple[Any, Any, list, list, list]:
    """One school with departments, staff and 300 rooms, and its asset keeper."""
    from bench.district import build_district
    from houqin.accounts.roles import Role
    from houqin.core.search import pinyin_index
    from houqin.core.testing import make_user
    from houqin.orgs.choices import PlaceKind
    from houqin.orgs.models import Department, Person, Place

    district = build_district(schools=1, staff_per_school=staff)
    district.name = f"{district.name}-{district.pk}"  # a second school in the same database gets its own district
    district.save(update_fields=["name"])
    school = district.schools.get()
    rooms = Place.objects.bulk_create(
        [
            Place(
                school=school,
                name=f"{n}",
                kind=PlaceKind.ROOM,
                full_name=f"教学楼 / {n}",
                search_text=pinyin_index(f"教学楼 / {n}"),
            )
            for n in range(101, 401)
        ]
    )
    keeper = make_user(f"keeper{school.pk}", role=Role.ASSET_KEEPER, school=school, name="基准校产")
    return (
        school,
        keeper,
        rooms,
        list(Department.objects.filter(school=school)),
        list(Person.objects.filter(school=school)),
    )


def add_assets(school: Any, count: int, rooms: list, departments: list, people: list, start: int = 0) -> None:
    """`count` cards bulk-inserted (numbers from `start`), spread over the rooms, departments and people."""
    from houqin.assets.models import Asset
    from houqin.core.search import pinyin_index

    rng = random.Random(start)
    batch = []
    for n in range(start, start + count):
        kind = n % len(NAMES)
        price = Decimal(rng.choice(["800.00", "1200.00", "3500.00", "4800.00", "12000.00"]))
        number = f"ZC-2020-{n:06d}"
        batch.append(
            Asset(
                school=school,
                asset_no=number,
                name=NAMES[kind],
                category_code=CODES[kind],
                unit_price=price,
                original_value=price,
                asset_class="fixed" if price >= 1000 else "low_value",
                acquired_on=dt.date(2015, 1, 1) + dt.timedelta(days=n % 3650),
                funding_source="财政拨款",
                department=departments[n % len(departments)],
                place=rooms[n % len(rooms)],
                custodian=people[n % len(people)],
                status="in_use" if n % 7 else "idle",
                useful_life_months=72,
                search_text=pinyin_index(NAMES[kind], number),
            )
        )
        if len(batch) == 5000:
            Asset.objects.bulk_create(batch)
            batch = []
    Asset.objects.bulk_create(batch)
    analyze()


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


#
# The register: pages and API against the bare query
#


BARE_COLUMNS = (
    "pk",
    "asset_no",
    "name",
    "spec",
    "quantity",
    "unit",
    "original_value",
    "asset_class",
    "status",
    "department__name",
    "place__full_name",
    "custodian__name",
)


def install_bare_views() -> None:
    """Two views mounted for the benchmark only: the register's rows in one query (the same columns, filters and
    order), as HTML rows and as JSON, through the same middleware. The pages are compared with these."""
    from django.http import HttpResponse, JsonResponse
    from django.urls import clear_url_caches, path
    from django.utils.html import format_html_join

    from houqin import urls
    from houqin.assets.models import Asset

    def rows(request: Any, limit: int) -> list[tuple]:
        assets = Asset.objects.filter(school_id=request.user.school_id).order_by("-acquired_on", "-id")
        filters = {"status": "status", "place": "place_id", "place_id": "place_id", "department": "department_id"}
        assets = assets.filter(**{column: request.GET[key] for key, column in filters.items() if key in request.GET})
        if request.GET.get("q"):
            assets = assets.filter(search_text__icontains=request.GET["q"])
        return list(assets.values_list(*BARE_COLUMNS)[:limit])

    def page(request: Any) -> HttpResponse:
        cells = "".join(f"<td>{{{n}}}</td>" for n in range(1, len(BARE_COLUMNS)))
        body = format_html_join("", f"<tr data-row>{cells}</tr>", rows(request, 50))
        return HttpResponse(f"<table>{body}</table>")

    def api(request: Any) -> JsonResponse:
        found = rows(request, int(request.GET.get("limit", 50)))
        return JsonResponse({"items": [dict(zip(BARE_COLUMNS, row, strict=True)) for row in found]})

    urls.urlpatterns[:0] = [path("bench/bare/page", page), path("bench/bare/api", api)]
    clear_url_caches()


def register_rows(rooms: list, departments: list) -> list[tuple[str, str, str]]:
    room, department = rooms[7], departments[7 % len(departments)]  # card n sits in room n % 300, department n % 10
    filtered = f"status=in_use&department={department.pk}&place={room.pk}"
    return [
        ("register page (50 rows)", "/assets/", "/bench/bare/page"),
        ("register page, filtered", f"/assets/?{filtered}", f"/bench/bare/page?{filtered}"),
        ("register page, q=tsj", "/assets/?q=tsj", "/bench/bare/page?q=tsj"),
        ("API limit=25", "/api/assets?limit=25", "/bench/bare/api?limit=25"),
        ("API limit=100", "/api/assets?limit=100", "/bench/bare/api?limit=100"),
        (
            "API limit=100, filtered",
            f"/api/assets?status=in_use&place_id={room.pk}&limit=100",
            f"/bench/bare/api?status=in_use&place_id={room.pk}&limit=100",
        ),
        ("API q=投影 limit=25", "/api/assets?q=投影&limit=25", "/bench/bare/api?q=投影&limit=25"),
    ]


def measure_register(client: Any, urls: list[tuple[str, str, str]], size: int) -> dict[str, float]:
    """Each page against the bare view of the same rows (ratio of p50) and its main SQL query run bare."""
    p95 = {}
    for label, url, bare_url in urls:
        timings, queries, sql, rows = time_request(client, url, "assets_asset")
        bare_view = time_request(client, bare_url, "assets_asset")[0]
        sql_p50 = statistics.median(time_bare(sql)) if sql else 0.0
        p50, p95[label], view50 = statistics.median(timings), percentile(timings, 95), statistics.median(bare_view)
        report(
            f"{size // 1000}k cards: {label}",
            rows=rows,
            queries=queries,
            p50=p50,
            p95=p95[label],
            bare_view_p50=view50,
            ratio=f"{p50 / view50:.1f}x",
            sql_p50=sql_p50,
        )
    return p95


def constant_queries(client: Any) -> None:
    counts = {limit: time_request(client, f"/api/assets?limit={limit}", "assets_asset")[1] for limit in (10, 100, 500)}
    pages = {page: time_request(client, f"/assets/?page={page}", "assets_asset")[1] for page in (1, 2, 40)}
    report("queries per API page / list page", api=counts, pages=pages)


#
# Import and export
#


def excel_like_xlsx(rows: list[list[Any]]) -> bytes:
    """A one-sheet workbook as Excel and WPS save one: text in the shared-strings table, the sheet's size declared,
    dates as day numbers with a date format. (openpyxl writes every text into its cell instead, which is twice as slow
    to read back and not what schools upload.)"""
    from xml.sax.saxutils import escape
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.utils import get_column_letter

    strings: dict[str, int] = {}
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row, start=1):
            ref = f"{get_column_letter(c)}{r}"
            if isinstance(value, dt.date):
                cells.append(f'<c r="{ref}" s="1"><v>{(value - dt.date(1899, 12, 30)).days}</v></c>')
            elif isinstance(value, int | float | Decimal):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif value not in (None, ""):
                index = strings.setdefault(str(value), len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    width = get_column_letter(max(len(row) for row in rows))
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="资产台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{main}"><fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
            + "</sst>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><dimension ref="A1:{width}{len(rows)}"/><sheetData>'
            + "".join(sheet_rows)
            + "</sheetData></worksheet>"
        ),
    }
    buffer = BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)
    return buffer.getvalue()


def ledger_upload(rows: int, rooms: list, departments: list, people: list, prefix: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    header = ["资产编号", "资产名称", "分类代码", "数量", "单价", "取得日期", "经费来源", "使用部门", "存放地点"]
    table: list[list[Any]] = [[*header, "保管人", "使用状况"]]
    for n in range(rows):
        kind = n % len(NAMES)
        table.append(
            [
                f"{prefix}-{n:06d}",
                NAMES[kind],
                CODES[kind],
                1,
                "¥4,800.00" if n % 3 else 4800,
                "2019.09" if n % 2 else dt.date(2019, 9, 1),
                "财政拨款",
                departments[n % len(departments)].name,
                rooms[n % len(rooms)].full_name,
                people[n % len(people)].name,
                "在用",
            ]
        )
    return SimpleUploadedFile(f"{prefix}.xlsx", excel_like_xlsx(table))


def measure_import() -> None:
    """A ledger of `BENCH_IMPORT_ROWS` rows (default 20,000) end to end, its peak memory growth, a bare bulk_create
    of the same rows, and a file of duplicates checked in one pass."""
    from django.db import transaction

    from houqin.assets.importing import ASSET_IMPORT
    from houqin.assets.models import Asset
    from houqin.core.importing import run_import

    count = int(os.environ.get("BENCH_IMPORT_ROWS", 20_000))
    school, keeper, rooms, departments, people = school_setup(staff=100)
    # The people's names repeat (random surnames and given names); the ledger names only those who are unique.
    names = [p.name for p in people]
    unique = [p for p in people if names.count(p.name) == 1]
    upload = ledger_upload(count, rooms, departments, unique, "IMP")
    peak_rss_reset()
    before = rss_mb()
    started = time.perf_counter()
    result = run_import(ASSET_IMPORT, upload, actor=keeper, school=school, dry_run=False)
    seconds = time.perf_counter() - started
    assert result.ok, result.errors[:5]
    report(
        f"import {count:,} rows end to end",
        seconds=seconds,
        rows_per_s=count / seconds,
        peak_growth_mb=rss_mb("VmHWM") - before,
    )
    template = list(Asset.objects.filter(school=school).values())
    for row in template:
        row.pop("id")
        row["asset_no"] = "B" + row["asset_no"]
    started = time.perf_counter()
    with transaction.atomic():
        Asset.objects.bulk_create([Asset(**row) for row in template], batch_size=2000)
    bare_seconds = time.perf_counter() - started
    report(f"bare bulk_create of the same {count:,} rows", seconds=bare_seconds, rows_per_s=count / bare_seconds)
    report("import ÷ bare bulk_create", ratio=f"{seconds / bare_seconds:.1f}x slower")
    duplicates = ledger_upload(min(count, 2_000), rooms, departments, unique, "IMP")  # every number already used
    started = time.perf_counter()
    result = run_import(ASSET_IMPORT, duplicates, actor=keeper, school=school, dry_run=True)
    report("duplicate rows: errors in one pass", errors=len(result.errors), seconds=time.perf_counter() - started)


def measure_export(client: Any) -> None:
    peak_rss_reset()
    before = rss_mb()
    started = time.perf_counter()
    response = client.get("/assets/?export=xlsx")
    chunks = iter(response.streaming_content)
    next(chunks)
    first_byte = (time.perf_counter() - started) * 1000
    size = sum(len(chunk) for chunk in chunks)
    report(
        "ledger export .xlsx (20k cards)",
        first_byte_ms=first_byte,
        total_ms=(time.perf_counter() - started) * 1000,
        size_kb=size // 1024,
        peak_growth_mb=rss_mb("VmHWM") - before,
    )


#
# The store
#


def add_movements(item_ids: list[int], school: Any, keeper: Any, count: int) -> None:
    from django.db.models import Sum

    from houqin.stock.models import StockItem, StockMovement

    now = dt.datetime(2025, 9, 1, tzinfo=dt.UTC)
    for start in range(0, count, 10_000):
        StockMovement.objects.bulk_create(
            [
                StockMovement(
                    school=school,
                    item_id=item_ids[n % len(item_ids)],
                    kind="receipt",
                    quantity=Decimal(1),
                    unit_price=Decimal("2.50"),
                    amount=Decimal("2.50"),
                    balance_after=Decimal(1),
                    actor=keeper,
                    occurred_at=now + dt.timedelta(seconds=n),
                )
                for n in range(start, min(count, start + 10_000))
            ]
        )
    for item in StockItem.objects.filter(pk__in=item_ids):  # balances as the ledger says (postings included)
        item.balance = StockMovement.objects.filter(item=item).aggregate(total=Sum("quantity"))["total"]
        item.save(update_fields=["balance"])
    analyze()


def time_postings(item: Any, keeper: Any, count: int = 200) -> list[float]:
    from houqin.stock import services

    timings = []
    for n in range(count):
        started = time.perf_counter()
        if n % 2:
            services.stock_adjust(actor=keeper, item=item, quantity=Decimal(-1), reason="基准")
        else:
            services.stock_receive(actor=keeper, item=item, quantity=Decimal(1), unit_price=Decimal("2.50"))
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def measure_store(client: Any, school: Any, keeper: Any) -> None:
    from django.db import connection

    from houqin.core.search import pinyin_index
    from houqin.stock.models import StockItem

    items = StockItem.objects.bulk_create(
        [
            StockItem(school=school, name=f"办公用品{n}", unit="个", search_text=pinyin_index(f"办公用品{n}"))
            for n in range(200)
        ]
    )
    ids = [item.pk for item in items]
    add_movements(ids, school, keeper, 30_000)
    small = time_postings(items[0], keeper)
    add_movements(ids, school, keeper, 270_000)
    large = time_postings(items[0], keeper)
    report(
        "posting a movement: 30k vs 300k movements",
        p50_30k=statistics.median(small),
        p50_300k=statistics.median(large),
        slower=f"{(statistics.median(large) / statistics.median(small) - 1) * 100:+.0f}%",
    )
    timings, queries, _, rows = time_request(client, "/api/stock/items?limit=200")
    raw = f"SELECT item_id, SUM(quantity) FROM stock_stockmovement WHERE school_id = {school.pk} GROUP BY item_id"
    bare = time_bare(raw)
    report(
        "balances: API items limit=200 vs raw GROUP BY",
        rows=rows,
        queries=queries,
        p50=statistics.median(timings),
        group_by_p50=statistics.median(bare),
        ratio=f"{statistics.median(timings) / statistics.median(bare):.2f}x",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM stock_stockitem i WHERE balance <> "
            "(SELECT COALESCE(SUM(quantity), 0) FROM stock_stockmovement m WHERE m.item_id = i.id)"
        )
        report("items whose balance differs from the ledger", count=cursor.fetchone()[0])


def measure_count(items: int = 2_000) -> None:
    """A stock count over `items` items, every one found with a difference: recording and closing, one transaction."""
    from decimal import Decimal

    from houqin.stock import services
    from houqin.stock.models import StockItem, StockMovement

    school, keeper, *_ = school_setup(staff=5)
    stock = StockItem.objects.bulk_create(
        [StockItem(school=school, name=f"盘点物品{n}", unit="个") for n in range(items)]
    )
    started = time.perf_counter()
    count = services.count_start(actor=keeper, school=school, name="基准盘点", items=stock)
    recorded = time.perf_counter()
    services.count_record(actor=keeper, count=count, entries=[(item.pk, Decimal(3), "盘盈") for item in stock])
    closing = time.perf_counter()
    services.count_close(actor=keeper, count=count)
    done = time.perf_counter()
    report(
        f"stock count of {items:,} items",
        start_ms=(recorded - started) * 1000,
        record_ms=(closing - recorded) * 1000,
        close_ms=(done - closing) * 1000,
        adjustments=StockMovement.objects.filter(school=school, kind="adjustment").count(),
    )


#
# Parts
#


def sqlite_part() -> None:
    from django.test import Client

    prepare_database("sqlite")
    school, keeper, rooms, departments, people = school_setup()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(keeper, backend="houqin.accounts.backends.RoleBackend")
    install_bare_views()
    urls = register_rows(rooms, departments)
    print(f"asset register on SQLite, {RUNS} timed requests per line (ms)", flush=True)
    add_assets(school, 20_000, rooms, departments, people)
    p95_20k = measure_register(client, urls, 20_000)
    measure_export(client)
    add_assets(school, 30_000, rooms, departments, people, start=20_000)
    measure_register(client, urls, 50_000)
    constant_queries(client)
    add_assets(school, 50_000, rooms, departments, people, start=50_000)
    p95_100k = measure_register(client, urls, 100_000)
    for label in p95_20k:
        report(f"p95 100k ÷ 20k: {label}", ratio=f"{p95_100k[label] / p95_20k[label]:.2f}x")
    measure_store(client, school, keeper)
    measure_import()


def postgres_part() -> None:
    prepare_database("postgres")  # django.setup() first: the imports below load models
    from django.core.exceptions import ValidationError
    from django.db import connection

    from houqin.accounts.roles import Role
    from houqin.core.testing import make_user
    from houqin.stock import services
    from houqin.stock.models import StockItem, StockMovement

    school, keeper, *_ = school_setup(staff=30)
    teacher = make_user("bench_teacher", role=Role.STAFF, school=school)
    approver = make_user("bench_logistics", role=Role.LOGISTICS_HEAD, school=school)
    keepers = [make_user(f"bench_keeper{n}", role=Role.ASSET_KEEPER, school=school) for n in range(20)]
    item = services.item_create(actor=keeper, school=school, name="复印纸", unit="包")
    services.stock_receive(actor=keeper, item=item, quantity=Decimal(1000), unit_price=Decimal("25.00"))
    per_thread, each = 10, Decimal(7)
    requisitions = []
    for n in range(20 * per_thread):
        requisition = services.requisition_create(actor=teacher, lines=[(item, each)], purpose=f"班级{n}")
        requisitions.append(services.requisition_approve(actor=approver, requisition=requisition))
    outcomes: list[str] = []
    barrier = threading.Barrier(20)

    def issue(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            for requisition in requisitions[n * per_thread : (n + 1) * per_thread]:
                try:
                    services.requisition_issue(actor=keepers[n], requisition=requisition)
                    outcomes.append("issued")
                except ValidationError:
                    outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(n,)) for n in range(20)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    seconds = time.perf_counter() - started
    item.refresh_from_db()
    ledger = sum(m.quantity for m in StockMovement.objects.filter(item=item))
    issued = outcomes.count("issued")
    report(
        "PostgreSQL: 20 storekeepers, 200 issues of 7 from 1000",
        issued=issued,
        refused=outcomes.count("refused"),
        balance=str(item.balance),
        ledger=str(ledger),
        oversold=str(max(Decimal(0), issued * each - 1000)),
        issues_per_s=len(outcomes) / seconds,
    )
    assert item.balance >= 0 and item.balance == ledger == StockItem.objects.get(pk=item.pk).balance


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=["sqlite", "import", "count", "postgres"], required=True)
    args = parser.parse_args()
    if args.part == "import":  # the import alone, on a fresh database
        prepare_database("sqlite")
        measure_import()
    elif args.part == "count":
        prepare_database("sqlite")
        measure_count()
    else:
        sqlite_part() if args.part == "sqlite" else postgres_part()


if __name__ == "__main__":
    main()
