"""Knock-outs: what rules a shortlisted framework out, each with its own reason (step 3 of the
method in generator/scoring/assess.py), and which frameworks meet a must only with a companion."""

from __future__ import annotations

from typing import Mapping, Sequence

from generator.knowledge.model import Framework, KnowledgeBase
from generator.scoring.assessment import Cell, Knockout
from generator.scoring.fit import CRITERION as TOOL_FIT, ToolFit
from generator.scoring.rules import RuleOutcome, combine, joined_reasons
from generator.scoring.stacks import FIT_CRITERION, MUST_LEVEL, must_gaps
from generator.wording import after_colon, join_and, level, mid, sentence_of, unique


def _fact_effects(cell: Cell, outcome: RuleOutcome) -> list:
    """The score effects on a cell from rules that rest on facts or hard constraints, not on preferences."""
    return [(r, e) for r, e in outcome.score_effects.get((cell.framework, cell.criterion), ()) if not r.preference]


def fact_level(cell: Cell, outcome: RuleOutcome) -> float:
    """A cell's level moved by the fact rules alone: a wish lowers the scored level but rules nothing out."""
    effects = outcome.score_effects.get((cell.framework, cell.criterion), ())
    if not any(r.preference for r, _ in effects):
        return cell.score
    return combine(cell.base, _fact_effects(cell, outcome)).score


def _unfit(cell: Cell, outcome: RuleOutcome, fw: Framework) -> Knockout:
    """The fit-veto knock-out, argued by the fact rules that pulled the fit down to the veto, without those that
    raised it (a home-cloud bonus is no reason for a knock-out) or any preference; by the knowledge base's
    rationale when no rule did."""
    effects = _fact_effects(cell, outcome)
    adj = combine(cell.base, effects)
    kept = {r.id for r in adj.rules}
    lowering = list({
        rule.id: rule
        for rule, eff in effects
        if rule.id in kept
        and (
            eff.cap is not None
            or eff.limit is not None
            or (eff.delta is not None and eff.delta < 0)
            or (eff.set is not None and eff.set < cell.base)
        )
    }.values())
    score = fw.scores.get(cell.criterion)
    kb_sources = tuple(score.sources) if score is not None else ()
    if lowering:
        why = joined_reasons(lowering, fw.name)
    else:
        why = (score.rationale if score is not None else "No evidence in the knowledge base").rstrip(".")
    return Knockout(
        fw.id,
        f"{fw.name} does not fit this team's infrastructure: {after_colon(why)}.",
        None,
        cell.criterion,
        unique(kb_sources + tuple(s for r in adj.rules for s in r.sources if s in cell.sources)),
        unique(tuple(c.field for r in adj.rules for c in r.when)),
    )


def _knockout_sources(rule, fw: Framework, kb: KnowledgeBase) -> tuple[str, ...]:
    """What supports ruling ``fw`` out by ``rule``: the rule's sources about ``fw`` (or about no one framework),
    else ``fw``'s own evidence for the attribute the rule selects on (Azure ML's pricing page for "not open
    source"), never another framework's page."""
    own = kb.sources_about(tuple(rule.sources), fw.id)
    if own:
        return own
    attributes = [a for e in rule.effects if e.kind == "knockout" and isinstance(e.select, Mapping) for a in e.select]
    return unique(tuple(sid for a in attributes if a in fw.attribute_facts for sid in fw.attribute_facts[a].sources))


def collect_knockouts(
    shortlist: Sequence[str],
    pool: Mapping[str, Framework],
    cells: Mapping[tuple[str, str], Cell],
    outcome: RuleOutcome,
    unfit: set[str],
    misfits: Mapping[str, ToolFit],
    musts: Sequence[str],
    crit_names: Mapping[str, str],
    extra: Mapping[str, Sequence] = {},
    kb: KnowledgeBase | None = None,
    stated: Sequence[str] = (),
) -> tuple[list[Knockout], dict[str, tuple[str, ...]]]:
    """Every knock-out of a shortlisted framework, each with its own reason; and the companions some need for a must.

    ``stated`` are the team's must and should needs: a framework that does none of them (below MUST_LEVEL on
    every one) would be adopted for nothing the team asked for, however easy or cheap, and is ruled out.
    """
    ruled_out = set(outcome.knockouts) | unfit | set(misfits)
    knockouts: list[Knockout] = []
    needs_companion: dict[str, tuple[str, ...]] = {}
    for fid in sorted(shortlist):
        name = pool[fid].name
        for rule in outcome.knockouts.get(fid, ()):
            factors = unique(tuple(c.field for c in rule.when))
            sources = _knockout_sources(rule, pool[fid], kb) if kb is not None else tuple(rule.sources)
            knockouts.append(Knockout(fid, sentence_of(rule.reason), rule.id, None, sources, factors))
        if fid in misfits:
            fit = misfits[fid]
            knockouts.append(Knockout(fid, fit.knockout, None, TOOL_FIT, fit.sources, (fit.knockout_factor,)))
        if fid in unfit:
            knockouts.append(_unfit(cells[(fid, FIT_CRITERION)], outcome, pool[fid]))
        unmet, helped = must_gaps(pool[fid], musts, cells, pool, ruled_out, extra.get(fid, ()))
        for cid in unmet:
            cell = cells[(fid, cid)]
            knockouts.append(
                Knockout(
                    fid,
                    f"{crit_names[cid]} is a must-have, but {name} scores {level(cell.score)} of 5 on it "
                    f"(a must-have needs at least {level(MUST_LEVEL)}) and no usable companion covers it.",
                    None,
                    cid,
                    cell.sources,
                    (f"needs.{cid}",),
                )
            )
        if helped and not unmet:
            needs_companion[fid] = tuple(sorted({h for hs in helped.values() for h in hs}))
        if stated and not any(k.framework == fid for k in knockouts):
            idle = _does_no_stated_need(pool[fid], stated, cells, crit_names, musts)
            if idle is not None:
                knockouts.append(idle)
    return knockouts, needs_companion


def _does_no_stated_need(
    fw, stated: Sequence[str], cells: Mapping[tuple[str, str], Cell], crit_names: Mapping[str, str], musts: Sequence[str]
) -> Knockout | None:
    """The knock-out of a framework that does none of the team's must or should needs, or None if it does one."""
    if any(cells[(fw.id, c)].score >= MUST_LEVEL for c in stated):
        return None
    levels = [f"{level(cells[(fw.id, c)].score)}{' of 5' if i == 0 else ''} on {mid(crit_names[c])}" for i, c in enumerate(stated)]
    if len(stated) == 1:  # "does not do the team's one must- or should-have needs" was not English
        does = f"does not do the team's only {'must-have' if musts else 'should-have'} need"
    else:
        does = f"does none of the team's {'must- or should-have' if musts else 'should-have'} needs"
    return Knockout(
        fw.id,
        f"{fw.name} {does}: it scores {join_and(levels)}, below the {level(MUST_LEVEL)} of 5 that counts as doing "
        "the job, so it would be adopted for none of the needs the team rates a must or a should.",
        None,
        None,
        unique(s for c in stated for s in cells[(fw.id, c)].sources),
        tuple(f"needs.{c}" for c in stated),
    )
