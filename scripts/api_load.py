#!/usr/bin/env python3
"""Latency of the common API queries against a running `storyline serve` (not for tests).

    python scripts/synth_store.py --db build/big.duckdb          # 1M events, 200k documents
    python scripts/api_load.py --db build/big.duckdb --requests 100

Starts the server on a free 127.0.0.1 port over ``--db`` (or uses ``--url``), then sends
each query ``--requests`` times with varied parameters (countries, types, date windows and
stories drawn with a fixed seed), one client after the other, and prints p50 / p95 / max in
milliseconds per query as JSON. The first request of each kind is a warm-up, not counted.
"""
from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))
TYPES = ["AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "ASSAULT"]


def get(url: str) -> tuple[float, int, bytes]:
    t0 = time.perf_counter()
    try:
        with _http.open(url, timeout=120) as r:
            body, status = r.read(), r.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    return (time.perf_counter() - t0) * 1000, status, body


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def queries(base: str, rnd: random.Random, stories: list[str], countries: list[str]) -> dict:
    """Query name → a function giving the next URL."""
    def window() -> str:
        y, m = rnd.choice([2024, 2025, 2026]), rnd.randrange(1, 12)
        return f"since={y}-{m:02d}&until={y}-{m + 1:02d}"

    return {
        "story list": lambda: f"{base}/api/stories",
        "story timeline": lambda: f"{base}/api/stories/{rnd.choice(stories)}",
        "events by country": lambda: f"{base}/api/events?country={rnd.choice(countries)}",
        "events by country+type+date": lambda: (f"{base}/api/events?country={rnd.choice(countries)}"
                                                f"&type={rnd.choice(TYPES)}&{window()}"),
        "events by type+date": lambda: f"{base}/api/events?type={rnd.choice(TYPES)}&{window()}",
        "actor network (country filter)": lambda: f"{base}/api/network?country={rnd.choice(countries)}",
        "country network (type+date)": lambda: f"{base}/api/network?level=country&type={rnd.choice(TYPES)}&{window()}",
    }


def measure(base: str, n: int, seed: int = 7) -> dict:
    rnd = random.Random(seed)
    _, status, body = get(f"{base}/api/stories?limit=10000")
    listed = json.loads(body)["stories"]
    # stories of every size: 50 spread over the list, from the largest to the smallest
    stories = [s["story_id"] for s in listed[:: max(1, len(listed) // 50)]]
    _, _, body = get(f"{base}/api/network?level=country")
    countries = [node["id"] for node in json.loads(body)["nodes"]][:60]
    out = {}
    for name, make in queries(base, rnd, stories, countries).items():
        get(make())  # warm-up
        times, bad = [], 0
        for _ in range(n):
            ms, status, _ = get(make())
            times.append(ms)
            bad += status != 200
        times.sort()
        out[name] = {"p50_ms": round(statistics.median(times), 1),
                     "p95_ms": round(times[max(0, int(0.95 * len(times)) - 1)], 1),
                     "max_ms": round(times[-1], 1), "requests": n, "non_200": bad}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="store to serve (a server is started on a free port)")
    ap.add_argument("--url", help="a server already running, e.g. http://127.0.0.1:8765")
    ap.add_argument("--requests", type=int, default=100)
    a = ap.parse_args()
    if not (a.db or a.url):
        ap.error("--db or --url")
    server = None
    base = a.url
    if a.db:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([sys.executable, "-c", "from storyline.cli import main; main()", "serve",
                                   "--db", a.db, "--port", str(port)], stdout=subprocess.DEVNULL)
        for _ in range(600):
            try:
                if get(base + "/api/health")[1] == 200:
                    break
            except OSError:
                time.sleep(0.1)
    try:
        _, _, body = get(base + "/api/health")
        result = {"counts": json.loads(body)["counts"], "latency": measure(base, a.requests)}
        print(json.dumps(result, indent=1))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
