"""`briefgen validate`, `briefgen schema` and `briefgen init`: output, streams and exit codes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import generator.knowledge
from generator.cli import main
from generator.profile import FRAMEWORK_IDS, load_profile, validate_files
from generator.profile.schema import json_schema

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "data" / "profiles").glob("*.yaml"))
CORPUS = ROOT / "tests" / "invalid_profiles"


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    return info.value.code, out, err


def test_validate_all_example_profiles(capsys):
    """Every bundled example validates: one `ok` line each, a summary, exit 0, nothing on stderr."""
    paths = [str(p) for p in EXAMPLES]
    code, out, err = run(capsys, "validate", *paths)
    assert (code, err) == (0, "")
    assert out == "".join(f"ok   {p}\n" for p in paths) + f"{len(paths)} of {len(paths)} profiles valid\n"


def test_validate_reports_problems_on_stderr_and_exits_1(capsys, monkeypatch):
    """An invalid profile: its problems on stderr, a FAIL line on stdout, exit 1."""
    monkeypatch.chdir(CORPUS)
    code, out, err = run(capsys, "validate", "framework-unknown.yaml")
    assert code == 1
    assert out == "FAIL framework-unknown.yaml (1 problem)\n"
    expected = (CORPUS / "framework-unknown.expected").read_text(encoding="utf-8")
    assert err == "".join(f"briefgen: error: {line}\n" for line in expected.splitlines())


def test_validate_checks_every_file_even_after_a_failure(capsys, monkeypatch):
    """With several files, each gets its line and the summary counts the valid ones."""
    monkeypatch.chdir(CORPUS)
    example = str(EXAMPLES[0])
    code, out, err = run(capsys, "validate", "alias-bomb.yaml", example, "nope.yaml")
    assert code == 1
    assert out == ("FAIL alias-bomb.yaml (11 problems)\n"
                   f"ok   {example}\n"
                   "FAIL nope.yaml (1 problem)\n"
                   "1 of 3 profiles valid\n")
    assert err.endswith("briefgen: error: nope.yaml: file not found\n")
    assert len(err.splitlines()) == 12


def test_validate_files_returns_every_files_problems_and_prints_nothing(capsys):
    """The library reports through its return value and callback; only the CLI prints."""
    seen = []
    paths = [CORPUS / "framework-unknown.yaml", EXAMPLES[0]]
    results = validate_files(paths, report=lambda path, problems: seen.append((path, len(problems))))
    assert capsys.readouterr() == ("", "")
    assert [(path, len(problems)) for path, problems in results] == seen == [(paths[0], 1), (paths[1], 0)]
    assert "unknown framework" in str(results[0][1][0])


def test_validate_takes_framework_ids_from_the_knowledge_base(capsys, monkeypatch):
    """When the knowledge base loads, its framework ids (with --knowledge folders) are the known ones."""
    seen = []

    def fake(extra_dirs=()):
        seen.append(tuple(extra_dirs))
        return SimpleNamespace(frameworks={"mlflow": None, "metaflow": None})

    monkeypatch.setattr(generator.knowledge, "load_knowledge", fake)
    path = str(ROOT / "data" / "profiles" / "startup-no-kubernetes.yaml")
    code, out, err = run(capsys, "validate", "--knowledge", str(CORPUS), path)
    assert code == 1 and seen == [(str(CORPUS),)]
    assert f"briefgen: error: {path}:49:22: frameworks[1]: unknown framework 'kubeflow' (known: metaflow, mlflow)\n" in err


def test_validate_imports_no_renderer():
    """`briefgen validate` never imports reportlab or python-docx, so it stays fast."""
    code = (
        "import sys\n"
        "from generator.cli import main\n"
        f"try:\n    main(['validate', {str(EXAMPLES[0])!r}])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('reportlab', 'docx', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_schema_prints_the_json_schema(capsys):
    """`briefgen schema` prints the draft 2020-12 schema as JSON on stdout, exit 0."""
    code, out, err = run(capsys, "schema")
    assert (code, err) == (0, "")
    assert json.loads(out) == json_schema()


def test_init_writes_the_starter_which_validates(capsys, tmp_path, monkeypatch):
    """`briefgen init` writes profile.yaml in the current folder; the result is a valid profile."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "init")
    assert (code, out, err) == (0, "profile.yaml\n", "")
    profile = load_profile(tmp_path / "profile.yaml", known_frameworks=FRAMEWORK_IDS)
    assert profile.project.name == "My ML project"
    assert (tmp_path / "profile.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=profile.schema.json\n")


def test_init_refuses_to_overwrite_without_force(capsys, tmp_path):
    """An existing file is kept: one line on stderr and exit 2; --force replaces it."""
    target = tmp_path / "mine.yaml"
    target.write_text("precious\n", encoding="utf-8")
    code, out, err = run(capsys, "init", str(target))
    assert (code, out, err) == (2, "", f"briefgen: error: {target}: already exists; use --force to overwrite it\n")
    assert target.read_text(encoding="utf-8") == "precious\n"
    code, out, err = run(capsys, "init", str(target), "--force")
    assert (code, out) == (0, f"{target}\n")
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server")


def test_init_force_never_replaces_what_is_not_a_file(capsys, tmp_path):
    """--force overwrites a file, never a FIFO or device (as root, 'init /dev/null --force' replaced /dev/null)."""
    target = tmp_path / "pipe.yaml"
    os.mkfifo(target)
    code, out, err = run(capsys, "init", str(target), "--force")
    assert (code, out, err) == (2, "", f"briefgen: error: {target}: is not a regular file, so --force will not "
                                       "replace it; give a file name such as profile.yaml\n")
    assert stat.S_ISFIFO(os.lstat(target).st_mode)


def test_init_into_a_missing_folder_is_one_line(capsys, tmp_path):
    """A target in a folder that does not exist is a usage error naming the folder."""
    target = tmp_path / "no" / "p.yaml"
    code, out, err = run(capsys, "init", str(target))
    assert (code, err) == (2, f"briefgen: error: {target}: the folder {target.parent} does not exist\n")


def test_a_file_with_thousands_of_problems_reports_the_first_hundred_and_counts_the_rest(tmp_path, capsys):
    """150 misspelt keys: 100 lines, then one saying 50 more are not shown; the summary counts all 150."""
    path = tmp_path / "many.yaml"
    path.write_text((ROOT / "data" / "profiles" / "startup-no-kubernetes.yaml").read_text(encoding="utf-8")
                    + "".join(f"typo_{i}: 1\n" for i in range(150)), encoding="utf-8")
    code, out, err = run(capsys, "validate", str(path))
    lines = err.splitlines()
    assert code == 1 and len(lines) == 101
    assert lines[-1] == f"briefgen: error: {path}: 50 more problems not shown; fix these and run again"
    assert out.splitlines()[0] == f"FAIL {path} (150 problems)"
