"""How fast unionstats reads a big workbook, against the readers it is built on.

Writes a 200,000-row workbook (four sheets) once, then times, each in a fresh
process so imports count as a user would feel them:

- unionstats: `python -m unionstats stats FILE --json` (load, validate, count);
- floor: a bare python-calamine read of every sheet in a process that has
  imported pandas (no pandas-based tool can be faster);
- pandas + calamine: `read_excel(engine="calamine", sheet_name=None)`;
- pandas + openpyxl: `read_excel(engine="openpyxl", sheet_name=None)`.

Every shape carries a 单位 column of 200 units, as a federation's workbook does (`--shape`):
- xlsxwriter (default): typed dates, whole-yuan money, inline strings;
- excel: the same with a shared-strings table, as Excel and WPS save;
- openpyxl: float money, inline strings;
- typed: as excel, filled in by hand: dates typed as text, a name (活动, 比赛) or person (慰问) of its own on
  every row, a note on every third. The hardest: nearly every text is distinct, and text is parsed per
  distinct value.

unionstats' own modules are compiled to bytecode first, as a user's first start leaves them: pip compiles the
libraries it installs, and an editable install's modules are compiled at their first import, unless
PYTHONDONTWRITEBYTECODE is set (as on the machines this runs on), which made every timed run compile the 58
modules a `stats` imports from source, about 0.1 s.

Usage: python bench/bench_load.py [--rows 200000] [--repeat 3] [--shape xlsxwriter|excel|openpyxl|typed]
Prints seconds (best and median of the repeats, run interleaved) and ratios to the floor.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"

SHARES = {"活动": 0.55, "慰问": 0.25, "捐款": 0.1, "比赛": 0.1}
HEADERS = {
    "活动": ["日期", "活动名称", "类别", "参与人次", "支出（元）", "单位", "备注"],
    "慰问": ["日期", "事由", "对象类别", "对象", "人次", "金额", "单位", "备注"],
    "捐款": ["日期", "项目", "捐款金额", "物资件数", "物资说明", "参与人数", "方式", "单位"],
    "比赛": ["日期", "赛事名称", "级别", "项目", "类型", "参赛人数", "名次", "获奖数", "单位"],
}


def make_row(sheet: str, rng: random.Random, day: dt.date, unit: str) -> list:
    if sheet == "活动":
        return [day, f"活动{rng.randrange(500)}", rng.choice(["文体活动", "节日活动", "学习培训", "参观旅游"]),
                rng.randrange(5, 200), round(rng.uniform(0, 5000), 2), unit, ""]
    if sheet == "慰问":
        return [day, rng.choice(["生病住院", "结婚", "生育", "丧事", "困难帮扶"]), "在职职工",
                f"职工{rng.randrange(900)}", rng.randrange(1, 4), rng.choice([500, 800, 1000, 2000]), unit, ""]
    if sheet == "捐款":
        return [day, rng.choice(["慈善一日捐", "抗洪救灾", "结对帮扶"]), rng.randrange(100, 20000),
                rng.randrange(0, 50), "", rng.randrange(1, 100), "集体", unit]
    return [day, f"比赛{rng.randrange(200)}", rng.choice(["市级", "区县级", "省级"]), "羽毛球", "个人",
            rng.randrange(1, 10), rng.choice(["第一名", "第二名", "三等奖", "参与"]), 1, unit]


def write_workbook(path: Path, rows: int, shape: str = "openpyxl") -> None:
    """`openpyxl`: float money, 7-9 columns; `xlsxwriter`: integer money, 6-8 columns, typed dates; both with
    inline strings. `excel`: as `xlsxwriter`, with the shared-strings table that Excel and WPS write. `typed`:
    as `excel`, filled in by hand: dates typed as text, a name (活动, 比赛) or person (慰问) of its own on every
    row, a note on every third."""
    if shape in ("xlsxwriter", "excel", "typed"):
        return write_xlsxwriter(path, rows, shared_strings=shape != "xlsxwriter", by_hand_typed=shape == "typed")
    rng = random.Random(7)
    workbook = Workbook(write_only=True)
    start = dt.date(2020, 1, 1)
    for sheet, share in SHARES.items():
        ws = workbook.create_sheet(sheet)
        ws.append(HEADERS[sheet])
        for _ in range(int(rows * share)):
            day = start + dt.timedelta(days=rng.randrange(5 * 365))
            ws.append(make_row(sheet, rng, day, f"第{rng.randrange(200)}基层工会"))
    workbook.save(path)


def by_hand(values: list, headers: list[str], row: int, unit: str) -> list:
    """The row as a cadre types it: the date as text, a name (or person) of its own, now and then a note."""
    typed = list(values)
    day = typed[0]
    typed[0] = [f"{day.year}.{day.month}.{day.day}", f"{day.year}年{day.month}月{day.day}日", day.isoformat()][row % 3]
    if "对象" in headers:  # 慰问: its 事由 is a choice, its 对象 a person
        typed[headers.index("对象")] = f"{typed[headers.index('对象')]}（{unit}，{row}）"
    elif "项目" in headers and "捐款金额" in headers:  # 捐款: a drive runs all year
        typed[1] = f"{day.year}年{typed[1]}"
    else:
        typed[1] = f"{day.month}月{day.day}日{unit}{typed[1]}（第{row}场）"
    if "备注" in headers and row % 3 == 0:
        typed[headers.index("备注")] = f"经费已报销，凭证号{row:06d}"
    return typed


def write_xlsxwriter(path: Path, rows: int, shared_strings: bool, by_hand_typed: bool = False) -> None:
    import xlsxwriter

    rng = random.Random(7)
    start = dt.date(2020, 1, 1)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": not shared_strings})
    dated = book.add_format({"num_format": "yyyy-mm-dd"})
    for sheet, share in SHARES.items():
        ws = book.add_worksheet(sheet)
        headers = [h for h in HEADERS[sheet] if h != "备注" or by_hand_typed]
        ws.write_row(0, 0, headers)
        for r in range(1, int(rows * share) + 1):
            day = start + dt.timedelta(days=rng.randrange(5 * 365))
            unit = f"第{rng.randrange(200)}基层工会"
            values = make_row(sheet, rng, day, unit)[: len(headers)]
            if by_hand_typed:
                values = by_hand(values, headers, r, unit)
            for c, value in enumerate(values):
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), dated)
                elif isinstance(value, float):
                    ws.write_number(r, c, round(value))
                else:
                    ws.write(r, c, value)
    book.close()


FLOOR = """
import pandas, python_calamine, sys
wb = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
for name in wb.sheet_names:
    wb.get_sheet_by_name(name).to_python()
"""
PANDAS = """
import pandas, sys
pandas.read_excel(sys.argv[1], sheet_name=None, engine=sys.argv[2])
"""


def run_once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def interleaved(commands: dict[str, list[str]], repeat: int) -> dict[str, list[float]]:
    """Each command `repeat` times, run in turn (A B C A B C ...): on a shared machine a slow spell
    then slows every command alike instead of one command's whole block."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            times[name].append(run_once(command))
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-openpyxl", action="store_true")
    parser.add_argument("--shape", choices=["openpyxl", "xlsxwriter", "excel", "typed"], default="xlsxwriter",
                        help="which writer's workbook to read (all are real; xlsxwriter's is the hardest one)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"big-{args.rows}-{args.shape}.xlsx"
    if not path.exists():
        print(f"writing {path} ...", flush=True)
        write_workbook(path, args.rows, args.shape)
    compileall.compile_dir(ROOT / "unionstats", quiet=1)  # (written even where imports may not write it)
    py = sys.executable
    times = interleaved({
        "floor (bare calamine, pandas imported)": [py, "-c", FLOOR, str(path)],
        "unionstats stats --json (whole process)": [py, "-m", "unionstats", "stats", str(path), "--json"],
        "pandas read_excel calamine": [py, "-c", PANDAS, str(path), "calamine"],
    }, args.repeat)
    if not args.skip_openpyxl:
        times["pandas read_excel openpyxl"] = [run_once([py, "-c", PANDAS, str(path), "openpyxl"])]
    results = {name: min(runs) for name, runs in times.items()}
    medians = {name: statistics.median(runs) for name, runs in times.items()}
    floor = results["floor (bare calamine, pandas imported)"]
    floor_median = medians["floor (bare calamine, pandas imported)"]
    size = path.stat().st_size / 1e6
    print(f"{args.rows:,} rows ({args.shape}), {size:.1f} MB, {args.repeat} runs each, interleaved")
    print(f"  {'':42s} {'best':>6s}            {'median':>6s}")
    for name, seconds in results.items():
        median = medians[name]
        print(f"  {name:42s} {seconds:6.2f} s {seconds / floor:5.2f}x   {median:6.2f} s {median / floor_median:5.2f}x")
    ours = results["unionstats stats --json (whole process)"]
    if "pandas read_excel openpyxl" in results:
        print(f"  openpyxl / unionstats: {results['pandas read_excel openpyxl'] / ours:.1f}x")


if __name__ == "__main__":
    main()
