"""Errors users see: one sentence each, located by file, line, column and field.

Exit codes (documented in the README and ``briefgen --help``):
0 success, 1 some inputs failed, 2 usage or configuration error (or a write the system
refused), 130 interrupted.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
ERROR_PREFIX = "briefgen: error: "  # on every error line, usage or otherwise, so a log grep finds them all


def error_lines(text: str) -> str:
    """``text`` with the error prefix on each of its lines."""
    return "\n".join(ERROR_PREFIX + line for line in text.splitlines() or [""])


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, where it is and what is allowed."""

    file: str
    line: int | None
    column: int | None
    field: str | None  # dotted path such as "team.size"; None for file-level problems
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"

    def to_json(self) -> dict:
        """The problem for ``validate --json``: ``path`` is the field's dotted path (None for the file)."""
        return {"path": self.field, "line": self.line, "column": self.column, "message": self.message}


class BriefgenError(Exception):
    """A failure the user can fix; its text is shown without a traceback."""

    exit_code = EXIT_INPUT


class InputError(BriefgenError):
    """One or more problems in an input file (profile, knowledge base, template)."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class OutputError(BriefgenError):
    """An output file could not be written (disk full, quota, I/O error); nothing partial is left."""


class ConfigError(BriefgenError):
    """A usage or configuration problem found before any work (e.g. unwritable output folder)."""

    exit_code = EXIT_USAGE
