"""A union adds a sheet kind from its own package, and every part of unionstats takes it up.

The kind, 职工培训, is the module `tests/outside/trainings.py`. The fixture installs it the way pip installs a
package: a distribution's metadata on the path, whose entry point names the module's `KIND` in the group
`unionstats.kinds`, the group unionstats' own kinds are registered in. Nothing of unionstats is patched: the
template, the check, the import, the store, the figures, the page, the summary, the deck, the export and the docs
find the kind through the registry alone.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from outside import trainings
from pptx import Presentation
from streamlit.testing.v1 import AppTest
from workbooks import workbook_bytes

from unionstats.contract import registry
from unionstats.contract.periods import parse_period
from unionstats.exports.deck import write_deck
from unionstats.exports.template import write_template
from unionstats.exports.workbook import write_dataset
from unionstats.figures.engine import figures
from unionstats.intake.loading import load_bytes
from unionstats.store.batches import Store
from unionstats.store.database import forget_table
from unionstats.writing.summary import write_summary

ROOT = Path(__file__).resolve().parents[1]
SHEET = "2024年二季度职工培训"
HEAD = ["日期", "培训名称", "参训人次", "学时", "培训费（万元）", "授课人", "单位"]
ROWS = [["2024-04-10", "安全生产培训", 40, 8, 0.12, "李老师", "机关工会"],
        ["2024-05-20", "急救知识培训", 25, 4, "0.36", "王医生", "机关工会"],
        ["2024-06-30", "工会干部培训", 6, 16, 1, "赵主席", "一分会"],
        ["2024-01-15", "新春技能培训", 30, 2, 0.05, "李老师", "机关工会"]]
Q2 = parse_period("2024Q2")


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """The union's package as pip leaves it: its metadata, with the entry point, on the import path."""
    metadata = tmp_path / "site" / "union_trainings-1.0.dist-info"
    metadata.mkdir(parents=True)
    (metadata / "METADATA").write_text("Metadata-Version: 2.1\nName: union-trainings\nVersion: 1.0\n")
    (metadata / "entry_points.txt").write_text("[unionstats.kinds]\ntrainings = outside.trainings:KIND\n")
    monkeypatch.syspath_prepend(str(metadata.parent))
    registry.reload()
    yield trainings.KIND
    monkeypatch.undo()
    registry.reload()
    forget_table("trainings")


def workbook(rows: list[list]) -> bytes:
    return workbook_bytes({"活动": [["日期", "活动名称", "参与人次", "单位"], ["2024-04-03", "健步走", 50, "机关工会"]],
                           SHEET: [HEAD, *rows]})


def test_the_entry_point_registers_the_kind_beside_unionstats_own(installed):
    assert [kind.sheet.key for kind in registry.registered()] == [
        "events", "visits", "donations", "competitions", "budget", "trainings"]
    assert registry.sheet("trainings") is trainings.SHEET


def test_the_template_has_its_sheet_and_its_rule(installed):
    template = io.BytesIO()
    write_template(template)
    book = openpyxl.load_workbook(template)
    assert [c.value for c in book["职工培训"][1]] == ["日期", "培训名称", "参训人次", "学时", "培训费（元）", "授课人", "单位"]
    instructions = "\n".join(str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value)
    assert "一期培训填一行" in instructions and "「授课人」" in instructions


def test_the_check_reads_it_and_names_the_cell_to_fix(installed):
    dataset = load_bytes(workbook(ROWS), "q2.xlsx")
    assert dataset.report.errors == [] and dataset.report.warnings == []
    frame = dataset.frame("trainings")
    assert frame["trainees"].tolist() == [40, 25, 6, 30]
    assert frame["cost"].tolist() == [1200.0, 3600.0, 10000.0, 500.0], "万元 in the header, as text or a number"
    bad = load_bytes(workbook([*ROWS[:2], ["2024-06-01", "", "十几", None, None, None, None]]), "bad.xlsx")
    assert {(i.sheet, i.row, i.column) for i in bad.report.errors} == {(SHEET, 4, "培训名称"), (SHEET, 4, "参训人次")}


def test_it_is_imported_stored_and_read_back(installed, tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    assert "trainings" in sa.inspect(store.engine).get_table_names()
    assert store.import_bytes(workbook(ROWS), "q2.xlsx").ok
    stored = figures(store.dataset(), Q2).of(trainings.KIND)
    assert (stored.count, stored.trainees, stored.hours, stored.cost) == (3, 40 + 25 + 6, 8 + 4 + 16, 14800.0)


def test_its_figures_are_typed_and_compared_like_every_other(installed):
    result = figures(load_bytes(workbook(ROWS), "q2.xlsx"), Q2)
    found = result.of(trainings.KIND)
    assert found.by_unit == {"一分会": trainings.Group(1, 6), "机关工会": trainings.Group(2, 65)}
    # Only 机关工会 trained in Q1: the change is its own, 40 + 25 against 30.
    assert result.previous.pair(lambda f: f.of(trainings.KIND).trainees) == (65, 30)
    assert result.to_json()["trainings"]["cost"] == 14800.0


def test_the_summary_has_its_section_and_key_figures(installed):
    summary = write_summary(figures(load_bytes(workbook(ROWS), "q2.xlsx"), Q2), "机关工会", dated=dt.date(2024, 7, 5))
    assert ("加强职工培训，提升职工素质\n本季度举办职工培训3期，参训71人次，"
            f"其中与上季度可比的单位65人次，较上季度增长{(65 - 30) / 30 * 100:.1f}%。") in summary.text()
    assert ("职工培训", "3期") in summary.key_figures and ("培训费", "1.48万元") in summary.key_figures
    assert "李老师" not in summary.text(), "授课人 is personal"


def test_the_deck_has_its_chart_with_how_it_is_counted(installed, tmp_path):
    path = tmp_path / "deck.pptx"
    write_deck(figures(load_bytes(workbook(ROWS), "q2.xlsx"), Q2), "机关工会", path)
    [slide] = [s for s in Presentation(path).slides
               if any(sh.has_text_frame and "各单位参训人次" in sh.text_frame.text for sh in s.shapes)]
    [chart] = [sh.chart for sh in slide.shapes if sh.has_chart]
    assert dict(zip(chart.plots[0].categories, chart.plots[0].series[0].values)) == {"一分会": 6, "机关工会": 65}
    assert "参训人次" in slide.notes_slide.notes_text_frame.text


def test_the_export_writes_it_back_without_the_personal_column(installed):
    exported = io.BytesIO()
    write_dataset(load_bytes(workbook(ROWS), "q2.xlsx"), exported)
    book = openpyxl.load_workbook(io.BytesIO(exported.getvalue()))
    assert "授课人" not in [c.value for c in book["职工培训"][1]]
    back = load_bytes(exported.getvalue(), "export.xlsx")
    assert back.report.errors == [] and back.frame("trainings")["cost"].tolist() == [1200.0, 3600.0, 10000.0, 500.0]


def test_the_docs_describe_its_sheet(installed):
    spec = importlib.util.spec_from_file_location("make_workbook_format", ROOT / "docs" / "make_workbook_format.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    block = "\n".join(module.sheet_block(trainings.SHEET))
    assert "职工培训" in "\n".join(module.sheets_block()) and "参训人次" in block and "培训费" in block


def test_its_page_lays_itself_out_from_the_kind(installed, tmp_path, monkeypatch):
    """The union adds the kind's page file (two lines, like unionstats' own) to its copy of the app."""
    app = tmp_path / "app"
    shutil.copytree(ROOT / "pages", app / "pages")
    shutil.copytree(ROOT / ".streamlit", app / ".streamlit")
    shutil.copy(ROOT / "app.py", app / "app.py")
    (app / "pages" / "9_职工培训.py").write_text(
        'from unionstats.ui.kind_page import show_page\n\nshow_page("职工培训")\n', encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("UNIONSTATS_DB", url)
    assert Store(url).import_bytes(workbook(ROWS), "q2.xlsx").ok
    at = AppTest.from_file(str(app / "app.py"), default_timeout=90)
    at.query_params.update({"year": "2024", "period": "Q2"})
    at.switch_page("pages/9_职工培训.py")
    at.run()
    assert not at.exception
    assert [m.value for m in at.metric if m.label == "参训人次"] == ["71人次"]
    [table] = [d.value for d in at.dataframe]
    assert "授课人" not in table.columns and sorted(table["参训人次"]) == [6, 25, 40]
    assert "职工培训" in [link.proto.label for link in at.get("page_link")]


def test_without_its_package_nothing_of_it_appears(tmp_path):
    assert "trainings" not in registry.sheets_by_key()
    dataset = load_bytes(workbook(ROWS), "q2.xlsx")
    assert "trainings" not in dataset.frames() and len(dataset.events) == 1
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    assert "trainings" not in sa.inspect(store.engine).get_table_names()


def test_a_workbook_read_in_this_process_leaves_later_kinds_visible(monkeypatch):
    """Without the child process (UNIONSTATS_SANDBOX=0), the reader's view of the sheets ends with the read."""
    monkeypatch.setenv("UNIONSTATS_SANDBOX", "0")
    assert load_bytes(workbook(ROWS), "q2.xlsx").frame("events")["participants"].tolist() == [50]
    registry.register(trainings.KIND)
    try:
        assert registry.sheet("trainings") is trainings.SHEET
        assert load_bytes(workbook(ROWS), "q2.xlsx").frame("trainings")["trainees"].tolist() == [40, 25, 6, 30]
    finally:
        registry.unregister("trainings")
        forget_table("trainings")


def test_an_install_that_lists_no_kind_says_how_to_mend_it(monkeypatch):
    """A checkout whose installed metadata predates the entry points would otherwise open an app with no sheets."""
    monkeypatch.setattr(registry, "entry_points", lambda group: [])
    registry.reload()
    try:
        with pytest.raises(registry.KindError, match="pip install -e"):
            registry.sheets()
    finally:
        monkeypatch.undo()
        registry.reload()
    assert "events" in registry.sheets_by_key()
