"""Store outcomes worded for each front end: the same facts, each in its own terms."""

import datetime as dt
import re

import pytest

from unionstats.contract.periods import QUARTER, YEAR, Period
from unionstats.intake.report import LoadReport
from unionstats.store.outcomes import (
    HAS_ERRORS,
    IMPORTED,
    INVALID,
    NO_ROWS,
    REFUSED,
    UNCHANGED,
    UNREADABLE,
    BatchInfo,
    Deleted,
    ImportResult,
    NoSuchBatch,
    RestoreConflict,
    Restored,
    StoreError,
)
from unionstats.store.replacing import Part, Scope
from unionstats.writing import wording

Q1 = BatchInfo(1, "一季度.xlsx", dt.date(2024, 1, 2), dt.date(2024, 3, 29), "active")
OLD = BatchInfo(2, "旧.xlsx", dt.date(2024, 1, 5), dt.date(2024, 1, 5), "deleted")
UNDATED = BatchInfo(3, "空.xlsx", None, None, "replaced", replaced_by=4)
COUNTS = {"活动": 3, "慰问": 1, "捐款": 0, "比赛": 0}
CLI_WORDS = re.compile(r"--\w|restore \d|batches 命令")


def errors(*cells) -> LoadReport:
    report = LoadReport()
    for row, column in cells:
        report.add("error", "小于 0，请填写不小于 0 的整数", sheet="活动", row=row, column=column, cell=f"D{row}")
    report.add("warning", "只是提醒", sheet="活动", row=9)
    return report


def test_a_batch_is_named_by_number_file_dates_and_state():
    assert wording.batch_text(Q1) == "第1批（一季度.xlsx，2024-01-02至2024-03-29，有效）"
    assert wording.batch_text(OLD) == "第2批（旧.xlsx，2024-01-05至2024-01-05，已删除）"
    assert wording.batch_text(UNDATED) == "第3批（空.xlsx，无日期，已被替换）"


def test_an_import_names_its_batch_rows_replacements_and_skipped_rows():
    report = LoadReport(skipped_rows=2)
    q2 = Period.of(QUARTER, 2024, 2)
    parts = [Part(1, "红星小学", q2, 7), Part(3, "红星小学", q2, 2), Part(3, "蓝天中学", q2, 1)]
    done = ImportResult(IMPORTED, "二季度.xlsx", batch_id=5, replaced=[1, 3], row_counts=COUNTS, report=report,
                        scope=Scope(("红星小学", "蓝天中学"), q2), parts=parts)
    expected = ("二季度.xlsx：已导入为第5批，活动 3 行，慰问 1 行，捐款 0 行，比赛 0 行；"
                "替换了第1批中红星小学2024年第二季度的7行、第3批中红星小学、蓝天中学2024年第二季度的3行，其余照常计入；"
                "跳过有错误的 2 行（已记录）")
    assert wording.import_text(done, wording.COMMAND_LINE) == expected
    assert wording.import_text(done, wording.WEB) == expected
    plain = ImportResult(IMPORTED, "a.xlsx", batch_id=1, row_counts={"活动": 1})
    assert wording.import_text(plain, wording.WEB) == "a.xlsx：已导入为第1批，活动 1 行"


def test_the_same_content_again_names_the_stored_batch_and_how_to_bring_back_a_deleted_one():
    active = ImportResult(UNCHANGED, "副本.xlsx", batch_id=1, same_as=Q1)
    assert wording.import_text(active, wording.WEB) == (
        f"副本.xlsx：内容与已导入的{wording.batch_text(Q1)}相同，未重复导入")
    deleted = ImportResult(UNCHANGED, "副本.xlsx", batch_id=2, same_as=OLD)
    assert wording.import_text(deleted, wording.COMMAND_LINE).endswith("未重复导入；如需重新启用，请恢复第2批")


@pytest.mark.parametrize("terms, hint", [
    (wording.COMMAND_LINE, "请加 --replace 重新导入"),
    (wording.WEB, "请勾选“用本文件替换”后再点“导入”"),
])
def test_an_overlap_lists_every_batch_and_says_how_to_replace_in_each_front_ends_terms(terms, hint):
    q1 = Period.of(QUARTER, 2024, 1)
    refused = ImportResult(REFUSED, "更正.xlsx", overlapping=[Q1, UNDATED], scope=Scope(("机关工会", "一分会"), q1),
                           parts=[Part(1, "机关工会", q1, 4), Part(3, "一分会", q1, 2)])
    assert wording.import_text(refused, terms) == (
        f"更正.xlsx：机关工会、一分会2024年第一季度的数据已在{wording.batch_text(Q1)}、"
        f"{wording.batch_text(UNDATED)}中（6行），未导入。如果这是更正后的文件，{hint}：只替换第1批中机关工会"
        "2024年第一季度的4行、第3批中一分会2024年第一季度的2行，其余照常计入；被替换的行保留在历史中，可随时恢复")


def test_a_file_with_errors_names_the_first_counts_the_rest_and_offers_skipping_only_when_rows_remain():
    several = ImportResult(INVALID, "三行.xlsx", problem=HAS_ERRORS, row_counts={"活动": 1},
                           report=errors((3, "参与人次"), (5, "支出")))
    first = "三行.xlsx：「活动」表第3行「参与人次」列（D3）：小于 0，请填写不小于 0 的整数等 2 处错误，未导入"
    cli, web = (wording.import_text(several, terms) for terms in (wording.COMMAND_LINE, wording.WEB))
    assert cli == first + "；改正后重新导入，或加 --skip-bad-rows 跳过有错误的行"
    assert web == first + "；改正后重新导入，或勾选“跳过有错误的行”后导入其余行"
    nothing_left = ImportResult(INVALID, "一行.xlsx", problem=HAS_ERRORS, row_counts={"活动": 0},
                                report=errors((2, "参与人次")))
    assert wording.import_text(nothing_left, wording.COMMAND_LINE) == (
        "一行.xlsx：「活动」表第2行「参与人次」列（D2）：小于 0，请填写不小于 0 的整数，未导入")


def test_an_unreadable_or_empty_file_says_so():
    unreadable = ImportResult(INVALID, "坏.xlsx", problem=UNREADABLE, detail="无法读取该文件")
    assert wording.import_text(unreadable, wording.WEB) == "坏.xlsx：无法读取该文件"
    empty = ImportResult(INVALID, "空表.xlsx", problem=NO_ROWS)
    assert wording.import_text(empty, wording.COMMAND_LINE) == "空表.xlsx：文件中没有数据行，未导入"


@pytest.mark.parametrize("terms, hint", [(wording.COMMAND_LINE, "可用 restore 1 恢复"),
                                         (wording.WEB, "可在“已导入的批次”中选择第1批后点“恢复该批次”")])
def test_a_delete_says_how_to_undo_it(terms, hint):
    assert wording.deleted_text(Deleted(Q1), terms) == f"已删除第1批（一季度.xlsx）；它保留在历史中，{hint}"
    assert wording.deleted_text(Deleted(OLD, already=True), terms) == f"{wording.batch_text(OLD)}已经删除，无需再删"


def test_a_restore_names_the_batches_it_set_aside():
    aside = Restored(OLD, set_aside=(3, 4))
    assert wording.restored_text(aside, wording.WEB) == "已恢复第2批（旧.xlsx）；第3、4批改为“已被替换”"
    assert wording.restored_text(Restored(OLD), wording.WEB) == "已恢复第2批（旧.xlsx）"
    already = Restored(Q1, already=True)
    assert wording.restored_text(already, wording.WEB) == f"{wording.batch_text(Q1)}本来就有效，无需恢复"


def test_store_errors_carry_their_facts_and_each_front_end_adds_its_way_out():
    conflict = RestoreConflict(2, [Q1, UNDATED])
    assert str(conflict) == "第2批与第1批、第3批的单位和日期重叠"
    listed = f"{wording.batch_text(Q1)}、{wording.batch_text(UNDATED)}"
    assert wording.error_text(conflict, wording.COMMAND_LINE) == (
        f"第2批与{listed}的单位和日期重叠；如要恢复它并替换这些批次，请加 --replace")
    assert wording.error_text(conflict, wording.WEB) == (
        f"第2批与{listed}的单位和日期重叠；如要恢复它并替换这些批次，请勾选“恢复时替换重叠的批次”后再点“恢复该批次”")
    assert wording.error_text(NoSuchBatch(9), wording.COMMAND_LINE) == "没有第9批，请用 batches 命令查看现有批次"
    assert wording.error_text(NoSuchBatch(9), wording.WEB) == "没有第9批，请在“已导入的批次”中查看现有批次"
    assert wording.error_text(StoreError("别的原因"), wording.WEB) == "别的原因"


def test_no_web_message_speaks_of_command_line_options():
    report = errors((3, "参与人次"))
    outcomes = [
        ImportResult(REFUSED, "x.xlsx", overlapping=[Q1], scope=Scope(("某单位",), Period.of(YEAR, 2024)),
                     parts=[Part(1, "某单位", Period.of(YEAR, 2024), 3)]),
        ImportResult(INVALID, "x.xlsx", problem=HAS_ERRORS, row_counts={"活动": 2}, report=report),
        ImportResult(UNCHANGED, "x.xlsx", same_as=OLD),
        Deleted(Q1), Restored(OLD, set_aside=(1,)), RestoreConflict(2, [Q1]), NoSuchBatch(7),
    ]
    for outcome in outcomes:
        assert not CLI_WORDS.search(wording.outcome_text(outcome, wording.WEB)), outcome
    assert all(CLI_WORDS.search(wording.outcome_text(o, wording.COMMAND_LINE)) for o in outcomes[:2] + outcomes[3:4])


def test_an_error_with_no_place_is_said_without_an_empty_place():
    report = LoadReport()
    report.add("error", "文件中没有可识别的数据表")
    invalid = ImportResult(INVALID, "杂项.xlsx", problem=HAS_ERRORS, report=report)
    assert wording.import_text(invalid, wording.WEB) == "杂项.xlsx：文件中没有可识别的数据表，未导入"


def test_any_outcome_or_error_is_worded_by_its_own_rule():
    for outcome in (Deleted(Q1), Restored(OLD), NoSuchBatch(7), RestoreConflict(2, [Q1]), StoreError("别的原因")):
        for terms in (wording.COMMAND_LINE, wording.WEB):
            own = {Deleted: wording.deleted_text, Restored: wording.restored_text}.get(type(outcome),
                                                                                       wording.error_text)
            assert wording.outcome_text(outcome, terms) == own(outcome, terms)
