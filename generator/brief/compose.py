"""Assessment + knowledge base + template -> Brief: the words and tables a stakeholder reads.

``compose`` is pure: no files, no clock, no environment, no renderer. It reads
only its arguments (and the bundled template, cached, when none is given), so
the same inputs always give the same Brief. The caller decides the date
(the pipeline passes :func:`generator.dates.today`).
"""

from __future__ import annotations

from generator.brief.appendix import _appendix, _glossary, _methodology, _sources
from generator.brief.change import _change
from generator.brief.context import _Ctx, _p
from generator.brief.frameworks import _comparison, _frameworks
from generator.brief.cost import _cost
from generator.brief.plan import _adoption, _plan, _risks
from generator.brief.scores import _drivers, _scores
from generator.brief.situation import _assumptions, _profile
from generator.brief.summary import _conclusion, _recommendation
from generator.brief.templating import Template, bundled_template, substitute
from generator.document import Brief, Metadata, Section, Theme, iter_text
from generator.knowledge.model import KnowledgeBase
from generator.scoring.assessment import Assessment
from generator.wording import join_and

# A brief dated before the knowledge it prints would cite pages read after its own date.
_DATED_BEFORE_KNOWLEDGE = (
    "project.date: {0} is before the knowledge this brief uses ({1}), so the brief would cite pages read after "
    "its own date; set {1} or later, or leave project.date out to date the brief today"
)
_TODAY_BEFORE_KNOWLEDGE = (
    "the brief is dated {0} (SOURCE_DATE_EPOCH, or the clock where it is unset), before the knowledge it uses "
    "({1}), so it would cite pages read after its own date; set project.date or SOURCE_DATE_EPOCH to {1} or later"
)


def _idle_goals(profile, kb: KnowledgeBase) -> list[str]:
    """A goal whose every capability the needs rate wont raises nothing ("delivering LLM applications" beside
    llm_ops: wont): one of the two is not what the team meant, and the brief would state both."""
    out = []
    for i, gid in enumerate(profile.goals):
        goal = kb.goals.goals.get(gid)
        caps = [c for c in goal.criteria if c in profile.needs] if goal else []
        if caps and all(profile.needs[c] == "wont" for c in caps) and len(caps) == len(goal.criteria):
            names = join_and([f"needs.{c}" for c in caps])
            out.append(f"goals[{i}]: {goal.name} is a goal, but {names} {'is' if len(caps) == 1 else 'are'} rated "
                       "wont, so the goal weighs nothing; rate the need, or drop the goal")
    return out


def brief_date(project_date: str | None, today: str | None, fallback: str) -> str:
    """project.date, else the caller's ``today``, else ``fallback`` (keeps compose deterministic)."""
    return project_date or today or fallback


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
    # (A priority on a criterion never weighed is warned about where the profile is read, at its line.)
    warnings: list[str] = []
    pr = profile.project
    date = brief_date(pr.date, today, kb.as_of)
    if pr.date and kb.as_of and pr.date < kb.as_of:
        warnings.append(_DATED_BEFORE_KNOWLEDGE.format(pr.date, kb.as_of))
    elif not pr.date and today and kb.as_of and today < kb.as_of:
        warnings.append(_TODAY_BEFORE_KNOWLEDGE.format(today, kb.as_of))
    warnings += _idle_goals(profile, kb)
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
        byline=values["project.author"],
        kb_as_of=kb.as_of,
        header=substitute(tpl.header, values),
        provenance=ctx.provenance,
        options=tuple(ctx.name(r.framework) for r in assessment.ranking),
    )
    # clean_field may warn twice for the same field (title and conclusion): keep each once.
    unique = tuple(dict.fromkeys(warnings))
    return Brief(meta=meta, sections=sections, theme=theme or Theme(), audience=tpl.audience, warnings=unique)
