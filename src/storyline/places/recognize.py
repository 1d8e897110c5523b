"""Toponym recognition: which spans of a parsed document name places.

Why more than spaCy's GPE/LOC/FAC: the small model misses or mislabels bases and smaller
cities ("Yokosuka" as PERSON, "Wonju" untagged) and glues modifiers onto names
("northern Pyongyang"). We keep its place entities, trim modifiers, accept other-label
entities that are unambiguous gazetteer names, and scan untagged capitalised tokens for
strong gazetteer names. Demonyms ("Japanese") are not places: they are returned separately
as country context.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported by whoever parses; loading the gazetteer does not need it
    from spacy.tokens import Doc, Span

from ..countries import country_entry
from .gazetteer import Gazetteer, name_key

PLACE_LABELS = {"GPE", "LOC", "FAC"}
OTHER_LABELS = {"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "NORP", "LAW", "MONEY"}
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
STRONG_ADMIN2_POP = 300_000
# Last words of street and square names: always places, even when spaCy calls them ORG/PERSON.
STREET_HEADS = {"street", "st.", "avenue", "ave.", "road", "rd.", "boulevard", "blvd.", "lane", "drive", "square",
                "highway", "plaza", "parkway", "alley"}
# Last words of multi-word place names that are not in the gazetteer ("Royal Street").
PLACE_HEADS = {
    "street", "st", "avenue", "ave", "road", "rd", "boulevard", "square", "park", "creek", "river", "lake",
    "mountain", "mountains", "island", "islands", "bay", "valley", "county", "province", "state", "district",
    "region", "airport", "base", "bridge", "beach", "harbour", "harbor", "port", "city", "town", "village",
    "heights", "hills", "falls", "springs", "point", "gardens", "estate", "quarter", "square", "lane", "way",
}
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
        if c.feature == "admin2" and c.population >= STRONG_ADMIN2_POP:
            return True  # "Essex", "Cornwall", "Bulacan"
    return False


def _is_demonym(text: str) -> str | None:
    """Country code when ``text`` is a demonym/adjective ("Japanese", "Americans")."""
    hit = country_entry(text)
    if hit and hit[1] == "demonym":
        return hit[0]
    return None


def _trim(span: Span, gaz: Gazetteer, cut_prefix: bool = True) -> Span | None:
    """Drop leading modifiers ("northern", "the") unless they are part of the name ("North Korea",
    "North Africa": a capitalised direction inside a sentence is part of the name), and
    trailing lower-case words and possessives ("Nyanza province" → "Nyanza")."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end - 1 and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    # "West Virginia State Police" at the start of a sentence: the direction begins a name
    while (start < end - 1 and doc[start].lower_ in DIRECTIONS
           and not any(gaz.has(doc[start:k].text) for k in range(end, start + 1, -1))
           and (doc[start].text.islower() or doc[start].is_sent_start)):
        start += 1
    while end > start + 1 and doc[end - 1].text in {"'s", "’s", "'", "’", ".", ",", "-"}:
        end -= 1
    while end > start + 1 and doc[end - 1].text.islower() and doc[end - 1].lower_ not in FACILITY_HEADS \
            and not gaz.has(doc[start:end].text):
        end -= 1
    out = doc[start:end]
    if cut_prefix and len(out) > 1 and not gaz.has(out.text):
        # "Buffalo Bisons", "St. Louis Police": a place name and words that are not a place
        for k in range(end - 1, start, -1):
            head = doc[start:k]
            if gaz.has(head.text) and _strong(gaz, head.text) and doc[k].lower_ not in PLACE_HEADS \
                    and not (len(head) == 1 and (head[0].lower_ in DIRECTIONS or head[0].lower_ in COMMON_WORDS)):
                out = head
                break
    return out if len(out) else None


EMBED_FEATURES = {"country", "admin1", "continent", "region"}
EMBED_CITY_POP = 100_000


def _embedded(span: Span, gaz: Gazetteer) -> list[tuple[Span, bool]]:
    """Place names inside a longer name: countries, first-level divisions, continents and
    towns of 100k+ by their main name, longest first, left to right; any town at the start of
    a local organisation ("Slidell Police Department", "Nenagh MDC"; flagged ``True``: the
    resolver keeps those only when the document places other names in the same country)."""
    out: list[tuple[Span, bool]] = []
    i = span.start
    doc = span.doc
    if len(span) > 1 and span[-1].lower_.strip(".") in LOCAL_ORG_HEADS:
        for j in range(min(span.end - 1, i + 3), i, -1):
            sub = doc[i:j]
            if sub[-1].text[:1].isupper() and sub[0].pos_ == "PROPN" and _town(gaz, sub.text) \
                    and not _is_demonym(sub.text) and sub[0].lower_ not in COMMON_WORDS:
                out.append((sub, not _strong(gaz, sub.text)))
                i = j
                break
    while i < span.end:
        hit = None
        if doc[i].text[:1].isupper() and not doc[i].is_punct:
            for j in range(min(span.end, i + 4), i, -1):
                sub = doc[i:j]
                if not sub[-1].text[:1].isupper() or (j - i == 1 and len(sub.text) < 2):
                    continue
                if _is_demonym(sub.text):
                    continue
                pairs = gaz.lookup_scored(sub.text)
                if any(c.feature in EMBED_FEATURES or (c.feature == "city" and main and c.population >= EMBED_CITY_POP)
                       for c, main in pairs):
                    hit = sub
                    break
        if hit is not None:
            end = hit.end
            while end > hit.start + 1 and doc[end - 1].text in {"'s", "’s"}:
                end -= 1
            out.append((doc[hit.start:end], False))
            i = hit.end
        else:
            i += 1
    return out


def _grow(span: Span, gaz: Gazetteer) -> Span:
    """The longest gazetteer name that contains the span within its sentence: the entity ruler
    can cut "South Africa" down to "Africa" and "Guinea-Bissau" to "Guinea"."""
    doc = span.doc
    sent = span.sent
    best = span
    for s_ in range(span.start, max(sent.start, span.start - 3) - 1, -1):
        if s_ < span.start and not doc[s_].text[:1].isupper():
            break
        for e_ in range(span.end, min(sent.end, span.end + 4) + 1):
            if (s_, e_) == (span.start, span.end) or e_ - s_ <= len(best):
                continue
            last = doc[e_ - 1]
            if not (last.text[:1].isupper() or last.is_digit):
                continue
            if gaz.has(doc[s_:e_].text):
                best = doc[s_:e_]
    return best


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


# Single words that are place names somewhere but in news are almost always something else
# ("the Centre" = India's central government, "the West", "Free" in "Free Trade").
COMMON_WORDS = {
    "centre", "center", "central", "no", "free", "act", "state", "states", "union", "national", "federal",
    "capital", "city", "university", "college", "hall", "park", "bay", "valley", "line", "mass", "easter",
    "orange", "independence", "liberty", "victory", "unity", "progress", "enterprise", "commerce", "mission",
    "reserve", "royal", "trinity", "providence", "concord", "hope", "paradise", "eden", "eureka", "energy",
    "transforming", "health", "justice", "congress", "senate", "parliament", "capitol", "wing", "house",
    "court", "interior", "defence", "defense", "treasury", "coast", "island", "islands", "republic",
    "kingdom", "empire", "commonwealth", "federation", "metro", "delta", "gulf", "sea", "ocean", "church",
    "supreme", "police", "army", "navy", "airport", "station", "market", "bank", "post", "times", "news",
}
# Common words that are also well-known towns: kept when the parser tagged them as a place and a
# cue says so ("in Providence", "Concord, N.H.").
TOWN_WORDS = {"orange", "independence", "liberty", "victory", "unity", "enterprise", "commerce", "mission",
              "trinity", "providence", "concord", "hope", "paradise", "eden", "eureka", "delta"}
# Diseases named after places: "West Nile virus", "Marburg hemorrhagic fever", "Reston ebolavirus".
DISEASE_HEADS = {"virus", "viruses", "fever", "disease", "flu", "influenza", "ebolavirus", "syndrome", "strain",
                 "encephalitis", "hemorrhagic", "haemorrhagic", "vaccine", "outbreak-strain"}
DISEASE_NAMES = {"ebola", "zika", "marburg", "lassa", "nipah", "hendra", "reston", "lyme", "norwalk", "hantaan",
                 "coxsackie", "machupo", "chikungunya"}


def _person_tokens(doc: Doc, ents: tuple[Span, ...] | None = None) -> dict[str, list[tuple[int, int]]]:
    """Capitalised words of multi-word PERSON entities → the character spans of those entities."""
    out: dict[str, list[tuple[int, int]]] = {}
    for ent in doc.ents if ents is None else ents:
        if ent.label_ == "PERSON" and len(ent) > 1:
            for t in ent:
                if t.text[:1].isupper() and len(t.text) > 2:
                    out.setdefault(t.text, []).append((ent.start_char, ent.end_char))
    return out


SPEECH_VERBS = {"say", "tell", "add", "explain", "ask", "write", "recall", "insist", "reply", "answer", "admit",
                "testify", "recount", "remember", "whisper", "shout", "cry", "laugh", "smile", "sob"}
SPEAKER_MIN_POP = 1_000_000  # "Moscow said", "Tokyo says": big cities speak for their governments


def _speakers(doc: Doc, subjects: list[int] | None = None) -> set[str]:
    """Capitalised one-word names that speak ("Noma said", "said Levi"): persons, whatever
    the parser called them elsewhere; a country, a division or a big city may speak for its
    government, so the caller keeps those. ``subjects``: indices of the nominal subjects when
    the caller has them (walking every token of a long document is the costly part)."""
    tokens = doc if subjects is None else (doc[k] for k in subjects)
    return {t.text for t in tokens if t.dep_ == "nsubj" and t.text[:1].isupper() and not t.is_sent_start
            and t.head.lemma_.lower() in SPEECH_VERBS and not any(c.dep_ == "compound" for c in t.children)}


def _reject(doc: Doc, m: Mention, gaz: Gazetteer, persons: dict[str, list[tuple[int, int]]],
            speakers: set[str] = frozenset(), doc_text: str | None = None) -> bool:
    """Mentions that are not toponyms: common words, short non-acronyms, diseases, persons, IGOs.
    ``doc_text``: ``doc.text`` computed once by the caller (spaCy rebuilds it on every access)."""
    doc_text = doc.text if doc_text is None else doc_text

    text = m.text
    key = name_key(text)
    words = text.split()
    if len(words) == 1 and (key in COMMON_WORDS or key in DIRECTIONS):
        span = doc.char_span(m.start, m.end)
        if not (key in TOWN_WORDS and m.source == "ner" and span is not None and _cue(doc, span, gaz)):
            return True  # "in Providence, R.I.", "near Independence" stay places
    letters = text.replace(".", "")
    if len(letters) <= 3 and not (letters.isupper() or "." in text) and not m.source == "ner":
        return True
    if len(letters) < 2 or text == text.lower():
        return True  # "veranda", "tina": a place name is capitalised
    if len(words) > 1 and words[-1].lower() in DISEASE_HEADS:
        return True  # "West Nile Virus"
    if m.source != "ner" and letters.isupper() and len(letters) <= 4 and key not in gaz.alias_keys \
            and all(c.feature in ("city", "admin1", "admin2") for c in gaz.lookup(text)):
        # "NATO", "BA", "AI": acronyms that are codes of some division, not place names in news
        return True
    if m.source != "ner" and any(ch.isdigit() for ch in text):
        return True
    after = doc_text[m.end:m.end + 40].lower().split()
    nxt = after[0].strip(".,;:()") if after else ""
    if nxt in DISEASE_HEADS or (key in DISEASE_NAMES and nxt not in ("river", "forest", "valley")):
        return True
    if len(words) == 1 and text in speakers and not any(
            c.feature in ("country", "admin1", "continent") or c.population >= SPEAKER_MIN_POP
            for c in gaz.lookup(text)[:3]):
        return True  # "Noma said", "said Levi"
    if m.source == "ner" and len(words) == 1:
        span = doc.char_span(m.start, m.end)
        nxt = doc[span.end] if span is not None and span.end < len(doc) else None
        if nxt is not None and nxt.ent_type_ == "PERSON" and nxt.ent_iob_ == "B" and nxt.text[:1].isupper():
            return True  # "Vladimir Putin": a first name the parser split off as a place
    if len(words) == 1 and text in persons and any(not (a < m.end and m.start < b) for a, b in persons[text]):
        # "Dewly Nelson ... Nelson said": a word of a person's name elsewhere in the document; a
        # country or division the model itself tagged as a place stays ("Jordan", "Georgia")
        top = gaz.lookup(text)[:1]
        span = doc.char_span(m.start, m.end)
        if m.source == "ner" and top and span is not None and _cue(doc, span, gaz):
            return False  # "in downtown Buffalo, New York" beside "Buffalo Fire Chief"
        if m.source != "ner" or not top or top[0].feature not in ("country", "admin1", "continent"):
            return True
    return False


LOC_PREPS = {"in", "near", "outside", "around", "across", "throughout", "towards", "toward", "via",
             "into", "inside", "within", "nearby"}
# "from Smith", "to Trump": weaker cues, only for towns of some size
WEAK_PREPS = {"at", "from", "to", "between"}
WEAK_MIN_POP = 20_000
PERSON_LOC_PREPS = {"in", "near", "outside", "inside", "throughout"}
OF_HEADS = {"town", "towns", "city", "cities", "village", "villages", "province", "provinces", "region", "state",
            "county", "district", "island", "islands", "port", "capital", "suburb", "suburbs", "municipality",
            "area", "outskirts", "mayor", "residents", "people", "streets", "center", "centre"}
CUED_MIN_POP = 1000


# Lower-case nouns after a town's name that make the name a place ("the Pirbright laboratory",
# "Dadaab camps", "the Garden City area").
SITE_NOUNS = {"camp", "camps", "laboratory", "laboratories", "lab", "mine", "mines", "hospital", "refinery",
              "prison", "jail", "dam", "plant", "area", "suburb", "suburbs", "township", "municipality",
              "neighborhood", "neighbourhood", "outskirts", "countryside", "quarantine"}


# Lower-case words after a town that make it the town: its people ("a Longview woman", after
# "a"/"an" only) and its institutions ("Dayton police", "Paris officials").
RESIDENT_NOUNS = {"man", "woman", "men", "women", "resident", "native", "teen", "teenager", "boy", "girl",
                  "couple", "family", "mother", "father", "student", "homeowner", "driver"}
LOCAL_NOUNS = RESIDENT_NOUNS | {"police", "residents", "mayor", "authorities", "firefighters", "voters",
                                "neighborhood", "neighbourhood", "suburb", "schools"}


def _cue(doc: Doc, span: Span, gaz: Gazetteer, person: bool = False) -> bool:
    """Words around a span that say it is a place: "in Malakal", "the town of Rongo",
    "Reston, Virginia", "the Pirbright laboratory"."""
    i = span.start
    prev = doc[i - 1].lower_ if i > 0 else ""
    preps = PERSON_LOC_PREPS if person else LOC_PREPS
    if prev in preps:
        return True
    if prev in WEAK_PREPS and not person and any(
            c.feature != "city" or c.population >= WEAK_MIN_POP for c in gaz.lookup(span.text)):
        return True
    if prev == "of" and i > 1 and doc[i - 2].lower_ in OF_HEADS:
        return True
    j = span.end
    if j < len(doc) and doc[j].lower_ in SITE_NOUNS and doc[j].pos_ == "NOUN":
        return True
    if j + 1 < len(doc) and doc[j].text == "-" and doc[j + 1].lower_ == "based":
        return True  # "a Dallas-based company"
    if not person and j < len(doc) and doc[j].lower_ in LOCAL_NOUNS and (
            prev in ("a", "an") or doc[j].lower_ not in RESIDENT_NOUNS):
        return True  # "a Longview woman", "Dayton police said"
    if j + 1 < len(doc) and doc[j].text == "," and doc[j + 1].text[:1].isupper():
        for k in range(j + 3, j + 1, -1):
            if k <= len(doc):
                nxt = doc[j + 1:k].text
                if any(c.feature in ("admin1", "country") for c in gaz.lookup(nxt)):
                    return True
    return False


# Words that open an institution's name after its country or division ("US State Department").
def _named_org(text: str) -> bool:
    """A name the actors lexicon knows as an organisation or armed group (not a place)."""
    from ..organisations import armed_groups, fold, named_orgs
    from ..countries import normalise

    key = fold(normalise(text))
    return key in named_orgs() or key in armed_groups()


ORG_WORDS = {
    "state", "department", "army", "navy", "air", "embassy", "government", "ministry", "forces", "special",
    "senate", "congress", "parliament", "party", "federal", "national", "red", "supreme", "high", "central",
    "police", "coast", "marine", "marines", "defence", "defense", "health", "public", "treasury", "census",
    "consulate", "foreign", "interior", "border", "customs", "general", "university", "football", "rugby",
    "cricket", "olympic", "armed", "military", "trade", "energy", "food", "environmental", "securities",
}


def _country_or_division(gaz: Gazetteer, name: str) -> bool:
    return any(c.feature in ("country", "admin1") for c in gaz.lookup(name))


def _town(gaz: Gazetteer, name: str) -> bool:
    """Any populated place or division of that name (the weak test, used with a cue)."""
    return any(c.feature != "city" or c.population >= CUED_MIN_POP for c in gaz.lookup(name))


# The last word of an organisation whose first words name its town ("Beverly Hills Police Department").
LOCAL_ORG_HEADS = {
    "police", "department", "pd", "council", "sheriff", "court", "hospital", "county", "fire", "school",
    "schools", "district", "municipality", "township", "board", "authority", "airport", "library", "museum",
    "zoo", "cathedral", "church", "mdc", "office", "station", "service", "services", "commission",
}


def _propagate(doc: Doc, mentions: list[Mention], gaz: Gazetteer,
               persons: dict[str, list[tuple[int, int]]], text: str, ents: tuple[Span, ...]) -> list[Mention]:
    """Other occurrences of a name the document already uses as a place ("in Malakal" ...
    "Malakal is stable"), wherever no place mention covers them; not names of persons."""
    names = {m.text for m in mentions if not m.source.startswith("embedded") and gaz.has(m.text) and m.text not in persons
             and m.text[:1].isupper()}
    if not names:
        return []
    taken = [(m.start, m.end) for m in mentions]
    out: list[Mention] = []
    for name in names:
        start = 0
        while True:
            k = text.find(name, start)
            if k < 0:
                break
            start = k + len(name)
            end = k + len(name)
            if (k > 0 and (text[k - 1].isalnum() or text[k - 1] == "-")) or (end < len(text) and (text[end].isalnum() or text[end] == "-")):
                continue
            if any(a < end and k < b for a, b in taken):
                continue
            span = doc.char_span(k, end)
            if span is None:
                continue
            # not inside a longer capitalised name ("Malakal" in "Malakal Hospital" is fine via embedded)
            nxt = doc[span.end] if span.end < len(doc) else None
            prv = doc[span.start - 1] if span.start > 0 else None
            if nxt is not None and nxt.text[:1].isupper() and nxt.pos_ == "PROPN":
                continue
            if prv is not None and prv.text[:1].isupper() and prv.pos_ == "PROPN" and not prv.is_sent_start:
                continue
            if any(e.label_ == "PERSON" and e.start <= span.start and span.end <= e.end and len(e) > len(span)
                   for e in ents):
                continue
            out.append(Mention(name, k, end, "GPE", name, None, "propagated", 0.6))
            taken.append((k, end))
    return out


# Nouns after a demonym that make it the country as a place: "Syrian villages", "the Turkish
# border", "Indian states" (GeoWebNews' literal modifiers); "Kenyan officials" stay affiliation.
DEMONYM_PLACE_NOUNS = {
    "border", "borders", "frontier", "frontiers", "capital", "city", "cities", "town", "towns", "village",
    "villages", "territory", "territories", "soil", "coast", "coastline", "coasts", "waters", "airspace",
    "province", "provinces", "states", "region", "regions", "side", "countryside", "mainland", "island",
    "islands", "port", "ports", "enclave", "enclaves", "beaches", "shore", "shores", "highlands", "desert",
    "border town", "hinterland", "heartland", "countryside", "outback", "interior", "seaside", "suburbs",
}


def _demonym_places(doc: Doc, demonyms: list[tuple[str, int, int]]) -> list[Mention]:
    """Demonyms that name the country as a place: followed (after other demonyms, hyphens or one
    adjective: "Syrian-Turkish border", "Syrian Kurdish enclave") by a place noun."""
    out = []
    for code, start, end in demonyms:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        k, adjectives = span.end, 0
        while k < len(doc) and (doc[k].text in ("-", "–") or _is_demonym(doc[k].text) or doc[k].ent_type_ == "NORP"
                                or (doc[k].pos_ == "ADJ" and doc[k].text.islower() and adjectives < 1)):
            adjectives += doc[k].pos_ == "ADJ" and doc[k].text.islower()
            k += 1
        if k < len(doc) and doc[k].lower_ in DEMONYM_PLACE_NOUNS and doc[k].pos_ == "NOUN":
            out.append(Mention(span.text, start, end, "NORP", span.text, None, "demonym", 0.6))
    return out


LIST_JOINS = {",", "and", "or", "&"}
LIST_MAX_TOKENS = 3


def _list_name(doc: Doc, i: int, step: int, taken: set[int], gaz: Gazetteer,
               persons: dict[str, list[tuple[int, int]]]) -> Span | None:
    """The longest gazetteer name next to token ``i`` (starting there when ``step`` is 1,
    ending there when -1): capitalised proper-noun words no other mention or entity holds,
    not a whole longer name ("Berry" in "Berry Street"), not a demonym, a common word or a
    word of a person's name."""
    n = len(doc)
    sent = doc[i].sent
    for size in range(LIST_MAX_TOKENS, 0, -1):
        a, b = (i, i + size) if step == 1 else (i - size + 1, i + 1)
        if a < sent.start or b > sent.end:
            continue
        span = doc[a:b]
        if any(k in taken or not doc[k].text[:1].isupper() or doc[k].is_punct for k in range(a, b)):
            continue
        labels = {doc[k].ent_type_ for k in range(a, b)} - {""}
        if labels & {"NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENT"}:
            continue
        if labels and not (len(labels) == 1 and doc[a].ent_iob_ == "B" and (b == n or doc[b].ent_iob_ != "I")):
            continue  # part of a longer entity ("Berry" in "Chuck Berry"); a whole one may be mislabelled
        if b < n and doc[b].pos_ in ("VERB", "AUX") and labels:
            continue  # "in Paris, Jones said"
        outer = [doc[k] for k in (a - 1, b) if 0 <= k < n]
        if any(t.text[:1].isupper() and t.pos_ == "PROPN" and t.i not in taken and not t.is_sent_start
               for t in outer):
            continue
        text = span.text
        if len(span) == 1 and (name_key(text) in COMMON_WORDS or name_key(text) in DIRECTIONS or text in persons):
            continue
        if _is_demonym(text) or not _town(gaz, text):
            continue
        return span
    return None


def _coordinated(doc: Doc, mentions: list[Mention], gaz: Gazetteer,
                 persons: dict[str, list[tuple[int, int]]]) -> list[Mention]:
    """Names listed with a recognised place ("Temryuk and Anapa", "Moonbi, Parkes, Berry and
    Wyong", "New Quay, Ceredigion"): a list is usually of one kind, so a gazetteer name that
    the parser left untagged next to a place joined by a comma, "and" or "or" is a place too.
    Chains are followed both ways within the sentence."""
    taken: set[int] = set()
    queue = []
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        taken.update(range(span.start, span.end))
        if m.source in ("ner", "ner-relabel", "gazetteer", "dateline") and gaz.has(m.query):
            queue.append(span)
    out: list[Mention] = []
    while queue:
        span = queue.pop()
        for step in (1, -1):
            k = span.end if step == 1 else span.start - 1
            joins = 0
            while 0 <= k < len(doc) and doc[k].lower_ in LIST_JOINS and joins < 2:
                k += step
                joins += 1
            if not joins or not 0 <= k < len(doc):
                continue
            hit = _list_name(doc, k, step, taken, gaz, persons)
            if hit is None:
                continue
            taken.update(range(hit.start, hit.end))
            out.append(Mention(hit.text, hit.start_char, hit.end_char, "GPE", hit.text, None, "list", 0.6))
            queue.append(hit)
    return out


# What follows a dateline's place: an optional ", State", an optional agency mark, a dash or colon.
_DATELINE_TAIL = (r"(?:,[ \t]*[A-Z][\w.]*(?:[ \t][A-Z][\w.]*){0,2})?[ \t]*(?:\([A-Za-z. ]{1,20}\)[ \t]*)?"
                  r"(?:—|–|--| - |:)")
DATELINE_TAIL = re.compile(_DATELINE_TAIL)
# A wire dateline opening a line: "SPRINGFIELD, Ill. (AP) —", "WASHINGTON —", "LAGOS, Nigeria:".
_DATELINE = re.compile(r"(?m)^[ \t]*([A-Z][A-Z.'’\- ]{1,40}[A-Z.])(?=" + _DATELINE_TAIL + ")")
# ... or anywhere before a wire agency's mark: "Associated Press WASHINGTON (AP) —"
_WIRE_DATELINE = re.compile(
    r"\b([A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3})(?=(?:,[ \t]*[A-Z][\w.]*(?:[ \t][A-Z][\w.]*){0,2})?"
    r"[ \t]*\((?:AP|Reuters|AFP|UPI|CNN|Xinhua|IANS|PTI|APP|dpa|Bloomberg|BBC)\))")


def datelines(doc: Doc, gaz: Gazetteer, text: str | None = None) -> list[Mention]:
    """The place of a wire dateline, written in capitals ("DAYTON, Ohio (AP) —"): the parser
    seldom tags an all-capitals word, and the dateline says where the story is filed from."""
    out: list[Mention] = []
    text = doc.text if text is None else text
    matches = sorted({(m.start(1), m.end(1)): m for rx in (_DATELINE, _WIRE_DATELINE)
                      for m in rx.finditer(text)}.values(), key=lambda m: m.start(1))
    for m in matches:
        raw = m.group(1).strip()
        if any(o.start < m.end(1) and m.start(1) < o.end for o in out):
            continue
        name = " ".join(w.capitalize() if w.isupper() else w for w in raw.split())
        if len(raw) < 3 or not gaz.has(name) or _is_demonym(name) or name_key(name) in COMMON_WORDS:
            continue
        if not any(c.feature != "city" or c.population >= WEAK_MIN_POP for c in gaz.lookup(name)) \
                and "," not in text[m.end(1):m.end(1) + 2]:
            continue  # "POLICE —" is a heading; a small town needs its ", State"
        start = m.start(1) + m.group(1).index(raw)
        out.append(Mention(raw, start, start + len(raw), "GPE", name, None, "dateline", 0.8))
    return out


@dataclass
class DocFacts:
    """What several passes over one document read, read once: its text (spaCy rebuilds
    ``doc.text`` on every access), its tokens' texts, offsets, coarse tags and sentence
    starts (as plain lists: creating a spaCy ``Token`` per word costs more than the checks
    made on it), the words of its persons' names and its speakers."""

    text: str
    words: list[str]
    starts: list[int]
    pos: list[int]
    sent_start: list[int]
    persons: dict[str, list[tuple[int, int]]]
    speakers: set[str]
    ents: tuple[Span, ...] = ()  # doc.ents (spaCy builds new Span objects on every access)

    @classmethod
    def of(cls, doc: Doc) -> "DocFacts":
        from spacy.attrs import DEP, IDX, LENGTH, POS, SENT_START
        from spacy.symbols import nsubj

        text = doc.text
        ents = tuple(doc.ents)
        if not len(doc):
            return cls(text, [], [], [], [], {}, set(), ())
        cols = doc.to_array([IDX, LENGTH, POS, SENT_START, DEP])
        starts = cols[:, 0].tolist()
        ends = (cols[:, 0] + cols[:, 1]).tolist()
        subjects = (cols[:, 4] == nsubj).nonzero()[0].tolist()
        return cls(text, [text[a:b] for a, b in zip(starts, ends)], starts, cols[:, 2].tolist(),
                   cols[:, 3].tolist(), _person_tokens(doc, ents), _speakers(doc, subjects), ents)


def rule_mentions(doc: Doc, gaz: Gazetteer, facts: DocFacts | None = None
                  ) -> tuple[list[Mention], list[Mention], list[tuple[str, int, int]]]:
    """What the hand rules propose: (accepted mentions, possibly overlapping; mentions the
    filters rejected; demonym hits as (country code, start, end)). The toponym classifier
    (``places.classify``) takes both lists as candidates, the filters' verdict as one feature."""
    facts = facts or DocFacts.of(doc)
    mentions: list[Mention] = []
    demonyms: list[tuple[str, int, int]] = []
    covered = [False] * len(doc)
    for ent in facts.ents:
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
            span = _grow(span, gaz)
            for t in range(span.start, span.end):
                covered[t] = True
            if _is_demonym(span.text) and not gaz.has(span.text):
                demonyms.append((_is_demonym(span.text), span.start_char, span.end_char))
                continue
            span = _extend_facility(doc, span, gaz)
            host = None if gaz.has(span.text) else _facility_host(span, gaz)
            mentions.append(Mention(span.text, span.start_char, span.end_char, label, span.text, host, "ner", 0.9))
        elif label == "MONEY":
            # "11 billion US dollars": the currency's country
            for sub, _ in _embedded(ent, gaz):
                if gaz.lookup(sub.text)[:1] and gaz.lookup(sub.text)[0].feature == "country":
                    mentions.append(Mention(sub.text, sub.start_char, sub.end_char, "GPE", sub.text, None, "embedded", 0.5))
        elif label in OTHER_LABELS:
            span = _trim(ent, gaz, cut_prefix=False)
            if span is None or not span.text[:1].isupper():
                continue
            if label in ("ORG", "PERSON", "FAC") and len(span) > 1 and span[-1].lower_ in STREET_HEADS \
                    and span[-1].text[:1].isupper():
                mentions.append(Mention(span.text, span.start_char, span.end_char, "FAC", span.text, None, "street", 0.6))
                continue
            strong = _strong(gaz, span.text) or (_town(gaz, span.text) and _cue(doc, span, gaz, label == "PERSON"))
            if label not in ("PERSON",) and not (strong and not _is_demonym(span.text)):
                # toponyms inside organisation names ("U.S. Food and Drug Administration",
                # "Kidney Foundation of Canada", "Toronto Police Services Board")
                for sub, local in _embedded(span, gaz):
                    # only a country stands on its own inside a name; a division or town needs the
                    # document to place other names in its country ("Maritime Self-Defense Force")
                    local = local or not any(c.feature == "country" for c in gaz.lookup(sub.text))
                    mentions.append(Mention(sub.text, sub.start_char, sub.end_char, "GPE", sub.text, None,
                                            "embedded-local" if local else "embedded", 0.5))
                continue
            if strong and label == "ORG" and _named_org(span.text):
                continue  # "Hamas" is the movement, not an alternate name of Hamm in Germany
            if strong and not _is_demonym(span.text):
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
        if covered[i] or not facts.words[i][:1].isupper():
            i += 1
            continue
        tok = doc[i]
        if tok.is_punct:
            i += 1
            continue
        match = None
        for j in range(min(n, i + SCAN_MAX_TOKENS), i, -1):
            if any(covered[k] for k in range(i, j)):
                continue
            span = doc[i:j]
            if not span[-1].text[:1].isupper() and span[-1].lower_ not in FACILITY_HEADS:
                continue
            if (_strong(gaz, span.text) or (_town(gaz, span.text) and _cue(doc, span, gaz))) and not _is_demonym(span.text):
                # not part of a longer capitalised name ("Georgia Tech", "Jordan Peterson")
                nxt = doc[j] if j < n else None
                if nxt is not None and nxt.text[:1].isupper() and not nxt.is_punct and nxt.pos_ == "PROPN" \
                        and not (nxt.lower_ in ORG_WORDS and _country_or_division(gaz, span.text)):
                    continue  # ("US State Department", "Kenya Red Cross" are kept: the place heads an institution)
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
    persons, speakers, doc_text = facts.persons, facts.speakers, facts.text
    verdicts = [_reject(doc, m, gaz, persons, speakers, doc_text) for m in mentions]
    rejected = [m for m, bad in zip(mentions, verdicts) if bad]
    mentions = [m for m, bad in zip(mentions, verdicts) if not bad]
    lines = datelines(doc, gaz, doc_text)
    mentions = [m for m in mentions if not any(d.start < m.end and m.start < d.end for d in lines)] + lines
    mentions += _coordinated(doc, mentions, gaz, persons)
    mentions += _demonym_places(doc, demonyms)
    mentions += _propagate(doc, mentions, gaz, persons, doc_text, facts.ents)
    return mentions, rejected, demonyms


def drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Mentions in text order, the longer of two overlapping ones kept."""
    mentions = sorted(mentions, key=lambda m: m.start)
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            if (m.end - m.start) > (out[-1].end - out[-1].start):
                out[-1] = m
            continue
        out.append(m)
    return out


def recognize(doc: Doc, gaz: Gazetteer, facts: DocFacts | None = None
              ) -> tuple[list[Mention], list[tuple[str, int, int]]]:
    """Toponym mentions and demonym hits (country code, start, end) in ``doc``: the trained
    toponym classifier's choice among the candidates (``places.classify``), or the hand
    rules alone when no model is installed."""
    from .classify import choose, toponym_model

    facts = facts or DocFacts.of(doc)
    accepted, rejected, demonyms = rule_mentions(doc, gaz, facts)
    model = toponym_model()
    if model is None:
        return drop_overlaps(accepted), demonyms
    return choose(doc, gaz, model, accepted, rejected, facts), demonyms
