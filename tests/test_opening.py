"""Opening a store reads, and writes only when something must change.

While another process holds the write lock (an import), opening the store and reading it must not wait: the
dashboard, a second app process and the command line's `stats` all open it. A store that does need a change
(an older schema, a registered kind without its table, the sample beside real data) still gets it on opening.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import subprocess
import sys
import threading
import time

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from workbooks import workbook_bytes

from conftest import ROOT
from unionstats.contract import registry, schema
from unionstats.kinds.kind import Kind
from unionstats.store import database, sample
from unionstats.store.access import ADMIN, Actor, operator
from unionstats.store.batches import IMPORTED, Store
from unionstats.store.database import forget_table

PATIENCE = 15  # seconds a read may take while a writer holds the lock; without the fix it waits 60 s or forever

HEAD = ["日期", "活动名称", "类别", "参与人次", "支出", "单位"]
ROWS = [["2024-04-03", "健步走", "文体活动", 50, 1200, "机关工会"],
        ["2024-05-12", "读书会", "教育培训", 18, 0, "一分会"],
        ["2024-06-20", "篮球赛", "文体活动", 24, 860.5, "一分会"]]


def units_workbook() -> bytes:
    return workbook_bytes({"活动": [HEAD, *ROWS]})


def expected_participants() -> int:
    return sum(row[3] for row in ROWS)


def filled_store(url: str) -> Store:
    """The sample, then a real quarter of two units, which sets the sample aside."""
    store = Store(url)
    store.ensure_sample()
    assert store.import_bytes(units_workbook(), "q2.xlsx").status == IMPORTED
    return store


def hold_write_lock(url: str, held, release) -> None:
    """In another process: take the store's write lock, as an import does, and keep it until told."""
    engine = database.make_engine(url)
    with database.writing(engine):
        held.set()
        release.wait(120)
    engine.dispose()


class WriterHoldingTheLock:
    def __init__(self, url: str):
        context = multiprocessing.get_context("spawn")
        self.held, self.release = context.Event(), context.Event()
        self.process = context.Process(target=hold_write_lock, args=(url, self.held, self.release), daemon=True)

    def __enter__(self) -> WriterHoldingTheLock:
        self.process.start()
        assert self.held.wait(60), "the writer process never took the lock"
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.process.join(60)
        assert self.process.exitcode == 0


def in_thread(work) -> tuple[threading.Thread, dict]:
    answer: dict = {}

    def run() -> None:
        try:
            answer["value"] = work()
        except Exception as exc:  # reported by the test, not lost in the thread
            answer["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, answer


def head_revision() -> str:
    with sa.create_engine("sqlite://").connect() as connection:
        return ScriptDirectory.from_config(database.alembic_config(connection)).get_current_head()


def test_opening_and_reading_a_store_never_waits_for_a_writer(url):
    filled_store(url).engine.dispose()
    stats = [sys.executable, "-m", "unionstats", "stats", "--json", "--period", "2024Q2", "--db", url]
    with WriterHoldingTheLock(url):
        started = time.monotonic()
        cli = subprocess.Popen(stats, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        thread, answer = in_thread(lambda: Store(url).dataset().events)
        thread.join(PATIENCE)
        opened = not thread.is_alive()
        try:
            out, err = cli.communicate(timeout=max(1.0, PATIENCE - (time.monotonic() - started)))
            counted = cli.returncode == 0
        except subprocess.TimeoutExpired:
            cli.kill()
            out, err = cli.communicate()
            counted = False
        waited = time.monotonic() - started
    assert opened, f"opening and reading the store waited for the writer ({waited:.0f} s)"
    assert counted, f"`stats` waited for the writer or failed ({waited:.0f} s): {err}"
    assert "error" not in answer, answer.get("error")
    events = answer["value"]
    assert sorted(zip(events["unit"], events["participants"])) == sorted((r[5], r[3]) for r in ROWS)
    figures = json.loads(out)
    assert figures["events"]["count"] == len(ROWS)
    assert figures["events"]["participants"] == expected_participants()
    for unit in {r[5] for r in ROWS}:
        assert figures["events"]["by_unit"][unit]["participants"] == sum(r[3] for r in ROWS if r[5] == unit)


def downgrade(url: str, revision: str) -> None:
    engine = database.make_engine(url)
    with engine.begin() as connection:
        command.downgrade(database.alembic_config(connection), revision)
        assert database.current_revision(connection) == revision
    engine.dispose()


def table_names(store: Store) -> set[str]:
    return set(sa.inspect(store.engine).get_table_names())


def test_a_store_at_an_older_schema_is_migrated_when_it_opens_keeping_its_rows(url):
    filled_store(url).engine.dispose()
    downgrade(url, "0003")
    store = Store(url)
    assert "unit_directory" in table_names(store)
    with store.engine.connect() as connection:
        assert database.current_revision(connection) == head_revision()
    assert int(store.dataset().events["participants"].sum()) == expected_participants()
    directory = pd.DataFrame({"unit": ["机关工会", "一分会"], "members": [120, None], "due": [True, True]})
    store.replace_directory(Actor("张科长", ADMIN), directory)
    assert Store(url).directory()["unit"].tolist() == ["机关工会", "一分会"]


def test_a_store_at_an_older_schema_waits_for_the_writer_and_then_migrates(url):
    """A change is made under the write lock: opening waits for the import in progress, then migrates."""
    filled_store(url).engine.dispose()
    downgrade(url, "0003")
    with WriterHoldingTheLock(url):
        thread, answer = in_thread(lambda: Store(url))
        thread.join(1.5)
        assert thread.is_alive(), "the store was migrated while another process held the write lock"
    thread.join(60)
    assert not thread.is_alive() and "error" not in answer, answer.get("error")
    assert "unit_directory" in table_names(answer["value"])


TRAININGS = schema.Sheet(
    "trainings_opening", "职工培训", ("培训记录",), "每行一期培训。",
    (
        schema.Column("date", "日期", (), schema.DATE, "Excel 日期", required=True),
        schema.Column("name", "培训名称", (), schema.TEXT, "如：安全生产培训", required=True),
        schema.Column("trainees", "参训人次", (), schema.INT, "整数，不小于 0", required=True),
        schema.UNIT,
    ),
    example={"date": dt.date(2024, 3, 1), "name": "安全生产培训", "trainees": 40},
)


@pytest.fixture
def trainings():
    registry.register(Kind(TRAININGS, lambda rows, members: None, 90))
    yield TRAININGS
    registry.unregister(TRAININGS.key)
    forget_table(TRAININGS.key)


def test_a_kind_registered_after_the_store_was_made_gets_its_table_when_it_opens(url, request):
    filled_store(url).engine.dispose()
    request.getfixturevalue("trainings")
    store = Store(url)
    assert TRAININGS.key in table_names(store)
    rows = [["日期", "培训名称", "参训人次", "单位"], ["2024-07-06", "安全生产培训", 40, "机关工会"],
            ["2024-08-07", "急救培训", 25, "一分会"]]
    assert store.import_bytes(workbook_bytes({"职工培训": rows}), "training.xlsx").status == IMPORTED
    assert int(Store(url).dataset().frame(TRAININGS.key)["trainees"].sum()) == 40 + 25


def sample_ids(store: Store) -> list[int]:
    return store.active_batch_ids(imported_by=sample.SAMPLE_USER)


def test_the_sample_found_beside_real_data_is_set_aside_when_the_store_opens(url):
    """A store written before the sample was set aside on import: both active until it is opened."""
    store = filled_store(url)
    batches = database.batches
    with database.writing(store.engine) as connection:
        connection.execute(sa.update(batches).where(batches.c.imported_by == sample.SAMPLE_USER).values(
            state=database.ACTIVE))
        assert sample.unsettled(connection)
    assert sample_ids(store)
    reopened = Store(url)
    assert sample_ids(reopened) == []
    with reopened.engine.connect() as connection:
        assert not sample.unsettled(connection)
    assert int(reopened.dataset().events["participants"].sum()) == expected_participants()
    set_aside = reopened.audit_trail(operator("管理员"), action="delete")
    assert any("打开数据库时" in detail for detail in set_aside["detail"])


def test_only_the_sample_or_only_real_data_is_settled(url):
    store = Store(url)
    with store.engine.connect() as connection:
        assert not sample.unsettled(connection)
    store.ensure_sample()
    with store.engine.connect() as connection:
        assert not sample.unsettled(connection)
    store.import_bytes(units_workbook(), "q2.xlsx")
    with store.engine.connect() as connection:
        assert not sample.unsettled(connection)
