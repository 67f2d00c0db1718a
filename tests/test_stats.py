import datetime as dt

import pytest
from builders import dataset
from hypothesis import given, settings
from hypothesis import strategies as st

from unionstats import schema
from unionstats.model import Dataset
from unionstats.periods import parse_period
from unionstats.stats import change, figures

D = dt.date


def event(day, participants, spending, category="文体活动", unit="甲", name="活动"):
    return dict(date=day, name=name, category=category, participants=participants, spending=spending, unit=unit)


EVENTS = [
    event(D(2024, 1, 10), 50, 1000.10, "节日活动", name="春节联欢"),
    event(D(2024, 3, 8), 40, 800.20, "节日活动", name="三八节"),
    event(D(2024, 4, 18), 120, 3000.30, name="健步走"),
    event(D(2024, 5, 16), 30, 500.00, unit="乙", name="羽毛球"),
    event(D(2024, 11, 8), 25, 250.05, "学习培训", name="讲座"),
    event(D(2023, 4, 20), 60, 900.00, name="去年健步走"),
]


def expect(records, period=None, unit=None):
    chosen = [r for r in records if (period is None or period.start <= r["date"] <= period.end)
              and (unit is None or r["unit"] == unit)]
    return len(chosen), sum(r["participants"] for r in chosen), round(sum(r["spending"] for r in chosen), 2)


@pytest.mark.parametrize("code", ["2024", "2024H1", "2024H2", "2024Q1", "2024Q2", "2024Q4", "2024-03", "2023",
                                  "2024-03-01..2024-04-30"])
@pytest.mark.parametrize("unit", [None, "甲", "乙"])
def test_event_totals_for_every_period_and_unit(code, unit):
    period = parse_period(code)
    result = figures(dataset(EVENTS), period, [unit] if unit else None)["events"]
    assert (result["count"], result["participants"], result["spending"]) == expect(EVENTS, period, unit)


def test_events_by_category_month_and_quarter():
    result = figures(dataset(EVENTS), parse_period("2024"))["events"]
    assert list(result["by_category"]) == ["文体活动", "节日活动", "学习培训"]
    assert result["by_category"]["节日活动"] == {"count": 2, "participants": 90, "spending": 1800.3}
    assert result["by_month"]["2024-03"] == {"count": 1, "participants": 40, "spending": 800.2}
    assert list(result["by_quarter"]) == ["2024Q1", "2024Q2", "2024Q4"]
    assert result["by_quarter"]["2024Q2"] == {"count": 2, "participants": 150, "spending": 3500.3}
    assert [e["name"] for e in result["top"]] == ["健步走", "春节联欢", "三八节", "羽毛球", "讲座"]
    assert [f["name"] for f in result["festivals"]] == ["春节联欢", "三八节"]


def test_participation_rate_uses_only_units_with_known_members():
    result = figures(dataset(EVENTS, members={"甲": 200}), parse_period("2024"))["events"]
    jia = [e for e in EVENTS if e["unit"] == "甲" and e["date"].year == 2024]
    assert result["participation_rate"] == round(sum(e["participants"] for e in jia) / (len(jia) * 200), 4)
    assert result["by_unit"]["乙"]["participation_rate"] is None
    assert result["members"] == 200
    assert result["spending_per_member"] == round(expect(EVENTS, parse_period("2024"))[2] / 200, 2)


def test_no_members_means_no_rate_not_zero():
    result = figures(dataset(EVENTS), parse_period("2024"))["events"]
    assert result["participation_rate"] is None and result["spending_per_member"] is None


def test_comparisons_exist_only_where_data_does():
    result = figures(dataset(EVENTS), parse_period("2024Q2"))
    assert result["previous"]["events"]["participants"] == 90
    assert result["year_ago"]["events"]["participants"] == 60
    assert "previous" not in result["previous"] and "year_ago" not in result["year_ago"]
    lonely = figures(dataset(EVENTS), parse_period("2024Q4"))
    assert lonely["previous"] is None and lonely["year_ago"] is None


VISITS = [
    dict(date=D(2024, 4, 1), reason="生病住院", group="在职职工", count=1, amount=500.0, unit="甲"),
    dict(date=D(2024, 4, 9), reason="结婚", group="", count=2, amount=2000.0, unit="甲"),
    dict(date=D(2024, 5, 9), reason="生病住院", group="离退休人员", count=3, amount=1500.0, unit="乙"),
    dict(date=D(2024, 6, 30), reason="节日慰问", group="离退休人员", count=40, amount=8000.0, unit="甲"),
]


def test_visits_count_people_not_rows():
    result = figures(dataset(visits=VISITS), parse_period("2024Q2"))["visits"]
    assert result["count"] == 46 and result["records"] == 4 and result["amount"] == 12000.0
    assert result["by_reason"] == {"生病住院": 4, "结婚": 2, "节日慰问": 40}
    assert result["by_reason_amount"] == {"生病住院": 2000.0, "结婚": 2000.0, "节日慰问": 8000.0}
    assert result["by_group"] == {"在职职工": 1, "离退休人员": 43, "未注明": 2}


def test_donations_by_campaign_in_date_order():
    donations = [dict(date=D(2024, 7, 1), campaign="抗洪", cash=5000.0, goods=0, donors=50, unit="甲"),
                 dict(date=D(2024, 4, 1), campaign="一日捐", cash=12000.5, goods=0, donors=None, unit="甲"),
                 dict(date=D(2024, 8, 1), campaign="抗洪", cash=0.0, goods=135, donors=None, unit="甲")]
    result = figures(dataset(donations=donations), parse_period("2024"))["donations"]
    assert (result["count"], result["cash"], result["goods"], result["donors"]) == (3, 17000.5, 135, 50)
    assert list(result["by_campaign"]) == ["一日捐", "抗洪"]
    assert result["by_campaign"]["抗洪"] == {"count": 2, "cash": 5000.0, "goods": 135}


COMPETITIONS = [
    dict(date=D(2024, 5, 1), name="运动会", level="系统内", event="跳绳", result="第二名", awards=3, unit="甲"),
    dict(date=D(2024, 5, 1), name="运动会", level="系统内", event="团体", result="第一名", awards=1, unit="甲"),
    dict(date=D(2024, 6, 1), name="合唱", level="市级", event="", result="其他奖项", award_name="最佳组织奖", awards=1,
         unit="甲"),
    dict(date=D(2024, 6, 2), name="征文", level="全国", event="", result="一等奖", awards=1, unit="甲"),
    dict(date=D(2024, 6, 3), name="篮球", level="区县级", event="", result="参与", awards=1, unit="甲"),
    dict(date=D(2024, 6, 4), name="书法", level="", event="", result="第十一名", awards=1, unit="甲"),
]


def test_awards_leave_out_participation_and_rank_the_best_first():
    result = figures(dataset(competitions=COMPETITIONS), parse_period("2024"))["competitions"]
    assert (result["count"], result["names"], result["awards"]) == (6, 5, 7)
    assert result["by_result"] == {"第一名": 1, "第二名": 3, "第十一名": 1, "一等奖": 1, "其他奖项": 1, "参与": 1}
    assert result["by_level"]["系统内"] == {"count": 2, "awards": 4}
    assert result["by_level"]["区县级"] == {"count": 1, "awards": 0}
    assert result["by_level"]["未注明"] == {"count": 1, "awards": 1}
    assert [(b["name"], b["result"]) for b in result["best"]] == [
        ("征文", "一等奖"), ("运动会", "第一名"), ("运动会", "第二名"), ("合唱", "其他奖项"), ("书法", "第十一名")]
    assert result["best"][3]["award_name"] == "最佳组织奖"


def test_an_empty_dataset_is_all_zeros_and_no_period():
    result = figures(Dataset())
    assert result["period"] is None and result["previous"] is None
    assert result["events"]["count"] == 0 and result["events"]["spending"] == 0
    assert result["visits"]["by_reason"] == {} and result["competitions"]["awards"] == 0


def test_change_gives_delta_and_ratio_only_when_it_can():
    assert change(120, 100) == {"delta": 20, "ratio": 0.2}
    assert change(5, 0) == {"delta": 5, "ratio": None}
    assert change(None, 3) is None


RANDOM_EVENTS = st.lists(st.fixed_dictionaries({
    "date": st.dates(D(2022, 1, 1), D(2025, 12, 31)),
    "participants": st.integers(0, 500),
    "spending": st.integers(0, 1_000_000).map(lambda fen: fen / 100),
    "category": st.sampled_from(schema.EVENT_CATEGORIES),
    "unit": st.sampled_from(["甲", "乙", "丙"]),
    "name": st.sampled_from(["健步走", "讲座", "联欢"]),
}), max_size=40)
PERIODS = st.sampled_from(["2022", "2023H2", "2024Q3", "2025-02", "2023-05-05..2024-02-10"])


@settings(max_examples=80, deadline=None)
@given(RANDOM_EVENTS, PERIODS, st.sampled_from([None, "甲"]))
def test_random_events_sum_as_plain_python_does(records, code, unit):
    period = parse_period(code)
    result = figures(dataset(records), period, [unit] if unit else None)["events"]
    assert (result["count"], result["participants"], result["spending"]) == expect(records, period, unit)
    chosen = [r for r in records if period.start <= r["date"] <= period.end and (unit is None or r["unit"] == unit)]
    for category, values in result["by_category"].items():
        mine = [r for r in chosen if r["category"] == category]
        assert values == {"count": len(mine), "participants": sum(r["participants"] for r in mine),
                          "spending": round(sum(r["spending"] for r in mine), 2)}
