"""Who did it to whom, and where: source/target/location from the dependency parse.

Source = grammatical subject (or the passive "by" agent); target = object, passive
subject or a prepositional object ("with", "against", "to" ...). Each argument phrase is
resolved to an actor (actors stage), else to a country through ``country_code`` on its
words ("his Japanese counterpart" -> JPN, "Tokyo" -> JPN, "North Korea's" -> PRK).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..actors import DocContext
from ..countries import country_code, may_start_country
from ..models import Actor, EventArg, Location, Place
from .lexicon import agents, word_list, words
from .modality import attribution_token

PHRASE_DEPS = {"compound", "amod", "poss", "nmod", "det", "case", "nummod", "quantmod", "flat",
               "appos", "punct", "npadvmod"}
PRONOUNS = words("PRONOUNS")
FIRST_PERSON = words("FIRST_PERSON")  # the speaker, not the nearest name
RELATIVE = words("RELATIVE")
TARGET_PREPS = word_list("TARGET_PREPS")
NOUN_TARGET_PREPS = word_list("NOUN_TARGET_PREPS")
OBJECT_CONTROL = words("OBJECT_CONTROL")
LOC_PREPS = words("LOC_PREPS")
DEST_PREPS = words("DEST_PREPS")
PLACE_PREPS = words("PLACE_PREPS")
PREVENTING = words("PREVENTING")
JUDGING = words("JUDGING")  # "accused Kyiv of shelling", "praised Oslo for hosting": the object did it
# hand-set limits: the longest word n-gram looked up as a country name ("the United Arab
# Emirates"); how many parse edges a place may hang below the event's anchor
COUNTRY_MAX_WORDS = 4
PLACE_MAX_STEPS = 9
PASS_DEPS = {"pobj", "prep", "compound", "appos", "npadvmod", "nmod", "amod", "poss", "conj", "acl", "advmod"}


@dataclass
class Context:
    """Per-document lookups shared by all events of a document: the parse, the places and the
    actors stage's record (actors, their index, person -> country, home and counterpart)."""

    doc: Doc
    places: list[Place]
    actors: list[Actor]
    record: DocContext
    person_ids: set = field(default_factory=set)  # ids of actors the actors stage knows as persons
    published: dt.date | None = None  # the document's publication day

    @property
    def home(self) -> str | None:
        return self.record.home

    @property
    def counterpart(self) -> str | None:
        return self.record.counterpart

    @property
    def person_country(self) -> dict[str, str]:
        return self.record.person_country


def actor_at(ctx: Context, start: int, end: int) -> Actor | None:
    """The actor mentioned in [start, end): the actors stage's index."""
    return ctx.record.actor_at(start, end)


def phrase(tok: Token) -> Span:
    """The noun phrase headed by ``tok`` without clauses or non-'of' prepositions."""
    toks = [tok]
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ in PHRASE_DEPS or (c.dep_ == "prep" and c.lower_ == "of" and t == tok) or (c.dep_ == "pobj" and t.dep_ == "prep"):
                toks.append(c)
                stack.append(c)
    lo, hi = min(t.i for t in toks), max(t.i for t in toks)
    return tok.doc[lo:hi + 1]


def _country_in(span: Span, skip: set[int] = frozenset()) -> str | None:
    """First country/IGO named in the span, longest n-gram first, left to right."""
    toks = [t for t in span if t.i not in skip]
    n = len(toks)
    starts = [may_start_country(t.text) for t in toks]  # the index: windows that can match
    for size in range(min(COUNTRY_MAX_WORDS, n), 0, -1):
        for i in range(0, n - size + 1):
            if not starts[i]:
                continue
            chunk = toks[i:i + size]
            if chunk[-1].i - chunk[0].i != size - 1:
                continue
            if size == 1 and (chunk[0].is_punct or chunk[0].lower_ in PRONOUNS or chunk[0].is_stop):
                continue
            # a token slice, not doc.text: spaCy rebuilds doc.text on every access
            text = span.doc[chunk[0].i:chunk[-1].i + 1].text
            code = country_code(text)
            if code:
                return code
    return None


def _pronoun_antecedent(ctx: Context, tok: Token) -> str | None:
    """Country of the nearest preceding named actor (same or previous sentence)."""
    sent = tok.sent
    start = sent.start
    if start > 0:
        start = ctx.doc[start - 1].sent.start
    want = {"he", "she", "his", "her", "him"}
    labels = {"PERSON"} if tok.lower_ in want else {"GPE", "ORG", "NORP", "PERSON"}
    for ent in reversed([e for e in ctx.doc.ents if start <= e.start and e.end <= tok.i]):
        if ent.label_ not in labels:
            continue
        code = resolve_span(ctx, ent, pronouns=False).country
        if code:
            return code
    return None


def _head_span(span: Span) -> Span:
    """The head word of a phrase, widened to the named entity it belongs to."""
    head = span.root
    for ent in span.doc.ents:
        if ent.start <= head.i < ent.end:
            return ent
    return span.doc[head.i:head.i + 1]


def resolve_span(ctx: Context, span: Span, pronouns: bool = True) -> EventArg:
    """EventArg for a phrase.

    Order: the actor named by the phrase head; a country word in the phrase ("his Japanese
    counterpart"); the actor of an apposition ("..., Shinjiro Koizumi"); any actor in the
    phrase; a possessive/pronoun antecedent; a person's country seen elsewhere in the text.
    """
    head = span.root
    hs = _head_span(span)
    poss_pron = {t.i for t in span if t.lower_ in PRONOUNS}
    actor = None
    if head.lower_ not in PRONOUNS:
        actor = actor_at(ctx, hs.start_char, hs.end_char)
    elif pronouns and head.lower_ not in RELATIVE:
        # the actors stage links a pronoun to its antecedent ("he" -> Ahn Gyu-back)
        actor = actor_at(ctx, head.idx, head.idx + len(head.text))
    country = actor.country if actor else None
    mention = hs if actor is not None else None
    if country is None:
        # the name in apposition is the actor ("his Japanese counterpart, Shinjiro Koizumi")
        for c in head.children:
            if c.dep_ == "appos":
                a = actor_at(ctx, c.idx, c.idx + len(c.text))
                if a is not None and a.country:
                    actor, country, mention = a, a.country, _head_span(span.doc[c.i:c.i + 1])
                    break
    if country is None:
        country = _country_in(span, poss_pron)
    if country is None and head.lower_ not in PRONOUNS:
        a = actor_at(ctx, span.start_char, span.end_char)
        if a is not None and a.country:
            actor, country = a, a.country
    if country is None:
        # a place named as the object: "shelled Qamishli" -> the place's country
        for p in ctx.places:
            if p.country and span.start_char <= p.start < span.end_char and head.idx < p.end and p.start <= head.idx + len(head.text):
                country = p.country
                break
    if country is None:
        for ent in span.ents:
            if ent.label_ == "PERSON":
                country = ctx.person_country.get(ent.text) or ctx.person_country.get(ent[-1].text)
                if country:
                    break
    if country is None and pronouns and head.lower_ in FIRST_PERSON:
        # "we/I" is the speaker of the sentence ("'We will respond,' the ministry said"), else
        # the nearest named actor before it
        who = attribution_token(head)
        if who is not None and who.lower_ not in FIRST_PERSON:
            spk = resolve_span(ctx, phrase(who), pronouns=True)
            if spk.country:
                actor = None
                country = spk.country
        if country is None:
            country = _pronoun_antecedent(ctx, head)
    if country is None and pronouns and poss_pron and head.lower_ not in RELATIVE and head.lower_ not in FIRST_PERSON:
        a = actor_at(ctx, span.start_char, span.end_char)
        if a is not None and a.country:
            actor, country = a, a.country
        else:
            country = _pronoun_antecedent(ctx, span.doc[min(poss_pron)])
    agent = actor.agent if actor else None
    name = actor.name if actor else None
    if agent is None:
        for t in [head] + [t for t in span if t != head]:
            hit = agents().get(t.lemma_.lower())
            if hit:
                agent = hit[0]
                break
    # the mention is a name or a head noun, never the whole phrase ("Yokosuka", not "the Japanese
    # port city of Yokosuka,")
    text = (mention or hs).text if head.lower_ not in PRONOUNS else head.text
    return EventArg(text=text, name=name, country=country, agent=agent,
                    actor_id=actor.id if actor else None)


def resolve(ctx: Context, tok: Token | None) -> EventArg | None:
    if tok is None:
        return None
    if tok.lower_ in RELATIVE and tok.head.dep_ in ("relcl", "acl"):
        tok = tok.head.head
    return resolve_span(ctx, phrase(tok))


def is_domestic(arg: EventArg) -> bool:
    """A generic state organ or population group ("police", "protesters", "the court")."""
    words = arg.text.lower().replace("'s", "").split()
    table = agents()
    return any(table.get(w.rstrip("s"), table.get(w, ("", False)))[1] for w in words[-3:])


# ---------------------------------------------------------------- grammatical roles


def passive(verb: Token) -> bool:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (verb.tag_ == "VBN" and verb.dep_ == "acl"):
        return True
    # "18 were injured and 12 arrested": a bare participle conjoined to a passive verb
    return (verb.tag_ == "VBN" and verb.dep_ == "conj" and verb.head != verb
            and any(c.dep_ == "auxpass" for c in verb.head.children)
            and not any(c.dep_ in ("aux", "auxpass") for c in verb.children))


def subject(verb: Token, depth: int = 0) -> Token | None:
    """The doer of ``verb``: nsubj, passive agent, or inherited from a governing verb."""
    kids = list(verb.children)
    if passive(verb):
        for c in kids:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        if verb.dep_ not in ("xcomp", "conj", "advcl"):
            return None
    for c in kids:
        if c.dep_ in ("nsubj", "csubj") and not for_clause(verb) and not passive(verb):
            return c
    if depth > 4 or verb.head == verb:
        return None
    head = verb.head
    if verb.dep_ == "xcomp" and passive(head):
        # raising passives: "Obama is scheduled to attend", "lawyers are expected to appeal"
        for c in head.children:
            if c.dep_ == "nsubjpass":
                return c
    if verb.dep_ == "xcomp" and head.lemma_.lower() in OBJECT_CONTROL:
        for c in head.children:
            if c.dep_ in ("dobj", "obj"):
                return c
    if verb.dep_ == "pcomp" and head.lower_ == "from" and head.head.lemma_.lower() in PREVENTING:
        # "barred its citizens from taking part", "stopped protesters from marching": the object
        for c in head.head.children:
            if c.dep_ in ("dobj", "obj"):
                return c
    if verb.dep_ == "pcomp" and head.lower_ in ("of", "for", "with") and head.head.lemma_.lower() in JUDGING:
        # "Moscow accused Kyiv of shelling the plant": Kyiv shelled, as reported by Moscow
        for c in head.head.children:
            if c.dep_ in ("dobj", "obj"):
                return c
    if verb.dep_ in ("xcomp", "conj", "advcl", "ccomp", "pcomp", "acomp") and head.pos_ in ("VERB", "AUX", "ADJ"):
        return subject(head, depth + 1)
    if verb.dep_ == "acl" and head.pos_ == "NOUN" and any(c.dep_ == "aux" and c.lower_ == "to" for c in kids):
        # "the US decision to expel ...", "Beijing's plan to tax ...": the noun's possessor
        for c in head.children:
            if c.dep_ == "poss" and c.lower_ not in PRONOUNS:
                return c
        for c in head.children:
            if c.dep_ in ("compound", "amod") and c.ent_type_ in ("GPE", "ORG", "NORP") and c.i < head.i:
                return c  # "the US decision to expel ..."
    if verb.dep_ == "pcomp" or (verb.dep_ in ("acl", "pcomp") and head.pos_ == "NOUN"):
        # "the possibility of forging ...": climb over the noun to its clause
        cur = head
        for _ in range(4):
            if cur.pos_ in ("VERB", "AUX"):
                return subject(cur, depth + 1)
            if cur.head == cur:
                break
            cur = cur.head
    if verb.dep_ == "relcl" or (verb.dep_ == "acl" and verb.tag_ == "VBG"):
        return head  # "pirates who tried ...", "Greeks protesting against ..."
    return None


def for_clause(verb: Token) -> bool:
    """'departed for Japan to hold talks' misparsed as a 'for X to V' clause."""
    return (verb.dep_ in ("advcl", "xcomp") and any(c.dep_ == "mark" and c.lower_ == "for" for c in verb.children)
            and any(c.dep_ == "nsubj" for c in verb.children))


def _pobj(prep: Token) -> Token | None:
    for g in prep.children:
        if g.dep_ in ("pobj", "pcomp"):
            return g
    return None


def prep_objects(tok: Token, preps: tuple[str, ...]) -> list[tuple[str, Token]]:
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in preps:
            o = _pobj(c)
            if o is not None:
                out.append((c.lower_, o))
        elif c.dep_ == "dative":
            out.append(("to", c))
        elif c.dep_ in ("advcl", "xcomp") and for_clause(c) and "for" in preps:
            out.append(("for", next(g for g in c.children if g.dep_ == "nsubj")))
        elif c.dep_ in ("npadvmod", "advmod"):
            for g in c.children:
                if g.dep_ == "prep" and g.lower_ in preps and _pobj(g) is not None:
                    out.append((g.lower_, _pobj(g)))
    out.sort(key=lambda po: preps.index(po[0]) if po[0] in preps else 99)
    return out


def objects(verb: Token) -> list[Token]:
    if verb.lemma_.lower() in OBJECT_CONTROL and not passive(verb) and not any(c.dep_ in ("dobj", "obj") for c in verb.children):
        # "ordered the party to disband" parsed as a clause with its own subject
        for c in verb.children:
            if c.dep_ in ("ccomp", "xcomp") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                subj = [g for g in c.children if g.dep_ == "nsubj"]
                if subj:
                    return subj
    if passive(verb):
        subj = [c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj")]
        if subj:
            return subj
        if verb.dep_ == "conj" and verb.head != verb:
            # "the officer, who shot him and has been charged": the shared subject is the patient
            shared = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if shared:
                return shared[:1]
        if verb.dep_ == "acl":
            return [verb.head]
    return [c for c in verb.children if c.dep_ in ("dobj", "obj")]


def is_place(ctx: Context, tok: Token) -> bool:
    """Is this token inside a recognised place name?"""
    return any(p.start <= tok.idx < p.end for p in ctx.places)


def actorish(ctx: Context, tok: Token) -> bool:
    """Does this phrase name an actor (not a thing like 'missiles' or 'ways')?"""
    if tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"):
        return False
    if tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or tok.pos_ == "PROPN":
        return True
    if tok.lower_ in PRONOUNS - {"it"}:
        return True
    span = phrase(tok)
    arg = resolve_span(ctx, span, pronouns=False)
    return bool(arg.country) or tok.lemma_.lower() in agents()


# ---------------------------------------------------------------- location


def place_root(doc: Doc, p: Place) -> Token | None:
    span = doc.char_span(p.start, p.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def attached_place(ctx: Context, anchors: list[Token], places: list[Place], allow_dest: bool,
                   blocked: set[int], only_dest: bool = False) -> tuple[Place, int] | None:
    """The place hanging (through prepositions) under one of the anchors, most specific first.

    ``only_dest``: only a place reached through a destination preposition ("into the Sea of
    Japan", "toward Seoul"): where a missile or a strike went, not where it started.
    """
    best = None
    for p in places:
        if p.lat is None or p.lon is None:
            continue
        r = place_root(ctx.doc, p)
        if r is None or r.i in blocked or r.dep_ == "amod":
            continue  # a demonym place ("a Syrian enclave") is not where the act happened
        cur, steps, prep = r, 0, None
        ok = False
        while cur.head != cur and steps < PLACE_MAX_STEPS:
            if cur.dep_ == "prep" and prep is None:
                prep = cur.lower_  # the preposition nearest the place ("met with X in Moscow")
            if cur.dep_ in ("nsubj", "nsubjpass", "dobj") and cur not in anchors:
                break
            nxt = cur.head
            steps += 1
            if cur.dep_ not in PASS_DEPS and cur.dep_ != "prep":
                break
            if cur.dep_ == "prep" and prep is None:
                prep = cur.lower_
            if nxt in anchors:
                ok = True
                break
            if nxt.i in blocked:
                break
            cur = nxt
        if not ok:
            continue
        if prep in DEST_PREPS and not allow_dest:
            continue
        if only_dest and prep not in DEST_PREPS and prep not in ("toward", "towards"):
            continue
        if prep is not None and prep not in LOC_PREPS and prep not in DEST_PREPS and prep != "of":
            continue
        specific = 0 if (p.feature or "") not in ("country", "continent", "region", "admin1") else 1
        key = (specific, steps)
        if best is None or key < best[0]:
            best = (key, p)
    return (best[1], best[0][1]) if best else None


def location_of(p: Place) -> Location:
    return Location(name=p.name or p.text, country=p.country, lat=p.lat, lon=p.lon, geonameid=p.geonameid)
