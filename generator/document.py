"""The brief as a format-neutral document model.

``compose`` builds a :class:`Brief`; every renderer (PDF, DOCX, Markdown) walks
the same tree, so their content cannot drift. All strings here are plain text:
renderers escape them for their format and never interpret them as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from generator.wording import decimals


@dataclass(frozen=True)
class Text:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Link:
    """A clickable link; ``url`` comes from the knowledge base (https only), never from a profile."""

    text: str
    url: str


Inline = Union[Text, Link]


@dataclass(frozen=True)
class Paragraph:
    content: tuple[Inline, ...]
    style: str = "body"  # body | lead | small | note


@dataclass(frozen=True)
class BulletList:
    items: tuple[Paragraph, ...]
    numbered: bool = False


# Tables up to this many rows never split across pages (PDF and DOCX): a short table
# reads as one unit.
SHORT_TABLE_ROWS = 16

# A chart and the bullet list beside it in its section (the notes under the totals chart, the flips the
# weights chart draws) share a page in PDF and DOCX: the whole list when it has up to this many items,
# else the item nearest the chart.
CHART_NOTE_ITEMS = 6


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    # relative column widths (sum irrelevant); () = renderer decides
    widths: tuple[float, ...] = ()
    # "left" | "right" | "center" per column; () = all left
    align: tuple[str, ...] = ()
    # (row index, col index) cells to emphasise, e.g. the best score in a row
    highlight: tuple[tuple[int, int], ...] = ()
    # row indices set apart (e.g. ruled-out frameworks): the first cell, the name, is muted; the
    # other cells keep the normal text colour, since muted prose is hard to read in print
    muted_rows: tuple[int, ...] = ()


@dataclass(frozen=True)
class Callout:
    """A boxed message: the recommendation up front, a warning about a close call."""

    title: str
    body: tuple[Paragraph, ...]
    tone: str = "info"  # info | success | warning


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    note: str = ""  # shown after the bar, e.g. "knocked out"
    muted: bool = False
    highlight: bool = False  # drawn in the accent colour: the recommended option


@dataclass(frozen=True)
class Chart:
    """One chart specification; renderers draw it (vector in PDF).

    kind "bar": horizontal bars, one per ``bars`` item, on 0..``maximum``.
    kind "range": for each bar, ``value`` is the current weight and ``low``/``high``
    the interval in which the recommendation holds (drawn as a band with a marker);
    a bar's ``note`` is printed beside it as it is ("now 5%, flips at 19%").
    """

    kind: str
    title: str
    bars: tuple[Bar, ...]
    maximum: float
    unit: str = ""
    alt_text: str = ""  # a sentence describing the chart, for DOCX alt text and accessibility
    low: tuple[float, ...] = ()  # kind "range" only, same length as bars
    high: tuple[float, ...] = ()
    # printed under a drawn chart (PDF, DOCX): what its marks mean, e.g. a range chart's band and
    # marker; Markdown lists the numbers in words and has no marks to explain
    legend: str = ""

    def value_text(self, value: float) -> str:
        """A bar's value as printed: whole numbers when every bar is one (counts), else one decimal."""
        return decimals(value, 0 if all(float(b.value).is_integer() for b in self.bars) else 1)


@dataclass(frozen=True)
class SourceRef:
    """One entry of the sources appendix."""

    key: str  # the short label cited in the text, e.g. "[3]"
    title: str
    publisher: str
    url: str
    tier: str  # primary | secondary | tertiary
    published: str  # the date the page states, "undated", or "" for a release
    retrieved: str  # the day the page was read: never shown as a publication date
    released: str = ""  # a release's date, for release pages

    @property
    def label(self) -> str:
        """Tier and dates, e.g. 'primary source; published 2026-10-06, retrieved 2026-11-27'."""
        dates = source_dates(self.published, self.released, self.retrieved)
        return f"{self.tier} source; {dates}" if self.tier else dates


def source_dates(published: str, released: str, retrieved: str) -> str:
    """A source's dates as every report prints them, e.g. 'undated page, retrieved 2026-11-27'.

    The retrieval date is always labelled as such: it never stands in for a publication date.
    """
    if released:
        own = f"released {released}"
    elif published and published != "undated":
        own = f"published {published}"
    else:
        own = "undated page"
    return f"{own}, retrieved {retrieved}" if retrieved else own


@dataclass(frozen=True)
class SourceList:
    sources: tuple[SourceRef, ...]


Block = Union[Paragraph, BulletList, Table, Callout, Chart, SourceList, "Section"]


@dataclass(frozen=True)
class Section:
    id: str  # stable, e.g. "recommendation"; used for bookmarks and parity tests
    title: str
    level: int  # 1..3
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Metadata:
    title: str
    subtitle: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    date: str  # ISO date printed on the brief
    organisation: str = ""
    prepared_for: str = ""
    kb_as_of: str = ""
    header: str = ""  # running header text
    language: str = "en"
    # what reproduces the brief: briefgen version, knowledge base version and date, profile digest
    provenance: str = ""
    options: tuple[str, ...] = ()  # the options compared, best first (an ADR's "Considered Options")
    # The author the title block names: the profile's own, never the organisation standing in for it ("Author:
    # Mercari" under "Organisation: Mercari"); ``author`` keeps that stand-in for the file's properties.
    byline: str = ""


@dataclass(frozen=True)
class Theme:
    primary: str = "#1F3A5F"  # hex colours
    accent: str = "#2E7D6B"
    warning: str = "#B35C00"
    muted: str = "#6B7280"
    font: str = "DejaVuSans"
    logo: bytes | None = None  # PNG bytes, re-encoded and size-checked before it gets here
    logo_position: str = "title"  # title | header


@dataclass(frozen=True)
class Brief:
    meta: Metadata
    sections: tuple[Section, ...]
    theme: Theme = field(default_factory=Theme)
    audience: str = "executive"
    warnings: tuple[str, ...] = ()  # e.g. "project.name: removed 2 characters XML cannot hold"


def plain(*parts: str | Inline) -> Paragraph:
    """A paragraph from plain strings and inline pieces."""
    return Paragraph(tuple(Text(p) if isinstance(p, str) else p for p in parts))


def chart_notes(blocks, i: int) -> str:
    """Where the bullets that explain the chart ``blocks[i]`` are: "after" it, "before" it, or "" (none).

    The list right after a chart explains it (the options under the totals chart); without one, the list
    right before it does (the flips that the weights chart then draws).
    """
    if not isinstance(blocks[i], Chart):
        return ""
    if i + 1 < len(blocks) and isinstance(blocks[i + 1], BulletList):
        return "after"
    if i > 0 and isinstance(blocks[i - 1], BulletList):
        return "before"
    return ""


def iter_text(brief: Brief):
    """Every visible string of the brief in reading order (for parity tests and search)."""

    def walk(block):
        if isinstance(block, Section):
            yield block.title
            for b in block.blocks:
                yield from walk(b)
        elif isinstance(block, Paragraph):
            yield "".join(i.text for i in block.content)
        elif isinstance(block, BulletList):
            for item in block.items:
                yield from walk(item)
        elif isinstance(block, Table):
            yield from block.header
            for row in block.rows:
                yield from row
            if block.caption:
                yield block.caption
        elif isinstance(block, Callout):
            yield block.title
            for p in block.body:
                yield from walk(p)
        elif isinstance(block, Chart):
            yield block.title
            if block.legend:
                yield block.legend
        elif isinstance(block, SourceList):
            for s in block.sources:
                yield s.title

    yield brief.meta.title
    for section in brief.sections:
        yield from walk(section)
