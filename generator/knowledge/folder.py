"""Finding and reading the files of a knowledge folder, the bundled one or a user's (``--knowledge``).

A user's folder is input like a profile: anything in it may be hostile. Nothing
here raises; every problem becomes a Problem naming the file, so the loader
reports them all at once next to the content problems: a folder where a file
is expected, a symbolic link leading out of the folder, a file that cannot be
read, one far too big to be hand-written (read no further than the limit).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from generator.errors import Problem

SPECIAL = ("sources.yaml", "criteria.yaml", "rules.yaml", "goals.yaml", "tools.yaml")
SUFFIXES = (".yaml", ".yml")


def knowledge_files(root: Any, label: str, problems: list) -> Iterator[tuple[str, str, Any]]:
    """(kind, display name, file) for the knowledge files in one folder, in a fixed order."""
    names = _entries(root, label, problems)
    for special in SPECIAL:
        if special in names and _usable(names[special], root, f"{label}/{special}", problems):
            yield special[:-5], f"{label}/{special}", names[special]
    fw = names.get("frameworks")
    if fw is not None:
        if not fw.is_dir():
            problems.append(Problem(f"{label}/frameworks", None, None, None, "must be a folder of framework files"))
        elif _inside(fw, root, f"{label}/frameworks", problems):
            inner = _entries(fw, f"{label}/frameworks", problems)
            for name in sorted(inner):
                if name.endswith(SUFFIXES) and _usable(inner[name], root, f"{label}/frameworks/{name}", problems):
                    yield "framework", f"{label}/frameworks/{name}", inner[name]
    for name in sorted(names):
        if name.endswith(SUFFIXES) and name not in SPECIAL and _usable(names[name], root, f"{label}/{name}", problems):
            yield "framework", f"{label}/{name}", names[name]


def read_knowledge_file(path: Any, name: str, max_bytes: int, problems: list) -> bytes | None:
    """The file's bytes, at most ``max_bytes`` + 1 of them (the YAML reader reports the size); None if unreadable."""
    try:
        with path.open("rb") as fh:
            return fh.read(max_bytes + 1)
    except OSError as exc:
        problems.append(Problem(name, None, None, None, f"cannot be read ({exc.strerror or exc})"))
        return None


def _entries(folder: Any, label: str, problems: list) -> dict[str, Any]:
    try:
        return {p.name: p for p in folder.iterdir()}
    except OSError as exc:
        problems.append(Problem(label, None, None, None, f"the folder cannot be read ({exc.strerror or exc})"))
        return {}


def _usable(path: Any, root: Any, name: str, problems: list) -> bool:
    """A regular file inside ``root``; anything else named like a knowledge file is reported."""
    if not _inside(path, root, name, problems):
        return False
    try:
        if path.is_dir():
            problems.append(Problem(name, None, None, None, "is a folder, not a file"))
            return False
        if not path.is_file():
            problems.append(Problem(name, None, None, None, "is not a regular file (a device, a pipe or a broken link?)"))
            return False
    except OSError as exc:
        problems.append(Problem(name, None, None, None, f"cannot be read ({exc.strerror or exc})"))
        return False
    return True


def _inside(path: Any, root: Any, name: str, problems: list) -> bool:
    """False (with a problem) for a symbolic link that leads out of the knowledge folder."""
    if not isinstance(path, Path):
        return True  # the bundled knowledge base, inside the package
    try:
        inside = path.resolve().is_relative_to(Path(root).resolve())
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on older Pythons
        problems.append(Problem(name, None, None, None, f"cannot be read ({getattr(exc, 'strerror', None) or exc})"))
        return False
    if not inside:
        problems.append(Problem(name, None, None, None,
                                "is a symbolic link that leads out of the knowledge folder; copy the file into it"))
    return inside
