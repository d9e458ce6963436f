"""A decision update: one page saying whether a decision still holds, as a document model.

Built from a :class:`~generator.scoring.diff.DecisionDiff`, rendered by the same
PDF, DOCX and Markdown renderers as the brief. Words first, numbers after.
"""

from __future__ import annotations

from generator.document import Brief, BulletList, Callout, Metadata, Section, Table, plain
from generator.scoring.diff import DecisionDiff, consequence_sentences, input_sentences, summary
from generator.wording import points


def _f(x: float | None) -> str:
    return "-" if x is None else points(x)


def compose_update(d: DecisionDiff, *, labels: tuple[str, str]) -> Brief:
    """The update for ``d``: the headline, the inputs that changed, their effects, then the scores."""
    tone = "warning" if d.changed else "success"
    sections = [
        Section("update", "Does the decision still hold?", 1, (
            Callout("Changed" if d.changed else "Unchanged", (plain(summary(d)),), tone),
            plain(f"Before: {labels[0]}. After: {labels[1]}."),
        )),
    ]
    inputs = input_sentences(d)
    sections.append(Section("inputs", "What changed in the inputs", 1, (
        BulletList(tuple(plain(s) for s in inputs)) if inputs else plain("No input changed."),
    )))
    effects = consequence_sentences(d)
    if effects:
        sections.append(Section("effects", "What that changed", 1, (BulletList(tuple(plain(s) for s in effects)),)))
    if d.scores:
        rows = tuple(
            (d.name(s.framework), _f(s.before), _f(s.after), str(s.rank_before or "-"), str(s.rank_after or "-"))
            for s in d.scores
        )
        sections.append(Section("scores", "Scores before and after", 1, (
            Table(("Framework", "Score before", "Score after", "Rank before", "Rank after"), rows,
                  caption="Totals out of 100; only frameworks whose score, rank or knock-outs changed.",
                  align=("left", "right", "right", "right", "right")),
        )))
    meta = Metadata(
        title="Decision update",
        subtitle=summary(d),
        author="briefgen",
        subject="Decision update: " + ("the pick changed" if d.changed else "the pick holds"),
        keywords=("decision update",),
        date=d.kb_after[1] or d.kb_before[1],
        kb_as_of=d.kb_after[1],
        header="Decision update",
    )
    return Brief(meta=meta, sections=tuple(sections))
