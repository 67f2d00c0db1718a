"""经费合规 at a federation's scale: one check of a million rows against a rule set changed once a year.

Builds, in memory, UNITS units x YEARS years of 慰问 and 活动 rows (default 200 x 5, 1,000,000 rows: 600,000
慰问 of which half name a member, 400,000 活动), as the store hands them to the check (the model's frames with
their places), and times `check` on all rows and on one year. Two versions are in force (a cap lowered in the
middle of the third year), so the check also picks each row's version.

Usage: python bench/bench_compliance.py [--rows 1000000] [--units 200] [--years 5] [--runs 5]
Prints the median and the fastest of the runs, in seconds, and the findings; the target is at most 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from unionstats.compliance.check import check  # noqa: E402
from unionstats.compliance.rules import Version, builtin  # noqa: E402
from unionstats.contract.periods import Period  # noqa: E402
from unionstats.kinds.events.sheet import CATEGORIES  # noqa: E402
from unionstats.kinds.visits import REASONS  # noqa: E402


def frames(rows: int, units: int, years: int, seed: int = 7) -> dict[str, pd.DataFrame]:
    random = np.random.default_rng(seed)
    first = np.datetime64(f"{2026 - years}-01-01")
    names = np.array([f"单位{i:03d}工会" for i in range(units)])

    def place(n: int, sheet: str) -> dict:
        return {"date": pd.to_datetime(first + random.integers(0, 365 * years, n).astype("timedelta64[D]")),
                "unit": names[random.integers(0, units, n)], "sheet": sheet, "row": np.arange(2, n + 2),
                "source": "联合会.xlsx", "batch_id": random.integers(1, units * years * 4, n)}

    n = rows * 6 // 10
    people = np.where(random.random(n) < 0.5, 1, random.integers(1, 60, n))
    members = np.array([f"会员{i}" for i in range(400)])
    visits = pd.DataFrame({
        **place(n, "慰问"), "reason": np.array(REASONS)[random.integers(0, len(REASONS), n)],
        "person": np.where(people == 1, members[random.integers(0, 400, n)], ""), "count": people,
        "amount": np.round(people * random.gamma(4, 120, n), 2), "group": "", "notes": ""})
    m = rows - n
    spent = random.integers(0, 300, m)
    events = pd.DataFrame({
        **place(m, "活动"), "category": np.array(CATEGORIES)[random.integers(0, len(CATEGORIES), m)],
        "name": "活动", "participants": spent, "spending": np.round(spent * random.gamma(3, 60, m), 2)})
    return {"visits": visits.astype({"reason": "str", "person": "str", "unit": "str"}),
            "events": events.astype({"category": "str", "unit": "str"})}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    data = frames(options.rows, options.units, options.years)
    anhui = builtin("anhui")
    lowered = anhui.with_caps({"illness": 800, "festival": 1200})
    middle = 2026 - options.years + 2
    versions = [Version(anhui, anhui.date), Version(lowered, dt.date(middle, 7, 1), 1)]
    for label, period in (("all rows", None), (f"the year {middle}", Period.of("year", middle))):
        seconds, found = [], None
        for _ in range(options.runs):
            start = time.perf_counter()
            found = check(data, versions, period)
            seconds.append(time.perf_counter() - start)
        assert found is not None
        print(f"{label}: {found.checked:,} rows checked, {len(found.findings):,} findings, "
              f"{found.unnamed:,} checked per head only; median {statistics.median(seconds):.2f} s, "
              f"fastest {min(seconds):.2f} s over {options.runs} runs")


if __name__ == "__main__":
    main()
