"""The published JSON Schema and reference page: valid, complete, and in step with FIELDS."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from generator.profile import FIELDS
from generator.profile.schema import json_schema, markdown
from generator.profile.yamlsafe import load_yaml_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "data" / "profiles").glob("*.yaml")) + [ROOT / "templates" / "starter-profile.yaml"]
CORPUS = ROOT / "tests" / "invalid_profiles"
SCHEMA_REJECTS = [
    "unknown-top-level-key", "unknown-nested-key", "enum-wrong-case", "schema-version-newer", "float-for-int",
    "quoted-int", "norway-no-as-boolean", "output-path-traversal", "formats-empty", "priority-out-of-range",
    "priority-unknown-criterion", "framework-unknown", "clouds-duplicate", "required-field-missing",
    "required-section-missing", "date-wrong-format", "text-too-long",
]


def read(path: Path):
    """Data as an editor's YAML 1.2 parser sees it (PyYAML's safe_load would turn `no` into false)."""
    return load_yaml_file(path).data


def validator() -> Draft202012Validator:
    return Draft202012Validator(json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_schema_is_a_valid_draft_2020_12_schema():
    """The schema passes the metaschema check of draft 2020-12 and says so in $schema."""
    schema = json_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_schema_accepts_every_example_profile_and_the_starter(path):
    """Each bundled example profile and the `init` starter are valid against the schema."""
    errors = [e.message for e in validator().iter_errors(read(path))]
    assert errors == []


@pytest.mark.parametrize("name", SCHEMA_REJECTS)
def test_schema_rejects_invalid_profiles(name):
    """Invalid corpus profiles that an editor can catch are rejected by the schema too."""
    assert list(validator().iter_errors(read(CORPUS / f"{name}.yaml"))), name


def _objects(node, where="$"):
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _objects(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _objects(value, f"{where}[{i}]")


def test_every_field_and_section_has_a_description():
    """Every property in the schema carries a description, for editor hovers."""
    for where, node in _objects(json_schema()):
        for name, prop in node.get("properties", {}).items():
            assert prop.get("description"), f"{where}.{name}"


def test_schema_forbids_unknown_keys_everywhere():
    """The root and every section set additionalProperties to false."""
    schema = json_schema()
    assert schema["additionalProperties"] is False
    for name, prop in schema["properties"].items():
        if "properties" in prop:
            assert prop["additionalProperties"] is False, name


def test_schema_covers_exactly_the_fields():
    """The schema's properties are exactly the paths of profile.FIELDS."""
    schema = json_schema()
    paths = set()
    for name, prop in schema["properties"].items():
        if "properties" in prop:
            paths |= {f"{name}.{leaf}" for leaf in prop["properties"]}
        else:
            paths.add(name)
    assert paths == {f.path for f in FIELDS}


def test_committed_reference_page_equals_the_generated_one():
    """docs/profile-format.md is exactly what `briefgen schema --markdown` prints (regenerate it)."""
    assert (ROOT / "docs" / "profile-format.md").read_text(encoding="utf-8") == markdown()


def test_reference_page_documents_every_field():
    """Every field path appears in the reference page's tables."""
    page = markdown()
    for spec in FIELDS:
        assert f"| `{spec.path}` |" in page


def test_the_command_prints_the_schema_and_the_reference_page():
    """`briefgen schema` prints json_schema() as JSON; with --markdown, the reference page byte for byte."""
    out = subprocess.run([sys.executable, "-m", "generator", "schema"], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == json_schema()
    page = subprocess.run([sys.executable, "-m", "generator", "schema", "--markdown"], capture_output=True,
                          text=True, check=True).stdout
    assert page == markdown()
