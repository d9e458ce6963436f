"""The project profile (versions 1 and 2): its fields, its records, and building them from clean data.

``FIELDS`` is the single description of the format. The validator, the JSON
Schema (``briefgen schema``), the reference page and the knowledge base's rule
checks are all derived from it, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from generator.errors import Problem
from generator.output import safe_base_name

SCHEMA_VERSION = 2  # the version `briefgen init` writes; version 1 files still load
SCHEMA_VERSIONS = (1, 2)

MOSCOW = ("must", "should", "could", "wont")
CAPABILITIES = (
    "experiment_tracking",
    "model_registry",
    "pipeline_orchestration",
    "hyperparameter_tuning",
    "model_serving",
    "distributed_training",
    "notebooks",
    "data_versioning",
    "llm_ops",
    "governance_security",
)
QUALITIES = (
    "ease_of_use",
    "operational_overhead",
    "infrastructure_fit",
    "scalability",
    "performance",
    "ecosystem",
    "community_maturity",
    "cost",
    "code_structure",
    "tool_fit",
)
CRITERIA = CAPABILITIES + QUALITIES
# A criterion a profile may give a priority but that is never weighed (the knowledge base's criteria of kind "note"):
# a test holds it equal to generator.knowledge.model.NOTE_CRITERIA.
UNWEIGHED_CRITERIA = ("performance",)
FRAMEWORK_IDS = (
    "mlflow",
    "kubeflow",
    "metaflow",
    "flyte",
    "zenml",
    "airflow",
    "kedro",
    "clearml",
    "dvc",
    "wandb",
    "vertex_ai",
    "sagemaker",
    "azure_ml",
)
# Tools a team may already run, besides the frameworks (DESIGN.md, "Profile version 2").
TOOL_IDS = (
    "spark",
    "databricks",
    "ray",
    "slurm",
    "jupyter",
    "git",
    "dbt",
    "kubernetes",
    "aws_batch",
    "argo",
    "prefect",
    "dagster",
    "tfx",
    "kserve",
    "seldon",
    "bentoml",
    "feast",
    "lakefs",
    "tensorboard",
    "snowflake",
    "bigquery",
    "optuna",
)
IN_HOUSE = "in_house"  # only in current.replacing: a home-grown system
COMPUTE = ("laptop", "vms", "kubernetes", "slurm", "databricks", "cloud_ml", "serverless_batch")
GOALS = (
    "developer_experience",
    "time_to_production",
    "reproducibility",
    "multi_tenancy",
    "scale",
    "governance",
    "cost",
    "standardisation",
    "experiment_insight",
    "llm_delivery",
    "code_quality",
)
CLOUDS = ("aws", "gcp", "azure", "other")
FORMATS = ("pdf", "docx", "json", "md")


@dataclass(frozen=True)
class FieldSpec:
    """One field of the profile format.

    kind: "str" | "int" | "bool" | "enum" | "enum_list" | "str_list" | "date" | "map" | "stakeholder_list"
    choices: the allowed values; for the tool lists of ``current`` the known ids
    (an unknown one is kept and warned about, not refused).
    minimum/maximum: bounds of an int, or of the number of items in a list.
    max_length: most characters of a text (of each item for str_list).
    multiline: whether a text may hold line breaks (only free-text fields do).
    since: the first schema_version that has the field.
    """

    path: str
    kind: str
    description: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    multiline: bool = False
    since: int = 1


def _f(path: str, kind: str, description: str, **kw: Any) -> FieldSpec:
    return FieldSpec(path, kind, description, **kw)


FIELDS: tuple[FieldSpec, ...] = (
    _f("schema_version", "int", "Version of the profile format: 2 (current) or 1.", required=True, minimum=1, maximum=2),
    _f("project.name", "str", "Name of the project the brief is about (shown in the title).", required=True, max_length=200),
    _f("project.organisation", "str", "Organisation that owns the project.", max_length=200),
    _f("project.prepared_for", "str", "Who the brief is written for, e.g. an architecture board.", max_length=200),
    _f("project.author", "str", "Author named on the brief.", max_length=200),
    _f("project.date", "date", "Date printed on the brief, YYYY-MM-DD (quote it). Default: SOURCE_DATE_EPOCH, else today."),
    _f("project.summary", "str", "Free text describing the project, repeated in the brief.", max_length=5000, multiline=True),
    _f("team.size", "int", "People working on ML delivery, a whole number >= 1.", required=True, minimum=1, maximum=100000),
    _f("team.data_scientists", "int", "Data scientists in the team (<= team.size).", default=0, minimum=0, maximum=100000),
    _f("team.ml_engineers", "int", "ML or platform engineers in the team (<= team.size).", default=0, minimum=0, maximum=100000),
    _f(
        "team.kubernetes_skill",
        "enum",
        "The team's hands-on Kubernetes skill.",
        required=True,
        choices=("none", "basic", "intermediate", "expert"),
    ),
    _f(
        "team.platform_team",
        "enum",
        "Who runs infrastructure: nobody, a team shared with others, or a dedicated platform team.",
        default="none",
        choices=("none", "shared", "dedicated"),
    ),
    _f(
        "team.primary_users",
        "enum",
        "Who works in the tool every day: data scientists, ML engineers, researchers, or a mix.",
        default="mixed",
        choices=("data_scientists", "ml_engineers", "researchers", "mixed"),
        since=2,
    ),
    _f("team.teams", "int", "Teams that will share the platform (1 = one team).", default=1, minimum=1, maximum=10000,
       since=2),
    _f("current.tools", "str_list", "Tools and frameworks in use today (framework or tool ids).", default=(),
       choices=FRAMEWORK_IDS + TOOL_IDS, maximum=100, max_length=100, since=2),
    _f("current.keep", "str_list", "Tools that must stay: the pick has to work with them.", default=(),
       choices=FRAMEWORK_IDS + TOOL_IDS, maximum=100, max_length=100, since=2),
    _f("current.compute", "enum_list", "Where training and pipelines run.", default=(), choices=COMPUTE, since=2),
    _f("current.replacing", "str_list", "What the choice replaces: framework or tool ids, or in_house.", default=(),
       choices=FRAMEWORK_IDS + TOOL_IDS + (IN_HOUSE,), maximum=100, max_length=100, since=2),
    _f(
        "infrastructure.kubernetes",
        "enum",
        "Kubernetes available to the project.",
        required=True,
        choices=("none", "planned", "self_managed", "managed"),
    ),
    _f("infrastructure.clouds", "enum_list", "Public clouds in use; [] for none.", default=(), choices=CLOUDS, minimum=0),
    _f("infrastructure.on_prem", "bool", "Whether workloads run in the organisation's own data centre.", default=False),
    _f("infrastructure.air_gapped", "bool", "Whether the environment has no internet access.", default=False),
    _f("infrastructure.gpus", "enum", "GPUs available for training.", default="none", choices=("none", "few", "many")),
    _f("workload.models_in_production", "int", "Models in production now or within a year.", default=0, minimum=0, maximum=1000000),
    _f("workload.distributed_training", "bool", "Whether training runs across several machines or GPUs.", default=False),
    _f(
        "workload.data_volume",
        "enum",
        "Size of training data: small (< 10 GB), medium (< 1 TB), large (< 100 TB), massive (more).",
        default="medium",
        choices=("small", "medium", "large", "massive"),
    ),
    _f("workload.serving", "enum", "How predictions are served.", default="none", choices=("none", "batch", "online", "both")),
    _f("workload.libraries", "str_list", "ML libraries in use, e.g. sklearn, pytorch.", default=(), maximum=100, max_length=100),
    _f(
        "workload.runs_per_week",
        "enum",
        "Pipeline or training runs per week: a few, tens, hundreds or thousands. Not given: unknown.",
        choices=("few", "tens", "hundreds", "thousands"),
        since=2,
    ),
    *(
        _f(f"needs.{c}", "enum", f"How much the project needs {c.replace('_', ' ')} (MoSCoW).", default="could", choices=MOSCOW)
        for c in CAPABILITIES
    ),
    _f("constraints.open_source_only", "bool", "Only open-source software may be used.", default=False),
    _f(
        "constraints.managed_services",
        "enum",
        "Attitude to vendor-managed services.",
        default="allowed",
        choices=("preferred", "allowed", "forbidden"),
    ),
    _f("constraints.budget", "enum", "Budget for tooling and its operation.", default="medium", choices=("low", "medium", "high")),
    _f(
        "constraints.time_to_value",
        "enum",
        "How soon the platform must be useful.",
        default="months",
        choices=("weeks", "months", "quarters"),
    ),
    _f("constraints.saas_allowed", "bool",
       "Whether data or metadata may go to a third-party hosted (SaaS) service.", default=True, since=2),
    _f("constraints.lock_in", "enum", "Attitude to vendor lock-in: avoid it, or accept it for other gains.",
       default="accept", choices=("avoid", "accept"), since=2),
    _f("goals", "enum_list", "What the choice should improve, most important first; each goal once.", default=(),
       choices=GOALS, since=2),
    _f("stakeholders", "stakeholder_list",
       "People whose priorities count, each with a name, an optional weight (default 1) and priorities.",
       default=(), maximum=50, since=2),
    _f("priorities", "map", "Optional criterion id -> weight 0..10; overrides the derived weight of that criterion.", default=None),
    _f(
        "frameworks",
        "enum_list",
        "The shortlist of framework ids, or `all` for every known framework.",
        default=("all",),
        choices=FRAMEWORK_IDS,
        minimum=1,
    ),
    _f("brief.audience", "enum", "executive (the decision in under three pages, plus sources) or technical (full brief).", default="executive", choices=("executive", "technical")),
    _f("brief.formats", "enum_list", "Output formats.", default=("pdf", "docx"), choices=FORMATS, minimum=1),
    _f("brief.output", "str", "Base name of the output files (no folder, no extension). Default: the profile's file name.", max_length=100),
    _f("brief.logo", "str", "PNG or JPEG logo, relative to the profile's folder and inside it.", max_length=255),
    _f("brief.templates", "str", "A folder of edited templates ('briefgen templates export'), relative to the profile's folder and inside it; wins over --templates.", max_length=255),
)

FIELDS_BY_PATH: dict[str, FieldSpec] = {f.path: f for f in FIELDS}


@dataclass(frozen=True)
class Project:
    name: str
    organisation: str | None = None
    prepared_for: str | None = None
    author: str | None = None
    date: str | None = None  # ISO date; None means "decide at render time"
    summary: str | None = None


@dataclass(frozen=True)
class Team:
    size: int
    kubernetes_skill: str
    data_scientists: int = 0
    ml_engineers: int = 0
    platform_team: str = "none"
    primary_users: str = "mixed"
    teams: int = 1


@dataclass(frozen=True)
class Infrastructure:
    kubernetes: str
    clouds: tuple[str, ...] = ()
    on_prem: bool = False
    air_gapped: bool = False
    gpus: str = "none"


@dataclass(frozen=True)
class Workload:
    models_in_production: int = 0
    distributed_training: bool = False
    data_volume: str = "medium"
    serving: str = "none"
    libraries: tuple[str, ...] = ()
    runs_per_week: str | None = None  # None: not given


@dataclass(frozen=True)
class Constraints:
    open_source_only: bool = False
    managed_services: str = "allowed"
    budget: str = "medium"
    time_to_value: str = "months"
    saas_allowed: bool = True
    lock_in: str = "accept"


@dataclass(frozen=True)
class Current:
    """What exists today, as normalised ids; an unknown tool name stays in (the loader warns about it)."""

    tools: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()  # in use even when not repeated in tools
    compute: tuple[str, ...] = ()
    replacing: tuple[str, ...] = ()
    # An unknown tool's name as the file first spells it ("Great Expectations"), by its normalised id: briefs
    # print what the team wrote. Not an input (outside equality and the digest), like Profile.assumed.
    spelled: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Stakeholder:
    """One person whose priorities count; ``weight`` is how much, relative to the others."""

    name: str
    weight: float = 1.0
    priorities: Mapping[str, float] = field(default_factory=dict)  # criterion id -> 0..10


@dataclass(frozen=True)
class BriefOptions:
    audience: str = "executive"
    formats: tuple[str, ...] = ("pdf", "docx")
    output: str | None = None
    logo: Path | None = None  # resolved, inside the profile's folder
    templates: Path | None = None  # resolved folder, inside the profile's folder
    # "profile.yaml:57", where brief.templates is written: a bad template found when the
    # folder is read is reported there, like every other profile problem
    templates_at: str = field(default="", compare=False)


@dataclass(frozen=True)
class Profile:
    """A validated profile. Build it with :func:`profile_from_mapping` or the loader."""

    project: Project
    team: Team
    infrastructure: Infrastructure
    workload: Workload
    needs: Mapping[str, str]  # every capability id -> must|should|could|wont
    constraints: Constraints
    priorities: Mapping[str, float]  # criterion id -> 0..10 (only those the user set)
    frameworks: tuple[str, ...]  # ids, "all" already expanded, no duplicates, in the user's order
    brief: BriefOptions
    schema_version: int = SCHEMA_VERSION
    source: str | None = None  # the file it came from, for messages and default names
    current: Current = Current()
    goals: tuple[str, ...] = ()  # most important first
    stakeholders: tuple[Stakeholder, ...] = ()
    # Problems worth knowing that do not stop the profile (e.g. an unknown tool name);
    # not part of what the profile says, so records compare equal without them.
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    # Fields the file left out, so at their documented default: the brief says they are assumed rather than
    # stating them as facts ("no models in production" for a team that ships models). Not part of what the
    # profile says either: a version-1 file and its version-2 translation compare equal.
    assumed: frozenset[str] = field(default=frozenset(), compare=False)

    def get(self, path: str) -> Any:
        """The value at a dotted field path such as ``team.size``, ``needs.llm_ops`` or ``current.keep``."""
        head, _, rest = path.partition(".")
        value: Any = getattr(self, head)
        if rest:
            value = value[rest] if isinstance(value, Mapping) else getattr(value, rest)
        return value

    @property
    def output_name(self) -> str:
        """Base name of output files: ``brief.output``, else the profile file's stem made portable."""
        if self.brief.output:
            return self.brief.output
        return safe_base_name(Path(self.source).stem if self.source else "brief")


def _section(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name)
    return value if isinstance(value, Mapping) else {}


def _defaults(section: str, given: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in FIELDS:
        head, _, key = spec.path.partition(".")
        if head != section or not key:
            continue
        value = given.get(key, spec.default)
        if isinstance(value, list):
            value = tuple(value)
        out[key] = value
    return out


def profile_from_mapping(
    data: Mapping[str, Any],
    *,
    known_frameworks: tuple[str, ...] = FRAMEWORK_IDS,
    source: str | None = None,
    base_dir: Path | None = None,
    warnings: tuple[Problem, ...] = (),
) -> Profile:
    """Build a Profile from data that has already been validated, filling defaults.

    No checks happen here: the loader validates first and reports every problem
    (and passes on its ``warnings``).
    """
    project = Project(**_defaults("project", _section(data, "project")))
    team = Team(**_defaults("team", _section(data, "team")))
    infra = Infrastructure(**_defaults("infrastructure", _section(data, "infrastructure")))
    workload = Workload(**_defaults("workload", _section(data, "workload")))
    needs = _defaults("needs", _section(data, "needs"))
    constraints = Constraints(**_defaults("constraints", _section(data, "constraints")))
    current = Current(**_defaults("current", _section(data, "current")))
    brief_raw = _defaults("brief", _section(data, "brief"))
    logo, templates = brief_raw.pop("logo"), brief_raw.pop("templates")
    if logo is not None:
        logo = (base_dir or Path(".")) / logo
    if templates is not None:
        templates = (base_dir or Path(".")) / templates
    brief = BriefOptions(**brief_raw, logo=logo, templates=templates)

    wanted = data.get("frameworks", ["all"])
    if isinstance(wanted, str):
        wanted = [wanted]
    ids: list[str] = []
    for item in wanted:
        norm = str(item).strip().lower()
        for fid in known_frameworks if norm == "all" else (norm,):
            if fid not in ids:
                ids.append(fid)

    priorities = {str(k): float(v) for k, v in (data.get("priorities") or {}).items()}
    stakeholders = tuple(
        Stakeholder(
            name=str(s["name"]),
            weight=float(s.get("weight", 1)),
            priorities={str(k): float(v) for k, v in (s.get("priorities") or {}).items()},
        )
        for s in data.get("stakeholders") or ()
    )
    return Profile(
        project=project,
        team=team,
        infrastructure=infra,
        workload=workload,
        needs=needs,
        constraints=constraints,
        priorities=priorities,
        frameworks=tuple(ids),
        brief=brief,
        schema_version=int(data.get("schema_version", SCHEMA_VERSION)),
        source=source,
        current=current,
        goals=tuple(data.get("goals") or ()),
        stakeholders=stakeholders,
        warnings=tuple(warnings),
        assumed=frozenset(
            spec.path for spec in FIELDS
            if "." in spec.path and spec.path.partition(".")[2] not in _section(data, spec.path.partition(".")[0])
        ),
    )
