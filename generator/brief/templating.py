"""Brief templates and themes: YAML data a user can copy and edit, never code.

A template fixes the section order, headings, short wording and a few limits
per audience. Its text may contain ``{placeholder}`` lookups from a fixed
whitelist (:data:`PLACEHOLDERS`); nothing is evaluated, so a user-supplied
template cannot execute code or inject markup (renderers escape all text).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from generator.document import Theme
from generator.errors import ConfigError, InputError, Problem
from generator.resources import templates_dir

AUDIENCES = ("executive", "technical")
SECTION_IDS = (
    "recommendation",
    "profile",
    "scores",
    "comparison",
    "frameworks",
    "risks",
    "change",
    "adoption",
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
}
MAX_TEMPLATE_BYTES = 64 * 1024
MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 1200  # longest side after re-encoding; larger logos only bloat the PDF

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


def check_placeholders(text: str, where: str) -> None:
    """Raise ConfigError if ``text`` uses a placeholder outside the whitelist."""
    for match in _TOKEN.finditer(text):
        name = match.group(1)
        if name is not None and name.strip() not in PLACEHOLDERS:
            raise ConfigError(
                f"{where}: unknown placeholder {{{name}}} (allowed: {', '.join('{' + p + '}' for p in PLACEHOLDERS)})"
            )
    stray = _TOKEN.sub("", text)
    if "{" in stray or "}" in stray:
        raise ConfigError(f"{where}: unbalanced brace; write {{{{ or }}}} for a literal brace")


def _text(data: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {key} must be text")
    check_placeholders(value, f"{where}: {key}")
    return value


def template_from_mapping(data: Any, where: str = "template") -> Template:
    """Validate parsed YAML and build a Template; every problem names the field."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: a template must be a mapping")
    known = {"name", "audience", "title", "subtitle", "header", "limits", "sections"}
    unknown = sorted(set(map(str, data)) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(known))})")
    audience = data.get("audience", "executive")
    if audience not in AUDIENCES:
        raise ConfigError(f"{where}: audience must be one of {', '.join(AUDIENCES)}")
    limits = dict(DEFAULT_LIMITS)
    for key, value in (data.get("limits") or {}).items():
        if key not in DEFAULT_LIMITS:
            raise ConfigError(f"{where}: unknown limit {key!r} (allowed: {', '.join(DEFAULT_LIMITS)})")
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 50:
            raise ConfigError(f"{where}: limits.{key} must be a whole number from 1 to 50")
        limits[key] = value
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise ConfigError(f"{where}: sections must be a non-empty list")
    sections = []
    seen = set()
    for i, item in enumerate(raw_sections):
        here = f"{where}: sections[{i}]"
        if not isinstance(item, Mapping) or item.get("id") not in SECTION_IDS:
            raise ConfigError(f"{here}: id must be one of {', '.join(SECTION_IDS)}")
        if item["id"] in seen:
            raise ConfigError(f"{here}: section {item['id']!r} appears twice")
        seen.add(item["id"])
        extra = sorted(set(map(str, item)) - {"id", "title", "intro"})
        if extra:
            raise ConfigError(f"{here}: unknown key {extra[0]!r} (allowed: id, title, intro)")
        sections.append(SectionSpec(item["id"], _text(item, "title", here), _text(item, "intro", here, "")))
    return Template(
        name=_text(data, "name", where, "custom"),
        audience=audience,
        title=_text(data, "title", where, "Framework decision brief: {project.name}"),
        subtitle=_text(data, "subtitle", where, ""),
        header=_text(data, "header", where, "{project.name}"),
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


def theme_from_mapping(data: Any, where: str = "theme", logo: bytes | None = None) -> Theme:
    """Validate a theme mapping. Colours must be #RRGGBB: reportlab once evaluated colour strings."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: a theme must be a mapping")
    defaults = Theme()
    allowed = ("primary", "accent", "warning", "muted", "font", "logo_position")
    unknown = sorted(set(map(str, data)) - set(allowed))
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(allowed)})")
    values: dict[str, Any] = {}
    for key in ("primary", "accent", "warning", "muted"):
        value = data.get(key, getattr(defaults, key))
        if not isinstance(value, str) or not _HEX.match(value):
            raise ConfigError(f"{where}: {key} must be a colour like #1F3A5F")
        values[key] = value.upper()
    font = data.get("font", defaults.font)
    if font != "DejaVuSans":
        raise ConfigError(f"{where}: font must be DejaVuSans (the bundled family)")
    position = data.get("logo_position", defaults.logo_position)
    if position not in ("title", "header"):
        raise ConfigError(f"{where}: logo_position must be title or header")
    return Theme(**values, font=font, logo=logo, logo_position=position)


@lru_cache(maxsize=1)
def _bundled_theme_data() -> Any:
    return _read_yaml((templates_dir() / "theme.yaml").read_text(encoding="utf-8"), "theme.yaml")


def load_theme(path: str | Path | None = None, *, logo: str | Path | None = None) -> Theme:
    """The bundled theme (or a user's theme file) with an optional logo, re-encoded as PNG."""
    if path is None:
        data, where = _bundled_theme_data(), "theme.yaml"
    else:
        p = Path(path)
        try:
            data, where = _read_yaml(p.read_text(encoding="utf-8-sig")[:MAX_TEMPLATE_BYTES], str(p)), str(p)
        except (OSError, UnicodeDecodeError):
            raise ConfigError(f"{p}: cannot read theme") from None
    return theme_from_mapping(data, where, logo=read_logo(logo) if logo is not None else None)


def _logo_error(path: Path, message: str):
    return InputError([Problem(str(path), None, None, "brief.logo", message)])


def read_logo(path: str | Path) -> bytes:
    """Read a PNG/JPEG logo and re-encode it as a plain PNG (drops metadata, caps size).

    Problems are the profile's (InputError naming brief.logo), so a batch fails only that profile.
    """
    from PIL import Image, UnidentifiedImageError  # only a brief with a logo pays for Pillow

    p = Path(path)
    try:
        with p.open("rb") as fh:
            raw = fh.read(MAX_LOGO_BYTES + 1)
    except OSError as exc:
        raise _logo_error(p, f"cannot read the logo ({exc.strerror})") from None
    if len(raw) > MAX_LOGO_BYTES:
        raise _logo_error(p, f"the logo is larger than {MAX_LOGO_BYTES // (1024 * 1024)} MiB")
    try:
        with Image.open(io.BytesIO(raw)) as img:
            if img.format not in ("PNG", "JPEG"):
                raise _logo_error(p, "the logo must be a PNG or JPEG image")
            # Decompression bombs: refuse absurd dimensions before decoding pixels.
            if img.width * img.height > 40_000_000:
                raise _logo_error(p, "the logo's dimensions are too large")
            img = img.convert("RGBA")
            img.thumbnail((LOGO_MAX_PIXELS, LOGO_MAX_PIXELS))
            out = io.BytesIO()
            img.save(out, format="PNG", optimize=False)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise _logo_error(p, "the logo is not a readable PNG or JPEG image") from None
