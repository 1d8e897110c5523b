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
