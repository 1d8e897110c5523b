"""link: cross-document event coreference and stories.

Two events are mentions of the same real-world event (one ``event_cluster``) when they
have the same PLOVER type, compatible modes, compatible actors (country pair, or the same
cross-document actor) and date ranges that overlap or nearly touch. Clusters become one
story when they involve the same pair of countries (or share a named actor) within a
window of days, or are told in the same report about the same country: a planned
visit, the departure and the talks form one thread.

Ids are derived from the smallest member id, so the result depends only on the set of
events, never on the order they were ingested in (re-runs and resumed runs agree).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np

from .coref import (LinearModel, PairModel, Report, average_linkage, content_words, day_precise, different_days,
                    interval, interval_gap, mention_vectors, pair_features, pair_model, story_features, story_model,
                    swept_pairs, text_vectors, trigger_key, word_weights)
from .events.lexicon import SYMMETRIC_TYPES as SYMMETRIC

DATE_SLACK_DAYS = 2
STORY_WINDOW_DAYS = 45
REPORT_BUCKET_MAX = 200  # a story key held by more reports pairs none
REPORT_PARTNERS_MAX = 50  # the reports each report is compared with, those sharing most keys first
TRIGGER_BUCKET_MAX = 200  # a trigger word held by more mentions of a type pairs none
LEAD_CHARS = 600  # a report's title and first paragraphs: what it is about
UNDATED_BUCKET_MAX = 60  # an undated mention is compared with a blocking key's bucket only up to this size


@dataclass
class LinkEvent:
    """What linking needs to know of an event."""

    event_id: str
    doc_id: str
    type: str
    mode: str | None
    source_country: str | None
    target_country: str | None
    date: dt.date | None
    date_end: dt.date | None
    source_actor: str | None = None
    target_actor: str | None = None
    people: tuple[str, ...] = ()  # names of the people in it, for story titles
    source_person: str | None = None  # cross-document id of the source when it is a named person
    target_person: str | None = None
    location: str | None = None  # geonameid or name of where it happened
    modality: str | None = None  # asserted, planned, negated, hypothetical, reported
    date_precision: str | None = None  # day, month, year, publication …
    trigger: str | None = None  # the words that name the event, and the sentence it is told in
    sentence: str | None = None
    lat: float | None = None
    lon: float | None = None
    date_weak: bool = False  # the date rests on a publication date guessed from the text (``weak_date``)


_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")


def weak_date(date: dt.date | None, precision: str | None, date_text: str | None, published_inferred: bool | None) -> bool:
    """Whether an event's date is weak evidence of when it happened: its report gave no
    publication date (storyline guessed one from the text) and a day was counted from that
    guess ("on Thursday", "March 3" without a year, the publication day itself). Reports of one
    event guess different days, even different years, so such a day must not keep two
    mentions apart; "March 3, 2009" in the text is a date like any other, and a month or a
    week ("last November") is a range wide enough to stay one."""
    if date is None or not published_inferred or precision not in ("day", "publication"):
        return False
    return precision == "publication" or not _YEAR.search(date_text or "")


@dataclass
class Story:
    story_id: str
    title: str
    clusters: list[str] = field(default_factory=list)
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    n_events: int = 0
    n_docs: int = 0


class _UnionFind:
    def __init__(self, items):
        self.parent = {i: i for i in items}

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo

    def groups(self) -> dict:
        out = defaultdict(list)
        for x in self.parent:
            out[self.find(x)].append(x)
        return out


def short_id(prefix: str, key: str) -> str:
    return prefix + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _sides_compatible(a: LinkEvent, b: LinkEvent) -> bool:
    """Both mentions name at least one common side and no side contradicts."""
    pa, pb = (a.source_country, a.target_country), (b.source_country, b.target_country)
    if a.type in SYMMETRIC:
        sa, sb = {c for c in pa if c}, {c for c in pb if c}
        if not sa or not sb:
            return False
        return sa <= sb or sb <= sa
    shared = False
    for x, y in zip(pa, pb):
        if x and y:
            if x != y:
                return False
            shared = True
    return shared


def _sides_conflict(a: LinkEvent, b: LinkEvent) -> bool:
    """A side named by both mentions with different countries (unnamed sides never conflict)."""
    pa, pb = (a.source_country, a.target_country), (b.source_country, b.target_country)
    if a.type in SYMMETRIC:
        return len({c for c in pa + pb if c}) > 2  # a meeting has two sides
    return any(x and y and x != y for x, y in zip(pa, pb))


def _people(e: LinkEvent) -> dict[str | None, str]:
    """Country -> named person of the mention's sides."""
    return {c: p for c, p in ((e.source_country, e.source_person), (e.target_country, e.target_person)) if p}


def _people_conflict(a: LinkEvent, b: LinkEvent) -> bool:
    """Both mentions name different people of the same country: two meetings, not one.

    People are compared country by country, whatever side they are on (a meeting is
    symmetric), and a state or ministry never conflicts with a person who acts for it.
    """
    pa, pb = _people(a), _people(b)
    return any(country in pb and pb[country] != person for country, person in pa.items())


def _dates_compatible(a: LinkEvent, b: LinkEvent) -> bool:
    gap = interval_gap(interval(a), interval(b))
    return gap is not None and gap <= DATE_SLACK_DAYS


def same_event(a: LinkEvent, b: LinkEvent) -> bool:
    """Whether two event mentions can describe one real-world event."""
    if a.type != b.type:
        return False
    if a.mode and b.mode and a.mode != b.mode:
        return False
    if not _sides_compatible(a, b) or _people_conflict(a, b) or different_days(a, b):
        return False
    if interval(a) is None or interval(b) is None:
        # an undated (or weakly dated) mention (no time expression, or no publication date) needs positive
        # evidence instead: the same person, the same place, or the same report (a story
        # retells its main event: "protested on Tuesday" ... "Japan condemned")
        return a.doc_id == b.doc_id or bool(_anchors(a) & _anchors(b))
    return _dates_compatible(a, b)


def _anchors(e: LinkEvent) -> set[str]:
    """What identifies an undated mention: the people in it and its place (a state or a
    ministry acts in too many events to identify one)."""
    out = {f"p:{x}" for x in (e.source_person, e.target_person) if x}
    if e.location:
        out.add(f"l:{e.location}")
    return out


def _international(e: LinkEvent) -> bool:
    """Both sides named, as two different countries: a mention whose sides can be trusted to
    tell one event from another (a domestic shooting's "sides" are often a slip of the actor
    stage, a country read from a name)."""
    return bool(e.source_country and e.target_country and e.source_country != e.target_country)


def _may_share_cluster(a: LinkEvent, b: LinkEvent, strict: bool = True) -> bool:
    """The weaker test every pair of a cluster must pass: nothing contradicts (the same mode,
    dates within the slack and never two different days, no side or person told differently).
    Without ``strict`` (the pair model's test) a side or person told differently forbids the
    pair only when both mentions are international (``_international``: Estonia's and Latvia's
    expulsions of a Russian diplomat are two events); otherwise the model weighs it."""
    if a.mode and b.mode and a.mode != b.mode:
        return False
    a, b = _one_guess(a, b)
    conflict = _sides_conflict(a, b) or _people_conflict(a, b)
    if different_days(a, b) or (conflict and (strict or (_international(a) and _international(b)))):
        return False
    return interval(a) is None or interval(b) is None or _dates_compatible(a, b)


def _one_guess(a: LinkEvent, b: LinkEvent) -> tuple[LinkEvent, LinkEvent]:
    """Two mentions of one report count their weak dates from the same guessed publication
    date, so between them those dates are as good as any (a July 2024 visit and the visit
    the report announces stay apart)."""
    if a.doc_id == b.doc_id and (a.date_weak or b.date_weak):
        return replace(a, date_weak=False), replace(b, date_weak=False)
    return a, b


def link_features(a: LinkEvent, b: LinkEvent, vec: dict[str, np.ndarray]) -> np.ndarray:
    """The pair model's features of two mentions of one type (``coref.pair_features``)."""
    a, b = _one_guess(a, b)
    return pair_features(a, b, vec, a.type in SYMMETRIC, (_sides_conflict(a, b), _people_conflict(a, b)))


@dataclass
class _Summary:
    """What complete linkage needs to know of a cluster: ``compatible`` answers "does every
    pair across the two clusters pass ``_may_share_cluster``" without comparing every pair
    (inside a cluster no pair contradicts, so each side, mode, country and precise day has
    one value)."""

    symmetric: bool
    mode: str | None
    source: str | None
    target: str | None
    country_sets: frozenset  # symmetric types: the country sets of the members
    people: dict  # country -> person
    max_start: dt.date | None  # dated members: latest start, earliest end
    min_end: dt.date | None
    days: frozenset = frozenset()  # the days of the members dated to one day
    intl: object = None  # the sides of its international members (one value: they never conflict)
    intl_people: dict = field(default_factory=dict)  # and their people, country -> person

    @classmethod
    def of(cls, e: LinkEvent) -> "_Summary":
        sym = e.type in SYMMETRIC
        return cls(sym, e.mode, e.source_country, e.target_country,
                   frozenset({frozenset(c for c in (e.source_country, e.target_country) if c)}) if sym else frozenset(),
                   _people(e), *(interval(e) or (None, None)),
                   frozenset({e.date}) if day_precise(e) else frozenset(),
                   (frozenset((e.source_country, e.target_country)) if sym else (e.source_country, e.target_country))
                   if _international(e) else None, _people(e) if _international(e) else {})

    def compatible(self, o: "_Summary", strict: bool = True) -> bool:
        """Whether every pair across the two clusters passes ``_may_share_cluster(strict)``."""
        if self.mode and o.mode and self.mode != o.mode:
            return False
        if len(self.days | o.days) > 1:
            return False
        if strict and not self._sides_agree(o):
            return False
        if self.intl and o.intl and self.intl != o.intl:
            return False
        if any(c in o.intl_people and o.intl_people[c] != p for c, p in self.intl_people.items()):
            return False
        if self.max_start is None or o.max_start is None:
            return True
        gap = max(0, (o.max_start - self.min_end).days, (self.max_start - o.min_end).days)
        return gap <= DATE_SLACK_DAYS

    def _sides_agree(self, o: "_Summary") -> bool:
        if self.symmetric:
            if any(len(a | b) > 2 for a in self.country_sets for b in o.country_sets):
                return False
        elif (self.source and o.source and self.source != o.source) or (
                self.target and o.target and self.target != o.target):
            return False
        return not any(c in o.people and o.people[c] != p for c, p in self.people.items())

    def merge(self, o: "_Summary") -> "_Summary":
        dated = [x for x in (self, o) if x.max_start is not None]
        return _Summary(
            self.symmetric, self.mode or o.mode, self.source or o.source, self.target or o.target,
            self.country_sets | o.country_sets, {**self.people, **o.people},
            max(x.max_start for x in dated) if dated else None,
            min(x.min_end for x in dated) if dated else None, self.days | o.days,
            self.intl or o.intl, {**self.intl_people, **o.intl_people})


def _side_keys(e: LinkEvent) -> set[tuple]:
    """Keys two mentions must share to pass ``_sides_compatible``: a country on the same side
    (any side for symmetric types such as meetings)."""
    if e.type in SYMMETRIC:
        return {("c", c) for c in (e.source_country, e.target_country) if c}
    return {(side, c) for side, c in (("s", e.source_country), ("t", e.target_country)) if c}


def _block_keys(e: LinkEvent) -> set[tuple]:
    """What a pair of mentions of one type must share to be compared at all: a side's
    country, a person or a precise place, the report, or the trigger word."""
    keys = _side_keys(e) | {("a", k) for k in _anchors(e)} | {("d", e.doc_id)}
    if trigger_key(e):
        keys.add(("w", trigger_key(e)))
    return keys


def candidate_pairs(group: list[LinkEvent]):
    """Pairs of mentions of one type that share a blocking key, dated ones within the date
    slack of each other. An inverted index plus a sweep by date keeps a day of thousands
    of mentions from being compared all against all; an undated mention is compared with
    the rest of a key's bucket only when the bucket is small (a country shared by a
    thousand reports says nothing)."""
    index: dict[tuple, list[LinkEvent]] = defaultdict(list)
    for e in group:
        for k in _block_keys(e):
            index[k].append(e)
    seen: set[tuple[str, str]] = set()
    by_id = {e.event_id: e for e in group}
    span = {e.event_id: interval(e) for e in group}
    for key in sorted(index):
        bucket = [e.event_id for e in index[key]]
        if key[0] == "w" and len(bucket) > TRIGGER_BUCKET_MAX:
            continue  # a common trigger word of a big store: the other keys still pair its mentions
        for a, b in swept_pairs(bucket, span, DATE_SLACK_DAYS, len(bucket) <= UNDATED_BUCKET_MAX):
            ids = (a, b) if a < b else (b, a)
            if ids not in seen:
                seen.add(ids)
                yield by_id[ids[0]], by_id[ids[1]]


def _rule_order(a: LinkEvent, b: LinkEvent) -> tuple:
    """Rules merge closest dates first, narrow ranges first, undated pairs last."""
    gap = interval_gap(interval(a), interval(b))
    if gap is None:
        return (10**6, 0)
    return (gap, sum(((e.date_end or e.date) - e.date).days for e in (a, b)))


def scored_pairs(events: list[LinkEvent], model: PairModel | None,
                 vec: dict[str, np.ndarray] | None = None, kept: float | None = None) -> list[tuple]:
    """(sort key, id, id) of the candidate pairs that may be one event, best first.

    With the trained model a pair is kept when nothing contradicts (``_may_share_cluster``)
    and the model scores it at least its threshold (or ``kept``), its sort key the score;
    without one, when ``same_event`` says so.
    """
    by_type: dict[str, list[LinkEvent]] = defaultdict(list)
    for e in events:
        by_type[e.type].append(e)
    pairs = [(a, b) for t in sorted(by_type) for a, b in candidate_pairs(by_type[t])]
    if model is None:
        out = []
        for a, b in pairs:
            if same_event(a, b):
                if a.date and b.date and (b.date, b.event_id) < (a.date, a.event_id):
                    a, b = b, a  # dated pairs in date order, as a sweep finds them
                out.append((_rule_order(a, b), a.event_id, b.event_id))
    else:
        pairs = [(a, b) for a, b in pairs if _may_share_cluster(a, b, strict=False)]
        if not pairs:
            return []
        if vec is None:  # only the paired mentions need vectors
            vec = mention_vectors(sorted({e.event_id: e for p in pairs for e in p}.values(), key=lambda e: e.event_id))
        x = np.vstack([link_features(a, b, vec) for a, b in pairs])
        prob = model.score(x)
        floor = model.threshold if kept is None else kept
        return [(round(float(p), 6), a.event_id, b.event_id) for (a, b), p in zip(pairs, prob) if p >= floor]
    out.sort()
    return out


def cluster_events(events: list[LinkEvent], model: PairModel | None | bool = True,
                   vec: dict[str, np.ndarray] | None = None) -> dict[str, str]:
    """event_id → event_cluster id.

    Candidate pairs are merged best first: by the trained pair model's score (``model``
    True: the shipped model; a ``PairModel``; None or False: the rules, closest dates
    first). A merge needs one linking pair and no pair across the two clusters that
    contradicts (complete linkage on dates, days, sides and mode): a chain of month-wide
    mentions can no longer glue November talks to a January trip, nor a Wednesday meeting
    to a Friday one. Ties are broken by ids, so the result does not depend on ingest order.
    ``vec``: the mentions' vectors (``coref.mention_vectors``) when the caller already has them.
    """
    if model is True:
        model = pair_model()
    summary: dict[str, _Summary] = {e.event_id: _Summary.of(e) for e in events}
    if model:
        def merge(keep: str, gone: str) -> bool:
            if not summary[keep].compatible(summary[gone], strict=False):
                return False
            summary[keep] = summary[keep].merge(summary.pop(gone))
            return True

        scores = {(x, y): s for s, x, y in scored_pairs(events, model, vec, kept=0.0)}
        roots = average_linkage(sorted(summary), scores, model.threshold, merge=merge)
        groups: dict[str, list[str]] = defaultdict(list)
        for m, root in roots.items():
            groups[root].append(m)
        return {m: short_id("c", min(group)) for group in groups.values() for m in group}
    uf = _UnionFind([e.event_id for e in events])
    for _, x, y in scored_pairs(events, None, vec):
        rx, ry = uf.find(x), uf.find(y)
        if rx == ry:
            continue
        if summary[rx].compatible(summary[ry]):
            uf.union(rx, ry)
            root = uf.find(rx)
            merged = summary.pop(rx).merge(summary.pop(ry))
            summary[root] = merged
    out = {}
    for root, group in uf.groups().items():
        cid = short_id("c", min(group))
        for m in group:
            out[m] = cid
    return out


def _pair(e: LinkEvent) -> frozenset[str] | None:
    p = frozenset(c for c in (e.source_country, e.target_country) if c)
    return p if len(p) == 2 else None


class _Thread(NamedTuple):
    """What story building compares between two event clusters."""

    pairs: set[frozenset[str]]
    actors: set[str]
    span: tuple[dt.date, dt.date] | None
    docs: set[str]
    countries: set[str]
    people: set[str]


def _thread(evs: list[LinkEvent]) -> _Thread:
    dates = [d for e in evs for d in (e.date, e.date_end) if d]
    return _Thread(
        pairs={p for e in evs if (p := _pair(e))},
        actors={a for e in evs for a in (e.source_actor, e.target_actor) if a},
        span=(min(dates), max(dates)) if dates else None,
        docs={e.doc_id for e in evs},
        countries={c for e in evs for c in (e.source_country, e.target_country) if c},
        people={p for e in evs for p in (e.source_person, e.target_person) if p},
    )


def _story_candidates(placed: list[str], info: dict[str, _Thread]):
    """Pairs of clusters that share a country pair, actor, person or report (the only ways two
    clusters can join a story), dated ones only within the story window.

    Why: comparing every pair of clusters grows with the square of the store; an inverted
    index over these keys plus a sweep by date keeps a big store's relink near linear.
    """
    index: dict[tuple, list[str]] = defaultdict(list)
    for c in placed:
        t = info[c]
        for kind, keys in (("p", t.pairs), ("a", t.actors), ("h", t.people), ("d", t.docs)):
            for k in keys:
                index[(kind, k)].append(c)
    seen: set[tuple[str, str]] = set()
    for bucket in index.values():
        if len(bucket) < 2:
            continue
        for a, b in swept_pairs(bucket, {c: info[c].span for c in bucket}, STORY_WINDOW_DAYS):
            key = (a, b) if a < b else (b, a)
            if key not in seen:
                seen.add(key)
                yield key


def build_stories(events: list[LinkEvent], clusters: dict[str, str]) -> tuple[dict[str, str], list[Story]]:
    """Group event clusters into stories; returns (cluster → story id, stories)."""
    members: dict[str, list[LinkEvent]] = defaultdict(list)
    for e in events:
        members[clusters[e.event_id]].append(e)
    info = {cid: _thread(evs) for cid, evs in members.items()}
    by_doc: dict[str, list[str]] = defaultdict(list)  # report → its clusters
    for cid in sorted(members):
        for doc in info[cid].docs:
            by_doc[doc].append(cid)
    uf = _UnionFind(list(members))
    placed = sorted(c for c in members if info[c].countries)
    for a, b in _story_candidates(placed, info):
        ta, tb = info[a], info[b]
        gap = interval_gap(ta.span, tb.span)
        if gap is not None and gap > STORY_WINDOW_DAYS:
            continue
        if (gap is not None and (ta.pairs & tb.pairs or ta.actors & tb.actors)) \
                or (gap is None and ta.people & tb.people) or (ta.docs & tb.docs and ta.countries & tb.countries):
            # the same country pair or actor within the window, or one report's
            # thread about a common country
            uf.union(a, b)
    # Clusters without any country join the closest-dated placed cluster of their own
    # report; they never glue two placed clusters together.
    for c in sorted(set(members) - set(placed)):
        tc = info[c]
        same_doc = {o for doc in tc.docs for o in by_doc[doc] if o != c}
        near = [(interval_gap(tc.span, info[o].span) if tc.span and info[o].span else 10**6, o)
                for o in same_doc if info[o].countries]
        if near:
            uf.union(min(near)[1], c)
        else:
            for o in same_doc:
                uf.union(c, o)
    return _stories(events, clusters, list(uf.groups().values()))


def reports(events: list[LinkEvent], clusters: dict[str, str], vec: dict[str, np.ndarray] | None = None,
            leads: dict[str, str] | None = None) -> dict[str, Report]:
    """doc_id → what story detection compares of the report (``coref.Report``).

    ``leads`` (doc_id → title and first paragraphs) adds what the report is about beyond
    the sentences events were coded in: its content words and the vector of its lead.
    Without ``vec`` (the mentions' vectors) the reports get no vectors (``embed_reports``)."""
    by_doc: dict[str, list[LinkEvent]] = defaultdict(list)
    for e in events:
        by_doc[e.doc_id].append(e)
    out = {}
    for doc, evs in sorted(by_doc.items()):
        dates = [d for e in evs for d in (e.date, e.date_end) if d]
        out[doc] = Report(
            doc_id=doc, clusters={clusters[e.event_id] for e in evs}, pairs={p for e in evs if (p := _pair(e))},
            actors={a for e in evs for a in (e.source_actor, e.target_actor) if a},
            people={p for e in evs for p in (e.source_person, e.target_person) if p},
            places={e.location for e in evs if e.location},
            countries={c for e in evs for c in (e.source_country, e.target_country) if c},
            triggers={trigger_key(e) for e in evs if trigger_key(e)},
            span=(min(dates), max(dates)) if dates else None)
    leads = leads or {}
    words = {doc: content_words(sorted({e.sentence or "" for e in evs} | {leads.get(doc) or ""}))
             for doc, evs in by_doc.items()}
    idf = word_weights(words)  # over every report, also when only some are scored
    for doc, r in out.items():
        r.words = {w: idf[w] for w in words[doc] if idf[w] > 0}
        r.words_norm = math.sqrt(sum(x * x for x in r.words.values()))
    if vec:
        embed_reports(out, by_doc, vec, leads)
    return out


def embed_reports(docs: dict[str, Report], by_doc: dict[str, list[LinkEvent]], vec: dict[str, np.ndarray],
                  leads: dict[str, str]) -> None:
    """Give ``docs`` their gists (from the mentions' vectors ``vec``) and lead vectors."""
    for doc, r in docs.items():
        evs = by_doc[doc]
        # the mean of unit vectors, not normalised again: the dot product of two reports'
        # means is the mean cosine over every pair of their sentences (or triggers)
        r.gist = np.mean([vec["s:" + e.event_id] for e in evs], axis=0)
        r.trigger_gist = np.mean([vec["t:" + e.event_id] for e in evs], axis=0)
    for doc, v in text_vectors({d: leads[d] for d in docs if leads.get(d)}).items():
        docs[doc].lead = v


def report_pairs(docs: dict[str, Report], touching: set[str] | None = None):
    """Pairs of reports that share an event cluster, a country pair, an actor, a person, a place,
    a country or a trigger word, dated ones within the story window: the only pairs story
    detection scores.

    Why it stays near linear: a key held by more than ``REPORT_BUCKET_MAX`` reports (a
    country or a common word in a big store) pairs none, and each report keeps only its
    ``REPORT_PARTNERS_MAX`` partners that share the most keys with it. ``touching``: only
    the reports of this set and their partners (an incremental relink).
    """
    index: dict[tuple, list[str]] = defaultdict(list)
    for d, r in docs.items():
        for kind, keys in (("c", r.clusters), ("p", r.pairs), ("a", r.actors), ("h", r.people), ("l", r.places),
                           ("n", r.countries), ("w", r.triggers)):
            for k in keys:
                index[(kind, k)].append(d)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for key in sorted(index):
        bucket = index[key]
        if len(bucket) < 2 or len(bucket) > REPORT_BUCKET_MAX:
            continue
        if touching is not None and touching.isdisjoint(bucket):
            continue
        for a, b in swept_pairs(bucket, {d: docs[d].span for d in bucket}, STORY_WINDOW_DAYS):
            if touching is None or a in touching or b in touching:
                shared[(a, b) if a < b else (b, a)] += 1
    partners: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (a, b), n in shared.items():
        partners[a].append((-n, b))
        partners[b].append((-n, a))
    keep = set()
    for d, lst in partners.items():
        if touching is not None and d not in touching:
            continue  # only the partners of the reports touched
        for _, o in sorted(lst)[:REPORT_PARTNERS_MAX]:
            keep.add((d, o) if d < o else (o, d))
    yield from sorted(keep)


def story_of_reports(docs: dict[str, Report], model: LinearModel) -> dict[str, str]:
    """doc_id → story root: reports scored pair by pair by the story model, then grouped by
    average linkage at the model's threshold (a look-alike report that shares a country pair
    with one report of a story, but nothing with the rest, stays out)."""
    return _linked_reports(docs, list(report_pairs(docs)), model)


def _linked_reports(docs: dict[str, Report], pairs: list[tuple[str, str]], model: LinearModel) -> dict[str, str]:
    """Average linkage of ``docs`` over the scores of ``pairs``."""
    scores: dict[tuple[str, str], float] = {}
    if pairs:
        prob = model.score(np.vstack([story_features(docs[a], docs[b]) for a, b in pairs]))
        scores = {pair: float(p) for pair, p in zip(pairs, prob)}
    return average_linkage(sorted(docs), scores, model.threshold)


class _Blocking:
    """The blocking index of a store's mentions: which mentions ``candidate_pairs`` would pair
    with a given one, without forming every pair of the store."""

    def __init__(self, events: list[LinkEvent]):
        self.index: dict[tuple, list[LinkEvent]] = defaultdict(list)
        for e in events:
            for k in _block_keys(e):
                self.index[(e.type, k)].append(e)

    def partners(self, e: LinkEvent):
        """The mentions of e's type sharing a key with it, dated ones within the slack (an
        undated one only in a small bucket; a common trigger word pairs none)."""
        span = interval(e)
        for k in _block_keys(e):
            bucket = self.index[(e.type, k)]
            if k[0] == "w" and len(bucket) > TRIGGER_BUCKET_MAX:
                continue
            small = len(bucket) <= UNDATED_BUCKET_MAX
            for o in bucket:
                if o.event_id == e.event_id:
                    continue
                other = interval(o)
                if span and other:
                    if interval_gap(span, other) <= DATE_SLACK_DAYS:
                        yield o
                elif small:
                    yield o


def _neighbourhood(seeds: list[LinkEvent], events: list[LinkEvent], members: dict[str, list[LinkEvent]],
                   cluster_of: dict[str, str], model: LinearModel, vec: dict[str, np.ndarray]) -> set[str]:
    """The mentions whose clusters may change when ``seeds`` arrive: the connected component,
    over pairs the model links (score at least its threshold, nothing contradicting), of the
    seeds and of the previous clusters of every mention reached. ``vec`` is filled as needed."""
    blocking = _Blocking(events)
    reached = {e.event_id for e in seeds}
    frontier = list(seeds)
    while frontier:
        pairs, pairs_o = {}, {}
        for e in frontier:
            for o in blocking.partners(e):
                if o.event_id not in reached and _may_share_cluster(e, o, strict=False):
                    pairs[(e.event_id, o.event_id)] = (e, o)
                    pairs_o[o.event_id] = o
        todo = sorted({x.event_id: x for p in pairs.values() for x in p if "s:" + x.event_id not in vec}.values(),
                      key=lambda x: x.event_id)
        vec.update(mention_vectors(todo))
        frontier = []
        if pairs:
            keys = sorted(pairs)
            prob = model.score(np.vstack([link_features(*pairs[k], vec) for k in keys]))
            for (_, o_id), p in zip(keys, prob):
                if p >= model.threshold and o_id not in reached:
                    o = pairs_o[o_id]
                    for m in members[cluster_of[o_id]] if o_id in cluster_of else [o]:
                        if m.event_id not in reached:
                            reached.add(m.event_id)
                            frontier.append(m)
    return reached


def link_incremental(events: list[LinkEvent], previous: dict[str, tuple[str, str]], changed: set[str],
                     leads: dict[str, str] | None = None) -> tuple[dict[str, str], dict[str, str], list[Story]]:
    """``link`` after an ingest that changed the reports ``changed``, recomputing only their
    neighbourhood: (event → cluster, cluster → story, stories) of the whole store.

    ``previous``: event_id → (event_cluster, story_id) of the last relink (rows of removed
    events included). The event clusters redone are those of the mentions a new mention
    shares a blocking key with (``_partners``), and those that lost or changed a member; the
    stories redone are those of the reports those clusters are in and of the reports such a
    report is paired with. Everything else keeps its cluster and story, so a running story
    grows as a new report joins it. Where the result can differ from a full relink is in
    docs/LINK.md (bucket caps counted within the neighbourhood; word weights and merged
    actors that shifted for reports left alone). Without shipped models: the full ``link``.
    """
    pm, sm = pair_model(), story_model()
    if pm is None or sm is None or not previous:
        return link(events, leads=leads)
    present = {e.event_id for e in events}
    by_id = {e.event_id: e for e in events}
    cluster_of = {eid: c for eid, (c, _) in previous.items() if eid in present}
    members: dict[str, list[LinkEvent]] = defaultdict(list)  # previous cluster → its mentions still there
    for e in events:
        if e.event_id in cluster_of:
            members[cluster_of[e.event_id]].append(e)
    new = [e for e in events if e.doc_id in changed or e.event_id not in previous]
    # the new mentions, and what is left of every cluster that lost or changed a member
    redo = {c for eid, (c, _) in previous.items() if eid not in present or by_id[eid].doc_id in changed}
    seeds = {e.event_id: e for e in new} | {m.event_id: m for c in redo for m in members.get(c, [])}
    vec: dict[str, np.ndarray] = {}
    reached = _neighbourhood([seeds[k] for k in sorted(seeds)], events, members, cluster_of, pm, vec)
    sub = [by_id[k] for k in sorted(reached)]
    vec.update(mention_vectors([e for e in sub if "s:" + e.event_id not in vec]))
    clusters = {eid: c for eid, c in cluster_of.items() if eid not in reached}
    clusters.update(cluster_events(sub, pm, vec))
    # stories: the reports of the redone clusters are taken out of their stories and grouped
    # again by average linkage with the running stories of the reports they are paired with
    # (each a node of its size, its score the sum over its reports)
    by_doc: dict[str, list[LinkEvent]] = defaultdict(list)
    for e in events:
        by_doc[e.doc_id].append(e)
    docs = reports(events, clusters, None, leads)
    touched = {e.doc_id for e in sub}
    pairs = list(report_pairs(docs, touching=touched))
    votes: dict[str, Counter] = defaultdict(Counter)
    for e in events:
        if e.event_id in previous and e.doc_id not in touched:
            votes[e.doc_id][previous[e.event_id][1]] += 1
    doc_story = {d: "old:" + min(v.items(), key=lambda kv: (-kv[1], kv[0]))[0] for d, v in votes.items()}
    pairs += _bridged_pairs(docs, pairs, doc_story)
    scores = _embedded_scores(docs, pairs, by_doc, vec, leads or {}, sm)
    sums: dict[tuple[str, str], float] = defaultdict(float)
    for (a, b), x in zip(pairs, scores):
        a, b = doc_story.get(a, a), doc_story.get(b, b)
        if a != b:
            sums[(a, b) if a < b else (b, a)] += float(x)
    sizes = Counter(doc_story.values())
    roots = average_linkage(sorted(touched | set(sizes)), sums, sm.threshold, sizes)
    doc_root = {d: roots[doc_story[d]] for d in doc_story} | {d: roots[d] for d in touched}
    return (clusters, *stories_by_report(events, clusters, doc_root))


def _bridged_pairs(docs: dict[str, Report], pairs: list[tuple[str, str]], doc_story: dict[str, str]
                   ) -> list[tuple[str, str]]:
    """The report pairs between the running stories that new reports are paired with: a new
    report may bridge two running stories, and average linkage can merge them (as a full
    relink would) only when the pairs between them are scored too."""
    bridged = {doc_story[d] for p in pairs for d in p if d in doc_story}
    if len(bridged) < 2:
        return []
    inside = {d for d, story in doc_story.items() if story in bridged}
    return [(a, b) for a, b in report_pairs(docs, touching=inside)
            if a in inside and b in inside and doc_story[a] != doc_story[b]]


def _give_vectors(docs: dict[str, Report], ids: set[str], by_doc: dict[str, list[LinkEvent]],
                  vec: dict[str, np.ndarray], leads: dict[str, str]) -> None:
    """Embed the reports ``ids`` of ``docs`` that have no vectors yet (and their mentions)."""
    need = sorted(d for d in ids if docs[d].gist is None)
    vec.update(mention_vectors([e for d in need for e in by_doc[d] if "s:" + e.event_id not in vec]))
    embed_reports({d: docs[d] for d in need}, by_doc, vec, leads)


def _embedded_scores(docs: dict[str, Report], pairs: list[tuple[str, str]], by_doc: dict[str, list[LinkEvent]],
                     vec: dict[str, np.ndarray], leads: dict[str, str], model: LinearModel) -> np.ndarray:
    """The story model's scores of ``pairs``, after giving the reports in them their vectors."""
    _give_vectors(docs, {d for p in pairs for d in p}, by_doc, vec, leads)
    if not pairs:
        return np.zeros(0)
    return model.score(np.vstack([story_features(docs[a], docs[b]) for a, b in pairs]))


def stories_by_report(events: list[LinkEvent], clusters: dict[str, str], doc_story: dict[str, str]
                      ) -> tuple[dict[str, str], list[Story]]:
    """Stories from each report's story: an event cluster goes to the story most of its
    mentions' reports are in (ties: the smallest root)."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for e in events:
        votes[clusters[e.event_id]][doc_story[e.doc_id]] += 1
    root_of = {c: min(v.items(), key=lambda kv: (-kv[1], kv[0]))[0] for c, v in votes.items()}
    groups: dict[str, list[str]] = defaultdict(list)
    for c, root in root_of.items():
        groups[root].append(c)
    return _stories(events, clusters, list(groups.values()))


def _stories(events: list[LinkEvent], clusters: dict[str, str], groups: list[list[str]]
             ) -> tuple[dict[str, str], list[Story]]:
    """cluster → story id and the stories, from groups of clusters."""
    members: dict[str, list[LinkEvent]] = defaultdict(list)
    for e in events:
        members[clusters[e.event_id]].append(e)
    cluster_story: dict[str, str] = {}
    stories = []
    for group in groups:
        sid = short_id("s", min(group))
        evs = [e for c in group for e in members[c]]
        dates = [d for e in evs for d in (e.date, e.date_end) if d]
        for c in group:
            cluster_story[c] = sid
        stories.append(Story(
            story_id=sid, title=story_title(evs, clusters), clusters=sorted(group),
            first_date=min(dates) if dates else None, last_date=max(dates) if dates else None,
            n_events=len(evs), n_docs=len({e.doc_id for e in evs}),
        ))
    stories.sort(key=lambda s: (-s.n_events, s.story_id))
    return cluster_story, stories


# what an event of a PLOVER type is called in a story's title
TYPE_WORDS = {"AGREE": "agreement", "CONSULT": "talks", "SUPPORT": "support", "CONCEDE": "concession",
              "COOPERATE": "cooperation", "AID": "aid", "RETREAT": "withdrawal", "REQUEST": "request",
              "ACCUSE": "accusation", "REJECT": "rejection", "THREATEN": "threat", "PROTEST": "protest",
              "SANCTION": "sanctions", "MOBILIZE": "mobilisation", "COERCE": "coercion", "ASSAULT": "attack"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _main_pair(events: list[LinkEvent]) -> str | None:
    pairs = Counter("–".join(sorted(p)) for e in events if (p := _pair(e)))
    return min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[0] if pairs else None


def central_event(events: list[LinkEvent], clusters: dict[str, str] | None = None) -> list[LinkEvent]:
    """The mentions of a story's central event: the cluster told by the most reports, then by
    the most mentions, then dated to a day, then the earliest (ids break ties)."""
    groups: dict[str, list[LinkEvent]] = defaultdict(list)
    for e in events:
        groups[clusters[e.event_id] if clusters else e.event_id].append(e)

    def rank(item: tuple[str, list[LinkEvent]]) -> tuple:
        cid, evs = item
        dates = [e.date for e in evs if e.date]
        return (-len({e.doc_id for e in evs}), -len(evs), not any(day_precise(e) for e in evs),
                min(dates) if dates else dt.date.max, cid)

    return min(groups.items(), key=rank)[1]


def story_title(events: list[LinkEvent], clusters: dict[str, str] | None = None) -> str:
    """A short label a reader recognises, from the story's central event (``central_event``):
    its countries, what happened (the event type in a word, with its mode), its month, then
    the people most often in the story — "JPN–KOR: talks, Jan 2026 — Ahn Gyu-back". The same
    events always give the same title."""
    central = central_event(events, clusters)
    countries = Counter(c for e in events for c in (e.source_country, e.target_country) if c)
    top = min(countries.items(), key=lambda kv: (-kv[1], kv[0]))[0] if countries else "?"
    who = _main_pair(central) or _main_pair(events) or top
    typ = min(Counter(e.type for e in central).items(), key=lambda kv: (-kv[1], kv[0]))[0]
    modes = Counter(e.mode for e in central if e.mode and e.type == typ)
    what = TYPE_WORDS.get(typ, typ.lower())
    if modes:
        what += f" ({min(modes.items(), key=lambda kv: (-kv[1], kv[0]))[0]})"
    dates = [e.date for e in central if e.date]
    when = f", {MONTHS[min(dates).month - 1]} {min(dates).year}" if dates else ""
    # "Trump" and "Donald Trump" are one person: a name that ends another counts for it
    people = Counter(name for e in events for name in e.people)
    merged: Counter = Counter()
    for name, n in people.items():
        longer = [o for o in people if o != name and (o.endswith(" " + name) or o.startswith(name + " "))]
        merged[max(longer, key=lambda o: (people[o], len(o), o)) if longer else name] += n
    names = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
    return f"{who}: {what}{when}" + (f" — {', '.join(n for n, _ in names)}" if names else "")


def link(events: list[LinkEvent], models: bool = True, leads: dict[str, str] | None = None
         ) -> tuple[dict[str, str], dict[str, str], list[Story]]:
    """Run both passes: (event → cluster, cluster → story, stories).

    ``leads``: doc_id → the report's title and first paragraphs (``ingest.document_leads``);
    the story model was trained with them, so leaving them out splits stories more finely.

    With ``models`` (the default) the shipped trained models decide (``data/link``): the
    pair model which mentions are one event, the story model which reports tell one story;
    without them, or when none is shipped, the rules do.
    """
    pm, sm = (pair_model(), story_model()) if models else (None, None)
    if sm is None:
        clusters = cluster_events(events, pm)
        return (clusters, *build_stories(events, clusters))
    vec = mention_vectors(events)  # embedded once for both passes
    clusters = cluster_events(events, pm, vec)
    docs = reports(events, clusters, vec, leads)
    return (clusters, *stories_by_report(events, clusters, story_of_reports(docs, sm)))
