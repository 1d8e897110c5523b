"""`storyline watch`: a made-up feed served by a real HTTP server on 127.0.0.1, and a folder."""
from __future__ import annotations

import hashlib
import http.server
import threading
import time

import pytest

from storyline.store import open_reader
from storyline.watch import WatchState, state_path, watch, watch_once

ITEMS = [
    ("https://news.example/a", "Mon, 02 Mar 2026 09:00:00 GMT", "Ministers meet in Lima",
     "The foreign ministers of Peru and Ecuador met in Lima on Monday to discuss border trade, officials said."),
    ("https://news.example/b", "Tue, 03 Mar 2026 09:00:00 GMT", "Protest in Quito",
     "Thousands of teachers marched in Quito on Tuesday to protest a pay freeze, organisers said."),
    ("https://news.example/c", "Wed, 04 Mar 2026 09:00:00 GMT", "Aid for flood victims",
     "Chile sent two planes of medical aid to Bolivia on Wednesday after floods, the government said."),
]


def rss(items) -> bytes:
    body = "".join(f"<item><title>{t}</title><link>{link}</link><pubDate>{day}</pubDate>"
                   f"<description>{text}</description></item>" for link, day, t, text in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Made-up wire</title>'
            f"{body}</channel></rss>").encode()


class Feed:
    """A feed server that honours If-None-Match and can be told to fail."""

    def __init__(self):
        self.items = ITEMS[:2]
        self.fail = False
        self.log: list[tuple[int, str | None]] = []  # (status, If-None-Match)
        feed = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                body = rss(feed.items)
                etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
                sent = self.headers.get("If-None-Match")
                status = 500 if feed.fail else 304 if sent == etag else 200
                feed.log.append((status, sent))
                self.send_response(status)
                if status == 200:
                    self.send_header("Content-Type", "application/rss+xml")
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/feed.xml"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def feed():
    f = Feed()
    yield f
    f.close()


def count(db, table: str = "documents") -> int:
    con = open_reader(db)[0]
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_feed_conditional_get_new_items_and_backoff(tmp_path, feed):
    db = str(tmp_path / "w.duckdb")
    cycle = watch_once([feed.url], db, interval=60)
    assert not cycle.errors and cycle.new_items == 2 and count(db) == 2
    assert feed.log[-1] == (200, None)
    # unchanged feed: the validator is sent back and the answer is a 304; nothing ingested
    cycle = watch_once([feed.url], db, interval=60, force=True)
    assert feed.log[-1][0] == 304 and feed.log[-1][1] is not None
    assert cycle.new_items == 0 and cycle.summary is None
    # not due yet: not even polled
    assert watch_once([feed.url], db, interval=60).polled == []
    # a new item: only it goes in, the two earlier ones are not taken again
    feed.items = ITEMS
    cycle = watch_once([feed.url], db, interval=60, force=True)
    assert cycle.new_items == 1 and cycle.summary.read == 1 and count(db) == 3
    # errors back off exponentially and are remembered across restarts
    feed.fail = True
    before = time.time()
    for failures in (1, 2):
        cycle = watch_once([feed.url], db, interval=60, max_backoff=200, force=True)
        assert "HTTP 500" in str(cycle.errors[0])
        st = WatchState(state_path(db)).get(feed.url)
        assert st.failures == failures and st.next_poll >= before + min(200, 60 * 2 ** failures)
    feed.fail = False
    cycle = watch_once([feed.url], db, interval=60, force=True)
    assert not cycle.errors and cycle.new_items == 0 and count(db) == 3
    assert WatchState(state_path(db)).get(feed.url).failures == 0


def test_watch_loop_takes_new_feed_items_and_folder_files(tmp_path, feed):
    db = str(tmp_path / "w.duckdb")
    folder = tmp_path / "drop"
    folder.mkdir()
    stop, rounds = threading.Event(), []
    loop = threading.Thread(target=watch, args=([feed.url, str(folder)], db),
                            kwargs={"interval": 0.2, "stop": stop, "report": rounds.append})
    loop.start()
    try:
        deadline = time.time() + 120
        while count_or_zero(db) < 2 and time.time() < deadline:
            time.sleep(0.1)
        while not any(status == 304 for status, _ in feed.log) and time.time() < deadline:
            time.sleep(0.05)  # the loop polled the unchanged feed again: a 304
        feed.items = ITEMS
        (folder / "d.txt").write_text("date 2026-03-05 Police in Lima arrested ten protesters on Thursday, "
                                      "a spokesman said.\n", encoding="utf-8")
        while count_or_zero(db) < 4 and time.time() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        loop.join()
    assert count(db) == 4
    assert sum(c.new_items for c in rounds) == 4  # 3 feed items, 1 file, each taken once
    assert any(status == 304 for status, _ in feed.log)


def count_or_zero(db) -> int:
    try:
        return count(db)
    except Exception:  # noqa: BLE001 - no store yet
        return 0
