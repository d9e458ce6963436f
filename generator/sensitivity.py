"""How robust the pick is: exact flip points per criterion and a seeded perturbation test.

Flip points (closed form). Let d_c = a_c - b_c be the leader's minus the
runner-up's cell score and M = sum_c w_c d_c the current margin (>= 0). Setting
criterion k's weight to t and rescaling every other weight by (1 - t) / (1 - w_k),
so the weights still sum to 1, gives a margin that is linear in t:

    M(t) = t * d_k + (1 - t) * R_k,   R_k = (M - w_k * d_k) / (1 - w_k)

(R_k is the margin over the other criteria alone). The order flips where
M(t) = 0, at t* = R_k / (R_k - d_k); it is reported when t* lies in [0, 1] and
the line actually crosses (d_k != R_k), else None. If w_k is already 1 there is
nothing to rescale and None is reported.

Perturbation: each weight is multiplied by an independent U(0.5, 1.5) factor and
the weights are renormalised (renormalising cannot change an order, so it is
skipped in the arithmetic); SAMPLES = 2,000 draws from random.Random(SEED), in
criteria order. The leader "holds" in a draw when no rival scores strictly higher.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from operator import mul
from typing import Sequence

from generator.assessment import Flip

SEED = 20261127
SAMPLES = 2000
LOW, HIGH = 0.5, 1.5
DISTRIBUTION = "each weight x U(0.5, 1.5), independently, then renormalised to sum 1"

# Verdict thresholds: margin in points on the 0..100 scale, robustness as a share of draws.
CLEAR_MARGIN = 5.0
CLEAR_ROBUSTNESS = 0.90
CLOSE_MARGIN = 2.0
CLOSE_ROBUSTNESS = 0.60


@dataclass(frozen=True)
class Option:
    """Something that can be recommended: a single framework or a stack."""

    key: str  # framework id, or ids joined with "+"
    primary: str
    vector: tuple[float, ...]  # cell scores 0..5 in criteria order


def flip_point(weight: float, d_k: float, margin: float) -> float | None:
    """The normalised weight of criterion k at which the margin reaches 0, or None if it never does in [0, 1]."""
    if weight >= 1.0:
        return None
    r_k = (margin - weight * d_k) / (1.0 - weight)
    if r_k == d_k:
        return None
    t = r_k / (r_k - d_k)
    if -1e-12 <= t <= 1.0 + 1e-12:
        return min(1.0, max(0.0, t))
    return None


def flips(
    criteria: Sequence[str],
    weights: Sequence[float],
    leader: Option,
    runner_up: Option,
) -> tuple[Flip, ...]:
    d = [a - b for a, b in zip(leader.vector, runner_up.vector)]
    margin = sum(map(mul, weights, d))
    out = []
    for k, cid in enumerate(criteria):
        w = weights[k]
        if w >= 1.0:
            slope = 0.0
        else:
            slope = d[k] - (margin - w * d[k]) / (1.0 - w)
        favours = leader.key if slope > 1e-12 else runner_up.key if slope < -1e-12 else ""
        out.append(Flip(cid, w, flip_point(w, d[k], margin), favours))
    return tuple(out)


def robustness(
    weights: Sequence[float],
    leader: Option,
    rivals: Sequence[Option],
    *,
    seed: int = SEED,
    samples: int = SAMPLES,
) -> float:
    """Share of perturbed weightings in which no rival strictly beats the leader."""
    active = [k for k, w in enumerate(weights) if w > 0.0]
    if not active or samples <= 0:
        return 1.0
    # Score differences weighted once; a draw then needs one dot product per rival.
    # Rivals that cannot win even in the most favourable draw are skipped (same count).
    span = HIGH - LOW
    diffs = []
    for rival in rivals:
        dw = [weights[k] * (rival.vector[k] - leader.vector[k]) for k in active]
        best_case = sum(x * (HIGH if x > 0 else LOW) for x in dw)
        if best_case > 0.0:
            diffs.append((LOW * sum(dw), [x * span for x in dw]))
    if not diffs:
        return 1.0  # no rival can win in any draw, so every draw holds
    rnd = random.Random(seed)
    draw = rnd.random
    n = len(active)
    held = 0
    for _ in range(samples):
        # One draw per active criterion, in criteria order, whatever the rivals: the stream is fixed.
        u = [draw() for _ in range(n)]
        for base, dv in diffs:
            if base + sum(map(mul, u, dv)) > 1e-12:
                break
        else:
            held += 1
    return held / samples


def verdict(margin: float, share: float) -> str:
    """clear: margin >= 5 points and the leader holds in >= 90 % of draws;
    too_close: margin < 2 points or holds in < 60 %; leaning otherwise."""
    if margin < CLOSE_MARGIN or share < CLOSE_ROBUSTNESS:
        return "too_close"
    if margin >= CLEAR_MARGIN and share >= CLEAR_ROBUSTNESS:
        return "clear"
    return "leaning"
