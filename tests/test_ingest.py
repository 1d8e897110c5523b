"""Ingest as a whole: resumable after a crash or a kill, and the same store with Dask workers.

These run the real pipeline on the bundled examples (12 documents), so each costs a few
seconds; the claims they check are the store's contract in the README.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from storyline.ingest import ingest
from storyline.store import writer as store_writer

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "news"
TABLES = ("documents", "sentences", "entities", "timexes", "places", "actors", "events",
          "event_clusters", "stories", "failures")


def dump(db: Path) -> dict[str, list[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, list[str]]:
    """The store of one uninterrupted in-process run."""
    db = tmp_path_factory.mktemp("ref") / "ref.duckdb"
    summary = ingest([str(EXAMPLES)], db=str(db), batch_size=3)
    assert summary.processed == 12 and summary.failed == 0
    return dump(db)


def test_rerun_changes_nothing(tmp_path, reference):
    db = tmp_path / "s.duckdb"
    ingest([str(EXAMPLES)], db=str(db), batch_size=3)
    again = ingest([str(EXAMPLES)], db=str(db), batch_size=3)
    assert again.unchanged == 12 and again.processed == 0
    assert dump(db) == reference


def test_crash_between_batches_then_rerun_gives_the_same_store(tmp_path, monkeypatch, reference):
    db = tmp_path / "s.duckdb"
    real = store_writer.StoreWriter.write_batch
    calls = {"n": 0}

    def crashing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("simulated crash")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(store_writer.StoreWriter, "write_batch", crashing)
    with pytest.raises(RuntimeError, match="simulated crash"):
        ingest([str(EXAMPLES)], db=str(db), batch_size=3)
    monkeypatch.setattr(store_writer.StoreWriter, "write_batch", real)
    partial = dump(db)
    assert 0 < len(partial["documents"]) < 12  # two batches landed, the rest did not
    resumed = ingest([str(EXAMPLES)], db=str(db), batch_size=3)
    assert resumed.unchanged == len(partial["documents"])
    assert dump(db) == reference


CRASH_DOCS = {  # made-up reports, two to a batch: batches 1 and 2, and the re-dating batch 3
    "a.txt": "date 2026-02-10 Dock workers in Portville walked out on Tuesday over night-shift pay, the union said.\n",
    "b.txt": "date 2026-02-11 Port authority chief Maria Lenz offered union leader Tomas Brandt a pay rise "
             "for the dock workers of Portville on Wednesday.\n",
    "c.txt": "date 2026-02-12 Farmers blocked a highway near the capital on Thursday to protest a fuel tax.\n",
    "d.txt": "Port authority chief Maria Lenz and union leader Tomas Brandt signed a pay deal on Friday, "
             "ending the dock strike in Portville.\n",
}


@pytest.fixture(scope="module")
def crash_input(tmp_path_factory) -> tuple[Path, dict[str, list[str]]]:
    folder = tmp_path_factory.mktemp("crash") / "in"
    folder.mkdir()
    for name, text in CRASH_DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = folder.parent / "ref.duckdb"
    assert ingest([str(folder)], db=str(db), batch_size=2).dated_by_hints == 1  # a third batch: d.txt re-dated
    return folder, dump(db)


@pytest.mark.parametrize("point", ["during:1", "after:1", "during:2", "after:2", "during:3", "after:3"])
def test_ingest_killed_at_a_crash_point_then_rerun_gives_the_same_store(tmp_path, crash_input, point):
    """Every batch boundary and the middle of every batch, deterministically (STORYLINE_CRASH_AT)."""
    from storyline.store.writer import CRASH_ENV

    folder, reference = crash_input
    db = tmp_path / "s.duckdb"
    exe = Path(sys.executable).with_name("storyline")
    proc = subprocess.run([str(exe), "ingest", str(folder), "--db", str(db), "--batch-size", "2", "-q"],
                          env={**os.environ, CRASH_ENV: point}, capture_output=True, text=True)
    assert proc.returncode == 137, proc.stderr  # it did stop there
    ingest([str(folder)], db=str(db), batch_size=2)
    assert dump(db) == reference


def test_dask_workers_give_the_same_store(tmp_path, reference):
    db = tmp_path / "s.duckdb"
    summary = ingest([str(EXAMPLES)], db=str(db), batch_size=3, workers=2)
    assert summary.processed == 12
    assert dump(db) == reference


def test_undated_report_takes_its_date_from_a_related_dated_one(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "dated.txt").write_text(
        "date 2026-01-29 South Korean Defence Minister Ahn Gyu-back departed on Thursday for Japan to hold "
        "talks with his Japanese counterpart, Shinjiro Koizumi, at the Yokosuka naval base on Friday.\n")
    (folder / "undated.txt").write_text(
        "South Korean Defence Minister Ahn Gyu-back and Japanese Defence Minister Shinjiro Koizumi held talks "
        "at the Yokosuka naval base on Friday, the ministry said.\n")
    (folder / "other.txt").write_text("Farmers protested in Lyon on Monday against new fuel taxes, police said.\n")
    db = tmp_path / "s.duckdb"
    summary = ingest([str(folder)], db=str(db))
    assert summary.dated_by_hints == 1
    con = duckdb.connect(str(db), read_only=True)
    docs = {r[0]: r[1:] for r in con.execute(
        "SELECT doc_id, published, published_inferred, published_source FROM documents").fetchall()}
    talks = con.execute("SELECT date FROM events WHERE doc_id = 'undated' AND type = 'CONSULT'").fetchall()
    con.close()
    assert docs["undated"][1:] == (True, "inferred_with_hints")
    assert 0 <= (docs["undated"][0] - docs["dated"][0]).days <= 3
    assert docs["other"][0] is None  # nothing related, nothing in its text: stays undated
    assert talks and talks[0][0].isoformat() == "2026-01-30"
    again = ingest([str(folder)], db=str(db))
    assert again.unchanged == 3 and again.dated_by_hints == 0


def test_exact_duplicate_in_a_later_run_is_found_by_its_hash(tmp_path, monkeypatch):
    """Issue 10: the stored hash and the deduplicator's now agree, so no MinHash is needed."""
    from datasketch import MinHashLSH

    text = ("date 2026-02-10 Dock Workers in Portville walked out on Tuesday over night-shift pay, "
            "the Union said.\n")
    (tmp_path / "first.txt").write_text(text)
    (tmp_path / "again.txt").write_text(text.replace("Dock Workers", "dock workers"))
    db = str(tmp_path / "s.duckdb")
    ingest([str(tmp_path / "first.txt")], db=db)
    monkeypatch.setattr(MinHashLSH, "query", lambda self, m: [])  # near-duplicate search finds nothing
    summary = ingest([str(tmp_path / "again.txt")], db=db)
    assert summary.duplicates == 1
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT duplicate_of FROM documents WHERE doc_id = 'again'").fetchone()[0] == "first"
    con.close()


def test_process_text_and_a_jsonl_record_without_id_give_the_same_doc_id():
    import io
    import json

    import storyline
    from storyline.read import read_jsonl_stream

    text = "Farmers blocked a highway near the capital on Thursday to protest a fuel tax, police said."
    raw = next(iter(read_jsonl_stream(io.StringIO(json.dumps({"text": text}) + "\n"), "<stdin>")))
    assert storyline.process_text(text).doc_id == raw.id


LINKS = ("event_clusters", "stories")
STORIES = Path(__file__).resolve().parent / "fixtures" / "stories"


def _in_batches(files: list[Path], db: Path, tmp_path: Path, n: int) -> None:
    """Ingest ``files`` in ``n`` runs (each relinks incrementally around its own documents)."""
    for i in range(n):
        part = tmp_path / f"part{i}"
        part.mkdir()
        for f in files[i::n]:
            (part / f.name).write_bytes(f.read_bytes())
        ingest([str(part)], db=str(db), batch_size=4)


def test_examples_ingested_in_three_runs_link_as_in_one(tmp_path, reference):
    """Incremental relinks after each of three ingests give the clusters and stories one run
    (a full link of an empty store) gives."""
    db = tmp_path / "s.duckdb"
    _in_batches(sorted(EXAMPLES.iterdir()), db, tmp_path, 3)
    got = dump(db)
    assert {t: got[t] for t in LINKS} == {t: reference[t] for t in LINKS}


def test_made_up_reports_ingested_in_batches_link_as_a_full_relink(tmp_path):
    """The made-up political reports, ingested in three runs, then `storyline link --full`:
    the full relink changes no cluster and no story."""
    from click.testing import CliRunner

    from storyline.cli import cli

    db = tmp_path / "s.duckdb"
    _in_batches(sorted(STORIES.glob("*.txt")), db, tmp_path, 3)
    incremental = dump(db)
    assert len(incremental["stories"]) > 1
    res = CliRunner().invoke(cli, ["link", "--db", str(db), "--full"])
    assert res.exit_code == 0, res.output
    full = dump(db)
    assert {t: incremental[t] for t in LINKS} == {t: full[t] for t in LINKS}
