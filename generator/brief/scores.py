"""Options considered and decision drivers: the options table and chart, what was ruled out and
why, the weights and why each criterion weighs what it does, the score matrix."""

from __future__ import annotations

import math
import re

from generator.brief.context import _Ctx, _bullets, _count, _p, pct
from generator.document import Bar, Block, Chart, Table, Text
from generator.scoring.stacks import INTEGRATION_COST
from generator.wording import after_colon, decimals, join_and, level, points, sentence_of


def _criteria_order(ctx: _Ctx) -> list[str]:
    """One criterion order for every table: heaviest first, ties in the knowledge base's order."""
    order = [w.criterion for w in ctx.a.weights]
    return sorted(order, key=lambda c: (-round(ctx.weights.get(c, 0.0), 9), order.index(c)))


def _criterion_rank(ctx: _Ctx) -> dict[str, int]:
    return {c: i for i, c in enumerate(_criteria_order(ctx))}


def _matrix(ctx: _Ctx, opts: list, criteria: list[str], caption: str, knocked: list[str] = ()) -> Table:
    """Options (and, in the appendix, ruled-out frameworks) as columns, criteria as rows."""
    order = [w.criterion for w in ctx.a.weights]
    header = ("Criterion", "Weight", *(ctx.short(o.key) for o in opts), *(f"{ctx.short(f)} (ruled out)" for f in knocked))
    rows = []
    highlight = []
    n = len(opts)
    for r, cid in enumerate(criteria):
        i = order.index(cid)
        scores = [o.levels[i] for o in opts]
        out = [ctx.a.cells[(f, cid)].score if (f, cid) in ctx.a.cells else 0.0 for f in knocked]
        rows.append((ctx.crit(cid), pct(ctx.weights.get(cid, 0.0)), *(level(s) for s in scores), *(level(s) for s in out)))
        best = max(scores) if scores else 0
        # Only options that can be chosen are highlighted: a ruled-out framework is never "best".
        highlight += [(r, 2 + k) for k, s in enumerate(scores) if s == best and best > 0]
    if any(o.levels[order.index(c)] < 0 for o in opts for c in criteria):
        # Scoring charges every extra tool in full (see generator/scoring/assess.py, step 4); say why a
        # number leaves the 0-5 scale instead of printing it unexplained.
        caption += (
            f" A combination of tools can score below 0 on ease of use and operational overhead: each tool beyond "
            f"the first costs {level(INTEGRATION_COST)} point there, even where its weakest part already scores 0."
        )
    totals = [o.score for o in opts]
    rows.append(("Total (0-100)", "100%", *(points(s) for s in totals), *(points(ctx.ranked[f].score) for f in knocked)))
    if totals:
        highlight.append((len(rows) - 1, 2 + totals.index(max(totals))))
    return Table(
        header,
        tuple(rows),
        caption=caption,
        widths=(2.6, 1.1, *([1.5] * (n + len(knocked)))),
        align=("left", "right", *(["right"] * (n + len(knocked)))),
        highlight=tuple(highlight),
        muted_rows=(),
    )


ROLE_WORDS = {"recommended": "Recommended", "runner_up": "Runner-up", "option": "Alternative"}


def _role(ctx: _Ctx, o) -> str:
    lead = ctx.options.get(ctx.a.sensitivity.leader)
    if o.role == "option" and lead is not None and o.frameworks[0] == lead.frameworks[0]:
        return "Variant"
    return ROLE_WORDS[o.role]


def _shown_options(ctx: _Ctx) -> list:
    """The recommendation and the runner-up, then the best of the rest; shown best score first."""
    viable = ctx.options.viable
    shown = list(viable[: ctx.tpl.limit("shortlist")])
    return sorted(shown, key=lambda o: (o.role != "recommended", -round(o.score, 9)))


def _scores(ctx: _Ctx) -> list[Block]:
    """Options considered: the options that can be chosen, then the ones ruled out, apart."""
    a, opts = ctx.a, ctx.options
    shown = _shown_options(ctx)
    blocks: list[Block] = []
    if shown:
        rows = []
        for o in shown:
            row = (_role(ctx, o), ctx.name(o.key), points(o.score))
            rows.append(row + ((decimals(o.topsis, 2),) if ctx.technical else ()))
        header = ("Role", "Option", "Score") + (("Cross-check",) if ctx.technical else ())
        more = len(opts.viable) - len(shown)
        caption = "Weighted score out of 100" + (" and the TOPSIS cross-check (closeness 0-1)" if ctx.technical else "") + "."
        if any(_role(ctx, o) == "Variant" for o in shown):
            caption += " A variant uses the recommended main framework with fewer or other companions; the runner-up is the best option built on a different main framework."
        if more:
            # A framework alone is an option but no combination: call the hidden ones what they are.
            hidden = [o for o in opts.viable if o not in shown]
            noun = "combination" if all(len(o.frameworks) > 1 for o in hidden) else "option"
            caption += f" {_count(more, f'further {noun}')} with a lower score {'is' if more == 1 else 'are'} not shown."
        blocks.append(
            Table(
                header,
                tuple(rows),
                caption=caption,
                widths=(1.3, 4.4, 0.9) + ((1.1,) if ctx.technical else ()),
                align=("left", "left", "right") + (("right",) if ctx.technical else ()),
                highlight=((0, 1), (0, 2)) if shown[0].role == "recommended" else (),
            )
        )
        blocks.append(
            Chart(
                "bar",
                "Total score by option (0-100)",
                tuple(Bar(ctx.short(o.key), round(o.score, 1)) for o in shown),
                100.0,
                "points",
                alt_text="Bar chart of each option's weighted total out of 100: "
                + "; ".join(f"{ctx.name(o.key)} {points(o.score)}" for o in shown)
                + ".",
            )
        )
    notes = []
    listed = set(a.profile.frameworks)
    outside = sorted({f for o in shown for f in o.key.split("+") if f not in listed}, key=ctx.name)
    if outside:
        are = "is" if len(outside) == 1 else "are"
        notes.append(
            f"{join_and([ctx.name(f) for f in outside])} {are} not on the profile's shortlist: "
            + ("it appears only as a companion that covers" if len(outside) == 1 else "they appear only as companions that cover")
            + " a need of a shortlisted framework."
        )
    for f in opts.companions:
        if not ctx.ranked.get(f) or not ctx.ranked[f].knocked_out:
            continue  # not viable alone only for want of a companion: the next note says so
        r = ctx.ranked.get(f)
        why = f": alone, {after_colon(r.knockouts[0].rstrip('.'))}" if r and r.knockouts else ""
        notes.append(f"{ctx.name(f)} is used only as a companion inside the options above{why}.")
    partial = [r.framework for r in a.ranking if r.needs_companion and not r.knocked_out]
    if partial:
        verb = "meets" if len(partial) == 1 else "meet"
        notes.append(f"{join_and([ctx.name(f) for f in partial])} {verb} every must-have need fully only with a companion, so only {'its combinations are' if len(partial) == 1 else 'their combinations are'} options.")
    if ctx.technical and a.recommendation.stack_detail is not None:
        notes.append(f"How the recommended combination was built: {a.recommendation.stack_detail.reason}{ctx.cite(a.recommendation.stack_detail.sources)}")
    if notes:
        blocks.append(_bullets(notes))
    if opts.ruled_out:
        blocks.append(_p(Text("Ruled out", bold=True), " (cannot meet a must-have need, breaks a hard constraint, does not fit the team's infrastructure "
                                 "(infrastructure fit 1 of 5 or less on the facts alone) or cannot work beside a tool the team keeps):"))
        blocks.append(_ruled_out_table(ctx))
    return blocks


def _ruled_out_table(ctx: _Ctx) -> Table:
    """One row per reason naming every framework it excludes (the short brief: each framework's first
    reason), or in the technical brief one row per framework with all its reasons."""
    rows = []
    if ctx.technical:
        for f in ctx.options.ruled_out:
            ks = [k for k in ctx.a.knockouts if k.framework == f]
            # A hard constraint says enough; the scores of a framework it already excludes are beside the point.
            ks = [k for k in ks if k.rule is not None] or ks
            sources = tuple(dict.fromkeys(sid for k in ks for sid in k.sources))
            why = ks[0].reason
            if len(ks) > 1:
                # The first constraint is argued in full; the others are named by their cause (each is
                # argued in full among the inputs that drive the result).
                also = [after_colon(k.reason.rstrip(".").split(", so ", 1)[0], tuple(ctx.a.names.values())) for k in ks[1:]]
                why = f"{sentence_of(why)} Also ruled out because: {'; '.join(also)}."
            rows.append((ctx.name(f), why + ctx.cite(sources)))
    else:
        by_reason: dict[str, list] = {}
        for f in ctx.options.ruled_out:
            k = next((k for k in ctx.a.knockouts if k.framework == f), None)
            if k is not None:
                by_reason.setdefault(k.reason, []).append(k)
        for reason, ks in by_reason.items():
            sources = tuple(dict.fromkeys(sid for k in ks for sid in k.sources))
            rows.append((join_and([ctx.name(k.framework) for k in ks]), reason + ctx.cite(sources)))
    return Table(("Ruled out", "Why"), tuple(rows), widths=(1.6, 5), muted_rows=tuple(range(len(rows))))


def _drivers(ctx: _Ctx) -> list[Block]:
    """What the decision weighs, why, and how the options score on it."""
    weighted = [c for c in _criteria_order(ctx) if ctx.weights.get(c, 0) > 0]
    shown = weighted[: ctx.tpl.limit("criteria")]
    wmap = {w.criterion: w for w in ctx.a.weights}
    rows = tuple((ctx.crit(c), pct(ctx.weights[c]), _weight_why(ctx, wmap[c])) for c in shown)
    blocks: list[Block] = [
        Table(("Criterion", "Weight", "Why it weighs this much"), rows, widths=(2, 0.8, 4.2), align=("left", "right", "left"))
    ]
    opts = _shown_options(ctx)
    if opts:
        notes = ["Scores 0-5; the best option in each row is highlighted."]
        if len(shown) < len(weighted):
            notes.append(f"The {len(shown)} heaviest of {len(weighted)} weighted criteria are shown.")
        if "appendix" in {s.id for s in ctx.tpl.sections}:
            notes.append("Every framework and criterion is in the appendix.")
        blocks.append(_matrix(ctx, opts, shown, " ".join(notes)))
    return blocks


_NEED = re.compile(r"^.+ is (a .+ need|not needed)$")
_PRIORITY = re.compile(r"^Its priority is set to ([0-9.]+) of 10\b")


# Facts that moved a weight, shown per criterion in the executive brief; the technical brief
# lists them all (the scalability of a large GPU platform has eight).
EXECUTIVE_WEIGHT_FACTS = 2


def _weight_why(ctx: _Ctx, w) -> str:
    """Scoring's weight reasons in a reader's words: the need or standard weight it starts from, then each
    fact of this profile that raised or lowered it, the goals and priorities; no rule ids or internal weights.
    The executive brief names the facts that moved the weight most and counts the others."""
    factors = {}
    for rule in ctx.kb.rules:
        for e in rule.effects:
            if e.kind == "weight" and e.criterion == w.criterion:
                factors[rule.id] = e.factor
    rule_reasons = dict(zip(w.reasons[1 : 1 + len(w.rules)], w.rules))
    out = []
    moved: list[tuple[float, int]] = []  # (how far a fact moved the weight, its place in out)
    for r in w.reasons:
        r = r.strip().rstrip(".")
        m = _NEED.match(r)
        if m:
            out.append(m.group(1).replace(" (nice to have)", ""))
        elif r.endswith("starts from its default weight"):
            out.append("its standard weight")
        elif _PRIORITY.match(r):
            out.append(f"set to priority {_PRIORITY.match(r).group(1)} of 10 in the profile")
        elif r + "." in rule_reasons or r in rule_reasons:
            rid = rule_reasons.get(r + ".", rule_reasons.get(r))
            factor = factors.get(rid, 1.0)
            verb = "raised" if factor > 1 else "lowered" if factor < 1 else "kept"
            moved.append((abs(math.log(factor)) if factor > 0 else 0.0, len(out)))
            out.append(f"{verb}: {after_colon(r, tuple(ctx.a.names.values()))}")
        else:
            out.append(after_colon(r, tuple(ctx.a.names.values())))
    if not ctx.technical and len(moved) > EXECUTIVE_WEIGHT_FACTS + 1:
        # stable: of equally strong facts, the knowledge base's first ones stay
        keep = {i for _, i in sorted(moved, key=lambda m: -m[0])[:EXECUTIVE_WEIGHT_FACTS]}
        dropped = sorted({i for _, i in moved} - keep)
        verbs = {out[i].split(":", 1)[0] for i in dropped}
        how = {"raised": "raise it too", "lowered": "lower it too"}.get(verbs.pop() if len(verbs) == 1 else "", "move it too")
        out = [t for i, t in enumerate(out) if i not in dropped]
        out.append(f"{_count(len(dropped), 'other fact')} of this profile {how}")
    text = "; ".join(out)
    return text[:1].upper() + text[1:]
