"""Context rules: which rules a profile triggers and what they do to scores, weights and frameworks.

Pure functions over the knowledge base's declarative rules. Every effect is
combined in an order-independent way so that the order rules are written in
data/rules.yaml can never change a result:

* weight effects multiply (a product does not depend on order);
* score effects on one (framework, criterion) cell combine as
  ``set`` (the lowest set value replaces the base level: the most cautious rule wins),
  then every ``cap`` (the lowest wins), then the sum of all ``delta`` values, then a
  clamp to 0..5, then every ``limit`` (the lowest wins). A cap bounds the knowledge base's level for one fact about the
  profile; deltas then add what other facts contribute. So when two facts both hold
  — an on-premises team that also runs on AWS — the on-premises cap on a cloud-only
  service and the home-cloud bonus both count, instead of one silently erasing the other.
  A limit is for the rare fact that makes every other rule moot: a cloud provider's platform
  for a team without that cloud uses none of the team's infrastructure, however well it would
  use the team's Kubernetes with that cloud; and for a team that wants to avoid lock-in, a
  platform that exists only as one vendor's managed service offers none of the portability it
  asked for. When a limit decides the level, only the limiting rules are kept as the cell's
  rules, since the others changed nothing;
* knock-out effects exclude the selected frameworks, each with its rule's reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from generator.knowledge.model import Condition, Effect, Framework, KnowledgeBase, Rule
from generator.profile.model import FIELDS_BY_PATH, Profile
from generator.wording import THIS_FRAMEWORK, after_colon, number

LEVEL_MIN = 0.0
LEVEL_MAX = 5.0

# Words for profile fields in rationales ("Kubernetes 'none' and Kubernetes skill 'none': ...").
# Fields not listed fall back to their last path segment with spaces.
FIELD_LABELS = {
    "team.size": "team size",
    "team.data_scientists": "data scientists",
    "team.ml_engineers": "ML engineers",
    "team.kubernetes_skill": "Kubernetes skill",
    "team.platform_team": "platform team",
    "infrastructure.kubernetes": "Kubernetes",
    "infrastructure.clouds": "clouds",
    "infrastructure.on_prem": "on-premises",
    "infrastructure.air_gapped": "air-gapped",
    "infrastructure.gpus": "GPUs",
    "workload.models_in_production": "models in production",
    "workload.distributed_training": "distributed training",
    "workload.data_volume": "data volume",
    "workload.serving": "serving",
    "workload.libraries": "libraries",
    "constraints.open_source_only": "open source only",
    "constraints.managed_services": "managed services",
    "constraints.budget": "budget",
    "constraints.time_to_value": "time to value",
}


def field_label(path: str) -> str:
    if path in FIELD_LABELS:
        return FIELD_LABELS[path]
    head, _, rest = path.partition(".")
    if head == "needs" and rest:
        return f"need for {rest.replace('_', ' ')}"
    return (rest or head).replace("_", " ")


def _value(profile: Profile, path: str) -> Any:
    try:
        return profile.get(path)
    except (AttributeError, KeyError):
        return None


def _ordered(path: str, value: Any) -> Any:
    """Enum values compare by their position in the field's choices (none < basic < ...)."""
    spec = FIELDS_BY_PATH.get(path)
    if spec is not None and spec.kind == "enum" and isinstance(value, str) and value in spec.choices:
        return spec.choices.index(value)
    return value


def condition_holds(profile: Profile, cond: Condition) -> bool:
    """Whether one condition holds; a malformed comparison is false, never an exception."""
    if cond.op == "any":
        return any(condition_holds(profile, c) for c in cond.value)
    actual = _value(profile, cond.field)
    op, want = cond.op, cond.value
    try:
        if op == "is":
            return actual == want
        if op in ("in", "not_in"):
            # On a list field (clouds, libraries) "in" means any overlap, "not_in" none at all.
            if isinstance(actual, (list, tuple)):
                hit = any(a in tuple(want) for a in actual)
            else:
                hit = actual in tuple(want)
            return hit if op == "in" else not hit
        if op in ("min", "max"):
            a, w = _ordered(cond.field, actual), _ordered(cond.field, want)
            if a is None or w is None or isinstance(a, str) or isinstance(w, str):
                return False
            return a >= w if op == "min" else a <= w
        if op == "contains":
            return want in tuple(actual or ())
        if op == "empty":
            return (not actual) == bool(want)
    except TypeError:
        return False
    return False


def rule_fires(profile: Profile, rule: Rule) -> bool:
    return all(condition_holds(profile, c) for c in rule.when)


def fired_rules(profile: Profile, kb: KnowledgeBase) -> tuple[Rule, ...]:
    """The rules whose conditions all hold, sorted by id so reports never depend on file order."""
    return tuple(sorted((r for r in kb.rules if rule_fires(profile, r)), key=lambda r: r.id))


def _attr_matches(actual: Any, want: Any) -> bool:
    if isinstance(want, (list, tuple)):
        if isinstance(actual, (list, tuple)):
            return any(w in actual for w in want)
        return actual in want
    if isinstance(actual, (list, tuple)) and not isinstance(want, (list, tuple)):
        return want in actual
    return actual == want


def _relative(actual: Any, want: Mapping[str, str], profile: Profile | None) -> bool:
    """``{any_of: PATH}`` / ``{all_of: PATH}`` / ``{none_of: PATH}``: the framework's list attribute holds some /
    every / no item of the profile's list at PATH. With nothing at PATH there is nothing to compare, so none matches."""
    (op, path), = want.items()
    given = tuple(_value(profile, path) or ()) if profile is not None else ()
    if not given:
        return False
    have = tuple(actual or ()) if isinstance(actual, (list, tuple)) else (actual,)
    if op == "all_of":
        return all(g in have for g in given)
    hit = any(g in have for g in given)
    return hit if op == "any_of" else not hit


def _attribute(fw: Framework, name: str) -> Any:
    """A framework attribute as selectors see it: a record with a ``value`` (e.g. multi_tenancy) is its value."""
    value = getattr(fw, name, None)
    return getattr(value, "value", value) if not isinstance(value, (str, bool, int, float, tuple, list)) else value


def selects(effect: Effect, fw: Framework, profile: Profile | None = None) -> bool:
    """Whether an effect's selector picks this framework (id list, or attribute match: all must hold)."""
    sel = effect.select
    if isinstance(sel, Mapping):
        if not sel:
            return False
        return all(
            _relative(_attribute(fw, k), v, profile) if isinstance(v, Mapping) else _attr_matches(_attribute(fw, k), v)
            for k, v in sel.items()
        )
    return fw.id in tuple(sel)


def describe_fact(profile: Profile, cond: Condition) -> str:
    """The profile fact behind a condition, in the user's own values ("Kubernetes skill 'none'")."""
    label = field_label(cond.field)
    actual = _value(profile, cond.field)
    if isinstance(actual, bool):
        return label if actual else f"not {label}"
    if isinstance(actual, (list, tuple)):
        return f"{label} {', '.join(map(str, actual))}" if actual else f"no {label}"
    if isinstance(actual, (int, float)):
        return f"{label} {number(actual)}"
    return f"{label} '{actual}'"


def describe_facts(profile: Profile, rule: Rule) -> str:
    facts = list(dict.fromkeys(describe_fact(profile, c) for c in rule.when))
    text = " and ".join(facts)
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class CellAdjustment:
    """The combined effect of the fired rules on one cell."""

    score: float
    rules: tuple[Rule, ...]  # sorted by id


def combine(base: float, effects: Iterable[tuple[Rule, Effect]]) -> CellAdjustment:
    """Apply score effects order-independently: lowest set, then lowest cap, then sum of deltas, then clamp,
    then lowest limit (argued by the fact rules that set it, by a preference only when no fact does)."""
    sets: list[float] = []
    caps: list[float] = []
    limits: dict[str, float] = {}
    delta = 0.0
    rules: dict[str, Rule] = {}
    for rule, eff in effects:
        rules[rule.id] = rule
        if eff.set is not None:
            sets.append(float(eff.set))
        if eff.delta is not None:
            delta += float(eff.delta)
        if eff.cap is not None:
            caps.append(float(eff.cap))
        if eff.limit is not None:
            limits[rule.id] = min(float(eff.limit), limits.get(rule.id, LEVEL_MAX))
    value = min(sets) if sets else float(base)
    if caps:
        value = min(value, min(caps))
    value += delta
    value = min(LEVEL_MAX, max(LEVEL_MIN, value))
    if limits and value >= min(limits.values()):
        value = min(limits.values())
        deciding = sorted(k for k, v in limits.items() if v == value)
        # A fact that sets the level alone explains it: a wish at the same limit adds nothing to say.
        facts = [k for k in deciding if not rules[k].preference]
        deciding = facts or deciding
        return CellAdjustment(value, tuple(rules[k] for k in deciding))
    return CellAdjustment(value, tuple(rules[k] for k in sorted(rules)))


@dataclass(frozen=True)
class RuleOutcome:
    """Everything the fired rules do, indexed for the scorer."""

    fired: tuple[Rule, ...]
    score_effects: Mapping[tuple[str, str], tuple[tuple[Rule, Effect], ...]]  # (fw, criterion) -> effects
    weight_factors: Mapping[str, tuple[tuple[Rule, float], ...]]  # criterion -> (rule, factor)
    knockouts: Mapping[str, tuple[Rule, ...]]  # framework -> rules that exclude it


def evaluate_rules(profile: Profile, kb: KnowledgeBase, framework_ids: Iterable[str]) -> RuleOutcome:
    fired = fired_rules(profile, kb)
    ids = sorted(set(framework_ids) & set(kb.frameworks))
    score: dict[tuple[str, str], list[tuple[Rule, Effect]]] = {}
    weight: dict[str, list[tuple[Rule, float]]] = {}
    knock: dict[str, list[Rule]] = {}
    for rule in fired:
        for eff in rule.effects:
            if eff.kind == "weight":
                if eff.criterion and eff.factor is not None:
                    weight.setdefault(eff.criterion, []).append((rule, float(eff.factor)))
                continue
            for fid in ids:
                if not selects(eff, kb.frameworks[fid], profile):
                    continue
                if eff.kind == "score" and eff.criterion:
                    score.setdefault((fid, eff.criterion), []).append((rule, eff))
                elif eff.kind == "knockout":
                    if rule not in knock.setdefault(fid, []):
                        knock[fid].append(rule)
    return RuleOutcome(
        fired=fired,
        score_effects={k: tuple(v) for k, v in score.items()},
        weight_factors={k: tuple(v) for k, v in weight.items()},
        knockouts={k: tuple(v) for k, v in knock.items()},
    )


def joined_reasons(rules: Iterable[Rule], name: str) -> str:
    """The rules' reasons as one clause list about framework ``name``: "; " between them, each after the
    first lower-cased like text after a colon (a name or an acronym keeps its capital), and a rule's generic
    "this framework" replaced by the name."""
    parts = [THIS_FRAMEWORK.sub(name, r.reason).strip().rstrip(".") for r in rules]
    return "; ".join(parts[:1] + [after_colon(x) for x in parts[1:]])
