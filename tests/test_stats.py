"""The figures against numbers this file works out itself, with plain Python over the same records."""

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from unionstats.contract import schema
from unionstats.contract.periods import parse_period
from unionstats.figures import engine as stats
from unionstats.figures.engine import Change, change
from unionstats.intake import model
from unionstats.intake.model import Dataset
from unionstats.kinds import competitions as competitions_kind
from unionstats.kinds import donations as donations_kind
from unionstats.kinds import events as events_kind
from unionstats.kinds import visits as visits_kind


def figures(*args, **options) -> dict:
    """The figures as the JSON `stats --json` prints: plain values, compared key by key below."""
    return stats.figures(*args, **options).to_json()

D = dt.date


def frame(sheet: schema.Sheet, records: list[dict]) -> pd.DataFrame:
    """A sheet as the loader leaves it: blanks as "", the contract's defaults, the model's dtypes."""
    dtypes = model.frame_dtypes(sheet)
    filled = {key: "" for key, dtype in dtypes.items() if dtype == "str"}
    filled.update({c.key: c.default for c in sheet.columns if c.default is not None})
    rows = [{**filled, "source": "测试.xlsx", "sheet": sheet.name, "row": i + 2, **record}
            for i, record in enumerate(records)]
    if not rows:
        return model.empty_frame(sheet)
    data = pd.DataFrame(rows, columns=list(dtypes))
    data["date"] = pd.to_datetime(data["date"])
    return data.astype(dtypes)


def dataset(events=(), visits=(), donations=(), competitions=(), members=None) -> Dataset:
    units = model.empty_units()
    if members:
        units = pd.DataFrame({"unit": list(members), "members": list(members.values()),
                              "period_text": "", "source": "测试.xlsx", "named": True}).astype(units.dtypes.to_dict())
    return Dataset(events=frame(events_kind.SHEET, list(events)), visits=frame(visits_kind.SHEET, list(visits)),
                   donations=frame(donations_kind.SHEET, list(donations)),
                   competitions=frame(competitions_kind.SHEET, list(competitions)), units=units)


def event(day, participants, spending, category="文体活动", name="活动", unit="甲"):
    return dict(date=day, name=name, category=category, participants=participants, spending=spending,
                unit=unit)


def visit(day, reason="生病住院", group="在职职工", count=1, amount=500.0, unit="甲", person="张三"):
    return dict(date=day, reason=reason, group=group, count=count, amount=amount, unit=unit, person=person)


def gift(day, campaign, cash=0.0, goods=0, donors=None, kind="集体", unit="甲"):
    return dict(date=day, campaign=campaign, cash=cash, goods=goods, donors=donors, kind=kind, unit=unit)


def entry(day, name, result, awards=1, level="市级", event="", award_name="", unit="甲"):
    return dict(date=day, name=name, result=result, awards=awards, level=level, event=event,
                award_name=award_name, unit=unit)


EVENTS = [
    event(D(2024, 1, 10), 50, 1000.10, "节日活动", "春节联欢"),
    event(D(2024, 3, 8), 40, 800.20, "节日活动", "三八节"),
    event(D(2024, 3, 8), 40, 300.00, name="拔河", unit="乙"),
    event(D(2024, 4, 18), 120, 3000.30, name="健步走"),
    event(D(2024, 5, 16), 30, 500.00, name="羽毛球", unit="乙"),
    event(D(2024, 6, 30), 0, 0.0, "学习培训", "读书会", unit="乙"),
    event(D(2024, 9, 15), 60, 1200.00, "节日活动", "中秋联欢"),
    event(D(2024, 9, 17), 20, 150.00, "节日活动", "中秋联欢", unit="乙"),
    event(D(2024, 11, 8), 25, 250.05, "学习培训", "讲座"),
    event(D(2024, 12, 20), 15, 80.00, "其他", "座谈"),
    event(D(2023, 4, 20), 60, 900.00, name="去年健步走"),
    event(D(2023, 9, 28), 55, 1100.00, "节日活动", "中秋联欢", unit="乙"),
]
VISITS = [
    visit(D(2024, 4, 1)),
    visit(D(2024, 4, 9), "结婚", "", count=2, amount=2000.0),
    visit(D(2024, 5, 9), group="离退休人员", count=3, amount=1500.0, unit="乙", person="李四"),
    visit(D(2024, 6, 30), "节日慰问", "离退休人员", count=40, amount=8000.0),
    visit(D(2024, 12, 1), "丧事", "在职职工", amount=1000.0, unit="乙"),
    visit(D(2023, 12, 30), "困难帮扶", "女职工", count=2, amount=3000.0),
]
DONATIONS = [
    gift(D(2024, 7, 1), "抗洪", cash=5000.0, donors=50),
    gift(D(2024, 4, 1), "一日捐", cash=12000.5, kind=""),
    gift(D(2024, 8, 1), "抗洪", goods=135, kind="个人", unit="乙"),
    gift(D(2023, 4, 1), "一日捐", cash=9000.0, donors=80, unit="乙"),
]
COMPETITIONS = [
    entry(D(2024, 5, 1), "运动会", "第二名", awards=3, level="系统内", event="跳绳"),
    entry(D(2024, 5, 1), "运动会", "第一名", level="系统内", event="团体"),
    entry(D(2024, 6, 1), "合唱比赛", "其他奖项", level="市级", award_name="最佳组织奖"),
    entry(D(2024, 6, 2), "征文", "一等奖", level="全国", unit="乙"),
    entry(D(2024, 6, 3), "篮球赛", "参与", awards=1, level="区县级"),
    entry(D(2024, 6, 3), "篮球赛", "参与", awards=1, level="区县级", unit="乙"),
    entry(D(2024, 6, 4), "书法比赛", "第十一名", level=""),
    entry(D(2024, 10, 9), "演讲比赛", "二等奖", level="省级"),
    entry(D(2024, 10, 9), "演讲比赛", "优秀奖", awards=2, level="省级", unit="乙"),
    entry(D(2023, 6, 1), "运动会", "第三名", level="系统内"),
]
ALL = dataset(EVENTS, VISITS, DONATIONS, COMPETITIONS)
SHEETS = {"events": EVENTS, "visits": VISITS, "donations": DONATIONS, "competitions": COMPETITIONS}


def within(records, period=None, units=None):
    return [r for r in records if (period is None or period.start <= r["date"] <= period.end)
            and (not units or r["unit"] in units)]


def money(values) -> float:
    return round(sum(values), 2)


def expected_totals(period, units, sheets=None) -> dict:
    """The headline figures of `sheets` (the fixture's by default), summed here in plain Python."""
    sheets = sheets or SHEETS
    events, visits, donations, competitions = (within(sheets[key], period, units) for key in SHEETS)
    donors = [d["donors"] for d in donations if d["donors"] is not None]
    return {
        "events": (len(events), sum(e["participants"] for e in events), money(e["spending"] for e in events)),
        "visits": (sum(v["count"] for v in visits), money(v["amount"] for v in visits), len(visits)),
        "donations": (len(donations), money(d["cash"] for d in donations), sum(d["goods"] for d in donations),
                      sum(donors) if donors else None),
        "competitions": (len(competitions), len({c["name"] for c in competitions}),
                         sum(c["awards"] for c in competitions if c["result"] != "参与")),
    }


def reporting(period) -> set[str]:
    """The units with a row of any sheet in the period, read off the fixture's rows."""
    return {row["unit"] for rows in SHEETS.values() for row in within(rows, period, None)}


def actual_totals(result: dict) -> dict:
    events, visits, donations, competitions = (result[key] for key in SHEETS)
    return {
        "events": (events["count"], events["participants"], events["spending"]),
        "visits": (visits["count"], visits["amount"], visits["records"]),
        "donations": (donations["count"], donations["cash"], donations["goods"], donations["donors"]),
        "competitions": (competitions["count"], competitions["names"], competitions["awards"]),
    }


@pytest.mark.parametrize("code", ["2024", "2023", "2024H1", "2024H2", "2024Q1", "2024Q2", "2024Q3", "2024Q4",
                                  "2024-03", "2024-06", "2023-12", "2024-03-01..2024-04-30",
                                  "2023-09-01..2024-01-31", "2024-06-03..2024-06-03"])
@pytest.mark.parametrize("units", [None, ["甲"], ["乙"], ["甲", "乙"], ["丙"]])
def test_totals_for_every_kind_of_period_and_unit(code, units):
    period = parse_period(code)
    result = figures(ALL, period, units)
    assert actual_totals(result) == expected_totals(period, units)
    assert result["period"] == {"code": period.code, "label": period.label,
                                "start": period.start.isoformat(), "end": period.end.isoformat()}
    chosen = [r for sheet in SHEETS.values() for r in within(sheet, period, units)]
    assert result["units"] == sorted({r["unit"] for r in chosen})


@pytest.mark.parametrize("units", [None, ["乙"]])
def test_without_a_period_the_span_of_all_the_data_is_taken(units):
    result = figures(ALL, units=units)
    every_date = [r["date"] for sheet in SHEETS.values() for r in sheet]
    assert (result["period"]["start"], result["period"]["end"]) == (min(every_date).isoformat(),
                                                                    max(every_date).isoformat())
    assert actual_totals(result) == expected_totals(None, units)


def by(records, key, order, fields):
    """{key value: {"count": rows, name: sum}} in `order`, for the values that have rows."""
    out = {}
    for value in order:
        rows = [r for r in records if r[key] == value]
        if rows:
            out[value] = {"count": len(rows), **{name: sum_of(rows, col) for name, col in fields.items()}}
    return out


def sum_of(rows, column):
    values = [r[column] for r in rows]
    return money(values) if isinstance(values[0], float) else sum(values)


def month_of(record) -> str:
    return record["date"].strftime("%Y-%m")


def quarter_of(record) -> str:
    return f"{record['date'].year}Q{(record['date'].month - 1) // 3 + 1}"


def test_events_by_category_month_quarter_and_unit():
    period = parse_period("2024")
    result = figures(ALL, period)["events"]
    chosen = within(EVENTS, period)
    fields = {"participants": "participants", "spending": "spending"}
    for key, order, name in [("category", events_kind.CATEGORIES, "by_category"),
                             ("unit", sorted(["甲", "乙"]), "by_unit")]:
        expected = by(chosen, key, order, fields)
        if name == "by_unit":
            expected = {u: {**v, "members": None, "participation_rate": None} for u, v in expected.items()}
        assert result[name] == expected and list(result[name]) == list(expected)
    months = [dict(r, month=month_of(r), quarter=quarter_of(r)) for r in chosen]
    every = {"month": [f"2024-{m:02d}" for m in range(1, 13)], "quarter": [f"2024Q{q}" for q in range(1, 5)]}
    assert {r["month"] for r in months} < set(every["month"]), "the year has months without activities"
    for key, name in [("month", "by_month"), ("quarter", "by_quarter")]:
        expected = with_zeros(by(months, key, every[key], fields), every[key], {"count": 0, **ZERO_EVENTS})
        assert result[name] == expected and list(result[name]) == list(expected)


ZERO_EVENTS = {"participants": 0, "spending": 0.0}


def with_zeros(groups: dict, keys: list[str], zero: dict) -> dict:
    """`groups` over every key in order, `zero` where no row fell."""
    return {key: groups.get(key, zero) for key in keys}


def test_the_largest_events_ties_broken_by_date_then_name():
    period = parse_period("2024H1")
    ranked = sorted(within(EVENTS, period), key=lambda e: (-e["participants"], e["date"], e["name"]))[:5]
    assert figures(ALL, period)["events"]["top"] == [
        {"date": e["date"].isoformat(), "name": e["name"], "category": e["category"],
         "participants": e["participants"], "spending": e["spending"]} for e in ranked]


def test_the_largest_events_among_many_ties():
    records = [event(D(2024, 1, 1) + dt.timedelta(days=i % 7), 10 + i % 3, 1.0, name=f"活动{i % 11}")
               for i in range(300)]
    ranked = sorted(records, key=lambda e: (-e["participants"], e["date"], e["name"]))[:5]
    top = figures(dataset(records), parse_period("2024"))["events"]["top"]
    assert [(t["participants"], t["date"], t["name"]) for t in top] == [
        (e["participants"], e["date"].isoformat(), e["name"]) for e in ranked]


def test_festivals_are_named_once_the_largest_first():
    period = parse_period("2024")
    festivals = [e for e in within(EVENTS, period) if e["category"] == "节日活动"]
    expected = []
    for name in {e["name"] for e in festivals}:
        rows = [e for e in festivals if e["name"] == name]
        expected.append({"name": name, "count": len(rows),
                         "participants": sum(r["participants"] for r in rows),
                         "spending": money(r["spending"] for r in rows),
                         "date": min(r["date"] for r in rows).isoformat()})
    expected.sort(key=lambda f: (-f["participants"], f["date"], f["name"]))
    assert figures(ALL, period)["events"]["festivals"] == expected


def test_participation_rate_with_members_known_for_one_of_two_units():
    period = parse_period("2024")
    result = figures(dataset(EVENTS, members={"甲": 200}), period)["events"]
    jia = within(EVENTS, period, ["甲"])
    everyone = within(EVENTS, period)
    assert result["members"] == 200
    expected = sum(e["participants"] for e in jia) / (len(jia) * 200)
    assert result["participation_rate"] == pytest.approx(expected, abs=1e-12)
    assert result["spending_per_member"] == round(sum(e["spending"] for e in jia) / 200, 2)
    assert result["spending_per_participant"] == round(
        sum(e["spending"] for e in everyone) / sum(e["participants"] for e in everyone), 2)
    assert result["by_unit"]["甲"]["members"] == 200
    assert result["by_unit"]["甲"]["participation_rate"] == result["participation_rate"]
    assert result["by_unit"]["乙"]["members"] is None
    assert result["by_unit"]["乙"]["participation_rate"] is None


def test_participation_rate_with_members_known_for_both_units():
    period = parse_period("2024Q1")
    result = figures(dataset(EVENTS, members={"甲": 200, "乙": 50}), period)["events"]
    jia, yi = within(EVENTS, period, ["甲"]), within(EVENTS, period, ["乙"])
    taking_part = sum(e["participants"] for e in jia + yi)
    assert result["members"] == 250
    assert result["participation_rate"] == pytest.approx(taking_part / (len(jia) * 200 + len(yi) * 50), abs=1e-12)


def test_members_of_units_out_of_scope_do_not_count():
    result = figures(dataset(EVENTS, members={"甲": 200}), parse_period("2024"), ["乙"])["events"]
    assert result["members"] is None and result["participation_rate"] is None
    assert result["spending_per_member"] is None


def test_no_members_means_no_rate_not_zero():
    result = figures(ALL, parse_period("2024"))["events"]
    assert result["members"] is None
    assert result["participation_rate"] is None and result["spending_per_member"] is None


def test_visits_count_people_not_rows():
    period = parse_period("2024")
    result = figures(ALL, period)["visits"]
    chosen = [dict(v, group=v["group"] or "未注明", month=month_of(v)) for v in within(VISITS, period)]
    reasons_fields = {"people": "count", "amount": "amount"}
    reasons = by(chosen, "reason", visits_kind.REASONS, reasons_fields)
    groups = by(chosen, "group", visits_kind.GROUPS + ("未注明",), reasons_fields)
    every_month = [f"2024-{m:02d}" for m in range(1, 13)]
    months = with_zeros(by(chosen, "month", every_month, reasons_fields), every_month,
                        {"count": 0, "people": 0, "amount": 0.0})

    def visit_groups(table: dict) -> dict:
        return {k: {"records": v["count"], "people": v["people"], "amount": v["amount"]} for k, v in table.items()}

    assert result["by_reason"] == visit_groups(reasons)
    assert list(result["by_reason"]) == list(reasons)
    assert result["by_group"] == visit_groups(groups)
    assert list(result["by_group"]) == list(groups) and "未注明" in groups
    assert result["by_month"] == visit_groups(months)


def test_donations_by_campaign_in_order_of_first_date_and_by_kind():
    period = parse_period("2024")
    result = figures(ALL, period)["donations"]
    chosen = [dict(d, kind=d["kind"] or "未注明") for d in within(DONATIONS, period)]
    campaigns = sorted({d["campaign"] for d in chosen},
                       key=lambda c: min(d["date"] for d in chosen if d["campaign"] == c))
    fields = {"cash": "cash", "goods": "goods"}
    assert result["by_campaign"] == by(chosen, "campaign", campaigns, fields)
    assert list(result["by_campaign"]) == campaigns == ["一日捐", "抗洪"]
    kinds = by(chosen, "kind", donations_kind.WAYS + ("未注明",), fields)
    assert result["by_kind"] == kinds and list(result["by_kind"]) == list(kinds)


def test_donors_are_unknown_when_no_row_gives_them():
    result = figures(dataset(donations=[gift(D(2024, 1, 1), "一日捐", cash=10.0)]))["donations"]
    assert result["donors"] is None and result["count"] == 1


RANK = {"第一名": 1, "一等奖": 1, "第二名": 2, "二等奖": 2, "第三名": 3, "三等奖": 3,
        "第四名": 4, "优秀奖": 4, "其他奖项": 5, "第十一名": 11}
RESULTS_IN_ORDER = ["第一名", "第二名", "第三名", "第四名", "第十一名",
                    "一等奖", "二等奖", "三等奖", "优秀奖", "其他奖项", "参与"]


def test_awards_leave_out_participation():
    period = parse_period("2024")
    result = figures(ALL, period)["competitions"]
    chosen = within(COMPETITIONS, period)
    won = [c for c in chosen if c["result"] != "参与"]
    assert result["awards"] == sum(c["awards"] for c in won) == 10
    levels = by([dict(c, level=c["level"] or "未注明", won=c["awards"] if c["result"] != "参与" else 0)
                 for c in chosen], "level", competitions_kind.LEVELS + ("未注明",), {"awards": "won"})
    assert result["by_level"] == levels and list(result["by_level"]) == list(levels)
    assert result["by_level"]["区县级"] == {"count": 2, "awards": 0}
    results = {r: (sum(c["awards"] for c in chosen if c["result"] == r) if r != "参与"
                   else sum(1 for c in chosen if c["result"] == r))
               for r in RESULTS_IN_ORDER if any(c["result"] == r for c in chosen)}
    assert result["by_result"] == results and list(result["by_result"]) == list(results)
    assert result["by_result"]["参与"] == 2


def test_the_best_results_first_a_higher_level_first_within_a_rank():
    period = parse_period("2024")
    won = [c for c in within(COMPETITIONS, period) if c["result"] != "参与"]
    height = {level: i for i, level in enumerate(competitions_kind.LEVELS)}
    won.sort(key=lambda c: (RANK[c["result"]], -height.get(c["level"], -1), c["date"], c["name"]))
    best = figures(ALL, period)["competitions"]["best"]
    assert best == [{"date": c["date"].isoformat(), "name": c["name"], "event": c["event"],
                     "level": c["level"], "entry": "个人", "result": c["result"],
                     "award_name": c["award_name"], "awards": c["awards"]} for c in won[:5]]
    assert [(b["name"], b["result"]) for b in best[:2]] == [("征文", "一等奖"), ("运动会", "第一名")]


def test_a_comparison_needs_a_unit_with_rows_in_both_periods_in_some_sheet():
    data = dataset(events=[event(D(2024, 4, 10), 10, 100.0)],
                   visits=[visit(D(2024, 1, 5), unit="乙")],
                   competitions=[entry(D(2023, 4, 2), "运动会", "第一名")])
    q2 = parse_period("2024Q2")
    everyone = figures(data, q2)
    assert everyone["previous"] is None  # 甲 reported in Q2, only 乙 in Q1: nothing like for like
    assert everyone["year_ago"]["period"]["code"] == "2023Q2"
    assert (everyone["year_ago"]["dropped"], everyone["year_ago"]["added"]) == ([], [])
    assert everyone["year_ago"]["competitions"]["awards"] == 1
    jia, yi = figures(data, q2, ["甲"]), figures(data, q2, ["乙"])
    assert jia["previous"] is None and jia["year_ago"] is not None
    assert yi["previous"] is None and yi["year_ago"] is None  # 乙 reported nothing in Q2
    later = figures(data, parse_period("2024Q3"))
    assert later["previous"] is None and later["year_ago"] is None


@pytest.mark.parametrize("code, previous, year_ago", [
    ("2024Q2", "2024Q1", "2023Q2"),
    ("2024", "2023", "2023"),
    ("2024H1", "2023H2", "2023H1"),
    ("2024-04", "2024-03", "2023-04"),
    ("2023-06", None, None),
    ("2024-01", "2023-12", None),
    ("2024-04-10..2024-04-25", "2024-03-25..2024-04-09", "2023-04-10..2023-04-25"),
    ("2024-02-01..2024-02-20", None, None),
    ("2024-01-01..2024-01-31", "2023-12", None),
])
def test_comparisons_for_every_kind_of_period(code, previous, year_ago):
    result = figures(ALL, parse_period(code))
    for key, expected in (("previous", previous), ("year_ago", year_ago)):
        if expected is None:
            assert result[key] is None
            continue
        earlier = parse_period(expected)
        assert result[key]["period"]["code"] == earlier.code
        common = reporting(parse_period(code)) & reporting(earlier)
        assert actual_totals(result[key]) == expected_totals(earlier, sorted(common))
        assert result[key]["previous"] is None and result[key]["year_ago"] is None


def test_a_caller_that_keeps_period_figures_gets_every_period_from_them():
    asked = []

    def measured(period, among):
        asked.append(period.code)
        return stats.period_figures(ALL, period, list(among) if among else ["甲"])

    kept = stats.figures(ALL, parse_period("2024Q2"), ["甲"], measured=measured)
    assert asked == ["2024Q2", "2024Q1", "2023Q2"]
    assert kept == stats.figures(ALL, parse_period("2024Q2"), ["甲"])


def test_a_span_over_a_year_has_no_year_ago_to_overlap():
    result = figures(ALL)
    assert result["year_ago"] is None and result["previous"] is None


def test_the_two_comparisons_of_a_year_do_not_share_state():
    result = figures(ALL, parse_period("2024"))
    assert result["previous"] == result["year_ago"]
    assert result["previous"]["period"]["code"] == "2023"


def test_an_empty_dataset_is_all_zeros_and_no_period():
    result = figures(Dataset())
    assert result["period"] is None and result["units"] == []
    assert result["previous"] is None and result["year_ago"] is None
    events = result["events"]
    assert (events["count"], events["participants"], events["spending"]) == (0, 0, 0.0)
    assert events["members"] is None and events["participation_rate"] is None
    assert events["spending_per_member"] is None and events["spending_per_participant"] is None
    assert all(events[k] == {} for k in ("by_category", "by_month", "by_quarter", "by_unit"))
    assert events["top"] == [] and events["festivals"] == []
    assert actual_totals(result) == {"events": (0, 0, 0.0), "visits": (0, 0.0, 0),
                                     "donations": (0, 0.0, 0, None), "competitions": (0, 0, 0)}
    assert result["visits"]["by_reason"] == {} and result["visits"]["by_month"] == {}
    assert result["donations"]["by_campaign"] == {} and result["competitions"]["by_result"] == {}
    assert result["competitions"]["best"] == []
    assert json.loads(json.dumps(result, allow_nan=False)) == result


def test_an_empty_dataset_with_a_period_names_it():
    result = figures(Dataset(), parse_period("2024Q2"))
    assert result["period"]["label"] == "2024年第二季度"
    assert result["events"]["count"] == 0 and result["previous"] is None


def test_figures_are_plain_json_and_never_name_a_person():
    result = figures(dataset(**SHEETS, members={"甲": 200}), parse_period("2024"))
    text = json.dumps(result, allow_nan=False, ensure_ascii=False)
    assert json.loads(text) == result
    assert "张三" not in text and "李四" not in text
    assert type(result["events"]["participants"]) is int and type(result["events"]["spending"]) is float


def test_missing_text_cells_count_as_unspecified():
    records = [visit(D(2024, 1, 2), group=None), visit(D(2024, 1, 3), group="")]
    competitions = [entry(D(2024, 1, 2), "运动会", "第一名", level=None, event=None)]
    result = figures(dataset(visits=records, competitions=competitions))
    assert result["visits"]["by_group"] == {"未注明": {"records": 2, "people": 2, "amount": 1000.0}}
    assert result["competitions"]["by_level"] == {"未注明": {"count": 1, "awards": 1}}
    assert result["competitions"]["best"][0]["event"] == ""
    json.dumps(result, allow_nan=False)


@pytest.mark.parametrize("current, earlier, expected", [
    (120, 100, Change(20, 0.2)),
    (80, 100, Change(-20, -0.2)),
    (5, 0, Change(5, None)),
    (0, 0, Change(0, None)),
    (1500.25, 1000.1, Change(500.15, 500.15 / 1000.1)),
    (0.35, 0.3, Change(0.05, (0.35 - 0.3) / 0.3)),
    (2107.5 + 24949.8, 24949.8, Change(2107.5, 2107.5 / 24949.8)),
    (1.234, 1.0, Change(0.23, 0.234)),
    (None, 3, None),
    (3, None, None),
])
def test_change_gives_delta_and_ratio_only_when_it_can(current, earlier, expected):
    """The ratio is exact, so that a page rounds it once: 2107.5 / 24949.8 is 8.4%, not 8.45% then 8.5%."""
    moved = change(current, earlier)
    assert moved == expected if expected is None or expected.ratio is None else (
        moved.delta == expected.delta and abs(moved.ratio - expected.ratio) < 1e-12)


# Rules the fixture above does not reach: ranks of every prize, ties, blanks, members, scope and neighbours.

def typed(*args, **options):
    return stats.figures(*args, **options)


def test_every_prize_ranks_with_the_places_of_the_same_number():
    results = [("甲赛", "第一名", "全国"), ("乙赛", "一等奖", "本单位"), ("丙赛", "二等奖", "省级"),
               ("丁赛", "第二名", "市级"), ("戊赛", "第三名", "本单位"), ("己赛", "三等奖", "全国"),
               ("庚赛", "优秀奖", "区县级"), ("辛赛", "第四名", "省级"), ("壬赛", "其他奖项", "全国"),
               ("癸赛", "第五名", "市级"), ("子赛", "第六名", "全国")]
    rows = [entry(D(2024, 3, 1 + i), name, result, level=level, award_name="最佳风采奖" if result == "其他奖项" else "")
            for i, (name, result, level) in enumerate(results)]
    best = typed(dataset(competitions=rows)).competitions.best
    assert [b.name for b in best] == ["甲赛", "乙赛", "丙赛", "丁赛", "己赛"]
    shuffled = rows[::-1]
    for start in range(0, 11, 5):
        chosen = shuffled[start:start + 5]
        height = {level: i for i, level in enumerate(competitions_kind.LEVELS)}
        rank = dict(RANK, 第五名=5, 第六名=6)
        expected = sorted(chosen, key=lambda c: (rank[c["result"]], -height[c["level"]], c["date"], c["name"]))
        assert [b.name for b in typed(dataset(competitions=chosen)).competitions.best] == [c["name"] for c in expected]


@pytest.mark.parametrize("first, second", [("三等奖", "第四名"), ("优秀奖", "第五名"), ("其他奖项", "第六名"),
                                           ("第三名", "优秀奖"), ("二等奖", "第三名"), ("第一名", "二等奖")])
def test_a_prize_ranks_ahead_of_the_next_place_even_at_a_lower_level(first, second):
    rows = [entry(D(2024, 3, 2), "乙赛", second, level="全国"), entry(D(2024, 3, 1), "甲赛", first, level="本单位")]
    assert [b.result for b in typed(dataset(competitions=rows)).competitions.best] == [first, second]


@pytest.mark.parametrize("low, high", [("其他奖项", "第五名"), ("第五名", "其他奖项"), ("优秀奖", "第四名"),
                                       ("三等奖", "第三名"), ("第二名", "二等奖")])
def test_a_prize_and_the_place_of_its_number_are_ordered_by_level(low, high):
    rows = [entry(D(2024, 3, 1), "甲赛", low, level="本单位"), entry(D(2024, 3, 2), "乙赛", high, level="全国")]
    assert [b.result for b in typed(dataset(competitions=rows)).competitions.best] == [high, low]


def test_within_a_rank_the_higher_level_then_the_earlier_date_then_the_name():
    rows = [entry(D(2024, 3, 5), "乙赛", "第一名", level="市级"), entry(D(2024, 3, 5), "甲赛", "一等奖", level="市级"),
            entry(D(2024, 3, 1), "丙赛", "第一名", level="区县级"),
            entry(D(2024, 3, 9), "丁赛", "一等奖", level="全国"),
            entry(D(2024, 3, 2), "戊赛", "第一名", level=""), entry(D(2024, 3, 3), "己赛", "第一名", level=None)]
    best = typed(dataset(competitions=rows)).competitions.best
    assert [b.name for b in best] == ["丁赛", "乙赛", "甲赛", "丙赛", "戊赛"]
    assert [b.level for b in best] == ["全国", "市级", "市级", "区县级", ""]


def test_level_ranks_and_result_order():
    levels = ("全国", "省级", "市级", "区县级", "系统内", "本单位", "", "未注明")
    assert [competitions_kind.level_rank(level) for level in levels] == [0, 1, 2, 3, 4, 5, 6, 6]
    results = ("第一名", "一等奖", "第二名", "二等奖", "三等奖", "第三名", "优秀奖", "其他奖项", "第十二名",
               "参与", "特等奖")
    assert [competitions_kind.result_rank(r) for r in results] == [1, 1, 2, 2, 3, 3, 4, 5, 12, 999, 999]
    assert competitions_kind.result_order(["参与", "第十名", "一等奖", "第二名", "其他奖项"]) == [
        "第二名", "第十名", "一等奖", "二等奖", "三等奖", "优秀奖", "其他奖项", "参与"]


def test_results_by_kind_in_order_with_unknown_results_last_and_blank_as_participation():
    rows = [entry(D(2024, 3, 1), "甲赛", "特等奖", awards=2), entry(D(2024, 3, 1), "甲赛", "参与"),
            entry(D(2024, 3, 2), "乙赛", "", awards=3), entry(D(2024, 3, 3), "乙赛", None),
            entry(D(2024, 3, 4), "丙赛", "第十名", awards=2), entry(D(2024, 3, 5), "丙赛", "第三名"),
            entry(D(2024, 3, 6), "丁赛", "一等奖", awards=4), entry(D(2024, 3, 7), "丁赛", "甲级奖")]
    result = typed(dataset(competitions=rows)).competitions
    assert list(result.by_result.items()) == [("第三名", 1), ("第十名", 2), ("一等奖", 4), ("参与", 3), ("特等奖", 2),
                                              ("甲级奖", 1)]
    assert result.awards == 1 + 2 + 4 + 1 + 2
    assert (result.count, result.names) == (len(rows), 4)
    assert [b.result for b in result.best] == ["一等奖", "第三名", "第十名", "特等奖", "甲级奖"]


def test_the_best_results_are_at_most_five():
    rows = [entry(D(2024, 3, 1) + dt.timedelta(days=i), f"赛{i:02d}", "第一名") for i in range(30)]
    best = typed(dataset(competitions=rows)).competitions.best
    assert [b.name for b in best] == [f"赛{i:02d}" for i in range(5)]
    assert best[0] == competitions_kind.Award(D(2024, 3, 1), "赛00", "", "市级", "个人", "第一名", "", 1)


def test_festivals_group_by_name_at_most_ten_ties_by_first_date_then_name():
    rows = [event(D(2024, 1, 1) + dt.timedelta(days=3 * i), 10 + (i % 4) * 5, 1.5 * i, "节日活动", f"节{i:02d}")
            for i in range(14)]
    rows += [event(D(2024, 12, 1), 10, 0.25, "节日活动", "节00"), event(D(2024, 11, 1), 99, 7.0, "文体活动", "节13"),
             event(D(2024, 2, 2), 20, 0.0, "节日活动", "乙节"), event(D(2024, 2, 2), 20, 0.0, "节日活动", "甲节")]
    festivals = typed(dataset(rows)).events.festivals
    held = [r for r in rows if r["category"] == "节日活动"]
    expected = []
    for name in {r["name"] for r in held}:
        mine = [r for r in held if r["name"] == name]
        expected.append(events_kind.Festival(name, len(mine), sum(r["participants"] for r in mine),
                                       money(r["spending"] for r in mine), min(r["date"] for r in mine)))
    expected.sort(key=lambda f: (-f.participants, f.date, f.name))
    assert len(expected) > 10 and festivals == expected[:10]
    assert festivals[0].name == "节03" and next(f for f in festivals if f.name == "节00").count == 2


def test_the_largest_events_are_five_by_participants_then_date_then_name():
    rows = [event(D(2024, 5, 1), 30, 1.0, name="乙"), event(D(2024, 5, 1), 30, 2.0, name="甲"),
            event(D(2024, 4, 1), 30, 3.0, name="丙"), event(D(2024, 6, 1), 80, 4.0, name="丁", category="其他"),
            event(D(2024, 1, 1), 5, 5.0, name="戊"), event(D(2024, 2, 1), 10, 6.0, name="己"),
            event(D(2024, 3, 1), 10, 7.0, name=None)]
    top = typed(dataset(rows)).events.top
    record = events_kind.EventRecord
    assert top == [record(D(2024, 6, 1), "丁", "其他", 80, 4.0), record(D(2024, 4, 1), "丙", "文体活动", 30, 3.0),
                   record(D(2024, 5, 1), "乙", "文体活动", 30, 1.0), record(D(2024, 5, 1), "甲", "文体活动", 30, 2.0),
                   record(D(2024, 2, 1), "己", "文体活动", 10, 6.0)]


@pytest.mark.parametrize("size", [20, 21, 40, 400])
def test_the_largest_among_many_rows_with_ties_on_every_key(size):
    rows = [event(D(2024, 1, 1) + dt.timedelta(days=(i * 7) % 5), 100 - (i * 13) % 4, float(i),
                  name=f"活动{(i * 11) % 6}") for i in range(size)]
    expected = sorted(rows, key=lambda e: (-e["participants"], e["date"], e["name"]))[:5]
    top = typed(dataset(rows)).events.top
    assert [(t.participants, t.date, t.name) for t in top] == [
        (e["participants"], e["date"], e["name"]) for e in expected]


def test_contenders_are_the_rows_ahead_and_the_tied_ones_the_next_keys_put_first():
    frame = pd.DataFrame({"a": [5, 9, 9, 9, 1, 9, 7, 3] * 4, "b": [0, 3, 1, 2, 0, 1, 0, 0] * 4})
    rows = np.arange(len(frame))
    ahead = set(rows[frame["a"].to_numpy() > 7])
    picked = set(stats.contenders(frame, ["a", "b"], [False, True], rows, 5).tolist())
    # the 5 largest a are all 9s (16 of them): only the 9s with the smallest b can be first
    assert picked <= ahead and len(picked) >= 5
    first = frame.iloc[sorted(rows, key=lambda i: (-frame["a"][i], frame["b"][i], i))[:5]]
    assert set(first.index) <= picked
    assert set(stats.contenders(frame, ["a"], [True], rows, 3).tolist()) == set(rows[frame["a"].to_numpy() == 1])
    assert stats.contenders(frame, ["a"], [True], rows, 0).tolist() == []
    assert stats.leading(frame, ["a", "b"], [True, False], 3).index.tolist() == [4, 12, 20]


def test_categories_outside_the_contract_come_after_it_sorted_and_blanks_are_unspecified():
    rows = [event(D(2024, 1, i + 1), i + 1, float(i + 1), category)
            for i, category in enumerate(["乙类", "其他", "", "甲类", "文体活动", None])]
    result = typed(dataset(rows)).events.by_category
    assert list(result) == ["文体活动", "其他", "乙类", "未注明", "甲类"]
    assert result["未注明"] == events_kind.EventGroup(2, 9, 9.0) and result["乙类"] == events_kind.EventGroup(1, 1, 1.0)


def test_spending_sums_are_rounded_to_the_fen_and_never_negative_zero():
    rows = [event(D(2024, 1, 1), 1, 0.1), event(D(2024, 1, 2), 1, 0.2), event(D(2024, 2, 1), 1, -0.001),
            event(D(2024, 3, 1), 1, 1.005)]
    result = typed(dataset(rows))
    assert result.events.spending == round(0.1 + 0.2 - 0.001 + 1.005, 2)
    assert result.events.by_month["2024-01"].spending == 0.3
    feb = result.events.by_month["2024-02"].spending
    assert feb == 0 and str(feb) == "0.0"
    february = json.dumps(result.to_json()["events"]["by_month"]["2024-02"])
    assert february == '{"count": 1, "participants": 1, "spending": 0.0}'
    assert stats.money(-0.004) == 0.0 and str(stats.money(-0.004)) == "0.0" and stats.money(2.675) == 2.68
    assert type(stats.money(np.float64(1.234))) is float and stats.money(1.234) == 1.23
    assert stats.money(30.025) == 30.03 and stats.money(2.665) == 2.67 and stats.money(0.125) == 0.13  # half up


def test_rates_are_rounded_to_four_places():
    assert stats.rate(1, 3) == 1 / 3 and stats.rate(2, 3) == 2 / 3 and stats.rate(5, 0) is None
    assert stats.rate(0, 7) == 0.0 and type(stats.rate(np.int64(1), np.int64(8))) is float


def test_months_and_quarters_across_the_turn_of_a_year():
    rows = [event(D(2023, 12, 31), 1, 1.0), event(D(2024, 1, 1), 2, 2.0), event(D(2024, 3, 31), 4, 4.0),
            event(D(2024, 4, 1), 8, 8.0), event(D(2023, 10, 1), 16, 16.0), event(D(2024, 12, 31), 32, 32.0)]
    result = typed(dataset(rows)).events  # the span of the data: 2023-10-01 to 2024-12-31, every month of it
    months = [f"2023-{m}" for m in (10, 11, 12)] + [f"2024-{m:02d}" for m in range(1, 13)]
    assert {k: v.participants for k, v in result.by_month.items()} == {
        **dict.fromkeys(months, 0), "2023-10": 16, "2023-12": 1, "2024-01": 2, "2024-03": 4, "2024-04": 8,
        "2024-12": 32}
    assert list(result.by_month) == months and result.by_month["2023-11"] == events_kind.EventGroup(0, 0, 0.0)
    assert result.by_quarter == {"2023Q4": events_kind.EventGroup(2, 17, 17.0), "2024Q1": events_kind.EventGroup(2, 6, 6.0),
                                 "2024Q2": events_kind.EventGroup(1, 8, 8.0), "2024Q3": events_kind.EventGroup(0, 0, 0.0),
                                 "2024Q4": events_kind.EventGroup(1, 32, 32.0)}
    assert list(result.by_quarter) == ["2023Q4", "2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    november = [visit(D(2024, 11, 30), count=3, amount=10.5), visit(D(2024, 11, 1), count=2, amount=0.0)]
    visits = typed(dataset(visits=november))
    assert visits.visits.by_month == {"2024-11": visits_kind.VisitGroup(2, 5, 10.5)}
    year = figures(dataset(visits=november), parse_period("2024"))["visits"]["by_month"]
    assert year == {f"2024-{m:02d}": {"records": 2, "people": 5, "amount": 10.5} if m == 11 else
                    {"records": 0, "people": 0, "amount": 0.0} for m in range(1, 13)}


def test_units_with_no_members_or_out_of_scope_give_no_rate():
    rows = [event(D(2024, 1, 1), 10, 100.0), event(D(2024, 1, 2), 30, 200.0, unit="乙")]
    zero = typed(dataset(rows, members={"甲": 0, "乙": 1})).events
    assert (zero.members, zero.participation_rate) == (1, 30.0)
    assert zero.by_unit["甲"] == events_kind.UnitEvents(1, 10, 100.0, None, None)
    assert zero.by_unit["乙"] == events_kind.UnitEvents(1, 30, 200.0, 1, 30.0)
    assert zero.spending_per_member == 200.0 and zero.spending_per_participant == 7.5


def test_members_of_units_without_rows_are_left_out_unless_asked_for():
    rows = [event(D(2024, 1, 1), 10, 100.0)]
    data = dataset(rows, members={"甲": 40, "丙": 60})
    everyone = typed(data, parse_period("2024Q1"))
    assert everyone.units == ["甲"] and everyone.events.members == 40
    assert everyone.events.participation_rate == 0.25 and everyone.events.spending_per_member == 2.5
    asked = typed(data, parse_period("2024Q1"), ["丙"])
    assert asked.units == ["丙"] and asked.events.members == 60 and asked.events.count == 0
    assert asked.events.participation_rate is None and asked.events.spending_per_member == 0.0
    both = typed(data, parse_period("2024Q1"), ["甲", "丙", "丁"])
    assert both.units == ["丙", "甲"] and both.events.members == 100
    assert both.events.participation_rate == 0.25 and both.events.spending_per_member == 1.0


def test_rows_without_a_unit_count_under_unspecified():
    rows = [event(D(2024, 1, 1), 10, 100.0, unit=""), event(D(2024, 1, 2), 5, 1.0)]
    result = typed(dataset(rows))
    assert result.units == ["未注明", "甲"]
    assert list(result.events.by_unit) == ["未注明", "甲"] and result.events.by_unit["未注明"].participants == 10


def test_donations_by_campaign_ties_on_the_first_date_keep_the_sheet_order():
    rows = [gift(D(2024, 3, 1), "抗洪", cash=10.0), gift(D(2024, 3, 1), "一日捐", cash=20.0),
            gift(D(2024, 1, 5), "助学", goods=3, donors=0), gift(D(2024, 4, 1), "", cash=1.5, donors=4, kind="")]
    result = typed(dataset(donations=rows)).donations
    assert list(result.by_campaign) == ["助学", "抗洪", "一日捐", "未注明"]
    assert result.by_campaign["助学"] == donations_kind.DonationGroup(1, 0.0, 3)
    assert result.by_kind == {"集体": donations_kind.DonationGroup(3, 30.0, 3), "未注明": donations_kind.DonationGroup(1, 1.5, 0)}
    assert (result.count, result.cash, result.goods, result.donors) == (4, 31.5, 3, 4)


def test_visits_by_reason_and_group_count_rows_and_people():
    rows = [visit(D(2024, 1, 1), "结婚", "女职工", count=2, amount=400.0), visit(D(2024, 1, 2), "结婚", "", count=1),
            visit(D(2024, 1, 3), "其他", "其他", count=5, amount=0.0), visit(D(2024, 1, 4), "生病住院", None, count=3)]
    result = typed(dataset(visits=rows)).visits
    assert result.by_reason == {"生病住院": visits_kind.VisitGroup(1, 3, 500.0), "结婚": visits_kind.VisitGroup(2, 3, 900.0),
                                "其他": visits_kind.VisitGroup(1, 5, 0.0)}
    assert list(result.by_group) == ["女职工", "其他", "未注明"]
    assert result.by_group["未注明"] == visits_kind.VisitGroup(2, 4, 1000.0)
    assert (result.count, result.amount, result.records) == (11, 1400.0, 4)


@pytest.mark.parametrize("code, year_ago", [("2023-06-02..2024-06-01", "2022-06-02..2023-06-01"),
                                            ("2023-06-01..2024-06-01", None),
                                            ("2023-06-03..2024-06-01", "2022-06-03..2023-06-01")])
def test_a_year_ago_must_end_before_the_period_starts(code, year_ago):
    data = dataset([event(D(2022, 6, 5), 1, 1.0), event(D(2023, 6, 5), 1, 1.0)])
    result = typed(data, parse_period(code))
    assert (result.year_ago.period.code if result.year_ago else None) == year_ago


def test_the_comparisons_are_the_same_figures_of_the_units_asked_for():
    rows = [event(D(2024, 1, 5), 10, 1.0), event(D(2024, 1, 6), 20, 2.0, unit="乙"), event(D(2024, 4, 5), 40, 4.0),
            event(D(2023, 4, 5), 80, 8.0, unit="乙")]
    data = dataset(rows)
    jia = typed(data, parse_period("2024Q2"), ["甲"])
    assert jia.previous.earlier.events.participants == 10 and jia.year_ago is None
    assert jia.previous.earlier.units == ["甲"] and jia.previous.left_out == ()
    ago = parse_period("2023Q2")
    assert stats.has_rows(data, ago, ["乙"]) and not stats.has_rows(data, ago, ["甲"])
    assert stats.has_rows(data, ago, None) and not stats.has_rows(data, parse_period("2023Q3"), [])
    assert stats.neighbours(None) == {"previous": None, "year_ago": None}


def test_changes_compare_only_the_units_that_reported_in_both_periods():
    """All units chosen: 乙 reported in Q1 and not in Q2, 丙 in Q2 and not in Q1, 甲 in both. Like for like, the
    change of 参与人次 is 甲's own; a unit of one period alone moves nothing; a year ago only 乙 reported."""
    rows = [event(D(2024, 1, 5), 10, 100.0), event(D(2024, 1, 6), 20, 200.0, unit="乙"),
            event(D(2024, 4, 5), 40, 400.0), event(D(2024, 5, 5), 7, 70.0, unit="丙"),
            event(D(2023, 4, 5), 80, 800.0, unit="乙")]
    data = dataset(rows)
    q2 = typed(data, parse_period("2024Q2"))
    assert q2.events.participants == 40 + 7
    compared = q2.previous
    assert compared.period.code == "2024Q1"
    assert compared.pair(lambda f: f.events.participants) == (40, 10)
    assert compared.pair(lambda f: f.events.spending) == (400.0, 100.0)
    assert (compared.dropped, compared.added, compared.same_units) == (("乙",), ("丙",), False)
    assert q2.year_ago is None  # 乙 alone a year ago, and 乙 did not report in Q2
    without_newcomer = typed(data, parse_period("2024Q2"), ["甲", "乙"])
    assert without_newcomer.previous.current.sheets == without_newcomer.sheets and without_newcomer.previous.same_units
    assert without_newcomer.previous.pair(lambda f: f.events.count) == (1, 1)


def test_select_keeps_only_the_rows_asked_for():
    frame = ALL.events
    assert stats.select(frame, None, None).equals(frame.drop(columns=["notes", "source", "sheet", "row"]))
    chosen = stats.select(frame, parse_period("2024Q1"), ["乙", "丙"])
    assert list(chosen["name"]) == ["拔河"]
    assert len(stats.select(frame, None, [])) == len(frame)
    assert len(stats.select(frame, parse_period("2022"), None)) == 0


def test_a_named_award_among_the_best_results_keeps_its_name():
    rows = [entry(D(2024, 5, 1), "合唱比赛", "其他奖项", level="市级", award_name="最佳组织奖"),
            entry(D(2024, 5, 2), "征文", "参与")]
    [best] = typed(dataset(competitions=rows), parse_period("2024")).competitions.best
    assert (best.name, best.result, best.award_name, best.prize) == ("合唱比赛", "其他奖项", "最佳组织奖", "最佳组织奖")
