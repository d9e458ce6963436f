"""brief.templates in a profile: a folder of edited templates beside the profile, confined to the
profile's folder like the logo, reported at its field when anything in it is wrong, used by
render and batch, and winning over --templates."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.brief.templating import export_templates
from generator.cli import cli
from generator.errors import InputError
from generator.profile import load_profile

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "profiles" / "startup-no-kubernetes.yaml"
LINE = len(EXAMPLE.read_text(encoding="utf-8").splitlines()) + 1  # where the appended field sits


def profile_with(folder: Path, value: str, name: str = "p.yaml") -> Path:
    """The example profile in ``folder`` with ``brief.templates: value`` appended (and Markdown output)."""
    path = folder / name
    text = EXAMPLE.read_text(encoding="utf-8").replace("formats: [pdf, docx]", "formats: [md]")
    path.write_text(text + f"  templates: {value}\n", encoding="utf-8")
    return path


def house(folder: Path, title: str = "House brief: {project.name}") -> Path:
    """An exported templates folder whose executive title is ``title``."""
    export_templates(folder)
    exe = folder / "executive.yaml"
    exe.write_text(exe.read_text(encoding="utf-8").replace('title: "Framework decision brief: {project.name}"', f'title: "{title}"'),
                   encoding="utf-8")
    return folder


def problems(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_profile(path)
    return str(info.value)


def render_md(*args: str) -> tuple[int, str, str]:
    """The real command (its exit codes and one-line errors), writing Markdown to standard output."""
    result = subprocess.run([sys.executable, "-m", "generator", "render", *args, "-f", "md", "-o", "-"],
                            capture_output=True, text=True, timeout=120)
    return result.returncode, result.stderr, result.stdout


# --- validation: the folder -------------------------------------------------------------------


def test_templates_inside_the_folder_are_resolved(tmp_path):
    house(tmp_path / "house")
    profile = load_profile(profile_with(tmp_path, "house"))
    assert profile.brief.templates == tmp_path.resolve() / "house"
    assert profile.brief.templates_at == f"{tmp_path / 'p.yaml'}:{LINE}:14"


@pytest.mark.parametrize(
    "value, message",
    [
        ("nothere", "folder not found: 'nothere' (looked in the profile's folder)"),
        ("../elsewhere", "must stay inside the profile's folder (no '..')"),
        ("/etc", "must be a path relative to the profile's folder, not an absolute path"),
        ("house\\\\x", "must use '/' between folders"),
    ],
)
def test_a_templates_path_that_is_missing_or_leaves_the_folder_is_refused_at_its_line(tmp_path, value, message):
    path = profile_with(tmp_path, value)
    assert problems(path) == f"{path}:{LINE}:14: brief.templates: {message}"


def test_a_file_is_not_a_templates_folder(tmp_path):
    (tmp_path / "house").write_text("x", encoding="utf-8")
    path = profile_with(tmp_path, "house")
    assert problems(path) == (
        f"{path}:{LINE}:14: brief.templates: is not a folder (write one with 'briefgen templates export house')"
    )


def test_a_folder_without_any_template_file_is_not_a_templates_folder(tmp_path):
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "notes.txt").write_text("x", encoding="utf-8")
    path = profile_with(tmp_path, "house")
    assert problems(path) == (
        f"{path}:{LINE}:14: brief.templates: is not a templates folder: it holds none of executive.yaml, "
        "technical.yaml, theme.yaml, reference.docx"
    )


def test_a_templates_folder_linked_from_outside_is_refused(tmp_path):
    house(tmp_path / "outside")
    (tmp_path / "profile").mkdir()
    os.symlink(tmp_path / "outside", tmp_path / "profile" / "house")
    path = profile_with(tmp_path / "profile", "house")
    assert problems(path) == (
        f"{path}:{LINE}:14: brief.templates: 'house' resolves outside the profile's folder (through a symbolic "
        "link); copy the templates into it"
    )


def test_a_template_file_linked_from_outside_is_refused(tmp_path):
    """The folder is inside, but one file in it leads out: a profile cannot read any file it likes."""
    (tmp_path / "secret.yaml").write_text("name: x\n", encoding="utf-8")
    folder = tmp_path / "profile" / "house"
    folder.mkdir(parents=True)
    os.symlink(tmp_path / "secret.yaml", folder / "executive.yaml")
    path = profile_with(tmp_path / "profile", "house")
    assert problems(path) == (
        f"{path}:{LINE}:14: brief.templates: executive.yaml resolves outside the profile's folder (through a "
        "symbolic link); copy the templates into it"
    )


def test_templates_in_a_profile_from_standard_input_are_an_error_that_says_why(tmp_path):
    house(tmp_path / "house")
    text = profile_with(tmp_path, "house").read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-"], input=text)
    assert result.exit_code == 1
    assert "brief.templates: cannot be found for a profile read from standard input" in result.stderr


# --- rendering ----------------------------------------------------------------------------------


def test_render_uses_the_profiles_templates(tmp_path):
    house(tmp_path / "house")
    code, err, text = render_md(str(profile_with(tmp_path, "house")))
    assert code == 0, err
    assert text.startswith("# House brief: Churn prediction MVP\n")


def test_a_bad_template_in_the_profiles_folder_is_reported_at_the_profiles_field(tmp_path):
    """A mistake in a profile's own templates is that profile's input error: exit 1, at its field's line and column."""
    folder = house(tmp_path / "house")
    (folder / "executive.yaml").write_text("name: x\naudience: executive\nsections:\n  - id: nope\n", encoding="utf-8")
    path = profile_with(tmp_path, "house")
    code, err, _ = render_md(str(path))
    assert code == 1, err
    assert err.startswith(f"briefgen: error: {path}:{LINE}:14: brief.templates: {folder.resolve() / 'executive.yaml'}:4:9: sections[0].id: ")


def test_a_profile_whose_own_theme_is_bad_fails_alone_and_the_others_render(tmp_path):
    """render p2 p1 p3, where only p1's brief.templates folder holds a bad theme: p2 and p3 are written, exit 1."""
    folder = house(tmp_path / "house")
    (folder / "theme.yaml").write_text("primary: teal\n", encoding="utf-8")
    bad = profile_with(tmp_path, "house")
    good = tmp_path / "good"
    good.mkdir()
    firsts = []
    for name in ("a", "b"):
        text = EXAMPLE.read_text(encoding="utf-8").replace("output: churn-mvp", f"output: churn-{name}")
        (good / f"{name}.yaml").write_text(text, encoding="utf-8")
        firsts.append(good / f"{name}.yaml")
    result = subprocess.run([sys.executable, "-m", "generator", "render", str(firsts[0]), str(bad), str(firsts[1]),
                             "-f", "md", "-o", str(tmp_path / "out")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert f"{bad}:{LINE}:14: brief.templates: " in result.stderr and "primary: must be a colour" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["churn-a.md", "churn-b.md"]


def test_the_profiles_templates_win_over_the_command_lines(tmp_path):
    house(tmp_path / "mine", "Mine: {project.name}")
    house(tmp_path / "cli", "Command line: {project.name}")
    code, err, text = render_md(str(profile_with(tmp_path, "mine")), "--templates", str(tmp_path / "cli"))
    assert code == 0, err
    assert text.startswith("# Mine: Churn prediction MVP\n")


# --- batch --------------------------------------------------------------------------------------


def _batch(*args: str):
    return CliRunner().invoke(cli, ["batch", *args, "-j", "1", "-q"])


def _titles(out: Path) -> dict[str, str]:
    found = {}
    for name in ("own", "plain"):
        text = (out / f"{name}.md").read_text(encoding="utf-8")
        found[name] = next(t for t in ("Mine:", "Batch:", "Framework decision brief:") if t in text)
    return found


def test_batch_templates_apply_to_profiles_without_their_own(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    house(inputs / "mine", "Mine: {project.name}")
    house(tmp_path / "batch", "Batch: {project.name}")
    profile_with(inputs, "mine", "own.yaml")
    (inputs / "plain.yaml").write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("formats: [pdf, docx]", "formats: [md]").replace("output: churn-mvp", "output: plain"),
        encoding="utf-8",
    )
    (inputs / "own.yaml").write_text((inputs / "own.yaml").read_text(encoding="utf-8").replace("output: churn-mvp", "output: own"),
                                     encoding="utf-8")
    result = _batch(str(inputs), "-o", str(tmp_path / "out"), "--templates", str(tmp_path / "batch"))
    assert result.exit_code == 0, result.stderr
    assert _titles(tmp_path / "out") == {"own": "Mine:", "plain": "Batch:"}

    # an edited template makes the briefs made with it out of date
    exe = tmp_path / "batch" / "executive.yaml"
    exe.write_text(exe.read_text(encoding="utf-8").replace('"Batch: {project.name}"', '"Batch: {project.name} v2"'), encoding="utf-8")
    again = _batch(str(inputs), "-o", str(tmp_path / "out"), "--templates", str(tmp_path / "batch"))
    assert again.exit_code == 0, again.stderr
    assert "Churn prediction MVP v2" in (tmp_path / "out" / "plain.md").read_text(encoding="utf-8")


def test_a_bad_batch_templates_folder_stops_the_batch_before_any_work(tmp_path):
    result = _batch(str(EXAMPLE), "-o", str(tmp_path / "out"), "--templates", str(tmp_path / "nothere"))
    assert result.exit_code == 2
    assert result.stderr == f"briefgen: error: {tmp_path / 'nothere'}: not a folder (write one with 'briefgen templates export {tmp_path / 'nothere'}')\n"
    assert not (tmp_path / "out" / "churn-mvp.pdf").exists()


def test_batch_help_says_the_profiles_templates_win():
    result = CliRunner().invoke(cli, ["batch", "--help"])
    assert "A profile's own brief.templates wins over it." in " ".join(result.output.split())


@pytest.mark.parametrize("value", ["3", "[shortlist]", "tight"])
def test_limits_that_are_not_a_mapping_are_one_line_at_their_field(tmp_path, value):
    """A template whose limits is a number, list or text is refused at that line, never a crash."""
    folder = house(tmp_path / "house")
    exe = folder / "executive.yaml"
    text = exe.read_text(encoding="utf-8")
    start = text.index("limits:\n")
    end = text.index("sections:\n")
    exe.write_text(text[:start] + f"limits: {value}\n" + text[end:], encoding="utf-8")
    line = text[:start].count("\n") + 1
    code, err, out = render_md(str(EXAMPLE), "--templates", str(folder))
    assert code == 2 and out == ""
    assert err == (f"briefgen: error: {exe}:{line}:9: limits: must be a mapping of limit names to whole numbers "
                   "(allowed: shortlist, criteria, frameworks_detail, points, reasons, risks, changes, range_bars, pages)\n")
