"""A hand-made Brief with every block type, so DOCX tests never wait on ``compose``.

``brief()`` builds a realistic technical brief: sections on levels 1-3, paragraphs
with bold, italic and links, bullet and numbered lists, tables with highlighted and
muted rows, callouts of every tone, a bar and a range chart, a source list and a
theme with a PNG logo. Keyword arguments replace metadata fields for edge cases.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace

from generator.document import (
    Bar,
    Brief,
    BulletList,
    Callout,
    Chart,
    Link,
    Metadata,
    Paragraph,
    Section,
    SourceList,
    SourceRef,
    Table,
    Text,
    Theme,
    plain,
)

PROJECT = "Fraud scoring platform"
RECOMMENDATION = "MLflow is the recommended framework for Fraud scoring platform."


def png(width: int = 64, height: int = 24, rgb: tuple[int, int, int] = (31, 58, 95)) -> bytes:
    """A solid-colour PNG written by hand, so the fixture needs no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height, 9)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


FRAMEWORKS = ("MLflow", "Kubeflow", "Metaflow", "SageMaker")

SCORES = Table(
    header=("Criterion", "Weight", *FRAMEWORKS),
    rows=(
        ("Experiment tracking", "18%", "4.8", "3.0", "3.5", "4.0"),
        ("Model registry", "12%", "4.5", "2.5", "2.0", "4.5"),
        ("Ease of use", "15%", "4.5", "1.5", "4.0", "3.0"),
        ("Operational overhead", "14%", "4.0", "1.0", "3.5", "4.0"),
        ("Infrastructure fit", "11%", "4.5", "0.5", "3.5", "2.0"),
        ("Cost", "10%", "4.5", "3.5", "4.0", "2.5"),
        ("Weighted total (0-100)", "100%", "87", "41", "69", "66"),
    ),
    caption="Scores per criterion (0-5) and weighted totals",
    widths=(3.0, 1.2, 1.4, 1.4, 1.4, 1.4),
    align=("left", "right", "right", "right", "right", "right"),
    highlight=((0, 2), (1, 2), (1, 5), (2, 2), (6, 2)),
)

RANKING = Table(
    header=("Rank", "Framework", "Score", "Status"),
    rows=(
        ("1", "MLflow", "87", "Recommended"),
        ("2", "Metaflow", "69", ""),
        ("3", "SageMaker", "66", ""),
        ("–", "Kubeflow", "41", "Knocked out: needs Kubernetes, which the team does not run"),
    ),
    caption="Ranking",
    widths=(0.6, 1.6, 0.8, 4.0),
    align=("center", "left", "right", "left"),
    muted_rows=(3,),
)

SCORE_CHART = Chart(
    kind="bar",
    title="Weighted total per framework (0-100)",
    bars=(
        Bar("MLflow", 87),
        Bar("Metaflow", 69),
        Bar("SageMaker", 66),
        Bar("Kubeflow", 41, note="knocked out", muted=True),
    ),
    maximum=100,
    alt_text="Bar chart: MLflow 87, Metaflow 69, SageMaker 66, Kubeflow 41 (knocked out).",
)

RANGE_CHART = Chart(
    kind="range",
    title="Weights within which MLflow stays the recommendation",
    bars=(Bar("Ease of use", 15), Bar("Operational overhead", 14), Bar("Cost", 10)),
    maximum=40,
    unit="%",
    alt_text="Range chart: the recommendation holds for ease of use 4-32 %, overhead 0-29 %, cost 0-40 %.",
    low=(4, 0, 0),
    high=(32, 29, 40),
)

SOURCES = (
    SourceRef("[1]", "MLflow README", "MLflow project", "https://github.com/mlflow/mlflow/blob/master/README.md", "primary", "undated", "2026-11-27"),
    SourceRef("[2]", "Introduction to Kubeflow", "Kubeflow project", "https://www.kubeflow.org/docs/started/introduction/", "primary", "2025-03-01", "2026-11-27"),
    SourceRef("[3]", "ML and MLOps survey 2025-2026", "DataTalks.Club", "https://datatalks.club/surveys/2025-2026/ml-mlops", "secondary", "", "2026-11-27", "2026-10-06"),
)


def sections() -> tuple[Section, ...]:
    return (
        Section("recommendation", "Recommendation", 1, (
            Callout("Recommendation", (
                plain(Text(RECOMMENDATION, bold=True)),
                plain("It leads the runner-up by 18 points and stays first in 96 % of perturbed weightings."),
            ), tone="success"),
            Paragraph((Text("The decision is "), Text("robust", italic=True), Text(": only a "),
                       Text("tripled", bold=True), Text(" weight on cost would change it.")), style="lead"),
        )),
        Section("profile", "The project as understood", 1, (
            plain("Six people, four of them data scientists, no Kubernetes, AWS as the only cloud."),
            BulletList((plain("Experiment tracking: must"), plain("Model registry: should"),
                        plain("Pipeline orchestration: could"))),
            Section("constraints", "Constraints", 2, (
                BulletList((plain("Budget: low"), plain("Time to value: weeks"),
                            plain("Managed services: allowed")), numbered=True),
                Section("assumptions", "Assumptions", 3, (
                    plain("Batch scoring only; online serving is out of scope for the first year.", ),
                    Paragraph((Text("Figures are as of the knowledge base date."),), style="note"),
                )),
            )),
        )),
        Section("scores", "Scores", 1, (
            plain("Weights come from the needs and priorities of the profile."),
            SCORES,
            SCORE_CHART,
            RANKING,
        )),
        Section("frameworks", "Frameworks", 1, tuple(
            Section(f"fw-{name.lower()}", name, 2, (
                BulletList((plain(Text("Pro: ", bold=True), f"{name} fits the team's skills"),
                            plain(Text("Con: ", bold=True), f"{name} needs a tracking server"))),
                BulletList((plain("Deploy the tracking server"), plain("Migrate the first model")), numbered=True),
            )) for name in FRAMEWORKS
        )),
        Section("risks", "Knock-outs and risks", 1, (
            Callout("Close call", (plain("Metaflow is within 20 points on three criteria."),), tone="warning"),
            Callout("Kubeflow knocked out", (plain("It needs a Kubernetes cluster the team does not run."),)),
        )),
        Section("sensitivity", "What would change the decision", 1, (RANGE_CHART,)),
        Section("conclusion", "Conclusion and next steps", 1, (
            plain("Start with ", Link("MLflow's tracking server", "https://mlflow.org/docs/latest/self-hosting"),
                  " on the existing AWS account."),
            BulletList((plain("Week 1: tracking server"), plain("Week 3: registry")), numbered=True),
        )),
        Section("sources", "Methodology and sources", 1, (
            plain("Weighted sum with TOPSIS as a cross-check; both agree."),
            SourceList(SOURCES),
        )),
    )


def brief(**meta_changes) -> Brief:
    meta = Metadata(
        title=f"{PROJECT}: framework decision brief",
        subtitle="MLflow, Kubeflow, Metaflow and SageMaker compared against the project profile",
        author="Platform team",
        byline="Platform team",
        subject="ML workflow framework decision",
        keywords=("MLflow", "Kubeflow", "MLOps", "decision brief"),
        date="2026-11-27",
        organisation="Example Bank",
        prepared_for="Architecture board",
        kb_as_of="2026-11-27",
        header=PROJECT,
    )
    return Brief(
        meta=replace(meta, **meta_changes),
        sections=sections(),
        theme=Theme(logo=png()),
        audience="technical",
    )


def all_sections(b: Brief):
    """Every section of ``b`` depth-first, in reading order."""

    def walk(section):
        yield section
        for block in section.blocks:
            if isinstance(block, Section):
                yield from walk(block)

    for s in b.sections:
        yield from walk(s)
