"""What the demo district looks like: names, departments, staff, buildings, tenants, logins.

Plain data (Chinese names are data, not UI text). The two schools follow the semester summaries of 实验小学 and
中南路小学: temporary drivers, cooks and a night watchman; a kindergarten and a cooks' school renting space;
a gate lodge with a police room and a reception room; a new computer room and a function hall.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from houqin.accounts.roles import Role
from houqin.orgs.choices import PersonKind, PlaceUse, SchoolKind, TenantKind

DEMO_PASSWORD = "houqin-demo"
DEMO_SEED = 20260901

DISTRICT_NAME = "示例区教育局"
DISTRICT_CODE = "SLQ"

SEMESTERS: tuple[tuple[str, dt.date, dt.date], ...] = (
    ("2026-2027学年第一学期", dt.date(2026, 9, 1), dt.date(2027, 1, 20)),
    ("2026-2027学年第二学期", dt.date(2027, 2, 22), dt.date(2027, 7, 9)),
)

GRADE_NAMES = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
CLASS_NUMBERS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
    "崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_BOY = "浩宇轩然博文俊杰明辰泽睿涛鹏志强磊瑞航天昊铭诚嘉鑫晨阳凯乐豪正清远思源家伟宏建国涵华军福勇平斌"
GIVEN_GIRL = "欣怡梓涵雨萱子琪诗婷佳悦可馨思彤语嫣雅静梦瑶晓雪丽娜慧敏芳婉若兰心妍依彤雪晴月紫玉娟燕梅红霞芬萍"
PHONE_PREFIXES = ("133", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "186", "187", "189")


def grade_name(grade: int) -> str:
    return f"{GRADE_NAMES[grade - 1]}年级"


def class_name(grade: int, number: int) -> str:
    """(5, 2) -> '五年级二班'."""
    return f"{grade_name(grade)}{CLASS_NUMBERS[number - 1]}班"


@dataclass(frozen=True)
class StaffSpec:
    """Staff of one post in one department; `login` links the person to a demo login."""

    department: str
    job_title: str
    count: int = 1
    name: str = ""  # fixed name (demo logins); generated when empty
    login: str = ""
    kind: str = PersonKind.STAFF


@dataclass(frozen=True)
class RoomSpec:
    name: str
    use: str
    code: str = ""


@dataclass(frozen=True)
class BuildingSpec:
    """A building with its floors (each a tuple of rooms); `rooms` hang directly in a building without floors."""

    name: str
    floors: tuple[tuple[RoomSpec, ...], ...] = ()
    rooms: tuple[RoomSpec, ...] = ()


@dataclass(frozen=True)
class TenantSpec:
    name: str
    kind: str
    contact_name: str
    place: str  # full name of its premises
    notes: str = ""


@dataclass(frozen=True)
class SchoolSpec:
    """One demo school: its classes, departments, staff, buildings and tenants."""

    name: str
    code: str
    address: str
    classes_per_grade: int
    students_per_class: tuple[int, int]
    grade_groups: tuple[tuple[str, tuple[int, ...]], ...]  # department name, grades it holds
    departments: tuple[str, ...]
    staff: tuple[StaffSpec, ...]
    subject_teachers_per_group: int
    buildings: tuple[BuildingSpec, ...]
    areas: tuple[RoomSpec, ...]
    tenants: tuple[TenantSpec, ...]
    head_teacher_logins: dict[str, tuple[str, str]] = field(default_factory=dict)  # class -> (login, name)
    teacher_login: tuple[str, str, str] = ("", "", "")  # (department, login, name) of one subject teacher


def teaching_building(name: str, floors: int, rooms_per_floor: int, extra: tuple[str, ...] = ()) -> BuildingSpec:
    """A teaching building: classrooms 101…, 201…, and on every floor the rooms named in `extra`."""
    return BuildingSpec(
        name=name,
        floors=tuple(
            tuple(RoomSpec(f"{f}{r:02d}", PlaceUse.CLASSROOM, f"{f}{r:02d}") for r in range(1, rooms_per_floor + 1))
            + tuple(RoomSpec(f"{f}楼{x}", PlaceUse.OFFICE if "办公室" in x else PlaceUse.TOILET) for x in extra)
            for f in range(1, floors + 1)
        ),
    )


def _rooms(*rooms: tuple[str, str]) -> tuple[RoomSpec, ...]:
    return tuple(RoomSpec(name, use) for name, use in rooms)


SHIYAN = SchoolSpec(
    name="实验小学",
    code="SY01",
    address="示例区人民路88号",
    classes_per_grade=5,
    students_per_class=(38, 42),
    grade_groups=tuple((f"{grade_name(g)}组", (g,)) for g in range(1, 7)),
    departments=("校长室", "总务处", "教导处", "德育处", "食堂", "门卫", "校医室"),
    staff=(
        StaffSpec("校长室", "校长", name="刘建华", login="principal"),
        StaffSpec("校长室", "副校长"),
        StaffSpec("校长室", "后勤安全副校长"),
        StaffSpec("总务处", "后勤主任", name="李国强", login="logistics"),
        StaffSpec("总务处", "会计", name="陈丽娟", login="accountant"),
        StaffSpec("总务处", "出纳"),
        StaffSpec("总务处", "校产管理员", name="赵春燕", login="assetkeeper"),
        StaffSpec("总务处", "司机", count=2, kind=PersonKind.TEMPORARY),
        StaffSpec("总务处", "打更员", kind=PersonKind.TEMPORARY),
        StaffSpec("教导处", "教导主任"),
        StaffSpec("教导处", "信息管理员", name="王海涛", login="admin"),
        StaffSpec("教导处", "教务员"),
        StaffSpec("德育处", "德育主任"),
        StaffSpec("德育处", "安全干部", name="孙立军", login="safety"),
        StaffSpec("德育处", "大队辅导员"),
        StaffSpec("食堂", "食堂管理员", name="周玉梅", login="canteen"),
        StaffSpec("食堂", "厨师", count=3, kind=PersonKind.TEMPORARY),
        StaffSpec("门卫", "门卫", name="郑德福", login="guard"),
        StaffSpec("门卫", "保安", kind=PersonKind.TEMPORARY),
        StaffSpec("校医室", "校医", name="吴晓红", login="doctor"),
    ),
    subject_teachers_per_group=2,
    buildings=(
        teaching_building("教学楼", floors=3, rooms_per_floor=10, extra=("东办公室", "西办公室", "卫生间")),
        BuildingSpec(
            "综合楼",
            floors=(
                _rooms(
                    ("校长室", PlaceUse.OFFICE),
                    ("总务处", PlaceUse.OFFICE),
                    ("教导处", PlaceUse.OFFICE),
                    ("德育处", PlaceUse.OFFICE),
                    ("校医室", PlaceUse.OFFICE),
                    ("会议室", PlaceUse.FUNCTION_ROOM),
                    ("幼儿园活动室", PlaceUse.OTHER),
                ),
                _rooms(
                    ("微机室", PlaceUse.FUNCTION_ROOM),
                    ("科学实验室", PlaceUse.LAB),
                    ("图书室", PlaceUse.FUNCTION_ROOM),
                    ("音乐教室", PlaceUse.FUNCTION_ROOM),
                    ("美术教室", PlaceUse.FUNCTION_ROOM),
                ),
                _rooms(
                    ("多功能厅", PlaceUse.FUNCTION_ROOM),
                    ("档案室", PlaceUse.STOREROOM),
                    ("体育器材室", PlaceUse.STOREROOM),
                    ("总务库房", PlaceUse.STOREROOM),
                ),
            ),
        ),
        BuildingSpec(
            "食堂",
            floors=(
                _rooms(
                    ("操作间", PlaceUse.CANTEEN),
                    ("学生餐厅", PlaceUse.CANTEEN),
                    ("留样间", PlaceUse.CANTEEN),
                    ("食品库房", PlaceUse.STOREROOM),
                ),
                _rooms(("教工餐厅", PlaceUse.CANTEEN), ("培训教室", PlaceUse.FUNCTION_ROOM)),
            ),
        ),
        BuildingSpec("门卫室", rooms=_rooms(("值班室", PlaceUse.GATE), ("监控室", PlaceUse.GATE))),
    ),
    areas=_rooms(("操场", PlaceUse.SPORTS), ("校门", PlaceUse.GATE), ("车库", PlaceUse.OTHER)),
    tenants=(
        TenantSpec(
            "小太阳幼儿园",
            TenantKind.KINDERGARTEN,
            "杜红霞",
            "综合楼 / 1层 / 幼儿园活动室",
            "租用综合楼一层；校车第二趟等车的学生在幼儿三班教室候车。",
        ),
        TenantSpec(
            "鸿福厨师培训学校",
            TenantKind.TRAINING,
            "宋大勇",
            "食堂 / 2层 / 培训教室",
            "租用食堂二层，以为教职工提供早、中餐抵顶部分房租。",
        ),
    ),
    head_teacher_logins={"五年级二班": ("headteacher", "冯晓梅")},
    teacher_login=("五年级组", "teacher", "何文静"),
)

ZHONGNAN = SchoolSpec(
    name="中南路小学",
    code="ZN02",
    address="示例区中南一路12号",
    classes_per_grade=2,
    students_per_class=(36, 40),
    grade_groups=(("低年级组", (1, 2)), ("中年级组", (3, 4)), ("高年级组", (5, 6))),
    departments=("校长室", "总务处", "教导处", "大队部", "门卫", "校医室"),
    staff=(
        StaffSpec("校长室", "校长", name="屈志明", login="principal2"),
        StaffSpec("校长室", "副校长"),
        StaffSpec("总务处", "后勤主任", name="伍建军", login="logistics2"),
        StaffSpec("总务处", "会计"),
        StaffSpec("总务处", "校产管理员"),
        StaffSpec("教导处", "教导主任"),
        StaffSpec("教导处", "教务员"),
        StaffSpec("大队部", "大队辅导员"),
        StaffSpec("门卫", "校门安保员", count=2, kind=PersonKind.TEMPORARY),
        StaffSpec("校医室", "校医"),
    ),
    subject_teachers_per_group=1,
    buildings=(
        teaching_building("1号教学楼", floors=3, rooms_per_floor=4, extra=("教师办公室",)),
        BuildingSpec(
            "综合楼",
            floors=(
                _rooms(
                    ("功能厅", PlaceUse.FUNCTION_ROOM),
                    ("校长室", PlaceUse.OFFICE),
                    ("总务处", PlaceUse.OFFICE),
                    ("幼儿园教室", PlaceUse.OTHER),
                ),
                _rooms(
                    ("微机室", PlaceUse.FUNCTION_ROOM),
                    ("图书室", PlaceUse.FUNCTION_ROOM),
                    ("书法室", PlaceUse.FUNCTION_ROOM),
                    ("库房", PlaceUse.STOREROOM),
                ),
            ),
        ),
        BuildingSpec("食堂", floors=(_rooms(("厨师学校操作间", PlaceUse.CANTEEN), ("餐厅", PlaceUse.CANTEEN)),)),
        BuildingSpec("门卫室", rooms=_rooms(("警务室", PlaceUse.GATE), ("接待室", PlaceUse.GATE))),
    ),
    areas=_rooms(("操场", PlaceUse.SPORTS), ("校门", PlaceUse.GATE), ("东侧围墙", PlaceUse.OTHER)),
    tenants=(
        TenantSpec("中南幼儿园", TenantKind.KINDERGARTEN, "黄丽", "综合楼 / 1层 / 幼儿园教室"),
        TenantSpec(
            "中南厨师学校",
            TenantKind.TRAINING,
            "向国平",
            "食堂 / 1层 / 厨师学校操作间",
            "以提供教师及门卫早、中餐抵代房租。",
        ),
    ),
)

SCHOOLS = (SHIYAN, ZHONGNAN)
SCHOOL_KIND = SchoolKind.PRIMARY


@dataclass(frozen=True)
class DemoLogin:
    """One demo account: `school` is the index into SCHOOLS, None for the district."""

    username: str
    role: str
    school: int | None
    name: str = ""


# The accounts promised by the public API contract ("Demo accounts"), in the order they are listed.
DEMO_LOGINS = (
    DemoLogin("admin", Role.SCHOOL_ADMIN, 0),
    DemoLogin("principal", Role.PRINCIPAL, 0),
    DemoLogin("logistics", Role.LOGISTICS_HEAD, 0),
    DemoLogin("accountant", Role.ACCOUNTANT, 0),
    DemoLogin("assetkeeper", Role.ASSET_KEEPER, 0),
    DemoLogin("safety", Role.SAFETY_OFFICER, 0),
    DemoLogin("canteen", Role.CANTEEN_MANAGER, 0),
    DemoLogin("doctor", Role.DOCTOR, 0),
    DemoLogin("guard", Role.GUARD, 0),
    DemoLogin("headteacher", Role.HEAD_TEACHER, 0),
    DemoLogin("teacher", Role.STAFF, 0),
    DemoLogin("principal2", Role.PRINCIPAL, 1),
    DemoLogin("logistics2", Role.LOGISTICS_HEAD, 1),
    DemoLogin("bureau", Role.BUREAU_STAFF, None, name="钱文斌"),
)
