import datetime as dt

import openpyxl
import pytest

from unionstats import schema
from unionstats.exports.template import LISTS_SHEET, write_template
from unionstats.loading import load_path


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "模板.xlsx"
    write_template(path)
    return path


@pytest.fixture(scope="module")
def book(template):
    return openpyxl.load_workbook(template)


def test_sheets_come_in_the_order_a_clerk_needs(book):
    assert book.sheetnames == ["填写说明", *[s.name for s in schema.DATA_SHEETS], "单位信息", LISTS_SHEET]
    assert book[LISTS_SHEET].sheet_state == "hidden"


@pytest.mark.parametrize("sheet", schema.DATA_SHEETS, ids=lambda s: s.name)
def test_every_column_has_its_header_format_and_frozen_row(book, sheet):
    ws = book[sheet.name]
    headers = [schema.normalize_header(c.value) for c in ws[1]]
    assert headers == [c.name for c in sheet.columns]
    assert ws.freeze_panes == "A2"
    for index, column in enumerate(sheet.columns, 1):
        cell = ws.cell(5, index)
        expected = {schema.DATE: "yyyy-mm-dd", schema.MONEY: "#,##0.00", schema.INT: "0"}.get(column.kind)
        if expected:
            assert cell.number_format == expected, column.name
        assert ws.column_dimensions[openpyxl.utils.get_column_letter(index)].width == column.width


def dropdown(book, ws, column_index: int) -> list[str]:
    letter = openpyxl.utils.get_column_letter(column_index)
    for validation in ws.data_validations.dataValidation:
        if validation.type == "list" and f"{letter}2" in validation.sqref:
            name = validation.formula1.lstrip("=")
            sheet, cells = next(iter(book.defined_names[name].destinations))
            return [c.value for (c,) in book[sheet][cells]]
    return []


@pytest.mark.parametrize("sheet, column", [(s, c) for s in schema.DATA_SHEETS for c in s.columns if c.choices],
                         ids=lambda v: getattr(v, "name", ""))
def test_every_categorical_column_has_its_dropdown(book, sheet, column):
    index = sheet.columns.index(column) + 1
    assert dropdown(book, book[sheet.name], index) == list(column.choices)


def test_the_instructions_name_every_column_and_every_alias(book):
    text = "\n".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row if c.value)
    for sheet in schema.DATA_SHEETS:
        for column in sheet.columns:
            assert column.name in text
            for alias in column.aliases:
                assert alias in text, (sheet.name, alias)
    assert schema.EXAMPLE_MARK in text and "合计" in text and "对象" in text


@pytest.mark.parametrize("sheet", schema.DATA_SHEETS, ids=lambda s: s.name)
def test_one_marked_example_row_per_sheet(book, sheet):
    ws = book[sheet.name]
    marked = [c.value for c in ws[2] if isinstance(c.value, str) and c.value.startswith(schema.EXAMPLE_MARK)]
    assert marked
    assert isinstance(ws.cell(2, 1).value, dt.datetime)
    assert all(c.value is None for c in ws[3])


def test_the_blank_template_loads_clean_and_empty(template):
    dataset = load_path(template)
    assert dataset.report.errors == [] and dataset.report.warnings == []
    assert dataset.row_count == 0
    assert len([i for i in dataset.report.notices if "示例" in i.message]) == len(schema.DATA_SHEETS)


def test_a_filled_template_loads_what_the_clerk_typed(template, tmp_path):
    book = openpyxl.load_workbook(template)
    ws = book["活动"]
    ws.append([dt.date(2024, 5, 4), "青年职工座谈会", "学习培训", 35, 800])
    info = book["单位信息"]
    info["B2"], info["B3"] = "城南小学工会", 64
    path = tmp_path / "filled.xlsx"
    book.save(path)
    dataset = load_path(path)
    assert dataset.report.ok and dataset.report.warnings == []
    assert dataset.events[["name", "participants", "spending", "unit"]].values.tolist() == [
        ["青年职工座谈会", 35, 800.0, "城南小学工会"]]
    assert dataset.members() == {"城南小学工会": 64}
