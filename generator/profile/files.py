"""The profile's file-facing entry points: load one file, check several, write the starter.

``load_profile`` reads, validates and builds a :class:`~generator.profile.model.Profile`;
the rules live in :mod:`generator.profile.validate`, the format in :mod:`generator.profile.model`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from generator.errors import ConfigError, InputError, Problem
from generator.output import write_atomic
from generator.profile.model import FRAMEWORK_IDS, Profile
from generator.profile.validate import profile_from_file
from generator.resources import templates_dir


def load_profile(path: str | Path, *, known_frameworks: tuple[str, ...] = FRAMEWORK_IDS) -> Profile:
    """Read, validate and build a profile; raise InputError listing every problem.

    The loader never runs code or expands aliases, reads at most 256 KiB of
    UTF-8, and checks every field of FIELDS (see docs/profile-format.md).
    """
    return profile_from_file(path, known_frameworks=known_frameworks)


def validate_files(
    paths: Iterable[str | Path],
    known_frameworks: tuple[str, ...] = FRAMEWORK_IDS,
    report: Callable[[str | Path, tuple[Problem, ...]], None] | None = None,
) -> list[tuple[str | Path, tuple[Problem, ...]]]:
    """Check each profile; return (path, problems) per file, in order (no problems: valid).

    ``known_frameworks`` are the ids a shortlist may name (the knowledge base's, for the CLI).
    ``report(path, problems)`` is called as each file is checked, so a caller can show
    results while a long list is still being read.
    """
    results = []
    for path in paths:
        try:
            load_profile(path, known_frameworks=known_frameworks)
        except InputError as exc:
            problems = exc.problems
        else:
            problems = ()
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
            write_atomic(target, data)
        else:
            with open(target, "xb") as fh:  # exclusive: never clobbers a file created meanwhile
                fh.write(data)
    except FileExistsError:
        raise ConfigError(f"{target}: already exists; use --force to overwrite it") from None
    except OSError as exc:
        raise ConfigError(f"{target}: cannot write the starter profile ({exc.strerror})") from None
    return target
