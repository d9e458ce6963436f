"""The cost and effort table: one row per option the brief compares, in agreement with the options, the
profile and the knowledge base's sourced pricing.

A reader found it contradicting itself and the rest of the brief: "open source, no paid edition" beside
"managed: a subscription or usage fee"; a managed offering's fee for a team that forbids managed services;
"runs on plain servers" for W&B, whose self-managed server runs only on Kubernetes; per-framework rows beside
an options table that compares combinations (Kubeflow's row with no MLflow in the fraud brief), and an effort
band taken from one part while the options table scores the combination.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.brief.compose import compose
from generator.brief.options import options_of
from generator.brief.templating import bundled_template
from generator.document import Table
from generator.knowledge import load_knowledge
from generator.profile import load_profile
from generator.scoring import assess
from generator.wording import level

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "data" / "profiles").glob("*.yaml"))
HEADER = ("Option", "Pricing model", "What is billed", "People and infrastructure to run it")
# Words of a managed service's or SaaS's price in the knowledge base's ``billed`` texts.
SERVICE_WORDS = ("managed", "Hosted Service", "Cloud plans", "sells", "subscription", "usage fee")


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(())


def _profile(kb, path):
    return load_profile(path, known_frameworks=tuple(kb.frameworks))


def _cost_rows(kb, a, audience):
    brief = compose(a, kb, template=bundled_template(audience))
    section = next(s for s in brief.sections if s.id == "cost")
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert table.header == HEADER
    return table.rows, table.caption


@pytest.mark.parametrize("audience", ["executive", "technical"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_cost_rows_are_the_first_options_and_their_effort_is_the_options_overhead_score(kb, path, audience):
    a = assess(_profile(kb, path), kb)
    rows, _ = _cost_rows(kb, a, audience)
    options = options_of(a).viable[: 3 if audience == "technical" else 2]
    names = {f: (kb.frameworks[f].name) for f in kb.frameworks}
    assert [r[0] for r in rows] == [" + ".join(names[f] for f in o.frameworks) for o in options]
    at = [w.criterion for w in a.weights].index("operational_overhead")
    for row, option in zip(rows, options):
        assert f"operational overhead {level(option.levels[at])} of 5:" in row[3]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_team_that_may_not_use_managed_services_or_saas_is_never_shown_their_fees(kb, path):
    """Every example as if it forbade managed services and SaaS: the rows say what running each part costs."""
    p = _profile(kb, path)
    p = replace(p, constraints=replace(p.constraints, managed_services="forbidden", saas_allowed=False))
    a = assess(p, kb)
    if not options_of(a).viable:
        pytest.skip("no viable option")
    rows, caption = _cost_rows(kb, a, "technical")
    assert [(r[0], w) for r in rows for w in SERVICE_WORDS if w in r[2]] == []
    assert caption.endswith("Managed and hosted offerings are left out: the team does not allow them.")


def test_a_team_that_bars_only_hosted_services_is_told_that_is_what_it_bars(kb):
    """Harbourline allows managed services but no SaaS: the caption does not say the profile bars managed ones."""
    path = next(p for p in EXAMPLES if p.stem == "standard-pipeline-code")
    p = _profile(kb, path)
    assert p.constraints.managed_services != "forbidden" and not p.constraints.saas_allowed
    _, caption = _cost_rows(kb, assess(p, kb), "technical")
    assert caption.endswith(
        "Managed and hosted offerings are left out: the team does not allow hosted (SaaS) services, and what each "
        "vendor bills for the two is not told apart here."
    )


def test_the_genomics_cost_table_reads_as_the_options_do(kb):
    """The lab forbids managed services and has no Kubernetes: MLflow + DVC costs the machines it runs on."""
    a = assess(_profile(kb, next(p for p in EXAMPLES if p.stem == "research-lab-open-source")), kb)
    rows, _ = _cost_rows(kb, a, "executive")
    assert rows[0][0] == "MLflow + DVC (Data Version Control)"
    assert rows[0][1] == "open source (both)"
    assert rows[0][2].startswith(
        "MLflow: nothing for the software; you pay for the server, SQL database and object store you run it on ["
    )
    assert "DVC (Data Version Control): nothing for the software; you pay for the Git host and the storage remotes" in rows[0][2]
    assert rows[0][3] == (
        "no Kubernetes cluster needed; operational overhead 3 of 5: part of an engineer's time to run, counting the "
        "effort of running two tools together"
    )


def test_the_fraud_cost_table_names_the_runner_up_combination_with_its_cluster(kb):
    """The fraud team runs a managed Kubernetes service: Kubeflow + MLflow runs on it, and MLflow is in the row."""
    a = assess(_profile(kb, next(p for p in EXAMPLES if p.stem == "aws-fraud-detection")), kb)
    rows, _ = _cost_rows(kb, a, "technical")
    assert [r[0] for r in rows[:2]] == ["Amazon SageMaker AI", "Kubeflow + MLflow"]
    assert rows[0][3] == "nothing to host: the cloud provider runs it; operational overhead 5 of 5: little to run"
    assert rows[1][3] == (
        "Kubeflow runs on the team's Kubernetes cluster; operational overhead 1.5 of 5: ongoing work for a platform team, "
        "counting the effort of running two tools together"
    )
    assert rows[1][2].startswith("Kubeflow: nothing for the software;") and " MLflow: nothing for the software;" in rows[1][2]


def test_a_tool_the_team_keeps_is_already_paid_for_and_already_runs(kb):
    """Meridian keeps Airflow: its row bills nothing new for it and asks no home for it, as scoring counts it."""
    a = assess(_profile(kb, next(p for p in EXAMPLES if p.stem == "keep-airflow-data-eng")), kb)
    rows, _ = _cost_rows(kb, a, "executive")
    assert rows[0][0] == "MLflow + Apache Airflow"
    assert rows[0][2].endswith(" Apache Airflow: nothing new, since the team already runs it and keeps it.")
    assert rows[0][3] == (
        "Apache Airflow already runs here; MLflow needs no Kubernetes cluster; operational overhead 3 of 5: part of an "
        "engineer's time to run, counting the effort of running two tools together"
    )


def test_a_team_without_a_cluster_is_told_it_must_run_one(kb):
    """The Kubernetes need is said against the profile: no cluster, no platform team (Nordbank without its cluster)."""
    path = next(p for p in EXAMPLES if p.stem == "bank-onprem-airgapped")
    p = _profile(kb, path)
    p = replace(p, infrastructure=replace(p.infrastructure, kubernetes="none"), team=replace(p.team, platform_team="none",
                                                                                           kubernetes_skill="expert"))
    a = assess(p, kb)
    rows, _ = _cost_rows(kb, a, "technical")
    kubeflow = [r[3] for r in rows if r[0].startswith("Kubeflow")]
    assert kubeflow and all(
        cell.startswith("Kubeflow needs a Kubernetes cluster, which the team does not run yet, and people to operate it;")
        and "ongoing work for a platform team, which this team does not have" in cell
        for cell in kubeflow
    ), kubeflow


def test_pricing_words_do_not_contradict_a_managed_version_sold_by_others(kb):
    """MLflow's managed versions are sold by Databricks, AWS, Microsoft and Nebius, so not "no paid edition"."""
    from generator.brief.cost import _pricing_words

    assert _pricing_words(kb.frameworks["mlflow"]) == "open source, no paid edition from the project"
    assert _pricing_words(kb.frameworks["wandb"]) == "commercial (hosted plans priced per seat, or a licence to run it yourself)"


def test_a_rival_scored_as_self_hosted_says_so_where_the_team_may_use_a_hosted_version(kb):
    """The Slurm lab may use SaaS: W&B is scored as its hosted service (its server needs a licence), ClearML (third, in
    the technical brief) as the team would run its free server, so ClearML's row says so; a team that may not use
    SaaS is told nothing of it."""
    a = assess(_profile(kb, next(p for p in EXAMPLES if p.stem == "research-slurm-gpu")), kb)
    rows, _ = _cost_rows(kb, a, "technical")
    people = {r[0]: r[3] for r in rows}
    assert people["ClearML"].endswith(
        "operational overhead 2 of 5: ongoing work for a platform team, scored for running it yourself, though hosted "
        "versions exist"
    )
    assert "hosted versions exist" not in people["Weights & Biases"]
    p = replace(a.profile, constraints=replace(a.profile.constraints, saas_allowed=False))
    rows, _ = _cost_rows(kb, assess(p, kb), "technical")
    assert not [r for r in rows if "hosted versions exist" in r[3]]
