"""Profile version 2: its fields, their defaults for version-1 files, unknown tools, and exact locations."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import InputError
from generator.profile import (
    COMPUTE,
    FIELDS,
    FIELDS_BY_PATH,
    GOALS,
    SCHEMA_VERSION,
    TOOL_IDS,
    Constraints,
    Current,
    Stakeholder,
    Team,
    Workload,
    load_profile,
)
from generator.profile.validate import profile_from_text
from generator.scoring.provenance import provenance

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "data" / "profiles").glob("*.yaml"))
# The eight examples as they were in version 1, before the version-2 fields were filled in.
V1_COPIES = sorted((ROOT / "tests" / "profiles_v1").glob("*.yaml"))
STARTER = ROOT / "templates" / "starter-profile.yaml"
V2_FIELDS = [f for f in FIELDS if f.since == 2]

MINIMAL = """\
schema_version: 2
project:
  name: Minimal
team:
  size: 4
  kubernetes_skill: none
infrastructure:
  kubernetes: none
"""


def load(text: str):
    return profile_from_text(text, "p.yaml")


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load(text)
    return [str(p) for p in info.value.problems]


# -- the examples and the starter ---------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_is_version_2_and_loads_without_warnings(path):
    """Each bundled example is a version-2 profile that validates with no problem and no warning."""
    profile = load_profile(path)
    assert profile.schema_version == 2
    assert profile.warnings == ()


def test_examples_have_distinct_output_names():
    """No two examples write the same files, so `make demo` keeps every brief."""
    names = [load_profile(p).output_name for p in EXAMPLES]
    assert len(names) == len(set(names))


def test_starter_profile_is_version_2_and_valid():
    """`briefgen init` writes a version-2 profile that loads cleanly and sets every version-2 section."""
    text = STARTER.read_text(encoding="utf-8")
    profile = load_profile(STARTER)
    assert profile.schema_version == SCHEMA_VERSION == 2
    assert profile.warnings == ()
    for key in ("primary_users:", "teams:", "current:", "goals:", "saas_allowed:", "lock_in:", "runs_per_week:",
                "stakeholders:"):
        assert key in text, key


# -- version 1 keeps its meaning ------------------------------------------------------------


def test_the_version_1_copies_are_the_eight_examples():
    """Every version-1 copy has its version-2 example of the same name."""
    assert len(V1_COPIES) == 8
    assert {p.name for p in V1_COPIES} <= {p.name for p in EXAMPLES}


@pytest.mark.parametrize("path", V1_COPIES, ids=lambda p: p.stem)
def test_version_1_file_loads_with_the_documented_defaults(path):
    """A version-1 file loads, and every version-2 field holds its documented default."""
    profile = load_profile(path)
    assert profile.schema_version == 1
    for spec in V2_FIELDS:
        assert profile.get(spec.path) == spec.default, spec.path


@pytest.mark.parametrize("path", V1_COPIES, ids=lambda p: p.stem)
def test_version_2_example_says_what_its_version_1_said(path):
    """Upgrading an example added fields and changed none: with the v2 fields reset, the records are equal."""
    old = load_profile(path)
    new = load_profile(ROOT / "data" / "profiles" / path.name)
    reset = replace(
        new,
        schema_version=1,
        source=old.source,
        team=replace(new.team, primary_users="mixed", teams=1),
        workload=replace(new.workload, runs_per_week=None),
        constraints=replace(new.constraints, saas_allowed=True, lock_in="accept"),
        current=Current(),
        goals=(),
        stakeholders=(),
    )
    assert reset == old


def test_defaults_of_the_records_match_the_documented_defaults():
    """The record defaults of the version-2 fields are those FIELDS documents (and the page shows)."""
    records = {"team": Team, "workload": Workload, "constraints": Constraints, "current": Current}
    for spec in V2_FIELDS:
        head, _, leaf = spec.path.partition(".")
        if leaf:
            default = {f.name: f.default for f in fields(records[head])}[leaf]
            assert default == spec.default, spec.path
    assert load(MINIMAL).goals == FIELDS_BY_PATH["goals"].default == ()


def test_version_2_field_in_a_version_1_file_names_the_fix():
    """A v2 field in a v1 file is one problem at its key, saying which version it needs."""
    text = MINIMAL.replace("schema_version: 2", "schema_version: 1") + "goals: [cost]\n"
    assert problems(text) == [
        "p.yaml:9:1: goals: needs schema_version: 2 (this file says schema_version: 1); change schema_version "
        "to 2 to use it",
    ]


# -- every new field ----------------------------------------------------------------------

VALID = [
    *((f"team:\n  size: 4\n  kubernetes_skill: none\n  primary_users: {v}\n", "team.primary_users", v)
      for v in ("data_scientists", "ml_engineers", "researchers", "mixed")),
    ("team:\n  size: 4\n  kubernetes_skill: none\n  teams: 12\n", "team.teams", 12),
    *((f"current:\n  compute: [{v}]\n", "current.compute", (v,)) for v in COMPUTE),
    *((f"current:\n  tools: [{v}]\n", "current.tools", (v,)) for v in TOOL_IDS),
    ("current:\n  tools: [MLflow, AWS Batch, Vertex-AI]\n", "current.tools", ("mlflow", "aws_batch", "vertex_ai")),
    ("current:\n  keep: [airflow, spark]\n", "current.keep", ("airflow", "spark")),
    ("current:\n  replacing: [in_house, dvc]\n", "current.replacing", ("in_house", "dvc")),
    *((f"goals: [{v}]\n", "goals", (v,)) for v in GOALS),
    ("goals: [cost, scale, governance]\n", "goals", ("cost", "scale", "governance")),
    ("constraints:\n  saas_allowed: false\n", "constraints.saas_allowed", False),
    *((f"constraints:\n  lock_in: {v}\n", "constraints.lock_in", v) for v in ("avoid", "accept")),
    *((f"workload:\n  runs_per_week: {v}\n", "workload.runs_per_week", v)
      for v in ("few", "tens", "hundreds", "thousands")),
    ("stakeholders:\n  - name: CTO\n    weight: 2.5\n    priorities: {cost: 9}\n  - name: Lead\n",
     "stakeholders", (Stakeholder("CTO", 2.5, {"cost": 9.0}), Stakeholder("Lead", 1.0, {}))),
]


def _with(extra: str) -> str:
    head = extra.split(":", 1)[0]
    base = MINIMAL
    if head == "team":  # replace the minimal team section rather than add a second one
        base = base.replace("team:\n  size: 4\n  kubernetes_skill: none\n", "")
    return base + extra


@pytest.mark.parametrize("extra, path, value", VALID, ids=lambda v: v if isinstance(v, str) and "\n" not in v else None)
def test_valid_version_2_values_reach_the_record(extra, path, value):
    """Each allowed value of each new field loads, normalised, and Profile.get returns it."""
    profile = load(_with(extra))
    assert profile.get(path) == value
    assert profile.warnings == ()


@pytest.mark.parametrize("path", [f.path for f in V2_FIELDS] + ["current"])
def test_profile_get_resolves_every_new_path(path):
    """Rules in the knowledge base can test every version-2 path."""
    profile = load(MINIMAL)
    expected = Current() if path == "current" else FIELDS_BY_PATH[path].default
    assert profile.get(path) == expected


def test_keep_counts_without_being_listed_in_tools():
    """A kept tool need not be repeated in tools: no problem, and it stays in keep."""
    profile = load(MINIMAL + "current:\n  tools: [spark]\n  keep: [airflow]\n")
    assert profile.current == Current(tools=("spark",), keep=("airflow",))


# -- unknown tools: kept and warned about ------------------------------------------------------


def test_unknown_tool_is_kept_and_warned_about_with_its_location():
    """An unknown tool name stays in the record (normalised) and is a warning at its line and column."""
    profile = load(MINIMAL + "current:\n  tools: [Airflow, sparkk, Air Byte]\n  keep: [tecton]\n")
    assert profile.current.tools == ("airflow", "sparkk", "air_byte")
    assert profile.current.keep == ("tecton",)
    assert [str(w) for w in profile.warnings] == [
        "p.yaml:10:20: current.tools[1]: unknown tool 'sparkk'; did you mean 'spark'? (kept, but briefgen knows "
        "nothing about it)",
        "p.yaml:10:28: current.tools[2]: unknown tool 'Air Byte' (kept, but briefgen knows nothing about it)",
        "p.yaml:11:10: current.keep[0]: unknown tool 'tecton' (kept, but briefgen knows nothing about it)",
    ]


def test_an_unknown_tool_keeps_its_first_spelling_for_the_brief_but_not_for_the_digest():
    """"Air Byte" is shown as written wherever it appears; spelling it "air byte" leaves the profile equal."""
    first = load(MINIMAL + "current:\n  tools: [Air Byte, sparkk]\n  keep: [air byte]\n")
    second = load(MINIMAL + "current:\n  tools: [air byte, sparkk]\n  keep: [air byte]\n")
    assert first.current.spelled == {"air_byte": "Air Byte", "sparkk": "sparkk"}
    assert second.current.spelled["air_byte"] == "air byte"
    assert first == second
    assert provenance(first, "kb", "2026-12-01") == provenance(second, "kb", "2026-12-01")


def test_validate_prints_the_warning_and_still_passes(tmp_path, capsys):
    """`briefgen validate` shows the warning on stderr, says ok and exits 0."""
    path = tmp_path / "p.yaml"
    path.write_text(MINIMAL + "current:\n  replacing: [airbyt]\n", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert info.value.code == 0
    assert out == f"ok   {path}\n"
    assert err == f"warning: {path}:10:15: current.replacing[0]: unknown tool 'airbyt' (kept, but briefgen " \
                  "knows nothing about it)\n"


def test_validate_json_carries_the_profile_warnings(tmp_path, capsys):
    """`validate --json`: a warning is data like a problem (dotted path, line, column); the file stays valid."""
    import json

    path = tmp_path / "p.yaml"
    path.write_text(MINIMAL + "current:\n  replacing: [airbyt]\n", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["validate", "--json", str(path)])
    out, err = capsys.readouterr()
    assert info.value.code == 0 and err == ""
    assert json.loads(out) == {
        "path": str(path), "valid": True, "problems": [],
        "warnings": [{"path": "current.replacing[0]", "line": 10, "column": 15,
                      "message": "unknown tool 'airbyt' (kept, but briefgen knows nothing about it)"}],
    }


def test_validate_warnings_and_errors_keep_their_own_prefixes(tmp_path, capsys):
    """Among several files, a warning line starts 'warning: ' and every problem line 'briefgen: error: '."""
    warned = tmp_path / "warned.yaml"
    warned.write_text(MINIMAL + "current:\n  tools: [sparkk]\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINIMAL.replace("size: 4", "size: -3") + "current:\n  keep: [tecton]\n", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["validate", str(warned), str(broken)])
    out, err = capsys.readouterr()
    assert info.value.code == 1
    assert out == f"ok   {warned}\nFAIL {broken} (1 problem)\n1 of 2 profiles valid\n"
    assert err.splitlines() == [
        f"warning: {warned}:10:11: current.tools[0]: unknown tool 'sparkk'; did you mean 'spark'? (kept, but "
        "briefgen knows nothing about it)",
        f"briefgen: error: {broken}:5:9: team.size: must be at least 1 (got -3)",
    ]


def test_tool_both_kept_and_replaced_is_an_error_naming_both_places():
    """Kept and replaced at once is an error naming both places; a replaced tool may still be in tools."""
    assert problems(MINIMAL + "current:\n  tools: [dvc]\n  keep: [dvc]\n  replacing: [DVC]\n") == [
        "p.yaml:12:15: current.replacing[0]: 'dvc' is also in current.keep (line 11, column 10); a tool cannot be "
        "both kept and replaced: remove it from one of them",
    ]
    assert load(MINIMAL + "current:\n  tools: [dvc]\n  replacing: [dvc]\n").current.replacing == ("dvc",)


# -- empty and null values: reported at the key ---------------------------------------------------

REQUIRED_IN_MINIMAL = {
    "project.name": ("  name: Minimal\n", "  name:{}\n", 3, 3, "text"),
    "team.size": ("  size: 4\n", "  size:{}\n", 5, 3, "a whole number from 1 to 100000"),
    "team.kubernetes_skill": ("  kubernetes_skill: none\n", "  kubernetes_skill:{}\n", 6, 3,
                              "one of none, basic, intermediate, expert"),
    "infrastructure.kubernetes": ("  kubernetes: none\n", "  kubernetes:{}\n", 8, 3,
                                  "one of none, planned, self_managed, managed"),
}
SHAPES = {"empty": "", "tilde": " ~", "null": " null", "Null": " Null"}


def test_the_table_covers_every_required_field():
    """Every required field (besides schema_version) is in the location table below."""
    assert {f.path for f in FIELDS if f.required} == set(REQUIRED_IN_MINIMAL) | {"schema_version"}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("path", REQUIRED_IN_MINIMAL)
def test_empty_or_null_required_value_is_reported_at_its_key(path, shape):
    """`key:`, `key: ~` and `key: null` are reported at the key's own line and column."""
    good, bad, line, column, allowed = REQUIRED_IN_MINIMAL[path]
    text = MINIMAL.replace(good, bad.format(SHAPES[shape]))
    assert problems(text) == [f"p.yaml:{line}:{column}: {path}: is required ({allowed})"]


@pytest.mark.parametrize("shape", SHAPES)
def test_empty_schema_version_is_reported_at_its_key(shape):
    """schema_version written empty is reported where it is written, not at the top of the file."""
    text = "# a comment first\n" + MINIMAL.replace("schema_version: 2", "schema_version:" + SHAPES[shape])
    assert problems(text) == ["p.yaml:2:1: schema_version: is required (write `schema_version: 2` at the top)"]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("section, line, required", [("team", 4, "size and kubernetes_skill"),
                                                     ("infrastructure", 7, "kubernetes"),
                                                     ("project", 2, "name")])
def test_empty_section_with_required_fields_is_one_problem_at_its_key(section, line, required, shape):
    """A section written with nothing under it is one problem at the section's key."""
    lines = MINIMAL.splitlines(keepends=True)
    start = next(i for i, text in enumerate(lines) if text.startswith(section + ":"))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
    text = "".join(lines[:start] + [f"{section}:{SHAPES[shape]}\n"] + lines[end:])
    assert problems(text) == [f"p.yaml:{line}:1: {section}: must not be empty (a section with {required})"]


@pytest.mark.parametrize("shape", SHAPES)
def test_empty_stakeholder_name_is_reported_at_its_key(shape):
    """A stakeholder's `name:` left empty is reported at that key, inside the list."""
    text = MINIMAL + "stakeholders:\n  - name: CTO\n  - weight: 2\n    name:" + SHAPES[shape] + "\n"
    assert problems(text) == ["p.yaml:12:5: stakeholders[1].name: is required (text)"]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("key", ["infrastructure:\n  kubernetes: none\n  clouds:", "current:\n  tools:", "goals:",
                                 "stakeholders:", "constraints:\n  saas_allowed:", "workload:\n  runs_per_week:"])
def test_empty_optional_value_means_not_given(key, shape):
    """An optional field written empty takes its default, as the reference page says."""
    base = MINIMAL.replace("infrastructure:\n  kubernetes: none\n", "") if key.startswith("infra") else MINIMAL
    profile = load(base + key + SHAPES[shape] + "\n")
    assert profile == load(MINIMAL)


@pytest.mark.parametrize(("second", "message"), [
    ('"Zoe\\u0308"', "is named twice (already at line 10, column 5)"),
    ('"Zoë\\u200e"', "stakeholders[1].name: contains the invisible character U+200E at position 4"),
    ('"Zo\\u00adë"', "stakeholders[1].name: contains the control character U+00AD at position 3"),
    ('"Zo\\u200dë"', "is named twice (already at line 10, column 5)"),
    ('"Zo\\u034fë"', "is named twice (already at line 10, column 5)"),
    ('"Zoë\\ufe0f"', "is named twice (already at line 10, column 5)"),
    ('"Zo\\u2062ë"', "is named twice (already at line 10, column 5)"),
    ('"Zoë\\u3164"', "is named twice (already at line 10, column 5)"),
    ('"Zoë\\u2800"', "is named twice (already at line 10, column 5)"),
    ('"Ｚｏë"', "is named twice (already at line 10, column 5)"),
], ids=["combining-diaeresis", "left-to-right-mark", "soft-hyphen", "zero-width-joiner", "grapheme-joiner",
        "variation-selector", "invisible-times", "hangul-filler", "braille-blank", "fullwidth"])
def test_two_stakeholder_names_that_print_alike_are_refused(second, message):
    """'Zoë' typed precomposed and decomposed, or with a mark that prints as nothing, is not a second stakeholder."""
    found = problems(MINIMAL + f'stakeholders:\n  - name: "Zoë"\n  - name: {second}\n')
    assert any(message in p for p in found), found


def test_a_workload_without_serving_beside_a_serving_need_is_a_warning_at_the_need():
    """'serving: none' with model serving a must (and no distributed training with it a should) warns at the need,
    naming where the workload says otherwise; left to its default, the workload says nothing to contradict."""
    profile = load(MINIMAL + "workload:\n  serving: none\n  distributed_training: false\n"
                   "needs:\n  model_serving: must\n  distributed_training: should\n")
    assert [str(w) for w in profile.warnings] == [
        "p.yaml:13:18: needs.model_serving: is rated must, but workload.serving says no model serving (line 10, "
        "column 3); change one of them",
        "p.yaml:14:25: needs.distributed_training: is rated should, but workload.distributed_training says no "
        "distributed training (line 11, column 3); change one of them",
    ]
    assert load(MINIMAL + "needs:\n  model_serving: must\n").warnings == ()
