"""Profile validation: every field of ``profile.FIELDS`` checked, every problem reported at once.

The YAML layer (:mod:`generator.profile.yamlsafe`) decides what was written; this
module decides what it means. The rules a person needs to know are in
``docs/profile-format.md``, generated from the same ``FIELDS``.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import replace
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Callable

from generator.errors import InputError, Problem
from generator.output import WINDOWS_DEVICES
from generator.sanitize import print_key, unprintable
from generator.profile.model import (
    CRITERIA,
    FIELDS,
    FIELDS_BY_PATH,
    FRAMEWORK_IDS,
    IN_HOUSE,
    SCHEMA_VERSION,
    SCHEMA_VERSIONS,
    TOOL_IDS,
    UNWEIGHED_CRITERIA,
    FieldSpec,
    Profile,
    profile_from_mapping,
)
from generator.profile.yamlsafe import FieldPath, Mark, YamlDocument, dotted, parse_yaml, read_limited
from generator.resources import TEMPLATE_FILES

PROFILE_MAX_BYTES = 256 * 1024
PROFILE_MAX_DEPTH = 8  # a profile needs 3 (root, section, list); the rest is headroom
LOGO_MAX_BYTES = 5 * 1024 * 1024
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")
OUTPUT_MAX_BYTES = 100

def _same_key(text: str) -> str:
    """What two names that print alike share (generator.sanitize.print_key)."""
    return print_key(text)


_PORTABLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_SIMPLE = re.compile(r"[A-Za-z0-9_ .-]{1,40}\Z")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_YAML11_BOOLS = {"yes": True, "y": True, "on": True, "no": False, "n": False, "off": False}
_NONE_WORDS = {"no", "n", "none", "off", "false", "nothing", "-"}  # a scalar meaning an empty list
_INVALID = object()

TOP_LEVEL: tuple[str, ...] = tuple(dict.fromkeys(f.path.split(".")[0] for f in FIELDS))


def _sections() -> dict[str, tuple[FieldSpec, ...]]:
    out: dict[str, list[FieldSpec]] = {}
    for spec in FIELDS:
        head, _, rest = spec.path.partition(".")
        if rest:
            out.setdefault(head, []).append(spec)
    return {k: tuple(v) for k, v in out.items()}


SECTIONS: dict[str, tuple[FieldSpec, ...]] = _sections()
TOOL_LISTS = ("current.tools", "current.keep", "current.replacing")
STAKEHOLDER_KEYS = ("name", "weight", "priorities")
# A stakeholder's weight is a relative voice; the bound keeps the weighted geometric mean's sums finite.
STAKEHOLDER_WEIGHT_MAX = 1000
# A stakeholder's name is checked like any other text field.
_STAKEHOLDER_NAME = FieldSpec("stakeholders.name", "str", "Name of the stakeholder.", required=True, max_length=200)


def normalise_framework_id(text: str) -> str:
    """The documented rule: strip, lower-case, and runs of spaces or hyphens become one ``_``."""
    return re.sub(r"[\s-]+", "_", text.strip().lower())


def profile_from_text(
    source: str | bytes,
    filename: str,
    *,
    base_dir: Path | None = None,
    known_frameworks: tuple[str, ...] = FRAMEWORK_IDS,
) -> Profile:
    """Load, validate and build a profile from its text; raise InputError listing every problem.

    ``base_dir`` is the folder a relative ``brief.logo`` is read from; None (a profile
    read from standard input) has none, so a logo is then a problem.
    """
    doc, problems = parse_yaml(source, filename, max_bytes=PROFILE_MAX_BYTES, max_depth=PROFILE_MAX_DEPTH)
    base = base_dir.resolve() if base_dir is not None else None
    # A value the YAML layer already refused (say `.nan`) is not reported a second time.
    checker = _Checker(doc, filename, base, tuple(known_frameworks), skip={p.field for p in problems})
    clean = checker.run()
    problems = sorted(problems + checker.problems, key=_position)
    if problems:
        raise InputError(problems)
    profile = profile_from_mapping(clean, known_frameworks=tuple(known_frameworks), source=filename, base_dir=base,
                                   warnings=tuple(sorted(checker.warnings, key=_position)))
    if checker.templates_at:
        profile = replace(profile, brief=replace(profile.brief, templates_at=checker.templates_at))
    if checker.spelled:
        profile = replace(profile, current=replace(profile.current, spelled=checker.spelled))
    return profile


def _position(problem: Problem) -> tuple[int, int]:
    return problem.line or 0, problem.column or 0


def profile_from_file(path: str | Path, *, known_frameworks: tuple[str, ...] = FRAMEWORK_IDS) -> Profile:
    """Read ``path`` (size-limited, UTF-8) and build its profile; raise InputError listing every problem."""
    p = Path(path)
    data = read_limited(p, PROFILE_MAX_BYTES, label=str(path))
    return profile_from_text(data, str(path), base_dir=p.parent, known_frameworks=known_frameworks)


def describe(value: Any) -> str:
    """A value as a message shows it: short, quoted, with invisible characters escaped."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = str(value)
    # repr() escapes anything invisible, so a message can never carry a terminal control sequence.
    return repr(text if len(text) <= 40 else text[:39] + "…")


def output_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a brief's base name (``brief.output``, ``--name``), or None.

    A base name safe on every system: it can never name a folder, a hidden file or a device.
    """
    if "/" in name or "\\" in name:
        return "must be a file name without a folder (briefs go to the folder given with -o)"
    if name in (".", ".."):
        return "must be a file name, not '.' or '..'"
    if name.startswith("."):
        return "must not start with a dot (that would be a hidden file)"
    if not _PORTABLE.match(name):
        return ("may use only letters A-Z and a-z, digits, '.', '_' and '-', starting with a letter or "
                f"digit (got {describe(name)})")
    if len(name.encode("utf-8")) > OUTPUT_MAX_BYTES:
        return f"is too long (at most {OUTPUT_MAX_BYTES} bytes)"
    if name.endswith("."):
        return "must not end with a dot"
    if name.split(".")[0].lower() in WINDOWS_DEVICES:
        return f"{describe(name)} is a reserved device name on Windows; choose another name"
    if any(name.lower().endswith("." + ext) for ext in ("pdf", "docx", "json", "md")):
        return f"must not end with a file extension (got {describe(name)}); briefgen adds it"
    return None


def allowed(spec: FieldSpec) -> str:
    """What a field accepts, in the words every message and the reference page use."""
    if spec.path == "schema_version":
        return " or ".join(str(v) for v in SCHEMA_VERSIONS)
    if spec.path == "frameworks":
        return "`all` or a list of framework ids"
    if spec.kind == "int":
        return f"a whole number from {spec.minimum} to {spec.maximum}"
    if spec.kind == "bool":
        return "true or false"
    if spec.kind == "enum":
        return "one of " + ", ".join(spec.choices)
    if spec.kind == "enum_list":
        return "a list of " + ", ".join(spec.choices)
    if spec.kind == "str_list":
        return "a list of text"
    if spec.kind == "date":
        return 'a date "YYYY-MM-DD"'
    if spec.kind == "map":
        return "a mapping of criterion id to a weight from 0 to 10"
    if spec.kind == "stakeholder_list":
        return "a list of stakeholders, each with a name"
    return "text"


def _suggest(word: Any, options: tuple[str, ...] | list[str]) -> str | None:
    if not isinstance(word, str):
        return None
    lowered = {o.lower(): o for o in options}
    if word.strip().lower() in lowered:
        return lowered[word.strip().lower()]
    close = difflib.get_close_matches(word.strip().lower(), list(options), n=1, cutoff=0.7)
    return close[0] if close else None


# A note criterion (performance) may be named in priorities, and is never weighed: said where it is written.
UNWEIGHED_PRIORITY = (
    "{0} is not scored or weighted (no benchmark measures it the same way for every framework), so this priority is "
    "ignored; the technical brief shows each framework's sourced {0} notes instead"
)


class _Checker:
    """Walks the document once, collecting problems and a clean mapping for profile_from_mapping."""

    def __init__(self, doc: YamlDocument, filename: str, base_dir: Path | None, known: tuple[str, ...], skip: set = frozenset()):
        self.doc = doc
        self.skip = skip
        self.filename = filename
        self.base_dir = base_dir
        self.templates_at = ""
        self.spelled: dict[str, str] = {}  # unknown tool id -> the name as first written
        self.known = known
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.version = SCHEMA_VERSION  # what the file says, once read; governs which fields exist

    # -- reporting --

    def report(self, path: FieldPath, message: str, *, at_key: bool = False, mark: Mark | None = None,
               warning: bool = False) -> None:
        if dotted(path) in self.skip:
            return
        where = mark or (self.doc.key_marks.get(path) if at_key else None) or self.doc.mark(path) or Mark(1, 1)
        sink = self.warnings if warning else self.problems
        sink.append(Problem(self.filename, where.line, where.column, dotted(path), message))

    def missing(self, path: FieldPath, message: str) -> None:
        """A required value not given: at its key when written empty (`key:`, `~`), else where it belongs."""
        key = self.doc.key_marks
        self.report(path, message, mark=key.get(path) or key.get(path[:-1]) or self.doc.mark(path[:-1]) or Mark(1, 1))

    def position(self, path: FieldPath) -> str:
        """Where ``path`` is written (its key, for a mapping entry), for messages that point elsewhere."""
        mark = self.doc.key_marks.get(path) or self.doc.mark(path)
        return f"line {mark.line}, column {mark.column}" if mark else "earlier"

    # -- walk --

    def run(self) -> dict[str, Any]:
        data = self.doc.data
        clean: dict[str, Any] = {}
        for key in data:
            if key not in TOP_LEVEL:
                self.unknown((key,), TOP_LEVEL, "")
        self.schema_version(data, clean)
        data = self.newer_fields(data)
        for name in TOP_LEVEL:
            if name in SECTIONS:
                self.section(name, data.get(name), clean)
        priorities = self.priorities(("priorities",), data.get("priorities"))
        if priorities is not None:
            clean["priorities"] = priorities
        self.frameworks(data.get("frameworks"), clean)
        for name in ("goals", "stakeholders"):
            result = self.field(FIELDS_BY_PATH[name], (name,), data.get(name))
            if result not in (None, _INVALID):
                clean[name] = result
        self.team_sizes(clean.get("team", {}))
        self.kept_and_replaced(clean.get("current", {}))
        self.workload_and_needs(clean.get("workload", {}), clean.get("needs", {}))
        return clean

    def unknown(self, path: FieldPath, options: tuple[str, ...], section: str) -> None:
        key = path[-1]
        hint = _suggest(key, options)
        if hint:
            self.report(path, f"unknown key (did you mean {hint!r}?)", at_key=True)
            return
        home = [f.path for f in FIELDS if f.path.rsplit(".", 1)[-1] == key and f.path.split(".")[0] != section]
        if home:
            self.report(path, f"unknown key here (did you mean {home[0]}?)", at_key=True)
            return
        if key in CRITERIA and section != "priorities":
            self.report(path, f"unknown key here ({key} is a criterion: give it a weight under priorities)",
                        at_key=True)
            return
        self.report(path, f"unknown key (allowed: {', '.join(options)})", at_key=True)

    def schema_version(self, data: dict, clean: dict) -> None:
        value = data.get("schema_version")
        path = ("schema_version",)
        versions = " and ".join(str(v) for v in SCHEMA_VERSIONS)
        if value is None:
            self.missing(path, f"is required (write `schema_version: {SCHEMA_VERSION}` at the top)")
        elif isinstance(value, bool) or not isinstance(value, int):
            self.report(path, f"must be the whole number {allowed(FIELDS_BY_PATH['schema_version'])} "
                              f"(got {describe(value)})")
        elif value > SCHEMA_VERSION:
            self.report(path, f"version {value} is newer than this briefgen reads (it reads versions "
                              f"{versions}); upgrade briefgen or write the profile as version {SCHEMA_VERSION}")
        elif value not in SCHEMA_VERSIONS:
            self.report(path, f"version {value} does not exist (the current version is {SCHEMA_VERSION})")
        else:
            clean["schema_version"] = self.version = value

    def newer_fields(self, data: dict) -> dict:
        """``data`` without the fields newer than the file's version, each reported once, at its key.

        Those fields are then not checked further: the fix is the version, not their values.
        """
        out = dict(data)
        for head in TOP_LEVEL:
            value = data.get(head)
            specs = SECTIONS.get(head) or (FIELDS_BY_PATH[head],)
            if value is None or head == "schema_version":
                continue
            if all(s.since > self.version for s in specs):
                self.too_new((head,), min(s.since for s in specs))
                del out[head]
            elif isinstance(value, dict):
                newer = [s for s in specs if s.since > self.version and value.get(s.path.split(".")[1]) is not None]
                if newer:
                    out[head] = dict(value)
                for spec in newer:
                    leaf = spec.path.split(".")[1]
                    self.too_new((head, leaf), spec.since)
                    del out[head][leaf]
        return out

    def too_new(self, path: FieldPath, since: int) -> None:
        self.report(path, f"needs schema_version: {since} (this file says schema_version: {self.version}); "
                          f"change schema_version to {since} to use it", at_key=True)

    def section(self, name: str, value: Any, clean: dict) -> None:
        specs = SECTIONS[name]
        path = (name,)
        required = [s.path.split(".", 1)[1] for s in specs if s.required]
        if value is None:
            value = {}
            if required and name not in self.doc.data:
                self.report(path, f"is required (a section with {' and '.join(required)})", mark=Mark(1, 1))
                return
            if required:  # written with nothing under it: one problem at its key, not one per field
                self.report(path, f"must not be empty (a section with {' and '.join(required)})", at_key=True)
                return
        if not isinstance(value, dict):
            fields = ", ".join(s.path.split(".", 1)[1] for s in specs)
            self.report(path, f"must be a mapping of {name} fields (got {describe(value)}; allowed keys: {fields})")
            return
        leaves = tuple(s.path.split(".", 1)[1] for s in specs)
        for key in value:
            if key not in leaves:
                self.unknown(path + (key,), leaves, name)
        out: dict[str, Any] = {}
        for spec in specs:
            leaf = spec.path.split(".", 1)[1]
            result = self.field(spec, path + (leaf,), value.get(leaf))
            if result is not _INVALID and result is not None:
                out[leaf] = result
        clean[name] = out

    def field(self, spec: FieldSpec, path: FieldPath, value: Any) -> Any:
        """The clean value, None when not given, or _INVALID after reporting why."""
        if value is None:
            if spec.required:
                self.missing(path, f"is required ({allowed(spec)})")
                return _INVALID
            return None
        check: Callable[[FieldSpec, FieldPath, Any], Any] = (
            self.tool_list if spec.path in TOOL_LISTS else getattr(self, "kind_" + spec.kind))
        special = {"brief.output": self.output_name, "brief.logo": self.logo, "brief.templates": self.templates}.get(spec.path)
        result = check(spec, path, value)
        if special and result not in (None, _INVALID):
            result = special(path, result)
        if result is None and spec.required:
            self.report(path, f"must not be empty ({allowed(spec)})")
            return _INVALID
        return result

    # -- kinds --

    def text(self, path: FieldPath, value: Any) -> Any:
        """A text value: what was typed, even if YAML would read it as a number or boolean."""
        if isinstance(value, str):
            return value
        raw = self.doc.plain.get(path)
        if raw is not None and not isinstance(value, (list, dict)):
            return raw
        self.report(path, f"must be text (got {describe(value)})")
        return _INVALID

    def kind_str(self, spec: FieldSpec, path: FieldPath, value: Any) -> Any:
        text = self.text(path, value)
        if text is _INVALID:
            return _INVALID
        return self.clean_text(spec, path, text)

    def clean_text(self, spec: FieldSpec, path: FieldPath, text: str) -> Any:
        text = text.strip()
        if not text:
            return None
        bad = unprintable(text, "line breaks and tabs" if spec.multiline else "")
        if bad:
            self.report(path, bad)
            return _INVALID
        if not spec.multiline and ("\n" in text or "\t" in text or "\r" in text):
            self.report(path, "must be a single line (no line breaks or tabs)")
            return _INVALID
        if spec.max_length is not None and len(text) > spec.max_length:
            self.report(path, f"is too long ({len(text)} characters; at most {spec.max_length})")
            return _INVALID
        return text

    def kind_date(self, spec: FieldSpec, path: FieldPath, value: Any) -> Any:
        if not isinstance(value, str):
            self.report(path, f'must be a date written "YYYY-MM-DD" (got {describe(value)})')
            return _INVALID
        text = value.strip()
        if not _ISO_DATE.match(text):
            self.report(path, f'must be a date written "YYYY-MM-DD" (got {describe(value)})')
            return _INVALID
        try:
            date.fromisoformat(text)
        except ValueError as exc:
            self.report(path, f"is not a real date ({describe(value)}: {exc})")
            return _INVALID
        return text

    def kind_int(self, spec: FieldSpec, path: FieldPath, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            hint = ""
            # Only a whole number the field takes is worth suggesting: "write 1000...0" (309 digits) for 1e308 was
            # itself refused.
            low = spec.minimum if spec.minimum is not None else float("-inf")
            high = spec.maximum if spec.maximum is not None else float("inf")
            if isinstance(value, float) and value.is_integer() and low <= value <= high:
                hint = f"; write {int(value)}"
            elif isinstance(value, str) and re.fullmatch(r"\s*[-+]?0[0-9]+\s*", value):
                hint = "; write it without the leading zero"
            elif isinstance(value, str) and re.fullmatch(r"\s*[-+]?[0-9]+\s*", value):
                hint = "; write it as a plain number, without quotes or a tag"
            self.report(path, f"must be a whole number (got {describe(value)}{hint})")
            return _INVALID
        if spec.minimum is not None and value < spec.minimum:
            self.report(path, f"must be at least {spec.minimum} (got {value})")
            return _INVALID
        if spec.maximum is not None and value > spec.maximum:
            self.report(path, f"must be at most {spec.maximum} (got {value})")
            return _INVALID
        return value

    def kind_bool(self, spec: FieldSpec, path: FieldPath, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        hint = ""
        if isinstance(value, str) and value.strip().lower() in _YAML11_BOOLS:
            word = "true" if _YAML11_BOOLS[value.strip().lower()] else "false"
            hint = f"; only true and false are booleans here, write {word}"
        self.report(path, f"must be true or false (got {describe(value)}{hint})")
        return _INVALID

    def kind_enum(self, spec: FieldSpec, path: FieldPath, value: Any) -> Any:
        if isinstance(value, str) and value in spec.choices:
            return value
        hint = _suggest(value, spec.choices)
        extra = f"; did you mean {hint!r}?" if hint else ""
        self.report(path, f"must be one of {', '.join(spec.choices)} (got {describe(value)}{extra})")
        return _INVALID

    def items(self, spec: FieldSpec, path: FieldPath, value: Any, noun: str) -> list | None:
        if not isinstance(value, list):
            word = value.strip() if isinstance(value, str) else ""
            if word.lower() in _NONE_WORDS or value is False:
                # "clouds: no" means none, not [aws, gcp].
                fix = "write [] for none"
            elif spec.kind == "stakeholder_list":
                fix = "write one '- name: ...' entry per stakeholder"
            else:
                example = word if _SIMPLE.match(word) else "a, b"
                if spec.choices and example not in spec.choices:
                    # "clouds: yes" was told to write [yes], which is refused in turn: suggest what the list takes.
                    example = ", ".join(spec.choices[:2])
                fix = f"write [{example}]"
            self.report(path, f"must be a list of {noun} (got {describe(value)}; {fix})")
            return None
        if spec.minimum and len(value) < spec.minimum:
            self.report(path, f"must not be an empty list (allowed: {', '.join(spec.choices)})")
            return None
        if spec.maximum is not None and len(value) > spec.maximum:
            self.report(path, f"lists {len(value)} items; at most {spec.maximum}")
            return None
        return value

    def unique(self, path: FieldPath, keys: list[tuple[int, str, str]]) -> bool:
        """Report items named twice; ``keys`` holds (index, comparison key, as shown)."""
        seen: dict[str, int] = {}
        ok = True
        for index, key, shown in keys:
            if key in seen:
                first = self.position(path + (seen[key],))
                self.report(path + (index,), f"{shown} is listed twice (already at {first}); list each once")
                ok = False
            else:
                seen[key] = index
        return ok

    def kind_enum_list(self, spec: FieldSpec, path: FieldPath, value: Any) -> Any:
        items = self.items(spec, path, value, ", ".join(spec.choices))
        if items is None:
            return _INVALID
        good = []
        for i, item in enumerate(items):
            if self.kind_enum(spec, path + (i,), item) is not _INVALID:
                good.append((i, item, repr(item)))
        if not self.unique(path, good) or len(good) != len(items):
            return _INVALID
        return [item for _, item, _ in good]

    def kind_str_list(self, spec: FieldSpec, path: FieldPath, value: Any) -> Any:
        items = self.items(spec, path, value, "text")
        if items is None:
            return _INVALID
        good, texts = [], []
        for i, item in enumerate(items):
            text = self.text(path + (i,), item)
            if text is not _INVALID:
                text = self.clean_text(spec, path + (i,), text)
                if text is None:
                    self.report(path + (i,), "must not be empty")
                elif text is not _INVALID:
                    good.append((i, _same_key(text), describe(text)))
                    texts.append(text)
        if not self.unique(path, good) or len(good) != len(items):
            return _INVALID
        return texts

    def kind_map(self, spec: FieldSpec, path: FieldPath, value: Any) -> Any:  # pragma: no cover - priorities only
        raise AssertionError("maps are checked by priorities()")

    # -- special fields --

    def priorities(self, path: FieldPath, value: Any) -> dict[str, float] | None:
        """Criterion id -> weight 0..10 (top level or a stakeholder's); None when absent or invalid."""
        if value is None:
            return None
        if not isinstance(value, dict):
            self.report(path, f"must be a mapping of criterion id to a weight from 0 to 10 (got {describe(value)})")
            return None
        out: dict[str, float] = {}
        ok = True
        for key, weight in value.items():
            if key not in CRITERIA:
                self.unknown(path + (key,), CRITERIA, "priorities")
                ok = False
                continue
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight):
                self.report(path + (key,), f"must be a number from 0 to 10 (got {describe(weight)})")
                ok = False
            elif not 0 <= weight <= 10:
                self.report(path + (key,), f"must be a number from 0 to 10 (got {describe(weight)})")
                ok = False
            else:
                out[key] = weight
                if key in UNWEIGHED_CRITERIA:
                    self.report(path + (key,), UNWEIGHED_PRIORITY.format(key), warning=True)
        # Criteria left out keep the weights their needs give them, so only a zero for every weighed criterion is void
        # (performance is never weighed: leaving it out, or giving it 10, leaves every weight at 0 all the same).
        weighed = [c for c in CRITERIA if c not in UNWEIGHED_CRITERIA]
        if ok and all(c in out for c in weighed) and not any(out[c] for c in weighed):
            self.report(path, "gives every criterion weight 0; give at least one a weight above 0 (or leave priorities out)")
            return None
        return out if ok else None

    def tool_list(self, spec: FieldSpec, path: FieldPath, value: Any) -> Any:
        """Tool ids, normalised like framework ids; an unknown name is kept and warned about."""
        items = self.items(spec, path, value, "tool ids")
        if items is None:
            return _INVALID
        in_house = (IN_HOUSE,) if spec.path == "current.replacing" else ()
        known = tuple(dict.fromkeys(self.known + TOOL_IDS + in_house))
        good: list[tuple[int, str, str]] = []
        for i, item in enumerate(items):
            if not isinstance(item, str):
                self.report(path + (i,), f"must be a tool id (got {describe(item)})")
                continue
            text = self.clean_text(spec, path + (i,), item)
            if text is None:
                self.report(path + (i,), "must not be empty")
                continue
            if text is _INVALID:
                continue
            tid = normalise_framework_id(text)
            if tid == IN_HOUSE and tid not in known:
                self.report(path + (i,), f"{IN_HOUSE} belongs in current.replacing only (a home-grown system "
                                         "being replaced)")
                continue
            if tid not in known:
                hint = _suggest(tid, known)
                extra = f"; did you mean {hint!r}?" if hint else ""
                self.report(path + (i,), f"unknown tool {describe(item)}{extra} (kept, but briefgen knows nothing "
                                         "about it)", warning=True)
                self.spelled.setdefault(tid, text)
            good.append((i, tid, describe(tid)))
        if not self.unique(path, good) or len(good) != len(items):
            return _INVALID
        return [tid for _, tid, _ in good]

    def kind_stakeholder_list(self, spec: FieldSpec, path: FieldPath, value: Any) -> Any:
        items = self.items(spec, path, value, "stakeholders, each with a name")
        if items is None:
            return _INVALID
        out, names = [], []
        for i, item in enumerate(items):
            where = path + (i,)
            if not isinstance(item, dict):
                self.report(where, f"must be a mapping with name, weight and priorities (got {describe(item)})")
                continue
            ok = True
            for key in item:
                if key not in STAKEHOLDER_KEYS:
                    self.unknown(where + (key,), STAKEHOLDER_KEYS, "stakeholders")
                    ok = False
            name = self.field(_STAKEHOLDER_NAME, where + ("name",), item.get("name"))
            weight = 1 if item.get("weight") is None else item["weight"]
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight) \
                    or not 0 < weight <= STAKEHOLDER_WEIGHT_MAX:
                self.report(where + ("weight",), f"must be a number above 0 and at most {STAKEHOLDER_WEIGHT_MAX} "
                            f"(got {describe(weight)})")
                ok = False
            priorities = self.priorities(where + ("priorities",), item.get("priorities"))
            if ok and name is not _INVALID and (priorities is not None or item.get("priorities") is None):
                names.append((i, _same_key(name), describe(name)))
                out.append({"name": name, "weight": weight, "priorities": priorities or {}})
        seen: dict[str, int] = {}
        for index, key, shown in names:
            if key in seen:
                self.report(path + (index, "name"), f"{shown} is named twice (already at "
                            f"{self.position(path + (seen[key], 'name'))}); give each stakeholder a different name")
            seen.setdefault(key, index)
        return out if len(out) == len(items) == len(seen) else _INVALID

    def frameworks(self, value: Any, clean: dict) -> None:
        path = ("frameworks",)
        known = ", ".join(sorted(self.known))
        if value is None:
            return
        if isinstance(value, str):
            if normalise_framework_id(value) == "all":
                clean["frameworks"] = "all"
            else:
                word = normalise_framework_id(value)
                example = word if word in self.known else ", ".join(FRAMEWORK_IDS[:2])
                self.report(path, f"must be `all` or a list of framework ids (got {describe(value)}; "
                                  f"write [{example}] for a list)")
            return
        if not isinstance(value, list):
            self.report(path, f"must be `all` or a list of framework ids (got {describe(value)})")
            return
        if not value:
            self.report(path, f"must name at least one framework, or be `all` (known: {known})")
            return
        good: list[tuple[int, str, str]] = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.report(path + (i,), f"must be a framework id (got {describe(item)}; known: {known})")
                continue
            fid = normalise_framework_id(item)
            if fid == "all":
                if len(value) == 1:
                    clean["frameworks"] = "all"
                    return
                self.report(path + (i,), "`all` must stand alone (write `frameworks: all`)")
            elif fid not in self.known:
                hint = _suggest(fid, self.known)
                extra = f"; did you mean {hint!r}?" if hint else ""
                self.report(path + (i,), f"unknown framework {describe(item)}{extra} (known: {known})")
            else:
                good.append((i, fid, describe(fid)))
        if self.unique(path, good) and len(good) == len(value):
            clean["frameworks"] = [fid for _, fid, _ in good]

    def output_name(self, path: FieldPath, name: str) -> Any:
        problem = output_name_problem(name)
        if problem:
            self.report(path, problem)
            return _INVALID
        return name

    def _inside(self, path: FieldPath, text: str, what: str) -> PurePosixPath | None:
        """``text`` as a relative path that stays inside the profile's folder, or None after reporting why."""
        posix, windows = PurePosixPath(text), PureWindowsPath(text)
        problem = None
        if posix.is_absolute() or windows.is_absolute() or windows.drive or text.startswith("\\"):
            problem = "must be a path relative to the profile's folder, not an absolute path"
        elif "\\" in text:
            problem = "must use '/' between folders"
        elif ".." in posix.parts:
            problem = "must stay inside the profile's folder (no '..')"
        elif what == "logo" and posix.suffix.lower() not in LOGO_SUFFIXES:
            problem = f"must be a .png, .jpg or .jpeg file (got {describe(text)})"
        elif self.base_dir is None:
            problem = ("cannot be found for a profile read from standard input (a relative path needs the "
                       "profile's folder); give the profile's file name instead of '-'")
        if problem:
            self.report(path, problem)
            return None
        return posix

    def logo(self, path: FieldPath, text: str) -> Any:
        """A PNG or JPEG inside the profile's folder: no absolute path, no '..', no symlink out."""
        posix = self._inside(path, text, "logo")
        if posix is None:
            return _INVALID
        candidate = self.base_dir / posix
        problem = None
        try:
            exists = candidate.exists()
            resolved = candidate.resolve()
            inside = resolved.is_relative_to(self.base_dir)
            is_file = resolved.is_file()
            size = resolved.stat().st_size if is_file else 0
            head = resolved.open("rb").read(8) if is_file and size <= LOGO_MAX_BYTES else b""
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on older Pythons
            self.report(path, f"cannot be read ({getattr(exc, 'strerror', None) or exc})")
            return _INVALID
        if not exists:
            problem = f"file not found: {describe(text)} (looked in the profile's folder)"
        elif not inside:
            problem = "resolves outside the profile's folder (through a symbolic link); copy the image into it"
        elif not is_file:
            problem = "is not a file"
        elif size > LOGO_MAX_BYTES:
            problem = f"is larger than {LOGO_MAX_BYTES // (1024 * 1024)} MiB"
        elif not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
            problem = "is not a PNG or JPEG image (its content does not match)"
        if problem:
            self.report(path, problem)
            return _INVALID
        return posix.as_posix()

    def templates(self, path: FieldPath, text: str) -> Any:
        """A templates folder inside the profile's folder, as the logo: no absolute path, no '..', and
        neither the folder nor a template file in it a symbolic link that leads out. The files'
        content is checked when the brief is made (generator.brief.templating), reported here."""
        posix = self._inside(path, text, "templates")
        if posix is None:
            return _INVALID
        candidate = self.base_dir / posix
        problem = None
        try:
            resolved = candidate.resolve()
            is_dir = resolved.is_dir()
            present = [resolved / name for name in TEMPLATE_FILES if is_dir and (resolved / name).exists()]
            outside = [describe(text) if p is resolved else p.name
                       for p in [resolved, *present] if not p.resolve().is_relative_to(self.base_dir)]
        except (OSError, RuntimeError) as exc:
            self.report(path, f"cannot be read ({getattr(exc, 'strerror', None) or exc})")
            return _INVALID
        if not candidate.exists():
            problem = f"folder not found: {describe(text)} (looked in the profile's folder)"
        elif not is_dir:
            problem = f"is not a folder (write one with 'briefgen templates export {text}')"
        elif outside:
            problem = (f"{outside[0]} resolves outside the profile's folder (through a symbolic link); "
                       "copy the templates into it")
        elif not present:
            problem = f"is not a templates folder: it holds none of {', '.join(TEMPLATE_FILES)}"
        if problem:
            self.report(path, problem)
            return _INVALID
        mark = self.doc.mark(path)
        self.templates_at = f"{self.filename}:{mark.line}:{mark.column}" if mark else self.filename
        return posix.as_posix()

    def kept_and_replaced(self, current: dict) -> None:
        """A tool cannot be both kept and replaced: reported at the replacing item, naming the keep item."""
        keep = current.get("keep", [])
        for i, tid in enumerate(current.get("replacing", [])):
            if tid in keep:
                self.report(("current", "replacing", i),
                            f"{tid!r} is also in current.keep ({self.position(('current', 'keep', keep.index(tid)))}); "
                            "a tool cannot be both kept and replaced: remove it from one of them")

    def workload_and_needs(self, workload: dict, needs: dict) -> None:
        """A workload stated without serving (or distributed training) beside a need for it rated must or should: a
        warning at the need, since either may be what the team meant and the brief would state both."""
        for need, field, off, what in (("model_serving", "serving", "none", "no model serving"),
                                       ("distributed_training", "distributed_training", False, "no distributed training")):
            if workload.get(field, "unset") == off and needs.get(need) in ("must", "should"):
                self.report(("needs", need),
                            f"is rated {needs[need]}, but workload.{field} says {what} "
                            f"({self.position(('workload', field))}); change one of them", warning=True)

    def team_sizes(self, team: dict) -> None:
        size = team.get("size")
        scientists, engineers = team.get("data_scientists", 0), team.get("ml_engineers", 0)
        if isinstance(size, int) and scientists + engineers > size:
            self.report(("team", "data_scientists") if "data_scientists" in team else ("team", "ml_engineers"),
                        f"team.data_scientists + team.ml_engineers is {scientists + engineers}, more than "
                        f"team.size ({size}); raise team.size or lower one of them")
