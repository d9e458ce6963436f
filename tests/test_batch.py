"""Batch runs: discovery, validation, planning, index, manifest, portfolio and exit codes.

These tests run the real worker pool with a stand-in for ``run_profile`` (fork
inherits the monkeypatch), so they pin the batch's behaviour independently of
the scorer and renderers. They run `briefgen batch` in process, so what the
terminal shows (cli_format's progress bar and summary) is checked with it.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import re
import signal
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from generator.errors import ConfigError

from generator.batch import run as batch
from generator.batch.index import MANIFEST, Row, neutralise
from generator.batch.workers import WORKER_GC_THRESHOLD, from_both_ends, render_all
from generator.cli import main
from generator.cli_format import ProgressBar, safe, summary_table
from generator.output import TMP_PREFIX, publish, target
from generator.pipeline import RunResult
from generator.brief.portfolio import build_portfolio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import gen_profiles  # noqa: E402

PARENT = os.getpid()
KB = SimpleNamespace(
    version="kb-test-1",
    as_of="2026-11-27",
    frameworks={fid: SimpleNamespace(name=fid.title()) for fid in gen_profiles.FRAMEWORKS},
)


def fake_run(path, out_dir, formats=None, *, knowledge_dirs=(), profile=None, reference_docx=None, templates=None):
    """Stands in for run_profile; the project name triggers faults, only inside workers."""
    name = profile.project.name
    log = Path(out_dir).parent / "calls.log"
    if os.getpid() != PARENT:
        with open(log, "a", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(Path(path).name + "\n")
        if "KILLONCE" in name:
            marker = Path(out_dir).parent / "killed-once"
            if not marker.exists():
                marker.write_text("x")
                os.kill(os.getpid(), signal.SIGKILL)
        elif "KILL" in name:
            os.kill(os.getpid(), signal.SIGKILL)
        if "HANG" in name:
            time.sleep(600)
        if "INTERRUPT" in name and not (Path(out_dir).parent / "no-interrupt").exists():
            # a temp file a SIGKILLed writer would leave behind
            (Path(out_dir) / f"{TMP_PREFIX}abandoned.pdf").write_bytes(b"torn")
            os.kill(PARENT, signal.SIGINT)
            time.sleep(600)
        if "TERMINATE" in name:
            os.kill(PARENT, signal.SIGTERM)
            time.sleep(600)
        if "HOG" in name:
            bytearray(2 << 30)
    if "BOOM" in name:
        raise RuntimeError("renderer exploded")
    files = {target(out_dir, profile.output_name, f): f"{f}:{name}".encode() for f in formats or profile.brief.formats}
    publish(files)
    return RunResult(profile=str(path), outputs=tuple(str(p) for p in sorted(files)), primary="mlflow",
                     stack=("mlflow",), margin=12.5, robustness=0.9, verdict="clear")


def fake_render(brief, fmt, **kw):
    projects = next(s for s in brief.sections if s.id == "portfolio-projects")
    return f"{fmt}:{brief.meta.title}:{len(projects.blocks[0].rows)}".encode()


@pytest.fixture(autouse=True)
def stand_ins(monkeypatch):
    monkeypatch.setattr(batch, "load_knowledge", lambda dirs=(): KB)
    monkeypatch.setattr(batch, "run_profile", fake_run)
    monkeypatch.setattr(batch, "render_bytes", fake_render)


def write_profile(folder: Path, stem: str, name: str | None = None, output: str | None = None, seed: int = 0) -> Path:
    data = gen_profiles.valid_profile(__import__("random").Random(seed), seed)
    data["project"]["name"] = name or stem
    data["brief"].pop("output", None)
    if output:
        data["brief"]["output"] = output
    path = folder / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def make_batch(tmp_path: Path, n: int = 6, special: dict[int, str] | None = None) -> Path:
    folder = tmp_path / "profiles"
    folder.mkdir()
    for i in range(n):
        write_profile(folder, f"p{i:02d}", (special or {}).get(i), seed=i)
    return folder


def briefgen(*args: str) -> int:
    """Run the command line in this process (the stand-ins hold); return its exit code."""
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    return exc.value.code


def run(folder, out, *, jobs: int = 2, quiet: bool = True, force: bool = False, timeout: float | None = None,
        memory_cap: int | None = None) -> int:
    """`briefgen batch FOLDER -o OUT` with the given options; the exit code."""
    args = ["batch", str(folder), "-o", str(out), "--jobs", str(jobs)]
    args += ["--quiet"] * quiet + ["--force"] * force
    if timeout is not None:
        args += ["--timeout", str(timeout)]
    if memory_cap is not None:
        args += ["--memory-limit", str(memory_cap >> 20)]
    return briefgen(*args)


def index(out: Path) -> list[dict]:
    return json.loads((out / "index.json").read_text())["profiles"]


def calls(tmp_path: Path) -> list[str]:
    log = tmp_path / "calls.log"
    return log.read_text().split() if log.exists() else []


# ----------------------------------------------------------------- discovery


def test_discover_takes_yaml_files_of_a_folder_not_its_subfolders_nor_hidden_files(tmp_path):
    """A folder yields its own *.yaml and *.yml files, sorted, without subfolders or dotfiles."""
    (tmp_path / "b.yml").write_text("x")
    (tmp_path / "a.yaml").write_text("x")
    (tmp_path / ".#a.yaml").write_text("x")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.yaml").write_text("x")
    assert [p.name for p in batch.discover([str(tmp_path)])] == ["a.yaml", "b.yml"]


def test_discover_expands_globs_and_deduplicates_by_resolved_path(tmp_path, monkeypatch):
    """The same file named by a folder, a glob and a relative path is rendered once."""
    (tmp_path / "a.yaml").write_text("x")
    (tmp_path / "b.yaml").write_text("x")
    monkeypatch.chdir(tmp_path)
    found = batch.discover([str(tmp_path), "*.yaml", "a.yaml", "./b.yaml"])
    assert [p.resolve() for p in found] == [(tmp_path / "a.yaml").resolve(), (tmp_path / "b.yaml").resolve()]


def test_discover_keeps_a_link_to_another_profile_as_an_input_of_its_own(tmp_path):
    """A link in the folder to a profile beside it is a second input, named after itself (it vanished without a word);
    the same name reached through a linked folder is still one."""
    (tmp_path / "good.yaml").write_text("x")
    (tmp_path / "samelink.yaml").symlink_to("good.yaml")
    (tmp_path.parent / f"{tmp_path.name}-alias").symlink_to(tmp_path)
    found = batch.discover([str(tmp_path), str(tmp_path.parent / f"{tmp_path.name}-alias" / "good.yaml")])
    assert [p.name for p in found] == ["good.yaml", "samelink.yaml"]


def test_an_input_that_matches_nothing_is_a_usage_error_and_nothing_is_written(tmp_path, capsys):
    """A missing folder, a glob matching nothing and a folder without profiles are told apart; exit 2,
    before the output folder is even created."""
    out = tmp_path / "out"
    (tmp_path / "empty").mkdir()
    code = briefgen("batch", str(tmp_path / "nope"), str(tmp_path / "*.yaml"), str(tmp_path / "empty"), "-o", str(out))
    assert code == 2
    assert not out.exists()
    assert capsys.readouterr().err == (
        f"briefgen: error: no such folder: {tmp_path / 'nope'}\n"
        f"briefgen: error: {tmp_path / '*.yaml'} matches no files\n"
        f"briefgen: error: {tmp_path / 'empty'} has no .yaml or .yml files\n"
    )


@pytest.mark.parametrize(
    "option, message",
    [
        (["--timeout", "nan"], "Invalid value for '--timeout': nan is not a number of seconds."),
        (["--timeout", "inf"], "Invalid value for '--timeout': inf is not in the range 0.1<=x<=86400."),
        (["--timeout", "3000000"], "Invalid value for '--timeout': 3000000.0 is not in the range 0.1<=x<=86400."),
        (["--memory-limit", "99999999999999"],
         "Invalid value for '--memory-limit': 99999999999999 is not in the range 256<=x<=1048576."),
    ],
)
def test_a_limit_beyond_what_the_workers_can_take_is_a_usage_error(tmp_path, capsys, option, message):
    """A timeout poll() cannot wait for or a memory cap setrlimit cannot set is refused before any work."""
    out = tmp_path / "out"
    assert briefgen("batch", str(tmp_path), "-o", str(out), *option) == 2
    assert capsys.readouterr().err == f"briefgen: error: {message} (see 'briefgen batch --help')\n"
    assert not out.exists()


# ----------------------------------------------------------------- the normal run


def test_batch_renders_valid_profiles_reports_invalid_ones_and_exits_1(tmp_path, capsys):
    """Every valid profile gets its files; each invalid one is reported and listed; exit code 1."""
    folder = make_batch(tmp_path, 6)
    (folder / "zz-broken.yaml").write_text("schema_version: 1\nproject: {name: Broken\n")
    (folder / "zz-list.yaml").write_text("- a\n- b\n")
    out = tmp_path / "out"
    assert run(folder, out) == 1
    rows = index(out)
    assert [r["status"] for r in rows] == ["rendered"] * 6 + ["invalid"] * 2
    assert len(list(out.glob("*.pdf"))) == 7 and len(list(out.glob("*.docx"))) == 7  # 6 briefs + portfolio
    err = capsys.readouterr().err
    assert f"{folder / 'zz-broken.yaml'}" in err and f"{folder / 'zz-list.yaml'}" in err
    assert rows[0]["recommendation"] == "mlflow" and rows[0]["outputs"] == ["p00.docx", "p00.pdf"]
    assert rows[6]["error"].startswith(str(folder / "zz-broken.yaml"))
    assert not list(out.glob(TMP_PREFIX + "*"))


def test_a_folder_or_fifo_named_like_a_profile_fails_alone_with_its_reason(tmp_path):
    """Named *.yaml but no file: each is listed as invalid with why (a FIFO never hangs the batch), and the
    profiles beside them are rendered."""
    folder = make_batch(tmp_path, 2)
    (folder / "zz-folder.yaml").mkdir()
    os.mkfifo(folder / "zz-pipe.yaml")
    out = tmp_path / "out"
    assert run(folder, out) == 1
    rows = index(out)
    assert [r["status"] for r in rows] == ["rendered", "rendered", "invalid", "invalid"]
    assert [r["error"] for r in rows[2:]] == [
        f"{folder / 'zz-folder.yaml'}: is a folder, not a file",
        f"{folder / 'zz-pipe.yaml'}: is not a regular file",
    ]


def test_a_link_that_leads_out_of_the_folder_fails_alone_before_it_is_read(tmp_path):
    """A link in the profiles folder to a file outside it is refused unread (nothing of the target reaches the
    messages or the index); a link inside the folder is read, and so is an outside link named on the command line."""
    folder = make_batch(tmp_path, 1)
    secret = tmp_path / "secret.txt"
    secret.write_text("API_KEY=sk-12345secret\n")
    (folder / "secret.yaml").symlink_to(secret)
    (folder / "twin.yaml").symlink_to(folder / "p00.yaml")
    out = tmp_path / "out"
    assert run(folder, out) == 1
    rows = {Path(r["profile"]).name: r for r in index(out)}
    assert rows["secret.yaml"]["status"] == "invalid"
    assert rows["secret.yaml"]["error"] == (f"{folder / 'secret.yaml'}: is a symbolic link that leads out of its "
                                            "folder; copy the file into it or name it on the command line")
    assert "API_KEY" not in (out / "index.json").read_text() + (out / "index.csv").read_text()
    assert rows["p00.yaml"]["status"] == "rendered"
    named = tmp_path / "named.yaml"
    named.symlink_to(folder / "p00.yaml")
    assert run(named, tmp_path / "out2") == 0


def test_a_file_name_that_is_not_utf8_keeps_the_index_and_manifest(tmp_path):
    """A profile whose name holds a byte that is not UTF-8 (a zip unpacked from Windows) renders, and the index,
    manifest and CSV are still written, as valid UTF-8 with the byte shown as U+FFFD."""
    folder = make_batch(tmp_path, 1)
    odd = os.fsdecode(bytes(folder / "p00.yaml").replace(b"p00", b"bad\xff"))
    write_profile(folder, "p01", output="odd-one").rename(odd)
    out = tmp_path / "out"
    assert run(folder, out) == 0
    for name in ("index.json", "index.csv", MANIFEST):
        (out / name).read_bytes().decode("utf-8")  # raises if not valid UTF-8
    assert "bad\ufffd.yaml" in (out / "index.json").read_text(encoding="utf-8")


def test_a_record_nested_deeper_than_json_reads_is_read_as_absent(tmp_path):
    """A manifest or index of 5,000 nested lists (10 KB) left in the output folder is ignored, not a crash."""
    from generator.batch.index import INDEX_JSON, read_baseline, read_manifest

    deep = "[" * 5000 + "]" * 5000
    (tmp_path / MANIFEST).write_text(deep)
    (tmp_path / INDEX_JSON).write_text(deep)
    assert read_manifest(tmp_path) == {} and read_baseline(tmp_path) == {}


def test_a_clean_batch_exits_0_and_writes_index_and_portfolio_paths_on_stdout(tmp_path, capsys):
    """Exit 0 when all rendered; stdout lists the index files and the portfolio, nothing else."""
    out = tmp_path / "out"
    assert run(make_batch(tmp_path, 6), out) == 0
    assert capsys.readouterr().out.splitlines() == [
        str(out / "index.json"), str(out / "index.csv"), str(out / "portfolio.docx"), str(out / "portfolio.pdf"),
    ]
    assert (out / "portfolio.pdf").read_bytes() == b"pdf:Portfolio of framework recommendations:6"


def test_a_profile_that_raises_fails_alone(tmp_path):
    """An exception in one profile's pipeline is reported for it; the others render."""
    out = tmp_path / "out"
    assert run(make_batch(tmp_path, 6, {2: "BOOM"}), out) == 1
    rows = index(out)
    assert [r["status"] for r in rows].count("rendered") == 5
    assert rows[2]["status"] == "failed" and rows[2]["error"] == "RuntimeError: renderer exploded"


def test_the_library_prints_nothing_and_tells_its_listener(tmp_path, capsys):
    """run_batch writes no terminal output; problems and progress reach the listener, in order."""

    class Record(batch.Listener):
        def __init__(self):
            self.events = []

        def problem(self, text):
            self.events.append(("problem", text.split(":")[0]))

        def started(self, total):
            self.events.append(("started", total))

        def finished_one(self, ok):
            self.events.append(("one", ok))

        def finished(self):
            self.events.append(("finished",))

    folder = make_batch(tmp_path, 4, {2: "BOOM"})
    (folder / "zz-broken.yaml").write_text("- a\n")
    heard = Record()
    report = batch.run_batch([str(folder)], tmp_path / "out", jobs=1, listener=heard)
    assert capsys.readouterr() == ("", "")
    assert report.exit_code == 1 and [r.status for r in report.rows] == ["rendered"] * 2 + ["failed", "rendered", "invalid"]
    assert heard.events[:2] == [("problem", str(folder / "zz-broken.yaml")), ("started", 4)]
    assert ("problem", str(folder / "p02.yaml")) in heard.events
    assert sorted(e for e in heard.events if e[0] == "one") == [("one", False)] + [("one", True)] * 3
    assert heard.events[-1] == ("finished",)


def test_problems_print_above_a_terminal_bar_and_plainly_before_or_after_it(monkeypatch):
    """Before rendering starts and after it ends a problem is a plain line; during it, the bar is redrawn below."""
    monkeypatch.setenv("TERM", "xterm")  # a CI runner may say dumb

    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    p = ProgressBar(stream, False)
    p.problem("before")
    p.started(2)
    p.finished_one(True)
    p.problem("during")
    p.finished_one(True)
    p.finished()
    p.problem("after")
    text = stream.getvalue()
    assert text.startswith("briefgen: error: before\n\r\x1b[K[") and text.endswith("s left\nbriefgen: error: after\n")
    assert "\r\x1b[Kbriefgen: error: during\n\r\x1b[K[###############..............." in text


def test_summary_table_counts_statuses_and_lists_problems():
    """The stderr summary gives a count per status and one line per problem input."""
    rows = [Row("a.yaml", "rendered"), Row("b.yaml", "skipped"), Row("c.yaml", "invalid", error="c.yaml:2: bad\nmore")]
    assert summary_table(rows, 1.23, 2) == (
        "batch: 3 profiles in 1.2 s with 2 workers\n"
        "  rendered         1\n"
        "  skipped          1\n"
        "  invalid          1\n"
        "  profile  status      first problem\n"
        "  c.yaml   invalid     c.yaml:2: bad"
    )


def test_progress_prints_plain_lines_when_not_a_terminal_and_nothing_when_quiet():
    """Without a terminal, progress is a line per tenth; --quiet prints none."""
    plain, quiet = io.StringIO(), io.StringIO()
    for stream, q in ((plain, False), (quiet, True)):
        p = ProgressBar(stream, q)
        p.started(20)
        for _ in range(20):
            p.finished_one(True)
        p.finished()
    lines = plain.getvalue().splitlines()
    assert len(lines) == 10 and lines[0].startswith("progress: 2/20 briefs, ") and lines[-1].startswith("progress: 20/20")
    assert quiet.getvalue() == ""


def test_progress_is_a_redrawn_bar_on_a_terminal(monkeypatch):
    """On a terminal the bar redraws one line in place and ends with a newline."""
    monkeypatch.setenv("TERM", "xterm")  # a CI runner may say dumb

    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    p = ProgressBar(stream, False)
    p.started(4)
    for _ in range(4):
        p.finished_one(True)
    p.finished()
    last = stream.getvalue().split("\r\x1b[K")[-1]
    assert last.startswith("[##############################] 4/4 briefs, ") and last.endswith(" s left\n")


def test_terminal_output_shows_control_characters_instead_of_obeying_them():
    """An escape sequence in a profile's text cannot clear the screen or fake output."""
    assert safe("ok\x1b[2J\rx\n") == "ok\\x1b[2J\\rx\n"


def test_validating_in_two_processes_reports_the_same_problems_in_input_order(tmp_path, capsys, monkeypatch):
    """With a helper validating from the back, statuses, problems and their order are those of one process."""
    folder = make_batch(tmp_path, 8)
    for name in ("a-broken.yaml", "m-broken.yaml", "zz-broken.yaml"):
        (folder / name).write_text("- a\n- b\n")

    def problems(jobs: int, out: Path) -> tuple[list, list]:
        assert run(folder, out, jobs=jobs) == 1
        lines = [line for line in capsys.readouterr().err.splitlines() if "top level" in line]
        return [(r["profile"], r["status"], r["error"]) for r in index(out)], lines

    monkeypatch.setattr(batch, "HELPER_MIN", 2)
    two = problems(2, tmp_path / "two")
    one = problems(1, tmp_path / "one")
    assert two == one
    # as found (the summary at the end repeats them)
    found = [re.search(r"[\w-]+\.yaml", line)[0] for line in two[1][:3]]
    assert found == ["a-broken.yaml", "m-broken.yaml", "zz-broken.yaml"]


def test_both_ends_do_every_index_once_in_order_and_the_helper_takes_a_share(tmp_path):
    """from_both_ends returns work(i) in order; the forked helper's share comes back from its process."""
    parent = os.getpid()
    front = []

    def work(i: int) -> tuple[int, bool]:
        time.sleep(0.01)
        return i, os.getpid() == parent

    results = from_both_ends(40, work, on_front=lambda i, r: front.append(i))
    assert [i for i, _ in results] == list(range(40))
    assert front == [i for i, here in results if here] == list(range(len(front)))
    assert 0 < len(front) < 40


def test_both_ends_do_the_helpers_share_when_the_helper_dies():
    """A helper killed mid-way costs time, not results: the parent does what it left."""
    parent = os.getpid()

    def work(i: int) -> int:
        if os.getpid() != parent and i == 30:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.005)
        return i * i

    assert from_both_ends(40, work) == [i * i for i in range(40)]


def test_workers_collect_garbage_less_often_than_the_default():
    """Workers run with the raised collector threshold (a brief frees nearly everything by reference counting)."""
    seen = []
    render_all({0: (0,)}, seen.append, run=lambda task: ("ok", task[0], gc.get_threshold()), jobs=1, timeout=None)
    assert seen[0][2] == WORKER_GC_THRESHOLD != gc.get_threshold()


# ----------------------------------------------------------------- names


def test_two_profiles_with_the_same_output_name_both_fail_before_rendering(tmp_path, capsys):
    """A clash fails every party with a message naming the other file; nothing of theirs is written."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    a = write_profile(folder, "a", output="same")
    b = write_profile(folder, "b", output="SAME")
    write_profile(folder, "c")
    out = tmp_path / "out"
    assert run(folder, out) == 1
    rows = {r["profile"]: r for r in index(out)}
    assert rows[str(a)]["status"] == rows[str(b)]["status"] == "invalid"
    assert rows[str(a)]["error"] == (
        f"{a}: brief.output: same.pdf and same.docx would also be written by {b}; give each profile its own brief.output"
    )
    assert rows[str(folder / "c.yaml")]["status"] == "rendered"
    assert not list(out.glob("same.*")) and not list(out.glob("SAME.*"))
    assert calls(tmp_path) == ["c.yaml"]


def test_a_profile_cannot_overwrite_the_portfolio_or_the_index(tmp_path):
    """Output names the batch itself writes are reserved."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    p = write_profile(folder, "p", output="portfolio")
    out = tmp_path / "out"
    assert run(folder, out) == 1
    assert index(out)[0]["error"] == (
        f"{p}: brief.output: portfolio.pdf and portfolio.docx are reserved for the batch's index and portfolio; "
        "give each profile its own brief.output"
    )


# ----------------------------------------------------------------- resuming


def test_a_second_run_skips_up_to_date_briefs_and_force_renders_them_again(tmp_path):
    """Same profile, knowledge base, tool and formats: skipped; --force renders all again."""
    folder = make_batch(tmp_path, 6)
    out = tmp_path / "out"
    assert run(folder, out) == 0
    assert len(calls(tmp_path)) == 6
    assert run(folder, out) == 0
    assert len(calls(tmp_path)) == 6
    rows = index(out)
    assert {r["status"] for r in rows} == {"skipped"}
    assert rows[0]["recommendation"] == "mlflow"  # remembered from the run that rendered it
    assert run(folder, out, force=True) == 0
    assert len(calls(tmp_path)) == 12


def test_a_changed_profile_a_deleted_output_or_a_new_kb_version_render_again(tmp_path, monkeypatch):
    """Only briefs whose inputs changed or whose files are gone are rendered again."""
    folder = make_batch(tmp_path, 6)
    out = tmp_path / "out"
    run(folder, out)
    (folder / "p01.yaml").write_text((folder / "p01.yaml").read_text() + "# edited\n")
    (out / "p02.pdf").unlink()
    run(folder, out)
    assert sorted(calls(tmp_path)[6:]) == ["p01.yaml", "p02.yaml"]
    monkeypatch.setattr(batch, "load_knowledge", lambda dirs=(): SimpleNamespace(**{**vars(KB), "version": "kb-2"}))
    run(folder, out)
    assert len(calls(tmp_path)) == 14


def test_a_brief_overwritten_or_cut_short_since_it_was_written_is_rendered_again(tmp_path):
    """A brief replaced by other bytes (another render under its name, a crash) is not trusted as up to date: only a
    deleted one was noticed, and the index vouched for an 8-byte file."""
    folder = make_batch(tmp_path, 4)
    out = tmp_path / "out"
    run(folder, out)
    (out / "p01.pdf").write_bytes(b"garbage\n")
    first = (out / "p02.pdf").read_bytes()
    (out / "p02.pdf").write_bytes(first[: len(first) // 2])
    run(folder, out)
    assert sorted(calls(tmp_path)[4:]) == ["p01.yaml", "p02.yaml"]
    run(folder, out)
    assert len(calls(tmp_path)) == 6


def test_a_link_that_loops_fails_alone_and_a_pipe_named_on_the_command_line_too(tmp_path):
    """A looping link in a folder, or a pipe named as an input, is one invalid profile with its reason, not an
    internal error that stops the batch."""
    folder = make_batch(tmp_path, 2)
    (folder / "zz-loop.yaml").symlink_to("zz-loop.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    out = tmp_path / "out"
    assert briefgen("batch", str(folder), str(tmp_path / "pipe.yaml"), "-o", str(out), "-q") == 1
    rows = {Path(r["profile"]).name: r for r in index(out)}
    assert [rows[n]["status"] for n in ("p00.yaml", "p01.yaml", "zz-loop.yaml", "pipe.yaml")] == [
        "rendered", "rendered", "invalid", "invalid"]
    assert rows["zz-loop.yaml"]["error"] == f"{folder / 'zz-loop.yaml'}: cannot read the file (Too many levels of symbolic links)"
    assert rows["pipe.yaml"]["error"] == f"{tmp_path / 'pipe.yaml'}: is not a regular file"


def test_pipes_named_like_the_batch_records_neither_hang_it_nor_stop_it(tmp_path):
    """index.json and the manifest as named pipes in the output folder: read as absent, then replaced."""
    folder = make_batch(tmp_path, 2)
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "index.json")
    os.mkfifo(out / MANIFEST)
    assert run(folder, out) == 0
    assert (out / "index.json").is_file() and (out / MANIFEST).is_file()


def test_a_pipe_among_a_profiles_own_templates_does_not_hang_the_batch(tmp_path):
    """The up-to-date key reads a profile's template files as the renderer does: a pipe named theme.yaml is
    skipped there (the profile's render reports it), so the batch finishes."""
    folder = make_batch(tmp_path, 2)
    (folder / "tdir").mkdir()
    os.mkfifo(folder / "tdir" / "theme.yaml")
    (folder / "tdir" / "executive.yaml").write_text("audience: executive\n", encoding="utf-8")
    data = yaml.safe_load((folder / "p00.yaml").read_text(encoding="utf-8"))
    data["brief"]["templates"] = "tdir"
    (folder / "p00.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    def hung(signum, frame):
        raise AssertionError("the batch waited for a writer on the pipe")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    start = time.monotonic()
    try:
        assert run(folder, tmp_path / "out") in (0, 1)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - start < 20
    assert len(index(tmp_path / "out")) == 2


def test_a_damaged_manifest_means_render_everything(tmp_path):
    """A manifest that is not valid JSON is ignored rather than trusted or fatal."""
    folder = make_batch(tmp_path, 6)
    out = tmp_path / "out"
    run(folder, out)
    (out / MANIFEST).write_text("{not json")
    assert run(folder, out) == 0
    assert len(calls(tmp_path)) == 12


def test_stale_temporary_files_of_a_killed_run_are_removed_at_start(tmp_path):
    """Leftover temp files go when no other batch is using the folder; final files stay."""
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{TMP_PREFIX}x.p00.pdf").write_bytes(b"torn")
    (out / "keep.pdf").write_bytes(b"mine")
    run(make_batch(tmp_path, 6), out)
    assert not list(out.glob(TMP_PREFIX + "*"))
    assert (out / "keep.pdf").read_bytes() == b"mine"


# ----------------------------------------------------------------- index


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path):
    """A project name starting with = + - @ (or a cell with tab or CR) is prefixed with an apostrophe in index.csv."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    for i, name in enumerate(("=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "plain")):
        write_profile(folder, f"p{i}", name=name, seed=i)
    out = tmp_path / "out"
    run(folder, out)
    with open(out / "index.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["project"] for r in rows] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-1", "'@SUM(A1)", "plain"]
    assert neutralise("\rcmd") == "'\rcmd" and neutralise("\tx") == "'\tx" and neutralise("a=b") == "a=b"
    assert index(out)[0]["project"] == "=HYPERLINK(\"http://x\")"  # JSON keeps the text as written


def test_index_json_lists_every_input_once_with_the_documented_fields(tmp_path):
    """index.json has one entry per input with status, recommendation, margin, robustness, files, time, error,
    the provenance that tells a later run what changed, and the change since the last run."""
    out = tmp_path / "out"
    run(make_batch(tmp_path, 6), out)
    rows = index(out)
    assert len(rows) == 6
    assert set(rows[0]) == {"profile", "status", "project", "organisation", "recommendation", "stack", "margin",
                            "robustness", "verdict", "outputs", "seconds", "error", "kb_version", "profile_digest",
                            "since_last_run"}
    assert rows[0]["stack"] == ["mlflow"] and rows[0]["margin"] == 12.5 and rows[0]["robustness"] == 0.9


def test_index_files_are_the_same_bytes_every_run_under_source_date_epoch(tmp_path, monkeypatch):
    """SOURCE_DATE_EPOCH asks for reproducible outputs: the index leaves out the timings that differ every run."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    folder = make_batch(tmp_path, 3)
    run(folder, tmp_path / "a")
    run(folder, tmp_path / "b")
    for name in ("index.json", "index.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert {row["seconds"] for row in index(tmp_path / "a")} == {None}


def test_index_rows_time_each_profile_when_no_reproducible_date_is_set(tmp_path, monkeypatch):
    """Without SOURCE_DATE_EPOCH each row says how long its profile took."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    run(make_batch(tmp_path, 2), tmp_path / "out")
    assert all(isinstance(row["seconds"], float) for row in index(tmp_path / "out"))


def test_index_json_margin_has_no_binary_float_noise():
    """A margin computed as 2.8999999999999915 is written as the 2.9 the brief prints."""
    assert Row("a.yaml", "rendered", summary={"margin": 91.5 - 88.60000000000001}).to_json()["margin"] == 2.9


# ----------------------------------------------------------------- portfolio


def test_portfolio_is_a_brief_with_one_row_per_project_and_a_count_per_framework():
    """The overview table lists each project; the chart counts recommendations, most frequent first."""
    rows = [
        Row("a.yaml", "rendered", "Alpha", "Org A", summary={"primary": "kubeflow", "stack": ["kubeflow", "mlflow"],
                                                              "margin": 3.25, "robustness": 0.612, "verdict": "leaning"}),
        Row("b.yaml", "skipped", "Beta", "", summary={"primary": "mlflow", "stack": ["mlflow"], "margin": 20.0,
                                                       "robustness": 1.0, "verdict": "clear"}),
        Row("c.yaml", "rendered", "Gamma", "Org C", summary={"primary": "mlflow", "stack": ["mlflow"], "margin": 0.4,
                                                              "robustness": 0.5, "verdict": "too_close"}),
    ]
    brief = build_portfolio(rows, names={"mlflow": "MLflow", "kubeflow": "Kubeflow"}, date="2026-11-27")
    table = brief.sections[1].blocks[0]
    assert table.header == ("Project", "Organisation", "Recommendation", "Stack", "Margin", "Verdict", "Robustness")
    assert table.rows[0] == ("Alpha", "Org A", "Kubeflow", "Kubeflow + MLflow", "3.2 pts", "leaning", "61%")
    assert table.rows[2][5] == "too close to call"
    chart = brief.sections[0].blocks[1]
    assert [(b.label, b.value) for b in chart.bars] == [("MLflow", 2.0), ("Kubeflow", 1.0)]
    assert chart.maximum == 4.0  # four axis steps of whole projects, not 0.5, 1.0, 1.5
    assert chart.value_text(2.0) == "2"
    assert "".join(t.text for t in brief.sections[0].blocks[0].content) == (
        "3 projects; 2 different recommendations. Most often recommended: MLflow (2 of 3)."
    )


def test_portfolio_lists_the_projects_that_moved_since_the_last_run_with_the_cause_in_words():
    """One row per changed project, after the summary; no section at all without a previous run."""
    def row(name, stack, change):
        return Row(f"{name}.yaml", "rendered", name, "", summary={"primary": stack[0], "stack": stack}, change=change)

    rows = [
        row("Alpha", ["mlflow"], {"changed": True, "cause": "knowledge", "previous_stack": ["kubeflow", "mlflow"]}),
        row("Beta", ["mlflow"], {"changed": False, "cause": "profile", "previous_stack": ["mlflow"]}),
        row("Gamma", ["kubeflow"], {"changed": True, "cause": "both", "previous_stack": ["mlflow"]}),
    ]
    names = {"mlflow": "MLflow", "kubeflow": "Kubeflow"}
    brief = build_portfolio(rows, names=names, date="2026-11-27", changes="2 of 3 projects would now choose differently")
    section = brief.sections[1]
    assert (section.id, section.title) == ("portfolio-changes", "Since the last run")
    assert "".join(t.text for t in section.blocks[0].content) == (
        "2 of 3 projects would now choose differently since the last run."
    )
    assert section.blocks[1].header == ("Project", "Previous pick", "New pick", "Cause")
    assert section.blocks[1].rows == (
        ("Alpha", "Kubeflow + MLflow", "MLflow", "a knowledge-base update"),
        ("Gamma", "MLflow", "Kubeflow", "a profile edit and a knowledge-base update"),
    )
    assert [s.id for s in build_portfolio(rows, names=names, date="2026-11-27").sections] == [
        "portfolio-summary", "portfolio-projects",
    ]


# ----------------------------------------------------------------- configuration errors


def test_an_output_path_that_is_a_file_is_a_configuration_error(tmp_path, capsys):
    """A file where the output folder should be: exit 2, the file untouched, one clear line."""
    out = tmp_path / "out"
    out.write_bytes(b"keep")
    folder = make_batch(tmp_path, 6)
    with pytest.raises(ConfigError, match="^" + re.escape(f"{out}: the output path is not a folder") + "$"):
        batch.run_batch([str(folder)], out)
    assert run(folder, out) == 2  # the command line refuses it as a bad -o value, before the library
    assert out.read_bytes() == b"keep"
    err = capsys.readouterr().err
    assert err.startswith("briefgen: error: ") and f"{out}" in err and len(err.splitlines()) == 1
    assert calls(tmp_path) == []


def test_a_read_only_output_folder_is_a_configuration_error_and_nothing_is_written(tmp_path, capsys, monkeypatch):
    """Read-only is simulated with os.access (tests run as root, which ignores permission bits)."""
    out = tmp_path / "out"
    out.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == out and mode & os.W_OK
                        else real_access(p, mode, **kw))
    assert run(make_batch(tmp_path, 6), out) == 2
    assert list(out.iterdir()) == []
    assert capsys.readouterr().err == f"briefgen: error: {out}: the output folder is not writable\n"


def test_the_cli_passes_the_batch_exit_code_through(tmp_path):
    """`briefgen batch` exits with run_batch's code (here 2: nothing matched)."""
    from generator.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["batch", str(tmp_path / "nothing-here"), "-o", str(tmp_path / "out")])
    assert exc.value.code == 2


def test_a_memory_limit_below_a_workers_starting_size_is_refused_before_any_work(tmp_path, capsys):
    """--memory-limit too small to start a worker: exit 2 with the size to allow, nothing written."""
    from generator.cli import main

    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(make_batch(tmp_path, 6)), "-o", str(out), "--memory-limit", "256"])
    assert exc.value.code == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert err.startswith("briefgen: error: --memory-limit 256 MiB is too small: a worker starts with about ") and "allow at least" in err


def test_a_tampered_manifest_entry_is_not_trusted(tmp_path):
    """Entries naming files outside the folder, or not a list of names, mean render again."""
    folder = make_batch(tmp_path, 6)
    out = tmp_path / "out"
    run(folder, out)
    data = json.loads((out / MANIFEST).read_text())
    data["entries"]["p00"]["files"] = ["../profiles/p00.yaml"]
    data["entries"]["p01"]["files"] = [1, 2]
    (out / MANIFEST).write_text(json.dumps(data))
    assert run(folder, out) == 0
    assert sorted(calls(tmp_path)[6:]) == ["p00.yaml", "p01.yaml"]


def test_the_portfolio_chart_labels_frameworks_by_the_short_names_a_briefs_chart_uses():
    """A long display name is shortened as in a brief's chart, so no label is cut off with an ellipsis."""
    rows = [Row("a.yaml", "rendered", "Alpha", "", summary={"primary": "vertex_ai", "stack": ["vertex_ai"],
                                                             "margin": 9.0, "robustness": 1.0, "verdict": "clear"}),
            Row("b.yaml", "rendered", "Beta", "", summary={"primary": "dvc", "stack": ["dvc", "mlflow"],
                                                            "margin": 3.0, "robustness": 0.9, "verdict": "leaning"})]
    names = {"vertex_ai": "Gemini Enterprise Agent Platform (Vertex AI)", "dvc": "DVC (Data Version Control)",
             "mlflow": "MLflow"}
    chart = build_portfolio(rows, names=names, date="2026-11-27").sections[0].blocks[1]
    assert [b.label for b in chart.bars] == ["DVC", "Agent Platform (Vertex AI)"]
