"""PDF and DOCX tell the same story: parity driven by the document model.

For every example profile the Brief's section titles, its one-sentence recommendation
and the compared framework names must appear in the text of both formats. The PDF half
needs pdftotext (it skips without it, and fails with BRIEFGEN_REQUIRE_READERS=1).
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import docx_fixture as F
from generator.document import Brief, Callout, Chart, Section, Table, iter_text
from generator.render.docx import render_docx
from generator.render.pdf import render_pdf
from readers import require

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PROFILES = sorted((Path(__file__).resolve().parent.parent / "data" / "profiles").glob("*.yaml"))
CASES = [pytest.param(p, id=p.stem) for p in PROFILES] + [pytest.param(None, id="fixture")]


def brief_for(path: Path | None) -> Brief:
    if path is None:
        return F.brief()
    import brief_fixture
    from generator.brief.compose import compose

    base, scorer = brief_fixture.real()
    return compose(brief_fixture.assessment_for(path, base, scorer), base)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _sections(brief: Brief):
    stack = list(reversed(brief.sections))
    while stack:
        s = stack.pop()
        yield s
        stack.extend(reversed([b for b in s.blocks if isinstance(b, Section)]))


def recommendation(brief: Brief) -> str:
    """The sentence up front: the body of the first callout of the 'recommendation' section."""
    section = next(s for s in brief.sections if s.id == "recommendation")
    callout = next(b for b in section.blocks if isinstance(b, Callout))
    return " ".join("".join(i.text for i in p.content) for p in callout.body)


def framework_names(brief: Brief) -> list[str]:
    """The frameworks compared: the bar labels of the score chart (fallback: the first table's header)."""
    for s in _sections(brief):
        for b in s.blocks:
            if isinstance(b, Chart) and b.kind == "bar":
                return [bar.label for bar in b.bars]
    table = next(b for s in _sections(brief) for b in s.blocks if isinstance(b, Table))
    return list(table.header[1:])


def model_items(brief: Brief) -> list[str]:
    return [s.title for s in _sections(brief)] + [recommendation(brief)] + framework_names(brief)


def docx_text(data: bytes) -> str:
    """The DOCX's paragraphs as a reader sees them: a non-breaking hyphen (U+2011, kept inside
    identifiers such as CVE ids) reads as a hyphen."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    text = "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p"))
    return text.replace("\u2011", "-")


def missing(items: list[str], text: str) -> list[str]:
    flat = squash(text)
    return [item for item in items if squash(item) not in flat]


@pytest.mark.parametrize("path", CASES)
def test_docx_has_the_sections_recommendation_and_frameworks_of_the_model(path):
    """The DOCX text contains every section title, the recommendation and every framework name."""
    brief = brief_for(path)
    assert len(model_items(brief)) > 5
    assert missing(model_items(brief), docx_text(render_docx(brief))) == []


@pytest.mark.parametrize("path", CASES)
def test_docx_holds_every_visible_string_of_the_model(path):
    """Nothing the model says is lost on the way to Word (iter_text in reading order)."""
    brief = brief_for(path)
    assert missing(list(iter_text(brief)), docx_text(render_docx(brief))) == []


@pytest.mark.parametrize("path", CASES)
def test_pdf_and_docx_contain_the_same_sections_recommendation_and_frameworks(path, tmp_path):
    """Both formats show every section title, the recommendation and every framework name."""
    pdftotext = require("pdftotext")
    brief = brief_for(path)
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(render_pdf(brief))
    pdf_text = subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    items = model_items(brief)
    assert missing(items, pdf_text) == []
    assert missing(items, docx_text(render_docx(brief))) == []


def model_numbers(brief: Brief) -> set[str]:
    """Every score ('86.7') and percentage ('13%') the model shows, citations and dates aside."""
    text = " ".join(iter_text(brief))
    return set(re.findall(r"(?<![\d.\[-])\d+\.\d(?![\d-])|(?<![\d.])\d+(?:\.\d)?%", text))


@pytest.mark.slow
@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_docx_converted_by_libreoffice_shows_the_sections_and_numbers_of_the_pdf(path, tmp_path):
    """What a reader of the Word file sees (LibreOffice's PDF of it) has the PDF's sections and every model number."""
    from generator.render.pdf import render_pdf

    pdftotext, soffice = require("pdftotext"), require("soffice")
    brief = brief_for(path)
    (tmp_path / "brief.pdf").write_bytes(render_pdf(brief))
    (tmp_path / "word.docx").write_bytes(render_docx(brief))
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf", "--outdir", str(tmp_path / "lo-out"), str(tmp_path / "word.docx")],
        check=True, capture_output=True, timeout=180,
    )

    def text(pdf: Path) -> str:
        return subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True).stdout

    pdf_text, word_text = text(tmp_path / "brief.pdf"), text(tmp_path / "lo-out" / "word.pdf")
    titles = [s.title for s in _sections(brief)]
    assert missing(titles, pdf_text) == [] and missing(titles, word_text) == []
    numbers = sorted(model_numbers(brief))
    assert [n for n in numbers if n not in pdf_text] == []
    assert [n for n in numbers if n not in word_text] == []
