"""The recommendation in words: sentences built from the assessment's numbers.

Nothing here decides anything; it says what scoring decided, tying each sentence to
the profile facts, weights, rules, knock-outs and stack coverage behind it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from generator.profile.model import CAPABILITIES, Profile
from generator.scoring.assessment import Cell, Knockout, Recommendation, Sensitivity, Verdict, Weight
from generator.scoring.stacks import FIT_CRITERION, Candidate
from generator.wording import (
    after_colon,
    count,
    join_and,
    level,
    mid,
    number,
    percent,
    percent_pair,
    points,
    sentence_of,
)

SCALE_LINE = "Totals are 20 times the weighted sum of 0-5 levels, so 100 means the top level on every criterion."


# --- the recommendation in words -------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What the sentences may quote: the profile, names, weights and cells of one assessment."""

    profile: Profile
    criteria: tuple[str, ...]
    crit_names: Mapping[str, str]
    names: Mapping[str, str]
    weights: tuple[Weight, ...]
    cells: Mapping[tuple[str, str], Cell]
    closeness: Mapping[str, float]


def option_name(c: Candidate, names: Mapping[str, str]) -> str:
    return " + ".join(names[f] for f in c.frameworks)


def _phrase(c: Candidate, ctx: Context) -> str:
    """"Kubeflow with MLflow for experiment tracking" or just "MLflow"."""
    if c.stack is None:
        return ctx.names[c.option.primary]
    withs = []
    for part in c.stack.parts[1:]:
        covered = [mid(ctx.crit_names[x]) for x in part.covers if ctx.profile.needs.get(x) in ("must", "should")]
        withs.append(f"{ctx.names[part.framework]} for {join_and(covered or [mid(ctx.crit_names[x]) for x in part.covers])}")
    return f"{ctx.names[c.option.primary]} with {join_and(withs)}"


_RULE_SUFFIX = re.compile(r" \(x([0-9.]+), rule [^)]+\)$")


def _weight_why(w: Weight, ctx: Context) -> str:
    """Why a criterion weighs what it does, in a few words tied to this profile."""
    if w.criterion in ctx.profile.priorities:
        return f"priority {number(ctx.profile.priorities[w.criterion])} of 10"
    ruled = []
    for r in w.reasons:
        m = _RULE_SUFFIX.search(r)
        if m:
            ruled.append((-abs(math.log(float(m.group(1)) or 1.0)), r[: m.start()]))
    if ruled:
        return after_colon(sorted(ruled)[0][1], tuple(ctx.names.values()))
    if w.criterion in CAPABILITIES:
        return f"a {ctx.profile.needs.get(w.criterion, 'could')} need"
    return "its default weight"


def _cell_of(c: Candidate, cid: str, ctx: Context) -> Cell:
    """The cell that explains an option's score on a criterion (the owning part for a stack)."""
    if c.stack is not None:
        for part in c.stack.parts[1:]:
            if cid in part.covers:
                return ctx.cells[(part.framework, cid)]
    return ctx.cells[(c.option.primary, cid)]


def _decisive(leader: Candidate, runner: Candidate | None, ctx: Context) -> list[str]:
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
        head = f"{ctx.crit_names[cid]} carries {percent(w.value)} of the weight ({_weight_why(w, ctx)})"
        if runner is None:
            out.append(sentence_of(f"{head}, and {lname} scores {level(a)} of 5: {lead_cell.rationale.rstrip('.')}"))
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
            sentence_of(
                f"{head}; {lname} scores {level(a)} of 5 against {level(b)} for {option_name(runner, ctx.names)}: "
                f"{why.rationale.rstrip('.')}"
            )
        )
    return out


def _knockout_sentences(knockouts: Sequence[Knockout], ctx: Context) -> list[str]:
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
        out.append(f"{join_and([ctx.names[f] for f in fws])} {verb} ruled out: {ks[0].reason}")
    if by_need:
        cid = sorted(by_need, key=lambda c: (-len(by_need[c]), ctx.criteria.index(c)))[0]
        fws = sorted(set(by_need[cid]))
        out.append(
            f"{join_and([ctx.names[f] for f in fws])} cannot meet the must need {mid(ctx.crit_names[cid])}, "
            f"alone or with a companion, and so {'drops' if len(fws) == 1 else 'drop'} out."
        )
    return out


def recommend(
    ctx: Context,
    leader: Candidate | None,
    runner: Candidate | None,
    margin: float,
    verdict: Verdict,
    sens: Sensitivity,
    knockouts: Sequence[Knockout],
    methods_agree: bool,
    topsis_best: Candidate | None,
) -> Recommendation:
    ko = _knockout_sentences(knockouts, ctx)
    top_weights = sorted(ctx.weights, key=lambda w: (-w.value, ctx.criteria.index(w.criterion)))[:3]
    weights_line = (
        "The weights follow this profile's needs and situation: "
        + join_and([f"{mid(ctx.crit_names[w.criterion])} {percent(w.value)}" for w in top_weights])
        + " lead."
    )
    if leader is None:
        sentence = (
            "No framework on the shortlist is viable: every one is ruled out by a hard constraint or an unmet "
            "must need, so nothing is recommended; relax a constraint or a must, or widen the shortlist."
        )
        reasons = (ko + [weights_line, SCALE_LINE])[: max(3, len(ko) + 1)]
        return Recommendation("", (), 0.0, 0.0, Verdict.NONE_VIABLE, sentence, tuple(reasons[:6]))

    phrase = _phrase(leader, ctx)
    score = points(leader.score)
    if runner is None:
        sentence = (
            f"Recommend {phrase}: it is the only option on the shortlist that meets every must need and hard "
            f"constraint ({score} of 100), so there is nothing to weigh it against."
        )
    else:
        rname = option_name(runner, ctx.names)
        held = f"{percent(sens.robustness)} of {count(sens.samples)} perturbed weightings"
        if verdict == Verdict.CLEAR:
            sentence = (
                f"Recommend {phrase}: {score} of 100, {points(margin)} points ahead of {rname} and first in {held} "
                "— a clear choice."
            )
        elif verdict == Verdict.LEANING:
            sentence = (
                f"Recommend {phrase}, leaning: {score} of 100, {points(margin)} points ahead of {rname} and first in "
                f"{held}; check the criteria that would flip it."
            )
        else:
            sentence = (
                f"{phrase} comes first with {score} of 100, but only {points(margin)} points ahead of {rname} and "
                f"first in {held} — too close to call on scores alone; decide on the reasons below or pilot both."
            )

    # (priority, reading position, sentence): the six most telling sentences are kept, then read
    # in a fixed order — knock-outs, stack coverage, decisive criteria, what would flip it, cross-check.
    candidates: list[tuple[float, int, str]] = []
    for i, text in enumerate(ko[:2]):
        candidates.append((2 if i == 0 else 4, 0 + i, text))
    parts = leader.frameworks[1:]
    for i, text in enumerate(leader.coverage[:2]):
        candidates.append((3 if i == 0 else 7, 10 + i, text + _alone_note(parts[i], leader, knockouts, ctx)))
    for i, text in enumerate(_decisive(leader, runner, ctx)):
        candidates.append((1 if i == 0 else 6, 20 + i, text))
    if runner is not None:
        flip = _closest_flip(sens, runner.option.key)
        rname = option_name(runner, ctx.names)
        if flip is not None:
            now, then = percent_pair(flip.weight, flip.flip_at)
            text = f"{rname} would take the lead if {mid(ctx.crit_names[flip.criterion])} weighed {then} instead of {now}."
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


def _alone_note(part: str, leader: Candidate, knockouts: Sequence[Knockout], ctx: Context) -> str:
    """Why a companion that is knocked out on its own may still serve in the stack (the stack meets that must)."""
    unmet = [k.criterion for k in knockouts if k.framework == part and k.rule is None and k.criterion != FIT_CRITERION]
    if not unmet:
        return ""
    needs = join_and([mid(ctx.crit_names[c]) for c in unmet if c])
    return (
        f" On its own {ctx.names[part]} is out for want of {needs}; in this stack "
        f"{ctx.names[leader.option.primary]} covers that."
    )


def _closest_flip(sens: Sensitivity, runner_key: str):
    """The flip that needs the smallest change of one weight in the runner-up's favour."""
    options = [f for f in sens.flips if f.flip_at is not None and f.favours == runner_key]
    if not options:
        return None
    return min(options, key=lambda f: (abs(f.flip_at - f.weight), f.criterion))
