"""A small in-test knowledge base built from the record types, so scoring tests never wait on data/.

Levels here are test data, not claims: they are plausible enough to exercise every path of the
scorer (rules, knock-outs, stacks), and tests that pin real recommendations use the real base.
"""

from __future__ import annotations

from typing import Any, Mapping

from generator.knowledge import (
    Companion,
    Condition,
    Criterion,
    Effect,
    Fact,
    Framework,
    KnowledgeBase,
    Rule,
    Score,
    Source,
)
from generator.knowledge.model import COMPUTED_CRITERIA, NOTE_CRITERIA
from generator.profile import CAPABILITIES, CRITERIA, QUALITIES, profile_from_mapping

# experiment_tracking .. governance_security | ease_of_use .. cost, code_structure (profile.CRITERIA order;
# tool_fit, the last criterion, is computed for each profile and has no base level)
LEVELS = {
    "mlflow":    (5, 5, 1, 2, 3, 1, 1, 1, 4, 2, 4, 4, 3, 3, 4, 5, 5, 4, 1),
    "kubeflow":  (2, 3, 5, 5, 4, 5, 4, 1, 2, 4, 1, 1, 3, 5, 3, 4, 4, 3, 3),
    "metaflow":  (3, 1, 4, 2, 2, 3, 2, 3, 1, 2, 4, 3, 3, 4, 3, 3, 4, 4, 3),
    "flyte":     (2, 1, 5, 3, 2, 4, 1, 3, 1, 3, 2, 2, 3, 5, 3, 3, 3, 3, 4),
    "zenml":     (3, 3, 4, 2, 3, 2, 1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4),
    "airflow":   (1, 0, 5, 1, 0, 1, 0, 0, 0, 3, 3, 2, 3, 4, 3, 5, 5, 4, 3),
    "kedro":     (1, 1, 3, 1, 0, 0, 3, 3, 0, 1, 4, 5, 3, 2, 4, 3, 3, 5, 5),
    "clearml":   (4, 4, 4, 4, 3, 3, 2, 4, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 2),
    "dvc":       (3, 2, 3, 1, 0, 0, 1, 5, 0, 2, 4, 5, 3, 3, 4, 3, 4, 5, 3),
    "wandb":     (5, 4, 1, 4, 1, 1, 1, 3, 5, 3, 5, 5, 3, 4, 4, 4, 4, 2, 1),
    "vertex_ai": (4, 4, 5, 4, 5, 4, 5, 2, 4, 4, 4, 5, 3, 5, 4, 3, 4, 2, 3),
    "sagemaker": (4, 4, 4, 4, 5, 4, 4, 2, 3, 4, 3, 4, 3, 5, 4, 4, 4, 2, 3),
    "azure_ml":  (4, 5, 4, 4, 5, 4, 4, 3, 4, 5, 3, 4, 3, 5, 4, 4, 4, 2, 3),
}
# hosting, kubernetes, open_source, air_gapped, clouds
META = {
    "mlflow": ("both", "not_needed", True, True, ()),
    "kubeflow": ("self_hosted", "required", True, True, ()),
    "metaflow": ("self_hosted", "optional", True, False, ()),
    "flyte": ("self_hosted", "required", True, True, ()),
    "zenml": ("both", "optional", True, True, ()),
    "airflow": ("both", "optional", True, True, ()),
    "kedro": ("self_hosted", "not_needed", True, True, ()),
    "clearml": ("both", "optional", True, True, ()),
    "dvc": ("self_hosted", "not_needed", True, True, ()),
    "wandb": ("saas", "not_needed", False, False, ()),
    "vertex_ai": ("managed", "not_needed", False, False, ("gcp",)),
    "sagemaker": ("managed", "not_needed", False, False, ("aws",)),
    "azure_ml": ("managed", "not_needed", False, False, ("azure",)),
}
COMPANIONS = {
    "kubeflow": (("mlflow", ("experiment_tracking", "model_registry")), ("dvc", ("data_versioning",))),
    "airflow": (("mlflow", ("experiment_tracking", "model_registry")),),
    "flyte": (("mlflow", ("experiment_tracking", "model_registry")),),
    "metaflow": (("mlflow", ("experiment_tracking", "model_registry")),),
    "mlflow": (("dvc", ("data_versioning",)), ("airflow", ("pipeline_orchestration",))),
    "dvc": (("mlflow", ("experiment_tracking", "model_registry")),),
    "sagemaker": (("mlflow", ("experiment_tracking",)),),
}
SRC = ("src-test",)
NAMES = {"mlflow": "MLflow", "wandb": "W&B", "dvc": "DVC", "vertex_ai": "Vertex AI", "sagemaker": "SageMaker AI",
         "azure_ml": "Azure ML", "clearml": "ClearML", "zenml": "ZenML"}


def _name(fid: str) -> str:
    return NAMES.get(fid, fid.capitalize())


def _fw(fid: str) -> Framework:
    hosting, k8s, oss, air, clouds = META[fid]
    fact = Fact(f"{fid} fact", SRC)
    return Framework(
        id=fid,
        name=_name(fid),
        summary=f"{fid} summary",
        origin=fact,
        first_release="2018",
        licence="Apache-2.0" if oss else "proprietary",
        open_source=oss,
        governance=fact,
        hosting=hosting,
        clouds=clouds,
        newest_version="1.0",
        newest_version_date="2026-01-01",
        kubernetes=k8s,
        laptop="local" if k8s != "required" else "local_cluster",
        on_prem=hosting != "managed",
        air_gapped=air,
        infrastructure=(),
        scores={c: Score(float(v), f"{fid} base rationale for {c}.", SRC) for c, v in zip(CRITERIA, LEVELS[fid]) if c not in NOTE_CRITERIA + COMPUTED_CRITERIA},
        integrations=(),
        companions=tuple(Companion(c, covers, f"{_name(c)} fills {_name(fid)}'s gap", SRC) for c, covers in COMPANIONS.get(fid, ())),
        pros=(),
        cons=(),
        adoption=(),
    )


def _rule(rid: str, when: list[tuple[str, str, Any]], effects: list[Effect], reason: str) -> Rule:
    return Rule(rid, tuple(Condition(f, o, v) for f, o, v in when), tuple(effects), reason, ("src-rule",))


RULES = (
    _rule(
        "no-kubernetes-skill",
        [("infrastructure.kubernetes", "in", ["none", "planned"]), ("team.kubernetes_skill", "in", ["none", "basic"])],
        [
            Effect("score", {"kubernetes": "required"}, "operational_overhead", cap=0.5),
            Effect("score", {"kubernetes": "required"}, "infrastructure_fit", cap=1.0),
        ],
        "A framework that requires Kubernetes needs a cluster and people to run it",
    ),
    _rule("air-gapped", [("infrastructure.air_gapped", "is", True)],
          [Effect("knockout", {"air_gapped": False})], "It cannot run without internet access"),
    _rule("open-source-only", [("constraints.open_source_only", "is", True)],
          [Effect("knockout", {"open_source": False})], "Only open-source software may be used"),
    _rule("managed-forbidden", [("constraints.managed_services", "is", "forbidden")],
          [Effect("knockout", {"hosting": ["managed", "saas"]})], "Vendor-managed services are forbidden"),
    _rule("no-gcp", [("infrastructure.clouds", "not_in", ["gcp"])],
          [Effect("knockout", ("vertex_ai",))], "It exists only on Google Cloud, which the team does not use"),
    _rule("no-aws", [("infrastructure.clouds", "not_in", ["aws"])],
          [Effect("knockout", ("sagemaker",))], "It exists only on AWS, which the team does not use"),
    _rule("no-azure", [("infrastructure.clouds", "not_in", ["azure"])],
          [Effect("knockout", ("azure_ml",))], "It exists only on Azure, which the team does not use"),
    _rule("managed-preferred", [("constraints.managed_services", "is", "preferred")],
          [Effect("score", {"hosting": "managed"}, "operational_overhead", delta=0.5),
           Effect("score", {"hosting": "self_hosted"}, "operational_overhead", delta=-0.5)],
          "The team prefers services a vendor runs"),
    _rule("small-team", [("team.size", "max", 5)],
          [Effect("weight", (), "operational_overhead", factor=1.5), Effect("weight", (), "ease_of_use", factor=1.5)],
          "A team of five or fewer has no one to spare for running platforms"),
    _rule("weeks", [("constraints.time_to_value", "is", "weeks")],
          [Effect("weight", (), "ease_of_use", factor=1.5)], "Value is expected within weeks"),
    _rule("low-budget", [("constraints.budget", "is", "low")],
          [Effect("weight", (), "cost", factor=1.5)], "The budget is low"),
    _rule("big-data", [("workload.data_volume", "in", ["large", "massive"])],
          [Effect("weight", (), "scalability", factor=1.5)], "Training data is large"),
    _rule("no-current-tools", [("current.tools", "empty", True), ("current.keep", "empty", True)],
          [Effect("weight", (), "tool_fit", factor=0)], "The profile names no tools in use today"),
)


def make_kb(
    frameworks: Mapping[str, Framework] | None = None,
    rules: tuple[Rule, ...] = RULES,
    moscow: Mapping[str, float] | None = None,
    default_weight: float = 1.0,
) -> KnowledgeBase:
    fws = frameworks if frameworks is not None else {f: _fw(f) for f in sorted(LEVELS)}
    criteria = {
        c: Criterion(c, c.replace("_", " ").capitalize(), "capability" if c in CAPABILITIES else "note" if c in NOTE_CRITERIA else "quality",
                     f"{c} definition", "none", "excellent", default_weight if c in QUALITIES and c not in NOTE_CRITERIA else 0.0)
        for c in CRITERIA
    }
    return KnowledgeBase(
        frameworks=dict(sorted(fws.items())),
        criteria=criteria,
        rules=rules,
        sources={
            "src-test": Source("src-test", "https://example.org/test", "Test", "Test", "primary", "2026-01-01"),
            "src-rule": Source("src-rule", "https://example.org/rule", "Rule", "Test", "primary", "2026-01-01"),
        },
        moscow_weights=dict(moscow or {"must": 4.0, "should": 2.0, "could": 1.0, "wont": 0.0}),
        version="test",
        as_of="2026-01-01",
    )


def framework(fid: str, **changes: Any) -> Framework:
    """A fixture framework with some fields replaced (levels: a mapping criterion -> level)."""
    from dataclasses import replace

    fw = _fw(fid)
    levels = changes.pop("levels", None)
    if levels:
        scores = dict(fw.scores)
        for c, v in levels.items():
            scores[c] = Score(float(v), f"{fid} set to {v} for {c}.", SRC)
        changes["scores"] = scores
    return replace(fw, **changes)


BASE_PROFILE: dict[str, Any] = {
    "schema_version": 1,
    "project": {"name": "Test"},
    "team": {"size": 8, "kubernetes_skill": "intermediate", "platform_team": "shared"},
    "infrastructure": {"kubernetes": "managed", "clouds": ["aws"]},
    "needs": {"experiment_tracking": "must"},
    "frameworks": ["all"],
}


def make_profile(**sections: Any):
    """BASE_PROFILE with whole sections or dotted fields replaced, e.g. make_profile(**{"team.size": 3})."""
    import copy

    data = copy.deepcopy(BASE_PROFILE)
    for key, value in sections.items():
        head, _, rest = key.partition(".")
        if rest:
            data.setdefault(head, {})[rest] = value
        else:
            data[head] = value
    return profile_from_mapping(data, known_frameworks=tuple(sorted(LEVELS)))
