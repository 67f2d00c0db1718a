import datetime as dt
import itertools
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from builders import dataset
from hypothesis import given, settings
from hypothesis import strategies as st
from workbooks import load

from conftest import ROOT
from unionstats import schema
from unionstats.loading import load_path
from unionstats.periods import parse_period
from unionstats.stats import figures
from unionstats.summary import write_summary

SAMPLE = load_path(ROOT / "data" / "sample.xlsx")
NUMBER = re.compile(r"(\d+(?:\.\d+)?)(万元|%)?")


def numbers_in(value, out: list) -> list:
    """Every number the statistics hold, dates split into their parts."""
    if isinstance(value, bool) or value is None:
        return out
    if isinstance(value, (int, float)):
        out.append(float(value))
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        out.extend(float(part) for part in value.split("-"))
    elif isinstance(value, dict):
        for key, item in value.items():
            numbers_in(item, out)
            if isinstance(key, str):
                numbers_in(key, out)
    elif isinstance(value, list):
        for item in value:
            numbers_in(item, out)
    return out


def allowed(result: dict) -> tuple[set, set]:
    """What the text may say: the figures, and percentages any two of them make."""
    values = set(numbers_in(result, []))
    plain = {round(v, 2) for v in values}
    percents = {round(v * 100, 1) for v in values if 0 <= v <= 1}
    for a, b in itertools.permutations(values, 2):
        if b:
            percents.add(round(100 * a / b, 1))
            percents.add(round(100 * abs(a - b) / b, 1))
    return plain, percents


def untraced(text: str, result: dict) -> list[str]:
    plain, percents = allowed(result)
    wan = {float((Decimal(repr(v)) / 10_000).quantize(Decimal("0.01"), ROUND_HALF_UP)) for v in plain}
    problems = []
    for line in text.splitlines():
        line = re.sub(r"^\d+、", "", line)
        for match in NUMBER.finditer(line):
            number, unit = float(match.group(1)), match.group(2)
            ok = number in (wan if unit == "万元" else percents if unit == "%" else plain)
            if not ok:
                problems.append(f"{match.group(0)} in: {line[:60]}")
    return problems


@pytest.mark.parametrize("code", ["2024", "2025", "2024H1", "2025H2", *[f"{y}Q{q}" for y in (2024, 2025)
                                                                        for q in (1, 2, 3, 4)], "2025-09"])
def test_every_number_in_the_sample_summaries_is_a_statistic(code):
    result = figures(SAMPLE, parse_period(code))
    summary = write_summary(result)
    assert untraced(summary.text(), result.to_json()) == []
    assert untraced("\n".join(v for _, v in summary.key_figures), result.to_json()) == []


def test_a_year_compares_only_with_the_year_before():
    text = write_summary(figures(SAMPLE, parse_period("2025"))).text()
    assert "较上年" in text and "去年同期" not in text and "上季度" not in text
    first_year = write_summary(figures(SAMPLE, parse_period("2024"))).text()
    assert "较上年" not in first_year


def test_money_follows_one_rule():
    text = write_summary(figures(SAMPLE, parse_period("2025"))).text()
    spending = SAMPLE.events[SAMPLE.events["date"].dt.year == 2025]["spending"].sum()
    assert spending > 10_000
    assert f"活动经费支出{spending / 10_000:.2f}".rstrip("0").rstrip(".") + "万元" in text
    assert not re.search(r"\d{5,}(\.\d+)?元", text), "amounts from 10,000 are written in 万元"
    assert not re.search(r"\d,\d{3}", text), "no thousands separators in running text"


def test_names_from_the_person_column_never_appear():
    names = set(SAMPLE.visits["person"]) - {""}
    assert len(names) > 10
    for code in ("2024", "2025Q2"):
        text = write_summary(figures(SAMPLE, parse_period(code))).text()
        assert not [n for n in names if n in text]


def test_the_same_data_gives_the_same_text():
    first = write_summary(figures(SAMPLE, parse_period("2024H2"))).text()
    again = write_summary(figures(load_path(ROOT / "data" / "sample.xlsx"), parse_period("2024H2"))).text()
    assert first == again


def test_a_sparse_file_with_two_sheets_leaves_out_what_it_lacks():
    data = load({"活动": [["日期", "活动名称", "类别", "参与人次"], ["2024-05-04", "青年座谈会", "学习培训", 35]],
                 "慰问": [["日期", "事由", "人次", "金额"], ["2024-04-09", "住院", 1, 500]]}, name="城南小学工会")
    summary = write_summary(figures(data, parse_period("2024Q2")))
    text = summary.text()
    assert [s.heading for s in summary.sections] == [
        "组织开展文体活动，丰富职工精神文化生活", "坚持走访慰问，把组织关怀送到职工心坎上", "需要关注的几个方面"]
    assert "捐款" not in text and "比赛" not in text and "经费支出" not in text
    assert not re.search(r"(?<![\d.])0(\.0+)?(元|万元|人次|次|件|个|%)", text), "never a zero figure"
    assert "城南小学工会2024年第二季度工作总结" == summary.title


def test_a_period_without_data_says_so_in_one_sentence():
    summary = write_summary(figures(SAMPLE, parse_period("2023Q2")))
    assert summary.sections == []
    assert summary.opening.count("。") == 1 and "没有" in summary.opening


def test_observations_are_drawn_from_the_numbers():
    text = write_summary(figures(SAMPLE, parse_period("2025Q3"))).text()
    assert "需要关注的几个方面" in text
    def quarter(frame, start, end):
        return frame[frame["date"].between(start, end)]

    held = set(quarter(SAMPLE.events, "2025-07-01", "2025-09-30")["category"])
    missing = [c for c in ("文体活动", "节日活动", "参观旅游", "学习培训", "民主管理", "志愿公益") if c not in held]
    assert missing, "the sample's 2025Q3 lacks some categories"
    named = missing[0] if len(missing) == 1 else "、".join(missing[:-1]) + "和" + missing[-1]
    assert f"没有开展{named}类活动" in text
    now = quarter(SAMPLE.visits, "2025-07-01", "2025-09-30")["count"].sum()
    before = quarter(SAMPLE.visits, "2025-04-01", "2025-06-30")["count"].sum()
    assert (before - now) / before >= 0.3
    assert f"看望慰问{now}人次，上季度为{before}人次，较上季度下降{(before - now) / before * 100:.1f}%" in text


def test_markdown_has_the_title_and_headings():
    markdown = write_summary(figures(SAMPLE, parse_period("2024Q2"))).markdown()
    assert markdown.startswith("# 江城市农业科学研究所工会2024年第二季度工作总结\n")
    assert "\n## （一）" in markdown


RECORDS = st.fixed_dictionaries({
    "events": st.lists(st.fixed_dictionaries({
        "date": st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)),
        "name": st.sampled_from(["联欢会", "健步走", "讲座"]),
        "category": st.sampled_from(schema.EVENT_CATEGORIES), "participants": st.integers(0, 400),
        "spending": st.integers(0, 5_000_000).map(lambda f: f / 100), "unit": st.just("甲")}), max_size=15),
    "visits": st.lists(st.fixed_dictionaries({
        "date": st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)), "reason": st.sampled_from(schema.VISIT_REASONS),
        "group": st.sampled_from(("",) + schema.VISIT_GROUPS), "count": st.integers(1, 30),
        "amount": st.integers(0, 2_000_000).map(lambda f: f / 100), "unit": st.just("甲")}), max_size=10),
    "competitions": st.lists(st.fixed_dictionaries({
        "date": st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)), "name": st.sampled_from(["运动会", "合唱"]),
        "level": st.sampled_from(schema.LEVELS), "event": st.sampled_from(["", "跳绳"]),
        "result": st.sampled_from(schema.RESULT_CHOICES), "awards": st.integers(1, 4), "unit": st.just("甲")}),
        max_size=6),
})


@settings(max_examples=60, deadline=None)
@given(RECORDS, st.sampled_from(["2024", "2024H2", "2024Q2", "2024-03"]), st.sampled_from([None, 120]))
def test_every_number_in_a_random_summary_is_a_statistic(records, code, members):
    data = dataset(records["events"], records["visits"], competitions=records["competitions"],
                   members={"甲": members} if members else None)
    result = figures(data, parse_period(code))
    text = write_summary(result).text()
    assert untraced(text, result.to_json()) == []
    assert not re.search(r"(?<![\d.])0(\.0+)?(元|万元)", text)


# Every 环比 and 同比 sentence and every observation, against values computed here from the rows.

def pct(ratio: float) -> str:
    return f"{abs(ratio) * 100:.1f}".rstrip("0").rstrip(".") + "%"


def money(amount: float) -> str:
    if amount >= 10_000:
        return f"{amount / 10_000:.2f}".rstrip("0").rstrip(".") + "万元"
    return f"{amount:.2f}".rstrip("0").rstrip(".") + "元"


def window(key: str, days: tuple[str, str] | None):
    frame = SAMPLE.frame(key)
    if days is None:
        return frame.iloc[:0]
    return frame[(frame["date"] >= days[0]) & (frame["date"] <= days[1] + " 23:59:59")]


def has_data(days) -> bool:
    return days is not None and any(len(window(k, days)) for k in ("events", "visits", "donations", "competitions"))


def moved(now: float, before: float, against: str) -> str:
    if now == before:
        return f"与{against}持平"
    if not before:
        return ""
    word = "增长" if now > before else "下降"
    return f"{'较' if against.startswith('上') else '比'}{against}{word}{pct((now - before) / before)}"


def comparisons(measure, days, previous, year_ago, before: str) -> str:
    parts = []
    if has_data(previous):
        parts.append(moved(measure(days), measure(previous), before))
    if has_data(year_ago):
        parts.append(moved(measure(days), measure(year_ago), "去年同期"))
    parts = [p for p in parts if p]
    return "，" + "，".join(parts) if parts else ""


def participants(days):
    return int(window("events", days)["participants"].sum())


def spending(days):
    return round(float(window("events", days)["spending"].sum()), 2)


def visited(days):
    return int(window("visits", days)["count"].sum())


def awards(days):
    rows = window("competitions", days)
    return int(rows[rows["result"] != "参与"]["awards"].sum())


CASES = [
    # code, label, its days, the period before, the same period a year earlier (None: not compared), its name
    ("2025Q2", "2025年第二季度", ("2025-04-01", "2025-06-30"), ("2025-01-01", "2025-03-31"),
     ("2024-04-01", "2024-06-30"), "上季度"),
    ("2025Q1", "2025年第一季度", ("2025-01-01", "2025-03-31"), ("2024-10-01", "2024-12-31"),
     ("2024-01-01", "2024-03-31"), "上季度"),
    ("2025Q3", "2025年第三季度", ("2025-07-01", "2025-09-30"), ("2025-04-01", "2025-06-30"),
     ("2024-07-01", "2024-09-30"), "上季度"),
    ("2024Q1", "2024年第一季度", ("2024-01-01", "2024-03-31"), ("2023-10-01", "2023-12-31"),
     ("2023-01-01", "2023-03-31"), "上季度"),
    ("2025H1", "2025年上半年", ("2025-01-01", "2025-06-30"), ("2024-07-01", "2024-12-31"),
     ("2024-01-01", "2024-06-30"), "上年下半年"),
    ("2025H2", "2025年下半年", ("2025-07-01", "2025-12-31"), ("2025-01-01", "2025-06-30"),
     ("2024-07-01", "2024-12-31"), "上半年"),
    ("2025-05", "2025年5月", ("2025-05-01", "2025-05-31"), ("2025-04-01", "2025-04-30"),
     ("2024-05-01", "2024-05-31"), "上月"),
    ("2025-10", "2025年10月", ("2025-10-01", "2025-10-31"), ("2025-09-01", "2025-09-30"),
     ("2024-10-01", "2024-10-31"), "上月"),
    ("2025", "2025年", ("2025-01-01", "2025-12-31"), ("2024-01-01", "2024-12-31"), None, "上年"),
    ("2025-04-15..2025-06-30", "2025年4月15日至6月30日", ("2025-04-15", "2025-06-30"),
     ("2025-01-28", "2025-04-14"), ("2024-04-15", "2024-06-30"), "前一时段"),
]


@pytest.mark.parametrize("code, label, days, previous, year_ago, before", CASES, ids=[c[0] for c in CASES])
def test_each_comparison_sentence_against_its_own_periods(code, label, days, previous, year_ago, before):
    summary = write_summary(figures(SAMPLE, parse_period(code)))
    text = summary.text()
    assert summary.title == f"江城市农业科学研究所工会{label}工作总结"

    def cmp(measure):
        return comparisons(measure, days, previous, year_ago, before)

    assert f"参与职工{participants(days)}人次{cmp(participants)}。按类别分" in text
    count = visited(days)
    amount = window("visits", days)["amount"].sum()
    given = f"，发放慰问金及慰问品{money(amount)}" if amount else ""
    assert f"共看望慰问{count}人次{given}{cmp(visited)}。" in text
    if awards(days):
        assert f"获得各类奖项{awards(days)}个{cmp(awards)}。" in text
    assert re.search(f"活动经费支出{re.escape(money(spending(days)) + cmp(spending))}[，。]", text)
    if code == "2025":
        assert "去年同期" not in text
    if not has_data(previous):
        assert before not in text


@pytest.mark.parametrize("code, label, days, previous, year_ago, before", CASES[:3], ids=[c[0] for c in CASES[:3]])
def test_the_opening_and_key_figures_give_the_period_totals(code, label, days, previous, year_ago, before):
    summary = write_summary(figures(SAMPLE, parse_period(code)))
    events = window("events", days)
    rate = events["participants"].sum() / (len(events) * 186)
    donations = window("donations", days)
    when = "全年" if code == "2025" else "本季度"
    won = f"；在各类比赛中获得奖项{awards(days)}个" if awards(days) else ""
    assert (f"{when}共组织开展各类活动{len(events)}次，参与职工{participants(days)}人次，"
            f"平均每次活动参与率{pct(rate)}，活动经费支出{money(spending(days))}；看望慰问职工{visited(days)}人次；组织捐款捐物{len(donations)}次"
            f"{won}。") in summary.opening
    shown = dict(summary.key_figures)
    assert shown["活动次数"] == f"{len(events)}次" and shown["参与人次"] == f"{participants(days)}人次"
    assert shown["平均参与率"] == pct(rate) and shown["活动经费支出"] == money(spending(days))
    assert shown["看望慰问"] == f"{visited(days)}人次"
    assert shown["慰问金额"] == money(window("visits", days)["amount"].sum())
    assert shown["捐款"] == money(donations["cash"].sum())
    assert shown.get("获得奖项") == (f"{awards(days)}个" if awards(days) else None)


def quarters(first: dict, second: dict, members: int = 100):
    """Two quarters of one unit: activities, visits; each dict holds lists of records for a quarter."""
    q1, q2 = dt.date(2024, 2, 1), dt.date(2024, 5, 1)
    events = [dict(e, date=q1, unit="甲") for e in first["events"]] + [dict(e, date=q2, unit="甲")
                                                                        for e in second["events"]]
    visits = [{"date": q1, "reason": "生病住院", "count": first["visits"], "unit": "甲"},
              {"date": q2, "reason": "生病住院", "count": second["visits"], "unit": "甲"}]
    return write_summary(figures(dataset(events, visits, members={"甲": members}), parse_period("2024Q2"))).text()


def event(category: str, people: int, spent: float, name: str = "") -> dict:
    return {"name": name or f"{category}活动", "category": category, "participants": people, "spending": spent}


ALL_KINDS = [event(c, 50, 1000) for c in ("文体活动", "节日活动", "参观旅游", "学习培训", "民主管理", "志愿公益")]


def test_observations_when_things_got_worse():
    text = quarters({"events": [event("文体活动", 100, 1000), event("节日活动", 100, 1000)], "visits": 10},
                    {"events": [event("文体活动", 20, 5000), event("节日活动", 10, 100)], "visits": 5})
    notes = text.split("需要关注的几个方面\n")[1]
    assert "1、本季度没有开展参观旅游、学习培训、民主管理和志愿公益类活动" in notes
    assert "2、看望慰问5人次，上季度为10人次，较上季度下降50%，慰问工作的覆盖面值得关注。" in notes
    assert "3、经费支出较为集中，文体活动支出5000元，占活动经费的98%。" in notes
    assert "4、平均每次活动参与率为15%，低于上季度的100%，职工参与的积极性有待进一步调动。" in notes


def test_no_observations_when_things_went_well():
    text = quarters({"events": [event("文体活动", 10, 1000)] * 6, "visits": 10},
                    {"events": ALL_KINDS, "visits": 12})
    assert "需要关注" not in text
    assert "较上季度增长20%" in text and "较上季度增长400%" in text


@pytest.mark.parametrize("before, now, noted", [(10, 7, True), (100, 71, False), (10, 10, False), (10, 15, False)])
def test_a_drop_in_visits_is_noted_from_thirty_percent(before, now, noted):
    text = quarters({"events": ALL_KINDS, "visits": before}, {"events": ALL_KINDS, "visits": now})
    assert (f"看望慰问{now}人次，上季度为{before}人次" in text) is noted


@pytest.mark.parametrize("first, second, noted", [(5000, 5001, True), (5000, 5000, False), (5000, 4000, True)])
def test_spending_is_concentrated_above_half(first, second, noted):
    text = quarters({"events": ALL_KINDS, "visits": 1},
                    {"events": [event("文体活动", 50, second), event("节日活动", 50, first),
                                *(dict(e, spending=0) for e in ALL_KINDS[2:])], "visits": 1})
    assert ("经费支出较为集中" in text) is noted


@pytest.mark.parametrize("earlier, now, noted", [(60, 50, True), (50, 50, False), (40, 50, False)])
def test_a_falling_participation_rate_is_noted(earlier, now, noted):
    text = quarters({"events": [dict(e, participants=earlier) for e in ALL_KINDS], "visits": 1},
                    {"events": [dict(e, participants=now) for e in ALL_KINDS], "visits": 1})
    assert ("低于上季度的" in text) is noted
    if noted:
        assert f"平均每次活动参与率为{pct(now / 100)}，低于上季度的{pct(earlier / 100)}" in text
