"""Every month and quarter of a period, worked out by hand for periods that cross a year."""

import datetime as dt

from builders import dataset

from unionstats.contract.periods import parse_period
from unionstats.figures import months
from unionstats.figures.engine import period_figures
from unionstats.kinds.events import EventGroup
from unionstats.kinds.visits import VisitGroup


def test_the_months_and_quarters_a_period_touches_in_time_order():
    crossing = parse_period("2023-11-15..2024-02-03")
    assert months.month_keys(crossing) == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert months.quarter_keys(crossing) == ["2023Q4", "2024Q1"]
    assert months.month_keys(parse_period("2024-05")) == ["2024-05"]
    assert months.quarter_keys(parse_period("2024H2")) == ["2024Q3", "2024Q4"]
    assert months.month_keys(parse_period("2024")) == [f"2024-{m:02d}" for m in range(1, 13)]


def test_a_zero_group_keeps_each_fields_type():
    assert months.zero(EventGroup(3, 40, 12.5)) == EventGroup(0, 0, 0.0)
    assert type(months.zero(VisitGroup(1, 2, 3.0)).amount) is float


def test_empty_and_otherwise_keyed_groups_are_left_as_they_are():
    keys = ["2024-01", "2024-02"]
    assert months.filled({}, keys) == {}
    odd = {"2024年1月": EventGroup(1, 2, 3.0)}
    assert months.filled(odd, keys) is odd
    assert months.filled({"2024-02": EventGroup(1, 2, 3.0)}, keys) == {
        "2024-01": EventGroup(0, 0, 0.0), "2024-02": EventGroup(1, 2, 3.0)}


def test_figures_without_a_period_or_without_months_are_unchanged():
    data = dataset([{"date": dt.date(2024, 3, 5), "name": "甲", "participants": 4, "spending": 10.0}])
    unbounded = period_figures(data, None, None)
    assert list(unbounded.events.by_month) == ["2024-03"]
    assert months.every_month(unbounded.events, None) is unbounded.events
    assert months.every_month(unbounded.donations, parse_period("2024")) == unbounded.donations
    assert months.every_month("not figures", parse_period("2024")) == "not figures"
