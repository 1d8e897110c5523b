"""The speed paths give the same results as the plain ones: the parse in child processes,
the entity ruler's token patterns as phrases, the language model from the cache."""
from __future__ import annotations

import json

import pytest

from storyline.errors import ConfigError
from storyline.models import Failure, RawDoc
from storyline.pipeline import Options, process_docs, resolve_parse_processes

TEXTS = [
    "date 2025-06-02 Lima (AP) - The foreign ministers of Peru and Chile met in Lima on Monday to sign a "
    "fishing agreement, officials said.",
    "",  # empty: a failure, in its place
    "Der Bürgermeister von Köln hat am Montag den neuen Bahnhof eröffnet und sprach von einem großen Tag "
    "für die ganze Stadt und ihre Bewohner.",
    "Rebels fired rockets at an army base near Goma on Tuesday, and the government recalled its ambassador "
    "to Rwanda the next day.",
    "Farmers blocked roads outside Brussels on Thursday to protest against the new trade deal.",
]


def _raws():
    return [RawDoc(id=f"d{i}", source=f"d{i}", text=t, published=None) for i, t in enumerate(TEXTS)]


def test_parse_in_child_processes_gives_the_same_records_in_order(tmp_path):
    """``storyline process`` in a fresh process (as a user runs it: forking this threaded test
    process is what conftest.py avoids), with the parse in two child processes and in one
    process: the same lines, in input order, a failure in its place."""
    import os
    import subprocess
    import sys

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(TEXTS)),
                   encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "STORYLINE_PARSE_PROCESSES"}
    out = {}
    for n in ("1", "2"):
        with src.open("rb") as fin:
            p = subprocess.run([sys.executable, "-c", "from storyline.cli import main; main()", "process",
                                "--parse-processes", n, "-"], stdin=fin, capture_output=True, env=env, timeout=300)
        assert p.returncode == 0, p.stderr.decode()[-2000:]
        out[n] = p.stdout.decode().splitlines()
        assert "<stdin>:2" in p.stderr.decode()  # the empty document: reported, no line
    assert out["2"] == out["1"]
    assert [json.loads(line)["doc_id"] for line in out["1"]] == ["d0", "d2", "d3", "d4"]
    assert json.loads(out["1"][1])["errors"][0]["error"] == "non_english"


def test_stream_keeps_input_order_around_documents_not_parsed():
    items = list(process_docs(_raws(), Options(parse_processes=1, batch_size=2)))
    assert [getattr(i, "doc_id", None) or i.doc for i in items] == ["d0", "d1", "d2", "d3", "d4"]
    assert isinstance(items[1], Failure)


def test_parse_processes_setting(monkeypatch):
    monkeypatch.delenv("STORYLINE_PARSE_PROCESSES", raising=False)
    assert resolve_parse_processes(None) == 1
    assert resolve_parse_processes(3) == 3
    assert 1 <= resolve_parse_processes(0) <= 2
    monkeypatch.setenv("STORYLINE_PARSE_PROCESSES", "2")
    assert resolve_parse_processes(None) == 2
    monkeypatch.setenv("STORYLINE_PARSE_PROCESSES", "many")
    with pytest.raises(ConfigError, match="STORYLINE_PARSE_PROCESSES"):
        resolve_parse_processes(None)
    with pytest.raises(ConfigError):
        resolve_parse_processes(-1)


def test_cli_bad_parse_processes_setting_is_a_clear_error(monkeypatch):
    from click.testing import CliRunner

    from storyline.cli import cli

    monkeypatch.setenv("STORYLINE_PARSE_PROCESSES", "lots")
    res = CliRunner().invoke(cli, ["process", "-"], input='{"id": "a", "text": "Talks resumed."}\n')
    assert res.exit_code == 2 and "STORYLINE_PARSE_PROCESSES" in res.output


def test_token_patterns_become_phrases_only_when_equivalent():
    from storyline.annotate import as_phrase, load_nlp

    nlp = load_nlp()
    plain = {"label": "ORG", "pattern": [{"ORTH": "Korea"}, {"ORTH": "Herald"}], "id": "actors"}
    assert as_phrase(plain, nlp) == {"label": "ORG", "pattern": "Korea Herald", "id": "actors"}
    # the tokenizer splits "Won't" into two tokens, so the phrase would never match this one
    split = {"label": "ORG", "pattern": [{"ORTH": "Won't"}, {"ORTH": "Stop"}]}
    assert as_phrase(split, nlp) == split
    lower = {"label": "GPE", "pattern": [{"LOWER": "san"}, {"LOWER": "marino"}]}
    assert as_phrase(lower, nlp) == lower
    doc = nlp("Editors at the Korea Herald said so.")
    assert [(e.text, e.label_) for e in doc.ents if e.text == "Korea Herald"] == [("Korea Herald", "ORG")]


def test_cached_file_builds_once_and_falls_back(tmp_path, monkeypatch):
    from storyline.cache import cached_file

    monkeypatch.setenv("STORYLINE_CACHE_DIR", str(tmp_path / "c"))
    calls = []

    def build(path):
        calls.append(path)
        path.write_bytes(b"derived")

    first = cached_file("x-1.bin", build)
    again = cached_file("x-1.bin", build)
    assert first == again and first.read_bytes() == b"derived" and len(calls) == 1
    assert [p.name for p in first.parent.iterdir()] == ["x-1.bin"]  # no temporary left behind
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("STORYLINE_CACHE_DIR", str(blocker / "c"))
    assert cached_file("x-1.bin", build) is None


def test_language_model_from_the_cache_classifies_as_the_shipped_one(tmp_path, monkeypatch):
    from py3langid.langid import _load_identifier

    from storyline.clean import _langid

    monkeypatch.setenv("STORYLINE_CACHE_DIR", str(tmp_path))
    _langid.cache_clear()
    try:
        cached = _langid()
        assert list(tmp_path.glob("py3langid-*.npz"))
        shipped = _load_identifier(norm_probs=True)
        for text in TEXTS[0], TEXTS[2], "Le gouvernement a annoncé lundi une nouvelle loi sur l'énergie.":
            assert cached.classify(text) == shipped.classify(text)
    finally:
        _langid.cache_clear()
