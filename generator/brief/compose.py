"""Assessment + knowledge base + template -> Brief: the words and tables a stakeholder reads.

``compose`` is pure: no files, no clock, no environment, no renderer. It reads
only its arguments (and the bundled template, cached, when none is given), so
the same inputs always give the same Brief. The caller decides the date
(the pipeline passes :func:`generator.dates.today`).
"""

from __future__ import annotations

import re
from typing import Iterable

from generator.brief.options import excluded_mentions, excluded_terms, options_of, short_name, without_excluded
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
    iter_text,
)
from generator.knowledge.model import NOTE_CRITERIA, Fact, KnowledgeBase, Point
from generator.profile.model import CAPABILITIES
from generator.sanitize import clean_field
from generator.scoring.assessment import Assessment, Verdict
from generator.scoring.provenance import provenance, provenance_line
from generator.wording import (
    after_colon,
    count,
    decimals,
    join_and,
    level,
    mid,
    percent,
    percent_pair,
    points,
    sentence_of,
    value_words,
)

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
_NOTE_PRIORITY = (
    "priorities.{0}: {0} is not scored or weighted (no benchmark measures it the same way for every framework), "
    "so this priority is ignored; the technical brief shows each framework's sourced {0} notes instead"
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

# The brief prints every percentage one way, "12%": wording's unspaced style.
pct = percent
pct_pair = percent_pair
# Knowledge-base remarks addressed to its editors, not to a client ("the seed article's ... is wrong").
_EDITORIAL = re.compile(r"\s*\(the seed article's [^)]*\)", re.IGNORECASE)


def client_text(text: str) -> str:
    return _EDITORIAL.sub("", text)


# ---------------------------------------------------------------- context


class _Ctx:
    """What every section builder needs; the citation counter is its only state."""

    def __init__(self, a: Assessment, kb: KnowledgeBase, tpl: Template, warnings: list[str], date: str = ""):
        self.a = a
        self.kb = kb
        self.date = date  # the brief's date: facts are judged stale against it
        self.tpl = tpl
        self.warnings = warnings
        self.profile = a.profile
        self.weights = {w.criterion: w.value for w in a.weights}
        self.ranked = {r.framework: r for r in a.ranking}
        self.cited: dict[str, int] = {}
        self.technical = tpl.audience == "technical"
        self.options = options_of(a)
        self.excluded = excluded_terms(a, self.name)

    def name(self, fid: str | None) -> str:
        """Display name of a framework id, or of a stack key such as 'kubeflow+mlflow'."""
        if not fid:
            return ""
        if "+" in fid:
            return " + ".join(self.name(part) for part in fid.split("+"))
        fw = self.kb.frameworks.get(fid)
        return fw.name if fw else self.a.names.get(fid, fid)

    def short(self, key: str) -> str:
        """An option's name where space is tight (chart labels, matrix columns); the glossary spells them out."""
        return " + ".join(short_name(self.name(f)) for f in key.split("+"))

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

    def aged(self, statement: Fact | Point) -> str:
        """' (evidence from 2024)' when the statement's evidence is older than a year on the brief's date."""
        if not self.kb.is_stale(statement, self.date or None):
            return ""
        year = self.kb.judged_date(statement)[:4]
        # Undated living documentation is judged by when it was read; say so rather than date the evidence.
        return f" (evidence from {year})" if statement.evidence_date else f" (undated sources, last read in {year})"

    def relevance(self, point: Point) -> float:
        return sum(self.weights.get(c, 0.0) for c in point.criteria)

    def stack_name(self) -> str:
        return self.name("+".join(self.a.recommendation.stack))

    def excluded_in(self, text: str) -> bool:
        return bool(excluded_mentions(text, self.excluded))

    def allowed(self, text: str) -> str:
        """Advice without the alternatives this profile rules out ("" if none is left)."""
        return without_excluded(text, self.excluded)

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

LEVEL_WORDS = {3: "high", 2: "medium", 1: "low"}
# Who owns a risk, by the criterion it bears on most: a role, never a person.
OWNER_ROLES = {
    "governance_security": "Security and compliance lead",
    "infrastructure_fit": "Platform lead",
    "operational_overhead": "Platform lead",
    "scalability": "Platform lead",
    "performance": "Platform lead",
    "cost": "Budget owner",
    "ease_of_use": "ML engineering lead",
    "community_maturity": "Architecture board",
    "ecosystem": "ML engineering lead",
}
HOSTING_WORDS = {
    "self_hosted": "self-hosted: the team runs it",
    "managed": "a managed cloud service",
    "both": "self-hosted, or as a managed service",
    "saas": "a hosted service (SaaS)",
}
BILLED_WORDS = {
    "self_hosted": "no licence fee; the compute, storage and people that run it",
    "managed": "usage on the cloud bill: compute, storage and serving endpoints",
    "both": "self-hosted: the infrastructure it runs on; managed: a subscription or usage fee",
    "saas": "a subscription, usually per seat or by usage",
}
PRICING_WORDS = {
    "open_source": "open source, no paid edition",
    "open_core": "open core: a free core, paid editions",
    "per_seat_saas": "a hosted service, priced per seat",
    "pay_per_use_cloud": "pay per use on the cloud bill",
}
KUBERNETES_WORDS = {
    "required": "a Kubernetes cluster and people who can operate it",
    "optional": "Kubernetes optional; it also runs on plain servers",
    "not_needed": "no Kubernetes cluster",
}
GLOSSARY = (
    ("DVC", "Data Version Control: versions datasets and models alongside the code."),
    ("W&B", "Weights & Biases, an experiment-tracking service."),
    ("Azure ML", "Azure Machine Learning, Microsoft's managed ML platform."),
    ("TOPSIS", "A second ranking method used as a cross-check: it ranks options by their closeness to an ideal option that is best on every criterion."),
    ("MoSCoW", "The scale for the profile's needs: must have, should have, could have, won't have."),
    ("Kubernetes", "The container platform many ML workflow tools run on; running it takes dedicated skill."),
    ("KServe", "The model-serving component used with Kubeflow on Kubernetes."),
    ("Katib", "Kubeflow's hyperparameter tuning component."),
    ("air-gapped", "An environment with no connection to the internet; software must be installed from local copies."),
    ("companion", "A second tool that covers a need the main framework does not, used together as one option."),
    ("proof of concept", "A short, time-boxed trial on one real model that tests the recommendation before committing."),
    ("must-have", "A need every option has to meet; an option that cannot meet it is ruled out."),
    ("robustness", "The share of random re-weightings of the criteria in which the recommendation stays first."),
    ("MLOps", "The practice of running machine-learning models in production: training pipelines, tracking, registry, serving and monitoring."),
    ("model registry", "A catalogue of trained models with their versions, lineage and approval status."),
    ("experiment tracking", "Recording the parameters, metrics and artefacts of every training run so results can be compared and reproduced."),
)


def _detail(ctx: _Ctx, kind: str) -> list[str]:
    """Scoring's reasons of one kind (for | tradeoff | rival | context), in scoring's order."""
    return [client_text(r.text) for r in ctx.a.recommendation.detail if r.kind == kind]


def _strongest_reasons(ctx: _Ctx, limit: int) -> list[str]:
    """The strengths that carry the pick for this profile (scoring's reasons of kind "for"), strongest first."""
    return _detail(ctx, "for")[:limit]


# Scoring writes the trade-off as a sentence of its own ("The trade-off: X is stronger on ...");
# the brief puts it after its own label.
_TRADE_OFF_LEAD = re.compile(r"^The trade-off:\s*")


def _trade_off(ctx: _Ctx) -> str:
    """Where the runner-up beats the recommendation by the most weight (scoring's "tradeoff" reason), else
    the recommendation's most relevant drawback from the knowledge base."""
    trade = _detail(ctx, "tradeoff")
    if trade:
        text = _TRADE_OFF_LEAD.sub("", trade[0])
        return text[:1].upper() + text[1:]
    lead = ctx.options.get(ctx.a.sensitivity.leader)
    if lead is None:
        return ""
    cons = [p for fid in lead.frameworks if fid in ctx.kb.frameworks for p in _ranked_points(ctx, ctx.kb.frameworks[fid].cons, 1)]
    con = cons[0].text.rstrip(".") if cons else ""
    return sentence_of(f"The main drawback: {after_colon(client_text(con))}") if con else ""


def _rival(ctx: _Ctx) -> str:
    """What ruled out the strongest framework that is out (scoring's "rival" reason); with nothing viable,
    scoring's reasons are all of this kind and the brief shows them as its reasons instead."""
    rivals = _detail(ctx, "rival")
    return rivals[0] if rivals and ctx.a.recommendation.primary else ""


def _confidence(ctx: _Ctx) -> str:
    rec, sens = ctx.a.recommendation, ctx.a.sensitivity
    if not rec.primary:
        return "No option meets every must-have need, so there is nothing to be confident about yet."
    words = {
        "clear": "High",
        "leaning": "Moderate",
        "too_close": "Low",
        "only_viable": "High, by elimination",
    }.get(rec.verdict, "Moderate")
    text = f"{words}: {VERDICT_WORDS.get(rec.verdict, rec.verdict)}."
    if sens.runner_up:
        text += (
            f" The recommendation stays first in {pct(sens.robustness)} of {count(sens.samples)} trials in which every "
            "criterion's weight was varied at random"
        )
        text += "; a second ranking method agrees." if ctx.a.methods_agree else f"; a second ranking method prefers {ctx.name(ctx.a.topsis_leader)}."
    return text


def _next_step(ctx: _Ctx) -> str:
    p = ctx.profile
    return (
        f"Run a proof of concept of {ctx.stack_name()} on one real model within "
        f"{POC_TIME.get(p.constraints.time_to_value, 'six weeks')}, with the success and exit criteria in the adoption plan."
    )


def _recommendation(ctx: _Ctx) -> list[Block]:
    rec, sens = ctx.a.recommendation, ctx.a.sensitivity
    p = ctx.profile
    project = ctx.user(p.project.name, "project.name")
    by = ctx.user(p.project.prepared_for, "project.prepared_for")
    org = ctx.user(p.project.organisation, "project.organisation")
    blocks: list[Block] = [
        _p(
            Text("Decision asked for: ", bold=True),
            f"which ML workflow platform {org + ' ' if org else ''}should adopt for {project}."
            + (f" Decision by: {by}." if by else ""),
        )
    ]
    # Scoring writes the one sentence (pick, score, margin, robustness); compose only
    # supplies one when it is missing, so both always agree with the numbers.
    sentence = rec.sentence.strip()
    if not sentence and rec.primary:
        leader = ctx.options.get(sens.leader)
        score = f"{points(leader.score)} of 100" if leader else "the top score"
        sentence = f"Adopt {ctx.stack_name()}: it scores {score}, {VERDICT_WORDS.get(rec.verdict, rec.verdict)}."
    if not rec.primary:
        sentence = sentence or "No framework on the shortlist is viable."
    blocks.append(Callout("Recommendation", (_p(Text(sentence, bold=True)),), VERDICT_TONE.get(rec.verdict, "info")))
    if rec.primary:
        reasons = _strongest_reasons(ctx, min(3, ctx.tpl.limit("reasons")) if not ctx.technical else ctx.tpl.limit("reasons"))
    else:
        reasons = _detail(ctx, "rival")[: ctx.tpl.limit("reasons")]
    if reasons:
        blocks.append(_p(Text("Why, for this team", bold=True)))
        blocks.append(_bullets(client_text(r) for r in reasons))
    trade = _trade_off(ctx)
    if trade:
        blocks.append(_p(Text("Key trade-off: ", bold=True), trade))
    rival = _rival(ctx)
    if rival:
        blocks.append(_p(Text("Strongest rival: ", bold=True), rival))
    blocks.append(_p(Text("Confidence: ", bold=True), _confidence(ctx)))
    if rec.primary:
        blocks.append(_p(Text("Next step: ", bold=True), _next_step(ctx)))
    return blocks


def _profile(ctx: _Ctx) -> list[Block]:
    """The profile as sentences; the inputs that drive the result are listed after them."""
    p = ctx.profile
    t, i, w, c = p.team, p.infrastructure, p.workload, p.constraints
    blocks: list[Block] = []
    summary = ctx.user(p.project.summary, "project.summary")
    if summary:
        blocks.append(_p(sentence_of(summary)))
    people = "person" if t.size == 1 else "people"
    team = (
        f"A team of {t.size} {people} ({_count(t.data_scientists, 'data scientist')}, {_count(t.ml_engineers, 'ML engineer')}) "
        f"with {value_words('team.kubernetes_skill', t.kubernetes_skill)} and {value_words('team.platform_team', t.platform_team)}."
    )
    clouds = join_and([value_words("infrastructure.clouds", x) for x in i.clouds if x != "other"] + (["another cloud"] if "other" in i.clouds else []))
    places = ([f"the {clouds} cloud" + ("s" if len(i.clouds) > 1 else "")] if clouds else []) + (["its own data centre"] if i.on_prem else [])
    infra = (
        (f"It runs on {join_and(places)}" if places else "It names no cloud or data centre")
        + (", air-gapped from the internet," if i.air_gapped else "")
        + f" with {value_words('infrastructure.kubernetes', i.kubernetes)} and {value_words('infrastructure.gpus', i.gpus)}."
    )
    libs = join_and([ctx.user(x, "workload.libraries") for x in w.libraries])
    work = (
        f"{_count(w.models_in_production, 'model')} in production, {value_words('workload.data_volume', w.data_volume)}, "
        f"{value_words('workload.serving', w.serving)}" + (", distributed training" if w.distributed_training else "")
        + (f"; libraries in use: {libs}." if libs else ".")
    )
    blocks.append(_bullets([team, infra, work[:1].upper() + work[1:]]))
    by_level: dict[str, list[str]] = {m: [] for m in ("must", "should", "could", "wont")}
    for cap in CAPABILITIES:
        by_level.setdefault(p.needs.get(cap, "could"), []).append(mid(ctx.crit(cap)))
    needs = [
        _p(Text("Must have: ", bold=True), join_and(by_level["must"]) or "nothing marked as a must", "."),
        _p(Text("Should have: ", bold=True), (join_and(by_level["should"]) or "nothing"), "."),
        _p(Text("Could have: ", bold=True), (join_and(by_level["could"]) or "nothing"), "; ", Text("not needed: ", bold=True), (join_and(by_level["wont"]) or "nothing"), "."),
    ]
    blocks.append(BulletList(tuple(needs)))
    limits = ["open-source software only" if c.open_source_only else "commercial software allowed", value_words("constraints.managed_services", c.managed_services), value_words("constraints.budget", c.budget), value_words("constraints.time_to_value", c.time_to_value)]
    blocks.append(_p(Text("Constraints: ", bold=True), sentence_of(join_and(limits)[:1].upper() + join_and(limits)[1:])))
    if p.priorities:
        prios = join_and([f"{mid(ctx.crit(k))} {level(v)} of 10" for k, v in p.priorities.items()])
        blocks.append(_p(Text("Priorities set: ", bold=True), prios, "."))
    blocks.append(_p(Text("Shortlist: ", bold=True), join_and([ctx.name(f) for f in p.frameworks]), "."))
    drivers = _driving_inputs(ctx)
    if drivers:
        blocks.append(_p(Text("The inputs that drive the result", bold=True)))
        blocks.append(_bullets(drivers))
    return blocks


def _count(n: int, noun: str) -> str:
    """'1 model', '3 models', '20 people': the plural agrees with the count."""
    if n == 1:
        return f"1 {noun}"
    return f"{n} {'people' if noun == 'person' else noun + 's'}"


def _driving_inputs(ctx: _Ctx) -> list[str]:
    a = ctx.a
    out = []
    by_reason: dict[str, list[str]] = {}
    for k in a.knockouts:
        if k.rule is not None and k.framework not in ctx.options.companions:
            by_reason.setdefault(k.reason.split(":", 1)[0], []).append(ctx.name(k.framework))
    by_names: dict[tuple[str, ...], list[str]] = {}
    for head, names in by_reason.items():
        by_names.setdefault(tuple(dict.fromkeys(names)), []).append(mid(head))
    for names, heads in by_names.items():
        text = join_and(heads)
        verb = "rules" if len(heads) == 1 else "each rule"
        out.append(f"{text[:1].upper() + text[1:]} {verb} out {join_and(list(names))}.")
    musts = [mid(ctx.crit(c)) for c in CAPABILITIES if ctx.profile.needs.get(c) == "must"]
    if musts:
        out.append(f"Must-have needs ({join_and(musts)}): every option has to score at least 3 of 5 on each, alone or with a companion.")
    heavy = sorted((w for w in a.weights if w.value > 0), key=lambda w: -w.value)[:3]
    if heavy:
        out.append("Heaviest criteria: " + join_and([f"{mid(ctx.crit(w.criterion))} ({pct(w.value)})" for w in heavy]) + ".")
    return out


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
            caption += f" {_count(more, 'further combination')} with a lower score {'is' if more == 1 else 'are'} not shown."
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
    for f in opts.companions:
        if not ctx.ranked.get(f) or not ctx.ranked[f].knocked_out:
            continue  # not viable alone only for want of a companion: the next note says so
        r = ctx.ranked.get(f)
        why = f": alone, {after_colon(r.knockouts[0].rstrip('.'))}" if r and r.knockouts else ""
        notes.append(f"{ctx.name(f)} is used only as a companion inside the options above{why}.")
    partial = [r.framework for r in a.ranking if r.needs_companion and not r.knocked_out]
    if partial:
        verb = "meets" if len(partial) == 1 else "meet"
        notes.append(f"{join_and([ctx.name(f) for f in partial])} {verb} every must-have need only with a companion, so only {'its combinations are' if len(partial) == 1 else 'their combinations are'} options.")
    if ctx.technical and a.recommendation.stack_detail is not None:
        notes.append(f"How the recommended combination was built: {a.recommendation.stack_detail.reason}{ctx.cite(a.recommendation.stack_detail.sources)}")
    if notes:
        blocks.append(_bullets(notes))
    if opts.ruled_out:
        blocks.append(_p(Text("Ruled out", bold=True), " (cannot meet a must-have need or a hard constraint of this profile):"))
        blocks.append(_ruled_out_table(ctx))
    return blocks


def _ruled_out_table(ctx: _Ctx) -> Table:
    """One row per reason naming every framework it excludes (the short brief: each framework's first
    reason), or in the technical brief one row per framework with all its reasons."""
    rows = []
    if ctx.technical:
        for f in ctx.options.ruled_out:
            ks = [k for k in ctx.a.knockouts if k.framework == f]
            sources = tuple(dict.fromkeys(sid for k in ks for sid in k.sources))
            rows.append((ctx.name(f), " ".join(k.reason for k in ks) + ctx.cite(sources)))
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


def _weight_why(ctx: _Ctx, w) -> str:
    """Scoring's weight reasons in a reader's words: the need or standard weight it starts from, then each
    fact of this profile that raised or lowered it, the goals and priorities; no rule ids or internal weights."""
    factors = {}
    for rule in ctx.kb.rules:
        for e in rule.effects:
            if e.kind == "weight" and e.criterion == w.criterion:
                factors[rule.id] = e.factor
    rule_reasons = dict(zip(w.reasons[1 : 1 + len(w.rules)], w.rules))
    out = []
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
            out.append(f"{verb}: {after_colon(r, tuple(ctx.a.names.values()))}")
        else:
            out.append(after_colon(r, tuple(ctx.a.names.values())))
    text = "; ".join(out)
    return text[:1].upper() + text[1:]


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
            "performance follows as sourced notes.",
            widths=(2.4, 1.4, 1.4, 1.4),
            align=("left", "right", "right", "right"),
        ))
    for cid, label in qualities:
        cells = [ctx.a.cells[(f, cid)] for f in shortlist if (f, cid) in ctx.a.cells]
        if not cells:
            continue
        best = max(cells, key=lambda cell: cell.score)
        if ctx.technical:
            blocks.append(_p(Text(f"{label}, weight {pct(ctx.weights.get(cid, 0.0))}: {ctx.name(best.framework)} leads with {level(best.score)} of 5.", bold=True)))
            blocks.append(
                _bullets(f"{ctx.name(c.framework)} ({level(c.score)}): {client_text(c.rationale)}{ctx.cite(c.sources)}" for c in cells)
            )
        else:
            # The space stays outside the bold run: "**Scalability:** ..." is valid CommonMark, "**Scalability: **" is not.
            blocks.append(_p(Text(label + ":", bold=True), f" {ctx.name(best.framework)} leads with {level(best.score)} of 5. {client_text(best.rationale)}{ctx.cite(best.sources)}"))
    if ctx.technical:
        blocks += _performance_notes(ctx, shortlist)
    return blocks


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


def _frameworks(ctx: _Ctx) -> list[Block]:
    limit = ctx.tpl.limit("points")
    order = _detail_order(ctx)
    if not ctx.technical:
        in_play = [f for f in order if f not in ctx.options.ruled_out]
        return _frameworks_table(ctx, in_play[: ctx.tpl.limit("frameworks_detail")])
    detail = order[: ctx.tpl.limit("frameworks_detail")]
    subs: list[Block] = []
    for fid in detail:
        fw, r = ctx.kb.frameworks[fid], ctx.ranked[fid]
        body: list[Block] = []
        if fid in ctx.options.ruled_out:
            body.append(_p(Text("Ruled out: ", bold=True), " ".join(r.knockouts)))
        elif fid in ctx.options.companions:
            body.append(_p(Text("Companion: ", bold=True), "used inside the recommended option, not on its own."))
        pros = _ranked_points(ctx, fw.pros, limit)
        cons = _ranked_points(ctx, fw.cons, limit)
        if pros:
            body.append(_p(Text("Pros", bold=True)))
            body.append(_bullets(_point(ctx, p) for p in pros))
        if cons:
            body.append(_p(Text("Cons", bold=True)))
            body.append(_bullets(_point(ctx, p, with_mitigation=True) for p in cons))
        subs.append(Section(f"framework-{fid}", f"{fw.name}: {points(r.score)} of 100 on its own", 2, tuple(body)))
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


def _band(x: float, high: float, medium: float) -> str:
    return "High" if x >= high else "Medium" if x >= medium else "Low"


def _risks(ctx: _Ctx) -> list[Block]:
    """The risk register: likelihood, impact, mitigation and owner role for the recommended option."""
    a, rec, sens = ctx.a, ctx.a.recommendation, ctx.a.sensitivity
    rows: list[tuple[str, ...]] = []
    if rec.verdict != "clear" and sens.runner_up:
        rows.append(
            (
                f"The lead over {ctx.name(sens.runner_up)} is narrow: {points(rec.margin)} points, first in "
                f"{pct(sens.robustness)} of re-weightings.",
                "Medium",
                "Medium",
                f"Run the proof of concept with both {ctx.name(sens.leader)} and {ctx.name(sens.runner_up)} before committing.",
                "Architecture board",
            )
        )
    if not a.methods_agree and a.topsis_leader:
        rows.append(
            (
                f"A second ranking method prefers {ctx.name(a.topsis_leader)}.",
                "Medium",
                "Low",
                "Review the criteria where the two options differ most before deciding.",
                "Architecture board",
            )
        )
    cons = []
    for fid in rec.stack:
        fw = ctx.kb.frameworks.get(fid)
        if fw:
            cons += [(fw, p) for p in fw.cons]
    cons.sort(key=lambda fp: -ctx.relevance(fp[1]))
    musts = {c for c in ctx.weights if ctx.profile.needs.get(c) == "must"}
    # Cut before citing: a source is numbered only if its citation is printed.
    for fw, p in cons[: max(0, ctx.tpl.limit("risks") - len(rows))]:
        prefix = f"{fw.name}: " if len(rec.stack) > 1 else ""
        mitigation = ctx.allowed(p.mitigation) if p.mitigation else ""
        main = max(p.criteria, key=lambda c: ctx.weights.get(c, 0.0), default="")
        rows.append(
            (
                prefix + client_text(p.text) + ctx.cite(p.sources) + ctx.aged(p),
                _band(ctx.relevance(p), 0.12, 0.05),
                "High" if musts & set(p.criteria) else _band(ctx.relevance(p), 0.12, 0.05),
                mitigation or "Test it in the proof of concept and plan for it explicitly.",
                OWNER_ROLES.get(main, "ML platform lead"),
            )
        )
    rows = rows[: ctx.tpl.limit("risks")]
    if not rows:
        return [_p("No risk specific to this recommendation is recorded in the knowledge base.")]
    return [
        Table(
            ("Risk", "Likelihood", "Impact", "Mitigation", "Owner"),
            tuple(rows),
            caption="Likelihood from how much the risk weighs in this profile; impact high when it touches a must-have need.",
            widths=(3, 1.1, 1, 3, 1.5),
        )
    ]


def flip_sentences(ctx: _Ctx) -> list[tuple[float, str]]:
    """(distance, sentence) per flip that can happen, e.g. 'If cost mattered more than 31% of the total weight, Kubeflow would lead.'"""
    sens = ctx.a.sensitivity
    out = []
    for f in _real_flips(ctx):
        direction = "more" if f.flip_at > f.weight else "less"
        then, now = pct_pair(f.flip_at, f.weight)
        out.append(
            (
                abs(f.flip_at - f.weight),
                f"If {mid(ctx.crit(f.criterion))} mattered {direction} than {then} of the total weight "
                f"(now {now}), {ctx.name(sens.runner_up)} would lead.",
            )
        )
    out.sort(key=lambda x: x[0])
    return out


def _real_flips(ctx: _Ctx) -> list:
    """Flips inside the weights a reader could set: a criterion can weigh neither 0% nor 100% of the total."""
    sens = ctx.a.sensitivity
    if sens.runner_up is None:
        return []
    return sorted(
        (f for f in sens.flips if f.flip_at is not None and 0.005 < f.flip_at < 0.995),
        key=lambda f: abs(f.flip_at - f.weight),
    )


def _change(ctx: _Ctx) -> list[Block]:
    sens = ctx.a.sensitivity
    if not sens.leader:
        return [_p("With no viable option there is no decision to change.")]
    blocks: list[Block] = []
    if sens.runner_up:
        blocks.append(
            _p(
                f"{ctx.name(sens.leader)} stays first in {pct(sens.robustness)} of {count(sens.samples)} trials in which every "
                "criterion's weight was varied at random between half and one and a half times its value."
            )
        )
    sentences = flip_sentences(ctx)[: ctx.tpl.limit("changes")]
    if sentences:
        blocks.append(_bullets(s for _, s in sentences))
    elif sens.runner_up:
        blocks.append(
            _p(f"No change to a single weight makes {ctx.name(sens.runner_up)} overtake {ctx.name(sens.leader)}.")
        )
    else:
        blocks.append(_p("No other option meets every must-have need, so no weight change alters the pick."))
    # the criteria nearest to flipping are charted, in the brief's one criterion order
    rank = _criterion_rank(ctx)
    flips = sorted(_real_flips(ctx)[: ctx.tpl.limit("range_bars")], key=lambda f: rank.get(f.criterion, len(rank)))
    if flips:
        lows, highs, bars = [], [], []
        for f in flips:
            lo, hi = (0.0, f.flip_at) if f.flip_at > f.weight else (f.flip_at, 1.0)
            lows.append(round(lo * 100, 1))
            highs.append(round(hi * 100, 1))
            edge = f.flip_at
            now_text, edge_text = pct_pair(f.weight, edge)
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
            )
        )
    return blocks


def _adoption(ctx: _Ctx) -> list[Block]:
    items = []
    per = 1 if not ctx.technical else 4
    frameworks = [f for f in _detail_order(ctx) if f not in ctx.options.ruled_out]
    if not ctx.technical:
        frameworks = frameworks[:2]
    for fid in frameworks:
        fw = ctx.kb.frameworks.get(fid)
        if not fw:
            continue
        for fact in fw.adoption[:per]:
            items.append(f"{fw.name}: {client_text(fact.text)}{ctx.cite(fact.sources)}{ctx.aged(fact)}")
    if not items:
        return [_p("The knowledge base holds no dated adoption figures for these frameworks.")]
    return [_bullets(items)]


def _cost(ctx: _Ctx) -> list[Block]:
    """Pricing model, what is billed, people and infrastructure to run each framework in play.

    Qualitative only: the knowledge base holds no prices a brief could honestly total.
    The pricing model is the knowledge base's ``pricing`` in words (see _pricing_words).
    """
    in_play = [f for f in _detail_order(ctx) if f not in ctx.options.ruled_out][: max(2, len(ctx.a.recommendation.stack) + 1)]
    rows = []
    for fid in in_play:
        fw = ctx.kb.frameworks[fid]
        overhead = ctx.a.cells.get((fid, "operational_overhead"))
        effort = (
            "little to run" if overhead and overhead.score >= 4
            else "part of an engineer's time to run" if overhead and overhead.score >= 3
            else "ongoing work for a platform team"
        )
        rows.append(
            (
                fw.name,
                _pricing_words(fw),
                BILLED_WORDS.get(fw.hosting, "see the vendor's price list"),
                f"{KUBERNETES_WORDS.get(fw.kubernetes, '')}; {effort}".strip("; "),
            )
        )
    if not rows:
        return [_p("No option is viable, so there is no cost to estimate.")]
    return [
        Table(
            ("Framework", "Pricing model", "What is billed", "People and infrastructure to run it"),
            tuple(rows),
            caption="Qualitative bands from the knowledge base; no prices are estimated.",
            widths=(1.4, 2, 2.6, 2.8),
        )
    ]


def _pricing_words(fw) -> str:
    """The knowledge base's pricing model in words; without one, the licence and the hosting."""
    if fw.pricing:
        return PRICING_WORDS.get(fw.pricing, fw.pricing.replace("_", " "))
    licence = "open source" if fw.open_source else "commercial"
    return f"{licence}; {HOSTING_WORDS.get(fw.hosting, fw.hosting.replace('_', ' '))}"


def _tool_name(ctx: _Ctx, tool: str) -> str:
    """A tool the team uses now, by its name ("AWS Batch", "Apache Airflow"), never its profile id."""
    known = ctx.kb.tools.tools.get(tool)
    if known is not None:
        return known.name
    if tool in ctx.kb.frameworks:
        return ctx.name(tool)
    return ctx.user(tool, "current.tools").replace("_", " ")


def _plan(ctx: _Ctx) -> list[Block]:
    """Proof of concept with success and exit criteria, pilot, rollout, migration."""
    rec, sens, p = ctx.a.recommendation, ctx.a.sensitivity, ctx.profile
    if not rec.primary:
        return [
            _bullets(
                [
                    "Review the ruled-out reasons and decide which constraint or must-have need can be relaxed.",
                    "Widen the shortlist (frameworks: all) and run this brief again.",
                ],
                numbered=True,
            )
        ]
    musts = [mid(ctx.crit(c)) for c in CAPABILITIES if p.needs.get(c) == "must"]
    time_box = POC_TIME.get(p.constraints.time_to_value, "six weeks")
    risk = next((row for row in _risk_texts(ctx)), "")
    success = "one real model trained, tracked, registered and deployed end to end" + (
        f"; each must-have need shown working ({join_and(musts)})" if musts else ""
    )
    if risk:
        success += f"; the main risk checked: {after_colon(risk.rstrip('.'))}"
    fallback = (
        f"switch the proof of concept to {ctx.name(sens.runner_up)}" if sens.runner_up else "revisit the must-have needs and constraints"
    )
    models = p.workload.models_in_production
    pilot_n = max(1, min(3, models))
    current = getattr(p, "current", None)  # profile v2: existing tools to keep or replace
    tools = join_and([_tool_name(ctx, t) for t in getattr(current, "tools", ())]) if current else ""
    migration = (
        f"Move the existing tools ({tools}) in the order the pilot shows is safest; keep them running until the new platform has carried each model through one release."
        if tools
        else f"Move the {_count(models, 'model')} in production team by team; keep the current way of working for each model until it has gone through one release on the new platform."
        if models
        else "No models are in production yet: new models start on the new platform."
    )
    rows = (
        ("1. Proof of concept", f"{time_box}", f"{ctx.stack_name()} on one real model.", f"Success: {success}. Exit: if a must-have need cannot be shown within the time box, {fallback}."),
        ("2. Pilot", "next", f"{_count(pilot_n, 'model')} and the team that owns {'it' if pilot_n == 1 else 'them'}, in production.", "Success: the models release through the platform with no manual steps outside it."),
        ("3. Rollout", "after the pilot", "Every team and model in scope, with the platform's operating guide.", "Success: new models start on the platform by default."),
        ("4. Migration", "during rollout", migration, "Success: the old tools are retired or kept on purpose, each with an owner."),
    )
    return [
        Table(("Phase", "When", "Scope", "Success and exit criteria"), rows, widths=(1.5, 1.1, 2.8, 4)),
    ]


def _risk_texts(ctx: _Ctx) -> list[str]:
    texts = []
    for fid in ctx.a.recommendation.stack:
        fw = ctx.kb.frameworks.get(fid)
        if fw:
            # A drawback that names an option this profile rules out is not this team's risk to check.
            cons = [p for p in fw.cons if not ctx.excluded_in(p.text)]
            texts += [client_text(p.text) for p in _ranked_points(ctx, tuple(cons), 1)]
    return texts


def _assumptions(ctx: _Ctx) -> list[Block]:
    p = ctx.profile
    items = [
        "The profile above describes the team, infrastructure and needs correctly; a wrong input changes the result.",
        f"Framework capabilities are as published by their projects and vendors up to {ctx.kb.as_of}; releases after that date are not reflected.",
        "Scores compare frameworks as typically deployed; a team's own experience with a tool can move them.",
        "Costs are qualitative: licence and hosting model only, no prices or volumes.",
    ]
    if len(ctx.a.recommendation.stack) > 1:
        items.append("The tools of the recommended combination integrate as their documentation describes.")
    if p.team.size:
        items.append(f"The team stays at about {_count(p.team.size, 'person')} for the adoption.")
    return [_bullets(items)]


# Plain-language terms defined in the technical brief only; the short brief keeps to names and methods.
EVERYDAY_TERMS = {"companion", "proof of concept", "must-have", "robustness", "MLOps", "model registry", "experiment tracking"}


def _glossary(ctx: _Ctx, text: str) -> list[Block]:
    lowered = text.lower()
    rows = tuple(
        (term, meaning)
        for term, meaning in GLOSSARY
        if term.lower() in lowered and (ctx.technical or term not in EVERYDAY_TERMS)
    )
    if not rows:
        return [_p("No specialist terms are used.")]
    return [Table(("Term", "Meaning"), rows, widths=(1.4, 5.6))]


def _conclusion(ctx: _Ctx) -> list[Block]:
    rec, sens, p = ctx.a.recommendation, ctx.a.sensitivity, ctx.profile
    project = ctx.user(p.project.name, "project.name")
    if not rec.primary:
        return [
            _p(f"For {project}, no framework on the shortlist meets every must-have need and hard constraint."),
            _p(Text("Next steps", bold=True)),
            _bullets(
                [
                    "Review the ruled-out reasons above and decide which constraint or must-have need can be relaxed.",
                    "Widen the shortlist (frameworks: all) and run this brief again.",
                ],
                numbered=True,
            ),
        ]
    verdict = VERDICT_WORDS.get(rec.verdict, rec.verdict)
    text = f"For {project}, {ctx.stack_name()} is the recommended choice: {verdict}."
    steps = [_next_step(ctx)]
    if sens.runner_up:
        if rec.verdict == "clear":
            steps.append(f"Keep {ctx.name(sens.runner_up)} as the fallback if the proof of concept fails.")
        else:
            steps.append(f"Include {ctx.name(sens.runner_up)} in the proof of concept: the decision is close.")
    steps.append(f"Re-run this brief when the project's needs change; the knowledge base's sources were last checked on {ctx.kb.as_of}.")
    return [_p(text), _p(Text("Next steps", bold=True)), _bullets(steps, numbered=True)]


def _methodology(ctx: _Ctx) -> list[Block]:
    a, sens = ctx.a, ctx.a.sensitivity
    rule_ids = sorted({rid for cell in a.cells.values() for rid in cell.rules})
    rules = {r.id: r for r in ctx.kb.rules}
    blocks: list[Block] = [
        _p(
            "Weights come from the profile: each need's MoSCoW level (must, should, could, won't have) gives a raw weight, "
            "facts about the team and infrastructure raise or lower quality criteria, the project's goals raise the criteria "
            "they name, explicit priorities override all of these, and the result is scaled so the weights add up to 100%. "
            "With several stakeholders, each one's weights are derived the same way and combined by their weighted "
            "geometric mean."
        ),
        _p(
            "Each framework has a sourced level from 0 to 5 per criterion; facts about this profile can move a level. "
            "An option's total is the weighted sum scaled to 0-100. An option is a framework alone or a framework with "
            "companions that cover needs it lacks. A framework that cannot meet a must-have need, alone or with a "
            "companion, or that breaks a hard constraint, is ruled out with its reason."
        ),
        _p(
            "Cross-check: TOPSIS (closeness to an ideal option) "
            + ("ranks the same option first." if a.methods_agree else f"ranks {ctx.name(a.topsis_leader)} first.")
            + f" Robustness: in {count(sens.samples)} trials every weight was multiplied by a random factor between 0.5 and 1.5 "
            f"and the weights rescaled (random state {sens.seed}); the share of trials in which the recommendation stays first "
            f"is {pct(sens.robustness)}."
        ),
    ]
    if rule_ids:
        blocks.append(_p(Text("Facts about this profile that moved scores or weights", bold=True)))
        blocks.append(_bullets(f"{rules[r].reason}{ctx.cite(rules[r].sources)}" for r in rule_ids if r in rules))
    blocks.append(_p(
        f"Knowledge base: sources last retrieved {a.kb_as_of}, newest evidence dated "
        f"{ctx.kb.evidence_as_of or 'undated'}; its exact version is in the brief's 'Reproducible with' line. Facts "
        "whose evidence is more than a year older than this brief are marked with the year of their evidence.",
        style="small",
    ))
    return blocks


def _appendix(ctx: _Ctx) -> list[Block]:
    criteria = _criteria_order(ctx)
    opts = list(ctx.options.viable)
    out = list(ctx.options.ruled_out)
    columns = [("o", o) for o in opts] + [("k", f) for f in out]
    chunks = [columns[i : i + APPENDIX_COLUMNS] for i in range(0, len(columns), APPENDIX_COLUMNS)]
    tables: list[Block] = []
    for n, chunk in enumerate(chunks, 1):
        label = f"Part {n} of {len(chunks)}: scores 0-5 for every criterion." if len(chunks) > 1 else "Scores 0-5 for every criterion."
        tables.append(_matrix(ctx, [o for k, o in chunk if k == "o"], criteria, label, [f for k, f in chunk if k == "k"]))
    return tables


def _sources(ctx: _Ctx) -> list[Block]:
    refs = []
    for sid, n in sorted(ctx.cited.items(), key=lambda kv: kv[1]):
        s = ctx.kb.sources[sid]
        url = s.url if s.url.startswith("https://") else ""
        refs.append(SourceRef(f"[{n}]", s.title, s.publisher, url, s.tier, s.published, s.retrieved, s.released))
    if not refs:
        return [_p("No sources were cited.")]
    return [SourceList(tuple(refs))]


BUILDERS = {
    "recommendation": _recommendation,
    "profile": _profile,
    "scores": _scores,
    "drivers": _drivers,
    "comparison": _comparison,
    "frameworks": _frameworks,
    "cost": _cost,
    "plan": _plan,
    "risks": _risks,
    "change": _change,
    "adoption": _adoption,
    "assumptions": _assumptions,
    "conclusion": _conclusion,
    "methodology": _methodology,
    "appendix": _appendix,
    "sources": _sources,
}
# Built after every other section: sources are numbered by first citation, and the
# glossary lists the terms the rest of the brief uses.
LAST = ("glossary", "sources")


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
    warnings: list[str] = [_NOTE_PRIORITY.format(c) for c in profile.priorities if c in NOTE_CRITERIA]
    pr = profile.project
    date = brief_date(pr.date, today, kb.as_of)
    ctx = _Ctx(assessment, kb, tpl, warnings, date)
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
    for spec in sorted(tpl.sections, key=lambda s: LAST.index(s.id) if s.id in LAST else -1):
        if spec.id == "glossary":
            blocks = _glossary(ctx, " ".join(iter_text(Brief(Metadata("", "", "", "", (), ""), tuple(built.values())))))
        else:
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
        provenance=provenance_line(provenance(profile, assessment.kb_version, assessment.kb_as_of)),
        options=tuple(ctx.name(r.framework) for r in assessment.ranking),
    )
    # clean_field may warn twice for the same field (title and conclusion): keep each once.
    unique = tuple(dict.fromkeys(warnings))
    return Brief(meta=meta, sections=sections, theme=theme or Theme(), audience=tpl.audience, warnings=unique)
