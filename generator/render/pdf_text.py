"""Plain text runs laid out and drawn without reportlab's Paragraph machinery.

reportlab's Paragraph spends most of a brief's render time in its general line
breaker and per-line drawing (fragment bookkeeping, markup features the brief
never uses). Most of the brief is plain text in the base fonts, so this flowable
does only what that text needs: greedy breaking on ASCII whitespace with word
widths measured once per process, long words split by character, left, centred
or right lines, a bullet, links over the linked words, and one text object per
paragraph. Anything else (fallback fonts, shaping) still goes through Paragraph.

Layout follows Paragraph's conventions so the two kinds sit together: the first
baseline is ``fontSize`` below the top, lines are ``leading`` apart, the bullet
sits at ``bulletIndent`` and pushes the first line right if it overruns, a
paragraph never leaves a single first line at the foot of a page (orphan) and
splits anywhere else.
"""

from __future__ import annotations

import re

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfdoc import PDFObject, PDFString
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus.flowables import Flowable

# Paragraph breaks at ASCII whitespace only: a no-break space must stay unbroken.
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_FUZZ = 1e-8
# Word widths, remembered per process and per font and size: the same words recur
# across paragraphs and briefs. (Remembering whole paragraphs' lines was tried: no
# gain across different briefs, and 35 MB more per batch worker.) A batch keeps
# adding words, so each table is bounded.
_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}
_WIDTHS_CAP = 40_000


def _widths(font: str, size: float) -> dict[str, float]:
    table = _WIDTHS.get((font, size))
    if table is None:
        table = _WIDTHS[(font, size)] = {}
    elif len(table) >= _WIDTHS_CAP:
        table.clear()
    return table


def width_of(text: str, font: str, size: float) -> float:
    """stringWidth, remembered per process."""
    table = _widths(font, size)
    w = table.get(text)
    if w is None:
        w = table[text] = stringWidth(text, font, size)
    return w


class Run:
    """A stretch of text in one font and colour, optionally a link."""

    __slots__ = ("text", "font", "color", "href")

    def __init__(self, text: str, font: str, color: colors.Color, href: str | None = None) -> None:
        self.text, self.font, self.color, self.href = text, font, color, href


def _words(runs: tuple[Run, ...], size: float) -> list[list]:
    """Words as [width, [(text, run index, width), ...], space width after]; a word may span runs."""
    words: list[list] = []
    word: list | None = None  # the last word, still open if its run did not end in a space
    for i, run in enumerate(runs):
        font = run.font
        table = _widths(font, size)
        space = width_of(" ", font, size)
        # Separators are maximal whitespace runs, so only the first and last token can be
        # empty: an empty one means the run starts or ends with a space.
        tokens = _SPACES.split(run.text)
        ws = [table.get(t) for t in tokens]
        for j, w in enumerate(ws):
            if w is None:
                ws[j] = table[tokens[j]] = stringWidth(tokens[j], font, size)
        head = tokens[0]
        if head:
            if word is not None:  # continues the word the previous run left open
                word[0] += ws[0]
                word[1].append((head, i, ws[0]))
            else:
                word = [ws[0], [(head, i, ws[0])], 0.0]
                words.append(word)
        if len(tokens) > 1:
            if word is not None:
                word[2] = space
            words.extend([[w, [(t, i, w)], space] for t, w in zip(tokens[1:-1], ws[1:-1])])
            tail = tokens[-1]
            word = [ws[-1], [(tail, i, ws[-1])], 0.0] if tail else None
            if word is not None:
                words.append(word)
    return words


def _split_long(word: list, limit: float, first_room: float, runs: tuple[Run, ...], size: float) -> list[list]:
    """A word wider than the line, cut between characters into pieces that fit."""
    pieces: list[list] = []
    room = first_room
    cur: list = [0.0, [], 0.0]
    for text, i, _ in word[1]:
        font = runs[i].font
        start = 0
        acc = 0.0
        for j, ch in enumerate(text):
            cw = width_of(ch, font, size)
            if cur[0] + acc + cw > room + _FUZZ and (cur[1] or j > start):
                if j > start:
                    chunk = text[start:j]
                    cur[1].append((chunk, i, acc))
                    cur[0] += acc
                pieces.append(cur)
                cur = [0.0, [], 0.0]
                room = limit
                start, acc = j, 0.0
            acc += cw
        if len(text) > start:
            cur[1].append((text[start:], i, acc))
            cur[0] += acc
    cur[2] = word[2]
    pieces.append(cur)
    return pieces


def break_lines(
    words: list[list], first: float, later: float, runs: tuple[Run, ...], size: float, shrink: float = 0.0
) -> list[list]:
    """Greedy line breaking: lines as lists of words (long words cut).

    Like Paragraph, a line may overrun its width by ``shrink`` (a fraction) of its
    spaces' width; drawing then narrows those spaces so the line still fits.
    """
    lines: list[list] = []
    line: list = []
    used = gaps = 0.0
    limit = first
    for word in words:
        if line:
            gap = line[-1][2]
            need = used + gap + word[0]
            if need <= limit + shrink * (gaps + gap) + _FUZZ:
                line.append(word)
                used, gaps = need, gaps + gap
                continue
            lines.append(line)
            line, used, gaps, limit = [], 0.0, 0.0, later
        if word[0] <= limit + _FUZZ:
            line, used = [word], word[0]
            continue
        pieces = _split_long(word, later, limit, runs, size)
        for piece in pieces[:-1]:
            lines.append([piece])
        limit = later
        line, used = [pieces[-1]], pieces[-1][0]
    if line:
        lines.append(line)
    return lines


def _segments(line: list) -> tuple[float, list[tuple[float, str, int, float]]]:
    """A line's width and its drawing segments (x offset, text, run index, width), one per run."""
    if all(len(word[1]) == 1 and word[1][0][1] == line[0][1][0][1] for word in line):
        # one run (most paragraphs): one segment, joined in C
        width = sum(word[0] + word[2] for word in line) - line[-1][2]
        return width, [(0.0, " ".join(word[1][0][0] for word in line), line[0][1][0][1], width)]
    segs: list[list] = []
    x = 0.0
    for k, word in enumerate(line):
        if k:
            last = segs[-1]
            gap = line[k - 1][2]
            last[1] += " "
            last[3] += gap
            x += gap
        for text, i, w in word[1]:
            if segs and segs[-1][2] == i:
                segs[-1][1] += text
                segs[-1][3] += w
            else:
                segs.append([x, text, i, w])
            x += w
    return x, [tuple(s) for s in segs]  # type: ignore[misc]


class TextWriter:
    """Text operators written straight into the page, as reportlab's text object would write them.

    The text object re-checks fonts, colour spaces and cursor positions on every
    call; a brief's text needs none of that, only the recipe reportlab documents for
    dynamic fonts: per subset chunk, ``/Fn+s size Tf (chunk) Tj``. Fonts must be
    registered TrueType fonts and colours opaque RGB, which is all the brief uses.
    """

    def __init__(self, canv) -> None:
        self.canv, self.doc = canv, canv._doc
        self.code = ["BT"]
        self._font: tuple | None = None
        self._color: colors.Color | None = None

    def origin(self, x: float, y: float) -> None:
        self.code.append(f"1 0 0 1 {fp_str(x, y)} Tm")

    def color(self, color: colors.Color) -> None:
        if color is not self._color:
            self.code.append(f"{fp_str(color.red, color.green, color.blue)} rg")
            self._color = color

    def word_space(self, space: float) -> None:
        self.code.append(f"{fp_str(space)} Tw")

    def show(self, text: str, fontname: str, size: float, leading: float) -> None:
        font = getFont(fontname)
        for subset, chunk in font.splitString(text, self.doc):
            key = (fontname, subset, size)
            if key != self._font:
                self.code.append(f"{font.getSubsetInternalName(subset, self.doc)} {fp_str(size)} Tf {fp_str(leading)} TL")
                self._font = key
            self.code.append(f"({escapePDF(chunk)}) Tj")

    def close(self) -> None:
        if len(self.code) > 1:
            self.code.append("ET")
            self.canv._code.append(" ".join(self.code))


class _LinkAnnotation(PDFObject):
    """The bytes of the link annotation ``canvas.linkURL(url, rect, thickness=0)`` makes.

    reportlab formats each annotation through a generic dictionary, name and array
    walk that cost more than drawing its text; a source list has dozens. This
    writes the same bytes directly (a test compares the two).
    """

    def __init__(self, url: str, rect: tuple[float, float, float, float]) -> None:
        self.url, self.rect = url, rect

    def format(self, document) -> bytes:
        return (
            b"<<\n/A <<\n/S /URI /Type /Action /URI "
            + PDFString(self.url).format(document)
            + b"\n>> /Border [ 0 0 0 ] /Rect [ "
            + fp_str(*self.rect).encode("ascii")
            + b" ] /Subtype /Link /Type /Annot\n>>"
        )


def add_link(canv, url: str, rect: tuple[float, float, float, float]) -> None:
    """A borderless link over ``rect`` (in the current coordinates), like ``linkURL(..., relative=1, thickness=0)``."""
    canv._addAnnotation(_LinkAnnotation(url, canv._absRect(rect, 1)))


class TextBlock(Flowable):
    """A paragraph of plain runs in registered fonts (see the module docstring for what it supports)."""

    def __init__(
        self,
        runs: tuple[Run, ...],
        style,
        bulletText: str | None = None,
        outline: tuple[str, str, int] | None = None,
        words: list | None = None,
        first: bool = True,
    ):
        super().__init__()
        self.runs = runs
        self.style = style
        self.bulletText = bulletText if first else None
        # (bookmark key, title, level): a heading adds its outline entry where it is drawn
        self.outline = outline if first else None
        self.first = first
        self._words = words if words is not None else _words(runs, style.fontSize)
        self._laid: tuple[float, tuple] | None = None

    # -- layout
    def _indent(self) -> float:
        """How far the first line starts right of leftIndent (a long bullet pushes it)."""
        st = self.style
        push = 0.0
        if self.bulletText:
            end = st.bulletIndent + width_of(self.bulletText, st.bulletFontName, st.bulletFontSize) + 0.6 * st.bulletFontSize
            push = max(0.0, end - (st.leftIndent + st.firstLineIndent))
        return (st.firstLineIndent if self.first else 0.0) + push

    def _layout(self, width: float) -> list:
        """The lines at this width (lists of words)."""
        return self._laid_out(width)[0]

    def _laid_out(self, width: float) -> tuple[list, list]:
        """The lines at this width, and each line's (width, drawing segments)."""
        if self._laid is None or self._laid[0] != width:
            st = self.style
            later = width - st.leftIndent - st.rightIndent
            first = later - self._indent()
            lines = break_lines(self._words, first, later, self.runs, st.fontSize, getattr(st, "spaceShrinkage", 0.0))
            self._laid = (width, (lines, [_segments(line) for line in lines]))
        return self._laid[1]

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.height = len(self._layout(availWidth)) * self.style.leading
        return availWidth, self.height

    def minWidth(self):
        st = self.style
        return max((w[0] for w in self._words), default=0.0) + st.leftIndent + st.rightIndent

    def split(self, availWidth, availHeight):
        lines = self._layout(availWidth)
        fit = int((availHeight + _FUZZ) / self.style.leading)
        if fit <= 1 or availWidth < _FUZZ:
            return []  # no room, or only an orphaned first line
        if len(lines) <= fit:
            return [self]
        head = [w for line in lines[:fit] for w in line]
        tail = [w for line in lines[fit:] for w in line]
        a = TextBlock(self.runs, self.style, self.bulletText, self.outline, head, self.first)
        b = TextBlock(self.runs, self.style, None, None, tail, first=False)
        return [a, b]

    # -- drawing
    def draw(self):
        canv = self.canv
        st = self.style
        runs = self.runs
        if self.outline:
            key, title, level = self.outline
            canv.bookmarkPage(key)
            canv.addOutlineEntry(title, key, level=level, closed=False)
        lines, shapes = self._laid_out(self.width)
        size = st.fontSize
        y = self.height - size
        out = TextWriter(canv)
        if self.bulletText:
            out.origin(st.bulletIndent, y)
            out.color(getattr(st, "bulletColor", st.textColor))
            out.show(self.bulletText, st.bulletFontName, st.bulletFontSize, st.leading)
        room = self.width - st.leftIndent - st.rightIndent
        links = []
        for n, (line, (width, segs)) in enumerate(zip(lines, shapes)):
            indent = self._indent() if n == 0 else 0.0
            x = st.leftIndent + indent
            spare = room - indent - width
            if spare < -_FUZZ and len(line) > 1:
                squeeze = spare / (len(line) - 1)  # narrower spaces, as break_lines allowed
                out.word_space(squeeze)
            else:
                squeeze = 0.0
                if st.alignment == TA_RIGHT:
                    x += spare
                elif st.alignment == TA_CENTER:
                    x += spare / 2
            out.origin(x, y)
            for dx, text, i, w in segs:
                run = runs[i]
                out.color(run.color)
                out.show(text, run.font, size, st.leading)
                if run.href:
                    links.append((run.href, (x + dx, y - 0.2 * size, x + dx + w, y + 0.9 * size)))
            if squeeze:
                out.word_space(0)
            y -= st.leading
        out.close()
        for href, rect in links:
            add_link(canv, href, rect)
