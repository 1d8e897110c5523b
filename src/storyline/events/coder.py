"""The PLOVER 2.0 coder: triggers -> events with arguments, date, place, modality.

Steps per document: find triggers sentence by sentence (``triggers``), read arguments and
place off the parse (``arguments``), date from the time stage's ``event_date``, modality and
attribution (``modality``), counts (``quantities``); then the trained side ranker on every
draft (``_rank_drafts``, model decisions only); then the document-level passes of
``PASSES``, in order (each ``(ctx, drafts) -> None``): place targets, a date from the
purpose of a trip, co-referring event nouns ("the refueling", "the meeting") taking missing
slots from the nearest mention of the same kind, counterpart targets, doers across clauses,
the home country for generic domestic actors ("police", "the court"), domestic sides, the
story's setting as a fallback place, and future dates as plans.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from ..countries import country_code, country_name, igo_entry
from ..actors import context_of
from ..actors.context import HEAD_CHARS
from ..actors.lexicon import non_national
from ..models import Actor, Event, EventArg, Location, Place, Quantity, Timex
from ..places.recognize import DATELINE_TAIL
from ..time import event_date
from . import arguments as A
from .lexicon import (AT_SEA_TYPES, COUNTERPART_TYPES, DESTINATION_TYPES, DOMESTIC_TYPES, FAMILY, MATERIAL_TYPES,
                      PHYSICAL_TYPES, PLACE_TARGET_TYPES, REACTIVE_TYPES, SYMMETRIC_TYPES, THING_TARGET_TYPES, Entry,
                      agents, cameo_root, word_list, words)
from .modality import (PRESUPPOSING, attribution_token, cancelled, cue_features, evidence, modality, past_dated_plan,
                       reporting_speakers, speaker_phrase)
from .quantities import event_quantities
from .proposer import Proposals, TriggerModel, default_trigger_model
from .triggers import Trigger, find_triggers

MOTION = words("MOTION")

# ---------------------------------------------------------------- settings
# Per-rule numbers, named. All are hand-set: chosen by hand while writing each rule,
# never tuned by a search or fitted.

# sentence windows
GROUP_SIDES_WINDOW = 2  # "the two countries" looks back this many sentences for a two-country event
COREFERENCE_WINDOW = 3  # a co-referring event mention is at most this many sentences away
AGENT_DONOR_WINDOW = 2  # an agentless operation takes its doer from at most this many sentences back
DATELINE_TOKENS = 2  # a place within the first tokens of a sentence, before ":" or ",", is a dateline

# parse-tree climbs (hand-set upper bounds on how far a rule walks up the tree)
ACCUSED_MAX_STEPS = 4  # "accused X of (involvement in (the planning of)) the attack"
ENACTING_MAX_STEPS = 6  # from an event noun up to the verb that enacts it

SETTING_MIN_MENTIONS = 2  # a home city or sea area named this often is where the story is set

# lexicon weights (triggers.tsv, column weight)
WEAK_CUE_WEIGHT = 0.5  # below: a cue too weak to stand without an actor ("rules" decider)
STRONG_CUE_WEIGHT = 0.7  # at least: an actorless mention with its own place and time is kept
APPEAL_WEIGHT = 0.45  # a "should" appeal: a weak REQUEST cue

# the rule confidence of a candidate (docs/EVENTS.md, step 10): hand-set in the first coder
# (commit 54e970d), never fitted; the trained decider replaces it with its own score
CONF_NO_ACTOR = 0.2  # no side has a country or a named actor
CONF_BASE, CONF_PER_WEIGHT = 0.3, 0.3  # 0.3 + 0.3 x lexicon weight
CONF_SOURCE, CONF_SOURCE_FILLED = 0.12, 0.06  # a source country from the parse / from a document pass
CONF_TARGET, CONF_TARGET_FILLED = 0.08, 0.04
CONF_DATE = {"dependency": 0.1, "clause": 0.08, "sentence": 0.04, "inherited": 0.03}  # by how it was dated
CONF_NO_DATE = -0.05  # the publication-day fallback or no date
CONF_PLACE_ATTACHED, CONF_PLACE_OTHER = 0.05, 0.02  # a place under the trigger / elsewhere
CONF_MIN, CONF_MAX = 0.05, 0.97


@dataclass(frozen=True)
class EventDate:
    """When an event happened, and how that was found; copied whole between drafts.

    ``how``: "dependency", "clause", "sentence" (the time stage's ``event_date`` found a time
    expression governing the trigger), "inherited" (from another event), "fallback" (the
    publication day, precision "publication") or "none".
    """

    date: str | None = None
    end: str | None = None
    precision: str | None = None
    text: str | None = None
    how: str = "none"

    @property
    def own(self) -> bool:
        """Dated by a time expression of its own (not inherited, the fallback or none)."""
        return self.how not in ("fallback", "none", "inherited")

    def inherited(self) -> EventDate:
        """The same date, as another event takes it over."""
        return replace(self, how="inherited")


@dataclass
class Draft:
    """An event being built; turned into an ``Event`` at the end."""

    trig: Trigger
    sent: Span
    sent_index: int
    type: str
    mode: str | None
    cameo: str | None
    source: EventArg | None
    target: EventArg | None
    src_tok: Token | None
    tgt_tok: Token | None
    when: EventDate = field(default_factory=EventDate)
    location: Location | None = None
    loc_how: str = "none"
    destination: Location | None = None
    modality: str = "asserted"
    attribution: str | None = None
    speaker: EventArg | None = None  # the attribution as a mention (text, country)
    speaker_tok: Token | None = None  # ... and the token the attribution hangs on
    cues: dict[str, float] = field(default_factory=dict)  # modality cues (modality.cue_features)
    quantities: list[Quantity] = field(default_factory=list)
    filled: set[str] = field(default_factory=set)
    reciprocal: bool = False  # "A and B expelled each other's diplomats": also B -> A
    extra_sides: list = field(default_factory=list)  # more (source, target) pairs of one mention
    mentions: list[dict] | None = None  # the actor mentions the side ranker chooses from (side_mentions)
    rule_sides: dict | None = None  # the sides the parse rules chose, before the ranker and the passes
    ranked: dict = field(default_factory=dict)  # side -> (how, score) of a side the ranker chose

    # the date's fields, read-only (a date is changed whole: ``d.when = ...``)
    date = property(lambda self: self.when.date)
    date_end = property(lambda self: self.when.end)
    precision = property(lambda self: self.when.precision)
    date_text = property(lambda self: self.when.text)
    date_how = property(lambda self: self.when.how)

    @property
    def stem(self) -> str:
        tok = self.trig.noun if self.trig.noun is not None else self.trig.token
        return tok.lemma_.lower()[:4]

    @property
    def family(self) -> str:
        return FAMILY.get(self.type, self.type)


# ---------------------------------------------------------------- dates


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "AU": (9, 11), "WI": (12, 2)}


def interval(value: str | None) -> tuple[dt.date, dt.date, str] | None:
    """(first day, last day, precision) of a TIMEX3 date value; None if unresolved."""
    if not value or "X" in value:
        return None
    try:
        if m := re.match(r"^(\d{4})-(\d{2})-(\d{2})", value):
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return d, d, "day"
        if m := re.match(r"^(\d{4})-W(\d{2})", value):
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + dt.timedelta(days=6), "week"
        if m := re.match(r"^(\d{4})-(\d{2})$", value):
            y, mo = int(m[1]), int(m[2])
            return dt.date(y, mo, 1), _month_end(y, mo), "month"
        if m := re.match(r"^(\d{4})-Q([1-4])$", value):
            y, q = int(m[1]), int(m[2])
            return dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "month"
        if m := re.match(r"^(\d{4})-H([12])$", value):
            y, h = int(m[1]), int(m[2])
            return dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h), "month"
        if m := re.match(r"^(\d{4})-(SP|SU|FA|AU|WI)$", value):
            y, (a, b) = int(m[1]), _SEASONS[m[2]]
            return dt.date(y, a, 1), _month_end(y + (1 if b < a else 0), b), "season"
        if m := re.match(r"^(\d{4})$", value):
            y = int(m[1])
            return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
    except ValueError:
        return None
    return None


def _apply_timex(d: Draft, tx: Timex, how: str) -> bool:
    iv = interval(tx.value)
    if iv is None:
        return False
    first, last, prec = iv
    if tx.value_end:
        iv2 = interval(tx.value_end)
        if iv2 is not None and iv2[1] >= first:
            last = iv2[1]
    d.when = EventDate(first.isoformat(), last.isoformat() if last != first else None, prec, tx.text, how)
    return True


def _owned_by_other(doc: Doc, d: Draft, tx: Timex, others: list[Trigger]) -> bool:
    """The timex modifies another event of the sentence ("departed ... talks set for Friday")."""
    span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
    if span is None:
        return False
    for o in others:
        if o == d.trig:
            continue
        mine = d.trig.verb if d.trig.verb is not None else d.trig.token
        if o.token.i != d.trig.token.i and span.root in list(o.token.subtree) and o.token in list(mine.subtree):
            return True
    return False


def _date(doc: Doc, d: Draft, timexes: list[Timex], published: dt.date | None,
          others: list[Trigger] = ()) -> None:
    tried = []
    if timexes:
        for tok in [d.trig.token] + ([d.trig.verb] if d.trig.verb is not None and d.trig.verb != d.trig.token else []):
            tx, how = event_date(doc, tok.i, timexes, published)
            if tx is not None and _owned_by_other(doc, d, tx, others):
                continue
            if tx is not None:
                tried.append((0 if how == "dependency" else 1 if how == "clause" else 2, tx, how))
    tried.sort(key=lambda x: x[0])
    for _, tx, how in tried:
        if _apply_timex(d, tx, how):
            return
    if published is not None:
        # no time expression governs it: the publication day, marked as such (precision
        # "publication"); linking still uses it (measured on ECB+: better than no date)
        d.when = EventDate(published.isoformat(), None, "publication", None, "fallback")


# ---------------------------------------------------------------- arguments


def _modifier_country_toks(ctx: A.Context, noun: Token) -> list[tuple[str, Token]]:
    """Countries named in a noun's left modifiers, in order ("DPRK-US summit" -> PRK, USA)."""
    out: list[tuple[str, Token]] = []
    for c in noun.children:
        if c.i > noun.i or c.dep_ not in ("compound", "amod", "nmod", "npadvmod"):
            continue
        for t in c.subtree:
            parts = [t.text] if "-" not in t.text else t.text.split("-")
            for p in parts:
                code = country_code(p)
                if code and code not in [x for x, _ in out]:
                    out.append((code, t))
    return out


ACCUSING = words("ACCUSING")
# nouns between an accusing verb and the act it names ("accused X of involvement in the attack")
ROLE_NOUNS = words("ROLE_NOUNS")
# verbs whose subject carries out an event noun in their object ("proposed tariffs on ...",
# "announced duties on ...", "slapped sanctions on ..."): the noun takes that subject
ENACTING = words("ENACTING")


def accused_of(tok: Token) -> tuple[Token, Token] | None:
    """(accusing verb, accused) when ``tok`` names the act someone is accused of.

    "May blamed the Russian government for the attack", "Britain accuses Russia of
    involvement in the poisoning": the accused is the doer of the act, and the act is a
    claim (modality reported), not the accuser's deed.
    """
    cur = tok
    for _ in range(ACCUSED_MAX_STEPS):
        if cur.dep_ != "pobj" or cur.head.dep_ != "prep":
            return None
        prep, gov = cur.head, cur.head.head
        if gov.pos_ in ("VERB", "AUX") and gov.lemma_.lower() in ACCUSING:
            if gov.lemma_.lower() == "hold" and not any(c.lower_ == "responsible" for c in gov.children):
                return None
            objs = A.objects(gov) if not A.passive(gov) else [c for c in gov.children if c.dep_ == "nsubjpass"]
            if objs and prep.lower_ in ("for", "of", "over", "in", "with"):
                return gov, objs[0]
            return None
        if gov.pos_ == "NOUN" and gov.lemma_.lower() in ROLE_NOUNS or (gov.pos_ == "ADJ" and gov.lower_ == "responsible"):
            cur = gov
            continue
        return None
    return None


def governing_doer(ctx: A.Context, tok: Token) -> Token | None:
    """Subject of the verb that enacts an event noun ("Trump proposed slapping tariffs ...")."""
    cur = tok
    for _ in range(ENACTING_MAX_STEPS):
        head = cur.head
        if head == cur:
            return None
        if cur.dep_ in ("dobj", "obj", "pobj", "prep", "nsubjpass"):
            if head.pos_ in ("VERB",):
                if head.lemma_.lower() in ENACTING:
                    s = A.subject(head)
                    return s if s is not None and s.i != tok.i and A.actorish(ctx, s) else None
                return None
            cur = head
            continue
        if cur.dep_ in ("xcomp", "pcomp") and head.pos_ in ("VERB", "ADP"):
            cur = head
            continue
        return None
    return None


# event nouns whose possessor is the one it happens to ("his arrest", "Park's conviction")
PATIENT_NOUNS = words("PATIENT_NOUNS")
# light verbs whose subject undergoes the event their object names ("faces charges",
# "suffered an attack", "received aid")
UNDERGO = words("UNDERGO")
THING_PREPS = word_list("THING_PREPS")


def thing_country(ctx: A.Context, t: Trigger, src_country: str | None) -> str | None:
    """Country named inside the object or "on/with/against" phrase of a measure.

    Looks at the trigger noun's and the anchor verb's objects and prepositional objects and
    reads a country word anywhere in their noun-phrase subtree (no clauses): "goods from
    China", "Chinese goods", "U.S. products". The source's own country is skipped.
    """
    roots: list[Token] = []
    for head in [t.token] + ([t.verb] if t.verb is not None else []) + ([t.noun] if t.noun is not None else []):
        if head.pos_ in ("VERB", "AUX"):
            roots += [o for o in A.objects(head) if o.i != t.token.i]
        roots += [o for p, o in A.prep_objects(head, THING_PREPS)]
    for r in roots:
        toks = [x for x in r.subtree if not any(a.pos_ in ("VERB", "AUX") and a != r and a.i != r.i
                                                  for a in x.ancestors if a in r.subtree)]
        code = A._country_in(r.doc[min(x.i for x in toks):max(x.i for x in toks) + 1],
                             {x.i for x in r.subtree if x not in toks or x.lower_ in A.PRONOUNS})
        if code and code != src_country:
            return code
    return None


def _first_actorish(ctx: A.Context, toks: list[Token], skip: set[int]) -> Token | None:
    for t in toks:
        if t.i not in skip and A.actorish(ctx, t):
            return t
    return None


RECIPROCAL = re.compile(r"\b(?:each\s+other|one\s+another|the\s+other(?:'s|’s)?|the\s+others?(?:'|’)?)\b", re.I)


def _reciprocal_pair(t: Trigger, src_tok: Token | None) -> tuple[Token, Token] | None:
    """(A, B) when "A and B <verb> each other / the other's ...": the event runs both ways.

    Why: "Britain and Russia each expelled 23 of the other's diplomats" is two expulsions;
    coding only A -> B loses one and gives B's diplomats the wrong country.
    """
    if src_tok is None:
        return None
    conj = [c for c in src_tok.conjuncts if c.i > src_tok.i]
    if len(conj) != 1:
        return None
    anchor = t.verb if t.verb is not None else t.token
    words = " ".join(tok.text for tok in anchor.subtree if tok.i > anchor.i or tok.dep_ in ("dobj", "pobj"))
    return (src_tok, conj[0]) if RECIPROCAL.search(words) else None


GROUP_NOUNS = words("GROUP_NOUNS")
GROUP_WORDS = words("GROUP_WORDS")
DEFINITE = words("DEFINITE")  # "the meeting": refers back to an earlier mention


def _group_sides(d: Draft, src_tok: Token | None, drafts: list[Draft]) -> None:
    """"The two countries / both sides / each country" as the source: the two countries of
    the latest two-country event of this or the two previous sentences.

    A meeting or deal between them runs A -> B; "each ... the other's" runs both ways; an
    act of both on a third party ("the two leaders condemned X") is one event per side.
    """
    anchor = d.trig.verb if d.trig.verb is not None else d.trig.token
    if anchor.pos_ not in ("VERB", "AUX"):
        return  # an event noun's doer found further up the tree is too loose a link
    subj = A.subject(anchor)
    if subj is None or (src_tok is not None and subj.i != src_tok.i):
        return
    src_tok = subj
    if src_tok.lemma_.lower() not in GROUP_NOUNS or not any(
            c.lower_ in GROUP_WORDS and c.dep_ in ("det", "nummod", "predet", "amod", "preconj") for c in src_tok.children):
        return
    prev = next((p for p in reversed(drafts) if p.sent_index >= d.sent_index - GROUP_SIDES_WINDOW
                 and _country(p.source) and _country(p.target) and _country(p.source) != _country(p.target)), None)
    if prev is None:
        return
    # fresh sides with the two countries only: the earlier event's phrases ("the port city of
    # Yokosuka") are not who acts here, and later passes must not edit that event's sides
    a, b = (EventArg(text=country_name(_country(x)) or _country(x), country=_country(x)) for x in (prev.source, prev.target))
    each = any(c.lower_ == "each" for c in src_tok.children)
    own_target = _country(d.target) and _country(d.target) not in (_country(a), _country(b))
    if own_target:
        d.source, d.extra_sides = a, [(b, d.target)]
    elif d.type in SYMMETRIC_TYPES or d.reciprocal or each:
        d.source, d.target = a, b
        d.reciprocal = d.reciprocal or (each and d.type not in SYMMETRIC_TYPES)
    else:
        d.source, d.target, d.extra_sides = a, None, [(b, None)]


def _arguments(ctx: A.Context, t: Trigger) -> tuple[Token | None, Token | None, EventArg | None, EventArg | None]:
    tok, verb = t.token, t.verb
    if verb is not None and tok.pos_ == "NOUN" and verb.lemma_.lower() in PRESUPPOSING:
        verb = None  # "Hamas vowed to avenge the killing": the avenger did not kill
    src_tok = tgt_tok = None
    src_arg = tgt_arg = None
    cut = None  # where the doer's phrase ends when the victim's of-phrase hangs under it
    skip = {tok.i}
    accused = accused_of(tok) if tok.pos_ == "NOUN" else None
    if accused is not None:
        src_tok = accused[1]
    if tok.pos_ == "NOUN":
        poss = [c for c in tok.children if c.dep_ == "poss"]
        if poss and src_tok is None and tok.lemma_.lower() in PATIENT_NOUNS and t.entry.type in ("COERCE", "SANCTION", "RETREAT", "ASSAULT", "ACCUSE"):
            tgt_tok = poss[0]  # "his detention", "Park's conviction": the possessor undergoes it
        elif poss and src_tok is None:
            src_tok = poss[0]
        if src_tok is None and not poss:
            # "the killing by police of a 15-year-old boy": the doer in a by-phrase (the parser
            # often hangs the victim's of-phrase under the doer)
            by = _first_actorish(ctx, [o for _, o in A.prep_objects(tok, ("by",))], skip)
            of = [o for _, o in A.prep_objects(tok, ("of",))]
            if by is not None and not of:
                of = [o for _, o in A.prep_objects(by, ("of",))]
                cut = next((c for c in by.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            victim = _first_actorish(ctx, of, skip | {by.i}) if by is not None else None
            if victim is not None:
                # only with its victim: "an attack by pirates" alone names a kind of event
                # more often than one event
                src_tok, tgt_tok = by, victim
            else:
                cut = None
        between = A.prep_objects(tok, ("between",))
        if between:
            b = between[0][1]
            src_tok = b
            conj = list(b.conjuncts)
            if conj:
                tgt_tok = conj[0]
        if tgt_tok is None:
            preps = [o for p, o in A.prep_objects(tok, ("with", "against", "to", "between"))]
            tgt_tok = _first_actorish(ctx, preps, skip | ({src_tok.i} if src_tok is not None else set()))
        if src_tok is None and verb is None and tok.dep_ == "pobj" and tok.head.lower_ in ("for", "to") \
                and tok.head.head.pos_ in ("VERB", "AUX"):
            src_tok = A.subject(tok.head.head)  # "expected to visit Japan for talks with ..."
        mods = _modifier_country_toks(ctx, tok)
        if src_tok is None and mods and verb is None:
            src_arg = EventArg(text=mods[0][1].text, country=mods[0][0])
            if tgt_tok is None and len(mods) > 1:
                tgt_arg = EventArg(text=mods[1][1].text, country=mods[1][0])
        elif src_tok is None and mods and verb is not None and not A.subject(verb):
            src_arg = EventArg(text=mods[0][1].text, country=mods[0][0])
    anchor = verb if verb is not None else (tok if tok.pos_ in ("VERB", "ADJ") else None)
    if t.noun is not None and tgt_tok is None:
        # "forging an agreement with Japan", "provided refueling for Korean aircraft"
        preps = [o for p, o in A.prep_objects(t.noun, A.NOUN_TARGET_PREPS) if p != "of"]
        tgt_tok = _first_actorish(ctx, preps, skip)
    if anchor is not None:
        if src_tok is None and src_arg is None:
            src_tok = A.subject(anchor)
            if src_tok is not None and (src_tok.i == tok.i or not (
                    A.actorish(ctx, src_tok) or src_tok.lower_ in A.PRONOUNS
                    or A.resolve_span(ctx, A.phrase(src_tok), pronouns=False).agent)):
                src_tok = None  # "The clash reflects ...", "the violence was a blow to ..."
        if tgt_tok is None and tgt_arg is None:
            objs = [o for o in A.objects(anchor) if o.i not in skip]
            if A.passive(anchor) and objs and src_tok is None:
                tgt_tok = objs[0]
            else:
                tgt_tok = _first_actorish(ctx, objs, skip)
            if tgt_tok is None:
                tgt_tok = _first_actorish(ctx, [o for p, o in A.prep_objects(anchor, ("with", "against", "between"))], skip)
            if tgt_tok is None and src_tok is not None and t.entry.type in SYMMETRIC_TYPES:
                # "A and B held talks on the margins of X": the two parties of a symmetric event;
                # other events' conjoined subjects act together on a named target (below)
                conj = [c for c in src_tok.conjuncts if c.i > src_tok.i]
                if conj:
                    tgt_tok = conj[0]
            if tgt_tok is None:
                physical = t.entry.type in PHYSICAL_TYPES or t.entry.mode == "visit"
                preps = [o for p, o in A.prep_objects(anchor, A.TARGET_PREPS)
                         if not (p in ("toward", "towards") and t.entry.type == "MOBILIZE")
                         and (physical or p not in A.PLACE_PREPS or not A.is_place(ctx, o))]
                tgt_tok = _first_actorish(ctx, preps, skip | ({src_tok.i} if src_tok is not None else set()))
    if src_tok is None and src_arg is None and tok.pos_ == "NOUN" and verb is None:
        src_tok = governing_doer(ctx, tok)
    if tgt_tok is None and tgt_arg is None and tok.pos_ == "NOUN":
        preps = [o for p, o in A.prep_objects(tok, ("on", "for", "of", "over"))
                 if not (p == "of" and t.entry.type == "MOBILIZE")]
        tgt_tok = _first_actorish(ctx, preps, skip | ({src_tok.i} if src_tok is not None else set()))
    if tgt_tok is None and tgt_arg is None and anchor is not None and anchor.pos_ in ("VERB", "AUX"):
        # "vowed to fight the U.S.", "refused to recognise Kosovo": the complement's object
        for xc in anchor.children:
            if (xc.dep_ == "xcomp" or xc.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in xc.children)) \
                    and xc.pos_ in ("VERB", "AUX"):
                objs = [o for o in A.objects(xc) if o.i not in skip]
                objs += [o for p, o in A.prep_objects(xc, ("with", "against", "on", "to"))]
                tgt_tok = _first_actorish(ctx, objs, skip | ({src_tok.i} if src_tok is not None else set()))
                if tgt_tok is not None:
                    break
    if verb is not None and tok.pos_ == "NOUN" and verb.lemma_.lower() in UNDERGO and src_arg is None \
            and tgt_tok is None and tgt_arg is None and src_tok is not None and A.subject(verb) is not None \
            and A.subject(verb).i == src_tok.i:
        src_tok, tgt_tok = None, src_tok  # "Zuma faces corruption charges": he is the one charged
    if src_arg is None:
        src_arg = A.resolve(ctx, src_tok)
        if src_arg is not None and cut is not None and src_tok is not None:
            src_arg.text = ctx.doc[src_tok.left_edge.i:cut.i].text.rstrip(" ,")
    if tgt_arg is None:
        tgt_arg = A.resolve(ctx, tgt_tok)
    if (tgt_arg is None or not tgt_arg.country) and t.entry.type in THING_TARGET_TYPES:
        # "tariffs on Chinese goods", "duties on $50 billion of imports from China",
        # "limit cooperation with the US": the country of what the measure hits
        code = thing_country(ctx, t, _country(src_arg))
        if code:
            tgt_arg = EventArg(text=(tgt_arg.text if tgt_arg else ""), country=code)
    # "X and Y fought": the second conjunct is the target when no preposition or complement
    # names one ("X and Y voiced support for Z": Z)
    if src_tok is not None and tgt_arg is None:
        conj = [c for c in src_tok.conjuncts if c.i > src_tok.i]
        if conj:
            tgt_tok = conj[0]
            tgt_arg = A.resolve(ctx, tgt_tok)
    # reactions: "lodged a protest after North Korea launched ..." -> target PRK
    if (tgt_arg is None or not tgt_arg.country) and t.entry.type in REACTIVE_TYPES and anchor is not None:
        for c in anchor.children:
            if c.dep_ == "advcl" or (c.dep_ == "prep" and c.lower_ in ("over", "for", "after")):
                cand = A.subject(c) if c.dep_ == "advcl" else None
                if cand is None and c.dep_ == "prep":
                    pobj = A._pobj(c)
                    if pobj is not None:
                        cand = next((g for g in pobj.children if g.dep_ == "poss"), None)
                if cand is not None:
                    arg = A.resolve(ctx, cand)
                    if arg is not None and arg.country and (src_arg is None or arg.country != src_arg.country):
                        tgt_tok, tgt_arg = cand, arg
                        break
    return src_tok, tgt_tok, src_arg, tgt_arg


def _destination(ctx: A.Context, d: Draft, sent_places: list[Place]) -> None:
    """Where a launch or a strike went ("fired ... from near Pyongyang into the Sea of Japan"),
    kept beside the location when the text names both."""
    if d.type not in DESTINATION_TYPES:
        return
    t = d.trig
    anchors = [t.token] + ([t.verb] if t.verb is not None else [])
    blocked = {d.src_tok.i} if d.src_tok is not None else set()
    hit = A.attached_place(ctx, anchors, sent_places, True, blocked, only_dest=True)
    if hit is None:
        return
    dest = A.location_of(hit[0])
    if d.location is None:
        d.location, d.loc_how = dest, "destination"  # the only place the text gives
    elif (d.location.name, d.location.lat) != (dest.name, dest.lat):
        d.destination = dest


def _location(ctx: A.Context, d: Draft, sent_places: list[Place], others: list[Trigger] = ()) -> None:
    t = d.trig
    anchors = [t.token] + ([t.verb] if t.verb is not None else [])
    allow_dest = d.type == "CONSULT" and d.mode == "visit"
    anchor = t.verb if t.verb is not None else t.token
    if d.type == "CONSULT" and anchor.dep_ in ("advcl", "xcomp", "conj") and anchor.head.lemma_.lower() in MOTION:
        anchors.append(anchor.head)
        allow_dest = True
    blocked = set()
    for tk in (d.src_tok,):
        if tk is not None:
            blocked.add(tk.i)
    hit = A.attached_place(ctx, anchors, sent_places, allow_dest, blocked)
    what = [d.tgt_tok] if d.tgt_tok is not None else (A.objects(anchor) if anchor.pos_ in ("VERB", "AUX") else [])
    if hit is None and (d.type in PHYSICAL_TYPES or allow_dest) and what:
        # the target is a place: "Turkey shells Qamishli", "visit Japan", "departed for Yokosuka",
        # "to invade the Kurdish enclave of Afrin"
        spans = [A.phrase(w) for w in what]
        inside = [p for p in sent_places if p.lat is not None
                  and any(span.start_char <= p.start < span.end_char for span in spans)
                  and getattr(A.place_root(ctx.doc, p), "dep_", "") != "amod"]  # "a Syrian enclave" is no place of its own
        inside.sort(key=lambda p: (p.feature == "country", -p.start))
        if inside:
            hit = (inside[0], 1)
    if hit is not None:
        place = hit[0]
        if (place.feature or "") == "country" and place.country:
            # "In Washington, diplomats expelled from the United States ...": the city of the
            # sentence inside the attached country is the more precise place
            inner = [p for p in sent_places if p.lat is not None and p.country == place.country
                     and (p.feature or "") in SETTING_FEATURES and p.start != place.start
                     and not any(A.phrase(x).start_char <= p.start < A.phrase(x).end_char
                                 for x in (d.src_tok, d.tgt_tok) if x is not None)]
            cities = [p for p in inner if (p.feature or "") != "vicinity"] or inner
            if len({p.geonameid or p.name for p in cities}) == 1:
                place = cities[0]
        d.location, d.loc_how = A.location_of(place), "attached"
        return
    # a single place in the sentence, outside the actors' phrases
    spans = [A.phrase(x) for x in (d.src_tok, d.tgt_tok) if x is not None]
    free = []
    for p in sent_places:
        if p.lat is None or any(s.start_char <= p.start < s.end_char for s in spans) or p.feature == "country":
            continue
        r = A.place_root(ctx.doc, p)
        if r is not None and r.i - d.sent.start <= DATELINE_TOKENS and r.i + 1 < len(ctx.doc) and ctx.doc[r.i + 1].text in (":", ",", "(", "-", "—"):
            continue  # a dateline ("Seoul: ...", "BEIRUT (AP) ...")
        if r is not None and r.dep_ in ("poss", "compound", "amod", "nsubj", "nsubjpass", "dobj") and not A.is_place(ctx, r.head):
            continue  # "South Korea's Defence Minister": an affiliation, not where it happened
        if r is not None and r.dep_ == "pobj" and r.head.dep_ == "agent":
            continue  # "a charge denied by the Kremlin": an actor, not a place
        mine = d.trig.verb if d.trig.verb is not None else d.trig.token
        if r is not None and any(o.token.i != d.trig.token.i and r in list(o.anchor.subtree)
                                 and mine not in list(o.anchor.subtree) for o in others):
            continue  # it belongs to another event of the sentence
        free.append(p)
    names = {(p.geonameid or p.name) for p in free}
    if len(names) == 1:
        d.location, d.loc_how = A.location_of(free[0]), "sentence"


# ---------------------------------------------------------------- document context


# The document context (home and counterpart country, person -> country, the actor index) is
# the actors stage's record (storyline.actors.context), read once per document.


# ---------------------------------------------------------------- document passes


def _country(arg: EventArg | None) -> str | None:
    return arg.country if arg is not None else None


def _overlap(a: Draft, b: Draft) -> bool:
    if not a.date or not b.date:
        return False
    return a.date <= (b.date_end or b.date) and b.date <= (a.date_end or a.date)


def _date_from_purpose(ctx: A.Context, drafts: list[Draft]) -> None:
    """Reads each undated draft's verb and the dated event nouns of its sentence; writes the date.

    A trip dated only by its purpose: "visited Tokyo for ministerial talks in July 2024".

    An undated event takes the date of an event noun in a prepositional phrase hanging
    directly on its own verb (the talks it went for), when that noun has a date of its own.
    """
    for d in drafts:
        if d.date_how != "fallback":
            continue
        verb = d.trig.anchor
        for e in drafts:
            tok = e.trig.token
            if e is d or e.sent_index != d.sent_index or not e.when.own:
                continue
            if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head == verb and tok.pos_ == "NOUN":
                d.when = e.when.inherited()
                break


def _fill_coreferent(ctx: A.Context, drafts: list[Draft]) -> None:
    """Reads co-referring drafts within three sentences; writes missing sides, date and location.

    Event mentions without some slots take them from a co-referring mention nearby.

    Co-referring = same type family and same trigger stem ("the refueling" / "provided
    refueling"), or any CONSULT for a definite "the meeting"/"the talks", within three
    sentences. Arguments are copied role-consistently: a known target must match the
    donor's target for its source to be taken, and vice versa.
    """
    snap = [(d.source, d.target, d.when, d.location) for d in drafts]
    for i, d in enumerate(drafts):
        needs_src = not _country(d.source)
        needs_tgt = not _country(d.target)
        needs_date = d.date_how == "fallback"
        needs_loc = d.location is None
        if not (needs_src or needs_tgt or needs_date or needs_loc):
            continue
        definite = d.trig.token.pos_ == "NOUN" and any(c.lower_ in DEFINITE for c in d.trig.token.children)
        cands = []
        for j, e in enumerate(drafts):
            if i == j or e.family != d.family:
                continue
            gap = abs(e.sent_index - d.sent_index)
            if gap == 0 or gap > COREFERENCE_WINDOW:
                continue
            if not (e.stem == d.stem or (definite and d.type == "CONSULT")):
                continue
            cands.append(((gap, 0 if e.sent_index < d.sent_index else 1), j))
        for _, j in sorted(cands):
            e = drafts[j]
            e_src, e_tgt, e_when, e_loc = snap[j]
            s_c, t_c = _country(d.source), _country(d.target)
            if needs_src and needs_tgt and _country(e_src) and not s_c and not t_c:
                d.source, d.target = e_src, e_tgt
                d.filled |= {"source", "target"}
                needs_src = needs_tgt = False
            elif needs_src and t_c and _country(e_tgt) == t_c and _country(e_src) and _country(e_src) != t_c:
                d.source = e_src
                d.filled.add("source")
                needs_src = False
            elif needs_tgt and s_c and _country(e_src) == s_c and _country(e_tgt) and _country(e_tgt) != s_c:
                d.target = e_tgt
                d.filled.add("target")
                needs_tgt = False
            if needs_date and e_when.own:
                d.when = e.when.inherited()
                needs_date = False
            if needs_loc and e_loc is not None and (d.date_how in ("fallback", "inherited") or _overlap(d, e)):
                d.location, d.loc_how = e_loc, "inherited"
                needs_loc = False


def _home_fallback(ctx: A.Context, drafts: list[Draft]) -> None:
    """Reads ctx.home and each side's token; writes the home country on domestic or person sides."""
    if not ctx.home:
        return
    for d in drafts:
        for side in ("source", "target"):
            arg = getattr(d, side)
            if arg is None or arg.country:
                continue
            tok = d.src_tok if side == "source" else d.tgt_tok
            if tok is not None and tok.lower_ in A.RELATIVE and tok.head.dep_ in ("relcl", "acl"):
                tok = tok.head.head  # "Mukhtarli, who was sentenced"
            if tok is not None and non_national(tok):
                continue  # "foreigners", "Western diplomats": no one country's
            other, other_tok = (d.target, d.tgt_tok) if side == "source" else (d.source, d.src_tok)
            if other_tok is not None and other is not None and other.country == ctx.home and (
                    span := A.phrase(other_tok)) is not None and ctx.record.named_only_within(
                    ctx.home, span.start_char, span.end_char, ctx.places):
                # "the emir detained Jordan's interior minister": the document names the home country
                # only in the other side's phrase, so it is no default for this one (not one
                # country against itself)
                continue
            person = tok is not None and (tok.ent_type_ == "PERSON" or (
                tok.like_num and tok.ent_type_ not in ("MONEY", "PERCENT", "DATE", "TIME")
                and not any(c.dep_ == "prep" for c in tok.children)))  # "12 (were) arrested"
            # who is sentenced or arrested is a person, whatever the tagger made of the name
            judged = side == "target" and d.mode in ("convict", "arrest") and tok is not None \
                and tok.ent_type_ not in ("GPE", "LOC", "NORP", "FAC")
            if A.is_domestic(arg) or person or judged or (tok is not None and tok.lower_ not in A.PRONOUNS
                                                           and tok.ent_type_ not in ("NORP",)
                                                           and _personish(tok, arg, ctx.person_ids)):
                arg.country = ctx.home
                d.filled.add(side)


DOMESTIC_AGENTS = words("DOMESTIC_AGENTS")


def _domestic_sides(ctx: A.Context, drafts: list[Draft]) -> None:
    """Reads ctx.home, type, mode and sides; writes an unstated side as the home country.

    "Park was arrested" (no agent): the arresting authority is of the country of the
    arrested person when that is the document's home country; a protest or demand by home
    groups with no named addressee is addressed to their own government (docs-dev rule:
    domestic events carry the same code on both sides).
    """
    if not ctx.home:
        return
    for d in drafts:
        if d.type not in DOMESTIC_TYPES:
            continue
        s_c, t_c = _country(d.source), _country(d.target)
        if s_c is None and t_c == ctx.home and d.src_tok is None and d.type in ("COERCE", "SANCTION", "RETREAT", "ACCUSE") \
                and (_personish(d.tgt_tok, d.target, ctx.person_ids) or d.mode in ("convict", "arrest")):
            d.source = EventArg(text="", country=ctx.home)
            d.filled.add("source")
        elif t_c is None and s_c == ctx.home and d.tgt_tok is None and d.type in ("PROTEST", "REQUEST", "REJECT"):
            d.target = EventArg(text="", country=ctx.home)
            d.filled.add("target")
        elif d.type in ("REQUEST", "ACCUSE") and s_c is None and t_c == ctx.home and (
                d.source is None or not (d.source.actor_id or d.source.agent)):
            # "unrest prompted calls for the prime minister to stand down": the home public
            d.source = EventArg(text=d.source.text if d.source else "", country=ctx.home)
            d.filled.add("source")
        elif d.type == "AID" and s_c and s_c != ctx.home and t_c is None and d.tgt_tok is None:
            # "the EU and IMF aid" in a story set in Greece: the aid is for the home country
            d.target = EventArg(text="", country=ctx.home)
            d.filled.add("target")
        elif d.type == "PROTEST" and s_c is None and t_c in (None, ctx.home):
            # "riots erupted", "the strike grounded flights": home population against home government
            d.source = EventArg(text=d.source.text if d.source else "", country=ctx.home)
            d.filled.add("source")
            if t_c is None:
                d.target = EventArg(text="", country=ctx.home)
                d.filled.add("target")
        elif d.type in ("ASSAULT", "COERCE") and s_c == ctx.home and t_c is None and d.tgt_tok is None \
                and d.source is not None and (A.is_domestic(d.source) or (d.source.agent or "") in DOMESTIC_AGENTS):
            # "police fired tear gas", "riot police clashed": a home organ or group acting at home
            d.target = EventArg(text="", country=ctx.home)
            d.filled.add("target")


def _named(arg: EventArg | None) -> bool:
    """A named actor (actors stage) or a generic one with a sector ("rebels", "police"); country may be unknown."""
    return arg is not None and (bool(arg.name) and bool(arg.actor_id) or bool(arg.agent))


def _entity(tok: Token | None) -> bool:
    """A proper-name argument (person, organisation, place, nationality), resolved or not."""
    return tok is not None and tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")


def _personish(tok: Token | None, arg: EventArg | None, person_ids: set = frozenset()) -> bool:
    """A person or population group (not goods, places or measures)."""
    if tok is None:
        return False
    if tok.lower_ in A.RELATIVE and tok.head.dep_ in ("relcl", "acl"):
        tok = tok.head.head  # "Mukhtarli, who was sentenced"
    if tok.ent_type_ in ("PERSON", "NORP") or (arg is not None and A.is_domestic(arg)):
        return True
    if arg is not None and arg.actor_id and (arg.actor_id in person_ids or (
            tok.pos_ == "PROPN" and tok.ent_type_ not in ("GPE", "LOC", "FAC", "ORG"))):
        return True  # a named person the actors stage knows
    return tok.like_num or tok.lower_ in A.PRONOUNS or tok.lemma_.lower() in agents()


SETTING_FEATURES = words("SETTING_FEATURES")
WATER_FEATURES = words("WATER_FEATURES")


def _dateline_place(ctx: A.Context) -> Place | None:
    """The town of a wire dateline opening the text ("DAYTON, Ohio (AP) —")."""
    for p in ctx.places:
        if p.start >= HEAD_CHARS:
            break
        if p.lat is not None and (p.feature or "") in SETTING_FEATURES - {"vicinity"} \
                and DATELINE_TAIL.match(ctx.doc.text, p.end) and not ctx.doc.text[:p.start].strip(" \t\n\r").endswith((".", ",")):
            return p
    return None


def _setting(ctx: A.Context) -> tuple[Place | None, Place | None]:
    """(home city, sea area) where the document's story is set, if it names one clearly.

    Home city: the home-country town of a wire dateline, else the home-country city
    mentioned most (at least twice), else the only home city named. Sea area: a sea or gulf named at least twice (naval and piracy stories).
    """
    cities: Counter = Counter()
    first: dict = {}
    seas: Counter = Counter()
    for p in ctx.places:
        if p.lat is None:
            continue
        key = p.geonameid or p.name
        first.setdefault(key, p)
        if (p.feature or "") in WATER_FEATURES:
            seas[key] += 1
        elif ctx.home and p.country == ctx.home and (p.feature or "") in SETTING_FEATURES - {"vicinity"}:
            cities[key] += 1
    city = None
    if cities:
        (k1, n1), *rest = cities.most_common()
        if n1 >= SETTING_MIN_MENTIONS and (not rest or rest[0][1] < n1) or len(cities) == 1:
            city = first[k1]
    filed = _dateline_place(ctx)
    if filed is not None and ctx.home and filed.country == ctx.home:
        city = filed  # a wire story happens where it is filed from, unless a clause says otherwise
    sea = None
    if seas:
        k, n = seas.most_common(1)[0]
        if n >= SETTING_MIN_MENTIONS:
            sea = first[k]
    return city, sea


def _counterpart_targets(ctx: A.Context, drafts: list[Draft]) -> None:
    """Reads ctx.home and the document's country votes; writes the counterpart as a measure's target.

    In a two-country story, a home measure with no stated target is aimed at
    the other country ("Mexico should limit anti-terrorism cooperation" in a story about
    the US border deployment)."""
    other = ctx.counterpart
    if not ctx.home or not other:
        return
    for d in drafts:
        if d.type in COUNTERPART_TYPES and _country(d.source) == ctx.home and not _country(d.target) \
                and (d.tgt_tok is None or not A.actorish(ctx, d.tgt_tok)):
            d.target = EventArg(text=d.target.text if d.target else "", country=other)
            d.filled.add("target")


def _place_targets(ctx: A.Context, drafts: list[Draft]) -> None:
    """Reads type, sides and location; writes the target as the country where a physical act happened."""
    for d in drafts:
        own_forces = (d.type in ("RETREAT", "CONCEDE", "MOBILIZE") and d.target is not None
                      and d.target.country and d.target.country == _country(d.source)
                      and (d.target.agent or "") == "MIL")  # "withdraw its troops from Syria"
        if own_forces and d.location is not None and d.location.country and d.location.country != d.target.country \
                and d.type != "MOBILIZE":
            d.target = EventArg(text=d.target.text, country=d.location.country)
            d.filled.add("target")
            continue
        if d.type not in PLACE_TARGET_TYPES or _country(d.target) or d.location is None or d.loc_how == "document":
            continue
        loc_c = d.location.country
        if loc_c and _country(d.source) and loc_c != _country(d.source):
            d.target = EventArg(text=d.target.text if d.target else "", country=loc_c)
            d.filled.add("target")


def _future_is_planned(ctx: A.Context, drafts: list[Draft]) -> None:
    """Reads ctx.published and each date; writes modality planned for an asserted event dated
    after publication, asserted for a plan dated before it in the past tense (``past_dated_plan``)."""
    published = ctx.published
    if published is None:
        return
    for d in drafts:
        if not d.date or d.date_how not in ("dependency", "clause", "sentence"):
            continue
        if d.modality == "asserted" and d.date > published.isoformat():
            d.modality = "planned"
        elif d.modality == "planned" and past_dated_plan(d.cues, d.date, published.isoformat()):
            d.modality = "asserted"
            d.cues["past_dated_plan"] = 1.0


def _agentless(d: Draft) -> bool:
    """A passive trigger with no "by" agent ("the pirates would be handed over", "arms were seized")."""
    v = d.trig.verb if d.trig.verb is not None else d.trig.token
    return v.pos_ in ("VERB", "AUX") and A.passive(v) and not any(c.dep_ == "agent" for c in v.children)


EXPEL = words("EXPEL")


def _expelled_from(d: Draft) -> str | None:
    """"diplomats being expelled from the United States": the country expelling them."""
    v = d.trig.verb if d.trig.verb is not None else d.trig.token
    if v.lemma_.lower() not in EXPEL:
        return None
    for p, o in A.prep_objects(v, ("from",)):
        code = A._country_in(A.phrase(o))
        if code and code != _country(d.target):
            return code
    return None


def _agents_across_clauses(ctx: A.Context, drafts: list[Draft]) -> None:
    """Reads agentless material passives and earlier doers; writes the source (and an inherited date).

    Agentless passives of an operation take the doer of the operation reported just before.

    "The navy arrested 23 pirates ... The pirates would be handed over to the authorities":
    the handing over is the navy's. Only material events (arrests, seizures, strikes,
    deployments, handovers), the nearest earlier event with a source country, at most two
    sentences back, and not when that doer is the patient itself. MOBILIZE passives with no
    donor read the deployed unit as the one mobilising ("INS X, deployed on patrol ...").
    """
    for i, d in enumerate(drafts):
        if d.type not in MATERIAL_TYPES or _country(d.source) or not _agentless(d):
            continue
        donor, in_clause = None, False
        v = d.trig.verb if d.trig.verb is not None else d.trig.token
        # "Three people were killed when protesters threw petrol bombs": the doer of the
        # event in the when/as-clause
        for e in drafts:
            if e is not d and e.sent_index == d.sent_index and e.type in MATERIAL_TYPES and _country(e.source) \
                    and (e.trig.verb or e.trig.token).dep_ == "advcl" and (e.trig.verb or e.trig.token).head == v:
                donor, in_clause = e, True
                break
        for e in ([] if donor is not None else reversed(drafts[:i])):
            if d.sent_index - e.sent_index > AGENT_DONOR_WINDOW:
                break
            if e.type in MATERIAL_TYPES and _country(e.source) and "source" not in e.filled:
                donor = e
                break
        origin = _expelled_from(d)
        if origin:
            d.source = EventArg(text="", country=origin)
            d.filled.add("source")
            continue
        if donor is not None and (_country(donor.source) != _country(d.target) or d.type in ("COOPERATE", "RETREAT", "AID")
                                  or in_clause and (donor.source.text or "") != (d.target.text if d.target else "")):
            # a domestic clash named in its own when-clause keeps its doer ("Greeks ... threw")
            if in_clause and d.date_how in ("fallback", "none") and donor.date_how not in ("fallback", "none"):
                d.when = donor.when.inherited()
            d.source = donor.source
            d.filled.add("source")
        elif d.type == "MOBILIZE" and _country(d.target):
            d.source, d.target = d.target, None
            d.src_tok, d.tgt_tok = d.tgt_tok, None
            d.filled.add("source")


def _setting_fallback(ctx: A.Context, drafts: list[Draft]) -> None:
    """Reads the document's home city or sea area; writes it as the location of placeless events."""
    city, sea = _setting(ctx)
    for d in drafts:
        if d.location is not None:
            continue
        sides = {c for c in (_country(d.source), _country(d.target)) if c}
        if city is not None and sides and sides <= {ctx.home}:
            d.location, d.loc_how = A.location_of(city), "document"
        elif sea is not None and d.type in AT_SEA_TYPES and sides:
            d.location, d.loc_how = A.location_of(sea), "document"


def _concrete(d: Draft) -> bool:
    """An actorless mention that still reports a concrete happening: a strong trigger with its
    own place and time ("an attack in Kabul on Monday"). Kept at low confidence."""
    return d.trig.entry.weight >= STRONG_CUE_WEIGHT and d.loc_how == "attached" and d.date_how in ("dependency", "clause")


def _confidence(d: Draft) -> float:
    """The rules' confidence in a candidate, from the CONF_* settings (docs/EVENTS.md, step 10)."""
    if not _country(d.source) and not _country(d.target) and not (_named(d.source) or _named(d.target)):
        return CONF_NO_ACTOR  # no actor: a happening without who/whom
    c = CONF_BASE + CONF_PER_WEIGHT * d.trig.entry.weight
    if d.source is not None and d.source.country:
        c += CONF_SOURCE if "source" not in d.filled else CONF_SOURCE_FILLED
    if d.target is not None and d.target.country:
        c += CONF_TARGET if "target" not in d.filled else CONF_TARGET_FILLED
    c += CONF_DATE.get(d.date_how, CONF_NO_DATE)
    if d.location is not None:
        c += CONF_PLACE_ATTACHED if d.loc_how == "attached" else CONF_PLACE_OTHER
    return round(max(CONF_MIN, min(CONF_MAX, c)), 3)


FIRST_PERSON = words("FIRST_PERSON")
APPEAL = Entry(pos="V", lemma="should", conds=(), type="REQUEST", mode=None, cameo="10", weight=APPEAL_WEIGHT)
APPEAL_MODALS = words("APPEAL_MODALS")
NOT_ADDRESSEES = words("NOT_ADDRESSEES")  # subjects of a "should" clause that are no addressee


def _appeals(ctx: A.Context, sent: Span, trigs: list[Trigger]) -> list[tuple[Token, Token | None, Token | None]]:
    """Normative statements as appeals: "Azerbaijan should release ...", "all sides should work ..., Wang said".

    PLOVER codes a public call on a party to act as REQUEST (speaker -> addressee). The
    speaker is the reporting verb's subject (none when the text itself makes the call); the
    addressee is the subject of the "should" clause. "should have" (counterfactual) and
    questions are not appeals. Kept only when one side names a country.
    """
    out = []
    taken = {t.token.i for t in trigs if t.entry.type == "REQUEST"}
    for v in sent:
        if v.pos_ not in ("VERB", "AUX") or v.i in taken:
            continue
        kids = list(v.children)
        if not any(c.dep_ == "aux" and c.lower_ in APPEAL_MODALS for c in kids):
            continue
        if any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in kids) or sent.text.rstrip().endswith("?"):
            continue
        addressee = next((c for c in kids if c.dep_ == "nsubj"), None)
        if addressee is not None and addressee.lower_ in NOT_ADDRESSEES:
            continue
        speaker = attribution_token(v)
        src = A.resolve(ctx, speaker) if speaker is not None else None
        tgt = A.resolve(ctx, addressee) if addressee is not None else None
        if (src is None or not src.country) and (tgt is None or not tgt.country):
            continue
        if src is not None and tgt is not None and src.country and src.country == tgt.country and ctx.home != src.country:
            continue
        out.append((v, speaker, addressee))
    return out


def _event_id(doc_id: str, tok: Token, typ: str) -> str:
    raw = f"{doc_id}|{tok.idx}|{tok.idx + len(tok.text)}|{typ}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def _side_how(d: Draft, side: str, tok: Token | None, arg: EventArg | None) -> str:
    """How a side was found, for the explanation and the model: the parse relation that
    links the mention to the trigger, or the document-level pass that filled it."""
    if arg is None:
        return "none"
    if side in d.filled:
        return "document"
    if tok is None:
        return "other"
    anchor = d.trig.anchor
    if tok.head == anchor or tok.head == d.trig.token:
        return tok.dep_ or "dep"
    if tok.head.head in (anchor, d.trig.token):
        return f"{tok.head.dep_}>{tok.dep_}"
    return "far"


def _relation(d: Draft, tok: Token) -> str:
    """The parse relation of a mention to the trigger: 'nsubj', 'prep:by>pobj', 'far' ..."""
    anchors = (d.trig.anchor, d.trig.token)
    if tok.head in anchors and tok not in anchors:
        return tok.dep_
    if tok.head.head in anchors and tok.head not in anchors:
        prep = tok.head.lower_ if tok.head.dep_ in ("prep", "agent") else tok.head.dep_
        return f"{prep}>{tok.dep_}"
    if tok in anchors:
        return "self"
    return "far"


def _mention_token(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


CLAUSE_DEPS = ("relcl", "acl", "ccomp", "advcl", "parataxis", "xcomp", "csubj")
PATH_MAX_STEPS = 4  # longer climbs of the path between a mention and the trigger are one bin


def dependency_path(tok: Token, trig: Token) -> dict:
    """The parse path between a mention and the trigger, in short: steps up from the mention
    to their lowest common head and down to the trigger (capped), and whether the mention or
    the trigger sits in a clause of its own below that head ("Yokosuka, where the US 7th Fleet
    is based, to attend the talks": the fleet is in a relative clause)."""
    up = [tok, *tok.ancestors]
    down = [trig, *trig.ancestors]
    at = {t.i: k for k, t in enumerate(down)}
    n = next((k for k, t in enumerate(up) if t.i in at), None)
    if n is None:
        return {"up": None, "down": None, "clause": None, "relative": False}
    m = at[up[n].i]
    own = any(t.dep_ in CLAUSE_DEPS for t in up[:n])
    trig_own = any(t.dep_ in CLAUSE_DEPS for t in down[:m])
    return {"up": min(n, PATH_MAX_STEPS), "down": min(m, PATH_MAX_STEPS),
            "clause": f"{'c' if own else '-'}{'c' if trig_own else '-'}",
            "relative": any(t.dep_ == "relcl" for t in up[:n])}


def side_mentions(ctx: A.Context, d: Draft) -> list[dict]:
    """Every actor mention with a country in the candidate's sentence, with its relation to
    the trigger: the alternatives the argument ranker chooses each side from. The rules' own
    sides are there even without a country, and a side the rules left empty is there as an
    empty mention (rel "none"): the document passes may still fill either, and keeping the
    rules' side is one of the choices."""
    out: dict[tuple[int, str], dict] = {}
    sent, trig = d.sent, d.trig.token
    said = [A.phrase(t) for t in ([d.speaker_tok] if d.speaker_tok is not None else [])
            + reporting_speakers(sent, trig)]
    # the phrase of each side the rules chose: a possessor inside it ("the Air Force's team")
    # belongs to that side, not the other one
    within = {role: A.phrase(t) for role, t in (("source", d.src_tok), ("target", d.tgt_tok)) if t is not None}

    def add(tok: Token | None, arg: EventArg | None, kind: str | None, rule: str | None) -> None:
        if tok is None or arg is None or not (arg.country or rule):
            return
        key = (tok.i, arg.country)
        m = out.get(key)
        if m is None:
            m = out[key] = {"text": arg.text, "name": arg.name, "country": arg.country, "agent": arg.agent,
                            "actor_id": arg.actor_id, "kind": kind, "rel": _relation(d, tok),
                            "before": tok.i < trig.i, "distance": abs(tok.i - trig.i), "ent": tok.ent_type_ or "-",
                            "speaker": any(p.start <= tok.i < p.end for p in said), "i": tok.i, "rule": [],
                            "within": [r for r, p in within.items() if p.start <= tok.i < p.end],
                            **dependency_path(tok, trig)}
        if rule:
            m["rule"].append(rule)

    add(d.src_tok, d.source, None, "source")
    add(d.tgt_tok, d.target, None, "target")
    for role, arg in (("source", d.source), ("target", d.target)):
        if arg is not None and arg.country and not any(role in m["rule"] for m in out.values()):
            # a side a document-level pass filled (no token of this sentence): scored as such
            out[(-1, role)] = {"text": arg.text, "name": arg.name, "country": arg.country, "agent": arg.agent,
                               "actor_id": arg.actor_id, "kind": None, "rel": "document", "before": None,
                               "distance": 99, "ent": "-", "speaker": False, "rule": [role]}
    for role in ("source", "target"):
        if not any(role in m["rule"] for m in out.values()):
            out[(-2, role)] = {"text": "", "name": None, "country": None, "agent": None, "actor_id": None,
                               "kind": None, "rel": "none", "before": None, "distance": 99, "ent": "-",
                               "speaker": False, "rule": [role]}
    for a in ctx.actors:
        if not a.country:
            continue
        for mention in a.mentions:
            if sent.start_char <= mention.start < sent.end_char:
                tok = _mention_token(ctx.doc, mention.start, mention.end)
                if tok is not None and tok != trig:
                    add(tok, EventArg(mention.text, a.name, a.country, a.agent, a.id), a.kind, None)
    return list(out.values())


@dataclass
class SideChoice:
    """What the side ranker reads of a draft (``decide.rank_sides``) and writes back: its
    type, its two sides and the mentions to choose them from."""

    type: str
    source: EventArg | None
    target: EventArg | None
    explain: dict


def side_record(arg: EventArg | None) -> dict | None:
    """A side as the ranker's features read it (kept in ``explain`` for training)."""
    return None if arg is None else {"text": arg.text, "country": arg.country, "actor_id": arg.actor_id}


def _rank_drafts(ctx: A.Context, drafts: list[Draft], ranker) -> None:
    """Reads each draft's mentions; writes the sides the trained ranker prefers to the rules'.

    Runs before the document passes, so that the passes (the home country for generic
    sides, the setting as a fallback place, co-reference) see the final sides. Drafts whose
    sides a rule paired on purpose (reciprocal, group sides) are left alone."""
    from .decide import rank_sides

    for d in drafts:
        if not d.mentions or d.reciprocal or d.extra_sides:
            continue
        view = SideChoice(d.type, d.source, d.target, {"rule_type": d.type, "mentions": d.mentions,
                                                       "trigger_pos": d.trig.token.pos_})
        for role, (m, score) in rank_sides(view, ranker).items():
            tok = ctx.doc[m["i"]] if m.get("i") is not None else None
            if role == "source":
                d.source, d.src_tok = view.source, tok
            else:
                d.target, d.tgt_tok = view.target, tok
            d.filled.discard(role)
            d.ranked[role] = (f"ranker:{m.get('rel')}", round(score, 3))


def explain(d: Draft, n_in_sentence: int, actorless: bool) -> dict:
    """Why the rules proposed this event: the lexicon row, the parse relation of each side,
    the cues; the decision model reads it and adds its score (see docs/EVENTS.md)."""
    tok = d.trig.token
    entry = d.trig.entry
    return {
        "rule": "appeal" if "appeal" in d.filled else f"{entry.source}:{entry.lemma}/{entry.pos}",
        "proposer": "trigger_model" if entry.source == "model" else "rules",
        "rule_type": d.type,
        "rule_weight": entry.weight,
        "trigger_start": tok.idx,
        "trigger_end": tok.idx + len(tok.text),
        "trigger_pos": tok.pos_,
        "trigger_dep": tok.dep_,
        "light_verb": d.trig.verb.lemma_.lower() if d.trig.verb is not None and d.trig.verb != tok else None,
        "source_how": d.ranked["source"][0] if "source" in d.ranked else _side_how(d, "source", d.src_tok, d.source),
        "target_how": d.ranked["target"][0] if "target" in d.ranked else _side_how(d, "target", d.tgt_tok, d.target),
        **{f"{side}_score": d.ranked[side][1] for side in ("source", "target") if side in d.ranked},
        "date_how": d.date_how,
        "place_how": d.loc_how,
        "sentence_index": d.sent_index,
        "candidates_in_sentence": n_in_sentence,
        "actorless": actorless,
        "modality_rule": d.modality,
        "rule_sides": d.rule_sides,
        "grouped": bool(d.reciprocal or d.extra_sides),
        **({"attribution_text": d.speaker.text, "attribution_country": d.speaker.country,
            "attribution_is_source": _speaker_is_source(d)} if d.speaker else {}),
    }


def proposer_evidence(proposals: Proposals | None, tok: Token) -> dict:
    """What the trained proposer says of the trigger word: its score and three best types for
    the user, the whole distribution for the keep/type model (dropped from the output)."""
    dist = proposals.distribution(tok) if proposals is not None else None
    if dist is None:
        return {}
    ranked = sorted(((p, lab) for lab, p in dist.items() if lab != "NONE"), reverse=True)
    return {"trigger_model": {"score": round(1.0 - dist.get("NONE", 0.0), 3),
                              "types": {lab: round(p, 3) for p, lab in ranked[:3]}},
            "trigger_model_p": {lab: round(p, 4) for lab, p in dist.items()}}


def _speaker_is_source(d: Draft) -> bool:
    """The speaker is the event's own source ("X accused Y …, X said", "Police said they made
    86 arrests"). The speech act already names who, so the modality step drops such an
    attribution, except for a denial or a claim ("Minsk denies it jammed the signals")."""
    sp, src = d.speaker, d.source
    if sp is None or src is None:
        return False
    if sp.actor_id and sp.actor_id == src.actor_id or sp.name and sp.name == src.name:
        return True
    words = lambda a: set(re.findall(r"\w+", (a.text or "").lower())) - {"the", "a", "an", "of"}  # noqa: E731
    return bool(words(sp) & words(src))


def modality_evidence(ctx: A.Context, d: Draft) -> dict[str, float]:
    """The cues the modality classifier reads: the parse cues, the rule's answer, the date
    against publication."""
    return evidence(d.cues, d.modality, d.date, ctx.published.isoformat() if ctx.published else None, d.date_how,
                    d.type)


# The document-level passes, run in this order after every sentence has its drafts. Each is
# ``(ctx, drafts) -> None`` and edits the drafts in place; the order matters (a place target
# is read before co-reference copies sides, the home fallback before the domestic sides).
PASSES: tuple[tuple[str, Callable[[A.Context, list[Draft]], None]], ...] = (
    ("place_targets", _place_targets),
    ("date_from_purpose", _date_from_purpose),
    ("fill_coreferent", _fill_coreferent),
    ("counterpart_targets", _counterpart_targets),
    ("agents_across_clauses", _agents_across_clauses),
    ("home_fallback", _home_fallback),
    ("domestic_sides", _domestic_sides),
    ("setting_fallback", _setting_fallback),
    ("future_is_planned", _future_is_planned),
)


def extract_events(doc: Doc, doc_id: str, published: dt.date | None, timexes: list[Timex],
                   places: list[Place], actors: list[Actor], decide: str = "model",
                   modality_decide: str = "model", proposer: TriggerModel | bool = True,
                   sides: object = True) -> list[Event]:
    """PLOVER 2.0 events of a parsed document (see docs/EVENTS.md).

    ``decide``: ``"model"`` (default) — the rules propose candidates and the trained model
    keeps, drops or retypes them; ``"rules"`` — the hand-written filter alone (the coder
    before the model); ``"candidates"`` — every candidate, unfiltered (training data).
    ``modality_decide``: ``"model"`` (default) — the trained modality classifier reads the
    rule cues (``modality_model``; the rules' answer when no model ships); ``"rules"`` — the
    cue rules alone. ``proposer``: the trained trigger proposer (``True``: the shipped one, if any;
    ``False``: none); its words join the rules' candidates unless ``decide`` is ``"rules"``.
    ``sides``: the side ranker (a ``decide.SideRanker``; ``True``: the shipped one when
    ``decide`` is ``"model"``; ``False``: none), run before the document passes.
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    if actors is None:
        actors = []
    record = context_of(doc, places, actors)  # the actors stage's record of this document
    ctx = A.Context(doc, places or [], actors, record, published=published)
    ctx.person_ids = {a.id for a in ctx.actors if getattr(a, "kind", None) == "person"}
    drafts: list[Draft] = []
    if proposer is True:
        proposer = default_trigger_model()
    proposals = Proposals(proposer, doc, actors) if proposer and decide != "rules" else None
    for si, sent in enumerate(doc.sents):
        trigs = find_triggers(sent)
        if proposals is not None:
            trigs = proposals.extend(sent, trigs)
        appeals = _appeals(ctx, sent, trigs)
        if not trigs and not appeals:
            continue
        cancels = cancelled(sent)
        sent_places = [p for p in ctx.places if sent.start_char <= p.start < sent.end_char]
        for t in trigs:
            src_tok, tgt_tok, src, tgt = _arguments(ctx, t)
            pair = _reciprocal_pair(t, src_tok)
            if pair is not None:
                src_tok, tgt_tok = pair
                src, tgt = A.resolve(ctx, src_tok), A.resolve(ctx, tgt_tok)
            mode = t.entry.mode
            d = Draft(t, sent, si, t.entry.type, mode, t.entry.cameo or cameo_root(t.entry.type, mode),
                      src, tgt, src_tok, tgt_tok)
            d.reciprocal = pair is not None
            _group_sides(d, src_tok, drafts)
            d.modality, _ = modality(t.token, t.verb)
            d.cues = cue_features(t.token, t.verb)
            if t.token.pos_ == "NOUN" and accused_of(t.token) is not None:
                d.cues["accused_of"] = 1.0
            if d.modality == "asserted" and t.token.pos_ == "NOUN" and accused_of(t.token) is not None:
                d.modality = "reported"  # the act someone is blamed for is a claim
            if d.modality == "planned" and any(c != t.token and c != t.verb and t.token not in list(c.subtree)
                                               for c in cancels):
                d.modality = "negated"
                d.cues["cancelled_plan"] = 1.0  # "…, but Tokyo scrapped the plan"
            _date(doc, d, timexes or [], published, trigs)
            _location(ctx, d, sent_places, trigs)
            _destination(ctx, d, sent_places)
            who = attribution_token(t.token)
            if who is not None:
                arg = A.resolve(ctx, who)
                text = arg.text if who.pos_ == "PRON" else speaker_phrase(who).text  # the title with its name
                d.attribution = (arg.name or re.sub(r"^(the|a|an)\s+", "", text, flags=re.I)) if arg else None
                d.speaker, d.speaker_tok = arg, who
                if src_tok is not None and src_tok.lower_ in FIRST_PERSON and not _country(d.source) \
                        and arg is not None and arg.country:
                    d.source, d.src_tok = arg, who  # "'I'll say no,' the governor said": the speaker
            qtoks = ([t.token] if t.token.pos_ == "NOUN" else [])
            anchor = t.verb if t.verb is not None else t.token
            qtoks += A.objects(anchor) if anchor.pos_ in ("VERB", "AUX") else []
            qtoks += [o for _, o in A.prep_objects(t.token, ("of", "to"))]
            if anchor != t.token:
                qtoks += [o for _, o in A.prep_objects(anchor, ("to", "of"))]
            if src_tok is not None:
                qtoks.append(src_tok)
            if d.type in ("REQUEST", "THREATEN", "AGREE", "REJECT") and anchor.pos_ in ("VERB", "AUX"):
                # "asked for a 30-year sentence", "demanded that X receive 30 years"
                qtoks += [o for _, o in A.prep_objects(anchor, ("for",))]
                for sub in anchor.subtree:
                    if sub != anchor and sub.pos_ in ("VERB", "AUX") and sub.dep_ in ("xcomp", "ccomp", "advcl", "pcomp") \
                            and sub.head.i in (anchor.i,) + tuple(o.i for _, o in A.prep_objects(anchor, ("for",))) \
                            or sub.dep_ == "advcl" and sub.head == anchor:
                        qtoks += A.objects(sub)
                for _, o in A.prep_objects(anchor, ("for",)):
                    for sub in o.children:
                        if sub.pos_ in ("VERB", "AUX"):
                            qtoks += A.objects(sub)
            d.quantities = event_quantities(qtoks)
            drafts.append(d)
        for v, speaker, addressee in appeals:
            t = Trigger(v, APPEAL, v)
            src, tgt = A.resolve(ctx, speaker), A.resolve(ctx, addressee)
            d = Draft(t, sent, si, "REQUEST", None, APPEAL.cameo, src, tgt, speaker, addressee)
            d.filled.add("appeal")
            _date(doc, d, timexes or [], published, trigs)
            _location(ctx, d, sent_places, trigs)
            _destination(ctx, d, sent_places)
            if speaker is not None and src is not None:
                d.attribution = src.name or re.sub(r"^(the|a|an)\s+", "", src.text, flags=re.I)
                d.speaker, d.speaker_tok = src, speaker
            drafts.append(d)
    if decide != "rules":
        for d in drafts:
            d.mentions = side_mentions(ctx, d)
            d.rule_sides = {"source": side_record(d.source), "target": side_record(d.target)}
        if sides is True:
            from .decide import default_ranker

            sides = default_ranker() if decide == "model" else None
        if sides:
            _rank_drafts(ctx, drafts, sides)
    for _name, run in PASSES:
        run(ctx, drafts)
    events: list[Event] = []
    seen: set[tuple] = set()
    by_tok = {(d.trig.token.i, d.type): d for d in drafts}
    inner: set[int] = set()
    for d in drafts:
        tok = d.trig.token
        outer = by_tok.get((tok.head.i, d.type))
        if tok.dep_ in ("xcomp", "ccomp") and outer is not None and tok.head.lemma_.lower() in A.OBJECT_CONTROL:
            # "ordered the party to disband": one coercion, coded on the order
            inner.add(id(d))
            if not outer.when.own and d.when.own:
                outer.when = d.when
    per_sentence = Counter(d.sent_index for d in drafts if id(d) not in inner)
    for d in drafts:
        if id(d) in inner:
            continue
        actorless = not _country(d.source) and not _country(d.target) and (
            d.trig.entry.weight < WEAK_CUE_WEIGHT or not (_named(d.source) or _named(d.target) or _entity(d.src_tok)
                                              or _entity(d.tgt_tok) or _concrete(d)))
        if actorless and decide == "rules":
            continue  # no actor at all (or a weak cue): background, not a codable event
        key = (d.trig.token.i, d.type)
        if key in seen:
            continue
        seen.add(key)
        tok = d.trig.token
        mentions = d.mentions
        sides = [(d.source, d.target, d.type)]
        if d.reciprocal:
            sides.append((d.target, d.source, d.type + ":reciprocal"))
        sides += [(src, tgt, f"{d.type}:side{k}") for k, (src, tgt) in enumerate(d.extra_sides)]
        for source, target, key_type in sides:
            events.append(Event(
                event_id=_event_id(doc_id, tok, key_type), type=d.type, mode=d.mode, cameo=d.cameo,
                source=source, target=target, date=d.date, date_end=d.date_end,
                date_precision=d.precision if d.date else None, date_text=d.date_text,
                location=d.location, destination=d.destination, modality=d.modality,
                attribution=d.attribution,
                quantities=d.quantities, sentence=d.sent.text, start=d.sent.start_char, end=d.sent.end_char,
                confidence=_confidence(d), trigger=tok.text,
                explain=dict(explain(d, per_sentence[d.sent_index], actorless),
                             mentions=mentions, variant=key_type != d.type, modality_cues=modality_evidence(ctx, d),
                             **proposer_evidence(proposals, tok)),
            ))
    events = _merge_same_sentence(events)
    if decide == "model":
        from .decide import decide_events

        events = decide_events(events)
    if decide != "candidates":
        from .modality_model import decide_modality

        events = decide_modality(events, use_model=modality_decide == "model")
        link_country_sides(events, actors)  # training reads the sides as the model sees them at run time
    return events


def link_country_sides(events: list[Event], actors: list[Actor]) -> None:
    """A side known only by its country ("Tokyo", "a Japanese air base", an implied home side;
    no agent other than GOV) is that country's state actor (or the organisation of an IGO code): one node per state in
    the network and the actors table. The document's own state actor is used when it has one,
    else the state actor is added to ``actors``."""
    from ..actors import country_actor

    by_code = {a.country: a for a in actors if a.kind == "state" and a.country}
    by_code.update({a.country: a for a in actors if a.kind == "organisation" and a.agent in ("IGO", "JUD", "LEG")
                    and a.country and a.country not in by_code and igo_entry(a.country) is not None})
    groups: dict[tuple, Actor] = {}
    for e in events:
        for arg in (e.source, e.target):
            if arg is None or arg.actor_id or not arg.country:
                continue
            if arg.agent not in (None, "GOV"):
                # a group with its own agent ("protesters", "troops") is not the state: its head
                # noun and country are one node ("people" of USA, CVL) in the document
                actor = _group_actor(arg, groups)
                if actor is not None:
                    actors.append(actor)
                    arg.actor_id, arg.name = actor.id, arg.name or actor.name
                continue
            actor = by_code.get(arg.country)
            if actor is None:
                actor = country_actor(arg.country)
                if actor is None:
                    continue
                by_code[arg.country] = actor
                actors.append(actor)
            arg.actor_id, arg.name = actor.id, arg.name or actor.name


def _group_actor(arg: EventArg, seen: dict[tuple, Actor]) -> Actor | None:
    """The node of a side that is a group with a country but no actor of the actors stage: one
    per head noun, country and agent (a phrase that is not a short head noun gets none). Returns
    the actor only the first time (it is then already in the document's actors)."""
    from ..actors import actor_id

    words = (arg.text or "").split()
    if words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    if not words or len(words) > 3 or not all(w.isalpha() for w in words):
        return None
    name = " ".join(words)
    key = (name.lower(), arg.country, arg.agent)
    if key in seen:
        arg.actor_id, arg.name = seen[key].id, arg.name or seen[key].name
        return None
    seen[key] = Actor(id=actor_id("organisation", name, arg.country), name=name[:1].upper() + name[1:],
                      country=arg.country, agent=arg.agent, kind="organisation", aliases=[arg.text])
    return seen[key]


def _merge_same_sentence(events: list[Event]) -> list[Event]:
    """One event per sentence, type, sides, modality and date.

    "met ... and held talks", "convicted and sentenced": several triggers of one sentence
    that agree on everything coded are one event; the most confident mention is kept and
    takes the others' counts and place.
    """
    groups: dict[tuple, list[Event]] = {}
    order: list[tuple] = []
    for e in events:
        sc = e.source.country if e.source else None
        tc = e.target.country if e.target else None
        if not sc and not tc:
            key = ("single", e.event_id)
        else:
            key = (e.start, e.type, sc, tc, e.modality, e.date, e.date_end)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(e)
    out: list[Event] = []
    for key in order:
        group = groups[key]
        if len(group) == 1:
            out.append(group[0])
            continue
        base = max(group, key=lambda e: e.confidence)
        for e in group:
            if e is base:
                continue
            if base.location is not None and e.location is not None and \
                    (base.location.name, base.location.country) != (e.location.name, e.location.country):
                out.append(e)  # "fired on Qamishli ... the campaign to invade Afrin": two places, two events
                continue
            for q in e.quantities:
                if all(q.value != x.value for x in base.quantities):
                    base.quantities.append(q)
            if base.location is None and e.location is not None:
                base.location = e.location
        out.append(base)
    out.sort(key=lambda e: (e.start, events.index(e)))
    return out
