"""What a printed brief marks and how, the same in PDF and DOCX: the recommended option stands out in
the totals chart, the sensitivity chart says what its band and marker mean, a ruled-out row's reason
is in the normal text colour, and an identifier such as a CVE id never wraps at its hyphens."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pypdf
from lxml import etree
from reportlab.lib import colors
from reportlab.platypus import SimpleDocTemplate

from generator.brief.change import range_legend
from generator.document import Bar, Chart, Table, iter_text
from generator.render import docx_xml as X
from generator.render import pdf as P
from generator.render.docx import render_docx
from generator.render.markdown import render_markdown
from generator.render.pdf_table import TableBlock
from test_page_layout import _brief

W = "{%s}" % X.W_NS
NS = {"w": X.W_NS}
P.register_fonts()
ST = P._styles("#1F3A5F", "#2E7D6B", "#B35C00", "#6B7280")
TOTALS = Chart("bar", "Total score by option (0-100)", (Bar("Alpha", 70.0), Bar("Beta", 80.0, highlight=True), Bar("Gamma", 60.0)), 100.0, "points")
RANGE = Chart("range", "Weights", (Bar("Cost", 10.0, "now 10%, flips at 30%"),), 100.0, "%", low=(0.0,), high=(30.0,),
              legend="Dark mark: the weight now.")


def _ctx() -> X.Context:
    styles = {name: name.replace(" ", "") for name in X.STYLE_NAMES}
    return X.Context(styles=styles, theme_primary="1F3A5F", theme_accent="2E7D6B", theme_warning="B35C00",
                     theme_muted="6B7280", text_width=9638, link=lambda url: "rId9", numbering=lambda n: None,
                     nb_hyphen=True)


def _xml(fragment: str):
    return etree.fromstring(f"<w:x {X.NSDECL}>{fragment}</w:x>")


def _charts(brief, kind):
    from page_layout import _walk

    return [b for s in _walk(brief.sections) for b in s.blocks if isinstance(b, Chart) and b.kind == kind]


# --- the recommended option in the totals chart --------------------------------------------------


def test_the_totals_chart_highlights_the_recommended_option_alone():
    """In a composed brief the totals chart's one highlighted bar is the recommended option's."""
    brief = _brief("bank-onprem-airgapped", "technical")
    chart = _charts(brief, "bar")[0]
    assert [b.label for b in chart.bars if b.highlight] == ["Kubeflow + MLflow"]


def test_the_pdf_draws_the_highlighted_bar_in_the_accent_colour_wherever_it_stands():
    """The accent goes to the highlighted bar (here the second), not to the first bar."""
    d = P._bar_chart(TOTALS, ST)
    fills = [c for *_, c in d.rects]
    assert fills == [ST.primary, ST.accent, ST.primary]


def test_the_docx_chart_fills_the_highlighted_bar_with_the_accent_and_the_others_with_the_primary():
    """As in the PDF: accent for the recommended option, primary for the rest."""
    root = _xml(X.chart_xml(_ctx(), TOTALS, "test"))
    fills = []
    for tr in root.iter(W + "tr"):
        shd = [tc.find("w:tcPr/w:shd", NS) for tc in tr.findall("w:tc", NS)]
        fills.append(next((s.get(W + "fill") for s in shd if s is not None), None))
    assert fills[:3] == ["1F3A5F", "2E7D6B", "1F3A5F"]


# --- the sensitivity chart's legend ---------------------------------------------------------------


def test_the_sensitivity_chart_says_what_its_band_and_marker_mean():
    """The range chart of a composed brief carries the legend, naming both options."""
    assert range_legend("Kubeflow + MLflow", "Flyte + MLflow") == (
        "Dark mark: the criterion's weight now. Shaded band: the weights it can take, the others rescaled to keep "
        "the total at 100%, with Kubeflow + MLflow still ahead of Flyte + MLflow. Flyte + MLflow overtakes where "
        "the band ends inside the scale; a band that runs to 0% or 100% means no lower or higher weight of that "
        "criterion changes the pick."
    )
    brief = _brief("bank-onprem-airgapped", "technical")
    chart = _charts(brief, "range")[0]
    assert chart.legend == range_legend("Kubeflow + MLflow", "Flyte + MLflow")
    assert chart.legend in list(iter_text(brief))


def test_the_legend_is_printed_under_the_chart_in_pdf_and_docx_only():
    """PDF: a small muted paragraph kept with the drawing; DOCX: a Caption paragraph after the chart table,
    its axis row kept with it; Markdown lists each bar's numbers in words and draws no marks to explain."""
    brief = _brief("bank-onprem-airgapped", "technical")
    b = P._Builder(brief)
    keep = b.chart(RANGE)[0]
    assert [type(f).__name__ for f in keep.content][-1] == "TextBlock"
    assert keep.content[-1].style is ST.caption
    root = _xml(X.chart_xml(_ctx(), RANGE, "test"))
    table = root.find("w:tbl", NS)
    legend = table.getnext()
    assert legend.find("w:pPr/w:pStyle", NS).get(W + "val") == "Caption"
    assert "".join(legend.itertext()) == "Dark mark: the weight now."
    assert table.findall("w:tr", NS)[-1].find("w:tc/w:p/w:pPr/w:keepNext", NS) is not None
    md = render_markdown(brief)
    assert "Dark mark" not in md


# --- a ruled-out row's reason in the normal text colour -------------------------------------------

RULED_OUT = Table(("Ruled out", "Why"), (("Kedro", "Governance is a must-have, but Kedro scores 1 of 5."),), muted_rows=(0,))


def _text_colours(data: bytes) -> dict[str, tuple]:
    """Each string shown on page 1 with the fill colour it was drawn in."""
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    out, colour = {}, None
    for operands, op in pypdf.generic.ContentStream(page.get_contents(), page.pdf).operations:
        if op == b"rg":
            colour = tuple(round(float(v), 3) for v in operands)
        elif op == b"Tj":
            out[operands[0].get_original_bytes().decode("latin-1")] = colour
    return out


def test_the_pdf_mutes_a_ruled_out_rows_name_only():
    """The name is muted, the reason in the body text colour (grey prose is hard to read in print)."""
    b = P._Builder(_brief("bank-onprem-airgapped", "technical"))
    table = b.table(RULED_OUT)[0].content[0]
    assert isinstance(table, TableBlock) and table.rows.muted == {(1, 0)}
    buf = io.BytesIO()
    SimpleDocTemplate(buf, invariant=1, initialFontName=P.REGULAR, pageCompression=0).build([table])
    shown = _text_colours(buf.getvalue())
    rgb = lambda c: tuple(round(v, 3) for v in (c.red, c.green, c.blue))  # noqa: E731
    assert shown["Kedro"] == rgb(ST.muted)
    assert shown["Governance is a must-have, but Kedro scores 1 of 5."] == rgb(ST.text)


def test_the_docx_mutes_a_ruled_out_rows_name_only():
    """The name's run has the muted colour; the reason's run has no colour of its own (body text)."""
    root = _xml(X.table_xml(_ctx(), RULED_OUT, "test"))
    name, why = root.findall("w:tbl/w:tr", NS)[1].findall("w:tc", NS)
    assert name.find(".//w:color", NS).get(W + "val") == "6B7280"
    assert why.find(".//w:color", NS) is None


# --- identifiers unbroken -------------------------------------------------------------------------


def test_docx_identifiers_keep_their_hyphens_unbroken_but_urls_and_words_do_not():
    """CVE and advisory ids get U+2011; a date, a hyphenated word, a range and a URL keep '-'."""
    assert X.unbroken_ids("e.g. CVE-2026-118624, PYSEC-2026-2657 on 2026-12-02") == (
        "e.g. CVE\u20112026\u2011118624, PYSEC\u20112026\u20112657 on 2026-12-02"
    )
    assert X.unbroken_ids("cert-manager, scores 0-5, Open-source") == "cert-manager, scores 0-5, Open-source"
    table = Table(("Risk", "Source"), (("Several CVEs (CVE-2026-118624).", "see"),))
    assert "CVE\u20112026\u2011118624" in "".join(_xml(X.table_xml(_ctx(), table, "t")).itertext())
    link = X.hyperlink(_ctx(), "https://nvd.nist.gov/vuln/detail/CVE-2026-118624", "https://nvd.nist.gov/vuln/detail/CVE-2026-118624")
    assert "CVE-2026-118624" in link


def test_the_bundled_font_draws_the_non_breaking_hyphen_and_a_reference_document_gets_plain_hyphens(tmp_path):
    """U+2011 only where the font is known to have it: our DejaVu Sans, not a reference document's font."""
    assert 0x2011 in P.register_fonts().base
    brief = _brief("bank-onprem-airgapped", "technical")
    ours = render_docx(brief)
    ref = tmp_path / "ref.docx"
    ref.write_bytes(ours)
    theirs = render_docx(brief, reference_docx=ref)

    def body(data):
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return z.read("word/document.xml").decode("utf-8")

    assert "CVE\u20112025\u201115381" in body(ours)
    assert "CVE\u20112025" not in body(theirs) and "CVE-2025-15381" in body(theirs)


def test_the_pdf_never_breaks_an_identifier_at_its_hyphens():
    """The PDF breaks lines at spaces only: a CVE id in a narrow risk column stays whole."""
    para = P.fast_paragraph("several authorization CVEs (e.g. CVE-2025-15381, CVE-2026-118624).", ST.cell["left"])
    lines = ["".join(piece[1] for piece in line[2]) for line in para._layout(90)]
    assert any(ln.startswith("CVE-2026-118624") for ln in lines)
    assert not any(re.search(r"CVE-\d{4}-?$", ln) for ln in lines)
