"""Errors users see: one sentence each, located by file, line, column and field.

Exit codes (documented in the README and ``briefgen --help``):
0 success, 1 some inputs failed, 2 usage or configuration error (or a write the system
refused), 130 interrupted.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
ERROR_PREFIX = "briefgen: error: "  # on every error line, usage or otherwise, so a log grep finds them all


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(text: object) -> str:
    """``text`` on one line, its control and other invisible characters written as escapes.

    A file name may hold a newline: printed as is, it would split an error in two and the
    second half would read as an error of its own.
    """
    s = str(text)
    if s.isprintable():
        return s
    return "".join(c if c.isprintable() else _ESCAPES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}")
                   for c in s)


def warning_line(source: str, warning: object) -> str:
    """A warning about the profile ``source`` as printed, "warning: " first: one that does not already start with
    that file (a loader's warning prints with its file and line) or name another file it is about (the reference
    document) is prefixed with ``source``, so the reader knows which brief drew it, one profile or many."""
    line = str(warning)
    own = not source or line.startswith(source) or _is_file(line.split(": ", 1)[0])
    return "warning: " + shown(line if own else f"{source}: {line}")


def _is_file(text: str) -> bool:
    try:
        return os.path.isfile(text)
    except (OSError, ValueError):  # a name too long for the system, a NUL byte: not a file name
        return False


def lines_of(exc: BaseException) -> list[str]:
    """An error's message as its lines: raised again as another error, several problems stay one line each."""
    return str(exc).splitlines()


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
            return shown(f"{where}: {self.field}: {self.message}")
        return shown(f"{where}: {self.message}")

    def to_json(self) -> dict:
        """The problem for ``validate --json``: ``path`` is the field's dotted path (None for the file)."""
        return {"path": self.field, "line": self.line, "column": self.column, "message": self.message}


class BriefgenError(Exception):
    """A failure the user can fix; its text is shown without a traceback.

    Its message is one line (a newline in a file name it quotes is escaped); an error that reports
    several problems at once is raised with the list of them, one line each.
    """

    exit_code = EXIT_INPUT

    def __str__(self) -> str:
        if len(self.args) == 1 and isinstance(self.args[0], (list, tuple)):
            return "\n".join(shown(line) for line in self.args[0])
        return shown(super().__str__())


@dataclass(frozen=True)
class MoreProblems(Problem):
    """The line that stands for the problems past MAX_PROBLEMS: ``count`` of them."""

    count: int = 0


def problem_count(problems) -> int:
    """How many problems ``problems`` reports, counting those a MoreProblems line stands for."""
    return sum(p.count if isinstance(p, MoreProblems) else 1 for p in problems)


# More problems than anyone fixes in one pass: a 240 KB file of 80,000 aliases printed 80,007 lines, and a batch copied
# them all into a 9 MB index.
MAX_PROBLEMS = 100


class InputError(BriefgenError):
    """One or more problems in an input file (profile, knowledge base, template); past MAX_PROBLEMS, the first
    ones and a line saying how many more there are."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        problems = tuple(problems)
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS
            problems = problems[:MAX_PROBLEMS] + (
                MoreProblems(problems[MAX_PROBLEMS].file, None, None, None,
                             f"{more:,} more problems not shown; fix these and run again", more),)
        self.problems = problems
        super().__init__([str(p) for p in self.problems])


class OutputError(BriefgenError):
    """An output file could not be written (disk full, quota, I/O error); nothing partial is left."""


class ConfigError(BriefgenError):
    """A usage or configuration problem found before any work (e.g. unwritable output folder)."""

    exit_code = EXIT_USAGE


def interrupt(signum, frame) -> None:
    """A signal handler that stops the run as Ctrl-C does (SIGTERM from a cancelled job): temporary files are
    removed on the way out and the run ends with EXIT_INTERRUPTED. A process forked from the one that loaded briefgen
    (a batch worker stopped before it set its own handlers, when it has written nothing) ends at once and quietly:
    a KeyboardInterrupt raised inside the fork's own start-up hooks was printed as a traceback."""
    if os.getpid() != _LOADED_IN:
        os._exit(128 + signum)
    raise KeyboardInterrupt


def stop_signals() -> tuple:
    """The signals that stop a run as Ctrl-C does: SIGTERM (a cancelled job, `timeout`) and, where it exists, SIGHUP
    (the terminal it ran in was closed), which ended a render at once, leaving its temporary file."""
    return tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def stop_like_ctrl_c() -> dict:
    """Install ``interrupt`` for every stop signal; the handlers it replaced, for ``restore_handlers``."""
    return {sig: signal.signal(sig, interrupt) for sig in stop_signals()}


def restore_handlers(previous: dict) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)


# The process that loaded briefgen: batch workers are forked from it and inherit its handlers until they set their own.
_LOADED_IN = os.getpid()
