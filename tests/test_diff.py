"""`briefgen diff A B`: the input that changed is named as the cause, and the exit code says whether the pick moved."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli, main
from generator.scoring.provenance import flatten

DATA = Path(__file__).resolve().parent.parent / "data"
FRAUD = DATA / "profiles" / "aws-fraud-detection.yaml"
STARTUP = DATA / "profiles" / "startup-no-kubernetes.yaml"
KEEP_AIRFLOW = DATA / "profiles" / "keep-airflow-data-eng.yaml"


def _edited(tmp_path: Path, source: Path, pattern: str, replacement: str, name: str = "b.yaml") -> Path:
    text, count = re.subn(pattern, replacement, source.read_text(encoding="utf-8"), flags=re.M)
    assert count == 1
    out = tmp_path / name
    out.write_text(text, encoding="utf-8")
    return out


def _diff(*args) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["diff", *map(str, args), "--json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def test_a_changed_cloud_is_named_and_changes_the_pick(tmp_path):
    code, d = _diff(FRAUD, _edited(tmp_path, FRAUD, r"clouds: \[aws\]", "clouds: [gcp]"))
    assert code == 1 and d["changed"] and d["cause"] == "profile"
    assert d["inputs"] == [{"path": "infrastructure.clouds", "before": ["aws"], "after": ["gcp"]}]
    assert d["recommendation"] == {"before": ["sagemaker"], "after": ["kubeflow", "mlflow"]}
    assert d["summary"] == "The recommendation changed from Amazon SageMaker AI to Kubeflow + MLflow; cause: a profile edit."


def test_a_new_must_is_named_and_changes_the_pick(tmp_path):
    b = _edited(tmp_path, STARTUP, r"^  pipeline_orchestration: \w+", "  pipeline_orchestration: must")
    code, d = _diff(STARTUP, b)
    assert code == 1 and d["cause"] == "profile"
    assert [c["path"] for c in d["inputs"]] == ["needs.pipeline_orchestration"]
    assert d["inputs"][0]["after"] == "must"
    assert any(w["criterion"] == "pipeline_orchestration" for w in d["weights"])


def test_a_must_that_the_pick_already_meets_exits_0_and_still_names_the_input(tmp_path):
    code, d = _diff(FRAUD, _edited(tmp_path, FRAUD, r"^  distributed_training: wont", "  distributed_training: must"))
    assert code == 0 and not d["changed"] and d["cause"] == "profile"
    assert [c["path"] for c in d["inputs"]] == ["needs.distributed_training"]


def test_an_open_source_constraint_is_named_and_changes_the_pick(tmp_path):
    """One constraint that knocks the pick out: its knock-out is reported beside the input."""
    b = _edited(tmp_path, FRAUD, r"open_source_only: false", "open_source_only: true")
    code, d = _diff(FRAUD, b)
    assert code == 1 and [c["path"] for c in d["inputs"]] == ["constraints.open_source_only"]
    knocked = [s for s in d["scores"] if s["framework"] == "sagemaker"]
    assert knocked and knocked[0]["knockouts_after"] and not knocked[0]["knockouts_before"]


def test_a_kept_tool_dropped_is_named_alone_and_leaves_the_pick_without_it(tmp_path):
    """Profile v2's current.keep: dropping Airflow from it drops Airflow from the pick, and that is the profile's doing."""
    b = _edited(tmp_path, KEEP_AIRFLOW, r"^  keep: \[airflow, snowflake\]", "  keep: [snowflake]")
    code, d = _diff(KEEP_AIRFLOW, b)
    assert code == 1 and d["changed"] and d["cause"] == "profile"
    assert d["inputs"] == [{"path": "current.keep", "before": ["airflow", "snowflake"], "after": ["snowflake"]}]
    assert d["knowledge"]["facts"] == []
    assert d["summary"] == "The recommendation changed from MLflow + Apache Airflow to MLflow; cause: a profile edit."
    freed = {s["framework"] for s in d["scores"] if s["knockouts_before"] and not s["knockouts_after"]}
    # ClearML and Kubeflow schedule pipelines too, but this team needs no scheduler from them: options either way.
    assert freed == set()
    lines = CliRunner().invoke(cli, ["diff", str(KEEP_AIRFLOW), str(b)]).output.splitlines()
    assert "  - Profile: current.keep changed from airflow, snowflake to snowflake." in lines
    assert not any("Knowledge base:" in line for line in lines)


def test_a_knowledge_fact_changed_through_knowledge_b_is_named_as_the_cause(tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    _edited(kb, DATA / "frameworks" / "sagemaker.yaml", r"^(  model_serving: \{level: )5", r"\g<1>1", "sagemaker.yaml")
    result = CliRunner().invoke(cli, ["diff", str(FRAUD), str(FRAUD), "--knowledge-b", str(kb)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "The recommendation changed from Amazon SageMaker AI to Kubeflow + MLflow; cause: a knowledge-base update."
    assert (
        "  - Knowledge base: Amazon SageMaker AI on model serving: level 5 became 1 "
        "(sources sagemaker-realtime, sagemaker-pricing)." in lines
    )
    assert not any("Profile:" in line for line in lines)


def test_the_same_profile_twice_is_unchanged_with_no_cause():
    code, d = _diff(FRAUD, FRAUD)
    assert code == 0 and d["cause"] == "none" and d["inputs"] == [] and d["scores"] == []


def test_saved_score_outputs_compare_like_the_profiles_they_came_from(tmp_path):
    b = _edited(tmp_path, FRAUD, r"clouds: \[aws\]", "clouds: [gcp]")
    saved = []
    for name, profile in (("a.json", FRAUD), ("b.json", b)):
        out = CliRunner().invoke(cli, ["score", str(profile), "--json"]).output
        (tmp_path / name).write_text(out, encoding="utf-8")
        saved.append(tmp_path / name)
    assert _diff(*saved) == _diff(FRAUD, b)


def _diff_edited_output(tmp_path, edit, *options):
    """Save the fraud profile's score JSON with ``edit`` applied and diff it against the profile: (file, exit code)."""
    doc = json.loads(CliRunner().invoke(cli, ["score", str(FRAUD), "--json"]).output)
    edit(doc)
    old = tmp_path / "old.json"
    old.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(old), str(FRAUD), *options])
    return old, exc.value.code


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d.update(format_version=99),
         "format_version 99 is unknown to this briefgen (it reads 1); compare it with the briefgen that wrote it"),
        (lambda d: d.pop("format_version"),
         "has no format_version, so it predates assessment provenance; "
         "re-run 'briefgen score --json' on its profile to compare it"),
        (lambda d: d.pop("ranking"), "not a briefgen assessment; give a profile or the output of 'briefgen score --json'"),
    ],
)
def test_an_output_of_unknown_format_is_refused_with_exit_2(tmp_path, capsys, edit, message):
    old, code = _diff_edited_output(tmp_path, edit)
    assert code == 2
    assert capsys.readouterr().err == f"briefgen: error: {old}: {message}\n"


def test_an_invalid_profile_is_an_error_not_a_changed_pick(tmp_path, capsys):
    bad = _edited(tmp_path, FRAUD, r"size: 9", "size: -3")
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(FRAUD), str(bad)])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "team.size" in err
    assert err.splitlines() and all(line.startswith("briefgen: error: ") for line in err.splitlines()), err


def test_an_unreadable_input_is_one_prefixed_line_and_exit_2(tmp_path, capsys):
    missing = tmp_path / "gone.yaml"
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(FRAUD), str(missing)])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert err == f"briefgen: error: {missing}: file not found\n", err


RERUN = "re-run 'briefgen score --json' on its profile to compare it"


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d.update(recommendation=[]), "recommendation must be a mapping (got [])"),
        (lambda d: d["recommendation"].update(stack="sagemaker"), 'recommendation.stack must be a list (got "sagemaker")'),
        (lambda d: d["ranking"][1].update(score="high"), 'ranking[1].score must be a number from 0 to 100 (got "high")'),
        (lambda d: d["ranking"][1].update(score=1e308), "ranking[1].score must be a number from 0 to 100 (got 1e+308)"),
        (lambda d: d["ranking"][0].update(rank=True), "ranking[0].rank must be a whole number (got true)"),
        (lambda d: d["ranking"][0].pop("framework"), "ranking[0] has no framework"),
        (lambda d: d["ranking"].append(None), "ranking[5] must be a mapping (got null)"),
        (lambda d: d["cells"]["mlflow"]["ease_of_use"].update(base=float("nan")),
         "cells.mlflow.ease_of_use.base must be a number (got NaN)"),
        (lambda d: d["cells"].update(mlflow=[]), "cells.mlflow must be a mapping (got [])"),
        (lambda d: d["weight_details"]["ease_of_use"].update(reasons=[1]),
         "weight_details.ease_of_use.reasons[0] must be text (got 1)"),
        (lambda d: d["framework_names"].update({"mlflow": None}),
         "framework_names.mlflow must be a name of at most 200 characters (got null)"),
        (lambda d: d["framework_names"].update({"mlflow": "M" * 5000}),
         'framework_names.mlflow must be a name of at most 200 characters (got "' + "M" * 38 + '…)'),
        (lambda d: d["provenance"].update(kb_version=7), "provenance.kb_version must be text (got 7)"),
        (lambda d: d.update(criterion_names={"a\x1b[31m": 5}),
         'criterion_names["a\\u001b[31m"] must be a name of at most 200 characters (got 5)'),
    ],
)
def test_a_hand_edited_output_with_a_wrong_type_names_the_field_and_exits_2(tmp_path, capsys, edit, message):
    """A saved output whose field has the wrong type is refused with that field's path, not a crash."""
    old, code = _diff_edited_output(tmp_path, edit, "-f", "md", "-o", str(tmp_path / "out"))
    assert code == 2
    assert capsys.readouterr().err == f"briefgen: error: {old}: {message}; {RERUN}\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d.update(ranking=[]), "ranking lists no framework"),
        (lambda d: d.pop("cells"), "has no cells"),
        (lambda d: d.pop("weight_details"), "has no weight_details"),
        (lambda d: d["recommendation"].update(primary="nonexistent"),
         'recommendation names "nonexistent", which the document does not list among its frameworks'),
        (lambda d: d["recommendation"].update(stack=["sagemaker", "nonexistent"]),
         'recommendation names "nonexistent", which the document does not list among its frameworks'),
        (lambda d: [w.update(value=-5) for w in d["weight_details"].values()],
         "weight_details.code_structure.value must be a number from 0 to 1 (got -5)"),
    ],
)
def test_a_damaged_output_is_refused_instead_of_reported_unchanged(tmp_path, capsys, edit, message):
    """A saved output missing a part or contradicting itself is refused (exit 2), never compared as 'unchanged'."""
    old, code = _diff_edited_output(tmp_path, edit)
    assert code == 2
    assert capsys.readouterr().err == f"briefgen: error: {old}: {message}; {RERUN}\n"


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: os.mkfifo(p), "is not a regular file"),
        (lambda p: p.symlink_to("/dev/zero"), "is not a regular file"),
        (lambda p: p.write_text("[" * 100_000), "not valid JSON (nested too deeply to be a 'briefgen score --json' output)"),
        (lambda p: p.write_bytes(b"{" + b" " * (16 << 20)), "is larger than 16384 KiB; a hand-written file this big is not supported"),
        (lambda p: p.write_text('{"a": ' + "9" * 100_000 + "}"), "not valid JSON (a number has thousands of digits)"),
    ],
    ids=["fifo", "dev-zero", "nested", "huge", "100000-digit-number"],
)
def test_an_input_that_is_no_file_or_too_deep_is_one_line_and_exit_2(tmp_path, capsys, make, message):
    """A FIFO, /dev/zero, deep nesting or a huge file is refused up front, never hanging or filling memory."""
    old = tmp_path / "old.json"
    make(old)
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(old), str(FRAUD)])
    assert exc.value.code == 2
    assert capsys.readouterr().err == f"briefgen: error: {old}: {message}\n"


def test_the_decision_update_is_written_as_pdf_and_markdown(tmp_path):
    b = _edited(tmp_path, FRAUD, r"clouds: \[aws\]", "clouds: [gcp]")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["diff", str(FRAUD), str(b), "-f", "pdf,md", "-o", str(out)])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["decision-update.md", "decision-update.pdf"]
    md = (out / "decision-update.md").read_text(encoding="utf-8")
    assert "- Profile: infrastructure.clouds changed from aws to gcp." in md
    assert (out / "decision-update.pdf").read_bytes().startswith(b"%PDF")


def test_profile_flattening_is_generic_over_nested_records_and_lists():
    """New profile fields (v2's current.keep, stakeholders) appear as dotted paths without a change."""
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Person:
        name: str
        priorities: dict

    @dataclass(frozen=True)
    class Current:
        keep: tuple

    @dataclass(frozen=True)
    class P:
        current: Current
        stakeholders: tuple
        source: str = "x.yaml"

    flat = flatten(P(Current(("airflow",)), (Person("Lead", {"cost": 9}),)))
    assert flat == {"current.keep": ["airflow"], "stakeholders.0.name": "Lead", "stakeholders.0.priorities.cost": 9}


def test_a_pick_whose_companion_is_off_the_shortlist_compares_as_a_valid_output(tmp_path):
    """A shortlist of MLflow, Kubeflow and ZenML is recommended MLflow with SageMaker AI as companion: the saved
    output names SageMaker AI outside its ranking, and is compared, not refused as damaged."""
    short = _edited(tmp_path, FRAUD, r"^frameworks: .*$", "frameworks: [mlflow, kubeflow, zenml]")
    doc = json.loads(CliRunner().invoke(cli, ["score", str(short), "--json"]).output)
    ranked = {r["framework"] for r in doc["ranking"]}
    assert set(doc["recommendation"]["stack"]) - ranked
    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps(doc), encoding="utf-8")
    code, d = _diff(saved, short)
    assert code == 0 and d["cause"] == "none"


def test_a_knowledge_folder_for_a_saved_output_is_refused_not_ignored(tmp_path, capsys):
    """--knowledge-b beside a saved output B cannot apply (it keeps the knowledge it was made with): exit 2, saying so,
    instead of "no input changed" with the folder never read."""
    saved = tmp_path / "b.json"
    saved.write_text(CliRunner().invoke(cli, ["score", str(FRAUD), "--json"]).output, encoding="utf-8")
    (tmp_path / "kb").mkdir()
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(FRAUD), str(saved), "--knowledge-b", str(tmp_path / "kb")])
    assert exc.value.code == 2
    assert capsys.readouterr().err == (
        f"briefgen: error: {saved}: a saved 'score --json' output keeps the knowledge it was made with, so --knowledge "
        "or --knowledge-b cannot apply to it; give its profile instead to score it with that knowledge\n")


def _with_changes(edit):
    """The air-gapped bank's score document and a copy with ``edit`` applied: (before, after)."""
    import copy

    bank = FRAUD.parent / "bank-onprem-airgapped.yaml"  # several frameworks knocked out
    before = json.loads(CliRunner().invoke(cli, ["score", str(bank), "--json"]).output)
    after = copy.deepcopy(before)
    edit(after)
    return before, after


def test_a_framework_out_before_and_after_is_said_to_stay_out_and_an_unprintable_weight_move_is_not_listed():
    """A new reason for a framework already knocked out is not "now knocked out"; a weight that moved by less than
    the printed shares show is no "moved from 11% to 11%" line."""
    from generator.scoring.diff import compare, consequence_sentences

    def edit(doc):
        out = next(r for r in doc["ranking"] if r["knockouts"])
        out["knockouts"] = [*out["knockouts"], "A new constraint rules it out."]
        w = doc["weight_details"]["cost"]
        w["value"] += 0.0001
        w["reasons"] = [*w["reasons"], "A reason that moved it a little."]

    before, after = _with_changes(edit)
    said = consequence_sentences(compare(before, after))
    out = next(r for r in before["ranking"] if r["knockouts"])
    name = before["framework_names"][out["framework"]]
    assert f"{name} stays knocked out, now also because: A new constraint rules it out." in said
    assert not any(f"{name} is now knocked out" in s for s in said)
    assert not any(s.startswith("The weight of cost") for s in said)


@pytest.mark.parametrize("side", ["a", "b"])
@pytest.mark.parametrize("kind", ["profile", "saved output"])
def test_standard_input_is_read_for_either_side_as_a_profile_or_a_saved_output(tmp_path, side, kind):
    """'-' reads one side from standard input, a profile or a saved output, which the update calls 'standard input'."""
    b = _edited(tmp_path, FRAUD, r"clouds: \[aws\]", "clouds: [gcp]")
    piped = b if side == "a" else FRAUD
    text = (piped.read_text(encoding="utf-8") if kind == "profile"
            else CliRunner().invoke(cli, ["score", str(piped), "--json"]).output)
    args = ["-", str(FRAUD)] if side == "a" else [str(b), "-"]
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["diff", *args, "-f", "md", "-o", str(out)], input=text)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("The recommendation changed from ")
    update = (out / "decision-update.md").read_text(encoding="utf-8")
    assert ("Before: standard input. After: " if side == "a" else ". After: standard input.\n") in update


def test_standard_input_for_both_sides_is_refused_with_exit_2(capsys):
    """'diff - -' would read nothing the second time, so it is refused before anything is read."""
    with pytest.raises(SystemExit) as exc:
        main(["diff", "-", "-"])
    assert exc.value.code == 2
    assert "'-' (standard input) can be read once; give it for one side." in capsys.readouterr().err


def test_a_broken_profile_on_standard_input_is_located_as_stdin_and_exits_2(capsys, monkeypatch):
    """A YAML error in the piped side names '<stdin>' with its line, as render and validate do."""
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"team: [\n")))
    with pytest.raises(SystemExit) as exc:
        main(["diff", "-", str(FRAUD)])
    assert exc.value.code == 2
    assert capsys.readouterr().err.startswith("briefgen: error: <stdin>:2:1: YAML syntax error")
