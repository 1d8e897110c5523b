"""The ECB+ link evaluation: document reading and the scores (the full run is in `make bench`)."""
from __future__ import annotations

from pathlib import Path

from storyline.evaluation.link import _bcubed, _document, _pairwise

FIXTURE = Path(__file__).parent / "fixtures" / "ecbplus" / "1_1ecb.xml"


def test_document_text_mentions_and_chains():
    text, mentions, chains = _document(FIXTURE, validated={1})
    assert text == "Navy sinks pirate ship\n\nThe navy sank the vessel, officials said."
    # only ACTION mentions of validated sentences (sentence 1), with their character spans
    assert sorted(mentions) == ["21", "22"]
    assert text[slice(*mentions["21"])] == "sank" and text[slice(*mentions["22"])] == "said"
    assert chains["20"] == chains["21"] == "ACT_SINK" and "22" not in chains


def test_pairwise_and_bcubed():
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    perfect = _pairwise(gold, gold, list(gold))
    assert perfect["precision"] == perfect["recall"] == 1.0 and perfect["pairs_gold"] == 2
    lumped = {k: 0 for k in gold}
    assert _pairwise(lumped, gold, list(gold)) == {"precision": round(2 / 6, 3), "recall": 1.0, "f1": 0.5,
                                                   "pairs_gold": 2, "pairs_pred": 6}
    b3 = _bcubed(lumped, gold, list(gold))
    assert b3["recall"] == 1.0 and b3["precision"] == 0.5
