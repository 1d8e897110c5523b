"""store: the embedded DuckDB record (documents, results, clusters, stories, failures).

The names below are imported from ``writer`` and ``query`` on first use (PEP 562), so that
a command which only needs ``DEFAULT_DB`` (``storyline process``) does not load DuckDB and
pyarrow.
"""
from __future__ import annotations

from importlib import import_module

DEFAULT_DB = "storyline.duckdb"

_FROM = {"StoreWriter": "writer", "connect": "writer", "open_reader": "writer",
         **{name: "query" for name in ("actors", "documents", "event_records", "events", "export", "failures",
                                       "stories")}}

__all__ = ["DEFAULT_DB", *_FROM]


def __getattr__(name: str):
    module = _FROM.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)
