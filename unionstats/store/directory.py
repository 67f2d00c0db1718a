"""The 单位名录: the organisation's units, their member counts, and which of them are due to report (应报送).

A summary that says which units 未报送数据 must name only units that were due, not every name the store has
seen over the years. The directory says who is due; without one, a unit is due when it reported in the period
before or in the same period a year before. Its member counts also stand in for those of 单位信息, which may
be missing or years old, wherever it gives one.

Rows are checked here as the loader checks a 单位 cell and a 会员人数, and every problem names its row and
column in Chinese, so the page, a CSV file and the command line all say the same thing. The store keeps the
directory in its own table (`database.unit_directory`); `Store` has the thin methods that read and replace it.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlalchemy as sa

from unionstats.contract import schema
from unionstats.intake import values
from unionstats.store import database

LABELS = {"unit": "单位", "members": "会员人数", "due": "应报送"}
HEADERS = {  # what a CSV file's (or a table's) header may call each column
    "unit": ("单位", "单位名称", "名称", "工会名称", "基层工会"),
    "members": ("会员人数", "会员数", "工会会员人数", "会员总数", "职工人数"),
    "due": ("应报送", "是否报送", "是否应报送", "需报送", "报送"),
}
YES = frozenset({"是", "应报送", "需报送", "报送", "要", "需要", "true", "yes", "y", "1", "√", "✓", "✔"})
NO = frozenset({"否", "不报送", "无需报送", "不需报送", "免报", "不", "不要", "不需要", "false", "no", "n", "0",
                "×", "✗", "x"})
SAMPLE_IMPORTER = "示例数据"  # the sample workbook's importer (ui.page.SAMPLE_USER): its unit is no real unit
SHOWN = 5  # names written out in a message before 等


class DirectoryError(ValueError):
    """The rows cannot be stored; `problems` holds one Chinese sentence per problem, each naming its row."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("单位名录未保存，请改正：" + "；".join(problems))


def empty() -> pd.DataFrame:
    return pd.DataFrame({"unit": pd.Series(dtype="str"), "members": pd.Series(dtype="Int64"),
                         "due": pd.Series(dtype="bool")})


def typed(records: list[dict]) -> pd.DataFrame:
    if not records:
        return empty()
    return pd.DataFrame({
        "unit": pd.Series([r["unit"] for r in records], dtype="str"),
        "members": pd.Series([r["members"] for r in records], dtype="Int64"),
        "due": pd.Series([bool(r["due"]) for r in records], dtype="bool"),
    })


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """The directory with the Chinese headers a page and a CSV file show."""
    return frame[list(LABELS)].rename(columns=LABELS).reset_index(drop=True)


def from_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """A table with Chinese headers (a page's editor, a CSV file) with the directory's keys; unknown columns
    are left out, a missing 会员人数 or 应报送 column is blank."""
    found = {}
    for header in frame.columns:
        key = header_key(header)
        if key and key not in found:
            found[key] = header
    if "unit" not in found:
        raise DirectoryError([f"没有找到「{LABELS['unit']}」列：第一行应为表头，写明 单位、会员人数、应报送"])
    return pd.DataFrame({key: frame[found[key]].tolist() if key in found else [None] * len(frame)
                         for key in LABELS})


def header_key(header: object) -> str | None:
    label = schema.normalize_header(header) if not values.is_blank(header) else ""
    return next((key for key, names in HEADERS.items() if label in names), None)


def cell(raw: object) -> object:
    """A cell as the value parsers take it: pandas' and numpy's missing values are None, numpy's numbers Python's."""
    if isinstance(raw, np.generic):
        raw = raw.item()
    try:
        return None if pd.isna(raw) else raw
    except (TypeError, ValueError):
        return raw


def parse_due(raw: object) -> values.Parsed:
    """应报送 as True or False; blank is 是, the default a new row gets."""
    if isinstance(raw, bool):
        return values.Parsed(raw)
    if values.is_blank(raw):
        return values.Parsed(True)
    text = str(int(raw)) if isinstance(raw, (int, float)) and float(raw).is_integer() else str(raw)
    text = "".join(schema.visible(text).split()).lower()
    if text in YES:
        return values.Parsed(True)
    if text in NO:
        return values.Parsed(False)
    return values.Parsed(error=f"“{values.quoted(raw)}”应为“是”或“否”")


def add_problem(problems: list[str], row: int | None, key: str, message: str) -> None:
    problems.append(f"{'' if row is None else f'第{row}行'}「{LABELS[key]}」：{message}")


def checked(frame: pd.DataFrame, first_row: int | None = 1) -> pd.DataFrame:
    """The rows as the store keeps them, or DirectoryError naming every bad cell by its row and column.

    `first_row` is the number the first row has where the user sees it: 1 on a page, 2 in a CSV file under its
    header, None for one unit given on the command line (its problems name the column only). A row with neither
    a name nor a member count is skipped (an editor's empty new row). A name is cleaned as the loader cleans a
    单位 cell and holds at most `schema.UNIT_LENGTH` characters; a member count is a whole number from 1 to
    `schema.MAX_MEMBERS`, or empty; 应报送 is 是 or 否 (blank: 是); no unit is listed twice.
    """
    problems: list[str] = []
    records: list[dict] = []
    seen: dict[str, int | None] = {}  # (None: one unit from the command line, never repeated)
    for offset, (raw_unit, raw_members, raw_due) in enumerate(
            zip(frame["unit"], frame["members"], frame["due"]) if len(frame) else ()):
        row = None if first_row is None else first_row + offset
        raw_unit, raw_members, raw_due = cell(raw_unit), cell(raw_members), cell(raw_due)
        problem = functools.partial(add_problem, problems, row)
        unit = values.parse_text(raw_unit, schema.UNIT_LENGTH, "单位名称")
        members = values.parse_int(raw_members, 1, schema.MAX_MEMBERS)
        due = parse_due(raw_due)
        if unit.value is None and not unit.error and values.is_blank(raw_members):
            continue
        if unit.error:
            problem("unit", unit.error)
        elif unit.value is None:
            problem("unit", "单位名称不能为空，请填写单位名称，或删除这一行")
        elif unit.value in seen:
            problem("unit", f"“{unit.value}”与第{seen[unit.value]}行重复，每个单位只填一行")
        else:
            seen[unit.value] = row
        if members.error:
            problem("members", f"会员人数{members.error}，或留空")
        if due.error:
            problem("due", f"{due.error}，请填写是或否")
        records.append({"unit": unit.value, "members": members.value, "due": due.value})
    if problems:
        raise DirectoryError(problems)
    return typed(records)


KEEP = object()  # with_unit: an option not given leaves the unit's value as it was


def with_unit(frame: pd.DataFrame, name: str, members: object = KEEP, due: bool | None = None) -> pd.DataFrame:
    """The directory with one unit added, or changed where it is listed: its member count (blank clears it) and
    应报送 where given. A new unit is due unless `due` says otherwise."""
    given = checked(typed_raw([(name, None if members is KEEP else members, True if due is None else due)]), None)
    if given.empty:
        raise DirectoryError([f"「{LABELS['unit']}」：单位名称不能为空"])
    unit, count = given["unit"][0], given["members"][0]
    records = frame.to_dict("records")
    listed = next((r for r in records if r["unit"] == unit), None)
    if listed is None:
        records.append({"unit": unit, "members": None if members is KEEP else count, "due": given["due"][0]})
    else:
        if members is not KEEP:
            listed["members"] = count
        if due is not None:
            listed["due"] = due
    return typed([{**r, "members": None if pd.isna(r["members"]) else r["members"]} for r in records])


def without_unit(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    unit = values.parse_text(name).value
    if unit not in set(frame["unit"]):
        raise DirectoryError([f"单位名录中没有“{unit or name}”"])
    return frame[frame["unit"] != unit].reset_index(drop=True)


def typed_raw(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(LABELS), dtype=object)


def read_csv(data: bytes) -> tuple[pd.DataFrame, int]:
    """A CSV file's rows with the directory's keys, and the line number of its first row (under the header).

    The file may be UTF-8 (with or without BOM) or GB18030, as Excel and WPS save CSV on a Chinese system.
    The header is the first line that is not blank.
    """
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DirectoryError(["文件不是 UTF-8 或 GBK 编码的 CSV 文件，请在 Excel 或 WPS 中另存为“CSV（逗号分隔）”"])
    lines = list(csv.reader(io.StringIO(text)))
    start = next((i for i, line in enumerate(lines) if any(c.strip() for c in line)), None)
    if start is None:
        raise DirectoryError(["文件是空的：第一行应为表头，写明 单位、会员人数、应报送"])
    width = len(lines[start])
    body = [(line + [""] * width)[:width] for line in lines[start + 1:]]
    return from_labels(pd.DataFrame(body, columns=lines[start], dtype=object)), start + 2


# The store's table.

def read(connection: sa.Connection) -> pd.DataFrame:
    table = database.unit_directory
    rows = connection.execute(sa.select(table.c.unit, table.c.members, table.c.due).order_by(table.c.position))
    return typed([{"unit": r.unit, "members": r.members, "due": r.due} for r in rows])


def write(connection: sa.Connection, frame: pd.DataFrame, by: str) -> None:
    """Replace the stored directory with `frame` (already `checked`), in the caller's transaction."""
    table = database.unit_directory
    connection.execute(table.delete())
    now = dt.datetime.now(dt.UTC)
    rows = [dict(unit=unit, position=i, members=None if pd.isna(members) else int(members), due=bool(due),
                 changed_at=now, changed_by=schema.clip(by, database.USER_NAME_LENGTH))
            for i, (unit, members, due) in enumerate(zip(frame["unit"], frame["members"], frame["due"]))]
    if rows:
        connection.execute(table.insert(), rows)


def stamp(connection: sa.Connection) -> str:
    """Changes whenever the directory is replaced: part of the store's revision."""
    table = database.unit_directory
    count, changed = connection.execute(sa.select(sa.func.count(), sa.func.max(table.c.changed_at))).one()
    return f"{count}:{changed}"


def unit_info(connection: sa.Connection) -> pd.DataFrame:
    """The units the active batches' 单位信息 named, with the latest member count given for each: not a unit
    named after its file (`named` False), nor one that only the sample workbook holds."""
    units, batches = database.batch_units, database.batches
    query = (
        sa.select(units.c.unit, units.c.members, units.c.named, batches.c.imported_by)
        .join(batches, batches.c.id == units.c.batch_id).where(batches.c.state == database.ACTIVE)
        .order_by(units.c.last_date, units.c.batch_id)
    )
    latest: dict[str, dict] = {}
    for row in connection.execute(query):
        entry = latest.setdefault(row.unit, {"unit": row.unit, "members": None, "due": True, "named": False,
                                             "real": False})
        entry["named"] |= row.named is not False  # (NULL: a batch from before `named` was kept, named then)
        entry["real"] |= row.imported_by != SAMPLE_IMPORTER
        if row.members is not None:
            entry["members"] = row.members
    return typed([e for e in latest.values() if e["named"] and e["real"]])


def filled(directory: pd.DataFrame, info: pd.DataFrame) -> pd.DataFrame:
    """The directory with 单位信息 brought in: a listed unit keeps its place and 应报送 and takes the latest member
    count 单位信息 gives; the units not listed are added at the end, by name, as due."""
    counts = {u: m for u, m in zip(info["unit"], info["members"]) if not pd.isna(m)}
    listed = set(directory["unit"])
    kept = [{"unit": u, "members": counts.get(u, None if pd.isna(m) else m), "due": d}
            for u, m, d in zip(directory["unit"], directory["members"], directory["due"])]
    added = [{"unit": u, "members": counts.get(u), "due": True} for u in sorted(info["unit"]) if u not in listed]
    return typed(kept + added)


@dataclass
class DirectoryChange:
    """What a save or an import did to the directory, for its message and the audit trail."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    size: int = 0
    imported: bool = False  # filled from 单位信息, rather than saved as given

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def detail(self) -> str:
        """The audit trail's sentence."""
        done = self.text().removeprefix("单位名录已保存：")
        return f"从单位信息导入单位名录：{done}" if self.imported else f"单位名录：{done}"

    def text(self) -> str:
        parts = [f"{word}{len(names)}个单位（{names_text(names)}）"
                 for word, names in (("新增", self.added), ("修改", self.changed), ("删除", self.removed)) if names]
        if not parts and self.imported:
            return (f"单位名录已是最新：没有需要补充的单位或会员人数（共{self.size}个单位）" if self.size else
                    "没有可导入的单位：已导入的工作簿都没有写明单位名称（示例数据不导入）")
        if not parts:
            return f"单位名录没有变化（共{self.size}个单位）"
        return f"单位名录已保存：{'，'.join(parts)}；现共{self.size}个单位"


def names_text(names: list[str]) -> str:
    return "、".join(names[:SHOWN]) + ("等" if len(names) > SHOWN else "")


def change(before: pd.DataFrame, after: pd.DataFrame, imported: bool = False) -> DirectoryChange:
    old = {u: (None if pd.isna(m) else int(m), bool(d)) for u, m, d in zip(*(before[k] for k in LABELS))}
    new = {u: (None if pd.isna(m) else int(m), bool(d)) for u, m, d in zip(*(after[k] for k in LABELS))}
    return DirectoryChange(added=[u for u in new if u not in old],
                           changed=[u for u in new if u in old and old[u] != new[u]],
                           removed=[u for u in old if u not in new], size=len(new), imported=imported)


# What the figures and the summary read.

def with_members(units: pd.DataFrame, directory: pd.DataFrame) -> pd.DataFrame:
    """The dataset's unit frame with the directory's member count wherever the directory gives one."""
    counts = {u: int(m) for u, m in zip(directory["unit"], directory["members"]) if not pd.isna(m)}
    if not counts or units.empty:
        return units
    given = units["unit"].map(counts).astype("Int64")
    return units.assign(members=given.where(given.notna(), units["members"]))
