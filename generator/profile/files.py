"""The profile's file-facing entry points: load one file, check several, write the starter.

``load_profile`` reads, validates and builds a :class:`~generator.profile.model.Profile`;
the rules live in :mod:`generator.profile.validate`, the format in :mod:`generator.profile.model`.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Callable, Iterable

from generator.errors import ConfigError, InputError, Problem
from generator.output import write_atomic
from generator.profile.model import FRAMEWORK_IDS, Profile
from generator.profile.validate import PROFILE_MAX_BYTES, profile_from_file, profile_from_text
from generator.resources import templates_dir


STDIN = "-"  # the profile argument that means standard input
STDIN_NAME = "<stdin>"  # how problems in it are located


def load_profile(path: str | Path, *, known_frameworks: tuple[str, ...] = FRAMEWORK_IDS, stdin=None) -> Profile:
    """Read, validate and build a profile; raise InputError listing every problem.

    The loader never runs code or expands aliases, reads at most 256 KiB of
    UTF-8, and checks every field of FIELDS (see docs/profile-format.md).
    ``-`` reads the binary stream ``stdin`` (default: standard input).
    """
    if str(path) == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(PROFILE_MAX_BYTES + 1)  # one byte more tells "too big" from "just fits"
        return profile_from_text(data, STDIN_NAME, base_dir=None, known_frameworks=known_frameworks)
    return profile_from_file(path, known_frameworks=known_frameworks)


def check_file(path: str | Path, *, known_frameworks: tuple[str, ...] = FRAMEWORK_IDS) -> dict:
    """One profile's verdict as data (``validate --json``): path, valid, problems, warnings.

    Each problem and each warning is ``{path, line, column, message}`` with ``path``
    the field's dotted path. Warnings (say an unknown tool name, kept as written) come
    from a valid profile; an invalid one reports its problems only.
    """
    try:
        profile = load_profile(path, known_frameworks=known_frameworks)
    except InputError as exc:
        problems = [p.to_json() for p in exc.problems]
        warnings = []
    else:
        problems = []
        warnings = [w.to_json() for w in profile.warnings]
    shown = STDIN_NAME if str(path) == STDIN else str(path)
    return {"path": shown, "valid": not problems, "problems": problems, "warnings": warnings}


def validate_files(
    paths: Iterable[str | Path],
    known_frameworks: tuple[str, ...] = FRAMEWORK_IDS,
    report: Callable[[str | Path, tuple[Problem, ...]], None] | None = None,
    warn: Callable[[str | Path, tuple[Problem, ...]], None] | None = None,
) -> list[tuple[str | Path, tuple[Problem, ...]]]:
    """Check each profile; return (path, problems) per file, in order (no problems: valid).

    ``known_frameworks`` are the ids a shortlist may name (the knowledge base's, for the CLI).
    ``report(path, problems)`` is called as each file is checked, so a caller can show
    results while a long list is still being read. ``warn(path, warnings)`` is called
    first for a valid file with warnings (say an unknown tool name, kept as written).
    """
    results = []
    for path in paths:
        try:
            profile = load_profile(path, known_frameworks=known_frameworks)
        except InputError as exc:
            problems = exc.problems
        else:
            problems = ()
            if profile.warnings and warn is not None:
                warn(path, profile.warnings)
        results.append((path, problems))
        if report is not None:
            report(path, problems)
    return results


STARTER_NAME = "starter-profile.yaml"


def starter_text() -> bytes:
    """The commented starter profile `briefgen init` writes (bundled in templates/)."""
    return templates_dir().joinpath(STARTER_NAME).read_bytes()


def write_starter(path: str | Path, force: bool = False) -> Path:
    """Write the starter profile to ``path``; refuse (ConfigError, exit 2) to overwrite unless ``force``."""
    target = Path(path)
    data = starter_text()
    if target.is_dir():
        raise ConfigError(f"{target}: is a folder; give a file name such as {target / 'profile.yaml'}")
    if not target.parent.is_dir():
        raise ConfigError(f"{target}: the folder {target.parent} does not exist")
    try:
        if force:
            # the rename would put a file in place of a device or FIFO (as root, /dev/null itself)
            kind = os.lstat(target).st_mode if os.path.lexists(target) else None
            if kind is not None and not (stat.S_ISREG(kind) or stat.S_ISLNK(kind)):
                raise ConfigError(f"{target}: is not a regular file, so --force will not replace it; "
                                  "give a file name such as profile.yaml")
            write_atomic(target, data)
        else:
            with open(target, "xb") as fh:  # exclusive: never clobbers a file created meanwhile
                fh.write(data)
    except FileExistsError:
        raise ConfigError(f"{target}: already exists; use --force to overwrite it") from None
    except OSError as exc:
        raise ConfigError(f"{target}: cannot write the starter profile ({exc.strerror})") from None
    return target
