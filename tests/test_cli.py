"""The command line, called in-process through `cli.main` so coverage sees it.

Every figure is checked against sums the test computes from the rows it wrote,
never against what the library says. Two tests start `python -m unionstats` in
a fresh process, to prove the entry point, its exit codes and that a broken
file gives a message, not a traceback. Store tests use a SQLite file under
tmp_path; UNIONSTATS_DB points at a trap, so a command that forgot --db fails
the test instead of touching data/.
"""

import datetime as dt
import gc
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import NamedTuple

import openpyxl
import pytest
from workbooks import workbook_bytes

from conftest import ROOT
from unionstats.cli import main as cli


class Event(NamedTuple):
    day: dt.date
    name: str
    category: str
    participants: int
    spending: Decimal
    unit: str
    written_day: object
    written_spending: object


class Visit(NamedTuple):
    day: dt.date
    reason: str
    person: str
    people: int
    amount: Decimal
    unit: str
    written_reason: str
    written_amount: object


class Donation(NamedTuple):
    day: dt.date
    campaign: str
    cash: Decimal
    goods: int
    unit: str
    written_cash: object
    written_goods: object


class Result(NamedTuple):
    day: dt.date
    name: str
    level: str
    event: str
    entry: str
    result: str
    awards: int
    unit: str

    @property
    def won(self) -> int:
        """Awards won: 参与 wins none, whatever 获奖数 says."""
        return 0 if self.result == "参与" else self.awards


D = dt.date
EVENTS = [
    Event(D(2024, 4, 3), "春季健步走", "文体活动", 120, Decimal("3600.50"), "机关工会", "2024-04-03", 3600.5),
    Event(D(2024, 5, 1), "五一座谈会", "节日活动", 40, Decimal("1200.25"), "机关工会", "2024/5/1", "1,200.25元"),
    Event(D(2024, 6, 10), "端午包粽子", "节日活动", 85, Decimal("2500"), "一分会", "2024年6月10日", "0.25万元"),
    Event(D(2024, 7, 2), "七一参观", "参观旅游", 60, Decimal("5000.06"), "机关工会", "2024-07-02", 5000.06),
]
VISITS = [
    Visit(D(2024, 4, 9), "生病住院", "张晓燕", 1, Decimal("500"), "机关工会", "住院", 500),
    Visit(D(2024, 5, 20), "结婚", "李建国", 2, Decimal("2000"), "机关工会", "新婚", "2,000"),
    Visit(D(2024, 6, 30), "生病住院", "王淑芬", 1, Decimal("500.30"), "一分会", "生病", 500.3),
]
DONATIONS = [
    Donation(D(2024, 5, 12), "慈善一日捐", Decimal("3456.78"), 0, "机关工会", "3,456.78元", None),
    Donation(D(2024, 6, 1), "爱心衣物捐赠", Decimal("0"), 25, "一分会", None, 25),
]
RESULTS = [
    Result(D(2024, 5, 18), "全民健身运动会", "市级", "羽毛球", "个人", "第二名", 3, "机关工会"),
    Result(D(2024, 5, 18), "全民健身运动会", "市级", "拔河", "团体", "参与", 1, "机关工会"),
    Result(D(2024, 6, 20), "职工书法比赛", "系统内", "书法", "个人", "一等奖", 1, "一分会"),
]
NAMES = [v.person for v in VISITS]
ROWS = {"活动": len(EVENTS), "慰问": len(VISITS), "捐款": len(DONATIONS), "比赛": len(RESULTS)}

EVENT_HEAD = ["日期", "活动名称", "类别", "参与人次", "支出（元）", "单位"]
VISIT_HEAD = ["日期", "事由", "对象", "人次", "金额", "单位"]
DONATION_HEAD = ["日期", "项目", "捐款金额", "物资件数", "单位"]
RESULT_HEAD = ["日期", "赛事名称", "级别", "项目", "类型", "名次", "获奖数", "单位"]


def quarter_sheets(events=EVENTS, visits=VISITS, donations=DONATIONS, results=RESULTS) -> dict[str, list[list]]:
    return {
        "2024年二季度活动": [["2024年第二季度活动统计表"], EVENT_HEAD,
                             *[[e.written_day, e.name, e.category, e.participants, e.written_spending, e.unit]
                               for e in events]],
        "慰问": [VISIT_HEAD, *[[v.day.isoformat(), v.written_reason, v.person, v.people, v.written_amount, v.unit]
                             for v in visits]],
        "捐款": [DONATION_HEAD, *[[d.day.isoformat(), d.campaign, d.written_cash, d.written_goods, d.unit]
                                for d in donations]],
        "比赛": [RESULT_HEAD, *[[r.day.isoformat(), r.name, r.level, r.event, r.entry, r.result, r.awards, r.unit]
                              for r in results]],
    }


NAMED = {"单位信息": [["单位名称", "机关工会"]]}  # a workbook's own unit, for files that have no 单位 column


def write(path, sheets: dict[str, list[list]]):
    path.write_bytes(workbook_bytes(sheets))
    return path


@pytest.fixture
def quarter(tmp_path):
    return write(tmp_path / "q2.xlsx", quarter_sheets())


# The figures, worked out here from the rows above.

def inside(rows, start: dt.date | None = None, end: dt.date | None = None, units=None):
    return [r for r in rows if (start is None or start <= r.day <= end) and (not units or r.unit in units)]


def expected(start=None, end=None, units=None) -> dict:
    events, visits = inside(EVENTS, start, end, units), inside(VISITS, start, end, units)
    donations, results = inside(DONATIONS, start, end, units), inside(RESULTS, start, end, units)
    by_category = {}
    for e in events:
        group = by_category.setdefault(e.category, {"count": 0, "participants": 0, "spending": Decimal(0)})
        group["count"] += 1
        group["participants"] += e.participants
        group["spending"] += e.spending
    by_reason = {}
    for v in visits:
        group = by_reason.setdefault(v.reason, {"records": 0, "people": 0, "amount": Decimal(0)})
        group["records"] += 1
        group["people"] += v.people
        group["amount"] += v.amount
    return {
        "events": {"count": len(events), "participants": sum(e.participants for e in events),
                   "spending": sum((e.spending for e in events), Decimal(0)), "by_category": by_category},
        "visits": {"count": sum(v.people for v in visits), "records": len(visits),
                   "amount": sum((v.amount for v in visits), Decimal(0)), "by_reason": by_reason},
        "donations": {"count": len(donations), "cash": sum((d.cash for d in donations), Decimal(0)),
                      "goods": sum(d.goods for d in donations)},
        "competitions": {"count": len(results), "awards": sum(r.won for r in results)},
    }


def fen(value) -> Decimal:
    """A JSON amount as exact yuan: 12300.81 stays 12300.81, 12300.809999 would not pass for it."""
    return Decimal(str(value))


def assert_json_figures(figures: dict, want: dict) -> None:
    events, visits = figures["events"], figures["visits"]
    donations, competitions = figures["donations"], figures["competitions"]
    assert (events["count"], events["participants"]) == (want["events"]["count"], want["events"]["participants"])
    assert fen(events["spending"]) == want["events"]["spending"]
    assert {k: {**g, "spending": fen(g["spending"])} for k, g in events["by_category"].items()} == \
        want["events"]["by_category"]
    assert (visits["count"], visits["records"]) == (want["visits"]["count"], want["visits"]["records"])
    assert fen(visits["amount"]) == want["visits"]["amount"]
    assert (donations["count"], donations["goods"]) == (want["donations"]["count"], want["donations"]["goods"])
    assert fen(donations["cash"]) == want["donations"]["cash"]
    assert (competitions["count"], competitions["awards"]) == (want["competitions"]["count"],
                                                              want["competitions"]["awards"])


def money_text(amount: Decimal) -> str:
    """The one money rule of the summary, cards and CLI: below 1万 in 元 to the fen, trailing zeros dropped
    (3000.3元, 7300.75元, 0元); from 1万 up in 万元 to two places (1.23万元); no thousands separators."""
    def places(number: Decimal) -> str:
        text = str(number.quantize(Decimal("0.01"), ROUND_HALF_UP))
        return text.rstrip("0").rstrip(".")

    return f"{places(amount / 10000)}万元" if amount >= 10000 else f"{places(amount)}元"


def plain_figures(label: str, want: dict) -> str:
    """What `stats` prints without --json."""
    events, visits, donations, results = (want[k] for k in ("events", "visits", "donations", "competitions"))
    return "\n".join([
        f"统计期：{label}",
        f"活动 {events['count']} 次，参与 {events['participants']} 人次，支出 {money_text(events['spending'])}",
        f"慰问 {visits['count']} 人次，金额 {money_text(visits['amount'])}",
        f"捐款 {donations['count']} 次，{money_text(donations['cash'])}，物资 {donations['goods']} 件",
        f"比赛成绩 {results['count']} 项，获奖 {results['awards']} 个",
    ]) + "\n"


def test_the_expected_figures_are_what_a_clerk_would_add_up():
    """The helper itself, against sums done by hand, so a slip in it cannot hide a slip in the CLI."""
    want = expected()
    assert want["events"]["participants"] == 120 + 40 + 85 + 60
    assert want["events"]["spending"] == Decimal("12300.81")
    assert want["visits"]["count"] == 4 and want["visits"]["amount"] == Decimal("3000.30")
    assert want["donations"] == {"count": 2, "cash": Decimal("3456.78"), "goods": 25}
    assert want["competitions"] == {"count": 3, "awards": 4}
    assert plain_figures("2024年", want).splitlines()[1:] == [
        "活动 4 次，参与 305 人次，支出 1.23万元", "慰问 4 人次，金额 3000.3元",
        "捐款 2 次，3456.78元，物资 25 件", "比赛成绩 3 项，获奖 4 个"]
    assert plain_figures("2024年第二季度", expected(D(2024, 4, 1), D(2024, 6, 30))).splitlines()[1] == \
        "活动 3 次，参与 245 人次，支出 7300.75元"
    assert [money_text(Decimal(t)) for t in ("0", "0.05", "9999.99", "10000", "10050", "123456.78")] == [
        "0元", "0.05元", "9999.99元", "1万元", "1.01万元", "12.35万元"]


# Running the command line in-process.

pytestmark = pytest.mark.usefixtures("trap_default_store")  # (conftest.py: the command line's fixtures)


# check

def test_check_passes_a_good_file_and_counts_its_rows(run, quarter):
    result = run("check", quarter)
    assert result.code == 0, result.out + result.err
    counts = "，".join(f"{sheet} {n} 行" for sheet, n in ROWS.items())
    assert result.out.splitlines()[0] == f"q2.xlsx：通过：{counts}"


def test_check_fails_with_the_place_of_each_error(run, tmp_path):
    path = write(tmp_path / "bad.xlsx", {"活动": [
        EVENT_HEAD,
        ["2024-04-03", "a", "文体活动", 1, 10],
        ["2024-04-04", "b", "文体活动", 2, 10],
        ["2024-04-05", "c", "文体活动", 3, 10],
        ["2024-13-45", "d", "文体活动", 4, 10],
        ["2024-04-06", "e", "文体活动", 5, "x元"],
    ], **NAMED})
    result = run("check", path)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "bad.xlsx：未通过：2 个错误、0 个警告；请改正错误后重新检查"
    assert lines[1].startswith("  [错误] 「活动」表第5行「日期」列（A5）：") and "2024-13-45" in lines[1]
    assert lines[2].startswith("  [错误] 「活动」表第6行「支出（元）」列（E6）：") and "x元" in lines[2]
    assert len(lines) == 3


def test_check_names_the_row_of_an_impossible_date(run, tmp_path):
    path = write(tmp_path / "bad.xlsx", {"活动": [EVENT_HEAD, ["2024-04-03", "x", "文体活动", 3, 0],
                                                 ["2024-13-01", "x", "文体活动", 3, 0]]})
    result = run("check", path)
    assert result.code == 1
    assert "「活动」表第3行「日期」列" in result.out


def test_check_passes_a_file_with_only_warnings(run, tmp_path):
    path = write(tmp_path / "warn.xlsx", {"活动": [EVENT_HEAD, ["2024-04-03", "团建日", "团建", 30, 100]], **NAMED})
    result = run("check", path)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "warn.xlsx：通过：活动 1 行，慰问 0 行，捐款 0 行，比赛 0 行；1 个警告"
    assert lines[1].startswith("  [警告] 「活动」表第2行「类别」列（C2）：") and "团建" in lines[1]


def test_check_of_several_files_fails_if_any_fails(run, tmp_path, quarter):
    bad = write(tmp_path / "bad.xlsx", {"活动": [EVENT_HEAD, ["2024-04-01", "x", "文体活动", -1, 0]]})
    result = run("check", quarter, bad)
    assert result.code == 1
    assert "q2.xlsx：通过" in result.out and "bad.xlsx：未通过：1 个错误" in result.out


def test_check_json_lists_every_issue_with_its_place(run, tmp_path):
    path = write(tmp_path / "bad.xlsx", {"活动": [EVENT_HEAD, ["2024-04-01", "x", "文体活动", -1, 0]]})
    result = run("check", path, "--json")
    assert result.code == 1
    [report] = json.loads(result.out)
    assert (report["file"], report["ok"]) == ("bad.xlsx", False)
    assert report["rows"] == {"events": 0, "visits": 0, "donations": 0, "competitions": 0}
    [issue] = report["issues"]
    assert (issue["level"], issue["sheet"], issue["row"], issue["column"], issue["value"], issue["cell"]) == (
        "error", "活动", 2, "参与人次", "-1", "D2")


def test_check_json_of_a_good_file(run, quarter):
    result = run("check", quarter, "--json")
    assert result.code == 0
    [report] = json.loads(result.out)
    assert report["ok"] is True and report["issues"] == []
    assert report["rows"] == {"events": len(EVENTS), "visits": len(VISITS), "donations": len(DONATIONS),
                              "competitions": len(RESULTS)}


def test_check_shows_200_issues_and_says_how_many_more(run, tmp_path):
    path = write(tmp_path / "many.xlsx", {"活动": [EVENT_HEAD, *[["2024-04-01", "x", "文体活动", -1, 0]] * 205]})
    result = run("check", path)
    assert result.code == 1
    lines = result.out.splitlines()
    issues = [line for line in lines if line.startswith("  [")]
    assert len(issues) == 200
    assert issues[-1].startswith("  [错误] 「活动」表第201行「参与人次」列（D201）：")
    assert lines[-1] == "  ……另有 5 条未列出（用 --json 查看全部）"
    [report] = json.loads(run("check", path, "--json").out)
    assert len(report["issues"]) == 205


BROKEN = [
    ("empty.xlsx", b""),
    ("text.xlsx", b"hello world"),
    ("half.xlsx", workbook_bytes({"活动": [EVENT_HEAD, ["2024-04-03", "x", "文体活动", 1, 1]] * 20})[:1500]),
    ("zip.xlsx", None),
    ("nothing.ods", b"PK\x03\x04"),
]


def broken_file(tmp_path, name, data):
    path = tmp_path / name
    if data is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("garbage.bin", b"\x00\x01" * 100)
    else:
        path.write_bytes(data)
    return path


@pytest.mark.parametrize("name, data", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_file_is_a_message_not_an_exception(run, tmp_path, name, data):
    path = broken_file(tmp_path, name, data)
    result = run("check", path)
    assert result.code == 1
    assert result.out.startswith(f"{name}：未通过：1 个错误")
    assert "另存为 .xlsx" in result.out or "空的" in result.out
    stats = run("stats", path)
    assert stats.code == 1 and stats.out == "" and name in stats.err


# stats from files

def test_stats_prints_the_sums_by_the_money_rule(run, quarter):
    result = run("stats", quarter)
    assert result.code == 0, result.err
    assert result.out == plain_figures("2024年", expected())


def test_stats_json_counts_what_the_rows_say(run, quarter):
    result = run("stats", quarter, "--json")
    assert result.code == 0
    figures = json.loads(result.out)
    assert figures["period"] == {"code": "2024", "label": "2024年", "start": "2024-01-01", "end": "2024-12-31"}
    assert_json_figures(figures, expected())
    assert sorted(figures["events"]["by_unit"]) == sorted({e.unit for e in EVENTS})
    for unit, group in figures["events"]["by_unit"].items():
        want = expected(units=[unit])["events"]
        assert (group["count"], group["participants"], fen(group["spending"])) == (
            want["count"], want["participants"], want["spending"])


def test_stats_json_counts_visits_by_reason_in_people(run, quarter):
    figures = json.loads(run("stats", quarter, "--json").out)
    by_reason = {reason: {**group, "amount": fen(group["amount"])}
                 for reason, group in figures["visits"]["by_reason"].items()}
    assert by_reason == expected()["visits"]["by_reason"]
    assert {reason: group["people"] for reason, group in by_reason.items()} == {"生病住院": 2, "结婚": 2}


PERIODS = [
    ("2024Q2", "2024年第二季度", D(2024, 4, 1), D(2024, 6, 30)),
    ("2024-05", "2024年5月", D(2024, 5, 1), D(2024, 5, 31)),
    ("2024H2", "2024年下半年", D(2024, 7, 1), D(2024, 12, 31)),
    ("2024-04-03..2024-05-01", "2024年4月3日至5月1日", D(2024, 4, 3), D(2024, 5, 1)),
    ("2024", "2024年", D(2024, 1, 1), D(2024, 12, 31)),
    ("2023", "2023年", D(2023, 1, 1), D(2023, 12, 31)),
]


@pytest.mark.parametrize("period, label, start, end", PERIODS, ids=[p[0] for p in PERIODS])
def test_stats_json_filters_by_period(run, quarter, period, label, start, end):
    result = run("stats", quarter, "--period", period, "--json")
    assert result.code == 0
    figures = json.loads(result.out)
    assert (figures["period"]["code"], figures["period"]["label"]) == (period, label)
    assert_json_figures(figures, expected(start, end))


@pytest.mark.parametrize("period, label, start, end", PERIODS, ids=[p[0] for p in PERIODS])
def test_stats_prints_the_figures_of_the_period(run, quarter, period, label, start, end):
    result = run("stats", quarter, "--period", period)
    assert result.code == 0 and result.out == plain_figures(label, expected(start, end))


def test_the_period_filters_give_the_numbers_they_should():
    """Spot checks of the expectations above, by hand."""
    assert expected(D(2024, 4, 1), D(2024, 6, 30))["events"]["participants"] == 245
    assert expected(D(2024, 5, 1), D(2024, 5, 31))["events"]["participants"] == 40
    assert expected(D(2024, 7, 1), D(2024, 12, 31))["events"]["participants"] == 60
    assert expected(D(2024, 4, 3), D(2024, 5, 1))["events"]["participants"] == 160
    assert expected(D(2023, 1, 1), D(2023, 12, 31))["events"]["participants"] == 0


def test_stats_gives_the_quarter_before_for_comparison(run, quarter):
    figures = json.loads(run("stats", quarter, "--period", "2024Q3", "--json").out)
    assert figures["previous"]["period"]["label"] == "2024年第二季度"
    q2, q3 = (D(2024, 4, 1), D(2024, 6, 30)), (D(2024, 7, 1), D(2024, 9, 30))
    reporting = [{r.unit for rows in (EVENTS, VISITS, DONATIONS, RESULTS) for r in inside(rows, *days, None)}
                 for days in (q2, q3)]
    common = sorted(reporting[0] & reporting[1])
    assert_json_figures(figures["previous"], expected(*q2, units=common))
    assert figures["previous"]["dropped"] == sorted(reporting[0] - reporting[1])
    assert figures["previous"]["added"] == sorted(reporting[1] - reporting[0])
    assert figures["year_ago"] is None


@pytest.mark.parametrize("units", [["一分会"], ["机关工会"], ["一分会", "机关工会"], ["没有这个单位"]])
def test_stats_json_filters_by_unit(run, quarter, units):
    figures = json.loads(run("stats", quarter, *unit_options(units), "--json").out)
    assert sorted(figures["units"]) == sorted(u for u in units if u in {e.unit for e in EVENTS})
    assert_json_figures(figures, expected(units=units))


@pytest.mark.parametrize("units", [["一分会"], ["机关工会"], ["一分会", "机关工会"]])
def test_stats_prints_the_figures_of_the_units_in_the_period(run, quarter, units):
    result = run("stats", quarter, *unit_options(units), "--period", "2024Q2")
    assert result.out == plain_figures("2024年第二季度", expected(D(2024, 4, 1), D(2024, 6, 30), units))


def unit_options(units: list[str]) -> list[str]:
    return [part for unit in units for part in ("--unit", unit)]


def test_stats_adds_up_several_files(run, tmp_path):
    first = write(tmp_path / "a.xlsx", quarter_sheets(EVENTS[:2], VISITS[:1], DONATIONS[:1], RESULTS[:1]))
    second = write(tmp_path / "b.xlsx", quarter_sheets(EVENTS[2:], VISITS[1:], DONATIONS[1:], RESULTS[1:]))
    result = run("stats", first, second, "--json")
    assert result.code == 0
    assert_json_figures(json.loads(result.out), expected())


def test_stats_refuses_a_file_with_errors_unless_asked_to_skip(run, tmp_path):
    good = EVENTS[0]
    path = write(tmp_path / "bad.xlsx", {"活动": [
        EVENT_HEAD, [good.written_day, good.name, good.category, good.participants, good.written_spending],
        ["坏日期", "x", "文体活动", 3, 0]]})
    refused = run("stats", path, "--json")
    assert refused.code == 1 and refused.out == ""
    assert "bad.xlsx：未通过：1 个错误" in refused.err and "「活动」表第3行「日期」列" in refused.err
    assert "--skip-bad-rows" in refused.err
    skipped = run("stats", path, "--json", "--skip-bad-rows")
    assert skipped.code == 0
    events = json.loads(skipped.out)["events"]
    assert (events["count"], events["participants"], fen(events["spending"])) == (1, good.participants,
                                                                                 good.spending)


def test_skipping_bad_rows_does_not_rescue_a_file_with_no_rows(run, tmp_path):
    path = broken_file(tmp_path, "text.xlsx", b"hello world")
    result = run("stats", path, "--skip-bad-rows")
    assert result.code == 1 and result.out == "" and "--skip-bad-rows" in result.err


def test_stats_stops_quietly_when_the_reader_goes_away(quarter, monkeypatch, capsys):
    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert cli.main(["stats", str(quarter)]) == 141  # 128 + SIGPIPE, as the shell reports a tool the pipe stopped
    assert capsys.readouterr().err == ""


NOTHING = expected(D(2000, 1, 1), D(2000, 1, 1))  # no row falls on that day
NO_DATA = "统计期：（无数据）\n活动 0 次，参与 0 人次，支出 0元\n慰问 0 人次，金额 0元\n" \
          "捐款 0 次，0元，物资 0 件\n比赛成绩 0 项，获奖 0 个\n"


def test_stats_of_an_empty_store(run, db):
    result = run("stats", *db)
    assert result.code == 0 and result.out == NO_DATA


# usage errors

@pytest.mark.parametrize("args, says", [
    ([], "用法错误"),
    (["frobnicate"], "用法错误"),
    (["check"], "用法错误"),
    (["delete", "one"], "用法错误"),
    (["stats", "x.xlsx", "--period", "2024Q5"], "用法错误：无法识别统计期“2024Q5”"),
    (["summary", "x.xlsx", "--period", "2024-13"], "用法错误"),
    (["template", "out.txt"], "用法错误：模板文件名应以 .xlsx 结尾"),
    (["export", "out.csv"], "用法错误：导出文件名应以 .xlsx 结尾"),
    (["summary", "x.xlsx", "--docx", "out.doc"], "用法错误：Word 文件名应以 .docx 结尾"),
])
def test_usage_errors_exit_2_in_chinese(run, tmp_path, monkeypatch, args, says):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.code == 2
    assert says in result.err and result.out == ""
    assert not any(tmp_path.iterdir())


# template

def test_template_writes_a_workbook_that_check_passes(run, tmp_path):
    out = tmp_path / "模板.xlsx"
    result = run("template", out)
    assert result.code == 0 and result.out == f"已生成空白模板：{out}\n"
    assert openpyxl.load_workbook(out).sheetnames[:1] == ["填写说明"]
    check = run("check", out)
    assert check.code == 0, check.out
    assert check.out.startswith("模板.xlsx：通过：活动 0 行，慰问 0 行，捐款 0 行，比赛 0 行")


def test_template_into_a_missing_folder_is_a_message(run, tmp_path):
    result = run("template", tmp_path / "no" / "such" / "t.xlsx")
    assert result.code == 1 and "无法写入" in result.err


# summary

def test_summary_prints_the_text_and_writes_a_word_file(run, tmp_path, quarter):
    out = tmp_path / "总结.docx"
    result = run("summary", quarter, "--period", "2024Q2", "--docx", out)
    assert result.code == 0, result.err
    want = expected(D(2024, 4, 1), D(2024, 6, 30))
    lines = result.out.splitlines()
    assert lines[0] == "工会2024年第二季度工作总结"
    assert f"共组织开展各类活动{want['events']['count']}次，参与职工{want['events']['participants']}人次" in result.out
    assert f"看望慰问职工{want['visits']['count']}人次" in result.out
    assert f"已保存 Word 文档：{out}" in result.err
    with zipfile.ZipFile(out) as word:
        document = word.read("word/document.xml").decode()
    assert "工会2024年第二季度工作总结" in document
    assert not any(name in result.out or name in document for name in NAMES)


def test_summary_in_markdown(run, quarter):
    result = run("summary", quarter, "--period", "2024Q2", "--markdown")
    assert result.code == 0 and result.out.startswith("# 工会2024年第二季度工作总结\n")


def test_summary_of_one_unit(run, quarter):
    result = run("summary", quarter, "--period", "2024Q2", "--unit", "一分会")
    assert result.code == 0
    want = expected(D(2024, 4, 1), D(2024, 6, 30), ["一分会"])["events"]
    assert result.out.splitlines()[0] == "一分会2024年第二季度工作总结"
    assert f"共组织开展各类活动{want['count']}次，参与职工{want['participants']}人次" in result.out


def test_summary_refuses_a_file_with_errors(run, tmp_path):
    path = write(tmp_path / "bad.xlsx", {"活动": [EVENT_HEAD, ["坏日期", "x", "文体活动", 3, 0]]})
    result = run("summary", path)
    assert result.code == 1 and result.out == "" and "--skip-bad-rows" in result.err


def test_summary_word_file_into_a_missing_folder_is_a_message(run, tmp_path, quarter):
    result = run("summary", quarter, "--docx", tmp_path / "no" / "such" / "s.docx")
    assert result.code == 1 and "无法写入" in result.err


# the store

def batch_lines(run, db) -> list[str]:
    result = run("batches", *db)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "批次  文件  单位  日期范围  行数  跳过  导入时间  导入人  状态"
    return lines[1:]


def test_the_store_commands_from_import_to_export(run, tmp_path, quarter, db, monkeypatch):
    monkeypatch.setenv("LOGNAME", "统计员")
    assert run("batches", *db).out == "数据库中还没有导入任何批次\n"
    empty = json.loads(run("stats", "--json", *db).out)
    assert empty["period"] is None
    assert_json_figures(empty, NOTHING)

    before = dt.datetime.now().replace(second=0, microsecond=0)
    first = run("import", quarter, *db)
    counts = "，".join(f"{sheet} {n} 行" for sheet, n in ROWS.items())
    assert first.code == 0 and first.out == f"q2.xlsx：已导入为第1批，{counts}\n"
    again = run("import", quarter, *db)
    assert again.code == 0 and again.out.startswith("q2.xlsx：内容与已导入的第1批") and "未重复导入" in again.out

    [line] = batch_lines(run, db)
    units = "、".join(sorted({e.unit for e in EVENTS}))
    match = re.fullmatch(rf"1  q2\.xlsx  {units}  2024-04-03至2024-07-02  {sum(ROWS.values())}  0  "
                         r"(\d{4}-\d\d-\d\d \d\d:\d\d)  统计员  有效", line)
    assert match, line
    when = dt.datetime.strptime(match.group(1), "%Y-%m-%d %H:%M")
    assert before <= when <= dt.datetime.now(), "local time, as the office reads it"

    stored = run("stats", "--json", *db)
    assert stored.code == 0
    assert_json_figures(json.loads(stored.out), expected())
    assert_json_figures(json.loads(run("stats", "--period", "2024Q2", "--unit", "一分会", "--json", *db).out),
                        expected(D(2024, 4, 1), D(2024, 6, 30), ["一分会"]))

    out = tmp_path / "导出.xlsx"
    exported = run("export", out, *db)
    assert exported.code == 0 and exported.out == f"已导出 {sum(ROWS.values())} 行到 {out}\n"
    book = openpyxl.load_workbook(out)
    cells = [str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert not [c for c in cells if any(name in c for name in NAMES)]
    assert "对象" not in next(book["慰问"].iter_rows(values_only=True))
    assert_json_figures(json.loads(run("stats", out, "--json").out), expected())

    named = tmp_path / "含姓名.xlsx"
    with_names = run("export", named, "--with-names", *db)
    assert with_names.code == 0 and with_names.out == f"已导出 {sum(ROWS.values())} 行到 {named}（含慰问对象姓名）\n"
    [head, *rows] = openpyxl.load_workbook(named)["慰问"].iter_rows(values_only=True)
    assert [row[head.index("对象")] for row in rows] == NAMES

    deleted = run("delete", 1, *db)
    assert deleted.code == 0 and deleted.out == "已删除第1批（q2.xlsx）；它保留在历史中，可用 restore 1 恢复\n"
    assert batch_lines(run, db)[0].endswith("  已删除")
    assert_json_figures(json.loads(run("stats", "--json", *db).out), NOTHING)
    twice = run("delete", 1, *db)
    assert twice.code == 0 and "已经删除，无需再删" in twice.out

    restored = run("restore", 1, *db)
    assert restored.code == 0 and restored.out == "已恢复第1批（q2.xlsx）\n"
    assert batch_lines(run, db)[0].endswith("  有效")
    assert_json_figures(json.loads(run("stats", "--json", *db).out), expected())
    already = run("restore", 1, *db)
    assert already.code == 0 and "本来就有效，无需恢复" in already.out

    for command in ("delete", "restore"):
        missing = run(command, 7, *db)
        assert missing.code == 1 and missing.out == ""
        assert missing.err == "没有第7批，请用 batches 命令查看现有批次\n"


def test_an_import_that_overlaps_is_refused_then_replaces_when_asked(run, tmp_path, quarter, db):
    assert run("import", quarter, *db).code == 0
    corrected = write(tmp_path / "q2-corrected.xlsx", {"活动": quarter_sheets(EVENTS[:3])["2024年二季度活动"]})
    refused = run("import", corrected, *db)
    assert refused.code == 1 and refused.out == ""
    # The corrected file covers the second quarter of both units: what it would replace is every row of theirs
    # in batch 1 inside the quarter, counted here from the rows (the July event stays).
    q2 = (dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    in_q2 = sum(len(inside(rows, *q2)) for rows in (EVENTS, VISITS, DONATIONS, RESULTS))
    assert refused.err.startswith(f"q2-corrected.xlsx：一分会、机关工会2024年第二季度的数据已在第1批（q2.xlsx，"
                                  f"2024-04-03至2024-07-02，有效）中（{in_q2}行），未导入")
    assert "--replace" in refused.err
    assert len(batch_lines(run, db)) == 1

    replaced = run("import", corrected, "--replace", *db)
    assert replaced.code == 0
    assert replaced.out.endswith(f"；替换了第1批中一分会、机关工会2024年第二季度的{in_q2}行，其余照常计入\n")
    first, second = batch_lines(run, db)
    assert first.startswith("1  q2.xlsx  ") and first.endswith("  部分替换：一分会、机关工会2024年第二季度已被第2批替换")
    assert second.startswith("2  q2-corrected.xlsx  ") and second.endswith("  有效")
    figures = json.loads(run("stats", "--json", *db).out)
    july = inside(EVENTS, dt.date(2024, 7, 1), dt.date(2024, 7, 31))
    assert (figures["events"]["count"], figures["visits"]["count"]) == (3 + len(july), 0)
    assert figures["events"]["participants"] == sum(e.participants for e in EVENTS[:3] + july)

    undone = run("restore", 1, *db)
    assert undone.code == 0 and undone.out == "已恢复第1批（q2.xlsx）；第2批改为“已被替换”\n"
    assert_json_figures(json.loads(run("stats", "--json", *db).out), expected())


def test_restoring_over_a_newer_batch_needs_replace(run, tmp_path, quarter, db):
    run("import", quarter, *db)
    run("delete", 1, *db)
    corrected = write(tmp_path / "q2-corrected.xlsx", {"活动": quarter_sheets(EVENTS[:3])["2024年二季度活动"]})
    assert run("import", corrected, *db).out.startswith("q2-corrected.xlsx：已导入为第2批")
    refused = run("restore", 1, *db)
    assert refused.code == 1 and refused.out == ""
    assert "第1批与第2批" in refused.err and "--replace" in refused.err
    forced = run("restore", 1, "--replace", *db)
    assert forced.code == 0 and forced.out == "已恢复第1批（q2.xlsx）；第2批改为“已被替换”\n"
    assert [line.rsplit("  ", 1)[1] for line in batch_lines(run, db)] == ["有效", "已被替换（被第1批替换）"]


def test_import_refuses_a_file_with_errors_unless_asked_to_skip(run, tmp_path, db):
    path = write(tmp_path / "bad.xlsx", {"活动": [EVENT_HEAD, ["2024-04-03", "x", "文体活动", 30, 10],
                                                 ["坏日期", "y", "文体活动", 3, 0]], **NAMED})
    refused = run("import", path, *db)
    assert refused.code == 1 and refused.out == ""
    assert refused.err.startswith("bad.xlsx：「活动」表第3行「日期」列（A3）：") and "--skip-bad-rows" in refused.err
    assert run("batches", *db).out == "数据库中还没有导入任何批次\n"
    skipped = run("import", path, "--skip-bad-rows", *db)
    assert skipped.code == 0
    assert skipped.out == ("bad.xlsx：已导入为第1批，活动 1 行，慰问 0 行，捐款 0 行，比赛 0 行；"
                           "跳过有错误的 1 行（已记录）\n")
    events = json.loads(run("stats", "--json", *db).out)["events"]
    assert (events["count"], events["participants"], fen(events["spending"])) == (1, 30, 10)
    [batch, skipped_row] = batch_lines(run, db)
    assert batch.split("  ")[:6] == ["1", "bad.xlsx", NAMED["单位信息"][0][1], "2024-04-03至2024-04-03", "1", "1"]
    assert skipped_row.startswith("    跳过：「活动」表第3行「日期」列（A3）：“坏日期”不是日期")


def test_import_of_several_files_reports_each_and_fails_if_one_fails(run, tmp_path, quarter, db):
    broken = broken_file(tmp_path, "text.xlsx", b"hello world")
    result = run("import", quarter, broken, *db)
    assert result.code == 1
    assert result.out.startswith("q2.xlsx：已导入为第1批") and len(result.out.splitlines()) == 1
    assert result.err.startswith("text.xlsx：") and len(result.err.splitlines()) == 1
    assert len(batch_lines(run, db)) == 1


def test_a_blank_award_count_survives_import_and_export(run, tmp_path, db):
    path = write(tmp_path / "blank.xlsx", {"比赛": [RESULT_HEAD, ["2024-05-18", "运动会", "市级", "拔河", "团体",
                                                                "参与", None, "机关工会"]]})
    assert run("check", path).code == 0
    assert run("import", path, *db).code == 0
    out = tmp_path / "导出.xlsx"
    assert run("export", out, *db).code == 0
    check = run("check", out)
    assert check.code == 0, check.out


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_export_into_a_missing_folder_is_a_message(run, tmp_path, db):
    result = run("export", tmp_path / "no" / "such" / "e.xlsx", *db)
    assert result.code == 1 and "无法写入" in result.err
    gc.collect()  # openpyxl's half-written sheets complain when collected; let them do it here


def test_the_store_comes_from_unionstats_db_when_no_db_is_given(run, tmp_path, quarter, monkeypatch):
    path = tmp_path / "env" / "s.db"
    path.parent.mkdir()
    monkeypatch.setenv("UNIONSTATS_DB", f"sqlite:///{path}")
    assert run("import", quarter).code == 0
    assert path.exists()
    assert batch_lines(run, ["--db", f"sqlite:///{path}"])[0].startswith("1  q2.xlsx  ")
    assert_json_figures(json.loads(run("stats", "--json").out), expected())


# A fresh process: the entry point, its exit codes, and no traceback.

def python_m(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "UNIONSTATS_DB": "sqlite:///:memory:"}
    return subprocess.run([sys.executable, "-m", "unionstats", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


def test_python_m_unionstats_exits_0_1_and_2(tmp_path, quarter):
    good = python_m("stats", quarter, "--period", "2024Q2", "--json", cwd=tmp_path)
    assert good.returncode == 0, good.stderr
    assert_json_figures(json.loads(good.stdout), expected(D(2024, 4, 1), D(2024, 6, 30)))
    usage = python_m("stats", quarter, "--period", "2024Q5", cwd=tmp_path)
    assert usage.returncode == 2 and "用法错误" in usage.stderr and "Traceback" not in usage.stderr
    missing = python_m("delete", "3", "--db", f"sqlite:///{tmp_path}/s.db", cwd=tmp_path)
    assert missing.returncode == 1 and "没有第3批" in missing.stderr and "Traceback" not in missing.stderr


def test_python_m_leaves_its_objects_to_the_exit_not_to_the_collector(tmp_path, quarter):
    """The collector's last pass at shutdown walks all of pandas' objects; the command's frozen objects skip it.
    The exit code and what the command printed are still those of the command."""
    watch = ("import atexit, gc, runpy, sys\n"
             "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 1000, file=sys.stderr))\n"
             "runpy.run_module('unionstats', run_name='__main__')\n")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "UNIONSTATS_DB": "sqlite:///:memory:"}
    done = subprocess.run([sys.executable, "-c", watch, "stats", str(quarter), "--period", "2024Q2", "--json"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0 and done.stderr == "frozen True\n"
    assert_json_figures(json.loads(done.stdout), expected(D(2024, 4, 1), D(2024, 6, 30)))
    usage = subprocess.run([sys.executable, "-c", watch, "stats", "--period", "2024Q5"], capture_output=True, text=True,
                           cwd=tmp_path, env=env, timeout=120)
    assert usage.returncode == 2 and usage.stderr.endswith("frozen True\n")


@pytest.mark.parametrize("args", [["stats", "--json"], ["summary"], ["check", "--json"]])
def test_python_m_into_a_closed_pipe_fails_without_a_traceback(tmp_path, quarter, args):
    """`... | head -1` once head has gone: the reader's end of the pipe is closed before the command writes."""
    reader, writer = os.pipe()
    os.close(reader)
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "UNIONSTATS_DB": "sqlite:///:memory:"}
    try:
        done = subprocess.run([sys.executable, "-m", "unionstats", args[0], str(quarter), *args[1:]], stdout=writer,
                              stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env, timeout=120)
    finally:
        os.close(writer)
    assert done.returncode == 141  # 128 + SIGPIPE
    assert done.stderr == ""


def test_python_m_never_shows_a_traceback_for_a_broken_file(tmp_path):
    paths = [broken_file(tmp_path, name, data) for name, data in BROKEN]
    result = python_m("check", *paths, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr and result.stderr == ""
    verdicts = [line for line in result.stdout.splitlines() if not line.startswith("  ")]
    assert verdicts == [f"{name}：未通过：1 个错误、0 个警告；请改正错误后重新检查" for name, _ in BROKEN]
    assert all("另存为 .xlsx" in line or "空的" in line for line in result.stdout.splitlines() if line.startswith("  "))


# Hostile uploads: control characters, absurd numbers and batch numbers no database holds.

INVISIBLE = "单元格含有不可见的控制字符，已删除，请核对内容"


def control_sheets(escape) -> dict[str, list[list]]:
    """The quarter with control characters in text, category, result, unit, header and 单位信息 cells."""
    sheets = quarter_sheets()
    events = sheets["2024年二季度活动"]
    events[1] = [*EVENT_HEAD[:4], f"支出{escape(7)}（元）", EVENT_HEAD[5]]
    events[2] = [events[2][0], f"春季{escape(1)}健步走", f"文体{escape(2)}活动", *events[2][3:5],
                 f"机关{escape(31)}工会"]
    results = sheets["比赛"]
    results[1] = [*results[1][:5], f"第二{escape(127)}名", *results[1][6:]]
    visits = sheets["慰问"]
    visits[1] = [*visits[1][:2], f"张{escape(133)}晓燕", *visits[1][3:]]
    sheets["单位信息"] = [["单位名称", f"机关{escape(31)}工会"], ["报告期", f"二季度{escape(3)}"]]
    return sheets


CONTROL_WARNINGS = [("2024年二季度活动", 2, "E2"), ("2024年二季度活动", 3, "B3"), ("2024年二季度活动", 3, "C3"),
                    ("2024年二季度活动", 3, "F3"), ("慰问", 2, "C2"), ("比赛", 2, "F2"), ("单位信息", 1, "B1"),
                    ("单位信息", 2, "B2")]


@pytest.mark.parametrize("fmt, escape", [(".xlsx", lambda n: f"_x{n:04X}_"), (".xls", chr)], ids=["xlsx", "xls"])
def test_control_characters_pass_check_import_export_and_summary_with_a_warning_at_each_cell(
        run, tmp_path, db, fmt, escape):
    path = tmp_path / f"q2{fmt}"
    path.write_bytes(workbook_bytes(control_sheets(escape), fmt))
    check = run("check", path, "--json")
    assert check.code == 0, check.out
    [report] = json.loads(check.out)
    warned = [(i["sheet"], i["row"], i["cell"]) for i in report["issues"] if i["message"] == INVISIBLE]
    assert warned == CONTROL_WARNINGS and len(report["issues"]) == len(CONTROL_WARNINGS)
    lines = run("check", path).out.splitlines()
    assert f"  [警告] 「2024年二季度活动」表第3行「活动名称」列（B3）：{INVISIBLE}（原值：春季健步走）" in lines

    assert run("import", path, *db).code == 0
    stats = run("stats", "--json", *db)
    assert stats.code == 0
    assert_json_figures(json.loads(stats.out), expected())
    out = tmp_path / "导出.xlsx"
    exported = run("export", out, "--with-names", *db)
    assert exported.code == 0, exported.err
    book = openpyxl.load_workbook(out)
    cells = [c for ws in book for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert {"春季健步走", "机关工会", "张晓燕", "二季度"} <= set(cells)
    assert not [c for c in cells if re.search("[\x00-\x1f\x7f-\x9f]", c)]
    again = run("check", out)
    assert again.code == 0 and "[警告]" not in again.out
    summary = run("summary", "--period", "2024Q2", "--docx", tmp_path / "总结.docx", *db)
    assert summary.code == 0, summary.err
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", summary.out)


@pytest.mark.parametrize("column, raw, says", [
    (3, 1e19, "D3）：“1E+19”超出合理范围（不超过 10,000,000），请核对"),
    (3, "99999999999999999999", "D3）：“99999999999999999999”超出合理范围（不超过 10,000,000），请核对"),
    (4, 1e17, "E3）：金额“1E+17”超出合理范围（不超过 1,000,000,000 元），请核对"),
])
def test_absurd_numbers_are_errors_at_their_cells_and_never_a_negative_total(run, tmp_path, db, column, raw, says):
    rows = [EVENT_HEAD[:5], ["2024-04-03", "春游", "文体活动", 10, 100], ["2024-04-04", "读书", "学习培训", 3, 0]]
    rows[2][column] = raw
    path = write(tmp_path / "big.xlsx", {"活动": rows, **NAMED})
    check = run("check", path)
    assert check.code == 1 and f"「活动」表第3行「{EVENT_HEAD[column]}」列（{says}" in check.out
    assert "意外错误" not in check.out
    refused = run("import", path, *db)
    assert refused.code == 1 and "未导入" in refused.err
    assert run("import", path, "--skip-bad-rows", *db).code == 0
    events = json.loads(run("stats", "--json", *db).out)["events"]
    assert (events["participants"], fen(events["spending"])) == (10, 100)


@pytest.mark.parametrize("command", ["delete", "restore"])
@pytest.mark.parametrize("batch", ["99999999999999999999", "2147483648", "0", "-1", "1.5", "一"])
def test_a_batch_number_no_database_holds_is_a_usage_error_in_chinese(run, db, command, batch):
    result = run(command, *db, "--", batch)
    assert result.code == 2 and result.out == ""
    assert result.err == (f"用法错误：批次号应为 1 至 2147483647 之间的整数，而不是“{batch}”；"
                          "现有批次可用 batches 命令查看\n")


def test_the_largest_batch_number_is_looked_up(run, db):
    result = run("delete", "2147483647", *db)
    assert result.code == 1 and result.err == "没有第2147483647批，请用 batches 命令查看现有批次\n"


def test_python_m_delete_of_a_huge_batch_number_is_a_message_not_a_traceback(tmp_path):
    result = python_m("delete", "99999999999999999999", "--db", f"sqlite:///{tmp_path}/s.db", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("用法错误：批次号应为 1 至 2147483647 之间的整数")


# accounts and the audit trail

def test_user_commands_manage_accounts_and_the_audit_command_shows_them(run, db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-good-password\n"))
    added = run("user", "add", "张科长", "--role", "管理", "--password-stdin", *db)
    assert (added.code, added.out.strip()) == (0, "已新建账号“张科长”（管理）；网页现在需要登录")
    assert run("user", "add", "李主席", "--role", "查看", "--email", "li@example.org", *db).code == 0
    assert run("user", "role", "李主席", "填报", "--unit", "第一中学", *db).code == 0
    listed = run("user", "list", *db).out.splitlines()
    assert listed[1:] == ["张科长  管理  —  密码  可用", "李主席  填报  第一中学  统一身份认证（li@example.org）  可用"]
    refused = run("user", "disable", "张科长", *db)
    assert refused.code == 1
    assert refused.err.strip() == "这是最后一个可用的管理账号，不能停用或降级，否则没有人能再管理账号"
    trail = run("audit", *db).out.splitlines()
    assert [line.split("  ")[3] for line in trail[1:]] == ["修改账号", "新建账号", "新建账号"]
    assert "a-good-password" not in "".join(trail) and "argon2" not in "".join(trail)
    assert run("audit", "--user", "无此人", *db).out.strip() == "没有符合条件的操作记录"


def test_a_short_password_from_stdin_is_refused(run, db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    result = run("user", "add", "x", "--role", "查看", "--password-stdin", *db)
    assert (result.code, result.err.strip()) == (1, "密码至少 8 位")
    assert run("user", "list", *db).out.startswith("还没有任何账号")


def test_imports_deletes_and_exports_from_the_command_line_are_in_the_trail(run, db, quarter, tmp_path):
    run("import", quarter, *db)
    run("delete", "1", *db)
    run("export", tmp_path / "out.xlsx", *db)
    lines = run("audit", "--since", "2000-01-01", *db).out.splitlines()[1:]
    assert [line.split("  ")[3] for line in lines] == ["导出（不含姓名）", "删除批次", "导入"]
    assert "第1批" in lines[1] and "out.xlsx" in lines[0]
    bad = run("audit", "--since", "2026-13-01", *db)
    assert bad.code == 2 and "2026-13-01" in bad.err


# the organisation and the natural period of a summary

def one_sheet(tmp_path, name: str, days: list[str], info: str | None = None, unit: str | None = None) -> str:
    head = EVENT_HEAD[:4] + (["单位"] if unit else [])
    rows = [[day, f"活动{i}", "文体活动", 10 + i] + ([unit] if unit else []) for i, day in enumerate(days)]
    sheets = {"活动": [head, *rows]}
    if info:
        sheets["单位信息"] = [["单位名称", info], ["会员人数", 50]]
    return write(tmp_path / name, sheets)


@pytest.mark.parametrize("days, title", [
    (["2008-01-15", "2008-12-10"], "某研究所工会2008年工作总结"),
    (["2013-04-11", "2013-06-28"], "某研究所工会2013年第二季度工作总结"),
    (["2024-02-03", "2024-05-30"], "某研究所工会2024年上半年工作总结"),
    (["2024-09-03", "2024-09-30"], "某研究所工会2024年9月工作总结"),
    (["2024-11-15", "2025-02-10"], "某研究所工会2024年11月15日至2025年2月10日工作总结"),
], ids=["year", "quarter", "half", "month", "odd-range"])
def test_a_summary_without_a_period_covers_the_natural_period_of_its_data(run, tmp_path, days, title):
    before = dt.date.today()
    result = run("summary", one_sheet(tmp_path, "school_2004.xlsx", days, info="某研究所"))
    after = dt.date.today()  # the summary is dated the day it is written, which may end while it is
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == title
    when = {"year": "全年", "quarter": "本季度", "half": "上半年", "month": "本月"}
    period = title.removeprefix("某研究所工会").removesuffix("工作总结")
    assert lines[2].startswith(f"{period}，某研究所工会在上级工会")
    assert "这一时期" not in result.out or "至" in title
    assert any(w in result.out for w in when.values()) or "至" in title
    assert lines[-2] == "某研究所工会" and lines[-1] in {f"{d.year}年{d.month}月{d.day}日" for d in (before, after)}


def test_a_workbook_without_unit_information_is_not_named_after_its_file(run, tmp_path):
    path = one_sheet(tmp_path, "school_2004.xlsx", ["2004-03-08", "2004-11-20"])
    assert run("summary", path).out.splitlines()[0] == "工会2004年工作总结"
    named = run("summary", path, "--unit-name", "三山学校")
    assert named.out.splitlines()[0] == "三山学校工会2004年工作总结" and "school_2004" not in named.out
    column = one_sheet(tmp_path, "q.xlsx", ["2013-04-11", "2013-06-28"], unit="某县水利局")
    assert run("summary", column).out.splitlines()[0] == "某县水利局工会2013年第二季度工作总结"


def test_the_stored_organisation_names_summaries_of_the_store(run, tmp_path, db):
    first = one_sheet(tmp_path, "a.xlsx", ["2024-04-01"], unit="一中")
    second = one_sheet(tmp_path, "b.xlsx", ["2024-05-01", "2024-05-02"], unit="二中")
    assert run("import", first, second, *db).code == 0
    assert run("summary", *db).out.splitlines()[0] == "工会2024年第二季度工作总结"
    assert run("settings", *db).out == "本单位名称：（未设置）\n"
    assert run("settings", "--unit-name", "某区教育工会", *db).out == "已设置本单位名称：某区教育工会\n"
    assert run("settings", *db).out == "本单位名称：某区教育工会\n"
    summary = run("summary", *db).out
    assert summary.splitlines()[0] == "某区教育工会2024年第二季度工作总结"
    assert "各单位工作情况" in summary and "按参与人次计，2个单位中二中最多，为21人次；一中最少，为10人次。" in summary
    assert run("summary", "--unit", "一中", *db).out.splitlines()[0] == "一中工会2024年第二季度工作总结"
    too_long = run("settings", "--unit-name", "工" * 201, *db)
    assert too_long.code == 2 and "最多 200 个字" in too_long.err
    assert run("settings", "--unit-name", "", *db).out == "已清除本单位名称\n"
    assert "修改设置" in run("audit", *db).out


# the 单位名录

def test_the_units_command_lists_fills_sets_loads_and_records_the_directory(run, tmp_path, db):
    written = {"第一中学": [("2024-04-03", 30), ("2024-05-03", 40)], "第二中学": [("2024-04-10", 12)]}
    for unit, rows in written.items():
        sheets = {"活动": [EVENT_HEAD[:4], *[[day, "活动", "文体活动", people] for day, people in rows]],
                  "单位信息": [["单位名称", unit], ["会员人数", 50]]}
        assert run("import", write(tmp_path / f"{unit}.xlsx", sheets), *db).code == 0
    assert run("units", *db).out.startswith("还没有单位名录：")
    assert run("units", "import-info", *db).out == "单位名录已保存：新增2个单位（第一中学、第二中学）；现共2个单位\n"
    assert run("units", "set", "第二中学", "--members", "80", "--not-due", *db).code == 0
    assert run("units", *db, "set", "教育局机关", "--members", "9").code == 0
    assert run("units", "list", *db).out.splitlines() == [
        "单位  会员人数  应报送", "第一中学  50  是", "第二中学  80  否", "教育局机关  9  是"]
    counts = {"第一中学": 50, "第二中学": 80}
    people = sum(p for rows in written.values() for _, p in rows)
    places = sum(len(rows) * counts[u] for u, rows in written.items())
    events = json.loads(run("stats", "--period", "2024Q2", "--unit", "第一中学", "--unit", "第二中学", "--json",
                            *db).out)["events"]
    assert (events["members"], Fraction(events["participation_rate"]).limit_denominator(10**6)) == (
        sum(counts.values()), Fraction(people, places))
    bad = run("units", "set", "第二中学", "--members", "0", *db)
    assert (bad.code, bad.err.splitlines()) == (
        1, ["单位名录未保存：", "  「会员人数」：会员人数“0”小于 1，请填写不小于 1 的整数，或留空"])
    assert run("units", "set", "第二中学", "--members", "", *db).code == 0
    assert run("units", "remove", "教育局机关", *db).out == "单位名录已保存：删除1个单位（教育局机关）；现共2个单位\n"
    assert run("units", "remove", "教育局机关", *db).err == "单位名录未保存：\n  单位名录中没有“教育局机关”\n"
    assert run("units", *db).out.splitlines()[1:] == ["第一中学  50  是", "第二中学  —  否"]
    csv = tmp_path / "名录.csv"
    csv.write_bytes("单位,会员人数,应报送\n第一中学,60,是\n第三中学,多,否\n第三中学,,否\n".encode("gb18030"))
    loaded = run("units", "load", csv, *db)
    assert (loaded.code, loaded.err.splitlines()[1:]) == (1, [
        "  第3行「会员人数」：会员人数“多”不是数字，请填写整数，或留空",
        "  第4行「单位」：“第三中学”与第3行重复，每个单位只填一行"])
    csv.write_text("单位,会员人数,应报送\n第一中学,60,是\n第三中学,,否\n", encoding="utf-8")
    assert run("units", "load", csv, *db).out == (
        "单位名录已保存：新增1个单位（第三中学），修改1个单位（第一中学），删除1个单位（第二中学）；现共2个单位\n")
    assert run("units", "load", tmp_path / "无此.csv", *db).code == 1
    trail = [line.split("  ") for line in run("audit", *db).out.splitlines()[1:]]
    assert [t[-1] for t in trail if t[3] == "修改设置"][-1] == (
        "从单位信息导入单位名录：新增2个单位（第一中学、第二中学）；现共2个单位")
    assert len([t for t in trail if t[3] == "修改设置"]) == 6


# The sample in the app's store, and periods without data

def test_import_into_the_apps_store_sets_the_sample_aside_as_the_web_page_does(run, quarter, db):
    from unionstats.store.batches import Store

    Store(db[1]).ensure_sample()  # what the web page does for a new store
    assert batch_lines(run, db)[0].endswith("示例数据  有效")
    imported = run("import", quarter, *db)
    counts = "，".join(f"{sheet} {n} 行" for sheet, n in ROWS.items())
    assert imported.code == 0 and imported.out == (
        f"q2.xlsx：已导入为第2批，{counts}；示例数据（第1批）已移出统计，以免与导入的数据混在一起；它保留在历史中，"
        f"删除导入的全部批次后，可用 restore 1 恢复\n")
    assert batch_lines(run, db)[0].endswith("示例数据  已删除")
    assert_json_figures(json.loads(run("stats", "--json", *db).out), expected())
    refused = run("restore", 1, *db)
    assert refused.code == 1 and refused.out == ""
    assert refused.err == ("第1批是示例数据，不能与导入的数据（第2批，有效）同时计入统计，否则数字会混在一起，未恢复。"
                           "如要重新查看示例数据，请先删除这些批次，再恢复第1批\n")
    assert run("delete", 2, *db).code == 0 and run("restore", 1, *db).out == "已恢复第1批（sample.xlsx）\n"
    back = run("restore", 2, *db)
    assert back.code == 0 and back.out.startswith("已恢复第2批（q2.xlsx）；示例数据（第1批）已移出统计")
    assert_json_figures(json.loads(run("stats", "--json", *db).out), expected())


def row_days(units=None) -> list[dt.date]:
    return [r.day for rows in (EVENTS, VISITS, DONATIONS, RESULTS) for r in rows if not units or r.unit in units]


def nearest_quarter(year: int, number: int, units=None) -> tuple[int, int]:
    """The quarter with rows of the units nearest to the given one, the later of two as near: from the rows."""
    target = year * 4 + number - 1
    held = {d.year * 4 + (d.month - 1) // 3 for d in row_days(units)}
    best = min(held, key=lambda q: (abs(q - target), -q))
    return best // 4, best % 4 + 1


QUARTER_NAMES = "一二三四"


@pytest.mark.parametrize("command", ["summary", "deck", "charts"])
@pytest.mark.parametrize("source", ["file", "store"])
@pytest.mark.parametrize("period, units, said", [
    ("2024Q1", [], "2024年第一季度，所有单位都"),
    ("2024Q3", ["一分会"], "2024年第三季度，一分会"),
], ids=["all-units", "one-unit"])
def test_an_empty_period_names_the_nearest_one_and_writes_nothing(run, tmp_path, quarter, db, command, source,
                                                                  period, units, said):
    assert not [d for d in row_days(units) if parse_quarter(period) == (d.year, (d.month - 1) // 3 + 1)]
    year, number = nearest_quarter(*parse_quarter(period), units)
    if source == "store":
        assert run("import", quarter, *db).code == 0
    where = [quarter] if source == "file" else db
    out = {"summary": ["--docx", tmp_path / "总结.docx"], "deck": [tmp_path / "汇报.pptx"],
           "charts": ["--png", tmp_path / "图表"]}[command]
    result = run(command, *where, "--period", period, *unit_options(units), *out)
    assert result.code == 1 and result.out == ""
    assert result.err == (f"{said}没有数据；最近有数据的季度是{year}年第{QUARTER_NAMES[number - 1]}季度，"
                          f"可用 --period {year}Q{number} 查看；未生成任何内容\n")
    assert not (tmp_path / "总结.docx").exists() and not (tmp_path / "汇报.pptx").exists()
    assert not (tmp_path / "图表").exists()


def parse_quarter(code: str) -> tuple[int, int]:
    return int(code[:4]), int(code[-1])


def test_a_summary_of_an_empty_store_says_there_is_nothing_yet(run, db):
    result = run("summary", *db)
    assert (result.code, result.out, result.err) == (1, "", "还没有任何数据，请先用 import 命令导入工作簿\n")


@pytest.mark.parametrize("url, says", [
    ("not a url", "“not a url”不是数据库地址，应写成 sqlite:///"),
    ("nonsense://nowhere", "不支持“nonsense”数据库"),
    ("sqlite:///{tmp}/typo/s.db", "SQLite 数据库文件所在的文件夹 {tmp}/typo 不存在"),
    ("sqlite:///{tmp}/a-file/s.db", "SQLite 数据库文件所在的文件夹 {tmp}/a-file 不存在"),
], ids=["not-a-url", "unknown-dialect", "missing-folder", "a-file-in-the-way"])
def test_a_store_address_that_cannot_be_used_names_the_setting(run, tmp_path, url, says):
    (tmp_path / "a-file").write_text("")
    result = run("batches", "--db", url.format(tmp=tmp_path))
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("数据库设置有误（--db）：") and says.format(tmp=tmp_path) in result.err
    assert not (tmp_path / "typo").exists()


def test_a_command_on_files_loads_no_database_driver_nor_document_writer(quarter):
    """Each command's code is imported when it runs: `stats FILE` pays for neither SQLAlchemy nor python-docx,
    python-pptx or argon2 (a federation's office runs it on many files)."""
    script = ("import sys; from unionstats.cli.main import main; code = main(['stats', sys.argv[1]]); "
              "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'docx', 'pptx', 'argon2'}))")
    done = subprocess.run([sys.executable, "-c", script, str(quarter)], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stderr[-2000:]
