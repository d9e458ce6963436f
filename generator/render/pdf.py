"""Brief -> PDF bytes with reportlab (only the render/pdf*.py modules import reportlab).

What a reader gets: embedded Unicode fonts with per-character fallback (DejaVu
Sans, then Droid Sans Fallback for CJK, then Symbola for emoji and symbols),
"Page X of Y" in one pass (a form XObject filled in at save), a running header,
one bookmark per section, clickable source links, metadata, tables that split
across pages with repeated header rows, and vector charts. Every string from
the brief is escaped, so user text is shown literally and never becomes markup.

reportlab's canvas writes the file; the story is poured onto pages by
pdf_pages.Pages, which keeps platypus' layout rules without its document
template. Plain text in the base fonts, the data tables and the charts are drawn
by small flowables of our own (pdf_text.TextBlock, pdf_table.TableBlock,
pdf_sketch.Sketch), which do only what a brief needs and draw in place, without a
state save per flowable; reportlab's Paragraph stays for text that needs a
fallback font or shaping, its Table for callouts and the title block.
"""

from __future__ import annotations

import heapq
import io
import zlib
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Paragraph as RLParagraph,
    Spacer,
    Table as RLTable,
    TableStyle,
)

from generator.document import (
    CHART_NOTE_ITEMS,
    SHORT_TABLE_ROWS,
    Brief,
    BulletList,
    Callout,
    Chart,
    Link,
    Paragraph,
    Section,
    SourceList,
    Table,
    Text,
    Theme,
    chart_notes,
)
from generator.render.columns import widen_to_fit
from generator.render.pdf_fonts import (
    BOLD,
    REGULAR,
    REPLACEMENT,
    _describe,
    markup,
    needs_shaping,
    plain_text,
    register_fonts,
    shaping_refused,
)
from generator.render.pdf_pages import Keep, NeedRoom, Pages, keeps_with_next
from generator.render.pdf_sketch import Sketch
from generator.render.pdf_table import TableBlock, TableLook
from generator.render.pdf_text import Run, TextBlock, TextWriter, width_of
from generator.render.reportlab_compat import (
    paragraph_is_wrapped,
    paragraph_line_count,
    set_stream_filters,
    utf16_cmaps,
)
from generator.dates import source_date_epoch
from generator.sanitize import clean
from generator.wording import number

MAX_HEADER_CHARS = 90
HEAD_MIN_SIZE = 6.5  # table header type shrinks this far before a word breaks
CELL_PAD = 4.0

PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 18 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X - 12  # the frame keeps 6 pt padding on each side
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM


def _height(f) -> float:
    """Height a flowable will take in the frame, spacing included (for keep-with-next room)."""
    if isinstance(f, Keep):
        return sum(_height(c) for c in f.content)
    return f.wrap(FRAME_W, FRAME_H)[1] + f.getSpaceBefore() + f.getSpaceAfter()

def _start_height(f) -> float:
    """Room a flowable needs to start on a page: a table that splits needs only its header and
    first rows (its split rule's minimum), so its heading moves with it when those do not fit."""
    if isinstance(f, TableBlock):
        f.wrap(FRAME_W, FRAME_H)
        return f.start_height()
    return _height(f)

# A table of few rows moves whole to the next page only while it is this share of the page or less.
SMALL_TABLE = 0.25

# Fixed bytes for the same input: no random document id, no wall-clock dates.
rl_config.invariant = 1




class SafeParagraph(RLParagraph):
    """reportlab's Paragraph with a stable wrap and a split whose first part fits.

    With shaping, reportlab 5.1 re-wraps a paragraph to a different height each
    other time (its words alternate between shaped and unshaped widths), and a
    split's first part can come out a line longer than the room it was split for;
    the page layout then stops with 'Splitting error'. Here a paragraph is wrapped
    once per width, and a split is retried one line shorter until its first part fits.
    """

    def wrap(self, availWidth, availHeight):
        if getattr(self, "_wrapped_width", None) == availWidth and paragraph_is_wrapped(self):
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth
        return size

    def split(self, availWidth, availHeight):
        room = availHeight
        parts = super().split(availWidth, room)
        while len(parts) == 2 and parts[0].wrap(availWidth, availHeight)[1] > availHeight + 1e-6:
            room -= self.style.leading
            if room < 2 * self.style.leading:
                return []
            parts = super().split(availWidth, room)
        return parts


_COLORS: dict[str, colors.Color] = {}


def _bold_of(font: str) -> str:
    return BOLD if font == REGULAR else font


def fast_paragraph(
    text: str,
    style: ParagraphStyle,
    bold: bool = False,
    bulletText: str | None = None,
    runs: list[tuple] | None = None,
    outline: tuple[str, str, int] | None = None,
) -> TextBlock:
    """A paragraph of plain runs in the base fonts, laid out by TextBlock instead of Paragraph.

    Paragraph's markup parser and general line breaker were most of a brief's
    render time. The text is raw (never parsed), so it cannot be markup by
    construction. ``runs`` are (text, bold, colour or None[, https link]) for
    mixed paragraphs; the caller has checked that the base fonts draw every character.
    """
    out = []
    for run in runs or [(text, bold, None)]:
        t, b, c = run[:3]
        if not t:
            continue
        href = run[3] if len(run) > 3 else None
        color = style.textColor
        if c:
            color = _COLORS.get(c) or _COLORS.setdefault(c, colors.HexColor(c))
        out.append(Run(t, _bold_of(style.fontName) if b else style.fontName, color, href))
    return TextBlock(tuple(out), style, bulletText=bulletText, outline=outline)


# ---------------------------------------------------------------- styles


def _hex(value: str) -> colors.Color:
    return colors.HexColor(value)


def _tint(color: colors.Color, amount: float) -> colors.Color:
    """Mix ``color`` with white; amount 0 = white, 1 = colour."""
    return colors.Color(1 - (1 - color.red) * amount, 1 - (1 - color.green) * amount, 1 - (1 - color.blue) * amount)


@lru_cache(maxsize=16)
def _styles(primary: str, accent: str, warning: str, muted: str) -> "_Styles":
    """Styles per colour scheme, made once: building ~30 ParagraphStyles costs milliseconds."""
    return _Styles(Theme(primary=primary, accent=accent, warning=warning, muted=muted))


class _Styles:
    def __init__(self, theme) -> None:
        self.primary = _hex(theme.primary)
        self.accent = _hex(theme.accent)
        self.warning = _hex(theme.warning)
        self.muted = _hex(theme.muted)
        self.text = colors.HexColor("#1F2328")
        base = dict(fontName=REGULAR, bulletFontName=REGULAR, bulletFontSize=9, fontSize=9, leading=12.4, textColor=self.text, splitLongWords=1)
        S = ParagraphStyle
        self.body = S("body", **base, spaceAfter=4)
        self.lead = S("lead", **{**base, "fontSize": 10, "leading": 13.5}, spaceAfter=3)
        self.small = S("small", **{**base, "fontSize": 8, "leading": 10.5, "textColor": self.muted}, spaceAfter=4)
        self.note = self.small
        self.title = S("title", **{**base, "fontName": BOLD, "fontSize": 20, "leading": 24, "textColor": self.primary}, spaceAfter=4)
        self.subtitle = S("subtitle", **{**base, "fontSize": 11, "leading": 14, "textColor": self.muted}, spaceAfter=8)
        self.h1 = S(
            "h1", **{**base, "fontName": BOLD, "fontSize": 13.5, "leading": 17, "textColor": self.primary},
            spaceBefore=8, spaceAfter=4,
        )
        self.h2 = S(
            "h2", **{**base, "fontName": BOLD, "fontSize": 10.5, "leading": 14, "textColor": self.primary},
            spaceBefore=6, spaceAfter=3,
        )
        self.bullet = S("bullet", **base, leftIndent=12, bulletIndent=2, spaceAfter=2)
        cell = {**base, "fontSize": 8.2, "leading": 10.2}
        self.cell = {a: S(f"cell-{a}", **cell, alignment=al) for a, al in (("left", TA_LEFT), ("right", TA_RIGHT), ("center", TA_CENTER))}
        self.cell_bold = {
            a: S(f"cellb-{a}", **{**cell, "fontName": BOLD}, alignment=al)
            for a, al in (("left", TA_LEFT), ("right", TA_RIGHT), ("center", TA_CENTER))
        }
        self.cell_muted = {
            a: S(f"cellm-{a}", **{**cell, "textColor": self.muted}, alignment=al)
            for a, al in (("left", TA_LEFT), ("right", TA_RIGHT), ("center", TA_CENTER))
        }
        self.head = {
            a: S(f"head-{a}", **{**cell, "fontName": BOLD, "textColor": colors.white}, alignment=al)
            for a, al in (("left", TA_LEFT), ("right", TA_RIGHT), ("center", TA_CENTER))
        }
        self.caption = S("caption", **{**base, "fontSize": 7.5, "leading": 9.5, "textColor": self.muted}, spaceBefore=2, spaceAfter=6)
        self._keep: dict[str, ParagraphStyle] = {}
        self.source = S("source", parent=self.small, leftIndent=22, bulletIndent=0, bulletFontSize=8)
        self.table_look = TableLook(
            font=REGULAR,
            bold_font=BOLD,
            size=cell["fontSize"],
            leading=cell["leading"],
            text=self.text,
            muted=self.muted,
            header_text=colors.white,
            header_fill=self.primary,
            bands=(colors.HexColor("#F5F7F9"), None),
            rule=colors.HexColor("#D0D5DB"),
            pad_x=CELL_PAD,
        )
        self.chart_title = S("chart-title", **{**base, "fontName": BOLD, "fontSize": 9}, spaceBefore=4, spaceAfter=2, keepWithNext=1)


    def callout_title(self, tone: colors.Color) -> ParagraphStyle:
        key = f"callout-title-{tone.hexval()}"
        if key not in self._keep:
            self._keep[key] = ParagraphStyle(key, parent=self.h2, textColor=tone, spaceBefore=0)
        return self._keep[key]

    def shaped(self, style: ParagraphStyle, text: str) -> ParagraphStyle:
        """``style`` with HarfBuzz shaping when ``text`` has joining or right-to-left letters."""
        if not needs_shaping(text):
            return style
        key = style.name + "-shaped"
        if key not in self._keep:
            self._keep[key] = ParagraphStyle(key, parent=style, shaping=1)
        return self._keep[key]

    def keep(self, style: ParagraphStyle) -> ParagraphStyle:
        """``style`` with keepWithNext, made once per style."""
        if style.name not in self._keep:
            self._keep[style.name] = ParagraphStyle(style.name + "-keep", parent=style, keepWithNext=1)
        return self._keep[style.name]

    def sized(self, style: ParagraphStyle, size: float) -> ParagraphStyle:
        """``style`` at another font size (leading in proportion), made once per size."""
        key = f"{style.name}-{size:g}"
        if key not in self._keep:
            self._keep[key] = ParagraphStyle(key, parent=style, fontSize=size, leading=style.leading * size / style.fontSize)
        return self._keep[key]


# ---------------------------------------------------------------- flowables


class _Heading(SafeParagraph):
    """A heading that adds its outline entry on the page where it is drawn."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, title: str, level: int):
        super().__init__(text, style)
        self.key, self.outline_title, self.level = key, title, level

    def draw(self):
        c = self.canv
        c.bookmarkPage(self.key)
        c.addOutlineEntry(self.outline_title, self.key, level=self.level, closed=False)
        super().draw()


class _Builder:
    def __init__(self, brief: Brief):
        self.brief = brief
        self.st = _styles(brief.theme.primary, brief.theme.accent, brief.theme.warning, brief.theme.muted)
        self.missing: set[str] = set()
        self.warnings: list[str] = []
        self.keys = 0
        self.section_keys: dict[str, str] = {}  # section id -> bookmark key of its heading

    def _shaped(self, style: ParagraphStyle, text: str) -> ParagraphStyle:
        """``style`` shaped when the text needs it; a warning when a mixed-font word cannot be."""
        if shaping_refused(text):
            self.warnings.append(
                "a word mixes Arabic or Hebrew letters with characters from another font; it is drawn unjoined"
            )
        return self.st.shaped(style, text)

    # inline text
    def inline(self, content) -> str:
        parts = []
        for item in content:
            if isinstance(item, Link):
                text = markup(item.text, self.missing)
                if item.url.startswith("https://"):
                    href = escape(item.url, {'"': "&quot;"})
                    parts.append(f'<a href="{href}" color="{self.brief.theme.primary}">{text}</a>')
                else:
                    parts.append(text)
            else:
                text = markup(item.text, self.missing)
                if item.bold:
                    text = f"<b>{text}</b>"
                if item.italic:
                    text = f'<font color="{self.brief.theme.muted}">{text}</font>'
                parts.append(text)
        return "".join(parts)

    def para(self, p: Paragraph, keep_with_next: bool = False) -> RLParagraph:
        style = getattr(self.st, p.style, self.st.body)
        # A label ("Pros", "Next steps") or a lead-in ending in ":" belongs with what follows.
        last = p.content[-1].text.rstrip() if p.content else ""
        is_label = len(p.content) == 1 and isinstance(p.content[0], Text) and p.content[0].bold
        if keep_with_next or is_label or last.endswith(":"):
            style = self.st.keep(style)
        return self.run(p.content, style)

    def text(self, text: str, style: ParagraphStyle) -> RLParagraph:
        """One plain string as a paragraph: parser-free when possible, else escaped markup."""
        plain = plain_text(text)
        if plain is not None:
            return fast_paragraph(plain, style)
        return SafeParagraph(markup(text, self.missing), self._shaped(style, text))

    def run(self, content, style: ParagraphStyle, bulletText: str | None = None) -> RLParagraph:
        """A paragraph from inline content: parser-free when every piece is plain text."""
        if content and all(isinstance(item, Text) for item in content):
            runs = []
            for item in content:
                text = plain_text(item.text)
                if text is None:
                    break
                runs.append((text, item.bold, self.brief.theme.muted if item.italic else None))
            else:
                return fast_paragraph("", style, bulletText=bulletText, runs=runs)
        raw = "".join(item.text for item in content)
        return SafeParagraph(self.inline(content), self._shaped(style, raw), bulletText=bulletText)

    # blocks
    def blocks(self, blocks) -> list:
        out: list = []
        blocks = list(blocks)
        for i, b in enumerate(blocks):
            items = self.block(b)
            # A chart and the bullets that explain it share a page (document.chart_notes).
            if isinstance(b, BulletList) and i and chart_notes(blocks, i - 1) == "after":
                spacer = out.pop()  # the chart's own Keep and its spacer end ``out``
                n = len(items) if len(items) <= CHART_NOTE_ITEMS else 1
                out[-1] = Keep([*out[-1].content, spacer, *items[:n]])
                out.extend(items[n:])
                continue
            if chart_notes(blocks, i) == "before":
                count = len(blocks[i - 1].items)
                n = count if count <= CHART_NOTE_ITEMS else 1
                notes = out[len(out) - n:]
                del out[len(out) - n:]
                items[0] = Keep([*notes, *items[0].content])
            # A lead-in kept with what follows ("Ruled out (...):") joins a short table that moves
            # whole: a keep-with-next run never joins a Keep, so it would stay behind alone.
            if items and isinstance(items[0], Keep) and out and keeps_with_next(out[-1]):
                lead = out.pop()
                lead.keepWithNext = 0
                items[0] = Keep([lead, *items[0].content])
            out.extend(items)
        return out

    def block(self, b) -> list:
        if isinstance(b, Section):
            return self.section(b)
        if isinstance(b, Paragraph):
            return [self.para(b)]
        if isinstance(b, BulletList):
            return [
                self.run(item.content, self.st.bullet, f"{i}." if b.numbered else "\u2022")
                for i, item in enumerate(b.items, 1)
            ]
        if isinstance(b, Table):
            return self.table(b)
        if isinstance(b, Callout):
            return [self.callout(b), Spacer(1, 5)]  # the box's fill needs air before the next line
        if isinstance(b, Chart):
            return self.chart(b)
        if isinstance(b, SourceList):
            return self.sources(b)
        raise TypeError(f"cannot render {type(b).__name__}")

    def section(self, s: Section) -> list:
        self.keys += 1
        key = f"s{self.keys}"
        self.section_keys.setdefault(s.id, key)
        style = self.st.h1 if s.level <= 1 else self.st.h2
        title = clean(s.title)[0]
        plain = plain_text(s.title)
        if plain is not None:
            head = fast_paragraph(plain, style, outline=(key, title, max(0, s.level - 1)))
        else:
            head = _Heading(markup(s.title, self.missing), self._shaped(style, title), key, title, max(0, s.level - 1))
        # Start a new page when little room is left, instead of keepWithNext: reportlab
        # chains keepWithNext into the following table and then moves the whole group,
        # leaving most of a page empty.
        room = (32 if s.level <= 1 else 22) * mm
        body = self.blocks(s.blocks)
        # The heading needs room for its intro and first table, chart or list, so a
        # page never ends on a heading whose content starts overleaf. Measured, not
        # grouped: a group would carry a whole long table to the next page with it.
        lead = 0
        if s.blocks and isinstance(s.blocks[0], SourceList):
            # A source list's entries are the list, not an intro: two of them under the heading are a start.
            lead = min(len(body), 2)
        else:
            while lead < min(len(body), 3) and isinstance(body[lead], (RLParagraph, TextBlock, Spacer)):
                lead += 1
            if lead < len(body) and not isinstance(body[lead], NeedRoom):
                lead += 1
        group = [head, *body[:lead]]
        last = group[-1]
        start = _start_height(last)
        needed = sum(_height(f) for f in group[:-1]) + start
        # A block that moves whole (a short table, or a table of too few rows to
        # split) needs all its room; one that can split only needs a reasonable start.
        unsplittable = isinstance(last, Keep) or (isinstance(last, TableBlock) and start >= _height(last))
        if lead < len(body) and isinstance(body[lead], NeedRoom):
            # The first block is a subsection: what it needs to start comes on top of this heading and intro,
            # or they end a page alone above it ("Pros and cons by framework" over an empty page foot).
            needed = sum(_height(f) for f in group) + body[lead].height
            unsplittable = False
        if needed < FRAME_H * (0.95 if unsplittable else 0.6):
            room = max(room, needed + 2 * mm)
        return [NeedRoom(room), head, *body]

    def cell(self, text: str, style: ParagraphStyle, width: float):
        """A plain string when it fits on one line in the base font, else a wrapping Paragraph.

        Plain strings skip Paragraph parsing and line breaking, which is most of a
        table's cost; anything that needs wrapping or a fallback font stays a Paragraph.
        """
        text = clean(text)[0]
        # A cell taller than the frame raises LayoutError; cap the text at what fills
        # about half a page in this column (80 % even if every character is a wide CJK glyph).
        limit = max(80, int((PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) * 0.5 / style.leading * width / (style.fontSize * 0.62)))
        if len(text) > limit:
            self.warnings.append("a table cell was shortened to fit the page")
            text = text[: limit - 1] + "\u2026"
        if (
            len(text) < 80
            and "\n" not in text
            and (text.isascii() or (not needs_shaping(text) and all(ord(ch) in register_fonts().base for ch in text)))
            and width_of(text, style.fontName, style.fontSize) <= width
        ):
            return text
        plain = plain_text(text)
        if plain is not None:
            return fast_paragraph(plain, style)
        return SafeParagraph(markup(text, self.missing), self._shaped(style, text))

    def head_size(self, text: str, style: ParagraphStyle, width: float) -> float:
        """The type size at which every word of a header cell fits its column, down to 6.5 pt."""
        plain = plain_text(text)
        if plain is None or not plain.strip():
            return style.fontSize
        longest = max(width_of(w, style.fontName, style.fontSize) for w in plain.split())
        if longest <= width:
            return style.fontSize
        return max(HEAD_MIN_SIZE, int(style.fontSize * width / longest * 10) / 10)

    def longest_word(self, t: Table, col: int, *, bold: set[int]) -> float:
        """The width of column ``col``'s longest body word, in its cells' type (bold where highlighted); 0 for
        text the fast path cannot measure. Header words shrink with their row instead (:meth:`header`)."""
        regular, strong = self.st.cell["left"], self.st.cell_bold["left"]
        words = []
        for r, row in enumerate(t.rows):
            plain = plain_text(str(row[col])) if col < len(row) else None
            if plain:
                words += [(w, strong if r in bold else regular) for w in plain.split()]
        # the few longest in letters are enough to find the widest in print
        widest = heapq.nlargest(3, words, key=lambda ws: len(ws[0]))
        return max((width_of(w, st.fontName, st.fontSize) for w, st in widest), default=0.0)

    def header(self, t: Table, align: list[str], inner: list[float]) -> list:
        """The header row, every cell in one type size: the size the tightest cell needs, so a
        word too wide for its column ('Weight', 'Kubeflow') shrinks the whole row rather than
        breaking mid-word or leaving one header smaller than its neighbours."""
        styles = [self.st.head[align[c]] for c in range(len(t.header))]
        size = min((self.head_size(h, st, inner[c]) for c, (h, st) in enumerate(zip(t.header, styles))), default=0)
        row = []
        for c, (text, style) in enumerate(zip(t.header, styles)):
            plain = plain_text(text)
            if size >= style.fontSize:
                row.append(self.cell(text, style, inner[c]))
            elif plain is not None:
                row.append(fast_paragraph(plain, self.st.sized(style, size)))
            else:
                row.append(SafeParagraph(markup(text, self.missing), self._shaped(self.st.sized(style, size), text)))
        return row

    def table(self, t: Table) -> list:
        ncols = len(t.header)
        align = list(t.align) + ["left"] * (ncols - len(t.align))
        rel = list(t.widths) if len(t.widths) == ncols else [1.0] * ncols
        total = sum(rel) or 1.0
        highlight = {(r, c) for r, c in t.highlight if r < len(t.rows) and c < ncols}
        muted = {r for r in t.muted_rows if r < len(t.rows)}
        widths = widen_to_fit([FRAME_W * w / total for w in rel],
                              [self.longest_word(t, c, bold={r for r, col in highlight if col == c}) + 2 * CELL_PAD
                               for c in range(ncols)])
        inner = [w - 2 * CELL_PAD for w in widths]
        data = [self.header(t, align, inner)]
        for r, row in enumerate(t.rows):
            cells = []
            for c in range(ncols):
                value = row[c] if c < len(row) else ""
                if (r, c) in highlight:
                    style = self.st.cell_bold[align[c]]
                elif r in muted and c == 0:
                    style = self.st.cell_muted[align[c]]
                else:
                    style = self.st.cell[align[c]]
                cells.append(self.cell(value, style, inner[c]))
            data.append(cells)
        tint = _tint(self.st.accent, 0.18)
        table = TableBlock.make(
            data,
            widths,
            align,
            self.st.table_look,
            # the table's own row numbers: 0 is the header
            tints={(r + 1, c): tint for r, c in highlight},
            bold={(r + 1, c) for r, c in highlight},
            muted={(r + 1, 0) for r in muted},
        )
        tail = self.text(t.caption, self.st.caption) if t.caption else Spacer(1, 6)
        if len(t.rows) <= SHORT_TABLE_ROWS and table.wrap(FRAME_W, FRAME_H)[1] <= FRAME_H * SMALL_TABLE:
            # A short table reads as one unit: move it whole to the next page rather
            # than leave its header and two rows stranded at the foot of this one. A tall
            # one of few rows (the adoption plan) splits between rows instead: moving it
            # whole left up to half a page empty.
            return [Keep([table, tail])]
        return [table, tail]

    def callout(self, c: Callout) -> RLTable:
        tone = {"success": self.st.accent, "warning": self.st.warning}.get(c.tone, self.st.primary)
        title = self.text(c.title, self.st.callout_title(tone))
        body = [self.run(p.content, self.st.lead) for p in c.body]
        box = RLTable([[[title, *body]]], colWidths=[FRAME_W])
        box.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # else reportlab selects Helvetica, unembedded
                    ("BACKGROUND", (0, 0), (-1, -1), _tint(tone, 0.10)),
                    ("LINEBEFORE", (0, 0), (0, -1), 3, tone),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 7),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        return box

    def chart(self, ch: Chart) -> list:
        drawing = _range_chart(ch, self.st) if ch.kind == "range" else _bar_chart(ch, self.st)
        title = self.text(ch.title, self.st.chart_title)
        return [Keep([title, drawing, *self.chart_legend(ch)]), Spacer(1, 6)]

    def chart_legend(self, ch: Chart) -> list:
        """The chart's legend under it, small and muted like a table's note, on the chart's page."""
        return [self.text(ch.legend, self.st.caption)] if ch.legend else []

    def sources(self, sl: SourceList) -> list:
        out = []
        primary = self.brief.theme.primary
        short = self.brief.audience == "executive"
        for s in sl.sources:
            plain = [plain_text(x) for x in (s.title, s.publisher, s.label, s.url)]
            if all(x is not None for x in plain):
                # Parser-free: sources are most of a technical brief's paragraphs.
                title, publisher, label, url = plain
                href = url if url.startswith("https://") else None
                who = f"{title}, {publisher}" if publisher else title
                tail = f" ({label})."
                if short:
                    runs = [(who, False, primary if href else None, href), (tail, False, None)]
                else:
                    runs = [(f"{who}{tail} ", False, None), (url, False, primary, href)] if href else [(who + tail, False, None)]
                out.append(fast_paragraph("", self.st.source, bulletText=s.key, runs=runs))
                continue
            who = f"{s.title}, {s.publisher}" if s.publisher else s.title
            href = escape(s.url, {'"': "&quot;"}) if s.url.startswith("https://") else ""
            title = markup(who, self.missing)
            if href and self.brief.audience == "executive":
                # Short brief: the title itself is the link, the address is not printed.
                title = f'<a href="{href}" color="{self.brief.theme.primary}">{title}</a>'
            text = f"{title} ({markup(s.label, self.missing)})."
            if href and self.brief.audience != "executive":
                text += f' <a href="{href}" color="{self.brief.theme.primary}">{markup(s.url, self.missing)}</a>'
            out.append(SafeParagraph(text, self.st.source, bulletText=s.key))
        return out


# ---------------------------------------------------------------- charts

LABEL_W = 150.0  # option names such as "Airflow + MLflow + Metaflow" fit uncut
NOTE_W = 62.0
ROW_H = 14.0


GRID = colors.HexColor("#E3E6EA")
TRACK = colors.HexColor("#E9ECEF")


def _axis(d: Sketch, x0: float, x1: float, top: float, bottom: float, maximum: float, unit: str, st: _Styles) -> None:
    for i in range(5):
        value = maximum * i / 4
        x = x0 + (x1 - x0) * i / 4
        d.line(x, bottom, x, top, GRID, 0.5)
        d.label(x, bottom - 9, f"{number(value)}{'%' if unit == '%' else ''}", 6.5, st.muted, "middle")


def _fit(label: str, width: float, size: float) -> str:
    """Shorten a label to ``width`` points; charts have no wrapping."""
    if pdfmetrics.stringWidth(label, REGULAR, size) <= width:
        return label
    while label and pdfmetrics.stringWidth(label + "\u2026", REGULAR, size) > width:
        label = label[:-1]
    return label + "\u2026"


def _chart_label(text: str) -> str:
    # Chart labels are drawn in one font: keep what DejaVu draws, mark the rest.
    fonts = register_fonts()
    return "".join(ch if ord(ch) in fonts.base else REPLACEMENT for ch in clean(text)[0])


def _bar_chart(ch: Chart, st: _Styles) -> Sketch:
    n = len(ch.bars)
    height = n * ROW_H + 16
    d = Sketch(FRAME_W, height, REGULAR)
    x0, x1 = LABEL_W, FRAME_W - NOTE_W
    top, bottom = height - 2, 14
    maximum = ch.maximum or max((b.value for b in ch.bars), default=1) or 1
    _axis(d, x0, x1, top, bottom, maximum, ch.unit, st)
    for i, bar in enumerate(ch.bars):
        y = top - (i + 1) * ROW_H + 3
        color = st.muted if bar.muted else (st.accent if bar.highlight else st.primary)
        w = max(0.0, min(bar.value, maximum)) / maximum * (x1 - x0)
        d.label(x0 - 4, y + 2, _fit(_chart_label(bar.label), LABEL_W - 6, 7.5), 7.5, st.text, "end")
        d.rect(x0, y, w, ROW_H - 5, _tint(color, 0.45) if bar.muted else color)
        note = ch.value_text(bar.value) + (f"  {bar.note}" if bar.note else "")
        d.label(x0 + w + 3, y + 2, _fit(_chart_label(note), x1 - x0 - w + NOTE_W - 4, 7), 7, st.muted)
    return d


RANGE_NOTE_W = 104.0  # room for "now 12.6%, flips at 33.4%"


def _range_chart(ch: Chart, st: _Styles) -> Sketch:
    n = len(ch.bars)
    height = n * ROW_H + 16
    d = Sketch(FRAME_W, height, REGULAR)
    x0, x1 = LABEL_W, FRAME_W - RANGE_NOTE_W
    top, bottom = height - 2, 14
    maximum = ch.maximum or 100.0
    _axis(d, x0, x1, top, bottom, maximum, ch.unit, st)

    def x(v: float) -> float:
        return x0 + max(0.0, min(v, maximum)) / maximum * (x1 - x0)

    band = _tint(st.accent, 0.45)
    for i, bar in enumerate(ch.bars):
        y = top - (i + 1) * ROW_H + 3
        lo = ch.low[i] if i < len(ch.low) else 0.0
        hi = ch.high[i] if i < len(ch.high) else maximum
        d.label(x0 - 4, y + 2, _fit(_chart_label(bar.label), LABEL_W - 6, 7.5), 7.5, st.text, "end")
        d.rect(x0, y + 3, x1 - x0, ROW_H - 11, TRACK)
        d.rect(x(lo), y, max(0.8, x(hi) - x(lo)), ROW_H - 5, band)
        d.rect(x(bar.value) - 1.2, y - 1, 2.4, ROW_H - 3, st.primary)
        d.label(x1 + 4, y + 2, _fit(_chart_label(bar.note or f"now {number(bar.value)}%"), RANGE_NOTE_W - 4, 6.5), 6.5, st.muted)
    return d


# ---------------------------------------------------------------- pages


def _pdf_date(brief: Brief):
    """Creation date: SOURCE_DATE_EPOCH if set (generator.dates), else the brief's date at midnight UTC."""
    fixed = source_date_epoch()
    if fixed is not None:
        y, mo, d, h, mi, s = fixed.timetuple()[:6]
    else:
        try:
            y, mo, d = (int(x) for x in brief.meta.date[:10].split("-"))
        except ValueError:
            y, mo, d = 2000, 1, 1
        h = mi = s = 0
    stamp = "D:%04d%02d%02d%02d%02d%02d+00'00'" % (y, mo, d, h, mi, s)
    return lambda *args: stamp


def _header(brief: Brief, st: _Styles, missing: set[str]) -> RLParagraph | TextBlock:
    """The running header as one line of text, with font fallback and shaping like the body."""
    text = clean(brief.meta.header or brief.meta.title)[0]
    width = FRAME_W - (26 * mm if brief.theme.logo and brief.theme.logo_position == "header" else 0)
    style = ParagraphStyle("header", fontName=REGULAR, fontSize=7.5, leading=9, textColor=st.muted)
    limit = MAX_HEADER_CHARS
    while True:
        shown = text if len(text) <= limit else text[: limit - 1] + "\u2026"
        plain = plain_text(shown)
        para: RLParagraph | TextBlock
        if plain is not None:
            para = fast_paragraph(plain, style)
            para.wrap(width, 100)
            lines = len(para._layout(width))
        else:
            para = SafeParagraph(markup(shown, missing), st.shaped(style, shown))
            para.wrap(width, 100)
            lines = paragraph_line_count(para)
        # Wide (CJK) or long words can still need two lines: shorten until one fits.
        if lines <= 1 or limit <= 10:
            return para
        limit = int(limit * 0.75)


def _canvas_class(brief: Brief, st: _Styles, missing: set[str]):
    header = _header(brief, st, missing)
    footer = _chart_label(f"{brief.meta.date} \u00b7 knowledge base as of {brief.meta.kb_as_of}" if brief.meta.kb_as_of else brief.meta.date)
    logo = ImageReader(io.BytesIO(brief.theme.logo)) if brief.theme.logo else None
    date_formatter = _pdf_date(brief)

    class BriefCanvas(Canvas):
        """Draws header and footer; the total page count is a form defined at save (one pass)."""

        def __init__(self, *args, **kwargs):
            kwargs["invariant"] = 1
            super().__init__(*args, **kwargs)
            self.setDateFormatter(date_formatter)
            # bookmark key -> the page its heading is drawn on, plus how far down it (0.5: halfway down that page)
            self.section_pages: dict[str, float] = {}

        def showPage(self):
            self._decorate(self.getPageNumber())
            super().showPage()

        def bookmarkPage(self, key, *args, **kwargs):
            # every section heading bookmarks its page: where each section starts, for fitting a page budget
            self.section_pages.setdefault(key, self.getPageNumber() + min(getattr(self, "flow_depth", 0.0), 0.999))
            return super().bookmarkPage(key, *args, **kwargs)

        def _decorate(self, page: int) -> None:
            self.saveState()
            self.setFont(REGULAR, 7.5)
            self.setFillColor(st.muted)
            if page > 1:
                header.drawOn(self, MARGIN_X, PAGE_H - 12 * mm - 1.5)
                self.setStrokeColor(colors.HexColor("#D0D5DB"))
                self.setLineWidth(0.5)
                self.line(MARGIN_X, PAGE_H - 13.5 * mm, PAGE_W - MARGIN_X, PAGE_H - 13.5 * mm)
            label = f"Page {page} of "
            x = PAGE_W - MARGIN_X - 16
            out = TextWriter(self)  # one text object for both strings
            out.color(st.muted)
            out.origin(MARGIN_X, 10 * mm)
            out.show(footer, REGULAR, 7.5, 9)
            out.origin(x - width_of(label, REGULAR, 7.5), 10 * mm)
            out.show(label, REGULAR, 7.5, 9)
            out.close()
            self.saveState()
            self.translate(x, 10 * mm)
            self.doForm("pagetotal")
            self.restoreState()
            if logo is not None and (brief.theme.logo_position == "header" and page > 1 or page == 1):
                self._logo(page)
            self.restoreState()

        def _logo(self, page: int) -> None:
            iw, ih = logo.getSize()
            if page == 1:
                box_w, box_h, top = 38 * mm, 16 * mm, PAGE_H - 8 * mm
            else:
                box_w, box_h, top = 22 * mm, 6 * mm, PAGE_H - 7 * mm
            scale = min(box_w / iw, box_h / ih)
            w, h = iw * scale, ih * scale
            self.drawImage(logo, PAGE_W - MARGIN_X - w, top - h, w, h, mask="auto")

        def save(self):
            total = self.getPageNumber() - 1
            self.beginForm("pagetotal")
            self.setFont(REGULAR, 7.5)
            self.setFillColor(st.muted)
            self.drawString(0, 0, str(total))
            self.endForm()
            super().save()

    return BriefCanvas


class _Flate:
    """The PDF's stream filter: Flate at level 3, remembering the last few font subsets' results.

    Against reportlab's default (level 6, pages also ASCII85-encoded), measured on
    the 15-page technical example: page streams compress in 60 % of the time and
    come out 8 % larger, and without ASCII85 the whole file is 3 % smaller (116 to
    112 KB). A font subset is the same bytes object from brief to brief (see
    pdf_fonts.SUBSETS), so its compression is done once, not once a brief.
    """

    pdfname = "FlateDecode"
    LEVEL = 3
    KEPT = 32  # a batch's briefs use a few dozen subsets; 8 re-compressed a quarter of them

    def __init__(self) -> None:
        self._kept: dict[bytes, bytes] = {}

    def encode(self, data) -> bytes:
        if isinstance(data, str):
            return zlib.compress(data.encode("utf-8"), self.LEVEL)
        out = self._kept.get(data)
        if out is None:
            if len(self._kept) >= self.KEPT:
                del self._kept[next(iter(self._kept))]  # the oldest
            out = self._kept[data] = zlib.compress(data, self.LEVEL)
        return out

    def decode(self, data: bytes) -> bytes:
        return zlib.decompress(data)


_FLATE = _Flate()


def _title_block(b: _Builder) -> list:
    meta = b.brief.meta
    st = b.st
    out: list = []
    if b.brief.theme.logo and b.brief.theme.logo_position == "title":
        out.append(Spacer(1, 8 * mm))  # room for the logo drawn top right
    out.append(b.text(meta.title, st.title))
    if meta.subtitle:
        out.append(b.text(meta.subtitle, st.subtitle))
    pairs = [
        ("Organisation", meta.organisation),
        ("Prepared for", meta.prepared_for),
        ("Author", meta.byline),
        ("Date", meta.date),
        ("Knowledge as of", meta.kb_as_of),
    ]
    rows = [
        [k, b.cell(v, st.cell["left"], FRAME_W - 32 * mm - 4)]
        for k, v in pairs
        if v
    ]
    if rows:
        t = RLTable(rows, colWidths=[32 * mm, FRAME_W - 32 * mm], hAlign="LEFT")
        t.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                    ("FONTSIZE", (0, 0), (-1, -1), st.cell["left"].fontSize),
                    ("LEADING", (0, 0), (-1, -1), st.cell["left"].leading),
                    ("TEXTCOLOR", (0, 0), (0, -1), st.muted),
                    ("TEXTCOLOR", (1, 0), (1, -1), st.text),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
                    ("LINEBELOW", (0, -1), (-1, -1), 0.8, st.primary),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
                ]
            )
        )
        out.append(t)
    out.append(Spacer(1, 4))
    return out


def render_pdf_report(brief: Brief) -> tuple[bytes, tuple[str, ...]]:
    """Render the brief; return the PDF bytes and warnings (e.g. characters no bundled font has)."""
    data, warnings, _ = render_pdf_paged(brief)
    return data, warnings


def render_pdf_paged(brief: Brief) -> tuple[bytes, tuple[str, ...], dict[str, float]]:
    """render_pdf_report, and where each section starts, by section id: its page plus how far down that page
    (5.25: a quarter of the way down page 5); a page budget is fitted with it."""
    register_fonts()
    b = _Builder(brief)
    story = _title_block(b) + b.blocks(brief.sections)
    buf = io.BytesIO()
    meta = brief.meta
    # Every stream goes through _FLATE (the document's default filter) instead of
    # reportlab's own compression, which also ASCII85-encodes pages by default.
    canv = _canvas_class(brief, b.st, b.missing)(
        buf, pagesize=A4, pageCompression=0, initialFontName=REGULAR, lang=meta.language
    )
    set_stream_filters(canv, [_FLATE])
    canv.setAuthor(clean(meta.author)[0])
    canv.setTitle(clean(meta.title)[0])
    canv.setSubject(clean(meta.subject)[0])
    canv.setCreator("briefgen")
    canv.setProducer(None)
    canv.setKeywords([clean(k)[0] for k in meta.keywords])
    # The frame keeps reportlab's default 6 pt padding inside the margins.
    Pages(
        canv,
        x=MARGIN_X + 6,
        bottom=MARGIN_BOTTOM + 6,
        top=PAGE_H - MARGIN_TOP - 6,
        width=FRAME_W,
        frame_height=FRAME_H,
    ).pour(story)
    with utf16_cmaps():  # characters above U+FFFF extract as themselves (see reportlab_compat)
        canv.save()
    warnings = list(b.warnings)
    if b.missing:
        chars = ", ".join(_describe(ch) for ch in sorted(b.missing))
        warnings.append(f"no bundled font can draw {chars}; shown as \ufffd")
    starts = {sid: canv.section_pages[key] for sid, key in b.section_keys.items() if key in canv.section_pages}
    return buf.getvalue(), tuple(dict.fromkeys(warnings)), starts


def forget() -> None:
    """Forget what rendering remembers from brief to brief (word widths, operators, font
    subsets, compressed streams): the next brief renders as in a fresh process with the
    fonts already registered. For benchmarks; the output is the same either way."""
    from generator.render import pdf_fonts, pdf_text

    pdf_text._WIDTHS.clear()
    pdf_text._OPS.clear()
    pdf_fonts.SUBSETS.clear()
    _FLATE._kept.clear()


def render_pdf(brief: Brief) -> bytes:
    """The brief as PDF bytes (identical bytes for identical input and SOURCE_DATE_EPOCH)."""
    return render_pdf_report(brief)[0]
