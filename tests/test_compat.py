"""Every reportlab and python-docx name the renderers use beyond the public API still exists and
behaves as render/reportlab_compat.py and render/docx_compat.py assume.

A reportlab or python-docx upgrade that renames, removes or changes one of them fails here, with
the name in the test, rather than in a client's PDF or Word file.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import inspect
import io
import zipfile
import zlib
from pathlib import Path

import docx
import pypdf
import pytest
import reportlab
from docx.opc.constants import CONTENT_TYPE as CT
from docx.oxml.ns import qn
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfdoc, ttfonts
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Paragraph
from reportlab.platypus import frames as rl_frames
from reportlab.platypus.flowables import Flowable

from generator.render import docx_compat, reportlab_compat as C
from generator.render.pdf_fonts import REGULAR, _load_fallbacks, register_fonts
from generator.render.pdf_text import add_link
from generator.resources import fonts_dir


def saved(canv: Canvas, buf: io.BytesIO) -> pypdf.PdfReader:
    canv.showPage()
    canv.save()
    return pypdf.PdfReader(io.BytesIO(buf.getvalue()))


def fresh_font(name: str) -> ttfonts.TTFont:
    """A plain reportlab TTFont (not ours), not registered: reportlab aliases a second registration
    of a face to the first one, which would touch the renderer's own fonts."""
    return ttfonts.TTFont(name, io.BytesIO((fonts_dir() / "DejaVuSans.ttf").read_bytes()))


# --- page layout ----------------------------------------------------------------------------------


def test_layout_fuzz_is_the_tolerance_platypus_frames_use():
    assert C.layout_fuzz() == rl_frames._FUZZ == 1e-6


def test_draw_flowable_passes_the_spare_width_that_aligns_a_flowable():
    """drawOn's private _sW keyword moves a right-aligned flowable by the spare width."""
    seen = []

    class Probe(Flowable):
        def __init__(self):
            super().__init__()
            self.hAlign = "RIGHT"

        def draw(self):
            seen.append(self.canv.absolutePosition(0, 0))

    C.draw_flowable(Probe(), Canvas(io.BytesIO()), 10, 20, 30)
    assert seen == [(40, 20)]
    assert inspect.signature(Flowable.drawOn).parameters["_sW"].default == 0


def test_a_frame_draws_an_in_place_flowable_through_its_drawon_override():
    """platypus' Frame calls drawOn(canv, x, y, _sW=...): InPlace's override takes it and draws at the origin."""
    seen = []

    class Probe(C.InPlace):
        def wrap(self, availWidth, availHeight):
            return 50, 10

        def _paint(self, canv, ox, oy):
            seen.append((ox, oy, canv.absolutePosition(0, 0)))

    Frame(100, 100, 200, 200, showBoundary=0).add(Probe(), Canvas(io.BytesIO()))
    assert seen == [(106, 284, (0, 0))]  # frame padding 6; no translation around the drawing


def test_a_paragraph_keeps_its_wrapped_lines_in_blpara():
    style = ParagraphStyle("p", fontName="Helvetica", fontSize=10, leading=12)
    para = Paragraph("one two three four five six seven eight nine ten", style)
    assert not C.paragraph_is_wrapped(para)
    _, height = para.wrap(60, 1000)
    assert C.paragraph_is_wrapped(para)
    assert C.paragraph_line_count(para) == round(height / 12) > 1


# --- the canvas -----------------------------------------------------------------------------------


def test_the_canvas_document_takes_our_stream_filter():
    class Flate:
        pdfname = "FlateDecode"
        used = 0

        def encode(self, data):
            Flate.used += 1
            return zlib.compress(data.encode("utf-8") if isinstance(data, str) else data)

        def decode(self, data):
            return zlib.decompress(data)

    buf = io.BytesIO()
    canv = Canvas(buf, pageCompression=0)
    assert isinstance(C.document_of(canv), pdfdoc.PDFDocument)
    C.set_stream_filters(canv, [Flate()])
    canv.drawString(72, 700, "filtered text")
    reader = saved(canv, buf)
    assert Flate.used >= 1 and b"/FlateDecode" in buf.getvalue()
    assert "filtered text" in reader.pages[0].extract_text()


def test_operators_appended_to_the_canvas_land_in_the_page():
    buf = io.BytesIO()
    canv = Canvas(buf, pageCompression=0)
    C.append_operators(canv, "BT /F1 12 Tf 72 700 Td (raw operators) Tj ET")
    canv.setFont("Helvetica", 12)  # makes /F1 the page's font
    assert "raw operators" in saved(canv, buf).pages[0].extract_text()


def test_absolute_rect_maps_the_current_coordinates_to_the_page():
    canv = Canvas(io.BytesIO())
    canv.translate(10, 20)
    assert tuple(C.absolute_rect(canv, (0, 0, 5, 5))) == (10, 20, 15, 25)


def test_an_added_annotation_is_on_the_page():
    buf = io.BytesIO()
    canv = Canvas(buf)
    add_link(canv, "https://example.org/x", (72, 700, 200, 712))  # via add_annotation and absolute_rect
    annots = saved(canv, buf).pages[0]["/Annots"]
    assert [a.get_object()["/A"]["/URI"] for a in annots] == ["https://example.org/x"]
    assert [float(v) for v in annots[0].get_object()["/Rect"]] == [72, 700, 200, 712]


# --- TrueType fonts -------------------------------------------------------------------------------


def test_printable_ascii_sits_at_its_own_codes_in_subset_0():
    """The premise of pdf_fonts._Font's shortcut, checked on reportlab's own TTFont."""
    font = fresh_font("CompatAscii")
    doc = C.document_of(Canvas(io.BytesIO()))
    assert C.ascii_readable(font)
    assert not C.has_document_state(font, doc)
    assert ttfonts.TTFont.splitString(font, "Hello, world ~!", doc) == [(0, b"Hello, world ~!")]
    assert C.has_document_state(font, doc)


def test_the_subset_maker_is_what_adding_the_font_to_a_document_calls():
    """TTFont.addObjects (run when a PDF is saved) cuts each subset through face.makeSubset."""
    font = fresh_font("CompatSubsets")
    calls = []

    def wrap(make):
        def counted(subset):
            calls.append(list(subset))
            return make(subset)

        return counted

    C.wrap_subset_maker(font, wrap)
    doc = C.document_of(Canvas(io.BytesIO()))
    font.splitString("subset", doc)
    font.addObjects(doc)
    assert len(calls) == 1 and {ord(ch) for ch in "subset"} <= set(calls[0])


def test_shaping_is_available_when_uharfbuzz_is_installed():
    assert hasattr(ttfonts, "uharfbuzz")
    assert C.shaping_available() == (importlib.util.find_spec("uharfbuzz") is not None)


def test_our_cmap_is_reportlabs_below_u_ffff_and_utf16_above():
    subset = [32, 65, 0xE9, 0x4E2D, 0xFFFD]
    assert C.utf16_to_unicode_cmap("AAAAAA+Font", subset) == ttfonts.makeToUnicodeCMap("AAAAAA+Font", subset)
    assert "<01> <D83DDE80>" in C.utf16_to_unicode_cmap("AAAAAA+Font", [32, 0x1F680])
    assert list(inspect.signature(ttfonts.makeToUnicodeCMap).parameters) == ["fontname", "subset"]


def test_the_cmap_replacement_holds_only_while_our_pdf_is_saved():
    original = ttfonts.makeToUnicodeCMap
    with C.utf16_cmaps():
        with C.utf16_cmaps():  # nested (or a second thread): restored once, by the last
            assert ttfonts.makeToUnicodeCMap is C.utf16_to_unicode_cmap
        assert ttfonts.makeToUnicodeCMap is C.utf16_to_unicode_cmap
    assert ttfonts.makeToUnicodeCMap is original


@pytest.mark.parametrize("scoped", [True, False])
def test_saving_inside_the_scope_makes_an_emoji_extract_as_itself(scoped):
    """reportlab looks the CMap function up when it saves: inside the scope the rocket extracts whole."""
    _load_fallbacks(register_fonts())  # the renderer's own fonts, Symbola among them
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=A4)
    canv.setFont(REGULAR, 10)
    canv.drawString(72, 700, "go")
    canv.setFont("Symbola", 10)
    canv.drawString(100, 700, "\U0001F680")
    canv.showPage()
    if scoped:
        with C.utf16_cmaps():
            canv.save()
    else:
        canv.save()
    text = pypdf.PdfReader(io.BytesIO(buf.getvalue())).pages[0].extract_text()
    assert ("\U0001F680" in text) == scoped  # reportlab alone writes U+1F68: the reason for the scope


# --- python-docx ----------------------------------------------------------------------------------


def test_a_header_and_footer_root_is_their_xml_element():
    document = docx.Document()
    section = document.sections[0]
    header, footer = docx_compat.header_footer_root(section.header), docx_compat.header_footer_root(section.footer)
    assert (header.tag, footer.tag) == (qn("w:hdr"), qn("w:ftr"))
    for child in list(header):
        header.remove(child)
    paragraph = header.makeelement(qn("w:p"), {})
    run = paragraph.makeelement(qn("w:r"), {})
    text = run.makeelement(qn("w:t"), {})
    text.text = "our running header"
    run.append(text)
    paragraph.append(run)
    header.append(paragraph)
    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(buf) as z:
        headers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/header")]
    assert any("our running header" in h for h in headers)


def test_the_default_content_types_table_declares_what_docx_writes():
    table = docx_compat.default_content_types()
    assert isinstance(table, tuple) and all(isinstance(pair, tuple) and len(pair) == 2 for pair in table)
    assert {("png", CT.PNG), ("jpeg", CT.JPEG), ("xml", CT.XML), ("rels", CT.OPC_RELATIONSHIPS)} <= set(table)


# --- the fence ------------------------------------------------------------------------------------

RENDER = Path(__file__).resolve().parents[1] / "generator" / "render"
# Our own classes' attributes whose names reportlab also uses for something else: TextWriter's state
# and the DOCX style resolver's copy method.
OURS = {("pdf_text.py", n) for n in ("_color", "_font", "_leading", "_x", "_y")} | {("docx.py", "_copy")}
# reportlab's documented switch for repeatable PDFs (no random id, no comments), set as its manual says.
PUBLIC_SETTINGS = {("pdf.py", "rl_config.invariant")}


def library_private_names() -> set[str]:
    """Names starting with one underscore that reportlab or python-docx define or use as attributes."""
    names = set()
    for package in (reportlab, docx):
        for path in Path(package.__file__).parent.rglob("*.py"):
            text = path.read_text(encoding="utf-8", errors="replace")
            names |= set(re.findall(r"(?:\.|def |class )(_[A-Za-z]\w*)", text))
            names |= set(re.findall(r"[(,]\s*(_[A-Za-z]\w*)\s*=", text))  # keyword parameters such as _sW
    return names


PRIVATE = library_private_names()


def private_uses(path: Path) -> list[str]:
    """Where a module uses a private name of reportlab or python-docx, or changes one of their modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()  # names bound to reportlab or python-docx modules and objects in this file
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            source = node.module if isinstance(node, ast.ImportFrom) else None
            for alias in node.names:
                full = f"{source}.{alias.name}" if source else alias.name
                if full.split(".")[0] in ("reportlab", "docx"):
                    modules.add(alias.asname or alias.name.split(".")[0])
                    found += [f"import of {full}" for part in full.split(".") if part.startswith("_")][:1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in PRIVATE and (path.name, node.attr) not in OURS:
            found.append(f"{ast.unparse(node)} (line {node.lineno})")
        elif isinstance(node, ast.keyword) and node.arg and node.arg.startswith("_"):
            found.append(f"{node.arg}= (line {node.value.lineno})")
        elif isinstance(node, ast.arg) and node.arg in PRIVATE:
            found.append(f"parameter {node.arg} (line {node.lineno})")
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id in modules:
                    if (path.name, ast.unparse(target)) not in PUBLIC_SETTINGS:
                        found.append(f"assignment to {ast.unparse(target)} (line {node.lineno})")
    return found


@pytest.mark.parametrize(
    "path", sorted(p for p in RENDER.glob("*.py") if not p.name.endswith("_compat.py")), ids=lambda p: p.name
)
def test_only_the_compat_modules_use_private_names_of_reportlab_or_python_docx(path):
    assert private_uses(path) == []


def test_the_fence_finds_what_the_renderers_used_before_the_compat_modules(tmp_path):
    """The check itself: the private touches this fence moved, written the old way, are all found."""
    old = tmp_path / "old_render.py"
    text = (
        "from reportlab.pdfbase import ttfonts as _ttfonts\n"
        "_ttfonts.makeToUnicodeCMap = print\n"
        "def f(canv, font, header, flowable, doc):\n"
        "    canv._doc.defaultStreamFilters = []\n"
        "    canv._code.append('q')\n"
        "    canv._addAnnotation(canv._absRect((0, 0, 1, 1), 1))\n"
        "    flowable.drawOn(canv, 0, 0, _sW=1)\n"
        "    return font._asciiReadable, header._element\n"
        "class InPlace:\n"
        "    def drawOn(self, canvas, x, y, _sW=0):\n"
        "        pass\n"
    )
    old.write_text(text, encoding="utf-8")
    found = " ".join(private_uses(old))
    for name in ("makeToUnicodeCMap", "_doc", "_code", "_addAnnotation", "_absRect", "_sW=", "_asciiReadable",
                 "_element", "parameter _sW"):
        assert name in found
