"""The brief linter: clean on every example and on generated profiles, and it catches each defect class."""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from generator.brief.compose import compose
from generator.brief.lint import lint
from generator.brief.templating import bundled_template
from generator.document import Bar, BulletList, Chart, Paragraph, Section, Table, Text, iter_text
from generator.knowledge import load_knowledge
from generator.profile import load_profile, profile_from_mapping
from generator.scoring import assess

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import gen_profiles  # noqa: E402

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "data" / "profiles").glob("*.yaml"))


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(())


def _brief(kb, assessment, audience):
    return compose(assessment, kb, template=bundled_template(audience))


@pytest.mark.parametrize("audience", ["executive", "technical"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_brief_passes_the_linter(kb, path, audience):
    a = assess(load_profile(path, known_frameworks=tuple(kb.frameworks)), kb)
    assert [str(f) for f in lint(_brief(kb, a, audience), a, kb)] == []


@pytest.mark.slow
def test_500_generated_profiles_pass_the_linter(kb):
    """Profiles from the benchmark generator (every field the scoring reads varies), both audiences in turn."""
    findings = []
    for i in range(500):
        data = gen_profiles.valid_profile(random.Random(i), i)
        a = assess(profile_from_mapping(data, known_frameworks=tuple(kb.frameworks)), kb)
        findings += [f"profile {i}: {f}" for f in lint(_brief(kb, a, ("executive", "technical")[i % 2]), a, kb)]
    assert findings[:10] == []


@pytest.fixture(scope="module")
def bank(kb):
    """The air-gapped, open-source-only, no-managed-services bank: the profile with the most exclusions."""
    path = next(p for p in EXAMPLES if p.stem == "bank-onprem-airgapped")
    a = assess(load_profile(path, known_frameworks=tuple(kb.frameworks)), kb)
    return a, _brief(kb, a, "technical")


def _with_block(brief, section_id, block):
    """The brief with ``block`` appended to one section."""
    sections = tuple(replace(s, blocks=(*s.blocks, block)) if s.id == section_id else s for s in brief.sections)
    return replace(brief, sections=sections)


def _para(text):
    return Paragraph((Text(text),))


def _matrix_total(brief, value):
    """The drivers' score matrix with its first total replaced."""
    def fix(block):
        if isinstance(block, Table) and block.rows and block.rows[-1][0] == "Total (0-100)":
            last = block.rows[-1]
            return replace(block, rows=(*block.rows[:-1], (*last[:2], value, *last[3:])))
        return block

    return replace(brief, sections=tuple(replace(s, blocks=tuple(fix(b) for b in s.blocks)) for s in brief.sections))


def _without_recommended_in_chart(brief):
    def fix(block):
        if isinstance(block, Chart) and block.kind == "bar":
            return replace(block, bars=block.bars[1:])
        return block

    return replace(brief, sections=tuple(replace(s, blocks=tuple(fix(b) for b in s.blocks)) for s in brief.sections))


def _charts_changed(brief, kind, change):
    """The brief with every chart of ``kind`` passed through ``change``."""
    def fix(block):
        return change(block) if isinstance(block, Chart) and block.kind == kind else block

    return replace(brief, sections=tuple(replace(s, blocks=tuple(fix(b) for b in s.blocks)) for s in brief.sections))


def _risk_row(mitigation: str) -> Table:
    """A risk register with one row whose mitigation is ``mitigation``."""
    return Table(("Risk", "Likelihood", "Impact", "Mitigation", "Owner"), (("Ops load", "High", "High", mitigation, "Platform lead"),))


def _weights_rounded_alone(brief, a, kb):
    """The drivers with a weights table whose every weight is rounded on its own (it adds up to 101%)."""
    from generator.wording import percent

    rows = tuple((kb.criteria[w.criterion].name if w.criterion in kb.criteria else a.criterion_names[w.criterion], percent(w.value))
                 for w in a.weights if w.value > 0)
    return _with_block(brief, "drivers", Table(("Criterion", "Weight"), (*rows, ("Total (0-100)", "100%"))))


DEFECTS = {
    "number-in-text": (lambda b: _with_block(b, "recommendation", _para("The recommended option scores 91.3 of 100.")), "number"),
    "number-in-table": (lambda b: _matrix_total(b, "12.0"), "number"),
    "weight-in-text": (lambda b: _with_block(b, "drivers", _para("Governance and security carries 40% of the weight.")), "number"),
    "missing-option": (_without_recommended_in_chart, "missing-option"),
    "excluded-knocked-out": (
        lambda b: _with_block(b, "recommendation", _para("Next step: try Amazon SageMaker AI on one model.")),
        "excluded-option",
    ),
    "excluded-managed": (lambda b: _with_block(b, "risks", _risk_row("Use AKS instead.")), "excluded-option"),
    "excluded-saas": (
        lambda b: _with_block(b, "frameworks", _para("Hard to run. Mitigation: buy the SaaS edition from Union.ai.")),
        "excluded-option",
    ),
    "excluded-cloud-service": (
        lambda b: _with_block(b, "frameworks", _para("No scheduler. Mitigation: Pair it with Airflow or a cloud pipeline service.")),
        "excluded-option",
    ),
    "excluded-hosted-next-step": (
        lambda b: _with_block(b, "recommendation", _para("Next step: move tracking to the vendor's hosted offering.")),
        "excluded-option",
    ),
    "excluded-serverless": (lambda b: _with_block(b, "risks", _risk_row("Use serverless compute.")), "excluded-option"),
    "excluded-vendor-cloud": (
        lambda b: _with_block(b, "frameworks", _para("Hard to size. Mitigation: use the W&B-managed cloud.")),
        "excluded-option",
    ),
    "weight-above-100": (
        lambda b: _with_block(b, "change", _para("If governance mattered more than 100% of the total weight (now 13%), Flyte would lead.")),
        "weight-range",
    ),
    "weight-below-0": (lambda b: _with_block(b, "change", _para("Cost weighed -3% in this profile.")), "weight-range"),
    "rule-id": (lambda b: _with_block(b, "methodology", _para("Raised by a quarter (x1.25, rule dedicated-platform-team).")), "internal"),
    "bracket-left-open": (
        lambda b: _with_block(b, "plan", _para("Success: the main risk checked: many small steps are slow (vendor figure; record why.")),
        "brackets",
    ),
    "two-marks": (lambda b: _with_block(b, "recommendation", _para("It scores 3 of 5 on model serving, which MLflow brings,: its server.")), "punctuation"),
    "two-joints": (lambda b: _with_block(b, "recommendation", _para("Start with an orchestrator that runs there or and grow it.")), "punctuation"),
    "bracket-never-opened": (lambda b: _with_block(b, "risks", _para("Slow start-up, about 30 s cold start) in Flyte.")), "brackets"),
    "hash": (lambda b: _with_block(b, "methodology", _para("Knowledge base version 3f9a2c1d7e.")), "internal"),
    "seed": (lambda b: _with_block(b, "methodology", _para("Sampled with seed 20261127.")), "internal"),
    "distribution": (lambda b: _with_block(b, "methodology", _para("Each weight times U(0.5, 1.5).")), "internal"),
    "raw-enum": (lambda b: _with_block(b, "profile", _para("Kubernetes 'none' and serving both.")), "internal"),
    "snake-case": (lambda b: _with_block(b, "profile", _para("The need for experiment_tracking is high.")), "internal"),
    "wont": (lambda b: _with_block(b, "profile", _para("LLM operations is a wont need.")), "internal"),
    "arrow": (lambda b: _with_block(b, "profile", _para("Infrastructure fit moved (3 -> 1).")), "internal"),
    "truncated-cell": (lambda b: _with_block(b, "scores", Table(("Ruled out", "Why"), (("Kedro", "Cannot meet a must\u2026"),), widths=(1, 5))), "truncated"),
    "truncated-label": (
        lambda b: _with_block(b, "scores", Chart("bar", "t", (Bar("Apache Airflow + MLflow + DVC (Data Version Control)", 75.9),), 100.0)),
        "truncated",
    ),
    "range-chart-without-legend": (lambda b: _charts_changed(b, "range", lambda c: replace(c, legend="")), "chart-legend"),
    "totals-chart-highlights-another": (
        lambda b: _charts_changed(b, "bar", lambda c: replace(
            c, bars=tuple(replace(bar, highlight=i == 1) for i, bar in enumerate(c.bars)))),
        "chart-highlight",
    ),
    "unnamed-framework": (
        lambda b: _with_block(b, "methodology", _para("Training runs there already, and this framework runs its work on all of it.")),
        "unnamed",
    ),
    "negative-level-in-table": (
        lambda b: _with_block(b, "scores", Table(("Criterion", "Weight", "Kubeflow + MLflow"), (("Ease of use", "4%", "-1"),), caption="Scores 0-5.")),
        "scale",
    ),
    "half-level-in-text": (lambda b: _with_block(b, "change", _para("Kubeflow scores 4.5 of 5 on ease of use.")), "scale"),
    "plural-one": (lambda b: _with_block(b, "scores", _para("1 frameworks meet every need.")), "plural"),
    # The bank's brief names its pick "Kubeflow + MLflow" everywhere else.
    "combination-order": (lambda b: _with_block(b, "risks", _para("MLflow + Kubeflow needs two upgrades a year.")), "order"),
    "combination-order-short": (
        lambda b: _with_block(b, "scores", Chart("bar", "t", (Bar("MLflow + Kubeflow", 80.4),), 100.0)),
        "order",
    ),
    "plural-many": (lambda b: _with_block(b, "scores", BulletList((_para("3 framework are ruled out."),))), "plural"),
}


def test_linter_catches_weights_that_do_not_add_up_to_their_printed_total(kb, bank):
    """The bank's weights, each rounded on its own, print 101% against "Total 100%": a weights-total finding."""
    a, brief = bank
    found = [f for f in lint(_weights_rounded_alone(brief, a, kb), a, kb) if f.check == "weights-total"]
    assert [f.message for f in found] == ["the weights shown add up to 101%, not 100%"]


@pytest.mark.parametrize("defect", DEFECTS)
def test_linter_catches_each_defect_with_its_sentence_and_section(kb, bank, defect):
    a, brief = bank
    spoil, check = DEFECTS[defect]
    before = {str(f) for f in lint(brief, a, kb)}
    new = [f for f in lint(spoil(brief), a, kb) if str(f) not in before]
    assert [f.check for f in new][:1] == [check], [str(f) for f in new]
    assert new[0].sentence and new[0].section


def test_one_combination_in_two_orders_is_found_once_and_names_the_first_order(kb, bank):
    a, brief = bank
    spoilt = _with_block(brief, "risks", _para("MLflow + Kubeflow needs care; so does MLflow + Kubeflow."))
    found = [str(f) for f in lint(spoilt, a, kb) if f.check == "order"]
    assert found == [
        "Risk register: 'MLflow + Kubeflow' names the combination that the brief names 'Kubeflow + MLflow' elsewhere: "
        '"MLflow + Kubeflow"'
    ] * 2


def test_a_combination_of_other_frameworks_in_either_order_is_no_finding(kb, bank):
    """Two different combinations that share a framework ("Flyte + MLflow" and "MLflow + DVC") are not one
    combination in two orders."""
    a, brief = bank
    ok = _with_block(brief, "risks", _para("Flyte + MLflow and MLflow + DVC (Data Version Control) were also scored."))
    assert [str(f) for f in lint(ok, a, kb) if f.check == "order"] == []


def test_finding_reads_as_section_message_and_quoted_sentence():
    from generator.brief.lint import Finding

    f = Finding("plural", "Options considered", "1 frameworks meet every need.", '"1 frameworks": the noun should be singular')
    assert str(f) == 'Options considered: "1 frameworks": the noun should be singular: "1 frameworks meet every need."'


def test_linter_walks_subsections(kb, bank):
    a, brief = bank
    sub = Section("x", "Deep", 2, (_para("Sampled with seed 7."),))
    findings = lint(_with_block(brief, "frameworks", sub), a, kb)
    assert any(f.check == "internal" and f.section.endswith("/ Deep") for f in findings)


@pytest.mark.parametrize(
    "constraint",
    [{"managed_services": "forbidden"}, {"saas_allowed": False}],
    ids=["managed-services-forbidden", "saas-not-allowed"],
)
def test_generic_service_advice_is_caught_without_air_gap_too(kb, constraint):
    """A profile that is not air-gapped but forbids managed services or SaaS: a mitigation offering
    "a cloud endpoint" is a finding; the same brief with "self-managed" advice is not."""
    path = next(p for p in EXAMPLES if p.stem == "startup-no-kubernetes")
    profile = load_profile(path, known_frameworks=tuple(kb.frameworks))
    profile = replace(profile, constraints=replace(profile.constraints, **constraint))
    a = assess(profile, kb)
    brief = _brief(kb, a, "technical")
    before = {str(f) for f in lint(brief, a, kb)}
    bad = _with_block(brief, "frameworks", _para("No serving. Mitigation: Serve models with BentoML or a cloud endpoint."))
    good = _with_block(brief, "frameworks", _para("No serving. Mitigation: Serve models with BentoML on self-managed servers."))
    assert [f.check for f in lint(bad, a, kb) if str(f) not in before] == ["excluded-option"]
    assert [str(f) for f in lint(good, a, kb) if str(f) not in before] == []


@pytest.mark.parametrize("audience", ["executive", "technical"])
def test_the_adoption_plan_may_name_the_tool_the_team_is_replacing_but_no_other_ruled_out_option(kb, audience):
    """A team replacing MLflow gets a migration off MLflow and 'MLflow retired', which lint passes; a plan
    that moved work to Kubeflow, ruled out for want of a cluster, is still a finding."""
    data = {
        "schema_version": 2,
        "project": {"name": "Replace MLflow"},
        "team": {"size": 8, "kubernetes_skill": "basic"},
        "infrastructure": {"kubernetes": "none", "clouds": ["aws"]},
        "current": {"tools": ["mlflow"], "replacing": ["mlflow"]},
        "workload": {"models_in_production": 4},
        "needs": {"experiment_tracking": "must", "pipeline_orchestration": "should"},
    }
    a = assess(profile_from_mapping(data, known_frameworks=tuple(kb.frameworks)), kb)
    brief = _brief(kb, a, audience)
    assert "MLflow retired" in " ".join(c for b in brief.sections if b.id == "plan" for t in b.blocks
                                        if isinstance(t, Table) for row in t.rows for c in row)
    assert [str(f) for f in lint(brief, a, kb)] == []
    plan = Table(("Phase", "When", "Scope", "Success and exit criteria", "Owner"),
                 (("4. Migration", "during rollout", "Move the models to Kubeflow.", "Success: MLflow retired.", "Tech lead"),))
    assert [f.message for f in lint(_with_block(brief, "plan", plan), a, kb)] == [
        "the adoption plan names Kubeflow, which this profile rules out"
    ]


def test_the_adoption_plan_may_connect_a_kept_tool_that_is_ruled_out_as_the_pick(kb):
    """Every Cure keeps Kedro, which cannot be the pick; the pilot saying 'Kedro and Kubernetes stay: connect
    them to MLflow here' is advice about the kept tool, not a ruled-out option offered again."""
    data = {
        "schema_version": 2,
        "project": {"name": "Keep Kedro"},
        "team": {"size": 10, "kubernetes_skill": "intermediate"},
        "infrastructure": {"kubernetes": "managed", "clouds": ["gcp"]},
        "current": {"tools": ["kedro", "kubernetes"], "keep": ["kedro", "kubernetes"]},
        "needs": {"experiment_tracking": "must", "model_registry": "must"},
    }
    a = assess(profile_from_mapping(data, known_frameworks=tuple(kb.frameworks)), kb)
    assert next(r for r in a.ranking if r.framework == "kedro").knocked_out
    brief = _brief(kb, a, "executive")
    plan = " ".join(c for s in brief.sections if s.id == "plan" for t in s.blocks if isinstance(t, Table)
                    for row in t.rows for c in row)
    assert "Kedro and Kubernetes stay" in plan
    assert [str(f) for f in lint(brief, a, kb)] == []


def test_a_name_the_profile_author_wrote_is_not_internal_notation(kb, bank):
    """'spark_mllib' among the profile's libraries is echoed as written; the same token anywhere the author did
    not write it is still a finding."""
    a, brief = bank
    a = replace(a, profile=replace(a.profile, workload=replace(a.profile.workload, libraries=("sklearn", "spark_mllib"))))
    brief = _brief(kb, a, "technical")
    assert [str(f) for f in lint(brief, a, kb)] == []
    bad = _with_block(brief, "frameworks", _para("The rule weights tool_fit heavily."))
    assert [f.check for f in lint(bad, a, kb)] == ["internal"]


def test_an_unknown_tool_the_profile_names_in_snake_case_is_the_authors_word(kb, bank):
    """'acme_pipeline' in current.tools is printed as written (briefgen knows nothing about it): --check passed no
    brief of a valid profile naming it; a known tool's id in the text is still a finding."""
    a, _ = bank
    current = replace(a.profile.current, tools=(*a.profile.current.tools, "acme_pipeline"),
                      spelled={"acme_pipeline": "acme_pipeline"})
    a = assess(replace(a.profile, current=current), kb)
    brief = _brief(kb, a, "technical")
    assert "acme_pipeline" in " ".join(iter_text(brief))
    assert [str(f) for f in lint(brief, a, kb)] == []
    bad = _with_block(brief, "frameworks", _para("It runs on aws_batch."))
    assert [f.check for f in lint(bad, a, kb)] == ["internal"]


def test_this_framework_in_the_teams_own_summary_is_not_a_finding(kb, bank):
    """A summary that says "a lower priority for this framework" is the team's wording, echoed as written; a
    generated sentence with "this framework" is still a finding."""
    a, _ = bank
    summary = "Deployment to the clinic is a lower priority for this framework."
    a = replace(a, profile=replace(a.profile, project=replace(a.profile.project, summary=summary)))
    brief = _brief(kb, a, "technical")
    assert [str(f) for f in lint(brief, a, kb)] == []
    bad = _with_block(brief, "methodology", _para("Training runs there already, and this framework runs its work on it."))
    assert [f.check for f in lint(bad, a, kb)] == ["unnamed"]


def test_the_adoption_plan_may_name_a_tool_in_use_that_a_constraint_would_rule_out(kb, bank):
    """A team that keeps Databricks and forbids managed services: the plan connects its Databricks, which the
    managed-service terms match but the team already runs (random valid profiles were refused by --check)."""
    a, _ = bank
    p = a.profile
    p = replace(p, constraints=replace(p.constraints, managed_services="forbidden"),
                current=replace(p.current, tools=(*p.current.tools, "databricks"), keep=(*p.current.keep, "databricks")))
    a = replace(a, profile=p)
    brief = _brief(kb, a, "technical")
    assert not [f for f in lint(brief, a, kb) if f.check == "excluded-option" and "Databricks" in f.message]


def test_a_combination_too_long_for_a_chart_label_drops_its_parts_asides():
    """"MLflow + Agent Platform (Vertex AI)" (35 characters) would be cut on the chart: the label drops the aside the
    glossary gives; a short one keeps it."""
    from generator.brief.options import CHART_LABEL_CHARS, short_label

    long = short_label(["MLflow", "Gemini Enterprise Agent Platform (Vertex AI)"])
    assert long == "MLflow + Agent Platform" and len(long) <= CHART_LABEL_CHARS
    assert short_label(["Gemini Enterprise Agent Platform (Vertex AI)"]) == "Agent Platform (Vertex AI)"
    assert short_label(["Kubeflow", "DVC (Data Version Control)"]) == "Kubeflow + DVC"
