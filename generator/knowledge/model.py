"""The knowledge base's records: frameworks, criteria, context rules and their sources.

The bundled base lives in ``data/`` (shipped as ``generator.data``) and is read
only through :func:`generator.resources.data_dir`.
:func:`generator.knowledge.loader.load_knowledge` reads it plus optional user
folders, checks the whole base at once and reports every problem with its file
and line. The YAML format is documented in ``docs/knowledge.md``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

from generator import dates

# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


TIERS = ("primary", "secondary", "tertiary")
UNDATED = "undated"


@dataclass(frozen=True)
class Source:
    """One cited page. Its date is what the page itself states: ``published``
    (a date or ``"undated"``) or, for a release, ``released``; ``retrieved`` is
    only the day it was read and never stands in for either."""

    id: str
    url: str
    title: str
    publisher: str
    tier: str  # primary | secondary | tertiary
    retrieved: str  # ISO date the page was read
    published: str = UNDATED  # ISO date the page states, or "undated"; "" for a release
    released: str = ""  # ISO release date, for release pages and tags

    @property
    def date(self) -> str | None:
        """The page's own date (release or publication), None when it carries none."""
        if self.released:
            return self.released
        return None if self.published in ("", UNDATED) else self.published


@dataclass(frozen=True)
class Fact:
    """A sourced statement a brief may print."""

    text: str
    sources: tuple[str, ...]
    topic: str = ""  # e.g. "origin", "licence", "kubernetes", "on_prem"
    as_of: str = ""  # ISO date the statement is valid for (adoption signals carry one)
    # Newest published/released date of its sources, None when all are undated;
    # set once by the loader when every source is known.
    evidence_date: str | None = None


@dataclass(frozen=True)
class Score:
    """A framework's base level on one criterion (0..5) before context rules."""

    level: float
    rationale: str
    sources: tuple[str, ...]
    evidence_date: str | None = None


@dataclass(frozen=True)
class Companion:
    """Another framework that fills this one's gaps, e.g. MLflow for Kubeflow's tracking."""

    framework: str
    covers: tuple[str, ...]  # criterion ids the companion brings
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Point:
    """A pro or a con written for a decision-maker, tagged with the criteria it bears on."""

    text: str
    criteria: tuple[str, ...]
    sources: tuple[str, ...]
    mitigation: str = ""  # cons: how teams live with it
    evidence_date: str | None = None
    # "managed": holds only for a team using a vendor-run offering (a hosted service or managed edition);
    # "self_hosted": holds only for a team running it itself; "": holds either way. Lets a brief leave out
    # a point that the profile's hosting makes beside the point (a managed option for an air-gapped team).
    requires: str = ""
    # cons: the drawback's premise as profile conditions, all of which must hold for it to be this team's
    # risk ("heavy for small teams" needs a small team); empty: it always applies.
    applies_when: tuple["Condition", ...] = ()


@dataclass(frozen=True)
class WorksWith:
    """A documented integration with another tool or framework (``works_with``)."""

    tool: str  # a tool id (TOOLS) or a framework id
    how: str  # runs_on | orchestrated_by | orchestrates | integrates
    support: str  # native | plugin | community
    fact: Fact
    # What of the tool's existing work (pipelines, logging calls) keeps running on this framework unchanged, in
    # the sources' words; empty when the sources show none. It makes this framework a successor to the tool for a
    # team that is replacing it (``current.replacing``).
    carries_over: str = ""


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    summary: str
    origin: Fact
    first_release: str  # "YYYY" or "YYYY-MM"
    licence: str
    open_source: bool  # OSI licence for everything a team must run
    governance: Fact
    hosting: str  # self_hosted | managed | both | saas
    clouds: tuple[str, ...]  # managed-only platforms: the clouds they exist on; else ()
    newest_version: str
    newest_version_date: str
    kubernetes: str  # required | optional | not_needed
    laptop: str  # local | local_cluster | none (docs/knowledge.md gives the one definition)
    on_prem: bool
    air_gapped: bool
    infrastructure: tuple[Fact, ...]  # footprint, on-prem, air-gapped, managed offerings ...
    scores: Mapping[str, Score]  # every criterion id
    integrations: tuple[Fact, ...]
    companions: tuple[Companion, ...]
    pros: tuple[Point, ...]
    cons: tuple[Point, ...]
    adoption: tuple[Fact, ...]  # dated, sourced community / survey signals
    facts: tuple[Fact, ...] = ()  # everything else a brief may cite
    compute: tuple[str, ...] = ()  # COMPUTE: where the work it manages can run
    designed_for: tuple[str, ...] = ()  # AUDIENCES, most central first
    pricing: str = ""  # PRICING model
    pricing_billed: str = ""  # what money goes to, one line
    pricing_billed_self_hosted: str = ""  # the same, for a team that runs it itself; "" when pricing_billed is that
    saas: bool = False  # a vendor-hosted service exists
    self_hosted: bool = False  # the team can install and run it itself
    multi_tenancy: str = ""  # none | basic | full
    multi_tenancy_open_source: str = ""  # the level without a paid edition
    works_with: Mapping[str, WorksWith] = field(default_factory=dict)  # tool id -> integration
    # Sourced notes on measured overhead and latency (criterion kind "note"), keyed overhead | latency.
    performance: Mapping[str, Fact] = field(default_factory=dict)
    # The sourced statements behind the scalar attributes above, keyed by
    # attribute name (ATTRIBUTE_FACTS).
    attribute_facts: Mapping[str, Fact] = field(default_factory=dict)
    file: str = ""  # where it was read from, for messages

    @property
    def audience(self) -> str:
        """The people it is built for first (the first of ``designed_for``), for rule selectors."""
        return self.designed_for[0] if self.designed_for else ""

    def all_facts(self) -> tuple[Fact, ...]:
        """Every sourced statement about this framework, identity first."""
        out = [self.origin, self.governance]
        out += [self.attribute_facts[k] for k in ATTRIBUTE_FACTS if k in self.attribute_facts]
        out += [*self.infrastructure, *self.integrations, *(w.fact for w in self.works_with.values())]
        out += [*self.performance.values(), *self.adoption, *self.facts]
        return tuple(out)

    def source_ids(self) -> tuple[str, ...]:
        """Every source id this framework's entry cites, sorted, without duplicates."""
        ids: set[str] = set()
        for f in self.all_facts():
            ids.update(f.sources)
        for s in self.scores.values():
            ids.update(s.sources)
        for c in self.companions:
            ids.update(c.sources)
        for p in (*self.pros, *self.cons):
            ids.update(p.sources)
        return tuple(sorted(ids))


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    kind: str  # capability | quality | note (sourced notes per framework, never scored or weighted)
    definition: str
    low: str  # what 0 means
    high: str  # what 5 means
    default_weight: float  # quality criteria: weight before context rules; capabilities use MoSCoW
    levels: Mapping[int, str] = field(default_factory=dict)  # optional wording per level 0..5


@dataclass(frozen=True)
class Condition:
    """``field`` (a profile path) compared with ``op`` (is, in, not_in, min, max, contains, empty).

    On list-valued fields (e.g. ``infrastructure.clouds``) ``in`` holds when any
    item is among the values and ``not_in`` when none is; ``contains`` holds when
    the value is one of the items; ``empty: true`` when there are no items.
    generator.scoring.rules evaluates conditions; this is only the record.
    """

    field: str
    op: str
    value: Any  # for op "any": a tuple of Conditions, one of which must hold (field is "")


@dataclass(frozen=True)
class Effect:
    """What a matching rule does.

    kind "score": frameworks selected by ``select`` get ``criterion`` changed by
    ``delta``, or set to ``set``, or capped at ``cap`` (before the deltas), or
    limited to ``limit`` (after the deltas: a fact that makes every other rule moot).
    kind "weight": ``criterion``'s weight is multiplied by ``factor``.
    kind "knockout": frameworks selected by ``select`` are excluded.
    ``select`` is either a tuple of framework ids or a mapping of framework
    attribute -> value (all must match), e.g. {"hosting": "saas"}. A list value
    means "any of these"; on the list attribute ``clouds`` a value matches when
    the framework's clouds contain it. generator.scoring.rules applies effects.
    """

    kind: str
    select: tuple[str, ...] | Mapping[str, Any] = ()
    criterion: str | None = None
    delta: float | None = None
    set: float | None = None
    cap: float | None = None
    limit: float | None = None
    factor: float | None = None


RULE_KINDS = ("fact", "preference")


@dataclass(frozen=True)
class Rule:
    """A context rule. ``kind`` says what it rests on: "fact" (the team's situation or a hard constraint) or
    "preference" (a wish, such as avoiding lock-in). A preference moves scores and weights but never rules a
    framework out: the infrastructure-fit veto is judged without it, and it cannot knock out or move a
    capability (whose level decides whether a must-have is met)."""

    id: str
    when: tuple[Condition, ...]  # all must hold
    effects: tuple[Effect, ...]
    reason: str  # human-readable, shown in the brief
    sources: tuple[str, ...]
    kind: str = "fact"

    @property
    def preference(self) -> bool:
        return self.kind == "preference"


@dataclass(frozen=True)
class Goal:
    """A goal a profile may list: the criteria it raises and the sentence that says why."""

    id: str
    name: str
    criteria: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Goals:
    """``data/goals.yaml``: the goals and the factor by position (first goal counts most)."""

    goals: Mapping[str, Goal] = field(default_factory=dict)
    position_factors: tuple[float, ...] = ()  # multiplies a need's weight, by the goal's position
    position_floors: tuple[float, ...] = ()  # least raw weight of a quality a goal names, by position


@dataclass(frozen=True)
class Tool:
    """A tool a profile may name in ``current`` (besides framework ids) and the roles it plays."""

    id: str
    name: str
    roles: tuple[str, ...]
    # The sources showing it runs only on Kubernetes; empty: it runs elsewhere too (or no source says).
    kubernetes_only: tuple[str, ...] = ()
    # Capabilities the tool itself does for the team that keeps it, beyond its roles (Slurm runs multi-node
    # training): a brief names it when the pick leaves that need open. Never scored.
    does: Mapping[str, Fact] = field(default_factory=dict)


@dataclass(frozen=True)
class Tools:
    """``data/tools.yaml``: the tools, and how fit with the team's current tools is scored."""

    tools: Mapping[str, Tool] = field(default_factory=dict)
    # The levels of data/tools.yaml, as defaults for a knowledge base built without that file.
    levels: Mapping[str, float] = field(
        default_factory=lambda: {"same": 5, "native": 5, "plugin": 4, "community": 3, "neutral": 3, "familiar": 1, "switching": 0,
                                 "successor": 0}
    )
    role_level: float = 4.0
    role_capability: Mapping[str, str] = field(default_factory=dict)  # exclusive role -> capability criterion
    compute_role: Mapping[str, str] = field(default_factory=dict)  # compute tool -> framework `compute` value
    # The factor on the weight of a need that a tool the team uses already does (1: no effect, as without the file).
    held_weight: float = 1.0


@dataclass(frozen=True)
class KnowledgeBase:
    frameworks: Mapping[str, Framework]  # id -> framework, sorted by id
    criteria: Mapping[str, Criterion]  # id -> criterion, in the order of profile.CRITERIA
    rules: tuple[Rule, ...]
    sources: Mapping[str, Source]
    moscow_weights: Mapping[str, float]  # must/should/could/wont -> weight of a capability
    version: str  # content hash, for up-to-date checks in batch
    as_of: str  # "knowledge as of": the newest day any source was retrieved
    evidence_as_of: str = ""  # the newest date any source itself states (published or released)
    moscow_rationale: str = ""
    scale: str = ""  # how the 0..5 levels are read (criteria.yaml)
    files: tuple[str, ...] = ()  # every file read, in hashing order
    goals: Goals = field(default_factory=Goals)
    tools: Tools = field(default_factory=Tools)

    def sources_for(self, ids: tuple[str, ...] | list[str]) -> tuple[Source, ...]:
        return tuple(self.sources[i] for i in ids if i in self.sources)

    @cached_property
    def source_owners(self) -> Mapping[str, frozenset[str]]:
        """Source id -> the frameworks whose entries cite it; a source no entry cites (a paper, a
        maturity model) is about no one framework and is absent."""
        owners: dict[str, set[str]] = {}
        for fid, fw in self.frameworks.items():
            for sid in fw.source_ids():
                owners.setdefault(sid, set()).add(fid)
        return {sid: frozenset(fids) for sid, fids in owners.items()}

    def sources_about(self, ids: tuple[str, ...], fid: str) -> tuple[str, ...]:
        """The sources among ``ids`` that can support a statement about framework ``fid``: those its own entry
        cites and the general ones. A rule cites evidence for every framework it selects (the open-source rule:
        ClearML's server licence and W&B's licence terms); a sentence about ClearML must not cite W&B's."""
        owners = self.source_owners
        return tuple(sid for sid in ids if fid in owners.get(sid, (fid,)))

    @property
    def scored_criteria(self) -> tuple[str, ...]:
        """Criterion ids that get levels and weights (not the ``note`` kind), in order."""
        return tuple(c for c, crit in self.criteria.items() if crit.kind != "note")

    def judged_date(self, statement: Any) -> str:
        """The date a statement's age is judged by: its evidence date, or for
        undated evidence (living documentation) the newest retrieval of its sources."""
        if statement.evidence_date:
            return statement.evidence_date
        return max((s.retrieved for s in self.sources_for(statement.sources)), default="")

    def is_stale(self, statement: Any, today: str | _dt.date | None = None, max_age: int = 365) -> bool:
        """Whether a statement's evidence is older than ``max_age`` days on ``today``."""
        judged = self.judged_date(statement)
        return bool(judged) and (as_date(today) - _dt.date.fromisoformat(judged)).days > max_age


# ---------------------------------------------------------------------------
# What rules may say (checked by the loader)
# ---------------------------------------------------------------------------

CONDITION_OPS = ("is", "in", "not_in", "min", "max", "contains", "empty")
SELECTOR_ATTRIBUTES: dict[str, tuple[Any, ...]] = {
    "kubernetes": ("required", "optional", "not_needed"),
    "hosting": ("self_hosted", "managed", "both", "saas"),
    "open_source": (True, False),
    "air_gapped": (True, False),
    "on_prem": (True, False),
    "laptop": ("local", "local_cluster", "none"),
    "clouds": (),  # filled from profile.CLOUDS below
    "compute": ("laptop", "vms", "kubernetes", "slurm", "databricks", "cloud_ml", "serverless_batch"),
    "designed_for": ("data_scientists", "ml_engineers", "platform_teams", "researchers"),
    "audience": ("data_scientists", "ml_engineers", "platform_teams", "researchers"),  # designed_for's first (central) entry
    "saas": (True, False),
    "self_hosted": (True, False),
    "multi_tenancy": ("none", "basic", "full"),
    "multi_tenancy_open_source": ("none", "basic", "full"),
    "pricing": ("open_source", "open_core", "per_seat_saas", "pay_per_use_cloud"),
}
# On list attributes (clouds, compute, designed_for) a selector value matches when the list contains it.
HOSTING = SELECTOR_ATTRIBUTES["hosting"]
KUBERNETES = SELECTOR_ATTRIBUTES["kubernetes"]
LAPTOP = SELECTOR_ATTRIBUTES["laptop"]
COMPUTE = SELECTOR_ATTRIBUTES["compute"]
AUDIENCES = SELECTOR_ATTRIBUTES["designed_for"]
TENANCY = SELECTOR_ATTRIBUTES["multi_tenancy"]
PRICING = SELECTOR_ATTRIBUTES["pricing"]
# Criteria of kind "note": sourced text per framework, never a level or a weight.
NOTE_CRITERIA = ("performance",)
# Criteria whose level is computed for each profile (generator.scoring.fit), not written per framework.
COMPUTED_CRITERIA = ("tool_fit",)
PERFORMANCE_NOTES = ("overhead", "latency")
WORKS_WITH_HOW = ("runs_on", "orchestrated_by", "orchestrates", "integrates")
WORKS_WITH_SUPPORT = ("native", "plugin", "community")
# The tools of DESIGN.md a framework may name in works_with (besides framework ids).
TOOLS = (
    "spark", "databricks", "ray", "slurm", "jupyter", "git", "dbt", "kubernetes", "aws_batch", "argo", "prefect",
    "dagster", "tfx", "kserve", "seldon", "bentoml", "feast", "lakefs", "tensorboard", "snowflake", "bigquery", "optuna",
)
ATTRIBUTE_FACTS = (
    "first_release",
    "licence",
    "open_source",
    "hosting",
    "clouds",
    "newest_version",
    "kubernetes",
    "laptop",
    "on_prem",
    "air_gapped",
    "compute",
    "designed_for",
    "pricing",
    "saas",
    "self_hosted",
    "multi_tenancy",
)


def as_date(today: str | _dt.date | None) -> _dt.date:
    """``today`` as a date: a date as it is, an ISO string parsed, None the date rule's today."""
    if isinstance(today, _dt.date):
        return today
    if today:
        return _dt.date.fromisoformat(today)
    return dates.today()
