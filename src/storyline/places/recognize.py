"""Toponym recognition: which spans of a parsed document name places.

Why more than spaCy's GPE/LOC/FAC: the small model misses or mislabels bases and smaller
cities ("Yokosuka" as PERSON, "Wonju" untagged) and glues modifiers onto names
("northern Pyongyang"). We keep its place entities, trim modifiers, accept other-label
entities that are unambiguous gazetteer names, and scan untagged capitalised tokens for
strong gazetteer names. Demonyms ("Japanese") are not places: they are returned separately
as country context.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from .gazetteer import Gazetteer

PLACE_LABELS = {"GPE", "LOC", "FAC"}
OTHER_LABELS = {"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "NORP", "LAW"}
DIRECTIONS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
    "southeastern", "southwestern", "north-east", "north-west", "south-east", "south-west",
    "north-eastern", "north-western", "south-eastern", "south-western", "mid", "upstate",
    "downstate", "downtown", "uptown", "greater", "rural", "coastal", "suburban", "inner",
    "outer", "far", "the", "metropolitan", "mainland", "neighbouring", "neighboring",
    "war-torn", "occupied", "nearby", "remote",
}
# Words after a host place that make it a facility ("Yokosuka base", "Naha air base").
FACILITY_HEADS = {"base", "airbase", "airport", "airfield", "port", "harbor", "harbour", "garrison", "camp"}
STRONG_FEATURES = {"country", "admin1", "continent", "sea", "ocean", "strait", "canal", "island", "base",
                   "airport", "site", "region"}
STRONG_CITY_POP = 100_000
SCAN_MAX_TOKENS = 5


@dataclass
class Mention:
    """A recognised toponym: its span in the text and the name(s) to look up."""

    text: str
    start: int
    end: int
    label: str
    query: str  # name to look up in the gazetteer (modifiers trimmed)
    host: str | None = None  # host place of a facility ("Naha" for "Naha air base")
    source: str = "ner"  # ner, ner-relabel, gazetteer
    score: float = 0.9  # recognition confidence


def _strong(gaz: Gazetteer, name: str, min_city_pop: int = STRONG_CITY_POP) -> bool:
    for c in gaz.lookup(name):
        if c.feature in STRONG_FEATURES:
            return True
        if c.feature == "city" and c.population >= min_city_pop:
            return True
    return False


def _is_demonym(text: str) -> str | None:
    """Country code when ``text`` is a demonym/adjective ("Japanese", "Americans")."""
    try:
        from storyline.countries import country_entry
    except Exception:  # pragma: no cover - shared module missing
        return None
    hit = country_entry(text)
    if hit and hit[1] == "demonym":
        return hit[0]
    return None


def _trim(span: Span, gaz: Gazetteer) -> Span | None:
    """Drop leading modifiers ("northern", "the") unless they are part of the name ("North Korea")."""
    if gaz.has(span.text):
        return span
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in DIRECTIONS and not gaz.has(span.doc[start:span.end].text):
        start += 1
    end = span.end
    while end > start + 1 and span.doc[end - 1].text in {"'s", "’s", "'", ".", ","}:
        end -= 1
    out = span.doc[start:end]
    return out if len(out) else None


def _facility_host(span: Span, gaz: Gazetteer) -> str | None:
    """'Naha air base' → 'Naha' when the whole phrase is not itself a gazetteer name."""
    words = [t for t in span]
    for i in range(len(words) - 1, 0, -1):
        if words[i].lower_ in FACILITY_HEADS:
            host = span.doc[span.start:words[i].i]
            while len(host) > 1 and host[-1].lower_ in {"air", "naval", "military", "international", "navy", "army",
                                                        "force", "marine", "corps"}:
                host = host[:-1]
            if len(host) and gaz.has(host.text):
                return host.text
    return None


def _extend_facility(doc: Doc, span: Span, gaz: Gazetteer) -> Span:
    """Grow "Naha" to "Naha air base" when the following words make a facility
    (not after a country: "U.S. military base" stays "U.S.")."""
    if any(c.feature in ("country", "continent") for c in gaz.lookup(span.text)[:1]):
        return span
    j = span.end
    while j < len(doc) and j < span.end + 3 and doc[j].lower_ in {"air", "naval", "military", "navy", "army",
                                                                  "international", "marine", "force"}:
        j += 1
    if j < len(doc) and doc[j].lower_ in FACILITY_HEADS - {"port", "camp"}:
        return doc[span.start:j + 1]
    return span


def recognize(doc: Doc, gaz: Gazetteer) -> tuple[list[Mention], list[tuple[str, int, int]]]:
    """Toponym mentions and demonym hits (country code, start, end) in ``doc``."""
    mentions: list[Mention] = []
    demonyms: list[tuple[str, int, int]] = []
    covered = [False] * len(doc)
    for ent in doc.ents:
        for t in range(ent.start, ent.end):
            covered[t] = True
        label = ent.label_
        if label == "NORP" or (label in OTHER_LABELS and _is_demonym(ent.text)):
            code = _is_demonym(ent.text)
            if code:
                demonyms.append((code, ent.start_char, ent.end_char))
                continue
        if label in PLACE_LABELS:
            span = _trim(ent, gaz)
            if span is None:
                continue
            if _is_demonym(span.text) and not gaz.has(span.text):
                demonyms.append((_is_demonym(span.text), span.start_char, span.end_char))
                continue
            span = _extend_facility(doc, span, gaz)
            host = None if gaz.has(span.text) else _facility_host(span, gaz)
            mentions.append(Mention(span.text, span.start_char, span.end_char, label, span.text, host, "ner", 0.9))
        elif label in OTHER_LABELS:
            span = _trim(ent, gaz)
            if span is None or not span.text[:1].isupper():
                continue
            if _strong(gaz, span.text) and not _is_demonym(span.text):
                # a title before it means a person ("President Georgia") — rare, but cheap to check
                prev = doc[span.start - 1].lower_ if span.start > 0 else ""
                if prev in {"mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr."}:
                    continue
                span = _extend_facility(doc, span, gaz)
                host = None if gaz.has(span.text) else _facility_host(span, gaz)
                mentions.append(Mention(span.text, span.start_char, span.end_char, "GPE", span.text, host,
                                        "ner-relabel", 0.7))
    # gazetteer scan over tokens no entity covers
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if covered[i] or not tok.text[:1].isupper() or tok.is_punct:
            i += 1
            continue
        match = None
        for j in range(min(n, i + SCAN_MAX_TOKENS), i, -1):
            if any(covered[k] for k in range(i, j)):
                continue
            span = doc[i:j]
            if not span[-1].text[:1].isupper() and span[-1].lower_ not in FACILITY_HEADS:
                continue
            if _strong(gaz, span.text) and not _is_demonym(span.text):
                # not part of a longer capitalised name ("Georgia Tech", "Jordan Peterson")
                nxt = doc[j] if j < n else None
                if nxt is not None and nxt.text[:1].isupper() and not nxt.is_punct and nxt.pos_ == "PROPN":
                    continue
                prv = doc[i - 1] if i > 0 else None
                if prv is not None and prv.text[:1].isupper() and prv.pos_ == "PROPN" and not prv.is_sent_start:
                    continue
                if len(span) == 1 and tok.is_sent_start and tok.pos_ != "PROPN":
                    continue
                if len(span) == 1 and tok.pos_ not in ("PROPN", "NOUN", "ADJ", "X"):
                    continue
                match = span
                break
        if match is not None:
            span = _extend_facility(doc, match, gaz)
            host = None if gaz.has(span.text) else _facility_host(span, gaz)
            mentions.append(Mention(span.text, span.start_char, span.end_char, "GPE", span.text, host, "gazetteer", 0.6))
            i = span.end
        else:
            i += 1
    mentions.sort(key=lambda m: m.start)
    # drop overlaps (keep the longer)
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            if (m.end - m.start) > (out[-1].end - out[-1].start):
                out[-1] = m
            continue
        out.append(m)
    return out, demonyms
