"""Modality (asserted/planned/negated/hypothetical/reported) and attribution of an event.

Why from the parse: "expected to visit", "ruled out the possibility of forging an
agreement", "no request was made" put the cue on a governing word, not next to the trigger.
Ordinary reporting ("X said Y did") leaves an event asserted and gives its attribution.
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from .lexicon import modality_cues, words

REPORTING = words("REPORTING")
# a noun inside these adjuncts is presupposed, not under the main verb's modality
# ("during the minister's latest trip", "after the talks")
PRESUPPOSE = words("PRESUPPOSE")
# "the campaign to invade X": the infinitive names what an ongoing operation does, not a plan
ONGOING = words("ONGOING")
# infinitives that are plans by themselves: purpose adjuncts and infinitival modifiers. An
# xcomp ("intended/tried/wanted to attack") takes its modality from the governing verb.
INFINITIVE_DEPS = ("advcl", "relcl", "acl")
# "appeared in court to face charges": the infinitive states what is the case, not a plan
STATES = words("STATES")
ENACTED_BY_ANNOUNCING = words("ENACTED_BY_ANNOUNCING")
# verbs whose object event is a fact ("avenge the killing", "condemned the attack")
PRESUPPOSING = words("PRESUPPOSING")
# subordinate clauses that state a fact, whatever the main clause's modality
FACTUAL_MARKS = words("FACTUAL_MARKS")
# adjuncts that do carry the governing verb's modality: "barred them from taking part in
# protests", "prevented from entering" (the event is not done)
PARTICIPATE = words("PARTICIPATE")
PREVENTING = words("PREVENTING")
# words of condition, possibility or doubt: a "would" in their sentence stays hypothetical
CONDITION_WORDS = words("CONDITION_WORDS")
DOUBT_VERBS = words("DOUBT_VERBS")


def _past(verb: Token) -> bool:
    return verb.tag_ == "VBD" or any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)


def _presupposed(prep: Token) -> bool:
    """A prepositional adjunct whose noun is presupposed rather than under the verb's modality."""
    if prep.lower_ not in PRESUPPOSE:
        return False
    head = prep.head.lemma_.lower()
    return not ((prep.lower_ == "in" and head in PARTICIPATE) or (prep.lower_ == "from" and head in PREVENTING))
_ORDER = {"negated": 0, "hypothetical": 1, "planned": 2, "reported": 3}


def key(tok: Token) -> str:
    """Lemma, with a particle joined: 'rule_out', 'call_off'."""
    prt = [c.lower_ for c in tok.children if c.dep_ == "prt"]
    return f"{tok.lemma_.lower()}_{prt[0]}" if prt else tok.lemma_.lower()


def chain(trigger: Token, verb: Token | None, limit: int = 7) -> list[Token]:
    """The trigger and the words governing it, up to a reporting verb or the clause root."""
    out = [trigger]
    cur = trigger
    while cur.head != cur and len(out) < limit:
        if cur.dep_ in ("ccomp", "parataxis") and key(cur.head) in REPORTING:
            break
        if cur.dep_ in ("nsubj", "nsubjpass") and cur != trigger and cur.head != verb:
            break
        if cur.dep_ == "prep" and _presupposed(cur) and verb is None:
            break
        if cur is trigger and cur.dep_ in ("dobj", "obj") and key(cur.head) in PRESUPPOSING:
            break  # "vowed to avenge the killing": the killing happened, whatever the vow
        if cur.dep_ == "advcl" and _past(cur) and any(m.dep_ == "mark" and m.lower_ in FACTUAL_MARKS
                                                      for m in cur.children):
            break  # "would increase exports after Norway lifted the ban": the lifting happened
        if cur != trigger and cur.dep_ == "advcl" and cur.tag_ in ("VBG", "VBN") and not any(
                c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
            break  # a participial adjunct ("..., referring to the refueling") is its own assertion
        cur = cur.head
        out.append(cur)
    if verb is not None and verb not in out:
        out.insert(1, verb)
    return out


FUTURE_REPORTING = REPORTING | words("FUTURE_REPORTING")


def reported_future(tok: Token) -> bool:
    """``tok`` (carrying "would") is the complement of a reporting verb with no condition.

    "The U.S. said it would impose duties" reports a plan; "it would be a mistake if ..." or
    a bare "would" stay hypothetical.
    """
    cur = tok
    for _ in range(3):
        if any(c.dep_ in ("advcl",) and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
               for c in cur.children):
            return False
        if cur.dep_ in ("ccomp", "parataxis") and key(cur.head) in FUTURE_REPORTING:
            return True
        if cur.dep_ in ("conj", "xcomp") and cur.head != cur:
            cur = cur.head
            continue
        return False
    return False


def unconditional(tok: Token) -> bool:
    """A "would" clause in a sentence with no condition or possibility word.

    News uses "would" mostly as the future of a reported plan ("Russia would also retaliate
    against ..."); with "if/unless/whether" or "could/might" in the sentence it stays hypothetical.
    """
    for t in tok.sent:
        if t.lower_ in CONDITION_WORDS or t.lemma_.lower() in DOUBT_VERBS:
            return False
    return tok.pos_ in ("VERB",) and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def modality(trigger: Token, verb: Token | None) -> tuple[str, str | None]:
    """(modality, cue word) for an event trigger."""
    cues = modality_cues()
    found: list[tuple[int, int, str, str]] = []  # (distance, order, kind, cue)
    path = chain(trigger, verb)
    for dist, tok in enumerate(path):
        k = key(tok)
        kids = list(tok.children)
        for c in kids:
            w = c.lower_
            if c.dep_ == "neg" or (c.dep_ == "advmod" and cues.has("negated", "advmod", w)):
                found.append((dist, 0, "negated", w))
            if c.dep_ in ("aux",) and c.tag_ == "MD":
                if cues.has("planned", "aux", w) or cues.has("planned", "aux", c.lemma_.lower()):
                    found.append((dist, 2, "planned", w))
                elif w in ("would", "'d") and (reported_future(tok) or unconditional(tok)):
                    found.append((dist, 2, "planned", w))  # "said it would impose": future in the past
                elif cues.has("hypothetical", "aux", w) or cues.has("hypothetical", "aux", c.lemma_.lower()):
                    found.append((dist, 1, "hypothetical", w))
            if c.dep_ == "det" and tok.pos_ in ("NOUN", "PROPN") and cues.has("negated", "det", w):
                found.append((dist, 0, "negated", w))
            if c.dep_ == "advmod":
                for kind in ("reported", "planned"):
                    if cues.has(kind, "advmod", w):
                        found.append((dist, _ORDER[kind], kind, w))
            if c.dep_ == "mark" and cues.has("hypothetical", "mark", w) and tok.pos_ in ("VERB", "AUX", "ADJ"):
                found.append((dist, 1, "hypothetical", w))
            if c.dep_ == "advcl" and tok.pos_ in ("VERB", "AUX") and any(
                    m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
                found.append((dist, 1, "hypothetical", "if"))  # the consequence of a condition
            if c.dep_ in ("amod", "compound") and tok.pos_ == "NOUN" and dist <= 1:
                lw = c.lemma_.lower()
                for kind in ("reported", "hypothetical", "planned"):
                    if cues.has(kind, "amod", w) or cues.has(kind, "amod", lw):
                        found.append((dist, _ORDER[kind], kind, w))
                        break
        if dist == 0 and tok.pos_ == "NOUN":
            # "a land attack to be considered", "a summit planned for May": a clause on the noun
            for c in kids:
                if c.dep_ in ("relcl", "acl") and c.pos_ in ("VERB", "AUX"):
                    ck = key(c)
                    for kind in ("hypothetical", "planned"):
                        if cues.has(kind, "gov", ck):
                            found.append((0.5, _ORDER[kind], kind, ck))
                            break
        if dist == 0 or (tok == verb and trigger.pos_ == "NOUN"):
            # an infinitive of purpose or intention ("departed ... to hold talks")
            if tok.dep_ in INFINITIVE_DEPS and any(c.dep_ == "aux" and c.lower_ == "to" for c in kids) \
                    and not (tok.dep_ == "acl" and tok.head.lemma_.lower() in ONGOING) \
                    and tok.lemma_.lower() not in STATES:
                found.append((dist + 0.5, 2, "planned", "to"))
            if dist == 0:
                continue
        if tok.ent_type_ in ("DATE", "TIME") or tok.pos_ in ("PROPN", "NUM"):
            continue  # "May 5" is a month, not a modal
        if cues.has("negated", "gov", k) and not (k in ("reject", "refuse", "decline") and dist > 2):
            found.append((dist, 0, "negated", k))
        if k in ENACTED_BY_ANNOUNCING and dist == 1 and trigger.pos_ == "NOUN" and trigger.dep_ in ("dobj", "obj") \
                and trigger.head == tok:
            continue  # "Beijing announced import duties": the measure is decided, not only planned
        if k in ("appear", "seem") and any(c.dep_ == "prep" and c.lower_ in ("in", "before", "at", "on") for c in kids):
            continue  # "appeared in court": a physical appearance, not "seemed"
        if k == "call" and not any((c.dep_ == "prep" and c.lower_ in ("for", "on", "upon")) or c.dep_ == "xcomp"
                                   for c in kids):
            continue  # "calling it a diversion from the campaign to invade": naming, not calling for
        for kind in ("hypothetical", "planned", "reported"):
            if cues.has(kind, "gov", k):
                found.append((dist, _ORDER[kind], kind, k))
                break
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ in ("ROOT",) and dist > 2:
            break
    if not found:
        return "asserted", None
    neg = [f for f in found if f[2] == "negated"]
    if neg:
        return "negated", neg[0][3]
    found.sort(key=lambda f: (f[0], f[1]))
    return found[0][2], found[0][3]


def cancelled(sent: Span) -> list[Token]:
    """Verbs that call off a plan named anaphorically ("Tokyo scrapped the plan")."""
    cues = modality_cues()
    out = []
    for tok in sent:
        if tok.pos_ != "VERB" or not cues.has("negated", "cancel", tok.lemma_.lower()):
            continue
        if tok.lemma_.lower() in ("call", "rule") and not any(c.dep_ == "prt" and c.lower_ in ("off", "out") for c in tok.children):
            continue
        if any(c.dep_ in ("dobj", "nsubjpass") and cues.has("negated", "plannoun", c.lemma_.lower()) for c in tok.children):
            out.append(tok)
    return out


def _speaker(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    return None


def attribution_token(trigger: Token) -> Token | None:
    """The head of the phrase naming who reports the event, innermost reporter first."""
    sent = trigger.sent
    cur = trigger
    for _ in range(10):
        if cur.head == cur:
            break
        child, cur = cur, cur.head
        if key(cur) in REPORTING and child.dep_ in ("ccomp", "parataxis", "advcl", "xcomp", "conj", "dobj"):
            s = _speaker(cur)
            if s is not None and s.i != trigger.i:
                return s
    root = sent.root
    for c in root.children:
        if c.dep_ in ("parataxis", "advcl", "ccomp", "conj") and key(c) in REPORTING and c.i > trigger.i:
            s = _speaker(c)
            if s is not None:
                return s
    for tok in sent:
        if tok.lower_ == "according" and tok.dep_ in ("prep",):
            for g in tok.children:
                if g.dep_ == "prep":
                    for h in g.children:
                        if h.dep_ == "pobj":
                            return h
                if g.dep_ == "pobj":
                    return g
    return None
