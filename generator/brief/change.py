"""What would change the decision: the weights at which the runner-up would lead, in words and
as a chart."""

from __future__ import annotations

import math

from generator.brief.context import _Ctx, _bullets, _p, pct
from generator.brief.scores import _criterion_rank
from generator.document import Bar, Block, Chart
from generator.wording import count, join_and, level_on_score, mid

LEVEL_CRITERIA_NAMED = 3  # per side, heaviest first, where the top two are level


def flip_sentences(ctx: _Ctx) -> list[tuple[float, str]]:
    """(distance, sentence) per flip that can happen, e.g. 'If cost mattered more than 31% of the total weight, Kubeflow would lead.'"""
    runner = ctx.name(ctx.a.sensitivity.runner_up)
    return [(_distance(f), f"If {ctx.flip_condition(f)}, {runner} would lead.") for f in _real_flips(ctx)]


def _distance(flip) -> float:
    """How far a weight must move to flip the pick, as a factor (halving and doubling are as far): the random trials
    vary each weight by a factor too, so a criterion at 8% that flips at 4% is nearer than one at 1% that flips at 5%."""
    return abs(math.log(max(flip.flip_at, 1e-9) / max(flip.weight, 1e-9)))


def _level(ctx: _Ctx) -> bool:
    """Whether the top two are level to the tenth of a point printed: every weight then flips the pick where it
    stands, in a direction no flip point can say ("if ease of use mattered less than 26.09% (now 26.09%)")."""
    return ctx.a.sensitivity.runner_up is not None and level_on_score(ctx.a.recommendation.margin)


def _real_flips(ctx: _Ctx) -> list:
    """The runner-up's flips a reader could bring about (_Ctx.settable), nearest first; none between level options."""
    if ctx.a.sensitivity.runner_up is None or _level(ctx):
        return []
    return sorted((f for f in ctx.a.sensitivity.flips if ctx.settable(f)), key=_distance)


def _level_sentence(ctx: _Ctx) -> str:
    """Which way each side gains when the top two are level: the heaviest criteria each is stronger on."""
    sens = ctx.a.sensitivity
    leader, runner = ctx.name(sens.leader), ctx.name(sens.runner_up)

    def stronger(key: str) -> str:
        flips = sorted((f for f in sens.flips if f.favours == key and ctx.settable(f)), key=lambda f: -f.weight)
        return join_and([mid(ctx.crit(f.criterion)) for f in flips[:LEVEL_CRITERIA_NAMED]])

    sides = [f"{name} on {crits}" for name, crits in ((runner, stronger(sens.runner_up)), (leader, stronger(sens.leader)))
             if crits]
    return (f"{leader} and {runner} are level on score, so a little more weight on any criterion where one of them is "
            "stronger puts it first" + (f": {'; '.join(sides)}." if sides else "."))


def range_legend(leader: str, runner_up: str) -> str:
    """What the sensitivity chart's marks mean: every band runs to one end of the scale, which
    read alone looks like a weight of 0% or 100%."""
    return (
        f"Dark mark: the criterion's weight now. Shaded band: the weights it can take, the others "
        f"rescaled to keep the total at 100%, with {leader} still ahead of {runner_up}. {runner_up} "
        "overtakes where the band ends inside the scale; a band that runs to 0% or 100% means no lower "
        "or higher weight of that criterion changes the pick."
    )


def _change(ctx: _Ctx) -> list[Block]:
    sens = ctx.a.sensitivity
    if not sens.leader:
        return [_p("With no viable option there is no decision to change.")]
    blocks: list[Block] = []
    if sens.runner_up:
        blocks.append(
            _p(
                f"{ctx.name(sens.leader)} stays ahead of {sens.rivals} in {pct(sens.robustness)} of {count(sens.samples)} trials in which every "
                "criterion's weight was varied at random between half and one and a half times its value."
            )
        )
    sentences = flip_sentences(ctx)[: ctx.tpl.limit("changes")]
    if sentences:
        blocks.append(_bullets(s for _, s in sentences))
    elif _level(ctx):
        blocks.append(_p(_level_sentence(ctx)))
    elif sens.runner_up:
        blocks.append(
            _p(f"No change to a single weight makes {ctx.name(sens.runner_up)} overtake {ctx.name(sens.leader)}.")
        )
    else:
        blocks.append(_p("No other option meets every must-have need, so no weight change alters the pick."))
    # The chart draws the flips the sentences name, so text and chart tell one story, in the brief's
    # one criterion order.
    rank = _criterion_rank(ctx)
    nearest = _real_flips(ctx)[: min(len(sentences), ctx.tpl.limit("range_bars"))]
    flips = sorted(nearest, key=lambda f: rank.get(f.criterion, len(rank)))
    if flips:
        lows, highs, bars = [], [], []
        for f in flips:
            lo, hi = (0.0, f.flip_at) if f.flip_at > f.weight else (f.flip_at, 1.0)
            lows.append(round(lo * 100, 1))
            highs.append(round(hi * 100, 1))
            edge = f.flip_at
            now_text, edge_text = ctx.weight_pair(f.criterion, f.weight, edge)
            bars.append(Bar(ctx.crit(f.criterion), round(f.weight * 100, 1), f"now {now_text}, flips at {edge_text}"))
        blocks.append(
            Chart(
                "range",
                f"Weights at which {ctx.name(sens.runner_up)} would overtake {ctx.name(sens.leader)}",
                tuple(bars),
                100.0,
                "%",
                alt_text="For each criterion that can flip the decision, the current weight (marker) and the band in which "
                "the recommendation holds: " + "; ".join(f"{b.label} {b.note}" for b in bars) + ".",
                low=tuple(lows),
                high=tuple(highs),
                legend=range_legend(ctx.name(sens.leader), ctx.name(sens.runner_up)),
            )
        )
    return blocks
