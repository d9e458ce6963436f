"""Stage 4, the brief: Assessment + knowledge base + template -> Brief (the document model).

``compose`` writes a brief's words and tables, one module per group of sections
(``summary``, ``situation``, ``scores``, ``frameworks``, ``plan``, ``change``, ``appendix``,
sharing ``context``); ``options`` turns the assessment into the options a brief compares,
``lint`` checks a finished brief, ``templating`` reads templates and themes, ``portfolio``
builds the batch's overview. Imports the scoring, knowledge and profile
stages and the ground modules, never a renderer. The names below are the stage's public
API; ``generator.brief.compose`` is the function (its module is ``generator.brief.compose``
in ``sys.modules``: import from it with ``from ... import``).
"""

from generator.brief.compose import compose
from generator.brief.portfolio import build_portfolio
from generator.brief.templating import Template, bundled_template, load_theme

__all__ = ["Template", "build_portfolio", "bundled_template", "compose", "load_theme"]
