"""The house as its folders say it is: each layer imports only the layers its docstring names, and no module
imports itself back through others.

Every `import` counts, also one inside a function or under `if TYPE_CHECKING`: an arrow is an arrow.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "unionstats"
LAYERS = ("contract", "intake", "compliance", "store", "figures", "writing", "charts", "kinds", "exports", "cli", "ui")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def library() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def imported(path: Path, name: str) -> set[str]:
    """The unionstats modules a file imports, resolved to modules (a name taken from a package is its module when
    the package has such a module)."""
    modules = library()
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("unionstats")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if not base.startswith("unionstats"):
                continue
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return found


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in LAYERS else None


def allowed(layer_name: str) -> set[str]:
    doc = ast.get_docstring(ast.parse((PACKAGE / layer_name / "__init__.py").read_text())) or ""
    said = re.search(r"May import: (.*?)\.?$", doc, re.M)
    assert said, f"unionstats/{layer_name}/__init__.py's docstring does not say what the layer may import"
    words = said.group(1)
    if words.startswith("nothing"):
        return set()
    if words.startswith("every layer but "):
        return set(LAYERS) - {layer_name, *re.findall(r"\w+", words.removeprefix("every layer but "))}
    return set(re.findall(r"\w+", words))


def test_every_module_lives_in_a_layer():
    loose = sorted(m for m in library() if m.count(".") == 1 and m.split(".")[1] not in LAYERS
                   and m not in ("unionstats.__main__",))
    assert not loose, loose


@pytest.mark.parametrize("layer_name", LAYERS)
def test_a_layer_imports_only_the_layers_it_names(layer_name):
    may = allowed(layer_name) | {layer_name}
    wrong = []
    for name, path in library().items():
        if layer(name) != layer_name and name != f"unionstats.{layer_name}":
            continue
        for target in imported(path, name):
            if layer(target) not in may and target != "unionstats":
                wrong.append(f"{name} -> {target}")
    assert not wrong, "\n".join(wrong)


def test_the_layers_say_what_they_may_import_in_order():
    """A layer may name only layers below it: the order of LAYERS is the order of the house."""
    for index, layer_name in enumerate(LAYERS):
        above = set(LAYERS[index + 1:])
        assert not allowed(layer_name) & above - {"cli", "ui"} or layer_name in ("cli", "ui"), layer_name


def test_no_module_imports_itself_back():
    modules = library()
    graph = {name: {t for t in imported(path, name) if t in modules and t != name} for name, path in modules.items()}
    cycles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycles.append(" -> ".join(trail[trail.index(target):] + [target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(cycles)
