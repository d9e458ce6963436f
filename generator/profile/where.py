"""Where in its file a warning raised after loading points: compose and the renderers warn about fields
("project.date: ...") or characters ("no bundled font can draw U+0E01 ...") without knowing lines.

The positions are read again from the profile's file when there is such a warning, which is rare, rather than
kept on every Profile: a batch's parent holds a thousand profiles, and their positions came to about 8 MB.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from typing import Any

from generator.errors import BriefgenError, Problem
from generator.profile.model import Profile
from generator.profile.validate import PROFILE_MAX_BYTES, PROFILE_MAX_DEPTH
from generator.profile.yamlsafe import dotted, parse_yaml, read_limited

_FIELD = re.compile(r"^([A-Za-z_][\w.\[\]]*): (.+)$", re.S)
_CODE_POINT = re.compile(r"\bU\+([0-9A-F]{4,6})\b")


def located(profile: Profile, warning: str, marks: Mapping[str, tuple[int, int]] | None = None) -> str:
    """``warning`` as a Problem prints, with the profile's file, line and column of the field it is about; as it
    was when it names no field of this profile (a warning about the knowledge base, or the clock), or when the
    profile has no file to read positions from (standard input). ``marks``: positions already read (tests)."""
    marks = file_marks(profile) if marks is None else marks
    if not marks:
        return warning
    head = _FIELD.match(warning)
    if head and head.group(1) in marks:
        field, message = head.groups()
    else:
        field, message = _field_drawing(profile, warning, marks), warning
    if field is None:
        return warning
    line, column = marks[field]
    return str(Problem(profile.source, line, column, field, message))


def file_marks(profile: Profile) -> dict[str, tuple[int, int]]:
    """Where each value of the profile's file is written, by dotted path ("stakeholders[0].priorities.cost"): (line,
    column), read with the loader's own limits; {} without a readable file."""
    if not profile.source:
        return {}
    try:
        doc, _ = parse_yaml(read_limited(profile.source, PROFILE_MAX_BYTES), profile.source,
                            max_bytes=PROFILE_MAX_BYTES, max_depth=PROFILE_MAX_DEPTH)
    except (BriefgenError, OSError):  # standard input, or a file gone since: the warning keeps no line
        return {}
    return {dotted(path): (mark.line, mark.column) for path, mark in doc.marks.items() if path}


def _field_drawing(profile: Profile, warning: str, marks: Mapping[str, tuple[int, int]]) -> str | None:
    """The first field, in file order, whose text holds a character the warning names by code point."""
    chars = {chr(int(code, 16)) for code in _CODE_POINT.findall(warning)}
    if not chars:
        return None
    hits = [path for path, text in _texts(profile) if path in marks and chars.intersection(text)]
    return min(hits, key=marks.__getitem__, default=None)


def _texts(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every text in the profile's records with its dotted path, spelled as the loader spells paths."""
    if isinstance(value, str):
        yield prefix, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.compare:  # what the file says, not what the loader derived from it
                yield from _texts(getattr(value, f.name), f"{prefix}.{f.name}" if prefix else f.name)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _texts(item, f"{prefix}.{key}")
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            yield from _texts(item, f"{prefix}[{i}]")
