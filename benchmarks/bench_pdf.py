"""How long composing and rendering one PDF brief takes in process (compose + render_pdf).

Run from the repository root:  python benchmarks/bench_pdf.py [--repeat N]

For each example profile the assessment is made once (scoring is benchmarked
separately); then compose + render_pdf runs ``repeat`` times per profile, round
robin, after a warm-up (fonts registered, imports done), and the median and the
fastest run are printed with the page count. ``--cold`` forgets what rendering
remembers between briefs (word widths, font subsets, compressed streams) before
every run: a brief in a fresh process. Also printed: whether reportlab's C accelerator (rl_accel) is in use,
the CPU time (less disturbed than wall time when other jobs share the cores)
and a calibration loop before and after the runs, so figures from a busy or
slower machine can be scaled (a run whose two readings differ fell across a
change of the machine's speed).
Target: under 60 ms for every brief, executive and technical.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.brief.compose import compose  # noqa: E402
from generator.knowledge import load_knowledge  # noqa: E402
from generator.profile import load_profile  # noqa: E402
from generator.render.pdf import render_pdf  # noqa: E402
from generator.scoring import assess  # noqa: E402

TARGET_MS = 60.0


def accelerated() -> bool:
    try:
        import _rl_accel  # noqa: F401
    except ImportError:
        return False
    return True


def calibration_ms() -> float:
    """CPU time of a fixed pure-Python loop: compare it between machines to scale the figures."""
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        total = 0
        for i in range(1_000_000):
            total += i
        best = min(best, time.process_time() - start)
    return best * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="runs per profile (default 30)")
    parser.add_argument("--cold", action="store_true", help="forget what rendering remembers between briefs before every run")
    args = parser.parse_args()
    from generator.render.pdf import forget

    kb = load_knowledge()
    print(f"rl_accel: {'yes' if accelerated() else 'no (pure Python fallback)'}; {args.repeat} runs per profile, "
          f"round robin; {'nothing remembered between briefs (as in a fresh process)' if args.cold else 'widths and subsets remembered (as in a batch worker)'}")
    before = calibration_ms()
    cases = []
    for path in sorted((ROOT / "data" / "profiles").glob("*.yaml")):
        a = assess(load_profile(path, known_frameworks=tuple(kb.frameworks)), kb)
        data = render_pdf(compose(a, kb, today="2026-11-27"))  # warm-up
        cases.append((path, a, data, [], []))
    # Round robin, so a slow spell of a shared machine falls on every profile alike.
    for _ in range(args.repeat):
        for path, a, data, times, cpu in cases:
            if args.cold:
                forget()
            start, start_cpu = time.perf_counter(), time.process_time()
            render_pdf(compose(a, kb, today="2026-11-27"))
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    print(f"calibration loop: {before:.1f} ms CPU before the runs, {calibration_ms():.1f} ms after")
    by_audience: dict[str, list[float]] = {}
    for path, a, data, times, cpu in cases:
        ms = statistics.median(times) * 1000
        pages = data.count(b"/Type /Page\n") or data.count(b"/Type /Page ")
        audience = a.profile.brief.audience
        by_audience.setdefault(audience, []).append(ms)
        print(f"  {path.name:<34} {audience:<10} {pages:>3} pages {len(data) // 1024:>4} KiB  "
              f"median {ms:6.1f} ms wall (min {min(times) * 1000:5.1f}), {statistics.median(cpu) * 1000:6.1f} ms CPU")
    for audience, values in sorted(by_audience.items()):
        print(f"{audience}: median {statistics.median(values):.1f} ms, slowest {max(values):.1f} ms")
    worst = max(v for values in by_audience.values() for v in values)
    verdict = "ok" if worst < TARGET_MS else "OVER TARGET"
    print(f"slowest brief: {worst:.1f} ms median (target < {TARGET_MS:.0f} ms for every brief): {verdict}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
