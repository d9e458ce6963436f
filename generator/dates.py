"""The one date rule: SOURCE_DATE_EPOCH (reproducible builds) when it is set, else the clock, in UTC.

A brief's printed date, the PDF's creation date, the DOCX's properties and zip
times, the age of the knowledge base's evidence and the batch's up-to-date check
all take "now" from here, so the same SOURCE_DATE_EPOCH gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import os

VARIABLE = "SOURCE_DATE_EPOCH"
LAST_SECOND = 253402300799  # 9999-12-31T23:59:59Z


def source_date_epoch() -> _dt.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC date and time; None when it is unset or not a whole number of seconds
    up to the end of year 9999, the last a date can hold."""
    epoch = os.environ.get(VARIABLE, "").strip()
    # ASCII digits only: str.isdigit() also takes '²', which int() refuses, as it does 4,300 digits
    digits = epoch.lstrip("0") or "0"
    if epoch.isascii() and epoch.isdigit() and len(digits) <= len(str(LAST_SECOND)) and int(digits) <= LAST_SECOND:
        return _dt.datetime.fromtimestamp(int(digits), _dt.timezone.utc)
    return None


def check_setting() -> None:
    """Refuse a SOURCE_DATE_EPOCH that is set but not a date (the reproducible-builds convention): ignoring it would
    quietly date the outputs today and make them differ from run to run. An empty value counts as unset."""
    epoch = os.environ.get(VARIABLE, "").strip()
    if epoch and source_date_epoch() is None:
        from generator.errors import ConfigError

        shown = epoch if len(epoch) <= 40 else epoch[:40] + "..."
        raise ConfigError(f"{VARIABLE} must be a whole number of seconds since 1970-01-01 UTC, at most {LAST_SECOND} "
                          f"(got {shown!r}); unset it to date the outputs today")


def today() -> _dt.date:
    """SOURCE_DATE_EPOCH's date if it is set, else today's date in UTC."""
    fixed = source_date_epoch()
    return fixed.date() if fixed is not None else _dt.datetime.now(_dt.timezone.utc).date()


def setting() -> str:
    """The variable exactly as set ("" when unset), for keys that must change whenever it does."""
    return os.environ.get(VARIABLE, "")
