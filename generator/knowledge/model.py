"""The knowledge base's records: frameworks, criteria, context rules and their sources.

The bundled base lives in ``data/`` (shipped as ``generator.data``) and is read
only through :func:`generator.resources.data_dir`.
:func:`generator.knowledge.loader.load_knowledge` reads it plus optional user
folders, checks the whole base at once and reports every problem with its file
and line. The YAML format is documented in ``docs/knowledge-format.md``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from generator import dates

# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    id: str
    url: str
    title: str
    publisher: str
    as_of: str  # ISO date the source was read / is valid for
    third_party: bool = False


@dataclass(frozen=True)
class Fact:
    """A sourced statement a brief may print."""

    text: str
    sources: tuple[str, ...]
    topic: str = ""  # e.g. "origin", "licence", "kubernetes", "on_prem"
    as_of: str = ""  # ISO date the statement is valid for (adoption signals carry one)


@dataclass(frozen=True)
class Score:
    """A framework's base level on one criterion (0..5) before context rules."""

    level: float
    rationale: str
    sources: tuple[str, ...]


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
    laptop: bool
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
    # The sourced statements behind the scalar attributes above, keyed by
    # attribute name (first_release, licence, open_source, hosting, clouds,
    # newest_version, kubernetes, laptop, on_prem, air_gapped).
    attribute_facts: Mapping[str, Fact] = field(default_factory=dict)
    file: str = ""  # where it was read from, for messages

    def all_facts(self) -> tuple[Fact, ...]:
        """Every sourced statement about this framework, identity first."""
        out = [self.origin, self.governance]
        out += [self.attribute_facts[k] for k in ATTRIBUTE_FACTS if k in self.attribute_facts]
        out += [*self.infrastructure, *self.integrations, *self.adoption, *self.facts]
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
    kind: str  # capability | quality
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
    value: Any


@dataclass(frozen=True)
class Effect:
    """What a matching rule does.

    kind "score": frameworks selected by ``select`` get ``criterion`` changed by
    ``delta``, or set to ``set``, or capped at ``cap``.
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
    factor: float | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    when: tuple[Condition, ...]  # all must hold
    effects: tuple[Effect, ...]
    reason: str  # human-readable, shown in the brief
    sources: tuple[str, ...]


@dataclass(frozen=True)
class KnowledgeBase:
    frameworks: Mapping[str, Framework]  # id -> framework, sorted by id
    criteria: Mapping[str, Criterion]  # id -> criterion, in the order of profile.CRITERIA
    rules: tuple[Rule, ...]
    sources: Mapping[str, Source]
    moscow_weights: Mapping[str, float]  # must/should/could/wont -> weight of a capability
    version: str  # content hash, for up-to-date checks in batch
    as_of: str  # newest as_of of any source: "knowledge as of"
    oldest_as_of: str = ""
    moscow_rationale: str = ""
    scale: str = ""  # how the 0..5 levels are read (criteria.yaml)
    files: tuple[str, ...] = ()  # every file read, in hashing order

    def sources_for(self, ids: tuple[str, ...] | list[str]) -> tuple[Source, ...]:
        return tuple(self.sources[i] for i in ids if i in self.sources)


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
    "laptop": (True, False),
    "clouds": (),  # any of profile.CLOUDS: the loader checks against that list
}
HOSTING = SELECTOR_ATTRIBUTES["hosting"]
KUBERNETES = SELECTOR_ATTRIBUTES["kubernetes"]
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
)


@dataclass(frozen=True)
class EvidenceAge:
    """How old the evidence behind one framework is, relative to ``today``."""

    framework: str
    newest_as_of: str
    oldest_as_of: str
    newest_days: int
    oldest_days: int
    sources: int  # distinct sources cited
    stale_sources: int  # of those, older than the max age asked for
    stale: bool  # even the newest evidence is older than the max age


def evidence_age(kb: KnowledgeBase, framework_id: str, today: str | _dt.date | None = None, max_age: int = 365) -> EvidenceAge:
    """Age in days of the newest and oldest source a framework's entry cites."""
    day = as_date(today)
    fw = kb.frameworks[framework_id]
    dates = sorted(_dt.date.fromisoformat(s.as_of) for s in kb.sources_for(fw.source_ids()))
    if not dates:
        return EvidenceAge(framework_id, "", "", 0, 0, 0, 0, True)
    ages = [(day - d).days for d in dates]
    return EvidenceAge(
        framework=framework_id,
        newest_as_of=dates[-1].isoformat(),
        oldest_as_of=dates[0].isoformat(),
        newest_days=ages[-1],
        oldest_days=ages[0],
        sources=len(dates),
        stale_sources=sum(1 for a in ages if a > max_age),
        stale=ages[-1] > max_age,
    )


def as_date(today: str | _dt.date | None) -> _dt.date:
    """``today`` as a date: a date as it is, an ISO string parsed, None the date rule's today."""
    if isinstance(today, _dt.date):
        return today
    if today:
        return _dt.date.fromisoformat(today)
    return dates.today()
