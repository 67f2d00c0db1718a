import datetime as dt

import pytest
from builders import dataset

from unionstats.analysis import Concentration, Drop, findings
from unionstats.periods import parse_period
from unionstats.stats import figures

Q1, Q2 = dt.date(2024, 2, 1), dt.date(2024, 5, 1)
KINDS = ("文体活动", "节日活动", "参观旅游", "学习培训", "民主管理", "志愿公益")


def found(first: list[tuple], second: list[tuple], visits=(1, 1), members=100):
    """Findings for 2024Q2 after 2024Q1; activities as (category, participants, spending)."""
    events = [{"date": day, "name": f"{c}{i}", "category": c, "participants": p, "spending": s, "unit": "甲"}
              for day, rows in ((Q1, first), (Q2, second)) for i, (c, p, s) in enumerate(rows)]
    people = [{"date": day, "reason": "结婚", "count": n, "unit": "甲"} for day, n in zip((Q1, Q2), visits) if n]
    return findings(figures(dataset(events, people, members={"甲": members}), parse_period("2024Q2")))


EVEN = [(c, 50, 100) for c in KINDS]


def test_nothing_to_point_out():
    assert not found(EVEN, EVEN)


def test_missing_categories_in_the_contract_order():
    assert found(EVEN, [("志愿公益", 50, 100), ("文体活动", 50, 100)]).missing_categories == [
        "节日活动", "参观旅游", "学习培训", "民主管理"]
    assert found(EVEN, []).missing_categories == []


@pytest.mark.parametrize("before, now, drop", [(10, 7, True), (10, 8, False), (100, 71, False), (100, 70, True),
                                               (10, 0, True), (0, 5, False)])
def test_visits_drop_from_thirty_percent(before, now, drop):
    assert found(EVEN, EVEN, visits=(before, now)).visits_drop == (Drop(now, before) if drop else None)


def test_no_visits_drop_without_a_period_before():
    result = figures(dataset(visits=[{"date": Q2, "reason": "结婚", "count": 1, "unit": "甲"}]),
                     parse_period("2024Q2"))
    assert findings(result).visits_drop is None


@pytest.mark.parametrize("spent, expected", [(101, Concentration("文体活动", 101, 101 / 201)), (100, None),
                                             (99, Concentration("节日活动", 100, 100 / 199))])
def test_concentration_above_half(spent, expected):
    rows = [("文体活动", 50, spent), ("节日活动", 50, 100)] + [(c, 50, 0) for c in KINDS[2:]]
    assert found(EVEN, rows).concentration == expected


def test_one_category_is_not_a_concentration():
    assert found(EVEN, [("文体活动", 50, 100)]).concentration is None


@pytest.mark.parametrize("earlier, now, drop", [(60, 50, True), (50, 50, False), (40, 50, False)])
def test_rate_drop(earlier, now, drop):
    result = found([(c, earlier, 100) for c in KINDS], [(c, now, 100) for c in KINDS]).rate_drop
    assert result == (Drop(now / 100, earlier / 100) if drop else None)
