"""The profile format published two ways from ``profile.FIELDS``: JSON Schema and a reference page.

``briefgen schema`` prints :func:`json_schema`; ``briefgen schema --markdown`` prints
:func:`markdown`, which is docs/profile-format.md (a test keeps the committed page
equal to it). Neither can drift from the validator, which reads the same FIELDS.
"""

from __future__ import annotations

from typing import Any

from generator.profile.model import CRITERIA, FIELDS, FRAMEWORK_IDS, SCHEMA_VERSION, FieldSpec
from generator.profile.validate import allowed  # shared wording with the validator's messages

DRAFT = "https://json-schema.org/draft/2020-12/schema"

SECTION_DESCRIPTIONS = {
    "schema_version": "Version of the profile format.",
    "project": "What the brief is about and who it is for.",
    "team": "The people who will build and run ML with the chosen framework.",
    "infrastructure": "Where the workloads run.",
    "workload": "What the ML workloads look like.",
    "needs": "How much the project needs each capability, in MoSCoW terms (must, should, could, wont).",
    "constraints": "Rules the choice must respect.",
    "priorities": "Optional weights from 0 to 10 per criterion id; each overrides the weight derived from needs.",
    "frameworks": "The frameworks to compare.",
    "brief": "How the brief is written and where it goes.",
}

# Printable text on one line (free-text fields may also hold line breaks and tabs).
_SINGLE_LINE = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
_MULTI_LINE = "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]*$"
_OUTPUT_NAME = "^[A-Za-z0-9][A-Za-z0-9._-]*$"
_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _top_level() -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.path.split(".")[0] for f in FIELDS))


def _field_schema(spec: FieldSpec, frameworks: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {"description": spec.description}
    if spec.path == "schema_version":
        out.update(type="integer", const=SCHEMA_VERSION)
    elif spec.path == "frameworks":
        out["oneOf"] = [
            {"const": "all", "description": "Every framework in the knowledge base."},
            {"type": "array", "items": {"enum": list(frameworks)}, "minItems": 1, "uniqueItems": True},
        ]
    elif spec.path == "priorities":
        out.update(
            type="object",
            propertyNames={"enum": list(CRITERIA)},
            additionalProperties={"type": "number", "minimum": 0, "maximum": 10},
        )
    elif spec.kind == "int":
        out.update(type="integer", minimum=spec.minimum, maximum=spec.maximum)
    elif spec.kind == "bool":
        out["type"] = "boolean"
    elif spec.kind == "enum":
        out["enum"] = list(spec.choices)
    elif spec.kind == "enum_list":
        out.update(type="array", items={"enum": list(spec.choices)}, uniqueItems=True)
        if spec.minimum:
            out["minItems"] = spec.minimum
    elif spec.kind == "str_list":
        out.update(type="array", items={"type": "string", "minLength": 1, "maxLength": spec.max_length,
                                        "pattern": _SINGLE_LINE}, maxItems=spec.maximum)
    elif spec.kind == "date":
        out.update(type="string", format="date", pattern=_DATE)
    else:
        out.update(type="string", minLength=1, pattern=_MULTI_LINE if spec.multiline else _SINGLE_LINE)
        if spec.max_length:
            out["maxLength"] = spec.max_length
        if spec.path == "brief.output":
            out["pattern"] = _OUTPUT_NAME
        if spec.path == "brief.logo":
            out["pattern"] = "^[^/\\\\].*\\.(png|jpg|jpeg|PNG|JPG|JPEG)$"
    if spec.default not in (None, ()) and spec.path != "frameworks":
        out["default"] = list(spec.default) if isinstance(spec.default, tuple) else spec.default
    elif spec.path == "frameworks":
        out["default"] = "all"
    return {k: v for k, v in out.items() if v is not None}


def json_schema(known_frameworks: tuple[str, ...] = FRAMEWORK_IDS) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of profile version 1: every field described, no unknown keys."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name in _top_level():
        specs = [f for f in FIELDS if f.path == name or f.path.startswith(name + ".")]
        if len(specs) == 1 and specs[0].path == name:
            properties[name] = _field_schema(specs[0], known_frameworks)
            if specs[0].required:
                required.append(name)
            continue
        leaves = {f.path.split(".", 1)[1]: _field_schema(f, known_frameworks) for f in specs}
        section_required = [f.path.split(".", 1)[1] for f in specs if f.required]
        section: dict[str, Any] = {
            "type": "object",
            "description": SECTION_DESCRIPTIONS[name],
            "properties": leaves,
            "additionalProperties": False,
        }
        if section_required:
            section["required"] = section_required
            required.append(name)
        properties[name] = section
    return {
        "$schema": DRAFT,
        "$id": f"urn:briefgen:profile:{SCHEMA_VERSION}",
        "title": f"briefgen project profile, version {SCHEMA_VERSION}",
        "description": "Describes an ML project so that briefgen can compare ML workflow frameworks against it. "
        "Reference: docs/profile-format.md.",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


# -- the reference page -------------------------------------------------------

_INTRO = """\
# Profile format (version {version})

<!-- Generated by `briefgen schema --markdown` from generator/profile/model.py FIELDS.
     Do not edit by hand: a test fails when this page and the generator disagree. -->

A profile is one YAML file that describes an ML project. `briefgen init` writes a
commented starter; `briefgen validate PROFILE...` checks files and reports every
problem at once; `briefgen schema > profile.schema.json` writes the JSON Schema
(draft 2020-12) for editors — put `# yaml-language-server: $schema=profile.schema.json`
on the first line of the profile for autocompletion and inline checks. The schema
checks shapes, types and allowed values; `briefgen validate` checks everything on
this page, including the files a profile names, the cross-field rules and the
framework ids of the knowledge base in use.

## Reading rules

- **One YAML document, UTF-8.** With or without a byte-order mark; UTF-16, UTF-32,
  Latin-1 and other encodings are refused. At most 256 KiB and 8 levels of nesting.
  An empty file, a file of only comments, a second `---` document and a top level
  that is a list or a single value are each reported as such.
- **Nothing runs, nothing expands.** Only the standard tags `!!str`, `!!int`,
  `!!float`, `!!bool`, `!!null`, `!!map` and `!!seq` are accepted; anchors (`&a`)
  and aliases (`*a`) are refused — write values out in full.
- **Keys are text and appear once.** A duplicate key is reported with the line of
  both; a key that is a number, `true`, `null` or a list is refused (quote it).
- **Unquoted values follow YAML 1.2, not 1.1.** Only `true` and `false` (also
  `True`, `TRUE`, `False`, `FALSE`) are booleans; `yes`, `no`, `on`, `off`, `y`, `n`
  are text, so a true/false field refuses them and names the fix. Numbers are
  plain decimals without a leading zero (`12`, `-3`, `0.5`, `1e3`): `012`, `0o12`,
  `0x1A`, `1_000` and `1:20` stay text instead of becoming 10, 10, 26, 1000 or 80.
  Unquoted dates stay text. `.nan`, `.inf`, numbers too large for a float and
  integers of more than 18 digits are refused.
- **Text fields get what was typed.** An unquoted `2024`, `1.10` or `true` in a
  text field is the text `2024`, `1.10` or `true`. Text is stripped of surrounding
  spaces; it may not contain control characters or bidirectional overrides, and
  only `project.summary` may span several lines.
- **Whole numbers are whole.** `3.0`, `"3"` and `true` are refused where a whole
  number is expected.
- **Empty means not given.** `key:` with no value, `~` or `null` means the field is
  absent: its default applies, and a required field is reported missing. Empty
  optional text is absent too.
- **Unknown keys are errors,** with a "did you mean" suggestion (also when a
  field sits in the wrong section).
- **Lists name each item once.** `clouds`, `brief.formats`, `workload.libraries`
  (ignoring case) and `frameworks` may not repeat an item; a repeat is an error,
  because it usually hides a typo for another item.

## Framework ids

`frameworks` is `all` (every framework in the knowledge base, in its order) or a
non-empty list. Each id is normalised before it is checked: surrounding spaces
removed, lower-cased, and runs of spaces or hyphens turned into one `_` — so
`MLflow`, ` Vertex AI ` and `azure-ml` mean `mlflow`, `vertex_ai` and
`azure_ml`. Two entries that normalise to the same id are an error. `all`
must stand alone. The known ids are those of the knowledge base (plus any
`--knowledge` folders); the bundled ones are:
{frameworks}.

## Criterion ids (keys of `priorities`)

{criteria}. Weights are numbers from 0 to 10; they may not all be 0.

## Files named in a profile

- `brief.output` is a base name, not a path: 1 to 100 bytes of `A-Z a-z 0-9 . _ -`,
  starting with a letter or digit, not ending with a dot or with an extension
  (`.pdf`, `.docx`, `.json`, `.md` are added by briefgen), and not a Windows
  device name (`CON`, `NUL`, `COM1` ...). Default: the profile's file name.
- `brief.logo` is a relative path inside the profile's folder: no absolute path,
  no `..`, no symbolic link that leads out, `/` between folders, a `.png`, `.jpg`
  or `.jpeg` that exists, is at most 5 MiB and really is a PNG or JPEG.
- `project.date` is a real date written `YYYY-MM-DD` (quote it so other YAML
  tools read it as text too).

## Fields

Required fields are marked **required**; the others show their default.
"""

_OUTRO = """
## Cross-field rules

- `team.data_scientists + team.ml_engineers` may not exceed `team.size`.
- `schema_version` must be {version}; a higher version is reported as newer than
  this briefgen reads.

## Problems

Every problem in a file is reported at once, one per line, on stderr:

    FILE:LINE:COLUMN: field.path: what is wrong (what is allowed)

Lines and columns count from 1. List items appear as `field[0]` (counting from
0). `briefgen validate` prints one line per file on stdout — `ok   FILE` or
`FAIL FILE (N problems)` — and, for several files, a final `N of M profiles
valid`. It exits 0 when every file is valid and 1 otherwise. Nothing is rendered
from an invalid profile.

`briefgen init [PATH]` writes the starter to `PATH` (default `profile.yaml`). It
refuses to overwrite an existing file unless `--force` is given, with one line on
stderr and exit code 2 (a usage error: nothing was wrong with any input).
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _type_text(spec: FieldSpec) -> str:
    if spec.kind == "str":
        limit = f", at most {spec.max_length} characters" if spec.max_length else ""
        return ("text, several lines" if spec.multiline else "text") + limit
    if spec.kind == "str_list":
        return f"list of text (at most {spec.maximum} items of {spec.max_length} characters)"
    if spec.kind == "enum_list" and spec.path != "frameworks":
        return "list of " + ", ".join(f"`{c}`" for c in spec.choices) + (" (at least one)" if spec.minimum else "")
    if spec.kind == "enum":
        return "one of " + ", ".join(f"`{c}`" for c in spec.choices)
    return allowed(spec)


def _default_text(spec: FieldSpec) -> str:
    if spec.required:
        return "**required**"
    if spec.path == "frameworks":
        return "`all`"
    if spec.default is None:
        return "—"
    if isinstance(spec.default, tuple):
        return "`[" + ", ".join(spec.default) + "]`"
    if isinstance(spec.default, bool):
        return "`true`" if spec.default else "`false`"
    return f"`{spec.default}`"


def markdown() -> str:
    """The reference page docs/profile-format.md, generated from FIELDS."""
    lines = [_INTRO.format(
        version=SCHEMA_VERSION,
        frameworks=", ".join(f"`{f}`" for f in FRAMEWORK_IDS),
        criteria=", ".join(f"`{c}`" for c in CRITERIA),
    )]
    for name in _top_level():
        lines.append(f"### `{name}`\n")
        lines.append(SECTION_DESCRIPTIONS[name] + "\n")
        lines.append("| Field | Type | Default | Description |")
        lines.append("|---|---|---|---|")
        for spec in FIELDS:
            if spec.path == name or spec.path.startswith(name + "."):
                lines.append(f"| `{spec.path}` | {_cell(_type_text(spec))} | {_default_text(spec)} | "
                             f"{_cell(spec.description)} |")
        lines.append("")
    lines.append(_OUTRO.format(version=SCHEMA_VERSION).lstrip("\n"))
    return "\n".join(lines).rstrip("\n") + "\n"
