"""Period figures kept across sessions and measured ahead: each once, and again only when its rows change."""

import threading
import time

import pandas as pd
import pytest
from workbooks import workbook_bytes

from unionstats.contract.periods import parse_period
from unionstats.figures import cache as kept
from unionstats.figures.cache import KeptFigures, Turns, likely_periods, measure_ahead, measured
from unionstats.figures.engine import period_figures
from unionstats.intake.model import Dataset
from unionstats.store.batches import Store


def quarter_book(unit: str, month: int, participants: int) -> bytes:
    return workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [f"2024-{month:02d}-05", "健步走", participants]],
                           "单位信息": [["单位名称", unit], ["会员人数", 50]]})


@pytest.fixture
def store(tmp_path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    store.import_bytes(quarter_book("机关工会", 2, 10), "机关q1.xlsx")
    store.import_bytes(quarter_book("团委", 5, 20), "团委q2.xlsx")
    return store


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    calls, real = [], kept.period_figures
    monkeypatch.setattr(kept, "period_figures", lambda d, p, u: calls.append(p.code) or real(d, p, u))
    return calls


def test_the_kept_figures_are_the_figures_measured_once(store, counted):
    box, q1 = KeptFigures(), parse_period("2024Q1")
    first = measured(box, store.dataset(), store.coverage(), q1, ())
    again = measured(box, store.dataset(), store.coverage(), q1, ())
    assert first == again == period_figures(store.dataset(), q1, None) and counted == ["2024Q1"]
    assert first.events.participants == 10


def test_a_change_to_a_period_is_measured_again_and_others_are_not(store, counted):
    box = KeptFigures()
    for code in ("2024Q1", "2024Q2", "2024"):
        measured(box, store.dataset(), store.coverage(), parse_period(code), ())
    store.import_bytes(quarter_book("团委", 5, 99), "团委q2改.xlsx", replace=True)
    after = {code: measured(box, store.dataset(), store.coverage(), parse_period(code), ())
             for code in ("2024Q1", "2024Q2", "2024")}
    assert counted[3:] == ["2024Q2", "2024"]
    assert after["2024Q2"].events.participants == 99 and after["2024"].events.participants == 109


def test_units_are_part_of_the_key(store, counted):
    box, q2 = KeptFigures(), parse_period("2024Q2")
    youth = measured(box, store.dataset(), store.coverage(), q2, ("团委",))
    office = measured(box, store.dataset(), store.coverage(), q2, ("机关工会",))
    assert (youth.events.participants, office.events.participants) == (20, 0) and len(counted) == 2


def test_only_the_latest_figures_that_fit_the_budget_are_kept():
    box = KeptFigures(megabytes=1)
    for key in "abcad":  # each value about 0.4 MB: two fit
        box.get(key, lambda k=key: k * 400_000)
    assert [key for key in "abcd" if key in box] == ["a", "d"] and box.cache.currsize <= 1 << 20


def test_the_likely_periods_are_every_year_its_halves_and_quarters_then_the_newest_months():
    codes = [p.code for p in likely_periods([2025, 2024])]
    assert codes[:7] == ["2025", "2025H1", "2025H2", "2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    assert codes[7:14] == ["2024", "2024H1", "2024H2", "2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert codes[14:] == [f"2025-{m:02d}" for m in range(1, 13)] and likely_periods([]) == []


def test_measuring_ahead_runs_in_the_background_and_fills_the_box(store, counted):
    box = KeptFigures()
    thread = measure_ahead(box, store.dataset(), store.coverage(), [2024])
    assert isinstance(thread, threading.Thread) and thread.daemon
    thread.join(60)
    assert sorted(counted) == sorted(p.code for p in likely_periods([2024])) and len(box) == len(counted)
    measured(box, store.dataset(), store.coverage(), parse_period("2024H1"), ())
    assert len(counted) == len(likely_periods([2024]))



def test_measuring_ahead_waits_while_a_page_runs_and_a_moment_after(store, counted):
    turns, page_done = Turns(), threading.Event()
    page = threading.Thread(target=page_done.wait)
    page.start()
    turns.in_front(page)
    thread = measure_ahead(KeptFigures(), store.dataset(), store.coverage(), [2024], turns)
    time.sleep(0.5)
    assert counted == [] and turns.busy()  # nothing measured while the page runs
    page_done.set()
    page.join()
    ended = time.monotonic()
    while not counted and time.monotonic() - ended < 30:
        time.sleep(0.01)
    assert time.monotonic() - ended >= Turns.GRACE  # and not at once after it
    thread.join(60)
    assert sorted(counted) == sorted(p.code for p in likely_periods([2024])) and not turns.busy()


def test_measuring_ahead_sorts_each_large_frame_by_unit_first(monkeypatch):
    """So that the first view of one unit finds its rows by binary search, not by sorting the frame then."""
    sorted_frames: list[int] = []
    real = kept.dated.unit_order
    monkeypatch.setattr(kept.dated, "unit_order", lambda frame: sorted_frames.append(len(frame)) or real(frame))
    days = pd.date_range("2024-01-01", periods=366, freq="D").repeat(40)  # 14,640 rows of two units
    frame = pd.DataFrame({"date": days, "unit": ["甲", "乙"] * (len(days) // 2), "participants": 1})
    dataset = Dataset({"events": frame})
    measure_ahead(KeptFigures(), dataset, pd.DataFrame(columns=["unit", "year", "month"]), []).join(60)
    assert sorted_frames == [len(frame)]

def test_a_change_to_another_unit_leaves_a_units_figures_kept(store, counted):
    box, q2 = KeptFigures(), parse_period("2024Q2")
    measured(box, store.dataset(), store.coverage(), q2, ("机关工会",))
    store.import_bytes(quarter_book("团委", 5, 99), "团委q2改.xlsx", replace=True)
    measured(box, store.dataset(), store.coverage(), q2, ("机关工会",))
    assert counted == ["2024Q2"]
