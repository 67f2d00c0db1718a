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
from unionstats.contract.periods import parse_period
from unionstats.figures.engine import figures
from unionstats.intake.loading import load_path
from unionstats.kinds import competitions as competitions_kind
from unionstats.kinds import events as events_kind
from unionstats.kinds import visits as visits_kind
from unionstats.kinds.competitions import Award, achievement
from unionstats.writing.summary import (
    PARAGRAPH,
    Section,
    Summary,
    as_edited,
    previous_name,
    summary_from_text,
    write_summary,
)

SAMPLE = load_path(ROOT / "data" / "sample.xlsx")


def numbered(summary: Summary) -> list[tuple[str, list[str]]]:
    """The 一、 and （一） headings with the paragraphs under each, as the text lays them out (no closing)."""
    out: list[tuple[str, list[str]]] = []
    for kind, text in summary.blocks():
        if kind != PARAGRAPH:
            out.append((text, []))
        elif out and text != summary.closing:
            out[-1][1].append(text)
    return out
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
    def tenth(x: float) -> float:
        return float(Decimal(repr(x)).quantize(Decimal("0.1"), ROUND_HALF_UP))

    percents = {tenth(v * 100) for v in values if 0 <= v <= 1}
    for a, b in itertools.permutations(values, 2):
        if b:
            percents.add(tenth(100 * a / b))
            percents.add(tenth(100 * abs(a - b) / b))
        if 0 <= a <= 2 and 0 <= b <= 2:  # two rates: their difference in 个百分点
            plain.add(tenth(100 * abs(a - b)))
    return plain, percents


def untraced(text: str, result: dict) -> list[str]:
    plain, percents = allowed(result)
    wan = {float((Decimal(repr(v)) / 10_000).quantize(Decimal("0.01"), ROUND_HALF_UP)) for v in plain}
    problems = []
    for line in text.splitlines():
        if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line):
            continue  # the 落款's date: the day the summary is written
        line = re.sub(r"^\d+\.(?!\d)", "", line)
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
                 "慰问": [["日期", "事由", "人次", "金额"], ["2024-04-09", "住院", 1, 500]],
                 "单位信息": [["单位名称", "城南小学工会"]]}, name="城南小学")
    summary = write_summary(figures(data, parse_period("2024Q2")))
    text = summary.text()
    assert [s.heading for s in summary.sections] == [
        "加强学习培训，提升职工素质", "坚持走访慰问，把组织关怀送到职工心坎上", "需要关注的几个方面"]
    assert "文体活动" not in text.split("需要关注")[0], "no heading or sentence claims 文体活动 that were not held"
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
    assert "\n## 一、组织开展文体活动" in markdown


RECORDS = st.fixed_dictionaries({
    "events": st.lists(st.fixed_dictionaries({
        "date": st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)),
        "name": st.sampled_from(["联欢会", "健步走", "讲座"]),
        "category": st.sampled_from(events_kind.CATEGORIES), "participants": st.integers(0, 400),
        "spending": st.integers(0, 5_000_000).map(lambda f: f / 100), "unit": st.just("甲")}), max_size=15),
    "visits": st.lists(st.fixed_dictionaries({
        "date": st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)), "reason": st.sampled_from(visits_kind.REASONS),
        "group": st.sampled_from(("",) + visits_kind.GROUPS), "count": st.integers(1, 30),
        "amount": st.integers(0, 2_000_000).map(lambda f: f / 100), "unit": st.just("甲")}), max_size=10),
    "competitions": st.lists(st.fixed_dictionaries({
        "date": st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)), "name": st.sampled_from(["运动会", "合唱"]),
        "level": st.sampled_from(competitions_kind.LEVELS), "event": st.sampled_from(["", "跳绳"]),
        "result": st.sampled_from(competitions_kind.RESULTS_CHOSEN), "awards": st.integers(1, 4), "unit": st.just("甲")}),
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


def visit_money(days):
    return float(window("visits", days)["amount"].sum())


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
    given = f"，发放慰问金及慰问品{money(amount)}{cmp(visit_money)}" if amount else ""
    assert f"共看望慰问{count}人次{cmp(visited)}{given}。" in text
    if awards(days):
        assert re.search(f"获得各类奖项{awards(days)}个{re.escape(cmp(awards))}(。|，均为.{{2,4}}奖项。)", text)
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
    assert "1.本季度没有开展参观旅游、学习培训、民主管理和志愿公益类活动" in notes
    assert "2.看望慰问5人次，上季度为10人次，较上季度下降50%，慰问工作的覆盖面值得关注。" in notes
    assert "3.经费支出较为集中，文体活动支出5000元，占活动经费的98%。" in notes
    assert "4.平均每次活动参与率为15%，低于上季度的100%，职工参与的积极性有待进一步调动。" in notes


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


# Whole summaries word for word, every number worked out here from the rows the test builds.

def half_up(value: float, places: int) -> str:
    text = f"{Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def rmb(amount: float) -> str:
    return f"{half_up(amount / 10_000, 2)}万元" if abs(amount) >= 10_000 else f"{half_up(amount, 2)}元"


def share(part: float, whole: float) -> str:
    return f"{half_up(part / whole * 100, 1)}%"


def rise(now: float, before: float, against: str) -> str:
    word = "增长" if now > before else "下降"
    return f"{'较' if against.startswith('上') else '比'}{against}{word}{share(abs(now - before), before)}"


def acts(rows):
    return [{"date": dt.date.fromisoformat(d), "name": n, "category": c, "participants": p, "spending": s,
             "unit": "甲"} for d, n, c, p, s in rows]


def cares(rows):
    return [{"date": dt.date.fromisoformat(d), "reason": r, "group": g, "count": n, "amount": a, "unit": "甲"}
            for d, r, g, n, a in rows]


def gifts(rows):
    return [{"date": dt.date.fromisoformat(d), "campaign": c, "cash": cash, "goods": goods, "donors": donors,
             "unit": "甲"} for d, c, cash, goods, donors in rows]


def contests(rows):
    return [{"date": dt.date.fromisoformat(d), "name": n, "result": r, "awards": a, "level": lv, "event": ev,
             "entry": en, "award_name": an, "unit": "甲"} for d, n, r, a, lv, ev, en, an in rows]


Q2_EVENTS = acts([("2024-04-18", "健步走", "文体活动", 80, 3000.0), ("2024-05-16", "羽毛球", "文体活动", 30, 500.0),
                  ("2024-06-10", "端午包粽子", "节日活动", 40, 1200.4), ("2024-06-20", "读书会", "学习培训", 10, 0.0)])
Q1_EVENTS = acts([("2024-02-10", "春节联欢", "节日活动", 100, 5000.0)])
YEAR_AGO_EVENTS = acts([("2023-05-01", "健步走", "文体活动", 200, 2000.0)])
Q2_VISITS = cares([("2024-04-01", "生病住院", "在职职工", 2, 1000.0), ("2024-04-09", "结婚", "", 1, 500.0),
                   ("2024-06-30", "节日慰问", "离退休人员", 40, 8000.0), ("2024-05-05", "其他", "在职职工", 1, 200.0)])
Q1_VISITS = cares([("2024-01-20", "节日慰问", "离退休人员", 80, 12000.0)])
Q2_GIFTS = gifts([("2024-04-01", "一日捐", 12000.5, 0, 50), ("2024-05-01", "抗洪", 5000.0, 0, 30),
                  ("2024-05-20", "抗洪", 0.0, 135, None)])
Q2_CONTESTS = contests([
    ("2024-05-01", "运动会", "第二名", 3, "系统内", "跳绳", "个人", ""),
    ("2024-05-01", "运动会", "第一名", 1, "系统内", "接力", "团体", ""),
    ("2024-06-01", "合唱比赛", "其他奖项", 1, "市级", "合唱", "团体", "最佳组织奖"),
    ("2024-06-02", "征文", "一等奖", 1, "全国", "", "个人", ""),
    ("2024-06-03", "篮球赛", "参与", 1, "区县级", "", "团体", ""),
    ("2024-06-05", "书法比赛", "优秀奖", 1, "本单位", "", "个人", ""),
])
YEAR_AGO_CONTESTS = contests([("2023-06-01", "运动会", "第三名", 2, "系统内", "", "个人", "")])
MEMBERS = 100


def whole_quarter():
    data = dataset(Q1_EVENTS + Q2_EVENTS + YEAR_AGO_EVENTS, Q1_VISITS + Q2_VISITS, Q2_GIFTS,
                   Q2_CONTESTS + YEAR_AGO_CONTESTS, members={"甲": MEMBERS})
    return write_summary(figures(data, parse_period("2024Q2")))


def test_a_whole_quarter_word_for_word():
    summary = whole_quarter()
    n, people = len(Q2_EVENTS), sum(e["participants"] for e in Q2_EVENTS)
    spent = round(sum(e["spending"] for e in Q2_EVENTS), 2)
    before_people, ago_people = sum(e["participants"] for e in Q1_EVENTS), YEAR_AGO_EVENTS[0]["participants"]
    before_spent, ago_spent = Q1_EVENTS[0]["spending"], YEAR_AGO_EVENTS[0]["spending"]
    rate, before_rate = people / (n * MEMBERS), before_people / (len(Q1_EVENTS) * MEMBERS)
    sport = [e for e in Q2_EVENTS if e["category"] == "文体活动"]
    sport_spent = sum(e["spending"] for e in sport)
    festival = [e for e in Q2_EVENTS if e["category"] == "节日活动"]
    study = [e for e in Q2_EVENTS if e["category"] == "学习培训"]
    visited, before_visited = sum(v["count"] for v in Q2_VISITS), sum(v["count"] for v in Q1_VISITS)
    given, before_given = sum(v["amount"] for v in Q2_VISITS), sum(v["amount"] for v in Q1_VISITS)
    cash, goods = sum(g["cash"] for g in Q2_GIFTS), sum(g["goods"] for g in Q2_GIFTS)
    donors = sum(g["donors"] for g in Q2_GIFTS if g["donors"] is not None)
    flood = [g for g in Q2_GIFTS if g["campaign"] == "抗洪"]
    won = sum(c["awards"] for c in Q2_CONTESTS if c["result"] != "参与")
    ago_won = YEAR_AGO_CONTESTS[0]["awards"]
    top = max(Q2_EVENTS, key=lambda e: e["participants"])
    assert summary.title == "甲工会2024年第二季度工作总结"
    assert summary.opening == (
        "2024年第二季度，甲工会在上级工会和单位党组织的领导下，紧紧围绕单位中心工作，认真履行维护职工合法权益、"
        "竭诚服务职工群众的基本职责，各项工作有序开展。"
        f"本季度共组织开展各类活动{n}次，参与职工{people}人次，平均每次活动参与率{share(people, n * MEMBERS)}，"
        f"活动经费支出{rmb(spent)}；看望慰问职工{visited}人次；组织捐款捐物{len(Q2_GIFTS)}次；"
        f"在各类比赛中获得奖项{won}个。现将2024年第二季度工作总结如下：")
    assert numbered(summary) == [
        ("一、组织开展文体活动，丰富职工精神文化生活", [
            f"本季度共组织开展各类活动{n}次，参与职工{people}人次，{rise(people, before_people, '上季度')}，"
            f"{rise(people, ago_people, '去年同期')}。按类别分，文体活动{len(sport)}次、参与"
            f"{sum(e['participants'] for e in sport)}人次；节日活动1次、参与{festival[0]['participants']}人次；"
            f"学习培训1次、参与{study[0]['participants']}人次。",
            f"其中参与人数最多的是4月18日举办的“{top['name']}”，参与职工{top['participants']}人次。",
            f"围绕传统节日和重要节点，组织开展了“端午包粽子”节日活动1次，共{festival[0]['participants']}人次参加，"
            "营造了温馨和谐的节日氛围。"]),
        ("二、坚持走访慰问，把组织关怀送到职工心坎上", [
            f"工会时刻把职工的冷暖放在心上。本季度对职工生病住院、结婚、节日慰问等共看望慰问{visited}人次，"
            f"{rise(visited, before_visited, '上季度')}，发放慰问金及慰问品{rmb(given)}，"
            f"{rise(given, before_given, '上季度')}。",
            "其中，生病住院2人次、结婚1人次、节日慰问40人次、其他1人次。从慰问对象看，在职职工3人次、离退休人员40人次。"]),
        ("三、积极开展捐款捐物，奉献爱心", [
            f"积极响应上级号召，本季度先后{len(Q2_GIFTS)}次组织职工捐款捐物，共捐款{rmb(cash)}、捐赠物资{goods}件，"
            f"参与职工{donors}人次。",
            f"其中，“一日捐”捐款{rmb(Q2_GIFTS[0]['cash'])}；“抗洪”捐款{rmb(sum(g['cash'] for g in flood))}、"
            f"捐赠物资{sum(g['goods'] for g in flood)}件。"]),
        ("四、积极参加各类比赛，展示职工风采", [
            f"本季度组织职工参加各类比赛{len({c['name'] for c in Q2_CONTESTS})}项，获得各类奖项{won}个，"
            f"{rise(won, ago_won, '去年同期')}。其中全国性1个、市级1个、系统内4个、本单位1个。",
            "主要成绩有：在“征文”中获得个人一等奖；在“运动会”接力项目中获得团体第一名；在“运动会”跳绳项目中获得个人第二名3名；"
            "在“书法比赛”中获得个人优秀奖。"]),
        ("五、规范经费管理，用好用活工会经费", [
            f"工会严格按照工会经费管理有关规定，把经费用在职工身上。本季度活动经费支出{rmb(spent)}，"
            f"{rise(spent, before_spent, '上季度')}，{rise(spent, ago_spent, '去年同期')}，"
            f"按会员人数计算人均{rmb(round(spent / MEMBERS, 2))}，每人次{rmb(round(spent / people, 2))}。"
            f"从支出结构看，文体活动{rmb(sport_spent)}，占{share(sport_spent, spent)}；"
            f"节日活动{rmb(festival[0]['spending'])}，占{share(festival[0]['spending'], spent)}。"]),
        ("六、需要关注的几个方面", [
            "1.本季度没有开展参观旅游、民主管理和志愿公益类活动，活动类型还不够全面。",
            f"2.看望慰问{visited}人次，上季度为{before_visited}人次，{rise(visited, before_visited, '上季度')}，"
            "慰问工作的覆盖面值得关注。",
            f"3.经费支出较为集中，文体活动支出{rmb(sport_spent)}，占活动经费的{share(sport_spent, spent)}。",
            f"4.平均每次活动参与率为{half_up(rate * 100, 1)}%，低于上季度的{half_up(before_rate * 100, 1)}%，"
            "职工参与的积极性有待进一步调动。"]),
    ]
    assert summary.key_figures == [
        ("活动次数", f"{n}次"), ("参与人次", f"{people}人次"), ("平均参与率", share(people, n * MEMBERS)),
        ("活动经费支出", rmb(spent)), ("看望慰问", f"{visited}人次"), ("慰问金额", rmb(given)),
        ("捐款", rmb(cash)), ("捐赠物资", f"{goods}件"), ("获得奖项", f"{won}个")]


def test_text_and_markdown_lay_the_summary_out():
    summary = whole_quarter()
    lines = [summary.title, "", summary.opening]
    blocks = [f"# {summary.title}", "", summary.opening]
    for heading, paragraphs in numbered(summary):
        lines += ["", heading, *paragraphs]
        blocks += ["", f"## {heading}"]
        for paragraph in paragraphs:
            blocks += ["", paragraph]
    lines += ["", summary.closing, "", summary.organisation, summary.date_text]
    blocks += ["", summary.closing, "", f"{summary.organisation}  \n{summary.date_text}"]
    assert summary.text() == "\n".join(lines) + "\n"
    assert summary.markdown() == "\n".join(blocks) + "\n"
    assert summary.markdown().count("\n\n## ") == 6 and summary.text().endswith(f"甲工会\n{summary.date_text}\n")


def test_the_signature_names_the_union_and_the_day_in_arabic_numerals():
    summary = write_summary(figures(SAMPLE, parse_period("2024Q2")), "江城市农业科学研究所", dated=dt.date(2024, 7, 5))
    assert summary.signature() == ["江城市农业科学研究所工会", "2024年7月5日"]
    assert summary.text().endswith("\n\n江城市农业科学研究所工会\n2024年7月5日\n")
    before = dt.date.today()
    assert before <= write_summary(figures(SAMPLE, parse_period("2024Q2"))).dated <= dt.date.today()


def test_read_back_from_text_gives_the_same_sections():
    summary = whole_quarter()
    again = summary_from_text(summary.text())
    assert (again.title, again.opening) == (summary.title, summary.opening)
    assert [s.heading for s in again.sections] == [s.heading for s in summary.sections]
    assert [s.paragraphs for s in again.sections[:-1]] == [s.paragraphs for s in summary.sections[:-1]]
    assert again.sections[-1].paragraphs == [*summary.sections[-1].paragraphs, summary.closing]
    assert (again.organisation, again.dated) == (summary.organisation, summary.dated)
    assert again.key_figures == [] and summary_from_text(again.text()) == again


def test_read_back_edited_text():
    text = ("  标题  \n\n第一段\n第二段\n一、活动\n甲\n\n 乙 \n（一）节日\n丁\n十二、慰问\n丙\n"
            "（这不是标题，括号太远了）\n1.看望\n二、\n\n某研究所工会\n2026年1月5日\n")
    summary = summary_from_text(text)
    assert summary.title == "标题" and summary.opening == "第一段\n第二段"
    assert summary.sections == [Section("活动", ["甲", "乙"], [Section("节日", ["丁"])]),
                                Section("慰问", ["丙", "（这不是标题，括号太远了）", "1.看望"]), Section("", [])]
    assert (summary.organisation, summary.dated) == ("某研究所工会", dt.date(2026, 1, 5))
    assert summary_from_text("标题\n正文说到2026年1月5日\n").dated is None
    assert summary_from_text("标题\n一、工作\n总结如下。\n2026年1月5日\n").organisation == ""
    assert summary_from_text(" \n\n") == Summary("工作总结", "")
    assert summary_from_text("只有标题") == Summary("只有标题", "")


def test_sections_are_numbered_in_chinese_beyond_ten():
    summary = Summary("标题", "开头", [Section(f"第{i}节", [f"段{i}"], [Section("分节", ["细"])] if i == 2 else [])
                                   for i in range(1, 12)])
    headings = [h for h, _ in numbered(summary)]
    assert headings[:4] == ["一、第1节", "二、第2节", "（一）分节", "三、第3节"]
    assert headings[10] == "十、第10节" and headings[11] == "十一、第11节"
    assert summary.text().startswith("标题\n\n开头\n\n一、第1节\n段1\n\n二、第2节\n段2\n\n（一）分节\n细\n")
    assert Summary("标题", "开头").markdown() == "# 标题\n\n开头\n"
    assert Summary("标题", "开头").text() == "标题\n\n开头\n"


@pytest.mark.parametrize("code, label, when, before", [
    ("2024", "2024年", "全年", "上年"),
    ("2024H1", "2024年上半年", "上半年", "上年下半年"),
    ("2024H2", "2024年下半年", "下半年", "上半年"),
    ("2024Q3", "2024年第三季度", "本季度", "上季度"),
    ("2024Q1", "2024年第一季度", "本季度", "上季度"),
    ("2024-08", "2024年8月", "本月", "上月"),
    ("2024-01", "2024年1月", "本月", "上月"),
    ("2024-08-05..2024-08-20", "2024年8月5日至8月20日", "这一时期", "前一时段"),
])
def test_each_kind_of_period_is_named_in_the_text(code, label, when, before):
    period = parse_period(code)
    assert previous_name(period) == before
    day = period.start
    earlier = period.previous().start
    data = dataset(acts([(earlier.isoformat(), "早", "文体活动", 10, 0.0),
                         (day.isoformat(), "晚", "文体活动", 15, 0.0)]))
    summary = write_summary(figures(data, period))
    assert summary.title == f"甲工会{label}工作总结"
    assert summary.opening == (
        f"{label}，甲工会在上级工会和单位党组织的领导下，紧紧围绕单位中心工作，认真履行维护职工合法权益、竭诚服务职工群众的"
        f"基本职责，各项工作有序开展。{when}共组织开展各类活动1次，参与职工15人次。现将{label}工作总结如下：")
    assert summary.sections[0].paragraphs == [
        f"{when}共组织开展各类活动1次，参与职工15人次，{'较' if before.startswith('上') else '比'}{before}增长50%。"]
    assert [s.heading for s in summary.sections] == ["组织开展文体活动，丰富职工精神文化生活", "需要关注的几个方面"]


def test_the_unit_is_named_as_told_else_when_alone_else_the_union():
    rows = acts([("2024-05-01", "联欢", "文体活动", 10, 0.0)])
    two = rows + [dict(rows[0], unit="乙")]
    q2 = parse_period("2024Q2")
    assert write_summary(figures(dataset(rows), q2)).title == "甲工会2024年第二季度工作总结"
    assert write_summary(figures(dataset(rows), q2), "城南工会").title == "城南工会2024年第二季度工作总结"
    mixed = write_summary(figures(dataset(two), q2))
    assert mixed.title == "工会2024年第二季度工作总结" and mixed.opening.startswith("2024年第二季度，工会在上级工会")
    assert "组织开展各类活动2次，参与职工20人次" in mixed.opening
    assert write_summary(figures(dataset(two), q2), "市总").title == "市总工会2024年第二季度工作总结"
    assert write_summary(figures(dataset(two), q2), "某区总工会").title == "某区总工会2024年第二季度工作总结"


def test_nothing_to_summarise():
    nothing = write_summary(figures(dataset()))
    assert (nothing.title, nothing.opening, nothing.sections) == (
        "工会工作总结", "所选范围内没有活动、慰问、捐款或比赛记录，暂无可总结的内容。", [])
    assert write_summary(figures(dataset()), "甲").title == "甲工会工作总结"
    rows = acts([("2024-05-01", "联欢", "文体活动", 10, 0.0)])
    empty = write_summary(figures(dataset(rows), parse_period("2024Q3")), "甲")
    assert (empty.title, empty.opening, empty.sections, empty.closing) == (
        "甲工会2024年第三季度工作总结", "2024年第三季度没有录入活动、慰问、捐款或比赛记录，暂无可总结的内容。", [], "")


def test_the_year_ago_is_compared_where_there_is_no_period_before():
    data = dataset(acts([("2023-05-01", "联欢", "文体活动", 10, 400.0), ("2024-05-01", "联欢", "文体活动", 12, 300.0)]))
    summary = write_summary(figures(data, parse_period("2024Q2")))
    assert summary.sections[0].paragraphs[0] == "本季度共组织开展各类活动1次，参与职工12人次，比去年同期增长20%。"
    assert summary.sections[1].paragraphs == [
        "工会严格按照工会经费管理有关规定，把经费用在职工身上。本季度活动经费支出300元，比去年同期下降25%，每人次25元。"]


def test_activities_name_at_most_four_festivals_the_largest_first():
    names = ["元宵", "春节", "三八节", "清明", "端午"]
    rows = acts([(f"2024-0{i + 1}-0{i + 1}", name, "节日活动", 10 * (i + 1), 0.0) for i, name in enumerate(names)])
    rows += acts([("2024-05-06", "端午", "节日活动", 5, 0.0)])
    section = write_summary(figures(dataset(rows), parse_period("2024H1"))).sections[0]
    festivals = sorted({r["name"] for r in rows}, key=lambda n: -sum(r["participants"] for r in rows if r["name"] == n))
    people = sum(r["participants"] for r in rows)
    top = max(rows, key=lambda r: r["participants"])
    assert section.paragraphs == [
        f"上半年共组织开展各类活动{len(rows)}次，参与职工{people}人次。",
        f"其中参与人数最多的是{top['date'].month}月{top['date'].day}日举办的“{top['name']}”，参与职工{top['participants']}人次。",
        f"围绕传统节日和重要节点，组织开展了{''.join(f'“{n}”' for n in festivals[:4])}等节日活动{len(rows)}次，"
        f"共{people}人次参加，营造了温馨和谐的节日氛围。"]
    four = [r for r in rows if r["name"] != "元宵"]
    section = write_summary(figures(dataset(four), parse_period("2024H1"))).sections[0]
    assert section.paragraphs[2].startswith(
        "围绕传统节日和重要节点，组织开展了“端午”“清明”“三八节”和“春节”节日活动5次，")


def test_caring_names_the_four_largest_reasons_in_the_contract_order():
    rows = cares([("2024-04-01", "丧事", "", 5, 0.0), ("2024-04-02", "结婚", "", 2, 0.0),
                  ("2024-04-03", "生育", "", 3, 0.0), ("2024-04-04", "生病住院", "", 1, 0.0),
                  ("2024-04-05", "困难帮扶", "", 4, 0.0), ("2024-04-06", "其他", "", 9, 0.0)])
    section = write_summary(figures(dataset(visits=rows), parse_period("2024Q2"))).sections[0]
    assert section.paragraphs == [
        "工会时刻把职工的冷暖放在心上。本季度对职工结婚、生育、丧事、困难帮扶等共看望慰问"
        f"{sum(r['count'] for r in rows)}人次。",
        "其中，生病住院1人次、结婚2人次、生育3人次、丧事5人次、困难帮扶4人次、其他9人次。"]


def test_caring_with_one_reason_and_known_groups():
    rows = cares([("2024-04-01", "结婚", "女职工", 1, 800.0), ("2024-05-01", "结婚", "在职职工", 2, 1600.0)])
    section = write_summary(figures(dataset(visits=rows), parse_period("2024Q2"))).sections[0]
    assert section.paragraphs == ["工会时刻把职工的冷暖放在心上。本季度对职工结婚共看望慰问3人次，"
                                  "发放慰问金及慰问品2400元。"
                                  "从慰问对象看，在职职工2人次、女职工1人次。"]
    other = cares([("2024-04-01", "其他", "", 2, 0.0)])
    section = write_summary(figures(dataset(visits=other), parse_period("2024Q2"))).sections[0]
    assert section.paragraphs == ["工会时刻把职工的冷暖放在心上。本季度共看望慰问2人次。"]


def test_donations_of_goods_alone_and_of_one_campaign():
    rows = gifts([("2024-04-01", "助学", 0.0, 20, None), ("2024-05-01", "助学", 0.0, 15, None)])
    section = write_summary(figures(dataset(donations=rows), parse_period("2024Q2"))).sections[0]
    assert section == Section("积极开展捐款捐物，奉献爱心",
                              ["积极响应上级号召，本季度先后2次组织职工捐款捐物，共捐赠物资35件。"])
    rows = gifts([("2024-04-01", "助学", 300.0, 0, 0), ("2024-05-01", "一日捐", 20000.0, 0, 12),
                  ("2024-05-02", "助学", 0.0, 4, 3)])
    section = write_summary(figures(dataset(donations=rows), parse_period("2024Q2"))).sections[0]
    assert section.paragraphs == ["积极响应上级号召，本季度先后3次组织职工捐款捐物，共捐款2.03万元、捐赠物资4件，"
                                  "参与职工15人次。",
                                  "其中，“助学”捐款300元、捐赠物资4件；“一日捐”捐款2万元。"]
    summary = write_summary(figures(dataset(donations=rows), parse_period("2024Q2")))
    assert summary.key_figures == [("捐款", "2.03万元"), ("捐赠物资", "4件")]
    assert summary.opening.endswith("各项工作有序开展。本季度共组织捐款捐物3次。现将2024年第二季度工作总结如下：")


def test_competitions_without_awards_name_only_the_contests():
    rows = contests([("2024-04-01", "篮球赛", "参与", 1, "市级", "", "团体", ""),
                     ("2024-04-02", "篮球赛", "参与", 1, "市级", "", "团体", ""),
                     ("2024-04-03", "合唱", "", 1, "", "", "团体", "")])
    summary = write_summary(figures(dataset(competitions=rows), parse_period("2024Q2")))
    assert summary.sections == [Section("积极参加各类比赛，展示职工风采", ["本季度组织职工参加各类比赛2项。"])]
    assert summary.key_figures == [] and "现将" in summary.opening and "奖项" not in summary.opening


def test_competitions_at_an_unknown_level_come_last():
    rows = contests([("2024-04-01", "演讲", "二等奖", 2, "", "", "团体", ""),
                     ("2024-04-02", "演讲", "三等奖", 1, "省级", "", "团体", "")])
    section = write_summary(figures(dataset(competitions=rows), parse_period("2024Q2"))).sections[0]
    assert section.paragraphs == ["本季度组织职工参加各类比赛1项，获得各类奖项3个。其中省级1个、未注明2个。",
                                  "主要成绩有：在“演讲”中获得团体二等奖2个；在“演讲”中获得团体三等奖。"]


@pytest.mark.parametrize("event, entry, result, award_name, awards, text", [
    ("", "个人", "一等奖", "", 1, "在“运动会”中获得个人一等奖"),
    ("跳绳", "个人", "第一名", "", 1, "在“运动会”跳绳项目中获得个人第一名"),
    ("运动", "个人", "第一名", "", 1, "在“运动会”中获得个人第一名"),
    ("跳绳", "个人", "第二名", "", 3, "在“运动会”跳绳项目中获得个人第二名3名"),
    ("个人项目", "个人", "第二名", "", 3, "在“运动会”个人项目中获得个人第二名3名"),
    ("接力比赛", "团体", "第一名", "", 1, "在“运动会”接力比赛中获得团体第一名"),
    ("团体", "团体", "第一名", "", 1, "在“运动会”中获得团体第一名"),
    ("", "团体", "优秀奖", "", 3, "在“运动会”中获得团体优秀奖3个"),
    ("", "", "优秀奖", "", 2, "在“运动会”中获得优秀奖2个"),
    ("", "个人", "其他奖项", "最佳组织奖", 1, "在“运动会”中获得最佳组织奖"),
    ("", "个人", "其他奖项", "", 1, "在“运动会”中获得其他奖项"),
    ("", "个人", "一等奖", "最佳组织奖", 1, "在“运动会”中获得个人一等奖"),
], ids=["first-prize", "event", "event-in-name", "three-seconds", "event-ends-in-xiangmu", "event-ends-in-bisai",
        "entry-as-event", "team-awards", "no-entry", "own-award", "other-award", "award-name-ignored"])
def test_an_achievement_in_one_phrase(event, entry, result, award_name, awards, text):
    assert achievement(Award(dt.date(2024, 5, 1), "运动会", event, "市级", entry, result, award_name, awards)) == text


def test_funds_without_members_or_participants_and_of_one_category():
    rows = acts([("2024-04-01", "布置", "其他", 0, 800.0), ("2024-04-02", "布置", "其他", 0, 200.0)])
    summary = write_summary(figures(dataset(rows), parse_period("2024Q2")))
    assert summary.sections[1] == Section("规范经费管理，用好用活工会经费", [
        "工会严格按照工会经费管理有关规定，把经费用在职工身上。本季度活动经费支出1000元。"])
    assert summary.key_figures == [("活动次数", "2次"), ("活动经费支出", "1000元")]
    assert summary.opening.endswith(
        "本季度共组织开展各类活动2次，活动经费支出1000元。现将2024年第二季度工作总结如下：")


def test_members_give_a_rate_and_spending_per_member():
    rows = acts([("2024-04-01", "讲座", "学习培训", 30, 600.0)])
    summary = write_summary(figures(dataset(rows, members={"甲": 40}), parse_period("2024Q2")))
    assert summary.sections[1].paragraphs == [
        "工会严格按照工会经费管理有关规定，把经费用在职工身上。本季度活动经费支出600元，按会员人数计算人均15元，每人次20元。"]
    assert dict(summary.key_figures)["平均参与率"] == "75%"
    assert "平均每次活动参与率75%，活动经费支出600元。" in summary.opening


def test_a_head_count_not_filled_in_is_not_stated_as_zero():
    rows = acts([("2024-04-01", "讲座", "学习培训", 0, 0.0), ("2024-04-02", "布置", "其他", 0, 0.0),
                 ("2024-04-03", "联欢", "文体活动", 12, 0.0)])
    summary = write_summary(figures(dataset(rows, members={"甲": 40}), parse_period("2024Q2")))
    assert "各类活动3次，参与职工12人次，平均每次活动参与率10%。现将" in summary.opening
    assert "按类别分，文体活动1次、参与12人次；学习培训1次；其他1次。" in summary.sections[0].paragraphs[0]
    assert not re.search(r"(?<![\d.])0(\.0+)?(人次|%)", summary.text())
    nobody = write_summary(figures(dataset(rows[:2], members={"甲": 40}), parse_period("2024Q2")))
    assert nobody.key_figures == [("活动次数", "2次")]
    assert "共组织开展各类活动2次。现将" in nobody.opening and "人次" not in nobody.text()


# Several units: the comparison section, against numbers computed here from the rows.

FEDERATION = {"一中": 50, "二中": 40, "三小": 30, "四小": 20}
FEDERATION_EVENTS = [
    {"date": dt.date(2024, 4, 10), "name": "春游", "category": "参观旅游", "participants": 40, "spending": 4000.0,
     "unit": "一中"},
    {"date": dt.date(2024, 5, 10), "name": "讲座", "category": "学习培训", "participants": 10, "spending": 500.0,
     "unit": "一中"},
    {"date": dt.date(2024, 5, 12), "name": "健步走", "category": "文体活动", "participants": 36, "spending": 1500.0,
     "unit": "二中"},
    {"date": dt.date(2024, 6, 1), "name": "六一", "category": "节日活动", "participants": 6, "spending": 2500.5,
     "unit": "三小"},
]


def test_several_units_are_compared_with_every_number_traceable():
    data = dataset(FEDERATION_EVENTS, members=FEDERATION)
    summary = write_summary(figures(data, parse_period("2024Q2")), "某区教育工会", sorted(FEDERATION))
    [section] = [s for s in summary.sections if s.heading == "各单位工作情况"]
    rates = {}
    for unit in ("一中", "二中", "三小"):
        rows = [e for e in FEDERATION_EVENTS if e["unit"] == unit]
        rates[unit] = sum(e["participants"] for e in rows) / len(rows) / FEDERATION[unit]
    most, least = max(rates, key=rates.get), min(rates, key=rates.get)
    assert (most, least) == ("二中", "三小")
    total = sum(e["spending"] for e in FEDERATION_EVENTS)
    spent = {u: sum(e["spending"] for e in FEDERATION_EVENTS if e["unit"] == u) for u in rates}
    order = sorted(spent, key=lambda u: -spent[u])
    assert section.paragraphs == ["本季度共有3个单位报送了数据。"]
    assert [p.heading for p in section.parts] == ["职工参与情况", "经费使用情况", "数据报送情况"]
    assert section.parts[0].paragraphs == [
        f"按平均每次活动参与率计，3个单位中{most}最高，为{pct(rates[most])}；{least}最低，为{pct(rates[least])}。"]
    assert section.parts[1].paragraphs == ["各单位活动经费支出中，" + "；".join(
        f"{u}{money(spent[u])}，占{pct(spent[u] / total)}" for u in order) + "。"]
    assert section.parts[2].paragraphs == ["应报送数据的4个单位中，1个单位本季度未报送数据：四小。"]
    text = summary.text()
    assert "\n（一）职工参与情况\n" in text and "、各单位工作情况\n" in text
    counted = {"reporting": 3, "known": len(FEDERATION), "silent": 1}
    assert untraced(text, {**figures(data, parse_period("2024Q2")).to_json(), **counted}) == []


def test_one_unit_has_no_comparison_and_many_silent_units_are_counted_not_all_named():
    data = dataset(FEDERATION_EVENTS[:2], members=FEDERATION)
    alone = write_summary(figures(data, parse_period("2024Q2")), "一中")
    assert "各单位工作情况" not in alone.text()
    known = ["一中", *(f"分会{i:02d}" for i in range(12))]
    many = write_summary(figures(data, parse_period("2024Q2")), "", known)
    [section] = [s for s in many.sections if s.heading == "各单位工作情况"]
    assert section.parts == [], "a single part stands under its heading, never as a lone （一）"
    assert section.paragraphs == ["本季度共有1个单位报送了数据。",
        "应报送数据的13个单位中，12个单位本季度未报送数据：" + "、".join(f"分会{i:02d}" for i in range(10)) + "等。"]
    assert "（一）" not in many.text()


def test_the_closing_looks_ahead_to_the_next_period():
    data = dataset(FEDERATION_EVENTS, members=FEDERATION)
    year = write_summary(figures(data, parse_period("2024")), "某区教育工会")
    quarter = write_summary(figures(data, parse_period("2024Q2")), "某区教育工会")
    assert year.closing.startswith("全年，某区教育工会各项工作取得了一定成效") and "新的一年" in year.closing
    assert quarter.closing.startswith("本季度，") and "下一季度" in quarter.closing
    assert not re.search(r"\d", year.closing + quarter.closing)


def test_activity_and_award_names_are_kept_as_the_unit_wrote_them():
    rows = acts([("2024-03-08", "“三八”妇女节活动", "节日活动", 30, 0.0), ("2024-03-09", "读书会", "学习培训", 5, 0.0)])
    rows += [dict(r, name="迎奥运全民健身运动会") for r in contests([
        ("2024-03-20", "x", "第二名", 3, "省级", "个人项目", "个人", ""),
        ("2024-03-21", "x", "第一名", 1, "省级", "女子综合团体", "团体", "")])]
    data = dataset(rows[:2], competitions=rows[2:])
    text = write_summary(figures(data, parse_period("2024Q1")), "某研究所").text()
    assert "“‘三八’妇女节活动”" in text and "““" not in text
    assert "在“迎奥运全民健身运动会”个人项目中获得个人第二名3名" in text
    assert "在“迎奥运全民健身运动会”女子综合团体项目中获得团体第一名" in text
    assert "项目项目" not in text and text.startswith("某研究所工会2024年第一季度工作总结\n")


def test_units_that_took_part_equally_are_not_ranked():
    rows = [dict(e, participants=20, unit=u) for e, u in zip(FEDERATION_EVENTS[:2], ("一中", "二中"))]
    summary = write_summary(figures(dataset(rows), parse_period("2024Q2")), "", ["一中", "二中"])
    assert "按参与人次计" not in summary.text() and "个单位中" not in summary.text()
    unequal = [rows[0], dict(rows[1], participants=25)]
    text = write_summary(figures(dataset(unequal), parse_period("2024Q2")), "", ["一中", "二中"]).text()
    assert "按参与人次计，2个单位中二中最多，为25人次；一中最少，为20人次。" in text


def test_the_word_file_follows_the_edited_text_and_keeps_the_key_figures():
    generated = whole_quarter()
    assert as_edited(generated.text(), generated) is generated
    text = generated.text().replace("一、组织开展文体活动，丰富职工精神文化生活", "一、文体活动") + "附：本文已经工会委员会审议。\n"
    edited = as_edited(text, generated)
    assert edited.sections[0].heading == "文体活动" and edited.key_figures == generated.key_figures
    assert edited.sections[-1].paragraphs[-1] == "附：本文已经工会委员会审议。" and edited.dated is None


def test_only_units_that_were_due_are_named_as_not_reported():
    """Units of other years are not 未报送: without a 单位名录, a unit was due when it reported in the period
    before or a year before; with one, when it is listed as 应报送."""
    import pandas as pd

    from unionstats.figures.due import due_units

    rows = [dict(row, unit=unit) for unit, day, name in (
        ("某研究所", "2008-05-16", "观光旅游"), ("三山学校", "2004-04-16", "书画作品展"),
        ("某县水利局", "2013-05-04", "登山活动"), ("二中", "2007-06-01", "趣味运动会"))
        for row in acts([(day, name, "文体活动", 30, 900.0)])]
    data = dataset(rows)
    year = parse_period("2008")
    due = due_units(data, None, year, None)
    assert due == ["二中"], "only 二中 reported in 2007, the year before"
    text = write_summary(figures(data, year), "某区教育工会", due).text()
    assert "三山学校" not in text and "某县水利局" not in text
    assert "应报送数据的1个单位中，1个单位全年未报送数据：二中。" in text
    listed = pd.DataFrame({"unit": ["某研究所", "二中", "三小"], "members": pd.array([46, 40, None], dtype="Int64"),
                           "due": [True, False, True]})
    due = due_units(data, listed, year, None)
    assert due == ["三小", "某研究所"]
    text = write_summary(figures(data, year), "某区教育工会", due).text()
    assert "应报送数据的2个单位中，1个单位全年未报送数据：三小。" in text and "二中" not in text
    assert "（一）" not in text, "a single part stands under its heading"
