"""A new app process's cold start: how long until it holds every stored row and the newest quarter's figures.

Each measurement is a new Python process (as a new app process after a restart or a deploy), which opens the
store, reads every active row into the model's frames (`Store.dataset`) and measures the newest quarter for all
units, the first page's figures. Two ways:

- `database`: no columnar copy (UNIONSTATS_SNAPSHOT_DIR=off): every row fetched from the database;
- `snapshot`: the copy on the local disk (store/snapshot.py) written by an earlier process, as after a restart.

Printed per way: the median and the spread of the read and of the first figures (seconds), the whole process's
time, and its peak memory. The imports of Python modules are timed apart: they are the same for both ways.

Usage: python bench/bench_coldstart.py [--db URL] [--runs 3]
The store is bench_store.py's (build it first: python bench/bench_store.py [--db URL]).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
started = time.perf_counter()
from unionstats.contract.periods import QUARTER, Period
from unionstats.figures.engine import all_dates, figures
from unionstats.store.batches import Store
imported = time.perf_counter()
store = Store(sys.argv[1])
dataset = store.dataset()
read = time.perf_counter()
newest = all_dates(dataset).max()
figures(dataset, Period.of(QUARTER, newest.year, (newest.month - 1) // 3 + 1), None)
measured = time.perf_counter()
if store._rows.saving is not None:
    store._rows.saving.join()  # (not timed: a server goes on serving while the copy is written)
print(json.dumps({"imports": imported - started, "read": read - imported, "figures": measured - read,
                  "rows": dataset.row_count, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_child(url: str, snapshot_dir: str) -> dict:
    env = {**os.environ, "UNIONSTATS_SNAPSHOT_DIR": snapshot_dir}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, url], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process"] = time.perf_counter() - started
    return figures


def summary(runs: list[dict], key: str) -> str:
    values = [r[key] for r in runs]
    return f"{statistics.median(values):6.2f} s ({min(values):.2f}–{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=f"sqlite:///{ROOT / 'bench' / 'out' / 'federation.db'}")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="unionstats-snapshot-") as folder:
        ways = {"database": "off", "snapshot": folder}
        run_child(args.db, folder)  # writes the copy, as the first process after an upgrade does
        results = {way: [run_child(args.db, setting) for _ in range(args.runs)] for way, setting in ways.items()}
    rows = results["database"][0]["rows"]
    print(f"cold start of a new process on {args.db.split('@')[-1]}: {rows:,} rows, median of {args.runs} "
          "(min–max)")
    print(f"{'way':10s} {'read rows':>24s} {'first figures':>24s} {'whole process':>24s} {'peak MB':>8s}")
    for way, runs in results.items():
        peak = statistics.median(r["peak_mb"] for r in runs)
        print(f"{way:10s} {summary(runs, 'read'):>24s} {summary(runs, 'figures'):>24s} "
              f"{summary(runs, 'process'):>24s} {peak:8.0f}")
    print(f"python imports (both ways): {summary(results['database'], 'imports')}")


if __name__ == "__main__":
    main()
