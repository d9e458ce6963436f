"""The command line's contract: help, version, exit codes and one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import __version__
from generator.cli import cli

COMMANDS = [
    ["render"],
    ["batch"],
    ["score"],
    ["validate"],
    ["init"],
    ["schema"],
    ["frameworks"],
    ["frameworks", "list"],
    ["frameworks", "show"],
]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, timeout=120
    )


def test_version_prints_the_package_version():
    """`briefgen --version` names the tool and its version."""
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"briefgen, version {__version__}\n"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_has_help(command, flag):
    """Every command answers --help and its -h alias with a usage line."""
    result = CliRunner().invoke(cli, [*command, flag])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: ")


def test_help_does_not_import_renderers():
    """`briefgen --help` leaves reportlab and python-docx unimported, so it stays instant."""
    code = (
        "import sys\n"
        "from generator.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('reportlab', 'docx', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_render_of_a_missing_file_is_one_line_and_exit_1(tmp_path):
    """A profile that does not exist is reported in one line with exit code 1."""
    missing = tmp_path / "nope.yaml"
    result = run("render", str(missing), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(missing) in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists(), "a refused profile left an empty output folder behind"


def test_render_refuses_a_second_profile_that_would_overwrite_the_first_ones_brief(tmp_path):
    """Two profiles named alike in different folders: the first brief is written, the second is one error (exit 1)."""
    example = Path(__file__).resolve().parents[1] / "data" / "profiles" / "startup-no-kubernetes.yaml"
    text = "".join(line for line in example.read_text(encoding="utf-8").splitlines(keepends=True)
                   if not line.lstrip().startswith("output:"))
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run("render", str(tmp_path / "a" / "same.yaml"), str(tmp_path / "b" / "same.yaml"), "-f", "md", "-o", str(out))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [str(out / "same.md")]
    assert result.stderr == (f"briefgen: error: {tmp_path / 'b' / 'same.yaml'}: {out / 'same.md'} was already written by "
                             f"{tmp_path / 'a' / 'same.yaml'} in this run; give each profile its own brief.output\n")


def test_a_folder_among_the_profiles_fails_alone_and_the_others_render(tmp_path):
    """A folder given where a profile file is expected is a bad input like a missing file: it fails with one line
    (exit 1) and does not stop the profile beside it, as in a batch."""
    good = Path(__file__).resolve().parent.parent / "data" / "profiles" / "startup-no-kubernetes.yaml"
    folder = tmp_path / "profiles.yaml"
    folder.mkdir()
    result = run("render", str(folder), str(good), "-f", "md", "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"briefgen: error: {folder}: is a folder, not a file"], result.stderr
    assert [p.suffix for p in (tmp_path / "out").iterdir()] == [".md"]


def test_a_valid_profile_with_an_unknown_tool_and_a_kept_kubernetes_tool_passes_the_check(tmp_path):
    """--check lets through what the profile says: an unknown tool reads as the file spells it ("Great Expectations",
    not the id great_expectations), and a kept KServe is the team's, not advice the brief rules out."""
    text = (Path(__file__).resolve().parent.parent / "data" / "profiles" / "startup-no-kubernetes.yaml").read_text()
    profile = tmp_path / "p.yaml"
    profile.write_text(text + "\ncurrent: {tools: [Great Expectations, kserve], keep: [kserve]}\n")
    result = run("render", str(profile), "--check", "-f", "md", "--name", "p", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    brief = (tmp_path / "out" / "p.md").read_text()
    assert "Great Expectations" in brief and "great_expectations" not in brief.lower()


EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "profiles" / "bank-onprem-airgapped.yaml"


@pytest.mark.parametrize("args", [("render", str(EXAMPLE), "-f", "md", "-o", "-"), ("score", str(EXAMPLE)),
                                  ("frameworks", "list"), ("schema",)], ids=lambda a: a[0])
def test_a_closed_standard_output_is_one_line_and_exit_2_not_a_silent_success(args):
    """`briefgen ... >&-`: the results have nowhere to go, which is said (exit 2), not dropped with exit 0."""
    result = subprocess.run([sys.executable, "-m", "generator", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=120,
                            preexec_fn=lambda: os.close(1))
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["briefgen: error: standard output is closed; briefgen writes its results "
                                          "there (redirect it to a file or /dev/null)"]


def test_a_reader_that_closes_the_pipe_early_is_one_line_and_exit_2():
    """`briefgen render ... -o - | true`: one line on stderr and exit 2, not click's silent exit 1."""
    proc = subprocess.Popen([sys.executable, "-m", "generator", "render", str(EXAMPLE), "-f", "pdf", "-o", "-"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 2
    assert err.splitlines() == ["briefgen: error: a write to standard output failed (its reader closed the pipe "
                                "before the brief was written)"]


def test_a_binary_brief_is_not_printed_on_a_terminal(tmp_path):
    """`-o -` with a PDF and a terminal as standard output: a usage error that says to redirect, and no bytes."""
    import pty

    leader, follower = pty.openpty()
    result = subprocess.run([sys.executable, "-m", "generator", "render", str(EXAMPLE), "-f", "pdf", "-o", "-"],
                            stdout=follower, stderr=subprocess.PIPE, text=True, timeout=120)
    os.close(follower)
    os.close(leader)
    assert result.returncode == 2
    assert "would print a binary PDF on the terminal; redirect standard output" in result.stderr


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_sigterm_or_a_closed_terminal_stops_a_render_like_ctrl_c(tmp_path, monkeypatch, capsys, name):
    """A cancelled job's SIGTERM, or the SIGHUP of a terminal closed under it, during a render: "interrupted" and exit
    130, as for Ctrl-C (SIGHUP ended it at once, leaving its temporary file), and the handler it replaced is back
    afterwards."""
    import signal

    import generator.pipeline as pipeline
    from generator.cli import main

    sig = getattr(signal, name)

    def terminated(*args, **kwargs):
        os.kill(os.getpid(), sig)
        raise AssertionError(f"{name} did not stop the render")

    monkeypatch.setattr(pipeline, "run_profile", terminated)
    before = signal.getsignal(sig)
    with pytest.raises(SystemExit) as exc:
        main(["render", str(EXAMPLE), "-f", "md", "-o", str(tmp_path)])
    assert exc.value.code == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == "interrupted"
    assert signal.getsignal(sig) is before


def test_a_ctrl_c_while_the_command_line_loads_is_one_line_and_exit_130(monkeypatch, capsys):
    """The console script loads the CLI inside a guard: a Ctrl-C during that import ends as any interrupt does, with
    the exit code generator.errors documents, not with a traceback."""
    import builtins

    from generator import errors, launch

    real = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name == "generator.cli":
            raise KeyboardInterrupt
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    with pytest.raises(SystemExit) as exc:
        launch.main()
    assert exc.value.code == errors.EXIT_INTERRUPTED == 130
    assert capsys.readouterr().err == "interrupted\n"


def test_unknown_option_is_a_usage_error(tmp_path):
    """An unknown option exits 2 and names the option."""
    result = run("render", "--colour", "x.yaml")
    assert result.returncode == 2
    assert result.stderr == "briefgen: error: No such option '--colour'. (see 'briefgen render --help')\n"
    assert "Traceback" not in result.stderr


def test_unknown_format_is_a_usage_error(tmp_path):
    """`-f pdf,xls` is refused before any work and lists the allowed formats."""
    result = run("render", "data/profiles/startup-no-kubernetes.yaml", "-f", "pdf,xls", "-o", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == (
        "briefgen: error: Invalid value for '-f' / '--format': 'xls' (allowed: pdf, docx, json, md, adr)"
        " (see 'briefgen render --help')\n"
    )


def test_debug_shows_the_traceback_of_an_input_error(tmp_path):
    """With --debug the same bad input shows a traceback instead of one line."""
    result = run("--debug", "render", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "out"))
    assert result.returncode != 0
    assert "Traceback" in result.stderr


EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "profiles" / "startup-no-kubernetes.yaml"


def test_render_check_writes_a_clean_brief(tmp_path):
    result = CliRunner().invoke(cli, ["render", "--check", str(EXAMPLE), "-f", "md", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["churn-mvp.md"]


def test_render_check_with_findings_writes_nothing_and_exits_1(tmp_path, monkeypatch):
    """A brief the linter rejects is not written; each finding is one line on stderr."""
    from generator.brief import lint as lint_module
    from generator.brief.lint import Finding

    monkeypatch.setattr(
        lint_module, "lint", lambda *a: (Finding("plural", "Options considered", "1 frameworks meet it.", "bad plural"),)
    )
    result = CliRunner().invoke(cli, ["render", "--check", str(EXAMPLE), "-f", "md", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f'briefgen: error: {EXAMPLE}: check: Options considered: bad plural: "1 frameworks meet it."\n'
    )
    assert list(tmp_path.iterdir()) == []


def test_templates_export_writes_the_bundled_files_byte_for_byte(tmp_path):
    from generator.resources import templates_dir

    result = CliRunner().invoke(cli, ["templates", "export", str(tmp_path / "tpl")])
    assert result.exit_code == 0, result.output
    names = ["executive.yaml", "technical.yaml", "theme.yaml", "reference.docx"]
    assert result.output.splitlines() == [str(tmp_path / "tpl" / n) for n in names]
    assert all((tmp_path / "tpl" / n).read_bytes() == (templates_dir() / n).read_bytes() for n in names)
    again = run("templates", "export", str(tmp_path / "tpl"))
    assert again.returncode == 2
    assert again.stderr.strip().endswith("executive.yaml: already exists (use --force to overwrite)")


def test_templates_export_never_writes_through_a_link_out_of_dest(tmp_path):
    """A dangling link named like a template is an existing file; --force replaces the link, not what it names."""
    dest, victim = tmp_path / "tpl", tmp_path / "victim.yaml"
    dest.mkdir()
    (dest / "executive.yaml").symlink_to(victim)
    again = run("templates", "export", str(dest))
    assert (again.returncode, again.stderr) == (
        2, f"briefgen: error: {dest / 'executive.yaml'}: already exists (use --force to overwrite)\n")
    forced = run("templates", "export", str(dest), "--force")
    assert forced.returncode == 0, forced.stderr
    assert not victim.exists() and not (dest / "executive.yaml").is_symlink()


def test_templates_export_into_a_path_under_a_file_is_one_line(tmp_path):
    """A DEST that cannot be created is a usage error naming it, not an internal error."""
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = run("templates", "export", str(tmp_path / "afile" / "tpl"))
    assert (result.returncode, result.stderr) == (
        2, f"briefgen: error: {tmp_path / 'afile' / 'tpl'}: cannot create the output folder (Not a directory)\n")


def test_templates_export_to_standard_output_is_a_usage_error_that_writes_nothing(tmp_path):
    """'-' cannot hold three files: exit 2 with one line, and no folder named '-' appears."""
    result = subprocess.run([sys.executable, "-m", "generator", "templates", "export", "-"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr == ("briefgen: error: Invalid value for 'DEST': '-' (standard output) cannot hold several "
                             "files; give a folder. (see 'briefgen templates export --help')\n")
    assert list(tmp_path.iterdir()) == []


def test_render_uses_an_edited_template_copy(tmp_path):
    CliRunner().invoke(cli, ["templates", "export", str(tmp_path / "tpl")])
    exe = tmp_path / "tpl" / "executive.yaml"
    exe.write_text(exe.read_text(encoding="utf-8").replace("title: Executive summary", "title: The short answer"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", "--templates", str(tmp_path / "tpl"), str(EXAMPLE), "-f", "md", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "\n## The short answer\n" in (tmp_path / "out" / "churn-mvp.md").read_text(encoding="utf-8")


def test_render_follows_a_link_in_the_templates_folder_the_command_line_names(tmp_path):
    """--templates is a folder the person running the command chose, so a template file there may be a link to a
    shared copy elsewhere (a profile's own brief.templates may not lead out of the profile's folder)."""
    CliRunner().invoke(cli, ["templates", "export", str(tmp_path / "shared")])
    exe = tmp_path / "shared" / "executive.yaml"
    exe.write_text(exe.read_text(encoding="utf-8").replace("title: Executive summary", "title: The short answer"), encoding="utf-8")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "executive.yaml").symlink_to(exe)
    result = CliRunner().invoke(cli, ["render", "--templates", str(tmp_path / "tpl"), str(EXAMPLE), "-f", "md", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "\n## The short answer\n" in (tmp_path / "out" / "churn-mvp.md").read_text(encoding="utf-8")


def _render_with_edited(tmp_path, name: str, text: str):
    """``render --templates tpl`` where ``tpl`` holds one edited file ``name`` with ``text``: (that file, result)."""
    (tmp_path / "tpl").mkdir(exist_ok=True)
    edited = tmp_path / "tpl" / name
    edited.write_text(text, encoding="utf-8")
    return edited, run("render", "--templates", str(tmp_path / "tpl"), str(EXAMPLE), "-o", str(tmp_path / "out"))


def test_an_edited_template_with_a_mistake_is_reported_with_file_line_and_column(tmp_path):
    bad, result = _render_with_edited(
        tmp_path, "executive.yaml", "name: x\naudience: executive\nsections:\n  - id: recommendation\n    title: A\n  - id: bogus\n    title: B\n")
    assert result.returncode == 2
    assert f"{bad}:6:9: sections[1].id: must be one of recommendation, profile" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_an_edited_template_without_the_recommendation_is_refused(tmp_path):
    """A template whose sections leave out the recommendation would write a brief that recommends nothing."""
    bad, result = _render_with_edited(
        tmp_path, "executive.yaml", "name: x\naudience: executive\nsections:\n  - id: sources\n    title: Sources\n")
    assert result.returncode == 2
    assert result.stderr == (f"briefgen: error: {bad}:4:3: sections: must include the recommendation section "
                             "(id: recommendation); without it the brief recommends nothing\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("theme", "message"),
    [
        ("primary: '#1F3A5F'\naccent: teal\n", ":2:9: accent: must be a colour like #1F3A5F (got 'teal')"),
        ("primary: '#1F3A5F'\nlogo_positon: title\n", ":2:1: logo_positon: unknown key (allowed: primary, accent, warning, muted, font, logo_position)"),
        ("font: Comic Sans\n", ":1:7: font: must be DejaVuSans, the bundled family (got 'Comic Sans')"),
    ],
)
def test_an_edited_theme_with_a_mistake_is_reported_with_file_line_and_column(tmp_path, theme, message):
    """A theme file's problem names its line and column, as a template's does."""
    bad, result = _render_with_edited(tmp_path, "theme.yaml", theme)
    assert result.returncode == 2
    assert result.stderr == f"briefgen: error: {bad}{message}\n"
    assert not (tmp_path / "out").exists()


def test_every_problem_of_an_edited_theme_is_reported_at_once_one_line_each(tmp_path):
    """Three mistakes in a theme are three lines, in the order they are checked, not the first one alone."""
    bad, result = _render_with_edited(tmp_path, "theme.yaml", "primary: teal\naccent: blue\nextra: 1\n")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"briefgen: error: {bad}:3:1: extra: unknown key (allowed: primary, accent, warning, muted, font, logo_position)",
        f"briefgen: error: {bad}:1:10: primary: must be a colour like #1F3A5F (got 'teal')",
        f"briefgen: error: {bad}:2:9: accent: must be a colour like #1F3A5F (got 'blue')",
    ]


def test_a_template_for_the_other_audience_is_refused_at_its_audience_line(tmp_path):
    """executive.yaml that says audience: technical is refused where it says so."""
    bad, result = _render_with_edited(
        tmp_path, "executive.yaml", "name: x\naudience: technical\nsections:\n  - id: recommendation\n    title: A\n")
    assert result.returncode == 2
    assert result.stderr == f"briefgen: error: {bad}:2:11: audience: must be executive in this file\n"


def test_a_folder_named_like_a_theme_is_refused_not_skipped(tmp_path):
    """A theme.yaml that is a folder would have been skipped without a word and the bundled theme used."""
    (tmp_path / "tpl" / "theme.yaml").mkdir(parents=True)
    _, result = _render_with_edited(tmp_path, "executive.yaml", "sections:\n  - id: recommendation\n    title: A\n")
    assert result.returncode == 2
    assert result.stderr == f"briefgen: error: {tmp_path / 'tpl' / 'theme.yaml'}: is not a regular file\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_a_full_standard_output_is_one_error_line_and_exit_2_not_an_internal_error():
    """`briefgen score P > /dev/full`: the system refused the write, which is no bug of briefgen's."""
    example = Path(__file__).resolve().parents[1] / "data" / "profiles" / "llm-app-team.yaml"
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "generator", "score", str(example)], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr == "briefgen: error: a write to the output or standard output failed (No space left on device)\n"


def test_init_dash_prints_the_starter_profile_instead_of_writing_a_file_named_dash(tmp_path):
    """'-' is standard output everywhere; a file named '-' would later be read as standard input."""
    from generator.profile.files import starter_text

    result = subprocess.run([sys.executable, "-m", "generator", "init", "-"], capture_output=True, timeout=120,
                            cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == starter_text()
    assert list(tmp_path.iterdir()) == []


def test_a_renderers_warning_names_its_profile_when_several_are_rendered(tmp_path):
    """Which of several briefs has a character no bundled font draws, and in which field: the warning line says."""
    example = Path(__file__).resolve().parents[1] / "data" / "profiles" / "startup-no-kubernetes.yaml"
    text = example.read_text(encoding="utf-8")
    (tmp_path / "plain.yaml").write_text(text.replace("  output: churn-mvp\n", "  output: plain\n"), encoding="utf-8")
    (tmp_path / "emoji.yaml").write_text(
        text.replace("  output: churn-mvp\n", "  output: emoji\n").replace("name: Churn prediction MVP",
                                                                         'name: "Churn prediction \U0001F9EA"'),
        encoding="utf-8")
    result = run("render", str(tmp_path / "plain.yaml"), str(tmp_path / "emoji.yaml"), "-f", "pdf", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    line = next(i for i, text in enumerate(text.splitlines(), 1) if "name: Churn prediction MVP" in text)
    assert (f"warning: {tmp_path / 'emoji.yaml'}:{line}:9: project.name: no bundled font can draw U+1F9EA TEST TUBE"
            in result.stderr)
    assert str(tmp_path / "plain.yaml") not in result.stderr


def test_a_brief_that_cannot_be_written_fails_alone_and_the_next_profiles_are_rendered(tmp_path):
    """A folder named like the first profile's brief fails that brief (exit 1, its path named); the profiles after it
    are still rendered, as an invalid profile among them would be."""
    profiles = Path(__file__).resolve().parent.parent / "data" / "profiles"
    out = tmp_path / "out"
    (out / "fraud-scoring.md").mkdir(parents=True)
    result = run("render", str(profiles / "aws-fraud-detection.yaml"), str(profiles / "azure-enterprise.yaml"),
                 "-f", "md", "-o", str(out))
    assert result.returncode == 1
    assert result.stderr == f"briefgen: error: {out / 'fraud-scoring.md'}: cannot be written (a folder of that name is in the way)\n"
    assert sorted(p.name for p in out.iterdir()) == ["contoso-analytics.md", "fraud-scoring.md"]
    assert (out / "fraud-scoring.md").is_dir() and (out / "contoso-analytics.md").read_text().startswith("# ")


def test_a_link_named_like_a_brief_is_replaced_and_its_target_left_alone(tmp_path):
    """A symbolic link in the output folder named like the brief is replaced by the brief; the file it pointed to, outside
    the folder, keeps its bytes."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "fraud-scoring.md").symlink_to(victim)
    profile = Path(__file__).resolve().parent.parent / "data" / "profiles" / "aws-fraud-detection.yaml"
    result = run("render", str(profile), "-f", "md", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert not (out / "fraud-scoring.md").is_symlink() and (out / "fraud-scoring.md").read_text().startswith("# ")
    assert victim.read_text() == "keep me"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc, where no folder can be made")
def test_render_into_a_folder_the_system_will_not_create_names_it_and_exits_2(tmp_path):
    """/proc passes the up-front check (it exists and root may write it) but refuses mkdir: the message names the
    folder, as batch's does, and the exit is 2, not 1 with an empty file name."""
    profile = Path(__file__).resolve().parent.parent / "data" / "profiles" / "aws-fraud-detection.yaml"
    result = run("render", str(profile), "-f", "md", "-o", "/proc/briefgen-out")
    assert result.returncode == 2
    assert result.stderr.startswith("briefgen: error: /proc/briefgen-out: ")
    assert not Path("/proc/briefgen-out").exists()




@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('  date: "2026-12-04"\n', '  date: "2025-06-30"\n', ":8:9: project.date: 2025-06-30 is before the knowledge"),
        ("brief:\n", "stakeholders:\n- {name: Ana, priorities: {cost: 5, performance: 8}}\nbrief:\n",
         ":51:50: stakeholders[0].priorities.performance: performance is not scored or weighted"),
        ("goals: [time_to_production]", "goals: [llm_delivery]", ":48:9: goals[0]: delivering LLM applications is a goal, but "
         "needs.llm_ops is rated wont, so the goal weighs nothing; rate the need, or drop the goal"),
    ],
    ids=["project-date", "stakeholder-priority", "goal-on-a-wont-need"],
)
def test_a_warning_raised_while_composing_names_the_line_of_its_field(tmp_path, old, new, expected):
    """Warnings found after loading (a date before the knowledge, an unweighed priority) point at the field's line
    and column as the loader's own warnings do, so a long profile needs no search."""
    example = Path(__file__).resolve().parents[1] / "data" / "profiles" / "startup-no-kubernetes.yaml"
    text = example.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    profile = tmp_path / "p.yaml"
    profile.write_text(text, encoding="utf-8")
    result = run("render", str(profile), "-f", "md", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert f"warning: {profile}{expected}" in result.stderr


def test_a_batch_warning_names_its_profile_once(tmp_path):
    """A loader's warning already starts with its file and line: batch prints the path once, as render does."""
    example = Path(__file__).resolve().parents[1] / "data" / "profiles" / "startup-no-kubernetes.yaml"
    folder = tmp_path / "profiles"
    folder.mkdir()
    text = example.read_text(encoding="utf-8")
    assert "  serving: batch" in text and "  model_serving: could" in text
    profile = folder / "p.yaml"  # serving none beside a serving must: the loader warns at the need's line
    profile.write_text(text.replace("  serving: batch", "  serving: none").replace(
        "  model_serving: could", "  model_serving: must"), encoding="utf-8")
    result = run("batch", str(folder), "-f", "md", "-o", str(tmp_path / "out"), "-q")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings and all(line.count(str(profile)) == 1 for line in warnings), result.stderr
    assert warnings[0].startswith(f"warning: {profile}:")
