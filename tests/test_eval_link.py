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


def test_conll_metrics_follow_the_reference_definitions():
    """The worked example of Pradhan et al. (2014), with system mentions (h and i are not in
    the key, e is not in the response): MUC 0.4 / 0.4, B³ R 35/84 P 0.5, CEAF-e R 0.65 P 1.3/3."""
    from storyline.evaluation.conll import bcubed, ceafe, conll, muc

    key = {m: "1" for m in "abc"} | {m: "2" for m in "defg"}
    response = {"a": "x", "b": "x", "c": "y", "d": "y"} | {m: "z" for m in "fghi"}
    assert (round(muc(key, response)["recall"], 4), round(muc(key, response)["precision"], 4)) == (0.4, 0.4)
    b3 = bcubed(key, response)
    assert abs(b3["recall"] - 35 / 84) < 1e-9 and abs(b3["precision"] - 0.5) < 1e-9
    ce = ceafe(key, response)
    assert abs(ce["recall"] - 0.65) < 1e-9 and abs(ce["precision"] - 1.3 / 3) < 1e-9
    perfect = conll(key, key)
    assert perfect["conll_f1"] == 1.0 and perfect["muc"]["f1"] == 1.0
    singletons = conll(key, {m: m for m in key})
    assert singletons["muc"]["f1"] == 0.0 and singletons["bcubed"]["precision"] == 1.0


def test_conll_key_reader(tmp_path):
    from storyline.errors import CorpusError
    from storyline.evaluation.conll import read_key

    path = tmp_path / "k.keyfile"
    path.write_text("#begin document (evt);\nevt\t0\t0\t1_1ecb.xml_3\t(0)\nevt\t0\t1\t1_2ecb.xml_7\t(0)\n"
                    "evt\t0\t2\t1_2ecb.xml_9\t(1)\n#end document\n", encoding="utf-8")
    assert read_key(path) == {"1_1ecb.xml_3": "0", "1_2ecb.xml_7": "0", "1_2ecb.xml_9": "1"}
    path.write_text("evt\t0\t0\t1_1ecb.xml_3\t-\n", encoding="utf-8")
    try:
        read_key(path)
    except CorpusError as exc:
        assert "k.keyfile:1" in str(exc)
    else:
        raise AssertionError("a line without a cluster must be refused")


def test_text_forms_keep_the_tokens_and_mention_spans():
    from storyline.evaluation.link import TEXT_FORMS, _read_document, reform

    texts = {}
    for form in TEXT_FORMS:
        text, mentions, _, _ = _read_document(FIXTURE, {1}, form)
        texts[form] = text
        assert [text[a:b] for a, b in mentions.values()] == [texts["tokens"][a:b] for a, b in
                                                            _read_document(FIXTURE, {1})[1].values()]
    assert " ".join(texts["wrapped"].split()) == " ".join(texts["typeset"].split())
    said = 'He said "we don\'t agree" and Russia\'s envoy left.'
    assert reform(said, "spaced") == 'He said " we do n\'t agree " and Russia \'s envoy left.'
    assert reform(said, "typeset") == "He said “we don’t agree” and Russia’s envoy left."


def test_the_same_reports_in_other_text_forms_give_the_same_stories():
    """Spacing of quotes and contractions, curly quotes and hard line breaks: the whole pipeline
    gives the same stories (tests/fixtures/stories-forms, made up). Which events and sides the
    earlier stages find can differ with the form (docs/LINK.md); linking alone is checked in
    tests/test_link.py."""
    from storyline.evaluation.link import run_fixture

    folder = Path(__file__).parent / "fixtures" / "stories-forms"
    base = run_fixture(folder, "tokens")["partition"]["stories"]
    assert len(base) >= 3
    for form in ("spaced", "typeset", "wrapped"):
        assert run_fixture(folder, form)["partition"]["stories"] == base, form
