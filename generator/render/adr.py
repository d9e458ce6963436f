"""Brief -> an Architecture Decision Record in MADR 4 format (Markdown with YAML front matter).

A rendering of the same document model as the PDF, not a second composition: each
brief section is placed under a MADR section by its stable ``Section.id`` through
:data:`PLACEMENT`; a section the table does not know (a new or renamed one) goes
under "More Information", so nothing the brief says is lost from the record.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from generator.document import Block, Brief, BulletList, Paragraph, Section, Text
from generator.render.markdown import _block, esc

CONTEXT = "Context and Problem Statement"
DRIVERS = "Decision Drivers"
OPTIONS = "Considered Options"
OUTCOME = "Decision Outcome"
CONSEQUENCES = "Consequences"  # a subsection of the outcome, as in the MADR template
PROS_CONS = "Pros and Cons of the Options"
MORE = "More Information"
# The MADR 4 sections in template order, with their heading level.
MADR_SECTIONS = ((CONTEXT, 2), (DRIVERS, 2), (OPTIONS, 2), (OUTCOME, 2), (CONSEQUENCES, 3), (PROS_CONS, 2), (MORE, 2))

# Brief section id -> MADR section. Unknown ids fall back to More Information.
PLACEMENT = {
    "profile": CONTEXT,
    "scores": DRIVERS,  # the criteria and their weights, and how each option scores on them
    "comparison": OPTIONS,
    "recommendation": OUTCOME,
    "conclusion": OUTCOME,
    "risks": CONSEQUENCES,
    "frameworks": PROS_CONS,
    "change": MORE,
    "adoption": MORE,
    "methodology": MORE,
    "appendix": MORE,
    "sources": MORE,
}

# Four digits or more (10000 follows 9999), and .md in any case (0005-x.MD is a record too).
ADR_NAME = re.compile(r"^(\d{4,})-(.*)\.md$", re.IGNORECASE)


def _shift(block: Block, level: int) -> Block:
    """A section and its subsections moved so that it sits at heading ``level`` (markdown adds one)."""
    if not isinstance(block, Section):
        return block
    return replace(block, level=level, blocks=tuple(_shift(b, level + 1) for b in block.blocks))


def _front_matter(brief: Brief) -> list[str]:
    m = brief.meta
    makers = [m.prepared_for] if m.prepared_for else []
    # JSON strings are valid YAML scalars: quotes and colons in a name cannot break the header.
    return [
        "---",
        "status: proposed",
        f"date: {json.dumps(m.date)}",
        f"decision-makers: {json.dumps(makers, ensure_ascii=False)}",
        f"consulted: {json.dumps([m.author] if m.author else [], ensure_ascii=False)}",
        "informed: []",
        "---",
        "",
    ]


def render_adr(brief: Brief) -> str:
    """The brief as a MADR 4 decision record a team can commit under docs/decisions/."""
    placed: dict[str, list[Section]] = {name: [] for name, _ in MADR_SECTIONS}
    for section in brief.sections:
        placed[PLACEMENT.get(section.id, MORE)].append(section)
    m = brief.meta
    if m.options:
        options = Section("options-list", "", 2, (BulletList(tuple(Paragraph((Text(o),)) for o in m.options)),))
        placed[OPTIONS].insert(0, options)
    out = _front_matter(brief) + [f"# {esc(m.subject or m.title)}", ""]
    for name, level in MADR_SECTIONS:
        out += ["#" * level + " " + name, ""]
        sections = placed[name]
        if name == CONTEXT and m.subtitle:
            out += [esc(m.subtitle) + ".", ""]
        if name == MORE and m.provenance:
            out += [f"Reproducible with {esc(m.provenance)}.", ""]
        for section in sections:
            if len(sections) > 1 and section.title:
                # several brief sections share this MADR section: each keeps its own heading
                _block(_shift(section, level), out)
            else:
                for child in section.blocks:
                    _block(_shift(child, level), out)
        if not sections and name != MORE:
            out += ["Not covered by this brief.", ""]
    return "\n".join(out).rstrip() + "\n"


def adr_path(adr_dir: Path, base: str) -> Path:
    """``NNNN-base.md`` in ``adr_dir``: the number of an existing record for ``base`` (updated in
    place, so re-running keeps one record per decision), else one after the highest ``NNNN-*.md``."""
    numbers = []
    # The folder is made with the first record written (output.check_output_dir(create=False)).
    for entry in (adr_dir.iterdir() if adr_dir.is_dir() else ()):
        match = ADR_NAME.match(entry.name)
        if match:
            if match.group(2) == base:
                return entry
            numbers.append(int(match.group(1)))
    return adr_dir / (str(max(numbers, default=0) + 1).zfill(4) + f"-{base}.md")
