"""The portfolio overview: every project's recommendation side by side, as a Brief.

Built from the batch's index rows (no I/O here) and rendered by the same
renderers as a single brief, so it looks and escapes text the same way.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Iterable, Mapping, Protocol

from generator.brief.options import short_name
from generator.document import Bar, Brief, Chart, Metadata, Paragraph, Section, Table, plain
from generator.scoring.assessment import Verdict
from generator.scoring.diff import CAUSE_WORDS
from generator.wording import percent, points


class Row(Protocol):
    """What the portfolio reads of one project (the batch's index rows have it)."""

    profile: str
    project: str
    organisation: str
    summary: Mapping  # primary, stack, margin, robustness, verdict
    change: Mapping  # since the previous run: changed, cause, previous_stack; empty without one


BASE_NAME = "portfolio"
HEADER = ("Project", "Organisation", "Recommendation", "Stack", "Margin", "Verdict", "Robustness")
CHANGE_HEADER = ("Project", "Previous pick", "New pick", "Cause")
VERDICTS = {Verdict.CLEAR: "clear", Verdict.LEANING: "leaning", Verdict.TOO_CLOSE: "too close to call"}


def _name(fid: str, names: Mapping[str, str]) -> str:
    return names.get(fid, fid)


def _row(row: Row, names: Mapping[str, str]) -> tuple[str, ...]:
    s = row.summary
    stack = _stack(s.get("stack", ()), names)
    margin = s.get("margin")
    robustness = s.get("robustness")
    return (
        row.project or row.profile,
        row.organisation,
        _name(s.get("primary", ""), names),
        stack,
        "" if margin is None else f"{points(margin)} pts",
        VERDICTS.get(s.get("verdict", ""), s.get("verdict", "")),
        "" if robustness is None else percent(robustness),
    )


def _stack(ids: Iterable[str], names: Mapping[str, str]) -> str:
    return " + ".join(_name(f, names) for f in ids)


def _changes(rows: list[Row], changes: str, names: Mapping[str, str]) -> Section:
    """The batch's comparison with its previous run: the count, then one row per project that moved."""
    moved = [r for r in rows if r.change.get("changed")]
    blocks: list = [plain(f"{changes[0].upper()}{changes[1:]} since the last run.")]
    if moved:
        blocks.append(Table(
            header=CHANGE_HEADER,
            rows=tuple((r.project or r.profile, _stack(r.change.get("previous_stack", ()), names),
                        _stack(r.summary.get("stack", ()), names), CAUSE_WORDS[r.change["cause"]]) for r in moved),
            caption="Projects that would now choose differently",
            widths=(24, 22, 22, 32),
        ))
    return Section("portfolio-changes", "Since the last run", 1, tuple(blocks))


def _chart(counts: Counter, names: Mapping[str, str]) -> Chart:
    # most frequent first; ties by name so the chart is the same for the same batch
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], _name(kv[0], names)))
    # the framework recommended most often stands out, as the recommendation does in a brief's chart
    # the short name a brief's chart uses, so no label is cut ('Gemini Enterprise Agent Platform (…')
    bars = tuple(Bar(short_name(_name(fid, names)), float(n), highlight=i == 0) for i, (fid, n) in enumerate(ordered))
    alt = "; ".join(f"{b.label}: {int(b.value)}" for b in bars)
    return Chart(
        kind="bar",
        title="Recommendations by framework",
        bars=bars,
        maximum=float(4 * math.ceil(max(counts.values()) / 4)),  # the axis has 4 steps: whole numbers
        unit="projects",
        alt_text=f"Number of projects for which each framework is the recommendation. {alt}.",
    )


def build_portfolio(rows: list[Row], *, names: Mapping[str, str], date: str, kb_as_of: str = "",
                    changes: str = "") -> Brief:
    """A Brief with a table of every project that has a recommendation, a chart of the counts
    and, after a previous run, the projects that would now choose differently.

    ``rows`` are the batch's rendered and skipped rows, in input order; ``names``
    maps framework ids to display names; ``changes`` is the batch's comparison with
    its previous run ("1 of 3 projects would now choose differently"), "" without one.
    """
    counts = Counter(r.summary.get("primary", "") for r in rows)
    total = len(rows)
    leader, lead_n = min(counts.items(), key=lambda kv: (-kv[1], _name(kv[0], names)))
    intro = plain(
        f"{total} project{'s' if total != 1 else ''}; {len(counts)} different "
        f"recommendation{'s' if len(counts) != 1 else ''}. Most often recommended: "
        f"{_name(leader, names)} ({lead_n} of {total})."
    )
    too_close = sum(1 for r in rows if r.summary.get("verdict") == Verdict.TOO_CLOSE)
    note = plain(
        "Margin is the lead in points (0-100 scale) over the runner-up; robustness is the share of "
        "randomly perturbed weightings in which the pick stays first."
        + (f" {too_close} decision{'s are' if too_close != 1 else ' is'} too close to call." if too_close else "")
    )
    table = Table(
        header=HEADER,
        rows=tuple(_row(r, names) for r in rows),
        caption="Recommendation per project",
        # per cent of the line; the bold headers "Recommendation", "Organisation" and
        # "Robustness" need this much to stay whole words
        widths=(16, 15.5, 20, 16, 9.5, 9, 14),
        align=("left", "left", "left", "left", "right", "left", "right"),
    )
    sections = (
        Section("portfolio-summary", "Summary", 1, (intro, _chart(counts, names), Paragraph(note.content, "small"))),
        *((_changes(rows, changes, names),) if changes else ()),
        Section("portfolio-projects", "Projects", 1, (table,)),
    )
    meta = Metadata(
        title="Portfolio of framework recommendations",
        subtitle=f"{total} project{'s' if total != 1 else ''}",
        author="briefgen",
        subject="ML workflow framework recommendations across projects",
        keywords=("portfolio", "ML workflow frameworks"),
        date=date,
        kb_as_of=kb_as_of,
        header="Portfolio overview",
    )
    return Brief(meta=meta, sections=sections, audience="executive")
