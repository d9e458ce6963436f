"""The package's shape: each stage imports only what stands below it, and no import cycle exists.

Every import of every module counts, including those inside functions (the lazy
imports that once hid a circle between profile, validate, knowledge and kb_loader).
The stages, from the top: cli -> batch -> pipeline -> brief -> scoring -> knowledge ->
profile; render/ beside them, above only the ground modules every stage shares.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Modules at the ground: shared by every stage, importing only each other.
GROUND = (
    "generator",
    "generator.dates",
    "generator.document",
    "generator.errors",
    "generator.output",
    "generator.resources",
    "generator.sanitize",
    "generator.wording",
)
# What each stage may import (itself included). render/ knows the document model and the
# ground, nothing of scoring; the CLI may import anything.
ALLOWED = {
    "ground": {"ground"},
    "render": {"render", "ground"},
    "profile": {"profile", "ground"},
    "knowledge": {"knowledge", "profile", "ground"},
    "scoring": {"scoring", "knowledge", "profile", "ground"},
    "brief": {"brief", "scoring", "knowledge", "profile", "ground"},
    "pipeline": {"pipeline", "brief", "scoring", "knowledge", "profile", "render", "ground"},
    "batch": {"batch", "pipeline", "brief", "scoring", "knowledge", "profile", "render", "ground"},
    "cli": {"cli", "batch", "pipeline", "brief", "scoring", "knowledge", "profile", "render", "ground"},
}


def modules(root: Path, package: str = "generator") -> dict[str, Path]:
    """Every module of ``package`` under ``root`` by dotted name (a package by its __init__)."""
    out = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, known: dict[str, Path], package: str = "generator") -> set[str]:
    """The package's modules that ``name`` imports anywhere in its file (functions, branches, TYPE_CHECKING)."""
    found = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import sub` imports the submodule; `from pkg import name` the package
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for target in targets:
            if target == package or target.startswith(package + "."):
                while target not in known and "." in target:  # `import pkg.mod.attr` style
                    target = target.rsplit(".", 1)[0]
                found.add(target)
    found.discard(name)
    return found


def graph(root: Path, package: str = "generator") -> dict[str, set[str]]:
    known = modules(root, package)
    return {name: imports(name, path, known, package) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def stage(module: str) -> str | None:
    if module in GROUND:
        return "ground"
    if module in ("generator.cli", "generator.cli_format", "generator.__main__", "generator.launch"):
        return "cli"
    if module == "generator.pipeline":
        return "pipeline"
    head = module.split(".")[1]
    if module.count(".") >= 1 and head in ("profile", "knowledge", "scoring", "brief", "batch", "render"):
        return head
    return None


EDGES = graph(ROOT)


def test_every_module_belongs_to_a_stage():
    """A new module must be placed in a stage (or listed as ground) before it can pass the checks below."""
    assert [m for m in EDGES if stage(m) is None] == []


def test_the_walk_sees_imports_inside_functions():
    """The lazy imports count: pipeline loads the renderers only inside render_bytes."""
    assert {"generator.render.pdf", "generator.render.docx", "generator.render.markdown"} <= EDGES["generator.pipeline"]
    assert "generator.profile.schema" in EDGES["generator.cli"]


def test_no_module_imports_a_stage_above_its_own():
    upward = sorted(
        f"{m} ({stage(m)}) imports {t} ({stage(t)})"
        for m, targets in EDGES.items()
        for t in targets
        if stage(m) and stage(t) and stage(t) not in ALLOWED[stage(m)]
    )
    assert upward == []


def test_there_is_no_import_cycle():
    assert cycles(EDGES) == []


@pytest.mark.parametrize(
    "files, expected",
    [
        # a circle closed by an import inside a function, as profile -> knowledge -> profile was
        ({"a.py": "from pkg import b\n", "b.py": "def f():\n    from pkg.a import x\n"}, [["pkg.a", "pkg.b"]]),
        # a package __init__ that re-exports a module which imports the package back
        ({"__init__.py": "from pkg.a import x\n", "a.py": "import pkg\n"}, [["pkg", "pkg.a"]]),
        ({"a.py": "from pkg import b\n", "b.py": "x = 1\n"}, []),
    ],
)
def test_the_cycle_check_finds_a_hidden_circle(tmp_path, files, expected):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    for name, text in files.items():
        (tmp_path / "pkg" / name).write_text(text)
    assert cycles(graph(tmp_path, "pkg")) == expected
