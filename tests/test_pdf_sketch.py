"""Chart primitives drawn straight onto the page: where labels land, what is filled."""

from __future__ import annotations

import io

import pypdf
import pytest
from reportlab.lib import colors
from reportlab.platypus import SimpleDocTemplate

from generator.render import pdf as P
from generator.render.pdf_sketch import Sketch

P.register_fonts()


@pytest.mark.parametrize("anchor, shift", [("start", 0.0), ("middle", 0.5), ("end", 1.0)])
def test_a_label_is_placed_by_its_anchor(anchor, shift):
    """x is the label's start, middle or end, measured in the base font."""
    d = Sketch(200, 50, P.REGULAR)
    d.label(100, 20, "Kubeflow 76.7", 7.5, colors.black, anchor)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, invariant=1, initialFontName=P.REGULAR).build([d])
    found = []
    pypdf.PdfReader(io.BytesIO(buf.getvalue())).pages[0].extract_text(
        visitor_text=lambda text, cm, tm, font, size: text.strip() and found.append(tm[4])
    )
    width = P.pdfmetrics.stringWidth("Kubeflow 76.7", P.REGULAR, 7.5)
    frame_x = 72 + 6  # SimpleDocTemplate: 1-inch margin, 6 pt frame padding; the sketch draws in page coordinates
    assert found == [pytest.approx(frame_x + 100 - width * shift, abs=0.01)]


def test_bars_are_filled_rectangles_without_stroke():
    """Each rect is one 're f' (fill, no outline), in the colour asked for."""
    d = Sketch(200, 50, P.REGULAR)
    d.rect(0, 0, 50, 9, colors.red)
    d.rect(0, 12, 70, 9, colors.red)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, invariant=1, initialFontName=P.REGULAR, pageCompression=0).build([d])
    stream = buf.getvalue()
    assert stream.count(b" re f") == 2
    assert stream.count(b"1 0 0 rg") == 1  # the colour is set once for both
