"""Fuzz the command line with thousands of hostile files and count what goes wrong.

Generates N files with tests/fuzz_files.py (file i of a run is rebuilt from
`--seed` and i alone), writes them to a temporary folder and runs them through
`python -m unionstats check --json` in batches, `--jobs` processes at a time,
each with UNIONSTATS_READ_SECONDS (and, if given, UNIONSTATS_READ_MEMORY_MB)
set. A batch that crashes, hangs, prints a traceback or exits with another
code than 0 or 1 is split in halves and run again until the files to blame
are found one by one. Each batch runs under a small wrapper that adopts the
orphaned fork server, so the peak memory reported is that of the largest
process of any batch: the command line, the fork server or a reader child.

Usage:
    python bench/bench_fuzz.py                          # 10,000 files, 500 per process, 2 processes
    python bench/bench_fuzz.py --count 2000 --seed 7
    python bench/bench_fuzz.py --count 500 --batch 100 --jobs 1 --read-seconds 10 --memory-mb 1024 --keep

Prints: files, exit codes, crashes (signal exits), hangs (a batch past
`--batch-timeout`), tracebacks, files without a report, messages that are
not Chinese or hold control characters, total time, files/s, peak memory,
and how the files ended (passed, refused as damaged, over the memory or time
limit, unexpected errors...).
Offending files are saved in bench/out/fuzz-failures/<reason>/ with a .txt
saying how each was made and what happened; files the loader turned down
only through its catch-all ("意外错误", "意外退出") go to bench/out/fuzz-notes/.
Exit status 1 when anything failed, else 0.
"""

from __future__ import annotations

import argparse
import collections
import ctypes
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
FAILURES, NOTES = OUT / "fuzz-failures", OUT / "fuzz-notes"
CJK = re.compile(r"[\u4e00-\u9fff]")
NOTES_PER_KIND = 20


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Fuzz `python -m unionstats check` with hostile files")
    parser.add_argument("--count", type=int, default=10_000, help="files to generate (default 10,000)")
    parser.add_argument("--batch", type=int, default=500, help="files per check process (default 500)")
    parser.add_argument("--jobs", type=int, default=2, help="check processes at a time (default 2)")
    parser.add_argument("--seed", default="1", help="run seed; file i is the same for the same seed")
    parser.add_argument("--read-seconds", type=float, default=20, help="UNIONSTATS_READ_SECONDS (default 20)")
    parser.add_argument("--memory-mb", type=int, help="UNIONSTATS_READ_MEMORY_MB (default: the library's)")
    parser.add_argument("--batch-timeout", type=float, default=900, help="seconds before a batch is a hang")
    parser.add_argument("--keep", action="store_true", help="keep the generated files and print their folder")
    return parser.parse_args(argv)


# ---------------------------------------------------------------------------------------------------------------
# The wrapper each batch runs under: `bench_fuzz.py --wrap REPORT -- COMMAND...`

def wrap(report: str, command: list[str]) -> int:
    """Run `command` as a child subreaper: the fork server it leaves behind is reparented here and reaped, so
    RUSAGE_CHILDREN holds the largest resident size of the whole tree. Writes the exit status and that peak."""
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    child = subprocess.Popen(command)
    status = child.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if not pid:
            time.sleep(0.05)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    Path(report).write_text(json.dumps({"status": status, "peak_kb": peak}))
    return 0


# ---------------------------------------------------------------------------------------------------------------
# Running batches

@dataclass
class Run:
    files: list[str]
    status: int | None = None
    timed_out: bool = False
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0
    peak_kb: int = 0

    def problems(self) -> list[str]:
        """What makes this run a defect as a whole (the files to blame are found by splitting it)."""
        found = []
        if self.timed_out:
            found.append("hang")
        elif self.status is None or self.status < 0:
            found.append("crash")
        elif self.status not in (0, 1):
            found.append("exit-code")
        if "Traceback" in self.stdout + self.stderr:
            found.append("traceback")
        elif self.stderr.strip() and not self.timed_out:
            found.append("stderr")
        if not self.timed_out and self.status in (0, 1) and self.report() is None:
            found.append("bad-output")
        return found

    def report(self) -> list[dict] | None:
        try:
            payload = json.loads(self.stdout)
        except ValueError:
            return None
        return payload if isinstance(payload, list) else None


def run_batch(files: list[str], folder: Path, args: argparse.Namespace, timeout: float) -> Run:
    report = folder / f".run-{os.getpid()}-{time.monotonic_ns()}.json"
    command = [sys.executable, __file__, "--wrap", str(report), "--",
               sys.executable, "-m", "unionstats", "check", "--json", *files]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "UNIONSTATS_READ_SECONDS": str(args.read_seconds),
           "UNIONSTATS_DB": "sqlite:///:memory:"}
    if args.memory_mb:
        env["UNIONSTATS_READ_MEMORY_MB"] = str(args.memory_mb)
    run = Run(files)
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, errors="replace", start_new_session=True)
    try:
        run.stdout, run.stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        run.stdout, run.stderr = process.communicate()
        run.timed_out = True
    run.seconds = time.monotonic() - started
    if report.exists():
        outcome = json.loads(report.read_text())
        run.status, run.peak_kb = outcome["status"], outcome["peak_kb"]
        report.unlink()
    return run


def split(run: Run, folder: Path, args: argparse.Namespace, per_file: float) -> list[Run]:
    """A failing run split in halves, again and again: runs that pass, and single files that fail alone."""
    if len(run.files) == 1 or not run.problems():
        return [run]
    found = []
    middle = len(run.files) // 2
    for half in (run.files[:middle], run.files[middle:]):
        found += split(run_batch(half, folder, args, timeout_for(len(half), args, per_file)), folder, args, per_file)
    return found


def timeout_for(count: int, args: argparse.Namespace, per_file: float) -> float:
    """A batch's limit scaled to its size, but never below what one file at the read limit needs."""
    return min(args.batch_timeout, max(3 * args.read_seconds + 60, count * per_file))


# ---------------------------------------------------------------------------------------------------------------
# Judging the output

@dataclass
class Tally:
    files: int = 0
    statuses: collections.Counter = field(default_factory=collections.Counter)
    failures: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: collections.defaultdict(list))
    outcomes: collections.Counter = field(default_factory=collections.Counter)
    notes: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: collections.defaultdict(list))
    peak_kb: int = 0
    batch_seconds: list[float] = field(default_factory=list)

    def fail(self, reason: str, name: str, detail: str) -> None:
        self.failures[reason].append((name, detail))


def judge(run: Run, tally: Tally) -> None:
    """Per file: a report entry, Chinese messages, and how it ended."""
    entries = {entry.get("file"): entry for entry in run.report() or []}
    for name in run.files:
        entry = entries.get(name)
        if entry is None:
            tally.fail("no-report", name, "no entry in the check --json output")
            continue
        for issue in entry.get("issues", []):
            message = issue.get("message", "")
            if not message.strip() or not CJK.search(message):
                tally.fail("not-chinese", name, repr(issue))
            shown = "".join(str(issue.get(key) or "") for key in ("message", "sheet", "column", "value", "cell"))
            if any(unicodedata.category(ch) == "Cc" for ch in shown):
                tally.fail("control-character", name, repr(issue))
        kind, message = outcome(entry)
        tally.outcomes[kind] += 1
        if kind.startswith(("unexpected", "child exit")):
            tally.notes[kind].append((name, message))


OUTCOMES = (
    (r"读取时发生意外错误（(\w+)）", "unexpected {}"), (r"读取程序意外退出（代码 (-?\d+)）", "child exit {}"),
    (r"所需的内存超过了上限", "memory limit"), (r"读取超过 [\d.]+ 秒", "time limit"),
    (r"可能是恶意构造的文件", "zip guard"),
    (r"不合法的", "bad cell reference"), (r"个单元格的上限|行，超过上限|列，超过上限", "grid limit"),
    (r"设置了打开密码", "password"), (r"实际上是", "not a workbook"), (r"0 字节", "empty"), (r"不支持", "unsupported"),
    (r"没有可识别的数据表", "no data sheet"), (r"找不到表头|前 ?30 ?行", "no header"),
    (r"缺少必填列|缺少", "missing columns"),
    (r"content.xml）已损坏|文件已损坏", "damaged"), (r"无法读取此文件", "unreadable"),
    (r"压缩文件里没有 Excel", "zip without a workbook"), (r"Word 文档", "word document"),
)


def outcome(entry: dict) -> tuple[str, str]:
    """A short name for how a file ended: passed, or its first error's kind."""
    errors = [i for i in entry.get("issues", []) if i.get("level") == "error"]
    if not errors:
        return "passed", ""
    first = errors[0]
    message = first.get("message", "")
    if first.get("row") is not None:
        return "row errors", message
    for pattern, label in OUTCOMES:
        match = re.search(pattern, message)
        if match:
            return label.format(*match.groups()), message
    return "other: " + message[:30], message


# ---------------------------------------------------------------------------------------------------------------
# Saving and printing

def save(folder: Path, target: Path, name: str, how: str, reason: str, detail: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / name, target / name)
    (target / f"{name}.txt").write_text(f"reason: {reason}\nhow: {how}\n\n{detail}\n", encoding="utf-8")


def detail_of(run: Run) -> str:
    status = "timed out" if run.timed_out else f"status {run.status}"
    return (f"{status} after {run.seconds:.1f} s\n--- stderr ---\n{run.stderr[-4000:]}\n"
            f"--- stdout ---\n{run.stdout[-2000:]}")


def print_summary(tally: Tally, args: argparse.Namespace, generated: float, generated_bytes: int,
                  checking: float) -> None:
    def count(reason: str) -> int:
        return len(tally.failures.get(reason, []))

    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(tally.statuses.items(), key=lambda kv: str(kv[0])))
    slowest = max(tally.batch_seconds, default=0)
    lines = [
        f"files              {tally.files:,} (generated in {generated:.1f} s, {generated_bytes / 2**20:.1f} MB, "
        f"seed {args.seed})",
        f"batches            {len(tally.batch_seconds)} of up to {args.batch} files, {args.jobs} at a time; "
        f"slowest {slowest:.1f} s",
        f"exit codes         {statuses or '-'} (per batch)",
        f"crashes            {count('crash')}",
        f"hangs              {count('hang')}",
        f"tracebacks         {count('traceback')}",
        f"other exit codes   {count('exit-code')}",
        f"stderr output      {count('stderr')}",
        f"unparsable output  {count('bad-output')}",
        f"files not reported {count('no-report')}",
        f"not Chinese        {count('not-chinese')}",
        f"control characters {count('control-character')}",
        f"time               {checking:.1f} s checking, {tally.files / max(checking, 1e-9):.1f} files/s",
        f"peak memory        {tally.peak_kb / 1024:.0f} MB (largest process of a batch: command line, fork server "
        f"or reader child)",
        "outcomes           " + "; ".join(f"{k} {v}" for k, v in tally.outcomes.most_common()),
    ]
    print("\n".join(lines))
    if tally.failures:
        print(f"failures saved in {FAILURES}")
    if tally.notes:
        print(f"catch-all refusals saved in {NOTES}: " + "; ".join(f"{k} {len(v)}" for k, v in tally.notes.items()))


# ---------------------------------------------------------------------------------------------------------------

def generate(folder: Path, args: argparse.Namespace) -> tuple[list[str], dict[str, str], int]:
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]
    import fuzz_files

    names, hows, total = [], {}, 0
    for i, case in fuzz_files.batch(args.seed, args.count):
        name = f"{i:05d}-{case.name}"
        (folder / name).write_bytes(case.data)
        names.append(name)
        hows[name] = case.how
        total += len(case.data)
    return names, hows, total


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for target in (FAILURES, NOTES):
        shutil.rmtree(target, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix="unionstats-fuzz-"))
    started = time.monotonic()
    names, hows, generated_bytes = generate(folder, args)
    generated = time.monotonic() - started
    per_file = args.batch_timeout / max(1, args.batch)
    batches = [names[i : i + args.batch] for i in range(0, len(names), args.batch)]
    tally = Tally(files=len(names))
    started = time.monotonic()
    with ThreadPoolExecutor(args.jobs) as pool:
        for run in pool.map(lambda files: run_batch(files, folder, args, args.batch_timeout), batches):
            account(run, tally, folder, args, per_file, hows)
            print(f"  batch of {len(run.files)}: {'timed out' if run.timed_out else f'status {run.status}'} in "
                  f"{run.seconds:.1f} s, peak {run.peak_kb / 1024:.0f} MB", file=sys.stderr, flush=True)
    checking = time.monotonic() - started
    print_summary(tally, args, generated, generated_bytes, checking)
    if args.keep:
        print(f"files kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if tally.failures else 0


def account(run: Run, tally: Tally, folder: Path, args: argparse.Namespace, per_file: float,
            hows: dict[str, str]) -> None:
    """Count one batch; when it failed as a whole, split it to find the files to blame, and judge the rest."""
    tally.statuses["timeout" if run.timed_out else run.status] += 1
    tally.peak_kb = max(tally.peak_kb, run.peak_kb)
    tally.batch_seconds.append(run.seconds)
    before = {reason: len(items) for reason, items in tally.failures.items()}
    for part in split(run, folder, args, per_file):
        for reason in part.problems():
            tally.fail(reason, part.files[0], detail_of(part))
        if part.report() is not None:
            judge(part, tally)
    for reason, items in tally.failures.items():
        for name, detail in items[before.get(reason, 0):]:
            save(folder, FAILURES / reason, name, hows[name], reason, detail)
    for kind, items in tally.notes.items():
        for name, message in items[:NOTES_PER_KIND]:
            if not (NOTES / safe(kind) / name).exists():
                save(folder, NOTES / safe(kind), name, hows[name], kind, message)


def safe(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--wrap"]:
        sys.exit(wrap(sys.argv[2], sys.argv[4:]))
    sys.exit(main())
