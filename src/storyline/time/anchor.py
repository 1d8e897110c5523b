"""Which time expression dates an event: read from the dependency parse.

Why: "Ahn departed on Thursday for talks set for Friday" has two dates; the departure is
Thursday, the talks Friday. The event trigger's own temporal modifiers win, then those of
the clause it sits in, then the nearest date in the sentence.
"""
from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc, Token

from ..models import Timex
from .tense import governing_verb, span_at

_DATED = ("DATE", "TIME")


def _root(doc: Doc, t: Timex) -> Token | None:
    span = span_at(doc, t.start, t.end)
    return span.root if span is not None and len(span) else None


def _governor(tok: Token) -> Token:
    """The clause head a timex modifies: the first verb above it, else its head noun/adj."""
    v = governing_verb(tok)
    if v is not None:
        return v
    cur = tok
    while cur.dep_ in ("pobj", "prep", "npadvmod", "nummod", "compound", "amod") and cur.head is not cur:
        cur = cur.head
    return cur


def event_date(doc: Doc, token_index_of_event_trigger: int, timexes: list[Timex],
               published: dt.date | None) -> tuple[Timex | None, str]:
    """The Timex governing the event trigger and how it was found.

    ``how`` is "dependency" (a temporal modifier of the trigger itself, e.g. "left on
    Friday", "talks set for Friday"), "clause" (a modifier of the verb governing the trigger,
    e.g. "is expected to visit ... next week"), "sentence" (the nearest date in the same
    sentence) or "none".
    """
    if not timexes or token_index_of_event_trigger < 0 or token_index_of_event_trigger >= len(doc):
        return None, "none"
    trig = doc[token_index_of_event_trigger]
    sent = trig.sent
    cands = []
    for t in timexes:
        if t.type not in _DATED or t.end <= sent.start_char or t.start >= sent.end_char:
            continue
        r = _root(doc, t)
        if r is not None:
            cands.append((t, r))
    if not cands:
        return None, "none"
    # 1. modifiers of the trigger itself (its subtree, not inside another finite clause)
    own = []
    for t, r in cands:
        gov = _governor(r)
        if gov == trig:
            own.append((0, abs(r.i - trig.i), t))
            continue
        # inside the trigger's subtree through non-clausal links ("talks set for Friday")
        cur, steps = r, 0
        while cur.head is not cur and steps < 6:
            cur, steps = cur.head, steps + 1
            if cur == trig:
                own.append((1, steps, t))
                break
            if cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("acl", "xcomp", "amod") and cur != trig:
                break
    if own:
        own.sort(key=lambda x: (x[0], x[1]))
        return own[0][2], "dependency"
    # 2. modifiers of the clause head governing the trigger ("expected to visit ... next week")
    heads = []
    cur = trig
    for _ in range(4):
        if cur.head is cur:
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            heads.append(cur)
    for h in heads:
        hits = [(abs(r.i - trig.i), t) for t, r in cands if _governor(r) == h]
        if hits:
            hits.sort(key=lambda x: x[0])
            return hits[0][1], "clause"
    # 3. nearest in the sentence
    best = min(cands, key=lambda tr: abs(tr[1].i - trig.i))
    return best[0], "sentence"
