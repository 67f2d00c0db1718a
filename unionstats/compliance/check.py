"""The check: every 慰问 and activity row against the caps in force on its date.

Rows come as the model's frames (with `sheet`, `row`, `source` and, for stored rows, `batch_id`), so one check
serves the store, an import before it is stored, and the command line. A finding says where a row is and by
how much it went over; it never carries a 对象's name. A member's yearly total is summed from the names here and
only its rows' locations leave.

Who is a member: a row that names its 对象 and records one 人次 is that person's; the same name in another
unit is another person. A row that names no one, or several 人次, is checked per head (its amount over its 人次)
against a yearly cap, and counted in `Check.unnamed`: nothing can say whether its people went over the year's
cap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from unionstats.compliance.rules import CATEGORY_COLUMN as CATEGORY
from unionstats.compliance.rules import MEMBER_YEAR, RECORD, Rule, Version
from unionstats.contract.periods import Period

AMOUNT = {"visits": "amount", "events": "spending"}
PEOPLE = {"visits": "count", "events": "participants"}


@dataclass(frozen=True)
class Finding:
    """One row over a cap: the rule and the version it was checked by, the amount checked against the cap (per
    head, per record, or the member's year so far), and where the row is."""

    rule: Rule
    version: Version
    amount: float
    cap: float
    date: dt.date
    unit: str
    sheet: str  # the sheet's name as the workbook spelled it
    row: int  # as Excel shows it
    source: str = ""  # the file
    batch: int | None = None  # the stored batch, None before it is stored
    people: int = 1  # the row's 人次
    excess: float = 0.0  # the row's money above the cap: per head times its people, or what took a member over

    @property
    def over(self) -> float:
        """How far the amount checked is above the cap (per head, per record or the member's year so far)."""
        return round(self.amount - self.cap, 2)


@dataclass(frozen=True)
class Check:
    """What a check found: the findings in date order, the versions it used, how many rows it checked, how many
    of those a yearly cap could only check per head (no 对象, or several 人次), and how many it could not check
    (dated before the first version, or an activity with no 参与人次)."""

    findings: tuple[Finding, ...]
    versions: tuple[Version, ...]
    checked: int = 0
    unnamed: int = 0
    unchecked: int = 0

    @property
    def over(self) -> float:
        """The money above the caps, each row's excess once (a member's later rows add only their own)."""
        return round(sum(f.excess for f in self.findings), 2)

    def table(self) -> pd.DataFrame:
        """The findings as a table with Chinese headers, in date order; no names."""
        return pd.DataFrame([{
            "标准": f.rule.name, "口径": f.rule.scope, "单位": f.unit, "日期": f.date, "金额（元）": f.amount,
            "上限（元）": f.cap, "超出（元）": f.over, "批次": f.batch if f.batch is not None else "",
            "工作表": f.sheet, "行": f.row, "文件": f.source, "依据": f.version.label,
        } for f in self.findings], columns=["标准", "口径", "单位", "日期", "金额（元）", "上限（元）", "超出（元）",
                                            "批次", "工作表", "行", "文件", "依据"])


def in_force(versions: Sequence[Version], dates: pd.Series) -> pd.Series:
    """For each date, the index (into `versions`, sorted by start) of the version in force, or -1 before all."""
    starts = np.array([np.datetime64(v.start, "ns") for v in versions], dtype="datetime64[ns]")
    return pd.Series(np.searchsorted(starts, dates.to_numpy(dtype="datetime64[ns]"), side="right") - 1,
                     index=dates.index)


def check(frames: Mapping[str, pd.DataFrame], versions: Iterable[Version], period: Period | None = None,
          units: Iterable[str] | None = None) -> Check:
    """Check the rows of `period` (all rows when None) of `units` (all when None) against `versions`.

    A yearly cap reads the rows of the whole year before the period too, so `frames` should hold them.
    """
    ordered = sorted(versions, key=lambda v: v.start)
    findings: list[Finding] = []
    checked = unnamed = unchecked = 0
    for sheet_key in CATEGORY:
        frame = frames.get(sheet_key)
        if frame is None or not len(frame) or not ordered:
            continue
        if units is not None:
            frame = frame[frame["unit"].isin(list(units))]
        if period is not None:
            years = frame["date"].dt.year
            frame = frame[(years >= period.start.year) & (years <= period.end.year)]
        frame = frame[frame["date"].notna()].reset_index(drop=True)
        shown = period.mask(frame["date"]) if period is not None else pd.Series(True, index=frame.index)
        version = in_force(ordered, frame["date"])
        unchecked += int((shown & (version < 0)).sum())
        checked += int((shown & (version >= 0)).sum())
        for rule_key in dict.fromkeys(r.key for v in ordered for r in v.rules.rules if r.sheet == sheet_key):
            found, counted = _rule_findings(frame, sheet_key, rule_key, ordered, version, shown)
            findings += found
            unnamed += counted[0]
            unchecked += counted[1]
    findings.sort(key=lambda f: (f.date, f.batch or 0, f.sheet, f.row, f.rule.key))
    used = {ordered[i] for i in _used(ordered, period)}
    return Check(tuple(findings), tuple(v for v in ordered if v in used), checked, unnamed, unchecked)


def _used(ordered: list[Version], period: Period | None) -> set[int]:
    """The versions in force on some day of the period (every version when there is no period)."""
    if period is None:
        return set(range(len(ordered)))
    days = pd.Series(pd.to_datetime([period.start, period.end]))
    first, last = in_force(ordered, days)
    return set(range(max(first, 0), last + 1)) if last >= 0 else set()


def _rule_findings(frame: pd.DataFrame, sheet_key: str, rule_key: str, ordered: list[Version],
                   version: pd.Series, shown: pd.Series) -> tuple[list[Finding], tuple[int, int]]:
    """One rule (by key, whatever version defines it) over one sheet's rows: its findings, and the rows of the
    period it could check only per head and not at all."""
    rules = [next((r for r in v.rules.rules if r.key == rule_key), None) for v in ordered]
    which = version.to_numpy()
    at = which.clip(0)
    applies = (which >= 0) & np.array([r is not None for r in rules])[at]
    category, amount, people = frame[CATEGORY[sheet_key]], frame[AMOUNT[sheet_key]], frame[PEOPLE[sheet_key]]
    months = frame["date"].dt.month
    for i, rule in enumerate(rules):
        if rule is None:
            continue
        mine = which == i
        if rule.categories:
            applies &= ~mine | category.isin(rule.categories).to_numpy()
        if rule.months:
            applies &= ~mine | months.isin(rule.months).to_numpy()
    if not applies.any():
        return [], (0, 0)
    caps = np.array([r.cap if r else np.nan for r in rules])[at]
    per = np.array([r.per if r else "" for r in rules], dtype=object)[at]
    money = amount.to_numpy(dtype="float64")
    counted = people.to_numpy(dtype="float64")
    heads = np.where(counted > 0, counted, np.nan)
    value = np.where(per == RECORD, money, money / heads)  # per head: a person's event, an activity's head
    visible = shown.to_numpy()
    yearly = applies & (per == MEMBER_YEAR)
    unnamed = 0
    if yearly.any():
        names = frame["person"].str.strip() if "person" in frame else pd.Series("", index=frame.index)
        named = yearly & (names != "").to_numpy() & (counted == 1)
        unnamed = int((yearly & ~named & visible).sum())
        if named.any():
            mine = frame[named].assign(person=names[named], year=frame["date"][named].dt.year)
            mine = mine.sort_values(["date", "row"], kind="stable")
            totals = mine.groupby(["unit", "person", "year"], sort=False)[AMOUNT[sheet_key]].cumsum()
            value[frame.index.get_indexer(totals.index)] = totals.to_numpy()
    unchecked = int((applies & (per != RECORD) & np.isnan(heads) & (money > 0) & visible).sum())
    excess = np.where(per == RECORD, money - caps, (value - caps) * counted)
    if yearly.any():
        excess = np.where(yearly & named, np.minimum(money, value - caps), excess)
    over = applies & visible & (np.round(value, 2) > caps)
    at_over = np.flatnonzero(over)
    rows = frame.iloc[at_over]
    columns = [rows[name].tolist() if name in rows else [None] * len(rows)
               for name in ("date", "unit", "sheet", "row", "source", "batch_id")]
    versions = which[at_over].tolist()
    found = [Finding(rules[v], ordered[v], round(float(total), 2), float(cap), date.date(), str(unit), str(sheet),
                     int(row), "" if source is None else str(source), None if batch is None else int(batch), int(n),
                     round(float(above), 2))
             for v, total, cap, n, above, date, unit, sheet, row, source, batch in zip(
                 versions, value[at_over].tolist(), caps[at_over].tolist(), counted[at_over].tolist(),
                 excess[at_over].tolist(), *columns)]
    return found, (unnamed, unchecked)
