"""A period's rows found through the sorted dates are exactly those Period.mask finds."""

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from unionstats.contract.periods import span
from unionstats.figures import dated

DAY = dt.date(2020, 1, 1)


def frame_of(days: list[int | None], hours: list[int]) -> pd.DataFrame:
    dates = [pd.NaT if d is None else pd.Timestamp(DAY + dt.timedelta(days=d)) + pd.Timedelta(hours=h)
             for d, h in zip(days, hours)]
    return pd.DataFrame({"date": pd.Series(dates, dtype="datetime64[us]"), "n": range(len(dates))})


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0, 0.3), st.integers(0, 800), st.integers(0, 400))
def test_the_sorted_search_finds_the_rows_the_mask_finds(seed, missing, start, length):
    """Large frames (those that are sorted) of dates over two years, some missing, some at an hour of the day."""
    rng = np.random.default_rng(seed)
    days = [None if rng.random() < missing else int(d) for d in rng.integers(0, 800, 12_000)]
    frame = frame_of(days, [int(h) for h in rng.integers(0, 24, 12_000)])
    period = span(DAY + dt.timedelta(days=start), DAY + dt.timedelta(days=start + length))
    expected = period.mask(frame["date"]).to_numpy()
    assert np.array_equal(dated.mask(frame, period), expected)
    assert np.array_equal(dated.mask(frame, period), expected)  # and again, from the order kept


def test_a_frame_whose_dates_change_in_place_is_sorted_again():
    frame = frame_of(list(range(20_000)), [0] * 20_000)
    first = span(dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert dated.mask(frame, first).sum() == 366
    frame["date"] = frame["date"] + pd.Timedelta(days=400)  # every row moves out of 2020
    assert dated.mask(frame, first).sum() == 0


def test_small_frames_are_masked_directly():
    frame = frame_of([0, 1, None, 5], [0, 23, 0, 12])
    period = span(dt.date(2020, 1, 2), dt.date(2020, 1, 6))
    assert dated.mask(frame, period).tolist() == [False, True, False, True]


def units_frame(rng: np.random.Generator, missing: float, size: int = 12_000) -> pd.DataFrame:
    days = [None if rng.random() < missing else int(d) for d in rng.integers(0, 800, size)]
    frame = frame_of(days, [int(h) for h in rng.integers(0, 24, size)])
    names = np.array([f"单位{i}" for i in range(30)] + ["", None], dtype=object)
    frame["unit"] = pd.Series(names[rng.integers(0, len(names), size)], dtype="str")
    return frame


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0, 0.3), st.integers(0, 800), st.integers(0, 400),
       st.lists(st.sampled_from([f"单位{i}" for i in range(32)] + [""]), min_size=1, max_size=6))
def test_a_few_units_rows_are_the_rows_the_mask_and_the_units_find(seed, missing, start, length, units):
    """Units missing, empty, or not in the frame at all (单位30, 单位31), on frames sorted by unit and date."""
    frame = units_frame(np.random.default_rng(seed), missing)
    period = span(DAY + dt.timedelta(days=start), DAY + dt.timedelta(days=start + length))
    expected = np.flatnonzero(period.mask(frame["date"]).to_numpy() & frame["unit"].isin(units).to_numpy())
    assert dated.rows(frame, period, units).tolist() == expected.tolist()
    assert dated.rows(frame, period, units).tolist() == expected.tolist()  # and again, from the order kept
    small = frame.iloc[:500].reset_index(drop=True)  # (found without sorting)
    assert dated.rows(small, period, units).tolist() == [p for p in expected.tolist() if p < 500]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0, 0.3), st.integers(0, 800), st.integers(0, 400),
       st.none() | st.lists(st.sampled_from([f"单位{i}" for i in range(32)] + [""]), min_size=1, max_size=6))
def test_the_units_within_a_period_are_those_of_its_rows(seed, missing, start, length, units):
    """Every unit (None: a missing one) with a row in the period, of the units asked for (None: of all)."""
    frame = units_frame(np.random.default_rng(seed), missing)
    period = span(DAY + dt.timedelta(days=start), DAY + dt.timedelta(days=start + length))
    inside = frame["unit"][period.mask(frame["date"]).to_numpy()]
    if units is not None:
        inside = inside[inside.isin(units).to_numpy()]
    expected = {None if pd.isna(u) else u for u in inside}
    assert set(dated.units_within(frame, period, units)) == expected
    assert set(dated.units_within(frame.iloc[:500], period, units)) == {
        None if pd.isna(u) else u for u in inside[inside.index < 500]}


def test_a_frame_whose_units_change_in_place_is_sorted_again():
    frame = frame_of(list(range(20_000)), [0] * 20_000)
    frame["unit"] = pd.Series(["甲"] * 20_000, dtype="str")
    year = span(dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert len(dated.rows(frame, year, ["甲"])) == 366
    frame["unit"] = pd.Series(["乙"] * 20_000, dtype="str")
    assert len(dated.rows(frame, year, ["甲"])) == 0
    assert len(dated.rows(frame, year, ["乙"])) == 366
    frame.loc[5, "unit"] = "丙"  # one cell, in place
    assert dated.rows(frame, year, ["丙"]).tolist() == [5] and dated.units_within(frame, year) != ["乙"]


def test_a_frame_of_python_strings_whose_units_change_in_place_is_sorted_again():
    frame = frame_of(list(range(20_000)), [0] * 20_000)
    frame["unit"] = pd.Series(["甲"] * 20_000, dtype=object)
    year = span(dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert len(dated.rows(frame, year, ["甲"])) == 366
    frame.loc[5, "unit"] = "丙"
    assert dated.rows(frame, year, ["丙"]).tolist() == [5] and set(dated.units_within(frame, year)) == {"甲", "丙"}
