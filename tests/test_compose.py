"""compose: the brief's words, order and numbers, from an assessment and a template."""

from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

import brief_fixture as BF
from generator.scoring.assessment import Flip
from generator.brief.change import flip_sentences
from generator.brief.compose import compose
from generator.brief.context import _Ctx
from generator.document import BulletList, Callout, Chart, Paragraph, Section, SourceList, Table, iter_text
from generator.errors import ConfigError
from generator.sanitize import clean
from generator.brief.templating import bundled_template, substitute, template_from_mapping, theme_from_mapping

CASES = [pytest.param(p, id=p.stem) for p in BF.PROFILES]


@pytest.fixture(scope="module")
def base_and_scorer():
    return BF.real()


def brief_for(path, base_and_scorer, **kw):
    base, scorer = base_and_scorer
    return compose(BF.assessment_for(path, base, scorer), base, **kw)


def _example_text(stem: str, base_and_scorer) -> str:
    """The whole text of an example profile's brief (data/profiles/STEM.yaml)."""
    return text_of(brief_for(next(p for p in BF.PROFILES if p.stem == stem), base_and_scorer))


def brief_from_yaml(text: str, tmp_path, base_and_scorer, **kw):
    """The brief of a profile written out from ``text``."""
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    return brief_for(path, base_and_scorer, **kw)


def fixture_assessment(name: str = "startup-no-kubernetes"):
    path = next(p for p in BF.PROFILES if p.stem == name)
    return BF.assessment_for(path, BF.kb(), BF.assess)


def with_project(a, **changes):
    return replace(a, profile=replace(a.profile, project=replace(a.profile.project, **changes)))


def all_blocks(brief):
    stack = list(reversed(brief.sections))
    while stack:
        b = stack.pop()
        yield b
        if isinstance(b, Section):
            stack.extend(reversed(b.blocks))


def text_of(brief) -> str:
    return "\n".join(iter_text(brief))


@pytest.mark.parametrize("path", CASES)
def test_compose_is_deterministic(path, base_and_scorer):
    """The same assessment composes to an equal Brief every time."""
    assert brief_for(path, base_and_scorer) == brief_for(path, base_and_scorer)


@pytest.mark.parametrize("path", CASES)
def test_sections_follow_the_audience_template(path, base_and_scorer):
    """Section ids and titles come from the template of the profile's audience, in its order."""
    brief = brief_for(path, base_and_scorer)
    tpl = bundled_template(brief.audience)
    assert [s.id for s in brief.sections] == [s.id for s in tpl.sections]
    assert [s.title for s in brief.sections] == [s.title for s in tpl.sections]


@pytest.mark.parametrize("path", CASES)
def test_summary_states_the_decision_then_the_one_sentence_recommendation(path, base_and_scorer):
    """The summary opens with the decision asked for, then a callout holding the scoring's sentence."""
    base, scorer = base_and_scorer
    a = BF.assessment_for(path, base, scorer)
    brief = compose(a, base)
    first = brief.sections[0]
    assert first.id == "recommendation"
    assert "".join(t.text for t in first.blocks[0].content).startswith("Decision asked for: ")
    callout = first.blocks[1]
    assert isinstance(callout, Callout)
    assert "".join(t.text for t in callout.body[0].content) == a.recommendation.sentence


@pytest.mark.parametrize("path", CASES)
def test_every_citation_resolves_to_a_numbered_source(path, base_and_scorer):
    """Every [n] in the text has an entry in the sources list, numbered 1..N without gaps."""
    brief = brief_for(path, base_and_scorer)
    sources = next(b for b in all_blocks(brief) if isinstance(b, SourceList))
    keys = [s.key for s in sources.sources]
    assert keys == [f"[{n}]" for n in range(1, len(keys) + 1)]
    cited = {int(n) for group in re.findall(r"\[(\d+(?:, \d+)*)\]", text_of(brief)) for n in group.split(", ")}
    assert cited == set(range(1, len(keys) + 1))
    assert all(s.url.startswith("https://") for s in sources.sources if s.url)


@pytest.mark.parametrize("path", CASES)
def test_scores_table_fits_by_showing_a_shortlist(path, base_and_scorer):
    """The drivers' score matrix has at most shortlist options plus criterion and weight columns."""
    brief = brief_for(path, base_and_scorer)
    limit = bundled_template(brief.audience).limit("shortlist")
    scores = next(s for s in brief.sections if s.id == "drivers")
    matrix = [b for b in scores.blocks if isinstance(b, Table) and b.header[0] == "Criterion"][-1]
    assert len(matrix.header) <= limit + 2
    assert matrix.rows[-1][0] == "Total (0-100)"


@pytest.mark.parametrize("path", CASES)
@pytest.mark.parametrize("audience", ["executive", "technical"])
def test_the_weights_table_and_the_score_table_show_the_same_criteria_and_the_caption_counts_the_rest(
    path, audience, base_and_scorer
):
    """Every criterion with its own row in the score table has one in the weights table, and the caption's "the other
    N are one row" matches the row it speaks of (a lone criterion left over is its own row in both)."""
    base, scorer = base_and_scorer
    a = BF.assessment_for(path, base, scorer)
    a = replace(a, profile=replace(a.profile, brief=replace(a.profile.brief, audience=audience)))
    drivers = next(s for s in compose(a, base).sections if s.id == "drivers")
    tables = [b for b in drivers.blocks if isinstance(b, Table)]
    why = next(t for t in tables if t.header[-1] == "Why it weighs this much")
    matrix = next(t for t in tables if t.header[0] == "Criterion" and t is not why)
    rows = [r[0] for r in matrix.rows if r[0] != "Total (0-100)"]
    rest = [r for r in rows if " other criteria " in r]
    assert [r[0] for r in why.rows] == [r for r in rows if r not in rest]
    if rest:
        assert f"the other {rest[0].split()[0]} are one row" in matrix.caption
    else:
        assert "are one row" not in matrix.caption


@pytest.mark.parametrize("path", CASES)
def test_charts_show_totals_and_weight_ranges(path, base_and_scorer):
    """Each brief has a totals bar chart, and the technical brief a range chart whenever there is a runner-up
    (the executive brief says where the pick flips in sentences only)."""
    base, scorer = base_and_scorer
    a = BF.assessment_for(path, base, scorer)
    charts = [b for b in all_blocks(compose(a, base, template=bundled_template("technical"))) if isinstance(b, Chart)]
    assert any(c.kind == "bar" and c.maximum == 100.0 for c in charts)
    short = [b for b in all_blocks(compose(a, base, template=bundled_template("executive"))) if isinstance(b, Chart)]
    assert any(c.kind == "bar" for c in short) and not any(c.kind == "range" for c in short)
    if a.sensitivity.runner_up:
        ranges = [c for c in charts if c.kind == "range"]
        assert ranges and all(len(c.low) == len(c.high) == len(c.bars) for c in ranges)
        assert all(lo <= bar.value <= hi for c in ranges for bar, lo, hi in zip(c.bars, c.low, c.high))


def test_technical_appendix_lists_every_framework():
    """The technical brief's appendix tables together cover every ranked framework."""
    a = fixture_assessment("bank-onprem-airgapped")
    brief = compose(a, BF.kb(), template=bundled_template("technical"))
    appendix = next(s for s in brief.sections if s.id == "appendix")
    headers = [h for t in appendix.blocks if isinstance(t, Table) for h in t.header[2:]]
    assert len(headers) == len(a.ranking)
    assert all(len(t.header) <= 2 + 7 for t in appendix.blocks if isinstance(t, Table))


@pytest.mark.parametrize("name", ["gpu-platform-distributed", "ds-python-laptop-to-aws", "bank-onprem-airgapped"])
def test_an_appendix_split_into_parts_highlights_the_best_of_all_options_not_of_each_part(name):
    """A highlighted appendix cell holds the best level of every viable option in the row, whichever part it is in;
    a part with one viable option among ruled-out ones no longer marks all its cells (a reader found Kubeflow +
    Kedro's scalability of 2 marked best)."""
    a = fixture_assessment(name)
    brief = compose(a, BF.kb(), template=bundled_template("technical"))
    tables = [t for t in next(s for s in brief.sections if s.id == "appendix").blocks if isinstance(t, Table)]
    assert len(tables) > 1, "the appendix of this example is split into parts"
    best: dict[str, float] = {}
    for t in tables:
        for row in t.rows[:-1]:
            for cell, head in zip(row[2:], t.header[2:]):
                if not head.endswith("(ruled out)"):
                    best[row[0]] = max(best.get(row[0], -99.0), float(cell))
    for t in tables:
        for r, c in t.highlight:
            if r < len(t.rows) - 1:
                assert float(t.rows[r][c]) == best[t.rows[r][0]], (t.header[c], t.rows[r][0], t.rows[r][c])
    totals = [(t, c) for t in tables for r, c in t.highlight if r == len(t.rows) - 1]
    assert len(totals) == 1, "one total is the best of all"


def _framework_section_text(name: str, fid: str) -> str:
    """The technical brief's pros-and-cons section of ``fid`` for an example, with the bundled knowledge base."""
    base, scorer = BF.real()
    path = next(p for p in BF.PROFILES if p.stem == name)
    brief = compose(BF.assessment_for(path, base, scorer), base, template=bundled_template("technical"))
    section = next(b for b in all_blocks(brief) if isinstance(b, Section) and b.id == f"framework-{fid}")
    return "\n".join(iter_text(replace(brief, sections=(section,))))


def test_a_pro_or_con_whose_premise_this_profile_does_not_meet_is_left_out_of_the_framework_sections():
    """Metaflow's AWS path is a pro for the team on AWS, not for the lab with no cloud; W&B's lack of orchestration and
    serving is no con for the lab that needs neither (and its mitigation, pairing it with Metaflow, no advice)."""
    aws_pro = "Kubernetes is optional: the AWS path uses Batch and Step Functions."
    assert aws_pro in _framework_section_text("ds-python-laptop-to-aws", "metaflow")
    assert aws_pro not in _framework_section_text("research-lab-open-source", "metaflow")  # no cloud at all
    assert "No orchestration or serving." not in _framework_section_text("research-slurm-gpu", "wandb")
    assert "No orchestration or serving." in _framework_section_text("keep-airflow-data-eng", "wandb")


def test_executive_brief_is_shorter_than_technical():
    """The executive template leaves out methodology and the appendix."""
    a = fixture_assessment()
    exec_ids = [s.id for s in compose(a, BF.kb(), template=bundled_template("executive")).sections]
    tech_ids = [s.id for s in compose(a, BF.kb(), template=bundled_template("technical")).sections]
    assert "methodology" not in exec_ids and "appendix" not in exec_ids
    assert {"methodology", "appendix"} <= set(tech_ids)


def test_flip_sentence_is_pinned():
    """A flip point reads as a plain sentence with both percentages."""
    a = fixture_assessment()
    sens = replace(a.sensitivity, runner_up="kubeflow", flips=(Flip("cost", 0.12, 0.31, "kubeflow"),))
    a = replace(a, sensitivity=sens)
    ctx = _Ctx(a, BF.kb(), bundled_template("executive"), [])
    assert [s for _, s in flip_sentences(ctx)] == [
        "If cost mattered more than 31% of the total weight (now 12%), Kubeflow would lead."
    ]


def test_flip_below_current_weight_says_less():
    """A flip point under the current weight says 'less than'."""
    a = fixture_assessment()
    sens = replace(a.sensitivity, runner_up="kubeflow", flips=(Flip("ease_of_use", 0.2, 0.05, "mlflow"),))
    ctx = _Ctx(replace(a, sensitivity=sens), BF.kb(), bundled_template("executive"), [])
    assert [s for _, s in flip_sentences(ctx)] == [
        "If ease of use mattered less than 5% of the total weight (now 20%), Kubeflow would lead."
    ]


def test_pros_are_ordered_by_weight_of_the_criteria_they_bear_on():
    """Within a framework, the pro bearing on heavier criteria comes first."""
    a = fixture_assessment()
    brief = compose(a, BF.kb(), template=bundled_template("technical"))
    section = next(b for b in all_blocks(brief) if isinstance(b, Section) and b.id == "framework-mlflow")
    pros = next(b for b in section.blocks if isinstance(b, BulletList))
    weights = {w.criterion: w.value for w in a.weights}
    by_text = {p.text: sum(weights.get(c, 0.0) for c in p.criteria) for p in BF.kb().frameworks["mlflow"].pros}
    shown = ["".join(t.text for t in item.content) for item in pros.items]
    relevance = [next(v for k, v in by_text.items() if s.startswith(k)) for s in shown]
    assert relevance == sorted(relevance, reverse=True)


def test_date_rule_prefers_project_date_then_caller_today_then_kb_date():
    """project.date wins over today, today over the knowledge base's date."""
    a = fixture_assessment()
    assert compose(with_project(a, date="2025-03-04"), BF.kb(), today="2026-01-01").meta.date == "2025-03-04"
    assert compose(with_project(a, date=None), BF.kb(), today="2026-01-01").meta.date == "2026-01-01"
    assert compose(with_project(a, date=None), BF.kb()).meta.date == BF.kb().as_of


def test_user_text_with_control_characters_is_cleaned_with_a_warning():
    """Characters documents cannot hold are removed and the field is named in a warning."""
    brief = compose(with_project(fixture_assessment(), name="Fraud\x00 platform"), BF.kb())
    assert brief.meta.title == "Framework decision brief: Fraud platform"
    assert brief.warnings == ("project.name: removed 1 character that documents cannot hold",)


@settings(max_examples=300, deadline=None)
@given(hs.text(alphabet=hs.characters(codec="utf-8") | hs.sampled_from("\x00\x07\x0b\x1f\x7f\t\n\r\ufffe\uffff")))
def test_clean_removes_exactly_what_xml_cannot_hold(text):
    """clean drops C0 controls (but tab, newline, return), DEL and U+FFFE/FFFF, and counts them; nothing else changes."""
    keep = [ch for ch in text if not (ord(ch) < 32 and ch not in "\t\n\r" or ch in "\x7f\ufffe\uffff")]
    assert clean(text) == ("".join(keep), len(text) - len(keep))


def test_user_text_is_never_substituted_twice():
    """A project name that looks like a placeholder is printed as typed."""
    brief = compose(with_project(fixture_assessment(), name="{date} & <b>"), BF.kb())
    assert brief.meta.title == "Framework decision brief: {date} & <b>"


def test_substitute_replaces_only_whitelisted_names():
    """Known placeholders are replaced, doubled braces become literal braces."""
    assert substitute("{project.name} {{x}}", {"project.name": "P"}) == "P {x}"


@pytest.mark.parametrize(
    "title",
    ["{project.__class__}", "{__import__('os').system('id')}", "{0}", "{ date.year }", "open { brace"],
)
def test_template_with_unknown_or_code_placeholders_is_rejected(title):
    """A template can only name whitelisted fields; anything else is a configuration error."""
    data = {"title": title, "sections": [{"id": "recommendation", "title": "R"}]}
    with pytest.raises(ConfigError):
        template_from_mapping(data, "my.yaml")


def test_a_template_text_with_more_placeholders_than_allowed_is_refused_with_its_field():
    """A title repeating {project.name} 4,000 times took 3.9 GB to lay out: more than eight placeholders in one text is
    refused where the template is read, naming the field; eight are fine."""
    many = {"title": "{project.name} " * 9, "sections": [{"id": "recommendation", "title": "R"}]}
    with pytest.raises(ConfigError, match=r"my.yaml: title: uses 9 placeholders; at most 8 are allowed in one text"):
        template_from_mapping(many, "my.yaml")
    template_from_mapping({**many, "title": "{project.name} " * 8}, "my.yaml")


def test_template_error_names_the_field():
    """An unknown section id is reported with its position."""
    with pytest.raises(ConfigError, match=r"my.yaml: sections\[1\].id: must be one of"):
        template_from_mapping({"sections": [{"id": "recommendation", "title": "R"}, {"id": "bogus", "title": "B"}]}, "my.yaml")


def test_custom_template_reorders_and_renames_sections():
    """A user's template decides order, headings and intro text."""
    tpl = template_from_mapping(
        {
            "audience": "executive",
            "title": "Brief for {project.organisation}",
            "sections": [
                {"id": "conclusion", "title": "Bottom line"},
                {"id": "recommendation", "title": "Pick", "intro": "Prepared by {project.author}."},
                {"id": "sources", "title": "Refs"},
            ],
        }
    )
    brief = compose(fixture_assessment(), BF.kb(), template=tpl)
    assert [s.title for s in brief.sections] == ["Bottom line", "Pick", "Refs"]
    assert brief.meta.title == "Brief for Lumen Analytics"
    first = brief.sections[1].blocks[0]
    assert isinstance(first, Paragraph) and first.content[0].text == "Prepared by Data team."


@pytest.mark.parametrize("colour", ["red", "#12345", "rgb(1,2,3)", "#1F3A5G", "javascript:x"])
def test_theme_colours_must_be_hex(colour):
    """Theme colours are validated before reportlab ever sees them."""
    with pytest.raises(ConfigError, match="must be a colour like #1F3A5F"):
        theme_from_mapping({"primary": colour})


def test_no_viable_framework_composes_a_brief_that_says_so():
    """When every framework is knocked out, the brief says nothing is recommended."""
    a = fixture_assessment()
    rec = replace(a.recommendation, primary="", stack=(), verdict="none_viable", margin=0.0, sentence="No framework on the shortlist is viable.", stack_detail=None)
    sens = replace(a.sensitivity, leader="", runner_up=None, flips=())
    brief = compose(replace(a, recommendation=rec, sensitivity=sens), BF.kb())
    text = text_of(brief)
    assert "No framework on the shortlist is viable." in text
    assert "Review the ruled-out reasons and decide which of them can change." in text
    shortlist_is_all = len(set(a.profile.frameworks)) == len(BF.kb().frameworks)
    assert ("Widen the shortlist (frameworks: all)" in text) is not shortlist_is_all


def test_comparison_points_all_appear():
    """Scalability, ease of use, ecosystem, pros and cons and a conclusion are covered; performance as unscored notes."""
    text = text_of(compose(fixture_assessment(), BF.kb(), template=bundled_template("technical")))
    for phrase in ("Performance (overhead added and latency)", "Scalability", "Ease of use", "Ecosystem", "Pros", "Cons", "Adoption plan", "Next step: "):
        assert phrase in text
    assert "Performance (overhead added and latency) is not scored" in text


def test_flip_sentence_shows_decimals_when_whole_percents_look_equal():
    """6.4% vs 5.8% would both print as 6%; the sentence then shows one decimal."""
    a = fixture_assessment()
    sens = replace(a.sensitivity, runner_up="kubeflow", flips=(Flip("ease_of_use", 0.064, 0.058, "mlflow"),))
    ctx = _Ctx(replace(a, sensitivity=sens), BF.kb(), bundled_template("executive"), [])
    assert [s for _, s in flip_sentences(ctx)] == [
        "If ease of use mattered less than 5.8% of the total weight (now 6.4%), Kubeflow would lead."
    ]


def test_chart_values_print_whole_when_every_bar_is_whole_else_one_decimal():
    """Counts read '3', scores read '80.0' beside '76.7': one rule per chart, shared by every format."""
    from generator.document import Bar, Chart

    counts = Chart("bar", "t", (Bar("a", 3.0), Bar("b", 1.0)), 4.0)
    scores = Chart("bar", "t", (Bar("a", 80.0), Bar("b", 76.7)), 100.0)
    assert [counts.value_text(b.value) for b in counts.bars] == ["3", "1"]
    assert [scores.value_text(b.value) for b in scores.bars] == ["80.0", "76.7"]


def text_of_item(item) -> str:
    return "".join(x.text for x in item.content)


def _migration_row(brief) -> tuple[str, ...]:
    return next(row for b in all_blocks(brief) if isinstance(b, Table) for row in b.rows if row and row[0] == "4. Migration")


@pytest.mark.parametrize("path", CASES)
def test_migration_moves_only_what_the_choice_replaces_and_connects_the_kept_tools(path, base_and_scorer):
    """Tools the team keeps are never migrated away; each is named as staying, and each replaced one as retired."""
    base, scorer = base_and_scorer
    a = BF.assessment_for(path, base, scorer)
    if not a.recommendation.stack:
        pytest.skip("no recommendation, so no adoption plan")  # the no-viable brief is pinned elsewhere
    brief = compose(a, base)
    scope, success = _migration_row(brief)[2:4]
    pilot = next(row for b in all_blocks(brief) if isinstance(b, Table) for row in b.rows if row and row[0] == "2. Pilot")[2]

    def _tool_name(tool):
        return base.tools.tools[tool].name if tool in base.tools.tools else base.frameworks[tool].name

    for tool in a.profile.current.keep:
        name = _tool_name(tool)
        assert name not in scope and re.search(re.escape(name) + r".* stays?: connect", pilot), (pilot, scope)
    for tool in a.profile.current.replacing:
        name = "the in-house system" if tool == "in_house" else _tool_name(tool)
        assert name in scope and f"{name}" in success and "retired" in success, (scope, success)


def test_driving_inputs_give_each_constraint_its_own_sentence(base_and_scorer):
    """A constraint's options come first and its reasons follow as whole sentences, never glued mid-sentence."""
    text = _example_text("bank-onprem-airgapped", base_and_scorer)
    assert "., " not in text and ". and " not in text and " each rule out " not in text
    assert (
        "Azure Machine Learning, Amazon SageMaker AI and Gemini Enterprise Agent Platform (Vertex AI) are ruled out: the environment has no internet access"
        in text
    )


def test_driving_inputs_name_each_ruled_out_option_once_under_its_first_constraint(base_and_scorer):
    """The air-gapped bank's cloud platforms are named under the air gap only; open-source-only names just
    the two it adds, and the per-cloud constraints, which add nobody, get no bullet."""
    path = next(p for p in BF.PROFILES if p.stem == "bank-onprem-airgapped")
    section = next(s for s in brief_for(path, base_and_scorer).sections if s.title == "Our understanding of your situation")
    drivers = next(
        b for b in section.blocks if isinstance(b, BulletList) and any("ruled out" in text_of_item(i) for i in b.items)
    )
    lines = [text_of_item(i) for i in drivers.items if "ruled out" in text_of_item(i)]
    assert [line.split(" ruled out: ")[0] for line in lines] == [
        "Azure Machine Learning, Amazon SageMaker AI and Gemini Enterprise Agent Platform (Vertex AI) are",
        "ClearML and Weights & Biases are",
    ]


def test_the_risk_register_leaves_out_a_drawback_another_part_of_the_stack_covers(base_and_scorer):
    """Kubeflow + MLflow: MLflow's missing scheduler is Kubeflow's job, so it is no risk; MLflow's weak access
    control stays (security is a shared burden), and so does Kubeflow's missing data versioning (no part covers it)."""
    path = next(p for p in BF.PROFILES if p.stem == "bank-onprem-airgapped")
    section = next(s for s in brief_for(path, base_and_scorer).sections if s.title == "Risk register")
    risks = [row[0] for b in section.blocks if isinstance(b, Table) for row in b.rows]
    assert not any(r.startswith("MLflow: No pipeline scheduler") for r in risks), risks
    assert any(r.startswith("MLflow: Open-source access control is basic") for r in risks), risks
    assert any(r.startswith("Kubeflow: No central experiment tracking or data versioning") for r in risks), risks


@pytest.mark.parametrize("path", CASES)
def test_the_flip_chart_draws_exactly_the_flips_the_sentences_name(path, base_and_scorer):
    """'What would change the decision' charts the criteria its sentences name, no more and no fewer."""
    brief = brief_for(path, base_and_scorer, template=bundled_template("technical"))
    section = next(s for s in brief.sections if s.title == "What would change the decision")
    said = ["".join(x.text for x in i.content).lower() for b in section.blocks if isinstance(b, BulletList) for i in b.items]
    charts = [b for b in section.blocks if isinstance(b, Chart)]
    drawn = [bar.label for c in charts for bar in c.bars]
    assert len(drawn) == len(said)
    for label in drawn:
        assert any(f"if {label.lower()} mattered" in sentence for sentence in said), (label, said)


def _criterion_sequences(brief, names: set[str]) -> list[list[str]]:
    """Criterion names in the order each table (rows and header) and chart lists them."""
    out = []
    for b in all_blocks(brief):
        if isinstance(b, Table):
            out += [[r[0] for r in b.rows if r and r[0] in names], [h for h in b.header if h in names]]
        elif isinstance(b, Chart):
            out.append([bar.label for bar in b.bars if bar.label in names])
    return [seq for seq in out if len(seq) > 1]


@pytest.mark.parametrize("audience", ["executive", "technical"])
@pytest.mark.parametrize("path", CASES)
def test_every_table_and_chart_lists_criteria_in_one_order(path, audience, base_and_scorer):
    """Heaviest first (the weights table's order) in the scores table, the qualities table, the
    chart of weights that would change the decision and the appendix alike."""
    base, scorer = base_and_scorer
    a = BF.assessment_for(path, base, scorer)
    a = replace(a, profile=replace(a.profile, brief=replace(a.profile.brief, audience=audience)))
    brief = compose(a, base)
    names = {c.name for c in base.criteria.values()}
    sequences = _criterion_sequences(brief, names)
    longest = max(sequences, key=len)
    assert len(sequences) >= 2
    for seq in sequences:
        positions = [longest.index(n) for n in seq if n in longest]
        assert positions == sorted(positions), (seq, longest)


@pytest.mark.parametrize(
    "advice, pruned",
    [
        ("Pair it with Airflow, Kubeflow Pipelines, Metaflow or a cloud pipeline service; all log to MLflow.",
         "Pair it with Airflow, Kubeflow Pipelines or Metaflow; all log to MLflow."),
        ("Use a managed Airflow, or the official Helm chart with pinned versions.",
         "Use the official Helm chart with pinned versions."),
        ("Register and serve models with MLflow, KServe or a cloud endpoint.", "Register and serve models with MLflow or KServe."),
        ("Check the licence with legal; use the hosted service or an enterprise licence if SSPL is unacceptable.",
         "Check the licence with legal; use an enterprise licence if SSPL is unacceptable."),
        ("Size MySQL per W&B's reference architecture, keep a hot standby, or use the W&B-managed cloud.",
         "Size MySQL per W&B's reference architecture, or keep a hot standby."),
        ("Use the single-binary Helm chart on a managed cluster, or Union.ai.", ""),
        ("Follow AWS's recommended path (managed MLflow, new Studio).", ""),
        ("Keep code in MLflow format for an exit path; use Kubeflow or MLflow where no cloud is allowed.",
         "Keep code in MLflow format for an exit path; use Kubeflow or MLflow where no cloud is allowed."),
        ("Run it on self-managed Kubernetes.", "Run it on self-managed Kubernetes."),
        ("Use the hosted service; keep a weekly backup.", "Keep a weekly backup."),
    ],
)
def test_advice_loses_the_service_alternatives_an_air_gapped_profile_cannot_use(advice, pruned):
    from generator.brief.options import AIR_GAPPED, without_excluded

    assert without_excluded(advice, AIR_GAPPED) == pruned


@pytest.mark.parametrize("audience", ["executive", "technical"])
def test_the_air_gapped_bank_is_never_advised_a_cloud_managed_or_hosted_service(audience, base_and_scorer):
    base, scorer = base_and_scorer
    path = next(p for p in BF.PROFILES if p.stem == "bank-onprem-airgapped")
    a = BF.assessment_for(path, base, scorer)
    a = replace(a, profile=replace(a.profile, brief=replace(a.profile.brief, audience=audience)))
    brief = compose(a, base)
    advice = [t.split(" Mitigation: ", 1)[1] for t in iter_text(brief) if " Mitigation: " in t]
    advice += [r[3] for b in all_blocks(brief) if isinstance(b, Table) and b.header[3:4] == ("Mitigation",) for r in b.rows]
    # The executive register keeps only the heaviest risks; the technical one has room for the pruned advice.
    assert advice and (audience == "executive" or "Put it behind an SSO reverse proxy, keep it patched, or use workspaces." in advice)
    assert [t for t in advice if re.search(r"(?<![\w-])(cloud|managed|hosted|SaaS|serverless)(?![\w-])", t, re.I)] == []


@pytest.mark.parametrize("audience", ["executive", "technical"])
def test_the_executive_brief_names_the_fact_that_moved_a_weight_most_and_the_fields_behind_the_rest(audience, base_and_scorer):
    """The GPU platform's scalability weight was raised by seven facts and a goal: the executive brief names one by
    its cause and the first three profile fields behind the rest, the technical brief all of them in full (the goal
    by the row that gave it first)."""
    base, scorer = base_and_scorer
    path = next(p for p in BF.PROFILES if p.stem == "gpu-platform-distributed")
    a = BF.assessment_for(path, base, scorer)
    a = replace(a, profile=replace(a.profile, brief=replace(a.profile.brief, audience=audience)))
    table = next(b for b in all_blocks(compose(a, base)) if isinstance(b, Table) and b.header[-1:] == ("Why it weighs this much",))
    why = next(r[-1] for r in table.rows if r[0] == "Scalability")
    if audience == "executive":
        assert why == (
            "Starts at the standard 2%; raised because training runs across several machines or GPUs; "
            "also raised by the stated platform team, data volume, GPUs and 4 more of its fields"
        )
    else:
        assert why.count("because ") == 8 and why.endswith("; and because scale is a stated goal, so how far the "
                                                          "framework grows with runs, data, users and distributed compute "
                                                          "weighs more")
        assert "other fact" not in why


def test_a_framework_ruled_out_by_several_constraints_gets_one_argued_reason_and_the_others_named(base_and_scorer):
    """The first hard constraint is argued in full; the others are named by their cause, not repeated whole."""
    base, scorer = base_and_scorer
    path = next(p for p in BF.PROFILES if p.stem == "bank-onprem-airgapped")
    a = BF.assessment_for(path, base, scorer)
    table = next(b for b in all_blocks(compose(a, base)) if isinstance(b, Table) and b.header == ("Ruled out", "Why"))
    why = dict(table.rows)["Azure Machine Learning"]
    ks = [k for k in a.knockouts if k.framework == "azure_ml" and k.rule is not None]
    assert len(ks) > 2 and why.startswith(ks[0].reason)
    assert why.count("Also ruled out because: ") == 1 and why.count(", so ") == 1
    assert "vendor-managed services are not allowed;" in why


def test_the_situation_names_the_cloud_as_its_provider_does(base_and_scorer):
    """The situation says "Google Cloud", never "the GCP cloud"."""
    text = _example_text("gcp-managed-first", base_and_scorer)
    assert "It runs on Google Cloud with a managed Kubernetes service and a few GPUs." in text
    assert "GCP" not in text


@pytest.mark.parametrize("path", CASES)
def test_the_proof_of_concept_names_its_main_risk_by_headline_only(path, base_and_scorer):
    """The proof of concept's success criteria name the main risk in one clause, without the risk register's detail after a second colon."""
    section = next(s for s in brief_for(path, base_and_scorer).sections if s.title == "Adoption plan")
    cells = [cell for b in section.blocks if isinstance(b, Table) for row in b.rows for cell in row]
    for success in (c for c in cells if "the main risk checked: " in c):
        risk = success.split("the main risk checked: ", 1)[1].split(". Exit:", 1)[0].split("; choose ")[0]
        assert risk and ": " not in risk, success


def compose_name(a, key: str) -> str:
    """A stack key in display names, as the brief writes it."""
    return " + ".join(a.names.get(part, part) for part in key.split("+"))


@pytest.mark.parametrize("path", CASES)
def test_the_cross_check_is_said_to_agree_only_when_it_ranks_the_same_option_first(path, base_and_scorer):
    """'A second ranking method agrees' only when TOPSIS's first option is the recommended one itself, not merely
    one with the same main framework."""
    base, scorer = base_and_scorer
    a = BF.assessment_for(path, base, scorer)
    text = text_of(compose(a, base))
    same = set(a.topsis_leader.split("+")) == set(a.recommendation.stack)
    said_to_agree = "a second ranking method (by closeness to an ideal option) also puts it first" in text or "ranks the same option first" in text
    assert said_to_agree <= same
    assert same or f" options and prefers {compose_name(a, a.topsis_leader)}" in text


@pytest.mark.parametrize("path", CASES)
def test_the_lead_in_points_is_the_difference_of_the_totals_as_printed(path, base_and_scorer):
    """'N points ahead of R' equals the pick's printed total minus the runner-up's printed total in the options table."""
    base, scorer = base_and_scorer
    brief = compose(BF.assessment_for(path, base, scorer), base)
    text = text_of(brief)
    m = re.search(r"(\d+\.\d) of 100,(?: but only)? (\d+\.\d) points ahead of ([^,;]+?)(?:;|, and) it stays ahead", text)
    if m is None:
        assert "points ahead" not in text
        return
    rows = {row[1]: row[2] for b in all_blocks(brief) if isinstance(b, Table) and b.header[:3] == ("Role", "Option", "Score")
            for row in b.rows}
    runner = rows[m.group(3)]
    assert f"{float(m.group(1)) - float(runner):.1f}" == m.group(2), (m.group(0), runner)


@pytest.mark.parametrize("path", CASES)
def test_no_score_table_prints_a_level_below_the_scales_floor(path, base_and_scorer):
    """A combination's integration cost stops at 0: no 0-5 table prints a negative level, and no caption has to explain one."""
    base, scorer = base_and_scorer
    brief = compose(BF.assessment_for(path, base, scorer), base)
    for t in (b for b in all_blocks(brief) if isinstance(b, Table) and b.header[:2] == ("Criterion", "Weight") and len(b.header) > 2):
        assert not any(cell.startswith("-") for row in t.rows for cell in row[2:]), (t.header, t.rows)
        assert "below 0" not in (t.caption or "")


@pytest.mark.parametrize("path", CASES)
def test_what_would_change_the_decision_never_revisits_a_need_marked_not_needed(path, base_and_scorer):
    """No flip sentence names a capability the profile marks as not needed ('now 0%' for a decision already made)."""
    base, scorer = base_and_scorer
    a = BF.assessment_for(path, base, scorer)
    text = text_of(compose(a, base))
    for cid, need in a.profile.needs.items():
        if need == "wont":
            name = a.criterion_names.get(cid, cid.replace("_", " "))
            assert f"If {name[:1].lower() + name[1:]} mattered" not in text and f"If {name} mattered" not in text, cid


def test_the_needs_line_names_no_empty_not_needed_list(base_and_scorer):
    """'not needed: nothing' is left out when the profile marks nothing as not needed."""
    base, scorer = base_and_scorer
    for path in BF.PROFILES:
        text = text_of(compose(BF.assessment_for(path, base, scorer), base))
        assert "not needed: nothing" not in text, path.stem


def _poc_row(brief):
    section = next(s for s in brief.sections if s.title == "Adoption plan")
    return next(row for b in section.blocks if isinstance(b, Table) for row in b.rows if row[0].startswith("1."))


@pytest.mark.parametrize("path", CASES)
def test_a_call_that_is_not_clear_pilots_both_options_everywhere_and_a_clear_one_pilots_the_pick(path, base_and_scorer):
    """When the risk register says to run the proof of concept with both options, the plan and page 1's next step
    put them side by side too (one plan); a clear call pilots the pick with the runner-up only as the fallback."""
    from generator.scoring.assessment import Verdict

    base, scorer = base_and_scorer
    a = BF.assessment_for(path, base, scorer)
    brief = compose(a, base)
    scope, criteria = _poc_row(brief)[2], _poc_row(brief)[3]
    text = text_of(brief)
    both = any("Run the proof of concept with both" in row[3] for row in _risk_rows(brief))
    next_step = text.split("Next step: ", 1)[1].split("\n", 1)[0] if "Next step: " in text else ""
    assert both == ("side by side" in scope)
    if both:
        assert "switch the proof of concept" not in criteria
        assert not next_step or "side by side" in next_step
    assert both == (a.recommendation.verdict in (Verdict.TOO_CLOSE, Verdict.LEANING) and bool(a.sensitivity.runner_up))


def test_the_proof_of_concept_shows_only_the_steps_the_needs_ask_for(base_and_scorer):
    """The LLM application team proves an application, not a trained, registered and served model."""
    base, scorer = base_and_scorer
    path = next(p for p in BF.PROFILES if p.stem == "llm-app-team")
    criteria = _poc_row(compose(BF.assessment_for(path, base, scorer), base))[3]
    assert criteria.startswith(
        "Success: one real LLM application tracked, and its LLM calls traced and evaluated, end to end; "
        "each must-have need shown working (LLM operations)"
    )


def _risk_rows(brief):
    section = next(s for s in brief.sections if s.title == "Risk register")
    return [row for b in section.blocks if isinstance(b, Table) for row in b.rows]


def test_a_three_person_team_owns_its_risks_through_its_tech_lead(base_and_scorer):
    """The churn start-up (3 people, no platform team) has no platform, security or architecture roles to own risks."""
    base, scorer = base_and_scorer
    path = next(p for p in BF.PROFILES if p.stem == "startup-no-kubernetes")
    owners = {row[4] for row in _risk_rows(compose(BF.assessment_for(path, base, scorer), base))}
    assert owners and owners <= {"Tech lead", "Budget owner"}, owners


@pytest.mark.parametrize("path", CASES)
def test_a_drawback_is_likely_where_the_framework_scores_low_in_this_profile(path, base_and_scorer):
    """Likelihood follows the part's mean score here on the drawback's criteria: high at 2 of 5 or less, low above 3."""
    from generator.brief.plan import _likelihood

    base, scorer = base_and_scorer
    a = BF.assessment_for(path, base, scorer)
    for fid in a.recommendation.stack:
        for point in base.frameworks[fid].cons:
            scores = [a.cells[(fid, c)].score for c in point.criteria if (fid, c) in a.cells]
            if scores:
                mean = sum(scores) / len(scores)
                expected = "High" if mean <= 2 else "Medium" if mean <= 3 else "Low"
                assert _likelihood(_ctx_for(a, base), fid, point) == expected


def _ctx_for(a, base):
    from generator.brief.templating import bundled_template

    return _Ctx(a, base, bundled_template(a.profile.brief.audience), [])


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Pipelines in KFP run on Kubernetes", {"KFP", "Kubernetes"}),
        ("Dagster and Airflow DAGs", {"DAG"}),
        ("several CVE-2026-118624 advisories", {"CVE"}),
        ("companions and a proof of concept", {"companion", "proof of concept"}),
    ],
)
def test_the_glossary_defines_whole_words_only(text, terms, base_and_scorer):
    """A term is defined when the brief uses it as a word (or its plural), never when it is only part of another word."""
    from generator.brief.appendix import _glossary

    base, scorer = base_and_scorer
    a = BF.assessment_for(next(p for p in BF.PROFILES if p.stem == "gpu-platform-distributed"), base, scorer)
    ctx = _ctx_for(a, base)
    rows = {r[0] for b in _glossary(ctx, text) if isinstance(b, Table) for r in b.rows}
    assert rows == terms


@pytest.mark.parametrize("path", CASES)
def test_an_option_built_with_a_framework_off_the_shortlist_says_so(path, base_and_scorer):
    """A companion the profile did not shortlist is named under the options as not on the shortlist, and only then."""
    base, scorer = base_and_scorer
    a = BF.assessment_for(path, base, scorer)
    brief = compose(a, base)
    section = next(s for s in brief.sections if s.title == "Options considered")
    shown = [row[1] for b in section.blocks if isinstance(b, Table) and b.header[:2] == ("Role", "Option") for row in b.rows]
    names = {a.names[f] for f in a.names if f not in a.profile.frameworks}
    off = sorted(n for n in names if any(n in option.split(" + ") for option in shown))
    text = text_of(brief)
    assert ("not on the team's shortlist" in text) == bool(off)
    for n in off:
        assert n in text.split("not on the team's shortlist")[0].rsplit("\n", 1)[-1]


@pytest.mark.parametrize("stakeholders", [0, 2])
def test_the_method_mentions_combined_stakeholder_weights_only_when_there_are_several(
    stakeholders, base_and_scorer, tmp_path
):
    """The method appendix says how several stakeholders' weights were combined, and says nothing of it otherwise."""
    import yaml

    base, scorer = base_and_scorer
    source = next(p for p in BF.PROFILES if p.stem == "startup-no-kubernetes")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["brief"] = {**data.get("brief", {}), "audience": "technical"}
    if stakeholders:
        data["stakeholders"] = [
            {"name": "Head of data science", "priorities": {"ease_of_use": 9}},
            {"name": "Platform lead", "priorities": {"operational_overhead": 9}},
        ]
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    text = text_of(compose(BF.assessment_for(path, base, scorer), base))
    sentence = ("The 2 stakeholders' weights are each derived the same way, with their own priorities, and combined by "
                "their weighted geometric mean.")
    assert (sentence in text) == bool(stakeholders)
    assert "With several stakeholders" not in text


@pytest.mark.parametrize(
    ("stem", "heading"),
    [
        ("bank-onprem-airgapped", "Ruled out, each because it cannot meet a must-have need or breaks a hard constraint:"),
        ("standard-pipeline-code", "Ruled out, each because it breaks a hard constraint or cannot work beside a tool the team keeps:"),
        ("gpu-platform-distributed", "Ruled out, each because it cannot meet a must-have need, breaks a hard constraint or does not "
                                     "fit the team's infrastructure (infrastructure fit 1 of 5 or less on the facts alone):"),
    ],
)
def test_the_ruled_out_heading_names_the_causes_its_rows_hold_and_the_method_every_cause(base_and_scorer, stem, heading):
    """Besides must-haves and hard constraints, the infrastructure-fit veto and a kept tool rule options out: the
    heading over the ruled-out table names the causes of its own rows (a cause no row has would send the reader
    looking for it), and the method appendix names them all."""
    brief = brief_for(next(p for p in BF.PROFILES if p.stem == stem), base_and_scorer)
    text = text_of(brief)
    assert heading in text
    if brief.audience == "executive":
        return  # the short brief has no method appendix
    assert (
        "A framework that cannot meet a must-have need, alone or with a companion, that breaks a hard constraint, "
        "that does not fit the team's infrastructure (infrastructure fit 1 of 5 or less on the facts about this team "
        "alone: a preference, such as avoiding lock-in, lowers a score but rules nothing out) or that cannot work "
        "beside a tool the team keeps is ruled out with its reason."
    ) in text


def test_a_wish_to_avoid_lock_in_lowers_meridians_sagemaker_without_ruling_it_out(base_and_scorer):
    """Meridian's SageMaker AI, whose fit only the wish to avoid lock-in takes below the veto, is an option with its
    lowered score (named an option, not a combination, where the short brief leaves it out), not a ruled-out row;
    the method lists that wish as a preference, apart from the facts."""
    path = next(p for p in BF.PROFILES if p.stem == "keep-airflow-data-eng")
    a = BF.assessment_for(path, *base_and_scorer)
    # The short brief shows four options: SageMaker AI is among those left out, an option and no combination; the
    # technical brief shows it among the options.
    assert "Not shown, with lower scores: ClearML (74.5), Amazon SageMaker AI (73.2) and MLflow + Kubeflow (72.4)." \
        in text_of(compose(a, base_and_scorer[0]))
    a = replace(a, profile=replace(a.profile, brief=replace(a.profile.brief, audience="technical")))
    brief = compose(a, base_and_scorer[0])
    text = text_of(brief)
    options = next(b for b in all_blocks(brief) if isinstance(b, Table) and b.header[:3] == ("Role", "Option", "Score"))
    assert "Not shown, with lower scores: MLflow + Kubeflow (72.4)." in text
    assert [row[:3] for row in options.rows if "SageMaker" in row[1]] == [("Alternative", "Amazon SageMaker AI", "73.2")]
    ruled_out = next(b for b in all_blocks(brief) if isinstance(b, Table) and b.header == ("Ruled out", "Why"))
    # ClearML and Kubeflow would schedule pipelines too, but the team needs no scheduler from them: they stay options.
    assert [row[0] for row in ruled_out.rows] == [
        "Gemini Enterprise Agent Platform (Vertex AI)", "Azure Machine Learning", "Kedro",
    ]
    assert "that wish" not in text and "SageMaker AI does not fit" not in text
    assert "a second ranking method (by closeness to an ideal option) also puts it first." in text
    assert (
        "Preferences that moved scores (a preference moves a score but rules no framework out):\n"
        "The team wants to avoid lock-in, so portability weighs more: a platform that exists only as one vendor's "
        "managed service offers none of it, however native to the team's cloud, and one whose server is proprietary "
        "costs more to leave later; here it lowers ClearML, Amazon SageMaker AI and Weights & Biases."
    ) in text


@pytest.mark.parametrize("name", ["bank-onprem-airgapped", "gcp-managed-first"])
def test_the_source_dates_stated_are_those_of_the_sources_listed(base_and_scorer, name):
    """The sentence under the sources gives the reading days and the newest stated date of the listed sources
    only, so every date it names appears in the list; the method no longer quotes the whole knowledge base's."""
    brief = brief_for(next(p for p in BF.PROFILES if p.stem == name), base_and_scorer)
    refs = next(b for b in all_blocks(brief) if isinstance(b, SourceList)).sources
    read = sorted({r.retrieved for r in refs})
    stated = sorted(d for r in refs for d in (r.released or r.published,) if d and d != "undated")
    undated = len(refs) - len(stated)
    text = text_of(brief)
    if stated:
        expected = (
            f"The {len(refs)} sources listed were read between {read[0]} and {read[-1]}; the newest date any of "
            f"them states is {stated[-1]} ({undated} are undated pages)."
        )
    else:
        expected = f"The {len(refs)} sources listed were read between {read[0]} and {read[-1]}; none of them states a date."
    assert expected in text
    assert "sources last retrieved" not in text and "newest evidence dated" not in text


def test_the_inputs_name_the_same_cause_for_an_option_as_the_ruled_out_table(base_and_scorer):
    """Harbourline: Vertex AI and SageMaker AI are out for not using Google Cloud or AWS in the table, so the
    inputs that drive the result say the same, not "only open-source software may be used"."""
    path = next(p for p in BF.PROFILES if p.stem == "standard-pipeline-code")
    text = text_of(brief_for(path, base_and_scorer, template=bundled_template("technical")))
    assert (
        "Azure Machine Learning, ClearML and Weights & Biases are ruled out: only open-source software may be used"
    ) in text
    assert "Amazon SageMaker AI is ruled out: the team names no use of AWS, and this platform exists only as an AWS managed service." in text
    assert "Gemini Enterprise Agent Platform (Vertex AI) is ruled out: the team names no use of Google Cloud" in text


def test_the_renamed_google_platform_is_named_by_its_current_name_with_the_old_one_everywhere(base_and_scorer):
    """Vertex AI was renamed Gemini Enterprise Agent Platform in 2026: the text uses the new name with the old in
    brackets, and charts and table columns keep the old name too ("Agent Platform (Vertex AI)")."""
    from generator.brief.options import short_name

    assert short_name("Gemini Enterprise Agent Platform (Vertex AI)") == "Agent Platform (Vertex AI)"
    assert short_name("DVC (Data Version Control)") == "DVC"
    brief = brief_for(next(p for p in BF.PROFILES if p.stem == "gcp-managed-first"), base_and_scorer)
    text = text_of(brief)
    assert "Recommend Gemini Enterprise Agent Platform (Vertex AI)" in text
    assert "Google Vertex AI" not in text
    chart = next(b for b in all_blocks(brief) if isinstance(b, Chart))
    assert "Agent Platform (Vertex AI)" in repr(chart)


def test_quality_evidence_is_a_fact_about_each_tool_and_the_profiles_reason_is_said_once(base_and_scorer):
    """Kestrel's ease of use: each framework's line is its own rationale (with how far the profile moved it), and
    the data-scientists rule appears once, naming the frameworks it moved, not as every tool's evidence."""
    text = _example_text("ds-python-laptop-to-aws", base_and_scorer)
    assert (
        "Metaflow (4.5): Plain Python flows that run locally first; a study counted about 195 added lines, more than "
        "MLflow (raised from 4 to 4.5 for this team)."
    ) in text
    assert "MLflow (5): pip install and a few lines; in a study it needed under 104 added lines of code" in text
    assert text.count("Data scientists work in the tool every day, so a framework built for them") == 2  # here and the method
    assert (
        "What this team's situation changes: Data scientists work in the tool every day, so a framework built for them (plain "
        "Python, little infrastructure to learn) is easier for this team, and one built for platform engineers is "
        "harder; here this raises Metaflow and Weights & Biases."
    ) in text


def test_a_point_about_a_vendor_run_offering_is_left_out_for_a_team_that_may_not_use_one(base_and_scorer):
    """Flyte's "a managed option from its creators" is a pro for a team that may use managed services, and is not
    shown to the air-gapped bank that forbids them."""
    managed_pro = "A managed option from its creators (Union.ai)."
    bank = next(p for p in BF.PROFILES if p.stem == "bank-onprem-airgapped")
    assert managed_pro not in text_of(brief_for(bank, base_and_scorer))
    base, scorer = base_and_scorer
    a = BF.assessment_for(bank, base, scorer)
    open_profile = replace(a.profile, constraints=replace(a.profile.constraints, managed_services="allowed", saas_allowed=True),
                           infrastructure=replace(a.profile.infrastructure, air_gapped=False))
    ctx_open = _Ctx(scorer(open_profile, base), base, bundled_template("technical"), [])
    ctx_bank = _Ctx(a, base, bundled_template("technical"), [])
    point = next(p for p in base.frameworks["flyte"].pros if p.text == managed_pro)
    assert ctx_open.hosting_fits(point) and not ctx_bank.hosting_fits(point)


def test_the_ruled_out_heading_and_the_method_name_a_framework_that_does_none_of_the_stated_needs(base_and_scorer, tmp_path):
    """When a framework is ruled out for doing none of the team's must or should needs, the heading over the
    ruled-out table and the method appendix both give that cause; a brief without such a knock-out does not."""
    yaml_text = (
        "schema_version: 2\nproject: {name: GPU training}\n"
        "team: {size: 30, kubernetes_skill: expert, platform_team: dedicated}\n"
        "infrastructure: {kubernetes: self_managed, on_prem: true, gpus: many}\n"
        "goals: [developer_experience]\n"
        "needs: {distributed_training: should, hyperparameter_tuning: should}\n"
        "brief: {audience: technical}\n"
    )
    text = text_of(brief_from_yaml(yaml_text, tmp_path, base_and_scorer))
    assert "Ruled out, each because it does none of the team's must- or should-have needs or breaks a hard constraint:" in text
    assert (
        "So is a framework that does none of the team's must- or should-have needs (3 of 5 or more on none): it would "
        "be adopted for none of the needs the team rates a must or a should."
    ) in text
    bank = text_of(brief_for(next(p for p in BF.PROFILES if p.stem == "bank-onprem-airgapped"), base_and_scorer))
    assert "does none of the team's" not in bank


@pytest.mark.parametrize(
    ("split", "expected"),
    [
        ("", "A team of 30 people with "),
        ("data_scientists: 20, ", "A team of 30 people (20 data scientists) with "),
        ("data_scientists: 20, ml_engineers: 4, ", "A team of 30 people (20 data scientists, 4 ML engineers) with "),
    ],
)
def test_the_team_sentence_gives_only_the_roles_the_profile_counts(base_and_scorer, tmp_path, split, expected):
    """A profile that leaves the split of its team out reads as a team of 30, not as '0 data scientists, 0 ML engineers'."""
    yaml_text = (
        "schema_version: 2\nproject: {name: Team}\n"
        f"team: {{size: 30, {split}kubernetes_skill: basic}}\ninfrastructure: {{kubernetes: none}}\n"
    )
    assert expected in text_of(brief_from_yaml(yaml_text, tmp_path, base_and_scorer))


@pytest.mark.parametrize(
    ("infrastructure", "workload", "expected"),
    [
        ("{kubernetes: none, gpus: none}", "", "It names no cloud or data centre; it has no Kubernetes cluster and no GPUs."),
        (
            "{kubernetes: none, air_gapped: true, gpus: none}",
            "",
            "It names no cloud or data centre and is air-gapped from the internet; it has no Kubernetes cluster and no GPUs.",
        ),
        ("{kubernetes: managed, clouds: [aws], gpus: few}", "", "It runs on AWS with a managed Kubernetes service and a few GPUs."),
        ("{kubernetes: none}", "workload: {models_in_production: 0, data_volume: small}\n", "No models in production, a small data volume."),
        ("{kubernetes: none}", "workload: {models_in_production: 1}\n", "1 model in production."),
    ],
)
def test_the_situation_reads_as_sentences_when_the_profile_names_no_place_or_no_model(
    base_and_scorer, tmp_path, infrastructure, workload, expected
):
    """A profile with no cloud or data centre does not read as if its cluster belonged to a place it lacks, and
    a team with no models in production reads so, not as '0 models'."""
    yaml_text = (
        "schema_version: 2\nproject: {name: Place}\nteam: {size: 5, kubernetes_skill: basic}\n"
        f"infrastructure: {infrastructure}\n{workload}"
    )
    assert expected in text_of(brief_from_yaml(yaml_text, tmp_path, base_and_scorer))


def test_a_field_the_profile_leaves_out_is_listed_once_as_assumed_not_stated_as_a_fact(base_and_scorer, tmp_path):
    """A file silent on platform team, GPUs, models in production, data volume and serving gets its defaults named
    as assumptions in one sentence, and the plan does not claim that nothing is in production."""
    yaml_text = "schema_version: 2\nproject: {name: Quiet}\nteam: {size: 5, kubernetes_skill: basic}\ninfrastructure: {kubernetes: none}\n"
    text = text_of(brief_from_yaml(yaml_text, tmp_path, base_and_scorer))
    assert ("Not stated, so assumed: no platform team, no GPUs, a medium data volume and no model serving; not stated: "
            "how many models are in production.") in text
    assert "A team of 5 people with basic Kubernetes skill." in text
    assert "No models are in production" not in text and "No models in production" not in text


def test_serving_left_out_beside_a_serving_need_is_an_open_question_not_an_assumption(base_and_scorer, tmp_path):
    """"No model serving" beside a should-have serving need contradicted it: how predictions are served is then said
    to be not stated."""
    yaml_text = ("schema_version: 2\nproject: {name: Quiet}\nteam: {size: 5, kubernetes_skill: basic}\n"
                 "infrastructure: {kubernetes: none}\nneeds: {model_serving: should}\n")
    text = text_of(brief_from_yaml(yaml_text, tmp_path, base_and_scorer))
    assert "not stated: how many models are in production and how predictions are served." in text
    assert "no model serving" not in text


def test_a_field_the_profile_states_at_its_default_value_is_stated_not_assumed(base_and_scorer, tmp_path):
    """Writing the default out (serving: none) makes it a fact of the profile: stated, and not in the assumptions."""
    yaml_text = (
        "schema_version: 2\nproject: {name: Said}\nteam: {size: 5, kubernetes_skill: basic, platform_team: none}\n"
        "infrastructure: {kubernetes: none, gpus: none}\n"
        "workload: {models_in_production: 0, data_volume: medium, serving: none}\n"
    )
    text = text_of(brief_from_yaml(yaml_text, tmp_path, base_and_scorer))
    assert "No models in production, a medium data volume, no model serving." in text
    assert "Not stated, so assumed" not in text


@pytest.mark.parametrize("path", CASES)
@pytest.mark.parametrize("audience", ["executive", "technical"])
def test_options_considered_accounts_for_every_shortlisted_framework(path, audience, base_and_scorer):
    """Each framework the profile shortlists is named in Options considered (an option, a companion, ruled out, or
    why it is none of these) unless it leads an option the table leaves out and counts."""
    base, scorer = base_and_scorer
    a = BF.assessment_for(path, base, scorer)
    a = replace(a, profile=replace(a.profile, brief=replace(a.profile.brief, audience=audience)))
    brief = compose(a, base)
    section = next(s for s in brief.sections if isinstance(s, Section) and s.id == "scores")
    text = "\n".join(iter_text(replace(brief, sections=(section,))))
    options = next(b for b in all_blocks(brief) if isinstance(b, Table) and b.header[:3] == ("Role", "Option", "Score"))
    shown = {row[1] for row in options.rows}
    hidden_leads = {s.frameworks[0] for s in a.stacks if " + ".join(a.names[f] for f in s.frameworks) not in shown}
    missing = [r.framework for r in a.ranking if a.names[r.framework] not in text and r.framework not in hidden_leads]
    assert missing == []


@pytest.mark.parametrize("path", CASES)
def test_no_option_called_an_alternative_scores_above_the_runner_up(path, base_and_scorer):
    """The runner-up is the best option not built on the pick's main framework, so an option with that framework in it,
    even as a companion, is a variant, never an alternative above the runner-up."""
    brief = brief_for(path, base_and_scorer)
    options = next(b for b in all_blocks(brief) if isinstance(b, Table) and b.header[:3] == ("Role", "Option", "Score"))
    runner = [float(row[2]) for row in options.rows if row[0] == "Runner-up"]
    assert all(float(row[2]) <= runner[0] for row in options.rows if row[0] == "Alternative")


def test_where_every_option_has_the_picks_main_framework_none_is_a_variant_and_it_is_no_companion(base_and_scorer):
    """Every option of the genomics lab is built on MLflow: the others are alternatives, as the runner-up is, and
    MLflow, the recommendation's main framework, is not called a companion though Kedro + MLflow uses it as one."""
    path = next(p for p in BF.PROFILES if p.stem == "research-lab-open-source")
    brief = brief_for(path, base_and_scorer)
    options = next(b for b in all_blocks(brief) if isinstance(b, Table) and b.header[:3] == ("Role", "Option", "Score"))
    assert [row[0] for row in options.rows] == ["Recommended", "Runner-up", "Alternative"]
    section = next(s for s in brief.sections if s.id == "frameworks")
    mlflow = next(s for s in section.blocks if isinstance(s, Section) and s.id == "framework-mlflow")
    assert "Companion:" not in "\n".join(iter_text(replace(brief, sections=(mlflow,))))


def test_the_short_brief_rules_out_the_frameworks_that_miss_one_must_have_in_one_row(base_and_scorer):
    """Nordbank's ZenML, DVC and Kedro cannot do its governance must-have: the executive brief gives them one row with
    each one's level, not three rows saying the same."""
    path = next(p for p in BF.PROFILES if p.stem == "bank-onprem-airgapped")
    base, scorer = base_and_scorer
    a = BF.assessment_for(path, base, scorer)
    a = replace(a, profile=replace(a.profile, brief=replace(a.profile.brief, audience="executive")))
    table = next(b for b in all_blocks(compose(a, base)) if isinstance(b, Table) and b.header == ("Ruled out", "Why"))
    rows = [r for r in table.rows if "Governance and security is a must-have" in r[1]]
    assert [r[0] for r in rows] == ["ZenML, DVC (Data Version Control) and Kedro"]
    assert rows[0][1].startswith(
        "Governance and security is a must-have, but ZenML scores 2 of 5 on it and DVC (Data Version Control) and Kedro "
        "1, and no usable companion covers it for any of them."
    )


def test_a_companion_only_the_runner_up_uses_is_said_to_be_used_there(base_and_scorer):
    """The fraud brief recommends SageMaker alone; MLflow is an option only beside Kubeflow, the runner-up."""
    path = next(p for p in BF.PROFILES if p.stem == "aws-fraud-detection")
    base, scorer = base_and_scorer
    a = BF.assessment_for(path, base, scorer)
    a = replace(a, profile=replace(a.profile, brief=replace(a.profile.brief, audience="technical")))
    section = next(s for s in compose(a, base).sections if s.id == "frameworks")
    text = "\n".join(iter_text(replace(compose(a, base), sections=(section,))))
    assert "MLflow: 76.9 of 100 on its own (a must-have need takes a companion)\nCompanion: used inside the runner-up, " \
        "Kubeflow + MLflow, not on its own." in text


def test_a_framework_whose_every_combination_leaves_a_must_half_done_is_said_to_be_no_option(base_and_scorer):
    """Orbital's ZenML and Kedro reach every must-have only beside Kubeflow, whose tracking MLflow would do fully: no
    combination of theirs is an option, and the brief says why instead of calling their combinations options."""
    text = _example_text("gpu-platform-distributed", base_and_scorer)
    assert (
        "ZenML and Kedro meet every must-have need only with a companion, and every combination of them does a must-have "
        "need only adequately where a documented companion left out of it does that job fully, so neither is an option."
    ) in text
    assert not re.search(r"(ZenML|Kedro)[^.]*only their combinations are options", text)


def test_a_framework_whose_companion_would_do_all_it_does_is_said_to_be_no_option(base_and_scorer):
    """Lumen's ZenML and Metaflow track runs only with MLflow, which then does every need the team stated: the
    brief says why neither appears as an option, naming the companion and the need, instead of pointing at
    combinations it does not show."""
    text = text_of(brief_for(next(p for p in BF.PROFILES if p.stem == "startup-no-kubernetes"), base_and_scorer))
    assert (
        "ZenML and Metaflow are not options, alone or combined: each needs MLflow for experiment tracking, which "
        "already does every other must- or should-have need they do."
    ) in text
    assert "only their combinations are options" not in text


def test_a_tool_that_is_an_option_only_combined_is_not_called_a_companion_where_it_leads_an_option(base_and_scorer, tmp_path):
    """DVC, out alone for want of governance, may head a combination's name: the note says it is an option only
    together with another tool, which holds whichever part is named first."""
    yaml_text = (
        "schema_version: 2\nproject: {name: Lineage}\nteam: {size: 20, kubernetes_skill: basic}\n"
        "infrastructure: {kubernetes: none}\n"
        "needs: {governance_security: must, pipeline_orchestration: should, data_versioning: should}\n"
    )
    text = text_of(brief_from_yaml(yaml_text, tmp_path, base_and_scorer))
    assert (
        "DVC (Data Version Control) is an option only together with another tool: alone, governance and security is a "
        "must-have, but DVC (Data Version Control) scores 1 of 5 on it (a must-have needs at least 3) and no usable "
        "companion covers it."
    ) in text
    assert "used only as a companion" not in text


def _with_stakeholders(base_and_scorer, tmp_path, stem, stakeholders, audience=None):
    """An example profile with a stakeholders block appended, composed."""
    source = next(p for p in BF.PROFILES if p.stem == stem).read_text(encoding="utf-8")
    if audience:
        source = re.sub(r"audience: \w+", f"audience: {audience}", source)
    return brief_from_yaml(re.sub(r"(?ms)^stakeholders:.*?(?=^\w)", "", source) + stakeholders, tmp_path, base_and_scorer)


def test_page_one_says_the_recommendation_holds_for_every_stakeholder_of_contoso(base_and_scorer):
    """Contoso's three leads each put Azure ML first on their own priorities, and page 1 says so by name."""
    text = text_of(brief_for(next(p for p in BF.PROFILES if p.stem == "azure-enterprise"), base_and_scorer))
    assert (
        "Stakeholders: The recommendation holds for every stakeholder: weighing only their own priorities among these "
        "options, Head of Data Science, Head of IT Operations and Model Risk lead would each pick Azure Machine "
        "Learning too."
    ) in text


def test_page_one_names_the_stakeholder_who_would_pick_otherwise_and_their_priorities(base_and_scorer, tmp_path):
    """A lead data scientist whose priorities are tuning and data versioning would pick W&B over Lumen's MLflow."""
    brief = _with_stakeholders(
        base_and_scorer, tmp_path, "startup-no-kubernetes",
        "stakeholders:\n  - {name: Founder, weight: 2, priorities: {cost: 10}}\n"
        "  - name: Lead data scientist\n"
        "    priorities: {hyperparameter_tuning: 10, data_versioning: 10, ease_of_use: 2, operational_overhead: 2}\n",
    )
    assert (
        "Stakeholders: The recommendation holds for 1 of 2 stakeholders (Founder): Lead data scientist, whose "
        "priorities are hyperparameter tuning 10 of 10 and data versioning 10 of 10, would pick Weights & Biases. "
        "Settle the difference before the proof of concept."
    ) in text_of(brief)


def test_one_stakeholder_or_none_gets_no_stakeholder_sentence(base_and_scorer, tmp_path):
    """With a single stakeholder the group's weights are theirs: there is nobody to disagree."""
    brief = _with_stakeholders(
        base_and_scorer, tmp_path, "startup-no-kubernetes", "stakeholders:\n  - {name: Founder, priorities: {cost: 10}}\n"
    )
    assert "Stakeholders:" not in text_of(brief)
    assert "Stakeholders:" not in text_of(brief_for(next(p for p in BF.PROFILES if p.stem == "startup-no-kubernetes"), base_and_scorer))


def test_a_weight_raised_by_many_stakeholders_names_three_and_counts_the_rest(base_and_scorer, tmp_path):
    """Fifty long names in one table cell outgrew a PDF page: the row names three and counts the others."""
    people = "".join(f"  - {{name: Head of department {i}, priorities: {{cost: 10}}}}\n" for i in range(6))
    brief = _with_stakeholders(base_and_scorer, tmp_path, "azure-enterprise", "stakeholders:\n" + people,
                               audience="technical")
    weights = next(b for b in all_blocks(brief) if isinstance(b, Table) and b.header == ("Criterion", "Weight", "Why it weighs this much"))
    why = {row[0]: row[2] for row in weights.rows}
    assert ("raised by the priorities of Head of department 0 (10 of 10), Head of department 1 (10 of 10), "
            "Head of department 2 (10 of 10) and 3 more") in why["Cost"]


def test_the_technical_brief_tabulates_each_stakeholder_and_explains_weights_by_their_priorities(base_and_scorer, tmp_path):
    """Each stakeholder's voice, priorities and own pick are a table; a weight row names whose priority moved it,
    raised or lowered, and the combination is said once under the table, never as a reason on each row."""
    brief = _with_stakeholders(
        base_and_scorer, tmp_path, "azure-enterprise",
        "stakeholders:\n  - {name: Head of Data Science, priorities: {ease_of_use: 10, notebooks: 10}}\n"
        "  - {name: Head of IT Operations, weight: 2, priorities: {operational_overhead: 10, cost: 8}}\n"
        "  - {name: Model Risk lead, priorities: {governance_security: 10}}\n",
        audience="technical",
    )
    table = next(b for b in all_blocks(brief) if isinstance(b, Table) and b.header[0] == "Stakeholder")
    assert table.header == ("Stakeholder", "Voice", "Priorities", "Own pick")
    assert table.rows == (
        ("Head of Data Science", "1", "Ease of use 10 of 10 and notebook servers 10 of 10", "Azure Machine Learning"),
        ("Head of IT Operations", "2", "Operational overhead 10 of 10 and cost 8 of 10", "Azure Machine Learning"),
        ("Model Risk lead", "1", "Governance and security 10 of 10", "Azure Machine Learning"),
    )
    weights = next(b for b in all_blocks(brief) if isinstance(b, Table) and b.header == ("Criterion", "Weight", "Why it weighs this much"))
    why = {row[0]: row[2] for row in weights.rows}
    assert why["Notebook servers"] == (
        "A should-have need (5% before adjustment); raised by the priority of Head of Data Science (10 of 10), but "
        "other criteria were raised more, so its share stayed at 5%"
    )
    assert "lowered by the priority of Model Risk lead (10 of 10), which is less than the facts about the team give it" in why[
        "Governance and security"]
    assert not any("Combined from" in w or "combined from" in w for w in why.values())
    assert weights.caption == (
        "The weights combine the priorities of 3 stakeholders (Head of Data Science, Head of IT Operations and Model "
        "Risk lead) by their weighted geometric mean, each on top of the team's own weights and counting by its voice."
    )


def test_the_situation_states_the_inputs_profile_version_2_added(base_and_scorer):
    """Harbourline's reader can check what decided its case: daily users and teams, today's tools and what stays
    or goes, runs a week, the SaaS and lock-in constraints and its goals in order."""
    text = text_of(brief_for(next(p for p in BF.PROFILES if p.stem == "standard-pipeline-code"), base_and_scorer))
    for line in (
        "A team of 46 people (40 data scientists, 6 ML engineers) with intermediate Kubernetes skill and a dedicated "
        "platform team; data scientists work in the tool every day and 8 teams will share it.",
        "60 models in production, a medium data volume, batch predictions only, hundreds of runs a week; libraries in "
        "use: pandas, sklearn, lightgbm and statsmodels.",
        "Today it uses Argo Workflows, Kubernetes, Jupyter and Git; training and pipelines run on Kubernetes; Argo "
        "Workflows must stay, and an in-house system is being replaced.",
        "Constraints: Open-source software only, managed services allowed, no third-party hosted (SaaS) service, "
        "lock-in to be avoided, a medium budget and results expected within quarters.",
        "Goals, most important first: Maintainable pipeline code, standardisation and reproducibility.",
    ):
        assert line in text


def test_a_version_1_profile_gets_no_sentence_about_inputs_it_cannot_state(base_and_scorer, tmp_path):
    """A version-1 profile (no current tools, no goals, mixed users, one team) adds no empty sentences for them."""
    yaml_text = (
        "schema_version: 1\nproject: {name: Lab}\nteam: {size: 6, kubernetes_skill: none}\n"
        "infrastructure: {kubernetes: none, on_prem: true, gpus: few}\n"
    )
    brief = brief_from_yaml(yaml_text, tmp_path, base_and_scorer)
    situation = "\n".join(iter_text(replace(brief, sections=tuple(s for s in brief.sections if s.id == "profile"))))
    assert "Today " not in situation and "Goal" not in situation and "every day" not in situation
    assert "It runs in its own data centre with no Kubernetes cluster and a few GPUs." in situation


def test_a_tool_in_use_that_must_stay_is_named_once(base_and_scorer):
    """Verde uses BigQuery and keeps it: 'it uses BigQuery, which must stay', not 'BigQuery; BigQuery must stay'."""
    text = text_of(brief_for(next(p for p in BF.PROFILES if p.stem == "gcp-managed-first"), base_and_scorer))
    assert "Today it uses BigQuery, which must stay." in text


@pytest.mark.parametrize(
    ("kept", "sentence"),
    [("[bigquery, git]", "Today it uses BigQuery and Git, which must both stay."),
     ("[bigquery, git, jupyter]", "Today it uses BigQuery, Git and Jupyter, which must all stay.")],
    ids=["two", "three"],
)
def test_tools_in_use_that_must_all_stay_are_counted_in_words(kept, sentence, tmp_path, base_and_scorer):
    """Two kept tools 'must both stay'; 'all' is for three or more."""
    source = next(p for p in BF.PROFILES if p.stem == "gcp-managed-first").read_text(encoding="utf-8")
    old = "  tools: [bigquery]\n  keep: [bigquery]"
    assert old in source
    text = text_of(brief_from_yaml(source.replace(old, f"  tools: {kept}\n  keep: {kept}"), tmp_path,
                                   base_and_scorer))
    assert sentence in text


def _option_notes(brief) -> list[str]:
    section = next(s for s in brief.sections if s.id == "scores")
    return ["".join(t.text for t in item.content) for b in section.blocks if isinstance(b, BulletList) for item in b.items]


@pytest.mark.parametrize("audience", ["executive", "technical"])
def test_a_recommended_combination_says_why_its_companions_beat_its_closest_variant(base_and_scorer, audience):
    """Orbital's reader asks why Weights & Biases and not MLflow beside Kubeflow: the options section answers
    with what the pick gains in points and what the variant does better."""
    path = next(p for p in BF.PROFILES if p.stem == "gpu-platform-distributed")
    notes = _option_notes(brief_for(path, base_and_scorer, template=bundled_template(audience)))
    assert (
        "Weights & Biases rather than MLflow beside Kubeflow: the recommendation leads on data versioning (4 of 5 "
        "against 0, worth 3.8 points); Kubeflow + MLflow, 2.4 points behind, scores higher on model registry (5 against "
        "4) and cost (3 against 2). Kubeflow + MLflow would lead if model registry mattered more than 15% of the total "
        "weight (now 5%)."
    ) in notes


def test_a_variant_better_at_nothing_is_said_to_be_so_instead_of_a_dangling_points_behind(base_and_scorer):
    """Harbourline's Kubeflow + Kedro trails Kubeflow + DVC on data versioning and leads on nothing the team weighs."""
    path = next(p for p in BF.PROFILES if p.stem == "standard-pipeline-code")
    notes = _option_notes(brief_for(path, base_and_scorer, template=bundled_template("technical")))
    assert (
        "DVC (Data Version Control) rather than Kedro beside Kubeflow: the recommendation leads on data versioning (5 of "
        "5 against 3, worth 3.5 points), and Kubeflow + Kedro, 3.6 points behind, scores higher on no criterion the team "
        "weighs."
    ) in notes


@pytest.mark.parametrize("path", [p for p in BF.PROFILES if p.stem in ("aws-fraud-detection", "llm-app-team")], ids=lambda p: p.stem)
def test_a_single_framework_pick_gets_no_companion_comparison(base_and_scorer, path):
    """Page 1 argues a single framework against every option; "rather than ... beside" is for combinations
    (the LLM team's MLflow has a variant, MLflow + Kubeflow, far behind)."""
    assert not [n for n in _option_notes(brief_for(path, base_and_scorer)) if "the recommendation leads on" in n]


def test_the_companion_comparison_calls_a_kept_tool_kept(base_and_scorer):
    """Meridian keeps Airflow: the question is MLflow beside it or MLflow alone, not whether to add Airflow."""
    path = next(p for p in BF.PROFILES if p.stem == "keep-airflow-data-eng")
    notes = [n for n in _option_notes(brief_for(path, base_and_scorer)) if "the recommendation leads on" in n]
    assert [n.split(":", 1)[0] for n in notes] == ["MLflow beside the Apache Airflow the team keeps rather than MLflow alone"]


def test_flips_are_ranked_by_how_many_times_a_weight_must_change_not_by_percentage_points():
    """Halving a weight is as near as doubling it, and a criterion at 8% that flips at 4% comes before one at 1%
    that flips at 5% (five times its weight): the random trials vary each weight by a factor, not by points."""
    from generator.brief.change import _distance

    half, double = Flip("a", 0.08, 0.04, "x"), Flip("b", 0.04, 0.08, "x")
    assert math.isclose(_distance(half), _distance(double))
    assert _distance(Flip("ops", 0.08, 0.04, "x")) < _distance(Flip("code", 0.01, 0.05, "x"))


def _case_brief(stem: str, tmp_path, base_and_scorer, audience: str = "technical"):
    """The brief of a calibration case's profile (tests/cases), for findings a reader made on it."""
    import yaml

    data = yaml.safe_load((BF.PROFILES[0].parent.parent.parent / "tests" / "cases" / f"{stem}.yaml").read_text())["profile"]
    data["brief"] = {"audience": audience, "formats": ["md"]}
    return brief_from_yaml(yaml.safe_dump(data), tmp_path, base_and_scorer)


def test_a_framework_in_no_option_is_said_to_be_none_where_its_score_on_its_own_is_given(tmp_path, base_and_scorer):
    """Zillow's MLflow scores 86.2 on its own but is in no option: its pros-and-cons heading says so, or a reader takes
    it for a better pick the brief ignored."""
    brief = _case_brief("zillow-sagemaker", tmp_path, base_and_scorer)
    headings = [s.title for s in all_blocks(brief) if isinstance(s, Section) and s.id.startswith("framework-")]
    mlflow = next(h for h in headings if h.startswith("MLflow: "))
    assert mlflow.endswith(" of 100 on its own, but not an option (see Options considered)")
    assert not any(h.endswith("but not an option (see Options considered)") for h in headings if not h.startswith("MLflow"))


def test_a_proof_of_concept_without_must_have_needs_exits_on_its_success_criteria(tmp_path, base_and_scorer):
    """With nothing marked as a must, "if neither option shows every must-have need" could never fail: the exit is
    tied to the success criteria instead."""
    text = text_of(brief_from_yaml(
        "schema_version: 2\nproject: {name: Q}\nteam: {size: 5, kubernetes_skill: basic}\ninfrastructure: {kubernetes: none}\n"
        "needs: {experiment_tracking: should}\n", tmp_path, base_and_scorer))
    assert "must-have need within the time box" not in text
    assert "the success criteria" in text and "within the time box" in text


def test_a_reason_crediting_a_companion_beside_a_tie_has_one_comma(tmp_path, base_and_scorer):
    """Netflix's Metaflow + MLflow "scores 5 of 5 on model registry, which MLflow brings,, as Apache Airflow + MLflow
    does": one comma between the companion and the tie."""
    text = text_of(_case_brief("netflix-metaflow", tmp_path, base_and_scorer))
    assert "which MLflow brings, as " in text and ",," not in text


def test_a_flip_point_beside_a_rounded_table_weight_says_which_is_rounded(tmp_path, base_and_scorer):
    """Lyft's data versioning weighs 1.7% and its weights table prints 1% (shares rounded to whole percents that add up
    to 100): the flip sentence names both, so one weight does not read as two."""
    text = text_of(_case_brief("lyft-flyte", tmp_path, base_and_scorer))
    assert ("If data versioning mattered less than 1.6% of the total weight (now 1.7%, 1% in the weights table, which "
            "rounds to whole percents), Apache Airflow would lead.") in text


def test_a_drawback_whose_premise_the_team_meets_is_neither_a_risk_nor_what_the_proof_of_concept_checks(
        tmp_path, base_and_scorer):
    """Flyte's "requires Kubernetes to run in production" is no risk for Lyft, which runs its work on its own cluster with
    expert skill; it stays one for a team without a cluster."""
    lyft = text_of(_case_brief("lyft-flyte", tmp_path, base_and_scorer))
    assert "Requires Kubernetes to run in production" not in lyft
    assert "the main risk checked: requires Kubernetes" not in lyft


def test_an_open_source_only_team_is_not_advised_a_vendor_run_service(tmp_path, base_and_scorer):
    """Wikimedia runs on its own hardware under a strict open-source policy: Airflow's upgrade risk is mitigated with
    the official Helm chart, not "a managed Airflow", which is a vendor's commercial service."""
    brief = _case_brief("wikimedia-foundation-airflow", tmp_path, base_and_scorer)
    risks = next(s for s in all_blocks(brief) if isinstance(s, Section) and s.id == "risks")
    rows = [r for b in risks.blocks if isinstance(b, Table) for r in b.rows]
    row = next(r for r in rows if r[0].startswith("Self-hosting means several services"))
    assert row[3] == "Use the official Helm chart with pinned versions."


def test_the_title_block_names_an_author_only_when_the_profile_gives_one(base_and_scorer):
    """Without project.author the organisation is not printed again as the author ("Author: Acme" under
    "Organisation: Acme"); the file's properties still name it."""
    a = BF.assessment_for(BF.PROFILES[0], *base_and_scorer)
    named = compose(a, base_and_scorer[0])
    assert named.meta.byline == a.profile.project.author != ""
    anonymous = replace(a, profile=replace(a.profile, project=replace(a.profile.project, author=None)))
    meta = compose(anonymous, base_and_scorer[0]).meta
    assert meta.byline == "" and meta.author == (a.profile.project.organisation or "briefgen")
    from generator.render.markdown import render_markdown

    assert "**Author:**" not in render_markdown(compose(anonymous, base_and_scorer[0]))


LEVEL = """\
schema_version: 2
project: {name: Nothing asked}
team: {size: 8, kubernetes_skill: basic}
infrastructure: {kubernetes: none, clouds: [aws], gpus: few}
workload: {models_in_production: 5, serving: batch}
needs: {experiment_tracking: wont, model_registry: wont, pipeline_orchestration: wont, hyperparameter_tuning: wont,
        model_serving: wont, distributed_training: wont, notebooks: wont, data_versioning: wont, llm_ops: wont,
        governance_security: wont}
brief: {audience: technical}
"""


def test_two_options_level_on_score_are_said_to_be_level_not_ahead(tmp_path, base_and_scorer):
    """Kedro and MLflow tie to the tenth of a point: no "0.0 points ahead", no "stays ahead in", and what would change
    the decision names the criteria each is stronger on, not flip points at the weights as they stand."""
    brief = brief_from_yaml(LEVEL, tmp_path, base_and_scorer)
    text = text_of(brief)
    assert brief.meta and "0.0 points ahead" not in text and "mattered less than" not in text
    assert "Kedro and MLflow are level at 89.6 of 100 (less than 0.05 points apart), and no other framework beats Kedro " in text
    assert ("Kedro and MLflow are level on score, so a little more weight on any criterion where one of them is "
            "stronger puts it first: MLflow on ease of use, scalability and ecosystem; Kedro on operational overhead "
            "and pipeline code structure.") in text
    assert "The choice over MLflow is not settled: level on score, and not beaten in " in text
