"""The executive brief is concise by design, so that it keeps to four pages before its sources (issue 16):
short forms of what the technical brief says in full, no note said twice, and a layout that leaves no
half-empty page behind a tall table."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.brief.compose import compose
from generator.brief.templating import bundled_template, template_from_mapping
from generator.document import (
    Brief,
    BulletList,
    Chart,
    Metadata,
    Section,
    SourceList,
    SourceRef,
    Table,
    iter_text,
)
from generator.errors import ConfigError
from generator.knowledge import load_knowledge
from generator.profile import load_profile
from generator.scoring import assess

PROFILES = Path(__file__).resolve().parents[1] / "data" / "profiles"


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def _brief(kb, stem: str, audience: str) -> Brief:
    profile = load_profile(PROFILES / f"{stem}.yaml", known_frameworks=tuple(kb.frameworks))
    return compose(assess(profile, kb), kb, template=bundled_template(audience), today="2026-11-27")


def _rows(brief: Brief, section_id: str, last: str) -> list[tuple[str, ...]]:
    section = next(s for s in brief.sections if s.id == section_id)
    return [r for b in section.blocks if isinstance(b, Table) and b.header[-1] == last for r in b.rows]


def _section_text(brief: Brief, section_id: str) -> str:
    section = next(s for s in brief.sections if s.id == section_id)
    return "\n".join(iter_text(Brief(brief.meta, (section,))))


# --- decision drivers ---------------------------------------------------------------------------


def test_the_executive_weight_reason_gives_the_cause_and_the_technical_the_whole_chain(kb):
    """Harbourline's ease of use: "lowered because there are quarters to build the platform" in the executive
    brief; the technical brief goes on to say what follows from it."""
    short = dict((r[0], r[2]) for r in _rows(_brief(kb, "standard-pipeline-code", "executive"), "drivers", "Why it weighs this much"))
    full = dict((r[0], r[2]) for r in _rows(_brief(kb, "standard-pipeline-code", "technical"), "drivers", "Why it weighs this much"))
    assert short["Ease of use"] == "Starts at the standard 13%; lowered because there are quarters to build the platform"
    assert full["Ease of use"].startswith(
        "Starts at the standard 13%; lowered because there are quarters to build the platform, so initial ease of use"
    )


def test_a_need_a_tool_in_use_does_is_said_to_be_lowered_by_it(kb):
    """Kestrel's notebook servers: "lowered because the team already uses Jupyter", never "raised" (the reason has no
    rule of its own, and a reason without one used to be read as a goal)."""
    short = dict((r[0], r[2]) for r in _rows(_brief(kb, "ds-python-laptop-to-aws", "executive"), "drivers", "Why it weighs this much"))
    assert short["Notebook servers"] == (
        "A should-have need (9% before adjustment); lowered because the team already uses Jupyter for notebook servers"
    )


def test_a_fact_left_out_of_a_weight_reason_is_named_by_its_profile_field(kb):
    """The bank's governance weight: the fact not given in full is named by the field it rests on, so a reader
    can look it up in the profile."""
    why = dict((r[0], r[2]) for r in _rows(_brief(kb, "bank-onprem-airgapped", "executive"), "drivers", "Why it weighs this much"))
    assert why["Governance and security"] == (
        "A must-have need (11% before adjustment); raised because twenty or more models in production need a platform "
        "that scales to many pipelines and models and keeps them governed; also raised by the stated goal of governance"
    )


# --- cost and effort ----------------------------------------------------------------------------


def test_the_executive_cost_table_names_the_pricing_model_and_a_short_bill(kb):
    """The support assistant may use managed services: the executive row says what running MLflow costs, the
    technical row adds the managed offerings; W&B's bill keeps its plans without the bracketed detail."""
    short = _rows(_brief(kb, "llm-app-team", "executive"), "cost", "People and infrastructure to run it")
    full = _rows(_brief(kb, "llm-app-team", "technical"), "cost", "People and infrastructure to run it")
    assert short[0][:2] == ("MLflow", "open source")
    assert short[0][2].startswith("Nothing for the software; you pay for the server, SQL database and object store you run it on [")
    assert full[0][1] == "open source, no paid edition from the project"
    assert "managed MLflow under the provider's own pricing (Databricks" in full[0][2]
    assert short[1][:2] == ("Weights & Biases", "per seat, or a licence to self-host")
    assert short[1][2].startswith(
        "Multi-tenant Cloud plans with overage charges above plan limits for storage and for data sent to Weave, its "
        "LLM tracing product; "
        "Self-Managed needs a W&B licence ["
    )


def test_a_bills_brackets_go_but_what_is_paid_stays():
    """ClearML's self-hosted bill says what is paid in brackets: the short form keeps it."""
    from generator.brief.cost import _ASIDE

    assert _ASIDE.sub("", "Nothing to ClearML (you pay for a server with at least 8 GB of memory).") == (
        "Nothing to ClearML (you pay for a server with at least 8 GB of memory)."
    )
    assert _ASIDE.sub("", "Multi-tenant Cloud plans (Free, Pro, Enterprise) with overage charges.") == (
        "Multi-tenant Cloud plans with overage charges."
    )


# --- risk register ------------------------------------------------------------------------------


def test_a_drawback_reads_as_its_claim_in_the_executive_risk_register(kb):
    """Kubeflow's first risk for Harbourline: the claim, with its sources; the technical brief lists the add-ons."""
    short = _rows(_brief(kb, "standard-pipeline-code", "executive"), "risks", "Owner")
    full = _rows(_brief(kb, "standard-pipeline-code", "technical"), "risks", "Owner")
    # Dated by the three sources cited, as in the technical brief (2025): the short brief cited two and dated the
    # same risk 2023, which a reader of both took for two different risks.
    assert short[0][0] == "Kubeflow: Heavy to install and upgrade. [1, 19, 20] (evidence from 2025)"
    assert "Istio, Knative, cert-manager and Dex" in next(r[0] for r in full if "Heavy to install" in r[0])


def test_headline_keeps_the_claim_before_the_colon_without_asides():
    """A knowledge-base drawback's claim: the text before its colon, without bracketed asides."""
    from generator.brief.plan import headline

    assert headline("Heavy for small teams: about 4.4 vCPU and 12 GiB of platform services.") == "Heavy for small teams."
    assert headline(
        "No pipeline scheduler or DAG engine of its own (Recipes were removed in 3.0); production pipelines need another tool."
    ) == "No pipeline scheduler or DAG engine of its own; production pipelines need another tool."
    assert headline("Ownership changed in 2025.") == "Ownership changed in 2025."


@pytest.mark.parametrize("stem", ["gpu-platform-distributed", "keep-airflow-data-eng", "standard-pipeline-code"])
def test_the_executive_risk_register_leaves_out_risks_low_on_both_counts(kb, stem):
    """A risk of low likelihood and low impact is in the technical register only; the executive one says so."""
    full = _rows(_brief(kb, stem, "technical"), "risks", "Owner")
    short_brief = _brief(kb, stem, "executive")
    short = _rows(short_brief, "risks", "Owner")
    low = [r for r in full if (r[1], r[2]) == ("Low", "Low")]
    assert low and not [r for r in short if (r[1], r[2]) == ("Low", "Low")]
    assert len(short) == len(full) - len(low)
    captions = [b.caption for s in short_brief.sections if s.id == "risks" for b in s.blocks if isinstance(b, Table)]
    assert captions == ["Likelihood from the scores on what it touches, impact from its weight here; risks low on both are left out."]


def test_the_executive_ruled_out_table_gives_only_the_claim_of_the_reason_page_one_argues(kb):
    """Orbital's strongest rival, SageMaker AI, is ruled out for its infrastructure on page 1 in full; the ruled-out
    table of the executive brief gives the claim and points there, the technical brief the whole reason."""
    # Orbital without Ray among its tools, where SageMaker AI outscores the pick on paper (test_scoring_examples).
    p = load_profile(PROFILES / "gpu-platform-distributed.yaml", known_frameworks=tuple(kb.frameworks))
    a = assess(replace(p, current=replace(p.current, tools=("kubernetes",))), kb)
    brief = compose(a, kb, template=bundled_template("executive"), today="2026-11-27")
    short = dict(_rows(brief, "scores", "Why"))
    full = dict(_rows(compose(a, kb, template=bundled_template("technical"), today="2026-11-27"), "scores", "Why"))
    assert short["Amazon SageMaker AI"] == (
        "Amazon SageMaker AI does not fit this team's infrastructure; the summary gives the full reason. [8, 9]"
    )
    # A framework that outscores the pick only on paper is not called its strongest rival.
    assert "Strongest rival" not in _section_text(brief, "recommendation")
    rival = next(line for line in _section_text(brief, "recommendation").splitlines() if line.startswith("Why not the top scorer: "))
    assert rival.endswith("adopting it means moving the workloads. [8, 9]")
    assert full["Amazon SageMaker AI"].startswith("Amazon SageMaker AI does not fit this team's infrastructure: workloads run")


# --- notes said once ----------------------------------------------------------------------------


def test_the_executive_situation_leaves_what_the_next_pages_say_to_them(kb):
    """Harbourline: the ruled-out options are argued in the options table and the heaviest criteria open the
    decision drivers, so the executive situation keeps only the must-have rule; the technical one has all three."""
    short = _section_text(_brief(kb, "standard-pipeline-code", "executive"), "profile")
    full = _section_text(_brief(kb, "standard-pipeline-code", "technical"), "profile")
    assert " ruled out: " not in short and "Heaviest criteria" not in short
    assert "Must-have needs: an option has to do each one well (4 of 5 or more)" in short
    assert "Amazon SageMaker AI is ruled out: the team names no use of AWS" in full and "Heaviest criteria" in full
    assert "Must-have needs (pipeline orchestration): an option has to do each one well" in full


@pytest.mark.parametrize("audience", ["executive", "technical"])
def test_a_wrong_input_is_said_to_change_the_result_once(kb, audience):
    """The situation's opening says it; the assumptions no longer repeat it."""
    text = "\n".join(iter_text(_brief(kb, "llm-app-team", audience)))
    assert text.count("a wrong input changes the result") == 1
    assert "The team, infrastructure and needs are as described above." in text


def test_the_executive_brief_says_where_the_pick_flips_in_sentences_without_a_chart(kb):
    """The executive template draws no sensitivity chart (range_bars: 0); its sentences stay, and the technical
    brief keeps the chart."""
    assert bundled_template("executive").limit("range_bars") == 0
    short = next(s for s in _brief(kb, "bank-onprem-airgapped", "executive").sections if s.id == "change")
    full = next(s for s in _brief(kb, "bank-onprem-airgapped", "technical").sections if s.id == "change")
    assert not [b for b in short.blocks if isinstance(b, Chart)]
    assert [b for b in short.blocks if isinstance(b, BulletList)]
    assert [b for b in full.blocks if isinstance(b, Chart) and b.kind == "range"]


def test_only_the_sensitivity_chart_limit_may_be_zero():
    """range_bars: 0 means no chart; every other limit still starts at 1."""
    sections = [{"id": "recommendation", "title": "R"}]
    assert template_from_mapping({"limits": {"range_bars": 0}, "sections": sections}).limit("range_bars") == 0
    with pytest.raises(ConfigError, match=r"limits.shortlist: must be a whole number from 1 to 50"):
        template_from_mapping({"limits": {"shortlist": 0}, "sections": sections})
    with pytest.raises(ConfigError, match=r"limits.range_bars: must be a whole number from 0 to 50"):
        template_from_mapping({"limits": {"range_bars": -1}, "sections": sections})


# --- layout -------------------------------------------------------------------------------------


def _toy_brief(*blocks) -> Brief:
    return Brief(Metadata("T", "O", "P", "A", (), "2026-11-27"), (Section("s", "Section", 1, tuple(blocks)),))


def test_a_tall_table_of_few_rows_may_split_and_a_small_one_moves_whole():
    """A four-row plan half a page tall may break between its rows (a whole-move left half a page empty);
    a small table still moves whole."""
    from generator.render import pdf as P
    from generator.render.pdf_pages import Keep

    P.register_fonts()
    long = " ".join(["Success: one real model trained, tracked and registered, end to end."] * 6)
    tall = Table(("Phase", "Success"), tuple((f"{i}. Phase", long) for i in range(4)))
    small = Table(("Phase", "Success"), tuple((f"{i}. Phase", "Short.") for i in range(4)))
    b = P._Builder(_toy_brief(tall, small))
    assert not isinstance(b.table(tall)[0], Keep)
    assert isinstance(b.table(small)[0], Keep)


def test_the_sources_heading_needs_room_for_two_entries_not_four():
    """A page may end with the Sources heading and two entries under it; it used to need four."""
    from generator.render import pdf as P
    from generator.render.pdf_pages import NeedRoom

    P.register_fonts()
    refs = tuple(SourceRef(f"[{i}]", "A source title long enough " * 3, "Org", "https://example.org/", "primary", "undated", "2026-11-27") for i in range(1, 7))
    b = P._Builder(_toy_brief())
    out = b.section(Section("sources", "Sources", 1, (SourceList(refs),)))
    room, head, entries = out[0], out[1], out[2:]
    assert isinstance(room, NeedRoom)
    two = P._height(head) + P._height(entries[0]) + P._height(entries[1])
    assert room.height < two + P._height(entries[2])


def test_a_heading_over_a_table_too_short_to_split_needs_room_for_the_whole_table():
    """Three tall rows cannot split (each side would keep too few), so the table moves whole and its heading
    goes with it instead of ending the page alone (the cost table of the vision platform's brief)."""
    from generator.render import pdf as P
    from generator.render.pdf_pages import NeedRoom

    P.register_fonts()
    long = " ".join(["Kubeflow: nothing for the software; you pay for the Kubernetes cluster and its services."] * 9)
    table = Table(("Option", "What is billed"), tuple((f"Option {i}", long) for i in range(3)))
    b = P._Builder(_toy_brief())
    out = b.section(Section("cost", "Cost and effort", 2, (table,)))
    room, head, body = out[0], out[1], out[2]
    assert isinstance(room, NeedRoom)
    whole = P._height(head) + P._height(body)
    assert P.FRAME_H * 0.6 < whole < P.FRAME_H * 0.95
    assert room.height >= whole
