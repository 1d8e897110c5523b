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


@pytest.fixture
def small_store(tmp_path) -> str:
    """A store with one CONSULT event (KOR → JPN, 2026-01-29), written without the pipeline."""
    from test_store import result

    from storyline.ingest import relink
    from storyline.store import StoreWriter

    db = str(tmp_path / "f.duckdb")
    w = StoreWriter(db)
    w.write_batch([(result("d1", 29), "h1")], [])
    relink(w)
    w.close()
    return db


def _api_total(db: str, **params) -> tuple[int, dict]:
    from starlette.testclient import TestClient

    from storyline.server import create_app

    res = TestClient(create_app(db)).get("/api/events", params=params)
    return res.status_code, res.json()


@pytest.mark.parametrize("args, params, n", [
    (["--type", "consult"], {"type": "consult"}, 1),
    (["--country", "kor"], {"country": "kor"}, 1),
    (["--since", "2026-01"], {"since": "2026-01"}, 1),
    (["--until", "2026-01"], {"until": "2026-01"}, 1),
    (["--since", "2026-02"], {"since": "2026-02"}, 0),
    (["--modality", "ASSERTED"], {"modality": "ASSERTED"}, 1),
])
def test_cli_and_api_agree_on_filters(small_store, args, params, n):
    res = run("events", "--db", small_store, "--json", *args)
    assert res.exit_code == 0, res.output
    assert len(res.output.splitlines()) == n
    status, body = _api_total(small_store, **params)
    assert status == 200 and body["total"] == n


@pytest.mark.parametrize("args, params, words", [
    (["--type", "sanctionz"], {"type": "sanctionz"}, ("CONSULT", "SANCTION")),
    (["--since", "2026-03", "--until", "2026-01"], {"since": "2026-03", "until": "2026-01"}, ("after",)),
    (["--since", "March"], {"since": "March"}, ("YYYY-MM",)),
])
def test_cli_and_api_refuse_the_same_bad_filters(small_store, args, params, words):
    res = run("events", "--db", small_store, *args)
    assert res.exit_code == 2 and "Traceback" not in res.output
    status, body = _api_total(small_store, **params)
    assert status == 400
    for w in words:
        assert w in res.output and w in body["error"]["message"]


def test_negative_limit_is_a_clear_error(small_store):
    res = run("events", "--db", small_store, "--limit", "-5")
    assert res.exit_code == 2 and "--limit" in res.output and "at least 1" in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_actors_country_is_case_insensitive(small_store):
    assert "Ahn Gyu-back" in run("actors", "--db", small_store, "--country", "kor").output


def test_non_english_counts_only_as_failed_and_errors_name_the_path_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "nl.txt").write_text("date 2026-01-29 De burgemeester van de kleine stad opende op dinsdag een "
                                   "nieuwe brug over de rivier, en honderden bewoners kwamen kijken naar het feest.\n")
    (folder / "ok.txt").write_text("date 2026-01-29 Farmers blocked a highway near the capital on Monday to "
                                   "protest against a new fuel tax, police said.\n")
    res = run("ingest", str(folder), "--db", str(tmp_path / "s.duckdb"), "-q")
    assert res.exit_code == 0, res.output
    assert "2 documents read: 1 processed, 0 unchanged, 0 near-duplicates, 1 failed" in res.output
    err = [ln for ln in res.output.splitlines() if ln.startswith("error:")]
    assert len(err) == 1 and err[0].count("nl.txt") == 1 and "not English" in err[0]


def test_ingest_of_a_missing_path_creates_no_store(tmp_path):
    db = tmp_path / "s.duckdb"
    res = run("ingest", str(tmp_path / "nonexistent"), "--db", str(db))
    assert res.exit_code == 2 and "no such file" in res.output
    assert not db.exists()


def test_last_progress_line_is_the_summary(tmp_path):
    from storyline.ingest import ingest

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"d{i}.txt").write_text(f"date 2026-01-2{i} Fishermen in port town {i} protested on Monday "
                                          "against new quotas, local officials said.\n")
    (folder / "empty.txt").write_text("")
    seen = []
    summary = ingest([str(folder)], db=str(tmp_path / "s.duckdb"), batch_size=2,
                     progress=lambda s: seen.append(s.counts()))
    assert seen[-1] == summary.counts() and summary.line().startswith(seen[-1])
    assert summary.counts() == "3 documents read: 3 processed, 0 unchanged, 0 near-duplicates, 1 failed"


def test_serve_prints_its_banner_once(small_store, monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    res = CliRunner().invoke(cli, ["serve", "--db", small_store, "--port", "9999"])
    assert res.exit_code == 0, res.output
    assert res.output.count("serving") == 1


def test_export_csv_to_stdout(small_store):
    res = run("export", "--db", small_store, "--what", "events", "--format", "csv", "-o", "-")
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0].startswith("event_id,") and "source_country" in res.output
    res = run("export", "--db", small_store, "--what", "events", "--format", "parquet", "-o", "-")
    assert res.exit_code == 2 and "needs -o FILE" in res.output


def test_link_relinks_a_store_and_refuses_a_missing_one(small_store, tmp_path):
    before = duckdb.connect(small_store, read_only=True).execute("SELECT * FROM event_clusters").fetchall()
    for args in (["link", "--db", small_store], ["link", "--db", small_store, "--full"]):
        res = CliRunner().invoke(cli, args)
        assert res.exit_code == 0 and res.output.strip() == "1 events in 1 clusters and 1 stories"
    assert duckdb.connect(small_store, read_only=True).execute("SELECT * FROM event_clusters").fetchall() == before
    res = CliRunner().invoke(cli, ["link", "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code != 0 and "no such store" in res.output
