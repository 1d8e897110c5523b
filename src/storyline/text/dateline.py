"""Datelines and headlines: where a wire story says where (and when) it was filed.

Why here: cleaning copies the dateline to ``dateline``, annotation makes it end a sentence
and dedup compares bodies without it; a neutral module keeps those imports pointing down.
"""
from __future__ import annotations

import datetime as dt
import re


# Datelines (kept in the text, copied to ``dateline``)
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_PLACE = r"[A-Z][\w'’.\-]*(?:[ \-](?:[A-Z][\w'’.\-]*|de|del|da|al|el|of|on|upon|am|la|le|es))*"
_AGENCY = r"[A-Z][A-Za-z&.\- ]{1,30}"
_DATELINE_RES = [
    # "Seoul, Jan 29 (IANS) "   "LONDON, Jan 29 (Reuters) - "   "Paris, 3 March (AFP) —"
    re.compile(rf"^(?P<d>{_PLACE}(?:, {_PLACE})?,\s+(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?"
               rf"\s*\((?:{_AGENCY})\))\s*(?:[-–—:]+\s*)?"),
    # "SEOUL (AP) — "   "Kabul (AFP) - "
    re.compile(rf"^(?P<d>{_PLACE}(?:, {_PLACE})?\s*\((?:{_AGENCY})\))\s*(?:[-–—:]+\s*)?(?=\S)"),
    # "WASHINGTON — "  "LONDON, March 3 — "  "NEW DELHI: "
    re.compile(rf"^(?P<d>[A-Z][A-Z'’.\-]+(?:[ \-][A-Z][A-Z'’.\-]+)*(?:, [A-Z][\w.]+(?: [A-Z][\w.]+)?)?"
               rf"(?:,\s+(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?)?)\s*(?:[-–—]{{1,2}}|:)\s+(?=\S)"),
    # "Seoul, Jan 29: "  "New Delhi, Jan. 29 — "
    re.compile(rf"^(?P<d>{_PLACE},\s+(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?)\s*(?:[-–—:]+)\s+(?=\S)"),
    # "Seoul: "  "New Delhi: "
    re.compile(rf"^(?P<d>[A-Z][a-z'’.\-]+(?: [A-Z][a-z'’.\-]+){{0,2}}):\s+(?=[A-Z\"“‘'])"),
]
# Words that end like a dateline but are labels ("Update:", "Note:", "WATCH —").
_NOT_PLACE = {
    "update", "updated", "note", "editor", "editors", "editor's note", "watch", "read", "photo", "video",
    "also", "related", "breaking", "breaking news", "exclusive", "opinion", "analysis", "source", "sources",
    "by", "q", "a", "listen", "live", "warning", "summary", "highlights", "key points", "correction",
    "advertisement", "disclaimer", "comment", "comments", "question", "answer", "image", "file",
    "the", "this", "that", "it", "he", "she", "they", "we", "i", "you", "but", "and", "in", "on", "at",
    "meanwhile", "however", "today", "yesterday", "tomorrow", "now", "here", "there", "latest", "new",
    "more", "also read", "read more", "first", "second", "third", "finally", "step", "tip", "example",
}

def words(s: str) -> int:
    return len(s.split())


def is_headline(line: str) -> bool:
    """A short line without final sentence punctuation: looks like a headline."""
    s = line.strip()
    return 2 <= words(s) <= 30 and len(s) <= 250 and not re.search(r"[.!?;:,\"”’)]$", s)


def find_dateline(text: str) -> str | None:
    """The dateline opening the story (its first or, after a headline, second paragraph)."""
    paras = [p for p in text.lstrip().split("\n\n", 2)[:2] if p.strip()]
    for i, par in enumerate(paras):
        if i and not is_headline(paras[0]):
            break
        found = _dateline_at(par.strip()[:200])
        if found:
            return found
    return None


def _dateline_at(head: str) -> str | None:
    for rx in _DATELINE_RES:
        m = rx.match(head)
        if not m:
            continue
        d = m.group("d").strip()
        place = re.split(r"[,(:]", d)[0].strip().rstrip(".")
        if place.casefold() in _NOT_PLACE or words(place) > 5:
            continue
        # all-caps rule would accept an all-caps headline opener: require a short place
        return d
    return None


def page_date(value: str | None) -> dt.date | None:
    """A day from ISO text, if plausible for a news page (1990 to two days from now)."""
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    if not m:
        return None
    try:
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return day if dt.date(1990, 1, 1) <= day <= dt.date.today() + dt.timedelta(days=2) else None


_DATELINE_DATE = re.compile(rf"(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH}))"
                            r",?\s+(?P<y>(?:19|20)\d\d)\b")


def dateline_date(dateline: str) -> dt.date | None:
    """The date of a dateline that gives its year ("LONDON, Jan. 29, 2026 (Reuters)")."""
    m = _DATELINE_DATE.search(dateline)
    if not m:
        return None
    mon = (m["m1"] or m["m2"]).rstrip(".")[:3].lower()
    months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    try:
        return page_date(dt.date(int(m["y"]), months.index(mon) + 1, int(m["d1"] or m["d2"])).isoformat())
    except ValueError:
        return None
