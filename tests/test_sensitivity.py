"""Sensitivity: closed-form flip points against brute force, the seeded perturbation test, the verdicts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
import pytest

from generator.scoring import assess
from generator.scoring.sensitivity import (
    DISTRIBUTION,
    SAMPLES,
    SEED,
    Option,
    flip_point,
    flips,
    robustness,
    verdict,
)
from kb_fixture import make_kb, make_profile

levels = st.lists(st.integers(0, 10).map(lambda x: x / 2), min_size=4, max_size=4)
raw_weights = st.lists(st.floats(0.05, 1.0), min_size=4, max_size=4)


def margin_at(weights, d, k, t):
    """The margin after setting weight k to t and rescaling the others proportionally."""
    scale = (1 - t) / (1 - weights[k])
    return sum((t if j == k else w * scale) * d[j] for j, w in enumerate(weights))


@settings(max_examples=200, deadline=None)
@given(levels, levels, raw_weights, st.integers(0, 3))
def test_flip_point_closed_form_matches_brute_force(a, b, raw, k):
    """Where the closed form says the order flips the brute-force margin is zero, and nowhere else it changes sign."""
    total = sum(raw)
    w = [x / total for x in raw]
    d = [x - y for x, y in zip(a, b)]
    m = sum(wi * di for wi, di in zip(w, d))
    if m < 0:
        d = [-x for x in d]
        m = -m
    t = flip_point(w[k], d[k], m)
    grid = [i / 1000 for i in range(1001)]
    signs = [margin_at(w, d, k, x) for x in grid]
    crosses = any(x > 1e-9 for x in signs) and any(x < -1e-9 for x in signs)
    if t is None:
        assert not crosses
    else:
        assert margin_at(w, d, k, t) == pytest.approx(0.0, abs=1e-9)
        if crosses:
            left = margin_at(w, d, k, max(0.0, t - 1e-3))
            right = margin_at(w, d, k, min(1.0, t + 1e-3))
            assert left * right <= 1e-12


def test_flip_point_examples():
    """Hand examples: the margin 0.1 from d=(1,-1) at w=(0.55,0.45) flips at w0=0.5; a dominant leader never flips."""
    assert flip_point(0.55, 1.0, 0.1) == pytest.approx(0.5)
    assert flip_point(0.45, -1.0, 0.1) == pytest.approx(0.5)
    assert flip_point(0.5, 1.0, 1.0) is None
    assert flip_point(1.0, 1.0, 1.0) is None


def test_flips_say_which_option_gains_when_a_weight_rises():
    """favours names the option a criterion's weight helps, and is empty when it changes nothing."""
    lead, run = Option("a", "a", (5.0, 1.0, 3.0)), Option("b", "b", (1.0, 4.0, 3.0))
    out = flips(("x", "y", "z"), (0.5, 0.3, 0.2), lead, run)
    assert [f.favours for f in out] == ["a", "b", "b"]
    assert out[0].flip_at is not None and out[0].flip_at < 0.5
    assert out[1].flip_at is not None and out[1].flip_at > 0.3


def test_robustness_is_seeded_and_documented():
    """The perturbation test uses a fixed seed and sample count and gives the same share every time."""
    lead, rival = Option("a", "a", (4.0, 2.0, 3.0)), Option("b", "b", (2.0, 4.0, 3.0))
    w = (0.52, 0.38, 0.10)
    first = robustness(w, lead, [rival])
    assert first == robustness(w, lead, [rival])
    assert 0.5 < first < 1.0
    assert (SEED, SAMPLES, DISTRIBUTION) == (20261127, 2000, "each weight x U(0.5, 1.5), independently, then renormalised to sum 1")


def test_robustness_is_one_when_no_rival_can_win_in_any_draw():
    """A leader at least as good on every criterion holds in every draw."""
    lead, rival = Option("a", "a", (4.0, 4.0)), Option("b", "b", (3.0, 4.0))
    assert robustness((0.5, 0.5), lead, [rival]) == 1.0


def test_robustness_counts_draws_where_any_rival_wins():
    """With two rivals the share can only fall compared with either alone."""
    lead = Option("a", "a", (4.0, 2.0, 3.0))
    r1, r2 = Option("b", "b", (2.0, 4.0, 3.0)), Option("c", "c", (3.0, 2.0, 4.5))
    w = (0.45, 0.35, 0.2)
    both = robustness(w, lead, [r1, r2])
    assert both <= min(robustness(w, lead, [r1]), robustness(w, lead, [r2]))
    assert both == robustness(w, lead, [r2, r1])


@pytest.mark.parametrize(
    "margin, share, expected",
    [
        (5.0, 0.90, "clear"),
        (12.0, 0.89, "leaning"),
        (4.9, 0.99, "leaning"),
        (2.0, 0.60, "leaning"),
        (1.99, 1.0, "too_close"),
        (10.0, 0.59, "too_close"),
    ],
)
def test_verdict_thresholds(margin, share, expected):
    """clear needs >= 5 points and >= 90 %; too_close is < 2 points or < 60 %; leaning in between."""
    assert verdict(margin, share) == expected


def test_assessment_sensitivity_compares_the_leader_with_a_rival_platform():
    """The runner-up does not use the leader's primary framework, and the margin is their printed score difference."""
    a = assess(make_profile(), make_kb())
    s, rec = a.sensitivity, a.recommendation
    assert s.leader.split("+")[0] == rec.primary
    assert s.runner_up is not None and rec.primary not in s.runner_up.split("+")
    def total(key):
        if "+" in key:
            return next(st.score for st in a.stacks if set(st.frameworks) == set(key.split("+")))
        return next(r.score for r in a.ranking if r.framework == key)

    # the margin is the gap between the two totals as printed, to one decimal
    assert rec.margin == pytest.approx(round(total(s.leader), 1) - round(total(s.runner_up), 1))
    assert len(s.flips) == len(a.weights)
    assert rec.robustness == s.robustness and rec.verdict == s.verdict


def _reference_share(weights, leader, rivals, seed=SEED, samples=SAMPLES):
    """The perturbation test written the slow, obvious way on the same quantised draws."""
    import random as _random

    from generator.scoring.sensitivity import HIGH, LOW, draw_columns

    active = [k for k, w in enumerate(weights) if w > 0]
    columns = draw_columns(_random.Random(seed), len(active), samples)
    held = 0
    for i in range(samples):
        factor = {k: LOW + (HIGH - LOW) * columns[j][i] / 65536 for j, k in enumerate(active)}
        lead = sum(weights[k] * factor[k] * leader.vector[k] for k in active)
        if all(sum(weights[k] * factor[k] * r.vector[k] for k in active) <= lead + 1e-12 for r in rivals):
            held += 1
    return held / samples


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 10).map(lambda x: x / 2), min_size=5, max_size=5),
    st.lists(st.lists(st.integers(0, 10).map(lambda x: x / 2), min_size=5, max_size=5), min_size=1, max_size=4),
    st.lists(st.sampled_from([0.0, 0.05, 0.1, 0.2, 0.3]), min_size=5, max_size=5),
)
def test_packed_perturbation_test_matches_the_obvious_loop(lead, rivals, raw):
    """The many-draws-at-once arithmetic counts the same draws as a plain per-draw loop."""
    total = sum(raw)
    if total == 0:
        return
    w = [x / total for x in raw]
    leader = Option("lead", "lead", tuple(lead))
    others = [Option(f"r{i}", f"r{i}", tuple(v)) for i, v in enumerate(rivals)]
    fast = robustness(w, leader, others, samples=300)
    slow = _reference_share(w, leader, others, samples=300)
    assert abs(fast - slow) <= 1 / 300  # a draw within rounding of an exact tie may fall either way
