"""cache: files derived from shipped data, built on first use in the user's cache folder.

Some data loads slowly in the form it ships in (py3langid's model is an LZMA-compressed
archive: decompressing it costs more than half a second in every process). Such a file is
derived once, on first use, into ``$STORYLINE_CACHE_DIR`` (default
``$XDG_CACHE_HOME/storyline``, else ``~/.cache/storyline``) and read from there afterwards;
a clean clone needs nothing built in advance. A file's name carries what it was derived
from (a version, a size), so a new source gets a new file. When the folder cannot be
written, callers fall back to loading the shipped form.
"""
from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

CACHE_ENV = "STORYLINE_CACHE_DIR"


def cache_dir() -> Path:
    """The folder derived files go to (not created here)."""
    given = os.environ.get(CACHE_ENV)
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "storyline"


def cached_file(name: str, build: Callable[[Path], None]) -> Path | None:
    """The cached file ``name``, built first with ``build(path)`` if it is not there yet.

    ``build`` writes to a temporary path that is renamed into place when complete, so a
    concurrent or interrupted build never leaves a partial file behind. None when the cache
    folder cannot be used (read-only home, full disk): the caller loads the slow way.
    """
    path = cache_dir() / name
    if path.is_file():
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=path.parent)
        os.close(fd)
        try:
            build(Path(tmp))
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        log.info("cache %s not usable (%s); loading without it", path, exc)
        return None
    return path
