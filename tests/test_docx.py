"""The Word brief: real styles, fields, links, properties, determinism, reference documents.

Most tests render the hand-made brief of docx_fixture (every block type); the example
profile tests compose real briefs. LibreOffice tests convert every DOCX in one
soffice run (session fixture) and skip without soffice unless BRIEFGEN_REQUIRE_READERS=1.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from docx import Document
from docx.shared import RGBColor
from lxml import etree

import docx_fixture as F
from generator.document import Theme
from generator.render import docx_xml as X
from generator.render.docx import render_docx, word_font
from readers import require

W = "{%s}" % X.W_NS
R = "{%s}" % X.R_NS
NS = {"w": X.W_NS, "r": X.R_NS, "wp": X.WP_NS}
PROFILES = sorted((Path(__file__).resolve().parent.parent / "data" / "profiles").glob("*.yaml"))


# --- helpers ---------------------------------------------------------------------------


def part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def paragraph_texts(root) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p")]


def docx_text(data: bytes) -> str:
    """All visible body text, one paragraph per line."""
    return "\n".join(paragraph_texts(part(data, "word/document.xml")))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def fixture_docx() -> bytes:
    return render_docx(F.brief())


@pytest.fixture(scope="module")
def fixture_doc(fixture_docx):
    return Document(io.BytesIO(fixture_docx))


def example_brief(path: Path):
    """The composed brief of an example profile, from the bundled knowledge base and the real scorer."""
    import brief_fixture
    from generator.brief.compose import compose

    base, scorer = brief_fixture.real()
    return compose(brief_fixture.assessment_for(path, base, scorer), base)


# --- structure -------------------------------------------------------------------------


def test_headings_use_heading_styles_in_section_order(fixture_doc):
    """Every section title is a Heading 1-3 paragraph at its level, in reading order."""
    headings = [(p.text, p.style.name) for p in fixture_doc.paragraphs if p.style.name.startswith("Heading")]
    expected = [(s.title, f"Heading {s.level}") for s in F.all_sections(F.brief())]
    assert headings == expected


def test_title_subtitle_and_lists_use_built_in_styles(fixture_doc):
    """Title, Subtitle, List Bullet and List Number carry the brief's text."""
    by_style: dict[str, list[str]] = {}
    for p in fixture_doc.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Title"] == ["Fraud scoring platform: framework decision brief"]
    assert by_style["Subtitle"] == ["MLflow, Kubeflow, Metaflow and SageMaker compared against the project profile"]
    assert "Experiment tracking: must" in by_style["List Bullet"]
    assert "Budget: low" in by_style["List Number"]
    assert "Scores per criterion (0-5) and weighted totals" in by_style["Caption"]


def test_numbered_lists_restart_at_one(fixture_docx):
    """Each numbered list gets its own numbering instance that starts over at 1."""
    body = part(fixture_docx, "word/document.xml")
    numbering = part(fixture_docx, "word/numbering.xml")
    ids = [n.get(W + "val") for n in body.iterfind(".//w:numPr/w:numId", NS)]
    distinct = list(dict.fromkeys(ids))
    assert len(distinct) == 6  # one per numbered list of the fixture
    for num_id in distinct:
        num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        assert num.find("w:lvlOverride/w:startOverride", NS).get(W + "val") == "1"


def test_tables_use_the_brief_table_style_with_repeating_header_and_fixed_widths(fixture_doc):
    """Data tables use 'Brief Table', repeat their header row, and fix every cell's width."""
    data_tables = [t for t in fixture_doc.tables if t.style is not None and t.style.name == "Brief Table"]
    assert len(data_tables) == 2
    for table in data_tables:
        tbl = table._tbl
        assert tbl.find("w:tblPr/w:tblLayout", NS).get(W + "type") == "fixed"
        assert not table.autofit
        rows = tbl.findall("w:tr", NS)
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
        assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
        grid = [int(g.get(W + "w")) for g in tbl.findall("w:tblGrid/w:gridCol", NS)]
        for row in rows:
            widths = [int(tc.find("w:tcPr/w:tcW", NS).get(W + "w")) for tc in row.findall("w:tc", NS)]
            assert widths == grid
        assert sum(grid) == 9638  # A4 minus two 2 cm margins, in twips


def test_column_widths_follow_the_model(fixture_doc):
    """Relative widths in the model become proportional grid columns."""
    ranking = [t for t in fixture_doc.tables if t.rows[0].cells[0].text == "Rank"][0]
    grid = [int(g.get(W + "w")) for g in ranking._tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert [round(w / sum(grid) * 70) for w in grid] == [6, 16, 8, 40]


def test_short_columns_widen_to_fit_their_longest_word():
    """A column too narrow for its longest word takes room from the others."""
    assert X.fit_words([600, 5000, 4000], [6, 4, 4]) == [998, 4774, 3828]
    assert X.fit_words([600, 600], [20, 20]) == [600, 600]  # no room: the model's widths stay
    # room for the short word only: that column is mended, the hopeless one is left
    assert X.fit_words([2000, 600, 3000], [30, 6, 8]) == [2000, 998, 2602]


def test_a_scores_table_with_six_frameworks_breaks_no_header_word():
    """Bold header words and regular body words are measured apart, so 'Weight' beside six names fits."""
    header = ["Criterion", "Weight", "MLflow", "DVC (Data Version Control)", "Metaflow", "Kedro", "ClearML (out)", "Kubeflow (out)"]
    body = [["Infrastructure fit", "Pipeline orchestration"], ["14 %"]] + [["5"]] * 6
    longest = [X._column_longest([h], cells) for h, cells in zip(header, body)]
    widths = X.fit_words([1973, 834, 1138, 1138, 1138, 1138, 1138, 1141], longest)
    assert sum(widths) == 9638
    assert all(w >= int(n * X.CHAR_TWIPS) + X.CELL_PADDING for w, n in zip(widths, longest))


def test_a_score_matrix_with_seven_options_is_set_compact_so_no_header_word_breaks():
    """Nine columns cannot hold "Kubeflow" seven times at 9 pt; at 8 pt with narrow cell margins each column
    holds its longest word, and a table that fits stays at the style's size."""
    header = ["Criterion", "Weight"] + ["Kubeflow + W&B", "Flyte + MLflow", "Kubeflow + MLflow", "Kubeflow + DVC",
                                        "Kubeflow + Kedro", "Kubeflow + ZenML", "W&B + Metaflow"]
    body = [["Governance and security", "Pipeline orchestration"], ["17%"]] + [["5"]] * 7
    longest = [X._column_longest([h], cells) for h, cells in zip(header, body)]
    model = X._widths((2.6, 1.1) + (1.5,) * 7, 9, 9638)
    assert not X.fits_every_word(model, longest)
    assert X.fits_every_word(model, longest, char=X.COMPACT_CHAR_TWIPS, padding=X.COMPACT_PADDING)
    widths = X.fit_words(model, longest, char=X.COMPACT_CHAR_TWIPS, padding=X.COMPACT_PADDING)
    assert sum(widths) == 9638
    assert all(w >= int(n * X.COMPACT_CHAR_TWIPS) + X.COMPACT_PADDING for w, n in zip(widths, longest))
    assert X.fits_every_word(X._widths((2.6, 1.1, 1.5, 1.5), 4, 9638), longest[:4])


def test_highlighted_cells_are_bold_and_shaded_and_muted_rows_grey_in_their_first_cell_only(fixture_doc):
    """Highlight and muted rows of the model show as direct formatting Word keeps; a muted row greys
    its first cell and leaves the rest in the body colour."""
    scores = [t for t in fixture_doc.tables if t.rows[0].cells[0].text == "Criterion"][0]
    cell = scores.rows[1].cells[2]  # model row 0, column 2
    assert cell.paragraphs[0].runs[0].bold
    assert cell._tc.find("w:tcPr/w:shd", NS) is not None
    ranking = [t for t in fixture_doc.tables if t.rows[0].cells[0].text == "Rank"][0]
    muted = ranking.rows[4].cells[0].paragraphs[0].runs[0]
    assert muted.font.color.rgb == RGBColor.from_string("6B7280")
    assert ranking.rows[4].cells[3].paragraphs[0].runs[0].font.color.rgb is None


def test_chart_is_a_table_with_bars_proportional_to_values_and_alt_text(fixture_docx):
    """Bar spans are value/maximum of 50 grid columns; the table carries the chart's alt text."""
    body = part(fixture_docx, "word/document.xml")
    chart = [t for t in body.iterfind(".//w:tbl", NS)
             if t.find("w:tblPr/w:tblDescription", NS) is not None
             and t.find("w:tblPr/w:tblDescription", NS).get(W + "val") == F.SCORE_CHART.alt_text][0]
    assert chart.find("w:tblPr/w:tblCaption", NS).get(W + "val") == "Weighted total per framework (0-100)"
    spans = []
    for row in chart.findall("w:tr", NS)[:4]:
        shaded = [tc for tc in row.findall("w:tc", NS) if tc.find("w:tcPr/w:shd", NS) is not None]
        spans.append(int(shaded[0].find("w:tcPr/w:gridSpan", NS).get(W + "val")))
    assert spans == [44, 34, 33, 20]  # 87, 69, 66, 41 of 100
    grid = chart.findall("w:tblGrid/w:gridCol", NS)
    for row in chart.findall("w:tr", NS):  # Word rejects rows whose spans do not add up to the grid
        cells = row.findall("w:tc", NS)
        assert sum(int(tc.find("w:tcPr/w:gridSpan", NS).get(W + "val")) if tc.find("w:tcPr/w:gridSpan", NS) is not None
                   else 1 for tc in cells) == len(grid) == 52


def test_range_chart_draws_band_and_marker():
    """A range row is empty up to low, a band to high, with a one-column marker at the value."""
    assert X._chart_segments(0, F.RANGE_CHART) == [(5, "empty"), (14, "band"), (1, "marker"), (20, "band"), (10, "empty")]
    assert X._chart_value(F.RANGE_CHART, 0) == "15% (4–32%)"
    assert X._chart_value(F.SCORE_CHART, 3) == "41 · knocked out"


def test_callouts_are_shaded_one_cell_tables(fixture_doc):
    """A callout is a single shaded cell whose first paragraph is its title in 'Callout Title'."""
    callouts = [t for t in fixture_doc.tables if len(t.columns) == 1]
    titles = [t.rows[0].cells[0].paragraphs[0].text for t in callouts]
    assert titles == ["Recommendation", "Close call", "Kubeflow knocked out"]
    for t in callouts:
        assert t.rows[0].cells[0].paragraphs[0].style.name == "Callout Title"
        assert t._tbl.find("w:tr/w:tc/w:tcPr/w:shd", NS) is not None


def test_contents_follow_the_first_section_on_a_new_page_as_linked_headings_without_a_field(fixture_docx):
    """The contents come after the first section (page 1 is the executive summary, as in the PDF), start a
    new page and link every later heading; no TOC field, no note to the editor, no w:updateFields."""
    body = part(fixture_docx, "word/document.xml")
    assert "TOC" not in "".join(t.text for t in body.iter(W + "instrText"))
    texts = paragraph_texts(body)
    assert not any("Update Field" in t or "Page numbers appear" in t for t in texts)
    sections = list(F.all_sections(F.brief()))
    first = F.brief().sections[0]
    inside_first = len(list(F.all_sections(type(F.brief())(meta=F.brief().meta, sections=(first,)))))
    later = [s.title for s in sections[inside_first:]]
    at = texts.index("Contents")
    assert texts[at + 1 : at + 1 + len(later)] == later
    assert texts.index(first.title) < at < texts.index(later[0], at + 1 + len(later))
    heading = [p for p in body.iter(W + "p") if paragraph_texts(p)[0] == "Contents"][0]
    assert heading.find("w:pPr/w:pageBreakBefore", NS) is not None
    anchors = [h.get(W + "anchor") for h in body.iter(W + "hyperlink") if h.get(W + "anchor")]
    bookmarks = [b.get(W + "name") for b in body.iter(W + "bookmarkStart")]
    assert anchors == bookmarks[inside_first:] and len(anchors) == len(later)
    assert part(fixture_docx, "word/settings.xml").find("w:updateFields", NS) is None


def test_header_names_the_project_and_footer_numbers_pages(fixture_doc):
    """The running header holds Brief.meta.header; the footer gives the brief's and the knowledge base's dates, as the
    PDF's does, then 'Page X of Y' from PAGE and NUMPAGES."""
    section = fixture_doc.sections[0]
    assert section.header.paragraphs[0].text == F.PROJECT
    assert section.header.paragraphs[0].style.name == "Header"
    footer = section.footer._element
    instr = [t.text.strip() for t in footer.iter(W + "instrText")]
    assert instr == ["PAGE", "NUMPAGES"]
    assert squash(" ".join(paragraph_texts(footer))) == "2026-11-27 \u00b7 knowledge base as of 2026-11-27 \u00b7 Page 1 of 1"


def test_source_links_are_clickable_external_hyperlinks(fixture_doc):
    """Each source URL is a w:hyperlink in the Hyperlink style pointing at an external relationship."""
    rels = fixture_doc.part.rels
    links = {}
    for h in fixture_doc.element.body.iter(W + "hyperlink"):
        rid = h.get(R + "id")
        if rid:
            assert rels[rid].is_external
            links[rels[rid].target_ref] = h
    for source in F.SOURCES:
        run = links[source.url].find("w:r", NS)
        assert run.find("w:rPr/w:rStyle", NS).get(W + "val") == "Hyperlink"
        assert run.find("w:t", NS).text == source.url
    assert "https://mlflow.org/docs/latest/self-hosting" in links


def test_logo_is_an_inline_picture_with_alt_text(fixture_docx):
    """The theme's PNG logo is embedded once, with a description for screen readers."""
    with zipfile.ZipFile(io.BytesIO(fixture_docx)) as z:
        assert z.read("word/media/image1.png") == F.png()
    doc_pr = part(fixture_docx, "word/document.xml").find(".//wp:docPr", NS)
    assert doc_pr.get("descr") == "Logo of Example Bank"


def test_logo_can_sit_in_the_running_header():
    """logo_position 'header' puts the picture in the header instead of the title block."""
    brief = replace(F.brief(), theme=Theme(logo=F.png(), logo_position="header"))
    data = render_docx(brief)
    assert part(data, "word/document.xml").find(".//wp:docPr", NS) is None
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        header = next(n for n in z.namelist() if n.startswith("word/header"))
    assert part(data, header).find(".//wp:docPr", NS).get("descr") == "Logo of Example Bank"


def test_user_text_is_escaped_not_interpreted():
    """Markup-like characters in user text reach Word as literal text."""
    name = 'R&D <b>"Lab"</b> 5 > 3'
    data = render_docx(F.brief(title=name, header=name))
    assert name in docx_text(data).splitlines()


# --- theme -------------------------------------------------------------------------------


def test_theme_colours_and_font_reach_the_styles():
    """Theme primary colours the headings; its font is set for Latin, East Asian and complex scripts."""
    brief = replace(F.brief(), theme=Theme(primary="#AA3300", accent="#005599", font="NotoSans"))
    doc = Document(io.BytesIO(render_docx(brief)))
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor.from_string("AA3300")
    assert doc.styles["Hyperlink"].font.color.rgb == RGBColor.from_string("005599")
    for rpr in (doc.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr", NS),
                doc.styles["Normal"].element.find("w:rPr", NS)):
        fonts = rpr.find("w:rFonts", NS)
        assert {k.split("}")[1]: v for k, v in fonts.attrib.items()} == {
            "ascii": "Noto Sans", "hAnsi": "Noto Sans", "eastAsia": "Noto Sans", "cs": "Noto Sans"}


def test_pdf_font_names_map_to_word_family_names():
    """'DejaVuSans' is the family 'DejaVu Sans' in Word."""
    assert [word_font(n) for n in ("DejaVuSans", "NotoSansArabic", "Arial")] == ["DejaVu Sans", "Noto Sans Arabic", "Arial"]


def test_cjk_and_arabic_names_survive(fixture_doc):
    """Names in any script reach the document unchanged."""
    name = "数据平台 · منصة البيانات"
    doc = Document(io.BytesIO(render_docx(F.brief(title=name, header=name))))
    assert doc.paragraphs[1].text == name
    assert doc.core_properties.title == name


# --- core properties, sanitising, determinism -----------------------------------------------


def test_core_properties_come_from_the_brief(fixture_doc, monkeypatch):
    """Title, author, subject, keywords, dates and revision are ours, never python-docx's defaults."""
    cp = fixture_doc.core_properties
    assert cp.title == "Fraud scoring platform: framework decision brief"
    assert cp.author == cp.last_modified_by == "Platform team"
    assert cp.subject == "ML workflow framework decision"
    assert cp.keywords == "MLflow; Kubeflow; MLOps; decision brief"
    assert cp.created == cp.modified == datetime(2026, 11, 27, tzinfo=timezone.utc)
    assert cp.revision == 1
    assert cp.language == "en"


def test_source_date_epoch_sets_the_core_dates_and_zip_times(monkeypatch):
    """SOURCE_DATE_EPOCH wins over the brief date, in the properties and in the zip entries."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    data = render_docx(F.brief())
    assert Document(io.BytesIO(data)).core_properties.created == datetime(2026, 1, 1, tzinfo=timezone.utc)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize(
    "date, epoch, created, zipped",
    [
        ("2200-06-01", None, datetime(2200, 6, 1, tzinfo=timezone.utc), (2107, 12, 31, 23, 59, 58)),
        ("2026-11-27", "253402300799", datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc),
         (2107, 12, 31, 23, 59, 58)),
        ("1970-01-01", None, datetime(1970, 1, 1, tzinfo=timezone.utc), (1980, 1, 1, 0, 0, 0)),
    ],
    ids=["project-date-2200", "source-date-epoch-9999", "before-zip-times"],
)
def test_a_date_outside_what_zip_times_hold_keeps_its_properties_and_clamps_the_zip_times(
        monkeypatch, date, epoch, created, zipped):
    """A zip entry holds the years 1980 to 2107 only; a brief dated outside them still renders, with its own date."""
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    data = render_docx(F.brief(date=date))
    assert Document(io.BytesIO(data)).core_properties.created == created
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {zipped}


def test_two_renders_are_byte_identical(fixture_docx):
    """Same brief, same bytes: fixed zip times, member order and compression."""
    assert render_docx(F.brief()) == fixture_docx
    with zipfile.ZipFile(io.BytesIO(fixture_docx)) as z:
        names = z.namelist()
        assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
        assert {i.date_time for i in z.infolist()} == {(2026, 11, 27, 0, 0, 0)}


def test_xml_incompatible_characters_give_a_warning_not_an_error():
    """Control characters in the project name are dropped with a warning naming the field."""
    warnings: list[str] = []
    data = render_docx(F.brief(title="Fraud\x07 scoring\x00 platform", header="Fraud\x1b scoring"), warnings=warnings)
    assert warnings == [
        "meta.title: removed 2 characters that documents cannot hold",
        "meta.header: removed 1 character that documents cannot hold",
    ]
    doc = Document(io.BytesIO(data))
    assert doc.core_properties.title == "Fraud scoring platform"
    assert doc.sections[0].header.paragraphs[0].text == "Fraud scoring"


def test_long_titles_are_shortened_for_the_core_properties_with_a_warning():
    """Word's 255-character limit shortens the title property with an ellipsis; the page keeps it all."""
    title = "Decision brief " + "x" * 300
    warnings: list[str] = []
    doc = Document(io.BytesIO(render_docx(F.brief(title=title), warnings=warnings)))
    assert warnings == ["meta.title: shortened to 255 characters for the Word document properties"]
    assert len(doc.core_properties.title) == 255 and doc.core_properties.title.endswith("…")
    assert doc.paragraphs[1].text == title


# --- reference documents --------------------------------------------------------------------


def house_style(path: Path, *, drop: tuple[str, ...] = ()) -> Path:
    """A Word document with its own Heading 1, header and body text, minus the styles in ``drop``."""
    doc = Document()
    heading = doc.styles["Heading 1"]
    heading.font.name = "Georgia"
    heading.font.color.rgb = RGBColor.from_string("7A1F5C")
    doc.sections[0].header.paragraphs[0].text = "House header"
    doc.add_paragraph("Template body text to be replaced")
    doc.core_properties.content_status = "Draft"
    doc.core_properties.version = "7"
    doc.core_properties.last_printed = datetime(2019, 5, 1)
    for name in drop:
        style = doc.styles[name]
        style.element.getparent().remove(style.element)
    doc.save(path)
    return path


def test_reference_docx_styles_header_and_footer_are_used(tmp_path):
    """The reader's Heading 1, header and footer win; their body text is replaced by the brief."""
    ref = house_style(tmp_path / "house.docx")
    doc = Document(io.BytesIO(render_docx(F.brief(), reference_docx=ref)))
    h1 = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in h1][:2] == ["Recommendation", "The project as understood"]
    assert h1[0].style.font.name == "Georgia"
    assert h1[0].style.font.color.rgb == RGBColor.from_string("7A1F5C")
    assert doc.sections[0].header.paragraphs[0].text == "House header"
    assert "Template body text to be replaced" not in "\n".join(p.text for p in doc.paragraphs)
    assert doc.styles["Brief Table"].type is not None  # missing there, defined by us


def test_reference_docx_metadata_is_replaced_by_ours(tmp_path):
    """Core and extended properties come from the brief only, not from the reference's file."""
    data = render_docx(F.brief(), reference_docx=house_style(tmp_path / "house.docx"))
    cp = Document(io.BytesIO(data)).core_properties
    assert (cp.content_status, cp.version, cp.last_printed) == ("", "", None)
    assert cp.title == "Fraud scoring platform: framework decision brief" and cp.revision == 1
    app = part(data, "docProps/app.xml")
    assert [etree.QName(c).localname for c in app] == ["Application", "DocSecurity"]
    assert app[0].text == "briefgen"


def test_reference_docx_missing_styles_are_defined_not_key_errors(tmp_path):
    """A reference without Title, List Bullet, List Number or Caption still renders with those styles."""
    ref = house_style(tmp_path / "bare.docx", drop=("Title", "List Bullet", "List Number", "Caption"))
    data = render_docx(F.brief(), reference_docx=ref)
    doc = Document(io.BytesIO(data))
    names = {p.style.name for p in doc.paragraphs}
    assert {"Title", "List Bullet", "List Number", "Caption"} <= names
    numbering = part(data, "word/numbering.xml")
    num_ids = {n.get(W + "numId") for n in numbering.iterfind("w:num", NS)}
    style_num = doc.styles["List Bullet"].element.find("w:pPr/w:numPr/w:numId", NS).get(W + "val")
    assert style_num in num_ids


def test_a_reference_docx_asking_to_update_fields_on_open_no_longer_does(tmp_path):
    """A reference document's w:updateFields goes: Word would open the brief with a dialog."""
    house = house_style(tmp_path / "house.docx")
    doc = Document(house)
    etree.SubElement(doc.settings.element, W + "updateFields").set(W + "val", "true")
    doc.save(house)
    data = render_docx(F.brief(), reference_docx=house)
    assert part(data, "word/settings.xml").find("w:updateFields", NS) is None


# --- example profiles ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def example_docx(tmp_path_factory) -> dict[str, tuple[object, Path]]:
    """Every example profile's brief and its rendered DOCX file."""
    out = tmp_path_factory.mktemp("docx")
    result = {}
    for path in PROFILES:
        brief = example_brief(path)
        target = out / f"{path.stem}.docx"
        target.write_bytes(render_docx(brief))
        result[path.stem] = (brief, target)
    fixture = out / "fixture.docx"
    fixture.write_bytes(render_docx(F.brief()))
    result["fixture"] = (F.brief(), fixture)
    return result


@pytest.fixture(scope="session")
def lo_profile(tmp_path_factory) -> Path:
    """A throw-away LibreOffice user profile for this test run (created once: its first start is the slow part)."""
    return tmp_path_factory.mktemp("lo-profile")


def soffice_convert(lo_profile: Path, fmt: str, out: Path, files: list[Path]) -> None:
    soffice = require("soffice")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{lo_profile}", "--headless", "--convert-to", fmt,
         "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )


@pytest.fixture(scope="session")
def converted_pdfs(example_docx, lo_profile, tmp_path_factory) -> dict[str, Path]:
    """All example DOCX converted to PDF by LibreOffice in a single soffice run."""
    out = tmp_path_factory.mktemp("soffice")
    soffice_convert(lo_profile, "pdf", out, [p for _, p in example_docx.values()])
    return {stem: out / f"{stem}.pdf" for stem in example_docx}


def pdf_text(path: Path) -> str:
    pdftotext = require("pdftotext")
    return subprocess.run([pdftotext, "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
@pytest.mark.parametrize("stem", [p.stem for p in PROFILES] + ["fixture"])
def test_libreoffice_opens_the_docx_and_shows_project_and_every_heading(stem, example_docx, converted_pdfs):
    """soffice exits 0 even on failure, so the PDF must exist and contain the header and each heading."""
    brief, _ = example_docx[stem]
    pdf = converted_pdfs[stem]
    assert pdf.exists() and pdf.stat().st_size > 1000, f"LibreOffice did not convert {stem}.docx"
    text = squash(pdf_text(pdf))
    assert squash(brief.meta.header) in text
    for section in F.all_sections(brief):
        assert squash(section.title) in text


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_example_headings_reopen_with_heading_styles(path, example_docx):
    """python-docx reopens each example brief and every section title is a Heading paragraph."""
    brief, file = example_docx[path.stem]
    doc = Document(str(file))
    headings = [(p.text, p.style.name) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [(s.title, f"Heading {s.level}") for s in F.all_sections(brief)]


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_example_renders_are_byte_identical_and_warning_free(path, example_docx):
    """Rendering an example brief again gives the same bytes and no warnings."""
    brief, file = example_docx[path.stem]
    warnings: list[str] = []
    assert render_docx(brief, warnings=warnings) == file.read_bytes()
    assert warnings == []


def test_render_command_writes_pdf_and_docx_in_the_reference_house_style(tmp_path):
    """`briefgen render PROFILE -f pdf,docx --reference-docx FILE` writes both, the DOCX in the house style."""
    from click.testing import CliRunner

    from generator.cli import cli

    profile = next(p for p in PROFILES if p.stem == "llm-app-team")
    ref = house_style(tmp_path / "house.docx")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", str(profile), "-f", "pdf,docx", "-o", str(out), "--reference-docx", str(ref)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["support-assistant.docx", "support-assistant.pdf"]
    doc = Document(str(out / "support-assistant.docx"))
    h1 = next(p for p in doc.paragraphs if p.style.name == "Heading 1")
    assert h1.text == "Executive summary" and h1.style.font.name == "Georgia"
    assert doc.core_properties.title == "Framework decision brief: Support assistant"


@pytest.mark.slow
def test_a_reference_saved_by_libreoffice_works(tmp_path, lo_profile):
    """A house style re-saved by LibreOffice (which renames and drops styles) still gives a styled brief."""
    src = house_style(tmp_path / "house.docx")
    out = tmp_path / "lo"
    soffice_convert(lo_profile, "docx", out, [src])
    ref = out / "house.docx"
    assert ref.exists(), "LibreOffice did not save the reference document"
    doc = Document(io.BytesIO(render_docx(F.brief(), reference_docx=ref)))
    headings = [(p.text, p.style.name) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [(s.title, f"Heading {s.level}") for s in F.all_sections(F.brief())]
    assert {"Title", "List Bullet", "List Number", "Caption"} <= {p.style.name for p in doc.paragraphs}
    h1 = next(p for p in doc.paragraphs if p.style.name == "Heading 1")
    # LibreOffice writes the name "Heading 1" where Word writes "heading 1": both resolve to their style
    assert h1.style.font.color.rgb == RGBColor.from_string("7A1F5C")


def test_a_reference_that_is_not_a_word_document_is_a_config_error(tmp_path):
    """A text file passed as reference document stops with one sentence, not a traceback."""
    from generator.errors import ConfigError

    bad = tmp_path / "house.docx"
    bad.write_text("not a zip")
    with pytest.raises(ConfigError) as err:
        render_docx(F.brief(), reference_docx=bad)
    assert str(err.value) == f"{bad}: cannot use it as the reference document: it is not a Word document (.docx)"


# Word rejects property elements out of schema order ("unreadable content"); LibreOffice does not,
# so the conversion tests cannot catch it. Sequences from ECMA-376 Part 1 (subset we emit).
SCHEMA_ORDER = {
    "pPr": ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
            "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
            "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
            "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"),
    "rPr": ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
            "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl "
            "cs em lang eastAsianLayout specVanish oMath"),
    "tblPr": ("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
              "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription"),
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
    "style": ("name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat locked "
              "personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr"),
    "tblBorders": "top left start bottom right end insideH insideV",
}


@pytest.mark.parametrize("member", ["word/document.xml", "word/styles.xml", "word/numbering.xml"])
def test_property_elements_follow_the_schema_order_word_enforces(member, fixture_docx):
    """Children of pPr, rPr, tblPr, tcPr, style and tblBorders appear in ECMA-376 sequence order."""
    root = part(fixture_docx, member)
    bad = []
    for parent, order in SCHEMA_ORDER.items():
        rank = {name: i for i, name in enumerate(order.split())}
        for el in root.iter(W + parent):
            names = [etree.QName(c).localname for c in el]
            assert all(n in rank for n in names), (parent, names)
            if [rank[n] for n in names] != sorted(rank[n] for n in names):
                bad.append((parent, names))
    assert bad == []


def test_line_breaks_and_tabs_become_word_breaks():
    """Newlines (any convention) and tabs in user text are w:br and w:tab, not literal characters."""
    assert X.text_xml("a\r\nb\rc\td") == (
        '<w:t xml:space="preserve">a</w:t><w:br/><w:t xml:space="preserve">b</w:t><w:br/>'
        '<w:t xml:space="preserve">c</w:t><w:tab/><w:t xml:space="preserve">d</w:t>'
    )


def test_links_that_are_not_web_or_mail_stay_plain_text():
    """Only https, http and mailto URLs become clickable; anything else is shown, not linked."""
    ctx = X.Context(styles={"Hyperlink": "Hyperlink"}, theme_primary="", theme_accent="", theme_warning="",
                    theme_muted="", text_width=9638, link=lambda url: "rId9", numbering=lambda n: None)
    assert "w:hyperlink" not in X.hyperlink(ctx, "click", "javascript:alert(1)")
    assert X.hyperlink(ctx, "docs", "https://mlflow.org/docs") == (
        '<w:hyperlink r:id="rId9" w:history="1"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>'
        '<w:t xml:space="preserve">docs</w:t></w:r></w:hyperlink>'
    )


def test_theme_colours_that_equal_other_defaults_are_not_swapped_twice():
    """A primary colour equal to the default accent stays the primary; the accent gets its own."""
    brief = replace(F.brief(), theme=Theme(primary="#2E7D6B", accent="#123456"))
    doc = Document(io.BytesIO(render_docx(brief)))
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor.from_string("2E7D6B")
    assert doc.styles["Hyperlink"].font.color.rgb == RGBColor.from_string("123456")


def _span(tc) -> int:
    span = tc.find("w:tcPr/w:gridSpan", NS)
    return 1 if span is None else int(span.get(W + "val"))


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_example_table_rows_fill_their_grid_within_the_margins(path, example_docx):
    """Every row of every table (charts included) spans its whole grid, and no table is wider than the text."""
    _, file = example_docx[path.stem]
    body = part(file.read_bytes(), "word/document.xml")
    tables = list(body.iter(W + "tbl"))
    assert tables
    for tbl in tables:
        grid = [int(g.get(W + "w")) for g in tbl.findall("w:tblGrid/w:gridCol", NS)]
        assert sum(grid) <= 9638
        for row in tbl.findall("w:tr", NS):
            assert sum(_span(tc) for tc in row.findall("w:tc", NS)) == len(grid)


def test_committed_reference_docx_is_what_the_script_builds(tmp_path):
    """templates/reference.docx is reproducible from tools/make_reference_docx.py (edit the script, not the file)."""
    import importlib.util

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("make_reference_docx", root / "tools" / "make_reference_docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(tmp_path / "reference.docx")
    assert (tmp_path / "reference.docx").read_bytes() == (root / "templates" / "reference.docx").read_bytes()


# --- keeping things together, URL breaks ------------------------------------------------------


def _ctx() -> X.Context:
    styles = {name: name.replace(" ", "") for name in X.STYLE_NAMES}
    return X.Context(styles=styles, theme_primary="1F3A5F", theme_accent="2E7D6B", theme_warning="B35C00",
                     theme_muted="6B7280", text_width=9638, link=lambda url: "rId9", numbering=lambda n: None)


def _rows_keeping_with_next(xml: str) -> list[bool]:
    """Per table row: does every paragraph in it keep with the next?"""
    root = etree.fromstring(f"<w:x {X.NSDECL}>{xml}</w:x>")
    return [all(p.find("w:pPr/w:keepNext", NS) is not None for p in tr.iter(W + "p")) for tr in root.iter(W + "tr")]


@pytest.mark.parametrize("rows, whole", [(3, True), (16, True), (17, False)])
def test_a_short_table_keeps_every_row_with_the_next_and_a_long_one_only_its_header(rows, whole):
    from generator.document import Table

    table = Table(header=("Criterion", "Weight"), rows=tuple((f"c{i}", "5%") for i in range(rows)))
    keeps = _rows_keeping_with_next(X.table_xml(_ctx(), table, "test"))
    assert keeps[0] is True  # the header row stays with the first body row
    assert keeps[1:] == ([True] * (rows - 1) + [False] if whole else [False] * rows)


@pytest.mark.parametrize("last, spaced", [("table", True), ("paragraph", False)])
def test_a_heading_right_after_a_table_gets_the_spacer_libreoffice_needs_to_keep_it_with_its_text(last, spaced):
    """LibreOffice left Harbourline's "What would change the decision" alone at a page foot after the risk table."""
    from generator.document import Paragraph, Section, Table, Text

    ctx = _ctx()
    first = Table(header=("Risk", "Owner"), rows=(("r", "o"),)) if last == "table" else Paragraph((Text("Done."),))
    X.section_xml(ctx, Section("a", "Risk register", 1, (first,)))
    xml = X.section_xml(ctx, Section("b", "What would change the decision", 1, (Paragraph((Text("If ..."),)),)))
    assert xml.startswith(X.TABLE_TO_HEADING) is spaced
    assert xml.count(X.TABLE_TO_HEADING) == int(spaced)


def test_a_chart_keeps_every_bar_with_the_next_row_down_to_its_axis():
    from generator.document import Bar, Chart

    chart = Chart(kind="bar", title="Totals", bars=tuple(Bar(f"option {i}", 50 + i) for i in range(12)), maximum=100)
    assert _rows_keeping_with_next(X.chart_xml(_ctx(), chart, "test")) == [True] * 12 + [False]


@pytest.mark.parametrize("text, keeps", [("Ruled out:", True), ("The team is small.", False)])
def test_a_lead_in_ending_in_a_colon_keeps_with_the_block_it_introduces(text, keeps):
    from generator.document import Paragraph, Text

    xml = X.block_xml(_ctx(), Paragraph((Text(text),)), "test")
    assert ("<w:keepNext/>" in xml) is keeps


@pytest.mark.parametrize("after, keeps", [("table", True), ("chart", True), ("paragraph", False)])
def test_a_paragraph_just_before_a_table_or_chart_keeps_with_it(after, keeps):
    """"What the decision weighs and why ..." went to the next page with its table instead of staying behind under
    the heading at the foot of the page (a reader found the decision drivers table there without its heading)."""
    from generator.document import Bar, Chart, Paragraph, Section, Table, Text

    intro = Paragraph((Text("What the decision weighs and why."),))
    nxt = {
        "table": Table(header=("Criterion", "Weight"), rows=(("c", "5%"),)),
        "chart": Chart(kind="bar", title="Totals", bars=(Bar("a", 50),), maximum=100),
        "paragraph": Paragraph((Text("More text."),)),
    }[after]
    xml = X.section_xml(_ctx(), Section("drivers", "Decision drivers", 2, (intro, nxt)))
    root = etree.fromstring(f"<w:x {X.NSDECL}>{xml}</w:x>")
    first = next(p for p in root.iter(W + "p") if "".join(t.text for t in p.iter(W + "t")).startswith("What the decision"))
    assert (first.find("w:pPr/w:keepNext", NS) is not None) is keeps


def test_a_label_paragraph_keeps_with_the_next():
    from generator.document import Paragraph, Text

    assert "<w:keepNext/>" in X.block_xml(_ctx(), Paragraph((Text("Pros", bold=True),)), "test")


def test_a_long_source_url_breaks_after_a_slash_on_lines_of_its_own_and_links_to_the_whole_url():
    from generator.document import SourceList, SourceRef

    url = "https://github.com/MicrosoftDocs/azure-docs/blob/main/articles/machine-learning/how-to-create-attach-compute-cluster.md"
    xml = X.sources_xml(_ctx(), SourceList((SourceRef("[1]", "Compute", "Microsoft", url, "primary", "undated", "2026-11-27"),)), "t")
    root = etree.fromstring(f"<w:x {X.NSDECL}>{xml}</w:x>")
    link = root.find(".//w:hyperlink", NS)
    lines = "".join("\n" if el.tag == W + "br" else el.text for el in link.iter(W + "t", W + "br")).split("\n")
    assert lines == [
        "https://github.com/MicrosoftDocs/azure-docs/blob/main/articles/machine-learning/",
        "how-to-create-attach-compute-cluster.md",
    ]
    # the URL starts a line of its own, after the entry's text
    assert link.getprevious().find("w:br", NS) is not None


def test_url_lines_never_cut_the_scheme_and_keep_a_short_url_whole():
    assert X.url_lines("https://a.example/b", 4000) == ["https://a.example/b"]
    assert all(not line.endswith("//") for line in X.url_lines("https://x.example/" + "a/" * 80, 1500))


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_every_header_cell_of_an_example_table_has_the_same_style_and_run_format(path, example_docx):
    body = part(example_docx[path.stem][1].read_bytes(), "word/document.xml")
    headers = [tr for tr in body.iter(W + "tr") if tr.find("w:trPr/w:tblHeader", NS) is not None]
    assert headers
    for tr in headers:
        looks = {
            (p.find("w:pPr/w:pStyle", NS).get(W + "val"),
             etree.tostring(r.find("w:rPr", NS)) if r.find("w:rPr", NS) is not None else b"")
            for p in tr.iter(W + "p") for r in p.iter(W + "r")
        }
        assert len(looks) == 1, looks


def test_a_short_table_with_long_cells_may_split_rather_than_leave_a_page_half_empty():
    from generator.document import Table

    table = Table(header=("Criterion", "Why"), rows=tuple((f"c{i}", "a long reason " * 60) for i in range(4)))
    keeps = _rows_keeping_with_next(X.table_xml(_ctx(), table, "test"))
    assert keeps == [True, False, False, False, False]


def test_headings_and_chart_titles_keep_with_the_next_block_whatever_the_reference_styles(tmp_path):
    """keepNext sits in each heading's and chart title's own paragraph properties, so a house reference
    document whose heading style lacks it still keeps headings with their content."""
    data = render_docx(F.brief(), reference_docx=house_style(tmp_path / "house.docx"))
    body = part(data, "word/document.xml")
    doc = Document(io.BytesIO(data))
    ids = {doc.styles[n].style_id for n in ("Heading 1", "Heading 2", "Chart Title")}
    paras = [p for p in body.iter(W + "p") if p.find("w:pPr/w:pStyle", NS) is not None
             and p.find("w:pPr/w:pStyle", NS).get(W + "val") in ids]
    assert paras and all(p.find("w:pPr/w:keepNext", NS) is not None for p in paras)


def test_a_table_note_sits_under_its_table_small_and_muted_as_in_the_pdf(fixture_docx):
    """A table's caption is the paragraph right after the table, in the Caption style, which is regular
    (not bold), in the muted colour and smaller than the table text; the last row keeps with it."""
    body = part(fixture_docx, "word/document.xml").find("w:body", NS)
    doc = Document(io.BytesIO(fixture_docx))
    caption_id = doc.styles["Caption"].style_id
    tables = [t for t in body.findall("w:tbl", NS) if t.find("w:tblPr/w:tblStyle", NS) is not None]
    notes = []
    for t in tables:
        nxt = t.getnext()
        if nxt is not None and nxt.find("w:pPr/w:pStyle", NS).get(W + "val") == caption_id:
            notes.append(paragraph_texts(nxt)[0])
            last_row = t.findall("w:tr", NS)[-1]
            assert last_row.find("w:tc/w:p/w:pPr/w:keepNext", NS) is not None
        prev = t.getprevious()
        assert prev is None or prev.find("w:pPr/w:pStyle", NS) is None or (
            prev.find("w:pPr/w:pStyle", NS).get(W + "val") != caption_id
        ), "no caption above a table"
    assert "Scores per criterion (0-5) and weighted totals" in notes
    style = doc.styles["Caption"]
    assert not style.font.bold
    assert style.font.color.rgb == RGBColor.from_string(X.hex_colour(F.brief().theme.muted))
    assert style.font.size.pt == 7.5


def test_a_chart_title_is_bold_body_text_above_the_chart_not_a_caption(fixture_doc):
    """Chart titles use their own Chart Title style (bold, body colour), as the PDF draws them."""
    titles = [p.text for p in fixture_doc.paragraphs if p.style.name == "Chart Title"]
    assert titles and all(t not in [p.text for p in fixture_doc.paragraphs if p.style.name == "Caption"] for t in titles)
    style = fixture_doc.styles["Chart Title"]
    assert style.font.bold and style.font.color.rgb is None


def test_the_body_word_widths_are_the_bundled_fonts_own():
    """The widths the column fitting measures body words with are DejaVu Sans's advance widths, letter by letter."""
    from pathlib import Path

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    import generator

    font = Path(generator.__file__).parent / "fonts" / "DejaVuSans.ttf"
    pdfmetrics.registerFont(TTFont("DejaVuSans-widths-check", str(font)))
    assert X.REGULAR_WIDTHS == {ch: round(pdfmetrics.stringWidth(ch, "DejaVuSans-widths-check", 1000))
                                for ch in map(chr, range(32, 127))}


def test_a_body_word_of_wide_letters_gets_its_real_width_not_the_per_letter_estimate():
    """"Recommendations" is wider than fifteen average letters: its column is fitted to its measured width."""
    assert X._body_chars("Recommendations") > 15 * X.BODY_CHARS
    assert X._body_chars("illicit") == 7 * X.BODY_CHARS  # narrow letters keep the estimate as a floor


def test_a_document_with_few_sections_after_page_one_has_no_contents_page():
    """The portfolio (a summary, then only its projects) gets no one-line contents page and no page break for it."""
    from generator.batch.index import Row
    from generator.brief.portfolio import build_portfolio

    rows = [Row("a.yaml", "rendered", "Alpha", "Org A", summary={"primary": "mlflow", "stack": ["mlflow"], "margin": 3.0,
                                                              "robustness": 0.9, "verdict": "leaning"})]
    data = render_docx(build_portfolio(rows, names={"mlflow": "MLflow"}, date="2026-11-27"))
    body = part(data, "word/document.xml")
    assert "Contents" not in [paragraph_texts(p)[0] for p in body.iter(W + "p") if paragraph_texts(p)]
    assert body.find(".//w:pageBreakBefore", NS) is None
