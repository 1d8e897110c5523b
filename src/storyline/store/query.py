"""Reading a store: filtered tables and exports. All queries are parameterised."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb

from ..errors import StorylineError
from .schema import ALL_EVENTS

EVENT_FILTERS = {
    "type": "e.type = ?",
    "modality": "e.modality = ?",
    "country": "(e.source_country = ? OR e.target_country = ?)",
    "doc": "e.doc_id = ?",
    "story": "c.story_id = ?",
    "since": "COALESCE(e.date_end, e.date) >= CAST(? AS DATE)",
    "until": "e.date <= CAST(? AS DATE)",
}

EVENTS_SQL = """
SELECT e.*, c.event_cluster, c.story_id, d.url AS doc_url, d.title AS doc_title, d.source AS doc_source,
       d.published AS doc_published
FROM events e LEFT JOIN event_clusters c USING (event_id) LEFT JOIN documents d USING (doc_id)
"""


ORDER = " ORDER BY e.date NULLS LAST, e.doc_id, e.start_char, e.event_id"


# the clauses that differ over ``event_sides``: a country is one column (the table holds each
# event once per country it involves), and an event's last day is a column of its own
SIDE_FILTERS = {"country": "e.country = ?", "since": "e.date_last >= CAST(? AS DATE)"}
# and over ``story_events`` (each linked event once, with its story)
STORY_FILTERS = {"story": "e.story_id = ?", "since": "e.date_last >= CAST(? AS DATE)"}
_OVER = {"events": {}, "event_sides": SIDE_FILTERS, "story_events": STORY_FILTERS}


def where(filters: dict, table: str = "events") -> tuple[str, list]:
    """The WHERE clause of event ``filters`` over ``events e``, ``event_sides e`` or
    ``story_events e``."""
    clauses, params = [], []
    for key, value in filters.items():
        if value is None:
            continue
        clause = _OVER[table].get(key, EVENT_FILTERS[key])
        clauses.append(clause)
        params.extend([value] * clause.count("?"))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _matched(filters: dict) -> tuple[str, list]:
    """FROM/WHERE of the events ``filters`` select: with a story, that story's rows of
    ``story_events``; else through ``event_sides``, the rows of the country asked for, or
    with none the rows that hold every event once (ALL_EVENTS). Either way DuckDB reads the
    row groups of that story, or that country and those dates, only. The clause always has a
    WHERE (a story, or a country, ALL_EVENTS included)."""
    if filters.get("story"):
        clause, params = where(filters, "story_events")
        return f" FROM story_events e{clause}", params
    country = filters.get("country")
    clause, params = where({**filters, "country": ALL_EVENTS if country is None else country}, "event_sides")
    return f" FROM event_sides e{clause}", params


def events(con: duckdb.DuckDBPyConnection, limit: int | None = None, **filters) -> list[dict]:
    """Event rows (flat columns plus cluster and story), date order."""
    clause, params = where(filters)
    sql = EVENTS_SQL + clause + " ORDER BY e.date NULLS LAST, e.doc_id, e.start_char, e.event_id"
    if limit:
        sql += " LIMIT ?"
        params.append(int(limit))
    cur = con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def event_page(con: duckdb.DuckDBPyConnection, limit: int, offset: int = 0, **filters) -> tuple[int, list[dict]]:
    """The number of events the filters match, and one page of them as ``records_by_id``
    rows, in date order.

    Fast on a large store: the total and the page's ids come from a side table (the rows of
    one country, one story, or the dates asked for), then the page's records are fetched by id.
    """
    base, params = _matched(filters)
    total = con.execute(f"SELECT count(*){base}", params).fetchone()[0]
    if filters.get("story"):  # the story's rows carry their clusters
        page = con.execute(f"SELECT e.event_id, e.event_cluster, e.story_id{base}{ORDER} LIMIT ? OFFSET ?",
                           [*params, int(limit), int(offset)]).fetchall()
        return total, records_by_id(con, [r[0] for r in page], {r[0]: r[1:] for r in page})
    ids = [r[0] for r in con.execute(f"SELECT e.event_id{base}{ORDER} LIMIT ? OFFSET ?",
                                     [*params, int(limit), int(offset)]).fetchall()]
    return total, records_by_id(con, ids)


# what ``records_by_id`` reads of an event that has its record (the EVENT object as JSON)
RECORD_COLUMNS = ("event_id", "doc_id", "record")


def records_by_id(con: duckdb.DuckDBPyConnection, ids: list[str], clusters: dict | None = None) -> list[dict]:
    """Rows of these event ids, in the order given: event_id, doc_id, record (the EVENT
    JSON), event_cluster and story_id; every column of ``events`` for a row stored without
    its record. ``clusters`` (event id → (cluster, story)) spares the cluster lookup.

    Only the record's column is read, not all thirty: fetching rows by id from a million
    events costs a read of each column's row groups that hold one of them.
    """
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = {r["event_id"]: r for r in _rows(
        con, f"SELECT {', '.join(RECORD_COLUMNS)} FROM events WHERE event_id IN ({marks})", ids)}
    bare = [i for i, r in rows.items() if not r["record"]]
    if bare:
        rows.update({r["event_id"]: r for r in _rows(
            con, f"SELECT * FROM events WHERE event_id IN ({', '.join('?' for _ in bare)})", bare)})
    if clusters is None:
        clusters = {r[0]: r[1:] for r in con.execute(
            f"SELECT event_id, event_cluster, story_id FROM event_clusters WHERE event_id IN ({marks})", ids).fetchall()}
    out = []
    for event_id in ids:
        row = rows.get(event_id)
        if row is not None:
            row["event_cluster"], row["story_id"] = clusters.get(event_id, (None, None))
            out.append(row)
    return out


def event_records(con: duckdb.DuckDBPyConnection, **filters) -> list[dict]:
    """EVENT objects (the stable interface) plus doc_id, event_cluster and story_id, and
    where the reader can check it: the document's url, title, source and publication date."""
    out = []
    for row in events(con, **filters):
        rec = json.loads(row["record"])
        rec.update(doc_id=row["doc_id"], event_cluster=row["event_cluster"], story_id=row["story_id"],
                   doc_url=row["doc_url"], doc_title=row["doc_title"], doc_source=row["doc_source"],
                   doc_published=row["doc_published"].isoformat() if row["doc_published"] else None)
        out.append(rec)
    return out


NETWORK_LIMIT = 500  # edges (and nodes) of a network answer by default: the busiest ones
# the networks ``keep_networks`` keeps ready: those of at least this many event sides
KEEP_NETWORK_ROWS = 5000


def keep_networks(con: duckdb.DuckDBPyConnection, min_rows: int | None = None) -> int:
    """Compute and store (``network_answers``) the answers of the networks over ``min_rows``
    event sides: each such country's actor network and, over that many events, the whole
    store's actor and country networks, at the default limit. These are the queries that
    read the most rows (a country of a million-event store has 10,000–65,000 sides, the
    whole store a million); a writer runs this after each relink, in its transaction, and a
    batch that changes events deletes them. Returns the number of answers kept."""
    min_rows = KEEP_NETWORK_ROWS if min_rows is None else min_rows
    con.execute("DELETE FROM network_answers")
    rows = []
    for country, _ in con.execute("SELECT country, count(*) FROM event_sides GROUP BY country "
                                  "HAVING count(*) >= ? ORDER BY country", [int(min_rows)]).fetchall():
        whole = country == ALL_EVENTS
        for level in ("actor", "country") if whole else ("actor",):
            answer = network(con, level, NETWORK_LIMIT, stored=False, **({} if whole else {"country": country}))
            rows.append((_answer_key(level, country, NETWORK_LIMIT), json.dumps(answer, ensure_ascii=False)))
    if rows:
        con.executemany("INSERT INTO network_answers VALUES (?, ?)", rows)
    return len(rows)


def _answer_key(level: str, country: str, limit: int) -> str:
    """The ``network_answers`` key of a network (country ALL_EVENTS: no country filter)."""
    return f"{level} {country} {int(limit)}"


def network(con: duckdb.DuckDBPyConnection, level: str = "actor", limit: int = NETWORK_LIMIT, stored: bool = True,
            **filters) -> dict:
    """Nodes (canonical actors, or countries) and directed edges source → target, counted by
    type and modality, aggregated in SQL (a million events never reach Python).

    The ``limit`` edges with the most events are kept, with their nodes and the busiest
    other nodes up to ``limit`` nodes; ``n_nodes`` / ``n_edges`` count them all. Each node
    has the name, country and agent type it has most often on these events, and each kept
    edge its first 50 events in date order (undated last). Only the kept edges and nodes
    come back from DuckDB: a country's actor network has tens of thousands of edges. The
    events are read from ``event_sides`` (that country's rows, or every event's once) or
    ``story_events`` (that story's rows). A network the writer kept (``keep_networks``) is
    read as it was stored, unless ``stored`` is False.
    """
    if stored and set(filters) <= {"country"}:
        row = con.execute("SELECT body FROM network_answers WHERE key = ?",
                          [_answer_key(level, filters.get("country", ALL_EVENTS), limit)]).fetchone()
        if row is not None:
            return json.loads(row[0])
    from ..countries import country_name

    base, params = _matched(filters)
    if level == "country":
        s_key, t_key = "e.source_country", "e.target_country"
    else:
        s_key, t_key = "e.actor_s", "e.actor_t"
    # one statement, reading the matching events once: the busiest edges (te), the candidate
    # nodes (the ends of those edges and the busiest nodes), the candidates' names by type, the
    # kept edges' types, modalities and first events, and the totals, as tagged rows
    by: dict[str, list[tuple]] = {}
    for kind, *row in con.execute(f"""
        WITH m AS MATERIALIZED (SELECT {s_key} AS s, {t_key} AS t, e.event_id, e.type, e.modality, e.date,
                e.source_name, e.source_country, e.source_agent, e.target_name, e.target_country,
                e.target_agent{base}),
          e AS MATERIALIZED (SELECT s, t, count(*) AS n FROM m WHERE s IS NOT NULL AND t IS NOT NULL AND s <> t
                             GROUP BY s, t),
          te AS MATERIALIZED (SELECT s, t, n FROM e ORDER BY n DESC, s, t LIMIT ?),
          k AS MATERIALIZED (SELECT s AS key, type, source_name AS name, source_country AS country,
                                    source_agent AS agent FROM m WHERE s IS NOT NULL
                             UNION ALL SELECT t, type, target_name, target_country, target_agent
                             FROM m WHERE t IS NOT NULL),
          n AS MATERIALIZED (SELECT key, count(*) AS n FROM k GROUP BY key),
          cand AS MATERIALIZED (SELECT key, n FROM n WHERE key IN (SELECT s FROM te UNION SELECT t FROM te)
                                OR key IN (SELECT key FROM n ORDER BY n DESC, key LIMIT ?))
        SELECT 'edge' AS kind, s AS a, t AS b, NULL AS c, NULL AS d, NULL AS f, n, NULL AS first FROM te
        UNION ALL SELECT 'node', key, NULL, NULL, NULL, NULL, n, NULL FROM cand
        UNION ALL SELECT 'label', key, type, name, country, agent, count(*), NULL FROM k
                  WHERE key IN (SELECT key FROM cand) GROUP BY ALL
        UNION ALL SELECT 'detail', s, t, type, modality, NULL, count(*),
                         list((date, event_id) ORDER BY date NULLS LAST, event_id)[1:50] FROM m
                  WHERE (s, t) IN (SELECT (s, t) FROM te) GROUP BY ALL
        UNION ALL SELECT 'events', NULL, NULL, NULL, NULL, NULL, count(*), NULL FROM m
        UNION ALL SELECT 'edges', NULL, NULL, NULL, NULL, NULL, count(*), NULL FROM e
        UNION ALL SELECT 'nodes', NULL, NULL, NULL, NULL, NULL, count(*), NULL FROM n""",
                                  [*params, int(limit), int(limit)]).fetchall():
        by.setdefault(kind, []).append(tuple(row))
    n_events, n_edges, n_nodes = (by[k][0][5] for k in ("events", "edges", "nodes"))
    edge_rows = sorted(((s, t, n) for s, t, _, _, _, n, _ in by.get("edge", [])), key=lambda r: (-r[2], r[0], r[1]))
    ends = {k for s, t, _ in edge_rows for k in (s, t)}
    ranked = sorted((-n, key) for key, _, _, _, _, n, _ in by.get("node", []))
    keys = [k for _, k in ranked if k in ends]  # the ends of the kept edges, then the busiest others
    keys += [k for _, k in ranked if k not in ends][:max(0, limit - len(keys))]
    chosen = set(keys)
    nodes = {key: {"id": key, "label": None, "country": None, "agent": None, "kind": level,
                   "n_events": -neg, "types": {}} for neg, key in ranked if key in chosen}
    best: dict[str, tuple] = {}
    for key, etype, name, country, agent, n, _ in by.get("label", []):
        node = nodes.get(key)
        if node is None:  # a candidate not kept
            continue
        node["types"][etype] = node["types"].get(etype, 0) + n
        label = (name or "", country or "", agent or "")
        if key not in best or (n, label) > best[key][0]:  # the side it has most often
            best[key] = ((n, label), (name or country or key, country, agent))
    for key, (_, (label, country, agent)) in best.items():
        nodes[key]["label"], nodes[key]["country"], nodes[key]["agent"] = label, country, agent
    edges = {(s, t): {"source": s, "target": t, "count": n, "types": {}, "modalities": {}, "events": []}
             for s, t, n in edge_rows}
    for s, t, etype, modality, _, n, first in by.get("detail", []):
        edge = edges[(s, t)]
        edge["events"].extend(first)
        edge["types"][etype] = edge["types"].get(etype, 0) + n
        edge["modalities"][modality] = edge["modalities"].get(modality, 0) + n
    kept = list(edges.values())
    for e in kept:  # the edge's first 50 events in date order (undated last)
        e["events"] = [x["event_id"] if isinstance(x, dict) else x[1] for x in sorted(e["events"], key=_dated)[:50]]
        e["types"] = dict(sorted(e["types"].items(), key=lambda kv: (-kv[1], kv[0])))
        e["modalities"] = dict(sorted(e["modalities"].items(), key=lambda kv: (-kv[1], kv[0] or "")))
    node_list = sorted(nodes.values(), key=lambda n: (-n["n_events"], n["id"]))
    for n in node_list:
        if level == "country":
            n["label"], n["country"], n["agent"] = country_name(n["id"]) or n["id"], n["id"], None
        n["types"] = dict(sorted(n["types"].items(), key=lambda kv: (-kv[1], kv[0])))
    return {"level": level, "filters": filters, "n_events": n_events, "n_nodes": n_nodes, "n_edges": n_edges,
            "nodes": node_list, "edges": kept}


def _dated(item) -> tuple:
    """Sort key of a (date, event_id) pair from DuckDB (a dict or a tuple): undated last."""
    date, event_id = (item["date"], item["event_id"]) if isinstance(item, dict) else item
    return (date is None, date or "", event_id)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def stories(con: duckdb.DuckDBPyConnection, limit: int | None = None, offset: int = 0) -> list[dict]:
    """Stories, largest first (a page of them with ``limit``)."""
    sql, params = "SELECT * FROM stories ORDER BY n_events DESC, first_date, story_id", []
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [int(limit), int(offset)]
    return _rows(con, sql, params)


def actors(con: duckdb.DuckDBPyConnection, country: str | None = None) -> list[dict]:
    """Cross-document actors: one row per canonical actor, with its documents and aliases."""
    sql = """
        SELECT canonical_id AS actor_id, arg_max(name, length(name)) AS name,
               mode(country) AS country, mode(agent) AS agent, mode(role) AS role, mode(kind) AS kind,
               count(DISTINCT doc_id) AS n_docs, sum(mentions) AS mentions,
               list(DISTINCT doc_id ORDER BY doc_id) AS docs, list(aliases) AS aliases
        FROM actors {where} GROUP BY canonical_id ORDER BY n_docs DESC, mentions DESC, name
    """
    where, params = ("WHERE country = ?", [country]) if country else ("", [])
    rows = _rows(con, sql.format(where=where), params)
    for r in rows:
        r["aliases"] = sorted({a for js in r["aliases"] for a in json.loads(js or "[]")})
    return rows


def failures(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return _rows(con, "SELECT * FROM failures ORDER BY doc, stage")


def documents(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return _rows(con, """SELECT doc_id, source, url, title, author, published, published_inferred,
                                published_source, published_confidence, dateline, language,
                                duplicate_of, content_hash, text, errors FROM documents ORDER BY doc_id""")


EXPORTS = {
    "events": event_records,
    "stories": stories,
    "docs": documents,
    "actors": actors,
}
FORMATS = ("jsonl", "csv", "parquet")


# fields of the exported EVENT records that hold a day (ISO text in JSON, DATE in Parquet)
DATE_FIELDS = ("date", "date_end", "doc_published", "published", "first_date", "last_date")


def export(con: duckdb.DuckDBPyConnection, what: str, fmt: str, path: str | Path | None) -> int:
    """Write a table as JSON Lines, CSV or Parquet; returns the number of rows.

    JSON Lines keeps the records as they are (EVENT objects for events). Parquet keeps
    nested objects as structs (``select source.country from 'events.parquet'``) and days
    as DATE. CSV has one column per nested field (``source_country``), no column for the
    object itself. ``path`` None or ``-`` is stdout (not for Parquet, which is binary).
    """
    import sys

    if what not in EXPORTS:
        raise StorylineError(f"unknown export '{what}' (choose from {', '.join(EXPORTS)})")
    if fmt not in FORMATS:
        raise StorylineError(f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    to_stdout = path is None or str(path) == "-"
    if fmt == "parquet" and to_stdout:
        raise StorylineError("--format parquet needs -o FILE (Parquet is binary)")
    rows = EXPORTS[what](con)
    if fmt == "jsonl":
        lines = "".join(json.dumps(r, default=str, ensure_ascii=False) + "\n" for r in rows)
        if to_stdout:
            sys.stdout.write(lines)
        else:
            Path(path).write_text(lines, encoding="utf-8")
        return len(rows)
    rows = [_typed_dates(r) for r in rows]
    if fmt == "csv":
        import pandas as pd

        frame = pd.DataFrame(_flat_rows(rows))
        if to_stdout:
            frame.to_csv(sys.stdout, index=False)
        else:
            frame.to_csv(path, index=False)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), str(path))
    return len(rows)


def _typed_dates(row: dict) -> dict:
    """The row with its ISO day fields as dates (DATE in Parquet, the same type in every export)."""
    import datetime as dt

    out = dict(row)
    for k in DATE_FIELDS:
        v = out.get(k)
        if isinstance(v, str) and v:
            try:
                out[k] = dt.date.fromisoformat(v[:10])
            except ValueError:
                pass
    return out


def _object_fields() -> dict[str, list[str]]:
    """The EVENT fields that hold an object, with its fields: flattened even when every row lacks it."""
    from dataclasses import fields

    from ..models import EventArg, Location

    arg, loc = [f.name for f in fields(EventArg)], [f.name for f in fields(Location)]
    return {"source": arg, "target": list(arg), "location": loc, "destination": list(loc)}


def _flat_rows(rows: list[dict]) -> list[dict]:
    """Rows with each nested object as prefixed columns (``source_country``), the same columns
    in every row (a missing object gives empty cells, not a column of its own); lists as JSON."""
    nested = {k: v for k, v in _object_fields().items() if any(k in r for r in rows)}
    for r in rows:
        for k, v in r.items():
            if isinstance(v, dict):
                keys = nested.setdefault(k, [])
                keys.extend(sub for sub in v if sub not in keys)
    out = []
    for r in rows:
        flat = {}
        for k, v in r.items():
            if k in nested:
                v = v if isinstance(v, dict) else {}
                flat.update(_flat({sub: v.get(sub) for sub in nested[k]}, k + "_"))
            elif isinstance(v, (list, tuple)):
                flat[k] = json.dumps(v, default=str, ensure_ascii=False)
            else:
                flat[k] = v
        out.append(flat)
    return out


def _flat(row: dict, prefix: str = "") -> dict:
    """Nested objects become prefixed columns; lists become JSON text (CSV friendly)."""
    out = {}
    for k, v in row.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flat(v, key + "_"))
        elif isinstance(v, (list, tuple)):
            out[key] = json.dumps(v, default=str, ensure_ascii=False)
        else:
            out[key] = v
    return out


# Entity labels that identify a story across documents (countries and cities are shared by
# too many unrelated reports to count).
HINT_LABELS = ("PERSON", "ORG", "FAC", "EVENT")
HINT_MIN_SHARED = 2


def undated_documents(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """English, canonical documents with no publication date (given or inferred) that were
    not yet looked at for a date from related documents."""
    return _rows(con, """SELECT doc_id, source, url, title, author, dateline, language, text, content_hash, raw_hash
                         FROM documents WHERE published IS NULL AND duplicate_of IS NULL
                         AND (language = 'en' OR language IS NULL) AND related_checked IS NOT TRUE
                         ORDER BY doc_id""")


def shared_entities(con: duckdb.DuckDBPyConnection, doc_id: str) -> list[tuple]:
    """(doc_id, published, [shared names]) of the dated documents sharing at least
    ``HINT_MIN_SHARED`` named people, organisations or facilities with ``doc_id``.

    Only dates that do not come from hints themselves are used (given, page metadata,
    dateline, or inferred from a document's own text with confidence ≥ 0.5), so the result
    does not depend on the order documents were dated in.
    """
    return con.execute(f"""
        SELECT d.doc_id, d.published, list(DISTINCT lower(e2.text)) AS shared
        FROM entities e1
        JOIN entities e2 ON lower(e1.text) = lower(e2.text) AND e2.doc_id <> e1.doc_id
                         AND e2.label IN ({", ".join("?" for _ in HINT_LABELS)})
        JOIN documents d ON d.doc_id = e2.doc_id
        WHERE e1.doc_id = ? AND e1.label IN ({", ".join("?" for _ in HINT_LABELS)})
          AND d.published IS NOT NULL AND d.duplicate_of IS NULL
          AND COALESCE(d.published_source, '') <> 'inferred_with_hints'
          AND (COALESCE(d.published_source, '') <> 'inferred' OR d.published_confidence >= 0.5)
        GROUP BY d.doc_id, d.published
        HAVING count(DISTINCT lower(e2.text)) >= ?""", [*HINT_LABELS, doc_id, *HINT_LABELS, HINT_MIN_SHARED]).fetchall()
