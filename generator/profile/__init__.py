"""Stage 1, the project profile: its format (``model``), YAML reading (``yamlsafe``),
the checks (``validate``), the published schema (``schema``) and the file entry points (``files``).

Imports only the shared ground modules. The names below are the stage's public API.
"""

from generator.profile.files import STARTER_NAME, load_profile, starter_text, validate_files, write_starter
from generator.profile.model import (
    CAPABILITIES,
    CLOUDS,
    COMPUTE,
    CRITERIA,
    FIELDS,
    FIELDS_BY_PATH,
    FORMATS,
    FRAMEWORK_IDS,
    GOALS,
    IN_HOUSE,
    MOSCOW,
    QUALITIES,
    SCHEMA_VERSION,
    SCHEMA_VERSIONS,
    TOOL_IDS,
    BriefOptions,
    Constraints,
    Current,
    FieldSpec,
    Infrastructure,
    Profile,
    Project,
    Stakeholder,
    Team,
    Workload,
    profile_from_mapping,
)

__all__ = [
    "CAPABILITIES", "CLOUDS", "COMPUTE", "CRITERIA", "FIELDS", "FIELDS_BY_PATH", "FORMATS", "FRAMEWORK_IDS", "GOALS",
    "IN_HOUSE", "MOSCOW", "QUALITIES", "SCHEMA_VERSION", "SCHEMA_VERSIONS", "STARTER_NAME", "TOOL_IDS",
    "BriefOptions", "Constraints", "Current", "FieldSpec", "Infrastructure", "Profile", "Project", "Stakeholder",
    "Team", "Workload", "load_profile", "profile_from_mapping", "starter_text", "validate_files", "write_starter",
]
