"""What an assessment needs to be reproduced and compared later: its inputs and their versions.

Every ``score --json`` output and every brief carries the briefgen version, the
knowledge base's version and date, and a digest of the profile; the JSON also
carries the profile itself as flat dotted paths, so ``briefgen diff`` can name
the input that changed between two saved outputs without the profile files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from generator import __version__
from generator.profile.model import Profile
from generator.sanitize import utf8

# Version of the ``score --json`` document. Raise it when a field's meaning changes
# (adding fields does not); ``diff`` refuses versions it does not know.
FORMAT_VERSION = 1
KNOWN_FORMAT_VERSIONS = (1,)

# Not an input of the decision: where the profile was read from.
# Which fields the file left at their default, how it spelled an unknown tool and what it was warned about change
# how the brief words it (or what stderr says), not the result.
_NOT_INPUTS = ("source", "assumed", "spelled", "warnings")
# Lists whose order never changes the result (a property test pins it for the shortlist):
# compared as sets, so reordering them is no change.
_UNORDERED = ("frameworks",)


def _plain(value: Any) -> Any:
    """A value as JSON holds it: paths by file name (never a machine path), tuples as lists."""
    if isinstance(value, PurePath):
        return value.name
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Records and mappings as ``{"team.size": 6, "infrastructure.clouds": ["aws"], ...}``.

    Generic over the profile's shape, so fields added to the format appear here
    without a change. Lists of scalars stay one value (a changed cloud list is one
    change); lists of records are numbered (``stakeholders.0.name``).
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in _NOT_INPUTS)
    elif isinstance(value, Mapping):
        items = ((str(k), v) for k, v in value.items())
    elif isinstance(value, (tuple, list)) and any(dataclasses.is_dataclass(v) or isinstance(v, Mapping) for v in value):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return {prefix: _plain(value)}
    out: dict[str, Any] = {}
    for key, item in items:
        path = f"{prefix}.{key}" if prefix else key
        out.update({path: sorted(item)} if path in _UNORDERED else flatten(item, path))
    return dict(sorted(out.items()))


def profile_digest(profile: Profile) -> str:
    """A short content digest of the profile's inputs: equal digests, equal inputs."""
    text = json.dumps(flatten(profile), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(utf8(text)).hexdigest()


def provenance(profile: Profile, kb_version: str, kb_as_of: str) -> dict[str, str]:
    """What reproduces an assessment: tool version, knowledge base version and date, profile digest."""
    return {
        "briefgen_version": __version__,
        "kb_version": kb_version,
        "kb_as_of": kb_as_of,
        "profile_digest": profile_digest(profile),
    }


def provenance_line(record: Mapping[str, str]) -> str:
    """One line for a brief's title block; hashes shortened to what a reader can compare by eye."""
    kb = record["kb_version"][:12]
    digest = record["profile_digest"].removeprefix("sha256:")[:12]
    return (
        f"briefgen {record['briefgen_version']}, knowledge base {kb} of {record['kb_as_of']}, "
        f"profile digest {digest}"
    )
