"""Two assessments compared: what changed in the inputs, the weights, the scores and the pick, and why.

Pure: it reads two ``score --json`` documents (as dicts) and returns a
:class:`DecisionDiff`. It compares generically — every flattened input, every
weight with its reasons, every framework's score and knock-outs, every
knowledge-base cell's base level and sources — so fields added to the profile
or to the JSON later are picked up without a change here.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Mapping

from generator.errors import BriefgenError, EXIT_USAGE
from generator.knowledge.model import COMPUTED_CRITERIA
from generator.scoring.provenance import KNOWN_FORMAT_VERSIONS
from generator.wording import level, percent, points

CAUSE_NONE = "none"
CAUSE_PROFILE = "profile"
CAUSE_KNOWLEDGE = "knowledge"
CAUSE_BOTH = "both"
CAUSE_WORDS = {
    CAUSE_NONE: "no input changed",
    CAUSE_PROFILE: "a profile edit",
    CAUSE_KNOWLEDGE: "a knowledge-base update",
    CAUSE_BOTH: "a profile edit and a knowledge-base update",
}


class DiffError(BriefgenError):
    """Two documents that cannot be compared (unknown format version, not an assessment)."""

    exit_code = EXIT_USAGE


def check_document(doc: Any, label: str) -> Mapping[str, Any]:
    """The document if it is a ``score --json`` output of a format version this briefgen reads."""
    if not isinstance(doc, Mapping) or "ranking" not in doc or "recommendation" not in doc:
        raise DiffError(f"{label}: not a briefgen assessment; give a profile or the output of 'briefgen score --json'")
    version = doc.get("format_version")
    known = ", ".join(str(v) for v in KNOWN_FORMAT_VERSIONS)
    if version is None:
        raise DiffError(
            f"{label}: has no format_version, so it predates assessment provenance; "
            "re-run 'briefgen score --json' on its profile to compare it"
        )
    if version not in KNOWN_FORMAT_VERSIONS:
        raise DiffError(
            f"{label}: format_version {version!r} is unknown to this briefgen (it reads {known}); "
            "compare it with the briefgen that wrote it"
        )
    wrong = _shape_problem(doc, DOCUMENT_SHAPE) or _consistency_problem(doc)
    if wrong:
        raise DiffError(f"{label}: {wrong}; re-run 'briefgen score --json' on its profile to compare it")
    return doc


# What compare() reads of a document, by type, so that a hand-edited file with a wrong type is one
# sentence naming the field instead of a crash deep in the comparison. _Maybe(...) marks what
# compare() reads with a default, where null means "not given"; "framework" is the one key it indexes.
@dataclass(frozen=True)
class _Maybe:
    shape: Any


_TEXT, _NUMBER, _WHOLE, _ANY = "text", "a number", "a whole number", "anything"
# What briefgen itself writes is bounded: a name fits a table cell, a total is on the 0-100 scale. A hand-edited
# file beyond that would be printed as a 309-digit "score" or a name no page can hold.
_NAME, _TOTAL = "a name of at most 200 characters", "a number from 0 to 100"
_SHARE = "a number from 0 to 1"
_TEXTS = _Maybe([_TEXT])
DOCUMENT_SHAPE: dict = {
    "recommendation": {"stack": _TEXTS},
    "framework_names": _Maybe({str: _NAME}),
    "criterion_names": _Maybe({str: _NAME}),
    "inputs": _Maybe({str: _ANY}),
    "provenance": _Maybe({"kb_version": _TEXT, "kb_as_of": _TEXT}),
    "cells": _Maybe({str: _Maybe({str: _Maybe({"base": _Maybe(_NUMBER), "sources": _TEXTS})})}),
    "weight_details": _Maybe({str: _Maybe({"value": _Maybe(_SHARE), "reasons": _TEXTS})}),
    "ranking": _Maybe([{"framework": _TEXT, "score": _Maybe(_TOTAL), "rank": _Maybe(_WHOLE),
                        "knockouts": _TEXTS}]),
}
_REQUIRED = ("framework",)


def _shape_problem(value: Any, shape: Any, path: tuple = ()) -> str | None:
    """The first place where ``value`` does not have ``shape``, as "ranking[2].score must be a number (got "x")"."""
    if isinstance(shape, _Maybe):
        return None if value is None else _shape_problem(value, shape.shape, path)
    def wrong(what: str, show: bool = True) -> str:
        # JSON with ASCII escapes: a key or value can never carry a terminal control sequence
        where = "".join(f".{p}" if isinstance(p, str) and p.isidentifier() else f"[{json.dumps(p)}]"
                        for p in path).lstrip(".") or "the document"
        got = json.dumps(value)
        return f"{where} {what} (got {got if len(got) <= 40 else got[:39] + '…'})" if show else f"{where} {what}"

    if isinstance(shape, str):
        ok = {
            _ANY: True,
            _TEXT: isinstance(value, str),
            _NUMBER: isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value),
            _WHOLE: isinstance(value, int) and not isinstance(value, bool),
            _NAME: isinstance(value, str) and len(value) <= 200,
            _TOTAL: isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100,
            _SHARE: isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1,
        }[shape]
        return None if ok else wrong(f"must be {shape}")
    if isinstance(shape, list):
        if not isinstance(value, list):
            return wrong("must be a list")
        return next((p for i, v in enumerate(value) if (p := _shape_problem(v, shape[0], (*path, i)))), None)
    if not isinstance(value, Mapping):
        return wrong("must be a mapping")
    if str in shape:
        return next((p for k, v in value.items() if (p := _shape_problem(v, shape[str], (*path, k)))), None)
    missing = next((k for k in shape if k in _REQUIRED and k not in value), None)
    if missing:
        return wrong(f"has no {missing}", show=False)
    return next((p for k, sub in shape.items() if k in value and (p := _shape_problem(value[k], sub, (*path, k)))),
                None)


# Every output of format 1 has these; without one, a comparison would report "unchanged" for what it cannot see.
_WRITTEN = ("cells", "weight_details", "inputs", "provenance")


def _consistency_problem(doc: Mapping[str, Any]) -> str | None:
    """What a well-typed document says that no 'score --json' output can: a part left out, an empty ranking,
    or a recommended framework its own ranking does not list."""
    missing = next((k for k in _WRITTEN if k not in doc), None)
    if missing:
        return f"has no {missing}"
    ranked = {r["framework"] for r in doc["ranking"]}
    if not ranked:
        return "ranking lists no framework"
    # A companion need not be on the shortlist (a kept tool, or one the must rule brings in): the document names it
    # among its frameworks, which is what no hand edit of the pick alone keeps consistent.
    known = ranked | set(doc.get("framework_names") or ())
    rec = doc["recommendation"]
    named = [rec.get("primary")] if isinstance(rec.get("primary"), str) and rec.get("primary") else []
    stray = next((f for f in [*named, *(rec.get("stack") or ())] if f not in known), None)
    if stray is not None:
        return f"recommendation names {json.dumps(stray)}, which the document does not list among its frameworks"
    return None


@dataclass(frozen=True)
class Change:
    """One value that differs; ``what`` is a dotted input path, a criterion or a framework id."""

    what: str
    before: Any
    after: Any


@dataclass(frozen=True)
class FactChange:
    """A knowledge-base cell (framework x criterion) whose base level or sources differ."""

    framework: str
    criterion: str
    before: float | None
    after: float | None
    sources_before: tuple[str, ...]
    sources_after: tuple[str, ...]


@dataclass(frozen=True)
class WeightChange:
    criterion: str
    before: float
    after: float
    reasons_before: tuple[str, ...]
    reasons_after: tuple[str, ...]


@dataclass(frozen=True)
class ScoreChange:
    framework: str
    before: float | None  # None: not on that side's shortlist
    after: float | None
    rank_before: int | None
    rank_after: int | None
    knockouts_before: tuple[str, ...]
    knockouts_after: tuple[str, ...]


@dataclass(frozen=True)
class DecisionDiff:
    stack_before: tuple[str, ...]
    stack_after: tuple[str, ...]
    inputs: tuple[Change, ...]
    kb_before: tuple[str, str]  # (version, as of)
    kb_after: tuple[str, str]
    facts: tuple[FactChange, ...]
    weights: tuple[WeightChange, ...]
    scores: tuple[ScoreChange, ...]
    names: Mapping[str, str]  # framework id -> name, both sides
    criterion_names: Mapping[str, str]

    @property
    def changed(self) -> bool:
        """Whether the pick (the recommended framework or combination) differs."""
        return self.stack_before != self.stack_after

    @property
    def knowledge_changed(self) -> bool:
        return self.kb_before != self.kb_after or bool(self.facts)

    @property
    def cause(self) -> str:
        """Which inputs differ: none | profile | knowledge | both."""
        return cause_of(bool(self.inputs), self.knowledge_changed)

    def name(self, fid: str) -> str:
        return self.names.get(fid, fid)

    def crit(self, cid: str) -> str:
        return self.criterion_names.get(cid, cid.replace("_", " ").capitalize())

    def pick(self, stack: tuple[str, ...]) -> str:
        return " + ".join(self.name(f) for f in stack) if stack else "nothing (every option is knocked out)"

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": 1,
            "changed": self.changed,
            "cause": self.cause,
            "summary": summary(self),
            "recommendation": {"before": list(self.stack_before), "after": list(self.stack_after)},
            "inputs": [{"path": c.what, "before": c.before, "after": c.after} for c in self.inputs],
            "knowledge": {
                "before": {"version": self.kb_before[0], "as_of": self.kb_before[1]},
                "after": {"version": self.kb_after[0], "as_of": self.kb_after[1]},
                "facts": [
                    {"framework": f.framework, "criterion": f.criterion, "base_before": f.before, "base_after": f.after,
                     "sources_before": list(f.sources_before), "sources_after": list(f.sources_after)}
                    for f in self.facts
                ],
            },
            "weights": [
                {"criterion": w.criterion, "before": w.before, "after": w.after,
                 "reasons_before": list(w.reasons_before), "reasons_after": list(w.reasons_after)}
                for w in self.weights
            ],
            "scores": [
                {"framework": s.framework, "before": s.before, "after": s.after, "rank_before": s.rank_before,
                 "rank_after": s.rank_after, "knockouts_before": list(s.knockouts_before),
                 "knockouts_after": list(s.knockouts_after)}
                for s in self.scores
            ],
        }


def cause_of(profile_changed: bool, knowledge_changed: bool) -> str:
    if profile_changed and knowledge_changed:
        return CAUSE_BOTH
    return CAUSE_PROFILE if profile_changed else CAUSE_KNOWLEDGE if knowledge_changed else CAUSE_NONE


def _pairs(a: Mapping[str, Any], b: Mapping[str, Any]):
    for key in sorted(set(a) | set(b)):
        yield key, a.get(key), b.get(key)


def _facts(a: Mapping[str, Any], b: Mapping[str, Any], *, profile_changed: bool) -> tuple[FactChange, ...]:
    out = []
    for fid, cells_a, cells_b in _pairs(a.get("cells") or {}, b.get("cells") or {}):
        if cells_a is None or cells_b is None:
            continue  # a framework on one shortlist only: a profile difference, not a fact
        for cid, x, y in _pairs(cells_a, cells_b):
            if cid in COMPUTED_CRITERIA and profile_changed:
                # computed from the profile's tools; a knowledge-base update still shows in the version
                continue
            x, y = x or {}, y or {}
            # A cell's sources also list the context rules that moved it, and which rules fire is
            # the profile's doing; so differing sources count as a knowledge change only when the
            # same rules moved the cell on both sides.
            same_rules = x.get("rules") == y.get("rules")
            if x.get("base") != y.get("base") or (same_rules and x.get("sources") != y.get("sources")):
                out.append(FactChange(fid, cid, x.get("base"), y.get("base"),
                                      tuple(x.get("sources") or ()), tuple(y.get("sources") or ())))
    return tuple(out)


def _weights(a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[WeightChange, ...]:
    out = []
    for cid, x, y in _pairs(a.get("weight_details") or {}, b.get("weight_details") or {}):
        x, y = x or {}, y or {}
        if x.get("value") != y.get("value") or x.get("reasons") != y.get("reasons"):
            out.append(WeightChange(cid, x.get("value") or 0.0, y.get("value") or 0.0,
                                    tuple(x.get("reasons") or ()), tuple(y.get("reasons") or ())))
    # the largest moves first: they explain most
    return tuple(sorted(out, key=lambda w: -abs(w.after - w.before)))


def _scores(a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[ScoreChange, ...]:
    ra = {r["framework"]: r for r in a.get("ranking") or ()}
    rb = {r["framework"]: r for r in b.get("ranking") or ()}
    order = list(rb) + [f for f in ra if f not in rb]
    out = []
    for fid in order:
        x, y = ra.get(fid) or {}, rb.get(fid) or {}
        change = ScoreChange(fid, x.get("score"), y.get("score"), x.get("rank"), y.get("rank"),
                             tuple(x.get("knockouts") or ()), tuple(y.get("knockouts") or ()))
        if (change.before, change.rank_before, change.knockouts_before) != (change.after, change.rank_after, change.knockouts_after):
            out.append(change)
    return tuple(out)


def compare(a: Mapping[str, Any], b: Mapping[str, Any], *, labels: tuple[str, str] = ("A", "B")) -> DecisionDiff:
    """What differs from assessment ``a`` (before) to ``b`` (after); both checked for their format version."""
    a, b = check_document(a, labels[0]), check_document(b, labels[1])
    names = {**(a.get("framework_names") or {}), **(b.get("framework_names") or {})}
    crit_names = {**(a.get("criterion_names") or {}), **(b.get("criterion_names") or {})}
    inputs = tuple(
        Change(path, x, y) for path, x, y in _pairs(a.get("inputs") or {}, b.get("inputs") or {}) if x != y
    )
    pa, pb = a.get("provenance") or {}, b.get("provenance") or {}
    return DecisionDiff(
        stack_before=tuple(a["recommendation"].get("stack") or ()),
        stack_after=tuple(b["recommendation"].get("stack") or ()),
        inputs=inputs,
        kb_before=(pa.get("kb_version", ""), pa.get("kb_as_of", "")),
        kb_after=(pb.get("kb_version", ""), pb.get("kb_as_of", "")),
        facts=_facts(a, b, profile_changed=bool(inputs)),
        weights=_weights(a, b),
        scores=_scores(a, b),
        names=names,
        criterion_names=crit_names,
    )


# --- in words ---------------------------------------------------------------------------------


def value_text(value: Any) -> str:
    """An input value as a reader would write it: lists comma-separated, nothing as 'not set'."""
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value) if value else "none"
    if isinstance(value, (dict, float)):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _pct(x: float | None) -> str:
    return "-" if x is None else percent(x)


def _num(x: float | None) -> str:
    return "-" if x is None else points(x)


def summary(d: DecisionDiff) -> str:
    """The headline: whether the pick changed, and the cause."""
    if d.changed:
        head = f"The recommendation changed from {d.pick(d.stack_before)} to {d.pick(d.stack_after)}"
    else:
        head = f"The recommendation is unchanged: {d.pick(d.stack_after)}"
    if d.cause == CAUSE_NONE:
        return head + "; no input changed."
    return f"{head}; cause: {CAUSE_WORDS[d.cause]}."


def input_sentences(d: DecisionDiff) -> list[str]:
    """Each changed input, profile fields first, then the knowledge base."""
    out = [f"Profile: {c.what} changed from {value_text(c.before)} to {value_text(c.after)}." for c in d.inputs]
    if d.kb_before != d.kb_after:
        out.append(
            f"Knowledge base: version {d.kb_before[0][:12] or 'unknown'} of {d.kb_before[1] or 'unknown date'} "
            f"became {d.kb_after[0][:12] or 'unknown'} of {d.kb_after[1] or 'unknown date'}."
        )
    for f in d.facts:
        what = f"Knowledge base: {d.name(f.framework)} on {d.crit(f.criterion).lower()}"
        if f.before != f.after:
            out.append(f"{what}: level {_level(f.before)} became {_level(f.after)} (sources {_ids(f.sources_after)}).")
        else:
            out.append(f"{what}: sources {_ids(f.sources_before)} became {_ids(f.sources_after)}.")
    return out


def _level(x: float | None) -> str:
    return "none" if x is None else level(x)


def _ids(ids: tuple[str, ...]) -> str:
    return ", ".join(ids) if ids else "none"


def consequence_sentences(d: DecisionDiff) -> list[str]:
    """Knock-outs that appeared or went, and the weights that moved with the rule behind each."""
    out = []
    for s in d.scores:
        gained = [k for k in s.knockouts_after if k not in s.knockouts_before]
        lost = [k for k in s.knockouts_before if k not in s.knockouts_after]
        # "now knocked out" for a framework that was already out (for another reason) read as a change of verdict
        if gained and s.knockouts_before:
            also = " also" if len(lost) < len(s.knockouts_before) else ""
            out.append(f"{d.name(s.framework)} stays knocked out, now{also} because: {_reasons(gained)}")
        elif gained:
            out.append(f"{d.name(s.framework)} is now knocked out: {_reasons(gained)}")
        if lost and not s.knockouts_after:
            out.append(f"{d.name(s.framework)} is no longer knocked out; it was: {_reasons(lost)}")
    for w in d.weights:
        # "moved from 11% to 11%": a move the printed shares cannot show is no line of its own
        if _pct(w.before) == _pct(w.after):
            continue
        why = "; ".join(w.reasons_after) or "no reason given"
        out.append(f"The weight of {d.crit(w.criterion).lower()} moved from {_pct(w.before)} to {_pct(w.after)} ({why})")
    return [s if s.endswith(".") else s + "." for s in out]


def _reasons(reasons: list[str]) -> str:
    return " ".join(r.strip() if r.strip().endswith(".") else r.strip() + "." for r in reasons)


def describe(d: DecisionDiff) -> str:
    """The whole difference as text: words first, numbers after."""
    lines = [summary(d), ""]
    inputs = input_sentences(d)
    if inputs:
        lines += ["What changed in the inputs:", *(f"  - {s}" for s in inputs), ""]
    consequences = consequence_sentences(d)
    if consequences:
        lines += ["What that changed:", *(f"  - {s}" for s in consequences), ""]
    if d.scores:
        lines.append("Scores (0-100), before -> after:")
        width = max(len(d.name(s.framework)) for s in d.scores)
        for s in d.scores:
            ranks = f"rank {s.rank_before or '-'} -> {s.rank_after or '-'}"
            lines.append(f"  {d.name(s.framework):<{width}}  {_num(s.before):>5} -> {_num(s.after):>5}  {ranks}")
    return "\n".join(lines).rstrip() + "\n"
