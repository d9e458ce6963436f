"""What scoring produces: the records the brief and ``briefgen score --json`` are made from.

Pure data. ``scoring.assess`` builds it; ``compose`` reads it; nothing here does I/O.
Fields may be added; none renamed (the JSON contract in DESIGN.md depends on them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from enum import StrEnum
from typing import Any, Mapping

from generator.profile.model import Profile
from generator.scoring.provenance import FORMAT_VERSION, flatten, provenance as provenance_of


class Verdict(StrEnum):
    """How firm the recommendation is. The values are the words of the JSON contract
    (``recommendation.verdict``, ``sensitivity.verdict``, the batch index); a member
    compares, hashes, prints and serialises as its value."""

    CLEAR = "clear"  # margin >= 5 points and first in >= 90 % of perturbed weightings
    LEANING = "leaning"  # between clear and too close
    TOO_CLOSE = "too_close"  # margin < 2 points or first in < 60 % of perturbed weightings
    ONLY_VIABLE = "only_viable"  # one option left: nothing to compare it with
    NONE_VIABLE = "none_viable"  # every framework knocked out: nothing is recommended


@dataclass(frozen=True)
class Weight:
    criterion: str
    value: float  # normalised: all weights sum to 1
    raw: float  # before normalisation
    reasons: tuple[str, ...]  # why it has this value, in words a stakeholder reads
    rules: tuple[str, ...] = ()  # ids of the weight rules that moved it
    factors: tuple[str, ...] = ()  # profile fields it depends on (needs.x, goals, team.size ...)
    # (stakeholder, priority, raises) for each stakeholder who set a priority on it: the priority raises their weight
    # when it is above what the profile's own facts give the criterion, and lowers it otherwise.
    set_by: tuple[tuple[str, float, bool], ...] = ()
    # The reasons (of ``reasons``) whose rule multiplied this weight by less than 1: they argue that it matters less.
    lowered_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cell:
    """One framework on one criterion."""

    framework: str
    criterion: str
    score: float  # 0..5 after context rules
    base: float  # the knowledge base's level
    rationale: str  # one line tied to the profile
    sources: tuple[str, ...]
    rules: tuple[str, ...] = ()  # ids of the context rules that moved it
    factors: tuple[str, ...] = ()  # profile fields the score depends on (the fired rules' conditions)
    # The reasons of the rules among ``rules`` that raised it ("" when none did): why it is this high, which a
    # sentence saying where a framework is stronger may quote; a lowering rule's reason there argues against it.
    raised_because: str = ""


@dataclass(frozen=True)
class Knockout:
    framework: str
    reason: str  # a sentence a stakeholder can read
    rule: str | None  # the rule id, or None for an unmet "must" need
    # the need that is unmet, if that is the cause; None with no rule: the framework does none of the stated needs
    criterion: str | None
    sources: tuple[str, ...] = ()
    factors: tuple[str, ...] = ()  # profile fields behind it


# How the brief names that cause of a knock-out, in the ruled-out heading and the method.
IDLE_CAUSE = "does none of the team's must- or should-have needs"


def idle_knockout(k: Knockout) -> bool:
    """Whether a knock-out says the framework does none of the team's must or should needs."""
    return k.rule is None and k.criterion is None


@dataclass(frozen=True)
class Ranked:
    framework: str
    rank: int  # 1 = best; knocked-out frameworks rank after all others
    score: float  # weighted sum, 0..100
    knocked_out: bool
    knockouts: tuple[str, ...]  # reasons
    topsis: float  # closeness 0..1 from the cross-check method
    needs_companion: tuple[str, ...] = ()  # companions it needs to meet every must need (then only a stack is eligible)
    # It needs a companion, and in every such stack the companions would do each stated need it does:
    # no stack is built on it, so it is no option at all (scoring step 4).
    carries_no_need: bool = False


@dataclass(frozen=True)
class StackPart:
    framework: str
    covers: tuple[str, ...]  # criterion ids this part is responsible for


@dataclass(frozen=True)
class Stack:
    """A combination such as Kubeflow Pipelines with MLflow tracking."""

    frameworks: tuple[str, ...]  # primary first
    parts: tuple[StackPart, ...]
    score: float  # 0..100, same scale as Ranked.score
    reason: str
    sources: tuple[str, ...] = ()
    topsis: float = 0.0  # closeness 0..1, computed among the same alternatives as the frameworks
    levels: tuple[float, ...] = ()  # the stack's 0..5 level per criterion, in weights order (what the brief's tables show)


@dataclass(frozen=True)
class Flip:
    """How far one criterion's weight must move before the top two swap."""

    criterion: str
    weight: float  # current normalised weight
    flip_at: float | None  # normalised weight at which the order flips; None if it never does in 0..1
    favours: str  # framework that gains when this weight rises


@dataclass(frozen=True)
class Sensitivity:
    leader: str
    runner_up: str | None
    flips: tuple[Flip, ...]
    robustness: float  # share (0..1) of perturbed weightings where the leader stays first
    samples: int
    seed: int
    distribution: str  # documented perturbation, e.g. "each weight x U(0.5, 1.5), renormalised"
    verdict: Verdict

    @property
    def among_combinations(self) -> bool:
        """Whether every viable option builds on the leader's main framework, so the rival is one of its other
        combinations (the robustness share then compares those, not frameworks)."""
        return bool(self.leader and self.runner_up) and self.leader.split("+")[0] in self.runner_up.split("+")

    @property
    def rivals(self) -> str:
        """What the robustness share is counted against, as a sentence says it."""
        return "its other combinations" if self.among_combinations else "every other framework"


@dataclass(frozen=True)
class Reason:
    """One sentence of the case for the pick, with the profile fields it rests on."""

    text: str
    # for (a strength for this profile) | tradeoff | rival (the runner-up and what decides against it, or a
    # ruled-out option that would have won) | context
    kind: str
    factors: tuple[str, ...] = ()
    # the criterion the sentence argues from ("" for none), so a brief can show that criterion beside it
    criterion: str = ""
    # the knowledge base's sources for what the sentence quotes, primary first, so a brief can cite it where it
    # argues and not only in the scores table
    sources: tuple[str, ...] = ()
    # the sentence that opens ``text`` with why its criterion matters here ("" for none), so a short brief can give
    # that situation by its cause alone, as its weights table does
    lead: str = ""


# How every group weight's reasons end when the profile has stakeholders: how the weights were combined, not why
# this criterion matters, so reasons and the brief say it once rather than for each criterion.
STAKEHOLDERS_COMBINED = "Combined from the priorities of"


@dataclass(frozen=True)
class StakeholderView:
    """One stakeholder's own weighting and the option it alone would pick."""

    name: str
    weight: float  # relative voice, as given (default 1)
    pick: str  # option key ("" when nothing is viable)
    agrees: bool  # the pick is the group recommendation's option
    top: tuple[str, ...]  # the two or three criteria this stakeholder weighs most


@dataclass(frozen=True)
class Recommendation:
    primary: str  # framework id; "" when every framework is knocked out (Verdict.NONE_VIABLE)
    stack: tuple[str, ...]  # (primary,) or a combination, primary first; () when none is viable
    margin: float  # points (0..100 scale) ahead of the runner-up (best option with another primary); 0 without one
    robustness: float  # = sensitivity.robustness
    verdict: Verdict
    sentence: str  # the one-sentence recommendation
    reasons: tuple[str, ...]  # 3-6 sentences tying the profile to the pick
    stack_detail: Stack | None = None
    detail: tuple[Reason, ...] = ()  # the reasons with their kinds and profile factors


@dataclass(frozen=True)
class Assessment:
    profile: Profile
    weights: tuple[Weight, ...]  # one per criterion, in criteria order
    cells: Mapping[tuple[str, str], Cell]  # (framework, criterion) -> cell
    ranking: tuple[Ranked, ...]  # best first
    knockouts: tuple[Knockout, ...]
    stacks: tuple[Stack, ...]  # evaluated combinations, best first
    recommendation: Recommendation
    sensitivity: Sensitivity
    methods_agree: bool  # weighted sum and TOPSIS pick the same leader
    topsis_leader: str
    kb_version: str
    kb_as_of: str
    names: Mapping[str, str] = field(default_factory=dict)  # framework id -> display name
    criterion_names: Mapping[str, str] = field(default_factory=dict)  # criterion id -> display name
    stakeholders: tuple[StakeholderView, ...] = ()

    @cached_property
    def provenance(self) -> dict[str, str]:
        """What reproduces this assessment; made once, because the brief, its JSON and the batch
        index all quote it and the profile digest hashes the whole profile."""
        return provenance_of(self.profile, self.kb_version, self.kb_as_of)

    def to_json(self) -> dict[str, Any]:
        """The ``briefgen score --json`` contract (DESIGN.md), with every float rounded so output is byte-stable."""
        rec, sens = self.recommendation, self.sensitivity
        cells: dict[str, dict[str, Any]] = {}
        for (fid, cid), cell in sorted(self.cells.items()):
            cells.setdefault(fid, {})[cid] = {
                "score": _r(cell.score, 2),
                "base": _r(cell.base, 2),
                "rationale": cell.rationale,
                "sources": list(cell.sources),
                "rules": list(cell.rules),
            }
        return {
            "format_version": FORMAT_VERSION,
            "provenance": dict(self.provenance),
            "inputs": flatten(self.profile),
            "framework_names": dict(self.names),
            "criterion_names": dict(self.criterion_names),
            "profile": self.profile.project.name,
            "kb_version": self.kb_version,
            "kb_as_of": self.kb_as_of,
            "weights": {w.criterion: _r(w.value, 4) for w in self.weights},
            "weight_details": {
                w.criterion: {
                    "value": _r(w.value, 4),
                    "raw": _r(w.raw, 4),
                    "reasons": list(w.reasons),
                    "rules": list(w.rules),
                    "factors": list(w.factors),
                }
                for w in self.weights
            },
            "ranking": [
                {
                    "framework": r.framework,
                    "name": self.names.get(r.framework, r.framework),
                    "rank": r.rank,
                    "score": _r(r.score, 2),
                    "topsis": _r(r.topsis, 4),
                    "knocked_out": r.knocked_out,
                    "knockouts": list(r.knockouts),
                    "needs_companion": list(r.needs_companion),
                    "carries_no_need": r.carries_no_need,
                }
                for r in self.ranking
            ],
            "recommendation": {
                "primary": rec.primary or None,
                "stack": list(rec.stack),
                "margin": _r(rec.margin, 2),
                "robustness": _r(rec.robustness, 4),
                "verdict": rec.verdict,
                "sentence": rec.sentence,
                "reasons": list(rec.reasons),
                "reasons_detail": [
                    {"text": r.text, "kind": r.kind, "factors": list(r.factors), "sources": list(r.sources)}
                    for r in rec.detail
                ],
            },
            "stakeholders": [
                {"name": v.name, "weight": _r(v.weight, 4), "pick": v.pick or None, "agrees": v.agrees, "top": list(v.top)}
                for v in self.stakeholders
            ],
            "sensitivity": {
                "leader": sens.leader or None,
                "runner_up": sens.runner_up,
                "flips": [
                    {
                        "criterion": f.criterion,
                        "weight": _r(f.weight, 4),
                        "flip_at": None if f.flip_at is None else _r(f.flip_at, 4),
                        "favours": f.favours or None,
                    }
                    for f in sens.flips
                ],
                "robustness": _r(sens.robustness, 4),
                "samples": sens.samples,
                "seed": sens.seed,
                "distribution": sens.distribution,
                "verdict": sens.verdict,
            },
            "knockouts": [
                {
                    "framework": k.framework,
                    "reason": k.reason,
                    "rule": k.rule,
                    "criterion": k.criterion,
                    "sources": list(k.sources),
                    "factors": list(k.factors),
                }
                for k in self.knockouts
            ],
            "stacks": [
                {
                    "frameworks": list(s.frameworks),
                    "parts": [{"framework": p.framework, "covers": list(p.covers)} for p in s.parts],
                    "score": _r(s.score, 2),
                    "topsis": _r(s.topsis, 4),
                    "reason": s.reason,
                    "sources": list(s.sources),
                }
                for s in self.stacks
            ],
            "methods_agree": self.methods_agree,
            "topsis_leader": self.topsis_leader or None,
            "cells": cells,
        }


def _r(x: float, digits: int) -> float:
    """Round for output; + 0.0 turns -0.0 into 0.0 so equal results print equal bytes."""
    return round(float(x), digits) + 0.0
