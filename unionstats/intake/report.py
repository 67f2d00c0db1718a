"""What a load found wrong, said in Chinese with the place to fix it.

Every issue names the file, the sheet, the row number as Excel shows it and
the column, so a clerk can go straight to the cell. An issue is one line of
text: what it quotes from the workbook (a sheet's name, a header, a value)
comes without control characters, a line break or tab made one space.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from unionstats.contract.schema import visible

ERROR, WARNING, NOTICE = "error", "warning", "notice"
LEVEL_LABELS = {ERROR: "错误", WARNING: "警告", NOTICE: "提示"}

# What is left of the line-breaking characters once `visible` has taken out the rest, with the spaces around it.
_BREAK = re.compile(r"\s*[\t\n\r\u2028\u2029]\s*")
_BREAKS = "\t\n\r\u2028\u2029"


def one_line(text: str) -> str:
    """`text` as a message shows it: without control characters, and each line break or tab (with the spaces
    around it) one space, as a cell typed on two lines reads on one; a break at either end goes. A space rather
    than nothing, because the break parted two words (`联系\n电话`, `张三\n李四`)."""
    if text.isprintable():
        return text
    return _BREAK.sub(" ", visible(text).strip(_BREAKS))


@dataclass(frozen=True)
class Issue:
    level: str
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    cell: str = ""

    def __post_init__(self) -> None:
        for name in ("message", "sheet", "column", "value"):
            text = getattr(self, name)
            if isinstance(text, str) and not text.isprintable():
                object.__setattr__(self, name, one_line(text))

    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"「{self.sheet}」表")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"「{self.column}」列")
        if self.cell:
            parts.append(f"（{self.cell}）")
        return "".join(parts)

    def text(self) -> str:
        where = self.where()
        return f"[{LEVEL_LABELS[self.level]}] {where}{'：' if where else ''}{self.message}"


@dataclass
class LoadReport:
    issues: list[Issue] = field(default_factory=list)
    skipped_rows: int = 0

    def add(self, level: str, message: str, **where) -> None:
        self.issues.append(Issue(level, message, **where))

    def extend(self, other: LoadReport) -> None:
        self.issues.extend(other.issues)
        self.skipped_rows += other.skipped_rows

    def of_level(self, level: str) -> list[Issue]:
        return [i for i in self.issues if i.level == level]

    @property
    def errors(self) -> list[Issue]:
        return self.of_level(ERROR)

    @property
    def warnings(self) -> list[Issue]:
        return self.of_level(WARNING)

    @property
    def notices(self) -> list[Issue]:
        return self.of_level(NOTICE)

    @property
    def ok(self) -> bool:
        return not self.errors

    def records(self) -> list[dict]:
        return [asdict(i) for i in self.issues]
