"""The 审计自查 report: a compliance check (compliance.check.Check) as the Word document a union's office signs
and files, in the 工作总结's format (exports/docx.py: page, grid, fonts, title, tables, 落款).

It says what was checked, against which document and version, how many rows and how many over; a table by rule
and a table of every row over a cap by its place (batch or file, sheet, row as Excel shows it); what could not
be checked; and a line for the office to write what it has put right. A Check carries no 对象, and nothing here
looks one up: the places are for finding the row and its voucher.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from unionstats.compliance.check import Check
from unionstats.compliance.rules import Rule, Version
from unionstats.exports.docx import HEADING1_FONT, add_paragraph, add_signature, add_table, new_document
from unionstats.writing.chinese import listing, yuan
from unionstats.writing.findings import basis, place

LEFT, CENTRE, RIGHT = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
RULE_HEADER = ("标准", "口径", "上限", "超标记录数", "超出金额")
RULE_COLUMNS = (Mm(46), Mm(25), Mm(25), Mm(30), Mm(30))  # 156 mm, the text area's width: each header on one line
FINDING_HEADER = ("批次/文件", "工作表", "行", "日期", "单位", "标准", "金额", "上限", "超出")
FINDING_COLUMNS = (Mm(18), Mm(13), Mm(9), Mm(20), Mm(23), Mm(25), Mm(16), Mm(16), Mm(16))  # 标准: 6 characters
FINDING_SIZE = Pt(10.5)  # 五号: nine columns fit the text area only in a smaller size than the body's
UNDATED = "　　年　　月　　日"  # written by hand when the report is signed
FILL_IN = "整改情况："


def title(organisation: str, period_label: str) -> str:
    return f"{organisation}{period_label}经费使用审计自查情况"


def amount(value: float) -> str:
    """Money in a table: to the fen, thousands grouped (1,000.00)."""
    return f"{value:,.2f}"


@dataclass(frozen=True)
class RuleRow:
    rule: Rule
    versions: tuple[Version, ...]
    found: int
    over: float


def by_rule(check: Check) -> list[RuleRow]:
    """Every rule of the versions used, with its findings: a rule that two versions hold unchanged is one row."""
    rows: dict[Rule, list] = {}
    for version in check.versions:
        for rule in version.rules.rules:
            rows.setdefault(rule, [(), 0, 0.0])[0] += (version,)
    for finding in check.findings:
        row = rows.setdefault(finding.rule, [(finding.version,), 0, 0.0])
        row[1] += 1
        row[2] += finding.excess  # the row's own money above the cap, so a member's year counts once
    return [RuleRow(rule, versions, found, round(over, 2)) for rule, (versions, found, over) in rows.items()]


def rule_name(row: RuleRow, rows: list[RuleRow]) -> str:
    """The rule's name, with the versions that set it when another row has the same name (a cap changed)."""
    if sum(other.rule.name == row.rule.name for other in rows) == 1:
        return row.rule.name
    return f"{row.rule.name}（{listing([v.label for v in row.versions])}）"


def opening(check: Check, organisation: str, period_label: str, scope: str) -> str:
    what = f"{scope}{period_label}" if scope else period_label
    return (f"为进一步规范工会经费使用，根据{check.versions[0].rules.cited if check.versions else '有关规定'}"
            f"{'等文件' if len({v.rules.cited for v in check.versions}) > 1 else ''}，{organisation}对{what}"
            "慰问和活动经费支出情况进行了自查。现将自查情况报告如下：")


def summary_line(check: Check) -> str:
    used = basis(check.versions) if check.versions else "（该期间没有执行中的经费标准）"
    found = len(check.findings)
    result = (f"其中{found}条超出标准，超出金额合计{yuan(check.over)}。" if found
              else "未发现超出标准的支出。")
    return f"本次自查{used}，逐条核对慰问、活动记录{check.checked}条，{result}"


def could_not(check: Check) -> list[str]:
    said = []
    if check.unnamed:
        said.append(f"有{check.unnamed}条记录适用按每人每年计算的限额，但未写明慰问对象或为多人次，只能按人均金额核对，"
                    "无法判断每人全年累计是否超出限额，需对照发放名单核实。")
    if check.unchecked:
        said.append(f"有{check.unchecked}条记录未能核对：日期早于所依据标准的执行日期，或活动未填写参与人次，"
                    "需人工核实。")
    return said


def selfcheck_docx(check: Check, organisation: str, period_label: str, scope: str,
                   dated: dt.date | None = None) -> bytes:
    """The report as a Word file's bytes. `scope`: the units covered, in words (全部12个单位, 机关工会);
    `dated`: the date under the signature, else a blank 年月日 to fill in by hand."""
    heading = title(organisation, period_label)
    document = new_document(heading)
    add_paragraph(document, heading, "Title")
    add_paragraph(document, opening(check, organisation, period_label, scope))
    add_paragraph(document, "一、总体情况", "Heading 1")
    add_paragraph(document, summary_line(check))
    rows = by_rule(check)
    if rows:
        add_table(document, "表1　各项标准核对情况（金额单位：元）", RULE_HEADER,
                  [(rule_name(row, rows), row.rule.scope, amount(row.rule.cap), str(row.found), amount(row.over))
                   for row in rows], RULE_COLUMNS, (LEFT, CENTRE, RIGHT, RIGHT, RIGHT))
    add_paragraph(document, "二、超标记录", "Heading 1")
    if check.findings:
        add_paragraph(document, f"超出标准的{len(check.findings)}条记录逐条列于表2，“批次/文件”“工作表”“行”"
                                "为原始填报表中的位置，便于调取凭证核实。表中“金额”按标准的口径计算：每人每次为人均金额，"
                                "每人每年为当年累计金额。")
        add_table(document, "表2　超标记录明细（金额单位：元）", FINDING_HEADER,
                  [(place(f), f.sheet, str(f.row), f.date.isoformat(), f.unit, f.rule.name, amount(f.amount),
                    amount(f.cap), amount(f.over)) for f in check.findings],
                  FINDING_COLUMNS, (CENTRE, CENTRE, CENTRE, CENTRE, LEFT, LEFT, RIGHT, RIGHT, RIGHT),
                  size=FINDING_SIZE, whole=False, padding=Mm(1))
    else:
        add_paragraph(document, "经核对，未发现超出标准的记录。")
    if said := could_not(check):
        add_paragraph(document, "三、未能核对的情况", "Heading 1")
        for text in said:
            add_paragraph(document, text)
    document.add_paragraph()
    fill_in = [add_paragraph(document, FILL_IN, font=HEADING1_FONT)]
    fill_in += [document.add_paragraph() for _ in range(4)]  # room to write by hand
    for paragraph in fill_in:  # on the page of the signature: never a signature alone on the last page
        paragraph.paragraph_format.keep_with_next = True
    add_signature(document, [organisation, f"{dated.year}年{dated.month}月{dated.day}日" if dated else UNDATED])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

