"""Scoring: profile + knowledge base -> Assessment. Pure, deterministic, no I/O.

The model, step by step (the constants named here live in generator.scoring.stacks and are part of the
documented method):

1. Weights (generator.scoring.weights): MoSCoW needs, quality defaults, weight rules, priorities; normalised.
2. Cells: each framework's knowledge-base level per criterion, moved by the fired context rules
   (generator.scoring.rules: lowest set, then lowest cap, then deltas, clamp 0..5), with a rationale that
   names the profile facts the rules depend on, and the source ids behind it.
3. Knock-outs: a hard-constraint rule excludes a framework outright. So does an infrastructure
   fit of FIT_VETO (1) or less after the context rules that rest on facts (a rule marked as a
   preference, such as avoiding lock-in, still lowers the scored fit but rules nothing out: a wish
   is not a reason a framework cannot be used): on the knowledge base's own scale the
   bottom of infrastructure fit means "does not fit this team's infrastructure", and the
   fit rules cap a framework there exactly when that is so (no cluster and no Kubernetes skill,
   a cloud-only service on premises). A weighted sum would let surplus features buy back
   something the team cannot run; this veto keeps that non-compensatory. A ``must`` need on which
   a framework scores below MUST_LEVEL excludes it unless one of its named companions (not itself
   excluded by a rule or the fit veto) scores at least MUST_LEVEL there. Excluded frameworks stay
   in the ranking, after all others, with their reasons. Partial support (at least MUST_LEVEL,
   below GOOD_LEVEL) meets a must alone only when no such companion does the job fully (at least
   GOOD_LEVEL): a framework whose documented companion finishes a must-have job for it meets that
   must only together with the companion, whose running cost then counts. A framework that does
   none of the team's must or should needs (below MUST_LEVEL on every one) is excluded too: however
   easy or cheap, it would be adopted for nothing the team asked for.
4. Stacks: a framework plus up to MAX_COMPANIONS of its companions. A companion joins only if it
   fills a gap the profile cares about: a must need the primary does not cover well (below
   GOOD_LEVEL), or a should need the primary does not cover at all (below MUST_LEVEL, i.e. no
   built-in support) — and the companion scores at least MUST_LEVEL there and more than the
   primary. A second tool for a could need, or for a should the primary already handles, is
   not worth running. The framework the companions join must itself do one of the must or should
   needs (at least MUST_LEVEL, where no companion does better): a base that only adds general
   qualities (code structure, community) while its companions do all the stated work is one
   more tool to adopt and run for nothing the team asked for. A combination meets a must by the rule
   of step 3: at MUST_LEVEL only where no companion of its main framework left out of it does the
   job fully (then the option is the combination with that companion); the main framework is the one the option is
   named after, so a combination built on a kept tool and named after the part the team adopts is checked against
   that part's companions. On the companion's ``covers``
   criteria, and on any other capability a part does the job on (MUST_LEVEL or more), the stack takes
   the best part's score, except governance and security, which every user passes through the primary
   for (a companion, kept or adopted, never lends its access control); elsewhere the primary's. Running several tools costs something: on WEAKEST_LINK
   criteria the stack is as weak as its weakest part (a part the team keeps counts as paid for on ease of
   use, running cost and licence cost: it already runs it and knows it), and ease of use and operational overhead
   lose INTEGRATION_COST per extra tool, down to the scale's floor of 0: a level of "-0.5 of 5" reads as a
   misprint, and the weighted sum's scale is 0 to 5 on every criterion.
5. Alternatives for the recommendation: frameworks that meet every must need alone, and stacks
   that meet every must need. A framework that meets a must only with a companion is recommended
   only as that stack.
6. Aggregation: weighted sum 20 * sum(w * s) on 0..100 (primary); TOPSIS (vector normalisation,
   ideal and anti-ideal among the alternatives) as the cross-check. The leader is the best weighted
   sum; ties go to fewer tools, then higher TOPSIS, then id. The methods agree when TOPSIS's leader
   has the same primary framework.
7. The rivals are the alternatives that do not use the leader's primary framework at all (a
   variant of the leader's own stack, with or without a companion, is not a rival platform);
   the runner-up is the best rival. Sensitivity: generator.scoring.sensitivity.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Collection, Mapping, Sequence

from generator.knowledge.model import Framework, KnowledgeBase
from generator.profile.model import Profile
from generator.scoring.assessment import (
    STAKEHOLDERS_COMBINED,
    Assessment,
    Cell,
    Ranked,
    Sensitivity,
    Stack,
    StakeholderView,
    Verdict,
    Weight,
)
from generator.scoring.fit import (
    CRITERION as TOOL_FIT, HeldNeed, ToolFit, kept_companions, held_needs, met_in_every_option, pairing_fact, tool_fits,
    weighs_less,
)
from generator.scoring.knockouts import collect_knockouts, fact_level
from generator.scoring.explain import Context, recommend
from generator.scoring.rules import RuleOutcome, combine, evaluate_rules, joined_reasons
from generator.scoring.sensitivity import (
    DISTRIBUTION,
    SAMPLES,
    SEED,
    Option,
    flips as flip_points,
    robustness as robustness_share,
    verdict as classify,
)
from generator.scoring.stacks import (
    FIT_CRITERION,
    FIT_VETO,
    GOOD_LEVEL,
    INTEGRATION_COST,
    MUST_LEVEL,
    Candidate,
    build_stacks,
    rebased,
    renamed_leaves_a_must_half_done,
    stack_vector,
    weighted_total,
)
from generator.scoring.weights import aggregate, criterion_ids, criterion_name, derive_weights, priority_raw, start_raw
from generator.wording import gap, unique

__all__ = [
    "FIT_VETO",
    "GOOD_LEVEL",
    "INTEGRATION_COST",
    "MUST_LEVEL",
    "assess",
    "build_cell",
    "collect_knockouts",
    "stack_vector",
    "topsis",
]


# --- cells -----------------------------------------------------------------------------------


def build_cell(profile: Profile, fw: Framework, cid: str, outcome: RuleOutcome, kb: KnowledgeBase | None = None) -> Cell:
    score = fw.scores.get(cid)
    base = float(score.level) if score is not None else 0.0
    effects = outcome.score_effects.get((fw.id, cid), ())
    kb_sources = tuple(score.sources) if score is not None else ()
    if not effects and score is not None:  # the common case: the knowledge base's level as it is
        clamped = min(5.0, max(0.0, base))
        return Cell(fw.id, cid, clamped, base, score.rationale, kb_sources, ())
    adj = combine(base, effects)
    if adj.rules:
        # The rules' reasons say what in this profile moved the level; the level itself is printed beside the
        # rationale. The knowledge base's level before the rules ("raised from 1 to 5") is left to the JSON's
        # ``base``: in a brief it read as a trace of the scoring, not as a reason.
        rationale = joined_reasons(adj.rules, fw.name) + "."
    elif score is not None:
        rationale = score.rationale
    else:
        rationale = "No evidence in the knowledge base; scored 0."
    rule_sources = tuple(s for r in adj.rules for s in r.sources)
    if kb is not None:
        # A rule cites evidence for every framework it moves; this cell cites only what is about this one.
        rule_sources = kb.sources_about(rule_sources, fw.id)
    # A statement's first sources are its primary ones (a brief cites only the first few): the rules' when their
    # reasons are the rationale, the knowledge base's otherwise.
    sources = unique(rule_sources + kb_sources) if adj.rules else unique(kb_sources + rule_sources)
    factors = unique(tuple(c.field for r in adj.rules for c in r.when))
    raising = [r for r in adj.rules if any(e.delta is not None and e.delta > 0 or e.set is not None and e.set > base
                                           for rule, e in effects if rule.id == r.id)]
    raised = joined_reasons(raising, fw.name) + "." if raising else ""
    return Cell(fw.id, cid, adj.score, base, rationale, sources, tuple(r.id for r in adj.rules), factors, raised)


def fit_cell(fw: Framework, fit: ToolFit) -> Cell:
    """The computed ``tool_fit`` cell (see generator.scoring.fit)."""
    return Cell(fw.id, TOOL_FIT, fit.level, fit.level, fit.rationale, fit.sources, (), fit.factors)


# --- TOPSIS ----------------------------------------------------------------------------------


def topsis(
    alternatives: Sequence[Sequence[float]], others: Sequence[Sequence[float]], weights: Sequence[float]
) -> tuple[list[float], list[float]]:
    """Closeness 0..1 for the alternatives and, judged against the same ideal, for the others.

    Vector normalisation and the ideal / anti-ideal come from the alternatives only, so an
    excluded framework cannot move the cross-check of the viable ones. Every criterion is a
    benefit (5 is best on each scale, including cost and operational overhead).
    """
    basis = alternatives if alternatives else others
    if not basis:
        return [], []
    k = len(weights)
    norms = [math.sqrt(sum(row[j] ** 2 for row in basis)) for j in range(k)]

    def weighted(row: Sequence[float]) -> list[float]:
        return [weights[j] * row[j] / norms[j] if norms[j] > 0 else 0.0 for j in range(k)]

    vb = [weighted(r) for r in basis]
    ideal = [max(col) for col in zip(*vb)]
    anti = [min(col) for col in zip(*vb)]

    def closeness(v: Sequence[float]) -> float:
        dp = math.sqrt(sum((a - b) ** 2 for a, b in zip(v, ideal)))
        dn = math.sqrt(sum((a - b) ** 2 for a, b in zip(v, anti)))
        if dp <= 1e-15:
            return 1.0
        return dn / (dp + dn)

    return [closeness(weighted(r)) for r in alternatives], [closeness(weighted(r)) for r in others]


# --- the assessment --------------------------------------------------------------------------


def assess(profile: Profile, kb: KnowledgeBase) -> Assessment:
    """Score the profile's shortlist against the knowledge base. Pure and deterministic."""
    criteria = criterion_ids(kb)
    crit_names = {c: criterion_name(kb, c) for c in criteria}
    shortlist = [f for f in unique(profile.frameworks) if f in kb.frameworks]
    # Companions of shortlisted frameworks are scored too: a stack may use one not on the shortlist.
    companions = {c.framework for f in shortlist for c in kb.frameworks[f].companions if c.framework in kb.frameworks}
    pool_ids = sorted(set(shortlist) | companions)
    pool = {f: kb.frameworks[f] for f in pool_ids}
    names = {f: pool[f].name for f in pool_ids}

    outcome = evaluate_rules(profile, kb, pool_ids)
    held_by_tools = held_needs(profile, kb)
    weights, views = _weights(profile, kb, outcome, {c: h for c, h in held_by_tools.items() if weighs_less(h)})
    wvec = [w.value for w in weights]
    fits = tool_fits(profile, kb, pool_ids) if TOOL_FIT in criteria else {}
    cells = {
        (f, c): fit_cell(pool[f], fits[f]) if c == TOOL_FIT else build_cell(profile, pool[f], c, outcome, kb)
        for f in pool_ids
        for c in criteria
    }

    # The fit veto is judged on facts and hard constraints: a preference (avoiding lock-in) lowers the scored fit
    # but never rules a framework out.
    unfit = {f for f in pool_ids if FIT_CRITERION in criteria and fact_level(cells[(f, FIT_CRITERION)], outcome) <= FIT_VETO}
    misfits = {f: fit for f, fit in fits.items() if fit.knockout}
    ruled_out = set(outcome.knockouts) | unfit | set(misfits)
    held = {c for c, h in held_by_tools.items() if met_in_every_option(h)}
    musts = [c for c in criteria if profile.needs.get(c) == "must" and c not in held]
    extra = kept_companions(profile, kb, pool_ids, GOOD_LEVEL)
    stated = [c for c in criteria if profile.needs.get(c) in ("must", "should")]
    knockouts, needs_companion = collect_knockouts(
        shortlist, pool, cells, outcome, unfit, misfits, musts, crit_names, extra, kb, stated
    )
    out_reasons: dict[str, list[str]] = {}
    for k in knockouts:
        out_reasons.setdefault(k.framework, []).append(k.reason)

    vectors = {f: tuple(cells[(f, c)].score for c in criteria) for f in shortlist}
    singles = {f: Candidate(Option(f, f, v), (f,), weighted_total(v, wvec), None) for f, v in vectors.items()}
    eligible = [s for f, s in sorted(singles.items()) if f not in out_reasons and f not in needs_companion]
    primaries = sorted(f for f in shortlist if f not in out_reasons)
    stacks, idle_bases = build_stacks(
        primaries, pool, ruled_out, profile, criteria, wvec, cells, names, crit_names, set(shortlist), extra, held
    )
    stacks = [_adopted_first(c, profile.current.keep, weights, profile.needs, criteria, cells, shortlist, musts)
              for c in stacks]
    stacks = [c for c in stacks if not renamed_leaves_a_must_half_done(c, pool, ruled_out, musts, criteria, cells)]

    alternatives = eligible + stacks
    others = [singles[f] for f in sorted(shortlist) if singles[f] not in eligible]
    alt_close, other_close = topsis([a.option.vector for a in alternatives], [o.option.vector for o in others], wvec)
    closeness = {a.option.key: t for a, t in zip(alternatives, alt_close)}
    closeness.update({o.option.key: t for o, t in zip(others, other_close)})
    stacks = [
        replace(s, stack=_with_topsis(s.stack, closeness[s.option.key]))
        for s in stacks
    ]
    alternatives = eligible + stacks

    def order(c: Candidate) -> tuple:
        return (-round(c.score, 9), len(c.frameworks), -round(closeness[c.option.key], 9), c.option.key)

    ranked_ids = sorted(shortlist, key=lambda f: (f in out_reasons,) + order(singles[f]))
    ranking = tuple(
        Ranked(
            f,
            i + 1,
            singles[f].score,
            f in out_reasons,
            tuple(out_reasons.get(f, ())),
            closeness[f],
            needs_companion.get(f, ()),
            f in idle_bases and f in needs_companion,
        )
        for i, f in enumerate(ranked_ids)
    )

    alternatives.sort(key=order)
    leader = alternatives[0] if alternatives else None
    rivals = [a for a in alternatives if leader is not None and leader.option.primary not in a.frameworks]
    if not rivals and leader is not None:
        # Every viable option builds on the leader's main framework (it alone does a must-have job): the
        # decision is then between its combinations, and the best other one is the rival.
        rivals = [a for a in alternatives if set(a.frameworks) != set(leader.frameworks)]
    runner = rivals[0] if rivals else None
    topsis_best = min(alternatives, key=lambda a: (-round(closeness[a.option.key], 9),) + order(a), default=None)
    methods_agree = leader is not None and topsis_best is not None and topsis_best.option.key == leader.option.key

    if leader is None:
        sensitivity = Sensitivity("", None, (), 0.0, SAMPLES, SEED, DISTRIBUTION, Verdict.NONE_VIABLE)
        margin, verdict = 0.0, Verdict.NONE_VIABLE
    elif runner is None:
        sensitivity = Sensitivity(leader.option.key, None, (), 1.0, SAMPLES, SEED, DISTRIBUTION, Verdict.ONLY_VIABLE)
        margin, verdict = 0.0, Verdict.ONLY_VIABLE
    else:
        margin = gap(leader.score, runner.score)
        share = robustness_share(wvec, leader.option, [r.option for r in rivals])
        verdict = classify(margin, share)
        sensitivity = Sensitivity(
            leader.option.key,
            runner.option.key,
            flip_points(criteria, wvec, leader.option, runner.option),
            share,
            SAMPLES,
            SEED,
            DISTRIBUTION,
            verdict,
        )

    ctx = Context(
        profile, criteria, crit_names, names, weights, cells, closeness, {c: start_raw(profile, kb, c) for c in criteria},
        {(f, c): s for f in pool_ids for c, s in pool[f].scores.items()},
        {
            (f, t): pair
            for t in {*profile.current.keep, *profile.current.tools} & set(pool_ids)
            for f in pool_ids
            if f != t and (pair := pairing_fact(kb, f, t)) is not None
        },
        held_by_tools,
    )
    recommendation = recommend(
        ctx, leader, runner, margin, verdict, sensitivity, knockouts, methods_agree, topsis_best,
        {f: singles[f].score for f in shortlist}, alternatives.index(runner) + 1 if runner is not None else 0,
        {f: tuple(needs_companion[f]) for f in idle_bases if f in needs_companion and f not in out_reasons},
    )
    return Assessment(
        profile=profile,
        weights=weights,
        cells=cells,
        ranking=ranking,
        knockouts=tuple(knockouts),
        stacks=tuple(s.stack for s in stacks),
        recommendation=recommendation,
        sensitivity=sensitivity,
        methods_agree=methods_agree,
        topsis_leader=topsis_best.option.key if topsis_best else "",
        kb_version=kb.version,
        kb_as_of=kb.as_of,
        names=names,
        criterion_names=crit_names,
        stakeholders=_stakeholder_views(views, alternatives, leader, order),
    )


def _with_topsis(stack: Stack, value: float) -> Stack:
    return replace(stack, topsis=value)


def _weights(
    profile: Profile, kb: KnowledgeBase, outcome: RuleOutcome, held: Mapping[str, HeldNeed]
) -> tuple[tuple[Weight, ...], list]:
    """The group's weights, and each stakeholder's own (name, voice, weights) when the profile has stakeholders.

    With stakeholders, each one's weights are derived like the profile's with their priorities
    on top of the profile's, and the group weight of a criterion is their weighted geometric
    mean (generator.scoring.weights.aggregate); the reasons say so. ``held``: the needs a tool the team runs
    already does, whose weight is lowered (generator.scoring.fit.weighs_less).
    """
    base = derive_weights(profile, kb, outcome.weight_factors, held=held)
    if not profile.stakeholders:
        return base, []
    views = []
    for sh in profile.stakeholders:
        merged = {**profile.priorities, **sh.priorities}
        views.append((sh.name, float(sh.weight), derive_weights(profile, kb, outcome.weight_factors, merged, held=held)))
    group = aggregate([(w, [x.value for x in ws]) for _, w, ws in views])
    names = ", ".join(n for n, _, _ in views)
    # "of 1 stakeholders ... by their weighted geometric mean" read wrong for the one stakeholder a profile may name.
    note = (f"{STAKEHOLDERS_COMBINED} {len(views)} stakeholders ({names}) by their weighted geometric mean"
            if len(views) > 1 else f"{STAKEHOLDERS_COMBINED} 1 stakeholder ({names})")
    out = tuple(
        Weight(
            b.criterion, g, b.raw, b.reasons + (note,), b.rules, unique(b.factors + ("stakeholders",)),
            tuple((sh.name, v, priority_raw(v, kb) > b.raw) for sh in profile.stakeholders
                  for c, v in sh.priorities.items() if c == b.criterion),
            b.lowered_by,
        )
        for b, g in zip(base, group)
    )
    return out, views


def _stakeholder_views(views, alternatives, leader, order) -> tuple[StakeholderView, ...]:
    """Each stakeholder's own pick among the same viable options, judged with their own weights."""
    out = []
    for name, voice, ws in views:
        wv = [w.value for w in ws]
        best = min(
            alternatives,
            key=lambda c: (-round(weighted_total(c.option.vector, wv), 9),) + order(c)[1:],
            default=None,
        )
        pick = best.option.key if best is not None else ""
        agrees = leader is not None and best is not None and best.option.primary == leader.option.primary
        top = tuple(w.criterion for w in sorted(ws, key=lambda w: -w.value)[:3])
        out.append(StakeholderView(name, voice, pick, agrees, top))
    return tuple(out)


def _adopted_first(
    c: Candidate, kept: Sequence[str], weights: Sequence[Weight], needs: Mapping[str, str],
    criteria: Sequence[str], cells: Mapping[tuple[str, str], Cell], shortlist: Collection[str],
    musts: Collection[str] = (),
) -> Candidate:
    """Name a stack after the tool to adopt that does most of what the team asked for.

    Only a framework on the team's shortlist can lead: a companion from outside it joins a shortlisted framework,
    and "recommend MLflow with DVC" to a team that shortlisted Kubeflow and DVC answered another question. Nor is a
    stack renamed when that takes one of ``musts`` (the must-have needs no kept tool does) below a must's level.

    A stack led by a tool the team keeps is named after the new part that carries the most weight ("adopt
    MLflow, beside the Airflow you keep"); the kept tool stays the platform the work runs on, so the stack
    keeps its shared qualities and gains only the named part's own capabilities. Otherwise the part that
    covers the most weight of the team's must and should needs leads ("MLflow with Kedro" when MLflow does
    the must-have tracking and serving and Kedro only structures the code); the qualities every part shares
    do not count, or the base would always win. A stack so renamed is judged on the shared qualities of the
    part it is now named after (stacks.rebased): a brief that calls it a Kubeflow platform must not score it
    on Kedro's governance.
    """
    if c.stack is None:
        return c
    wmap = {w.criterion: w.value for w in weights}
    new = [p for p in c.stack.parts if p.framework not in kept and p.framework in shortlist]
    if not new:
        return c
    kept_base = c.option.primary in kept
    if kept_base:
        lead = max(new, key=lambda p: (sum(wmap.get(x, 0.0) for x in p.covers), -c.frameworks.index(p.framework)))
    else:
        stated = {
            p.framework: sum(wmap.get(x, 0.0) for x in p.covers if needs.get(x) in ("must", "should")) for p in c.stack.parts
        }
        lead = max(new, key=lambda p: (stated[p.framework], -c.frameworks.index(p.framework)))
        if stated[lead.framework] <= stated[c.option.primary] + 1e-9:
            return c
    renamed = rebased(c, lead.framework, criteria, cells, [w.value for w in weights], shared=not kept_base)
    if any(renamed.option.vector[i] < MUST_LEVEL <= c.option.vector[i] for i, cid in enumerate(criteria) if cid in musts):
        # Named after the other part, the stack would take that part's access control (SHARED_BURDEN) and fall
        # below a must-have it meets as built: "Metaflow + MLflow" kept at governance 2 of 5 beside ZenML ruled
        # out for the same 2. It keeps the name of the part it was built on.
        return c
    c = renamed
    ids = (lead.framework,) + tuple(f for f in c.frameworks if f != lead.framework)
    parts = tuple(sorted(c.stack.parts, key=lambda p: ids.index(p.framework)))
    stack = replace(c.stack, frameworks=ids, parts=parts)
    return replace(c, option=Option("+".join(ids), lead.framework, c.option.vector), frameworks=ids, stack=stack)
