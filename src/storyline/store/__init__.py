"""store: the embedded DuckDB record (documents, results, clusters, stories, failures)."""
from __future__ import annotations

from .query import actors, documents, event_records, events, export, failures, stories
from .writer import DEFAULT_DB, StoreWriter, connect, open_reader

__all__ = ["DEFAULT_DB", "StoreWriter", "connect", "open_reader", "actors", "documents", "event_records", "events",
           "export", "failures", "stories"]
