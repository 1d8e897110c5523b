"""Span lookup and cross-document actor merging.

``merge_across_documents`` joins actors of different documents that are the same real
entity: same kind, same normalised name (spelling, hyphen and case insensitive) or one's
short name being a token of the other's full name, and compatible countries (equal, or
one unknown). The canonical id of a group is the id of its fullest-named actor, so it is
stable for a given set of documents.
"""
from __future__ import annotations

import re

from ..models import Actor
from . import lexicon as lx

_KIND_RANK = {"person": 0, "organisation": 1, "state": 2, None: 3}


def mention_score(actor: Actor, m_start: int, m_end: int, start: int, end: int) -> tuple | None:
    """How well a mention [m_start, m_end) of ``actor`` fits the span [start, end): most overlap,
    then the tightest mention, then people before organisations before states; None: no overlap."""
    overlap = min(end, m_end) - max(start, m_start)
    if overlap <= 0:
        return None
    return (overlap, -(m_end - m_start), -_KIND_RANK.get(actor.kind, 3))


def actor_for_span(actors: list[Actor], start: int, end: int) -> Actor | None:
    """The actor with a mention overlapping [start, end): most overlap, then tightest mention."""
    best: tuple | None = None
    best_actor = None
    for a in actors:
        for m in a.mentions:
            score = mention_score(a, m.start, m.end, start, end)
            if score is not None and (best is None or score > best):
                best, best_actor = score, a
    return best_actor


def _compact(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", lx.fold(text))


def _tokens(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-\u2010\u2011']+", lx.fold(text)) if w]


def _generic(name: str) -> bool:
    """A common-noun actor name ("Companies", "Government", "Riot police"), not a proper name."""
    if lx.lookup(name) is not None:
        return True
    words = name.split()
    last = words[-1]
    for sing in (last[:-3] + "y" if last.endswith("ies") else None, last[:-1] if last.endswith("s") else None):
        if sing and lx.lookup(" ".join(words[:-1] + [sing])) is not None:
            return True
    return False


def merge_across_documents(doc_actors: list[list[Actor]]) -> dict[str, str]:
    """Map every actor id to a canonical cross-document actor id."""
    actors = [a for doc in doc_actors for a in doc]
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    countries: dict[str, set[str]] = {}

    def compatible(a: Actor, b: Actor) -> bool:
        ca = countries.get(find(a.id), set()) | ({a.country} if a.country else set())
        cb = countries.get(find(b.id), set()) | ({b.country} if b.country else set())
        return not ca or not cb or ca == cb

    def join(a: Actor, b: Actor) -> None:
        cs = countries.get(find(a.id), set()) | countries.get(find(b.id), set())
        cs |= {c for c in (a.country, b.country) if c}
        union(a.id, b.id)
        countries[find(a.id)] = cs

    for a in actors:
        find(a.id)
        if a.country:
            countries.setdefault(a.id, set()).add(a.country)
    # 1. same kind + same compact name (+ compatible country); full names first
    by_name: dict[tuple, list[Actor]] = {}
    for a in actors:
        for n in {a.name, *a.aliases} if a.kind == "person" else {a.name}:
            if a.kind == "person" and len(_tokens(n)) < 2 and n != a.name:
                continue
            by_name.setdefault((a.kind, _compact(n)), []).append(a)
    for (kind, _), group in sorted(by_name.items(), key=lambda kv: -len(kv[0][1])):
        for b in group[1:]:
            a = group[0]
            if kind == "organisation" and a.country != b.country:
                continue
            if kind == "organisation" and a.country is None and _generic(a.name):
                continue  # "Companies", "Workers" of different stories are not one actor
            if compatible(a, b):
                join(a, b)
    # 1b. an organisation's short form joins the single longer name it starts
    #     ("Lockheed" / "Lockheed Martin", "EADS" / "EADS N.V."), countries compatible
    orgs = [a for a in actors if a.kind == "organisation" and not _generic(a.name)]
    longer: dict[str, set[str]] = {}
    for a in orgs:
        toks = _tokens(a.name)
        for k in range(1, len(toks)):
            longer.setdefault(" ".join(toks[:k]), set()).add(find(a.id))
    by_id = {a.id: a for a in actors}
    for a in orgs:
        key = " ".join(_tokens(a.name))
        roots = {find(r) for r in longer.get(key, set())} - {find(a.id)}
        if len(roots) == 1:
            r = by_id[next(iter(roots))]
            if (a.country is None or r.country is None or a.country == r.country) and len(key) >= 3:
                join(r, a)
    # 2. single-token person names join the unique full name containing that token
    full_by_token: dict[str, set[str]] = {}
    persons = {a.id: a for a in actors if a.kind == "person"}
    for a in persons.values():
        toks = _tokens(a.name)
        if len(toks) >= 2:
            for t in toks:
                full_by_token.setdefault(t, set()).add(find(a.id))
    for a in persons.values():
        toks = _tokens(a.name)
        if len(toks) == 1:
            roots = {find(r) for r in full_by_token.get(toks[0], set())}
            cands = [r for r in roots if compatible(a, persons.get(r) or a)]
            if len(cands) == 1 and cands[0] in persons:
                join(persons[cands[0]], a)
    # canonical: fullest name in each group
    best: dict[str, Actor] = {}
    for a in actors:
        r = find(a.id)
        cur = best.get(r)
        if cur is None or (len(_tokens(a.name)), len(a.name), a.id) > (len(_tokens(cur.name)), len(cur.name), cur.id):
            best[r] = a
    return {a.id: best[find(a.id)].id for a in actors}
