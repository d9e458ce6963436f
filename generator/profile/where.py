"""Where in its file a warning raised after loading points: compose and the renderers warn about fields
("project.date: ...") or characters ("no bundled font can draw U+0E01 ...") without knowing lines."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from typing import Any

from generator.errors import Problem
from generator.profile.model import Profile

_FIELD = re.compile(r"^([A-Za-z_][\w.\[\]]*): (.+)$", re.S)
_CODE_POINT = re.compile(r"\bU\+([0-9A-F]{4,6})\b")


def located(profile: Profile, warning: str) -> str:
    """``warning`` as a Problem prints, with the profile's file, line and column of the field it is about; as it
    was when it names no field of this profile (a warning about the knowledge base, or the clock)."""
    if not profile.source or not profile.marks:
        return warning
    head = _FIELD.match(warning)
    if head and head.group(1) in profile.marks:
        field, message = head.groups()
    else:
        field, message = _field_drawing(profile, warning), warning
    if field is None:
        return warning
    line, column = profile.marks[field]
    return str(Problem(profile.source, line, column, field, message))


def _field_drawing(profile: Profile, warning: str) -> str | None:
    """The first field, in file order, whose text holds a character the warning names by code point."""
    chars = {chr(int(code, 16)) for code in _CODE_POINT.findall(warning)}
    if not chars:
        return None
    hits = [path for path, text in _texts(profile) if path in profile.marks and chars.intersection(text)]
    return min(hits, key=profile.marks.__getitem__, default=None)


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
