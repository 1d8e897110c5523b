import datetime as dt
import json

import duckdb
import pandas as pd
import pytest

from storyline.store.schema import SCHEMA_VERSION

from storyline.errors import StoreError
from storyline.ingest import relink
from storyline.models import Actor, DocResult, Event, EventArg, Failure, Location, Mention, Quantity, Sentence
from storyline.store import StoreWriter, connect, event_records, export, failures, stories


def result(doc_id: str, day: int, text: str = "Ahn visited Japan.") -> DocResult:
    actor = Actor(id="a-ahn", name="Ahn Gyu-back", country="KOR", agent="GOV", role="defence minister",
                  kind="person", aliases=["Ahn"], mentions=[Mention("Ahn", 0, 3)])
    event = Event(
        event_id=f"{doc_id}-e1", type="CONSULT", mode="visit", cameo="042",
        source=EventArg("Ahn", "Ahn Gyu-back", "KOR", "GOV", "a-ahn"), target=EventArg("Japan", "Japan", "JPN", "GOV"),
        date=f"2026-01-{day:02d}", date_end=None, date_precision="day", date_text="Thursday",
        location=Location("Yokosuka", "JPN", 35.28, 139.67, 1848313), modality="asserted", attribution=None,
        quantities=[Quantity("two", 2, "missile")], sentence=text, start=0, end=len(text), confidence=0.8,
    )
    return DocResult(doc_id=doc_id, title="t", published=dt.date(2026, 1, day), published_inferred=False,
                     text=text + f" {doc_id}", actors=[actor], events=[event], sentences=[Sentence(text, 0, len(text))],
                     content_hash=doc_id, source=f"{doc_id}.txt")


def dump(path_or_con) -> dict:
    """Every row of every table; reads through the writer's connection when one is open."""
    own = not isinstance(path_or_con, duckdb.DuckDBPyConnection)
    con = duckdb.connect(str(path_or_con), read_only=True) if own else path_or_con
    out = {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall()))
           for t in ("documents", "events", "actors", "event_clusters", "stories", "failures")}
    if own:
        con.close()
    return out


def test_write_relink_and_rewrite_is_idempotent(tmp_path):
    db = tmp_path / "s.duckdb"
    w = StoreWriter(db)
    w.write_batch([(result("d1", 29), "h1"), (result("d2", 29), "h2")], [Failure("bad.bin", "read", "binary", "bad.bin: binary")])
    relink(w)
    w.close()
    first = dump(db)
    w = StoreWriter(db)
    w.write_batch([(result("d1", 29), "h1"), (result("d2", 29), "h2")], [Failure("bad.bin", "read", "binary", "bad.bin: binary")])
    relink(w)
    w.close()
    assert dump(db) == first
    con = connect(db, read_only=True)
    recs = event_records(con)
    assert len(recs) == 2 and recs[0]["event_cluster"] == recs[1]["event_cluster"] and recs[0]["story_id"]
    assert recs[0]["source"]["country"] == "KOR" and recs[0]["quantities"][0]["value"] == 2
    assert [s["n_docs"] for s in stories(con)] == [2]
    assert failures(con)[0]["doc"] == "bad.bin"


def test_failed_batch_leaves_store_unchanged(tmp_path):
    db = tmp_path / "s.duckdb"
    w = StoreWriter(db)
    w.write_batch([(result("d1", 29), "h1")], [])
    before = dump(w.con)
    bad = result("d2", 29)
    bad.events.append(bad.events[0])  # duplicate primary key: the insert fails half-way
    with pytest.raises(duckdb.Error):
        w.write_batch([(result("d3", 29), "h3"), (bad, "h2")], [])
    w.close()
    assert dump(db) == before


def test_success_clears_an_old_failure(tmp_path):
    db = tmp_path / "s.duckdb"
    w = StoreWriter(db)
    w.write_batch([], [Failure("d1.txt", "clean", "empty", "d1.txt: empty")])
    w.write_batch([(result("d1", 29), "h1")], [])
    assert failures(w.con) == []
    w.close()


@pytest.mark.parametrize("what", ["events", "docs", "actors", "stories"])
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_exports(tmp_path, what, fmt):
    db = tmp_path / "s.duckdb"
    w = StoreWriter(db)
    w.write_batch([(result("d1", 29), "h1")], [])
    relink(w)
    w.close()
    out = tmp_path / f"x.{fmt}"
    n = export(connect(db, read_only=True), what, fmt, out)
    assert n == 1
    if fmt == "jsonl":
        row = json.loads(out.read_text().splitlines()[0])
    elif fmt == "csv":
        row = pd.read_csv(out).iloc[0].to_dict()
    else:
        row = pd.read_parquet(out).iloc[0].to_dict()
    key = {"events": "event_id", "docs": "doc_id", "actors": "actor_id", "stories": "story_id"}[what]
    assert row[key]


def test_missing_store_is_a_named_error(tmp_path):
    with pytest.raises(StoreError, match="no such store"):
        connect(tmp_path / "nope.duckdb", read_only=True)


def old_store(db, version: int, first_new_column: str):
    """A store as schema ``version`` wrote it: the documents table ends before ``first_new_column``."""
    from storyline.store.schema import TABLES

    con = duckdb.connect(str(db))
    for name, cols in TABLES.items():
        if name == "documents":
            cols = cols.split(first_new_column)[0]
        con.execute(f"CREATE TABLE {name} ({cols})")
    con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(version)])
    return con


def test_version_1_store_is_migrated_on_write_and_refused_read_only(tmp_path):
    db = tmp_path / "old.duckdb"
    old_store(db, 1, ",\n        author VARCHAR").close()
    with pytest.raises(StoreError, match="upgrade"):
        connect(db, read_only=True)
    w = StoreWriter(db)
    w.write_batch([(result("d1", 29), "h1")], [])
    w.close()
    con = connect(db, read_only=True)
    assert con.execute("SELECT value FROM meta").fetchone()[0] == str(SCHEMA_VERSION)
    cols = {r[0] for r in con.execute("DESCRIBE documents").fetchall()}
    assert {"author", "dateline", "published_source", "published_confidence", "shingles", "related_checked"} <= cols
    con.close()


def migrated_store(db, version: int, *undo: str) -> StoreWriter:
    """A one-document store taken back to schema ``version`` by the ``undo`` statements, then
    opened for writing again (which migrates it)."""
    w = StoreWriter(db)
    w.write_batch([(result("d1", 29), "h1")], [])
    for stmt in undo:
        w.con.execute(stmt)
    w.con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])
    w.close()
    return StoreWriter(db)


def test_version_3_store_gets_each_event_sides_canonical_actor(tmp_path):
    w = migrated_store(tmp_path / "v3.duckdb", 3, "UPDATE actors SET canonical_id = 'merged-' || actor_id",
                       "ALTER TABLE events DROP COLUMN source_canonical", "ALTER TABLE events DROP COLUMN target_canonical")
    rows = w.con.execute("SELECT source_actor, source_canonical, target_actor, target_canonical FROM events").fetchall()
    w.close()
    assert any(sa for sa, _, _, _ in rows) and all(sc == (f"merged-{sa}" if sa else None) and tc == (f"merged-{ta}" if ta else None)
                        for sa, sc, ta, tc in rows)


def test_generic_bodies_are_no_evidence_of_the_same_story():
    from storyline.ingest import generic_name

    assert generic_name("the Indian Navy") and generic_name("Navy") and generic_name("police")
    assert not generic_name("INS Mysore") and not generic_name("San Diego Chargers") and not generic_name("Barack Obama")


def test_version_2_store_is_rehashed_so_exact_duplicates_are_found(tmp_path):
    """Before schema 3 the stored hash kept case while the deduplicator folded it."""
    import hashlib

    from storyline.dedup import Deduplicator
    from storyline.identity import content_hash
    text = "Fishermen from two coastal villages rowed to the harbour office on Tuesday to ask for new quotas."
    db = tmp_path / "v2.duckdb"
    con = old_store(db, 2, ",\n        shingles INTEGER")
    old_hash = hashlib.sha1(text.encode()).hexdigest()[:16]  # version 2: case kept
    con.execute("INSERT INTO documents (doc_id, text, title, content_hash, raw_hash) VALUES ('old', ?, 'Quotas', ?, 'r')",
                [text, old_hash])
    con.close()
    w = StoreWriter(db)
    row = w.con.execute("SELECT content_hash, shingles, minhash IS NOT NULL FROM documents").fetchone()
    assert row[0] == content_hash(text) != old_hash and row[1] > 10 and row[2]
    d = Deduplicator()
    w.seed(d)
    w.close()
    assert content_hash(text.upper()) in d.exact


def _one_event_store(tmp_path) -> str:
    db = tmp_path / "s.duckdb"
    w = StoreWriter(db)
    nobody = result("d2", 28)
    nobody.events[0].target = None  # one event without a target: a null object, not a column of its own
    nobody.events[0].location = None
    w.write_batch([(result("d1", 29), "h1"), (nobody, "h2")], [])
    relink(w)
    w.close()
    return str(db)


def test_parquet_export_keeps_objects_as_structs_and_days_as_dates(tmp_path):
    db = _one_event_store(tmp_path)
    for what in ("events", "stories", "docs"):
        export(connect(db, read_only=True), what, "parquet", tmp_path / f"{what}.parquet")
    con = duckdb.connect()
    ev = tmp_path / "events.parquet"
    assert sorted(con.execute(f"select source.country, target.country from '{ev}'").fetchall(),
                  key=repr) == [("KOR", "JPN"), ("KOR", None)]
    types = dict(con.execute(f"select column_name, column_type from (describe select * from '{ev}')").fetchall())
    assert types["date"] == "DATE" and types["doc_published"] == "DATE"
    assert not any(c.startswith(("source_", "target_", "location_")) for c in types)
    for what, col in (("stories", "first_date"), ("docs", "published")):
        t = dict(con.execute(f"select column_name, column_type from (describe select * from "
                             f"'{tmp_path / (what + '.parquet')}')").fetchall())
        assert t[col] == "DATE"


def test_csv_export_has_flat_columns_only_and_goes_to_stdout(tmp_path, capsys):
    db = _one_event_store(tmp_path)
    export(connect(db, read_only=True), "events", "csv", "-")
    out = capsys.readouterr().out
    header = out.splitlines()[0].split(",")
    assert "source_country" in header and "target_country" in header and "location_name" in header
    assert not {"source", "target", "location", "destination"} & set(header)
    assert "destination_name" in header  # an object no row has still gets its columns
    assert len(out.strip().splitlines()) == 3


def _expected_sides(con) -> list[tuple]:
    """What ``event_sides`` must hold, computed here from the events table row by row."""
    def key(actor, canonical, name, country):
        if actor:
            return canonical or actor
        return f"{country or '?'}:{name or country}" if (name or country) else None

    out = []
    for (eid, sa, sc, sn, sco, ta, tc, tn, tco) in con.execute(
            "SELECT event_id, source_actor, source_canonical, source_name, source_country, target_actor, "
            "target_canonical, target_name, target_country FROM events").fetchall():
        for country in sorted({sco, tco, ""} - {None}):  # and every event once under ""
            out.append((country, eid, key(sa, sc, sn, sco), key(ta, tc, tn, tco)))
    return sorted(out)


def _sides(con) -> list[tuple]:
    return sorted(con.execute("SELECT country, event_id, actor_s, actor_t FROM event_sides").fetchall())


def test_event_sides_follow_every_batch_relink_and_rewrite(tmp_path):
    """The country-ordered side table stays equal to what the events say: after a batch,
    a relink (canonical actors change), a document rewritten with other countries, a rerun."""
    from storyline.store.query import event_page, network

    db = tmp_path / "s.duckdb"
    w = StoreWriter(db)
    w.write_batch([(result("d1", 29), "h1"), (result("d2", 29), "h2")], [])
    assert len(_sides(w.con)) == 6 and _sides(w.con) == _expected_sides(w.con)
    w.con.execute("UPDATE actors SET canonical_id = 'merged'")
    relink(w)
    assert _sides(w.con) == _expected_sides(w.con)
    changed = result("d1", 29)
    changed.events[0].target = EventArg("Beijing", "China", "CHN", "GOV")
    w.write_batch([(changed, "h1b")], [])  # re-ingested with another target: old sides go
    assert _sides(w.con) == _expected_sides(w.con)
    assert {c for c, *_ in _sides(w.con)} == {"KOR", "JPN", "CHN", ""}
    relink(w)
    w.close()
    con = connect(db, read_only=True)
    assert _sides(con) == _expected_sides(con)
    net = network(con, country="CHN")
    assert net["n_events"] == 1 and [e["events"] for e in net["edges"]] == [["d1-e1"]]
    assert event_page(con, 10, country="KOR")[0] == 2 and event_page(con, 10, country="JPN")[0] == 1
    con.close()


def test_event_sides_keys_follow_the_canonical_actors_without_a_resort(tmp_path):
    """A relink updates the changed sides in place while few rows were appended since the
    last sort, and re-sorts the table once a quarter of it was."""
    from storyline.store.schema import SIDES_APPENDED, refresh_sides

    def appended(con) -> int:
        return int(con.execute("SELECT value FROM meta WHERE key = ?", [SIDES_APPENDED]).fetchone()[0])

    w = StoreWriter(tmp_path / "s.duckdb")
    w.write_batch([(result(f"d{i}", 20 + i), f"h{i}") for i in range(4)], [])
    assert appended(w.con) == 12
    relink(w)  # 12 of 12 rows appended: re-sorted
    assert appended(w.con) == 0 and _sides(w.con) == _expected_sides(w.con)
    w.write_batch([(result("d9", 28), "h9")], [])  # 3 of 15 appended: below a quarter
    w.con.execute("UPDATE events SET source_canonical = 'someone-else' WHERE event_id = 'd1-e1'")
    refresh_sides(w.con)
    assert appended(w.con) == 3 and _sides(w.con) == _expected_sides(w.con)
    assert {s for c, e, s, _ in _sides(w.con) if e == "d1-e1"} == {"someone-else"}
    w.close()


def test_version_4_store_gets_the_side_table(tmp_path):
    w = migrated_store(tmp_path / "v4.duckdb", 4, "DROP TABLE event_sides")
    assert _sides(w.con) == _expected_sides(w.con) and len(_sides(w.con)) == 3
    w.close()


def test_relinking_around_new_documents_gives_the_full_relink(tmp_path):
    """Two ingests, each linked around what it wrote, leave the store a full relink leaves."""
    db = tmp_path / "s.duckdb"
    w = StoreWriter(db)
    w.write_batch([(result("d1", 29), "h1")], [])
    relink(w, {"d1"})
    w.write_batch([(result("d2", 29), "h2"), (result("d3", 30, "Ahn met Japan's minister."), "h3")], [])
    relink(w, {"d2", "d3"})
    w.close()
    incremental = dump(db)
    w = StoreWriter(db)
    relink(w, None)
    w.close()
    assert dump(db) == incremental
    # d2 tells d1's event (one cluster, one story); whether Friday's d3 joins them is the story model's call
    assert [s["n_docs"] for s in stories(connect(db, read_only=True))] in ([3], [2, 1])


def _story_rows(con) -> list[tuple]:
    return sorted(con.execute("SELECT story_id, event_cluster, event_id, doc_id, date, actor_s, actor_t "
                              "FROM story_events").fetchall())


def _expected_story_rows(con) -> list[tuple]:
    """What ``story_events`` must hold: the linked events with their clusters (and the actor
    keys ``event_sides`` has, checked against the events above)."""
    return sorted(con.execute(
        "SELECT c.story_id, c.event_cluster, e.event_id, e.doc_id, e.date, s.actor_s, s.actor_t "
        "FROM events e JOIN event_clusters c USING (event_id) JOIN event_sides s ON s.event_id = e.event_id "
        "AND s.country = ''").fetchall())


def test_story_events_follow_every_batch_relink_and_rewrite(tmp_path):
    """The story-ordered table equals the join of the events and their clusters: after a
    relink, after a document is rewritten with another date (its event keeps its cluster),
    after a new unlinked document, and in a store migrated from version 6."""
    w = StoreWriter(tmp_path / "s.duckdb")
    w.write_batch([(result("d1", 29), "h1"), (result("d2", 29), "h2")], [])
    assert _story_rows(w.con) == []  # nothing linked yet
    relink(w)
    assert len(_story_rows(w.con)) == 2 and _story_rows(w.con) == _expected_story_rows(w.con)
    w.write_batch([(result("d1", 27), "h1b"), (result("d3", 30), "h3")], [])
    assert _story_rows(w.con) == _expected_story_rows(w.con)
    assert dt.date(2026, 1, 27) in {r[4] for r in _story_rows(w.con)} and "d3-e1" not in {r[2] for r in _story_rows(w.con)}
    relink(w)
    assert len(_story_rows(w.con)) == 3 and _story_rows(w.con) == _expected_story_rows(w.con)
    w.close()
    w = StoreWriter(tmp_path / "v6.duckdb")
    w.write_batch([(result("d1", 29), "h1")], [])
    relink(w)
    w.con.execute("DROP TABLE story_events")
    w.con.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    w.close()
    w = StoreWriter(tmp_path / "v6.duckdb")
    assert len(_story_rows(w.con)) == 1 and _story_rows(w.con) == _expected_story_rows(w.con)
    w.close()


def test_busiest_networks_are_kept_at_relink_and_dropped_by_a_batch(tmp_path, monkeypatch):
    """The writer keeps the answers of the networks over KEEP_NETWORK_ROWS event sides (here
    every one) at each relink; they equal what the query computes, a reader gets them as
    stored, and a batch that changes events drops them until the next relink."""
    from storyline.store import query

    monkeypatch.setattr(query, "KEEP_NETWORK_ROWS", 1)
    w = StoreWriter(tmp_path / "s.duckdb")
    w.write_batch([(result("d1", 29), "h1"), (result("d2", 29), "h2")], [])
    relink(w)

    def kept() -> list[tuple]:
        return sorted(tuple(k.split(" ")[:2]) for k, in w.con.execute("SELECT key FROM network_answers").fetchall())

    assert kept() == [("actor", ""), ("actor", "JPN"), ("actor", "KOR"), ("country", "")]
    for level, country in kept():
        filters = {"country": country} if country else {}
        live = query.network(w.con, level, stored=False, **filters)
        assert live["n_events"] == 2 and query.network(w.con, level, **filters) == live
    assert query.network(w.con, country="KOR", type="CONSULT")["n_events"] == 2  # other filters: computed
    w.con.execute("UPDATE network_answers SET body = '{\"stored\": true}' WHERE key = 'actor JPN 500'")
    assert query.network(w.con, country="JPN") == {"stored": True}  # read as stored
    assert query.network(w.con, country="JPN", limit=3)["n_events"] == 2  # another limit: computed
    w.write_batch([(result("d3", 30), "h3")], [])
    assert kept() == []
    relink(w)
    assert len(kept()) == 4 and query.network(w.con, country="JPN")["n_events"] == 3
    w.close()
