"""The options a brief compares: frameworks that work alone and the stacks scoring built.

Scoring ranks single frameworks and, separately, evaluates combinations (a
primary with companions). A reader compares *options*: the recommended stack,
its rival, the frameworks that work alone. This module turns the assessment
into that one list, so every table, chart and sentence of the brief shows the
same options with the same scores. Pure: reads the assessment only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.scoring.assessment import Assessment

RECOMMENDED = "recommended"
RUNNER_UP = "runner_up"
OPTION = "option"


@dataclass(frozen=True)
class Option:
    key: str  # "kubeflow" or "kubeflow+mlflow+dvc", as in Sensitivity.leader/runner_up
    frameworks: tuple[str, ...]  # primary first
    score: float  # 0..100
    topsis: float  # 0..1
    levels: tuple[float, ...]  # 0..5 per criterion, in assessment.weights order
    role: str  # recommended | runner_up | option


@dataclass(frozen=True)
class Options:
    viable: tuple[Option, ...]  # best first; the recommendation and runner-up lead
    companions: tuple[str, ...]  # frameworks used only inside a viable option, not viable alone
    ruled_out: tuple[str, ...]  # knocked-out frameworks no viable option uses, in ranking order

    def get(self, key: str | None) -> Option | None:
        return next((o for o in self.viable if o.key == key), None)


def options_of(a: Assessment) -> Options:
    criteria = [w.criterion for w in a.weights]
    leader, runner = a.sensitivity.leader, a.sensitivity.runner_up

    def role(key: str) -> str:
        return RECOMMENDED if key == leader else RUNNER_UP if key == runner else OPTION

    found: list[Option] = []
    for r in a.ranking:
        if not r.knocked_out and not r.needs_companion:
            levels = tuple(a.cells[(r.framework, c)].score if (r.framework, c) in a.cells else 0.0 for c in criteria)
            found.append(Option(r.framework, (r.framework,), r.score, r.topsis, levels, role(r.framework)))
    for s in a.stacks:
        key = "+".join(s.frameworks)
        levels = s.levels or _stack_levels(a, s.frameworks, {p.framework: p.covers for p in s.parts}, criteria)
        found.append(Option(key, s.frameworks, s.score, s.topsis, levels, role(key)))
    # Scoring's own order: score, then fewer tools, then the cross-check.
    found.sort(key=lambda o: (o.role != RECOMMENDED, o.role != RUNNER_UP, -round(o.score, 9), len(o.frameworks), -o.topsis, o.key))
    in_options = {f for o in found for f in o.frameworks}
    alone = {o.key for o in found if len(o.frameworks) == 1}
    companions = tuple(f for f in dict.fromkeys(f for o in found[:2] for f in o.frameworks[1:]) if f not in alone)
    ruled_out = tuple(r.framework for r in a.ranking if r.knocked_out and r.framework not in in_options)
    return Options(tuple(found), companions, ruled_out)


def _stack_levels(a: Assessment, frameworks, covers, criteria) -> tuple[float, ...]:
    """Per-criterion levels when scoring did not record them: each criterion from the part that covers it."""
    out = []
    for c in criteria:
        owner = next((f for f in frameworks[1:] if c in covers.get(f, ())), frameworks[0])
        cell = a.cells.get((owner, c))
        out.append(cell.score if cell else 0.0)
    return tuple(out)


def excluded_terms(a: Assessment, name) -> tuple[str, ...]:
    """Words naming what this profile rules out: ruled-out frameworks, and managed or hosted services
    when they are forbidden or unreachable. ``name`` maps a framework id to its display name."""
    terms = [name(f) for f in options_of(a).ruled_out]
    c, i = a.profile.constraints, a.profile.infrastructure
    if c.managed_services == "forbidden" or i.air_gapped:
        terms += ["managed", "AKS", "EKS", "GKE", "Union.ai", "SaaS", "hosted service", "Databricks"]
    if i.air_gapped:
        terms += ["cloud service", "internet access"]
    if c.open_source_only:
        terms += ["commercial licence", "enterprise edition", "paid tier"]
    return tuple(dict.fromkeys(terms))


def excluded_mentions(text: str, terms) -> list[str]:
    """The excluded terms ``text`` names, matched as whole words (compose and the linter use the same test)."""
    return [t for t in terms if re.search(r"(?<![\w-])" + re.escape(t) + r"(?![\w-])", text, re.IGNORECASE)]


def short_name(name: str) -> str:
    """A framework's name for a chart label or a column: 'DVC (Data Version Control)' -> 'DVC'."""
    name = re.sub(r"\s*\([^)]*\)", "", name)
    for prefix in ("Apache ", "Amazon ", "Google "):
        name = name.removeprefix(prefix)
    return {"Weights & Biases": "W&B", "Azure Machine Learning": "Azure ML"}.get(name, name)
