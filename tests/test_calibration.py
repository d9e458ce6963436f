"""briefgen's first pick against real teams' published decisions (tests/cases, see its README).

The cases were written from their sources before the scorer saw them; a case is never edited
to make this test pass. The product's target is that the first pick equals the team's own
choice in at least 75 % of cases and is the choice or a listed acceptable alternative in at
least 90 %. The scorer does not reach it yet (README, "How well the picks match real
decisions"), so this test holds the measured floor instead: a change that makes the picks
worse fails here, and the floor is raised whenever the scorer improves.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from generator.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("calibrate", ROOT / "tools" / "calibrate.py")
calibrate = importlib.util.module_from_spec(_spec)
sys.modules["calibrate"] = calibrate  # dataclasses look their module up there
_spec.loader.exec_module(calibrate)

CASE_FILES = sorted((ROOT / "tests" / "cases").glob("*.yaml"))
EXACT_TARGET, ACCEPTABLE_TARGET = 0.75, 0.90  # the goal (not met yet)
EXACT_FLOOR, ACCEPTABLE_FLOOR = 125 / 206, 157 / 206  # measured on the 206 cases when the floor was last set (2026-12-05)


@pytest.fixture(scope="module")
def outcomes():
    return calibrate.score_all(load_knowledge())


def test_the_calibration_set_has_at_least_twenty_cases():
    """Twenty or more documented decisions, or the rates below mean little."""
    assert len(CASE_FILES) >= 20


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_every_case_is_a_valid_version_2_profile_with_its_evidence(path):
    """Each case loads through the real profile loader, and every non-default field it sets has a quote."""
    case, profile = calibrate.load_case(path)
    assert profile.schema_version == 2
    assert case["choice"] and case["sources"] and case["decisive_factors"]
    first_hand = [s for s in case["sources"] if s["kind"] != "corroboration"]
    assert first_hand, "a third-party account may only corroborate"
    assert all(s["url"].startswith("https://") for s in first_hand)
    assert all(s["url"].startswith(("https://", "http://")) for s in case["sources"])


def test_first_pick_matches_the_teams_choice_at_least_as_often_as_measured(outcomes):
    """No fewer exact and acceptable picks than the measured floor (the 75 % / 90 % target is not met yet)."""
    n = len(outcomes)
    exact = sum(o.exact for o in outcomes) / n
    acceptable = sum(o.acceptable_hit for o in outcomes) / n
    misses = [f"{o.case}: chose {o.choice}, picked {o.pick or 'nothing'}" for o in outcomes if not o.acceptable_hit]
    assert exact >= EXACT_FLOOR - 1e-9 and acceptable >= ACCEPTABLE_FLOOR - 1e-9, (exact, acceptable, misses)


FACTOR_FLOOR = 201 / 206  # cases whose reasons name a decisive factor, when the floor was last set (target: all); an
# ease-of-use reason rests on team.primary_users, since ease of use is judged for the daily users


def test_the_reasons_name_a_factor_that_decided_the_case_at_least_as_often_as_measured(outcomes):
    """The recommendation's reasons rest on one of the fields the team's own account says decided it, in no fewer cases than measured."""
    named = [o for o in outcomes if o.names_a_decisive_factor]
    missing = [f"{o.case}: decisive {o.decisive}, reasons rest on {o.factors}" for o in outcomes if not o.names_a_decisive_factor]
    assert len(named) / len(outcomes) >= FACTOR_FLOOR - 1e-9, missing


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_no_reason_for_the_pick_opens_with_why_a_criterion_matters_less(path):
    """A weight the situation lowered (a dedicated platform team and operational overhead) never introduces a reason
    for the pick: its sentence would argue the opposite."""
    from generator.scoring import assess

    kb = load_knowledge()
    _, profile = calibrate.load_case(path)
    a = assess(profile, kb)
    # The reasons that lowered a weight; a goal that raised a weight something else lowered further is not one.
    lowered = [r for w in a.weights for r in w.lowered_by]
    openings = [r.text for r in a.recommendation.detail if r.kind == "for"]
    assert not [t for t in openings for r in lowered if t.startswith(r.rstrip("."))], openings


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_what_decides_against_the_rival_is_among_the_reasons_for_the_pick(path):
    """The criterion the rival's sentence says decides against it carries most of the lead, so it is one of the reasons
    for the pick, even where the profile asks for other things first (Catalyst's cost)."""
    from generator.scoring import assess

    _, profile = calibrate.load_case(path)
    detail = assess(profile, load_knowledge()).recommendation.detail
    decisive = {r.criterion for r in detail if r.kind == "rival" and r.criterion}
    assert decisive <= {r.criterion for r in detail if r.kind == "for"}, [r.text for r in detail]


def test_the_trade_off_says_what_the_rival_does_well_not_what_lowered_it():
    """Greeneye's ClearML is stronger on ease of use for what its knowledge base says it does well, not for the rule
    that lowered it ("a framework that needs ... a remote service puts that between the developer and every try")."""
    from generator.scoring import assess

    _, profile = calibrate.load_case(ROOT / "tests" / "cases" / "greeneye-technology-clearml.yaml")
    [trade] = [r for r in assess(profile, load_knowledge()).recommendation.detail if r.kind == "tradeoff"]
    assert trade.text.startswith("The trade-off: ClearML is stronger on ease of use (3.5 of 5 against 3, worth ")
    assert trade.text.endswith("points of the total): two lines of code enable auto-logging; the breadth of features "
                               "takes time to learn.")


def test_a_close_call_between_combinations_of_one_framework_recommends_the_framework():
    """Mercedes-Benz's options are all Kubeflow, with or without MLflow: the framework is settled and only the companion
    is too close to call, which the sentence says first ("pilot both" read as doubt about Kubeflow)."""
    from generator.scoring import assess

    _, profile = calibrate.load_case(ROOT / "tests" / "cases" / "mercedes-benz-dna-kubeflow.yaml")
    rec = assess(profile, load_knowledge()).recommendation
    assert rec.primary == "kubeflow" and str(rec.verdict) == "too_close"
    assert rec.sentence.startswith("Recommend Kubeflow: every option that meets the must-have needs is built on it. "
                                   "Which companions to add is too close to call on scores alone: ")
    assert rec.sentence.endswith("; decide on the reasons below or pilot both.")


def test_a_combination_named_after_the_adopted_part_obeys_that_parts_must_rule():
    """Monzo keeps Airflow and needs model serving: MLflow beside the kept Airflow serves at 3 of 5 while SageMaker AI,
    which MLflow hands serving to, does it fully, so it is no option, as MLflow alone is not (it was recommended,
    built from Airflow and checked against Airflow's companions)."""
    from generator.scoring import assess

    _, profile = calibrate.load_case(ROOT / "tests" / "cases" / "monzo-vertex-ai.yaml")
    a = assess(profile, load_knowledge())
    assert a.recommendation.stack != ("mlflow", "airflow")
    combos = {s.frameworks for s in a.stacks}
    assert ("mlflow", "airflow") not in combos and ("mlflow", "sagemaker") in combos


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_every_combination_offered_does_each_must_have_at_the_level_a_must_needs(path):
    """A combination's printed level on every must-have need is at least 3 of 5: DKFZ's Metaflow + MLflow, renamed
    after Metaflow, took Metaflow's access control (2 of 5) for the must-have governance and stayed an option beside
    ZenML, ruled out for the same 2."""
    from generator.scoring import assess
    from generator.scoring.fit import held_needs, met_in_every_option
    from generator.scoring.stacks import MUST_LEVEL

    _, profile = calibrate.load_case(path)
    kb = load_knowledge()
    a = assess(profile, kb)
    order = [w.criterion for w in a.weights]
    # a must a kept tool does (Slurm's multi-node jobs) is met in every option, whatever the stack's own level
    held = {c for c, h in held_needs(profile, kb).items() if met_in_every_option(h)}
    musts = [c for c in order if profile.needs.get(c) == "must" and c not in held]
    low = {(s.frameworks, m): s.levels[order.index(m)] for s in a.stacks for m in musts
           if s.levels[order.index(m)] < MUST_LEVEL}
    assert not low


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_every_level_is_a_whole_or_a_half_point(path):
    """Briefs explain half points only: fit with current tools, a mean over kept tools, is rounded to the nearest half
    (Auto Trader's 4.3 of 5 was refused by --check as an unexplained level)."""
    from generator.scoring import assess

    _, profile = calibrate.load_case(path)
    a = assess(profile, load_knowledge())
    odd = {k: c.score for k, c in a.cells.items() if c.score * 2 != int(c.score * 2)}
    odd.update({s.frameworks: v for s in a.stacks for v in s.levels if v * 2 != int(v * 2)})
    assert not odd


def test_as_of_a_decision_only_frameworks_released_by_its_date_are_shortlisted():
    """A 2018 decision could not pick ClearML (2019-06) or Flyte (2020-01); a year-only date keeps what that year
    released, since the month is unknown."""
    kb = load_knowledge()
    in_2018 = set(calibrate.released_by(kb, "2018-06"))
    assert {"airflow", "mlflow", "kubeflow", "sagemaker"} <= in_2018
    assert not {"clearml", "flyte", "metaflow", "kedro", "zenml", "vertex_ai"} & in_2018
    assert {"flyte", "zenml"} <= set(calibrate.released_by(kb, "2020"))
