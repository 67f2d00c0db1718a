"""A district federation's store: import throughput and the dashboard's queries.

Builds a store of UNITS units x YEARS years of quarterly batches (default
200 x 5 = 4,000 batches, about a million rows), then measures:

- import: workbooks per second end to end (load + store) on a sample of real
  .xlsx files, and rows per second for the bulk of the batches;
- reading the active rows into DataFrames once (what the dashboard caches);
- the same period/unit aggregations done two ways: pandas on the cached
  frames (`stats.figures`, and a bare group-by), and SQL on the store.

Usage: python bench/bench_store.py [--db URL] [--units 200] [--years 5]
Prints seconds and milliseconds; the store is rebuilt when it holds fewer batches than asked for.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from workbooks import workbook_bytes  # noqa: E402

from unionstats.contract import schema
from unionstats.contract.periods import Period, parse_period  # noqa: E402
from unionstats.figures.engine import figures  # noqa: E402
from unionstats.intake import model
from unionstats.intake.model import Dataset  # noqa: E402
from unionstats.kinds import competitions as competitions_kind
from unionstats.kinds import donations as donations_kind
from unionstats.kinds import events as events_kind
from unionstats.kinds import visits as visits_kind
from unionstats.store import database  # noqa: E402
from unionstats.store.batches import Store  # noqa: E402

ROWS_PER_BATCH = {"events": 130, "visits": 80, "donations": 10, "competitions": 30}
CATEGORIES = events_kind.CATEGORIES
REASONS = visits_kind.REASONS


def quarter_rows(rng: random.Random, unit: str, year: int, quarter: int) -> dict[str, list[list]]:
    start = dt.date(year, 3 * quarter - 2, 1)

    def day() -> dt.date:
        return start + dt.timedelta(days=rng.randrange(89))

    return {
        "活动": [["日期", "活动名称", "类别", "参与人次", "支出", "单位"]] + [
            [day(), f"活动{rng.randrange(300)}", rng.choice(CATEGORIES), rng.randrange(5, 300),
             round(rng.uniform(0, 8000), 2), unit] for _ in range(ROWS_PER_BATCH["events"])],
        "慰问": [["日期", "事由", "对象类别", "人次", "金额", "单位"]] + [
            [day(), rng.choice(REASONS), rng.choice(visits_kind.GROUPS), rng.randrange(1, 5),
             rng.choice([300, 500, 800, 1000, 3000]), unit] for _ in range(ROWS_PER_BATCH["visits"])],
        "捐款": [["日期", "项目", "捐款金额", "物资件数", "单位"]] + [
            [day(), rng.choice(["慈善一日捐", "抗洪救灾", "结对帮扶"]), rng.randrange(100, 30000), rng.randrange(0, 40),
             unit] for _ in range(ROWS_PER_BATCH["donations"])],
        "比赛": [["日期", "赛事名称", "级别", "名次", "获奖数", "单位"]] + [
            [day(), f"比赛{rng.randrange(80)}", rng.choice(competitions_kind.LEVELS),
             rng.choice(["第一名", "第二名", "第三名", "一等奖", "优秀奖", "参与"]), rng.randrange(1, 4), unit]
            for _ in range(ROWS_PER_BATCH["competitions"])],
        "单位信息": [["单位名称", unit], ["会员人数", rng.randrange(40, 600)]],
    }


def as_dataset(sheets: dict[str, list[list]], name: str) -> Dataset:
    """A loaded dataset without writing a workbook: the bulk import measures the store, not the reader."""
    dataset = Dataset(sources=[name])
    keys = {"活动": events_kind.SHEET, "慰问": visits_kind.SHEET, "捐款": donations_kind.SHEET, "比赛": competitions_kind.SHEET}
    for sheet_name, sheet in keys.items():
        header, *rows = sheets[sheet_name]
        columns = {schema.normalize_header(h): i for i, h in enumerate(header)}
        records = []
        for row in rows:
            record = {c.key: row[columns[c.name]] if c.name in columns else None for c in sheet.columns}
            if any(c.kind == schema.RESULT for c in sheet.columns):
                record["award_name"] = ""
            records.append(record)
        frame = pd.DataFrame(records)
        for column in sheet.columns:
            if column.default is not None:
                frame[column.key] = frame[column.key].fillna(column.default)
            elif column.kind in (schema.TEXT, schema.CATEGORY):
                frame[column.key] = frame[column.key].fillna("")
        frame["date"] = pd.to_datetime(frame["date"])
        frame["source"], frame["sheet"], frame["row"] = name, sheet_name, range(2, len(frame) + 2)
        dataset.tables[sheet.key] = frame.astype(model.frame_dtypes(sheet))
    unit, members = sheets["单位信息"][0][1], sheets["单位信息"][1][1]
    dataset.units = pd.DataFrame({"unit": [unit], "members": [members], "period_text": [""], "source": [name],
                                  "named": [True]}).astype(
        {"unit": "str", "members": "Int64", "period_text": "str", "source": "str", "named": "bool"})
    return dataset


def build(store: Store, units: int, years: int, real_files: int) -> dict:
    rng = random.Random(3)
    first_year = 2021
    jobs = [(u, y, q) for y in range(first_year, first_year + years) for q in (1, 2, 3, 4) for u in range(units)]
    files_seconds, bulk_seconds, bulk_rows = 0.0, 0.0, 0
    for index, (u, y, q) in enumerate(jobs):
        sheets = quarter_rows(rng, f"第{u + 1:03d}基层工会", y, q)
        name = f"u{u:03d}-{y}Q{q}.xlsx"
        if index < real_files:
            data = workbook_bytes(sheets)
            started = time.perf_counter()
            assert store.import_bytes(data, name).status == "imported"
            files_seconds += time.perf_counter() - started
        else:
            dataset = as_dataset(sheets, name)
            started = time.perf_counter()
            assert store.import_dataset(dataset, name).status == "imported"
            bulk_seconds += time.perf_counter() - started
            bulk_rows += dataset.row_count
        if index % 500 == 0:
            print(f"  {index}/{len(jobs)} batches", flush=True)
    return {"files": real_files, "files_seconds": files_seconds, "bulk_rows": bulk_rows,
            "bulk_seconds": bulk_seconds}


def sql_aggregate(store: Store, period: Period, units: list[str] | None) -> list:
    events, batches = database.DATA_TABLES["events"], database.batches
    query = (
        sa.select(events.c.category, sa.func.count(), sa.func.sum(events.c.participants),
                  sa.func.sum(events.c.spending))
        .join(batches, batches.c.id == events.c.batch_id)
        .where(batches.c.state == database.ACTIVE, events.c.date >= period.start, events.c.date <= period.end)
        .group_by(events.c.category)
    )
    if units:
        query = query.where(events.c.unit.in_(units))
    with store.engine.connect() as connection:
        return connection.execute(query).all()


def pandas_aggregate(frame: pd.DataFrame, period: Period, units: list[str] | None) -> pd.DataFrame:
    mask = period.mask(frame["date"])
    if units:
        mask &= frame["unit"].isin(units)
    return frame[mask].groupby("category")[["participants", "spending"]].agg(["count", "sum"])


def timed_ms(function, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=f"sqlite:///{ROOT / 'bench' / 'out' / 'federation.db'}")
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--real-files", type=int, default=100, help="batches imported from real .xlsx files")
    args = parser.parse_args()
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    store = Store(args.db)
    expected = args.units * args.years * 4
    if len(store.batches()) < expected:  # (each run adds one more batch: the import measured below)
        with store.engine.begin() as connection:
            everything = sa.MetaData()
            everything.reflect(connection)
            everything.drop_all(connection)
        store = Store(args.db)
        print(f"building {expected} batches in {args.db} ...", flush=True)
        built = build(store, args.units, args.years, args.real_files)
        print(f"import, real .xlsx files: {built['files'] / built['files_seconds']:.1f} workbooks/s "
              f"({sum(ROWS_PER_BATCH.values())} rows each, load + store)")
        print(f"import, bulk: {built['bulk_rows'] / built['bulk_seconds']:,.0f} rows/s")
    started = time.perf_counter()
    dataset = store.dataset()
    print(f"read active rows into DataFrames: {dataset.row_count:,} rows in {time.perf_counter() - started:.2f} s"
          " (once per process)")
    figures(dataset, parse_period("2022Q2"), None)  # a running server has computed figures before
    extra = workbook_bytes(quarter_rows(random.Random(7), f"新入会基层工会{time.time_ns()}", 2025, 4))
    started = time.perf_counter()
    assert store.import_bytes(extra, f"new-{time.time_ns()}.xlsx").status == "imported"
    imported = time.perf_counter() - started
    dataset = store.dataset()
    read = time.perf_counter() - started - imported
    figures(dataset, parse_period("2025Q4"), None)
    first = time.perf_counter() - started - imported
    print(f"a {sum(ROWS_PER_BATCH.values())}-row workbook: import {imported:.2f} s; then the rows read {read:.2f} s, "
          f"the first figures {first:.2f} s after it")
    units = sorted(dataset.events["unit"].unique())
    cases = {
        "one year, all units": (parse_period("2024"), None),
        "one quarter, all units": (parse_period("2023Q3"), None),
        "one month, one unit": (parse_period("2022-05"), units[:1]),
        "half year, ten units": (parse_period("2025H1"), units[:10]),
        "five years, all units": (Period(dt.date(2021, 1, 1), dt.date(2025, 12, 31)), None),
    }
    print(f"{'aggregation':28s} {'SQL':>9s} {'pandas':>9s} {'figures()':>10s}   (median of 5, ms)")
    for label, (period, chosen) in cases.items():
        sql = timed_ms(lambda p=period, c=chosen: sql_aggregate(store, p, c))
        frame = timed_ms(lambda p=period, c=chosen: pandas_aggregate(dataset.events, p, c))
        full = timed_ms(lambda p=period, c=chosen: figures(dataset, p, c), repeat=3)
        print(f"{label:28s} {sql:9.0f} {frame:9.0f} {full:10.0f}")


if __name__ == "__main__":
    main()
