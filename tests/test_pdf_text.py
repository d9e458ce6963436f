"""The fast text flowable: line breaking, splitting across pages, drawing, links."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as hs

from generator.render import pdf as P
from generator.render.pdf_text import TextBlock, _Flat, _words
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

P.register_fonts()
STYLE = ParagraphStyle("t", fontName=P.REGULAR, fontSize=9, leading=12, bulletFontName=P.REGULAR, bulletFontSize=9)
WORDS = hs.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789.,;:()-/%&", min_size=1, max_size=40)


def block(text: str, style=STYLE, **kw) -> TextBlock:
    return P.fast_paragraph(text, style, **kw)


def line_texts(tb: TextBlock, width: float) -> list[str]:
    return ["".join(seg[1] for seg in segs) for _, _, segs in tb._layout(width)]


def words_of(tb: TextBlock) -> list[list[str]]:
    """Each word's pieces (a word spanning runs has one piece per run), whichever form the block keeps."""
    if isinstance(tb._words, _Flat):
        return [[t] for t in tb._words.tokens]
    return [[piece[0] for piece in word[1]] for word in tb._words]


@settings(max_examples=200, deadline=None)
@given(hs.lists(WORDS, min_size=1, max_size=60), hs.floats(min_value=40, max_value=500))
@example(["/0000000"], 40.0)  # cut after "/": the carried digits plus the next one overran the new line
def test_lines_keep_every_word_in_order_and_fit_their_width(words, width):
    """Joined back, the lines are the words in order; no line overruns more than space shrinkage allows."""
    tb = block(" ".join(words))
    tb.wrap(width, 10_000)
    space = P.pdfmetrics.stringWidth(" ", P.REGULAR, STYLE.fontSize)
    assert "".join(line_texts(tb, width)).replace(" ", "") == "".join(words)
    for count, used, _ in tb._layout(width):
        assert used <= width + STYLE.spaceShrinkage * space * (count - 1) + 1e-6


def test_breaks_lines_where_reportlab_paragraph_does():
    """On ordinary prose the lines match reportlab's own Paragraph, space shrinkage included."""
    text = (
        "Ease of use carries 13% of the weight (the platform must be useful within weeks, so how quickly a team "
        "gets from installation to a first result weighs more); MLflow scores 5 of 5 against 3 for Azure Machine "
        "Learning: pip install and a few lines."
    )
    for width in (120.0, 260.0, 481.0):
        ours = [t.strip() for t in line_texts(block(text), width)]
        para = Paragraph(text, STYLE)
        para.wrap(width, 10_000)
        assert ours == [" ".join(line[1]) for line in para.blPara.lines]


def test_a_word_longer_than_the_line_is_cut_between_characters():
    """A 300-character word fills whole lines, each no wider than the line."""
    word = "Supercalifragilistic" * 15
    tb = block(f"see {word} end")
    lines = line_texts(tb, 150)
    assert lines[0].strip() == "see"
    assert "".join(lines).replace(" ", "") == f"see{word}end"
    assert all(used <= 150 + 1e-6 for _, used, _ in tb._layout(150))


def test_a_url_longer_than_the_line_is_cut_after_a_slash_only():
    """Every wrapped line of a long URL ends with "/", never at a hyphen, a dot or mid-word."""
    url = "https://github.com/kubeflow/website/blob/master/content/en/docs/kubeflow-distribution/releases/kubeflow-26.03.md"
    lines = [t.strip() for t in line_texts(block(f"[3] Release notes. {url}"), 180)]
    assert "".join(lines[1:]) == url
    assert len(lines) > 3 and all(line.endswith("/") for line in lines[1:-1])


def test_no_break_space_holds_words_together():
    """U+00A0 is not a break opportunity: '5\u00a0%' never ends up split across lines."""
    text = " ".join(["word"] * 12) + " 5\u00a0%"
    for width in range(60, 200, 7):
        assert not any(t.rstrip().endswith("5") for t in line_texts(block(text), float(width)))


def test_split_never_leaves_a_single_first_line_behind():
    """With room for one line only, the paragraph moves whole; with room for three it splits 3 + rest."""
    tb = block(" ".join(["word"] * 200))
    tb.wrap(200, 10_000)
    assert tb.split(200, STYLE.leading * 1.5) == []
    head, tail = tb.split(200, STYLE.leading * 3.2)
    assert len(head._layout(200)) == 3
    assert len(head._layout(200)) + len(tail._layout(200)) == len(tb._layout(200))


def test_bullet_pushes_the_first_line_when_it_overruns_the_indent():
    """A bullet wider than the indent narrows the first line instead of overprinting it."""
    style = ParagraphStyle("b", parent=STYLE, leftIndent=4, bulletIndent=0)
    plain = block("x", style)
    pushed = block("x", style, bulletText="[123]")
    assert plain._indent() == 0
    assert pushed._indent() > 0


def render(flowables) -> bytes:
    buf = io.BytesIO()
    SimpleDocTemplate(buf, invariant=1, initialFontName=P.REGULAR).build(flowables)
    return buf.getvalue()


def test_links_become_uri_annotations_over_the_linked_words():
    """An https run is one link annotation; plain runs get none."""
    tb = P.fast_paragraph("", STYLE, runs=[("Read ", False, None), ("the docs", False, "#1F3A5F", "https://example.org/d")])
    data = render([tb])
    assert data.count(b"/URI (https://example.org/d)") == 1
    assert len(re.findall(rb"/Subtype /Link", data)) == 1


class _Untouchable(dict):
    def __contains__(self, key):
        raise AssertionError("the per-character subset walk ran")


def test_printable_ascii_encodes_to_itself_like_reportlab_without_the_walk():
    """The font's ASCII shortcut gives the bytes reportlab's own subset walk gives, without walking."""
    font = P.pdfmetrics.getFont(P.REGULAR)
    doc = object.__new__(type("Doc", (), {}))
    font._assignState(doc)
    text = "Kubeflow + MLflow: 86.7 of 100 (see [12])"
    expected = TTFont.splitString(font, text, doc)
    assert font.splitString("caf\u00e9", doc) == TTFont.splitString(font, "caf\u00e9", doc)
    state = font.state[doc]
    state.assignments = _Untouchable(state.assignments)
    assert font.splitString(text, doc) == expected


def test_bold_runs_use_the_bold_face():
    """A bold run is drawn in DejaVuSans-Bold, the rest in the style's face."""
    tb = P.fast_paragraph("", STYLE, runs=[("Pros", True, None), (": fast", False, None)])
    assert [r.font for r in tb.runs] == [P.BOLD, P.REGULAR]
    assert len(tb._layout(300)) == 1


def text_origins(data: bytes) -> list[tuple[str, float]]:
    """(text, x of its text matrix) for every text run pypdf extracts from page 1."""
    out: list[tuple[str, float]] = []
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: text.strip() and out.append((text.strip(), tm[4])))
    return out


@pytest.mark.parametrize("alignment, expected_end", [(2, 1.0), (1, 0.5)])
def test_right_and_centred_lines_sit_against_the_edge_or_the_middle(alignment, expected_end):
    """A right-aligned line ends at the frame's right edge; a centred one is centred in it."""
    style = ParagraphStyle("a", parent=STYLE, alignment=alignment)
    text = "86.7 of 100"
    data = render([block(text, style)])
    (found, x), = [o for o in text_origins(data) if o[0] == text]
    frame_w = P.A4[0] - 144 - 12  # SimpleDocTemplate: 1-inch margins, 6 pt frame padding
    width = P.pdfmetrics.stringWidth(text, P.REGULAR, 9)
    frame_x = 72 + 6  # the block draws in page coordinates, from the frame's left edge
    assert x == pytest.approx(frame_x + (frame_w - width) * expected_end, abs=0.01)


def test_text_writer_writes_what_reportlab_text_object_writes():
    """For a line mixing ASCII, non-ASCII subset codes, escapes and a colour, the operators are PDFTextObject's."""
    from reportlab.pdfgen.canvas import Canvas

    from generator.render.pdf_text import TextWriter

    text = "Kubeflow \u2014 caf\u00e9 (86.7)"
    ours, theirs = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    out = TextWriter(ours)
    out.origin(10, 20)
    out.color(P.colors.red)
    out.show(text, P.REGULAR, 9, 12)
    out.close()
    tx = theirs.beginText(10, 20)
    tx.setFillColor(P.colors.red)
    tx.setFont(P.REGULAR, 9, 12)
    tx._textOut(text)
    theirs.drawText(tx)
    # the same operators, inside q/Q so the colour and font do not outlive the text
    assert ours._code[-1] == f"q {theirs._code[-1]} Q"
    assert "\\(86.7\\)" in ours._code[-1]  # parentheses escaped


@pytest.mark.parametrize("url", ["https://example.org/a(b)?q=1&r=\u00e9", "https://example.org/a(b)\\c?q=1&r=%C3%A9"])
def test_link_annotation_bytes_are_those_of_canvas_link_url(url):
    """The whole PDF is byte-identical whether a link is added by linkURL or by add_link (non-ASCII or escaped ASCII)."""
    from reportlab.pdfgen.canvas import Canvas

    from generator.render.pdf_text import add_link

    def pdf(add) -> bytes:
        buf = io.BytesIO()
        c = Canvas(buf, invariant=1)
        c.translate(30, 40)
        add(c, url, (1.5, 2.25, 100.125, 12))
        c.showPage()
        c.save()
        return buf.getvalue()

    theirs = pdf(lambda c, url, rect: c.linkURL(url, rect, relative=1, thickness=0))
    assert pdf(add_link) == theirs
    assert b"/Subtype /Link" in theirs


RUN_TEXT = hs.text(alphabet="ab ,.\n\t\u00a0", max_size=12)


@settings(max_examples=300, deadline=None)
@given(hs.lists(hs.tuples(RUN_TEXT, hs.booleans()), min_size=1, max_size=5))
def test_words_are_the_whitespace_split_of_the_joined_runs(runs):
    """Whatever the run boundaries, words are what splitting the joined text on ASCII whitespace gives."""
    tb = P.fast_paragraph("", STYLE, runs=[(t, b, None) for t, b in runs])
    joined = "".join(t for t, _ in runs if t)
    expected = [w for w in re.split(r"[ \t\n\r\f\v]+", joined) if w]
    assert ["".join(pieces) for pieces in words_of(tb)] == expected
    if not isinstance(tb._words, _Flat):
        for word in tb._words:
            assert word[0] == pytest.approx(sum(piece[2] for piece in word[1]))


@settings(max_examples=300, deadline=None)
@given(hs.lists(hs.tuples(RUN_TEXT, hs.booleans()), min_size=1, max_size=5), hs.floats(min_value=20, max_value=300))
def test_flat_words_lay_out_like_the_general_word_records(runs, width):
    """The flat form (no word spans two runs) gives the lines, segments and widths the general records give."""
    tb = P.fast_paragraph("", STYLE, runs=[(t.replace("a", "aaaa "), b, None) for t, b in runs])
    general = TextBlock(tb.runs, STYLE, words=_words(tb.runs, STYLE.fontSize))
    assert [(n, [(s[1], s[2]) for s in segs]) for n, _, segs in tb._layout(width)] == [
        (n, [(s[1], s[2]) for s in segs]) for n, _, segs in general._layout(width)
    ]
    for (_, w1, segs1), (_, w2, segs2) in zip(tb._layout(width), general._layout(width)):
        assert w1 == pytest.approx(w2)
        assert [s[0] for s in segs1] == pytest.approx([s[0] for s in segs2])


def test_a_word_split_across_a_bold_and_a_plain_run_stays_one_word():
    """'Pros' in bold followed by ': fast' is the word 'Pros:' in two pieces, then 'fast'."""
    tb = P.fast_paragraph("", STYLE, runs=[("Pros", True, None), (": fast", False, None)])
    assert words_of(tb) == [["Pros", ":"], ["fast"]]
