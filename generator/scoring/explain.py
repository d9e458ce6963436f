"""The recommendation in words: sentences built from the assessment's numbers.

Nothing here decides anything; it says what scoring decided, tying each sentence to
the profile facts, weights, rules, knock-outs and stack coverage behind it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Mapping, Sequence

from generator.knowledge import Fact, Score
from generator.profile.model import Profile
from generator.scoring.assessment import (
    STAKEHOLDERS_COMBINED, Cell, Knockout, Reason, Recommendation, Sensitivity, Verdict, Weight, idle_knockout,
)
from generator.scoring.fit import CRITERION as TOOL_FIT, HeldNeed
from generator.scoring.stacks import (FIT_CRITERION, GOOD_LEVEL, MUST_LEVEL, WEAKEST_LINK, Candidate, handed_musts,
                                      weakest_part)
from generator.wording import after_colon, cause_of, count, gap, join_and, join_or, level, level_on_score, mid, percent, percent_shares, points, sentence_of, unique, whole_percent

# Ease of use is judged for the people who work in the tool every day (team.primary_users), so a
# reason about it says for whom; a mixed team has no one role to name.
DAILY_USERS_CRITERION = "ease_of_use"
DAILY_USERS = {"data_scientists": "data scientists", "ml_engineers": "ML engineers", "researchers": "researchers"}
SCALE_LINE = "Totals are 20 times the weighted sum of 0-5 levels, so 100 means the top level on every criterion."
TOTAL_SCALE = 20.0  # a weighted level difference times this is its worth in points of the 0-100 total
# Below this share of the total weight a criterion is too light to be a reason for the pick (a could-have at 1%;
# a reader rejected a 2% criterion worth 0.8 points as the second reason on page 1).
NEGLIGIBLE_WEIGHT = 0.03
# The case for a pick leads with at least this many reasons tied to the profile where it has them (the issue's
# "two or three strongest positive reasons"); a goal both leading options meet counts when advantages run short.
TIED_GOALS_UNTIL = 2
# Scoring's weight reason for a rated need: "Notebooks is a should-have need".
_NEED_REASON = re.compile(r"^(.+) is (an? .+ need)$")
# A release number opening a clause of evidence ("...; 26.03 is restricted-compatible") names no product.
_BARE_VERSION = re.compile(r"(^|[;:,]\s+)(\d+\.\d+(?:\.\d+)?)(?= )")


def named_versions(text: str, name: str) -> str:
    """Evidence with every clause that opens on a bare release number given its product's name ("Kubeflow 26.03")."""
    return _BARE_VERSION.sub(lambda m: f"{m.group(1)}{name} {m.group(2)}", text)


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
    start: Mapping[str, float]  # each criterion's raw weight before rules, goals and priorities
    evidence: Mapping[tuple[str, str], Score]  # the knowledge base's own level, rationale and sources per (framework, criterion)
    # The documented way each framework works with a framework the team already runs, per (framework, in use).
    pairings: Mapping[tuple[str, str], Fact] = field(default_factory=dict)
    # The capabilities a tool the team keeps or uses already does (generator.scoring.fit.held_needs).
    held: Mapping[str, HeldNeed] = field(default_factory=dict)


def option_name(c: Candidate, names: Mapping[str, str]) -> str:
    return " + ".join(names[f] for f in c.frameworks)


def _phrase(c: Candidate, ctx: Context) -> str:
    """"Kubeflow with MLflow for experiment tracking" or just "MLflow"."""
    if c.stack is None:
        return ctx.names[c.option.primary]
    withs, kept = [], []
    for part in c.stack.parts[1:]:
        if part.framework in ctx.profile.current.keep:
            kept.append(ctx.names[part.framework])
            continue
        # A part is named for the needs it does (3 of 5 or more): a rebased combination's second part also holds
        # the needs neither part does, which it does not do for anyone.
        covered = [mid(ctx.crit_names[x]) for x in part.covers if ctx.profile.needs.get(x) in ("must", "should")
                   and ctx.cells[(part.framework, x)].score >= MUST_LEVEL]
        withs.append(f"{ctx.names[part.framework]} for {join_and(covered or [mid(ctx.crit_names[x]) for x in part.covers])}")
    text = ctx.names[c.option.primary]
    if withs:
        text += f" with {join_and(withs)}"
    if kept:
        text += f", beside the {join_and(kept)} the team keeps"
    return text


def _weight_why(w: Weight, start: float, lowering: frozenset[str] = frozenset(), share_rose: bool = True) -> str:
    """Why a criterion weighs what it does for this profile: the last (strongest) situational reason,
    else the need it serves; "" for a quality at its default weight (nothing about this profile to say)
    and for a weight the situation lowered below ``start`` (its reason argues that it matters less).
    A reason that also lowered another criterion (``lowering``) opens with what matters less, so it
    never opens a reason for the pick. A situational reason ends in what it does ("…, so cost weighs more");
    where the criterion's printed share of the total did not rise (``share_rose`` false: other criteria were
    raised more), the weights table says its share fell or stayed, so only the situation is said."""
    if list(w.reasons[1:]) and w.raw < start - 1e-9:
        return ""
    situational = [r for r in w.reasons[1:] if r.rstrip(".") not in lowering and not r.startswith(STAKEHOLDERS_COMBINED)]
    if situational:
        text = situational[-1].strip()
        return sentence_of(text if share_rose else cause_of(text)) + " "
    # A need the team rated. A quality whose only situational reason also lowered another criterion says nothing:
    # "Scalability starts from its default weight" is no reason for a pick.
    need = _NEED_REASON.match(w.reasons[0].rstrip(".")) if w.factors and w.reasons else None
    if need:
        # "Notebooks is a should-have need" does not agree for a plural name: the team is the subject instead.
        return sentence_of(f"The team rates {mid(need.group(1))} {need.group(2)}") + " "
    return ""


def _printed_shares_rose(ctx: Context) -> frozenset[str]:
    """The criteria whose share of the total, printed in whole percents as the brief's tables print it,
    is higher than before any fact of the profile moved the weights."""
    after = percent_shares([w.value for w in ctx.weights])
    before = percent_shares([ctx.start.get(w.criterion, 0.0) for w in ctx.weights])
    return frozenset(w.criterion for w, a, b in zip(ctx.weights, after, before) if whole_percent(a) > whole_percent(b))



def _cell_of(c: Candidate, cid: str, ctx: Context) -> Cell:
    """The cell that explains an option's score on a criterion (the owning part for a stack; on a weakest-link
    criterion the part that sets the level, so the evidence quoted is the evidence for that level)."""
    if c.stack is not None and cid in WEAKEST_LINK:
        return ctx.cells[(weakest_part(c.frameworks, cid, ctx.cells, ctx.profile.current.keep), cid)]
    if c.stack is not None:
        for part in c.stack.parts:
            if cid in part.covers and part.framework != c.option.primary:
                return ctx.cells[(part.framework, cid)]
    return ctx.cells[(c.option.primary, cid)]


def _contributions(leader: Candidate, runner: Candidate | None, ctx: Context) -> list[tuple[float, str]]:
    wmap = {w.criterion: w.value for w in ctx.weights}
    out = []
    for i, cid in enumerate(ctx.criteria):
        a = leader.option.vector[i]
        b = runner.option.vector[i] if runner is not None else 0.0
        out.append((wmap[cid] * (a - b), cid))
    return out


def _strengths(leader: Candidate, runner: Candidate | None, ctx: Context, limit: int) -> list[Reason]:
    """The criteria that carry the pick, biggest weighted advantage first, each tied to why it matters here."""
    wmap = {w.criterion: w for w in ctx.weights}
    idx = {c: i for i, c in enumerate(ctx.criteria)}
    lname = option_name(leader, ctx.names)
    cell_factors = {cid: _cell_of(leader, cid, ctx).factors for cid in ctx.criteria}

    def grounded(cid: str) -> bool:
        """Whether this profile says why the criterion counts: a must or should need, a rule, goal or
        priority that raised its weight, or a profile fact that moved the leader's level."""
        raised = wmap[cid].raw > ctx.start.get(cid, wmap[cid].raw) + 1e-9
        return bool(cell_factors[cid]) or raised or ctx.profile.needs.get(cid) in ("must", "should")

    # Reasons this profile grounds come first, each group by its weighted advantage; a criterion of negligible
    # weight carries too little of the lead to be a reason, however well grounded.
    # The one that carries most of the lead stays whatever its weight: the rival's sentence names it as what decides.
    gains = [x for x in _contributions(leader, runner, ctx) if x[0] > 1e-9]
    top = max(gains, key=lambda x: (x[0], -idx[x[1]]), default=None)
    ranked = sorted(
        (x for x in gains if wmap[x[1]].value >= NEGLIGIBLE_WEIGHT or x is top),
        key=lambda x: (not grounded(x[1]), -x[0], idx[x[1]]),
    )
    # A stated goal both options serve at a good level separates nothing, but it is still a reason to adopt the
    # pick at all: where fewer than TIED_GOALS_UNTIL advantages rest on this profile, such goals make up the
    # difference, after those advantages and before any the profile does not ask for.
    grounded_count = sum(grounded(cid) for _, cid in ranked)
    ties = sorted(
        (cid for cid in _goal_ties(leader, runner, ctx) if wmap[cid].value >= NEGLIGIBLE_WEIGHT),
        key=lambda cid: (-wmap[cid].value, idx[cid]),
    )[: max(0, TIED_GOALS_UNTIL - grounded_count)]
    chosen = [(cid, False) for _, cid in ranked[:grounded_count]] + [(cid, True) for cid in ties]
    chosen += [(cid, False) for _, cid in ranked[grounded_count:]]
    # The criterion that carries most of the lead is always among the reasons: the rival's sentence names it as what
    # decides, and a reader found it missing from page 1 when three smaller advantages the profile asks for came first.
    biggest = max(ranked, key=lambda x: (x[0], -idx[x[1]]), default=None)
    if biggest is not None and limit > 0 and (biggest[1], False) not in chosen[:limit]:
        chosen = [c for c in chosen[: limit - 1]] + [(biggest[1], False)]
    # A reason that lowered any weight argues that something matters less; a goal that raised a weight
    # some other rule lowered further is not one of them.
    lowering = frozenset(r.rstrip(".") for x in ctx.weights for r in x.lowered_by)
    out = []
    shares_rose = _printed_shares_rose(ctx)
    said: dict[str, str] = {}  # a weight reason already given -> the criterion it was given for
    for cid, tie in chosen[:limit]:
        w = wmap[cid]
        cell = _cell_of(leader, cid, ctx)
        a = leader.option.vector[idx[cid]]
        versus = ""
        if runner is not None:
            rname = option_name(runner, ctx.names)
            theirs = runner.option.vector[idx[cid]]
            versus = f", as {rname} does" if tie else f" against {level(theirs)} for {rname}"
        rose = cid in shares_rose
        why = _weight_why(w, ctx.start.get(cid, w.raw), lowering, rose)
        who = [(n, v) for n, v, raises in w.set_by if raises]
        if who:
            # A stakeholder's priority is part of why it weighs this much: say whose, beside the profile's reason.
            n, v = who[0]
            # the criterion by name: "gives it priority" read as a priority given to the framework
            crit = mid(ctx.crit_names[cid])
            why += (
                f"{n} gives {crit} priority {level(v)} of 10. " if len(who) == 1
                else f"{join_and([f'{n} ({level(v)} of 10)' for n, v in who])} give {crit} priority. "
            )
        if why in said:
            # One situation that raises several criteria is argued once; later reasons point back to it.
            why = f"{ctx.crit_names[cid]} {'weighs more' if rose else 'matters'} for the same reason as {mid(ctx.crit_names[said[why]])}. "
        elif why:
            said[why] = cid
        evidence, sources = cell.rationale, cell.sources
        kb_score = ctx.evidence.get((cell.framework, cid))
        if why and cell.rules and cell.score == cell.base and not set(cell.factors) & set(w.factors) and kb_score:
            # Rules about something else confirmed the level: the knowledge base's evidence for it is what
            # answers why the criterion matters here (portability: "runs in every major cloud").
            evidence, sources = kb_score.rationale, kb_score.sources
        factors = w.factors + cell.factors
        if cid == TOOL_FIT and runner is not None and not tie and not cell.factors:
            # Nothing about the pick's own fit depends on the profile ("No current tools must stay"): the lead comes
            # from what the runner-up would displace, and its rationale, which names it, says so.
            theirs = _cell_of(runner, cid, ctx)
            if theirs.factors:
                evidence, factors, sources = theirs.rationale, factors + theirs.factors, theirs.sources
        users = None
        # unless the evidence is the daily-users rule itself, which already says who they are
        if cid == DAILY_USERS_CRITERION and "team.primary_users" not in cell.factors:
            users = DAILY_USERS.get(ctx.profile.team.primary_users)
        for_whom = f" for the {users} who work in it every day" if users else ""
        if users:
            factors += ("team.primary_users",)
        # A need a companion fills is credited to it, so the reader sees why the combination has it.
        fillers = {c.companion for c in leader.coverage if cid in c.fills}
        through = f", which {ctx.names[cell.framework]} brings," if cell.framework in fillers - {leader.option.primary} else ""
        if through and (versus.startswith(",") or not versus):
            # "which MLflow brings,, as Airflow + MLflow does" and "which MLflow brings,: 'mlflow models serve'": one
            # mark between the credit and what follows it.
            through = through[:-1]
        text = (
            f"{why}{lname} scores {level(a)} of 5 on {mid(ctx.crit_names[cid])}{for_whom}{through}{versus}: "
            f"{named_versions(after_colon(evidence.rstrip('.'), tuple(ctx.names.values())), ctx.names[cell.framework])}."
        )
        held = _held(ctx, cid)
        if held is not None:
            text = text[:-1] + f"; {held[0]} already does this."
            factors, sources = factors + held[1], unique(tuple(sources) + held[2])
        out.append(Reason(text, "for", unique(factors), cid, sources, why.strip()))
    return out


def _goal_ties(leader: Candidate, runner: Candidate | None, ctx: Context) -> list[str]:
    """Criteria a stated goal raised on which the pick and the runner-up stand level, both at GOOD_LEVEL or
    more; a must-have need is left to the rival's sentence, which says both meet it in full."""
    if runner is None:
        return []
    idx = {c: i for i, c in enumerate(ctx.criteria)}
    out = []
    for w in ctx.weights:
        cid = w.criterion
        a, b = leader.option.vector[idx[cid]], runner.option.vector[idx[cid]]
        raised = "goals" in w.factors and w.raw > ctx.start.get(cid, w.raw) + 1e-9
        if raised and a == b >= GOOD_LEVEL and ctx.profile.needs.get(cid) != "must":
            out.append(cid)
    return out


def _tradeoff(leader: Candidate, runner: Candidate | None, ctx: Context) -> Reason | None:
    """The criterion on which the runner-up beats the pick by the most weight: the price of the choice."""
    if runner is None:
        return None
    idx = {c: i for i, c in enumerate(ctx.criteria)}
    worst = sorted((x for x in _contributions(leader, runner, ctx) if x[0] < -1e-9), key=lambda x: (x[0], idx[x[1]]))
    if not worst:
        return None
    cid = worst[0][1]
    rname = option_name(runner, ctx.names)
    cell = _cell_of(runner, cid, ctx)
    a, b = leader.option.vector[idx[cid]], runner.option.vector[idx[cid]]
    wmap = {w.criterion: w for w in ctx.weights}
    # What the advantage is worth on the 0-100 total, so a reader sees whether the price is large or small.
    worth = -worst[0][0] * TOTAL_SCALE
    evidence, sources, cell_factors = cell.rationale, cell.sources, cell.factors
    kb_score = ctx.evidence.get((cell.framework, cid))
    if cell.rules and cell.raised_because != cell.rationale:
        # A rule that lowered the rival's level explains why it is not higher still: quoted as why the rival is
        # stronger, it read as an argument against it. Only the rules that raised it say why it is strong, or, with
        # none, the knowledge base's evidence of what it does well.
        if cell.raised_because:
            evidence = cell.raised_because
        elif kb_score is not None:
            evidence, sources, cell_factors = kb_score.rationale, kb_score.sources, ()
    text = (
        f"The trade-off: {rname} is stronger on {mid(ctx.crit_names[cid])} ({level(b)} of 5 against "
        f"{level(a)}, worth {points(worth)} points of the total): "
        f"{named_versions(after_colon(evidence.rstrip('.'), tuple(ctx.names.values())), ctx.names[cell.framework])}."
    )
    factors = unique(wmap[cid].factors + cell_factors)
    held = _held(ctx, cid)
    if held is not None:
        # The price is smaller than it reads when a tool the team runs does that job anyway (Slurm's multi-node jobs).
        text = text[:-1] + f"; {held[0]} already does this."
        factors, sources = unique(factors + held[1]), unique(sources + held[2])
    return Reason(text, "tradeoff", factors, cid, sources)


def _held(ctx: Context, cid: str) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    """Who already meets a need for the team ("the team's Slurm"), the field that says so and the
    knowledge base's sources for it; None when no tool the team runs does. Wherever a brief argues from that need,
    it says so, or a reader who runs that tool wonders why it decides anything."""
    held = ctx.held.get(cid)
    if held is None:
        return None
    return (
        f"the team's {held.tool}",
        (f"current.{'keep' if held.how == 'keeps' else 'tools'}",),
        tuple(held.fact.sources) if held.fact else (),
    )


def _rival(
    leader: Candidate,
    runner: Candidate | None,
    knockouts: Sequence[Knockout],
    ranking_scores: Mapping[str, float],
    ctx: Context,
    place: int = 2,
    idle: Mapping[str, tuple[str, ...]] = {},
) -> Reason | None:
    """The strongest rival and what decides against it (``place``: the runner-up's place among all options, below
    second when a variant of the pick, built on its main framework, scores between them).

    A ruled-out framework is the rival only when its score without the knock-out beats the pick's (then its
    own first reason says why it cannot be chosen); otherwise the rival is the runner-up, and the reason names
    the criterion on which the pick's weighted lead over it is largest. With no runner-up, the strongest
    ruled-out framework is the only rival there is.
    """
    names = tuple(ctx.names.values())
    out = [k for k in knockouts if k.framework in ranking_scores]
    best = min(out, key=lambda k: (-round(ranking_scores[k.framework], 9), k.framework), default=None)
    # A framework that is no option for want of a role (its companion would do all it does) can outscore every
    # option too: page 1 named a lower ruled-out framework "the top scorer" and left it out.
    top_idle = min((f for f in idle if f in ranking_scores), key=lambda f: (-round(ranking_scores[f], 9), f), default=None)
    if (runner is not None and top_idle is not None and ranking_scores[top_idle] > leader.score + 1e-9
            and (best is None or ranking_scores[top_idle] > ranking_scores[best.framework])):
        name, comps = ctx.names[top_idle], idle[top_idle]
        musts = handed_musts(top_idle, [c for c in ctx.criteria if ctx.profile.needs.get(c) == "must"], ctx.cells)
        needs = f" for {join_and([mid(ctx.crit_names[c]) for c in musts])}" if musts else " for a must-have need"
        text = (f"{name} would score higher ({points(ranking_scores[top_idle])} of 100 against {points(leader.score)}) "
                f"but is not an option: it needs {join_or([ctx.names[c] for c in comps])}{needs}, and "
                f"{'that companion' if len(comps) == 1 else 'each of them'} already does every other must- or "
                f"should-have need {name} does")
        return Reason(sentence_of(text), "rival", tuple(f"needs.{c}" for c in musts),
                      sources=unique(x for c in musts for x in ctx.cells[(top_idle, c)].sources))
    if best is not None and (runner is None or ranking_scores[best.framework] > leader.score + 1e-9):
        first = next(k for k in knockouts if k.framework == best.framework)
        name = ctx.names[first.framework]
        if runner is None:
            text = f"{name} is ruled out: {after_colon(first.reason, names)}"
        else:
            text = f"{name} would score higher ({points(ranking_scores[first.framework])} of 100 against {points(leader.score)}) but is ruled out"
            # A reason with a colon of its own gets a sentence of its own: never two colons in one sentence.
            text += f". {sentence_of(first.reason)}" if ": " in first.reason else f": {after_colon(first.reason, names)}"
        also = _other_causes(first, [k for k in knockouts if k.framework == best.framework], names)
        factors, sources = first.factors, first.sources
        if also:
            # Every cause is named, or a reader thinks lifting the one given (moving to Azure) would bring it back.
            text = sentence_of(text) + f" It is also ruled out because {join_and([c for c, _, _ in also])}"
            factors = unique(factors + tuple(f for _, fs, _ in also for f in fs))
            sources = unique(tuple(sources) + tuple(x for _, _, xs in also for x in xs))
        return Reason(sentence_of(text), "rival", factors, sources=sources)
    if runner is None:
        return None
    idx = {c: i for i, c in enumerate(ctx.criteria)}
    leads = sorted((x for x in _contributions(leader, runner, ctx) if x[0] > 1e-9), key=lambda x: (-x[0], idx[x[1]]))
    rname = option_name(runner, ctx.names)
    # A runner-up the team already runs is the option of changing nothing: a reader who runs it asks first why a
    # new tool should join it, so the sentence says the team has it, and how the pick works with it.
    current, in_use = ctx.profile.current, ""
    if runner.stack is None and runner.option.primary in (*current.keep, *current.tools):
        kept = runner.option.primary in current.keep
        in_use = "current.keep" if kept else "current.tools"
        rname += ", which the team already runs and keeps," if kept else ", which the team already uses,"
    behind = f"{points(gap(leader.score, runner.score))} points behind"
    if place > 2:
        # The options table lists the pick's variants by score too, some above the runner-up: "second" would
        # contradict it.
        # Not "without" when the pick's main framework is a tool the team keeps: it stays beside every option, and
        # what sets the runner-up apart is what it is built on.
        kept_pick = leader.option.primary in current.keep
        text = (f"{rname}, the best option {'not built on' if kept_pick else 'without'} "
                f"{ctx.names[leader.option.primary]}, is {behind}")
    else:
        text = f"{rname} comes second, {behind}"
    # Must-haves both options meet in full decide nothing, and the reasons for the pick, which argue from
    # differences, never name them: say so here, or a reader wonders whether the must-have was weighed at all.
    musts = [c for c in ctx.criteria if ctx.profile.needs.get(c) == "must"]
    tied = [c for c in musts if leader.option.vector[idx[c]] == runner.option.vector[idx[c]] >= GOOD_LEVEL]
    cited: tuple[str, ...] = ()  # the must-have needs the sentence quotes are fields it rests on
    if musts and tied == musts:
        scores = ", ".join(f"{mid(ctx.crit_names[c])} {level(leader.option.vector[idx[c]])} of 5" for c in musts)
        text += f"; both meet {'the must-have need' if len(musts) == 1 else 'every must-have need'} in full ({scores})"
        cited = tuple(f"needs.{c}" for c in musts)
    if in_use:
        cited += (in_use,)
    pairing = ctx.pairings.get((leader.option.primary, runner.option.primary)) if in_use else None
    after = f" {ctx.names[leader.option.primary]} works with it: {after_colon(pairing.text, names)}" if pairing else ""
    # What the sentence quotes from the knowledge base is the pairing; the scores it compares are cited in the table.
    quoted = pairing.sources if pairing else ()
    if not leads:
        return Reason(sentence_of(text) + after, "rival", cited, sources=quoted)
    cid = leads[0][1]
    wmap = {w.criterion: w for w in ctx.weights}
    text += (
        f"; what decides against it is {mid(ctx.crit_names[cid])}, where it scores "
        f"{level(runner.option.vector[idx[cid]])} of 5 against "
        f"{level(leader.option.vector[idx[cid]])} for {option_name(leader, ctx.names)}"
    )
    held = _held(ctx, cid)
    if held is not None:
        text += f", though {held[0]} already does that"
        cited, quoted = cited + held[1], unique(quoted + held[2])
    return Reason(
        sentence_of(text) + after, "rival", unique(cited + wmap[cid].factors + _cell_of(leader, cid, ctx).factors), cid,
        quoted,
    )


def _other_causes(
    first: Knockout, theirs: Sequence[Knockout], names: tuple[str, ...]
) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """The other causes that rule a framework out by a rule of the profile, each as its situation ("only
    open-source software may be used", the part before ", so"), with the fields and sources behind it; a cause
    resting only on fields an earlier one gave is left out (the infrastructure-fit veto that repeats the cloud)."""
    seen, out = set(first.factors), []
    for k in theirs:
        if k is first or k.rule is None or not set(k.factors) - seen:
            continue
        seen |= set(k.factors)
        out.append((after_colon(cause_of(k.reason), names), tuple(k.factors), tuple(k.sources)))
    return out


def _coverage(leader: Candidate, knockouts: Sequence[Knockout], ctx: Context, argued: frozenset[str] = frozenset()) -> list[Reason]:
    """Why each companion is in the combination, unless the reasons already argue every need it fills (``argued``):
    they then credit it by name, and saying it again would only repeat them."""
    out = []
    for cov in leader.coverage[:2]:
        # A kept tool needs no case made for it; and where the companion does most of the stated needs, the
        # combination is named after it (assess), so "it covers ... for" the framework it leads would read backwards.
        if cov.companion in ctx.profile.current.keep or cov.companion == leader.option.primary:
            continue
        covered = [p for p in leader.stack.parts if p.framework == cov.companion] if leader.stack else []
        needs = [c for p in covered for c in p.covers if ctx.profile.needs.get(c) in ("must", "should")]
        alone = _alone_note(cov.companion, leader, knockouts, ctx)
        if cov.fills and set(cov.fills) <= argued and not alone:
            continue
        factors = tuple(f"needs.{c}" for c in needs)
        out.append(Reason(cov.text + alone, "for", factors, sources=cov.sources))
    return out


# What rules a framework out, as the no-option sentence says it, and what the team could change about it; in the
# order a reader would look (the team's own constraints first).
_NONE_VIABLE_CAUSES = (
    ("rule", "a hard constraint", "relax a constraint"),
    ("must", "an unmet must-have need", "relax a must-have need"),
    ("fit", "no fit with the team's infrastructure", ""),
    ("kept", "a clash with a tool the team keeps", "reconsider what must stay"),
    ("replaced", "the team's plan to replace it", ""),
    ("idle", "doing none of the team's must- or should-have needs", ""),
)


def knockout_cause(k: Knockout) -> str:
    """Which of _NONE_VIABLE_CAUSES a knock-out is (the ruled-out table's heading groups them the same way)."""
    if k.rule is not None:
        return "rule"
    if idle_knockout(k):
        return "idle"
    if k.criterion == TOOL_FIT:
        return "replaced" if "current.replacing" in k.factors else "kept"
    return "fit" if k.criterion == FIT_CRITERION else "must"


def _none_viable(knockouts: Sequence[Knockout], ctx: Context) -> str:
    """"No framework on the shortlist is viable: every one is ruled out by ..., so nothing is recommended; ...": the
    causes the knock-outs have, and only the changes that could bring an option back (no "widen the shortlist" for
    a shortlist of every framework, no "relax a must-have" for a team that has none)."""
    found = {knockout_cause(k) for k in knockouts}
    causes = [c for c in _NONE_VIABLE_CAUSES if c[0] in found]
    fixes = [fix for _, _, fix in causes if fix]
    if len(set(ctx.profile.frameworks)) < len(ctx.names):
        fixes.append("widen the shortlist")
    what = join_or([words for _, words, _ in causes]) if causes else "a hard constraint"
    ending = f"; {join_or(fixes)}" if fixes else ""
    return (f"No framework on the shortlist is viable: {'every one is' if len(ctx.profile.frameworks) > 1 else 'it is'} "
            f"ruled out by {what}, so nothing is recommended{ending}.")


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
    ranking_scores: Mapping[str, float] = {},
    runner_place: int = 2,
    idle: Mapping[str, tuple[str, ...]] = {},
) -> Recommendation:
    """The one-sentence recommendation and the case for it.

    The reasons lead with the two or three strongest positive reasons tied to this profile (the
    criteria that carry the pick, each with why it matters here), then the main trade-off, then
    the strongest rival and what decides against it; each reason names the profile fields it rests on.
    """
    if leader is None:
        sentence = _none_viable(knockouts, ctx)
        detail = []
        for fid in sorted({k.framework for k in knockouts}, key=lambda f: -ranking_scores.get(f, 0.0))[:4]:
            k = next(k for k in knockouts if k.framework == fid)
            detail.append(
                Reason(sentence_of(f"{ctx.names[fid]}: {after_colon(k.reason, tuple(ctx.names.values()))}"), "rival", k.factors,
                       sources=k.sources)
            )
        return Recommendation("", (), 0.0, 0.0, Verdict.NONE_VIABLE, sentence, tuple(r.text for r in detail), None, tuple(detail))

    phrase = _phrase(leader, ctx)
    score = points(leader.score)
    if runner is None:
        sentence = (
            f"Recommend {phrase}: it is the only option on the shortlist that meets every must-have need and hard "
            f"constraint ({score} of 100), so there is nothing to weigh it against."
        )
    else:
        rname = option_name(runner, ctx.names)
        held = f"{percent(sens.robustness)} of {count(sens.samples)} random re-weightings"
        # The share counts the options built on other frameworks only: a variant of the pick (other companions, or
        # none) winning a draw does not change the framework recommended, so "first" would overstate it.
        ahead = f"it stays ahead of {sens.rivals} in {held}"
        # Level to the tenth of a point printed: "0.0 points ahead" and "stays ahead in 100%" (a draw counts as held
        # when no rival strictly beats the pick) both overstated a tie.
        tied = level_on_score(margin)
        if tied:
            ahead = f"no {'other combination' if sens.among_combinations else 'other framework'} beats {phrase} in {held}"
        main = ctx.names[leader.option.primary]
        if sens.among_combinations and verdict == Verdict.TOO_CLOSE:
            # Only the companions are in question: the framework is settled, and "too close to call ... pilot both"
            # read as doubt about it (a reader's Kubeflow against Kubeflow + MLflow).
            alone = phrase if leader.stack is not None else f"{phrase} alone"
            first = (f"{alone} and {rname} are level at {score} of 100" if tied else
                     f"{alone} comes first with {score} of 100, only {points(margin)} points ahead of {rname}")
            sentence = (
                f"Recommend {main}: every option that meets the must-have needs is built on it. Which companions to "
                f"add is too close to call on scores alone: {first}, and {ahead}; decide on the reasons below or "
                "pilot both."
            )
        else:
            if sens.among_combinations:
                # Only the companions are in question: say so, or a lean reads as doubt about the framework.
                ahead += f" (every option that meets the must-have needs is built on {main})"
            if verdict == Verdict.CLEAR:
                sentence = f"Recommend {phrase}: {score} of 100, {points(margin)} points ahead of {rname}; {ahead} — a clear choice."
            elif verdict == Verdict.LEANING:
                sentence = (
                    f"Recommend {phrase} (a lean, not a clear call): {score} of 100, {points(margin)} points ahead of "
                    f"{rname}; {ahead}; some weightings put another option first."
                )
            elif tied:
                sentence = (
                    f"{phrase} and {rname} are level at {score} of 100 (less than 0.05 points apart), and {ahead} — "
                    "too close to call on scores alone; decide on the reasons below or pilot both."
                )
            else:
                sentence = (
                    f"{phrase} comes first with {score} of 100, but only {points(margin)} points ahead of {rname}, and "
                    f"{ahead} — too close to call on scores alone; decide on the reasons below or pilot both."
                )

    detail: list[Reason] = _strengths(leader, runner, ctx, 3)
    detail[2:2] = _coverage(leader, knockouts, ctx, frozenset(r.criterion for r in detail))[:1]
    detail = detail[:3]
    tradeoff = _tradeoff(leader, runner, ctx)
    if tradeoff is not None:
        detail.append(tradeoff)
    rival = _rival(leader, runner, knockouts, ranking_scores, ctx, runner_place, idle)
    if rival is not None:
        detail.append(rival)
    if topsis_best is not None and not methods_agree:
        detail.append(
            Reason(
                f"TOPSIS, the cross-check method, puts {option_name(topsis_best, ctx.names)} first instead, so the "
                + ("companion" if topsis_best.option.primary == leader.option.primary else "pick")
                + " depends on how the criteria are combined.",
                "context",
            )
        )
    if not detail:
        detail.append(Reason(SCALE_LINE, "context"))
    return Recommendation(
        leader.option.primary,
        leader.frameworks,
        margin,
        sens.robustness,
        verdict,
        sentence,
        tuple(r.text for r in detail),
        leader.stack,
        tuple(detail),
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
