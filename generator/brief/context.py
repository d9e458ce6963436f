"""What every section builder of the brief shares: the context of one brief (names, citations,
weights, what the profile rules out) and the small helpers that turn text into blocks."""

from __future__ import annotations

import re
from typing import Iterable

from generator.brief.options import excluded_mentions, excluded_terms, options_of, short_name, without_excluded
from generator.brief.templating import Template
from generator.document import BulletList, Paragraph, Text
from generator.knowledge.model import Fact, KnowledgeBase, Point
from generator.sanitize import clean_field
from generator.scoring.assessment import Assessment
from generator.scoring.provenance import provenance_line
from generator.scoring.rules import condition_holds
from generator.wording import percent, percent_pair

POC_TIME = {"weeks": "two weeks", "months": "six weeks", "quarters": "one quarter"}

# The brief prints every percentage one way, "12%": wording's unspaced style.
pct = percent
pct_pair = percent_pair
# Knowledge-base remarks addressed to its editors, not to a client ("the seed article's ... is wrong").
_EDITORIAL = re.compile(r"\s*\(the seed article's [^)]*\)", re.IGNORECASE)


def client_text(text: str) -> str:
    return _EDITORIAL.sub("", text)


class _Ctx:
    """What every section builder needs; the citation counter is its only state."""

    def __init__(self, a: Assessment, kb: KnowledgeBase, tpl: Template, warnings: list[str], date: str = ""):
        self.a = a
        self.kb = kb
        self.date = date  # the brief's date: facts are judged stale against it
        self.tpl = tpl
        self.warnings = warnings
        self.profile = a.profile
        self.weights = {w.criterion: w.value for w in a.weights}
        self.ranked = {r.framework: r for r in a.ranking}
        self.cited: dict[str, int] = {}
        self.technical = tpl.audience == "technical"
        self.options = options_of(a)
        self.excluded = excluded_terms(a, self.name, kb)
        self.provenance = provenance_line(a.provenance)

    def cross_check_leader(self) -> str:
        """The option TOPSIS ranks first when it differs from the pick, named so that a reader sees whether only the
        companion differs ("Kubeflow + DVC, the same main framework with another companion")."""
        key, primary = self.a.topsis_leader, self.a.recommendation.primary
        if not key:
            return ""
        same = primary and key.split("+")[0] == primary
        return self.name(key) + (", the same main framework with another companion" if same else "")

    def name(self, fid: str | None) -> str:
        """Display name of a framework id, or of a stack key such as 'kubeflow+mlflow'."""
        if not fid:
            return ""
        if "+" in fid:
            return " + ".join(self.name(part) for part in fid.split("+"))
        fw = self.kb.frameworks.get(fid)
        return fw.name if fw else self.a.names.get(fid, fid)

    def short(self, key: str) -> str:
        """An option's name where space is tight (chart labels, matrix columns); the glossary spells them out."""
        return " + ".join(short_name(self.name(f)) for f in key.split("+"))

    def crit(self, cid: str) -> str:
        c = self.kb.criteria.get(cid)
        if c:
            return c.name
        return self.a.criterion_names.get(cid) or cid.replace("_", " ").capitalize()

    def cite(self, ids: Iterable[str]) -> str:
        """' [2, 5]' for the known source ids, numbered in order of first citation; '' if none."""
        nums = []
        # The first sources of a statement are its primary ones (knowledge-base order):
        # two in the short brief, three in the technical one, so the sources list stays
        # a list a reader can use rather than every reference the knowledge base holds.
        known = [sid for sid in ids if sid in self.kb.sources][: 3 if self.technical else 2]
        for sid in known:
            if sid not in self.kb.sources:
                continue
            if sid not in self.cited:
                self.cited[sid] = len(self.cited) + 1
            n = self.cited[sid]
            if n not in nums:
                nums.append(n)
        return f" [{', '.join(map(str, sorted(nums)))}]" if nums else ""

    def aged(self, statement: Fact | Point) -> str:
        """' (evidence from 2024)' when the statement's evidence is older than a year on the brief's date."""
        if not self.kb.is_stale(statement, self.date or None):
            return ""
        year = self.kb.judged_date(statement)[:4]
        # Undated living documentation is judged by when it was read; say so rather than date the evidence.
        return f" (evidence from {year})" if statement.evidence_date else f" (undated sources, last read in {year})"

    def relevance(self, point: Point) -> float:
        return sum(self.weights.get(c, 0.0) for c in point.criteria)

    def applies(self, point: Point) -> bool:
        """Whether a drawback is this team's: the premise the knowledge base states for it holds in the
        profile, and it bears on something the team wants (not only on needs it rates won't-have)."""
        if not all(condition_holds(self.profile, c) for c in point.applies_when):
            return False
        return not (point.criteria and all(self.profile.needs.get(c) == "wont" for c in point.criteria))

    def stack_name(self) -> str:
        return self.name("+".join(self.a.recommendation.stack))

    def adopted_name(self) -> str:
        """The recommended option without the tools the team keeps: what is new to adopt and migrate to."""
        kept = set(self.profile.current.keep)
        new = [f for f in self.a.recommendation.stack if f not in kept]
        return self.name("+".join(new)) if new else self.stack_name()

    def excluded_in(self, text: str) -> bool:
        return bool(excluded_mentions(text, self.excluded))

    def allowed(self, text: str) -> str:
        """Advice without the alternatives this profile rules out ("" if none is left)."""
        return without_excluded(text, self.excluded)

    def user(self, text: str | None, field: str) -> str:
        return clean_field(text, field, self.warnings) if text else ""


def _p(*parts: str | Text, style: str = "body") -> Paragraph:
    return Paragraph(tuple(Text(p) if isinstance(p, str) else p for p in parts), style)


def _bullets(texts: Iterable[str | Paragraph], numbered: bool = False) -> BulletList:
    return BulletList(tuple(t if isinstance(t, Paragraph) else _p(t) for t in texts), numbered)


def _ranked_points(ctx: _Ctx, pts: tuple[Point, ...], limit: int) -> list[Point]:
    # Stable sort: equally relevant points keep the knowledge base's order.
    return sorted(pts, key=lambda p: -ctx.relevance(p))[:limit]


def _count(n: int, noun: str) -> str:
    """'1 model', '3 models', '20 people': the plural agrees with the count."""
    if n == 1:
        return f"1 {noun}"
    return f"{n} {'people' if noun == 'person' else noun + 's'}"
