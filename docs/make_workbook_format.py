"""Rewrite the generated tables of docs/workbook-format.md from unionstats/contract/schema.py.

    python docs/make_workbook_format.py           # rewrite the blocks in place
    python docs/make_workbook_format.py --check   # exit 1 when the doc is out of date

Only the text between `<!-- BEGIN 自动生成:ID -->` and `<!-- END 自动生成:ID -->` is
written; everything else in the doc is written by hand. tests/test_docs.py checks
the doc against schema.py on its own and runs `--check`'s comparison too.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from unionstats.contract import (
    registry,
    schema,  # noqa: E402
)
from unionstats.exports.template import INFO_NOTES  # noqa: E402

DOC = ROOT / "docs" / "workbook-format.md"
BLOCK = re.compile(r"(<!-- BEGIN 自动生成:(?P<id>[a-z]+) -->\n)(?P<body>.*?)(<!-- END 自动生成:(?P=id) -->)", re.S)
NONE = "—"


def listed(words) -> str:
    return "、".join(words) or NONE


def table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def names_line(name: str, aliases: tuple[str, ...]) -> str:
    also = "、".join(f"`{a}`" for a in aliases)
    return f"工作表名称：`{name}`；也可用：{also}"


def blank_text(column: schema.Column) -> str:
    """What an empty cell of the column is recorded as."""
    if column.required:
        return "不能为空"
    if column is schema.UNIT:
        return "见说明"
    if column.default is None:
        return "空"
    if isinstance(column.default, float):
        return f"{column.default:g}"
    return str(column.default)


def sheet_block(sheet: schema.Sheet) -> list[str]:
    rows = [(c.name, listed(c.aliases), schema.KIND_LABELS[c.kind], "必填" if c.required else "选填",
             blank_text(c), c.help) for c in sheet.columns]
    lines = [names_line(sheet.name, sheet.aliases), "", sheet.description, ""]
    lines += table(("列名", "也可写作", "类型", "是否必填", "不填时", "填写说明"), rows)
    for column in sheet.columns:
        if not column.choices:
            continue
        lines += ["", f"#### 「{column.name}」的可选值", ""]
        if column.kind == schema.CATEGORY:
            words = {choice: [w for w, c in column.synonyms.items() if c == choice] for choice in column.choices}
            lines += table(("可选值", "常见说法（自动归入该值）"), [(c, listed(words[c])) for c in column.choices])
        else:
            lines += table(("可选值",), [(c,) for c in column.choices])
    return lines


def sheets_block() -> list[str]:
    rows = [(s.name, listed(s.aliases), listed(c.name for c in s.required), s.description)
            for s in registry.sheets()]
    info_name, *info_aliases = schema.INFO_SHEET_NAMES
    items = "、".join(label for label, _ in schema.INFO_ITEMS.values())
    rows.append((info_name, listed(info_aliases), NONE, f"可选：{items}"))
    return table(("工作表", "也可用的名称", "必填列", "用途"), rows)


def info_block() -> list[str]:
    info_name, *info_aliases = schema.INFO_SHEET_NAMES
    rows = [(label, listed(aliases), INFO_NOTES[key]) for key, (label, aliases) in schema.INFO_ITEMS.items()]
    return [names_line(info_name, tuple(info_aliases)), ""] + table(("项目", "也可写作", "填写说明"), rows)


def limits_block() -> list[str]:
    """The limits of `schema`, with what a value beyond each one gets."""
    def shorter(length: int, where: str) -> str:
        return f"提示；{where}只保留前 {length - 1} 个字符（末尾加「…」）"

    rows = [
        ("整数（人次、人数、件数、获奖数等），每格", f"{schema.MAX_COUNT:,}", "错误"),
        ("金额，每格", f"{schema.MAX_YUAN:,} 元", "错误"),
        ("会员人数", f"{schema.MAX_MEMBERS:,}", "错误"),
        ("名次", f"第{schema.MAX_PLACE}名", "错误"),
        ("单位名称（「单位」列、单位信息表）", f"{schema.UNIT_LENGTH} 个字符", "错误"),
        ("报告期", f"{schema.PERIOD_TEXT_LENGTH} 个字符",
         f"警告；只保留前 {schema.PERIOD_TEXT_LENGTH - 1} 个字符（末尾加「…」）"),
        ("工作表名称", f"{schema.SHEET_LENGTH} 个字符", shorter(schema.SHEET_LENGTH, "随数据保存时")),
        ("列名", f"{schema.COLUMN_LENGTH} 个字符", shorter(schema.COLUMN_LENGTH, "问题清单中")),
    ]
    return table(("内容", "上限", "超过时"), rows)


def blocks() -> dict[str, list[str]]:
    found = {"sheets": sheets_block(), "info": info_block(), "limits": limits_block()}
    found.update({s.key: sheet_block(s) for s in registry.sheets()})
    return found


def render(text: str) -> str:
    generated = blocks()
    missing = set(generated) - {m.group("id") for m in BLOCK.finditer(text)}
    if missing:
        raise SystemExit(f"{DOC.name} has no block for: {', '.join(sorted(missing))}")

    def replace(match: re.Match) -> str:
        body = generated.get(match.group("id"))
        return match.group(0) if body is None else match.group(1) + "\n".join(body) + "\n" + match.group(4)

    return BLOCK.sub(replace, text)


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    updated = render(text)
    if "--check" in argv:
        if updated != text:
            print(f"{DOC} is out of date: run python docs/make_workbook_format.py", file=sys.stderr)
            return 1
        return 0
    if updated != text:
        DOC.write_text(updated, encoding="utf-8")
        print(f"rewrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
