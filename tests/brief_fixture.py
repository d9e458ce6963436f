"""A hand-made knowledge base and a small stand-in scorer, for brief tests whose point is a fixed input.

``kb()`` returns a realistic KnowledgeBase (13 frameworks, 18 criteria, sourced
pros, cons and adoption facts); ``assess(profile, kb)`` produces a complete
Assessment with weights, knock-outs, ranking and sensitivity, independent of
data/. Tests of the example briefs use :func:`real` (the bundled knowledge base
and the real scorer); a failure to load either fails them.
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

from generator.scoring.assessment import (
    Assessment,
    Cell,
    Flip,
    Knockout,
    Ranked,
    Recommendation,
    Sensitivity,
    Stack,
    StackPart,
    Weight,
)
from generator.knowledge.model import COMPUTED_CRITERIA, NOTE_CRITERIA
from generator.knowledge import Companion, Criterion, Fact, Framework, KnowledgeBase, Point, Score, Source
from generator.profile import CAPABILITIES, CRITERIA, FRAMEWORK_IDS, Profile, load_profile

SCORED = tuple(c for c in CRITERIA if c not in NOTE_CRITERIA)
PER_FRAMEWORK = tuple(c for c in SCORED if c not in COMPUTED_CRITERIA)
PROFILES = sorted((Path(__file__).resolve().parent.parent / "data" / "profiles").glob("*.yaml"))

SOURCES = (
    Source("mlflow-readme", "https://github.com/mlflow/mlflow/blob/master/README.md", "MLflow README", "MLflow project", "primary", "2026-11-27"),
    Source("mlflow-selfhost", "https://mlflow.org/docs/latest/self-hosting", "Self-hosting MLflow", "MLflow project", "primary", "2026-11-27"),
    Source("mlflow-auth", "https://mlflow.org/docs/latest/ml/auth", "MLflow authentication", "MLflow project", "primary", "2026-11-27"),
    Source("kf-intro", "https://github.com/kubeflow/website/blob/master/content/en/docs/started/introduction.md", "Introduction to Kubeflow", "Kubeflow project", "primary", "2026-11-27"),
    Source("kf-dist", "https://github.com/kubeflow/community-distribution/blob/master/README.md", "Kubeflow community distribution", "Kubeflow project", "primary", "2026-11-27"),
    Source("kf-kep897", "https://github.com/kubeflow/community/issues/897", "KEP-897: MLflow integration", "Kubeflow project", "primary", "2026-11-27"),
    Source("cncf-kf", "https://github.com/cncf/toc/issues/1861", "Kubeflow graduation application", "CNCF", "secondary", "2026-11-27", "2026-09-01"),
    Source("dtc-survey", "https://datatalks.club/surveys/2025-2026/ml-mlops", "ML and MLOps survey 2025-2026", "DataTalks.Club", "secondary", "2026-11-27"),
    Source("utm-eval", "https://www.repository.utm.md/handle/5014/35303", "Evaluation of MLflow, ZenML and Metaflow", "Technical University of Moldova", "secondary", "2026-11-27"),
    Source("metaflow-docs", "https://docs.metaflow.org/", "Metaflow documentation", "Outerbounds", "primary", "2026-11-27"),
    Source("flyte-docs", "https://docs.flyte.org/", "Flyte documentation", "Flyte project", "primary", "2026-11-27"),
    Source("zenml-docs", "https://docs.zenml.io/", "ZenML documentation", "ZenML", "primary", "2026-11-27"),
    Source("airflow-docs", "https://airflow.apache.org/docs/", "Apache Airflow documentation", "Apache Software Foundation", "primary", "2026-11-27"),
    Source("kedro-docs", "https://docs.kedro.org/", "Kedro documentation", "Kedro project", "primary", "2026-11-27"),
    Source("clearml-docs", "https://clear.ml/docs/latest/docs/", "ClearML documentation", "ClearML", "primary", "2026-11-27"),
    Source("dvc-docs", "https://dvc.org/doc", "DVC documentation", "Iterative", "primary", "2026-11-27"),
    Source("wandb-docs", "https://docs.wandb.ai/", "W&B documentation", "Weights & Biases", "primary", "2026-11-27"),
    Source("vertex-docs", "https://cloud.google.com/vertex-ai/docs", "Vertex AI documentation", "Google Cloud", "primary", "2026-11-27"),
    Source("sagemaker-docs", "https://docs.aws.amazon.com/sagemaker/", "Amazon SageMaker AI documentation", "Amazon Web Services", "primary", "2026-11-27"),
    Source("azureml-docs", "https://learn.microsoft.com/azure/machine-learning/", "Azure Machine Learning documentation", "Microsoft", "primary", "2026-11-27"),
)

# framework id -> (name, primary source, hosting, clouds, kubernetes, open_source, 19 base levels in CRITERIA order;
# tool_fit, the last criterion, is computed per profile and has no base level)
TABLE = {
    "mlflow": ("MLflow", "mlflow-readme", "both", (), "not_needed", True, "5 5 1 2 3 1 1 1 4 3 5 4 4 3 4 5 5 4 1"),
    "kubeflow": ("Kubeflow", "kf-intro", "self_hosted", (), "required", True, "2 4 5 5 4 5 4 0 3 4 2 1 2 5 3 4 4 3 3"),
    "metaflow": ("Metaflow", "metaflow-docs", "both", (), "optional", True, "3 2 4 2 1 3 3 3 1 2 4 3 3 4 4 3 3 4 3"),
    "flyte": ("Flyte", "flyte-docs", "both", (), "required", True, "2 1 5 2 1 4 1 4 2 3 3 2 2 5 4 3 3 4 4"),
    "zenml": ("ZenML", "zenml-docs", "both", (), "optional", True, "3 3 4 2 3 2 1 3 2 2 4 3 4 3 3 4 3 4 4"),
    "airflow": ("Apache Airflow", "airflow-docs", "both", (), "optional", True, "0 0 4 0 0 1 0 0 1 3 3 3 4 4 3 5 5 4 3"),
    "kedro": ("Kedro", "kedro-docs", "self_hosted", (), "not_needed", True, "1 1 3 0 0 0 3 3 0 1 4 5 5 2 4 3 3 5 5"),
    "clearml": ("ClearML", "clearml-docs", "both", (), "optional", True, "4 4 4 4 3 2 3 3 2 3 4 3 4 4 3 3 3 4 2"),
    "dvc": ("DVC", "dvc-docs", "self_hosted", (), "not_needed", True, "3 2 2 1 0 0 0 5 0 1 4 5 5 3 4 3 4 5 3"),
    "wandb": ("Weights & Biases", "wandb-docs", "saas", (), "not_needed", False, "5 4 1 5 0 0 1 2 5 3 5 5 3 4 4 4 4 2 1"),
    "vertex_ai": ("Vertex AI", "vertex-docs", "managed", ("gcp",), "not_needed", False, "4 5 5 4 5 4 5 2 4 5 3 4 3 5 3 3 3 2 3"),
    "sagemaker": ("Amazon SageMaker AI", "sagemaker-docs", "managed", ("aws",), "not_needed", False, "4 5 5 5 5 5 5 2 4 5 3 4 3 5 3 4 4 2 3"),
    "azure_ml": ("Azure Machine Learning", "azureml-docs", "managed", ("azure",), "not_needed", False, "4 5 5 4 5 4 5 3 4 5 3 4 3 5 3 3 3 2 3"),
}

CRITERION_NAMES = {
    "experiment_tracking": "Experiment tracking",
    "model_registry": "Model registry",
    "pipeline_orchestration": "Pipeline orchestration",
    "hyperparameter_tuning": "Hyperparameter tuning",
    "model_serving": "Model serving",
    "distributed_training": "Distributed training",
    "notebooks": "Notebooks",
    "data_versioning": "Data versioning",
    "llm_ops": "LLM operations",
    "governance_security": "Governance and security",
    "ease_of_use": "Ease of use",
    "operational_overhead": "Operational overhead",
    "infrastructure_fit": "Infrastructure fit",
    "scalability": "Scalability",
    "performance": "Performance",
    "ecosystem": "Ecosystem",
    "community_maturity": "Community and maturity",
    "cost": "Cost",
    "code_structure": "Pipeline code structure",
    "tool_fit": "Fit with current tools",
}

PROS = {
    "mlflow": (
        ("Tracking and registry work from a laptop with pip install; no Kubernetes needed.", ("ease_of_use", "operational_overhead", "experiment_tracking"), "mlflow-selfhost"),
        ("Adds under 1.2 % runtime to instrumented training in an academic comparison.", ("performance",), "utm-eval"),
        ("Managed offerings on Databricks, SageMaker AI and Azure ML.", ("infrastructure_fit", "cost"), "mlflow-readme"),
        ("Used as the tracking layer by Kedro, ZenML, Kubeflow and Vertex AI.", ("ecosystem",), "mlflow-readme"),
    ),
    "kubeflow": (
        ("Pipelines, Katib tuning and Trainer cover orchestration and distributed training on Kubernetes.", ("pipeline_orchestration", "hyperparameter_tuning", "distributed_training"), "kf-intro"),
        ("CNCF graduated project with maintainers from several organisations.", ("community_maturity",), "cncf-kf"),
        ("Scales with the cluster; each step runs in its own container.", ("scalability",), "kf-intro"),
    ),
}
CONS = {
    "mlflow": (
        ("No pipeline scheduler of its own since MLflow Recipes were removed in 3.0.", ("pipeline_orchestration",), "mlflow-readme", "Pair it with an orchestrator the team already runs, such as Airflow or Kubeflow Pipelines."),
        ("Built-in authentication is still labelled experimental and SSO needs a plug-in.", ("governance_security",), "mlflow-auth", "Put the server behind the organisation's single sign-on proxy, or use a managed MLflow."),
        ("The default model server does not scale horizontally by itself.", ("model_serving", "scalability"), "mlflow-readme", "Serve models through KServe, SageMaker endpoints or Azure ML online endpoints."),
    ),
    "kubeflow": (
        ("Needs Kubernetes; the full platform uses about 4.4 vCPU and 12 GiB RAM before any workload.", ("operational_overhead", "infrastructure_fit", "cost"), "kf-dist", "Install only Kubeflow Pipelines, or use Vertex AI Pipelines which runs the same pipeline format."),
        ("No central experiment tracking; the project chose to integrate MLflow instead.", ("experiment_tracking",), "kf-kep897", "Run MLflow next to Kubeflow for tracking and the registry."),
        ("Steep learning curve for teams without Kubernetes experience.", ("ease_of_use",), "kf-dist", "Budget platform-engineering time and training before the first production pipeline."),
    ),
}
ADOPTION = {
    "mlflow": (
        ("Used by 61 % of respondents for training and experimentation (DataTalks.Club 2025-2026 survey).", "dtc-survey"),
        ("More than 60 million downloads a month, as self-reported by the project (2026).", "mlflow-readme"),
    ),
    "kubeflow": (("More than 9 million downloads a month across its subprojects (graduation application, September 2025).", "cncf-kf"),),
    "airflow": (("Most-used orchestrator for ML pipelines, 58 % of respondents (DataTalks.Club 2025-2026 survey).", "dtc-survey"),),
    "azure_ml": (("Most-cited deployment tool, 34 % of respondents (DataTalks.Club 2025-2026 survey).", "dtc-survey"),),
}


def _generic_points(fid: str, name: str, levels: dict[str, float], src: str):
    best = sorted(levels, key=lambda c: (-levels[c], SCORED.index(c)))[:3]
    worst = sorted(levels, key=lambda c: (levels[c], SCORED.index(c)))[:2]
    pros = tuple(
        Point(f"Strong on {CRITERION_NAMES[c].lower()} (level {levels[c]:.0f} of 5).", (c,), (src,)) for c in best
    )
    cons = tuple(
        Point(
            f"Weak on {CRITERION_NAMES[c].lower()} (level {levels[c]:.0f} of 5).",
            (c,),
            (src,),
            mitigation=f"Add a companion tool that covers {CRITERION_NAMES[c].lower()}.",
        )
        for c in worst
    )
    return pros, cons


def _framework(fid: str) -> Framework:
    name, src, hosting, clouds, k8s, oss, raw = TABLE[fid]
    levels = dict(zip(CRITERIA, (float(x) for x in raw.split())))
    scores = {
        c: Score(levels[c], f"{name}: {CRITERION_NAMES[c].lower()} at level {levels[c]:.0f}.", (src,)) for c in PER_FRAMEWORK
    }
    if fid in PROS:
        pros = tuple(Point(t, cr, (s,)) for t, cr, s in PROS[fid])
        cons = tuple(Point(t, cr, (s,), mitigation=m) for t, cr, s, m in CONS[fid])
    else:
        pros, cons = _generic_points(fid, name, {c: levels[c] for c in PER_FRAMEWORK}, src)
    adoption = tuple(Fact(t, (s,), "adoption") for t, s in ADOPTION.get(fid, ()))
    companions = (
        (Companion("mlflow", ("experiment_tracking", "model_registry"), "MLflow adds tracking and a registry.", ("kf-kep897",)),)
        if fid in ("kubeflow", "airflow", "flyte")
        else ()
    )
    return Framework(
        id=fid,
        name=name,
        summary=f"{name} summary.",
        origin=Fact(f"{name} origin.", (src,), "origin"),
        first_release="2018",
        licence="Apache-2.0" if oss else "Proprietary",
        open_source=oss,
        governance=Fact(f"{name} governance.", (src,), "governance"),
        hosting=hosting,
        clouds=clouds,
        newest_version="1.0",
        newest_version_date="2026-10-01",
        kubernetes=k8s,
        laptop="local" if k8s != "required" and hosting != "managed" else "local_cluster" if k8s == "required" else "none",
        on_prem=hosting != "managed" and hosting != "saas",
        air_gapped=hosting in ("self_hosted", "both"),
        infrastructure=(),
        scores=scores,
        integrations=(),
        companions=companions,
        pros=pros,
        cons=cons,
        adoption=adoption,
    )


@lru_cache(maxsize=1)
def kb() -> KnowledgeBase:
    """The fixture knowledge base (cached: it is immutable)."""
    criteria = {
        c: Criterion(
            c,
            CRITERION_NAMES[c],
            "capability" if c in CAPABILITIES else "note" if c in NOTE_CRITERIA else "quality",
            f"How well a framework provides {CRITERION_NAMES[c].lower()}.",
            "absent",
            "excellent",
            0.0 if c in CAPABILITIES else 1.0,
        )
        for c in CRITERIA
    }
    return KnowledgeBase(
        frameworks={fid: _framework(fid) for fid in sorted(FRAMEWORK_IDS)},
        criteria=criteria,
        rules=(),
        sources={s.id: s for s in SOURCES},
        moscow_weights={"must": 4.0, "should": 2.0, "could": 1.0, "wont": 0.0},
        version="fixture-1",
        as_of="2026-11-27",
        evidence_as_of="2026-09-01",
    )


def _weights(profile: Profile, base: KnowledgeBase) -> dict[str, float]:
    raw = {}
    for c in SCORED:
        if c in CAPABILITIES:
            raw[c] = base.moscow_weights[profile.needs[c]]
        else:
            raw[c] = base.criteria[c].default_weight
    if profile.constraints.budget == "low":
        raw["cost"] *= 2
    if profile.infrastructure.kubernetes == "none" or profile.team.kubernetes_skill in ("none", "basic"):
        raw["operational_overhead"] *= 2
    if not profile.current.tools:  # as the real rule no-current-tools: nothing to fit with
        raw["tool_fit"] = 0.0
    raw.update({k: float(v) for k, v in profile.priorities.items() if k in raw})
    return raw


def _knockouts(profile: Profile, fw: Framework) -> list[str]:
    out = []
    if fw.clouds and not set(fw.clouds) & set(profile.infrastructure.clouds):
        out.append(f"{fw.name} runs only on {', '.join(c.upper() for c in fw.clouds)}, which this project does not use.")
    if profile.infrastructure.air_gapped and not fw.air_gapped:
        out.append(f"{fw.name} cannot run in an air-gapped environment.")
    if profile.constraints.open_source_only and not fw.open_source:
        out.append(f"{fw.name} is not open source, and the project allows open source only.")
    for c in CAPABILITIES:
        if profile.needs[c] == "must" and fw.scores[c].level < 1:
            out.append(f"{fw.name} has no {CRITERION_NAMES[c].lower()}, which this project must have.")
    return out


def _total(levels: dict[str, float], w: dict[str, float]) -> float:
    return 100.0 * sum(w[c] * levels[c] / 5.0 for c in w)


def assess(profile: Profile, base: KnowledgeBase) -> Assessment:
    """A small but complete stand-in for ``scoring.assess``."""
    raw = _weights(profile, base)
    total_raw = sum(raw.values())
    w = {c: raw[c] / total_raw for c in SCORED}
    weights = tuple(Weight(c, w[c], raw[c], (f"needs.{c} is {profile.needs[c]}",) if c in CAPABILITIES else ("default",)) for c in SCORED)
    cells = {}
    levels = {}
    for fid in profile.frameworks:
        fw = base.frameworks[fid]
        scores = {**fw.scores, "tool_fit": Score(3.0, f"{fw.name} neither replaces nor pairs with a kept tool.", ())}
        levels[fid] = {c: scores[c].level for c in SCORED}
        if profile.infrastructure.kubernetes == "none" and fw.kubernetes == "required":
            levels[fid]["infrastructure_fit"] = 0.0
        for c in SCORED:
            cells[(fid, c)] = Cell(fid, c, levels[fid][c], scores[c].level, scores[c].rationale, scores[c].sources)
    kos = {fid: _knockouts(profile, base.frameworks[fid]) for fid in profile.frameworks}
    knockouts = tuple(Knockout(fid, r, None, None) for fid in profile.frameworks for r in kos[fid])
    totals = {fid: _total(levels[fid], w) for fid in profile.frameworks}
    order = sorted(profile.frameworks, key=lambda f: (bool(kos[f]), -totals[f], f))
    ranking = tuple(
        Ranked(f, i + 1, round(totals[f], 1), bool(kos[f]), tuple(kos[f]), round(totals[f] / 100, 3)) for i, f in enumerate(order)
    )
    alive = [f for f in order if not kos[f]] or order
    leader = alive[0]
    runner = alive[1] if len(alive) > 1 else None
    flips = []
    if runner:
        for c in SCORED:
            d = lambda x: _total(levels[leader], _shift(w, c, x)) - _total(levels[runner], _shift(w, c, x))  # noqa: E731
            d0, d1 = d(0.0), d(1.0)
            flip_at = None
            if d0 > 0 > d1:
                flip_at = round(d0 / (d0 - d1), 4)
            favours = runner if levels[runner][c] > levels[leader][c] else leader
            flips.append(Flip(c, w[c], flip_at, favours))
    rng = random.Random(7)
    held = 0
    samples = 500
    for _ in range(samples):
        pw = {c: w[c] * rng.uniform(0.5, 1.5) for c in SCORED}
        s = sum(pw.values())
        pw = {c: v / s for c, v in pw.items()}
        best = max(alive, key=lambda f: (_total(levels[f], pw), f))
        held += best == leader
    robustness = held / samples
    margin = round(totals[leader] - totals[runner], 1) if runner else 0.0
    verdict = "clear" if robustness >= 0.8 and margin >= 5 else "leaning" if robustness >= 0.6 else "too_close"
    name = base.frameworks[leader].name
    stack_detail = None
    stack = (leader,)
    if levels[leader]["experiment_tracking"] < 3 and leader != "mlflow" and profile.needs["experiment_tracking"] in ("must", "should"):
        stack = (leader, "mlflow")
        stack_detail = Stack(
            stack,
            (StackPart(leader, ("pipeline_orchestration",)), StackPart("mlflow", ("experiment_tracking", "model_registry"))),
            round(totals[leader] + 3, 1),
            f"{name} has no central experiment tracking; MLflow fills that gap.",
            ("kf-kep897",),
        )
    rec = Recommendation(
        primary=leader,
        stack=stack,
        margin=margin,
        robustness=robustness,
        verdict=verdict,
        sentence=f"Recommend {name}" + (" with MLflow" if len(stack) > 1 else "")
        + f": {totals[leader]:.1f} of 100, {margin:.1f} points ahead of {base.frameworks[runner].name if runner else 'nothing'}"
        + f" and first in {robustness:.0%} of {samples} perturbed weightings.",
        reasons=(
            f"{name} covers every capability this project must have.",
            f"It leads the weighted comparison with {totals[leader]:.1f} of 100 points.",
            f"It fits the team's Kubernetes skill ({profile.team.kubernetes_skill}).",
        ),
        stack_detail=stack_detail,
    )
    sens = Sensitivity(leader, runner, tuple(flips), robustness, samples, 7, "each weight x U(0.5, 1.5), renormalised", verdict)
    return Assessment(
        profile=profile,
        weights=weights,
        cells=cells,
        ranking=ranking,
        knockouts=knockouts,
        stacks=(stack_detail,) if stack_detail else (),
        recommendation=rec,
        sensitivity=sens,
        methods_agree=True,
        topsis_leader=leader,
        kb_version=base.version,
        kb_as_of=base.as_of,
    )


def _shift(w: dict[str, float], c: str, x: float) -> dict[str, float]:
    """Weights with ``c`` set to ``x`` and the others scaled to keep the sum at 1."""
    rest = 1.0 - w[c]
    return {k: (x if k == c else (v * (1.0 - x) / rest if rest else 0.0)) for k, v in w.items()}


def real():
    """The bundled knowledge base and the real scorer."""
    from generator.knowledge import load_knowledge
    from generator.scoring import assess as real_assess

    return load_knowledge(), real_assess


def assessment_for(path: Path, base: KnowledgeBase | None = None, scorer=None) -> Assessment:
    """Load ``path`` and score it: with ``base`` and ``scorer`` if given, else with the real ones."""
    if base is None or scorer is None:
        base, scorer = real()
    profile = load_profile(path, known_frameworks=tuple(base.frameworks))
    return scorer(profile, base)
