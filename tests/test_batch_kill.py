"""A real `briefgen batch` killed with SIGKILL: no worker outlives it, and a rerun finishes the job."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest

from generator.batch.index import MANIFEST
from generator.output import TMP_PREFIX
from readers import require

PROFILES = Path(__file__).resolve().parent.parent / "data" / "profiles"
COUNT = 200  # the manifest is first saved ~2 s in (MANIFEST_EVERY), and the two workers must still be busy then:
# 40 profiles were too few, and 200 copies of a four-page executive brief too (they render at ~100 a second),
# so the copies are of a technical brief (~18 pages, several times slower)


def many_profiles(tmp_path: Path, count: int = COUNT) -> Path:
    """``count`` copies of one example, each with its own brief.output."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    text = (PROFILES / "bank-onprem-airgapped.yaml").read_text(encoding="utf-8")
    assert "output: nordbank-credit-risk" in text and "audience: technical" in text
    for i in range(count):
        (folder / f"p{i:03d}.yaml").write_text(text.replace("output: nordbank-credit-risk", f"output: b{i:03d}"), encoding="utf-8")
    return folder


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def start_batch(folder: Path, out: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "generator", "batch", str(folder), "-o", str(out), "--jobs", "2", "--quiet"]
    # its own session: the batch and its workers form one process group we can find afterwards
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def wait_for_briefs(out: Path, proc: subprocess.Popen, at_least: int, limit: float = 120) -> None:
    """Until ``at_least`` briefs are published and the manifest (saved every few seconds) records some."""
    deadline = time.monotonic() + limit
    while len(list(out.glob("b*.pdf"))) < at_least or not (out / MANIFEST).exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "the batch wrote no brief in time"
        time.sleep(0.05)


def assert_every_file_valid(out: Path) -> None:
    qpdf = require("qpdf")
    for pdf in sorted(out.glob("*.pdf")):
        pypdf.PdfReader(pdf, strict=True).pages[0].extract_text()
        check = subprocess.run([qpdf, "--check", str(pdf)], capture_output=True, text=True)
        assert check.returncode == 0, (pdf.name, check.stdout, check.stderr)
    for word in sorted(out.glob("*.docx")):
        with zipfile.ZipFile(word) as z:
            assert z.testzip() is None
        docx.Document(str(word))


def kill_mid_run(tmp_path: Path) -> tuple[Path, Path, int]:
    folder, out = many_profiles(tmp_path), tmp_path / "out"
    proc = start_batch(folder, out)
    wait_for_briefs(out, proc, at_least=4)
    assert len(group_members(proc.pid)) >= 3, "the batch should be running its two workers"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return folder, out, proc.pid


@pytest.mark.slow
def test_workers_exit_when_the_batch_is_killed(tmp_path):
    """SIGKILL of the batch process (as the OOM killer does it): no worker is left 3 s later."""
    _, _, pgid = kill_mid_run(tmp_path)
    time.sleep(3)
    assert group_members(pgid) == []


@pytest.mark.slow
def test_a_batch_killed_mid_run_resumes_and_every_file_is_valid(tmp_path):
    """The rerun skips what was published before the kill, renders the rest, and every file opens."""
    folder, out, _ = kill_mid_run(tmp_path)
    published = {p.stem for p in out.glob("b*.pdf")}
    rerun = subprocess.run([sys.executable, "-m", "generator", "batch", str(folder), "-o", str(out), "--quiet"],
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    rows = json.loads((out / "index.json").read_text())["profiles"]
    statuses = {r["status"] for r in rows}
    assert statuses <= {"skipped", "rendered"} and "skipped" in statuses, statuses
    assert len(rows) == COUNT
    assert sorted(p.stem for p in out.glob("b*.pdf")) == [f"b{i:03d}" for i in range(COUNT)]
    assert sorted(p.stem for p in out.glob("b*.docx")) == [f"b{i:03d}" for i in range(COUNT)]
    assert published <= {p.stem for p in out.glob("b*.pdf")}
    assert not list(out.glob(TMP_PREFIX + "*"))
    assert_every_file_valid(out)
