"""Build templates/reference.docx: the lean base document every Word brief starts from.

python-docx's bundled template carries 900 KB of styles (styles.xml twice) that cost
about 35 ms per brief to parse and re-save, and lacks some styles once LibreOffice has
saved it. This script writes a small package holding exactly the styles the DOCX
renderer uses, with the default theme baked in (the renderer re-colours them per brief).

Run from the repository root:  python tools/make_reference_docx.py
The output is byte-for-byte reproducible (fixed zip times, fixed member order).
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# The default Theme of generator/document.py; render_docx swaps these per brief.
PRIMARY = "1F3A5F"
ACCENT = "2E7D6B"
MUTED = "6B7280"
FONT = "DejaVu Sans"
GRID = "C9CED6"
BAND = "F2F4F7"

CONTENT_TYPES = DECL + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/numbering.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/fontTable.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

ROOT_RELS = DECL + (
    f'<Relationships xmlns="{PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" '
    'Target="docProps/app.xml"/>'
    "</Relationships>"
)

DOC_RELS = DECL + (
    f'<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{R}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{R}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rId3" Type="{R}/numbering" Target="numbering.xml"/>'
    f'<Relationship Id="rId4" Type="{R}/fontTable" Target="fontTable.xml"/>'
    "</Relationships>"
)

# A4, 2 cm margins: the same page as the PDF so both formats break similarly.
DOCUMENT = DECL + (
    f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
    "<w:p/>"
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/>'
    '<w:cols w:space="708"/></w:sectPr>'
    "</w:body></w:document>"
)

CORE = DECL + (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>Decision brief</dc:title><dc:creator>briefgen</dc:creator>"
    "<cp:lastModifiedBy>briefgen</cp:lastModifiedBy><cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)

APP = DECL + (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>briefgen</Application><DocSecurity>0</DocSecurity></Properties>"
)

# No updateFields: Word would ask on open whether to update fields that "may refer to other
# files"; the brief's only fields are the footer's page numbers, which Word fills in itself.
SETTINGS = DECL + (
    f'<w:settings xmlns:w="{W}">'
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    "</w:settings>"
)

# altName lets Word substitute a metric-similar sans font where DejaVu is not installed.
FONT_TABLE = DECL + (
    f'<w:fonts xmlns:w="{W}">'
    f'<w:font w:name="{FONT}"><w:altName w:val="Arial"/><w:charset w:val="00"/>'
    '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    "</w:fonts>"
)


def _lvl(fmt: str, text: str) -> str:
    return (
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl>'
    )


# numId 1 = bullets, numId 2 = decimal; the List Bullet / List Number styles point at them.
NUMBERING = DECL + (
    f'<w:numbering xmlns:w="{W}">'
    f'<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/>{_lvl("bullet", "•")}</w:abstractNum>'
    f'<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="singleLevel"/>{_lvl("decimal", "%1.")}</w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    "</w:numbering>"
)


def _fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def _para_style(sid, name, *, based="Normal", nxt=None, ppr="", rpr="", extra="", default=False):
    attrs = ' w:default="1"' if default else ""
    based_xml = f'<w:basedOn w:val="{based}"/>' if based else ""
    next_xml = f'<w:next w:val="{nxt}"/>' if nxt else ""
    return (
        f'<w:style w:type="paragraph"{attrs} w:styleId="{sid}"><w:name w:val="{name}"/>{based_xml}{next_xml}'
        # schema order: uiPriority (in extra) precedes qFormat, or Word reports unreadable content
        f'{extra}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>'
    )


def _heading(level: int, size: int, before: int, after: int) -> str:
    return _para_style(
        f"Heading{level}", f"heading {level}", nxt="Normal",
        ppr=f'<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="{after}"/>'
        f'<w:outlineLvl w:val="{level - 1}"/>',
        rpr=f'<w:b/><w:bCs/><w:color w:val="{PRIMARY}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>',
        extra='<w:uiPriority w:val="9"/>',
    )


def _toc(level: int) -> str:
    return _para_style(
        f"TOC{level}", f"toc {level}", nxt="Normal",
        ppr=f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9628"/></w:tabs>'
        f'<w:spacing w:after="40"/><w:ind w:left="{(level - 1) * 240}"/>',
        extra='<w:uiPriority w:val="39"/>',
    )


def _border(edge: str, color: str = GRID, size: int = 4) -> str:
    return f'<w:{edge} w:val="single" w:sz="{size}" w:space="0" w:color="{color}"/>'


BRIEF_TABLE = (
    '<w:style w:type="table" w:styleId="BriefTable"><w:name w:val="Brief Table"/>'
    '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
    '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>'
    '<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblBorders>'
    + "".join(_border(e) for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + '</w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
    '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>'
    f'<w:tblPr/><w:trPr><w:tblHeader/></w:trPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{PRIMARY}"/></w:tcPr>'
    "</w:tblStylePr>"
    f'<w:tblStylePr w:type="band2Horz"><w:tblPr/><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{BAND}"/></w:tcPr>'
    "</w:tblStylePr></w:style>"
)

STYLES = DECL + (
    f'<w:styles xmlns:w="{W}">'
    f'<w:docDefaults><w:rPrDefault><w:rPr>{_fonts(FONT)}<w:sz w:val="20"/><w:szCs w:val="20"/>'
    '<w:lang w:val="en-GB" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    "</w:docDefaults>"
    + _para_style("Normal", "Normal", based=None, default=True, rpr=_fonts(FONT))
    + _para_style(
        "Title", "Title", nxt="Normal",
        ppr='<w:spacing w:before="0" w:after="80"/>',
        rpr=f'<w:b/><w:bCs/><w:color w:val="{PRIMARY}"/><w:kern w:val="28"/><w:sz w:val="44"/><w:szCs w:val="44"/>',
        extra='<w:uiPriority w:val="10"/>',
    )
    + _para_style(
        "Subtitle", "Subtitle", nxt="Normal", ppr='<w:spacing w:after="160"/>',
        rpr=f'<w:color w:val="{MUTED}"/><w:sz w:val="26"/><w:szCs w:val="26"/>', extra='<w:uiPriority w:val="11"/>',
    )
    + _heading(1, 30, 320, 120)
    + _heading(2, 24, 240, 80)
    + _heading(3, 21, 200, 60)
    + _para_style(
        "ListBullet", "List Bullet",
        ppr='<w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="60"/><w:ind w:left="360" w:hanging="360"/>',
    )
    + _para_style(
        "ListNumber", "List Number",
        ppr='<w:numPr><w:numId w:val="2"/></w:numPr><w:spacing w:after="60"/><w:ind w:left="360" w:hanging="360"/>',
    )
    # A table's note, printed under it as in the PDF: small, muted, regular.
    + _para_style(
        "Caption", "caption", nxt="Normal", ppr='<w:spacing w:before="40" w:after="120" w:line="240" w:lineRule="auto"/>',
        rpr=f'<w:color w:val="{MUTED}"/><w:sz w:val="15"/><w:szCs w:val="15"/>',
        extra='<w:uiPriority w:val="35"/>',
    )
    # A chart's title above it, as in the PDF: bold body text, kept with the chart.
    + _para_style(
        "ChartTitle", "Chart Title", nxt="Normal", ppr='<w:keepNext/><w:spacing w:before="120" w:after="40"/>',
        rpr='<w:b/><w:bCs/><w:sz w:val="18"/><w:szCs w:val="18"/>',
    )
    + _para_style(
        "TOCHeading", "TOC Heading", based="Heading1", nxt="Normal",
        ppr='<w:outlineLvl w:val="9"/>', extra='<w:uiPriority w:val="39"/>',
    )
    + _toc(1) + _toc(2) + _toc(3)
    + _para_style(
        "Header", "header", ppr='<w:tabs><w:tab w:val="right" w:pos="9638"/></w:tabs><w:spacing w:after="0"/>',
        rpr=f'<w:color w:val="{MUTED}"/><w:sz w:val="16"/><w:szCs w:val="16"/>',
    )
    + _para_style(
        "Footer", "footer", ppr='<w:spacing w:after="0"/><w:jc w:val="center"/>',
        rpr=f'<w:color w:val="{MUTED}"/><w:sz w:val="16"/><w:szCs w:val="16"/>',
    )
    + _para_style("Lead", "Lead", rpr='<w:sz w:val="24"/><w:szCs w:val="24"/>', ppr='<w:spacing w:after="160"/>')
    + _para_style("SmallText", "Small Text", rpr=f'<w:color w:val="{MUTED}"/><w:sz w:val="16"/><w:szCs w:val="16"/>')
    + _para_style("Note", "Note", rpr=f'<w:i/><w:iCs/><w:color w:val="{MUTED}"/><w:sz w:val="18"/><w:szCs w:val="18"/>')
    + _para_style("TableText", "Table Text", ppr='<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
                  rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>')
    + _para_style("CalloutTitle", "Callout Title", ppr='<w:keepNext/><w:spacing w:before="40" w:after="60"/>',
                  rpr=f'<w:b/><w:bCs/><w:color w:val="{PRIMARY}"/><w:sz w:val="22"/><w:szCs w:val="22"/>')
    + _para_style("CalloutText", "Callout Text", ppr='<w:spacing w:after="60"/>')
    + _para_style("Bibliography", "Bibliography", ppr='<w:spacing w:after="60"/><w:ind w:left="567" w:hanging="567"/>',
                  rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>', extra='<w:uiPriority w:val="37"/>')
    + '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/>'
    '<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
    '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
    '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    f'<w:rPr><w:color w:val="{ACCENT}"/><w:u w:val="single"/></w:rPr></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
    '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    + BRIEF_TABLE
    + '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
    "</w:styles>"
)

MEMBERS = (
    ("[Content_Types].xml", CONTENT_TYPES),
    ("_rels/.rels", ROOT_RELS),
    ("docProps/app.xml", APP),
    ("docProps/core.xml", CORE),
    ("word/_rels/document.xml.rels", DOC_RELS),
    ("word/document.xml", DOCUMENT),
    ("word/fontTable.xml", FONT_TABLE),
    ("word/numbering.xml", NUMBERING),
    ("word/settings.xml", SETTINGS),
    ("word/styles.xml", STYLES),
)


def build(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in MEMBERS:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, text.encode("utf-8"), compresslevel=6)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "templates" / "reference.docx"
    build(target)
    print(target)
