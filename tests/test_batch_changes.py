"""A batch compares itself with the previous run: which projects would now choose differently, and why."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
import yaml

from generator.cli import main

PROFILES = Path(__file__).resolve().parent.parent / "data" / "profiles"
NAMES = ("aws-fraud-detection.yaml", "startup-no-kubernetes.yaml", "gcp-managed-first.yaml")


def _batch(capsys, folder: Path, out: Path, fmt: str = "json") -> tuple[str, dict]:
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(folder), "-f", fmt, "-o", str(out), "--jobs", "1", "--quiet"])
    assert exc.value.code == 0
    return capsys.readouterr().err, json.loads((out / "index.json").read_text(encoding="utf-8"))


def _copies(tmp_path: Path) -> Path:
    folder = tmp_path / "profiles"
    folder.mkdir()
    for name in NAMES:
        shutil.copy(PROFILES / name, folder / name)
    return folder


def _move_to_gcp(profile: Path) -> None:
    profile.write_text(profile.read_text(encoding="utf-8").replace("clouds: [aws]", "clouds: [gcp]"), encoding="utf-8")


def _docx_text(path: Path) -> list[str]:
    """The portfolio's paragraphs, then each table row's cells joined by " | "."""
    import docx

    doc = docx.Document(str(path))
    return [p.text for p in doc.paragraphs] + [
        " | ".join(c.text for c in row.cells) for table in doc.tables for row in table.rows
    ]


def _csv(path: Path) -> dict[str, dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return {Path(r["profile"]).name: r for r in csv.DictReader(fh)}


def test_a_second_run_names_exactly_the_edited_project_with_its_cause(tmp_path, capsys):
    folder, out = _copies(tmp_path), tmp_path / "out"
    first_err, first = _batch(capsys, folder, out)
    assert "since the last run" not in first_err and first["since_last_run"] is None

    edited = folder / "aws-fraud-detection.yaml"
    _move_to_gcp(edited)
    err, second = _batch(capsys, folder, out)

    assert second["since_last_run"] == "1 of 3 projects would now choose differently"
    changes = {Path(r["profile"]).name: r["since_last_run"] for r in second["profiles"]}
    assert changes["aws-fraud-detection.yaml"] == {"changed": True, "cause": "profile", "previous_stack": ["sagemaker"]}
    assert [n for n, c in changes.items() if c["changed"]] == ["aws-fraud-detection.yaml"]
    assert {c["cause"] for n, c in changes.items() if n != "aws-fraud-detection.yaml"} == {"none"}
    assert "since the last run: 1 of 3 projects would now choose differently\n" in err
    assert f"  {edited}: sagemaker -> kubeflow + mlflow (a profile edit)\n" in err


def test_the_portfolio_and_index_csv_show_exactly_the_edited_project(tmp_path, capsys):
    folder, out = _copies(tmp_path), tmp_path / "out"
    _batch(capsys, folder, out, "docx")
    first = _docx_text(out / "portfolio.docx")
    assert "Since the last run" not in first and not any("would now choose differently" in t for t in first)
    assert {r["changed"] for r in _csv(out / "index.csv").values()} == {""}

    _move_to_gcp(folder / "aws-fraud-detection.yaml")
    _batch(capsys, folder, out, "docx")

    text = _docx_text(out / "portfolio.docx")
    assert "Since the last run" in text
    assert "1 of 3 projects would now choose differently since the last run." in text
    fraud = yaml.safe_load((folder / "aws-fraud-detection.yaml").read_text(encoding="utf-8"))["project"]["name"]
    start = text.index("Project | Previous pick | New pick | Cause")
    assert text[start + 1:start + 3] == [
        f"{fraud} | Amazon SageMaker AI | Kubeflow + MLflow | a profile edit",
        "Project | Organisation | Recommendation | Stack | Margin | Verdict | Robustness",  # the next table
    ]
    rows = _csv(out / "index.csv")
    assert {n: (r["changed"], r["previous_stack"], r["cause"]) for n, r in rows.items()} == {
        "aws-fraud-detection.yaml": ("yes", "sagemaker", "profile"),
        "startup-no-kubernetes.yaml": ("no", rows["startup-no-kubernetes.yaml"]["stack"], "none"),
        "gcp-managed-first.yaml": ("no", rows["gcp-managed-first.yaml"]["stack"], "none"),
    }
