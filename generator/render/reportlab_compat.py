"""Every use of reportlab beyond its public API, each behind one small function with its reason.

The PDF renderer draws text, tables and pages itself for speed (see pdf.py), and for
that it reaches into reportlab in a few places: a private name (a leading underscore),
or state and hooks reportlab does not document. All of them are here and nowhere else
in generator/render. reportlab is pinned to the series these were checked against
(setup.cfg: ``reportlab>=5.1,<5.2``), and tests/test_compat.py checks that each name
still exists and behaves as assumed, so a reportlab upgrade fails in CI, not in a
client's PDF.
"""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.platypus.flowables import Flowable

# --- page layout (pdf_pages) ---------------------------------------------------------------------


class InPlace(Flowable):
    """A flowable that draws itself at the origin it is given (pdf_text, pdf_table, pdf_sketch).

    Flowable.drawOn ("do not override") saves the graphics state, translates and restores it
    around every flowable; ours add the origin to their coordinates instead, and keep their
    text inside q/Q (see pdf_text.TextWriter.close). The override keeps drawOn's signature,
    whose spare-width keyword ``_sW`` is private: a frame passes it, and left-aligned blocks
    have no use for it.
    """

    def drawOn(self, canvas, x, y, _sW=0):
        self._paint(canvas, x, y)

    def draw(self):
        self._paint(self.canv, 0.0, 0.0)

    def _paint(self, canv, ox: float, oy: float) -> None:
        raise NotImplementedError


def layout_fuzz() -> float:
    """platypus' tolerance when it compares heights; Pages must round the same way to land where it does."""
    return rl_config._FUZZ


def draw_flowable(flowable, canv, x: float, y: float, spare_width: float) -> None:
    """Draw as a platypus frame does: the spare width (for hAlign) is drawOn's private ``_sW`` keyword."""
    flowable.drawOn(canv, x, y, _sW=spare_width)


def paragraph_is_wrapped(para) -> bool:
    """Whether a Paragraph has been wrapped: its lines live in ``blPara``, which wrap sets (no public flag)."""
    return hasattr(para, "blPara")


def paragraph_line_count(para) -> int:
    """Lines of a wrapped Paragraph: ``blPara.lines`` (no public accessor) — the running header must fit on one."""
    return len(para.blPara.lines)


# --- the canvas (pdf, pdf_text) ------------------------------------------------------------------


def document_of(canv):
    """The PDFDocument a canvas writes to (``_doc``): font subsets and their names are per document."""
    return canv._doc


def set_stream_filters(canv, filters: list) -> None:
    """Compress every stream of the document with ``filters`` (the document's ``defaultStreamFilters``,
    reached through ``_doc``); each filter has ``pdfname``, ``encode`` and ``decode`` as reportlab's own."""
    canv._doc.defaultStreamFilters = filters


def append_operators(canv, code: str) -> None:
    """Write raw operators into the current page (``_code``), as the canvas's own drawing methods do;
    text drawn this way skips the text object's per-call checks (pdf_text.TextWriter)."""
    canv._code.append(code)


def absolute_rect(canv, rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A rectangle in the current coordinates, in page coordinates: ``_absRect(rect, relative=1)``, as linkURL does."""
    return canv._absRect(rect, 1)


def add_annotation(canv, annotation) -> None:
    """Put an annotation object on the current page (``_addAnnotation``): a link whose bytes are written
    directly (pdf_text._LinkAnnotation) instead of through linkURL's generic dictionaries."""
    canv._addAnnotation(annotation)


# --- TrueType fonts (pdf_fonts) ------------------------------------------------------------------


def ascii_readable(font: ttfonts.TTFont) -> bool:
    """Whether printable ASCII sits at its own codes in subset 0 (``_asciiReadable``, on by default)."""
    return bool(font._asciiReadable)


def has_document_state(font: ttfonts.TTFont, doc) -> bool:
    """Whether the font has set up its subsets for ``doc`` (its ``state`` mapping); until then subset 0
    is not yet reserved for ASCII, and splitString must take reportlab's own path."""
    return doc in font.state


def wrap_subset_maker(font: ttfonts.TTFont, wrap: Callable[[Callable], Callable]) -> None:
    """Replace the font face's ``makeSubset`` (called by addObjects when the PDF is saved) with
    ``wrap(makeSubset)``, to reuse subsets cut for earlier briefs."""
    font.face.makeSubset = wrap(font.face.makeSubset)


def shaping_available() -> bool:
    """Whether reportlab found uharfbuzz: ttfonts keeps the module, or None, as ``uharfbuzz``."""
    return ttfonts.uharfbuzz is not None


# The ToUnicode CMap reportlab writes for each font subset, kept to restore it.
_REPORTLAB_CMAP = ttfonts.makeToUnicodeCMap
_cmap_lock = threading.Lock()
_cmap_users = 0


def utf16_to_unicode_cmap(fontname: str, subset) -> str:
    """reportlab's ToUnicode CMap with code points above U+FFFF written as UTF-16 pairs.

    reportlab 5.1 prints them as 5 hex digits, so text extraction and search turn
    the rocket emoji U+1F680 into U+1F68; the PDF reference wants UTF-16BE. For
    code points up to U+FFFF the result is reportlab's, character for character.
    """
    return _unicode_cmap(fontname, tuple(subset))


@functools.lru_cache(maxsize=64)
def _unicode_cmap(fontname: str, subset: tuple[int, ...]) -> str:
    # Briefs share their font subsets (pdf_fonts remembers them), so most CMaps repeat:
    # building one costs about 0.3 ms, two or three per brief.
    head = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        "<< /Registry (%s)" % fontname,
        "/Ordering (%s)" % fontname,
        "/Supplement 0",
        ">> def",
        "/CMapName /%s def" % fontname,
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1),
        "endcodespacerange",
        "%d beginbfchar" % len(subset),
    ]
    body = ["<%02X> <%s>" % (i, chr(v).encode("utf-16-be", "surrogatepass").hex().upper()) for i, v in enumerate(subset)]
    tail = ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(head + body + tail)


@contextmanager
def utf16_cmaps() -> Iterator[None]:
    """While the block runs, reportlab writes ToUnicode CMaps with :func:`utf16_to_unicode_cmap`.

    TTFont.addObjects looks up the module function ``ttfonts.makeToUnicodeCMap`` when a
    document is saved, and offers no hook: the function is replaced for the duration of
    our ``canvas.save()`` only, then restored (a count under a lock, so nested or
    concurrent saves restore it once, last). Another thread saving a PDF at that moment
    gets the same CMaps, which differ from reportlab's only for characters above U+FFFF,
    where they are the correct ones.
    """
    global _cmap_users
    with _cmap_lock:
        if _cmap_users == 0:
            ttfonts.makeToUnicodeCMap = utf16_to_unicode_cmap
        _cmap_users += 1
    try:
        yield
    finally:
        with _cmap_lock:
            _cmap_users -= 1
            if _cmap_users == 0:
                ttfonts.makeToUnicodeCMap = _REPORTLAB_CMAP
