"""The one date rule: SOURCE_DATE_EPOCH when set, else the clock in UTC, for every output that carries a date."""

from __future__ import annotations

import datetime as dt

import pytest

from generator import dates
from generator.knowledge.model import as_date


def test_source_date_epoch_fixes_today_and_the_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " 1767225600 ")
    assert dates.today() == dt.date(2026, 1, 1)
    assert dates.source_date_epoch() == dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    assert as_date(None) == dt.date(2026, 1, 1)  # the knowledge base's evidence ages count from it too
    assert dates.setting() == " 1767225600 "


def test_without_it_today_is_the_utc_date(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.datetime.now(dt.timezone.utc).date()
    assert dates.source_date_epoch() is None
    assert before <= dates.today() <= dt.datetime.now(dt.timezone.utc).date()
    assert dates.setting() == ""


def test_a_value_that_is_not_whole_seconds_is_ignored(monkeypatch):
    for value in ("", "soon", "-5", "1.5"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        assert dates.source_date_epoch() is None


@pytest.mark.parametrize("value", ["²", "253402300800", "9" * 5000], ids=["superscript-two", "year-10000", "5000-digits"])
def test_a_value_beyond_what_a_date_holds_is_ignored_like_any_other(monkeypatch, value):
    """Digits that are not ASCII, or seconds past the end of year 9999, count as not set instead of crashing."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert dates.source_date_epoch() is None


@pytest.mark.parametrize("value", ["soon", "-5", "1.5", "253402300800", "9" * 5000])
def test_the_command_line_refuses_a_set_value_that_is_not_a_date(monkeypatch, value):
    """Ignoring a malformed value would date the outputs today and break reproducibility unnoticed: exit 2, one line."""
    from generator.errors import ConfigError

    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(ConfigError) as err:
        dates.check_setting()
    shown = value if len(value) <= 40 else value[:40] + "..."
    assert str(err.value) == ("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, at most "
                              f"253402300799 (got {shown!r}); unset it to date the outputs today")
    assert err.value.exit_code == 2


@pytest.mark.parametrize("value", ["", "  ", "0", "1767225600"])
def test_an_empty_or_valid_value_passes_the_command_lines_check(monkeypatch, value):
    """An empty value counts as unset, and whole seconds up to year 9999 are a date: nothing to refuse."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    dates.check_setting()


def test_the_last_second_a_date_holds_is_taken(monkeypatch):
    """9999-12-31T23:59:59Z, leading zeros and all, is the latest SOURCE_DATE_EPOCH that fixes the date."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "000253402300799")
    assert dates.source_date_epoch() == dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc)


def test_only_the_date_rule_reads_the_environment():
    """The rule exists once: generator/dates.py is the one module that reads SOURCE_DATE_EPOCH.

    The only other environment reader is the progress bar's TERM check (no escape codes on a
    dumb terminal); any new reader has to be named here.
    """
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "generator"
    access = re.compile(r"""(?:os\.environ(?:\.get)?\s*[\[(]|getenv\s*\()\s*["']([A-Z_]+)["']""")
    readers = {}
    for p in root.rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        if ("os.environ" in text or "getenv" in text) and p.name != "dates.py":
            readers[str(p.relative_to(root))] = sorted(set(access.findall(text))) or ["(not by name)"]
    assert readers == {"cli_format.py": ["TERM"]}
