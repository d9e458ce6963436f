"""What a client reads about the evidence: no internal notes, honest source dates, stale facts marked.

Every example profile is rendered for both audiences to PDF (read back with pdftotext)
and DOCX (read back with python-docx), as a reader's tools would see them.
"""

from __future__ import annotations

import io
import re
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

from generator.brief.compose import compose
from generator.brief.templating import bundled_template
from generator.knowledge import load_knowledge
from generator.profile import load_profile
from generator.scoring.assess import assess
from readers import require

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "data" / "profiles").glob("*.yaml"))
TODAY = "2026-12-01"
CASES = [(p, audience) for p in EXAMPLES for audience in ("executive", "technical")]


@lru_cache(maxsize=None)
def _brief(path: Path, audience: str):
    kb = load_knowledge()
    return compose(assess(load_profile(path), kb), kb, template=bundled_template(audience), today=TODAY)


def _pdf_text(brief) -> str:
    from generator.render.pdf import render_pdf

    result = subprocess.run([require("pdftotext"), "-enc", "UTF-8", "-", "-"], input=render_pdf(brief),
                            check=True, capture_output=True)
    return " ".join(result.stdout.decode("utf-8").split())


def _docx_text(brief) -> str:
    import docx

    from generator.render.docx import render_docx

    document = docx.Document(io.BytesIO(render_docx(brief)))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def _honest_dates(text: str) -> list[str]:
    """Dates printed after 'published' or a source's 'as of' that no cited source states as its own date."""
    kb = load_knowledge()
    stated = {s.date for s in kb.sources.values() if s.date}
    wrong = [d for d in re.findall(r"source; published (\d{4}-\d{2}-\d{2})", text) if d not in stated]
    # The only "as of" left is the knowledge base's own date (newest retrieval), labelled as such.
    wrong += [m for m in re.findall(r"(.{0,20})as of \d{4}-\d{2}-\d{2}", text) if not m.lower().endswith(("knowledge base ", "knowledge "))]
    return wrong


@pytest.mark.slow
@pytest.mark.parametrize(("path", "audience"), CASES, ids=[f"{p.stem}-{a}" for p, a in CASES])
def test_rendered_briefs_hold_no_internal_notes_and_no_retrieval_date_as_publication_date(path, audience):
    brief = _brief(path, audience)
    for fmt, text in (("pdf", _pdf_text(brief)), ("docx", _docx_text(brief))):
        assert "seed" not in text.lower(), fmt
        assert _honest_dates(text) == [], fmt
        assert re.search(r"(primary|secondary) source; (published \d{4}-\d{2}-\d{2}|undated page|released \d{4}-\d{2}-\d{2}), "
                         r"retrieved \d{4}-\d{2}-\d{2}", text), fmt


def test_stale_facts_are_marked_with_the_year_of_their_evidence():
    """Some technical brief prints a stale fact, and every mark names a year more than a year back."""
    marks = []
    for path in EXAMPLES:
        from generator.document import iter_text

        marks += re.findall(r"\(evidence from (\d{4})\)", " ".join(iter_text(_brief(path, "technical"))))
    assert marks and all(int(year) <= 2025 for year in marks)


def test_the_sources_list_shows_tier_and_dates_of_each_source():
    """Each entry: tier, the page's own date (or 'undated page', or its release date) and the retrieval date."""
    from generator.document import SourceList, SourceRef

    release = SourceRef("[1]", "MLflow 3.17.0", "MLflow", "https://x.org", "primary", "", "2026-11-27", "2026-10-06")
    page = SourceRef("[2]", "Docs", "MLflow", "https://x.org", "primary", "undated", "2026-11-27")
    paper = SourceRef("[3]", "Paper", "NeurIPS", "https://x.org", "secondary", "2015-12-07", "2026-11-27")
    assert release.label == "primary source; released 2026-10-06, retrieved 2026-11-27"
    assert page.label == "primary source; undated page, retrieved 2026-11-27"
    assert paper.label == "secondary source; published 2015-12-07, retrieved 2026-11-27"
    brief = _brief(EXAMPLES[0], "technical")
    refs = [r for s in brief.sections for b in s.blocks if isinstance(b, SourceList) for r in b.sources]
    assert refs and all(r.tier in ("primary", "secondary") and r.retrieved for r in refs)


def test_a_performance_priority_is_accepted_with_a_warning_at_its_line_and_not_weighed(tmp_path):
    """validate warns where 'performance: 9' is written; the weights leave it out and the brief shows it as set but
    not weighed."""
    kb = load_knowledge()
    text = EXAMPLES[0].read_text(encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(text + "priorities:\n  performance: 9\n" if "\npriorities:" not in text
                    else text.replace("\npriorities:\n", "\npriorities:\n  performance: 9\n", 1), encoding="utf-8")
    profile = load_profile(path)
    line = path.read_text(encoding="utf-8").splitlines().index("  performance: 9") + 1
    assert [str(w) for w in profile.warnings] == [
        f"{path}:{line}:16: priorities.performance: performance is not scored or weighted (no benchmark measures it "
        "the same way for every framework), so this priority is ignored; the technical brief shows each framework's "
        "sourced performance notes instead"
    ]
    a = assess(profile, kb)
    assert "performance" not in {w.criterion for w in a.weights}
    brief = compose(a, kb, template=bundled_template("technical"), today=TODAY)
    from generator.document import iter_text

    assert "performance 9 of 10 (not weighed)" in " ".join(iter_text(brief))


def test_a_stakeholders_performance_priority_is_warned_about_and_never_given_as_their_reason():
    """A stakeholder's "performance: 10" is ignored like the team's (the loader warns at its line: test_cli) and is
    not listed among the priorities the brief gives for their pick."""
    from dataclasses import replace

    from generator.profile import Stakeholder

    kb = load_knowledge()
    profile = load_profile(EXAMPLES[0])
    people = (Stakeholder("Ana", 1.0, {"performance": 10.0, "cost": 8.0}), Stakeholder("Ben", 1.0, {"ease_of_use": 9.0}))
    a = assess(replace(profile, stakeholders=people), kb)
    brief = compose(a, kb, template=bundled_template("technical"), today=TODAY)
    from generator.document import iter_text

    assert "performance 10 of 10" not in " ".join(iter_text(brief))
    from generator.brief.context import _Ctx, stakeholder_priorities

    assert stakeholder_priorities(_Ctx(a, kb, bundled_template("technical"), [], TODAY), "Ana") == ["cost 8 of 10"]


def test_the_stale_mark_names_the_evidence_year_or_says_the_sources_are_undated():
    """A dated stale fact shows its evidence year; an undated one read long ago says it is undated."""
    from generator.brief.context import _Ctx

    kb = load_knowledge()
    brief_ctx = _Ctx(assess(load_profile(EXAMPLES[0]), kb), kb, bundled_template("technical"), [], "2028-06-01")
    mlflow = kb.frameworks["mlflow"]
    assert brief_ctx.aged(mlflow.attribute_facts["first_release"]) == " (evidence from 2018)"
    assert brief_ctx.aged(mlflow.attribute_facts["laptop"]) == " (undated sources, last read in 2026)"
    assert _Ctx(brief_ctx.a, kb, brief_ctx.tpl, [], TODAY).aged(mlflow.attribute_facts["laptop"]) == ""


def test_a_brief_dated_before_its_knowledge_warns_with_the_fix():
    """A project.date before the knowledge base's date is kept (it is the user's), with a warning naming the field
    and the first date that agrees with the knowledge; a date on or after it gives no warning."""
    kb = load_knowledge()
    from dataclasses import replace

    profile = load_profile(EXAMPLES[0])
    early = replace(profile, project=replace(profile.project, date="2025-06-30"))
    brief = compose(assess(early, kb), kb, template=bundled_template("technical"), today=TODAY)
    assert brief.meta.date == "2025-06-30"
    assert brief.warnings == (
        f"project.date: 2025-06-30 is before the knowledge this brief uses ({kb.as_of}), so the brief would cite pages "
        f"read after its own date; set {kb.as_of} or later, or leave project.date out to date the brief today",
    )
    on_time = replace(profile, project=replace(profile.project, date=kb.as_of))
    assert compose(assess(on_time, kb), kb, template=bundled_template("technical"), today=TODAY).warnings == ()


def test_a_brief_dated_today_before_its_knowledge_warns_and_keeps_the_date():
    """Without project.date, a day before the knowledge (an early SOURCE_DATE_EPOCH) still dates the brief, with a
    warning that names both dates and the two settings that fix it; that day itself gives no warning."""
    kb = load_knowledge()
    from dataclasses import replace

    profile = load_profile(EXAMPLES[0])
    undated = replace(profile, project=replace(profile.project, date=None))
    brief = compose(assess(undated, kb), kb, template=bundled_template("technical"), today="2025-12-01")
    assert brief.meta.date == "2025-12-01"
    assert brief.warnings == (
        f"the brief is dated 2025-12-01 (SOURCE_DATE_EPOCH, or the clock where it is unset), before the knowledge it "
        f"uses ({kb.as_of}), so it would cite pages read after its own date; set project.date or SOURCE_DATE_EPOCH "
        f"to {kb.as_of} or later",
    )
    assert compose(assess(undated, kb), kb, template=bundled_template("technical"), today=kb.as_of).warnings == ()
