"""How long one Word brief takes to render in process, per example profile.

Run from the repository root:  python benchmarks/bench_docx.py [--repeat N]

Composes each example profile's brief once (real knowledge base and scorer), then
times ``render_docx`` alone: template open, body, header and footer, properties and
the deterministic zip. Prints the cold first render (template read and parsed once
per process), the median per profile and the median over all profiles, in
milliseconds. Target: median under 40 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 40.0


def briefs():
    from generator.brief.compose import compose
    from generator.knowledge import load_knowledge
    from generator.profile import load_profile
    from generator.scoring import assess

    kb = load_knowledge()
    for path in sorted((ROOT / "data" / "profiles").glob("*.yaml")):
        profile = load_profile(path, known_frameworks=tuple(kb.frameworks))
        yield path.stem, compose(assess(profile, kb), kb)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=25, help="renders per profile (default 25)")
    args = parser.parse_args()

    items = list(briefs())
    started = time.perf_counter()
    from generator.render.docx import render_docx

    render_docx(items[0][1])
    cold = (time.perf_counter() - started) * 1000

    medians, cpu, sizes = {}, {}, {}
    for name, brief in items:
        wall_ms, cpu_ms = [], []
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            data = render_docx(brief)
            wall_ms.append((time.perf_counter() - t) * 1000)
            cpu_ms.append((time.process_time() - c) * 1000)
        medians[name] = statistics.median(wall_ms)
        cpu[name] = statistics.median(cpu_ms)
        sizes[name] = len(data)

    # CPU time is printed too: on a busy machine wall time measures the neighbours
    print(f"cold (import python-docx + first render): {cold:.1f} ms")
    print(f"{'profile':28s} {'wall':>8s} {'cpu':>8s} {'size':>10s}")
    for name, ms in medians.items():
        print(f"{name:28s} {ms:5.1f} ms {cpu[name]:5.1f} ms {sizes[name] / 1024:6.1f} KiB")
    overall = statistics.median(medians.values())
    print(f"median over profiles: {overall:.1f} ms wall, {statistics.median(cpu.values()):.1f} ms cpu "
          f"(target < {TARGET_MS:.0f} ms); worst {max(medians.values()):.1f} ms wall")
    return 0 if overall < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
