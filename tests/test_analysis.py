import datetime as dt
from dataclasses import dataclass

import pytest
from builders import dataset

from unionstats.contract.periods import parse_period
from unionstats.figures.analysis import Concentration, Drop
from unionstats.figures.engine import figures
from unionstats.kinds import events as events_kind
from unionstats.kinds import visits as visits_kind

Q1, Q2 = dt.date(2024, 2, 1), dt.date(2024, 5, 1)
KINDS = ("文体活动", "节日活动", "参观旅游", "学习培训", "民主管理", "志愿公益")


@dataclass(frozen=True)
class Findings:
    """The four rules the summary's 需要关注的几个方面 states, side by side."""

    missing_categories: list[str]
    visits_drop: Drop | None
    concentration: Concentration | None
    rate_drop: Drop | None

    def __bool__(self) -> bool:
        return bool(self.missing_categories or self.visits_drop or self.concentration or self.rate_drop)


def findings(result) -> Findings:
    return Findings(events_kind.missing_categories(result), visits_kind.visits_drop(result),
                    events_kind.concentration(result), events_kind.rate_drop(result))


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


def test_all_four_findings_at_once():
    result = found([("文体活动", 100, 100), ("节日活动", 100, 100)], [("文体活动", 20, 300), ("节日活动", 10, 100)],
                   visits=(10, 5))
    assert result == Findings(list(KINDS[2:]), Drop(5, 10), Concentration("文体活动", 300, 300 / 400),
                              Drop(30 / 200, 200 / 200))


def test_no_activity_means_no_category_is_missing_and_no_concentration():
    result = found(EVEN, [])
    assert result.missing_categories == [] and result.concentration is None and result.rate_drop is None


def test_every_main_category_missing_when_only_others_were_held():
    assert found(EVEN, [("其他", 50, 100)]).missing_categories == list(KINDS)


@pytest.mark.parametrize("spent, expected", [((300, 100), Concentration("文体活动", 300, 0.75)),
                                             ((100, 300), Concentration("节日活动", 300, 0.75)),
                                             ((100, 100), None), ((0, 0), None),
                                             ((1, 0), Concentration("文体活动", 1, 1.0))])
def test_concentration_between_two_categories(spent, expected):
    rows = [("文体活动", 50, spent[0]), ("节日活动", 50, spent[1])]
    assert found(EVEN, rows).concentration == expected


def test_no_concentration_without_spending():
    assert found(EVEN, [(c, 50, 0) for c in KINDS]).concentration is None


def test_concentration_in_a_category_outside_the_main_ones():
    rows = [(c, 50, 10) for c in KINDS] + [("其他", 50, 61)]
    assert found(EVEN, rows).concentration == Concentration("其他", 61, 61 / 121)


def test_no_rate_drop_without_a_period_before_or_without_members():
    events = [{"date": Q2, "name": "讲座", "category": "学习培训", "participants": 5, "spending": 0.0, "unit": "甲"}]
    result = figures(dataset(events, members={"甲": 100}), parse_period("2024Q2"))
    assert result.previous is None and result.events.participation_rate == 0.05
    assert findings(result).rate_drop is None
    assert found([(c, 60, 100) for c in KINDS], [(c, 50, 100) for c in KINDS], members=0).rate_drop is None


def test_a_rate_drop_after_a_quarter_without_activity_is_not_noted():
    first_visit_only = found([], [(c, 50, 100) for c in KINDS])
    assert first_visit_only.rate_drop is None


def test_a_rate_falling_to_zero_is_a_drop():
    assert found([(c, 60, 100) for c in KINDS], [(c, 0, 100) for c in KINDS]).rate_drop == Drop(0.0, 0.6)


def test_visits_drop_after_no_visits_before():
    assert found(EVEN, EVEN, visits=(0, 0)).visits_drop is None
