"""dedup: exact and near-duplicate documents (reprints, syndication).

Exact duplicates share the content hash of their normalised text (``storyline.identity``).
Near duplicates are compared on their *body*: the text without its headline, dateline and
agency sign-off, which a reprint changes while the story stays the same. Candidates come
from MinHash over word 5-shingles in an LSH index (datasketch); a candidate is a duplicate
when the estimated Jaccard similarity of the bodies reaches ``THRESHOLD``, or, for a short
body, when most of its shingles are in the candidate (``CONTAINMENT``: two words changed in
an 80-word story leave a Jaccard of about 0.77 but a containment of 0.87). The first
document seen in a group is canonical; the others point to it with ``duplicate_of``.
"""
from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

from .identity import content_hash, normalise
from .text.dateline import find_dateline, is_headline

NUM_PERM = 128
THRESHOLD = 0.8  # Jaccard of the bodies' shingle sets
CONTAINMENT = 0.8  # share of a short body's shingles found in the candidate
SHORT = 400  # shingles (about words): up to this, containment counts too
CANDIDATES = 0.5  # the LSH index's threshold: looser than both, so it misses no pair above them
SHINGLE = 5
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures depend on it
_WORD = re.compile(r"\w+", re.UNICODE)
# a closing paragraph that credits the desk rather than telling the story
_SIGN_OFF = re.compile(r"^\(?\s*(?:(?:additional\s+)?reporting|writing|editing|compiled|contributing|"
                       r"with\s+(?:input|reporting))\b|^[-–—]{1,3}\s*\(?[A-Za-z]{2,12}\)?\s*$|"
                       r"^\(?[A-Z]{2,8}\)?\.?$|^(?:©|\(c\)|copyright\b)", re.I)
SIGN_OFF_WORDS = 25


def body(text: str, title: str | None = None) -> str:
    """The story of a text without headline, dateline and sign-off: what a reprint keeps."""
    paras = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    if len(paras) > 1 and (title and normalise(paras[0]) == normalise(title) or is_headline(paras[0])):
        paras = paras[1:]
    while len(paras) > 1 and len(paras[-1].split()) <= SIGN_OFF_WORDS and _SIGN_OFF.search(paras[-1]):
        paras = paras[:-1]
    if paras:
        dateline = find_dateline(paras[0])
        if dateline and paras[0].startswith(dateline):
            paras[0] = paras[0][len(dateline):].lstrip(" -–—:")
    return "\n\n".join(paras)


def _shingles(text: str) -> set[str]:
    words = _WORD.findall(normalise(text))
    if len(words) < SHINGLE:
        return {" ".join(words)}
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def sketch(text: str, title: str | None = None) -> tuple[MinHash, int]:
    """MinHash of a text's body and its number of shingles."""
    shingles = _shingles(body(text, title))
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    m.update_batch([s.encode("utf-8") for s in shingles])
    return m, len(shingles)


def signature(text: str, title: str | None = None) -> tuple[list[int], int]:
    """MinHash signature (plain ints) and shingle count of a text's body, to keep in the store."""
    m, n = sketch(text, title)
    return [int(x) for x in m.hashvalues], n


def similar(m: MinHash, n: int, other: MinHash, n_other: int, threshold: float = THRESHOLD) -> float | None:
    """How much a new body (m, n shingles) repeats a stored one, or None if not enough.

    Jaccard for any length; for a short body also its containment in the other, from the
    Jaccard estimate and the two sizes: |A ∩ B| = J (|A| + |B|) / (1 + J).
    """
    j = m.jaccard(other)
    if j >= threshold:
        return j
    if n <= SHORT and n_other:
        contained = j * (n + n_other) / (1 + j) / n
        if contained >= CONTAINMENT:
            return contained
    return None


class Deduplicator:
    """Assigns each added document its canonical document (or None if it is the first)."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=min(threshold, CANDIDATES), num_perm=NUM_PERM)
        self.exact: dict[str, str] = {}
        self.canonical: dict[str, str] = {}
        self.sketches: dict[str, tuple[MinHash, int]] = {}

    def seed(self, doc_id: str, text_hash: str, sig: list[int] | None,
             duplicate_of: str | None = None, shingles: int | None = None) -> None:
        """Register a document already in the store (its content hash, body signature and size)."""
        self.canonical[doc_id] = duplicate_of or doc_id
        self.exact.setdefault(text_hash, duplicate_of or doc_id)
        if sig is not None and duplicate_of is None and doc_id not in self.lsh:
            m = MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashvalues=np.array(sig, dtype=np.uint64))
            self.lsh.insert(doc_id, m)
            self.sketches[doc_id] = (m, shingles or 0)

    def forget(self, doc_id: str) -> None:
        """Drop a stored document that is about to be replaced by a new version."""
        self.canonical.pop(doc_id, None)
        self.sketches.pop(doc_id, None)
        self.exact = {h: d for h, d in self.exact.items() if d != doc_id}
        if doc_id in self.lsh:
            self.lsh.remove(doc_id)

    def add(self, doc_id: str, text: str, title: str | None = None) -> str | None:
        """Return the canonical id this document duplicates, or None."""
        if doc_id in self.canonical:
            canon = self.canonical[doc_id]
            return None if canon == doc_id else canon
        h = content_hash(text)
        if h in self.exact:
            canon = self.exact[h]
        else:
            m, n = sketch(text, title)
            canon = self._nearest(m, n)
            if canon is None:
                self.lsh.insert(doc_id, m)
                self.sketches[doc_id] = (m, n)
            self.exact[h] = canon or doc_id
        self.canonical[doc_id] = canon or doc_id
        return canon

    def _nearest(self, m: MinHash, n: int) -> str | None:
        """The canonical document of the most similar indexed body, if similar enough."""
        best: tuple[float, str] | None = None
        for hit in sorted(self.lsh.query(m)):
            other, n_other = self.sketches[hit]
            score = similar(m, n, other, n_other, self.threshold)
            if score is not None and (best is None or score > best[0]):
                best = (score, hit)
        return None if best is None else self.canonical.get(best[1], best[1])
