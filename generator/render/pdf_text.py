"""Plain text runs laid out and drawn without reportlab's Paragraph machinery.

reportlab's Paragraph spends most of a brief's render time in its general line
breaker and per-line drawing (fragment bookkeeping, markup features the brief
never uses). Most of the brief is plain text in the base fonts, so this flowable
does only what that text needs: greedy breaking on ASCII whitespace with word
widths measured once per process, long words split by character, left, centred
or right lines, a bullet, links over the linked words, and one text object per
paragraph. Anything else (fallback fonts, shaping) still goes through Paragraph.

Words are kept in one of two forms: flat lists (``_Flat``: tokens, widths, the
space after each, the run of each) when no word spans two runs, which is nearly
every paragraph; else one record per word (``_words``), whose pieces may come
from several runs. Blocks draw at the origin they are given, without the state
save and translation of Flowable.drawOn; each text object sits inside q/Q.

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
from reportlab.pdfbase.pdfdoc import NoEncryption, PDFObject, PDFString
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from generator.render.reportlab_compat import InPlace, absolute_rect, add_annotation, append_operators, document_of

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
            # while, not if: after a cut at "/", what was carried over plus this character may
            # still be wider than the new line, and must be cut again
            while cur[0] + acc + cw > room + _FUZZ and (cur[1] or j > start):
                # a URL (or any word with a "/") is cut after its last "/" that fits
                cut = text.rfind("/", start, j) + 1 or j
                if cut > start:
                    chunk = text[start:cut]
                    width = acc if cut == j else width_of(chunk, font, size)
                    cur[1].append((chunk, i, width))
                    cur[0] += width
                    acc -= width
                else:
                    acc = 0.0
                pieces.append(cur)
                cur = [0.0, [], 0.0]
                room = limit
                start = cut
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


# Operator strings by value: a brief sets the same few fonts and colours hundreds of times.
_OPS: dict[tuple, str] = {}
_OPS_CAP = 4_000


def _op(key: tuple, make) -> str:
    op = _OPS.get(key)
    if op is None:
        if len(_OPS) >= _OPS_CAP:
            _OPS.clear()
        op = _OPS[key] = make()
    return op


class TextWriter:
    """Text operators written straight into the page, as reportlab's text object would write them.

    The text object re-checks fonts, colour spaces and cursor positions on every
    call; a brief's text needs none of that, only the recipe reportlab documents for
    dynamic fonts: per subset chunk, ``/Fn+s size Tf (chunk) Tj``. Fonts must be
    registered TrueType fonts and colours opaque RGB, which is all the brief uses.
    Printable ASCII sits at its own code in subset 0 of our fonts (see
    pdf_fonts._Font), so such a string is written as it is.
    """

    def __init__(self, canv) -> None:
        self.canv, self.doc = canv, document_of(canv)
        self.code = ["BT"]
        self._font: tuple | None = None
        self._color: colors.Color | None = None
        self._ascii: dict[str, str | None] = {}  # font -> its subset 0 name, if ASCII may skip the lookup
        self._x = self._y = self._leading = None

    def origin(self, x: float, y: float) -> None:
        self.code.append(f"1 0 0 1 {fp_str(x, y)} Tm")
        self._x, self._y = x, y

    def next_line(self, x: float, y: float) -> None:
        """Move to (x, y): ``T*`` when that is the start of the next line (same x, one leading down)."""
        if x == self._x and self._leading is not None and abs(self._y - self._leading - y) < 1e-6:
            self.code.append("T*")
            self._y = y
        else:
            self.origin(x, y)

    def color(self, color: colors.Color) -> None:
        if color is not self._color:
            rgb = (color.red, color.green, color.blue)
            self.code.append(_op(rgb, lambda: f"{fp_str(*rgb)} rg"))
            self._color = color

    def word_space(self, space: float) -> None:
        self.code.append(f"{fp_str(space)} Tw")

    def _ascii_name(self, fontname: str) -> str | None:
        font = getFont(fontname)
        # Whoever sets up the font's state for this document, printable ASCII gets
        # its own codes in subset 0 (reportlab's asciiReadable), if the font has them all.
        name = font.getSubsetInternalName(0, self.doc) if getattr(font, "ascii_ready", False) else None
        self._ascii[fontname] = name
        return name

    def _set_font(self, name: str, key: tuple, size: float, leading: float) -> None:
        self.code.append(_op((name, size, leading), lambda: f"{name} {fp_str(size)} Tf {fp_str(leading)} TL"))
        self._font, self._leading = key, leading

    def show(self, text: str, fontname: str, size: float, leading: float) -> None:
        if text.isascii() and text.isprintable():
            name = self._ascii.get(fontname, False)
            if name is False:
                name = self._ascii_name(fontname)
            if name is not None:
                if text:
                    key = (fontname, 0, size)
                    if key != self._font or leading != self._leading:
                        self._set_font(name, key, size, leading)
                    self.code.append(f"({escapePDF(text)}) Tj")
                return
        font = getFont(fontname)
        for subset, chunk in font.splitString(text, self.doc):
            key = (fontname, subset, size)
            if key != self._font or leading != self._leading:
                self._set_font(font.getSubsetInternalName(subset, self.doc), key, size, leading)
            self.code.append(f"({escapePDF(chunk)}) Tj")

    def close(self) -> None:
        if len(self.code) > 1:
            # q/Q: the colour and font set here must not outlive the text; the canvas
            # does not know of them, and reportlab's own drawing trusts what it knows.
            self.code.append("ET Q")
            append_operators(self.canv, "q " + " ".join(self.code))


class _LinkAnnotation(PDFObject):
    """The bytes of the link annotation ``canvas.linkURL(url, rect, thickness=0)`` makes.

    reportlab formats each annotation through a generic dictionary, name and array
    walk that cost more than drawing its text; a source list has dozens. This
    writes the same bytes directly (a test compares the two).
    """

    def __init__(self, url: str, rect: tuple[float, float, float, float]) -> None:
        self.url, self.rect = url, rect

    def format(self, document) -> bytes:
        url = self.url
        if url.isascii() and url.isprintable() and isinstance(document.encrypt, NoEncryption):
            uri = f"({escapePDF(url)})"  # what PDFString gives a printable ASCII string
        else:
            uri = PDFString(url).format(document).decode("latin-1")
        return (
            f"<<\n/A <<\n/S /URI /Type /Action /URI {uri}\n>> /Border [ 0 0 0 ] /Rect [ {fp_str(*self.rect)} ]"
            " /Subtype /Link /Type /Annot\n>>"
        ).encode("latin-1")


def add_link(canv, url: str, rect: tuple[float, float, float, float]) -> None:
    """A borderless link over ``rect`` (in the current coordinates), like ``linkURL(..., relative=1, thickness=0)``."""
    add_annotation(canv, _LinkAnnotation(url, absolute_rect(canv, rect)))


class _Flat:
    """A paragraph's words as flat lists, when no word spans two runs (most of a brief).

    ``spaces[j]`` is the width of the space after word j, in the font of the run
    where that space is; ``owner[j]`` the run word j belongs to (None: all in run 0).
    Lines break and split without a record per word.
    """

    __slots__ = ("tokens", "widths", "spaces", "owner")

    def __init__(self, tokens: list[str], widths: list[float], spaces: list[float], owner: list[int] | None) -> None:
        self.tokens, self.widths, self.spaces, self.owner = tokens, widths, spaces, owner

    def cut(self, k: int) -> tuple[_Flat, _Flat]:
        owner = self.owner
        return (
            _Flat(self.tokens[:k], self.widths[:k], self.spaces[:k], owner and owner[:k]),
            _Flat(self.tokens[k:], self.widths[k:], self.spaces[k:], owner and owner[k:]),
        )


def _measured(tokens: list[str], font: str, size: float) -> list[float]:
    table = _widths(font, size)
    widths = list(map(table.get, tokens))
    if None in widths:
        for j, w in enumerate(widths):
            if w is None:
                widths[j] = table[tokens[j]] = stringWidth(tokens[j], font, size)
    return widths


def _split(text: str) -> tuple[list[str], bool, bool, bool]:
    """Words of a run, and whether it starts with a word, holds a separator, ends with one.

    str.split() is five times faster than the regular expression, but also splits at
    no-break and other Unicode spaces and at ASCII separators \x1c-\x1f: only printable
    ASCII, whose one separator is the space, may take it.
    """
    if text.isascii() and text.isprintable():
        return text.split(), text[:1] not in ("", " "), " " in text, text.endswith(" ")
    parts = _SPACES.split(text)
    return [t for t in parts if t], bool(parts[0]), len(parts) > 1, len(parts) > 1 and not parts[-1]


def _flat(runs: tuple[Run, ...], size: float) -> _Flat | None:
    """The runs' words as a _Flat; None if a word continues from one run into the next."""
    if len(runs) == 1:
        run = runs[0]
        tokens = _split(run.text)[0]
        return _Flat(tokens, _measured(tokens, run.font, size), [width_of(" ", run.font, size)] * len(tokens), None)
    tokens: list[str] = []
    widths: list[float] = []
    spaces: list[float | None] = []
    owner: list[int] = []
    for i, run in enumerate(runs):
        words, starts_with_word, has_space, ends_with_space = _split(run.text)
        space = width_of(" ", run.font, size)
        if spaces and spaces[-1] is None:  # the previous run's last word is still open
            if starts_with_word:
                return None  # ... and goes on in this run
            if has_space:
                spaces[-1] = space  # the first space after a word sets the gap
        if words:
            tokens += words
            widths += _measured(words, run.font, size)
            spaces += [space] * (len(words) - 1) + [space if ends_with_space else None]
            owner += [i] * len(words)
    if spaces and spaces[-1] is None:
        spaces[-1] = 0.0
    return _Flat(tokens, widths, spaces, owner)  # type: ignore[arg-type]


def _break_flat(f: _Flat, first: float, later: float, shrink: float) -> list[tuple[int, int, float]] | None:
    """``break_lines`` for a _Flat: (first word, end, width) per line; None if a word must be cut."""
    widths, spaces = f.widths, f.spaces
    if not widths:
        return []
    used = widths[0]
    limit = first
    if used > limit + _FUZZ:
        return None
    lines = []
    start = 0
    gaps = 0.0
    for j in range(1, len(widths)):
        w = widths[j]
        gap = spaces[j - 1]
        need = used + gap + w
        if need <= limit + shrink * (gaps + gap) + _FUZZ:
            used, gaps = need, gaps + gap
            continue
        lines.append((start, j, used))
        limit = later
        if w > limit + _FUZZ:
            return None
        start, used, gaps = j, w, 0.0
    lines.append((start, len(widths), used))
    return lines


def _flat_segments(f: _Flat, b: int, e: int, used: float) -> list[tuple[float, str, int, float]]:
    """Drawing segments of words b..e: one per run, a space drawn at the end of the run before the next."""
    tokens = f.tokens
    owner = f.owner
    if owner is None or owner[b:e].count(owner[b]) == e - b:
        return [(0.0, " ".join(tokens[b:e]), owner[b] if owner else 0, used)]
    widths, spaces = f.widths, f.spaces
    segs = []
    x = 0.0
    k = b
    while k < e:
        run = owner[k]
        m = k + 1
        while m < e and owner[m] == run:
            m += 1
        text = " ".join(tokens[k:m])
        w = sum(widths[k:m]) + sum(spaces[k : m - 1])
        if m < e:
            text += " "
            w += spaces[m - 1]
        segs.append((x, text, run, w))
        x += w
        k = m
    return segs


def _as_words(f: _Flat) -> list[list]:
    """A _Flat in the general form (for cutting long words)."""
    owner = f.owner or [0] * len(f.tokens)
    return [[w, [(t, i, w)], s] for t, w, s, i in zip(f.tokens, f.widths, f.spaces, owner)]


class TextBlock(InPlace):
    """A paragraph of plain runs in registered fonts (see the module docstring for what it supports)."""

    hAlign = "LEFT"

    def __init__(
        self,
        runs: tuple[Run, ...],
        style,
        bulletText: str | None = None,
        outline: tuple[str, str, int] | None = None,
        words: list | _Flat | None = None,
        first: bool = True,
    ):
        # Flowable.__init__ only sets defaults this class does not use.
        self.runs = runs
        self.style = style
        self.bulletText = bulletText if first else None
        # (bookmark key, title, level): a heading adds its outline entry where it is drawn
        self.outline = outline if first else None
        self.first = first
        if words is None:
            words = _flat(runs, style.fontSize) or _words(runs, style.fontSize)
        self._words = words
        self.width = self.height = 0.0
        self._laid: tuple | None = None

    # -- layout
    def _indent(self) -> float:
        """How far the first line starts right of leftIndent (a long bullet pushes it)."""
        st = self.style
        push = 0.0
        if self.bulletText:
            end = st.bulletIndent + width_of(self.bulletText, st.bulletFontName, st.bulletFontSize) + 0.6 * st.bulletFontSize
            push = max(0.0, end - (st.leftIndent + st.firstLineIndent))
        return (st.firstLineIndent if self.first else 0.0) + push

    def _laid_out(self, width: float) -> tuple[list, list]:
        """The lines at this width: each line's words (for splitting) and (word count, width, drawing segments)."""
        laid = self._laid
        if laid is None or laid[0] != width:
            st = self.style
            later = width - st.leftIndent - st.rightIndent
            first = later - self._indent()
            shrink = getattr(st, "spaceShrinkage", 0.0)
            words = self._words
            if isinstance(words, _Flat):
                spans = _break_flat(words, first, later, shrink)
                if spans is None:
                    words = self._words = _as_words(words)
                else:
                    shapes = [(e - b, w, _flat_segments(words, b, e, w)) for b, e, w in spans]
                    laid = self._laid = (width, (spans, shapes))
                    return laid[1]
            lines = break_lines(words, first, later, self.runs, st.fontSize, shrink)
            shapes = [(len(line), *_segments(line)) for line in lines]
            laid = self._laid = (width, (lines, shapes))
        return laid[1]

    def _layout(self, width: float) -> list:
        """The lines at this width, as (word count, width, drawing segments)."""
        return self._laid_out(width)[1]

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.height = len(self._laid_out(availWidth)[1]) * self.style.leading
        return availWidth, self.height

    def minWidth(self):
        st = self.style
        words = self._words
        widest = max(words.widths, default=0.0) if isinstance(words, _Flat) else max((w[0] for w in words), default=0.0)
        return widest + st.leftIndent + st.rightIndent

    def split(self, availWidth, availHeight):
        cuts = self._laid_out(availWidth)[0]
        fit = int((availHeight + _FUZZ) / self.style.leading)
        if fit <= 1 or availWidth < _FUZZ:
            return []  # no room, or only an orphaned first line
        if len(cuts) <= fit:
            return [self]
        words = self._words
        if isinstance(words, _Flat):
            head, tail = words.cut(cuts[fit][0])
        else:
            head = [w for line in cuts[:fit] for w in line]
            tail = [w for line in cuts[fit:] for w in line]
        a = TextBlock(self.runs, self.style, self.bulletText, self.outline, head, self.first)
        b = TextBlock(self.runs, self.style, None, None, tail, first=False)
        return [a, b]

    # -- drawing
    def _paint(self, canv, ox: float, oy: float) -> None:
        st = self.style
        runs = self.runs
        if self.outline:
            key, title, level = self.outline
            canv.bookmarkPage(key)
            canv.addOutlineEntry(title, key, level=level, closed=False)
        shapes = self._laid_out(self.width)[1]
        size, leading = st.fontSize, st.leading
        y = oy + self.height - size
        out = TextWriter(canv)
        if self.bulletText:
            out.origin(ox + st.bulletIndent, y)
            out.color(getattr(st, "bulletColor", st.textColor))
            out.show(self.bulletText, st.bulletFontName, st.bulletFontSize, leading)
        room = self.width - st.leftIndent - st.rightIndent
        left = ox + st.leftIndent
        indent = self._indent()
        align = st.alignment
        links = []
        for count, width, segs in shapes:
            x = left + indent
            spare = room - indent - width
            indent = 0.0
            if spare < -_FUZZ and count > 1:
                squeeze = spare / (count - 1)  # narrower spaces, as break_lines allowed
                out.word_space(squeeze)
            else:
                squeeze = 0.0
                if align == TA_RIGHT:
                    x += spare
                elif align == TA_CENTER:
                    x += spare / 2
            out.next_line(x, y)
            for dx, text, i, w in segs:
                run = runs[i]
                out.color(run.color)
                out.show(text, run.font, size, leading)
                if run.href:
                    links.append((run.href, (x + dx, y - 0.2 * size, x + dx + w, y + 0.9 * size)))
            if squeeze:
                out.word_space(0)
            y -= leading
        out.close()
        for href, rect in links:
            add_link(canv, href, rect)
