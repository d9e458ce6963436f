"""`briefgen score PROFILE [--json]`: the readable ranking and the JSON contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

PROFILES = sorted((Path(__file__).resolve().parent.parent / "data" / "profiles").glob("*.yaml"))


def _run(*args):
    result = CliRunner().invoke(cli, ["score", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_score_prints_the_ranking_table_then_the_recommendation(path):
    """The table has a header and one row per shortlisted framework; the recommendation sentence ends it."""
    data = json.loads(_run(path, "--json"))
    lines = _run(path).rstrip("\n").splitlines()
    assert lines[0].split() == ["Rank", "Framework", "Score", "TOPSIS", "Not", "an", "option", "alone,", "because"]
    rows = lines[1 : 1 + len(data["ranking"])]
    assert [int(r.split()[0]) for r in rows] == list(range(1, len(rows) + 1))
    assert lines[-1] == data["recommendation"]["sentence"]


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_score_json_follows_the_contract(path):
    """weights sum to 1; ranking best first with scores 0..100; recommendation and sensitivity carry their keys."""
    data = json.loads(_run(path, "--json"))
    assert abs(sum(data["weights"].values()) - 1.0) < 1e-3
    ranking = data["ranking"]
    assert [r["rank"] for r in ranking] == list(range(1, len(ranking) + 1))
    for r in ranking:
        assert set(r) >= {"framework", "rank", "score", "knocked_out", "knockouts"}
        assert 0 <= r["score"] <= 100 and isinstance(r["knockouts"], list)
        assert r["knocked_out"] == bool(r["knockouts"])
    viable = [r["knocked_out"] for r in ranking]
    assert viable == sorted(viable)  # knocked-out frameworks come last
    rec = data["recommendation"]
    assert set(rec) >= {"primary", "stack", "margin", "robustness", "reasons", "verdict", "sentence"}
    assert rec["stack"][0] == rec["primary"] and 0 <= rec["robustness"] <= 1
    sens = data["sensitivity"]
    assert set(sens) >= {"leader", "runner_up", "flips", "robustness", "samples", "seed", "distribution", "verdict"}
    assert sens["samples"] == 2000 and sens["seed"] == 20261127


def test_score_json_is_byte_stable():
    """Two runs on the same profile print the same bytes."""
    assert _run(PROFILES[0], "--json") == _run(PROFILES[0], "--json")


def test_score_of_a_missing_profile_fails_with_one_line(capsys, tmp_path):
    """A profile that cannot be read is one line on stderr and exit code 1, not a traceback."""
    from generator.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["score", str(tmp_path / "no-such-profile.yaml")])
    err = capsys.readouterr().err
    assert exc.value.code == 1
    assert "no-such-profile.yaml" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
