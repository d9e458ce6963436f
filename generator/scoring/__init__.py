"""Stage 3, scoring: profile + knowledge base -> Assessment, pure and deterministic.

``weights`` (criterion weights), ``rules`` (context rules), ``stacks`` (companions and
combinations), ``sensitivity`` (flip points, robustness), ``explain`` (the recommendation
in words), ``assess`` (the whole model) and ``assessment`` (the records it produces).
Imports the knowledge and profile stages and the ground modules. The names below are the
stage's public API; ``generator.scoring.assess`` is the function (the module of the same
name is ``generator.scoring.assess`` in ``sys.modules``: import from it with ``from ... import``).
"""

from generator.scoring.assess import assess
from generator.scoring.assessment import (
    Assessment,
    Cell,
    Flip,
    Knockout,
    Ranked,
    Recommendation,
    Sensitivity,
    Stack,
    StackPart,
    Verdict,
    Weight,
)

__all__ = [
    "Assessment", "Cell", "Flip", "Knockout", "Ranked", "Recommendation", "Sensitivity", "Stack", "StackPart",
    "Verdict", "Weight", "assess",
]
