"""A batch compares itself with the previous run: which projects would now choose differently, and why."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main

PROFILES = Path(__file__).resolve().parent.parent / "data" / "profiles"
NAMES = ("aws-fraud-detection.yaml", "startup-no-kubernetes.yaml", "gcp-managed-first.yaml")


def _batch(capsys, folder: Path, out: Path) -> tuple[str, dict]:
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(folder), "-f", "json", "-o", str(out), "--jobs", "1", "--quiet"])
    assert exc.value.code == 0
    return capsys.readouterr().err, json.loads((out / "index.json").read_text(encoding="utf-8"))


def test_a_second_run_names_exactly_the_edited_project_with_its_cause(tmp_path, capsys):
    folder, out = tmp_path / "profiles", tmp_path / "out"
    folder.mkdir()
    for name in NAMES:
        shutil.copy(PROFILES / name, folder / name)
    first_err, first = _batch(capsys, folder, out)
    assert "since the last run" not in first_err and first["since_last_run"] is None

    edited = folder / "aws-fraud-detection.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("clouds: [aws]", "clouds: [gcp]"), encoding="utf-8")
    err, second = _batch(capsys, folder, out)

    assert second["since_last_run"] == "1 of 3 projects would now choose differently"
    changes = {Path(r["profile"]).name: r["since_last_run"] for r in second["profiles"]}
    assert changes["aws-fraud-detection.yaml"] == {"changed": True, "cause": "profile", "previous_stack": ["sagemaker"]}
    assert [n for n, c in changes.items() if c["changed"]] == ["aws-fraud-detection.yaml"]
    assert {c["cause"] for n, c in changes.items() if n != "aws-fraud-detection.yaml"} == {"none"}
    assert "since the last run: 1 of 3 projects would now choose differently\n" in err
    assert f"  {edited}: sagemaker -> kubeflow + mlflow (a profile edit)\n" in err
