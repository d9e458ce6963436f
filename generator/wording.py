"""Small text helpers shared by the scorer's rationales and recommendation sentences."""

from __future__ import annotations

from typing import Sequence


def fmt_level(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def join_and(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def mid(name: str) -> str:
    """A criterion name inside a sentence: "experiment tracking", but "LLM operations" keeps its acronym."""
    return name[:1].lower() + name[1:] if len(name) > 1 and not name[1].isupper() else name


def join_or(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


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


def pct_pair(a: float, b: float) -> tuple[str, str]:
    """Two shares as percentages, with a decimal when whole percents would print the same number."""
    for digits in (0, 1, 2):
        x, y = f"{a:.{digits}%}", f"{b:.{digits}%}"
        if x != y:
            return x, y
    return x, y
