"""Page layout of every example brief, in both audiences, as printed: our PDF and the DOCX laid out
by LibreOffice. Headings and chart titles stay with what follows, charts stay whole, no page is
near-empty without a reason, and a URL wraps only after a "/" (see page_layout for the rules)."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from readers import require

import page_layout as L
from generator.document import Bar, Brief, BulletList, Chart, Paragraph, Section, SourceList, SourceRef, Text

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "data" / "profiles").glob("*.yaml"))
CASES = [(p.stem, audience) for p in EXAMPLES for audience in ("executive", "technical")]
IDS = [f"{stem}-{audience}" for stem, audience in CASES]


def _brief(stem: str, audience: str) -> Brief:
    from generator.brief.templating import bundled_template, load_theme
    from generator.knowledge import load_knowledge
    from generator.pipeline import fit_pages
    from generator.profile import load_profile
    from generator.scoring import assess

    kb = load_knowledge()
    path = next(p for p in EXAMPLES if p.stem == stem)
    profile = load_profile(path, known_frameworks=tuple(kb.frameworks))
    profile = replace(profile, brief=replace(profile.brief, audience=audience))
    # as briefgen writes it: fitted to the template's page budget
    return fit_pages(assess(profile, kb), kb, bundled_template(audience), load_theme(logo=profile.brief.logo),
                     "2026-11-27")[0]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[tuple[str, str], tuple[Brief, list, list]]:
    """(stem, audience) -> (brief, pages of our PDF, pages of the DOCX as LibreOffice prints it)."""
    from generator.render.docx import render_docx
    from generator.render.pdf import render_pdf

    out = tmp_path_factory.mktemp("layout")
    briefs = {}
    for stem, audience in CASES:
        brief = briefs[(stem, audience)] = _brief(stem, audience)
        (out / f"{stem}-{audience}.pdf").write_bytes(render_pdf(brief))
        (out / f"{stem}-{audience}.docx").write_bytes(render_docx(brief))
    lo = tmp_path_factory.mktemp("layout-lo")
    profile = tmp_path_factory.mktemp("layout-lo-profile")
    subprocess.run(
        [require("soffice"), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(lo), *sorted(map(str, out.glob("*.docx")))],
        check=True, capture_output=True, timeout=600,
    )
    return {
        key: (brief, L.pages(out / f"{key[0]}-{key[1]}.pdf"), L.pages(lo / f"{key[0]}-{key[1]}.pdf"))
        for key, brief in briefs.items()
    }


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_page_ends_with_a_heading_or_chart_title(rendered, case):
    brief, pdf, docx = rendered[case]
    assert L.stranded_headings(pdf, brief) == []
    assert L.stranded_headings(docx, brief) == []


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_heading_and_its_intro_start_on_the_page_of_their_first_part(rendered, case):
    """'Pros and cons by framework' and its intro line never end a page above an overleaf 'MLflow'."""
    brief, pdf, docx = rendered[case]
    assert L.parted_headings(pdf, brief) == []


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_chart_stays_on_its_titles_page(rendered, case):
    brief, pdf, docx = rendered[case]
    assert L.charts(brief), "every example brief has a chart"
    assert L.split_charts(pdf, brief) == []
    assert L.split_charts(docx, brief) == []


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_chart_shares_a_page_with_the_bullets_that_explain_it(rendered, case):
    """The totals chart with the notes under it, the weights chart with the flips listed above it: a reader
    found the chart at the foot of one page and its explanation at the top of the next."""
    brief, pdf, docx = rendered[case]
    assert L.separated_notes(pdf, brief) == []
    assert L.separated_notes(docx, brief) == []


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_near_empty_page_but_the_last_or_before_a_new_part(rendered, case):
    brief, pdf, docx = rendered[case]
    assert L.near_empty_pages(pdf, brief) == []
    assert L.near_empty_pages(docx, brief) == []


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_urls_wrap_only_after_a_slash(rendered, case):
    brief, pdf, docx = rendered[case]
    assert L.urls(brief), "every example brief lists its sources' URLs"
    assert L.broken_urls(pdf, brief) == []
    assert L.broken_urls(docx, brief) == []


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_table_word_breaks_mid_letter(rendered, case):
    """Both formats, as a reader prints them, headers and cells: the DOCX score matrix with seven options once
    broke "Weig|ht"."""
    brief, pdf, docx = rendered[case]
    assert L.broken_table_words(pdf, brief) == []
    assert L.broken_table_words(docx, brief) == []


@pytest.mark.slow
def test_no_word_of_the_portfolio_table_breaks_mid_letter(tmp_path):
    """The batch portfolio of the example projects, as printed: its project column once broke
    "Recommendatio|ns" (Kestrel's project name) where the robustness column had room to spare."""
    from generator.batch.index import Row
    from generator.brief.portfolio import build_portfolio
    from generator.knowledge import load_knowledge
    from generator.profile import load_profile
    from generator.render.docx import render_docx
    from generator.render.pdf import render_pdf
    from generator.scoring import assess

    kb = load_knowledge()
    rows = []
    for path in EXAMPLES:
        rec = assess(load_profile(path, known_frameworks=tuple(kb.frameworks)), kb).recommendation
        project = load_profile(path).project
        rows.append(Row(str(path), "rendered", project.name, project.organisation, summary={
            "primary": rec.primary, "stack": list(rec.stack), "margin": rec.margin, "robustness": rec.robustness,
            "verdict": str(rec.verdict)}))
    brief = build_portfolio(rows, names={f: fw.name for f, fw in kb.frameworks.items()}, date="2026-11-27")
    (tmp_path / "portfolio.pdf").write_bytes(render_pdf(brief))
    (tmp_path / "portfolio.docx").write_bytes(render_docx(brief))
    subprocess.run(
        [require("soffice"), f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path / "lo"), str(tmp_path / "portfolio.docx")],
        check=True, capture_output=True, timeout=300,
    )
    assert "Recommendations" in {w for t in L._tables(brief.sections) for row in t.rows for v in row for w in v.split()}
    assert L.broken_table_words(L.pages(tmp_path / "portfolio.pdf"), brief) == []
    assert L.broken_table_words(L.pages(tmp_path / "lo" / "portfolio.pdf"), brief) == []


@pytest.mark.slow
@pytest.mark.parametrize("stem", [p.stem for p in EXAMPLES])
def test_the_executive_brief_has_at_most_four_pages_before_its_sources(rendered, stem):
    """Issue 16: "Executive: at most 4 pages before the sources", for every example forced to the executive
    audience. The PDF's Sources start by page 5; the DOCX, whose page 2 is the contents, by page 6."""
    brief, pdf, docx = rendered[(stem, "executive")]
    first = next(b for s in brief.sections if s.id == "sources" for b in s.blocks if isinstance(b, SourceList)).sources[0].key
    at = L.section_page(pdf, "Sources", first)
    assert at is not None and at <= 5, f"Sources start on page {at} of the PDF"
    at = L.section_page(docx, "Sources", first)
    assert at is not None and at <= 6, f"Sources start on page {at} of the DOCX"


# Calibration profiles whose executive briefs ran to a fifth page before the sources when composed unfitted.
LONG_CASES = ("cinnamon-ai-sagemaker", "zomato-mlflow", "twitter-airflow", "bazaarvoice-flyte")


@pytest.mark.slow
def test_an_executive_brief_that_runs_long_is_fitted_to_four_pages_before_its_sources(tmp_path):
    """Long names, a dozen frameworks ruled out or kept tools ran 10 of 206 calibration profiles to a fifth page; the
    fitted brief (fewer 'what would change' sentences, risks or options shown) starts its sources by page 5 of the
    PDF and page 6 of the DOCX (its page 2 is the contents), as LibreOffice prints it."""
    import sys

    import yaml

    from generator.brief.compose import compose
    from generator.brief.templating import bundled_template
    from generator.knowledge import load_knowledge
    from generator.pipeline import fit_pages
    from generator.profile import profile_from_mapping
    from generator.render.docx import render_docx
    from generator.render.pdf import render_pdf, render_pdf_paged
    from generator.scoring import assess

    kb, tpl = load_knowledge(), bundled_template("executive")
    briefs = {}
    for name in LONG_CASES:
        case = yaml.safe_load((Path(__file__).parent / "cases" / f"{name}.yaml").read_text(encoding="utf-8"))
        profile = profile_from_mapping({**case["profile"], "brief": {"audience": "executive"}},
                                       known_frameworks=tuple(kb.frameworks))
        a = assess(profile, kb)
        assert int(render_pdf_paged(compose(a, kb, template=tpl, today="2026-12-05"))[2]["sources"]) == 6, name
        brief, (pdf, _) = fit_pages(a, kb, tpl, None, "2026-12-05")
        briefs[name] = brief
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        (tmp_path / f"{name}.docx").write_bytes(render_docx(brief))
    lo = tmp_path / "lo"
    subprocess.run([require("soffice"), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(lo), *sorted(map(str, tmp_path.glob("*.docx")))],
                   check=True, capture_output=True, timeout=600)
    for name, brief in briefs.items():
        first = next(b for s in brief.sections if s.id == "sources" for b in s.blocks if isinstance(b, SourceList)).sources[0].key
        assert L.section_page(L.pages(tmp_path / f"{name}.pdf"), "Sources", first) <= 5, name
        assert L.section_page(L.pages(lo / f"{name}.pdf"), "Sources", first) <= 6, name


# --- the rules themselves, on made-up pages: each check can fail ------------------------------

LONG = "https://example.org/docs/machine-learning/how-to-create-attach-compute-cluster.md"


def _lines(*texts: str, top: float = 60.0, step: float = 12.0) -> list[L.Line]:
    return [L.Line(top + i * step, top + i * step + 10, t) for i, t in enumerate(texts)]


def _toy():
    """A stand-in brief: one part with a chart and a source list, and an appendix part."""
    chart = Chart(kind="bar", title="Total score by option", bars=(Bar("Alpha", 80), Bar("Beta", 70)), maximum=100)
    sources = SourceList((SourceRef("[1]", "Doc", "Org", LONG, "primary", "undated", "2026-11-27"),))
    body = (Section("scores", "Scores", 2, (chart,)), Section("sources", "Sources", 2, (sources,)))

    class Toy:
        sections = (Section("part", "Options considered", 1, body), Section("appendix", "Appendix", 1, ()))

    return Toy()


def test_a_page_ending_with_a_heading_is_found():
    pages = [_lines("Some text", "Scores"), _lines("Total score by option", "Alpha", "Beta")]
    assert L.stranded_headings(pages, _toy()) == ["page 1 ends with the heading 'Scores'"]


def test_a_chart_whose_bars_run_onto_the_next_page_is_found():
    pages = [_lines("Total score by option", "Alpha 80"), _lines("Beta 70")]
    assert L.split_charts(pages, _toy()) == [
        "chart 'Total score by option' starts on page 1 but its last bar is not there"
    ]
    assert L.split_charts([_lines("Total score by option", "Alpha 80", "Beta 70")], _toy()) == []


def test_a_short_page_is_near_empty_unless_a_new_part_follows():
    full = _lines(*["text"] * 60)
    short = _lines("one line")
    assert L.near_empty_pages([full, short, full, full], _toy()) == [
        "page 2 ends at 1% of the body and page 3 opens no new part"
    ]
    assert L.near_empty_pages([full, short, _lines("Appendix", *["text"] * 59)], _toy()) == []
    assert L.near_empty_pages([full, short], _toy()) == []  # the last page may be short


def test_a_url_wrapped_at_a_hyphen_is_found_and_one_wrapped_after_a_slash_is_not():
    k = LONG.index("create-") + len("create-")
    at_hyphen = [_lines("[1] Doc. Org (primary source). " + LONG[:k], LONG[k:])]
    assert L.broken_urls(at_hyphen, _toy()) == [f"{LONG} wraps after {LONG[:k]!r}"]
    cut = LONG.rindex("/") + 1
    assert L.broken_urls([_lines("[1] Doc. " + LONG[:cut], LONG[cut:])], _toy()) == []


def test_a_header_word_broken_mid_letter_is_found_and_a_whole_one_is_not():
    from generator.document import Metadata, Table

    table = Table(("Criterion", "Weight", "Kubeflow + W&B"), (("Cost", "5%", "3"),))
    toy = Brief(Metadata("T", "O", "P", "A", (), "2026-11-27"), (Section("s", "Scores", 1, (table,)),))
    broken = [_lines("Criterion Weig Kubeflo", "ht w+", "W&B", "Cost 5% 3")]
    assert L.broken_header_words(broken, toy) == ["'Kubeflow' breaks after 'Kubeflo'", "'Weight' breaks after 'Weig'"]
    assert L.broken_header_words([_lines("Criterion Weight Kubeflow", "+ W&B", "Cost 5% 3")], toy) == []


def _last_words(section) -> str:
    """The opening words of a section's last paragraph (for the executive summary: its next step)."""
    from generator.document import Paragraph

    last = [b for b in section.blocks if isinstance(b, Paragraph)][-1]
    return " ".join("".join(i.text for i in last.content).split()[:6])


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_page_one_holds_the_whole_executive_summary_in_both_formats(rendered, case):
    """Page 1 of the DOCX, as of the PDF, ends the executive summary (its last paragraph, the next
    step, is there) and carries no contents list: a reader opening the file starts with the decision."""
    brief, pdf, docx = rendered[case]
    summary = brief.sections[0]
    words = _last_words(summary)
    for pages in (pdf, docx):
        first = " ".join(ln.text for ln in pages[0])
        assert words in first
        assert "Contents" not in [ln.text for ln in pages[0]]


def _toy_with_notes():
    chart = Chart(kind="bar", title="Total score by option", bars=(Bar("Alpha", 80), Bar("Beta", 70)), maximum=100)
    notes = BulletList((Paragraph((Text("Beta meets every must-have need only with a companion."),)),))

    class Toy:
        sections = (Section("part", "Options considered", 1, (chart, notes)),)

    return Toy()


def test_a_chart_whose_notes_start_on_the_next_page_is_found():
    apart = [_lines("Total score by option", "Alpha 80", "Beta 70"), _lines("• Beta meets every must-have need only")]
    assert L.separated_notes(apart, _toy_with_notes()) == [
        "chart 'Total score by option' on page 1, its note 'Beta meets every must-ha'... on page 2"
    ]
    together = [_lines("Total score by option", "Alpha 80", "Beta 70", "• Beta meets every must-have need only")]
    assert L.separated_notes(together, _toy_with_notes()) == []


def test_the_page_a_section_starts_on_is_its_headings_not_the_contents_entry():
    pages = [_lines("Contents", "Sources", "Glossary"), _lines("Text", "Sources", "[1] A source.")]
    assert L.section_page(pages, "Sources", "[1]") == 2
    assert L.section_page(pages[:1], "Sources", "[1]") is None


def test_a_page_ending_with_a_bold_label_is_found():
    """A bold label ("Pros", "Why, for this team") heads what follows as a heading does."""
    label = Paragraph((Text("Why, for this team", bold=True),))

    class Toy:
        sections = (Section("summary", "Executive summary", 1, (label,)),)

    pages = [_lines("Some text", "Why, for this team"), _lines("• The first reason")]
    assert L.stranded_headings(pages, Toy()) == ["page 1 ends with the heading 'Why, for this team'"]
