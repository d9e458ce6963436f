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

from typing import Mapping

from generator.knowledge.model import KnowledgeBase, Rule
from generator.profile.model import CAPABILITIES, CRITERIA, Profile
from generator.wording import number
from generator.scoring.assessment import Weight

PRIORITY_SCALE = 10.0


def criterion_ids(kb: KnowledgeBase) -> tuple[str, ...]:
    """Criteria in the profile's fixed order, then any extra criteria the knowledge base defines."""
    known = [c for c in CRITERIA if c in kb.criteria]
    extra = sorted(c for c in kb.criteria if c not in CRITERIA)
    return tuple(known + extra) if kb.criteria else CRITERIA


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


def derive_weights(
    profile: Profile,
    kb: KnowledgeBase,
    factors: Mapping[str, tuple[tuple[Rule, float], ...]],
) -> tuple[Weight, ...]:
    """One Weight per criterion (criteria order), normalised, each with the reasons for its value."""
    rows: list[tuple[str, float, list[str]]] = []
    for cid in criterion_ids(kb):
        name = criterion_name(kb, cid)
        reasons: list[str] = []
        if _is_capability(kb, cid):
            need = str(profile.needs.get(cid, "could"))
            raw = 0.0 if need == "wont" else float(kb.moscow_weights.get(need, 0.0))
            reasons.append(f"{name} is a {need} need (MoSCoW weight {number(raw)})")
        else:
            crit = kb.criteria.get(cid)
            raw = float(crit.default_weight) if crit else 1.0
            reasons.append(f"default weight {number(raw)} for {name}")
        for rule, factor in sorted(factors.get(cid, ()), key=lambda rf: (rf[0].id, rf[1])):
            if raw == 0.0:
                continue  # a need the team will not have stays at zero; no rule revives it
            raw *= factor
            reasons.append(f"{rule.reason.strip().rstrip('.')} (x{number(factor)}, rule {rule.id})")
        if cid in profile.priorities:
            p = profile.priorities[cid]
            raw = priority_raw(p, kb)
            reasons.append(f"priorities.{cid} = {number(p)} of 10 sets it to {number(raw)} (10 weighs as much as a must need)")
        rows.append((cid, max(0.0, raw), reasons))

    total = sum(raw for _, raw, _ in rows)
    if total <= 0.0:
        share = 1.0 / len(rows) if rows else 0.0
        return tuple(
            Weight(cid, share, raw, tuple(reasons) + ("every weight was 0, so all criteria count equally",))
            for cid, raw, reasons in rows
        )
    return tuple(Weight(cid, raw / total, raw, tuple(reasons)) for cid, raw, reasons in rows)
