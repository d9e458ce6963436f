"""The fitting in tools/calibration_ceiling.py, on small made-up cases whose best fit is known."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
_spec = importlib.util.spec_from_file_location("calibration_ceiling", ROOT / "tools" / "calibration_ceiling.py")
ceiling = importlib.util.module_from_spec(_spec)
sys.modules["calibration_ceiling"] = ceiling  # dataclasses look their module up there
_spec.loader.exec_module(ceiling)

Case = ceiling.Case


def _case(choice, *options, acceptable=()):
    return Case(f"case-{choice}", choice, frozenset(acceptable), tuple(options))


def test_an_offset_moves_every_option_its_framework_leads():
    """The pick is the best total once each option's framework offset is added."""
    case = _case("b", ("a", 70.0), ("b", 69.0), ("b", 60.0))
    assert ceiling.pick(case, {}) == "a"
    assert ceiling.pick(case, {"b": 1.5}) == "b"
    assert ceiling.pick(case, {"a": -2.0}) == "b"


def test_a_case_with_no_eligible_option_matches_nothing():
    """A case whose every option is ruled out picks nothing, so no offset can match it."""
    assert ceiling.hits([_case("a")], {"a": 15.0}) == (0, 0)


def test_acceptable_alternatives_count_only_towards_the_acceptable_figure():
    """Picking a listed alternative is acceptable but not exact."""
    assert ceiling.hits([_case("b", ("a", 70.0), ("b", 60.0), acceptable=("a",))], {}) == (0, 1)


def test_the_fit_moves_a_framework_only_as_far_as_a_pick_needs():
    """Of the offsets that turn the case, the fit takes the one nearest no change, and leaves other frameworks alone."""
    cases = [_case("b", ("a", 70.0), ("b", 69.0)), _case("a", ("a", 80.0), ("c", 50.0))]
    fitted = ceiling.fit_offsets(cases, ["a", "b", "c"])
    assert fitted in ({"a": -1.5}, {"b": 1.5})  # the first framework tried that gains the pick moves
    assert ceiling.hits(cases, fitted) == (2, 2)


def test_the_fit_changes_nothing_when_no_change_gains_a_pick():
    """When lifting a choice would lose as many picks as it wins, every offset stays at zero."""
    cases = [_case("b", ("a", 70.0), ("b", 69.0)), _case("a", ("a", 70.0), ("b", 69.0))]
    assert ceiling.fit_offsets(cases, ["a", "b"]) == {}
