"""The blank workbook a union office fills in, written from `schema`.

Everything a clerk needs is in the file: a 填写说明 sheet listing every
column with its meaning and accepted aliases, dropdowns on every categorical
column, date and number formats, a frozen header, and one example row per
sheet that the loader skips.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from .. import schema

FILLED_ROWS = 1000
LISTS_SHEET = "_lists"
HEADER_FILL = PatternFill("solid", fgColor="C00000")
HEADER_FONT = Font(bold=True, color="FFFFFF", size=11)
EXAMPLE_FONT = Font(italic=True, color="808080")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NUMBER_FORMATS = {schema.DATE: "yyyy-mm-dd", schema.MONEY: "#,##0.00", schema.INT: "0"}
FREE_TEXT_ALLOWED = {"category", "group", "kind", "level", "result"}

EXAMPLES = {
    "events": {"date": dt.date(2024, 3, 8), "name": "三八妇女节趣味运动会", "category": "节日活动",
               "participants": 86, "spending": 4300.0},
    "visits": {"date": dt.date(2024, 4, 12), "reason": "生病住院", "group": "在职职工", "person": "（姓名）",
               "count": 1, "amount": 500.0},
    "donations": {"date": dt.date(2024, 5, 20), "campaign": "慈善一日捐", "cash": 12680.0, "goods": 0,
                  "donors": 158, "kind": "集体"},
    "competitions": {"date": dt.date(2024, 4, 26), "name": "市直机关职工羽毛球比赛", "level": "市级",
                     "event": "混合团体", "entry": "团体", "entrants": 8, "result": "第三名", "awards": 1},
}
EXAMPLE_NOTE = f"{schema.EXAMPLE_MARK}此行为填写示例，导入时自动忽略，可删除"
RULES = (
    "每个工作表第一行是列名，请不要改动列名；可以在列名上方加标题行，导入时会自动跳过。",
    "日期可以是 Excel 日期，也可以写成 2024-03-08、2024/3/8、2024.3.8、2024年3月8日 或 20240308。",
    "金额单位为元，可写 1500、1,500、¥1500、1500元 或 0.15万元。",
    "可以插入空行；「合计」「总计」「小计」行不计入统计，导入时会与上方各行核对。",
    f"以「{schema.EXAMPLE_MARK}」开头的行是示例，导入时忽略；填写时可直接删除。",
    "类别、事由等列请从下拉列表选择；常见说法（如“住院”“新婚”）也能自动归类，无法识别的记为「其他」。",
    "「对象」列是个人信息：只保存，不会出现在图表、工作总结和导出中。",
    "单位信息表填写单位名称与会员人数，用于计算参与率；多个基层工会可在数据表的「单位」列分别填写。",
)


def write_template(target: str | Path | BinaryIO) -> None:
    book = Workbook()
    write_instructions(book.active)
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_names = write_lists(book, lists)
    for sheet in schema.DATA_SHEETS:
        write_data_sheet(book.create_sheet(sheet.name), sheet, list_names)
    write_unit_info(book.create_sheet(schema.INFO_SHEET_NAMES[0]))
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    book.active = 1
    book.save(target)


def header_text(column: schema.Column) -> str:
    return f"{column.name}（元）" if column.kind == schema.MONEY else column.name


def style_header(cell) -> None:
    cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_instructions(ws) -> None:
    ws.title = "填写说明"
    ws["A1"] = "工会活动统计表 填写说明"
    ws["A1"].font = Font(bold=True, size=16)
    row = 3
    for number, rule in enumerate(RULES, 1):
        ws.cell(row, 1, f"{number}. {rule}")
        row += 1
    row += 1
    headers = ("工作表", "列名", "是否必填", "内容与写法", "也可以写作")
    for col, text in enumerate(headers, 1):
        style_header(ws.cell(row, col, text))
    for sheet in schema.DATA_SHEETS:
        for column in sheet.columns:
            row += 1
            values = (sheet.name, column.name, "必填" if column.required else "选填", column.help,
                      "、".join(column.aliases))
            for col, text in enumerate(values, 1):
                cell = ws.cell(row, col, text)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                cell.border = BORDER
    for letter, width in zip("ABCDE", (10, 12, 10, 60, 36)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


def write_lists(book: Workbook, ws) -> dict[str, str]:
    """One column per dropdown on the hidden sheet, each under a defined name."""
    names: dict[str, str] = {}
    col = 0
    for sheet in schema.DATA_SHEETS:
        for column in sheet.columns:
            if not column.choices:
                continue
            col += 1
            letter = get_column_letter(col)
            ws.cell(1, col, f"{sheet.name}_{column.name}")
            for offset, choice in enumerate(column.choices, 2):
                ws.cell(offset, col, choice)
            name = f"list_{sheet.key}_{column.key}"
            reference = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(column.choices) + 1}"
            book.defined_names[name] = DefinedName(name, attr_text=reference)
            names[f"{sheet.key}.{column.key}"] = name
    return names


def write_data_sheet(ws, sheet: schema.Sheet, list_names: dict[str, str]) -> None:
    for col, column in enumerate(sheet.columns, 1):
        cell = ws.cell(1, col, header_text(column))
        style_header(cell)
        cell.comment = Comment(f"{'必填' if column.required else '选填'}：{column.help}", "unionstats")
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = column.width
        cells = f"{letter}2:{letter}{FILLED_ROWS + 1}"
        if column.kind in NUMBER_FORMATS:
            for (data_cell,) in ws[cells]:
                data_cell.number_format = NUMBER_FORMATS[column.kind]
        validation = column_validation(sheet, column, list_names)
        if validation is not None:
            ws.add_data_validation(validation)
            validation.add(cells)
    write_example(ws, sheet)
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A2"


def column_validation(sheet: schema.Sheet, column: schema.Column, list_names: dict[str, str]):
    if column.choices:
        strict = column.key not in FREE_TEXT_ALLOWED
        validation = DataValidation(type="list", formula1=f"={list_names[f'{sheet.key}.{column.key}']}",
                                    allow_blank=True, errorStyle="stop" if strict else "warning")
        validation.error = f"请从下拉列表中选择{column.name}"
    elif column.kind == schema.INT:
        validation = DataValidation(type="whole", operator="greaterThanOrEqual", formula1=str(column.minimum),
                                    allow_blank=True, errorStyle="warning")
        validation.error = f"{column.name}应为不小于 {column.minimum} 的整数"
    elif column.kind == schema.MONEY:
        validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                    allow_blank=True, errorStyle="warning")
        validation.error = "金额应为不小于 0 的数字，单位：元"
    else:
        return None
    validation.errorTitle = "请检查填写内容"
    validation.prompt = column.help
    validation.promptTitle = column.name
    validation.showErrorMessage = validation.showInputMessage = True
    return validation


def write_example(ws, sheet: schema.Sheet) -> None:
    example = EXAMPLES[sheet.key]
    name_key = next((c.key for c in sheet.columns if c.kind == schema.TEXT and c.required), None)
    for col, column in enumerate(sheet.columns, 1):
        value = example.get(column.key)
        if column.key == name_key:
            value = schema.EXAMPLE_MARK + value
        elif column.key == "notes":
            value = EXAMPLE_NOTE
        cell = ws.cell(2, col, value)
        cell.font = EXAMPLE_FONT


def write_unit_info(ws) -> None:
    for col, text in enumerate(("项目", "内容"), 1):
        style_header(ws.cell(1, col, text))
    notes = {"unit": "本工会的名称", "members": "工会会员人数（整数），用于计算参与率",
             "period": "如：2024年第二季度（仅作说明）"}
    for row, (key, (label, _aliases)) in enumerate(schema.INFO_ITEMS.items(), 2):
        cell = ws.cell(row, 1, label)
        cell.font = Font(bold=True)
        cell.comment = Comment(notes[key], "unionstats")
        ws.cell(row, 2).border = BORDER
    members = ws.cell(3, 2)
    members.number_format = "0"
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 36
