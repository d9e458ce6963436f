"""The brief linter: checks a composed brief for the defects a careful reader would catch.

It reads the document model and the assessment it was composed from, never a
rendered file, so it runs in milliseconds and in tests over thousands of
profiles. Each finding names the section and quotes the offending sentence.

Checks (the ``check`` of a finding):
- ``number``: a score or weight in text, a table or a chart differs from the model's;
- ``missing-option``: the recommended option is absent from the options table, the chart or the score matrix;
- ``excluded-option``: a mitigation or next step names an option the profile rules out;
- ``weight-range``: a statement implies a weight above 100% or below 0;
- ``internal``: a rule id, hash, seed, distribution notation, raw enum value or snake_case token;
- ``truncated``: a cell or chart label the renderers would have to cut;
- ``plural``: a count and its noun disagree ("1 frameworks");
- ``chart-legend``: a range chart without the legend that says what its band and marker mean;
- ``chart-highlight``: the totals chart does not single out the recommended option (or marks another);
- ``order``: one combination named in two orders ("Kubeflow + MLflow" here, "MLflow + Kubeflow" there);
- ``weights-total``: a table of every weighted criterion prints weights that do not add up to its total;
- ``unnamed``: "this framework" in a sentence that names none;
- ``scale``: a level below 0, or a half point printed where no caption or sentence of its section says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from generator.brief.options import (
    CHART_LABEL_CHARS,
    WEIGHTED_MEAN,
    excluded_mentions,
    excluded_terms,
    options_of,
    short_label,
    short_name,
)
from generator.document import Brief, BulletList, Callout, Chart, Paragraph, Section, Table
from generator.knowledge.model import KnowledgeBase
from generator.profile.model import IN_HOUSE
from generator.scoring.assessment import Assessment
from generator.scoring.fit import tool_name
from generator.wording import THIS_FRAMEWORK, number, percent_shares, points

# Widest chart label the PDF draws uncut (150 pt at 7.5 pt) and the cell budget of
# the PDF table renderer (about half a page of text per column): see render/pdf.py.
FRAME_POINTS = 482.0
CELL_CHARS_PER_POINT = 6.0

PLURAL_NOUNS = {
    "framework": "frameworks", "model": "models", "option": "options", "combination": "combinations",
    "tool": "tools", "trial": "trials", "scenario": "scenarios", "person": "people", "team": "teams",
    "data scientist": "data scientists", "ML engineer": "ML engineers", "criterion": "criteria",
    "source": "sources", "companion": "companions",
}
_INTERNAL = (
    (re.compile(r"\brule [a-z0-9]+(?:-[a-z0-9]+)+\b"), "a rule id"),
    (re.compile(r"\(x\d+(?:\.\d+)?[,)]"), "a rule factor"),
    (re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,64}\b"), "a hex hash"),
    (re.compile(r"\bseed\b", re.IGNORECASE), "a seed"),
    (re.compile(r"\b[UN]\(\s*-?\d"), "distribution notation"),
    (re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"), "a snake_case token"),
    (re.compile(r"'(?:none|basic|intermediate|expert|shared|dedicated|planned|self_managed|managed|few|many|small|medium|large|massive|batch|online|both|preferred|allowed|forbidden|low|high|weeks|months|quarters|must|should|could|wont)'"), "a raw profile value"),
    (re.compile(r"\bwont\b"), "a raw profile value"),
    (re.compile(r"->"), "an arrow from internal notation"),
    (re.compile(r"MoSCoW weight"), "an internal weight"),
)


# A printed 0-5 level in a table cell, and one quoted in a sentence ("4.5 of 5", "against -1 for").
_LEVEL = re.compile(r"-?\d(?:\.\d)?")
_LEVEL_IN_TEXT = re.compile(r"(?<![\d.])(-?\d(?:\.\d)?) of 5\b|\bagainst (-?\d(?:\.\d)?)\b(?!\.\d| of 100| points)")
# A percentage stated as a criterion's weight (not a share of trials or of respondents).
_WEIGHT_PCT = re.compile(
    r"(-?\d+(?:\.\d+)?)% of the (?:total )?weight|weigh(?:s|ed)? (-?\d+(?:\.\d+)?)%|flips at (-?\d+(?:\.\d+)?)%"
)


@dataclass(frozen=True)
class Finding:
    check: str
    section: str
    sentence: str
    message: str

    def __str__(self) -> str:
        return f'{self.section}: {self.message}: "{self.sentence}"'


def lint(brief: Brief, assessment: Assessment, kb: KnowledgeBase) -> tuple[Finding, ...]:
    """Every defect found in ``brief``, in reading order; () when it is clean."""
    return tuple(_Linter(brief, assessment, kb).run())


class _Linter:
    def __init__(self, brief: Brief, a: Assessment, kb: KnowledgeBase):
        self.brief, self.a, self.kb = brief, a, kb
        self.options = options_of(a)
        self.name_of = {f: (kb.frameworks[f].name if f in kb.frameworks else a.names.get(f, f)) for f in a.names}
        self.scores: dict[str, float] = {}
        for o in self.options.viable:
            self.scores[self._name(o.key)] = round(o.score, 1)
            self.scores[self._name(o.key, short=True)] = round(o.score, 1)
        for r in a.ranking:
            self.scores.setdefault(self._name(r.framework), round(r.score, 1))
            self.scores.setdefault(self._name(r.framework, short=True), round(r.score, 1))
        self.all_scores = {round(r.score, 1) for r in a.ranking} | {round(o.score, 1) for o in self.options.viable}
        self.weights = {self._crit(w.criterion).lower(): w.value for w in a.weights}
        self.excluded = excluded_terms(a, self._name, kb)
        # The adoption plan names the tools the team keeps and those it replaces on purpose: it connects the kept
        # ones to the pick and moves work off the others, even where either is ruled out as the pick itself.
        cur = a.profile.current
        named = {n for f in (*cur.keep, *cur.replacing) if f in a.names for n in (self._name(f), self._name(f, short=True))}
        self.plan_excluded = tuple(t for t in self.excluded if t not in named)
        # A tool the team runs (Databricks, KServe) is named by the plan whatever a managed-service or Kubernetes
        # pattern matches in it: it is there already (random valid profiles that keep one were refused by --check).
        self.in_use = {tool_name(kb, t, cur.spelled).lower() for t in (*cur.tools, *cur.keep, *cur.replacing)}
        # What the profile's author wrote is theirs to word ("spark_mllib" among the libraries, "acme_pipeline" among
        # the tools: an unknown tool is printed as written), not internal notation.
        p = a.profile
        unknown = [tool_name(kb, t, cur.spelled) for t in (*cur.tools, *cur.keep, *cur.replacing)
                   if t not in kb.tools.tools and t not in kb.frameworks and t != IN_HOUSE]
        self.user_text = " ".join(
            x for x in (p.project.name, p.project.organisation, p.project.prepared_for, p.project.author,
                        p.project.summary, *p.workload.libraries, *(sh.name for sh in p.stakeholders), *unknown) if x
        )
        # A profile whose own words open a bracket they never close ("Project (phase 2") is quoted as written.
        self.user_brackets_balanced = self.user_text.count("(") == self.user_text.count(")")
        # The weights as a brief prints them: rounded together, so that they add up to 100%.
        self.weight_text = dict(zip(self.weights, percent_shares([w.value for w in a.weights])))
        leader = a.sensitivity.leader
        self.recommended = (self._name(leader), self._name(leader, short=True)) if leader else ()
        # Every framework by its full and its short name, longest first so "Apache Airflow" wins over "Airflow".
        every = {**{f: fw.name for f, fw in kb.frameworks.items()}, **self.name_of}
        self.by_name = {n: f for f, full in every.items() for n in (full, short_name(full))}
        one = "|".join(re.escape(n) for n in sorted(self.by_name, key=len, reverse=True))
        self.combination = re.compile(rf"(?<![\w&])(?:{one})(?: \+ (?:{one}))+(?![\w&])")
        self.orders: dict[frozenset[str], tuple[str, ...]] = {}

    def _name(self, key: str, short: bool = False) -> str:
        names = [self.name_of.get(f, f) for f in key.split("+")]
        return short_label(names) if short else " + ".join(names)

    def _crit(self, cid: str) -> str:
        c = self.kb.criteria.get(cid)
        return c.name if c else self.a.criterion_names.get(cid, cid)

    # ------------------------------------------------------------ walking

    def run(self) -> Iterator[Finding]:
        for section in self.brief.sections:
            yield from self._section(section, section.title)
        yield from self._recommended_shown()

    def _section(self, section: Section, where: str) -> Iterator[Finding]:
        yield from self._text(section.title, where)
        yield from self._scale_in_text(section, where)
        for block in section.blocks:
            if isinstance(block, Section):
                yield from self._section(block, f"{where} / {block.title}")
            elif isinstance(block, Paragraph):
                yield from self._paragraph(block, where)
            elif isinstance(block, BulletList):
                for item in block.items:
                    yield from self._paragraph(item, where)
            elif isinstance(block, Callout):
                yield from self._text(block.title, where)
                for p in block.body:
                    yield from self._paragraph(p, where)
            elif isinstance(block, Table):
                yield from self._table(block, where)
            elif isinstance(block, Chart):
                yield from self._chart(block, where)

    def _paragraph(self, p: Paragraph, where: str) -> Iterator[Finding]:
        text = "".join(i.text for i in p.content)
        if self.brief.meta.provenance and text == f"Reproducible with {self.brief.meta.provenance}.":
            return  # the one place versions and digests belong, beside the sources
        yield from self._text(text, where)
        if text.startswith("Next step"):
            yield from self._excluded(text, where, "a next step")
        if " Mitigation: " in text:
            yield from self._excluded(text.split(" Mitigation: ", 1)[1], where, "a mitigation")

    def _text(self, text: str, where: str) -> Iterator[Finding]:
        if " + " in text:
            yield from self._order(text, where)
        yield from self._brackets(text, where)
        yield from self._punctuation(text, where)
        for sentence in sentences(text):
            yield from self._internal(sentence, where)
            yield from self._unnamed(sentence, where)
            yield from self._plural(sentence, where)
            yield from self._weight_range(sentence, where)
            yield from self._numbers(sentence, where)

    # ------------------------------------------------------------ checks

    def _brackets(self, text: str, where: str) -> Iterator[Finding]:
        """A bracket opened and never closed (or the reverse): a clause cut at a colon inside its aside, as the proof of
        concept's "main risk checked: pod-per-task start-up makes many small steps slow (vendor figure" was."""
        depth = 0
        for ch in text:
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if depth < 0:
                break
        if depth and self.user_brackets_balanced:
            yield Finding("brackets", where, text, "a bracket is opened and not closed" if depth > 0
                          else "a bracket is closed that was never opened")

    def _punctuation(self, text: str, where: str) -> Iterator[Finding]:
        """Two marks where one belongs: "which MLflow brings,: 'mlflow models serve'" or "brings,, as"."""
        m = _DOUBLED_MARK.search(text)
        if m and m.group(0) not in self.user_text:
            yield Finding("punctuation", where, text, f"{m.group(0)!r}: two punctuation marks in a row")
        m = _DOUBLED_JOINT.search(text)
        if m and m.group(0).lower() not in self.user_text.lower():
            yield Finding("punctuation", where, text, f"{m.group(0)!r}: two joining words in a row")

    def _unnamed(self, s: str, where: str) -> Iterator[Finding]:
        # A rule's generic subject left in a sentence: which framework? Not the team's own words ("deployment to the
        # clinic is a lower priority for this framework", in a summary), which --check refused.
        m = THIS_FRAMEWORK.search(s)
        if m and not (m.group(0).lower() in self.user_text.lower() and s in self.user_text):
            yield Finding("unnamed", where, s, '"this framework" names no framework')

    def _scale_in_table(self, t: Table, where: str) -> Iterator[Finding]:
        """A table of 0-5 scores that prints a level below 0 or a half point says why in its caption."""
        if "scores 0-5" not in t.caption.lower():
            return
        values = [float(cell) for row in t.rows if not row[0].startswith("Total") and not row[0].endswith(WEIGHTED_MEAN)
                  for cell in row[1:] if _LEVEL.fullmatch(cell)]
        yield from _unexplained_levels(values, t.caption, where, "table caption")

    def _scale_in_text(self, section: Section, where: str) -> Iterator[Finding]:
        """A section whose sentences quote a level below 0 or a half point explains it somewhere in the section."""
        texts = []
        for b in section.blocks:
            if isinstance(b, Paragraph):
                texts.append("".join(i.text for i in b.content))
            elif isinstance(b, BulletList):
                texts += ["".join(i.text for i in p.content) for p in b.items]
            elif isinstance(b, Callout):
                texts += ["".join(i.text for i in p.content) for p in b.body]
            elif isinstance(b, Table):
                texts.append(b.caption)
        values = [float(a or c) for text in texts for a, c in _LEVEL_IN_TEXT.findall(text)]
        yield from _unexplained_levels(values, " ".join(texts), where, "section")

    def _internal(self, s: str, where: str) -> Iterator[Finding]:
        for pattern, what in _INTERNAL:
            m = next((m for m in pattern.finditer(s) if m.group(0) not in self.user_text), None)
            if m:
                yield Finding("internal", where, s, f"{what} ({m.group(0)!r}) in client text")

    def _order(self, text: str, where: str) -> Iterator[Finding]:
        """A combination named in another order than the first time: a reader takes "MLflow + Kubeflow"
        for a different option than "Kubeflow + MLflow" (the first name is the main framework)."""
        for m in self.combination.finditer(text):
            ids = tuple(self.by_name[n] for n in m.group(0).split(" + "))
            first = self.orders.setdefault(frozenset(ids), ids)
            if first != ids:
                yield Finding(
                    "order", where, m.group(0),
                    f"{m.group(0)!r} names the combination that the brief names {self._name('+'.join(first))!r} elsewhere",
                )

    def _plural(self, s: str, where: str) -> Iterator[Finding]:
        for one, many in PLURAL_NOUNS.items():
            if re.search(rf"(?<![\d.,])\b1 {re.escape(many)}\b", s):
                yield Finding("plural", where, s, f'"1 {many}": the noun should be singular')
            m = re.search(rf"(?<![\d.,])\b([02-9]|\d{{2,}}) {re.escape(one)}\b(?!s)", s)
            if m and one != many:
                yield Finding("plural", where, s, f'"{m.group(0)}": the noun should be plural')

    def _weight_range(self, s: str, where: str) -> Iterator[Finding]:
        for m in _WEIGHT_PCT.finditer(s):
            value = float(next(g for g in m.groups() if g is not None))
            if value >= 100 or value < 0:
                yield Finding("weight-range", where, s, f"a weight of {number(value)}% is not possible (a weight lies between 0 and 100%)")

    def _numbers(self, s: str, where: str) -> Iterator[Finding]:
        for m in re.finditer(r"(\d+\.\d) of 100\b", s):
            if float(m.group(1)) not in self.all_scores:
                yield Finding("number", where, s, f"{m.group(1)} of 100 is no option's score")
        for m in re.finditer(r"([A-Z][a-z][\w ]*?) carries (\d+)% of the weight", s):
            yield from self._weight_is(m.group(1), m.group(2), s, where)
        for m in re.finditer(r"([a-zA-Z][a-z][\w ]*?) \((\d+)%\)", s):
            name = m.group(1).split(" and ")[-1].split(", ")[-1]
            yield from self._weight_is(name, m.group(2), s, where)

    def _weight_is(self, name: str, shown: str, s: str, where: str) -> Iterator[Finding]:
        # Criterion names may start the clause mid-sentence: try the longest known suffix.
        words = name.lower().split()
        for k in range(len(words)):
            crit = " ".join(words[k:])
            if crit in self.weights:
                if self.weight_text[crit] != f"{shown}%":
                    yield Finding("number", where, s, f"{crit} weighs {self.weight_text[crit]}, not {shown}%")
                return

    def _excluded(self, text: str, where: str, what: str, terms=None) -> Iterator[Finding]:
        for term in excluded_mentions(text, self.excluded if terms is None else terms):
            if terms is self.plan_excluded and term.lower() in self.in_use:
                continue
            yield Finding("excluded-option", where, text, f"{what} names {term}, which this profile rules out")

    def _table(self, t: Table, where: str) -> Iterator[Finding]:
        if t.header[:2] == ("Criterion", "Weight"):
            yield from self._weights_total(t, where)
        yield from self._scale_in_table(t, where)
        total = sum(t.widths) if t.widths else 0
        for r, row in enumerate(t.rows):
            for c, cell in enumerate(row):
                yield from self._text(cell, where)
                width = FRAME_POINTS * (t.widths[c] / total if total and c < len(t.widths) else 1 / len(t.header))
                if "\u2026" in cell or len(cell) > CELL_CHARS_PER_POINT * width:
                    yield Finding("truncated", where, cell, f"table cell in column {t.header[c]!r} would be cut")
                if t.header[c] == "Mitigation":
                    yield from self._excluded(cell, where, "a mitigation")
                elif t.header[c] in ("Scope", "Success and exit criteria"):
                    yield from self._excluded(cell, where, "the adoption plan", self.plan_excluded)
        if "Option" in t.header and "Score" in t.header:
            o, sc = t.header.index("Option"), t.header.index("Score")
            for row in t.rows:
                yield from self._score_is(row[o], row[sc], where)
        if t.rows and t.rows[-1][0] == "Total (0-100)":
            for name, value in zip(t.header[2:], t.rows[-1][2:]):
                yield from self._score_is(name.removesuffix(" (ruled out)"), value, where)
        if t.header[:2] == ("Criterion", "Weight"):
            for row in t.rows:
                w = self.weight_text.get(row[0].lower())
                if w is not None and row[1] != w:
                    yield Finding("number", where, " | ".join(row[:2]), f"{row[0]} weighs {w}, the table says {row[1]}")
        for h in t.header:
            yield from self._text(h, where)

    def _weights_total(self, t: Table, where: str) -> Iterator[Finding]:
        """A table that lists every weighted criterion above a printed total shows weights that add up to it."""
        crit_rows = [row for row in t.rows if row[0].lower() in self.weights]
        total = next((row[1] for row in t.rows if row[0].lower().startswith("total")), None)
        if total is None or len(crit_rows) < sum(1 for w in self.a.weights if w.value > 0):
            return
        shown = sum(int(row[1][:-1]) for row in crit_rows if re.fullmatch(r"\d+%", row[1]))
        if f"{shown}%" != total:
            yield Finding("weights-total", where, f"Total | {total}", f"the weights shown add up to {shown}%, not {total}")

    def _score_is(self, name: str, shown: str, where: str) -> Iterator[Finding]:
        expected = self.scores.get(name)
        try:
            value = float(shown)
        except ValueError:
            return
        if expected is not None and abs(value - expected) > 0.05:
            yield Finding("number", where, f"{name}: {shown}", f"{name} scores {points(expected)}, not {shown}")

    def _chart(self, ch: Chart, where: str) -> Iterator[Finding]:
        yield from self._text(ch.title, where)
        yield from self._chart_marks(ch, where)
        for bar in ch.bars:
            if " + " in bar.label:
                yield from self._order(bar.label, where)
            if len(bar.label) > CHART_LABEL_CHARS:
                yield Finding("truncated", where, bar.label, f"chart label longer than {CHART_LABEL_CHARS} characters would be cut")
            if ch.kind == "bar" and ch.unit == "points":
                yield from self._score_is(bar.label, points(bar.value), where)
            if ch.kind == "range" and bar.note:
                yield from self._text(bar.note, where)

    def _chart_marks(self, ch: Chart, where: str) -> Iterator[Finding]:
        """A chart says what its marks mean, and the totals chart marks the recommendation alone."""
        if ch.legend:
            yield from self._text(ch.legend, where)
        elif ch.kind == "range":
            yield Finding("chart-legend", where, ch.title, "the chart has no legend saying what its band and marker mean")
        if ch.kind == "bar" and ch.unit == "points" and any(b.label in self.recommended for b in ch.bars):
            lit = [b.label for b in ch.bars if b.highlight]
            if len(lit) != 1 or lit[0] not in self.recommended:
                yield Finding("chart-highlight", where, ch.title, "the chart should highlight the recommended option, and only it")

    def _recommended_shown(self) -> Iterator[Finding]:
        """The recommended option appears in every section's options table, score matrix and totals chart."""
        if not self.recommended:
            return
        names = set(self.recommended)
        seen = {"options table": False, "score matrix": False, "totals chart": False}
        for section in self.brief.sections:
            found: dict[str, list[set[str]]] = {}
            for b in _blocks(section):
                if isinstance(b, Table) and "Option" in b.header:
                    found.setdefault("options table", []).append({row[b.header.index("Option")] for row in b.rows})
                elif isinstance(b, Table) and b.rows and b.rows[-1][0] == "Total (0-100)":
                    found.setdefault("score matrix", []).append(set(b.header))
                elif isinstance(b, Chart) and b.kind == "bar":
                    found.setdefault("totals chart", []).append({bar.label for bar in b.bars})
            for place, shown in found.items():
                seen[place] = True
                if not any(names & s for s in shown):
                    yield Finding("missing-option", section.title, self.recommended[0], f"the recommended option is missing from the {place}")
        for place, present in seen.items():
            if not present:
                yield Finding("missing-option", "the brief", self.recommended[0], f"the brief has no {place} to show it (its template leaves out the section)")


_DOUBLED_MARK = re.compile(r"[,;:][,;:.]")
# "runs or and grow it": a list pruned around a step that carried its own joint
_DOUBLED_JOINT = re.compile(r"\b(?:and|or) (?:and|or)\b", re.I)


def _unexplained_levels(values: list[float], said: str, where: str, what: str) -> Iterator[Finding]:
    """Levels off the whole numbers 0 to 5 whose reason ``said`` (a caption, a section's text) never gives."""
    below = next((v for v in values if v < 0), None)
    if below is not None:  # scoring floors every level at 0: no caption can make one below it right
        yield Finding("scale", where, number(below), "a score below the scale's 0")
    half = next((v for v in values if v != int(v)), None)
    if half is not None and "move scores in half levels" not in said:
        yield Finding("scale", where, number(half), f"a half-point score with no {what} saying why")


def _blocks(section: Section):
    for b in section.blocks:
        if isinstance(b, Section):
            yield from _blocks(b)
        else:
            yield b


def sentences(text: str) -> list[str]:
    """Split on sentence ends; a decimal point or an abbreviation does not end a sentence."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\[(])", text.strip())
    return [p for p in parts if p]
