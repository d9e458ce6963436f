"""One profile through the whole flow: load, score, compose, render, write.

The CLI's ``render`` and the batch workers both call :func:`run_profile`, so a
brief made alone and a brief made in a batch are the same bytes.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from generator import dates
from generator.brief.compose import compose
from generator.brief.templating import TemplateSet, load_theme
from generator.errors import BriefgenError
from generator.knowledge.loader import load_knowledge
from generator.output import publish, target
from generator.profile.files import load_profile
from generator.scoring.assess import assess
from generator.scoring.assessment import Verdict


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
    seconds: float = 0.0


class BriefCheckFailed(BriefgenError):
    """The linter found defects in a composed brief (``briefgen render --check``); nothing was written."""

    def __init__(self, profile: str, findings):
        self.findings = tuple(findings)
        super().__init__("\n".join(f"{profile}: check: {f}" for f in self.findings))


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
    if fmt == "json":
        return (json.dumps(assessment.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}")


def run_profile(
    path: str | Path,
    out_dir: Path,
    formats: tuple[str, ...] | None = None,
    *,
    knowledge_dirs: tuple[str, ...] = (),
    reference_docx: Path | None = None,
    profile=None,
    check: bool = False,
    templates: TemplateSet | None = None,
) -> RunResult:
    """Load (unless given), score, compose, render every format, then publish all files.

    With ``check``, the brief linter runs first and a brief with findings raises
    :class:`BriefCheckFailed` before anything is rendered or written.
    """
    started = time.perf_counter()
    kb = load_knowledge(knowledge_dirs)
    if profile is None:
        profile = load_profile(path, known_frameworks=tuple(kb.frameworks))

    assessment = assess(profile, kb)
    # The date rule lives with the caller so compose stays pure: project.date, else
    # generator.dates' today (SOURCE_DATE_EPOCH, else the clock).
    audience = profile.brief.audience
    template = templates.template(audience) if templates else None
    theme = load_theme(templates.theme if templates else None, logo=profile.brief.logo)
    if templates and templates.reference_docx and reference_docx is None:
        reference_docx = templates.reference_docx
    brief = compose(assessment, kb, template=template, theme=theme, today=dates.today().isoformat())
    if check:
        from generator.brief.lint import lint

        findings = lint(brief, assessment, kb)
        if findings:
            raise BriefCheckFailed(str(path), findings)
    fmts = formats or profile.brief.formats
    render_warnings: list[str] = []
    files = {
        target(out_dir, profile.output_name, fmt): render_bytes(
            brief, fmt, assessment=assessment, reference_docx=reference_docx, warnings=render_warnings
        )
        for fmt in fmts
    }
    publish(files)
    rec = assessment.recommendation
    return RunResult(
        profile=str(path),
        outputs=tuple(str(p) for p in sorted(files)),
        primary=rec.primary,
        stack=rec.stack,
        margin=rec.margin,
        robustness=rec.robustness,
        verdict=rec.verdict,
        warnings=tuple(dict.fromkeys(brief.warnings + tuple(render_warnings))),
        seconds=time.perf_counter() - started,
    )
