"""Tables that split across PDF pages, read back page by page as printed (pdftotext -layout): every
example brief, in both audiences, leaves at least three body rows on each side of a break (two in a
table of fewer than six rows), never a header and one row at a page foot."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from readers import require

from generator.document import Section, Table
from test_page_layout import CASES, IDS, _brief

_GAP = re.compile(r"\s{2,}")


def _tables(sections):
    for s in sections:
        for b in s.blocks:
            if isinstance(b, Section):
                yield from _tables((b,))
            elif isinstance(b, Table) and b.header and b.rows:
                yield b


def _first_cell(line: str) -> str:
    """The text of a layout line up to the first run of spaces that separates columns."""
    return _GAP.split(line.strip(), maxsplit=1)[0]


def _is_header(line: str, table: Table) -> bool:
    words = [h.split()[0] for h in table.header if h.split()]
    text, at = line.strip(), 0
    if not words or not text.startswith(words[0]):
        return False
    for w in words:
        at = text.find(w, at)
        if at < 0:
            return False
        at += len(w)
    return True


def _starts_row(line: str, label: str) -> bool:
    piece = _first_cell(line)
    if not piece:
        return False
    if piece == label:
        return True
    # pdftotext separates columns by a single space when a cell's line nearly reaches the next column
    # ("Metaflow: Provenance capture can Low"): the next column's words then trail the first cell's. At least two
    # of the line's words must start the label, so a wrapped line that opens with a name does not pass for a row.
    words = piece.split(" ")
    return any(
        label.startswith(head + " ") and len(head) >= 4 for head in (" ".join(words[:n]) for n in range(len(words), min(2, len(words)) - 1, -1))
    )


def split_parts(pages: list[list[str]], table: Table, first: int = 0) -> list[int]:
    """Body rows of ``table`` shown on each page it appears on, from its first header line on page ``first`` or later.

    A page's part starts at a line that is the table's header and counts the lines that start
    its next rows, in order; an empty list when the header is not found.
    """
    labels = [str(r[0]) for r in table.rows]
    parts: list[int] = []
    nxt = 0
    for lines in pages[first:]:
        if nxt >= len(labels):
            break
        start = next((i for i, ln in enumerate(lines) if _is_header(ln, table)), None)
        if start is None:
            if parts:
                break  # the table ended on the previous page
            continue
        shown = 0
        for ln in lines[start + 1:]:
            if nxt < len(labels) and _starts_row(ln, labels[nxt]):
                shown, nxt = shown + 1, nxt + 1
        if shown or parts:
            parts.append(shown)
    return parts


def first_pages(pages: list[list[str]], tables: list[Table]) -> list[int]:
    """The page each table's search starts on: after the pages of an earlier table with the same header (the
    options' score matrix and the appendix's full one), which would otherwise be read as this one."""
    out, after = [], {}
    for t in tables:
        first = after.get(t.header, 0)
        out.append(first)
        start = next((i for i in range(first, len(pages)) if any(_is_header(ln, t) for ln in pages[i])), None)
        if start is not None:
            after[t.header] = start + max(1, len(split_parts(pages, t, start)))
    return out


def short_parts(pages: list[list[str]], table: Table, first: int = 0) -> list[str]:
    """Pages on which a split table shows fewer body rows than a split may leave there."""
    parts = split_parts(pages, table, first)
    if len(parts) < 2:
        return []
    least = 3 if len(table.rows) >= 6 else 2
    return [f"{table.header[0]!r} table: {n} body row(s) on its page {i}" for i, n in enumerate(parts, 1) if n < least]


def _layout_pages(pdf: Path) -> list[list[str]]:
    out = subprocess.run([require("pdftotext"), "-layout", "-enc", "UTF-8", str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    return [page.splitlines() for page in out.split("\f")]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    from generator.render.pdf import render_pdf

    out = tmp_path_factory.mktemp("splits")
    result = {}
    for stem, audience in CASES:
        brief = _brief(stem, audience)
        path = out / f"{stem}-{audience}.pdf"
        path.write_bytes(render_pdf(brief))
        result[(stem, audience)] = (brief, _layout_pages(path))
    return result


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_split_table_keeps_at_least_three_body_rows_on_each_page(printed, case):
    """No page shows a split table's header with fewer rows than the split rule allows."""
    brief, pages = printed[case]
    tables = list(_tables(brief.sections))
    found = [msg for t, first in zip(tables, first_pages(pages, tables)) for msg in short_parts(pages, t, first)]
    assert found == []


def test_the_examples_split_at_least_one_table_so_the_check_reads_something(printed):
    """The check has split tables to read: at least one example table spans two pages."""
    spans = [len(split_parts(pages, t)) for brief, pages in printed.values() for t in _tables(brief.sections)]
    assert max(spans) >= 2


# --- the rule itself, on made-up pages ------------------------------------------------------------

MATRIX = Table(("Criterion", "Weight", "Alpha"), tuple((f"Criterion {c}", "5%", "3") for c in "ABCDEFGH"))


def test_a_header_and_one_row_at_a_page_foot_is_found():
    """The nordbank matrix as it was: header and one row at the foot, the rest overleaf."""
    pages = [
        ["Some text", " Appendix", "  Criterion     Weight   Alpha", "  Criterion A     5%      3"],
        ["  Criterion     Weight   Alpha", *[f"  Criterion {c}     5%      3" for c in "BCDEFGH"]],
    ]
    assert split_parts(pages, MATRIX) == [1, 7]
    assert short_parts(pages, MATRIX) == ["'Criterion' table: 1 body row(s) on its page 1"]


def test_a_split_with_three_rows_on_each_side_passes():
    """Three rows at the foot and five overleaf is a fair split; wrapped label lines are not rows."""
    pages = [
        ["  Criterion     Weight   Alpha", *[f"  Criterion {c}     5%      3" for c in "ABC"], "  tuning"],
        ["  Criterion     Weight   Alpha", *[f"  Criterion {c}     5%      3" for c in "DEFGH"]],
    ]
    assert split_parts(pages, MATRIX) == [3, 5]
    assert short_parts(pages, MATRIX) == []


def test_a_row_whose_first_cell_runs_into_the_next_column_is_still_counted():
    """pdftotext joins a first cell that nearly reaches the next column with one space ("... can Low"): still a row."""
    risks = Table(("Risk", "Likelihood"), (("Narrow lead over ClearML", "Medium"), ("Provenance capture can add runtime", "Low")))
    pages = [["  Risk      Likelihood", "  Narrow lead over ClearML     Medium", "  Provenance capture can Low", "  add runtime"]]
    assert split_parts(pages, risks) == [2]


def test_a_wrapped_line_that_opens_with_one_word_of_the_next_label_is_not_a_row():
    """A continuation line that merely starts with the next row's first word is not that row."""
    risks = Table(("Risk", "Likelihood"), (("MLflow upgrades need planning", "Low"), ("MLflow access control is basic", "Medium")))
    pages = [["  Risk      Likelihood", "  MLflow upgrades need     Low", "  MLflow 3 migrations", "  planning"]]
    assert split_parts(pages, risks) == [1]


def test_a_second_table_with_the_same_header_is_read_on_its_own_pages():
    """The appendix's full matrix repeats the options matrix's header: it is looked for after that one's pages."""
    small = Table(("Criterion", "Weight", "Alpha"), (("Criterion A", "5%", "3"), ("Criterion B", "5%", "3")))
    pages = [["  Criterion     Weight   Alpha", "  Criterion A     5%      3", "  Criterion B     5%      3"],
             ["Appendix", "  Criterion     Weight   Alpha", *(f"  Criterion {c}     5%      3" for c in "ABCDEFGH")]]
    assert first_pages(pages, [small, MATRIX]) == [0, 1]
    assert split_parts(pages, MATRIX) == [2, 6]  # read from the first page, the small table passes for its start
    assert split_parts(pages, MATRIX, 1) == [8] and short_parts(pages, MATRIX, 1) == []
