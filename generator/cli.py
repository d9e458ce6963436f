"""The ``briefgen`` command: a thin Click layer over the library, and the only module that prints.

Results go to stdout, messages to stderr (generator.cli_format shapes the
terminal text). Exit codes: 0 success, 1 some inputs failed, 2 usage or
configuration error, 130 interrupted. Heavy libraries (reportlab, python-docx)
are imported only inside the commands that render.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator import __version__
from generator.errors import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_USAGE, BriefgenError, ConfigError, InputError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
FORMAT_CHOICES = ("pdf", "docx", "json", "md")


def _formats(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    items = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    bad = [v for v in items if v not in FORMAT_CHOICES]
    if bad or not items:
        raise click.BadParameter(f"{', '.join(bad) or value!r} (allowed: {', '.join(FORMAT_CHOICES)})")
    return items


format_option = click.option(
    "-f", "--format", "formats", callback=_formats, metavar="LIST",
    help="Comma-separated formats: pdf, docx, json, md. Default: the profile's brief.formats.",
)
output_option = click.option(
    "-o", "--output-dir", "output_dir", type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"), show_default=True, help="Folder the briefs are written to.",
)
knowledge_option = click.option(
    "--knowledge", "knowledge_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
    help="Extra folder of framework files that add to or override the bundled knowledge base (repeatable).",
)
profile_args = click.argument("profiles", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="briefgen")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Decision briefs that compare ML workflow frameworks against your project profile.

    \b
    Exit codes: 0 success, 1 some inputs failed, 2 usage or configuration error,
    130 interrupted.
    """
    ctx.obj = {"debug": debug}


def _warn(lines) -> None:
    for line in lines:
        click.echo(f"warning: {line}", err=True)


@cli.command(context_settings=CONTEXT)
@profile_args
@format_option
@output_option
@knowledge_option
@click.option("--reference-docx", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A Word document whose styles, header and footer the DOCX starts from.")
@click.pass_context
def render(ctx: click.Context, profiles, formats, output_dir, knowledge_dirs, reference_docx) -> None:
    """Render a brief for each PROFILE into the output folder."""
    from generator.output import check_output_dir
    from generator.pipeline import run_profile

    out = check_output_dir(output_dir)
    failed = 0
    for path in profiles:
        try:
            result = run_profile(path, out, formats, knowledge_dirs=knowledge_dirs, reference_docx=reference_docx)
        except InputError as exc:
            if ctx.obj["debug"]:
                raise
            failed += 1  # one bad profile never stops the others
            click.echo(str(exc), err=True)
            continue
        _warn(result.warnings)
        for written in result.outputs:
            click.echo(written)
    if failed:
        sys.exit(EXIT_INPUT)


@cli.command(context_settings=CONTEXT)
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the assessment as JSON.")
@knowledge_option
def score(profile, as_json, knowledge_dirs) -> None:
    """Score the frameworks for PROFILE and print the ranking."""
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
def validate(profiles, knowledge_dirs) -> None:
    """Check each PROFILE and report every problem (exit 1 if any is invalid)."""
    from generator.knowledge import load_knowledge
    from generator.profile import validate_files

    def show(path, problems) -> None:
        for problem in problems:
            click.echo(str(problem), err=True)
        if problems:
            click.echo(f"FAIL {path} ({len(problems)} problem{'s' if len(problems) != 1 else ''})")
        else:
            click.echo(f"ok   {path}")

    known = tuple(load_knowledge(knowledge_dirs).frameworks)
    results = validate_files(profiles, known_frameworks=known, report=show)
    failed = sum(1 for _, problems in results if problems)
    if len(profiles) > 1:
        click.echo(f"{len(profiles) - failed} of {len(profiles)} profiles valid")
    if failed:
        sys.exit(EXIT_INPUT)


@cli.command(context_settings=CONTEXT)
@click.option("--markdown", is_flag=True, help="Print the reference page (docs/profile-format.md) instead.")
def schema(markdown: bool) -> None:
    """Print the JSON Schema of profile version 1 (for editor autocompletion)."""
    import json

    from generator.profile import schema as profile_schema

    if markdown:
        click.echo(profile_schema.markdown(), nl=False)
    else:
        click.echo(json.dumps(profile_schema.json_schema(), indent=2, ensure_ascii=False))


@cli.command(context_settings=CONTEXT)
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path), default=Path("profile.yaml"))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path, force) -> None:
    """Write a commented starter profile to PATH (default: profile.yaml)."""
    from generator.profile import write_starter

    write_starter(path, force=force)
    click.echo(str(path))


@cli.group(context_settings=CONTEXT)
@knowledge_option
@click.pass_context
def frameworks(ctx: click.Context, knowledge_dirs) -> None:
    """List the frameworks in the knowledge base, or show one with its sources."""
    ctx.obj["knowledge_dirs"] = knowledge_dirs


@frameworks.command("list", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--max-age", type=click.IntRange(min=0), default=365, show_default=True,
              help="Flag frameworks whose evidence is older than this many days.")
@click.pass_context
def frameworks_list(ctx: click.Context, as_json: bool, max_age: int) -> None:
    """List known frameworks."""
    from generator.knowledge import load_knowledge
    from generator.knowledge.catalogue import list_frameworks

    click.echo(list_frameworks(load_knowledge(ctx.obj["knowledge_dirs"]), as_json=as_json, max_age=max_age))


@frameworks.command("show", context_settings=CONTEXT)
@click.argument("framework_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def frameworks_show(ctx: click.Context, framework_id: str, as_json: bool) -> None:
    """Show one framework with every fact and its sources."""
    from generator.knowledge import load_knowledge
    from generator.knowledge.catalogue import show_framework

    click.echo(show_framework(load_knowledge(ctx.obj["knowledge_dirs"]), framework_id, as_json=as_json))


@cli.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True)
@format_option
@output_option
@knowledge_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: one per core).")
@click.option("--force", is_flag=True, help="Re-render briefs that are already up to date.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds one profile may take before it is stopped.")
@click.option("--memory-limit", type=click.IntRange(min=128), default=1024, show_default=True, metavar="MIB",
              help="Address space each worker may use; a profile that needs more fails alone.")
def batch(inputs, formats, output_dir, knowledge_dirs, jobs, force, quiet, timeout, memory_limit) -> None:
    """Render briefs for every profile in the folders or globs INPUTS, in parallel.

    \b
    Folders give their *.yaml and *.yml files (not subfolders); globs are expanded
    here. Every profile is validated first; briefs already up to date in the output
    folder are skipped (see --force), so an interrupted batch resumes. Writes
    index.json, index.csv and portfolio.pdf/.docx into the output folder. Profiles
    that would write the same file all fail: give each its own brief.output.
    """
    from generator.batch import run_batch
    from generator.cli_format import ProgressBar, safe, summary_table

    try:
        report = run_batch(inputs, output_dir, formats, knowledge_dirs=knowledge_dirs, jobs=jobs, force=force,
                           timeout=timeout, memory_cap=memory_limit << 20, listener=ProgressBar(sys.stderr, quiet))
    except ConfigError as exc:  # nothing could start
        click.echo(safe(str(exc)), err=True)
        sys.exit(EXIT_USAGE)
    click.echo(summary_table(report.rows, report.wall, report.jobs), err=True)
    for path in report.written:
        click.echo(str(path))
    if report.exit_code == EXIT_INTERRUPTED:
        click.echo("interrupted", err=True)
    sys.exit(report.exit_code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn errors into one clean line and an exit code."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        code = cli.main(args=argv, prog_name="briefgen", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.UsageError as exc:
        # One line, like every other error: the problem and where help is.
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        click.echo(f"error: {exc.format_message()}{hint}", err=True)
        code = EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
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
        click.echo(str(exc), err=True)
        code = exc.exit_code
    except Exception as exc:  # a bug: one line unless --debug
        if debug:
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", err=True)
        code = EXIT_INPUT
    sys.exit(code or 0)
