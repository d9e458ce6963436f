"""Scoring: profile + knowledge base -> Assessment. Pure, deterministic, no I/O.

The model, step by step (the constants named here live in generator.scoring.stacks and are part of the
documented method):

1. Weights (generator.scoring.weights): MoSCoW needs, quality defaults, weight rules, priorities; normalised.
2. Cells: each framework's knowledge-base level per criterion, moved by the fired context rules
   (generator.scoring.rules: lowest set, then lowest cap, then deltas, clamp 0..5), with a rationale that
   names the profile facts the rules depend on, and the source ids behind it.
3. Knock-outs: a hard-constraint rule excludes a framework outright. So does an infrastructure
   fit of FIT_VETO (1) or less after the context rules: on the knowledge base's own scale the
   bottom of infrastructure fit means "needs infrastructure the team does not have", and the
   fit rules cap a framework there exactly when that is so (no cluster and no Kubernetes skill,
   a cloud-only service on premises). A weighted sum would let surplus features buy back
   something the team cannot run; this veto keeps that non-compensatory. A ``must`` need on which
   a framework scores below MUST_LEVEL excludes it unless one of its named companions (not itself
   excluded by a rule or the fit veto) scores at least MUST_LEVEL there. Excluded frameworks stay
   in the ranking, after all others, with their reasons.
4. Stacks: a framework plus up to MAX_COMPANIONS of its companions. A companion joins only if it
   fills a gap the profile cares about: a must need the primary does not cover well (below
   GOOD_LEVEL), or a should need the primary does not cover at all (below MUST_LEVEL, i.e. no
   built-in support) — and the companion scores at least MUST_LEVEL there and more than the
   primary. A second tool for a could need, or for a should the primary already handles, is
   not worth running. On the companion's ``covers`` criteria the stack takes the best part's
   score; elsewhere the primary's. Running several tools costs something: on WEAKEST_LINK
   criteria the stack is as weak as its weakest part, and ease of use and operational overhead
   lose INTEGRATION_COST per extra tool — charged in full even below the scale's floor of 0,
   so the cost never vanishes because the weakest part already scores 0.
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
from typing import Mapping, Sequence

from generator.knowledge.model import Framework, KnowledgeBase
from generator.profile.model import Profile
from generator.scoring.assessment import Assessment, Cell, Knockout, Ranked, Sensitivity, Stack, Verdict
from generator.scoring.explain import Context, recommend
from generator.scoring.rules import RuleOutcome, combine, describe_facts, evaluate_rules
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
    must_gaps,
    stack_vector,
    weighted_total,
)
from generator.scoring.weights import criterion_ids, criterion_name, derive_weights
from generator.wording import after_colon, level, sentence_of, unique

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


def build_cell(profile: Profile, fw: Framework, cid: str, outcome: RuleOutcome, keep: Sequence[str] = ()) -> Cell:
    score = fw.scores.get(cid)
    base = float(score.level) if score is not None else 0.0
    effects = outcome.score_effects.get((fw.id, cid), ())
    kb_sources = tuple(score.sources) if score is not None else ()
    if not effects and score is not None:  # the common case: the knowledge base's level as it is
        clamped = min(5.0, max(0.0, base))
        return Cell(fw.id, cid, clamped, base, score.rationale, kb_sources, ())
    adj = combine(base, effects)
    if adj.rules:
        parts = []
        for rule in adj.rules:
            facts = describe_facts(profile, rule)
            reason = rule.reason.strip().rstrip(".")
            parts.append(f"{facts}: {after_colon(reason, keep)}" if facts else reason)
        moved = f"{level(base)} to {level(adj.score)} of 5" if adj.score != base else f"stays {level(base)} of 5"
        rationale = "; ".join(parts) + f" ({moved})"
    elif score is not None:
        rationale = score.rationale
    else:
        rationale = "No evidence in the knowledge base; scored 0."
    sources = unique(kb_sources + tuple(s for r in adj.rules for s in r.sources))
    return Cell(fw.id, cid, adj.score, base, rationale, sources, tuple(r.id for r in adj.rules))


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


def collect_knockouts(
    profile: Profile,
    shortlist: Sequence[str],
    pool: Mapping[str, Framework],
    cells: Mapping[tuple[str, str], Cell],
    outcome: RuleOutcome,
    unfit: set[str],
    musts: Sequence[str],
    crit_names: Mapping[str, str],
    keep: Sequence[str],
) -> tuple[list[Knockout], dict[str, tuple[str, ...]]]:
    """Every knock-out of a shortlisted framework, with its reason; and the companions some need for a must."""
    ruled_out = set(outcome.knockouts) | unfit
    knockouts: list[Knockout] = []
    needs_companion: dict[str, tuple[str, ...]] = {}
    for fid in sorted(shortlist):
        for rule in outcome.knockouts.get(fid, ()):
            facts = describe_facts(profile, rule)
            reason = sentence_of(f"{facts}: {after_colon(rule.reason, keep)}" if facts else rule.reason)
            knockouts.append(Knockout(fid, reason, rule.id, None, tuple(rule.sources)))
        if fid in unfit:
            cell = cells[(fid, FIT_CRITERION)]
            knockouts.append(
                Knockout(
                    fid,
                    f"{crit_names[FIT_CRITERION]} is {level(cell.score)} of 5 here, so it needs infrastructure the "
                    f"team does not have ({cell.rationale.rstrip('.')}).",
                    None,
                    FIT_CRITERION,
                    cell.sources,
                )
            )
        unmet, helped = must_gaps(pool[fid], musts, cells, pool, ruled_out)
        for cid in unmet:
            cell = cells[(fid, cid)]
            knockouts.append(
                Knockout(
                    fid,
                    f"{crit_names[cid]} is a must, but {pool[fid].name} scores {level(cell.score)} of 5 on it "
                    f"(a must needs {level(MUST_LEVEL)}) and no usable companion covers it.",
                    None,
                    cid,
                    cell.sources,
                )
            )
        if helped and not unmet:
            needs_companion[fid] = tuple(sorted({h for hs in helped.values() for h in hs}))
    return knockouts, needs_companion


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
    weights = derive_weights(profile, kb, outcome.weight_factors)
    wvec = [w.value for w in weights]
    keep = tuple(f.name for f in kb.frameworks.values())
    cells = {(f, c): build_cell(profile, pool[f], c, outcome, keep) for f in pool_ids for c in criteria}

    unfit = {f for f in pool_ids if FIT_CRITERION in criteria and cells[(f, FIT_CRITERION)].score <= FIT_VETO}
    ruled_out = set(outcome.knockouts) | unfit
    musts = [c for c in criteria if profile.needs.get(c) == "must"]
    knockouts, needs_companion = collect_knockouts(
        profile, shortlist, pool, cells, outcome, unfit, musts, crit_names, keep
    )
    out_reasons: dict[str, list[str]] = {}
    for k in knockouts:
        out_reasons.setdefault(k.framework, []).append(k.reason)

    vectors = {f: tuple(cells[(f, c)].score for c in criteria) for f in shortlist}
    singles = {f: Candidate(Option(f, f, v), (f,), weighted_total(v, wvec), None) for f, v in vectors.items()}
    eligible = [s for f, s in sorted(singles.items()) if f not in out_reasons and f not in needs_companion]
    primaries = sorted(f for f in shortlist if f not in out_reasons)
    stacks = build_stacks(primaries, pool, ruled_out, profile, criteria, wvec, cells, names, crit_names, set(shortlist))

    alternatives = eligible + stacks
    others = [singles[f] for f in sorted(shortlist) if singles[f] not in eligible]
    alt_close, other_close = topsis([a.option.vector for a in alternatives], [o.option.vector for o in others], wvec)
    closeness = {a.option.key: t for a, t in zip(alternatives, alt_close)}
    closeness.update({o.option.key: t for o, t in zip(others, other_close)})
    stacks = [
        Candidate(s.option, s.frameworks, s.score, _with_topsis(s.stack, closeness[s.option.key]), s.coverage)
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
        )
        for i, f in enumerate(ranked_ids)
    )

    alternatives.sort(key=order)
    leader = alternatives[0] if alternatives else None
    rivals = [a for a in alternatives if leader is not None and leader.option.primary not in a.frameworks]
    runner = rivals[0] if rivals else None
    topsis_best = min(alternatives, key=lambda a: (-round(closeness[a.option.key], 9),) + order(a), default=None)
    methods_agree = leader is not None and topsis_best is not None and topsis_best.option.primary == leader.option.primary

    if leader is None:
        sensitivity = Sensitivity("", None, (), 0.0, SAMPLES, SEED, DISTRIBUTION, Verdict.NONE_VIABLE)
        margin, verdict = 0.0, Verdict.NONE_VIABLE
    elif runner is None:
        sensitivity = Sensitivity(leader.option.key, None, (), 1.0, SAMPLES, SEED, DISTRIBUTION, Verdict.ONLY_VIABLE)
        margin, verdict = 0.0, Verdict.ONLY_VIABLE
    else:
        margin = leader.score - runner.score
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

    ctx = Context(profile, criteria, crit_names, names, weights, cells, closeness)
    recommendation = recommend(ctx, leader, runner, margin, verdict, sensitivity, knockouts, methods_agree, topsis_best)
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
    )


def _with_topsis(stack: Stack, value: float) -> Stack:
    return replace(stack, topsis=value)
