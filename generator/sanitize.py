"""Text that every output format can hold: one sanitiser shared by PDF, DOCX and Markdown."""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab/newline/carriage return, lone surrogates, and the two
# non-characters XML 1.0 forbids. python-docx raises on these; reportlab draws boxes.
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


# Characters a typed text (profile or knowledge) must not carry: C0/C1 controls (tab and newline are checked
# separately), lone surrogates, non-characters, bidirectional overrides that
# could make printed text read differently from what was typed, and the zero-width
# space, word joiner and byte-order mark, which make two names that print alike
# different ("Anna" and "Anna\u200b" as two stakeholders), with the other marks that print as nothing:
# the direction marks (U+200E, U+200F, U+061C), the soft hyphen, the Mongolian vowel separator, the line
# and paragraph separators and the tag characters. The zero-width (non-)joiners stay: scripts and emoji
# sequences need them.
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u180e\u200b\u200e\u200f\u2028\u2029"
                         "\u202a-\u202e\u2060\u2066-\u2069\ud800-\udfff\ufeff\ufffe\uffff\U000e0000-\U000e007f]")


# Unicode's default-ignorable code points (DerivedCoreProperties.txt) and the blanks that print as a space: joiners,
# variation selectors, Hangul fillers, invisible operators, the Braille blank. Allowed in text (scripts and emoji need
# some of them) but not what tells two names apart.
_PRINTS_AS_NOTHING = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]")


def print_key(text: str) -> str:
    """What two names that print alike share: compatibility forms folded ("Ａｎｎａ" is "Anna"), marks that print as
    nothing dropped, spaces collapsed, case ignored; "Zoë" typed as one character or two is one name."""
    folded = _PRINTS_AS_NOTHING.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(folded.split()).casefold()


def unprintable(text: str, allowed: str = "") -> str | None:
    """The problem with the first character of UNPRINTABLE in ``text``, said the same for profile and knowledge text;
    ``allowed`` names what else the field takes ("line breaks and tabs"). None when there is none."""
    bad = UNPRINTABLE.search(text)
    if bad is None:
        return None
    code = ord(bad.group())
    kind = "control character" if code < 0x100 else "invisible character"
    return (f"contains the {kind} U+{code:04X} at position {bad.start() + 1} "
            f"(only printable characters{', ' + allowed if allowed else ''} are allowed)")


def clean(text: str) -> tuple[str, int]:
    """Return ``text`` without characters XML cannot hold, and how many were removed."""
    if text.isascii() and text.isprintable():  # most text, and none of it is in _BAD: skip the regex
        return text, 0
    cleaned, count = _BAD.subn("", text)
    return cleaned, count


def clean_field(text: str, field: str, warnings: list[str]) -> str:
    """Clean ``text``; if anything was removed, append a warning naming ``field``."""
    cleaned, count = clean(text)
    if count:
        warnings.append(removal_warning(field, count))
    return cleaned


def removal_warning(field: str, count: int) -> str:
    """The warning for ``count`` characters removed from ``field`` (same words in every format)."""
    plural = "s" if count != 1 else ""
    return f"{field}: removed {count} character{plural} that documents cannot hold"


def utf8(text: str) -> bytes:
    """``text`` as UTF-8 for a hash or a record, whatever it holds: a file name that is not valid UTF-8 reaches
    Python as lone surrogates (the file system's bytes kept by "surrogateescape"), which a plain encode refuses."""
    return text.encode("utf-8", "surrogatepass")


def readable(text: str) -> str:
    """``text`` with the undecodable bytes of a file name shown as U+FFFD, so JSON, CSV and terminals get valid
    UTF-8 ("bad\udcff.yaml" is printed "bad\ufffd.yaml")."""
    return _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")
