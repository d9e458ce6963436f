"""Fit with the team's current tools: the computed criterion ``tool_fit`` and the knock-outs it implies.

The method and its levels are data (``data/tools.yaml``, read into ``kb.tools``); this
module only applies them. For each tool the team must keep (``current.keep``) a
framework is, in this order:

1. the tool itself: level ``same``;
2. documented to work with it, by its own ``works_with`` entry or the other
   framework's entry for it (a pairing documented on either side holds both ways):
   the level of the best documented support (``native``, ``plugin``, ``community``);
3. built for one of the tool's exclusive roles (its capability for that role at
   ``role_level`` or more) and not documented to work with it: knocked out, because
   adopting it would replace a tool that must stay; unless the framework is built
   (``role_level`` or more) for another job a tool can do (``role_capability``) that the team
   rates a must or a should, for which the team would adopt it: then the kept tool goes on doing its job and the framework is level
   ``neutral``, as a tracker logs from inside the tasks of a kept scheduler. The exception
   does not look at how much the team needs the kept tool's job itself, so raising a need
   never rules a framework out;
4. a place where jobs run that it would not use (it runs jobs itself, as a framework
   that could take the orchestration role does, and runs them on other compute): level
   ``neutral`` minus ``switching``. Compute is not exclusive: the kept cluster or batch
   service stays for what runs there, and the framework's jobs run beside it, which
   costs the team the move and a second place to run them, not the kept tool;
5. otherwise it does a different job: level ``neutral``.

The criterion's level is the mean over kept tools to the nearest half level (``neutral`` when none is kept),
plus ``familiar`` when the framework is already in use, minus ``switching`` when it
would take over the role of a tool in use that is neither kept nor being replaced
(rule 3 applied to ``current.tools``, with the same exception: a migration, not a knock-out; a compute tool's move
is left to infrastructure fit when the framework runs on none of ``current.compute``,
which that criterion already charges, and is not charged at all when the profile names no
``current.compute``: nothing then says the ML work runs on that tool), plus ``successor`` when the framework's own
``works_with`` entry for a tool the team is replacing says what of that tool's work
``carries_over`` unchanged (the rewrite it spares), within 0..5. A framework the team is
replacing (``current.replacing``) is knocked out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from generator.knowledge import Companion, Fact, Framework, KnowledgeBase
from generator.knowledge.model import Tools
from generator.profile import CAPABILITIES as CAPABILITY_IDS, Profile
from generator.wording import join_and

CRITERION = "tool_fit"
SUPPORT_WORDS = {"native": "a built-in integration", "plugin": "an official plugin", "community": "a community plugin"}


@dataclass(frozen=True)
class ToolFit:
    """One framework's fit with the current tools: the level, why, the sources, or a knock-out."""

    level: float
    rationale: str
    sources: tuple[str, ...]
    factors: tuple[str, ...]  # profile fields the level depends on
    knockout: str = ""  # a sentence when the framework cannot be adopted beside the kept tools
    knockout_factor: str = ""


def tool_name(kb: KnowledgeBase, tid: str, spelled: Mapping[str, str] | None = None) -> str:
    """A tool by its name: the knowledge base's, else as the profile spells it (``Current.spelled``)."""
    if tid in kb.frameworks:
        return kb.frameworks[tid].name
    info = kb.tools.tools.get(tid)
    if info is not None:
        return info.name
    # An unknown tool is kept as its normalised id ("great_expectations"); a reader sees words, not an identifier.
    return (spelled or {}).get(tid) or tid.replace("_", " ")


def _documented(kb: KnowledgeBase, fw: Framework, tid: str):
    """The best documented pairing between ``fw`` and tool ``tid``, from either side, or None."""
    entries = []
    if tid in fw.works_with:
        entries.append(fw.works_with[tid])
    other = kb.frameworks.get(tid)
    if other is not None and fw.id in other.works_with:
        entries.append(other.works_with[fw.id])
    if not entries:
        return None
    rank = {"native": 0, "plugin": 1, "community": 2}
    return min(entries, key=lambda e: rank.get(e.support, 3))


def pairing_fact(kb: KnowledgeBase, fid: str, tid: str) -> Fact | None:
    """What the knowledge base documents about framework ``fid`` working with tool ``tid`` (either side), or None."""
    pair = _documented(kb, kb.frameworks[fid], tid)
    return pair.fact if pair is not None else None


def _roles(kb: KnowledgeBase, tid: str) -> tuple[str, ...]:
    if tid in kb.frameworks:
        fw = kb.frameworks[tid]
        cfg = kb.tools
        return tuple(
            role for role, cap in cfg.role_capability.items() if fw.scores.get(cap) and fw.scores[cap].level >= cfg.role_level
        )
    info = kb.tools.tools.get(tid)
    return info.roles if info is not None else ()


def _runs_jobs(kb: KnowledgeBase, fw: Framework) -> bool:
    """Whether ``fw`` runs jobs itself: only then can it take a place where jobs run from another tool.

    A tracker or a versioning tool logs from wherever the code already runs, so it replaces
    no compute; a framework that could take the orchestration role runs its own steps.
    """
    cap = kb.tools.role_capability.get("orchestration")
    score = fw.scores.get(cap) if cap else None
    return score is not None and score.level >= kb.tools.role_level


def _takes_role(kb: KnowledgeBase, fw: Framework, tid: str) -> str:
    """The role of kept tool ``tid`` that ``fw`` would take over, or ""."""
    cfg = kb.tools
    for role in _roles(kb, tid):
        cap = cfg.role_capability.get(role)
        if cap is not None:
            score = fw.scores.get(cap)
            if score is not None and score.level >= cfg.role_level:
                return role
        if role == "compute" and _runs_jobs(kb, fw):
            where = cfg.compute_role.get(tid)
            if where is not None and where not in fw.compute:
                return role
    return ""


ROLE_WORDS = {
    "orchestration": "pipeline scheduler",
    "tracking": "experiment tracker",
    "registry": "model registry",
    "serving": "model serving layer",
    "data_versioning": "data versioning tool",
    "compute": "place where jobs run",
}


def tool_fit(profile: Profile, kb: KnowledgeBase, fw: Framework) -> ToolFit:
    """The ``tool_fit`` level of one framework for this profile (see the module docstring)."""
    cfg = kb.tools
    cur = profile.current
    levels = cfg.levels
    if fw.id in cur.replacing:
        return ToolFit(0.0, f"The team is replacing {fw.name}.", (), ("current.replacing",),
                       f"The team is replacing {fw.name}, so it is not an option for this decision.", "current.replacing")
    per_tool: list[float] = []
    notes: list[str] = []
    sources: list[str] = []
    factors: list[str] = []
    for tid in cur.keep:
        name = tool_name(kb, tid, cur.spelled)
        factors.append("current.keep")
        if tid == fw.id:
            per_tool.append(levels["same"])
            notes.append("is one of the tools the team keeps")
            continue
        pair = _documented(kb, fw, tid)
        if pair is not None:
            per_tool.append(levels[pair.support])
            # Running on a cluster is how a framework uses it, not an integration with it ("W&B works with Slurm
            # through a built-in integration" claimed more than W&B's page on running sweeps as Slurm jobs says).
            notes.append(f"runs on {name}" if pair.how == "runs_on" and tid == pair.tool else
                         f"works with {name} through {SUPPORT_WORDS.get(pair.support, pair.support)}")
            sources.extend(pair.fact.sources)
            continue
        role = _takes_role(kb, fw, tid)
        if role == "compute":
            # A place where jobs run is shared, not exclusive: the kept cluster or batch service stays for the work
            # that runs there while this framework runs its own jobs beside it. The cost is moving the ML jobs off
            # it and running a second place for them, as for a tool in use the framework would move the team off.
            per_tool.append(levels["neutral"] - levels.get("switching", 0.0))
            notes.append(f"would run its jobs beside {name}, which stays, rather than on it")
            continue
        if role and _wanted_for_more(profile, fw, role, cfg):
            # The team would adopt it for other needs it meets: it runs beside the kept tool, which goes on
            # doing its job, as a tracker runs inside the tasks of a kept scheduler.
            per_tool.append(levels["neutral"])
            notes.append(f"would leave the {ROLE_WORDS.get(role, role)} to {name} and do the team's other jobs")
            continue
        if role:
            what = ROLE_WORDS.get(role, role.replace("_", " "))
            return ToolFit(
                0.0,
                f"{name} must stay, and {fw.name} would replace it as the {what}.",
                (),
                ("current.keep",),
                f"{name} must stay, and {fw.name} would replace it as the {what}; no documented way to run the two "
                "together was found.",
                "current.keep",
            )
        per_tool.append(levels["neutral"])
    # The mean over kept tools, to the nearest half level: every level a brief prints is a whole or a half point,
    # and "4.3 of 5" (5, 5 and 3 for three kept tools) was a number no note explained.
    level = math.floor(sum(per_tool) / len(per_tool) * 2 + 0.5) / 2 if per_tool else float(levels["neutral"])
    moved_off = _moved_off(kb, fw, profile)
    if moved_off:
        tid, role = moved_off
        level -= levels.get("switching", 0.0)
        notes.append(
            f"would replace {tool_name(kb, tid, cur.spelled)}, which the team uses today, as the {ROLE_WORDS.get(role, role)}, "
            "so adopting it means moving off that tool"
        )
        factors.append("current.tools")
    carried = ""
    successor = _successor_to(fw, cur.replacing)
    if successor is not None:
        tid, entry = successor
        level += levels.get("successor", 0.0)
        notes.append(f"can take over from {tool_name(kb, tid, cur.spelled)}, which the team is replacing, without a rewrite")
        carried = entry.carries_over.rstrip(".") + "."
        sources.extend(entry.fact.sources)
        factors.append("current.replacing")
    in_use = fw.id in cur.tools or fw.id in cur.keep
    if in_use:
        level += levels["familiar"]
        factors.append("current.tools")
    level = min(5.0, max(0.0, level))
    if notes:
        rationale = f"{fw.name} {join_and(notes)}"
    elif cur.keep:
        rationale = f"{fw.name} does a different job from the tools the team keeps ({join_and([tool_name(kb, t, cur.spelled) for t in cur.keep])})"
    else:
        rationale = "No current tools must stay"
    if in_use and fw.id not in cur.keep:
        rationale += "; the team already uses it, so there is nothing new to learn"
    rationale = f"{rationale}. {carried}" if carried else rationale + "."
    return ToolFit(level, rationale, tuple(dict.fromkeys(sources)), tuple(dict.fromkeys(factors)))


def _moved_off(kb: KnowledgeBase, fw: Framework, profile: Profile) -> tuple[str, str] | None:
    """The first tool in use (not kept, not being replaced) whose role ``fw`` would take over, with that role; not
    when the team would adopt ``fw`` for other needs (``_wanted_for_more``), so that tool goes on doing its job."""
    cur = profile.current
    for tid in cur.tools:
        if tid == fw.id or tid in cur.keep or tid in cur.replacing or _documented(kb, fw, tid) is not None:
            continue
        role = _takes_role(kb, fw, tid)
        if role == "compute" and (not cur.compute or _runs_on_none_of(fw, cur.compute)):
            # Infrastructure fit already charges a framework that runs on none of the compute the team names for
            # moving the workloads; charging the same move again here would count one cost twice.
            continue
        if role and not _wanted_for_more(profile, fw, role, kb.tools):
            return tid, role
    return None


def _wanted_for_more(profile: Profile, fw: Framework, role: str, tools: Tools) -> bool:
    """Whether ``fw`` is built (tools.yaml's role_level or more) for another job the team needs (must or should) than
    ``role``, the job of a tool the team keeps or uses: then the team would adopt it for that, and it need not take
    the tool's job over. A job is one a tool can do (tools.yaml's role_capability): a scheduler's access control is
    no reason to adopt a second scheduler.

    Independent of how much the team needs ``cap`` itself, so that raising a need never rules a framework out. A
    place where jobs run (no capability) is never left behind this way: the framework's jobs would still move.
    """
    cap = tools.role_capability.get(role)
    return cap is not None and any(
        need in ("must", "should") and cid != cap and cid in tools.role_capability.values()
        and (score := fw.scores.get(cid)) is not None and score.level >= tools.role_level
        for cid, need in profile.needs.items()
    )


def _successor_to(fw: Framework, replacing: tuple[str, ...]):
    """The first tool being replaced whose existing work runs on ``fw`` unchanged, with ``fw``'s entry for it.

    Only ``fw``'s own entry counts: that B runs A's pipelines does not mean A runs B's.
    """
    for tid in replacing:
        entry = fw.works_with.get(tid)
        if entry is not None and entry.carries_over:
            return tid, entry
    return None


def _runs_on_none_of(fw: Framework, compute: tuple[str, ...]) -> bool:
    return bool(compute) and not set(fw.compute) & set(compute)


def tool_fits(profile: Profile, kb: KnowledgeBase, ids) -> Mapping[str, ToolFit]:
    return {f: tool_fit(profile, kb, kb.frameworks[f]) for f in ids}


def kept_companions(profile: Profile, kb: KnowledgeBase, ids, good_level: float) -> Mapping[str, tuple]:
    """Per framework, the frameworks the team keeps that can serve beside it as companions.

    A kept framework already runs, so it may fill any framework's gaps on the capabilities it
    does well (level ``good_level`` or more), unless the two would compete for one role (then
    ``tool_fit`` has knocked one of them out). The companion's text names the documented
    pairing where there is one.
    """
    out: dict[str, list] = {}
    kept = [k for k in profile.current.keep if k in kb.frameworks]
    for kid in kept:
        k = kb.frameworks[kid]
        covers = tuple(
            cid for cid, sc in sorted(k.scores.items()) if cid in CAPABILITY_IDS and sc.level >= good_level
        )
        if not covers:
            continue
        for fid in ids:
            if fid == kid:
                continue
            fw = kb.frameworks[fid]
            pair = _documented(kb, fw, kid)
            if pair is not None:
                text = f"The team keeps {k.name}: {pair.fact.text}"
                sources = tuple(pair.fact.sources)
            else:
                text = f"The team keeps {k.name}, which does a different job and runs beside {fw.name}."
                sources = ()
            out.setdefault(fid, []).append(Companion(kid, covers, text, sources))
    return {f: tuple(v) for f, v in out.items()}


@dataclass(frozen=True)
class HeldNeed:
    """A capability a tool the team keeps or uses already does for it (``current``), whatever framework it adopts."""

    tool: str  # the tool's name: "Slurm"
    how: str  # "keeps" | "uses"
    fact: Fact | None  # the knowledge base's sourced statement (tools.yaml ``does``); None when a role says it


def held_needs(profile: Profile, kb: KnowledgeBase) -> dict[str, HeldNeed]:
    """Per capability, the first tool the team keeps (before those it only uses) that does it, by its documented
    ``does`` or by a role whose capability it is (Jupyter's notebooks, Optuna's tuning). Never scored: the briefs
    say so where the pick is weak on that need."""
    current, tools = profile.current, kb.tools
    out: dict[str, HeldNeed] = {}
    for tid in dict.fromkeys((*current.keep, *current.tools)):
        tool = tools.tools.get(tid)
        if tool is None or tid in current.replacing:  # a tool on its way out holds nothing for the team
            continue
        how = "keeps" if tid in current.keep else "uses"
        for cid in CAPABILITY_IDS:
            if cid in out:
                continue
            if cid in tool.does:
                out[cid] = HeldNeed(tool.name, how, tool.does[cid])
            elif any(tools.role_capability.get(role) == cid for role in tool.roles):
                out[cid] = HeldNeed(tool.name, how, None)
    return out


def met_in_every_option(held: HeldNeed) -> bool:
    """Whether a tool the team keeps is documented (its ``does``) to do the need: then it is met whatever the team
    adopts, and a must-have among such needs rules out no framework that lacks it. A kept tool known only by its
    role says what job it plays, not that it does it as a must-have needs; a kept framework joins the options as a
    companion instead."""
    return held.how == "keeps" and held.fact is not None


def weighs_less(held: HeldNeed) -> bool:
    """Whether the need's weight is lowered: a tool the team uses today does it, or a kept tool is documented to
    (met_in_every_option); a framework's own version of it would be a second one."""
    return held.how == "uses" or met_in_every_option(held)
