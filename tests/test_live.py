"""The server keeps answering while an ingest writes its store (snapshots, storyline.store.snapshot).

A real `storyline serve` (uvicorn on 127.0.0.1, its own process) and a real ingest (in the
test's process, whose models are loaded already) work on the same store; every request made meanwhile must be answered without a 5xx,
and no answer may show the store's local path.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from storyline.ingest import ingest
from storyline.store import StoreWriter, open_reader, snapshot
from test_ui_browser import free_port

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "news"
N_DOCS = 4
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))

FIRST = ("date 2026-03-02 The foreign ministers of Norway and Chile met in Oslo on Monday to discuss "
         "a fisheries agreement, officials said.\n")


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with _http.open(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from storyline.cli import main; main()", *args]


def test_writer_publishes_snapshots_readers_use(tmp_path):
    db = tmp_path / "s.duckdb"
    w = StoreWriter(db)
    first = snapshot.latest(db)
    assert first is not None and snapshot.writer_active(db)
    # the writer holds the file, yet a reader opens the store: it reads the snapshot
    con, snap = open_reader(db)
    assert snap == first and con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    con.close()
    w.close()
    assert not snapshot.writer_active(db) and snapshot.latest(db).generation > first.generation


def test_server_answers_every_request_during_an_ingest(tmp_path):
    (tmp_path / "first").mkdir()
    (tmp_path / "first" / "a.txt").write_text(FIRST, encoding="utf-8")
    db = tmp_path / "live.duckdb"
    ingest([str(tmp_path / "first")], db=str(db))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(cli("serve", "--db", str(db), "--port", str(port)),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    writer, done = None, []
    try:
        for _ in range(200):
            try:
                if fetch(base + "/api/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        before = json.loads(fetch(base + "/api/health")[1])
        assert before["data"]["ingest_running"] is False
        news = tmp_path / "news"
        news.mkdir()
        for path in sorted(EXAMPLES.glob("*.txt"))[:N_DOCS]:
            (news / path.name).write_bytes(path.read_bytes())
        t0 = time.monotonic()
        # the ingest runs in this process (its models are loaded already), the server in another
        writer = threading.Thread(target=lambda: done.append(ingest([str(news)], db=str(db), batch_size=1)))
        writer.start()
        answers, running_seen, generations = [], False, set()
        urls = ["/api/health", "/api/events?limit=5", "/api/stories", "/api/network", "/api/actors",
                "/api/failures", "/api/updates?since=0", "/"]
        while writer.is_alive() or len(answers) < len(urls):
            for url in urls:
                status, body = fetch(base + url)
                answers.append((url, status, body))
                if url == "/api/health" and status == 200:
                    data = json.loads(body)["data"]
                    running_seen |= data["ingest_running"]
                    generations.add(data["generation"])
            time.sleep(0.2)  # a reader every few tens of ms, not a benchmark of the server
        print(f"ingest {time.monotonic() - t0:.1f} s, {len(answers)} requests")
        writer.join()
        assert done and done[0].processed == N_DOCS
        bad = [(u, s, b[:200]) for u, s, b in answers if s != 200]
        assert not bad
        assert not [u for u, _, b in answers if str(tmp_path).encode() in b]  # no local path shown
        assert running_seen and len(generations) >= 2  # requests did overlap the writer, which published
        after = json.loads(fetch(base + "/api/health")[1])
        assert after["counts"]["documents"] == before["counts"]["documents"] + N_DOCS
        assert after["data"]["ingest_running"] is False and after["data"]["age_seconds"] == 0
        upd = json.loads(fetch(base + f"/api/updates?since={after['data']['generation']}")[1])
        assert upd["changed"] is False
    finally:
        if writer is not None:
            writer.join()
        server.terminate()
        server.wait(timeout=30)


def test_an_old_snapshot_is_reported_as_the_store(tmp_path):
    import duckdb
    import pytest

    from storyline.errors import StoreError

    db = tmp_path / "old.duckdb"
    StoreWriter(db).close()
    con = duckdb.connect(str(snapshot.latest(db).path))
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="upgrade") as err:
        open_reader(db)
    assert str(err.value).startswith(f"{db}: ") and ".snapshots" not in str(err.value)


def test_publisher_waits_longer_as_copies_get_dearer(tmp_path):
    """At most every ``interval`` seconds, and a copy that took c seconds waits c / share."""
    w = StoreWriter(tmp_path / "p.duckdb", publish_every=3600)
    pub = w.publisher
    assert pub.published == 1  # on opening
    w.write_batch([], [])
    assert pub.published == 1 and pub.dirty  # within the interval: not yet
    pub.interval, pub.cost = 0.0, 0.0
    w.write_batch([], [])
    assert pub.published == 2 and not pub.dirty
    pub.cost = 3600 * pub.share  # a copy that dear waits an hour, whatever the interval
    w.write_batch([], [])
    assert pub.published == 2 and pub.dirty
    w.close()
    assert pub.published == 3  # on closing
