"""The PDF brief as a reader's tools see it: structure, fonts, text layer, links, bytes."""

from __future__ import annotations

import io
import random
import re
import subprocess
import unicodedata
from dataclasses import replace

import pypdf
import pytest

import brief_fixture as BF
from generator.brief.compose import compose
from generator.document import Brief, Metadata, Section, Table, Theme
from generator.render import pdf as P
from generator.render.pdf import render_pdf, render_pdf_report
from readers import require

CASES = [pytest.param(p, id=p.stem) for p in BF.PROFILES]
LONG_WORD = "Supercalifragilistic" * 15  # 300 characters, no break opportunity


@pytest.fixture(scope="module")
def base_and_scorer():
    return BF.real()


@pytest.fixture(scope="module")
def rendered(base_and_scorer, tmp_path_factory):
    """One assessment, brief and PDF file per example profile (rendered once for the module)."""
    base, scorer = base_and_scorer
    out = {}
    folder = tmp_path_factory.mktemp("pdf")
    for path in BF.PROFILES:
        a = BF.assessment_for(path, base, scorer)
        brief = compose(a, base)
        file = folder / f"{path.stem}.pdf"
        file.write_bytes(render_pdf(brief))
        out[path.stem] = (a, brief, file)
    return out


def pdftotext(file, *args) -> str:
    return subprocess.run([require("pdftotext"), *args, str(file), "-"], capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def headings(brief: Brief) -> list[str]:
    out = []
    stack = list(reversed(brief.sections))
    while stack:
        s = stack.pop()
        out.append(s.title)
        stack.extend(reversed([b for b in s.blocks if isinstance(b, Section)]))
    return out


def hostile(base_and_scorer, name: str, **project) -> tuple[Brief, bytes, tuple[str, ...]]:
    base, scorer = base_and_scorer
    a = BF.assessment_for(BF.PROFILES[0], base, scorer)
    a = replace(a, profile=replace(a.profile, project=replace(a.profile.project, name=name, **project)))
    brief = compose(a, base)
    data, warnings = render_pdf_report(brief)
    return brief, data, warnings


@pytest.mark.parametrize("path", CASES)
def test_qpdf_check_passes(path, rendered):
    """qpdf finds no structural problem in the file."""
    file = rendered[path.stem][2]
    result = subprocess.run([require("qpdf"), "--check", str(file)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", CASES)
def test_every_font_is_embedded(path, rendered):
    """pdffonts lists only embedded fonts (no reliance on the reader's fonts)."""
    out = subprocess.run([require("pdffonts"), str(rendered[path.stem][2])], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        cols = row.split()
        assert cols[-5] == "yes", row  # the "emb" column


@pytest.mark.parametrize("path", CASES)
def test_text_layer_has_name_recommendation_frameworks_and_headings(path, rendered, base_and_scorer):
    """pdftotext finds the project, the pick, every shortlisted framework and every heading."""
    base, _ = base_and_scorer
    a, brief, file = rendered[path.stem]
    text = squash(pdftotext(file))
    assert squash(a.profile.project.name) in text
    assert squash(a.recommendation.sentence) in text
    for fid in a.profile.frameworks:
        assert base.frameworks[fid].name in text
    for title in headings(brief):
        assert squash(title) in text


@pytest.mark.parametrize("path", CASES)
def test_outline_lists_every_section(path, rendered):
    """The bookmarks are the top-level section titles in order, sub-sections nested."""
    _, brief, file = rendered[path.stem]
    outline = pypdf.PdfReader(str(file)).outline
    top = [item.title for item in outline if not isinstance(item, list)]
    assert top == [s.title for s in brief.sections]


@pytest.mark.parametrize("path", CASES)
def test_every_word_is_drawn_inside_the_margins(path, rendered):
    """pdftotext's word boxes: no text crosses the left or right margin, no line runs off the page."""
    file = rendered[path.stem][2]
    bbox = pdftotext(file, "-bbox")
    lefts = [float(x) for x in re.findall(r'xMin="([\d.]+)"', bbox)]
    rights = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert min(lefts) >= P.MARGIN_X - 1
    assert max(rights) <= P.PAGE_W - P.MARGIN_X + 1


@pytest.mark.parametrize("path", CASES)
def test_page_x_of_y_on_every_page(path, rendered):
    """Each page's footer says 'Page n of N' with the real total."""
    file = rendered[path.stem][2]
    pages = pdftotext(file).split("\f")[:-1]
    for n, page in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in page


@pytest.mark.parametrize("path", CASES)
def test_metadata_and_links(path, rendered):
    """Title, author and subject are set; every link is an https source from the knowledge base."""
    a, brief, file = rendered[path.stem]
    reader = pypdf.PdfReader(str(file))
    assert reader.metadata.title == brief.meta.title
    assert reader.metadata.author == brief.meta.author
    assert reader.metadata.subject == brief.meta.subject
    uris = [
        annot.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if annot.get_object().get("/A", {}).get("/URI")
    ]
    assert uris
    assert all(u.startswith("https://") for u in uris)


def test_same_input_same_bytes_under_source_date_epoch(rendered, monkeypatch):
    """Two renders with the same SOURCE_DATE_EPOCH are byte-identical and carry that date."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    brief = rendered["startup-no-kubernetes"][1]
    first, second = render_pdf(brief), render_pdf(brief)
    assert first == second
    assert b"D:20260101000000+00'00'" in first


def test_a_briefs_bytes_do_not_depend_on_what_the_process_rendered_before(rendered, base_and_scorer, tmp_path, monkeypatch):
    """Widths, font subsets and compressed streams are remembered per process; a fresh process gives the same file."""
    import sys

    from click.testing import CliRunner

    from generator.cli import cli

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    profile = next(p for p in BF.PROFILES if p.stem == "bank-onprem-airgapped")
    hostile(base_and_scorer, "\u4e2d\u6587 \U0001f680 caf\u00e9 \u2014 \u00b1")  # other subsets, fallback fonts
    fresh = subprocess.run(
        [sys.executable, "-m", "generator", "render", str(profile), "-f", "pdf", "-o", str(tmp_path / "fresh")],
        capture_output=True,
        text=True,
    )
    assert fresh.returncode == 0, fresh.stderr
    result = CliRunner().invoke(cli, ["render", str(profile), "-f", "pdf", "-o", str(tmp_path / "warm")])
    assert result.exit_code == 0, result.output
    (first,) = (tmp_path / "fresh").glob("*.pdf")
    assert (tmp_path / "warm" / first.name).read_bytes() == first.read_bytes()


def test_without_source_date_epoch_the_pdf_date_is_the_brief_date(rendered, monkeypatch):
    """Without SOURCE_DATE_EPOCH the creation date is the brief's date, not the clock."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    brief = rendered["startup-no-kubernetes"][1]
    date = brief.meta.date.replace("-", "")
    assert f"D:{date}000000+00'00'".encode() in render_pdf(brief)


@pytest.mark.parametrize(
    "name",
    [
        "R&D <b>bold</b> & AT&T",
        '<img src="/etc/passwd"/> <a href="javascript:alert(1)">x</a>',
        "数据平台 与 機械学習 한국어",
        "منصة البيانات",
        "פלטפורמת נתונים",
        "Платформа данных Ωμέγα",
        "Rocket 🚀 launch ✅",
    ],
)
def test_hostile_and_multilingual_names_appear_literally(name, base_and_scorer, tmp_path):
    """Markup, CJK, Arabic, Hebrew, Cyrillic, Greek and emoji names render and read back as typed."""
    _, data, warnings = hostile(base_and_scorer, name)
    assert warnings == ()
    file = tmp_path / "b.pdf"
    file.write_bytes(data)
    # Shaped Arabic comes back as presentation forms (NFKC maps them to the letters) and
    # right-to-left words in visual order, so compare normalised words.
    text = unicodedata.normalize("NFKC", squash(pdftotext(file)))
    assert squash(name) in text or all(w in text for w in unicodedata.normalize("NFKC", name).split())
    assert b"/Subtype /Image" not in data
    assert b"/URI (javascript" not in data and b"/S /JavaScript" not in data


def test_a_300_character_word_wraps_instead_of_overflowing(base_and_scorer, tmp_path):
    """A 300-character word is broken across lines; joined back it reads as typed."""
    brief, data, warnings = hostile(base_and_scorer, LONG_WORD, summary=LONG_WORD, organisation=LONG_WORD)
    file = tmp_path / "long.pdf"
    file.write_bytes(data)
    text = pdftotext(file)
    assert LONG_WORD in re.sub(r"\s+", "", text)
    # pdftotext's bounding boxes: nothing is drawn outside the page
    bbox = subprocess.run([require("pdftotext"), "-bbox", str(file), "-"], capture_output=True, text=True, check=True).stdout
    xs = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert max(xs) <= P.PAGE_W - P.MARGIN_X + 1


def test_a_word_mixing_arabic_with_emoji_and_cjk_renders_unjoined_with_a_warning(base_and_scorer, tmp_path):
    """reportlab cannot shape a word that needs two fonts; it is drawn unjoined and the warning says so."""
    brief, data, warnings = hostile(base_and_scorer, "Team \u0645\u0631\u062d\u0628\u0627\U0001f680\u4e2d")
    assert warnings == ("a word mixes Arabic or Hebrew letters with characters from another font; it is drawn unjoined",)
    file = tmp_path / "mixed.pdf"
    file.write_bytes(data)
    assert "Team" in pdftotext(file)


def test_a_long_summary_mixing_scripts_long_words_and_urls_splits_across_pages(base_and_scorer, tmp_path):
    """Shaped text re-wraps unstably in reportlab; a 23,000-character mixed summary still lays out (no 'Splitting error')."""
    rng = random.Random(7)
    alphabet = list("abc XYZ\t\n\r\u00a0\u200b\u00e9\u2014\u2013&<>\"'%()[]{}\\/") + ["word" * 30, "https://x.y/" + "a" * 200]
    alphabet += list("\u0645\u0631\u062d\u0628\u0627\u05e9\u05dc\u05d5\u05dd\u202e")
    for _ in range(13):  # the 13th profile of this seeded stream broke reportlab's split
        n = rng.choice([1, 5, 40, 400, 3000])
        summary = "".join(rng.choice(alphabet) for _ in range(n))
        name = "".join(rng.choice(alphabet) for _ in range(rng.choice([1, 10, 80])))
    assert len(summary) > 20_000
    brief, data, _ = hostile(base_and_scorer, name, summary=summary, organisation=summary[:200])
    file = tmp_path / "long-mixed.pdf"
    file.write_bytes(data)
    subprocess.run([require("qpdf"), "--check", str(file)], capture_output=True, check=True)
    assert len(pdftotext(file).split("\f")) > 6


def test_a_summary_longer_than_a_page_ending_in_a_colon_lays_out(base_and_scorer, tmp_path):
    """A lead-in ending in ':' keeps with what follows; one taller than a page used to hang the layout for good."""
    summary = "lorem ipsum dolor sit amet " * 1500 + "as follows:"
    brief, data, _ = hostile(base_and_scorer, "Colon", summary=summary)
    file = tmp_path / "colon.pdf"
    file.write_bytes(data)
    assert "as follows:" in pdftotext(file)


def test_a_shaped_paragraph_wraps_to_the_same_height_every_time():
    """SafeParagraph wraps once per width, so the room a split measured is the room it gets."""
    text = "\u0645\u0631\u062d\u0628\u0627 " + " ".join(["word" * 30, "\u05e9\u05dc\u05d5\u05dd"] * 20)
    styles = P._styles("#1F3A5F", "#2E7D32", "#B26A00", "#5F6B7A")
    para = P.SafeParagraph(P.markup(text), styles.shaped(styles.body, text))
    heights = {para.wrap(P.FRAME_W, 1e6)[1] for _ in range(4)}
    assert len(heights) == 1
    for room in range(40, int(heights.pop()), 25):
        parts = P.SafeParagraph(P.markup(text), styles.shaped(styles.body, text)).split(P.FRAME_W, room)
        if len(parts) == 2:
            assert parts[0].wrap(P.FRAME_W, room)[1] <= room


def test_a_letter_the_bold_face_lacks_is_drawn_from_a_fallback_in_the_bold_title(base_and_scorer, tmp_path):
    """DejaVu Sans Bold has no mathematical sans-serif letters; the bold title still shows them, not empty boxes."""
    brief, data, warnings = hostile(base_and_scorer, "Team \U0001d5a0\U0001d5a1 plan")
    assert warnings == ()
    file = tmp_path / "math.pdf"
    file.write_bytes(data)
    assert "Framework decision brief: Team \U0001d5a0\U0001d5a1 plan" in pdftotext(file, "-l", "1")


def test_character_without_any_glyph_is_replaced_and_reported(base_and_scorer):
    """A character no bundled font has becomes U+FFFD and a warning names it."""
    _, _, warnings = hostile(base_and_scorer, "Melting \U0001fae0 face")
    assert warnings == ("no bundled font can draw U+1FAE0 MELTING FACE; shown as \ufffd",)


def test_emoji_variation_selectors_are_dropped_silently(base_and_scorer):
    """Invisible emoji modifiers draw nothing and are not reported as missing."""
    _, _, warnings = hostile(base_and_scorer, "Heart \u2764\ufe0f and family \U0001f468\u200d\U0001f469")
    assert warnings == ()


def test_markup_escapes_and_switches_fonts_by_coverage():
    """Escaping happens per run; runs only a fallback font can draw are wrapped in <font>."""
    missing: set[str] = set()
    assert P.markup("a<b>&c", missing) == "a&lt;b&gt;&amp;c"
    assert P.markup("x数y", missing) == 'x<font name="DroidSansFallback">数</font>y'
    assert P.markup("go 🚀", missing) == 'go <font name="Symbola">🚀</font>'
    assert missing == set()


def test_fonts_are_registered_once_per_process():
    """Registering again returns the same font table (no second parse of the TTF files)."""
    assert P.register_fonts() is P.register_fonts()


def test_long_table_repeats_its_header_on_every_page(tmp_path):
    """A table longer than a page splits, and each page starts with the header row."""
    rows = tuple((f"row {i}", "x" * 40) for i in range(150))
    brief = Brief(
        meta=Metadata("Long table", "", "a", "s", (), "2026-11-27"),
        sections=(Section("t", "Table", 1, (Table(("Key column", "Value column"), rows),)),),
    )
    file = tmp_path / "t.pdf"
    file.write_bytes(render_pdf(brief))
    pages = pdftotext(file).split("\f")[:-1]
    assert len(pages) >= 3
    assert all("Key column" in page for page in pages)


def test_a_table_whose_rows_are_too_tall_for_the_splitting_rule_still_renders(tmp_path):
    """Rows so tall that no page holds two on each side of a split (fifty long stakeholder names in one cell) are
    split wherever they fit instead of failing the brief with a layout error."""
    words = " ".join(f"Head of department number {i} at the Example Ltd" for i in range(60))
    rows = tuple((f"row {i}", words) for i in range(4))
    brief = Brief(
        meta=Metadata("Tall rows", "", "a", "s", (), "2026-11-27"),
        sections=(Section("t", "Table", 1, (Table(("Key column", "Value column"), rows, widths=(1, 1)),)),),
    )
    file = tmp_path / "tall.pdf"
    file.write_bytes(render_pdf(brief))
    text = pdftotext(file)
    assert all(f"row {i}" in text for i in range(4))


def test_a_header_word_wider_than_its_column_shrinks_instead_of_breaking(tmp_path):
    """The appendix's columns: 'Weight' and 'Kubeflow' stay whole words in the header, in smaller type."""
    header = ("Criterion", "Weight", *["Kubeflow"] * 7)
    rows = (("Governance and security", "13 %", *["4"] * 7),)
    brief = Brief(
        meta=Metadata("Narrow", "", "a", "s", (), "2026-11-27"),
        sections=(Section("t", "Table", 1, (Table(header, rows, widths=(2.6, 1.1, *[1.5] * 7)),)),),
    )
    file = tmp_path / "narrow.pdf"
    file.write_bytes(render_pdf(brief))
    words = pdftotext(file).split()
    assert "Weight" in words and words.count("Kubeflow") == 7


def _header_sizes(brief: Brief) -> list[set[float]]:
    """Per table of ``brief``, the type sizes of its header cells as the PDF builds them (a plain
    string cell is drawn in the header style's own size)."""
    P.register_fonts()
    b = P._Builder(brief)
    out = []

    def walk(sections):
        for s in sections:
            for block in s.blocks:
                if isinstance(block, Section):
                    walk([block])
                elif isinstance(block, Table) and block.header:
                    n = len(block.header)
                    rel = list(block.widths) if len(block.widths) == n else [1.0] * n
                    inner = [P.FRAME_W * w / sum(rel) - 2 * P.CELL_PAD for w in rel]
                    cells = b.header(block, ["left"] * n, inner)
                    out.append({c.style.fontSize if hasattr(c, "style") else b.st.head["left"].fontSize for c in cells})

    walk(brief.sections)
    return out


def test_one_word_too_wide_shrinks_the_whole_header_row(tmp_path):
    """'Weight' in a narrow column shrinks every header cell of the table, not just its own."""
    header = ("Criterion", "Weight", "Kubeflow + MLflow", "ZenML")
    table = Table(header, (("Governance and security", "13%", "4", "4"),), widths=(6, 1.0, 3, 3))
    brief = Brief(meta=Metadata("Narrow", "", "a", "s", (), "2026-11-27"), sections=(Section("t", "Table", 1, (table,)),))
    [sizes] = _header_sizes(brief)
    assert len(sizes) == 1 and sizes.pop() < P._Builder(brief).st.head["left"].fontSize
    file = tmp_path / "narrow.pdf"
    file.write_bytes(render_pdf(brief))
    boxes = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)<', pdftotext(file, "-bbox"))
    height = {word: round(float(bottom) - float(top), 2) for top, bottom, word in boxes}
    assert height["Criterion"] == height["Weight"] == height["ZenML"]


def test_every_example_table_has_one_header_type_size(rendered):
    for stem, (_, brief, _) in rendered.items():
        assert all(len(sizes) == 1 for sizes in _header_sizes(brief)), stem


def test_logo_is_drawn_when_the_theme_has_one(rendered):
    """Theme logo bytes become one image XObject in the PDF."""
    from docx_fixture import png

    brief = replace(rendered["startup-no-kubernetes"][1], theme=Theme(logo=png()))
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(brief)))
    assert len(reader.pages[0].images) == 1


def test_render_command_writes_pdf_and_markdown_end_to_end(tmp_path):
    """`briefgen render PROFILE -f pdf,md -o DIR` writes both files for an example profile."""
    from click.testing import CliRunner

    from generator.cli import cli

    profile = next(p for p in BF.PROFILES if p.stem == "startup-no-kubernetes")
    result = CliRunner().invoke(cli, ["render", str(profile), "-f", "pdf,md", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pdf, md = sorted(tmp_path.glob("*.pdf")), sorted(tmp_path.glob("*.md"))
    assert len(pdf) == 1 and len(md) == 1
    assert pdf[0].read_bytes().startswith(b"%PDF-")
    assert md[0].read_text(encoding="utf-8").startswith("# Framework decision brief: Churn prediction MVP\n")


def test_missing_glyph_warning_reaches_the_run_result(tmp_path):
    """A character no font has is reported by run_profile at the field that holds it, which the CLI prints."""
    from generator.pipeline import run_profile

    source = next(p for p in BF.PROFILES if p.stem == "startup-no-kubernetes")
    text = source.read_text(encoding="utf-8").replace("name: Churn prediction MVP", 'name: "Churn \U0001fae0 MVP"', 1)
    assert "\U0001fae0" in text
    profile = tmp_path / "melting.yaml"
    profile.write_text(text, encoding="utf-8")
    result = run_profile(profile, tmp_path, ("pdf",))
    assert f"{profile}:4:9: project.name: no bundled font can draw U+1FAE0 MELTING FACE; shown as \ufffd" in result.warnings


@pytest.mark.parametrize("path", CASES)
def test_every_percent_on_the_page_is_written_one_way(path, rendered):
    """pdftotext finds '87%', never '87 %': text, tables and chart axes use one format."""
    text = pdftotext(rendered[path.stem][2])
    assert not re.findall(r"\d %", text)


@pytest.mark.parametrize("path", CASES)
def test_versions_and_digests_sit_with_the_sources_not_on_page_one(path, rendered):
    """Page 1 shows no hex digest; the 'Reproducible with' line closes the sources."""
    _, brief, file = rendered[path.stem]
    pages = pdftotext(file).split("\f")
    assert not re.search(r"\b[0-9a-f]{12}\b", pages[0])
    tail = squash(pages[-2] if not pages[-1].strip() else pages[-1])
    assert squash(f"Reproducible with {brief.meta.provenance}.") in tail
