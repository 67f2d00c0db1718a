"""What a correction replaces: the rows of the same units within the period its workbook covers, and no more.

Quarterly reporting runs on corrections: a unit sends its year, then a corrected second quarter. The quarter
replaces that unit's rows of that quarter; the year's other quarters, and every other unit's rows in the same
older batch, stay counted. The period a workbook covers (`covered_period`) is the one its 单位信息's 报告期
names, else the one its file name names, where that period holds every date of the file; else the smallest
month, quarter, half or year holding them all.

Rows replaced are never deleted. Each replacement is recorded in the `set_aside` table (database.py) as the
older batch, the unit, the first and last day and the batch that replaced them; readers leave those rows out
(`without`). A batch none of whose rows are counted any more is marked replaced as a whole. Restoring a batch
deletes its records (`bring_back`), and sets aside, in the other batches, its own units' rows within its own
period, so no row is ever counted twice.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from unionstats.contract import registry, schema
from unionstats.contract.numerals import chinese_to_int
from unionstats.contract.periods import HALF, MONTH, QUARTER, RANGE, YEAR, Period, enclosing, parse_period
from unionstats.intake.model import Dataset
from unionstats.store import database


@dataclass(frozen=True)
class Scope:
    """What a workbook replaces: its units' rows within the period it covers. `unnamed`: a unit stored under the
    file's name (naming.py) that a named import of the same file replaces."""

    units: tuple[str, ...]
    period: Period
    unnamed: str = ""

    def covers(self) -> list[str]:
        return [*self.units, self.unnamed] if self.unnamed else list(self.units)

    @property
    def label(self) -> str:
        """`红星小学2024年第二季度`, `红星小学、蓝天中学2024年第二季度`."""
        return f"{'、'.join(self.units)}{self.period.label}"


@dataclass(frozen=True)
class Part:
    """The counted rows of one unit in one stored batch within a period: what a replacement sets aside."""

    batch_id: int
    unit: str
    period: Period
    rows: int


def covered_period(dates: list[dt.date], declared: list[str], file_name: str = "") -> Period:
    """The period a workbook with these dates covers: the one its 报告期 names, else the one its file name names
    (`试验站2025年二季度（更正）.xlsx`), where that period holds every date; else the natural period of the dates
    (periods.enclosing). A quarter's correction holding rows of one month still replaces its quarter when it says so.
    """
    first, last = min(dates), max(dates)
    named = [p for p in (written_period(text, whole=True) for text in dict.fromkeys(declared) if text.strip())]
    if len(set(named)) > 1:  # units declaring different periods: none of them is the file's
        named = []
    if file_name:
        named.append(written_period(Path(file_name).stem, whole=False))
    for period in named:
        if period is not None and period.start <= first and last <= period.end:
            return period
    return enclosing(first, last)


_QUARTER = r"第?([1-4一二三四])季度?"
_MONTH_NUMBER = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_MONTH = _MONTH_NUMBER + "月份?"
_WRITTEN = (  # (pattern, kind, whether it may be found inside a longer text)
    (re.compile(rf"(\d{{4}})年?度?{_QUARTER}"), QUARTER),
    (re.compile(r"(\d{4})[Qq]([1-4])"), QUARTER),
    (re.compile(r"(\d{4})年?度?([上下])半年"), HALF),
    (re.compile(r"(\d{4})[Hh]([12])"), HALF),
    (re.compile(rf"(\d{{4}})年{_MONTH_NUMBER}月?[-—–~～至到]{_MONTH}"), RANGE),
    (re.compile(rf"(\d{{4}})年{_MONTH}"), MONTH),
    (re.compile(r"(\d{4})年?(?:度|全年)"), YEAR),
)


def _number(text: str) -> int:
    number = int(text) if text.isdigit() else chinese_to_int(text)
    if number is None:
        raise ValueError(text)
    return number


def _period(kind: str, year: int, *parts: str) -> Period:
    if kind == HALF:
        return Period.of(HALF, year, {"上": 1, "下": 2}.get(parts[0]) or int(parts[0]))
    if kind == RANGE:
        first, last = Period.of(MONTH, year, _number(parts[0])), Period.of(MONTH, year, _number(parts[1]))
        if last.end < first.start:
            raise ValueError(parts)
        return enclosing(first.start, last.end)
    return Period.of(kind, year, _number(parts[0])) if parts else Period.of(kind, year)


def written_period(text: str, whole: bool = True) -> Period | None:
    """The period a text names as offices write it: `2024年第二季度`, `2024年二季度`, `2024Q2`, `2024年上半年`,
    `2024年5月`, `2024年4-6月`, `2024年度`; None when it names none. `whole`: the text is only the period (a 报告期
    cell, where a bare `2024` or `2024年` is the year too); else the period is found inside it (a file name)."""
    cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))
    if whole:
        try:
            return parse_period(re.sub(r"^(\d{4})年$", r"\1", cleaned))
        except ValueError:
            pass
    for pattern, kind in _WRITTEN:
        match = pattern.fullmatch(cleaned) if whole else pattern.search(cleaned)
        if match:
            try:
                return _period(kind, int(match.group(1)), *match.groups()[1:])
            except (ValueError, KeyError):
                return None
    return None


def scope_of(dataset: Dataset, file_name: str = "") -> Scope:
    """What importing `dataset` replaces: its units within the period the file covers (only for a dataset with
    rows, all dated, as importing.problem requires)."""
    dated = [f[["unit", "date"]] for f in dataset.dated_frames().values() if len(f)]
    if not dated:  # yearly rows alone (a budget) replace no period's rows: a newer budget replaces its year's
        years = pd.concat([f["date"] for f in dataset.frames().values() if len(f)])
        return Scope((), enclosing(years.min().date(), dt.date(years.max().year, 12, 31)))
    rows = pd.concat(dated)
    declared = dataset.units["period_text"].tolist() if len(dataset.units) else []
    units = tuple(sorted(u for u in rows["unit"].unique() if u))
    stem = Path(file_name).stem[: schema.UNIT_LENGTH] if file_name else ""
    return Scope(units, covered_period(sorted({d.date() for d in rows["date"]}), declared, file_name),
                 stem if stem not in units else "")


def stored_scope(connection: sa.Connection, batch_id: int) -> Scope | None:
    """The scope a stored batch covered when it was imported (for restoring it); None for a batch without rows."""
    units = database.batch_units
    rows = connection.execute(sa.select(units.c.unit, units.c.first_date, units.c.last_date, units.c.period_text)
                              .where(units.c.batch_id == batch_id).order_by(units.c.unit)).all()
    rows = [r for r in rows if r.first_date is not None]
    if not rows:
        return None
    dates = [d for r in rows for d in (r.first_date, r.last_date)]
    name = connection.scalar(sa.select(database.batches.c.file_name).where(database.batches.c.id == batch_id))
    return Scope(tuple(r.unit for r in rows), covered_period(dates, [r.period_text for r in rows], name or ""))


def _counted_rows(table: sa.Table, batches: sa.Table, yearly: bool = False) -> sa.Select:
    """Rows of `table` in active batches that no replacement has set aside (a yearly sheet's rows never are)."""
    aside = database.set_aside
    replaced = sa.exists().where(aside.c.batch_id == table.c.batch_id, aside.c.unit == table.c.unit,
                                 aside.c.first_date <= table.c.date, aside.c.last_date >= table.c.date)
    query = (sa.select(table.c.batch_id, table.c.unit, sa.func.count().label("rows"))
             .join(batches, batches.c.id == table.c.batch_id).where(batches.c.state == database.ACTIVE))
    return query if yearly else query.where(~replaced)


def parts(connection: sa.Connection, scope: Scope, skip_batch: int | None = None) -> list[Part]:
    """The counted rows of each of the scope's units within its period, per stored batch (but `skip_batch`)."""
    batches, units = database.batches, database.batch_units
    found: dict[tuple[int, str], int] = {}
    for sheet in registry.sheets():
        if sheet.yearly:  # a period's replacement leaves a year's rows (a budget) counted
            continue
        table = database.data_table(sheet)
        for unit in scope.covers():
            query = _counted_rows(table, batches).where(
                table.c.unit == unit, table.c.date >= scope.period.start, table.c.date <= scope.period.end)
            if unit == scope.unnamed:
                query = query.where(sa.exists().where(units.c.batch_id == table.c.batch_id, units.c.unit == unit,
                                                      units.c.named.is_(False)))
            if skip_batch is not None:
                query = query.where(table.c.batch_id != skip_batch)
            for batch_id, _unit, rows in connection.execute(query.group_by(table.c.batch_id, table.c.unit)):
                found[(batch_id, unit)] = found.get((batch_id, unit), 0) + rows
    return [Part(b, u, scope.period, n) for (b, u), n in sorted(found.items())]


def counted_rows(connection: sa.Connection, batch_ids: list[int]) -> dict[int, int]:
    """How many rows of each batch are still counted (none for a batch that is not active)."""
    counts = dict.fromkeys(batch_ids, 0)
    for sheet in registry.sheets():
        table = database.data_table(sheet)
        query = _counted_rows(table, database.batches, sheet.yearly).where(table.c.batch_id.in_(batch_ids)).group_by(
            table.c.batch_id, table.c.unit)
        for batch_id, _unit, rows in connection.execute(query):
            counts[batch_id] += rows
    return counts


def set_aside(connection: sa.Connection, found: list[Part], by: int) -> tuple[list[int], list[int]]:
    """Record that batch `by` replaces these rows; the batches left with no counted row are marked replaced by
    it. Returns the ids of the batches touched, and of those replaced as a whole."""
    now = dt.datetime.now(dt.UTC)
    touched = sorted({p.batch_id for p in found})
    if not touched:
        return [], []
    connection.execute(sa.insert(database.set_aside), [
        dict(batch_id=p.batch_id, unit=p.unit, first_date=p.period.start, last_date=p.period.end, replaced_by=by,
             at=now) for p in found])
    batches = database.batches
    empty = [b for b, n in counted_rows(connection, touched).items() if n == 0]
    connection.execute(sa.update(batches).where(batches.c.id.in_(touched)).values(changed_at=now))
    if empty:
        connection.execute(sa.update(batches).where(batches.c.id.in_(empty)).values(
            state=database.REPLACED, replaced_by=by))
    return touched, sorted(empty)


def replacers(connection: sa.Connection, batch_id: int) -> set[int]:
    """The batches that replaced some of this batch's rows."""
    aside = database.set_aside
    return set(connection.scalars(sa.select(aside.c.replaced_by).where(aside.c.batch_id == batch_id)))


def replaced_by(connection: sa.Connection, batch_id: int) -> tuple[int, ...]:
    """The batches (not deleted) some of whose rows this batch replaced: deleting it does not count them again."""
    aside, batches = database.set_aside, database.batches
    query = (sa.select(aside.c.batch_id).join(batches, batches.c.id == aside.c.batch_id)
             .where(aside.c.replaced_by == batch_id, batches.c.state != database.DELETED).distinct())
    whole = sa.select(batches.c.id).where(batches.c.replaced_by == batch_id, batches.c.state == database.REPLACED)
    return tuple(sorted(set(connection.scalars(query)) | set(connection.scalars(whole))))


def bring_back(connection: sa.Connection, batch_id: int) -> None:
    """Count every row of the batch again (the caller sets its state)."""
    connection.execute(sa.delete(database.set_aside).where(database.set_aside.c.batch_id == batch_id))


def active_records(connection: sa.Connection) -> pd.DataFrame:
    """The replacements in force (on active batches): batch_id, unit, first_date, last_date, replaced_by."""
    aside, batches = database.set_aside, database.batches
    query = (sa.select(aside.c.batch_id, aside.c.unit, aside.c.first_date, aside.c.last_date, aside.c.replaced_by)
             .join(batches, batches.c.id == aside.c.batch_id).where(batches.c.state == database.ACTIVE)
             .order_by(aside.c.id))
    frame = pd.read_sql(query, connection)
    return frame.astype({"first_date": "datetime64[us]", "last_date": "datetime64[us]"})


def newest(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a yearly sheet (with batch_id, unit and date) that count: of each unit and year, those of the
    newest batch that holds any, so that a corrected budget replaces the one before it whole."""
    if not len(frame):
        return frame
    latest = frame.groupby(["unit", "date"], sort=False)["batch_id"].transform("max")
    kept = frame["batch_id"] == latest
    return frame if kept.all() else frame[kept]


def without(frame: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """The rows of `frame` (with batch_id, unit and date) that no record in `records` sets aside."""
    if not len(records) or not len(frame):
        return frame
    out = pd.Series(False, index=frame.index)
    for record in records.itertuples(index=False):
        out |= ((frame["batch_id"] == record.batch_id) & (frame["unit"] == record.unit)
                & (frame["date"] >= record.first_date) & (frame["date"] <= record.last_date))
    return frame[~out] if out.any() else frame


def described(records: pd.DataFrame, units_of_batch: dict[int, int]) -> dict[int, str]:
    """Each partly replaced batch's replacements in words, for the batch list:
    `2024年第二季度已被第5批替换`, naming the unit where the batch holds several (`红星小学2024年第二季度…`)."""
    said: dict[int, list[str]] = {}
    grouped = records.groupby(["batch_id", "first_date", "last_date", "replaced_by"], sort=False)["unit"]
    for (batch_id, first, last, by), units in grouped:
        period = enclosing(pd.Timestamp(first).date(), pd.Timestamp(last).date())
        whose = "、".join(dict.fromkeys(units)) if units_of_batch.get(batch_id, 1) > 1 else ""
        said.setdefault(int(batch_id), []).append(f"{whose}{period.label}已被第{int(by)}批替换")
    return {b: "；".join(texts) for b, texts in said.items()}


def replaced_detail(found: list[Part]) -> str:
    """What a replacement sets aside, for the audit trail and messages: `第1批中红星小学2024年第二季度的12行`."""
    by_batch: dict[int, list[Part]] = {}
    for part in found:
        by_batch.setdefault(part.batch_id, []).append(part)
    return "、".join(f"第{b}批中{'、'.join(p.unit for p in ps)}{ps[0].period.label}的{sum(p.rows for p in ps)}行"
                    for b, ps in by_batch.items())
