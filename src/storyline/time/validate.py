"""Reject rule matches that are not time expressions, using case and the spaCy parse.

Why: the rules match case-insensitively, so "may" (the verb), "march" (the verb), "fall"
(the verb), "August Busch" (a name) and "2000 troops" (a count) would otherwise come out
as dates. These checks are local (they need no other timex) and run before overlaps are
resolved, so a rejected long match does not hide a good shorter one.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from ..text.datescan import Candidate
from .tense import span_at

_PREP_BEFORE = re.compile(
    r"(?:\b(?:in|since|until|till|by|of|during|through|from|to|last|this|next|early|late|mid|before|after"
    r"|between|and|or|on|for|each|every|throughout|into|as\s+of|starting|beginning|ending|end|late|around)"
    r"|[,(])\s*$", re.I)
_NAME_BEFORE = re.compile(r"\b(?:No|Flight|Route|Room|Article|Section|page|Resolution|Highway|Interstate|Model"
                          r"|Boeing|Airbus|number|Suite|Box|PO|Fortune|S&P|Dow|index|at|Nasdaq)\.?\s*$", re.I)
_COUNT_NOUNS_OK = {"level", "levels", "figure", "figures", "result", "results", "price", "prices", "rate", "rates",
                   "sale", "sales", "earnings", "election", "elections", "game", "games", "olympics", "standard",
                   "standards", "term", "terms", "census", "budget", "budgets", "season", "seasons", "model",
                   "models", "period", "quarter", "quarters", "half", "campaign", "campaigns", "war", "summit",
                   "cup", "crisis", "agreement", "accord", "law", "act", "deadline", "dollars", "elections",
                   "harvest", "contract", "contracts", "target", "targets", "deal", "edition", "ones", "issue",
                   "issues", "report", "reports", "estimate", "estimates", "forecast", "forecasts", "plan",
                   "plans", "goal", "goals", "total", "totals", "version", "versions", "amendments"}
_BARE_MONTH_RISKY = {"may", "march", "jan", "mar", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                     "feb", "apr"}


def _cap(raw: dict, key: str) -> bool:
    v = raw.get(key)
    return v is None or v[:1].isupper()


def valid(c: Candidate, doc: Doc, text: str | None = None) -> bool:
    """False when the match is a false friend (verb, name, count, lower-case month).

    ``text`` is ``doc.text`` (pass it: spaCy rebuilds the string on every access).
    """
    raw = c.groups.get("_raw", {})
    if text is None:
        text = doc.text
    for key in ("mon", "mon2", "wd", "wdpl"):
        if key == "wd" and raw.get(key, "").lower() in ("today", "yesterday", "tomorrow"):
            continue  # "noon yesterday", "10 p.m. today"
        if not _cap(raw, key):
            return False
    if c.rule in ("month", "mdy", "dmy", "md_range", "dm_range"):
        mon = c.groups.get("mon", "")
        bare = c.rule == "month" and not any(c.groups.get(k) for k in ("mod", "rel", "y", "yrel"))
        if bare:
            key = mon.rstrip(".")
            if key in _BARE_MONTH_RISKY and not _PREP_BEFORE.search(text[max(0, c.start - 12):c.start]):
                return False
            if mon.endswith(".") is False and len(key) <= 4 and key not in ("may", "june", "july"):
                return False  # "Jan" without its full stop is a name, not a month
            span = span_at(doc, c.start, c.end)
            if span is not None and len(span):
                tok = span[0]
                if tok.pos_ in ("VERB", "AUX") or tok.tag_ == "MD" or tok.ent_type_ in ("PERSON", "ORG"):
                    return False
                # "August Busch", "June Carter": a capitalised word right after
                nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
                if nxt is not None and nxt.is_title and nxt.pos_ == "PROPN" and nxt.ent_type_ == "PERSON":
                    return False
    if c.rule == "season":
        g = c.groups
        if not (g.get("rel") or g.get("y") or g.get("mod") or g.get("mod2")):
            if not _PREP_BEFORE.search(text[max(0, c.start - 12):c.start]):
                return False
        if g.get("rel") == "the" and not g.get("y") and re.match(r"\s+of\b", text[c.end:c.end + 4]):
            return False
        span = span_at(doc, c.start, c.end)
        if span is not None and len(span) and span[-1].pos_ == "VERB":
            return False
    if c.rule == "year":
        if re.match(r"\s*(?:%|percent|per\s+cent|-\w)", text[c.end:c.end + 9], re.I):
            return False
        if _NAME_BEFORE.search(text[max(0, c.start - 12):c.start]) and not c.groups.get("mod"):
            return False
        span = span_at(doc, c.start, c.end)
        if span is not None and len(span):
            tok = span[-1]
            if tok.dep_ == "nummod" and tok.head.i > tok.i and tok.head.pos_ == "NOUN" \
                    and tok.head.lower_ not in _COUNT_NOUNS_OK and tok.head.tag_ == "NNS":
                return False
            if tok.i > 0 and doc[tok.i - 1].lower_ in ("$", "us$", "£", "€", "¥") :
                return False
    if c.rule == "weekday":
        span = span_at(doc, c.start, c.end)
        if span is not None and len(span):
            tok = [t for t in span if t.lower_.rstrip(".") in ("monday", "tuesday", "wednesday", "thursday",
                                                               "friday", "saturday", "sunday", "mon", "tue",
                                                               "tues", "wed", "thu", "thurs", "fri", "sat", "sun")]
            if tok and tok[0].ent_type_ in ("PERSON", "ORG", "WORK_OF_ART") and tok[0].lower_ != tok[0].text.lower():
                return False
    if c.rule == "ref":
        ref = c.groups.get("ref", "")
        if re.match(r"-", text[c.end:c.end + 1]):
            return False
        if ref == "current":
            nxt = text[c.end:c.end + 25].lower()
            if re.match(r"\s+(?:account|accounts|affairs|events|president|chairman|members?|owners?|holders?|"
                        r"shareholders|law|laws|system|rules|regulations|policy|policies|version|issue|flow|"
                        r"market|rate|price|prices|level|levels|situation|administration|government|management|"
                        r"debt|one|ones|assets|liabilities|crisis|conflict|state|status|form)\b", nxt):
                return False
    return True
