"""Fault drills with the real pipeline: a full disk. (Read-only and file-as-folder outputs, two batches
at once, killed workers, Ctrl-C and SIGTERM are drilled in test_batch*.py, SIGKILL in test_batch_kill.py.)

A size-limited filesystem needs root-only mounts that fail in containers, so the disk fills up
through an injected fsync that fails with ENOSPC for briefgen's temporary files, as a full disk does.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from generator.cli import main
from generator.output import TMP_PREFIX

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "profiles" / "startup-no-kubernetes.yaml"


@pytest.fixture
def full_disk(monkeypatch):
    real_fsync = os.fsync

    def fsync(fd):
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(TMP_PREFIX):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def cli(*args: str) -> int:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    return exc.value.code


@pytest.mark.slow
def test_render_on_a_full_disk_says_so_and_leaves_nothing(tmp_path, capsys, full_disk):
    out = tmp_path / "out"
    assert cli("render", str(EXAMPLE), "-f", "pdf,md", "-o", str(out)) == 1
    assert capsys.readouterr().err == f"briefgen: error: {out}/churn-mvp.md: cannot be written (No space left on device)\n"
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_a_batch_on_a_full_disk_fails_each_profile_leaves_nothing_partial_and_a_rerun_finishes(
        tmp_path, capsys, monkeypatch, full_disk):
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "out"
    assert cli("batch", str(folder), "-o", str(out), "-f", "md", "--jobs", "1", "--quiet") == 1
    err = capsys.readouterr().err
    assert f"briefgen: error: {folder}/a.yaml: failed: {out}/churn-mvp.md: cannot be written (No space left on device)" in err
    assert err.rstrip().endswith("cannot be written (No space left on device)")
    assert list(out.iterdir()) == []

    monkeypatch.undo()  # space freed
    assert cli("batch", str(folder), "-o", str(out), "-f", "md", "--jobs", "1", "--quiet") == 0
    assert sorted(p.name for p in out.iterdir()) == [".briefgen-manifest.json", "churn-mvp.md", "index.csv", "index.json"]
