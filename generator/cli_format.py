"""What the command line shows on a terminal: the ranking table, the batch's progress bar and summary.

The CLI's side of the library: these read the library's results and write text, so
that no library module prints. Text that came from a profile is shown with its control
characters escaped (:func:`safe`), never obeyed.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from typing import TextIO

from generator.batch.index import OK_STATUSES, STATUSES, Row
from generator.errors import error_lines, shown
from generator.scoring.assessment import Assessment
from generator.scoring.diff import CAUSE_WORDS
from generator.wording import decimals, join_or, points


def safe(text: str) -> str:
    """Text echoed to a terminal, one line per line of ``text``, with control characters shown, not obeyed."""
    return "\n".join(shown(line) for line in text.split("\n"))


# --- briefgen score ----------------------------------------------------------------------------


def format_ranking(assessment: Assessment) -> str:
    """A readable ranking for the terminal: rank, framework, score, TOPSIS, why knocked out; then the pick."""
    names = assessment.names
    width = max([len("Framework")] + [len(names.get(r.framework, r.framework)) for r in assessment.ranking])
    # The last column holds knock-outs and, in brackets, frameworks that are options only with a companion: headed
    # "Knocked out", it called the latter knocked out too.
    lines = [f"{'Rank':>4}  {'Framework':<{width}}  {'Score':>5}  {'TOPSIS':>6}  Not an option alone, because"]
    for r in assessment.ranking:
        note = ""
        if r.knocked_out:
            note = r.knockouts[0] + (f" (+{len(r.knockouts) - 1} more)" if len(r.knockouts) > 1 else "")
        elif r.needs_companion:
            note = "(meets every must only with a companion: " + join_or([names.get(f, f) for f in r.needs_companion])
            # No stack is built on it, so say why it appears nowhere among the options.
            note += ", which would take over every stated need it does: no option)" if r.carries_no_need else ")"
        lines.append(
            f"{r.rank:>4}  {names.get(r.framework, r.framework):<{width}}  {points(r.score):>5}  {decimals(r.topsis, 3):>6}  {note}".rstrip()
        )
    rec = assessment.recommendation
    lines.append("")
    if rec.stack_detail is not None:
        lines.append(
            f"Best stack: {' + '.join(names.get(f, f) for f in rec.stack)} ({points(rec.stack_detail.score)})"
        )
    lines.append(rec.sentence)
    return "\n".join(lines)


# --- briefgen batch ----------------------------------------------------------------------------


class ProgressBar:
    """The batch's listener on a terminal: a bar redrawn in place; on anything else a line every
    tenth of the way; nothing with --quiet. Problems are printed above the bar as they come."""

    def __init__(self, stream: TextIO, quiet: bool):
        self.stream, self.quiet = stream, quiet
        self.tty = False
        self.active = False
        self.total = self.done = self.failed = 0
        self.began = 0.0
        self.last_draw = 0.0
        self.last_line = 0

    # the batch's Listener
    def problem(self, text: str) -> None:
        """A line that must be seen (a failure, a warning), printed above the bar."""
        if self.active:
            self._clear()
        print(safe(text if text.startswith("warning: ") else error_lines(text)), file=self.stream, flush=True)
        if self.active:
            self._draw(force=True)

    def started(self, total: int) -> None:
        self.total, self.active = total, True
        # redrawing needs escape codes: only for a terminal that understands them
        self.tty = not self.quiet and self.stream.isatty() and os.environ.get("TERM") != "dumb"
        self.began = time.monotonic()

    def finished_one(self, ok: bool) -> None:
        self.done += 1
        self.failed += not ok
        self._draw()

    def finished(self) -> None:
        self._draw(force=True)
        if self.tty:
            print(file=self.stream, flush=True)
        self.active = False

    # drawing
    def _text(self) -> str:
        elapsed = time.monotonic() - self.began
        left = elapsed / self.done * (self.total - self.done) if self.done else 0
        failed = f", {self.failed} failed" if self.failed else ""
        return f"{self.done}/{self.total} briefs{failed}, {elapsed:.0f} s elapsed, ~{left:.0f} s left"

    def _clear(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[K")

    def _draw(self, force: bool = False) -> None:
        if self.quiet or not self.total:
            return
        if self.tty:
            now = time.monotonic()
            if force or now - self.last_draw > 0.1 or self.done == self.total:
                width = 30
                filled = width * self.done // self.total
                self.stream.write(f"\r\x1b[K[{'#' * filled}{'.' * (width - filled)}] {self._text()}")
                self.stream.flush()
                self.last_draw = now
        elif self.done != self.last_line and (self.done % max(1, self.total // 10) == 0 or self.done == self.total):
            print(f"progress: {self._text()}", file=self.stream, flush=True)
            self.last_line = self.done


def summary_table(rows: list[Row], wall: float, jobs: int) -> str:
    """The batch's closing summary: a count per status, then one line per input with a problem."""
    counts = Counter(r.status for r in rows)
    lines = [f"batch: {len(rows)} profile{'s' if len(rows) != 1 else ''} in {wall:.1f} s with {jobs} worker{'s' if jobs != 1 else ''}"]
    lines += [f"  {s:<12}{counts[s]:>6}" for s in STATUSES if counts[s]]
    # after Ctrl-C the unfinished are many and alike: their count above says enough
    problems = [r for r in rows if r.status not in (*OK_STATUSES, "interrupted")]
    if problems:
        width = min(60, max(len("profile"), *(len(shown(r.profile)) for r in problems)))
        lines.append(f"  {'profile':<{width}}  {'status':<11} first problem")
        for r in problems:
            first = r.error.splitlines()[0] if r.error else ""
            lines.append(f"  {shown(r.profile):<{width}}  {r.status:<11} {first}")
    return safe("\n".join(lines))


def change_report(changes: str, rows: list[Row]) -> str:
    """What a batch says after a previous run: the count that would now choose differently, then each of them."""
    lines = [f"since the last run: {changes}"]
    for r in rows:
        if r.change.get("changed"):
            before, after = " + ".join(r.change["previous_stack"]), " + ".join(r.summary["stack"])
            lines.append(f"  {shown(r.profile)}: {before} -> {after} ({CAUSE_WORDS[r.change['cause']]})")
    return safe("\n".join(lines))
