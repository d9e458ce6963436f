"""The ``briefgen`` command: a thin Click layer over the library, and the only module that prints.

Results go to stdout, messages to stderr (generator.cli_format shapes the terminal text), every
error line starting with ``briefgen: error:``. Exit codes: 0 success, 1 some inputs failed, 2 usage
or configuration error, 130 interrupted. Heavy libraries (reportlab, python-docx) are imported only
inside the commands that render.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator import __version__
from generator.errors import (
    ERROR_PREFIX,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    BriefgenError,
    ConfigError,
    InputError,
    OutputError,
    error_lines,
    lines_of,
    problem_count,
    restore_handlers,
    shown,
    stop_like_ctrl_c,
    warning_line,
)

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
FORMAT_CHOICES = ("pdf", "docx", "json", "md", "adr")
DIFF_FORMATS = ("pdf", "docx", "md")


def _formats(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    items = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    bad = [v for v in items if v not in FORMAT_CHOICES]
    if bad or not items:
        raise click.BadParameter(f"{', '.join(bad) or value!r} (allowed: {', '.join(FORMAT_CHOICES)})")
    return items


def _a_number(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    # FloatRange lets nan through: every comparison with it is false
    if value is not None and value != value:
        raise click.BadParameter(f"{value} is not a number of seconds.", ctx, param)
    return value


class _Path(click.Path):
    """A click.Path that refuses an empty string, which pathlib would read as the current folder."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            self.fail("is empty; give a name ('.' is the current folder).", param, ctx)
        return super().convert(value, param, ctx)


format_option = click.option(
    "-f", "--format", "formats", callback=_formats, metavar="LIST",
    help="Comma-separated formats: pdf, docx, json, md, adr (a MADR decision record). Default: the profile's brief.formats.",
)
output_option = click.option(
    "-o", "--output-dir", "output_dir", type=_Path(file_okay=False, path_type=Path),
    default=Path("output"), show_default=True, help="Folder the briefs are written to.",
)
STDOUT = Path("-")
BINARY_FORMATS = ("pdf", "docx")


def _folder_not_stdout(ctx: click.Context, output_dir: Path) -> None:
    # '-' means standard output for render alone; a folder named '-' would break 'render -' in it later.
    if output_dir == STDOUT:
        raise click.BadParameter("'-' (standard output) works with render only; give a folder.", ctx,
                                 param=next(p for p in ctx.command.params if p.name == "output_dir"))
knowledge_option = click.option(
    "--knowledge", "knowledge_dirs", multiple=True, type=_Path(exists=True, file_okay=False),
    help="Extra folder of framework files that add to or override the bundled knowledge base (repeatable).",
)
templates_option = click.option(
    "--templates", "templates_dir", type=_Path(file_okay=False, path_type=Path),
    help="A folder of edited templates (see 'briefgen templates export'); missing files use the bundled "
         "ones. A profile's own brief.templates wins over it.",
)
def _stdin_once(ctx: click.Context, param: click.Parameter, profiles: tuple[Path, ...]) -> tuple[Path, ...]:
    # Standard input can be read once: a second '-' read nothing and was reported as an empty profile.
    if sum(1 for p in profiles if str(p) == "-") > 1:
        raise click.BadParameter("'-' (standard input) can be read once; give it once.", ctx, param=param)
    return profiles


profile_args = click.argument("profiles", nargs=-1, required=True, type=_Path(readable=False, path_type=Path),
                              callback=_stdin_once)


def _help_without_command(ctx: click.Context) -> None:
    # a bare group is a request for help, not a mistake
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
        ctx.exit(0)


@click.group(context_settings=CONTEXT, invoke_without_command=True)
@click.version_option(__version__, "--version", prog_name="briefgen")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors (accepted anywhere on the line).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Decision briefs that compare ML workflow frameworks against your project profile.

    \b
    A profile argument of '-' reads standard input.
    Exit codes: 0 success, 1 some inputs failed, 2 usage or configuration error (or a write the system refused),
    130 interrupted.
    """
    ctx.obj = {"debug": debug}
    _help_without_command(ctx)
    from generator.dates import check_setting

    check_setting()


def _warn(lines, source: str = "") -> None:
    """Each warning on its own line, naming the profile rendered (see errors.warning_line)."""
    source = "<stdin>" if source == "-" else source  # as the profile loader names standard input
    for line in lines:
        click.echo(warning_line(source, line), err=True)


def _error(text: str) -> None:
    click.echo(error_lines(text), err=True)


def _base_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    # the rules of brief.output, which --name stands in for
    from generator.profile.validate import output_name_problem

    problem = None if value is None else output_name_problem(value)
    if problem:
        raise click.BadParameter(problem, ctx, param)
    return value


def _with_name(profile, name: str | None):
    """The profile with ``--name`` as its output name."""
    if name is None:
        return profile
    from dataclasses import replace

    return replace(profile, brief=replace(profile.brief, output=name))


@cli.command(context_settings=CONTEXT)
@profile_args
@format_option
@output_option
@knowledge_option
@click.option("--reference-docx", type=_Path(exists=True, dir_okay=False, path_type=Path),
              help="A Word document whose styles, header and footer the DOCX starts from.")
@click.option("--adr-dir", type=_Path(file_okay=False, path_type=Path),
              help="Also write a MADR decision record into this folder (e.g. docs/decisions), numbered "
                   "after its highest NNNN-*.md; an existing record of the same name is updated in place.")
@click.option("--name", callback=_base_name,
              help="Base name of the output files (default: brief.output, else the profile's file name).")
@click.option("--check", is_flag=True,
              help="Lint each brief first; a brief with findings is not written (findings on stderr, exit 1).")
@templates_option
@click.pass_context
def render(ctx: click.Context, profiles, formats, output_dir, knowledge_dirs, reference_docx, adr_dir, name, check,
           templates_dir) -> None:
    """Render a brief for each PROFILE into the output folder ('-o -': to standard output)."""
    from generator.brief.templating import load_template_dir
    from generator.knowledge import load_knowledge
    from generator.output import check_output_dir
    from generator.pipeline import BriefCheckFailed, output_path, render_profile, run_profile
    from generator.profile import load_profile

    if name is not None and len(profiles) > 1:
        raise click.UsageError("--name names one brief; give one PROFILE with it", ctx)
    to_stdout = output_dir == STDOUT
    if to_stdout and len(profiles) > 1:
        raise click.UsageError("-o - writes one brief to standard output; give one PROFILE with it", ctx)
    if to_stdout and adr_dir is not None:
        raise click.UsageError("-o - writes one brief to standard output; write the decision record with "
                               "-f adr -o - instead of --adr-dir", ctx)
    templates = load_template_dir(templates_dir) if templates_dir is not None else None
    if reference_docx is not None:
        from generator.render.reference import clean_reference

        clean_reference(reference_docx)  # a refused reference stops here, before any brief (its warnings come per brief)
    # Made with the first brief written, so a run whose profiles are all refused leaves no empty folder.
    out = None if to_stdout else check_output_dir(output_dir, create=False)
    adr_dir = check_output_dir(adr_dir, create=False) if adr_dir is not None else None
    known = tuple(load_knowledge(knowledge_dirs).frameworks)
    failed = 0
    claimed: dict[Path, str] = {}  # file -> the profile that wrote it in this run
    for path in profiles:
        try:
            profile = _with_name(load_profile(path, known_frameworks=known), name)
            if to_stdout:
                fmts = formats or profile.brief.formats
                if len(fmts) != 1:
                    raise click.UsageError(f"-o - writes one format to standard output, not {', '.join(fmts)}; "
                                           "pick one with -f", ctx)
                if fmts[0] in BINARY_FORMATS and sys.stdout is not None and sys.stdout.isatty():
                    raise click.UsageError(f"-o - would print a binary {fmts[0].upper()} on the terminal; redirect "
                                           "standard output to a file or pipe, or give a folder with -o", ctx)
                done = render_profile(path, fmts, knowledge_dirs=knowledge_dirs, reference_docx=reference_docx,
                                      profile=profile, check=check, templates=templates)
                _warn(done.warnings, str(path))
                try:
                    click.echo(done.files[fmts[0]], nl=False)  # bytes: click writes them to the binary stdout
                    sys.stdout.flush()  # a refused write is reported here, not lost at exit
                except BrokenPipeError:
                    # Click would end a closed pipe with exit 1 and no word, which reads as a bad input.
                    _drop_stdout()
                    raise ConfigError("a write to standard output failed (its reader closed the pipe before the "
                                      "brief was written)") from None
                continue
            if str(path) == "-" and not (name or profile.brief.output):
                raise ConfigError("a profile read from standard input needs --name NAME or brief.output "
                                  "to name its brief")
            mine = [output_path(out, profile, fmt) for fmt in (formats or profile.brief.formats)]
            taken = [p for p in mine if p in claimed]
            if taken:
                # A second profile with the same output name would silently replace the first one's brief.
                failed += 1
                _error(shown(f"{path}: {taken[0]} was already written by {claimed[taken[0]]} in this run; give each "
                       "profile its own brief.output"))
                continue
            claimed.update((p, str(path)) for p in mine)
            result = run_profile(path, out, formats, knowledge_dirs=knowledge_dirs, reference_docx=reference_docx,
                                 profile=profile, adr_dir=adr_dir, check=check, templates=templates)
        except (InputError, BriefCheckFailed, OutputError) as exc:
            if ctx.obj["debug"]:
                raise
            failed += 1  # one bad profile, or a brief that cannot be written, never stops the others
            _error(str(exc))
            continue
        _warn(result.warnings, str(path))
        for written in result.outputs:
            click.echo(shown(written))
    if failed:
        sys.exit(EXIT_INPUT)


@cli.command(context_settings=CONTEXT)
@click.argument("profile", type=_Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the assessment as JSON.")
@knowledge_option
def score(profile, as_json, knowledge_dirs) -> None:
    """Score the frameworks for PROFILE ('-': standard input) and print the ranking."""
    from generator.cli_format import format_ranking
    from generator.knowledge import load_knowledge
    from generator.profile import load_profile
    from generator.scoring import assess

    kb = load_knowledge(knowledge_dirs)
    assessment = assess(load_profile(profile, known_frameworks=tuple(kb.frameworks)), kb)
    if as_json:
        import json

        click.echo(json.dumps(assessment.to_json(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        click.echo(format_ranking(assessment))


@cli.command(context_settings=CONTEXT)
@profile_args
@knowledge_option
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per file and line: path, valid, problems and warnings with line and column.")
def validate(profiles, knowledge_dirs, as_json) -> None:
    """Check each PROFILE ('-': standard input) and report every problem (exit 1 if any is invalid)."""
    from generator.knowledge import load_knowledge
    from generator.profile import check_file, validate_files
    from generator.sanitize import readable

    def show(path, problems) -> None:
        for problem in problems:
            _error(str(problem))
        if problems:
            n = problem_count(problems)
            click.echo(f"FAIL {shown(path)} ({n:,} problem{'s' if n != 1 else ''})")
        else:
            click.echo(f"ok   {shown(path)}")

    def warn(path, warnings) -> None:
        _warn(warnings)

    known = tuple(load_knowledge(knowledge_dirs).frameworks)
    if as_json:
        import json

        results = [check_file(path, known_frameworks=known) for path in profiles]
        for report in results:
            click.echo(readable(json.dumps(report, ensure_ascii=False, sort_keys=True)))
        failed = sum(1 for report in results if not report["valid"])
    else:
        results = validate_files(profiles, known_frameworks=known, report=show, warn=warn)
        failed = sum(1 for _, problems in results if problems)
        if len(profiles) > 1:
            click.echo(f"{len(profiles) - failed} of {len(profiles)} profiles valid")
    if failed:
        sys.exit(EXIT_INPUT)


@cli.command(context_settings=CONTEXT)
@click.option("--markdown", is_flag=True, help="Print the reference page (docs/profile-format.md) instead.")
def schema(markdown: bool) -> None:
    """Print the JSON Schema of profile version 2, which accepts version 1 too (for editor autocompletion)."""
    import json

    from generator.profile import schema as profile_schema

    if markdown:
        click.echo(profile_schema.markdown(), nl=False)
    else:
        click.echo(json.dumps(profile_schema.json_schema(), indent=2, ensure_ascii=False))


@cli.command(context_settings=CONTEXT)
@click.argument("path", required=False, type=_Path(dir_okay=False, path_type=Path), default=Path("profile.yaml"))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path, force) -> None:
    """Write a commented starter profile to PATH (default: profile.yaml; '-': standard output)."""
    if path == STDOUT:
        # As everywhere else '-' is standard output; a file named '-' would later read as it.
        from generator.profile.files import starter_text

        click.echo(starter_text(), nl=False)
        return
    from generator.profile import write_starter

    write_starter(path, force=force)
    click.echo(shown(path))


@cli.group(context_settings=CONTEXT, invoke_without_command=True)
@click.pass_context
def templates(ctx: click.Context) -> None:
    """Copy the bundled templates to edit them."""
    _help_without_command(ctx)


@templates.command("export", context_settings=CONTEXT)
@click.argument("dest", type=_Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files already in DEST.")
def templates_export(dest, force) -> None:
    """Write the bundled templates, theme and reference document into DEST; pass DEST to 'render --templates'."""
    from generator.brief.templating import export_templates

    if dest == STDOUT:  # several files cannot go to standard output, and a folder named '-' reads as stdout later
        raise click.BadParameter("'-' (standard output) cannot hold several files; give a folder.",
                                 click.get_current_context(), param=next(
                                     p for p in click.get_current_context().command.params if p.name == "dest"))

    for written in export_templates(dest, force=force):
        click.echo(shown(written))


@cli.group(context_settings=CONTEXT, invoke_without_command=True)
@knowledge_option
@click.pass_context
def frameworks(ctx: click.Context, knowledge_dirs) -> None:
    """List the frameworks in the knowledge base, or show one with its sources."""
    ctx.obj["knowledge_dirs"] = knowledge_dirs
    _help_without_command(ctx)


@frameworks.command("list", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--max-age", type=click.IntRange(min=0), default=365, show_default=True,
              help="Count facts whose evidence is older than this many days as stale.")
@click.pass_context
def frameworks_list(ctx: click.Context, as_json: bool, max_age: int) -> None:
    """List known frameworks."""
    from generator.knowledge import load_knowledge
    from generator.knowledge.catalogue import list_frameworks

    click.echo(list_frameworks(load_knowledge(ctx.obj["knowledge_dirs"]), as_json=as_json, max_age=max_age))


@frameworks.command("show", context_settings=CONTEXT)
@click.argument("framework_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--max-age", type=click.IntRange(min=0), default=365, show_default=True,
              help="Mark facts whose evidence is older than this many days as stale.")
@click.pass_context
def frameworks_show(ctx: click.Context, framework_id: str, as_json: bool, max_age: int) -> None:
    """Show one framework with every fact, its sources and their age."""
    from generator.knowledge import load_knowledge
    from generator.knowledge.catalogue import show_framework

    click.echo(show_framework(load_knowledge(ctx.obj["knowledge_dirs"]), framework_id, as_json=as_json, max_age=max_age))


@cli.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True, type=_Path())
@format_option
@output_option
@knowledge_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: one per core).")
@click.option("--force", is_flag=True, help="Re-render briefs that are already up to date.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
# Upper bounds: the worker pool waits with poll(), whose milliseconds must fit a C int (24.8
# days), and setrlimit takes bytes as a signed 64-bit number; a day per profile and 1 TiB per
# worker are far beyond any brief.
@click.option("--timeout", type=click.FloatRange(min=0.1, max=86400), callback=_a_number, default=60.0,
              show_default=True, help="Seconds one profile may take before it is stopped.")
# The lower bound is static; the real floor (what a worker maps at start, plus 256 MiB for
# rendering) is only known at run time and is checked before any work.
@click.option("--memory-limit", type=click.IntRange(min=256, max=1 << 20), default=1024, show_default=True,
              metavar="MIB", help="Address space each worker may use, in MiB; a profile that needs more fails "
              "alone. At least a worker's start-up size plus 256 (about 300), checked before any work.")
@templates_option
def batch(inputs, formats, output_dir, knowledge_dirs, jobs, force, quiet, timeout, memory_limit, templates_dir) -> None:
    """Render briefs for every profile in the folders or globs INPUTS, in parallel.

    \b
    Folders give their *.yaml and *.yml files (not subfolders); globs are expanded
    here. Every profile is validated first; briefs already up to date in the output
    folder are skipped (see --force), so an interrupted batch resumes. Writes
    index.json, index.csv and portfolio.pdf/.docx into the output folder. Profiles
    that would write the same file all fail: give each its own brief.output.
    """
    _folder_not_stdout(click.get_current_context(), output_dir)
    from generator.batch import run_batch
    from generator.cli_format import ProgressBar, change_report, safe, summary_table

    try:
        report = run_batch(inputs, output_dir, formats, knowledge_dirs=knowledge_dirs, jobs=jobs, force=force,
                           timeout=timeout, memory_cap=memory_limit << 20, listener=ProgressBar(sys.stderr, quiet),
                           templates_dir=templates_dir)
    except ConfigError as exc:  # nothing could start
        _error(safe(str(exc)))
        sys.exit(EXIT_USAGE)
    click.echo(summary_table(report.rows, report.wall, report.jobs), err=True)
    if report.changes:
        click.echo(change_report(report.changes, report.rows), err=True)
    for path in report.written:
        click.echo(shown(path))
    if report.exit_code == EXIT_INTERRUPTED:
        click.echo("interrupted", err=True)
    sys.exit(report.exit_code)


def _diff_formats(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    items = _formats(ctx, param, value)
    if items and not set(items) <= set(DIFF_FORMATS):
        raise click.BadParameter(f"{value!r} (allowed: {', '.join(DIFF_FORMATS)})")
    return items


def _stdin_for_one_side(ctx: click.Context, param: click.Parameter, b: Path) -> Path:
    if str(b) == "-" and str(ctx.params.get("a")) == "-":
        raise click.BadParameter("'-' (standard input) can be read once; give it for one side.", ctx, param=param)
    return b


@cli.command(context_settings=CONTEXT)
@click.argument("a", type=_Path(dir_okay=False, path_type=Path))
@click.argument("b", type=_Path(dir_okay=False, path_type=Path), callback=_stdin_for_one_side)
@click.option("--json", "as_json", is_flag=True, help="Print the difference as JSON.")
@click.option("-f", "--format", "formats", callback=_diff_formats, metavar="LIST",
              help="Also write a one-page decision update: comma-separated pdf, docx, md.")
@output_option
@knowledge_option
@click.option("--knowledge-a", "knowledge_a", multiple=True, type=_Path(exists=True, file_okay=False),
              help="Knowledge folder for side A only, after --knowledge (repeatable).")
@click.option("--knowledge-b", "knowledge_b", multiple=True, type=_Path(exists=True, file_okay=False),
              help="Knowledge folder for side B only, after --knowledge (repeatable).")
@click.pass_context
def diff(ctx: click.Context, a, b, as_json, formats, output_dir, knowledge_dirs, knowledge_a, knowledge_b) -> None:
    """Compare decision A (before) with B (after): profiles or saved 'score --json' outputs.

    \b
    Says what changed in the inputs (profile fields, knowledge-base facts), the
    weights, each framework's score and knock-outs, and whether the pick changed.
    Profiles are scored now with the bundled knowledge base plus --knowledge; a
    saved output keeps the knowledge it was made with (--knowledge for it is
    refused). To see what a knowledge change does, give the same profile twice
    and the change with --knowledge-b. '-' reads one side from standard input.
    Exit codes: 0 the pick is unchanged, 1 it changed, 2 error.
    """
    if formats:
        _folder_not_stdout(ctx, output_dir)
    from generator.pipeline import diff_inputs, diff_labels
    from generator.scoring.diff import DiffError, describe

    try:
        result = diff_inputs(a, b, knowledge_a=knowledge_dirs + knowledge_a, knowledge_b=knowledge_dirs + knowledge_b)
        written = []
        if formats:
            from generator.brief.update import compose_update
            from generator.output import check_output_dir, publish, target
            from generator.pipeline import render_bytes

            out = check_output_dir(output_dir)
            update = compose_update(result, labels=diff_labels(a, b, stdin_name="standard input"))
            files = {target(out, "decision-update", fmt): render_bytes(update, fmt) for fmt in formats}
            publish(files)
            written = sorted(files)
    except BriefgenError as exc:
        if ctx.obj["debug"] or isinstance(exc, DiffError):
            raise
        raise DiffError(lines_of(exc)) from None  # a bad profile is an error here (2), not a changed pick (1)
    if as_json:
        import json

        click.echo(json.dumps(result.to_json(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        click.echo(describe(result), nl=False)
    for path in written:
        click.echo(shown(path))
    sys.exit(EXIT_INPUT if result.changed else 0)


def _hoist_debug(argv: list[str]) -> tuple[list[str], bool]:
    """``--debug`` anywhere before a ``--`` moves to the front, where the group takes it."""
    end = argv.index("--") if "--" in argv else len(argv)
    debug = "--debug" in argv[:end]
    if not debug:
        return argv, False
    return ["--debug", *(a for a in argv[:end] if a != "--debug"), *argv[end:]], True


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn errors into one clean line and an exit code."""
    argv, debug = _hoist_debug(list(argv if argv is not None else sys.argv[1:]))
    if sys.stdout is None:  # started with standard output closed (>&-): click would drop every result without a word
        _error("standard output is closed; briefgen writes its results there (redirect it to a file or /dev/null)")
        sys.exit(EXIT_USAGE)
    # A cancelled CI job or a `timeout` sends SIGTERM: it stops a render as Ctrl-C does (temporary files removed,
    # one line, exit 130), not silently with a stray temporary file.
    on_term = stop_like_ctrl_c() if _main_thread() else None
    try:
        code = cli.main(args=argv, prog_name="briefgen", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.UsageError as exc:
        # One line, like every other error: the problem and where help is.
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        click.echo(f"{ERROR_PREFIX}{exc.format_message()}{hint}", err=True)
        code = EXIT_USAGE
    except click.ClickException as exc:
        _error(exc.format_message())
        code = exc.exit_code
    except click.Abort:
        click.echo("interrupted", err=True)
        code = EXIT_INTERRUPTED
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        code = EXIT_INTERRUPTED
    except BriefgenError as exc:
        if debug:
            raise
        _error(str(exc))
        code = exc.exit_code
    except OSError as exc:  # the system refused (a name too long, a full disk or stdout): not a bug, and not the input's
        if debug:
            raise
        what = exc.strerror or str(exc)
        _error(shown(f"{exc.filename}: cannot be used ({what})") if exc.filename else
               f"a write to the output or standard output failed ({what})")
        code = EXIT_USAGE
    except Exception as exc:  # a bug: one line unless --debug
        if debug:
            raise
        _error(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")
        code = EXIT_INPUT
    finally:
        if on_term is not None:
            restore_handlers(on_term)
    sys.exit(code or 0)


def _main_thread() -> bool:
    """Whether signal handlers can be set here (only the main thread may; tests call main() from others too)."""
    import threading

    return threading.current_thread() is threading.main_thread()


def _drop_stdout() -> None:
    """Point standard output at nothing once its reader has gone, so Python's flush at exit does not add a second
    message about the same broken pipe."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
