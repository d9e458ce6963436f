"""The data-table flowable: row geometry, splitting with a repeated header, what it draws."""

from __future__ import annotations

import io

import pypdf
import pytest
from reportlab.lib import colors
from reportlab.platypus import SimpleDocTemplate

from generator.render import pdf as P
from generator.render.pdf_table import TableBlock, TableLook

P.register_fonts()
LOOK = TableLook(
    font=P.REGULAR,
    bold_font=P.BOLD,
    size=8,
    leading=10,
    text=colors.black,
    muted=colors.grey,
    header_text=colors.white,
    header_fill=colors.navy,
    bands=(colors.HexColor("#F5F7F9"), None),
    rule=colors.HexColor("#D0D5DB"),
)
STYLE = P._styles("#1F3A5F", "#2E7D32", "#B26A00", "#5F6B7A").cell["left"]


def table(n_rows: int, **kw) -> TableBlock:
    cells = [["Key", "Value"]] + [[f"row {i}", f"v{i}"] for i in range(1, n_rows + 1)]
    return TableBlock.make(cells, [100.0, 200.0], ["left", "right"], LOOK, **kw)


def test_a_row_is_as_tall_as_its_tallest_cell_plus_padding():
    """A wrapped paragraph of three lines makes its row three leadings tall, plus padding."""
    words = " ".join(["word"] * 40)
    t = TableBlock.make([["A", "B"], ["x", P.fast_paragraph(words, STYLE)]], [100.0, 100.0], ["left", "left"], LOOK)
    para_h = P.fast_paragraph(words, STYLE).wrap(100 - 2 * LOOK.pad_x, 1e6)[1]
    assert t.wrap(200, 1000)[1] == pytest.approx(2 * (LOOK.pad_top + LOOK.pad_bottom) + LOOK.leading + para_h)


def test_split_repeats_the_header_and_keeps_every_row_once():
    """Split at a page foot: both parts start with the header; the body rows are all there, in order."""
    t = table(30)
    t.wrap(300, 1e6)
    row_h = LOOK.leading + LOOK.pad_top + LOOK.pad_bottom
    head, tail = t.split(300, row_h * 10.5)
    assert head.rows.cells[0] == tail.rows.cells[0] == ["Key", "Value"]
    assert len(head.rows.cells) == 10
    body = [r[0] for r in head.rows.cells[1:] + tail.rows.cells[1:]]
    assert body == [f"row {i}" for i in range(1, 31)]
    assert tail.rows.index[1] == 10  # the band colours continue from the original row number


def test_a_split_never_leaves_fewer_than_three_rows_on_the_next_page():
    """Room for all rows but the last (often the total): three rows go over, so the last never stands alone."""
    t = table(10)
    t.wrap(300, 1e6)
    row_h = LOOK.leading + LOOK.pad_top + LOOK.pad_bottom
    head, tail = t.split(300, row_h * 10.5)  # header + 9 of 10 rows would fit
    assert [len(head.rows.cells), len(tail.rows.cells)] == [8, 4]
    assert [r[0] for r in tail.rows.cells[1:]] == ["row 8", "row 9", "row 10"]


def test_a_table_that_can_show_fewer_than_three_rows_here_moves_whole():
    """A header and one or two rows at a page foot is no start for a table: it moves whole."""
    t = table(20)
    t.wrap(300, 1e6)
    row_h = LOOK.leading + LOOK.pad_top + LOOK.pad_bottom
    assert t.split(300, row_h * 3.5) == []  # header + 2 rows
    head, _ = t.split(300, row_h * 4.5)  # header + 3 rows
    assert len(head.rows.cells) == 4


def test_a_table_of_under_six_rows_splits_two_and_two_or_moves_whole():
    """Too short for three rows on each side, a table splits with two on each side, never fewer."""
    t = table(5)
    t.wrap(300, 1e6)
    row_h = LOOK.leading + LOOK.pad_top + LOOK.pad_bottom
    head, tail = t.split(300, row_h * 5.5)  # header + 4 of 5 rows would fit
    assert [len(head.rows.cells), len(tail.rows.cells)] == [4, 3]
    assert t.split(300, row_h * 2.5) == []  # header + 1 row
    assert table(3).split(300, row_h * 3.5) == []  # no split leaves two rows on each side of three


def test_a_table_that_cannot_show_a_body_row_moves_whole():
    """Room for the header alone is no place to start a table."""
    t = table(5)
    t.wrap(300, 1e6)
    assert t.split(300, LOOK.leading * 1.5 + LOOK.pad_top + LOOK.pad_bottom) == []


def test_a_table_needs_its_header_and_first_three_rows_to_start_on_a_page():
    """The room a heading asks for before a long table: header and three rows (all of a short one)."""
    row_h = LOOK.leading + LOOK.pad_top + LOOK.pad_bottom
    t = table(20)
    t.wrap(300, 1e6)
    assert t.start_height() == pytest.approx(4 * row_h)
    short = table(3)
    short.wrap(300, 1e6)
    assert short.start_height() == pytest.approx(4 * row_h)


def shown_text_with_fonts(data: bytes) -> list[tuple[str, str]]:
    """(string shown, base font name) for every Tj on page 1, read from the content stream."""
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    fonts = {name: str(ref.get_object()["/BaseFont"]) for name, ref in page["/Resources"]["/Font"].items()}
    out, font = [], None
    for operands, op in pypdf.generic.ContentStream(page.get_contents(), page.pdf).operations:
        if op == b"Tf":
            font = fonts[operands[0]]
        elif op == b"Tj":
            out.append((operands[0].get_original_bytes().decode("latin-1"), font))
    return out


def test_draws_header_and_cells_with_bold_highlights():
    """Every cell is shown; the header and a highlighted cell are in the bold face, the rest regular."""
    buf = io.BytesIO()
    SimpleDocTemplate(buf, invariant=1, initialFontName=P.REGULAR).build([table(3, bold={(2, 1)}, tints={(2, 1): colors.green})])
    shown = shown_text_with_fonts(buf.getvalue())
    assert [t for t, _ in shown] == ["Key", "Value", "row 1", "v1", "row 2", "v2", "row 3", "v3"]
    assert {t for t, f in shown if "Bold" in f} == {"Key", "Value", "v2"}
