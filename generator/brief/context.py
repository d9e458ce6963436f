"""What every section builder of the brief shares: the context of one brief (names, citations,
weights, what the profile rules out) and the small helpers that turn text into blocks."""

from __future__ import annotations

import dataclasses
import re
from typing import Iterable

from generator.brief.options import excluded_mentions, excluded_terms, options_of, short_label, without_excluded
from generator.brief.templating import Template
from generator.document import BulletList, Paragraph, Text
from generator.knowledge.model import NOTE_CRITERIA, Fact, KnowledgeBase, Point
from generator.sanitize import clean_field
from generator.scoring.assessment import Assessment
from generator.scoring.provenance import provenance_line
from generator.scoring.rules import condition_holds, selects
from generator.scoring.weights import start_raw
from generator.wording import count, join_and, level, mid, ordinal, percent, percent_pair, percent_shares

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
        # Every weight the brief prints, rounded once so that the printed weights add up to the printed 100%.
        self.weight_text = dict(zip(self.weights, percent_shares(list(self.weights.values()))))
        starts = [start_raw(a.profile, kb, c) for c in self.weights]
        self.start_text = dict(zip(self.weights, percent_shares(starts)))
        self.ranked = {r.framework: r for r in a.ranking}
        self.cited: dict[str, int] = {}
        self.technical = tpl.audience == "technical"
        # The first sources of a statement are its primary ones (knowledge-base order), three at most, so the sources
        # list stays a list a reader can use; three in both briefs: the executive brief's two dropped the source that
        # carried a page-1 claim (a survey figure cited to two release notes).
        self.cited_per_statement = 3
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

    def weight(self, cid: str) -> str:
        """A criterion's weight as every table and sentence of this brief prints it."""
        return self.weight_text.get(cid, "0%")

    def start_weight(self, cid: str) -> str:
        """A criterion's share of the total from its need or standard weight alone, before any fact of this profile."""
        return self.start_text.get(cid, "0%")

    def weight_pair(self, cid: str, value: float, other: float) -> tuple[str, str]:
        """A criterion's weight ``value`` beside another share of the total (a flip point), in the fewest decimals
        that tell the two apart. The brief's own weight is printed as the tables print it ("now 8%, flips at 8.5%"),
        so one weight never reads as two numbers, unless that whole percent would sit on the wrong side of the
        flip point ("flips at 7.9%, now 8%"); then both keep their decimals."""
        now, then = percent_pair(value, other)
        shown = self.weight(cid)
        if abs(value - self.weights.get(cid, -1.0)) < 1e-12 and shown not in (now, then) and shown[0] != "<":
            at = float(then[:-1])
            if (other > value and float(shown[:-1]) < at) or (other < value and float(shown[:-1]) > at):
                now = shown
        return now, then

    def settable(self, f) -> bool:
        """Whether a flip lies inside the weights a reader could set: a criterion can weigh neither 0% nor 100% of
        the total, and a need the team marked as not needed is a decision already made, not a weight to revisit."""
        return f.flip_at is not None and 0.005 < f.flip_at < 0.995 and self.a.profile.needs.get(f.criterion) != "wont"

    def flip_condition(self, f) -> str:
        """When a flip happens, in words: "cost mattered more than 31% of the total weight (now 2%)"."""
        direction = "more" if f.flip_at > f.weight else "less"
        now, then = self.weight_pair(f.criterion, f.weight, f.flip_at)
        shown = self.weight(f.criterion)
        # "now 1.7%" beside a weights table that prints 1% read as two weights: say the table's is the rounded one.
        real = abs(f.weight - self.weights.get(f.criterion, -1.0)) < 1e-12  # the brief's own weight, as its table prints it
        table = f", {shown} in the weights table, which rounds to whole percents" if real and now != shown and shown[0] != "<" else ""
        return f"{mid(self.crit(f.criterion))} mattered {direction} than {then} of the total weight (now {now}{table})"

    def cross_check_rank(self, key: str | None) -> int:
        """An option's place among all viable options on the cross-check (TOPSIS closeness), 0 when it is not one."""
        option = self.options.get(key)
        if option is None:
            return 0
        return 1 + sum(1 for o in self.options.viable if round(o.topsis, 9) > round(option.topsis, 9))

    # Described where it is first mentioned ("a second ranking method" alone leaves a reader asking which), in
    # words rather than by its acronym, which the short brief would then have to add to its glossary.
    SECOND_METHOD = "a second ranking method (by closeness to an ideal option)"

    def cross_check(self) -> str:
        """What the second ranking method says, with the places it gives the pick and, when lower than 2nd and than
        its place by score, the runner-up: "a second ranking method ranks it only 4th of 8 options and prefers ..."."""
        sens, n = self.a.sensitivity, len(self.options.viable)
        pick = self.cross_check_rank(sens.leader)
        if self.a.methods_agree or pick == 1:
            text = f"{self.SECOND_METHOD} also puts it first"
        else:
            text = f"{self.SECOND_METHOD} ranks it only {ordinal(pick)} of {n} options and prefers {self.cross_check_leader()}"
        runner = self.cross_check_rank(sens.runner_up)
        option = self.options.get(sens.runner_up)
        # Its place by score: a variant of the pick may stand between them, and then "only 3rd" on the cross-check
        # would read as a disagreement where the two methods agree.
        by_score = 1 + sum(1 for o in self.options.viable if option is not None and round(o.score, 9) > round(option.score, 9))
        if runner > max(2, by_score):
            # "only 3rd" leaves a reader asking what is 2nd: said when one option holds that place (where the pick is
            # not first, the method's own leader is already named; two level in 2nd place cost the short brief a line
            # it has no room for).
            second = [o.key for o in self.options.viable if self.cross_check_rank(o.key) == 2] if pick == 1 else []
            if len(second) == 1:
                text += f", {self.name(second[0])} second"
            # "only 3rd" of three options is last: said so.
            place = "last" if runner == n else f"only {ordinal(runner)}"
            text += f"{' and' if pick == 1 else '; it puts'} the runner-up, {self.name(sens.runner_up)}, {place}"
        elif pick > 1 and runner < pick and sens.runner_up != self.a.topsis_leader:
            # The method's leader is a third option, and the runner-up also stands above the pick there: the one fact
            # that bears on the choice between the two (a reader found it only in the technical table).
            text += f"; it also puts the runner-up, {self.name(sens.runner_up)}, above it ({ordinal(runner)})"
        return text

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
        return short_label([self.name(f) for f in key.split("+")])

    def crit(self, cid: str) -> str:
        c = self.kb.criteria.get(cid)
        if c:
            return c.name
        return self.a.criterion_names.get(cid) or cid.replace("_", " ").capitalize()

    def cite(self, ids: Iterable[str]) -> str:
        """' [2, 5]' for the known source ids, numbered in order of first citation; '' if none."""
        nums = []
        known = [sid for sid in ids if sid in self.kb.sources][: self.cited_per_statement]
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
        """' (evidence from 2024)' when the statement's evidence is older than a year on the brief's date, judged by
        the sources the brief cites for it (a reader found "evidence from 2025" beside two citations of 2023 and
        none: the date came from a source the short citation left out)."""
        cited = tuple(sid for sid in statement.sources if sid in self.kb.sources)[: self.cited_per_statement]
        days = [self.kb.sources[sid].date for sid in cited if self.kb.sources[sid].date]
        statement = dataclasses.replace(statement, sources=cited, evidence_date=max(days, default=None))
        if not self.kb.is_stale(statement, self.date or None):
            return ""
        year = self.kb.judged_date(statement)[:4]
        # Undated living documentation is judged by when it was read; say so rather than date the evidence.
        return f" (evidence from {year})" if statement.evidence_date else f" (undated sources, last read in {year})"

    def relevance(self, point: Point) -> float:
        return sum(self.weights.get(c, 0.0) for c in point.criteria)

    def hosting_fits(self, point: Point) -> bool:
        """Whether a point holds for the way this team may run the software: a point about a vendor-run
        offering ("a managed option from its creators") is beside the point for a team that may not use one
        (managed services forbidden, no third-party hosting, or an air gap)."""
        if point.requires != "managed":
            return True
        c, i = self.profile.constraints, self.profile.infrastructure
        return not (c.managed_services == "forbidden" or not c.saas_allowed or i.air_gapped)

    def applies(self, point: Point) -> bool:
        """Whether a drawback is this team's: the premise the knowledge base states for it holds in the
        profile, the team may run the software the way it assumes, and it bears on something the team
        wants (not only on needs it rates won't-have)."""
        if not all(condition_holds(self.profile, c) for c in point.applies_when) or not self.hosting_fits(point):
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


def none_viable_steps(ctx: _Ctx, where: str = "") -> list[str]:
    """The next steps when no option is viable: decide what can change among the reasons given (constraints, must-have
    needs, kept or replaced tools: whichever ruled the options out), and widen a shortlist that is not every
    framework already."""
    steps = [f"Review the ruled-out reasons{where} and decide which of them can change."]
    if len(set(ctx.profile.frameworks)) < len(ctx.kb.frameworks):
        steps.append("Widen the shortlist (frameworks: all) and run this brief again.")
    else:
        steps.append("Run this brief again with the changed profile.")
    return steps


def stakeholder_priorities(ctx: _Ctx, name: str, limit: int | None = None) -> list[str]:
    """A stakeholder's own priorities, highest first, in words ("ease of use 10 of 10")."""
    sh = next((s for s in ctx.profile.stakeholders if s.name == name), None)
    # performance is never weighed: "performance 10 of 10" was given as a reason for a stakeholder's pick
    items = sorted(((c, v) for c, v in sh.priorities.items() if c not in NOTE_CRITERIA), key=lambda kv: -kv[1]) if sh else []
    return [f"{mid(ctx.crit(c))} {level(v)} of 10" for c, v in items[:limit]]


# A level printed in a sentence: "scores 4.5 of 5", "(3 of 5 against 0.5)", "against -1 for ...".
_LEVEL_IN_TEXT = re.compile(r"(?<![\d.])(-?\d(?:\.\d)?) of 5\b|\bagainst (-?\d(?:\.\d)?)\b(?!\.\d| of 100| points)")


def levels_in(text: str) -> list[float]:
    """The 0-5 levels a sentence quotes."""
    return [float(a or b) for a, b in _LEVEL_IN_TEXT.findall(text)]


def moved_by(ctx: _Ctx, rule_id: str, cells) -> str:
    """"raises Metaflow and Kedro, and lowers Amazon SageMaker AI": which frameworks a rule moved among ``cells``, and
    which way. Said after a rule's reason, the names follow a verb, so a reason ending "... and one built for platform
    engineers is harder" is not read as calling the frameworks after it the harder ones. A framework whose levels
    the rule moved both ways, or together with other rules, is one it "moves"."""
    rule = next((r for r in ctx.kb.rules if r.id == rule_id), None)
    ways: dict[str, set[str]] = {}
    for c in cells:
        if rule_id in c.rules and c.score != c.base:
            ways.setdefault(c.framework, set()).add(_way(ctx, rule, c))
    by_way: dict[str, list[str]] = {}
    for fid, seen in ways.items():
        by_way.setdefault(next(iter(seen)) if len(seen) == 1 else "moves", []).append(ctx.name(fid))
    return join_and([f"{way} {join_and(by_way[way])}" for way in ("raises", "lowers", "moves") if way in by_way])


def _way(ctx: _Ctx, rule, cell) -> str:
    """Which way ``rule``'s own effects on ``cell`` go: a positive delta raises; a negative one, a cap or a limit
    lowers; a set level goes whichever way it is from the knowledge base's. Effects both ways "move" it."""
    ways = set()
    fw = ctx.kb.frameworks.get(cell.framework)
    for e in (rule.effects if rule else ()):
        if e.kind != "score" or e.criterion != cell.criterion or fw is None or not selects(e, fw, ctx.profile):
            continue
        if e.delta:
            ways.add("raises" if e.delta > 0 else "lowers")
        if e.cap is not None or e.limit is not None:
            ways.add("lowers")
        if e.set is not None and e.set != cell.base:
            ways.add("raises" if e.set > cell.base else "lowers")
    return ways.pop() if len(ways) == 1 else "moves"


def scale_notes(values: Iterable[float]) -> str:
    """Why a printed level is not a whole number 0 to 5 ("" when none is): a half point only a rule of this
    profile that moves a level by half."""
    half = next((v for v in values if v != round(v) and abs(v * 2 - round(v * 2)) < 1e-9), None)
    if half is None:
        return ""
    return f"A half (such as {level(half)}) comes from facts about this team that move scores in half levels."


def _p(*parts: str | Text, style: str = "body") -> Paragraph:
    return Paragraph(tuple(Text(p) if isinstance(p, str) else p for p in parts), style)


def _bullets(texts: Iterable[str | Paragraph], numbered: bool = False) -> BulletList:
    return BulletList(tuple(t if isinstance(t, Paragraph) else _p(t) for t in texts), numbered)


def _ranked_points(ctx: _Ctx, pts: tuple[Point, ...], limit: int) -> list[Point]:
    """The points that hold for this project (``applies``: their stated premise holds, as the risk register
    requires), most relevant first. A point only about needs the team does not have (every criterion it bears on
    weighs 0: "No orchestration or serving" for a team that needs neither) is left out, with its mitigation:
    pairing a tool for a need nobody stated reads as advice against the profile."""
    # Stable sort: equally relevant points keep the knowledge base's order.
    bearing = (p for p in pts if ctx.applies(p) and (not p.criteria or ctx.relevance(p) > 0))
    return sorted(bearing, key=lambda p: -ctx.relevance(p))[:limit]


def _count(n: int, noun: str) -> str:
    """'1 model', '3 models', '20 people', '2,000 models': the plural agrees with the count, and thousands are grouped."""
    if n == 1:
        return f"1 {noun}"
    return f"{count(n)} {'people' if noun == 'person' else noun + 's'}"
