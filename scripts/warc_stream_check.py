#!/usr/bin/env python3
"""Streaming check of the WARC reader: memory stays flat while a large WARC is read.

Writes a WARC of about ``--mb`` megabytes (news-like HTML pages of varied length, with
warcinfo, request and image records mixed in; gzipped per record unless ``--plain``) to a
temporary folder, reads it with ``storyline.read.read_paths`` and reports records/s and
resident memory (RSS) sampled every 500 records; then cleans the first ``--clean`` records
and reports clean pages/s. Not a test: it takes a minute or more.

    .venv/bin/python scripts/warc_stream_check.py --mb 300
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import sys
import tempfile
import time


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_warc(path: str, target_mb: float, gz: bool = True, seed: int = 7) -> int:
    """A WARC of about ``target_mb`` MB; returns the number of HTML response records."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(seed)
    vocab = [w for w in ("the minister said on monday that talks with the neighbouring government would resume "
                         "next week in the capital after troops withdrew from the border region officials "
                         "told reporters protesters gathered outside parliament police arrested").split()]
    n = 0
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record("synthetic.warc", {"software": "storyline check"}))
        while fh.tell() < target_mb * 1024 * 1024:
            n += 1
            paras = "".join(
                "<p>" + " ".join(rng.choice(vocab) for _ in range(rng.randint(20, 80))).capitalize() + ".</p>"
                for _ in range(rng.randint(5, 40)))
            nav = "".join(f"<li><a href='/s/{rng.randrange(10**6)}'>Section {k}</a></li>" for k in range(60))
            html = (f"<!DOCTYPE html><html><head><title>Story {n}</title>"
                    f"<meta property='article:published_time' content='2026-01-{1 + n % 28:02d}'></head>"
                    f"<body><nav><ul>{nav}</ul></nav><article><h1>Story {n}</h1>{paras}</article>"
                    f"<footer>All rights reserved</footer></body></html>").encode()
            url = f"https://news.example.org/{n}"
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example.org")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=req))
            hh = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html), http_headers=hh))
            if n % 10 == 0:
                img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    url + ".png", "response", payload=io.BytesIO(os.urandom(20000)), http_headers=img))
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=300)
    ap.add_argument("--plain", action="store_true", help="uncompressed WARC")
    ap.add_argument("--clean", type=int, default=300, help="records to clean for clean pages/s (0: skip)")
    ap.add_argument("--keep", help="write the WARC here and keep it")
    a = ap.parse_args()
    from storyline.models import RawDoc
    from storyline.read import read_paths

    tmp = tempfile.mkdtemp(prefix="warccheck")
    path = a.keep or os.path.join(tmp, "big.warc" + ("" if a.plain else ".gz"))
    t0 = time.perf_counter()
    n_written = write_warc(path, a.mb, gz=not a.plain)
    size_mb = os.path.getsize(path) / 1024 / 1024
    print(f"wrote {path}: {size_mb:.0f} MB, {n_written} HTML records in {time.perf_counter() - t0:.0f} s",
          file=sys.stderr)

    start_rss = rss_mb()
    samples = []
    n = fails = 0
    t0 = time.perf_counter()
    for item in read_paths([path]):
        if isinstance(item, RawDoc):
            n += 1
        else:
            fails += 1
        if n % 500 == 0:
            samples.append(round(rss_mb(), 1))
    secs = time.perf_counter() - t0
    result = {
        "warc_mb": round(size_mb), "gzip": not a.plain, "records": n, "failures": fails,
        "read_seconds": round(secs, 1), "records_per_s": round(n / secs, 1),
        "rss_mb_start": round(start_rss, 1), "rss_mb_max": max(samples or [start_rss]),
        "rss_mb_first_sample": samples[0] if samples else None, "rss_mb_last_sample": samples[-1] if samples else None,
    }
    if a.clean:
        from storyline.clean import clean

        docs = []
        for item in read_paths([path]):
            docs.append(item)
            if len(docs) >= a.clean:
                break
        clean(docs[0])  # warm-up (language model)
        t0 = time.perf_counter()
        for d in docs:
            clean(d)
        result["clean_pages_per_s"] = round(len(docs) / (time.perf_counter() - t0), 1)
    if not a.keep:
        os.remove(path)
        os.rmdir(tmp)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
