"""A rerun with nothing changed builds nothing again; an import or a filter change still shows the new numbers.

Every click reruns the whole page, so what is built from the view's rows (figures, charts, tables, the sidebar's
lists) is kept per store revision or figures key (caches.py, show.py); these tests count the builders' calls and
check the numbers on the page against the sample's rows read here.
"""

import datetime as dt
import json

import pytest
import test_pages
from streamlit.testing.v1 import AppTest
from test_pages import PAGES, app, counting, plotted, sample_rows
from workbooks import workbook_bytes

from unionstats.exports import plotting
from unionstats.exports.plotting import plain_title
from unionstats.kinds import events as events_kind
from unionstats.store.batches import Store
from unionstats.ui import caches
from unionstats.writing import findings

# test_pages.py's fixtures: a store (with the sample, or the sample imported as the office's own), opened on loopback.
store_url, sample_as_data, seen_from_the_server = test_pages.store_url, test_pages.sample_as_data, \
    test_pages.seen_from_the_server

ACTIVITIES = PAGES[0]  # 活动参与: cards, charts and the rows' table
NEW_UNIT = "试验站工会"


def builders(monkeypatch) -> dict[str, list]:
    """Calls of what a page builds from the view's rows, by name, counted from now on."""
    counted = {"figures": (caches, "figures"), "view key": (caches, "figures_key"), "due units": (caches, "due_units"),
               "sidebar": (caches, "all_dates"), "organisation": (caches, "organisation_name"),
               "findings": (findings, "findings_table"), "charts": (plotting, "figure"), "table": (events_kind, "rows")}
    return {name: counting(monkeypatch, module, function) for name, (module, function) in counted.items()}


def participants_chart(at: AppTest) -> dict[str, int]:
    """The 各类活动参与人次 chart's bars: participants by category."""
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        if plain_title(spec["layout"]["title"]["text"]).endswith("各类活动参与人次"):
            [trace] = spec["data"]
            return dict(zip(plotted(trace["x"]), plotted(trace["y"]), strict=True))
    raise AssertionError("no 各类活动参与人次 chart")


def by_category(rows: list[tuple]) -> dict[str, int]:
    summed: dict[str, int] = {}
    for row in rows:
        summed[row[2]] = summed.get(row[2], 0) + row[3]
    return summed


def shown(at: AppTest) -> tuple[str, int, dict[str, int]]:
    """What 活动参与 shows of the period: the 参与人次 card, the table's rows, the chart's bars."""
    assert not at.exception, [e.message for e in at.exception]
    [table] = [d.value for d in at.dataframe]
    cards = {m.label: m.value for m in at.metric}
    assert int(table["参与人次"].sum()) == sum(participants_chart(at).values())
    return cards["参与人次"], len(table), participants_chart(at)


def on_screen(at: AppTest) -> tuple:
    assert not at.exception, [e.message for e in at.exception]
    return ([m.value for m in at.metric], [d.value.to_csv() for d in at.dataframe],
            [element.proto.spec for element in at.get("plotly_chart")], [t.value for t in at.text])


@pytest.mark.parametrize("page", [None, ACTIVITIES, PAGES[5]], ids=["总览", "活动参与", "工作总结"])
def test_a_rerun_with_nothing_changed_builds_nothing_again(store_url, monkeypatch, page):
    at = app(page, year="2025", period="Q3")
    before = on_screen(at)
    calls = builders(monkeypatch)
    at.run()
    at.run()
    assert on_screen(at) == before
    assert {name: len(made) for name, made in calls.items()} == dict.fromkeys(calls, 0)


def test_after_an_import_the_same_session_shows_the_new_rows(sample_as_data):
    events = sample_rows("活动", 2025, range(7, 10))
    at = app(ACTIVITIES, year="2025", period="Q3")
    assert shown(at) == (f"{sum(r[3] for r in events)}人次", len(events), by_category(events))
    added = (dt.datetime(2025, 8, 20), "试验站职工运动会", "文体活动", 77, 900)
    data = workbook_bytes({"活动": [["日期", "活动名称", "类别", "参与人次", "支出"], list(added)],
                           "单位信息": [["单位名称", NEW_UNIT]]})
    assert Store(sample_as_data).import_bytes(data, "试验站.xlsx").status == "imported"  # (as another session would)
    at.run()
    after = [*events, added]
    assert shown(at) == (f"{sum(r[3] for r in after)}人次", len(after), by_category(after))


def test_a_filter_change_shows_the_other_period(store_url):
    at = app(ACTIVITIES, year="2025", period="Q3")
    at.run()
    next(s for s in at.selectbox if s.label == "统计期").set_value("第二季度").run()
    events = sample_rows("活动", 2025, range(4, 7))
    assert shown(at) == (f"{sum(r[3] for r in events)}人次", len(events), by_category(events))
    next(s for s in at.selectbox if s.label == "统计期").set_value("第三季度").run()
    events = sample_rows("活动", 2025, range(7, 10))
    assert shown(at) == (f"{sum(r[3] for r in events)}人次", len(events), by_category(events))


VISITS = ["日期", "事由", "对象", "人次", "金额", "单位"]
ILLNESS_CAP = 1000  # 安徽：会员生病住院，不超过1000元 (the rule book a new store starts with)


def over_cap(at: AppTest) -> list[float]:
    [table] = [d.value for d in at.dataframe if "超出（元）" in d.value.columns and "行" in d.value.columns]
    return sorted(table["超出（元）"].tolist())


def test_the_compliance_page_makes_its_tables_once_per_check_and_again_after_an_import(store_url, monkeypatch):
    store = Store(store_url)
    south = [[dt.date(2031, 5, 10), "生病住院", "欧阳晓岚", 1, 1500, "城南小学工会"],
             [dt.date(2031, 5, 12), "生病住院", "司马青松", 1, 1000, "城南小学工会"]]
    assert store.import_bytes(workbook_bytes({"慰问": [VISITS, *south]}), "城南.xlsx").status == "imported"
    at = app(PAGES[8], year="2031")
    assert over_cap(at) == [1500 - ILLNESS_CAP]
    made = counting(monkeypatch, findings, "findings_table")
    at.run()
    at.run()
    assert over_cap(at) == [1500 - ILLNESS_CAP] and made == []
    north = [[dt.date(2031, 6, 20), "生病住院", "诸葛明月", 2, 2600, "城北中学工会"]]  # 1300 each
    assert store.import_bytes(workbook_bytes({"慰问": [VISITS, *north]}), "城北.xlsx").status == "imported"
    at.run()
    assert over_cap(at) == [1300 - ILLNESS_CAP, 1500 - ILLNESS_CAP] and len(made) == 1
