"""The standard-format export: every value back as it went in, and never the 对象 names unless asked for."""

import datetime as dt
import zipfile

import openpyxl
import pandas as pd
import pytest
from builders import dataset
from workbooks import workbook_bytes

from unionstats import cli, schema, stats
from unionstats.exports.workbook import write_dataset
from unionstats.loading import load_path

JG, YF = "机关工会", "一分会"
NAMES = ["张三丰", "李四光", "欧阳娜娜", "司马相如"]
MEMBERS = {JG: 120, YF: 35}

EVENTS = [
    dict(date="2024-01-01", name="元旦长跑", category="文体活动", participants=120, spending=0.1, unit=JG,
         notes="上午"),
    dict(date="2024-02-10", name="春节联欢", category="节日活动", participants=0, spending=0.36, unit=YF),
    dict(date="2024-03-31", name="读书会", category="学习培训", participants=7, spending=12345.67, unit=JG),
    dict(date="2024-03-31", name="无经费活动", category="其他", participants=3, spending=0.0, unit=YF),
]
VISITS = [
    dict(date="2024-01-05", reason="生病住院", group="在职职工", person=NAMES[0], count=1, amount=500.0, unit=JG),
    dict(date="2024-02-01", reason="结婚", group="", person=NAMES[1], count=2, amount=0.36, unit=YF,
         notes="新婚慰问"),
    dict(date="2024-02-29", reason="困难帮扶", group="离退休人员", person="", count=1, amount=12345.67, unit=JG),
    dict(date="2024-03-08", reason="节日慰问", group="女职工", person=NAMES[2], count=30, amount=0.1, unit=JG),
    dict(date="2024-03-31", reason="丧事", group="在职职工", person=NAMES[3], count=1, amount=1000.01, unit=YF),
]
DONATIONS = [
    dict(date="2024-01-20", campaign="慈善一日捐", cash=12345.67, goods=0, donors=88, kind="集体", unit=JG),
    dict(date="2024-03-01", campaign="冬衣捐赠", cash=0.0, goods=40, goods_note="新棉被", donors=None, kind="",
         unit=YF),
    dict(date="2024-03-02", campaign="特殊党费", cash=0.36, goods=0, donors=1, kind="特殊党费", unit=JG),
]
COMPETITIONS = [
    dict(date="2024-03-15", name="全民健身运动会", level="市级", event="女子团体", entry="团体", entrants=12,
         result="第一名", awards=1, unit=JG),
    dict(date="2024-03-20", name="职工书画展", level="", event="", entry="个人", entrants=None, result="其他奖项",
         award_name="最佳组织奖", awards=3, unit=YF),
    dict(date="2024-03-31", name="羽毛球赛", level="系统内", event="男单", entry="个人", entrants=4, result="参与",
         awards=1, unit=JG),
]
RECORDS = {"events": EVENTS, "visits": VISITS, "donations": DONATIONS, "competitions": COMPETITIONS}


def source() -> object:
    return dataset(events=EVENTS, visits=VISITS, donations=DONATIONS, competitions=COMPETITIONS, members=MEMBERS)


def expected_cell(record: dict, column: schema.Column) -> object:
    """What the cell of a record should hold, worked out here from the record alone."""
    value = record.get(column.key, column.default)
    if column.kind == schema.DATE:
        return dt.datetime.fromisoformat(value)
    if column.kind == schema.RESULT and value == schema.OTHER_AWARD:
        return record["award_name"]
    if column.kind in (schema.TEXT, schema.CATEGORY, schema.RESULT):
        return value or None
    return value


def sheet_rows(path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def every_text(path) -> str:
    """The cells and every XML part of the file, so a name hidden anywhere in the package is found."""
    cells = [str(v) for rows in sheet_rows(path).values() for row in rows for v in row if v is not None]
    with zipfile.ZipFile(path) as package:
        parts = [package.read(n).decode("utf-8", "replace") for n in package.namelist()]
    return "\n".join(cells + parts)


def comparable(frame) -> list[dict]:
    return frame.drop(columns=["source"]).to_dict("records")


@pytest.fixture
def exported(tmp_path):
    def write(with_names: bool):
        path = tmp_path / ("with-names.xlsx" if with_names else "export.xlsx")
        write_dataset(source(), path, with_names=with_names)
        return path
    return write


def test_the_names_are_not_exported_by_default(exported):
    path = exported(False)
    rows = sheet_rows(path)
    for title, sheet_cells in rows.items():
        assert "对象" not in sheet_cells[0], title
        assert not {"姓名", "慰问对象", "person"} & set(sheet_cells[0]), title
    text = every_text(path)
    for name in NAMES:
        assert name not in text


def test_the_names_are_exported_in_their_rows_only_when_asked_for(exported):
    rows = sheet_rows(exported(True))
    header, *body = rows[schema.VISITS.name]
    assert header == tuple(c.name for c in schema.VISITS.columns)
    at = header.index("对象")
    assert [row[at] for row in body] == [r["person"] or None for r in VISITS]
    assert [row[header.index("日期")].date().isoformat() for row in body] == [r["date"] for r in VISITS]


@pytest.mark.parametrize("with_names", [False, True], ids=["without-names", "with-names"])
def test_every_other_value_is_exported_exactly(exported, with_names):
    rows = sheet_rows(exported(with_names))
    assert list(rows) == [s.name for s in schema.DATA_SHEETS] + [schema.INFO_SHEET_NAMES[0]]
    for sheet in schema.DATA_SHEETS:
        columns = [c for c in sheet.columns if with_names or c.key != "person"]
        header, *body = rows[sheet.name]
        assert header == tuple(c.name for c in columns), sheet.name
        expected = [tuple(expected_cell(r, c) for c in columns) for r in RECORDS[sheet.key]]
        assert body == expected, sheet.name
        for row in body:  # 1 == 1.0 == True: counts must be written as whole numbers, money as numbers
            for column, value in zip(columns, row):
                if value is not None and column.kind == schema.INT:
                    assert type(value) is int, (sheet.name, column.key, value)
                if column.kind == schema.MONEY:  # xlsx keeps no int/float distinction: 0.0 reads back as 0
                    assert type(value) in (int, float), (sheet.name, column.key, value)
    assert rows[schema.INFO_SHEET_NAMES[0]] == [("单位名称", "会员人数", "报告期"), (JG, 120, None), (YF, 35, None)]


@pytest.mark.parametrize("with_names", [False, True], ids=["without-names", "with-names"])
def test_the_export_loads_back_to_the_same_rows_and_figures(exported, with_names):
    original, loaded = source(), load_path(exported(with_names))
    assert not loaded.report.errors, [i.text() for i in loaded.report.issues]
    for key in RECORDS:
        want = original.frame(key).copy()
        if key == "visits" and not with_names:
            want["person"] = ""
        assert comparable(loaded.frame(key)) == comparable(want), key
        assert loaded.frame(key).dtypes.to_dict() == original.frame(key).dtypes.to_dict(), key
    assert loaded.members() == MEMBERS
    assert stats.figures(loaded) == stats.figures(original)


VISIT_HEAD = ["日期", "事由", "对象类别", "姓名", "人次", "金额", "单位"]


@pytest.fixture
def stored(tmp_path):
    """A store holding one workbook whose 慰问 sheet has names under the alias 姓名."""
    path = tmp_path / "一季度.xlsx"
    visits = [[r["date"], r["reason"], r["group"] or None, r["person"] or None, r["count"], r["amount"], r["unit"]]
              for r in VISITS]
    events = [["日期", "活动名称", "类别", "参与人次", "支出", "单位"],
              *([r["date"], r["name"], r["category"], r["participants"], r["spending"], r["unit"]] for r in EVENTS)]
    info = [["单位名称", "会员人数"], [JG, 120]]
    path.write_bytes(workbook_bytes({"活动": events, "慰问": [VISIT_HEAD, *visits], "单位信息": info}))
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert cli.main(["import", str(path), "--db", db]) == 0
    return path, db


def test_the_export_command_leaves_the_names_out(stored, tmp_path, capsys):
    path, db = stored
    out = tmp_path / "导出.xlsx"
    assert cli.main(["export", str(out), "--db", db]) == 0
    printed = capsys.readouterr().out
    assert "已导出 9 行" in printed and "姓名" not in printed
    header = sheet_rows(out)[schema.VISITS.name][0]
    assert "对象" not in header and "姓名" not in header
    text = every_text(out)
    for name in NAMES:
        assert name not in text
    original, loaded = load_path(path), load_path(out)
    assert stats.figures(loaded) == stats.figures(original)
    assert set(loaded.visits["person"]) == {""}


def test_the_export_command_with_names_keeps_them_in_their_rows(stored, tmp_path, capsys):
    path, db = stored
    out = tmp_path / "导出含姓名.xlsx"
    assert cli.main(["export", str(out), "--with-names", "--db", db]) == 0
    assert "含慰问对象姓名" in capsys.readouterr().out
    header, *body = sheet_rows(out)[schema.VISITS.name]
    at = header.index("对象")
    assert [(row[0].date().isoformat(), row[at]) for row in body] == [(r["date"], r["person"] or None) for r in VISITS]
    assert comparable(load_path(out).visits) == comparable(load_path(path).visits)


def test_headers_are_bold_on_every_sheet(exported):
    book = openpyxl.load_workbook(exported(False))
    for ws in book.worksheets:
        assert [c.font.bold for c in ws[1]] == [True] * ws.max_column, ws.title
        assert not any(c.font.bold for row in ws.iter_rows(min_row=2) for c in row), ws.title


def test_without_being_told_the_export_leaves_the_names_out(tmp_path):
    path = tmp_path / "默认.xlsx"
    write_dataset(source(), path)
    header = sheet_rows(path)[schema.VISITS.name][0]
    assert "对象" not in header and len(header) == len(schema.VISITS.columns) - 1
    text = every_text(path)
    assert not [name for name in NAMES if name in text]


def test_unit_information_keeps_the_report_period_and_leaves_unknown_members_blank(tmp_path):
    data = source()
    data.units = pd.DataFrame({"unit": [JG, YF, "二分会"], "members": [120, None, 8],
                               "period_text": ["2024年第一季度", "", "一季度"], "source": "t.xlsx"}).astype(
        {"unit": "str", "members": "Int64", "period_text": "str", "source": "str"})
    path = tmp_path / "报告期.xlsx"
    write_dataset(data, path)
    assert sheet_rows(path)[schema.INFO_SHEET_NAMES[0]] == [
        ("单位名称", "会员人数", "报告期"), (JG, 120, "2024年第一季度"), (YF, None, None), ("二分会", 8, "一季度")]
    loaded = load_path(path)
    assert loaded.members() == {JG: 120, "二分会": 8}


def test_missing_numbers_are_blank_cells_not_nan(exported):
    """A NaN written as a number is an empty <v> element, which Excel reports as unreadable content."""
    with zipfile.ZipFile(exported(True)) as package:
        sheets = [package.read(n).decode("utf-8") for n in package.namelist() if n.startswith("xl/worksheets/")]
    for xml in sheets:
        assert "<v></v>" not in xml and "<v/>" not in xml and ">nan<" not in xml.lower()
    rows = sheet_rows(exported(True))
    header, *body = rows[schema.COMPETITIONS.name]
    at = header.index("参赛人数")
    assert [row[at] for row in body] == [r["entrants"] for r in COMPETITIONS]  # 12, None, 4
    header, *body = rows[schema.DONATIONS.name]
    assert [row[header.index("参与人数")] for row in body] == [88, None, 1]
