"""What one rerun of each page costs the server when nothing changed.

Every click in Streamlit reruns the whole page script, so what a page rebuilds on each run is paid on every
widget interaction, by every session. This bench opens each page in AppTest (which runs the script in a thread
of this process), runs it twice to warm the caches, then reruns it N times with nothing changed and prints, per
page, the median of:

- script CPU: CPU time of the script's own thread (time.thread_time inside it), what the server pays for the run;
- process CPU: time.process_time around `at.run()`, the above plus AppTest's own parsing of the messages;
- wall: time.perf_counter around `at.run()`.

With --profile it then profiles one rerun of the heaviest pages (cProfile inside the script thread) and prints
the functions with the most cumulative time.

The store is UNITS units x YEARS years of quarterly batches built from bench_store.py's rows (no workbooks
written), kept in bench/out/ and reused when it holds as many batches. Background measuring ahead is off.

Usage: python bench/bench_reruns.py [--units 50] [--years 2] [--reruns 7] [--profile 3] [--pages 总览,经费支出]
       [--year 2022 --period Q3] (the sidebar's year and 统计期; default the newest year, 全年)

Before and after caching what does not change between reruns: bench/reruns.md (all ten pages, 50 units x 2
years: about 2,650 ms of script CPU for one rerun each, then about 190, 0.07x).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests")]
os.environ["UNIONSTATS_MEASURE_AHEAD"] = "0"  # (read at import: no background thread muddling the CPU time)

import streamlit.logger  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import (  # noqa: E402
    AppTest,  # noqa: E402
    app_test,
    local_script_runner,
)
from streamlit.testing.v1.local_script_runner import LocalScriptRunner  # noqa: E402

streamlit.logger.set_log_level("error")
# (switching pages outside a script run warns that there is none: expected here)
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").disabled = True
# A server compiles each page script once (one ScriptCache per runtime); AppTest makes a new cache for every run,
# which would count some 10 ms of compiling in every rerun here.
SCRIPTS = ScriptCache()
app_test.ScriptCache = local_script_runner.ScriptCache = lambda: SCRIPTS

from bench_store import as_dataset, quarter_rows  # noqa: E402

from unionstats.store.batches import Store  # noqa: E402
from unionstats.ui import signin  # noqa: E402

PAGES = [None, *sorted((ROOT / "pages").glob("*.py"))]


def page_name(page: Path | None) -> str:
    return "总览" if page is None else page.stem.split("_", 1)[1]


def build_store(url: str, units: int, years: int) -> Store:
    """The store at `url`, (re)built unless it already holds units x years x 4 batches."""
    store = Store(url)
    expected = units * years * 4
    if len(store.batches()) == expected:
        return store
    if not url.startswith("sqlite:///"):
        raise SystemExit(f"{url} holds {len(store.batches())} batches, not {expected}: give an empty SQLite path")
    path = Path(url.removeprefix("sqlite:///"))
    store.engine.dispose()
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    store = Store(url)
    rng = random.Random(3)
    started = time.perf_counter()
    for year in range(2021, 2021 + years):
        for quarter in (1, 2, 3, 4):
            for unit in range(units):
                name = f"u{unit:03d}-{year}Q{quarter}.xlsx"
                dataset = as_dataset(quarter_rows(rng, f"第{unit + 1:03d}基层工会", year, quarter), name)
                assert store.import_dataset(dataset, name).status == "imported"
    print(f"built {expected} batches in {time.perf_counter() - started:.0f} s: {url}", flush=True)
    return store


class ScriptClock:
    """The CPU time of each script run, taken in the script's own thread; and a profile of it when asked."""

    def __init__(self):
        self.last_ms = 0.0
        self.profile: cProfile.Profile | None = None
        real = LocalScriptRunner._run_script_thread
        clock = self

        def timed(runner):
            profile = clock.profile
            started = time.thread_time()
            if profile is not None:
                profile.enable()
            try:
                real(runner)
            finally:
                if profile is not None:
                    profile.disable()
                clock.last_ms = (time.thread_time() - started) * 1000

        LocalScriptRunner._run_script_thread = timed


def opened(page: Path | None, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for key, value in params.items():
        at.query_params[key] = value
    if page is not None:
        at.switch_page(f"pages/{page.name}")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def rerun_costs(at: AppTest, clock: ScriptClock, reruns: int) -> tuple[float, float, float]:
    """Median script CPU, process CPU and wall ms of `reruns` reruns with nothing changed."""
    script, process, wall = [], [], []
    for _ in range(reruns):
        cpu, started = time.process_time(), time.perf_counter()
        at.run()
        process.append((time.process_time() - cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        script.append(clock.last_ms)
        assert not at.exception, [e.message for e in at.exception]
    return statistics.median(script), statistics.median(process), statistics.median(wall)


def profiled(at: AppTest, clock: ScriptClock, lines: int = 30) -> str:
    clock.profile = cProfile.Profile()
    try:
        at.run()
    finally:
        profile, clock.profile = clock.profile, None
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
    stats.print_stats(lines)
    stats.print_stats(re.escape(str(ROOT)), lines)  # the project's own functions
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--db", help="store URL (default: bench/out/reruns-UNITSxYEARS.db)")
    parser.add_argument("--reruns", type=int, default=7)
    parser.add_argument("--profile", type=int, default=0, help="profile one rerun of the N heaviest pages")
    parser.add_argument("--pages", default="", help="comma-separated page names (default: every page)")
    parser.add_argument("--year", default="", help="the year the sidebar shows (default: the newest)")
    parser.add_argument("--period", default="", help="统计期 as in the URL: H1, Q3, M (default: 全年)")
    args = parser.parse_args()
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    url = args.db or f"sqlite:///{ROOT / 'bench' / 'out' / f'reruns-{args.units}x{args.years}.db'}"
    build_store(url, args.units, args.years)
    os.environ["UNIONSTATS_DB"] = url
    signin.client_address = lambda: "127.0.0.1"  # 单机模式, opened on the server itself (as the page tests do)
    clock = ScriptClock()
    params = {k: v for k, v in (("year", args.year), ("period", args.period)) if v}
    chosen = set(filter(None, args.pages.split(",")))
    pages = [p for p in PAGES if not chosen or page_name(p) in chosen]
    print(f"{'page':8s} {'first ms':>9s} {'script CPU':>11s} {'process CPU':>12s} {'wall':>7s}"
          f"   (one rerun, ms, median of {args.reruns})", flush=True)
    costs, apps = {}, {}
    for page in pages:
        started = time.perf_counter()
        at = opened(page, params)
        first = (time.perf_counter() - started) * 1000
        at.run()  # (a second warm run: anything built on the first rerun is built now)
        costs[page_name(page)] = rerun_costs(at, clock, args.reruns)
        apps[page_name(page)] = at
        script, process, wall = costs[page_name(page)]
        print(f"{page_name(page):8s} {first:9.0f} {script:11.1f} {process:12.1f} {wall:7.1f}", flush=True)
    print(f"{'all':8s} {'':9s} {sum(c[0] for c in costs.values()):11.1f} {sum(c[1] for c in costs.values()):12.1f}"
          f" {sum(c[2] for c in costs.values()):7.1f}")
    for name in sorted(costs, key=lambda n: -costs[n][0])[:args.profile]:
        print(f"\n=== {name}: one rerun, by cumulative time ===")
        print(profiled(apps[name], clock))


if __name__ == "__main__":
    main()
