"""Bundled data and templates, read through the package so an installed wheel finds them."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


# The files 'briefgen templates export' writes and a templates folder may hold (any subset).
TEMPLATE_FILES = ("executive.yaml", "technical.yaml", "theme.yaml", "reference.docx")


def data_dir() -> Traversable:
    """The knowledge base and example profiles (``data/`` in the repository)."""
    return resources.files("generator.data")


def templates_dir() -> Traversable:
    """Brief templates and themes (``templates/`` in the repository)."""
    return resources.files("generator.templates")


def fonts_dir() -> Traversable:
    """TrueType fonts embedded in PDFs."""
    return resources.files("generator") / "fonts"
