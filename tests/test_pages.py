"""Every page rendered by AppTest with real data; figures checked against the sample file read by openpyxl."""

import ast
import base64
import datetime as dt
import functools
import html
import json
import re
import threading
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest
from workbooks import workbook_bytes

from conftest import ROOT
from unionstats.contract.periods import parse_period
from unionstats.exports.plotting import plain_title
from unionstats.store.access import ADMIN, operator
from unionstats.store.batches import Store
from unionstats.ui import show, signin

PAGES = sorted((ROOT / "pages").glob("*.py"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATION = {"单位信息": [["单位名称", "试验站工会"]]}  # the unit of a workbook a test uploads


@pytest.fixture(autouse=True)
def seen_from_the_server(monkeypatch):
    """Pages are opened from the server itself (单机模式 on loopback) unless a test says otherwise."""
    monkeypatch.setattr(signin, "client_address", lambda: "127.0.0.1")


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("UNIONSTATS_DB", url)
    return url


@pytest.fixture
def sample_as_data(store_url):
    """A store whose office imported the sample workbook as its own data: later imports count beside it."""
    assert Store(store_url).import_path(ROOT / "data" / "sample.xlsx", user="张会计").status == "imported"
    return store_url


def app(page: Path | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    if page is not None:
        at.switch_page(f"pages/{page.name}")
    return at.run()


def batch_list(at: AppTest):
    [batches] = [d.value for d in at.dataframe if {"批次", "文件", "跳过行数"} <= set(d.value.columns)]
    return batches


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
    assert sample_noticed(app())


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


def test_a_workbook_with_only_warnings_is_said_in_a_warning_box_and_each_message_is_whole(store_url):
    at = app(PAGES[6])
    data = workbook_bytes({"活动": [["日期", "活动名称", "类别", "参与人次", "支出"],  # (no unit named anywhere)
                                   [dt.date(2030, 4, 3), "春季健步走", "文体活动", 60, 1800]]})
    at.file_uploader(key="upload").set_value(("无单位.xlsx", data, XLSX)).run()
    assert not [s for s in at.success if "检查通过" in s.value]
    [said] = [w.value for w in at.warning if "检查通过" in w.value]
    assert "1 个警告" in said
    [issues] = [t.value for t in at.table if "说明" in t.value.columns]
    assert (issues.loc[0, "级别"], issues.loc[0, "工作表"], issues.loc[0, "行"]) == ("警告", "活动", "2")
    assert issues.loc[0, "说明"].replace("\\", "").endswith("否则导入时须另外填写单位名称")  # whole, not cut


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
    batches = batch_list(at)
    assert set(batches.loc[batches["文件"] == "城南小学.xlsx", "导入人"]) == {"本机"}
    shown = metrics(app(year="2030", period="Q2"))
    assert shown["活动次数"] == "1次" and shown["参与人次"] == "60人次"


def test_a_signed_in_user_is_recorded_as_the_importer(store_url):
    Store(store_url).accounts.add(operator("root"), "李主席", ADMIN, email="li@example.com")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}
    at.user = {"is_logged_in": True, "name": "李主席", "email": "li@example.com"}
    at.switch_page(f"pages/{PAGES[6].name}").run()
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2032, 4, 3), "春游", 30]], **STATION})
    at.file_uploader(key="upload").set_value(("春游.xlsx", data, XLSX)).run()
    [button] = [b for b in at.button if b.label == "导入"]
    button.click().run()
    batches = batch_list(at)
    assert set(batches.loc[batches["文件"] == "春游.xlsx", "导入人"]) == {"李主席"}


def test_a_bad_upload_is_reported_with_its_cell_and_cannot_be_imported(store_url):
    at = app(PAGES[6])
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], ["下周三", "春游", 30]]})
    at.file_uploader(key="upload").set_value(("坏文件.xlsx", data, XLSX)).run()
    assert any("未通过检查" in e.value for e in at.error)
    report = at.table[0].value  # (each cell escaped for st.table's Markdown)
    assert (report.loc[0, "行"], report.loc[0, "列"], report.loc[0, "单元格"]) == ("2", "日期", "A2")
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
    assert any("2024年3月1日至5月31日" in c.value for c in at.caption)


def test_a_unit_filter_keeps_only_that_unit(sample_as_data):
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
    from unionstats.store.batches import Store

    store = Store(store_url)
    store.import_path(ROOT / "data" / "sample.xlsx")
    store.delete(1)
    at = app(page)
    assert not at.exception
    if page is None or page.stem[0] != "7":
        assert any("还没有任何数据" in w.value for w in at.warning)
    else:
        assert [b.label for b in at.button if b.label == "恢复该批次"]


# Every number a page shows, against figures worked out here from the sample's rows (read by openpyxl).
# Nothing below imports unionstats' statistics or formatters: the expected strings are written from the rows
# by the small formatters that follow, so a wrong sum, a flipped sign or a changed wording on a page fails.

SAMPLE = ROOT / "data" / "sample.xlsx"
AGAINST = {"previous": "上期", "year_ago": "去年同期"}
FULL_YEAR = range(1, 13)


@functools.cache
def sheet(name: str) -> tuple[tuple, ...]:
    book = openpyxl.load_workbook(SAMPLE, read_only=True)
    return tuple(r for r in book[name].iter_rows(min_row=2, values_only=True) if r[0])


def rows_of(name: str, year: int, months: range) -> list[tuple]:
    return [r for r in sheet(name) if r[0].year == year and r[0].month in months]


def unit_info() -> dict[str, object]:
    return dict(sheet("单位信息"))


def dec(value) -> Decimal:
    """A money cell as an exact decimal (the digits typed in the workbook, not a float's binary value)."""
    return Decimal(str(value or 0))


def rounded(value: Decimal | Fraction, places: int) -> Decimal:
    """Rounded half up (四舍五入), the way a summary rounds."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def plain_text(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money_text(amount: Decimal) -> str:
    """Below 10,000 in 元 (to the fen, no trailing zeros); from 10,000 in 万元 to two decimals."""
    if abs(amount) >= 10_000:
        return f"{plain_text(rounded(amount / 10_000, 2))}万元"
    return f"{plain_text(rounded(amount, 2))}元"


def change_money_text(amount: Decimal, beside: Decimal) -> str:
    """A card's money change, in the unit of the money beside it: 万元 to two decimals from 10,000 up (a change
    that rounds to nothing there is <0.01万元), else 元 in whole yuan from 100, to the fen below."""
    if abs(beside) >= 10_000:
        wan = plain_text(rounded(amount / 10_000, 2))
        return "<0.01万元" if wan == "0" else f"{wan}万元"
    return f"{plain_text(rounded(amount, 0 if amount >= 100 else 2))}元"


def percent_text(ratio: Fraction | Decimal) -> str:
    return f"{plain_text(rounded(Decimal(ratio.numerator) / Decimal(ratio.denominator) * 100, 1))}%" \
        if isinstance(ratio, Fraction) else f"{plain_text(rounded(ratio * 100, 1))}%"


def figures_of(year: int, months: range) -> dict[str, object]:
    """Every KPI of a period from the rows: ints for counts, Decimal yuan to the fen, a Fraction for the rate."""
    events, visits = rows_of("活动", year, months), rows_of("慰问", year, months)
    donations, contests = rows_of("捐款", year, months), rows_of("比赛", year, months)
    members = int(unit_info()["会员人数"])
    participants = sum(r[3] for r in events)
    spending = sum((dec(r[4]) for r in events), Decimal(0))
    won = [r for r in contests if r[6] not in (None, "", "参与")]
    return {
        "events": len(events), "participants": participants,
        "rate": Fraction(participants, len(events) * members) if events else None,
        "spending": rounded(spending, 2),
        "per_member": rounded(spending / members, 2),
        "per_participant": rounded(spending / participants, 2) if participants else None,
        "visits": sum(r[4] for r in visits), "visit_amount": sum((dec(r[5]) for r in visits), Decimal(0)),
        "donations": len(donations), "cash": sum((dec(r[2]) for r in donations), Decimal(0)),
        "goods": sum(r[3] or 0 for r in donations),
        "entries": len(contests), "contests": len({r[1] for r in contests}), "awards": sum(r[7] or 1 for r in won),
        **budget_of(year, months[-1]),
    }


def budget_of(year: int, last_month: int) -> dict[str, object]:
    """The sample's budget of the year (one unit, every 科目 a detail line) and the money of its 科目 spent from
    January to the end of `last_month`; 其他 is 其他活动 or 其他慰问, and 业务支出 has no spending to count."""
    lines = {r[1]: dec(r[2]) for r in sheet("预算") if r[0] == year}
    events = [r for r in rows_of("活动", year, range(1, last_month + 1))
              if ("其他活动" if r[2] == "其他" else r[2]) in lines]
    visits = [r for r in rows_of("慰问", year, range(1, last_month + 1))
              if ("其他慰问" if r[1] == "其他" else r[1]) in lines]
    spent = sum((dec(r[4]) for r in events), Decimal(0)) + sum((dec(r[5]) for r in visits), Decimal(0))
    counted = sum((amount for name, amount in lines.items() if name != "业务支出"), Decimal(0))
    return {"budget": sum(lines.values(), Decimal(0)), "budget_spent": spent,
            "budget_rate": Fraction(spent) / Fraction(counted) if counted else None}


# (label, figure, unit); unit "元" is money, "%" the participation rate, anything else a count's unit.
CARDS = {
    "app": [("活动次数", "events", "次"), ("参与人次", "participants", "人次"), ("平均参与率", "rate", "%"),
            ("活动经费支出", "spending", "元"), ("慰问人次", "visits", "人次"), ("慰问金额", "visit_amount", "元"),
            ("捐款金额", "cash", "元"), ("获得奖项", "awards", "个")],
    "1_活动参与": [("活动次数", "events", "次"), ("参与人次", "participants", "人次"), ("平均参与率", "rate", "%")],
    "2_经费支出": [("活动经费支出", "spending", "元"), ("人均（按会员）", "per_member", "元"),
               ("每人次", "per_participant", "元")],
    "3_慰问帮扶": [("慰问人次", "visits", "人次"), ("慰问金额", "visit_amount", "元")],
    "4_捐款捐物": [("捐款捐物次数", "donations", "次"), ("捐款金额", "cash", "元"), ("捐赠物资", "goods", "件")],
    "5_比赛获奖": [("比赛成绩", "entries", "项"), ("参加比赛", "contests", "项"), ("获得奖项", "awards", "个")],
    "8_预算执行": [("全年预算", "budget", "元"), ("已支出", "budget_spent", "元"), ("预算执行率", "budget_rate", "%")],
}
CARDS["app"] += [("全年预算", "budget", "元"), ("预算执行率", "budget_rate", "%")]


def value_text(value, unit: str) -> str:
    if unit == "%":
        return percent_text(value)
    return money_text(value) if unit == "元" else f"{value}{unit}"


def delta_text(value, earlier, unit: str, against: str) -> str:
    """'+N（12.5%） 较上期', '-N（-10%） 较去年同期', '与上期持平', '+1.2个百分点 较上期'; '' if nothing to compare."""
    if value is None or earlier is None:
        return ""
    if unit == "%":
        points = rounded((value - earlier) * 100, 1)
        if not points:
            return f"与{against}持平"
        return f"{'+' if points > 0 else '-'}{plain_text(abs(points))}个百分点 较{against}"
    moved = value - earlier
    if moved == 0:
        return f"与{against}持平"
    amount = change_money_text(abs(moved), value) if unit == "元" else f"{abs(moved)}"
    exact = Fraction(moved) / Fraction(earlier) if earlier else None
    ratio = f"（{percent_text(exact)}）" if exact is not None else ""
    return f"{'+' if moved > 0 else '-'}{amount}{ratio} 较{against}"


def page_path(name: str) -> str:
    return "app.py" if name == "app" else f"pages/{name}.py"


def shown_cards(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


# (query parameters, the period's year and months, its 上期 and its 去年同期)
PERIODS = {
    "2025": ({"year": "2025"}, (2025, FULL_YEAR), {"previous": (2024, FULL_YEAR), "year_ago": (2024, FULL_YEAR)}),
    "2025Q2": ({"year": "2025", "period": "Q2"}, (2025, range(4, 7)),
               {"previous": (2025, range(1, 4)), "year_ago": (2024, range(4, 7))}),
    "2025Q1": ({"year": "2025", "period": "Q1"}, (2025, range(1, 4)),
               {"previous": (2024, range(10, 13)), "year_ago": (2024, range(1, 4))}),
}


PREVIOUS_NAME = {"2025": "上年", "2025Q2": "上季度", "2025Q1": "上季度"}  # 上期 as a card says it


def expected_cards(case: str, compare: str) -> dict[str, dict[str, tuple[str, str]]]:
    _, period, neighbours = PERIODS[case]
    now, before = figures_of(*period), figures_of(*neighbours[compare])
    against = PREVIOUS_NAME[case] if compare == "previous" else AGAINST[compare]
    return {page: {label: (value_text(now[key], unit), delta_text(now[key], before[key], unit, against))
                   for label, key, unit in cards}
            for page, cards in CARDS.items()}


def test_the_chosen_periods_have_cards_that_rise_and_cards_that_fall():
    """The card tests below mean something only if the sample moves both ways in the periods they open."""
    for case in PERIODS:
        for compare in AGAINST:
            signs = {delta[:1] for cards in expected_cards(case, compare).values() for _, delta in cards.values()}
            assert {"+", "-"} <= signs, (case, compare, signs)
    flat = {delta for case in PERIODS for compare in AGAINST
            for cards in expected_cards(case, compare).values() for _, delta in cards.values() if "持平" in delta}
    # e.g. 2025Q2 held as many activities as 2025Q1 and 2024Q2
    assert flat == {"与上年持平", "与上季度持平", "与去年同期持平"}


def test_the_expected_card_texts_follow_the_rules():
    """The test's own formatter, against a few figures worked out by hand."""
    assert money_text(Decimal("9800")) == "9800元" and money_text(Decimal("4907.70")) == "4907.7元"
    assert money_text(Decimal("15656.5")) == "1.57万元" and money_text(Decimal("93044.6")) == "9.3万元"
    assert value_text(2046, "人次") == "2046人次" and value_text(Fraction(2046, 35 * 186), "%") == "31.4%"
    assert delta_text(35, 31, "次", "上期") == "+4（12.9%） 较上期"
    assert delta_text(Decimal("9800"), Decimal("25800"), "元", "上期") == "-16000元（-62%） 较上期"
    assert delta_text(Decimal("14900"), Decimal("6407.1"), "元", "上期") == "+0.85万元（132.6%） 较上期"
    assert delta_text(Decimal("9540.3"), Decimal("8673"), "元", "上期") == "+867元（10%） 较上期"
    assert delta_text(Decimal("95.4"), Decimal("86.73"), "元", "上期") == "+8.67元（10%） 较上期"
    assert delta_text(320, 0, "件", "上期") == "+320 较上期"
    assert delta_text(8, 8, "次", "去年同期") == "与去年同期持平"
    assert delta_text(Fraction(1, 4), Fraction(1, 5), "%", "去年同期") == "+5个百分点 较去年同期"
    assert delta_text(3, None, "次", "上期") == ""
    spending = figures_of(2025, range(1, 4))["spending"], figures_of(2024, range(1, 4))["spending"]
    assert spending == (Decimal("27057.3"), Decimal("24949.8"))
    # 2107.5 / 24949.8 = 8.447%; 2107.5 beside 2.71万元 is 0.21万元
    assert delta_text(*spending, "元", "去年同期") == "+0.21万元（8.4%） 较去年同期"


@pytest.mark.parametrize("compare", list(AGAINST))
@pytest.mark.parametrize("case", list(PERIODS))
def test_every_kpi_card_shows_the_figure_and_its_change(store_url, case, compare):
    params, period, neighbours = PERIODS[case]
    before = figures_of(*neighbours[compare])
    now = figures_of(*period)
    expected = expected_cards(case, compare)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in {**params, "compare": compare}.items():
        at.query_params[key] = value
    at.run()
    shown = {}
    for page, cards in CARDS.items():
        if page != "app":
            at.switch_page(page_path(page)).run()
        assert not at.exception, (page, [e.message for e in at.exception])
        shown[page] = shown_cards(at)
        for metric in at.metric:
            [(key, unit)] = [(k, u) for label, k, u in cards if label == metric.label]
            if None in (now[key], before[key]):
                continue
            if now[key] == before[key]:
                flat = (MetricProto.MetricColor.Name(metric.proto.color),
                        MetricProto.MetricDirection.Name(metric.proto.direction))
                assert flat == ("GRAY", "NONE"), (page, metric.label)
                continue
            # st.metric's "normal" delta colour: a rise is green with an up arrow, a fall red with a down arrow.
            rising = now[key] > before[key]
            assert metric.delta.startswith("+" if rising else "-"), (page, metric.label, metric.delta)
            colour = MetricProto.MetricColor.Name(metric.proto.color)
            direction = MetricProto.MetricDirection.Name(metric.proto.direction)
            assert (colour, direction) == (("GREEN", "UP") if rising else ("RED", "DOWN")), (page, metric.label)
    assert {page: set(cards) for page, cards in shown.items()} == {page: set(cards) for page, cards in expected.items()}
    wrong = {f"{page} {label}": f"shown {shown[page][label]}, expected {cards[label]}"
             for page, cards in expected.items() for label in cards if shown[page][label] != cards[label]}
    assert not wrong


def test_a_change_ratio_is_rounded_once(store_url):
    at = app(PAGES[1], year="2025", period="Q1", compare="year_ago")
    assert shown_cards(at)["活动经费支出"][1] == "+0.21万元（8.4%） 较去年同期"


def test_a_year_with_nothing_before_it_shows_no_change(store_url):
    at = app(PAGES[0], year="2024")
    assert metrics(at)["活动次数"] == f"{len(rows_of('活动', 2024, FULL_YEAR))}次"
    assert [(m.delta, MetricProto.MetricColor.Name(m.proto.color)) for m in at.metric] == [("", "GRAY")] * 3


# The tables under the charts and the charts' plotted values, against sums of the sample's rows.

# (query parameters, the period's year and months, how chart titles name it)
TABLE_PERIODS = {"2025": ({"year": "2025"}, (2025, FULL_YEAR), "2025年"),
                 "2025Q2": ({"year": "2025", "period": "Q2"}, (2025, range(4, 7)), "2025年第二季度"),
                 "2024H2": ({"year": "2024", "period": "H2"}, (2024, range(7, 13)), "2024年下半年")}


def fen(value) -> float:
    return float(rounded(dec(value), 2))


def sums(rows: list[tuple], key, columns: dict[str, object]) -> dict[str, tuple]:
    """Per value of row[key]: (the number of rows, then each column's sum) for columns {name: index or rule}."""
    table: dict[str, list] = {}
    for r in rows:
        entry = table.setdefault(r[key], [0] + [Decimal(0)] * len(columns))
        entry[0] += 1
        for i, column in enumerate(columns.values(), 1):
            entry[i] += column(r) if callable(column) else dec(r[column])
    return {name: tuple(entry) for name, entry in table.items()}


def frame_rows(frame, columns: list[str]) -> dict[str, tuple]:
    """A shown table as {first column: the other columns}, every number as a float to the fen."""
    assert frame.iloc[:, 0].is_unique
    return {str(r[0]): tuple(round(float(v), 2) for v in r[1:]) for r in frame[columns].itertuples(index=False)}


def the_table(at: AppTest, columns: list[str]):
    [frame] = [d.value for d in at.dataframe]
    assert list(frame.columns) == columns
    return frame


def open_pages(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def on(at: AppTest, page: str) -> AppTest:
    at.switch_page(page_path(page)).run()
    assert not at.exception, (page, [e.message for e in at.exception])
    return at


@pytest.mark.parametrize("case", list(TABLE_PERIODS))
def test_the_tables_under_the_charts_hold_the_sums_of_the_rows(store_url, case):
    params, (year, months), _ = TABLE_PERIODS[case]
    events, visits = rows_of("活动", year, months), rows_of("慰问", year, months)
    donations, contests = rows_of("捐款", year, months), rows_of("比赛", year, months)
    assert events and visits and donations and contests
    unit = unit_info()["单位名称"]
    at = open_pages(params)

    columns = ["日期", "活动名称", "类别", "参与人次", "支出", "单位"]
    frame = the_table(on(at, "1_活动参与"), columns)
    assert len(frame) == len(events)
    assert int(frame["参与人次"].sum()) == sum(r[3] for r in events)
    assert round(float(frame["支出"].sum()), 2) == fen(sum(dec(r[4]) for r in events))
    assert sorted((d, n, c, int(p), round(float(s), 2), u) for d, n, c, p, s, u in frame.itertuples(index=False)) \
        == sorted((r[0].date(), r[1], r[2], r[3], fen(r[4]), unit) for r in events)
    assert list(frame["日期"]) == sorted(frame["日期"], reverse=True)

    columns = ["类别", "活动次数", "参与人次", "支出（元）"]
    frame = the_table(on(at, "2_经费支出"), columns)
    expected = sums(events, 2, {"participants": lambda r: r[3], "spending": 4})
    assert frame_rows(frame, columns) == {k: (n, float(p), fen(s)) for k, (n, p, s) in expected.items()}

    columns = ["事由", "人次", "金额（元）"]
    frame = the_table(on(at, "3_慰问帮扶"), columns)
    expected = sums(visits, 1, {"people": lambda r: r[4], "amount": 5})
    assert frame_rows(frame, columns) == {k: (float(p), fen(a)) for k, (_, p, a) in expected.items()}
    assert int(frame["人次"].sum()) == sum(r[4] for r in visits)

    columns = ["项目", "次数", "捐款（元）", "物资（件）"]
    frame = the_table(on(at, "4_捐款捐物"), columns)
    expected = sums(donations, 1, {"cash": 2, "goods": lambda r: r[3] or 0})
    assert frame_rows(frame, columns) == {k: (n, fen(c), float(g)) for k, (n, c, g) in expected.items()}

    columns = ["日期", "赛事名称", "级别", "项目", "类型", "参赛人数", "名次", "获奖数", "单位"]
    frame = the_table(on(at, "5_比赛获奖"), columns)
    assert len(frame) == len(contests)
    assert int(frame["获奖数"].sum()) == sum(r[7] or 1 for r in contests)
    assert int(frame["参赛人数"].sum()) == sum(r[5] or 0 for r in contests)
    assert sorted(tuple(r) for r in frame.astype(object).itertuples(index=False)) \
        == sorted((r[0].date(), *r[1:8], unit) for r in contests)


def plotted(values) -> list:
    """A plotly JSON array: a plain list, or plotly's base64 typed array {"dtype", "bdata"[, "shape"]}."""
    if not isinstance(values, dict):
        return list(values)
    array = np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]).newbyteorder("<"))
    if "shape" in values:
        array = array.reshape([int(n) for n in str(values["shape"]).split(",")])
    return array.tolist()


def test_the_decoder_reads_plotlys_typed_arrays():
    import plotly.graph_objects as go

    figure = go.Figure([go.Bar(x=["甲", "乙"], y=np.array([2046.5, 0.25])),
                        go.Bar(x=["甲", "乙"], y=np.array([-3, 320], dtype="i2")),
                        go.Scatter(x=[1, 2], y=np.array([7, 255], dtype="u1"))])
    spec = json.loads(figure.to_json())
    assert isinstance(spec["data"][0]["y"], dict) and "bdata" in spec["data"][0]["y"]
    assert [plotted(t["y"]) for t in spec["data"]] == [[2046.5, 0.25], [-3, 320], [7, 255]]
    assert plotted([1, 2]) == [1, 2]


def charts(at: AppTest, heading: str) -> dict[str, list[dict]]:
    """Every chart of the page by what its title says after `heading` (the scope and period): its traces."""
    found = {}
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        title = plain_title(spec["layout"]["title"]["text"])
        assert title.startswith(heading), title
        found[title.removeprefix(heading)] = spec["data"]
    return found


def bars(trace: dict) -> dict[str, float]:
    labels, values = plotted(trace["x"]), plotted(trace["y"])
    if trace.get("orientation") == "h":
        labels, values = values, labels
    return {html.unescape(str(label)): round(float(value), 2) for label, value in zip(labels, values, strict=True)}


def money_bars(trace: dict, expected: dict[str, Decimal]) -> tuple[dict[str, float], dict[str, float]]:
    """A money chart's plotted values, and the sums of the rows in the unit the rule gives the chart (万元 when
    the largest reaches 10,000, else 元, to the fen); every label in that unit."""
    unit, divisor = ("万元", 10_000) if max(expected.values()) >= 10_000 else ("元", 1)
    labels = [t for t in trace["text"] if t]
    assert labels and all(t.endswith(unit) and (unit == "万元" or "万" not in t) for t in labels), (unit, labels)
    names, values = plotted(trace["x"]), plotted(trace["y"])
    if trace.get("orientation") == "h":  # bars lying down
        names, values = values, names
    shown = {html.unescape(str(k)): float(v) for k, v in zip(names, values, strict=True)}
    return shown, {k: float(rounded(v / divisor, 6)) for k, v in expected.items()}


RESULTS = {"一等奖", "二等奖", "三等奖", "优秀奖"}


def result_group(result: str | None) -> str:
    """名次 as the chart groups it: 参与 for none, 第N名 and the four prizes as written, any other award 其他奖项."""
    if result in (None, "", "参与"):
        return "参与"
    return result if result in RESULTS or re.fullmatch(r"第[一二三四五六七八九十\d]+名", result) else "其他奖项"


@pytest.mark.parametrize("case", list(TABLE_PERIODS))
def test_the_charts_plot_the_sums_of_the_rows(store_url, case):
    params, (year, months), period = TABLE_PERIODS[case]
    events, donations = rows_of("活动", year, months), rows_of("捐款", year, months)
    contests = rows_of("比赛", year, months)
    info = unit_info()
    heading = f"{info['单位名称']} {period}"
    at = open_pages(params)

    shown = charts(on(at, "2_经费支出"), heading)
    assert set(shown) == {"各类活动经费支出", "各月活动经费支出"}  # one unit: no 各单位 chart
    by_category = sums(events, 2, {"spending": 4})
    shown_money, expected = money_bars(shown["各类活动经费支出"][0], {k: s for k, (_, s) in by_category.items() if s})
    assert shown_money == expected
    by_month = {f"{year}年{m}月": Decimal(0) for m in months}  # every month of the period, 0 where none
    for r in events:
        by_month[f"{r[0].year}年{r[0].month}月"] += dec(r[4])
    shown_money, expected = money_bars(shown["各月活动经费支出"][0], by_month)
    assert shown_money == expected

    shown = charts(on(at, "4_捐款捐物"), heading)
    [[cash, goods]] = shown.values()
    by_campaign = sums(donations, 1, {"cash": 2, "goods": lambda r: r[3] or 0})
    cash_unit = "万元" if max(c for _, c, _ in by_campaign.values()) >= 10_000 else "元"
    assert (cash["name"], goods["name"]) == (f"捐款（{cash_unit}）", "物资（件）")
    shown_money, expected = money_bars(cash, {k: c for k, (_, c, _) in by_campaign.items()})
    assert shown_money == expected
    assert bars(goods) == {k: float(g) for k, (_, _, g) in by_campaign.items()}

    shown = charts(on(at, "5_比赛获奖"), heading)
    won = [r for r in contests if result_group(r[6]) != "参与"]
    by_level = sums(won, 2, {"awards": lambda r: r[7] or 1})
    assert bars(shown["获奖数（按级别）"][0]) == {k: float(a) for k, (_, a) in by_level.items()}
    by_result = {result_group(r[6]): 0 for r in contests}
    for r in contests:
        by_result[result_group(r[6])] += 1 if result_group(r[6]) == "参与" else r[7] or 1
    assert bars(shown["成绩分布（按名次/奖项）"][0]) == {k: float(n) for k, n in by_result.items()}
    assert sum(bars(shown["获奖数（按级别）"][0]).values()) == figures_of(year, months)["awards"]


# Personal data: a name from the 慰问 sheet's 对象 column is never on the 慰问帮扶 page, nor in any table.

def page_text(at: AppTest) -> str:
    """Everything the page sends to the browser as text: every element's proto, charts and tables decoded."""
    parts = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            parts.append(json.dumps(MessageToDict(proto), ensure_ascii=False))
    parts += [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")]
    parts += [d.value.to_csv() for d in at.dataframe]
    return "\n".join(parts)


@pytest.mark.parametrize("year", ["2024", "2025"])
def test_no_name_from_the_visits_sheet_is_ever_shown(store_url, year):
    names = {r[3] for r in sheet("慰问") if r[3]}
    assert len(names) > 20
    at = open_pages({"year": year})
    for page in ["app", *(p.stem for p in PAGES)]:
        if page != "app":
            on(at, page)
        tables = " ".join(d.value.to_csv() for d in at.dataframe)
        assert not [n for n in names if n in tables], page
        shown = page_text(at)
        assert not [n for n in names if n in shown], page
        if page == "3_慰问帮扶":
            assert "慰问人次" in shown and "生病住院" in shown and "困难帮扶" in tables  # the scan sees the page


def upload_and_import(at: AppTest, name: str, data: bytes, replace: bool = False) -> AppTest:
    at.file_uploader(key="upload").set_value((name, data, XLSX)).run()
    if replace:
        [box] = [c for c in at.checkbox if c.label.startswith("如与已导入的批次重叠")]
        box.check().run()
    [button] = [b for b in at.button if b.label == "导入"]
    return button.click().run()


CLI_WORDS = re.compile(r"--\w|restore \d|batches 命令")


def test_a_refused_import_says_which_box_to_tick_not_which_option_to_type(store_url):
    unit = ["单位名称", "试验站工会"]
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2034, 4, 3), "春游", 30]],
                           "单位信息": [unit]})
    upload_and_import(app(PAGES[6]), "原.xlsx", data)
    corrected = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2034, 4, 3), "春游", 31]],
                                "单位信息": [unit]})
    at = upload_and_import(app(PAGES[6]), "更正.xlsx", corrected)
    [refusal] = [e.value.replace("\\", "") for e in at.error]
    assert refusal.startswith("更正.xlsx：试验站工会2034年4月的数据已在第2批") and "勾选“用本文件替换”" in refusal
    assert not CLI_WORDS.search(refusal), refusal


def test_a_batch_covered_by_a_later_one_can_be_restored_on_the_page_by_replacing_it(store_url):
    def rows(people: int) -> bytes:
        return workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2035, 4, 3), "春游", people]],
                               "单位信息": [["单位名称", "试验站工会"]]})

    upload_and_import(app(PAGES[6]), "原.xlsx", rows(30))
    at = app(PAGES[6])
    batches = batch_list(at)
    [first] = batches.loc[batches["文件"] == "原.xlsx", "批次"].tolist()
    at.selectbox[0].set_value(first).run()
    [b for b in at.button if b.label == "删除该批次"][0].click().run()
    upload_and_import(app(PAGES[6]), "新.xlsx", rows(45))
    at = app(PAGES[6])
    at.selectbox[0].set_value(first).run()
    [b for b in at.button if b.label == "恢复该批次"][0].click().run()
    [conflict] = [e.value.replace("\\", "") for e in at.error]
    assert conflict.startswith(f"第{first}批与第") and "勾选“恢复时替换重叠的批次”" in conflict
    assert not CLI_WORDS.search(conflict), conflict
    assert metrics(app(year="2035"))["参与人次"] == "45人次"
    at = app(PAGES[6])
    at.selectbox[0].set_value(first).run()
    [c for c in at.checkbox if c.label.startswith("恢复时替换重叠的批次")][0].check().run()
    [b for b in at.button if b.label == "恢复该批次"][0].click().run()
    assert not at.error
    assert metrics(app(year="2035"))["参与人次"] == "30人次"


# Many people on one server: outcomes that stay on screen, caches keyed by the store's revision, work done
# only when asked.

def test_the_import_outcome_stays_on_screen_after_the_page_reruns(store_url):
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2036, 4, 3), "春游", 30]],
                           "单位信息": [["单位名称", "试验站工会"]]})
    at = upload_and_import(app(PAGES[6]), "春游.xlsx", data)
    batches = batch_list(at)
    [batch] = batches.loc[batches["文件"] == "春游.xlsx", "批次"].tolist()
    shown = [s.value.replace("\\", "") for s in at.success]
    imported = f"春游.xlsx：已导入为第{batch}批，活动 1 行，慰问 0 行，捐款 0 行，比赛 0 行"
    aside = "；示例数据（第1批）已移出统计，以免与导入的数据混在一起；它保留在历史中，删除导入的全部批次后，" \
            "可在“已导入的批次”中选择第1批后点“恢复该批次”"
    assert imported + aside in shown
    assert not [s for s in app(PAGES[6]).success if "已导入为" in s.value]  # said once, not on every later visit


def test_a_delete_outcome_stays_on_screen_after_the_page_reruns(store_url):
    at = app(PAGES[6])
    first = at.selectbox[0].value
    [b for b in at.button if b.label == "删除该批次"][0].click().run()
    shown = [s.value.replace("\\", "") for s in at.success]
    assert any(s.startswith(f"已删除第{first}批") and "恢复该批次" in s for s in shown), shown


def test_rows_skipped_at_import_are_listed_with_their_batch(store_url):
    rows = [["日期", "活动名称", "参与人次"], [dt.date(2037, 4, 3), "春游", 30], [dt.date(2037, 4, 4), "秋游", -5]]
    data = workbook_bytes({"活动": rows, "单位信息": [["单位名称", "试验站工会"]]})
    at = app(PAGES[6])
    at.file_uploader(key="upload").set_value(("有错.xlsx", data, XLSX)).run()
    [c for c in at.checkbox if c.label.startswith("跳过有错误的行")][0].check().run()
    [b for b in at.button if b.label == "导入"][0].click().run()
    at = app(PAGES[6])
    batches = batch_list(at)
    assert batches.loc[batches["文件"] == "有错.xlsx", "跳过行数"].tolist() == [1]
    [batch] = batches.loc[batches["文件"] == "有错.xlsx", "批次"].tolist()
    at.selectbox[0].set_value(batch).run()
    [skipped] = [d.value for d in at.table if "工作表" in d.value.columns]
    assert (skipped.loc[0, "工作表"], skipped.loc[0, "行"], skipped.loc[0, "列"]) == ("活动", "3", "参与人次")


def test_check_results_and_choices_follow_their_file_when_another_is_removed(store_url):
    good = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2038, 4, 3), "春游", 30]]})
    bad = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], ["下周", "秋游", 30]]})
    at = app(PAGES[6])
    at.file_uploader(key="upload").set_value([("好.xlsx", good, XLSX), ("坏.xlsx", bad, XLSX)]).run()
    boxes = [c for c in at.checkbox if c.label.startswith("如与已导入的批次重叠")]
    boxes[0].check().run()
    at.file_uploader(key="upload").set_value([("坏.xlsx", bad, XLSX)]).run()
    assert [t.value for t in at.text] == ["坏.xlsx"]
    [replace] = [c for c in at.checkbox if c.label.startswith("如与已导入的批次重叠")]
    assert replace.value is False  # the tick belonged to 好.xlsx
    assert any("未通过检查" in e.value for e in at.error)


def test_the_export_is_built_only_when_it_is_downloaded(store_url, monkeypatch):
    from unionstats.ui import uploads

    built = counting(monkeypatch, uploads, "write_dataset")
    at = app(PAGES[6])
    at.run()
    assert [b for b in at.get("download_button") if "导出全部数据" in b.proto.label]
    assert built == []


def counting(monkeypatch, module, name: str) -> list:
    calls = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def test_filter_options_are_computed_once_per_store_revision(store_url, monkeypatch):
    from unionstats.ui import caches

    calls = counting(monkeypatch, caches, "all_dates")
    at = app(year="2024")
    at.switch_page("pages/1_活动参与.py").run()
    app(PAGES[2], year="2025")
    assert len(calls) == 1
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2039, 4, 3), "春游", 30]], **STATION})
    upload_and_import(app(PAGES[6]), "新.xlsx", data)
    assert len(calls) == 2 and app().selectbox[0].options[0] == "2039年"


def test_an_import_into_one_store_keeps_the_figures_cached_for_another(tmp_path, monkeypatch):
    from unionstats.ui import caches

    one, other = (f"sqlite:///{tmp_path / name}" for name in ("one.db", "other.db"))
    monkeypatch.setenv("UNIONSTATS_DB", other)
    app(year="2024")
    calls = counting(monkeypatch, caches, "figures")
    monkeypatch.setenv("UNIONSTATS_DB", one)
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2040, 4, 3), "春游", 30]]})
    upload_and_import(app(PAGES[6]), "新.xlsx", data)
    computed = len(calls)
    monkeypatch.setenv("UNIONSTATS_DB", other)
    app(year="2024")
    assert len(calls) == computed  # other.db's figures were still cached


def test_the_summary_follows_the_figures_and_keeps_edits_only_while_they_stay_the_same(store_url):
    from unionstats.store.batches import Store

    at = app(PAGES[5], year="2025", period="Q3")
    generated = at.text_area[0].value
    at.text_area[0].input(generated + "\n（主席批注）").run()
    at.run()
    assert at.text_area[0].value.endswith("（主席批注）") and not at.info
    unit = [["单位名称", "江城市农业科学研究所工会"]]
    corrected = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2025, 8, 8), "职工运动会", 777]],
                                "单位信息": unit})
    assert Store(store_url).import_bytes(corrected, "更正.xlsx", replace=True).status == "imported"
    at.run()
    text = at.text_area[0].value
    assert "（主席批注）" not in text and "777人次" in text and text != generated
    assert any("之前的修改已丢弃" in i.value for i in at.info)
    at.run()
    assert not at.info and at.text_area[0].value == text


def finish_measuring_ahead() -> None:
    for thread in threading.enumerate():
        if thread.name == "unionstats-measure-ahead":
            thread.join()


def test_a_period_measured_as_a_neighbour_is_not_measured_again(store_url, monkeypatch):
    from unionstats.figures import cache as kept

    calls = counting(monkeypatch, kept, "period_figures")
    at = app(year="2025", period="Q2")
    assert len(calls) == 3  # 2025Q2, its 上期 2025Q1, its 去年同期 2024Q2
    next(s for s in at.selectbox if s.label == "统计期").set_value("第三季度").run()
    assert len(calls) == 5  # 2025Q3 and 2024Q3; 2025Q2 was kept
    assert "2025年第三季度" in page_text(at) and not at.exception


def test_a_page_view_does_not_list_every_batch(store_url, monkeypatch):
    from unionstats.store.batches import Store

    app()
    listed = counting(monkeypatch, Store, "batches")
    at = app()
    app(PAGES[1])
    assert listed == [] and sample_noticed(at)


def test_the_word_file_is_built_only_when_it_is_downloaded(store_url, monkeypatch):
    from unionstats.exports import docx

    built = counting(monkeypatch, docx, "write_docx")
    at = app(PAGES[5], year="2025", period="Q3")
    at.run()
    assert [b for b in at.get("download_button") if "Word" in b.proto.label] and built == []


def test_a_chart_is_built_once_for_every_session_until_a_change_touches_its_view(sample_as_data, monkeypatch):
    from unionstats.exports import plotting

    built, real = [], plotting.figure
    monkeypatch.setattr(plotting, "figure", lambda chart, large=False: (
        built.append(1) if "慰问人次（按事由）" in chart.title else None) or real(chart, large))
    app(year="2025", period="Q2")
    app(year="2025", period="Q2")
    assert len(built) == 1
    app(year="2025", period="Q3")
    assert len(built) == 2
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2041, 4, 3), "春游", 30]]})
    upload_and_import(app(PAGES[6]), "新.xlsx", data)
    assert "2025年第二季度" in page_text(app(year="2025", period="Q2")) and len(built) == 2  # untouched
    data = workbook_bytes({"慰问": [["日期", "事由", "人次", "金额"], [dt.date(2025, 5, 6), "住院", 1, 500]],
                           "单位信息": [["单位名称", "新单位工会"], ["会员人数", 20]]})
    upload_and_import(app(PAGES[6]), "新单位.xlsx", data)
    app(year="2025", period="Q2")
    assert len(built) == 3


def test_the_batch_list_is_read_once_per_store_revision(store_url, monkeypatch):
    from unionstats.store.batches import Store

    app()
    listed = counting(monkeypatch, Store, "batches")
    app(PAGES[6])
    app(PAGES[6]).run()
    assert len(listed) == 1
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2042, 4, 3), "春游", 30]], **STATION})
    at = upload_and_import(app(PAGES[6]), "新.xlsx", data)
    assert len(listed) == 2 and "新.xlsx" in batch_list(at)["文件"].tolist()


def test_after_a_change_the_likely_periods_are_measured_before_anyone_picks_them(sample_as_data, monkeypatch):
    from unionstats.figures import cache as kept
    from unionstats.ui import caches

    monkeypatch.setattr(caches, "MEASURE_AHEAD", True)
    at = app(year="2025")
    finish_measuring_ahead()
    measured, real = [], kept.period_figures
    monkeypatch.setattr(kept, "period_figures", lambda d, p, u: measured.append(p.code) or real(d, p, u))
    for period in ("第三季度", "上半年", "第一季度"):
        next(s for s in at.selectbox if s.label == "统计期").set_value(period).run()
    next(s for s in at.selectbox if s.label == "年度").set_value(2024).run()
    assert measured == [] and "2024年第一季度" in page_text(at) and not at.exception
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2025, 8, 3), "夏季健步走", 30]],
                           "单位信息": [["单位名称", "新单位工会"], ["会员人数", 20]]})
    upload_and_import(app(PAGES[6]), "新单位.xlsx", data)
    finish_measuring_ahead()
    # the periods the new rows fall in, and 2024-08: the import shows its month, compared with a year before (the
    # sample's 2025 budget reads only its own unit's spending: the new unit's August moves no later period)
    assert set(measured) == {"2025", "2025H2", "2025Q3", "2025-08", "2024-08"}


def test_a_change_made_by_another_process_is_read_and_measured_before_the_next_click(sample_as_data, monkeypatch):
    """The app's store has never seen the new batch (another Store object stands for another process): the
    watching thread reads it and measures the likely periods, so the open page's next run reads no rows and
    measures nothing, and shows August's 30 人次 in place of the sample's (a correction of the sample's own unit: a
    new unit would make the view's 同比 measure this year over the units of both years, left to the click)."""
    import time

    from unionstats.figures import cache as kept
    from unionstats.store import rows
    from unionstats.ui import caches

    monkeypatch.setattr(caches, "MEASURE_AHEAD", True)
    monkeypatch.setattr(caches, "WATCH_SECONDS", 0.05)
    at = app(year="2025")
    other = Store(sample_as_data)
    events = other.dataset().events
    participants = int(events.query("date.dt.year == 2025")["participants"].sum())
    august = int(events.query("date.dt.year == 2025 and date.dt.month == 8")["participants"].sum())
    assert f"{participants}人次" in page_text(at)
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2025, 8, 3), "夏季健步走", 30]],
                           "单位信息": [["单位名称", "江城市农业科学研究所工会"]]})
    assert other.import_bytes(data, "八月更正.xlsx", replace=True).status == "imported"  # August's rows: now these
    revision, waited = other.revision(), time.monotonic()
    while (sample_as_data, revision) not in caches.measuring_ahead.cache and time.monotonic() - waited < 60:
        time.sleep(0.05)
    caches.measuring_ahead(sample_as_data, revision).join(120)
    read, measured = counting(monkeypatch, rows, "read_frame"), counting(monkeypatch, kept, "period_figures")
    at.run()
    assert read == [] and measured == [] and not at.exception
    assert f"{participants - august + 30}人次" in page_text(at)


def test_measuring_ahead_starts_once_per_store_revision_however_often_the_pages_run(sample_as_data, monkeypatch):
    from unionstats.ui import caches

    monkeypatch.setattr(caches, "MEASURE_AHEAD", True)
    started, real = [], caches.measure_ahead
    monkeypatch.setattr(caches, "measure_ahead", lambda *args: started.append(1) or real(*args))
    at = app(year="2025")
    for period in ("第三季度", "上半年", "第一季度"):
        next(s for s in at.selectbox if s.label == "统计期").set_value(period).run()
    app(PAGES[1], year="2025")
    finish_measuring_ahead()
    assert len(started) == 1 and not at.exception


# Text from a workbook is shown as typed on every page: never as a Markdown link or image, an icon, LaTeX or HTML.

EVIL_UNIT = "[链接](http://evil.example/)![p](http://evil.example/p.png):material/warning:&lt;b&gt;$x$"
EVIL_NAME = '<a href="http://evil.example">x</a>'
EVIL_FILE = "[文件](http://evil.example/).xlsx"
# What would still be syntax: a link's `](`, a tag, an entity, LaTeX; Streamlit finds `:material/` in the source.
LIVE = re.compile(r"(?<!\\)(?:\]\(|<|&|\$)|:material/")
ESCAPE = re.compile(r"\\(.)")


def hostile_workbook() -> bytes:
    day = dt.date(2043, 4, 3)
    return workbook_bytes({
        "活动": [["日期", "活动名称", "类别", "参与人次", "支出", "单位"],
               [day, EVIL_NAME, "文体活动", 30, 500, EVIL_UNIT]],
        "慰问": [["日期", "事由", "人次", "金额", "单位"], [day, "住院", 1, 500, EVIL_UNIT]],
        "捐款": [["日期", "项目", "捐款金额", "单位"], [day, EVIL_NAME, 100, EVIL_UNIT]],
        "比赛": [["日期", "赛事名称", "名次", "单位"], [day, EVIL_NAME, "最佳<b>组织</b>奖", EVIL_UNIT]],
        "单位信息": [["单位名称", EVIL_UNIT], ["会员人数", 40]]})


def markdown_texts(at: AppTest) -> list[str]:
    """Every body, label and help text Streamlit renders as Markdown (all of them but st.text's)."""
    texts = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message) and node.type not in ("text", "html"):  # (st.html's is HTML: html_texts)
            fields = MessageToDict(proto)
            texts += [fields[k] for k in ("body", "label", "help") if isinstance(fields.get(k), str)]
    return texts


def chart_strings(at: AppTest) -> list[str]:
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict | list):
            for item in value.values() if isinstance(value, dict) else value:
                yield from strings(item)
    return [s for c in at.get("plotly_chart") for s in strings(json.loads(c.proto.spec))]


def html_texts(at: AppTest) -> list[str]:
    """The bodies of st.html elements that are not the app's own fixed style and script."""
    return [node.proto.body for node in at._tree
            if node.type == "html" and node.proto.body.strip() not in own_markup()]


def own_markup() -> set[str]:
    """The fixed style and script the app writes into its pages (no workbook text can reach them)."""
    from unionstats.ui import chinese, looks

    return {markup.strip() for markup in (show.WRAPPING_DELTA, chinese.script(), looks.EVERY_PAGE,
                                          looks.PRESENTING, looks.FIT_CHARTS_WHEN_PRINTING)}


def sample_noticed(at: AppTest) -> bool:
    """Whether the page says it shows the sample (in its folded notice)."""
    return any("示例数据" in e.label for e in at.expander) and any(
        "示例数据" in m.value for e in at.expander for m in e.markdown)


def test_workbook_text_is_never_rendered_as_markdown_or_html(store_url):
    from unionstats.store.batches import Store

    assert Store(store_url).import_bytes(hostile_workbook(), EVIL_FILE).status == "imported"
    at = open_pages({})
    charted = []
    for page in ["app", *(p.stem for p in PAGES)]:
        if page != "app":
            on(at, page)
        if page == "7_数据管理":
            upload_and_import(at, EVIL_FILE, hostile_workbook())
            assert EVIL_FILE in batch_list(at)["文件"].tolist()  # tables keep the raw text
        texts = [t for t in markdown_texts(at) if t.strip() not in own_markup()]  # our style and script, not workbook text
        assert not [t for t in texts if LIVE.search(t)], page
        assert not [t for t in html_texts(at) if re.search(r"<(a|img|script|b)\b", t.replace("<span>", ""))], page
        shown = [ESCAPE.sub(r"\1", t).replace("\u2060", "") for t in texts]  # the word joiner is invisible
        expected = EVIL_FILE if page == "7_数据管理" else EVIL_UNIT
        assert [s for s in shown if expected in s], (page, shown)  # the text is there, escaped, as typed
        assert not [s for s in chart_strings(at) if "<a" in s or "<b>" in s], page
        charted += chart_strings(at)
        if page in ("1_活动参与", "5_比赛获奖"):
            assert EVIL_NAME in at.dataframe[0].value.iloc[:, 1].tolist(), page
    assert html.escape(EVIL_NAME, quote=False) in charted and any(
        html.escape(EVIL_UNIT, quote=False) in s.replace("<br>", "") for s in charted)  # a long title wraps


@pytest.mark.parametrize("day, year, period, month", [
    (dt.date(2031, 5, 3), 2031, "第二季度", None), (dt.date(2031, 11, 3), 2031, "按月", 11),
], ids=["quarter", "month"])
def test_after_an_import_the_filters_show_the_period_just_imported(store_url, day, year, period, month):
    rows = [["日期", "活动名称", "参与人次"], [day, "春游", 30]]
    if period == "第二季度":
        rows.append([dt.date(2031, 6, 20), "读书会", 12])
    at = upload_and_import(app(PAGES[6]), "新季度.xlsx", workbook_bytes({"活动": rows, **STATION}))
    assert not at.exception
    assert at.selectbox(key="f_year").value == year and at.selectbox(key="f_period").value == period
    if month:
        assert at.selectbox(key="f_month").value == month
    summary = app(PAGES[5], year=str(year), period="Q2" if month is None else "M", month=str(month or 1))
    assert summary.text_area[0].value.splitlines()[0].endswith(
        "2031年第二季度工作总结" if month is None else "2031年11月工作总结")


def test_the_organisation_named_on_data_management_heads_the_summary_of_all_units(sample_as_data):
    store_url = sample_as_data
    at = app(PAGES[6])
    station = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2025, 8, 1), "健步走", 30]],
                              "单位信息": [["单位名称", "试验站工会"]]})
    assert Store(store_url).import_bytes(station, "试验站.xlsx").status == "imported"  # a second unit in 2025Q3
    at.text_input(key="organisation_name").input("江城市农科院")
    [button] = [b for b in at.button if b.label == "保存名称"]
    button.click().run()
    assert not at.exception and Store(store_url).organisation() == "江城市农科院"
    summary = app(PAGES[5], year="2025", period="Q3").text_area[0].value
    assert summary.startswith("江城市农科院工会2025年第三季度工作总结\n")
    assert summary.rstrip().splitlines()[-2] == "江城市农科院工会"
    one = app(PAGES[5], year="2025", period="Q3", unit="江城市农业科学研究所工会").text_area[0].value
    assert one.startswith("江城市农业科学研究所工会2025年第三季度工作总结")
    alone = app(PAGES[5], year="2025", period="Q2").text_area[0].value  # only the sample's rows
    assert alone.startswith("江城市农业科学研究所工会2025年第二季度工作总结")


# The sample never counts beside an office's own data, and a period without data says so instead of showing zeros.

def hongxing_month(month: int, people: int) -> list:
    return [dt.date(2024, month, 10), f"{month}月活动", "文体活动", people, 100 * month]


HONGXING_MONTHS = (1, 3, 4, 6)  # 红星小学 reported no activity in February or May
HONGXING = workbook_bytes({"活动": [["日期", "活动名称", "类别", "参与人次", "支出"],
                                   *[hongxing_month(m, 30 + m) for m in HONGXING_MONTHS]],
                          "单位信息": [["单位名称", "红星小学"], ["会员人数", 80]]})


def test_the_first_real_import_sets_the_sample_aside_and_the_overview_counts_only_the_file(store_url):
    at = app(PAGES[6])
    assert sample_noticed(at) and sample_rows("活动", 2024, range(1, 7))
    at = upload_and_import(at, "红星上半年.xlsx", HONGXING)
    [said] = [t for t in (s.value.replace("\\", "") for s in at.success) if t.startswith("红星上半年.xlsx：")]
    assert "示例数据（第1批）已移出统计" in said and "选择第1批后点“恢复该批次”" in said
    assert not CLI_WORDS.search(said), said
    at = app(year="2024", period="H1")
    shown = metrics(at)
    assert (shown["活动次数"], shown["参与人次"]) == (f"{len(HONGXING_MONTHS)}次",
                                                 f"{sum(30 + m for m in HONGXING_MONTHS)}人次")
    assert not sample_noticed(at)
    assert any(c.value.endswith("范围：红星小学") for c in at.caption)
    batches = batch_list(app(PAGES[6]))
    assert batches.loc[batches["文件"] == "sample.xlsx", "状态"].tolist() == ["已删除"]


def test_restoring_the_sample_beside_real_data_is_refused_on_the_page(store_url):
    upload_and_import(app(PAGES[6]), "红星上半年.xlsx", HONGXING)
    at = app(PAGES[6])
    at.selectbox[0].set_value(1).run()
    [c for c in at.checkbox if c.label.startswith("恢复时替换重叠的批次")][0].check().run()
    [b for b in at.button if b.label == "恢复该批次"][0].click().run()
    [refusal] = [e.value.replace("\\", "") for e in at.error]
    assert refusal.startswith("第1批是示例数据，不能与导入的数据（第2批，有效）同时计入统计") and "未恢复" in refusal
    shown = metrics(app(year="2024", period="H1"))
    assert shown["活动次数"] == f"{len(HONGXING_MONTHS)}次"


@pytest.fixture
def offices(store_url):
    """The sample as a new store gets it, then real workbooks: a research institute's 2008, a school's 2004 that
    names no unit (named 三山学校 on import), a water bureau's second quarter of 2013 and 红星小学's 2024."""
    from seeds import BUREAU, INSTITUTE, SCHOOL


    store = Store(store_url)
    store.ensure_sample()
    for name, data in [("institute_2008.xlsx", workbook_bytes(INSTITUTE)), ("school_2004.xlsx", workbook_bytes(SCHOOL)),
                       ("bureau_2013q2.xlsx", workbook_bytes(BUREAU)), ("红星.xlsx", HONGXING)]:
        named = "三山学校" if name.startswith("school") else ""  # the school's workbook names no unit
        assert store.import_bytes(data, name, user="李会计", unit_name=named).status == "imported"
    assert store.active_batch_ids() == [2, 3, 4, 5]
    return store_url


def nothing_shown(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.metric and not at.get("plotly_chart") and not at.get("download_button") and not at.dataframe
    assert not at.text_area


def nearest_button(at: AppTest):
    [button] = [b for b in at.button if b.key == "nearest_period"]
    return button


def test_the_test_stores_empty_periods_are_empty():
    """The cases below rest on these facts about the rows written above."""
    from seeds import BUREAU, SCHOOL

    bureau = {row[0][:7] for sheet in BUREAU.values() for row in sheet[1:]}
    assert bureau == {"2013-04", "2013-05", "2013-06"}  # 2013: only the second quarter
    assert 2 not in HONGXING_MONTHS and {1, 3} <= set(HONGXING_MONTHS)  # February empty, January and March not
    school = sorted(row[0] for sheet in SCHOOL.values() for row in sheet[1:])
    assert school[-1].startswith("2004-12")  # the school's latest quarter is 2004's fourth


@pytest.mark.parametrize("page", [None, *PAGES[:6]], ids=lambda p: p.stem if p else "app")
def test_a_quarter_without_data_says_so_shows_nothing_and_offers_the_nearest(offices, page):
    at = app(page, year="2013", period="Q1")
    nothing_shown(at)
    assert [w.value for w in at.warning] == ["2013年第一季度，所有单位都没有数据；最近有数据的季度是2013年第二季度"]
    button = nearest_button(at)
    assert button.label == "查看2013年第二季度"
    at = button.click().run()
    assert (at.selectbox(key="f_year").value, at.selectbox(key="f_period").value) == (2013, "第二季度")
    assert not at.warning and any("统计期：2013年第二季度" in c.value for c in at.caption)
    if page is None:
        from seeds import BUREAU

        assert metrics(at)["活动次数"] == f"{len(BUREAU['活动']) - 1}次"


@pytest.mark.parametrize("params, said, label, chosen", [
    ({"year": "2008", "unit": "红星小学"}, "2008年，红星小学没有数据；最近有数据的年度是2024年", "查看2024年",
     {"f_year": 2024, "f_period": "全年"}),
    ({"year": "2024", "period": "M", "month": "2", "unit": "红星小学"},
     "2024年2月，红星小学没有数据；最近有数据的月份是2024年3月", "查看2024年3月",
     {"f_year": 2024, "f_period": "按月", "f_month": 3}),
    ({"year": "2008", "period": "Q1", "unit": "三山学校"},
     "2008年第一季度，三山学校没有数据；最近有数据的季度是2004年第四季度", "查看2004年第四季度",
     {"f_year": 2004, "f_period": "第四季度"}),
], ids=["year-other-units-only", "month-tie-to-the-later", "unit-named-by-its-file"])
def test_an_empty_period_of_chosen_units_offers_the_nearest_of_its_kind(offices, params, said, label, chosen):
    at = app(**params)
    nothing_shown(at)
    assert [w.value.replace("\\", "") for w in at.warning] == [said]
    at = nearest_button(at).click().run()
    assert {key: at.selectbox(key=key).value for key in chosen} == chosen
    assert at.multiselect(key="f_units").value == [params["unit"]]
    assert at.metric and not at.warning


# Every month on the axis, one money unit per chart, and a line under each chart saying how it is counted, in a
# store of the sample beside real workbooks: a 2008 institute, a 2004 school whose workbook names no unit, and a
# second unit of 2024 that reported nothing in August.

RED_STAR = [["2024-07-10", "暑期教工健身", "文体活动", 40, 12600, ""],
            ["2024-09-10", "教师节座谈", "节日活动", 60, 900, ""]]


def store_beside_the_sample(store_url: str, folder: Path) -> None:
    from seeds import EVENTS, INSTITUTE, SCHOOL
    from workbooks import write_workbook

    store = Store(store_url)  # the sample's union as an office's own data, beside the others
    assert store.import_path(ROOT / "data" / "sample.xlsx", user="张会计").status == "imported"
    store.import_path(write_workbook(folder / "institute_2008.xlsx", INSTITUTE))
    store.import_path(write_workbook(folder / "school_2004.xlsx", SCHOOL), unit_name="三山学校")
    store.import_path(write_workbook(folder / "红星.xlsx", {
        "单位信息": [["单位名称", "红星小学"], ["会员人数", 80]],
        "活动": [EVENTS, *RED_STAR]}))


def line_of(at: AppTest, title_end: str) -> tuple[list[str], list[float], list[str]]:
    [spec] = [json.loads(c.proto.spec) for c in at.get("plotly_chart")
              if plain_title(json.loads(c.proto.spec)["layout"]["title"]["text"]).endswith(title_end)]
    trace = spec["data"][0]
    return plotted(trace["x"]), plotted(trace["y"]), list(trace.get("text", []))


def help_lines(at: AppTest) -> list[str]:
    """The captions under the charts (those that say what is summed or divided), Markdown escapes removed."""
    return [c.value.replace("\\", "") for c in at.caption if "之和" in c.value or "÷" in c.value]


def test_a_sparse_year_has_every_month_and_each_chart_its_help_line(store_url, tmp_path):
    from seeds import INSTITUTE

    store_beside_the_sample(store_url, tmp_path)
    at = app(PAGES[0], year="2008")
    assert not at.exception, [e.message for e in at.exception]
    rows = INSTITUTE["活动"][1:]
    x, y, text = line_of(at, "各月参与人次")
    assert x == [f"2008年{m}月" for m in range(1, 13)]
    assert y == [sum(r[3] for r in rows if int(r[0][5:7]) == m) for m in range(1, 13)]
    assert y[6] == y[7] == 0 and y[1] == 0, "July, August and February had no activity: on the axis at 0"
    assert [t == "" for t in text] == [v == 0 for v in y]
    charts_shown = len(at.get("plotly_chart"))
    lines = help_lines(at)
    assert charts_shown == 2 and len(lines) == charts_shown, lines
    assert any(line.startswith("参与人次：") and "没有活动的月份为0" in line for line in lines)


def test_a_workbook_without_a_unit_name_has_its_money_in_one_unit(store_url, tmp_path):
    from seeds import SCHOOL

    store_beside_the_sample(store_url, tmp_path)
    at = app(PAGES[1], year="2004")
    assert not at.exception, [e.message for e in at.exception]
    spent: dict[str, Decimal] = {}
    for r in SCHOOL["活动"][1:]:
        spent[r[2]] = spent.get(r[2], Decimal(0)) + dec(r[4])
    assert max(spent.values()) >= 10_000 > min(spent.values())
    [spec] = [json.loads(c.proto.spec) for c in at.get("plotly_chart")
              if plain_title(json.loads(c.proto.spec)["layout"]["title"]["text"]).endswith("各类活动经费支出")]
    assert plain_title(spec["layout"]["title"]["text"]).startswith("三山学校 2004年"), "the name given on import"
    shown, expected = money_bars(spec["data"][0], spent)
    assert shown == expected
    assert [a["text"] for a in spec["layout"]["annotations"] if a.get("name") == "unit"] == ["单位：万元"]
    assert len(help_lines(at)) == len(at.get("plotly_chart")) == 2


def test_several_units_have_the_rate_formula_and_an_empty_month_of_one_unit_is_zero(store_url, tmp_path):
    store_beside_the_sample(store_url, tmp_path)
    at = app(PAGES[0], year="2024")
    assert not at.exception, [e.message for e in at.exception]
    lines = help_lines(at)
    assert len(lines) == len(at.get("plotly_chart")) == 4, "by category, by month, each unit's rate, the units"
    assert any("参与人次 ÷（活动次数 × 会员人数）" in line for line in lines)
    at = app(PAGES[1], year="2024", period="Q3", unit="红星小学")
    assert not at.exception, [e.message for e in at.exception]
    x, y, text = line_of(at, "各月活动经费支出")
    by_month = {f"2024年{m}月": sum((dec(r[4]) for r in RED_STAR if int(r[0][5:7]) == m), Decimal(0))
                for m in (7, 8, 9)}
    assert x == list(by_month) and by_month["2024年8月"] == 0
    assert y == [float(v / 10_000) for v in by_month.values()], "12600 reaches 10,000: the line is in 万元"
    assert text == ["1.26万元", "", "0.09万元"]


def test_an_open_view_shows_the_new_change_at_the_next_click_when_its_compared_period_is_corrected(sample_as_data):
    """2025Q3 is open; another session replaces 2025Q2 (a file holding only the second quarter): the open view's
    cards, their help and the summary measure the change against the new second quarter at the next click."""
    from unionstats.ui import caches

    q3, q2 = figures_of(2025, range(7, 10)), figures_of(2025, range(4, 7))
    at = app(year="2025", period="Q3")
    assert shown_cards(at)["参与人次"] == (f"{q3['participants']}人次",
                                        delta_text(q3["participants"], q2["participants"], "人次", "上季度"))
    key_before = caches.view_key(sample_as_data, Store(sample_as_data).revision(), [parse_period("2025Q3")], ())
    key_2024 = caches.view_key(sample_as_data, Store(sample_as_data).revision(), [parse_period("2024Q3")], ())
    corrected = [[dt.date(2025, m, 15), f"更正活动{m}", "文体活动", 40 + m, 100] for m in (4, 5, 6)]
    people = sum(r[3] for r in corrected)
    other_session = Store(sample_as_data)
    unit = unit_info()["单位名称"]
    data = workbook_bytes({"活动": [["日期", "活动名称", "类别", "参与人次", "支出"], *corrected],
                           "单位信息": [["单位名称", unit]]})
    assert other_session.import_bytes(data, "2025Q2更正.xlsx", replace=True, user="李会计").status == "imported"
    # The view of 2025Q3 alone moves too: the sample's 2025 budget counts its spending from January. A view of
    # another year is untouched.
    revision = other_session.revision()
    assert caches.view_key(sample_as_data, revision, [parse_period("2025Q3")], ()) != key_before
    assert caches.view_key(sample_as_data, revision, [parse_period("2024Q3")], ()) == key_2024

    at.run()  # the next click
    cards = shown_cards(at)
    assert cards["参与人次"] == (f"{q3['participants']}人次", delta_text(q3["participants"], people, "人次", "上季度"))
    assert cards["活动次数"] == (f"{q3['events']}次", delta_text(q3["events"], len(corrected), "次", "上季度"))
    [participants] = [m for m in at.metric if m.label == "参与人次"]
    assert f"上季度：{people}人次" in participants.help
    at.switch_page("pages/6_工作总结.py").run()
    text = at.text_area[0].value
    moved = Fraction(q3["participants"] - people, people)
    said = f"较上季度{'增长' if moved > 0 else '下降'}{percent_text(abs(moved))}"
    assert said in text, text
