"""Batch with the real pipeline: every file a reader opens, the portfolio, and two batches at once."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest

from generator.batch import run_batch
from generator.batch.index import MANIFEST
from generator.output import TMP_PREFIX

pytestmark = pytest.mark.slow  # the real pipeline in worker processes and in two briefgen processes

PROFILES = Path(__file__).resolve().parent.parent / "data" / "profiles"
# Three examples keep the suite fast; between them: executive and technical, a knock-out, a stack.
EXAMPLES = {"startup-no-kubernetes": "churn-mvp", "aws-fraud-detection": "fraud-scoring",
            "bank-onprem-airgapped": "nordbank-credit-risk"}
OUTPUTS = tuple(EXAMPLES.values())


def examples(tmp_path: Path) -> Path:
    folder = tmp_path / "profiles"
    folder.mkdir()
    for stem in EXAMPLES:
        (folder / f"{stem}.yaml").write_bytes((PROFILES / f"{stem}.yaml").read_bytes())
    return folder


def readable(folder: Path) -> list[str]:
    """Open every PDF strictly and every DOCX as Word would; return the PDFs' first-page text."""
    texts = []
    for pdf in sorted(folder.glob("*.pdf")):
        reader = pypdf.PdfReader(pdf, strict=True)
        texts.append(reader.pages[0].extract_text())
    for word in sorted(folder.glob("*.docx")):
        with zipfile.ZipFile(word) as z:
            assert z.testzip() is None
        docx.Document(str(word))
    return texts


def test_a_real_batch_of_the_examples_renders_every_pair_and_a_portfolio(tmp_path, capsys):
    """Example profiles render as PDF and DOCX a reader opens; the portfolio lists every project."""
    out = tmp_path / "out"
    assert run_batch([str(examples(tmp_path))], out, None, jobs=2).exit_code == 0
    assert sorted(p.stem for p in out.glob("*.pdf")) == sorted((*OUTPUTS, "portfolio"))
    assert sorted(p.stem for p in out.glob("*.docx")) == sorted((*OUTPUTS, "portfolio"))
    readable(out)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(out / "portfolio.pdf").pages)
    assert "Portfolio of framework recommendations" in text
    rows = json.loads((out / "index.json").read_text())["profiles"]
    for row in rows:
        assert row["project"].split()[0] in text
        assert row["status"] == "rendered" and row["recommendation"]


def test_two_real_batches_writing_the_same_folder_at_once_leave_only_valid_files(tmp_path):
    """Two `briefgen batch` processes on one folder: both succeed and every final file opens."""
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "generator", "batch", str(examples(tmp_path)), "-o", str(out), "--jobs", "1", "--quiet"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]
    assert [code for code, _ in results] == [0, 0], results
    assert len(readable(out)) == len(OUTPUTS) + 1
    assert not list(out.glob(TMP_PREFIX + "*"))
    assert len(json.loads((out / MANIFEST).read_text())["entries"]) == len(OUTPUTS)
    assert len(json.loads((out / "index.json").read_text())["profiles"]) == len(OUTPUTS)
