"""The words for numbers and lists that every stage shares: each kind of number a reader sees
(a 0-5 level, a 0-100 total, a share as a percentage, a count) is formatted here and only here,
so a brief, its scoring sentences and its charts cannot write one number two ways.
"""

from __future__ import annotations

from typing import Sequence

# --- numbers -----------------------------------------------------------------------------------


def level(x: float) -> str:
    """A 0-5 level as people write it: "4", "3.5" (one decimal at most, none when whole)."""
    text = f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def points(x: float) -> str:
    """A total or margin on the 0-100 scale, to one decimal: "72.4", "5.0"."""
    return f"{x:.1f}"


def number(x: float) -> str:
    """A plain number in its shortest form: "7.5", "10", "0.25" (weights, factors, profile values)."""
    return f"{x:g}"


def decimals(x: float, digits: int) -> str:
    """A number to a fixed count of decimals: TOPSIS closeness "0.83", a chart's values."""
    return f"{x:.{digits}f}"


def whole_or_tenths(x: float) -> str:
    """A chart value: whole when it is within 0.05 of a whole number, else to one decimal."""
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


def count(n: int) -> str:
    """A count with thousands separated: "2,000"."""
    return f"{n:,}"


def percent(share: float, digits: int = 0) -> str:
    """A 0-1 share as a percentage, number and sign apart as everywhere in a brief: "31 %"."""
    return f"{share * 100:.{digits}f} %"


def percent_pair(a: float, b: float) -> tuple[str, str]:
    """Two shares as percentages, with decimals only when whole percents would print the same number."""
    for digits in (0, 1, 2):
        x, y = percent(a, digits), percent(b, digits)
        if x != y:
            break
    return x, y


def percent_range(low: float, high: float, digits: int = 0) -> str:
    """Two 0-1 shares as a span of percentages: "12-100 %"."""
    return f"{low * 100:.{digits}f}-{high * 100:.{digits}f} %"


def with_unit(value: str, unit: str) -> str:
    """A number with its unit, apart as every number and unit in a brief: "87 points", "12 %"."""
    return f"{value} {unit}" if unit else value


# --- lists and sentences -----------------------------------------------------------------------


def unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def join_and(names: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def join_or(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def mid(name: str) -> str:
    """A name inside a sentence: "experiment tracking", but "LLM operations" (or "A/B tests") keeps its capital."""
    return name[:1].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def sentence_of(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def after_colon(text: str, keep: Sequence[str] = ()) -> str:
    """Lower-case a reason's first letter after "facts:" unless its first word is a name or an acronym."""
    text = text.strip()
    first = text.split(" ", 1)[0]
    proper = {"Kubernetes", "Google", "AWS", "Azure", "Amazon", "Python", "Linux", "Databricks", *keep}
    if (first[1:].islower() or first == "A") and first.rstrip(",.:;") not in proper:
        return text[:1].lower() + text[1:]
    return text
