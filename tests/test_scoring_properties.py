"""Properties of the scorer over generated valid profiles (drawn from profile.FIELDS)."""

from __future__ import annotations

import json
import math
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import pytest

from generator.knowledge import KnowledgeBase, load_knowledge
from generator.profile import CRITERIA, FIELDS, FRAMEWORK_IDS, profile_from_mapping
from generator.scoring import assess
from kb_fixture import make_kb


KBS: list[KnowledgeBase] = [make_kb(), load_knowledge()]  # the fixture and the bundled base
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _field_strategy(spec):
    if spec.kind == "enum":
        return st.sampled_from(spec.choices)
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "int":
        return st.integers(spec.minimum or 0, min(spec.maximum or 500, 500))
    if spec.kind == "enum_list":
        return st.lists(st.sampled_from(spec.choices), unique=True, max_size=len(spec.choices))
    if spec.kind == "str_list":
        return st.lists(st.sampled_from(["sklearn", "pytorch", "xgboost", "spark", "langchain"]), unique=True, max_size=3)
    if spec.kind == "map":
        return st.dictionaries(st.sampled_from(CRITERIA), st.integers(0, 10), max_size=4)
    return st.just("x")


@st.composite
def profiles(draw):
    """A valid profile: every field drawn from its FIELDS spec, a non-empty shortlist."""
    data: dict = {"schema_version": 1, "project": {"name": "Generated"}}
    for spec in FIELDS:
        head, _, key = spec.path.partition(".")
        if head in ("schema_version", "project", "brief") or spec.kind == "date":
            continue
        if spec.path == "frameworks":
            data["frameworks"] = draw(st.lists(st.sampled_from(FRAMEWORK_IDS), unique=True, min_size=1, max_size=13))
            continue
        if not spec.required and draw(st.integers(0, 4)) == 0:
            continue  # leave some optional fields to their defaults
        value = draw(_field_strategy(spec))
        if key:
            data.setdefault(head, {})[key] = value
        else:
            data[head] = value
    team = data["team"]
    team["data_scientists"] = min(team.get("data_scientists", 0), team["size"])
    team["ml_engineers"] = min(team.get("ml_engineers", 0), team["size"] - team["data_scientists"])
    return profile_from_mapping(data)


def _dump(a) -> str:
    return json.dumps(a.to_json(), sort_keys=True, allow_nan=False)


@pytest.mark.parametrize("kb", KBS, ids=lambda kb: kb.version)
@SETTINGS
@given(profile=profiles())
def test_scores_stay_in_range_and_nothing_is_nan(kb, profile):
    """Cells stay in 0..5, totals in 0..100, shares in 0..1, weights sum to 1, and JSON has no NaN."""
    a = assess(profile, kb)
    assert all(0.0 <= c.score <= 5.0 for c in a.cells.values())
    assert all(0.0 <= r.score <= 100.0 + 1e-9 and 0.0 <= r.topsis <= 1.0 for r in a.ranking)
    assert all(0.0 <= s.score <= 100.0 + 1e-9 for s in a.stacks)
    assert math.isclose(sum(w.value for w in a.weights), 1.0)
    assert 0.0 <= a.recommendation.robustness <= 1.0
    assert 0 <= len(a.recommendation.reasons) <= 6 and (a.recommendation.primary == "" or len(a.recommendation.reasons) >= 3)
    _dump(a)  # allow_nan=False raises on NaN or infinity


@pytest.mark.parametrize("kb", KBS, ids=lambda kb: kb.version)
@SETTINGS
@given(profile=profiles())
def test_same_input_gives_identical_output(kb, profile):
    """Scoring the same profile twice gives the same JSON."""
    assert _dump(assess(profile, kb)) == _dump(assess(profile, kb))


@pytest.mark.parametrize("kb", KBS, ids=lambda kb: kb.version)
@SETTINGS
@given(profile=profiles(), data=st.data())
def test_result_does_not_depend_on_shortlist_or_knowledge_base_order(kb, profile, data):
    """Shuffling the shortlist, the knowledge base's framework mapping and its rules changes nothing in the output."""
    shortlist = data.draw(st.permutations(profile.frameworks))
    order = data.draw(st.permutations(sorted(kb.frameworks)))
    rules = data.draw(st.permutations(kb.rules))
    shuffled_kb = replace(kb, frameworks={f: kb.frameworks[f] for f in order}, rules=tuple(rules))
    assert _dump(assess(replace(profile, frameworks=tuple(shortlist)), shuffled_kb)) == _dump(assess(profile, kb))


def _viable_order(a) -> list[str]:
    return [r.framework for r in a.ranking if not r.knocked_out]


@pytest.mark.parametrize("kb", KBS, ids=lambda kb: kb.version)
@SETTINGS
@given(profile=profiles(), data=st.data())
def test_raising_the_weight_where_a_framework_strictly_leads_never_costs_it_rank(kb, profile, data):
    """Raising the priority of a criterion on which a framework strictly leads every other viable one never lowers its rank.

    (Its normalised total can fall — the other weights shrink — unless its score on that criterion is at least
    its current total, which is checked too.)
    """
    before = assess(profile, kb)
    viable = _viable_order(before)
    if len(viable) < 2:
        return
    f = data.draw(st.sampled_from(viable))
    leads = [
        c
        for c in CRITERIA
        if all(before.cells[(f, c)].score > before.cells[(g, c)].score for g in viable if g != f)
    ]
    if not leads:
        return
    c = data.draw(st.sampled_from(leads))
    current = dict(profile.priorities)
    start = data.draw(st.integers(0, 9)) if c not in current else current[c]
    if start >= 10:
        return
    lower = replace(profile, priorities={**current, c: float(start)})
    higher = replace(profile, priorities={**current, c: float(data.draw(st.integers(int(start) + 1, 10)))})
    a, b = assess(lower, kb), assess(higher, kb)
    assert _viable_order(b).index(f) <= _viable_order(a).index(f)
    ra = next(r for r in a.ranking if r.framework == f)
    rb = next(r for r in b.ranking if r.framework == f)
    if a.cells[(f, c)].score * 20 >= ra.score:
        assert rb.score >= ra.score - 1e-9
