"""`briefgen frameworks list|show`: text and JSON reports on the knowledge base."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.profile import FRAMEWORK_IDS
from generator.resources import data_dir


@pytest.fixture(autouse=True)
def _private_parse_cache(tmp_path_factory, monkeypatch):
    """Keep the parse cache of these tests out of the user's home."""
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "kb-cache"))


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
TODAY = {"SOURCE_DATE_EPOCH": "1796083200"}  # 2026-12-01


@pytest.mark.parametrize("framework", FRAMEWORK_IDS)
def test_show_json_gives_every_fact_its_evidence_date_staleness_and_dated_sources(framework):
    """`frameworks show ID --json`: each fact has text, evidence_date (date or undated), stale and tiered, dated sources."""
    result = invoke("frameworks", "show", framework, "--json", env=TODAY)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["id"] == framework and doc["facts"]
    for fact in doc["facts"]:
        assert fact["text"] and fact["sources"] and isinstance(fact["stale"], bool)
        assert fact["evidence_date"] == "undated" or ISO.fullmatch(fact["evidence_date"])
        for src in fact["sources"]:
            assert {"id", "url", "title", "tier", "kind", "published", "retrieved"} <= set(src)
            assert src["url"].startswith("https://") and src["tier"] in ("primary", "secondary", "tertiary")
            assert src["published"] == "undated" or ISO.fullmatch(src["published"])
            assert src["kind"] in ("page", "release") and ISO.fullmatch(src["retrieved"])
        dates = [s["published"] for s in fact["sources"] if s["published"] != "undated"]
        assert fact["evidence_date"] == (max(dates) if dates else "undated")
    assert all(c["mitigation"] for c in doc["cons"])


def test_show_json_flags_an_old_fact_and_not_a_fresh_one():
    """MLflow's 2018 first-release fact is stale on 2026-12-01; its 2026 newest-version fact is not."""
    doc = json.loads(invoke("frameworks", "show", "mlflow", "--json", env=TODAY).output)
    by_topic = {f["topic"]: f for f in doc["facts"]}
    assert by_topic["first_release"]["evidence_date"] == "2018-06-05" and by_topic["first_release"]["stale"] is True
    assert by_topic["newest_version"]["evidence_date"] == "2026-10-06" and by_topic["newest_version"]["stale"] is False
    release = next(s for s in by_topic["newest_version"]["sources"] if s["id"] == "mlflow-3-17-release")
    assert release == {**release, "kind": "release", "published": "2026-10-06", "retrieved": "2026-12-01"}
    assert doc["pricing"]["model"] == "open_source" and doc["laptop"] == "local"
    assert doc["performance"]["overhead"]["sources"][0]["id"] == "utm-benchmark"


def test_show_text_marks_stale_facts_and_lists_sources_with_tier_and_dates():
    """Stale facts say STALE with their evidence date; sources print tier, own date and retrieval date."""
    out = invoke("frameworks", "show", "kubeflow", env=TODAY).output
    assert "Kubernetes: required" in out
    assert re.search(r"\(STALE: evidence 20\d\d-\d\d-\d\d\)$", out, re.M)
    assert re.search(r"\(undated, sources retrieved \d{4}-\d{2}-\d{2}\)$", out, re.M)
    assert re.search(r"^  \[1\] .+; primary; (published \d{4}-\d{2}-\d{2}|undated page|released \d{4}-\d{2}-\d{2}), "
                     r"retrieved \d{4}-\d{2}-\d{2}\. https://", out, re.M)
    assert "as of" not in out


def test_show_unknown_framework_is_a_usage_error_with_a_hint():
    """An unknown id exits 2 and suggests the closest known id."""
    from generator.cli import main

    with pytest.raises(SystemExit) as info:
        main(["frameworks", "show", "kubeflo"])
    assert info.value.code == 2


@pytest.mark.parametrize("spelling", ["vertex ai", "Vertex-AI", "VERTEX_AI"])
def test_show_takes_a_framework_spelled_as_a_profile_may_spell_it(spelling):
    """A profile's frameworks list takes "vertex ai"; so does frameworks show."""
    result = invoke("frameworks", "show", spelling, "--json", env=TODAY)
    assert result.exit_code == 0 and json.loads(result.output)["id"] == "vertex_ai"


def test_list_json_counts_stale_and_undated_facts_per_framework():
    """`frameworks list --json` has all thirteen frameworks with fact, stale and undated counts."""
    doc = json.loads(invoke("frameworks", "list", "--json", env=TODAY).output)
    assert doc["knowledge"]["today"] == "2026-12-01" and doc["knowledge"]["max_age_days"] == 365
    assert sorted(r["id"] for r in doc["frameworks"]) == sorted(FRAMEWORK_IDS)
    for row in doc["frameworks"]:
        ev = row["evidence"]
        assert ev["facts"] > 0 and 0 <= ev["stale"] <= ev["facts"] and ISO.fullmatch(ev["oldest_evidence"])
    assert sum(r["evidence"]["stale"] for r in doc["frameworks"]) > 0


def test_list_flags_stale_facts_and_max_age_moves_the_line():
    """Stale facts exist today; with a huge max age none are; years ahead most are."""
    text = invoke("frameworks", "list", env=TODAY).output
    summary = re.search(r"^(\d+) of (\d+) facts stale in (\d+) of 13 frameworks; (\d+) facts undated\.", text, re.M)
    assert summary and int(summary[1]) > 0
    fresh = invoke("frameworks", "list", "--max-age", "100000", env=TODAY).output
    assert re.search(r"^0 of \d+ facts stale in 0 of 13 frameworks", fresh, re.M)
    later = json.loads(invoke("frameworks", "list", "--json", env={"SOURCE_DATE_EPOCH": "1893456000"}).output)
    assert later["knowledge"]["today"] == "2030-01-01"
    assert all(r["evidence"]["stale"] == r["evidence"]["facts"] for r in later["frameworks"])


def test_knowledge_option_overrides_a_framework(tmp_path):
    """`frameworks --knowledge DIR show` reads the override instead of the bundled file."""
    text = (data_dir() / "frameworks" / "dvc.yaml").read_text(encoding="utf-8")
    (tmp_path / "dvc.yaml").write_text(text.replace("name: DVC (Data Version Control)", "name: DVC house copy"), encoding="utf-8")
    result = invoke("frameworks", "--knowledge", str(tmp_path), "show", "dvc", "--json")
    assert json.loads(result.output)["name"] == "DVC house copy"


@pytest.mark.parametrize(("max_age", "words"), [("1", "older than 1 day on"), ("2", "older than 2 days on")])
def test_the_staleness_line_says_day_or_days_as_the_age_needs(max_age, words):
    """`frameworks list --max-age 1` reads "older than 1 day", not "1 days"."""
    result = invoke("frameworks", "list", "--max-age", max_age)
    assert result.exit_code == 0 and words in result.output
