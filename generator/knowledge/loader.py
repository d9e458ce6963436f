"""Reading and checking the knowledge base files: every problem at once, with file and line.

:func:`load_knowledge` is the public entry; this module turns the YAML of ``data/``
(and of ``--knowledge`` folders) into the records of :mod:`generator.knowledge.model`.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import re
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

from generator.errors import InputError, Problem
from generator.knowledge.checker import ISO_DATE, MAX_FILE_BYTES, Checker, Doc, Path_, kind_of, parse_doc
from generator.knowledge.folder import SPECIAL, knowledge_files, read_knowledge_file
from generator.knowledge.model import (
    COMPUTED_CRITERIA,
    Goal,
    Goals,
    Tool,
    Tools,
    ATTRIBUTE_FACTS,
    AUDIENCES,
    COMPUTE,
    HOSTING,
    KUBERNETES,
    LAPTOP,
    NOTE_CRITERIA,
    PERFORMANCE_NOTES,
    PRICING,
    TENANCY,
    TIERS,
    TOOLS,
    UNDATED,
    WORKS_WITH_HOW,
    WORKS_WITH_SUPPORT,
    Companion,
    Condition,
    Criterion,
    Fact,
    Framework,
    KnowledgeBase,
    Point,
    Rule,
    Score,
    Source,
    WorksWith,
)
from generator.knowledge.rule_checks import check_condition, check_rules
from generator.profile.model import CAPABILITIES, CLOUDS, CRITERIA, FRAMEWORK_IDS, GOALS, MOSCOW, TOOL_IDS
from generator.resources import data_dir
from generator.sanitize import print_key, utf8

# ---------------------------------------------------------------------------
# Frameworks, sources and criteria (rules.yaml's grammar: rule_checks.py; the checker: checker.py)
# ---------------------------------------------------------------------------

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_RELEASE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_PLACEHOLDER_HOSTS = ("example.com", "example.org", "example.net", "localhost", "127.0.0.1", "0.0.0.0", "test.com")
# "xxx" only as a word of its own: CVE archives name folders like 15xxx.
_PLACEHOLDER = re.compile(r"placeholder|todo|tbd|(?<![0-9a-z])xxx|lorem|your-|changeme")


# A framework's name heads rows, columns and the chart's labels; the longest bundled name has 44 characters.
NAME_MAX_CHARS = 60


def _name(ck: Checker, value: Any) -> str:
    name = ck.text(value, ("name",))
    if len(name) > NAME_MAX_CHARS:
        ck.problem(("name",), f"is {len(name)} characters long; a framework's name heads every table and chart "
                              f"of the brief: keep it to at most {NAME_MAX_CHARS} and put the rest in summary")
    return name


def _fact(ck: Checker, value: Any, path: Path_, refs: list, *, topic: str = "", dated: bool = False,
          optional: tuple[str, ...] = ("topic", "as_of")) -> Fact:
    if not ck.mapping(value, path, ("text", "sources") + (("as_of",) if dated else ()), optional):
        return Fact("", ())
    return Fact(
        text=ck.text(value.get("text"), path + ("text",)),
        sources=ck.source_ids(value.get("sources"), path + ("sources",), refs),
        topic=ck.text(value.get("topic"), path + ("topic",), required=False) or topic,
        as_of=ck.date(value["as_of"], path + ("as_of",)) if "as_of" in value else "",
    )


def _facts(ck: Checker, value: Any, path: Path_, refs: list, *, topic: str = "", dated: bool = False) -> tuple[Fact, ...]:
    return tuple(_fact(ck, item, path + (i,), refs, topic=topic, dated=dated) for i, item in enumerate(ck.items(value, path, "facts")))


_FACT_LABEL = {
    "first_release": "First release",
    "licence": "Licence",
    "open_source": "Open source (everything a team must run under an OSI licence)",
    "hosting": "Hosting",
    "clouds": "Clouds",
    "newest_version": "Newest version",
    "kubernetes": "Kubernetes",
    "laptop": "Runs on a laptop",
    "on_prem": "Runs on premises",
    "air_gapped": "Runs air-gapped",
    "compute": "Runs work on",
    "designed_for": "Designed for",
    "pricing": "Pricing",
    "saas": "Vendor-hosted service (SaaS)",
    "self_hosted": "Self-hosted installation",
    "multi_tenancy": "Multi-tenancy",
}
# Frameworks give levels for these; note criteria (performance) get sourced text instead.
_SCORED = tuple(c for c in CRITERIA if c not in NOTE_CRITERIA and c not in COMPUTED_CRITERIA)


_SHOWN = {
    ("hosting", "self_hosted"): "self-hosted only",
    ("hosting", "managed"): "managed service only",
    ("hosting", "both"): "self-hosted or managed",
    ("hosting", "saas"): "SaaS only",
    ("kubernetes", "required"): "required",
    ("kubernetes", "optional"): "optional",
    ("kubernetes", "not_needed"): "not needed",
    ("laptop", "local"): "yes, as ordinary local processes",
    ("laptop", "local_cluster"): "only with a local cluster or multi-container stack",
    ("laptop", "none"): "no, it needs a cloud account or a remote service",
}
_WORDS = {
    "cloud_ml": "cloud ML training jobs", "serverless_batch": "serverless batch services", "vms": "virtual machines",
    "data_scientists": "data scientists", "ml_engineers": "ML engineers", "platform_teams": "platform teams",
    "open_source": "open source", "open_core": "open core", "per_seat_saas": "per-seat SaaS",
    "pay_per_use_cloud": "pay-per-use cloud",
}


def _valued(ck: Checker, doc: Mapping[str, Any], key: str, refs: list, check) -> tuple[Any, Fact | None]:
    """An attribute written as ``{value, text?, sources}``; returns the value and its fact."""
    path = (key,)
    raw = doc.get(key)
    required = {"newest_version": ("value", "date", "sources"), "pricing": ("model", "billed", "sources"),
                "multi_tenancy": ("value", "open_source", "sources")}.get(key, ("value", "sources"))
    optional = ("text", "billed_self_hosted") if key == "pricing" else ("text",)
    if not ck.mapping(raw, path, required, optional):
        return None, Fact("", (), key)
    value = check(raw.get("model" if key == "pricing" else "value"), path + ("model" if key == "pricing" else "value",))
    empty_ok = key == "clouds" and value == ()
    sources = ck.source_ids(raw.get("sources"), path + ("sources",), refs, allow_empty=empty_ok)
    shown = ", ".join(_WORDS.get(v, v) for v in value) if isinstance(value, tuple) else (
        "yes" if value is True else "no" if value is False else _WORDS.get(str(value), str(value)))
    shown = _SHOWN.get((key, shown), shown)
    if key == "pricing":
        billed = ck.text(raw.get("billed"), path + ("billed",))
        shown = f"{shown}; {billed[:1].lower()}{billed[1:].rstrip('.')}"
        # What a team that runs it itself pays, for a team that may not buy the managed service or SaaS that
        # ``billed`` also prices; "" when ``billed`` names no such service.
        own = ck.text(raw.get("billed_self_hosted"), path + ("billed_self_hosted",), required=False)
        value = (value, billed, own)
    if key == "multi_tenancy":
        free = ck.choice(raw.get("open_source"), path + ("open_source",), TENANCY)
        shown = f"{value} ({free} without a paid edition)" if free != value else f"{value}, also in the open-source edition"
        value = (value, free)
    if key == "clouds" and not value:
        return value, None  # not a managed-only platform: nothing to state or cite
    if key == "newest_version":
        date = ck.date(raw.get("date"), path + ("date",))
        shown = f"{value} ({date})"
        value = (value, date)
    note = ck.text(raw.get("text"), path + ("text",), required=False)
    text = f"{_FACT_LABEL[key]}: {shown}." + (f" {note}" if note else "")
    return value, Fact(text, sources, key)


def _check_framework(doc: Doc, problems: list, refs: list, companion_refs: list) -> Framework | None:
    ck = Checker(doc, problems)
    d = doc.data
    required = (
        "id", "name", "summary", "origin", "first_release", "licence", "open_source", "governance", "hosting",
        "clouds", "newest_version", "kubernetes", "laptop", "on_prem", "air_gapped", "compute", "designed_for",
        "pricing", "saas", "self_hosted", "multi_tenancy", "infrastructure", "scores", "integrations", "works_with",
        "companions", "pros", "cons",
    )
    if not ck.mapping(d, (), required, ("facts", "adoption", "performance")):
        return None
    fid = d.get("id")
    if not isinstance(fid, str) or not _ID.match(fid):
        ck.problem(("id",), f"expected an id of lower-case letters, digits and _, got {kind_of(fid)}")
        fid = ""
    if fid == "all":
        ck.problem(("id",), "the id 'all' is reserved: a profile's 'frameworks: all' means every framework; choose another")
    stem = Path(doc.name).stem
    if fid and stem != fid:
        ck.problem(("id",), f"id {fid!r} does not match the file name {stem}.yaml")

    def release(v: Any, p: Path_) -> str:
        s = str(v) if isinstance(v, (str, int)) and not isinstance(v, bool) else ""
        if not _RELEASE.match(s):
            ck.problem(p, f"expected YYYY or YYYY-MM, got {kind_of(v)}")
        return s

    def choices(allowed: tuple[str, ...], *, empty: bool = False, most: int | None = None):
        def check(v: Any, p: Path_) -> tuple[str, ...]:
            items = ck.text_list(v, p, allow_empty=empty)
            for i, c in enumerate(items):
                ck.choice(c, p + (i,), allowed)
            if most is not None and len(items) > most:
                ck.problem(p, f"name at most {most} values, the most central first (got {len(items)})")
            if len(set(items)) != len(items):
                ck.problem(p, "a value is listed twice")
            return items
        return check

    attrs: dict[str, Fact] = {}
    values: dict[str, Any] = {}
    checks = {
        "first_release": release,
        "licence": lambda v, p: ck.text(v, p),
        "open_source": ck.boolean,
        "hosting": lambda v, p: ck.choice(v, p, HOSTING),
        "clouds": choices(CLOUDS, empty=True),
        "newest_version": lambda v, p: ck.text(str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v, p),
        "kubernetes": lambda v, p: ck.choice(v, p, KUBERNETES),
        "laptop": lambda v, p: _laptop(ck, v, p),
        "on_prem": ck.boolean,
        "air_gapped": ck.boolean,
        "compute": choices(COMPUTE),
        "designed_for": choices(AUDIENCES, most=2),
        "pricing": lambda v, p: ck.choice(v, p, PRICING),
        "saas": ck.boolean,
        "self_hosted": ck.boolean,
        "multi_tenancy": lambda v, p: ck.choice(v, p, TENANCY),
    }
    for key in ATTRIBUTE_FACTS:
        if key in d:
            values[key], fact = _valued(ck, d, key, refs, checks[key])
            if fact is not None:
                attrs[key] = fact
    if values.get("clouds") and values.get("hosting") not in ("managed",):
        ck.problem(("clouds",), "clouds is only for managed-only platforms (hosting: managed); use [] otherwise")

    scores: dict[str, Score] = {}
    raw_scores = d.get("scores")
    if isinstance(raw_scores, dict):
        for note in NOTE_CRITERIA:
            if note in raw_scores:
                ck.problem(("scores", note), f"{note} is not scored: write its sourced notes under "
                           f"'{note}:' ({' and/or '.join(PERFORMANCE_NOTES)}: {{text, sources}}) instead")
    if ck.mapping(raw_scores, ("scores",), _SCORED, NOTE_CRITERIA):
        for cid in _SCORED:
            s = raw_scores.get(cid)
            p = ("scores", cid)
            if s is None or not ck.mapping(s, p, ("level", "rationale", "sources")):
                continue
            level = ck.number(s.get("level"), p + ("level",), 0, 5)
            scores[cid] = Score(level, ck.text(s.get("rationale"), p + ("rationale",)),
                                ck.source_ids(s.get("sources"), p + ("sources",), refs))

    companions = []
    raw_comp = d.get("companions")
    if not isinstance(raw_comp, list):
        ck.problem(("companions",), f"expected a list, got {kind_of(raw_comp)}")
        raw_comp = []
    for i, c in enumerate(raw_comp):
        p = ("companions", i)
        if not ck.mapping(c, p, ("framework", "covers", "text", "sources")):
            continue
        other = c.get("framework")
        if not isinstance(other, str):
            ck.problem(p + ("framework",), f"expected a framework id, got {kind_of(other)}")
        else:
            companion_refs.append((ck, p + ("framework",), fid, other))
        companions.append(Companion(
            framework=str(other),
            covers=ck.criteria_ids(c.get("covers"), p + ("covers",), CRITERIA),
            text=ck.text(c.get("text"), p + ("text",)),
            sources=ck.source_ids(c.get("sources"), p + ("sources",), refs),
        ))

    def points(key: str, con: bool) -> tuple[Point, ...]:
        raw = d.get(key)
        if not isinstance(raw, list) or not raw:
            ck.problem((key,), f"expected a non-empty list, got {kind_of(raw)}")
            return ()
        out = []
        for i, item in enumerate(raw):
            p = (key, i)
            req = ("text", "criteria", "sources") + (("mitigation",) if con else ())
            if not ck.mapping(item, p, req, ("requires", "applies_when")):
                continue
            if "requires" in item:
                ck.choice(item["requires"], p + ("requires",), POINT_REQUIRES)
            applies: list[Condition] = []
            if "applies_when" in item:
                raw_when = ck.items(item["applies_when"], p + ("applies_when",), "conditions", allow_empty=False)
                for j, c in enumerate(raw_when):
                    cond = check_condition(ck, c, p + ("applies_when", j), any_allowed=True)
                    if cond is not None:
                        applies.append(cond)
            out.append(Point(
                text=ck.text(item.get("text"), p + ("text",)),
                criteria=ck.criteria_ids(item.get("criteria"), p + ("criteria",), CRITERIA),
                sources=ck.source_ids(item.get("sources"), p + ("sources",), refs),
                mitigation=ck.text(item.get("mitigation"), p + ("mitigation",)) if con else "",
                requires=str(item.get("requires", "")),
                applies_when=tuple(applies),
            ))
        return tuple(out)

    pros, cons = points("pros", False), points("cons", True)
    version = values.get("newest_version") or ("", "")
    pricing = values.get("pricing") or ("", "", "")
    tenancy = values.get("multi_tenancy") or ("", "")
    return Framework(
        id=fid,
        name=_name(ck, d.get("name")),
        summary=ck.text(d.get("summary"), ("summary",)),
        origin=_fact(ck, d.get("origin"), ("origin",), refs, topic="origin"),
        first_release=values.get("first_release") or "",
        licence=values.get("licence") or "",
        open_source=bool(values.get("open_source")),
        governance=_fact(ck, d.get("governance"), ("governance",), refs, topic="governance"),
        hosting=values.get("hosting") or "",
        clouds=tuple(values.get("clouds") or ()),
        newest_version=version[0],
        newest_version_date=version[1],
        kubernetes=values.get("kubernetes") or "",
        laptop=values.get("laptop") or "",
        on_prem=bool(values.get("on_prem")),
        air_gapped=bool(values.get("air_gapped")),
        infrastructure=_facts(ck, d.get("infrastructure"), ("infrastructure",), refs, topic="infrastructure"),
        scores=scores,
        integrations=_facts(ck, d.get("integrations"), ("integrations",), refs, topic="integrations"),
        companions=tuple(companions),
        pros=pros,
        cons=cons,
        adoption=_facts(ck, d.get("adoption", []), ("adoption",), refs, topic="adoption", dated=True),
        facts=_facts(ck, d.get("facts", []), ("facts",), refs),
        compute=tuple(values.get("compute") or ()),
        designed_for=tuple(values.get("designed_for") or ()),
        pricing=pricing[0],
        pricing_billed=pricing[1],
        pricing_billed_self_hosted=pricing[2],
        saas=bool(values.get("saas")),
        self_hosted=bool(values.get("self_hosted")),
        multi_tenancy=tenancy[0],
        multi_tenancy_open_source=tenancy[1],
        works_with=_works_with(ck, d.get("works_with"), refs, fid),
        performance=_performance(ck, d.get("performance", {}), refs),
        attribute_facts=attrs,
        file=doc.name,
    )


def _laptop(ck: Checker, value: Any, path: Path_) -> str:
    if isinstance(value, bool):
        ck.problem(path, f"laptop is one of {', '.join(LAPTOP)} since knowledge format 2, not {str(value).lower()} "
                   "(see docs/knowledge.md for the one definition)")
        return ""
    return ck.choice(value, path, LAPTOP)


def _works_with(ck: Checker, value: Any, refs: list, owner: str) -> dict[str, WorksWith]:
    path: Path_ = ("works_with",)
    if not isinstance(value, dict):
        ck.problem(path, f"expected a mapping of tool id -> {{how, support, text, sources}}, got {kind_of(value)}")
        return {}
    out = {}
    for tool, body in value.items():
        p = path + (tool,)
        if tool not in TOOLS and tool not in FRAMEWORK_IDS:
            hint = difflib.get_close_matches(str(tool), [*TOOLS, *FRAMEWORK_IDS], n=1)
            extra = f"; did you mean {hint[0]!r}?" if hint else "; use a tool id of DESIGN.md or a framework id"
            ck.problem(p, f"unknown tool {tool!r}{extra}")
        elif tool == owner:
            ck.problem(p, "a framework does not work with itself")
        if not ck.mapping(body, p, ("how", "support", "text", "sources"), ("carries_over",)):
            continue
        out[str(tool)] = WorksWith(
            tool=str(tool),
            how=ck.choice(body.get("how"), p + ("how",), WORKS_WITH_HOW),
            support=ck.choice(body.get("support"), p + ("support",), WORKS_WITH_SUPPORT),
            fact=Fact(ck.text(body.get("text"), p + ("text",)), ck.source_ids(body.get("sources"), p + ("sources",), refs),
                      "works_with"),
            carries_over=ck.text(body.get("carries_over"), p + ("carries_over",), required=False),
        )
    return dict(sorted(out.items()))


def _performance(ck: Checker, value: Any, refs: list) -> dict[str, Fact]:
    path: Path_ = ("performance",)
    if not ck.mapping(value, path, (), PERFORMANCE_NOTES):
        return {}
    out = {}
    for key in PERFORMANCE_NOTES:
        if key in value:
            p = path + (key,)
            if ck.mapping(value[key], p, ("text", "sources")):
                out[key] = Fact(ck.text(value[key].get("text"), p + ("text",)),
                                ck.source_ids(value[key].get("sources"), p + ("sources",), refs), key)
    return out


def _check_url(ck: Checker, url: Any, path: Path_) -> str:
    if not isinstance(url, str) or not url.strip():
        ck.problem(path, f"expected a URL, got {kind_of(url)}")
        return ""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or "." not in host:
        ck.problem(path, f"{url!r} is not an https URL")
    elif any(host == h or host.endswith("." + h) for h in _PLACEHOLDER_HOSTS) or _PLACEHOLDER.search(url.lower()):
        ck.problem(path, f"{url!r} looks like a placeholder; cite the real page")
    elif " " in url:
        ck.problem(path, f"{url!r} contains a space")
    return url


_RETIRED_SOURCE_KEYS = {
    "as_of": "write 'published' (the date the page states, or undated) or 'released' (a release's date), "
             "and 'retrieved' (the day you read it)",
    "third_party": "write 'tier' (primary, secondary or tertiary; see docs/knowledge.md)",
}


def _check_sources(doc: Doc, problems: list) -> dict[str, tuple[Source, Checker, Path_]]:
    ck = Checker(doc, problems)
    out: dict[str, tuple[Source, Checker, Path_]] = {}
    if not ck.mapping(doc.data, (), ("sources",)):
        return out
    for i, s in enumerate(ck.items(doc.data.get("sources"), ("sources",), "sources")):
        p = ("sources", i)
        if isinstance(s, dict):
            for old, new in _RETIRED_SOURCE_KEYS.items():
                if old in s:
                    ck.problem(p + (old,), f"'{old}' is no longer a source field: {new}")
        if not ck.mapping({k: v for k, v in s.items() if k not in _RETIRED_SOURCE_KEYS} if isinstance(s, dict) else s,
                          p, ("id", "url", "title", "publisher", "tier", "retrieved"), ("published", "released")):
            continue
        sid = s.get("id")
        if not isinstance(sid, str) or not _SOURCE_ID.match(sid):
            ck.problem(p + ("id",), f"expected a source id of lower-case letters, digits, '.', '_' or '-', got {kind_of(sid)}")
            continue
        if sid in out:
            line = out[sid][1].doc.where(out[sid][2])[0]
            ck.problem(p + ("id",), f"duplicate source id {sid!r} (first at line {line})")
            continue
        dated = [k for k in ("published", "released") if k in s]
        if len(dated) != 1:
            ck.problem(p, "a source needs exactly one of 'published' (an ISO date, or undated when the page states "
                       "none) and 'released' (a release's date)")
        published = s.get("published", "")
        if "published" in s and published != UNDATED:
            if not isinstance(published, str) or not ISO_DATE.match(published):
                ck.problem(p + ("published",), f"expected an ISO date YYYY-MM-DD or {UNDATED}, got {kind_of(published)}")
                published = ""
            else:
                published = ck.date(published, p + ("published",))
        retrieved = ck.date(s.get("retrieved"), p + ("retrieved",))
        released = ck.date(s["released"], p + ("released",)) if "released" in s else ""
        for key, day in (("published", published), ("released", released)):
            if day and day != UNDATED and retrieved and day > retrieved:
                ck.problem(p + (key,), f"{key} {day} is after retrieved {retrieved}: a page cannot be read before it exists")
        src = Source(
            id=sid,
            url=_check_url(ck, s.get("url"), p + ("url",)),
            title=ck.text(s.get("title"), p + ("title",)),
            publisher=ck.text(s.get("publisher"), p + ("publisher",)),
            tier=ck.choice(s.get("tier"), p + ("tier",), TIERS),
            retrieved=retrieved,
            published=published,
            released=released,
        )
        out[sid] = (src, ck, p)
    return out


def _check_criteria(doc: Doc, problems: list, refs: list) -> tuple[dict[str, Criterion], dict[str, float], str, str]:
    ck = Checker(doc, problems)
    criteria: dict[str, Criterion] = {}
    weights: dict[str, float] = {}
    d = doc.data
    if not ck.mapping(d, (), ("scale", "criteria", "moscow_weights", "moscow_rationale"), ("sources",)):
        return criteria, weights, "", ""
    scale = ck.text(d.get("scale"), ("scale",))
    rationale = ck.text(d.get("moscow_rationale"), ("moscow_rationale",))
    if "sources" in d:
        ck.source_ids(d.get("sources"), ("sources",), refs)
    mw = d.get("moscow_weights")
    if ck.mapping(mw, ("moscow_weights",), MOSCOW):
        for m in MOSCOW:
            if m in mw:
                weights[m] = ck.number(mw[m], ("moscow_weights", m), 0)
        if weights.get("wont", 0) != 0:
            ck.problem(("moscow_weights", "wont"), "wont must weigh 0: a need the project will not have cannot count")
        order = [weights.get(m, 0) for m in MOSCOW]
        if order != sorted(order, reverse=True):
            ck.problem(("moscow_weights",), "weights must not increase from must to wont")
    items = d.get("criteria")
    if not isinstance(items, list):
        ck.problem(("criteria",), f"expected a list of criteria, got {kind_of(items)}")
        return criteria, weights, scale, rationale
    found: dict[str, Criterion] = {}
    for i, c in enumerate(items):
        p = ("criteria", i)
        if not ck.mapping(c, p, ("id", "name", "kind", "definition", "low", "high"), ("default_weight", "levels", "computed")):
            continue
        cid = c.get("id")
        if cid not in CRITERIA:
            ck.choice(cid, p + ("id",), CRITERIA)
            continue
        if cid in found:
            ck.problem(p + ("id",), f"duplicate criterion {cid!r}")
            continue
        kind = "capability" if cid in CAPABILITIES else "note" if cid in NOTE_CRITERIA else "quality"
        if c.get("kind") != kind:
            ck.problem(p + ("kind",), f"{cid} is a {kind}, not {c.get('kind')!r}")
        if kind == "note" and "default_weight" in c:
            ck.problem(p + ("default_weight",), f"{cid} is a note criterion: it is never weighted; remove default_weight")
        if bool(c.get("computed", False)) != (cid in COMPUTED_CRITERIA):
            ck.problem(p + ("computed",), f"{cid} is {'computed for each profile: say computed: true' if cid in COMPUTED_CRITERIA else 'scored per framework: it cannot be computed'}")
        if kind == "quality" and "default_weight" not in c:
            ck.problem(p, "missing required key 'default_weight' (qualities need a base weight)")
        levels: dict[int, str] = {}
        raw_levels = c.get("levels", {})
        if isinstance(raw_levels, dict):
            for k, v in raw_levels.items():
                if not isinstance(k, int) or not 0 <= k <= 5:
                    ck.problem(p + ("levels", k), "level keys are whole numbers 0..5")
                else:
                    levels[k] = ck.text(v, p + ("levels", k))
        else:
            ck.problem(p + ("levels",), f"expected a mapping of level -> text, got {kind_of(raw_levels)}")
        found[cid] = Criterion(
            id=cid,
            name=ck.text(c.get("name"), p + ("name",)),
            kind=kind,
            definition=ck.text(c.get("definition"), p + ("definition",)),
            low=ck.text(c.get("low"), p + ("low",)),
            high=ck.text(c.get("high"), p + ("high",)),
            default_weight=ck.number(c.get("default_weight", 0), p + ("default_weight",), 0),
            levels=levels,
        )
    missing = [c for c in CRITERIA if c not in found]
    if missing:
        ck.problem(("criteria",), f"criteria missing: {', '.join(missing)}")
    criteria = {c: found[c] for c in CRITERIA if c in found}
    return criteria, weights, scale, rationale


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


# Criteria a goal may raise: every weighed criterion (notes are never weighed).
_WEIGHED = tuple(c for c in CRITERIA if c not in NOTE_CRITERIA)
FIT_LEVELS = ("same", "native", "plugin", "community", "neutral", "familiar", "switching")
# Added after knowledge folders with their own tools.yaml existed: absent, it counts 0 (no successor effect).
OPTIONAL_FIT_LEVELS = ("successor",)


def _check_goals(doc: Doc, problems: list) -> Goals:
    """goals.yaml: every profile goal once, each naming the scored criteria it raises, with a reason."""
    ck = Checker(doc, problems)
    d = doc.data
    if not ck.mapping(d, (), ("position_factors", "position_floors", "goals")):
        return Goals()

    def by_position(key: str, least: float) -> tuple[float, ...]:
        values = d.get(key)
        if not isinstance(values, list) or not values:
            ck.problem((key,), f"expected a non-empty list of numbers, got {kind_of(values)}")
            return ()
        out = tuple(ck.number(v, (key, i), least) for i, v in enumerate(values))
        if list(out) != sorted(out, reverse=True):
            ck.problem((key,), "values must not increase: the first goal counts most")
        return out

    table = by_position("position_factors", 1)
    floors = by_position("position_floors", 0)
    goals: dict[str, Goal] = {}
    items = d.get("goals")
    if not isinstance(items, list):
        ck.problem(("goals",), f"expected a list of goals, got {kind_of(items)}")
        return Goals({}, table, floors)
    for i, g in enumerate(items):
        p = ("goals", i)
        if not ck.mapping(g, p, ("id", "name", "criteria", "reason")):
            continue
        gid = ck.choice(g.get("id"), p + ("id",), GOALS)
        if gid in goals:
            ck.problem(p + ("id",), f"duplicate goal {gid!r}")
            continue
        crits = ck.criteria_ids(g.get("criteria"), p + ("criteria",), _WEIGHED)
        goals[gid] = Goal(gid, ck.text(g.get("name"), p + ("name",)), crits, ck.text(g.get("reason"), p + ("reason",)))
    missing = [g for g in GOALS if g not in goals]
    if missing:
        ck.problem(("goals",), f"goals missing: {', '.join(missing)}")
    return Goals({g: goals[g] for g in GOALS if g in goals}, table, floors)


# Roles a tool may play besides the exclusive ones of ``role_capability``: jobs run there, or it does work no
# framework takes over (generator.scoring.fit reads "compute"; the others only describe the tool).
SHARED_ROLES = ("compute", "data_processing", "code_versioning", "transformation", "feature_store", "warehouse")


def _check_tools(doc: Doc, problems: list, refs: list) -> Tools:
    """tools.yaml: every tool id of the profile format with its roles, and the fit levels."""
    ck = Checker(doc, problems)
    d = doc.data
    if not ck.mapping(d, (), ("levels", "role_level", "role_capability", "compute_role", "tools"), ("held_weight",)):
        return Tools()
    levels: dict[str, float] = {}
    if ck.mapping(d.get("levels"), ("levels",), FIT_LEVELS, OPTIONAL_FIT_LEVELS):
        levels = {k: ck.number(d["levels"][k], ("levels", k), 0, 5)
                  for k in FIT_LEVELS + OPTIONAL_FIT_LEVELS if k in d["levels"]}
    role_level = ck.number(d.get("role_level"), ("role_level",), 0, 5)
    role_cap: dict[str, str] = {}
    rc = d.get("role_capability")
    if isinstance(rc, dict):
        for role, cap in rc.items():
            role_cap[str(role)] = ck.choice(cap, ("role_capability", role), CAPABILITIES)
    else:
        ck.problem(("role_capability",), f"expected a mapping of role -> capability, got {kind_of(rc)}")
    compute_role: dict[str, str] = {}
    cr = d.get("compute_role")
    if isinstance(cr, dict):
        for tid, where in cr.items():
            ck.choice(tid, ("compute_role", tid), TOOL_IDS)
            compute_role[str(tid)] = ck.choice(where, ("compute_role", tid), COMPUTE)
    else:
        ck.problem(("compute_role",), f"expected a mapping of tool -> compute, got {kind_of(cr)}")
    tools: dict[str, Tool] = {}
    items = d.get("tools")
    if ck.mapping(items, ("tools",), TOOL_IDS):
        for tid in TOOL_IDS:
            t = items.get(tid)
            p = ("tools", tid)
            if t is None or not ck.mapping(t, p, ("name", "roles"), ("kubernetes_only", "does")):
                continue
            only = ck.source_ids(t["kubernetes_only"], p + ("kubernetes_only",), refs) if "kubernetes_only" in t else ()
            does: dict[str, Fact] = {}
            if "does" in t and ck.mapping(t["does"], p + ("does",), (), CAPABILITIES):
                does = {str(cid): _fact(ck, fact, p + ("does", cid), refs, optional=()) for cid, fact in t["does"].items()}
            roles = ck.text_list(t.get("roles"), p + ("roles",))
            known = (*role_cap, *SHARED_ROLES)
            for i, role in enumerate(roles):
                # A misspelt role would silently drop the tool's exclusive role and move every framework's fit.
                if role not in known:
                    ck.choice(role, p + ("roles", i), known)
                elif role in roles[:i]:
                    ck.problem(p + ("roles", i), f"role {role!r} is listed twice")
            tools[tid] = Tool(tid, ck.text(t.get("name"), p + ("name",)), roles, only, does)
        played = {role for tool in tools.values() for role in tool.roles}
        for role in role_cap:
            if role not in played:
                ck.problem(("role_capability", role), f"no tool plays the role {role!r}; check its spelling")
    held_weight = ck.number(d["held_weight"], ("held_weight",), 0, 1) if "held_weight" in d else 1.0
    return Tools(tools, levels, role_level, role_cap, compute_role, held_weight)


@functools.lru_cache(maxsize=16)
def load_cached(extra_dirs: tuple[str, ...]) -> KnowledgeBase:
    problems: list = []
    digest = hashlib.sha256()
    layers: list[tuple[Any, str, bool]] = [(data_dir(), "data", True)]
    for d in extra_dirs:
        p = Path(d)
        if not p.is_dir():
            problems.append(Problem(d, None, None, None, "knowledge folder not found"))
            continue
        layers.append((p, d, False))

    refs: list = []  # (checker, path, source id)
    framework_refs: list = []  # (checker, path, framework id) from rule selectors
    companion_refs: list = []  # (checker, path, owner id, companion id)
    adoption_refs: list = []  # (checker, path, adoption fact): dated against their sources once all are read
    statement_refs: list = []  # (checker, path, text) of pros, cons, rationales and adoption: survey shares
    sources: dict[str, tuple[Source, Checker, Path_]] = {}
    frameworks: dict[str, Framework] = {}
    rules: dict[str, tuple[Rule, Checker, Path_]] = {}
    criteria: dict[str, Criterion] = {}
    moscow: dict[str, float] = {}
    scale = rationale = ""
    files: list[str] = []
    have = {"sources": False, "criteria": False, "rules": False, "goals": False, "tools": False}
    goals = Goals()
    tools = Tools()

    for index, (root, label, bundled) in enumerate(layers):
        layer_fw: dict[str, str] = {}
        found = len(problems), len(files)
        for kind, name, path in knowledge_files(root, label, problems):
            raw = read_knowledge_file(path, name, MAX_FILE_BYTES, problems)
            if raw is None:
                continue
            files.append(name)
            # The hash covers layer order, relative names and bytes, not where a folder lives.
            relative = f"{index}:{name[len(label):]}"
            digest.update(utf8(relative) + b"\0" + raw + b"\0")
            doc = parse_doc(name, raw, problems)
            if doc is None:
                continue
            try:
                if kind == "sources":
                    have["sources"] = True
                    sources.update(_check_sources(doc, problems))
                elif kind == "criteria":
                    have["criteria"] = True
                    criteria, moscow, scale, rationale = _check_criteria(doc, problems, refs)
                elif kind == "goals":
                    have["goals"] = True
                    goals = _check_goals(doc, problems)
                elif kind == "tools":
                    have["tools"] = True
                    tools = _check_tools(doc, problems, refs)
                elif kind == "rules":
                    have["rules"] = True
                    seen: set[str] = set()
                    for rule, ck, p in check_rules(doc, problems, refs, framework_refs):
                        if rule.id in seen:
                            ck.problem(p, f"duplicate rule id {rule.id!r}")
                            continue
                        seen.add(rule.id)
                        rules[rule.id] = (rule, ck, p)
                else:
                    fw = _check_framework(doc, problems, refs, companion_refs)
                    if fw is None or not fw.id:
                        continue
                    if fw.id in layer_fw:
                        Checker(doc, problems).problem(("id",), f"duplicate framework id {fw.id!r} (also in {layer_fw[fw.id]})")
                        continue
                    twin = next((f.id for f in frameworks.values() if f.id != fw.id
                                 and print_key(f.name) == print_key(fw.name)), None)
                    if twin is not None:
                        # Two rows of one name in a ranking could not be told apart.
                        Checker(doc, problems).problem(("name",), f"{fw.name!r} is already the name of {twin!r}; "
                                                                  "give each framework its own name")
                    layer_fw[fw.id] = name
                    frameworks[fw.id] = fw
                    fck = Checker(doc, problems)
                    adoption_refs.extend((fck, ("adoption", i), f) for i, f in enumerate(fw.adoption))
                    statement_refs.extend(
                        [(fck, (key, i, "text"), x.text) for key in ("pros", "cons") for i, x in enumerate(getattr(fw, key))]
                        + [(fck, ("scores", c, "rationale"), x.rationale) for c, x in fw.scores.items()]
                        + [(fck, ("adoption", i, "text"), f.text) for i, f in enumerate(fw.adoption)]
                    )
            except Exception as exc:  # a user's file is input: even a checker bug must name it, not crash
                problems.append(Problem(name, None, None, None,
                                        f"cannot be checked ({type(exc).__name__}: {exc}); please report this"))
        if not bundled and (len(problems), len(files)) == found:
            # A folder given with --knowledge that adds nothing is almost always the wrong folder.
            problems.append(Problem(label, None, None, None,
                                    f"holds no knowledge files ({', '.join(SPECIAL)}, or framework files as "
                                    "frameworks/*.yaml or *.yaml); give the folder that holds them"))
        if bundled:
            for kind, present in have.items():
                if not present:
                    problems.append(Problem(f"{label}/{kind}.yaml", None, None, None, "file missing from the knowledge base"))
            for fid in FRAMEWORK_IDS:
                if fid not in frameworks:
                    problems.append(Problem(f"{label}/frameworks/{fid}.yaml", None, None, None, f"framework {fid!r} is missing"))

    # Cross-file checks: every reference resolves.
    for ck, path, sid in refs:
        if sid not in sources:
            hint = difflib.get_close_matches(sid, list(sources), n=1)
            ck.problem(path, f"unknown source id {sid!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""))
    for ck, path, fid in framework_refs:
        if fid not in frameworks:
            ck.choice(fid, path, sorted(frameworks) or FRAMEWORK_IDS)
    for ck, path, owner, other in companion_refs:
        if other == owner:
            ck.problem(path, "a framework cannot be its own companion")
        elif other not in frameworks:
            ck.choice(other, path, sorted(frameworks) or FRAMEWORK_IDS)

    _check_tiers(refs, {sid: src for sid, (src, _, _) in sources.items()})
    _check_adoption(adoption_refs, {sid: src for sid, (src, _, _) in sources.items()})
    _check_survey_shares(statement_refs)

    if problems:
        raise InputError(_dedupe(problems))

    known = {sid: src for sid, (src, _, _) in sources.items()}
    frameworks = {fid: _with_evidence_dates(fw, known) for fid, fw in frameworks.items()}
    return KnowledgeBase(
        frameworks={k: frameworks[k] for k in sorted(frameworks)},
        criteria={c: criteria[c] for c in CRITERIA},
        rules=tuple(r for r, _, _ in rules.values()),
        sources={k: sources[k][0] for k in sorted(sources)},
        moscow_weights=dict(moscow),
        version=digest.hexdigest(),
        as_of=max((src.retrieved for src in known.values()), default=""),
        evidence_as_of=max((src.date for src in known.values() if src.date), default=""),
        moscow_rationale=rationale,
        scale=scale,
        files=tuple(files),
        goals=goals,
        tools=tools,
    )


def _check_tiers(refs: list, sources: Mapping[str, Source]) -> None:
    """A tertiary source may back a statement only beside a primary or secondary one."""
    statements: dict[tuple[int, Path_], tuple[Checker, list[str]]] = {}
    for ck, path, sid in refs:  # path: (..statement.., "sources", index)
        statements.setdefault((id(ck), path[:-2]), (ck, []))[1].append(sid)
    for (_, path), (ck, ids) in statements.items():
        tiers = [sources[i].tier for i in ids if i in sources]
        if len(tiers) == len(ids) and tiers and all(t == "tertiary" for t in tiers):
            quote = _statement_text(ck.doc.data, path)
            ck.problem(path, f"every source of this statement is tertiary ({', '.join(ids)}): {quote!r}; "
                       "add a primary or secondary source that supports it, or drop it")


# What a pro or con may depend on (Point.requires): a vendor-run offering, or the team running it itself.
POINT_REQUIRES = ("managed", "self_hosted")

_SURVEY = re.compile(r"\bsurvey|\brespondents?\b", re.I)  # "surveyed" too
_SHARE = re.compile(r"\d\s?%")
_BASE = re.compile(r"\b\d+ of (?:the )?\d+\b")


def _check_adoption(adoption_refs: list, sources: Mapping[str, Source]) -> None:
    """An adoption figure is dated by its sources, so one fact never carries two dates: ``as_of`` is a date a
    source states, or the day a source was read when the text says so ("as read on", "as counted on")."""
    for ck, path, fact in adoption_refs:
        cited = [sources[i] for i in fact.sources if i in sources]
        stated = {s.date for s in cited if s.date}
        read = {s.retrieved for s in cited}
        if fact.as_of not in stated | read:
            ck.problem(path + ("as_of",), f"{fact.as_of} is no date its sources give (they state "
                       f"{', '.join(sorted(stated)) or 'no date'}; read on {', '.join(sorted(read))})")
        elif fact.as_of not in stated and not any(w in fact.text for w in ("as read on", "as counted on")):
            ck.problem(path + ("text",), f"as_of {fact.as_of} is the day a source was read: say 'as read on "
                       f"{fact.as_of}' or 'as counted on {fact.as_of}' in the text")


def _check_survey_shares(statement_refs: list) -> None:
    """A survey share gives its base ("17 of the 28 who answered"): few answer each question, and a bare
    percentage reads as if it were of every respondent."""
    for ck, path, text in statement_refs:
        if _SURVEY.search(text) and _SHARE.search(text) and not _BASE.search(text):
            ck.problem(path, "a survey share needs its base: how many of how many answered "
                       "(e.g. '17 of the 28 who answered')")


def _statement_text(data: Any, path: Path_) -> str:
    for part in path:
        data = data[part]
    for key in ("text", "rationale", "reason", "billed", "value", "model"):
        if isinstance(data, dict) and key in data:
            text = " ".join(str(data[key]).split())
            return text if len(text) <= 80 else text[:77] + "..."
    return ""


def _with_evidence_dates(fw: Framework, sources: Mapping[str, Source]) -> Framework:
    """Every statement of ``fw`` with its evidence date: the newest date its sources state."""

    def dated(statement):
        days = [sources[i].date for i in statement.sources if i in sources and sources[i].date]
        return dataclasses.replace(statement, evidence_date=max(days, default=None))

    def each(items):
        return tuple(dated(x) for x in items)

    return dataclasses.replace(
        fw,
        origin=dated(fw.origin),
        governance=dated(fw.governance),
        infrastructure=each(fw.infrastructure),
        integrations=each(fw.integrations),
        adoption=each(fw.adoption),
        facts=each(fw.facts),
        pros=each(fw.pros),
        cons=each(fw.cons),
        scores={k: dated(v) for k, v in fw.scores.items()},
        attribute_facts={k: dated(v) for k, v in fw.attribute_facts.items()},
        performance={k: dated(v) for k, v in fw.performance.items()},
        works_with={k: dataclasses.replace(w, fact=dated(w.fact)) for k, w in fw.works_with.items()},
    )


def _dedupe(problems: list) -> list:
    seen = set()
    out = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


# ---------------------------------------------------------------------------
# The public entry
# ---------------------------------------------------------------------------


def load_knowledge(extra_dirs: tuple[str | Path, ...] | list[str | Path] | str | Path | None = ()) -> KnowledgeBase:
    """The bundled knowledge base plus ``extra_dirs`` (later folders override earlier ones).

    A folder may hold ``frameworks/*.yaml`` or ``*.yaml`` framework files, a
    ``sources.yaml`` (sources added or replaced by id), a ``rules.yaml`` (rules
    added or replaced by id) and a ``criteria.yaml`` (replaces the bundled one).
    The whole base is checked; every problem is reported at once as
    :class:`generator.errors.InputError`. The result is cached per process.
    """
    if extra_dirs is None:
        extra_dirs = ()
    elif isinstance(extra_dirs, (str, Path)):
        extra_dirs = (extra_dirs,)
    key = tuple(str(Path(d).resolve()) for d in extra_dirs)
    return load_cached(key)
