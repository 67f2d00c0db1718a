"""The documents hold to the code: docs/workbook-format.md to schema.py, the README to the project.

The workbook format is parsed section by section (one `### …表` section per
sheet, one `#### 「列名」的可选值` subsection per dropdown column), so a sheet,
column, alias, choice or synonym added in schema.py and missing from the doc,
or left in the doc after schema.py dropped it, fails here.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from unionstats.compliance import rules
from unionstats.contract import registry, schema

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "workbook-format.md"
README = ROOT / "README.md"
NONE = "—"
NAMES_LINE = re.compile(r"^工作表名称：`(?P<name>[^`]+)`；也可用：(?P<aliases>.*)$", re.M)
CHOICES_HEADING = re.compile(r"^「(?P<column>.+)」的可选值$")


@dataclass
class Section:
    title: str
    level: int
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def sections(text: str) -> list[Section]:
    """Every heading with its body: the lines up to the next heading of the same or a higher level."""
    found: list[Section] = []
    open_sections: list[Section] = []
    in_code = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        heading = None if in_code else re.match(r"^(#{1,6}) (.+)$", line)
        if heading:
            level = len(heading.group(1))
            open_sections = [s for s in open_sections if s.level < level]
            for parent in open_sections:
                parent.lines.append(line)
            section = Section(heading.group(2).strip(), level)
            found.append(section)
            open_sections.append(section)
            continue
        for section in open_sections:
            section.lines.append(line)
    return found


def section(title: str, level: int, text: str | None = None) -> Section:
    matches = [s for s in sections(DOC.read_text(encoding="utf-8") if text is None else text)
               if s.level == level and s.title == title]
    assert len(matches) == 1, f"docs/workbook-format.md should have exactly one {'#' * level} {title}"
    return matches[0]


def tables(lines: list[str]) -> list[list[list[str]]]:
    """Markdown tables as lists of rows of cells, the header row first, the separator dropped."""
    found, current = [], []
    for line in [*lines, ""]:
        if line.strip().startswith("|"):
            current.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif current:
            found.append([row for row in current if not all(re.fullmatch(r":?-+:?", c) for c in row)])
            current = []
    return found


def table_headed(lines: list[str], first: str) -> list[list[str]]:
    """The rows (without the header) of the one table whose first header cell is `first`."""
    matches = [t for t in tables(lines) if t[0][0] == first]
    assert len(matches) == 1, f"expected one table headed 「{first}」, found {len(matches)}"
    return matches[0][1:]


def words(cell: str) -> list[str]:
    return [] if cell == NONE else [w.strip() for w in cell.split("、")]


def main_part(sheet_section: Section) -> list[str]:
    """The section's lines before its first #### subsection."""
    lines = []
    for line in sheet_section.lines:
        if line.startswith("#### "):
            break
        lines.append(line)
    return lines


def choice_sections(sheet_section: Section) -> dict[str, Section]:
    inner = [s for s in sections(sheet_section.text) if s.level == 4]
    found = {}
    for sub in inner:
        match = CHOICES_HEADING.match(sub.title)
        assert match, f"unexpected subsection 「{sub.title}」 in {sheet_section.title}"
        assert match.group("column") not in found, f"two choice lists for 「{match.group('column')}」"
        found[match.group("column")] = sub
    return found


def names_in(lines: list[str]) -> tuple[str, list[str]]:
    matches = NAMES_LINE.findall("\n".join(lines))
    assert len(matches) == 1, "expected one line 工作表名称：`…`；也可用：`…`"
    name, aliases = matches[0]
    return name, re.findall(r"`([^`]+)`", aliases)


def columns_table(sheet_section: Section) -> dict[str, list[str]]:
    rows = table_headed(main_part(sheet_section), "列名")
    names = [row[0] for row in rows]
    assert len(names) == len(set(names)), f"a column is listed twice in {sheet_section.title}"
    return {row[0]: row for row in rows}


SHEET_IDS = [s.key for s in registry.sheets()]


@pytest.fixture(params=registry.sheets(), ids=SHEET_IDS)
def sheet(request) -> schema.Sheet:
    return request.param


def sheet_section(sheet: schema.Sheet) -> Section:
    return section(f"{sheet.name}表", 3)


def test_each_sheet_section_names_the_sheet_and_all_its_aliases(sheet):
    name, aliases = names_in(main_part(sheet_section(sheet)))
    assert name == sheet.name
    assert sorted(aliases) == sorted(sheet.aliases)


def test_each_sheet_section_lists_every_column_and_no_stale_one(sheet):
    listed = columns_table(sheet_section(sheet))
    expected = {c.name for c in sheet.columns}
    assert not expected - set(listed), f"columns of {sheet.name} missing from the doc"
    assert not set(listed) - expected, f"columns in the doc's {sheet.name} section that schema.py does not have"


def test_each_column_row_has_its_aliases_kind_and_requiredness(sheet):
    listed = columns_table(sheet_section(sheet))
    for column in sheet.columns:
        name, aliases, kind, required, *_ = listed[column.name]
        assert sorted(words(aliases)) == sorted(column.aliases), f"aliases of {sheet.name}.{name}"
        assert kind == schema.KIND_LABELS[column.kind], f"kind of {sheet.name}.{name}"
        assert required == ("必填" if column.required else "选填"), f"requiredness of {sheet.name}.{name}"


def test_each_dropdown_column_lists_every_choice_and_synonym(sheet):
    found = choice_sections(sheet_section(sheet))
    with_choices = {c.name: c for c in sheet.columns if c.choices}
    assert set(found) == set(with_choices), f"choice lists in the doc's {sheet.name} section"
    for name, column in with_choices.items():
        [table] = tables(found[name].lines)
        header, rows = table[0], table[1:]
        assert sorted(row[0] for row in rows) == sorted(column.choices), f"choices of {sheet.name}.{name}"
        if column.synonyms or column.kind == schema.CATEGORY:
            assert len(header) == 2, f"{sheet.name}.{name} needs a column of 常见说法"
            mapped = {word: row[0] for row in rows for word in words(row[1])}
            assert mapped == column.synonyms, f"synonyms of {sheet.name}.{name}"


def test_the_overview_lists_every_sheet_with_its_aliases_and_required_columns():
    rows = table_headed(section("二、工作表", 2).lines, "工作表")
    listed = {row[0]: row for row in rows}
    info_name, *info_aliases = schema.INFO_SHEET_NAMES
    assert set(listed) == {s.name for s in registry.sheets()} | {info_name}
    for sheet in registry.sheets():
        _, aliases, required, _ = listed[sheet.name]
        assert sorted(words(aliases)) == sorted(sheet.aliases)
        assert words(required) == [c.name for c in sheet.required]
    assert sorted(words(listed[info_name][1])) == sorted(info_aliases)


def test_the_unit_info_section_names_the_sheet_and_every_item_with_its_aliases():
    info_name, *info_aliases = schema.INFO_SHEET_NAMES
    info = section(f"{info_name}表", 3)
    name, aliases = names_in(info.lines)
    assert (name, sorted(aliases)) == (info_name, sorted(info_aliases))
    rows = table_headed(info.lines, "项目")
    expected = {label: sorted(aliases) for label, aliases in schema.INFO_ITEMS.values()}
    assert {row[0]: sorted(words(row[1])) for row in rows} == expected


def test_the_generated_tables_are_up_to_date():
    spec = importlib.util.spec_from_file_location("make_workbook_format", ROOT / "docs" / "make_workbook_format.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = DOC.read_text(encoding="utf-8")
    assert module.render(text) == text, "run: python docs/make_workbook_format.py"


def test_the_format_doc_stands_alone():
    text = DOC.read_text(encoding="utf-8")
    assert "shared/" not in text and "/work/" not in text


# README


def readme_code_lines() -> list[str]:
    """The lines of the README's first code block, which must come right after the title."""
    lines = README.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ")
    rest = [line for line in lines[1:] if line.strip()]
    assert rest[0].startswith("```"), "the README's title must be followed by its commands"
    end = rest.index("```", 1)
    return rest[1:end]


def test_readme_starts_with_the_install_and_run_and_the_install_and_test_commands():
    run, test = readme_code_lines()
    assert re.fullmatch(r"python -m pip install -r requirements\.txt && python -m streamlit run app\.py", run)
    assert re.fullmatch(r"python -m pip install -r requirements-dev\.txt && python -m pytest", test)


def test_readme_commands_install_unionstats_and_ci_runs_the_test_command():
    _, test = readme_code_lines()
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "-e ." in [line.split("#")[0].strip() for line in requirements], "requirements.txt installs the checkout"
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in dev if line.strip() and not line.startswith("#")][0] == "-r requirements.txt"
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert test in ci, ".ci/run should run the README's test command"


def test_readme_links_the_format_doc_not_shared():
    text = README.read_text(encoding="utf-8")
    assert "../shared" not in text and "shared/workbook-format.md" not in text
    assert "(docs/workbook-format.md)" in text


# Packaging


def requirement_lines(path: Path) -> list[str]:
    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line.replace(" ", "") for line in lines if line and not line.startswith("-")]


def test_the_package_dependencies_are_the_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [d.replace(" ", "") for d in project["dependencies"]]
    assert sorted(declared) == sorted(requirement_lines(ROOT / "requirements.txt"))


def test_every_subpackage_is_a_package():
    """setuptools' package discovery skips a folder without __init__.py, and the wheel would lack it."""
    for folder in (ROOT / "unionstats").rglob("*"):
        if folder.is_dir() and folder.name != "__pycache__" and any(folder.glob("*.py")):
            assert (folder / "__init__.py").exists(), f"{folder.relative_to(ROOT)} has no __init__.py"


def test_the_interface_doc_names_what_the_code_does():
    """docs/interface.md: each English text it says is translated is in the table, and the settings it names are
    those the code and config use."""
    from unionstats.ui import chinese, page, show

    text = (ROOT / "docs" / "interface.md").read_text(encoding="utf-8")
    for english in re.findall(r"“([A-Za-z][A-Za-z ]+)”", text):
        assert english in chinese.WORDS, english
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert f'client.toolbarMode = "{config["client"]["toolbarMode"]}"' in text
    assert show.chart_config("图")["modeBarButtons"] == [["toImage"]] and "`modeBarButtons`" in text
    assert Path(page.ICON).is_file() and Path(page.ICON).relative_to(ROOT).as_posix() in text


def test_the_guide_names_every_scope_and_each_shipped_files_caps():
    guide = (ROOT / "docs" / "compliance.md").read_text()
    for per, words in rules.SCOPES.items():
        assert f"| {words} | `{per}` |" in guide
    for key, rule_set in rules.builtin_sets().items():
        row = next(line for line in guide.splitlines() if line.startswith(f"| `{key}.toml` |"))
        assert rule_set.title in row
        for rule in rule_set.rules:
            assert f"{rule.cap:g}元" in row, (key, rule.name)



def test_the_scaling_doc_runs_benches_that_exist_with_options_they_take():
    """docs/scaling.md: every `python bench/X.py --option` it gives for its figures names a bench and an option
    that bench parses, and the settings it names are the code's."""
    from unionstats.store import snapshot

    text = (ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")
    commands = re.findall(r"python (bench/\w+\.py)((?: --[\w-]+)*)", text)
    assert {path for path, _ in commands} >= {"bench/bench_scale.py", "bench/bench_coldstart.py",
                                               "bench/bench_sessions.py", "bench/bench_filters.py"}
    for path, options in commands:
        source = (ROOT / path).read_text(encoding="utf-8")
        for option in re.findall(r"--[\w-]+", options):
            assert f'"{option}"' in source, (path, option)
    assert "@" not in text.replace("postgresql+psycopg://…", "")  # no figure left unfilled
    assert "unionstats/store/snapshot.py" in text and snapshot.SETTING in (ROOT / "README.md").read_text()


def test_the_server_collects_no_garbage_after_each_run_as_the_scaling_doc_says():
    """A full collection after every script run was half of each process's time under twenty sessions."""
    from streamlit import config as streamlit_config

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    streamlit_config.get_option("runner.postScriptGC")  # (an option Streamlit has: it raises on an unknown one)
    assert config["runner"]["postScriptGC"] is False
    assert "`runner.postScriptGC = false`" in (ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")
