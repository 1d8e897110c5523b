"""Pronoun and short nominal coreference inside one document.

Why rules: the stage must cost a few passes over tokens, and news pronouns mostly point to
the salient actor of the same or the previous sentences. Each pronoun (and "the country",
"the group", "the organisation") becomes an extra mention of an actor already found:

* he / him / his / she / her → a person: same sentence before the pronoun, then up to three
  sentences back; subjects before other roles, nearer before farther; gender must not clash
  (Mr/Ms/Mrs, gendered titles, pronouns already resolved to that person); an object pronoun
  is never its own clause's subject ("Trump told him").
* it / its → a singular organisation or a state; they / them / their → a group ("police",
  "protesters", "officials"), a conjoined subject ("China and Russia ... they" → the first) or an
  organisation. A non-actor noun subject in between ("The plan ... It") blocks the link;
  expletive "it" ("it is expected", "it seems") is left alone.
* I / me / my / we / us / our inside quotation marks → the speaker: the actor subject of a
  reporting verb (say, tell, tweet, add …) in the same sentence, else the next sentence when the
  quote runs on, else the previous two sentences.
* "the country" → the most recent state; "the group", "the organisation" → the most recent
  organisation.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from ..countries import igo_entry
from ..models import Actor, Mention

HE = {"he", "him", "his", "himself"}
SHE = {"she", "her", "hers", "herself"}
IT = {"it", "its", "itself"}
THEY = {"they", "them", "their", "theirs", "themselves"}
SPEAKER = {"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"}
SAY = {"say", "tell", "add", "tweet", "saying", "stating", "write", "state", "declare", "announce", "insist", "note", "warn",
       "explain", "vow", "argue", "claim", "stress", "reply", "respond", "continue", "conclude", "post",
       "quote", "acknowledge", "admit", "affirm", "assert", "comment", "remark", "suggest", "urge"}
EXPLETIVE_HEADS = {"be", "seem", "appear", "take", "remain", "happen", "matter", "rain", "become", "look",
                   "mean", "make", "cost", "emerge", "turn"}
MALE = {"mr", "mr.", "sir", "lord", "king", "prince", "father", "son", "brother", "husband", "chairman",
        "businessman", "spokesman", "congressman", "sheikh", "emir", "sultan", "uncle", "boy", "man"}
FEMALE = {"ms", "ms.", "mrs", "mrs.", "miss", "madam", "dame", "lady", "queen", "princess", "mother", "daughter",
          "sister", "wife", "chairwoman", "businesswoman", "spokeswoman", "congresswoman", "aunt", "girl",
          "woman", "actress", "widow", "niece", "grandmother"}
NOMINALS = {"country": "state", "nation": "state", "group": "organisation", "organisation": "organisation",
            "organization": "organisation"}
# nouns that refer back to an international organisation, whatever their modifiers
IGO_NOMINALS = {"bloc", "alliance", "grouping"}
# "the agency", "the court": the last organisation whose name ends in the word
SHORT_FORM_HEADS = {"agency", "council", "commission", "court", "committee", "fund", "bank", "union",
                    "parliament", "assembly", "tribunal", "mission", "office", "programme", "program"}
SUBJ = {"nsubj", "nsubjpass", "csubj"}
OBJ = {"dobj", "obj", "dative", "iobj", "pobj"}
QUOTES_OPEN = {"\u201c", "\u00ab", "\u201e"}
QUOTES_CLOSE = {"\u201d", "\u00bb"}


class _Cand:
    __slots__ = ("actor", "tok", "sent", "kind", "plural", "role", "conj", "conj_head", "verb", "dep", "cverb")

    def __init__(self, actor: Actor | None, tok: Token, sent: int, kind: str, plural: bool):
        self.actor = actor
        self.tok = tok
        self.sent = sent
        self.kind = kind
        self.plural = plural
        root = tok
        while root.dep_ in ("compound", "flat", "amod") and root.head.i != root.i:
            root = root.head
        dep = root.dep_
        self.conj = dep == "conj" or any(c.dep_ == "conj" for c in root.children)
        self.conj_head = dep != "conj" and self.conj
        self.dep = dep
        self.verb = root.head
        self.cverb = _clause_verb(tok).i
        if dep == "conj":
            first = root.head
            while first.dep_ == "conj" and first.head.i != first.i:
                first = first.head
            dep = first.dep_
        self.role = 0 if dep in SUBJ else (1 if dep in ("poss", "appos", "ROOT", "attr") else 2)


def _in_quote(text: str, tok: Token) -> bool:
    """Is the token inside quotation marks (within its paragraph)?"""
    start = text.rfind("\n", 0, tok.idx) + 1
    seg = text[start:tok.idx]
    opened = sum(seg.count(q) for q in QUOTES_OPEN) - sum(seg.count(q) for q in QUOTES_CLOSE)
    if opened > 0 or seg.count('"') % 2 == 1:
        return True
    if opened == 0 and not any(q in seg for q in QUOTES_OPEN | QUOTES_CLOSE):
        # a quote carried over from the previous paragraph closes later in this one
        end = text.find("\n", tok.idx)
        rest = text[tok.idx:end if end >= 0 else len(text)]
        marks = [(rest.find(q), q) for q in QUOTES_OPEN | QUOTES_CLOSE if rest.find(q) >= 0]
        if marks and min(marks)[1] in QUOTES_CLOSE:
            return True
    return False


def _gender(doc: Doc, actor: Actor) -> str | None:
    """m / f from a courtesy title or gendered noun next to any of the actor's mentions."""
    votes = {"m": 0, "f": 0}
    for m in actor.mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        for t in list(doc[max(0, span.start - 3):span.start]) + list(span):
            w = t.lower_
            if w in MALE:
                votes["m"] += 1
            elif w in FEMALE:
                votes["f"] += 1
    if actor.role:
        words = set(actor.role.lower().split())
        votes["m"] += len(words & MALE)
        votes["f"] += len(words & FEMALE)
    if votes["m"] == votes["f"]:
        return None
    return "m" if votes["m"] > votes["f"] else "f"


def _expletive(tok: Token) -> bool:
    head = tok.head
    if tok.dep_ not in ("nsubj", "nsubjpass", "expl"):
        return tok.dep_ not in ("poss",)  # object "it" is a thing far more often than an actor
    if tok.dep_ == "expl" or head.lemma_ in EXPLETIVE_HEADS:
        return True
    # "it is expected that ...", "it was reported that ...", "it is clear that ..."
    return any(c.dep_ in ("ccomp", "xcomp", "csubj") and c.i > head.i and (head.lemma_ == "be" or tok.dep_ == "nsubjpass")
               for c in head.children)


def _clause_verb(tok: Token) -> Token:
    """The verb a token's phrase hangs from (through nouns and prepositions)."""
    cur = tok
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def _binds(p: Token, c: Token) -> bool:
    """Binding: an object pronoun cannot be the subject of its own clause ("Trump told him")."""
    if p.dep_ in OBJ:
        verb = p.head if p.dep_ != "pobj" else p.head.head
        return c.dep_ in SUBJ and c.head.i == verb.i
    return False


def _is_igo_actor(a: Actor) -> bool:
    return a.kind == "organisation" and bool(a.country) and igo_entry(a.country) is not None


def _ends_in(a: Actor, word: str) -> bool:
    return any(n.lower().rstrip(".").split()[-1:] == [word] for n in (a.name, *a.aliases) if n)


def resolve_pronouns(doc: Doc, actors: list[Actor], skip: set[int] | None = None) -> None:
    """Add pronoun (and "the country"/"the group") mentions to the actors they refer to."""
    if not actors:
        return
    skip = skip or set()
    text = doc.text
    sents = list(doc.sents)
    sent_of = {}
    for si, s in enumerate(sents):
        for i in range(s.start, s.end):
            sent_of[i] = si
    covered: set[int] = set()
    cands: list[_Cand] = []
    for a in actors:
        for m in a.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            covered.update(range(span.start, span.end))
            head = span.root
            plural = head.tag_ in ("NNS", "NNPS") or head.lower_ in ("police", "people", "authorities")
            cands.append(_Cand(a, head, sent_of.get(head.i, 0), a.kind or "organisation", plural))
    # non-actor noun subjects: a nearer "The plan ..." blocks "it" from reaching an actor
    for t in doc:
        if t.dep_ in SUBJ and t.pos_ in ("NOUN", "PROPN") and t.i not in covered and t.ent_type_ not in (
                "PERSON", "ORG", "GPE", "NORP"):
            cands.append(_Cand(None, t, sent_of.get(t.i, 0), "thing", t.tag_ in ("NNS", "NNPS")))
    cands.sort(key=lambda c: c.tok.i)
    gender = {a.id: _gender(doc, a) for a in actors if a.kind == "person"}
    added: dict[str, list[Mention]] = {}
    resolved_tok: dict[int, Actor] = {}

    def add(a: Actor, tok_start: Token, tok_end: Token) -> None:
        start, end = tok_start.idx, tok_end.idx + len(tok_end.text)
        added.setdefault(a.id, []).append(Mention(text[start:end], start, end))
        resolved_tok[tok_end.i] = a

    def pick(p: Token, ok, back: int = 3, prefer=None) -> _Cand | None:
        si = sent_of.get(p.i, 0)
        best, best_key = None, None
        # "He also called Trump": a subject pronoun is not its own verb's object
        not_ids = {c.actor.id for c in cands if c.actor is not None and c.cverb == p.head.i and c.tok.i > p.i
                   and c.tok.dep_ not in SUBJ | {"poss"}} if p.dep_ in SUBJ else set()
        for c in cands:
            if c.tok.i >= p.i:
                break
            d = si - c.sent
            if d < 0 or d > back or not ok(c) or _binds(p, c.tok) or (c.actor is not None and c.actor.id in not_ids):
                continue
            if c.tok.dep_ == "pobj" and c.tok.head.lower_ == "as":
                continue  # "his post as CEO": a role, not a referent
            # same sentence: the clause subject, then the nearest; earlier sentences: subjects first
            # a named actor before a bare title ("the lawyer") at the same distance and role
            unnamed = 1 if c.actor is not None and c.actor.name[:1].islower() else 0
            pref = 0 if prefer is None or prefer(c) else 1
            # "Japan condemned North Korea for its launch": a possessive in the verb's adjunct
            # is the verb's object
            if d == 0 and p.dep_ == "poss" and c.dep in ("dobj", "obj"):
                cv = _clause_verb(p)
                # ... or of the verb that controls it: "forced Apple to lower its prices"
                if c.verb.i == cv.i or (cv.dep_ == "xcomp" and cv.head.i == c.verb.i):
                    pref = -1
            key = (d, pref, c.role, unnamed, -c.tok.i) if d == 0 else (d, pref, c.role, unnamed, c.tok.i)
            if best_key is None or key < best_key:
                best, best_key = c, key
        return best

    for t in doc:
        low = t.lower_
        if t.i in covered or t.i in skip:
            continue
        if low in HE or low in SHE:
            if low == "her" and t.dep_ not in ("poss", "dobj", "pobj", "dative", "iobj", "nsubj"):
                continue
            want = "m" if low in HE else "f"
            c = pick(t, lambda c: c.kind == "person" and c.actor is not None and gender.get(c.actor.id) in (None, want))
            if c is not None:
                add(c.actor, t, t)
                if gender.get(c.actor.id) is None:
                    gender[c.actor.id] = want
        elif low in IT:
            if low == "it" and _expletive(t):
                continue
            c = pick(t, lambda c: not c.plural and c.kind in ("organisation", "state", "thing"), back=1)
            if c is not None and c.actor is not None:
                add(c.actor, t, t)
        elif low in THEY:
            def ok(c: _Cand) -> bool:
                if c.kind == "thing":
                    return c.plural
                if c.kind == "person":
                    return c.conj
                return c.plural or c.conj or c.kind in ("organisation", "state")
            c = pick(t, ok, back=2, prefer=lambda c: c.plural or c.conj_head or (c.conj and c.kind != "person"))
            if c is not None and c.actor is not None:
                add(c.actor, t, t)
        elif low in NOMINALS and t.tag_ == "NN" and any(d.lower_ == "the" and d.dep_ == "det" for d in t.children) \
                and not any(d.dep_ in ("amod", "compound", "prep", "relcl", "acl") for d in t.children):
            kind = NOMINALS[low]
            c = pick(t, lambda c: c.actor is not None and c.kind == kind and not c.plural, back=3)
            if c is not None:
                det = next(d for d in t.children if d.lower_ == "the")
                add(c.actor, det if det.i < t.i else t, t)
        elif low in IGO_NOMINALS and t.tag_ == "NN" and any(d.lower_ == "the" and d.dep_ == "det" for d in t.children) \
                and not any(d.dep_ in ("prep", "relcl", "acl", "poss") for d in t.children):
            # "the bloc", "the 27-nation bloc", "the Western alliance": the last organisation
            # coded as an IGO (no IGO named nearby: no antecedent, no actor)
            c = pick(t, lambda c: c.actor is not None and _is_igo_actor(c.actor) and not c.plural, back=3)
            if c is not None:
                det = next(d for d in t.children if d.lower_ == "the")
                add(c.actor, det if det.i < t.i else t, t)
        elif low in SHORT_FORM_HEADS and t.tag_ == "NN" and not t.ent_type_ \
                and any(d.lower_ == "the" and d.dep_ == "det" for d in t.children) \
                and not any(d.dep_ in ("amod", "compound", "prep", "relcl", "acl", "poss") for d in t.children):
            # "the agency" after "the UN refugee agency", "the court" after "the International
            # Criminal Court": the last organisation one of whose names ends in that word
            c = pick(t, lambda c: c.actor is not None and c.kind == "organisation" and not c.plural
                     and _ends_in(c.actor, low), back=2)
            if c is not None:
                det = next(d for d in t.children if d.lower_ == "the")
                add(c.actor, det if det.i < t.i else t, t)
    # speakers of quoted first-person pronouns
    speakers: dict[int, Actor] = {}
    for si, s in enumerate(sents):
        for t in s:
            if t.lemma_.lower() in SAY and t.pos_ in ("VERB", "AUX"):
                # "Jobs resigned ..., stating: '...'": a participle speaks for its clause's subject
                verb, subj = t, None
                for _ in range(5):
                    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
                    # climb through "a letter ... stating", "..., saying"
                    if subj is not None or verb.dep_ not in ("advcl", "xcomp", "conj", "acl", "pobj", "prep",
                                                             "dobj", "npadvmod") or verb.head.i == verb.i:
                        break
                    verb = verb.head
                if subj is not None:
                    a = resolved_tok.get(subj.i) or _actor_at(actors, doc, subj)
                    if a is not None and not _in_quote(text, subj):
                        speakers.setdefault(si, a)
    for t in doc:
        if t.lower_ not in SPEAKER or t.i in covered or t.i in skip or not _in_quote(text, t):
            continue
        if t.lower_ == "us" and t.text == "US":
            continue
        si = sent_of.get(t.i, 0)
        a = speakers.get(si)
        if a is None and si + 1 < len(sents) and sents[si + 1][0].text in QUOTES_CLOSE | {'"', ","} | QUOTES_OPEN:
            a = speakers.get(si + 1)
        if a is None:
            a = speakers.get(si + 1) if si + 1 < len(sents) and not _in_quote(text, sents[si + 1][0]) and \
                sents[si + 1][0].lower_ in SAY else None
        for back in (1, 2):
            if a is None:
                a = speakers.get(si - back)
        if a is not None:
            add(a, t, t)
    for a in actors:
        extra = added.get(a.id)
        if extra:
            a.mentions = sorted(a.mentions + extra, key=lambda m: m.start)


def _actor_at(actors: list[Actor], doc: Doc, tok: Token) -> Actor | None:
    lo, hi = tok.idx, tok.idx + len(tok.text)
    best = None
    for a in actors:
        for m in a.mentions:
            if m.start < hi and lo < m.end:
                if best is None or (a.kind == "person" and best.kind != "person"):
                    best = a
    return best
