"""Page-layout checks on a rendered PDF, read back as a person's reader shows it (pdftotext -bbox-layout).

Used on our own PDFs and on DOCX files converted by LibreOffice, so both formats answer to the
same rules: no page ends with a heading, a chart stays on its title's page, no near-empty page,
and a URL wraps only after a "/".
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.document import Brief, BulletList, Callout, Chart, Link, Paragraph, Section, SourceList, Table, Text, iter_text
from readers import require

_LINE = re.compile(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', re.S)
_WORD = re.compile(r"<word [^>]*>(.*?)</word>")
# The running header sits above this line and the footer below FOOTER_TOP, in both
# our PDF and LibreOffice's rendering of the DOCX (A4, the same margins).
HEADER_BOTTOM = 45.0
FOOTER_TOP = 795.0
# A page is near-empty when its text ends above this share of the body height.
NEAR_EMPTY = 0.25


@dataclass(frozen=True)
class Line:
    top: float
    bottom: float
    text: str


def pages(pdf: Path) -> list[list[Line]]:
    """Each page's body lines (running header and footer left out), in reading order."""
    out = subprocess.run([require("pdftotext"), "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    result = []
    for page in out.split("<page ")[1:]:
        lines = [Line(float(top), float(bottom), html.unescape(" ".join(_WORD.findall(body))))
                 for top, bottom, body in _LINE.findall(page)]
        result.append([ln for ln in lines if ln.top > HEADER_BOTTOM and ln.bottom < FOOTER_TOP and ln.text])
    return result


def section_page(pdf_pages: list[list[Line]], title: str, first_line: str) -> int | None:
    """The page on which the section ``title`` starts: its heading followed by ``first_line``'s start (a
    contents page lists the title too, but not followed by the section's text)."""
    flat = [(n, ln.text) for n, lines in enumerate(pdf_pages, 1) for ln in lines]
    return next((n for i, (n, text) in enumerate(flat[:-1]) if text == title and flat[i + 1][1].startswith(first_line)), None)


def _walk(sections):
    for s in sections:
        yield s
        yield from _walk(b for b in s.blocks if isinstance(b, Section))


def headings(brief: Brief, *, captions: bool = False) -> dict[str, int]:
    """Every section title with its level; chart titles, and (``captions``) table captions, count
    as level 4. Both formats print a table's caption under it, so the captions are off by default."""
    out: dict[str, int] = {}
    for s in _walk(brief.sections):
        out.setdefault(s.title, s.level)
        for b in s.blocks:
            if isinstance(b, Chart) and b.title:
                out.setdefault(b.title, 4)
            if captions and isinstance(b, Table) and b.caption:
                out.setdefault(b.caption, 4)
            if isinstance(b, Paragraph) and "".join(i.text for i in b.content).rstrip().endswith(":"):
                out.setdefault("".join(i.text for i in b.content).strip(), 5)  # a lead-in belongs with what follows
            elif isinstance(b, Paragraph) and b.content and all(isinstance(i, Text) and i.bold for i in b.content):
                # a bold label ("Pros", "Why, for this team", "Ease of use, weight 8%: ...") heads what follows
                out.setdefault("".join(i.text for i in b.content).strip(), 5)
    return out


def charts(brief: Brief) -> list[Chart]:
    return [b for s in _walk(brief.sections) for b in s.blocks if isinstance(b, Chart) and b.title]


def urls(brief: Brief) -> set[str]:
    found: set[str] = set()

    def inline(content):
        found.update(p.url for p in content if isinstance(p, Link) and p.text == p.url)

    for s in _walk(brief.sections):
        for b in s.blocks:
            if isinstance(b, Paragraph):
                inline(b.content)
            elif isinstance(b, BulletList):
                for item in b.items:
                    inline(item.content)
            elif isinstance(b, Callout):
                for p in b.body:
                    inline(p.content)
            elif isinstance(b, SourceList):
                found.update(r.url for r in b.sources)
    return found


def _starts_heading(text: str, titles: dict[str, int]) -> str | None:
    """The heading whose text (or first wrapped line) this line is."""
    for title in titles:
        if text == title or (len(text) >= 12 and title.startswith(text) and title[len(text):][:1] == " "):
            return title
    return None


def stranded_headings(pdf_pages: list[list[Line]], brief: Brief, *, captions: bool = False) -> list[str]:
    """Pages whose last body line is a heading, a chart title or (``captions``) a table caption."""
    titles = headings(brief, captions=captions)
    found = []
    for n, lines in enumerate(pdf_pages[:-1], 1):
        if not lines:
            continue
        last = max(lines, key=lambda ln: ln.bottom)
        title = _starts_heading(last.text, titles) or next(
            (t for t, lv in titles.items() if lv == 5 and len(last.text) >= 12 and t.endswith(last.text)), None
        )
        if title is not None:
            found.append(f"page {n} ends with the heading {title!r}")
    return found


def parted_headings(pdf_pages: list[list[Line]], brief: Brief) -> list[str]:
    """Sections whose heading (with its intro) sits on an earlier page than their first subsection's heading."""
    flat = [(n, ln.text) for n, lines in enumerate(pdf_pages, 1) for ln in lines]
    found = []
    for s in _walk(brief.sections):
        lead = next((i for i, b in enumerate(s.blocks) if not isinstance(b, Paragraph)), None)
        if lead is None or not isinstance(s.blocks[lead], Section) or not s.title:
            continue
        first = "".join(i.text for i in s.blocks[0].content)[:20] if lead else s.blocks[lead].title
        at = next((i for i, (_, text) in enumerate(flat[:-1]) if text == s.title and flat[i + 1][1].startswith(first)),
                  None)
        if at is None:
            continue
        child = next((n for n, text in flat[at + 1:] if text == s.blocks[lead].title), None)
        if child is not None and child != flat[at][0]:
            found.append(f"{s.title!r} is on page {flat[at][0]}, its first part {s.blocks[lead].title!r} on page {child}")
    return found


def split_charts(pdf_pages: list[list[Line]], brief: Brief) -> list[str]:
    """Charts whose last bar is not on the page of the chart's title."""
    flat = [(n, ln.text) for n, lines in enumerate(pdf_pages, 1) for ln in lines]
    found = []
    for chart in charts(brief):
        starts = [i for i, (_, text) in enumerate(flat) if _starts_heading(text, {chart.title: 4})]
        if not starts:
            found.append(f"chart {chart.title!r}: title not found")
            continue
        i = starts[0]
        last = chart.bars[-1].label.split()[0]
        ends = [j for j in range(i + 1, len(flat)) if flat[j][1].startswith(last)]
        if not ends or flat[ends[0]][0] != flat[i][0]:
            found.append(f"chart {chart.title!r} starts on page {flat[i][0]} but its last bar is not there")
    return found


def near_empty_pages(pdf_pages: list[list[Line]], brief: Brief) -> list[str]:
    """Pages (not the last) whose text ends above NEAR_EMPTY of the body, unless the next page opens
    a new top-level part (a deliberate section break)."""
    parts = {title for title, level in headings(brief).items() if level == 1}
    body = [ln for lines in pdf_pages for ln in lines]
    top = min(ln.top for ln in body)
    bottom = max(ln.bottom for ln in body)
    found = []
    for n, lines in enumerate(pdf_pages[:-1], 1):
        end = max((ln.bottom for ln in lines), default=top)
        nxt = pdf_pages[n]
        opens_part = bool(nxt) and min(nxt, key=lambda ln: ln.top).text in parts
        share = (end - top) / (bottom - top)
        if share < NEAR_EMPTY and not opens_part:
            found.append(f"page {n} ends at {share:.0%} of the body and page {n + 1} opens no new part")
    return found


def broken_urls(pdf_pages: list[list[Line]], brief: Brief) -> list[str]:
    """URLs wrapped at a line end that is not a '/' (a hyphen, mid-word)."""
    lines = [ln.text for page in pdf_pages for ln in page]
    found = []
    for url in sorted(urls(brief)):
        for i, text in enumerate(lines):
            words = text.split()
            if not words or not (8 <= len(words[-1]) < len(url)) or not url.startswith(words[-1]):
                continue
            done, j = words[-1], i + 1
            # follow the URL over the lines it wraps to
            while j < len(lines) and len(done) < len(url):
                nxt = lines[j].split()
                if not nxt or not url[len(done):].startswith(nxt[0]):
                    break
                if not done.endswith("/"):
                    found.append(f"{url} wraps after {done!r}")
                done, j = done + nxt[0], j + 1
    return found


def _tables(sections):
    for s in sections:
        for b in s.blocks:
            if isinstance(b, Section):
                yield from _tables((b,))
            elif isinstance(b, Table):
                yield b


def broken_header_words(pdf_pages: list[list[Line]], brief: Brief) -> list[str]:
    """Table header words broken mid-letter over two lines ("Weig" above "ht", "Kubeflo" above "w +"): a
    column too narrow for its longest word. A piece counts only when it is no word of the brief itself."""
    return _broken(pdf_pages, brief, [str(h) for t in _tables(brief.sections) for h in t.header])


def broken_table_words(pdf_pages: list[list[Line]], brief: Brief) -> list[str]:
    """As :func:`broken_header_words`, for every word of every table, its cells too ("Recommendatio" above "ns")."""
    texts = [str(v) for t in _tables(brief.sections) for row in (t.header, *t.rows) for v in row]
    return _broken(pdf_pages, brief, texts)


def _broken(pdf_pages: list[list[Line]], brief: Brief, texts: list[str]) -> list[str]:
    words = {w.strip("()+,.:;") for text in texts for w in text.split()}
    words = {w for w in words if len(w) >= 4 and w.isalpha()}
    known = {w.strip("()+,.:;") for text in iter_text(brief) for w in str(text).split()}
    tokens = [tok for page in pdf_pages for ln in page for tok in ln.text.split()]
    present = set(tokens)
    found = []
    for word in sorted(words):
        for k in range(3, len(word)):
            head, tail = word[:k], word[k:]
            if head in present and head not in known and any(t == tail or t.startswith(tail + "+") for t in present):
                found.append(f"{word!r} breaks after {head!r}")
                break
    # A piece that is itself a word of the brief ("Recommendation" above "s") shows only where it stands: on one
    # line, its rest, no word of the brief, on the next (a reader's line may hold several table cells).
    for page in pdf_pages:
        for above, below in zip(page, page[1:]):
            for head in above.text.split():
                for tail in below.text.split():
                    rest = tail.strip("()+,.:;")
                    word = head + rest
                    if (word in words and rest and rest not in known
                            and f"{word!r} breaks after {head!r}" not in found):
                        found.append(f"{word!r} breaks after {head!r}")
    return found


def _chart_sections(sections):
    for s in _walk(sections):
        for i, b in enumerate(s.blocks):
            yield s.blocks, i


def separated_notes(pdf_pages: list[list[Line]], brief: Brief) -> list[str]:
    """Charts printed on another page than the bullet nearest them that explains them (document.chart_notes):
    the first bullet after the chart, or the last one before it."""
    from generator.document import chart_notes

    flat = [(n, ln.text.lstrip("•· ").strip()) for n, lines in enumerate(pdf_pages, 1) for ln in lines]
    found = []
    for blocks, i in _chart_sections(brief.sections):
        side = chart_notes(blocks, i)
        if not side:
            continue
        chart = blocks[i]
        notes = blocks[i + 1] if side == "after" else blocks[i - 1]
        item = notes.items[0] if side == "after" else notes.items[-1]
        text = " ".join("".join(p.text for p in item.content).split())[:24]
        starts = [k for k, (_, t) in enumerate(flat) if _starts_heading(t, {chart.title: 4})]
        if not starts:
            found.append(f"chart {chart.title!r}: title not found")
            continue
        at = starts[0]
        near = range(at + 1, len(flat)) if side == "after" else range(at - 1, -1, -1)
        page = next((flat[k][0] for k in near if flat[k][1].startswith(text)), None)
        if page != flat[at][0]:
            found.append(f"chart {chart.title!r} on page {flat[at][0]}, its note {text!r}... on page {page}")
    return found
