"""Which bundled font draws each character of a brief, and text made safe for reportlab.

DejaVu Sans draws Latin, Greek, Cyrillic, Arabic and Hebrew; Droid Sans Fallback
CJK and Hangul; Symbola emoji and symbols. A character none of them has is drawn
as U+FFFD and reported. ``markup`` escapes user text and wraps fallback-font runs;
``plain_text`` says when text can skip reportlab's Paragraph altogether;
``needs_shaping`` when joined or right-to-left letters go through HarfBuzz.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from generator.render.reportlab_compat import ascii_readable, has_document_state, shaping_available, wrap_subset_maker
from generator.resources import fonts_dir
from generator.sanitize import clean

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
# Fallback order matters: Droid has CJK and Hangul, Symbola has emoji and symbols.
FALLBACKS = (("DroidSansFallback", "DroidSansFallback.ttf"), ("Symbola", "Symbola.ttf"))
REPLACEMENT = "\ufffd"  # drawn (by DejaVu) for a character no bundled font has: a visible, documented sign, not a box
# Invisible format characters that only steer emoji or joining; dropping them loses nothing visible.
IGNORABLE = {"\u200d", "\ufe0e", "\ufe0f", "\u200b", "\u2060", "\ufeff"}


@dataclass
class _Fonts:
    base: frozenset[int]
    fallbacks: list[tuple[str, frozenset[int]]]
    loaded_fallbacks: bool = False


_FONTS: _Fonts | None = None


# Font subsets by (font, character codes), the last few. Cutting a subset out of
# the font file costs about a millisecond a face per brief, and briefs mostly share
# their subsets (printable ASCII plus the same few marks). The same bytes object
# also lets the stream filter in pdf.py reuse its compression.
SUBSETS: dict[tuple[str, tuple[int, ...]], bytes] = {}
_SUBSETS_KEPT = 32


def _remembered_subsets(name: str, make):
    """``makeSubset``, answered from SUBSETS when this subset was cut before."""

    def make_subset(subset):
        key = (name, tuple(subset))
        data = SUBSETS.get(key)
        if data is None:
            if len(SUBSETS) >= _SUBSETS_KEPT:
                del SUBSETS[next(iter(SUBSETS))]  # the oldest
            data = SUBSETS[key] = make(subset)
        return data

    return make_subset


class _Font(TTFont):
    """A TrueType font whose printable-ASCII strings skip the per-character subset lookup.

    With ``asciiReadable`` (reportlab's default) every printable ASCII character the
    font has sits in subset 0 at its own code from the start, so such a string encodes
    to itself; reportlab still walks it character by character, and that walk was the
    largest single cost of drawing a brief. The result is the same bytes.
    """

    def __init__(self, name, file) -> None:
        super().__init__(name, file)
        self.ascii_ready = ascii_readable(self) and all(n in self.face.charToGlyph for n in range(32, 127))
        wrap_subset_maker(self, lambda make: _remembered_subsets(name, make))

    def splitString(self, text, doc, encoding="utf-8"):
        if (
            self.ascii_ready and isinstance(text, str) and text.isascii() and text.isprintable()
            and has_document_state(self, doc)
        ):
            return [(0, text.encode("ascii"))] if text else []
        return super().splitString(text, doc, encoding)


def _register(name: str, filename: str) -> TTFont:
    path = fonts_dir() / filename
    font = _Font(name, io.BytesIO(path.read_bytes()))
    pdfmetrics.registerFont(font)
    return font


def register_fonts() -> _Fonts:
    """Register the base family once per process (costs ~15 ms; fallbacks load on first need)."""
    global _FONTS
    if _FONTS is None:
        regular = _register(REGULAR, "DejaVuSans.ttf")
        bold = _register(BOLD, "DejaVuSans-Bold.ttf")
        # Italic maps to the upright face: the brief uses italics only for asides, and a
        # third 640 KB face is not worth it.
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
        # The base faces draw what both have: the bold lacks ~140 mathematical letters the
        # regular has, and a bold heading must not print them as empty boxes; they come
        # from the fallback fonts instead.
        _FONTS = _Fonts(frozenset(regular.face.charToGlyph).intersection(bold.face.charToGlyph), [])
    return _FONTS


def _load_fallbacks(fonts: _Fonts) -> None:
    # CJK and emoji fonts are large (3-4 MB, ~130 ms to parse): only briefs that need them pay.
    if not fonts.loaded_fallbacks:
        for name, filename in FALLBACKS:
            font = _register(name, filename)
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
            fonts.fallbacks.append((name, frozenset(font.face.charToGlyph)))
        fonts.loaded_fallbacks = True


_CHAR_FONT: dict[str, str | None] = {}


def _font_for(ch: str, fonts: _Fonts) -> str | None:
    """'' = base font, a fallback font name, or None when no bundled font has the glyph."""
    cached = _CHAR_FONT.get(ch, 0)
    if cached != 0:
        return cached  # type: ignore[return-value]
    code = ord(ch)
    if code in fonts.base or ch in "\n\t ":
        result: str | None = ""
    else:
        _load_fallbacks(fonts)
        result = next((name for name, cmap in fonts.fallbacks if code in cmap), None)
    _CHAR_FONT[ch] = result
    return result


def _describe(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}"


def markup(text: str, missing: set[str] | None = None) -> str:
    """Plain text -> escaped Paragraph markup, with runs a fallback font must draw wrapped in <font>.

    Characters no bundled font can draw become U+FFFD and are added to ``missing``.
    """
    text, _ = clean(text)
    if text.isascii():
        return escape(text)
    fonts = register_fonts()
    out: list[str] = []
    run: list[str] = []
    run_font = ""

    def flush() -> None:
        if run:
            chunk = escape("".join(run))
            out.append(f'<font name="{run_font}">{chunk}</font>' if run_font else chunk)
            run.clear()

    for ch in text:
        if ch in IGNORABLE:
            continue
        font = _font_for(ch, fonts)
        if font is None:
            if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
                continue  # a mark or format character with no glyph draws nothing anyway
            if missing is not None:
                missing.add(ch)
            ch, font = REPLACEMENT, ""
        if font != run_font:
            flush()
            run_font = font
        run.append(ch)
    flush()
    return "".join(out)


# Scripts whose letters join or run right to left (Hebrew, Arabic, Syriac, Thaana,
# N'Ko, Indic, presentation forms): drawn through HarfBuzz shaping when uharfbuzz
# is installed, otherwise letter by letter.
_COMPLEX = re.compile("[\u0590-\u08ff\u0900-\u0dff\ufb1d-\ufdff\ufe70-\ufeff]")
SHAPING = shaping_available()


def _shapeable(text: str) -> bool:
    """Whether ``text`` has joining or right-to-left letters and HarfBuzz is here to shape them."""
    return SHAPING and not text.isascii() and _COMPLEX.search(text) is not None


def needs_shaping(text: str) -> bool:
    """Whether ``text`` goes through HarfBuzz: shapeable letters, and no word reportlab would break on."""
    return _shapeable(text) and not mixes_fonts_in_a_word(text)


def shaping_refused(text: str) -> bool:
    """Whether ``text`` has letters to shape but a word mixing fonts, so it is drawn unjoined."""
    return _shapeable(text) and mixes_fonts_in_a_word(text)


def mixes_fonts_in_a_word(text: str) -> bool:
    """Whether some word (between ASCII spaces) needs more than one of the bundled fonts.

    reportlab 5.1 shapes a word with its first font's glyph table and then looks the
    glyphs up in the other fonts' tables: wrong glyphs, then an AttributeError. Such
    words are drawn unshaped (letter by letter) instead.
    """
    fonts = register_fonts()
    for word in _ASCII_SPACE.split(text):
        seen = {_font_for(ch, fonts) or "" for ch in word if ch not in IGNORABLE}
        if len(seen) > 1:
            return True
    return False


_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")



def plain_text(text: str) -> str | None:
    """``text`` cleaned, if the base font draws all of it and nothing needs dropping; else None."""
    text = clean(text)[0]
    if text.isascii():
        return text
    if needs_shaping(text):
        return None
    base = register_fonts().base
    if all(ord(ch) in base and ch not in IGNORABLE for ch in text):
        return text
    return None
