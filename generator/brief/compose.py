"""Assessment + knowledge base + template -> Brief: the words and tables a stakeholder reads.

``compose`` is pure: no files, no clock, no environment, no renderer. It reads
only its arguments (and the bundled template, cached, when none is given), so
the same inputs always give the same Brief. The caller decides the date
(the pipeline passes :func:`generator.dates.today`).
"""

from __future__ import annotations

from typing import Iterable

from generator.brief.templating import Template, bundled_template, substitute
from generator.document import (
    Bar,
    Block,
    Brief,
    BulletList,
    Callout,
    Chart,
    Metadata,
    Paragraph,
    Section,
    SourceList,
    SourceRef,
    Table,
    Text,
    Theme,
)
from generator.knowledge.model import KnowledgeBase, Point
from generator.profile.model import CAPABILITIES
from generator.sanitize import clean_field
from generator.wording import (
    count,
    decimals,
    join_and,
    level,
    mid,
    number,
    percent,
    percent_pair,
    percent_range,
    points,
)
from generator.scoring.assessment import Assessment, Verdict

COMPARISON = (
    ("performance", "Performance (overhead added and latency)"),
    ("scalability", "Scalability"),
    ("ease_of_use", "Ease of use"),
    ("ecosystem", "Ecosystem"),
)
VERDICT_WORDS = {
    Verdict.CLEAR: "a clear lead",
    Verdict.LEANING: "a lead that holds in most but not all weightings",
    Verdict.TOO_CLOSE: "too close to call on scores alone",
    Verdict.ONLY_VIABLE: "the only option that meets every must-have need",
    Verdict.NONE_VIABLE: "no framework on the shortlist is viable",
}
VERDICT_TONE = {Verdict.CLEAR: "success", Verdict.LEANING: "info", Verdict.TOO_CLOSE: "warning", Verdict.NONE_VIABLE: "warning"}
POC_TIME = {"weeks": "two weeks", "months": "six weeks", "quarters": "one quarter"}
APPENDIX_COLUMNS = 7  # frameworks per appendix table: more would squeeze names below one word per line


def brief_date(project_date: str | None, today: str | None, fallback: str) -> str:
    """project.date, else the caller's ``today``, else ``fallback`` (keeps compose deterministic)."""
    return project_date or today or fallback


# ---------------------------------------------------------------- formatting


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary so a table cell stays a line or two."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\u2026"


# ---------------------------------------------------------------- context


class _Ctx:
    """What every section builder needs; the citation counter is its only state."""

    def __init__(self, a: Assessment, kb: KnowledgeBase, tpl: Template, warnings: list[str]):
        self.a = a
        self.kb = kb
        self.tpl = tpl
        self.warnings = warnings
        self.profile = a.profile
        self.weights = {w.criterion: w.value for w in a.weights}
        self.ranked = {r.framework: r for r in a.ranking}
        self.cited: dict[str, int] = {}
        self.technical = tpl.audience == "technical"

    def name(self, fid: str | None) -> str:
        """Display name of a framework id, or of a stack key such as 'kubeflow+mlflow'."""
        if not fid:
            return ""
        if "+" in fid:
            return " + ".join(self.name(part) for part in fid.split("+"))
        fw = self.kb.frameworks.get(fid)
        return fw.name if fw else self.a.names.get(fid, fid)

    def crit(self, cid: str) -> str:
        c = self.kb.criteria.get(cid)
        if c:
            return c.name
        return self.a.criterion_names.get(cid) or cid.replace("_", " ").capitalize()

    def cite(self, ids: Iterable[str]) -> str:
        """' [2, 5]' for the known source ids, numbered in order of first citation; '' if none."""
        nums = []
        # The first sources of a statement are its primary ones (knowledge-base order):
        # two in the short brief, three in the technical one, so the sources list stays
        # a list a reader can use rather than every reference the knowledge base holds.
        known = [sid for sid in ids if sid in self.kb.sources][: 3 if self.technical else 2]
        for sid in known:
            if sid not in self.kb.sources:
                continue
            if sid not in self.cited:
                self.cited[sid] = len(self.cited) + 1
            n = self.cited[sid]
            if n not in nums:
                nums.append(n)
        return f" [{', '.join(map(str, sorted(nums)))}]" if nums else ""

    def relevance(self, point: Point) -> float:
        return sum(self.weights.get(c, 0.0) for c in point.criteria)

    def stack_name(self) -> str:
        return " with ".join(self.name(f) for f in self.a.recommendation.stack)

    def user(self, text: str | None, field: str) -> str:
        return clean_field(text, field, self.warnings) if text else ""


def _p(*parts: str | Text, style: str = "body") -> Paragraph:
    return Paragraph(tuple(Text(p) if isinstance(p, str) else p for p in parts), style)


def _bullets(texts: Iterable[str | Paragraph], numbered: bool = False) -> BulletList:
    return BulletList(tuple(t if isinstance(t, Paragraph) else _p(t) for t in texts), numbered)


def _ranked_points(ctx: _Ctx, pts: tuple[Point, ...], limit: int) -> list[Point]:
    # Stable sort: equally relevant points keep the knowledge base's order.
    return sorted(pts, key=lambda p: -ctx.relevance(p))[:limit]


# ---------------------------------------------------------------- sections


def _recommendation(ctx: _Ctx) -> list[Block]:
    a, rec, sens = ctx.a, ctx.a.recommendation, ctx.a.sensitivity
    # Scoring writes the one sentence (pick, score, margin, robustness); compose only
    # supplies one when it is missing, so both always agree with the numbers.
    sentence = rec.sentence.strip()
    if not sentence and rec.primary:
        leader = ctx.ranked.get(rec.primary)
        score = f"{points(leader.score)} of 100" if leader else "the top score"
        lead = (
            f"{points(rec.margin)} points ahead of {ctx.name(sens.runner_up)}"
            if sens.runner_up
            else "the only framework that meets every must-have need"
        )
        sentence = (
            f"Adopt {ctx.stack_name()}: it scores {score}, {lead}, and stays first in {percent(rec.robustness)} "
            f"of {count(sens.samples)} re-weighted scenarios, {VERDICT_WORDS.get(rec.verdict, rec.verdict)}."
        )
    blocks: list[Block] = [
        Callout("In one sentence", (_p(Text(sentence, bold=True)),), VERDICT_TONE.get(rec.verdict, "info"))
    ]
    if rec.reasons:
        blocks.append(_p("Why, for this project:"))
        blocks.append(_bullets(rec.reasons[: ctx.tpl.limit("reasons")]))
    if rec.stack_detail is not None:
        st = rec.stack_detail
        parts = "; ".join(
            f"{ctx.name(p.framework)} covers {join_and([mid(ctx.crit(c)) for c in p.covers])}" for p in st.parts
        )
        blocks.append(_p(f"Combination: {st.reason} {parts}.{ctx.cite(st.sources)}"))
    if not rec.primary:
        pass
    elif a.methods_agree:
        blocks.append(_p("The cross-check method (TOPSIS) ranks the same framework first.", style="small"))
    else:
        blocks.append(
            _p(
                f"The cross-check method (TOPSIS) ranks {ctx.name(a.topsis_leader)} first instead; "
                "treat the choice as closer than the margin suggests.",
                style="small",
            )
        )
    return blocks


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _profile(ctx: _Ctx) -> list[Block]:
    p = ctx.profile
    t, i, w, c = p.team, p.infrastructure, p.workload, p.constraints
    blocks: list[Block] = []
    summary = ctx.user(p.project.summary, "project.summary")
    if summary:
        blocks.append(_p("Summary: ", summary))
    by_level: dict[str, list[str]] = {m: [] for m in ("must", "should", "could", "wont")}
    for cap in CAPABILITIES:
        by_level.setdefault(p.needs.get(cap, "could"), []).append(mid(ctx.crit(cap)))
    libs = ", ".join(ctx.user(x, "workload.libraries") for x in w.libraries) or "none named"
    clouds = ", ".join(x.upper() if x != "other" else "other" for x in i.clouds) or "none"
    prios = ", ".join(f"{mid(ctx.crit(k))} {level(v)}" for k, v in p.priorities.items())
    rows = [
        ("Team", f"{t.size} people: {t.data_scientists} data scientists, {t.ml_engineers} ML engineers; "
         f"Kubernetes skill {t.kubernetes_skill}; platform team {t.platform_team}"),
        ("Infrastructure", f"Kubernetes {i.kubernetes.replace('_', '-')}; clouds {clouds}; on-premises {_yes(i.on_prem)}; "
         f"air-gapped {_yes(i.air_gapped)}; GPUs {i.gpus}"),
        ("Workload", f"{w.models_in_production} models in production; data volume {w.data_volume}; serving {w.serving}; "
         f"distributed training {_yes(w.distributed_training)}; libraries {libs}"),
        ("Must have", ", ".join(by_level["must"]) or "nothing marked must"),
        ("Should have", ", ".join(by_level["should"]) or "none"),
        ("Could have / not needed", f"could: {', '.join(by_level['could']) or 'none'}; not needed: {', '.join(by_level['wont']) or 'none'}"),
        ("Constraints", f"open source only {_yes(c.open_source_only)}; managed services {c.managed_services}; "
         f"budget {c.budget}; time to value {c.time_to_value}"),
        ("Priorities", prios or "none set; weights derived from the needs"),
        ("Shortlist", ", ".join(ctx.name(f) for f in p.frameworks)),
    ]
    blocks.append(Table(("Aspect", "As read from the profile"), tuple(rows), widths=(1.2, 4)))
    return blocks


def _matrix(ctx: _Ctx, frameworks: list[str], criteria: list[str], caption: str) -> Table:
    header = ("Criterion", "Weight", *(ctx.name(f) + (" (out)" if ctx.ranked[f].knocked_out else "") for f in frameworks))
    rows = []
    highlight = []
    for r, cid in enumerate(criteria):
        scores = [ctx.a.cells[(f, cid)].score if (f, cid) in ctx.a.cells else 0.0 for f in frameworks]
        rows.append((ctx.crit(cid), percent(ctx.weights.get(cid, 0.0)), *(level(s) for s in scores)))
        best = max(scores) if scores else 0
        highlight += [(r, 2 + k) for k, s in enumerate(scores) if s == best and best > 0]
    totals = [ctx.ranked[f].score for f in frameworks]
    rows.append(("Total (0-100)", "100 %", *(points(s) for s in totals)))
    if totals:
        highlight.append((len(rows) - 1, 2 + totals.index(max(totals))))
    return Table(
        header,
        tuple(rows),
        caption=caption,
        widths=(2.6, 1.1, *([1.5] * len(frameworks))),
        align=("left", "right", *(["right"] * len(frameworks))),
        highlight=tuple(highlight),
    )


def _scores(ctx: _Ctx) -> list[Block]:
    a = ctx.a
    rows = []
    muted = []
    for i, r in enumerate(a.ranking):
        if r.knocked_out:
            status = "knocked out: " + shorten(r.knockouts[0], 140) if r.knockouts else "knocked out"
        elif getattr(r, "needs_companion", ()):
            status = "eligible only with " + join_and([ctx.name(f) for f in r.needs_companion])
        else:
            status = "eligible"
        if r.framework == a.recommendation.primary:
            status = "recommended"
        rows.append((str(r.rank), ctx.name(r.framework), points(r.score), decimals(r.topsis, 2), status))
        if r.knocked_out:
            muted.append(i)
    leader_row = next((i for i, r in enumerate(a.ranking) if r.framework == a.recommendation.primary), 0)
    ranking_table = [
        Table(
            ("Rank", "Framework", "Score", "TOPSIS", "Status"),
            tuple(rows),
            caption="Ranking: weighted score out of 100 and the TOPSIS cross-check (closeness 0-1).",
            widths=(0.6, 2.2, 0.9, 0.9, 4.4),
            align=("right", "left", "right", "right", "left"),
            highlight=((leader_row, 1), (leader_row, 2)),
            muted_rows=tuple(muted),
        )
    ]
    # The executive brief shows totals in the chart only; the table repeats them with TOPSIS detail.
    blocks: list[Block] = ranking_table if ctx.technical else []
    shortlist = [r.framework for r in a.ranking][: ctx.tpl.limit("shortlist")]
    weighted = sorted((c for c in ctx.weights if ctx.weights[c] > 0), key=lambda c: -ctx.weights[c])
    shown = weighted[: ctx.tpl.limit("criteria")]
    notes = [f"Scores 0-5, best in each row highlighted; the {len(shortlist)} best-ranked frameworks."]
    if len(shown) < len(weighted):
        notes.append(f"The {len(shown)} heaviest of {len(weighted)} weighted criteria are shown.")
    hidden = len(a.ranking) - len(shortlist)
    if hidden and "appendix" in {s.id for s in ctx.tpl.sections}:
        notes.append("Every framework and criterion is in the appendix.")
    elif hidden:
        notes.append(f"{hidden} lower-ranked frameworks are not shown.")
    totals_chart = Chart(
        "bar",
        "Total score by framework (0-100)",
        tuple(
            Bar(ctx.name(r.framework), r.score, "knocked out" if r.knocked_out else "", r.knocked_out)
            for r in a.ranking
        ),
        100.0,
        "points",
        alt_text="Bar chart of each framework's weighted total out of 100: "
        + "; ".join(f"{ctx.name(r.framework)} {points(r.score)}" for r in a.ranking)
        + ".",
    )
    # Matrix before chart: a table can start at the foot of a page, a chart cannot split.
    blocks.append(_matrix(ctx, shortlist, shown, " ".join(notes)))
    blocks.append(totals_chart)
    return blocks


def _comparison(ctx: _Ctx) -> list[Block]:
    shortlist = [r.framework for r in ctx.a.ranking][: ctx.tpl.limit("shortlist")]
    rows = []
    for f in shortlist:
        rows.append((ctx.name(f), *(level(ctx.a.cells[(f, c)].score) if (f, c) in ctx.a.cells else "-" for c, _ in COMPARISON)))
    blocks: list[Block] = []
    if ctx.technical:
        blocks.append(Table(
            ("Framework", *(label.split(" (")[0] for _, label in COMPARISON)),
            tuple(rows),
            caption="Scores 0-5 on the four qualities most comparisons quote.",
            widths=(2.4, 1.2, 1.2, 1.2, 1.2),
            align=("left", "right", "right", "right", "right"),
        ))
    for cid, label in COMPARISON:
        cells = [ctx.a.cells[(f, cid)] for f in shortlist if (f, cid) in ctx.a.cells]
        if not cells:
            continue
        best = max(cells, key=lambda cell: cell.score)
        lead = f"{label}, weight {percent(ctx.weights.get(cid, 0.0))}: {ctx.name(best.framework)} leads with {level(best.score)} of 5."
        if ctx.technical:
            blocks.append(_p(Text(lead, bold=True)))
            blocks.append(
                _bullets(f"{ctx.name(c.framework)} ({level(c.score)}): {c.rationale}{ctx.cite(c.sources)}" for c in cells)
            )
        else:
            blocks.append(_p(Text(label + ": ", bold=True), f"{ctx.name(best.framework)} leads with {level(best.score)} of 5. {best.rationale}{ctx.cite(best.sources)}"))
    return blocks


def _frameworks_table(ctx: _Ctx, order: list[str]) -> list[Block]:
    """The short brief's pros and cons: each framework's most relevant pro and con, one row each."""
    rows = []
    muted = []
    for fid in order:
        fw, r = ctx.kb.frameworks[fid], ctx.ranked[fid]
        pro = _ranked_points(ctx, fw.pros, 1)
        con = _ranked_points(ctx, fw.cons, 1)
        if r.knocked_out:
            muted.append(len(rows))
        rows.append(
            (
                f"{fw.name} ({points(r.score)})",
                pro[0].text + ctx.cite(pro[0].sources) if pro else "-",
                con[0].text + ctx.cite(con[0].sources) if con else "-",
            )
        )
    return [
        Table(
            ("Framework (score)", "Strongest point for this project", "Main drawback"),
            tuple(rows),
            caption="The pro and the con that bear on the heaviest criteria of this profile.",
            widths=(1.3, 3, 3),
            muted_rows=tuple(muted),
        )
    ]


def _frameworks(ctx: _Ctx) -> list[Block]:
    limit = ctx.tpl.limit("points")
    order = [r.framework for r in ctx.a.ranking if r.framework in ctx.kb.frameworks]
    if not ctx.technical:
        return _frameworks_table(ctx, order[: ctx.tpl.limit("frameworks_detail")])
    detail = order[: ctx.tpl.limit("frameworks_detail")]
    subs: list[Block] = []
    for fid in detail:
        fw, r = ctx.kb.frameworks[fid], ctx.ranked[fid]
        body: list[Block] = []
        if r.knocked_out:
            body.append(_p(Text("Excluded: ", bold=True), "; ".join(r.knockouts)))
        pros = _ranked_points(ctx, fw.pros, limit)
        cons = _ranked_points(ctx, fw.cons, limit)
        if pros:
            body.append(_p(Text("Pros", bold=True)))
            body.append(_bullets(_point(ctx, p) for p in pros))
        if cons:
            body.append(_p(Text("Cons", bold=True)))
            body.append(_bullets(_point(ctx, p, with_mitigation=True) for p in cons))
        title = f"{fw.name}: {points(r.score)} of 100, rank {r.rank}"
        subs.append(Section(f"framework-{fid}", title, 2, tuple(body)))
    rest = [f for f in order if f not in detail]
    if rest:
        subs.append(_p(f"Not detailed here (lower ranked): {', '.join(ctx.name(f) for f in rest)}.", style="small"))
    return subs


def _point(ctx: _Ctx, p: Point, with_mitigation: bool = False) -> Paragraph:
    parts: list[Text] = [Text(p.text + ctx.cite(p.sources))]
    if with_mitigation and p.mitigation:
        parts.append(Text(" Mitigation: " + p.mitigation))
    bears = [mid(ctx.crit(c)) for c in p.criteria if ctx.weights.get(c, 0) > 0]
    if bears and ctx.technical:
        parts.append(Text(f" (bears on {join_and(bears)})", italic=True))
    return Paragraph(tuple(parts))


def _risks(ctx: _Ctx) -> list[Block]:
    a, rec, sens = ctx.a, ctx.a.recommendation, ctx.a.sensitivity
    rows: list[tuple[str, str]] = []
    if rec.verdict != Verdict.CLEAR and sens.runner_up:
        rows.append(
            (
                f"The lead over {ctx.name(sens.runner_up)} is narrow: {points(rec.margin)} points, first in "
                f"{percent(sens.robustness)} of re-weighted scenarios.",
                f"Run a time-boxed proof of concept with both {ctx.name(rec.primary)} and {ctx.name(sens.runner_up)} before committing.",
            )
        )
    if not a.methods_agree:
        rows.append(
            (
                f"The cross-check method ranks {ctx.name(a.topsis_leader)} first.",
                "Review the criteria where the two differ most before deciding.",
            )
        )
    cons = []
    for fid in rec.stack:
        fw = ctx.kb.frameworks.get(fid)
        if fw:
            cons += [(fw, p) for p in fw.cons]
    cons.sort(key=lambda fp: -ctx.relevance(fp[1]))
    # Cut before citing: a source is numbered only if its citation is printed.
    for fw, p in cons[: max(0, ctx.tpl.limit("risks") - len(rows))]:
        prefix = f"{fw.name}: " if len(rec.stack) > 1 else ""
        rows.append((prefix + p.text + ctx.cite(p.sources), p.mitigation or "No standard mitigation; plan for it explicitly."))
    rows = rows[: ctx.tpl.limit("risks")]
    blocks: list[Block] = []
    if rows:
        blocks.append(Table(("Risk", "Mitigation"), tuple(rows), widths=(1, 1)))
    if a.knockouts:
        blocks.append(_p(Text("Knocked out", bold=True), " (cannot meet a must-have need or a hard constraint):"))
        # One line per reason, naming every framework it excludes: rule reasons repeat
        # word for word across frameworks. The short brief keeps each framework's first
        # reason only, cut short.
        first_only = not ctx.technical
        by_reason: dict[str, list] = {}
        seen: set[str] = set()
        for k in a.knockouts:
            if first_only and k.framework in seen:
                continue
            seen.add(k.framework)
            by_reason.setdefault(k.reason, []).append(k)
        items = []
        for reason, ks in by_reason.items():
            names = join_and(list(dict.fromkeys(ctx.name(k.framework) for k in ks)))
            sources = tuple(dict.fromkeys(sid for k in ks for sid in k.sources))
            text = shorten(reason, 140) if first_only else reason
            items.append(f"{names}: {text}{ctx.cite(sources)}")
        blocks.append(_bullets(items))
    return blocks


def flip_sentences(ctx: _Ctx) -> list[tuple[float, str]]:
    """(distance, sentence) per flip, e.g. 'If cost mattered more than 31 % of the total weight, Kubeflow would lead.'"""
    sens = ctx.a.sensitivity
    out = []
    for f in sens.flips:
        if f.flip_at is None or sens.runner_up is None:
            continue
        direction = "more" if f.flip_at > f.weight else "less"
        then, now = percent_pair(f.flip_at, f.weight)
        out.append(
            (
                abs(f.flip_at - f.weight),
                f"If {mid(ctx.crit(f.criterion))} mattered {direction} than {then} of the total weight "
                f"(now {now}), {ctx.name(sens.runner_up)} would lead.",
            )
        )
    out.sort(key=lambda x: x[0])
    return out


def _change(ctx: _Ctx) -> list[Block]:
    sens = ctx.a.sensitivity
    blocks: list[Block] = [
        _p(
            f"{ctx.name(sens.leader)} stays first in {percent(sens.robustness)} of {count(sens.samples)} scenarios "
            f"in which the weights were perturbed at random ({sens.distribution}, seed {sens.seed})."
        )
    ]
    sentences = flip_sentences(ctx)[: ctx.tpl.limit("changes")]
    if sentences:
        blocks.append(_bullets(s for _, s in sentences))
    elif sens.runner_up:
        blocks.append(
            _p(f"No change to a single weight makes {ctx.name(sens.runner_up)} overtake {ctx.name(sens.leader)}.")
        )
    else:
        blocks.append(_p("No other framework meets every must-have need, so no weight change alters the pick."))
    flips = {f.criterion: f for f in sens.flips}
    criteria = sorted((c for c in ctx.weights if ctx.weights[c] > 0), key=lambda c: -ctx.weights[c])
    criteria = criteria[: ctx.tpl.limit("range_bars")]
    if criteria and sens.runner_up:
        lows, highs, bars = [], [], []
        for cid in criteria:
            w = ctx.weights[cid]
            f = flips.get(cid)
            lo, hi = 0.0, 1.0
            if f and f.flip_at is not None:
                lo, hi = (0.0, f.flip_at) if f.flip_at > w else (f.flip_at, 1.0)
            lows.append(round(lo * 100, 1))
            highs.append(round(hi * 100, 1))
            # Decimals only where a whole percent would hide how close the edge is.
            digits = 1 if min(abs(lo - w), abs(hi - w)) < 0.01 else 0
            bars.append(Bar(ctx.crit(cid), round(w * 100, 1), percent_range(lo, hi, digits)))
        blocks.append(
            Chart(
                "range",
                f"Weight range in which {ctx.name(sens.leader)} stays ahead of {ctx.name(sens.runner_up)}",
                tuple(bars),
                100.0,
                "%",
                alt_text="For each heavy criterion, the current weight (marker) and the band of weights in which the "
                "recommendation holds: " + "; ".join(f"{b.label} {number(b.value)} % ({b.note})" for b in bars) + ".",
                low=tuple(lows),
                high=tuple(highs),
            )
        )
    return blocks


def _adoption(ctx: _Ctx) -> list[Block]:
    items = []
    per = 1 if not ctx.technical else 4
    frameworks = list(ctx.profile.frameworks)
    if not ctx.technical:
        # The short brief keeps the signals of the options in play: the pick and its rival.
        in_play = {*ctx.a.recommendation.stack, *(ctx.a.sensitivity.runner_up or "").split("+")}
        frameworks = [f for f in frameworks if f in in_play] or frameworks[:2]
    for fid in frameworks:
        fw = ctx.kb.frameworks.get(fid)
        if not fw:
            continue
        for fact in fw.adoption[:per]:
            dates = sorted({s.as_of for s in ctx.kb.sources_for(fact.sources)})
            as_of = f" (source as of {dates[-1]})" if dates else ""
            items.append(f"{fw.name}: {fact.text}{ctx.cite(fact.sources)}{as_of}")
    if not items:
        return [_p("The knowledge base holds no dated adoption figures for these frameworks.")]
    return [_bullets(items)]


def _conclusion(ctx: _Ctx) -> list[Block]:
    rec, sens, p = ctx.a.recommendation, ctx.a.sensitivity, ctx.profile
    project = ctx.user(p.project.name, "project.name")
    if not rec.primary:
        return [
            _p(f"For {project}, no framework on the shortlist meets every must-have need and hard constraint."),
            _p(Text("Next steps", bold=True)),
            _bullets(
                [
                    "Review the knock-out reasons above and decide which constraint or must-have need can be relaxed.",
                    "Widen the shortlist (frameworks: all) and run this brief again.",
                ],
                numbered=True,
            ),
        ]
    first_reason = rec.reasons[0] if rec.reasons and ctx.technical else ""
    verdict = VERDICT_WORDS.get(rec.verdict, rec.verdict)
    text = f"For {project}, {ctx.stack_name()} is the recommended choice: {verdict}. {first_reason}".strip()
    steps = [
        f"Run a proof of concept of {ctx.stack_name()} on one real model within {POC_TIME.get(p.constraints.time_to_value, 'six weeks')}."
    ]
    mitigations = [
        pt.mitigation
        for fid in rec.stack
        if fid in ctx.kb.frameworks
        for pt in _ranked_points(ctx, ctx.kb.frameworks[fid].cons, 1)
        if pt.mitigation
    ]
    if mitigations:
        steps.append(f"Plan for the main risk: {mitigations[0]}")
    if sens.runner_up:
        if rec.verdict == Verdict.CLEAR:
            steps.append(f"Keep {ctx.name(sens.runner_up)} as the fallback if the proof of concept fails.")
        else:
            steps.append(f"Include {ctx.name(sens.runner_up)} in the proof of concept: the decision is close.")
    steps.append(f"Re-run this brief when the project's needs change; the knowledge base is as of {ctx.kb.as_of}.")
    return [_p(text), _p(Text("Next steps", bold=True)), _bullets(steps, numbered=True)]


def _methodology(ctx: _Ctx) -> list[Block]:
    a, sens = ctx.a, ctx.a.sensitivity
    rows = []
    for w in sorted(a.weights, key=lambda w: -w.value):
        rows.append((ctx.crit(w.criterion), percent(w.value), "; ".join(w.reasons) or "default"))
    rule_ids = sorted({rid for cell in a.cells.values() for rid in cell.rules})
    rules = {r.id: r for r in ctx.kb.rules}
    blocks: list[Block] = [
        _p(
            "Weights come from the profile: each capability's MoSCoW level (must, should, could, won't) gives a raw weight, "
            "context rules adjust quality criteria, explicit priorities override both, and the result is normalised to 100 %."
        ),
        Table(("Criterion", "Weight", "Why"), tuple(rows), widths=(2, 0.8, 4), align=("left", "right", "left")),
        _p(
            "Each framework has a sourced base level from 0 to 5 per criterion in the knowledge base; declarative context "
            "rules move levels for this profile. The total is the weighted sum scaled to 0-100. A framework that cannot meet "
            "a must-have need, alone or with a named companion, or that breaks a hard constraint, is knocked out with its reason."
        ),
        _p(
            "Cross-check: TOPSIS (closeness to the ideal framework) "
            + ("ranks the same leader." if a.methods_agree else f"ranks {ctx.name(a.topsis_leader)} first.")
            + f" Sensitivity: {count(sens.samples)} random weightings ({sens.distribution}, seed {sens.seed}); "
            f"robustness is the share in which the leader stays first ({percent(sens.robustness)})."
        ),
    ]
    if rule_ids:
        blocks.append(_p(Text("Context rules applied", bold=True)))
        blocks.append(
            _bullets(f"{rules[r].reason}{ctx.cite(rules[r].sources)}" if r in rules else r for r in rule_ids)
        )
    blocks.append(_p(f"Knowledge base version {a.kb_version}, as of {a.kb_as_of}.", style="small"))
    return blocks


def _appendix(ctx: _Ctx) -> list[Block]:
    frameworks = [r.framework for r in ctx.a.ranking]
    criteria = [w.criterion for w in ctx.a.weights]
    chunks = [frameworks[i : i + APPENDIX_COLUMNS] for i in range(0, len(frameworks), APPENDIX_COLUMNS)]
    return [
        _matrix(ctx, chunk, criteria, f"Part {n} of {len(chunks)}: scores 0-5 for every criterion." if len(chunks) > 1 else "Scores 0-5 for every criterion.")
        for n, chunk in enumerate(chunks, 1)
    ]


def _sources(ctx: _Ctx) -> list[Block]:
    refs = []
    for sid, n in sorted(ctx.cited.items(), key=lambda kv: kv[1]):
        s = ctx.kb.sources[sid]
        url = s.url if s.url.startswith("https://") else ""
        refs.append(SourceRef(f"[{n}]", s.title, s.publisher, url, s.as_of, s.third_party))
    if not refs:
        return [_p("No sources were cited.")]
    return [SourceList(tuple(refs))]


BUILDERS = {
    "recommendation": _recommendation,
    "profile": _profile,
    "scores": _scores,
    "comparison": _comparison,
    "frameworks": _frameworks,
    "risks": _risks,
    "change": _change,
    "adoption": _adoption,
    "conclusion": _conclusion,
    "methodology": _methodology,
    "appendix": _appendix,
    "sources": _sources,
}


def compose(
    assessment: Assessment,
    kb: KnowledgeBase,
    *,
    template: Template | None = None,
    theme: Theme | None = None,
    today: str | None = None,
) -> Brief:
    """Build the brief for one assessment. Pure: same arguments, same Brief."""
    profile = assessment.profile
    tpl = template or bundled_template(profile.brief.audience)
    warnings: list[str] = []
    ctx = _Ctx(assessment, kb, tpl, warnings)
    pr = profile.project
    date = brief_date(pr.date, today, kb.as_of)
    values = {
        "project.name": ctx.user(pr.name, "project.name"),
        "project.organisation": ctx.user(pr.organisation, "project.organisation"),
        "project.prepared_for": ctx.user(pr.prepared_for, "project.prepared_for"),
        "project.author": ctx.user(pr.author, "project.author"),
        "date": date,
        "kb_as_of": kb.as_of,
        "recommendation": ctx.stack_name(),
        "runner_up": ctx.name(assessment.sensitivity.runner_up),
    }
    built: dict[str, Section] = {}
    # Sources are numbered by first citation, so the sources section is built last
    # whatever its position in the template.
    for spec in sorted(tpl.sections, key=lambda s: s.id == "sources"):
        blocks = BUILDERS[spec.id](ctx)
        if spec.intro:
            blocks = [_p(substitute(spec.intro, values)), *blocks]
        built[spec.id] = Section(spec.id, substitute(spec.title, values), 1, tuple(blocks))
    sections = tuple(built[s.id] for s in tpl.sections)
    names = [ctx.name(f) for f in profile.frameworks]
    meta = Metadata(
        title=substitute(tpl.title, values),
        subtitle=substitute(tpl.subtitle, values),
        author=values["project.author"] or values["project.organisation"] or "briefgen",
        subject=f"Recommendation: {ctx.stack_name()} for {values['project.name']}",
        keywords=("ML workflow frameworks", "decision brief", *names),
        date=date,
        organisation=values["project.organisation"],
        prepared_for=values["project.prepared_for"],
        kb_as_of=kb.as_of,
        header=substitute(tpl.header, values),
    )
    # clean_field may warn twice for the same field (title and conclusion): keep each once.
    unique = tuple(dict.fromkeys(warnings))
    return Brief(meta=meta, sections=sections, theme=theme or Theme(), audience=tpl.audience, warnings=unique)
