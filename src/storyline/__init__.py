"""storyline: news in, a linked, dated, geo-located record of political events out."""
from __future__ import annotations

from .models import (
    Actor, CleanDoc, DocResult, Entity, Event, EventArg, Failure, Location, Place,
    Quantity, RawDoc, Timex,
)

__version__ = "0.1.0"

__all__ = [
    "Actor", "CleanDoc", "DocResult", "Entity", "Event", "EventArg", "Failure",
    "Location", "Place", "Quantity", "RawDoc", "Timex", "process_text", "process_paths",
    "__version__",
]


def process_text(text: str, published: str | None = None, doc_id: str | None = None,
                 title: str | None = None, url: str | None = None) -> DocResult:
    """Run the whole pipeline on one text; see :func:`storyline.pipeline.process_text`."""
    from .pipeline import process_text as _process_text

    return _process_text(text, published=published, doc_id=doc_id, title=title, url=url)


def process_paths(paths, published: str | None = None):
    """Yield a :class:`DocResult` per document found under ``paths``."""
    from .pipeline import process_paths as _process_paths

    return _process_paths(paths, published=published)
