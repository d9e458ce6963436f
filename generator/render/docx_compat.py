"""Every use of python-docx beyond its public API, each behind one small function with its reason.

The Word renderer writes the body as WordprocessingML text and the zip itself (see
docx.py); python-docx opens the template and manages styles, parts and relationships.
Where that needs a private name (a leading underscore) or an undocumented table, it is
here and nowhere else in generator/render. python-docx is pinned to the series this was
checked against (setup.cfg: ``python-docx>=1.2,<1.3``), and tests/test_compat.py checks
that each name still exists and behaves as assumed.
"""

from __future__ import annotations

from docx.opc import spec


def header_footer_root(header_or_footer):
    """The ``w:hdr`` or ``w:ftr`` element of a section's header or footer (``_element``).

    python-docx can add paragraphs to a header but not replace its content wholesale;
    the brief's running header and "Page X of Y" footer are written as XML into this root.
    """
    return header_or_footer._element


def default_content_types() -> tuple[tuple[str, str], ...]:
    """(extension, content type) pairs that get a Default entry in ``[Content_Types].xml``.

    docx.py writes the package itself (fixed member order and times); this is the table
    python-docx's own package writer consults (``docx.opc.spec.default_content_types``,
    undocumented), so a part is declared the same way python-docx would declare it.
    """
    return spec.default_content_types
