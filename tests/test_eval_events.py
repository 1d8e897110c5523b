"""``storyline eval events``: PETRARCH validation XML and docs gold scoring.

Depends on the annotate, time, places and actors stages (the evaluation runs them).
Reads ``../shared/bench``; skips with a reason when the folder is absent.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.evaluation import events as ev

PETR = ev.BENCH / "events" / "universalpetrarch" / "UniversalPetrarch" / "data" / "text" / "PETR2_GSR_validation.xml"
GOLD = Path(ev.GOLD_DOCS)


def test_matches_logic():
    g = {"types": ["SANCTION", "COERCE"], "source": ["RUS"], "target": ["USA"],
         "date": ["2018-03-29", "2018-04-05"], "modality": ["planned"], "quantity": 60}
    e = {"type": "SANCTION", "source": {"country": "RUS"}, "target": {"country": "USA"}, "date": "2018-03-29",
         "date_end": None, "date_precision": "day", "modality": "planned", "quantities": [{"value": 60}]}
    assert ev.matches(e, g)
    assert not ev.matches({**e, "modality": "asserted"}, g)
    assert not ev.matches({**e, "date": "2018-01-01"}, g)
    assert ev.matches({**e, "date": "2018-04-01", "date_precision": "month"}, g)
    assert not ev.matches({**e, "quantities": []}, g)
    sym = {"types": ["CONSULT"], "actors": ["CHN", "RUS"], "near": [55.75, 37.62, 50]}
    e2 = {"type": "CONSULT", "source": {"country": "RUS"}, "target": {"country": "CHN"},
          "location": {"lat": 55.76, "lon": 37.6}}
    assert ev.matches(e2, sym)
    assert not ev.matches({**e2, "location": {"lat": 48.8, "lon": 2.3}}, sym)


def test_cameo_to_plover_table():
    if not ev.CAMEO2PLOVER.exists():
        pytest.skip(f"benchmark folder absent: {ev.CAMEO2PLOVER}")
    assert ev.plover_of("042") == "CONSULT"
    assert ev.plover_of("173") == "COERCE"
    assert ev.plover_of("0311") == "AGREE"
    assert ev.plover_of("190") == "ASSAULT"
    assert ev.plover_of("010") is None


def test_petrarch_xml(tmp_path):
    if not PETR.exists():
        pytest.skip(f"benchmark folder absent: {PETR}")
    sents = ev.read_petrarch(str(PETR))
    assert len(sents) == 78 and sum(len(s["gold"]) for s in sents) >= 78
    out = ev.run([str(PETR)], limit=12)
    res = out["files"][str(PETR)]
    assert res["format"] == "petrarch" and res["sentences"] == 12
    for key in ("cameo_root", "cameo_root_with_countries", "plover_type"):
        assert 0.0 <= res[key]["f1"] <= 1.0
    json.dumps(out)


def test_docs_gold_small():
    if not GOLD.exists():
        pytest.skip(f"benchmark folder absent: {GOLD}")
    out = ev.run([str(GOLD)], limit=2)
    res = out["files"][str(GOLD)]
    assert res["format"] == "docs" and res["docs"] == 2
    assert 0.0 <= res["recall"] <= 1.0 and res["events_per_doc"] > 0
    assert out["headline"] == "events_recall"


def test_ngec_story_scores(tmp_path):
    """The NGEC synthetic-story layout (csv, or the zip it ships as) and its dev/test halves."""
    import csv
    import zipfile

    from storyline.evaluation.events import in_split, read_ngec, run

    rows = [
        {"text": "Egyptian police arrested 40 protesters in Cairo on Monday, officials said.", "label": "COERCE",
         "mode": "ARREST", "title": "t", "source": "s", "prompt": "p", "disclaimer": "d"},
        {"text": "Thousands of teachers went on strike in Nairobi on Tuesday, demanding higher pay.", "label": "PROTEST",
         "mode": "STRIKE", "title": "t", "source": "s", "prompt": "p", "disclaimer": "d"},
        {"text": "The weather in Oslo was mild on Sunday.", "label": "AID", "mode": "", "title": "t",
         "source": "s", "prompt": "p", "disclaimer": "d"},
    ]
    path = tmp_path / "stories.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    zpath = tmp_path / "stories.csv.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        z.write(path, "stories.csv")
    assert [r["mode"] for r in read_ngec(str(zpath))] == ["arrest", "strike", None]
    out = run([str(path)])
    res = out["files"][str(path)]
    assert res["format"] == "ngec" and res["stories"] == 3
    assert res["label_recall"] == pytest.approx(2 / 3, abs=0.01)  # the weather story has no AID event
    assert res["label_recall_by_type"]["COERCE"] == 1.0 and res["label_recall_by_type"]["AID"] == 0.0
    assert out["headline"] == "label_recall"
    keys = [f"story {i}" for i in range(200)]
    dev = [k for k in keys if in_split(k, "dev")]
    test = [k for k in keys if in_split(k, "test")]
    assert sorted(dev + test) == sorted(keys) and 60 < len(dev) < 140
