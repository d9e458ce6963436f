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


def test_show_json_lists_facts_with_resolved_sources():
    """`frameworks show mlflow --json` gives facts whose sources carry id, url, as_of and title."""
    result = invoke("frameworks", "show", "mlflow", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["id"] == "mlflow" and doc["kubernetes"] == "not_needed"
    assert doc["facts"], "no facts"
    for fact in doc["facts"]:
        assert fact["text"] and fact["sources"]
        for src in fact["sources"]:
            assert {"id", "url", "as_of", "title"} <= set(src)
            assert src["url"].startswith("https://")
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", src["as_of"])
    assert doc["scores"]["pipeline_orchestration"]["level"] <= 1
    assert all(c["mitigation"] for c in doc["cons"])


def test_show_text_ends_with_a_numbered_source_list():
    """The text report cites numbered sources and lists them with URL and date."""
    result = invoke("frameworks", "show", "kubeflow")
    assert result.exit_code == 0
    assert "Kubernetes: required" in result.output
    assert re.search(r"^  \[1\] .+ as of \d{4}-\d{2}-\d{2}\. https://", result.output, re.M)


def test_show_unknown_framework_is_a_usage_error_with_a_hint():
    """An unknown id exits 2 and suggests the closest known id."""
    from generator.cli import main

    with pytest.raises(SystemExit) as info:
        main(["frameworks", "show", "kubeflo"])
    assert info.value.code == 2


def test_list_json_has_every_framework_and_its_evidence_age():
    """`frameworks list --json` has all thirteen frameworks with evidence dates and a stale flag."""
    result = invoke("frameworks", "list", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert sorted(r["id"] for r in doc["frameworks"]) == sorted(FRAMEWORK_IDS)
    for row in doc["frameworks"]:
        assert row["evidence"]["newest_as_of"] and row["stale"] in (True, False)


def test_list_flags_frameworks_whose_evidence_is_older_than_max_age():
    """With today set years ahead (SOURCE_DATE_EPOCH), every framework is flagged stale."""
    env = {"SOURCE_DATE_EPOCH": "1893456000"}  # 2030-01-01
    result = invoke("frameworks", "list", "--json", "--max-age", "365", env=env)
    doc = json.loads(result.output)
    assert doc["knowledge"]["today"] == "2030-01-01"
    assert all(r["stale"] for r in doc["frameworks"])
    text = invoke("frameworks", "list", "--max-age", "365", env=env).output
    assert "STALE" in text and "13 of 13 frameworks flagged stale" in text
    fresh = invoke("frameworks", "list", "--max-age", "100000", env=env).output
    assert "0 of 13 frameworks flagged stale" in fresh


def test_knowledge_option_overrides_a_framework(tmp_path):
    """`frameworks --knowledge DIR show` reads the override instead of the bundled file."""
    text = (data_dir() / "frameworks" / "dvc.yaml").read_text(encoding="utf-8")
    (tmp_path / "dvc.yaml").write_text(text.replace("name: DVC (Data Version Control)", "name: DVC house copy"), encoding="utf-8")
    result = invoke("frameworks", "--knowledge", str(tmp_path), "show", "dvc", "--json")
    assert json.loads(result.output)["name"] == "DVC house copy"
