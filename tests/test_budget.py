"""预算: a union's year budget per 科目 and its execution, from the sheet to the page, the summary and the deck.

Every expected figure is computed here from the rows the test writes: the budget per 科目, the activities' and
visits' money of the units with a budget from January to the view's last day, and the share of the year gone by.
"""

import datetime as dt
from fractions import Fraction

import openpyxl
import pytest
from builders import dataset
from pptx import Presentation
from workbooks import load, write_workbook

from conftest import ROOT
from unionstats.cli import main as cli
from unionstats.contract.periods import parse_period
from unionstats.exports.deck import write_deck
from unionstats.exports.template import write_template
from unionstats.exports.workbook import write_dataset
from unionstats.figures.cache import figures_key
from unionstats.figures.engine import View, figures, period_figures
from unionstats.intake.loading import load_bytes
from unionstats.intake.model import Dataset
from unionstats.kinds import budget
from unionstats.store.access import operator
from unionstats.store.batches import IMPORTED, Store
from unionstats.writing.chinese import percent, yuan
from unionstats.writing.summary import Writer, write_summary

SCHOOL, OTHER = "红星小学", "蓝天中学"
EVENT_HEAD = ["日期", "活动名称", "类别", "参与人次", "支出", "单位"]
VISIT_HEAD = ["日期", "事由", "对象类别", "人次", "金额", "单位"]
BUDGET_HEAD = ["年度", "科目", "预算金额", "单位"]
OFFICE = operator("张会计")

# A school's 2024: sport every month, a festival every quarter, visits for illness and hardship.
EVENTS = [[dt.date(2024, m, 8), f"运动会{m}", "文体活动", 40, 1000.0 * m, SCHOOL] for m in range(1, 13)] + \
         [[dt.date(2024, m, 15), f"节日{m}", "节日活动", 60, 4500.5, SCHOOL] for m in (1, 5, 9, 10)] + \
         [[dt.date(2024, 3, 20), "职代会", "民主管理", 30, 1200.0, SCHOOL]]
VISITS = [[dt.date(2024, m, 12), "生病住院", "在职职工", 1, 300.0, SCHOOL] for m in (2, 4, 7, 11)] + \
         [[dt.date(2024, 6, 1), "困难帮扶", "在职职工", 2, 6000.0, SCHOOL]]
BUDGETS = [[2024, "文体活动", 60000, SCHOOL], ["2024年", "节日活动", 20000, SCHOOL], [2024, "困难帮扶", 5000, SCHOOL],
           ["2024年度", "生病住院", 2000, SCHOOL], [2024, "业务支出", 8000, SCHOOL]]
# Another unit spends, but has no budget: its money is in no 执行率.
OTHER_EVENTS = [[dt.date(2024, 4, 2), "篮球赛", "文体活动", 20, 9999.0, OTHER]]


def annual(budgets=BUDGETS, events=EVENTS, visits=VISITS) -> dict[str, list[list]]:
    sheets = {"活动": [EVENT_HEAD, *events], "慰问": [VISIT_HEAD, *visits]}
    return {**sheets, "预算": [BUDGET_HEAD, *budgets]} if budgets else sheets


def slide_title(slide) -> str:
    """The deck's title box: the first text on a slide."""
    return next(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame and shape.text_frame.text)


@pytest.fixture
def school(tmp_path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    path = write_workbook(tmp_path / "红星小学2024年.xlsx", annual(events=EVENTS + OTHER_EVENTS))
    assert store.import_path(path, actor=OFFICE).status == IMPORTED
    return store


def budget_of(store: Store, code: str, units=None) -> budget.BudgetFigures:
    return figures(store.dataset(), parse_period(code), units).of(budget.KIND)


def test_execution_at_a_quarters_end_is_the_money_spent_since_january_against_each_budget(school):
    end = dt.date(2024, 6, 30)
    events = {c: sum(r[4] for r in EVENTS if r[2] == c and r[0] <= end) for c in ("文体活动", "节日活动")}
    visits = {c: sum(r[4] for r in VISITS if r[1] == c and r[0] <= end) for c in ("困难帮扶", "生病住院")}
    found = budget_of(school, "2024Q2")
    assert found.year == 2024
    assert found.by_line["文体活动"].spent == events["文体活动"] == 21000
    assert found.by_line["节日活动"].spent == events["节日活动"] == 9001
    assert found.by_line["困难帮扶"].spent == visits["困难帮扶"] == 6000
    assert found.by_line["生病住院"].spent == visits["生病住院"] == 600
    assert found.by_line["文体活动"].rate == pytest.approx(21000 / 60000)
    assert found.by_line["业务支出"].spent is None and found.by_line["业务支出"].rate is None
    assert found.budget == 60000 + 20000 + 5000 + 2000 + 8000
    assert found.counted == 60000 + 20000 + 5000 + 2000  # 业务支出 has no spending to set against it
    assert found.spent == 21000 + 9001 + 6000 + 600  # neither 民主管理 (no budget line) nor 蓝天中学 (no budget)
    assert found.rate == pytest.approx((21000 + 9001 + 6000 + 600) / 87000)
    assert found.elapsed == Fraction(6, 12)


def test_each_months_cumulative_spending_runs_from_january(school):
    found = budget_of(school, "2024Q3")
    budgeted = {"文体活动", "节日活动", "困难帮扶", "生病住院"}
    expected, total = {}, 0.0
    for month in range(1, 10):
        total += sum(r[4] for r in EVENTS if r[2] in budgeted and r[0].month == month) + \
            sum(r[4] for r in VISITS if r[1] in budgeted and r[0].month == month)
        expected[f"2024-{month:02d}"] = round(total, 2)
    assert found.cumulative == expected


@pytest.mark.parametrize("code, elapsed", [("2024Q1", Fraction(3, 12)), ("2024-05", Fraction(5, 12)),
                                           ("2024H2", 1), ("2024", 1)])
def test_the_share_of_the_year_gone_by_is_counted_in_months_at_a_months_end(school, code, elapsed):
    assert budget_of(school, code).elapsed == pytest.approx(float(elapsed))


def test_a_range_ending_mid_month_counts_the_share_in_days():
    assert budget.elapsed(dt.date(2024, 3, 15)) == pytest.approx((31 + 29 + 15) / 366)
    assert budget.elapsed(dt.date(2025, 1, 1)) == pytest.approx(1 / 365)


def test_lines_over_ahead_of_and_behind_the_year_are_named(school):
    found = budget_of(school, "2024Q2")  # half the year gone
    rates = {name: line.rate for name, line in found.by_line.items() if line.rate is not None}
    assert rates["困难帮扶"] > 1 and found.over == ["困难帮扶"]  # 6000 spent of 5000
    assert [n for n, r in rates.items() if 0.5 + 0.1 < r <= 1] == list(found.ahead) == []
    assert sorted(found.behind) == sorted(n for n, r in rates.items() if r < 0.5 - 0.1) == ["文体活动", "生病住院"]  # 节日活动 at 45% is within the margin


def test_a_sum_line_is_the_budget_of_the_lines_it_sums(tmp_path):
    lines = [[2024, "活动经费", 100000, SCHOOL], [2024, "文体活动", 60000, SCHOOL], [2024, "慰问经费", 9000, SCHOOL]]
    dataset = load(annual(budgets=lines))
    found = figures(dataset, parse_period("2024")).of(budget.KIND)
    all_events, all_visits = sum(r[4] for r in EVENTS), sum(r[4] for r in VISITS)
    assert found.budget == 169000 and found.counted == 100000 + 9000  # 文体活动 is inside 活动经费
    assert found.by_line["活动经费"].spent == all_events  # 民主管理 too: 活动经费 sums every category
    assert found.by_line["文体活动"].spent == sum(r[4] for r in EVENTS if r[2] == "文体活动")
    assert found.spent == pytest.approx(all_events + all_visits)


def test_the_subjects_sum_as_the_accounting_rules_map_them():
    dataset = load(annual(budgets=[[2024, "职工活动支出", 80000, SCHOOL], [2024, "维权支出", 10000, SCHOOL]]))
    found = figures(dataset, parse_period("2024")).of(budget.KIND)
    rights = sum(r[4] for r in EVENTS if r[2] == "民主管理") + sum(r[4] for r in VISITS if r[1] == "困难帮扶")
    assert found.by_line["维权支出"].spent == rights == 7200
    assert found.by_line["职工活动支出"].spent == sum(r[4] for r in EVENTS + VISITS) - rights


def test_only_the_views_units_with_a_budget_are_counted(school):
    found = budget_of(school, "2024Q2", [OTHER])
    assert found.budget is None and found.rate is None  # 蓝天中学 spent, but set no budget
    both = budget_of(school, "2024Q2", [SCHOOL, OTHER])
    assert both.spent == budget_of(school, "2024Q2", [SCHOOL]).spent


def test_a_view_takes_the_budget_of_its_last_days_year(school):
    assert budget_of(school, "2023Q4").budget is None
    assert budget_of(school, "2024-12").year == 2024
    assert budget_of(school, "2025Q1").budget is None


def test_years_and_amounts_are_read_as_offices_write_them():
    dataset = load({"预算": [["预算年度", "预算科目", "预算（万元）", "单位"], ["2024年", "文体活动经费", 1.5, SCHOOL],
                             [dt.date(2024, 1, 1), "慰问金", "3000元", SCHOOL]]})
    frame = dataset.frame("budget")
    assert list(frame["subject"]) == ["文体活动", "慰问经费"]
    assert list(frame["amount"]) == [15000.0, 3000.0]
    assert set(frame["date"].dt.year) == {2024}


def test_a_bad_year_is_reported_at_its_cell():
    dataset = load({"活动": [EVENT_HEAD, *EVENTS[:1]], "预算": [BUDGET_HEAD, [2024, "文体活动", 100, SCHOOL],
                                                               ["24年", "节日活动", 100, SCHOOL]]})
    [issue] = [i for i in dataset.report.issues if i.level == "error"]
    assert (issue.sheet, issue.row, issue.column, issue.cell) == ("预算", 3, "年度", "A3")
    assert "不是年份" in issue.message and "2025" in issue.message


def test_a_workbook_without_a_budget_shows_nothing_of_budgets(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    store.import_path(write_workbook(tmp_path / "a.xlsx", annual(budgets=None)), actor=OFFICE)
    result = figures(store.dataset(), parse_period("2024Q2"))
    assert result.of(budget.KIND).budget is None
    text = write_summary(result, SCHOOL).text()
    assert "预算" not in text and "执行率" not in text
    deck = tmp_path / "deck.pptx"
    write_deck(result, SCHOOL, deck)
    said = " ".join(shape.text_frame.text for slide in Presentation(str(deck)).slides for shape in slide.shapes
                    if shape.has_text_frame)
    assert "预算" not in said


def test_the_summary_says_the_budget_spent_and_rate_against_the_year(school):
    result = figures(school.dataset(), parse_period("2024Q2"), [SCHOOL])
    found = result.of(budget.KIND)
    text = write_summary(result, SCHOOL).text()
    spent_so_far = 21000 + 9001 + 6000 + 600
    assert (f"2024年全年经费预算{yuan(95000)}，截至6月底实际支出{yuan(spent_so_far)}，"
            f"预算执行率{percent(spent_so_far / 87000)}（时间进度50%）；困难帮扶支出已超出预算，需从严控制；") in text
    assert "困难帮扶支出已超出预算" in text
    assert f"另有业务支出等预算{yuan(8000)}" in text
    assert found.rate is not None


def test_the_summary_compares_the_rate_with_the_same_point_a_year_before(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    this_year = annual(budgets=[[2024, "文体活动", 10000, SCHOOL]],
                       events=[[dt.date(2024, 3, 1), "跑", "文体活动", 5, 4000.0, SCHOOL]], visits=[])
    last_year = annual(budgets=[[2023, "文体活动", 10000, SCHOOL]],
                       events=[[dt.date(2023, 2, 1), "跑", "文体活动", 5, 2500.0, SCHOOL]], visits=[])
    for name, sheets in (("2023.xlsx", last_year), ("2024.xlsx", this_year)):
        store.import_path(write_workbook(tmp_path / name, sheets), actor=OFFICE)
    text = write_summary(figures(store.dataset(), parse_period("2024Q1")), SCHOOL).text()
    points = (4000 - 2500) / 10000 * 100
    assert f"预算执行率40%（时间进度25%），比去年同期提高{points:g}个百分点" in text


def test_a_corrected_quarter_leaves_the_years_budget_counted(url, tmp_path):
    store = Store(url)
    store.import_path(write_workbook(tmp_path / "红星小学2024年.xlsx", annual()), actor=OFFICE)
    fixed = [[dt.date(2024, 2, 8), "更正运动会", "文体活动", 40, 700.0, SCHOOL]]
    result = store.import_path(write_workbook(tmp_path / "红星小学2024年第一季度（更正）.xlsx",
                                              annual(budgets=None, events=fixed, visits=[])),
                               actor=OFFICE, replace=True)
    assert result.status == IMPORTED and result.replaced
    found = budget_of(store, "2024Q2")
    assert found.budget == 95000  # the year's budget is not a row of the first quarter
    q1_kept = [r for r in EVENTS + VISITS if r[0] > dt.date(2024, 3, 31) and r[0] <= dt.date(2024, 6, 30)]
    expected = 700.0 + sum(r[4] for r in q1_kept if (r[2] if len(r) == 6 and r in EVENTS else r[1])
                           in ("文体活动", "节日活动", "困难帮扶", "生病住院"))
    assert found.spent == pytest.approx(expected)


def test_a_newer_budget_replaces_the_unit_years_budget_whole(url, tmp_path):
    store = Store(url)
    store.import_path(write_workbook(tmp_path / "a.xlsx", annual()), actor=OFFICE)
    before = store.coverage()
    revised = {"预算": [BUDGET_HEAD, [2024, "活动经费", 120000, SCHOOL]]}
    result = store.import_path(write_workbook(tmp_path / "预算（调整）.xlsx", revised), actor=OFFICE)
    assert result.status == IMPORTED and not result.parts  # a budget alone sets aside no period's rows
    found = budget_of(store, "2024")
    assert found.budget == 120000 and list(found.by_line) == ["活动经费"]
    assert found.spent == sum(r[4] for r in EVENTS)
    q2 = [parse_period("2024Q2")]
    assert figures_key(before, {}, q2, None) != figures_key(store.coverage(), {}, q2, None)
    store.delete(result.batch_id, actor=OFFICE)
    assert budget_of(store, "2024").budget == 95000  # the earlier budget counts again


def test_a_budget_alone_is_no_report_of_work_done(tmp_path):
    dataset = load({"预算": [BUDGET_HEAD, *BUDGETS]})
    result = figures(dataset, parse_period("2024Q2"))
    assert result.empty and result.reporting == ()
    assert period_figures(dataset, parse_period("2024Q2"), None).units == []


def test_the_template_has_the_sheet_with_its_dropdown_and_year_check(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    sheet = openpyxl.load_workbook(path)["预算"]
    assert [c.value for c in sheet[1]][:3] == ["年度", "科目", "预算金额（元）"]
    rules = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert rules["A2"].type == "whole" and (rules["A2"].formula1, rules["A2"].formula2) == ("1990", "2100")
    assert rules["B2"].type == "list"


def test_the_export_keeps_the_budget_and_reads_back_to_the_same_figures(school, tmp_path):
    target = tmp_path / "export.xlsx"
    dataset = school.dataset()
    write_dataset(dataset, target)
    book = openpyxl.load_workbook(target)
    rows = list(book["预算"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[:3] for r in rows) == sorted((2024, s, float(a)) for _, s, a, _ in BUDGETS)
    again = load_bytes(target.read_bytes(), "export.xlsx")
    q2 = parse_period("2024Q2")
    assert figures(again, q2).of(budget.KIND) == figures(dataset, q2).of(budget.KIND)


def test_the_deck_has_the_budget_charts_and_table(school, tmp_path):
    path = tmp_path / "deck.pptx"
    write_deck(figures(school.dataset(), parse_period("2024Q2"), [SCHOOL]), SCHOOL, path)
    slides = Presentation(str(path)).slides
    titles = [slide_title(slide) for slide in slides]
    assert any("各科目预算与实际支出" in t for t in titles)
    assert any("2024年1—6月累计支出与全年预算" in t for t in titles)
    [table_slide] = [s for s in slides if slide_title(s) == "2024年预算执行情况"]
    cells = [c.text for shape in table_slide.shapes if shape.has_table for row in shape.table.rows for c in row.cells]
    assert {"困难帮扶", "超支", yuan(6000)} <= set(cells)
    [bars] = [s for s in slides if "各科目预算与实际支出" in slide_title(s)]
    [chart] = [shape.chart for shape in bars.shapes if shape.has_chart]
    values = {series.name: list(series.values) for series in chart.plots[0].series}
    assert values["预算"][0] == pytest.approx(6.0) and values["实际支出"][0] == pytest.approx(2.1)  # 万元


def test_the_command_line_prints_the_budget_line(school, capsys, monkeypatch):
    monkeypatch.setenv("UNIONSTATS_DB", school.url)
    assert cli.main(["stats", "--period", "2024Q2", "--unit", SCHOOL, "--db", school.url]) == 0
    out = capsys.readouterr().out
    assert f"预算 2024年 {yuan(95000)}，已支出 {yuan(36601)}，执行率 {percent(36601 / 87000)}（时间进度 50%）" in out


def test_the_sample_has_a_budget_for_each_year():
    dataset = load_bytes((ROOT / "data" / "sample.xlsx").read_bytes(), "sample.xlsx")
    years = dataset.frame("budget")["date"].dt.year
    assert sorted(set(years)) == [2024, 2025]
    assert figures(dataset, parse_period("2025")).of(budget.KIND).rate is not None


def test_the_charts_name_the_months_and_say_the_share_of_the_year_beneath(school):
    result = figures(school.dataset(), parse_period("2024Q3"), [SCHOOL])
    bars, line = (build(result, SCHOOL) for build in budget.KIND.charts)
    assert bars.title == f"{SCHOOL} 2024年1—9月各科目预算与实际支出"
    assert bars.help.startswith("时间进度75%；")
    assert bars.categories == ("文体活动", "节日活动", "生病住院", "困难帮扶")  # 业务支出 has nothing to set beside it
    assert line.title == f"{SCHOOL} 2024年1—9月累计支出与全年预算"
    assert [s.name for s in line.series] == ["累计支出", "全年预算"] and line.series[1].reference
    assert set(line.series[1].values) == {87000}
    january = figures(school.dataset(), parse_period("2024-01"), [SCHOOL])
    assert budget.KIND.charts[1](january, "").title == "2024年1月累计支出与全年预算"


def test_without_a_budget_the_charts_are_not_worth_drawing(tmp_path):
    result = figures(load(annual(budgets=None)), parse_period("2024Q2"))
    assert [build(result, "").worth for build in budget.KIND.charts] == [False, False]
    assert budget.KIND.pages[0].absent(result).startswith("2024年没有预算数据")
    assert budget.slides(result) == [] and budget.line(result) == "" and budget.key_figures(result) == []


# The mapping of each 科目 to the spending it counts and to its 工会会计制度 subject, as docs/workbook-format.md has it.
ACTIVITY, RIGHTS = "职工活动支出", "维权支出"
EVENT_CATEGORIES = ("文体活动", "节日活动", "参观旅游", "学习培训", "民主管理", "志愿公益", "其他")
VISIT_REASONS = ("生病住院", "结婚", "生育", "丧事", "困难帮扶", "离退休慰问", "生日祝寿", "节日慰问", "谈心谈话", "其他")


def test_each_subject_counts_the_spending_and_falls_under_the_accounting_subject_the_docs_name():
    lines = {line.name: (line.subject, line.covers) for line in budget.LINES}
    events = {("events", c) for c in EVENT_CATEGORIES}
    visits = {("visits", r) for r in VISIT_REASONS}
    rights = {("events", "民主管理"), ("visits", "困难帮扶")}
    expected = {
        **{("其他活动" if c == "其他" else c): (RIGHTS if c == "民主管理" else ACTIVITY, {("events", c)})
           for c in EVENT_CATEGORIES},
        **{("其他慰问" if r == "其他" else r): (RIGHTS if r == "困难帮扶" else ACTIVITY, {("visits", r)})
           for r in VISIT_REASONS},
        "活动经费": (f"{ACTIVITY}、{RIGHTS}", events), "慰问经费": (f"{ACTIVITY}、{RIGHTS}", visits),
        ACTIVITY: (ACTIVITY, (events | visits) - rights), RIGHTS: (RIGHTS, rights),
        "业务支出": ("业务支出", set()), "其他": ("未对应科目", set()),
    }
    assert {name: (subject, set(covers)) for name, (subject, covers) in lines.items()} == expected
    assert list(lines)[:7] == ["文体活动", "节日活动", "参观旅游", "学习培训", "民主管理", "志愿公益", "其他活动"]


def q2_figures(budgets: list[list], events: list[list], visits=()) -> tuple:
    result = figures(load(annual(budgets=budgets, events=events, visits=list(visits))), parse_period("2024Q2"))
    return result, result.of(budget.KIND)


def test_a_line_at_the_margin_is_on_time_and_one_spending_its_budget_exactly_is_not_over():
    # half the year gone: 60% and 40% are exactly at the margin; 100% is ahead but not over; 70% is ahead
    budgets = [[2024, c, 5000, SCHOOL] for c in ("文体活动", "节日活动", "参观旅游", "学习培训", "志愿公益")]
    spent = {"文体活动": 3000.0, "节日活动": 2000.0, "参观旅游": 5000.0, "学习培训": 3500.0, "志愿公益": 1500.0}
    events = [[dt.date(2024, 2, 1), c, c, 1, amount, SCHOOL] for c, amount in spent.items()]
    result, found = q2_figures(budgets, events)
    assert found.over == [] and found.ahead == ["参观旅游", "学习培训"] and found.behind == ["志愿公益"]
    assert [row[2] for row in budget.line_rows(found)] == ["正常", "正常", "偏快", "偏快", "偏慢"]
    assert found.count == 5
    assert "；参观旅游和学习培训执行快于时间进度；志愿公益执行慢于时间进度，需加快推进。" in budget.funds(Writer(result, SCHOOL))
    assert budget.SPENT_CARD.value(result) == sum(spent.values()) == 15000


def test_the_table_and_the_slide_write_each_line_as_a_reader_sees_it(school):
    result = figures(school.dataset(), parse_period("2024Q2"), [SCHOOL])
    table = budget.line_table(result)
    assert list(table.columns) == ["科目", "会计科目", "预算（元）", "已支出（元）", "执行率", "进度"]
    assert table.astype(object).where(table.notna(), None).values.tolist() == [
        ["文体活动", ACTIVITY, 60000.0, 21000.0, "35%", "偏慢"],
        ["节日活动", ACTIVITY, 20000.0, 9001.0, "45%", "正常"],
        ["生病住院", ACTIVITY, 2000.0, 600.0, "30%", "偏慢"],
        ["困难帮扶", RIGHTS, 5000.0, 6000.0, "120%", "超支"],
        ["业务支出", "业务支出", 8000.0, None, "", "无支出记录"]]
    [grid] = budget.slides(result)
    assert (grid.title, grid.note) == ("2024年预算执行情况", "时间进度50%；执行率＝已支出÷预算")
    assert grid.headers == ("科目", "会计科目", "预算", "已支出", "执行率", "进度")
    assert grid.rows[0] == ("文体活动", ACTIVITY, "6万元", "2.1万元", "35%", "偏慢")
    assert grid.rows[-1] == ("业务支出", "业务支出", "8000元", "—", "—", "无支出记录")
    assert budget.key_figures(result) == [("预算执行率", percent(36601 / 87000))]


def test_a_budget_with_nothing_spent_yet_says_zero(tmp_path):
    later = [[dt.date(2024, 9, 1), "秋游", "参观旅游", 10, 800.0, SCHOOL]]
    result, found = q2_figures([[2024, "文体活动", 10000, SCHOOL]], later)
    assert (found.spent, found.rate) == (0.0, 0.0)
    assert found.cumulative == {f"2024-{m:02d}": 0.0 for m in range(1, 7)}
    bars, line = (build(result, "") for build in budget.KIND.charts)
    assert [s.values for s in bars.series] == [(10000.0,), (0.0,)]
    assert line.series[0].values == (0.0,) * 6 and line.series[1].values == (10000.0,) * 6
    assert budget.line(result) == "预算 2024年 1万元，已支出 0元，执行率 0%（时间进度 50%）"
    text = budget.funds(Writer(result, SCHOOL))
    assert text.startswith("2024年全年经费预算1万元，截至6月底实际支出0元，预算执行率0%（时间进度50%）；文体活动执行慢于时间进度")


def test_a_budget_of_lines_no_sheet_records_has_no_rate_and_draws_no_bars():
    result, found = q2_figures([[2024, "业务支出", 8000, SCHOOL]], EVENTS[:1])
    assert (found.budget, found.counted, found.spent, found.rate) == (8000.0, 0.0, 0.0, None)
    bars, line = (build(result, "") for build in budget.KIND.charts)
    assert bars.categories == () and bars.series == () and bars.empty == "没有可计算执行情况的预算科目"
    assert bars.worth and line.series[1].values == (0.0,) * 6
    assert budget.line(result) == "预算 2024年 8000元，已支出 0元（时间进度 50%）"
    assert budget.funds(Writer(result, SCHOOL)) == "" and budget.key_figures(result) == []


def test_the_charts_are_described_for_both_renderers(school):
    result = figures(school.dataset(), parse_period("2024Q2"), [SCHOOL])
    bars, line = (build(result, "") for build in budget.KIND.charts)
    assert (bars.shape, bars.together, bars.horizontal, bars.additive) == ("bar", True, False, True)
    assert [(s.name, s.unit, s.reference) for s in bars.series] == [("预算", "元", True), ("实际支出", "元", False)]
    assert bars.help == ("时间进度50%；预算：预算表各科目“预算金额”之和；实际支出：有该科目预算的单位自1月1日至期末的活动支出、"
                         "慰问金额；业务支出等无支出记录的科目不在图中")
    assert (line.shape, line.together, line.additive, line.empty) == ("line", True, False, "没有预算数据")
    assert [(s.name, s.reference) for s in line.series] == [("累计支出", False), ("全年预算", True)]
    assert line.ticks == tuple(f"{m}月" for m in range(1, 7)) and line.categories[0] == "2024年1月"
    assert line.help == "累计支出：有预算的单位自1月1日起到各月底的预算科目支出；全年预算：计入执行率的预算（不含业务支出等）"
    many = [[2024, c, 1000, SCHOOL] for c in ("文体活动", "节日活动", "参观旅游", "学习培训", "民主管理", "志愿公益")]
    six, _ = q2_figures(many, EVENTS)
    seven, _ = q2_figures(many + [[2024, "生病住院", 1000, SCHOOL]], EVENTS)
    assert not budget.KIND.charts[0](six, "").horizontal and budget.KIND.charts[0](seven, "").horizontal
    february = figures(school.dataset(), parse_period("2024-02"), [SCHOOL])
    assert budget.KIND.charts[1](february, "").title == "2024年1—2月累计支出与全年预算"


def test_the_rate_is_compared_in_points_falling_or_level_and_a_year_with_the_year_before(tmp_path):
    def text(code: str, before: float, now: float) -> str:
        store = Store(f"sqlite:///{tmp_path / f'{code}{before}{now}.db'}")
        for year, spent in ((2023, before), (2024, now)):
            sheets = annual(budgets=[[year, "文体活动", 10000, SCHOOL]], visits=[],
                            events=[[dt.date(year, 2, 1), "跑", "文体活动", 5, spent, SCHOOL]])
            store.import_path(write_workbook(tmp_path / f"{year}.xlsx", sheets), actor=OFFICE)
        return budget.funds(Writer(figures(store.dataset(), parse_period(code)), SCHOOL))

    assert text("2024Q1", 4000.0, 2500.0).endswith("预算执行率25%（时间进度25%），比去年同期下降15个百分点。")
    assert text("2024Q1", 2500.0, 2500.0).endswith("（时间进度25%），与去年同期持平。")
    assert text("2024", 4000.0, 2500.0).endswith(
        "全年实际支出2500元，预算执行率25%（时间进度100%），比上年下降15个百分点；文体活动执行率不足90%，结余较多。")
    assert text("2024Q1", 2500.0, 2600.0).endswith("比去年同期提高1个百分点。")


def test_a_range_ending_mid_month_says_its_day():
    result = figures(load(annual()), parse_period("2024-01-01..2024-03-15"))
    assert "截至3月15日实际支出" in budget.funds(Writer(result, SCHOOL))


def test_a_subject_outside_the_list_keeps_its_budget_without_a_rate():
    rows = dataset(budget=[dict(date="2024-01-01", subject="奇怪科目", amount=500.0, unit=SCHOOL),
                           dict(date="2024-01-01", subject="文体活动", amount=1000.0, unit=SCHOOL)],
                   events=[dict(date="2024-03-01", name="跑", category="文体活动", participants=3, spending=100.0,
                                unit=SCHOOL)])
    found = figures(rows, parse_period("2024Q1")).of(budget.KIND)
    assert found.by_line["其他"] == budget.BudgetLine("未对应科目", 500.0, None, None)
    assert (found.budget, found.counted, found.spent) == (1500.0, 1000.0, 100.0)
    assert budget.budget_figures(rows.frame("budget"), View(rows, None, None)) == budget.BudgetFigures()


def test_a_budget_of_nothing_that_was_spent_is_over_and_one_untouched_is_on_time():
    budgets = [[2024, "文体活动", 0, SCHOOL], [2024, "节日活动", 0, SCHOOL], [2024, "参观旅游", 1000, SCHOOL]]
    events = [[dt.date(2024, 2, 1), "跑", "文体活动", 1, 300.0, SCHOOL], [dt.date(2024, 2, 2), "游", "参观旅游", 1, 500.0,
                                                                         SCHOOL]]
    _, found = q2_figures(budgets, events)
    assert found.over == ["文体活动"] and found.by_line["文体活动"].rate is None
    assert [row[2] for row in budget.line_rows(found)] == ["超支", "正常", "正常"]


def test_the_rate_change_is_rounded_once_to_a_tenth_of_a_point_and_needs_last_years_budget(tmp_path):
    def text(last_year_budget: bool, before: float) -> str:
        store = Store(f"sqlite:///{tmp_path / f'{last_year_budget}{before}.db'}")
        for year, spent, planned in ((2023, before, last_year_budget), (2024, 2500.0, True)):
            sheets = annual(budgets=[[year, "文体活动", 10000, SCHOOL]] if planned else None, visits=[],
                            events=[[dt.date(year, 2, 1), "跑", "文体活动", 5, spent, SCHOOL]])
            store.import_path(write_workbook(tmp_path / f"{year}.xlsx", sheets), actor=OFFICE)
        return budget.funds(Writer(figures(store.dataset(), parse_period("2024Q1")), SCHOOL))

    assert text(True, 2512.0).endswith("预算执行率25%（时间进度25%），比去年同期下降0.1个百分点。")
    assert text(False, 2512.0).endswith("预算执行率25%（时间进度25%）。")  # 2023 had activities but no budget


def test_without_a_budget_or_a_period_nothing_is_written_or_titled():
    result = figures(load(annual(budgets=None)), parse_period("2024Q2"))
    bars, line = (build(result, "") for build in budget.KIND.charts)
    assert (bars.title, line.title) == ("各科目预算与实际支出", "累计支出与全年预算")
    assert bars.help.startswith("预算：") and line.series == () and bars.series == ()
    assert list(budget.line_table(result).columns) == ["科目", "会计科目", "预算（元）", "已支出（元）", "执行率", "进度"]
    assert [card.shown(result) for card in budget.KIND.cards] == [False, False, False]
    nothing = figures(Dataset())
    assert nothing.period is None
    assert [build(nothing, "").title for build in budget.KIND.charts] == ["各科目预算与实际支出", "累计支出与全年预算"]
    assert budget.KIND.pages[0].absent(nothing).startswith("所选期间没有预算数据")


def test_the_decks_key_figures_hold_the_budget_cards_inside_the_slide(school, tmp_path):
    path = tmp_path / "deck.pptx"
    write_deck(figures(school.dataset(), parse_period("2024Q2"), [SCHOOL]), SCHOOL, path)
    deck = Presentation(str(path))
    [slide] = [s for s in deck.slides if slide_title(s) == "主要数据"]
    texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    assert any(text.startswith("全年预算") for text in texts) and any(text.startswith("预算执行率") for text in texts)
    assert all(shape.left + shape.width <= deck.slide_width and shape.top + shape.height <= deck.slide_height
               for shape in slide.shapes)
