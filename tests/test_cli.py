import json
import subprocess
import sys
import zipfile

import pytest
from workbooks import workbook_bytes

from conftest import ROOT

HEAD = ["日期", "活动名称", "类别", "参与人次", "支出（元）", "单位"]
EVENTS = [
    ["2024-04-03", "春季健步走", "文体活动", 120, 3600, "机关工会"],
    ["2024/5/1", "五一座谈会", "节日活动", 40, "1,200元", "机关工会"],
    ["2024年6月10日", "端午包粽子", "节日活动", 85, "0.25万元", "一分会"],
    ["2024-07-02", "七一参观", "参观旅游", 60, 5000, "机关工会"],
]
VISITS = [["日期", "事由", "人次", "金额"], ["2024-04-09", "住院", 1, 500], ["2024-05-20", "新婚", 2, "2,000"],
          ["2024-06-30", "生病", 1, 500]]


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "unionstats", *args], capture_output=True, text=True, cwd=cwd,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def quarter(tmp_path):
    path = tmp_path / "q2.xlsx"
    path.write_bytes(workbook_bytes({"2024年二季度活动": [["2024年第二季度活动统计表"], HEAD, *EVENTS],
                                     "慰问": VISITS}))
    return path


def test_check_passes_a_good_file(quarter):
    result = run("check", str(quarter))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "通过" in result.stdout and "活动 4 行" in result.stdout


def test_check_fails_with_the_place_of_each_error(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_bytes({"活动": [HEAD, EVENTS[0], ["2024-13-01", "x", "文体活动", 3, 0]]}))
    result = run("check", str(path))
    assert result.returncode == 1
    assert "「活动」表第3行「日期」列" in result.stdout


def test_check_passes_a_file_with_only_warnings(tmp_path):
    path = tmp_path / "warn.xlsx"
    path.write_bytes(workbook_bytes({"活动": [HEAD, EVENTS[0][:2] + ["团建"] + EVENTS[0][3:]]}))
    result = run("check", str(path))
    assert result.returncode == 0 and "警告" in result.stdout


def test_check_json_lists_every_issue_with_its_place(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_bytes({"活动": [HEAD, ["2024-04-01", "x", "文体活动", -1, 0]]}))
    [report] = json.loads(run("check", str(path), "--json").stdout)
    assert report["ok"] is False
    [issue] = report["issues"]
    assert (issue["sheet"], issue["row"], issue["column"], issue["value"]) == ("活动", 2, "参与人次", "-1")


@pytest.mark.parametrize("name, data", [
    ("empty.xlsx", b""),
    ("text.xlsx", b"hello world"),
    ("half.xlsx", workbook_bytes({"活动": [HEAD, *EVENTS]})[:1500]),
    ("zip.xlsx", None),
    ("nothing.ods", b"PK\x03\x04"),
])
def test_check_never_shows_a_traceback(tmp_path, name, data):
    path = tmp_path / name
    if data is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("garbage.bin", b"\x00\x01" * 100)
    else:
        path.write_bytes(data)
    result = run("check", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "无法读取" in result.stdout or "空的" in result.stdout


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["check"], ["stats", "x.xlsx", "--period", "2024Q5"],
                                  ["template", "out.txt"]])
def test_usage_errors_exit_2_in_chinese(args, tmp_path):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "用法错误" in result.stderr and "Traceback" not in result.stderr


def test_stats_json_counts_what_the_rows_say(quarter):
    figures = json.loads(run("stats", str(quarter), "--json").stdout)
    events = figures["events"]
    assert events["count"] == 4
    assert events["participants"] == 120 + 40 + 85 + 60
    assert events["spending"] == 3600 + 1200 + 2500 + 5000
    assert events["by_category"]["节日活动"] == {"count": 2, "participants": 125, "spending": 3700}
    assert figures["visits"]["count"] == 4 and figures["visits"]["amount"] == 3000
    assert figures["visits"]["by_reason"] == {"生病住院": 2, "结婚": 2}
    assert figures["donations"] == {**figures["donations"], "count": 0, "cash": 0, "goods": 0}
    assert figures["competitions"]["count"] == 0 and figures["competitions"]["awards"] == 0


@pytest.mark.parametrize("period, participants", [("2024Q2", 245), ("2024-05", 40), ("2024H2", 60),
                                                  ("2024-04-03..2024-05-01", 160), ("2023", 0)])
def test_stats_filters_by_period(quarter, period, participants):
    figures = json.loads(run("stats", str(quarter), "--period", period, "--json").stdout)
    assert figures["events"]["participants"] == participants


def test_stats_filters_by_unit(quarter):
    figures = json.loads(run("stats", str(quarter), "--unit", "一分会", "--json").stdout)
    assert (figures["events"]["count"], figures["events"]["spending"]) == (1, 2500)


def test_stats_refuses_a_file_with_errors_unless_asked_to_skip(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_bytes({"活动": [HEAD, EVENTS[0], ["坏日期", "x", "文体活动", 3, 0]]}))
    refused = run("stats", str(path), "--json")
    assert refused.returncode == 1 and "--skip-bad-rows" in refused.stderr and refused.stdout == ""
    skipped = run("stats", str(path), "--json", "--skip-bad-rows")
    assert skipped.returncode == 0 and json.loads(skipped.stdout)["events"]["count"] == 1


def test_template_writes_a_workbook_that_loads_clean(tmp_path):
    out = tmp_path / "模板.xlsx"
    result = run("template", str(out))
    assert result.returncode == 0 and out.exists()
    check = run("check", str(out))
    assert check.returncode == 0, check.stdout


def test_the_store_commands_from_import_to_export(tmp_path, quarter):
    db = ["--db", f"sqlite:///{tmp_path / 'cli.db'}"]
    first = run("import", str(quarter), *db)
    assert first.returncode == 0 and "第1批" in first.stdout
    again = run("import", str(quarter), *db)
    assert again.returncode == 0 and "未重复导入" in again.stdout
    listing = run("batches", *db)
    assert "q2.xlsx" in listing.stdout and "有效" in listing.stdout
    stored = json.loads(run("stats", "--json", *db).stdout)
    from_file = json.loads(run("stats", str(quarter), "--json").stdout)
    assert stored["events"] == from_file["events"] and stored["visits"] == from_file["visits"]

    out = tmp_path / "导出.xlsx"
    assert run("export", str(out), *db).returncode == 0
    exported = json.loads(run("stats", str(out), "--json").stdout)
    assert {k: exported[k] for k in ("events", "visits", "donations", "competitions")} == {
        k: from_file[k] for k in ("events", "visits", "donations", "competitions")}

    assert "已删除第1批" in run("delete", "1", *db).stdout
    assert json.loads(run("stats", "--json", *db).stdout)["events"]["count"] == 0
    assert run("restore", "1", *db).returncode == 0
    missing = run("delete", "7", *db)
    assert missing.returncode == 1 and "没有第7批" in missing.stderr


def test_an_import_that_overlaps_is_refused_with_exit_1(tmp_path, quarter):
    db = ["--db", f"sqlite:///{tmp_path / 'cli.db'}"]
    run("import", str(quarter), *db)
    corrected = tmp_path / "q2-corrected.xlsx"
    corrected.write_bytes(workbook_bytes({"活动": [HEAD, *EVENTS[:3]]}))
    refused = run("import", str(corrected), *db)
    assert refused.returncode == 1 and "--replace" in refused.stderr
    assert run("import", str(corrected), "--replace", *db).returncode == 0


def test_a_bad_database_address_is_a_message_not_a_traceback(tmp_path):
    result = run("batches", "--db", "nonsense://nowhere")
    assert result.returncode == 1 and "无法打开数据库" in result.stderr and "Traceback" not in result.stderr


def test_summary_prints_the_text_and_writes_a_word_file(tmp_path, quarter):
    out = tmp_path / "总结.docx"
    result = run("summary", str(quarter), "--period", "2024Q2", "--docx", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "工会2024年第二季度工作总结"
    assert "共组织开展各类活动3次，参与职工245人次" in result.stdout
    assert out.exists() and out.stat().st_size > 5000
    markdown = run("summary", str(quarter), "--period", "2024Q2", "--markdown")
    assert markdown.stdout.startswith("# ")
