"""A workbook that names no unit: never named after its file.

A row's unit is its 单位 cell, else the 单位信息 sheet's 单位名称. A workbook with neither leaves those rows
without a unit, because a file's name is how a clerk saved it ("school_2004"), not a union: as a unit it would
head charts, PNG files, the summary's 未报送 list and the deck. Checking such a workbook warns, with the name a
title row above a header suggests (三山学校工会2004年工作情况统计表 names 三山学校); importing it needs a name
from the user; reading it without a store takes the name given, else the title's, else none.
"""

from __future__ import annotations

import re
import unicodedata

from unionstats.contract import schema
from unionstats.intake import values
from unionstats.intake.model import Dataset, Title
from unionstats.intake.reading import RawSheet, column_letter
from unionstats.intake.report import NOTICE, WARNING, Issue, LoadReport

UNNAMED = "没有写明单位名称"  # how the warning starts: applying a name turns it into a notice
YEAR = r"(?:19|20)\d{2}年|[〇零一二三四五六七八九]{4}年"
TITLE_ENDS = re.compile(YEAR + r"|年度|第?[一二三四1-4]季度|[上下]半年|工作|活动|统计|情况|慰问|捐款|捐赠|比赛|竞赛|"
                        r"汇总|报表|台账|登记|一览")
UNIT_LABELS = {"单位", "单位名称", "名称", "工会名称", "填表单位", "填报单位", "报送单位", "基层工会", "所属单位"}
UNION_WORDS = ("工会委员会", "工会")  # taken off: 三山学校工会 is the union of the unit 三山学校 (not of 某县总工会)
EDGES = " :：,，、;；.。-—_()（）【】[]《》"


def clean_name(name: str | None) -> str:
    """A unit's name as given by a user or a title, cleaned as the organisation setting is: full-width letters
    and digits made plain, control characters taken out, spaces collapsed. Raises ValueError (in Chinese) when it
    is longer than a unit's name may be."""
    return checked_setting(name or "")


def title_name(text: object) -> str:
    """The unit a title or a label cell names, or ''.

    三山学校工会2004年工作情况统计表 gives 三山学校 (the words before the year or what is counted, without 工会);
    填表单位：三山学校 gives 三山学校; 2024年第二季度工会活动统计表 and 填表日期：2004年12月31日 give nothing.
    """
    if not isinstance(text, str):
        return ""
    plain = schema.visible(unicodedata.normalize("NFKC", text)).strip()
    label, colon, value = plain.partition(":")
    if colon:
        if re.sub(r"\s+", "", label) not in UNIT_LABELS or not value.split():
            return ""
        head = value.split()[0]
    else:
        flat = re.sub(r"\s+", "", plain)
        end = TITLE_ENDS.search(flat)
        head = flat[: end.start()] if end else ""
    head = head.strip(EDGES)
    for word in UNION_WORDS:
        if head.endswith(word) and not head.endswith("总" + word):
            head = head[: -len(word)].strip(EDGES)
            break
    if len(head) < 2 or not re.search(r"[^\W\d_]", head):
        return ""
    try:
        return clean_name(head)
    except ValueError:
        return ""


def find_title(raw: RawSheet, header_row: int, sheet: str) -> Title | None:
    """The first cell above the header row (0-based `header_row`) that names a unit: a title, a 单位：name cell,
    or a cell after a 填表单位 label."""
    for row in range(min(header_row, raw.height)):
        cells = [(c, cell) for c, cell in enumerate(raw.cells[row])
                 if isinstance(cell, str) and not values.is_blank(cell)
                 and (raw.copied is None or not raw.copied[row, c])]
        for position, (column, cell) in enumerate(cells):
            name, at = title_name(cell), (column, cell)
            label = re.sub(r"\s+", "", schema.visible(unicodedata.normalize("NFKC", cell))).rstrip(":")
            if not name and label in UNIT_LABELS and position + 1 < len(cells):
                at = cells[position + 1]
                name = title_name(f"单位:{at[1]}")
            if name:
                text = " ".join(schema.visible(at[1]).split())
                return Title(name, text, sheet, row + 1, f"{column_letter(at[0])}{row + 1}")
    return None


def unnamed_rows(dataset: Dataset) -> int:
    """How many rows have no unit."""
    return sum(int((frame["unit"] == "").sum()) for frame in dataset.frames().values())


def warn_unnamed(dataset: Dataset, title: Title | None, unit_columns: dict[str, tuple[int, str]],
                 report: LoadReport, source: str) -> None:
    """The check's warning on rows without a unit: where a name can be written and, from a title, which.

    It stands at the title cell when there is one, else at the first row without a unit (at its 单位 cell when
    the sheet has that column). `unit_columns` maps a sheet's name to its 单位 column (index, header text).
    """
    count = unnamed_rows(dataset)
    if not count:
        return
    first = next(frame.loc[frame["unit"] == "", ["sheet", "row"]].iloc[0]
                 for frame in dataset.frames().values() if (frame["unit"] == "").any())
    column = unit_columns.get(first["sheet"])
    missing = "这些行的「单位」列是空的" if column else "数据表中也没有「单位」列"
    message = (f"{UNNAMED}：{count} 行数据不知属于哪个单位（没有「单位信息」表的「单位名称」，{missing}）。"
               "请在「单位信息」表填写「单位名称」或在「单位」列填写单位，否则导入时须另外填写单位名称")
    if title is not None:
        report.add(WARNING, f"{message}。表头上方的“{title.text}”写的单位是“{title.name}”，可用作单位名称",
                   file=source, sheet=title.sheet, row=title.row, cell=title.cell, value=title.text)
    elif column:
        row = int(first["row"])
        report.add(WARNING, message, file=source, sheet=first["sheet"], row=row,
                   column=schema.clip(column[1], schema.COLUMN_LENGTH), cell=f"{column_letter(column[0])}{row}")
    else:
        report.add(WARNING, message, file=source, sheet=first["sheet"], row=int(first["row"]))


def named(dataset: Dataset, name: str) -> Dataset:
    """The workbook with `name` as the unit of every row that has none, and of a 单位信息 without a name; the
    check's warning becomes a notice saying so. Rows with a unit keep it. `name` must be clean (clean_name)."""
    if not name or not (unnamed_rows(dataset) or (dataset.units["unit"] == "").any()):
        return dataset
    report = LoadReport(skipped_rows=dataset.report.skipped_rows)
    for issue in dataset.report.issues:
        if issue.level == WARNING and issue.message.startswith(UNNAMED):
            issue = Issue(NOTICE, f"工作簿没有写明单位名称，各行记入“{name}”", file=issue.file)
        report.issues.append(issue)
    result = Dataset(report=report, sources=dataset.sources)
    for key, frame in dataset.tables.items():
        blank = frame["unit"] == ""
        result.tables[key] = frame.assign(unit=frame["unit"].where(~blank, name)) if blank.any() else frame
    units = dataset.units
    blank = units["unit"] == ""
    if blank.any():
        result.units = units.assign(unit=units["unit"].where(~blank, name), named=units["named"] | blank)
    else:
        result.units = units
    return result


def given_or_title(dataset: Dataset, given: str | None) -> str:
    """The name for a workbook's rows without a unit: the one given, else its title's, else ''."""
    if given:
        return given
    return dataset.unit_title.name if dataset.unit_title is not None else ""


def file_named(dataset: Dataset) -> dict[str, str]:
    """Units a store holds under a file's name (named False), each with the file it came from: rows stored
    where a workbook named no unit, before a name was asked for. A named import of that file replaces them
    (Store.import_dataset)."""
    units = dataset.units.loc[~dataset.units["named"].astype(bool)]
    return dict(zip(units["unit"], units["source"]))


def checked_setting(name: str) -> str:
    """The organisation setting as it is stored: cleaned, and within the length of a unit's name."""
    cleaned = " ".join(schema.visible(unicodedata.normalize("NFKC", name or "")).split())
    if len(cleaned) > schema.UNIT_LENGTH:
        raise ValueError(f"单位名称最多 {schema.UNIT_LENGTH} 个字，现有 {len(cleaned)} 个")
    return cleaned
