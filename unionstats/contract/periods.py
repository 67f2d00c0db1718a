"""Reporting periods: a year, a half, a quarter, a month or any date range.

A union reports by 全年, 上半年, 第二季度 or 5月 and sets every figure against
the period before (环比) and the same period a year earlier (同比). `Period`
is the one value the command line, the pages and the summary pass around: it
reads the short codes people type, writes its own Chinese label and knows
both neighbours, so nothing else has to do calendar arithmetic.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from unionstats.contract.numerals import int_to_chinese

YEAR, HALF, QUARTER, MONTH, RANGE = "year", "half", "quarter", "month", "range"
KINDS = (YEAR, HALF, QUARTER, MONTH, RANGE)
MONTHS = {YEAR: 12, HALF: 6, QUARTER: 3, MONTH: 1}
KIND_NAMES = {YEAR: "年度", HALF: "半年", QUARTER: "季度", MONTH: "月份", RANGE: "时段"}
FORMS_HINT = ("统计期可写作：2024（全年）、2024H1 或 2024H2（上半年、下半年）、2024Q1 至 2024Q4（季度）、"
              "2024-05（月份）、2024-01-01..2024-03-31（起止日期，含首尾两天）")

_CODES = (
    (re.compile(r"(\d{4})", re.ASCII), YEAR),
    (re.compile(r"(\d{4})H([12])", re.ASCII | re.IGNORECASE), HALF),
    (re.compile(r"(\d{4})Q([1-4])", re.ASCII | re.IGNORECASE), QUARTER),
    (re.compile(r"(\d{4})-(\d{1,2})", re.ASCII), MONTH),
)
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_ONE_DAY = dt.timedelta(days=1)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - _ONE_DAY


def shift_year(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (earlier if negative); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def is_calendar(start: dt.date, end: dt.date, kind: str) -> bool:
    """Whether start..end is exactly one year, half, quarter or month (`kind`)."""
    size = MONTHS[kind]
    aligned = start.day == 1 and (start.month - 1) % size == 0
    return aligned and end == month_end(start.year, start.month + size - 1)


@dataclass(frozen=True)
class Period:
    """The days from `start` to `end`, both included; `kind` says how the period is named and stepped."""

    start: dt.date
    end: dt.date
    kind: str = RANGE

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"未知的统计期类型“{self.kind}”")
        if self.end < self.start:
            raise ValueError(f"统计期的结束日期 {self.end} 早于开始日期 {self.start}")
        if self.kind != RANGE and not is_calendar(self.start, self.end, self.kind):
            raise ValueError(f"{self.start} 至 {self.end} 不是一个完整的{KIND_NAMES[self.kind]}")

    @classmethod
    def of(cls, kind: str, year: int, number: int = 1) -> Period:
        """The `number`th half, quarter or month of `year` (the year itself for YEAR)."""
        first = (number - 1) * MONTHS[kind] + 1
        return cls(dt.date(year, first, 1), month_end(year, first + MONTHS[kind] - 1), kind)

    @classmethod
    def containing(cls, kind: str, day: dt.date) -> Period:
        """The year, half, quarter or month that `day` falls in."""
        return cls.of(kind, day.year, (day.month - 1) // MONTHS[kind] + 1)

    @property
    def number(self) -> int:
        """1 or 2 for a half, 1 to 4 for a quarter, 1 to 12 for a month; 1 for a year or a range."""
        return (self.start.month - 1) // MONTHS[self.kind] + 1 if self.kind in MONTHS else 1

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def code(self) -> str:
        """The text `parse_period` reads back: 2024, 2024H1, 2024Q2, 2024-05, 2024-03-08..2024-05-01."""
        year = self.start.year
        return {
            YEAR: f"{year}",
            HALF: f"{year}H{self.number}",
            QUARTER: f"{year}Q{self.number}",
            MONTH: f"{year}-{self.start.month:02d}",
        }.get(self.kind, f"{self.start.isoformat()}..{self.end.isoformat()}")

    @property
    def short_label(self) -> str:
        """The period without its year, for use inside a sentence: 全年, 上半年, 第二季度, 5月."""
        if self.kind == YEAR:
            return "全年"
        if self.kind == HALF:
            return ("上半年", "下半年")[self.number - 1]
        if self.kind == QUARTER:
            return f"第{int_to_chinese(self.number)}季度"
        if self.kind == MONTH:
            return f"{self.start.month}月"
        return range_label(self.start, self.end)

    @property
    def label(self) -> str:
        """The period in Chinese: 2024年, 2024年第二季度, 2024年1月1日至3月31日."""
        if self.kind == YEAR:
            return f"{self.start.year}年"
        return f"{self.start.year}年{self.short_label}"

    def contains(self, day: dt.date) -> bool:
        """Whether a date (or any moment of it, for a datetime or Timestamp) falls in the period."""
        if isinstance(day, dt.datetime):
            day = day.date()
        return self.start <= day <= self.end

    def mask(self, dates: pd.Series) -> pd.Series:
        """True where a datetime64 value falls on one of the period's days, at any hour; False for NaT."""
        return (dates >= pd.Timestamp(self.start)) & (dates < pd.Timestamp(self.end + _ONE_DAY))

    def previous(self) -> Period:
        """The period just before (环比): 2024Q1 gives 2023Q4; a range, as many days up to its start."""
        if self.kind == RANGE:
            end = self.start - _ONE_DAY
            return span(end - dt.timedelta(days=self.days - 1), end)
        return Period.containing(self.kind, self.start - _ONE_DAY)

    def year_ago(self) -> Period:
        """The same period one year earlier (同比); 29 February becomes 28 February."""
        if self.kind == RANGE:
            return span(shift_year(self.start, -1), shift_year(self.end, -1))
        return Period.of(self.kind, self.start.year - 1, self.number)

    def __str__(self) -> str:
        return self.label


def range_label(start: dt.date, end: dt.date) -> str:
    """3月8日至5月1日; the end's year is written only when it differs from the start's."""
    first = f"{start.month}月{start.day}日"
    if start == end:
        return first
    last = f"{end.month}月{end.day}日"
    return f"{first}至{end.year}年{last}" if end.year != start.year else f"{first}至{last}"


def parse_period(text: str) -> Period:
    """`2024`, `2024H1`, `2024Q2`, `2024-05` or `2024-01-01..2024-03-31` as a Period.

    Anything else raises ValueError with a Chinese message listing these forms. Full-width characters
    and surrounding spaces are accepted. A date range that is exactly a year, half, quarter or month
    becomes that period, so it is named and compared as one.
    """
    cleaned = unicodedata.normalize("NFKC", str(text)).strip()
    first, dots, last = cleaned.partition("..")
    period = parse_range(text, first, last) if dots else parse_code(cleaned)
    if period is None:
        raise ValueError(f"无法识别统计期“{text}”。{FORMS_HINT}")
    return period


def parse_code(code: str) -> Period | None:
    for pattern, kind in _CODES:
        match = pattern.fullmatch(code)
        if match:
            number = int(match.group(2)) if pattern.groups > 1 else 1
            return build(Period.of, kind, int(match.group(1)), number)
    return None


def parse_day(text: str) -> dt.date | None:
    match = _DAY.fullmatch(text.strip())
    return build(dt.date, *map(int, match.groups())) if match else None


def parse_range(text: str, first: str, last: str) -> Period | None:
    start, end = parse_day(first), parse_day(last)
    if start is None or end is None:
        return None
    if end < start:
        raise ValueError(f"统计期“{text}”的结束日期早于开始日期。{FORMS_HINT}")
    return span(start, end)


def build(make, *args):
    """`make(*args)`, or None where the calendar has no such day (month 13, 30 February, year 0)."""
    try:
        return make(*args)
    except ValueError:
        return None


def span(first: dt.date, last: dt.date) -> Period:
    """The days from first to last: a year, half, quarter or month when they are exactly one, else a range."""
    for kind in MONTHS:
        if is_calendar(first, last, kind):
            return Period.containing(kind, first)
    return Period(first, last, RANGE)


def enclosing(first: dt.date, last: dt.date) -> Period:
    """The smallest natural period holding both days: a month, quarter, half or year; else the range itself.

    Data from 15 January to 10 December is the year's; from 11 April to 28 June, the second quarter's. An office
    reports its work for a natural period, so a summary and a dashboard without a chosen period use this one.
    """
    for kind in (MONTH, QUARTER, HALF, YEAR):
        period = Period.containing(kind, first)
        if period.contains(last):
            return period
    return span(first, last)


def span_period(dates: pd.Series | Iterable[dt.date]) -> Period | None:
    """The natural period (`enclosing`) of the earliest and latest of the dates, or None when there are none."""
    series = dates if isinstance(dates, pd.Series) else pd.Series(list(dates), dtype=object)
    series = pd.to_datetime(series).dropna()
    if series.empty:
        return None
    return enclosing(series.min().date(), series.max().date())
