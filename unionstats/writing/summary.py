"""The 工作总结: paragraphs written from the statistics of one period.

The register follows the work summaries unions hand in: a title,
an opening with the period's main figures, numbered sections (一)(二)... for
activities, caring for members, donations, competitions and funds, and a
closing section of observations drawn by rules from the numbers. Every
number in the text is one of the figures `stats.figures` returned for the
period; a section without data is left out, comparisons appear only where
the earlier period has data, and no name from the 对象 column can appear
because the statistics never carry one. Same figures, same text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from unionstats.contract.numerals import int_to_chinese
from unionstats.contract.periods import HALF, MONTH, QUARTER, YEAR, Period
from unionstats.contract.registry import registered
from unionstats.figures.typed import Comparison, Figures
from unionstats.writing.chinese import first_few, listing, number, trend
from unionstats.writing.organisation import union_name


@dataclass
class Section:
    """A first-level part (一、); its `parts` are the second level (（一）), each with its own paragraphs."""

    heading: str
    paragraphs: list[str]
    parts: list[Section] = field(default_factory=list)


HEADING1, HEADING2, PARAGRAPH = "heading1", "heading2", "paragraph"
UNITS_HEADING = "各单位工作情况"  # the units side by side: the deck leaves it out of a view of one unit


@dataclass
class Summary:
    """The summary as an office hands it in: title, opening, numbered sections, key figures and 落款.

    `organisation` and `dated` make the 落款 (signature and date) at the end; `blocks()` is the one order in
    which the text, the Markdown and the Word document lay the parts out.
    """

    title: str
    opening: str
    sections: list[Section] = field(default_factory=list)
    key_figures: list[tuple[str, str]] = field(default_factory=list)
    closing: str = ""
    organisation: str = ""
    dated: dt.date | None = None

    def blocks(self) -> list[tuple[str, str]]:
        """(kind, text) after the title: the opening, 一、 headings, （一） headings and paragraphs, the closing."""
        blocks = [(PARAGRAPH, self.opening)] if self.opening else []
        for i, section in enumerate(self.sections, 1):
            blocks.append((HEADING1, f"{int_to_chinese(i)}、{section.heading}"))
            blocks += [(PARAGRAPH, p) for p in section.paragraphs]
            for j, part in enumerate(section.parts, 1):
                blocks.append((HEADING2, f"（{int_to_chinese(j)}）{part.heading}"))
                blocks += [(PARAGRAPH, p) for p in part.paragraphs]
        if self.closing:
            blocks.append((PARAGRAPH, self.closing))
        return blocks

    @property
    def date_text(self) -> str:
        """The date of the 落款 in Arabic numerals, as GB/T 9704 has it: 2026年12月2日."""
        return f"{self.dated.year}年{self.dated.month}月{self.dated.day}日" if self.dated else ""

    def signature(self) -> list[str]:
        return [line for line in (self.organisation, self.date_text) if line]

    def text(self) -> str:
        """Plain text: a blank line before the opening, each heading and the 落款; paragraphs one per line."""
        lines = [self.title]
        for kind, text in self.blocks():
            apart = kind != PARAGRAPH or len(lines) == 1 or (text == self.closing and self.sections)
            lines += ["", text] if apart else [text]
        if self.signature():
            lines += ["", *self.signature()]
        return "\n".join(lines) + "\n"

    def markdown(self) -> str:
        marks = {HEADING1: "## ", HEADING2: "### ", PARAGRAPH: ""}
        lines = [f"# {self.title}"]
        for kind, text in self.blocks():
            lines += ["", marks[kind] + text]
        if self.signature():
            lines += ["", "  \n".join(self.signature())]
        return "\n".join(lines) + "\n"


def previous_name(period: Period) -> str:
    """What the period before is called in a sentence: 上季度, 上半年, 上月, 上年."""
    before = period.previous()
    if period.kind == QUARTER:
        return "上季度"
    if period.kind == HALF:
        return "上半年" if before.start.year == period.start.year else "上年下半年"
    return {MONTH: "上月", YEAR: "上年"}.get(period.kind, "前一时段")


class Writer:
    """Holds one period's figures and turns each part of them into sentences."""

    def __init__(self, result: Figures, organisation: str, due_units: list[str] | None = None):
        if result.period is None:
            raise ValueError("a summary is written for a period")
        self.result = result
        self.period: Period = result.period
        self.when = {YEAR: "全年", HALF: self.period.short_label, QUARTER: "本季度", MONTH: "本月"}.get(
            self.period.kind, "这一时期")
        self.unit = organisation
        self.due_units = sorted(set(due_units or ()))
        self.before = previous_name(self.period)

    def comparisons(self) -> list[tuple[Comparison, str]]:
        """The comparisons a sentence makes, with the name of the earlier period: 上季度 and 去年同期 (a year has
        only 上年)."""
        found = [(self.result.previous, self.before)]
        if self.period.kind != YEAR:
            found.append((self.result.year_ago, "去年同期"))
        return [(comparison, against) for comparison, against in found if comparison is not None]

    def compare(self, figure: Callable[[Figures], float | None], write: Callable[[float], str]) -> str:
        """The changes of the figure just written, to follow it: `，较上季度增长12.5%，比去年同期下降3%`.

        Each change is like for like (stats.figures). Where some unit reported only in this period, the change is
        not that of the figure just written, so the comparable figure is written first, `write` giving its words:
        `，其中与上季度可比的单位65人次，较上季度增长116.7%`; changes of the figure itself come first.
        """
        parts, stated = [], None
        for comparison, against in sorted(self.comparisons(), key=lambda pair: not pair[0].same_units):
            now, earlier = comparison.pair(figure)
            if now is None:
                continue
            moved = trend(now, earlier, against)
            if moved and not comparison.same_units and now != stated:
                moved, stated = f"其中与{against}可比的单位{write(now)}，{moved}", now
            parts.append(moved)
        parts = [p for p in parts if p]
        return "，" + "，".join(parts) if parts else ""

    def left_out(self) -> str:
        """Which units each comparison leaves out, as a sentence:
        与上年相比按可比口径计算，不含上年报送、全年未报送的红星小学。"""
        notes = []
        for comparison, against in self.comparisons():
            parts = []
            if comparison.dropped:
                parts.append(f"{against}报送、{self.when}未报送的{first_few(comparison.dropped)}")
            if comparison.added:
                parts.append(f"{self.when}新报送的{first_few(comparison.added)}")
            if parts:
                notes.append(f"与{against}相比按可比口径计算，不含{'和'.join(parts)}")
        return "；".join(notes) + "。" if notes else ""

    def title(self) -> str:
        return f"{self.unit}{self.period.label}工作总结"

    @property
    def comparable(self) -> str:
        """How an observation names the units it compares: "可比单位" when some unit reported in one period only."""
        return "" if self.result.previous is None or self.result.previous.same_units else "可比单位"

    def opening(self) -> str:
        facts = [fact for kind in registered() if kind.opening and (fact := kind.opening(self))]
        return (f"{self.period.label}，{self.unit}在上级工会和单位党组织的领导下，紧紧围绕单位中心工作，"
                f"认真履行维护职工合法权益、竭诚服务职工群众的基本职责，各项工作有序开展。"
                f"{self.when}共{'；'.join(facts)}。{self.left_out()}现将{self.period.label}工作总结如下：")

    def funds(self) -> Section | None:
        """规范经费管理: every kind's sentences on money, in one paragraph; none when no kind has any."""
        said = "".join(text for kind in registered() if kind.funds and (text := kind.funds(self)))
        if not said:
            return None
        return Section("规范经费管理，用好用活工会经费", ["工会严格按照工会经费管理有关规定，把经费用在职工身上。" + said])

    def units_compared(self) -> Section | None:
        """Several units in the view: each kind's comparison of them (who took part most and least, who spent what
        share), and which units were due to report and sent nothing. A single part stands under the heading
        without a （一）."""
        parts = [part for kind in registered() if kind.units for part in kind.units(self)]
        reporting = set(self.result.reporting)
        silent = [u for u in self.due_units if u not in reporting]
        if silent:
            due = len(self.due_units)
            parts.append(Section("数据报送情况", [
                f"应报送数据的{due}个单位中，{len(silent)}个单位{self.when}未报送数据："
                f"{listing(silent[:10], more=len(silent) > 10)}。"]))
        if not parts:
            return None
        opening = f"{self.when}共有{len(reporting)}个单位报送了数据。"
        if len(parts) == 1:
            return Section(UNITS_HEADING, [opening, *parts[0].paragraphs])
        return Section(UNITS_HEADING, [opening], parts)

    def observations(self) -> Section | None:
        """需要关注的几个方面: every kind's observations (rank, sentence), the most telling first."""
        found = sorted((note for kind in registered() if kind.observations for note in kind.observations(self)),
                       key=lambda note: note[0])
        notes = [text for _, text in found]
        if not notes:
            return None
        return Section("需要关注的几个方面", [f"{i}.{note}" for i, note in enumerate(notes, 1)] if len(notes) > 1 else notes)

    def key_figures(self) -> list[tuple[str, str]]:
        """The table of key figures: every kind's (label, value), those it has."""
        return [pair for kind in registered() if kind.key_figures for pair in kind.key_figures(self.result)]

    def closing(self) -> str:
        looking = {YEAR: "新的一年", HALF: "下一阶段", QUARTER: "下一季度", MONTH: "下一阶段"}.get(
            self.period.kind, "下一阶段")
        return (f"{self.when}，{self.unit}各项工作取得了一定成效，但也存在一些不足。{looking}，我们将进一步改进工作方法，"
                f"丰富活动内容，扩大服务覆盖面，努力把工会建设成为职工信赖的“职工之家”。")



def headcount(value: float) -> str:
    return f"{number(value)}人次"


def write_summary(result: Figures, organisation: str | None = None, due_units: list[str] | None = None,
                  dated: dt.date | None = None) -> Summary:
    """The 工作总结 for the figures of one period (`stats.figures`).

    `organisation` names the union (organisation.organisation_name; without it, the one unit of the figures,
    else 工会); `due_units` are the units that were due to report in the period, so that those without data
    are named; `dated` is
    the date of the 落款 (default today).
    """
    name = union_name(organisation if organisation is not None else
                      result.units[0] if len(result.units) == 1 else "")
    dated = dated or dt.date.today()
    if result.period is None:
        return Summary(f"{name}工作总结", "所选范围内没有活动、慰问、捐款或比赛记录，暂无可总结的内容。",
                       organisation=name, dated=dated)
    writer = Writer(result, name, due_units)
    if result.empty:
        return Summary(writer.title(), f"{writer.period.label}没有录入活动、慰问、捐款或比赛记录，暂无可总结的内容。",
                       organisation=name, dated=dated)
    sheets = [kind.section(writer) for kind in registered() if kind.section]
    sections = [s for s in (*sheets, writer.funds(), writer.units_compared(), writer.observations()) if s]
    return Summary(writer.title(), writer.opening(), sections, writer.key_figures(), writer.closing(),
                   organisation=name, dated=dated)


FIRST_LEVEL = re.compile(r"^[一二三四五六七八九十]+、")
SECOND_LEVEL = re.compile(r"^（[一二三四五六七八九十]+）")
DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def summary_from_text(text: str) -> Summary:
    """A summary edited as plain text, read back: title, opening, 一、 and （一） headings with their paragraphs,
    and the 落款 (a last line that is a date, and the short line before it) when there is one."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return Summary("工作总结", "")
    summary = Summary(lines[0], "")
    body = lines[1:]
    if body and DATE_LINE.match(body[-1]):
        summary.dated = dt.date(*map(int, re.findall(r"\d+", body.pop())))
        if body and len(body[-1]) <= 40 and not body[-1].endswith(("。", "：", "；")):
            summary.organisation = body.pop()
    for line in body:
        if FIRST_LEVEL.match(line):
            summary.sections.append(Section(FIRST_LEVEL.sub("", line), []))
        elif SECOND_LEVEL.match(line) and summary.sections:
            summary.sections[-1].parts.append(Section(SECOND_LEVEL.sub("", line), []))
        elif summary.sections:
            target = summary.sections[-1].parts[-1] if summary.sections[-1].parts else summary.sections[-1]
            target.paragraphs.append(line)
        else:
            summary.opening = f"{summary.opening}\n{line}".strip()
    return summary


def as_edited(text: str, generated: Summary) -> Summary:
    """What the user's text on 工作总结 says, for the Word file: the generated summary while it is unedited,
    else the text read back, with the generated key-figure table (which has no plain-text form)."""
    if text == generated.text():
        return generated
    edited = summary_from_text(text)
    edited.key_figures = generated.key_figures
    return edited
