"""`nearest`: the period of the same kind nearest to an empty one that holds rows of the units, and the line
that says so. Expected periods are found here by walking outwards from the period over the test's own rows."""

import datetime as dt

import builders
import pytest

from unionstats.contract.periods import HALF, MONTH, QUARTER, RANGE, YEAR, Period, parse_period
from unionstats.figures.nearest import nearest_period, no_data_text, units_text

D = dt.date
# (date, unit) of every row; 红星小学 reported nothing in February 2024, 某研究所 only in 2008, 县局 a visit in 2013.
ROWS = {
    "events": [(D(2024, 1, 10), "红星小学"), (D(2024, 3, 8), "红星小学"), (D(2024, 6, 30), "红星小学"),
               (D(2008, 5, 16), "某研究所"), (D(2008, 12, 10), "某研究所")],
    "visits": [(D(2013, 4, 22), "县局"), (D(2024, 11, 2), "红星小学")],
    "competitions": [(D(2008, 3, 8), "某研究所")],
}


def dataset():
    events = [dict(date=d, name="活动", category="文体活动", participants=1, spending=0.0, unit=u)
              for d, u in ROWS["events"]]
    visits = [dict(date=d, reason="生病住院", count=1, amount=0.0, unit=u) for d, u in ROWS["visits"]]
    contests = [dict(date=d, name="比赛", result="参与", awards=1, unit=u) for d, u in ROWS["competitions"]]
    return builders.dataset(events=events, visits=visits, competitions=contests)


def days(units=None) -> list[dt.date]:
    return [d for rows in ROWS.values() for d, u in rows if not units or u in units]


def walked(period: Period, units=None) -> Period | None:
    """Step away from the period one of its kind at a time, the later side first, until one holds a row."""
    held = days(units)
    if not held:
        return None
    later = earlier = period
    while True:
        for candidate in (later, earlier):
            if any(candidate.contains(d) for d in held):
                return candidate
        later = Period.containing(period.kind, later.end + dt.timedelta(days=1))
        earlier = earlier.previous()


@pytest.mark.parametrize("code, units", [
    ("2024-02", ["红星小学"]),  # January and March as near: the later
    ("2024-02", None),
    ("2024-09", ["红星小学"]),  # June and November: November is nearer
    ("2023Q1", ["红星小学"]),
    ("2013Q1", None),  # only 县局's second quarter in 2013
    ("2016Q3", None),  # 2013Q2 and 2019..: from the rows
    ("2010", ["某研究所"]),
    ("2018", None),  # 2013 and 2024: 2013 is nearer
    ("2016", ["某研究所", "县局"]),
    ("2009H2", ["某研究所"]),
    ("2024Q2", ["红星小学"]),  # has rows: itself
], ids=str)
def test_the_nearest_period_of_the_same_kind_holds_rows_of_the_units(code, units):
    period = parse_period(code)
    assert not any(period.contains(d) for d in days(units)) or code == "2024Q2"
    found = nearest_period(dataset(), period, units)
    assert found == walked(period, units) and found.kind == period.kind


def test_a_tie_goes_to_the_later_period():
    assert walked(parse_period("2024-02"), ["红星小学"]) == Period.of(MONTH, 2024, 3)
    assert nearest_period(dataset(), parse_period("2024-02"), ["红星小学"]) == Period.of(MONTH, 2024, 3)
    assert nearest_period(dataset(), Period.of(YEAR, 2016), None) == Period.of(YEAR, 2013)  # 3 years back, 8 on
    assert nearest_period(dataset(), Period.of(HALF, 2009, 2), ["某研究所"]) == Period.of(HALF, 2008, 2)
    assert nearest_period(dataset(), Period.of(QUARTER, 2023, 1), ["红星小学"]) == Period.of(QUARTER, 2024, 1)


def test_no_row_of_the_units_anywhere_is_none():
    assert nearest_period(dataset(), Period.of(YEAR, 2024), ["没有这个单位"]) is None
    assert nearest_period(builders.dataset(), Period.of(YEAR, 2024)) is None


def test_a_custom_range_is_moved_beside_the_nearest_row_keeping_its_length():
    period = Period(D(2024, 2, 1), D(2024, 2, 20), RANGE)  # 8 March is 17 days after, 10 January 22 before
    assert nearest_period(dataset(), period, ["红星小学"]) == Period(D(2024, 3, 8), D(2024, 3, 27), RANGE)
    earlier = Period(D(2024, 1, 20), D(2024, 1, 31), RANGE)  # 10 January 10 days before, 8 March 37 after
    assert nearest_period(dataset(), earlier, ["红星小学"]) == Period(D(2023, 12, 30), D(2024, 1, 10), RANGE)
    holding = Period(D(2024, 3, 1), D(2024, 3, 9), RANGE)
    assert nearest_period(dataset(), holding, ["红星小学"]) == holding


def test_the_line_names_the_period_the_units_and_the_nearest():
    q1 = Period.of(QUARTER, 2023, 1)
    assert no_data_text(q1, ["红星小学"], Period.of(QUARTER, 2024, 1)) == \
        "2023年第一季度，红星小学没有数据；最近有数据的季度是2024年第一季度"
    assert no_data_text(Period.of(YEAR, 2018), None, Period.of(YEAR, 2013)) == \
        "2018年，所有单位都没有数据；最近有数据的年度是2013年"
    assert no_data_text(Period.of(MONTH, 2024, 2), ["甲", "乙"], Period.of(MONTH, 2024, 3)) == \
        "2024年2月，甲、乙都没有数据；最近有数据的月份是2024年3月"
    assert no_data_text(q1, ["甲"], None) == "2023年第一季度，甲没有数据；其他统计期也没有该单位的数据"
    assert no_data_text(q1, ["甲", "乙"], None).endswith("其他统计期也没有这些单位的数据")
    assert units_text(["甲", "乙", "丙", "丁"]) == "甲、乙、丙等4个单位" and units_text([]) == "所有单位"
