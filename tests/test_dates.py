"""The one date rule: SOURCE_DATE_EPOCH when set, else the clock in UTC, for every output that carries a date."""

from __future__ import annotations

import datetime as dt

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


def test_only_the_date_rule_reads_the_environment():
    """The rule exists once: generator/dates.py is the one module that reads the environment (SOURCE_DATE_EPOCH)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "generator"
    readers = sorted(
        str(p.relative_to(root)) for p in root.rglob("*.py")
        if ("os.environ" in p.read_text(encoding="utf-8") or "getenv" in p.read_text(encoding="utf-8"))
        and p.name != "dates.py"
    )
    assert readers == []
