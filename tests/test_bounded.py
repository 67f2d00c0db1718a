"""Caches bounded by bytes: what they keep, what they drop, and that one computation serves concurrent callers."""

import dataclasses
import threading
import time

import numpy as np
import pandas as pd
import pytest

from unionstats.figures.bounded import MB, Kept, kept, nbytes
from unionstats.intake.model import Dataset


def test_a_frames_size_is_what_pandas_counts_deep():
    frame = pd.DataFrame({"unit": ["第一中学工会"] * 10_000, "n": np.arange(10_000)})
    assert nbytes(frame) == frame.memory_usage(deep=True).sum()
    assert nbytes(frame) > 10_000 * 8


def test_a_dataset_counts_every_frame_it_holds_once():
    events = pd.DataFrame({"n": np.zeros(50_000)})
    dataset = Dataset(tables={"events": events, "same": events})
    assert 50_000 * 8 <= nbytes(dataset) < 50_000 * 8 + 100_000


def test_values_go_least_recently_used_first_when_the_budget_is_full():
    computed = []

    @kept(1)
    def block(name: str, megabytes: float) -> bytes:
        computed.append(name)
        return b"x" * int(megabytes * MB)

    block("a", 0.4), block("b", 0.4), block("a", 0.4), block("c", 0.4)  # c pushes out b, the least recently used
    block("a", 0.4), block("b", 0.4)
    assert computed == ["a", "b", "c", "b"]
    assert block.cache.currsize <= MB


def test_a_value_larger_than_the_budget_is_handed_back_and_not_kept():
    @kept(1)
    def block(megabytes: float) -> bytes:
        return b"x" * int(megabytes * MB)

    assert len(block(3)) == 3 * MB and len(block.cache) == 0
    block(0.5)
    assert len(block.cache) == 1


def test_the_budget_scales_with_the_setting(monkeypatch):
    monkeypatch.setenv("UNIONSTATS_CACHE_SCALE", "0.5")
    assert Kept(8).cache.maxsize == 4 * MB


def test_callers_asking_at_once_for_the_same_missing_value_share_one_computation():
    box, started, calls = Kept(1), threading.Barrier(4), []

    def slow():
        calls.append(1)
        time.sleep(0.3)
        return "figures"

    def ask():
        started.wait()
        answers.append(box.get("2025Q3", slow))

    answers: list[str] = []
    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert answers == ["figures"] * 4 and len(calls) == 1


@pytest.mark.parametrize("value", [None, 3, "文字", [1, [2, 3]], {"a": (1, 2)}])
def test_plain_values_have_a_size(value):
    assert nbytes(value) > 0


def test_one_result_per_key_is_kept_whatever_it_refers_to():
    from unionstats.figures.bounded import one_each

    started = []

    @one_each(2)
    def measuring(revision: str) -> list:
        started.append(revision)
        return [bytearray(8 * MB)]  # refers to far more than any byte budget here

    for revision in ["r1", "r1", "r2", "r1", "r3", "r3"]:
        measuring(revision)
    assert started == ["r1", "r2", "r3"]


@dataclasses.dataclass(slots=True)
class Slotted:
    frame: pd.DataFrame


class Plain:
    def __init__(self, frame: pd.DataFrame):
        self.frame = frame


@pytest.mark.parametrize("holder", [Slotted, Plain, lambda f: {"key": [f, (f,)]}], ids=["slots", "object", "nested"])
def test_what_holds_a_frame_counts_the_frame_once(holder):
    frame = pd.DataFrame({"n": np.zeros(100_000)})
    assert 800_000 <= nbytes(holder(frame)) < 800_000 + 10_000


def test_a_plotly_figure_counts_its_data():
    import plotly.graph_objects as go

    figure = go.Figure(go.Scatter(x=list(range(50_000)), y=list(range(50_000))))
    points = 2 * 50_000 * (28 + 8)  # two lists of fifty thousand Python ints
    assert points <= nbytes(figure) < 1.15 * points  # its data, not the validators behind its properties


def test_callers_asking_at_once_for_one_missing_key_share_one_computation_in_one_each():
    from unionstats.figures.bounded import one_each

    started, calls = threading.Barrier(4), []

    @one_each(2)
    def measuring(revision: str) -> str:
        calls.append(revision)
        time.sleep(0.3)
        return "thread"

    def ask():
        started.wait()
        measuring("r1")

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert calls == ["r1"]


def test_a_size_is_found_for_anything_a_cache_may_hold_without_looking_into_code():
    import plotly.graph_objects as go

    figure = go.Figure(go.Bar(x=[1, 2], y=[3, 4]))
    for value in (figure.__dict__, Plain, threading.Thread(target=print), nbytes, pd, {"class": go.Figure}):
        assert nbytes(value) > 0
