"""Knowledge about frameworks lives in data/, never in Python: no framework id in generator/ code (issue 15).

The one exception is the list of known ids itself, profile/model.py FRAMEWORK_IDS. Docstrings and comments may
name frameworks to explain; string constants (f-string parts too), names, attributes, arguments and keywords
may not.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from generator.profile.model import FRAMEWORK_IDS

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
THE_LIST = (PACKAGE / "profile" / "model.py", "FRAMEWORK_IDS")
WORD = re.compile(r"[A-Za-z0-9_]+")


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                out.add(id(first.value))
    return out


def _the_list(path: Path, tree: ast.AST) -> set[int]:
    """The nodes of the FRAMEWORK_IDS assignment in profile/model.py (allowed)."""
    if path != THE_LIST[0]:
        return set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == THE_LIST[1] for t in targets):
                return {id(n) for n in ast.walk(node.value)}
    raise AssertionError(f"{THE_LIST[1]} is no longer assigned in {path.name}")


def framework_ids_in_code(path: Path, source: str) -> list[str]:
    """Each place in ``source`` where a framework id is used as code, as "file:line: id (what)"."""
    tree = ast.parse(source)
    skip = _docstrings(tree) | _the_list(path, tree)
    ids = set(FRAMEWORK_IDS)
    found = []

    def hit(node: ast.AST, words, what: str) -> None:
        for word in sorted(set(words) & ids):
            found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {word} ({what})")

    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            hit(node, WORD.findall(node.value), "string")
        elif isinstance(node, ast.Name):
            hit(node, [node.id], "name")
        elif isinstance(node, ast.Attribute):
            hit(node, [node.attr], "attribute")
        elif isinstance(node, ast.arg):
            hit(node, [node.arg], "argument")
        elif isinstance(node, ast.keyword) and node.arg:
            hit(node, [node.arg], "keyword")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            hit(node, [node.name], "definition")
        elif isinstance(node, ast.alias):
            hit(node, [(node.asname or node.name).split(".")[-1]], "import")
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_framework_id_appears_in_generator_code(path):
    """Every framework id in generator/ code is in the list of known ids, a docstring or a comment."""
    assert framework_ids_in_code(path, path.read_text(encoding="utf-8")) == []


def test_the_check_finds_ids_in_strings_names_and_f_strings_but_not_in_docstrings_or_comments():
    """The check itself: what it must catch, and what it must let through."""
    source = '''"""MLflow and mlflow in a module docstring are fine."""
# kubeflow in a comment is fine
def pick(wandb):
    """A docstring may say sagemaker."""
    if fw.id == "kubeflow":
        return f"use {name} with vertex_ai"
    return azure_ml.score
'''
    found = framework_ids_in_code(PACKAGE / "scoring" / "example.py", source)
    assert sorted(found) == [
        "generator/scoring/example.py:3: wandb (argument)",
        "generator/scoring/example.py:5: kubeflow (string)",
        "generator/scoring/example.py:6: vertex_ai (string)",
        "generator/scoring/example.py:7: azure_ml (name)",
    ]
    model = PACKAGE / "profile" / "model.py"
    assert framework_ids_in_code(model, model.read_text(encoding="utf-8")) == []
