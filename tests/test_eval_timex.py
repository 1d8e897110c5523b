"""The ``eval timex`` scorer: TimeML parsing, matching and metrics (fixture + real TBAQ)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from storyline.evaluation import timex as ev
from storyline.models import Timex

FIXTURE = Path(__file__).parent / "fixtures" / "time" / "sample.tml"
TBAQ = Path(__file__).resolve().parents[2] / "shared" / "bench" / "temporal" / "TBAQ-cleaned"


def test_load_tml_strips_tags_and_keeps_offsets():
    d = ev.load_tml(str(FIXTURE))
    assert d.dct == dt.date(2026, 1, 29)
    assert [g.text for g in d.gold] == ["Tuesday", "next week", "three days", "November"]
    for g in d.gold:
        assert d.text[g.start:g.end] == g.text
    assert "&amp;" not in d.text and " & " in d.text
    assert "<EVENT" not in d.text


def test_match_counts_strict_relaxed_type_value():
    gold = [ev.GoldTimex("next week", "DATE", "2026-W06", 10, 19), ev.GoldTimex("three days", "DURATION", "P3D", 30, 40)]
    system = [Timex("next week", "DATE", "2026-W06", 10, 19),
              Timex("days", "DATE", "P3D", 36, 40),  # relaxed only, wrong type, right value
              Timex("noise", "DATE", None, 50, 55)]
    c, pairs = ev.match(gold, system)
    assert (c.gold, c.system, c.strict, c.relaxed, c.type_ok, c.value_ok) == (2, 3, 1, 2, 1, 2)
    m = ev.metrics(c)
    assert m["strict_precision"] == round(1 / 3, 4) and m["strict_recall"] == 0.5
    assert m["relaxed_recall"] == 1.0 and m["type_accuracy"] == 0.5
    assert m["value_precision"] == round(2 / 3, 4) and m["value_recall"] == 1.0
    assert len(pairs) == 3


def test_run_on_fixture(tmp_path):
    out = ev.run([str(FIXTURE.parent)], errors=str(tmp_path / "err.jsonl"), quiet=True)
    assert out["files"] == 1 and out["gold"] == 4
    assert out["relaxed_recall"] == 1.0
    assert out["value_f1"] >= 0.7  # "next week" is 2026-W05 by ISO 8601 (the fixture says W06)
    assert out["seconds_spacy"] > 0 and out["time_to_spacy_ratio"] is not None


@pytest.mark.skipif(not TBAQ.is_dir(), reason=f"TBAQ-cleaned benchmark not present at {TBAQ}")
def test_run_on_a_few_tbaq_files():
    out = ev.run([str(TBAQ)], limit=3, quiet=True)
    assert out["files"] == 3 and out["gold"] > 0
    assert out["relaxed_f1"] > 0.6
    for key in ("strict_f1", "relaxed_f1", "type_accuracy", "value_accuracy", "value_f1", "time_to_spacy_ratio"):
        assert key in out


def test_timeml_view_splits_ranges_only():
    text = "Talks run from Aug. 26 to Oct. 20 and on April 24 and 25; Friday too."
    rng = Timex("Aug. 26 to Oct. 20", "DATE", "2026-08-26", 15, 33, "day", "2026-10-20")
    two = Timex("April 24 and 25", "DATE", "2026-04-24", 41, 56, "day", "2026-04-25")
    one = Timex("Friday", "DATE", "2026-01-30", 58, 64, "day")
    out = ev.timeml_view([rng, two, one])
    assert [(t.text, t.value, t.value_end) for t in out] == [
        ("Aug. 26", "2026-08-26", None), ("Oct. 20", "2026-10-20", None),
        ("April 24", "2026-04-24", None), ("25", "2026-04-25", None), ("Friday", "2026-01-30", None)]
    for t in out:
        assert text[t.start:t.end] == t.text
    assert rng.value_end == "2026-10-20"  # the stage's own timexes are left alone
