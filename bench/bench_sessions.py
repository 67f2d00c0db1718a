"""Twenty people on the dashboard at once, one of them importing.

The dashboard is one Streamlit process shared by every viewer, and an import writes to the store and moves its
revision on, so every session's cached rows go stale at once. This bench checks, against a real running server,
that viewers keep getting their pages while someone imports, without errors and without waiting on the import.

It starts `streamlit run app.py` on a store of its own choosing and opens N websocket sessions that speak
Streamlit's protocol as the browser does: a BackMsg `rerun_script` goes out, ForwardMsg deltas come back until
`script_finished`. That interval is a page time. Each session loops: open a page, change one sidebar filter
(年度, 统计期, 单位 or 对比), with a short random pause after each. Phases:

1. warm-up: one page per session (--warm-pages: every page), not counted;
2. viewers only, for --seconds;
3. the same viewers while one more session, a real browser (Playwright driving Debian's chromium) on 数据管理,
   uploads and imports new workbooks one after another, for --seconds (a CLI import loop if there is no browser);
   the phase ends when the last import started in it is done.

Printed per phase: page views, p50/p95/max page times, errors, and how busy the server's CPU was; then the
imports and their times, the slowest page while an import ran, and whether the errors were zero. An error is an
exception or error alert on a page, a run that did not finish normally or showed another page's title, a dropped
connection or a timeout, a filter change the URL or caption did not take up, or an import that did not say it
imported. Every import is a new unit (压测单位…), which stays in the store.

With --processes N the app runs as deployed for an office (deploy/start.sh: N processes behind nginx, sticky by
a cookie, on a shared PostgreSQL), and the sessions go through the proxy; the CPU figure is then the sum over
the processes.

Usage: python bench/bench_sessions.py [--db URL] [--sessions 20] [--seconds 60] [--think 1.0] [--importer browser]
                                      [--processes N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote

import streamlit.logger
import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests")]

from bench_store import quarter_rows  # noqa: E402
from workbooks import workbook_bytes  # noqa: E402

streamlit.logger.set_log_level("error")  # importing the page module outside a server warns about its caches
from unionstats.contract.registry import registered  # noqa: E402
from unionstats.store.access import ADMIN, VIEWER, operator  # noqa: E402
from unionstats.store.batches import Store  # noqa: E402
from unionstats.ui.cookies import COOKIE  # noqa: E402
from unionstats.ui.filters import COMPARE, PERIODS  # noqa: E402
from unionstats.ui.navigation import AFTER_KINDS, OVERVIEW  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
UPLOADER = '[data-testid="stFileUploader"] input[type="file"]'
PAGE_ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
SIDEBAR = 1
FILTERS = ("年度", "统计期", "单位", "对比")
PHASES = ("viewers only", "viewers + import")
DONE, RERUN = ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_EARLY_FOR_RERUN
LABELS = [OVERVIEW[1], *(page.title for kind in registered() for page in kind.pages if page.listed is None),
          *(label for _, label, _ in AFTER_KINDS)]  # (the pages every store lists)


@dataclass
class View:
    phase: str
    kind: str
    page: str
    started: float
    ms: float


@dataclass
class Import:
    started: float
    check_ms: float
    import_ms: float

    @property
    def window(self) -> tuple[float, float]:
        clicked = self.started + self.check_ms / 1000
        return clicked, clicked + self.import_ms / 1000


@dataclass
class Tally:
    views: list[View] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    changes: Counter = field(default_factory=Counter)

    def error(self, phase: str, text: str) -> None:
        self.errors.append((phase, text))


@dataclass
class Reply:
    ms: float = 0.0
    elements: list[tuple[tuple[int, ...], str, object]] = field(default_factory=list)
    query: str | None = None
    problems: list[str] = field(default_factory=list)

    def texts(self, prefix: str) -> list[str]:
        return [e.body for path, kind, e in self.elements if kind == "markdown" and e.body.startswith(prefix)]


def problems_in(kind: str, element) -> list[str]:
    if kind == "exception":
        return [f"exception {element.type}: {element.message}"]
    if kind == "alert" and element.format == Alert.ERROR:
        return [f"error alert: {element.body}"]
    return []


def widget_state(kind: str, element) -> WidgetState:
    """The value the browser would send back for a widget, as the server last set or defaulted it."""
    state = WidgetState(id=element.id)
    if kind in ("selectbox", "radio"):
        state.string_value = element.raw_value if element.set_value else element.options[element.default]
    elif kind == "multiselect":
        chosen = element.raw_values if element.set_value else [element.options[i] for i in element.default]
        state.string_array_value.data.extend(chosen)
    else:
        state.bool_value = element.value if element.set_value else element.default
    return state


class Viewer:
    """One websocket session: a browser tab without the browser."""

    def __init__(self, number: int, url: str, rng: random.Random, tally: Tally, timeout: float, think: float,
                 token: str = ""):
        self.number, self.url, self.rng, self.tally, self.token = number, url, rng, tally, token
        self.timeout, self.think = timeout, think
        self.ws = None
        self.pages: dict[str, str] = {}
        self.page = ""
        self.query = ""
        self.widgets: dict[str, tuple[str, object, WidgetState]] = {}
        self.caption: str | None = None

    async def connect(self) -> None:
        cookie = {"Cookie": f"{COOKIE}={self.token}"} if self.token else None  # (signed in: signed_in)
        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None, proxy=None,
                                           ping_interval=None, open_timeout=self.timeout, additional_headers=cookie)
        self.page, self.query, self.widgets = "", "", {}

    async def rerun(self, state: ClientState) -> Reply:
        message = BackMsg()
        message.rerun_script.CopyFrom(state)
        reply, started = Reply(), time.perf_counter()
        await self.ws.send(message.SerializeToString())
        while True:
            left = self.timeout - (time.perf_counter() - started)
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(self.ws.recv(), max(left, 0.001)))
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                name = element.WhichOneof("type")
                reply.elements.append((tuple(msg.metadata.delta_path), name, getattr(element, name)))
                reply.problems += problems_in(name, getattr(element, name))
            elif kind == "page_info_changed":
                reply.query = msg.page_info_changed.query_string
            elif kind == "page_not_found":
                reply.problems.append(f"page not found: {msg.page_not_found.page_name}")
            elif kind == "script_finished" and msg.script_finished == RERUN:
                reply.elements.clear()
            elif kind == "script_finished":
                if msg.script_finished != DONE:
                    status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
                    reply.problems.append(f"script finished with {status}")
                reply.ms = (time.perf_counter() - started) * 1000
                return reply

    def take_in(self, reply: Reply) -> None:
        if reply.query is not None:
            self.query = reply.query
        self.widgets = {e.label: (kind, e, widget_state(kind, e)) for path, kind, e in reply.elements
                        if path[0] == SIDEBAR and kind in ("selectbox", "radio", "multiselect", "checkbox")}
        captions = reply.texts("统计期：")
        self.caption = captions[0] if captions else None
        self.pages = self.pages or {e.label: e.page_script_hash for _, kind, e in reply.elements if kind == "page_link"}

    async def visit(self, phase: str, kind: str, label: str, state: ClientState) -> Reply | None:
        """One page run, timed and checked; a dropped or timed-out session is counted and reconnected."""
        started = time.perf_counter()
        try:
            reply = await self.rerun(state)
        except (websockets.ConnectionClosed, OSError, TimeoutError) as exc:
            what = "timed out" if isinstance(exc, TimeoutError) else f"connection dropped ({exc!r})"
            self.tally.error(phase, f"session {self.number}, {label}, {kind}: {what}")
            await self.reconnect(phase)
            return None
        self.tally.views.append(View(phase, kind, label, started, reply.ms))
        titles = [e.body for _, name, e in reply.elements if name == "heading" and e.tag == "h1"]
        if not reply.problems and titles != [label]:
            reply.problems.append(f"the page's title is {titles}")
        for problem in reply.problems:
            self.tally.error(phase, f"session {self.number}, {label}, {kind}: {problem}")
        self.take_in(reply)
        return reply

    async def reconnect(self, phase: str) -> None:
        if self.ws is not None:
            await self.ws.close()
        try:
            await self.connect()
        except (OSError, TimeoutError, websockets.InvalidHandshake) as exc:
            self.tally.error(phase, f"session {self.number}: cannot reconnect ({exc!r})")
            self.ws = None

    async def open(self, phase: str, label: str) -> None:
        state = ClientState(query_string="", page_script_hash=self.pages.get(label, ""))
        if await self.visit(phase, "open", label, state) is not None:
            self.page = label

    async def change_filter(self, phase: str) -> None:
        choices = [label for label in FILTERS if label in self.widgets
                   and len(self.widgets[label][1].options) > (0 if label == "单位" else 1)]
        if not self.page or not choices:
            return
        label = self.rng.choice(choices)
        state, param, expected = self.new_value(label)
        before = self.caption
        client = ClientState(query_string=self.query, page_script_hash=self.pages.get(self.page, ""))
        client.widget_states.widgets.extend(state if s.id == state.id else s for _, _, s in self.widgets.values())
        reply = await self.visit(phase, "filter", self.page, client)
        if reply is not None and not reply.problems:
            self.check_change(phase, label, param, expected, before)

    def new_value(self, label: str) -> tuple[WidgetState, str, list[str]]:
        kind, element, current = self.widgets[label]
        state = WidgetState(id=element.id)
        if label == "单位":
            now = list(current.string_array_value.data)
            units = list(element.options)
            picked = [] if now else self.rng.sample(units, self.rng.randint(1, min(3, len(units))))
            state.string_array_value.data.extend(picked)
            return state, "unit", picked
        options = [o for o in element.options if o != current.string_value and o != "自定义"]
        state.string_value = self.rng.choice(options)
        if label == "年度":
            return state, "year", [state.string_value.removesuffix("年")]
        if label == "统计期":
            return state, "period", [PERIODS[state.string_value]]
        return state, "compare", [COMPARE[state.string_value]]

    def check_change(self, phase: str, label: str, param: str, expected: list[str], before: str | None) -> None:
        """The URL must carry the new value; the caption must move when the year or period did."""
        self.tally.changes["made"] += 1
        got = parse_qs(self.query, keep_blank_values=True).get(param, [])
        if got == expected:
            self.tally.changes["in the URL"] += 1
        else:
            self.tally.error(phase, f"session {self.number}, {self.page}: {label} set to {expected}, URL has {got}")
        if label in ("年度", "统计期") and before is not None and self.caption is not None:
            self.tally.changes["caption checked"] += 1
            if self.caption != before:
                self.tally.changes["caption moved"] += 1
            else:
                self.tally.error(phase, f"session {self.number}, {self.page}: {label} changed, caption still {before}")

    async def pause(self) -> None:
        await asyncio.sleep(self.rng.uniform(0, 2 * self.think))

    async def browse(self, phase: str, stop: asyncio.Event) -> None:
        while not stop.is_set():
            if self.ws is None:
                await asyncio.sleep(1)
                await self.reconnect(phase)
                continue
            await self.open(phase, self.rng.choice(LABELS))
            await self.pause()
            if stop.is_set():
                break
            await self.change_filter(phase)
            await self.pause()


class BrowserImporter:
    """Uploads through the 数据管理 page in chromium, as a person would."""

    how = "a browser (chromium) on 数据管理"

    def __init__(self, base: str, timeout: float):
        self.base, self.timeout, self.token = base, timeout * 1000, ""

    async def start(self) -> None:
        from playwright.async_api import async_playwright

        self.playwright = await async_playwright().start()
        self.browser = await self.playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = await self.browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        if self.token:
            await context.add_cookies([{"name": COOKIE, "value": self.token, "url": self.base}])
        self.tab = await context.new_page()

    async def import_one(self, path: Path) -> tuple[float, float]:
        await self.tab.goto(f"{self.base}/{quote('数据管理')}")
        await self.tab.wait_for_selector(UPLOADER, state="attached", timeout=self.timeout)
        started = time.perf_counter()
        await self.tab.locator(UPLOADER).set_input_files(str(path))
        await self.tab.get_by_text("检查通过").wait_for(timeout=self.timeout)
        checked = time.perf_counter()
        await self.tab.get_by_role("button", name="导入", exact=True).click()
        await self.tab.get_by_text(f"{path.name}：已导入为第").wait_for(timeout=self.timeout)
        done = time.perf_counter()
        shown = self.tab.locator(PAGE_ERRORS)
        if await shown.count():
            raise RuntimeError(f"the page shows an error: {await shown.first.inner_text()}")
        return (checked - started) * 1000, (done - checked) * 1000

    async def close(self) -> None:
        await self.browser.close()
        await self.playwright.stop()


class CliImporter:
    """The fallback: `python -m unionstats import` in a subprocess, against the same store."""

    how = "the CLI in a subprocess (FALLBACK: no browser import)"

    def __init__(self, db: str, timeout: float):
        self.db, self.timeout = db, timeout

    async def start(self) -> None:
        pass

    async def import_one(self, path: Path) -> tuple[float, float]:
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "unionstats", "import", str(path), "--db", self.db, cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        output, _ = await asyncio.wait_for(process.communicate(), self.timeout)
        text = output.decode(errors="replace").strip()
        if process.returncode or "已导入为第" not in text:
            raise RuntimeError(f"CLI import said: {text[-300:]}")
        return 0.0, (time.perf_counter() - started) * 1000

    async def close(self) -> None:
        pass


def pick_importer(wanted: str, base: str, db: str, timeout: float) -> tuple[object, str]:
    if wanted == "cli":
        return CliImporter(db, timeout), "asked for with --importer cli"
    missing = [what for what, ok in ((CHROMIUM, Path(CHROMIUM).exists()), ("playwright", has_playwright())) if not ok]
    if missing:
        return CliImporter(db, timeout), f"{' and '.join(missing)} missing"
    return BrowserImporter(base, timeout), ""


async def started_importer(args, base: str) -> tuple[object, str]:
    importer, why = pick_importer(args.importer, base, args.db, args.timeout)
    importer.token = args.importer_token
    try:
        await importer.start()
    except Exception as exc:  # playwright's launch errors have no common base class
        importer, why = CliImporter(args.db, args.timeout), f"the browser did not start: {first_line(exc)}"
    return importer, why


def first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [""])[0][:300]


def has_playwright() -> bool:
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return False
    return True


BENCH_ADMIN, BENCH_VIEWER, BENCH_PASSWORD = "压测管理员", "压测查看员", "bench-sessions-password"


def signed_in(db: str, viewers: int) -> tuple[str, list[str]]:
    """A session for the importer (管理) and one for each viewer (查看), with the accounts made once in the store:
    behind a proxy no visitor is the machine itself (单机模式), so everyone signs in, as in an office."""
    store = Store(db)
    root, held = operator("bench_sessions"), set(store.accounts.list()["name"])
    for name, role in ((BENCH_ADMIN, ADMIN), (BENCH_VIEWER, VIEWER)):
        if name not in held:
            store.accounts.add(root, name, role, password=BENCH_PASSWORD)
    admin, viewer = (store.accounts.sign_in(name, BENCH_PASSWORD) for name in (BENCH_ADMIN, BENCH_VIEWER))
    return store.accounts.open_session(admin), [store.accounts.open_session(viewer) for _ in range(viewers)]


def write_workbooks(folder: Path, count: int) -> list[Path]:
    """New units, one quarter each: every file is new content that overlaps nothing, so each one imports."""
    tag = time.strftime("%m%d%H%M%S")
    paths = []
    for n in range(1, count + 1):
        unit = f"压测单位{tag}-{n:03d}"
        path = folder / f"{unit}-2025Q{n % 4 + 1}.xlsx"
        path.write_bytes(workbook_bytes(quarter_rows(random.Random(n), unit, 2025, n % 4 + 1)))
        paths.append(path)
    return paths


async def import_until(importer, paths: list[Path], deadline: float, tally: Tally, phase: str) -> None:
    for path in paths:
        if time.perf_counter() >= deadline:
            return
        started = time.perf_counter()
        try:
            check_ms, import_ms = await importer.import_one(path)
        except Exception as exc:  # a timeout, a missing text, a failed CLI: each one an error, the loop goes on
            tally.error(phase, f"importer, {path.name}: {type(exc).__name__}: {first_line(exc)}")
            continue
        tally.imports.append(Import(started, check_ms, import_ms))
    if time.perf_counter() < deadline:
        tally.error(phase, f"importer ran out of workbooks after {len(paths)}: raise --workbooks")


async def run_phase(phase: str, viewers: list[Viewer], seconds: float, tally: Tally,
                    importer=None, paths: list[Path] = ()) -> float:
    stop = asyncio.Event()
    started = time.perf_counter()
    browsing = [asyncio.create_task(v.browse(phase, stop)) for v in viewers]
    if importer is not None:
        await import_until(importer, paths, started + seconds, tally, phase)
    await asyncio.sleep(max(0.0, started + seconds - time.perf_counter()))
    stop.set()
    await asyncio.gather(*browsing)
    return time.perf_counter() - started


def cpu_seconds(pids: list[int]) -> float:
    """The app processes' CPU time so far, from /proc (0 where there is no /proc)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: str, port: int, log: Path) -> subprocess.Popen:
    """The app as deployed, except that an edit to the checkout during the run does not reload its modules."""
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
               str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env={**os.environ, "UNIONSTATS_DB": db}, stdout=out,
                                stderr=subprocess.STDOUT)


def wait_healthy(base: str, process: subprocess.Popen, log: Path, timeout: float = 120) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            break
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.3)
    process.kill()
    sys.exit("streamlit did not start:\n" + log.read_text(errors="replace")[-3000:])


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))] if ordered else 0.0


def times_row(label: str, values: list[float], errors: int | str = "") -> str:
    if not values:
        return f"  {label:28s} {0:>6d} {'-':>8s} {'-':>8s} {'-':>8s} {errors!s:>7s}"
    return (f"  {label:28s} {len(values):>6d} {percentile(values, 50):>8.0f} {percentile(values, 95):>8.0f} "
            f"{max(values):>8.0f} {errors!s:>7s}")


def overlapping(views: list[View], imports: list[Import]) -> list[View]:
    windows = [i.window for i in imports]
    return [v for v in views if any(v.started < end and v.started + v.ms / 1000 > start for start, end in windows)]


def server_tracebacks(log: Path) -> list[str]:
    """The exception line of each traceback in the server's log (Streamlit draws them with colour and boxes)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text(errors="replace"))
    blocks = text.split("Traceback (most recent call last)")[1:]
    found = [re.search(r"^\s*([A-Za-z_][\w.]*(Error|Exception|Exit)\b.*)$", b, re.M) for b in blocks]
    return [m[1].strip() if m else "(no exception line)" for m in found]


def report(tally: Tally, importer, why: str, logs: list[Path], slow_ms: float) -> int:
    print(f"  {'phase':28s} {'views':>6s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s} {'errors':>7s}")
    for phase in PHASES:
        views = [v for v in tally.views if v.phase == phase]
        print(times_row(phase, [v.ms for v in views], sum(p == phase for p, _ in tally.errors)))
        for kind, label in (("open", "opening a page"), ("filter", "changing a filter")):
            print(times_row("  " + label, [v.ms for v in views if v.kind == kind]))
    during = [v for v in tally.views if v.phase == PHASES[1]]
    print(times_row("  overlapping an import", [v.ms for v in overlapping(during, tally.imports)]))
    print(f"importer: {importer.how}" + (f" — {why}" if why else ""))
    if tally.imports:
        checks, imports = [i.check_ms for i in tally.imports], [i.import_ms for i in tally.imports]
        check = f"upload + check p50 {percentile(checks, 50):.0f} ms, max {max(checks):.0f} ms; " if any(checks) else ""
        print(f"  {len(tally.imports)} imports: {check}import p50 {percentile(imports, 50):.0f} ms, "
              f"max {max(imports):.0f} ms")
    else:
        print("  no import finished")
    if during:
        slowest = max(during, key=lambda v: v.ms)
        over = sum(v.ms > slow_ms for v in during)
        print(f"slowest page with the import running: {slowest.ms:.0f} ms ({slowest.page}, {slowest.kind}); "
              f"{over} of {len(during)} views over {slow_ms:.0f} ms")
    c = tally.changes
    print(f"filter changes: {c['made']} made, {c['in the URL']} in the URL; caption moved in {c['caption moved']} "
          f"of {c['caption checked']} year/period changes")
    if not c["in the URL"]:
        tally.error("check", "no filter change was seen to take effect: the bench measured nothing")
    tracebacks = [line for log in logs for line in server_tracebacks(log)]
    named = ", ".join(str(log.relative_to(ROOT) if log.is_relative_to(ROOT) else log) for log in logs)
    print(f"server logs ({named}): {len(tracebacks)} tracebacks" + "".join(f"\n  {line}" for line in tracebacks[:5]))
    for phase, text in tally.errors[:8]:
        print(f"  error [{phase}] {text.splitlines()[0][:240]}")
    errors = len(tally.errors)
    print(f"errors: {errors} — " + ("PASS: zero errors" if errors == 0 else "FAIL: errors must be zero"))
    return 0 if errors == 0 else 1


async def bench(args, base: str, server: list[int], tally: Tally, paths: list[Path]) -> tuple[object, str]:
    stream = base.replace("http://", "ws://") + "/_stcore/stream"
    importer_token, tokens = signed_in(args.db, args.sessions)
    args.importer_token = importer_token
    viewers = [Viewer(n + 1, stream, random.Random(args.seed + n), tally, args.timeout, args.think, token)
               for n, token in enumerate(tokens)]
    await asyncio.gather(*(v.connect() for v in viewers))
    await asyncio.gather(*(v.open("warm-up", "总览") for v in viewers))
    if args.warm_pages:  # every page once in every session: each process has drawn each page, as a server
        for label in LABELS[1:]:  # that has run for a morning has
            await asyncio.gather(*(v.open("warm-up", label) for v in viewers if label in v.pages))
    warm = [v.ms for v in tally.views if v.phase == "warm-up"]
    print(f"warm-up: {len(warm)} page views (not counted), max {max(warm, default=0):.0f} ms")
    missing = [label for label in LABELS if label not in viewers[0].pages]
    if missing:
        sys.exit(f"the sidebar did not link these pages: {missing}")
    for n, phase in enumerate(PHASES):
        cpu = cpu_seconds(server), time.process_time()
        if n == 0:
            took = await run_phase(phase, viewers, args.seconds, tally)
        else:
            importer, why = await started_importer(args, base)
            took = await run_phase(phase, viewers, args.seconds, tally, importer, paths)
            await importer.close()
        busy = (cpu_seconds(server) - cpu[0]) / took, (time.process_time() - cpu[1]) / took
        print(f"{phase}: {took:.0f} s; CPU busy: server {busy[0]:.2f} cores ({len(server)} app processes), "
              f"this bench {busy[1]:.2f} cores (of {os.cpu_count()})")
    for viewer in viewers:
        if viewer.ws is not None:
            await viewer.ws.close()
    return importer, why


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=f"sqlite:///{ROOT / 'bench' / 'out' / 'federation.db'}")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60, help="length of each measured phase")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause after each page, seconds (0: none)")
    parser.add_argument("--importer", choices=["browser", "cli"], default="browser")
    parser.add_argument("--workbooks", type=int, help="workbooks written for the importer (default: one a second)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a page or import counts as failed")
    parser.add_argument("--slow-ms", type=float, default=5000, help="a page time reported as slow")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warm-pages", action="store_true",
                        help="warm up on every page, not only 总览 (a server that has run for a while)")
    parser.add_argument("--processes", type=int, default=0,
                        help="app processes behind nginx, started by deploy/start.sh (0: one process, no proxy)")
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    log = out / "bench_sessions-server.log"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    shape = f"{args.processes} app processes behind nginx" if args.processes else "one app process, no proxy"
    print(f"{args.sessions} sessions, {args.seconds:.0f} s a phase, mean pause {args.think} s; {shape}; "
          f"store {args.db.split('@')[-1]}")
    with tempfile.TemporaryDirectory(prefix="bench_sessions-") as folder:
        paths = write_workbooks(Path(folder), args.workbooks or max(10, int(args.seconds)))
        if args.processes:
            os.chmod(folder, 0o755)  # (nginx's workers run as www-data and must reach its run folder)
            deployment = Deployment(args.db, args.processes, port, Path(folder) / "deploy")
            print(f"proxy {base} answered ok after {deployment.start():.1f} s")
            pids, logs = deployment.pids, deployment.logs
        else:
            server = start_server(args.db, port, log)
            print(f"server {base} answered ok after {wait_healthy(base, server, log):.1f} s")
            pids, logs = (lambda: [server.pid]), (lambda: [log])
        try:
            tally = Tally()
            importer, why = asyncio.run(bench(args, base, pids(), tally, paths))
            kept = [out / f"bench_sessions-server-{n}.log" for n in range(len(logs()))] if args.processes else logs()
            if args.processes:
                for source, target in zip(logs(), kept):
                    target.write_bytes(source.read_bytes())
        finally:
            deployment.stop() if args.processes else stop_server(server)
    return report(tally, importer, why, kept, args.slow_ms)


class Deployment:
    """deploy/start.sh's plain processes (no systemd) behind its nginx, in a folder of their own."""

    def __init__(self, db: str, processes: int, port: int, folder: Path):
        self.db, self.processes, self.port, self.folder = db, processes, port, folder

    def command(self, *extra: str) -> list[str]:
        return ["bash", str(ROOT / "deploy" / "start.sh"), "--no-systemd", "--no-install", "--dir", str(self.folder),
                "--python", sys.executable, *extra]

    def start(self) -> float:
        started = time.perf_counter()
        ports = free_ports(self.processes)
        subprocess.run(self.command("-n", str(self.processes), "--first-port", str(ports), "--listen",
                                    f"127.0.0.1:{self.port}", "--db", self.db), cwd=ROOT, check=True)
        return time.perf_counter() - started

    def pids(self) -> list[int]:
        return [int(p.read_text()) for p in sorted((self.folder / "run").glob("app-*.pid"))]

    def logs(self) -> list[Path]:
        return sorted((self.folder / "logs").glob("app-*.log"))

    def stop(self) -> None:
        subprocess.run(self.command("--stop"), cwd=ROOT, check=False)


def free_ports(count: int) -> int:
    """The first of `count` consecutive free ports."""
    while True:
        first = free_port()
        try:
            for port in range(first, first + count):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue

if __name__ == "__main__":
    sys.exit(main())
