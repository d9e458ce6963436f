"""A statement about one framework cites that framework's evidence or general evidence, never another framework's.

A context rule cites evidence for every framework it selects (the open-source rule cites ClearML's server
licence, W&B's licence terms and SageMaker's pricing page). Printed after "ClearML is ruled out", W&B's pages
were sources that do not support the sentence; the genomics brief showed it as "[2, 3, 4]".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.brief.compose import compose
from generator.brief.templating import bundled_template
from generator.document import Brief, Table, iter_text
from generator.knowledge import load_knowledge
from generator.profile import load_profile
from generator.scoring import assess

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "data" / "profiles").glob("*.yaml"))


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(())


def _assess(kb, stem):
    return assess(load_profile(next(p for p in EXAMPLES if p.stem == stem), known_frameworks=tuple(kb.frameworks)), kb)


def _foreign(kb, fid, sources):
    """The sources only other frameworks' entries cite."""
    return [s for s in sources if kb.source_owners.get(s) and fid not in kb.source_owners[s]]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_knockout_or_score_of_an_example_cites_another_frameworks_evidence(kb, path):
    a = assess(load_profile(path, known_frameworks=tuple(kb.frameworks)), kb)
    wrong = [(k.framework, k.reason[:40], _foreign(kb, k.framework, k.sources)) for k in a.knockouts]
    wrong += [(c.framework, c.criterion, _foreign(kb, c.framework, c.sources)) for c in a.cells.values()]
    assert [w for w in wrong if w[2]] == []


def test_the_genomics_brief_cites_only_clearmls_server_licence_for_ruling_clearml_out(kb):
    a = _assess(kb, "research-lab-open-source")
    assert [k.sources for k in a.knockouts if k.framework == "clearml"] == [("clearml-server-readme",)]
    brief = compose(a, kb, template=bundled_template("technical"))
    row = next(
        r for s in brief.sections for b in s.blocks if isinstance(b, Table) and b.header == ("Ruled out", "Why")
        for r in b.rows if r[0] == "ClearML"
    )
    numbers = re.findall(r"\d+", row[1].rsplit("[", 1)[1])
    entries = {ref.key: ref.title for s in brief.sections for b in s.blocks for ref in getattr(b, "sources", ())}
    assert [entries[f"[{n}]"] for n in numbers] == ["ClearML Server README (Server Side Public License v1.0)"]


def test_a_framework_the_rules_sources_do_not_cover_cites_its_own_evidence_for_the_attribute(kb):
    """Azure Machine Learning is ruled out as not open source, and none of the rule's sources is about it: the
    knock-out cites Azure ML's own evidence for its licence, not SageMaker's pricing page."""
    a = _assess(kb, "bank-onprem-airgapped")
    open_source_only = [k.sources for k in a.knockouts if k.framework == "azure_ml" and k.rule == "open-source-only"]
    assert open_source_only == [kb.frameworks["azure_ml"].attribute_facts["open_source"].sources]


def test_a_score_moved_by_a_rule_keeps_the_rules_general_sources(kb):
    """A source no framework entry cites (a maturity model, a paper) supports the rule for every framework."""
    a = _assess(kb, "aws-fraud-detection")
    cell = a.cells[("kubeflow", "operational_overhead")]
    rule_sources = {s for r in kb.rules if r.id in cell.rules for s in r.sources if s not in kb.source_owners}
    assert rule_sources and rule_sources <= set(cell.sources)


def test_a_fact_that_dates_its_source_in_its_text_agrees_with_the_source_list(kb):
    """A fact saying "(page undated, read on 2026-11-27)" beside a source listed as published 2026-01-01 and
    retrieved 2026-12-01 (MLflow's and Airflow's survey figures) gives the reader two dates for one page."""
    wrong = []
    for fw in kb.frameworks.values():
        for fact in fw.all_facts():
            sources = [kb.sources[s] for s in fact.sources if s in kb.sources]
            if "undated" in fact.text and any(s.published not in ("", "undated") for s in sources):
                wrong.append((fw.id, fact.text[:60]))
            for day in re.findall(r"read on (\d{4}-\d{2}-\d{2})", fact.text):
                if day not in {s.retrieved for s in sources}:
                    wrong.append((fw.id, fact.text[:60]))
    assert wrong == []


@pytest.mark.parametrize(
    "stem", ["keep-airflow-data-eng", "gpu-platform-distributed", "ds-python-laptop-to-aws", "standard-pipeline-code"]
)
def test_page_one_cites_the_knowledge_each_reason_quotes(kb, stem):
    """Each reason page 1 prints cites the first sources of the knowledge it quotes (three, as the technical brief
    gives), numbered as the sources list numbers them; a companion's reason cites its documented pairing."""
    a = _assess(kb, stem)
    brief = compose(a, kb, template=bundled_template("executive"))
    entries = {ref.key: ref.title for s in brief.sections for b in s.blocks for ref in getattr(b, "sources", ())}
    page_one = "\n".join(iter_text(Brief(brief.meta, (brief.sections[0],))))
    shown = [r for r in a.recommendation.detail if r.kind in ("for", "tradeoff", "rival") and r.text[-60:] in page_one]
    assert len(shown) >= 3
    for reason in shown:
        line = next(x for x in page_one.splitlines() if reason.text[-60:] in x)
        marker = re.search(r"\[([\d, ]+)\]$", line)
        expected = [kb.sources[s].title for s in reason.sources if s in kb.sources][:3]
        cited = [entries[f"[{n}]"] for n in marker.group(1).split(", ")] if marker else []
        assert sorted(cited) == sorted(expected), reason.text[:60]
