"""Normalise recognised expressions to TIMEX3 values against the publication date.

Why: the value of "Friday", "last month", "the previous day" depends on the
publication date, the tense of the clause and dates already mentioned in the text.
Each rule of :mod:`recognize` has one function here; all return a ``Timex`` or None
(None = the match is not a time expression after all). Nothing here raises on bad
input: an impossible date keeps its text with a best-guess value and low confidence.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable

from spacy.tokens import Doc

from ..models import Timex
from ..text.dates import day_of, month_of, safe_date, weekday_of, year_of
from ..text.datescan import Candidate
from ..text.datewords import MONTH as MONTH_RX
from ..text.datewords import MONTHS, NUMBER_WORDS, ORDINALS, PARTS_OF_DAY, SEASONS, UNITS, VAGUE_NUMBERS, WEEKDAYS
from .tense import scheduled_present, tense_at


@dataclass
class Ctx:
    """What a rule may look at: the document, its publication date, earlier timexes."""

    doc: Doc
    pub: dt.date | None
    text: str = ""  # doc.text, cached (spaCy rebuilds it on each access)
    history: list[Timex] = field(default_factory=list)
    quarters: list = field(default_factory=list)  # (start, year, q) of quarters named by ordinal
    _tense: dict = field(default_factory=dict)

    def tense(self, c: Candidate) -> str | None:
        key = (c.start, c.end)
        if key not in self._tense:
            self._tense[key] = tense_at(self.doc, c.start, c.end)
        return self._tense[key]

    def last_day(self, before: int, tense: str | None = None) -> Timex | None:
        """Most recent day-precision date mentioned before ``before`` (a text anchor).

        A date after the publication date cannot anchor a past-tense "the previous day".
        """
        for t in reversed(self.history):
            if t.start >= before or t.type not in ("DATE", "TIME") or not t.value:
                continue
            if t.precision not in ("day", "time") or not re.match(r"\d{4}-\d\d-\d\d", t.value):
                continue
            if t.text.lower() in ("overnight", "tonight"):
                continue  # a part of the publication day by default, not a narrative anchor
            if tense == "past" and self.pub and t.value[:10] > self.pub.isoformat():
                continue
            return t
        return None

    def last_with(self, before: int, precisions: tuple, window: int | None = None) -> Timex | None:
        for t in reversed(self.history):
            if t.start >= before or not t.value or t.type != "DATE":
                continue
            if window is not None and before - t.end > window:
                return None
            if t.precision in precisions and re.match(r"\d{4}", t.value):
                return t
        return None


# ---------------------------------------------------------------- helpers

def num_value(word: str | None) -> float | None:
    """'three' -> 3, '1 and half' -> 1.5, 'twenty-four' -> 24, 'several' -> None (vague)."""
    if word is None:
        return None
    w = re.sub(r"\s+", " ", word.strip().lower())
    if w in VAGUE_NUMBERS:
        return None
    half = 0.0
    m = re.match(r"(.*?)\s+(?:and\s+(?:a\s+)?half|1/2)$", w)
    if m:
        w, half = m.group(1), 0.5
    w = w.replace(",", "")
    try:
        return float(w) + half
    except ValueError:
        pass
    if w in NUMBER_WORDS:
        return NUMBER_WORDS[w] + half
    parts = re.split(r"[- ]", w)
    if all(p in NUMBER_WORDS for p in parts):
        return sum(NUMBER_WORDS[p] for p in parts) + half
    return None


def fmt_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def quarter_of(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def resolve_month_day(mon: int, day: int, pub: dt.date, tense: str | None) -> tuple[dt.date | None, int]:
    """Year for a month+day without year: by tense, else the occurrence nearest pub."""
    cands = []
    for y in (pub.year - 1, pub.year, pub.year + 1):
        d = safe_date(y, mon, day)
        if d:
            cands.append(d)
    if not cands:
        return None, pub.year
    if tense == "past":
        past = [d for d in cands if d <= pub + dt.timedelta(days=1)]
        if past:
            best = max(past)
            if (pub - best).days <= 300:
                return best, best.year
    if tense == "future":
        fut = [d for d in cands if d >= pub - dt.timedelta(days=1)]
        if fut:
            best = min(fut)
            if (best - pub).days <= 300:
                return best, best.year
    past = [d for d in cands if d <= pub]
    fut = [d for d in cands if d > pub]
    if past and fut:
        p, f = max(past), min(fut)
        best = f if (f - pub).days <= 120 or (pub - p).days > 270 else p
    else:
        best = min(cands, key=lambda d: abs((d - pub).days))
    return best, best.year


def resolve_month(mon: int, pub: dt.date, tense: str | None) -> int:
    """Year of a bare month name: past tense -> last such month, future -> next one."""
    if tense == "future":
        return pub.year if mon >= pub.month else pub.year + 1
    if tense == "past":
        return pub.year if mon <= pub.month else pub.year - 1
    # present: the nearest
    return pub.year if abs(mon - pub.month) <= 6 else (pub.year - 1 if mon > pub.month else pub.year + 1)


def resolve_weekday(wd: int, pub: dt.date, mod: str | None, tense: str | None) -> dt.date:
    """Date of a weekday name: modifier first ("last", "next"), else the clause tense."""
    diff = wd - pub.weekday()
    if mod in ("last", "this past", "past", "the previous"):
        back = (pub.weekday() - wd) % 7 or 7
        return pub - dt.timedelta(days=back)
    if mod in ("next", "this coming", "coming", "the following", "the next"):
        fwd = (wd - pub.weekday()) % 7 or 7
        return pub + dt.timedelta(days=fwd)
    if mod == "this":
        return pub + dt.timedelta(days=diff)
    if diff == 0:
        return pub
    if tense in ("future", "would"):
        return pub + dt.timedelta(days=(wd - pub.weekday()) % 7)
    return pub - dt.timedelta(days=(pub.weekday() - wd) % 7)


def _timex(c: Candidate, typ: str, value: str | None, precision: str, anchor: str,
           confidence: float, value_end: str | None = None) -> Timex:
    return Timex(c.text, typ, value, c.start, c.end, precision, value_end, anchor, round(confidence, 2))


def _no_pub(c: Candidate, typ: str = "DATE", precision: str = "unknown") -> Timex:
    return _timex(c, typ, None, precision, "none", 0.3)


# ---------------------------------------------------------------- rules

def r_iso(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    d = safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
    if d is None:
        return _timex(c, "DATE", f"{g['y']}-{g['m']}", "month", "absolute", 0.2)
    if "hh" in g:
        return _timex(c, "TIME", f"{d.isoformat()}T{g['hh']}:{g['mi']}", "time", "absolute", 1.0)
    return _timex(c, "DATE", d.isoformat(), "day", "absolute", 1.0)


def r_slash(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    y, conf = year_of(g["y"], ctx.pub) if len(g["y"]) == 2 else (int(g["y"]), 1.0)
    d = safe_date(y, int(g["m"]), int(g["d"]))
    if d is None:
        d = safe_date(y, int(g["d"]), int(g["m"]))  # day/month order
        conf *= 0.6
    if d is None:
        return None
    return _timex(c, "DATE", d.isoformat(), "day", "absolute", conf * 0.9)


def _explicit_day(c: Candidate, ctx: Ctx, mon: int, day: int, ystr: str | None) -> tuple[str | None, str, str, float]:
    """(value, precision, anchor, confidence) for a month+day with optional year."""
    if ystr:
        y, conf = year_of(ystr, ctx.pub)
        d = safe_date(y, mon, day)
        if d is None:
            return f"{y}-{mon:02d}", "month", "absolute", 0.2
        if ctx.pub and abs(d.year - ctx.pub.year) > 100:
            conf *= 0.5
        return d.isoformat(), "day", "absolute", conf
    if ctx.pub is None:
        if safe_date(2000, mon, day) is None:
            return None, "day", "none", 0.1
        return f"XXXX-{mon:02d}-{day:02d}", "day", "none", 0.4
    d, y = resolve_month_day(mon, day, ctx.pub, ctx.tense(c))
    if d is None:
        return f"{y}-{mon:02d}", "month", "publication", 0.2
    return d.isoformat(), "day", "publication", 0.9


def r_md(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    mon = month_of(g["mon"])
    day = day_of(g["d"])
    rel = g.get("mdrel")
    if rel and not g.get("y"):
        # "last Oct. 23", "next March 3": the word fixes the direction the tense would give
        ctx._tense[(c.start, c.end)] = "past" if rel in ("last", "this past") else "future"
    value, prec, anchor, conf = _explicit_day(c, ctx, mon, day, g.get("y"))
    return _timex(c, "DATE", value, prec, anchor, conf)


def r_week_of(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    value, prec, anchor, conf = _explicit_day(c, ctx, month_of(g["mon"]), day_of(g["d"]), g.get("y"))
    if prec != "day" or not value or not re.match(r"\d{4}-\d\d-\d\d$", value):
        return _timex(c, "DATE", None, "week", anchor, 0.3)
    return _timex(c, "DATE", iso_week(dt.date.fromisoformat(value)), "week", anchor, conf)


def r_range(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    if g.get("conn") == "and" and g.get("pre") != "between":
        # "April 24 and 25" names two days (a range for an event); "May 3 and 25 people" does not
        if re.match(r"\s*(?:[\d%$]|,\d|\s*(?:percent|per\b|people|of\b))", ctx.text[c.end:c.end + 12]):
            return None
        from .tense import span_at
        span = span_at(ctx.doc, c.end - 1, c.end)
        if span is None or not len(span) or span[-1].dep_ == "nummod":
            return None
    mon = month_of(g["mon"])
    mon2 = month_of(g["mon2"]) if g.get("mon2") else mon
    d1, d2 = day_of(g["d"]), day_of(g["d2"])
    value, prec, anchor, conf = _explicit_day(c, ctx, mon, d1, g.get("y"))
    end = None
    if value and prec == "day" and re.match(r"\d{4}", value):
        y = int(value[:4]) + (1 if mon2 < mon else 0)
        e = safe_date(y, mon2, d2)
        if e is None or e.isoformat() < value:
            conf = min(conf, 0.3)
        else:
            end = e.isoformat()
    elif value and value.startswith("XXXX"):
        end = f"XXXX-{mon2:02d}-{d2:02d}"
    return _timex(c, "DATE", value, prec, anchor, conf, end)


_MOD_REL = {"this past": "last", "past": "last", "this coming": "next", "coming": "next"}


def r_month(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    mon = month_of(g["mon"])
    rel = _MOD_REL.get(g.get("rel", ""), g.get("rel"))
    if rel in ("each", "every"):
        return _timex(c, "SET", f"XXXX-{mon:02d}", "set", "absolute", 0.9)
    if g.get("y"):
        y, conf = year_of(g["y"], ctx.pub)
        return _timex(c, "DATE", f"{y}-{mon:02d}", "month", "absolute", conf)
    if ctx.pub is None:
        return _timex(c, "DATE", f"XXXX-{mon:02d}", "month", "none", 0.4)
    pub = ctx.pub
    if g.get("yrel"):
        y = pub.year + {"last": -1, "this": 0, "next": 1}[g["yrel"]]
        return _timex(c, "DATE", f"{y}-{mon:02d}", "month", "publication", 0.95)
    if rel == "last":
        y = pub.year if mon < pub.month else pub.year - 1
    elif rel == "next":
        y = pub.year if mon > pub.month else pub.year + 1
    elif rel == "this":
        y = pub.year
    else:
        y = resolve_month(mon, pub, ctx.tense(c))
    return _timex(c, "DATE", f"{y}-{mon:02d}", "month", "publication", 0.85 if rel else 0.75)


def r_season(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    s = SEASONS[g["season"]]
    rel = g.get("rel")
    if rel in ("every", "each"):
        return _timex(c, "SET", f"XXXX-{s}", "set", "absolute", 0.9)
    if g.get("y"):
        return _timex(c, "DATE", f"{g['y']}-{s}", "season", "absolute", 1.0)
    if ctx.pub is None:
        return _timex(c, "DATE", f"XXXX-{s}", "season", "none", 0.4)
    pub = ctx.pub
    # season index of the publication date (winter straddles the year end)
    cur = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(pub.month, "FA")
    order = ["WI", "SP", "SU", "FA"]
    y = pub.year
    if rel in ("last", "this past", "the past"):
        if order.index(s) >= order.index(cur):
            y -= 1
    elif rel in ("next", "this coming", "the coming"):
        if order.index(s) <= order.index(cur):
            y += 1
    elif rel == "this":
        if s == "WI" and pub.month <= 2:
            y -= 1  # "this winter" in January: the winter that began in December
    elif rel in ("the", None, "that"):
        t = ctx.tense(c)
        if t == "past" and order.index(s) > order.index(cur):
            y -= 1
        elif t == "future" and order.index(s) < order.index(cur):
            y += 1
    return _timex(c, "DATE", f"{y}-{s}", "season", "publication", 0.8)


def _quarter_ctx(c: Candidate, ctx: Ctx, window: int | None = None) -> tuple[int, int] | None:
    """The fiscal quarter (year, q) the story is about: the last one named by its ordinal.

    Financial stories name it once ("third-quarter profit") and then say "the quarter",
    "a year earlier", "the year-ago period"; those refer back to it.
    """
    for start, y, q in reversed(ctx.quarters):
        if start < c.start and (window is None or c.start - start <= window):
            return y, q
    return None


_ENDED = re.compile(r"\s+(?:ended|ending|that\s+ended|which\s+ended)\s+(" + MONTH_RX + r")\s+(\d{1,2})\b", re.I)
QUARTER_WINDOW = 1500  # characters a quarter stays the topic of a financial story


def _last_completed_quarter(pub: dt.date) -> tuple[int, int]:
    q = quarter_of(pub) - 1
    return (pub.year, q) if q else (pub.year - 1, 4)


def r_quarter(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    unit = g["qunit"]
    det, qmod, qord = g.get("det"), g.get("qmod", ""), g.get("qord")
    letter = "Q" if unit == "quarter" else "H"
    if re.match(r"-(?:century|mile|hour|point|inch)", ctx.text[c.end:c.end + 9]):
        return None  # "its quarter-century low"
    mods = set(re.split(r"\s+", qmod)) if qmod else set()
    if not qord and not qmod and det in (None, "a", "an") and not g.get("qy"):
        return None
    if det in ("a", "an") and not qord:
        return None
    if letter == "H" and not qord and mods & {"last", "final"}:
        qord = "second"
        mods -= {"last", "final"}
    pub = ctx.pub
    year_shift = 0
    if mods & {"year-ago", "year-earlier", "year-before"} or "year ago" in qmod or "year earlier" in qmod \
            or g.get("qago") or (det or "").startswith("last year"):
        year_shift = -1
    if (det or "").startswith("next year"):
        year_shift = 1
    y = None
    if (det or "").endswith("year's") and pub is not None:
        y = pub.year + year_shift  # "next year's first quarter"
        year_shift = 0
    for key in ("qy", "qy2"):
        v = g.get(key)
        if v and v[:1].isdigit():
            y = int(v)
        elif v:
            year_shift = {"this year": 0, "next year": 1, "last year": -1}[v]
    n = ORDINALS.get(qord) if qord else None
    if n is not None and n > (4 if letter == "Q" else 2):
        return None
    if n is None:
        if letter == "H":
            return None
        base = _quarter_ctx(c, ctx)
        if y is not None:
            q = base[1] if base else (_last_completed_quarter(pub)[1] if pub else None)
            if q is None:
                return _timex(c, "DATE", str(y), "year", "absolute", 0.5)
            return _timex(c, "DATE", f"{y}-Q{q}", "quarter", "absolute", 0.7)
        if pub is None:
            return _timex(c, "DATE", None, "quarter", "none", 0.3)
        ended = _ENDED.match(ctx.text, c.end)
        if ended and not year_shift:
            mon = month_of(ended.group(1))
            if mon:
                d, yy = resolve_month_day(mon, day_of(ended.group(2)), pub, "past")
                return _timex(c, "DATE", f"{yy}-Q{(mon - 1) // 3 + 1}", "quarter", "publication", 0.8)
        if mods & {"current"}:
            yy, q = pub.year, quarter_of(pub)
        elif det == "this" and not mods:
            yy, q = base or (pub.year, quarter_of(pub))
        elif mods & {"next", "coming"}:
            yy, q = (pub.year, quarter_of(pub) + 1) if quarter_of(pub) < 4 else (pub.year + 1, 1)
        elif mods & {"previous", "prior"} and not year_shift:
            yy, q = base or _last_completed_quarter(pub)
            yy, q = (yy, q - 1) if q > 1 else (yy - 1, 4)
        elif mods & {"latest", "recent", "just", "just-ended", "most", "last"} and not year_shift:
            yy, q = _last_completed_quarter(pub)
        else:  # "the quarter", "the year-ago quarter": the one the story is about
            yy, q = base or _last_completed_quarter(pub)
        return _timex(c, "DATE", f"{yy + year_shift}-Q{q}", "quarter", "publication", 0.7)
    if n == -1:
        n = 4 if letter == "Q" else 2
    conf, anchor = 1.0, "absolute"
    if y is not None and (det or "").endswith("year's"):
        conf, anchor = 0.9, "publication"
    elif y is None:
        if pub is None:
            return _timex(c, "DATE", f"XXXX-{letter}{n}", "quarter", "none", 0.4)
        conf, anchor = 0.85, "publication"
        cur = quarter_of(pub) if letter == "Q" else (1 if pub.month <= 6 else 2)
        t = ctx.tense(c)
        y = pub.year
        if mods & {"next", "coming"}:
            y += 1 if n <= cur else 0
        elif t == "future" and n < cur - 1:
            y += 1
        elif t == "past" and n > cur or n > cur + 1:
            y -= 1
    value_year = y + year_shift
    if letter == "Q" and not year_shift:
        ctx.quarters.append((c.start, value_year, n))
    t = _timex(c, "DATE", f"{value_year}-{letter}{n}", "quarter", anchor, conf)
    m = re.match(r"(?:an?|its|their)\s+|the\s+(?=[\w\s]*-(?:quarter|half))", t.text, re.I)
    if m:
        _trim(t, m.end(), 0)  # "a third-quarter loss", "its fourth quarter": the article is the noun's
    return t


def r_fiscal(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    if g.get("fy"):
        y, conf = year_of(g["fy"], ctx.pub)
        return _timex(c, "DATE", str(y), "year", "absolute", conf)
    if "year" not in c.text.lower():
        return None
    if ctx.pub is None:
        return _no_pub(c, precision="year")
    shift = {"last": -1, "previous": -1, "prior": -1, "past": -1, "next": 1, "coming": 1,
             "year-earlier": -1, "year-ago": -1, "new": 1}.get(g.get("fmod", ""), 0)
    return _timex(c, "DATE", str(ctx.pub.year + shift), "year", "publication", 0.7)


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                 "seventies": 7, "eighties": 8, "nineties": 9}


def r_decade(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    if g.get("dec"):
        d = g["dec"]
        if len(d) == 2:  # "80s" without apostrophe is rare; treat like '80s
            d = None
        else:
            return _timex(c, "DATE", d[:3], "decade", "absolute", 1.0)
    base = ctx.pub.year if ctx.pub else 2000
    if g.get("dec2"):
        dd = int(g["dec2"][0])
    elif g.get("decw"):
        dd = _DECADE_WORDS[g["decw"]]
    else:
        return None
    cent = base // 100
    if dd * 10 > base % 100:
        cent -= 1
    return _timex(c, "DATE", f"{cent:02d}{dd}", "decade", "publication", 0.8)


def r_century(c: Candidate, ctx: Ctx) -> Timex | None:
    o = c.groups["ord"]
    n = ORDINALS.get(o)
    if n is None:
        digits = re.sub(r"\D", "", o)
        if not digits:
            return None
        n = int(digits)
    if n <= 0 or n > 22:
        return None
    return _timex(c, "DATE", f"{n - 1:02d}", "century", "absolute", 0.9)


def r_year(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    y = int(g["y"])
    conf = 1.0
    if g.get("ysuf") == "period":
        qc = _quarter_ctx(c, ctx, window=QUARTER_WINDOW)
        if qc:
            return _timex(c, "DATE", f"{y}-Q{qc[1]}", "quarter", "absolute", 0.7)
    if ctx.pub and y > ctx.pub.year + 30:
        conf = 0.5
    t = _timex(c, "DATE", str(y), "year", "absolute", conf)
    if g.get("det") and not g.get("ysuf") and not g.get("mod") and re.match(r"\s+[A-Za-z]", ctx.text[c.end:c.end + 2]):
        _trim(t, len(re.match(r"the\s+", t.text, re.I).group()), 0)  # "the 1996 Olympics": "the" is the noun's
    return t


def r_year_words(c: Candidate, ctx: Ctx) -> Timex | None:
    parts = re.split(r"[-\s]+", c.groups["yw"])
    if parts[:2] == ["two", "thousand"]:
        rest = [p for p in parts[2:] if p != "and"]
        y = 2000 + (NUMBER_WORDS.get(rest[0], 0) if rest else 0)
    else:
        cent = NUMBER_WORDS[parts[0]]
        rest = [p for p in parts[1:] if p not in ("hundred", "and", "o")]
        y = cent * 100 + sum(NUMBER_WORDS.get(p, 0) for p in rest)
    return _timex(c, "DATE", str(y), "year", "absolute", 0.8)


def r_year_range(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    y = int(g["y"])
    y2 = int(g["y2"]) if len(g["y2"]) == 4 else (y // 100) * 100 + int(g["y2"])
    if y2 < y and len(g["y2"]) == 2:
        y2 += 100  # "1999-00"
    if not 0 < y2 - y <= 50:
        return None  # "2010-2005" or a score
    return _timex(c, "DATE", str(y), "year", "absolute", 0.9, str(y2))


def r_fyq(c: Candidate, ctx: Ctx) -> Timex | None:
    """'FY2025', 'Q3 2025', '3Q25', 'H1 2026' (upper case only: 'q3' is not a date)."""
    g, raw = c.groups, c.groups.get("_raw", {})
    if any(raw.get(k, "X").upper() != raw.get(k, "X") for k in ("q", "h")) or "fy" in g and not c.text.startswith("FY"):
        return None
    if "fy" in g:
        y, conf = year_of(g["fy"], ctx.pub)
        return _timex(c, "DATE", str(y), "year", "absolute", conf)
    if "h" in g:
        return _timex(c, "DATE", f"{g['hy']}-H{g['h'][1]}", "quarter", "absolute", 1.0)
    q = int(re.sub(r"\D", "", g["q"]))
    if g.get("qy"):
        y, conf = year_of(g["qy"], ctx.pub)
        return _timex(c, "DATE", f"{y}-Q{q}", "quarter", "absolute", conf)
    if ctx.pub is None:
        return _timex(c, "DATE", f"XXXX-Q{q}", "quarter", "none", 0.4)
    y = ctx.pub.year if q <= quarter_of(ctx.pub) + 1 else ctx.pub.year - 1
    return _timex(c, "DATE", f"{y}-Q{q}", "quarter", "publication", 0.6)


def r_post_year(c: Candidate, ctx: Ctx) -> Timex | None:
    return _timex(c, "DATE", c.groups["y"], "year", "absolute", 0.8)


def _hour(g: dict) -> tuple[int, int] | None:
    h = int(g["h"])
    mi = int(g.get("mi") or 0)
    ap = re.sub(r"[\s.]", "", g.get("ampm", ""))
    if ap in ("pm", "intheafternoon", "intheevening") and h < 12:
        h += 12
    if ap in ("am", "inthemorning") and h == 12:
        h = 0
    if ap and ap not in ("o'clock",) and int(g["h"]) > 12:
        return None
    if h > 24 or mi > 59:
        return None
    return h, mi


def _day_word(word: str, c: Candidate, ctx: Ctx) -> dt.date | None:
    pub = ctx.pub
    if pub is None:
        return None
    if word == "today":
        return pub
    if word == "yesterday":
        return pub - dt.timedelta(days=1)
    if word == "tomorrow":
        return pub + dt.timedelta(days=1)
    wd = weekday_of(word)
    if wd is not None:
        return resolve_weekday(wd, pub, None, ctx.tense(c))
    return None


def r_time(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    hm = _hour(g)
    if hm is None:
        return None
    h, mi = hm
    day = None
    anchor = "publication"
    if g.get("mon") and g.get("d"):
        v, prec, anchor, _conf = _explicit_day(c, ctx, month_of(g["mon"]), day_of(g["d"]), None)
        day = v if prec == "day" else None
    elif g.get("wd"):
        d = _day_word(g["wd"], c, ctx)
        day = d.isoformat() if d else None
    elif ctx.pub:
        day = ctx.pub.isoformat()
        anchor = "publication:default"
    if day is None:
        return _timex(c, "TIME", f"XXXX-XX-XXT{h:02d}:{mi:02d}", "time", "none", 0.4)
    return _timex(c, "TIME", f"{day}T{h:02d}:{mi:02d}", "time", anchor, 0.8)


_NOON = {"noon": "12:00", "midday": "12:00", "midnight": "24:00", "mid-afternoon": "AF",
         "mid afternoon": "AF", "mid-morning": "MO", "dawn": "MO", "dusk": "EV", "daybreak": "MO"}


def r_noon(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    part = _NOON[g["noon"]]
    day = _day_word(g["wd"], c, ctx) if g.get("wd") else ctx.pub
    dstr = day.isoformat() if day else "XXXX-XX-XX"
    return _timex(c, "TIME", f"{dstr}T{part}", "time", "publication" if day else "none", 0.7)


def r_weekday(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    wd = weekday_of(g["wd"])
    mod = g.get("wmod")
    if mod in ("that", "the same") and ctx.pub:
        a = ctx.last_day(c.start)
        if a is not None:
            return _timex(c, "DATE", a.value[:10], "day", f"text:{a.start}", 0.6)
    if ctx.pub is None:
        return _timex(c, "DATE", f"XXXX-WXX-{wd + 1}", "day", "none", 0.4)
    if mod in ("the previous", "the following", "the next"):
        # anaphoric: "the previous Friday" is the Friday before the day the story is on
        a = ctx.last_day(c.start, "past" if mod == "the previous" else None)
        if a is not None:
            base = dt.date.fromisoformat(a.value[:10])
            if mod == "the previous":
                d = base - dt.timedelta(days=(base.weekday() - wd) % 7 or 7)
            else:
                d = base + dt.timedelta(days=(wd - base.weekday()) % 7 or 7)
            return _timex(c, "DATE", d.isoformat(), "day", f"text:{a.start}", 0.7)
    tense = ctx.tense(c)
    if tense == "present" and scheduled_present(ctx.doc, c.start, c.end):
        tense = "future"
    d = resolve_weekday(wd, ctx.pub, mod, tense)
    part = g.get("part")
    conf = 0.9 if mod in ("last", "next", "this") or d == ctx.pub else 0.75
    if part:
        return _timex(c, "TIME", f"{d.isoformat()}T{PARTS_OF_DAY[part]}", "time", "publication", conf)
    return _timex(c, "DATE", d.isoformat(), "day", "publication", conf)


def r_weekdays(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    wd = weekday_of(g["wdpl"][:-1])
    part = g.get("part")
    v = f"XXXX-WXX-{wd + 1}" + (f"T{PARTS_OF_DAY[part[:-1]]}" if part else "")
    return _timex(c, "SET", v, "set", "absolute", 0.9)


_DATED_NOUN = re.compile(r"\s+(?:[\w-]+\s+)?(?:editions?|papers?|newspapers?|meetings?|sessions?|votes?|elections?"
                         r"|talks|games?|match|matches|announcement|speech|decision|ruling|hearing|trading|deadline"
                         r"|protests?|rally|rallies|summit|issue|episode|broadcast|close|opening|statement|report)\b",
                         re.I)


def r_deictic(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    w = g["w"]
    if ctx.pub is None:
        return _no_pub(c, precision="day")
    pub = ctx.pub
    if w in ("tonight", "overnight"):
        return _timex(c, "TIME", f"{pub.isoformat()}TNI", "time", "publication", 0.9)
    if w == "today" and ctx.text[c.end:c.end + 2] in ("'s", "’s") and not g.get("part") \
            and not _DATED_NOUN.match(ctx.text, c.end + 2):
        return None  # "today's youth": generic, not a date ("today's session" is one)
    d = _day_word(w, c, ctx)
    part = g.get("part")
    if part:
        return _timex(c, "TIME", f"{d.isoformat()}T{PARTS_OF_DAY[part]}", "time", "publication", 0.9)
    return _timex(c, "DATE", d.isoformat(), "day", "publication", 0.95)


def r_partofday(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    w, part = g["w"], g["part"]
    if w == "the":
        return None
    if ctx.pub is None:
        return _no_pub(c, "TIME", "time")
    anchor = "publication"
    if w == "last" and part in ("night", "evening"):
        d = ctx.pub - dt.timedelta(days=1)
    elif w == "last":
        return None
    elif w == "that":
        a = ctx.last_day(c.start)
        d = dt.date.fromisoformat(a.value[:10]) if a else ctx.pub
        anchor = f"text:{a.start}" if a else anchor
    else:
        d = _day_word(w, c, ctx) if w != "this" else ctx.pub
    return _timex(c, "TIME", f"{d.isoformat()}T{PARTS_OF_DAY[part]}", "time", anchor, 0.85)


_PRESENT = {"now", "right now", "just now", "currently", "nowadays", "these days", "at present", "the present",
            "presently", "at the moment", "current"}
_PAST = {"recently", "more recently", "most recently", "lately", "previously", "formerly", "in the past",
         "the past", "once"}
_FUTURE = {"the near future", "the distant future", "the future", "future", "the near term", "the short term",
           "the long term", "the long run", "the short run", "the medium term", "soon", "as soon as possible",
           "a later date"}
ENABLED_REFS = {"the past", "now", "right now", "currently", "nowadays", "these days", "at present", "the present",
                "recently", "more recently", "most recently", "lately", "the future", "the near future",
                "the distant future", "the near term", "the short term", "the long term", "the long run",
                "the medium term", "as soon as possible", "a later date", "current"}


def r_ref(c: Candidate, ctx: Ctx) -> Timex | None:
    ref = re.sub(r"\s+", " ", c.groups["ref"])
    if ref not in ENABLED_REFS:
        return None
    if ref == "the past" and re.match(r"\s+(?:\d|few|several|many|couple|two|three|four|five|six|seven|eight|nine|"
                                      r"ten|dozen|twelve|twenty|thirty|fifty|hundred|century|decade|year|month|week|"
                                      r"day|summer|winter|spring|fall|quarter|half|\w+s\b)", ctx.text[c.end:c.end + 15]):
        return None
    if ref in _PRESENT:
        v = "PRESENT_REF"
    elif ref in _PAST:
        v = "PAST_REF"
    else:
        v = "FUTURE_REF"
    return _timex(c, "DATE", v, "unknown", "publication", 0.8)


_GRAIN = {"week": "week", "weekend": "week", "month": "month", "year": "year", "decade": "decade",
          "century": "century", "day": "day", "night": "day", "quarter": "quarter"}


def unit_value(u: str, base: dt.date, k: int) -> str:
    """TIMEX3 value of the unit ``u`` containing ``base`` shifted by ``k`` units."""
    if u == "day":
        return (base + dt.timedelta(days=k)).isoformat()
    if u == "night":
        return (base + dt.timedelta(days=k)).isoformat() + "TNI"
    if u == "week":
        return iso_week(base + dt.timedelta(weeks=k))
    if u == "weekend":
        # the weekend of the week shifted by k; "last weekend" = the one just past
        sat = base + dt.timedelta(days=(5 - base.weekday()))
        if k < 0:
            sat = base - dt.timedelta(days=((base.weekday() - 5) % 7) or 7) + dt.timedelta(weeks=k + 1)
        elif k > 0:
            sat = sat + dt.timedelta(weeks=k - 1)
        return iso_week(sat) + "-WE"
    if u == "month":
        y, m = add_months(base.year, base.month, k)
        return f"{y}-{m:02d}"
    if u == "quarter":
        q = quarter_of(base) - 1 + k
        return f"{base.year + q // 4}-Q{q % 4 + 1}"
    if u == "year":
        return str(base.year + k)
    if u == "decade":
        return str(base.year // 10 + k)
    if u == "century":
        return f"{base.year // 100 + k:02d}"
    return base.isoformat()


_REL_SHIFT = {"last": -1, "past": -1, "previous": -1, "the previous": -1, "the past": -1, "the last": -1,
              "the prior": -1, "this past": -1, "next": 1, "coming": 1, "the next": 1, "the coming": 1,
              "following": 1, "the following": 1, "this coming": 1, "this": 0, "the current": 0, "current": 0,
              "that": 0, "the same": 0, "same": 0, "the latest": -1, "latest": -1}


def r_relunit(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    rel = re.sub(r"\s+", " ", g["rel"])
    u = g["u"]
    if u == "time":
        return None
    k = _REL_SHIFT.get(rel)
    if k is None:
        return None
    if ctx.pub is None:
        return _no_pub(c, precision=_GRAIN.get(u, "unknown"))
    base, anchor, conf = ctx.pub, "publication", 0.9
    if (rel in ("that", "the same", "same", "the following", "following", "the previous", "previous",
                "the prior") and u in ("day", "night", "week", "month", "year")) \
            or (rel == "the next" and u in ("day", "night")):
        if u in ("day", "night"):
            a = ctx.last_day(c.start, "past" if k < 0 else None)
        else:
            a = ctx.last_with(c.start, ("day", u, "time"))
        if a is not None and re.match(r"\d{4}-\d\d-\d\d", a.value or ""):
            base, anchor, conf = dt.date.fromisoformat(a.value[:10]), f"text:{a.start}", 0.7
        elif a is not None and u == "year" and re.match(r"\d{4}", a.value or ""):
            base, anchor, conf = dt.date(int(a.value[:4]), 7, 1), f"text:{a.start}", 0.7
        elif a is not None and u == "month" and re.match(r"\d{4}-\d\d", a.value or ""):
            base, anchor, conf = dt.date(int(a.value[:4]), int(a.value[5:7]), 15), f"text:{a.start}", 0.7
        elif rel in ("that", "the same", "same"):
            conf = 0.4
    if u == "night" and rel in ("last",):
        return _timex(c, "TIME", unit_value("night", base, -1), "time", anchor, conf)
    if u == "night":
        return _timex(c, "TIME", unit_value("night", base, k), "time", anchor, conf)
    if u == "century" and rel.startswith("the "):
        return _timex(c, "DURATION", "P100Y", "duration", "absolute", 0.7)
    if u == "decade" and rel in ("the past", "past", "this past"):
        return _timex(c, "DURATION", "P10Y", "duration", "absolute", 0.7)  # "over the past decade": ten years to now
    grain = _GRAIN.get(u, "unknown")
    return _timex(c, "DATE", unit_value(u, base, k), grain, anchor, conf)


def r_the_unit(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    u = g["u"]
    pre = g.get("pre")
    if u in ("day", "decade", "century") and not pre:
        return None
    if ctx.pub is None:
        return _no_pub(c, precision=_GRAIN.get(u, "unknown"))
    if u == "weekend":
        t = ctx.tense(c)
        return _timex(c, "DATE", unit_value("weekend", ctx.pub, 1 if t == "future" else -1), "week",
                      "publication", 0.7)
    if u == "year" and g.get("full"):
        return _timex(c, "DATE", str(ctx.pub.year), "year", "publication", 0.6)
    if u == "year" and not pre:
        return _timex(c, "DURATION", "P1Y", "duration", "absolute", 0.5)
    return _timex(c, "DATE", unit_value(u, ctx.pub, 0), _GRAIN.get(u, "unknown"), "publication", 0.6)


def r_yearend(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    ye = re.sub(r"\s+", " ", g["ye"])
    if ctx.pub is None:
        return _no_pub(c, precision="year")
    if ye in ("year-ago", "year-earlier", "year ago", "year before", "a year before"):
        base = _quarter_ctx(c, ctx, window=QUARTER_WINDOW)
        if base and g.get("pu") in ("quarter", "period", "results", "figures", "level", "levels", None):
            return _timex(c, "DATE", f"{base[0] - 1}-Q{base[1]}", "quarter", "publication", 0.6)
        return _timex(c, "DATE", str(ctx.pub.year - 1), "year", "publication", 0.6)
    det = g.get("det")
    y = ctx.pub.year + {"last": -1, "next": 1}.get(det or "", 0)
    return _timex(c, "DATE", str(y), "year", "publication", 0.6)


_ANA = {"the day before": -1, "the previous day": -1, "the prior day": -1, "the day after": 1,
        "the next day": 1, "the following day": 1, "the same day": 0, "that same day": 0,
        "the next morning": 1, "the following morning": 1, "the previous night": -1, "the night before": -1,
        "the day before yesterday": -2, "the day after tomorrow": 2, "that night": 0,
        "that morning": 0, "that afternoon": 0, "that evening": 0}


def r_period(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    mods = {g.get("pmod", ""), g.get("pmod2", "")}
    if ctx.pub is None:
        return _no_pub(c, precision="quarter")
    base = _quarter_ctx(c, ctx, window=QUARTER_WINDOW)
    shift = -1 if mods & {"year-ago", "year-earlier", "year-before", "prior-year"} or g.get("plast") else 0
    if base is None:
        if shift:
            return _timex(c, "DATE", str(ctx.pub.year - 1), "year", "publication", 0.5)
        base = _last_completed_quarter(ctx.pub)
    if mods & {"previous", "prior"}:
        y, q = base
        base = (y, q - 1) if q > 1 else (y - 1, 4)
    return _timex(c, "DATE", f"{base[0] + shift}-Q{base[1]}", "quarter", "publication", 0.6)


def _easter(y: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous algorithm)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return dt.date(y, month, day)


def _nth_weekday(y: int, month: int, wd: int, n: int) -> dt.date:
    if n > 0:
        d = dt.date(y, month, 1)
        d += dt.timedelta(days=(wd - d.weekday()) % 7)
        return d + dt.timedelta(weeks=n - 1)
    d = dt.date(y, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(y, 12, 31)
    return d - dt.timedelta(days=(d.weekday() - wd) % 7)


def holiday_date(name: str, y: int) -> tuple[dt.date, str]:
    """(date, precision) of a (US-centred) holiday in year ``y``."""
    name = re.sub(r"\s+", " ", name).replace("the ", "")
    fixed = {"christmas eve": (12, 24), "christmas": (12, 25), "christmas day": (12, 25),
             "new year's eve": (12, 31), "new year's": (1, 1), "new year's day": (1, 1),
             "independence day": (7, 4), "fourth of july": (7, 4), "halloween": (10, 31),
             "valentine's day": (2, 14), "veterans day": (11, 11), "boxing day": (12, 26)}
    if name in fixed:
        return dt.date(y, *fixed[name]), "day"
    if name.startswith("thanksgiving"):
        return _nth_weekday(y, 11, 3, 4), "day"
    if name == "election day":
        first_monday = _nth_weekday(y, 11, 0, 1)
        return first_monday + dt.timedelta(days=1), "day"
    if name == "memorial day":
        return _nth_weekday(y, 5, 0, -1), "day"
    if name in ("labor day", "labour day"):
        return _nth_weekday(y, 9, 0, 1), "day"
    e = _easter(y)
    if name == "good friday":
        return e - dt.timedelta(days=2), "day"
    if name == "easter week":
        return e, "week"
    return e, "day"


def r_holiday(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    raw = g.get("_raw", {}).get("hol", "")
    if not raw[:1].isupper():
        return None
    name = g["hol"]
    if g.get("y"):
        d, prec = holiday_date(name, int(g["y"]))
        anchor, conf = "absolute", 1.0
    elif ctx.pub is None:
        return _no_pub(c, precision="day")
    else:
        pub = ctx.pub
        opts = [holiday_date(name, y) for y in (pub.year - 1, pub.year, pub.year + 1)]
        rel = g.get("rel")
        t = ctx.tense(c)
        # a holiday week has begun once its Monday is past
        first = (lambda o: o[0] - dt.timedelta(days=o[0].weekday())) if opts[0][1] == "week" else (lambda o: o[0])
        if rel in ("last", "this past") or (not rel and t == "past"):
            d, prec = max((o for o in opts if first(o) <= pub), key=lambda o: o[0])
        elif rel in ("next", "this coming") or (not rel and t == "future"):
            d, prec = min((o for o in opts if o[0] >= pub), key=lambda o: o[0])
        else:
            d, prec = min(opts, key=lambda o: abs((o[0] - pub).days))
        anchor, conf = "publication", 0.8
    value = iso_week(d) if prec == "week" else d.isoformat()
    return _timex(c, "DATE", value, prec, anchor, conf)


def r_anaday(c: Candidate, ctx: Ctx) -> Timex | None:
    ana = re.sub(r"\s+", " ", c.groups["ana"])
    k = _ANA.get(ana)
    if k is None:
        return None
    if ctx.pub is None:
        return _no_pub(c, precision="day")
    if "yesterday" in ana or "tomorrow" in ana:
        base, anchor, conf = ctx.pub, "publication", 0.9
    else:
        tense = ctx.tense(c)
        a = ctx.last_day(c.start, "past" if k <= 0 else None)
        if a is not None:
            base, anchor, conf = dt.date.fromisoformat(a.value[:10]), f"text:{a.start}", 0.75
        else:
            base, anchor, conf = ctx.pub, "publication", 0.6
    d = base + dt.timedelta(days=k)
    for part, code in (("morning", "MO"), ("night", "NI"), ("afternoon", "AF"), ("evening", "EV")):
        if part in ana:
            return _timex(c, "TIME", f"{d.isoformat()}T{code}", "time", anchor, conf)
    return _timex(c, "DATE", d.isoformat(), "day", anchor, conf)


def duration_value(n: float | None, unit: str) -> str:
    """TIMEX3 duration: 3 day -> P3D, 5.5 hour -> PT5H30M, 1.5 year -> P1Y6M, None -> PXY."""
    letter, is_time = UNITS[unit]
    if n is None:
        if letter == "DE":
            letter = "Y"  # "decades": counted decades are years too (P20Y), so vague ones are PXY
        return f"PTX{letter}" if is_time else f"PX{letter}"
    if letter == "DE":
        n, letter = n * 10, "Y"
    elif letter == "CE":
        n, letter = n * 100, "Y"
    elif letter == "ML":
        n, letter = n * 1000, "Y"
    elif letter == "2W":
        n, letter = n * 2, "W"
    elif letter == "WE":
        n, letter = n * 2, "D"
    if not float(n).is_integer():
        sub = {("Y", False): (12, "M"), ("M", False): (None, None), ("W", False): (7, "D"),
               ("D", False): (24, "H"), ("H", True): (60, "M"), ("M", True): (60, "S")}.get((letter, is_time))
        if sub and sub[0]:
            whole = int(n)
            rest = round((n - whole) * sub[0])
            if letter == "D":
                return f"P{whole}DT{rest}H" if whole else f"PT{rest}H"
            if is_time:
                return f"PT{whole}{letter}{rest}{sub[1]}" if whole else f"PT{rest}{sub[1]}"
            if letter == "Y":
                return f"P{whole}Y{rest}M" if whole else f"P{rest}M"
            return f"P{whole}{letter}{rest}{sub[1]}"
    return f"PT{fmt_num(n)}{letter}" if is_time else f"P{fmt_num(n)}{letter}"


def _shift(base: dt.date, n: float, unit: str, sign: int) -> tuple[str, str]:
    """(value, precision) of ``base`` moved by n units; granularity follows the unit."""
    from dateutil.relativedelta import relativedelta

    letter, is_time = UNITS[unit]
    if is_time:
        return base.isoformat(), "day"
    k = sign * n
    if letter == "D":
        return (base + dt.timedelta(days=k)).isoformat(), "day"
    if letter in ("W", "2W", "WE"):
        k = k * (2 if letter == "2W" else 1)
        return iso_week(base + dt.timedelta(weeks=k)), "week"
    if letter == "M":
        d = base + relativedelta(months=int(k))
        return f"{d.year}-{d.month:02d}", "month"
    if letter == "Q":
        d = base + relativedelta(months=int(3 * k))
        return f"{d.year}-Q{quarter_of(d)}", "quarter"
    if letter == "Y":
        return str(base.year + int(k)), "year"
    if letter == "DE":
        return str(base.year + int(10 * k)), "year"
    if letter == "CE":
        return f"{(base.year + int(100 * k)) // 100:02d}", "century"
    return base.isoformat(), "day"


_MONEYISH = re.compile(r"(?:\d|%|\bpercent|\bcents?|\bdollars?|\btimes|\bonce|\btwice|\bper|\bbillion|\bmillion"
                       r"|\bpounds|\byen|\beuros?|\bhours?|\bmiles|\bbarrels|\btons?)\W*$", re.I)


def r_duration(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    unit = g["unit"]
    numw = g.get("num", "")
    n = num_value(numw)
    if numw in ("a", "an") and _MONEYISH.search(ctx.text[max(0, c.start - 20):c.start]) and not g.get("ago"):
        return None
    if g.get("det") in ("a", "an") and numw in ("a", "an"):
        return None
    after = ctx.text[c.end:c.end + 12].lower()
    if unit == "quarter" and re.match(r"\s*(?:of|-?point|percent|%)", after):
        return None
    if unit == "second" and numw in ("a", "an", "the"):
        return None
    if numw in ("some", "many") and unit in ("second", "minute"):
        return None
    if re.match(r"\s*(?:-|–)?\s*(?:per|a)\s+(?:day|year|week|month)", after) is None and g.get("num2") is None:
        pass
    if g.get("old") and "old" in g["old"]:
        return None  # ages ("a 6-year-old") are not time expressions in TimeML
    ago = g.get("ago")
    if ago == "and a half" and n is not None:
        n += 0.5
    if ago in ("on", "running", "or so", "and a half"):
        ago = None
    if g.get("num2") and n is not None:
        pass  # "two to three weeks": the lower bound, as TimeBank does
    if ago and ago not in ("before", "after", "afterwards") or ago in ("before", "after", "afterwards") and \
            re.match(r"\s*[.,;:)\"']", ctx.text[c.end:c.end + 2] or ".") and not g.get("det"):
        if ctx.pub is None:
            return _no_pub(c, precision=_GRAIN.get(unit, "unknown"))
        sign = 1 if ago in ("later", "from now", "hence", "after", "afterwards") else -1
        if n is None:
            v = {-1: "PAST_REF", 1: "FUTURE_REF"}[sign]
            return _timex(c, "DATE", v, "unknown", "publication", 0.6)
        base, anchor, conf = ctx.pub, "publication", 0.85
        if ago in ("earlier", "later", "before", "after", "afterwards"):
            # relative to a date in the story when there is one close by
            a = ctx.last_with(c.start, ("day", "time", "quarter", "month", "year"), window=300)
            if a is not None and UNITS[unit][0] in ("D", "W") and a.precision in ("day", "time"):
                base, anchor, conf = dt.date.fromisoformat(a.value[:10]), f"text:{a.start}", 0.7
            elif a is not None and UNITS[unit][0] in ("Y", "DE") and a.precision in ("day", "month", "year") \
                    and a.anchor == "absolute" and int(a.value[:4]) != ctx.pub.year:
                # "in 2010 ... three years later": counted from the year the story names
                base, anchor, conf = dt.date(int(a.value[:4]), 7, 1), f"text:{a.start}", 0.7
        if unit == "year" and sign == -1 and ago in ("ago", "earlier"):
            qc = _quarter_ctx(c, ctx, window=QUARTER_WINDOW)
            if qc:
                return _timex(c, "DATE", f"{qc[0] - int(n)}-Q{qc[1]}", "quarter", "publication", 0.6)
        value, prec = _shift(base, n, unit, sign)
        return _timex(c, "DATE", value, prec, anchor, conf)
    if n is None and numw and numw not in VAGUE_NUMBERS and not numw.startswith("a "):
        return None
    if n is not None and (n > 10000 or n >= 1000 and unit in ("year", "decade", "century")):
        return None  # "the 2025-26 fiscal year" is a date, not 2025 years
    if n is not None and not g.get("pl") and n > 1 and not g.get("old") and "-" not in c.text \
            and not re.search(r"\d\s+" + unit, c.text) and unit not in ("year",):
        # "two week" without plural and hyphen: adjectival use ("a two week trip") is still a duration
        pass
    t = _timex(c, "DURATION", duration_value(n, unit), "duration", "absolute", 0.85)
    # TimeML extents leave out prepositions ("within", "over the"), a trailing "on" that
    # belongs to the verb ("five hours on the ground") and the article of a noun phrase the
    # duration only modifies ("a three-day trip", "the 14-day deadline")
    m = re.match(r"(?:within|over(?=\s+(?:the|its|their|his|her|our)\s))\s+", t.text, re.I)
    if m:
        _trim(t, m.end(), 0)
    if g.get("_raw", {}).get("ago", "").lower() == "on" and not re.match(r"\s*[.,;:)\"']", ctx.text[c.end:c.end + 2] or "."):
        _trim(t, 0, len(re.search(r"\s+on$", t.text).group()))
    m = re.match(r"(?:an?|the|its|their|his|her|our)\s+(?=\S)", t.text, re.I)
    if m and numw not in ("a", "an", "few", "couple", "couple of") and not g.get("rel") and (
            g.get("det") in ("a", "an") or g.get("det") == "the" and "-" in t.text and not g.get("pl")):
        _trim(t, m.end(), 0)
    return t


def _trim(t: Timex, left: int, right: int) -> None:
    """Narrow a timex's extent by ``left`` characters at the start and ``right`` at the end."""
    if left + right >= len(t.text):
        return
    t.start += left
    t.end -= right
    t.text = t.text[left:len(t.text) - right]


def r_unit_long(c: Candidate, ctx: Ctx) -> Timex | None:
    """'day-long', 'decades-long', 'year-long': a duration of one (or some) unit."""
    g = c.groups
    return _timex(c, "DURATION", duration_value(None if g.get("pl") else 1, g["unit"]), "duration", "absolute", 0.7)


def r_bare_units(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    unit = g["unit"]
    mod = re.sub(r"\s+", " ", g.get("mod", "")) if g.get("mod") else None
    before = ctx.text[max(0, c.start - 12):c.start].lower()
    if g.get("ago") == "ahead":
        # "the weeks ahead": a stretch of unknown length from now
        return _timex(c, "DURATION", duration_value(None, unit), "duration", "absolute", 0.6)
    if g.get("ago"):
        return _timex(c, "DATE", "PAST_REF" if g["ago"] in ("ago", "earlier", "before") else "FUTURE_REF",
                      "unknown", "publication", 0.5)
    if mod is None and not re.search(r"\b(?:for|within|in|over|after|take|took|takes|taken|than)\s+$", before):
        return None
    if mod == "the":
        if re.search(r"\bover\s+$", before) and unit in ("year", "decade", "month", "week"):
            return _timex(c, "DURATION", duration_value(None, unit), "duration", "absolute", 0.6)  # "over the years"
        return None
    if mod in ("previous",) or unit == "weekend":
        return None
    if mod in ("past", "the past", "the last", "previous"):
        return _timex(c, "DATE", "PAST_REF", "unknown", "publication", 0.6)
    if mod in ("future",):
        return _timex(c, "DATE", "FUTURE_REF", "unknown", "publication", 0.6)
    # "in recent years", "in (the) coming weeks": TimeML makes these vague durations (PXY, PXW)
    return _timex(c, "DURATION", duration_value(None, unit), "duration", "absolute", 0.6)


_SET_UNITS = {"second": "PT1S", "minute": "PT1M", "hour": "PT1H", "day": "P1D", "night": "P1D", "week": "P1W",
              "weekend": "P1WE", "month": "P1M", "quarter": "P3M", "year": "P1Y", "decade": "P10Y",
              "morning": "XXXX-XX-XXTMO", "evening": "XXXX-XX-XXTEV", "afternoon": "XXXX-XX-XXTAF",
              "summer": "XXXX-SU", "winter": "XXXX-WI", "spring": "XXXX-SP", "fall": "XXXX-FA"}


def r_set(c: Candidate, ctx: Ctx) -> Timex | None:
    g = c.groups
    q, su = g["q"], g["su"]
    if q in ("a", "an"):
        return None  # "$5 a year": TimeBank does not tag rates
    if q == "per" and su not in _SET_UNITS:
        return None
    wd = weekday_of(su)
    mon = month_of(su)
    if su in _SET_UNITS:
        v = _SET_UNITS[su]
        n = num_value(g.get("sn")) if g.get("sn") else None
        if n and v.startswith("P"):
            v = duration_value(n, su)
    elif wd is not None:
        v = f"XXXX-WXX-{wd + 1}"
    elif mon is not None:
        v = f"XXXX-{mon:02d}"
    else:
        return None
    return _timex(c, "SET", v, "set", "absolute", 0.85)


_SETWORDS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "P1Y", "annually": "P1Y",
             "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W", "bimonthly": "P2M",
             "semiannually": "P6M", "semi-annually": "P6M", "biannually": "P6M", "every day": "P1D",
             "each day": "P1D", "day after day": "P1D", "year after year": "P1Y", "night after night": "P1D",
             "week after week": "P1W"}


def r_setword(c: Candidate, ctx: Ctx) -> Timex | None:
    sw = re.sub(r"\s+", " ", c.groups["sw"])
    v = _SETWORDS.get(sw)
    if v is None:
        return None
    return _timex(c, "SET", v, "set", "absolute", 0.8)


RULE_FUNCS: dict[str, Callable[[Candidate, Ctx], Timex | None]] = {
    "iso": r_iso, "slash": r_slash, "week_of": r_week_of, "md_range": r_range, "dm_range": r_range, "mdy": r_md, "dmy": r_md,
    "month": r_month, "season": r_season, "quarter": r_quarter, "fiscal": r_fiscal, "decade": r_decade,
    "century": r_century, "year": r_year, "year_words": r_year_words, "post_year": r_post_year, "year_range": r_year_range, "fyq": r_fyq, "time": r_time, "time24": r_time,
    "noon": r_noon, "weekday": r_weekday, "weekdays": r_weekdays, "deictic": r_deictic,
    "partofday": r_partofday, "ref": r_ref, "relunit": r_relunit, "the_unit": r_the_unit,
    "yearend": r_yearend, "anaday": r_anaday, "period": r_period, "holiday": r_holiday, "duration": r_duration, "bare_units": r_bare_units,
    "unit_long": r_unit_long,
    "set": r_set, "setword": r_setword,
}


# What a rule may raise on odd input: an impossible day ("February 30", int("")) or date
# arithmetic past year 9999 ("in 8,000 years"). Anything else is a bug and must surface.
EXPECTED_ERRORS = (ValueError, OverflowError)


def normalize(c: Candidate, ctx: Ctx) -> Timex | None:
    """Value of one candidate; a rule that meets an impossible date yields the text with no value."""
    try:
        return RULE_FUNCS[c.rule](c, ctx)
    except EXPECTED_ERRORS:
        return Timex(c.text, "DATE", None, c.start, c.end, "unknown", None, "none", 0.1)
