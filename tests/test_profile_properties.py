"""Property tests: whatever text or YAML-shaped data comes in, the loader answers a Profile or an InputError."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import InputError
from generator.profile import CRITERIA, FIELDS, FRAMEWORK_IDS, Profile
from generator.profile.validate import profile_from_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "data" / "profiles").glob("*.yaml"))
BASE_TEXT = (ROOT / "data" / "profiles" / "aws-fraud-detection.yaml").read_text(encoding="utf-8")
BASE = yaml.safe_load(BASE_TEXT)
FOLDER = Path(tempfile.mkdtemp(prefix="briefgen-props-"))  # an empty folder: no logo can exist there
SETTINGS = settings(deadline=1000, max_examples=100, suppress_health_check=[HealthCheck.too_slow])


def outcome(source: str | bytes) -> Profile | InputError:
    """Load ``source``; any exception other than InputError escapes and fails the test."""
    try:
        profile = profile_from_text(source, "prop.yaml", base_dir=FOLDER, known_frameworks=FRAMEWORK_IDS)
    except InputError as exc:
        assert exc.problems, "an InputError always lists at least one problem"
        for problem in exc.problems:
            assert problem.file == "prop.yaml" and problem.message
            assert "\n" not in str(problem), "one problem is one line"
        return exc
    assert_sound(profile)
    return profile


def assert_sound(profile: Profile) -> None:
    """What every accepted profile guarantees to the scoring and the brief."""
    assert profile.team.size >= 1
    assert profile.team.data_scientists + profile.team.ml_engineers <= profile.team.size
    assert profile.frameworks and len(set(profile.frameworks)) == len(profile.frameworks)
    assert set(profile.frameworks) <= set(FRAMEWORK_IDS)
    assert set(profile.priorities) <= set(CRITERIA)
    assert all(math.isfinite(w) and 0 <= w <= 10 for w in profile.priorities.values())
    assert not profile.priorities or any(profile.priorities.values())
    assert profile.brief.formats and len(set(profile.brief.formats)) == len(profile.brief.formats)
    assert profile.project.name and profile.project.name == profile.project.name.strip()


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.sampled_from(["no", "on", "012", "1:20", "2026-11-27", "all", "mlflow", "must", ".nan"]),
)
keys = st.one_of(st.text(max_size=20), st.sampled_from([f.path.split(".")[-1] for f in FIELDS]))
yaml_data = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=5)),
    max_leaves=30,
)


def dump(data, flow: bool) -> str:
    return yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, sort_keys=False)


@SETTINGS
@given(st.text(max_size=2000))
def test_arbitrary_text_gives_a_profile_or_an_input_error(text):
    """Any Unicode text is loaded or refused with located problems; nothing else escapes."""
    outcome(text)


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_a_profile_or_an_input_error(data):
    """Any bytes (any encoding, binary junk) are loaded or refused with located problems."""
    outcome(data)


@SETTINGS
@given(yaml_data, st.booleans())
def test_arbitrary_yaml_shaped_data_gives_a_profile_or_an_input_error(data, flow):
    """Nested dicts, lists and scalars of every kind, dumped as YAML, never crash the validator."""
    outcome(dump(data, flow))


def _mutate(data: dict, path: list, action: str, value):
    target = data
    for part in path[:-1]:
        if not isinstance(target, dict) or part not in target:
            return data
        target = target[part]
    if not isinstance(target, dict):
        return data
    leaf = path[-1]
    if action == "delete":
        target.pop(leaf, None)
    else:
        target[leaf] = value
    return data


field_paths = st.sampled_from([f.path.split(".") for f in FIELDS] + [["project"], ["team"], ["brief"], ["extra"]])


@SETTINGS
@given(st.lists(st.tuples(field_paths, st.sampled_from(["set", "delete"]), yaml_data), min_size=1, max_size=4),
       st.booleans())
def test_mutations_of_a_valid_profile_give_a_profile_or_an_input_error(mutations, flow):
    """A valid profile with fields deleted or replaced by anything is loaded soundly or refused."""
    import copy

    data = copy.deepcopy(BASE)
    for path, action, value in mutations:
        data = _mutate(data, path, action, value)
    outcome(dump(data, flow))


@SETTINGS
@given(st.integers(min_value=0, max_value=len(BASE_TEXT)), st.text(min_size=1, max_size=5),
       st.integers(min_value=0, max_value=5))
def test_text_edits_of_a_valid_profile_give_a_profile_or_an_input_error(position, inserted, removed):
    """Typing into or deleting from a valid profile's text never makes the loader crash."""
    outcome(BASE_TEXT[:position] + inserted + BASE_TEXT[position + removed:])


@SETTINGS
@given(st.sampled_from(EXAMPLES), st.sampled_from(["block", "flow"]))
def test_example_profiles_survive_a_flow_style_round_trip(path, style):
    """An example profile re-dumped by PyYAML (block or flow style) loads to the same Profile."""
    original = profile_from_text(path.read_bytes(), "prop.yaml", base_dir=FOLDER)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    again = profile_from_text(dump(data, style == "flow"), "prop.yaml", base_dir=FOLDER)
    assert again == original
