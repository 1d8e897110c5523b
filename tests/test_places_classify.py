"""The toponym classifier: its tree scorer, its candidates and features, the shipped model."""
from __future__ import annotations

import json

import numpy as np
import pytest

from storyline.annotate import annotate_one
from storyline.errors import ModelError
from storyline.places import classify, load_gazetteer
from storyline.places.classify import FEATURES, TreeModel, feature_rows, select, toponym_model
from storyline.places.recognize import Mention, drop_overlaps, recognize, rule_mentions


def _stump(feature: int, cut: float, low: float, high: float) -> dict:
    return {"left": [1, -1, -1], "right": [2, -1, -1], "feature": [feature, -2, -2],
            "threshold": [cut, -2.0, -2.0], "value": [0.0, low, high], "depth": 1}


def test_tree_model_sums_leaves_of_every_tree():
    d = {"features": list(FEATURES), "init": 0.5, "rate": 0.5, "threshold": 0.5,
         "trees": [_stump(0, 0.5, -2.0, 2.0), _stump(1, 0.5, 1.0, -1.0)]}
    model = TreeModel.from_json(d)
    x = np.zeros((3, len(FEATURES)))
    x[1, 0] = 1.0          # first tree takes its right leaf
    x[2, 0] = x[2, 1] = 1.0  # both trees right
    z = 0.5 + 0.5 * np.array([-2.0 + 1.0, 2.0 + 1.0, 2.0 - 1.0])
    assert np.allclose(model.score(x), 1 / (1 + np.exp(-z)))


def test_tree_model_refuses_other_features():
    with pytest.raises(ModelError):
        TreeModel.from_json({"features": ["a"], "init": 0, "rate": 1, "threshold": 0.5, "trees": []})


def test_shipped_model_loads_and_matches_a_plain_walk():
    model = toponym_model()
    assert model is not None and 0 < model.threshold < 1
    from importlib import resources
    d = json.loads(resources.files("storyline.data.places").joinpath(classify.MODEL_FILE).read_text())
    x = np.random.default_rng(0).random((20, len(FEATURES))) * 3
    z = np.full(20, d["init"])
    for t in d["trees"]:
        for r in range(20):
            n = 0
            while t["left"][n] >= 0:
                n = t["left"][n] if x[r, t["feature"][n]] <= t["threshold"][n] else t["right"][n]
            z[r] += d["rate"] * t["value"][n]
    assert np.allclose(model.score(x), 1 / (1 + np.exp(-z)))


def test_select_keeps_the_most_probable_of_overlapping_spans():
    a = Mention("Buffalo Bisons", 0, 14, "ORG", "Buffalo Bisons")
    b = Mention("Buffalo", 0, 7, "GPE", "Buffalo")
    c = Mention("Ohio", 20, 24, "GPE", "Ohio")
    assert select([a, b, c], np.array([0.3, 0.8, 0.6]), 0.5) == [b, c]
    assert select([a, b, c], np.array([0.9, 0.8, 0.4]), 0.5) == [a]


def test_candidates_cover_rules_and_gazetteer_runs():
    gaz = load_gazetteer()
    doc = annotate_one("Farmers near Glenrock, Wyoming, said the Casper plant and Smith Road were flooded.")
    accepted, rejected, _ = rule_mentions(doc, gaz)
    mentions, verdicts, x = feature_rows(doc, gaz, accepted, rejected)
    assert x.shape == (len(mentions), len(FEATURES))
    spans = {m.text for m in mentions}
    assert {"Glenrock", "Wyoming", "Casper"} <= spans
    # each rule-accepted span is a candidate, marked as such
    for m in accepted:
        k = next(i for i, c in enumerate(mentions) if (c.start, c.end) == (m.start, m.end))
        assert verdicts[k] and x[k, FEATURES.index("rule_accept")] == 1.0


def test_recognize_uses_the_model_and_falls_back_to_rules(monkeypatch):
    gaz = load_gazetteer()
    doc = annotate_one("Flooding closed roads in Glenrock, Wyoming, and in Douglas on Monday.")
    found, _ = recognize(doc, gaz)
    assert {"Glenrock", "Wyoming"} <= {m.text for m in found}
    monkeypatch.setattr(classify, "toponym_model", lambda: None)
    rules, _ = recognize(doc, gaz)
    accepted, _, _ = rule_mentions(doc, gaz)
    assert [(m.start, m.end) for m in rules] == [(m.start, m.end) for m in drop_overlaps(accepted)]


def test_ranker_features_rebuild_the_hand_score():
    from storyline.places.resolve import HAND_WEIGHTS, RANK_FEATURES, Context, score_candidates

    gaz = load_gazetteer()
    ctx = Context()
    ctx.countries["USA"] += 2
    trace: list = []
    scored = score_candidates(gaz, "Paris", ctx, trace=trace)
    assert len(trace) == len(scored) and all(len(f) == len(RANK_FEATURES) for _, f in trace)
    by_id = {id(c): s for s, c in scored}
    for c, f in trace:
        assert abs(by_id[id(c)] - sum(w * v for w, v in zip(HAND_WEIGHTS, f))) < 1e-9
    # the US context lifts a Paris in the United States above its population rank
    assert any(c.country == "USA" and f[RANK_FEATURES.index("country_in_context")] > 0 for c, f in trace)
    # other weights, another order: population alone picks the most populous Paris
    only_pop = tuple(1.0 if n == "log_population" else 0.0 for n in RANK_FEATURES)
    best = score_candidates(gaz, "Paris", ctx, ranker=only_pop)[0][1]
    assert best.population == max(c.population for c in gaz.lookup("Paris"))


def test_local_coherence_features():
    """A name with a town near the document's other accepted places, inside the state the
    document names, scores on both local features; a far-away namesake does not."""
    gaz = load_gazetteer()
    doc = annotate_one("Deputies from Ripley and Ravenswood searched the river bank on Sunday. "
                       "The boat was found near Millwood, in West Virginia, police said.")
    accepted, rejected, _ = rule_mentions(doc, gaz)
    mentions, _, x = feature_rows(doc, gaz, accepted, rejected)
    row = {m.text: x[k] for k, m in enumerate(mentions)}
    support, named = FEATURES.index("local_support"), FEATURES.index("in_named_admin1")
    assert row["Ripley"][support] > 0 and row["Ripley"][named] == 1.0
    assert row["Ravenswood"][support] > 0
    doc = annotate_one("Ripley was named captain on Sunday. The club plays in Madrid.")
    accepted, rejected, _ = rule_mentions(doc, gaz)
    mentions, _, x = feature_rows(doc, gaz, accepted, rejected)
    assert all(x[k, named] == 0.0 for k, m in enumerate(mentions) if m.text == "Ripley")
