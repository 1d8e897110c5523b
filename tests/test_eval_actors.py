"""eval actors on the event corpus: side scoring of type-matched pairs (made-up gold and events)."""
from storyline.evaluation.actors import score_pairs, span_hit

GOLD = {"docs": {"d1": {"text": "x"}}, "events": [
    {"id": "d1-E1", "doc": "d1", "types": ["ACCUSE"], "evidence": "The UN Security Council condemned Norway",
     "source": ["UN"], "source_text": "The UN Security Council", "target": ["NOR"], "target_text": "Norway"},
    {"id": "d1-E2", "doc": "d1", "types": ["PROTEST"], "evidence": "Farmers marched in the capital",
     "source": ["FRA"], "source_text": "Farmers"},
]}


def _ev(type_, sentence, source, target=None):
    return {"type": type_, "sentence": sentence, "source": source, "target": target}


def test_span_hit_nests_names_and_heads_in_gold_phrases():
    assert span_hit({"text": "Security Council"}, "The UN Security Council") == (True, False)
    assert span_hit({"text": "the UN Security Council"}, "The UN Security Council") == (True, True)
    assert span_hit({"text": "he", "name": "Jan Kowalski"}, "Kowalski") == (True, False)
    assert span_hit({"text": "Council"}, "the Councillor") == (False, False)


def test_score_pairs_counts_countries_spans_and_igos():
    events = {"d1": [
        _ev("ACCUSE", "The UN Security Council condemned Norway on Monday.",
            {"text": "Security Council", "country": "UN"}, {"text": "Norway", "country": "SWE"}),
        _ev("PROTEST", "Farmers marched in the capital.", {"text": "Farmers", "country": None}),
        _ev("AID", "Farmers marched in the capital.", {"text": "Farmers", "country": "FRA"}),  # no gold of the type
    ]}
    m = score_pairs(events, GOLD)
    assert m["typed_pairs"] == 2
    assert (m["source_country"], m["source_sides"]) == (0.5, 2)
    assert (m["target_country"], m["target_sides"]) == (0.0, 1)
    assert (m["igo_recall"], m["igo_sides"], m["igo_precision"]) == (1.0, 1, 1.0)
    assert m["span_recall"] == 1.0 and m["span_precision"] == 1.0


def test_former_states_are_not_igos():
    from storyline.evaluation.actors import _is_igo

    assert _is_igo("NATO") and _is_igo("UN") and _is_igo("COE")
    assert not _is_igo("YUG") and not _is_igo("SUN") and not _is_igo("FRA")
