"""Generate N varied, valid project profiles and k broken ones, the same files for the same seed.

    python benchmarks/gen_profiles.py DEST [-n 1000] [-k 10] [--seed 1]

Valid profiles vary every field the scoring reads, within what a real team
could write (no contradictions a strict loader would reject). Broken profiles
each carry one distinct, common mistake, so a batch has to report them all.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

FRAMEWORKS = ("mlflow", "kubeflow", "metaflow", "flyte", "zenml", "airflow", "kedro", "clearml", "dvc", "wandb",
              "vertex_ai", "sagemaker", "azure_ml")
CAPABILITIES = ("experiment_tracking", "model_registry", "pipeline_orchestration", "hyperparameter_tuning",
                "model_serving", "distributed_training", "notebooks", "data_versioning", "llm_ops",
                "governance_security")
QUALITIES = ("ease_of_use", "operational_overhead", "infrastructure_fit", "scalability", "performance", "ecosystem",
             "community_maturity", "cost")
LIBRARIES = ("sklearn", "xgboost", "pytorch", "tensorflow", "lightgbm", "pandas", "spark", "transformers", "jax")
DOMAINS = ("Fraud scoring", "Churn prediction", "Demand forecasting", "Search ranking", "Document triage",
           "Predictive maintenance", "Credit risk", "Recommendations", "Anomaly detection", "Claims automation")
ORGS = ("Example Bank", "Lumen Analytics", "Nordwind Logistik", "Café Ümlaut", "Acme Health", "Orbital Retail",
        "Städtische Werke", "Kite Insurance", "北辰数据", "Blue Fern Labs")

# One common mistake per broken profile: (file stem, text).
BROKEN = (
    ("unclosed-bracket", "schema_version: 1\nproject: {name: Broken\nteam: {size: 3}\n"),
    ("missing-name", "schema_version: 1\nproject: {organisation: X}\nteam: {size: 3, kubernetes_skill: none}\n"
                     "infrastructure: {kubernetes: none}\n"),
    ("zero-team", "schema_version: 1\nproject: {name: Zero}\nteam: {size: 0, kubernetes_skill: none}\n"
                  "infrastructure: {kubernetes: none}\n"),
    ("unknown-key", "schema_version: 1\nproject: {name: Typo}\nteem: {size: 3}\n"
                    "infrastructure: {kubernetes: none}\n"),
    ("bad-enum", "schema_version: 1\nproject: {name: Guru}\nteam: {size: 3, kubernetes_skill: guru}\n"
                 "infrastructure: {kubernetes: none}\n"),
    ("a-list", "- schema_version: 1\n- project: {name: List}\n"),
    ("future-version", "schema_version: 2\nproject: {name: Future}\nteam: {size: 3, kubernetes_skill: none}\n"
                       "infrastructure: {kubernetes: none}\n"),
    ("bad-moscow", "schema_version: 1\nproject: {name: Maybe}\nteam: {size: 3, kubernetes_skill: none}\n"
                   "infrastructure: {kubernetes: none}\nneeds: {experiment_tracking: maybe}\n"),
    ("unknown-framework", "schema_version: 1\nproject: {name: Typo}\nteam: {size: 3, kubernetes_skill: none}\n"
                          "infrastructure: {kubernetes: none}\nframeworks: [mlfow]\n"),
    ("empty", ""),
)


def valid_profile(rng: random.Random, n: int) -> dict:
    """One plausible profile; ``n`` makes its name and output unique."""
    size = rng.choice((1, 2, 3, 5, 8, 12, 20, 40, 120))
    ds = rng.randint(0, size)
    mle = rng.randint(0, size - ds)
    kubernetes = rng.choice(("none", "planned", "self_managed", "managed"))
    skill = "none" if kubernetes == "none" and rng.random() < 0.6 else rng.choice(("none", "basic", "intermediate", "expert"))
    on_prem = rng.random() < 0.25
    air_gapped = on_prem and rng.random() < 0.3
    clouds = [] if air_gapped else sorted(rng.sample(("aws", "gcp", "azure", "other"), rng.choice((0, 1, 1, 1, 2))))
    distributed = rng.random() < 0.2
    needs = {c: rng.choice(("must", "should", "could", "could", "wont")) for c in CAPABILITIES}
    needs["distributed_training"] = "must" if distributed and rng.random() < 0.5 else needs["distributed_training"]
    if not any(v in ("must", "should") for v in needs.values()):
        needs["experiment_tracking"] = "should"  # a project that needs nothing has nothing to decide
    if not distributed and needs["distributed_training"] == "must":
        needs["distributed_training"] = "should"
    shortlist = "all" if rng.random() < 0.3 else sorted(rng.sample(FRAMEWORKS, rng.randint(2, 6)), key=FRAMEWORKS.index)
    profile = {
        "schema_version": 1,
        "project": {
            "name": f"{rng.choice(DOMAINS)} #{n}",
            "organisation": rng.choice(ORGS),
            "prepared_for": rng.choice(("Architecture board", "CTO", "Founders", "Platform steering group")),
            "author": "Benchmark generator",
            "date": "2026-11-27",
            "summary": f"Generated profile {n} for batch tests and benchmarks.",
        },
        "team": {
            "size": size,
            "data_scientists": ds,
            "ml_engineers": mle,
            "kubernetes_skill": skill,
            "platform_team": rng.choice(("none", "shared", "dedicated")),
        },
        "infrastructure": {
            "kubernetes": kubernetes,
            "clouds": clouds,
            "on_prem": on_prem,
            "air_gapped": air_gapped,
            "gpus": rng.choice(("none", "few", "many")),
        },
        "workload": {
            "models_in_production": rng.choice((0, 1, 3, 10, 50, 200)),
            "distributed_training": distributed,
            "data_volume": rng.choice(("small", "medium", "large", "massive")),
            "serving": rng.choice(("none", "batch", "online", "both")),
            "libraries": sorted(rng.sample(LIBRARIES, rng.randint(1, 4))),
        },
        "needs": needs,
        "constraints": {
            "open_source_only": rng.random() < 0.3,
            "managed_services": "forbidden" if air_gapped else rng.choice(("preferred", "allowed", "forbidden")),
            "budget": rng.choice(("low", "medium", "high")),
            "time_to_value": rng.choice(("weeks", "months", "quarters")),
        },
        "frameworks": shortlist,
        "brief": {
            "audience": rng.choice(("executive", "technical")),
            "formats": ["pdf", "docx"],
        },
    }
    if rng.random() < 0.3:
        profile["priorities"] = {q: rng.randint(1, 10) for q in rng.sample(QUALITIES, rng.randint(1, 3))}
    if rng.random() < 0.5:
        profile["brief"]["output"] = f"brief-{n:05d}"
    return profile


def generate(dest: Path, n: int, broken: int = 0, seed: int = 1) -> list[Path]:
    """Write ``n`` valid profiles and ``broken`` broken ones into ``dest``; return their paths.

    Broken profiles are spread through the batch (their names sort among the
    valid ones), so failures happen in the middle of chunks, not at the end.
    """
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = dest / f"p{i:05d}.yaml"
        path.write_text(yaml.safe_dump(valid_profile(rng, i), sort_keys=False, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    step = max(1, n // max(1, broken))
    for j in range(broken):
        stem, text = BROKEN[j % len(BROKEN)]
        path = dest / f"p{min(j * step + step // 2, max(n - 1, 0)):05d}-broken-{j:02d}-{stem}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return sorted(paths)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dest", type=Path)
    ap.add_argument("-n", type=int, default=1000, help="valid profiles (default 1000)")
    ap.add_argument("-k", type=int, default=10, help="broken profiles (default 10)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    paths = generate(args.dest, args.n, args.k, args.seed)
    print(f"{len(paths)} profiles in {args.dest}")


if __name__ == "__main__":
    main()
