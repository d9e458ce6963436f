"""Per-framework evidence: the qualities most comparisons quote, performance notes, and the pros
and cons of each framework in play."""

from __future__ import annotations

from generator.brief.context import _Ctx, _bullets, _p, _ranked_points, client_text, moved_by, scale_notes
from generator.brief.scores import _criterion_rank, _shown_options
from generator.document import Block, Paragraph, Section, Table, Text
from generator.knowledge.model import Point
from generator.wording import join_and, level, mid, points

COMPARISON = (
    ("scalability", "Scalability"),
    ("ease_of_use", "Ease of use"),
    ("ecosystem", "Ecosystem"),
)
# Performance is a note criterion: sourced text per framework, never a score.
PERFORMANCE_LEAD = (
    "Performance (overhead added and latency) is not scored: the sources measure unlike things "
    "(the runtime a tracker adds, the start-up time of a pipeline step) and no benchmark compares them all. "
    "What the sources say:"
)


def _comparison(ctx: _Ctx) -> list[Block]:
    # The frameworks of the options in play; a ruled-out framework never "leads" here.
    shortlist = list(dict.fromkeys(f for o in _shown_options(ctx) for f in o.frameworks if f in ctx.kb.frameworks))
    shortlist = shortlist[: ctx.tpl.limit("shortlist")]
    rank = _criterion_rank(ctx)
    qualities = sorted(COMPARISON, key=lambda q: rank.get(q[0], len(rank)))
    rows = []
    for f in shortlist:
        rows.append((ctx.name(f), *(level(ctx.a.cells[(f, c)].score) if (f, c) in ctx.a.cells else "-" for c, _ in qualities)))
    blocks: list[Block] = []
    if ctx.technical and rows:
        blocks.append(Table(
            ("Framework", *(label.split(" (")[0] for _, label in qualities)),
            tuple(rows),
            caption="Scores 0-5 on three qualities most comparisons quote, for the frameworks in the options above; "
            "performance follows as sourced notes."
            + (f" {notes}" if (notes := scale_notes(
                ctx.a.cells[(f, c)].score for f in shortlist for c, _ in qualities if (f, c) in ctx.a.cells)) else ""),
            widths=(2.4, 1.4, 1.4, 1.4),
            align=("left", "right", "right", "right"),
        ))
    for cid, label in qualities:
        cells = [ctx.a.cells[(f, cid)] for f in shortlist if (f, cid) in ctx.a.cells]
        if not cells:
            continue
        best = max(cells, key=lambda cell: cell.score)
        if ctx.technical:
            blocks.append(_p(Text(f"{label}, weight {ctx.weight(cid)}: {ctx.name(best.framework)} leads with {level(best.score)} of 5.", bold=True)))
            blocks.append(_bullets(f"{ctx.name(c.framework)} ({level(c.score)}): {_tool_evidence(ctx, c)}" for c in cells))
            moves = _profile_moves(ctx, cells)
            if moves:
                blocks.append(_p("What this team's situation changes: " + " ".join(moves)))
        else:
            # The space stays outside the bold run: "**Scalability:** ..." is valid CommonMark, "**Scalability: **" is not.
            blocks.append(_p(Text(label + ":", bold=True), f" {ctx.name(best.framework)} leads with {level(best.score)} of 5. {_tool_evidence(ctx, best)}"))
    if ctx.technical:
        blocks += _performance_notes(ctx, shortlist)
    return blocks


def _tool_evidence(ctx: _Ctx, cell) -> str:
    """A fact about the tool, from its own score rationale, and how far this profile moved the level: the
    profile's reason is said once under the list (_profile_moves), not repeated as each tool's evidence."""
    score = ctx.kb.frameworks[cell.framework].scores.get(cell.criterion)
    if score is None or not cell.rules:
        return f"{client_text(cell.rationale)}{ctx.cite(cell.sources)}"
    moved = ""
    if cell.score != cell.base:
        verb = "raised" if cell.score > cell.base else "lowered"
        moved = f" ({verb} from {level(cell.base)} to {level(cell.score)} for this team)"
    return f"{client_text(score.rationale).rstrip('.')}{moved}.{ctx.cite(score.sources)}"


def _profile_moves(ctx: _Ctx, cells: list) -> list[str]:
    """Each fact of this profile that moved a level in the list, once, with the frameworks it moved."""
    rules = {r.id: r for r in ctx.kb.rules}
    out = []
    for rid in dict.fromkeys(rid for c in cells if c.score != c.base for rid in c.rules):
        rule = rules[rid]
        out.append(f"{client_text(rule.reason).rstrip('.')}; here this {moved_by(ctx, rid, cells)}.{ctx.cite(rule.sources)}")
    return out


def _performance_notes(ctx: _Ctx, frameworks: list[str]) -> list[Block]:
    items = []
    for fid in frameworks:
        fw = ctx.kb.frameworks.get(fid)
        if fw is None:
            continue
        items += [f"{fw.name}, {k}: {client_text(n.text)}{ctx.cite(n.sources)}{ctx.aged(n)}" for k, n in fw.performance.items()]
        if not fw.performance:
            items.append(f"{fw.name}: no sourced measurement or mechanism.")
    return [_p(Text(PERFORMANCE_LEAD, bold=True)), _bullets(items)] if items else []


def _detail_order(ctx: _Ctx) -> list[str]:
    """Frameworks of the options in play first (recommendation, runner-up, ...), then the ruled-out ones."""
    order = [f for o in ctx.options.viable for f in o.frameworks] + [r.framework for r in ctx.a.ranking]
    return [f for f in dict.fromkeys(order) if f in ctx.kb.frameworks and f in ctx.ranked]


def _frameworks_table(ctx: _Ctx, order: list[str]) -> list[Block]:
    """The short brief's pros and cons: each framework's most relevant pro and con, one row each."""
    rows = []
    for fid in order:
        fw = ctx.kb.frameworks[fid]
        pro = _ranked_points(ctx, fw.pros, 1)
        con = _ranked_points(ctx, fw.cons, 1)
        rows.append(
            (
                fw.name,
                client_text(pro[0].text) + ctx.cite(pro[0].sources) + ctx.aged(pro[0]) if pro else "-",
                client_text(con[0].text) + ctx.cite(con[0].sources) + ctx.aged(con[0]) if con else "-",
            )
        )
    return [
        Table(
            ("Framework", "Strongest point for this project", "Main drawback"),
            tuple(rows),
            caption="The pro and the con that bear on the heaviest criteria of this profile.",
            widths=(1.3, 3, 3),
        )
    ]


def _companion_in(ctx: _Ctx, fid: str) -> str:
    """Where a framework that is an option only as a companion is used: the recommended option, or else the
    runner-up (the two options a companion is named from, generator.brief.options)."""
    rec = ctx.options.get(ctx.a.sensitivity.leader)
    if rec is not None and fid in rec.frameworks:
        return "used inside the recommended option, not on its own."
    return f"used inside the runner-up, {ctx.name(ctx.a.sensitivity.runner_up)}, not on its own."


def _frameworks(ctx: _Ctx) -> list[Block]:
    limit = ctx.tpl.limit("points")
    order = _detail_order(ctx)
    if not ctx.technical:
        in_play = [f for f in order if f not in ctx.options.ruled_out]
        return _frameworks_table(ctx, in_play[: ctx.tpl.limit("frameworks_detail")])
    detail = order[: ctx.tpl.limit("frameworks_detail")]
    in_options = {f for o in ctx.options.viable for f in o.frameworks}
    subs: list[Block] = []
    for fid in detail:
        fw, r = ctx.kb.frameworks[fid], ctx.ranked[fid]
        body: list[Block] = []
        if fid in ctx.options.ruled_out:
            body.append(_p(Text("Ruled out: ", bold=True), " ".join(r.knockouts)))
        elif fid in ctx.options.companions:
            body.append(_p(Text("Companion: ", bold=True), _companion_in(ctx, fid)))
        pros = _ranked_points(ctx, fw.pros, limit)
        cons = _ranked_points(ctx, fw.cons, limit)
        if pros:
            body.append(_p(Text("Pros", bold=True)))
            body.append(_bullets(_point(ctx, p) for p in pros))
        if cons:
            body.append(_p(Text("Cons", bold=True)))
            body.append(_bullets(_point(ctx, p, with_mitigation=True) for p in cons))
        if r.needs_companion and not r.knocked_out:
            # A framework in no option at all (Zillow's MLflow, 86.2 on its own) read as a better pick the brief ignored.
            alone = ("on its own (a must-have need takes a companion)" if fid in in_options
                     else "on its own, but not an option (see Options considered)")
        else:
            alone = "on its own"
        subs.append(Section(f"framework-{fid}", f"{fw.name}: {points(r.score)} of 100 {alone}", 2, tuple(body)))
    rest = [f for f in order if f not in detail]
    if rest:
        subs.append(_p(f"Not detailed here: {join_and([ctx.name(f) for f in rest])}.", style="small"))
    return subs


def _point(ctx: _Ctx, p: Point, with_mitigation: bool = False) -> Paragraph:
    parts: list[Text] = [Text(client_text(p.text) + ctx.cite(p.sources) + ctx.aged(p))]
    mitigation = ctx.allowed(p.mitigation) if with_mitigation and p.mitigation else ""
    if mitigation:
        parts.append(Text(" Mitigation: " + mitigation))
    bears = [mid(ctx.crit(c)) for c in p.criteria if ctx.weights.get(c, 0) > 0]
    if bears and ctx.technical:
        parts.append(Text(f" (bears on {join_and(bears)})", italic=True))
    return Paragraph(tuple(parts))
