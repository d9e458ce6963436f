"""Musts a framework meets with a companion, and stacks of a framework with its companions.

The rules (documented with their reasons in generator/scoring/assess.py, steps 3 and 4):
a must is met alone at GOOD_LEVEL, and at MUST_LEVEL when no companion does it fully (where
one does, only with it; a combination likewise, where no companion of its main framework left out
of it does it fully); a companion fills a must gap below GOOD_LEVEL or a
should gap below MUST_LEVEL, and the framework it joins must itself do one of the team's
must or should needs (MUST_LEVEL or more, not taken over by a companion); on WEAKEST_LINK criteria a stack is as weak as its
weakest part and each extra tool costs INTEGRATION_COST on ease of use and
operational overhead, down to the scale's floor of 0; on any other capability a part
does the job on (MUST_LEVEL or more) the stack has that part's level, except on the
SHARED_BURDEN, where the primary decides. A stack named after another part than its
base is then judged with that part as its main framework (rebased).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations
from operator import mul
from typing import Collection, Mapping, Sequence

from generator.knowledge.model import Companion, Framework
from generator.profile.model import CAPABILITIES, Profile
from generator.scoring.assessment import Cell, Stack, StackPart
from generator.scoring.sensitivity import Option
from generator.wording import join_and, level, mid, sentence_of, unique

MUST_LEVEL = 3.0  # a must need is met at 3/5 ("does the job") or better
FIT_CRITERION = "infrastructure_fit"
FIT_VETO = 1.0  # infrastructure fit at or below this: does not fit the team's infrastructure
GOOD_LEVEL = 4.0  # below this a must/should need is a gap a companion may fill
INTEGRATION_COST = 1.0  # per extra tool, on ease_of_use and operational_overhead
INTEGRATION_CRITERIA = ("ease_of_use", "operational_overhead")
WEAKEST_LINK = ("ease_of_use", "operational_overhead", "infrastructure_fit", "cost")
# Security is as strong as the tool every user passes through, not as the best-secured part:
# a companion's access control never lends the stack its level.
SHARED_BURDEN = "governance_security"
MAX_COMPANIONS = 2
GAP_BELOW = {"must": GOOD_LEVEL, "should": MUST_LEVEL}  # a need is a gap when the primary scores below this
POINTS = 20.0  # 0..5 levels -> 0..100 totals


@dataclass(frozen=True)
class Coverage:
    """Why one companion is in a combination: the sentence, the companion, the needs it fills and the sources of
    the documented pairing the sentence quotes."""

    text: str
    companion: str
    fills: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    """An option the recommendation may pick: one framework, or a stack with its score and coverage."""

    option: Option
    frameworks: tuple[str, ...]
    score: float  # 0..100
    stack: Stack | None
    coverage: tuple[Coverage, ...] = ()  # one per companion: which need it covers and why


def weighted_total(vector: Sequence[float], weights: Sequence[float]) -> float:
    return POINTS * sum(map(mul, weights, vector))


# --- knock-outs ------------------------------------------------------------------------------


def usable_companions(fw: Framework, pool: Mapping[str, Framework], ruled_out: set[str]) -> list[Companion]:
    return [c for c in fw.companions if c.framework in pool and c.framework not in ruled_out and c.framework != fw.id]


def must_gaps(
    fw: Framework,
    musts: Sequence[str],
    cells: Mapping[tuple[str, str], Cell],
    pool: Mapping[str, Framework],
    ruled_out: set[str],
    extra: Sequence[Companion] = (),
) -> tuple[list[str], dict[str, list[str]]]:
    """Musts the framework cannot meet even with a companion, and musts it meets only with one.

    Built-in support (GOOD_LEVEL) meets a must alone. Partial support (MUST_LEVEL) meets it alone
    only when no usable companion does that job fully: where one does, the framework hands the
    rest of a must-have job to that companion, so the option is the stack, with its running costs.
    """
    unmet: list[str] = []
    helped: dict[str, list[str]] = {}
    companions = [c for c in [*usable_companions(fw, pool, ruled_out), *extra] if c.framework in pool and c.framework not in ruled_out]

    def doing(cid: str, at: float) -> list[str]:
        return sorted({c.framework for c in companions if cid in c.covers and cells[(c.framework, cid)].score >= at})

    for cid in musts:
        score = cells[(fw.id, cid)].score
        if score >= GOOD_LEVEL:
            continue
        helpers = doing(cid, GOOD_LEVEL) if score >= MUST_LEVEL else doing(cid, MUST_LEVEL)
        if helpers:
            helped[cid] = helpers
        elif score < MUST_LEVEL:
            unmet.append(cid)
    return unmet, helped


def handed_musts(fid: str, musts: Sequence[str], cells: Mapping[tuple[str, str], Cell]) -> tuple[str, ...]:
    """The must-have needs ``fid`` does below GOOD_LEVEL: where it needs a companion (must_gaps), the ones that
    companion takes, which a sentence names as what the framework needs it for."""
    return tuple(c for c in musts if (fid, c) in cells and cells[(fid, c)].score < GOOD_LEVEL)


# --- stacks ----------------------------------------------------------------------------------


def gap_criteria(
    primary: str, comp: Companion, needs: Mapping[str, str], cells: Mapping[tuple[str, str], Cell]
) -> tuple[str, ...]:
    out = []
    for cid in comp.covers:
        if cid == SHARED_BURDEN:
            continue  # a companion's access control never protects what the primary holds (see SHARED_BURDEN)
        gap_below = GAP_BELOW.get(needs.get(cid, ""))
        if gap_below is None:
            continue
        p, c = cells[(primary, cid)].score, cells[(comp.framework, cid)].score
        if p < gap_below and c >= MUST_LEVEL and c > p:
            out.append(cid)
    return tuple(out)


# What a tool the team already runs and keeps costs is paid: its running and licence costs, and learning it.
SUNK_COSTS = ("operational_overhead", "cost", "ease_of_use")


def weakest_part(parts: Sequence[str], cid: str, cells: Mapping[tuple[str, str], Cell], kept: Sequence[str] = ()) -> str:
    """The part that sets a stack's level on WEAKEST_LINK criterion ``cid``: the lowest-scoring part, leaving out a
    part the team keeps where its cost is already paid (SUNK_COSTS), and the first such part on a tie."""
    counted = [p for p in parts if not (cid in SUNK_COSTS and p in kept)] or list(parts)
    return min(counted, key=lambda p: cells[(p, cid)].score)


def stack_vector(
    primary: str,
    companions: Sequence[Companion],
    criteria: Sequence[str],
    cells: Mapping[tuple[str, str], Cell],
    kept: Sequence[str] = (),
) -> tuple[tuple[float, ...], dict[str, str]]:
    """Per-criterion stack scores, and which part each covered criterion comes from.

    Every tool beyond the first costs INTEGRATION_COST on ease of use and operational
    overhead, kept or not: the team works across all of them. A part the team already
    runs and keeps (``kept``) does not drag the stack's running cost, licence cost or ease
    of use down, since those are already paid: the team runs it and knows it.
    """
    parts = [primary] + [c.framework for c in companions]
    extra = len(parts) - 1
    vector = []
    owner: dict[str, str] = {}
    for cid in criteria:
        if cid in WEAKEST_LINK:
            value = cells[(weakest_part(parts, cid, cells, kept), cid)].score
            if cid in INTEGRATION_CRITERIA:
                value = max(0.0, value - INTEGRATION_COST * extra)
        else:
            value = cells[(primary, cid)].score
            for comp in companions:
                score = cells[(comp.framework, cid)].score
                # A companion adopted for one need brings every capability it does the job on: running
                # Kubeflow for pipelines brings its notebooks too.
                brings = cid in CAPABILITIES and cid != SHARED_BURDEN and score >= MUST_LEVEL
                if (cid in comp.covers and cid != SHARED_BURDEN or brings) and score > value:
                    value = score
                    owner[cid] = comp.framework
        vector.append(value)
    return tuple(vector), owner


def rebased(
    c: Candidate, lead: str, criteria: Sequence[str], cells: Mapping[tuple[str, str], Cell], weights: Sequence[float],
    *, shared: bool = True,
) -> Candidate:
    """The same stack judged with ``lead``, the part it is named after, as its main framework.

    The main framework decides the qualities every part shares (scalability, ecosystem, community,
    code structure, fit with current tools) and the SHARED_BURDEN; a stack named after another part
    than the one it was built on takes those from the part it is named after, or its name and its
    levels would describe two different options (``shared``: false where the base is a tool the team
    keeps, which stays the platform the work runs on). The named part keeps every capability of its
    own at any level, as a main framework does; what a companion brings is kept.
    """
    assert c.stack is not None
    owners = {x: p.framework for p in c.stack.parts for x in p.covers}
    base = c.frameworks[0]
    vector = list(c.option.vector)
    moved = set()
    for i, cid in enumerate(criteria):
        if cid in WEAKEST_LINK or owners.get(cid, base) != base:
            continue
        if cid in CAPABILITIES and cid != SHARED_BURDEN:
            if cells[(lead, cid)].score > vector[i]:
                vector[i] = cells[(lead, cid)].score
                moved.add(cid)
            continue
        if shared:
            vector[i] = cells[(lead, cid)].score
            moved.add(cid)

    def covers(p: StackPart) -> tuple[str, ...]:
        return tuple(x for x in criteria if (x in p.covers and x not in moved) or (x in moved and p.framework == lead))

    parts = tuple(StackPart(p.framework, covers(p)) for p in c.stack.parts)
    score = weighted_total(vector, weights)
    stack = replace(c.stack, score=score, levels=tuple(vector), parts=parts)
    return replace(c, option=replace(c.option, vector=tuple(vector)), score=score, stack=stack)


def _one_new_tool_too_many(
    pid: str, comps: Sequence[Companion], musts: Sequence[str], criteria: Sequence[str],
    cells: Mapping[tuple[str, str], Cell], kept: Sequence[str],
) -> bool:
    """Whether a stack adds more than one new tool where fewer would meet every must-have.

    A second new companion for a should-have alone is not worth adopting, running and
    integrating a third tool; a tool the team keeps costs nothing new, so it never counts.
    """
    new = [c for c in comps if c.framework not in kept]
    if len(new) < 2:
        return False
    for drop in new:
        rest = [c for c in comps if c is not drop]
        vector, _ = stack_vector(pid, rest, criteria, cells, kept)
        if all(vector[criteria.index(m)] >= MUST_LEVEL for m in musts):
            return True
    return False


def _primary_carries_a_need(
    pid: str, owner: Mapping[str, str], stated: Sequence[str], cells: Mapping[tuple[str, str], Cell]
) -> bool:
    """Whether the stack's own framework does one of the team's must or should needs itself.

    Every companion joins to fill such a need; a base that fills none (its companions do all the
    stated work) would be one more tool to adopt and run for general qualities alone, such as code
    structure or community, which the companion without it offers more simply.
    """
    if not stated:
        return True
    return any(c not in owner and cells[(pid, c)].score >= MUST_LEVEL for c in stated)


def _leaves_a_must_half_done(
    chosen: Collection[str],
    companions: Sequence[Companion],
    musts: Sequence[str],
    criteria: Sequence[str],
    vector: Sequence[float],
    cells: Mapping[tuple[str, str], Cell],
) -> bool:
    """Whether the combination does a must-have only adequately (MUST_LEVEL) while a companion of its main framework,
    left out of it, does that job fully: the rule a single framework meets musts by (must_gaps) holds for its
    combinations too, so MLflow with Airflow is no option for a must-have serving need that SageMaker AI, which
    MLflow hands serving to, does fully. Companions of the other parts are not followed: the rule is the main
    framework's, and following every part's companions would leave only one vendor's family of options."""
    return any(
        vector[criteria.index(m)] < GOOD_LEVEL
        and any(c.framework not in chosen and m in c.covers and cells[(c.framework, m)].score >= GOOD_LEVEL for c in companions)
        for m in musts
    )


def renamed_leaves_a_must_half_done(
    c: Candidate,
    pool: Mapping[str, Framework],
    ruled_out: set[str],
    musts: Sequence[str],
    criteria: Sequence[str],
    cells: Mapping[tuple[str, str], Cell],
) -> bool:
    """Whether a combination named after another part than the one it was built on (MLflow, beside the Airflow the
    team keeps) does a must-have only adequately while a companion of the part it is now named after does it fully:
    built from Airflow, it was checked against Airflow's companions, and a brief recommending MLflow for a must-have
    serving need MLflow hands to SageMaker AI then broke the rule every MLflow option obeys."""
    if c.stack is None:
        return False
    main = c.option.primary
    companions = usable_companions(pool[main], pool, ruled_out) if main in pool else []
    return _leaves_a_must_half_done(set(c.frameworks), companions, musts, criteria, c.option.vector, cells)


def build_stacks(
    primaries: Sequence[str],
    pool: Mapping[str, Framework],
    ruled_out: set[str],
    profile: Profile,
    criteria: Sequence[str],
    weights: Sequence[float],
    cells: Mapping[tuple[str, str], Cell],
    names: Mapping[str, str],
    crit_names: Mapping[str, str],
    shortlist: set[str],
    kept_companions: Mapping[str, Sequence[Companion]] = {},
    held: Collection[str] = (),
) -> tuple[list[Candidate], frozenset[str]]:
    """Every framework with up to MAX_COMPANIONS companions that fill its gaps, best first; ``kept_companions``
    adds, per primary, the frameworks the team keeps that are documented to work with it. ``held`` are the needs
    a tool the team keeps does itself (not a framework): met whatever the team adopts, never a gap.

    Also returns the frameworks left without any stack because, in every combination that meets the
    must-have needs, their companions would do all the stated needs they do (_primary_carries_a_need):
    the brief must say why such a framework, which meets the musts with a companion, is no option at all.
    """
    # A must that a kept tool does (Slurm's multi-node jobs) is met in every option, and no gap to fill.
    needs = {c: n for c, n in profile.needs.items() if c not in held}
    musts = [c for c in criteria if needs.get(c) == "must"]
    stated = [c for c in criteria if profile.needs.get(c) in ("must", "should")]
    kept = tuple(profile.current.keep)
    found: dict[frozenset[str], Candidate] = {}
    idle: set[str] = set()
    for pid in primaries:
        fw = pool[pid]
        useful = []
        extra = [c for c in kept_companions.get(pid, ()) if c.framework in pool and c.framework not in ruled_out]
        for comp in usable_companions(fw, pool, ruled_out) + extra:
            gaps = gap_criteria(pid, comp, needs, cells)
            if gaps and all(u.framework != comp.framework for u, _ in useful):
                useful.append((comp, gaps))
        useful_comps = [c for c, _ in useful]
        for n in range(1, MAX_COMPANIONS + 1):
            for combo in combinations(useful, n):
                comps = [c for c, _ in combo]
                vector, owner = stack_vector(pid, comps, criteria, cells, kept)
                if any(vector[criteria.index(m)] < MUST_LEVEL for m in musts):
                    continue
                if _leaves_a_must_half_done({pid, *(c.framework for c in comps)}, useful_comps, musts, criteria, vector, cells):
                    continue
                if not _primary_carries_a_need(pid, owner, stated, cells):
                    idle.add(pid)
                    continue
                if n > 1 and _one_new_tool_too_many(pid, comps, musts, criteria, cells, kept):
                    continue
                ids = (pid,) + tuple(c.framework for c in comps)
                parts = [StackPart(pid, tuple(c for c in criteria if c not in owner))]
                sentences, coverage = [], []
                for comp, gaps in combo:
                    covers = tuple(c for c in criteria if owner.get(c) == comp.framework)
                    parts.append(StackPart(comp.framework, covers))
                    gap_names = join_and([mid(crit_names[g]) for g in gaps])
                    scores = ", ".join(
                        f"{mid(crit_names[g])} {level(cells[(comp.framework, g)].score)} of 5 instead of "
                        f"{level(cells[(pid, g)].score)}"
                        for g in gaps
                    )
                    note = "" if comp.framework in shortlist else " (not on the shortlist)"
                    sentences.append(
                        f"{names[comp.framework]}{note} covers {gap_names} for {names[pid]} ({scores}): "
                        f"{sentence_of(comp.text)}"
                    )
                    coverage.append(Coverage(sentences[-1], comp.framework, gaps, comp.sources))
                # "Costs 1" alone did not explain MLflow's 5 on ease of use becoming 3 beside DVC's 4: the
                # combination starts from its weakest part.
                weakest = "weakest part the team does not already run" if set(ids) & set(kept) else "weakest part"
                reason = " ".join(sentences) + (
                    f" On ease of use and operational overhead a combination is as good as its {weakest}, less "
                    f"{level(INTEGRATION_COST * (len(ids) - 1))} for working across {len(ids)} tools, and never below 0."
                )
                sources = unique([s for comp in comps for s in comp.sources])
                score = weighted_total(vector, weights)
                stack = Stack(ids, tuple(parts), score, reason, sources, levels=vector)
                cand = Candidate(Option("+".join(ids), pid, vector), ids, score, stack, tuple(coverage))
                key = frozenset(ids)
                old = found.get(key)
                if old is None or (-cand.score, cand.option.key) < (-old.score, old.option.key):
                    found[key] = cand
    built = {f for c in found.values() for f in c.frameworks}
    return sorted(found.values(), key=lambda c: (-c.score, len(c.frameworks), c.option.key)), frozenset(idle - built)
