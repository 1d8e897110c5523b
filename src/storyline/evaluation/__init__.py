"""Benchmarks behind ``storyline eval TASK``: one module per task, each with ``run(paths, **options)``.

Corpora that are not split upstream are halved here, reproducibly: an item belongs to the
``dev`` or the ``test`` half by the parity of one byte of the SHA-1 of its key, so anyone
with a copy gets the same halves. Rules are tuned on ``dev``; ``test`` is measured to report.
"""
from __future__ import annotations

import hashlib

SPLITS = ("dev", "test", "all")


def split_of(key: str, byte: int = -1) -> str:
    """'dev' or 'test': parity of byte ``byte`` of SHA-1(key) (the last byte by default)."""
    return "dev" if hashlib.sha1(key.encode("utf-8")).digest()[byte] % 2 == 0 else "test"


def in_split(key: str, split: str | None, byte: int = -1) -> bool:
    return split in (None, "all") or split_of(key, byte) == split
