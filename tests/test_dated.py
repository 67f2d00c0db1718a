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
