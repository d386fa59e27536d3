"""Demo purchasing for 实验小学: a semester of requests through the services — sports equipment bought after three
quotes (货比三家), office computers through government procurement with the e-mall order number (the seeds'
"通过政府采购渠道采购了价值5万6千元的电脑"), art supplies accepted into the store, calligraphy desks with a dearer
supplier chosen for a reason, requests waiting at each level of the approval chain, one rejected because the
store has stock, a draft — and the donations register with the parent who sponsored the fountain and the asphalt
(赞助, "总共为学校节约五万多元") and a gift of books at the nominal amount."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from houqin.demo.registry import DemoContext, DemoSchool, register_step
from houqin.procurement import selectors, services
from houqin.procurement.choices import DonationKind, DonorKind, FundingSource, LineKind, ProcurementMethod, ValueBasis
from houqin.procurement.models import PurchaseRequest, Supplier
from houqin.procurement.services import AcceptedLine, LineData

# name, contact, phone, licence number, licence expiry
SUPPLIERS = [
    ("城区体育用品商店", "马建军", "13904511234", "91230102MA1B2C3D4E", dt.date(2028, 6, 30)),
    ("博文文体用品有限公司", "孙丽", "13766543210", "91230103MA5F6G7H8J", dt.date(2027, 12, 31)),
    ("健民体育器材经销部", "王强", "15045678901", "92230104MA9K8L7M6N", dt.date(2026, 3, 31)),
    ("翰墨文房用品店", "刘文", "13845670012", "92230105MA1P2Q3R4S", dt.date(2029, 5, 31)),
    ("雅风家具厂", "陈志远", "13644448888", "91230106MA5T6U7V8W", dt.date(2030, 1, 31)),
]


@dataclass
class Plan:
    """One demo request and how far it goes."""

    title: str
    requester: str
    department: str
    reason: str
    lines: list[LineData]
    funding: str = FundingSource.SELF_RAISED
    method: str | None = None
    stage: str = "accepted"  # draft, submitted, principal, bureau, rejected, approved, ordered, accepted
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (supplier, amount); the first is chosen
    justification: str = ""
    reference_number: str = ""
    exemption: str = ""


def _line(name: str, quantity: int, price: str, unit: str, spec: str = "", **extra: Any) -> LineData:
    return LineData(
        name=name, quantity=Decimal(quantity), unit=unit, estimated_unit_price=Decimal(price), spec=spec, **extra
    )


def _asset(name: str, quantity: int, price: str, unit: str, spec: str = "", code: str = "") -> LineData:
    return _line(name, quantity, price, unit, spec, kind=LineKind.ASSET, category_code=code)


PLANS = [
    Plan(
        "体育课器材补充",
        "teacher",
        "教导处",
        "体育课及大课间活动器材损耗，需补充跳绳、篮球、足球。",
        [
            _line("跳绳", 100, "15.00", "根", "竹节"),
            _line("篮球", 20, "120.00", "个", "7号"),
            _line("足球", 20, "110.00", "个", "5号"),
        ],
        quotes=[
            ("城区体育用品商店", "5980.00"),
            ("健民体育器材经销部", "6050.00"),
            ("博文文体用品有限公司", "6200.00"),
        ],
    ),
    Plan(
        "美术课耗材",
        "headteacher",
        "教导处",
        "三至六年级美术课国画单元所需材料。",
        [
            _line("水彩颜料", 60, "18.00", "盒", "12色"),
            _line("宣纸", 20, "45.00", "刀", "四尺"),
            _line("墨汁", 30, "12.00", "瓶", "250ml"),
        ],
    ),
    Plan(
        "教师办公电脑更新",
        "admin",
        "教导处",
        "教师办公室电脑使用超过八年，运行缓慢，按集中采购目录通过政府采购电子卖场购买。",
        [_asset("台式计算机", 8, "7000.00", "台", "联想启天M455", code="A02010105")],
        funding=FundingSource.FISCAL,
        method=ProcurementMethod.GOVERNMENT,
        quotes=[("联想电子卖场授权服务商", "55200.00")],
        reference_number="电子卖场订单 DZMC-2026-091503",
    ),
    Plan(
        "书法教室书法桌",
        "headteacher",
        "教导处",
        "新建书法教室配备书法桌。",
        [_asset("书法桌", 20, "265.00", "套", "实木 1.2米", code="A05")],
        quotes=[("雅风家具厂", "5300.00"), ("博文文体用品有限公司", "5150.00")],
        justification="雅风家具厂为实木材质且质保三年，另一家为密度板",
        exemption="本地仅两家可供同规格书法桌",
    ),
    Plan(
        "功能厅音响设备",
        "logistics",
        "总务处",
        "功能厅举办区级教研活动需要扩音设备。",
        [_asset("高频音响", 2, "2350.00", "支", "专业会议音箱")],
        stage="ordered",
    ),
    Plan(
        "教学楼灭火器更换",
        "safety",
        "德育处",
        "消防检查发现教学楼部分灭火器压力不足、临近报废年限，需整体更换。",
        [_asset("干粉灭火器", 40, "85.00", "具", "MFZ/ABC4")],
        stage="approved",
    ),
    Plan(
        "卫生防疫物资",
        "doctor",
        "校医室",
        "秋季开学晨午检及教室消毒备用。",
        [_line("免洗手消毒凝胶", 50, "16.00", "瓶", "500ml"), _line("一次性医用手套", 20, "25.00", "盒", "100只")],
        stage="submitted",
    ),
    Plan(
        "A4复印纸",
        "headteacher",
        "一年级组",
        "期中考试试卷印制。",
        [_line("A4复印纸", 50, "22.50", "包", "70g 500张/包")],
        stage="rejected",
    ),
    Plan(
        "科学实验室仪器补充",
        "teacher",
        "教导处",
        "科学课分组实验仪器不足，按教学仪器配备标准补充。",
        [_asset("学生显微镜", 25, "680.00", "台", "XSP-2CA")],
        funding=FundingSource.FISCAL,
        stage="principal",
    ),
    Plan(
        "录播教室建设",
        "logistics",
        "总务处",
        "建设一间常态化录播教室，用于公开课录制和区级教研。",
        [_asset("录播系统", 1, "168000.00", "套", "四机位")],
        funding=FundingSource.FISCAL,
        stage="bureau",
    ),
    Plan(
        "班级图书角书架",
        "teacher",
        "三年级组",
        "三年级各班建设图书角。",
        [_asset("书架", 5, "320.00", "个", "五层")],
        stage="draft",
    ),
]
STAGES = ["draft", "submitted", "principal", "bureau", "approved", "ordered", "accepted"]


class Demo:
    """The demo school's users and people, and the steps that take one plan as far as it goes."""

    def __init__(self, ctx: DemoContext, demo: DemoSchool):
        self.ctx, self.demo = ctx, demo
        self.inspectors = [demo.staff["assetkeeper"], demo.staff["logistics"]]

    def user(self, username: str) -> Any:
        return self.ctx.users[username]

    def draft(self, plan: Plan) -> PurchaseRequest:
        return services.request_create(
            actor=self.user(plan.requester),
            title=plan.title,
            lines=plan.lines,
            funding_source=plan.funding,
            reason=plan.reason,
            department=self.demo.departments[plan.department],
            method=plan.method,
        )

    def approve_until(self, request: PurchaseRequest, stage: str) -> None:
        """Approve step by step until the request waits at `stage` (principal, bureau) or is approved. The principal
        decides the first step of the logistics director's own requests."""
        while True:
            request.refresh_from_db()
            if request.status != "submitted" or request.current_level == stage:
                return
            approver = request.current_level
            if approver == "logistics" and request.requested_by_id == self.user("logistics").pk:
                approver = "principal"
            services.request_approve(actor=self.user(approver), request=request, comment="同意")

    def quotes(self, plan: Plan, request: PurchaseRequest) -> None:
        buyer = self.user("logistics")
        added = [
            services.quote_add(actor=buyer, request=request, supplier_name=name, amount=Decimal(amount))
            for name, amount in plan.quotes
        ]
        if added:
            services.quote_choose(actor=buyer, quote=added[0], justification=plan.justification)

    def accept(self, request: PurchaseRequest) -> None:
        prices = selectors.suggested_unit_prices(request)
        services.acceptance_record(
            actor=self.user("assetkeeper"),
            request=request,
            inspectors=self.inspectors,
            lines=[AcceptedLine(line, line.quantity, prices[line.pk]) for line in request.lines.all()],
            passed=True,
            note="数量、规格与订单一致",
        )

    def run(self, plan: Plan) -> PurchaseRequest:
        request = self.draft(plan)
        self.quotes(plan, request)
        if plan.stage == "draft":
            return request
        services.request_submit(actor=self.user(plan.requester), request=request)
        if plan.stage == "rejected":
            services.request_reject(actor=self.user("logistics"), request=request, comment="库房尚有存货，请先领用")
            return request
        if plan.stage == "submitted":
            return request
        self.approve_until(request, plan.stage)
        if STAGES.index(plan.stage) < STAGES.index("ordered"):
            return request
        services.request_order(
            actor=self.user("logistics"),
            request=request,
            reference_number=plan.reference_number,
            quote_exemption_reason=plan.exemption,
        )
        if plan.stage == "accepted":
            self.accept(request)
        return request


def _suppliers(school: Any, buyer: Any) -> None:
    for name, contact, phone, licence, expires in SUPPLIERS:
        services.supplier_create(
            actor=buyer,
            school=school,
            name=name,
            contact_name=contact,
            phone=phone,
            licence_number=licence,
            licence_expires_on=expires,
        )


PARENT = ("五年二班朱厚达同学家长", DonorKind.PARENT)
# donor, kind, what, received on, value (None: nominal), receipt number, purpose, use
DONATIONS = [
    (
        PARENT,
        DonationKind.WORKS,
        "修建自动控制喷泉及养鱼池（拆除旧式花池）",
        dt.date(2026, 5, 28),
        "28600.00",
        "公益捐赠票据 No.00320115",
        "美化校园环境",
        "五月建成，课间自动喷出水雾，校园空气湿润。",
    ),
    (
        PARENT,
        DonationKind.WORKS,
        "操场南侧教学楼前加高并铺设沥青路面四百余平方米",
        dt.date(2026, 6, 8),
        "24500.00",
        "公益捐赠票据 No.00320116",
        "解决校门前积水和车库门灌水问题",
        "六月初完工，雨后校门前不再积水。",
    ),
    (
        ("2010届校友", DonorKind.ALUMNI),
        DonationKind.GOODS,
        "课外读物一批（约300册，旧书）",
        dt.date(2026, 9, 10),
        None,
        "公益捐赠票据 No.00320131",
        "充实班级图书角",
        "",
    ),
]


def _donations(school: Any, accountant: Any) -> None:
    for (donor, donor_kind), kind, what, received_on, value, receipt, purpose, use in DONATIONS:
        services.donation_create(
            actor=accountant,
            school=school,
            donor_name=donor,
            donor_kind=donor_kind,
            kind=kind,
            description=what,
            received_on=received_on,
            value=Decimal(value) if value else None,
            value_basis=ValueBasis.MARKET if value else ValueBasis.NOMINAL,
            receipt_number=receipt,
            purpose=purpose,
            use=use,
        )


@register_step(order=130)
def purchasing(ctx: DemoContext) -> None:
    demo_school = ctx.schools[0]
    school = demo_school.school
    _suppliers(school, ctx.users["logistics"])
    demo = Demo(ctx, demo_school)
    for plan in PLANS:
        demo.run(plan)
    _donations(school, ctx.users["accountant"])
    DemoContext.loaded(PurchaseRequest, len(PLANS), school=school)
    DemoContext.loaded(Supplier, len(SUPPLIERS), school=school)
