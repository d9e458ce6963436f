"""Many profiles in one run: find them, validate them all, render the rest in isolated workers.

Why a small worker loop of our own (batch/workers.py) rather than ProcessPoolExecutor: with fork
it cannot recycle workers on 3.11 (max_tasks_per_child needs spawn), one killed
worker breaks every pending future, and it cannot stop one hung task. Here each
worker is a process forked from a warmed-up parent (renderers imported, fonts
registered, knowledge base loaded) with its own pipe; the parent knows which
profile each worker is on, so a crash or a timeout fails that profile only and
the rest of its chunk is requeued.

Policies (each pinned by a test):
- Every input gets one status: rendered, skipped (up to date), invalid (found
  before rendering: loader problems, output-name clashes), failed (an error or
  MemoryError while rendering), timeout, crashed (its worker died twice), or
  interrupted (Ctrl-C or SIGTERM came first).
- Profiles that would write the same file (case-insensitively), or a file the
  batch writes itself (index, manifest, portfolio), all fail: none is chosen
  silently.
- Up to date means the manifest records the same hash of profile bytes, logo,
  output name, formats, tool version, knowledge-base version and
  SOURCE_DATE_EPOCH, and the files still exist.
- Two batches may write one folder at once: files are replaced atomically (last
  writer wins, every file complete); stale temporary files are removed only by
  a batch that holds the folder's lock alone.
"""

from __future__ import annotations

import fcntl
import functools
import glob
import importlib
import os
import signal
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from generator import __version__, dates
from generator.batch.index import (
    INDEX_CSV,
    INDEX_JSON,
    MANIFEST,
    OK_STATUSES,
    Row,
    compare_with_baseline,
    file_stamp,
    input_key,
    is_up_to_date,
    read_baseline,
    read_manifest,
    update_manifest,
    write_index,
)
from generator.batch.workers import (
    MEMORY_CAP,
    RECYCLE_AFTER,
    PoolStats,
    check_memory_cap,
    from_both_ends,
    render_all,
    size_text,
)
from generator.brief.portfolio import BASE_NAME as PORTFOLIO, build_portfolio
from generator.brief.templating import TemplateSet, load_template_dir
from generator.errors import (EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, BriefgenError, ConfigError, InputError,
                              restore_handlers, shown, stop_like_ctrl_c, warning_line)
from generator.knowledge.loader import load_knowledge
from generator.output import TMP_PREFIX, check_output_dir, extension, publish, signals_held, target
from generator.pipeline import render_bytes, run_profile
from generator.profile.files import load_profile
from generator.profile.yamlsafe import read_limited
from generator.resources import TEMPLATE_FILES
from generator.sanitize import utf8

MANIFEST_EVERY = 2.0  # seconds between manifest writes, so a killed batch resumes near where it stopped
PROFILE_SUFFIXES = (".yaml", ".yml")
PORTFOLIO_FORMATS = ("pdf", "docx")
HELPER_MIN = 64  # profiles below which validating in a second process costs more than it saves
RESERVED = (INDEX_JSON, INDEX_CSV, MANIFEST, f"{PORTFOLIO}.pdf", f"{PORTFOLIO}.docx")


# --------------------------------------------------------------------------- finding inputs


def discover(inputs: Iterable[str]) -> list[Path]:
    """Profiles named by folders (their *.yaml/*.yml, not recursive), globs or files.

    Sorted and deduplicated by resolved path. An input that matches nothing is a
    usage error, since a mistyped folder would otherwise pass unnoticed; a folder
    that does not exist, a glob that matches no profile and a folder without one
    are told apart, all of them in one error.
    """
    found: dict[Path, Path] = {}
    problems = []
    for spec in inputs:
        spec = str(spec)
        path = Path(spec)
        hits: list[Path] = []
        try:
            if path.is_dir():
                hits = [p for p in sorted(path.iterdir()) if _is_profile_file(p)]
                problem = f"{spec} has no .yaml or .yml files"
            elif glob.has_magic(spec):
                hits = [Path(p) for p in sorted(glob.glob(spec)) if _is_profile_file(Path(p))]
                problem = f"{spec} matches no files"
            elif path.exists() or path.is_symlink():
                # A file named on the command line is a profile whatever it is (a pipe, a link that loops or
                # leads nowhere): it fails alone with its reason, as one found in a folder does.
                hits = [path]
            else:
                problem = f"no such folder: {spec}"
        except OSError as exc:  # an unreadable folder
            problem = f"{spec}: cannot be read ({exc.strerror or exc})"
        if not hits:
            problems.append(problem)
        for hit in hits:
            found.setdefault(_identity(hit), hit)
    if problems:
        raise ConfigError(problems)
    return [found[k] for k in sorted(found)]


def _identity(p: Path) -> Path:
    """What tells two inputs apart: the name in its folder, the folder resolved (a file reached through a folder
    and through a glob is one input). A link to another profile is an input of its own, named after itself: the
    user listed two files, and one of them vanished from the batch without a word."""
    try:
        return p.parent.resolve() / p.name
    except (OSError, RuntimeError):  # RuntimeError: a symbolic-link loop, on Python before 3.13
        return p.absolute()


def _is_profile_file(p: Path) -> bool:
    # Hidden files are editor backups and lock files, not profiles. Anything else named like a profile is
    # one, even a folder or a FIFO: it then fails alone with its reason instead of vanishing from the batch.
    return p.suffix.lower() in PROFILE_SUFFIXES and not p.name.startswith(".")


# --------------------------------------------------------------------------- planning


@dataclass
class Item:
    """One input on its way through the batch."""

    row: Row
    path: Path
    profile: object = None
    formats: tuple[str, ...] = ()
    base: str = ""
    files: tuple[str, ...] = ()
    key: str = ""


def _leads_out(path: Path) -> bool:
    """Whether ``path`` is a symbolic link to something outside its own folder (or one that cannot be resolved)."""
    if not path.is_symlink():
        return False
    try:
        return not path.resolve().is_relative_to(path.parent.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symbolic-link loop, on Python before 3.13
        return False  # fails alone when read, with its own reason


def _check(path: Path, kb_ids: tuple[str, ...], out: Path, formats: tuple[str, ...] | None, context: str,
           templates_dir: Path | None, named: frozenset[str] = frozenset()) -> tuple:
    """One profile validated: ("ok", profile, formats, output base, file names, project, organisation, key),
    or ("invalid", the problem in one sentence). A link found in a folder that leads out of it is refused before
    it is read, as knowledge folders refuse one: anyone who can put a link into a shared profiles folder would
    otherwise have the first line of any file the batch can read copied into its messages and index. A file
    named on the command line (``named``) is read wherever it leads."""
    if str(path) not in named and _leads_out(path):
        return ("invalid", shown(f"{path}: is a symbolic link that leads out of its folder; copy the file into it "
                                 "or name it on the command line"))
    try:
        data = read_limited(path)  # as the loader reads it: a FIFO must not hang the batch
        profile = load_profile(path, known_frameworks=kb_ids)
        fmts = tuple(formats or profile.brief.formats)
        base = profile.output_name
        files = tuple(target(out, base, extension(fmt)).name for fmt in fmts)
        key = input_key(data, base=base, formats=fmts, context=context, logo=_logo_bytes(profile),
                        templates=_templates_bytes(profile.brief.templates or templates_dir))
    except InputError as exc:
        return ("invalid", str(exc))
    except ConfigError as exc:  # an output name that is not a plain file name
        return ("invalid", shown(f"{path}: brief.output: {exc}"))
    except OSError as exc:
        return ("invalid", shown(f"{path}: cannot read profile: {exc.strerror or exc}"))
    except Exception as exc:  # a loader bug must not hide the other inputs' problems
        return ("invalid", shown(f"{path}: {type(exc).__name__}: {exc}"))
    return ("ok", profile, fmts, base, files, profile.project.name or "", profile.project.organisation or "", key)


def plan(paths: list[Path], out: Path, formats: tuple[str, ...] | None, kb, *, force: bool,
         echo: Callable[[str], None], templates_dir: Path | None = None, helper: bool = False,
         warm: Callable[[Item], None] | None = None, named: frozenset[str] = frozenset()) -> list[Item]:
    """Validate every profile, detect output-name clashes and up-to-date briefs; ``echo`` each problem.

    Returns one Item per input, in input order; those still ``pending`` need rendering.
    With ``helper``, a forked process validates from the back of the list while this
    one validates from the front (the batch then has a core for each). ``warm`` is
    called here with the first valid profile that is not up to date, as soon as it
    is found, so the warm-up overlaps the rest of the validation.
    """
    context = "\0".join((__version__, kb.version, dates.setting()))
    manifest = {} if force else read_manifest(out)
    kb_ids = tuple(kb.frameworks)
    items = [Item(Row(str(path)), path) for path in paths]

    def fill(i: int, result: tuple) -> None:
        item = items[i]
        if result[0] == "ok":
            _, item.profile, item.formats, item.base, item.files, item.row.project, item.row.organisation, item.key = result
        else:
            item.row.status = "invalid"
            item.row.error = result[1]

    warmed = [warm is None]

    def on_front(i: int, result: tuple) -> None:
        if not warmed[0] and result[0] == "ok":
            fill(i, result)
            if not is_up_to_date(manifest.get(items[i].base), items[i].key, out):
                warmed[0] = True
                warm(items[i])

    results = from_both_ends(len(paths), lambda i: _check(paths[i], kb_ids, out, formats, context, templates_dir, named),
                             on_front=on_front, helper=helper and len(paths) >= HELPER_MIN)
    for i, result in enumerate(results):
        fill(i, result)
        if result[0] != "ok":
            echo(result[1])
    _reject_clashes([i for i in items if i.row.status == "pending"], echo)
    for item in items:
        if item.row.status == "pending" and is_up_to_date(manifest.get(item.base), item.key, out):
            entry = manifest[item.base]
            item.row.status = "skipped"
            item.row.outputs = tuple(entry["files"])
            item.row.summary = dict(entry.get("summary") or {})
    return items


# The brief's own inputs are read for the up-to-date key as the renderer reads them: a pipe named like
# one must not hang the batch, nor a huge file fill the parent's memory, before the profile fails alone.
HASHED_MAX_BYTES = 32 << 20


def _logo_bytes(profile) -> bytes | None:
    logo = getattr(profile.brief, "logo", None)
    try:
        return read_limited(logo, HASHED_MAX_BYTES) if logo else None
    except InputError:
        return None  # the renderer reports a missing or odd logo; the hash just cannot include it


def _templates_bytes(folder: Path | None) -> bytes:
    """The template files a brief is made with, so an edited template makes the brief out of date."""
    if folder is None:
        return b""
    out = []
    for name in TEMPLATE_FILES:
        try:
            data = read_limited(Path(folder) / name, HASHED_MAX_BYTES)
        except InputError:
            continue  # absent: the bundled file, covered by the version in the context (anything odd fails later)
        out += [utf8(name), len(data).to_bytes(8, "big"), data]
    return b"".join(out)


def _invalid(item: Item, message: str, echo: Callable[[str], None]) -> None:
    item.row.status = "invalid"
    item.row.error = message
    echo(message)


def _reject_clashes(items: list[Item], echo: Callable[[str], None]) -> None:
    """Fail every profile whose output file another profile (or the batch itself) would write.

    All parties fail rather than the first winning: which one is "first" only
    depends on file names, and silently dropping a brief is worse than asking for
    a distinct ``brief.output``. Names compare case-insensitively, as they would
    on macOS or Windows.
    """
    owners: dict[str, list[Item]] = {}
    for item in items:
        for name in item.files:
            owners.setdefault(name.casefold(), []).append(item)
    reserved = {name.casefold() for name in RESERVED}
    for item in items:
        shared = [n for n in item.files if len(owners[n.casefold()]) > 1]
        taken = [n for n in item.files if n.casefold() in reserved]
        reasons = []
        if shared:
            others = sorted({str(o.path) for n in shared for o in owners[n.casefold()] if o is not item})
            reasons.append(f"{_and(shared)} would also be written by {_and(others)}")
        if taken:
            reasons.append(f"{_and(taken)} {'is' if len(taken) == 1 else 'are'} reserved for the batch's index and portfolio")
        if reasons:
            _invalid(item, shown(f"{item.path}: brief.output: {'; '.join(reasons)}; give each profile its own brief.output"),
                     echo)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# --------------------------------------------------------------------------- one task in a worker


def _run_task(task: tuple, out_dir: Path, knowledge_dirs: tuple[str, ...], memory_cap: int | None,
              templates: TemplateSet | None = None) -> tuple:
    """Render one profile; every outcome becomes a message, never an exception."""
    i, path, formats, profile = task
    started = time.perf_counter()
    try:
        result = run_profile(path, out_dir, formats, knowledge_dirs=knowledge_dirs, profile=profile, templates=templates)
    except MemoryError:
        msg = f"ran out of memory (each worker may use {size_text(memory_cap)})" if memory_cap else "ran out of memory"
    except BriefgenError as exc:
        msg = str(exc)
    except Exception as exc:
        msg = f"{type(exc).__name__}: {exc}"
    else:
        summary = {
            "primary": result.primary,
            "stack": list(result.stack),
            "margin": result.margin,
            "robustness": result.robustness,
            "verdict": result.verdict,
            "kb_version": result.kb_version,
            "profile_digest": result.profile_digest,
        }
        files = tuple(Path(p).name for p in result.outputs)
        return ("ok", i, summary, files, tuple(result.warnings), time.perf_counter() - started)
    return ("error", i, msg, time.perf_counter() - started)


# --------------------------------------------------------------------------- the folder


class FolderLock:
    """A shared flock on the output folder while a batch runs there.

    Stale temporary files (of a killed run) are removed only under the exclusive
    lock, i.e. when no other batch is writing the same folder; their temp files
    are live, and deleting them would fail their renames.
    """

    def __init__(self, out: Path):
        self.out = out
        self.fd = os.open(out, os.O_RDONLY)

    def clean_if_alone(self) -> int:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fcntl.flock(self.fd, fcntl.LOCK_SH)
            return 0
        removed = 0
        for p in self.out.glob(glob.escape(TMP_PREFIX) + "*"):
            try:
                p.unlink()
                removed += 1
            except OSError:
                pass
        fcntl.flock(self.fd, fcntl.LOCK_SH)
        return removed

    def close(self) -> None:
        os.close(self.fd)


# --------------------------------------------------------------------------- what the caller hears


class Listener:
    """What a batch tells its caller while it runs. This one says nothing; the CLI's
    progress bar (generator.cli_format.ProgressBar) prints."""

    def problem(self, text: str) -> None:
        """A line a person must see: an invalid profile, a failed brief, a renderer's warning."""

    def started(self, total: int) -> None:
        """Validation is over; ``total`` briefs are to be rendered (up-to-date ones are not counted)."""

    def finished_one(self, ok: bool) -> None:
        """One brief is done: rendered (``ok``) or failed."""

    def finished(self) -> None:
        """Rendering is over, also after an interruption; the index and portfolio come next."""


# --------------------------------------------------------------------------- the batch


@dataclass
class BatchReport:
    rows: list[Row]
    exit_code: int
    wall: float = 0.0
    jobs: int = 0
    pool: PoolStats = field(default_factory=PoolStats)
    written: list[Path] = field(default_factory=list)  # index and portfolio files
    phases: dict[str, float] = field(default_factory=dict)  # seconds: plan (warm_up included), warm_up, render, finish
    changes: str = ""  # "3 of 120 projects would now choose differently"; "" without a previous run


def warm_up(sample: Item | None, knowledge_dirs: tuple[str, ...], templates: TemplateSet | None = None) -> None:
    """Do once in the parent what each worker would otherwise do on its first brief.

    Importing the renderers, registering fonts and reading templates then happen
    before the fork, and every worker inherits the result. A throw-away brief
    goes through the real pipeline into a temporary folder: that is the only
    way to warm exactly what rendering needs without knowing the renderers'
    internals. A failure here is left for the real run to report.
    """
    for module in ("generator.render.pdf", "generator.render.docx"):
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    if sample is None:
        return
    with tempfile.TemporaryDirectory(prefix="briefgen-warm-") as tmp:
        try:
            run_profile(sample.path, Path(tmp), sample.formats, knowledge_dirs=knowledge_dirs, profile=sample.profile,
                        templates=templates)
        except Exception:
            pass


def _cores() -> int:
    """Cores this process may use (a CI container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1


def _write_portfolio(out: Path, rows: list[Row], formats: tuple[str, ...], kb, changes: str) -> list[Path]:
    done = [r for r in rows if r.status in OK_STATUSES and r.summary.get("primary")]
    if not done or not formats:
        return []
    names = {fid: fw.name for fid, fw in kb.frameworks.items()}
    brief = build_portfolio(done, names=names, date=dates.today().isoformat(), kb_as_of=getattr(kb, "as_of", ""),
                            changes=changes)
    files = {target(out, PORTFOLIO, fmt): render_bytes(brief, fmt) for fmt in formats}
    publish(files)
    return sorted(files)


def run_batch(inputs: Iterable[str], output_dir: str | Path, formats: tuple[str, ...] | None = None, *,
              knowledge_dirs: tuple[str, ...] = (), jobs: int | None = None, force: bool = False,
              timeout: float | None = 60.0, memory_cap: int | None = MEMORY_CAP,
              recycle_after: int = RECYCLE_AFTER, listener: Listener | None = None,
              templates_dir: Path | None = None) -> BatchReport:
    """Render every profile named by ``inputs`` into ``output_dir``; write the index and the portfolio.

    Raises ConfigError (exit 2) before any work when the batch cannot start (no inputs, an
    unusable output folder or knowledge base, a memory cap too small). Everything else is in
    the report: a status per input and the exit code (0 all rendered or up to date, 1 some
    invalid or failed, 130 interrupted). Problems and progress go to ``listener`` as they happen.
    ``templates_dir`` is an edited templates folder for every profile without its own brief.templates.
    """
    listener = listener or Listener()
    echo = listener.problem
    started = time.monotonic()

    paths = discover(inputs)
    check_memory_cap(memory_cap)
    out = check_output_dir(output_dir)
    try:
        kb = load_knowledge(knowledge_dirs)
    except BriefgenError as exc:
        raise ConfigError(["the knowledge base cannot be used:", *str(exc).splitlines()]) from None
    templates = load_template_dir(templates_dir) if templates_dir is not None else None
    lock = FolderLock(out)
    interrupted = False
    pool = PoolStats()
    try:
        lock.clean_if_alone()
        phases = {"warm_up": 0.0}

        def warm(sample: Item) -> None:
            mark = time.monotonic()
            warm_up(sample, knowledge_dirs, templates)
            phases["warm_up"] = time.monotonic() - mark

        jobs = jobs or _cores()
        # The warm-up runs inside the validation, while a helper validates the far end of the list.
        items = plan(paths, out, formats, kb, force=force, echo=echo, templates_dir=templates_dir, helper=jobs > 1,
                     warm=warm, named=frozenset(str(Path(str(s))) for s in inputs))
        phases["plan"] = time.monotonic() - started
        todo = {n: it for n, it in enumerate(items) if it.row.status == "pending"}
        jobs = max(1, min(jobs, len(todo) or 1))
        listener.started(len(todo))
        done: dict[str, dict] = {}
        dropped: set[str] = set()
        last_save = [time.monotonic()]

        def save_manifest(force_now: bool = False) -> None:
            if (done or dropped) and (force_now or time.monotonic() - last_save[0] > MANIFEST_EVERY):
                update_manifest(out, done, dropped)
                done.clear()
                dropped.clear()
                last_save[0] = time.monotonic()

        def report(msg: tuple) -> None:
            # Never between a row's status and the manifest entry that lets a rerun skip it (the index said
            # rendered, the manifest did not). Only the parent runs this, and it has no other thread a held signal
            # could be delivered to.
            with signals_held():
                _record(msg)

        def _record(msg: tuple) -> None:
            item = todo[msg[1]]
            row = item.row
            if msg[0] == "ok":
                _, _, row.summary, row.outputs, warnings, row.seconds, _ = msg
                row.status = "rendered"
                done[item.base] = {"key": item.key, "profile": row.profile, "files": list(row.outputs),
                                   "stamps": {name: file_stamp(out / name) for name in row.outputs},
                                   "summary": row.summary}
                dropped.discard(item.base)
                for w in warnings:
                    listener.problem(warning_line(row.profile, w))
            else:
                row.status = "failed" if msg[0] == "error" else msg[0]
                row.error = msg[2]
                if msg[0] == "error":
                    row.seconds = msg[3]
                dropped.add(item.base)
                done.pop(item.base, None)
                listener.problem(f"{row.profile}: {row.status}: {row.error}")
            listener.finished_one(row.status == "rendered")
            save_manifest()

        if todo:
            tasks = {n: (n, str(it.path), it.formats, it.profile) for n, it in todo.items()}
            mark = time.monotonic()
            # A CI job being cancelled (SIGTERM), or a closed terminal (SIGHUP), deserves the same clean stop as Ctrl-C.
            on_term = stop_like_ctrl_c()
            try:
                run = functools.partial(_run_task, out_dir=out, knowledge_dirs=knowledge_dirs, memory_cap=memory_cap,
                                        templates=templates)
                render_all(tasks, report, run=run, jobs=jobs, timeout=timeout,
                           memory_cap=memory_cap, recycle_after=recycle_after, stats=pool)
            except KeyboardInterrupt:
                interrupted = True
            finally:
                restore_handlers(on_term)
                phases["render"] = time.monotonic() - mark
        listener.finished()
        mark = time.monotonic()
        # A second Ctrl-C must not lose the record of what finished.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            for it in items:
                if it.row.status == "pending":
                    it.row.status = "interrupted"
                    it.row.error = "not rendered: the batch was interrupted"
            save_manifest(force_now=True)
            lock.clean_if_alone()
            rows = [it.row for it in items]
            changes = compare_with_baseline(rows, read_baseline(out))
            meta = {"tool": "briefgen", "version": __version__, "kb_version": kb.version,
                    "formats": list(formats) if formats else None, "since_last_run": changes or None}
            written = list(write_index(out, rows, meta))
            code = EXIT_INTERRUPTED if interrupted else EXIT_OK if all(r.status in OK_STATUSES for r in rows) else EXIT_INPUT
            if not interrupted:
                wanted = tuple(f for f in (formats or PORTFOLIO_FORMATS) if f in PORTFOLIO_FORMATS)
                try:
                    written += _write_portfolio(out, rows, wanted, kb, changes)
                except Exception as exc:
                    echo(f"portfolio: {type(exc).__name__}: {exc}")
                    code = EXIT_INPUT
        finally:
            signal.signal(signal.SIGINT, previous)
    finally:
        lock.close()
    phases["finish"] = time.monotonic() - mark
    return BatchReport(rows, code, time.monotonic() - started, jobs, pool, written, phases, changes)
