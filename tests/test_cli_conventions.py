"""Command-line conventions: help for bare groups, one error prefix, --debug anywhere, '-' for
standard input and output, validate --json, and no escape codes where they are not understood."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli_format import ProgressBar

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "profiles" / "startup-no-kubernetes.yaml"
CORPUS = Path(__file__).resolve().parent / "invalid_profiles"


def briefgen(*args: str, stdin: bytes | None = None, cwd: Path | None = None, env: dict | None = None):
    return subprocess.run([sys.executable, "-m", "generator", *args], input=stdin, capture_output=True,
                          timeout=120, cwd=cwd, env=env)


@pytest.mark.parametrize("command", [[], ["frameworks"]], ids=["briefgen", "frameworks"])
def test_a_bare_group_prints_its_help_and_exits_0(command):
    result = briefgen(*command)
    assert result.returncode == 0
    assert result.stdout.decode().startswith("Usage: ")
    assert result.stderr == b""


def test_every_error_line_carries_the_one_prefix(tmp_path):
    """A profile with several problems: each line on stderr starts with 'briefgen: error: '."""
    result = briefgen("render", str(CORPUS / "framework-unknown.yaml"), str(tmp_path / "nope.yaml"),
                      "-o", str(tmp_path / "out"))
    lines = result.stderr.decode().splitlines()
    assert result.returncode == 1
    assert len(lines) == 2
    assert all(line.startswith("briefgen: error: ") for line in lines), lines


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_is_accepted_before_or_after_the_command(tmp_path, where):
    args = ["render", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "out")]
    result = briefgen(*(["--debug", *args] if where == "before" else [*args, "--debug"]))
    assert result.returncode != 0
    assert b"Traceback" in result.stderr


def test_validate_reads_standard_input():
    result = briefgen("validate", "-", stdin=EXAMPLE.read_bytes())
    assert (result.returncode, result.stdout, result.stderr) == (0, b"ok   -\n", b"")


def test_a_problem_in_standard_input_is_located_in_stdin():
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "\n  size: 3\n" in text
    result = briefgen("validate", "-", stdin=text.replace("\n  size: 3\n", "\n  size: -3\n").encode())
    assert result.returncode == 1
    assert result.stderr.decode().startswith("briefgen: error: <stdin>:13:9: team.size: ")


def test_score_reads_standard_input():
    from_file = briefgen("score", str(EXAMPLE), "--json")
    from_stdin = briefgen("score", "-", "--json", stdin=EXAMPLE.read_bytes())
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert json.loads(from_stdin.stdout)["recommendation"] == json.loads(from_file.stdout)["recommendation"]


def test_render_from_standard_input_names_the_brief_after_brief_output(tmp_path):
    result = briefgen("render", "-", "-f", "md", "-o", str(tmp_path), stdin=EXAMPLE.read_bytes())
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "churn-mvp.md").is_file()


def test_render_from_standard_input_takes_name(tmp_path):
    result = briefgen("render", "-", "-f", "md", "-o", str(tmp_path), "--name", "from-pipe", stdin=EXAMPLE.read_bytes())
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["from-pipe.md"]


@pytest.mark.parametrize(
    "name, problem",
    [
        ("CON", "'CON' is a reserved device name on Windows; choose another name"),
        ("q3 review", "may use only letters A-Z and a-z, digits, '.', '_' and '-', starting with a letter or digit "
                      "(got 'q3 review')"),
        ("", "may use only letters A-Z and a-z, digits, '.', '_' and '-', starting with a letter or digit (got '')"),
        ("review.pdf", "must not end with a file extension (got 'review.pdf'); briefgen adds it"),
        ("a" * 300, "is too long (at most 100 bytes)"),
        ("../../etc/x", "must be a file name without a folder (briefs go to the folder given with -o)"),
    ],
    ids=["windows-device", "space", "empty", "extension", "too-long", "path"],
)
def test_name_follows_the_rules_of_brief_output(tmp_path, name, problem):
    """--name stands in for brief.output, so a name brief.output refuses is a usage error and nothing is written."""
    result = briefgen("render", str(EXAMPLE), "-f", "md", "-o", str(tmp_path), "--name", name)
    assert result.returncode == 2
    assert result.stderr.decode() == (f"briefgen: error: Invalid value for '--name': {problem} "
                                      "(see 'briefgen render --help')\n")
    assert list(tmp_path.iterdir()) == []


def test_render_from_standard_input_without_a_name_is_refused(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("  output: churn-mvp\n", "")
    result = briefgen("render", "-", "-f", "md", "-o", str(tmp_path), stdin=text.encode())
    assert result.returncode == 2
    assert result.stderr.decode() == ("briefgen: error: a profile read from standard input needs --name NAME or "
                                      "brief.output to name its brief\n")
    assert list(tmp_path.iterdir()) == []


def test_a_relative_logo_in_a_profile_from_standard_input_is_an_error_that_says_why(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("  output: churn-mvp\n", "  output: churn-mvp\n  logo: logo.png\n")
    result = briefgen("validate", "-", stdin=text.encode())
    assert result.returncode == 1
    assert ("brief.logo: cannot be found for a profile read from standard input (a relative path needs the "
            "profile's folder); give the profile's file name instead of '-'") in result.stderr.decode()


def test_output_dash_writes_one_format_to_standard_output(tmp_path):
    result = briefgen("render", str(EXAMPLE), "-f", "pdf", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"%PDF-") and result.stdout.rstrip().endswith(b"%%EOF")
    assert list(tmp_path.iterdir()) == []  # no folder named '-'


def test_output_dash_with_several_formats_is_refused(tmp_path):
    result = briefgen("render", str(EXAMPLE), "-f", "pdf,docx", "-o", "-", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode() == ("briefgen: error: -o - writes one format to standard output, not pdf, docx; "
                                      "pick one with -f (see 'briefgen render --help')\n")
    assert result.stdout == b"" and list(tmp_path.iterdir()) == []


def test_validate_json_prints_one_object_per_file():
    result = briefgen("validate", "--json", str(EXAMPLE), str(CORPUS / "framework-unknown.yaml"))
    assert result.returncode == 1
    good, bad = (json.loads(line) for line in result.stdout.decode().splitlines())
    assert good == {"path": str(EXAMPLE), "valid": True, "problems": [], "warnings": []}
    assert bad["valid"] is False and bad["warnings"] == []
    assert bad["problems"] == [{
        "path": "frameworks[1]", "line": 30, "column": 22,
        "message": "unknown framework 'mlflw'; did you mean 'mlflow'? (known: airflow, azure_ml, clearml, dvc, "
                   "flyte, kedro, kubeflow, metaflow, mlflow, sagemaker, vertex_ai, wandb, zenml)",
    }]
    assert result.stderr == b""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("term, escapes", [("xterm-256color", True), ("dumb", False)])
def test_the_progress_bar_uses_escape_codes_only_on_a_terminal_that_is_not_dumb(monkeypatch, term, escapes):
    monkeypatch.setenv("TERM", term)
    stream = _Terminal()
    progress = ProgressBar(stream, quiet=False)
    progress.started(2)
    progress.finished_one(True)
    progress.finished_one(True)
    progress.finished()
    assert ("\x1b[" in stream.getvalue()) is escapes
    assert "2/2 briefs" in stream.getvalue()


@pytest.mark.parametrize("args", [
    ["render", "{profile}", "-o", ""],
    ["render", "{profile}", "--adr-dir", " "],
    ["render", ""],
    ["templates", "export", ""],
    ["batch", "{profile}", "-o", ""],
    ["batch", ""],
], ids=["render -o", "render --adr-dir", "render profile", "templates export", "batch -o", "batch inputs"])
def test_an_empty_path_is_refused_instead_of_meaning_the_current_folder(tmp_path, args):
    """An empty name is a slip (an unset variable), not '.': exit 2, one line, and nothing written."""
    result = briefgen(*(a.format(profile=EXAMPLE) for a in args), cwd=tmp_path)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert "is empty; give a name ('.' is the current folder)." in err and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_newline_in_a_file_name_stays_inside_its_one_error_line(tmp_path):
    """A profile named 'bad<newline>name.yaml' is one error line and one FAIL line, the newline written as \\n."""
    bad = tmp_path / "bad\nname.yaml"
    bad.write_text("team: [\n", encoding="utf-8")
    result = briefgen("validate", str(bad))
    assert result.returncode == 1
    (error,) = result.stderr.decode().splitlines()
    assert error.startswith(f"briefgen: error: {tmp_path}/bad\\nname.yaml:2:1: YAML syntax error")
    assert result.stdout.decode() == f"FAIL {tmp_path}/bad\\nname.yaml (1 problem)\n"


def test_a_newline_in_the_output_folder_stays_inside_the_written_files_line(tmp_path):
    """The list of written files on standard output has one line per file, whatever the folder is called."""
    result = briefgen("render", str(EXAMPLE), "-f", "md", "-o", str(tmp_path / "out\nput"))
    assert result.returncode == 0
    (written,) = result.stdout.decode().splitlines()
    assert written.startswith(f"{tmp_path}/out\\nput/") and written.endswith(".md")


def _two_mistakes(tmp_path: Path, case: str) -> list[str]:
    text = EXAMPLE.read_text(encoding="utf-8")
    if case == "diff of a profile with two unknown keys":
        (tmp_path / "bad.yaml").write_text("bogus1: 1\nbogus2: 2\n" + text, encoding="utf-8")
        return ["diff", str(tmp_path / "bad.yaml"), str(EXAMPLE)]
    (tmp_path / "tdir").mkdir()
    (tmp_path / "tdir" / "theme.yaml").write_text("primary: teal\naccent: blue\n", encoding="utf-8")
    if case == "--templates with two bad colours":
        return ["render", str(EXAMPLE), "-f", "md", "-o", str(tmp_path / "out"), "--templates", str(tmp_path / "tdir")]
    assert "\nbrief:\n" in text
    (tmp_path / "p.yaml").write_text(text.replace("\nbrief:\n", "\nbrief:\n  templates: tdir\n"), encoding="utf-8")
    return ["render", str(tmp_path / "p.yaml"), "-f", "md", "-o", str(tmp_path / "out")]


@pytest.mark.parametrize("case", ["diff of a profile with two unknown keys", "--templates with two bad colours",
                                  "a profile's own brief.templates with two bad colours"])
def test_two_problems_raised_again_by_another_command_stay_two_lines(tmp_path, case):
    """An error re-raised with another error's problems keeps one line per problem, not one line with a '\\n' in it."""
    result = briefgen(*_two_mistakes(tmp_path, case))
    lines = result.stderr.decode().splitlines()
    assert result.returncode in (1, 2)
    assert len(lines) == 2 and all(line.startswith("briefgen: error: ") for line in lines), lines
    assert "\\n" not in result.stderr.decode()


@pytest.mark.parametrize("args", [["batch", "{profile}", "-o", "-"], ["diff", "{profile}", "{profile}", "-f", "md", "-o", "-"]],
                         ids=["batch", "diff"])
def test_output_dash_is_refused_where_it_cannot_mean_standard_output(tmp_path, args):
    """'-o -' is render's standard output; batch and diff refuse it instead of making a folder named '-'."""
    result = briefgen(*(a.format(profile=EXAMPLE) for a in args), cwd=tmp_path)
    assert result.returncode == 2
    assert "'-' (standard output) works with render only; give a folder." in result.stderr.decode()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["validate", "render"])
def test_standard_input_named_twice_is_a_usage_error_before_any_read(command, capsys):
    """'-' twice would read standard input once and then report an empty profile: exit 2, saying why, instead."""
    from generator.cli import main

    with pytest.raises(SystemExit) as exc:
        main([command, "-", "-"])
    assert exc.value.code == 2
    assert "'-' (standard input) can be read once; give it once." in capsys.readouterr().err
