"""The store's outcomes in Chinese, in the words of the front end that shows them.

The command line tells a user which option to add (`--replace`), the web page
which box to tick; everything else is said the same way on both.
"""

from __future__ import annotations

from dataclasses import dataclass

from unionstats.store.outcomes import (
    ACTIVE,
    HAS_ERRORS,
    IMPORTED,
    NO_ROWS,
    NO_UNIT,
    REPLACED,
    STATE_LABELS,
    UNCHANGED,
    UNREADABLE,
    BatchInfo,
    Deleted,
    ImportResult,
    NoSuchBatch,
    RestoreConflict,
    Restored,
    SampleBesideRealData,
    StoreError,
)
from unionstats.store.replacing import replaced_detail
from unionstats.writing.preview import Preview


@dataclass(frozen=True)
class Terms:
    """How a front end asks for each option."""
    replace: str
    skip_bad_rows: str
    restore: str
    restore_replacing: str
    list_batches: str
    unit_name: str  # how to give the unit of a workbook that names none; {name}: the title's, else a placeholder
    rename_file_unit: str  # how to replace rows stored under a file's name by the same file with a unit's name


COMMAND_LINE = Terms(
    replace="请加 --replace 重新导入",
    skip_bad_rows="或加 --skip-bad-rows 跳过有错误的行",
    restore="可用 restore {id} 恢复",
    restore_replacing="请加 --replace",
    list_batches="请用 batches 命令查看现有批次",
    unit_name="请加 --unit-name {name} 重新导入",
    rename_file_unit="请用 import 命令重新导入该文件，加 --unit-name 单位名称 和 --replace",
)
WEB = Terms(
    replace="请勾选“用本文件替换”后再点“导入”",
    skip_bad_rows="或勾选“跳过有错误的行”后导入其余行",
    restore="可在“已导入的批次”中选择第{id}批后点“恢复该批次”",
    restore_replacing="请勾选“恢复时替换重叠的批次”后再点“恢复该批次”",
    list_batches="请在“已导入的批次”中查看现有批次",
    unit_name="请在本文件下方的“单位名称”框中填写单位名称后再点“导入”",
    rename_file_unit="请重新上传该文件，在“单位名称”框中填写单位名称，勾选“用本文件替换”后导入",
)


def batch_text(batch: BatchInfo) -> str:
    period = f"{batch.period_start}至{batch.period_end}" if batch.period_start else "无日期"
    return f"第{batch.id}批（{batch.file_name}，{period}，{STATE_LABELS[batch.state]}）"


def state_text(state: str, replaced_by=None, set_aside: str = "") -> str:
    """A batch's state in the batch list: `有效`, `部分替换：2024年第二季度已被第5批替换`, `已被替换（被第5批替换）`."""
    if state == ACTIVE and set_aside:
        return f"部分替换：{set_aside}"
    if state == REPLACED and replaced_by is not None and replaced_by == replaced_by:  # (NaN: not known)
        return f"{STATE_LABELS[state]}（被第{int(replaced_by)}批替换）"
    return STATE_LABELS[state]


def ids_text(ids) -> str:
    return f"第{'、'.join(map(str, ids))}批"


def import_text(result: ImportResult, terms: Terms) -> str:
    return f"{result.file_name}：{_import_body(result, terms)}"


def _import_body(result: ImportResult, terms: Terms) -> str:
    if result.status == IMPORTED:
        rows = "，".join(f"{name} {count} 行" for name, count in result.row_counts.items())
        done = f"已导入为第{result.batch_id}批，{rows}"
        if result.parts:
            done += f"；替换了{replaced_detail(result.parts)}，其余照常计入"
        if result.report.skipped_rows:
            done += f"；跳过有错误的 {result.report.skipped_rows} 行（已记录）"
        if result.unit_name:
            done += f"；没有写明单位的行记入“{result.unit_name}”"
        return done + sample_aside_text(result.sample_set_aside, terms)
    if result.status == UNCHANGED:
        same = result.same_as
        assert same is not None, "an unchanged import names the batch it matches"
        hint = "" if same.state == ACTIVE else f"；如需重新启用，请恢复第{same.id}批"
        return f"内容与已导入的{batch_text(same)}相同，未重复导入{hint}"
    if result.problem == UNREADABLE:
        return result.detail
    if result.problem == NO_ROWS:
        return "文件中没有数据行，未导入"
    if result.problem == NO_UNIT:
        return _no_unit(result, terms)
    if result.problem == HAS_ERRORS:
        errors = result.report.errors
        first = errors[0]
        where = f"{first.where()}：" if first.where() else ""
        more = f"等 {len(errors)} 处错误" if len(errors) > 1 else ""
        hint = f"；改正后重新导入，{terms.skip_bad_rows}" if sum(result.row_counts.values()) else ""
        return f"{where}{first.message}{more}，未导入{hint}"
    assert result.scope is not None, "a refused import names the scope it would replace"
    listed = "、".join(batch_text(b) for b in result.overlapping)
    count = sum(p.rows for p in result.parts)
    return (f"{result.scope.label}的数据已在{listed}中（{count}行），未导入。如果这是更正后的文件，{terms.replace}："
            f"只替换{replaced_detail(result.parts)}，其余照常计入；被替换的行保留在历史中，可随时恢复")


def _no_unit(result: ImportResult, terms: Terms) -> str:
    if result.detail:
        return f"{result.detail}，未导入"
    title = result.unit_title
    ask = terms.unit_name.format(name=title.name if title else "单位名称")
    seen = f"（表头上方的“{title.text}”写的单位是“{title.name}”）" if title else ""
    return (f"工作簿没有写明单位名称（「单位信息」表的「单位名称」或数据表的「单位」列），未导入。{ask}{seen}，"
            "或在工作簿中写明单位名称")


def file_named_text(units: dict[str, str], terms: Terms) -> str:
    """Units stored under a file's name (naming.file_named), said with how to name them; '' when there are none."""
    if not units:
        return ""
    listed = "、".join(f"“{unit}”（{source}）" for unit, source in units.items())
    return (f"单位{listed}是按文件名记入的，不是单位名称，不会用作工会名称。{terms.rename_file_unit}，"
            "原来的批次会被替换，保留在历史中")


def deleted_text(outcome: Deleted, terms: Terms) -> str:
    batch = outcome.batch
    if outcome.already:
        return f"{batch_text(batch)}已经删除，无需再删"
    done = f"已删除第{batch.id}批（{batch.file_name}）；它保留在历史中，{terms.restore.format(id=batch.id)}"
    if outcome.replaced:
        restore = "，".join(terms.restore.format(id=i) for i in outcome.replaced)
        done += f"。被它替换的{ids_text(outcome.replaced)}中的数据仍不计入；如需重新计入，{restore}"
    return done


def restored_text(outcome: Restored, terms: Terms) -> str:
    batch = outcome.batch
    if outcome.already:
        return f"{batch_text(batch)}本来就有效，无需恢复"
    note = f"；{ids_text(outcome.set_aside)}改为“已被替换”" if outcome.set_aside else ""
    if outcome.parts:
        note += f"；替换了{replaced_detail(list(outcome.parts))}，其余照常计入"
    return f"已恢复第{batch.id}批（{batch.file_name}）{note}{sample_aside_text(outcome.sample_set_aside, terms)}"


def sample_aside_text(ids, terms: Terms) -> str:
    """The sample set aside by a real batch: said, with how to bring it back (only once no real data is active)."""
    if not ids:
        return ""
    restore = "，".join(terms.restore.format(id=i) for i in ids)
    return (f"；示例数据（{ids_text(ids)}）已移出统计，以免与导入的数据混在一起；它保留在历史中，"
            f"删除导入的全部批次后，{restore}")


def error_text(error: StoreError, terms: Terms) -> str:
    if isinstance(error, NoSuchBatch):
        return f"{error}，{terms.list_batches}"
    if isinstance(error, RestoreConflict):
        listed = "、".join(batch_text(b) for b in error.overlapping)
        return f"第{error.batch_id}批与{listed}的单位和日期重叠；如要恢复它并替换这些批次，{terms.restore_replacing}"
    if isinstance(error, SampleBesideRealData):
        return sample_refused_text(error)
    return str(error)


def sample_refused_text(error: SampleBesideRealData) -> str:
    """The sample refused beside real data: why, and the one way to see it again."""
    real = ids_text(error.real[:5]) + (f"等 {len(error.real)} 个批次" if len(error.real) > 5 else "")
    if error.batch_id is None:
        return f"示例数据不能与导入的数据（{real}，有效）同时计入统计，否则数字会混在一起，未导入"
    return (f"第{error.batch_id}批是示例数据，不能与导入的数据（{real}，有效）同时计入统计，否则数字会混在一起，"
            f"未恢复。如要重新查看示例数据，请先删除这些批次，再恢复第{error.batch_id}批")


def outcome_text(outcome, terms: Terms) -> str:
    """Any outcome or store error, worded."""
    if isinstance(outcome, ImportResult):
        return import_text(outcome, terms)
    if isinstance(outcome, Deleted):
        return deleted_text(outcome, terms)
    if isinstance(outcome, Restored):
        return restored_text(outcome, terms)
    return error_text(outcome, terms)


def preview_text(change: Preview, terms: Terms) -> str:
    """What importing a correction will replace, said before it is done (preview.py): scope, rows, how."""
    return (f"本文件覆盖{change.scope.label}，已导入的数据中这一期间已有{change.rows}行。如果这是更正后的文件，"
            f"{terms.replace}：只替换{replaced_detail(list(change.parts))}，其余数据照常计入；被替换的行保留在历史中，"
            "可随时恢复。替换前后的主要数字如下")
