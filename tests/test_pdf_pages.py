"""Flowables poured onto pages: the same pages and positions as reportlab's document template."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as hs
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, KeepTogether, SimpleDocTemplate
from reportlab.platypus.doctemplate import LayoutError as RLLayoutError
from reportlab.platypus.flowables import Flowable

from generator.render.pdf_pages import Keep, LayoutError, NeedRoom, Pages
from readers import require

MARGIN = 72.0  # SimpleDocTemplate's default; its frame adds 6 pt padding inside
UNIT = 10.0  # a splittable box splits at whole units


class Box(Flowable):
    """A blank flowable of fixed height that logs where it is drawn."""

    def __init__(self, log: list, name: str, height: float, before: float, after: float, keep: bool, splittable: bool):
        super().__init__()
        self.log, self.name, self.h = log, name, height
        self.spaceBefore, self.spaceAfter = before, after
        if keep:
            self.keepWithNext = 1
        self.splittable = splittable

    def wrap(self, availWidth, availHeight):
        return availWidth, self.h

    def split(self, availWidth, availHeight):
        fit = int(availHeight // UNIT) * UNIT
        if not self.splittable or fit < UNIT or fit >= self.h:
            return []
        head = Box(self.log, self.name + "a", fit, self.spaceBefore, 0, False, True)
        tail = Box(self.log, self.name + "b", self.h - fit, 0, self.spaceAfter, False, True)
        return [head, tail]

    def drawOn(self, canvas, x, y, _sW=0):
        self.log.append((self.name, canvas.getPageNumber(), round(x, 6), round(y, 6)))


BOX = hs.tuples(
    hs.sampled_from([5.0, 12.0, 40.0, 150.0, 300.0, 500.0, 800.0]),  # height
    hs.sampled_from([0.0, 4.0, 8.0]),  # space before
    hs.sampled_from([0.0, 3.0, 6.0]),  # space after
    hs.booleans(),  # keep with next
    hs.booleans(),  # splittable
)
ITEM = hs.one_of(
    hs.tuples(hs.just("box"), BOX),
    hs.tuples(hs.just("need"), hs.sampled_from([20.0, 90.0, 300.0])),
    hs.tuples(hs.just("keep"), hs.lists(BOX, min_size=1, max_size=3)),
)


def story(spec, log: list, platypus: bool) -> list:
    out: list = []
    for n, (kind, value) in enumerate(spec):
        if kind == "box":
            out.append(Box(log, f"b{n}", *value))
        elif kind == "need":
            out.append(CondPageBreak(value) if platypus else NeedRoom(value))
        else:
            boxes = [Box(log, f"k{n}.{i}", *v) for i, v in enumerate(value)]
            out.append(KeepTogether(boxes) if platypus else Keep(boxes))
    return out


class _Looping(Exception):
    pass


class _Guarded(SimpleDocTemplate):
    """reportlab's template, stopped when it loops (it regroups a keep-with-next flowable taller than a page forever)."""

    def handle_flowable(self, flowables):
        self.calls = getattr(self, "calls", 0) + 1
        if self.calls > 2_000:
            raise _Looping
        super().handle_flowable(flowables)


class _Unlooped(_Guarded):
    """platypus with the one documented difference of Pages: a keep-with-next flowable that comes up
    to be grouped alone a second time (nothing it may join follows, and it did not fit) stops keeping
    with the next and flows, where platypus would group it alone forever."""

    def handle_keepWithNext(self, flowables):
        f = flowables[0]
        joins = len(flowables) > 1 and not isinstance(flowables[1], (KeepTogether, CondPageBreak))
        if f.getKeepWithNext() and not joins:
            if getattr(f, "grouped_alone", False):
                f.keepWithNext = 0
                return
            f.grouped_alone = True
        super().handle_keepWithNext(flowables)


def by_platypus(spec, template=_Guarded) -> list | str:
    log: list = []
    try:
        template(io.BytesIO(), pagesize=A4).build(story(spec, log, platypus=True))
    except RLLayoutError:
        return "too large"
    except _Looping:
        return "loops"
    return log


def by_pages(spec) -> list | str:
    log: list = []
    canv = Canvas(io.BytesIO(), pagesize=A4)
    frame = Pages(
        canv,
        x=MARGIN + 6,
        bottom=MARGIN + 6,
        top=A4[1] - MARGIN - 6,
        width=A4[0] - 2 * MARGIN - 12,
        frame_height=A4[1] - 2 * MARGIN,
    )
    try:
        frame.pour(story(spec, log, platypus=False))
    except LayoutError:
        return "too large"
    return log


@settings(max_examples=400, deadline=None)
@given(hs.lists(ITEM, max_size=14))
@example(  # a keep-with-next box alone in a Keep joins the boxes after it, as platypus groups them
    [("keep", [(800.0, 0.0, 0.0, True, True)]), ("box", (5.0, 0.0, 0.0, True, False)), ("box", (800.0, 0.0, 0.0, False, True))]
)
def test_every_flowable_lands_where_reportlab_document_template_puts_it(spec):
    """Same page and position for every box (spacing, keep-with-next, Keep, NeedRoom, splits), or the same refusal.

    Where platypus never ends (it regroups a keep-with-next box taller than a page forever), Pages
    lays out what platypus lays out once that box no longer keeps with the next.
    """
    ours, theirs = by_pages(spec), by_platypus(spec)
    if theirs == "loops":
        theirs = by_platypus(spec, _Unlooped)
        assert theirs != "loops"
    assert ours == theirs


def test_a_keep_with_next_flowable_taller_than_a_page_flows_instead_of_looping():
    """reportlab regroups it forever; Pages splits it over two pages."""
    spec = [("box", (800.0, 0.0, 0.0, True, True))]
    assert by_platypus(spec) == "loops"
    assert [name for name, *_ in by_pages(spec)] == ["b0a", "b0b"]


def test_a_story_ending_on_a_page_break_adds_no_blank_page():
    """NeedRoom that breaks the page as the last item leaves no empty page behind."""
    canv = Canvas(io.BytesIO(), pagesize=A4)
    frame = Pages(canv, x=78, bottom=78, top=A4[1] - 78, width=300, frame_height=A4[1] - 144)
    frame.pour([Box([], "b", 600, 0, 0, False, False), NeedRoom(200)])
    assert canv.getPageNumber() == 2  # one page shown; the canvas waits on page 2, never shown


def test_a_flowable_taller_than_any_page_is_refused_not_looped():
    """An unsplittable box taller than the frame raises LayoutError naming its kind."""
    canv = Canvas(io.BytesIO(), pagesize=A4)
    frame = Pages(canv, x=78, bottom=78, top=A4[1] - 78, width=300, frame_height=A4[1] - 144)
    with pytest.raises(LayoutError, match="Box"):
        frame.pour([Box([], "b", 2000, 0, 0, False, False)])


# --- every example brief, laid out by Pages and by platypus ----------------------------------------

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "data" / "profiles").glob("*.yaml"))
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def example_brief(path: Path, audience: str):
    from generator.brief.compose import compose
    from generator.brief.templating import load_theme
    from generator.knowledge import load_knowledge
    from generator.profile import load_profile
    from generator.scoring import assess

    kb = load_knowledge()
    profile = load_profile(path, known_frameworks=tuple(kb.frameworks))
    profile = replace(profile, brief=replace(profile.brief, audience=audience))
    return compose(assess(profile, kb), kb, theme=load_theme(logo=profile.brief.logo), today="2026-11-27")


def platypus_pdf(brief) -> bytes:
    """The brief's own story and canvas, laid out by reportlab's SimpleDocTemplate.build instead of Pages."""
    from generator.render import pdf as P
    from generator.render.reportlab_compat import utf16_cmaps

    def theirs(f):
        if isinstance(f, Keep):
            return KeepTogether([theirs(c) for c in f.content])
        return CondPageBreak(f.height) if isinstance(f, NeedRoom) else f

    P.register_fonts()
    b = P._Builder(brief)
    story = [theirs(f) for f in P._title_block(b) + b.blocks(brief.sections)]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=P.MARGIN_X, rightMargin=P.MARGIN_X, topMargin=P.MARGIN_TOP,
        bottomMargin=P.MARGIN_BOTTOM, invariant=1, initialFontName=P.REGULAR,
    )
    with utf16_cmaps():
        doc.build(story, canvasmaker=P._canvas_class(brief, b.st, b.missing))
    return buf.getvalue()


def words(pdf: bytes, tmp_path: Path, name: str) -> list[list[tuple]]:
    """Per page, every word pdftotext finds with its box: [(text, xMin, yMin, xMax, yMax), ...]."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    html = subprocess.run([require("pdftotext"), "-bbox", "-enc", "UTF-8", str(path), "-"],
                          check=True, capture_output=True, text=True).stdout
    pages = html.split("<page ")[1:]
    return [[(m[4], *map(float, m[:4])) for m in WORD.findall(page)] for page in pages]


@pytest.mark.slow
@pytest.mark.parametrize("audience", ["executive", "technical"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_lays_out_as_platypus_lays_it_out(path, audience, tmp_path):
    """Each example brief, in both audiences, through Pages and through SimpleDocTemplate.build on the
    same flowables: the same pages, and every word at the same place within 0.01 pt."""
    from generator.render.pdf import render_pdf

    ours = words(render_pdf(example_brief(path, audience)), tmp_path, "ours")
    theirs = words(platypus_pdf(example_brief(path, audience)), tmp_path, "theirs")
    assert len(ours) == len(theirs) > 1
    for page, (a, b) in enumerate(zip(ours, theirs), 1):
        assert [w[0] for w in a] == [w[0] for w in b], f"page {page}: different words"
        worst = max((abs(p - q) for wa, wb in zip(a, b) for p, q in zip(wa[1:], wb[1:])), default=0.0)
        assert worst <= 0.01, f"page {page}: a word moved by {worst:.4f} pt"
