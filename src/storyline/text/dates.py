"""Dates in plain text: calendar helpers, a story's head timestamp and the day in a URL.

Why here and not in the time stage: cleaning (the URL date of a page), annotation (a
head timestamp ends a sentence) and the time stage all read these; a neutral module below
every stage keeps imports pointing down (docs/ARCHITECTURE.md).
"""
from __future__ import annotations

import datetime as dt
import re

from .datescan import Candidate, scan
from .datewords import MONTHS, WEEKDAYS


def month_of(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


def weekday_of(word: str) -> int | None:
    return WEEKDAYS.get(word.lower().rstrip("."))


def day_of(word: str) -> int:
    return int(re.sub(r"\D", "", word))


def year_of(word: str, pub: dt.date | None) -> tuple[int, float]:
    """Year from '1998' or "'98" (two digits: the century nearest the publication)."""
    w = word.strip("'")
    if len(w) == 4:
        return int(w), 1.0
    y = int(w)
    base = (pub.year if pub else 2000)
    cands = [c * 100 + y for c in (base // 100 - 1, base // 100, base // 100 + 1)]
    return min(cands, key=lambda c: abs(c - base)), 0.7


def safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None



# ---------------------------------------------------------------- the byline date of a story's head

HEAD_CHARS = 400  # title, byline and timestamp come before the story proper
_CLOCK = re.compile(r"\b\d{1,2}\s?[:.]\s?\d{2}(?:\s?[:.]\s?\d{2})?"
                    r"(?:\s*(?:[ap]\.?\s?m\b\.?|gmt|utc|bst|cet|cest|[ecmp][sd]t\b|et\b)(?:\s?[+-]\s?\d{1,2}(?:\s?:\s?\d{2})?)?)*",
                    re.I)
_STAMP_WORD = re.compile(r"(?:published|posted|updated|last\s+updated|date|dated|first\s+published|modified)"
                         r"\s*(?::|on|at)?\s*(?:[a-z]{3,9}\.?,?\s*)?$", re.I)
_NUM_DATE = re.compile(r"(?<![\w/.-])(?P<a>\d{1,2})\s?(?P<sep>[/.])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?(?P<y>\d{4}|\d{2})(?![\w/])")
_ISO_DATE = re.compile(r"(?<![\w/.-])(?P<y>(?:19|20)\d{2})\s?-\s?(?P<m>\d{2})\s?-\s?(?P<d>\d{2})(?![\w/-])")
_NOT_BEFORE = re.compile(r"\b(?:on|in|since|by|until|till|from|of|before|after|through|to|and|between)\s*$", re.I)


def _numeric_dates(text: str) -> list[tuple[int, int, dt.date]]:
    """"11/30/09", "16/08/2011", "2013-09-26" (also with the spaces of tokenised text)."""
    out = []
    for m in _ISO_DATE.finditer(text):
        d = safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if d:
            out.append((m.start(), m.end(), d))
    for m in _NUM_DATE.finditer(text):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        y = y + (2000 if y < 70 else 1900) if y < 100 else y
        # month first as in US bylines, unless the first number cannot be a month
        d = safe_date(y, a, b) if a <= 12 else safe_date(y, b, a)
        if d is None and m["sep"] == ".":
            d = safe_date(y, b, a)  # "16.08.2011"
        if d:
            out.append((m.start(), m.end(), d))
    return out


_GAP = re.compile(r"[\s,|–—-]*(?:at\s+)?", re.I)
_UPDATED = re.compile(r"\s*[|/•·,-]?\s*(?:last\s+)?(?:updated|modified)\b[^\n]{0,40}?", re.I)


def _updated_end(text: str, end: int) -> int:
    """Past an "Updated: <date> <time>" that follows the first timestamp."""
    m = _UPDATED.match(text, end)
    if m:
        clock = _CLOCK.search(text, m.end(), m.end() + 40)
        if clock:
            return clock.end()
    return end


_URL = re.compile(r"https?://\S+", re.I)
_URL_YMD = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<sep>[/_.-]?)(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?!\d)")
_URL_YMONTHD = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<mon>[a-z]{3,9})/(?P<d>[0-3]?\d)(?:/|$)", re.I)


def url_date(url: str) -> dt.date | None:
    """The date in a story's URL path ("/2018/04/05/", "-2018-04-06-", "/20180405/", "/2009/apr/28/").

    Why: a news URL carries its publication day more often than the text does; a bare
    year-month path ("/2018/04/") is not a day and gives nothing.
    """
    path = re.sub(r"^[a-z]+://[^/]+", "", url.strip(), flags=re.I)
    for m in _URL_YMONTHD.finditer(path):
        mon = month_of(m["mon"])
        d = safe_date(int(m["y"]), mon, int(m["d"])) if mon else None
        if d:
            return d
    for m in _URL_YMD.finditer(path):
        if not m["sep"] and (len(m["m"]) != 2 or len(m["d"]) != 2):
            continue  # "2018412" is not a date
        d = safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if d:
            return d
    return None


def head_stamp(text: str, cands: list[Candidate] | None = None) -> tuple[dt.date, int] | None:
    """The timestamp of a story's head ("Posted: 05/02/07, 9:00 PM", "Tuesday, August 7, 2012")
    and the offset where it ends (after its clock time, if any).

    Why: pasted and crawled stories keep their byline line; its date with a year is the
    publication date, while dates further on belong to events. In order: a date in the head
    with a clock time or a "Published/Updated" word next to it; the date in a URL of the
    head ("LINK: https://site/2018/04/05/story"); a date standing alone between headline
    and story (no preposition or verb leads into it). Dates of the lead sentence ("On July
    26, 2005, police ...") do not count.
    """
    head = text[:HEAD_CHARS]
    found: list[tuple[int, int, dt.date]] = _numeric_dates(head)
    for c in cands if cands is not None else scan(head):
        if c.start >= HEAD_CHARS or c.rule not in ("mdy", "dmy") or not c.groups.get("y"):
            continue
        y, _ = year_of(c.groups["y"], None)
        d = safe_date(y, month_of(c.groups["mon"]), day_of(c.groups["d"]))
        if d:
            found.append((c.start, c.end, d))
    found.sort()
    alone = None
    for start, end, d in found:
        before, after = head[max(0, start - 40):start], text[end:end + 30]
        gap = _GAP.match(after)
        clock = _CLOCK.match(after, gap.end())
        if clock:
            return d, _updated_end(text, end + clock.end())
        if _STAMP_WORD.search(before) or _CLOCK.search(before[-22:]):
            return d, _updated_end(text, end)
        if alone is not None or _NOT_BEFORE.search(before) or before.rstrip().endswith(","):
            continue
        nxt = after.lstrip(" |-–—")
        if nxt[:1].isupper() or nxt[:1] in ("\n", "") or after[:1] == "\n":
            alone = d, end  # "... in Watergate July 28, 2004 Fred LaRue, a close aide ..."
    for m in _URL.finditer(head):
        d = url_date(m.group())
        if d is not None:
            return d, m.end()
    return alone


def header_date(text: str, cands: list[Candidate] | None = None) -> dt.date | None:
    """The publication date a story's head states (see ``head_stamp``)."""
    stamp = head_stamp(text, cands)
    return stamp[0] if stamp else None
