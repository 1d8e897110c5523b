"""events: a PLOVER 2.0 event coder over the dependency parse.

Public API: :func:`extract_events` (doc, doc_id, published, timexes, places, actors) ->
``list[Event]``. Lexicons live in ``storyline/data/events`` and load lazily.
"""
from __future__ import annotations

from .coder import extract_events, interval
from .lexicon import cameo_root

__all__ = ["extract_events", "cameo_root", "interval"]
