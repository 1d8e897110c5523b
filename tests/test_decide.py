"""The event model (storyline.events.decide) and the trainer's helpers (scripts/train_events.py).

Small hand-made models (no embeddings) test the decision logic exactly; the shipped model
and embeddings are tested on sentences written for these tests (no corpus text).
"""
from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from storyline.events import decide as D
from storyline.models import Event, EventArg

ROOT = Path(__file__).resolve().parents[1]
PUB = dt.date(2026, 3, 3)  # a Tuesday


def make_event(type_="COERCE", rule="verb:arrest", source=None, target=None, mentions=None, **explain) -> Event:
    sentence = "Officials in Ruritania detained the opposition leader at the airport on Monday."
    ex = {"rule": rule, "rule_type": type_, "rule_weight": 1.0, "trigger_start": 100 + sentence.index("detained"),
          "trigger_end": 100 + sentence.index("detained") + 8, "sentence_index": 0}
    if mentions is not None:
        ex["mentions"] = mentions
    ex.update(explain)
    return Event(event_id="e1", type=type_, mode="arrest" if type_ == "COERCE" else None, cameo="17",
                 source=source, target=target, date=None, date_end=None, date_precision=None, date_text=None,
                 location=None, modality="asserted", attribution=None, quantities=[], sentence=sentence,
                 start=100, end=100 + len(sentence), confidence=0.5, trigger="detained", explain=ex)


LABELS = ["COERCE", "NONE", "PROTEST"]
# logits per rule kind: each candidate's probabilities are the softmax of its row
LOGITS = {"drop": [0.0, 3.0, 0.0], "keep": [3.0, 0.0, 0.0], "near": [2.0, 0.0, 2.2], "far": [0.0, 0.0, 3.0]}


def tiny_model(retype: float | None = 0.3, keep: float = 0.5) -> D.EventModel:
    vocab = {f"rule_kind={k}": i for i, k in enumerate(LOGITS)}
    w = np.array([LOGITS[k] for k in LOGITS], dtype=np.float32)
    return D.EventModel(vocab=vocab, labels=list(LABELS), weights=w, bias=np.zeros(3, np.float32),
                        mean=np.zeros(len(vocab), np.float32), scale=np.ones(len(vocab), np.float32),
                        keep_threshold=keep, retype=retype, meta={"dense": False, "note": "test"})


def softmax(z):
    z = np.exp(np.asarray(z) - max(z))
    return z / z.sum()


# ---------------------------------------------------------------- features


def test_symbolic_features():
    e = make_event(source=EventArg("Officials", country="RUR", agent="GOV"),
                   target=EventArg("the opposition leader", country="RUR"), candidates_in_sentence=3)
    f = D.symbolic_features(e)
    assert f["bias"] == 1.0 and f["rule_weight"] == 1.0
    assert f["has_source_country"] == f["has_target_country"] == f["same_country"] == 1.0
    assert f["source_igo"] == 0.0 and f["source_agent"] == 1.0 and f["target_agent"] == 0.0
    assert f["rule_kind=verb"] == 1.0 and f["rule_type=COERCE"] == 1.0 and f["mode=arrest"] == 1.0
    assert f["in_sentence=<=4"] == 1.0 and f["sentence_index=<=0"] == 1.0 and f["sentence_words=<=12"] == 1.0
    assert f["quoted"] == 0.0 and f["question"] == 0.0
    # an IGO against a country; a dict event works like an Event; modality is not a feature
    g = D.symbolic_features({"type": "ACCUSE", "sentence": 'Did the UN "condemn" Freedonia?',
                             "source": {"country": "UN"}, "target": {"country": "FRE"}, "modality": "negated",
                             "explain": {"rule_type": "ACCUSE"}})
    assert g["source_igo"] == 1.0 and g["target_igo"] == 0.0 and g["same_country"] == 0.0
    assert g["quoted"] == 1.0 and g["question"] == 1.0
    assert not any("negated" in k or "modality" in k for k in g)


def test_trigger_window_from_offsets_and_fallback():
    e = make_event()
    trig, window = D.trigger_window(e)
    assert trig == "detained"
    assert window == "Officials in Ruritania detained the opposition leader at"
    d = {"sentence": "one two three four five six seven eight nine ten eleven", "trigger": "six", "start": 0,
         "explain": {}}
    assert D.trigger_window(d) == ("six", "two three four five six seven eight nine ten")


def test_embed_is_unit_norm_and_closer_for_paraphrases():
    v = D.embed(["police arrested the protesters", "officers detained the demonstrators",
                 "the soup simmered for an hour"])
    assert v.shape[0] == 3 and v.shape[1] > 16
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
    assert D.embed([]).shape == (0, 0)


def test_dense_features_blocks():
    a, b = make_event(), make_event()
    b.sentence = "Soldiers of Freedonia detained two fishermen near the island."
    b.start = 0
    b.explain["trigger_start"] = b.sentence.index("detained")
    x = D.dense_features([a, b])
    dim = D.embed(["x"]).shape[1]
    assert x.shape == (2, 3 * dim)
    # same trigger word, different sentences: the trigger block is equal, the sentence block is not
    assert np.allclose(x[0, 2 * dim:], x[1, 2 * dim:])
    assert not np.allclose(x[0, :dim], x[1, :dim])
    assert np.allclose(x[0, :dim], D.embed([a.sentence])[0], atol=1e-5)


# ---------------------------------------------------------------- EventModel


def test_model_probabilities_and_save_load_round_trip(tmp_path):
    m = tiny_model()
    events = [make_event(rule=f"{k}:x") for k in LOGITS]
    p = m.probabilities(events)
    for row, k in zip(p, LOGITS):
        assert np.allclose(row, softmax(LOGITS[k]), atol=1e-6)
    m.save(tmp_path / "m")
    back = D.EventModel.load(tmp_path / "m")
    assert np.array_equal(back.probabilities(events), p)
    assert back.labels == m.labels and back.vocab == m.vocab
    assert back.keep_threshold == 0.5 and back.retype == 0.3 and back.meta == m.meta
    tiny_model(retype=None).save(tmp_path / "n")
    assert D.EventModel.load(tmp_path / "n").retype is None


def test_model_with_dense_features_round_trips(tmp_path):
    rng = np.random.default_rng(7)
    dim = D.embed(["x"]).shape[1]
    n = 2 + 3 * dim
    m = D.EventModel(vocab={"rule_kind=verb": 0, "has_source_country": 1}, labels=list(LABELS),
                     weights=rng.normal(size=(n, 3)).astype(np.float32), bias=np.zeros(3, np.float32),
                     mean=rng.normal(size=n).astype(np.float32) * 0.01, scale=np.ones(n, np.float32),
                     keep_threshold=0.4, retype=None, meta={})
    events = [make_event(), make_event(type_="PROTEST", rule="noun:march")]
    p = m.probabilities(events)
    assert p.shape == (2, 3) and np.allclose(p.sum(axis=1), 1.0)
    m.save(tmp_path)
    assert np.array_equal(D.EventModel.load(tmp_path).probabilities(events), p)


def test_chosen_type_retypes_only_beyond_the_margin():
    m = tiny_model(retype=0.3)
    assert m.chosen_type(np.array([0.30, 0.2, 0.50]), "COERCE") == "COERCE"  # 0.2 ahead: not enough
    assert m.chosen_type(np.array([0.10, 0.2, 0.70]), "COERCE") == "PROTEST"
    assert m.chosen_type(np.array([0.10, 0.2, 0.70]), "ASSAULT") == "PROTEST"  # unknown rule type counts 0
    assert tiny_model(retype=None).chosen_type(np.array([0.0, 0.0, 1.0]), "COERCE") == "COERCE"
    # NONE is never a type the model retypes to
    assert m.chosen_type(np.array([0.05, 0.9, 0.05]), "COERCE") == "COERCE"


# ---------------------------------------------------------------- decide_events


def test_decide_events_keeps_drops_and_retypes():
    mentions = [{"text": "Officials", "country": "RUR", "rule": ["source"]}]
    events = [make_event(rule=f"{k}:x", mentions=list(mentions), variant=None) for k in LOGITS]
    for i, e in enumerate(events):
        e.event_id = f"e{i}"
    out = D.decide_events(events, model=tiny_model(retype=0.3))
    assert [e.event_id for e in out] == ["e1", "e2", "e3"]  # "drop" is gone
    keep, near, far = out
    assert keep.type == "COERCE" and "retyped_from" not in keep.explain
    assert near.type == "COERCE" and "retyped_from" not in near.explain  # PROTEST only 0.2 ahead
    assert far.type == "PROTEST" and far.explain["retyped_from"] == "COERCE"
    assert far.mode is None and far.cameo == "14"  # PROTEST's CAMEO root
    assert keep.explain["model_keep"] == round(1 - softmax(LOGITS["keep"])[1], 3)
    assert list(keep.explain["model_types"]) == ["COERCE", "PROTEST"]
    assert keep.confidence == keep.explain["model_keep"]
    for e in out:
        assert "mentions" not in e.explain and "variant" not in e.explain


def test_decide_events_threshold_and_no_retype():
    events = [make_event(rule="far:x"), make_event(rule="near:x")]
    out = D.decide_events(events, model=tiny_model(retype=None, keep=0.5))
    assert [e.type for e in out] == ["COERCE", "COERCE"]
    # a keep threshold above every candidate's score drops them all
    assert D.decide_events([make_event(rule="keep:x")], model=tiny_model(keep=0.99)) == []
    assert D.decide_events([], model=tiny_model()) == []


def test_proposed_words_clear_their_own_threshold(tmp_path):
    """A word only the trained proposer proposed must clear ``proposed_threshold``; a lexicon
    candidate with the same score clears the ordinary keep threshold."""
    rule = make_event(rule="keep:x", proposer="rules")
    word = make_event(rule="keep:x", proposer="trigger_model")
    word.event_id = "e2"
    m = tiny_model(retype=None, keep=0.5)
    m.proposed_threshold = 0.99  # above the candidates' 0.955
    assert m.threshold_for(rule) == 0.5 and m.threshold_for(word) == 0.99
    assert [e.event_id for e in D.decide_events([rule, word], model=m)] == ["e1"]
    m.proposed_threshold = 0.9
    m.save(tmp_path)
    back = D.EventModel.load(tmp_path)
    assert back.proposed_threshold == 0.9
    word2 = make_event(rule="keep:x", proposer="trigger_model")
    assert len(D.decide_events([word2], model=back)) == 1
    m.proposed_threshold = None  # unset: one threshold for all
    assert m.threshold_for(word) == 0.5


# ---------------------------------------------------------------- the side ranker


ARMY = {"text": "the army", "country": "RUR", "rel": "nsubj", "before": True, "distance": 1, "rule": ["source"]}
REBELS = {"text": "the rebels", "country": "FRE", "rel": "dobj", "before": False, "distance": 1,
          "rule": ["target"]}
POLICE = {"text": "the police", "country": "POL", "rel": "obl", "before": False, "distance": 5, "rule": []}


def ranker(weights: dict[str, float], min_score=0.6, margin=0.1) -> D.SideRanker:
    vocab = {k: i for i, k in enumerate(weights)}
    return D.SideRanker(vocab, np.array(list(weights.values()), dtype=np.float32), 0.0, min_score, margin)


def test_mention_features():
    e = make_event(source=EventArg("the army", country="RUR"), target=None, mentions=[ARMY, REBELS, POLICE])
    f = D.mention_features(e, ARMY, "source")
    assert all(k.startswith("source:") for k in f)
    assert f["source:rule_same"] == 1.0 and f["source:rule_other"] == 0.0
    assert f["source:rel=nsubj"] == 1.0 and f["source:type_rel=COERCE:nsubj"] == 1.0
    assert f["source:distance=<=1"] == 1.0 and f["source:mentions=<=4"] == 1.0
    g = D.mention_features(e, ARMY, "target")
    assert g["target:rule_other"] == 1.0 and g["target:rule_has_none"] == 1.0
    assert g["target:same_as_other_side"] == 1.0  # RUR is already the source
    assert D.mention_features(e, dict(POLICE, text="They"), "target")["target:pronoun"] == 1.0


def test_ranker_never_gives_the_other_sides_mention():
    # the rebels (the rule's target) score best as source, but one actor is not both sides
    r = ranker({"source:rel=dobj": 5.0, "source:rel=obl": 1.0})
    e = make_event(source=None, target=EventArg("the rebels", country="FRE"), mentions=[REBELS, POLICE])
    got = r.choose(e, "source")
    assert got is not None and got[0]["text"] == "the police"
    assert got[1] == pytest.approx(1 / (1 + np.exp(-1.0)), abs=1e-5)
    # the rule's own mention scoring best: keep the rule's choice
    e2 = make_event(source=EventArg("the army", country="RUR"), target=EventArg("the rebels", country="FRE"),
                    mentions=[ARMY, REBELS, POLICE])
    assert ranker({"source:rel=nsubj": 4.0, "source:rel=dobj": 5.0}).choose(e2, "source") is None


def test_rank_sides_never_puts_one_mention_on_both_sides():
    r = ranker({"source:rel=obl": 3.0, "target:rel=obl": 3.0})
    e = make_event(source=None, target=None, mentions=[POLICE, dict(REBELS, rule=[])])
    chosen = D.rank_sides(e, r)
    assert e.source is not None and e.source.text == "the police" and e.source.country == "POL"
    assert e.target is None or e.target.text != "the police"
    assert set(chosen) == {"source"} and chosen["source"][0] is POLICE
    assert e.explain["source_how"] == "ranker:obl"
    assert e.explain["source_score"] == round(float(1 / (1 + np.exp(-3.0))), 3)


def test_the_reporting_speaker_is_a_feature():
    e = make_event(source=None, target=None, mentions=[POLICE])
    assert D.mention_features(e, dict(POLICE, speaker=True), "target")["target:speaker"] == 1.0
    assert D.mention_features(e, POLICE, "target")["target:speaker"] == 0.0
    assert D.mention_features(e, POLICE, "target")["target:type_speaker=COERCE:False"] == 1.0


def test_side_view_reads_the_rules_sides():
    # a candidate dict whose sides the document passes changed: the ranker reads the rules' own
    ev = {"type": "COERCE", "source": {"text": "", "country": "RUR"}, "target": None,
          "explain": {"rule_type": "COERCE", "mentions": [POLICE], "rule_sides": {"source": None, "target": None}}}
    view = D.side_view(ev)
    assert view["source"] is None and view["type"] == "COERCE" and view["explain"]["mentions"] == [POLICE]
    got = ranker({"source:rel=obl": 3.0}).choose(view, "source")
    assert got is not None and got[0]["text"] == "the police"
    grouped = dict(ev, explain=dict(ev["explain"], grouped=True))
    assert ranker({"source:rel=obl": 3.0}).choose(D.side_view(grouped), "source") is None


def test_ranker_replaces_only_above_min_score_and_margin():
    # police score sigmoid(1.0) = 0.731, the rule's army sigmoid(0.2) = 0.55
    weights = {"source:rel=obl": 1.0, "source:rel=nsubj": 0.2}
    e = make_event(source=EventArg("the army", country="RUR"), target=None, mentions=[ARMY, POLICE])
    assert ranker(weights, min_score=0.6, margin=0.1).choose(e, "source")[0]["text"] == "the police"
    assert ranker(weights, min_score=0.8, margin=0.1).choose(e, "source") is None
    assert ranker(weights, min_score=0.6, margin=0.25).choose(e, "source") is None
    # a variant candidate, or one without mentions, is left alone
    assert ranker(weights).choose(make_event(mentions=[ARMY, POLICE], variant="passive"), "source") is None
    assert ranker(weights).choose(make_event(), "source") is None


def test_ranker_save_load(tmp_path):
    r = ranker({"source:rel=obl": 1.0, "target:rel=dobj": -0.5}, min_score=0.4, margin=0.2)
    r.save(tmp_path)
    back = D.SideRanker.load(tmp_path)
    assert back.vocab == r.vocab and np.array_equal(back.weights, r.weights)
    assert (back.bias, back.min_score, back.margin) == (0.0, 0.4, 0.2)
    e = make_event(mentions=[ARMY, REBELS, POLICE])
    assert np.array_equal(back.score(e, [ARMY, REBELS, POLICE], "source"), r.score(e, [ARMY, REBELS, POLICE], "source"))


def test_decide_events_strips_the_rankers_evidence():
    e = make_event(rule="keep:x", source=None, target=None, mentions=[POLICE],
                   rule_sides={"source": None, "target": None}, grouped=False)
    (out,) = D.decide_events([e], model=tiny_model())
    assert out.source is None  # the ranker ran on the drafts, not here
    assert not {"mentions", "rule_sides", "grouped"} & set(out.explain)


# ---------------------------------------------------------------- the shipped model


def test_shipped_model_is_consistent():
    import json

    m, r = D.default_model(), D.default_ranker()
    assert m is not None and r is not None
    from storyline.evaluation.corpus import TYPES

    assert set(m.labels) == set(TYPES) | {D.NONE}
    dim = D.embed(["x"]).shape[1]
    assert m.weights.shape == (len(m.vocab) + 3 * dim, len(m.labels))
    assert m.mean.shape == m.scale.shape == (m.weights.shape[0],) and m.bias.shape == (len(m.labels),)
    assert m.scale.min() > 0
    assert r.weights.shape == (len(r.vocab),)
    selected = json.loads((D.MODEL_DIR / "metrics.json").read_text())["selected"]
    assert (m.keep_threshold, m.retype) == (selected["keep_threshold"], selected["retype"])
    assert m.proposed_threshold == selected.get("proposed_threshold")
    assert (r.min_score, r.margin) == (selected["side_min_score"], selected["side_margin"])


@pytest.fixture(scope="module")
def process():
    from storyline.pipeline import process_text

    return lambda text: process_text(text, published=PUB)


@pytest.mark.parametrize("text,type_", [
    ("Police in Ruritania arrested forty protesters in the capital on Monday.", "COERCE"),
    ("German police arrested forty protesters in Berlin on Monday.", "COERCE"),
    ("Rebels shelled an army base outside Mosul on Sunday, killing six soldiers.", "ASSAULT"),
    ("Thousands of workers marched through Madrid on Friday to protest the new tax.", "PROTEST"),
])
def test_shipped_model_keeps_clear_events(process, text, type_):
    events = process(text).events
    hits = [e for e in events if e.type == type_]
    assert hits, [(e.type, e.trigger) for e in events]
    e = hits[0]
    assert e.explain["model_keep"] >= D.default_model().keep_threshold
    assert e.confidence == min(0.99, e.explain["model_keep"])  # capped
    assert "mentions" not in e.explain


def test_shipped_model_drops_a_candidate_the_rules_propose(process):
    """'fired' proposes an ASSAULT candidate; the model says it is not an event."""
    from storyline.models import RawDoc
    from storyline.pipeline import Options, process_docs

    text = "The company fired its chef after the restaurant lost money."
    raw = RawDoc(id="t", source="t.txt", text=text, id_given=True, published=PUB)
    (res,) = process_docs([raw], Options(events_decider="candidates"), dedup=False)
    assert any(not (c.explain or {}).get("actorless") for c in res.events)  # a real candidate
    assert process(text).events == []
    for quiet in ("Shares of the bakery chain rose three percent on Monday.",
                  "The river flooded three villages after a week of heavy rain."):
        assert process(quiet).events == []


def test_shipped_model_drops_a_zoo_visit(process):
    assert process("Children visited the zoo and met the new panda on Saturday.").events == []


# ---------------------------------------------------------------- scripts/train_events.py


@pytest.fixture(scope="module")
def train():
    spec = importlib.util.spec_from_file_location("train_events_under_test", ROOT / "scripts" / "train_events.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_label(train):
    gold = [{"evidence": "police arrested forty protesters", "types": ["COERCE"], "trigger_span": [110, 118]},
            {"evidence": "the envoy met the minister", "types": ["CONSULT"], "also": ["envoy and minister talked"],
             "trigger_span": [300, 303]}]
    s = "On Monday police arrested forty protesters in the square."
    ev = lambda t, sentence=s, ts=110, te=118: {"type": t, "sentence": sentence,  # noqa: E731
                                                "explain": {"trigger_start": ts, "trigger_end": te}}
    assert train.label(ev("COERCE"), gold) == "COERCE"
    # wrong type but the gold trigger is the candidate's trigger: the gold type
    assert train.label(ev("ASSAULT"), gold) == "COERCE"
    # wrong type on another word of the sentence: not an event
    assert train.label(ev("ASSAULT", ts=130, te=136), gold) == "NONE"
    # an "also" mention counts like the evidence
    assert train.label(ev("CONSULT", "Later the envoy and minister talked for an hour.", 0, 5), gold) == "CONSULT"
    assert train.label(ev("COERCE", "The weather was fine."), gold) == "NONE"


def test_folds_of_keeps_an_ecb_topic_together(train):
    gold = {"docs": {"a": {"source": "ecb:5_1ecb.xml"}, "b": {"source": "ecb:5_9ecbplus.xml"},
                     **{f"t{i}": {"source": f"tbaq:TimeBank/doc{i}.tml"} for i in range(40)}}}
    keys = ["a", "b", "a", *[f"t{i}" for i in range(40)]]
    folds = train.folds_of(gold, keys, 5)
    assert len(folds) == len(keys)
    assert folds[0] == folds[1] == folds[2]
    assert set(folds) == set(range(5))
    assert train.folds_of(gold, keys, 5) == folds


def test_standardise_leaves_symbolic_columns_alone(train):
    x = np.array([[1, 0, 2.0, 5.0], [0, 0, 4.0, 5.0], [1, 1, 6.0, 5.0]], dtype=np.float32)
    mean, scale = train.standardise(x, 2)
    assert list(mean[:2]) == [0, 0] and list(scale[:2]) == [1, 1]
    assert mean[2] == pytest.approx(4.0) and scale[2] == pytest.approx(np.std([2, 4, 6]))
    assert mean[3] == pytest.approx(5.0) and scale[3] == pytest.approx(1e-2)  # constant column: floor


def test_apply_matches_decide_events(train):
    m = tiny_model(retype=0.3)
    events = [{"type": "COERCE", "explain": {"rule": f"{k}:x"}, "sentence": "x"} for k in LOGITS]
    keys = ["d1", "d1", "d2", "d2"]
    out = train.apply(m, events, keys, m.probabilities(events))
    assert {k: [e["type"] for e in v] for k, v in out.items()} == {"d1": ["COERCE"], "d2": ["COERCE", "PROTEST"]}
    assert events[3]["type"] == "COERCE"  # the input is not changed


def test_the_ranker_runs_before_the_document_passes():
    # the dateline's town is the place of an all-domestic event only: a foreign side the
    # ranker finds on the draft takes that reason away before the setting fallback runs,
    # and the rules' countryless side still gets the home country from the passes
    from storyline.actors import extract_actors
    from storyline.annotate import annotate_one
    from storyline.events import extract_events
    from storyline.places import extract_places

    doc = annotate_one("BUSAN, South Korea (AP) — Police in Busan arrested two men on Monday. "
                       "The mayor protested on Tuesday against a decision by Japan.")
    places = extract_places(doc, None)
    actors = extract_actors(doc, places)

    def protest(sides):
        (e,) = [e for e in extract_events(doc, "t", PUB, [], places, list(actors), decide="candidates", sides=sides)
                if e.type == "PROTEST"]
        return e

    rules = protest(False)
    assert rules.location is not None and rules.explain["place_how"] == "document"
    # the rules' countryless source, the mention abroad, and the target the rules left empty
    assert {(m["text"], m["country"], tuple(m["rule"])) for m in rules.explain["mentions"]} == {
        ("mayor", None, ("source",)), ("Japan", "JPN", ()), ("", None, ("target",))}
    ranked = protest(ranker({"target:rel=far": 3.0}, min_score=0.5, margin=0.0))
    assert ranked.target.country == "JPN" and ranked.explain["target_how"] == "ranker:far"
    assert ranked.source.country == "KOR" and ranked.explain["rule_sides"]["source"]["country"] is None
    assert ranked.location is None
