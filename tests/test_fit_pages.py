"""pipeline.fit_pages: a brief with a page budget is composed again with lower limits until its PDF fits."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from generator.brief.compose import compose
from generator.brief.templating import bundled_template
from generator.knowledge import load_knowledge
from generator.pipeline import FIT_STEPS, fit_pages
from generator.profile import load_profile, profile_from_mapping
from generator.scoring import assess

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-12-05"


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def _case(kb, name: str):
    case = yaml.safe_load((ROOT / "tests" / "cases" / f"{name}.yaml").read_text(encoding="utf-8"))
    profile = profile_from_mapping({**case["profile"], "brief": {"audience": "executive"}},
                                   known_frameworks=tuple(kb.frameworks))
    return assess(profile, kb)


def test_a_brief_that_fits_is_the_one_compose_makes_and_its_measured_pdf_is_returned(kb):
    """Contoso's executive brief fits four pages: nothing is cut, and the PDF rendered to measure it is handed back."""
    profile = load_profile(ROOT / "data" / "profiles" / "azure-enterprise.yaml")
    a = assess(replace(profile, brief=replace(profile.brief, audience="executive")), kb)
    tpl = bundled_template("executive")
    brief, pdf = fit_pages(a, kb, tpl, None, TODAY)
    assert brief == compose(a, kb, template=tpl, today=TODAY)
    assert pdf is not None and pdf[0].startswith(b"%PDF-")


def test_a_brief_that_runs_long_loses_the_least_first_until_its_sources_start_by_page_five(kb):
    """The Bureau of Labor Statistics' brief started its sources on page 6: the first steps (one 'what would change'
    sentence, two risks) are taken in order, and no more than it needs."""
    from generator.render.pdf import render_pdf_paged

    a = _case(kb, "us-bureau-of-labor-statistics-mlflow")
    tpl = bundled_template("executive")
    assert render_pdf_paged(compose(a, kb, template=tpl, today=TODAY))[2]["sources"] >= 6
    brief, (data, _) = fit_pages(a, kb, tpl, None, TODAY)
    assert render_pdf_paged(brief)[2]["sources"] < 6
    assert brief != compose(a, kb, template=tpl, today=TODAY) and data.startswith(b"%PDF-")
    # each step lowers one limit by one: the fitted brief is one of the step-wise compositions, in order
    limits, steps = dict(tpl.limits), []
    for key, floor in FIT_STEPS:
        limits[key] = max(floor, limits[key] - 1)
        steps.append(compose(a, kb, template=replace(tpl, limits=dict(limits)), today=TODAY))
        if steps[-1] == brief:
            break
    assert steps[-1] == brief


@pytest.mark.parametrize("budget, paged", [(0, True), (4, False)], ids=["no-budget", "no-paged-format"])
def test_no_budget_or_no_paged_format_composes_once_and_renders_nothing(kb, budget, paged):
    """The technical template sets no page budget; Markdown alone has no pages: no PDF is rendered to measure."""
    a = _case(kb, "zomato-mlflow")
    tpl = bundled_template("executive")
    tpl = replace(tpl, limits={**tpl.limits, "pages": budget})
    brief, pdf = fit_pages(a, kb, tpl, None, TODAY, paged=paged)
    assert pdf is None and brief == compose(a, kb, template=tpl, today=TODAY)


def test_a_fitted_register_keeps_a_row_for_the_picks_gravest_drawback(kb):
    """Zomato's register holds two risks to the choice itself; fitted to two rows it named no risk of the pick, so
    the gravest drawback keeps a row of its own."""
    from generator.document import Table

    a = _case(kb, "zomato-mlflow")
    brief, _ = fit_pages(a, kb, bundled_template("executive"), None, TODAY)
    table = next(b for s in brief.sections if s.id == "risks" for b in s.blocks if isinstance(b, Table))
    own = [r for r in table.rows if not r[0].startswith(("The choice over", "A second ranking method"))]
    assert len(table.rows) > len(own) >= 1
