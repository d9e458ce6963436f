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
from typing import Sequence, Union

from generator.knowledge.model import KnowledgeBase
from generator.scoring.assessment import Assessment, idle_knockout
from generator.scoring.fit import CRITERION as TOOL_FIT
from generator.scoring.stacks import FIT_CRITERION

# The label ending of a score table's row that stands for the criteria it leaves out: each option's weighted mean
# level there, a decimal by nature, not a level a rule moved by half.
WEIGHTED_MEAN = "(weighted mean)"

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
    # The main framework of the recommendation or the runner-up is never called a companion, though it may be one in
    # the other (MLflow leads MLflow + DVC and backs Kedro + MLflow).
    mains = {o.frameworks[0] for o in found[:2]}
    companions = tuple(f for f in dict.fromkeys(f for o in found[:2] for f in o.frameworks[1:]) if f not in alone | mains)
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


# Someone else's service, whatever the product: "a cloud pipeline service", "a cloud endpoint",
# "the hosted service", "the W&B-managed cloud", "serverless compute". Whole words only, so
# "self-managed" and "where no cloud is allowed" are not suggestions of a service.
_EDGE = r"(?<![\w-])"
MANAGED = (
    re.compile(_EDGE + r"(?:cloud|hosted|vendor|third-party)(?:[\s-]+[\w.&]+){0,2}?[\s-]+(?:service|endpoint|offering|platform|edition)s?(?![\w-])", re.I),
    re.compile(_EDGE + r"(?!self-)[\w&.]+-(?:managed|hosted)(?:\s+cloud)?(?![\w-])", re.I),  # "W&B-managed cloud"
    re.compile(_EDGE + r"(?:managed|hosted|serverless|SaaS|AKS|EKS|GKE|Databricks|Union\.ai|Outerbounds)(?![\w-])", re.I),
)
AIR_GAPPED = (*MANAGED, re.compile(_EDGE + r"internet access(?![\w-])", re.I))
# A team on no public cloud may still use a hosted service (a SaaS tracker), but not a cloud's own
# services or the stacks that build them.
NO_CLOUD = (
    re.compile(_EDGE + r"cloud(?:[\s-]+[\w.&]+){0,2}?[\s-]+(?:service|endpoint|offering|platform)s?(?![\w-])", re.I),
    re.compile(_EDGE + r"CloudFormation(?![\w-])"),
)

Term = Union[str, re.Pattern]


# A framework outside the options put forward whose ease of use and operational overhead, in this
# profile, add up to this or less (1 of 5 on each, on average) is too heavy for this team to take
# on as a mitigation's extra tool.
TOO_HEAVY = 2.0


def excluded_terms(a: Assessment, name, kb: KnowledgeBase | None = None) -> tuple[Term, ...]:
    """What this profile rules out, as words or patterns: ruled-out frameworks, frameworks too
    heavy for this team, tools that run only on Kubernetes when the team has none, and any
    managed, hosted or cloud service when the site is air-gapped, managed services are forbidden
    or SaaS is not allowed. ``name`` maps a framework id to its display name; ``kb`` (when given)
    says which tools and frameworks need Kubernetes."""
    # A framework ruled out only as a main framework, for a must-have need it cannot do alone or for doing none of
    # the team's needs, may still serve beside the pick (DVC versioning a bank's data): only the knock-outs that
    # forbid it anywhere (a hard constraint, no fit with the infrastructure, a clash with a kept tool) exclude it.
    # A framework the brief says would be adopted for nothing the team asked for, or is no option alone or combined
    # (its companion does all it would), is no companion either: "Pair it with MLflow" beside "MLflow would be adopted
    # for nothing the team asked for" read as a contradiction.
    forbidding = {k.framework for k in a.knockouts
                  if k.rule is not None or k.criterion in (FIT_CRITERION, TOOL_FIT) or idle_knockout(k)}
    out = (set(options_of(a).ruled_out) & forbidding) | {r.framework for r in a.ranking if r.carries_no_need}
    # The options the brief puts forward (the pick and its rival) are never ruled out by these words.
    stack = set(a.recommendation.stack) | set((a.sensitivity.runner_up or "").split("+"))
    for r in a.ranking:
        cells = [a.cells.get((r.framework, c)) for c in ("ease_of_use", "operational_overhead")]
        if r.framework not in stack and all(cells) and sum(cell.score for cell in cells) <= TOO_HEAVY:
            out.add(r.framework)
    if kb is not None and a.profile.infrastructure.kubernetes == "none":
        needs_k8s = {f for f, fw in kb.frameworks.items() if fw.kubernetes == "required"}
        # A tool or framework the team runs and keeps or uses is there already, on whatever it runs on: never
        # excluded ("KServe stays: connect it" was flagged as advice the profile rules out).
        in_use = {*a.profile.current.keep, *a.profile.current.tools}
        if not needs_k8s & stack:  # a pick that brings its own cluster may name what runs on it
            out |= {f for f in needs_k8s if f in a.names and f not in in_use}
            tools = [t.name for tid, t in kb.tools.tools.items() if t.kubernetes_only and tid not in in_use]
        else:
            tools = []
    else:
        tools = []
    ordered = [r.framework for r in a.ranking if r.framework in out] + sorted(out - {r.framework for r in a.ranking})
    terms: list[Term] = [n for f in ordered for n in (name(f), short_name(name(f)))] + tools
    c, i = a.profile.constraints, a.profile.infrastructure
    if i.air_gapped:
        terms += AIR_GAPPED
    elif c.managed_services == "forbidden" or not c.saas_allowed:
        terms += MANAGED
    elif not i.clouds:
        terms += NO_CLOUD
    if c.open_source_only:
        terms += ["commercial licence", "enterprise edition", "paid tier"]
        if not (i.air_gapped or c.managed_services == "forbidden" or not c.saas_allowed):
            # A vendor-run service of an open-source tool is not open-source software: "use a managed Airflow" was
            # advice a team with a strict open-source policy cannot take.
            terms += MANAGED
    return tuple(dict.fromkeys(terms))


def excluded_mentions(text: str, terms) -> list[str]:
    """The excluded words or phrases ``text`` names (compose and the linter use the same test)."""
    found = []
    for t in terms:
        if isinstance(t, re.Pattern):
            found += [m.group(0) for m in t.finditer(text)]
        elif re.search(r"(?<![\w-])" + re.escape(t) + r"(?![\w-])", text, re.IGNORECASE):
            found.append(t)
    return list(dict.fromkeys(found))


_ITEMS = re.compile(r",\s+or\s+|,\s+|\s+or\s+")


def without_excluded(text: str, terms) -> str:
    """``text`` with the alternatives it offers that the profile rules out left out, and a clause that offers only
    those left out too, or "" if that leaves no advice: "Pair it with Airflow, Metaflow or a cloud pipeline service;
    all log to MLflow." -> "Pair it with Airflow or Metaflow; all log to MLflow."."""
    if not excluded_mentions(text, terms):
        return text
    end = "." if text.endswith(".") else ""
    clauses = []
    for clause in text.removesuffix(end).split("; "):
        if excluded_mentions(clause, terms):
            # A clause of excluded advice only goes; the others stand ("Pair it with MLflow for tracking; add a
            # serving layer" keeps its second half where MLflow is ruled out).
            clause = _prune(clause, terms)
            if not clause:
                continue
        clauses.append(clause)
    if not clauses:
        return ""
    joined = "; ".join(clauses)
    return joined[:1].upper() + joined[1:] + end


def _prune(clause: str, terms) -> str:
    """One clause's list of alternatives ("Use A, B or C") without the excluded ones."""
    if "(" in clause:  # a list inside brackets is not a list of alternatives
        return ""
    items = _ITEMS.split(clause)
    joints = _ITEMS.findall(clause)
    kept = [i for i, item in enumerate(items) if not excluded_mentions(item, terms)]
    if not kept or len(items) == 1:
        return ""
    words = [items[i] for i in kept]
    if kept[0] != 0:
        # the first alternative carried the verb ("Use a managed Airflow, or the Helm chart"), and with
        # it the preposition that joins the alternatives to it ("Pair it with Kubeflow, Metaflow ...")
        first = items[0]
        lead = first[: first.index(" with ") + len(" with ")] if " with " in first else first.split(" ", 1)[0] + " "
        words[0] = f"{lead}{words[0]}"
    if len(words) == 1:
        return words[0]
    if words[-1].startswith(("and ", "or ", "then ")):
        # a sequence, not alternatives ("..., plus MLflow, and grow it"): the last part carries its own joint
        return ", ".join(words)
    last = joints[-1] if joints[-1].strip() else " or "
    return ", ".join(words[:-1]) + (last if "or" in last else " or ") + words[-1]


def short_name(name: str) -> str:
    """A framework's name for a chart label or a column: 'DVC (Data Version Control)' -> 'DVC'.

    Brackets that spell out an acronym go; brackets after a longer name keep the name a reader knows, such
    as a renamed product's former name ('Gemini Enterprise Agent Platform (Vertex AI)' -> 'Agent Platform
    (Vertex AI)'), so a chart or column names the option as the text does."""
    name = re.sub(r"^([A-Z0-9&]+)\s*\([^)]*\)", r"\1", name)
    for prefix in ("Apache ", "Amazon ", "Google ", "Gemini Enterprise "):
        name = name.removeprefix(prefix)
    return {"Weights & Biases": "W&B", "Azure Machine Learning": "Azure ML"}.get(name, name)


CHART_LABEL_CHARS = 32  # a chart's bar labels are cut beyond this (the linter checks the same figure)


def short_label(names: Sequence[str]) -> str:
    """An option's name where space is tight (chart labels, matrix columns), from its parts' full names: each short
    (short_name); a combination too long for a chart label drops its parts' asides ("MLflow + Agent Platform", not
    "... (Vertex AI)"), which the glossary gives."""
    shorts = [short_name(n) for n in names]
    label = " + ".join(shorts)
    if len(label) > CHART_LABEL_CHARS and len(shorts) > 1:
        label = " + ".join(re.sub(r" \([^)]*\)", "", n) for n in shorts)
    return label
