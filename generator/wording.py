"""The words for numbers and lists that every stage shares: each kind of number a reader sees
(a 0-5 level, a 0-100 total, a share as a percentage, a count) is formatted here and only here,
so a brief, its scoring sentences and its charts cannot write one number two ways.
"""

from __future__ import annotations

import re
from typing import Sequence


# A rule is written once for every framework it selects and says "this framework"; read away from the rule
# (a score cell, page 1, the appendix) the sentence must name the framework instead.
THIS_FRAMEWORK = re.compile(r"\b[Tt]his framework\b")

# --- numbers -----------------------------------------------------------------------------------


def level(x: float) -> str:
    """A 0-5 level as people write it: "4", "3.5" (one decimal at most, none when whole)."""
    text = f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def points(x: float) -> str:
    """A total or margin on the 0-100 scale, to one decimal: "72.4", "5.0"."""
    return f"{x:.1f}"


def level_on_score(margin: float) -> bool:
    """Whether a margin prints as 0.0: two options level to the tenth of a point a brief shows, never "0.0 ahead"."""
    return points(margin) == points(0.0)


def gap(a: float, b: float) -> float:
    """The difference of two totals as they are printed (one decimal each), so a gap in the text equals its table."""
    return round(a, 1) - round(b, 1)


def number(x: float) -> str:
    """A plain number in its shortest form: "7.5", "10", "0.25" (weights, factors, profile values)."""
    return f"{x:g}"


def decimals(x: float, digits: int) -> str:
    """A number to a fixed count of decimals: TOPSIS closeness "0.83", a chart's values."""
    return f"{x:.{digits}f}"


def whole_or_tenths(x: float) -> str:
    """A chart value: whole when it is within 0.05 of a whole number, else to one decimal."""
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


def ordinal(n: int) -> str:
    """A place in a ranking: "1st", "2nd", "3rd", "4th", "11th", "22nd"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def count(n: int) -> str:
    """A count with thousands separated: "2,000"."""
    return f"{n:,}"


def percent(share: float, digits: int = 0) -> str:
    """A 0-1 share as a percentage, the one way every brief and score writes it: "31%"."""
    return f"{share * 100:.{digits}f}%"


def percent_shares(shares: Sequence[float]) -> list[str]:
    """Shares of one whole (weights) as whole percentages that add up to exactly 100%: largest-remainder
    rounding. Equal shares print equal: a group of equal shares takes its extra points together or not at all
    (the next largest remainders take them instead), unless nothing else can. A positive share that still
    rounds to nothing reads "<1%", not "0%"."""
    total = sum(shares)
    if total <= 0:
        return [percent(s) for s in shares]
    exact = [s / total * 100 for s in shares]
    whole = [int(x) for x in exact]
    left = 100 - sum(whole)
    groups: dict[float, list[int]] = {}
    for i in sorted((i for i in range(len(exact)) if exact[i] > 0), key=lambda i: (-(exact[i] - whole[i]), i)):
        groups.setdefault(round(exact[i], 9), []).append(i)
    skipped = []
    for members in groups.values():
        if 0 < len(members) <= left:
            for i in members:
                whole[i] += 1
            left -= len(members)
        else:
            skipped += members
    for i in sorted(skipped, key=lambda i: (-(exact[i] - whole[i]), i))[:left]:
        whole[i] += 1  # only equal shares too many to round up together are left: the earlier ones take it
    return [f"{w}%" if w or s <= 0 else "<1%" for w, s in zip(whole, shares)]


def whole_percent(shown: str) -> int:
    """A weight as printed by percent_shares, as a whole number of percent ("<1%" is 0)."""
    return int(shown[:-1]) if shown[:-1].isdigit() else 0


def percent_pair(a: float, b: float) -> tuple[str, str]:
    """Two shares as percentages, with decimals only when whole percents would print the same number, or when one
    lies on a half: 22.5% printed "22%" (rounded half to even) beside a weights table's "23%" (largest remainder),
    one weight as two numbers."""
    def on_half(share: float, digits: int) -> bool:
        scaled = share * 100 * 10 ** digits
        return abs(scaled - int(scaled) - 0.5) < 1e-6

    for digits in (0, 1, 2):
        x, y = percent(a, digits), percent(b, digits)
        if x != y and not (digits < 2 and (on_half(a, digits) or on_half(b, digits))):
            break
    return x, y


def with_unit(value: str, unit: str) -> str:
    """A number with its unit as the Word charts write it: "87 points" but "12%" (a symbol is not spaced), and
    "1 project", not "1 projects"."""
    gap = " " if unit[:1].isalpha() else ""
    if value == "1" and unit.endswith("s") and unit[:1].isalpha():
        unit = unit[:-1]
    return f"{value}{gap}{unit}"


# --- lists and sentences -----------------------------------------------------------------------


def unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def join_and(names: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"; with a comma before the last "and" where an item has an "and" of its own
    ("model serving, and governance and security"), so the reader sees where each item ends."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    last = ", and " if any(" and " in n for n in names) else " and "
    return ", ".join(names[:-1]) + last + names[-1]


def join_or(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def mid(name: str) -> str:
    """A name inside a sentence: "experiment tracking", but "LLM operations" (or "A/B tests") keeps its capital."""
    return name[:1].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def cause_of(reason: str) -> str:
    """The situation a reason opens with, the part before ", so " ("Only open-source software may be used"), without
    its full stop; the whole reason when it states no consequence."""
    return reason.strip().rstrip(".").split(", so ", 1)[0]


def sentence_of(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


_ASIDE = re.compile(r" \([^()]*\)")


def without_asides(text: str, keep: Sequence[str] = ()) -> str:
    """``text`` without its bracketed asides, the short form the executive brief prints; a name in ``keep``
    keeps its own brackets ("Gemini Enterprise Agent Platform (Vertex AI)")."""
    names = sorted((n for n in keep if "(" in n and n in text), key=len, reverse=True)
    for i, name in enumerate(names):
        text = text.replace(name, f"\0{i}\0")
    text = _ASIDE.sub("", text)
    for i, name in enumerate(names):
        text = text.replace(f"\0{i}\0", name)
    return text


def after_colon(text: str, keep: Sequence[str] = ()) -> str:
    """Lower-case a reason's first letter after "facts:" unless its first word is a name or an acronym."""
    text = text.strip()
    first = text.split(" ", 1)[0]
    # Product and vendor names that open knowledge-base sentences; a name in ``keep`` protects each of its
    # words, so "Apache Airflow must stay" keeps its capital as "Apache".
    proper = {
        "Kubernetes", "Google", "AWS", "Azure", "Amazon", "Python", "Linux", "Databricks", "Apache", "Entra",
        "Katib", "Vertex", "Weave", "Trainer", "Kubeflow", "Flyte", "MLflow",
        *(word for name in keep for word in name.split()),
    }
    if (first[1:].islower() or first == "A") and first.rstrip(",.:;") not in proper:
        return text[:1].lower() + text[1:]
    return text


# --- profile values ----------------------------------------------------------------------------

# Profile values as a reader says them: "no Kubernetes cluster", never "Kubernetes 'none'".
VALUE_WORDS: dict[str, dict[str, str]] = {
    "team.kubernetes_skill": {
        "none": "no Kubernetes skill in the team",
        "basic": "basic Kubernetes skill",
        "intermediate": "intermediate Kubernetes skill",
        "expert": "expert Kubernetes skill",
    },
    "team.platform_team": {"none": "no platform team", "shared": "a shared platform team", "dedicated": "a dedicated platform team"},
    "infrastructure.kubernetes": {
        "none": "no Kubernetes cluster",
        "planned": "a Kubernetes cluster that is only planned",
        "self_managed": "a self-managed Kubernetes cluster",
        "managed": "a managed Kubernetes service",
    },
    "infrastructure.clouds": {"aws": "AWS", "gcp": "Google Cloud", "azure": "Azure"},
    "infrastructure.gpus": {"none": "no GPUs", "few": "a few GPUs", "many": "many GPUs"},
    "workload.data_volume": {
        "small": "a small data volume",
        "medium": "a medium data volume",
        "large": "a large data volume",
        "massive": "a massive data volume",
    },
    "workload.serving": {
        "none": "no model serving",
        "batch": "batch predictions only",
        "online": "online predictions",
        "both": "both batch and online predictions",
    },
    "constraints.managed_services": {
        "preferred": "managed services preferred",
        "allowed": "managed services allowed",
        "forbidden": "no managed services allowed",
    },
    "constraints.budget": {"low": "a low budget", "medium": "a medium budget", "high": "a high budget"},
    "team.primary_users": {
        "data_scientists": "data scientists",
        "ml_engineers": "ML engineers",
        "researchers": "researchers",
        "mixed": "a mix of roles",
    },
    "current.compute": {
        "laptop": "laptops",
        "vms": "virtual machines",
        "kubernetes": "Kubernetes",
        "slurm": "a Slurm cluster",
        "databricks": "Databricks",
        "cloud_ml": "a cloud ML service",
        "serverless_batch": "serverless batch jobs",
    },
    "workload.runs_per_week": {
        "few": "a few runs a week",
        "tens": "tens of runs a week",
        "hundreds": "hundreds of runs a week",
        "thousands": "thousands of runs a week",
    },
    "constraints.time_to_value": {
        "weeks": "results expected within weeks",
        "months": "results expected within months",
        "quarters": "results expected within quarters",
    },
}
NEED_WORDS = {"must": "must-have", "should": "should-have", "could": "could-have", "wont": "not needed"}


def value_words(path: str, value: object) -> str:
    """A profile field's value in words; an unlisted value reads as itself, underscores as spaces."""
    if path.startswith("needs.") and isinstance(value, str):
        need = "not needed" if value == "wont" else f"a {NEED_WORDS.get(value, value)} need"
        return f"{path[6:].replace('_', ' ')} is {need}"
    words = VALUE_WORDS.get(path, {}).get(str(value))
    return words or str(value).replace("_", " ")
