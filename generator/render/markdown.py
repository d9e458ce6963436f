"""Brief -> Markdown text: the same content as the PDF, for chat, wikis and diffs.

Every string is escaped so that a Markdown viewer shows it literally: no user
text can become a heading, a link, an image or raw HTML.
"""

from __future__ import annotations

import re

from generator.document import (
    Brief,
    BulletList,
    Callout,
    Chart,
    Link,
    Paragraph,
    Section,
    SourceList,
    Table,
    Text,
)
from generator.sanitize import clean
from generator.wording import number

# Characters with an inline meaning in CommonMark/GFM ("(" only matters after "]", escaped here).
_SPECIAL = re.compile(r"([\\`*_\[\]|~!])")
_ENTITY = re.compile(r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
# What makes a line a heading, quote, list item or rule when it starts a block.
_BLOCK_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def esc(text: str) -> str:
    """Plain text -> Markdown that renders as exactly that text (one line)."""
    text = clean(text)[0]
    # "&" is special only where it starts an entity ("&copy;", "&#169;"): "Weights & Biases" stays readable as text.
    text = _ENTITY.sub(r"&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return re.sub(r"\s+", " ", text)  # newlines would end a list item or a table row


def _inline(content) -> str:
    out = []
    for item in content:
        if isinstance(item, Link):
            if item.url.startswith("https://"):
                out.append(f"[{esc(item.text)}](<{item.url.replace('>', '%3E').replace(' ', '%20')}>)")
            else:
                out.append(esc(item.text))
        elif isinstance(item, Text):
            text = esc(item.text)
            mark = "**" if item.bold else "*" if item.italic else ""
            if mark and text.strip():
                # CommonMark ignores "**" beside a space inside it: the spaces go outside the markers.
                core = text.strip()
                lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
                text = f"{lead}{mark}{core}{mark}{trail}"
            out.append(text)
    return "".join(out)


def _table(t: Table) -> list[str]:
    n = len(t.header)
    align = list(t.align) + ["left"] * (n - len(t.align))
    rule = {"left": ":---", "right": "---:", "center": ":---:"}
    lines = [
        "| " + " | ".join(esc(h) for h in t.header) + " |",
        "| " + " | ".join(rule.get(a, "---") for a in align) + " |",
    ]
    for row in t.rows:
        cells = [esc(row[i]) if i < len(row) else "" for i in range(n)]
        lines.append("| " + " | ".join(cells) + " |")
    if t.caption:
        lines += ["", f"*{esc(t.caption)}*"]
    return lines


def _chart(c: Chart) -> list[str]:
    lines = [f"**{esc(c.title)}**", ""]
    if c.kind == "range":
        for i, bar in enumerate(c.bars):
            lo = c.low[i] if i < len(c.low) else 0
            hi = c.high[i] if i < len(c.high) else c.maximum
            label = bar.note or f"now {number(bar.value)}{c.unit}, holds from {number(lo)} to {number(hi)}{c.unit}"
            lines.append(f"- {esc(bar.label)}: {esc(label)}")
    else:
        for bar in c.bars:
            note = f" ({esc(bar.note)})" if bar.note else ""
            lines.append(f"- {esc(bar.label)}: {c.value_text(bar.value)}{note}")
    return lines


def _block(b, out: list[str]) -> None:
    if isinstance(b, Section):
        out += ["#" * min(6, b.level + 1) + " " + esc(b.title), ""]
        for child in b.blocks:
            _block(child, out)
    elif isinstance(b, Paragraph):
        out += [_BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), _inline(b.content), count=1), ""]
    elif isinstance(b, BulletList):
        for i, item in enumerate(b.items, 1):
            out.append(f"{i}. " if b.numbered else "- ")
            out[-1] += _inline(item.content)
        out.append("")
    elif isinstance(b, Table):
        out += _table(b) + [""]
    elif isinstance(b, Callout):
        out.append(f"> **{esc(b.title)}**")
        for p in b.body:
            out += [">", "> " + _inline(p.content)]
        out.append("")
    elif isinstance(b, Chart):
        out += _chart(b) + [""]
    elif isinstance(b, SourceList):
        for s in b.sources:
            who = esc(s.title) + (f", {esc(s.publisher)}" if s.publisher else "")
            link = f" <{s.url}>" if s.url.startswith("https://") and " " not in s.url and ">" not in s.url else ""
            out.append(f"- {esc(s.key)} {who} ({esc(s.label)}).{link}")
        out.append("")


def render_markdown(brief: Brief) -> str:
    """The whole brief as one Markdown document."""
    m = brief.meta
    out = [f"# {esc(m.title)}", ""]
    if m.subtitle:
        out += [f"*{esc(m.subtitle)}*", ""]
    for label, value in (
        ("Organisation", m.organisation),
        ("Prepared for", m.prepared_for),
        ("Author", m.byline),
        ("Date", m.date),
        ("Knowledge as of", m.kb_as_of),
    ):
        if value:
            out.append(f"- **{label}:** {esc(value)}")
    out.append("")
    for section in brief.sections:
        _block(section, out)
    return "\n".join(out).rstrip() + "\n"
