"""The Markdown brief: same content as the document model, every string shown literally."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

import brief_fixture as BF
from generator.brief.compose import compose
from generator.document import Brief, Link, Metadata, Paragraph, Section, Table, Text
from generator.render.markdown import esc, render_markdown

CASES = [pytest.param(p, id=p.stem) for p in BF.PROFILES]


@pytest.fixture(scope="module")
def base_and_scorer():
    return BF.real()


def one_section(*blocks) -> Brief:
    return Brief(meta=Metadata("T", "", "a", "s", (), "2026-11-27"), sections=(Section("s", "S", 1, tuple(blocks)),))


@pytest.mark.parametrize("path", CASES)
def test_markdown_has_title_headings_and_recommendation(path, base_and_scorer):
    """Every section heading is a level-2 heading and the one-sentence recommendation is quoted."""
    base, scorer = base_and_scorer
    a = BF.assessment_for(path, base, scorer)
    brief = compose(a, base)
    md = render_markdown(brief)
    assert md.startswith("# " + esc(brief.meta.title) + "\n")
    for section in brief.sections:
        assert f"\n## {esc(section.title)}\n" in md
    assert f"> **{esc(a.recommendation.sentence)}**" in md


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("R&D <b>x</b>", "R&D &lt;b&gt;x&lt;/b&gt;"),
        ("Weights & Biases, &copy; &#169; &#xA9;", "Weights & Biases, &amp;copy; &amp;#169; &amp;#xA9;"),
        ("[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"),
        ("![img](x.png)", "\\!\\[img\\](x.png)"),
        ("*bold* _it_ `code` a|b ~s~", "\\*bold\\* \\_it\\_ \\`code\\` a\\|b \\~s\\~"),
        ("line one\nline two", "line one line two"),
        ("数据 🚀 منصة", "数据 🚀 منصة"),
    ],
)
def test_user_text_is_escaped_to_show_literally(text, expected):
    """Markdown and HTML syntax in a string is escaped; scripts and emoji pass through."""
    assert esc(text) == expected


def test_paragraph_that_looks_like_a_heading_or_list_stays_a_paragraph():
    """A paragraph starting with '#', '-', '>' or '1.' is escaped at the line start."""
    md = render_markdown(one_section(Paragraph((Text("# not a heading"),)), Paragraph((Text("1. not a list"),))))
    assert "\n\\# not a heading\n" in md
    assert "\n\\1. not a list\n" in md


def test_only_https_links_become_links():
    """A Link with an https URL is a Markdown link; any other scheme is plain text."""
    md = render_markdown(one_section(Paragraph((Link("docs", "https://example.org/a b"), Text(" "), Link("bad", "javascript:x")))))
    assert "[docs](<https://example.org/a%20b>)" in md
    assert "javascript" not in md


def test_table_cells_cannot_break_the_table():
    """A pipe or newline in a cell is escaped so the row keeps its columns."""
    md = render_markdown(one_section(Table(("A", "B"), (("x|y", "two\nlines"),))))
    assert "| x\\|y | two lines |" in md


def test_project_name_with_markup_appears_escaped_in_the_title(base_and_scorer):
    """A hostile project name is shown literally in the Markdown title."""
    base, scorer = base_and_scorer
    a = BF.assessment_for(BF.PROFILES[0], base, scorer)
    a = replace(a, profile=replace(a.profile, project=replace(a.profile.project, name="<script>x</script> [a](b)")))
    md = render_markdown(compose(a, base))
    first = md.splitlines()[0]
    assert "&lt;script&gt;x&lt;/script&gt; \\[a\\](b)" in first
    assert not re.search(r"<script>", md)


EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "data" / "profiles").glob("*.yaml"))


@pytest.fixture(scope="module")
def real_kb():
    from generator.knowledge import load_knowledge

    return load_knowledge(())


@pytest.mark.parametrize("audience", ["executive", "technical"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_parses_as_commonmark_with_no_stray_markers(real_kb, path, audience):
    """A CommonMark parser (with tables) sees every heading and table, and no emphasis marker is left as text."""
    from markdown_it import MarkdownIt

    from generator.brief.templating import bundled_template
    from generator.profile import load_profile
    from generator.scoring import assess

    a = assess(load_profile(path, known_frameworks=tuple(real_kb.frameworks)), real_kb)
    brief = compose(a, real_kb, template=bundled_template(audience))
    tokens = MarkdownIt("commonmark").enable("table").parse(render_markdown(brief))
    texts = [child.content for t in tokens if t.type == "inline" for child in t.children or () if child.type == "text"]
    assert [t for t in texts if "**" in t or re.search(r"(^|\s)\*\S", t)] == []
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    assert headings == [s.title for s in brief.sections]
    tables = sum(1 for s in brief.sections for b in s.blocks if isinstance(b, Table))
    assert sum(1 for t in tokens if t.type == "table_open") == tables


def test_bold_label_with_a_trailing_space_keeps_the_space_outside_the_markers():
    """'**Scalability: **' is not emphasis in CommonMark; the renderer writes '**Scalability:** '."""
    brief = Brief(Metadata("T", "", "", "", (), "2026-01-01"), (Section("s", "S", 1, (Paragraph((Text("Scalability: ", bold=True), Text("Vertex AI leads."))),)),))
    assert "**Scalability:** Vertex AI leads." in render_markdown(brief)
