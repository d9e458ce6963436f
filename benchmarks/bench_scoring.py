"""How long scoring takes in process: one profile against all thirteen frameworks, sensitivity included.

Run from the repository root:  python benchmarks/bench_scoring.py [--repeat N]

Loads the knowledge base and the example profiles once, widens each profile's
shortlist to every framework, then times ``assess`` (weights, rules, cells,
knock-outs, stacks, weighted sum, TOPSIS, flip points and the 2,000-draw
perturbation test) and prints the median and the worst profile's median in
milliseconds. Target: under 20 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.profile import load_profile  # noqa: E402
from generator.scoring import assess  # noqa: E402

TARGET_MS = 20.0


def knowledge():
    """The real knowledge base; the test fixture if the real one cannot be loaded (say so)."""
    try:
        from generator.knowledge import load_knowledge

        return load_knowledge(), "data/"
    except Exception as exc:  # noqa: BLE001 - a benchmark should still run while data/ is being edited
        sys.path.insert(0, str(ROOT / "tests"))
        from kb_fixture import make_kb

        return make_kb(), f"test fixture (data/ not loadable: {type(exc).__name__})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="timed runs per profile (default 50)")
    args = parser.parse_args()

    kb, origin = knowledge()
    every = tuple(sorted(kb.frameworks))
    profiles = [
        replace(load_profile(p, known_frameworks=every), frameworks=every)
        for p in sorted((ROOT / "data" / "profiles").glob("*.yaml"))
    ]
    for p in profiles:  # warm-up: first-call costs (imports, caches) are not what a batch pays
        assess(p, kb)

    per_profile = {}
    for p in profiles:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            assess(p, kb)
            times.append((time.perf_counter() - start) * 1000.0)
        per_profile[Path(p.source).stem] = statistics.median(times)

    print(f"knowledge base: {origin}, {len(every)} frameworks, {len(kb.rules)} rules")
    for name, ms in per_profile.items():
        print(f"  {name:<28} {ms:6.2f} ms")
    overall = statistics.median(per_profile.values())
    worst = max(per_profile.values())
    print(f"median over profiles: {overall:.2f} ms; slowest profile: {worst:.2f} ms (target < {TARGET_MS:.0f} ms)")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
