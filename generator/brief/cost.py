"""Cost and effort: what it takes to run each option the brief compares first, from the knowledge base's
pricing facts (qualitative: it holds no prices a brief could honestly total)."""

from __future__ import annotations

import re

from generator.brief.context import _Ctx, _p
from generator.document import Block, Table
from generator.wording import after_colon, join_and, level

# A model's words never contradict what the knowledge base's ``billed`` says beside them: an open-source
# project whose managed versions other vendors sell has "no paid edition from the project", not "no paid edition".
PRICING_WORDS = {
    "open_source": "open source, no paid edition from the project",
    "open_core": "open core (a free core and paid editions)",
    "per_seat_saas": "commercial (hosted plans priced per seat, or a licence to run it yourself)",
    "pay_per_use_cloud": "pay per use on the cloud bill",
}
# The executive cost table names the model only; what is billed, in the next column, says the rest.
PRICING_WORDS_SHORT = {
    "open_source": "open source",
    "open_core": "open core (free core, paid editions)",
    "per_seat_saas": "per seat, or a licence to self-host",
    "pay_per_use_cloud": "pay per use",
}
# How much of a Kubernetes cluster an option needs: its most demanding part decides.
KUBERNETES_NEED = {"not_needed": 0, "optional": 1, "required": 2}
HAS_CLUSTER = ("managed", "self_managed")
TOOL_COUNT_WORDS = {2: "two", 3: "three"}
# A bill's brackets in the executive brief's short form, but for what is paid.
_ASIDE = re.compile(r" \((?!you pay)[^()]*\)")


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
        rows.append((ctx.name(option.key), _pricing_cell(parts, ctx.technical), _billed_cell(ctx, parts, own_only),
                     _people_cell(ctx, parts, overhead, own_only)))
    if not rows:
        return [_p("No option is viable, so there is no cost to estimate.")]
    caption = "From the knowledge base; no prices are estimated. Operational overhead: 0-5, 5 is the least work."
    if own_only and (p.constraints.managed_services == "forbidden" or p.infrastructure.air_gapped):
        caption += " Managed and hosted offerings are left out: the team does not allow them."
    elif own_only:
        # Only hosted services are barred; what a vendor bills for a managed offering and for its hosted one is
        # one text in the knowledge base, so both are left out, and the caption says which the profile bars.
        caption += (" Managed and hosted offerings are left out: the team does not allow hosted (SaaS) services, "
                    "and what each vendor bills for the two is not told apart here.")
    return [
        Table(
            ("Option", "Pricing model", "What is billed", "People and infrastructure to run it"),
            tuple(rows),
            caption=caption,
            widths=(1.4, 2, 3, 2.4) if ctx.technical else (1.4, 1.4, 3.5, 2.5),
        )
    ]


def _per_part(parts, words: list[str]) -> str:
    """One phrase for a single framework; for a combination each part's, or one phrase for all when they agree."""
    if len(parts) == 1:
        return words[0]
    if len(set(words)) == 1:
        return f"{words[0]} ({'both' if len(parts) == 2 else 'all ' + str(len(parts))})"
    return "; ".join(f"{fw.name}: {w}" for fw, w in zip(parts, words))


def _pricing_cell(parts, full: bool = True) -> str:
    return _per_part(parts, [_pricing_words(fw, full) for fw in parts])


def _billed_cell(ctx: _Ctx, parts, own_only: bool) -> str:
    """The knowledge base's sourced words on what money goes to, each part's with its citation."""
    texts = []
    kept = ctx.profile.current.keep
    for fw in parts:
        if fw.id in kept and len(parts) > 1:
            # Scoring counts a kept tool's licence and running cost as paid (stacks.SUNK_COSTS); so does this row.
            texts.append(f"{fw.name}: nothing new, since the team already runs it and keeps it.")
            continue
        # The executive brief gives the short form: for free software, what running it yourself costs (the
        # paid editions are named by the pricing model beside it), and no asides in brackets.
        short = not ctx.technical and fw.pricing in ("open_source", "open_core")
        billed = (fw.pricing_billed_self_hosted if own_only or short else "") or fw.pricing_billed
        if billed and not ctx.technical:
            billed = _ASIDE.sub("", billed)
        if not billed:
            billed = "See the vendor's price list."
        fact = fw.attribute_facts.get("pricing")
        cited = billed.rstrip(".") + (ctx.cite(fact.sources) if fact else "") + "."
        texts.append(cited if len(parts) == 1 else f"{fw.name}: {after_colon(cited, keep=[fw.name])}")
    return " ".join(texts)


def _people_cell(ctx: _Ctx, parts, overhead: float | None, own_only: bool = False) -> str:
    """The cluster the option needs, said against the team's infrastructure, and its effort band.

    Free software with a vendor-hosted version is scored as the team would run it itself; where the team may use
    a hosted service and that effort is real, the row says so, or a rival scored on its hosted form (W&B, whose
    server needs a licence) would look lighter for a reason the table does not show."""
    team_k8s = ctx.profile.infrastructure.kubernetes
    # A part the team keeps already runs, on whatever it runs on today: only the new parts need a home.
    kept = [fw for fw in parts if fw.id in ctx.profile.current.keep] if len(parts) > 1 else []
    new = [fw for fw in parts if fw not in kept]
    # A cloud provider's managed platform runs on the provider's machines whatever Kubernetes it can attach.
    hosted = [fw for fw in new if fw.hosting != "managed"]
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
    elif kept:
        # beside a kept tool that may well run on Kubernetes, say whose need this is
        cluster = f"{join_and([fw.name for fw in new])} {'needs' if len(new) == 1 else 'need'} no Kubernetes cluster"
    else:
        cluster = "no Kubernetes cluster needed"
    if kept:
        runs = "already runs" if len(kept) == 1 else "already run"
        cluster = f"{join_and([fw.name for fw in kept])} {runs} here; {cluster}"
    if overhead is None:
        return cluster
    effort = (
        "little to run" if overhead >= 4
        else "part of an engineer's time to run" if overhead >= 3
        else "ongoing work for a platform team"
        + (", which this team does not have" if ctx.profile.team.platform_team == "none" else "")
    )
    fw = parts[0]
    if len(parts) == 1 and overhead < 4 and fw.saas and fw.self_hosted and fw.pricing in ("open_source", "open_core") \
            and not own_only:
        effort += ", scored for running it yourself, though hosted versions exist"
    if len(parts) > 1:
        # The option's overhead includes the integration cost of each extra tool (stacks.INTEGRATION_COST).
        effort += f", counting the effort of running {TOOL_COUNT_WORDS.get(len(parts), str(len(parts)))} tools together"
    return f"{cluster}; operational overhead {level(overhead)} of 5: {effort}"


def _pricing_words(fw, full: bool = True) -> str:
    """The knowledge base's pricing model in words (``full``: with what it means); without one, the licence and the hosting."""
    if fw.pricing:
        return (PRICING_WORDS if full else PRICING_WORDS_SHORT).get(fw.pricing, fw.pricing.replace("_", " "))
    licence = "open source" if fw.open_source else "commercial"
    return f"{licence}; {fw.hosting.replace('_', ' ')}"
