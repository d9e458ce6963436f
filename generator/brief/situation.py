"""Our understanding of the client's situation, and the assumptions the brief rests on."""

from __future__ import annotations

from generator.brief.context import _Ctx, _bullets, _count, _p
from generator.document import Block, BulletList, Text
from generator.profile.model import CAPABILITIES, IN_HOUSE, UNWEIGHED_CRITERIA
from generator.scoring.fit import tool_name
from generator.scoring.stacks import GOOD_LEVEL, MUST_LEVEL
from generator.wording import after_colon, count, join_and, level, mid, sentence_of, value_words


def _profile(ctx: _Ctx) -> list[Block]:
    """The profile as sentences; the inputs that drive the result are listed after them."""
    p = ctx.profile
    t, i, w, c = p.team, p.infrastructure, p.workload, p.constraints
    blocks: list[Block] = []
    summary = ctx.user(p.project.summary, "project.summary")
    if summary:
        blocks.append(_p(sentence_of(summary)))
    people = "person" if t.size == 1 else "people"
    # A split the profile leaves out (both counts at their default 0) is unknown, not a team of nobody in those roles.
    roles = [_count(n, role) for n, role in ((t.data_scientists, "data scientist"), (t.ml_engineers, "ML engineer")) if n]
    split = f" ({', '.join(roles)})" if roles else ""
    # Who works in it daily and how many teams share it shape ease of use and governance: the reader checks them here.
    shared = [f"{value_words('team.primary_users', t.primary_users)} work in the tool every day"] if t.primary_users != "mixed" else []
    shared += [f"{count(t.teams)} teams will share it"] if t.teams > 1 else []
    # A field the file leaves out is at its default: saying "no models in production" of a team that ships models
    # reads as a wrong input, so such values are listed once as assumptions instead of stated as facts.
    said = {
        "team.platform_team": value_words("team.platform_team", t.platform_team),
        "infrastructure.gpus": value_words("infrastructure.gpus", i.gpus),
        "workload.models_in_production": (
            f"{_count(w.models_in_production, 'model') if w.models_in_production else 'no models'} in production"
        ),
        "workload.data_volume": value_words("workload.data_volume", w.data_volume),
        "workload.serving": value_words("workload.serving", w.serving),
    }
    stated = {k: v for k, v in said.items() if k not in p.assumed}
    # Two defaults are left unknown rather than assumed: a count of models the plan does not invent (it pilots "one
    # model the team owns"), and "no model serving" beside a serving need the team rates must or should.
    unknown = {
        "workload.models_in_production": "how many models are in production",
        "workload.serving": "how predictions are served",
    }
    open_questions = [unknown[k] for k in unknown if k in p.assumed and (
        k != "workload.serving" or p.needs.get("model_serving") in ("must", "should"))]
    assumed = [v for k, v in said.items() if k in p.assumed and unknown.get(k) not in open_questions]
    crew = [value_words("team.kubernetes_skill", t.kubernetes_skill)] + [stated[k] for k in ("team.platform_team",) if k in stated]
    team = f"A team of {count(t.size)} {people}{split} with {join_and(crew)}" + (f"; {join_and(shared)}." if shared else ".")
    clouds = join_and([value_words("infrastructure.clouds", x) for x in i.clouds if x != "other"] + (["another cloud"] if "other" in i.clouds else []))
    places = ([f"on {clouds}"] if clouds else []) + (["in its own data centre"] if i.on_prem else [])
    kit = join_and([value_words("infrastructure.kubernetes", i.kubernetes)] + [stated[k] for k in ("infrastructure.gpus",) if k in stated])
    if places:
        infra = f"It runs {join_and(places)}" + (", air-gapped from the internet," if i.air_gapped else "") + f" with {kit}."
    else:
        # "It names no cloud or data centre with no Kubernetes cluster" read as if the cluster belonged to the place.
        infra = "It names no cloud or data centre" + (" and is air-gapped from the internet" if i.air_gapped else "") + f"; it has {kit}."
    libs = join_and([ctx.user(x, "workload.libraries") for x in w.libraries])
    parts = [stated[k] for k in ("workload.models_in_production", "workload.data_volume", "workload.serving") if k in stated]
    parts += ["distributed training"] if w.distributed_training else []
    parts += [value_words("workload.runs_per_week", w.runs_per_week)] if w.runs_per_week else []
    work = ", ".join(parts)
    work = (work + (f"; libraries in use: {libs}" if libs else "")) if work else (f"Libraries in use: {libs}" if libs else "")
    facts = [team, infra] + ([sentence_of(work[:1].upper() + work[1:])] if work else []) + _today(ctx)
    notes = (["not stated, so assumed: " + join_and(assumed)] if assumed else []) + (
        ["not stated: " + join_and(open_questions)] if open_questions else [])
    if notes:
        text = "; ".join(notes)
        facts.append(sentence_of(text[:1].upper() + text[1:]))
    blocks.append(_bullets(facts))
    by_level: dict[str, list[str]] = {m: [] for m in ("must", "should", "could", "wont")}
    for cap in CAPABILITIES:
        by_level.setdefault(p.needs.get(cap, "could"), []).append(mid(ctx.crit(cap)))
    needs = [
        _p(Text("Must have: ", bold=True), join_and(by_level["must"]) or "nothing marked as a must", "."),
        _p(Text("Should have: ", bold=True), (join_and(by_level["should"]) or "nothing"), "."),
        _p(Text("Could have: ", bold=True), (join_and(by_level["could"]) or "nothing"), *(("; ", Text("not needed: ", bold=True), join_and(by_level["wont"])) if by_level["wont"] else ()), "."),
    ]
    blocks.append(BulletList(tuple(needs)))
    limits = ["open-source software only" if c.open_source_only else "commercial software allowed", value_words("constraints.managed_services", c.managed_services)]
    limits += ["no third-party hosted (SaaS) service"] if not c.saas_allowed else []
    limits += ["lock-in to be avoided"] if c.lock_in == "avoid" else []
    limits += [value_words("constraints.budget", c.budget), value_words("constraints.time_to_value", c.time_to_value)]
    blocks.append(_p(Text("Constraints: ", bold=True), sentence_of(join_and(limits)[:1].upper() + join_and(limits)[1:])))
    if p.goals:
        goals = [ctx.kb.goals.goals[g].name if g in ctx.kb.goals.goals else g.replace("_", " ") for g in p.goals]
        label = "Goals, most important first: " if len(goals) > 1 else "Goal: "
        blocks.append(_p(Text(label, bold=True), sentence_of(join_and(goals)[:1].upper() + join_and(goals)[1:])))
    if p.priorities:
        # a priority on a criterion never weighed is shown as set, and as what it does: nothing
        prios = join_and([f"{mid(ctx.crit(k))} {level(v)} of 10" + (" (not weighed)" if k in UNWEIGHED_CRITERIA else "")
                          for k, v in p.priorities.items()])
        blocks.append(_p(Text("Priorities set: ", bold=True), prios, "."))
    # `frameworks: all` is expanded when the profile loads; a list of every framework known reads as that choice.
    everything = len(p.frameworks) > 1 and set(p.frameworks) == set(ctx.kb.frameworks)
    shortlist = f"all {len(p.frameworks)} frameworks in the knowledge base" if everything else join_and([ctx.name(f) for f in p.frameworks])
    # A combination may add a documented companion from outside the shortlist; a reader who then meets "MLflow +
    # Apache Airflow" among the options would otherwise take it for a mistake.
    outside = [f for f in dict.fromkeys(f for o in ctx.options.viable for f in o.frameworks) if f not in p.frameworks]
    extra = (f"; combinations may add a companion documented for a shortlisted framework: "
             f"{join_and([ctx.name(f) for f in outside])}") if outside else ""
    blocks.append(_p(Text("Shortlist: ", bold=True), shortlist, extra, "."))
    if not ctx.technical:
        # The executive brief's only driver would be the must rule: under a heading promising inputs it misled a
        # reader, so the rule is one paragraph under the needs it explains (named in the "Must have" line above).
        if any(need == "must" for need in p.needs.values()):
            blocks.append(_p(Text("Must-have needs: ", bold=True), MUST_RULE))
        return blocks
    drivers = _driving_inputs(ctx)
    if drivers:
        blocks.append(_p(Text("The inputs that drive the result", bold=True)))
        blocks.append(_bullets(drivers))
    return blocks


def _today(ctx: _Ctx) -> list[str]:
    """What the team runs now, where its work runs, what must stay and what the choice replaces: one sentence,
    or none for a profile that says nothing of it."""
    cur = ctx.profile.current

    def named(ids) -> str:
        return join_and(["an in-house system" if t == IN_HOUSE else tool_name(ctx.kb, t, cur.spelled) for t in ids])

    used = list(dict.fromkeys([*cur.tools, *cur.keep]))
    # "it uses BigQuery; BigQuery must stay" says the tool twice: when everything in use stays, say so once.
    all_kept = bool(cur.keep) and set(used) == set(cur.keep)
    stays = f", which must {('stay', 'both stay', 'all stay')[min(len(used), 3) - 1]}" if all_kept else ""
    clauses = [f"it uses {named(used)}{stays}"] if used else []
    if cur.compute:
        clauses.append(f"training and pipelines run on {join_and([value_words('current.compute', x) for x in cur.compute])}")
    change = [f"{named(cur.keep)} must stay"] if cur.keep and not all_kept else []
    if cur.replacing:
        change.append(f"{named(cur.replacing)} {'is' if len(cur.replacing) == 1 else 'are'} being replaced")
    if change:
        clauses.append(", and ".join(change))
    return [f"Today {'; '.join(clauses)}."] if clauses else []


# Scoring's must rule (generator/scoring/stacks.py: GOOD_LEVEL met alone, MUST_LEVEL only when no companion
# does the job fully; a combination at MUST_LEVEL through any part, build_stacks) in plain sentences, written where
# a reader first meets the threshold. A reader found combinations listed that the first sentence alone rules out.
MUST_RULE = (
    f"an option has to do each one well ({level(GOOD_LEVEL)} of 5 or more), or adequately ({level(MUST_LEVEL)}) when no "
    f"companion it works with does it well; a framework that needs a companion for one is offered only together with "
    f"it, and one that no companion brings to {level(MUST_LEVEL)} cannot be chosen."
)
# How a combination meets one: said in the technical brief, whose tables compare combinations criterion by criterion.
MUST_RULE_COMBINED = f"A combination meets one where any of its tools scores {level(MUST_LEVEL)} or more."


def _driving_inputs(ctx: _Ctx) -> list[str]:
    """The technical brief's inputs that drive the result: one bullet per hard constraint of the profile that
    rules options out, then why, in its own sentence; the must rule; the heaviest criteria.

    Each option is named once, under its first constraint, the one the ruled-out table gives first too, so
    the two never name different causes for one option: a platform excluded by an air gap is not named again
    under "the team names no use of Azure" (the technical table lists every reason per option), and a
    constraint that rules out nothing not already named gets no bullet.

    The executive brief has none of these bullets: its options section, on the next page, lists the same
    options with the same reasons and their sources, and the brief has four pages.
    """
    a = ctx.a
    out = []
    by_reason: dict[str, list[str]] = {}
    first: set[str] = set()
    for k in a.knockouts:
        if k.rule is not None and k.framework not in ctx.options.companions and k.framework not in first:
            first.add(k.framework)
            by_reason.setdefault(k.reason, []).append(ctx.name(k.framework))
    by_names: dict[tuple[str, ...], list[str]] = {}
    for reason, names in by_reason.items():
        by_names.setdefault(tuple(dict.fromkeys(names)), []).append(sentence_of(reason))
    named: set[str] = set()
    for names, reasons in by_names.items():
        new = [n for n in names if n not in named]
        if not new:
            continue
        named.update(new)
        verb = "is" if len(new) == 1 else "are"
        out.append(f"{join_and(new)} {verb} ruled out: {after_colon(' '.join(reasons), tuple(names))}")
    musts = [mid(ctx.crit(c)) for c in CAPABILITIES if ctx.profile.needs.get(c) == "must"]
    if musts:
        out.append(f"Must-have needs ({join_and(musts)}): {MUST_RULE} {MUST_RULE_COMBINED}")
    heavy = sorted((w for w in a.weights if w.value > 0), key=lambda w: -w.value)[:3]
    if heavy:
        out.append("Heaviest criteria: " + join_and([f"{mid(ctx.crit(w.criterion))} ({ctx.weight(w.criterion)})" for w in heavy]) + ".")
    return out


def _assumptions(ctx: _Ctx) -> list[Block]:
    p = ctx.profile
    items = [
        # One line each: what a wrong input does is said where the profile is shown.
        "The team, infrastructure and needs are as described above.",
        f"Framework capabilities are as published up to {ctx.kb.as_of}; later releases are not reflected.",
        "Scores compare frameworks as typically deployed; a team's experience with a tool can move them.",
        "Costs are qualitative: licence and hosting model only, no prices or volumes.",
    ]
    if len(ctx.a.recommendation.stack) > 1:
        items.append("The tools of the recommended combination integrate as their documentation describes.")
    if p.team.size:
        items.append(f"The team stays at about {_count(p.team.size, 'person')} for the adoption.")
    return [_bullets(items)]
