"""The adoption plan and the risk register: how to adopt the recommendation, and what could go
wrong, with an owner for each risk (the cost view is generator.brief.cost)."""

from __future__ import annotations

from generator.brief.context import POC_TIME, _Ctx, _bullets, _count, _p, client_text, none_viable_steps, pct
from generator.brief.frameworks import _detail_order
from generator.document import Block, Table, Text
from generator.profile.model import CAPABILITIES, IN_HOUSE
from generator.scoring.assessment import Verdict
from generator.scoring.fit import HeldNeed, held_needs
from generator.scoring.stacks import MUST_LEVEL, SHARED_BURDEN, WEAKEST_LINK
from generator.wording import after_colon, count, join_and, level, level_on_score, mid, points, sentence_of, without_asides

# A part's drawback on these stays a risk of the whole stack whatever the other parts do: the team runs,
# pays for and learns every part, and a stack is only as secure as its weakest part.
SHARED_BURDENS = (*WEAKEST_LINK, SHARED_BURDEN)

# Who owns a risk, by the criterion it bears on most: a role, never a person. DECIDER stands for whoever
# takes the decision (the profile's ``project.prepared_for``), resolved by _owner.
DECIDER = "Decision-maker"
PLATFORM_LEAD = "Platform lead"
SECURITY_LEAD = "Security and compliance lead"
OWNER_ROLES = {
    "governance_security": SECURITY_LEAD,
    "infrastructure_fit": PLATFORM_LEAD,
    "operational_overhead": PLATFORM_LEAD,
    "scalability": PLATFORM_LEAD,
    "performance": PLATFORM_LEAD,
    "cost": "Budget owner",
    "ease_of_use": "ML engineering lead",
    "community_maturity": DECIDER,
    "ecosystem": "ML engineering lead",
}
# A team this small has no separate platform, security or architecture roles: its technical lead owns
# those risks (still a role, never a person).
SMALL_TEAM = 5
# Below this size a team has no security function of its own: whoever runs its infrastructure owns
# security, or its technical lead when nobody does.
SECURITY_FUNCTION = 10
LEAD_ROLES = (PLATFORM_LEAD, SECURITY_LEAD, "ML engineering lead")


def _decider(ctx: _Ctx) -> str:
    """Who decides, as the profile names them; a board only when it names nobody and the team is not small."""
    by = ctx.user(ctx.profile.project.prepared_for, "project.prepared_for")
    if by:
        return by[:1].upper() + by[1:]
    return "Tech lead" if ctx.profile.team.size <= SMALL_TEAM else "Architecture board"


def _owner(ctx: _Ctx, role: str) -> str:
    """The owner role as this team has it: a role it lacks falls to the one that does that work."""
    team = ctx.profile.team
    if role == DECIDER:
        return _decider(ctx)
    if role in LEAD_ROLES and team.size <= SMALL_TEAM:
        return "Tech lead"
    if role == SECURITY_LEAD and team.size < SECURITY_FUNCTION:
        role = PLATFORM_LEAD
    if role == PLATFORM_LEAD and team.platform_team == "none":
        return "Tech lead"
    return role


def _band(x: float, high: float, medium: float) -> str:
    return "High" if x >= high else "Medium" if x >= medium else "Low"


def _likelihood(ctx: _Ctx, fid: str, point, stack=None) -> str:
    """How likely a drawback bites this team: the option's mean score, in this profile, on what it touches.

    The cells carry the profile's rules (a team that runs Kubernetes lifts Kubeflow's operational fit), so
    the same drawback is likelier for one team than another; the mean, not the weakest cell, so that one
    low score the drawback hardly bears on (ease of use for an expert platform team) does not decide it.
    On a job another part of the recommended option does (MLflow's tracking for Kubeflow's "no tracking or
    data versioning of its own"), that part's score counts: the drawback bites only where nothing covers it.
    """
    scores = [max([ctx.a.cells[(fid, c)].score, *(s for _, s in _covering(ctx, stack, fid, c))])
              for c in point.criteria if (fid, c) in ctx.a.cells]
    if not scores:
        return "Medium"
    mean = sum(scores) / len(scores)
    return "High" if mean <= 2 else "Medium" if mean <= 3 else "Low"


LIKELIHOOD_ORDER = {"High": 0, "Medium": 1, "Low": 2}


IMPACT_ORDER = {"High": 0, "Medium": 1, "Low": 2}


def _recommended_stack(ctx: _Ctx):
    rec = ctx.a.recommendation
    return next((s for s in ctx.a.stacks if s.frameworks == rec.stack), None)


def _carries_must(ctx: _Ctx, stack, fid: str) -> bool:
    """Whether a companion of the recommended stack is the part that does a must-have need."""
    if stack is None or fid == stack.frameworks[0]:
        return False
    part = next((x for x in stack.parts if x.framework == fid), None)
    return bool(part) and any(ctx.profile.needs.get(c) == "must" for c in part.covers)


def _open_cons(ctx: _Ctx) -> list:
    """(framework, drawback) pairs of the recommended option that are this team's risks: the profile meets
    the drawback's premise and no other part of the option does the job it bears on. A tool the team already
    runs and keeps brings none: its drawbacks are there today whatever the decision (its running and learning
    costs are paid, as in the scoring, and what it lacks is why the option adds the rest)."""
    stack = _recommended_stack(ctx)
    kept = set(ctx.profile.current.keep)
    out = []
    for fid in ctx.a.recommendation.stack:
        fw = ctx.kb.frameworks.get(fid)
        if fw and fid not in kept:
            out += [(fw, p) for p in fw.cons if ctx.applies(p) and not _covered_in_stack(ctx, stack, fid, p)]
    return out


def _risks(ctx: _Ctx) -> list[Block]:
    """The risk register: likelihood, impact, mitigation and owner role for the recommended option."""
    a, rec, sens = ctx.a, ctx.a.recommendation, ctx.a.sensitivity
    rows: list[tuple[str, ...]] = []
    if head_to_head(ctx):
        rows.append(
            (
                # "Narrow" beside "ahead in 98%" read as a contradiction: the call is open for the verdict's reasons
                # (a small margin, a lead that does not hold in every weighting, or a second method that disagrees).
                (f"The choice over {ctx.name(sens.runner_up)} is not settled: level on score, and not beaten in "
                 f"{pct(sens.robustness)} of re-weightings." if level_on_score(rec.margin) else
                 f"The choice over {ctx.name(sens.runner_up)} is not settled: {points(rec.margin)} points ahead, and "
                 f"ahead in {pct(sens.robustness)} of re-weightings."),
                "Medium",
                "Medium",
                f"Run the proof of concept with both {ctx.name(sens.leader)} and {ctx.name(sens.runner_up)} before committing.",
                DECIDER,
            )
        )
    if not a.methods_agree and a.topsis_leader:
        rows.append(
            (
                f"{ctx.SECOND_METHOD[0].upper()}{ctx.SECOND_METHOD[1:]} prefers {ctx.cross_check_leader()}.",
                "Medium",
                "Low",
                _review_advice(ctx),
                DECIDER,
            )
        )
    decision_rows = len(rows)  # the choice's own risks (not settled, a second method disagrees) lead the register
    stack = _recommended_stack(ctx)
    ranked = _ranked_cons(ctx, stack)
    cons = ranked
    if not ctx.technical:
        # The short register keeps the risks worth a decision-maker's attention; the technical brief lists all.
        cons = [c for c in cons if (c[2], c[3]) != ("Low", "Low")]
    limit = ctx.tpl.limit("risks")
    # The option's gravest drawback always has a row: two risks to the choice itself (not settled, a second method
    # disagrees) filled a register fitted to two rows, and the short brief named no risk of the pick.
    room = max(1 if cons else 0, limit - len(rows))
    limit = max(limit, len(rows) + room)
    shown = cons[:room]
    # The proof of concept checks "the main risk": a reader looked for it in the register and did not find it. It
    # takes the last place, but never the only one: a register of one row had dropped a high-likelihood, high-impact
    # drawback for it, so then it comes as one row more.
    main = _main_risk(ctx)
    if main is not None and room and not any(c[1] is main for c in shown):
        checked = next(c for c in ranked if c[1] is main)
        if room > 1 or not shown:
            shown = shown[: room - 1] + [checked]
        else:
            shown, limit = shown + [checked], limit + 1
    cut = len([c for c in cons if not any(c is s for s in shown)])
    low_kept = any((c[2], c[3]) == ("Low", "Low") for c in shown)
    # Cut before citing: a source is numbered only if its citation is printed.
    for fw, p, level_of_impact, likelihood in shown:
        prefix = f"{fw.name}: " if len(rec.stack) > 1 else ""
        mitigation = ctx.allowed(p.mitigation) if p.mitigation else ""
        main = max(p.criteria, key=lambda c: ctx.weights.get(c, 0.0), default="")
        text = p.text if ctx.technical else headline(p.text)
        rows.append(
            (
                prefix + client_text(text) + ctx.cite(p.sources) + ctx.aged(p) + _covered_note(ctx, stack, fw.id, p),
                likelihood,
                level_of_impact,
                mitigation or "Test it in the proof of concept and plan for it explicitly.",
                OWNER_ROLES.get(main, PLATFORM_LEAD),
            )
        )
    rows = [(*row[:4], _owner(ctx, row[4])) for row in rows[:limit]]
    if not rows:
        return [_p("No risk specific to this recommendation is recorded in the knowledge base.")]
    return [
        Table(
            ("Risk", "Likelihood", "Impact", "Mitigation", "Owner"),
            tuple(rows),
            caption=(
                "Likelihood from the option's mean score here on what the drawback touches, a job another part of the "
                "option does counting at that part's score (2 of 5 or less: high; 3 or less: medium); impact from how "
                "much that weighs here, high when it touches a must-have need or the part that carries one. "
                + ("The risks to the choice itself come first, then the option's drawbacks, gravest first. "
                   if decision_rows else "Gravest first. ")
                + "Drawbacks whose premise does not hold for this team are left out."
                if ctx.technical else
                "Likelihood from the scores on what it touches, impact from its weight here; risks low on both are left out"
                + (", except the one the proof of concept checks" if low_kept else "")
                # The short register is cut to its gravest rows: its caption had promised that only low risks were left.
                # "risks low on both are left out ..., and 2 less grave ones for length" read as ungrammatical
                + (f"; {cut} less grave {'one is' if cut == 1 else 'ones are'} left out for length." if cut else ".")
            ),
            widths=(3, 1.1, 1, 3, 1.5) if ctx.technical else (3.4, 1.0, 0.9, 3.0, 1.3),
        )
    ]


def _review_advice(ctx: _Ctx) -> str:
    """What to do when the second method prefers another option: compare the two, named, unless naming the other
    would name a framework the profile rules out alone (a combination may hold one)."""
    named = (f"Review the criteria where {ctx.name(ctx.a.sensitivity.leader)} and {ctx.cross_check_leader()} differ "
             "most before deciding.")
    return "Review the criteria where the two options differ most before deciding." if ctx.excluded_in(named) else named


# A drawback on these stays with its own part whatever the other parts do: a companion's tracking
# store does not make Kubeflow's releases better supported, nor DVC's owner more stable.
VENDOR = ("community_maturity",)


def _covered_in_stack(ctx: _Ctx, stack, fid: str, point) -> bool:
    """Whether another part of the recommended stack, or a tool the team keeps, does every job a part's drawback
    bears on.

    MLflow's "no pipeline scheduler" is no risk of Kubeflow + MLflow: Kubeflow schedules the
    pipelines; nor of MLflow beside a Dagster the team keeps (a reader found it rated High, with the advice to add
    a second scheduler the brief rules out elsewhere). A drawback only partly covered (no tracking *or data
    versioning*) stays, and so does one that bears on a shared burden (running cost, effort, security) or on the
    part's vendor.
    """
    if not point.criteria or set(point.criteria) & {*SHARED_BURDENS, *VENDOR}:
        return False
    kept = _kept_does(ctx)
    return all(cid in kept or (stack is not None and _covering(ctx, stack, fid, cid)) for cid in point.criteria)


def _kept_does(ctx: _Ctx) -> dict[str, HeldNeed]:
    """The jobs a tool the team keeps does (by its documented ``does`` or its role: a kept Dagster is the
    team's scheduler), which stay done whatever the team adopts. The adoption plan says the same of them."""
    return {cid: h for cid, h in held_needs(ctx.profile, ctx.kb).items() if h.how == "keeps"}


def _impact(ctx: _Ctx, stack, fid: str, point) -> str:
    """How much a drawback would cost this team: high when it touches a must-have need (or is the vendor risk of a
    companion that carries one), else by how much what it touches weighs here."""
    musts = {c for c in ctx.weights if ctx.profile.needs.get(c) == "must"}
    if musts & set(point.criteria) or ("community_maturity" in point.criteria and _carries_must(ctx, stack, fid)):
        return "High"
    return _band(ctx.relevance(point), 0.12, 0.05)


def _ranked_cons(ctx: _Ctx, stack) -> list:
    """The recommended option's open drawbacks as (framework, drawback, impact, likelihood), gravest first: by
    impact, then likelihood, then how much what they touch weighs. The risk register lists them in this order and
    the proof of concept checks the first one it can."""
    cons = [(fw, p, _impact(ctx, stack, fw.id, p), _likelihood(ctx, fw.id, p, stack)) for fw, p in _open_cons(ctx)]
    return sorted(cons, key=lambda c: (IMPACT_ORDER[c[2]], LIKELIHOOD_ORDER[c[3]], -ctx.relevance(c[1])))


def _covering(ctx: _Ctx, stack, fid: str, cid: str) -> list[tuple[str, float]]:
    """The other parts of the recommended stack that do job ``cid`` for ``fid`` (at MUST_LEVEL or more), with their scores."""
    if stack is None or cid in SHARED_BURDENS or cid in VENDOR:
        return []
    return [
        (part.framework, ctx.a.cells[(part.framework, cid)].score)
        for part in stack.parts
        if part.framework != fid and cid in part.covers and ctx.a.cells[(part.framework, cid)].score >= MUST_LEVEL
    ]


def _partly_covered(ctx: _Ctx, stack, fid: str, point) -> bool:
    """Whether another part of the stack, or a tool the team keeps, does any of the jobs a drawback bears on."""
    kept = _kept_does(ctx)
    return any(cid in kept or _covering(ctx, stack, fid, cid) for cid in point.criteria)


def _covered_note(ctx: _Ctx, stack, fid: str, point) -> str:
    """" In this option, MLflow does experiment tracking." for a drawback another part partly covers, so the register
    does not read as if the option had the whole gap."""
    by_part: dict[str, list[str]] = {}
    kept = _kept_does(ctx)
    by_tool: dict[str, list[str]] = {}
    for cid in point.criteria:
        parts = _covering(ctx, stack, fid, cid)
        for part, _ in parts:
            by_part.setdefault(part, []).append(mid(ctx.crit(cid)))
        if cid in kept and not parts:
            by_tool.setdefault(kept[cid].tool, []).append(mid(ctx.crit(cid)))
    said = [f"{ctx.name(part)} does {join_and(jobs)}" for part, jobs in by_part.items()]
    text = f" In this option, {join_and(said)}." if said else ""
    tools = [f"{tool}, which the team keeps, does {join_and(jobs)}" for tool, jobs in by_tool.items()]
    return text + (f" {sentence_of(join_and(tools))}" if tools else "")


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


# The executive brief gives a drawback or a bill in its short form: without the examples, figures and
# asides in brackets, and a drawback by its claim before the colon (the technical brief has the detail).
def headline(text: str) -> str:
    """A knowledge-base drawback as its claim: 'Heavy for small teams: about 4.4 vCPU ...' is 'Heavy for small teams.'"""
    claim = without_asides(text).split(": ", 1)[0].rstrip(" .;,")
    return claim + "."


def _tool_name(ctx: _Ctx, tool: str) -> str:
    """A tool the team uses now, by its name ("AWS Batch", "Apache Airflow"), never its profile id."""
    known = ctx.kb.tools.tools.get(tool)
    if known is not None:
        return known.name
    if tool in ctx.kb.frameworks:
        return ctx.name(tool)
    return ctx.user(ctx.profile.current.spelled.get(tool) or tool.replace("_", " "), "current.tools")


# The profile's time to value in words: later phases are placed against it, never given durations of
# their own (the profile states none).
TIME_TO_VALUE = {"weeks": "weeks", "months": "months", "quarters": "quarters"}


def _plan(ctx: _Ctx) -> list[Block]:
    """Proof of concept with success and exit criteria, pilot, rollout, migration: fitted to the profile
    (models in production, teams, what is replaced) with an owner role for each phase."""
    rec, sens, p = ctx.a.recommendation, ctx.a.sensitivity, ctx.profile
    if not rec.primary:
        return [
            _bullets(none_viable_steps(ctx), numbered=True)
        ]
    musts = [mid(ctx.crit(c)) for c in CAPABILITIES if p.needs.get(c) == "must"]
    time_box = POC_TIME.get(p.constraints.time_to_value, "six weeks")
    levels = _option_levels(ctx, "+".join(rec.stack))
    risk = _main_risk(ctx)
    success = poc_goal(p, levels) + (f"; each must-have need shown working ({join_and(musts)})" if musts else "")
    if risk:
        # The headline of the drawback only: its detail is in the risk register, and a second colon
        # inside this clause would read as a list of lists.
        claim = risk.text if ctx.technical else headline(risk.text)
        success += f"; the main risk checked: {after_colon(_before_colon(client_text(claim).rstrip('.')))}"
    # With no must-have need, "if neither option shows every must-have need" was a test nothing could fail: the goal
    # of the proof of concept is what it must show then.
    shown = "every must-have need" if musts else "the success criteria above"
    revisit = "revisit the must-have needs and constraints" if musts else "revisit the needs and constraints"
    if head_to_head(ctx):
        fallback = f"if neither option shows {shown} within the time box, {revisit}"
        success += "; choose the option that meets more of these criteria, with less effort, and record why"
    else:
        fallback = (f"if a must-have need cannot be shown within the time box, " if musts else
                    "if the success criteria cannot be shown within the time box, ") + (
            f"switch the proof of concept to {ctx.name(sens.runner_up)}" if sens.runner_up else revisit
        )
    poc = f"Success: {success}. Exit: {fallback}."
    rows = (
        ("1. Proof of concept", time_box, poc_scope(ctx), poc, _owner(ctx, "ML engineering lead")),
        *_later_phases(ctx),
    )
    ttv = TIME_TO_VALUE.get(p.constraints.time_to_value, "months")
    blocks: list[Block] = [
        Table(
            ("Phase", "When", "Scope", "Success and exit criteria", "Owner"),
            rows,
            caption=f"The proof of concept's time box follows the time to value the team asked for ({ttv}); the later phases "
            "are ordered, not dated, as no dates were given.",
            widths=(1.3, 1.4, 2.5, 3.7, 1.3),
        ),
    ]
    # A need the option leaves open is said here, beside the plan, never silently required in the success test.
    gaps, met = _open_gaps(ctx)
    if gaps:
        blocks.append(_p(Text("Open gaps: ", bold=True), " ".join(gaps)))
    if met:
        blocks.append(_p(Text("Met by the team's own tools: ", bold=True), " ".join(met)))
    return blocks


MOVED_BY_HAND = 20  # more models than this left to migrate: moved in scripted batches, not one by one


def _later_phases(ctx: _Ctx) -> tuple[tuple[str, ...], ...]:
    """Pilot, rollout and migration for this team: what is in production, how many teams, what is replaced.

    The pilot takes what the proof of concept showed into production (or into the team's daily work when
    nothing is in production); the migration moves only what the pilot left, and only what exists.
    """
    p = ctx.profile
    unit = "LLM application" if _llm_only(p) else "model"
    # Kept tools are connected to what is adopted, never migrated to. When the proof of concept tries two options
    # side by side, the later phases follow whichever it chooses, not the one page 1 leans to.
    stack = "the chosen platform" if head_to_head(ctx) else ctx.adopted_name()
    models = p.workload.models_in_production
    serving = p.workload.serving != "none"
    teams = p.team.teams
    ttv = TIME_TO_VALUE.get(p.constraints.time_to_value, "months")
    # Only what the choice replaces moves; tools the team keeps are connected, never migrated.
    replaced = [("the in-house system" if t == IN_HOUSE else _tool_name(ctx, t)) for t in p.current.replacing]
    kept = [_tool_name(ctx, t) for t in p.current.keep]
    gone = join_and(replaced)
    # "No manual steps" is a promise only a platform that runs the pipeline can keep: a tracker alone, with no
    # scheduler the team runs, leaves the schedule by hand, which the risk register says in the same brief.
    levels = _option_levels(ctx, "+".join(ctx.a.recommendation.stack))
    scheduled = (head_to_head(ctx) or levels.get("pipeline_orchestration", MUST_LEVEL) >= MUST_LEVEL
                 or "pipeline_orchestration" in held_needs(p, ctx.kb))
    outside = ("with no manual steps outside it" if scheduled
               else "and each step it does not run, such as a scheduled job, is named with its owner")
    it = "it" if len(replaced) == 1 else "them"

    unknown = "workload.models_in_production" in p.assumed
    if unknown:
        # How many models are in production is not stated: plan for one the team owns and the rest, without a count.
        pilot = f"One {unit} the team owns, on {stack} from its next run" + (" to its next release." if serving else ".")
        pilot_ok = f"Success: its {'release and ' if serving else ''}runs go through the platform {outside}."
        pilot_n = 1
    elif models == 0:
        pilot = (
            f"The team's next new {unit}, on {stack} from its first run" + (" to its first release." if serving else ".")
        )
        pilot_ok = f"Success: its {'release and ' if serving else ''}runs go through the platform {outside}."
        pilot_n = 0
    else:
        # At most a third of what is in production (and no more than three) so that the pilot is a pilot.
        pilot_n = max(1, min(3, models // 3))
        owner = "the team that owns " + ("it" if pilot_n == 1 else "them")
        pilot = (
            f"The {unit} in production and {owner}." if models == 1
            else f"{_count(pilot_n, unit)} of the {count(models)} in production and {owner}."
        )
        pilot_ok = f"Success: {'the ' + unit + ' releases' if pilot_n == 1 else 'the ' + unit + 's release'} through the platform {outside}."
    if kept:
        # A sentence of its own: "home-grown scheduler and KServe stay" opens with a capital like any other.
        names = join_and(kept)
        pilot += f" {names[:1].upper() + names[1:]} {'stays' if len(kept) == 1 else 'stay'}: connect {'it' if len(kept) == 1 else 'them'} to {stack} here."

    new_work = f"new {unit}s start on the platform by default" if models or serving or unknown else "new work starts on the platform by default"
    if teams > 1:
        rollout = ("The other team" if teams == 2 else f"The other {count(teams - 1)} teams") + ", with the platform's operating guide."
    else:
        rollout = "The rest of the team's work, with the platform's operating guide."

    left = models - pilot_n
    pace = ("one team at a time" if teams > 1 else f"one {unit} at a time") if left > 1 or unknown else ""
    if teams == 1 and left > MOVED_BY_HAND:
        # A reader would not accept moving 1,997 models one at a time with ten people.
        pace = "in scripted batches, too many to move one at a time"
    if unknown:
        source = f" from {gone}" if replaced else ""
        migration = (
            f"Move the team's other {unit}s{source} to {stack} {pace}; keep the current way of working for each until "
            "it has gone through one release on the new platform" + (f", then retire {it}." if replaced else ".")
        )
        migrated = ("Success: " + (f"{gone} retired; " if replaced else "") + f"every {unit} releases through the new platform.")
    elif models == 0:
        migration = (
            f"No {unit}s are in production: nothing moves. New work starts on {stack}; retire {gone} once the team's work has moved."
            if replaced else f"No {unit}s are in production and nothing is replaced: nothing moves."
        )
        migrated = f"Success: {gone} retired." if replaced else "Success: no work left outside the platform."
    elif left <= 0:
        migration = f"Nothing further moves: the pilot moved the one {unit} in production." + (
            f" Retire {gone} once it has released on {stack}." if replaced else ""
        )
        migrated = f"Success: {gone} retired." if replaced else f"Success: the {unit}'s previous way of working retired."
    else:
        source = f" from {gone}" if replaced else ""
        migration = (
            f"Move the other {_count(left, unit)} in production{source} to {stack}{' ' + pace if pace else ''}; keep the current way "
            f"of working for each until it has gone through one release on the new platform"
            + (f", then retire {it}." if replaced else ".")
        )
        migrated = ("Success: " + (f"{gone} retired; " if replaced else "") + f"every {unit} in production releases through the new platform.")
    return (
        ("2. Pilot", f"after the proof of concept; in use within {ttv}", pilot, pilot_ok, _owner(ctx, "ML engineering lead")),
        ("3. Rollout", "after a successful pilot", rollout, f"Success: {new_work}.", _owner(ctx, PLATFORM_LEAD)),
        ("4. Migration", "during rollout", migration, migrated, _owner(ctx, PLATFORM_LEAD)),
    )


def _option_levels(ctx: _Ctx, key: str) -> dict[str, float]:
    """An option's level (0-5) per criterion, as the options table shows it."""
    option = ctx.options.get(key)
    if option is None:
        return {}
    return {w.criterion: lvl for w, lvl in zip(ctx.a.weights, option.levels)}


def option_gaps(ctx: _Ctx, key: str) -> list[tuple[str, str, float, HeldNeed | None, str | None]]:
    """The must- and should-have needs option ``key`` leaves below 3 of 5, each as (need, MoSCoW, level, the tool
    the team runs that already meets it or None, the knowledge base's documented companion that would close it
    where this profile allows one, or None)."""
    levels = _option_levels(ctx, key)
    parts = key.split("+")
    primary = ctx.kb.frameworks.get(parts[0])
    held_by_tools = held_needs(ctx.profile, ctx.kb)
    out = []
    for cid in CAPABILITIES:
        need = ctx.profile.needs.get(cid)
        if need not in ("must", "should") or cid not in levels or levels[cid] >= MUST_LEVEL:
            continue
        fix = next(
            (c.framework for c in (primary.companions if primary else ())
             if cid in c.covers and c.framework not in parts and _allowed_companion(ctx, c.framework)),
            None,
        )
        out.append((cid, need, levels[cid], held_by_tools.get(cid), fix))
    return out


def _open_gaps(ctx: _Ctx) -> tuple[list[str], list[str]]:
    """The must- and should-have needs an option in the proof of concept leaves below 3 of 5, named with how to
    close each: the knowledge base's documented companion for that need when this profile allows it; and, apart,
    those a tool the team keeps or uses already meets."""
    keys = ["+".join(ctx.a.recommendation.stack)] + ([ctx.a.sensitivity.runner_up] if head_to_head(ctx) else [])
    sentences = []
    met: dict[tuple[str, str, str], tuple] = {}  # (need, MoSCoW, tool) -> (how it meets it, [(option, level)])
    left: list[tuple[str, list[tuple[str, str]]]] = []  # (option, [(gap, MoSCoW)]) that nothing documented closes
    for key in keys:
        parts = key.split("+")
        primary = ctx.kb.frameworks.get(parts[0])
        unfixed: list[tuple[str, str]] = []
        for cid, need, lvl, held, fix in option_gaps(ctx, key):
            gap = f"{level(lvl)} of 5 on {mid(ctx.crit(cid))}"
            if held is not None:
                # A need a tool the team runs already meets is no gap of the option's: "accept it or widen the
                # shortlist" would tell a team that keeps its Slurm cluster to look for another tracker.
                met.setdefault((cid, need, held.tool), (held, []))[1].append((ctx.name(key), lvl))
                continue
            if fix:
                sentences.append(
                    f"{ctx.name(key)} scores {gap}, a {need}-have need the proof of concept does not test; close the gap "
                    f"with {ctx.name(fix)}, documented as a companion of {primary.name} for it, or accept it."
                )
            else:
                unfixed.append((gap, need))
        if unfixed:
            left.append((ctx.name(key), unfixed))
    if left:
        # Both options' gaps in one sentence: the advice is the same for each, and said twice it costs the short
        # brief lines it has no room for.
        gaps = [g for _, unfixed in left for g in unfixed]
        one = len(gaps) == 1
        needs = sorted({n for _, n in gaps})
        kind = (f"a {needs[0]}-have need" if one else f"{needs[0]}-have needs" if len(needs) == 1
                else "must- and should-have needs")
        said = [f"{name} {'scores ' if i == 0 else ''}{join_and([g for g, _ in unfixed])}" for i, (name, unfixed) in enumerate(left)]
        head = f"{said[0]}, {kind}" if len(said) == 1 else f"{', and '.join(said)}; these are {kind}"
        sentences.append(
            f"{head} the proof of concept does not test, and no documented companion that fits this team closes "
            f"{'it' if one else 'them'}: accept {'it' if one else 'them'} or widen the shortlist."
            + "".join(f" For {mid(ctx.crit(cid))}: {advice}"
                      for cid, advice in dict(a for key in keys for a in _gap_advice(ctx, key)).items())
        )
    return sentences, [_met_sentence(ctx, cid, need, held, scores) for (cid, need, _), (held, scores) in met.items()]


def _gap_advice(ctx: _Ctx, key: str) -> list[tuple[str, str]]:
    """An option's own drawbacks' advice for its gaps no companion closes (AP-HP: "no documented companion closes"
    DVC + MLflow's tuning gap, while MLflow's drawback says "Use Optuna, Ray or Spark"), as the profile allows it."""
    gaps = [cid for cid, _, _, held, fix in option_gaps(ctx, key) if held is None and not fix]
    out = []
    for cid in gaps:
        advice = next((ctx.allowed(p.mitigation) for f in key.split("+") if f in ctx.kb.frameworks
                       for p in ctx.kb.frameworks[f].cons if cid in p.criteria and p.mitigation
                       and ctx.applies(p) and ctx.allowed(p.mitigation)), "")
        if advice:
            out.append((cid, sentence_of(advice)))
    return out


def _met_sentence(ctx: _Ctx, cid: str, need: str, held: HeldNeed, scores: list[tuple[str, float]]) -> str:
    """"Weights & Biases scores 1 of 5 and ClearML 2 of 5 on distributed training, a should-have need that Slurm, which
    the team keeps, already meets: srun starts one job across several nodes [61]." """
    if len(scores) > 1 and len({x for _, x in scores}) == 1:
        # One level for all: "W&B and MLflow each score 1", not "W&B scores 1 and MLflow 1".
        weak = f"{join_and([name for name, _ in scores])} each score {level(scores[0][1])}"
    else:
        weak = join_and([f"{name} {level(x)}" if i else f"{name} scores {level(x)}" for i, (name, x) in enumerate(scores)])
    detail = f": {client_text(held.fact.text).rstrip('.')}{ctx.cite(held.fact.sources)}" if held.fact else ""
    return f"{weak} of 5 on {mid(ctx.crit(cid))}, a {need}-have need that {held.tool}, which the team {held.how}, already meets{detail}."


def _allowed_companion(ctx: _Ctx, fid: str) -> bool:
    """A companion the profile allows: no hard constraint knocks it out and nothing in the profile excludes it."""
    if any(k.framework == fid and k.rule for k in ctx.a.knockouts):
        return False
    return not ctx.excluded_in(ctx.name(fid))


def head_to_head(ctx: _Ctx) -> bool:
    """A call that is not clear is settled by trying both options: the risk register, the proof of concept and
    page 1's next step all follow this one test, so the brief gives one plan."""
    rec = ctx.a.recommendation
    return bool(rec.primary) and rec.verdict in (Verdict.TOO_CLOSE, Verdict.LEANING) and bool(ctx.a.sensitivity.runner_up)


def poc_scope(ctx: _Ctx) -> str:
    """What the proof of concept tries: the pick, or the pick and the runner-up side by side when the call is not clear."""
    work = _poc_subject(ctx.profile)
    if head_to_head(ctx):
        runner = ctx.a.sensitivity.runner_up
        other = ctx.name(runner)
        if runner in (*ctx.profile.current.keep, *ctx.profile.current.tools):
            # The team already runs it: the trial is the new tool against the one in place, not two new tools.
            other = f"the {other} the team already runs"
        return f"{ctx.stack_name()} and {other} side by side on the same {work.removeprefix('one ')}."
    return f"{ctx.stack_name()} on {work}."


def _llm_only(p) -> bool:
    """An LLM application team: LLM operations are a must and no trained model needs registering or serving."""
    return p.needs.get("llm_ops") == "must" and not any(p.needs.get(c) in ("must", "should") for c in ("model_registry", "model_serving"))


def _poc_subject(p) -> str:
    return "one real LLM application" if _llm_only(p) else "one real model"


# What the proof of concept shows for each need the team rates must or should, in the order work flows.
POC_STEPS = (
    ("pipeline_orchestration", "run as a pipeline"),
    ("experiment_tracking", "tracked"),
    ("data_versioning", "its data versioned"),
    ("model_registry", "registered"),
    ("model_serving", "served"),
    ("llm_ops", "its LLM calls traced and evaluated"),
)


def poc_goal(p, levels: dict[str, float] | None = None) -> str:
    """'one real model trained, tracked and registered, end to end': only the steps the team's needs ask for
    and the option does (3 of 5 or more in ``levels``); a need it leaves open is named as a gap instead."""
    levels = levels or {}
    steps = ([] if _llm_only(p) else ["trained"]) + [
        words for cid, words in POC_STEPS if p.needs.get(cid) in ("must", "should") and levels.get(cid, MUST_LEVEL) >= MUST_LEVEL
    ]
    return f"{_poc_subject(p)} {join_and(steps)}, end to end" if steps else f"{_poc_subject(p)} taken end to end"


# What a proof of concept can check in weeks: how the option performs, scales, fits the infrastructure and
# the team's skills and tools. Not its vendor's history (renaming, licence, ownership): that is for the
# risk register.
CHECKABLE = ("performance", "scalability", "operational_overhead", "infrastructure_fit", "ease_of_use", "tool_fit", "governance_security")


def _before_colon(text: str) -> str:
    """``text`` up to its first colon outside brackets: cut at the one inside "(vendor figure: about 30 s ...)", a
    bracket was left open."""
    depth = 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and text.startswith(": ", i):
            return text[:i]
    return text


def _main_risk(ctx: _Ctx):
    """The drawback the proof of concept checks: the gravest open one in the risk register's order (not even partly
    done by another part of the option) that a proof of concept can check, and that names nothing the profile rules
    out."""
    stack = _recommended_stack(ctx)
    for fw, point, _, _ in _ranked_cons(ctx, stack):
        if (set(point.criteria) & set(CHECKABLE) and not set(point.criteria) & set(VENDOR)
                and not _partly_covered(ctx, stack, fw.id, point) and not ctx.excluded_in(point.text)):
            return point
    return None
