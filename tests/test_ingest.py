"""Ingest as a whole: resumable after a crash or a kill, and the same store with Dask workers.

These run the real pipeline on the bundled examples (12 documents), so each costs a few
seconds; the claims they check are the store's contract in the README.
"""
from __future__ import annotations

import os
import signal
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


def test_killed_cli_ingest_then_rerun_gives_the_same_store(tmp_path, reference):
    db = tmp_path / "s.duckdb"
    exe = Path(sys.executable).with_name("storyline")
    cmd = [str(exe), "ingest", str(EXAMPLES), "--db", str(db), "--batch-size", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # kill -9 as soon as the first batch has been committed (its progress line appears)
    first = proc.stderr.read(1)
    assert first, "ingest printed no progress"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    subprocess.run(cmd + ["-q"], check=True, capture_output=True)
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
