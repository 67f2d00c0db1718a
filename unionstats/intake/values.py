"""Parse one cell value the forgiving way a clerk types it.

Each parser takes a raw cell (as calamine returns it: str, float, int, bool,
date or datetime) and returns `Parsed(value, error)`; an error is a Chinese
sentence saying what is wrong and what to write instead. `None` as value
means the cell was blank. The loader calls these once per distinct value,
not once per row.

Every parser first takes invisible control characters out of a text cell
(`schema.visible`) and says so in a warning; numbers beyond the limits of
`schema` (per row) are errors, never a wrapped-round int64.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from typing import NamedTuple

from unionstats.contract import schema
from unionstats.contract.numerals import chinese_to_int, int_to_chinese

BLANK_WORDS = frozenset({"", "-", "--", "—", "——", "/", "无", "n/a", "na", "none", "null"})
EXCEL_EPOCH = dt.date(1899, 12, 30)
EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2100, 12, 31)

_DATE_FORMS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
TEXT_UNITS = {"万元": 10_000, "万": 10_000, "元": 1}
_MONEY_TEXT = re.compile(r"^(-?\d+(?:\.\d+)?)(万元|万|元)?$")
_INT_TEXT = re.compile(r"^(-?\d+(?:\.0+)?)(人次|人|次|件|名|项|个|套|份)?$")

DATE_HINT = "请填写日期，如 2024-03-08、2024/3/8 或 2024年3月8日"
MONEY_HINT = "请填写金额（元），如 1500、1,500、1500元 或 0.15万元"
INVISIBLE_WARNING = "单元格含有不可见的控制字符，已删除，请核对内容"


class Parsed(NamedTuple):
    value: object = None
    error: str | None = None
    warning: str | None = None


def strips_invisible(parser):
    """Give `parser` a text cell without its invisible characters, and add a warning when there were some."""

    @functools.wraps(parser)
    def parse(raw: object, *args, **kwargs) -> Parsed:
        if type(raw) is str and not raw.isprintable():
            cleaned = schema.visible(raw)
            if cleaned != raw:
                parsed = parser(cleaned, *args, **kwargs)
                warning = INVISIBLE_WARNING + (f"；{parsed.warning}" if parsed.warning else "")
                return parsed._replace(warning=warning)
        return parser(raw, *args, **kwargs)

    return parse


def too_large(raw: object, limit: float, unit: str = "") -> str:
    return f"“{quoted(raw)}”超出合理范围（不超过 {limit:,.0f}{unit}），请核对"


def quoted(raw: object) -> str:
    """A cell as a message quotes it: a huge number as Excel shows it (1E+19), a whole one without `.0`, a long
    text by its first 40 characters."""
    if isinstance(raw, float) and math.isfinite(raw):
        if abs(raw) >= 1e15:
            return f"{raw:G}"
        if raw.is_integer():
            return str(int(raw))
    return schema.clip(str(raw), 40)


def is_blank(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and raw.strip().lower() in BLANK_WORDS


def _clean_text(raw: str) -> str:
    """Full-width digits and signs made plain (NFKC), all spaces removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))


def _checked_date(day: dt.date) -> Parsed:
    if not EARLIEST <= day <= LATEST:
        return Parsed(error=f"日期 {day.isoformat()} 不在 1990 年至 2100 年之间，请核对年份")
    return Parsed(day)


@functools.lru_cache(maxsize=1 << 16, typed=True)  # a day typed as text recurs on every sheet of a workbook
@strips_invisible
def parse_date(raw: object) -> Parsed:
    if is_blank(raw):
        return Parsed()
    if isinstance(raw, dt.datetime):
        return _checked_date(raw.date())
    if isinstance(raw, dt.date):
        return _checked_date(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _date_from_number(raw)
    if isinstance(raw, str):
        text = _clean_text(raw)
        for form in _DATE_FORMS:
            match = form.match(text)
            if match:
                try:
                    return _checked_date(dt.date(*(int(g) for g in match.groups())))
                except ValueError:
                    return Parsed(error=f"“{raw}”不是存在的日期，{DATE_HINT}")
    return Parsed(error=f"“{raw}”不是日期，{DATE_HINT}")


_PLAIN_DATE = re.compile(r"([0-9]{4})(?:[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})|年([0-9]{1,2})月([0-9]{1,2})[日号]?)")


def plain_date(raw: str) -> dt.date | None:
    """The day a text names in one of the two forms people type most (2024-03-08, with - / or ., and 2024年3月8日),
    in plain digits, where that day is between 1990 and 2100: what `parse_date` makes of it, without its
    normalising (a text of plain digits and these marks is normal already). None for any other text, which
    `parse_date` then reads, or words the error for."""
    match = _PLAIN_DATE.fullmatch(raw)
    if match is None:
        return None
    year, month, day, month_named, day_named = match.groups()
    try:
        found = dt.date(int(year), int(month or month_named), int(day or day_named))
    except ValueError:
        return None
    return found if EARLIEST <= found <= LATEST else None


YEAR_HINT = "请填写四位年份，如 2025 或 2025年"
_YEAR_FORM = re.compile(r"(\d{4})(?:年度?|年份)?")


@strips_invisible
def parse_year(raw: object) -> Parsed:
    """A 年度 as offices write it (2025, 2025年, 2025年度, or a date within it), as the year's first day."""
    if is_blank(raw):
        return Parsed()
    if isinstance(raw, (dt.datetime, dt.date)):
        return _checked_date(dt.date(raw.year, 1, 1))
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        text = f"{raw:g}" if math.isfinite(raw) and raw == int(raw) else repr(raw)
    elif isinstance(raw, str):
        text = _clean_text(raw)
    else:
        text = str(raw)
    match = _YEAR_FORM.fullmatch(text)
    if not match:
        return Parsed(error=f"“{raw}”不是年份，{YEAR_HINT}")
    year = int(match.group(1))
    if not EARLIEST.year <= year <= LATEST.year:
        return Parsed(error=f"年份 {year} 不在 {EARLIEST.year} 年至 {LATEST.year} 年之间，请核对")
    return Parsed(dt.date(year, 1, 1))


def _date_from_number(number: float) -> Parsed:
    if math.isfinite(number) and number == int(number):
        whole = int(number)
        if 19_000_101 <= whole <= 21_001_231:
            return parse_date(str(whole))
        if 20_000 <= whole <= 80_000:
            return _checked_date(EXCEL_EPOCH + dt.timedelta(days=whole))
    return Parsed(error=f"“{number:g}”不是日期，{DATE_HINT}")


@strips_invisible
def parse_money(raw: object, scale: float = 1.0, maximum: float = schema.MAX_YUAN) -> Parsed:
    """Yuan, rounded to the fen, at most `maximum`. `scale` is 10000 under a `（万元）` header; a unit written in
    the cell (1500元, 0.15万) wins over the header's."""
    if is_blank(raw):
        return Parsed()
    if isinstance(raw, (bool, dt.date, dt.time, dt.timedelta)):
        return Parsed(error=f"“{raw}”不是金额，{MONEY_HINT}")
    if isinstance(raw, (int, float)):
        amount = float(raw) * scale
    else:
        text = _clean_text(str(raw)).replace(",", "").removeprefix("RMB").removeprefix("人民币").lstrip("¥￥")
        match = _MONEY_TEXT.match(text)
        if not match:
            return Parsed(error=f"“{raw}”不是金额，{MONEY_HINT}")
        amount = float(match.group(1)) * TEXT_UNITS.get(match.group(2), scale)
        if amount == math.inf:  # digits beyond any float
            return Parsed(error=f"金额{too_large(raw, maximum, ' 元')}")
    if math.isnan(amount) or math.isinf(amount):
        return Parsed(error=f"“{raw}”不是金额，{MONEY_HINT}")
    if amount < 0:
        return Parsed(error=f"金额“{raw}”为负数，请填写不小于 0 的金额")
    if amount > maximum:
        return Parsed(error=f"金额{too_large(raw, maximum, ' 元')}")
    return Parsed(round(amount, 2))


@strips_invisible
def parse_int(raw: object, minimum: int = 0, maximum: float = schema.MAX_COUNT) -> Parsed:
    if is_blank(raw):
        return Parsed()
    number: float | None = None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number = float(raw)
    elif isinstance(raw, str):
        match = _INT_TEXT.match(_clean_text(raw).replace(",", ""))
        number = float(match.group(1)) if match else None
        if number == math.inf:  # digits beyond any float
            return Parsed(error=too_large(raw, maximum))
    if number is None or math.isnan(number) or math.isinf(number):
        return Parsed(error=f"“{raw}”不是数字，请填写整数")
    if number != int(number):
        return Parsed(error=f"“{raw}”不是整数，请填写整数")
    if number < minimum:
        return Parsed(error=f"“{raw}”小于 {minimum}，请填写不小于 {minimum} 的整数")
    if number > maximum:
        return Parsed(error=too_large(raw, maximum))
    return Parsed(int(number))


@strips_invisible
def parse_text(raw: object, max_length: int | None = None, label: str = "内容") -> Parsed:
    """Text with its runs of spaces, tabs and newlines made one space; longer than `max_length` is an error."""
    if is_blank(raw):
        return Parsed()
    if isinstance(raw, float) and math.isfinite(raw) and raw == int(raw):
        return Parsed(str(int(raw)))
    if isinstance(raw, dt.datetime):
        return Parsed(raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(" "))
    if isinstance(raw, dt.date):
        return Parsed(raw.isoformat())
    text = re.sub(r"\s+", " ", str(raw)).strip()
    if max_length is not None and len(text) > max_length:
        return Parsed(error=f"{label}超过 {max_length} 个字符（现为 {len(text)} 个），请缩短")
    return Parsed(text or None)


@strips_invisible
def parse_category(raw: object, column: schema.Column) -> Parsed:
    """A listed choice, a common word for one, or 其他 with a warning."""
    if is_blank(raw):
        return Parsed()
    text = _clean_text(str(raw))
    choice = match_choice(text, column)
    if choice:
        return Parsed(choice)
    listed = "、".join(column.choices)
    return Parsed(schema.OTHER, warning=f"“{raw}”不是规定的{column.name}，已记为「{schema.OTHER}」；可选：{listed}")


def match_choice(text: str, column: schema.Column) -> str | None:
    if text in column.choices:
        return text
    if text in column.synonyms:
        return column.synonyms[text]
    for choice in sorted(column.choices, key=len, reverse=True):
        if choice != schema.OTHER and choice in text:
            return choice
    for word in sorted(column.synonyms, key=len, reverse=True):
        if word in text:
            return column.synonyms[word]
    return None


_PLACE = re.compile(r"^第?([0-9]+|[一二三四五六七八九十]+)名$")
_PRIZE = re.compile(r"^([一二三])等奖$")
_PLACE_WORDS = {"冠军": 1, "金牌": 1, "亚军": 2, "银牌": 2, "季军": 3, "铜牌": 3}
_NO_AWARD = frozenset({"参与", "参加", "参赛", "未获奖", "未获名次", "无名次"})


@strips_invisible
def parse_result(raw: object) -> Parsed:
    """Value is `(result, award_name)`: 第一名…第N名 (N up to `schema.MAX_PLACE`), 一/二/三等奖, 优秀奖,
    其他奖项, 参与."""
    if is_blank(raw):
        return Parsed((schema.PARTICIPATION, ""))
    text = _clean_text(parse_text(raw).value or "")
    core = re.sub(r"^(团体|个人|男子|女子|混合)", "", text)
    if core in _NO_AWARD:
        return Parsed((schema.PARTICIPATION, ""))
    if core in _PLACE_WORDS:
        return Parsed((ordinal_place(_PLACE_WORDS[core]), ""))
    if core.isdigit():
        core = f"第{core}名"
    place = _PLACE.match(core)
    if place:
        number = chinese_to_int(place.group(1))
        if number and number > schema.MAX_PLACE:
            return Parsed(error=f"名次“{quoted(raw)}”超出合理范围（不超过第{schema.MAX_PLACE}名），请核对")
        if number and number >= 1:
            return Parsed((ordinal_place(number), ""))
    if _PRIZE.match(core):
        return Parsed((core, ""))
    if core == "优秀奖":
        return Parsed((core, ""))
    return Parsed((schema.OTHER_AWARD, text))


def ordinal_place(number: int) -> str:
    return f"第{int_to_chinese(number)}名"


def place_number(result: str) -> int | None:
    """2 for 第二名; None for prizes and other awards."""
    match = _PLACE.match(result)
    return chinese_to_int(match.group(1)) if match else None
