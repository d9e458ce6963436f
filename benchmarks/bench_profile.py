"""How long loading and validating one profile takes in process (read, YAML, every field check, Profile).

Run from the repository root:  python benchmarks/bench_profile.py [--repeat N]

Times ``load_profile`` on each example profile (file read included, framework
ids given so the knowledge base is not part of the figure), prints the median
per profile and overall in milliseconds, and which YAML parser was used.
Target: under 5 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from generator.profile import FRAMEWORK_IDS, load_profile  # noqa: E402

TARGET_MS = 5.0


def median_ms(path: Path, repeat: int) -> float:
    load_profile(path, known_frameworks=FRAMEWORK_IDS)  # warm imports and caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        load_profile(path, known_frameworks=FRAMEWORK_IDS)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="runs per profile (default 200)")
    args = parser.parse_args()
    parser_name = "libyaml (CSafeLoader)" if getattr(yaml, "CSafeLoader", None) else "pure Python (SafeLoader)"
    print(f"parser: {parser_name}; {args.repeat} runs per profile")
    medians = []
    for path in sorted((ROOT / "data" / "profiles").glob("*.yaml")):
        ms = median_ms(path, args.repeat)
        medians.append(ms)
        print(f"  {path.name:<34} {path.stat().st_size:>6} bytes  median {ms:6.3f} ms")
    overall = statistics.median(medians)
    verdict = "ok" if max(medians) < TARGET_MS else "OVER TARGET"
    print(f"median over profiles: {overall:.3f} ms, worst {max(medians):.3f} ms (target < {TARGET_MS} ms): {verdict}")
    return 0 if max(medians) < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
