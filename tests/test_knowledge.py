"""The bundled knowledge base: its invariants, its corrected facts, and the loader's checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.knowledge import KnowledgeBase, load_knowledge
from generator.knowledge.model import NOTE_CRITERIA
from generator.profile import (
    CAPABILITIES,
    CRITERIA,
    FIELDS_BY_PATH,
    FRAMEWORK_IDS,
    QUALITIES,
    profile_from_mapping,
)
from generator.resources import data_dir
from generator.scoring.rules import condition_holds, rule_fires, selects


@pytest.fixture(autouse=True)
def _private_parse_cache(tmp_path_factory, monkeypatch):
    """Keep the parse cache of these tests out of the user's home."""
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "kb-cache"))


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def _bundled(name: str) -> str:
    node = data_dir()
    for part in name.split("/"):
        node = node / part
    return node.read_text(encoding="utf-8")


def _problems(extra: Path) -> list:
    with pytest.raises(InputError) as info:
        load_knowledge((extra,))
    return list(info.value.problems)


def _profile(**sections):
    base = {
        "schema_version": 1,
        "project": {"name": "t"},
        "team": {"size": 8, "kubernetes_skill": "none"},
        "infrastructure": {"kubernetes": "none"},
    }
    for key, value in sections.items():
        base.setdefault(key, {}).update(value)
    return profile_from_mapping(base)


def _knocked_out(kb: KnowledgeBase, profile) -> set[str]:
    """Frameworks the fired rules exclude, as the scorer evaluates rules (generator.scoring.rules)."""
    out = set()
    for rule in kb.rules:
        if rule_fires(profile, rule):
            for eff in rule.effects:
                if eff.kind == "knockout":
                    out |= {fid for fid, fw in kb.frameworks.items() if selects(eff, fw)}
    return out


# --- the whole base ---------------------------------------------------------------


def test_all_thirteen_frameworks_load(kb):
    """Every framework id the profile format knows has a valid entry in the bundled base."""
    assert sorted(kb.frameworks) == sorted(FRAMEWORK_IDS)
    for fid, fw in kb.frameworks.items():
        assert fw.id == fid and fw.name and fw.summary


def test_every_framework_scores_every_scored_criterion_from_0_to_5_with_sources(kb):
    """Each framework has a level 0..5, a rationale and sources for every scored criterion but the computed
    tool fit (scored per profile); none for performance, a note."""
    assert kb.scored_criteria == tuple(c for c in CRITERIA if c != "performance")
    for fw in kb.frameworks.values():
        assert list(fw.scores) == [c for c in kb.scored_criteria if c != "tool_fit"], fw.id
        for cid, score in fw.scores.items():
            assert 0 <= score.level <= 5, (fw.id, cid)
            assert score.rationale and score.sources, (fw.id, cid)


def test_every_fact_point_and_companion_cites_a_known_source(kb):
    """No statement about a framework is unsourced, and every source id resolves."""
    for fw in kb.frameworks.values():
        items = [*fw.all_facts(), *fw.pros, *fw.cons, *fw.companions, *fw.scores.values()]
        for item in items:
            assert item.sources, (fw.id, getattr(item, "text", getattr(item, "rationale", "")))
            for sid in item.sources:
                assert sid in kb.sources, (fw.id, sid)
    for rule in kb.rules:
        assert rule.sources and all(s in kb.sources for s in rule.sources), rule.id


def test_every_source_has_a_tier_a_retrieval_date_and_its_own_date_or_undated(kb):
    """Every source: https URL, a tier, an ISO retrieved date, and exactly one of published (date or undated) and released."""
    iso = re.compile(r"\d{4}-\d{2}-\d{2}")
    for s in kb.sources.values():
        assert s.url.startswith("https://"), s.id
        assert not re.search(r"example\.(com|org|net)|localhost|placeholder|todo", s.url, re.I), s.id
        assert s.tier in ("primary", "secondary", "tertiary"), s.id
        assert iso.fullmatch(s.retrieved), s.id
        assert bool(s.published) != bool(s.released), s.id
        assert s.published == "undated" or iso.fullmatch(s.published or s.released), s.id
        assert (s.date or "") <= s.retrieved, s.id
        assert s.title and s.publisher, s.id
    assert kb.as_of == max(s.retrieved for s in kb.sources.values())
    assert kb.evidence_as_of == max(s.date for s in kb.sources.values() if s.date)


def test_no_statement_rests_on_tertiary_sources_only(kb):
    """Every fact, score, pro, con, companion and rule cites at least one primary or secondary source."""
    statements = list(kb.rules)
    for fw in kb.frameworks.values():
        statements += [*fw.all_facts(), *fw.pros, *fw.cons, *fw.companions, *fw.scores.values()]
    for item in statements:
        assert any(kb.sources[s].tier != "tertiary" for s in item.sources), item


def test_every_fact_carries_the_newest_date_its_sources_state(kb):
    """A fact's evidence date is the newest published/released date of its sources, None when all are undated."""
    checked = undated = 0
    for fw in kb.frameworks.values():
        for fact in (*fw.all_facts(), *fw.pros, *fw.cons, *fw.scores.values()):
            dates = [kb.sources[s].date for s in fact.sources if kb.sources[s].date]
            assert fact.evidence_date == max(dates, default=None), fact
            checked += 1
            undated += fact.evidence_date is None
    assert checked > 500 and 0 < undated < checked


def test_newest_versions_carry_their_release_date_from_a_release_source(kb):
    """Every newest_version fact cites a release whose date is the version's date."""
    for fw in kb.frameworks.values():
        released = {kb.sources[s].released for s in fw.attribute_facts["newest_version"].sources}
        assert fw.newest_version_date in released, fw.id


def test_staleness_is_judged_per_fact_by_its_evidence_date(kb):
    """Stale facts exist; a fact dated 2019 is stale, one with a 2026 source is not, undated ones go by retrieval."""
    today = "2026-12-01"
    facts = [f for fw in kb.frameworks.values() for f in fw.all_facts()]
    assert any(kb.is_stale(f, today) for f in facts)
    mlflow = kb.frameworks["mlflow"]
    first_release = mlflow.attribute_facts["first_release"]
    assert first_release.evidence_date == "2018-06-05" and kb.is_stale(first_release, today)
    version = mlflow.attribute_facts["newest_version"]
    assert version.evidence_date == "2026-10-06" and not kb.is_stale(version, today)
    living = mlflow.attribute_facts["laptop"]
    assert living.evidence_date is None and kb.judged_date(living) == "2026-11-27"
    assert not kb.is_stale(living, today) and kb.is_stale(living, "2028-01-01")


def test_criteria_are_exactly_the_profile_criteria_with_a_documented_scale(kb):
    """criteria.yaml defines every criterion, its kind, 0 and 5, qualities' base weights and MoSCoW weights."""
    assert list(kb.criteria) == list(CRITERIA)
    for cid, c in kb.criteria.items():
        assert c.kind == ("capability" if cid in CAPABILITIES else "note" if cid in NOTE_CRITERIA else "quality")
        assert c.definition and c.low and c.high
    assert all(kb.criteria[q].default_weight > 0 for q in QUALITIES if q not in NOTE_CRITERIA)
    assert kb.criteria["performance"].default_weight == 0
    assert kb.moscow_weights["wont"] == 0
    assert kb.moscow_weights["must"] > kb.moscow_weights["should"] > kb.moscow_weights["could"] > 0
    assert "5 built in and mature" in kb.scale and kb.moscow_rationale


def test_rules_use_real_profile_fields_and_carry_a_reason(kb):
    """Every rule condition names a profile field, and every rule has a readable reason."""
    assert len({r.id for r in kb.rules}) == len(kb.rules)
    for rule in kb.rules:
        assert rule.reason.endswith(".")
        for cond in rule.when:
            assert cond.field in FIELDS_BY_PATH, (rule.id, cond.field)


def test_managed_only_platforms_name_their_cloud(kb):
    """Cloud-only platforms carry the cloud they run on; portable tools carry none."""
    assert kb.frameworks["vertex_ai"].clouds == ("gcp",)
    assert kb.frameworks["sagemaker"].clouds == ("aws",)
    assert kb.frameworks["azure_ml"].clouds == ("azure",)
    for fid in ("mlflow", "kubeflow", "airflow", "dvc"):
        assert kb.frameworks[fid].clouds == ()


# --- corrected facts (the seed article's errors must not come back) ------------------


def test_mlflow_has_no_pipeline_scheduler_of_its_own(kb):
    """MLflow scores at most 1 on orchestration (Recipes were removed in 3.0) and needs no Kubernetes."""
    mlflow = kb.frameworks["mlflow"]
    assert mlflow.scores["pipeline_orchestration"].level <= 1
    assert mlflow.kubernetes == "not_needed"
    assert mlflow.laptop == "local" and mlflow.on_prem and mlflow.air_gapped


def test_mlflow_supports_containers_and_kubernetes_deployment(kb):
    """MLflow's entry states Docker/container support and deployment to Kubernetes."""
    mlflow = kb.frameworks["mlflow"]
    texts = [f.text for f in mlflow.all_facts()] + [p.text for p in mlflow.pros]
    assert any(re.search(r"docker|container", t, re.I) for t in texts)
    assert any("Kubernetes" in t and re.search(r"deploy", t, re.I) for t in texts)
    assert not any(re.search(r"limited support for containeri", t, re.I) for t in texts + [c.text for c in mlflow.cons])


def test_mlflow_does_no_feature_engineering_or_training(kb):
    """MLflow runs no compute: distributed training only with another tool, and its entry says it does no feature engineering."""
    mlflow = kb.frameworks["mlflow"]
    training = mlflow.scores["distributed_training"]
    assert training.level <= 1 and "Runs no compute" in training.rationale
    assert any("feature engineering" in f.text for f in mlflow.facts)


def test_kubeflow_requires_kubernetes_and_runs_on_prem(kb):
    """Kubeflow needs Kubernetes, and runs on premises on any conformant cluster."""
    kubeflow = kb.frameworks["kubeflow"]
    assert kubeflow.kubernetes == "required"
    assert kubeflow.on_prem is True
    assert "conformant Kubernetes" in kubeflow.attribute_facts["on_prem"].text
    assert not any("limited support for on-prem" in c.text.lower() for c in kubeflow.cons)


def test_kubeflow_governance_is_cncf_not_google(kb):
    """Kubeflow's governance fact names the CNCF rather than Google ownership."""
    assert "CNCF" in kb.frameworks["kubeflow"].governance.text


def test_companions_fill_each_others_gaps(kb):
    """Kubeflow and Airflow name MLflow for tracking, and MLflow names schedulers for orchestration."""

    def covers(owner: str, other: str) -> set[str]:
        return {c for comp in kb.frameworks[owner].companions if comp.framework == other for c in comp.covers}

    assert "experiment_tracking" in covers("kubeflow", "mlflow")
    assert {"experiment_tracking", "model_registry"} <= covers("airflow", "mlflow")
    assert "pipeline_orchestration" in covers("mlflow", "airflow")
    assert "pipeline_orchestration" in covers("mlflow", "kubeflow")


def test_adoption_signals_are_dated_and_sourced(kb):
    """Adoption figures carry a date and a source; MLflow's cites the survey's 61%, not an unsourced 70%."""
    for fw in kb.frameworks.values():
        for fact in fw.adoption:
            assert fact.as_of and fact.sources, fw.id
    mlflow_adoption = " ".join(f.text for f in kb.frameworks["mlflow"].adoption)
    assert "61%" in mlflow_adoption
    assert "datatalks-survey-2025" in kb.frameworks["mlflow"].adoption[0].sources


def test_performance_is_sourced_notes_not_a_score(kb):
    """Overhead is noted where measured (the same benchmark for MLflow, ZenML, Metaflow); no rule weighs performance."""
    for fid, figure in (("mlflow", "1.2%"), ("zenml", "19.6%"), ("metaflow", "110%")):
        note = kb.frameworks[fid].performance["overhead"]
        assert figure in note.text and "utm-benchmark" in note.sources
    assert "latency" in kb.frameworks["kubeflow"].performance
    assert not any(e.criterion == "performance" for r in kb.rules for e in r.effects)


def test_laptop_uses_one_definition_for_all(kb):
    """Local processes, a local cluster or multi-container stack, or nothing without a cloud account."""
    by_value: dict[str, set[str]] = {}
    for fid, fw in kb.frameworks.items():
        by_value.setdefault(fw.laptop, set()).add(fid)
    assert by_value == {
        "local": {"mlflow", "metaflow", "zenml", "airflow", "kedro", "dvc"},
        "local_cluster": {"kubeflow", "flyte", "clearml"},
        "none": {"wandb", "vertex_ai", "sagemaker", "azure_ml"},
    }


def test_every_framework_has_the_decision_fields_with_sources(kb):
    """compute, designed_for, pricing, saas, self_hosted and multi_tenancy are set and sourced for all 13."""
    for fw in kb.frameworks.values():
        assert fw.compute and 1 <= len(fw.designed_for) <= 2 and fw.pricing and fw.pricing_billed, fw.id
        assert fw.multi_tenancy and fw.multi_tenancy_open_source, fw.id
        for key in ("compute", "designed_for", "pricing", "saas", "self_hosted", "multi_tenancy", "laptop"):
            assert fw.attribute_facts[key].sources, (fw.id, key)
        assert fw.works_with or fw.id == "wandb", fw.id
    assert kb.frameworks["wandb"].pricing == "per_seat_saas" and kb.frameworks["kedro"].saas is False


# --- context rules as general principles -------------------------------------------------


def test_no_kubernetes_and_little_skill_makes_kubernetes_only_tools_costly(kb):
    """Without a cluster or skills, Kubernetes-required frameworks get a cap on overhead and fit; MLflow does not."""
    profile = _profile()
    hits = {}
    for rule in kb.rules:
        if rule_fires(profile, rule):
            for eff in rule.effects:
                if eff.kind == "score":
                    for fid, fw in kb.frameworks.items():
                        if selects(eff, fw):
                            hits.setdefault(fid, set()).add((eff.criterion, eff.cap))
    assert ("operational_overhead", 1) in hits["kubeflow"] and ("infrastructure_fit", 1) in hits["kubeflow"]
    assert ("operational_overhead", 1) in hits["flyte"]
    assert not any(cap == 1 and crit == "operational_overhead" for crit, cap in hits.get("mlflow", ()))


def test_air_gapped_profile_knocks_out_cloud_services(kb):
    """An air-gapped profile excludes cloud-only platforms but keeps self-hostable ones."""
    out = _knocked_out(kb, _profile(infrastructure={"air_gapped": True, "on_prem": True}))
    assert {"vertex_ai", "sagemaker", "azure_ml"} <= out
    assert not {"mlflow", "kubeflow", "airflow", "dvc"} & out


def test_cloud_platforms_are_knocked_out_without_their_cloud(kb):
    """An AWS-only profile keeps SageMaker and excludes Vertex AI and Azure ML."""
    out = _knocked_out(kb, _profile(infrastructure={"clouds": ["aws"]}))
    assert {"vertex_ai", "azure_ml"} <= out
    assert "sagemaker" not in out


def test_open_source_only_and_no_managed_services_are_knock_outs(kb):
    """open_source_only excludes proprietary servers; forbidding managed services excludes cloud platforms."""
    out = _knocked_out(kb, _profile(infrastructure={"clouds": ["aws", "gcp", "azure"]}, constraints={"open_source_only": True}))
    assert {"clearml", "wandb", "vertex_ai", "sagemaker", "azure_ml"} <= out
    assert "mlflow" not in out and "kubeflow" not in out
    out = _knocked_out(kb, _profile(infrastructure={"clouds": ["aws", "gcp", "azure"]}, constraints={"managed_services": "forbidden"}))
    assert {"vertex_ai", "sagemaker", "azure_ml"} <= out and "mlflow" not in out


def test_weight_rules_follow_team_and_constraints(kb):
    """Small teams, tight deadlines, low budgets and big data raise the matching weights."""
    profile = _profile(team={"size": 3}, constraints={"time_to_value": "weeks", "budget": "low"},
                       workload={"data_volume": "massive", "distributed_training": True})
    factors: dict[str, float] = {}
    for rule in kb.rules:
        if rule_fires(profile, rule):
            for eff in rule.effects:
                if eff.kind == "weight":
                    factors[eff.criterion] = factors.get(eff.criterion, 1.0) * eff.factor
    for crit in ("operational_overhead", "ease_of_use", "cost", "scalability"):
        assert factors.get(crit, 1.0) > 1.0, crit
    dedicated = _profile(team={"platform_team": "dedicated"})
    assert any(rule_fires(dedicated, r) and any(e.kind == "weight" and e.criterion == "operational_overhead" and e.factor < 1
                                            for e in r.effects) for r in kb.rules)


# --- loading, caching, speed ------------------------------------------------------------------


def test_bundled_base_is_cached_per_process():
    """Loading twice in one process returns the same object, so batch scoring never reloads."""
    assert load_knowledge() is load_knowledge()
    assert load_knowledge(()) is load_knowledge([])


def test_version_is_a_stable_content_hash(kb):
    """The version is a sha256 hex digest that does not change between loads of the same files."""
    from generator.knowledge.loader import load_cached

    assert re.fullmatch(r"[0-9a-f]{64}", kb.version)
    load_cached.cache_clear()
    assert load_knowledge().version == kb.version


# --- overrides and broken copies ----------------------------------------------------------------


def test_override_dir_replaces_a_framework(tmp_path, kb):
    """A framework file in a --knowledge folder replaces the bundled one with the same id."""
    text = _bundled("frameworks/mlflow.yaml").replace("name: MLflow", "name: MLflow (house edition)")
    (tmp_path / "mlflow.yaml").write_text(text, encoding="utf-8")
    merged = load_knowledge((tmp_path,))
    assert merged.frameworks["mlflow"].name == "MLflow (house edition)"
    assert merged.frameworks["kubeflow"].name == "Kubeflow"
    assert merged.version != kb.version


def test_override_dir_can_add_a_framework_with_its_own_sources(tmp_path):
    """A new framework with its own sources.yaml loads beside the bundled thirteen."""
    text = _bundled("frameworks/dvc.yaml").replace("id: dvc", "id: lakefs").replace("name: DVC (Data Version Control)", "name: lakeFS")
    text = text.replace("[dvc-readme]", "[lakefs-docs]")
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "lakefs.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        'sources:\n- {id: lakefs-docs, url: "https://docs.lakefs.io/", title: "lakeFS docs", publisher: Treeverse, tier: primary, published: undated, retrieved: "2026-11-27"}\n',
        encoding="utf-8",
    )
    merged = load_knowledge((tmp_path,))
    assert "lakefs" in merged.frameworks and len(merged.frameworks) == 14
    assert merged.sources["lakefs-docs"].url == "https://docs.lakefs.io/"


def test_broken_framework_reports_every_problem_with_file_and_line(tmp_path):
    """Missing score, out-of-range level, unknown source and unknown companion are all reported at once."""
    text = _bundled("frameworks/mlflow.yaml")
    text = re.sub(r"\n  ecosystem: \{level: 5,[^\n]*", "", text)  # drop one criterion
    text = text.replace("cost: {level: 5,", "cost: {level: 7,")
    text = text.replace("sources: [mlflow-citation]}", "sources: [no-such-source]}", 1)
    text = text.replace("{framework: dvc, covers", "{framework: nosuchtool, covers")
    (tmp_path / "mlflow.yaml").write_text(text, encoding="utf-8")
    problems = _problems(tmp_path)
    messages = "\n".join(str(p) for p in problems)
    assert all(p.file.endswith("mlflow.yaml") and p.line for p in problems), messages
    assert "missing required key 'ecosystem'" in messages
    assert "7.0 is out of range" in messages or "7 is out of range" in messages
    assert "unknown source id 'no-such-source'" in messages
    assert "'nosuchtool' is not one of" in messages
    lines = text.splitlines()
    level = next(p for p in problems if "out of range" in p.message)
    assert "level: 7" in lines[level.line - 1]
    source = next(p for p in problems if "no-such-source" in p.message)
    assert "no-such-source" in lines[source.line - 1]


def test_duplicate_keys_and_aliases_are_refused_with_their_line(tmp_path):
    """A duplicated key or a YAML alias is an error naming the line it is on."""
    text = _bundled("frameworks/kedro.yaml").replace("name: Kedro\n", "name: Kedro\nname: Kedro again\n")
    (tmp_path / "kedro.yaml").write_text(text, encoding="utf-8")
    problems = _problems(tmp_path)
    dup = next(p for p in problems if p.message.startswith("duplicate key (first at line "))
    assert dup.field == "name"
    assert text.splitlines()[dup.line - 1].startswith("name: Kedro again")

    alias_dir = tmp_path / "alias"
    alias_dir.mkdir()
    text = _bundled("frameworks/kedro.yaml").replace("licence: {value: Apache-2.0,", "licence: &l {value: Apache-2.0,")
    text += "licence_copy: *l\n"
    (alias_dir / "kedro.yaml").write_text(text, encoding="utf-8")
    problems = _problems(alias_dir)
    alias = next(p for p in problems if p.message == "aliases (*l) are not allowed; write the value out in full")
    assert "*l" in text.splitlines()[alias.line - 1]


def test_invalid_yaml_reports_its_line(tmp_path):
    """A syntax error names the file and the line where parsing failed."""
    (tmp_path / "dvc.yaml").write_text("id: dvc\nname: [unclosed\nsummary: x\n", encoding="utf-8")
    problems = _problems(tmp_path)
    assert problems[0].file.endswith("dvc.yaml") and problems[0].line in (2, 3, 4)
    assert problems[0].message.startswith("YAML syntax error: ")


def test_bad_sources_are_reported_with_their_lines(tmp_path):
    """http, placeholder URLs, non-ISO dates and duplicate ids in sources.yaml are each reported."""
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        '- {id: s-http, url: "http://mlflow.org/docs", title: t, publisher: p, tier: primary, published: undated, retrieved: "2026-01-01"}\n'
        '- {id: s-example, url: "https://example.com/x", title: t, publisher: p, tier: primary, published: undated, retrieved: "2026-01-01"}\n'
        '- {id: s-date, url: "https://mlflow.org/a", title: t, publisher: p, tier: primary, published: undated, retrieved: "27/11/2026"}\n'
        '- {id: s-date, url: "https://mlflow.org/b", title: t, publisher: p, tier: primary, published: undated, retrieved: "2026-01-01"}\n',
        encoding="utf-8",
    )
    problems = _problems(tmp_path)
    by_line = {p.line: p.message for p in problems}
    assert "not an https URL" in by_line[2]
    assert "placeholder" in by_line[3]
    assert "not an ISO date" in by_line[4]
    assert "duplicate source id" in by_line[5]


def test_bad_rules_are_reported_with_their_lines(tmp_path):
    """Rules with unknown profile fields, impossible values or unknown criteria are rejected line by line."""
    (tmp_path / "rules.yaml").write_text(
        "rules:\n"
        "- id: bad-field\n"
        "  when:\n"
        "  - {field: team.kubernetes_skills, is: none}\n"
        "  then:\n"
        "  - weight: {criterion: cost, factor: 2}\n"
        "  reason: Bad field.\n"
        "  sources: [sculley-2015]\n"
        "- id: bad-value\n"
        "  when:\n"
        "  - {field: infrastructure.kubernetes, in: [none, someday]}\n"
        "  then:\n"
        "  - score: {select: {hosting: cloudy}, criterion: speed, delta: 1}\n"
        "  reason: Bad value.\n"
        "  sources: [sculley-2015]\n",
        encoding="utf-8",
    )
    problems = _problems(tmp_path)
    by_line: dict[int, str] = {}
    for p in problems:
        by_line[p.line] = by_line.get(p.line, "") + p.message
    assert "not a profile field" in by_line[4] and "team.kubernetes_skill" in by_line[4]
    assert "'someday' is not one of" in by_line[11]
    assert "'cloudy' is not one of" in by_line[13] and "'speed' is not one of" in by_line[13]


def test_missing_criteria_are_reported(tmp_path):
    """A criteria.yaml that leaves out a criterion or gives wont a weight is rejected."""
    text = _bundled("criteria.yaml").replace("wont: 0", "wont: 1")
    text = re.sub(r"- id: cost\n(  .*\n)+", "", text)
    (tmp_path / "criteria.yaml").write_text(text, encoding="utf-8")
    messages = "\n".join(str(p) for p in _problems(tmp_path))
    assert "criteria missing: cost" in messages
    assert "wont must weigh 0" in messages


def test_problems_in_several_files_are_reported_together(tmp_path):
    """One load reports the broken framework, the broken source and the duplicate id side by side."""
    text = _bundled("frameworks/dvc.yaml")
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "dvc.yaml").write_text(text.replace("kubernetes: {value: not_needed", "kubernetes: {value: sometimes"), encoding="utf-8")
    (tmp_path / "dvc.yaml").write_text(text, encoding="utf-8")  # a second file with the same id
    (tmp_path / "sources.yaml").write_text(
        'sources:\n- {id: bad-date, url: "https://dvc.org/doc", title: t, publisher: p, tier: primary, published: "soon", retrieved: "2026-11-27"}\n',
        encoding="utf-8",
    )
    problems = _problems(tmp_path)
    files = {Path(p.file).name for p in problems}
    assert {"dvc.yaml", "sources.yaml"} <= files
    messages = "\n".join(str(p) for p in problems)
    assert "'sometimes' is not one of" in messages
    assert "duplicate framework id 'dvc'" in messages
    assert "expected an ISO date YYYY-MM-DD or undated, got 'soon'" in messages
    assert all(p.line for p in problems), messages


def test_file_name_must_match_the_framework_id(tmp_path):
    """A framework file whose name differs from its id is reported on the id line."""
    (tmp_path / "dvc2.yaml").write_text(_bundled("frameworks/dvc.yaml"), encoding="utf-8")
    problem = next(p for p in _problems(tmp_path) if "does not match the file name" in p.message)
    assert problem.line == 1 and problem.field == "id"


def test_conditions_follow_the_documented_semantics(kb):
    """not_in on a list means no overlap, empty tests for no items, min/max on choices follow their order."""
    from generator.knowledge import Condition

    aws = _profile(infrastructure={"clouds": ["aws"], "gpus": "few"})
    none = _profile(infrastructure={"clouds": []})

    def holds(profile, *condition):
        return condition_holds(profile, Condition(*condition))

    assert holds(aws, "infrastructure.clouds", "not_in", ("gcp",))
    assert not holds(aws, "infrastructure.clouds", "not_in", ("aws", "gcp"))
    assert holds(none, "infrastructure.clouds", "empty", True)
    assert not holds(aws, "infrastructure.clouds", "empty", True)
    assert holds(aws, "infrastructure.gpus", "min", "few")
    assert not holds(aws, "infrastructure.gpus", "min", "many")
    assert holds(aws, "team.size", "max", 8) and not holds(aws, "team.size", "max", 7)


def test_version_depends_on_content_not_on_folder_location(tmp_path):
    """The same override files in two different folders give the same version; other bytes do not."""
    text = _bundled("frameworks/kedro.yaml")
    one, two, three = tmp_path / "one", tmp_path / "two", tmp_path / "three"
    for folder in (one, two, three):
        folder.mkdir()
    (one / "kedro.yaml").write_text(text, encoding="utf-8")
    (two / "kedro.yaml").write_text(text, encoding="utf-8")
    (three / "kedro.yaml").write_text(text.replace("name: Kedro", "name: Kedro!"), encoding="utf-8")
    assert load_knowledge((one,)).version == load_knowledge((two,)).version
    assert load_knowledge((one,)).version != load_knowledge((three,)).version


def test_a_backtick_in_knowledge_text_is_refused_at_its_line(tmp_path):
    """Knowledge text is printed as it is, so a Markdown code mark is an error naming the line and the fix."""
    text = _bundled("frameworks/mlflow.yaml").replace("\u2018mlflow server\u2019", "`mlflow server`", 1)
    (tmp_path / "mlflow.yaml").write_text(text, encoding="utf-8")
    problems = _problems(tmp_path)
    tick = next(p for p in problems if "without backticks" in p.message)
    assert tick.message == "is plain text shown in the brief: quote a command as \u2018python train.py\u2019, without backticks"
    assert "`mlflow server`" in text.splitlines()[tick.line - 1]


def test_an_adoption_figure_carries_a_date_its_sources_give(tmp_path):
    """A survey figure dated by the day someone read the page, while its source states another date, is refused."""
    text = _bundled("frameworks/mlflow.yaml")
    line = next(x for x in text.splitlines() if x.startswith("- {text: \"DataTalks.Club survey"))
    text = text.replace(line, line.replace('as_of: "2026-01-01"', 'as_of: "2026-11-27"'))
    (tmp_path / "mlflow.yaml").write_text(text, encoding="utf-8")
    messages = "\n".join(str(p) for p in _problems(tmp_path))
    assert "adoption[0].as_of: 2026-11-27 is no date its sources give (they state 2026-01-01, 2026-01-29; read on 2026-12-01)" in messages


def test_a_survey_share_without_its_base_is_refused(tmp_path):
    """"61% of respondents" hides that 28 of 79 answered: a survey share must say how many of how many."""
    text = _bundled("frameworks/mlflow.yaml").replace(
        "named by 17 of the 28 who answered on training and experimentation tools, and by 17 of the 26 who answered on versioning",
        "61% of surveyed practitioners use it for training",
    )
    (tmp_path / "mlflow.yaml").write_text(text, encoding="utf-8")
    messages = "\n".join(str(p) for p in _problems(tmp_path))
    assert "pros[5].text: a survey share needs its base: how many of how many answered (e.g. '17 of the 28 who answered')" in messages


def test_kubeflow_names_the_aks_distribution_as_microsofts_not_aks_itself(kb):
    """AKS is Azure's Kubernetes service: the distribution on it is Microsoft's, and the mitigation for a heavy
    install names distributions that run on more than one Kubernetes."""
    kf = kb.frameworks["kubeflow"]
    assert "Microsoft's Kubeflow distribution for Azure Kubernetes Service (AKS)" in kf.attribute_facts["hosting"].text
    con = next(c for c in kf.cons if c.text.startswith("Heavy to install and upgrade"))
    assert con.mitigation == (
        "Install only the subprojects you need, or use a vendor-maintained packaged distribution such as "
        "Canonical's Charmed Kubeflow."
    )  # not Open Data Hub: it is Red Hat's community project, not the product Red Hat supports (a reader's finding)
    assert "kubeflow-installing" in con.sources


def test_a_point_that_holds_only_for_one_way_of_hosting_says_so(kb, tmp_path):
    """Flyte's managed option is tagged as needing a managed offering (so a brief can leave it out for a team that
    may not use one), its governance pro is not; an unknown tag is refused."""
    pros = {p.text: p.requires for p in kb.frameworks["flyte"].pros}
    assert pros["A managed option from its creators (Union.ai)."] == "managed"
    assert pros["Neutral governance: a graduated LF AI & Data project."] == ""
    text = _bundled("frameworks/flyte.yaml").replace("requires: managed}", "requires: hosted}")
    (tmp_path / "flyte.yaml").write_text(text, encoding="utf-8")
    messages = "\n".join(str(p) for p in _problems(tmp_path))
    assert "pros[2].requires: 'hosted' is not one of managed, self_hosted" in messages


def test_the_large_data_rule_states_the_profile_formats_threshold(kb):
    """The profile format calls data 'large' from the top of 'medium' (1 TB) on, so the rule's reason says 1 TB."""
    import re as _re

    from generator.profile.model import FIELDS_BY_PATH

    description = FIELDS_BY_PATH["workload.data_volume"].description
    medium_top = _re.search(r"medium \(< ([^)]+)\)", description).group(1)
    rule = next(r for r in kb.rules if r.id == "large-data")
    assert f"Training data is large ({medium_top} or more)" in rule.reason
    assert medium_top == "1 TB"


@pytest.mark.parametrize("fid, owner", [("dvc", "lakeFS"), ("wandb", "CoreWeave")])
def test_a_tool_that_changed_hands_carries_that_as_a_con_a_risk_register_can_show(kb, fid, owner):
    """DVC's move to lakeFS was a risk while W&B's to CoreWeave, a GPU cloud, was not (a reader's finding): both now
    have a sourced community-maturity con naming the new owner."""
    cons = [c for c in kb.frameworks[fid].cons if owner in c.text]
    assert cons and cons[0].criteria == ("community_maturity",) and cons[0].sources and cons[0].mitigation


def test_the_criteria_a_profile_may_name_but_never_weighs_are_the_knowledge_bases_note_criteria():
    """Validation's "every criterion weight 0" leaves out the same criteria the scorer never weighs."""
    from generator.knowledge.model import NOTE_CRITERIA
    from generator.profile.model import UNWEIGHED_CRITERIA

    assert UNWEIGHED_CRITERIA == NOTE_CRITERIA
