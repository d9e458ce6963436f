"""Score every calibration case (tests/cases/*.yaml) and compare the pick with the team's own choice.

A case is a real, published decision of a named organisation: a version-2 profile of the
team's situation, written from the source before it was scored, plus the team's choice, the
acceptable alternatives and the factors that decided it (tests/cases/README.md). briefgen
never reads these files at run time; this script and tests/test_calibration.py do.

    python tools/calibrate.py                     # a table: case, choice, pick, verdict, hit
    python tools/calibrate.py --json              # the same as JSON
    python tools/calibrate.py --as-of-decision    # shortlist only what had been released by the case's date

The summary also gives the even- and odd-numbered halves of the sorted cases (0-based), so a
change tuned on one half can be checked on the other. ``--as-of-decision`` is a second view,
not the measure the tests hold: a team deciding in 2018 could not choose a framework first
released in 2019, and this view drops such frameworks from the case's shortlist.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"


@dataclass(frozen=True)
class Outcome:
    case: str
    choice: str
    acceptable: tuple[str, ...]
    decisive: tuple[str, ...]
    pick: str
    stack: tuple[str, ...]
    verdict: str
    factors: tuple[str, ...]  # profile fields the recommendation's reasons rest on

    @property
    def exact(self) -> bool:
        return self.pick == self.choice

    @property
    def acceptable_hit(self) -> bool:
        return self.pick == self.choice or self.pick in self.acceptable

    @property
    def names_a_decisive_factor(self) -> bool:
        return any(f == d or f.startswith(d + ".") or d.startswith(f + ".") for f in self.factors for d in self.decisive)


def load_case(path: Path):
    """The case's metadata and its profile, validated by the same loader as any profile."""
    from generator.profile import load_profile

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / path.name
        target.write_text(yaml.safe_dump(data["profile"], sort_keys=False, allow_unicode=True), encoding="utf-8")
        profile = load_profile(target)
    return data["case"], profile


def released_by(kb, date: str) -> tuple[str, ...]:
    """Frameworks whose first release is not after ``date`` (compared at the precision both give)."""
    def first(fid: str) -> str:
        return str(kb.frameworks[fid].first_release or "")

    return tuple(f for f in kb.frameworks if first(f)[: len(date)] <= date[: len(first(f))])


def score_case(path: Path, kb, as_of_decision: bool = False) -> Outcome:
    from dataclasses import replace

    from generator.scoring import assess

    case, profile = load_case(path)
    if as_of_decision:
        known = released_by(kb, str(case["date"]))
        profile = replace(profile, frameworks=tuple(f for f in profile.frameworks if f in known))
    a = assess(profile, kb)
    rec = a.recommendation
    factors = tuple(dict.fromkeys(f for r in rec.detail for f in r.factors))
    return Outcome(
        path.stem,
        case["choice"],
        tuple(case.get("acceptable") or ()),
        tuple(case.get("decisive_factors") or ()),
        rec.primary,
        tuple(rec.stack),
        str(rec.verdict),
        factors,
    )


def score_all(kb=None, as_of_decision: bool = False) -> list[Outcome]:
    from generator.knowledge import load_knowledge

    kb = kb or load_knowledge()
    return [score_case(p, kb, as_of_decision) for p in sorted(CASES.glob("*.yaml"))]


def summary(outcomes: list[Outcome], label: str) -> str:
    n = len(outcomes)
    if not n:
        return f"{label}: no cases"
    exact = sum(o.exact for o in outcomes)
    ok = sum(o.acceptable_hit for o in outcomes)
    named = sum(o.names_a_decisive_factor for o in outcomes)
    return (f"{label}: first pick = team's choice {exact}/{n} ({exact / n:.0%}); choice or acceptable {ok}/{n} "
            f"({ok / n:.0%}); reasons name a decisive factor {named}/{n}")


def main(argv: list[str]) -> int:
    outcomes = score_all(as_of_decision="--as-of-decision" in argv)
    if "--json" in argv:
        print(json.dumps([{**o.__dict__, "exact": o.exact, "acceptable_hit": o.acceptable_hit,
                           "names_a_decisive_factor": o.names_a_decisive_factor} for o in outcomes], indent=2))
        return 0
    width = max(len(o.case) for o in outcomes)
    for o in outcomes:
        mark = "=" if o.exact else "~" if o.acceptable_hit else "x"
        print(f"{mark} {o.case:<{width}}  choice {o.choice:<10} pick {'+'.join(o.stack) or '-':<28} {o.verdict:<11}"
              f" factors {'yes' if o.names_a_decisive_factor else 'NO'}")
    print()
    print(summary(outcomes, f"{len(outcomes)} cases"))
    print(summary(outcomes[0::2], "even-numbered half"))
    print(summary(outcomes[1::2], "odd-numbered half"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
