"""Integer counts stated for an event: "two ballistic missiles", "12 people", "24 years".

Money and percentages are not counts. Numbers come from digits ("2,000") and words
("twenty-four", "two dozen").
"""
from __future__ import annotations

import re

from spacy.tokens import Token

from ..models import Quantity
from .lexicon import word_map, words

_UNITS = {w: int(v) for w, v in word_map("NUMBER_WORDS").items()}
_SCALE = {w: int(v) for w, v in word_map("NUMBER_SCALES").items()}
_UNIT_NAMES = word_map("UNIT_NAMES")
_MONEY = words("MONEY")
_COMPOUND_UNITS = words("COMPOUND_UNITS")
_NOT_COUNTED = words("NOT_COUNTED")
_FILLERS = words("NUMBER_FILLERS")


def parse_int(words: list[str]) -> int | None:
    """Integer value of number words/digits; None when not a whole number."""
    total, cur, seen = 0, 0, False
    for raw in words:
        w = raw.lower().strip(",").replace(",", "")
        if not w or w in _FILLERS:
            continue
        for part in w.split("-"):
            if re.fullmatch(r"\d+", part):
                cur += int(part)
                seen = True
            elif re.fullmatch(r"\d+\.\d+", part):
                return None
            elif part in _SCALE and seen:
                cur = max(cur, 1) * _SCALE[part]
                if _SCALE[part] >= 1000:
                    total, cur = total + cur, 0
            elif part in _UNITS and part not in ("a", "an"):
                cur += _UNITS[part]
                seen = True
            elif part in ("a", "an"):
                continue
            else:
                return None
    return total + cur if seen else None


def _number_words(num: Token) -> list[Token]:
    toks = [num] + [c for c in num.children if c.dep_ in ("compound", "quantmod", "nummod", "cc", "conj")
                    and (c.like_num or c.lower_ in _UNITS or c.lower_ in _SCALE)]
    return sorted(toks, key=lambda t: t.i)


def quantity_of(noun: Token) -> Quantity | None:
    """Count stated on a noun ("two ballistic missiles"), or on a number used as a noun."""
    if noun.like_num or noun.pos_ == "NUM":
        words = _number_words(noun)
        val = parse_int([t.text for t in words])
        if val is None or any(t.lower_ in _MONEY for t in noun.subtree):
            return None
        return Quantity(text=noun.doc[words[0].i:words[-1].i + 1].text, value=val, unit=None)
    if noun.lower_ in _NOT_COUNTED or noun.lemma_.lower() in _NOT_COUNTED:
        return None
    for c in noun.children:
        if c.dep_ in ("nummod",) or (c.dep_ in ("amod", "compound") and c.like_num):
            words = _number_words(c)
            if any(t.lower_ in _MONEY or t.text in _MONEY for t in c.subtree) or any(
                    x.text in _MONEY for x in noun.children if x.dep_ in ("nmod", "quantmod")):
                return None
            val = parse_int([t.text for t in words])
            if val is None:
                continue
            lo = min(t.i for t in words)
            unit = _UNIT_NAMES.get(noun.lower_, _UNIT_NAMES.get(noun.lemma_.lower(), noun.lemma_.lower()))
            return Quantity(text=noun.doc[lo:noun.i + 1].text, value=val, unit=unit)
    # "a 30-year sentence", "a 30 year sentence": the count sits on a compound unit noun
    for c in noun.children:
        if c.dep_ in ("compound", "amod", "nmod") and c.i < noun.i and c.lemma_.lower() in _COMPOUND_UNITS:
            q = quantity_of(c)
            if q is not None:
                return Quantity(text=noun.doc[min(t.i for t in c.subtree):noun.i + 1].text, value=q.value,
                                unit=_UNIT_NAMES.get(c.lemma_.lower(), c.lemma_.lower()))
    # "hundreds of ...": not an integer count
    return None


def event_quantities(tokens: list[Token]) -> list[Quantity]:
    """Counts on the event's argument nouns (objects, subjects, 'to N years', 'of N pirates')."""
    out: list[Quantity] = []
    seen: set[int] = set()
    for tok in tokens:
        cands = [tok]
        # "24 years in prison" (to 24 years), "of 26 pirates", "killing three"
        cands += [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        for c in cands:
            if c.i in seen:
                continue
            seen.add(c.i)
            q = quantity_of(c)
            if q is not None and q.value is not None and not any(x.value == q.value and x.unit == q.unit for x in out):
                out.append(q)
    return out
