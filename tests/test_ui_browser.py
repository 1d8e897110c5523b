"""The web UI in a real headless Chromium, driven over W3C WebDriver (Debian's chromedriver).

The real server (uvicorn, in a thread) serves a synthetic store on a free localhost port;
the page must render the story list, the timeline, map points and the network, and a click
on an event must show its sentence highlighted in its document. No browser is downloaded:
``scripts/install_browser.sh`` installs Debian's ``chromium`` and ``chromium-driver``.
The WebDriver protocol is plain JSON over HTTP, spoken here with urllib.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--no-proxy-server", "--window-size=1400,1000"]

pytestmark = pytest.mark.skipif(
    not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)),
    reason="headless browser test needs /usr/bin/chromium and chromedriver (run scripts/install_browser.sh)",
)

# no proxy for localhost traffic, whatever the environment says
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(method: str, url: str, body: dict | None = None, timeout: float = 30) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with _http.open(req, timeout=timeout) as r:
            return json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"{method} {url}: {exc.code} {exc.read()[:500]!r}") from None


class Browser:
    """A minimal W3C WebDriver client: just what the test needs."""

    def __init__(self, driver_url: str, profile: str):
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": FLAGS + [f"--user-data-dir={profile}"]},
            "timeouts": {"script": 10000, "pageLoad": 20000},
        }}}
        self.base = f"{driver_url}/session/" + call("POST", f"{driver_url}/session", caps)["value"]["sessionId"]

    def get(self, url: str) -> None:
        call("POST", f"{self.base}/url", {"url": url})

    def js(self, script: str, *args):
        return call("POST", f"{self.base}/execute/sync", {"script": script, "args": list(args)})["value"]

    def find(self, css: str) -> str:
        value = call("POST", f"{self.base}/element", {"using": "css selector", "value": css})["value"]
        return next(iter(value.values()))

    def click(self, css: str) -> None:
        call("POST", f"{self.base}/element/{self.find(css)}/click", {})

    def wait(self, script: str, timeout: float = 10.0, *args):
        """Poll a JS expression until it is truthy; return its value."""
        end = time.monotonic() + timeout
        while True:
            value = self.js(script, *args)
            if value:
                return value
            if time.monotonic() > end:
                raise AssertionError(f"timed out waiting for: {script}")
            time.sleep(0.1)

    def screenshot(self, path: Path) -> None:
        import base64

        path.write_bytes(base64.b64decode(call("GET", f"{self.base}/screenshot")["value"]))

    def quit(self) -> None:
        try:
            call("DELETE", self.base, timeout=10)
        except Exception:  # the driver is killed right after anyway
            pass


@contextmanager
def run_server(db: Path):
    """The real uvicorn server on a free port, in a thread, over the store ``db``."""
    import uvicorn

    from storyline.server import create_app

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    end = time.monotonic() + 10
    while not srv.started:
        assert time.monotonic() < end and thread.is_alive(), "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real server over the synthetic store."""
    from test_server import make_store

    with run_server(make_store(tmp_path_factory.mktemp("ui") / "s.duckdb")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("driver") / "chromedriver.log"
    proc = subprocess.Popen([CHROMEDRIVER, f"--port={port}", f"--log-path={log}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    profile = tempfile.mkdtemp(prefix="storyline-chromium-")
    b = None
    try:
        end = time.monotonic() + 15
        while True:
            try:
                if call("GET", f"{url}/status", timeout=2)["value"].get("ready"):
                    break
            except (OSError, AssertionError):
                pass
            assert time.monotonic() < end and proc.poll() is None, "chromedriver did not start"
            time.sleep(0.1)
        b = Browser(url, profile)
        yield b
    finally:
        if b is not None:
            b.quit()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


def load(browser: Browser, url: str) -> None:
    browser.get(url)
    browser.wait("return document.body && document.body.getAttribute('data-ready') === 'true'")


def test_page_renders_story_timeline_map_network(server, browser, tmp_path):
    load(browser, server + "/")
    info = browser.js("""
        const q = (s) => document.querySelectorAll(s);
        return {
          stories: [...q('#stories button')].map((b) => b.querySelector('.s-title').textContent),
          current: document.querySelector('#stories button[aria-current=true] .s-title').textContent,
          title: document.getElementById('story-title').textContent,
          timeline: q('#timeline svg').length, events: q('#timeline svg .ev').length,
          planned: q('#timeline .ev.mod-planned .glyph[stroke-dasharray]').length,
          negated: q('#timeline .ev.mod-negated .cross').length,
          asserted: q('#timeline .ev.mod-asserted').length,
          list: q('#event-list li').length,
          points: [...q('#map svg .point')].map((p) => p.textContent),
          land: q('#map svg path.land').length, involved: q('#map svg path.land.involved').length,
          grat: q('#map svg .grat').length,
          nodes: [...q('#network svg .node')].map((n) => n.getAttribute('data-node')),
          labels: [...q('#network svg .node-label')].map((n) => n.textContent),
          edges: q('#network svg .edge').length,
          counts: document.getElementById('counts').textContent,
          failures: document.getElementById('show-failures').textContent,
          foreign: performance.getEntriesByType('resource').map((r) => r.name)
                     .filter((n) => !n.startsWith(location.origin)),
        };
    """)
    browser.screenshot(tmp_path / "story.png")
    assert info["stories"] == ["All events", "Ahn Gyu-back visits Japan", "Russian forces shell Kyiv; EU sanctions",
                               "Unrest and threats"]
    assert info["current"] == info["title"] == "Ahn Gyu-back visits Japan"  # the largest story opens first
    assert info["timeline"] == 1 and info["events"] == 4 and info["list"] == 4
    assert info["planned"] == 1 and info["negated"] == 2 and info["asserted"] == 2  # modality is visible
    assert any(p.startswith("Yokosuka") for p in info["points"])
    assert info["land"] > 100 and info["involved"] >= 2 and info["grat"] > 4
    assert set(info["nodes"]) == {"a-ahn", "a-jpn"} and set(info["labels"]) == {"Ahn Gyu-back", "Japan"}
    assert info["edges"] == 2
    assert "8 events" in info["counts"] and info["failures"] == "1 failure"
    assert info["foreign"] == []  # nothing fetched from anywhere but the server


def test_click_event_shows_sentence_in_document(server, browser):
    load(browser, server + "/")
    browser.click('#timeline .ev[data-event-id="d2-e2"]')
    mark = browser.wait("const m = document.querySelector('#detail mark'); return m && m.textContent")
    assert mark == "Japan did not agree to share radar data, officials said."
    detail = browser.js("""
        const d = document.getElementById('detail');
        return {text: d.querySelector('.doc-text').textContent, title: d.querySelector('.doc-title').textContent,
                link: d.querySelector('a.doc-link') && d.querySelector('a.doc-link').href,
                selected: document.querySelector('#timeline .ev.selected').getAttribute('data-event-id'),
                hash: location.hash};
    """)
    assert detail["text"].startswith("Ahn Gyu-back arrived in Yokosuka") and mark in detail["text"]
    assert detail["title"] == "Ahn arrives in Yokosuka"
    assert detail["link"] == "https://example.org/news/d2"
    assert detail["selected"] == "d2-e2" and "event=d2-e2" in detail["hash"]
    # the list selects too
    browser.click('#event-list li[data-event-id="d1-e1"] button')
    assert browser.wait("const m = document.querySelector('#detail mark');"
                        "return m && m.textContent.startsWith('Defence Minister') && m.textContent")
    # a map point walks through the events at its place
    browser.click('#map .point')
    assert browser.wait("const m = document.querySelector('#detail mark');"
                        "return m && !m.textContent.startsWith('Defence Minister') && location.hash")
    # a network edge opens one of its events
    browser.js("document.querySelector('#network .edge[data-source=\"a-jpn\"]')"
               ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")  # a curve's box centre is off the curve
    assert browser.wait("const m = document.querySelector('#detail mark');"
                        "return m && m.textContent.startsWith('Japan did not agree')")
    # "Also reported in" lists the other report of the visit, never the event's own one
    browser.click('#event-list li[data-event-id="d2-e1"] button')
    others = browser.wait("const li = document.querySelectorAll('#detail ul.same li');"
                          "return li.length && Array.from(li, (x) => x.textContent)")
    assert len(others) == 1 and others[0].startswith("Reprint")


def test_other_story_and_markup_stays_text(server, browser):
    load(browser, server + "/#story=s-visit&event=d3-e1")  # a hash change: the page follows without reloading
    mark = browser.wait("const m = document.querySelector('#detail mark');"
                        "return m && m.textContent.startsWith('Ahn met') && m.textContent")
    assert mark == "Ahn met Japanese officials <script>alert('pwned')</script> in Yokosuka."
    info = browser.js("""
        const d = document.getElementById('detail');
        return {scripts: document.querySelectorAll('body script').length,
                title: d.querySelector('.doc-title').textContent,
                links: [...d.querySelectorAll('a')].map((a) => a.getAttribute('href'))};
    """)
    assert info["scripts"] == 0  # the stored <script> is text, not an element
    assert info["title"] == "Reprint <script>alert('pwned')</script>"
    assert info["links"] == []  # the stored javascript: URL is not made a link
    # choosing the other story redraws every view
    browser.click('#stories button[data-story="s-kyiv"]')
    browser.wait("return document.getElementById('story-title').textContent.startsWith('Russian forces')")
    views = browser.wait("""
        const pts = [...document.querySelectorAll('#map svg .point')].map((p) => p.textContent.split(' ')[0]).sort();
        return pts.length === 2 && {points: pts, events: document.querySelectorAll('#timeline .ev').length,
                nodes: document.querySelectorAll('#network .node').length};
    """)
    assert views == {"points": ["Brussels", "Kyiv"], "events": 2, "nodes": 3}
    # a story with an undated event, a month-long range and no places
    browser.click('#stories button[data-story="s-unrest"]')
    awkward = browser.wait("""
        if (!document.getElementById('story-title').textContent.startsWith('Unrest')) return false;
        return {events: document.querySelectorAll('#timeline .ev').length,
                range: document.querySelectorAll('#timeline .ev rect.range').length,
                undated: [...document.querySelectorAll('#timeline .axis text')].some((t) => t.textContent === 'undated'),
                points: document.querySelectorAll('#map .point').length,
                empty: document.querySelector('#map .empty') && document.querySelector('#map .empty').textContent,
                nodes: document.querySelectorAll('#network .node').length};
    """)
    assert awkward == {"events": 2, "range": 1, "undated": True, "points": 0, "empty": "No located events.", "nodes": 3}
    browser.click('#stories button[data-story="s-kyiv"]')
    browser.wait("return document.getElementById('story-title').textContent.startsWith('Russian forces')")
    # the country level of the network
    browser.click('input[name=level][value=country]')
    nodes = browser.wait("""
        const n = [...document.querySelectorAll('#network .node')].map((g) => g.getAttribute('data-node')).sort();
        return n.includes('EU') && n;
    """)
    assert nodes == ["EU", "RUS", "UKR"]


def test_every_event_says_why_it_is_there(server, browser):
    """The `explain` of an event becomes one plain-words "why:" line in the list, the detail
    panel and the timeline tooltip; markup in it stays text."""
    from test_server import XSS

    load(browser, server + "/#story=s-visit")
    browser.wait("return document.querySelectorAll('#event-list li').length === 4")
    why = browser.js("""
        const w = {};
        for (const li of document.querySelectorAll('#event-list li')) {
          const n = li.querySelector('.why');
          w[li.getAttribute('data-event-id')] = n && {text: n.textContent, elements: n.querySelectorAll('*').length,
                                                      visible: n.getBoundingClientRect().height > 0,
                                                      small: parseFloat(getComputedStyle(n).fontSize) <
                                                             parseFloat(getComputedStyle(li).fontSize)};
        }
        return w;
    """)
    expected = ("why: lexicon 'share' (verb) → AGREE · model 0.87 · retyped from CONSULT · source: subject · "
                "target: chosen by ranker ('with' phrase, 0.71)")
    assert why["d2-e2"] == {"text": expected, "elements": 0, "visible": True, "small": True}
    assert why["d1-e1"]["text"] == "why: lexicon 'visit' (verb) → CONSULT · model 0.91 · source: subject · target: object"
    assert why["d2-e1"] is None  # an event without `explain` gets no line
    # markup in explain is shown as text, never parsed
    hostile = why["d3-e1"]
    assert hostile["elements"] == 0 and hostile["visible"]
    assert hostile["text"].startswith(f"why: lexicon '{XSS}' (verb, with '{XSS}') → CONSULT · model 0.66 · "
                                      f"retyped from {XSS} · source: ")
    assert browser.js("return document.querySelectorAll('body script').length") == 0
    # the detail panel and the timeline tooltip carry the same line
    browser.click('#event-list li[data-event-id="d2-e2"] button')
    detail = browser.wait("const p = document.querySelector('#detail p.why'); return p && p.textContent")
    assert detail == expected
    tip = browser.js("return document.querySelector('#timeline .ev[data-event-id=\"d2-e2\"] title').textContent")
    assert tip.endswith("\n" + expected)
    browser.click('#event-list li[data-event-id="d3-e1"] button')
    shown = browser.wait("const p = document.querySelector('#detail p.why');"
                         "return p && p.textContent.includes('pwned') && {text: p.textContent,"
                         " elements: p.querySelectorAll('*').length}")
    assert shown == {"text": hostile["text"], "elements": 0}
    assert browser.js("return document.querySelectorAll('body script').length") == 0


def test_page_follows_new_data_without_a_reload(browser, tmp_path):
    """An ingest writing the store shows up on an open page: counts, story list and view."""
    from storyline.store import StoreWriter
    from storyline.store.schema import rebuild_stories
    from test_server import make_doc, make_store

    db = make_store(tmp_path / "live.duckdb")
    with run_server(db) as url:
        load(browser, url + "/")
        assert "8 events" in browser.js("return document.getElementById('counts').textContent")
        assert browser.js("return document.getElementById('freshness').textContent").startswith("data as of")
        browser.js("window.notReloaded = true;")
        w = StoreWriter(db)
        w.write_batch([(make_doc("d6", "2026-02-01", "Ahn returns", "https://example.org/news/d6", [
            ("Ahn Gyu-back returned to Seoul on Sunday.", "RETREAT", None, "asserted", "ahn", None,
             "2026-02-01", "Seoul")]), "h-d6")], [])
        w.con.execute("INSERT INTO event_clusters VALUES ('d6-e1', 'c-return', 's-visit')")
        w.con.execute("UPDATE stories SET n_events = 5 WHERE story_id = 's-visit'")
        rebuild_stories(w.con)  # as a relink does
        w.close()
        browser.wait("return document.getElementById('counts').textContent.includes('9 events')", 20)
        assert browser.wait("return document.querySelectorAll('#timeline svg .ev').length === 5", 10)
        assert browser.js("return window.notReloaded === true")
