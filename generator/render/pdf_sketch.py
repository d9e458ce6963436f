"""Charts' vector primitives drawn straight onto the page.

reportlab's graphics Drawing renders through a generic node tree (a state
push, a copy of every attribute and a text object per label); a brief's charts
are a few dozen lines, filled rectangles and one-line labels in the base font,
so this flowable keeps those three lists and draws each in one pass: grid lines
under bars, bars, then every label in one text object.
"""

from __future__ import annotations

from reportlab.lib import colors

from generator.render.pdf_text import TextWriter, width_of
from generator.render.reportlab_compat import InPlace


class Sketch(InPlace):
    """A fixed-size drawing of lines, filled rectangles and labels (see the module docstring)."""

    def __init__(self, width: float, height: float, font: str) -> None:
        super().__init__()
        self.width, self.height, self.font = width, height, font
        self.lines: list[tuple[float, float, float, float, colors.Color, float]] = []
        self.rects: list[tuple[float, float, float, float, colors.Color]] = []
        self.labels: list[tuple[float, float, str, float, colors.Color, str]] = []

    def line(self, x0: float, y0: float, x1: float, y1: float, color: colors.Color, width: float) -> None:
        self.lines.append((x0, y0, x1, y1, color, width))

    def rect(self, x: float, y: float, w: float, h: float, color: colors.Color) -> None:
        self.rects.append((x, y, w, h, color))

    def label(self, x: float, y: float, text: str, size: float, color: colors.Color, anchor: str = "start") -> None:
        """One line of text at baseline ``y``; ``anchor`` is where ``x`` is: start, middle or end."""
        self.labels.append((x, y, text, size, color, anchor))

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def _paint(self, c, ox: float, oy: float) -> None:
        for x0, y0, x1, y1, color, width in self.lines:
            c.setStrokeColor(color)
            c.setLineWidth(width)
            c.line(ox + x0, oy + y0, ox + x1, oy + y1)
        fill = None
        for x, y, w, h, color in self.rects:
            if color is not fill:
                c.setFillColor(color)
                fill = color
            c.rect(ox + x, oy + y, w, h, stroke=0, fill=1)
        out = TextWriter(c)
        for x, y, text, size, color, anchor in self.labels:
            if anchor != "start":
                w = width_of(text, self.font, size)
                x -= w if anchor == "end" else w / 2
            out.origin(ox + x, oy + y)
            out.color(color)
            out.show(text, self.font, size, size * 1.2)
        out.close()
