"""Tense of the clause that governs a time expression, read from the dependency parse.

Why: "Friday" means last Friday in "talks were held on Friday" and next Friday in "talks
set for Friday"; "November" is the last November in a past-tense sentence. The answer is
"past", "future", "present" or None (no verb found).
"""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

# verbs whose participle/infinitive complement points to the future ("set for Friday",
# "expected to visit", "plans to meet")
FUTURE_VERBS = {
    "expect", "plan", "schedule", "set", "slate", "due", "intend", "aim", "hope", "prepare",
    "propose", "want", "seek", "arrange", "anticipate", "agree", "promise", "vow", "pledge",
    "threaten", "decide", "forecast", "project", "predict", "wish", "try", "attempt", "likely",
    "poise", "go", "begin", "start", "continue", "need", "have", "able", "ready", "reschedule",
    "postpone", "delay", "move", "announce", "call", "suppose",
}
# verbs of intention and arrangement: what they govern lies ahead of the report even when
# the verb itself is in the past ("planned to leave Thursday", "which is expected in May")
INTENT_VERBS = {"plan", "schedule", "intend", "expect", "aim", "prepare", "arrange", "set", "slate", "due",
                "suppose"}
# an infinitive on these nouns says what an ongoing operation does, not what lies ahead
CAMPAIGN_NOUNS = {"campaign", "offensive", "operation", "push", "drive", "assault", "crackdown", "onslaught",
                  "incursion", "war", "effort", "bid"}
MODAL_FUTURE = {"will", "shall", "'ll", "wo", "would", "could", "might", "may", "should", "must", "can", "'d"}
# a preposition right before the expression that points forward ("until Tuesday")
FUTURE_PREPS = {"until", "till", "by"}
TEMPORAL_HEADS = {"for", "on", "in", "by", "until", "till", "before", "after", "at", "from", "since", "during"}


def span_at(doc: Doc, start: int, end: int) -> Span | None:
    """The token span covering the characters [start, end) (expanded to token borders)."""
    return doc.char_span(start, end, alignment_mode="expand")


def governing_verb(tok: Token, max_up: int = 8) -> Token | None:
    """First verb/auxiliary above ``tok`` in the parse (the clause the expression modifies)."""
    cur = tok
    for _ in range(max_up):
        if cur.head is cur:
            return cur if cur.pos_ in ("VERB", "AUX") else None
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return cur
    return None


# journeys whose purpose clause lies ahead of them: "departed on Thursday ... to hold talks on Friday"
TRAVEL_VERBS = {"depart", "leave", "travel", "fly", "head", "go", "come", "arrive", "set", "sail", "return"}


def verb_tense(v: Token, depth: int = 0) -> str | None:
    """Tense of a verb from its tag, auxiliaries and (for infinitives) its governor."""
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass", "neg")]
    lowers = {a.lower_ for a in auxes}
    lemmas = {a.lemma_.lower() for a in auxes}
    if "had" in lowers:
        return "past"
    if lowers & {"will", "shall", "'ll", "wo"} or lemmas & {"will", "shall"}:
        return "future"
    if lowers & MODAL_FUTURE or v.lower_ in MODAL_FUTURE:
        if lemmas & {"have"} or "have" in lowers:
            return "past"  # "could have left on Friday"
        if lowers & {"would", "'d"} and "not" not in lowers and "n't" not in lowers:
            return "would"  # future in the past: "said he would travel Thursday"
        return "modal"
    if any(a.lower_ == "going" for a in auxes):
        return "future"
    # "set for Friday", "scheduled for", "due to", "expected to"
    if v.lemma_.lower() in FUTURE_VERBS and v.tag_ in ("VBN", "JJ", "VBZ", "VBP", "VBG"):
        if v.lemma_.lower() not in ("have", "go", "begin", "start", "continue", "announce", "call", "move", "agree",
                                    "decide"):
            looks_ahead = any(ch.lower_ in ("for", "to") or ch.dep_ == "xcomp" for ch in v.children) \
                or (v.i + 1 < len(v.doc) and v.doc[v.i + 1].lower_ in ("for", "to"))
            if looks_ahead:
                if v.dep_ in ("acomp", "xcomp", "attr") and v.head is not v and depth < 3:
                    if verb_tense(v.head, depth + 1) == "past" and any(
                            a.lower_ == "had" for a in v.head.children):
                        return "past"  # "had been due to expire Friday"
                return "future"
    if "to" in lowers and v.tag_ == "VBN":
        return "future"  # "to be published in early November"
    if "to" in lowers and v.tag_ == "VB" and v.dep_ == "advcl" and v.head is not v \
            and v.head.lemma_.lower() in TRAVEL_VERBS and verb_tense(v.head, depth + 1) == "past":
        return "would"  # the purpose of a journey already made is still ahead of it
    if "to" in lowers and v.tag_ == "VB" and depth < 3:
        head = v.head
        if head is not v and head.pos_ in ("VERB", "AUX", "ADJ"):
            if head.lemma_.lower() == "be" and head.tag_ in ("VBZ", "VBP"):
                return "future"  # "is to resume trading Tuesday"
            if head.lemma_.lower() in FUTURE_VERBS or head.lower_ in ("going", "about", "due", "likely", "set"):
                t = verb_tense(head, depth + 1)
                if t == "past" and head.lemma_.lower() in INTENT_VERBS \
                        and (head.tag_ == "VBD" or any(a.lower_ == "did" for a in head.children)) \
                        and not any(a.lower_ == "had" for a in head.children):
                    return "future"  # "planned to leave on Thursday": a reported plan, still ahead
                return "future" if t in (None, "present", "future", "modal", "would") else t
            return verb_tense(head, depth + 1)
        if head is not v and head.lemma_.lower() in CAMPAIGN_NOUNS:
            gov = governing_verb(head)  # "pressed on with the campaign to invade Afrin on Tuesday"
            if gov is not None:
                return verb_tense(gov, depth + 1)
        return "future"
    if lemmas & {"have"} and (v.tag_ == "VBN" or v.tag_ == "VBG" and "been" in lowers):
        if any(a.tag_ == "VBD" for a in auxes if a.lemma_.lower() == "have"):
            return "past"
        return "past"  # present perfect: the event is in the past
    if v.tag_ == "VBD":
        return "past"
    if any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if v.tag_ == "VBN":
        if any(a.tag_ in ("VBZ", "VBP") and a.lemma_.lower() == "be" for a in auxes):
            # present passive: "which is expected in December", "is scheduled for May"
            return "future" if v.lemma_.lower() in INTENT_VERBS else "present"
        if v.dep_ in ("acl", "relcl", "amod") or not auxes:
            return "past"
        return "present"
    if v.tag_ == "VBG" and lemmas & {"be"}:
        return "future" if any(a.tag_ in ("VBZ", "VBP") for a in auxes) else "past"  # "is meeting Friday"
    if v.tag_ in ("VBZ", "VBP", "VBG"):
        if v.tag_ == "VBG" and v.dep_ in ("advcl", "acl", "pcomp") and not auxes:
            return verb_tense(v.head, depth + 1) if depth < 3 and v.head is not v else None
        return "present"
    if v.tag_ == "VB" and depth < 3 and v.head is not v:
        return verb_tense(v.head, depth + 1)
    return None


def tense_at(doc: Doc, start: int, end: int) -> str | None:
    """Tense of the clause governing the expression at characters [start, end)."""
    span = span_at(doc, start, end)
    if span is None or len(span) == 0:
        return None
    root = span.root
    first = span[0]
    if first.i > 0:
        prev = first.doc[first.i - 1]
        if prev.lower_ == "since":
            return "past"
        if prev.lower_ in ("effective", "starting", "beginning") or (
                prev.lower_ == "as" and first.i > 1 and first.doc[first.i - 2].lower_ in ("soon", "early")):
            return "future"
        if prev.lower_ in ("until", "till"):
            v = governing_verb(root)
            had = v is not None and any(a.lower_ == "had" for a in v.children)
            return "past" if had else "future"
    cur = root
    for _ in range(4):  # "since (shortly after) the Oct. 23 slaying"
        if cur.head is cur or cur.dep_ not in ("pobj", "nmod", "compound", "nummod", "npadvmod", "amod", "prep",
                                               "poss", "appos"):
            break
        cur = cur.head
        if cur.lower_ == "since":
            return "past"
    v = governing_verb(root)
    if v is None:
        # nominal sentence ("talks set for Friday" parsed as a noun phrase)
        for t in span.sent:
            if t.pos_ in ("VERB", "AUX"):
                v = t
                break
        if v is None:
            return None
    return verb_tense(v)


REPORTING_VERBS = {"say", "tell", "report", "announce", "state", "confirm", "add", "disclose", "reveal", "claim",
                   "note", "quote", "cite", "deny", "accord", "insist", "warn", "argue", "believe", "think",
                   "know", "show", "suggest", "indicate", "acknowledge", "admit", "write", "have", "remain",
                   "seem", "appear"}


def scheduled_present(doc: Doc, start: int, end: int) -> bool:
    """True for a simple-present action verb governing the expression ("meets Monday").

    News uses the simple present with a weekday for what is scheduled; reporting and
    state verbs ("says Monday", "is") are excluded.
    """
    span = span_at(doc, start, end)
    if span is None or len(span) == 0:
        return False
    root = span.root
    if root.dep_ == "poss":
        return False  # "follows Tuesday's declaration": the declaration exists already
    v = governing_verb(root)
    if v is None or v.tag_ not in ("VBZ", "VBP") or v.lemma_.lower() in REPORTING_VERBS:
        return False
    if v.lower_ == v.lemma_.lower() + "ed" or v.lower_ in ("fell", "rose", "met", "said", "won", "lost"):
        return False  # a past form mis-tagged as present
    if any(t.tag_ == "VBD" for t in v.sent):
        return False  # a past-tense story sentence: "hurt" is more likely past
    return not any(c.dep_ in ("aux", "auxpass") for c in v.children)


def sentence_of(doc: Doc, start: int, end: int) -> Span | None:
    span = span_at(doc, start, end)
    return span.sent if span is not None and len(span) else None
