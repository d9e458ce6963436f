"""Flowables poured onto pages: the part of reportlab's document template a brief uses.

reportlab's ``SimpleDocTemplate.build`` runs every flowable through page templates,
frame actions, generated content, progress hooks and copies of the frame; for a
brief of some 300 flowables that bookkeeping cost as much as drawing them. A brief
needs one frame per page, and three rules, which this module keeps as platypus
applies them (a property test compares where every flowable lands in both):

- spacing: a flowable's space before is dropped at the top of a page and overlaps
  the previous one's space after;
- ``keepWithNext``: a run of such flowables is kept with the one that follows;
- ``Keep``: flowables that move to the next page together when they fit on one
  (platypus' KeepTogether), and ``NeedRoom``: a new page unless this much room is
  left (its CondPageBreak).

Anything that does not fit is split where it can be, else moved to the next page;
a flowable that fits on no page raises LayoutError. One difference: a
keep-with-next flowable taller than a page, which platypus regroups forever
(a profile summary ending in ':' hung the render), flows and splits here.
Spacers and NeedRoom take room but are not drawn, not even as an empty state save.
"""

from __future__ import annotations

from reportlab.platypus.flowables import Flowable, Spacer

from generator.render.reportlab_compat import draw_flowable, layout_fuzz

_FUZZ = layout_fuzz()  # platypus' layout tolerance
_HUGE = 0xFFFFFFF


class LayoutError(Exception):
    """A flowable fits on no page."""


class Keep:
    """Flowables that go to the next page together rather than split, if they fit on one."""

    __slots__ = ("content",)

    def __init__(self, content) -> None:
        self.content = list(content)


class NeedRoom(Flowable):
    """Start a new page unless ``height`` points are left on this one."""

    def __init__(self, height: float) -> None:
        super().__init__()
        self.height = height

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        pass


_BLANK = (Spacer, NeedRoom)  # take room, draw nothing: not even an empty state save


def _groupable(f) -> bool:
    """May join a keep-with-next group (platypus never puts a group or a page break in one)."""
    return not isinstance(f, (Keep, NeedRoom))


def keeps_with_next(f) -> bool:
    return _groupable(f) and f.getKeepWithNext()


def _stacked(content, width: float) -> tuple[float, float]:
    """Height of flowables stacked without a page break (spacing merged), and the first one's height."""
    total = after = 0.0
    first = None
    top = True
    for f in content:
        h = f.wrap(width, _HUGE)[1]
        if first is None:
            first = h
        if h <= _FUZZ:
            continue
        total += h
        if top:
            top = False
        else:
            total += max(f.getSpaceBefore() - after, 0.0)
        after = f.getSpaceAfter()
        total += after
    return total - after, first or 0.0


class Pages:
    """Pours flowables into one frame per page of ``canv``; ``canv.showPage`` ends each page."""

    def __init__(self, canv, x: float, bottom: float, top: float, width: float, frame_height: float) -> None:
        self.canv = canv
        self.x, self.bottom, self.top, self.width = x, bottom, top, width
        self.frame_height = frame_height  # the frame with its padding, as platypus compares it
        self.y = top
        self.at_top = True
        self.after = 0.0  # space after the last flowable, which the next one's space before overlaps
        self.drawn = 0
        self.empty_pages = 0
        self.pages = 1

    def new_page(self) -> None:
        self.empty_pages = 0 if self.drawn else self.empty_pages + 1
        if self.empty_pages >= 10:
            raise LayoutError("more than 10 pages without content: a flowable is too large for any page")
        self.canv.showPage()
        self.pages += 1
        self.y, self.at_top, self.after, self.drawn = self.top, True, 0.0, 0

    def _gap(self, f) -> float:
        return 0.0 if self.at_top else max(f.getSpaceBefore() - self.after, 0.0)

    def add(self, f, may_split: bool = True) -> bool:
        """Draw ``f`` here if it fits; False if it does not."""
        s = self._gap(f)
        room = self.y - self.bottom - s
        if room <= 0:
            return False
        f.canv = self.canv  # as platypus does, for flowables that measure with the canvas
        w, h = f.wrap(self.width, room)
        h += s
        y = self.y - h
        if y < self.bottom - _FUZZ:
            if not may_split and (h > self.top - self.bottom or w > self.width):
                raise LayoutError(f"a {type(f).__name__} of {w:.0f} x {h:.0f} pt is larger than the page's frame")
            return False
        after = f.getSpaceAfter()
        if type(f) not in _BLANK:
            # how far down the page this flowable starts, 0 at the frame's top and 1 at its foot: read by a canvas
            # that records where sections start (a page budget is fitted with it)
            self.canv.flow_depth = (self.top - self.y + s) / (self.top - self.bottom)
            draw_flowable(f, self.canv, self.x, y, self.width - w)
        y -= after
        self.after = after
        if y != self.y:
            self.at_top = False
        self.y = y
        self.drawn += 1
        return True

    def pour(self, story) -> None:
        queue = list(reversed(story))
        postponed: list = []  # flowables already moved to a new page once (held, so ids are not reused)
        begun = True  # platypus begins a page lazily, so a story ending on a page break adds no blank page
        steps = 0
        while queue:
            # A safety net, never reached by a brief: a flowable that keeps re-queuing itself
            # would otherwise spin without drawing or breaking a page.
            steps += 1
            if steps > 100 * (len(story) + self.pages + 10):
                raise LayoutError("the layout does not settle: a flowable keeps moving without being drawn")
            begun = True
            f = queue.pop()
            if keeps_with_next(f):
                group = [f]
                while queue and keeps_with_next(queue[-1]):
                    group.append(queue.pop())
                if queue and _groupable(queue[-1]):
                    group.append(queue.pop())
                for g in group[:-1]:
                    g.keepWithNext = 0  # as platypus does: the group is formed once
                f = Keep(group)
            if isinstance(f, Keep):
                started = self._keep(f, queue)
            elif isinstance(f, NeedRoom):
                started = self.add(f)
                if started and self.y - self.bottom < f.height:
                    self.new_page()
                    begun = False
            else:
                started = self.add(f) or self._split(f, queue)
            if not started and any(p is f for p in postponed) and self._split(f, queue, anywhere=True):
                # A fresh page could not start it under the splitting rules (a table whose rows are so tall that no
                # page holds the rows each side must keep): split wherever its rows fit rather than fail the brief.
                started = True
            if not started:
                if any(p is f for p in postponed):
                    raise LayoutError(f"a {type(f).__name__} is too large for a page and cannot be split")
                postponed.append(f)
                queue.append(f)
                self.new_page()
                begun = False
        if begun:
            self.canv.showPage()

    def _split(self, f, queue: list, anywhere: bool = False) -> bool:
        room = self.y - self.bottom - self._gap(f)
        f.canv = self.canv
        split = getattr(f, "split_anywhere", None) if anywhere else f.split
        parts = split(self.width, room) if split is not None and room > 0 else []
        if not parts:
            return False
        if not self.add(parts[0], may_split=False):
            raise LayoutError(f"a {type(f).__name__} split to fit this page still does not fit")
        queue.extend(reversed(parts[1:]))
        return True

    def _keep(self, k: Keep, queue: list) -> bool:
        if not k.content:
            return True
        room = self.y - self.bottom - self._gap(k.content[0])
        if room <= 0:
            return False
        height, first = _stacked(k.content, self.width)
        too_tall = height > room
        if too_tall or first > room:
            # Not enough room here: move to the next page if the group fits on one (else split it here).
            if too_tall and not self.at_top or not too_tall and self.frame_height >= height:
                self.new_page()
            elif len(k.content) == 1 and keeps_with_next(k.content[0]) and not (queue and _groupable(queue[-1])):
                # One keep-with-next flowable taller than a page, with nothing it may join:
                # platypus regroups it forever; here it flows and splits like any other.
                # (With something to join, it goes back to the queue and joins it, as in platypus.)
                k.content[0].keepWithNext = 0
            queue.extend(reversed(k.content))
            return True
        if not self.add(k.content[0], may_split=False):
            raise LayoutError(f"a {type(k.content[0]).__name__} measured to fit does not")
        queue.extend(reversed(k.content[1:]))
        return True
