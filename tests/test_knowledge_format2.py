"""Knowledge format 2: source tiers and dates, the new framework fields, and each rejection with its exact message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.knowledge import load_knowledge
from generator.resources import data_dir


@pytest.fixture(autouse=True)
def _private_parse_cache(tmp_path_factory, monkeypatch):
    """Keep the parse cache of these tests out of the user's home."""
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "kb-cache"))


def _bundled(name: str) -> str:
    return (data_dir() / "frameworks" / name).read_text(encoding="utf-8")


def _problems(folder: Path) -> dict[str, str]:
    """field -> message of every problem one load reports for ``folder``."""
    with pytest.raises(InputError) as info:
        load_knowledge((folder,))
    return {str(p.field): p.message for p in info.value.problems}


def _edited_tools_problems(folder: Path, old: str, new: str) -> dict[str, str]:
    """field -> message for the bundled tools.yaml with its first ``old`` replaced by ``new``, loaded from ``folder``."""
    text = (data_dir() / "tools.yaml").read_text(encoding="utf-8")
    assert old in text
    (folder / "tools.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return _problems(folder)


def _sources(folder: Path, *lines: str) -> None:
    (folder / "sources.yaml").write_text("sources:\n" + "".join(f"- {line}\n" for line in lines), encoding="utf-8")


SOURCE = 'id: s1, url: "https://docs.kedro.org/x", title: t, publisher: p'
TERTIARY = '{id: wiki-copy, url: "https://wiki.invalid-mirror.org/kedro", title: Kedro copy, publisher: a wiki, tier: tertiary, published: undated, retrieved: "2026-11-27"}'


# --- sources ----------------------------------------------------------------------------


def test_old_source_fields_are_rejected_with_a_hint_to_the_new_ones(tmp_path):
    """as_of and third_party name their replacements; tier and retrieved are then missing."""
    _sources(tmp_path, "{" + SOURCE + ', as_of: "2026-11-27", third_party: false}')
    problems = _problems(tmp_path)
    assert problems["sources[0].as_of"] == (
        "'as_of' is no longer a source field: write 'published' (the date the page states, or undated) "
        "or 'released' (a release's date), and 'retrieved' (the day you read it)"
    )
    assert problems["sources[0].third_party"] == (
        "'third_party' is no longer a source field: write 'tier' (primary, secondary or tertiary; see docs/knowledge.md)"
    )
    with pytest.raises(InputError) as info:
        load_knowledge((tmp_path,))
    on_entry = {p.message for p in info.value.problems if p.field == "sources[0]"}
    assert {"missing required key 'tier'", "missing required key 'retrieved'"} <= on_entry


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ('tier: blog, published: undated, retrieved: "2026-11-27"', "sources[0].tier",
         "'blog' is not one of primary, secondary, tertiary"),
        ('tier: primary, retrieved: "2026-11-27"', "sources[0]",
         "a source needs exactly one of 'published' (an ISO date, or undated when the page states none) "
         "and 'released' (a release's date)"),
        ('tier: primary, published: "2026-10-01", released: "2026-10-01", retrieved: "2026-11-27"', "sources[0]",
         "a source needs exactly one of 'published' (an ISO date, or undated when the page states none) "
         "and 'released' (a release's date)"),
        ('tier: primary, published: last week, retrieved: "2026-11-27"', "sources[0].published",
         "expected an ISO date YYYY-MM-DD or undated, got 'last week'"),
        ('tier: primary, published: undated, retrieved: "27/11/2026"', "sources[0].retrieved",
         "'27/11/2026' is not an ISO date YYYY-MM-DD"),
        ('tier: primary, released: "2026-12-24", retrieved: "2026-11-27"', "sources[0].released",
         "released 2026-12-24 is after retrieved 2026-11-27: a page cannot be read before it exists"),
    ],
    ids=["bad-tier", "no-date", "two-dates", "free-text-date", "bad-retrieved", "read-before-release"],
)
def test_bad_source_dates_and_tiers_are_rejected(tmp_path, fields, field, message):
    _sources(tmp_path, "{" + SOURCE + ", " + fields + "}")
    assert _problems(tmp_path)[field] == message


def test_a_valid_format_2_source_loads_with_its_dates(tmp_path):
    """published/released/retrieved are kept apart; date is the page's own date or None."""
    _sources(
        tmp_path,
        "{" + SOURCE + ', tier: secondary, published: undated, retrieved: "2026-11-27"}',
        '{id: s2, url: "https://github.com/x/y/releases/tag/v1", title: v1, publisher: p, tier: primary, '
        'released: "2026-10-06", retrieved: "2026-11-27"}',
    )
    kb = load_knowledge((tmp_path,))
    assert (kb.sources["s1"].tier, kb.sources["s1"].published, kb.sources["s1"].date) == ("secondary", "undated", None)
    assert (kb.sources["s2"].released, kb.sources["s2"].published, kb.sources["s2"].date) == ("2026-10-06", "", "2026-10-06")


# --- tertiary sources never stand alone ------------------------------------------------------


def _kedro_with(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = _bundled("kedro.yaml")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    (tmp_path / "kedro.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(f"sources:\n- {TERTIARY}\n", encoding="utf-8")
    return tmp_path


def test_a_statement_backed_only_by_tertiary_sources_is_rejected_with_its_file_line_and_text(tmp_path):
    pro = "with nothing to operate.\", criteria: [ease_of_use, operational_overhead], sources: [kedro-readme]}"
    folder = _kedro_with(tmp_path, (pro, pro.replace("[kedro-readme]", "[wiki-copy]")))
    with pytest.raises(InputError) as info:
        load_knowledge((folder,))
    (problem,) = info.value.problems
    assert problem.file.endswith("kedro.yaml") and problem.field == "pros[0]"
    assert "[wiki-copy]" in (folder / "kedro.yaml").read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert problem.message == (
        "every source of this statement is tertiary (wiki-copy): 'Gives data-science code a maintainable structure "
        "(templates, catalog, tests) ...'; add a primary or secondary source that supports it, or drop it"
    )


def test_a_tertiary_source_beside_a_primary_one_is_accepted(tmp_path):
    pro = "with nothing to operate.\", criteria: [ease_of_use, operational_overhead], sources: [kedro-readme]}"
    folder = _kedro_with(tmp_path, (pro, pro.replace("[kedro-readme]", "[kedro-readme, wiki-copy]")))
    assert "wiki-copy" in load_knowledge((folder,)).frameworks["kedro"].pros[0].sources


def test_a_rule_backed_only_by_tertiary_sources_is_rejected(tmp_path):
    (tmp_path / "sources.yaml").write_text(f"sources:\n- {TERTIARY}\n", encoding="utf-8")
    (tmp_path / "rules.yaml").write_text(
        "rules:\n- id: house-rule\n  when:\n  - {field: team.size, max: 3}\n  then:\n"
        "  - weight: {criterion: cost, factor: 2}\n  reason: Small teams watch cost.\n  sources: [wiki-copy]\n",
        encoding="utf-8",
    )
    assert _problems(tmp_path)["rules[0]"] == (
        "every source of this statement is tertiary (wiki-copy): 'Small teams watch cost.'; "
        "add a primary or secondary source that supports it, or drop it"
    )


# --- framework fields -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("laptop: {value: local,", "laptop: {value: true,", "laptop.value",
         "laptop is one of local, local_cluster, none since knowledge format 2, not true "
         "(see docs/knowledge.md for the one definition)"),
        ("value: [laptop, vms,", "value: [laptop, gpu_cloud,", "compute.value[1]",
         "'gpu_cloud' is not one of laptop, vms, kubernetes, slurm, databricks, cloud_ml, serverless_batch"),
        ("value: [data_scientists, ml_engineers]", "value: [data_scientists, ml_engineers, researchers]",
         "designed_for.value", "name at most 2 values, the most central first (got 3)"),
        ("model: open_source", "model: freemium", "pricing.model",
         "'freemium' is not one of open_source, open_core, per_seat_saas, pay_per_use_cloud"),
        ("  open_source: none\n", "  open_source: partial\n", "multi_tenancy.open_source",
         "'partial' is not one of none, basic, full"),
        ("saas: {value: false,", "saas: {value: no,", "saas.value", "expected true or false, got 'no'"),
        ("  spark: {how: integrates,", "  sprak: {how: integrates,", "works_with.sprak",
         "unknown tool 'sprak'; did you mean 'spark'?"),
        ("  jupyter: {how: integrates, support: native,", "  jupyter: {how: embeds, support: native,",
         "works_with.jupyter.how", "'embeds' is not one of runs_on, orchestrated_by, orchestrates, integrates"),
        ("  cost: {level: 5,", "  performance: {level: 3, rationale: fast, sources: [kedro-readme]}\n  cost: {level: 5,",
         "scores.performance",
         "performance is not scored: write its sourced notes under 'performance:' "
         "(overhead and/or latency: {text, sources}) instead"),
        ("\npricing:\n", "\nprice:\n", "price", "unknown key 'price'; did you mean 'pricing'?"),
        ("  spark: {how: integrates, support: native,", "  spark: {how: integrates, support: native, carries_over: '',",
         "works_with.spark.carries_over", "expected non-empty text, got empty text"),
    ],
    ids=["laptop-bool", "compute", "designed-for", "pricing", "tenancy", "saas", "works-with-tool", "works-with-how",
         "performance-score", "misspelt-field", "carries-over-empty"],
)
def test_new_framework_fields_are_validated(tmp_path, old, new, field, message):
    _kedro_with(tmp_path, (old, new))
    assert _problems(tmp_path)[field] == message


def test_new_fields_load_into_the_record(tmp_path):
    kb = load_knowledge()
    kedro, flyte = kb.frameworks["kedro"], kb.frameworks["flyte"]
    assert kedro.laptop == "local" and "databricks" in kedro.compute and kedro.designed_for[0] == "data_scientists"
    assert (kedro.pricing, kedro.saas, kedro.self_hosted, kedro.multi_tenancy) == ("open_source", False, True, "none")
    assert kedro.works_with["airflow"].how == "orchestrated_by" and kedro.works_with["airflow"].support == "plugin"
    assert (flyte.multi_tenancy, flyte.multi_tenancy_open_source) == ("full", "basic")
    assert "latency" in flyte.performance and not kedro.performance


# --- rules and criteria ------------------------------------------------------------------------


def _rule(tmp_path: Path, effect: str) -> dict[str, str]:
    (tmp_path / "rules.yaml").write_text(
        "rules:\n- id: r\n  when:\n  - {field: team.size, max: 3}\n  then:\n"
        f"  - {effect}\n  reason: Because.\n  sources: [mlflow-readme]\n",
        encoding="utf-8",
    )
    return _problems(tmp_path)


def test_a_rule_selecting_laptop_true_or_false_names_the_three_values(tmp_path):
    problems = _rule(tmp_path, "score: {select: {laptop: false}, criterion: cost, cap: 1}")
    assert problems["rules[0].then[0].score.select.laptop"] == (
        "laptop is one of local, local_cluster, none since knowledge format 2, not false; "
        "e.g. {laptop: none} or {laptop: [local_cluster, none]}"
    )


def test_a_rule_cannot_weigh_or_score_performance(tmp_path):
    problems = _rule(tmp_path, "weight: {criterion: performance, factor: 2}")
    assert problems["rules[0].then[0].weight.criterion"] == (
        "performance is a note criterion (sourced text, never scored or weighted); a rule cannot change its score or weight"
    )


@pytest.mark.parametrize(
    ("select", "matches"),
    [
        ({"laptop": ("local_cluster", "none")}, {"kubeflow", "flyte", "clearml", "wandb", "vertex_ai", "sagemaker", "azure_ml"}),
        ({"compute": "slurm"}, None),
        ({"designed_for": "platform_teams"}, None),
        ({"pricing": "per_seat_saas"}, {"wandb"}),
        ({"saas": False}, {"kedro", "dvc"}),
        ({"multi_tenancy": "none"}, {"kedro", "dvc"}),
    ],
    ids=["laptop", "compute", "designed_for", "pricing", "saas", "multi_tenancy"],
)
def test_new_attributes_select_frameworks_in_rules(select, matches):
    """List attributes match when the list contains the value; scalar ones when equal."""
    from generator.knowledge import Effect
    from generator.scoring.rules import selects

    kb = load_knowledge()
    chosen = {fid for fid, fw in kb.frameworks.items() if selects(Effect("knockout", select), fw)}
    attr, wanted = next(iter(select.items()))
    expected = matches if matches is not None else {
        fid for fid, fw in kb.frameworks.items() if wanted in getattr(fw, attr)
    }
    assert chosen == expected and chosen


def test_performance_must_be_a_note_in_criteria_yaml(tmp_path):
    text = (data_dir() / "criteria.yaml").read_text(encoding="utf-8")
    text = text.replace("- id: performance\n  name: Performance\n  kind: note\n",
                        "- id: performance\n  name: Performance\n  kind: quality\n  default_weight: 1\n")
    (tmp_path / "criteria.yaml").write_text(text, encoding="utf-8")
    problems = _problems(tmp_path)
    assert next(m for f, m in problems.items() if f.endswith(".kind")) == "performance is a note, not 'quality'"
    assert next(m for f, m in problems.items() if f.endswith(".default_weight")) == (
        "performance is a note criterion: it is never weighted; remove default_weight"
    )


# --- dates of the real base -----------------------------------------------------------------------


def test_a_fact_whose_sources_date_from_2022_is_stale_and_one_from_2026_is_not():
    kb = load_knowledge()
    facts = [f for fw in kb.frameworks.values() for f in fw.all_facts()]
    old = [f for f in facts if f.evidence_date and f.evidence_date.startswith("2022")]
    new = [f for f in facts if f.evidence_date and f.evidence_date.startswith("2026-1")]
    assert old and new
    assert all(kb.is_stale(f, "2026-12-01") for f in old)
    assert not any(kb.is_stale(f, "2026-12-01") for f in new)


def test_knowledge_as_of_is_the_newest_retrieval_and_evidence_as_of_the_newest_stated_date():
    kb = load_knowledge()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", kb.as_of) and kb.evidence_as_of <= kb.as_of
    assert kb.as_of == max(s.retrieved for s in kb.sources.values())


def _preference_rule(tmp_path: Path, kind: str, effect: str) -> dict[str, str]:
    (tmp_path / "rules.yaml").write_text(
        f"rules:\n- id: r\n  kind: {kind}\n  when:\n  - {{field: constraints.lock_in, is: avoid}}\n  then:\n"
        f"  - {effect}\n  reason: Because.\n  sources: [mlflow-readme]\n",
        encoding="utf-8",
    )
    return _problems(tmp_path)


@pytest.mark.parametrize(
    ("effect", "message"),
    [
        ("knockout: {select: {hosting: managed}}",
         "a preference rule cannot knock a framework out: only facts and hard constraints rule out; a preference "
         "lowers scores or weights"),
        ("score: {select: {hosting: managed}, criterion: model_registry, delta: -1}",
         "a preference rule cannot move the capability model_registry: its level decides whether a must-have is "
         "met, which only facts may decide"),
    ],
    ids=["knockout", "capability"],
)
def test_a_preference_rule_cannot_rule_a_framework_out(tmp_path, effect, message):
    """A rule marked as a preference may lower scores and move weights, never knock out or decide a must-have."""
    assert _preference_rule(tmp_path, "preference", effect)["rules[0].kind"] == message


def test_a_rule_kind_is_a_fact_or_a_preference(tmp_path):
    """Any other kind is rejected with the two allowed."""
    problems = _preference_rule(tmp_path, "wish", "weight: {criterion: cost, factor: 2}")
    assert problems["rules[0].kind"] == "'wish' is not one of fact, preference"


def test_the_bundled_rules_that_rest_on_a_wish_are_marked_as_preferences():
    """Preferring managed services, avoiding lock-in and a goal are wishes; hard constraints and facts are not."""
    kb = load_knowledge()
    assert sorted(r.id for r in kb.rules if r.preference) == ["developer-loop-local", "lock-in-avoided", "managed-preferred"]
    kinds = {r.id: r.kind for r in kb.rules}
    for hard in ("air-gapped", "managed-forbidden", "saas-not-allowed", "open-source-only", "workstations-only-no-saas"):
        assert kinds[hard] == "fact"


@pytest.mark.parametrize(
    "value, allow_empty, message",
    [
        ({"id": "x"}, True, "expected a list of rules, got a mapping"),
        ([], False, "expected a non-empty list of rules, got an empty list"),
        (None, False, "expected a non-empty list of rules, got nothing"),
    ],
)
def test_a_knowledge_list_that_is_not_one_is_reported_once_and_read_as_empty(value, allow_empty, message):
    """Every list in a knowledge file is opened the same way: a wrong shape gives one problem at its path and no items."""
    from generator.knowledge.checker import Checker, Doc

    problems: list = []
    ck = Checker(Doc("rules.yaml", {}, {("rules",): (3, 1)}), problems)
    assert ck.items(value, ("rules",), "rules", allow_empty=allow_empty) == []
    assert [(p.line, p.message) for p in problems] == [(3, message)]
    assert Checker(Doc("rules.yaml", {}, {}), problems).items([1], ("rules",), "rules") == [1]


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("    roles: [compute]\n    does:\n      distributed_training:", "    roles: [compue]\n    does:\n      distributed_training:",
         "tools.slurm.roles[0]",
         "'compue' is not one of orchestration, tracking, registry, serving, data_versioning, notebooks, tuning, compute, "
         "data_processing, code_versioning, transformation, feature_store, warehouse (did you mean 'compute'?)"),
        ("  tuning: hyperparameter_tuning", "  tunin: hyperparameter_tuning", "role_capability.tunin",
         "no tool plays the role 'tunin'; check its spelling"),
        ("roles: [notebooks]", "roles: [notebooks, notebooks]", "tools.jupyter.roles[1]", "role 'notebooks' is listed twice"),
    ],
    ids=["misspelt-role", "misspelt-role-capability", "role-twice"],
)
def test_a_misspelt_tool_role_is_reported_not_silently_scored(tmp_path, old, new, field, message):
    """An edited tools.yaml whose role is misspelt would drop a tool's exclusive role and move every framework's fit."""
    assert _edited_tools_problems(tmp_path, old, new)[field] == message


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("sources: [slurm-srun]}", "sources: [slurm-srun], topic: scheduling}", "tools.slurm.does.distributed_training.topic",
         "unknown key 'topic'; allowed: sources, text"),
        ("sources: [slurm-srun]}", "sources: [slurm-srun, slurm-srun]}", "tools.slurm.does.distributed_training.sources[1]",
         "source 'slurm-srun' is listed twice"),
        ("Slurm starts one job", "Slurm starts one\u200b job", "tools.slurm.does.distributed_training.text",
         "contains the invisible character U+200B at position 17 (only printable characters are allowed)"),
    ],
    ids=["topic-on-a-tool-fact", "source-twice", "zero-width-space"],
)
def test_a_tool_fact_is_checked_as_strictly_as_a_framework_fact(tmp_path, old, new, field, message):
    """What a kept tool does reaches the brief as sourced text: no stray keys, no source cited twice, nothing invisible."""
    assert _edited_tools_problems(tmp_path, old, new)[field] == message


def test_a_missing_key_is_reported_once_not_again_as_an_empty_value(tmp_path):
    """'missing required key' is the whole story: the empty value's own check does not repeat it."""
    text = (data_dir() / "tools.yaml").read_text(encoding="utf-8")
    old = "jupyter: {name: Jupyter, roles: [notebooks]}"
    assert old in text
    (tmp_path / "tools.yaml").write_text(text.replace(old, "jupyter: {roles: [notebooks]}"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_knowledge((tmp_path,))
    assert [(p.field, p.message) for p in info.value.problems] == [("tools.jupyter", "missing required key 'name'")]


@pytest.mark.parametrize(
    ("edit", "file", "field", "message"),
    [
        (("id: mlflow", "id: all"), "all.yaml", "id",
         "the id 'all' is reserved: a profile's 'frameworks: all' means every framework; choose another"),
        (("id: mlflow", "id: mlflow_copy"), "mlflow_copy.yaml", "name",
         "'MLflow' is already the name of 'mlflow'; give each framework its own name"),
        (("name: MLflow", "name: " + "Experiment tracking " * 3 + "X"), "mlflow_long.yaml", "name",
         "is 61 characters long; a framework's name heads every table and chart of the brief: keep it to at most 60 "
         "and put the rest in summary"),
    ],
    ids=["reserved-id", "same-name", "name-too-long"],
)
def test_a_framework_a_profile_could_never_pick_or_a_reader_could_not_tell_apart_is_refused(
    tmp_path, edit, file, field, message
):
    """An added framework called 'all' could never be picked alone; one named like another makes two alike rows,
    and one named in a paragraph breaks every table it heads."""
    text = (data_dir() / "frameworks" / "mlflow.yaml").read_text(encoding="utf-8")
    assert edit[0] in text
    if file == "mlflow_long.yaml":
        text = text.replace("id: mlflow", "id: mlflow_long", 1)
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / file).write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    assert _problems(tmp_path)[field] == message


@pytest.mark.parametrize(
    ("new", "message"),
    [("held_weight: 2", "2 is out of range 0..1"), ("held_weight: half", "expected a number, got 'half'")],
    ids=["above-one", "not-a-number"],
)
def test_the_weight_of_a_need_a_tool_in_use_does_is_a_factor_between_0_and_1(tmp_path, new, message):
    """A factor above 1 would raise a need because a tool already does it, the opposite of what the setting says."""
    assert _edited_tools_problems(tmp_path, "held_weight: 0.5", new)["held_weight"] == message


def test_an_added_framework_named_like_another_but_for_a_mark_that_prints_as_nothing_is_refused(tmp_path):
    """'ML\u200dflow' (a zero-width joiner inside) prints as MLflow: a second row of that name is refused."""
    text = (data_dir() / "frameworks" / "mlflow.yaml").read_text(encoding="utf-8")
    text = text.replace("id: mlflow", "id: mlflow_copy", 1).replace("name: MLflow", 'name: "ML\\u200dflow"', 1)
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "mlflow_copy.yaml").write_text(text, encoding="utf-8")
    assert _problems(tmp_path)["name"] == "'ML\\u200dflow' is already the name of 'mlflow'; give each framework its own name"
