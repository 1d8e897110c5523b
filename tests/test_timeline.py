"""The terminal timeline and the modality history of an event cluster across reports."""
from __future__ import annotations

import datetime as dt

from storyline.tables import modality_history, print_timeline


def mention(eid, doc, published, modality, date="2025-11-20", start=0):
    return {"event_id": eid, "doc_id": doc, "doc_title": f"title {doc}", "doc_published": dt.date.fromisoformat(published),
            "modality": modality, "date": dt.date.fromisoformat(date), "start_char": start, "type": "AID",
            "mode": None, "source_name": "Japan", "source_country": "JPN", "target_name": "South Korea",
            "target_country": "KOR", "event_cluster": "c1"}


def test_history_follows_the_reports_in_the_order_they_came_out():
    # given out of order: the cancellation report first, the plan last
    ms = [mention("e3", "d3", "2025-11-21", "negated"), mention("e2", "d2", "2025-11-18", "asserted"),
          mention("e1", "d1", "2025-11-10", "planned"), mention("e1b", "d1", "2025-11-10", "planned", start=90)]
    steps = modality_history(ms)
    assert [(s["modality"], s["doc_id"], s["reported"]) for s in steps] == [
        ("planned", "d1", "2025-11-10"), ("asserted", "d2", "2025-11-18"), ("negated", "d3", "2025-11-21")]
    assert modality_history(list(reversed(ms))) == steps  # the input order does not matter


def test_no_history_when_every_report_agrees():
    assert modality_history([mention("e1", "d1", "2025-11-10", "asserted"),
                             mention("e2", "d2", "2025-11-12", "asserted")]) == []


def test_timeline_line_shows_history_not_a_bag_of_labels():
    lines = []
    story = {"story_id": "s1", "title": "JPN–KOR", "n_events": 2, "n_docs": 2, "first_date": "2025-11-20",
             "last_date": "2025-11-20"}
    print_timeline(story, [mention("e2", "d2", "2025-11-21", "asserted"), mention("e1", "d1", "2025-11-10", "planned")],
                   lines.append)
    line = lines[1]
    assert "reports: planned (11-10) → asserted (11-21)" in line and "also" not in line and "[2 docs]" in line


def test_a_report_counts_once_with_the_way_it_tells_it_most():
    ms = [mention("a1", "d1", "2026-01-21", "planned"), mention("a2", "d1", "2026-01-21", "asserted", start=40),
          mention("a3", "d1", "2026-01-21", "planned", start=80), mention("b1", "d2", "2026-01-30", "asserted")]
    assert [(s["modality"], s["event_id"]) for s in modality_history(ms)] == [("planned", "a1"), ("asserted", "b1")]
