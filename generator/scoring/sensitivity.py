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
criteria order, each factor quantised to 1/65,536 (see draw_columns). The leader
"holds" in a draw when no rival scores strictly higher; rivals are the options
that do not use the leader's primary framework.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from operator import mul
from typing import Sequence

from generator.scoring.assessment import Flip, Verdict

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
    contenders = _contenders(weights, leader, rivals, active)
    if not contenders:
        return 1.0  # no rival can win in any draw, so every draw holds
    n = len(active)
    raw = _draw_bytes(random.Random(seed), n, samples)
    used = sorted({k for _, dv in contenders for k, x in enumerate(dv) if x != 0.0})
    packed = {k: _packed_column(raw, k, n, samples) for k in used}
    ones = int.from_bytes(b"\x01\x00\x00\x00\x00\x00\x00\x00" * samples, "little")
    beaten = 0
    for base, dv in contenders:
        beaten |= _wins(base, dv, packed, ones)
    return (samples - beaten.bit_count()) / samples


# --- the perturbation test, many draws at once ------------------------------------------------
# Factors are quantised: u = q / 2**16 with q a uniform 16-bit integer, so a factor is
# LOW + span * q / 65536. Each draw is one 64-bit lane of a Python integer, and one integer
# multiply then updates all 2,000 draws at once (exact integer arithmetic, no carries
# between lanes). A rival wins a draw when
#     base + sum_k (q_k / 2**16) * dv_k > 0,
# computed as M = B + sum_k q_k * C_k > 0 with C_k = round(dv_k * 2**24), B = round(base * 2**40);
# |M| < 2**44 because the weights sum to 1 and levels lie in 0..5. Each lane holds
# M + 2**51 - 1, which is in 2**50 .. 2**52 and has bit 51 set exactly when M > 0, so the
# draws a rival wins are one AND with a mask, the draws any rival wins one OR, and the
# count one bit_count.
_U_BITS = 16
_C_BITS = 24
_BIT = 51


def _draw_bytes(rnd: random.Random, n: int, samples: int) -> bytes:
    """All quantised draws from one getrandbits call: draw i's value for active criterion k is
    the little-endian 16-bit group number i * n + k, so the stream is the same on every platform."""
    total = n * samples
    return rnd.getrandbits(_U_BITS * total).to_bytes(2 * total, "little")


def draw_columns(rnd: random.Random, n: int, samples: int) -> list[list[int]]:
    """The quantised draws as n columns (one per active criterion) of `samples` integers 0..65535."""
    raw = _draw_bytes(rnd, n, samples)
    return [[raw[2 * (i * n + k)] | raw[2 * (i * n + k) + 1] << 8 for i in range(samples)] for k in range(n)]


def _packed_column(raw: bytes, k: int, n: int, samples: int) -> int:
    """Criterion k's draws spread into 64-bit little-endian lanes of one integer (slice copies, no loop)."""
    lanes = bytearray(8 * samples)
    lanes[0::8] = raw[2 * k :: 2 * n]
    lanes[1::8] = raw[2 * k + 1 :: 2 * n]
    return int.from_bytes(lanes, "little")


def _wins(base: float, dv: Sequence[float], packed: dict[int, int], ones: int) -> int:
    """Bit 51 of each 64-bit lane set where this rival strictly beats the leader."""
    plus = ((1 << _BIT) - 1) * ones  # keeps every lane positive, so negative terms never borrow
    minus = 0
    b = round(base * (1 << (_C_BITS + _U_BITS)))
    if b >= 0:
        plus += b * ones
    else:
        minus += -b * ones
    for k, column in packed.items():
        c = round(dv[k] * (1 << _C_BITS))
        if c > 0:
            plus += c * column
        elif c < 0:
            minus += -c * column
    return (plus - minus) & (ones << _BIT)


def _contenders(
    weights: Sequence[float], leader: Option, rivals: Sequence[Option], active: Sequence[int]
) -> list[tuple[float, list[float]]]:
    """Rivals that can win some draw, as (base, scaled differences), most dangerous first.

    Dropped, without changing the count: a rival that loses even in its most favourable draw, and
    a rival no better than another on every criterion (it can only win where that one also wins).
    """
    span = HIGH - LOW
    weighted = []
    for rival in rivals:
        dw = [weights[k] * (rival.vector[k] - leader.vector[k]) for k in active]
        if sum(x * (HIGH if x > 0 else LOW) for x in dw) > 0.0:
            weighted.append((sum(dw), rival.key, dw))
    weighted.sort(key=lambda t: (-t[0], t[1]))
    kept: list[list[float]] = []
    for _, _, dw in weighted:
        if not any(all(a >= b for a, b in zip(other, dw)) for other in kept):
            kept.append(dw)
    return [(LOW * sum(dw), [x * span for x in dw]) for dw in kept]


def verdict(margin: float, share: float) -> Verdict:
    """clear: margin >= 5 points and the leader holds in >= 90 % of draws;
    too_close: margin < 2 points or holds in < 60 %; leaning otherwise."""
    if margin < CLOSE_MARGIN or share < CLOSE_ROBUSTNESS:
        return Verdict.TOO_CLOSE
    if margin >= CLEAR_MARGIN and share >= CLEAR_ROBUSTNESS:
        return Verdict.CLEAR
    return Verdict.LEANING
