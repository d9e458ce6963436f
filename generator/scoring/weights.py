"""Criterion weights: from needs, situation and explicit priorities to normalised weights with reasons.

How a raw weight is derived, in this order:

1. a capability's raw weight is the knowledge base's MoSCoW weight of its need
   (``kb.moscow_weights``; ``wont`` is always 0, whatever the data says);
   a quality's raw weight is its criterion's ``default_weight``;
2. every fired weight rule multiplies it by its factor (a product, so rule order
   does not matter);
3. an explicit ``priorities`` entry replaces the result: priority ``p`` on the
   0..10 scale maps to raw ``p / 10 * moscow_weights["must"]`` — 10 weighs as
   much as a must need, 5 half as much, 0 removes the criterion. The user's
   explicit word beats everything derived;
4. raw weights are normalised to sum to 1. If every raw weight is 0 the
   criteria are weighted equally (and say so), so a score still exists.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

from generator.knowledge.model import NOTE_CRITERIA, KnowledgeBase, Rule
from generator.profile.model import CAPABILITIES, CRITERIA, Profile
from generator.wording import number
from generator.scoring.assessment import Weight
from generator.scoring.fit import HeldNeed
from generator.wording import sentence_of

PRIORITY_SCALE = 10.0


def criterion_ids(kb: KnowledgeBase) -> tuple[str, ...]:
    """The scored criteria in the profile's fixed order; note criteria (performance) are text, never weighed."""
    return kb.scored_criteria if kb.criteria else tuple(c for c in CRITERIA if c not in NOTE_CRITERIA)


def criterion_name(kb: KnowledgeBase, cid: str) -> str:
    crit = kb.criteria.get(cid)
    return crit.name if crit else cid.replace("_", " ")


def must_weight(kb: KnowledgeBase) -> float:
    mw = kb.moscow_weights
    return float(mw.get("must", max(mw.values(), default=1.0)))


def priority_raw(priority: float, kb: KnowledgeBase) -> float:
    """Map a 0..10 priority onto the raw-weight scale: 10 = a must need."""
    p = min(PRIORITY_SCALE, max(0.0, float(priority)))
    return p / PRIORITY_SCALE * must_weight(kb)


def _is_capability(kb: KnowledgeBase, cid: str) -> bool:
    crit = kb.criteria.get(cid)
    if crit is not None:
        return crit.kind == "capability"
    return cid in CAPABILITIES


MOSCOW_WORDS = {
    "must": "a must-have need",
    "should": "a should-have need",
    "could": "a could-have (nice to have) need",
    "wont": "not needed",
}


def _goal_factor(profile: Profile, kb: KnowledgeBase, cid: str) -> tuple[float, float, str] | None:
    """The highest-placed goal that names ``cid``: (factor, floor for a quality's raw weight, reason) or None."""
    for pos, gid in enumerate(profile.goals):
        goal = kb.goals.goals.get(gid)
        if goal is None or cid not in goal.criteria:
            continue
        factors, floors = kb.goals.position_factors, kb.goals.position_floors
        factor = float(factors[min(pos, len(factors) - 1)]) if factors else 1.0
        floor = float(floors[min(pos, len(floors) - 1)]) if floors else 0.0
        return factor, floor, goal.reason
    return None


def start_raw(profile: Profile, kb: KnowledgeBase, cid: str) -> float:
    """A criterion's raw weight before rules, goals and priorities: its need's MoSCoW weight, or a quality's default."""
    if _is_capability(kb, cid):
        need = str(profile.needs.get(cid, "could"))
        return 0.0 if need == "wont" else float(kb.moscow_weights.get(need, 0.0))
    crit = kb.criteria.get(cid)
    return float(crit.default_weight) if crit else 1.0


def _held_reason(held: HeldNeed, need_name: str) -> str:
    """Why a need a tool the team uses or keeps already does weighs less."""
    does = "keeps" if held.how == "keeps" else "already uses"
    return (f"The team {does} {held.tool} for {need_name[:1].lower() + need_name[1:]}, so a framework's own would be "
            "a second one and weighs less")


def derive_weights(
    profile: Profile,
    kb: KnowledgeBase,
    factors: Mapping[str, tuple[tuple[Rule, float], ...]],
    priorities: Mapping[str, float] | None = None,
    held: Mapping[str, HeldNeed] | None = None,
) -> tuple[Weight, ...]:
    """One Weight per criterion (criteria order), normalised, each with the reasons for its value.

    ``priorities`` replaces the profile's own (a stakeholder's view); ``None`` uses the profile's. ``held``: the
    needs a tool the team uses or keeps already does (generator.scoring.fit.weighs_less), weighed by the
    knowledge base's ``held_weight``; their reason comes after the rules' (the brief pairs those with the rule ids in order).
    """
    chosen = profile.priorities if priorities is None else priorities
    rows: list[tuple[str, float, list[str], list[str], list[str], list[str]]] = []
    for cid in criterion_ids(kb):
        name = criterion_name(kb, cid)
        reasons: list[str] = []
        rule_ids: list[str] = []
        paths: list[str] = []
        lowered: list[str] = []
        raw = start_raw(profile, kb, cid)
        if _is_capability(kb, cid):
            need = str(profile.needs.get(cid, "could"))
            reasons.append(f"{name} is {MOSCOW_WORDS.get(need, need)}")
            paths.append(f"needs.{cid}")
        else:
            reasons.append(f"{name} starts from its default weight")
        for rule, factor in sorted(factors.get(cid, ()), key=lambda rf: (rf[0].id, rf[1])):
            if raw == 0.0:
                continue  # a need the team will not have stays at zero; no rule revives it
            raw *= factor
            reasons.append(sentence_of(rule.reason.strip()))
            if factor < 1.0:
                lowered.append(reasons[-1])
            rule_ids.append(rule.id)
            paths.extend(c.field for c in rule.when)
        by = (held or {}).get(cid)
        if by is not None and raw > 0.0 and kb.tools.held_weight != 1.0:
            raw *= kb.tools.held_weight
            reasons.append(sentence_of(_held_reason(by, name)))
            lowered.append(reasons[-1])
            paths.append("current.keep" if by.how == "keeps" else "current.tools")
        goal = _goal_factor(profile, kb, cid)
        if goal is not None and raw > 0.0:
            factor, floor, reason = goal
            # A goal multiplies a need's weight (the team rated the need itself) and lifts a quality
            # to at least its position's floor: a stated goal is never a footnote in the total.
            raw = raw * factor if _is_capability(kb, cid) else max(raw * factor, floor)
            reasons.append(sentence_of(reason.strip()))
            paths.append("goals")
        if cid in chosen:
            p = chosen[cid]
            raw = priority_raw(p, kb)
            reasons.append(f"Its priority is set to {number(p)} of 10 (10 weighs as much as a must-have need)")
            paths.append("priorities" if priorities is None else "stakeholders")
        rows.append((cid, max(0.0, raw), reasons, rule_ids, list(dict.fromkeys(paths)), lowered))

    total = sum(row[1] for row in rows)
    if total <= 0.0:
        share = 1.0 / len(rows) if rows else 0.0
        return tuple(
            Weight(cid, share, raw, tuple(reasons) + ("Every weight was 0, so all criteria count equally",),
                   tuple(rule_ids), tuple(paths), lowered_by=tuple(lowered))
            for cid, raw, reasons, rule_ids, paths, lowered in rows
        )
    return tuple(Weight(cid, raw / total, raw, tuple(reasons), tuple(rule_ids), tuple(paths), lowered_by=tuple(lowered))
                 for cid, raw, reasons, rule_ids, paths, lowered in rows)


GEOMETRIC_FLOOR = 1e-4  # a stakeholder's zero weight, for the geometric mean: near-zero, not a veto


def aggregate(views: Sequence[tuple[float, Sequence[float]]]) -> list[float]:
    """Weighted geometric mean of several normalised weight vectors, renormalised to sum 1.

    ``views`` is ``(stakeholder weight, weights)`` per stakeholder. The geometric mean is the
    standard way to aggregate individual judgements in AHP (it keeps the aggregate's ratios
    consistent with the individuals'). A criterion every stakeholder weighs 0 stays 0; a zero
    from some stakeholders only counts as GEOMETRIC_FLOOR, so one voice cannot veto a criterion.
    """
    if not views:
        return []
    k = len(views[0][1])
    total_w = sum(w for w, _ in views)
    out = []
    for j in range(k):
        if all(v[j] <= 0.0 for _, v in views):
            out.append(0.0)
            continue
        log_sum = sum(w * math.log(max(v[j], GEOMETRIC_FLOOR)) for w, v in views)
        out.append(math.exp(log_sum / total_w))
    s = sum(out)
    return [x / s for x in out] if s > 0 else out
