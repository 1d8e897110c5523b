"""Guess the publication date of an undated story from the dates it mentions.

Why: crawls and pasted text often carry no date, yet "Friday" and "last month" can only
be resolved against one. Method: collect explicit dates (with and without a year),
weekdays with the tense and verb of their clause, "next/this/last week", and "N years
since <date>"; generate candidate publication dates around the explicit dates; score each
candidate by how many of these clues it satisfies; return the best with a confidence
that grows with the evidence and the margin over the runner-up.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Doc

from ..text.dates import day_of, header_date, month_of, safe_date, weekday_of, year_of
from ..text.datescan import Candidate, scan, select
from .normalize import iso_week, num_value
from .tense import governing_verb, span_at, tense_at
from .validate import valid

REPORTING = {"say", "tell", "report", "announce", "state", "confirm", "add", "disclose", "reveal", "claim",
             "note", "quote", "cite", "deny", "according"}
WINDOW = 60


@dataclass
class _Clues:
    full: list  # (date, tense)
    md: list  # (month, day, tense, end_month, end_day)
    months: list  # (year, month, tense)
    years: list  # int
    weekdays: list  # (weekday, tense, reporting)
    weeks: list  # (shift, tense) for "next/this/last week"
    since: list  # expected publication date from "N years since <date>"


def _duration_days(num: str | None, unit: str) -> float | None:
    n = num_value(num)
    if n is None:
        return None
    per = {"day": 1, "week": 7, "month": 30.44, "year": 365.25, "decade": 3652.5}.get(unit)
    return n * per if per else None


_SINCE = re.compile(
    r"(?P<num>\d+(?:\.\d+)?(?:\s+and\s+(?:a\s+)?half)?|one|two|three|four|five|six|seven|eight|nine|ten|a|an)"
    r"(?:\s+and\s+(?:a\s+)?half)?\s+(?P<unit>day|week|month|year|decade)s?\s+(?:since|after)\b", re.I)


def _collect(doc: Doc, cands: list[Candidate]) -> _Clues:
    cl = _Clues([], [], [], [], [], [], [])
    text = doc.text
    for c in cands:
        g = c.groups
        tense = tense_at(doc, c.start, c.end)
        if c.rule == "iso":
            d = safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
            if d:
                cl.full.append((d, tense))
        elif c.rule in ("mdy", "dmy", "md_range", "dm_range"):
            mon, day = month_of(g["mon"]), day_of(g["d"])
            if c.rule.endswith("range") and g.get("conn") == "and" and g.get("pre") != "between":
                continue
            if g.get("y"):
                y, _ = year_of(g["y"], None)
                d = safe_date(y, mon, day)
                if d:
                    cl.full.append((d, tense))
            elif mon and safe_date(2000, mon, day):
                mon2 = month_of(g["mon2"]) if g.get("mon2") else mon
                cl.md.append((mon, day, tense, mon2, day_of(g["d2"]) if g.get("d2") else day))
        elif c.rule == "month" and g.get("y"):
            y, _ = year_of(g["y"], None)
            cl.months.append((y, month_of(g["mon"]), tense))
        elif c.rule == "year":
            cl.years.append(int(g["y"]))
        elif c.rule == "weekday" and g.get("wmod") in (None, "last", "next", "this", "on"):
            span = span_at(doc, c.start, c.end)
            verb = governing_verb(span.root) if span is not None and len(span) else None
            reporting = verb is not None and verb.lemma_.lower() in REPORTING
            cl.weekdays.append((weekday_of(g["wd"]), tense, reporting, g.get("wmod")))
        elif c.rule == "relunit" and g.get("u") == "week" and g.get("rel") in ("next", "this", "last"):
            cl.weeks.append(({"next": 1, "this": 0, "last": -1}[g["rel"]], tense))
    # "about 1 and half years since ... July 2024"
    for m in _SINCE.finditer(text):
        days = _duration_days(m.group("num"), m.group("unit").lower())
        if days is None:
            continue
        after = [c for c in cands if m.end() <= c.start < m.end() + 160 and c.groups.get("y")]
        if not after:
            continue
        c = after[0]
        g = c.groups
        y, _ = year_of(g["y"], None)
        mon = month_of(g["mon"]) if g.get("mon") else 7
        day = day_of(g["d"]) if g.get("d") else 15
        base = safe_date(y, mon or 7, day) or dt.date(y, 7, 1)
        # an anchor given only as a year ("since 1998") is vague by half a year either way
        slack = 0 if g.get("d") else (15 if g.get("mon") else 183)
        cl.since.append((base + dt.timedelta(days=days), days + 5 * slack))
    return cl


def _year_candidates(cl: _Clues) -> list[int]:
    ys: set[int] = set()
    for d, _t in cl.full:
        ys.update((d.year - 1, d.year, d.year + 1))
    for y, _m, _t in cl.months:
        ys.update((y, y + 1, y + 2))
    for y in cl.years:
        ys.update((y, y + 1))
    for d, _days in cl.since:
        ys.update((d.year - 1, d.year, d.year + 1))
    return sorted(ys)


def _score(D: dt.date, cl: _Clues) -> tuple[float, int]:
    """Consistency of candidate publication date D with the clues (score, clues satisfied)."""
    s, n = 0.0, 0
    for d, t in cl.full:
        gap = (d - D).days
        if t == "past" and gap > 1 or t == "future" and gap < -1:
            s -= 3
        else:
            s += 1
            n += 1
        # news also names old dates (anniversaries) and far deadlines ("due March 1, 2031"):
        # the pull towards a date is bounded, and weaker for what lies ahead
        s -= min(abs(gap) / 120, 1.0 if t == "future" else 2.0)
    best_md: list[dt.date] = []
    for mon, day, t, _m2, _d2 in cl.md:
        opts = [x for x in (safe_date(D.year + k, mon, day) for k in (-1, 0, 1)) if x]
        if t == "past":
            opts = [x for x in opts if x <= D]
        elif t == "future":
            opts = [x for x in opts if x > D]  # announced before it happens
        if not opts:
            s -= 3
            continue
        x = min(opts, key=lambda x: abs((x - D).days))
        gap = abs((x - D).days)
        best_md.append(x)
        if gap <= 45:
            # a past date is reported within days; a plan may be announced weeks ahead
            s += 1.5 - gap / (90 if t == "future" else 30)
            n += 1
        else:
            s -= min(gap / 60, 2.5)  # stories also look back months ("on May 6, ...")
    for y, m, t in cl.months:
        if t == "past" and (y, m) > (D.year, D.month):
            s -= 3
        elif t == "future" and (y, m) < (D.year, D.month):
            s -= 3
        elif (D.year - y) * 12 + D.month - m > 36:
            s -= 0.5
    for y in cl.years:
        if y > D.year + 1:
            s -= 2
    for wd, t, rep, mod in cl.weekdays:
        back = (D.weekday() - wd) % 7
        if t == "past" or rep:
            if rep and back == 0:
                s += 2
                n += 1
            elif back <= 2:
                s += 1 if back == 0 else 0.5
                n += 1
        elif t == "future":
            fwd = (wd - D.weekday()) % 7
            if 0 < fwd <= 6:
                s += 0.3
    explicit = [d for d, _t in cl.full] + best_md
    for k, t in cl.weeks:
        target = iso_week(D + dt.timedelta(weeks=k))
        if any(iso_week(x) == target for x in explicit):
            s += 3
            n += 1
        elif k == 1 and explicit and all(x <= D for x in explicit):
            s -= 0.5
    for est, days in cl.since:
        tol = max(20.0, days * 0.2)  # "days" includes the anchor's own vagueness
        gap = abs((D - est).days)
        if gap <= tol:
            s += 2 - gap / tol
            n += 1
        else:
            s -= min(4.0, gap / tol)
    return s, n


HINT_DAYS = 7  # a dated story on the same event is usually published within a week


def _hints(hints) -> list[tuple[dt.date, float]]:
    """Normalise hints: dates, datetimes, ISO strings or (date, weight) pairs; bad ones are dropped."""
    out: list[tuple[dt.date, float]] = []
    for h in hints or ():
        w = 1.0
        if isinstance(h, (tuple, list)) and len(h) == 2:
            h, w = h
        if isinstance(h, dt.datetime):
            h = h.date()
        elif isinstance(h, str):
            try:
                h = dt.date.fromisoformat(h[:10])
            except ValueError:
                continue
        if not isinstance(h, dt.date) or not 1000 <= h.year <= 3000:
            continue  # not a date, or not one a news story is published on
        try:
            w = max(0.0, min(1.0, float(w)))
        except (TypeError, ValueError):
            w = 1.0
        out.append((h, w))
    return out


def _hint_score(D: dt.date, hints: list[tuple[dt.date, float]]) -> float:
    """Agreement of candidate D with the other stories' dates (near and not before them)."""
    s = 0.0
    for h, w in hints:
        gap = (D - h).days
        if -1 <= gap <= HINT_DAYS:
            s += w * (1.5 - max(gap, 0) / HINT_DAYS)
        else:
            s -= w * min(1.5, abs(gap) / 60)
    return s


def _year_fixed(D: dt.date, cl: _Clues, days: int = 400) -> bool:
    """A clue with its own year (full date, month and year, "N years since") lies near D."""
    return any(abs((d - D).days) <= days for d, _t in cl.full) \
        or any(abs((dt.date(y, m, 15) - D).days) <= days for y, m, _t in cl.months) \
        or any(abs((est - D).days) <= days for est, _n in cl.since)


def _near_explicit(D: dt.date, cl: _Clues, days: int = 45) -> bool:
    """An explicit date (full, month-day, or "N years since") lies within ``days`` of D."""
    if any(abs((d - D).days) <= days for d, _t in cl.full):
        return True
    for mon, day, _t, _m2, _d2 in cl.md:
        for k in (-1, 0, 1):
            x = safe_date(D.year + k, mon, day)
            if x and abs((x - D).days) <= days:
                return True
    return any(abs((est - D).days) <= max(20.0, n * 0.2) for est, n in cl.since)


def infer_published(doc: Doc, hints=None) -> tuple[dt.date, float] | None:
    """Best-guess publication date of an undated document and a confidence in [0, 1].

    ``hints``: optional publication dates of other documents about the same event (dates,
    ISO strings, or ``(date, weight)`` pairs with weight in [0, 1]), e.g. the dated story
    a crawl found next to this one. They add candidates and favour dates close to them;
    the text's own clues still decide when they disagree.

    Returns None when neither the text nor the hints give any date evidence; Jan 1 of the
    latest year with low confidence when the text only names years (or the nearest hint).
    """
    text = doc.text
    if not text.strip():
        return None
    hint_list = _hints(hints)
    raw = scan(text)
    stamp = header_date(text, raw)
    if stamp is not None:
        return stamp, 0.8
    cands = select([c for c in raw if valid(c, doc, text)])
    cl = _collect(doc, cands)
    if not (cl.full or cl.md or cl.months or cl.since) and not hint_list:
        if cl.years:
            return dt.date(max(cl.years), 1, 1), 0.1
        return None
    centres: set[dt.date] = set(d for d, _t in cl.full)
    for h, _w in hint_list:
        centres.add(h)
    years = sorted(set(_year_candidates(cl)) | {h.year + k for h, _w in hint_list for k in (-1, 0)})
    for mon, day, _t, _m2, _d2 in cl.md:
        for y in years:
            d = safe_date(y, mon, day)
            if d:
                centres.add(d)
    for y, m, _t in cl.months:
        centres.add(dt.date(y, m, 15))
    for est, _days in cl.since:
        centres.add(est)
    if not centres:
        return None
    today = dt.date.today()
    latest = sorted(c for c in centres if c <= today + dt.timedelta(days=WINDOW))[-12:]
    scored: dict[dt.date, tuple[float, int]] = {}
    for c in latest:
        for k in range(-WINDOW, WINDOW + 1):
            try:
                D = c + dt.timedelta(days=k)
            except OverflowError:
                continue
            if D > today:
                continue  # nothing is published in the future
            if D not in scored:
                sc, n = _score(D, cl)
                if hint_list:
                    hs = _hint_score(D, hint_list)
                    sc, n = sc + hs, n + (1 if hs > 0 else 0)
                scored[D] = (sc, n)
    if not scored:
        return None
    ranked = sorted(scored.items(), key=lambda kv: (-kv[1][0], -kv[0].toordinal()))
    best, (s1, n1) = ranked[0]
    s2 = ranked[1][1][0] if len(ranked) > 1 else s1 - 5
    margin = max(0.0, s1 - s2)
    conf = 0.15 + 0.1 * min(n1, 5) + 0.1 * min(margin, 2.0)
    if not _year_fixed(best, cl):
        # no clue near the guess fixes its year (a bare "Oct. 23" or "1987" does not)
        conf = min(conf, 0.5 if hint_list and n1 > 0 else 0.3)
    if not _near_explicit(best, cl):
        # weekdays and tenses fit many dates; without an explicit date near the guess (a story
        # about 1997 published in 1999 looks the same) the guess is only a guess
        conf = min(conf, 0.5 if hint_list and any(abs((best - h).days) <= HINT_DAYS for h, _w in hint_list) else 0.3)
    return best, round(max(0.05, min(0.95, conf)), 2)
