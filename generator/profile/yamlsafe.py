"""A YAML loader for small hand-written files that never runs code or expands data without bound.

Built on PyYAML's event stream (libyaml when present), never on its
constructors, so that every rule lives here and nothing recurses:

* one document; an empty or comment-only file, a second ``---`` document and a
  top level that is not a mapping are each reported as what they are;
* only the standard tags (str, int, float, bool, null, map, seq); anchors and
  aliases are refused, so nothing can be expanded into a "billion laughs";
* YAML-1.2-style typing of unquoted values: only ``true``/``false`` (any of the
  three cases) are booleans, only plain decimal numbers without a leading zero
  are numbers, ``~``/``null``/empty are null, and everything else stays the
  text that was typed — ``no``, ``on``, ``012``, ``1:20`` and ``2026-11-27``
  are text, so the schema decides what they mean;
* no NaN, no infinity, no integer with more than 18 digits;
* duplicate keys (naming both lines) and keys that are not text are errors;
* a byte limit (read ``max_bytes + 1`` bytes), a nesting limit, UTF-8 with or
  without a byte-order mark and nothing else.

Every problem carries its line and column (1-based) so a person can fix it.
"""

from __future__ import annotations

import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from generator.errors import InputError, Problem

DEFAULT_MAX_BYTES = 256 * 1024
DEFAULT_MAX_DEPTH = 20
MAX_INT_DIGITS = 18  # fits a signed 64-bit integer; nothing a person types by hand is longer

_T = "tag:yaml.org,2002:"
_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
# No leading zero either, so "012" and "00.5" stay text instead of guessing.
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z")
_COLLECTION_TAGS = {"map": _T + "map", "seq": _T + "seq"}
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,60}\Z")
ALLOWED_TAGS = "!!str, !!int, !!float, !!bool, !!null, !!map, !!seq"


def _tag_problem(tag: str, node: str) -> str:
    """Why ``tag`` cannot stand on ``node`` ("a mapping", "a list", "a single value"): a tag of the allowed set on the
    wrong kind of value is said to be that ("tag !!map is not allowed (allowed: ..., !!map, ...)" contradicted
    itself)."""
    shown = _tag_text(tag)
    if shown in ALLOWED_TAGS.split(", "):
        return f"tag {shown} does not fit {node}; remove the tag"
    return f"tag {shown} is not allowed (allowed: {ALLOWED_TAGS})"


class Mark(NamedTuple):
    """A position in the file, 1-based like an editor's."""

    line: int
    column: int


FieldPath = tuple  # such as ("team", "size") or ("frameworks", 2)


@dataclass(frozen=True)
class YamlDocument:
    """A loaded document: plain data, and where each value (and each key) was written."""

    data: Any
    marks: dict[FieldPath, Mark]  # path -> position of the value
    key_marks: dict[FieldPath, Mark] = field(default_factory=dict)  # path -> position of its key
    plain: dict[FieldPath, str] = field(default_factory=dict)  # path -> source text of an unquoted non-text value

    def mark(self, path: FieldPath) -> Mark | None:
        """Where the value at ``path`` was written, else its nearest written ancestor."""
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path)


def dotted(path: FieldPath) -> str | None:
    """``("team", "size")`` -> ``team.size``; list positions as ``[i]`` (0-based)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not _PLAIN_KEY.match(part):  # odd keys are quoted, so a path is always one printable line
            out += f"[{_short(part)}]"
        else:
            out += f".{part}" if out else part
    return out or None


def read_limited(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, *, label: str | None = None) -> bytes:
    """Read at most ``max_bytes`` of a regular file; raise InputError (one line) for anything else."""
    name = label or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)  # a FIFO must not hang us at open()
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise _fatal(name, None, "is a folder, not a file") from None
    except FileNotFoundError:
        raise _fatal(name, None, "file not found") from None
    except OSError as exc:
        raise _fatal(name, None, f"cannot read the file ({exc.strerror})") from None
    try:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise _fatal(name, None, "is a folder, not a file")
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _fatal(name, None, "is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise _fatal(name, None, f"cannot read the file ({exc.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise _fatal(name, None, f"is larger than {_size(max_bytes)}; a hand-written file this big is not supported")
    return data


def read_stream(stream, max_bytes: int = DEFAULT_MAX_BYTES, *, label: str) -> bytes:
    """Read at most ``max_bytes`` of a binary stream (standard input); raise InputError (one line) past it."""
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        raise _fatal(label, None, f"cannot read it ({exc.strerror})") from None
    if len(data) > max_bytes:
        raise _fatal(label, None, f"is larger than {_size(max_bytes)}; a hand-written file this big is not supported")
    return data


def load_yaml_file(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    label: str | None = None,
) -> YamlDocument:
    """Read and load ``path``; raise InputError listing every problem found."""
    name = label or str(path)
    return load_yaml(read_limited(path, max_bytes, label=name), name, max_bytes=max_bytes, max_depth=max_depth)


def load_yaml(
    source: str | bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> YamlDocument:
    """Load one YAML document whose top level is a mapping; raise InputError listing every problem."""
    doc, problems = parse_yaml(source, filename, max_bytes=max_bytes, max_depth=max_depth)
    if problems:
        raise InputError(problems)
    return doc


def parse_yaml(
    source: str | bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> tuple[YamlDocument, list[Problem]]:
    """Load like :func:`load_yaml` but return the problems instead of raising.

    A fatal problem (syntax, encoding, size, depth, shape) raises InputError at
    once. Problems that leave the rest readable (a duplicate or non-text key, a
    refused tag or anchor, an impossible number) are returned with the data
    built without them, so a caller can report them together with its own checks.
    """
    text = _decode(source, filename, max_bytes)
    _refuse_unicode_line_breaks(text, filename)
    builder = _Builder(filename, max_depth)
    try:
        builder.run(text)
    except RecursionError:  # belt and braces: the builder itself does not recurse
        raise _fatal(filename, None, "is nested too deeply to read") from None
    except (yaml.YAMLError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        raise _from_yaml_error(exc, filename, text, max_depth) from None
    if builder.documents == 0:
        if text.strip():
            raise _fatal(filename, None, "contains only comments; there is nothing to read")
        raise _fatal(filename, None, "is empty")
    root = builder.root
    if not isinstance(root, dict):
        where = builder.root_mark
        what = "empty (null)" if root is None else _kind(root)
        raise InputError(
            [Problem(filename, where.line, where.column, None, f"the top level must be a mapping of keys to values, not {what}")]
        )
    return YamlDocument(root, builder.marks, builder.key_marks, builder.plain), builder.problems


# -- decoding -----------------------------------------------------------------

# The YAML 1.1 reader takes these for line breaks, where YAML 1.2 (and every editor) does not: one pasted from a web
# page or Word into a comment made a valid file a syntax error at the wrong line, and moved every later line number.
_UNICODE_BREAKS = {"\u2028": "U+2028 (line separator)", "\u2029": "U+2029 (paragraph separator)",
                   "\u0085": "U+0085 (next line)"}


def _refuse_unicode_line_breaks(text: str, filename: str) -> None:
    found = [i for i in (text.find(ch) for ch in _UNICODE_BREAKS) if i >= 0]
    if found:
        i = min(found)
        raise _fatal(filename, _char_position(text, i),
                     f"contains the character {_UNICODE_BREAKS[text[i]]}, which YAML readers take for a line break "
                     "(text pasted from a web page or a word processor?); delete it, or end the line there")


def _decode(source: str | bytes, filename: str, max_bytes: int) -> str:
    if isinstance(source, str):
        if len(source) > max_bytes and len(source.encode("utf-8", "surrogatepass")) > max_bytes:
            raise _fatal(filename, None, f"is larger than {_size(max_bytes)}; a hand-written file this big is not supported")
        return source[1:] if source.startswith("\ufeff") else source
    if len(source) > max_bytes:
        raise _fatal(filename, None, f"is larger than {_size(max_bytes)}; a hand-written file this big is not supported")
    for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                      (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if source.startswith(bom):
            raise _fatal(filename, None, f"is encoded as {name}; save it as UTF-8")
    if source.startswith(b"\xef\xbb\xbf"):
        source = source[3:]
    if b"\x00" in source:
        line, column = _byte_position(source, source.index(b"\x00"))
        raise _fatal(filename, (line, column), "contains NUL bytes (UTF-16, UTF-32 or a binary file?); save it as UTF-8 text")
    try:
        return source.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(source, exc.start)
        raise _fatal(
            filename,
            (line, column),
            f"is not valid UTF-8 (byte 0x{source[exc.start]:02X}); save it as UTF-8 "
            "(Latin-1 and Windows-1252 are not accepted)",
        ) from None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def _size(n: int) -> str:
    return f"{n // 1024} KiB" if n % 1024 == 0 else f"{n} bytes"


# -- errors -------------------------------------------------------------------


def _fatal(filename: str, where: tuple[int, int] | None, message: str, path: FieldPath = ()) -> InputError:
    line, column = where if where else (None, None)
    return InputError([Problem(filename, line, column, dotted(path), message)])


def _from_yaml_error(exc: Exception, filename: str, text: str, max_depth: int = DEFAULT_MAX_DEPTH) -> InputError:
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _char_position(text, exc.position)
        code = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        return _fatal(filename, (line, column), f"character {code} is not allowed in YAML; remove it")
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        if "maximum nesting depth" in str(exc.problem):
            # libyaml (PyYAML >= 6.0.4) scans ahead in flow context and stops at 1,000
            # levels before our own depth check sees an event: same meaning, same words.
            return _fatal(filename, (mark.line + 1, mark.column + 1), f"is nested more than {max_depth} levels deep")
        message = f"YAML syntax error: {exc.problem}"
        if exc.context:
            context = exc.context
            if exc.context_mark is not None and exc.context_mark.line != mark.line:
                context += f" that starts at line {exc.context_mark.line + 1}"
            message += f" ({context})"
        if "escape" in str(exc.problem) or "hexdecimal" in str(exc.problem):
            message += "; in double quotes a backslash starts an escape, so write such text in single quotes"
        lines = text.splitlines()
        if mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            message += "; indent with spaces, not tabs"
        return _fatal(filename, (mark.line + 1, mark.column + 1), message)
    if isinstance(exc, yaml.YAMLError):
        return _fatal(filename, None, f"YAML error: {exc}")
    if isinstance(exc, UnicodeDecodeError):
        return _fatal(filename, None, "is not valid UTF-8; save it as UTF-8")
    return _fatal(filename, None, f"cannot be read as YAML ({type(exc).__name__}: {exc})")


def _char_position(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - start + 1


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a single value ({value!r})" if not isinstance(value, str) else f"a single text value ({_short(value)})"


def _short(text: str, limit: int = 40) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)


# -- building -----------------------------------------------------------------

_NO_KEY = object()
_BAD_KEY = object()


class _Frame:
    __slots__ = ("container", "path", "pending", "pending_mark", "seen")

    def __init__(self, container: Any, path: FieldPath | None):
        self.container = container
        self.path = path  # None: a subtree that is being discarded (e.g. a mapping used as a key)
        self.pending: Any = _NO_KEY
        self.pending_mark: Mark | None = None
        self.seen: dict[str, Mark] = {}


class _Builder:
    """Turns parser events into dicts, lists and scalars; one flat loop, no recursion."""

    def __init__(self, filename: str, max_depth: int):
        self.filename = filename
        self.max_depth = max_depth
        self.problems: list[Problem] = []
        self.marks: dict[FieldPath, Mark] = {}
        self.key_marks: dict[FieldPath, Mark] = {}
        self.plain: dict[FieldPath, str] = {}
        self.documents = 0
        self.root: Any = None
        self.root_mark = Mark(1, 1)
        self.stack: list[_Frame] = []

    def problem(self, mark: Mark, path: FieldPath | None, message: str) -> None:
        self.problems.append(Problem(self.filename, mark.line, mark.column, dotted(path or ()), message))

    def run(self, text: str) -> None:
        loader_cls = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader  # libyaml: ~20x faster
        loader = loader_cls(text)
        ev = yaml.events
        try:
            while loader.check_event():
                event = loader.get_event()
                mark = Mark(event.start_mark.line + 1, event.start_mark.column + 1)
                if isinstance(event, ev.DocumentStartEvent):
                    self.documents += 1
                    if self.documents > 1:
                        raise _fatal(self.filename, mark, "contains a second YAML document (after '---'); put everything in one document")
                elif isinstance(event, ev.ScalarEvent):
                    self._anchor(event, mark, self._place_scalar(event, mark))
                elif isinstance(event, (ev.MappingStartEvent, ev.SequenceStartEvent)):
                    is_map = isinstance(event, ev.MappingStartEvent)
                    container: Any = {} if is_map else []
                    path = self._place(container, mark)
                    self._anchor(event, mark, path)
                    if event.tag not in (None, "!", _COLLECTION_TAGS["map" if is_map else "seq"]):
                        self.problem(mark, path, _tag_problem(event.tag, "a mapping" if is_map else "a list"))
                    if len(self.stack) >= self.max_depth:
                        raise _fatal(self.filename, mark, f"is nested more than {self.max_depth} levels deep")
                    self.stack.append(_Frame(container, path))
                elif isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
                    self.stack.pop()
                elif isinstance(event, ev.AliasEvent):
                    path = self._place(None, mark)
                    self.problem(mark, path, f"aliases (*{event.anchor}) are not allowed; write the value out in full")
        finally:
            loader.dispose()

    def _anchor(self, event: Any, mark: Mark, path: FieldPath | None) -> None:
        if event.anchor is not None:
            self.problem(mark, path, f"anchors (&{event.anchor}) are not allowed; write the value out in full")

    def _place_scalar(self, event: Any, mark: Mark) -> FieldPath | None:
        value, plain_text, message = _resolve(event)
        path = self._place(value, mark)
        if message:
            self.problem(mark, path, message)
        elif plain_text is not None and path is not None:
            self.plain[path] = plain_text
        return path

    def _place(self, value: Any, mark: Mark) -> FieldPath | None:
        """Put ``value`` where the parser is; return its path (None if discarded)."""
        if not self.stack:
            self.root, self.root_mark = value, mark
            self.marks[()] = mark
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            path = None if frame.path is None else frame.path + (len(frame.container),)
            frame.container.append(value)
            if path is not None:
                self.marks[path] = mark
            return path
        if frame.pending is _NO_KEY:  # this node is a key
            frame.pending, frame.pending_mark = value, mark
            if frame.path is not None and not isinstance(value, str):
                self.problem(mark, frame.path, _key_problem(value))
                frame.pending = _BAD_KEY
            return None
        key, key_mark = frame.pending, frame.pending_mark
        frame.pending = _NO_KEY
        if frame.path is None or key is _BAD_KEY:
            return None
        if key in frame.seen:
            first = frame.seen[key]
            self.problem(key_mark, frame.path + (key,), f"duplicate key (first at line {first.line}); remove one of them")
            return None
        frame.seen[key] = key_mark
        frame.container[key] = value
        path = frame.path + (key,)
        self.marks[path] = mark
        self.key_marks[path] = key_mark
        return path


def _tag_text(tag: str) -> str:
    text = "!!" + tag[len(_T):] if tag.startswith(_T) else tag
    return text if len(text) <= 60 else text[:59] + "…"


def _key_problem(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return f"{_kind(value)} cannot be a key; keys must be text"
    return f"key {_key_text(value)} is not text; keys must be text (quote it)"


def _key_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _resolve(event: Any) -> tuple[Any, str | None, str | None]:
    """(value, source text if an unquoted value became a non-text value, problem message)."""
    text, tag = event.value, event.tag
    plain = event.implicit[0] and not event.style
    if tag in (None, "!") and not plain:
        return text, None, None
    if tag in (None, "!"):
        return _resolve_plain(text)
    if not tag.startswith(_T):
        return text, None, _tag_problem(tag, "a single value")
    kind = tag[len(_T):]
    if kind == "str":
        return text, None, None
    if kind in ("int", "float", "bool", "null"):
        value, _, message = _resolve_plain(text.strip())
        ok = {
            "int": isinstance(value, int) and not isinstance(value, bool),
            "float": isinstance(value, (int, float)) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
            "null": value is None,
        }[kind]
        if message:
            return text, None, message
        if not ok:
            return text, None, f"{_short(text)} is not a valid !!{kind}"
        return (float(value) if kind == "float" else value), None, None
    return text, None, _tag_problem(tag, "a single value")


def _resolve_plain(text: str) -> tuple[Any, str | None, str | None]:
    if _NULL.match(text):
        return None, None, None
    if text in _BOOL:
        return _BOOL[text], text, None
    if _INT.match(text):
        if len(text.lstrip("+-")) > MAX_INT_DIGITS:
            return None, None, f"a number with more than {MAX_INT_DIGITS} digits is not allowed; quote it if it is text"
        return int(text), text, None
    if _FLOAT.match(text):
        value = float(text)
        if not math.isfinite(value):
            return None, None, f"{_short(text)} is too large a number; quote it if it is text"
        return value, text, None
    if _SPECIAL_FLOAT.match(text):
        return None, None, f"{text} (not-a-number or infinity) is not allowed; quote it if it is text"
    return text, None, None
