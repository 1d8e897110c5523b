"""The single writer of a storyline DuckDB store.

Each batch of documents is written with all its results in one transaction, through
Arrow tables (no row-by-row inserts); the links that ``storyline.ingest`` computes over
the whole store (actors across documents, event clusters, stories) are written in a
transaction of their own. Storage only: no stage runs here. A run killed at any moment and run again therefore ends with the
same store as an uninterrupted run.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import duckdb
import pyarrow as pa

from ..dedup import Deduplicator, signature
from ..errors import StoreError
from ..models import DocResult, Failure, to_dict
from . import DEFAULT_DB, snapshot
from .query import keep_networks
from .schema import (CANONICAL_SIDES, DOC_TABLES, MIGRATIONS, SCHEMA_VERSION, create_statements, note_appended,
                     rebuild_stories, refresh_sides, sides_sql, story_sql)

# Test hook: "after:N" or "during:N" ends the process at once (as kill -9 would: no cleanup,
# no rollback) after the N-th batch is committed, or inside its transaction. The tests use
# it to crash an ingest at every batch boundary and in the middle of a batch.
CRASH_ENV = "STORYLINE_CRASH_AT"


def _crash_point(when: str, batch: int) -> None:
    if os.environ.get(CRASH_ENV) == f"{when}:{batch}":
        os._exit(137)


def connect(path: str | Path = DEFAULT_DB, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a store; a read-only open of a missing file is an error, not a new store."""
    path = str(path)
    if read_only and path != ":memory:" and not Path(path).exists():
        raise StoreError(f"{path}: no such store (run `storyline ingest PATH --db {path}` first)")
    try:
        con = duckdb.connect(path, read_only=read_only)
    except duckdb.IOException as exc:
        raise StoreError(f"{path}: cannot open store: {exc}") from exc
    if not read_only:
        fresh = not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'").fetchone()[0]
        for stmt in create_statements():
            con.execute(stmt)
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            if not fresh:
                raise StoreError(f"{path}: not a storyline store (no schema version)")
            con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        else:
            _migrate(con, path, int(row[0]))
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None or int(row[0]) != SCHEMA_VERSION:
        con.close()
        hint = " (open it once for writing, e.g. with `storyline ingest`, to upgrade it)" if row and int(row[0]) < SCHEMA_VERSION else ""
        raise StoreError(f"{path}: store schema version {row and row[0]} is not {SCHEMA_VERSION}{hint}")
    return con


def open_reader(path: str | Path = DEFAULT_DB) -> tuple[duckdb.DuckDBPyConnection, snapshot.Snapshot | None]:
    """A read-only connection to the newest published snapshot of a store (else to the
    store file itself, for a store no snapshot was published of), and that snapshot.

    Readers use this so that they never wait for a writer, nor make it wait.
    """
    path = str(path)
    if path != ":memory:" and not Path(path).exists():
        raise StoreError(f"{path}: no such store (run `storyline ingest PATH --db {path}` first)")
    for _ in range(3):
        snap = snapshot.latest(path)
        if snap is None:
            return connect(path, read_only=True), None
        try:
            return connect(snap.path, read_only=True), snap
        except StoreError as exc:
            if snapshot.latest(path) == snap:  # not pruned meanwhile: a real error, told of the store
                raise StoreError(str(exc).replace(str(snap.path), path)) from exc
    raise StoreError(f"{path}: snapshots are replaced faster than they can be opened")


def _migrate(con: duckdb.DuckDBPyConnection, path: str, version: int) -> None:
    """Bring an older store up to SCHEMA_VERSION, one version at a time, in one transaction."""
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: store schema version {version} is newer than this storyline ({SCHEMA_VERSION})")
    if version == SCHEMA_VERSION:
        return
    con.begin()
    try:
        for v in range(version + 1, SCHEMA_VERSION + 1):
            for step in MIGRATIONS.get(v, []):
                if callable(step):
                    step(con)
                else:
                    con.execute(step)
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)])
        con.commit()
    except Exception:
        con.rollback()
        raise


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The table's columns as the store declares them (read from DuckDB, not parsed from DDL)."""
    return [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    cols = _columns(con, table)
    data = pa.table({c: [r.get(c) for r in rows] for c in cols}) if table != "documents" else _documents_table(rows, cols)
    con.register("_batch", data)
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM _batch")
    finally:
        con.unregister("_batch")


def _documents_table(rows: list[dict], cols: list[str]) -> pa.Table:
    arrays = {}
    for c in cols:
        values = [r.get(c) for r in rows]
        arrays[c] = pa.array(values, type=pa.list_(pa.uint64())) if c == "minhash" else pa.array(values)
    return pa.table(arrays)


def _arg(prefix: str, arg) -> dict:
    arg = arg or {}
    return {f"{prefix}_name": arg.get("name") or arg.get("text"), f"{prefix}_country": arg.get("country"),
            f"{prefix}_agent": arg.get("agent"), f"{prefix}_actor": arg.get("actor_id")}


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def result_rows(res: DocResult, raw_hash: str) -> dict[str, list[dict]]:
    """Rows of every table for one document result."""
    d = res.doc_id
    rows: dict[str, list[dict]] = {t: [] for t in DOC_TABLES}
    minhash, shingles = signature(res.text, res.title) if not res.duplicate_of else (None, None)
    rows["documents"] = [{
        "doc_id": d, "source": res.source, "url": res.url, "title": res.title, "published": res.published,
        "published_inferred": res.published_inferred, "language": res.language, "text": res.text,
        "content_hash": res.content_hash, "raw_hash": raw_hash, "duplicate_of": res.duplicate_of,
        "minhash": minhash, "shingles": shingles,
        "errors": json.dumps(res.errors) if res.errors else None,
        "author": res.author, "dateline": res.dateline, "published_source": res.published_source,
        "published_confidence": res.published_confidence,
        # a document dated from related ones was looked at (written with its date, atomically)
        "related_checked": True if res.published_source == "inferred_with_hints" else None,
    }]
    rows["sentences"] = [{"doc_id": d, "idx": i, "start_char": s.start, "end_char": s.end, "text": s.text}
                         for i, s in enumerate(res.sentences)]
    rows["entities"] = [{"doc_id": d, "idx": i, "text": e.text, "label": e.label, "start_char": e.start,
                         "end_char": e.end} for i, e in enumerate(res.entities)]
    rows["timexes"] = [{"doc_id": d, "idx": i, **{k: v for k, v in to_dict(t).items() if k not in ("start", "end")},
                        "start_char": t.start, "end_char": t.end} for i, t in enumerate(res.timexes)]
    rows["places"] = [{"doc_id": d, "idx": i, **{k: v for k, v in to_dict(p).items() if k not in ("start", "end")},
                       "start_char": p.start, "end_char": p.end} for i, p in enumerate(res.places)]
    rows["actors"] = [{"doc_id": d, "actor_id": a.id, "name": a.name, "country": a.country, "agent": a.agent,
                       "role": a.role, "kind": a.kind, "aliases": json.dumps(a.aliases),
                       "mentions": len(a.mentions), "canonical_id": a.id} for a in res.actors]
    for ev in res.events:
        rec = to_dict(ev)
        loc = rec.get("location") or {}
        rows["events"].append({
            "event_id": ev.event_id, "doc_id": d, "type": ev.type, "mode": ev.mode, "cameo": ev.cameo,
            "modality": ev.modality, "date": _date(ev.date), "date_end": _date(ev.date_end),
            "date_precision": ev.date_precision, "date_text": ev.date_text,
            **_arg("source", rec.get("source")), **_arg("target", rec.get("target")),
            "location_name": loc.get("name"), "location_country": loc.get("country"),
            "lat": loc.get("lat"), "lon": loc.get("lon"), "attribution": ev.attribution,
            "confidence": ev.confidence, "sentence": ev.sentence, "start_char": ev.start, "end_char": ev.end,
            "record": json.dumps(rec, ensure_ascii=False),
            # until linking merges actors across documents, each side is its own actor
            "source_canonical": (rec.get("source") or {}).get("actor_id"),
            "target_canonical": (rec.get("target") or {}).get("actor_id"),
        })
    return rows


class StoreWriter:
    """Writes document results and failures; one instance per ingest run.

    Readers never open the file it writes: it publishes read-only snapshots
    (``storyline.store.snapshot``) when it opens, after a commit at most every
    ``publish_every`` seconds (less often as the file grows: see ``snapshot.Publisher``),
    and when it closes.
    """

    def __init__(self, path: str | Path = DEFAULT_DB, publish_every: float = 2.0):
        self.path = str(path)
        self.con = connect(self.path)
        self.batches = 0  # batches written by this writer (for the crash points)
        self.publisher = None
        if self.path != ":memory:":
            self.publisher = snapshot.Publisher(self.con, self.path, publish_every)
            snapshot.set_writer(self.path, True)
            self.publisher.publish()

    def committed(self) -> None:
        """Publish a snapshot if the last one is old enough (after each transaction)."""
        if self.publisher is not None:
            self.publisher.committed()

    def close(self) -> None:
        try:
            if self.publisher is not None:
                self.publisher.publish()
                snapshot.set_writer(self.path, False)
        finally:
            self.con.close()

    def known(self) -> dict[str, str]:
        """doc_id → raw_hash of the documents already stored."""
        return dict(self.con.execute("SELECT doc_id, raw_hash FROM documents").fetchall())

    def seed(self, dedup: Deduplicator) -> None:
        """Teach the deduplicator the stored documents."""
        for doc_id, chash, sig, dup, shingles in self.con.execute(
            "SELECT doc_id, content_hash, minhash, duplicate_of, shingles FROM documents ORDER BY doc_id"
        ).fetchall():
            dedup.seed(doc_id, chash, sig, dup, shingles)

    def write_batch(self, results: list[tuple[DocResult, str]], failures: list[Failure]) -> None:
        """Write a batch (results with their raw hash, and failures) in one transaction."""
        tables: dict[str, list[dict]] = {}
        for res, raw_hash in results:
            for table, rows in result_rows(res, raw_hash).items():
                tables.setdefault(table, []).extend(rows)
        ids = [res.doc_id for res, _ in results]
        sources = [res.source for res, _ in results if res.source]
        con = self.con
        con.begin()
        try:
            if ids:
                for table in ("documents", *DOC_TABLES, "event_sides", "story_events"):
                    con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT unnest(?))", [ids])
                con.execute("DELETE FROM failures WHERE doc IN (SELECT unnest(?))", [ids + sources])
                con.execute("DELETE FROM network_answers")  # kept again at the next relink
            if failures:
                con.execute("DELETE FROM failures WHERE (doc, stage) IN (SELECT (unnest(?), unnest(?)))",
                            [[f.doc for f in failures], [f.stage for f in failures]])
            self.batches += 1
            for i, (table, rows) in enumerate(tables.items()):
                _insert(con, table, rows)
                if i == 0:
                    _crash_point("during", self.batches)
            if tables.get("events"):
                note_appended(con, con.execute(*sides_sql("e.doc_id IN (SELECT unnest(?))", [ids])).fetchone()[0])
                con.execute(*story_sql("e.doc_id IN (SELECT unnest(?))", [ids]))  # events that keep a cluster
            _insert(con, "failures", _unique_failures(failures))
            con.commit()
        except Exception:
            con.rollback()
            raise
        _crash_point("after", self.batches)
        self.committed()

    def mark_related_checked(self, doc_ids: list[str]) -> None:
        """Record that these undated documents were looked at for a date from related ones."""
        if doc_ids:
            self.con.execute("UPDATE documents SET related_checked = TRUE WHERE doc_id IN (SELECT unnest(?))", [doc_ids])
            self.committed()

    def actor_rows(self) -> list[tuple]:
        """Per-document actors: (doc_id, actor_id, name, country, agent, role, kind, aliases JSON)."""
        return self.con.execute(
            "SELECT doc_id, actor_id, name, country, agent, role, kind, aliases FROM actors ORDER BY doc_id, actor_id"
        ).fetchall()

    def event_rows(self) -> list[tuple]:
        """What linking reads of each event, in event id order."""
        return self.con.execute(
            "SELECT event_id, doc_id, type, mode, source_country, target_country, date, date_end, "
            "source_actor, target_actor, location_name, location_country, modality, date_precision, "
            "json_extract_string(record, '$.trigger'), sentence, lat, lon, date_text, "
            "(SELECT published_inferred FROM documents d WHERE d.doc_id = events.doc_id) "
            "FROM events ORDER BY event_id").fetchall()

    def link_rows(self) -> list[tuple]:
        """(event_id, event_cluster, story_id) of the last relink, rows of events removed since included."""
        return self.con.execute("SELECT event_id, event_cluster, story_id FROM event_clusters").fetchall()

    def document_leads(self, chars: int) -> list[tuple]:
        """(doc_id, title, the first ``chars`` characters of the text) of the documents with
        events: what story detection reads of a report beyond its event sentences."""
        return self.con.execute(
            "SELECT doc_id, title, substr(text, 1, ?) FROM documents "
            "WHERE doc_id IN (SELECT DISTINCT doc_id FROM events) ORDER BY doc_id", [chars]).fetchall()

    def write_links(self, canonical: dict[str, str], clusters: dict[str, str], cluster_story: dict[str, str],
                    stories: list[dict]) -> None:
        """Replace cross-document actor ids, event clusters and stories in one transaction."""
        con = self.con
        con.begin()
        try:
            if canonical:
                con.register("_canon", pa.table({"actor_id": list(canonical), "canonical_id": list(canonical.values())}))
                con.execute("UPDATE actors SET canonical_id = c.canonical_id FROM _canon c WHERE actors.actor_id = c.actor_id")
                con.unregister("_canon")
            con.execute(CANONICAL_SIDES)
            refresh_sides(con)
            con.execute("DELETE FROM event_clusters")
            con.execute("DELETE FROM stories")
            _insert(con, "event_clusters", [{"event_id": e, "event_cluster": c, "story_id": cluster_story[c]}
                                            for e, c in sorted(clusters.items())])
            _insert(con, "stories", stories)
            rebuild_stories(con)
            keep_networks(con)
            con.commit()
        except Exception:
            con.rollback()
            raise
        self.committed()


def _unique_failures(failures: list[Failure]) -> list[dict]:
    seen: dict[tuple[str, str], dict] = {}
    for f in failures:
        seen[(f.doc, f.stage)] = {"doc": f.doc, "stage": f.stage, "error": f.error, "message": f.message}
    return list(seen.values())
