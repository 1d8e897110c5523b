"""The DuckDB schema, versioned. Bump ``SCHEMA_VERSION`` and add a migration on change."""
from __future__ import annotations

SCHEMA_VERSION = 2

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
        published_confidence DOUBLE
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
        record VARCHAR
    """,
    "event_clusters": """
        event_id VARCHAR PRIMARY KEY, event_cluster VARCHAR, story_id VARCHAR
    """,
    "stories": """
        story_id VARCHAR PRIMARY KEY, title VARCHAR, first_date DATE, last_date DATE,
        n_events INTEGER, n_docs INTEGER, n_clusters INTEGER
    """,
    "failures": """
        doc VARCHAR, stage VARCHAR, error VARCHAR, message VARCHAR, PRIMARY KEY (doc, stage)
    """,
}

# tables holding per-document results (deleted and rewritten together when a document changes)
DOC_TABLES = ("sentences", "entities", "timexes", "places", "actors", "events")


# version → statements that bring a store of the version before it up to that version
MIGRATIONS: dict[int, list[str]] = {
    2: [
        "ALTER TABLE documents ADD COLUMN IF NOT EXISTS author VARCHAR",
        "ALTER TABLE documents ADD COLUMN IF NOT EXISTS dateline VARCHAR",
        "ALTER TABLE documents ADD COLUMN IF NOT EXISTS published_source VARCHAR",
        "ALTER TABLE documents ADD COLUMN IF NOT EXISTS published_confidence DOUBLE",
    ],
}


def create_statements() -> list[str]:
    return [f"CREATE TABLE IF NOT EXISTS {name} ({cols})" for name, cols in TABLES.items()]
