"""How the app grows with the store: cold start, memory, a filter change and an import at 1M, 3M and 10M rows.

The larger stores are bench_store.py's federation copied inside the database, k times, each copy with its own
batches (ids, content hashes) and its own units (第001基层工会-2 …): a district of 200 units becomes a city of
600 or 2,000, five years each. Then, for each store, a new process (as after a restart):

- cold start: opens the store and reads every active row (`Store.dataset`) from the columnar copy on the local
  disk (written by a first process, not timed), and from the database alone;
- memory: the process's peak resident memory once its rows and first figures are held;
- a filter change: one view's figures measured from nothing (a quarter, all units, with 上期 and 去年同期; and
  one unit's half year), the work a click on a view nobody measured ahead does;
- an import: a 250-row workbook of a new unit, through `Store.import_bytes`;
- the prototype of what takes over past memory (docs/scaling.md): the heaviest figure, five years of all units'
  activities by category, aggregated by the database itself (bench_store.sql_aggregate).

Usage: python bench/bench_scale.py [--db URL] [--factors 1,3,10] [--runs 2]
The store at --db is bench_store.py's (build it first); its copies go beside it (SQLite) or into databases
named <name>_x3 … (PostgreSQL, created here).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from unionstats.contract import registry  # noqa: E402
from unionstats.store.batches import Store  # noqa: E402

CHILD = r"""
import datetime as dt, json, random, resource, sys, time
sys.path[:0] = [sys.argv[2], sys.argv[2] + "/bench", sys.argv[2] + "/tests"]
from bench_store import quarter_rows, sql_aggregate
from unionstats.contract.periods import Period
from workbooks import workbook_bytes
from unionstats.contract.periods import parse_period
from unionstats.figures.engine import figures
from unionstats.store.batches import Store
started = time.perf_counter()
store = Store(sys.argv[1])
dataset = store.dataset()
read = time.perf_counter() - started
if store._rows.saving is not None:
    store._rows.saving.join()
unit = sorted(dataset.events["unit"].unique())[7]
started = time.perf_counter()
figures(dataset, parse_period("2023Q3"), None)
quarter = time.perf_counter() - started
started = time.perf_counter()
figures(dataset, parse_period("2024H1"), [unit])
one_unit = time.perf_counter() - started
book = workbook_bytes(quarter_rows(random.Random(time.time_ns()), f"规模测试{time.time_ns()}", 2025, 4))
started = time.perf_counter()
assert store.import_bytes(book, f"scale-{time.time_ns()}.xlsx").status == "imported"
imported = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
sql_aggregate(store, Period(dt.date(2021, 1, 1), dt.date(2025, 12, 31)), None)  # the prototype: in the database
in_sql = time.perf_counter() - started
print(json.dumps({"rows": dataset.row_count, "read": read, "quarter": quarter, "one_unit": one_unit,
                  "import": imported, "peak_mb": peak, "sql": in_sql}))
"""


def scaled_url(url: str, factor: int) -> str:
    if factor == 1:
        return url
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        return f"sqlite:///{path.with_name(f'{path.stem}_x{factor}{path.suffix}')}"
    return parsed.set(database=f"{parsed.database}_x{factor}").render_as_string(hide_password=False)


def copy_store(source: str, target: str, factor: int) -> None:
    """The source store's tables, then its batches and rows k−1 more times under new ids, hashes and units."""
    parsed = sa.engine.make_url(target)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database).unlink(missing_ok=True)
        with sa.create_engine(source).connect() as connection:
            connection.exec_driver_sql(f"VACUUM INTO '{parsed.database}'")
    else:
        admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{parsed.database}"')
            template = sa.engine.make_url(source).database
            connection.exec_driver_sql(f'CREATE DATABASE "{parsed.database}" TEMPLATE "{template}"')
    engine = sa.create_engine(target)
    with engine.begin() as connection:
        last = connection.exec_driver_sql("SELECT max(id) FROM batches").scalar_one()
        for k in range(2, factor + 1):
            offset, tag = (k - 1) * last, f"-{k}"
            connection.exec_driver_sql(
                "INSERT INTO batches (id, file_name, content_hash, period_start, period_end, row_counts, skipped_rows,"
                " imported_by, imported_at, state, replaced_by, changed_at)"
                f" SELECT id + {offset}, file_name || '{tag}', substr(content_hash, 1, 56) || 'copy{k:03d}',"
                " period_start, period_end, row_counts, skipped_rows, imported_by, imported_at, state, replaced_by,"
                f" changed_at FROM batches WHERE id <= {last}")
            connection.exec_driver_sql(
                "INSERT INTO batch_units (batch_id, unit, first_date, last_date, members, period_text, named)"
                f" SELECT batch_id + {offset}, unit || '{tag}', first_date, last_date, members, period_text, named"
                f" FROM batch_units WHERE batch_id <= {last}")
            for sheet in registry.sheets():
                table = sa.Table(sheet.key, sa.MetaData(), autoload_with=connection)
                columns = [c.name for c in table.columns if c.name not in ("id", "batch_id", "unit")]
                listed = ", ".join(f'"{c}"' for c in columns)
                connection.exec_driver_sql(
                    f'INSERT INTO "{sheet.key}" (batch_id, unit, {listed})'
                    f" SELECT batch_id + {offset}, unit || '{tag}', {listed} FROM \"{sheet.key}\""
                    f" WHERE batch_id <= {last}")
        if parsed.get_backend_name() == "postgresql":
            connection.exec_driver_sql(f"SELECT setval('batches_id_seq', {factor * last + 100})")
    with engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
    Store(target)  # (migrated if the source was older)


def held_batches(url: str) -> int:
    """The store's batches; 0 where there is no such store yet."""
    try:
        with sa.create_engine(url).connect() as connection:
            return connection.exec_driver_sql("SELECT count(*) FROM batches").scalar_one()
    except sa.exc.SQLAlchemyError:
        return 0


def run_child(url: str, snapshot: str) -> dict:
    env = {**os.environ, "UNIONSTATS_SNAPSHOT_DIR": snapshot}
    done = subprocess.run([sys.executable, "-c", CHILD, url, str(ROOT)], env=env, cwd=ROOT, capture_output=True,
                          text=True)
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=f"sqlite:///{ROOT / 'bench' / 'out' / 'federation.db'}")
    parser.add_argument("--factors", default="1,3,10")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    print(f"{'rows':>12s} {'cold, copy':>11s} {'cold, db':>9s} {'peak MB':>8s} {'quarter':>8s} {'one unit':>9s} "
          f"{'import':>7s} {'SQL 5 years':>12s}   (s; median of {args.runs})")
    for factor in (int(f) for f in args.factors.split(",")):
        url = scaled_url(args.db, factor)
        if factor > 1 and held_batches(url) < factor * (held_batches(args.db) - 100):  # (each run adds one)
            copy_store(args.db, url, factor)
        with tempfile.TemporaryDirectory(prefix="unionstats-scale-") as folder:
            run_child(url, folder)  # writes the copy
            copied = [run_child(url, folder) for _ in range(args.runs)]
            database = [run_child(url, "off") for _ in range(args.runs)]

        def median(runs: list[dict], key: str) -> float:
            return statistics.median(r[key] for r in runs)

        print(f"{copied[0]['rows']:>12,d} {median(copied, 'read'):>11.2f} {median(database, 'read'):>9.2f} "
              f"{median(copied, 'peak_mb'):>8.0f} {median(copied, 'quarter'):>8.2f} {median(copied, 'one_unit'):>9.2f} "
              f"{median(copied + database, 'import'):>7.2f} {median(copied + database, 'sql'):>12.2f}", flush=True)


if __name__ == "__main__":
    main()
