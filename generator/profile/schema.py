"""The profile format published two ways from ``profile.FIELDS``: JSON Schema and a reference page.

``briefgen schema`` prints :func:`json_schema`; ``briefgen schema --markdown`` prints
:func:`markdown`, which is docs/profile-format.md (a test keeps the committed page
equal to it). Neither can drift from the validator, which reads the same FIELDS.
"""

from __future__ import annotations

from typing import Any

from generator.profile.model import (
    CRITERIA,
    FIELDS,
    FRAMEWORK_IDS,
    IN_HOUSE,
    SCHEMA_VERSION,
    SCHEMA_VERSIONS,
    TOOL_IDS,
    FieldSpec,
)
from generator.profile.validate import STAKEHOLDER_WEIGHT_MAX, TOOL_LISTS, allowed  # shared wording with the validator's messages

DRAFT = "https://json-schema.org/draft/2020-12/schema"

SECTION_DESCRIPTIONS = {
    "schema_version": "Version of the profile format.",
    "project": "What the brief is about and who it is for.",
    "team": "The people who will build and run ML with the chosen framework.",
    "current": "What exists today: tools in use, tools that must stay, where compute runs, what is being replaced.",
    "infrastructure": "Where the workloads run.",
    "workload": "What the ML workloads look like.",
    "needs": "How much the project needs each capability, in MoSCoW terms (must, should, could, wont).",
    "constraints": "Rules the choice must respect.",
    "goals": "What the choice should improve, most important first.",
    "stakeholders": "People whose priorities count; their priorities are combined into the group's weights.",
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


def _priorities_schema() -> dict[str, Any]:
    return {"type": "object", "propertyNames": {"enum": list(CRITERIA)},
            "additionalProperties": {"type": "number", "minimum": 0, "maximum": 10}}


def _field_schema(spec: FieldSpec, frameworks: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {"description": spec.description}
    if spec.path == "schema_version":
        out.update(type="integer", enum=list(SCHEMA_VERSIONS))
    elif spec.path in TOOL_LISTS:
        known = list(dict.fromkeys(frameworks + TOOL_IDS + ((IN_HOUSE,) if spec.path == "current.replacing" else ())))
        out.update(type="array", uniqueItems=True, maxItems=spec.maximum, items={"anyOf": [
            {"enum": known, "description": "A known id."},
            {"type": "string", "minLength": 1, "maxLength": spec.max_length, "pattern": _SINGLE_LINE,
             "description": "Another tool: accepted, with a warning."},
        ]})
    elif spec.kind == "stakeholder_list":
        out.update(type="array", maxItems=spec.maximum, items={
            "type": "object",
            "properties": {
                "name": {"description": "Who this is (each name once).", "type": "string", "minLength": 1,
                         "maxLength": 200, "pattern": _SINGLE_LINE},
                "weight": {"description": f"How much this person's view counts, above 0 and at most {STAKEHOLDER_WEIGHT_MAX}.",
                           "type": "number", "exclusiveMinimum": 0, "maximum": STAKEHOLDER_WEIGHT_MAX, "default": 1},
                "priorities": {"description": "Criterion id -> weight 0..10, as the top-level priorities.",
                               **_priorities_schema()},
            },
            "required": ["name"],
            "additionalProperties": False,
        })
    elif spec.path == "frameworks":
        out["oneOf"] = [
            {"const": "all", "description": "Every framework in the knowledge base."},
            {"type": "array", "items": {"enum": list(frameworks)}, "minItems": 1, "uniqueItems": True},
        ]
    elif spec.path == "priorities":
        out.update(_priorities_schema())
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
        if spec.path == "brief.templates":
            out["pattern"] = "^[^/\\\\]"
    if spec.default not in (None, ()) and spec.path != "frameworks":
        out["default"] = list(spec.default) if isinstance(spec.default, tuple) else spec.default
    elif spec.path == "frameworks":
        out["default"] = "all"
    return {k: v for k, v in out.items() if v is not None}


def _version_1_rule() -> dict[str, Any]:
    """With `schema_version: 1`, the fields added later are refused (as the validator refuses them)."""
    refused = {"description": f"Needs schema_version: {SCHEMA_VERSION}.", "not": {}}
    newer: dict[str, Any] = {}
    for head in _top_level():
        specs = [f for f in FIELDS if f.path == head or f.path.startswith(head + ".")]
        later = [f for f in specs if f.since > 1]
        if len(later) == len(specs):
            newer[head] = refused
        elif later:
            newer[head] = {"description": f"Some fields need schema_version: {SCHEMA_VERSION}.",
                           "properties": {f.path.split(".", 1)[1]: refused for f in later}}
    version_1 = {"description": "A version-1 profile.", "const": 1}
    return {"if": {"properties": {"schema_version": version_1}, "required": ["schema_version"]},
            "then": {"properties": newer}}


def json_schema(known_frameworks: tuple[str, ...] = FRAMEWORK_IDS) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of profile version 2, which also accepts version 1 files.

    Every field described, no unknown keys; a version-1 file may not use the fields added in version 2.
    """
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
        "allOf": [_version_1_rule()],
    }


# -- the reference page -------------------------------------------------------


def _normalising_examples() -> dict[str, str]:
    """Spellings that normalise to known ids, drawn from FRAMEWORK_IDS (ids are data, never literals in code)."""
    first = FRAMEWORK_IDS[0]
    two_words = [f for f in FRAMEWORK_IDS if "_" in f]
    second, third = two_words[0], two_words[-1]
    return {
        "upper": first.upper(),
        "spaced": second.replace("_", " ").upper(),
        "hyphened": third.replace("_", "-"),
        "first": first,
        "second": second,
        "third": third,
    }


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
  spaces; it may not contain control characters, bidirectional overrides or the
  invisible zero-width space, word joiner and byte-order mark, and only
  `project.summary` may span several lines.
- **Whole numbers are whole.** `3.0`, `"3"` and `true` are refused where a whole
  number is expected.
- **Empty means not given.** `key:` with no value, `~` or `null` means the field is
  absent: its default applies, and a required field is reported missing. Empty
  optional text is absent too. The brief does not state a default as a fact of
  your situation: platform team, GPUs, data volume and serving left out are
  listed once as "Not stated, so assumed: ...", and models in production (and
  serving, beside a serving need) as "not stated"; the adoption plan does not
  count models it was not told about.
- **Unknown keys are errors,** with a "did you mean" suggestion (also when a
  field sits in the wrong section).
- **Lists name each item once.** `clouds`, `brief.formats`, `workload.libraries`
  (ignoring case), `frameworks`, `goals`, the lists under `current` (after
  normalising) and stakeholder names (ignoring case) may not repeat an item; a
  repeat is an error, because it usually hides a typo for another item.

## Versions

`schema_version: 2` is the current format and what `briefgen init` writes. It
adds `team.primary_users`, `team.teams`, the `current` section, `goals`,
`constraints.saas_allowed`, `constraints.lock_in`, `workload.runs_per_week` and
`stakeholders`. Every one of them is optional, and its default describes the
situation a version-1 profile could not express, so a version-1 file keeps
loading unchanged and means exactly what it meant before:

| Field | Default (also for every version-1 file) |
|---|---|
{version_defaults}

A version-1 file that uses a version-2 field is refused with the fix
(`needs schema_version: 2`). The JSON Schema accepts both versions and applies
the same rule.

## Framework ids

`frameworks` is `all` (every framework in the knowledge base, in its order) or a
non-empty list. Each id is normalised before it is checked: surrounding spaces
removed, lower-cased, and runs of spaces or hyphens turned into one `_` — so
`{upper}`, ` {spaced} ` and `{hyphened}` mean `{first}`, `{second}` and
`{third}`. Two entries that normalise to the same id are an error. `all`
must stand alone. The known ids are those of the knowledge base (plus any
`--knowledge` folders); the bundled ones are:
{frameworks}.

## Criterion ids (keys of `priorities`)

{criteria}. Weights are numbers from 0 to 10; they may not all be 0 (performance, never weighed, does not count).

## Tool ids (`current.tools`, `current.keep`, `current.replacing`)

Besides the framework ids, the known tools are {tools}. They are normalised like
framework ids (`AWS Batch`, `aws-batch` and `AWS_Batch` all mean `aws_batch`).
`current.replacing` also accepts `in_house` for a home-grown system. A name
briefgen does not know is **kept** (normalised) and reported as a warning with
its line, column and a "did you mean" where one is close — not refused, because
a team may well run a tool this list lacks; it simply gets no credit.

## What the version-2 fields mean

- `team.primary_users`: who works in the tool every day — data scientists,
  ML engineers, researchers, or a mix. Ease of use is judged for them.
- `team.teams`: how many teams will share the platform; above 1, isolation
  between teams (multi-tenancy) starts to matter.
- `current.tools`: what is in use today. It stands for familiarity and for the
  cost of switching: a pick the team already knows costs less to adopt, and a
  pick that would take over the job of a tool in use (without working with it)
  means moving the team off that tool, so it fits the current tools less. (A
  place where jobs run, such as AWS Batch, is the exception when the pick runs
  on none of `current.compute`: infrastructure fit already counts that move, and
  one cost counts once.)
- `current.keep`: what must stay. The pick has to work with these tools. A
  tool listed in `keep` counts as in use even if `tools` does not repeat it
  (no need to list it twice). A tool both kept and replaced is an error.
- `current.compute`: where training and pipelines run — a laptop, plain
  virtual machines, Kubernetes, a Slurm cluster, Databricks, a cloud ML
  platform or serverless batch. It decides infrastructure fit (a Slurm cluster
  is not a cloud ML platform). Work on laptops alone is nothing the team has
  set up: a framework that cannot run there is not charged for moving it.
- `current.replacing`: what the choice replaces (framework or tool ids, or
  `in_house`). A replaced framework is not an option. A framework that the
  knowledge base records as running the replaced tool's existing work
  unchanged (its pipelines, or the logging calls in the training code) fits
  the current tools a level better, since it spares the rewrite.
- `goals`: what the choice should improve, **most important first**; each
  goal once. Goals shape which criteria weigh most, and the brief names them.
- `constraints.saas_allowed`: may data or metadata go to a third-party
  hosted service (a SaaS product run by its vendor)? `false` rules such
  services out. Managed services in the team's own cloud account are
  governed by `constraints.managed_services`, not by this field.
- `constraints.lock_in`: `avoid` when the team wants to be able to move away
  (open formats, portable code); `accept` when lock-in is a fair price for
  other gains.
- `workload.runs_per_week`: how many pipeline or training runs a week — a
  few, tens, hundreds or thousands. Not given means unknown.
- `stakeholders`: several people's priorities. Each has a `name` (required,
  each name once, ignoring case), an optional `weight` above 0 and at most 1000 (default 1:
  how much that person's view counts) and `priorities` (criterion id -> 0..10,
  the same rules as the top-level `priorities`). Their priorities are combined
  into the group's weights by a weighted geometric mean — the usual way of
  combining individual judgements — and the brief says where they disagree.

## Files named in a profile

- `brief.output` is a base name, not a path: 1 to 100 bytes of `A-Z a-z 0-9 . _ -`,
  starting with a letter or digit, not ending with a dot or with an extension
  (`.pdf`, `.docx`, `.json`, `.md` are added by briefgen), and not a Windows
  device name (`CON`, `NUL`, `COM1` ...). Default: the profile's file name.
- `brief.logo` is a relative path inside the profile's folder: no absolute path,
  no `..`, no symbolic link that leads out, `/` between folders, a `.png`, `.jpg`
  or `.jpeg` that exists, is at most 5 MiB and really is a PNG or JPEG.
- `brief.templates` is a folder inside the profile's folder, by the same rules as
  the logo, holding at least one of the files `briefgen templates export` writes
  (`executive.yaml`, `technical.yaml`, `theme.yaml`, `reference.docx`); neither the
  folder nor a file in it may be a symbolic link that leads out. Its templates are
  checked when the brief is made and a problem in one is reported at this field.
  It wins over `--templates` for this profile.
- `project.date` is a real date written `YYYY-MM-DD` (quote it so other YAML
  tools read it as text too). A date before the knowledge base's date ("Knowledge
  as of" on the brief) is kept, with a warning: the brief would cite pages read
  after its own date.

## Fields

Required fields are marked **required**; the others show their default.
"""

_OUTRO = """
## Cross-field rules

- `team.data_scientists + team.ml_engineers` may not exceed `team.size`.
- A tool may not be in both `current.keep` and `current.replacing`; the
  problem names where each is written.
- `workload.serving: none` beside `needs.model_serving` rated `must` or
  `should` (and `workload.distributed_training: false` beside
  `needs.distributed_training` so rated) is a warning at the need: the brief
  would state both.
- `schema_version` must be 1 or {version}; a higher version is reported as
  newer than this briefgen reads, and a version-2 field in a version-1 file is
  refused.

## Problems

Every problem in a file is reported at once, one per line, on stderr:

    briefgen: error: FILE:LINE:COLUMN: field.path: what is wrong (what is allowed)

Lines and columns count from 1. List items appear as `field[0]` (counting from
0). `briefgen validate` prints one line per file on stdout — `ok   FILE` or
`FAIL FILE (N problems)` — and, for several files, a final `N of M profiles
valid`. It exits 0 when every file is valid and 1 otherwise. Nothing is rendered
from an invalid profile.

A warning (so far only an unknown tool name) is one line on stderr,
`warning: FILE:LINE:COLUMN: field.path: what was found`; it does not make the
file invalid. `briefgen validate` and `briefgen render` show it;
`briefgen validate --json` lists it under `warnings`, shaped like a problem
(`path`, `line`, `column`, `message`).

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
    if spec.path in TOOL_LISTS:
        return f"list of tool ids (at most {spec.maximum})"
    if spec.kind == "stakeholder_list":
        return f"list of `name`, `weight`, `priorities` (at most {spec.maximum})"
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
        **_normalising_examples(),
        criteria=", ".join(f"`{c}`" for c in CRITERIA),
        tools=", ".join(f"`{t}`" for t in TOOL_IDS),
        version_defaults="\n".join(f"| `{f.path}` | {_default_text(f) if f.default is not None else 'not given'} |"
                                   for f in FIELDS if f.since > 1),
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
