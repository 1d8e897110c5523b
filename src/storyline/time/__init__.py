"""time: recognise and normalise time expressions (TIMEX3-like) in a parsed document.

Public API (other stages call exactly these):

- :func:`extract_timexes` — every time expression with type, value, precision, anchor;
- :func:`infer_published` — a publication date guessed from the text, with confidence;
- :func:`event_date` — the time expression governing an event trigger in the parse.

Design: rules in :mod:`.recognize` (HeidelTime style), checks in :mod:`.validate`, values in
:mod:`.normalize`, tense from the parse in :mod:`.tense`. No model or data is loaded at
import time.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right

from spacy.tokens import Doc

from ..models import Timex
from ..text.datescan import Candidate, scan, select
from .anchor import event_date
from .normalize import Ctx, normalize
from .publication import infer_published
from .tense import tense_at
from .validate import valid

__all__ = ["extract_timexes", "infer_published", "event_date"]

_MAX_ROUNDS = 4


def _run(doc: Doc, published: dt.date | None, cands: list[Candidate], ctx: Ctx) -> tuple[list[Timex], set]:
    """Select non-overlapping candidates and normalise them in text order."""
    ctx.history = []
    ctx.quarters = []
    rejected: set = set()
    out: list[Timex] = []
    for c in select(cands):
        t = normalize(c, ctx)
        if t is None:
            rejected.add((c.start, c.end, c.rule))
            continue
        out.append(t)
        ctx.history.append(t)
    return out, rejected


def _attach_times(doc: Doc, timexes: list[Timex]) -> None:
    """A clock time with no day of its own takes the day of a date in the same sentence."""
    times = [t for t in timexes if t.anchor == "publication:default"]
    for t in times:
        t.anchor = "publication"
    if not times:
        return
    starts = [s.start_char for s in doc.sents]
    sent_of = lambda pos: bisect_right(starts, pos)  # noqa: E731
    days = [t for t in timexes if t.type == "DATE" and t.precision == "day" and t.value
            and re.match(r"\d{4}-\d\d-\d\d$", t.value)]
    for t in times:
        s = sent_of(t.start)
        same = [d for d in days if sent_of(d.start) == s]
        if not same:
            # a past-tense clock time in a story told about another day ("was shot at 10 p.m.")
            # takes the day of the previous sentence when that sentence names one explicitly
            prev = [d for d in days if sent_of(d.start) == s - 1 and d.end <= t.start
                    and d.value != t.value[:10]]
            if prev and tense_at(doc, t.start, t.end) == "past":
                d = prev[-1]
                t.value = d.value + t.value[10:]
                t.anchor = f"text:{d.start}"
            continue
        d = min(same, key=lambda d: abs(d.start - t.start))
        t.value = d.value + t.value[10:]
        t.anchor = f"text:{d.start}"


def extract_timexes(doc: Doc, published: dt.date | None) -> list[Timex]:
    """All time expressions of ``doc`` (char offsets into ``doc.text``), sorted, non-overlapping.

    ``published`` anchors relative expressions; when None they keep their text with an
    underspecified value (``XXXX-WXX-5``) or None and ``anchor="none"``.
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    text = doc.text
    if not text.strip():
        return []
    cands = [c for c in scan(text) if valid(c, doc, text)]
    ctx = Ctx(doc=doc, pub=published, text=text)
    out: list[Timex] = []
    for _ in range(_MAX_ROUNDS):
        out, rejected = _run(doc, published, cands, ctx)
        if not rejected:
            break
        cands = [c for c in cands if (c.start, c.end, c.rule) not in rejected]
    _attach_times(doc, out)
    return out
