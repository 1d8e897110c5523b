"""eval geo: metric arithmetic on made-up numbers and a small slice of the shared benchmark."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from storyline.evaluation.geo import (
    article_split, geocoding_scores, outlet_group, read_corpus, recognition_scores, run,
)

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench" / "geo" / "gritta"


def test_geocoding_scores_definition():
    res = geocoding_scores([0.0, 100.0, 200.0, 20039.0])
    assert res["acc161"] == 0.5
    assert res["median_km"] == 150.0
    logs = sorted(math.log(1 + e) for e in [0.0, 100.0, 200.0, 20039.0])
    area = sum((logs[i] + logs[i + 1]) / 2 for i in range(3))
    assert res["auc"] == round(area / (math.log(20039) * 3), 4)
    assert geocoding_scores([0.0, 0.0])["auc"] == 0.0


def test_recognition_scores_exact_and_overlap():
    r = recognition_scores([(0, 5), (10, 20), (30, 35)], [(0, 5), (12, 20), (40, 45)])
    assert r == {"exact": 1, "overlap": 2, "pred": 3, "gold": 3}
    r = recognition_scores([(0, 5), (50, 56)], [(0, 5)], ignore=[(50, 56)])
    assert r["pred"] == 1


def test_read_corpus_formats(tmp_path):
    xml = tmp_path / "mini.xml"
    xml.write_text(
        "<articles><article><text>Rain hit Pandi and Manila.</text><locations>"
        "<location><name>Pandi</name><start>10</start><end>15</end><lat>14.87</lat><lon>120.95</lon></location>"
        "</locations></article>"
        "<article><text>Talks in Paris.</text><toponyms><toponym><start>9</start><end>14</end>"
        "<phrase>Paris</phrase><gaztag geonameid=\"2988507\"><lat>48.85</lat><lon>2.35</lon></gaztag>"
        "</toponym></toponyms></article></articles>", encoding="utf-8")
    arts = read_corpus(xml)
    assert (arts[0].toponyms[0].start, arts[0].toponyms[0].end) == (9, 14)  # 1-based offsets realigned
    assert arts[1].toponyms[0].geonameid == 2988507


@pytest.mark.parametrize("name", ["GWN.xml", "GeoVirus.xml"])
def test_eval_geo_small_slice(name):
    path = BENCH / name
    if not path.exists():
        pytest.skip(f"benchmark not present: {path}")
    res = run([str(path)], limit=3, quiet=True)
    assert res["task"] == "geo" and res["documents"] == 3
    assert 0.0 <= res["toponym_f1"] <= 1.0
    assert res["geocoding_gold"]["n"] > 0
    assert 0.0 <= res["geocoding_gold"]["auc"] <= 1.0
    assert 0.0 <= res["end_to_end_acc161"] <= 1.0
    assert sum(h["documents"] for h in res["halves"].values()) == 3
    assert res["gazetteer"]["entries"] > 100_000 and res["gazetteer"]["rss_mb"] > 0
    assert res["speed"]["parse_seconds"] > 0 and res["speed"]["places_per_parse"] is not None
    assert res["end_to_end_acc161_with_demonyms"] >= res["end_to_end_acc161"]
    assert 0.0 <= res["acc161_gold_no_vicinity"] <= res["geocoding_gold"]["acc161"]
    if name == "GWN.xml":  # every GeoWebNews article has an outlet: local or international
        assert sum(g["documents"] for g in res["groups"].values()) == 3
    else:
        assert res["groups"] == {}


def test_outlet_group():
    assert outlet_group("https://www.bangordailynews.com/2018/04/01/news/x") == "local"
    assert outlet_group("http://winnipeg.ctvnews.ca/story") == "local"
    assert outlet_group("https://www.washingtonpost.com/world/x") == "international"
    assert outlet_group("https://ctvnews.ca/x") == "international"  # the national site, not a regional one
    assert outlet_group(None) is None and outlet_group("") is None


def test_eval_geo_mini_corpus_without_bench(tmp_path):
    xml = tmp_path / "mini.xml"
    xml.write_text(
        "<articles><article><text>Flooding hit Manila on Monday. Residents of Manila fled.</text><locations>"
        "<location><name>Manila</name><start>13</start><end>19</end><lat>14.6</lat><lon>120.98</lon></location>"
        "</locations></article></articles>", encoding="utf-8")
    res = run([str(xml)], quiet=True)
    assert res["geocoding_gold"]["acc161"] == 1.0 and res["end_to_end_acc161"] == 1.0
    assert len(res["halves"]) == 1 and res["split"] == "all"


def test_eval_geo_split_is_frozen_and_disjoint(tmp_path):
    xml = tmp_path / "mini.xml"
    arts = "".join(
        f'<article file="{n}"><text>Flooding hit Manila on Monday.</text><locations><location><name>Manila</name>'
        f"<start>13</start><end>19</end><lat>14.6</lat><lon>120.98</lon></location></locations></article>"
        for n in range(12))
    xml.write_text(f"<articles>{arts}</articles>", encoding="utf-8")
    parts = {a.id: article_split(xml, a) for a in read_corpus(xml)}
    assert set(parts.values()) == {"dev", "test"}  # 12 ids: both halves occur
    assert parts == {a.id: article_split(tmp_path / "mini.xml", a) for a in read_corpus(xml)}
    dev = run([str(xml)], quiet=True, split="dev")
    test = run([str(xml)], quiet=True, split="test")
    assert dev["documents"] == sum(v == "dev" for v in parts.values())
    assert dev["documents"] + test["documents"] == 12 and list(dev["halves"]) == ["dev"]
    with pytest.raises(ValueError):
        run([str(xml)], quiet=True, split="train")
