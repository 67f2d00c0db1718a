"""The blank template and the sample workbook, checked against `schema` and, where it exists, the loader.

Every test writes its own template (function-scoped fixtures): a module-scoped one would let mutmut
attribute the template's code to the first test only and run none of the others against its mutants.
"""

import datetime as dt
import math
import re
import unicodedata
import zipfile
from collections import Counter

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from conftest import ROOT
from unionstats.contract import registry, schema
from unionstats.exports.template import INSTRUCTIONS_SHEET, LISTS_SHEET, write_template
from unionstats.kinds import events as events_kind
from unionstats.kinds import visits as visits_kind

SAMPLE = ROOT / "data" / "sample.xlsx"
FORMATS = {schema.DATE: "yyyy-mm-dd", schema.MONEY: "#,##0.00", schema.INT: "0", schema.YEAR: "0"}
RED, WHITE, GREY, LINE = "C00000", "FFFFFF", "808080", "BFBFBF"
INFO = schema.INFO_SHEET_NAMES[0]
EXAMPLE_NOTE = "【示例】此行为填写示例，导入时自动忽略，可删除"
INFO_NOTES = {"unit": "本工会的名称", "members": "工会会员人数（整数），用于计算参与率",
              "period": "如：2024年第二季度（更正时替换这一期间的数据）"}
RULES = [
    "每张表的第一行是列名，请不要改动列名；列名上方可以加标题行，导入时会自动跳过。列名后可带单位，如「支出（元）」。",
    "每行填写一条记录；中间可以有空行。",
    "日期：可以是 Excel 日期，也可以写成 2024-03-08、2024/3/8、2024.3.8、2024年3月8日 或 20240308。",
    "金额：单位为元，可以写 1500、1,500、¥1500、1500元 或 0.15万元；可以有角分，如 326.50。",
    "「合计」「总计」「小计」行不计入统计；导入时会与上方各行的和核对，不一致时会提示。",
    "以「【示例】」开头的行是填写示例，导入时自动忽略，可直接删除。",
    "带下拉列表的列请从列表中选择；常见说法（如“住院”“新婚”）也能自动归类，无法识别的记为「其他」并提示。",
    "名次：列表中没有的奖项（如“最佳组织奖”）直接填写奖项名称；3名个人获第二名填一行，获奖数填 3。",
    "同一单位同一年度，每个科目填一行；填了合计行（如“活动经费”）时，它就是这些支出的预算，其下的明细行只单独显示执行情况。",
    "同一单位同一年度的预算再次导入时，以最后导入的为准。",
    "「对象」、「备注」列可能写有姓名，属于个人信息：只保存，不在图表、工作总结和导出中显示，"
    "除非编辑人员在某次导出时专门选择显示姓名。",
    "「单位信息」表填写单位名称与会员人数（用于计算参与率）；多个基层工会可在各表的「单位」列分别填写。",
    "工作表按名称识别：表名包含下表中的名称或别名即可（如「2024年二季度活动统计」就是活动表），其他表不读取。",
]
WIDTHS = {"A": 12, "B": 20, "C": 11, "D": 64, "E": 36}  # the 填写说明 columns, in characters


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "模板.xlsx"
    write_template(path)
    return path


@pytest.fixture
def book(template):
    return openpyxl.load_workbook(template)


def column_id(value) -> str:
    return getattr(value, "name", "")


def validation_of(ws, column_index: int, kind: str):
    cell = f"{get_column_letter(column_index)}2"
    return next((v for v in ws.data_validations.dataValidation if v.type == kind and cell in v.sqref), None)


def dropdown(book, validation) -> list[str]:
    name = validation.formula1.lstrip("=")
    sheet, cells = next(iter(book.defined_names[name].destinations))
    return [c.value for (c,) in book[sheet][cells]]


def trimmed(rows) -> list[tuple]:
    """Rows of values without their trailing empty cells."""
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        out.append(tuple(row))
    return out


def rgb(color) -> str:
    return (color.rgb or "")[-6:] if color is not None else ""


def is_header(cell) -> bool:
    """White bold text on the red fill, centred and wrapped, in a thin grey frame."""
    sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
    return (cell.fill.fill_type == "solid" and rgb(cell.fill.fgColor) == RED and cell.font.bold
            and rgb(cell.font.color) == WHITE and cell.font.size == 11
            and all(s.style == "thin" and rgb(s.color) == LINE for s in sides)
            and (cell.alignment.horizontal, cell.alignment.vertical, cell.alignment.wrap_text)
            == ("center", "center", True))


def framed(cell) -> bool:
    sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
    return all(s.style == "thin" and rgb(s.color) == LINE for s in sides)


def wide(text: str) -> int:
    """Display width: East Asian wide and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def expected_height(values: tuple) -> float | None:
    """A table row gets 15 points per wrapped line when it needs more than one, else the default height."""
    lines = max(sum(max(1, math.ceil(wide(part) / width)) for part in str(text or "").split("\n"))
                for text, width in zip(values, WIDTHS.values()))
    return 15.0 * lines if lines > 1 else None


def instruction_tables() -> list[tuple[str, tuple, list[tuple]]]:
    """The three tables of 填写说明, worked out here from `schema`: (title, header, rows)."""
    sheets = [(s.name, "、".join(c.name for c in s.columns if c.required), "至少填一张", s.description,
               "、".join(s.aliases)) for s in registry.sheets()]
    sheets.append((INFO, None, "选填", "单位名称、会员人数、报告期，每项一行。", "基本信息、info"))
    columns = [(s.name, c.name, "必填" if c.required else "选填",
                c.help + (("\n可选：" + "、".join(c.choices)) if c.choices else ""), "、".join(c.aliases) or None)
               for s in registry.sheets() for c in s.columns]
    info = [(INFO, "单位名称", "选填", INFO_NOTES["unit"], "名称、单位、工会名称"),
            (INFO, "会员人数", "选填", INFO_NOTES["members"], "会员数、工会会员人数、会员总数、职工人数"),
            (INFO, "报告期", "选填", INFO_NOTES["period"], "统计期间、报告期间")]
    return [("一、工作表", ("工作表", "必填列", "是否必填", "用途", "可用的别名"), sheets),
            ("二、各表的列", ("工作表", "列名", "是否必填", "内容", "可用的别名"), columns),
            (f"三、{INFO}（项目、内容两列）", ("工作表", "项目", "是否必填", "内容", "可用的别名"), info)]


def note_sizes(path) -> Counter:
    """(width, height) of every cell note, read from the VML drawings Excel shows the notes with."""
    sizes = Counter()
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.startswith("xl/drawings/") and name.endswith(".vml"):
                vml = package.read(name).decode("utf-8")
                for style in re.findall(r'style="(position:absolute[^"]*)"', vml):
                    found = dict(part.strip().split(":", 1) for part in style.split(";") if ":" in part)
                    sizes[(found["width"], found["height"])] += 1
    return sizes


def test_sheets_come_in_the_order_a_clerk_needs(book):
    assert book.sheetnames == [INSTRUCTIONS_SHEET, *[s.name for s in registry.sheets()], INFO, LISTS_SHEET]
    assert book[LISTS_SHEET].sheet_state == "hidden"
    assert book.active.title == events_kind.SHEET.name  # the file opens on the first data sheet
    assert [row[0] for row in book[INFO].iter_rows(min_row=2, values_only=True)] == [
        label for label, _ in schema.INFO_ITEMS.values()]


def test_the_instructions_read_top_to_bottom_as_written(book):
    ws = book[INSTRUCTIONS_SHEET]
    expected = [("工会活动统计表 填写说明",), ()] + [(f"{i}. {rule}",) for i, rule in enumerate(RULES, 1)]
    for title, header, rows in instruction_tables():
        expected += [(), (title,), header, *[trimmed([r])[0] for r in rows]]
    assert trimmed(ws.iter_rows(values_only=True)) == expected
    assert ws.max_column == 5


def test_the_instructions_are_styled_and_print_on_landscape_pages_one_page_wide(book):
    ws = book[INSTRUCTIONS_SHEET]
    assert ws["A1"].font.bold and ws["A1"].font.size == 16
    row = 3 + len(RULES) + 1
    for title, _header, rows in instruction_tables():
        section = ws.cell(row, 1)
        assert section.value == title and section.font.bold and section.font.size == 12
        assert rgb(section.font.color) == RED
        assert all(is_header(ws.cell(row + 1, col)) for col in range(1, 6)), title
        for offset, values in enumerate(rows, row + 2):
            cells = [ws.cell(offset, col) for col in range(1, 6)]
            assert all(framed(c) and c.alignment.wrap_text and c.alignment.vertical == "top" for c in cells), offset
            assert ws.row_dimensions[offset].height == expected_height(values), (offset, values)
        row += 2 + len(rows) + 1
    assert {letter: ws.column_dimensions[letter].width for letter in WIDTHS} == WIDTHS
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True


@pytest.mark.parametrize("sheet", registry.sheets(), ids=column_id)
def test_every_column_has_its_header_note_width_and_format(book, sheet):
    ws = book[sheet.name]
    assert [c.value for c in ws[1]] == [c.name + "（元）" if c.kind == schema.MONEY else c.name
                                        for c in sheet.columns]
    assert [schema.normalize_header(c.value) for c in ws[1]] == [c.name for c in sheet.columns]
    assert ws.freeze_panes == "A2"
    assert ws.row_dimensions[1].height == 30
    for index, column in enumerate(sheet.columns, 1):
        header = ws.cell(1, index)
        assert is_header(header), column.name
        assert header.comment.text == ("必填" if column.required else "选填") + "：" + column.help
        assert header.comment.author == "unionstats"
        assert ws.column_dimensions[get_column_letter(index)].width == column.width
        formats = {ws.cell(row, index).number_format for row in (2, 3, 500, 1000)}
        assert formats == {FORMATS.get(column.kind, "General")}, column.name


def test_header_notes_are_large_enough_to_read(template):
    columns = sum(len(s.columns) for s in registry.sheets())
    sizes = note_sizes(template)
    assert sizes[("220px", "90px")] == columns
    assert sum(sizes.values()) == columns + len(schema.INFO_ITEMS)  # and one note per 单位信息 item


def expected_validation(sheet: schema.Sheet, column: schema.Column) -> dict | None:
    """Every attribute a column's validation should have, from the column alone; None: no validation."""
    if column.choices:
        if column.kind == schema.RESULT:
            style, error = "information", "列表中没有的奖项，请直接填写奖项名称，如“最佳组织奖”。"
        elif "其他" in column.choices:
            style, error = "warning", "不在下拉列表中；常见说法会自动归类，无法识别的记为「其他」。"
        else:
            style, error = "stop", f"请从下拉列表中选择{column.name}。"
        kind, operator, formula = "list", None, f"list_{sheet.key}_{column.key}"
    elif column.kind == schema.INT:
        kind, operator, formula, style = "whole", "greaterThanOrEqual", str(column.minimum), "warning"
        error = f"{column.name}应为不小于 {column.minimum} 的整数。"
    elif column.kind == schema.YEAR:
        kind, operator, formula, style = "whole", "between", "1990", "warning"
        error = f"{column.name}应为四位年份，如 2025。"
    elif column.kind == schema.MONEY:
        kind, operator, formula, style = "decimal", "greaterThanOrEqual", "0", "warning"
        error = "金额应为不小于 0 的数字，单位：元；写成“1,500元”这样的文字也能识别。"
    else:
        return None
    letter = get_column_letter(sheet.columns.index(column) + 1)
    return dict(sqref=f"{letter}2:{letter}1000", type=kind, operator=operator, formula1=formula, errorStyle=style,
                error=error, errorTitle="请检查填写内容", promptTitle=column.name, prompt=column.help,
                allow_blank=True, showErrorMessage=True, showInputMessage=True)


@pytest.mark.parametrize("sheet", registry.sheets(), ids=column_id)
def test_dropdowns_and_number_checks_cover_their_columns_and_no_other(book, sheet):
    ws = book[sheet.name]
    found = sorted(({key: getattr(v, key) if key != "sqref" else str(v.sqref) for key in
                     ("sqref", "type", "operator", "formula1", "errorStyle", "error", "errorTitle", "promptTitle",
                      "prompt", "allow_blank", "showErrorMessage", "showInputMessage")}
                    for v in ws.data_validations.dataValidation), key=lambda v: v["sqref"])
    expected = [e for e in (expected_validation(sheet, c) for c in sheet.columns) if e is not None]
    assert found == sorted(expected, key=lambda v: v["sqref"])


@pytest.mark.parametrize("sheet", registry.sheets(), ids=column_id)
def test_every_categorical_column_has_its_dropdown(book, sheet):
    for index, column in enumerate(sheet.columns, 1):
        validation = validation_of(book[sheet.name], index, "list")
        if not column.choices:
            assert validation is None, column.name
            continue
        assert dropdown(book, validation) == list(column.choices), column.name
        free_text = column.kind == schema.RESULT or schema.OTHER in column.choices
        assert (validation.errorStyle != "stop") == free_text, column.name


def test_the_dropdown_lists_sit_on_the_hidden_sheet_one_column_each(book):
    listed = [(s, c) for s in registry.sheets() for c in s.columns if c.choices]
    ws = book[LISTS_SHEET]
    columns = list(ws.iter_cols(values_only=True))
    assert len(columns) == len(listed)
    names = {}
    for index, ((sheet, column), values) in enumerate(zip(listed, columns), 1):
        letter = get_column_letter(index)
        assert trimmed([values])[0] == (f"{sheet.name}_{column.name}", *column.choices)
        names[f"list_{sheet.key}_{column.key}"] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(column.choices) + 1}"
    assert {name: defined.attr_text for name, defined in book.defined_names.items()} == names


def test_the_instructions_name_every_sheet_column_and_alias(book):
    text = "\n".join(str(c.value) for row in book[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value)
    for sheet in registry.sheets():
        for name in sheet.names:
            assert name in text, name
        for column in sheet.columns:
            for header in column.headers:
                assert header in text, (sheet.name, header)
    for label, aliases in schema.INFO_ITEMS.values():
        assert all(name in text for name in (label, *aliases))
    for rule in (schema.EXAMPLE_MARK, *schema.TOTAL_WORDS, "2024年3月8日", "0.15万元", "个人信息"):
        assert rule in text, rule


def test_the_instructions_list_every_column_once_with_whether_it_is_required(book):
    rows = {(r[0], r[1]): r[2] for r in book[INSTRUCTIONS_SHEET].iter_rows(values_only=True) if r[2]}
    for sheet in registry.sheets():
        for column in sheet.columns:
            assert rows[(sheet.name, column.name)] == ("必填" if column.required else "选填")


@pytest.mark.parametrize("sheet", registry.sheets(), ids=column_id)
def test_one_grey_marked_example_row_per_sheet(book, sheet):
    ws = book[sheet.name]
    first_text = next(c for c in sheet.columns if c.kind == schema.TEXT)
    expected = []
    for column in sheet.columns:
        value = sheet.example.get(column.key)
        if column is first_text:
            value = "【示例】" + value
        elif column.key == "notes":
            value = EXAMPLE_NOTE
        elif isinstance(value, dt.date):
            value = dt.datetime.combine(value, dt.time())
        expected.append(value)
    assert [c.value for c in ws[2]] == expected
    assert all(c.font.italic and rgb(c.font.color) == GREY for c in ws[2])
    assert all(c.value is None for c in ws[3])
    assert ws.max_row == 1000  # the formatted rows, and nothing written under the example
    assert all(c.value is None for row in ws.iter_rows(min_row=3) for c in row)
    for column in sheet.columns:
        value = ws.cell(2, sheet.columns.index(column) + 1).value
        if column.choices and value is not None:
            assert value in column.choices


def test_the_unit_information_sheet_explains_each_item(book):
    ws = book[INFO]
    assert trimmed(ws.iter_rows(values_only=True)) == [("项目", "内容"), ("单位名称",), ("会员人数",), ("报告期",)]
    assert is_header(ws["A1"]) and is_header(ws["B1"])
    for row, (key, (label, aliases)) in enumerate(schema.INFO_ITEMS.items(), 2):
        cell = ws.cell(row, 1)
        assert cell.font.bold and framed(cell) and framed(ws.cell(row, 2)), label
        assert not framed(ws.cell(row, 3))
        assert cell.comment.text == f"{INFO_NOTES[key]}；也可写作：{'、'.join(aliases)}"
        assert cell.comment.author == "unionstats"
    assert [ws.cell(row, 2).number_format for row in (2, 3, 4)] == ["General", "0", "General"]
    assert (ws.column_dimensions["A"].width, ws.column_dimensions["B"].width) == (14, 36)
    assert ws.freeze_panes == "A2"


def test_the_blank_template_loads_clean_and_empty(template):
    loading = pytest.importorskip("unionstats.intake.loading")
    dataset = loading.load_path(template)
    assert dataset.report.errors == [] and dataset.report.warnings == []
    assert all(len(dataset.frame(s.key)) == 0 for s in registry.sheets())


def test_a_filled_template_loads_what_the_clerk_typed(template, tmp_path):
    loading = pytest.importorskip("unionstats.intake.loading")
    book = openpyxl.load_workbook(template)
    book[events_kind.SHEET.name].append([dt.date(2024, 5, 4), "青年职工座谈会", "学习培训", 35, 800])
    info = book[INFO]
    info["B2"], info["B3"] = "城南小学工会", 64
    path = tmp_path / "filled.xlsx"
    book.save(path)
    dataset = loading.load_path(path)
    assert dataset.report.errors == [] and dataset.report.warnings == []
    assert dataset.events[["name", "participants", "spending", "unit"]].values.tolist() == [
        ["青年职工座谈会", 35, 800.0, "城南小学工会"]]


def counted_rows(path) -> dict[str, int]:
    """Non-blank rows under the header of each data sheet, read without the loader."""
    book = openpyxl.load_workbook(path, read_only=True)
    rows = {s.key: book[s.name].iter_rows(min_row=2, values_only=True) for s in registry.sheets()}
    return {key: sum(any(v is not None for v in row) for row in values) for key, values in rows.items()}


def test_the_sample_loads_clean_with_every_row():
    loading = pytest.importorskip("unionstats.intake.loading")
    dataset = loading.load_path(SAMPLE)
    assert dataset.report.errors == [] and dataset.report.warnings == []
    expected = counted_rows(SAMPLE)
    assert {s.key: len(dataset.frame(s.key)) for s in registry.sheets()} == expected
    assert expected[events_kind.SHEET.key] >= 60 and expected[visits_kind.SHEET.key] >= 40
