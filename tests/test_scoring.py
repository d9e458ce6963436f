"""The scorer on the fixture knowledge base: weights, cells, knock-outs, stacks, aggregation, output."""

from __future__ import annotations

import json
import math

import pytest

from generator.cli_format import format_ranking
from generator.knowledge import Condition, Effect, Rule
from generator.scoring import assess
from generator.scoring.assess import topsis
from generator.scoring.stacks import FIT_VETO, INTEGRATION_COST, MUST_LEVEL
from generator.scoring.weights import priority_raw
from kb_fixture import RULES, framework, make_kb, make_profile

KB = make_kb()


def weights_of(a):
    return {w.criterion: w for w in a.weights}


# --- weights ---------------------------------------------------------------------------------


def test_weights_sum_to_one_and_wont_needs_weigh_nothing():
    """Normalised weights sum to 1 and a wont need gets exactly 0."""
    a = assess(make_profile(needs={"experiment_tracking": "must", "llm_ops": "wont"}), KB)
    assert math.isclose(sum(w.value for w in a.weights), 1.0)
    assert weights_of(a)["llm_ops"].value == 0.0


def test_weight_reasons_say_where_the_value_comes_from():
    """A must need, a quality default and a weight rule each leave a readable reason."""
    a = assess(make_profile(**{"team.size": 3, "constraints.time_to_value": "weeks"}), KB)
    w = weights_of(a)
    assert w["experiment_tracking"].reasons == ("Experiment tracking is a must-have need",)
    assert w["experiment_tracking"].factors == ("needs.experiment_tracking",)
    assert w["ease_of_use"].raw == pytest.approx(1.0 * 1.5 * 1.5)
    assert w["ease_of_use"].reasons == (
        "Ease of use starts from its default weight",
        "A team of five or fewer has no one to spare for running platforms.",
        "Value is expected within weeks.",
    )
    assert w["ease_of_use"].rules == ("small-team", "weeks")
    assert w["ease_of_use"].factors == ("team.size", "constraints.time_to_value")


def test_a_need_the_team_does_not_have_reads_as_a_sentence():
    """A wont need's weight reason is a plain sentence, not "is not needed need"."""
    w = weights_of(assess(make_profile(needs={"llm_ops": "wont"}), KB))
    assert w["llm_ops"].reasons == ("Llm ops is not needed",)
    assert w["llm_ops"].value == 0.0


def test_priorities_override_the_derived_weight_on_the_must_scale():
    """Priority 10 weighs as much as a must need; 0 removes the criterion; rules no longer apply to it."""
    a = assess(make_profile(**{"team.size": 3}, priorities={"ease_of_use": 10, "cost": 0}), KB)
    w = weights_of(a)
    assert w["ease_of_use"].raw == w["experiment_tracking"].raw == 4.0
    assert w["cost"].value == 0.0
    assert w["ease_of_use"].reasons[-1] == "Its priority is set to 10 of 10 (10 weighs as much as a must-have need)"
    assert w["ease_of_use"].factors[-1] == "priorities"
    assert priority_raw(5, KB) == 2.0


def test_all_zero_weights_fall_back_to_equal_weights_and_say_so():
    """If every raw weight is 0 each criterion counts equally, with a reason."""
    kb = make_kb(default_weight=0.0)
    needs = {c: "wont" for c in ("experiment_tracking", "model_registry", "pipeline_orchestration", "hyperparameter_tuning",
                                 "model_serving", "distributed_training", "notebooks", "data_versioning", "llm_ops",
                                 "governance_security")}
    a = assess(make_profile(needs=needs), kb)
    assert {round(w.value, 9) for w in a.weights} == {round(1 / len(kb.scored_criteria), 9)}
    assert len(kb.scored_criteria) == 19  # every criterion but performance, a note
    assert a.weights[0].reasons[-1] == "Every weight was 0, so all criteria count equally"


# --- cells -----------------------------------------------------------------------------------


def test_cells_moved_by_a_rule_name_the_profile_facts_and_cite_the_rule():
    """A rule-adjusted cell gives the rule's reason, which says what in the profile moved it, and no trace of the
    level before the rule ("lowered from 1 to 0.5"); the profile fields behind it are its factors, and the rule's
    sources come first, since its reason is the statement a brief cites them for."""
    p = make_profile(**{"infrastructure.kubernetes": "none", "team.kubernetes_skill": "none"})
    cell = assess(p, KB).cells[("kubeflow", "operational_overhead")]
    assert cell.score == 0.5 and cell.base == 1.0
    assert cell.rationale == (
        "A framework that requires Kubernetes needs a cluster and people to run it."
    )
    assert cell.rules == ("no-kubernetes-skill",)
    assert cell.factors == ("infrastructure.kubernetes", "team.kubernetes_skill")
    assert cell.sources == ("src-rule", "src-test")


def test_a_cell_knows_which_of_its_rules_raised_it():
    """A rule that lowered a level is not why it is high: raised_because holds only the raising rules' reasons ("" for
    a cell only lowered), so a sentence saying where a framework is stronger can quote it."""
    p = make_profile(**{"infrastructure.kubernetes": "none", "team.kubernetes_skill": "none",
                        "constraints.managed_services": "preferred"})
    cells = assess(p, KB).cells
    lowered = cells[("kubeflow", "operational_overhead")]
    assert lowered.score < lowered.base and lowered.rules and lowered.raised_because == ""
    raised = next(c for c in cells.values() if c.criterion == "operational_overhead" and c.score > c.base)
    assert raised.raised_because == "The team prefers services a vendor runs."


def test_untouched_cells_keep_the_knowledge_base_rationale():
    """Without a matching rule a cell is the base level with the base's rationale and sources."""
    cell = assess(make_profile(), KB).cells[("mlflow", "experiment_tracking")]
    assert (cell.score, cell.rationale, cell.sources, cell.rules) == (5.0, "mlflow base rationale for experiment_tracking.", ("src-test",), ())


# --- knock-outs ------------------------------------------------------------------------------


def test_hard_constraints_knock_out_but_keep_frameworks_in_the_ranking_last():
    """Air-gapped excludes SaaS and cloud services with the rule's reason; they are ranked after every viable one."""
    a = assess(make_profile(**{"infrastructure.air_gapped": True}), KB)
    out = [r for r in a.ranking if r.knocked_out]
    assert {r.framework for r in out} >= {"wandb", "sagemaker", "vertex_ai", "azure_ml"}
    assert len(a.ranking) == 13
    first_out = min(r.rank for r in out)
    assert all(r.rank < first_out for r in a.ranking if not r.knocked_out)
    wandb = next(r for r in a.ranking if r.framework == "wandb")
    assert wandb.knockouts == ("It cannot run without internet access.",)
    assert [k.factors for k in a.knockouts if k.framework == "wandb"] == [("infrastructure.air_gapped",)]


def test_an_infrastructure_fit_at_the_floor_is_a_knockout_not_a_low_score():
    """A framework the rules leave at infrastructure fit 1 or less needs infrastructure the team lacks: knocked out."""
    p = make_profile(**{"infrastructure.kubernetes": "none", "team.kubernetes_skill": "none"})
    a = assess(p, KB)
    kf = next(r for r in a.ranking if r.framework == "kubeflow")
    assert kf.knocked_out
    assert kf.knockouts == (
        "Kubeflow does not fit this team's infrastructure: a framework that requires Kubernetes needs a cluster "
        "and people to run it.",
    )
    assert all("kubeflow" not in s.frameworks for s in a.stacks)
    assert FIT_VETO == 1.0


def test_the_fit_veto_is_judged_on_facts_and_a_preference_only_lowers_the_score():
    """A preference that takes a fit to the floor lowers the score but rules nothing out (SageMaker AI, 3 less 2);
    a fact that caps a fit at 1 still rules out (Kubeflow), with a reason that names the fact and not the wish."""
    wish = Rule(
        "avoid-lock-in", (Condition("constraints.lock_in", "is", "avoid"),),
        (Effect("score", ("sagemaker", "kubeflow"), "infrastructure_fit", delta=-2),),
        "The team wants to avoid lock-in", ("src-rule",), kind="preference",
    )
    p = make_profile(**{"infrastructure.kubernetes": "none", "team.kubernetes_skill": "none",
                        "constraints.lock_in": "avoid"})
    a = assess(p, make_kb(rules=RULES + (wish,)))
    ranked = {r.framework: r for r in a.ranking}
    assert a.cells[("sagemaker", "infrastructure_fit")].score == 1.0
    assert not ranked["sagemaker"].knocked_out
    assert a.cells[("kubeflow", "infrastructure_fit")].score == 0.0
    assert ranked["kubeflow"].knockouts == (
        "Kubeflow does not fit this team's infrastructure: a framework that requires Kubernetes needs a cluster "
        "and people to run it.",
    )
    (veto,) = [k for k in a.knockouts if k.framework == "kubeflow"]
    assert "constraints.lock_in" not in veto.factors


def test_an_unmet_must_knocks_out_with_a_stated_reason():
    """A must need scored below 3 with no companion to cover it is a knock-out naming need, score and threshold."""
    a = assess(make_profile(needs={"experiment_tracking": "must", "model_serving": "must"}), KB)
    kedro = next(r for r in a.ranking if r.framework == "kedro")
    assert kedro.knocked_out
    assert kedro.knockouts == (
        "Experiment tracking is a must-have, but Kedro scores 1 of 5 on it (a must-have needs at least 3) and no "
        "usable companion covers it.",
        "Model serving is a must-have, but Kedro scores 0 of 5 on it (a must-have needs at least 3) and no usable "
        "companion covers it.",
    )
    assert [k.factors for k in a.knockouts if k.framework == "kedro"] == [("needs.experiment_tracking",), ("needs.model_serving",)]
    assert MUST_LEVEL == 3.0


def test_a_companion_covering_a_must_keeps_the_framework_but_only_as_a_stack():
    """Kubeflow's weak tracking is covered by MLflow: not knocked out, never recommended alone."""
    a = assess(make_profile(frameworks=["kubeflow", "dvc"], needs={"experiment_tracking": "must", "pipeline_orchestration": "must"}), KB)
    kf = next(r for r in a.ranking if r.framework == "kubeflow")
    assert not kf.knocked_out and kf.needs_companion == ("mlflow",)
    assert a.recommendation.stack != ("kubeflow",)


def test_partial_support_meets_a_must_alone_only_when_no_companion_does_the_job_fully():
    """Metaflow tracks runs at 3 of 5: with MLflow (5) as its documented companion the must is met only by the
    stack; without a companion that does it fully, 3 meets the must on its own."""
    profile = make_profile(frameworks=["metaflow"], needs={"experiment_tracking": "must"})
    with_mlflow = next(r for r in assess(profile, KB).ranking if r.framework == "metaflow")
    assert not with_mlflow.knocked_out and with_mlflow.needs_companion == ("mlflow",)
    fws = {f: framework(f) for f in ("metaflow", "mlflow")}
    fws["metaflow"] = framework("metaflow", companions=())
    a = assess(profile, make_kb(frameworks=fws))
    alone = next(r for r in a.ranking if r.framework == "metaflow")
    assert not alone.knocked_out and alone.needs_companion == ()
    assert a.recommendation.stack == ("metaflow",)


def test_a_framework_whose_companion_would_take_over_every_stated_need_it_does_is_no_option():
    """Metaflow meets must-have tracking only with MLflow, which tracks better: with nothing else asked for, no
    stack is built on Metaflow and it is marked as carrying no need; a should-have it does itself brings its stack back."""
    tracking_only = assess(make_profile(frameworks=["metaflow", "mlflow"], needs={"experiment_tracking": "must"}), KB)
    metaflow = next(r for r in tracking_only.ranking if r.framework == "metaflow")
    assert metaflow.needs_companion == ("mlflow",) and metaflow.carries_no_need
    assert not any("metaflow" in s.frameworks for s in tracking_only.stacks)
    assert {r["framework"]: r["carries_no_need"] for r in tracking_only.to_json()["ranking"]} == {"metaflow": True, "mlflow": False}
    with_pipelines = assess(
        make_profile(frameworks=["metaflow", "mlflow"], needs={"experiment_tracking": "must", "pipeline_orchestration": "should"}), KB
    )
    metaflow = next(r for r in with_pipelines.ranking if r.framework == "metaflow")
    assert metaflow.needs_companion == ("mlflow",) and not metaflow.carries_no_need
    assert any("metaflow" in s.frameworks for s in with_pipelines.stacks)


def test_a_companion_excluded_by_a_hard_constraint_cannot_rescue_a_must():
    """If the only companion covering a must is itself knocked out by a rule, the framework is knocked out."""
    rule = Rule("no-mlflow", (), (Effect("knockout", ("mlflow",)),), "MLflow is banned here", ("src-rule",))
    a = assess(make_profile(frameworks=["kubeflow"]), make_kb(rules=RULES + (rule,)))
    kf = a.ranking[0]
    assert kf.knocked_out
    assert kf.knockouts == (
        "Experiment tracking is a must-have, but Kubeflow scores 2 of 5 on it (a must-have needs at least 3) and no "
        "usable companion covers it.",
    )
    assert all("mlflow" not in s.frameworks for s in a.stacks)


@pytest.mark.parametrize(("overrides", "sentence"), [
    ({"current.replacing": ["mlflow"], "frameworks": ["mlflow"]},
     "No framework on the shortlist is viable: it is ruled out by the team's plan to replace it, so nothing is "
     "recommended; widen the shortlist."),
    ({"needs.experiment_tracking": "must", "constraints.open_source_only": True, "frameworks": ["kubeflow", "wandb"]},
     "No framework on the shortlist is viable: every one is ruled out by a hard constraint or doing none of the "
     "team's must- or should-have needs, so nothing is recommended; relax a constraint or widen the shortlist."),
], ids=["replaced", "constraint-and-idle"])
def test_the_no_option_sentence_names_only_the_causes_there_are_and_their_fixes(overrides, sentence):
    """A shortlist ruled out by the team's own replacement plan is not blamed on constraints or must-have needs it
    does not have, and gets only the fixes that could bring an option back."""
    frameworks = overrides.pop("frameworks")
    a = assess(make_profile(frameworks=frameworks, **overrides), KB)
    assert a.recommendation.sentence == sentence


def test_when_every_framework_is_knocked_out_nothing_is_recommended():
    """No viable option: verdict none_viable, no primary, a plain sentence, the JSON contract still holds."""
    a = assess(make_profile(frameworks=["wandb", "sagemaker"], **{"constraints.open_source_only": True}), KB)
    rec = a.recommendation
    assert (rec.primary, rec.stack, rec.verdict, rec.margin, rec.robustness) == ("", (), "none_viable", 0.0, 0.0)
    assert rec.sentence == (
        "No framework on the shortlist is viable: every one is ruled out by a hard constraint, so nothing is "
        "recommended; relax a constraint or widen the shortlist."
    )
    assert rec.reasons == (
        "SageMaker AI: only open-source software may be used.",
        "W&B: only open-source software may be used.",
    )
    data = a.to_json()
    assert data["recommendation"]["primary"] is None and data["recommendation"]["stack"] == []
    assert [r["knocked_out"] for r in data["ranking"]] == [True, True]
    assert data["sensitivity"]["verdict"] == "none_viable"


def test_a_single_viable_option_is_recommended_without_a_margin():
    """One option left: verdict only_viable, margin 0, robustness 1, and the sentence says why."""
    a = assess(make_profile(frameworks=["mlflow", "wandb"], **{"constraints.open_source_only": True}), KB)
    rec = a.recommendation
    assert (rec.primary, rec.verdict, rec.margin, rec.robustness) == ("mlflow", "only_viable", 0.0, 1.0)
    assert rec.sentence == (
        "Recommend MLflow: it is the only option on the shortlist that meets every must-have need and hard constraint "
        "(65.7 of 100), so there is nothing to weigh it against."
    )


# --- stacks ----------------------------------------------------------------------------------


STACK_PROFILE = dict(
    frameworks=["kubeflow", "mlflow"],
    needs={"experiment_tracking": "must", "pipeline_orchestration": "must", "model_registry": "should"},
)


def test_a_stack_takes_the_best_part_on_what_each_part_covers():
    """MLflow + Kubeflow: MLflow's tracking and registry, Kubeflow's orchestration, an integration cost on effort."""
    a = assess(make_profile(**STACK_PROFILE), KB)
    stack = next(s for s in a.stacks if set(s.frameworks) == {"kubeflow", "mlflow"})
    assert [(p.framework, "experiment_tracking" in p.covers, "pipeline_orchestration" in p.covers) for p in stack.parts] == [
        ("mlflow", True, False),
        ("kubeflow", False, True),
    ]
    # LLM ops: it does that job too; the shared qualities and security are the main framework's, MLflow's
    assert stack.parts[0].covers == (
        "experiment_tracking", "model_registry", "llm_ops", "governance_security", "scalability", "ecosystem",
        "community_maturity", "code_structure", "tool_fit",
    )
    assert stack.reason == (
        "MLflow covers experiment tracking for Kubeflow (experiment tracking 5 of 5 instead of 2): MLflow fills Kubeflow's "
        "gap. On ease of use and operational overhead a combination is as good as its weakest part, less 1 for working "
        "across 2 tools, and never below 0."
    )


def test_stack_effort_is_the_weakest_part_minus_the_integration_cost():
    """Ease of use of a two-tool stack = min of the parts - INTEGRATION_COST (documented constant)."""
    from generator.scoring.stacks import stack_vector

    a = assess(make_profile(**STACK_PROFILE), KB)
    comp = KB.frameworks["kubeflow"].companions[0]
    vector, owner = stack_vector("kubeflow", [comp], KB.scored_criteria, a.cells)
    i = KB.scored_criteria.index("ease_of_use")
    assert vector[i] == min(1.0, 4.0) - INTEGRATION_COST
    assert owner == {"experiment_tracking": "mlflow", "model_registry": "mlflow", "llm_ops": "mlflow"}


def test_a_companion_brings_every_capability_it_does_the_job_on_but_not_its_access_control():
    """Kubeflow with MLflow: MLflow's notebooks (4 here) come with it as its tracking does, its 2 on tuning does not
    (below 3 it does not do the job), and the stack's security stays Kubeflow's, which every user passes through."""
    from generator.scoring.stacks import stack_vector

    kb = make_kb(frameworks={
        **KB.frameworks,
        "kubeflow": framework("kubeflow", levels={"notebooks": 0, "hyperparameter_tuning": 1, "governance_security": 1}),
        "mlflow": framework("mlflow", levels={"notebooks": 4, "hyperparameter_tuning": 2, "governance_security": 5}),
    })
    a = assess(make_profile(**STACK_PROFILE), kb)
    comp = kb.frameworks["kubeflow"].companions[0]
    vector, owner = stack_vector("kubeflow", [comp], kb.scored_criteria, a.cells)
    at = {c: vector[kb.scored_criteria.index(c)] for c in ("notebooks", "hyperparameter_tuning", "governance_security")}
    assert at == {"notebooks": 4.0, "hyperparameter_tuning": 1.0, "governance_security": 1.0}
    assert owner.get("notebooks") == "mlflow" and "governance_security" not in owner


def test_a_kept_part_does_not_drag_the_stack_on_what_the_team_has_already_paid():
    """Kubeflow beside a kept MLflow: ease of use, running cost and licence cost are Kubeflow's alone (the team already
    knows and runs MLflow), less the integration cost; a part the team does not keep still counts as the weakest."""
    from generator.scoring.stacks import stack_vector

    kb = make_kb(frameworks={
        **KB.frameworks,
        "mlflow": framework("mlflow", levels={"ease_of_use": 1, "operational_overhead": 1, "cost": 1}),
        "kubeflow": framework("kubeflow", levels={"ease_of_use": 4, "operational_overhead": 4, "cost": 4}),
    })
    a = assess(make_profile(**STACK_PROFILE), kb)
    comp = kb.frameworks["kubeflow"].companions[0]
    crit = kb.scored_criteria

    def levels(kept):
        vector, _ = stack_vector("kubeflow", [comp], crit, a.cells, kept)
        return [vector[crit.index(c)] for c in ("ease_of_use", "operational_overhead", "cost")]

    assert levels(("mlflow",)) == [4 - INTEGRATION_COST, 4 - INTEGRATION_COST, 4]
    assert levels(()) == [1 - INTEGRATION_COST, 1 - INTEGRATION_COST, 1]


def test_the_integration_cost_stops_at_the_floor_of_the_scale():
    """A stack whose weakest part scores 0 on effort stays at 0 however many tools it adds: levels are 0 to 5."""
    from generator.scoring.stacks import stack_vector

    kb = make_kb(frameworks={**KB.frameworks, "kubeflow": framework("kubeflow", levels={"operational_overhead": 0})})
    a = assess(make_profile(**STACK_PROFILE), kb)
    comps = list(kb.frameworks["kubeflow"].companions)
    vector, _ = stack_vector("kubeflow", comps, kb.scored_criteria, a.cells)
    assert len(comps) == 2 and vector[kb.scored_criteria.index("operational_overhead")] == 0.0


def test_the_best_stack_is_recommended_when_it_beats_every_single_framework():
    """Neither tool covers both musts alone; the combination is recommended and says which part covers which need."""
    a = assess(make_profile(**STACK_PROFILE), KB)
    rec = a.recommendation
    assert rec.stack == ("mlflow", "kubeflow") and rec.primary == "mlflow"
    assert rec.stack_detail is not None and rec.stack_detail.score > max(r.score for r in a.ranking)
    assert rec.sentence.startswith("Recommend MLflow with Kubeflow for pipeline orchestration")


def test_a_stack_is_named_after_the_part_that_covers_most_of_the_stated_needs():
    """MLflow does the must-have tracking and the should-have registry, Kubeflow only the orchestration must: MLflow
    leads. With orchestration the only stated need, Kubeflow leads (the qualities every part shares do not count)."""
    assert assess(make_profile(**STACK_PROFILE), KB).recommendation.stack == ("mlflow", "kubeflow")
    p = make_profile(
        frameworks=["kubeflow", "mlflow"],
        needs={"experiment_tracking": "should", "pipeline_orchestration": "must", "model_registry": "could"},
    )
    assert assess(p, KB).recommendation.stack == ("kubeflow", "mlflow")


def test_stacks_are_only_built_to_fill_must_or_should_gaps():
    """A companion whose covered needs are all could/wont does not make a stack."""
    a = assess(make_profile(frameworks=["kubeflow"], needs={"experiment_tracking": "could", "model_registry": "could"}), KB)
    assert a.stacks == ()
    assert a.recommendation.stack == ("kubeflow",)


def test_a_stack_needs_a_base_that_does_a_stated_need_itself():
    """Kubeflow with MLflow is no option when MLflow does the one stated need (tracking) and Kubeflow none; once the
    team also wants orchestration, which Kubeflow does, the combination is built."""
    only_tracking = make_profile(frameworks=["kubeflow", "mlflow"], needs={"experiment_tracking": "must"})
    assert not any(set(s.frameworks) == {"kubeflow", "mlflow"} for s in assess(only_tracking, KB).stacks)
    both = make_profile(
        frameworks=["kubeflow", "mlflow"], needs={"experiment_tracking": "must", "pipeline_orchestration": "should"}
    )
    assert any(set(s.frameworks) == {"kubeflow", "mlflow"} for s in assess(both, KB).stacks)


# --- aggregation -----------------------------------------------------------------------------


def test_weighted_sum_is_twenty_times_the_weighted_levels():
    """The total on 0..100 is 20 x sum(weight x cell)."""
    a = assess(make_profile(), KB)
    for r in a.ranking:
        expected = 20 * sum(w.value * a.cells[(r.framework, w.criterion)].score for w in a.weights)
        assert r.score == pytest.approx(expected)


def test_topsis_matches_a_hand_computed_example():
    """Vector normalisation, weighted, distance to ideal and anti-ideal: closeness = d- / (d+ + d-)."""
    alts = [(4.0, 1.0), (2.0, 3.0)]
    w = (0.5, 0.5)
    close, other = topsis(alts, [(3.0, 2.0)], w)
    n0, n1 = math.sqrt(20), math.sqrt(10)
    v = [(0.5 * 4 / n0, 0.5 * 1 / n1), (0.5 * 2 / n0, 0.5 * 3 / n1)]
    ideal = (v[0][0], v[1][1])
    anti = (v[1][0], v[0][1])

    def c(x):
        dp, dn = math.dist(x, ideal), math.dist(x, anti)
        return dn / (dp + dn)

    assert close == pytest.approx([c(v[0]), c(v[1])])
    assert other == pytest.approx([c((0.5 * 3 / n0, 0.5 * 2 / n1))])


def test_methods_agree_is_reported_with_the_topsis_leader():
    """The assessment says whether TOPSIS puts the same primary first as the weighted sum."""
    a = assess(make_profile(), KB)
    assert a.topsis_leader
    assert a.methods_agree == (a.topsis_leader.split("+")[0] == a.recommendation.primary)


# --- output ----------------------------------------------------------------------------------


def test_json_has_the_contract_keys_and_is_byte_stable():
    """to_json carries weights, ranking, recommendation and sensitivity and serialises identically twice."""
    p = make_profile(**STACK_PROFILE)
    a, b = assess(p, KB), assess(p, KB)
    data = a.to_json()
    assert {"weights", "ranking", "recommendation", "sensitivity", "cells", "knockouts", "stacks", "methods_agree",
            "kb_version"} <= set(data)
    assert set(data["ranking"][0]) >= {"framework", "rank", "score", "knocked_out", "knockouts"}
    assert set(data["recommendation"]) >= {"primary", "stack", "margin", "robustness", "reasons", "verdict", "sentence"}
    assert set(data["sensitivity"]) >= {"leader", "runner_up", "flips", "robustness", "samples", "seed", "distribution", "verdict"}
    assert math.isclose(sum(data["weights"].values()), 1.0, abs_tol=1e-3)
    dump = lambda x: json.dumps(x, sort_keys=True, indent=2)  # noqa: E731
    assert dump(data) == dump(b.to_json())


def test_reasons_are_three_to_six_sentences():
    """The recommendation carries three to six sentences, each ending with a full stop."""
    for p in (make_profile(), make_profile(**STACK_PROFILE), make_profile(**{"infrastructure.air_gapped": True})):
        reasons = assess(p, KB).recommendation.reasons
        assert 3 <= len(reasons) <= 6
        assert all(r.endswith(".") for r in reasons)


def test_format_ranking_prints_the_table_then_the_recommendation():
    """The terminal ranking is pinned: header, one row per framework, then the recommendation sentence."""
    a = assess(make_profile(frameworks=["mlflow", "metaflow", "wandb"], **{"constraints.open_source_only": True}), KB)
    lines = format_ranking(a).splitlines()
    assert lines[0] == "Rank  Framework  Score  TOPSIS  Not an option alone, because"
    assert lines[1].startswith("   1  MLflow    ")
    assert lines[2].endswith("(meets every must only with a companion: MLflow, which would take over every stated need it does: no option)")
    assert lines[3].endswith("  Only open-source software may be used.")
    assert lines[-1] == a.recommendation.sentence


def test_reasons_argue_for_the_pick_then_give_the_trade_off_and_the_rival():
    """Up to three reasons for the pick (a stack's coverage may take the third place), then the trade-off,
    then the strongest rival (the runner-up, since W&B ruled out would not have won); each names its profile
    fields. MLflow brings its LLM operations into the stack, so they are no trade-off."""
    p = make_profile(
        frameworks=["kubeflow", "mlflow", "wandb", "airflow"],
        needs={"experiment_tracking": "must", "pipeline_orchestration": "must"},
        **{"constraints.open_source_only": True},
    )
    rec = assess(p, KB).recommendation
    assert rec.sentence == (
        "Recommend Kubeflow with MLflow for experiment tracking: 78.3 of 100, 8.3 points ahead of Airflow + MLflow; "
        "it stays ahead of every other framework in 100% of 2,000 random re-weightings — a clear choice."
    )
    assert [(r.text, r.kind, r.factors) for r in rec.detail] == [
        (
            "The team rates hyperparameter tuning a could-have (nice to have) need. Kubeflow + MLflow scores 5 of 5 on "
            "hyperparameter tuning against 1 for Airflow + MLflow: kubeflow base rationale for hyperparameter_tuning.",
            "for",
            ("needs.hyperparameter_tuning",),
        ),
        (
            "The team rates distributed training a could-have (nice to have) need. Kubeflow + MLflow scores 5 of 5 on distributed "
            "training against 1 for Airflow + MLflow: kubeflow base rationale for distributed_training.",
            "for",
            ("needs.distributed_training",),
        ),
        (
            "MLflow covers experiment tracking for Kubeflow (experiment tracking 5 of 5 instead of 2): MLflow fills "
            "Kubeflow's gap.",
            "for",
            ("needs.experiment_tracking",),
        ),
        (
            "The trade-off: Airflow + MLflow is stronger on ease of use (2 of 5 against 0, worth 1.7 points of the total): "
                "airflow base rationale for "
            "ease_of_use.",
            "tradeoff",
            (),
        ),
        (
            "Airflow + MLflow comes second, 8.3 points behind; both meet every must-have need in full (experiment "
            "tracking 5 of 5, pipeline orchestration 5 of 5); what decides against it is hyperparameter tuning, where it "
            "scores 1 of 5 against 5 for Kubeflow + MLflow.",
            "rival",
            ("needs.experiment_tracking", "needs.pipeline_orchestration", "needs.hyperparameter_tuning"),
        ),
    ]
    assert rec.reasons == tuple(r.text for r in rec.detail)


def test_a_weight_rule_is_named_as_the_reason_a_criterion_decides():
    """When a weight rule raised the decisive criterion, the reason quotes that rule, not the default."""
    twin = framework("mlflow", id="twin", name="Twin", levels={"cost": 1}, companions=())
    kb = make_kb(frameworks={"mlflow": framework("mlflow", companions=()), "twin": twin})
    p = make_profile(frameworks=["mlflow", "twin"], **{"constraints.budget": "low"})
    rec = assess(p, kb).recommendation
    assert rec.reasons == (
        "The budget is low. MLflow scores 4 of 5 on cost against 1 for Twin: mlflow base rationale for cost.",
        "Twin comes second, 4.1 points behind; both meet the must-have need in full (experiment tracking 5 of 5); "
        "what decides against it is cost, where it scores 1 of 5 against 4 for MLflow.",
    )
    assert rec.detail[0].factors == ("constraints.budget",)


def test_a_companion_knocked_out_alone_is_explained_when_the_stack_uses_it():
    """MLflow fails the governance must alone, yet serves Kubeflow's tracking; the reasons say both."""
    p = make_profile(
        frameworks=["kubeflow", "mlflow"],
        needs={"experiment_tracking": "must", "pipeline_orchestration": "must", "governance_security": "must"},
    )
    a = assess(p, KB)
    assert a.recommendation.stack == ("kubeflow", "mlflow")
    assert next(r for r in a.ranking if r.framework == "mlflow").knocked_out
    assert (
        "MLflow covers experiment tracking for Kubeflow (experiment tracking 5 of 5 instead of 2): MLflow fills "
        "Kubeflow's gap. On its own MLflow is out for want of governance security; in this stack Kubeflow covers that."
    ) in a.recommendation.reasons


def test_the_verdict_is_one_enum_that_reads_and_serialises_as_its_word():
    """Verdict members compare equal to, print as and serialise as the JSON contract's words."""
    from generator.scoring import Verdict

    a = assess(make_profile(), KB)
    assert isinstance(a.recommendation.verdict, Verdict) and isinstance(a.sensitivity.verdict, Verdict)
    assert [v.value for v in Verdict] == ["clear", "leaning", "too_close", "only_viable", "none_viable"]
    assert json.dumps({"v": Verdict.TOO_CLOSE}) == '{"v": "too_close"}'
    assert f"{Verdict.CLEAR}" == str(Verdict.CLEAR) == "clear" and Verdict.CLEAR == "clear"
    assert json.loads(json.dumps(a.to_json()))["recommendation"]["verdict"] == a.recommendation.verdict


def test_an_ease_of_use_reason_says_whose_ease_it_is_and_rests_on_the_daily_users():
    """With named daily users, a reason won on ease of use says for whom and cites team.primary_users."""
    twin = framework("mlflow", id="twin", name="Twin", levels={"ease_of_use": 1}, companions=())
    kb = make_kb(frameworks={"mlflow": framework("mlflow", companions=()), "twin": twin})
    p = make_profile(frameworks=["mlflow", "twin"], **{"team.primary_users": "researchers"})
    first = assess(p, kb).recommendation.detail[0]
    assert first.text == (
        "MLflow scores 4 of 5 on ease of use for the researchers who work in it every day against 1 for Twin: "
        "mlflow base rationale for ease_of_use."
    )
    assert "team.primary_users" in first.factors
    mixed = assess(make_profile(frameworks=["mlflow", "twin"]), kb).recommendation.detail[0]
    assert "every day" not in mixed.text and "team.primary_users" not in mixed.factors


def test_a_framework_that_does_none_of_the_stated_needs_is_ruled_out_however_easy_or_cheap():
    """Distributed training and tuning are the team's only should-haves: MLflow, at 1 and 2 of 5 on them, would be
    adopted for none of the needs the team rates a must or a should, and is ruled out saying so; Kubeflow, which does
    both, is not."""
    a = assess(make_profile(needs={"distributed_training": "should", "hyperparameter_tuning": "should"}), KB)
    mlflow = next(r for r in a.ranking if r.framework == "mlflow")
    assert mlflow.knocked_out and mlflow.knockouts == (
        "MLflow does none of the team's should-have needs: it scores 2 of 5 on hyperparameter tuning and 1 on "
        "distributed training, below the 3 of 5 that counts as doing the job, so it would be adopted for none of the needs the team rates a must or a should.",
    )
    assert [k.factors for k in a.knockouts if k.framework == "mlflow"] == [
        ("needs.hyperparameter_tuning", "needs.distributed_training")
    ]
    assert not next(r for r in a.ranking if r.framework == "kubeflow").knocked_out


def test_doing_one_stated_need_is_enough_to_stay_an_option():
    """With experiment tracking a should-have beside the two, MLflow does one thing the team asked for and stays."""
    a = assess(make_profile(needs={"experiment_tracking": "should", "distributed_training": "should"}), KB)
    assert not next(r for r in a.ranking if r.framework == "mlflow").knocked_out



def test_the_weakest_part_sets_a_stacks_level_unless_the_team_already_pays_for_it():
    """On a weakest-link criterion the lowest part sets the level; a kept part's running cost and learning are paid,
    so on those the next part does; on a tie the first part (the one the stack is named after) does."""
    from generator.scoring.assessment import Cell
    from generator.scoring.stacks import weakest_part

    cells = {(f, c): Cell(f, c, s, s, "", ()) for f, c, s in [
        ("mlflow", "ease_of_use", 5.0), ("airflow", "ease_of_use", 3.0),
        ("mlflow", "infrastructure_fit", 5.0), ("airflow", "infrastructure_fit", 5.0),
    ]}
    assert weakest_part(("mlflow", "airflow"), "ease_of_use", cells) == "airflow"
    assert weakest_part(("mlflow", "airflow"), "ease_of_use", cells, kept=("airflow",)) == "mlflow"
    assert weakest_part(("mlflow", "airflow"), "infrastructure_fit", cells, kept=("airflow",)) == "mlflow"
    assert weakest_part(("airflow", "mlflow"), "infrastructure_fit", cells) == "airflow"


def test_a_quality_raised_only_by_a_rule_that_also_lowers_gives_no_weight_reason():
    """A dedicated platform team lowers running effort and raises scalability in one rule: the reason for a pick won
    on scalability does not open with that rule (it argues that something matters less), nor with "Scalability starts
    from its default weight", which is no reason at all."""
    from generator.scoring.assessment import Weight
    from generator.scoring.explain import _weight_why

    rule = "A dedicated platform team operates infrastructure, so running a heavier platform matters less."
    w = Weight("scalability", 0.05, 0.625, ("Scalability starts from its default weight", rule), ("dedicated",),
               ("team.platform_team",), lowered_by=(rule,))
    assert _weight_why(w, 0.5, frozenset({rule.rstrip(".")})) == ""
    need = Weight("notebooks", 0.05, 2.0, ("Notebooks is a should-have need",), (), ("needs.notebooks",))
    assert _weight_why(need, 2.0) == "The team rates notebooks a should-have need. "


@pytest.mark.parametrize(("stakeholders", "note"), [
    ([{"name": "Anna", "priorities": {"cost": 10}}], "Combined from the priorities of 1 stakeholder (Anna)"),
    ([{"name": "Anna", "priorities": {"cost": 10}}, {"name": "Ben", "priorities": {"cost": 0}}],
     "Combined from the priorities of 2 stakeholders (Anna, Ben) by their weighted geometric mean"),
], ids=["one", "two"])
def test_each_weight_says_whose_priorities_it_combines_in_the_number_there_are(stakeholders, note):
    """One stakeholder is "1 stakeholder", not "1 stakeholders ... by their weighted geometric mean"."""
    a = assess(make_profile(stakeholders=stakeholders), KB)
    assert all(w.reasons[-1] == note for w in a.weights)
