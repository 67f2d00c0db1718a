"""Reporting periods: a year, a half, a quarter, a month or any date range.

A union reports by 全年, 上半年, 第二季度 or 5月, and compares with the
period before (环比) and the same period a year earlier (同比); `Period`
knows its Chinese label and both of those neighbours.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from .values import int_to_chinese

YEAR, HALF, QUARTER, MONTH, RANGE = "year", "half", "quarter", "month", "range"
FORMS_HINT = "统计期的写法：2024、2024H1、2024Q2、2024-05 或 2024-01-01..2024-03-31"

_FORMS = (
    (re.compile(r"^(\d{4})$"), YEAR),
    (re.compile(r"^(\d{4})[Hh]([12])$"), HALF),
    (re.compile(r"^(\d{4})[Qq]([1-4])$"), QUARTER),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), MONTH),
)


def month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str = RANGE

    @classmethod
    def of(cls, kind: str, year: int, number: int = 1) -> Period:
        months = {YEAR: 12, HALF: 6, QUARTER: 3, MONTH: 1}[kind]
        first = (number - 1) * months + 1
        return cls(dt.date(year, first, 1), month_end(year, first + months - 1), kind)

    @property
    def number(self) -> int:
        size = {YEAR: 12, HALF: 6, QUARTER: 3, MONTH: 1}.get(self.kind, 12)
        return (self.start.month - 1) // size + 1

    @property
    def code(self) -> str:
        year = self.start.year
        return {
            YEAR: f"{year}",
            HALF: f"{year}H{self.number}",
            QUARTER: f"{year}Q{self.number}",
            MONTH: f"{year}-{self.start.month:02d}",
        }.get(self.kind, f"{self.start.isoformat()}..{self.end.isoformat()}")

    @property
    def short_label(self) -> str:
        """The period without its year, for use inside a sentence: 第二季度, 上半年, 5月."""
        if self.kind == YEAR:
            return "全年"
        if self.kind == HALF:
            return ("上半年", "下半年")[self.number - 1]
        if self.kind == QUARTER:
            return f"第{int_to_chinese(self.number)}季度"
        if self.kind == MONTH:
            return f"{self.start.month}月"
        end = f"{self.end.month}月{self.end.day}日"
        if self.end.year != self.start.year:
            end = f"{self.end.year}年{end}"
        return f"{self.start.month}月{self.start.day}日至{end}"

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return f"{self.start.year}年"
        return f"{self.start.year}年{self.short_label}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        if self.kind == RANGE:
            end = self.start - dt.timedelta(days=1)
            return Period(end - dt.timedelta(days=self.days - 1), end, RANGE)
        before = self.start - dt.timedelta(days=1)
        size = {YEAR: 12, HALF: 6, QUARTER: 3, MONTH: 1}[self.kind]
        return Period.of(self.kind, before.year, (before.month - 1) // size + 1)

    def year_ago(self) -> Period:
        if self.kind == RANGE:
            return Period(shift_year(self.start, -1), shift_year(self.end, -1), RANGE)
        return Period.of(self.kind, self.start.year - 1, self.number)

    def mask(self, dates: pd.Series) -> pd.Series:
        return (dates >= pd.Timestamp(self.start)) & (dates < pd.Timestamp(self.end + dt.timedelta(days=1)))

    def __str__(self) -> str:
        return self.label


def parse_period(text: str) -> Period:
    cleaned = text.strip()
    for pattern, kind in _FORMS:
        match = pattern.match(cleaned)
        if match:
            year, number = int(match.group(1)), int(match.group(2)) if match.lastindex == 2 else 1
            if kind == MONTH and not 1 <= number <= 12:
                break
            return Period.of(kind, year, number)
    if ".." in cleaned:
        start, _, end = cleaned.partition("..")
        try:
            first, last = dt.date.fromisoformat(start.strip()), dt.date.fromisoformat(end.strip())
        except ValueError:
            raise ValueError(f"“{text}”中的日期无效。{FORMS_HINT}") from None
        if last < first:
            raise ValueError(f"“{text}”的结束日期早于开始日期。{FORMS_HINT}")
        return span(first, last)
    raise ValueError(f"无法识别统计期“{text}”。{FORMS_HINT}")


def span(first: dt.date, last: dt.date) -> Period:
    """The period from first to last: a year, half, quarter or month when it is exactly one."""
    for kind in (YEAR, HALF, QUARTER, MONTH):
        size = {YEAR: 12, HALF: 6, QUARTER: 3, MONTH: 1}[kind]
        if first.day == 1 and (first.month - 1) % size == 0:
            candidate = Period.of(kind, first.year, (first.month - 1) // size + 1)
            if candidate.end == last:
                return candidate
    return Period(first, last, RANGE)


def span_period(dates: pd.Series) -> Period | None:
    """The period spanning the given dates, or None when there are none."""
    dates = dates.dropna()
    if dates.empty:
        return None
    return span(dates.min().date(), dates.max().date())
