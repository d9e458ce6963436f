"""Context rules: conditions, selectors and the order-independent combination of score effects."""

from __future__ import annotations

import itertools

import pytest

from generator.knowledge import Condition, Effect, Rule
from generator.scoring.rules import (
    combine,
    condition_holds,
    describe_facts,
    evaluate_rules,
    fired_rules,
    selects,
)
from kb_fixture import framework, make_kb, make_profile

PROFILE = make_profile(
    **{
        "team.size": 3,
        "team.kubernetes_skill": "basic",
        "infrastructure.kubernetes": "none",
        "infrastructure.clouds": ["aws", "gcp"],
        "infrastructure.air_gapped": False,
        "workload.libraries": ["sklearn"],
    }
)


@pytest.mark.parametrize(
    "field, op, value, expected",
    [
        ("team.size", "is", 3, True),
        ("team.size", "is", 4, False),
        ("infrastructure.kubernetes", "in", ["none", "planned"], True),
        ("infrastructure.kubernetes", "not_in", ["none", "planned"], False),
        ("infrastructure.clouds", "in", ["gcp"], True),
        ("infrastructure.clouds", "not_in", ["gcp"], False),
        ("infrastructure.clouds", "not_in", ["azure"], True),
        ("infrastructure.clouds", "contains", "aws", True),
        ("infrastructure.clouds", "contains", "azure", False),
        ("infrastructure.clouds", "empty", True, False),
        ("infrastructure.clouds", "empty", False, True),
        ("team.size", "max", 5, True),
        ("team.size", "min", 5, False),
        ("team.kubernetes_skill", "min", "basic", True),
        ("team.kubernetes_skill", "min", "intermediate", False),
        ("team.kubernetes_skill", "max", "none", False),
        ("infrastructure.air_gapped", "is", False, True),
        ("needs.experiment_tracking", "is", "must", True),
        ("workload.libraries", "contains", "sklearn", True),
        ("team.size", "between", 3, False),
        ("team.no_such_field", "is", 3, False),
        ("team.size", "min", "three", False),
    ],
)
def test_condition_operators_compare_the_profile_value(field, op, value, expected):
    """Each operator compares the profile's value as documented; enums order by their choices; bad input is false."""
    assert condition_holds(PROFILE, Condition(field, op, value)) is expected


@pytest.mark.parametrize(
    "select, fid, expected",
    [
        (("kubeflow", "flyte"), "kubeflow", True),
        (("kubeflow", "flyte"), "mlflow", False),
        ({"kubernetes": "required"}, "kubeflow", True),
        ({"kubernetes": "required"}, "mlflow", False),
        ({"hosting": ["managed", "saas"]}, "wandb", True),
        ({"hosting": ["managed", "saas"]}, "mlflow", False),
        ({"clouds": "gcp"}, "vertex_ai", True),
        ({"clouds": "gcp"}, "sagemaker", False),
        ({"open_source": False, "hosting": "saas"}, "wandb", True),
        ({"open_source": False, "hosting": "managed"}, "wandb", False),
        ({}, "mlflow", False),
    ],
)
def test_selectors_pick_frameworks_by_id_or_every_attribute(select, fid, expected):
    """An id list picks by id; an attribute mapping needs every attribute to match (a list means any of)."""
    assert selects(Effect("knockout", select), framework(fid)) is expected


@pytest.mark.parametrize(
    "op, compute, expected",
    [
        ("any_of", ("laptop", "serverless_batch"), {"laptop": True, "both": True, "neither": False}),
        ("all_of", ("laptop", "serverless_batch"), {"laptop": False, "both": True, "neither": False}),
        ("none_of", ("laptop", "serverless_batch"), {"laptop": False, "both": False, "neither": True}),
        ("all_of", (), {"laptop": False, "both": False, "neither": False}),
    ],
)
def test_relative_selectors_compare_a_list_attribute_with_the_profile_list(op, compute, expected):
    """any_of: shares some item; all_of: holds every item; none_of: shares none; an empty profile list matches nothing."""
    from dataclasses import replace

    profile = make_profile(**{"current.compute": list(compute)})
    runs_on = {"laptop": ("laptop", "vms"), "both": ("laptop", "serverless_batch", "kubernetes"), "neither": ("kubernetes",)}
    effect = Effect("score", {"compute": {op: "current.compute"}}, "infrastructure_fit", delta=1.0)
    got = {k: selects(effect, replace(framework("mlflow"), compute=v), profile) for k, v in runs_on.items()}
    assert got == expected


def _r(rid: str) -> Rule:
    return Rule(rid, (), (), f"reason {rid}", (f"src-{rid}",))


EFFECTS = [
    (_r("a"), Effect("score", (), "cost", delta=1.0)),
    (_r("b"), Effect("score", (), "cost", set=2.0)),
    (_r("c"), Effect("score", (), "cost", cap=2.5)),
    (_r("d"), Effect("score", (), "cost", set=3.0)),
    (_r("e"), Effect("score", (), "cost", delta=-0.25)),
]


def test_score_effects_combine_lowest_set_then_lowest_cap_then_deltas():
    """Sets replace the base (lowest wins), caps bound it (lowest wins), then deltas add."""
    assert combine(4.0, EFFECTS).score == 2.75  # min set 2, under the cap 2.5, + 1 - 0.25
    assert combine(4.0, EFFECTS[:2]).score == 3.0
    assert combine(4.0, [EFFECTS[0], EFFECTS[2]]).score == 3.5  # capped at 2.5, then + 1
    assert combine(1.0, [EFFECTS[2]]).score == 1.0  # a cap never raises a level


def test_score_effects_do_not_depend_on_rule_order():
    """Every permutation of the same effects gives the same score and the same rule list."""
    results = {(combine(4.0, p).score, tuple(r.id for r in combine(4.0, p).rules)) for p in itertools.permutations(EFFECTS)}
    assert results == {(2.75, ("a", "b", "c", "d", "e"))}


@pytest.mark.parametrize("delta, expected", [(10.0, 5.0), (-10.0, 0.0)])
def test_score_effects_clamp_to_the_zero_to_five_scale(delta, expected):
    """A cell never leaves 0..5, however large the deltas."""
    assert combine(3.0, [(_r("x"), Effect("score", (), "cost", delta=delta))]).score == expected


def test_facts_name_the_profile_values_the_rule_depends_on():
    """A rule's conditions are described with this profile's own values."""
    rule = Rule(
        "r",
        (
            Condition("infrastructure.kubernetes", "in", ["none"]),
            Condition("team.kubernetes_skill", "in", ["none", "basic"]),
            Condition("team.size", "max", 5),
            Condition("infrastructure.air_gapped", "is", False),
            Condition("infrastructure.clouds", "contains", "aws"),
        ),
        (),
        "",
        (),
    )
    assert describe_facts(PROFILE, rule) == (
        "Kubernetes 'none' and Kubernetes skill 'basic' and team size 3 and not air-gapped and clouds aws, gcp"
    )


def test_fired_rules_are_sorted_by_id_whatever_the_file_order():
    """Reports list fired rules by id, so reordering rules.yaml changes nothing."""
    kb = make_kb()
    reordered = make_kb(rules=tuple(reversed(kb.rules)))
    assert [r.id for r in fired_rules(PROFILE, kb)] == [r.id for r in fired_rules(PROFILE, reordered)]
    assert [r.id for r in fired_rules(PROFILE, kb)] == sorted(r.id for r in fired_rules(PROFILE, kb))


def test_evaluate_rules_indexes_scores_weights_and_knockouts():
    """Fired effects are grouped per cell, per criterion weight and per excluded framework."""
    outcome = evaluate_rules(PROFILE, make_kb(), ["kubeflow", "mlflow", "azure_ml", "wandb"])
    assert [r.id for r, _ in outcome.score_effects[("kubeflow", "operational_overhead")]] == ["no-kubernetes-skill"]
    assert ("mlflow", "operational_overhead") not in outcome.score_effects
    assert sorted(outcome.weight_factors) == ["ease_of_use", "operational_overhead", "tool_fit"]  # tool_fit: no current tools
    assert [r.id for r in outcome.knockouts["azure_ml"]] == ["no-azure"]
    assert "wandb" not in outcome.knockouts


def test_a_limit_bounds_the_level_after_the_deltas_and_alone_explains_it():
    """A limit applies after every delta, so no bonus lifts the cell over it, and only the limiting rule is kept."""
    limit = (_r("z"), Effect("score", (), "cost", limit=0.0))
    got = combine(2.0, [EFFECTS[0], limit])  # 2 + 1 would be 3
    assert (got.score, tuple(r.id for r in got.rules)) == (0.0, ("z",))
    higher = (_r("y"), Effect("score", (), "cost", limit=4.0))
    assert combine(2.0, [EFFECTS[0], higher]).score == 3.0  # a limit above the level changes nothing
    assert tuple(r.id for r in combine(2.0, [EFFECTS[0], higher]).rules) == ("a", "y")


def test_a_fact_and_a_wish_at_the_same_limit_are_explained_by_the_fact_alone():
    """When a fact and a preference both limit a cell to the same level, the fact explains it; the wish alone would."""
    fact = (_r("fact"), Effect("score", (), "cost", limit=0.0))
    wish = (Rule("wish", (), (), "reason wish", ("src-wish",), kind="preference"), Effect("score", (), "cost", limit=0.0))
    assert tuple(r.id for r in combine(3.0, [fact, wish]).rules) == ("fact",)
    assert tuple(r.id for r in combine(3.0, [EFFECTS[0], wish]).rules) == ("wish",)
