"""Column widths that hold each column's longest word (render/columns.py), in the PDF's points."""

from __future__ import annotations

import pytest

from generator.render.columns import widen_to_fit


def test_a_column_too_narrow_for_its_word_takes_the_room_from_columns_with_slack():
    """The narrow column gets exactly what it needs; the others give in proportion to their slack; the total stays."""
    out = widen_to_fit([60.0, 200.0, 100.0], [90.0, 50.0, 50.0])
    assert out[0] == pytest.approx(90.0)
    assert out[1] == pytest.approx(200.0 - 30.0 * 150 / 200)
    assert out[2] == pytest.approx(100.0 - 30.0 * 50 / 200)
    assert sum(out) == pytest.approx(360.0)


def test_widths_stay_as_they_are_when_every_word_fits_or_no_column_has_room_to_give():
    """Nothing to mend, or nothing to mend it with: the model's widths are kept."""
    assert widen_to_fit([100.0, 100.0], [50.0, 80.0]) == [100.0, 100.0]
    assert widen_to_fit([100.0, 100.0], [150.0, 150.0]) == [100.0, 100.0]


def test_when_the_slack_covers_only_some_shortfalls_the_smallest_are_mended_first():
    """Two columns short by 10 and by 60, 30 to spare: the one short by 10 is widened, the other left."""
    out = widen_to_fit([50.0, 40.0, 130.0], [60.0, 100.0, 100.0])
    assert out[0] == pytest.approx(60.0) and out[1] == pytest.approx(40.0)
    assert sum(out) == pytest.approx(220.0)
