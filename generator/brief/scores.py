"""Options considered and decision drivers: the options table and chart, what was ruled out and
why, the weights and why each criterion weighs what it does, the score matrix."""

from __future__ import annotations

import math
import re

from generator.brief.context import _Ctx, _bullets, _count, _p, scale_notes, stakeholder_priorities
from generator.brief.options import WEIGHTED_MEAN
from generator.document import Bar, Block, Chart, Table, Text
from generator.scoring.assessment import IDLE_CAUSE, STAKEHOLDERS_COMBINED
from generator.profile.model import CAPABILITIES
from generator.scoring.explain import TOTAL_SCALE, knockout_cause
from generator.scoring.fit import CRITERION as TOOL_FIT
from generator.scoring.stacks import FIT_CRITERION, MUST_LEVEL, handed_musts
from generator.scoring.rules import field_label
from generator.scoring.sensitivity import Option as SensitivityOption, flips
from generator.wording import after_colon, cause_of, decimals, gap, join_and, join_or, level, mid, points, sentence_of, whole_percent, without_asides


def _criteria_order(ctx: _Ctx) -> list[str]:
    """One criterion order for every table: heaviest first, ties in the knowledge base's order."""
    order = [w.criterion for w in ctx.a.weights]
    return sorted(order, key=lambda c: (-round(ctx.weights.get(c, 0.0), 9), order.index(c)))


def _criterion_rank(ctx: _Ctx) -> dict[str, int]:
    return {c: i for i, c in enumerate(_criteria_order(ctx))}


# A table whose columns, multiplied out at the printed weights, miss their totals by this many points or more says so.
ROUNDING_NOTE_FROM = 0.5


def _multiplied_out(rows: list[tuple[str, ...]]) -> list[float]:
    """Each column of a score table as a reader multiplies it out from the printed rows: weight times level, summed
    (the last row, the totals, left out); a weight printed "<1%" counts as 0, as a reader would count it."""
    *body, total = rows
    def pct(cell: str) -> float:
        return 0.0 if cell.startswith("<") else float(cell.rstrip("%"))
    return [20 * sum(pct(r[1]) / 100 * float(r[col]) for r in body) for col in range(2, len(total))]


def _rounding_miss(sums: list[float], totals: list[float]) -> float:
    """How far a score table's columns multiplied out (``sums``) miss its printed ``totals``."""
    return max((abs(m - t) for m, t in zip(sums, totals)), default=0.0)


# A table whose first two columns, multiplied out, differ by this much more or less than their printed totals says
# so: NAVER's printed 72.6 against 72.0 summed to 72.6 against 72.4, a third of the lead page 1 argues from.
MARGIN_NOTE_FROM = 0.3


def _margin_miss(sums: list[float], totals: list[float]) -> float:
    """How far the first two columns' lead, multiplied out, is from the printed totals' lead."""
    if len(sums) < 2:
        return 0.0
    return abs((sums[0] - sums[1]) - (totals[0] - totals[1]))


def _reversed_pair(sums: list[float], totals: list[float], names: list[str]) -> tuple[str, str] | None:
    """Two neighbouring columns whose printed totals rank them one way and the printed rows, multiplied out, the
    other: then whole percents decide what the reader's own sum says, which the caption must admit."""
    for i in range(min(len(names), len(sums)) - 1):
        if totals[i] > totals[i + 1] and sums[i] < sums[i + 1]:
            return names[i], names[i + 1]
    return None


def _matrix(ctx: _Ctx, opts: list, criteria: list[str], caption: str, knocked: list[str] = (), among: list | None = None) -> Table:
    """Options (and, in the appendix, ruled-out frameworks) as columns, criteria as rows.

    A cell is highlighted when it is the best of ``among`` (default: the options shown), so a table split into
    parts marks the best of all the options, not of the part: a part holding one option would mark all of it."""
    among = opts if among is None else among
    order = [w.criterion for w in ctx.a.weights]
    left_out = [w.criterion for w in ctx.a.weights if w.criterion not in criteria and w.value > 0]
    if len(left_out) == 1 and not knocked:
        criteria = [*criteria, *left_out]  # one criterion is its own row, not "1 other criteria (weighted mean)"
    header = ("Criterion", "Weight", *(ctx.short(o.key) for o in opts), *(f"{ctx.short(f)} (ruled out)" for f in knocked))
    rows = []
    highlight = []
    n = len(opts)
    for r, cid in enumerate(criteria):
        i = order.index(cid)
        scores = [o.levels[i] for o in opts]
        out = [ctx.a.cells[(f, cid)].score if (f, cid) in ctx.a.cells else 0.0 for f in knocked]
        rows.append((ctx.crit(cid), ctx.weight(cid), *(level(s) for s in scores), *(level(s) for s in out)))
        best = max((o.levels[i] for o in among), default=0)
        # Only options that can be chosen are highlighted: a ruled-out framework is never "best".
        highlight += [(r, 2 + k) for k, s in enumerate(scores) if s == best and best > 0]
    # Say why a printed number leaves the whole levels 0 to 5 instead of printing it unexplained.
    shown = [o.levels[order.index(c)] for o in opts for c in criteria]
    shown += [ctx.a.cells[(f, c)].score for f in knocked for c in criteria if (f, c) in ctx.a.cells]
    notes = scale_notes(shown)
    caption += f" {notes}" if notes else ""
    if knocked:
        # A reader found ruled-out platforms totalling more than the runner-up and took it for a flaw in the scoring.
        caption += (" A ruled-out framework's total is what it would score: it is ruled out whatever its score, for the "
                    "reason Options considered gives.")
    rest = [w for w in ctx.a.weights if w.criterion not in criteria and w.value > 0]
    if rest and not knocked:
        # A table of the heaviest criteria still totals over all of them: the rest is one row, each option's
        # weighted mean level there, so the rows multiply out to the total as every other row does.
        share = sum(w.value for w in rest)
        # The printed weights add up to 100%, so the rest's is what the shown rows leave.
        rest_pct = 100 - sum(whole_percent(ctx.weight(c)) for c in criteria)
        weight = f"{rest_pct}%" if rest_pct > 0 else "<1%"
        rows.append((
            f"{len(rest)} other criteria {WEIGHTED_MEAN}",
            weight,
            *(level(sum(w.value * o.levels[order.index(w.criterion)] for w in rest) / share) for o in opts),
        ))
    totals = [o.score for o in opts]
    rows.append(("Total (0-100)", "100%", *(points(s) for s in totals), *(points(ctx.ranked[f].score) for f in knocked)))
    sums, printed = _multiplied_out(rows), [float(t) for t in rows[-1][2:]]
    miss = _rounding_miss(sums, printed)
    swapped = _reversed_pair(sums, printed, [ctx.short(o.key) for o in opts])
    if miss >= ROUNDING_NOTE_FROM or swapped or _margin_miss(sums, printed) >= MARGIN_NOTE_FROM:
        # A reader who multiplies a column out checks the table; say how far whole percents alone take it, and
        # when that is enough to put two options the other way round (a 0.1-point lead read as reversed).
        caption += (f" Weights are printed in whole percents, so a column multiplied out can miss its total by up to "
                    f"{points(miss)} points")
        caption += f", enough to swap {swapped[0]} and {swapped[1]}." if swapped else "."
    top = max((o.score for o in among), default=None)
    if totals and top is not None and max(totals) >= top:
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
    # An option with the recommended main framework in it, first or beside another, is never the rival the
    # runner-up is drawn from (generator.scoring.assess), so it is not called an alternative to the pick; unless
    # every option has it, when the runner-up is drawn from them all and each is an alternative.
    main = lead.frameworks[0] if lead is not None else None
    if o.role == "option" and main in o.frameworks and not all(main in v.frameworks for v in ctx.options.viable):
        return "Variant"
    return ROLE_WORDS[o.role]


def _shown_options(ctx: _Ctx) -> list:
    """The recommendation and the runner-up, then the best of the rest; shown best score first."""
    viable = ctx.options.viable
    shown = list(viable[: ctx.tpl.limit("shortlist")])
    return sorted(shown, key=lambda o: (o.role != "recommended", -round(o.score, 9)))


VARIANT_CRITERIA = 3  # criteria named on each side of the closest variant's comparison
IDLE_NAMED = 3  # frameworks that are no option for want of a role, each said with its companions; more: one sentence


def _variant_note(ctx: _Ctx) -> str:
    """Why these companions: what a recommended combination gains and gives up against its closest variant, the
    same main framework with other companions or none ("Weights & Biases rather than MLflow beside Kubeflow").
    Only the gains are given in points: a gain's worth is what the weights make of it, and the losses are
    named so that nothing traded away is hidden."""
    rec = next((o for o in ctx.options.viable if o.role == "recommended"), None)
    variant = next((o for o in ctx.options.viable if o is not rec and o.role == "option" and o.frameworks[0] == rec.frameworks[0]), None) \
        if rec is not None else None
    # Only a combination raises the question: a single framework is argued against every option on page 1.
    if rec is None or variant is None or len(rec.frameworks) < 2:
        return ""
    order = [w.criterion for w in ctx.a.weights]
    worth = {
        c: (a - b) * ctx.weights.get(c, 0.0) * TOTAL_SCALE
        for c, a, b in zip(order, rec.levels, variant.levels)
        if a != b and ctx.weights.get(c, 0.0) > 0
    }
    gains = sorted((c for c in worth if worth[c] >= 0.05), key=lambda c: (-worth[c], order.index(c)))[:VARIANT_CRITERIA]
    losses = sorted((c for c in worth if worth[c] <= -0.05), key=lambda c: (worth[c], order.index(c)))[:VARIANT_CRITERIA]
    if not gains:
        return ""
    lv = dict(zip(order, zip(rec.levels, variant.levels)))
    added = [f for f in rec.frameworks if f not in variant.frameworks]
    dropped = [f for f in variant.frameworks if f not in rec.frameworks]
    lead = ctx.name(rec.frameworks[0])
    if added and dropped:
        head = f"{join_and([ctx.name(f) for f in added])} rather than {join_and([ctx.name(f) for f in dropped])} beside {lead}"
    elif added and len(variant.frameworks) == 1 and all(f in ctx.a.profile.current.keep for f in added):
        head = f"{lead} beside the {join_and([ctx.name(f) for f in added])} the team keeps rather than {lead} alone"
    elif added:
        head = f"{join_and([ctx.name(f) for f in added])} beside {lead} rather than {lead} alone" if len(variant.frameworks) == 1 \
            else f"{join_and([ctx.name(f) for f in added])} added to {ctx.name(variant.key)}"
    else:
        head = f"{ctx.name(rec.key)} without {join_and([ctx.name(f) for f in dropped])}"
    first, *more = gains
    said = [f"{mid(ctx.crit(first))} ({level(lv[first][0])} of 5 against {level(lv[first][1])}, worth {points(worth[first])} points)"]
    said += [f"{mid(ctx.crit(c))} ({level(lv[c][0])} against {level(lv[c][1])}, {points(worth[c])} points)" for c in more]
    behind = f"{ctx.name(variant.key)}, {points(gap(rec.score, variant.score))} points behind"
    text = f"{head}: the recommendation leads on {join_and(said)}"
    if not losses:
        text += f", and {ctx.name(variant.key)}, {points(gap(rec.score, variant.score))} points behind, scores higher on no criterion the team weighs."
    else:
        given = [f"{mid(ctx.crit(c))} ({level(lv[c][1])} against {level(lv[c][0])})" for c in losses]
        text += f"; {behind}, scores higher on {join_and(given)}."
        text += _variant_flip(ctx, rec, variant, losses)
    # A level off the whole numbers 0 to 5 is explained where it is printed, as under every table.
    notes = scale_notes([x for c in (*gains, *losses) for x in lv[c]])
    return f"{text} {notes}" if notes else text


def _variant_flip(ctx: _Ctx, rec, variant, losses: list[str]) -> str:
    """" Kubeflow + MLflow would lead if model registry mattered more than 13% of the total weight (now 4%).": the
    nearest weight, on a criterion the variant is stronger on, at which the variant would overtake (as the brief
    says of the runner-up)."""
    order = [w.criterion for w in ctx.a.weights]
    pair = (SensitivityOption(o.key, o.frameworks[0], o.levels) for o in (rec, variant))
    found = [f for f in flips(order, [ctx.weights.get(c, 0.0) for c in order], *pair) if f.criterion in losses and ctx.settable(f)]
    if not found:
        return ""
    f = min(found, key=lambda f: (abs(f.flip_at - f.weight), order.index(f.criterion)))
    return f" {ctx.name(variant.key)} would lead if {ctx.flip_condition(f)}."


NAMED_STAKEHOLDERS = 3  # a weight's "raised by the priorities of ..." names this many, then counts the rest
HIDDEN_NAMED = 3  # up to this many options left out of the options table are named in its caption


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
            caption += " A variant includes the recommended main framework, with other companions or none; the runner-up is the best option without it."
        if more:
            hidden = [o for o in opts.viable if o not in shown]
            # The runner-up is always shown, so a hidden variant of the pick can score above the lowest row.
            lower = all(o.score <= min(x.score for x in shown) + 1e-9 for o in hidden)
            if more <= HIDDEN_NAMED:
                # A few hidden options are named, so that every framework the team asked about is accounted for.
                caption += (" Not shown, with lower scores: " if lower else " Not shown: ") + join_and(
                    [f"{ctx.name(o.key)} ({points(o.score)})" for o in hidden]) + "."
            else:
                # A framework alone is an option but no combination: call the hidden ones what they are.
                noun = "combination" if all(len(o.frameworks) > 1 for o in hidden) else "option"
                caption += f" {_count(more, f'further {noun}')}{' with a lower score' if lower else ''} are not shown"
                # Named among them: those built on a framework no shown option uses, so that every framework the team
                # asked about is still accounted for.
                in_view = {f for o in shown for f in o.frameworks}
                new = [o for o in hidden if not set(o.frameworks) <= in_view][:HIDDEN_NAMED]
                caption += (", among them " + join_and([f"{ctx.name(o.key)} ({points(o.score)})" for o in new]) + "."
                            if new else ".")
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
                tuple(Bar(ctx.short(o.key), round(o.score, 1), highlight=o.role == "recommended") for o in shown),
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
            f"{join_and([ctx.name(f) for f in outside])} {are} not on the team's shortlist: "
            + ("it appears only as a companion that covers" if len(outside) == 1 else "they appear only as companions that cover")
            + " a need of a shortlisted framework."
        )
    for f in opts.companions:
        if not ctx.ranked.get(f) or not ctx.ranked[f].knocked_out:
            continue  # not viable alone only for want of a companion: the next note says so
        r = ctx.ranked.get(f)
        why = f": alone, {after_colon(r.knockouts[0].rstrip('.'))}" if r and r.knockouts else ""
        notes.append(f"{ctx.name(f)} is an option only together with another tool{why}.")
    partial = [r for r in a.ranking if r.needs_companion and not r.knocked_out]
    in_options = {f for o in opts.viable for f in o.frameworks}
    combined = [r.framework for r in partial if not r.carries_no_need and r.framework in in_options]
    # With a companion each must-have reaches 3 of 5, but every combination does one only adequately where a
    # companion it leaves out does it fully (the rule of generator.scoring.stacks): no combination is an option.
    unmatched = [r.framework for r in partial if not r.carries_no_need and r.framework not in in_options]
    if combined:
        verb = "meets" if len(combined) == 1 else "meet"
        notes.append(
            f"{join_and([ctx.name(f) for f in combined])} {verb} every must-have need only together with a companion, "
            f"so only {'its combinations are' if len(combined) == 1 else 'their combinations are'} options."
        )
    if unmatched:
        notes.append(_no_option(ctx, unmatched, lambda one: (
            f", and every combination of {'it' if one else 'them'} does a must-have need only adequately where a "
            "documented companion left out of it does that job fully")))
    idle = [r for r in partial if r.carries_no_need]
    if 0 < len(idle) <= IDLE_NAMED:
        # With their companions and the need they lack, one sentence for those that lack the same: "needs a companion
        # for a must-have need, and that companion already does everything else the team asked of it" named
        # neither, and readers could not check it.
        groups: dict[tuple, list[str]] = {}
        for r in idle:
            gaps = handed_musts(r.framework, [c for c in CAPABILITIES if a.profile.needs.get(c) == "must"], a.cells)
            groups.setdefault((tuple(r.needs_companion), gaps), []).append(r.framework)
        for (comps, gaps), fids in groups.items():
            one = len(fids) == 1
            needs = f" for {join_and([mid(ctx.crit(c)) for c in gaps])}" if gaps else " for a must-have need"
            notes.append(
                f"{join_and([ctx.name(f) for f in fids])} {'is not an option' if one else 'are not options'}, alone or "
                f"combined: {'it needs' if one else 'each needs'} {join_or([ctx.name(f) for f in comps])}{needs}, "
                f"which already {'does' if len(comps) == 1 else 'do'} every other must- or should-have need "
                f"{'it does' if one else 'they do'}."
            )
    elif idle:
        # Said in two short clauses: "meet every must-have need only with a companion, and that companion would also
        # do every must- and should-have need they do, leaving them nothing ..." was a sentence readers could not parse.
        notes.append(
            f"{join_and([ctx.name(r.framework) for r in idle])} are not options, alone or combined: each needs a "
            "companion for a must-have need, and that companion already does every other must- or should-have need "
            "it does."
        )
    variant = _variant_note(ctx)
    if variant:
        notes.append(variant)
    if ctx.technical and a.recommendation.stack_detail is not None:
        notes.append(f"How the recommended combination was built: {a.recommendation.stack_detail.reason}{ctx.cite(a.recommendation.stack_detail.sources)}")
    if notes:
        blocks.append(_bullets(notes))
    if opts.ruled_out:
        causes = _knockout_causes(ctx)
        each = "each because it" if len(ctx.options.ruled_out) > 1 else "because it"
        blocks.append(_p(Text("Ruled out", bold=True), f", {each} {join_or(causes)}:"))
        blocks.append(_ruled_out_table(ctx))
    return blocks


def _no_option(ctx: _Ctx, fids: list[str], why, end: str = "") -> str:
    """"ZenML and Kedro meet every must-have need only with a companion<why>, so neither is an option<end>.": the
    sentence for frameworks that need a companion and yet are in no option, ``why`` given whether one is named."""
    one, two = len(fids) == 1, len(fids) == 2
    return (
        f"{join_and([ctx.name(f) for f in fids])} {'meets' if one else 'meet'} every must-have need only with a companion"
        f"{why(one)}, so {'it is not' if one else 'neither is' if two else 'none of them is'} an option{end}."
    )


# Each cause of a knock-out as the heading over the ruled-out table names it, in this order.
_CAUSES = (
    ("must", "cannot meet a must-have need"),
    ("idle", IDLE_CAUSE),
    ("rule", "breaks a hard constraint"),
    ("fit", "does not fit the team's infrastructure (infrastructure fit 1 of 5 or less on the facts alone)"),
    ("kept", "cannot work beside a tool the team keeps"),
    ("replaced", "is what the team is replacing"),
)


def _shown_knockouts(ctx: _Ctx, f: str) -> list:
    """The knock-outs of ``f`` the ruled-out table gives: in the technical brief its hard constraints (they say
    enough) or else all, in the short brief its first."""
    ks = [k for k in ctx.a.knockouts if k.framework == f]
    if ctx.technical:
        return [k for k in ks if k.rule is not None] or ks
    return ks[:1]


def _knockout_causes(ctx: _Ctx) -> list[str]:
    """The causes of the knock-outs the ruled-out table gives, in _CAUSES order: the heading names what its rows
    hold, not every cause there could be."""
    cause = knockout_cause
    present = {cause(k) for f in ctx.options.ruled_out for k in _shown_knockouts(ctx, f)}
    return [words for key, words in _CAUSES if key in present]


def _one_row_per_unmet_must(ctx: _Ctx, by_reason: dict[str, list]) -> dict[str, list]:
    """The short brief's rows for frameworks ruled out by one must-have need they cannot do, merged into one row per
    need: "Governance and security is a must-have, but ZenML scores 2 of 5 on it and DVC and Kedro 1 ..."."""
    def must(k) -> bool:
        return k.rule is None and k.criterion is not None and k.criterion not in (FIT_CRITERION, TOOL_FIT)

    merged: dict[str, list] = {}
    for reason, ks in by_reason.items():
        group = [x for x in by_reason.values() if must(x[0]) and x[0].criterion == ks[0].criterion] if must(ks[0]) else [ks]
        if len(group) < 2:
            merged[reason] = ks
            continue
        if group[0] is not ks:
            continue  # merged into the first row of its need
        ks_all = [k for g in group for k in g]
        by_level: dict[float, list[str]] = {}
        for k in sorted(ks_all, key=lambda k: -ctx.a.cells[(k.framework, k.criterion)].score):
            by_level.setdefault(ctx.a.cells[(k.framework, k.criterion)].score, []).append(ctx.name(k.framework))
        said = [f"{join_and(n)} {'scores' if len(n) == 1 else 'each score'} {level(x)} of 5 on it" if i == 0 else
                f"{join_and(n)} {level(x)}" for i, (x, n) in enumerate(by_level.items())]
        text = (f"{ctx.crit(ks[0].criterion)} is a must-have, but {' and '.join(said) if len(said) == 2 else ', '.join(said)} "
                f"(a must-have needs at least {level(MUST_LEVEL)}), and no usable companion covers it for any of them.")
        merged[text] = ks_all
    return merged


def _ruled_out_table(ctx: _Ctx) -> Table:
    """One row per reason naming every framework it excludes (the short brief: each framework's first
    reason), or in the technical brief one row per framework with all its reasons."""
    rows = []
    if ctx.technical:
        for f in ctx.options.ruled_out:
            # A hard constraint says enough; the scores of a framework it already excludes are beside the point.
            ks = _shown_knockouts(ctx, f)
            sources = tuple(dict.fromkeys(sid for k in ks for sid in k.sources))
            why = ks[0].reason
            if len(ks) > 1:
                # The first constraint is argued in full; the others are named by their cause (each is
                # argued in full among the inputs that drive the result).
                also = [after_colon(cause_of(k.reason), tuple(ctx.a.names.values())) for k in ks[1:]]
                why = f"{sentence_of(why)} Also ruled out because: {'; '.join(also)}."
            rows.append((ctx.name(f), why + ctx.cite(sources)))
    else:
        by_reason: dict[str, list] = {}
        for f in ctx.options.ruled_out:
            for k in _shown_knockouts(ctx, f):
                by_reason.setdefault(k.reason, []).append(k)
        by_reason = _one_row_per_unmet_must(ctx, by_reason)
        # Page 1 argues the strongest rival's exclusion in full; here its claim is enough.
        on_page_one = " ".join(r.text for r in ctx.a.recommendation.detail if r.kind == "rival")
        for reason, ks in by_reason.items():
            sources = tuple(dict.fromkeys(sid for k in ks for sid in k.sources))
            if ": " in reason and reason in on_page_one:
                reason = f"{reason.split(': ', 1)[0]}; the summary gives the full reason."
            reason = without_asides(reason, tuple(ctx.a.names.values()))
            rows.append((join_and([ctx.name(k.framework) for k in ks]), reason + ctx.cite(sources)))
    return Table(("Ruled out", "Why"), tuple(rows), widths=(1.6, 5), muted_rows=tuple(range(len(rows))))


def _heaviest(ctx: _Ctx, weighted: list[str], limit: int) -> list[str]:
    """The ``limit`` heaviest criteria, in ``weighted``'s order. Of criteria whose printed weights tie at the cut, those
    on which the options shown differ most are shown: a reader who sees two rows of 7% asks why the one where the
    pick scores 1 of 5 went into "other criteria" (the knowledge base's order had decided)."""
    if len(weighted) <= limit:
        return weighted
    edge = ctx.weight(weighted[limit - 1])
    tied = [c for c in weighted if ctx.weight(c) == edge]
    if all(c in weighted[:limit] for c in tied):
        return weighted[:limit]
    order = [w.criterion for w in ctx.a.weights]
    levels = [o.levels for o in _shown_options(ctx)]

    def spread(cid: str) -> float:
        values = [lv[order.index(cid)] for lv in levels]
        return max(values, default=0.0) - min(values, default=0.0)

    sure = [c for c in weighted[:limit] if c not in tied]
    chosen = set(sure) | set(sorted(tied, key=lambda c: -spread(c))[: limit - len(sure)])
    return [c for c in weighted if c in chosen]


def _drivers(ctx: _Ctx) -> list[Block]:
    """What the decision weighs, why, and how the options score on it."""
    weighted = [c for c in _criteria_order(ctx) if ctx.weights.get(c, 0) > 0]
    heaviest = _heaviest(ctx, weighted, ctx.tpl.limit("criteria"))
    # The criteria page 1 argues from are shown too, so every reason there can be checked against its row.
    cited = {r.criterion for r in ctx.a.recommendation.detail if r.criterion}
    shown = [c for c in weighted if c in heaviest or c in cited]
    if len(weighted) - len(shown) == 1:
        # One criterion left is its own row in the score table (_matrix), so it is one in the weights table too.
        shown = weighted
    wmap = {w.criterion: w for w in ctx.a.weights}
    said: dict[str, tuple[str, str]] = {}
    rows = tuple((ctx.crit(c), ctx.weight(c), _weight_why(ctx, wmap[c], said)) for c in shown)
    views = ctx.a.stakeholders
    combined = (
        f"The weights combine the priorities of {_count(len(views), 'stakeholder')} "
        f"({join_and([ctx.user(v.name, 'stakeholders.name') for v in views])}) by their weighted geometric mean, "
        "each on top of the team's own weights and counting by its voice."
        if len(views) > 1 and ctx.technical else ""  # the executive brief says it on page 1
    )
    blocks: list[Block] = [
        Table(("Criterion", "Weight", "Why it weighs this much"), rows, widths=(2, 0.8, 4.2), align=("left", "right", "left"),
              caption=combined)
    ]
    opts = _shown_options(ctx)
    if opts:
        notes = ["Scores 0-5; the best option in each row is highlighted."]
        if len(shown) < len(weighted):
            also = len(shown) - len(heaviest)
            notes.append(
                f"Shown: the {len(heaviest)} heaviest of the {len(weighted)} weighted criteria"
                + (f" and {also} more the executive summary argues from" if also else "")
                + f"; the other {len(weighted) - len(shown)} are one row, each option's weighted mean level on them."
            )
        if "appendix" in {s.id for s in ctx.tpl.sections}:
            notes.append("Every option, every framework ruled out and every criterion is in the appendix.")
        blocks.append(_matrix(ctx, opts, shown, " ".join(notes)))
    if ctx.technical and len(ctx.a.stakeholders) > 1:
        blocks.append(_stakeholder_table(ctx))
    return blocks


def _stakeholder_table(ctx: _Ctx) -> Table:
    """Each stakeholder's voice, their own priorities, and the option their weights alone pick."""
    rows = []
    for v in ctx.a.stakeholders:
        wants = stakeholder_priorities(ctx, v.name)
        said = join_and(wants) if wants else "none of their own"
        rows.append((ctx.user(v.name, "stakeholders.name"), level(v.weight), said[:1].upper() + said[1:],
                     ctx.name(v.pick) + ("" if v.agrees else " (differs)")))
    return Table(
        ("Stakeholder", "Voice", "Priorities", "Own pick"),
        tuple(rows),
        caption="Each stakeholder's weights are the team's with their own priorities on top (10 weighs as much "
        "as a must-have need); the weights above combine them by their weighted geometric mean, each counting by "
        "its voice. Own pick: the best option on that stakeholder's weights alone.",
        widths=(1.6, 0.7, 2.6, 2.0),
        align=("left", "right", "left", "left"),
    )


_NEED = re.compile(r"^.+ is (a .+ need|not needed)$")
_PRIORITY = re.compile(r"^Its priority is set to ([0-9.]+) of 10\b")


# Facts that moved a weight, shown per criterion in the executive brief, each by its cause only ("the team
# wants to avoid lock-in", not the chain that follows); the technical brief lists them all in full (the
# scalability of a large GPU platform has eight). One fact keeps the executive brief within four pages.
EXECUTIVE_WEIGHT_FACTS = 1
# The facts left out are named by the profile fields they rest on, up to this many.
DROPPED_FACTS_NAMED = 3


def _rule_fields(ctx: _Ctx, rule_id: str | None) -> tuple[str, ...]:
    """The profile fields a rule's conditions read, in order ("team.size", ...)."""
    rule = next((r for r in ctx.kb.rules if r.id == rule_id), None)
    out: list[str] = []

    def walk(conds) -> None:
        for c in conds:
            if c.op == "any":
                walk(c.value)
            elif c.field not in out:
                out.append(c.field)

    walk(rule.when if rule else ())
    return tuple(out)


def _weight_why(ctx: _Ctx, w, said: dict[str, tuple[str, str]]) -> str:
    """Scoring's weight reasons in a reader's words: the need or standard weight it starts from (with its share
    before this profile's facts when they moved it), then the facts that raised or lowered it, each "because ...";
    a reason an earlier row already gave is named by that row ("for the same reason as ..."). Only what moved
    this weight is listed: a profile priority replaces everything derived, so it stands alone.
    ``said`` maps each reason given so far to the criterion it was first given for and whether it raised or
    lowered that one."""
    factors = {}
    for rule in ctx.kb.rules:
        for e in rule.effects:
            if e.kind == "weight" and e.criterion == w.criterion:
                factors[rule.id] = e.factor
    rule_reasons = dict(zip(w.reasons[1 : 1 + len(w.rules)], w.rules))
    base, priority = "", ""
    moves: list[tuple[float, str, str]] = []  # (how far it moved the weight, raised | lowered, reason)
    about: dict[str, tuple[str, ...]] = {}  # reason -> what of the profile it rests on, to name a fact left unsaid
    for r in w.reasons:
        r = r.strip().rstrip(".")
        m = _NEED.match(r)
        if r.startswith(STAKEHOLDERS_COMBINED):
            continue  # said once under the table; the priorities behind it are named below
        if m:
            base = m.group(1).replace(" (nice to have)", "")
        elif r.endswith("starts from its default weight"):
            base = "standard weight"
        elif _PRIORITY.match(r):
            priority = f"set to priority {_PRIORITY.match(r).group(1)} of 10 by the team"
        elif r + "." in rule_reasons or r in rule_reasons:
            rid = rule_reasons.get(r + ".", rule_reasons.get(r))
            factor = factors.get(rid, 1.0)
            if factor != 1.0:  # a rule that left this weight where it was is no reason for it
                moves.append((abs(math.log(factor)) if factor > 0 else 0.0, "raised" if factor > 1 else "lowered", r))
                about[r] = tuple(field_label(f) for f in _rule_fields(ctx, rid))
        elif r + "." in w.lowered_by or r in w.lowered_by:  # a need a tool in use or kept already does (no rule)
            held = ctx.kb.tools.held_weight
            moves.append((abs(math.log(held)) if held > 0 else 0.0, "lowered", r))
            about[r] = (field_label("current.keep" if "current.keep" in w.factors else "current.tools"),)
        else:  # a stated goal: it multiplies the weight up (goals.yaml's position factors are all above 1)
            moves.append((0.0, "raised", r))
            goal = next((g for g in ctx.kb.goals.goals.values() if g.reason.strip().rstrip(".") == r), None)
            about[r] = (f"goal of {goal.name}" if goal else "goals",)
    if priority:
        text = f"{base}, {priority}" if base else priority
        return text[:1].upper() + text[1:]
    names = tuple(ctx.a.names.values())
    if not ctx.technical and len(moves) > EXECUTIVE_WEIGHT_FACTS:
        # stable: of equally strong facts, the knowledge base's first ones stay
        keep = sorted(sorted(range(len(moves)), key=lambda i: -moves[i][0])[:EXECUTIVE_WEIGHT_FACTS])
        dropped = [moves[i] for i in range(len(moves)) if i not in keep]
        moves = [moves[i] for i in keep]
    else:
        dropped = []
    # Stakeholders' own priorities on this criterion move the group weight beside the profile's facts.
    set_by = [(n, v, "raised" if raises else "lowered") for n, v, raises in w.set_by]
    if moves or dropped or set_by:
        # "Standard weight (3% before adjustment)" beside a weight that tripled read as a contradiction.
        base = (f"starts at the standard {ctx.start_weight(w.criterion)}" if base == "standard weight"
                else f"{base} ({ctx.start_weight(w.criterion)} before adjustment)")
    clauses = []
    for verb in ("raised", "lowered"):
        fresh, again = [], []
        for _, v, r in moves:
            if v != verb:
                continue
            # The same fact can raise one weight and lower another: "raised for the same reason as operational
            # overhead" beside a row that says it was lowered read as a contradiction, so the cause is given again.
            if r in said and said[r][0] != w.criterion and said[r][1] == verb:
                again.append(mid(ctx.crit(said[r][0])))
            else:
                said.setdefault(r, (w.criterion, verb))
                cause = after_colon(r, names)
                fresh.append(f"because {cause if ctx.technical else cause_of(cause)}")
        if again:
            fresh.append(f"for the same reason as {join_and(list(dict.fromkeys(again)))}")
        if fresh:
            clauses.append(f"{verb} " + "; and ".join(fresh))
    verbs = {v for _, v, _ in moves + dropped} | {verb for _, _, verb in set_by}
    before, after = whole_percent(ctx.start_weight(w.criterion)), whole_percent(ctx.weight(w.criterion))
    # A raised weight can end up a smaller share when other criteria were raised more. Readers took "raised ..., so
    # its share fell" for a contradiction, and "its share fell to 13%: raised because ..." as well: the cause, then
    # the other criteria, then the share, each joined by the word that says how they connect.
    now = ctx.weight(w.criterion)
    if verbs == {"raised"} and after <= before:
        share = f"but other criteria were raised more, so its share {'fell to' if after < before else 'stayed at'} {now}"
    elif verbs == {"lowered"} and after >= before:
        share = f"but other criteria were lowered more, so its share {'rose to' if after > before else 'stayed at'} {now}"
    else:
        share = ""
    if dropped:
        verbs = {v for _, v, _ in dropped}
        one_way = verbs.pop() if len(verbs) == 1 else "moved"
        # Named by the profile fields they rest on (every rule has a condition, every goal and tool in use a field),
        # so a reader can find them in the profile; a long list is cut.
        labels = list(dict.fromkeys(label for _, _, r in dropped for label in about[r]))
        if len(labels) > DROPPED_FACTS_NAMED:
            labels = labels[:DROPPED_FACTS_NAMED] + [f"{len(labels) - DROPPED_FACTS_NAMED} more of its fields"]
        clauses.append(f"also {one_way} by the stated {join_and(labels)}")
    for verb in ("raised", "lowered"):
        # A priority below what the profile's facts give the criterion lowers it, however high the number (10 weighs
        # as much as a must-have need, no more).
        who = [(n, v) for n, v, moved in set_by if moved == verb]
        if who:
            one = len(who) == 1
            # The executive brief names whose priority it is; the technical one gives its value too.
            named = [ctx.user(n, "stakeholders.name") + (f" ({level(v)} of 10)" if ctx.technical else "") for n, v in who]
            if len(named) > NAMED_STAKEHOLDERS:
                # A weight's reason reads with a few names, not fifty; the stakeholder table lists them all.
                named = named[:NAMED_STAKEHOLDERS] + [f"{len(named) - NAMED_STAKEHOLDERS} more"]
            text = f"{verb} by the {'priority' if one else 'priorities'} of " + join_and(named)
            if verb == "lowered":
                text += f", {'which is' if one else 'which are'} less than the facts about the team give it"
            clauses.append(text)
    if share:
        text = f"{base}; " + "; ".join(clauses) + f", {share}"
    else:
        text = "; ".join([base] + clauses)
    return text[:1].upper() + text[1:]
