"""`ui.show`: its pure helpers, and the KPI cards, tables, charts and notices it draws, run by AppTest on
figures computed from real rows. Every expected text is worked out here, from the rows, by the small
formatters below (half up, as people round), never by show's own helpers."""

import datetime as dt
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import builders
import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest
from workbooks import workbook_bytes

from unionstats.contract.periods import parse_period
from unionstats.exports import plotting
from unionstats.figures import engine as stats
from unionstats.kinds import donations as donations_kind
from unionstats.kinds import events as events_kind
from unionstats.kinds import visits as visits_kind
from unionstats.store.access import ADMIN, VIEWER, Actor
from unionstats.store.batches import Store, current_user
from unionstats.store.sample import SAMPLE_USER
from unionstats.ui import show
from unionstats.ui.view import View

JG = "机关工会"
MEMBERS = {JG: 20}
AGAINST = {"previous": "上季度", "year_ago": "去年同期"}  # the views below are quarters

# (date, participants, yuan) of 机关工会's activities: 2023Q2 (a year before), 2024Q1 (the quarter before), 2024Q2.
EVENTS = {
    "2023Q2": [("2023-04-03", 16, "2000"), ("2023-05-04", 16, "2000"), ("2023-06-05", 16, "2000"),
               ("2023-06-30", 16, "2000")],
    "2024Q1": [("2024-01-10", 20, "100.6"), ("2024-02-11", 18, "200"), ("2024-03-31", 17, "300")],
    "2024Q2": [("2024-04-01", 12, "5000"), ("2024-05-01", 10, "4000"), ("2024-06-01", 9, "3000"),
               ("2024-06-30", 9, "1000.4")],
}
# (date, 人次, yuan) of 慰问: none in 2024Q1.
VISITS = {"2023Q2": [("2023-05-20", 2, "1000")], "2024Q1": [],
          "2024Q2": [("2024-04-15", 1, "500"), ("2024-06-15", 3, "0.36")]}
NEIGHBOURS = {"2024Q2": {"previous": "2024Q1", "year_ago": "2023Q2"}}


# The test's own formatters: exact values in, the texts a card should show out.

def rounded(value: Fraction, places: int) -> Decimal:
    """Half up (四舍五入), away from zero for negatives, as Decimal's ROUND_HALF_UP does."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(amount: Fraction) -> str:
    if abs(amount) >= 10_000:
        return f"{plain(rounded(amount / 10_000, 2))}万元"
    return f"{plain(rounded(amount, 2))}元"


def pct(ratio: Fraction) -> str:
    return f"{plain(rounded(ratio * 100, 1))}%"


def money_change(amount: Fraction, beside: Fraction) -> str:
    """A change in the unit of the money beside it: 万元 to two decimals from 10,000 up (<0.01万元 for less than
    shows), else 元 in whole yuan from 100, to the fen below."""
    if abs(beside) >= 10_000:
        wan = plain(rounded(amount / 10_000, 2))
        return "<0.01万元" if wan == "0" else f"{wan}万元"
    return f"{plain(rounded(amount, 0 if amount >= 100 else 2))}元"


def change(now: Fraction, before: Fraction | None, against: str, in_yuan: bool = False) -> str | None:
    if before is None:
        return None
    moved = now - before
    if moved == 0:
        return f"与{against}持平"
    amount = money_change(abs(moved), now) if in_yuan else plain(rounded(abs(moved), 2))
    ratio = f"（{pct(moved / before)}）" if before else ""
    return f"{'+' if moved > 0 else '-'}{amount}{ratio} 较{against}"


def points(now: Fraction, before: Fraction | None, against: str) -> str | None:
    if before is None:
        return None
    moved = rounded((now - before) * 100, 1)
    if not moved:
        return f"与{against}持平"
    return f"{'+' if moved > 0 else '-'}{plain(abs(moved))}个百分点 较{against}"


def test_the_test_formatters_follow_the_wording_rules():
    assert change(Fraction(35), Fraction(31), "上季度") == "+4（12.9%） 较上季度"
    assert change(Fraction(27), Fraction(30), "去年同期") == "-3（-10%） 较去年同期"
    assert change(Fraction(8), Fraction(8), "上季度") == "与上季度持平"
    assert change(Fraction(9800), Fraction(25800), "上季度", True) == "-16000元（-62%） 较上季度"
    assert change(Fraction("13000.4"), Fraction(8000), "上季度", True) == "+0.5万元（62.5%） 较上季度"
    assert change(Fraction(320), Fraction(0), "上季度") == "+320 较上季度"
    assert points(Fraction(1, 4), Fraction(1, 5), "去年同期") == "+5个百分点 较去年同期"
    assert points(Fraction(7, 16), Fraction(1, 8), "上季度") == "+31.3个百分点 较上季度"  # 31.25 rounds up


# Figures from the rows above, the way a clerk would add them up.

def figures_of(quarter: str | None, members: dict | None = MEMBERS) -> dict[str, Fraction | None]:
    if quarter is None:
        return dict.fromkeys(("count", "participants", "spending", "rate", "per_member", "per_participant",
                              "visits", "visit_amount", "cash"))
    events, visits = EVENTS[quarter], VISITS[quarter]
    count, people = len(events), sum(p for _, p, _ in events)
    spending = sum(Fraction(y) for *_, y in events)
    size = sum(members.values()) if members else None
    return {"count": Fraction(count), "participants": Fraction(people), "spending": spending,
            "rate": Fraction(people, count * size) if size else None,
            "per_member": spending / size if size else None,
            "per_participant": spending / people,
            "visits": Fraction(sum(n for _, n, _ in visits)), "visit_amount": sum(Fraction(y) for *_, y in visits),
            "cash": Fraction(0)}


CARDS = [  # (card, figure, kind): kind "yuan", "%" or the unit written after a count
    (events_kind.COUNT, "count", "次"), (events_kind.PARTICIPANTS, "participants", "人次"), (events_kind.RATE, "rate", "%"),
    (events_kind.SPENDING, "spending", "yuan"), (events_kind.PER_MEMBER, "per_member", "yuan"),
    (events_kind.PER_PARTICIPANT, "per_participant", "yuan"), (visits_kind.COUNT, "visits", "人次"),
    (visits_kind.AMOUNT, "visit_amount", "yuan"), (donations_kind.CASH, "cash", "yuan"),
]


def expected_card(now, before, kind: str, against: str) -> tuple[str, str | None]:
    if now is None:
        return "未知", None
    if kind == "%":
        return pct(now), points(now, before, against)
    if kind == "yuan":
        return money(now), change(now, before, against, in_yuan=True)
    return f"{plain(rounded(now, 2))}{kind}", change(now, before, against)


def event_records(*quarters: str, unit: str = JG) -> list[dict]:
    return [dict(date=day, name=f"活动{day}", category="文体活动", participants=people, spending=float(yuan), unit=unit)
            for q in quarters for day, people, yuan in EVENTS[q]]


def visit_records(*quarters: str) -> list[dict]:
    return [dict(date=day, reason="生病住院", count=n, amount=float(yuan), unit=JG)
            for q in quarters for day, n, yuan in VISITS[q]]


def view_of(period: str | None, comparison: str = "previous", quarters=tuple(EVENTS), members=MEMBERS,
            units=None, presenting=False, sample=False, store=None, data=None, actor=None) -> View:
    data = data or builders.dataset(events=event_records(*quarters), visits=visit_records(*quarters),
                                    members=members)
    chosen = parse_period(period) if period else None
    view = View(store, data, chosen, units, stats.figures(data, chosen, units), comparison, presenting, sample)
    if actor is not None:
        view.actor = actor
    return view


def draw_cards(view, rows):
    from unionstats.ui import show

    for row in rows:
        show.cards(view, row)


def shown(at: AppTest) -> dict[str, tuple]:
    """label: (value, delta or None, colour, direction, help) of every card."""
    return {m.label: (m.value, m.delta or None, MetricProto.MetricColor.Name(m.proto.color),
                      MetricProto.MetricDirection.Name(m.proto.direction), m.proto.help) for m in at.metric}


def run(script, *args) -> AppTest:
    at = AppTest.from_function(script, args=args, default_timeout=30).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def colour_of(delta: str | None) -> tuple[str, ...]:
    """A rise green with an up arrow, a fall red with a down arrow; no change grey without an arrow;
    nothing to compare: grey."""
    if delta is None:
        return ("GRAY",)
    if delta.startswith("与"):
        return ("GRAY", "NONE")
    return ("GREEN", "UP") if delta.startswith("+") else ("RED", "DOWN")


@pytest.mark.parametrize("comparison", list(AGAINST))
def test_every_card_shows_its_figure_and_its_change(comparison):
    view = view_of("2024Q2", comparison)
    now, before = figures_of("2024Q2"), figures_of(NEIGHBOURS["2024Q2"][comparison])
    rows = [[card for card, *_ in CARDS[:4]], [card for card, *_ in CARDS[4:]]]
    at = run(draw_cards, view, rows)
    cards = shown(at)
    assert list(cards) == [card.label for card, *_ in CARDS]
    for card, key, kind in CARDS:
        value, delta = expected_card(now[key], before[key], kind, AGAINST[comparison])
        got_value, got_delta, colour, direction, _ = cards[card.label]
        assert (got_value, got_delta) == (value, delta), card.label
        assert (colour, direction)[:len(colour_of(delta))] == colour_of(delta), (card.label, delta)
    assert all(m.proto.show_border for m in at.metric)


def test_the_cases_above_rise_fall_and_stay_flat():
    """The card test means something only if its figures move every way."""
    for comparison, against in AGAINST.items():
        now, before = figures_of("2024Q2"), figures_of(NEIGHBOURS["2024Q2"][comparison])
        deltas = [expected_card(now[k], before[k], kind, against)[1] for _, k, kind in CARDS]
        assert {d[0] for d in deltas} == {"+", "-", "与"}, deltas
    assert expected_card(figures_of("2024Q2")["count"], figures_of("2023Q2")["count"], "次", "去年同期") == (
        "4次", "与去年同期持平")


def test_cards_stand_side_by_side_one_column_each():
    row = [events_kind.COUNT, events_kind.SPENDING, events_kind.RATE]
    at = run(draw_cards, view_of("2024Q2"), [row])
    assert [c.proto.weight for c in at.columns] == pytest.approx([1 / 3] * 3)
    assert [[m.label for m in column.metric] for column in at.columns] == [[card.label] for card in row]


def test_a_rate_without_members_is_unknown_and_says_where_to_fill_them_in():
    at = run(draw_cards, view_of("2024Q2", members=None), [[events_kind.RATE, events_kind.PER_MEMBER, events_kind.COUNT]])
    cards = shown(at)
    hint = "需要在「单位信息」表或单位名录中填写会员人数"
    assert cards[events_kind.RATE.label][:4] == ("未知", None, "GRAY", cards[events_kind.RATE.label][3])
    assert cards[events_kind.RATE.label][4].startswith("参与人次 ÷（活动次数 × 会员人数）") and hint in cards[events_kind.RATE.label][4]
    assert cards[events_kind.PER_MEMBER.label][:2] == ("未知", None) and hint in cards[events_kind.PER_MEMBER.label][4]
    assert cards[events_kind.COUNT.label][:2] == ("4次", "+1（33.3%） 较上季度")
    assert cards[events_kind.COUNT.label][4].startswith("活动表的行数"), "every card says where its figure comes from"


def test_with_nothing_to_compare_a_card_shows_no_change():
    # 2024Q1's 上期 (2023Q4) and 去年同期 (2023Q1) hold no rows.
    for comparison in AGAINST:
        at = run(draw_cards, view_of("2024Q1", comparison), [[events_kind.COUNT, events_kind.RATE, events_kind.SPENDING]])
        now = figures_of("2024Q1")
        assert {label: card[:3] for label, card in shown(at).items()} == {
            events_kind.COUNT.label: ("3次", None, "GRAY"), events_kind.RATE.label: (pct(now["rate"]), None, "GRAY"),
            events_kind.SPENDING.label: (money(now["spending"]), None, "GRAY")}


def test_a_rate_card_moves_in_percentage_points():
    now, before = Fraction(40, 80), Fraction(55, 60)  # 2024Q2: 40 of 4 x 20; 2024Q1: 55 of 3 x 20
    assert figures_of("2024Q2")["rate"] == now and figures_of("2024Q1")["rate"] == before
    at = run(draw_cards, view_of("2024Q2"), [[events_kind.RATE]])
    assert shown(at)[events_kind.RATE.label][:4] == ("50%", "-41.7个百分点 较上季度", "RED", "DOWN")



def one_activity_view(people: int, yuan: str, members: int) -> View:
    data = builders.dataset(events=[dict(date="2024-04-01", name="读书会", category="学习培训", participants=people,
                                         spending=float(yuan), unit=JG)], members={JG: members})
    return view_of("2024Q2", data=data)


def test_a_rate_card_rounds_the_exact_rate_once():
    at = run(draw_cards, one_activity_view(10, "0", 81), [[events_kind.RATE]])
    assert pct(Fraction(10, 81)) == "12.3%"
    assert shown(at)[events_kind.RATE.label][0] == pct(Fraction(10, 81))


def test_a_per_member_card_rounds_half_up():
    at = run(draw_cards, one_activity_view(10, "600.5", 20), [[events_kind.PER_MEMBER]])
    assert money(Fraction("600.5") / 20) == "30.03元"
    assert shown(at)[events_kind.PER_MEMBER.label][0] == money(Fraction("600.5") / 20)

# The helpers, called directly.

SIMPLE = {c: view_of("2024Q2", c) for c in AGAINST}


def ascii_id(value) -> str:
    return value if isinstance(value, str) and value.isascii() else "text" if isinstance(value, str) else str(value)


@pytest.mark.parametrize("now, before, comparison, in_yuan, text", [
    ("35", "31", "previous", False, "+4（12.9%） 较上季度"),
    ("27", "30", "year_ago", False, "-3（-10%） 较去年同期"),
    ("8", "8", "previous", False, "与上季度持平"),
    ("8", "8", "year_ago", False, "与去年同期持平"),
    ("320", "0", "previous", False, "+320 较上季度"),
    ("0", "5", "previous", False, "-5（-100%） 较上季度"),
    ("2.5", "2", "previous", False, "+0.5（25%） 较上季度"),
    ("9800", "25800", "previous", True, "-16000元（-62%） 较上季度"),  # beside 9800元: in 元
    ("27057.3", "24949.8", "year_ago", True, "+0.21万元（8.4%） 较去年同期"),  # beside 2.71万元: in 万元
    ("9540.3", "8673", "previous", True, "+867元（10%） 较上季度"),  # whole yuan from 100
    ("100000", "99999.5", "previous", True, "+<0.01万元（0%） 较上季度"),
    ("0.3", "0.1", "previous", True, "+0.2元（200%） 较上季度"),
    ("35000", "10000", "year_ago", True, "+2.5万元（250%） 较去年同期"),
    ("10000", "20000", "previous", True, "-1万元（-50%） 较上季度"),
], ids=ascii_id)
def test_delta_text_writes_the_change_and_its_ratio(now, before, comparison, in_yuan, text):
    assert change(Fraction(now), Fraction(before), AGAINST[comparison], in_yuan) == text  # the rule, by hand
    assert show.delta_text(float(now), float(before), SIMPLE[comparison], money=in_yuan) == text


def test_float_noise_below_a_fen_is_no_change():
    assert 0.1 + 0.2 != 0.3
    assert show.delta_text(0.1 + 0.2, 0.3, SIMPLE["previous"], money=True) == "与上季度持平"
    assert show.delta_text(0.3, 0.1 + 0.2, SIMPLE["year_ago"]) == "与去年同期持平"


@pytest.mark.parametrize("now, before", [(None, 3), (3, None), (None, None)])
def test_delta_text_is_none_when_a_figure_is_unknown(now, before):
    assert show.delta_text(now, before, SIMPLE["previous"]) is None


@pytest.mark.parametrize("now, before, comparison, text", [
    ((1, 4), (1, 5), "year_ago", "+5个百分点 较去年同期"),
    ((1, 5), (1, 4), "previous", "-5个百分点 较上季度"),
    ((3, 10), (3, 10), "previous", "与上季度持平"),
    ((3, 10), (3, 10), "year_ago", "与去年同期持平"),
    ((3141, 10000), (3, 10), "previous", "+1.4个百分点 较上季度"),
    ((123, 1000), (1, 10), "year_ago", "+2.3个百分点 较去年同期"),
    ((3, 10), (3004, 10000), "previous", "与上季度持平"),  # -0.04 points is no change, not "-0个百分点"
    ((1, 2), (1, 100), "previous", "+49个百分点 较上季度"),
], ids=ascii_id)
def test_points_text_writes_a_rate_change_in_percentage_points(now, before, comparison, text):
    now, before = Fraction(*now), Fraction(*before)
    assert points(now, before, AGAINST[comparison]) == text
    assert show.points_text(float(now), float(before), SIMPLE[comparison]) == text


def test_points_text_is_none_without_an_earlier_rate():
    assert show.points_text(0.5, None, SIMPLE["previous"]) is None


def test_a_half_point_change_rounds_up_like_every_other_figure():
    # 8 members: 7 took part in 2 activities (7/16 = 43.75%, shown 43.8%); before, 1 in 1 (12.5%).
    now, before = Fraction(7, 16), Fraction(1, 8)
    assert (pct(now), pct(before)) == ("43.8%", "12.5%")  # the cards' own figures differ by 31.3 points
    assert show.points_text(float(now), float(before), SIMPLE["previous"]) == points(now, before, "上季度")


def test_literal_escapes_every_ascii_punctuation_character_and_nothing_else():
    """CommonMark lets a backslash escape any ASCII punctuation; Streamlit's `:material/...:` needs the slash."""
    punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    assert len(punctuation) == 32
    for ch in punctuation:
        assert show.literal(f"a{ch}b").replace("\u2060", "") == f"a\\{ch}b", ch
    plain_text = "机关工会（一分会）2024年 第1季度：「春游」、。！？\u3000ａ１"
    assert show.literal(plain_text) == plain_text
    assert show.literal("2024_Q1*[草稿](终).xlsx") == r"2024\_Q1\*\[草稿\]\(终\)\.xlsx"
    assert show.literal(":material/home: &lt;") == r"\:material\/home\: \&lt\;"
    assert show.literal(2024.5) == r"2024\.5"
    assert show.literal("") == ""


@pytest.mark.parametrize("typed", ["http://evil.example/登录", "HTTPS://evil.example", "ftp://x.example",
                                   "www.evil.example", "书记 li@evil.example"])
def test_literal_leaves_no_bare_link_for_markdown_to_find_and_shows_the_text_as_typed(typed):
    """GFM finds bare links in the parsed text, after the escapes are gone; a word joiner breaks each pattern."""
    shown = show.literal(typed)
    unescaped = re.sub(r"\\(.)", r"\1", shown)
    assert unescaped.replace("\u2060", "") == typed
    assert not re.search(r"(?i)(https?|ftp)://|www\.|@[-\w]", unescaped)


@pytest.mark.parametrize("title, filename", [
    ("2024年第二季度 各类活动参与人次", "2024年第二季度 各类活动参与人次"),
    ('活动/参与:人次*?"<>|\\', "活动参与人次"),
    ("  经费 ", "经费"),
    ('/:*?"<>|', "chart"),
    ("", "chart"),
    ("工会&协会 <春游>", "工会&协会 春游"),  # the description's title, as it reads: no escapes in the name
], ids=["plain", "forbidden", "spaces", "only-forbidden", "empty", "markup"])
def test_chart_config_saves_a_3x_png_named_after_the_title(title, filename):
    config = show.chart_config(title)
    assert config["toImageButtonOptions"] == {"format": "png", "filename": filename, "scale": 3}
    assert config["modeBarButtons"] == [["toImage"]] and config["displaylogo"] is False


def test_chart_config_gives_plotly_its_chinese_locale_for_every_button_kept():
    config = show.chart_config("经费")
    locale = config["locales"][config["locale"]]
    for button in ("Download plot as a png", "Download plot as a PNG"):
        assert re.search("[\u4e00-\u9fff]", locale["dictionary"][button])
    assert locale["format"]["months"][0] == "1月"


# Tables, notices and chart grids.

def draw_table(frame, caption):
    from unionstats.ui import show

    show.table(frame, caption)


def test_a_table_has_its_caption_and_no_index():
    by_category = figures_of("2024Q2")
    result = view_of("2024Q2").result.events
    frame = pd.DataFrame([(k, g.count, g.participants) for k, g in result.by_category.items() if g.count],
                         columns=["类别", "次数", "参与人次"])
    assert frame.values.tolist() == [["文体活动", 4, int(by_category["participants"])]]
    at = run(draw_table, frame, "表：2024年第二季度各类活动")
    assert [c.value for c in at.caption] == ["表：2024年第二季度各类活动"]
    [table] = at.dataframe
    assert table.value.values.tolist() == frame.values.tolist() and list(table.value.columns) == list(frame.columns)
    assert json.loads(table.proto.columns)["_index"]["hidden"] is True


def draw_notice(view):
    import streamlit as st

    from unionstats.ui import show

    st.text(f"returned {show.no_period_notice(view)}")


def test_no_period_notice_sends_an_empty_store_to_the_upload_page():
    at = run(draw_notice, view_of(None, data=builders.dataset()))
    assert [w.value for w in at.warning] == ["还没有任何数据。请到「数据管理」页面上传工作簿。"]
    assert [t.value for t in at.text] == ["returned True"] and not at.caption


@pytest.mark.parametrize("units, scope", [
    (None, JG),
    (["一分会(筹)"], r"一分会\(筹\)"),
    (["一分会", "二分会", "三分会", "四分会"], "一分会、二分会、三分会等"),
], ids=["all", "escaped", "four"])
def test_no_period_notice_names_the_period_and_the_units(units, scope):
    data = builders.dataset(events=event_records("2024Q2") + [
        *(dict(date="2024-05-05", name="分会活动", category="文体活动", participants=3, spending=0.0, unit=u)
          for u in (units or []))], members=MEMBERS)
    at = run(draw_notice, view_of("2024Q2", units=units, data=data))
    assert [c.value for c in at.caption] == [f"统计期：2024年第二季度\u3000范围：{scope}"]
    assert [t.value for t in at.text] == ["returned False"] and not at.warning


def titled(title: str, calls: list):
    def build(result, scope):
        from unionstats.charts.chart import bar_chart

        calls.append((title, result, scope))
        return bar_chart(title, [title], [1], "个", empty="", help="")
    return build


def draw_grid(view, builders, columns):
    from unionstats.ui import show

    if columns is None:
        show.chart_grid(view, builders)
    else:
        show.chart_grid(view, builders, columns)


def grid(at: AppTest) -> list[list[str]]:
    """The chart titles, row by row and column by column ('' for an empty column), in the grid's container."""
    rows = []
    [container] = at.main.children.values()
    for block in container.children.values():
        row = []
        for column in block.children.values():
            charts_in = [json.loads(e.proto.spec)["layout"]["title"]["text"] for e in column.children.values()]
            row.append(charts_in[0] if charts_in else "")
        rows.append(row)
    return rows


@pytest.mark.parametrize("presenting, columns, layout", [
    (False, None, [["一", "二"], ["三", ""]]),
    (False, 3, [["一", "二", "三"]]),
    (True, None, [["一"], ["二"], ["三"]]),
], ids=["two-a-row", "three-a-row", "presenting"])
def test_charts_stand_side_by_side_or_one_a_row_when_presenting(presenting, columns, layout):
    view, calls = view_of("2024Q2", presenting=presenting), []
    at = run(draw_grid, view, [titled(t, calls) for t in ("一", "二", "三")], columns)
    assert grid(at) == layout
    assert [c.proto.weight for c in at.columns] == pytest.approx([1 / len(layout[0])] * sum(map(len, layout)))
    assert [(t, r is view.result, s) for t, r, s in calls] == [(t, True, JG) for t in ("一", "二", "三")]
    sizes = {json.loads(chart.proto.spec)["layout"]["height"] for chart in at.get("plotly_chart")}
    assert sizes == {plotting.PRESENTING_HEIGHT if presenting else 400}  # 演示模式 draws them large
    for chart in at.get("plotly_chart"):
        title = json.loads(chart.proto.spec)["layout"]["title"]["text"]
        assert json.loads(chart.proto.config)["toImageButtonOptions"] == {
            "format": "png", "filename": title, "scale": 3}
        assert chart.proto.theme == ""  # theme=None: the chart's own colours, not Streamlit's


def test_a_real_chart_is_saved_under_its_title():
    view = view_of("2024Q2")
    at = run(draw_grid, view, [events_kind.participation_by_category], None)
    [chart] = at.get("plotly_chart")
    title = json.loads(chart.proto.spec)["layout"]["title"]["text"]
    assert "2024年第二季度" in title
    expected = "".join(c for c in plotting.plain_title(title) if c not in '\\/:*?"<>|').strip()
    assert "<br>" in title and "br" not in expected
    assert json.loads(chart.proto.config)["toImageButtonOptions"]["filename"] == expected


# The sample notice and its button, on a real store.

def draw_sample(view):
    from unionstats.ui import notices

    notices.notices(view)


def quarter_book(month: int, people: int) -> bytes:
    rows = [["日期", "活动名称", "类别", "参与人次", "支出", "单位"],
            [dt.date(2024, month, 2), f"{month}月活动", "文体活动", people, 100, JG]]
    return workbook_bytes({"活动": rows})


@pytest.fixture
def sample_store(tmp_path):
    """Two sample batches, and a real one deleted before them (the sample counts only while nothing else does)."""
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    assert store.import_bytes(quarter_book(4, 7), "二季度.xlsx", user="张科长").ok
    store.delete(1)
    assert store.import_bytes(quarter_book(1, 5), "示例.xlsx", user=SAMPLE_USER).ok
    assert store.import_bytes(quarter_book(7, 9), "示例三季度.xlsx", user=SAMPLE_USER).ok
    return store


def test_the_sample_notice_deletes_only_the_sample_batches(sample_store):
    view = view_of("2024", data=sample_store.dataset(), store=sample_store, sample=True,
                   actor=Actor("张科长", ADMIN))
    at = run(draw_sample, view)
    [notice] = at.expander
    assert notice.label.startswith("ℹ️ 当前显示示例数据")
    assert [m.value for m in notice.markdown] == [
        "当前显示的是示例数据（虚构的“江城市农业科学研究所工会”）。导入本单位的第一个工作簿时，示例数据会自动移出统计"
        "（保留在批次历史中），不会与本单位的数据混在一起。"]
    assert [c.proto.weight for c in at.columns] == pytest.approx([5 / 6, 1 / 6])
    assert [b.label for b in at.columns[1].button] == ["删除示例数据"]
    at.button(key="drop_sample").click().run()
    assert not at.exception, [e.message for e in at.exception]
    batches = sample_store.batches()
    assert dict(zip(batches["file_name"], batches["state"])) == {
        "示例.xlsx": "deleted", "二季度.xlsx": "deleted", "示例三季度.xlsx": "deleted"}
    assert sample_store.dataset().row_count == 0
    deletes = sample_store.audit_trail(view.actor, action="delete")
    assert list(zip(deletes["actor"], deletes["file_name"])) == [
        ("张科长", "示例三季度.xlsx"), ("张科长", "示例.xlsx"), (current_user(), "二季度.xlsx")]  # (deleted before)


def test_the_sample_notice_offers_no_delete_to_a_viewer(sample_store):
    view = view_of("2024", data=sample_store.dataset(), store=sample_store, sample=True, actor=Actor("李", VIEWER))
    at = run(draw_sample, view)
    assert "示例数据" in at.expander[0].label and not at.button


@pytest.mark.parametrize("sample, presenting", [(False, False), (True, True)], ids=["no-sample", "presenting"])
def test_no_sample_notice_without_sample_data_or_while_presenting(sample_store, sample, presenting):
    view = view_of("2024", data=sample_store.dataset(), store=sample_store, sample=sample, presenting=presenting)
    at = run(draw_sample, view)
    assert not [e for e in at.expander if "示例数据" in e.label] and not at.button and not at.columns
    assert sample_store.batches()["state"].tolist() == ["deleted", "active", "active"]


# What the cards show when called with their defaults, when unknown or flat, and chart file names.

def draw_plain_metric(view):
    from unionstats.contract.registry import Card
    from unionstats.ui import show

    show.metric(view, Card("活动", lambda f: f.events.count))


def test_a_metric_by_default_is_a_plain_count_without_a_unit():
    now, before = figures_of("2024Q2")["count"], figures_of("2024Q1")["count"]
    at = run(draw_plain_metric, view_of("2024Q2"))
    assert (now, before) == (4, 3)
    assert shown(at)["活动"][:4] == ("4", change(now, before, "上季度"), "GREEN", "UP")
    assert shown(at)["活动"][1] == "+1（33.3%） 较上季度"


def test_an_unknown_card_has_a_border_and_no_delta_like_the_others():
    at = run(draw_cards, view_of("2024Q2", members=None), [[events_kind.RATE, events_kind.PER_MEMBER, events_kind.COUNT]])
    assert [m.value for m in at.metric] == ["未知", "未知", "4次"]
    assert all(m.proto.show_border for m in at.metric)
    assert [m.delta or None for m in at.metric][:2] == [None, None]


def test_a_flat_card_is_grey_and_has_no_arrow():
    # 2024Q2 and 2023Q2 both hold 4 activities; the spending moved.
    assert figures_of("2024Q2")["count"] == figures_of("2023Q2")["count"] == 4
    at = run(draw_cards, view_of("2024Q2", "year_ago"), [[events_kind.COUNT, events_kind.SPENDING]])
    cards = shown(at)
    assert cards[events_kind.COUNT.label][:4] == ("4次", "与去年同期持平", "GRAY", "NONE")
    spending = figures_of("2024Q2")["spending"], figures_of("2023Q2")["spending"]
    assert spending == (Fraction("13000.4"), Fraction(8000))
    assert cards[events_kind.SPENDING.label][:4] == (
        "1.3万元", "+0.5万元（62.5%） 较去年同期", "GREEN", "UP")  # one unit: not +5000.4元 beside 1.3万元


def test_delta_text_writes_a_plain_number_unless_asked_for_yuan():
    assert show.delta_text(35.0, 31.0, SIMPLE["previous"]) == "+4（12.9%） 较上季度"
    assert show.delta_text(35.0, 31.0, SIMPLE["previous"], money=True) == "+4元（12.9%） 较上季度"


def test_chart_config_keeps_letters_and_drops_only_forbidden_characters():
    assert show.chart_config("XLSX 导出:X")["toImageButtonOptions"]["filename"] == "XLSX 导出X"


# Like for like: a unit that reported in one of the two periods only.

def draw_scope_and_cards(view):
    from unionstats.kinds import events, visits
    from unionstats.ui import show

    show.no_period_notice(view)
    show.cards(view, [events.PARTICIPANTS, visits.COUNT])


def test_the_scope_line_and_the_cards_compare_like_for_like():
    """A second unit, 一分会, reported in 2024Q1 and not in 2024Q2: the change is 机关工会's own, and the scope line
    says who is left out."""
    q1_branch = [{"date": "2024-02-01", "name": "拔河", "category": "文体活动", "participants": 25,
                  "spending": 0.0, "unit": "一分会"}]
    data = builders.dataset(events=event_records(*EVENTS) + q1_branch, visits=visit_records(*EVENTS), members=MEMBERS)
    at = run(draw_scope_and_cards, view_of("2024Q2", data=data))
    assert "不含一分会（上季度报送、本期未报送）" in at.caption[0].value
    now = sum(p for _, p, _ in EVENTS["2024Q2"])
    before = sum(p for _, p, _ in EVENTS["2024Q1"])  # 机关工会's own, without 一分会's 25
    assert shown(at)[events_kind.PARTICIPANTS.label][1] == change(Fraction(now), Fraction(before), "上季度")
    assert shown(at)[events_kind.PARTICIPANTS.label][4].startswith(events_kind.PARTICIPANTS.help)


def run_table(frame: pd.DataFrame) -> AppTest:
    def page(frame):
        from unionstats.ui import show

        show.table(frame, "明细")

    app = AppTest.from_function(page, kwargs={"frame": frame})
    return app.run(timeout=60)


def test_a_table_past_pandas_stylers_cell_limit_is_shown_whole_with_its_numbers():
    rows = pd.get_option("styler.render.max_elements") // 4 + 1  # four columns: one cell past a Styler's limit
    frame = pd.DataFrame({"单位": [f"单位{i % 200}" for i in range(rows)], "活动": "活动", "参与人次": range(rows),
                          "支出（元）": [1234.5] * rows})
    app = run_table(frame)
    assert not app.exception
    shown = app.dataframe[0].value
    assert len(shown) == rows and shown["支出（元）"].iloc[-1] == 1234.5


def column_formats(element) -> dict[str, str]:
    """The number formats a table's column configuration gives the browser, by header."""
    columns = json.loads(element.proto.columns)
    return {name: c["type_config"]["format"] for name, c in columns.items() if "format" in c.get("type_config", {})}


def test_a_small_table_writes_its_money_grouped():
    app = run_table(pd.DataFrame({"单位": ["一中", "二中"], "支出（元）": [30400.0, 4698.7], "金额": [24100.0, 800.0],
                                  "参与人次": [12000, 3]}))
    assert not app.exception
    assert app.dataframe[0].value["支出（元）"].tolist() == [30400.0, 4698.7]  # numbers, sorted as numbers
    assert column_formats(app.dataframe[0]) == {"支出（元）": "%,.2f", "金额": "%,.0f"}  # 4,698.70; 24,100
