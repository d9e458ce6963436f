"""Brief templates and themes: YAML data a user can copy and edit, never code.

A template fixes the section order, headings, short wording and a few limits
per audience. Its text may contain ``{placeholder}`` lookups from a fixed
whitelist (:data:`PLACEHOLDERS`); nothing is evaluated, so a user-supplied
template cannot execute code or inject markup (renderers escape all text).
"""

from __future__ import annotations

import io
import os
import struct
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from generator.document import Theme
from generator.errors import ConfigError, InputError, Problem, lines_of
from generator.output import check_output_dir, publish
from generator.profile.model import BriefOptions
from generator.profile.yamlsafe import dotted, load_yaml_file
from generator.resources import TEMPLATE_FILES, templates_dir

AUDIENCES = ("executive", "technical")
SECTION_IDS = (
    "recommendation",
    "profile",
    "scores",
    "drivers",
    "comparison",
    "frameworks",
    "cost",
    "plan",
    "risks",
    "change",
    "adoption",
    "assumptions",
    "glossary",
    "conclusion",
    "methodology",
    "appendix",
    "sources",
)
PLACEHOLDERS = (
    "project.name",
    "project.organisation",
    "project.prepared_for",
    "project.author",
    "date",
    "kb_as_of",
    "recommendation",
    "runner_up",
)
DEFAULT_LIMITS = {
    "shortlist": 5,
    "criteria": 8,
    "frameworks_detail": 3,
    "points": 3,
    "reasons": 4,
    "risks": 4,
    "changes": 3,
    "range_bars": 6,
    "pages": 0,
}
# Limits that may be 0: range_bars 0 draws no sensitivity chart, the sentences above it say the same; pages 0 sets
# no page budget (pages N: the brief is fitted to N pages before its sources, see generator.pipeline.fit_pages).
MAY_BE_ZERO = {"range_bars", "pages"}
MAX_TEMPLATE_BYTES = 64 * 1024
MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 1200  # longest side after re-encoding; larger logos only bloat the PDF
LOGO_MAX_MEGAPIXELS = 25  # before decoding: 25 MP as RGBA is 100 MB, far beyond any logo

# {{ and }} are literal braces; {name} is a lookup; anything else in braces is an error.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class SectionSpec:
    id: str
    title: str
    intro: str = ""


@dataclass(frozen=True)
class Template:
    name: str
    audience: str
    title: str
    subtitle: str
    header: str
    sections: tuple[SectionSpec, ...]
    limits: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_LIMITS))

    def limit(self, key: str) -> int:
        return int(self.limits.get(key, DEFAULT_LIMITS[key]))


def substitute(text: str, values: Mapping[str, str]) -> str:
    """Replace ``{name}`` with ``values[name]``; only whitelisted names exist, nothing is evaluated."""

    def one(match: re.Match) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        return values.get(match.group(1).strip(), "")

    return _TOKEN.sub(one, text)


# A placeholder stands for text of up to a few hundred characters (a project name, a summary): an edited title
# repeating {project.name} 4,000 times took 3.9 GB to lay out before failing with no line named.
MAX_PLACEHOLDERS = 8


def check_placeholders(text: str, where: str) -> None:
    """Raise ConfigError if ``text`` uses a placeholder outside the whitelist, or more than MAX_PLACEHOLDERS."""
    used = sum(1 for m in _TOKEN.finditer(text) if m.group(1) is not None)
    if used > MAX_PLACEHOLDERS:
        raise ConfigError(f"{where}: uses {used} placeholders; at most {MAX_PLACEHOLDERS} are allowed in one text")
    for match in _TOKEN.finditer(text):
        name = match.group(1)
        if name is not None and name.strip() not in PLACEHOLDERS:
            raise ConfigError(
                f"{where}: unknown placeholder {{{name}}} (allowed: {', '.join('{' + p + '}' for p in PLACEHOLDERS)})"
            )
    stray = _TOKEN.sub("", text)
    if "{" in stray or "}" in stray:
        raise ConfigError(f"{where}: unbalanced brace; write {{{{ or }}}} for a literal brace")


class _Where:
    """Names the place of a problem: "file: field" for bundled data, "file:line:column: field" for a user's file."""

    def __init__(self, name: str, marks=None):
        self.name, self.marks = name, marks

    def __call__(self, *path, key: bool = False) -> str:
        """The place of the value at ``path``, or of its key (``key=True``: an unknown key has no useful value)."""
        field = dotted(path) if path else None
        mark = None
        if self.marks is not None and path:
            mark = (self.marks.key_marks.get(path) if key else None) or self.marks.mark(path)
        place = f"{self.name}:{mark.line}:{mark.column}" if mark else self.name
        return f"{place}: {field}" if field else place


def _text(data: Mapping[str, Any], key: str, where: _Where, path: tuple, problems: list[str], default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        problems.append(f"{where(*path, key)}: must be text")
        return ""
    try:
        check_placeholders(value, where(*path, key))
    except ConfigError as exc:
        problems.extend(lines_of(exc))
    return value


def template_from_mapping(data: Any, where: str = "template", marks=None, expect: str | None = None) -> Template:
    """Validate parsed YAML and build a Template; every problem names the field (and its line, given ``marks``),
    and all of them are reported at once, one line each."""
    at = _Where(where, marks)
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: a template must be a mapping")
    problems: list[str] = []
    known = {"name", "audience", "title", "subtitle", "header", "limits", "sections"}
    for key in sorted(set(map(str, data)) - known):
        problems.append(f"{at(key, key=True)}: unknown key (allowed: {', '.join(sorted(known))})")
    audience = data.get("audience", "executive")
    if audience not in AUDIENCES:
        problems.append(f"{at('audience')}: must be one of {', '.join(AUDIENCES)}")
    elif expect is not None and audience != expect:
        problems.append(f"{at('audience')}: must be {expect} in this file")
    limits = dict(DEFAULT_LIMITS)
    raw_limits = data.get("limits")
    if raw_limits is not None and not isinstance(raw_limits, Mapping):
        problems.append(f"{at('limits')}: must be a mapping of limit names to whole numbers "
                        f"(allowed: {', '.join(DEFAULT_LIMITS)})")
        raw_limits = None
    for key, value in (raw_limits or {}).items():
        if key not in DEFAULT_LIMITS:
            problems.append(f"{at('limits', key, key=True)}: unknown limit (allowed: {', '.join(DEFAULT_LIMITS)})")
            continue
        least = 0 if key in MAY_BE_ZERO else 1
        if not isinstance(value, int) or isinstance(value, bool) or not least <= value <= 50:
            problems.append(f"{at('limits', key)}: must be a whole number from {least} to 50")
            continue
        limits[key] = value
    raw_sections = data.get("sections")
    sections = []
    if not isinstance(raw_sections, list) or not raw_sections:
        problems.append(f"{at('sections')}: must be a non-empty list")
        raw_sections = []
    seen = set()
    for i, item in enumerate(raw_sections):
        if not isinstance(item, Mapping) or item.get("id") not in SECTION_IDS:
            problems.append(f"{at('sections', i, 'id')}: must be one of {', '.join(SECTION_IDS)}")
            continue
        if item["id"] in seen:
            problems.append(f"{at('sections', i, 'id')}: section {item['id']!r} appears twice")
        seen.add(item["id"])
        for extra in sorted(set(map(str, item)) - {"id", "title", "intro"}):
            problems.append(f"{at('sections', i, extra, key=True)}: unknown key (allowed: id, title, intro)")
        here = ("sections", i)
        sections.append(SectionSpec(item["id"], _text(item, "title", at, here, problems),
                                    _text(item, "intro", at, here, problems, "")))
    if raw_sections and "recommendation" not in seen:
        # A brief without it recommends nothing: only a title block and the sources were written.
        problems.append(f"{at('sections')}: must include the recommendation section (id: recommendation); "
                        "without it the brief recommends nothing")
    texts = {key: _text(data, key, at, (), problems, default) for key, default in (
        ("name", "custom"), ("title", "Framework decision brief: {project.name}"), ("subtitle", ""),
        ("header", "{project.name}"))}
    if problems:
        raise ConfigError(problems)
    return Template(
        name=texts["name"],
        audience=audience,
        title=texts["title"],
        subtitle=texts["subtitle"],
        header=texts["header"],
        sections=tuple(sections),
        limits=limits,
    )


def _read_yaml(text: str, where: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: not valid YAML ({exc.__class__.__name__})") from None


@lru_cache(maxsize=8)
def bundled_template(audience: str) -> Template:
    """The template shipped for ``audience`` (cached: bundled data never changes in a process)."""
    if audience not in AUDIENCES:
        raise ConfigError(f"unknown audience {audience!r} (allowed: {', '.join(AUDIENCES)})")
    name = f"{audience}.yaml"
    text = (templates_dir() / name).read_text(encoding="utf-8")
    return template_from_mapping(_read_yaml(text, name), name)


def load_template(path: str | Path, expect: str | None = None) -> Template:
    """A user's template file (size-capped, safe YAML, validated; problems name file, line and column); ``expect``:
    the audience its file name says it is for."""
    try:
        doc = load_yaml_file(path, max_bytes=MAX_TEMPLATE_BYTES)
    except InputError as exc:
        raise ConfigError(lines_of(exc)) from None
    return template_from_mapping(doc.data, str(path), doc, expect)


@dataclass(frozen=True)
class TemplateSet:
    """An edited copy of the bundled templates (``briefgen templates export``); absent files fall back to the bundled ones."""

    templates: Mapping[str, Template]  # audience -> template
    theme: Path | None
    reference_docx: Path | None

    def template(self, audience: str) -> Template:
        return self.templates.get(audience) or bundled_template(audience)


def load_template_dir(path: str | Path) -> TemplateSet:
    """Read and validate every template file in ``path``; a folder without any of them is an error.

    Read once per process while the files stay as they are (a batch reads one folder for
    many profiles); an edited file is read again.
    """
    stamps = []
    for name in TEMPLATE_FILES:
        try:
            st = (Path(path) / name).stat()
            stamps.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            pass
    return _load_template_dir(str(path), tuple(stamps))


@lru_cache(maxsize=16)
def _load_template_dir(path: str, stamps: tuple) -> TemplateSet:
    folder = Path(path)
    if not folder.is_dir():
        raise ConfigError(f"{folder}: not a folder (write one with 'briefgen templates export {folder}')")
    odd = [name for name in TEMPLATE_FILES if (folder / name).exists() and not (folder / name).is_file()]
    if odd:
        # A folder or pipe named like a template would otherwise be skipped without a word, and the bundled file used.
        raise ConfigError(f"{folder / odd[0]}: is not a regular file")
    present = [name for name in TEMPLATE_FILES if (folder / name).is_file()]
    if not present:
        raise ConfigError(f"{folder}: holds none of {', '.join(TEMPLATE_FILES)}")
    templates = {}
    for audience in AUDIENCES:
        if f"{audience}.yaml" in present:
            templates[audience] = load_template(folder / f"{audience}.yaml", audience)
    theme = folder / "theme.yaml" if "theme.yaml" in present else None
    if theme is not None:
        load_theme(theme)  # validate now: a bad colour should fail before the first brief
    reference = folder / "reference.docx" if "reference.docx" in present else None
    return TemplateSet(templates, theme, reference)


def profile_templates(options: BriefOptions, fallback: TemplateSet | None = None) -> TemplateSet | None:
    """The templates a profile's brief uses: its own ``brief.templates`` folder (a problem in it is
    reported at that field, 'profile.yaml:57: brief.templates: ...'), else ``fallback`` (the
    command line's --templates)."""
    if options.templates is None:
        return fallback
    try:
        return load_template_dir(options.templates)
    except ConfigError as exc:
        # A problem of this profile's own input: it fails alone (exit 1), and a run's other profiles go on.
        at = options.templates_at or str(options.templates)
        raise InputError([Problem(at, None, None, "brief.templates", line) for line in lines_of(exc)]) from None


def export_templates(dest: str | Path, force: bool = False) -> list[Path]:
    """Write the bundled templates, theme and reference document into ``dest`` for editing."""
    folder = Path(dest)
    targets = [folder / name for name in TEMPLATE_FILES]
    # lexists: a dangling symbolic link is there too, and writing through it would land outside dest
    existing = [p for p in targets if os.path.lexists(p)]
    if existing and not force:
        raise ConfigError(f"{existing[0]}: already exists (use --force to overwrite)")
    check_output_dir(folder)
    # write_atomic replaces a link or FIFO of that name instead of writing through or blocking on it
    publish({target: (templates_dir() / name).read_bytes() for name, target in zip(TEMPLATE_FILES, targets)})
    return targets


def theme_from_mapping(data: Any, where: str = "theme", logo: bytes | None = None, marks=None) -> Theme:
    """Validate a theme mapping; every problem names the field (and its line given ``marks``), all at once.

    Colours must be #RRGGBB: reportlab once evaluated colour strings."""
    at = _Where(where, marks)
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: a theme must be a mapping")
    problems: list[str] = []
    defaults = Theme()
    allowed = ("primary", "accent", "warning", "muted", "font", "logo_position")
    for key in sorted(set(map(str, data)) - set(allowed)):
        problems.append(f"{at(key, key=True)}: unknown key (allowed: {', '.join(allowed)})")
    values: dict[str, Any] = {}
    for key in ("primary", "accent", "warning", "muted"):
        value = data.get(key, getattr(defaults, key))
        if not isinstance(value, str) or not _HEX.match(value):
            problems.append(f"{at(key)}: must be a colour like #1F3A5F (got {value!r})")
            continue
        values[key] = value.upper()
    font = data.get("font", defaults.font)
    if font != "DejaVuSans":
        problems.append(f"{at('font')}: must be DejaVuSans, the bundled family (got {font!r})")
    position = data.get("logo_position", defaults.logo_position)
    if position not in ("title", "header"):
        problems.append(f"{at('logo_position')}: must be title or header (got {position!r})")
    if problems:
        raise ConfigError(problems)
    return Theme(**values, font=font, logo=logo, logo_position=position)


@lru_cache(maxsize=1)
def _bundled_theme_data() -> Any:
    return _read_yaml((templates_dir() / "theme.yaml").read_text(encoding="utf-8"), "theme.yaml")


def load_theme(path: str | Path | None = None, *, logo: str | Path | None = None) -> Theme:
    """The bundled theme (or a user's theme file) with an optional logo, re-encoded as PNG."""
    if path is None:
        return theme_from_mapping(_bundled_theme_data(), "theme.yaml", logo=read_logo(logo) if logo is not None else None)
    try:
        doc = load_yaml_file(path, max_bytes=MAX_TEMPLATE_BYTES)
    except InputError as exc:
        raise ConfigError(lines_of(exc)) from None
    return theme_from_mapping(doc.data, str(path), logo=read_logo(logo) if logo is not None else None, marks=doc)


def _logo_error(path: Path, message: str):
    return InputError([Problem(str(path), None, None, "brief.logo", message)])


def read_logo(path: str | Path) -> bytes:
    """Read a PNG/JPEG logo and re-encode it as a plain PNG (drops metadata, caps size).

    Problems are the profile's (InputError naming brief.logo), so a batch fails only that profile.
    The content decides the format, not the extension; an animated PNG gives its first frame,
    CMYK and 16-bit images are converted. Dimensions are checked from the header, before
    any pixel is decoded, so a small file declaring a huge image costs nothing.
    """
    from PIL import Image, JpegImagePlugin, PngImagePlugin  # only a brief with a logo pays for Pillow

    p = Path(path)
    try:
        with p.open("rb") as fh:
            raw = fh.read(MAX_LOGO_BYTES + 1)
    except OSError as exc:
        raise _logo_error(p, f"cannot read the logo ({exc.strerror})") from None
    if len(raw) > MAX_LOGO_BYTES:
        raise _logo_error(p, f"the logo is larger than {MAX_LOGO_BYTES // (1024 * 1024)} MiB")
    # The format's own class, not Image.open: open() applies Pillow's global bomb limit
    # before we can say what is wrong in our own words.
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PngImagePlugin.PngImageFile
    elif raw.startswith(b"\xff\xd8\xff"):
        kind = JpegImagePlugin.JpegImageFile
    else:
        raise _logo_error(p, "the logo must be a PNG or JPEG image (its content is neither)")
    try:
        img = kind(io.BytesIO(raw))
    except (OSError, ValueError, SyntaxError, EOFError, struct.error):
        raise _logo_error(p, "the logo is not a readable PNG or JPEG image (its header is damaged)") from None
    with img:
        width, height = img.size
        if width * height > LOGO_MAX_MEGAPIXELS * 1_000_000:
            raise _logo_error(p, f"{width} x {height} pixels is more than the {LOGO_MAX_MEGAPIXELS} megapixel limit")
        try:
            if img.mode.startswith("I"):  # 16- or 32-bit grey: scale to 8 bits rather than clip to white
                img = img.point(lambda v: v / 256).convert("L")
            img = img.convert("RGBA")
            img.thumbnail((LOGO_MAX_PIXELS, LOGO_MAX_PIXELS))
            out = io.BytesIO()
            img.save(out, format="PNG", optimize=False)
        except (OSError, ValueError, SyntaxError, EOFError, struct.error, Image.DecompressionBombError):
            raise _logo_error(p, "the logo is truncated or damaged: its pixels cannot be decoded") from None
        return out.getvalue()
