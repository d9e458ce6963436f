"""A user's reference DOCX (``--reference-docx``) checked like any input before python-docx sees it.

A .docx is a zip of XML parts, and each layer has its hazard: a part that
inflates to gigabytes (refused from its header, and read with a cap in case the
header lies), XML with a DTD or entities (refused: Word never writes them, and
entity expansion is how XML bombs work), macros, and relationships that make
Word fetch something from elsewhere when the brief is opened.

What is refused and what is stripped, and why:

- macro-enabled documents (a ``.docm`` main part): refused. The brief is a
  .docx, so the main part's content type would have to change; the user fixes
  it in one step (save as .docx) and we never silently alter what they chose.
- VBA parts (``vbaProject.bin`` and its data) inside a plain .docx: stripped
  with a warning. Word cannot run them there anyway; they carry nothing a brief
  needs.
- an attached template (``attachedTemplate``, usually a path on a file share or
  a URL): stripped with a warning. Word would reach for it on opening (a known
  way to leak credentials or fetch a macro template); the styles are already
  in the document.
- other external relationships except hyperlinks (linked images, OLE objects,
  frames, sub-documents): refused. They are referenced from the body XML, so
  removing them would leave a document Word reports as damaged; the user
  should embed or remove them.

Problems raise ConfigError (exit 2) naming the file and the part.
"""

from __future__ import annotations

import stat
import io
import zipfile
from functools import lru_cache
from pathlib import Path, PurePosixPath

from lxml import etree

from generator.errors import ConfigError

FILE_MAX_BYTES = 32 << 20  # a house-style template with a logo or two is well under 1 MiB
XML_MAX_BYTES = 8 << 20  # per XML part; a real styles.xml is tens to hundreds of KiB
PART_MAX_BYTES = 16 << 20  # per binary part (images in a header)
TOTAL_MAX_BYTES = 64 << 20  # all parts together, inflated
MAX_RATIO = 200  # inflated/compressed; XML compresses 5-30x, zip bombs 1000x and more
RATIO_FLOOR = 1 << 20  # parts smaller than this may compress as well as they like
MAX_PARTS = 2000
CHUNK = 1 << 16

MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
MACRO_TEMPLATE = "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OFFICE_DOCUMENT = R_NS + "/officeDocument"
STYLES = R_NS + "/styles"
HYPERLINK = R_NS + "/hyperlink"
ATTACHED_TEMPLATE = R_NS + "/attachedTemplate"
VBA = ("http://schemas.microsoft.com/office/2006/relationships/vbaProject",
       "http://schemas.microsoft.com/office/2006/relationships/wordVbaData")

# no DTD, no entities, no network, no huge text nodes: Word never needs any of them
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class _Refused(Exception):
    def __init__(self, part: str | None, message: str):
        self.part, self.message = part, message


def clean_reference(path: str | Path) -> tuple[bytes, tuple[str, ...]]:
    """The reference document as safe .docx bytes, and a warning per thing removed; ConfigError if refused."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise ConfigError(f"{p}: cannot use it as the reference document: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        # Opening a named pipe would wait for a writer forever.
        raise ConfigError(f"{p}: cannot use it as the reference document: it is not a regular file (a folder, a pipe "
                          "or a device?)")
    return _clean_cached(str(p), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=4)
def _clean_cached(path: str, size: int, mtime_ns: int) -> tuple[bytes, tuple[str, ...]]:
    try:
        if size > FILE_MAX_BYTES:
            raise _Refused(None, f"it is larger than {FILE_MAX_BYTES >> 20} MiB")
        with open(path, "rb") as fh:
            data = fh.read(FILE_MAX_BYTES + 1)
        if len(data) > FILE_MAX_BYTES:
            raise _Refused(None, f"it is larger than {FILE_MAX_BYTES >> 20} MiB")
        data, warnings = _clean(data)
        return data, tuple(f"{path}: {w}" for w in warnings)
    except _Refused as exc:
        where = f"{path}: {exc.part}" if exc.part else path
        raise ConfigError(f"{where}: cannot use it as the reference document: {exc.message}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot use it as the reference document: {exc.strerror or exc}") from None


def _clean(data: bytes) -> tuple[bytes, tuple[str, ...]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _Refused(None, "it is not a Word document (.docx)") from None
    with zf:
        parts = _read_parts(zf)
    types = _xml(parts, "[Content_Types].xml", required="it is not a Word document (.docx)")
    overrides = {el.get("PartName", "").lstrip("/"): el.get("ContentType", "")
                 for el in types.iterfind(f"{{{CT_NS}}}Override")}
    main = _main_part(parts)
    if overrides.get(main) in (MACRO_MAIN, MACRO_TEMPLATE):
        raise _Refused(main, "it is a macro-enabled document; save it from Word as a Word Document (.docx)")
    warnings: list[str] = []
    for name in sorted(n for n in parts if n.endswith(".rels")):
        _check_rels(parts, name, warnings)
    for vba in [n for n in parts if PurePosixPath(n).name.lower().startswith("vba") and n.endswith(".bin")]:
        del parts[vba]  # unreferenced VBA left behind: nothing would load it, nothing should carry it
    main_rels = _xml(parts, _rels_name(main))
    styles = [_target(main, r.get("Target", "")) for r in main_rels if r.get("Type") == STYLES] if main_rels is not None else []
    if not styles or styles[0] not in parts:
        raise _Refused("word/styles.xml", "it has no styles part; save it from Word as a Word Document (.docx)")
    for name in list(parts):
        if name.endswith((".xml", ".rels")):
            _xml(parts, name)  # every XML part parses safely, or the document is refused here
    return _zip(parts), tuple(warnings)


def _read_parts(zf: zipfile.ZipFile) -> dict[str, bytes]:
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise _Refused(None, f"it has {len(infos)} parts, more than the {MAX_PARTS} a Word document needs")
    total = 0
    parts: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename
        cap = XML_MAX_BYTES if name.endswith((".xml", ".rels")) else PART_MAX_BYTES
        # From the header first, so a bomb is refused without inflating a byte of it ...
        if info.file_size > cap:
            raise _Refused(name, f"the part inflates to {_mib(info.file_size)}, more than the {_mib(cap)} allowed")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _Refused(name, f"the part inflates {info.file_size // max(info.compress_size, 1)} times "
                                 f"(a zip bomb?); at most {MAX_RATIO} times is allowed")
        # ... then while inflating, with the same cap, in case the header lies.
        parts[name] = _read_capped(zf, info, cap)
        total += len(parts[name])
        if total > TOTAL_MAX_BYTES:
            raise _Refused(None, f"its parts inflate to more than {_mib(TOTAL_MAX_BYTES)} together")
    return parts


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    out = bytearray()
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK):
                out += chunk
                if len(out) > cap:
                    raise _Refused(info.filename, f"the part inflates to more than the {_mib(cap)} allowed")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, OSError,
            RuntimeError) as exc:  # RuntimeError: an encrypted part
        raise _Refused(info.filename, f"the part cannot be read ({_reason(exc)})") from None
    return bytes(out)


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text[:120]


def _xml(parts: dict[str, bytes], name: str, required: str | None = None):
    """The parsed part, or None if absent (a _Refused if ``required``); DTDs and entities are refused."""
    if name not in parts:
        if required:
            raise _Refused(name, required)
        return None
    data = parts[name]
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise _Refused(name, "the part declares a DTD or entities, which Word documents never contain")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        line = f" at line {exc.lineno}" if exc.lineno else ""
        raise _Refused(name, f"the part is not well-formed XML{line}") from None
    if root.getroottree().docinfo.doctype:
        raise _Refused(name, "the part declares a DTD or entities, which Word documents never contain")
    return root


def _rels_name(part: str) -> str:
    p = PurePosixPath(part)
    return f"{p.parent}/_rels/{p.name}.rels" if str(p.parent) != "." else f"_rels/{p.name}.rels"


def _target(source: str, target: str) -> str:
    """A relationship target as a part name (relative to the source part's folder, or absolute)."""
    if target.startswith("/"):
        return target.lstrip("/")
    base = PurePosixPath(source).parent
    parts: list[str] = [] if str(base) == "." else list(base.parts)
    for piece in PurePosixPath(target).parts:
        if piece == "..":
            parts = parts[:-1]
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _main_part(parts: dict[str, bytes]) -> str:
    rels = _xml(parts, "_rels/.rels", required="it is not a Word document (.docx): the package has no relationships")
    for rel in rels:
        if rel.get("Type") == OFFICE_DOCUMENT:
            main = _target("", rel.get("Target", ""))
            if main in parts:
                return main
            raise _Refused(main, "the document's main part is missing")
    raise _Refused("_rels/.rels", "it is not a Word document (.docx): no main document part")


def _check_rels(parts: dict[str, bytes], name: str, warnings: list[str]) -> None:
    """Strip VBA and attached templates (with a warning); refuse other external relationships."""
    root = _xml(parts, name)
    source = _source_of(name)
    changed = False
    for rel in list(root):
        kind, target = rel.get("Type", ""), rel.get("Target", "")
        external = rel.get("TargetMode") == "External"
        if kind in VBA:
            root.remove(rel)
            parts.pop(_target(source, target), None)
            warnings.append(f"{name}: removed the VBA macros ({target}); a .docx cannot run them")
            changed = True
        elif kind == ATTACHED_TEMPLATE:
            root.remove(rel)
            _drop_attached_template(parts, source)
            warnings.append(f"{name}: removed the attached template {_short(target)}; Word would fetch it "
                            "when the brief is opened")
            changed = True
        elif external and kind != HYPERLINK:
            raise _Refused(name, f"the document links to an external {kind.rsplit('/', 1)[-1]} ({_short(target)}) "
                                 "that Word would fetch on opening; embed or remove it")
    if changed:
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _source_of(rels_name: str) -> str:
    p = PurePosixPath(rels_name)
    folder = p.parent.parent
    name = p.name[: -len(".rels")]
    return name if str(folder) == "." else f"{folder}/{name}"


def _drop_attached_template(parts: dict[str, bytes], settings: str) -> None:
    root = _xml(parts, settings)
    if root is None:
        return
    for el in root.iterfind(f"{{{W_NS}}}attachedTemplate"):
        root.remove(el)
    parts[settings] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mib(n: int) -> str:
    return f"{n >> 20} MiB" if n >= 1 << 20 else f"{n >> 10} KiB"


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()
