"""The installed-wheel check: a wheel built from the repository works outside the checkout."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "profiles" / "startup-no-kubernetes.yaml"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with only the built wheel (and its dependencies) installed."""
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
    return env_dir


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
