#!/usr/bin/env python3
"""Build a large synthetic store to measure the API at scale (not for tests).

    python scripts/synth_store.py --db build/big.duckdb --events 1000000 --docs 200000

Rows are made in DuckDB SQL from hashes of the row number (deterministic, no randomness in
Python): documents with a short text, 3 actors each drawn from 50,000 (so the actor network
has hubs), events of the 16 PLOVER types between 150 countries over three years with a JSON
record of the stable EVENT shape, clusters of about 3 events and stories of clusters (sizes
skewed: a few stories are large). Written through ``StoreWriter``'s schema and published as
a snapshot on close, as an ingest would. See docs/BENCHMARKS.md (API at a million events).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
         "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
MODALITIES = ["asserted", "asserted", "asserted", "planned", "reported", "negated", "hypothetical"]
AGENTS = ["GOV", "MIL", "REB", "OPP", "CVL", "BUS", "MED", "IGO", "JUD", "LEG"]


def build(db: str, n_events: int, n_docs: int, n_actors: int = 50_000, n_stories: int = 20_000) -> dict:
    """Write the synthetic store at ``db`` (replaced if it exists); returns row counts and seconds."""
    import shutil

    import pycountry

    from storyline.store import StoreWriter
    from storyline.store.query import keep_networks
    from storyline.store.schema import rebuild_sides, rebuild_stories
    from storyline.store.snapshot import folder

    for old in (Path(db), Path(db + ".wal")):
        old.unlink(missing_ok=True)
    shutil.rmtree(folder(db), ignore_errors=True)
    Path(db).parent.mkdir(parents=True, exist_ok=True)  # build/ is not in a fresh clone
    codes = sorted(c.alpha_3 for c in pycountry.countries)[:150]
    t0 = time.perf_counter()
    w = StoreWriter(db)
    con = w.con
    con.execute("CREATE TEMP TABLE types AS SELECT unnest(?) AS type, generate_subscripts(?, 1) - 1 AS i", [TYPES, TYPES])
    con.execute("CREATE TEMP TABLE mods AS SELECT unnest(?) AS m, generate_subscripts(?, 1) - 1 AS i",
                [MODALITIES, MODALITIES])
    con.execute("CREATE TEMP TABLE ctry AS SELECT unnest(?) AS c, generate_subscripts(?, 1) - 1 AS i", [codes, codes])
    con.execute("CREATE TEMP TABLE agents AS SELECT unnest(?) AS a, generate_subscripts(?, 1) - 1 AS i",
                [AGENTS, AGENTS])
    # h(x, salt) in [0, 2^31): a deterministic hash of the row number
    con.execute("CREATE MACRO h(x, salt) AS hash(x * 7919 + salt) % 2147483647")
    con.execute(f"""
        INSERT INTO documents (doc_id, source, url, title, published, published_inferred, language, text,
                               content_hash, raw_hash, duplicate_of, minhash, shingles, related_checked)
        SELECT 'doc' || i, 'synthetic/' || i || '.txt', 'https://news.example/' || i, 'Synthetic report ' || i,
               DATE '2024-01-01' + CAST(h(i, 1) % 1095 AS INTEGER), FALSE, 'en',
               'Synthetic report ' || i || '. Officials met on Monday to discuss the matter, a spokesman said.',
               md5(CAST(i AS VARCHAR)), md5(CAST(i AS VARCHAR)), NULL, NULL, NULL, NULL
        FROM range({n_docs}) t(i)""")
    con.execute(f"""
        INSERT INTO actors
        SELECT 'doc' || x.d, 'a' || x.d || '-' || x.k, 'Actor ' || x.a, c.c, g.a, NULL, 'organisation', '[]', 1, 'act' || x.a
        FROM (SELECT d, k, CAST(floor(pow(h(d * 3 + k, 2) / 2147483647.0, 3) * {n_actors}) AS BIGINT) AS a
              FROM range({n_docs}) t(d), range(3) s(k)) x
        JOIN ctry c ON c.i = x.a % 150 JOIN agents g ON g.i = x.a % 10""")
    con.execute(f"""
        CREATE TEMP TABLE ev AS
        SELECT i, 'ev' || i AS event_id, 'doc' || (i % {n_docs}) AS doc_id,
               (i % {n_docs}) AS d, h(i, 3) % 16 AS ti, h(i, 4) % 7 AS mi,
               CAST(floor(pow(h(i, 5) / 2147483647.0, 2) * 150) AS INTEGER) AS si,
               CAST(floor(pow(h(i, 6) / 2147483647.0, 2) * 150) AS INTEGER) AS gi,
               h(i, 7) % 3 AS sk, h(i, 8) % 3 AS tk,
               DATE '2024-01-01' + CAST(h(i % {n_docs}, 1) % 1095 AS INTEGER) - CAST(h(i, 9) % 3 AS INTEGER) AS date
        FROM range({n_events}) t(i)""")
    con.execute("""
        INSERT INTO events
        SELECT e.event_id, e.doc_id, t.type, NULL, lpad(CAST(t.i + 1 AS VARCHAR), 2, '0'), m.m, e.date, NULL, 'day',
               'Monday', sa.name, sa.country, sa.agent, sa.actor_id, ta.name, ta.country, ta.agent, ta.actor_id,
               'Capital of ' || sa.country, sa.country, (e.si % 120) - 60.0, (e.gi % 300) - 150.0, NULL, 0.8,
               'Synthetic sentence ' || e.i || '.', 0, 20,
               to_json({event_id: e.event_id, type: t.type, mode: NULL, cameo: lpad(CAST(t.i + 1 AS VARCHAR), 2, '0'),
                        source: {text: sa.name, name: sa.name, country: sa.country, agent: sa.agent,
                                 actor_id: sa.actor_id},
                        target: {text: ta.name, name: ta.name, country: ta.country, agent: ta.agent,
                                 actor_id: ta.actor_id},
                        date: CAST(e.date AS VARCHAR), date_end: NULL, date_precision: 'day', date_text: 'Monday',
                        location: {name: 'Capital of ' || sa.country, country: sa.country},
                        modality: m.m, attribution: NULL, quantities: [], sentence: 'Synthetic sentence ' || e.i || '.',
                        start: 0, "end": 20, confidence: 0.8}),
               sa.canonical_id, ta.canonical_id
        FROM ev e JOIN types t ON t.i = e.ti JOIN mods m ON m.i = e.mi
        JOIN actors sa ON sa.doc_id = e.doc_id AND sa.actor_id = 'a' || e.d || '-' || e.sk
        JOIN actors ta ON ta.doc_id = e.doc_id AND ta.actor_id = 'a' || e.d || '-' || ((e.sk + 1 + e.tk % 2) % 3)""")
    # clusters of about 3 events of one document range; stories: clusters grouped, sizes skewed
    con.execute(f"""
        INSERT INTO event_clusters
        SELECT event_id, 'c' || (i // 3), 's' || CAST(floor(pow(h(i // 3, 10) / 2147483647.0, 2) * {n_stories}) AS BIGINT)
        FROM ev""")
    con.execute("""
        INSERT INTO stories
        SELECT c.story_id, 'Synthetic story ' || c.story_id, min(e.date), max(e.date), count(*),
               count(DISTINCT e.doc_id), count(DISTINCT c.event_cluster)
        FROM event_clusters c JOIN events e USING (event_id) GROUP BY c.story_id""")
    rebuild_sides(con)  # as a relink does
    rebuild_stories(con)
    t1 = time.perf_counter()
    kept = keep_networks(con)
    networks = time.perf_counter() - t1
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("documents", "actors", "events", "event_clusters", "stories", "event_sides", "story_events")}
    built = time.perf_counter() - t0
    w.close()  # checkpoint and publish the snapshot the server reads
    return {"counts": counts, "build_seconds": round(built, 1), "networks_kept": kept,
            "networks_seconds": round(networks, 1),
            "with_snapshot_seconds": round(time.perf_counter() - t0, 1),
            "file_mb": round(Path(db).stat().st_size / 2**20)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--docs", type=int, default=200_000)
    a = ap.parse_args()
    print(build(a.db, a.events, a.docs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
