"""Word briefs: the Brief model rendered into an editable DOCX with real Word styles.

The document starts from templates/reference.docx (a lean package with exactly our
styles) or from the user's ``--reference-docx``, whose styles, header and footer win.
The body is generated as WordprocessingML text (see docx_xml); python-docx opens the
package and manages styles, relationships, images, header and footer. The zip is then
written here, once, with fixed member times, order and compression, so the same brief
always gives the same bytes.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from generator.dates import source_date_epoch
from generator.document import Brief, Theme
from generator.errors import ConfigError
from generator.render import docx_xml as X
from generator.render.reference import clean_reference
from generator.render.docx_compat import default_content_types, header_footer_root
from generator.sanitize import clean

CORE_LIMIT = 255  # python-docx (and the OPC schema) refuse longer core-property strings
LOGO_HEIGHT_EMU = 540000  # 1.5 cm
HEADER_LOGO_HEIGHT_EMU = 288000  # 0.8 cm
DEFAULT_COLOURS = {"1F3A5F": "primary", "2E7D6B": "accent", "6B7280": "muted"}
DEFAULT_FONT = "DejaVu Sans"
FONT_NAMES = {"DejaVuSans": "DejaVu Sans", "Helvetica": "Arial", "Times-Roman": "Times New Roman"}
ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=timezone.utc)
ZIP_END = datetime(2107, 12, 31, 23, 59, 58, tzinfo=timezone.utc)  # a zip entry's year is 7 bits from 1980
FONTS_WITH_NB_HYPHEN = {"DejaVu Sans"}  # the bundled font; U+2011 is checked in its cmap by a test


# --- templates, read once per process -------------------------------------------------


@lru_cache(maxsize=1)
def _template_bytes() -> bytes:
    """templates/reference.docx, read through the package so an installed wheel finds it."""
    from generator.resources import templates_dir

    return templates_dir().joinpath("reference.docx").read_bytes()


def word_font(name: str) -> str:
    """A PDF font name ('DejaVuSans') as Word knows the family ('DejaVu Sans')."""
    if name in FONT_NAMES:
        return FONT_NAMES[name]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).strip() or DEFAULT_FONT


@lru_cache(maxsize=8)
def _themed_template(primary: str, accent: str, muted: str, font: str) -> bytes:
    """Our template with the theme's colours and font in its styles (cached per theme).

    The default colours and font are unique quoted strings in styles.xml, so a textual
    swap is exact; one pass, so a theme colour equal to another default is not swapped twice.
    """
    wanted = {"primary": primary, "accent": accent, "muted": muted}
    swaps = {f'"{default}"': f'"{wanted[role]}"' for default, role in DEFAULT_COLOURS.items()}
    swaps[f'"{DEFAULT_FONT}"'] = X.quoteattr(font)
    pattern = re.compile("|".join(re.escape(k) for k in swaps))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_template_bytes())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/styles.xml":
                data = pattern.sub(lambda m: swaps[m.group(0)], data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def _theme_key(theme: Theme) -> tuple[str, str, str, str]:
    return (X.hex_colour(theme.primary), X.hex_colour(theme.accent), X.hex_colour(theme.muted), word_font(theme.font))


@lru_cache(maxsize=8)
def _our_styles(key: tuple[str, str, str, str]):
    """Our themed styles and numbering, parsed once, for copying into reference documents."""
    with zipfile.ZipFile(io.BytesIO(_themed_template(*key))) as z:
        return etree.fromstring(z.read("word/styles.xml")), etree.fromstring(z.read("word/numbering.xml"))


# --- styles and numbering of the target document ----------------------------------------


def _style_index(styles_el) -> dict[str, str]:
    """Lower-cased style name -> styleId; Word stores built-in names in lower case."""
    index = {}
    for st in styles_el.iterfind(qn("w:style")):
        name = st.find(qn("w:name"))
        if name is not None:
            index.setdefault(name.get(qn("w:val")).lower(), st.get(qn("w:styleId")))
    return index


def _max_attr(parent, tag: str, attr: str) -> int:
    return max((int(e.get(qn(attr))) for e in parent.iterfind(qn(tag)) if (e.get(qn(attr)) or "").isdigit()), default=0)


class _Styles:
    """Resolves the style names we use to ids in the target, copying ours where missing."""

    def __init__(self, doc, theme_key):
        self.target = doc.styles.element
        self.doc = doc
        self.ours, self.our_numbering = _our_styles(theme_key)
        self.index = _style_index(self.target)
        self.our_by_id = {st.get(qn("w:styleId")): st for st in self.ours.iterfind(qn("w:style"))}
        self.taken = {st.get(qn("w:styleId")) for st in self.target.iterfind(qn("w:style"))}
        self.copied_numbering: dict[str, str] = {}

    def resolve(self, name: str) -> str:
        sid = self.index.get(name.lower())
        return sid if sid is not None else self._copy(name)

    def _copy(self, name: str) -> str:
        ours = next(st for st in self.ours.iterfind(qn("w:style")) if st.find(qn("w:name")).get(qn("w:val")).lower() == name.lower())
        st = copy.deepcopy(ours)
        sid = st.get(qn("w:styleId"))
        while sid in self.taken:  # the id is used by another (renamed) style of theirs
            sid += "Brief"
        st.set(qn("w:styleId"), sid)
        st.attrib.pop(qn("w:default"), None)
        self.taken.add(sid)
        self.index[name.lower()] = sid
        self.target.append(st)
        for tag in ("w:basedOn", "w:next"):
            ref = st.find(qn(tag))
            if ref is not None:
                base = self.our_by_id.get(ref.get(qn("w:val")))
                if base is None:
                    st.remove(ref)
                else:
                    ref.set(qn("w:val"), self.resolve(base.find(qn("w:name")).get(qn("w:val"))))
        num = st.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num is not None:
            num.set(qn("w:val"), self._copy_num(num.get(qn("w:val"))))
        return sid

    def _copy_num(self, our_num_id: str) -> str:
        """Bring our list definition into their numbering part under fresh ids."""
        if our_num_id in self.copied_numbering:
            return self.copied_numbering[our_num_id]
        numbering = self.doc.part.numbering_part.element
        our_num = next(n for n in self.our_numbering.iterfind(qn("w:num")) if n.get(qn("w:numId")) == our_num_id)
        our_abs_id = our_num.find(qn("w:abstractNumId")).get(qn("w:val"))
        our_abs = next(a for a in self.our_numbering.iterfind(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == our_abs_id)
        abs_id = str(_max_attr(numbering, "w:abstractNum", "w:abstractNumId") + 1)
        new_abs = copy.deepcopy(our_abs)
        new_abs.set(qn("w:abstractNumId"), abs_id)
        _insert_abstract_num(numbering, new_abs)
        num_id = _add_num(numbering, abs_id, restart=False)
        self.copied_numbering[our_num_id] = num_id
        return num_id


def _insert_abstract_num(numbering, abstract) -> None:
    """abstractNum elements must precede every num element (schema order)."""
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)


def _add_num(numbering, abstract_id: str, *, restart: bool) -> str:
    num_id = str(_max_attr(numbering, "w:num", "w:numId") + 1)
    override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if restart else ""
    num = etree.fromstring(
        f'<w:num xmlns:w="{X.W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
    )
    cleanup = numbering.find(qn("w:numIdMacAtCleanup"))
    if cleanup is None:
        numbering.append(num)
    else:
        cleanup.addprevious(num)
    return num_id


def _style_num_id(styles_el, style_id: str) -> str | None:
    for st in styles_el.iterfind(qn("w:style")):
        if st.get(qn("w:styleId")) == style_id:
            num = st.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
            return None if num is None else num.get(qn("w:val"))
    return None


def _list_numbering(doc, styles: dict[str, str]):
    """Callback for list blocks: a numbered list gets its own num so it restarts at 1.

    Bullets follow the List Bullet style's own numbering (the reader's house bullets).
    """
    state: dict[str, str | None] = {}

    def numbering(numbered: bool) -> str | None:
        if not numbered:
            return None
        if "abstract" not in state:
            num_el = doc.part.numbering_part.element
            style_num = _style_num_id(doc.styles.element, styles["List Number"])
            abstract = None
            for n in num_el.iterfind(qn("w:num")):
                if n.get(qn("w:numId")) == style_num:
                    abstract = n.find(qn("w:abstractNumId")).get(qn("w:val"))
            state["abstract"] = abstract
        if state["abstract"] is None:
            return None
        return _add_num(doc.part.numbering_part.element, state["abstract"], restart=True)

    return numbering


def _no_update_on_open(doc) -> None:
    """Drop a reference document's w:updateFields: Word would greet the reader with a dialog."""
    settings = doc.settings.element
    for el in settings.findall(qn("w:updateFields")):
        settings.remove(el)


# --- the parts of a brief ----------------------------------------------------------------


def _picture(part, data: bytes, height_emu: int, doc_pr_id: int, descr: str) -> str:
    """An inline PNG with alt text (wp:docPr descr), scaled to ``height_emu``."""
    rid, image = part.get_or_add_image(io.BytesIO(data))
    cx = max(int(image.width * height_emu / max(int(image.height), 1)), 1)
    descr_attr = X.quoteattr(descr[:255])
    return (
        f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{height_emu}"/>'
        f'<wp:docPr id="{doc_pr_id}" name="Logo {doc_pr_id}" descr={descr_attr}/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic><a:graphicData uri="{X.PIC_NS}"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="logo.png"/>'
        '<pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{height_emu}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )


def _linker(part):
    """url -> relationship id, one external relationship per distinct URL.

    python-docx's relate_to scans every relationship for each new one (quadratic:
    a technical brief links over a hundred sources), so ids are handed out here.
    """
    rels = part.rels
    known = {rel.target_ref: rid for rid, rel in rels.items() if rel.is_external and rel.reltype == RT.HYPERLINK}
    counter = [len(rels)]

    def link(url: str) -> str:
        rid = known.get(url)
        if rid is None:
            # other code (images, headers) adds relationships too: skip ids already taken
            while f"rId{counter[0]}" in rels:
                counter[0] += 1
            rid = f"rId{counter[0]}"
            rels.add_relationship(RT.HYPERLINK, url, rid, is_external=True)
            known[url] = rid
        return rid

    return link


def _title_block(ctx: X.Context, brief: Brief, logo: str) -> str:
    meta = brief.meta
    s = ctx.styles
    out = [X.para(s["Normal"], logo)] if logo else []
    out.append(X.para(s["Title"], X.run(ctx.clean(meta.title, "meta.title"))))
    if meta.subtitle:
        out.append(X.para(s["Subtitle"], X.run(ctx.clean(meta.subtitle, "meta.subtitle"))))
    facts = [
        ("Prepared for", meta.prepared_for, "meta.prepared_for"),
        ("Organisation", meta.organisation, "meta.organisation"),
        ("Author", meta.byline, "meta.author"),
        ("Date", meta.date, "meta.date"),
        ("Knowledge as of", meta.kb_as_of, "meta.kb_as_of"),
    ]
    lines = [(label, ctx.clean(value, where)) for label, value, where in facts if value]
    for label, value in lines:
        out.append(X.para(s["Small Text"], X.run(f"{label}: ", bold=True) + X.run(value), ppr='<w:spacing w:after="0"/>'))
    return "".join(out)


def _set_story(element, xml: str) -> None:
    """Replace the content of a header/footer root with ``xml`` paragraphs."""
    for child in list(element):
        element.remove(child)
    for child in etree.fromstring(f"<w:x {X.NSDECL}>{xml}</w:x>"):
        element.append(child)


def _header_footer(doc, ctx: X.Context, brief: Brief) -> None:
    """Our running header (project name, optional logo) and footer (dates, 'Page X of Y').

    A reference document that already has a header or footer keeps its own.
    """
    section = doc.sections[-1]
    header, footer = section.header, section.footer
    if header.is_linked_to_previous:
        header.is_linked_to_previous = False
        logo = ""
        if brief.theme.logo and brief.theme.logo_position == "header":
            logo = _picture(header.part, brief.theme.logo, HEADER_LOGO_HEIGHT_EMU, 1002, _logo_descr(brief)) + "<w:r><w:tab/></w:r>"
        text = X.run(ctx.clean(brief.meta.header, "meta.header"))
        _set_story(header_footer_root(header), X.para(ctx.styles["Header"], logo + text))
    if footer.is_linked_to_previous:
        footer.is_linked_to_previous = False
        # The PDF's footer line (the brief's date and the knowledge base's), so a printed page says how current it is.
        meta = brief.meta
        dated = f"{meta.date} \u00b7 knowledge base as of {meta.kb_as_of}" if meta.kb_as_of else meta.date
        lead = X.run(ctx.clean(dated, "meta.date") + " \u00b7 ") if dated else ""
        body = lead + X.run("Page ") + X.field_runs("PAGE", "1") + X.run(" of ") + X.field_runs("NUMPAGES", "1")
        _set_story(header_footer_root(footer), X.para(ctx.styles["Footer"], body, jc="center"))


def _logo_descr(brief: Brief) -> str:
    owner = brief.meta.organisation or brief.meta.header or brief.meta.title
    return clean(f"Logo of {owner}")[0]


def _clear_body(doc) -> None:
    """Drop the template's content but keep the final sectPr (page size, margins, header links)."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _text_width(doc) -> int:
    section = doc.sections[-1]
    try:
        width = section.page_width - section.left_margin - section.right_margin
        return max(int(width / 635), 2880)  # EMU -> twips; never narrower than 2 inches
    except TypeError:  # a reference docx without page size or margins
        return 9638


def _render_date(brief: Brief) -> datetime:
    """SOURCE_DATE_EPOCH if set (generator.dates), else the brief's date at midnight UTC."""
    fixed = source_date_epoch()
    if fixed is not None:
        return fixed
    try:
        return datetime.fromisoformat(brief.meta.date[:10]).replace(tzinfo=timezone.utc)
    except ValueError:
        return ZIP_EPOCH


def _core_text(ctx: X.Context, value: str, where: str) -> str:
    text = ctx.clean(value, where)
    if len(text) > CORE_LIMIT:
        ctx.notes.append(f"{where}: shortened to {CORE_LIMIT} characters for the Word document properties")
        text = text[: CORE_LIMIT - 1].rstrip() + "…"
    return text


CORE_NS = (
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)
APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>briefgen</Application><DocSecurity>0</DocSecurity></Properties>"
).encode("utf-8")


def _core_xml(ctx: X.Context, brief: Brief, when: datetime) -> bytes:
    """docProps/core.xml written whole from Brief.meta.

    Setting fields one by one would keep whatever else a reference document carries
    (last printed, status, version of someone else's file); this has ours only.
    """
    meta = brief.meta
    author = _core_text(ctx, meta.author or meta.organisation or "briefgen", "meta.author")
    stamp = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    fields = (
        ("dc:title", _core_text(ctx, meta.title, "meta.title")),
        ("dc:subject", _core_text(ctx, meta.subject, "meta.subject")),
        ("dc:creator", author),
        ("cp:keywords", _core_text(ctx, "; ".join(meta.keywords), "meta.keywords")),
        ("dc:description", _core_text(ctx, meta.subtitle, "meta.subtitle")),
        ("cp:lastModifiedBy", author),
        ("cp:revision", "1"),
        ("cp:category", "Decision brief"),
        ("dc:language", _core_text(ctx, meta.language or "en", "meta.language")),
    )
    body = "".join(f"<{tag}>{X.escape(value)}</{tag}>" for tag, value in fields if value)
    body += f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
    body += f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
    return (X.XML_DECLARATION + f"<cp:coreProperties {CORE_NS}>{body}</cp:coreProperties>").encode("utf-8")


BODY_MARK = "briefgen-body"


def _document_xml(doc, body_xml: str) -> bytes:
    """document.xml with our body spliced in as text, never parsed into the tree.

    Parsing a long body and moving each element into python-docx's tree cost as much as
    building it; the package only needs the bytes. The root keeps the template's
    namespace declarations (reference documents rely on their mc:Ignorable prefixes).
    """
    body = doc.element.body
    body.insert(0, etree.Comment(BODY_MARK))
    text = etree.tostring(doc.element, encoding="unicode")
    body.remove(body[0])
    head, tail = text.split(f"<!--{BODY_MARK}-->", 1)
    root_end = head.index(">") + 1
    root = head[:root_end]
    for prefix, uri in X.NAMESPACES.items():
        if f'xmlns:{prefix}="' not in root:
            root = root[:-1] + f' xmlns:{prefix}="{uri}">'
    if root.endswith("/>"):  # cannot happen with a body inside, kept for safety
        raise ValueError("document element has no content")
    out = X.XML_DECLARATION + root + head[root_end:] + body_xml + tail
    return out.encode("utf-8")


def _content_types(parts) -> bytes:
    """[Content_Types].xml as python-docx writes it: a Default per known extension, else an Override."""
    defaults = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML}
    overrides = {}
    for part in parts:
        ext = part.partname.ext
        if (ext.lower(), part.content_type) in default_content_types():
            defaults[ext] = part.content_type
        else:
            overrides[str(part.partname)] = part.content_type
    items = [f'<Default Extension="{e}" ContentType="{defaults[e]}"/>' for e in sorted(defaults)]
    items += [f'<Override PartName="{n}" ContentType="{overrides[n]}"/>' for n in sorted(overrides)]
    return (
        X.XML_DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + "".join(items) + "</Types>"
    ).encode("utf-8")


def _rels_xml(rels) -> bytes:
    """A .rels item, written directly: python-docx parses a fragment per relationship."""
    items = []
    for rel in rels.values():
        mode = ' TargetMode="External"' if rel.is_external else ""
        items.append(f"<Relationship Id={X.quoteattr(rel.rId)} Type={X.quoteattr(rel.reltype)} "
                     f"Target={X.quoteattr(rel.target_ref)}{mode}/>")
    return (
        X.XML_DECLARATION + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(items) + "</Relationships>"
    ).encode("utf-8")


def _package_bytes(doc, document_xml: bytes, core_xml: bytes, when: datetime) -> bytes:
    """The zip, written once with fixed member times, order and compression: same brief, same bytes."""
    package = doc.part.package
    doc.core_properties  # noqa: B018 - creates the core part if a reference document has none
    parts = list(package.iter_parts())
    members = {"[Content_Types].xml": _content_types(parts), "_rels/.rels": _rels_xml(package.rels)}
    ours = {CT.OPC_CORE_PROPERTIES: core_xml, CT.OFC_EXTENDED_PROPERTIES: APP_XML}
    for part in parts:
        blob = document_xml if part is doc.part else ours.get(part.content_type)
        members[part.partname.membername] = part.blob if blob is None else blob
        if len(part.rels):
            members[part.partname.rels_uri.membername] = _rels_xml(part.rels)
    stamp = min(max(when, ZIP_EPOCH), ZIP_END).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in sorted(members, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            # level 3: 2-3x faster than the default 6 on our XML for about 15 % more bytes
            zf.writestr(info, members[name], compresslevel=3)
    return out.getvalue()


@lru_cache(maxsize=8)
def _parsed_template(key: tuple[str, str, str, str]):
    """The themed template opened by python-docx, once per theme: a brief edits a deep copy of it,
    about 1 ms where opening the package again took 2-3 ms of a 12 ms brief."""
    return Document(io.BytesIO(_themed_template(*key)))


def _open(brief: Brief, reference_docx: Path | None):
    key = _theme_key(brief.theme)
    if reference_docx is None:
        return copy.deepcopy(_parsed_template(key)), key, ()
    data, notes = clean_reference(reference_docx)  # refuses hostile packages before python-docx parses them
    try:
        return Document(io.BytesIO(data)), key, notes
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        # a user's file, not our bug: one sentence and exit code 2 instead of a traceback
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is not a Word document (.docx)"
        raise ConfigError(f"{reference_docx}: cannot use it as the reference document: {reason}") from None


def _body_with_contents(ctx: X.Context, brief: Brief) -> str:
    """The sections, with the contents of the later ones after the first (the executive summary):
    page 1 then reads as the PDF's page 1, the summary complete with its confidence and next step."""
    if not brief.sections:
        return ""
    first = X.section_xml(ctx, brief.sections[0])
    shown = len(ctx.bookmarks)
    rest = "".join(X.section_xml(ctx, s) for s in brief.sections[1:])
    return first + X.contents_xml(ctx, ctx.bookmarks[shown:]) + rest


def render_docx(brief: Brief, reference_docx: Path | None = None, *, warnings: list[str] | None = None) -> bytes:
    """The brief as DOCX bytes; problems the reader should know about go to ``warnings``."""
    sink: list[str] = [] if warnings is None else warnings
    doc, key, notes = _open(brief, reference_docx)
    sink.extend(notes)
    _clear_body(doc)
    resolver = _Styles(doc, key)
    styles = {name: resolver.resolve(name) for name in X.STYLE_NAMES}
    theme = brief.theme
    ctx = X.Context(
        styles=styles,
        theme_primary=theme.primary,
        theme_accent=theme.accent,
        theme_warning=theme.warning,
        theme_muted=theme.muted,
        text_width=_text_width(doc),
        link=_linker(doc.part),
        numbering=_list_numbering(doc, styles),
        # our template's font is the theme's; a reference document's own font may lack U+2011
        nb_hyphen=reference_docx is None and word_font(theme.font) in FONTS_WITH_NB_HYPHEN,
    )
    logo = ""
    if theme.logo and theme.logo_position != "header":
        logo = _picture(doc.part, theme.logo, LOGO_HEIGHT_EMU, 1001, _logo_descr(brief))
    title = _title_block(ctx, brief, logo)
    body_xml = title + _body_with_contents(ctx, brief)
    _header_footer(doc, ctx, brief)
    _no_update_on_open(doc)
    when = _render_date(brief)
    core_xml = _core_xml(ctx, brief, when)
    sink.extend(ctx.warnings())
    return _package_bytes(doc, _document_xml(doc, body_xml), core_xml, when)
