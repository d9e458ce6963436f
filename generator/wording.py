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


def pct(share: float, digits: int = 0) -> str:
    """A 0..1 share as the brief prints every percentage: '12%', or '12.4%' with ``digits=1``."""
    return f"{share * 100:.{digits}f}%"


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
    "infrastructure.clouds": {"aws": "AWS", "gcp": "GCP", "azure": "Azure"},
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
