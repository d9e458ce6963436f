"""Properties of the scorer over generated valid profiles (drawn from profile.FIELDS)."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import yaml

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import pytest

from generator.knowledge import KnowledgeBase, load_knowledge
from generator.profile import CAPABILITIES, CRITERIA, FIELDS, FRAMEWORK_IDS, load_profile, profile_from_mapping
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
        words = spec.choices or ("sklearn", "pytorch", "xgboost", "spark", "langchain")
        return st.lists(st.sampled_from(words), unique=True, max_size=3)
    if spec.kind == "stakeholder_list":
        weights = st.dictionaries(st.sampled_from(CRITERIA), st.integers(1, 10), min_size=1, max_size=4)
        return st.lists(st.fixed_dictionaries({"name": st.sampled_from(["A", "B", "C"]), "priorities": weights}),
                        max_size=3, unique_by=lambda s: s["name"])
    if spec.kind == "map":
        return st.dictionaries(st.sampled_from(CRITERIA), st.integers(0, 10), max_size=4)
    return st.just("x")


@st.composite
def profile_data(draw, version: int = 2):
    """The mapping of a valid profile of ``version``: every field of that version drawn from its FIELDS spec."""
    data: dict = {"schema_version": version, "project": {"name": "Generated"}}
    for spec in FIELDS:
        head, _, key = spec.path.partition(".")
        if head in ("schema_version", "project", "brief") or spec.kind == "date" or spec.since > version:
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
    current = data.get("current", {})
    if "keep" in current and "replacing" in current:  # a tool cannot be both kept and replaced
        current["replacing"] = [t for t in current["replacing"] if t not in current["keep"]]
    return data


@st.composite
def profiles(draw):
    """A valid profile: every field drawn from its FIELDS spec, a non-empty shortlist."""
    return profile_from_mapping(draw(profile_data()))


def _dump(a) -> str:
    return json.dumps(a.to_json(), sort_keys=True, allow_nan=False)


def _dump_result(a) -> str:
    """The assessment without the record of its inputs (the profile as given, its digest), which
    differ between a version-1 file and its translation by the version number alone."""
    doc = a.to_json()
    doc.pop("inputs", None)
    doc.get("provenance", {}).pop("profile_digest", None)
    return json.dumps(doc, sort_keys=True, allow_nan=False)


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
    assert 0 <= len(a.recommendation.reasons) <= 6 and (a.recommendation.primary == "" or a.recommendation.reasons)
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
    its current total, which is checked too, for a profile without stakeholders: their geometric mean counts a
    stakeholder's zero weight as GEOMETRIC_FLOOR, which does not shrink with the others, so there the total may
    dip by a hair while the rank holds.)
    """
    before = assess(profile, kb)
    viable = _viable_order(before)
    if len(viable) < 2:
        return
    f = data.draw(st.sampled_from(viable))
    leads = [
        c
        for c in kb.scored_criteria
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
    if not profile.stakeholders and a.cells[(f, c)].score * 20 >= ra.score:
        assert rb.score >= ra.score - 1e-9


# --- issue 15: fit, not breadth ---------------------------------------------------------------


def _rank(a, fid: str) -> int:
    return next(r.rank for r in a.ranking if r.framework == fid)


def _knocked_out(a, fid: str) -> bool:
    return next(r.knocked_out for r in a.ranking if r.framework == fid)


@pytest.mark.parametrize("kb", KBS, ids=lambda kb: kb.version)
@SETTINGS
@given(profile=profiles(), data=st.data())
def test_raising_a_need_from_could_to_must_never_lowers_a_framework_that_meets_it(kb, profile, data):
    """Raising one need from could to must never knocks out a framework that meets it (scores at least 3 on
    it) and never puts it below a framework that does not meet it if it was above that framework before."""
    c = data.draw(st.sampled_from(CAPABILITIES))
    could = replace(profile, needs={**profile.needs, c: "could"})
    must = replace(profile, needs={**profile.needs, c: "must"})
    a, b = assess(could, kb), assess(must, kb)
    meets = [f for f in could.frameworks if a.cells[(f, c)].score >= 3.0]
    misses = [g for g in could.frameworks if a.cells[(g, c)].score < 3.0]
    for f in meets:
        if _knocked_out(a, f):
            continue
        assert not _knocked_out(b, f), (f, c, next(r.knockouts for r in b.ranking if r.framework == f))
        for g in misses:
            if _rank(a, f) < _rank(a, g):
                assert _rank(b, f) < _rank(b, g), (f, g, c)


def test_a_framework_that_does_no_stated_need_stays_ruled_out_when_a_need_it_misses_becomes_a_must():
    """The case the property above found: with serving the one should-have, DVC does nothing asked for and is out;
    making the registry a must, which DVC meets only through MLflow, must not bring it back above ClearML, which
    has a registry of its own."""
    kb = load_knowledge()
    data = {
        "schema_version": 2, "project": {"name": "Generated"}, "team": {"size": 1, "kubernetes_skill": "none"},
        "infrastructure": {"kubernetes": "none"},
        "frameworks": ["mlflow", "kubeflow", "metaflow", "flyte", "zenml", "airflow", "kedro", "clearml", "dvc"],
    }
    for registry in ("could", "must"):
        data["needs"] = {"model_serving": "should", "model_registry": registry}
        a = assess(profile_from_mapping(data, known_frameworks=tuple(kb.frameworks)), kb)
        assert _knocked_out(a, "dvc") and not _knocked_out(a, "clearml")
        assert _rank(a, "clearml") < _rank(a, "dvc")


@pytest.mark.parametrize("kb", KBS, ids=lambda kb: kb.version)
@SETTINGS
@given(profile=profiles(), data=st.data())
def test_a_capability_the_team_does_not_need_moves_totals_and_order_only_within_its_weight(kb, profile, data):
    """Changing one capability from wont to could changes no framework's total by more than 100 * w_new and
    swaps two frameworks only if their totals were within 200 * w_new, where w_new is that criterion's new
    normalised weight.

    Why: the other weights all shrink by the factor (1 - w_new), so a total T (0..100) becomes
    (1 - w_new) * T + 20 * w_new * level, which is within w_new * |20 * level - T| <= 100 * w_new of T; the gap D
    between two totals becomes (1 - w_new) * D + 20 * w_new * (level difference), which changes sign only if
    |D| <= 100 * w_new / (1 - w_new), at most 200 * w_new while w_new <= 1/2.
    """
    c = data.draw(st.sampled_from(CAPABILITIES))
    wont = replace(profile, needs={**profile.needs, c: "wont"})
    could = replace(profile, needs={**profile.needs, c: "could"})
    a, b = assess(wont, kb), assess(could, kb)
    equal_fallback = any("Every weight was 0" in r for w in a.weights for r in w.reasons)
    if equal_fallback or any(w.value > 0 for w in a.weights if w.criterion == c):
        return  # nothing weighed anything, or a priority sets this criterion: not this property
    w_new = next(w.value for w in b.weights if w.criterion == c)
    assert w_new <= 0.5
    before = {r.framework: r.score for r in a.ranking}
    after = {r.framework: r.score for r in b.ranking}
    tol = 1e-6
    for f in before:
        assert abs(after[f] - before[f]) <= 100 * w_new + tol, (f, c, w_new)
    out_a = {r.framework for r in a.ranking if r.knocked_out}
    out_b = {r.framework for r in b.ranking if r.knocked_out}
    assert out_a == out_b  # a could need gates nothing
    for f in before:
        for g in before:
            if f < g and (f in out_a) == (g in out_a) and (_rank(a, f) < _rank(a, g)) != (_rank(b, f) < _rank(b, g)):
                assert abs(before[f] - before[g]) <= 200 * w_new + tol, (f, g, c, w_new)


V1_PROFILES = sorted((Path(__file__).resolve().parent / "profiles_v1").glob("*.yaml"))


def _as_version_2(data: dict) -> dict:
    return {**data, "schema_version": 2}


@pytest.mark.parametrize("path", V1_PROFILES, ids=lambda p: p.stem)
def test_a_version_1_example_scores_exactly_as_its_version_2_translation(path):
    """A version-1 file and the same content marked schema_version 2 (every v2 field at its default) give the
    same assessment JSON."""
    kb = KBS[-1]
    v1 = load_profile(path, known_frameworks=tuple(kb.frameworks))
    assert v1.schema_version == 1
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    v2 = profile_from_mapping(_as_version_2(data), known_frameworks=tuple(kb.frameworks))
    assert _dump_result(assess(v1, kb)) == _dump_result(assess(v2, kb))


@pytest.mark.parametrize("kb", KBS, ids=lambda kb: kb.version)
@SETTINGS
@given(data=profile_data(version=1))
def test_a_version_1_profile_scores_exactly_as_its_version_2_translation(kb, data):
    """Any version-1 profile and its version-2 translation with defaults give the same assessment JSON."""
    v1 = profile_from_mapping(data)
    assert v1.schema_version == 1
    assert _dump_result(assess(v1, kb)) == _dump_result(assess(profile_from_mapping(_as_version_2(data)), kb))
