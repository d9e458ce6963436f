"""``briefgen frameworks list|show``: reports on the knowledge base, as text or JSON.

Library functions; the CLI only prints what they return. The JSON shapes are a
contract for scripts (docs/knowledge.md): ``show`` gives every fact ``text``,
``evidence_date`` (ISO date or ``"undated"``), ``stale`` and ``sources``, each
source ``{id, url, title, publisher, tier, kind, published, retrieved}`` where
``kind`` is ``page`` or ``release`` and ``published`` is the date the page
states (a release's date for a release) or ``"undated"``.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import json
from typing import Any

from generator.document import source_dates
from generator.errors import ConfigError
from generator.knowledge.model import UNDATED, Fact, Framework, KnowledgeBase, as_date
from generator.profile.validate import normalise_framework_id
from generator.wording import number

DEFAULT_MAX_AGE = 365


def _sources(kb: KnowledgeBase, ids: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "url": s.url,
            "title": s.title,
            "publisher": s.publisher,
            "tier": s.tier,
            "kind": "release" if s.released else "page",
            "published": s.released or s.published,
            "retrieved": s.retrieved,
        }
        for s in kb.sources_for(ids)
    ]


def _dated(kb: KnowledgeBase, statement: Any, day: _dt.date, max_age: int) -> dict[str, Any]:
    """The evidence fields every statement of a JSON report carries."""
    return {
        "evidence_date": statement.evidence_date or UNDATED,
        "stale": kb.is_stale(statement, day, max_age),
        "sources": _sources(kb, statement.sources),
    }


def _age(kb: KnowledgeBase, fw: Framework, day: _dt.date, max_age: int) -> dict[str, Any]:
    """How many of a framework's facts are stale or undated, and its oldest evidence date."""
    facts = fw.all_facts()
    dated = [f.evidence_date for f in facts if f.evidence_date]
    return {
        "facts": len(facts),
        "stale": sum(kb.is_stale(f, day, max_age) for f in facts),
        "undated": len(facts) - len(dated),
        "oldest_evidence": min(dated, default=""),
        "newest_evidence": max(dated, default=""),
    }


def _knowledge(kb: KnowledgeBase, day: _dt.date, max_age: int) -> dict[str, Any]:
    return {
        "version": kb.version,
        "as_of": kb.as_of,
        "evidence_as_of": kb.evidence_as_of,
        "today": day.isoformat(),
        "max_age_days": max_age,
    }


def frameworks_table(kb: KnowledgeBase, *, max_age: int = DEFAULT_MAX_AGE, today: str | _dt.date | None = None) -> list[dict[str, Any]]:
    """One row per framework with its key attributes and how many of its facts are stale."""
    day = as_date(today)
    return [
        {
            "id": fid,
            "name": fw.name,
            "hosting": fw.hosting,
            "kubernetes": fw.kubernetes,
            "laptop": fw.laptop,
            "open_source": fw.open_source,
            "clouds": list(fw.clouds),
            "newest_version": fw.newest_version,
            "newest_version_date": fw.newest_version_date,
            "evidence": _age(kb, fw, day, max_age),
        }
        for fid, fw in kb.frameworks.items()
    ]


def list_frameworks(
    kb: KnowledgeBase, *, as_json: bool = False, max_age: int = DEFAULT_MAX_AGE, today: str | _dt.date | None = None
) -> str:
    """The ``frameworks list`` report: per framework, how many facts rest on evidence older than ``max_age`` days."""
    day = as_date(today)
    rows = frameworks_table(kb, max_age=max_age, today=day)
    if as_json:
        return json.dumps({"knowledge": _knowledge(kb, day, max_age), "frameworks": rows}, indent=2, ensure_ascii=False)
    header = ("id", "name", "hosting", "laptop", "newest version", "facts", "stale", "oldest evidence")
    lines = [header]
    for r in rows:
        ev = r["evidence"]
        lines.append((
            r["id"], r["name"], r["hosting"], r["laptop"], f"{r['newest_version']} ({r['newest_version_date']})",
            str(ev["facts"]), str(ev["stale"]), ev["oldest_evidence"] or UNDATED,
        ))
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    out = [
        f"Knowledge as of {kb.as_of} (newest retrieval); newest evidence {kb.evidence_as_of} (newest date a source states); "
        f"version {kb.version[:12]}.",
        f"A fact is stale when its evidence is older than {max_age} day{'s' if max_age != 1 else ''} on {day.isoformat()}; "
        "undated facts (living documentation) are judged by the day their sources were retrieved.",
        "",
    ]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in lines]
    total = sum(r["evidence"]["facts"] for r in rows)
    stale = sum(r["evidence"]["stale"] for r in rows)
    undated = sum(r["evidence"]["undated"] for r in rows)
    flagged = sum(1 for r in rows if r["evidence"]["stale"])
    out.append("")
    out.append(f"{stale} of {total} facts stale in {flagged} of {len(rows)} frameworks; {undated} facts undated. "
               "See `briefgen frameworks show ID` for which.")
    return "\n".join(out)


def framework_detail(
    kb: KnowledgeBase, framework_id: str, *, today: str | _dt.date | None = None, max_age: int = DEFAULT_MAX_AGE
) -> dict[str, Any]:
    """Everything the knowledge base holds about one framework, every statement with its sources and age."""
    fw = _find(kb, framework_id)
    day = as_date(today)

    def fact(f: Fact) -> dict[str, Any]:
        out: dict[str, Any] = {"topic": f.topic, "text": f.text, **_dated(kb, f, day, max_age)}
        if f.as_of:
            out["as_of"] = f.as_of
        return out

    return {
        "id": fw.id,
        "name": fw.name,
        "summary": fw.summary,
        "first_release": fw.first_release,
        "licence": fw.licence,
        "open_source": fw.open_source,
        "hosting": fw.hosting,
        "clouds": list(fw.clouds),
        "newest_version": fw.newest_version,
        "newest_version_date": fw.newest_version_date,
        "kubernetes": fw.kubernetes,
        "laptop": fw.laptop,
        "on_prem": fw.on_prem,
        "air_gapped": fw.air_gapped,
        "compute": list(fw.compute),
        "designed_for": list(fw.designed_for),
        "pricing": {"model": fw.pricing, "billed": fw.pricing_billed, "billed_self_hosted": fw.pricing_billed_self_hosted},
        "saas": fw.saas,
        "self_hosted": fw.self_hosted,
        "multi_tenancy": {"value": fw.multi_tenancy, "open_source": fw.multi_tenancy_open_source},
        "works_with": {t: {"how": w.how, "support": w.support, **fact(w.fact),
                           **({"carries_over": w.carries_over} if w.carries_over else {})}
                       for t, w in fw.works_with.items()},
        "performance": {k: fact(n) for k, n in fw.performance.items()},
        "facts": [fact(f) for f in fw.all_facts()],
        "scores": {
            cid: {
                "level": s.level,
                "rationale": s.rationale,
                "criterion": kb.criteria[cid].name if cid in kb.criteria else cid,
                **_dated(kb, s, day, max_age),
            }
            for cid, s in fw.scores.items()
        },
        "pros": [{"text": p.text, "criteria": list(p.criteria), **_dated(kb, p, day, max_age)} for p in fw.pros],
        "cons": [
            {"text": p.text, "criteria": list(p.criteria), "mitigation": p.mitigation, **_dated(kb, p, day, max_age)}
            for p in fw.cons
        ],
        "companions": [
            {"framework": c.framework, "covers": list(c.covers), "text": c.text, "sources": _sources(kb, c.sources)}
            for c in fw.companions
        ],
        "adoption": [fact(f) for f in fw.adoption],
        "evidence": _age(kb, fw, day, max_age),
        "knowledge": _knowledge(kb, day, max_age),
    }


def show_framework(
    kb: KnowledgeBase,
    framework_id: str,
    *,
    as_json: bool = False,
    today: str | _dt.date | None = None,
    max_age: int = DEFAULT_MAX_AGE,
) -> str:
    """The ``frameworks show ID`` report; statements whose evidence is older than ``max_age`` days are marked STALE."""
    day = as_date(today)
    detail = framework_detail(kb, framework_id, today=day, max_age=max_age)
    if as_json:
        return json.dumps(detail, indent=2, ensure_ascii=False)
    fw = kb.frameworks[detail["id"]]
    cited: list[str] = []

    def refs(item: Any) -> str:
        for i in item.sources:
            if i not in cited:
                cited.append(i)
        numbers = "[" + ", ".join(str(cited.index(i) + 1) for i in item.sources) + "]"
        if item.evidence_date:
            age = f"evidence {item.evidence_date}"
        else:
            age = f"undated, sources retrieved {kb.judged_date(item)}"
        return f"{numbers} ({'STALE: ' if kb.is_stale(item, day, max_age) else ''}{age})"

    ev = detail["evidence"]
    out = [
        f"{fw.name} ({fw.id})",
        "",
        fw.summary,
        "",
        f"{ev['stale']} of {ev['facts']} facts stale (evidence older than {max_age} day{'s' if max_age != 1 else ''} on {day.isoformat()}); "
        f"{ev['undated']} undated, judged by retrieval date.",
        "",
        "Facts:",
    ]
    out += [f"  - {f.text} {refs(f)}" for f in fw.all_facts()]
    out += ["", "Scores (0-5, before context rules):"]
    width = max((len(c) for c in fw.scores), default=0)
    for cid, s in fw.scores.items():
        out.append(f"  {cid.ljust(width)}  {number(s.level)}  {s.rationale} {refs(s)}")
    out += ["", "Pros:"] + [f"  + {p.text} {refs(p)}" for p in fw.pros]
    out += ["", "Cons:"]
    for p in fw.cons:
        out.append(f"  - {p.text} {refs(p)}")
        out.append(f"    mitigation: {p.mitigation}")
    if fw.companions:
        out += ["", "Companions:"]
        for c in fw.companions:
            for i in c.sources:
                if i not in cited:
                    cited.append(i)
            numbers = ", ".join(str(cited.index(i) + 1) for i in c.sources)
            out.append(f"  * {c.framework} ({', '.join(c.covers)}): {c.text} [{numbers}]")
    out += ["", "Sources:"]
    for n, sid in enumerate(cited, 1):
        s = kb.sources[sid]
        out.append(f"  [{n}] {s.title}. {s.publisher}; {s.tier}; {source_dates(s.published, s.released, s.retrieved)}. {s.url}")
    return "\n".join(out)


def _find(kb: KnowledgeBase, framework_id: str) -> Framework:
    key = normalise_framework_id(framework_id)  # as a profile's frameworks list takes it: "vertex ai" is vertex_ai
    if key in kb.frameworks:
        return kb.frameworks[key]
    by_name = {fw.name.lower(): fw for fw in kb.frameworks.values()}
    if framework_id.strip().lower() in by_name:
        return by_name[framework_id.strip().lower()]
    hint = difflib.get_close_matches(key, list(kb.frameworks), n=1)
    extra = f"; did you mean {hint[0]!r}?" if hint else f"; known: {', '.join(kb.frameworks)}"
    raise ConfigError(f"unknown framework {framework_id!r}{extra}")
