"""Cost and effort, the adoption plan and the risk register: what it takes to run the
recommendation, how to adopt it, and what could go wrong with an owner for each risk."""

from __future__ import annotations

from generator.brief.context import POC_TIME, _Ctx, _bullets, _count, _p, _ranked_points, client_text, pct
from generator.brief.frameworks import _detail_order
from generator.document import Block, Table
from generator.profile.model import CAPABILITIES, IN_HOUSE
from generator.scoring.assessment import Verdict
from generator.scoring.stacks import MUST_LEVEL, SHARED_BURDEN, WEAKEST_LINK
from generator.wording import after_colon, join_and, level, mid, points

# A part's drawback on these stays a risk of the whole stack whatever the other parts do: the team runs,
# pays for and learns every part, and a stack is only as secure as its weakest part.
SHARED_BURDENS = (*WEAKEST_LINK, SHARED_BURDEN)

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
# A team this small has no separate platform, security or architecture roles: its technical lead owns
# those risks (still a role, never a person).
SMALL_TEAM = 5
LEAD_ROLES = ("Platform lead", "Security and compliance lead", "ML engineering lead", "Architecture board")


def _owner(ctx: _Ctx, role: str) -> str:
    """The owner role as this team has it: a role it lacks falls to the one that does that work."""
    team = ctx.profile.team
    if role in LEAD_ROLES and (team.size <= SMALL_TEAM or (role == "Platform lead" and team.platform_team == "none")):
        return "Tech lead"
    return role


# A model's words never contradict what the knowledge base's ``billed`` says beside them: an open-source
# project whose managed versions other vendors sell has "no paid edition from the project", not "no paid edition".
PRICING_WORDS = {
    "open_source": "open source, no paid edition from the project",
    "open_core": "open core (a free core and paid editions)",
    "per_seat_saas": "commercial (hosted plans priced per seat, or a licence to run it yourself)",
    "pay_per_use_cloud": "pay per use on the cloud bill",
}
# How much of a Kubernetes cluster an option needs: its most demanding part decides.
KUBERNETES_NEED = {"not_needed": 0, "optional": 1, "required": 2}
HAS_CLUSTER = ("managed", "self_managed")


def _band(x: float, high: float, medium: float) -> str:
    return "High" if x >= high else "Medium" if x >= medium else "Low"


def _likelihood(ctx: _Ctx, fid: str, point) -> str:
    """How likely a drawback bites this team: the framework's weakest score, in this profile, on what it touches."""
    scores = [ctx.a.cells[(fid, c)].score for c in point.criteria if (fid, c) in ctx.a.cells]
    if not scores:
        return "Medium"
    weakest = min(scores)
    return "High" if weakest <= 2 else "Medium" if weakest <= 3 else "Low"


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
                f"A second ranking method prefers {ctx.cross_check_leader()}.",
                "Medium",
                "Low",
                "Review the criteria where the two options differ most before deciding.",
                "Architecture board",
            )
        )
    cons = []
    stack = next((s for s in a.stacks if s.frameworks == rec.stack), None)
    for fid in rec.stack:
        fw = ctx.kb.frameworks.get(fid)
        if fw:
            cons += [(fw, p) for p in fw.cons if not _covered_in_stack(ctx, stack, fid, p)]
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
                _likelihood(ctx, fw.id, p),
                "High" if musts & set(p.criteria) else _band(ctx.relevance(p), 0.12, 0.05),
                mitigation or "Test it in the proof of concept and plan for it explicitly.",
                OWNER_ROLES.get(main, "Platform lead"),
            )
        )
    rows = [(*row[:4], _owner(ctx, row[4])) for row in rows[: ctx.tpl.limit("risks")]]
    if not rows:
        return [_p("No risk specific to this recommendation is recorded in the knowledge base.")]
    return [
        Table(
            ("Risk", "Likelihood", "Impact", "Mitigation", "Owner"),
            tuple(rows),
            caption="Likelihood from the framework's score here on what the drawback touches (2 of 5 or less: high; 3: medium); "
            "impact from how much that weighs here, high when it touches a must-have need.",
            widths=(3, 1.1, 1, 3, 1.5),
        )
    ]


def _covered_in_stack(ctx: _Ctx, stack, fid: str, point) -> bool:
    """Whether another part of the recommended stack does every job a part's drawback bears on.

    MLflow's "no pipeline scheduler" is no risk of Kubeflow + MLflow: Kubeflow schedules the
    pipelines. A drawback only partly covered (no tracking *or data versioning*) stays, and so
    does one that bears on a shared burden (running cost, effort, security).
    """
    if stack is None or not point.criteria or set(point.criteria) & set(SHARED_BURDENS):
        return False
    return all(
        any(
            part.framework != fid and cid in part.covers and ctx.a.cells[(part.framework, cid)].score >= MUST_LEVEL
            for part in stack.parts
        )
        for cid in point.criteria
    )


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
    """Pricing model, what is billed, people and infrastructure, for the options the brief compares first.

    One row per option, so a combination's row is made of its parts' rows and its effort is the operational
    overhead the options are scored on. Qualitative only: the knowledge base holds no prices a brief could
    honestly total. A team that may not use a managed service or SaaS is shown what it pays to run each part
    itself, never a managed offering's fee.
    """
    p = ctx.profile
    own_only = p.constraints.managed_services == "forbidden" or not p.constraints.saas_allowed or p.infrastructure.air_gapped
    criteria = [w.criterion for w in ctx.a.weights]
    rows = []
    for option in ctx.options.viable[: 3 if ctx.technical else 2]:
        parts = [ctx.kb.frameworks[f] for f in option.frameworks if f in ctx.kb.frameworks]
        if not parts:
            continue
        overhead = option.levels[criteria.index("operational_overhead")] if "operational_overhead" in criteria else None
        rows.append((ctx.name(option.key), _pricing_cell(parts), _billed_cell(ctx, parts, own_only), _people_cell(ctx, parts, overhead)))
    if not rows:
        return [_p("No option is viable, so there is no cost to estimate.")]
    caption = (
        "From the knowledge base; no prices are estimated. Operational overhead is the option's score in the "
        "decision drivers (0-5, 5 is the least work)."
    )
    if own_only:
        caption += " Managed and hosted offerings are left out: this profile does not allow them."
    return [
        Table(
            ("Option", "Pricing model", "What is billed", "People and infrastructure to run it"),
            tuple(rows),
            caption=caption,
            widths=(1.4, 2, 3, 2.4),
        )
    ]


def _per_part(parts, words: list[str]) -> str:
    """One phrase for a single framework; for a combination each part's, or one phrase for all when they agree."""
    if len(parts) == 1:
        return words[0]
    if len(set(words)) == 1:
        return f"{words[0]} ({'both' if len(parts) == 2 else 'all ' + str(len(parts))})"
    return "; ".join(f"{fw.name}: {w}" for fw, w in zip(parts, words))


def _pricing_cell(parts) -> str:
    return _per_part(parts, [_pricing_words(fw) for fw in parts])


def _billed_cell(ctx: _Ctx, parts, own_only: bool) -> str:
    """The knowledge base's sourced words on what money goes to, each part's with its citation."""
    texts = []
    for fw in parts:
        billed = (fw.pricing_billed_self_hosted if own_only else "") or fw.pricing_billed
        if not billed:
            billed = "See the vendor's price list."
        fact = fw.attribute_facts.get("pricing")
        cited = billed.rstrip(".") + (ctx.cite(fact.sources) if fact else "") + "."
        texts.append(cited if len(parts) == 1 else f"{fw.name}: {after_colon(cited, keep=[fw.name])}")
    return " ".join(texts)


def _people_cell(ctx: _Ctx, parts, overhead: float | None) -> str:
    """The cluster the option needs, said against the team's infrastructure, and its effort band."""
    team_k8s = ctx.profile.infrastructure.kubernetes
    # A cloud provider's managed platform runs on the provider's machines whatever Kubernetes it can attach.
    hosted = [fw for fw in parts if fw.hosting != "managed"]
    need = max(hosted, key=lambda fw: KUBERNETES_NEED.get(fw.kubernetes, 0)) if hosted else None
    who = need.name if need else ""
    if need is None:
        cluster = "nothing to host: the cloud provider runs it"
    elif need.kubernetes == "required":
        cluster = (
            f"{who} runs on the team's Kubernetes cluster" if team_k8s in HAS_CLUSTER
            else f"{who} needs the Kubernetes cluster the team plans" if team_k8s == "planned"
            else f"{who} needs a Kubernetes cluster, which the team does not run yet, and people to operate it"
        )
    elif need.kubernetes == "optional":
        cluster = f"{who} can use Kubernetes but does not need it"
    else:
        cluster = "no Kubernetes cluster needed"
    if overhead is None:
        return cluster
    effort = (
        "little to run" if overhead >= 4
        else "part of an engineer's time to run" if overhead >= 3
        else "ongoing work for a platform team"
        + (", which this team does not have" if ctx.profile.team.platform_team == "none" else "")
    )
    return f"{cluster}; operational overhead {level(overhead)} of 5: {effort}"


def _pricing_words(fw) -> str:
    """The knowledge base's pricing model in words; without one, the licence and the hosting."""
    if fw.pricing:
        return PRICING_WORDS.get(fw.pricing, fw.pricing.replace("_", " "))
    licence = "open source" if fw.open_source else "commercial"
    return f"{licence}; {fw.hosting.replace('_', ' ')}"


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
    success = poc_goal(p) + (f"; each must-have need shown working ({join_and(musts)})" if musts else "")
    if risk:
        # The headline of the drawback only: its detail is in the risk register, and a second colon
        # inside this clause would read as a list of lists.
        success += f"; the main risk checked: {after_colon(risk.rstrip('.').split(': ', 1)[0])}"
    if head_to_head(ctx):
        fallback = "if neither option shows every must-have need within the time box, revisit the must-have needs and constraints"
        success += "; choose the option that meets more of these criteria, with less effort, and record why"
    else:
        fallback = "if a must-have need cannot be shown within the time box, " + (
            f"switch the proof of concept to {ctx.name(sens.runner_up)}" if sens.runner_up else "revisit the must-have needs and constraints"
        )
    models = p.workload.models_in_production
    pilot_n = max(1, min(3, models))
    # Only what the choice replaces moves; tools the team keeps are connected, never migrated.
    replaced = [("the in-house system" if t == IN_HOUSE else _tool_name(ctx, t)) for t in p.current.replacing]
    kept = [_tool_name(ctx, t) for t in p.current.keep]
    pace = "team by team" if p.team.teams > 1 else "one model at a time"
    if replaced:
        it = "it" if len(replaced) == 1 else "them"
        migration = (
            f"Move the models from {join_and(replaced)} to {ctx.adopted_name()} {pace}; keep {it} running until each model "
            f"has gone through one release on the new platform, then retire {it}."
        )
        migrated = f"Success: {join_and(replaced)} retired; every model in scope releases through the new platform."
    else:
        migration = (
            "Move the model in production; keep the current way of working for it until it has gone through one release on the new platform."
            if models == 1
            else f"Move the {_count(models, 'model')} in production {pace}; keep the current way of working for each model until it has gone through one release on the new platform."
            if models
            else "No models are in production yet: new models start on the new platform."
        )
        migrated = "Success: every model in scope releases through the new platform."
    if kept:
        migration += f" {join_and(kept)} {'stays' if len(kept) == 1 else 'stay'}: connect {'it' if len(kept) == 1 else 'them'} to {ctx.adopted_name()} in the pilot."
    rows = (
        ("1. Proof of concept", f"{time_box}", poc_scope(ctx), f"Success: {success}. Exit: {fallback}."),
        ("2. Pilot", "next", f"{_count(pilot_n, 'model')} and the team that owns {'it' if pilot_n == 1 else 'them'}, in production.", "Success: the models release through the platform with no manual steps outside it."),
        ("3. Rollout", "after the pilot", "Every team and model in scope, with the platform's operating guide.", "Success: new models start on the platform by default."),
        ("4. Migration", "during rollout", migration, migrated),
    )
    return [
        Table(("Phase", "When", "Scope", "Success and exit criteria"), rows, widths=(1.5, 1.1, 2.8, 4)),
    ]


def head_to_head(ctx: _Ctx) -> bool:
    """A call too close to make on scores is settled by trying both options, as the verdict advises."""
    return ctx.a.recommendation.verdict == Verdict.TOO_CLOSE and bool(ctx.a.sensitivity.runner_up)


def poc_scope(ctx: _Ctx) -> str:
    """What the proof of concept tries: the pick, or the pick and the runner-up side by side when too close to call."""
    work = _poc_subject(ctx.profile)
    if head_to_head(ctx):
        return f"{ctx.stack_name()} and {ctx.name(ctx.a.sensitivity.runner_up)} side by side on the same {work.removeprefix('one ')}."
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


def poc_goal(p) -> str:
    """'one real model trained, tracked and registered, end to end': only the steps the team's needs ask for."""
    steps = ([] if _llm_only(p) else ["trained"]) + [words for cid, words in POC_STEPS if p.needs.get(cid) in ("must", "should")]
    return f"{_poc_subject(p)} {join_and(steps)}, end to end" if steps else f"{_poc_subject(p)} taken end to end"


def _risk_texts(ctx: _Ctx) -> list[str]:
    texts = []
    for fid in ctx.a.recommendation.stack:
        fw = ctx.kb.frameworks.get(fid)
        if fw:
            # A drawback that names an option this profile rules out is not this team's risk to check.
            cons = [p for p in fw.cons if not ctx.excluded_in(p.text)]
            texts += [client_text(p.text) for p in _ranked_points(ctx, tuple(cons), 1)]
    return texts
