"""Every page rendered by AppTest with real data; figures checked against the sample file read by openpyxl."""

import ast
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest
from workbooks import workbook_bytes

from conftest import ROOT

PAGES = sorted((ROOT / "pages").glob("*.py"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("UNIONSTATS_DB", url)
    return url


def app(page: Path | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    if page is not None:
        at.switch_page(f"pages/{page.name}")
    return at.run()


def sample_rows(sheet: str, year: int, months: range = range(1, 13)) -> list[tuple]:
    book = openpyxl.load_workbook(ROOT / "data" / "sample.xlsx", read_only=True)
    return [r for r in book[sheet].iter_rows(min_row=2, values_only=True)
            if r[0] and r[0].year == year and r[0].month in months]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("page", [None, *PAGES], ids=lambda p: p.stem if p else "app")
def test_every_page_renders_the_sample_without_errors(store_url, page):
    at = app(page)
    assert not at.exception, [e.message for e in at.exception]
    expected = "总览" if page is None else page.stem.split("_", 1)[1]
    assert at.title[0].value == expected


def test_overview_shows_the_latest_year_of_the_sample(store_url):
    events, visits = sample_rows("活动", 2025), sample_rows("慰问", 2025)
    shown = metrics(app())
    assert shown["活动次数"] == f"{len(events)}次"
    assert shown["参与人次"] == f"{sum(r[3] for r in events)}人次"
    assert shown["慰问人次"] == f"{sum(r[4] for r in visits)}人次"
    assert any("示例数据" in i.value for i in app().info)


@pytest.mark.parametrize("period, months", [("Q2", range(4, 7)), ("H2", range(7, 13)), ("Q1", range(1, 4))])
def test_filters_from_the_url_choose_the_period(store_url, period, months):
    events = sample_rows("活动", 2024, months)
    shown = metrics(app(PAGES[0], year="2024", period=period))
    assert shown["活动次数"] == f"{len(events)}次"
    assert shown["参与人次"] == f"{sum(r[3] for r in events)}人次"


def test_a_month_filter(store_url):
    events = sample_rows("活动", 2024, range(5, 6))
    assert metrics(app(PAGES[0], year="2024", period="M", month="5"))["活动次数"] == f"{len(events)}次"


def test_the_activity_table_lists_the_period_without_names(store_url):
    at = app(PAGES[0], year="2025", period="Q3")
    [frame] = [d.value for d in at.dataframe]
    assert sorted(frame["活动名称"]) == sorted(r[1] for r in sample_rows("活动", 2025, range(7, 10)))


def test_visits_page_never_shows_a_name(store_url):
    names = {r[3] for r in sample_rows("慰问", 2024) if r[3]}
    at = app(PAGES[2], year="2024")
    shown = " ".join(str(d.value.to_dict()) for d in at.dataframe) + " ".join(t.value for t in at.text)
    assert names and not [n for n in names if n in shown]


def test_summary_page_offers_the_text_and_a_word_file(store_url):
    at = app(PAGES[5], year="2025", period="Q3")
    assert at.text_area[0].value.startswith("江城市农业科学研究所工会2025年第三季度工作总结")
    assert len(at.get("download_button")) == 2


def test_uploading_checking_and_importing_a_workbook(store_url):
    at = app(PAGES[6])
    data = workbook_bytes({"二季度活动": [["日期", "活动名称", "类别", "参与人次", "支出"],
                                     [dt.date(2030, 4, 3), "春季健步走", "文体活动", 60, 1800]],
                           "单位信息": [["单位名称", "城南小学工会"], ["会员人数", 64]]})
    at.file_uploader(key="upload").set_value(("城南小学.xlsx", data, XLSX)).run()
    assert any("检查通过" in s.value for s in at.success)
    [button] = [b for b in at.button if b.label == "导入"]
    button.click().run()
    assert not at.exception
    batches = at.dataframe[-1].value
    assert set(batches.loc[batches["文件"] == "城南小学.xlsx", "导入人"]) == {"网页上传"}
    shown = metrics(app(year="2030", period="Q2"))
    assert shown["活动次数"] == "1次" and shown["参与人次"] == "60人次"


def test_a_signed_in_user_is_recorded_as_the_importer(store_url):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.user = {"is_logged_in": True, "name": "李主席", "email": "li@example.com"}
    at.switch_page(f"pages/{PAGES[6].name}").run()
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2032, 4, 3), "春游", 30]]})
    at.file_uploader(key="upload").set_value(("春游.xlsx", data, XLSX)).run()
    [button] = [b for b in at.button if b.label == "导入"]
    button.click().run()
    batches = at.dataframe[-1].value
    assert set(batches.loc[batches["文件"] == "春游.xlsx", "导入人"]) == {"李主席"}


def test_a_bad_upload_is_reported_with_its_cell_and_cannot_be_imported(store_url):
    at = app(PAGES[6])
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], ["下周三", "春游", 30]]})
    at.file_uploader(key="upload").set_value(("坏文件.xlsx", data, XLSX)).run()
    assert any("未通过检查" in e.value for e in at.error)
    report = at.dataframe[0].value
    assert (report.loc[0, "行"], report.loc[0, "列"], report.loc[0, "单元格"]) == (2, "日期", "A2")
    [button] = [b for b in at.button if b.label == "导入"]
    assert button.disabled


def test_removing_the_sample_leaves_an_empty_app_that_says_what_to_do(store_url):
    at = app()
    [remove] = [b for b in at.button if b.label == "删除示例数据"]
    remove.click().run()
    at = app()
    assert any("还没有任何数据" in w.value for w in at.warning)


# The architecture: only unionstats/ui imports streamlit, and pages only lay out.

def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "unionstats").rglob("*.py")), ids=lambda p: p.name)
def test_only_the_ui_layer_imports_streamlit(path):
    if "ui" in path.relative_to(ROOT / "unionstats").parts:
        return
    assert "streamlit" not in imported_modules(path)


@pytest.mark.parametrize("path", [ROOT / "app.py", *PAGES], ids=lambda p: p.stem)
def test_pages_hold_no_computation(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert imported_modules(path) <= {"streamlit", "unionstats", "io"}
    computing = (ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp, ast.For, ast.While)
    assert not [type(n).__name__ for n in ast.walk(tree) if isinstance(n, computing)
                and not (isinstance(n, ast.For) and "files" in ast.unparse(n.iter))]
    arithmetic = [n for n in ast.walk(tree) if isinstance(n, ast.BinOp) and not isinstance(n.op, ast.Add)]
    assert not arithmetic


def test_filters_persist_when_switching_pages(store_url):
    at = app(year="2024", period="Q2")
    at.switch_page("pages/1_活动参与.py").run()
    events = sample_rows("活动", 2024, range(4, 7))
    assert metrics(at)["活动次数"] == f"{len(events)}次"
    assert at.query_params["period"] == ["Q2"] or at.query_params["period"] == "Q2"


def test_presenting_hides_the_controls_and_offers_a_way_back(store_url):
    at = app(present="1")
    assert [b.label for b in at.button if b.label == "退出演示模式"]
    assert not [b for b in at.button if b.label == "删除示例数据"]


def test_a_file_name_is_shown_as_typed(store_url):
    at = app(PAGES[6])
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2031, 4, 3), "春游", 30]]})
    at.file_uploader(key="upload").set_value(("**粗体**.xlsx", data, XLSX)).run()
    [button] = [b for b in at.button if b.label == "导入"]
    button.click().run()
    assert "**粗体**.xlsx" in [t.value for t in at.text]
    assert not [s for s in at.success if "**粗体**" in s.value]


def test_a_custom_range_from_the_url(store_url):
    events = [r for r in sample_rows("活动", 2024) if dt.date(2024, 3, 1) <= r[0].date() <= dt.date(2024, 5, 31)]
    at = app(PAGES[0], year="2024", period="R", **{"from": "2024-03-01", "to": "2024-05-31"})
    assert metrics(at)["活动次数"] == f"{len(events)}次"
    assert "2024年3月1日至5月31日" in at.caption[0].value


def test_a_unit_filter_keeps_only_that_unit(store_url):
    at = app(PAGES[6])
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次", "单位"],
                                   [dt.date(2025, 5, 3), "篮球赛", 40, "城南小学工会"]]})
    at.file_uploader(key="upload").set_value(("城南.xlsx", data, XLSX)).run()
    [button] = [b for b in at.button if b.label == "导入"]
    button.click().run()
    only = metrics(app(year="2025", unit="城南小学工会"))
    assert (only["活动次数"], only["参与人次"]) == ("1次", "40人次")
    both = metrics(app(year="2025"))
    assert both["活动次数"] == f"{len(sample_rows('活动', 2025)) + 1}次"


@pytest.mark.parametrize("page", [None, *PAGES], ids=lambda p: p.stem if p else "app")
def test_every_page_on_an_empty_store(store_url, page):
    from unionstats.store import Store

    store = Store(store_url)
    store.import_path(ROOT / "data" / "sample.xlsx")
    store.delete(1)
    at = app(page)
    assert not at.exception
    if page is None or page.stem[0] in "123456":
        assert any("还没有任何数据" in w.value for w in at.warning)
    else:
        assert [b.label for b in at.button if b.label == "恢复该批次"]
