"""The blank workbook a union office fills in, written from `schema`.

Clerks fill it by hand in Excel or WPS and rarely read a manual, so the file
carries its own: a 填写说明 sheet listing every column with its meaning and
accepted aliases, dropdowns on every categorical column, date and number
formats, a frozen header, a note on each header, and one grey example row per
sheet that the loader skips. Every sheet prints on A4 landscape, one page wide,
with its header row on every page and the page number in the footer.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from unionstats.contract import registry, schema

INSTRUCTIONS_SHEET = "填写说明"
LISTS_SHEET = "_lists"
INFO_HEADERS = ("项目", "内容")
SHEET_TABLE = ("工作表", "必填列", "是否必填", "用途", "可用的别名")
COLUMN_TABLE = ("工作表", "列名", "是否必填", "内容", "可用的别名")
INSTRUCTION_WIDTHS = (12, 20, 11, 64, 36)
LAST_ROW = 1000
AUTHOR = "unionstats"

HEADER_FILL = PatternFill("solid", fgColor="C00000")
HEADER_FONT = Font(bold=True, color="FFFFFF", size=11)
TITLE_FONT = Font(bold=True, size=16)
SECTION_FONT = Font(bold=True, size=12, color="C00000")
EXAMPLE_FONT = Font(italic=True, color="808080")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
NUMBER_FORMATS = {schema.DATE: "yyyy-mm-dd", schema.MONEY: "#,##0.00", schema.INT: "0", schema.YEAR: "0"}
MONEY_SUFFIX = "（元）"
FOOTER = "第 &P 页，共 &N 页"
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.75, "header": 0.3, "footer": 0.3}  # inches

EXAMPLE_NOTE = f"{schema.EXAMPLE_MARK}此行为填写示例，导入时自动忽略，可删除"
INFO_NOTES = {"unit": "本工会的名称", "members": "工会会员人数（整数），用于计算参与率",
              "period": "如：2024年第二季度（更正时替换这一期间的数据）"}


def rules() -> list[str]:
    sheets = registry.sheets()
    money = next((header_text(c) for s in sheets for c in s.columns if c.kind == schema.MONEY), "支出（元）")
    info, unit = schema.INFO_SHEET_NAMES[0], schema.UNIT.name
    shared = [c for c in sheets[0].personal if all(c in s.columns for s in sheets)]  # (备注): named last
    personal = "、".join(dict.fromkeys(f"「{c.name}」" for c in [*(c for s in sheets for c in s.personal
                                                                  if c not in shared), *shared]))
    totals = "".join(f"「{w}」" for w in schema.TOTAL_WORDS)
    return [
        f"每张表的第一行是列名，请不要改动列名；列名上方可以加标题行，导入时会自动跳过。列名后可带单位，如「{money}」。",
        "每行填写一条记录；中间可以有空行。",
        "日期：可以是 Excel 日期，也可以写成 2024-03-08、2024/3/8、2024.3.8、2024年3月8日 或 20240308。",
        "金额：单位为元，可以写 1500、1,500、¥1500、1500元 或 0.15万元；可以有角分，如 326.50。",
        f"{totals}行不计入统计；导入时会与上方各行的和核对，不一致时会提示。",
        f"以「{schema.EXAMPLE_MARK}」开头的行是填写示例，导入时自动忽略，可直接删除。",
        f"带下拉列表的列请从列表中选择；常见说法（如“住院”“新婚”）也能自动归类，无法识别的记为「{schema.OTHER}」并提示。",
        *(rule for s in sheets for rule in s.rules),
        f"{personal}列可能写有姓名，属于个人信息：只保存，不在图表、工作总结和导出中显示，"
        "除非编辑人员在某次导出时专门选择显示姓名。",
        f"「{info}」表填写单位名称与会员人数（用于计算参与率）；多个基层工会可在各表的「{unit}」列分别填写。",
        f"工作表按名称识别：表名包含下表中的名称或别名即可（如「2024年二季度{sheets[0].name}统计」"
        f"就是{sheets[0].name}表），其他表不读取。",
    ]


def write_template(target: str | Path | BinaryIO) -> None:
    book = Workbook()
    book.active.title = INSTRUCTIONS_SHEET
    write_instructions(book.active)
    list_names = write_lists(book)
    for sheet in registry.sheets():
        write_data_sheet(book.create_sheet(sheet.name), sheet, list_names)
    write_unit_info(book.create_sheet(schema.INFO_SHEET_NAMES[0]))
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    book.active = 1
    book.save(target)


def header_text(column: schema.Column) -> str:
    return column.name + MONEY_SUFFIX if column.kind == schema.MONEY else column.name


def style_header(cell) -> None:
    cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def required_text(column: schema.Column) -> str:
    return "必填" if column.required else "选填"


def content_text(column: schema.Column) -> str:
    choices = f"\n可选：{'、'.join(column.choices)}" if column.choices else ""
    return column.help + choices


def write_instructions(ws: Worksheet) -> None:
    ws["A1"] = "工会活动统计表 填写说明"
    ws["A1"].font = TITLE_FONT
    row = 3
    for number, rule in enumerate(rules(), 1):
        write_paragraph(ws, row, f"{number}. {rule}")
        row += 1
    sheet_rows = [(s.name, "、".join(c.name for c in s.required), "至少填一张", s.description,
                   "、".join(s.aliases)) for s in registry.sheets()]
    info_name, *info_aliases = schema.INFO_SHEET_NAMES
    items = "、".join(label for label, _ in schema.INFO_ITEMS.values())
    sheet_rows.append((info_name, "", "选填", f"{items}，每项一行。", "、".join(info_aliases)))
    row = write_table(ws, row + 1, "一、工作表", SHEET_TABLE, sheet_rows)
    column_rows = [(s.name, c.name, required_text(c), content_text(c), "、".join(c.aliases))
                   for s in registry.sheets() for c in s.columns]
    row = write_table(ws, row + 1, "二、各表的列", COLUMN_TABLE, column_rows)
    info_rows = [(info_name, label, "选填", INFO_NOTES[key], "、".join(aliases))
                 for key, (label, aliases) in schema.INFO_ITEMS.items()]
    write_table(ws, row + 1, f"三、{info_name}（{'、'.join(INFO_HEADERS)}两列）",
                ("工作表", INFO_HEADERS[0], "是否必填", INFO_HEADERS[1], "可用的别名"), info_rows)
    for letter, width in zip("ABCDE", INSTRUCTION_WIDTHS):
        ws.column_dimensions[letter].width = width
    set_up_printing(ws, title_rows=None)


def write_paragraph(ws: Worksheet, row: int, text: str) -> None:
    """`text` across the five instruction columns, wrapped there so that no line runs past the printed page."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(INSTRUCTION_WIDTHS))
    cell = ws.cell(row, 1, text)
    cell.alignment = WRAP
    lines = line_count(text, sum(INSTRUCTION_WIDTHS))
    if lines > 1:
        ws.row_dimensions[row].height = 15 * lines


def set_up_printing(ws: Worksheet, title_rows: str | None = "1:1") -> None:
    """A4 landscape, one page wide and as many tall as it takes, `title_rows` repeated on every page, page numbers.

    The instructions sheet passes no title rows: its three tables have headings of their own, and repeating
    one of them on every page would mislabel the others.
    """
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(**MARGINS)
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = FOOTER


def write_table(ws: Worksheet, row: int, title: str, headers: tuple[str, ...], rows: list[tuple]) -> int:
    """A titled, bordered table from `row` on; returns the first row after it."""
    ws.cell(row, 1, title).font = SECTION_FONT
    for col, text in enumerate(headers, 1):
        style_header(ws.cell(row + 1, col, text))
    for offset, values in enumerate(rows, row + 2):
        for col, text in enumerate(values, 1):
            cell = ws.cell(offset, col, text)
            cell.alignment, cell.border = WRAP, BORDER
        lines = max(line_count(text, width) for text, width in zip(values, INSTRUCTION_WIDTHS))
        if lines > 1:
            ws.row_dimensions[offset].height = 15 * lines
    return row + 2 + len(rows)


def line_count(text: str, width: int) -> int:
    """Lines a wrapped cell needs; set as row height because not every reader fits rows to wrapped text."""
    return sum(max(1, math.ceil(display_width(part) / width)) for part in text.split("\n"))


def display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def write_lists(book: Workbook) -> dict[schema.Column, str]:
    """One column per dropdown on a hidden sheet, each under a defined name."""
    ws = book.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    names: dict[schema.Column, str] = {}
    columns = [(s, c) for s in registry.sheets() for c in s.columns if c.choices]
    for col, (sheet, column) in enumerate(columns, 1):
        letter = get_column_letter(col)
        ws.cell(1, col, f"{sheet.name}_{column.name}")
        for row, choice in enumerate(column.choices, 2):
            ws.cell(row, col, choice)
        name = f"list_{sheet.key}_{column.key}"
        reference = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(column.choices) + 1}"
        book.defined_names[name] = DefinedName(name, attr_text=reference)
        names[column] = name
    return names


def write_data_sheet(ws: Worksheet, sheet: schema.Sheet, list_names: dict[schema.Column, str]) -> None:
    for col, column in enumerate(sheet.columns, 1):
        cell = ws.cell(1, col, header_text(column))
        style_header(cell)
        cell.comment = Comment(f"{required_text(column)}：{column.help}", AUTHOR, height=90, width=220)
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = column.width
        cells = f"{letter}2:{letter}{LAST_ROW}"
        if column.kind in NUMBER_FORMATS:
            for (data_cell,) in ws[cells]:
                data_cell.number_format = NUMBER_FORMATS[column.kind]
        validation = column_validation(column, list_names.get(column))
        if validation is not None:
            ws.add_data_validation(validation)
            validation.add(cells)
    write_example(ws, sheet)
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A2"
    set_up_printing(ws)


def column_validation(column: schema.Column, list_name: str | None) -> DataValidation | None:
    if list_name:
        validation = list_validation(column, list_name)
    elif column.kind == schema.INT:
        validation = DataValidation(type="whole", operator="greaterThanOrEqual", formula1=str(column.minimum),
                                    errorStyle="warning")
        validation.error = f"{column.name}应为不小于 {column.minimum} 的整数。"
    elif column.kind == schema.YEAR:
        validation = DataValidation(type="whole", operator="between", formula1="1990", formula2="2100",
                                    errorStyle="warning")
        validation.error = f"{column.name}应为四位年份，如 2025。"
    elif column.kind == schema.MONEY:
        validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                    errorStyle="warning")
        validation.error = "金额应为不小于 0 的数字，单位：元；写成“1,500元”这样的文字也能识别。"
    else:
        return None
    validation.allow_blank = True
    validation.errorTitle = "请检查填写内容"
    validation.promptTitle = column.name
    validation.prompt = column.help
    validation.showErrorMessage = validation.showInputMessage = True
    return validation


def list_validation(column: schema.Column, list_name: str) -> DataValidation:
    """Any award may be named; a list with 其他 takes common words; a closed list takes its choices only."""
    if column.kind == schema.RESULT:
        style, error = "information", "列表中没有的奖项，请直接填写奖项名称，如“最佳组织奖”。"
    elif schema.OTHER in column.choices:
        style, error = "warning", f"不在下拉列表中；常见说法会自动归类，无法识别的记为「{schema.OTHER}」。"
    else:
        style, error = "stop", f"请从下拉列表中选择{column.name}。"
    validation = DataValidation(type="list", formula1=list_name, errorStyle=style)
    validation.error = error
    return validation


def write_example(ws: Worksheet, sheet: schema.Sheet) -> None:
    """Row 2, wrapped within its columns so that a long note neither spills past the table nor off the page."""
    example = sheet.example
    marked = next(c for c in sheet.columns if c.kind == schema.TEXT)
    lines = 1
    for col, column in enumerate(sheet.columns, 1):
        value = example.get(column.key)
        if column is marked:
            assert isinstance(value, str), "a sheet's example fills its first text column"
            value = schema.EXAMPLE_MARK + value
        elif column is schema.NOTES:
            value = EXAMPLE_NOTE
        cell = ws.cell(2, col, value)
        cell.font, cell.alignment = EXAMPLE_FONT, WRAP
        if isinstance(value, str):
            lines = max(lines, line_count(value, column.width))
    if lines > 1:
        ws.row_dimensions[2].height = 15 * lines


def write_unit_info(ws: Worksheet) -> None:
    for col, text in enumerate(INFO_HEADERS, 1):
        style_header(ws.cell(1, col, text))
    for row, (key, (label, aliases)) in enumerate(schema.INFO_ITEMS.items(), 2):
        cell = ws.cell(row, 1, label)
        cell.font = Font(bold=True)
        cell.border = ws.cell(row, 2).border = BORDER
        also = f"；也可写作：{'、'.join(aliases)}" if aliases else ""
        cell.comment = Comment(INFO_NOTES[key] + also, AUTHOR)
    members_row = 2 + list(schema.INFO_ITEMS).index("members")
    ws.cell(members_row, 2).number_format = "0"
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 36
    ws.freeze_panes = "A2"
    set_up_printing(ws)
