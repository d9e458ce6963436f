"""Column widths that hold each column's longest word, shared by the PDF and DOCX table renderers."""

from __future__ import annotations

from typing import Callable


def widen_to_fit(widths: list, need: list, *, cast: Callable = float) -> list:
    """Widen columns narrower than they ``need``, taking the room from columns with slack.

    A word wider than its column breaks mid-letter ("Recommendatio|ns") in print; the
    table's relative widths stay as close as the page allows. When the slack cannot cover
    every shortfall, the columns it can mend are mended, the smallest shortfall first.
    ``cast`` rounds each narrowed width (``int`` for Word's twips); the total never changes.
    """
    total = sum(widths)
    short = [max(n - w, 0) for w, n in zip(widths, need)]
    slack = [max(w - n, 0) for w, n in zip(widths, need)]
    spare = sum(slack)
    grant = [0] * len(widths)
    used = 0
    for i in sorted(range(len(widths)), key=lambda i: short[i]):
        if 0 < short[i] <= spare - used:
            grant[i] = short[i]
            used += short[i]
    if not used:
        return list(widths)
    out = [w + g if g else w - cast(used * s / spare) for w, g, s in zip(widths, grant, slack)]
    out[out.index(max(out))] += total - sum(out)
    return out
