"""The safe YAML loader: what it builds, what it refuses, and that it never runs code or recurses."""

from __future__ import annotations

import re

import math

import pytest
import yaml

from generator.errors import InputError
from generator.profile.yamlsafe import Mark, load_yaml, load_yaml_file, parse_yaml


@pytest.fixture(params=["libyaml", "pure"])
def parser(request, monkeypatch):
    """Run a test with libyaml (the default when present) and with PyYAML's pure-Python parser."""
    if request.param == "pure":
        monkeypatch.setattr(yaml, "CSafeLoader", None, raising=False)
    elif not getattr(yaml, "CSafeLoader", None):
        pytest.skip("libyaml is not installed")
    return request.param


@pytest.mark.parametrize(
    "written, value",
    [
        ("true", True), ("False", False), ("TRUE", True),
        ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"), ("NO", "NO"),
        ("12", 12), ("-3", -3), ("+5", 5), ("0", 0),
        ("012", "012"), ("0o12", "0o12"), ("0x1A", "0x1A"), ("1_000", "1_000"), ("1:20", "1:20"),
        ("0.5", 0.5), (".5", 0.5), ("1.10", 1.1), ("1e3", 1000.0), ("00.5", "00.5"),
        ("2026-11-27", "2026-11-27"), ("2026-11-27T10:00:00", "2026-11-27T10:00:00"),
        ("~", None), ("null", None), ("", None), ("NULL", None),
        ("'012'", "012"), ('"true"', "true"), ("!!str 12", "12"), ("!!int 12", 12), ("!!float 1", 1.0),
        ("!!bool true", True), ("!!null ~", None),
    ],
)
def test_plain_values_follow_yaml_1_2_core_rules(parser, written, value):
    """Only true/false, plain decimals and null get a type; every YAML 1.1 surprise stays text."""
    data = load_yaml(f"v: {written}\n", "t.yaml").data["v"]
    assert data == value and type(data) is type(value)


def test_a_yaml_1_1_directive_does_not_bring_back_1_1_typing(parser):
    """`%YAML 1.1` changes nothing: the loader's own rules decide, so `no` stays text."""
    assert load_yaml("%YAML 1.1\n---\nv: no\nw: 012\n", "t.yaml").data == {"v": "no", "w": "012"}


def test_marks_give_one_based_positions_of_values_and_keys(parser):
    """Every value and key is located (line, column from 1); list items by index."""
    doc = load_yaml("a:\n  b: [x, 'y']\n  c: 3\n", "t.yaml")
    assert doc.marks[("a", "b", 1)] == Mark(2, 10)
    assert doc.key_marks[("a", "c")] == Mark(3, 3)
    assert doc.marks[("a", "c")] == Mark(3, 6)
    assert doc.mark(("a", "c", "missing")) == Mark(3, 6)


def test_plain_text_of_typed_values_is_kept(parser):
    """The source text of an unquoted number or boolean is kept, so a text field can use what was typed."""
    doc = load_yaml("a: 1.10\nb: true\nc: text\nd: '5'\n", "t.yaml")
    assert doc.plain == {("a",): "1.10", ("b",): "true"}


def test_loading_never_calls_python(parser, monkeypatch):
    """A python/object/apply tag is refused and nothing is executed."""
    calls = []
    monkeypatch.setattr("os.system", lambda *a: calls.append(a))
    with pytest.raises(InputError) as info:
        load_yaml('x: !!python/object/apply:os.system ["echo hi"]\n', "t.yaml")
    assert calls == []
    assert str(info.value) == (
        "t.yaml:1:4: x: tag !!python/object/apply:os.system is not allowed "
        "(allowed: !!str, !!int, !!float, !!bool, !!null, !!map, !!seq)"
    )


def test_a_billion_laughs_is_refused_without_expanding(parser):
    """The classic nine-level alias bomb is refused at its first anchor, never expanded."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    with pytest.raises(InputError) as info:
        load_yaml("\n".join(lines) + "\n", "bomb.yaml")
    first = info.value.problems[0]
    assert (first.line, first.field, first.message) == (
        1, "a0", "anchors (&a0) are not allowed; write the value out in full")
    assert all(p.message.startswith(("anchors", "aliases")) for p in info.value.problems)


def test_a_cyclic_alias_is_refused(parser):
    """`a: &a [*a]` (a list containing itself) is refused, so nothing downstream loops."""
    with pytest.raises(InputError) as info:
        load_yaml("a: &a [*a]\n", "t.yaml")
    assert [p.message for p in info.value.problems] == [
        "anchors (&a) are not allowed; write the value out in full",
        "aliases (*a) are not allowed; write the value out in full",
    ]


@pytest.mark.parametrize("depth", [21, 2000, 20000])
def test_deep_nesting_is_refused_without_recursion(parser, depth):
    """Nesting beyond the limit is one clean problem, even at depths that crash recursive loaders."""
    with pytest.raises(InputError) as info:
        load_yaml("a: " + "[" * depth + "]" * depth + "\n", "deep.yaml")
    # libyaml may stop scanning ahead at its own limit (1,000 levels), so the column can
    # be that point rather than the 21st level; the message is the same.
    assert re.fullmatch(r"deep\.yaml:1:\d+: is nested more than 20 levels deep", str(info.value))
    if depth == 21:
        assert str(info.value) == "deep.yaml:1:23: is nested more than 20 levels deep"


def test_nesting_up_to_the_limit_loads(parser):
    """Exactly max_depth levels are fine."""
    data = load_yaml("a: " + "[" * 19 + "]" * 19 + "\n", "t.yaml").data
    for _ in range(19):
        data = data["a"] if isinstance(data, dict) else data[0] if data else data
    assert data == []


def test_duplicate_keys_name_both_lines(parser):
    """A repeated key is an error at the repeat, naming the line of the first."""
    with pytest.raises(InputError) as info:
        load_yaml("a: 1\nb:\n  c: 1\n  c: 2\n", "t.yaml")
    assert str(info.value) == "t.yaml:4:3: b.c: duplicate key (first at line 3); remove one of them"


def test_keys_that_python_would_merge_are_refused(parser):
    """`1`, `1.0` and `true` would collide in a dict; as keys they are refused, not merged."""
    with pytest.raises(InputError) as info:
        load_yaml("1: a\n1.0: b\ntrue: c\nnull: d\n", "t.yaml")
    assert [p.message for p in info.value.problems] == [
        "key 1 is not text; keys must be text (quote it)",
        "key 1.0 is not text; keys must be text (quote it)",
        "key true is not text; keys must be text (quote it)",
        "key null is not text; keys must be text (quote it)",
    ]


@pytest.mark.parametrize(
    "source, message",
    [
        ("", "t.yaml: is empty"),
        ("\n\n  \n", "t.yaml: is empty"),
        ("# a\n# b\n", "t.yaml: contains only comments; there is nothing to read"),
        ("---\n", "t.yaml:2:1: the top level must be a mapping of keys to values, not empty (null)"),
        ("- a\n", "t.yaml:1:1: the top level must be a mapping of keys to values, not a list"),
        ("42\n", "t.yaml:1:1: the top level must be a mapping of keys to values, not a single value (42)"),
        ("a: 1\n---\na: 2\n", "t.yaml:2:1: contains a second YAML document (after '---'); put everything in one document"),
    ],
)
def test_document_shapes_are_reported_as_what_they_are(parser, source, message):
    """Empty, comment-only, null, list, scalar and multi-document files each get their own message."""
    with pytest.raises(InputError) as info:
        load_yaml(source, "t.yaml")
    assert str(info.value) == message


@pytest.mark.parametrize(
    "data, message",
    [
        ("a: 1\n".encode("utf-16"), "t.yaml: is encoded as UTF-16; save it as UTF-8"),
        ("a: 1\n".encode("utf-32"), "t.yaml: is encoded as UTF-32; save it as UTF-8"),
        (b"a: 1\nb: caf\xe9\n", "t.yaml:2:7: is not valid UTF-8 (byte 0xE9); save it as UTF-8 "
                               "(Latin-1 and Windows-1252 are not accepted)"),
        ("a: 1\n".encode("utf-16-le"), "t.yaml:1:2: contains NUL bytes (UTF-16, UTF-32 or a binary file?); "
                                       "save it as UTF-8 text"),
    ],
)
def test_encodings_other_than_utf8_are_refused(data, message):
    """UTF-16/32 (with or without BOM) and Latin-1 are refused with the fix; nothing is guessed."""
    with pytest.raises(InputError) as info:
        load_yaml(data, "t.yaml")
    assert str(info.value) == message


def test_utf8_bom_is_skipped_in_bytes_and_text():
    """A UTF-8 byte-order mark is accepted whether the input is bytes or already text."""
    assert load_yaml(b"\xef\xbb\xbfa: \xc3\xa9\n", "t.yaml").data == {"a": "é"}
    assert load_yaml("\ufeffa: é\n", "t.yaml").data == {"a": "é"}


def test_windows_line_endings_load_like_unix_ones():
    """CRLF files (as Windows editors save them) give the same data and the same line numbers."""
    doc = load_yaml(b"a: 1\r\nb:\r\n  c: [x, y]\r\n", "t.yaml")
    assert doc.data == {"a": 1, "b": {"c": ["x", "y"]}}
    assert doc.marks[("b", "c", 1)] == Mark(3, 10)


def test_size_limit_counts_bytes():
    """Input over max_bytes is refused before parsing."""
    with pytest.raises(InputError) as info:
        load_yaml(b"a: " + b"x" * 100, "t.yaml", max_bytes=64)
    assert str(info.value) == "t.yaml: is larger than 64 bytes; a hand-written file this big is not supported"


def test_file_reading_stops_after_the_limit(tmp_path):
    """load_yaml_file refuses a big file by size, reading at most one byte more than allowed."""
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n" * 1000)
    with pytest.raises(InputError) as info:
        load_yaml_file(path, max_bytes=1024)
    assert str(info.value) == f"{path}: is larger than 1 KiB; a hand-written file this big is not supported"


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    """A named pipe is not a regular file: refused at once instead of waiting for a writer."""
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as info:
        load_yaml_file(fifo)
    assert str(info.value) == f"{fifo}: is not a regular file"


@pytest.mark.parametrize(
    "source, message",
    [
        ("a: .nan\n", "t.yaml:1:4: a: .nan (not-a-number or infinity) is not allowed; quote it if it is text"),
        ("a: -.Inf\n", "t.yaml:1:4: a: -.Inf (not-a-number or infinity) is not allowed; quote it if it is text"),
        ("a: 1e400\n", "t.yaml:1:4: a: '1e400' is too large a number; quote it if it is text"),
        ("a: " + "7" * 5000 + "\n",
         "t.yaml:1:4: a: a number with more than 18 digits is not allowed; quote it if it is text"),
        ("a: !!int x\n", "t.yaml:1:4: a: 'x' is not a valid !!int"),
    ],
)
def test_numbers_that_are_not_finite_or_too_big_are_refused(parser, source, message):
    """NaN, infinity, float overflow and huge integers are problems, never values."""
    with pytest.raises(InputError) as info:
        load_yaml(source, "t.yaml")
    assert str(info.value) == message


def test_parse_yaml_returns_recoverable_problems_with_the_rest_of_the_data():
    """parse_yaml hands back data built without the refused parts, plus the problems, for combined reports."""
    doc, problems = parse_yaml("a: 1\na: 2\nb: !!binary eA==\nc: ok\n", "t.yaml")
    assert doc.data == {"a": 1, "b": "eA==", "c": "ok"}
    assert [str(p) for p in problems] == [
        "t.yaml:2:1: a: duplicate key (first at line 1); remove one of them",
        "t.yaml:3:4: b: tag !!binary is not allowed (allowed: !!str, !!int, !!float, !!bool, !!null, !!map, !!seq)",
    ]


def test_syntax_errors_carry_line_and_column():
    """A YAML syntax error becomes one problem at its line and column (libyaml's wording)."""
    if not getattr(yaml, "CSafeLoader", None):
        pytest.skip("messages pinned for libyaml")
    with pytest.raises(InputError) as info:
        load_yaml("a: [1, 2\nb: 3\n", "t.yaml")
    assert str(info.value) == (
        "t.yaml:2:2: YAML syntax error: did not find expected ',' or ']' "
        "(while parsing a flow sequence that starts at line 1)"
    )


def test_raw_control_characters_are_located():
    """A raw control character is refused by the YAML reader and located by line and column."""
    with pytest.raises(InputError) as info:
        load_yaml("a: ok\nb: x\x1b[31m\n", "t.yaml")
    assert str(info.value) == "t.yaml:2:5: character U+001B is not allowed in YAML; remove it"


def test_nan_never_reaches_the_data():
    """No float in any loaded value is NaN or infinite."""
    doc, _ = parse_yaml("a: [.nan, .inf, -.inf, 1e999, .NaN]\n", "t.yaml")
    assert not any(isinstance(v, float) and not math.isfinite(v) for v in doc.data["a"])
