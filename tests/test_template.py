"""The blank template and the sample workbook, checked against `schema` and, where it exists, the loader."""

import datetime as dt

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from conftest import ROOT
from unionstats import schema
from unionstats.exports.template import INSTRUCTIONS_SHEET, LISTS_SHEET, write_template

SAMPLE = ROOT / "data" / "sample.xlsx"
FORMATS = {schema.DATE: "yyyy-mm-dd", schema.MONEY: "#,##0.00", schema.INT: "0"}
CATEGORICAL = [(s, c) for s in schema.DATA_SHEETS for c in s.columns
               if c.kind in (schema.CATEGORY, schema.RESULT)]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "模板.xlsx"
    write_template(path)
    return path


@pytest.fixture(scope="module")
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


def test_sheets_come_in_the_order_a_clerk_needs(book):
    info = schema.INFO_SHEET_NAMES[0]
    assert book.sheetnames == [INSTRUCTIONS_SHEET, *[s.name for s in schema.DATA_SHEETS], info, LISTS_SHEET]
    assert book[LISTS_SHEET].sheet_state == "hidden"
    assert [row[0] for row in book[info].iter_rows(min_row=2, values_only=True)] == [
        label for label, _ in schema.INFO_ITEMS.values()]


@pytest.mark.parametrize("sheet", schema.DATA_SHEETS, ids=column_id)
def test_every_column_has_its_header_note_width_and_format(book, sheet):
    ws = book[sheet.name]
    assert [schema.normalize_header(c.value) for c in ws[1]] == [c.name for c in sheet.columns]
    assert ws.freeze_panes == "A2"
    for index, column in enumerate(sheet.columns, 1):
        header = ws.cell(1, index)
        assert header.font.bold and column.help in header.comment.text
        assert ws.column_dimensions[get_column_letter(index)].width == column.width
        if column.kind in FORMATS:
            assert {ws.cell(row, index).number_format for row in (2, 3, 500, 1000)} == {FORMATS[column.kind]}


@pytest.mark.parametrize("sheet, column", CATEGORICAL, ids=column_id)
def test_every_categorical_column_has_its_dropdown(book, sheet, column):
    validation = validation_of(book[sheet.name], sheet.columns.index(column) + 1, "list")
    assert validation is not None and dropdown(book, validation) == list(column.choices)
    assert "1000" in str(validation.sqref)
    free_text = column.kind == schema.RESULT or schema.OTHER in column.choices
    assert (validation.errorStyle != "stop") == free_text


@pytest.mark.parametrize("sheet, column", [(s, c) for s in schema.DATA_SHEETS for c in s.columns
                                           if c.kind in (schema.INT, schema.MONEY)], ids=column_id)
def test_number_columns_warn_below_their_minimum_without_refusing_text(book, sheet, column):
    kind = "whole" if column.kind == schema.INT else "decimal"
    validation = validation_of(book[sheet.name], sheet.columns.index(column) + 1, kind)
    assert validation.operator == "greaterThanOrEqual" and validation.formula1 == str(column.minimum)
    assert validation.errorStyle == "warning" and validation.prompt == column.help


def test_the_instructions_name_every_sheet_column_and_alias(book):
    text = "\n".join(str(c.value) for row in book[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value)
    for sheet in schema.DATA_SHEETS:
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
    for sheet in schema.DATA_SHEETS:
        for column in sheet.columns:
            assert rows[(sheet.name, column.name)] == ("必填" if column.required else "选填")


@pytest.mark.parametrize("sheet", schema.DATA_SHEETS, ids=column_id)
def test_one_grey_marked_example_row_per_sheet(book, sheet):
    ws = book[sheet.name]
    row = {column.key: cell for column, cell in zip(sheet.columns, ws[2])}
    first_text = next(c for c in sheet.columns if c.kind == schema.TEXT)
    assert row[first_text.key].value.startswith(schema.EXAMPLE_MARK)
    assert row[schema.NOTES.key].value.startswith(schema.EXAMPLE_MARK)
    assert isinstance(row["date"].value, dt.datetime)
    assert all(c.font.italic for c in ws[2])
    assert all(c.value is None for c in ws[3])
    for column in sheet.columns:
        if column.choices and row[column.key].value is not None:
            assert row[column.key].value in column.choices


def test_the_blank_template_loads_clean_and_empty(template):
    loading = pytest.importorskip("unionstats.loading")
    dataset = loading.load_path(template)
    assert dataset.report.errors == [] and dataset.report.warnings == []
    assert all(len(dataset.frame(s.key)) == 0 for s in schema.DATA_SHEETS)


def test_a_filled_template_loads_what_the_clerk_typed(template, tmp_path):
    loading = pytest.importorskip("unionstats.loading")
    book = openpyxl.load_workbook(template)
    book[schema.EVENTS.name].append([dt.date(2024, 5, 4), "青年职工座谈会", "学习培训", 35, 800])
    info = book[schema.INFO_SHEET_NAMES[0]]
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
    rows = {s.key: book[s.name].iter_rows(min_row=2, values_only=True) for s in schema.DATA_SHEETS}
    return {key: sum(any(v is not None for v in row) for row in values) for key, values in rows.items()}


def test_the_sample_loads_clean_with_every_row():
    loading = pytest.importorskip("unionstats.loading")
    dataset = loading.load_path(SAMPLE)
    assert dataset.report.errors == [] and dataset.report.warnings == []
    expected = counted_rows(SAMPLE)
    assert {s.key: len(dataset.frame(s.key)) for s in schema.DATA_SHEETS} == expected
    assert expected[schema.EVENTS.key] >= 60 and expected[schema.VISITS.key] >= 40
