"""Numbers as a reader sees them: one function per kind of number, and no other module formats them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from generator import wording as W

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "value, text",
    [(4.0, "4"), (3.5, "3.5"), (0.0, "0"), (-0.0, "0"), (-0.04, "0"), (2.25, "2.2"), (4.96, "5"), (10.0, "10")],
)
def test_a_level_drops_a_trailing_zero_and_never_prints_minus_zero(value, text):
    assert W.level(value) == text


def test_points_counts_and_plain_numbers():
    assert (W.points(72.44), W.points(5.0)) == ("72.4", "5.0")
    assert W.count(2000) == "2,000"
    assert (W.number(7.5), W.number(10.0), W.number(0.25)) == ("7.5", "10", "0.25")
    assert (W.decimals(0.8349, 2), W.whole_or_tenths(12.96), W.whole_or_tenths(12.6)) == ("0.83", "13", "12.6")


def test_percentages_round_like_the_brief_and_add_decimals_only_to_tell_two_apart():
    assert W.percent(0.87) == "87%"
    assert W.percent(0.125, 1) == "12.5%"
    assert W.percent_pair(0.31, 0.312) == ("31.0%", "31.2%")
    assert W.percent_pair(0.2, 0.6) == ("20%", "60%")


def test_mid_lowers_a_name_inside_a_sentence_but_keeps_an_acronym():
    assert [W.mid(n) for n in ("Experiment tracking", "LLM operations", "A/B tests", "Cost")] == [
        "experiment tracking", "LLM operations", "A/B tests", "cost"]


# Modules whose text a reader of a brief sees: their numbers go through wording.
BRIEF_TEXT = sorted(
    [*(ROOT / "generator" / "scoring").glob("*.py"), *(ROOT / "generator" / "brief").glob("*.py"),
     ROOT / "generator" / "document.py", *(ROOT / "generator" / "render").glob("*.py")]
)
# Format specs there that are not a number in the brief's text: a layout error's size, a style's cache key.
NOT_TEXT = {("pdf_pages.py", ".0f"), ("pdf.py", "g"), ("docx_xml.py", "05d")}


def format_specs(path: Path) -> set[str]:
    """Every format spec of every f-string in the file (``{x:.1f}`` gives ".1f")."""
    specs = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            parts = [v.value for v in node.format_spec.values if isinstance(v, ast.Constant)]
            specs.add("".join(map(str, parts)) or "{nested}")
    return specs


@pytest.mark.parametrize(
    "text, keep, expected",
    [
        ("There is no cluster.", (), "there is no cluster."),
        ("A framework that requires Kubernetes.", (), "a framework that requires Kubernetes."),
        ("Katib: random, grid and Bayesian search.", (), "Katib: random, grid and Bayesian search."),
        ("Entra ID identities and groups.", (), "Entra ID identities and groups."),
        ("Apache Airflow must stay.", ("Apache Airflow",), "Apache Airflow must stay."),
        ("Weights and biases.", ("Weights & Biases",), "Weights and biases."),
    ],
)
def test_after_colon_lowers_a_plain_word_but_never_a_product_name(text, keep, expected):
    assert W.after_colon(text, keep) == expected


@pytest.mark.parametrize("path", BRIEF_TEXT, ids=lambda p: str(p.relative_to(ROOT / "generator")))
def test_no_brief_module_formats_a_number_itself(path):
    """A number format (:.1f, :g, :.0%, :,) in brief-facing code would be a second way to print a number."""
    numeric = {s for s in format_specs(path) if re.search(r"[dfgeE%,]$|\{nested\}", s)}
    assert numeric - {spec for name, spec in NOT_TEXT if name == path.name} == set()


def test_a_gap_is_the_difference_of_the_totals_as_printed():
    """87.14 and 82.06 print as 87.1 and 82.1, so their gap is 5.0, not the 5.08 that would print as 5.1."""
    from generator.wording import gap, points

    assert points(gap(87.14, 82.06)) == "5.0"


@pytest.mark.parametrize(
    ("names", "joined"),
    [
        (["model serving"], "model serving"),
        (["model serving", "notebooks"], "model serving and notebooks"),
        (["model serving", "governance and security"], "model serving, and governance and security"),
        (["a", "b", "governance and security"], "a, b, and governance and security"),
        (["community and maturity", "cost"], "community and maturity, and cost"),
        (["a", "b", "c"], "a, b and c"),
    ],
)
def test_a_list_of_names_marks_where_a_name_with_its_own_and_ends(names, joined):
    """A comma before the last "and" only where some name has an "and" of its own."""
    assert W.join_and(names) == joined


@pytest.mark.parametrize("shown, whole", [("31%", 31), ("0%", 0), ("<1%", 0), ("100%", 100)])
def test_a_printed_weight_reads_back_as_whole_percent_with_less_than_one_as_zero(shown, whole):
    """The one reader of percent_shares' output, used where the brief compares weights as it prints them."""
    assert W.whole_percent(shown) == whole


@pytest.mark.parametrize(
    ("text", "keep", "short"),
    [
        ("No scheduler of its own (Recipes were removed in 3.0); pipelines need another tool.", (),
         "No scheduler of its own; pipelines need another tool."),
        ("Gemini Enterprise Agent Platform (Vertex AI) needs Google Cloud (a managed service).",
         ("Gemini Enterprise Agent Platform (Vertex AI)",), "Gemini Enterprise Agent Platform (Vertex AI) needs Google Cloud."),
        ("DVC (Data Version Control) and MLflow (both open source)", ("DVC (Data Version Control)", "MLflow"),
         "DVC (Data Version Control) and MLflow"),
    ],
)
def test_without_asides_drops_bracketed_asides_but_not_a_name_s_own_brackets(text, keep, short):
    assert W.without_asides(text, keep) == short


def test_a_reasons_cause_is_what_it_says_before_so():
    """"X, so Y." gives X; a reason with no consequence is itself the cause, without its full stop."""
    from generator.wording import cause_of

    assert cause_of("Only open-source software may be used, so proprietary servers are excluded.") == (
        "Only open-source software may be used"
    )
    assert cause_of(" The project does not use Azure. ") == "The project does not use Azure"


@pytest.mark.parametrize(("value", "unit", "text"), [
    ("1", "projects", "1 project"), ("4", "projects", "4 projects"), ("1", "points", "1 point"), ("12", "%", "12%"),
    ("1.0", "points", "1.0 points"),
])
def test_a_chart_value_takes_its_unit_in_the_number_it_has(value, unit, text):
    """A Word chart's value reads "1 project" and "4 projects" (the portfolio printed "1 projects")."""
    from generator.wording import with_unit

    assert with_unit(value, unit) == text


def test_a_share_on_a_half_percent_keeps_its_decimal_beside_another():
    """22.5% is not printed "22%" (half to even) where a table rounds it to 23%: it keeps its decimal."""
    from generator.wording import percent_pair

    assert percent_pair(0.225, 0.2341) == ("22.5%", "23.4%")
    assert percent_pair(0.221, 0.2341) == ("22%", "23%")
