"""The knowledge base: frameworks, criteria, context rules and their sources.

Records only in this first cut; the loader and its whole-base checks come with
issue 4. The YAML format these records are read from is documented in
``docs/knowledge-format.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


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

    def attribute(self, name: str) -> Any:
        """Attribute used by rule selectors (e.g. ``hosting``, ``kubernetes``, ``open_source``)."""
        return getattr(self, name)


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    kind: str  # capability | quality
    definition: str
    low: str  # what 0 means
    high: str  # what 5 means
    default_weight: float  # quality criteria: weight before context rules; capabilities use MoSCoW


@dataclass(frozen=True)
class Condition:
    """``field`` (a profile path) compared with ``op`` (is, in, not_in, min, max, contains, empty)."""

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
    attribute -> value (all must match), e.g. {"hosting": "saas"}.
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

    def sources_for(self, ids: tuple[str, ...] | list[str]) -> tuple[Source, ...]:
        return tuple(self.sources[i] for i in ids if i in self.sources)


def load_knowledge(extra_dir: str | None = None) -> KnowledgeBase:  # pragma: no cover - issue 4
    raise NotImplementedError("knowledge base loader lands with issue 4")
