"""One person changing the sidebar's filters on a federation's store, as the server sees it: each click's run.

One long-lived AppTest session on 总览 (the script runs in this process, as in the server, with measuring ahead
on), at bench_store.py's store. Measured, each a run's wall time:

1. settled: the store read and the likely periods measured ahead; then changes to views nothing measured
   ahead (a unit, an older month, 对比 to 去年同期, a half year of ten units);
2. after an import: another process (`python -m unionstats import`) imports a workbook of a new unit
   (250 rows), then, `--pause` seconds later (default 0: at once), the open page's next run and the same kind of
   filter changes, while measuring ahead runs again in the background. At once, the next run reads the new batch
   and measures the view itself; a second or two later, the process's watching thread has done it.

Usage: python bench/bench_filters.py [--db URL] [--pause SECONDS]
Prints each run in ms; the target is every filter change under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests")]

from bench_store import quarter_rows  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402
from workbooks import workbook_bytes  # noqa: E402


def timed(at: AppTest, change=None) -> float:
    if change is not None:
        change(at)
    started = time.perf_counter()
    at.run()
    assert not at.exception, at.exception[0].message
    return (time.perf_counter() - started) * 1000


def measuring_ahead_done(timeout: float = 600) -> None:
    for thread in threading.enumerate():
        if thread.name == "unionstats-measure-ahead":
            thread.join(timeout)


def changes(years: list[int], units: list[str]) -> list[tuple[str, object]]:
    """Views nothing measured ahead: one unit; a month of an older year; 去年同期; a half year of ten units."""

    def one_unit(at: AppTest) -> None:
        at.multiselect(key="f_units").set_value([units[3]])

    def old_month(at: AppTest) -> None:
        at.multiselect(key="f_units").set_value([])
        at.selectbox(key="f_year").set_value(years[-1])
        at.selectbox(key="f_period").set_value("按月")

    def year_ago(at: AppTest) -> None:
        at.radio(key="f_compare").set_value("去年同期")

    def ten_units_half(at: AppTest) -> None:
        at.radio(key="f_compare").set_value("上期")
        at.selectbox(key="f_period").set_value("上半年")
        at.multiselect(key="f_units").set_value(units[10:20])

    return [("一个单位", one_unit), (f"{years[-1]}年的月份", old_month), ("对比去年同期", year_ago),
            ("上半年，十个单位", ten_units_half)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=f"sqlite:///{ROOT / 'bench' / 'out' / 'federation.db'}")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between the import and the next run")
    args = parser.parse_args()
    os.environ["UNIONSTATS_DB"] = args.db
    os.environ["UNIONSTATS_MEASURE_AHEAD"] = "1"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    first = timed(at)
    measuring_ahead_done()
    years = [int(str(option).rstrip("年")) for option in at.selectbox(key="f_year").options]
    units = list(at.multiselect(key="f_units").options)
    print(f"first run (reads the rows): {first:.0f} ms; years {years}, {len(units)} units")
    settled = [(label, timed(at, change)) for label, change in changes(years, units)]
    at.multiselect(key="f_units").set_value([])
    at.selectbox(key="f_period").set_value("全年")
    timed(at)
    measuring_ahead_done()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "new-unit.xlsx"
        path.write_bytes(workbook_bytes(quarter_rows(random.Random(5), f"新基层工会{time.time_ns()}", 2025, 4)))
        subprocess.run([sys.executable, "-m", "unionstats", "import", str(path), "--db", args.db], cwd=ROOT,
                       check=True, capture_output=True)
    time.sleep(args.pause)
    after = [("导入后的下一次运行", timed(at))]
    after += [(label, timed(at, change)) for label, change in changes(years, units)]
    for phase, runs in (("settled", settled), (f"{args.pause:g} s after an import", after)):
        print(f"{phase}: " + "; ".join(f"{label} {ms:.0f} ms" for label, ms in runs)
              + f" (median {statistics.median(ms for _, ms in runs):.0f} ms, max {max(ms for _, ms in runs):.0f})")


if __name__ == "__main__":
    main()
