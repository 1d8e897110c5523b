"""Find event triggers in a parsed sentence: verbs, event nouns and light-verb pairs.

Why the light-verb step: in "lodged a strong protest" or "held phone talks" the verb says
little and the noun carries the PLOVER type, while the verb carries the arguments.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from .lexicon import Entry, triggers, words

_POS = {"VERB": "V", "NOUN": "N", "ADJ": "A"}
_OBJ_DEPS = ("dobj", "nsubjpass", "obj", "attr")


@dataclass
class Trigger:
    """An event word, its lexicon entry and the verb that carries its arguments."""

    token: Token
    entry: Entry
    verb: Token | None  # governing (light) verb of a noun trigger, or the verb itself
    noun: Token | None = None  # event noun merged into a verb trigger ("provided refueling")

    @property
    def anchor(self) -> Token:
        return self.verb if self.verb is not None else self.token


def lemma(tok: Token) -> str:
    return tok.lemma_.lower()


QUANTIFIERS = words("QUANTIFIERS")


def _objects(tok: Token) -> list[Token]:
    objs = [c for c in tok.children if c.dep_ in _OBJ_DEPS]
    objs += [cc for o in objs for cc in o.conjuncts]
    # "expelled 23 of the diplomats", "dozens of protesters": the noun under a number or quantifier
    objs += [g for o in objs if o.pos_ == "NUM" or o.lemma_.lower() in QUANTIFIERS
             for p in o.children if p.dep_ == "prep" and p.lower_ == "of"
             for g in p.children if g.dep_ == "pobj"]
    return objs


def _infinitive(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _cond_ok(tok: Token, key: str, vals: frozenset[str]) -> bool:
    kids = list(tok.children)
    if key == "prt":
        # "pulled out of Burkina Faso": spaCy often parses the particle as a preposition
        return any((c.dep_ == "prt" or (c.dep_ in ("prep", "advmod") and c.i == tok.i + 1)) and lemma(c) in vals
                   for c in kids)
    if key == "prep":
        preps = [lemma(c) for c in kids if c.dep_ in ("prep", "dative", "agent")]
        # "departed on Thursday for Japan": the prep may hang under an npadvmod/advmod
        preps += [lemma(g) for c in kids if c.dep_ in ("npadvmod", "advmod") for g in c.children if g.dep_ == "prep"]
        # "departed for Japan to hold talks" is often parsed as "for Japan (to hold)" clause
        preps += [lemma(g) for c in kids if c.dep_ in ("advcl", "xcomp") for g in c.children if g.dep_ == "mark"]
        return any(p in vals for p in preps)
    if key == "obj":
        return any(lemma(o) in vals or o.lower_ in vals for o in _objects(tok))
    if key == "mod":
        return any(c.dep_ in ("compound", "amod", "nmod", "npadvmod", "nummod") and (lemma(c) in vals or c.lower_ in vals)
                   for c in kids)
    if key == "head":
        return tok.head != tok and lemma(tok.head) in vals
    if key == "subj":
        subs = [c for c in kids if c.dep_ in ("nsubj", "nsubjpass")]
        if not subs and tok.dep_ in ("xcomp", "conj", "advcl") and tok.head != tok:
            subs = [c for c in tok.head.children if c.dep_ in ("nsubj",)]
        subs += [g for s in subs for g in s.children if g.dep_ == "prep" for g in g.children]  # "hundreds of supporters"
        return any(lemma(s) in vals or s.lower_ in vals for s in subs)
    if key == "intj":  # "I'll say no"
        return any(c.dep_ in ("intj", "dobj", "attr", "npadvmod") and c.lower_ in vals for c in kids)
    if key == "xcomp":
        # "vowed to fight" is sometimes parsed as an infinitival advcl
        return any((c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "advcl" and _infinitive(c))) and lemma(c) in vals
                   for c in kids)
    if key == "pobj":  # "withdrew from the talks": the object of one of its prepositions
        return any(c.dep_ == "prep" and any(g.dep_ == "pobj" and lemma(g) in vals for g in c.children) for c in kids)
    if key == "addressee":  # "asked Tokyo to ...", "asked for help"; not "'Why?' he asked"
        return any(c.dep_ in ("dobj", "dative", "xcomp", "nsubjpass") or (c.dep_ == "prep" and lemma(c) == "for")
                   or (c.dep_ in ("ccomp", "advcl") and _infinitive(c))  # "asked for Park to receive ..."
                   for c in kids)
    if key == "oprd":
        return any(c.dep_ == "oprd" or (c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("ADJ", "NOUN")) for c in kids)
    if key == "ofobj":
        return any(c.dep_ == "prep" and lemma(c) == "of" and any(lemma(g) in vals for g in c.children) for c in kids)
    return False


def match_entry(tok: Token) -> Entry | None:
    """The first lexicon entry of the token's (pos, lemma) whose conditions hold."""
    pos = _POS.get(tok.pos_)
    if pos is None:
        return None
    table = triggers()
    for key in {lemma(tok), tok.lower_}:
        for entry in table.get((pos, key), ()):
            if all(_cond_ok(tok, k, v) for k, v in entry.conds):
                return entry
    return None


def find_triggers(sent: Span) -> list[Trigger]:
    """Event triggers of one sentence, noun triggers attached to their light verbs."""
    found: dict[int, Trigger] = {}
    light: set[int] = set()
    for tok in sent:
        entry = match_entry(tok)
        if entry is None:
            continue
        if entry.type == "LIGHT":
            light.add(tok.i)
            continue
        found[tok.i] = Trigger(tok, entry, tok if tok.pos_ == "VERB" else None)
    out: list[Trigger] = []
    for i, trig in sorted(found.items()):
        tok = trig.token
        if tok.pos_ == "NOUN":
            head = tok.head
            if tok.dep_ in _OBJ_DEPS + ("nsubj",) and head.pos_ in ("VERB", "AUX") and head != tok:
                verb_trig = found.get(head.i)
                if verb_trig is not None:
                    if verb_trig.entry.type == trig.entry.type:
                        if verb_trig.entry.mode is None and trig.entry.mode:
                            verb_trig.entry = trig.entry
                        verb_trig.noun = tok
                        continue  # same event, coded on the verb
                elif head.i in light or match_entry(head) is None:
                    trig.verb = head
        out.append(trig)
    return out
