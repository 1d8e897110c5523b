"""The DuckDB schema, versioned. Bump ``SCHEMA_VERSION`` and add a migration on change."""
from __future__ import annotations

from collections.abc import Callable

import duckdb

SCHEMA_VERSION = 8

TABLES: dict[str, str] = {
    "meta": """
        key VARCHAR PRIMARY KEY,
        value VARCHAR
    """,
    "documents": """
        doc_id VARCHAR PRIMARY KEY,
        source VARCHAR,
        url VARCHAR,
        title VARCHAR,
        published DATE,
        published_inferred BOOLEAN,
        language VARCHAR,
        text VARCHAR,
        content_hash VARCHAR,
        raw_hash VARCHAR,
        duplicate_of VARCHAR,
        minhash UBIGINT[],
        errors VARCHAR,
        author VARCHAR,
        dateline VARCHAR,
        published_source VARCHAR,
        published_confidence DOUBLE,
        shingles INTEGER,
        related_checked BOOLEAN
    """,
    "sentences": """
        doc_id VARCHAR, idx INTEGER, start_char INTEGER, end_char INTEGER, text VARCHAR
    """,
    "entities": """
        doc_id VARCHAR, idx INTEGER, text VARCHAR, label VARCHAR, start_char INTEGER, end_char INTEGER
    """,
    "timexes": """
        doc_id VARCHAR, idx INTEGER, text VARCHAR, type VARCHAR, value VARCHAR, value_end VARCHAR,
        precision VARCHAR, anchor VARCHAR, confidence DOUBLE, start_char INTEGER, end_char INTEGER
    """,
    "places": """
        doc_id VARCHAR, idx INTEGER, text VARCHAR, start_char INTEGER, end_char INTEGER, name VARCHAR,
        country VARCHAR, lat DOUBLE, lon DOUBLE, geonameid BIGINT, feature VARCHAR, admin1 VARCHAR,
        confidence DOUBLE
    """,
    "actors": """
        doc_id VARCHAR, actor_id VARCHAR, name VARCHAR, country VARCHAR, agent VARCHAR, role VARCHAR,
        kind VARCHAR, aliases VARCHAR, mentions INTEGER, canonical_id VARCHAR
    """,
    "events": """
        event_id VARCHAR PRIMARY KEY, doc_id VARCHAR, type VARCHAR, mode VARCHAR, cameo VARCHAR,
        modality VARCHAR, date DATE, date_end DATE, date_precision VARCHAR, date_text VARCHAR,
        source_name VARCHAR, source_country VARCHAR, source_agent VARCHAR, source_actor VARCHAR,
        target_name VARCHAR, target_country VARCHAR, target_agent VARCHAR, target_actor VARCHAR,
        location_name VARCHAR, location_country VARCHAR, lat DOUBLE, lon DOUBLE,
        attribution VARCHAR, confidence DOUBLE, sentence VARCHAR, start_char INTEGER, end_char INTEGER,
        record VARCHAR, source_canonical VARCHAR, target_canonical VARCHAR
    """,
    "event_clusters": """
        event_id VARCHAR PRIMARY KEY, event_cluster VARCHAR, story_id VARCHAR
    """,
    "stories": """
        story_id VARCHAR PRIMARY KEY, title VARCHAR, first_date DATE, last_date DATE,
        n_events INTEGER, n_docs INTEGER, n_clusters INTEGER
    """,
    # each event once per country it involves (its source's, its target's), and once more
    # under ALL_EVENTS (''), with the network keys of its sides and the columns the event
    # filters read, kept in country order and then date order: the reader of one country's
    # events or actor network reads that country's row groups only, and a query without a
    # country reads the '' rows of its dates only (DuckDB skips the other row groups by their
    # min/max), not the string columns of the whole events table. ``date_last`` is the
    # event's last day (COALESCE(date_end, date)), so that a ``since`` bound skips row groups
    # too. Derived from ``events`` (SIDES_SQL), rewritten with each batch and each relink.
    "event_sides": """
        country VARCHAR, event_id VARCHAR, doc_id VARCHAR, start_char INTEGER, type VARCHAR,
        modality VARCHAR, date DATE, date_end DATE, actor_s VARCHAR, actor_t VARCHAR,
        source_name VARCHAR, source_country VARCHAR, source_agent VARCHAR,
        target_name VARCHAR, target_country VARCHAR, target_agent VARCHAR, date_last DATE
    """,
    # each linked event once, with its cluster and story and the columns of ``event_sides``,
    # kept in story order and then timeline order: a story's timeline, and the events page
    # and the network of one story, read that story's row groups only (not a join of the
    # million-row events and event_clusters tables). Rewritten with each relink (stories change
    # only then); a batch drops the rows of the documents it rewrites and adds back those of
    # their events that keep a cluster, so it always equals ``events JOIN event_clusters``.
    "story_events": """
        story_id VARCHAR, event_cluster VARCHAR, event_id VARCHAR, doc_id VARCHAR, start_char INTEGER,
        type VARCHAR, modality VARCHAR, date DATE, date_end DATE, actor_s VARCHAR, actor_t VARCHAR,
        source_name VARCHAR, source_country VARCHAR, source_agent VARCHAR,
        target_name VARCHAR, target_country VARCHAR, target_agent VARCHAR, date_last DATE
    """,
    # the answers of the busiest networks (``query.keep_networks``: every country's actor
    # network, and the whole store's, when they hold many events), computed by the writer at
    # each relink and deleted by any batch that changes events: a reader finds either the
    # current answer or none (and then computes it). ``key`` is "LEVEL COUNTRY LIMIT" (country
    # '' for none): one key column, so a reader fetches one body by its index (filtering on
    # three columns read every body of the table, 55 ms against 12 at a million events).
    "network_answers": """
        key VARCHAR PRIMARY KEY, body VARCHAR
    """,
    "failures": """
        doc VARCHAR, stage VARCHAR, error VARCHAR, message VARCHAR, PRIMARY KEY (doc, stage)
    """,
}

# tables holding per-document results (deleted and rewritten together when a document changes)
DOC_TABLES = ("sentences", "entities", "timexes", "places", "actors", "events")


def rehash_documents(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every document's content hash and body signature (schema 3).

    Before version 3 the stored hash kept case while the deduplicator folded it, and the
    signature covered headline and dateline too; a store written then would never match
    an exact duplicate, and would compare reprints on the wrong text.
    """
    import pyarrow as pa

    from ..dedup import signature
    from ..identity import content_hash

    rows = con.execute("SELECT doc_id, text, title, duplicate_of FROM documents").fetchall()
    if not rows:
        return
    sigs = [signature(text or "", title) if dup is None else (None, None) for _, text, title, dup in rows]
    table = pa.table({
        "doc_id": [r[0] for r in rows],
        "content_hash": [content_hash(r[1] or "") for r in rows],
        "minhash": pa.array([s[0] for s in sigs], type=pa.list_(pa.uint64())),
        "shingles": pa.array([s[1] for s in sigs], type=pa.int32()),
    })
    con.register("_rehash", table)
    try:
        con.execute("""UPDATE documents SET content_hash = r.content_hash, minhash = r.minhash, shingles = r.shingles
                       FROM _rehash r WHERE documents.doc_id = r.doc_id""")
    finally:
        con.unregister("_rehash")


# SQL that sets each event side's canonical actor from the actors table (after a relink)
CANONICAL_SIDES = """
    UPDATE events SET source_canonical = COALESCE(s.canonical_id, events.source_actor),
                      target_canonical = COALESCE(t.canonical_id, events.target_actor)
    FROM events e
    LEFT JOIN (SELECT actor_id, min(canonical_id) AS canonical_id FROM actors GROUP BY actor_id) s
           ON s.actor_id = e.source_actor
    LEFT JOIN (SELECT actor_id, min(canonical_id) AS canonical_id FROM actors GROUP BY actor_id) t
           ON t.actor_id = e.target_actor
    WHERE events.event_id = e.event_id
"""


def side_key(side: str, level: str, alias: str = "e") -> str:
    """SQL for the network node of one side of an event: its canonical actor, else
    "COUNTRY:name" (actor level), or its country (country level); NULL when it has none."""
    col = f"{alias}.{side}"
    if level == "country":
        return f"{col}_country"
    return (f"CASE WHEN {col}_actor IS NOT NULL THEN COALESCE({col}_canonical, {col}_actor) "
            f"WHEN {col}_name IS NOT NULL OR {col}_country IS NOT NULL "
            f"THEN COALESCE({col}_country, '?') || ':' || COALESCE({col}_name, {col}_country) END")


_SIDE_COLS = ("event_id, doc_id, start_char, type, modality, date, date_end, actor_s, actor_t, source_name, "
              "source_country, source_agent, target_name, target_country, target_agent, date_last")
# the ``event_sides`` country of the rows that hold every event once (a query with no country)
ALL_EVENTS = ""


def _keys() -> str:
    """The columns of ``events e`` plus those the side tables derive: each side's network key
    and the event's last day."""
    return (f"e.*, {side_key('source', 'actor')} AS actor_s, {side_key('target', 'actor')} AS actor_t, "
            "COALESCE(e.date_end, e.date) AS date_last")


def sides_sql(where: str = "", params: list | None = None) -> tuple[str, list]:
    """INSERT of ``event_sides`` rows from the events ``where`` selects (all when empty),
    in country order: an event whose source and target share a country is there once per
    country, and once more under ALL_EVENTS. Returns the SQL and its parameters (``params``
    of ``where``, once per place it is used)."""
    cond = f" AND ({where})" if where else ""
    keys = _keys()
    return f"""
    INSERT INTO event_sides (country, {_SIDE_COLS})
    SELECT country, {_SIDE_COLS} FROM (
        SELECT e.source_country AS country, {keys}
        FROM events e WHERE e.source_country IS NOT NULL AND e.source_country <> '{ALL_EVENTS}'{cond}
        UNION ALL
        SELECT e.target_country AS country, {keys}
        FROM events e WHERE e.target_country IS NOT NULL AND e.target_country <> '{ALL_EVENTS}'
                      AND e.target_country IS DISTINCT FROM e.source_country{cond}
        UNION ALL
        SELECT '{ALL_EVENTS}' AS country, {keys} FROM events e WHERE TRUE{cond})
    ORDER BY country, date NULLS LAST, doc_id, start_char, event_id""", list(params or []) * 3


def story_sql(where: str = "", params: list | None = None) -> tuple[str, list]:
    """INSERT of ``story_events`` rows from the linked events ``where`` selects (all when
    empty), in story order then timeline order; returns the SQL and its parameters."""
    cond = f" WHERE {where}" if where else ""
    return f"""
    INSERT INTO story_events (story_id, event_cluster, {_SIDE_COLS})
    SELECT story_id, event_cluster, {_SIDE_COLS} FROM (
        SELECT c.story_id, c.event_cluster, {_keys()} FROM events e JOIN event_clusters c USING (event_id){cond})
    ORDER BY story_id, date NULLS LAST, doc_id, start_char, event_id""", list(params or [])


def rebuild_stories(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite ``story_events`` from the events and their clusters (after a relink)."""
    con.execute("DELETE FROM story_events")
    con.execute(*story_sql())


# meta key: rows of ``event_sides`` appended (out of country order) since it was last sorted
SIDES_APPENDED = "sides_appended"
# a relink re-sorts the table once that many of its rows were appended since the last sort
RESORT_SHARE = 0.25


def note_appended(con: duckdb.DuckDBPyConnection, rows: int) -> None:
    """Count ``rows`` more side rows written out of country order (in the caller's transaction)."""
    con.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                "value = CAST(CAST(meta.value AS BIGINT) + CAST(excluded.value AS BIGINT) AS VARCHAR)",
                [SIDES_APPENDED, str(int(rows))])


def rebuild_sides(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite ``event_sides`` from the events, in country order."""
    con.execute("DELETE FROM event_sides")
    con.execute(*sides_sql())
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, '0')", [SIDES_APPENDED])


def refresh_sides(con: duckdb.DuckDBPyConnection) -> None:
    """After a relink: the sides' actor keys follow the events' canonical actors.

    Only the rows whose keys changed are updated (a relink over a million events changes a
    few); the whole table is rewritten in country order instead once a quarter of it was
    appended by batches since the last sort, so a country's rows stay in few row groups.
    """
    total = con.execute("SELECT count(*) FROM event_sides").fetchone()[0]
    row = con.execute("SELECT value FROM meta WHERE key = ?", [SIDES_APPENDED]).fetchone()
    if row is None or int(row[0]) > RESORT_SHARE * total:
        rebuild_sides(con)
        return
    con.execute(f"""
        UPDATE event_sides SET actor_s = k.s, actor_t = k.t
        FROM (SELECT e.event_id, {side_key('source', 'actor')} AS s, {side_key('target', 'actor')} AS t
              FROM events e) k
        WHERE event_sides.event_id = k.event_id
          AND (event_sides.actor_s IS DISTINCT FROM k.s OR event_sides.actor_t IS DISTINCT FROM k.t)""")


# version → steps (SQL, or a function of the connection) that bring a store of the version
# before it up to that version
MIGRATIONS: dict[int, list[str | Callable[[duckdb.DuckDBPyConnection], None]]] = {
    2: [
        "ALTER TABLE documents ADD COLUMN IF NOT EXISTS author VARCHAR",
        "ALTER TABLE documents ADD COLUMN IF NOT EXISTS dateline VARCHAR",
        "ALTER TABLE documents ADD COLUMN IF NOT EXISTS published_source VARCHAR",
        "ALTER TABLE documents ADD COLUMN IF NOT EXISTS published_confidence DOUBLE",
    ],
    3: [
        "ALTER TABLE documents ADD COLUMN IF NOT EXISTS shingles INTEGER",
        # stores before 3 re-dated every undated document on every ingest: they were all tried
        "ALTER TABLE documents ADD COLUMN IF NOT EXISTS related_checked BOOLEAN",
        "UPDATE documents SET related_checked = TRUE WHERE published IS NULL",
        rehash_documents,
    ],
    # each side's cross-document actor on the event itself, so that the actor network of a
    # million events is one GROUP BY, not a join with every actor row
    4: [
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS source_canonical VARCHAR",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS target_canonical VARCHAR",
        CANONICAL_SIDES,
    ],
    # the country-ordered side table of the network and the events-by-country page
    5: [
        "CREATE TABLE IF NOT EXISTS event_sides (" + TABLES["event_sides"] + ")",
        rebuild_sides,
    ],
    # every event once more in the side table (country ''), in date order, with its last day:
    # the events page and the network without a country read only the row groups of their dates
    6: [
        "ALTER TABLE event_sides ADD COLUMN IF NOT EXISTS date_last DATE",
        rebuild_sides,
    ],
    # the story-ordered event table of a story's timeline and of the story filter
    7: [
        "CREATE TABLE IF NOT EXISTS story_events (" + TABLES["story_events"] + ")",
        rebuild_stories,
    ],
    # the busiest networks' answers, kept by the writer (filled at the next relink)
    8: ["CREATE TABLE IF NOT EXISTS network_answers (" + TABLES["network_answers"] + ")"],
}


def create_statements() -> list[str]:
    return [f"CREATE TABLE IF NOT EXISTS {name} ({cols})" for name, cols in TABLES.items()]
