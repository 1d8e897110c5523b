"""actors: who acts in a document — people, states, organisations — with country, agent and role.

Reads a spaCy ``Doc`` (plus resolved places, for the dateline); writes ``Actor`` records
with every mention's character span. ``merge_across_documents`` links the same actor
across documents. See docs/ACTORS.md.
"""
from __future__ import annotations

from .context import DocContext, context_of, document_context
from .merge import actor_for_span, merge_across_documents
from .recognize import actor_id, country_actor, extract_actors

__all__ = ["extract_actors", "merge_across_documents", "actor_for_span", "actor_id", "country_actor",
           "DocContext", "context_of", "document_context"]
