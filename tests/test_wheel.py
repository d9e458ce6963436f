"""The installed-wheel check: a wheel built from the repository works outside the checkout."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "profiles" / "startup-no-kubernetes.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The wheel, and a fresh virtual environment with only it (and its dependencies) installed."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    # Build from a copy so the checkout's build/ and egg-info cannot leak into the wheel.
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".venv", ".git", "output", "build", "dist",
                                                              "*.egg-info", "__pycache__", ".pytest_cache",
                                                              ".hypothesis", "benchmarks"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(work / "dist"), str(src)],
                   check=True)
    wheel = next((work / "dist").glob("briefgen-*.whl"))
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    return env_dir, wheel


@pytest.fixture(scope="module")
def installed(built) -> Path:
    return built[0]


# The distribution that provides each third-party module generator/ imports.
DISTRIBUTIONS = {"PIL": "pillow", "click": "click", "docx": "python-docx", "lxml": "lxml", "reportlab": "reportlab",
                 "yaml": "pyyaml"}


def third_party_imports() -> set[str]:
    """Top-level modules that generator/ imports and that are neither the standard library nor generator."""
    found = set()
    for path in (ROOT / "generator").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"generator", "__future__"}


@pytest.mark.slow
def test_the_wheel_carries_every_module_its_licence_and_declares_what_it_imports(built):
    """Every module of every stage is packaged, LICENSE is in the metadata, and each library
    generator/ imports is a declared requirement, not a dependency's dependency."""
    _, wheel = built
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        metadata = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode("utf-8")
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "generator").rglob("*.py")}
    assert modules - names == set()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "License-File: LICENSE" in metadata
    required = {re.split(r"[<>=!~; ]", line.split(":", 1)[1].strip())[0].lower()
                for line in metadata.splitlines() if line.startswith("Requires-Dist:")}
    assert {DISTRIBUTIONS[m] for m in third_party_imports()} <= required


@pytest.mark.slow
def test_wheel_contains_knowledge_base_and_templates(installed):
    """The wheel carries data/ and templates/ as package data, read through importlib.resources."""
    code = (
        "from generator.resources import data_dir, templates_dir\n"
        "d = data_dir()\n"
        "print(sorted(p.name for p in d.joinpath('frameworks').iterdir() if p.name.endswith('.yaml')))\n"
        "print(d.joinpath('criteria.yaml').is_file(), any(templates_dir().iterdir()))\n"
    )
    out = subprocess.run([str(installed / "bin" / "python"), "-c", code], capture_output=True, text=True,
                         check=True, cwd=installed).stdout.splitlines()
    assert "'mlflow.yaml'" in out[0] and "'kubeflow.yaml'" in out[0]
    assert out[1] == "True True"


@pytest.mark.slow
def test_installed_briefgen_renders_from_outside_the_checkout(installed, tmp_path):
    """`briefgen render` from the wheel writes a PDF and a DOCX when run from an unrelated folder."""
    profile = tmp_path / "profile.yaml"
    shutil.copy(EXAMPLE, profile)
    result = subprocess.run([str(installed / "bin" / "briefgen"), "render", "profile.yaml", "-f", "pdf,docx",
                             "-o", "out"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["churn-mvp.docx", "churn-mvp.pdf"]
    assert (tmp_path / "out" / "churn-mvp.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "out" / "churn-mvp.docx").read_bytes().startswith(b"PK")
