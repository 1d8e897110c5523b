"""The annotated event corpus (storyline.evaluation.corpus, scripts/corpus_build.py).

Every text here is made up for these tests (no benchmark corpus text). Tests that rebuild
real corpus texts need ``../shared/bench`` and skip with a reason when it is absent; the
others swap ``load_text`` for a dictionary of fixture texts.
"""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.evaluation import corpus as C

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench"
TBAQ = BENCH / "temporal" / "TBAQ-cleaned"
needs_bench = pytest.mark.skipif(not TBAQ.is_dir(), reason=f"benchmark folder absent: {BENCH}")

TEXT = ("Ruritania closed its northern border on Monday. "
        "The army shelled the border village of Osterberg, killing seven villagers. "
        "Later the defence minister met the Freedonian envoy in Vienna. "
        "Students marched in the old town.")


def event(**over) -> dict:
    ev = {"evidence": "The army shelled the border village of Osterberg", "trigger": "shelled",
          "types": ["ASSAULT"], "mode": "explosives",
          "source_text": "The army", "source": ["RUR"], "source_agent": "MIL",
          "target_text": "the border village", "target": ["RUR"], "target_agent": "CVL",
          "date": ["2026-03-02", "2026-03-02"], "date_text": "on Monday",
          "place_text": "Osterberg", "near": [47.1, 9.5, 50],
          "modality": ["asserted"], "attribution": None, "quantity": 7,
          "what": "The army shells a village"}
    ev.update(over)
    return ev


@pytest.fixture
def texts(monkeypatch):
    """``load_text`` reads fixture texts: corpus id ``fixture:<name>``."""
    store: dict[str, str] = {}

    def load_text(corpus_id, bench):
        kind, _, name = corpus_id.partition(":")
        if kind != "fixture" or name not in store:
            raise C.CorpusError(f"{corpus_id}: not a fixture")
        return store[name], None

    monkeypatch.setattr(C, "load_text", load_text)
    return store


# ---------------------------------------------------------------- ids, keys, splits


def test_split_for_is_stable_and_roughly_60_15_25():
    assert C.split_for("tbaq:AQUAINT/X.tml") == C.split_for("tbaq:AQUAINT/X.tml")
    counts = Counter(C.split_for(f"group-{i}") for i in range(6000))
    assert set(counts) == set(C.SPLITS)
    share = {k: v / 6000 for k, v in counts.items()}
    assert abs(share["train"] - 0.60) < 0.03
    assert abs(share["dev"] - 0.15) < 0.03
    assert abs(share["test"] - 0.25) < 0.03


def test_frozen_splits_in_docs_jsonl_follow_split_for():
    """The committed split of every article is the one its group hashes to (nothing moved)."""
    docs = C.read_docs(ROOT / "corpus" / "docs.jsonl")
    assert len(docs) > 100
    wrong = [d["key"] for d in docs if C.split_for(C.group_of(d["corpus_id"])) != d["split"]]
    assert wrong == []
    assert [d["key"] for d in docs if C.key_for(d["corpus_id"]) != d["key"]] == []


def test_ecb_files_of_one_topic_share_a_group_and_split():
    a, b, c = "ecb:12_3ecb.xml", "ecb:12_7ecbplus.xml", "ecb:13_3ecb.xml"
    assert C.group_of(a) == C.group_of(b) == "ecb-topic-12"
    assert C.group_of(c) == "ecb-topic-13"
    for topic in range(1, 36):
        files = [f"ecb:{topic}_{n}ecb{plus}.xml" for n in range(1, 8) for plus in ("", "plus")]
        assert len({C.split_for(C.group_of(f)) for f in files}) == 1
    # any other article is its own group
    assert C.group_of("gwn:42.txt") == "gwn:42.txt"
    assert C.group_of("tbaq:TimeBank/ABC1.tml") != C.group_of("tbaq:TimeBank/ABC2.tml")


@pytest.mark.parametrize("cid,key", [
    ("tbaq:AQUAINT/APW20000101.0001.tml", "tb-APW20000101.0001"),
    ("gwn:17", "gwn-17"),
    ("ecb:4_2ecbplus.xml", "ecb-4_2ecbplus"),
    ("meantime:english/meantime_newsreader_english_oct15/12345_Some_title.xml", "mt-12345"),
    ("ngec:0123abcd4567", "ngec-0123abcd4567"),
    ("gwn:a b/c?d", "gwn-c_d"),
])
def test_key_for(cid, key):
    assert C.key_for(cid) == key


def test_load_text_unknown_kind_is_a_corpus_error(tmp_path):
    with pytest.raises(C.CorpusError, match="unknown corpus kind"):
        C.load_text("nosuch:thing", tmp_path)
    with pytest.raises(C.CorpusError):
        C.load_text("tbaq:AQUAINT/missing.tml", tmp_path)


def test_url_day():
    assert str(C.url_day("https://news.example/2019/03/07/story.html")) == "2019-03-07"
    assert C.url_day("https://news.example/2019/02/30/story") is None
    assert C.url_day("https://news.example/story") is None


# ---------------------------------------------------------------- find_span, validation


def test_find_span_whitespace_tolerant_and_nearest():
    text = "Talks began.  The envoy\nmet the minister. Later the envoy met the minister again."
    s = C.find_span(text, "The envoy met the minister")
    assert s is not None and text[s[0]:s[1]] == "The envoy\nmet the minister"
    first = C.find_span(text, "envoy met")
    last = C.find_span(text, "envoy met", near=len(text))
    assert first[0] < last[0]
    assert text[last[0]:last[1]] == "envoy met"
    assert C.find_span(text, "envoy met", near=45) == last  # 45 is nearer the second one
    assert C.find_span(text, "the envoy resigned") is None
    assert C.find_span(text, "") is None


def test_validate_event_accepts_a_good_event():
    assert C.validate_event(event(), TEXT) == []
    # whitespace differences and case in the trigger are tolerated
    assert C.validate_event(event(evidence="The army  shelled the border\nvillage of Osterberg",
                                  trigger="Shelled"), TEXT) == []


@pytest.mark.parametrize("over,problem", [
    ({"evidence": "The navy shelled the border village of Osterberg"}, "evidence not found verbatim"),
    ({"trigger": "killing"}, "not inside evidence"),
    ({"trigger": None}, "not inside evidence"),
    ({"types": ["ATTACK"]}, "bad types"),
    ({"types": []}, "bad types"),
    ({"modality": ["certain"]}, "bad modality"),
    ({"source": ["rur"]}, "bad source codes"),
    ({"target": "RUR"}, "bad target codes"),
    ({"actors": ["RUR", "TOOLONGCODE"]}, "bad actors codes"),
    ({"source_agent": "ARMY"}, "bad source_agent"),
    ({"target_text": "the fishing village"}, "target_text not found verbatim"),
    ({"date": ["2026-03-05", "2026-03-02"]}, "date range reversed"),
    ({"date": ["2026-02-30", "2026-03-02"]}, "bad date"),
    ({"near": [147.1, 9.5, 50]}, "bad near"),
    ({"near": [47.1, 9.5, 0]}, "bad near"),
    ({"quantity": "seven"}, "quantity must be an integer"),
    ({"also": ["the army shelled Osterberg"]}, "also-evidence not found"),
    ({"evidence": "Students marched", "trigger": "marched"}, "evidence has 2 words"),
])
def test_validate_event_names_each_problem(over, problem):
    errs = C.validate_event(event(**over), TEXT)
    assert len(errs) == 1, errs
    assert problem in errs[0]


def test_validate_doc(texts):
    texts["one"] = TEXT
    docs = {"fx-one": {"key": "fx-one", "corpus_id": "fixture:one", "split": "dev"}}
    assert C.validate_doc({"key": "fx-one", "events": [event()]}, docs, "nobench") == []
    errs = C.validate_doc({"key": "fx-one", "events": [event(), event(types=["WAR"])]}, docs, "nobench")
    assert errs == ["event 2: bad types ['WAR']"]
    assert C.validate_doc({"key": "fx-nine", "events": []}, docs, "nobench") == ["unknown key 'fx-nine'"]
    assert C.validate_doc({"key": None, "_error": "not JSON: x"}, docs, "nobench") == ["not JSON: x"]


def test_read_annotations_reports_broken_lines(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"key": "fx-one", "events": []}\n\n{not json\n', encoding="utf-8")
    rows = list(C.read_annotations(f))
    assert [n for n, _ in rows] == [1, 3]
    assert rows[0][1]["key"] == "fx-one"
    assert rows[1][1]["key"] is None and rows[1][1]["_error"].startswith("not JSON")


# ---------------------------------------------------------------- gold


def test_gold_event_offsets_and_fields():
    g = C.gold_event(event(attribution=None, also=[]), "fx-one", 3, TEXT)
    assert g["id"] == "fx-one-E3" and g["doc"] == "fx-one"
    s, e = g["evidence_span"]
    assert TEXT[s:e] == "The army shelled the border village of Osterberg"
    assert TEXT[slice(*g["trigger_span"])] == "shelled"
    assert TEXT[slice(*g["source_span"])] == "The army"
    assert TEXT[slice(*g["place_span"])] == "Osterberg"
    assert g["quantity"] == 7 and g["source"] == ["RUR"] and g["mode"] == "explosives"
    # empty or null fields are left out of the gold, so the scorer does not demand them
    assert "attribution" not in g and "also" not in g
    g2 = C.gold_event(event(source=None, date=None, quantity=None), "fx-one", 1, TEXT)
    assert "source" not in g2 and "date" not in g2 and "quantity" not in g2


def test_gold_event_trigger_span_lies_inside_evidence():
    text = "Dozens were arrested last year. Police in Ruritania later arrested forty protesters."
    ev = event(evidence="Police in Ruritania later arrested forty protesters", trigger="arrested",
               source_text=None, target_text=None, place_text=None, date_text=None)
    g = C.gold_event(ev, "k", 1, text)
    (es, ee), (ts, te) = g["evidence_span"], g["trigger_span"]
    assert es <= ts < te <= ee


def test_build_gold_filters_split_and_invalid_events(texts):
    texts["one"], texts["two"] = TEXT, "Police in Ruritania arrested forty protesters on Monday."
    docs = {"fx-one": {"key": "fx-one", "corpus_id": "fixture:one", "split": "dev",
                       "given_published": "2026-03-03"},
            "fx-two": {"key": "fx-two", "corpus_id": "fixture:two", "split": "test"}}
    annotated = {"fx-one": {"key": "fx-one", "events": [event(), event(types=["WAR"]),
                                                         event(evidence="Students marched in the old town",
                                                               trigger="marched", types=["PROTEST"],
                                                               mode="demo", source_text=None, target_text=None,
                                                               place_text="the old town", near=None)]},
                 "fx-two": {"key": "fx-two", "events": [event()]},
                 "fx-gone": {"key": "fx-gone", "events": [event()]}}
    gold = C.build_gold(docs, annotated, "nobench", "dev")
    assert list(gold["docs"]) == ["fx-one"]
    assert gold["docs"]["fx-one"] == {"source": "fixture:one", "text": TEXT, "split": "dev",
                                      "given_published": "2026-03-03"}
    # the invalid second event is left out, and numbering keeps the annotation's order
    assert [g["id"] for g in gold["events"]] == ["fx-one-E1", "fx-one-E3"]
    assert len(C.build_gold(docs, annotated, "nobench", None)["docs"]) == 2


# ---------------------------------------------------------------- scoring


SENT = "German police arrested forty protesters in Berlin on Monday."


def emitted(type_="COERCE", sentence=SENT, src="DEU", tgt="DEU", modality="asserted") -> dict:
    return {"type": type_, "sentence": sentence, "modality": modality,
            "source": {"text": "German police", "country": src} if src else None,
            "target": {"text": "forty protesters", "country": tgt} if tgt else None,
            "date": "2026-03-02", "date_end": None, "date_precision": "day", "location": None,
            "quantities": [{"text": "forty protesters", "value": 40}]}


def one_doc_gold(**over) -> dict:
    g = {"id": "fx-E1", "doc": "fx", "evidence": "police arrested forty protesters in Berlin",
         "types": ["COERCE"], "source": ["DEU"], "target": ["DEU"], "modality": ["asserted"]}
    g.update(over)
    return {"docs": {"fx": {"text": "A march ended. " + SENT}}, "events": [g]}


def test_on_containment_and_word_share():
    assert C.on("Officials said “the talks failed” on Friday.", 'said "the talks failed"')
    assert C.on("The  minister MET the envoy.", "minister met the envoy")
    # 3 of 4 evidence words in the sentence: on; 2 of 4: not
    assert C.on("The envoy met officials.", "envoy met the minister")
    assert not C.on("The envoy left.", "envoy met the minister")
    assert not C.on("anything", "")


def test_score_events_type_hit_needs_right_type_on_the_evidence_sentence():
    m = C.score_events({"fx": [emitted(), emitted(type_="ASSAULT")]}, one_doc_gold())
    assert (m["events_out"], m["gold_events"]) == (2, 1)
    assert m["type_precision"] == 0.5 and m["type_recall"] == 1.0
    assert m["full_precision"] == 0.5 and m["full_recall"] == 1.0
    assert m["full_f1"] == round(2 * 0.5 / 1.5, 4)
    # the right type on another sentence is no hit
    m = C.score_events({"fx": [emitted(sentence="A march ended.")]}, one_doc_gold())
    assert m["type_precision"] == 0.0 and m["type_recall"] == 0.0 and m["typed_pairs"] == 0


def test_score_events_full_match_needs_the_countries():
    m = C.score_events({"fx": [emitted(tgt=None)]}, one_doc_gold())
    assert m["type_f1"] == 1.0
    assert m["full_f1"] == 0.0
    assert m["field_agreement"] == {"target": 0.0}
    m = C.score_events({"fx": [emitted(src="FRA")]}, one_doc_gold())
    assert m["full_f1"] == 0.0 and m["field_agreement"] == {"source": 0.0}
    # a symmetric event: every code of ``actors`` must be on one side
    sym = one_doc_gold(actors=["DEU", "POL"])
    for k in ("source", "target"):
        del sym["events"][0][k]
    assert C.score_events({"fx": [emitted(tgt="POL")]}, sym)["full_f1"] == 1.0
    assert C.score_events({"fx": [emitted(src="POL", tgt="DEU")]}, sym)["full_f1"] == 1.0
    assert C.score_events({"fx": [emitted()]}, sym)["full_f1"] == 0.0
    # quantity and modality are checked too
    assert C.score_events({"fx": [emitted()]}, one_doc_gold(quantity=40))["full_f1"] == 1.0
    assert C.score_events({"fx": [emitted()]}, one_doc_gold(quantity=41))["full_f1"] == 0.0
    assert C.score_events({"fx": [emitted(modality="planned")]}, one_doc_gold())["full_f1"] == 0.0


def test_score_events_ignores_documents_outside_the_gold():
    m = C.score_events({"fx": [emitted()], "other": [emitted(), emitted()]}, one_doc_gold())
    assert m["events_out"] == 1 and m["full_f1"] == 1.0
    m = C.score_events({}, one_doc_gold())
    assert m["events_out"] == 0 and m["type_recall"] == 0.0 and m["full_f1"] == 0.0


# ---------------------------------------------------------------- agreement


def test_agreement_on_two_small_annotations(texts):
    texts["one"] = TEXT
    docs = {"fx-one": {"key": "fx-one", "corpus_id": "fixture:one"},
            "fx-solo": {"key": "fx-solo", "corpus_id": "fixture:none"}}
    first = {"fx-one": {"events": [
        event(),
        event(evidence="the defence minister met the Freedonian envoy in Vienna", trigger="met",
              types=["CONSULT"], source=["RUR"], target=["FRE"], date=None, near=[48.21, 16.37, 50],
              quantity=None),
        event(evidence="Students marched in the old town", trigger="marched", types=["PROTEST"],
              date=None, near=None, quantity=None)]},
        "fx-solo": {"events": [event()]}}  # only one annotator: not compared
    second = {"fx-one": {"events": [
        event(evidence="army shelled the border village of Osterberg, killing seven villagers",
              source=["RUR"], quantity=7),
        event(evidence="defence minister met the Freedonian envoy", trigger="met", types=["AGREE"],
              source=["XYZ"], target=["FRE"], date=None, near=[47.1, 9.5, 50], quantity=None)]}}
    a = C.agreement(first, second, docs, "nobench")
    assert (a["articles"], a["events_first"], a["events_second"]) == (1, 3, 2)
    # 2 events found: precision 2/2, recall 2/3; typed: 1/2 and 1/3
    assert a["event_f1"] == 0.8
    assert a["typed_event_f1"] == 0.4
    f = a["fields"]
    assert f["type"] == {"agree": 0.5, "pairs": 2}
    assert f["source"] == {"agree": 0.5, "pairs": 2}
    assert f["target"] == {"agree": 1.0, "pairs": 2}
    assert f["date"] == {"agree": 1.0, "pairs": 1}
    assert f["place"] == {"agree": 0.5, "pairs": 2}  # the minister's meeting: Vienna against Osterberg
    assert f["quantity"] == {"agree": 1.0, "pairs": 1}
    assert f["modality"] == {"agree": 1.0, "pairs": 2}


def test_agreement_pairs_each_second_event_once(texts):
    texts["one"] = TEXT
    docs = {"fx-one": {"key": "fx-one", "corpus_id": "fixture:one"}}
    first = {"fx-one": {"events": [event(), event(evidence="army shelled the border village")]}}
    second = {"fx-one": {"events": [event()]}}
    a = C.agreement(first, second, docs, "nobench")
    assert a["event_f1"] == round(2 * 1 * 0.5 / 1.5, 4)


# ---------------------------------------------------------------- storyline eval corpus


def _write_corpus(folder: Path) -> None:
    (folder / "annotations").mkdir(parents=True)
    docs = [{"key": "fx-arrest", "corpus_id": "fixture:arrest", "split": "dev", "given_published": "2026-03-03"},
            {"key": "fx-other", "corpus_id": "fixture:other", "split": "test", "given_published": None}]
    (folder / "docs.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    rows = [{"key": "fx-arrest", "annotator": "T", "events": [{
        "evidence": "German police arrested forty protesters in Berlin", "trigger": "arrested",
        "types": ["COERCE"], "mode": "arrest", "source_text": "German police", "source": ["DEU"],
        "source_agent": "POL", "target_text": "forty protesters", "target": ["DEU"], "target_agent": "CVL",
        "date": ["2026-03-02", "2026-03-02"], "date_text": "on Monday", "place_text": "Berlin",
        "near": [52.52, 13.4, 50], "modality": ["asserted"], "attribution": None, "quantity": 40,
        "what": "Police arrest protesters"}]},
        {"key": "fx-other", "annotator": "T", "events": []},
        {"key": "fx-unlisted", "annotator": "T", "events": []}]
    (folder / "annotations" / "t.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.mark.parametrize("decider", ["model", "rules"])
def test_cli_eval_corpus_scores_a_fixture_corpus(texts, tmp_path, decider):
    from storyline.cli import cli

    texts["arrest"] = "Police ended a sit-in. " + SENT
    texts["other"] = "The bakery sold bread on Tuesday."
    _write_corpus(tmp_path / "corpus")
    res = CliRunner().invoke(cli, ["eval", "corpus", str(tmp_path / "corpus"), str(tmp_path / "nobench"),
                                   "--split", "dev", "--decider", decider])
    assert res.exit_code == 0, res.output
    m = json.loads(res.output.strip().splitlines()[-1])
    assert m["task"] == "corpus" and m["split"] == "dev" and m["decider"] == decider
    assert m["headline"] == "full_f1"
    assert (m["docs"], m["gold_events"]) == (1, 1)
    assert m["type_recall"] == 1.0
    assert m["full_recall"] == 1.0
    assert m["full_f1"] > 0.5


def test_run_needs_two_paths():
    with pytest.raises(C.CorpusError, match="two paths"):
        C.run(["corpus"])


def test_cli_eval_corpus_names_a_missing_corpus_without_a_traceback(tmp_path):
    from storyline.cli import cli

    res = CliRunner().invoke(cli, ["eval", "corpus", str(tmp_path / "nowhere"), str(tmp_path)])
    assert res.exit_code == 2
    assert "error:" in res.output and "nowhere" in res.output and "docs.jsonl" in res.output
    assert "Traceback" not in res.output


# ---------------------------------------------------------------- scripts/corpus_build.py --check


def _check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "corpus_build.py"), *args],
                          capture_output=True, text=True, timeout=60)


def test_corpus_build_check_fails_on_a_bad_file_without_the_bench(tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"key": "no-such-article", "annotator": "T", "events": []}\n{broken\n', encoding="utf-8")
    res = _check("--bench", str(tmp_path / "nobench"), "--check", str(f))
    assert res.returncode == 1, res.stdout + res.stderr
    assert "bad.jsonl:1: no-such-article: unknown key 'no-such-article'" in res.stdout
    assert "bad.jsonl:2: None: not JSON" in res.stdout
    assert "2 problems" in res.stdout


@needs_bench
def test_corpus_build_check_names_evidence_not_in_a_real_text(tmp_path):
    doc = next(d for d in C.read_docs(ROOT / "corpus" / "docs.jsonl") if d["corpus_id"].startswith("tbaq:"))
    bad = {"key": doc["key"], "annotator": "T", "events": [{
        "evidence": "Ruritanian zeppelins bombarded the lighthouse at dawn", "trigger": "bombarded",
        "types": ["ASSAULT"], "modality": ["asserted"]}]}
    f = tmp_path / "bad.jsonl"
    f.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    res = _check("--bench", str(BENCH), "--check", str(f))
    assert res.returncode == 1
    assert f"bad.jsonl:1: {doc['key']}: event 1: evidence not found verbatim" in res.stdout


@needs_bench
def test_committed_annotations_are_valid():
    files = sorted(str(p) for p in (ROOT / "corpus" / "annotations").glob("*.jsonl"))
    files += sorted(str(p) for p in (ROOT / "corpus" / "double").glob("*.jsonl"))
    res = _check("--bench", str(BENCH), "--check", *files)
    assert res.returncode == 0, res.stdout[-2000:]
    assert res.stdout.strip().endswith(" 0 problems")


@needs_bench
def test_load_text_rebuilds_a_timebank_article_with_its_date():
    doc = next(d for d in C.read_docs(ROOT / "corpus" / "docs.jsonl") if d["corpus_id"].startswith("tbaq:"))
    text, published = C.load_text(doc["corpus_id"], BENCH)
    assert len(text.split()) >= 60
    assert "<" not in text  # tags stripped
    assert str(published) == doc["given_published"]


# ---------------------------------------------------------------- scripts/fix_corpus_labels.py


@pytest.fixture(scope="module")
def fixer():
    """The script's functions (scripts/ is no package)."""
    import runpy
    from types import SimpleNamespace

    return SimpleNamespace(**runpy.run_path(str(ROOT / "scripts" / "fix_corpus_labels.py")))


def test_fix_labels_summoned_envoy_is_accuse_once(fixer):
    e = {"evidence": "Peru summoned Chile's envoy over the remarks", "trigger": "summoned",
         "types": ["CONSULT"], "mode": "visit", "modality": ["asserted"]}
    assert fixer.summon_is_accuse(e) == "summon: CONSULT -> ACCUSE"
    assert e["types"] == ["ACCUSE"] and e["mode"] is None
    assert fixer.summon_is_accuse(e) is None  # idempotent
    other = {"evidence": "the envoys met in Lima", "trigger": "met", "types": ["CONSULT"]}
    assert fixer.summon_is_accuse(other) is None and other["types"] == ["CONSULT"]


def test_fix_labels_denied_act_is_reported_but_denied_request_stays(fixer):
    act = {"evidence": "The army denies that its drones struck the market", "trigger": "struck",
           "types": ["ASSAULT"], "modality": ["negated"]}
    assert fixer.denied_is_reported(act) == "denied: negated -> reported" and act["modality"] == ["reported"]
    refusal = {"evidence": "The judge denied the request for bail", "trigger": "denied",
               "types": ["REJECT"], "modality": ["asserted"]}
    assert fixer.denied_is_reported(refusal) is None and refusal["types"] == ["REJECT"]
    no_denial = {"evidence": "The army said its drones did not strike the market", "trigger": "strike",
                 "types": ["ASSAULT"], "modality": ["negated"]}
    assert fixer.denied_is_reported(no_denial) is None and no_denial["modality"] == ["negated"]


def test_corpus_labels_follow_the_guide(fixer):
    """The shipped annotations already pass the rules (the script changes nothing)."""
    for path in fixer.FILES:
        assert fixer.fix_file(path, write=False) == [], path
