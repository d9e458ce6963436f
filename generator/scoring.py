"""Scoring: profile + knowledge base -> Assessment. Pure, deterministic, no I/O.

The model, step by step (each constant below is part of the documented method):

1. Weights (generator.weights): MoSCoW needs, quality defaults, weight rules, priorities; normalised.
2. Cells: each framework's knowledge-base level per criterion, moved by the fired context rules
   (generator.rules_engine: lowest set, plus deltas, lowest cap, clamp 0..5), with a rationale that
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
   the runner-up is the best rival. Sensitivity: generator.sensitivity.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import combinations
from operator import mul
from typing import Mapping, Sequence

from generator.assessment import (
    Assessment,
    Cell,
    Knockout,
    Ranked,
    Recommendation,
    Sensitivity,
    Stack,
    StackPart,
    Weight,
)
from generator.knowledge import Companion, Framework, KnowledgeBase
from generator.profile import CAPABILITIES, Profile
from generator.rules_engine import RuleOutcome, combine, describe_facts, evaluate_rules
from generator.sensitivity import (
    DISTRIBUTION,
    SAMPLES,
    SEED,
    Option,
    flips as flip_points,
    robustness as robustness_share,
    verdict as classify,
)
from generator.weights import criterion_ids, criterion_name, derive_weights

MUST_LEVEL = 3.0  # a must need is met at 3/5 ("does the job") or better
FIT_CRITERION = "infrastructure_fit"
FIT_VETO = 1.0  # infrastructure fit at or below this: needs infrastructure the team does not have
GOOD_LEVEL = 4.0  # below this a must/should need is a gap a companion may fill
INTEGRATION_COST = 0.5  # per extra tool, on ease_of_use and operational_overhead
INTEGRATION_CRITERIA = ("ease_of_use", "operational_overhead")
WEAKEST_LINK = ("ease_of_use", "operational_overhead", "infrastructure_fit", "cost")
MAX_COMPANIONS = 2
GAP_BELOW = {"must": GOOD_LEVEL, "should": MUST_LEVEL}  # a need is a gap when the primary scores below this
POINTS = 20.0  # 0..5 levels -> 0..100 totals

SCALE_LINE = "Totals are 20 times the weighted sum of 0-5 levels, so 100 means the top level on every criterion."
VERDICT_NONE = "none_viable"  # every framework knocked out: nothing is recommended
VERDICT_ONLY = "only_viable"  # one option left: nothing to compare it with


@dataclass(frozen=True)
class _Candidate:
    option: Option
    frameworks: tuple[str, ...]
    score: float  # 0..100
    stack: Stack | None
    coverage: tuple[str, ...] = ()  # one sentence per companion: which need it covers and why


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _join(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _mid(name: str) -> str:
    """A criterion name inside a sentence: "experiment tracking", but "LLM operations" keeps its acronym."""
    return name[:1].lower() + name[1:] if len(name) > 1 and not name[1].isupper() else name


def _join_or(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _after_colon(text: str, keep: Sequence[str] = ()) -> str:
    """Lower-case a reason's first letter after "facts:" unless its first word is a name or an acronym."""
    text = text.strip()
    first = text.split(" ", 1)[0]
    proper = {"Kubernetes", "Google", "AWS", "Azure", "Amazon", "Python", "Linux", "Databricks", *keep}
    if (first[1:].islower() or first == "A") and first.rstrip(",.:;") not in proper:
        return text[:1].lower() + text[1:]
    return text


def _total(vector: Sequence[float], weights: Sequence[float]) -> float:
    return POINTS * sum(map(mul, weights, vector))


# --- cells -----------------------------------------------------------------------------------


def build_cell(profile: Profile, fw: Framework, cid: str, outcome: RuleOutcome, keep: Sequence[str] = ()) -> Cell:
    score = fw.scores.get(cid)
    base = float(score.level) if score is not None else 0.0
    effects = outcome.score_effects.get((fw.id, cid), ())
    kb_sources = tuple(score.sources) if score is not None else ()
    if not effects and score is not None:  # the common case: the knowledge base's level as it is
        level = min(5.0, max(0.0, base))
        return Cell(fw.id, cid, level, base, score.rationale, kb_sources, ())
    adj = combine(base, effects)
    if adj.rules:
        parts = []
        for rule in adj.rules:
            facts = describe_facts(profile, rule)
            reason = rule.reason.strip().rstrip(".")
            parts.append(f"{facts}: {_after_colon(reason, keep)}" if facts else reason)
        moved = f"{_fmt(base)} -> {_fmt(adj.score)}" if adj.score != base else f"stays {_fmt(base)}"
        rationale = "; ".join(parts) + f" ({moved})"
    elif score is not None:
        rationale = score.rationale
    else:
        rationale = "No evidence in the knowledge base; scored 0."
    sources = _unique(kb_sources + tuple(s for r in adj.rules for s in r.sources))
    return Cell(fw.id, cid, adj.score, base, rationale, sources, tuple(r.id for r in adj.rules))


# --- knock-outs ------------------------------------------------------------------------------


def _usable_companions(fw: Framework, pool: Mapping[str, Framework], ruled_out: set[str]) -> list[Companion]:
    return [c for c in fw.companions if c.framework in pool and c.framework not in ruled_out and c.framework != fw.id]


def must_gaps(
    fw: Framework,
    musts: Sequence[str],
    cells: Mapping[tuple[str, str], Cell],
    pool: Mapping[str, Framework],
    ruled_out: set[str],
) -> tuple[list[str], dict[str, list[str]]]:
    """Musts the framework cannot meet even with a companion, and musts it meets only with one."""
    unmet: list[str] = []
    helped: dict[str, list[str]] = {}
    for cid in musts:
        if cells[(fw.id, cid)].score >= MUST_LEVEL:
            continue
        helpers = sorted(
            {
                c.framework
                for c in _usable_companions(fw, pool, ruled_out)
                if cid in c.covers and cells[(c.framework, cid)].score >= MUST_LEVEL
            }
        )
        if helpers:
            helped[cid] = helpers
        else:
            unmet.append(cid)
    return unmet, helped


# --- stacks ----------------------------------------------------------------------------------


def _gap_criteria(
    primary: str, comp: Companion, needs: Mapping[str, str], cells: Mapping[tuple[str, str], Cell]
) -> tuple[str, ...]:
    out = []
    for cid in comp.covers:
        gap_below = GAP_BELOW.get(needs.get(cid, ""))
        if gap_below is None:
            continue
        p, c = cells[(primary, cid)].score, cells[(comp.framework, cid)].score
        if p < gap_below and c >= MUST_LEVEL and c > p:
            out.append(cid)
    return tuple(out)


def stack_vector(
    primary: str,
    companions: Sequence[Companion],
    criteria: Sequence[str],
    cells: Mapping[tuple[str, str], Cell],
) -> tuple[tuple[float, ...], dict[str, str]]:
    """Per-criterion stack scores, and which part each covered criterion comes from."""
    parts = [primary] + [c.framework for c in companions]
    extra = len(parts) - 1
    vector = []
    owner: dict[str, str] = {}
    for cid in criteria:
        if cid in WEAKEST_LINK:
            value = min(cells[(p, cid)].score for p in parts)
            if cid in INTEGRATION_CRITERIA:
                value -= INTEGRATION_COST * extra  # not clamped at 0: see step 4 above
        else:
            value = cells[(primary, cid)].score
            for comp in companions:
                if cid in comp.covers and cells[(comp.framework, cid)].score > value:
                    value = cells[(comp.framework, cid)].score
                    owner[cid] = comp.framework
        vector.append(value)
    return tuple(vector), owner


def build_stacks(
    primaries: Sequence[str],
    pool: Mapping[str, Framework],
    ruled_out: set[str],
    profile: Profile,
    criteria: Sequence[str],
    weights: Sequence[float],
    cells: Mapping[tuple[str, str], Cell],
    names: Mapping[str, str],
    crit_names: Mapping[str, str],
    shortlist: set[str],
) -> list[_Candidate]:
    musts = [c for c in criteria if profile.needs.get(c) == "must"]
    found: dict[frozenset[str], _Candidate] = {}
    for pid in primaries:
        fw = pool[pid]
        useful = []
        for comp in _usable_companions(fw, pool, ruled_out):
            gaps = _gap_criteria(pid, comp, profile.needs, cells)
            if gaps and all(u.framework != comp.framework for u, _ in useful):
                useful.append((comp, gaps))
        for n in range(1, MAX_COMPANIONS + 1):
            for combo in combinations(useful, n):
                comps = [c for c, _ in combo]
                vector, owner = stack_vector(pid, comps, criteria, cells)
                if any(vector[criteria.index(m)] < MUST_LEVEL for m in musts):
                    continue
                ids = (pid,) + tuple(c.framework for c in comps)
                parts = [StackPart(pid, tuple(c for c in criteria if c not in owner))]
                sentences = []
                for comp, gaps in combo:
                    covers = tuple(c for c in criteria if owner.get(c) == comp.framework)
                    parts.append(StackPart(comp.framework, covers))
                    gap_names = _join([_mid(crit_names[g]) for g in gaps])
                    scores = ", ".join(
                        f"{_mid(crit_names[g])} {_fmt(cells[(pid, g)].score)} -> {_fmt(cells[(comp.framework, g)].score)}"
                        for g in gaps
                    )
                    note = "" if comp.framework in shortlist else " (not on the shortlist)"
                    sentences.append(
                        f"{names[comp.framework]}{note} covers {gap_names} for {names[pid]} ({scores} of 5): "
                        f"{_sentence(comp.text)}"
                    )
                reason = " ".join(sentences) + (
                    f" Running {len(ids)} tools costs {_fmt(INTEGRATION_COST * (len(ids) - 1))} on ease of use "
                    "and operational overhead."
                )
                sources = _unique([s for comp in comps for s in comp.sources])
                score = _total(vector, weights)
                stack = Stack(ids, tuple(parts), score, reason, sources)
                cand = _Candidate(Option("+".join(ids), pid, vector), ids, score, stack, tuple(sentences))
                key = frozenset(ids)
                old = found.get(key)
                if old is None or (-cand.score, cand.option.key) < (-old.score, old.option.key):
                    found[key] = cand
    return sorted(found.values(), key=lambda c: (-c.score, len(c.frameworks), c.option.key))


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
    shortlist = [f for f in _unique(profile.frameworks) if f in kb.frameworks]
    # Companions of shortlisted frameworks are scored too: a stack may use one not on the shortlist.
    pool_ids = sorted(set(shortlist) | {c.framework for f in shortlist for c in kb.frameworks[f].companions if c.framework in kb.frameworks})
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
    knockouts: list[Knockout] = []
    needs_companion: dict[str, tuple[str, ...]] = {}
    for fid in sorted(shortlist):
        for rule in outcome.knockouts.get(fid, ()):
            facts = describe_facts(profile, rule)
            reason = _sentence(f"{facts}: {_after_colon(rule.reason, keep)}" if facts else rule.reason)
            knockouts.append(Knockout(fid, reason, rule.id, None, tuple(rule.sources)))
        if fid in unfit:
            cell = cells[(fid, FIT_CRITERION)]
            knockouts.append(
                Knockout(
                    fid,
                    f"{crit_names[FIT_CRITERION]} is {_fmt(cell.score)} of 5 here, so it needs infrastructure the "
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
                    f"{crit_names[cid]} is a must, but {names[fid]} scores {_fmt(cell.score)} of 5 on it "
                    f"(a must needs {_fmt(MUST_LEVEL)}) and no usable companion covers it.",
                    None,
                    cid,
                    cell.sources,
                )
            )
        if helped and not unmet:
            needs_companion[fid] = tuple(sorted({h for hs in helped.values() for h in hs}))
    out_reasons: dict[str, list[str]] = {}
    for k in knockouts:
        out_reasons.setdefault(k.framework, []).append(k.reason)

    singles = {f: _Candidate(Option(f, f, tuple(cells[(f, c)].score for c in criteria)), (f,), 0.0, None) for f in shortlist}
    singles = {f: _Candidate(s.option, s.frameworks, _total(s.option.vector, wvec), None) for f, s in singles.items()}
    eligible = [s for f, s in sorted(singles.items()) if f not in out_reasons and f not in needs_companion]
    primaries = sorted(f for f in shortlist if f not in out_reasons)
    stacks = build_stacks(primaries, pool, ruled_out, profile, criteria, wvec, cells, names, crit_names, set(shortlist))

    alternatives = eligible + stacks
    others = [singles[f] for f in sorted(shortlist) if singles[f] not in eligible]
    alt_close, other_close = topsis([a.option.vector for a in alternatives], [o.option.vector for o in others], wvec)
    closeness = {a.option.key: t for a, t in zip(alternatives, alt_close)}
    closeness.update({o.option.key: t for o, t in zip(others, other_close)})
    stacks = [
        _Candidate(s.option, s.frameworks, s.score, _with_topsis(s.stack, closeness[s.option.key]), s.coverage)
        for s in stacks
    ]
    alternatives = eligible + stacks

    def order(c: _Candidate) -> tuple:
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
        sensitivity = Sensitivity("", None, (), 0.0, SAMPLES, SEED, DISTRIBUTION, VERDICT_NONE)
        margin, verdict = 0.0, VERDICT_NONE
    elif runner is None:
        sensitivity = Sensitivity(leader.option.key, None, (), 1.0, SAMPLES, SEED, DISTRIBUTION, VERDICT_ONLY)
        margin, verdict = 0.0, VERDICT_ONLY
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

    ctx = _Context(profile, criteria, crit_names, names, weights, cells, closeness)
    recommendation = _recommend(ctx, leader, runner, margin, verdict, sensitivity, knockouts, methods_agree, topsis_best)
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
    return Stack(stack.frameworks, stack.parts, stack.score, stack.reason, stack.sources, value)


# --- the recommendation in words -------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    profile: Profile
    criteria: tuple[str, ...]
    crit_names: Mapping[str, str]
    names: Mapping[str, str]
    weights: tuple[Weight, ...]
    cells: Mapping[tuple[str, str], Cell]
    closeness: Mapping[str, float]


def option_name(c: _Candidate, names: Mapping[str, str]) -> str:
    return " + ".join(names[f] for f in c.frameworks)


def _phrase(c: _Candidate, ctx: _Context) -> str:
    """"Kubeflow with MLflow for experiment tracking" or just "MLflow"."""
    if c.stack is None:
        return ctx.names[c.option.primary]
    withs = []
    for part in c.stack.parts[1:]:
        covered = [_mid(ctx.crit_names[x]) for x in part.covers if ctx.profile.needs.get(x) in ("must", "should")]
        withs.append(f"{ctx.names[part.framework]} for {_join(covered or [_mid(ctx.crit_names[x]) for x in part.covers])}")
    return f"{ctx.names[c.option.primary]} with {_join(withs)}"


_RULE_SUFFIX = re.compile(r" \(x([0-9.]+), rule [^)]+\)$")


def _weight_why(w: Weight, ctx: _Context) -> str:
    """Why a criterion weighs what it does, in a few words tied to this profile."""
    if w.criterion in ctx.profile.priorities:
        return f"priority {ctx.profile.priorities[w.criterion]:g} of 10"
    ruled = []
    for r in w.reasons:
        m = _RULE_SUFFIX.search(r)
        if m:
            ruled.append((-abs(math.log(float(m.group(1)) or 1.0)), r[: m.start()]))
    if ruled:
        return _after_colon(sorted(ruled)[0][1], tuple(ctx.names.values()))
    if w.criterion in CAPABILITIES:
        return f"a {ctx.profile.needs.get(w.criterion, 'could')} need"
    return "its default weight"


def _cell_of(c: _Candidate, cid: str, ctx: _Context) -> Cell:
    """The cell that explains an option's score on a criterion (the owning part for a stack)."""
    if c.stack is not None:
        for part in c.stack.parts[1:]:
            if cid in part.covers:
                return ctx.cells[(part.framework, cid)]
    return ctx.cells[(c.option.primary, cid)]


def _decisive(leader: _Candidate, runner: _Candidate | None, ctx: _Context) -> list[str]:
    wmap = {w.criterion: w for w in ctx.weights}
    idx = {c: i for i, c in enumerate(ctx.criteria)}
    if runner is None:
        contrib = [(wmap[c].value * leader.option.vector[idx[c]], c) for c in ctx.criteria]
    else:
        contrib = [(wmap[c].value * (leader.option.vector[idx[c]] - runner.option.vector[idx[c]]), c) for c in ctx.criteria]
    top = [c for v, c in sorted(contrib, key=lambda vc: (-vc[0], idx[vc[1]])) if v > 1e-12][:2]
    out = []
    lname = option_name(leader, ctx.names)
    for cid in top:
        w = wmap[cid]
        a = leader.option.vector[idx[cid]]
        lead_cell = _cell_of(leader, cid, ctx)
        head = f"{ctx.crit_names[cid]} carries {w.value:.0%} of the weight ({_weight_why(w, ctx)})"
        if runner is None:
            out.append(_sentence(f"{head}, and {lname} scores {_fmt(a)} of 5: {lead_cell.rationale.rstrip('.')}"))
            continue
        b = runner.option.vector[idx[cid]]
        run_cell = _cell_of(runner, cid, ctx)
        # Explain the gap with the cell a rule moved against the runner-up or for the leader, if any.
        if run_cell.score < run_cell.base:
            why = run_cell
        elif lead_cell.score > lead_cell.base or lead_cell.rules or not run_cell.rules:
            why = lead_cell
        else:
            why = run_cell
        out.append(
            _sentence(
                f"{head}; {lname} scores {_fmt(a)} of 5 against {_fmt(b)} for {option_name(runner, ctx.names)}: "
                f"{why.rationale.rstrip('.')}"
            )
        )
    return out


def _knockout_sentences(knockouts: Sequence[Knockout], ctx: _Context) -> list[str]:
    by_rule: dict[str, list[Knockout]] = {}
    by_need: dict[str, list[str]] = {}
    for k in knockouts:
        if k.rule is not None or k.criterion == FIT_CRITERION:
            by_rule.setdefault(k.rule or FIT_CRITERION, []).append(k)
        elif k.criterion is not None:
            by_need.setdefault(k.criterion, []).append(k.framework)
    out = []
    for rid in sorted(by_rule, key=lambda r: (-len(by_rule[r]), r))[:2]:
        ks = by_rule[rid]
        fws = sorted({k.framework for k in ks})
        verb = "is" if len(fws) == 1 else "are"
        out.append(f"{_join([ctx.names[f] for f in fws])} {verb} ruled out: {ks[0].reason}")
    if by_need:
        cid = sorted(by_need, key=lambda c: (-len(by_need[c]), ctx.criteria.index(c)))[0]
        fws = sorted(set(by_need[cid]))
        out.append(
            f"{_join([ctx.names[f] for f in fws])} cannot meet the must need {_mid(ctx.crit_names[cid])}, "
            f"alone or with a companion, and so {'drops' if len(fws) == 1 else 'drop'} out."
        )
    return out


def _recommend(
    ctx: _Context,
    leader: _Candidate | None,
    runner: _Candidate | None,
    margin: float,
    verdict: str,
    sens: Sensitivity,
    knockouts: Sequence[Knockout],
    methods_agree: bool,
    topsis_best: _Candidate | None,
) -> Recommendation:
    ko = _knockout_sentences(knockouts, ctx)
    top_weights = sorted(ctx.weights, key=lambda w: (-w.value, ctx.criteria.index(w.criterion)))[:3]
    weights_line = (
        "The weights follow this profile's needs and situation: "
        + _join([f"{_mid(ctx.crit_names[w.criterion])} {w.value:.0%}" for w in top_weights])
        + " lead."
    )
    if leader is None:
        sentence = (
            "No framework on the shortlist is viable: every one is ruled out by a hard constraint or an unmet "
            "must need, so nothing is recommended; relax a constraint or a must, or widen the shortlist."
        )
        reasons = (ko + [weights_line, SCALE_LINE])[: max(3, len(ko) + 1)]
        return Recommendation("", (), 0.0, 0.0, VERDICT_NONE, sentence, tuple(reasons[:6]))

    phrase = _phrase(leader, ctx)
    score = f"{leader.score:.1f}"
    if runner is None:
        sentence = (
            f"Recommend {phrase}: it is the only option on the shortlist that meets every must need and hard "
            f"constraint ({score} of 100), so there is nothing to weigh it against."
        )
    else:
        rname = option_name(runner, ctx.names)
        held = f"{sens.robustness:.0%} of {sens.samples:,} perturbed weightings"
        if verdict == "clear":
            sentence = (
                f"Recommend {phrase}: {score} of 100, {margin:.1f} points ahead of {rname} and first in {held} "
                "— a clear choice."
            )
        elif verdict == "leaning":
            sentence = (
                f"Recommend {phrase}, leaning: {score} of 100, {margin:.1f} points ahead of {rname} and first in "
                f"{held}; check the criteria that would flip it."
            )
        else:
            sentence = (
                f"{phrase} comes first with {score} of 100, but only {margin:.1f} points ahead of {rname} and "
                f"first in {held} — too close to call on scores alone; decide on the reasons below or pilot both."
            )

    # (priority, reading position, sentence): the six most telling sentences are kept, then read
    # in a fixed order — knock-outs, stack coverage, decisive criteria, what would flip it, cross-check.
    candidates: list[tuple[float, int, str]] = []
    for i, text in enumerate(ko[:2]):
        candidates.append((2 if i == 0 else 4, 0 + i, text))
    for i, text in enumerate(leader.coverage[:2]):
        candidates.append((3 if i == 0 else 7, 10 + i, text))
    for i, text in enumerate(_decisive(leader, runner, ctx)):
        candidates.append((1 if i == 0 else 6, 20 + i, text))
    if runner is not None:
        flip = _closest_flip(sens, runner.option.key)
        rname = option_name(runner, ctx.names)
        if flip is not None:
            now, then = _pct_pair(flip.weight, flip.flip_at)
            text = f"{rname} would take the lead if {_mid(ctx.crit_names[flip.criterion])} weighed {then} instead of {now}."
        else:
            text = f"No change to a single criterion's weight would put {rname} ahead."
        candidates.append((5, 30, text))
    if topsis_best is not None:
        if methods_agree:
            text = f"TOPSIS, the cross-check method, also puts {ctx.names[leader.option.primary]} first."
            candidates.append((8, 40, text))
        else:
            text = (
                f"TOPSIS, the cross-check method, puts {option_name(topsis_best, ctx.names)} first instead, so the "
                "pick depends on how the criteria are combined."
            )
            candidates.append((5.5, 40, text))
    kept = sorted(sorted(candidates)[:6], key=lambda c: c[1])
    reasons = [text for _, _, text in kept]
    for filler in (weights_line, SCALE_LINE):
        if len(reasons) < 3:
            reasons.append(filler)
    return Recommendation(
        leader.option.primary,
        leader.frameworks,
        margin,
        sens.robustness,
        verdict,
        sentence,
        tuple(reasons),
        leader.stack,
    )


def _pct_pair(a: float, b: float) -> tuple[str, str]:
    """Two shares as percentages, with a decimal when whole percents would print the same number."""
    for digits in (0, 1, 2):
        x, y = f"{a:.{digits}%}", f"{b:.{digits}%}"
        if x != y:
            return x, y
    return x, y


def _closest_flip(sens: Sensitivity, runner_key: str):
    """The flip that needs the smallest change of one weight in the runner-up's favour."""
    options = [f for f in sens.flips if f.flip_at is not None and f.favours == runner_key]
    if not options:
        return None
    return min(options, key=lambda f: (abs(f.flip_at - f.weight), f.criterion))


# --- the text table --------------------------------------------------------------------------


def format_ranking(assessment: Assessment) -> str:
    """A readable ranking for the terminal: rank, framework, score, TOPSIS, why knocked out; then the pick."""
    names = assessment.names
    width = max([len("Framework")] + [len(names.get(r.framework, r.framework)) for r in assessment.ranking])
    lines = [f"{'Rank':>4}  {'Framework':<{width}}  {'Score':>5}  {'TOPSIS':>6}  Knocked out"]
    for r in assessment.ranking:
        note = ""
        if r.knocked_out:
            note = r.knockouts[0] + (f" (+{len(r.knockouts) - 1} more)" if len(r.knockouts) > 1 else "")
        elif r.needs_companion:
            note = "(meets every must only with a companion: " + _join_or([names.get(f, f) for f in r.needs_companion]) + ")"
        lines.append(
            f"{r.rank:>4}  {names.get(r.framework, r.framework):<{width}}  {r.score:5.1f}  {r.topsis:6.3f}  {note}".rstrip()
        )
    rec = assessment.recommendation
    lines.append("")
    if rec.stack_detail is not None:
        lines.append(
            f"Best stack: {' + '.join(names.get(f, f) for f in rec.stack)} ({rec.stack_detail.score:.1f})"
        )
    lines.append(rec.sentence)
    return "\n".join(lines)
