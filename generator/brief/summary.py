"""The executive summary and the closing summary: the decision asked for, the recommendation,
its strongest reasons, the trade-off, the confidence and the next step."""

from __future__ import annotations

import re

from generator.brief.plan import option_gaps, poc_scope
from generator.brief.context import (
    POC_TIME, _Ctx, _bullets, _p, _ranked_points, client_text, levels_in, none_viable_steps, pct, scale_notes,
    stakeholder_priorities,
)
from generator.document import Block, BulletList, Callout, Paragraph, Text
from generator.scoring.assessment import Verdict
from generator.wording import after_colon, cause_of, count, join_and, level, mid, points, sentence_of

VERDICT_WORDS = {
    Verdict.CLEAR: "a clear lead",
    Verdict.LEANING: "a lead that holds in most but not all weightings",
    Verdict.TOO_CLOSE: "too close to call on scores alone",
    Verdict.ONLY_VIABLE: "the only option that meets every must-have need",
    Verdict.NONE_VIABLE: "no framework on the shortlist is viable",
}
VERDICT_TONE = {Verdict.CLEAR: "success", Verdict.LEANING: "info", Verdict.TOO_CLOSE: "warning", Verdict.NONE_VIABLE: "warning"}


def _detail(ctx: _Ctx, kind: str, limit: int | None = None) -> list[str]:
    """Scoring's first ``limit`` reasons of one kind (for | tradeoff | rival | context), in scoring's order, each
    citing the sources of what it quotes from the knowledge base."""
    # Only the reasons printed are cited: a citation numbers its sources, and the sources list is what was cited.
    shown = [r for r in ctx.a.recommendation.detail if r.kind == kind][:limit]
    return [client_text(_in_register(ctx, r)) + ctx.cite(r.sources) for r in shown]


def _in_register(ctx: _Ctx, r) -> str:
    """A reason as this brief says it: the short brief gives the situation that makes its criterion matter by its
    cause ("Three or more teams will share the platform."), as its weights table does; the technical brief says
    what follows from it too. A situation resting on a field the profile left out says it is assumed: "Nobody else
    runs infrastructure for this team" read as a fact about a team that never said so."""
    if not r.lead or not r.text.startswith(r.lead):
        return r.text
    assumed = _rests_on_assumed(ctx, r.lead)
    if ctx.technical or ", so " not in r.lead:
        if not assumed:
            return r.text
        lead = r.lead.rstrip(". ")
        return _assumed(lead) + r.text[len(r.lead.rstrip(". ")):]
    cause = cause_of(r.lead)
    return sentence_of(_assumed(cause) if assumed else cause) + r.text[len(r.lead):]


def _rests_on_assumed(ctx: _Ctx, lead: str) -> bool:
    """Whether ``lead`` is the reason of a rule whose conditions all read fields the profile left out (the reason's
    other factors, a need or a goal, are the team's own words)."""
    said = " ".join(lead.split()).rstrip(". ")
    for rule in ctx.kb.rules:
        reason = " ".join(rule.reason.split()).rstrip(". ")
        if said in (reason, cause_of(reason)):
            fields = {c.field for c in rule.when}
            return bool(fields) and fields <= ctx.profile.assumed
    return False


def _assumed(situation: str) -> str:
    """"Nobody else runs infrastructure for this team (not stated, so assumed)": the situation's first clause marked."""
    head, sep, tail = situation.partition(", so ")
    return f"{head} (not stated, so assumed){sep}{tail}"


def _strongest_reasons(ctx: _Ctx, limit: int) -> list[str]:
    """The strengths that carry the pick for this profile (scoring's reasons of kind "for"), strongest first."""
    return _detail(ctx, "for", limit)


# Scoring writes the trade-off as a sentence of its own ("The trade-off: X is stronger on ...");
# the brief puts it after its own label.
_TRADE_OFF_LEAD = re.compile(r"^The trade-off:\s*")


def _trade_off(ctx: _Ctx) -> str:
    """Where the runner-up beats the recommendation by the most weight (scoring's "tradeoff" reason), else
    the recommendation's most relevant drawback from the knowledge base."""
    trade = _detail(ctx, "tradeoff", 1)
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
    rivals = _detail(ctx, "rival", 1) if ctx.a.recommendation.primary else []
    return rivals[0] if rivals else ""


def _left_undone(ctx: _Ctx) -> str:
    """The should-have needs the pick leaves below 3 of 5 with nothing to close them: no tool the team runs does
    them and no documented companion that fits this profile would. Page 1 says so, or a "clear choice" reads as if
    it did everything the team asked; the gaps a companion or the team's own tools close are the plan's to say."""
    if not ctx.a.recommendation.primary:
        return ""
    key = "+".join(ctx.a.recommendation.stack)
    gaps = [(cid, need, lvl) for cid, need, lvl, held, fix in option_gaps(ctx, key) if held is None and fix is None]
    if not gaps:
        return ""
    # Only should-haves: the pick meets every must-have at 3 of 5 or more, or it would not be the pick.
    one = len(gaps) == 1
    scores = join_and([f"{level(lvl)} of 5 on {mid(ctx.crit(cid))}" for cid, _, lvl in gaps])
    return (f"{ctx.name(key)} scores {scores}, {'a should-have need' if one else 'should-have needs'} that no "
            f"documented companion fitting this team closes: accept {'it' if one else 'them'} or widen the shortlist.")


def _confidence(ctx: _Ctx) -> str:
    rec, sens = ctx.a.recommendation, ctx.a.sensitivity
    if not rec.primary:
        return "No option is viable, so there is nothing to be confident about yet."
    words = {
        "clear": "High",
        "leaning": "Moderate",
        "too_close": "Low",
        "only_viable": "High, by elimination",
    }.get(rec.verdict, "Moderate")
    text = f"{words}: {VERDICT_WORDS.get(rec.verdict, rec.verdict)}."
    if sens.runner_up:
        text += (
            f" The recommendation stays ahead of {sens.rivals} in {pct(sens.robustness)} of {count(sens.samples)} trials in which every "
            "criterion's weight was varied at random"
        )
        text += f"; {ctx.cross_check()}."
    return text


def _stakeholders(ctx: _Ctx) -> str:
    """Whether the recommendation holds for every stakeholder, each judged on their own weights; who would
    pick otherwise, and what they give priority to. Nothing to say with fewer than two stakeholders."""
    views, rec, sens = ctx.a.stakeholders, ctx.a.recommendation, ctx.a.sensitivity
    if len(views) < 2 or not rec.primary:
        return ""

    def who(v) -> str:
        return ctx.user(v.name, "stakeholders.name")

    agree = [v for v in views if v.agrees]
    differ = [v for v in views if not v.agrees]
    if not differ:
        # A stakeholder whose own pick is the same main framework with other companions agrees on the platform.
        same = all(v.pick == sens.leader for v in views)
        pick = f"pick {ctx.name(sens.leader)}" if same else f"put {ctx.name(rec.primary)} first"
        # "among these options": a stakeholder's own pick is chosen from the options built for the group, which a
        # profile scored on that one person's priorities alone may build and name otherwise
        return (f"The recommendation holds for every stakeholder: weighing only their own priorities among these "
                f"options, {join_and([who(v) for v in views])} would each {pick} too.")
    lead = ctx.name(rec.primary)
    text = (
        f"The recommendation holds for {len(agree)} of {len(views)} stakeholders ({join_and([who(v) for v in agree])}): "
        if agree else f"No stakeholder, weighing only their own priorities, would put {lead} first; it leads on their "
        "combined weights: "
    )
    clauses = []
    for v in differ:
        wants = stakeholder_priorities(ctx, v.name, 2)
        because = f", whose priorities are {join_and(wants)}," if wants else ""
        clauses.append(f"{who(v)}{because} would pick {ctx.name(v.pick)}")
    return text + "; ".join(clauses) + ". Settle the difference before the proof of concept."


def _next_step(ctx: _Ctx) -> str:
    p = ctx.profile
    scope = poc_scope(ctx).rstrip(".")
    return (
        f"Run a proof of concept of {scope} within "
        f"{POC_TIME.get(p.constraints.time_to_value, 'six weeks')}, with the success and exit criteria in the adoption plan."
    )


def _recommendation(ctx: _Ctx) -> list[Block]:
    rec, sens = ctx.a.recommendation, ctx.a.sensitivity
    p = ctx.profile
    project = ctx.user(p.project.name, "project.name")
    by = ctx.user(p.project.prepared_for, "project.prepared_for")
    org = ctx.user(p.project.organisation, "project.organisation")
    who = f"{org} should adopt" if org else "to adopt"
    blocks: list[Block] = [
        _p(
            Text("Decision asked for: ", bold=True),
            f"which ML workflow platform {who} for {_the_project(project)}."
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
    running = _already_running(ctx)
    if running:
        blocks.append(_p(Text("Already in use: ", bold=True), running))
    if rec.primary:
        reasons = _strongest_reasons(ctx, min(3, ctx.tpl.limit("reasons")) if not ctx.technical else ctx.tpl.limit("reasons"))
    else:
        reasons = _detail(ctx, "rival", ctx.tpl.limit("reasons"))
    if reasons:
        blocks.append(_p(Text("Why, for this team", bold=True)))
        blocks.append(_bullets(client_text(r) for r in reasons))
    trade = _trade_off(ctx)
    if trade:
        blocks.append(_p(Text("Key trade-off: ", bold=True), trade))
    rival = _rival(ctx)
    if rival:
        # A framework that would outscore the pick but is ruled out is not a rival the team can choose: under
        # "Strongest rival" a reader took it for the real contest, which the headline names.
        outscored = " would score higher (" in rival.split(": ", 1)[0]
        blocks.append(_p(Text("Why not the top scorer: " if outscored else "Strongest rival: ", bold=True), rival))
    undone = _left_undone(ctx)
    if undone:
        blocks.append(_p(Text("Left undone: ", bold=True), undone))
    blocks.append(_p(Text("Confidence: ", bold=True), _confidence(ctx)))
    stakeholders = _stakeholders(ctx)
    if stakeholders:
        blocks.append(_p(Text("Stakeholders: ", bold=True), stakeholders))
    if rec.primary:
        blocks.append(_p(Text("Next step: ", bold=True), _next_step(ctx)))
    # A level off the whole numbers 0 to 5 quoted above is explained where it is read, not only in a table caption.
    notes = scale_notes(x for b in blocks for x in levels_in(_text_of(b)))
    if notes:
        blocks.append(_p(f"Scores are 0 to 5 per criterion. {notes}", style="small"))
    return blocks


def _already_running(ctx: _Ctx) -> str:
    """The recommended frameworks the team uses today and is not replacing (nor keeping: a kept one is named in the
    headline as kept): Wise, which trains on SageMaker AI already, read "Recommend Amazon SageMaker AI" and a plan to
    move its models onto it as the advice to adopt something new."""
    cur = ctx.profile.current
    used = [f for f in ctx.a.recommendation.stack if f in cur.tools and f not in cur.keep and f not in cur.replacing]
    if not used:
        return ""
    names = join_and([ctx.name(f) for f in used])
    return (f"the team runs {names} today, so this is advice to build on {'it' if len(used) == 1 else 'them'}, "
            "not to adopt a new platform.")


def _the_project(name: str) -> str:
    """The project as a sentence names it: its name is the profile's own title, so it is quoted, not made a noun
    phrase ("for the project “Credit risk model platform”", never "for Credit risk model platform")."""
    return f"the project “{name}”" if name else "this project"


def _text_of(block: Block) -> str:
    if isinstance(block, Paragraph):
        return "".join(t.text for t in block.content)
    if isinstance(block, BulletList):
        return " ".join(_text_of(p) for p in block.items)
    if isinstance(block, Callout):
        return " ".join(_text_of(p) for p in block.body)
    return ""


def _conclusion(ctx: _Ctx) -> list[Block]:
    rec, sens, p = ctx.a.recommendation, ctx.a.sensitivity, ctx.profile
    project = ctx.user(p.project.name, "project.name")
    if not rec.primary:
        return [
            _p(f"For {_the_project(project)}, no framework on the shortlist is viable."),
            _p(Text("Next steps", bold=True)),
            _bullets(none_viable_steps(ctx, " above"), numbered=True),
        ]
    verdict = VERDICT_WORDS.get(rec.verdict, rec.verdict)
    text = f"For {_the_project(project)}, {ctx.stack_name()} is the recommended choice: {verdict}."
    steps = [_next_step(ctx)]
    if sens.runner_up:
        if rec.verdict == "clear":
            steps.append(f"Keep {ctx.name(sens.runner_up)} as the fallback if the proof of concept fails.")
        else:
            steps.append(f"Include {ctx.name(sens.runner_up)} in the proof of concept: the decision is close.")
    steps.append(f"Re-run this brief when the project's needs change; the knowledge base's sources were last checked on {ctx.kb.as_of}.")
    return [_p(text), _p(Text("Next steps", bold=True)), _bullets(steps, numbered=True)]
