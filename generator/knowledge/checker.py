"""The checker every knowledge file is read through: YAML with the line and column of each node, and
problems collected (never raised) with file, line and field, so a broken knowledge base reports everything at once."""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from typing import Any, Iterable

from generator.errors import InputError, Problem
from generator.profile.yamlsafe import parse_yaml
from generator.sanitize import unprintable

Path_ = tuple  # a path inside a document: keys and list indexes
Marks = dict  # Path_ -> (line, column), both 1-based


class Doc:
    """One YAML file: its plain data plus the line and column of every node."""

    def __init__(self, name: str, data: Any, marks: Marks):
        self.name = name
        self.data = data
        self.marks = marks

    def where(self, path: Path_) -> tuple[int | None, int | None]:
        while True:
            if path in self.marks:
                return self.marks[path]
            if not path:
                return (None, None)
            path = path[:-1]


# Knowledge files are larger than profiles (sources.yaml holds every reference).
MAX_FILE_BYTES = 2 * 1024 * 1024
_MAX_DEPTH = 12


def parse_doc(name: str, raw: bytes, problems: list) -> Doc | None:
    """Read ``raw`` with the same safe loader as profiles: YAML 1.2 scalars, no
    aliases, tags or duplicate keys. Problems are collected, never raised."""
    try:
        doc, found = parse_yaml(raw, name, max_bytes=MAX_FILE_BYTES, max_depth=_MAX_DEPTH)
    except InputError as exc:
        problems.extend(exc.problems)
        return None
    if found:
        problems.extend(found)
        return None
    # Point at the key: "key: value" problems read best on the key's line.
    return Doc(name, doc.data, {**doc.marks, **doc.key_marks})


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Checker:
    """Collects problems for one document; every check names file, line and field."""

    def __init__(self, doc: Doc, problems: list):
        self.doc = doc
        self.problems = problems
        self.missing: set[Path_] = set()  # keys already reported missing: their value's check would say it again

    def problem(self, path: Path_, message: str) -> None:
        if path in self.missing:
            return
        line, col = self.doc.where(path)
        self.problems.append(Problem(self.doc.name, line, col, dotted(path) or None, message))

    # -- shapes ---------------------------------------------------------
    def mapping(self, value: Any, path: Path_, required: Iterable[str], optional: Iterable[str] = ()) -> bool:
        if not isinstance(value, dict):
            self.problem(path, f"expected a mapping, got {kind_of(value)}")
            return False
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in value:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                extra = f"; did you mean {hint[0]!r}?" if hint else f"; allowed: {', '.join(sorted(allowed))}"
                self.problem(path + (key,), f"unknown key {key!r}{extra}")
        for key in required:
            if key not in value:
                self.problem(path, f"missing required key {key!r}")
                self.missing.add(path + (key,))
        return True

    def text(self, value: Any, path: Path_, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(path, f"expected non-empty text, got {kind_of(value)}")
            return ""
        bad = unprintable(value)
        if bad:
            self.problem(path, bad)
        if "`" in value:
            # Knowledge text reaches PDF and Word as it is, where Markdown code marks show literally.
            self.problem(path, "is plain text shown in the brief: quote a command as ‘python train.py’, without backticks")
        return " ".join(value.split())

    def boolean(self, value: Any, path: Path_) -> bool:
        if not isinstance(value, bool):
            self.problem(path, f"expected true or false, got {kind_of(value)}")
            return False
        return value

    def number(self, value: Any, path: Path_, lo: float | None = None, hi: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(path, f"expected a number, got {kind_of(value)}")
            return 0.0
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.problem(path, f"{value} is out of range {lo}..{hi}")
        return float(value)

    def choice(self, value: Any, path: Path_, choices: Iterable[Any]) -> Any:
        choices = tuple(choices)
        if value not in choices or isinstance(value, bool) != isinstance(choices[0], bool):
            hint = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            self.problem(path, f"{value!r} is not one of {', '.join(map(str, choices))}{extra}")
        return value

    def date(self, value: Any, path: Path_) -> str:
        if not isinstance(value, str):
            self.problem(path, f"expected an ISO date YYYY-MM-DD, got {kind_of(value)}")
            return ""
        try:
            if not ISO_DATE.match(value):
                raise ValueError(value)
            _dt.date.fromisoformat(value)
        except ValueError:
            self.problem(path, f"{value!r} is not an ISO date YYYY-MM-DD")
            return ""
        return value

    def items(self, value: Any, path: Path_, what: str, *, allow_empty: bool = True) -> list:
        """``value`` as a list of ``what`` ("rules", "conditions"), or [] once the problem is reported."""
        if isinstance(value, list) and (value or allow_empty):
            return value
        self.problem(path, f"expected a {'' if allow_empty else 'non-empty '}list of {what}, got {kind_of(value)}")
        return []

    def text_list(self, value: Any, path: Path_, *, allow_empty: bool = False) -> tuple[str, ...]:
        if not isinstance(value, list) or (not value and not allow_empty):
            self.problem(path, f"expected a{'' if allow_empty else ' non-empty'} list, got {kind_of(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item:
                self.problem(path + (i,), f"expected text, got {kind_of(item)}")
            else:
                out.append(item)
        return tuple(out)

    def source_ids(self, value: Any, path: Path_, refs: list, *, allow_empty: bool = False) -> tuple[str, ...]:
        ids = self.text_list(value, path, allow_empty=allow_empty)
        for i, sid in enumerate(ids):
            refs.append((self, path + (i,), sid))
            if sid in ids[:i]:
                self.problem(path + (i,), f"source {sid!r} is listed twice")
        return ids

    def criteria_ids(self, value: Any, path: Path_, criteria: tuple[str, ...]) -> tuple[str, ...]:
        ids = self.text_list(value, path)
        for i, cid in enumerate(ids):
            self.choice(cid, path + (i,), criteria)
        return ids


def kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, (int, float)):
        return f"{value} (a number)"
    if isinstance(value, str):
        return f"{value!r}" if value.strip() else "empty text"
    return type(value).__name__


