"""The workbook contract in one place: sheets, columns, aliases, categories.

The loader, the template, the validation messages and the tests all read
these definitions, so a sheet or column renamed here is renamed everywhere.
The contract, as a clerk reads it, is ``docs/workbook-format.md``; a test holds
the two together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DATE, TEXT, INT, MONEY, CATEGORY, RESULT = "date", "text", "int", "money", "category", "result"
YEAR = "year"  # a whole year (a budget's 年度): kept as the year's first day in the row's `date`

KIND_LABELS = {
    DATE: "日期",
    YEAR: "年度",
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
    personal: bool = False  # may hold a person's name: kept, never shown in a chart, summary, table or export

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
    rules: tuple[str, ...] = ()  # how to fill it in, beyond what every sheet shares: lines of the 填写说明
    optional: bool = False  # most workbooks leave it out (a budget): without rows, no count, message or export names it

    @property
    def personal(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.personal)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def yearly(self) -> bool:
        """Whether each row holds a whole year (a budget) rather than a day's event: such rows belong to every
        period of their year, say nothing of when a unit reported, and are not set aside by a period's
        replacement (a newer batch's rows for the same unit and year replace them)."""
        return any(c.key == "date" and c.kind == YEAR for c in self.columns)


def _date(*aliases: str) -> Column:
    return Column(
        "date", "日期", aliases + ("时间", "date"), DATE,
        "Excel 日期，或文字 2024-03-08、2024/3/8、2024.3.8、2024年3月8日、20240308",
        required=True, width=13,
    )


def _year(*aliases: str) -> Column:
    return Column(
        "date", "年度", aliases + ("年份", "year"), YEAR,
        "四位年份，如 2025、2025年、2025年度", required=True, width=10,
    )


UNIT = Column(
    "unit", "单位", ("所属单位", "基层工会", "unit"), TEXT,
    "基层工会或部门名称；不填则取「单位信息」表的单位名称，都没有时导入时须填写单位名称（不取文件名）", width=20,
    max_length=UNIT_LENGTH,
)
NOTES = Column("notes", "备注", ("说明", "notes"), TEXT, "可不填；可能写有姓名，按个人信息对待", width=24, personal=True)

PARTICIPATION = "参与"


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
