"""External readers (pdftotext, qpdf, soffice...) that check outputs as a person's tools would.

On a laptop without a reader the test skips; with BRIEFGEN_REQUIRE_READERS=1 (set by CI)
a missing reader fails the test instead, so CI always checks with real readers.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require(name: str) -> str:
    """Path of the reader ``name``; skip (or fail in CI) when it is not installed."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed"
    if os.environ.get("BRIEFGEN_REQUIRE_READERS") == "1":
        pytest.fail(message + " (BRIEFGEN_REQUIRE_READERS=1)")
    pytest.skip(message)
