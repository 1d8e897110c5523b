"""The trained trigger proposer (storyline.events.proposer): words no lexicon row proposes
become candidates when the model scores them over its threshold.

A tiny hand-made model (one feature per lemma) tests the mechanism exactly; the shipped model
is tested on sentences written for these tests (no corpus text).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from storyline.annotate import annotate_one
from storyline.events import extract_events
from storyline.events import proposer as P
from storyline.events.decide import NONE, embed
from storyline.events.triggers import find_triggers

PUB = dt.date(2026, 3, 3)
LABELS = [NONE, "CONSULT", "SUPPORT"]


def tiny(lemmas: dict[str, str], threshold: float = 0.5) -> P.TriggerModel:
    """A proposer that gives each listed lemma its type with p ~ 0.95 and everything else NONE."""
    vocab = {"bias": 0, **{f"lemma={lem}": i + 1 for i, lem in enumerate(sorted(lemmas))}}
    dim = 3 * embed(["x"]).shape[1]
    w = np.zeros((len(vocab) + dim, len(LABELS)), dtype=np.float32)
    w[0, 0] = 3.0  # NONE by default
    for lem, typ in lemmas.items():
        w[vocab[f"lemma={lem}"], LABELS.index(typ)] = 7.0
    return P.TriggerModel(vocab=vocab, labels=list(LABELS), weights=w, bias=np.zeros(len(LABELS), np.float32),
                          mean=np.zeros(dim, np.float32), scale=np.ones(dim, np.float32), threshold=threshold,
                          meta={})


def test_features_read_parse_lexicon_and_actor_arguments():
    doc = annotate_one("Norway summoned the Danish ambassador on Friday.")
    rows = {tok.lower_: f for tok, f, *_ in P.token_rows(doc, [])}
    f = rows["summoned"]
    assert f["lemma=summon"] == 1.0 and f["pos=VERB"] == 1.0 and f["obj=ambassador"] == 1.0
    assert "subj_actor" not in f  # no actors given
    assert "friday" not in rows  # a noun in a sentence naming no actor is not a candidate word


def test_actor_tokens_and_plausible_nouns():
    from storyline.actors import extract_actors

    doc = annotate_one("Norway summoned the Danish ambassador on Friday.")
    actors = extract_actors(doc, [])
    at = P.actor_tokens(doc, actors)
    assert any(doc[i].text == "Norway" for i in at)
    rows = {tok.lower_: f for tok, f, *_ in P.token_rows(doc, actors)}
    assert rows["summoned"].get("subj_country") == 1.0
    assert "ambassador" in rows  # an object noun of a sentence with an actor


def test_extend_adds_model_triggers_and_merges_a_noun_into_its_verb():
    doc = annotate_one("Chile and Peru voiced support for Bolivia.")
    model = tiny({"voice": "SUPPORT", "support": "SUPPORT"})
    props = P.Proposals(model, doc, [])
    sent = next(doc.sents)
    trigs = props.extend(sent, [])
    assert [t.token.text for t in trigs] == ["voiced"]
    t = trigs[0]
    assert t.entry.type == "SUPPORT" and t.entry.source == "model" and t.noun.text == "support"
    assert 0.9 < t.entry.weight <= 1.0
    assert props.distribution(t.token)["SUPPORT"] > 0.9


def test_extend_leaves_rule_triggers_and_low_scores_alone():
    doc = annotate_one("Kenya and Uganda held talks in Nairobi on Monday.")
    sent = next(doc.sents)
    rules = find_triggers(sent)
    assert rules  # "held talks" is a lexicon light-verb pair
    props = P.Proposals(tiny({"hold": "CONSULT", "talk": "CONSULT"}), doc, [])
    assert props.extend(sent, rules) == rules  # the rule's words are taken
    high = P.Proposals(tiny({"hold": "CONSULT"}, threshold=0.99), doc, [])
    assert high.extend(sent, []) == []


def test_a_denial_of_a_clause_is_no_proposal_but_a_denied_request_is():
    model = tiny({"deny": "CONSULT", "cross": "SUPPORT"})
    doc = annotate_one("Chile denied that its troops had crossed the border.")
    sent = next(doc.sents)
    assert [t.token.text for t in P.Proposals(model, doc, []).extend(sent, [])] == ["crossed"]
    doc = annotate_one("Chile denied the request for more troops.")
    sent = next(doc.sents)
    assert [t.token.text for t in P.Proposals(model, doc, []).extend(sent, [])] == ["denied"]


def test_extract_events_explains_a_model_proposal():
    from storyline.actors import extract_actors

    text = "Chile summoned Peru's envoy on Monday."
    doc = annotate_one(text)
    actors = extract_actors(doc, [])
    kw = dict(decide="candidates")
    without = extract_events(doc, "d", PUB, [], [], actors, proposer=False, **kw)
    assert not any(e.trigger == "summoned" for e in without)
    got = [e for e in extract_events(doc, "d", PUB, [], [], actors, proposer=tiny({"summon": "CONSULT"}), **kw)
           if e.trigger == "summoned"]
    assert got, "the proposer's word is a candidate"
    e = got[0]
    assert e.type == "CONSULT" and e.explain["rule"] == "model:summon/V" and e.explain["proposer"] == "trigger_model"
    assert e.explain["trigger_model"]["score"] > 0.9
    assert e.source is not None and e.source.country == "CHL"
    rules_only = extract_events(doc, "d", PUB, [], [], actors, decide="rules", proposer=tiny({"summon": "CONSULT"}))
    assert not any(e.trigger == "summoned" for e in rules_only)  # the rule coder alone never asks the model


def test_model_save_load_round_trip(tmp_path):
    m = tiny({"voice": "SUPPORT"}, threshold=0.4)
    m.save(tmp_path)
    back = P.TriggerModel.load(tmp_path)
    assert back.vocab == m.vocab and back.labels == m.labels and back.threshold == 0.4
    doc = annotate_one("Chile voiced support for Bolivia.")
    rows = P.token_rows(doc, [])
    cols = ([r[2] for r in rows], [r[3] for r in rows], [r[4] for r in rows])
    assert np.allclose(back.probabilities([r[1] for r in rows], cols), m.probabilities([r[1] for r in rows], cols))


def test_shipped_proposer_is_consistent():
    import json

    m = P.default_trigger_model()
    if m is None:
        pytest.skip("built without a trigger proposer")
    from storyline.evaluation.corpus import TYPES

    assert set(m.labels) == set(TYPES) | {NONE}
    assert m.weights.shape == (len(m.vocab) + 3 * embed(["x"]).shape[1], len(m.labels))
    assert json.loads((P.MODEL_DIR / "metrics.json").read_text())["threshold"] == m.threshold
