"""One profile through the whole flow: load, score, compose, render, write.

The CLI's ``render`` and the batch workers both call :func:`run_profile`, so a
brief made alone and a brief made in a batch are the same bytes.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from generator import dates
from generator.brief.compose import compose
from generator.brief.templating import TemplateSet, bundled_template, load_theme, profile_templates
from generator.errors import BriefgenError, InputError, lines_of
from generator.knowledge.loader import load_knowledge
from generator.output import extension, publish, target
from generator.profile.files import STDIN, STDIN_NAME, load_profile
from generator.profile.validate import profile_from_text
from generator.profile.where import file_marks, located
from generator.profile.yamlsafe import read_limited, read_stream
from generator.scoring.assess import assess
from generator.scoring.assessment import Verdict

# A saved 'score --json' output of every framework with its sources is a few hundred KiB.
DOCUMENT_MAX_BYTES = 16 << 20


@dataclass(frozen=True)
class RunResult:
    profile: str
    outputs: tuple[str, ...]
    primary: str
    stack: tuple[str, ...]
    margin: float
    robustness: float
    verdict: Verdict
    warnings: tuple[str, ...] = ()
    kb_version: str = ""
    profile_digest: str = ""
    seconds: float = 0.0


class BriefCheckFailed(BriefgenError):
    """The linter found defects in a composed brief (``briefgen render --check``); nothing was written."""

    def __init__(self, profile: str, findings):
        self.findings = tuple(findings)
        super().__init__([f"{profile}: check: {f}" for f in self.findings])


def render_bytes(
    brief, fmt: str, *, assessment=None, reference_docx: Path | None = None, warnings: list[str] | None = None
) -> bytes:
    """Render a composed brief to one format; renderer libraries (reportlab, python-docx) load only here.

    Renderer-specific problems (e.g. a title too long for Word's properties) go to ``warnings``.
    """
    if fmt == "pdf":
        from generator.render.pdf import render_pdf_report

        data, notes = render_pdf_report(brief)
        if warnings is not None:
            warnings.extend(notes)  # e.g. characters no bundled font can draw
        return data
    if fmt == "docx":
        from generator.render.docx import render_docx

        return render_docx(brief, reference_docx=reference_docx, warnings=warnings)
    if fmt == "md":
        from generator.render.markdown import render_markdown

        return render_markdown(brief).encode("utf-8")
    if fmt == "adr":
        from generator.render.adr import render_adr

        return render_adr(brief).encode("utf-8")
    if fmt == "json":
        return (json.dumps(assessment.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}")


@dataclass(frozen=True)
class Rendered:
    """One profile's brief in memory: bytes per format, not yet written anywhere."""

    profile: object
    assessment: object
    brief: object
    files: dict[str, bytes]  # format -> bytes, in the order asked
    warnings: tuple[str, ...]  # the profile's, the brief's and the renderers', each once


def render_profile(
    path: str | Path,
    formats: tuple[str, ...] | None = None,
    *,
    knowledge_dirs: tuple[str, ...] = (),
    reference_docx: Path | None = None,
    profile=None,
    check: bool = False,
    templates: TemplateSet | None = None,
) -> Rendered:
    """Load (unless given), score, compose and render every format into memory.

    With ``check``, the brief linter runs first and a brief with findings raises
    :class:`BriefCheckFailed` before anything is rendered. ``templates`` is an edited
    copy of the bundled templates ('briefgen templates export'); its reference
    document applies when no ``reference_docx`` is given.
    """
    kb = load_knowledge(knowledge_dirs)
    if profile is None:
        profile = load_profile(path, known_frameworks=tuple(kb.frameworks))

    templates = profile_templates(profile.brief, templates)
    assessment = assess(profile, kb)
    template = templates.template(profile.brief.audience) if templates else None
    theme = load_theme(templates.theme if templates else None, logo=profile.brief.logo)
    if templates and templates.reference_docx and reference_docx is None:
        reference_docx = templates.reference_docx
    # The date rule lives with the caller so compose stays pure: project.date, else
    # generator.dates' today (SOURCE_DATE_EPOCH, else the clock).
    formats = formats or profile.brief.formats
    brief, pdf = fit_pages(assessment, kb, template or bundled_template(profile.brief.audience), theme,
                           dates.today().isoformat(), paged=bool({"pdf", "docx"} & set(formats)))
    if check:
        from generator.brief.lint import lint

        findings = lint(brief, assessment, kb)
        if findings:
            raise BriefCheckFailed(str(path), findings)
    render_warnings: list[str] = []
    files = {}
    for fmt in formats:
        if fmt == "pdf" and pdf is not None:
            files[fmt], notes = pdf  # the measured render is the one written
            render_warnings.extend(notes)
        else:
            files[fmt] = render_bytes(brief, fmt, assessment=assessment, reference_docx=reference_docx,
                                      warnings=render_warnings)
    later = brief.warnings + tuple(render_warnings)
    marks = file_marks(profile) if later else {}  # read again only when there is something to locate
    warnings = tuple(map(str, profile.warnings)) + tuple(located(profile, w, marks) for w in later)
    return Rendered(profile, assessment, brief, files, tuple(dict.fromkeys(warnings)))


# Lowered one at a time, in this order, until a brief fits its template's page budget: what a reader loses least
# first (a second "what would change" sentence, a third risk, a fourth option, a fifth criterion, a third reason),
# then a fourth criterion and a third option.
FIT_STEPS = (("changes", 1), ("risks", 2), ("shortlist", 3), ("criteria", 4), ("reasons", 2), ("criteria", 3),
             ("shortlist", 2))


def fit_pages(assessment, kb, template, theme, today: str, *, paged: bool = True):
    """compose(), with the template's limits lowered step by step (FIT_STEPS) until the PDF's sources start within
    its page budget (the limit ``pages``: pages before the sources; 0 sets none). Long names, a dozen frameworks
    ruled out or kept tools ran 10 of the 206 calibration profiles' executive briefs to a fifth page.

    Returns the brief and, when one was rendered to measure it (``paged``: a PDF or DOCX is wanted), its PDF as
    ``(bytes, warnings)`` for reuse; else None. The DOCX follows the same brief, its pages measured by the PDF's:
    Word and LibreOffice lay it out a little longer, and 3 of the 206 fitted briefs still ran a page over as DOCX;
    one (whose sections start at page tops, where no cut moves them) ran a page over as PDF.
    """
    def compose_with(tpl):
        return compose(assessment, kb, template=tpl, theme=theme, today=today)

    brief = compose_with(template)
    budget = template.limit("pages")
    if not budget or not paged:
        return brief, None
    from generator.render.pdf import render_pdf_paged

    data, notes, starts = render_pdf_paged(brief)
    for key, floor in FIT_STEPS:
        if starts.get("sources", 0) < budget + 2:  # on page budget + 1 at the latest
            break
        if template.limit(key) <= floor:
            continue
        template = replace(template, limits={**template.limits, key: template.limit(key) - 1})
        brief = compose_with(template)
        data, notes, starts = render_pdf_paged(brief)
    return brief, (data, notes)


def output_path(out_dir: Path, profile, fmt: str) -> Path:
    """Where ``run_profile`` writes ``profile``'s brief in format ``fmt``."""
    return target(out_dir, profile.output_name, extension(fmt))


def run_profile(
    path: str | Path,
    out_dir: Path,
    formats: tuple[str, ...] | None = None,
    *,
    knowledge_dirs: tuple[str, ...] = (),
    reference_docx: Path | None = None,
    profile=None,
    adr_dir: Path | None = None,
    check: bool = False,
    templates: TemplateSet | None = None,
) -> RunResult:
    """Load (unless given), score, compose, render every format, then publish all files.

    With ``check``, the brief linter runs first and a brief with findings raises
    :class:`BriefCheckFailed` before anything is rendered or written.
    """
    started = time.perf_counter()
    done = render_profile(
        path, formats, knowledge_dirs=knowledge_dirs, reference_docx=reference_docx, profile=profile, check=check,
        templates=templates,
    )
    files = {output_path(out_dir, done.profile, fmt): data for fmt, data in done.files.items()}
    if adr_dir is not None:
        from generator.render.adr import adr_path

        files[adr_path(adr_dir, done.profile.output_name)] = render_bytes(done.brief, "adr")
    publish(files)
    rec = done.assessment.recommendation
    return RunResult(
        profile=str(path),
        outputs=tuple(str(p) for p in sorted(files)),
        primary=rec.primary,
        stack=rec.stack,
        margin=rec.margin,
        robustness=rec.robustness,
        verdict=rec.verdict,
        warnings=done.warnings,
        seconds=time.perf_counter() - started,
        kb_version=done.assessment.kb_version,
        profile_digest=done.assessment.provenance["profile_digest"],
    )


def assessment_document(path: str | Path, *, knowledge_dirs: tuple[str, ...] = (), side: str = "",
                        stdin=None) -> dict:
    """The ``score --json`` document of ``path``: a saved output as is, or a profile scored now.

    A saved output keeps the knowledge it was made with, so ``knowledge_dirs`` given for it is refused (it was
    ignored without a word, and the comparison said "no input changed"); its format version is checked so that
    documents of unknown shape are refused. ``side`` ("a" or "b") names the option in that message. ``-`` reads
    the binary stream ``stdin`` (default: standard input), a profile or a saved output alike.
    """
    from generator.scoring.diff import DiffError, check_document

    from_stdin = str(path) == STDIN
    p = Path(STDIN_NAME if from_stdin else path)
    try:
        # as a profile is read: a FIFO or /dev/zero must not hang or fill memory
        raw = (read_stream(stdin or sys.stdin.buffer, DOCUMENT_MAX_BYTES, label=STDIN_NAME) if from_stdin
               else read_limited(p, DOCUMENT_MAX_BYTES))
    except InputError as exc:
        raise DiffError(lines_of(exc)) from None
    if p.suffix.lower() == ".json" or raw.lstrip()[:1] == b"{":
        try:
            doc = json.loads(raw)
        except ValueError as exc:
            # Python's own advice for a huge integer (sys.set_int_max_str_digits) is no use to the reader.
            why = "a number has thousands of digits" if "int_max_str_digits" in str(exc) else str(exc)
            raise DiffError(f"{p}: not valid JSON ({why})") from None
        except RecursionError:
            raise DiffError(f"{p}: not valid JSON (nested too deeply to be a 'briefgen score --json' output)") from None
        if knowledge_dirs:
            option = f"--knowledge or --knowledge-{side}" if side else "--knowledge"
            raise DiffError(f"{p}: a saved 'score --json' output keeps the knowledge it was made with, so {option} "
                            "cannot apply to it; give its profile instead to score it with that knowledge")
        return dict(check_document(doc, str(p)))
    kb = load_knowledge(knowledge_dirs)
    # the bytes already read, once: a relative brief.logo is found beside the file (standard input has no folder)
    profile = profile_from_text(raw, str(p), base_dir=None if from_stdin else p.parent,
                                known_frameworks=tuple(kb.frameworks))
    assessment = assess(profile, kb)
    # through JSON, so a profile scored now and a saved output compare value for value
    return json.loads(json.dumps(assessment.to_json()))


def diff_inputs(a: str | Path, b: str | Path, *, knowledge_a: tuple[str, ...] = (), knowledge_b: tuple[str, ...] = ()):
    """Compare two profiles or saved assessments (A before, B after); see :mod:`generator.scoring.diff`."""
    from generator.scoring.diff import compare

    return compare(
        assessment_document(a, knowledge_dirs=knowledge_a, side="a"),
        assessment_document(b, knowledge_dirs=knowledge_b, side="b"),
        labels=diff_labels(a, b),
    )


def diff_labels(a: str | Path, b: str | Path, *, stdin_name: str = STDIN_NAME) -> tuple[str, str]:
    """How the two sides of a diff are named: their paths, and standard input as the profile loader names it in a
    problem's location (a decision update, written for a reader, says ``stdin_name="standard input"``)."""
    return tuple(stdin_name if str(side) == STDIN else str(side) for side in (a, b))
