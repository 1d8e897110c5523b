"""Find actor mentions in a parsed document and group them into actors.

Why rules and tables, not another model: the stage runs on every document after spaCy,
so it must cost a few dict lookups per token. Sources of mentions:

* PERSON entities, with the title phrase to their left ("South Korea's Defence Minister
  Ahn Gyu-back", "his Japanese counterpart, Shinjiro Koizumi") or an apposition to their
  right ("Chung Binna, a ministry spokesperson") giving role, agent and country;
* ORG entities, classified by the IGO table, the named-organisation table, or their head
  noun ("Defence Ministry" → GOV, "Air Force" → MIL, "Kyodo News" → MED);
* country GPEs used as actors ("Japan lodged a protest", "Tokyo scrapped the plan"), but
  not as locations ("departed for Yokosuka", "in Seoul") or as someone's qualifier;
* common-noun actor phrases ("the Japanese government", "the military", "police",
  "protesters", "a Japanese government official");
* nominal NORP ("Palestinians protested").

Country comes from a qualifier (possessive, demonym, compound), an apposition, the other
actors of the sentence, or the dateline (for domestic organs only); mentions are then
grouped: person short forms join the full name that contains them ("Ahn" → "Ahn Gyu-back",
hyphen/space variants alike), organisations by folded name and compatible country, states
by country code.
"""
from __future__ import annotations

import datetime as dt

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..countries import country_entry, country_name, igo_body, igo_entry, igo_seat
from ..models import Actor, Mention, Place
from . import lexicon as lx
from .context import document_context
from .coref import resolve_pronouns

DOMESTIC = {"GOV", "MIL", "LEG", "JUD", "COP", "SPY", "OPP", "ELI"}
STATE_KINDS = {"name", "abbrev", "capital", "metonym"}
POSSESSIVE = {"'s", "\u2019s", "'", "\u2019"}
DETERMINERS = {"the", "a", "an", "his", "her", "its", "their", "our", "this", "that", "these", "those"}
QUALIFIERS = {"former", "ex", "then", "acting", "incoming", "outgoing", "new", "late", "interim", "caretaker"}
PAST = {"former", "ex", "late"}
# prepositions after which a country name is a place, not an actor
LOCATIVE = {"in", "at", "from", "near", "into", "across", "throughout", "within", "inside", "outside",
            "around", "off", "over", "toward", "towards", "via", "through", "along", "onto", "beyond",
            "across", "between", "among", "of", "for", "to", "on", "under", "above", "below"}
# ... except when the governing word is one of these (actor readings)
ACTOR_GOVERNORS = {"talk", "talks", "tie", "ties", "relation", "relations", "agreement", "pact", "deal",
                   "meeting", "dialogue", "cooperation", "negotiation", "negotiations", "war", "dispute",
                   "tension", "tensions", "sanction", "sanctions", "support", "aid", "protest", "call",
                   "demand", "threat", "threats", "alliance", "treaty", "summit", "appeal", "message",
                   "letter", "apology", "request", "offer", "warning", "claim", "claims", "criticism",
                   "pressure", "attack", "attacks", "strike", "strikes", "condemn", "accuse", "urge"}
WITH_ACTOR = {"with", "against", "by", "between"}
# nouns that make a named thing a place or an event rather than an actor
PLACE_HEADS = {"base", "airport", "port", "city", "island", "islands", "province", "prefecture", "county",
               "town", "village", "station", "camp", "street", "square", "bridge", "harbour", "harbor",
               "district", "region", "border", "coast", "peninsula", "strait", "sea", "river", "hometown",
               "capital", "zone", "area", "airbase", "port city", "hospital", "school", "stadium", "hotel",
               "center", "centre", "building", "palace", "hall", "highway", "road", "university"}
EVENT_HEADS = {"meeting", "summit", "conference", "forum", "talks", "dialogue", "session", "plus", "games",
               "festival", "exhibition", "show", "award", "prize", "cup", "championship", "olympics",
               "war", "treaty", "agreement", "accord", "act", "law", "bill", "plan", "program", "programme",
               "initiative", "day", "week", "zone", "crisis", "incident", "operation", "exercise", "drill",
               "drills"}
PERSON_PRONOUN_DETS = {"his", "her"}
MISSIONS = {"embassy", "consulate", "mission", "ambassador", "envoy", "diplomat", "delegation", "consul",
            "attache", "legation", "chancery"}
# agent-dictionary nouns that name things, places or people in general, not actors
NOT_ACTOR_HEADS = {"city", "community", "employee", "capital", "kingdom", "industry", "business", "market",
                   "hospital", "ambulance", "airline", "airliner", "jet", "jetliner", "aircraft", "plane",
                   "tanker", "ship", "carrier", "destroyer", "frigate", "cruiser", "corvette", "battleship",
                   "bomber", "artillery", "barracks", "base", "echelon", "family", "child", "children",
                   "mother", "girl", "individual", "ordinary", "native", "customer", "passenger", "chamber",
                   "governance", "diet", "mig", "humvee", "kfir", "blog", "website", "internet site",
                   "publication", "television", "tv", "reader", "commenter", "user", "source", "sources",
                   "employer", "member", "staff", "personnel", "owner", "unit", "crew", "fighter", "team",
                   "state", "states", "politician", "politicians", "party", "parties", "town", "towns",
                   "settlement", "settlements", "prison", "prisons", "jail", "station", "school", "schools",
                   "magazine", "magazines", "vessel", "vessels", "ship", "ships", "boat", "boats", "posts",
                   "deputy", "deputies"}
# time-zone abbreviations that the tagger glues to a following name ("09 IST Navy")
TIME_ZONES = {"IST", "GMT", "BST", "UTC", "EST", "EDT", "CST", "CDT", "PST", "PDT", "CET", "CEST", "JST",
              "KST", "MSK", "AEST", "AEDT", "HKT", "SGT", "WIB", "PHT", "ICT", "EET", "EEST", "WET", "WEST"}


@dataclass
class _M:
    """One mention before grouping."""

    start: int  # char offsets of the name
    end: int
    text: str
    kind: str  # person, state, organisation
    name: str
    key: str  # grouping key (folded name or country code)
    country: str | None = None
    csrc: str | None = None  # explicit, sentence, dateline, alias
    agent: str | None = None
    role: str | None = None
    sent: int = 0
    tok: int = 0
    named: bool = True  # a proper name (vs a common-noun phrase)
    plural: bool = False
    extra: dict = field(default_factory=dict)


def _compact(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", lx.fold(text))


def actor_id(kind: str, name: str, country: str | None) -> str:
    """Stable id: same kind, name (spelling/hyphen-insensitive) and country → same id."""
    raw = f"{kind}|{_compact(name)}|{country or ''}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def country_actor(code: str) -> Actor | None:
    """The actor a bare country or IGO code stands for: the state (GOV) or the organisation,
    with the id the actors stage gives it in every document."""
    igo = igo_entry(code)
    if igo is not None:
        return Actor(id=actor_id("organisation", igo.name, code), name=igo.name, country=code, agent=igo.agent,
                     kind="organisation", aliases=[igo.name])
    name = country_name(code)
    if name is None:
        return None
    return Actor(id=actor_id("state", name, code), name=name, country=code, agent="GOV", kind="state",
                 aliases=[name])


def _doc_hash(doc: Doc) -> str:
    return hashlib.sha1(doc.text.encode("utf-8")).hexdigest()[:12]


def _is_poss(tok: Token) -> bool:
    return tok.tag_ == "POS" or tok.text in POSSESSIVE


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range without leading determiners and trailing possessive/punctuation."""
    while start < end and (doc[start].lower_ in DETERMINERS or doc[start].is_punct):
        start += 1
    while end > start and (_is_poss(doc[end - 1]) or doc[end - 1].is_punct):
        end -= 1
    return start, end


def _strip_poss_text(text: str) -> str:
    return re.sub(r"(?:['\u2019]s|['\u2019])$", "", text.strip()).strip()


class _Ctx:
    """Per-document state: entity index, consumed tokens, dateline country."""

    def __init__(self, doc: Doc, places: list[Place] | None, published: dt.date | None = None):
        self.doc = doc
        self.places = places or []
        self.published = published
        self.ent_of: dict[int, Span] = {}
        for e in doc.ents:
            for i in range(e.start, e.end):
                self.ent_of[i] = e
        self.consumed: set[int] = set()  # tokens used as qualifiers/titles
        self.sent_of: dict[int, int] = {}
        for si, s in enumerate(doc.sents):
            for i in range(s.start, s.end):
                self.sent_of[i] = si
        # a name the model tags ORG at least as often as PERSON is an organisation ("Northrop Grumman")
        labels: dict[str, Counter] = {}
        for e in doc.ents:
            labels.setdefault(_strip_poss_text(e.text), Counter())[e.label_] += 1
        self.org_names = {t for t, c in labels.items() if c["ORG"] and c["ORG"] >= c["PERSON"]}
        self.person_tokens: set[str] = set()
        for e in doc.ents:
            if e.label_ == "PERSON" and _strip_poss_text(e.text) not in self.org_names:
                a, b = _trim(doc, e.start, e.end)
                if b - a >= 2:
                    for t in doc[a:b]:
                        if t.is_alpha and t.text[:1].isupper():
                            self.person_tokens.add(t.text.lower())
        self.doc_hash = _doc_hash(doc)
        self.byline_tokens = self._byline()
        self.dateline_tokens: set[int] = set()
        self.dateline = self._dateline()
        self.dateline_ok = False  # the dateline country is also named in the text
        self.home: str | None = None
        self.home_votes = 0  # votes of the story's country (fewer than three: weak)

    def _byline(self) -> set[int]:
        """Tokens of a byline ("By JILL COLVIN and GILLIAN WONG, Associated Press") opening a line."""
        doc = self.doc
        out: set[int] = set()
        for t in doc:
            if t.idx > 400:
                break
            if t.text not in ("By", "BY") or not (t.i == 0 or "\n" in doc[t.i - 1].text_with_ws
                                                   or doc[t.i - 1].is_space):
                continue
            j = t.i + 1
            while j < len(doc) and j < t.i + 12 and (doc[j].text[:1].isupper() or doc[j].lower_ in ("and", "&")):
                out.add(j)
                j += 1
        return out

    def _dateline(self) -> str | None:
        """Country of the dateline ("Seoul, Jan 29 (IANS)", "TOKYO (Reuters) -", "Seoul:").

        A place name opening the text or a paragraph, followed by ":", "(", a dash, or a
        comma and a date; the first one found wins.
        """
        doc = self.doc
        for e in doc.ents:
            if e.label_ not in ("GPE", "LOC", "ORG", "PERSON"):
                continue
            if e.end + 1 >= len(doc):
                continue
            nxt, nxt2 = doc[e.end], doc[e.end + 1]
            caps = e.text.isupper() and len(e.text.replace(" ", "")) >= 4
            line_start = e.start == 0 or (doc[e.start - 1].is_space and "\n" in doc[e.start - 1].text) \
                or doc[e.start - 1].text_with_ws.endswith("\n")
            if line_start:
                if not (nxt.text in (":", "(", "-", "\u2014", "\u2013")
                        or nxt.text == "," and nxt2.ent_type_ == "DATE"
                        or caps and (nxt.text == "," or e.start == 0 and nxt.text[:1].isupper())):
                    continue
            elif not (caps and e.start_char < 300 and nxt.text == "(" and doc[e.end + 1].text[:1].isupper()):
                # "By A and B, Associated Press WASHINGTON (AP) —": a capitalised place and "(AGENCY)"
                continue
            code = None
            for p in self.places:
                if p.start <= e.start_char < p.end and p.country:
                    code = p.country
            if code is None:
                hit = country_entry(e.text)
                code = hit[0] if hit and hit[1] in STATE_KINDS else None
            if code:
                self.dateline_tokens.update(range(e.start, e.end))
                # "SEOUL, South Korea (CNN) -": the country after the city is part of the dateline
                if nxt.text == "," and nxt2.ent_type_ in ("GPE", "LOC"):
                    f = self.ent_of.get(nxt2.i)
                    if f is not None and f.end < len(doc) and doc[f.end].text in ("(", "-", "\u2014", "\u2013", ":"):
                        self.dateline_tokens.update(range(f.start, f.end))
                return code
        # an untagged capitalised place before "(AGENCY)" near the top: "... WASHINGTON (AP) —"
        for t in doc:
            if t.idx > 300 or t.i + 2 >= len(doc):
                break
            if t.text == "(" and doc[t.i + 1].text.isupper() and doc[t.i + 2].text == ")":
                j = t.i
                while j > 0 and t.i - j < 3 and doc[j - 1].is_alpha and doc[j - 1].text.isupper() \
                        and len(doc[j - 1].text) > 1:
                    j -= 1
                if j == t.i:
                    continue
                name = " ".join(w.text for w in doc[j:t.i]).title()
                hit = country_entry(name)
                code = hit[0] if hit and hit[1] in STATE_KINDS else None
                if code is None:
                    pl = next((p for p in self.places if p.start <= doc[j].idx < p.end and p.country), None)
                    code = pl.country if pl else None
                if code:
                    self.dateline_tokens.update(range(j, t.i))
                    return code
        return None


def _country_at(ctx: _Ctx, i: int) -> tuple[str, int] | None:
    """Country named by the entity (or word) ending at token i: (code, first token index)."""
    doc = ctx.doc
    j = i
    if _is_poss(doc[j]) and j > 0:
        j -= 1
    e = ctx.ent_of.get(j)
    if e is not None and e.label_ in ("GPE", "NORP", "ORG", "LOC") and e.end - 1 >= j:
        a, b = _trim(doc, e.start, e.end)
        if a <= j < b:
            hit = country_entry(doc[a:b].text)
            if hit and hit[1] != "igo":
                return hit[0], e.start
    if doc[j].is_alpha and doc[j].text[:1].isupper():
        for k in (2, 1):
            if j - k + 1 >= 0:
                if e is not None and e.start < j - k + 1 and e.label_ in ("GPE", "LOC", "ORG", "FAC"):
                    continue  # "Mexico" inside "New Mexico"
                span = doc[j - k + 1: j + 1]
                hit = country_entry(span.text)
                if hit and hit[1] != "igo" and not any(t.is_punct for t in span):
                    return hit[0], j - k + 1
        # a resolved sub-national place ("California Governor", "Oregon's Guard", "Athens police")
        p = _place_at(ctx, j) if doc[j].pos_ == "PROPN" and doc[j].ent_type_ not in ("NORP", "PERSON") else None
        if p is not None:
            first = e.start if e is not None and e.label_ in ("GPE", "LOC", "FAC") else j
            if j not in ctx.dateline_tokens:
                return p.country, first
    return None


def _place_at(ctx: _Ctx, i: int) -> Place | None:
    """The resolved place (with a country) whose span covers token i, if any."""
    tok = ctx.doc[i]
    for p in ctx.places:
        if p.country and p.lat is not None and p.start <= tok.idx < p.end:
            return p
    return None


def _title_words(words: list[str]) -> tuple[str | None, str | None, bool] | None:
    """(role, agent, is_title) for a run of title words, or None if no title head."""
    if not words:
        return None
    port = lx.portfolio()
    # the head: the longest lexicon title ending the run, else a portfolio-qualified title
    for i in range(len(words)):
        term = lx.lookup(" ".join(words[i:]))
        if term is not None and term.type == "title":
            role = term.role or " ".join(words[i:]).lower()
            agent = term.agent
            # portfolio words before the head qualify the role ("defence" minister)
            quals: list[str] = []
            for w in reversed(words[:i]):
                p = port.get(lx.fold(w))
                if p is None:
                    break
                if agent is None or (p.agent and agent == "GOV" and p.agent not in ("GOV",)):
                    agent = p.agent or agent
                if not p.role:
                    break  # "defence ministry spokesperson": words before "ministry" qualify the ministry
                quals.insert(0, p.role)
            if quals and not role.startswith(quals[-1]):
                role = " ".join(quals) + " " + role
            return role, agent, True
    return None


def _scan_title_left(ctx: _Ctx, end: int, limit: int) -> dict | None:
    """Title phrase ending just before token ``end`` (exclusive); returns its parts."""
    doc = ctx.doc
    port = lx.portfolio()
    words: list[str] = []
    country = None
    first = end
    past = False
    i = end - 1
    allow_comma = True
    while i >= limit:
        t = doc[i]
        low = lx.fold(t.text)
        if t.text == "," and allow_comma and not words:
            allow_comma = False
            i -= 1
            continue
        if t.ent_type_ == "PERSON" and ctx.ent_of.get(i) is not None and ctx.ent_of[i].end - 1 == i:
            break
        c = _country_at(ctx, i) if (t.text[:1].isupper() or _is_poss(t)) else None
        if c is not None and (words or not _is_poss(t)):
            if country is None:
                country = c[0]
            first = c[1]
            i = c[1] - 1
            continue
        if t.is_alpha and (lx.lookup(t.text) is not None or low in port) and t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB", "ADV", "X"):
            term = lx.lookup(t.text)
            if term is not None and term.type in ("agent",) and low not in port and not words:
                # an agent noun right before the name ("soldier X") still counts as a title
                pass
            words.insert(0, t.text)
            first = i
            i -= 1
            continue
        if low in QUALIFIERS:
            past = past or low in PAST
            first = i
            i -= 1
            continue
        if low in DETERMINERS:
            first = i
            break
        break
    if not words:
        return None
    parsed = _title_words(words)
    if parsed is None:
        return None
    role, agent, _ = parsed
    # a comma was skipped: only an appositive title noun phrase may precede it
    if not allow_comma and doc[end - 1].text != ",":
        pass
    return {"role": role, "agent": agent, "country": country, "first": first, "past": past}


def _scan_title_right(ctx: _Ctx, start: int) -> dict | None:
    """Apposition after a name: ", a ministry spokesperson," / ", Japan's defence minister"."""
    doc = ctx.doc
    if start >= len(doc) or doc[start].text != ",":
        return None
    port = lx.portfolio()
    i = start + 1
    words: list[str] = []
    country = None
    past = False
    while i < len(doc) and i < start + 10:
        t = doc[i]
        low = lx.fold(t.text)
        if low in DETERMINERS and not words:
            i += 1
            continue
        if low in QUALIFIERS and not words:
            past = past or low in PAST
            i += 1
            continue
        c = _country_at(ctx, i) if t.text[:1].isupper() else None
        if c is not None and not words:
            e = ctx.ent_of.get(i)
            j = e.end if e is not None else i + 1
            if j < len(doc) and _is_poss(doc[j]):
                j += 1
            country = c[0]
            i = j
            continue
        if t.is_alpha and (lx.lookup(t.text) is not None or low in port):
            words.append(t.text)
            i += 1
            continue
        break
    if not words or (i < len(doc) and doc[i].text not in (",", ".", ";", ")", "said", "told", "says")):
        return None
    parsed = _title_words(words)
    if parsed is None:
        # ", a former Russian spy,", ", a Russian citizen,": an agent noun describes the person
        term = lx.lookup(words[-1]) or lx.lookup(doc[i - 1].lemma_)
        if term is None or term.type not in ("agent", "group") or not term.agent or term.agent in ("BUS",) \
                or lx.fold(doc[i - 1].lemma_) in NOT_ACTOR_HEADS:
            return None
        parsed = (lx.fold(doc[i - 1].lemma_), term.agent, False)
    role, agent, _ = parsed
    return {"role": role, "agent": agent, "country": country, "past": past, "last": i}


def _persons(ctx: _Ctx, out: list[_M]) -> None:
    doc = ctx.doc
    for e in doc.ents:
        if e.label_ != "PERSON":
            continue
        a, b = _trim(doc, e.start, e.end)
        if a >= b:
            continue
        span = doc[a:b]
        if span.text in ctx.org_names or a in ctx.byline_tokens:
            continue
        if _not_an_actor(ctx, span) and not (e.label_ == "PERSON" and _scan_title_left(ctx, a, doc[a].sent.start)):
            continue  # a place or facility name; "President Bush" stays a person
        if all(lx.lookup(t.text) is not None or lx.fold(t.text) in lx.portfolio() for t in span if t.is_alpha):
            continue  # a title tagged PERSON ("State Councilor")
        org = lx.named_org(span.text, groups=False)
        if org is not None:  # small-model PERSON for an agency name ("Yonhap")
            out.append(_named_org_mention(ctx, span, org))
            continue
        hit = country_entry(span.text)
        if hit is not None and span.text.lower() not in ctx.person_tokens:
            continue  # a country tagged PERSON; the state pass sees GPE only
        if len(span) == 1 and span.text.endswith("s") and span.text[:1].isupper():
            dem = country_entry(span.text[:-1])
            if dem is not None and dem[1] == "demonym" and igo_entry(dem[0]) is None:
                # "Greeks" tagged PERSON: the population
                out.append(_M(span.start_char, span.end_char, span.text, "organisation", span.text,
                              "pop:" + dem[0], country=dem[0], csrc="explicit", agent="CVL",
                              sent=ctx.sent_of[a], tok=a, plural=True))
                continue
        m = _M(span.start_char, span.end_char, span.text, "person", span.text, "", sent=ctx.sent_of[a], tok=a)
        sent = doc[a].sent
        left = _scan_title_left(ctx, a, sent.start)
        right = _scan_title_right(ctx, b + (1 if b < len(doc) and _is_poss(doc[b]) else 0))
        for info in (left, right):
            if not info:
                continue
            role = info["role"]
            if info.get("past") and role:
                role = "former " + role
            m.role = m.role or role
            m.agent = m.agent or ("ELI" if info.get("past") else info["agent"])
            if info["country"] and not m.country:
                m.country, m.csrc = info["country"], "explicit"
        if not m.country:
            c = _apposition_country(ctx, span)
            if c:
                m.country, m.csrc = c, "explicit"
        if left:
            ctx.consumed.update(range(left["first"], a))
        if right:
            ctx.consumed.update(range(b, right["last"]))
        out.append(m)


def _apposition_country(ctx: _Ctx, span: Span) -> str | None:
    """The country that qualifies a person's apposition in the parse: "Kopp, a U.S. fugitive on
    the most wanted list" → USA, "Ivanova, a Ukrainian-born nurse who …" → UKR (the right-hand
    title scan stops at a preposition or a relative clause; the parse does not)."""
    head = span.root
    for ap in head.children:
        if ap.dep_ != "appos" or ap.ent_type_ == "PERSON" or ap.i < span.end:
            continue
        for q in ap.children:
            if q.i >= ap.i or q.dep_ not in ("amod", "compound", "nmod", "poss"):
                continue
            hit = _country_at(ctx, q.i) if q.text[:1].isupper() else None
            if hit is not None and igo_entry(hit[0]) is None:
                return hit[0]
    return None


def _not_an_actor(ctx: _Ctx, span: Span) -> bool:
    """A name used as a place/facility/event modifier ("Naha air base", "Nara Park")."""
    head = span.root.head
    if span.root.dep_ in ("compound", "nmod", "amod") and head.i >= span.end:
        words = [lx.fold(head.text)]
        if head.i + 1 < len(ctx.doc):
            words.append(lx.fold(head.text + " " + ctx.doc[head.i + 1].text))
        if any(w in PLACE_HEADS or w in EVENT_HEADS for w in words):
            return True
    if _igo_name(span.text):
        return False  # "the EU" the places stage may also resolve (a region) acts as the organisation
    for p in ctx.places:
        if p.start <= span.start_char and span.end_char <= p.end and p.lat is not None \
                and p.feature not in (None, "country") and span.text.lower() not in ctx.person_tokens:
            return True
    return False


def _named_org_mention(ctx: _Ctx, span: Span, org: lx.NamedOrg) -> _M:
    return _M(span.start_char, span.end_char, span.text, "organisation", org.name, lx.fold(org.name),
              country=org.country, csrc="explicit" if org.country else None, agent=org.agent,
              sent=ctx.sent_of[span.start], tok=span.start)


def _qualifier_before(ctx: _Ctx, a: int) -> tuple[str, int] | None:
    """Country qualifying the phrase starting at token a ("Japan's", "South Korean", "US")."""
    doc = ctx.doc
    i = a - 1
    while i >= 0 and doc[i].lower_ in ("the",):
        i -= 1
    if i < 0:
        return None
    c = _country_at(ctx, i)
    skipped = 0
    while c is None and i >= 1 and skipped < 2 and doc[i].is_lower and doc[i].is_alpha \
            and doc[i].dep_ in ("compound", "amod") and doc[i].pos_ in ("NOUN", "ADJ"):
        # "North Korean youth leaders", "Chinese state media": a plain modifier between
        i -= 1
        skipped += 1
        c = _country_at(ctx, i) if doc[i].text[:1].isupper() else None
    if c is None:
        return None
    # "Somali and Yemeni pirates": the first-named country leads
    while c[1] >= 2 and doc[c[1] - 1].lower_ in ("and", "or", ","):
        k = c[1] - 2
        if doc[k].text == "," and k >= 1:
            k -= 1
        prev = _country_at(ctx, k) if doc[k].text[:1].isupper() else None
        if prev is None:
            break
        c = prev
    return c


def _classify_org_words(words: list[str], lemmas: list[str]) -> tuple[str | None, lx.Term | None]:
    hit = lx.longest_suffix(words) or lx.longest_suffix(lemmas)
    if hit is None:
        return None, None
    return hit[1].agent, hit[1]


def _orgs(ctx: _Ctx, out: list[_M]) -> None:
    doc = ctx.doc
    for e in doc.ents:
        if e.label_ not in ("ORG", "NORP", "GPE", "FAC") and not (
                e.label_ == "PERSON" and _strip_poss_text(e.text) in ctx.org_names) and not (
                e.label_ == "LOC" and _igo_name(e.text)):  # "the European Union" tagged LOC
            continue
        if any(i in ctx.consumed for i in range(e.start, e.end)):
            continue
        a, b = _trim(doc, e.start, e.end)
        while a < b and doc[a].text in TIME_ZONES:
            a += 1
        if a >= b or any(i in ctx.byline_tokens for i in range(a, b)):
            continue
        # "the Air Force's Black Eagles": the owner is its own mention, the owned inherits
        owner = None
        for k in range(a, b):
            if _is_poss(doc[k]) and a < k < b - 1:
                owner = (a, k)
                a = k + 1
        span = doc[a:b]
        text = span.text
        if e.label_ in ("GPE", "NORP") or (e.label_ == "ORG" and country_entry(text)):
            # person surnames tagged GPE/ORG ("Takaichi's hometown")
            if len(span) == 1 and text.lower() in ctx.person_tokens and country_entry(text) is None:
                out.append(_M(span.start_char, span.end_char, text, "person", text, "",
                              sent=ctx.sent_of[a], tok=a, extra={"short": True}))
            elif e.label_ != "ORG":
                continue
        if e.label_ in ("GPE", "NORP", "FAC") and lx.named_org(text) is None:
            continue
        if len(span) == 1 and text.lower() in ctx.person_tokens and country_entry(text) is None:
            out.append(_M(span.start_char, span.end_char, text, "person", text, "",
                          sent=ctx.sent_of[a], tok=a, extra={"short": True}))
            continue
        m = _org_mention(ctx, a, b)
        if m is None:
            continue
        if owner is not None:
            om = _org_mention(ctx, *owner)
            if om is not None:
                out.append(om)
                m.agent = m.agent or om.agent
                if not m.country and om.country:
                    m.country, m.csrc = om.country, om.csrc
        out.append(m)


def _igo_name(text: str) -> bool:
    hit = country_entry(text)
    return hit is not None and igo_entry(hit[0]) is not None


def _org_mention(ctx: _Ctx, a: int, b: int) -> _M | None:
    """An organisation mention for the (named) token range a:b, or None if it is not one."""
    doc = ctx.doc
    span = doc[a:b]
    text = span.text
    if not any(t.is_alpha for t in span) or not text[:1].isupper():
        return None
    if len(text) <= 2 and lx.named_org(text) is None and not country_entry(text):
        return None
    if _not_an_actor(ctx, span):
        return None
    low_words = [lx.fold(t.text) for t in span]
    if any(w in EVENT_HEADS for w in low_words[1:]) or lx.fold(span[-1].text) in PLACE_HEADS:
        return None
    # an IGO
    hit = country_entry(text)
    if hit and igo_entry(hit[0]):
        igo = igo_body(text)
        return _M(span.start_char, span.end_char, text, "organisation", igo.name, "igo:" + igo.name,
                  country=igo.code, csrc="explicit", agent=igo.agent, sent=ctx.sent_of[a], tok=a)
    org = lx.named_org(text)
    if org is not None:
        return _named_org_mention(ctx, span, org)
    if hit is not None:  # a country tagged ORG: handled by the state pass
        return None
    # country words inside the name ("the US 7th Fleet", "South Korean Air Force")
    country = None
    k = a
    while k < b:
        c = None
        for n in (3, 2, 1):
            if k + n <= b:
                sub = doc[k:k + n]
                h = country_entry(sub.text)
                if h and h[1] != "igo" and not any(t.is_punct for t in sub):
                    c = (h[0], n)
                    break
        if c is None and k < b - 1:
            pl = _place_at(ctx, k)  # "California National Guard", "Seoul Central District Court"
            if pl is not None and pl.start == doc[k].idx:
                n = len([t for t in span if pl.start <= t.idx < pl.end and t.i >= k])
                if 0 < n < b - k:
                    country = country or pl.country  # the place stays part of the name
                    break
        if c is None:
            break
        country = c[0]
        k += c[1]
        if k < b and _is_poss(doc[k]):
            k += 1
    name_span = doc[k:b] if k < b else span
    if country is None:
        # a country word inside the name: "Royal Australian Air Force", "Office of the United States
        # Trade Representative", "Bank of England"
        for x in range(name_span.start + 1, b - 1):
            for n in (3, 2, 1):
                if x + n <= b - 1 or (x + n <= b and doc[b - 1].pos_ == "PROPN" and n < b - x):
                    sub = doc[x:x + n]
                    h = country_entry(sub.text) if sub[0].text[:1].isupper() else None
                    if h and h[1] not in ("igo",) and not any(t.is_punct for t in sub):
                        country = h[0]
                        break
            if country:
                break
    words = [t.text for t in name_span]
    lemmas = [t.lemma_ for t in name_span]
    # only portfolio words ("Defense" in "Secretary of Defense"): not an organisation
    if all(lx.fold(w) in lx.portfolio() and lx.lookup(w) is None for w in words if w.isalpha()):
        return None
    # only title words, right before a name or another title word: part of a person's title
    if all(lx.lookup(w) is not None or lx.fold(w) in lx.portfolio() for w in words):
        nxt = doc[b] if b < len(doc) else None
        if nxt is not None and (nxt.ent_type_ == "PERSON" or lx.lookup(nxt.text) is not None):
            return None
    agent, term = _classify_org_words(words, lemmas)
    if term is not None and term.type == "title" and len(name_span) <= 2:
        return None
    if country is None:
        q = _qualifier_before(ctx, a)
        if q is not None:
            country = q[0]
            ctx.consumed.update(range(q[1], a))
    m = _M(name_span.start_char, name_span.end_char, name_span.text, "organisation", name_span.text,
           _org_key(name_span), country=country, csrc="explicit" if country else None, agent=agent,
           sent=ctx.sent_of[a], tok=a, extra={"head": lx.fold(doc[b - 1].lemma_)})
    if country is None:
        # "Trump Administration", "Putin's government" (tagged ORG): the person's country
        owner = _person_owner(ctx, a)
        if owner is None and len(name_span) >= 2 and name_span[0].lower_ in ctx.person_tokens:
            owner = name_span[0].text
        if owner:
            m.extra["owner"] = owner
    return m


def _org_key(span) -> str:
    words = [lx.fold(t.lemma_ if t.i == span.end - 1 else t.text) for t in span]
    return " ".join(w for w in words if w and w not in DETERMINERS)


def _noun_phrases(ctx: _Ctx, out: list[_M]) -> None:
    """Common-noun actor phrases ("the Japanese government", "police", "government officials")."""
    doc = ctx.doc
    for t in doc:
        if t.pos_ not in ("NOUN", "PROPN") or t.i in ctx.consumed or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC", "DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL", "LOC", "EVENT", "WORK_OF_ART", "LAW"):
            continue
        if t.pos_ == "PROPN" and not t.text[:1].islower() and t.ent_type_:
            continue
        if t.dep_ == "compound" and t.head.i > t.i and t.head.pos_ in ("NOUN", "PROPN"):
            continue  # the head noun carries the phrase
        if lx.fold(t.lemma_) in NOT_ACTOR_HEADS or t.lower_ in NOT_ACTOR_HEADS:
            continue
        # modifiers: contiguous compound/amod words left of the head ("air self-defence forces")
        a = t.i
        while a - 1 >= 0:
            prev = doc[a - 1]
            if prev.text in ("-", "\u2010", "\u2011") and a - 2 >= 0 and doc[a - 2].is_alpha \
                    and not doc[a - 2].ent_type_ and doc[a - 2].i not in ctx.consumed:
                a -= 2
                continue
            if prev.dep_ in ("compound", "amod", "nmod") and a <= prev.head.i <= t.i and prev.is_alpha \
                    and prev.i not in ctx.consumed and not prev.ent_type_ \
                    and prev.pos_ in ("NOUN", "ADJ", "PROPN", "VERB"):
                a -= 1
                continue
            break
        # the longest actor phrase ending at t within the modifiers
        words = [x.text for x in doc[a:t.i + 1] if x.text not in ("-", "\u2010", "\u2011")]
        lemmas = words[:-1] + [t.lemma_]
        hits = [h for h in (lx.longest_suffix(words), lx.longest_suffix(lemmas)) if h]
        if not hits:
            continue
        n, term = max(hits, key=lambda h: h[0])
        head_term = lx.lookup(t.lemma_) or lx.lookup(t.text)
        if term.type == "agent" and n > 1 and head_term is not None and head_term.type == "title":
            # "foreign minister" (an agent phrase) is a person with that title, as "minister" is
            term = lx.Term(agent=term.agent or head_term.agent, type="title",
                           role=" ".join(lx.fold(w) for w in lemmas[-n:]))
        if t.pos_ == "PROPN" or t.text[:1].isupper():
            org = lx.named_org(doc[a:t.i + 1].text)
            if org is not None and not any(x.i in ctx.consumed for x in doc[a:t.i + 1]):
                out.append(_named_org_mention(ctx, doc[a:t.i + 1], org))
                ctx.consumed.update(range(a, t.i + 1))
                continue
        if term.type == "portfolio":
            continue
        k = t.i + 1
        for _ in range(n):  # first token of the matched words (hyphens don't count)
            k -= 1
            while k > a and doc[k - 1].text in ("-", "\u2010", "\u2011") and k - 1 > a:
                k -= 1
        a = k
        if any(x.i in ctx.consumed for x in doc[a:t.i + 1]):
            continue
        if t.lower_ in ("force", "forces", "office", "department", "agency", "command", "post", "times",
                        "news", "daily", "party", "group", "team", "union", "head", "chief", "director",
                        "official", "officer", "chair", "representative", "head", "justice", "general",
                        "guard", "authority", "house", "fleet") and n == 1:
            # too generic on its own unless qualified by a country or an article + actor context
            if _qualifier_before(ctx, a) is None and not _has_actor_modifier(doc, t):
                continue
        if t.lower_ in ("people", "media", "news", "times", "post", "daily", "party", "team", "group", "head",
                        "chief", "chair", "house", "general", "justice"):
            if n == 1:
                continue
        span = doc[a:t.i + 1]
        plural = t.tag_ in ("NNS", "NNPS")
        country = None
        csrc = None
        q = _qualifier_before(ctx, a)
        if q is not None:
            country, csrc = q[0], "explicit"
            ctx.consumed.update(range(q[1], a))
        else:
            for c in t.children:
                if c.dep_ == "poss":
                    h = country_entry(c.text)
                    if h and h[1] != "igo":
                        country, csrc = h[0], "explicit"
        if country is None:
            country, csrc = _postmodifier_country(ctx, t, out)
        owner = None
        if country is None:
            owner = _person_owner(ctx, a)  # "the Trump administration": the person's country
        det = next((c.lower_ for c in t.children if c.dep_ in ("det", "poss")), None)
        agent = term.agent
        if any(lx.fold(x.text) == "opposition" for x in doc[max(0, a - 2):t.i]) and agent in ("LEG", "GOV", None, "CVL"):
            agent = "OPP"  # "opposition lawmakers", "the opposition party"
        if term.type == "title":
            # "the minister" (definite, singular) refers back to a named person: resolved later
            kind = "person"
            if plural:
                kind = "organisation"
            m = _M(span.start_char, span.end_char, span.text, kind, span.text, "title:" + _org_key(span),
                   country=country, csrc=csrc, agent=agent, role=term.role, sent=ctx.sent_of[t.i], tok=a,
                   named=False, plural=plural, extra={"det": det, "head": lx.fold(t.lemma_), "head_i": t.i})
            if plural and agent is None and lx.fold(t.lemma_) in ("aide", "adviser", "advisor"):
                m.agent = agent = "GOV"  # "top national security aides"
            if not plural and det in {"the", "his", "her"} and term.role != "counterpart":
                m.extra["anaphor"] = True
            elif term.role == "counterpart" or agent is None:
                continue
        else:
            m = _M(span.start_char, span.end_char, span.text, "organisation", span.text, _org_key(span),
                   country=country, csrc=csrc, agent=agent, sent=ctx.sent_of[t.i], tok=a, named=False,
                   plural=plural, extra={"head": lx.fold(t.lemma_), "det": det, "head_i": t.i})
            if owner:
                m.extra["owner"] = owner
        if agent is None and term.type != "title":
            continue
        out.append(m)


def _postmodifier_country(ctx: _Ctx, t: Token, found: list[_M] | None = None) -> tuple[str | None, str | None]:
    """Country of an "of/in/from" post-modifier: "governors of Texas", "police in Athens",
    "leaders of Egypt's Muslim Brotherhood" (an organisation already found, with its country)."""
    # a mission's "in X" is its host: "the Russian embassy in London"
    preps = ("of",) if lx.fold(t.lemma_) in MISSIONS else ("of", "in", "from")
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            o = next((g for g in c.children if g.dep_ == "pobj"), None)
            if o is None or o.i in ctx.dateline_tokens:
                continue
            e = ctx.ent_of.get(o.i)
            last = e.end - 1 if e is not None else o.i
            hit = _country_at(ctx, last)
            if hit is not None and not igo_entry(hit[0]):
                return hit[0], "explicit"
            if found and c.lower_ == "of":
                lo, hi = ctx.doc[o.left_edge.i].idx, o.idx + len(o.text)
                for m in found:
                    if m.kind == "organisation" and m.named and m.country and m.csrc == "explicit" \
                            and lo <= m.start and m.end <= hi and igo_entry(m.country) is None:
                        return m.country, "explicit"
    return None, None


def _person_owner(ctx: _Ctx, a: int) -> str | None:
    """A person's name right before a common noun ("the Trump administration", "Putin's government")."""
    doc = ctx.doc
    i = a - 1
    if i >= 0 and _is_poss(doc[i]):
        i -= 1
    if i < 0 or doc[i].ent_type_ != "PERSON":
        return None
    e = ctx.ent_of.get(i)
    if e is None or e.end - 1 != i:
        return None
    return _strip_poss_text(doc[e.start:i + 1].text)


def _has_actor_modifier(doc: Doc, t: Token) -> bool:
    return any(c.dep_ in ("compound", "amod") and lx.lookup(c.text) is not None for c in t.children)


def _states(ctx: _Ctx, out: list[_M]) -> None:
    """Countries (and capitals as metonyms) used as actors."""
    doc = ctx.doc
    for e in doc.ents:
        if e.label_ not in ("GPE", "ORG", "NORP"):
            continue
        a, b = _trim(doc, e.start, e.end)
        if a >= b or any(i in ctx.consumed or i in ctx.dateline_tokens for i in range(a, b)):
            continue
        span = doc[a:b]
        hit = country_entry(span.text)
        if hit is None or igo_entry(hit[0]) is not None:
            continue
        code, kind = hit
        root = span.root
        if e.label_ == "NORP":
            # "Palestinians protested", "the Japanese said": a nominal demonym is a population actor
            if root.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos") and root.pos_ in ("NOUN", "PROPN") \
                    and not (root.dep_ == "pobj" and root.head.lower_ in LOCATIVE - WITH_ACTOR):
                if b < len(doc) and doc[b].pos_ in ("NOUN", "PROPN"):
                    continue
                out.append(_M(span.start_char, span.end_char, span.text, "organisation", span.text,
                              "pop:" + code, country=code, csrc="explicit", agent="CVL",
                              sent=ctx.sent_of[a], tok=a, plural=True))
            continue
        if kind not in STATE_KINDS or not _state_use(ctx, span, kind):
            continue
        seat = igo_seat(span.text) if kind == "capital" else None
        if seat is not None and _acts(root):
            out.append(_M(span.start_char, span.end_char, span.text, "organisation", seat.name, "igo:" + seat.name,
                          country=seat.code, csrc="explicit", agent=seat.agent, sent=ctx.sent_of[a], tok=a))
            continue
        out.append(_M(span.start_char, span.end_char, span.text, "state", country_name(code) or span.text,
                      "state:" + code, country=code, csrc="explicit", agent="GOV", sent=ctx.sent_of[a], tok=a))


# verbs whose subject is where something is, not who acts ("Seoul lies …", "Kyiv remained calm")
PLACE_VERBS = {"be", "lie", "sit", "remain", "stay", "become", "look", "seem", "feel", "sleep", "wake",
               "swelter", "shiver", "flood", "burn", "host", "border", "neighbor", "neighbour", "stretch"}
# verbs whose object is a place reached or struck, not an actor addressed ("visited Moscow")
REACH_VERBS = {"visit", "leave", "reach", "enter", "tour", "arrive", "return", "fly", "travel", "flee",
               "capture", "seize", "surround", "encircle", "shell", "bomb", "evacuate", "rock", "shake",
               "hit", "strike", "liberate", "besiege", "cross", "approach", "land", "move", "relocate"}


def _acts(root: Token) -> bool:
    """A place name that acts: the subject or agent of a verb other than one of being or lying."""
    head = root.head
    if root.dep_ == "nsubj" and head.pos_ in ("VERB", "AUX"):
        return lx.fold(head.lemma_) not in PLACE_VERBS
    if root.dep_ == "pobj" and head.lower_ == "by" and head.dep_ == "agent":
        return True
    if root.dep_ == "conj":
        first = root.head
        while first.dep_ == "conj":
            first = first.head
        return first is not root and _acts(first)
    return False


def _state_use(ctx: _Ctx, span: Span, kind: str) -> bool:
    """Is this country/capital mention an actor rather than a location?

    A capital or seat (``kind`` capital/metonym) names its government when it acts (subject or
    agent of a verb of saying or doing: "Washington said", "the Kremlin denied"), is addressed
    ("urged Moscow to", "talks with Seoul") or owns ("Beijing's decision"); it stays a place as the
    subject of a verb of being ("Seoul lies …"), the object of a verb of reaching or striking
    ("visited Moscow", "shelled Kyiv") and after a locative preposition ("in Brussels").
    """
    doc = ctx.doc
    root = span.root
    dep = root.dep_
    if kind in ("capital", "metonym") and not (span.end < len(doc) and _is_poss(doc[span.end])):
        if dep in ("nsubj", "nsubjpass") and root.head.pos_ in ("VERB", "AUX"):
            return dep == "nsubj" and _acts(root)
        if dep == "dobj" and lx.fold(root.head.lemma_) in REACH_VERBS:
            return False
    if _is_poss(doc[span.end]) if span.end < len(doc) else False:
        dep = "poss"
    if dep == "poss" or (span.end < len(doc) and _is_poss(doc[span.end])):
        head = root.head
        # "Japan's missile programme" still names the state; "Japan's Naha air base" is a place
        return lx.fold(head.text) not in PLACE_HEADS
    if dep in ("nsubj", "nsubjpass", "dobj", "iobj", "agent", "attr", "ROOT", "appos", "dative"):
        return True
    if dep == "conj":
        first = root.head
        while first.dep_ == "conj":
            first = first.head
        return first.dep_ in ("nsubj", "nsubjpass", "dobj", "iobj") or (
            first.dep_ == "pobj" and first.head.lower_ in WITH_ACTOR)
    if dep == "pobj":
        prep = root.head
        if prep.lower_ in WITH_ACTOR:
            return True
        if kind in ("capital",):
            return False
        gov = prep.head
        return prep.lower_ in ("to", "on", "of", "for", "from") and lx.fold(gov.lemma_) in ACTOR_GOVERNORS
    if dep in ("compound", "amod", "nmod"):
        return False
    return False


# --------------------------------------------------------------------------- grouping


def _sentence_countries(ms: list[_M], m: _M) -> set[str]:
    """Countries of the other explicitly qualified actors of m's sentence (IGOs and news agencies,
    which report on others, left out)."""
    return {x.country for x in ms if x.sent == m.sent and x is not m and x.country and x.csrc == "explicit"
            and x.kind in ("person", "organisation", "state") and not igo_entry(x.country) and x.agent != "MED"}


def _argument_of(doc: Doc, m: _M) -> tuple[int, int] | None:
    """(verb, the verb's child on the path up from m's head word): which argument of which verb m
    is part of; conjuncts share their first conjunct's argument."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return None
    child = span.root
    while child.head.i != child.i:
        if child.head.pos_ in ("VERB", "AUX"):
            return child.head.i, child.i
        child = child.head
    return None


def _same_sentence_country(ms: list[_M], m: _M, doc: Doc | None = None) -> str | None:
    """The single country of the sentence's other explicitly qualified actors. Given the ``doc``, an
    actor that is another argument of m's verb does not count: "Saudi police detained a man",
    "the crown prince detained Lebanon's prime minister" — the qualifier is the other side's."""
    codes = _sentence_countries(ms, m)
    if doc is not None and len(codes) == 1 and _other_side_only(doc, ms, m, next(iter(codes))):
        return None
    return codes.pop() if len(codes) == 1 else None


def _other_side_only(doc: Doc, ms: list[_M], m: _M, code: str) -> bool:
    """Whether every explicit mention of ``code`` in m's sentence is another argument of m's verb
    (the side m acts on or is acted on by), so the country is not evidence for m."""
    mine = _argument_of(doc, m)
    if mine is None:
        return False
    owners = [x for x in ms if x.sent == m.sent and x is not m and x.country == code and x.csrc == "explicit"]
    return bool(owners) and all((o := _argument_of(doc, x)) is not None and o[0] == mine[0] and o[1] != mine[1]
                                for x in owners)


# organs that act in their own country: the country of the sentence's place is theirs
AT_HOME = {"COP", "JUD", "LEG"}


def _place_countries_by_sentence(ctx: _Ctx) -> dict[int, set[str]]:
    """sentence index → countries of the resolved places named in it (the dateline aside)."""
    out: dict[int, set[str]] = {}
    for p in ctx.places:
        if not p.country or igo_entry(p.country) is not None:
            continue
        span = ctx.doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None or len(span) == 0 or span.start in ctx.dateline_tokens:
            continue
        out.setdefault(ctx.sent_of[span.start], set()).add(p.country)
    return out


def _name_tokens(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-\u2010\u2011]+", lx.fold(text).replace("'", " ")) if w]


def _group_persons(ms: list[_M]) -> None:
    """Give every person mention a cluster key: full name; short forms join their full name."""
    persons = [m for m in ms if m.kind == "person" and m.named]
    full: dict[str, list[_M]] = {}
    for m in persons:
        if len(_name_tokens(m.text)) >= 2:
            m.key = "person:" + _compact(m.text)
            full.setdefault(m.key, []).append(m)
    # a longer full name absorbs a shorter one contained in it ("Koizumi Shinjiro" vs "Shinjiro Koizumi" no)
    keys = sorted(full, key=len, reverse=True)
    alias_of: dict[str, str] = {}
    for k in keys:
        toks = set(_name_tokens(full[k][0].text))
        for k2 in keys:
            if k2 != k and k2 not in alias_of and k not in alias_of and len(k2) < len(k) \
                    and set(_name_tokens(full[k2][0].text)) <= toks:
                alias_of[k2] = k
    for k2, k in alias_of.items():
        for m in full[k2]:
            m.key = k
    token_to_keys: dict[str, list[tuple[int, str]]] = {}
    for m in persons:
        if m.key:
            for tkn in _name_tokens(m.text):
                token_to_keys.setdefault(tkn, []).append((m.tok, m.key))
    for m in persons:
        if m.key:
            continue
        toks = _name_tokens(_strip_poss_text(m.text))
        cands = [(pos, k) for tkn in toks for pos, k in token_to_keys.get(tkn, [])]
        before = [c for c in cands if c[0] <= m.tok]
        if before:
            m.key = max(before)[1]
        elif cands and m.sent == 0:
            m.key = min(cands)[1]  # a headline or lede surname before the full name
        else:
            # a surname before any full name further down is another person ("Gov. Brown" ... "Jerry Brown")
            m.key = "person:" + _compact(m.text)


def _resolve_anaphora(ms: list[_M]) -> None:
    """"the minister" / "the defence chief" → the last named person with that role."""
    roles: dict[str, set[str]] = {}
    countries: dict[str, set[str]] = {}
    for p in ms:
        if p.kind == "person" and p.named and p.key:
            if p.role and p.role != "counterpart":
                roles.setdefault(p.key, set()).add(lx.fold(p.role).split()[-1])
            if p.country:
                countries.setdefault(p.key, set()).add(p.country)
    people = sorted((p for p in ms if p.kind == "person" and p.named and p.key), key=lambda p: p.tok)
    for m in ms:
        if not m.extra.get("anaphor"):
            continue
        head = lx.fold(m.extra.get("head") or "")
        best = None
        for p in people:
            if p.tok > m.tok:
                break
            if head in roles.get(p.key, ()) and (not m.country or m.country in countries.get(p.key, {m.country})):
                best = p  # the most recently mentioned person holding that title
        if best is not None:
            m.key, m.named = best.key, True
            m.extra["resolved"] = True


def _resolve_counterparts(ms: list[_M]) -> None:
    """"his Japanese counterpart, X": X takes the role of the person he is the counterpart of."""
    ordered = sorted((m for m in ms if m.kind == "person" and m.named), key=lambda m: m.tok)
    for i, m in enumerate(ordered):
        if m.role == "counterpart":
            prev = next((p for p in reversed(ordered[:i]) if p.role and p.role != "counterpart"
                         and p.key != m.key), None)
            if prev is not None:
                m.role, m.agent = prev.role, m.agent or prev.agent
            else:
                m.role = None


def _resolve_definite_orgs(ms: list[_M]) -> None:
    """"the Japanese newspaper" after "Japan's Yomiuri Shimbun": the named organisation."""
    named = sorted((m for m in ms if m.kind == "organisation" and m.named
                    and not m.key.startswith(("igo:", "pop:"))), key=lambda m: m.tok)
    for m in ms:
        if m.kind != "organisation" or m.named or m.plural or m.extra.get("det") != "the" or not m.agent:
            continue
        best = None
        for o in named:
            if o.tok > m.tok:
                break
            same_head = o.extra.get("head") == m.extra.get("head")
            # "the company" / "the firm" after "Boeing" (a name no table knows): that organisation
            agent_ok = o.agent == m.agent or (o.agent is None and m.agent == "BUS")
            if agent_ok and (same_head or m.agent in ("MED", "BUS", "IGO", "NGO")) \
                    and (not m.country or not o.country or m.country == o.country):
                best = o
        if best is not None:
            m.key, m.named, m.country, m.csrc = best.key, True, best.country, best.csrc
            m.name = best.name
            m.extra["resolved"] = True
            if best.agent is None:
                for o in named:
                    if o.key == best.key:
                        o.agent = m.agent


def _resolve_igo_short_forms(ms: list[_M]) -> None:
    """"the Council" after "the Security Council", "the alliance" after NATO: the last
    international organisation or body one of whose names ends in that word."""
    seen: list[tuple[int, _M, set[str]]] = []
    for m in sorted(ms, key=lambda x: x.tok):
        if m.key.startswith("igo:"):
            body = igo_body(m.text) or igo_entry(m.country or "")
            heads = {lx.fold(v.split()[-1]) for v in (body.variants if body else ()) if " " in v}
            seen.append((m.tok, m, heads))
            continue
        if m.kind == "person" or m.country and m.csrc == "explicit":
            continue
        words = [w for w in lx.fold(_strip_poss_text(m.text)).split() if w not in DETERMINERS]
        if len(words) != 1:
            continue
        best = next((o for _, o, heads in reversed(seen) if words[0] in heads), None)
        if best is not None:
            m.key, m.kind, m.name, m.country, m.csrc = best.key, best.kind, best.name, best.country, "explicit"
            m.agent = best.agent
            m.extra["resolved"] = True


def _team_owners(ctx: _Ctx, ms: list[_M]) -> None:
    """"the Black Eagles team" after "the Air Force's aerobatic flight team": inherit the owner."""
    doc = ctx.doc
    owned: dict[str, _M] = {}
    for m in sorted(ms, key=lambda m: m.tok):
        if m.kind != "organisation" or not m.agent:
            continue
        # look for "<org>'s ... <noun>" right after this mention
        i = doc.char_span(m.start, m.end, alignment_mode="expand")
        if i is None:
            continue
        j = i.end
        if j < len(doc) and _is_poss(doc[j]):
            k = j + 1
            while k < len(doc) and k < j + 5 and doc[k].pos_ in ("ADJ", "NOUN", "PROPN") and doc[k].dep_ != "ROOT":
                if doc[k].head.i != k and doc[k].dep_ in ("compound", "amod"):
                    k += 1
                    continue
                owned[lx.fold(doc[k].lemma_)] = m
                break
    for m in ms:
        if m.kind == "organisation" and m.agent is None and m.named:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or span.end >= len(doc):
                continue
            nxt = lx.fold(doc[span.end].lemma_)
            owner = owned.get(nxt)
            if owner is not None:
                m.agent = owner.agent
                if not m.country:
                    m.country, m.csrc = owner.country, owner.csrc


def extract_actors(doc: Doc, places: list[Place] | None = None, published: dt.date | None = None) -> list[Actor]:
    """Actors of one parsed document, each with every mention (char spans into ``doc.text``).
    ``published`` (the document's date) picks an office holder's country and agent at that date."""
    ctx = _Ctx(doc, places, published)
    ms: list[_M] = []
    _persons(ctx, ms)
    _orgs(ctx, ms)
    _noun_phrases(ctx, ms)
    _states(ctx, ms)
    ms = _dedupe_spans(ms)
    _group_persons(ms)
    _resolve_counterparts(ms)
    _extra_surname_mentions(ctx, ms)
    _resolve_anaphora(ms)
    _resolve_definite_orgs(ms)
    _resolve_igo_short_forms(ms)
    _team_owners(ctx, ms)
    _assign_countries(ctx, ms)
    actors = _build(ctx, ms)
    resolve_pronouns(doc, actors, ctx.dateline_tokens)
    document_context(doc, places, actors, ctx.dateline if ctx.dateline_ok else None)
    return actors


# agents of groups that, unqualified, belong to the country of the story
POPULATION = {"CVL", "LAB", "EDU", "OPP", "REB", "HLH", "AGR", "REL", "MED"}


def _home(ctx: _Ctx, ms: list[_M]) -> tuple[str | None, float]:
    """The story's country and its share of the votes: places and explicitly qualified actors.

    The dateline counts (x3) only when its country is also named in the text: a BEIRUT
    dateline on a story about Syria is the bureau, not the subject.
    """
    votes: Counter = Counter()
    dl_chars = {ctx.doc[i].idx for i in ctx.dateline_tokens}
    for p in ctx.places:
        if p.country and p.start not in dl_chars and igo_entry(p.country) is None:
            votes[p.country] += 1
    for m in ms:
        if m.country and m.csrc == "explicit" and igo_entry(m.country) is None and m.agent != "MED":
            votes[m.country] += 1  # news agencies report on others
    dl = ctx.dateline
    ctx.dateline_ok = dl is not None and (votes[dl] > 0 or not votes)
    if ctx.dateline_ok:
        votes[dl] += 3
    if not votes:
        return None, 0.0
    code, n = votes.most_common(1)[0]
    ctx.home_votes = n
    if n < 3:  # one or two mentions of a country do not make a story's country
        return code, min(0.5, n / sum(votes.values()))
    return code, n / sum(votes.values())


def _assign_countries(ctx: _Ctx, ms: list[_M]) -> None:
    """Countries of actors with no qualifier.

    People: a well-known office holder's country (``persons.tsv``), else — for titled people —
    the dateline (wire copy leaves its own officials unqualified: "President Lee"), else the
    story's country, else the sentence's; untitled people get the story's country only when it
    dominates. Domestic organs and population groups ("the court", "police", "protesters"):
    the sentence's single explicit country, else the dateline, else the story's country.
    "The Trump administration" takes Trump's country.
    """
    home, share = _home(ctx, ms)
    ctx.home = home
    place_countries = _place_countries_by_sentence(ctx)
    words_named: dict[int, set[str]] = {}  # countries named by any word of the sentence ("South Korean jets")
    for e in ctx.doc.ents:
        if e.label_ in ("GPE", "NORP") and e.start not in ctx.dateline_tokens:
            hit = country_entry(ctx.doc[_trim(ctx.doc, e.start, e.end)[0]:e.end].text)
            if hit is not None and igo_entry(hit[0]) is None:
                words_named.setdefault(ctx.sent_of[e.start], set()).add(hit[0])
    story = ctx.dateline if ctx.dateline_ok else home
    by_key: dict[str, list[_M]] = {}
    for m in ms:
        if m.kind == "person" and not m.named and not m.key:
            m.key = "title:" + lx.fold(m.text)
        by_key.setdefault(m.key, []).append(m)
    _share_org_countries(ms)
    person_country: dict[str, str] = {}
    for key, group in by_key.items():
        if not key.startswith("person:"):
            continue
        if not any(x.country and x.csrc == "explicit" for x in group):
            known = None
            for m in group:
                if m.named and not m.extra.get("resolved") and known is None:
                    name = _strip_poss_text(m.text)
                    known = (lx.office_at(name, ctx.published) if ctx.published else None) or lx.known_person(name)
            if known is None and all(len(_name_tokens(_strip_poss_text(m.text))) == 1 for m in group if m.named):
                # "President Bush", "Obama": a family name that only one country's office holders bear
                titled_group = any(m.role for m in group)
                sur = next((lx.known_surname(_strip_poss_text(m.text), titled_group) for m in group if m.named), None)
                if sur:
                    known = (sur, None)
            if known is not None:
                for m in group:
                    if m.csrc != "explicit":
                        m.country, m.csrc = known[0], "known"
                    if m.agent is None and known[1] and not m.role:
                        m.agent = known[1]
            elif not any(x.country for x in group):
                titled = any(m.agent in DOMESTIC or (m.role and m.role != "counterpart") for m in group)
                c = story if titled or share >= 0.6 or ctx.dateline_ok else None
                if c and not ctx.dateline_ok and ctx.home_votes < 3 \
                        and all(_other_side_only(ctx.doc, ms, m, c) for m in group):
                    c = None  # a weak story country named only by the side this person acts on
                if c is None and titled:
                    c = next((sc for sc in (_same_sentence_country(ms, m, ctx.doc) for m in group) if sc), None)
                if c:
                    for m in group:
                        m.country, m.csrc = c, "home"
        for m in group:
            if m.country:
                for t in _name_tokens(_strip_poss_text(m.text)):
                    person_country.setdefault(t, m.country)
    for m in ms:
        if m.country is not None:
            continue
        owner = m.extra.get("owner")
        if owner:
            toks = _name_tokens(owner)
            c = next((person_country[t] for t in reversed(toks) if t in person_country), None)
            if c:
                m.country, m.csrc = c, "owner"
                continue
        domestic = m.agent in DOMESTIC or (m.agent in POPULATION and not m.named)
        if not domestic or m.kind == "state" or (m.kind == "person" and m.named):
            continue
        if "head_i" in m.extra and lx.non_national(ctx.doc[m.extra["head_i"]]):
            continue  # "Western diplomats", "foreigners": no one country's
        here = place_countries.get(m.sent, set())
        c = None
        if m.agent in AT_HOME and len(here) == 1:
            c = next(iter(here))  # police, courts and parliaments act where they are
        c = c or (_same_sentence_country(ms, m, ctx.doc) if not m.named else None)
        if c:
            m.country, m.csrc = c, "sentence"
        elif story and (story in (named := _sentence_countries(ms, m) | here | words_named.get(m.sent, set()))
                        or not named) and not (ctx.home_votes < 3 and not ctx.dateline_ok
                                               and _other_side_only(ctx.doc, ms, m, story)):
            m.country, m.csrc = story, "home"  # never when the sentence names only other countries


def _dedupe_spans(ms: list[_M]) -> list[_M]:
    """One mention per character span (the most informative: person > org > state)."""
    rank = {"person": 0, "organisation": 1, "state": 2}
    best: dict[tuple[int, int], _M] = {}
    for m in ms:
        k = (m.start, m.end)
        if k not in best or rank[m.kind] < rank[best[k].kind]:
            best[k] = m
    out = sorted(best.values(), key=lambda m: (m.start, -(m.end - m.start)))
    # drop a common-noun mention inside a named one
    kept: list[_M] = []
    for m in out:
        if not m.named and any(k.named and k.start <= m.start and m.end <= k.end for k in kept):
            continue
        kept.append(m)
    return kept


def _extra_surname_mentions(ctx: _Ctx, ms: list[_M]) -> None:
    """Short-name occurrences the model missed ("Ahn’s possible visit" untagged)."""
    doc = ctx.doc
    short: dict[str, str] = {}
    for m in ms:
        if m.kind == "person" and m.named and m.key.startswith("person:") and not m.extra.get("resolved"):
            toks = _name_tokens(_strip_poss_text(m.text))
            words = _strip_poss_text(m.text).split()
            if len(toks) == 1:
                short.setdefault(toks[0], m.key)
            elif len(words) >= 2:
                # family name first (Korean, Chinese: "Ahn Gyu-back") or last ("Shinjiro Koizumi")
                for w in (words[0], words[-1]):
                    w = lx.fold(w)
                    if w.isalpha() and len(w) > 2 and lx.lookup(w) is None and w not in DETERMINERS:
                        short.setdefault(w, m.key)
    if not short:
        return
    covered = set()
    for m in ms:
        covered.update(range(m.start, m.end))
    for t in doc:
        if t.text[:1].isupper() and t.is_alpha and t.idx not in covered:
            key = short.get(t.lower_)
            if key and not t.is_stop and not country_entry(t.text) and not (
                    t.i + 1 < len(doc) and doc[t.i + 1].text[:1].isupper() and doc[t.i + 1].is_alpha):
                ms.append(_M(t.idx, t.idx + len(t.text), t.text, "person", t.text, key,
                             sent=ctx.sent_of[t.i], tok=t.i))


def _pick(values: list, default=None):
    vals = [v for v in values if v]
    return Counter(vals).most_common(1)[0][0] if vals else default


def _share_org_countries(ms: list[_M]) -> None:
    """Organisations without a country join the same-named organisation with one."""
    org_countries: dict[str, set[str]] = {}
    for m in ms:
        if m.kind == "organisation" and m.country:
            org_countries.setdefault(m.key, set()).add(m.country)
    for m in ms:
        if m.kind == "organisation" and not m.country and len(org_countries.get(m.key, ())) == 1:
            m.country, m.csrc = next(iter(org_countries[m.key])), "alias"


GOVERNMENT_HEADS = {"government", "govt", "regime", "authorities", "administration"}


def _is_state_body(m: _M) -> bool:
    """A country's government under another name is the state actor: a seat used as its
    government ("the Kremlin", "the White House", "the Elysee") or "the (Japanese) government"."""
    if not m.country or igo_entry(m.country) is not None or m.agent not in ("GOV", None) or m.extra.get("owner"):
        return False
    hit = country_entry(m.text)
    if hit is not None and hit[0] == m.country and hit[1] in ("metonym", "capital"):
        return True
    return m.agent == "GOV" and m.csrc == "explicit" and not m.named and lx.fold(m.name) in GOVERNMENT_HEADS


def _build(ctx: _Ctx, ms: list[_M]) -> list[Actor]:
    _share_org_countries(ms)
    groups: dict[tuple, list[_M]] = {}
    for m in ms:
        if m.kind != "person" and _is_state_body(m):
            m.kind, m.key, m.name = "state", "state:" + m.country, country_name(m.country) or m.name
        if m.kind == "person":
            gk = ("person", m.key)
        elif m.kind == "state":
            gk = ("state", m.key)
        else:
            gk = ("organisation", m.key, m.country)
        groups.setdefault(gk, []).append(m)
    # people: the explicit country wins over inferred ones, then the most frequent
    actors: list[Actor] = []
    for gk, group in groups.items():
        group.sort(key=lambda m: m.start)
        kind = gk[0]
        explicit = [m.country for m in group if m.country and m.csrc == "explicit"]
        country = _pick(explicit) or _pick([m.country for m in group if m.csrc == "sentence"]) \
            or _pick([m.country for m in group])
        roles = [m.role for m in group if m.role and m.role != "counterpart"]
        role = max(roles, key=lambda r: (len(r.split()), roles.count(r))) if roles else None
        agent = _pick([m.agent for m in group if m.named]) or _pick([m.agent for m in group])
        if role and not agent:
            term = lx.lookup(role.split()[-1])
            agent = term.agent if term else None
        if kind == "person" and agent is None and role is None:
            agent = None
        named = [m for m in group if m.named and not m.extra.get("resolved")] or group
        if kind == "person":
            fulls = [m for m in named if len(_name_tokens(m.text)) >= 2] or named
            longest = max(len(_compact(m.text)) for m in fulls)
            cands = [_strip_poss_text(m.text) for m in fulls if len(_compact(m.text)) == longest]
            name = _pick(cands)
        elif kind == "state":
            name = group[0].name
        else:
            igo = [m for m in group if m.key.startswith("igo:")]
            if igo:
                name = igo[0].name
            else:
                cands = [m.name for m in named]
                # prefer the capitalised, longest form without a determiner
                cands = [c.lstrip("-\u2010\u2011 ") or c for c in cands]
                name = max(cands, key=lambda n: (n[:1].isupper(), len(n), cands.count(n)))
                name = name[:1].upper() + name[1:]
        aliases: list[str] = []
        for m in group:
            s = _strip_poss_text(m.text)
            if m.extra.get("resolved") or (kind == "person" and m.named and s[:1].islower()):
                continue
            if s and s not in aliases:
                aliases.append(s)
        mentions = [Mention(m.text, m.start, m.end) for m in group]
        aid = actor_id(kind, name, country)
        if not any(m.named for m in group) and (kind == "person" or kind == "organisation" and country is None):
            # a country-less common noun ("companies", "workers") or a bare title ("the president")
            # is a different actor in every story: the id carries the document, so stories do not
            # merge through it
            aid = actor_id(kind, name + "|" + ctx.doc_hash, None)
        actors.append(Actor(id=aid, name=name, country=country, agent=agent,
                            role=role, kind=kind, aliases=aliases, mentions=mentions))
    actors.sort(key=lambda a: a.mentions[0].start)
    return actors
