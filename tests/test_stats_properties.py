"""The figures on large and on random data: slow, so kept apart from test_stats.py (and from its mutation runs)."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from test_stats import (
    RANK,
    D,
    actual_totals,
    by,
    dataset,
    entry,
    event,
    expected_totals,
    figures,
    gift,
    month_of,
    visit,
    within,
)

from unionstats.contract.periods import parse_period
from unionstats.intake import model
from unionstats.intake.model import Dataset
from unionstats.kinds import competitions as competitions_kind
from unionstats.kinds import donations as donations_kind
from unionstats.kinds import events as events_kind
from unionstats.kinds import visits as visits_kind


def big_events(rows: int) -> pd.DataFrame:
    """`rows` events over 2023 and 2024, built column-wise as the loader's frames are."""
    rng = np.random.default_rng(7)

    def pick(choices):
        return pd.Series(np.array(choices, dtype=object)[rng.integers(0, len(choices), rows)])

    return pd.DataFrame({
        "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 731, rows), unit="D"),
        "name": pick([f"活动{i}" for i in range(300)]), "category": pick(events_kind.CATEGORIES),
        "participants": rng.integers(0, 200, rows), "spending": rng.integers(0, 100_000, rows) / 100,
        "unit": pick(["甲", "乙", "丙"]), "notes": "", "source": "大.xlsx", "sheet": "活动",
        "row": np.arange(rows),
    }).astype(model.frame_dtypes(events_kind.SHEET))


def test_a_million_rows_are_counted_to_the_row():
    """How long it takes is bench/bench_store.py's business; here, that nothing is lost at that size."""
    events = big_events(1_000_000)
    data, year = Dataset(events=events), parse_period("2024")
    result = figures(data, year)
    assert result["events"]["participants"] == int(events.loc[year.mask(events["date"]), "participants"].sum())
    assert result["events"]["count"] == int(year.mask(events["date"]).sum())
    assert result["previous"]["events"]["count"] + result["events"]["count"] == len(events)


DAYS = st.dates(D(2022, 1, 1), D(2025, 12, 31))
UNITS = st.sampled_from(["甲", "乙", "丙"])
MONEY = st.integers(0, 1_000_000).map(lambda fen: fen / 100)
RANDOM_SHEETS = st.fixed_dictionaries({
    "events": st.lists(st.builds(event, DAYS, st.integers(0, 500), MONEY,
                                 st.sampled_from(events_kind.CATEGORIES),
                                 st.sampled_from(["健步走", "讲座", "联欢"]), UNITS), max_size=30),
    "visits": st.lists(st.builds(visit, DAYS, st.sampled_from(visits_kind.REASONS),
                                 st.sampled_from(visits_kind.GROUPS + ("",)), st.integers(1, 50), MONEY,
                                 UNITS), max_size=20),
    "donations": st.lists(st.builds(gift, DAYS, st.sampled_from(["一日捐", "抗洪"]), MONEY,
                                    st.integers(0, 300), st.one_of(st.none(), st.integers(0, 200)),
                                    st.sampled_from(donations_kind.WAYS + ("",)), UNITS), max_size=20),
    "competitions": st.lists(st.builds(entry, DAYS, st.sampled_from(["运动会", "合唱", "征文"]),
                                       st.sampled_from(list(RANK) + ["参与"]), st.integers(1, 5),
                                       st.sampled_from(competitions_kind.LEVELS + ("",)), unit=UNITS), max_size=20),
})
PERIODS = st.one_of(
    st.integers(2022, 2025).map(str),
    st.builds("{}H{}".format, st.integers(2022, 2025), st.integers(1, 2)),
    st.builds("{}Q{}".format, st.integers(2022, 2025), st.integers(1, 4)),
    st.builds("{}-{}".format, st.integers(2022, 2025), st.integers(1, 12)),
    st.tuples(DAYS, DAYS).map(lambda pair: f"{min(pair)}..{max(pair)}"),
).map(parse_period)


@settings(max_examples=80, deadline=None)
@given(RANDOM_SHEETS, PERIODS, st.sampled_from([None, ["甲"], ["甲", "乙"]]))
def test_random_records_sum_as_plain_python_does(sheets, period, units):
    result = figures(dataset(**sheets), period, units)
    assert actual_totals(result) == expected_totals(period, units, sheets)
    events, visits = within(sheets["events"], period, units), within(sheets["visits"], period, units)
    fields = {"participants": "participants", "spending": "spending"}
    assert result["events"]["by_category"] == by(events, "category", events_kind.CATEGORIES, fields)
    months = [dict(e, month=month_of(e)) for e in events]
    every = [f"{y}-{m:02d}" for y in range(period.start.year, period.end.year + 1) for m in range(1, 13)
             if (period.start.year, period.start.month) <= (y, m) <= (period.end.year, period.end.month)]
    counted = by(months, "month", every, fields)
    zero = {"count": 0, "participants": 0, "spending": 0.0}
    assert result["events"]["by_month"] == ({m: counted.get(m, zero) for m in every} if events else {})
    reasons = by(visits, "reason", visits_kind.REASONS, {"people": "count"})
    assert {r: v["people"] for r, v in result["visits"]["by_reason"].items()} == {
        r: v["people"] for r, v in reasons.items()}
    by_level = result["competitions"]["by_level"].values()
    assert sum(level["awards"] for level in by_level) == result["competitions"]["awards"]
