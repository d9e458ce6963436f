"""Where outputs go: safe names inside the output folder, written atomically."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import tempfile
from pathlib import Path

from generator.errors import ConfigError, OutputError, stop_signals

TMP_PREFIX = ".tmp-briefgen-"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_base_name(text: str, max_bytes: int = 100) -> str:
    """A portable output base name made from arbitrary text (a profile's file name).

    ``brief.output`` is validated strictly; this is for the default taken from the
    profile's file name, which the user did not write as an output name.
    """
    name = _UNSAFE.sub("-", text).strip("-._")[:max_bytes] or "brief"
    if name.split(".")[0].lower() in WINDOWS_DEVICES:
        name = f"{name}-brief"
    return name


def check_output_dir(path: str | Path, *, create: bool = True) -> Path:
    """Resolve the output folder and make sure files can be written there.

    Raises ConfigError (exit 2) before any work when it cannot be created or is read-only.
    With ``create=False`` a missing folder is only checked to be creatable (its nearest
    existing parent is a writable folder); ``publish`` makes it with the first brief, so a
    run whose every profile is refused leaves no empty folder behind.
    """
    out = Path(path)
    try:
        if out.is_symlink() and not out.exists():
            raise ConfigError(f"{out}: the output path is a link to nothing")
        if not out.exists() and not create:
            return _creatable(out)
    except OSError as exc:  # a symbolic-link loop on the way
        raise ConfigError(f"{out}: cannot be used as the output folder ({exc.strerror or exc})") from None
    if not out.exists():
        try:
            # exist_ok: another briefgen may create it between the check and here (two batches
            # started at once); a file of that name still fails.
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"{out}: cannot create the output folder ({exc.strerror})") from None
    if not out.is_dir():
        raise ConfigError(f"{out}: the output path is not a folder")
    if not os.access(out, os.W_OK | os.X_OK):
        raise ConfigError(f"{out}: the output folder is not writable")
    return out.resolve()


def _creatable(out: Path) -> Path:
    """``out`` resolved, once it is sure that publish can make it: every part of the path that exists is a folder
    (no link to nothing, whose target publish would create wherever it points), and the nearest one is writable."""
    here = out.absolute()
    parent = None
    for part in (*reversed(here.parents), here):
        if part.is_symlink() and not part.exists():
            raise ConfigError(f"{out}: the output path goes through {part}, a link whose target is missing or loops")
        if not part.exists():
            break
        parent = part
    if parent is None or not parent.is_dir():
        raise ConfigError(f"{out}: cannot create the output folder ({parent} is not a folder)")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ConfigError(f"{out}: cannot create the output folder ({parent} is not writable)")
    try:
        return out.resolve(strict=False)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a link loop, on Python before 3.13
        raise ConfigError(f"{out}: cannot be used as the output folder ({getattr(exc, 'strerror', None) or 'a loop of symbolic links'})") from None


# Formats whose file extension is not their name: an ADR is Markdown, told apart from the brief's .md.
EXTENSIONS = {"adr": "adr.md"}


def extension(fmt: str) -> str:
    """The file extension of an output format."""
    return EXTENSIONS.get(fmt, fmt)


def target(out_dir: Path, base: str, ext: str) -> Path:
    """The final path for ``base.ext``, guaranteed to lie directly inside ``out_dir``."""
    name = f"{base}.{ext}"
    if os.sep in name or (os.altsep and os.altsep in name) or base in ("", ".", "..") or base.startswith("."):
        raise ConfigError(f"{base!r} is not a plain file name")
    final = out_dir / name
    # The folder the name lands in, not what the name resolves to: a link of that name inside the folder is replaced
    # by the rename (never written through), so it is no reason to refuse the brief.
    if final.parent.resolve() != out_dir.resolve():
        raise ConfigError(f"{name}: would be written outside the output folder")
    return final


def write_atomic(final: Path, data: bytes) -> None:
    """Write ``data`` to ``final`` via a temporary file in the same folder and a rename.

    Readers see the old complete file or the new complete file, never a torn one;
    a symlink at ``final`` is replaced, not written through. A failed write (disk
    full, quota) raises OutputError naming the file, with no temporary file left.
    """
    publish({final: data})


def publish(files: dict[Path, bytes]) -> None:
    """Write several outputs of one brief, all or none: every file is first written in full to a temporary file
    beside its target, and only when all are written are they renamed into place. A brief whose PDF cannot be
    written (disk full, a folder in the way) leaves no Markdown of it behind either."""
    for final in sorted(files):
        if final.is_dir() and not final.is_symlink():
            raise OutputError(f"{final}: cannot be written (a folder of that name is in the way)")
    for folder in sorted({final.parent for final in files}):
        try:
            folder.mkdir(parents=True, exist_ok=True)  # an output folder checked with create=False
        except OSError as exc:
            # The folder, not a brief: no brief can be written (a name too long, /proc), as batch says up front.
            raise ConfigError(f"{folder}: cannot create the output folder ({exc.strerror or exc})") from None
    staged: list[tuple[str, Path]] = []
    try:
        for final in sorted(files):
            staged.append((_stage(final, files[final]), final))
        # A Ctrl-C or SIGTERM between two renames published part of a brief (a new Markdown beside an old PDF):
        # held for the few milliseconds of the renames, it then stops the run as before.
        with signals_held():
            for tmp, final in staged:
                os.replace(tmp, final)
    except BaseException as exc:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        if isinstance(exc, OSError):
            where = next((f for t, f in staged if t == getattr(exc, "filename", None)), None) or (staged[-1][1] if staged else "")
            raise OutputError(f"{where}: cannot be written ({exc.strerror or exc})") from None
        raise


def _stage(final: Path, data: bytes) -> str:
    """``data`` in a complete temporary file beside ``final``, its path; nothing is left if the write fails."""
    try:
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=TMP_PREFIX, suffix="." + final.name)
    except OSError as exc:
        raise OutputError(f"{final}: cannot be written ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"{final}: cannot be written ({exc.strerror or exc})") from None
        raise
    return tmp


@contextlib.contextmanager
def signals_held():
    """Hold Ctrl-C and SIGTERM until the block ends; they are delivered, and stop the run, when it does. A no-op
    where the platform cannot mask signals."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:
        yield
        return
    held = mask(signal.SIG_BLOCK, {signal.SIGINT, *stop_signals()})
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, held)
