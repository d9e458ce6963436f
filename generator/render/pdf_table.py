"""The brief's data tables as one small flowable instead of reportlab's Table.

reportlab's Table resolves a style command per cell, wraps each cell through
generic geometry and draws every string with its own text object; for the
brief's dozen plain grids that was a third of the render time. A brief's table
needs much less: fixed column widths, a header row repeated on every page it
splits across, alternating row bands, tinted and bold highlight cells, muted
cells, a hairline under each row, top-aligned cells that are either a one-line
string or a flowable (a wrapped paragraph). That is all this does, in three
passes per table: fills, rules, then one text object for every string cell.

Geometry follows Table's: a row is as tall as its tallest cell (a string is
``leading`` per line, a flowable its wrapped height) plus the padding; a string's
baseline is ``fontSize`` below the cell's top padding.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.platypus.flowables import Flowable

from generator.render.pdf_text import TextWriter, width_of
from generator.render.reportlab_compat import InPlace


@dataclass(frozen=True)
class TableLook:
    """Colours, fonts and spacing of a data table."""

    font: str
    bold_font: str
    size: float
    leading: float
    text: colors.Color
    muted: colors.Color
    header_text: colors.Color
    header_fill: colors.Color
    bands: tuple[colors.Color | None, colors.Color | None]
    rule: colors.Color
    rule_width: float = 0.4
    pad_top: float = 2.5
    pad_bottom: float = 2.5
    pad_x: float = 4.0


@dataclass
class _Rows:
    """Which original rows a (possibly split) table shows, and its highlights by original row."""

    cells: list[list]  # row 0 is the header
    index: list[int]  # original row number per shown row (header = 0)
    tints: dict[tuple[int, int], colors.Color] = field(default_factory=dict)
    bold: set[tuple[int, int]] = field(default_factory=set)
    muted: set[tuple[int, int]] = field(default_factory=set)  # cells in the muted colour


# A split leaves at least this many body rows on each side of the page break, fewer
# only when the table is too short for that: a header and one row at a page foot (the
# score matrix's first criterion) reads as a stray line, not as the start of a table.
SPLIT_ROWS = 3
SPLIT_ROWS_SHORT = 2


def split_point(body: int, fits: int) -> int | None:
    """Rows (header included) to keep on this page when ``fits`` of ``body`` rows fit here, or None to move the table whole.

    Each side keeps SPLIT_ROWS body rows, or SPLIT_ROWS_SHORT when the table is too short for that.
    """
    least = SPLIT_ROWS if body >= 2 * SPLIT_ROWS else SPLIT_ROWS_SHORT
    keep = min(fits, body - least)
    return keep + 1 if keep >= least else None


def start_rows(body: int) -> int:
    """Body rows a table must show on the page it starts on (all of a table too short to split)."""
    least = SPLIT_ROWS if body >= 2 * SPLIT_ROWS else SPLIT_ROWS_SHORT
    return least if body >= 2 * least else body


class TableBlock(InPlace):
    """A grid with a repeated header row (see the module docstring)."""

    def __init__(self, rows: _Rows, widths: list[float], align: list[str], look: TableLook) -> None:
        super().__init__()
        self.rows, self.widths, self.align, self.look = rows, widths, align, look
        self.hAlign = "LEFT"
        self._heights: list[float] | None = None

    @classmethod
    def make(cls, cells: list[list], widths: list[float], align: list[str], look: TableLook, *, tints=None, bold=None, muted=None):
        rows = _Rows(cells, list(range(len(cells))), dict(tints or {}), set(bold or ()), set(muted or ()))
        return cls(rows, widths, align, look)

    # -- layout
    def _row_heights(self) -> list[float]:
        if self._heights is None:
            lk = self.look
            heights = []
            for row in self.rows.cells:
                tallest = 0.0
                for value, w in zip(row, self.widths):
                    if isinstance(value, Flowable):
                        h = value.wrap(w - 2 * lk.pad_x, 1e6)[1]
                    else:
                        h = lk.leading * (value.count("\n") + 1)
                    tallest = max(tallest, h)
                heights.append(tallest + lk.pad_top + lk.pad_bottom)
            self._heights = heights
        return self._heights

    def wrap(self, availWidth, availHeight):
        self.width = sum(self.widths)
        self.height = sum(self._row_heights())
        return self.width, self.height

    def split(self, availWidth, availHeight):
        fit = self._fitting(availHeight)
        if fit >= len(self._row_heights()):
            return [self]
        keep = split_point(len(self._row_heights()) - 1, fit - 1)
        return self._cut(keep) if keep is not None else []  # None: too few rows would stand on one side, move whole

    def split_anywhere(self, availWidth, availHeight):
        """As :meth:`split`, but after any body row that fits, with no rows-per-side rule: for a table whose rows are
        so tall that no page holds the rows each side must keep (fifty long names in one cell)."""
        fit = self._fitting(availHeight)
        if fit >= len(self._row_heights()):
            return [self]
        return self._cut(fit) if fit >= 2 else []  # the header and at least one body row

    def _fitting(self, availHeight) -> int:
        """How many rows, the header first, fit in ``availHeight``."""
        used, fit = 0.0, 0
        for h in self._row_heights():
            if used + h > availHeight + 1e-8:
                break
            used += h
            fit += 1
        return fit

    def _cut(self, fit: int) -> list:
        """The table as its first ``fit`` rows and the rest under a repeated header."""
        r = self.rows
        head = _Rows(r.cells[:fit], r.index[:fit], r.tints, r.bold, r.muted)
        tail = _Rows([r.cells[0], *r.cells[fit:]], [0, *r.index[fit:]], r.tints, r.bold, r.muted)
        return [TableBlock(head, self.widths, self.align, self.look), TableBlock(tail, self.widths, self.align, self.look)]

    def start_height(self) -> float:
        """Height of the least this table shows on the page it starts on: header and start_rows body rows."""
        heights = self._row_heights()
        return sum(heights[: 1 + start_rows(len(heights) - 1)])

    # -- drawing
    def _paint(self, c, ox: float, oy: float) -> None:
        lk = self.look
        r = self.rows
        heights = self._row_heights()
        xs = [ox]
        for w in self.widths:
            xs.append(xs[-1] + w)
        tops = [oy + self.height]
        for h in heights:
            tops.append(tops[-1] - h)

        # fills: header, bands, highlight tints
        fill = None
        for n, (orig, h) in enumerate(zip(r.index, heights)):
            color = lk.header_fill if n == 0 else lk.bands[(orig - 1) % 2]
            if color is not None:
                if color is not fill:
                    c.setFillColor(color)
                    fill = color
                c.rect(ox, tops[n + 1], self.width, h, stroke=0, fill=1)
            if n:
                for col in range(len(self.widths)):
                    tint = r.tints.get((orig, col))
                    if tint is not None:
                        c.setFillColor(tint)
                        fill = tint
                        c.rect(xs[col], tops[n + 1], self.widths[col], h, stroke=0, fill=1)

        # a hairline under every row, as one path
        path = c.beginPath()
        for y in tops[1:]:
            path.moveTo(ox, y)
            path.lineTo(ox + self.width, y)
        c.setStrokeColor(lk.rule)
        c.setLineWidth(lk.rule_width)
        c.drawPath(path, stroke=1, fill=0)

        # strings in one text object; flowables after it
        out = TextWriter(c)
        later = []
        for n, (orig, row) in enumerate(zip(r.index, r.cells)):
            for col, value in enumerate(row):
                x0, x1 = xs[col] + lk.pad_x, xs[col + 1] - lk.pad_x
                top = tops[n] - lk.pad_top
                if isinstance(value, Flowable):
                    later.append((value, x0, col, top))
                    continue
                if not value:
                    continue
                font = lk.bold_font if n == 0 or (orig, col) in r.bold else lk.font
                out.color(lk.header_text if n == 0 else lk.muted if (orig, col) in r.muted else lk.text)
                y = top - lk.size
                for line in value.split("\n"):
                    x = x0
                    if self.align[col] != "left":
                        spare = x1 - x0 - width_of(line, font, lk.size)
                        x += spare if self.align[col] == "right" else spare / 2
                    out.origin(x, y)
                    out.show(line, font, lk.size, lk.leading)
                    y -= lk.leading
        out.close()
        for value, x0, col, top in later:
            # the width _row_heights wrapped it at, computed the same way (so the lines are reused)
            _, h = value.wrap(self.widths[col] - 2 * lk.pad_x, 1e6)
            value.drawOn(c, x0, top - h)
