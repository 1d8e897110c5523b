"""dedup: exact and near-duplicate documents (reprints, syndication).

Exact duplicates share the hash of their normalised text; near duplicates are found with
MinHash over word 5-shingles and an LSH index (datasketch). The first document seen in a
group is canonical; the others point to it with ``duplicate_of``.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
THRESHOLD = 0.8
SHINGLE = 5
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures depend on it
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> str:
    """Text as compared for identity: NFC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def content_hash(text: str) -> str:
    """Stable id of a text's content (16 hex digits of SHA-1 of the normalised text)."""
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()[:16]


def minhash(text: str) -> MinHash:
    words = _WORD.findall(normalise(text))
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    if len(words) < SHINGLE:
        shingles = {" ".join(words)}
    else:
        shingles = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    for s in shingles:
        m.update(s.encode("utf-8"))
    return m


def signature(text: str) -> list[int]:
    """MinHash signature as plain ints, to keep in the store."""
    return [int(x) for x in minhash(text).hashvalues]


class Deduplicator:
    """Assigns each added document its canonical document (or None if it is the first)."""

    def __init__(self, threshold: float = THRESHOLD):
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.exact: dict[str, str] = {}
        self.canonical: dict[str, str] = {}

    def seed(self, doc_id: str, text_hash: str, sig: list[int] | None,
             duplicate_of: str | None = None) -> None:
        """Register a document already in the store."""
        self.canonical[doc_id] = duplicate_of or doc_id
        self.exact.setdefault(text_hash, duplicate_of or doc_id)
        if sig is not None and duplicate_of is None and doc_id not in self.lsh:
            import numpy as np

            m = MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashvalues=np.array(sig, dtype=np.uint64))
            self.lsh.insert(doc_id, m)

    def forget(self, doc_id: str) -> None:
        """Drop a stored document that is about to be replaced by a new version."""
        self.canonical.pop(doc_id, None)
        self.exact = {h: d for h, d in self.exact.items() if d != doc_id}
        if doc_id in self.lsh:
            self.lsh.remove(doc_id)

    def add(self, doc_id: str, text: str) -> str | None:
        """Return the canonical id this document duplicates, or None."""
        if doc_id in self.canonical:
            canon = self.canonical[doc_id]
            return None if canon == doc_id else canon
        h = content_hash(text)
        if h in self.exact:
            canon = self.exact[h]
        else:
            m = minhash(text)
            hits = sorted(self.lsh.query(m))
            canon = self.canonical.get(hits[0], hits[0]) if hits else None
            if canon is None:
                self.lsh.insert(doc_id, m)
            self.exact[h] = canon or doc_id
        self.canonical[doc_id] = canon or doc_id
        return canon
