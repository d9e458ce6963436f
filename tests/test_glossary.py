"""The glossary of the example briefs: every specialist term a brief uses is explained in it, in one plain sentence."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from generator.brief.appendix import GLOSSARY
from generator.brief.compose import compose
from generator.brief.templating import bundled_template
from generator.document import Brief, Table, iter_text
from generator.knowledge import load_knowledge
from generator.profile import load_profile
from generator.scoring import assess

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "data" / "profiles").glob("*.yaml"))

# Abbreviations any reader of a technology decision knows; every other one must be in the glossary.
EVERYDAY = {
    "AI", "ML", "AWS", "GPU", "GPUs", "API", "APIs", "UI", "SQL", "RAM", "GB", "GiB", "TB", "CTO", "VP", "VM", "VMs",
    "ID", "US", "README", "SSH", "MVP", "NVIDIA", "VS", "MB", "CPU", "CPUs", "IT", "TLS", "URL", "ISO", "JSON", "YAML",
}


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(())


def _brief(kb, path, audience) -> Brief:
    a = assess(load_profile(path, known_frameworks=tuple(kb.frameworks)), kb)
    return compose(a, kb, template=bundled_template(audience))


def _glossary_rows(brief: Brief) -> dict[str, str]:
    section = next(s for s in brief.sections if s.id == "glossary")
    return {row[0]: row[1] for b in section.blocks if isinstance(b, Table) for row in b.rows}


def _body(brief: Brief) -> str:
    """What the glossary explains: the brief without its glossary and its list of sources (titles are quoted)."""
    return " ".join(iter_text(replace(brief, sections=tuple(s for s in brief.sections if s.id not in ("glossary", "sources")))))


@pytest.mark.parametrize("audience", ["executive", "technical"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_abbreviation_an_example_brief_uses_is_in_its_glossary(kb, path, audience):
    """An abbreviation ("KFP", "NAS", "OSI") that is not everyday English for a CTO is defined where it is used."""
    brief = _brief(kb, path, audience)
    defined = {word for term in _glossary_rows(brief) for word in term.split()}  # "SOC 2" defines "SOC"
    # Spelled-out names carry their own explanation: "DVC (Data Version Control)".
    body = re.sub(r"\([^)]*\)", " ", _body(brief))
    used = {m.group(1) for m in re.finditer(r"(?<![\w-])([A-Z][A-Z0-9]+(?:-[A-Z]+)*)s?(?![\w-]*\d)(?![A-Za-z])", body)}
    assert sorted(used - defined - EVERYDAY) == []


def test_the_gpu_platform_glossary_explains_kubeflow_and_its_add_ons(kb):
    """The vision platform's brief names Katib and Kubeflow's "Istio ... and Dex"; a reader gets one plain sentence for each."""
    rows = _glossary_rows(_brief(kb, next(p for p in EXAMPLES if p.stem == "gpu-platform-distributed"), "technical"))
    assert {t: rows.get(t) for t in ("Katib", "Istio", "Dex")} == {
        "Katib": "Kubeflow's hyperparameter tuning component.",
        "Istio": "A service mesh for Kubernetes that routes, encrypts and authorises traffic between services; Kubeflow "
        "uses it for access control.",
        "Dex": "An open-source login service that lets Kubeflow sign people in through the organisation's identity provider.",
    }


def test_each_glossary_entry_is_one_sentence():
    for term, meaning in GLOSSARY:
        assert meaning.endswith(".") and meaning[0].isupper(), term
        assert not re.search(r"\.\s+[A-Z]", meaning), term
