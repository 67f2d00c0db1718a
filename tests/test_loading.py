import datetime as dt
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workbooks import load, workbook_bytes

from unionstats.contract import registry, schema
from unionstats.figures.engine import figures
from unionstats.intake.loading import load_bytes, load_files, load_path
from unionstats.intake.model import Dataset
from unionstats.kinds import budget as budget_kind
from unionstats.kinds import competitions as competitions_kind
from unionstats.kinds import donations as donations_kind
from unionstats.kinds import events as events_kind
from unionstats.kinds import visits as visits_kind
from unionstats.kinds.events import EventGroup

EVENT = [dt.date(2024, 4, 3), "春季健步走", "文体活动", 120, 3600]
HEAD = ["日期", "活动名称", "类别", "参与人次", "支出"]


def test_several_files_combine_and_keep_their_sources(tmp_path):
    first = tmp_path / "一季度.xlsx"
    second = tmp_path / "二季度.xlsx"
    first.write_bytes(workbook_bytes({"活动": [HEAD, EVENT]}))
    visits = [["日期", "事由"], ["2024-05-01", "住院"]]
    second.write_bytes(workbook_bytes({"活动": [HEAD, EVENT, EVENT], "慰问": visits}))
    dataset = load_files([first, second])
    assert dataset.events["source"].tolist() == ["一季度.xlsx", "二季度.xlsx", "二季度.xlsx"]
    assert len(dataset.visits) == 1 and dataset.sources == ["一季度.xlsx", "二季度.xlsx"]


def test_two_sheets_of_one_kind_are_both_read():
    dataset = load({"一季度活动": [HEAD, EVENT], "二季度活动": [HEAD, EVENT]})
    assert dataset.events["sheet"].tolist() == ["一季度活动", "二季度活动"]


def test_an_unexpected_failure_is_still_a_message(monkeypatch):
    import unionstats.intake.loading as loading

    monkeypatch.setattr(loading, "read_workbook", lambda data, name: 1 / 0)
    dataset = loading.read_untrusted(b"whatever", "x.xlsx")  # what the child runs; a patch reaches only this process
    assert "意外错误" in dataset.report.errors[0].message


# Property: random valid records, dressed in random legal ways, load back unchanged.

NAMES = st.text(alphabet="春夏秋冬健步走读书会羽毛球联欢慰问学习" + string.digits, min_size=1, max_size=12)
CENTS = st.integers(0, 5_000_000)
DATES = st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31))
YEARS = st.integers(2020, 2026).map(lambda year: dt.date(year, 1, 1))  # a 年度, loaded as its first day


def records(sheet: schema.Sheet) -> st.SearchStrategy:
    fields = {
        "events": dict(date=DATES, name=NAMES, category=st.sampled_from(events_kind.CATEGORIES),
                       participants=st.integers(0, 2000), spending=CENTS),
        "visits": dict(date=DATES, reason=st.sampled_from(visits_kind.REASONS),
                       group=st.sampled_from(("",) + visits_kind.GROUPS), count=st.integers(1, 50), amount=CENTS),
        "donations": dict(date=DATES, campaign=NAMES, cash=CENTS, goods=st.integers(0, 300)),
        "budget": dict(date=YEARS, subject=st.sampled_from(budget_kind.SHEET.column("subject").choices), amount=CENTS),
        "competitions": dict(date=DATES, name=NAMES, level=st.sampled_from(competitions_kind.LEVELS),
                             result=st.sampled_from(competitions_kind.RESULTS_CHOSEN), awards=st.integers(1, 9)),
    }[sheet.key]
    record = st.fixed_dictionaries(fields)
    if sheet is donations_kind.SHEET:
        record = record.filter(lambda r: r["cash"] or r["goods"])
    return st.lists(record, min_size=1, max_size=12)


@st.composite
def dressed_value(draw, column: schema.Column, value):
    if column.kind == schema.DATE:
        forms = [value, value.isoformat(), f"{value.year}/{value.month}/{value.day}",
                 f"{value.year}.{value.month}.{value.day}", f"{value.year}年{value.month}月{value.day}日",
                 value.strftime("%Y%m%d")]
        return draw(st.sampled_from(forms))
    if column.kind == schema.YEAR:
        return draw(st.sampled_from([value.year, str(value.year), f"{value.year}年", f"{value.year}年度"]))
    if column.kind == schema.MONEY:
        yuan = value / 100
        forms = [yuan, f"{yuan:,.2f}", f"¥{yuan:.2f}", f"{yuan:.2f}元", f"{value / 1_000_000:.6f}万元"]
        return draw(st.sampled_from(forms))
    if column.kind == schema.INT:
        return draw(st.sampled_from([value, str(value)]))
    return value or None


@st.composite
def dressed_sheet(draw, sheet: schema.Sheet, rows: list[dict]):
    keys = list(rows[0])
    columns = [sheet.column(k) for k in keys]
    headers = []
    for column in columns:
        header = draw(st.sampled_from(column.headers))
        if column.kind == schema.MONEY and draw(st.booleans()):
            header += draw(st.sampled_from(["（元）", "(元)"]))
        if draw(st.booleans()):
            header = " ".join(header)
        headers.append(header)
    body = []
    for row in rows:
        body.append([draw(dressed_value(c, row[c.key])) for c in columns])
        if draw(st.integers(0, 5)) == 0:
            body.append([None] * len(columns))
    if draw(st.booleans()):
        total = [sum(r[c.key] for r in rows) / (100 if c.kind == schema.MONEY else 1)
                 if c.kind in (schema.INT, schema.MONEY) else None for c in columns]
        body.append(["合计"] + total[1:])
    titles = draw(st.sampled_from([[], [["2024年度工会工作统计表"]], [["统计表"], [], ["填报单位：某工会"]]]))
    name = draw(st.sampled_from(sheet.names)) + draw(st.sampled_from(["", "统计", "（二季度）"]))
    return name, titles + [headers] + body


def expected(sheet: schema.Sheet, row: dict) -> dict:
    return {k: (v / 100 if sheet.column(k).kind == schema.MONEY else v) for k, v in row.items()}


def loaded(dataset: Dataset, sheet: schema.Sheet, keys: list[str]) -> list[dict]:
    frame = dataset.frame(sheet.key)
    return [{k: (r[k].date() if k == "date" else r[k]) for k in keys} for r in frame.to_dict("records")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), fmt=st.sampled_from([".xlsx", ".xls"]))
def test_random_records_dressed_in_legal_ways_load_back_unchanged(data, fmt):
    sheets, originals = {}, {}
    for sheet in data.draw(st.lists(st.sampled_from(registry.sheets()), min_size=1, max_size=4, unique=True)):
        rows = data.draw(records(sheet))
        name, cells = data.draw(dressed_sheet(sheet, rows))
        sheets[name] = cells
        originals[sheet] = rows
    sheets["单位信息"] = [["单位名称", "某工会"]]
    dataset = load_bytes(workbook_bytes(sheets, fmt), "随机" + fmt)
    assert dataset.report.errors == [] and dataset.report.warnings == []
    for sheet, rows in originals.items():
        assert loaded(dataset, sheet, list(rows[0])) == [expected(sheet, r) for r in rows]
    result = figures(dataset)
    events, visits = originals.get(events_kind.SHEET, []), originals.get(visits_kind.SHEET, [])
    donations, competitions = originals.get(donations_kind.SHEET, []), originals.get(competitions_kind.SHEET, [])
    assert result.events.participants == sum(r["participants"] for r in events)
    assert result.events.spending == sum(r["spending"] for r in events) / 100
    assert result.visits.count == sum(r["count"] for r in visits)
    assert result.visits.amount == sum(r["amount"] for r in visits) / 100
    assert result.donations.cash == sum(r["cash"] for r in donations) / 100
    assert result.competitions.awards == sum(r["awards"] for r in competitions if r["result"] != "参与")


def test_a_template_filled_the_way_a_clerk_fills_it(tmp_path):
    """Title rows, a renamed sheet, text dates, money as text, a merged cell, a blank row and a 合计 row."""
    import openpyxl

    from unionstats.contract.periods import parse_period
    from unionstats.exports.template import write_template

    write_template(tmp_path / "template.xlsx")
    book = openpyxl.load_workbook(tmp_path / "template.xlsx")
    ws = book["活动"]
    ws.title = "2024年二季度活动"
    ws.delete_rows(2)
    ws.insert_rows(1, 2)
    ws["A1"] = "江城市农科所工会2024年第二季度活动统计表"
    ws.merge_cells("A1:G1")
    ws["A2"] = "填报人：李秀英"
    rows = [["2024.4.3", "春季健步走", "文体活动", 120, "3,600元", "机关分会"],
            ["2024年4月25日", "工会干部培训", "培训", 15, "0.22万元", "机关分会"],
            [dt.date(2024, 5, 1), "五一座谈会", "节日", 40, 1200, "试验站分会"],
            ["2024/5/29", "端午包粽子", "节日活动", 85, "¥2,550.5", None],
            [None] * 6,
            ["20240620", "读书分享会", "学习培训", 28, 336, "机关分会"],
            ["合计", None, None, 288, 9886.5, None]]
    for row_number, row in enumerate(rows, start=4):
        for column, value in enumerate(row, start=1):
            ws.cell(row_number, column, value)
    ws.merge_cells("F6:F8")
    visits = book["慰问"]
    visits.delete_rows(2)
    for row in (["2024-04-09", "住院", "在职职工", "甲", 1, 500],
                ["2024-05-20", "新婚", "在职职工", "乙", 1, "1000元"],
                ["2024-06-30", "去世", "离退休人员", "丙", 1, 1000],
                ["2024-06-12", "困难", "在职职工", "丁", 2, "6,000"]):
        visits.append(row)
    book["单位信息"]["B2"], book["单位信息"]["B3"] = "江城市农科所工会", 186
    book.save(tmp_path / "clerk.xlsx")

    dataset = load_path(tmp_path / "clerk.xlsx")
    assert dataset.report.errors == [] and dataset.report.warnings == []
    result = figures(dataset, parse_period("2024Q2"))
    assert (result.events.count, result.events.participants, result.events.spending) == (
        5, 120 + 15 + 40 + 85 + 28, 3600 + 2200 + 1200 + 2550.5 + 336)
    assert result.events.by_unit["试验站分会"].participants == 40 + 85
    assert result.events.by_category["学习培训"] == EventGroup(count=2, participants=43, spending=2536.0)
    assert (result.visits.count, result.visits.amount) == (5, 8500.0)
    people = {r: g.people for r, g in result.visits.by_reason.items()}
    assert people == {"生病住院": 1, "结婚": 1, "丧事": 1, "困难帮扶": 2}


def test_a_blank_count_cell_takes_the_columns_default_not_zero():
    data = load({"慰问": [["日期", "事由", "人次", "金额"], ["2024-05-01", "住院", None, 500],
                          ["2024-05-02", "结婚", 3, 1000]],
                 "比赛": [["日期", "赛事名称", "名次", "获奖数", "参赛人数"],
                          ["2024-05-18", "运动会", "第一名", None, None]]})
    assert data.report.errors == []
    assert data.visits["count"].tolist() == [1, 3]
    assert data.competitions["awards"].tolist() == [1]
    assert data.competitions["entrants"].isna().all()


def test_a_unit_written_in_the_cell_wins_over_the_headers():
    data = load({"活动": [["日期", "活动名称", "参与人次", "支出（万元）"],
                          ["2024-05-01", "甲", 1, "1500元"], ["2024-05-02", "乙", 1, "0.36"],
                          ["2024-05-03", "丙", 1, 0.36], ["2024-05-04", "丁", 1, "0.5万元"],
                          ["2024-05-05", "戊", 1, "2万"]]})
    assert data.report.errors == []
    assert data.events["spending"].tolist() == [1500.0, 3600.0, 3600.0, 5000.0, 20000.0]


# Hostile cells: whatever a text cell holds, what loads holds no control character, one warning
# names each cell that had some, and every issue fits the store's columns.

# (Not U+FFFE or U+FFFF: xlwt writes them, and calamine reads them back, as byte-order marks that swap the
# bytes of what follows; test_values holds them to the same rule.)
CONTROL_CHARACTERS = "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0),
                                       0xFDD0, 0xFDEF]))
HOSTILE_TEXT = st.text(alphabet="春游读书 会" + CONTROL_CHARACTERS, min_size=1, max_size=10)


def fits_the_store(issue) -> bool:
    return (len(issue.sheet) <= schema.SHEET_LENGTH and len(issue.column) <= schema.COLUMN_LENGTH
            and len(issue.cell) <= schema.CELL_LENGTH)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(HOSTILE_TEXT, min_size=1, max_size=6), notes=st.lists(HOSTILE_TEXT, min_size=6, max_size=6))
def test_control_characters_anywhere_in_text_cells_are_taken_out_and_named(names, notes):
    rows = [[dt.date(2024, 4, 3), name, "文体活动", 1, 0, note] for name, note in zip(names, notes)]
    dataset = load({"活动": [HEAD + ["备注"], *rows], "单位信息": [["单位名称", "机关工会"]]}, ".xls")

    def kept(text: str) -> str:
        return " ".join(schema.visible(text).split())

    def dirty(text: str) -> bool:
        return schema.visible(text) != text

    frame = dataset.events
    good = [i for i, name in enumerate(names) if kept(name)]
    assert frame["name"].tolist() == [kept(names[i]) for i in good]
    assert frame["notes"].tolist() == [kept(notes[i]) for i in good]
    warned = sorted((w.row, w.cell) for w in dataset.report.warnings)
    assert warned == sorted([(i + 2, f"B{i + 2}") for i, n in enumerate(names) if dirty(n)]
                            + [(i + 2, f"F{i + 2}") for i, n in enumerate(notes[:len(names)]) if dirty(n)])
    assert {w.message for w in dataset.report.warnings} <= {"单元格含有不可见的控制字符，已删除，请核对内容"}
    for issue in dataset.report.issues:
        assert not any(schema.INVISIBLE.search(str(v)) for v in vars(issue).values()) and fits_the_store(issue)
    for column in ("name", "notes", "unit", "sheet"):
        assert not any(schema.INVISIBLE.search(text) for text in frame[column])
