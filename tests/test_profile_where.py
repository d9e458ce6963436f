"""generator.profile.where: a warning raised after loading is located at the field it is about, or left as it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.profile.files import load_profile
from generator.profile.where import located

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "profiles" / "startup-no-kubernetes.yaml"


@pytest.fixture(scope="module")
def profile():
    return load_profile(EXAMPLE)


def test_a_warning_that_starts_with_a_field_of_the_profile_gets_its_file_line_and_column(profile):
    """'project.date: ...' points at the date's value, as a loader warning would."""
    assert located(profile, "project.date: too early") == f"{EXAMPLE}:8:9: project.date: too early"


def test_a_character_no_font_draws_is_traced_to_the_first_field_that_holds_it(profile):
    """The renderer names code points only; the field whose text has one is named for it."""
    from dataclasses import replace

    odd = replace(profile, project=replace(profile.project, organisation="Lumen \u0e01"))
    assert located(odd, "no bundled font can draw U+0E01 THAI CHARACTER KO KAI; shown as \ufffd") == (
        f"{EXAMPLE}:5:17: project.organisation: no bundled font can draw U+0E01 THAI CHARACTER KO KAI; shown as \ufffd")


@pytest.mark.parametrize(
    "warning",
    [
        "no bundled font can draw U+0E01 THAI CHARACTER KO KAI; shown as \ufffd",  # from a --knowledge text
        "the brief is dated 2025-12-01 (SOURCE_DATE_EPOCH, or the clock where it is unset), before the knowledge",
        "project.logo: not a field this profile writes",
        "a table cell was shortened to fit the page",
    ],
    ids=["character-not-in-the-profile", "clock", "field-not-written", "no-field"],
)
def test_a_warning_about_nothing_the_file_writes_is_left_as_it_is(profile, warning):
    """Knowledge text, the clock or the page layout have no line in the profile: no line is made up."""
    assert located(profile, warning) == warning


def test_a_profile_read_from_standard_input_keeps_its_warnings_unlocated(profile):
    """With no file to read positions from again, a warning stays as it was rather than naming a wrong line."""
    from dataclasses import replace

    from generator.profile.where import file_marks

    piped = replace(profile, source="<stdin>")
    assert file_marks(piped) == {}
    assert located(piped, "project.date: too early") == "project.date: too early"
