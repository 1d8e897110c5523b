"""The CLI on real (small) input: process, ingest, the tables, export, bad input, idempotence."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from storyline.cli import cli

STORY = ("date 2024-03-14 BRUSSELS (Reuters) - The European Union imposed new sanctions on Russia on "
         "Wednesday, officials said. German Chancellor Olaf Scholz met French President Emmanuel Macron in "
         "Paris on Tuesday to discuss aid to Ukraine.\n")


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(STORY, encoding="utf-8")
    (d / "empty.txt").write_text("", encoding="utf-8")
    (d / "blob.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (d / "notes.xyz").write_text("what is this", encoding="utf-8")
    (d / "feed.jsonl").write_text(
        json.dumps({"id": "j1", "text": "Police arrested 12 protesters in Athens on Monday, the ministry said.",
                    "published": "2010-05-05"}) + "\n{not json\n", encoding="utf-8")
    return d


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_process_prints_design_json(folder):
    res = run("process", str(folder / "good.txt"))
    assert res.exit_code == 0, res.output
    rec = json.loads(res.output.splitlines()[0])
    for key in ("doc_id", "title", "published", "published_inferred", "text", "entities", "timexes", "places",
                "actors", "events", "errors"):
        assert key in rec
    assert rec["doc_id"] == "good" and rec["published"] == "2024-03-14"
    assert not rec["text"].startswith("date ")
    for ent in rec["entities"]:
        assert rec["text"][ent["start"]:ent["end"]] == ent["text"]


def test_process_stdin_jsonl():
    line = json.dumps({"id": "x1", "text": "Protesters marched in Athens on Monday.", "published": "2010-05-05"})
    res = run("process", "-", input=line + "\n")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output.splitlines()[0])["doc_id"] == "x1"


def test_process_only_bad_input_exits_non_zero(folder):
    res = run("process", str(folder / "empty.txt"))
    assert res.exit_code == 1
    assert "empty.txt" in res.output


def test_ingest_records_failures_and_is_idempotent(folder, tmp_path):
    db = str(tmp_path / "s.duckdb")
    res = run("ingest", str(folder), "--db", db, "-q")
    assert res.exit_code == 0, res.output
    assert "2 processed" in res.output
    fails = run("failures", "--db", db).output
    for name in ("empty.txt", "blob.txt", "notes.xyz", "feed.jsonl:2"):
        assert name in fails
    con = duckdb.connect(db, read_only=True)
    before = {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall()))
              for t in ("documents", "events", "event_clusters", "stories", "failures", "actors")}
    con.close()
    res = run("ingest", str(folder), "--db", db, "-q")
    assert "2 unchanged" in res.output
    con = duckdb.connect(db, read_only=True)
    after = {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in before}
    con.close()
    assert after == before


def test_tables_and_export(folder, tmp_path):
    db = str(tmp_path / "s.duckdb")
    run("ingest", str(folder / "good.txt"), "--db", db, "-q")
    assert "type" in run("events", "--db", db).output
    assert run("stories", "--db", db).exit_code == 0
    assert run("actors", "--db", db).exit_code == 0
    out = tmp_path / "e.jsonl"
    assert run("export", "--db", db, "--what", "events", "--format", "jsonl", "-o", str(out)).exit_code == 0
    for line in out.read_text().splitlines():
        rec = json.loads(line)
        assert rec["doc_id"] == "good" and "event_cluster" in rec and "story_id" in rec


def test_missing_store_is_a_clear_error(tmp_path):
    res = run("events", "--db", str(tmp_path / "none.duckdb"))
    assert res.exit_code == 2 and "no such store" in res.output


def test_python_api_returns_typed_record():
    import storyline

    res = storyline.process_text(STORY.split(" ", 2)[2], published="2024-03-14")
    assert isinstance(res, storyline.DocResult)
    assert res.published.isoformat() == "2024-03-14"
    assert all(isinstance(e, storyline.Event) for e in res.events)


def test_too_large_and_non_english_documents_are_recorded(tmp_path):
    from storyline import pipeline

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "big.txt").write_text("date 2026-01-01 " + "The minister met the president in Paris. " * 30)
    (folder / "de.txt").write_text("date 2026-01-29 Der Verteidigungsminister Südkoreas ist am Donnerstag nach "
                                   "Japan gereist, um dort seinen japanischen Amtskollegen zu treffen. Die beiden "
                                   "Minister wollen über die Sicherheitslage in der Region sprechen.\n")
    (folder / "ok.txt").write_text("date 2026-01-29 Protesters marched in Athens on Monday against new taxes.\n")
    db = str(tmp_path / "s.duckdb")
    old = pipeline.MAX_CHARS
    pipeline.MAX_CHARS = 1000
    try:
        res = run("ingest", str(folder), "--db", db, "-q")
    finally:
        pipeline.MAX_CHARS = old
    assert res.exit_code == 0, res.output
    fails = run("failures", "--db", db).output
    assert "big.txt" in fails and "too_large" in fails
    assert "de.txt" in fails and "non_english" in fails
    con = duckdb.connect(db, read_only=True)
    langs = dict(con.execute("SELECT source, language FROM documents").fetchall())
    con.close()
    assert any(s.endswith("de.txt") and lang == "de" for s, lang in langs.items())  # kept, with its language
    assert not any(s.endswith("big.txt") for s in langs)


def test_ingest_progress_in_a_log_is_lines_not_carriage_returns(folder, tmp_path):
    res = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(tmp_path / "p.duckdb")])
    assert res.exit_code == 0, res.output
    assert "\r" not in res.output and "processed, " in res.output


def test_eval_split_is_offered_for_split_corpora_only(tmp_path):
    import csv

    path = tmp_path / "ngec.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["text", "label", "mode"])
        w.writeheader()
        for i in range(6):
            w.writerow({"text": f"Police arrested {i + 3} protesters in Cairo on Monday.", "label": "COERCE",
                        "mode": "ARREST"})
    halves = []
    for split in ("dev", "test"):
        res = run("eval", "events", str(path), "--split", split)
        assert res.exit_code == 0, res.output
        halves.append(json.loads(res.output.splitlines()[-1])["files"][str(path)]["stories"])
    assert sum(halves) == 6
    res = run("eval", "timex", str(tmp_path), "--split", "dev")
    assert res.exit_code != 0 and "--split" in res.output
