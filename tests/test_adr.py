"""`-f adr`: every example's brief as a MADR 4 decision record that parses as CommonMark with every section filled."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from generator.brief.compose import compose
from generator.document import Section
from generator.knowledge import load_knowledge
from generator.profile import load_profile
from generator.render.adr import MADR_SECTIONS, MORE, adr_path, render_adr
from generator.scoring import assess

PROFILES = sorted((Path(__file__).resolve().parent.parent / "data" / "profiles").glob("*.yaml"))


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def _brief(kb, path):
    profile = load_profile(path, known_frameworks=tuple(kb.frameworks))
    return compose(assess(profile, kb), kb, today="2026-11-27")


def madr_sections(text: str) -> dict[str, int]:
    """MADR heading -> number of block tokens under it before the next MADR heading (CommonMark parse)."""
    body = text.split("\n---\n", 1)[1]
    tokens = MarkdownIt("commonmark", {"html": False}).enable("table").parse(body)
    names = {name for name, _ in MADR_SECTIONS}
    found: dict[str, int] = {}
    current = None
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tokens[i + 1].content in names:
            current = tokens[i + 1].content
            found[current] = 0
        elif current and tok.type.endswith("_open") and tok.type != "heading_open" and tok.level == 0:
            found[current] += 1
    return found


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_every_example_adr_has_each_madr_section_non_empty(kb, path):
    text = render_adr(_brief(kb, path))
    assert text.startswith("---\nstatus: proposed\ndate: \"2026-12-04\"\ndecision-makers: [")
    sections = madr_sections(text)
    assert list(sections) == [name for name, _ in MADR_SECTIONS]
    assert [name for name, blocks in sections.items() if blocks == 0] == []


def test_a_section_the_mapping_does_not_know_lands_under_more_information(kb):
    brief = _brief(kb, PROFILES[0])
    new = Section("goals-fit", "How the pick serves the goals", 1, ())
    text = render_adr(brief.__class__(brief.meta, (*brief.sections, new), brief.theme, brief.audience))
    assert text.index("### How the pick serves the goals") > text.index(f"## {MORE}")


def test_adr_numbering_follows_the_highest_record_and_reuses_its_own(tmp_path):
    for name in ("0001-first.md", "0012-other.md", "notes.md", "12-short.md"):
        (tmp_path / name).write_text("x")
    assert adr_path(tmp_path, "fraud").name == "0013-fraud.md"
    (tmp_path / "0013-fraud.md").write_text("x")
    (tmp_path / "0014-next.md").write_text("x")
    assert adr_path(tmp_path, "fraud").name == "0013-fraud.md"


@pytest.mark.parametrize(("existing", "expected"), [
    (("9999-a.md",), "10000-fraud.md"),
    (("9999-a.md", "10000-b.md"), "10001-fraud.md"),
    (("0005-x.MD",), "0006-fraud.md"),
    (("0007-fraud.MD", "0009-y.md"), "0007-fraud.MD"),
], ids=["after-9999", "after-10000", "upper-case-extension", "own-record-upper-case"])
def test_adr_numbering_counts_past_9999_and_any_case_of_md(tmp_path, existing, expected):
    """Records numbered 10000 and up, or ending in .MD, count: a new record never repeats a number."""
    for name in existing:
        (tmp_path / name).write_text("x")
    assert adr_path(tmp_path, "fraud").name == expected


def test_render_adr_dir_writes_the_numbered_record(tmp_path):
    from click.testing import CliRunner

    from generator.cli import cli

    adr_dir = tmp_path / "decisions"
    adr_dir.mkdir()
    (adr_dir / "0003-earlier.md").write_text("x")
    result = CliRunner().invoke(cli, ["render", str(PROFILES[0]), "-f", "md", "-o", str(tmp_path / "out"),
                                      "--adr-dir", str(adr_dir)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in adr_dir.iterdir())
    assert written[0] == "0003-earlier.md" and written[1].startswith("0004-") and len(written) == 2


def _main(capsys, *args, stdin: bytes | None = None, monkeypatch=None):
    """Run the real entry point; (exit code, stdout bytes, stderr text)."""
    import io
    import sys

    from generator.cli import main

    class _Out(io.StringIO):  # text stdout whose .buffer collects the bytes '-o -' writes
        def __init__(self):
            super().__init__()
            self.buffer = io.BytesIO()

    out = _Out()
    monkeypatch.setattr(sys, "stdout", out)
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    with pytest.raises(SystemExit) as info:
        main(list(args))
    return info.value.code, out.buffer.getvalue() + out.getvalue().encode(), capsys.readouterr().err


def test_the_record_goes_to_standard_output_with_f_adr_o_dash(tmp_path, capsys, monkeypatch):
    code, out, err = _main(capsys, "render", str(PROFILES[0]), "-f", "adr", "-o", "-", monkeypatch=monkeypatch)
    assert code == 0 and err == ""
    assert out.startswith(b"---\nstatus: ") and b"## Decision Outcome" in out


def test_adr_dir_with_o_dash_is_a_usage_error_with_the_prefix(tmp_path, capsys, monkeypatch):
    code, out, err = _main(capsys, "render", str(PROFILES[0]), "-f", "md", "-o", "-", "--adr-dir",
                           str(tmp_path / "decisions"), monkeypatch=monkeypatch)
    assert code == 2 and out == b""
    assert err.startswith("briefgen: error: -o - writes one brief to standard output;") and err.count("\n") == 1
    assert not (tmp_path / "decisions").exists()


def test_a_profile_from_standard_input_gets_its_record_under_name(tmp_path, capsys, monkeypatch):
    adr_dir = tmp_path / "decisions"
    code, out, err = _main(capsys, "render", "-", "--name", "q3-review", "-f", "md", "-o", str(tmp_path / "out"),
                           "--adr-dir", str(adr_dir), stdin=PROFILES[0].read_bytes(), monkeypatch=monkeypatch)
    assert code == 0, err
    assert sorted(p.name for p in adr_dir.iterdir()) == ["0001-q3-review.md"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["q3-review.md"]


def test_the_example_record_in_docs_is_what_briefgen_renders_now(tmp_path, monkeypatch):
    """docs/decisions/0001-fraud-scoring.md equals a fresh `-f adr` render of its profile (regenerate it after a knowledge or wording change)."""
    from click.testing import CliRunner

    from generator.cli import cli

    root = Path(__file__).resolve().parent.parent
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    result = CliRunner().invoke(cli, ["render", str(root / "data" / "profiles" / "aws-fraud-detection.yaml"),
                                      "-f", "adr", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    fresh = (tmp_path / "fraud-scoring.adr.md").read_text(encoding="utf-8")
    assert (root / "docs" / "decisions" / "0001-fraud-scoring.md").read_text(encoding="utf-8") == fresh
