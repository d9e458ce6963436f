"""Faults a batch must survive: killed workers, hangs, memory hogs, Ctrl-C, recycling, a second batch.

The faults are triggered by the stand-in pipeline of test_batch (by project
name, and only inside worker processes), never by hooks in production code.
"""

from __future__ import annotations

import json
import multiprocessing

import pytest

from generator.batch import run as batch
from generator.batch.index import MANIFEST
from generator.output import TMP_PREFIX
from test_batch import calls, index, make_batch, run, stand_ins  # noqa: F401  (stand_ins is an autouse fixture)

pytestmark = pytest.mark.slow  # real worker processes killed, hung and interrupted: seconds each


def test_a_worker_killed_mid_batch_fails_only_its_profile(tmp_path, capsys):
    """A profile whose worker is SIGKILLed twice is 'crashed'; every other profile renders."""
    out = tmp_path / "out"
    assert run(make_batch(tmp_path, 12, {5: "KILL"}), out) == 1
    rows = index(out)
    assert [r["status"] for r in rows] == ["rendered"] * 5 + ["crashed"] + ["rendered"] * 6
    assert rows[5]["error"] == "the worker process was killed by SIGKILL twice while rendering this profile"
    assert calls(tmp_path).count("p05.yaml") == 2
    assert not list(out.glob(TMP_PREFIX + "*"))
    assert f"{rows[5]['profile']}: crashed: the worker process was killed by SIGKILL twice" in capsys.readouterr().err


def test_a_worker_killed_once_is_rebuilt_and_the_profile_retried(tmp_path):
    """One kill (say the OOM killer picked it) costs a retry, not a failure: exit 0."""
    out = tmp_path / "out"
    assert run(make_batch(tmp_path, 8, {3: "KILLONCE"}), out, jobs=1) == 0
    assert {r["status"] for r in index(out)} == {"rendered"}
    assert sorted(calls(tmp_path)) == sorted([f"p{i:02d}.yaml" for i in range(8)] + ["p03.yaml"])


def test_a_profile_that_exceeds_the_timeout_is_stopped_and_the_rest_finish(tmp_path):
    """A hanging profile is stopped after --timeout seconds and reported as 'timeout'."""
    out = tmp_path / "out"
    assert run(make_batch(tmp_path, 6, {1: "HANG"}), out, timeout=1.0) == 1
    rows = index(out)
    assert [r["status"] for r in rows] == ["rendered", "timeout"] + ["rendered"] * 4
    assert rows[1]["error"] == "stopped after 1 s (the time limit per profile; see --timeout)"


def test_a_profile_over_the_memory_cap_fails_with_a_clear_message(tmp_path):
    """RLIMIT_AS turns a runaway allocation into MemoryError in that profile only."""
    out = tmp_path / "out"
    assert run(make_batch(tmp_path, 6, {4: "HOG"}), out, memory_cap=1 << 30) == 1
    rows = index(out)
    assert rows[4]["status"] == "failed"
    assert rows[4]["error"] == "ran out of memory (each worker may use 1 GiB)"
    assert [r["status"] for r in rows].count("rendered") == 5


def test_workers_are_recycled_and_every_profile_still_renders_once(tmp_path):
    """With a fresh fork every 2 briefs, 8 profiles need 4 workers and each renders exactly once."""
    out = tmp_path / "out"
    report = batch.run_batch([str(make_batch(tmp_path, 8))], out, jobs=1, recycle_after=2)
    stats = report.pool
    assert report.exit_code == 0
    assert stats.workers_started == 4
    assert [served for served, _, _ in stats.workers] == [2, 2, 2, 2]
    assert sorted(calls(tmp_path)) == [f"p{i:02d}.yaml" for i in range(8)]


def test_an_interrupted_batch_exits_130_cleans_up_and_a_rerun_finishes_only_the_rest(tmp_path, capsys):
    """Ctrl-C: temp files removed, index and manifest record what finished; the next run does the rest."""
    folder = make_batch(tmp_path, 8, {3: "INTERRUPT"})
    out = tmp_path / "out"
    assert run(folder, out, jobs=1) == 130
    rows = index(out)
    assert [r["status"] for r in rows] == ["rendered"] * 3 + ["interrupted"] * 5
    assert rows[3]["error"] == "not rendered: the batch was interrupted"
    assert not list(out.glob(TMP_PREFIX + "*"))
    assert not (out / "portfolio.pdf").exists()
    assert sorted(json.loads((out / MANIFEST).read_text())["entries"]) == ["p00", "p01", "p02"]
    assert capsys.readouterr().err.endswith("interrupted\n")

    (tmp_path / "no-interrupt").write_text("x")
    first = len(calls(tmp_path))
    assert run(folder, out, jobs=1) == 0
    assert sorted(calls(tmp_path)[first:]) == [f"p{i:02d}.yaml" for i in range(3, 8)]
    assert [r["status"] for r in index(out)] == ["skipped"] * 3 + ["rendered"] * 5


def test_sigterm_stops_a_batch_like_ctrl_c(tmp_path):
    """A cancelled CI job (SIGTERM to briefgen) exits 130 with the index of what finished."""
    out = tmp_path / "out"
    assert run(make_batch(tmp_path, 6, {2: "TERMINATE"}), out, jobs=1) == 130
    assert [r["status"] for r in index(out)] == ["rendered"] * 2 + ["interrupted"] * 4
    assert not list(out.glob(TMP_PREFIX + "*"))


def _batch_in_child(folder, out, code):
    code.value = run(folder, out, force=True)


def test_two_batches_writing_the_same_folder_at_once_leave_only_complete_files(tmp_path):
    """Both finish; every final file is one writer's complete output; no temp files; manifest readable."""
    folder = make_batch(tmp_path, 12)
    out = tmp_path / "out"
    out.mkdir()
    ctx = multiprocessing.get_context("fork")
    codes = [ctx.Value("i", -1), ctx.Value("i", -1)]
    procs = [ctx.Process(target=_batch_in_child, args=(folder, out, c)) for c in codes]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [c.value for c in codes] == [0, 0]
    for i in range(12):
        name = json.loads((out / "index.json").read_text())["profiles"][i]["project"]
        assert (out / f"p{i:02d}.pdf").read_bytes() == f"pdf:{name}".encode()
        assert (out / f"p{i:02d}.docx").read_bytes() == f"docx:{name}".encode()
    assert not list(out.glob(TMP_PREFIX + "*"))
    assert len(json.loads((out / MANIFEST).read_text())["entries"]) == 12


def test_a_stop_during_a_rows_bookkeeping_waits_until_the_row_and_manifest_agree():
    """Ctrl-C arriving while a finished profile is being recorded is held until the recording ends, then stops."""
    import os
    import signal

    steps = []
    with pytest.raises(KeyboardInterrupt):
        with batch.signals_held():
            os.kill(os.getpid(), signal.SIGINT)
            steps.append("status set")
            steps.append("manifest entry added")
        steps.append("after the block")  # never reached: the held Ctrl-C stops it here
    assert steps == ["status set", "manifest entry added"]


def test_a_stop_that_reaches_a_forked_process_before_its_own_handlers_ends_it_quietly():
    """A worker stopped while it is still starting runs the parent's inherited handler: it exits at once with
    128 + the signal and prints nothing (it printed a KeyboardInterrupt traceback), while the process that loaded
    briefgen still stops by KeyboardInterrupt, cleaning up on the way out."""
    import os
    import signal

    from generator.errors import interrupt

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: stderr into the pipe, then the inherited handler
        os.dup2(write, 2)
        try:
            interrupt(signal.SIGTERM, None)
        finally:
            os._exit(99)  # reached only if the handler returned or raised
    os.close(write)
    _, status = os.waitpid(pid, 0)
    printed = os.read(read, 4096)
    os.close(read)
    assert os.waitstatus_to_exitcode(status) == 128 + signal.SIGTERM and printed == b""
    with pytest.raises(KeyboardInterrupt):
        interrupt(signal.SIGTERM, None)
