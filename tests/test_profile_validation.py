"""Validation of profiles: the invalid-profile corpus with pinned messages, and rules a corpus file cannot show."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.profile import FRAMEWORK_IDS, load_profile

HERE = Path(__file__).parent
CORPUS = HERE / "invalid_profiles"
CORPUS_FILES = sorted(CORPUS.glob("*.yaml"))
ROOT = HERE.parent
EXAMPLE = ROOT / "data" / "profiles" / "startup-no-kubernetes.yaml"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def problems_of(path: str | Path, **kw) -> str:
    with pytest.raises(InputError) as info:
        load_profile(path, known_frameworks=kw.pop("known", FRAMEWORK_IDS), **kw)
    return str(info.value)


def test_corpus_has_at_least_forty_hazards_each_with_its_expected_messages():
    """The corpus holds 40+ invalid profiles and every one has an .expected sidecar (and no sidecar is orphaned)."""
    assert len(CORPUS_FILES) >= 40
    stems = {p.stem for p in CORPUS_FILES}
    expected = {p.stem for p in CORPUS.glob("*.expected")}
    assert stems == expected


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_invalid_profile_reports_exactly_the_pinned_problems(path, monkeypatch):
    """Each corpus file is refused with exactly the messages in its .expected file.

    After a deliberate change of wording, rewrite the sidecars with
    BRIEFGEN_UPDATE_EXPECTED=1 and review the diff.
    """
    monkeypatch.chdir(CORPUS)
    got = problems_of(path.name) + "\n"
    expected = path.with_suffix(".expected")
    if os.environ.get("BRIEFGEN_UPDATE_EXPECTED") == "1":
        expected.write_text(got, encoding="utf-8")
    assert got == expected.read_text(encoding="utf-8")


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    """A file with several unrelated mistakes lists all of them, in file order, one per line."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("size: 3", "size: 0").replace("kubernetes: none", "kubernetes: nope")
    text = text.replace("frameworks: [mlflow,", "frameworks: [mlflw,")
    bad = tmp_path / "three.yaml"
    bad.write_text(text, encoding="utf-8")
    lines = problems_of(bad).splitlines()
    assert [line.split(": ")[1] for line in lines] == ["team.size", "infrastructure.kubernetes", "frameworks[0]"]
    assert all(line.startswith(f"{bad}:") for line in lines)


def test_missing_file_is_one_line(tmp_path):
    """A profile that does not exist is one problem naming the file."""
    assert problems_of(tmp_path / "nope.yaml") == f"{tmp_path / 'nope.yaml'}: file not found"


def test_folder_instead_of_file_is_one_line(tmp_path):
    """A folder given as a profile is reported as a folder."""
    assert problems_of(tmp_path) == f"{tmp_path}: is a folder, not a file"


def test_oversized_file_is_refused_before_parsing(tmp_path):
    """A file over 256 KiB is refused by size, without reading it all."""
    big = tmp_path / "big.yaml"
    big.write_bytes(b"schema_version: 1\n" + b"# padding\n" * 30000)
    assert problems_of(big) == f"{big}: is larger than 256 KiB; a hand-written file this big is not supported"


def test_utf8_with_byte_order_mark_is_accepted(tmp_path):
    """UTF-8 with a BOM (as some Windows editors save it) loads like plain UTF-8."""
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    assert load_profile(path).team.size == 3


def test_logo_symlink_leading_outside_the_folder_is_refused(tmp_path):
    """A logo that is a symlink to an image outside the profile's folder is refused."""
    outside = tmp_path / "outside.png"
    outside.write_bytes(PNG)
    folder = tmp_path / "profile"
    folder.mkdir()
    os.symlink(outside, folder / "logo.png")
    path = folder / "p.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8") + "  logo: logo.png\n", encoding="utf-8")
    assert problems_of(path) == (
        f"{path}:54:9: brief.logo: resolves outside the profile's folder (through a symbolic link); "
        "copy the image into it"
    )


def test_logo_inside_the_folder_is_resolved(tmp_path):
    """A valid logo in a subfolder loads and is given as a path inside the profile's folder."""
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "logo.PNG").write_bytes(PNG)
    path = tmp_path / "p.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8") + "  logo: img/logo.PNG\n", encoding="utf-8")
    logo = load_profile(path).brief.logo
    assert logo == tmp_path.resolve() / "img" / "logo.PNG"
    assert logo.read_bytes() == PNG


def test_unknown_framework_lists_the_knowledge_base_ids(tmp_path):
    """Framework ids are checked against the ids given (the knowledge base's), which the message lists."""
    path = tmp_path / "p.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert problems_of(path, known=("metaflow", "mlflow")) == (
        f"{path}:49:22: frameworks[1]: unknown framework 'kubeflow' (known: metaflow, mlflow)\n"
        f"{path}:49:42: frameworks[3]: unknown framework 'zenml' (known: metaflow, mlflow)\n"
        f"{path}:49:49: frameworks[4]: unknown framework 'wandb' (known: metaflow, mlflow)"
    )


@pytest.mark.parametrize(
    "written, expected",
    [
        ("[MLflow, ' Kubeflow ']", ("mlflow", "kubeflow")),
        ("[Vertex AI, azure-ml, SAGEMAKER]", ("vertex_ai", "azure_ml", "sagemaker")),
        ("ALL", FRAMEWORK_IDS),
        ("[all]", FRAMEWORK_IDS),
    ],
)
def test_framework_ids_are_normalised(tmp_path, written, expected):
    """Framework ids are stripped, lower-cased, and spaces or hyphens become `_`; `all` expands in order."""
    path = tmp_path / "p.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    path.write_text(text.replace("frameworks: [mlflow, kubeflow, metaflow, zenml, wandb]", f"frameworks: {written}"),
                    encoding="utf-8")
    assert load_profile(path).frameworks == expected


@pytest.mark.parametrize(
    "line, field, value",
    [
        ("  name: 2024", "project.name", "2024"),
        ("  name: 1.10", "project.name", "1.10"),
        ("  author: no", "project.author", "no"),
        ("  organisation: true", "project.organisation", "true"),
        ("  date: 2026-11-27", "project.date", "2026-11-27"),
    ],
)
def test_text_fields_get_the_text_that_was_typed(tmp_path, line, field, value):
    """Unquoted values in text fields are taken literally: no YAML 1.1 booleans, octal or dates."""
    text = EXAMPLE.read_text(encoding="utf-8")
    key = line.split(":")[0]
    lines = [ln for ln in text.splitlines() if not ln.startswith(key + ":")]
    lines.insert(lines.index("project:") + 1, line)
    path = tmp_path / "p.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert load_profile(path).get(field) == value


def test_empty_values_take_the_defaults(tmp_path):
    """`key:` with no value means not given: optional fields get their defaults."""
    path = tmp_path / "p.yaml"
    path.write_text(
        "schema_version: 1\nproject:\n  name: Minimal\n  summary:\nteam:\n  size: 1\n  kubernetes_skill: none\n"
        "infrastructure:\n  kubernetes: none\n  gpus: ~\nneeds:\nfrontmatter: null\n".replace("frontmatter: null\n", ""),
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert profile.project.summary is None
    assert profile.infrastructure.gpus == "none"
    assert profile.needs["experiment_tracking"] == "could"
    assert profile.frameworks == FRAMEWORK_IDS
    assert profile.output_name == "p"


def test_corpus_png_helper_is_not_an_image():
    """The corpus's fake logo really is text, so the content check is what refuses it."""
    assert (CORPUS / "not-an-image.png").read_bytes().startswith(b"this is not")


def test_a_zero_priority_for_some_criteria_is_valid_since_the_others_keep_their_weights(tmp_path):
    """`priorities: {ease_of_use: 0}` says ease of use does not matter; the criteria not listed keep theirs."""
    path = tmp_path / "p.yaml"
    path.write_text("schema_version: 2\nproject: {name: P}\nteam: {size: 3, kubernetes_skill: none}\n"
                    "infrastructure: {kubernetes: none}\npriorities: {ease_of_use: 0, cost: 0}\n", encoding="utf-8")
    assert load_profile(path).priorities == {"ease_of_use": 0, "cost": 0}


@pytest.mark.parametrize(("weight", "shown"), [("1.7e308", "1.7e+308"), ("1001", "1001")])
def test_a_stakeholder_weight_above_the_bound_is_one_problem_naming_it(tmp_path, weight, shown):
    """Two voices of 1.7e308 summed to infinity and broke the weighted mean: the weight is bounded at 1000."""
    path = tmp_path / "p.yaml"
    path.write_text("schema_version: 2\nproject: {name: P}\nteam: {size: 3, kubernetes_skill: none}\n"
                    "infrastructure: {kubernetes: none}\nstakeholders:\n"
                    f"- {{name: A, weight: {weight}, priorities: {{cost: 9}}}}\n"
                    f"- {{name: B, weight: {weight}}}\n", encoding="utf-8")
    text = problems_of(path)
    assert f"p.yaml:6:21: stakeholders[0].weight: must be a number above 0 and at most 1000 (got {shown})" in text


@pytest.mark.parametrize(
    ("team", "infrastructure", "message"),
    [
        ("{size: !!map 3, kubernetes_skill: none}", "{kubernetes: none}",
         "team.size: tag !!map does not fit a single value; remove the tag"),
        ("{size: 3, kubernetes_skill: none}", "!!seq {kubernetes: none}",
         "infrastructure: tag !!seq does not fit a mapping; remove the tag"),
        ("{size: 1e308, kubernetes_skill: none}", "{kubernetes: none}", "team.size: must be a whole number (got 1e+308)"),
        ("{size: 3.0, kubernetes_skill: none}", "{kubernetes: none}", "team.size: must be a whole number (got 3.0; write 3)"),
        ("{size: 3, kubernetes_skill: none}", "{kubernetes: none, clouds: yes}",
         "infrastructure.clouds: must be a list of aws, gcp, azure, other (got 'yes'; write [aws, gcp])"),
        ("{size: 3, kubernetes_skill: none}", "{kubernetes: none, clouds: aws}",
         "infrastructure.clouds: must be a list of aws, gcp, azure, other (got 'aws'; write [aws])"),
    ],
)
def test_a_suggested_fix_is_one_the_field_accepts(tmp_path, team, infrastructure, message):
    """The message never contradicts itself or suggests what is refused in turn: an allowed tag on the wrong kind of
    value, a number too large to write out, a list item the field does not take."""
    path = tmp_path / "p.yaml"
    path.write_text(f"schema_version: 2\nproject: {{name: P}}\nteam: {team}\ninfrastructure: {infrastructure}\n",
                    encoding="utf-8")
    assert message in problems_of(path)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("current: {tools: no}\n", "current.tools: must be a list of tool ids (got 'no'; write [] for none)"),
        ("frameworks: yes\n", "frameworks: must be `all` or a list of framework ids (got 'yes'; write [mlflow, kubeflow] "
                              "for a list)"),
        ("stakeholders: yes\n", "stakeholders: must be a list of stakeholders, each with a name (got 'yes'; write one "
                                "'- name: ...' entry per stakeholder)"),
        ("team: {size: !!str 3, kubernetes_skill: none}\n", "team.size: must be a whole number (got '3'; write it as a "
                                                           "plain number, without quotes or a tag)"),
    ],
)
def test_a_scalar_where_a_list_or_number_belongs_gets_a_fix_the_field_takes(tmp_path, extra, message):
    """"no" for a list means none ("write []"), not a list of two ids; "yes" is not a framework id or a stakeholder;
    a tagged number has no quotes to remove."""
    path = tmp_path / "p.yaml"
    team = "" if extra.startswith("team:") else "team: {size: 3, kubernetes_skill: none}\n"
    path.write_text(f"schema_version: 2\nproject: {{name: P}}\n{team}infrastructure: {{kubernetes: none}}\n{extra}",
                    encoding="utf-8")
    assert message in problems_of(path)
