"""Stage 2, the knowledge base: its records (``model``), reading and checking ``data/``
(``loader``) and the ``briefgen frameworks`` reports (``catalogue``).

Imports the profile stage (rule conditions name profile fields) and the ground modules.
The names below are the stage's public API.
"""

from generator.knowledge.loader import load_knowledge
from generator.knowledge.model import (
    Companion,
    Condition,
    Criterion,
    Effect,
    Fact,
    Framework,
    KnowledgeBase,
    Point,
    Rule,
    Score,
    Source,
    WorksWith,
)

__all__ = [
    "Companion", "Condition", "Criterion", "Effect", "Fact", "Framework", "KnowledgeBase",
    "Point", "Rule", "Score", "Source", "WorksWith", "load_knowledge",
]
