"""Demo consumables for 实验小学: a store of office, cleaning and protective supplies, a term of receipts and
requisitions (the seeds' 84消毒液, 口罩, 温度计 among them), some items below their minimum."""

from __future__ import annotations

from decimal import Decimal

from houqin.demo.registry import DemoContext, register_step
from houqin.stock import services
from houqin.stock.choices import Amortisation, ItemCategory

# name, spec, unit, category, unit price, received, minimum
ITEMS = [
    ("A4复印纸", "70g 500张/包", "包", ItemCategory.OFFICE, "22.50", 200, 40),
    ("中性笔", "0.5mm 黑色", "支", ItemCategory.OFFICE, "1.80", 600, 100),
    ("红色中性笔", "0.5mm 红色", "支", ItemCategory.OFFICE, "1.80", 300, 80),
    ("备课本", "16K", "本", ItemCategory.TEACHING, "4.50", 240, 60),
    ("粉笔", "无尘 白色", "盒", ItemCategory.TEACHING, "6.00", 120, 30),
    ("彩色粉笔", "无尘 12色", "盒", ItemCategory.TEACHING, "9.00", 40, 15),
    ("白板笔", "黑色", "支", ItemCategory.TEACHING, "3.50", 150, 40),
    ("订书钉", "24/6", "盒", ItemCategory.OFFICE, "2.00", 50, 10),
    ("硒鼓", "HP 88A", "个", ItemCategory.OFFICE, "160.00", 10, 4),
    ("84消毒液", "500ml", "瓶", ItemCategory.CLEANING, "8.50", 96, 30),
    ("洗手液", "500ml", "瓶", ItemCategory.CLEANING, "12.00", 60, 20),
    ("垃圾袋", "大号 50只/卷", "卷", ItemCategory.CLEANING, "6.50", 80, 20),
    ("扫把", "", "把", ItemCategory.CLEANING, "15.00", 30, 10),
    ("拖把", "", "把", ItemCategory.CLEANING, "25.00", 20, 8),
    ("医用口罩", "一次性 50只/盒", "盒", ItemCategory.MEDICAL, "18.00", 100, 20),
    ("体温计", "电子", "支", ItemCategory.MEDICAL, "25.00", 15, 5),
    ("红外线测温仪", "", "台", ItemCategory.MEDICAL, "450.00", 2, 1),
    ("创可贴", "100片/盒", "盒", ItemCategory.MEDICAL, "12.00", 12, 5),
    ("小型喷壶", "", "个", ItemCategory.CLEANING, "6.00", 12, 4),
    ("灯管", "LED T8 1.2m", "根", ItemCategory.MAINTENANCE, "18.00", 40, 10),
    ("水龙头", "", "个", ItemCategory.MAINTENANCE, "35.00", 10, 3),
]
SUPPLIERS = ["城区文具批发部", "惠民日用百货", "康健医疗器械店", "明亮五金电料"]
# (item, quantity, purpose, status): status "issued", "approved" or "pending"
REQUISITIONS = [
    ("A4复印纸", 20, "期中考试试卷印制", "issued"),
    ("84消毒液", 40, "各班教室每日消毒", "issued"),
    ("医用口罩", 85, "晨午检及隔离观察室备用", "issued"),
    ("粉笔", 95, "各班开学领用", "issued"),
    ("备课本", 60, "新学期备课", "issued"),
    ("硒鼓", 7, "教导处打印机", "issued"),
    ("洗手液", 10, "一楼卫生间", "approved"),
    ("中性笔", 30, "五年级组办公用品", "pending"),
    ("白板笔", 12, "微机室", "pending"),
]


@register_step(order=200)
def consumables(ctx: DemoContext) -> None:
    demo_school = ctx.schools[0]
    school, keeper, head = demo_school.school, ctx.users["assetkeeper"], ctx.users["logistics"]
    items = {}
    for n, (name, spec, unit, category, price, received, minimum) in enumerate(ITEMS):
        item = services.item_create(
            actor=keeper,
            school=school,
            name=name,
            spec=spec,
            unit=unit,
            category=category,
            amortisation=Amortisation.ONE_OFF,
            min_quantity=Decimal(minimum),
        )
        services.stock_receive(
            actor=keeper,
            item=item,
            quantity=Decimal(received),
            unit_price=Decimal(price),
            supplier_name=SUPPLIERS[n % len(SUPPLIERS)],
            source="开学采购",
        )
        items[name] = item
    requesters = [ctx.users["teacher"], ctx.users["headteacher"], ctx.users["doctor"], ctx.users["canteen"]]
    for n, (name, quantity, purpose, status) in enumerate(REQUISITIONS):
        requester = requesters[n % len(requesters)]
        requisition = services.requisition_create(
            actor=requester, lines=[(items[name], Decimal(quantity))], purpose=purpose
        )
        if status in ("approved", "issued"):
            services.requisition_approve(actor=head, requisition=requisition, comment="同意")
        if status == "issued":
            services.requisition_issue(actor=keeper, requisition=requisition)
    DemoContext.loaded(type(items["A4复印纸"]), len(items), school=school)
