"""The grammar of ``rules.yaml`` and of a point's ``applies_when``: conditions on profile fields, framework
selectors and effects, each checked against the profile's fields and the knowledge base's attributes."""

from __future__ import annotations

import difflib
import re
from typing import Any, Mapping

from generator.knowledge.checker import Checker, Doc, Path_, kind_of
from generator.knowledge.model import (
    CONDITION_OPS,
    LAPTOP,
    NOTE_CRITERIA,
    RULE_KINDS,
    SELECTOR_ATTRIBUTES,
    Condition,
    Effect,
    Rule,
)
from generator.profile.model import CAPABILITIES, CLOUDS, CRITERIA, FIELDS_BY_PATH

def check_condition(ck: Checker, c: Any, cp: Path_, any_allowed: bool = False) -> Condition | None:
    """One ``{field: <profile path>, <op>: value}``; with ``any_allowed`` also ``{any: [conditions]}``."""
    if any_allowed and isinstance(c, dict) and set(c) == {"any"}:
        items = c["any"]
        if not isinstance(items, list) or len(items) < 2:
            ck.problem(cp + ("any",), f"'any' needs a list of at least two conditions, got {kind_of(items)}")
            return None
        inner = [check_condition(ck, x, cp + ("any", k)) for k, x in enumerate(items)]
        return Condition("", "any", tuple(x for x in inner if x is not None))
    if not isinstance(c, dict) or "field" not in c:
        ck.problem(cp, "a condition is {field: <profile path>, <op>: value}" + (" or {any: [conditions]}" if any_allowed else ""))
        return None
    ops = [k for k in c if k != "field"]
    if len(ops) != 1 or ops[0] not in CONDITION_OPS:
        ck.problem(cp, f"a condition needs exactly one of {', '.join(CONDITION_OPS)}; got {', '.join(map(str, ops)) or 'none'}")
        return None
    fpath, op = c["field"], ops[0]
    spec = FIELDS_BY_PATH.get(fpath) if isinstance(fpath, str) else None
    if spec is None:
        hint = difflib.get_close_matches(str(fpath), list(FIELDS_BY_PATH), n=1)
        ck.problem(cp + ("field",), f"{fpath!r} is not a profile field" + (f"; did you mean {hint[0]!r}?" if hint else ""))
        return None
    return Condition(fpath, op, _check_condition_value(ck, spec, op, c[op], cp + (op,)))


def _check_condition_value(ck: Checker, spec: Any, op: str, value: Any, path: Path_) -> Any:
    kind = spec.kind
    if op == "empty":
        if kind not in ("enum_list", "str_list", "map", "str"):
            ck.problem(path, f"'empty' does not apply to {spec.path} ({kind})")
        return ck.boolean(value, path)
    if op in ("min", "max"):
        if kind == "enum":  # ordered by the field's choices: none < basic < intermediate ...
            return ck.choice(value, path, spec.choices)
        if kind != "int":
            ck.problem(path, f"'{op}' needs a number or choice field; {spec.path} is {kind}")
        return ck.number(value, path, spec.minimum, spec.maximum)
    if op == "contains":
        if kind not in ("enum_list", "str_list", "map"):
            ck.problem(path, f"'contains' needs a list field; {spec.path} is {kind}")
        if spec.choices:
            ck.choice(value, path, spec.choices)
        return value
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            ck.problem(path, f"'{op}' needs a non-empty list of values, got {kind_of(value)}")
            return ()
        for i, v in enumerate(value):
            _check_single(ck, spec, v, path + (i,))
        return tuple(value)
    # is
    if kind in ("enum_list", "str_list"):
        if not isinstance(value, list):
            ck.problem(path, f"{spec.path} is a list; compare with a list or use 'contains'")
            return ()
        for i, v in enumerate(value):
            _check_single(ck, spec, v, path + (i,))
        return tuple(value)
    _check_single(ck, spec, value, path)
    return value


def _check_single(ck: Checker, spec: Any, value: Any, path: Path_) -> None:
    if spec.kind in ("enum", "enum_list"):
        ck.choice(value, path, spec.choices)
    elif spec.kind == "bool":
        ck.boolean(value, path)
    elif spec.kind == "int":
        ck.number(value, path, spec.minimum, spec.maximum)
    elif spec.kind in ("str", "str_list", "date") and not isinstance(value, str):
        ck.problem(path, f"expected text, got {kind_of(value)}")


def _check_select(ck: Checker, value: Any, path: Path_, framework_refs: list) -> tuple[str, ...] | Mapping[str, Any]:
    if isinstance(value, list):
        ids = ck.text_list(value, path)
        for i, fid in enumerate(ids):
            framework_refs.append((ck, path + (i,), fid))
        return ids
    if not isinstance(value, dict) or not value:
        ck.problem(path, f"select is a list of framework ids or a mapping of attribute -> value, got {kind_of(value)}")
        return ()
    for attr, wanted in value.items():
        if attr not in SELECTOR_ATTRIBUTES:
            hint = difflib.get_close_matches(str(attr), list(SELECTOR_ATTRIBUTES), n=1)
            ck.problem(path + (attr,), f"unknown framework attribute {attr!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""))
            continue
        if attr == "laptop" and isinstance(wanted, bool):
            ck.problem(path + (attr,), f"laptop is one of {', '.join(LAPTOP)} since knowledge format 2, not "
                       f"{str(wanted).lower()}; e.g. {{laptop: none}} or {{laptop: [local_cluster, none]}}")
            continue
        allowed = CLOUDS if attr == "clouds" else SELECTOR_ATTRIBUTES[attr]
        if isinstance(wanted, dict):
            _check_relative(ck, attr, wanted, path + (attr,))
            continue
        for i, w in enumerate(wanted if isinstance(wanted, list) else [wanted]):
            ck.choice(w, path + (attr,) + ((i,) if isinstance(wanted, list) else ()), allowed)
    return {k: (tuple(v) if isinstance(v, list) else v) for k, v in value.items()}


RELATIVE_OPS = ("any_of", "all_of", "none_of")  # some / every / no item of the profile list is in the attribute
LIST_ATTRIBUTES = ("clouds", "compute", "designed_for")


def _check_relative(ck: Checker, attr: str, wanted: dict, path: Path_) -> None:
    """``{any_of: PATH}`` / ``{all_of: PATH}`` / ``{none_of: PATH}``: a list attribute compared with a list field of the profile."""
    if attr not in LIST_ATTRIBUTES:
        ck.problem(path, f"only list attributes ({', '.join(LIST_ATTRIBUTES)}) compare with a profile field")
        return
    if len(wanted) != 1 or next(iter(wanted)) not in RELATIVE_OPS:
        ck.problem(path, f"expected one of {', '.join(RELATIVE_OPS)}: a profile list field, e.g. {{none_of: current.compute}}")
        return
    (op, field_path), = wanted.items()
    spec = FIELDS_BY_PATH.get(field_path)
    if spec is None or spec.kind not in ("enum_list", "str_list"):
        ck.problem(path + (op,), f"{field_path!r} is not a list field of the profile")


def _scored_criterion(ck: Checker, value: Any, path: Path_) -> Any:
    if value in NOTE_CRITERIA:
        ck.problem(path, f"{value} is a note criterion (sourced text, never scored or weighted); "
                   "a rule cannot change its score or weight")
        return value
    return ck.choice(value, path, CRITERIA)


def _check_preference(ck: Checker, effects: list[Effect], path: Path_) -> None:
    """A wish lowers scores but never rules a framework out: a preference rule cannot knock out, nor move a
    capability, whose level decides whether a must-have is met (the fit veto is judged without it)."""
    for effect in effects:
        if effect.kind == "knockout":
            ck.problem(path + ("kind",), "a preference rule cannot knock a framework out: only facts and hard "
                       "constraints rule out; a preference lowers scores or weights")
        elif effect.kind == "score" and effect.criterion in CAPABILITIES:
            ck.problem(path + ("kind",), f"a preference rule cannot move the capability {effect.criterion}: its "
                       "level decides whether a must-have is met, which only facts may decide")


def check_rules(doc: Doc, problems: list, refs: list, framework_refs: list) -> list[tuple[Rule, Checker, Path_]]:
    ck = Checker(doc, problems)
    out: list[tuple[Rule, Checker, Path_]] = []
    if not ck.mapping(doc.data, (), ("rules",)):
        return out
    for i, r in enumerate(ck.items(doc.data.get("rules"), ("rules",), "rules")):
        p = ("rules", i)
        if not ck.mapping(r, p, ("id", "when", "then", "reason", "sources"), ("kind",)):
            continue
        rule_kind = ck.choice(r.get("kind", "fact"), p + ("kind",), RULE_KINDS)
        rid = r.get("id")
        if not isinstance(rid, str) or not re.match(r"^[a-z0-9][a-z0-9_-]*$", rid):
            ck.problem(p + ("id",), f"expected a rule id of lower-case letters, digits, '-' and '_', got {kind_of(rid)}")
            rid = ""
        conditions = []
        for j, c in enumerate(ck.items(r.get("when"), p + ("when",), "conditions", allow_empty=False)):
            cond = check_condition(ck, c, p + ("when", j))
            if cond is not None:
                conditions.append(cond)
        effects = []
        for j, e in enumerate(ck.items(r.get("then"), p + ("then",), "effects", allow_empty=False)):
            ep = p + ("then", j)
            if not isinstance(e, dict) or len(e) != 1 or next(iter(e)) not in ("score", "weight", "knockout"):
                ck.problem(ep, "an effect is one of {score: ...}, {weight: ...}, {knockout: ...}")
                continue
            kind, body = next(iter(e.items()))
            bp = ep + (kind,)
            if kind == "score":
                if not ck.mapping(body, bp, ("select", "criterion"), ("delta", "set", "cap", "limit")):
                    continue
                changes = [k for k in ("delta", "set", "cap", "limit") if k in body]
                if len(changes) != 1:
                    ck.problem(bp, "a score effect needs exactly one of delta, set, cap, limit")
                    continue
                lo, hi = (-5, 5) if changes[0] == "delta" else (0, 5)
                effects.append(Effect(
                    kind="score",
                    select=_check_select(ck, body.get("select"), bp + ("select",), framework_refs),
                    criterion=_scored_criterion(ck, body.get("criterion"), bp + ("criterion",)),
                    **{changes[0]: ck.number(body[changes[0]], bp + (changes[0],), lo, hi)},
                ))
            elif kind == "weight":
                if not ck.mapping(body, bp, ("criterion", "factor")):
                    continue
                effects.append(Effect(
                    kind="weight",
                    criterion=_scored_criterion(ck, body.get("criterion"), bp + ("criterion",)),
                    factor=ck.number(body.get("factor"), bp + ("factor",), 0, 10),
                ))
            else:
                if not ck.mapping(body, bp, ("select",)):
                    continue
                effects.append(Effect(kind="knockout", select=_check_select(ck, body.get("select"), bp + ("select",), framework_refs)))
        if rule_kind == "preference":
            _check_preference(ck, effects, p)
        rule = Rule(
            id=rid,
            when=tuple(conditions),
            effects=tuple(effects),
            reason=ck.text(r.get("reason"), p + ("reason",)),
            sources=ck.source_ids(r.get("sources"), p + ("sources",), refs),
            kind=rule_kind,
        )
        out.append((rule, ck, p + ("id",)))
    return out


