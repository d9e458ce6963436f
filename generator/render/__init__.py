"""Renderers: Brief -> bytes or text. Each imports its library lazily, inside its own module."""
