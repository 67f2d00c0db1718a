"""预算 on the pages: its own page, its absence from the sidebar without a budget, and its cards on 总览.

The expected figures are computed here from the rows the test writes (test_budget.py has the same rows).
"""

import pytest
from streamlit.testing.v1 import AppTest
from test_budget import BUDGET_HEAD, BUDGETS, annual
from workbooks import write_workbook

from conftest import ROOT
from unionstats.store.batches import Store
from unionstats.ui import signin
from unionstats.writing.chinese import percent, yuan


@pytest.fixture
def page_store(tmp_path, monkeypatch):
    monkeypatch.setattr(signin, "client_address", lambda: "127.0.0.1")
    url = f"sqlite:///{tmp_path / 'pages.db'}"
    monkeypatch.setenv("UNIONSTATS_DB", url)
    return url


def page(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/8_预算执行.py")
    return at.run()


def test_the_page_shows_the_budget_against_spending(page_store, tmp_path):
    Store(page_store).import_path(write_workbook(tmp_path / "a.xlsx", annual()), user="张会计")
    at = page(year="2024", period="Q2")
    assert not at.exception
    cards = {m.label: m.value for m in at.metric}
    assert cards["全年预算"] == yuan(95000)
    assert cards["预算执行率"] == percent(36601 / 87000)
    [table] = [d.value for d in at.dataframe if "科目" in d.value.columns]
    assert list(table["科目"]) == ["文体活动", "节日活动", "生病住院", "困难帮扶", "业务支出"]
    assert dict(zip(table["科目"], table["进度"]))["困难帮扶"] == "超支"


def test_the_page_is_not_listed_and_says_why_without_a_budget(page_store, tmp_path):
    Store(page_store).import_path(write_workbook(tmp_path / "a.xlsx", annual(budgets=None)), user="张会计")
    at = page(year="2024", period="Q2")
    assert not at.exception
    assert not at.metric
    assert any("没有预算数据" in info.value for info in at.info)
    links = [link.proto.label for link in at.sidebar.get("page_link")]
    assert "预算执行" not in links and "总览" in links


def test_the_overview_shows_the_budget_cards_only_with_a_budget(page_store, tmp_path):
    store = Store(page_store)
    store.import_path(write_workbook(tmp_path / "a.xlsx", annual(budgets=None)), user="张会计")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["year"], at.query_params["period"] = "2024", "Q2"
    at.run()
    assert "预算执行率" not in {m.label for m in at.metric}
    store.import_path(write_workbook(tmp_path / "b.xlsx", {"预算": [BUDGET_HEAD, *BUDGETS]}), user="张会计")
    at.run()
    assert {"全年预算", "预算执行率"} <= {m.label for m in at.metric}
