"""The workbook contract in one place: sheets, columns, aliases, categories.

The loader, the template, the validation messages and the tests all read
these definitions, so a sheet or column renamed here is renamed everywhere.
The contract, as a clerk reads it, is ``docs/workbook-format.md``; a test holds
the two together.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

DATE, TEXT, INT, MONEY, CATEGORY, RESULT = "date", "text", "int", "money", "category", "result"

KIND_LABELS = {
    DATE: "日期",
    TEXT: "文字",
    INT: "整数",
    MONEY: "金额（元）",
    CATEGORY: "下拉选项",
    RESULT: "名次或奖项",
}

# Limits. The store's columns are this long (database.py sizes its String(N) columns from these), and the
# loader checks or shortens every value on the way in, so an import never fails on a length.
UNIT_LENGTH = 200         # a unit's name (单位 column, 单位信息's 单位名称): longer is an error at its cell
PERIOD_TEXT_LENGTH = 100  # 单位信息's 报告期, a note: longer is kept shortened, with a warning
SHEET_LENGTH = 100        # a sheet's name as kept with its rows and issues: longer is kept shortened
COLUMN_LENGTH = 100       # a header as kept with issues: longer is kept shortened
CELL_LENGTH = 20          # a cell reference as kept with issues (XFD1048576 is 10)
CHOICE_LENGTH = 20        # a stored category or result: every choice is held to it below
FILE_NAME_LENGTH = 300    # a batch's file name

# Numbers, per row: far above any real record, far below what breaks the arithmetic. A million rows at the
# limits sum to 10^13 people, exact in int64 and in float64 (exact to 2^53 = 9.0 x 10^15), and to 10^17 fen,
# which the store's int64 fen hold 90 times over; one amount at the limit is 10^11 fen, exact to the fen as a
# float64. (Without a limit, 1e19 people or 1e17 yuan wrapped round int64 and came back negative.)
MAX_COUNT = 10_000_000          # 人次, 人数, 件数, 获奖数: 1000万 in one row
MAX_YUAN = 1_000_000_000        # money in one row: 10亿元
MAX_MEMBERS = 100_000_000       # 会员人数 of one unit: 1亿 (batch_units.members is a 32-bit integer)
MAX_PLACE = 9999                # 第9999名

# Characters a cell may hold but no text should: C0 controls (tab, newline and carriage return are spacing and
# are collapsed like spaces), DEL, C1 controls, lone surrogates and the Unicode noncharacters. An .xlsx brings
# them as `_x0001_` escapes, an .xls as they are; none can be written back to an .xlsx or a .docx.
_NONCHARACTERS = "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
INVISIBLE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")


def visible(text: str) -> str:
    """`text` without the invisible control characters; clean text (nearly all of it) costs one isprintable()."""
    if text.isprintable() or not INVISIBLE.search(text):
        return text
    return INVISIBLE.sub("", text)


def clip(text: str, length: int) -> str:
    """`text` as a column of `length` characters keeps it: whole when it fits, else cut, ending in …"""
    return text if len(text) <= length else text[: length - 1] + "…"


TOTAL_WORDS = ("合计", "总计", "小计")
EXAMPLE_MARK = "【示例】"
OTHER = "其他"
OTHER_AWARD = "其他奖项"
UNSPECIFIED = "未注明"
MAXIMUM = {INT: MAX_COUNT, MONEY: MAX_YUAN}


@dataclass(frozen=True, eq=False)
class Column:
    key: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    help: str
    required: bool = False
    default: object = None
    choices: tuple[str, ...] = ()
    synonyms: dict[str, str] = field(default_factory=dict)
    minimum: int = 0
    width: int = 14
    maximum: float | None = None
    max_length: int | None = None

    def __post_init__(self) -> None:
        if self.kind in (CATEGORY, RESULT):
            stored = {*self.choices, *self.synonyms.values(), OTHER, OTHER_AWARD}
            if isinstance(self.default, str):
                stored.add(self.default)
            too_long = sorted(c for c in stored if len(c) > CHOICE_LENGTH)
            if too_long:
                raise ValueError(f"choices of {self.key!r} longer than {CHOICE_LENGTH} characters: {too_long}")

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def upper(self) -> float | None:
        """The largest number one cell of the column may hold (money in yuan); None for other kinds."""
        return self.maximum if self.maximum is not None else MAXIMUM.get(self.kind)


@dataclass(frozen=True, eq=False)
class Sheet:
    key: str
    name: str
    aliases: tuple[str, ...]
    description: str
    columns: tuple[Column, ...]
    at_least_one: tuple[str, ...] = ()
    example: dict[str, object] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _date(*aliases: str) -> Column:
    return Column(
        "date", "日期", aliases + ("时间", "date"), DATE,
        "Excel 日期，或文字 2024-03-08、2024/3/8、2024.3.8、2024年3月8日、20240308",
        required=True, width=13,
    )


UNIT = Column(
    "unit", "单位", ("所属单位", "基层工会", "unit"), TEXT,
    "基层工会或部门名称；不填则取「单位信息」表的单位名称，都没有时导入时须填写单位名称（不取文件名）", width=20,
    max_length=UNIT_LENGTH,
)
NOTES = Column("notes", "备注", ("说明", "notes"), TEXT, "可不填", width=24)

EVENT_CATEGORIES = ("文体活动", "节日活动", "参观旅游", "学习培训", "民主管理", "志愿公益", OTHER)
VISIT_REASONS = (
    "生病住院", "结婚", "生育", "丧事", "困难帮扶", "离退休慰问",
    "生日祝寿", "节日慰问", "谈心谈话", OTHER,
)
VISIT_GROUPS = ("在职职工", "离退休人员", "女职工", "学生", OTHER)
DONATION_KINDS = ("集体", "个人", "特殊党费", OTHER)
LEVELS = ("本单位", "系统内", "区县级", "市级", "省级", "全国")
ENTRY_KINDS = ("团体", "个人")
RESULT_CHOICES = (
    "第一名", "第二名", "第三名", "第四名", "第五名", "第六名", "一等奖", "二等奖", "三等奖", "优秀奖", "参与",
)
PARTICIPATION = "参与"

EVENTS = Sheet(
    "events", "活动", ("活动记录", "活动统计", "events"),
    "每行一次活动：节日、文体、参观、培训等，填写参与人次与支出。",
    (
        _date("活动日期"),
        Column("name", "活动名称", ("活动内容", "名称", "活动", "name"), TEXT,
               "如：三八妇女节趣味运动会", required=True, width=30),
        Column("category", "类别", ("活动类别", "类型", "category"), CATEGORY,
               "从下拉列表选择；不填或无法识别时记为「其他」",
               default=OTHER, choices=EVENT_CATEGORIES,
               synonyms={
                   "文体": "文体活动", "体育": "文体活动", "文艺": "文体活动", "运动": "文体活动",
                   "节日": "节日活动", "节庆": "节日活动",
                   "参观": "参观旅游", "旅游": "参观旅游", "疗休养": "参观旅游", "春游": "参观旅游",
                   "秋游": "参观旅游",
                   "学习": "学习培训", "培训": "学习培训", "讲座": "学习培训", "读书": "学习培训",
                   "民主": "民主管理", "职代会": "民主管理", "教代会": "民主管理",
                   "志愿": "志愿公益", "公益": "志愿公益", "献血": "志愿公益",
               }, width=12),
        Column("participants", "参与人次", ("参加人次", "参与人数", "参加人数", "人次", "人数", "participants"),
               INT, "整数，不小于 0", required=True, width=11),
        Column("spending", "支出", ("经费", "费用", "金额", "支出金额", "spending"), MONEY,
               "单位：元；可写 1500、1,500、¥1500、1500元 或 0.15万元；不填记为 0", default=0.0, width=12),
        UNIT,
        NOTES,
    ),
    example={"date": dt.date(2024, 3, 8), "name": "三八妇女节趣味运动会", "category": "节日活动",
             "participants": 86, "spending": 4326.5},
)

VISITS = Sheet(
    "visits", "慰问", ("看望慰问", "慰问记录", "帮扶", "visits"),
    "每行一次慰问（或同一事由的一组慰问），填写人次与金额。",
    (
        _date("慰问日期"),
        Column("reason", "事由", ("慰问事由", "原因", "类型", "reason"), CATEGORY,
               "从下拉列表选择；住院、生病→生病住院，新婚→结婚，去世、办丧→丧事等会自动归类",
               required=True, choices=VISIT_REASONS,
               synonyms={
                   "住院": "生病住院", "生病": "生病住院", "病": "生病住院", "看病": "生病住院",
                   "新婚": "结婚", "婚": "结婚",
                   "生孩子": "生育", "产假": "生育", "分娩": "生育", "生产": "生育",
                   "去世": "丧事", "丧葬": "丧事", "办丧": "丧事", "丧": "丧事", "病故": "丧事",
                   "困难": "困难帮扶", "帮扶": "困难帮扶", "救助": "困难帮扶",
                   "退休": "离退休慰问", "离休": "离退休慰问", "老干部": "离退休慰问",
                   "生日": "生日祝寿", "祝寿": "生日祝寿", "寿": "生日祝寿",
                   "节日": "节日慰问", "春节": "节日慰问", "中秋": "节日慰问", "端午": "节日慰问",
                   "谈心": "谈心谈话", "谈话": "谈心谈话",
               }, width=12),
        Column("group", "对象类别", ("人员类别", "group"), CATEGORY,
               "从下拉列表选择；可不填", choices=VISIT_GROUPS,
               synonyms={"职工": "在职职工", "在职": "在职职工", "员工": "在职职工", "教职工": "在职职工",
                         "退休": "离退休人员", "离休": "离退休人员", "离退休": "离退休人员",
                         "女工": "女职工", "困难学生": "学生"}, width=12),
        Column("person", "对象", ("姓名", "慰问对象", "person"), TEXT,
               "个人信息：只保存，不在图表、总结和导出中显示", width=12),
        Column("count", "人次", ("次数", "人数", "count"), INT,
               "整数，不小于 1；不填记为 1", default=1, minimum=1, width=8),
        Column("amount", "金额", ("慰问金", "慰问金额", "费用", "amount"), MONEY,
               "慰问金与慰问品价值合计，单位：元；不填记为 0", default=0.0, width=12),
        UNIT,
        NOTES,
    ),
    example={"date": dt.date(2024, 4, 12), "reason": "生病住院", "group": "在职职工", "person": "王某某",
             "count": 1, "amount": 500.0},
)

DONATIONS = Sheet(
    "donations", "捐款", ("捐款捐物", "捐赠", "捐助", "donations"),
    "每行一笔捐款或捐物；捐款金额与物资件数至少填一项。",
    (
        _date("捐款日期"),
        Column("campaign", "项目", ("捐款项目", "用途", "名称", "campaign"), TEXT,
               "如：抗震救灾、慈善一日捐", required=True, width=20),
        Column("cash", "捐款金额", ("金额", "捐款", "cash"), MONEY,
               "单位：元；不填记为 0", default=0.0, width=12),
        Column("goods", "物资件数", ("物资", "件数", "捐物件数", "goods"), INT,
               "整数；不填记为 0", default=0, width=10),
        Column("goods_note", "物资说明", ("物资名称", "goods_note"), TEXT, "如：新衣物、新棉被", width=20),
        Column("donors", "参与人数", ("人数", "donors"), INT, "整数；可不填", width=10),
        Column("kind", "方式", ("捐款方式", "kind"), CATEGORY, "从下拉列表选择；可不填",
               choices=DONATION_KINDS, synonyms={"党费": "特殊党费", "单位": "集体", "工会": "集体"},
               width=10),
        UNIT,
        NOTES,
    ),
    at_least_one=("cash", "goods"),
    example={"date": dt.date(2024, 5, 20), "campaign": "慈善一日捐", "cash": 12680.0, "goods": 0, "donors": 158,
             "kind": "集体"},
)

COMPETITIONS = Sheet(
    "competitions", "比赛", ("比赛成绩", "竞赛", "获奖", "competitions"),
    "每行一项成绩：同一比赛的不同名次分行填写；3名个人第二名填一行，获奖数填 3。",
    (
        _date("比赛日期"),
        Column("name", "赛事名称", ("比赛名称", "名称", "赛事", "name"), TEXT,
               "如：全民健身运动会", required=True, width=28),
        Column("level", "级别", ("赛事级别", "level"), CATEGORY, "从下拉列表选择；可不填",
               choices=LEVELS,
               synonyms={"单位": "本单位", "所级": "本单位", "校级": "本单位", "院内": "本单位",
                         "系统": "系统内", "院级": "系统内", "行业": "系统内",
                         "区级": "区县级", "县级": "区县级", "区": "区县级", "县": "区县级",
                         "市": "市级", "省": "省级", "国家级": "全国", "全国性": "全国"},
               width=10),
        Column("event", "项目", ("比赛项目", "event"), TEXT, "如：女子综合团体、羽毛球", width=16),
        Column("entry", "类型", ("团体/个人", "kind"), CATEGORY, "团体或个人；不填记为个人",
               default="个人", choices=ENTRY_KINDS, synonyms={"团队": "团体", "集体": "团体"}, width=8),
        Column("entrants", "参赛人数", ("人数", "entrants"), INT, "整数；可不填", width=10),
        Column("result", "名次", ("奖项", "成绩", "名次/奖项", "result"), RESULT,
               "第一名（冠军）、第二名、第三名、第N名、一等奖、二等奖、三等奖、优秀奖、"
               "其他奖项写奖项名称；未获奖写「参与」或不填", default=PARTICIPATION,
               choices=RESULT_CHOICES, width=12),
        Column("awards", "获奖数", ("数量", "award_count"), INT,
               "整数，不小于 1；不填记为 1", default=1, minimum=1, width=8),
        UNIT,
        NOTES,
    ),
    example={"date": dt.date(2024, 4, 26), "name": "市直机关职工羽毛球比赛", "level": "市级", "event": "混合团体",
             "entry": "团体", "entrants": 8, "result": "第三名", "awards": 1},
)

INFO_SHEET_NAMES = ("单位信息", "基本信息", "info")
INFO_ITEMS = {
    "unit": ("单位名称", ("名称", "单位", "工会名称")),
    "members": ("会员人数", ("会员数", "工会会员人数", "会员总数", "职工人数")),
    "period": ("报告期", ("统计期间", "报告期间")),
}

_HEADER_NOISE = re.compile(r"\s+|\u3000")
_UNIT_SUFFIX = re.compile(r"[（(][^（）()]*[）)]$")


def normalize_header(text: object) -> str:
    """`支出（元）`, `支出(元)` and ` 支 出 ` all become `支出` (and so does `支\x01出`)."""
    cleaned = _HEADER_NOISE.sub("", visible(str(text)))
    stripped = _UNIT_SUFFIX.sub("", cleaned)
    return (stripped or cleaned).lower()


def header_unit(text: object) -> str:
    """The unit written in a header's parentheses, e.g. `万元` for `支出（万元）`."""
    match = _UNIT_SUFFIX.search(_HEADER_NOISE.sub("", visible(str(text))))
    return match.group(0)[1:-1] if match else ""


def plain_name(sheet_name: str) -> str:
    """A sheet's name as names are compared: no spaces or control characters, lower case."""
    return _HEADER_NOISE.sub("", visible(sheet_name)).lower()


def is_info_sheet(sheet_name: str) -> bool:
    name = plain_name(sheet_name)
    return any(n.lower() in name for n in INFO_SHEET_NAMES)
