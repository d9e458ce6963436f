"""Page 1, the weights and scores tables, and their wording, on the real example profiles."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from generator.brief.compose import compose
from generator.brief.templating import bundled_template
from generator.document import BulletList, Callout, Paragraph, Section, Table, iter_text
from generator.knowledge import load_knowledge
from generator.profile import load_profile
from generator.scoring import assess
from generator.wording import ordinal, percent_shares

PROFILES = Path(__file__).resolve().parent.parent / "data" / "profiles"
EXAMPLES = sorted(p.stem for p in PROFILES.glob("*.yaml"))


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(())


def _brief(kb, name, audience=None):
    a = assess(load_profile(PROFILES / f"{name}.yaml", known_frameworks=tuple(kb.frameworks)), kb)
    return a, compose(a, kb, template=bundled_template(audience or a.profile.brief.audience))


def _section(brief, sid):
    return next(s for s in brief.sections if s.id == sid)


def _text(section: Section) -> str:
    """A section's visible text in reading order, one paragraph, list item or caption per line."""
    out = [section.title]
    for b in section.blocks:
        if isinstance(b, Section):
            out.append(_text(b))
        elif isinstance(b, Paragraph):
            out.append("".join(t.text for t in b.content))
        elif isinstance(b, BulletList):
            out += ["".join(t.text for t in p.content) for p in b.items]
        elif isinstance(b, Callout):
            out += ["".join(t.text for t in p.content) for p in b.body]
        elif isinstance(b, Table):
            out += [" | ".join(row) for row in b.rows] + [b.caption]
    return "\n".join(out)


def _tables(section):
    for b in section.blocks:
        if isinstance(b, Table):
            yield b
        elif isinstance(b, Section):
            yield from _tables(b)


def _why_table(brief):
    return next(t for t in _tables(_section(brief, "drivers")) if t.header[-1] == "Why it weighs this much")


# --- 8: the cross-check's places -----------------------------------------------------------------


def test_page_one_says_where_the_cross_check_ranks_the_pick_when_it_is_not_first(kb):
    """The bank's pick is 3rd of 4 on TOPSIS, not merely "not preferred": page 1 says so."""
    _, brief = _brief(kb, "bank-onprem-airgapped")
    assert (
        "; a second ranking method (by closeness to an ideal option) ranks it only 3rd of 4 options and prefers Flyte + MLflow."
    ) in _text(_section(brief, "recommendation"))


def test_a_cross_check_leader_that_shares_the_picks_main_framework_is_said_to(kb):
    """Were TOPSIS to prefer Kubeflow + DVC to the bank's Kubeflow + MLflow, the brief would say only the companion differs."""
    from dataclasses import replace

    from generator.brief.context import _Ctx

    a, _ = _brief(kb, "bank-onprem-airgapped")
    a = replace(a, topsis_leader="kubeflow+dvc")
    ctx = _Ctx(a, kb, bundled_template("executive"), [])
    assert ctx.cross_check_leader() == "Kubeflow + DVC (Data Version Control), the same main framework with another companion"
    method = _text(_section(compose(a, kb, template=bundled_template("technical")), "methodology"))
    assert "ranks Kubeflow + DVC (Data Version Control), the same main framework with another companion, first" in method


def test_page_one_gives_the_runner_up_place_on_the_cross_check_and_what_it_puts_second(kb, monkeypatch):
    """Were the fraud brief's runner-up (3rd by score) last of its four options on TOPSIS, the confidence line would
    say so ("last", not "only 4th" of four) and name the 2nd; as it is, the line says only that both methods agree."""
    from generator.brief.context import _Ctx

    a, brief = _brief(kb, "aws-fraud-detection")
    assert "; a second ranking method (by closeness to an ideal option) also puts it first." in _text(
        _section(brief, "recommendation"))
    ctx = _Ctx(a, kb, bundled_template("executive"), [])
    keys = [o.key for o in ctx.options.viable]
    places = {a.sensitivity.leader: 1, "mlflow+sagemaker": 2, a.sensitivity.runner_up: len(keys)}
    places.update({k: 3 for k in keys if k not in places})
    monkeypatch.setattr(_Ctx, "cross_check_rank", lambda self, key: places.get(key, 5))
    assert ctx.cross_check() == ("a second ranking method (by closeness to an ideal option) also puts it first, MLflow + "
                                 "Amazon SageMaker AI second and the runner-up, Kubeflow + MLflow, last")


def test_page_one_names_no_second_when_the_cross_check_puts_two_options_level_there(kb, monkeypatch):
    """Were two options level in the cross-check's 2nd place, the line would give the runner-up's place alone."""
    from generator.brief.context import _Ctx

    a, _ = _brief(kb, "aws-fraud-detection")
    ctx = _Ctx(a, kb, bundled_template("executive"), [])
    runner = a.sensitivity.runner_up
    level = [o.key for o in ctx.options.viable if o.key not in (a.sensitivity.leader, runner)][:2]
    places = {a.sensitivity.leader: 1, level[0]: 2, level[1]: 2, runner: 4}
    monkeypatch.setattr(_Ctx, "cross_check_rank", lambda self, key: places.get(key, 5))
    assert ctx.cross_check().endswith("also puts it first and the runner-up, Kubeflow + MLflow, last")


def test_the_method_appendix_gives_the_pick_place_on_the_cross_check(kb):
    """Where the technical brief discusses the cross-check, it gives the pick's place too."""
    _, brief = _brief(kb, "bank-onprem-airgapped", "technical")
    method = _text(_section(brief, "methodology"))
    assert "ranks Flyte + MLflow first and the recommendation 3rd of 4 options." in method
    # The robustness share counts options on other frameworks only, and says so.
    assert "the share of trials in which the recommendation stays ahead of every other framework is 87%." in method


def test_ordinals_read_as_people_write_them():
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd."""
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"]


# --- 11: reasons checkable beside their criteria ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.stem for p in PROFILES.glob("*.yaml")))
def test_the_criteria_table_shows_every_criterion_page_one_argues_from(kb, name):
    """Every criterion a reason, the trade-off or the rival cites has its row in the decision drivers."""
    a, brief = _brief(kb, name, "executive")
    names = {kb.criteria[c].name if c in kb.criteria else a.criterion_names[c] for c in
             {r.criterion for r in a.recommendation.detail if r.criterion}}
    rows = {row[0] for row in _why_table(brief).rows}
    assert names <= rows, names - rows


def test_verde_executive_table_shows_the_three_criteria_its_reasons_cite(kb):
    """Operational overhead, infrastructure fit and fit with current tools are shown, and the caption says why: the
    first is one of the criteria tied at 6% at the cut (where the options differ most, 5 against 0), the other two
    join the five heaviest as criteria page 1 argues from."""
    _, brief = _brief(kb, "gcp-managed-first")
    assert [row[0] for row in _why_table(brief).rows][4:] == ["Operational overhead", "Infrastructure fit", "Fit with current tools"]
    matrix = next(t for t in _tables(_section(brief, "drivers")) if t.rows[-1][0] == "Total (0-100)")
    assert ("Shown: the 5 heaviest of the 19 weighted criteria and 2 more the executive summary argues from; the other "
            "12 are one row, each option's weighted mean level on them.") in matrix.caption


def _case_brief(kb, case_name, audience="executive"):
    """The brief of a calibration case's profile (tests/cases), as its team would read it."""
    import yaml

    from generator.profile import profile_from_mapping

    case = yaml.safe_load((Path(__file__).parent / "cases" / f"{case_name}.yaml").read_text(encoding="utf-8"))
    profile = profile_from_mapping({**case["profile"], "brief": {"audience": audience}},
                                   known_frameworks=tuple(kb.frameworks))
    a = assess(profile, kb)
    return a, compose(a, kb, template=bundled_template(audience))


def test_a_table_whose_sums_put_the_top_two_the_other_way_round_says_so(kb):
    """Telkomsel's Kedro leads DVC by 0.1 on the exact weights, but its printed rows multiply out to 72.5 against
    72.6: the caption names the swap, though the largest miss (0.3) is under the half point it otherwise waits for."""
    _, brief = _case_brief(kb, "telkomsel-kedro")
    matrix = next(t for t in _tables(_section(brief, "drivers")) if t.rows[-1][0] == "Total (0-100)")
    assert matrix.caption.endswith("Weights are printed in whole percents, so a column multiplied out can miss its "
                                   "total by up to 0.3 points, enough to swap Kedro and DVC.")


def test_a_framework_that_is_no_option_yet_outscores_every_option_is_the_top_scorer_page_one_explains(kb):
    """Zillow's MLflow (86.2) needs SageMaker AI for model serving, which does all else MLflow does: page 1 named Kedro
    (75.2, ruled out) the top scorer and never said why the highest score is no option."""
    a, brief = _case_brief(kb, "zillow-sagemaker")
    rival = next(r for r in a.recommendation.detail if r.kind == "rival")
    assert rival.text == (
        "MLflow would score higher (86.2 of 100 against 72.9) but is not an option: it needs Amazon SageMaker AI for "
        "model serving, and that companion already does every other must- or should-have need MLflow does.")
    assert rival.factors == ("needs.model_serving",)
    summary = " ".join(t.text for b in _section(brief, "recommendation").blocks if hasattr(b, "content") for t in b.content)
    assert "Why not the top scorer: " in summary


def test_an_open_gap_no_companion_closes_carries_the_options_own_advice_for_it(kb):
    """AP-HP's runner-up DVC + MLflow has no tuner, and no companion fits the team; MLflow's own drawback says what
    does the job, which "accept it or widen the shortlist" alone left out."""
    from generator.document import iter_text

    _, brief = _case_brief(kb, "aphp-eds-pseudo-dvc")
    assert ("no documented companion that fits this team closes it: accept it or widen the shortlist. For "
            "hyperparameter tuning: Use Optuna, Ray or Spark.") in " ".join(iter_text(brief))


def test_a_pick_the_team_already_runs_is_said_to_be_built_on_not_adopted(kb):
    """Wise trains on SageMaker AI today and is told to pick it: page 1 says the team runs it already, under the
    headline, instead of reading as advice to adopt a new platform."""
    from generator.document import iter_text

    a, brief = _case_brief(kb, "wise-airflow")
    assert a.recommendation.primary == "sagemaker"
    page_one = " ".join(iter_text(replace(brief, sections=brief.sections[:1])))
    assert ("Already in use: the team runs Amazon SageMaker AI today, so this is advice to build on it, not to adopt "
            "a new platform.") in page_one


def test_a_table_whose_sums_shrink_the_lead_says_so_under_the_half_point(kb):
    """NAVER's Flyte leads Kubeflow by 0.6 on the exact weights; its printed rows multiply out to a lead of 0.2, with no
    column more than 0.4 off: the caption says how far whole percents take the sums."""
    _, brief = _case_brief(kb, "naver-aisuite-kubeflow")
    matrix = next(t for t in _tables(_section(brief, "drivers")) if t.rows[-1][0] == "Total (0-100)")
    assert matrix.rows[-1][2:4] == ("72.6", "72.0")
    assert matrix.caption.endswith("Weights are printed in whole percents, so a column multiplied out can miss its "
                                   "total by up to 0.4 points.")


def test_of_criteria_tied_at_the_cut_the_table_shows_those_the_options_differ_on_most(kb):
    """Kurly's cost and fit with current tools both print 7% at the cut: fit (ClearML 1 against 3) is shown, not
    folded into "other criteria" because the knowledge base lists cost first."""
    _, brief = _case_brief(kb, "kurly-kubeflow")
    rows = {row[0]: row[1] for row in _why_table(brief).rows}
    assert rows["Fit with current tools"] == rows["Cost"] == "7%"


@pytest.mark.parametrize("name", ["gcp-managed-first", "startup-no-kubernetes", "bank-onprem-airgapped"])
def test_an_executive_options_table_of_the_heaviest_criteria_still_adds_up_to_its_total(kb, name):
    """The criteria left out are one row, weighing what the shown rows leave of 100% at each option's weighted mean
    level there, so the printed weights add up to 100% and the rows multiply out to each option's total."""
    a, brief = _brief(kb, name, "executive")
    matrix = next(t for t in _tables(_section(brief, "drivers")) if t.rows[-1][0] == "Total (0-100)")
    *rows, other, total = matrix.rows
    assert other[0].endswith(" other criteria (weighted mean)")
    assert sum(int(r[1].rstrip("%")) for r in (*rows, other)) == 100
    misses = [abs(20 * sum(int(r[1].rstrip("%")) / 100 * float(r[col]) for r in (*rows, other)) - float(total[col]))
              for col in range(2, len(total))]
    _assert_rounding_is_said(matrix, misses)


def _assert_rounding_is_said(matrix, misses):
    """A table whose columns multiply out to within half a point, in the totals' order and with the lead of the first
    two within 0.3, says nothing; one that misses by more, whose sums put two neighbouring options the other way
    round, or whose sums shrink or stretch the lead, says by how much (the largest miss)."""
    note = re.search(r"a column multiplied out can miss its total by up to (\d+\.\d) points[.,]", matrix.caption)
    totals = [float(t) for t in matrix.rows[-1][2:]]
    sums = [t + m for t, m in zip(totals, _signed_misses(matrix))]
    swapped = any(totals[i] > totals[i + 1] and sums[i] < sums[i + 1] for i in range(len(totals) - 1))
    lead_off = len(totals) > 1 and abs((sums[0] - sums[1]) - (totals[0] - totals[1])) >= 0.3
    if max(misses) < 0.5 and not swapped and not lead_off:
        assert note is None, matrix.caption
    else:
        assert note is not None and float(note.group(1)) == round(max(misses), 1), (matrix.caption, misses)
        assert ("enough to swap " in matrix.caption) == swapped, matrix.caption


def _signed_misses(matrix):
    *body, total = matrix.rows
    pct = [0.0 if r[1].startswith("<") else float(r[1].rstrip("%")) for r in body]
    return [20 * sum(p / 100 * float(r[col]) for p, r in zip(pct, body)) - float(total[col]) for col in range(2, len(total))]


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("audience", ["executive", "technical"])
def test_every_score_table_multiplies_out_to_its_totals_or_says_by_how_much_it_misses(kb, name, audience):
    """Whole-percent weights can move a column's product off its total; the caption then gives the largest miss."""
    _, brief = _brief(kb, name, audience)
    matrix = next(t for t in _tables(_section(brief, "drivers")) if t.rows[-1][0] == "Total (0-100)")
    *body, total = matrix.rows
    assert not any(r[0].startswith("1 other criteria") for r in body)
    pct = lambda cell: 0.0 if cell.startswith("<") else float(cell.rstrip("%"))  # noqa: E731
    misses = [abs(20 * sum(pct(r[1]) / 100 * float(r[col]) for r in body) - float(total[col])) for col in range(2, len(total))]
    _assert_rounding_is_said(matrix, misses)


# --- 12: weights and why they weigh that much ------------------------------------------------------


def test_largest_remainder_shares_add_up_to_one_hundred_and_keep_equal_shares_equal():
    """Independent rounding printed 101%; equal weights still print equal, and a sliver reads "<1%"."""
    assert percent_shares([1, 1, 1]) == ["34%", "33%", "33%"]
    assert percent_shares([0.065, 0.065, 0.87]) == ["6%", "6%", "88%"]
    assert percent_shares([0.496, 0.496, 0.004, 0.004, 0.0]) == ["50%", "50%", "<1%", "<1%", "0%"]
    shares = [0.152, 0.152, 0.146, 0.122, 0.076, 0.05, 0.046, 0.038, 0.038, 0.038, 0.029, 0.029, 0.028, 0.023, 0.01, 0.01, 0.01, 0.005]
    assert sum(int(s.rstrip("%").lstrip("<")) for s in percent_shares(shares) if s != "<1%") == 100


@pytest.mark.parametrize("name", ["bank-onprem-airgapped", "ds-python-laptop-to-aws", "research-slurm-gpu"])
def test_the_technical_weights_table_adds_up_to_its_printed_total(kb, name):
    """The briefs the reader found at 101% and 102% print weights that sum to exactly 100%."""
    _, brief = _brief(kb, name, "technical")
    matrix = next(t for t in _tables(_section(brief, "drivers")) if t.rows[-1][0] == "Total (0-100)")
    assert matrix.rows[-1][1] == "100%"
    assert sum(int(row[1][:-1]) for row in matrix.rows[:-1] if row[1] != "<1%") == 100


def test_a_could_have_of_a_fraction_of_a_percent_reads_below_one_percent(kb):
    """The bank's distributed training (a could-have) is not "0%", the same as a need marked not needed."""
    _, brief = _brief(kb, "bank-onprem-airgapped", "technical")
    assert dict((row[0], row[1]) for row in _why_table(brief).rows)["Distributed training"] == "<1%"


def test_weight_reasons_read_as_plain_words_and_repeat_no_reason(kb):
    """"Its standard weight; raised:" becomes "Starts at the standard x%; raised because ..."; a reason
    given on one row is named by that row on the next when it moved both the same way, and given again when it
    raised one and lowered the other ("lowered for the same reason as scalability", which it raised, contradicted)."""
    _, brief = _brief(kb, "bank-onprem-airgapped", "technical")
    why = {row[0]: row[2] for row in _why_table(brief).rows}
    assert why["Pipeline orchestration"] == "A must-have need (11% before adjustment); raised for the same reason as experiment tracking"
    assert why["Infrastructure fit"].startswith(
        "Starts at the standard 5%; raised because the team wants to avoid lock-in")
    assert why["Infrastructure fit"].endswith(", but other criteria were raised more, so its share stayed at 5%")
    assert why["Operational overhead"] == (
        "Starts at the standard 5%; lowered because a dedicated platform team operates infrastructure, so "
        "running a heavier platform matters less"
    )
    assert why["Cost"] == "Standard weight"
    assert not any("Its standard weight" in w or "raised:" in w or "lowered:" in w for w in why.values())


def test_a_raised_weight_whose_share_fell_says_others_rose_more(kb):
    """The lab's operational overhead was raised yet fell from 10% to 8%: the row gives the cause, then the other
    criteria, then the share ("raised ..., so its share fell" and "its share fell to 8%: raised ..." both read as
    contradictions)."""
    _, brief = _brief(kb, "research-slurm-gpu", "technical")
    why = {row[0]: row[2] for row in _why_table(brief).rows}
    assert why["Operational overhead"] == (
        "Starts at the standard 10%; raised for the same reason as ease of use, but other criteria were raised "
        "more, so its share fell to 8%"
    )


# --- 13: levels off the 0-5 whole numbers --------------------------------------------------------


def test_page_one_quotes_a_combinations_cost_at_the_scales_floor(kb):
    """Verde's page 1 quotes Kubeflow + MLflow's operational overhead as 0, the scale's floor (Kubeflow's 1 less the
    second tool's cost), with no note about levels off the scale."""
    _, brief = _brief(kb, "gcp-managed-first")
    text = _text(_section(brief, "recommendation"))
    assert "scores 5 of 5 on operational overhead against 0 for Kubeflow + MLflow: managed services" in text
    assert "below 0" not in text and "-0.5" not in text


def test_a_score_table_with_a_half_point_says_why_in_its_caption(kb):
    """Verde's drivers matrix prints a 0.5: its caption explains the half point and nothing about negatives."""
    _, brief = _brief(kb, "gcp-managed-first")
    matrix = next(t for t in _tables(_section(brief, "drivers")) if t.rows[-1][0] == "Total (0-100)")
    assert "A half (such as 0.5) comes from facts about this team that move scores in half levels." in matrix.caption
    assert "below 0" not in matrix.caption


def test_page_one_without_such_levels_has_no_scale_note(kb):
    """A page 1 quoting only whole levels carries no note about them."""
    _, brief = _brief(kb, "bank-onprem-airgapped")
    assert "half point" not in _text(_section(brief, "recommendation"))


# --- 14: the must-have threshold --------------------------------------------------------------------


def test_the_must_have_threshold_is_defined_in_one_plain_sentence_where_first_used(kb):
    """The rule matches scoring: met alone at 4 or more, or at 3 when no companion does the job fully (4 or more); a
    combination at 3 through any of its tools."""
    _, brief = _brief(kb, "bank-onprem-airgapped")
    assert (
        "Must-have needs (experiment tracking, model registry, pipeline orchestration, and governance and security): an "
        "option has to do each one well (4 of 5 or more), or adequately (3) when no companion it works with does it "
        "well; a framework that needs a companion for one is offered only together with it, and one that no companion "
        "brings to 3 cannot be chosen. A combination meets one where any of its tools scores 3 or more."
    ) in _text(_section(brief, "profile"))
    text = "\n".join(iter_text(brief))
    assert "at least 3 of 5 on each" not in text and "short of a must-have need" not in text


def test_the_executive_brief_gives_the_must_rule_as_a_paragraph_not_under_a_heading_promising_inputs(kb):
    """Its one "input that drives the result" was the rule itself; a reader found the heading promised what the
    section did not hold. The technical brief, which lists the constraints and heaviest criteria there, keeps it."""
    _, brief = _brief(kb, "bank-onprem-airgapped", "executive")
    text = _text(_section(brief, "profile"))
    assert "The inputs that drive the result" not in text
    assert "\nMust-have needs: an option has to do each one well (4 of 5 or more)" in text
    _, technical = _brief(kb, "bank-onprem-airgapped", "technical")
    assert "The inputs that drive the result" in _text(_section(technical, "profile"))


# --- 15 and 20: names and wording -------------------------------------------------------------------


def test_the_decision_names_the_project_as_a_quoted_title(kb):
    """"should adopt for Credit risk model platform" reads "for the project “Credit risk model platform”"."""
    _, brief = _brief(kb, "bank-onprem-airgapped")
    assert _text(_section(brief, "recommendation")).startswith(
        "Executive summary\nDecision asked for: which ML workflow platform Nordbank should adopt for the project "
        "“Credit risk model platform”. Decision by: Architecture review board."
    )


def test_a_shortlist_of_every_framework_is_named_as_such(kb):
    """`frameworks: all` reads "all 13 frameworks in the knowledge base", not thirteen names some of which are ruled out."""
    _, brief = _brief(kb, "bank-onprem-airgapped")
    assert "Shortlist: all 13 frameworks in the knowledge base." in _text(_section(brief, "profile"))
    _, brief = _brief(kb, "gcp-managed-first")
    assert "Shortlist: Gemini Enterprise Agent Platform (Vertex AI), Kubeflow, MLflow, Metaflow, Flyte and ZenML;" in _text(_section(brief, "profile"))


def test_a_companion_from_outside_the_shortlist_is_announced_with_the_shortlist(kb):
    """The GCP team's shortlist leaves Airflow out, yet "MLflow + Apache Airflow" is among its options: the shortlist
    line says a combination may add such a companion, and names it, so the option does not read as a mistake."""
    _, brief = _brief(kb, "gcp-managed-first")
    assert ("Shortlist: Gemini Enterprise Agent Platform (Vertex AI), Kubeflow, MLflow, Metaflow, Flyte and ZenML; "
            "combinations may add a companion documented for a shortlisted framework: Apache Airflow.") in _text(_section(brief, "profile"))
    _, brief = _brief(kb, "research-slurm-gpu")
    assert "combinations may add" not in _text(_section(brief, "profile"))


def test_a_rated_need_is_a_grammatical_sentence(kb):
    """"Notebook servers is a should-have need" reads "The team rates notebook servers a should-have need"."""
    _, brief = _brief(kb, "azure-enterprise")
    text = _text(_section(brief, "recommendation"))
    assert "The team rates notebook servers a should-have need. Head of Data Science gives notebook servers priority 10 of 10. " \
        "Azure Machine Learning scores 4 of 5 on notebook servers" in text
    assert "Notebooks is a" not in text


def test_the_method_appendix_names_the_frameworks_a_generic_rule_moved(kb):
    """A rule that says "this framework" is listed with the frameworks it moved in this brief."""
    _, brief = _brief(kb, "bank-onprem-airgapped", "technical")
    text = _text(_section(brief, "methodology"))
    assert "this framework" not in text
    assert ": training and pipelines already run on the compute the team named, and each of them works on all of it" in text


def test_the_glossary_explains_the_jargon_page_one_can_quote(kb):
    """FastAPI, MLServer, Recipes, kfp.local and workspaces get a glossary row in the executive brief when used;
    lower-case "recipes" is an ordinary word."""
    from generator.brief.appendix import _glossary
    from generator.brief.context import _Ctx

    a = assess(load_profile(PROFILES / "startup-no-kubernetes.yaml", known_frameworks=tuple(kb.frameworks)), kb)
    ctx = _Ctx(a, kb, bundled_template("executive"), [])
    text = ("The default FastAPI server does not scale and the MLServer option is deprecated; Recipes were removed in "
            "3.0; develop with ‘kfp.local’; use workspaces.")
    terms = [row[0] for b in _glossary(ctx, text) for row in b.rows]
    assert terms == ["KFP", "FastAPI", "MLServer", "Recipes", "kfp.local", "workspace"]
    assert _glossary(ctx, "Deployment targets rely on documentation recipes.")[0].content[0].text == "No specialist terms are used."


@pytest.mark.parametrize(
    "values, note",
    [([4, 0.5], "A half (such as 0.5) comes from facts about this team that move scores in half levels."),
     ([2.5, 0.5], "A half (such as 2.5) comes from facts about this team that move scores in half levels."),
     ([0, 3, 5], "")],
)
def test_the_scale_note_names_the_first_half_point_and_is_empty_without_one(values, note):
    """The note explains the first half point printed, and there is no note when every level is a whole number."""
    from generator.brief.context import scale_notes

    assert scale_notes(values) == note


def test_the_short_brief_opens_a_reason_with_the_cause_and_the_technical_with_what_follows_from_it(kb):
    """Harbourline's first reason: "Three or more teams will share the platform." on the executive page 1, as its
    weights table puts it; the technical brief goes on to say why that makes governance weigh more."""
    _, short = _brief(kb, "standard-pipeline-code", "executive")
    _, full = _brief(kb, "standard-pipeline-code", "technical")
    assert "Three or more teams will share the platform. Kubeflow + DVC (Data Version Control) scores 4 of 5 on " \
           "governance and security against 1 for Metaflow" in _text(_section(short, "recommendation"))
    assert "Three or more teams will share the platform, so isolating their work, controlling access and growing " \
           "with them weigh more; self-run software" in _text(_section(full, "recommendation"))


# --- what the pick leaves undone ------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_page_one_names_a_should_have_need_the_pick_leaves_undone_with_nothing_to_close_it(kb, name):
    """The genomics lab's MLflow + DVC has no notebook servers and no companion that fits would add them: page 1 says
    so. Where the team's own tool meets such a need (the Slurm lab's multi-node training) or nothing is left undone,
    page 1 says nothing of it."""
    _, brief = _brief(kb, name, "executive")
    lines = [line for line in _text(_section(brief, "recommendation")).splitlines() if line.startswith("Left undone: ")]
    expected = {
        "research-lab-open-source": [
            "Left undone: MLflow + DVC (Data Version Control) scores 0 of 5 on notebook servers, a should-have need "
            "that no documented companion fitting this team closes: accept it or widen the shortlist."
        ],
    }
    assert lines == expected.get(name, [])


@pytest.mark.parametrize("audience", ["executive", "technical"])
def test_a_page_one_reason_resting_on_a_field_left_out_says_it_is_assumed(kb, audience):
    """"The tooling budget is low" is the team's word when the file says so; with constraints.budget left out (its
    default), the same reason says "(not stated, so assumed)"."""
    from dataclasses import replace

    a, brief = _brief(kb, "startup-no-kubernetes", audience)
    said = [line for line in _text(_section(brief, "recommendation")).splitlines() if line.startswith("The tooling budget is low")]
    assert said and "assumed" not in said[0]
    a = replace(a, profile=replace(a.profile, assumed=a.profile.assumed | {"constraints.budget"}))
    text = _text(_section(compose(a, kb, template=bundled_template(audience)), "recommendation"))
    assert "\nThe tooling budget is low (not stated, so assumed)" in text


def test_a_cross_check_that_prefers_a_third_option_says_where_it_puts_the_runner_up_when_above_the_pick(kb, tmp_path):
    """Aurora Innovation's cross-check prefers MLflow + SageMaker AI and also ranks the runner-up, Flyte, above the
    pick: page 1 says so (a reader found it only in the technical table), as it names a runner-up ranked below; and
    the rival is "not built on" the kept SageMaker AI, which stays beside it."""
    import yaml

    case = yaml.safe_load((Path(__file__).resolve().parent / "cases" / "aurora-innovation-kubeflow.yaml").read_text())
    path = tmp_path / "aurora.yaml"
    path.write_text(yaml.safe_dump({**case["profile"], "brief": {"audience": "executive", "formats": ["md"]}}))
    a = assess(load_profile(path, known_frameworks=tuple(kb.frameworks)), kb)
    text = _text(_section(compose(a, kb, template=bundled_template("executive")), "recommendation"))
    assert ("a second ranking method (by closeness to an ideal option) ranks it only 5th of 14 options and prefers "
            "MLflow + Amazon SageMaker AI; it also puts the runner-up, Flyte, above it (3rd).") in text
    # SageMaker AI is kept, so it stays beside Flyte too: the runner-up is not built on it, not "without" it
    assert "Flyte, the best option not built on Amazon SageMaker AI, is 3.4 points behind" in text
