"""``briefgen frameworks list|show``: reports on the knowledge base, as text or JSON.

Library functions; the CLI only prints what they return. The JSON shapes are a
contract for scripts: ``show`` has ``facts``, each with ``text`` and ``sources``
(a list of ``{id, url, as_of, title}``).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import json
from typing import Any

from generator.errors import ConfigError
from generator.knowledge.model import Fact, Framework, KnowledgeBase, as_date, evidence_age
from generator.wording import number

DEFAULT_MAX_AGE = 365


def _evidence(age) -> dict:
    """How old a framework's evidence is, as both JSON reports show it."""
    return {
        "sources": age.sources,
        "newest_as_of": age.newest_as_of,
        "oldest_as_of": age.oldest_as_of,
        "newest_age_days": age.newest_days,
        "oldest_age_days": age.oldest_days,
    }


def _sources(kb: KnowledgeBase, ids: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {"id": s.id, "url": s.url, "as_of": s.as_of, "title": s.title, "publisher": s.publisher, "third_party": s.third_party}
        for s in kb.sources_for(ids)
    ]


def frameworks_table(kb: KnowledgeBase, *, max_age: int = DEFAULT_MAX_AGE, today: str | _dt.date | None = None) -> list[dict[str, Any]]:
    """One row per framework with its key attributes and the age of its evidence."""
    day = as_date(today)
    rows = []
    for fid, fw in kb.frameworks.items():
        age = evidence_age(kb, fid, day, max_age)
        rows.append(
            {
                "id": fid,
                "name": fw.name,
                "hosting": fw.hosting,
                "kubernetes": fw.kubernetes,
                "open_source": fw.open_source,
                "clouds": list(fw.clouds),
                "newest_version": fw.newest_version,
                "newest_version_date": fw.newest_version_date,
                "evidence": {**_evidence(age), "older_than_max_age": age.stale_sources},
                "stale": age.stale,
            }
        )
    return rows


def list_frameworks(
    kb: KnowledgeBase, *, as_json: bool = False, max_age: int = DEFAULT_MAX_AGE, today: str | _dt.date | None = None
) -> str:
    """The ``frameworks list`` report; frameworks whose newest evidence is older than ``max_age`` days are flagged."""
    day = as_date(today)
    rows = frameworks_table(kb, max_age=max_age, today=day)
    if as_json:
        doc = {
            "knowledge": {"version": kb.version, "as_of": kb.as_of, "oldest_as_of": kb.oldest_as_of, "today": day.isoformat()},
            "max_age_days": max_age,
            "frameworks": rows,
        }
        return json.dumps(doc, indent=2, ensure_ascii=False)
    header = ("id", "name", "hosting", "kubernetes", "newest version", "evidence (newest/oldest)", "")
    lines = [header]
    for r in rows:
        ev = r["evidence"]
        version = f"{r['newest_version']} ({r['newest_version_date']})"
        evidence = f"{ev['newest_age_days']}d / {ev['oldest_age_days']}d, {ev['sources']} sources"
        flag = f"STALE: newest evidence older than {max_age} days" if r["stale"] else ""
        lines.append((r["id"], r["name"], r["hosting"], r["kubernetes"], version, evidence, flag))
    widths = [max(len(str(row[i])) for row in lines) for i in range(len(header) - 1)]
    out = [f"Knowledge base as of {kb.as_of} (oldest source {kb.oldest_as_of}, version {kb.version[:12]}); ages relative to {day.isoformat()}."]
    for row in lines:
        cells = [str(c).ljust(w) for c, w in zip(row, widths)]
        out.append("  ".join(cells + ([row[-1]] if row[-1] else [])).rstrip())
    stale = [r["id"] for r in rows if r["stale"]]
    out.append(f"{len(stale)} of {len(rows)} frameworks flagged stale (max age {max_age} days)" + (f": {', '.join(stale)}." if stale else "."))
    return "\n".join(out)


def _fact_dict(kb: KnowledgeBase, fact: Fact) -> dict[str, Any]:
    out: dict[str, Any] = {"topic": fact.topic, "text": fact.text, "sources": _sources(kb, fact.sources)}
    if fact.as_of:
        out["as_of"] = fact.as_of
    return out


def framework_detail(kb: KnowledgeBase, framework_id: str, *, today: str | _dt.date | None = None) -> dict[str, Any]:
    """Everything the knowledge base holds about one framework, every statement with its sources."""
    fw = _find(kb, framework_id)
    age = evidence_age(kb, fw.id, today)
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
        "facts": [_fact_dict(kb, f) for f in fw.all_facts()],
        "scores": {
            cid: {
                "level": s.level,
                "rationale": s.rationale,
                "criterion": kb.criteria[cid].name if cid in kb.criteria else cid,
                "sources": _sources(kb, s.sources),
            }
            for cid, s in fw.scores.items()
        },
        "pros": [{"text": p.text, "criteria": list(p.criteria), "sources": _sources(kb, p.sources)} for p in fw.pros],
        "cons": [
            {"text": p.text, "criteria": list(p.criteria), "mitigation": p.mitigation, "sources": _sources(kb, p.sources)}
            for p in fw.cons
        ],
        "companions": [
            {"framework": c.framework, "covers": list(c.covers), "text": c.text, "sources": _sources(kb, c.sources)}
            for c in fw.companions
        ],
        "adoption": [_fact_dict(kb, f) for f in fw.adoption],
        "evidence": _evidence(age),
        "knowledge": {"version": kb.version, "as_of": kb.as_of},
    }


def show_framework(kb: KnowledgeBase, framework_id: str, *, as_json: bool = False, today: str | _dt.date | None = None) -> str:
    """The ``frameworks show ID`` report."""
    detail = framework_detail(kb, framework_id, today=today)
    if as_json:
        return json.dumps(detail, indent=2, ensure_ascii=False)
    fw = kb.frameworks[detail["id"]]
    cited: list[str] = []

    def refs(ids: tuple[str, ...]) -> str:
        for i in ids:
            if i not in cited:
                cited.append(i)
        return "[" + ", ".join(str(cited.index(i) + 1) for i in ids) + "]"

    out = [f"{fw.name} ({fw.id})", "", fw.summary, "", "Facts:"]
    out += [f"  - {f.text} {refs(f.sources)}" for f in fw.all_facts()]
    out += ["", "Scores (0-5, before context rules):"]
    width = max(len(c) for c in fw.scores)
    for cid, s in fw.scores.items():
        out.append(f"  {cid.ljust(width)}  {number(s.level)}  {s.rationale} {refs(s.sources)}")
    out += ["", "Pros:"] + [f"  + {p.text} {refs(p.sources)}" for p in fw.pros]
    out += ["", "Cons:"]
    for p in fw.cons:
        out.append(f"  - {p.text} {refs(p.sources)}")
        out.append(f"    mitigation: {p.mitigation}")
    if fw.companions:
        out += ["", "Companions:"]
        out += [f"  * {c.framework} ({', '.join(c.covers)}): {c.text} {refs(c.sources)}" for c in fw.companions]
    out += ["", "Sources:"]
    for n, sid in enumerate(cited, 1):
        s = kb.sources[sid]
        out.append(f"  [{n}] {s.title}. {s.publisher}, as of {s.as_of}. {s.url}")
    return "\n".join(out)


def _find(kb: KnowledgeBase, framework_id: str) -> Framework:
    key = framework_id.strip().lower().replace("-", "_")
    if key in kb.frameworks:
        return kb.frameworks[key]
    by_name = {fw.name.lower(): fw for fw in kb.frameworks.values()}
    if framework_id.strip().lower() in by_name:
        return by_name[framework_id.strip().lower()]
    hint = difflib.get_close_matches(key, list(kb.frameworks), n=1)
    extra = f"; did you mean {hint[0]!r}?" if hint else f"; known: {', '.join(kb.frameworks)}"
    raise ConfigError(f"unknown framework {framework_id!r}{extra}")
