"""Modality classifier, attribution and the ``eval modality`` scorer.

Sentences are made up for these tests (no corpus or benchmark text).
"""
from __future__ import annotations

import datetime as dt

import pytest

from storyline.annotate import annotate_one
from storyline.evaluation import modality as M
from storyline.events import extract_events
from storyline.events.modality import cue_features
from storyline.events.modality_model import default_modality_model
from storyline.models import to_dict

PUB = dt.date(2026, 3, 6)  # a Friday


def code(text: str, published: dt.date | None = PUB, modality: str = "model") -> list[dict]:
    from storyline.actors import extract_actors
    from storyline.places import extract_places
    from storyline.time import extract_timexes

    doc = annotate_one(text)
    places = extract_places(doc, None)
    return [to_dict(e) for e in extract_events(doc, "t", published, extract_timexes(doc, published), places,
                                               extract_actors(doc, places), decide="rules",
                                               modality_decide=modality)]


def the(events: list[dict], type_: str) -> dict:
    hits = [e for e in events if e["type"] == type_]
    assert hits, [(e["type"], e["modality"]) for e in events]
    return hits[0]


def token(text: str, word: str):
    doc = annotate_one(text)
    return next(t for t in doc if t.text == word)


def test_double_negation_is_a_cue():
    f = cue_features(token("Ankara did not rule out sending soldiers to the border.", "sending"), None)
    assert f.get("double_negation") == 1.0
    assert f.get("cue=hypothetical") == 1.0 and "cue=negated" not in f  # the two negations cancel
    g = cue_features(token("Ankara ruled out sending soldiers to the border.", "sending"), None)
    assert "double_negation" not in g


def test_hedges_and_reporting_verbs_are_cues():
    f = cue_features(token("Officials said the rebels allegedly shelled the village.", "shelled"), None)
    assert f.get("cue=reported") == 1.0 and f.get("sent_hedge=reported") == 1.0
    assert not any(k.startswith("reporting_verb") for k in f)  # "X said Y did" is no claim by itself
    f = cue_features(token("Officials claimed the rebels shelled the village.", "shelled"), None)
    assert f.get("reporting_verb=claim") == 1.0


@pytest.mark.skipif(default_modality_model() is None, reason="no trained modality model shipped")
@pytest.mark.parametrize("text,type_,modality", [
    ("Ankara did not rule out sending troops to the border.", "MOBILIZE", "hypothetical"),
    ("The Dutch foreign minister will visit Ghana next week.", "CONSULT", "planned"),
    ("Police arrested forty demonstrators in Lagos on Thursday.", "COERCE", "asserted"),
    ("Chile refused to extradite the former general.", "COOPERATE", "negated"),
])
def test_classifier(text, type_, modality):
    e = the(code(text), type_)
    assert e["modality"] == modality, e["explain"].get("modality_scores")
    assert e["explain"]["modality_rule"] in M.MODALITIES
    assert "modality_cues" not in e["explain"]  # the features do not reach the output


@pytest.mark.skipif(default_modality_model() is None, reason="no trained modality model shipped")
@pytest.mark.parametrize("text,type_,modality", [
    # a meeting held on the day of publication, in the past tense, is no plan
    ("Nordic defence ministers meeting in Oslo on Friday agreed to set up a joint air patrol.", "CONSULT",
     "asserted"),
    # an accusation is an event that happened; what it alleges is another matter
    ("Karelov accused Tallinn of spying on its embassy staff.", "ACCUSE", "asserted"),
    # a plan cue ("decision to") on an event dated before publication, told in the past tense
    ("Tallinn's decision to expel two Russian diplomats earlier this week angered Moscow.", "SANCTION",
     "asserted"),
    # a hedge on the trigger itself
    ("The rebels allegedly executed twelve prisoners near Goma.", "ASSAULT", "reported"),
])
def test_issue_cases(text, type_, modality):
    e = the(code(text), type_)
    assert e["modality"] == modality, (e["explain"].get("modality_rule"), e["explain"].get("modality_scores"))


def test_past_dated_plan_needs_past_tense_and_no_future_modal():
    from storyline.events.modality import past_dated_plan

    past = {"root_tag=VBD": 1.0, "cue_word=planned:to": 1.0}
    assert past_dated_plan(past, "2026-03-02", "2026-03-06")
    assert not past_dated_plan(past, "2026-03-06", "2026-03-06")  # on the day: "ministers meet today to …"
    assert not past_dated_plan(past, "2026-03-09", "2026-03-06")
    assert not past_dated_plan({"root_tag=VBZ": 1.0, "cue_word=planned:to": 1.0}, "2026-03-02", "2026-03-06")
    assert not past_dated_plan({**past, "cue_word=planned:will": 1.0}, "2026-03-02", "2026-03-06")


def test_scope_and_allegation_features():
    f = cue_features(token("The envoy said the air raid is not linked with the probe into the bombings.", "probe"), None)
    assert f.get("scope=negated:argument") == 1.0 and "scope=negated:self" not in f
    f = cue_features(token("Rome did not agree to send warships.", "send"), None)
    assert f.get("scope=negated:clause") == 1.0
    f = cue_features(token("No arrests were made in Lagos.", "arrests"), None)
    assert f.get("scope=negated:self") == 1.0
    f = cue_features(token("Warsaw accused Minsk of jamming the signals.", "jamming"), None)
    assert f.get("under_allegation") == 1.0
    f = cue_features(token("Officials confirmed he is a suspect in the shootings.", "shootings"), None)
    assert f.get("under_allegation") == 1.0
    f = cue_features(token("Police arrested the suspect in Lagos.", "arrested"), None)
    assert "under_allegation" not in f


@pytest.mark.parametrize("text,word,rule", [
    ("No ceasefire was agreed at the talks in Doha.", "agreed", "negated"),  # a participant that is no one
    ("Nobody was arrested in Lagos.", "arrested", "negated"),
    ("Police arrested two men in Lagos.", "arrested", "asserted"),
    # a negation word on a head the trigger is a noun argument of does not negate the event
    ("There was no reply from Lima to the request.", "request", "asserted"),
    ("The envoy said the air raid is not linked with the probe into the bombings.", "probe", "asserted"),
    ("The police made no arrests.", "arrests", "negated"),
    ("Jakarta probably sent the frigates.", "sent", "hypothetical"),
    ("A potential strike by dock workers worries the port.", "strike", "hypothetical"),
    # a denial of a clause is a contested claim (the guide: reported); a denied request a refusal
    ("Lima denied that its troops had shelled the border post.", "shelled", "reported"),
    ("Lima denied shelling the border post.", "shelling", "reported"),
    ("Lima did not deny that its troops had shelled the border post.", "shelled", "reported"),
    ("Quito denied entry to the Peruvian delegation.", "entry", "negated"),
    # the other side contests the claim in the same sentence
    ("Quito said Peruvian troops shelled a border post, which Lima denied.", "shelled", "reported"),
    ("Quito says Peruvian troops shelled a border post, but Lima rejects the claim.", "shelled", "reported"),
    ("Police said they arrested 30 protesters and denied using force.", "arrested", "asserted"),
    # a predicate adjective; a question is no announcement
    ("Sanctions against Lima remain possible, the ministry said.", "Sanctions", "hypothetical"),
    ("Would Quito expel the Peruvian envoy?", "expel", "hypothetical"),
])
def test_rule_negation_scope_and_hedges(text, word, rule):
    from storyline.events.modality import modality

    assert modality(token(text, word), None)[0] == rule


def test_rules_alone_keep_their_answer():
    e = the(code("Ankara ruled out sending troops to the border.", modality="rules"), "MOBILIZE")
    assert e["modality"] == "negated" and "modality_scores" not in e["explain"]


def test_attribution_names_the_speaker_not_the_actor():
    e = the(code("Estonia expelled two Russian diplomats, the Interfax agency reported."), "SANCTION")
    assert "Interfax" in (e["attribution"] or "")
    # a passive "were reported" has no speaker
    e = the(code("Twelve soldiers were reported killed in clashes with rebels in Mali."), "ASSAULT")
    assert e["attribution"] is None
    # the speaker is the source: the speech act names who, no third party to attribute to
    e = the(code("The Kenyan police said they arrested 30 smugglers."), "COERCE")
    assert e["attribution"] is None
    # … but a denial keeps its speaker, who is also the side that denies
    e = the(code("The rebels denied that they attacked the convoy near Gao."), "ASSAULT")
    assert e["modality"] != "asserted" and "rebels" in (e["attribution"] or "").lower()


def test_nested_report_attributes_the_inner_claim():
    e = the(code("The ministry said Hungarian officials claimed that Serbian police had arrested two reporters."),
            "COERCE")
    assert "official" in (e["attribution"] or "").lower()


def test_a_quotation_over_several_sentences_names_its_speaker():
    from storyline.events.modality import attribution_token

    for text in ('"We are back in Geneva. We will resume the negotiations with Lima," the envoy said on Monday.',
                 'The envoy said on Monday: "We are back in Geneva. We will resume the negotiations with Lima."',
                 '\u201cWe are back in Geneva. We will resume the negotiations with Lima,\u201d said the envoy.'):
        assert attribution_token(token(text, "negotiations")).text == "envoy", text
    # outside the quotation the next sentence's speaker is not this event's
    assert attribution_token(token('Police detained two men. "It was a long day," the envoy said.', "detained")) is None
    e = the(code('"Rebels shelled the village of Kaga overnight. Twelve people died," a Malian police spokesman said.'),
            "ASSAULT")
    assert "spokesman" in (e["attribution"] or "").lower() or "spokesman" in (e["explain"].get("attribution_text") or "")


def test_the_person_quoted_is_the_speaker_not_the_medium():
    from storyline.events.modality import attribution_token

    for text in ("A senior police officer was quoted by local media as saying that the rebels attacked the convoy.",
                 "The Daily Star quoted a senior police officer as saying the rebels attacked the convoy."):
        assert attribution_token(token(text, "attacked")).text == "officer", text


def test_the_inner_report_names_the_source():
    from storyline.events.modality import attribution_token

    # "X said …, Z reported": Z relays X; the parse may hang the event on "reported"
    text = "Police said the suspect surrendered after long negotiations, the local broadcaster reported."
    assert attribution_token(token(text, "surrendered")).text == "Police"
    assert attribution_token(token("Experts believe the army shelled the village.", "shelled")).text == "Experts"
    # "I think" inside a quotation: the quotation's speaker
    text = '"The attack, which I think was planned in Minsk, hit a school," the minister said.'
    assert attribution_token(token(text, "planned")).text == "minister"


def test_a_resumed_quotation_keeps_its_speaker():
    from storyline.events.modality import attribution_token

    text = '"We are back in Geneva," the envoy said. "We will resume the negotiations with Lima."'
    assert attribution_token(token(text, "negotiations")).text == "envoy"
    text = '"We are back in Geneva." Police detained two men. "We will resume the negotiations with Lima."'
    assert attribution_token(token(text, "negotiations")) is None


def test_a_plan_keeps_its_speaker_and_a_title_its_name():
    e = the(code("Norway said it would expel two Russian diplomats."), "SANCTION")
    assert e["modality"] == "planned" and e["attribution"] == "Norway"  # the guide asks who announced a plan
    e = the(code("Spokeswoman for the State Department Jane Miller said Norway will expel two Russian diplomats."),
            "SANCTION")
    assert "Jane Miller" in (e["attribution"] or "")


def test_a_claim_in_a_relative_clause_names_its_speaker():
    from storyline.events.modality import attribution_token

    assert attribution_token(token("The envoy was hurt in a drone attack that Warsaw has blamed on Minsk.",
                                   "attack")).text == "Warsaw"
    assert attribution_token(token("The shelling, denied by Kyiv, hit a school in Sumy.", "shelling")).text == "Kyiv"
    assert attribution_token(token("The attack that killed four soldiers was condemned.", "attack")) is None


# ---------------------------------------------------------------- the scorer

GOLD = {"docs": {"d": {"text": "x"}}, "events": [
    {"id": "g1", "doc": "d", "types": ["COERCE"], "evidence": "police arrested two men on Monday",
     "modality": ["asserted"], "attribution": None},
    {"id": "g2", "doc": "d", "types": ["CONSULT"], "evidence": "the ministers will meet in Oslo",
     "modality": ["planned", "hypothetical"], "attribution": "the ministry"},
    {"id": "g3", "doc": "d", "types": ["ASSAULT"], "evidence": "rebels shelled the town overnight",
     "modality": ["reported"], "attribution": None},
]}


def ev(type_, sentence, modality, attribution=None, text=None):
    return {"type": type_, "sentence": sentence, "modality": modality, "attribution": attribution,
            "explain": {"attribution_text": text}, "start": 0}


def test_score_multilabel_missed_and_invented():
    events = {"d": [
        ev("COERCE", "The police arrested two men on Monday, the mayor said.", "asserted", "Mayor", "the mayor"),
        ev("CONSULT", "Officials said the ministers will meet in Oslo.", "hypothetical", "Foreign Ministry",
           "the foreign ministry"),
        ev("PROTEST", "Farmers marched on the capital.", "asserted"),
    ]}
    m = M.score(events, GOLD)
    # g2: hypothetical is the second accepted reading, so right, and counted as hypothetical
    assert m["matched"]["n"] == 2 and m["matched"]["accuracy"] == 1.0
    assert m["matched"]["per_class"]["hypothetical"]["recall"] == 1.0
    # end to end, the missed g3 is a wrong "reported", the spurious protest a wrong "asserted"
    assert m["end_to_end"]["per_class"]["reported"]["recall"] == 0.0
    assert m["end_to_end"]["per_class"]["asserted"]["precision"] == 0.5
    assert m["spurious_events"] == 1
    assert m["attribution"]["accuracy"] == 1.0
    # the guide asks for no speaker of asserted news, so the mayor on g1 is not invented
    assert m["attribution"]["unattributed"] == 0 and m["attribution"]["speaker_on_asserted"] == 1.0


def test_a_speaker_on_an_unattributed_claim_is_invented():
    events = {"d": [ev("ASSAULT", "Officials said rebels shelled the town overnight.", "reported", "Officials",
                       "officials"),
                    ev("COERCE", "The police arrested two men on Monday.", "asserted")]}
    m = M.score(events, GOLD)
    a = m["attribution"]
    assert (a["unattributed"], a["invented_n"], a["invented"]) == (1, 1, 1.0)  # g3: a claim nobody was named for
    assert (a["asserted_unattributed"], a["speaker_on_asserted"]) == (1, 0.0)


@pytest.mark.parametrize("attrs,cls", [
    ({"polarity": "NEG", "certainty": "CERTAIN", "time": "NON_FUTURE", "special_cases": "NONE"}, "negated"),
    ({"polarity": "POS", "certainty": "POSSIBLE", "time": "FUTURE", "special_cases": "NONE"}, "hypothetical"),
    ({"polarity": "POS", "certainty": "CERTAIN", "time": "FUTURE", "special_cases": "NONE"}, "planned"),
    ({"polarity": "POS", "certainty": "CERTAIN", "time": "NON_FUTURE", "special_cases": "COND_IF_CLAUSE"},
     "hypothetical"),
    ({"polarity": "POS", "certainty": "CERTAIN", "time": "NON_FUTURE", "special_cases": "NONE"}, "asserted"),
    ({"polarity": "POS", "certainty": "CERTAIN", "time": "NON_FUTURE", "special_cases": "GEN"}, None),
    ({"polarity": "UNDERSPECIFIED", "certainty": "CERTAIN", "time": "NON_FUTURE", "special_cases": "NONE"}, None),
])
def test_meantime_mapping(attrs, cls):
    assert M.meantime_class(attrs) == cls


def test_eval_modality_needs_the_corpus(tmp_path):
    from storyline.errors import CorpusError

    with pytest.raises(CorpusError):
        M.run([str(tmp_path), str(tmp_path)])
