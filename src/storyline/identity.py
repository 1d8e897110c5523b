"""Identity of a text: how it is normalised, its content hash and a document's id.

Why one module: read, clean, dedup, the pipeline and the store must agree on when two
texts are "the same". With three normalisations (one folding case, two not) the store
kept one hash and the deduplicator looked up another, so an exact duplicate sent in a
later run was never found as such, and ``process_text`` and a JSON Lines record without
an id gave the same text two different ids.
"""
from __future__ import annotations

import hashlib
import unicodedata

HASH_DIGITS = 16  # hex digits kept of SHA-1: 64 bits, no collision expected below 10^9 documents


def normalise(text: str, fold_case: bool = True) -> str:
    """Text as compared for identity: NFC, whitespace collapsed, case folded (unless told not to)."""
    text = unicodedata.normalize("NFC", text)
    if fold_case:
        text = text.casefold()
    return " ".join(text.split())


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:HASH_DIGITS]


def content_hash(text: str) -> str:
    """Hash of a text's content: equal for texts that differ only in case, Unicode form or spacing.

    Stored as ``documents.content_hash`` and looked up by the deduplicator for exact duplicates.
    """
    return _sha1(normalise(text))


def doc_id(text: str) -> str:
    """Id of a document that comes without one (a JSON Lines record without ``id``, ``process_text``).

    Case is kept, unlike :func:`content_hash`: ids given to stored documents by earlier
    versions stay the same, and two texts that differ in case stay two documents (the
    deduplicator then marks one a duplicate of the other).
    """
    return _sha1(normalise(text, fold_case=False))
