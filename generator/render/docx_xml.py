"""WordprocessingML fragments for the DOCX renderer, built as strings.

Building the body as one string and parsing it once is several times faster than
python-docx's proxy objects (no style-name scans, no cell-grid rebuilds) and lets us
emit what python-docx has no API for: hyperlinks, bookmarks, fields, merged chart cells,
repeating header rows, table alt text. Nothing here imports python-docx; the renderer
supplies a :class:`Context` with the resolved style ids and relationship callbacks.

Element order inside pPr, rPr, tblPr and tcPr follows the schema sequence, which Word
enforces ("unreadable content") even where LibreOffice is lenient.
"""

from __future__ import annotations

import functools
import heapq
import re
from dataclasses import dataclass, field
from typing import Callable
from xml.sax.saxutils import escape, quoteattr

from generator.document import (
    CHART_NOTE_ITEMS,
    SHORT_TABLE_ROWS,
    BulletList,
    Callout,
    Chart,
    Link,
    Paragraph,
    Section,
    SourceList,
    Table,
    Text,
    chart_notes,
)
from generator.render.columns import widen_to_fit
from generator.sanitize import clean, removal_warning
from generator.wording import whole_or_tenths, with_unit

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
NAMESPACES = {"w": W_NS, "r": R_NS, "wp": WP_NS, "a": A_NS, "pic": PIC_NS}
NSDECL = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())

# Style names the brief uses (Word's UI names); the renderer maps each to the styleId
# found in the target document, so a German or custom reference docx works too.
STYLE_NAMES = (
    "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "List Bullet",
    "List Number", "Caption", "Chart Title", "TOC Heading", "toc 1", "toc 2", "toc 3", "Header", "Footer",
    "Lead", "Small Text", "Note", "Table Text", "Callout Title", "Callout Text", "Bibliography",
    "Hyperlink", "Brief Table",
)
PARAGRAPH_STYLES = {"body": "Normal", "lead": "Lead", "small": "Small Text", "note": "Note"}
CHART_COLUMNS = 50  # resolution of table-drawn bars: 2 % of the axis per grid column
SAFE_SCHEMES = ("https://", "http://", "mailto:")


@dataclass
class Context:
    """What the fragment builders need from the document being written."""

    styles: dict[str, str]  # style name -> styleId in the target document
    theme_primary: str
    theme_accent: str
    theme_warning: str
    theme_muted: str
    text_width: int  # twips between the margins
    link: Callable[[str], str]  # url -> relationship id
    numbering: Callable[[bool], str | None]  # numbered? -> numId for a list that restarts at 1
    # the body font draws U+2011, so identifiers such as CVE ids can keep their hyphens unbroken
    nb_hyphen: bool = False
    bookmarks: list[tuple[str, str, int]] = field(default_factory=list)  # (name, title, level)
    after_table: bool = False  # the last block written was a table (with its caption)
    removed: dict[str, int] = field(default_factory=dict)  # field -> characters dropped
    notes: list[str] = field(default_factory=list)  # other warnings, e.g. shortened properties
    _counted: set = field(default_factory=set)

    def clean(self, text: str, where: str) -> str:
        cleaned, count = clean(text)
        # the title also goes into the core properties: count each string once
        if count and (where, text) not in self._counted:
            self._counted.add((where, text))
            self.removed[where] = self.removed.get(where, 0) + count
        return cleaned

    def prose(self, text: str, where: str) -> str:
        """Cleaned text to print as prose or a cell: identifiers never wrap at their hyphens."""
        cleaned = self.clean(text, where)
        return unbroken_ids(cleaned) if self.nb_hyphen else cleaned

    def warnings(self) -> list[str]:
        """One warning per field, however many of its strings needed cleaning."""
        return [removal_warning(where, count) for where, count in self.removed.items()] + self.notes


# --- runs and paragraphs ------------------------------------------------------------

# Identifiers read as one token: CVE-2026-118624, PYSEC-2026-2657. Word and LibreOffice wrap a
# line after any hyphen ("CVE-2026-" / "118624" in a narrow column), and no column width stops
# that. Dates and words keep plain hyphens: a non-breaking one does not match "-" in a search.
_IDENTIFIER = re.compile(r"\b[A-Z][A-Z0-9]{1,9}(?:-\d+)+\b")


def unbroken_ids(text: str) -> str:
    """``text`` with the hyphens inside identifiers made non-breaking (U+2011)."""
    if "-" not in text:
        return text
    return _IDENTIFIER.sub(lambda m: m.group(0).replace("-", "\u2011"), text)


def hex_colour(value: str) -> str:
    """'#1f3a5f' -> '1F3A5F'; anything malformed falls back to black rather than breaking XML."""
    v = value.strip().lstrip("#").upper()
    return v if len(v) == 6 and all(c in "0123456789ABCDEF" for c in v) else "000000"


def tint(colour: str, keep: float) -> str:
    """Mix ``colour`` with white, keeping ``keep`` of it (light fills for callouts, highlights)."""
    c = hex_colour(colour)
    rgb = (int(c[i : i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(255 - (255 - x) * keep):02X}" for x in rgb)


def text_xml(text: str) -> str:
    """w:t elements for ``text``; newlines and tabs become Word breaks, not literal characters."""
    if "\n" not in text and "\t" not in text and "\r" not in text:
        return f'<w:t xml:space="preserve">{escape(text)}</w:t>' if text else ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # a parser would turn a bare CR into LF anyway
    out = []
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                out.append("<w:tab/>")
            if chunk:
                out.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return "".join(out)


def run(text: str, *, bold=False, italic=False, colour: str = "", style_id: str = "", size: int = 0) -> str:
    """A run of text; ``size`` in half-points overrides its style's font size."""
    props = []
    if style_id:
        props.append(f'<w:rStyle w:val="{style_id}"/>')
    if bold:
        props.append("<w:b/><w:bCs/>")
    if italic:
        props.append("<w:i/><w:iCs/>")
    if colour:
        props.append(f'<w:color w:val="{colour}"/>')
    if size:
        props.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{text_xml(text)}</w:r>"


def para(style_id: str, body: str, *, ppr: str = "", jc: str = "") -> str:
    """A paragraph; ``ppr`` holds elements that come after pStyle (numPr, spacing...)."""
    align = f'<w:jc w:val="{jc}"/>' if jc and jc != "left" else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{ppr}{align}</w:pPr>{body}</w:p>'


def hyperlink(ctx: Context, label: str, url: str, *, bold=False, italic=False) -> str:
    """A clickable external link; URLs that are not web or mail links stay plain text."""
    if not url.lower().startswith(SAFE_SCHEMES):
        return run(label, bold=bold, italic=italic)
    rid = ctx.link(url)
    inner = run(label, bold=bold, italic=italic, style_id=ctx.styles["Hyperlink"])
    return f'<w:hyperlink r:id="{rid}" w:history="1">{inner}</w:hyperlink>'


def inline_xml(ctx: Context, content, where: str, *, colour: str = "") -> str:
    out = []
    for piece in content:
        if isinstance(piece, Link):
            url = ctx.clean(piece.url, where)
            out.append(hyperlink(ctx, ctx.clean(piece.text, where), url))
        else:
            out.append(run(ctx.prose(piece.text, where), bold=piece.bold, italic=piece.italic, colour=colour))
    return "".join(out)


KEEP_NEXT = "<w:keepNext/>"


def introduces(p: Paragraph) -> bool:
    """A label ("Pros", "Next steps") or a lead-in ending in ":" belongs with what follows (as in the PDF)."""
    last = p.content[-1].text.rstrip() if p.content else ""
    is_label = len(p.content) == 1 and isinstance(p.content[0], Text) and p.content[0].bold
    return is_label or last.endswith(":")


def paragraph_xml(ctx: Context, p: Paragraph, where: str, *, style: str = "", ppr: str = "") -> str:
    style_id = ctx.styles[style or PARAGRAPH_STYLES.get(p.style, "Normal")]
    return para(style_id, inline_xml(ctx, p.content, where), ppr=ppr)


def field_runs(instruction: str, cached: str) -> str:
    """A complex field (PAGE, NUMPAGES...) with a cached result shown until the reader updates it."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run(cached)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


# --- blocks -------------------------------------------------------------------------


def heading_xml(ctx: Context, title: str, level: int) -> str:
    """A Heading n paragraph wrapped in a bookmark, so the contents entries can link to it."""
    level = min(max(level, 1), 3)
    n = len(ctx.bookmarks) + 1
    name = f"_Toc{n:05d}"  # the leading underscore hides it from Word's bookmark list
    ctx.bookmarks.append((name, title, level))
    return (
        # keepNext in the paragraph too: a reference document's heading style may lack it
        f'<w:p><w:pPr><w:pStyle w:val="{ctx.styles[f"Heading {level}"]}"/>{KEEP_NEXT}</w:pPr>'
        f'<w:bookmarkStart w:id="{n}" w:name="{name}"/>{run(title)}<w:bookmarkEnd w:id="{n}"/></w:p>'
    )


def list_xml(ctx: Context, block: BulletList, where: str, *, keep: tuple[int, int] = (0, 0)) -> str:
    """The list's items; those with index in ``range(*keep)`` keep with the next paragraph."""
    style = "List Number" if block.numbered else "List Bullet"
    num_id = ctx.numbering(block.numbered)
    numpr = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>' if num_id else ""
    return "".join(
        paragraph_xml(ctx, item, where, style=style, ppr=(KEEP_NEXT if keep[0] <= i < keep[1] else "") + numpr)
        for i, item in enumerate(block.items)
    )


def _widths(relative: tuple[float, ...], count: int, total: int) -> list[int]:
    """Twips per column from relative widths; the rounding remainder goes to the last column."""
    rel = [max(float(w), 0.01) for w in relative] if len(relative) == count else [1.0] * count
    scale = total / sum(rel)
    out = [int(w * scale) for w in rel]
    out[-1] += total - sum(out)
    return out


# DejaVu Sans Bold at the 9 pt of table text: about 0.7 em per character (header words are bold)
CHAR_TWIPS = 128
# body words are regular: about 0.6 em a character, in bold-character units
BODY_CHARS = 0.85
CELL_PADDING = 230  # the Brief Table's left + right cell margins, plus slack
# A table whose columns cannot all hold their longest word at 9 pt (the full score matrix with seven
# options) is set compact: 8 pt text and narrower cell margins, so no header word breaks mid-letter.
COMPACT_SIZE = 16  # half-points
COMPACT_CHAR_TWIPS = CHAR_TWIPS * 8 // 9
COMPACT_MARGIN = 50  # twips, each side
COMPACT_PADDING = 2 * COMPACT_MARGIN + 30


# DejaVu Sans advance widths in thousandths of an em, for printable ASCII from the space on, as the bundled
# font gives them (tests/test_docx.py checks them against the font file): a body word's real width, where
# the per-letter estimate runs short on wide letters ("Recommendations" broke before its last "s").
REGULAR_WIDTHS = dict(zip(' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~', (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636,
    636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656,
    557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613,
    635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818,
    592, 592, 525, 636, 337, 636, 838,
)))
TEXT_TWIPS_PER_EM = 9 * 20  # 9 pt table text, 20 twips a point


def _longest_word(texts) -> int:
    return max((len(w) for t in texts for w in str(t).split()), default=0)


def _body_chars(word: str) -> float:
    """A body word's width in the header-face characters of CHAR_TWIPS: its real width in the regular face,
    and never less than the per-letter estimate (other scripts and symbols are measured only by that)."""
    em = sum(REGULAR_WIDTHS.get(ch, 0) for ch in word) / 1000
    return max(len(word) * BODY_CHARS, em * TEXT_TWIPS_PER_EM / CHAR_TWIPS)


def _column_longest(header: list, cells: list) -> float:
    """A column's longest word, in characters of the bold header face."""
    # the few longest in letters are enough to find the widest in print
    longest = heapq.nlargest(3, (w for t in cells for w in str(t).split()), key=len)
    return max(_longest_word(header), max(map(_body_chars, longest), default=0.0))


def fits_every_word(widths: list[int], longest: list[float], *, char: int = CHAR_TWIPS, padding: int = CELL_PADDING) -> bool:
    """Whether the table's width can hold each column's longest word at once."""
    return sum(int(n * char) + padding for n in longest) <= sum(widths)


def fit_words(widths: list[int], longest: list[float], *, char: int = CHAR_TWIPS, padding: int = CELL_PADDING) -> list[int]:
    """Widen columns too narrow for their longest word, taking the room from columns with slack.

    Word and LibreOffice break such a word mid-letter ("Weigh|t"); the relative widths of
    the model stay as close as the page allows.
    """
    # When the page cannot hold every column's longest word, the columns it can are still
    # mended ("Weight" beside eight frameworks' names).
    return widen_to_fit(widths, [int(n * char) + padding for n in longest], cast=int)


# A table kept whole may take at most this much (45 %) of an A4 body (14,570 twips): a taller one
# moved whole would leave most of a page empty, so it splits between rows instead.
WHOLE_TABLE_TWIPS = 6600
LINE_TWIPS = 250  # a 9 pt table line with its leading
ROW_PADDING_TWIPS = 110  # the Brief Table's top and bottom cell margins


def estimated_height(widths: list[int], rows) -> int:
    """Twips a table's rows take, from their longest wrapped cell (regular 9 pt, about 0.6 em a character)."""
    per_char = CHAR_TWIPS * BODY_CHARS
    total = 0
    for cells in rows:
        lines = max((-(-int(len(str(text)) * per_char) // max(w - CELL_PADDING, 1)) for text, w in zip(cells, widths)), default=1)
        total += max(lines, 1) * LINE_TWIPS + ROW_PADDING_TWIPS
    return total


def _tc(width: int, body: str, *, span: int = 1, fill: str = "", tcpr_extra: str = "") -> str:
    span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    shd = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span_xml}{shd}{tcpr_extra}</w:tcPr>{body}</w:tc>'


def _tbl(tblpr: str, widths: list[int], rows: str) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return f"<w:tbl><w:tblPr>{tblpr}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"


def _alt(title: str, description: str) -> str:
    """Table alt text (Word 2010+), read by screen readers."""
    out = f"<w:tblCaption w:val={quoteattr(title[:255])}/>" if title else ""
    if description:
        out += f"<w:tblDescription w:val={quoteattr(description[:255])}/>"
    return out


def table_xml(ctx: Context, t: Table, where: str) -> str:
    cols = len(t.header) or max((len(r) for r in t.rows), default=1)
    widths = _widths(t.widths, cols, ctx.text_width)
    columns: list[list] = [[] for _ in range(cols)]
    for cells in t.rows:
        for c, value in enumerate(cells[:cols]):
            columns[c].append(value)
    heads = [[t.header[c]] if c < len(t.header) else [] for c in range(cols)]
    longest = [_column_longest(h, col) for h, col in zip(heads, columns)]
    compact = not fits_every_word(widths, longest)
    char, padding, size = (COMPACT_CHAR_TWIPS, COMPACT_PADDING, COMPACT_SIZE) if compact else (CHAR_TWIPS, CELL_PADDING, 0)
    widths = fit_words(widths, longest, char=char, padding=padding)
    align = list(t.align) + ["left"] * (cols - len(t.align))
    cell_style = ctx.styles["Table Text"]
    highlight = set(t.highlight)
    muted = set(t.muted_rows)
    caption = ctx.clean(t.caption, where) if t.caption else ""

    # A short table reads as one unit: every row but the last keeps with the next, so
    # Word and LibreOffice move it whole rather than strand its header and two rows.
    whole = len(t.rows) <= SHORT_TABLE_ROWS and estimated_height(widths, [t.header, *t.rows]) <= WHOLE_TABLE_TWIPS
    last_row = len(t.rows) - 1

    def row(cells, r: int | None) -> str:
        out = []
        cells = list(cells) + [""] * (cols - len(cells))
        # the last row keeps with the caption under it, so the note never opens a page alone
        keep = KEEP_NEXT if r is None or (whole and r < last_row) or (caption and r == last_row) else ""
        for c in range(cols):
            text = ctx.prose(str(cells[c]), where)
            hot = r is not None and (r, c) in highlight
            # a row set apart mutes its name only: the rest stays readable in print
            colour = hex_colour(ctx.theme_muted) if r is not None and r in muted and c == 0 else ""
            body = para(cell_style, run(text, bold=hot, colour=colour, size=size), ppr=keep, jc=align[c])
            out.append(_tc(widths[c], body, fill=tint(ctx.theme_accent, 0.18) if hot else ""))
        # a header row repeats on every page; no row splits across a page break
        trpr = "<w:cantSplit/><w:tblHeader/>" if r is None else "<w:cantSplit/>"
        return f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(out)}</w:tr>"

    rows = (row(t.header, None) if t.header else "") + "".join(row(cells, i) for i, cells in enumerate(t.rows))
    tblpr = (
        f'<w:tblStyle w:val="{ctx.styles["Brief Table"]}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/>'
        + (f'<w:tblCellMar><w:left w:w="{COMPACT_MARGIN}" w:type="dxa"/><w:right w:w="{COMPACT_MARGIN}" w:type="dxa"/></w:tblCellMar>'
           if compact else "")
        + '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/>' + _alt(caption, "")
    )
    if not caption:
        return _tbl(tblpr, widths, rows) + _spacer(ctx)
    # The note goes under the table in the Caption style, as the PDF prints it; the caption
    # paragraph also keeps Word from merging the table with a following one.
    return _tbl(tblpr, widths, rows) + para(ctx.styles["Caption"], run(caption))


def _spacer(ctx: Context, *, keep_with_next: bool = False) -> str:
    """An empty paragraph after a table: Word merges adjacent tables and crowds the next text."""
    keep = KEEP_NEXT if keep_with_next else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{ctx.styles["Normal"]}"/>{keep}<w:spacing w:after="60"/></w:pPr></w:p>'


def _chart_segments(bar_index: int, chart: Chart) -> list[tuple[int, str]]:
    """(grid columns, kind) pieces of one chart row; kinds: bar, band, marker, empty."""
    n = CHART_COLUMNS
    top = chart.maximum if chart.maximum > 0 else 1.0

    def col(v: float) -> int:
        return min(max(round(v / top * n), 0), n)

    bar = chart.bars[bar_index]
    if chart.kind == "range" and bar_index < len(chart.low) and bar_index < len(chart.high):
        lo, hi = col(chart.low[bar_index]), col(chart.high[bar_index])
        mark = min(max(col(bar.value), lo), n - 1)
        hi = max(hi, mark + 1)
        pieces = [(lo, "empty"), (mark - lo, "band"), (1, "marker"), (hi - mark - 1, "band"), (n - hi, "empty")]
    else:
        k = col(bar.value)
        pieces = [(k, "bar"), (n - k, "empty")]
    return [(w, kind) for w, kind in pieces if w > 0]


def _chart_value(chart: Chart, i: int) -> str:
    """The number beside a bar; a range row shows its interval unless the note already says it."""
    bar = chart.bars[i]
    text = with_unit(chart.value_text(bar.value), chart.unit)
    if bar.note:
        return bar.note if chart.kind == "range" else f"{text} · {bar.note}"
    if chart.kind == "range" and i < len(chart.low) and i < len(chart.high):
        text += f" ({whole_or_tenths(chart.low[i])}–{with_unit(whole_or_tenths(chart.high[i]), chart.unit)})"
    return text


def chart_xml(ctx: Context, chart: Chart, where: str, *, keep_with_next: bool = False) -> str:
    """The chart as a native table: each bar is a run of shaded grid cells, exact to 2 %.

    Visible in Word and LibreOffice alike, restylable, and about 100 times cheaper than a
    matplotlib image; the value column keeps the numbers readable in print and to screen readers.
    """
    n = CHART_COLUMNS
    label_w = int(ctx.text_width * 0.26)
    value_w = int(ctx.text_width * 0.26)
    unit_w = (ctx.text_width - label_w - value_w) // n
    label_w = ctx.text_width - value_w - unit_w * n
    widths = [label_w] + [unit_w] * n + [value_w]
    primary, accent = hex_colour(ctx.theme_primary), hex_colour(ctx.theme_accent)
    fills = {"bar": accent, "band": tint(accent, 0.35), "marker": primary, "empty": ""}
    cell_style = ctx.styles["Table Text"]
    muted_colour = hex_colour(ctx.theme_muted)
    rows = []
    for i, bar in enumerate(chart.bars):
        colour = muted_colour if bar.muted else ""
        # every bar keeps with the next row down to the axis: the chart never splits
        cells = [_tc(label_w, para(cell_style, run(ctx.clean(bar.label, where), colour=colour), ppr=KEEP_NEXT))]
        for span, kind in _chart_segments(i, chart):
            fill = fills[kind]
            if kind == "bar":
                # as in the PDF: the recommended option in the accent colour, the others in the
                # primary colour, a ruled-out one muted
                fill = tint(muted_colour, 0.45) if bar.muted else accent if bar.highlight else primary
            cells.append(_tc(unit_w * span, para(cell_style, "", ppr=KEEP_NEXT), span=span, fill=fill))
        value = ctx.clean(_chart_value(chart, i), where)
        cells.append(_tc(value_w, para(cell_style, run(value, colour=colour), ppr=KEEP_NEXT + '<w:ind w:left="85"/>')))
        rows.append(f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="300" w:hRule="atLeast"/></w:trPr>{"".join(cells)}</w:tr>')
    axis_style = ctx.styles["Small Text"]
    half = n // 2
    # The axis keeps with the legend under it, and with the notes that follow the chart.
    keep = KEEP_NEXT if chart.legend or keep_with_next else ""
    axis = (
        _tc(label_w, para(axis_style, "", ppr=keep))
        + _tc(unit_w * half, para(axis_style, run("0"), ppr=keep), span=half)
        + _tc(unit_w * (n - half), para(axis_style, run(with_unit(whole_or_tenths(chart.maximum), chart.unit)), ppr=keep, jc="right"), span=n - half)
        + _tc(value_w, para(axis_style, "", ppr=keep))
    )
    rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{axis}</w:tr>")
    # white horizontal rules separate the bars; no other lines
    gap = '<w:{0} w:val="single" w:sz="18" w:space="0" w:color="FFFFFF"/>'
    borders = "".join(gap.format(e) for e in ("top", "bottom", "insideH"))
    title = ctx.clean(chart.title, where)
    tblpr = (
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/>'
        '<w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/>' + _alt(title, ctx.clean(chart.alt_text, where))
    )
    head = para(ctx.styles["Chart Title"], run(title), ppr=KEEP_NEXT) if title else ""
    return head + _tbl(tblpr, widths, "".join(rows)) + _chart_legend(ctx, chart, where, keep_with_next)


def _chart_legend(ctx: Context, chart: Chart, where: str, keep_with_next: bool = False) -> str:
    """The legend under the chart in the Caption style, as the PDF prints it, or the usual spacer; either keeps
    with the notes that follow the chart."""
    if not chart.legend:
        return _spacer(ctx, keep_with_next=keep_with_next)
    return para(ctx.styles["Caption"], run(ctx.clean(chart.legend, where)), ppr=KEEP_NEXT if keep_with_next else "")


TONES = {"info": "primary", "success": "accent", "warning": "warning"}


def callout_xml(ctx: Context, c: Callout, where: str) -> str:
    """A one-cell shaded table with a coloured rule on the left: a box that survives restyling."""
    tone = hex_colour(getattr(ctx, f"theme_{TONES.get(c.tone, 'primary')}"))
    body = para(ctx.styles["Callout Title"], run(ctx.clean(c.title, where), colour=tone)) if c.title else ""
    body += "".join(paragraph_xml(ctx, p, where, style="Callout Text") for p in c.body) or para(ctx.styles["Callout Text"], "")
    width = ctx.text_width
    tblpr = (
        f'<w:tblW w:w="{width}" w:type="dxa"/>'
        f'<w:tblBorders><w:left w:val="single" w:sz="36" w:space="0" w:color="{tone}"/></w:tblBorders>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="100" w:type="dxa"/><w:left w:w="170" w:type="dxa"/>'
        '<w:bottom w:w="60" w:type="dxa"/><w:right w:w="170" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/>'
    )
    row = f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{_tc(width, body, fill=tint(tone, 0.1))}</w:tr>"
    return _tbl(tblpr, [width], row) + _spacer(ctx)


# DejaVu Sans advance widths (1/1000 em) of the printable ASCII characters, for placing URL breaks.
_ASCII_WIDTHS = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775,
    752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390,
    337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)
SOURCE_POINTS = 9  # the Bibliography style's size
SOURCE_INDENT = 567  # and its hanging indent, in twips
# Room left for a wider substitute font (Word without DejaVu Sans uses Verdana, about 10 % wider).
URL_FILL = 0.85


def _url_twips(text: str) -> float:
    return sum(_ASCII_WIDTHS[ord(c) - 32] if 32 <= ord(c) < 127 else 1000 for c in text) * SOURCE_POINTS * 20 / 1000


def url_lines(url: str, width: int) -> list[str]:
    """``url`` cut after a "/" into pieces that each fit ``width`` twips.

    Word and LibreOffice would otherwise wrap a long URL at a hyphen or mid-word, which
    reads as part of the address. A line break rather than a zero-width space marks the
    cut: the link target is the whole URL either way, a break is visible, and browsers
    drop line breaks from a pasted address while a zero-width space would stay in it.
    """
    return list(_url_lines(url, width))


@functools.lru_cache(maxsize=4096)  # briefs cite the same sources; the cut depends on nothing else
def _url_lines(url: str, width: int) -> tuple[str, ...]:
    room = width * URL_FILL
    lines: list[str] = []
    line, used = "", 0.0
    for piece in re.findall(r"[^/]*/+|[^/]+$", url):
        wide = _url_twips(piece)
        if line and used + wide > room and not line.endswith("//"):
            lines.append(line)
            line, used = "", 0.0
        line += piece
        used += wide
    return tuple([*lines, line] if line else lines)


def sources_xml(ctx: Context, s: SourceList, where: str) -> str:
    """One Bibliography paragraph per source; the visible URL is the link, so print keeps it.

    The URL starts a line of its own, so where it wraps is decided here (see url_lines).
    """
    out = []
    style = ctx.styles["Bibliography"]
    for ref in s.sources:
        label = ctx.clean(ref.key, where)
        title = ctx.prose(ref.title, where)
        publisher = ctx.clean(ref.publisher, where)
        url = ctx.clean(ref.url, where)
        tail = f". {publisher}" if publisher else ""
        tail += f" ({ctx.clean(ref.label, where)})."
        text = "\n".join(url_lines(url, ctx.text_width - SOURCE_INDENT))
        body = run(f"{label}\t") + run(title, italic=True) + run(tail + "\n") + hyperlink(ctx, text, url)
        out.append(para(style, body))
    return "".join(out)


def block_xml(ctx: Context, block, where: str) -> str:
    if isinstance(block, Section):
        return section_xml(ctx, block)
    if isinstance(block, Paragraph):
        return paragraph_xml(ctx, block, where, ppr=KEEP_NEXT if introduces(block) else "")
    if isinstance(block, BulletList):
        return list_xml(ctx, block, where)
    if isinstance(block, Table):
        return table_xml(ctx, block, where)
    if isinstance(block, Chart):
        return chart_xml(ctx, block, where)
    if isinstance(block, Callout):
        return callout_xml(ctx, block, where)
    if isinstance(block, SourceList):
        return sources_xml(ctx, block, where)
    raise TypeError(f"unknown block {type(block).__name__}")


# A 1-point empty paragraph between a table's caption and the heading after it. LibreOffice lays out a heading
# that directly follows a table and its caption without its keep-with-next, leaving the heading alone at the foot
# of a page (seen on the Harbourline executive brief); with any paragraph between them it keeps the two together.
TABLE_TO_HEADING = '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/></w:pPr></w:p>'


def section_xml(ctx: Context, section: Section) -> str:
    where = f"section {section.id}"
    out = [(TABLE_TO_HEADING if ctx.after_table else "") + heading_xml(ctx, ctx.clean(section.title, where), section.level)]
    ctx.after_table = False
    blocks = section.blocks
    for i, b in enumerate(blocks):
        # A chart and the bullets that explain it share a page (document.chart_notes), as in the PDF.
        if isinstance(b, Chart):
            out.append(chart_xml(ctx, b, where, keep_with_next=chart_notes(blocks, i) == "after"))
        elif isinstance(b, BulletList) and i and chart_notes(blocks, i - 1) == "after":
            n = len(b.items) if len(b.items) <= CHART_NOTE_ITEMS else 1
            out.append(list_xml(ctx, b, where, keep=(0, n - 1)))
        elif isinstance(b, BulletList) and i + 1 < len(blocks) and chart_notes(blocks, i + 1) == "before":
            n = len(b.items) if len(b.items) <= CHART_NOTE_ITEMS else 1
            out.append(list_xml(ctx, b, where, keep=(len(b.items) - n, len(b.items))))
        elif isinstance(b, Paragraph) and i + 1 < len(blocks) and isinstance(blocks[i + 1], (Table, Chart)):
            # A paragraph just before a table or chart introduces it ("What the decision weighs and why ..."): it
            # goes to the next page with the table's first row rather than stay behind with the heading, as in the PDF.
            out.append(paragraph_xml(ctx, b, where, ppr=KEEP_NEXT))
        else:
            out.append(block_xml(ctx, b, where))
        if not isinstance(b, Section):  # a subsection has set it from its own last block
            ctx.after_table = isinstance(b, Table)
    return "".join(out)


MIN_CONTENTS_SECTIONS = 3  # top-level sections after page 1 that make a contents page worth its page


def contents_xml(ctx: Context, entries: list[tuple[str, str, int]], title: str = "Contents") -> str:
    """The sections that follow as a static list of links, on a page of its own after page 1.

    python-docx cannot lay out pages, so a contents field would open without page numbers and
    with a note asking the reader to update it; Word's and LibreOffice's layouts differ, so
    numbers computed here would be wrong in one of them. A list of linked headings needs
    neither, and placed after the executive summary it leaves page 1 as the PDF's page 1.
    """
    if sum(1 for _, _, level in entries if level == 1) < MIN_CONTENTS_SECTIONS:
        # a list of one or two sections (the portfolio's) guides no one, and its page break would leave page 1
        # half empty
        return ""
    head = para(ctx.styles["TOC Heading"], run(title), ppr=KEEP_NEXT + "<w:pageBreakBefore/>")  # schema order
    out = []
    last = len(entries) - 1
    for i, (name, text, level) in enumerate(entries):
        link = f'<w:hyperlink w:anchor="{name}" w:history="1">{run(text)}</w:hyperlink>'
        # the list stays on one page: every entry keeps with the next
        out.append(para(ctx.styles[f"toc {level}"], link, ppr=KEEP_NEXT if i < last else ""))
    return head + "".join(out)
