"""Filters on the store's events and actors, parsed and checked in one place.

Why: the CLI and the HTTP API answered the same question differently (`--type sanction`
found nothing where `?type=sanction` found the sanctions; `--since 2025-03` was refused by
one and taken by the other). Both now hand the raw strings to :func:`event_filters`,
:func:`country` and :func:`limit`, and turn a :class:`FilterError` into their own kind of
error (a usage error, a 400).
"""
from __future__ import annotations

import datetime as dt
import re

from .errors import StorylineError
from .events.lexicon import PLOVER_TYPES

MODALITIES = ("asserted", "planned", "negated", "hypothetical", "reported")
EVENT_PARAMS = ("type", "modality", "country", "doc", "story", "since", "until")
COUNTRY_RE = re.compile(r"^[A-Za-z]{2,12}$")
MAX_ID_LEN = 300


class FilterError(StorylineError):
    """A filter value that is not valid; the message names the parameter and what it takes."""

    def __init__(self, param: str, message: str):
        self.param = param
        self.detail = message
        super().__init__(f"{param}: {message}")


def date_bound(name: str, value: str, end: bool) -> str:
    """ISO day of ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; a month or year covers all its days
    (its first day as a lower bound, its last as an upper bound)."""
    value = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value).isoformat()
        if re.fullmatch(r"\d{4}-\d{2}", value):
            y, m = map(int, value.split("-"))
            first = dt.date(y, m, 1)
            if not end:
                return first.isoformat()
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            return (nxt - dt.timedelta(days=1)).isoformat()
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 12 if end else 1, 31 if end else 1).isoformat()
    except ValueError:
        pass
    raise FilterError(name, f"not a date (want YYYY-MM-DD, YYYY-MM or YYYY): {value!r}")


def country(value: str | None) -> str | None:
    """An ISO 3166 alpha-3 code or IGO acronym, upper-cased; None when not given."""
    if value is None or not value.strip():
        return None
    c = value.strip()
    if not COUNTRY_RE.match(c):
        raise FilterError("country", f"want an ISO 3166 alpha-3 code or an IGO acronym, got {c!r}")
    return c.upper()


def event_filters(type: str | None = None, modality: str | None = None, country: str | None = None,  # noqa: A002
                  doc: str | None = None, story: str | None = None, since: str | None = None,
                  until: str | None = None) -> dict[str, str]:
    """Checked, normalised event filters (only those given): the values the store's queries take."""
    out: dict[str, str] = {}
    if type and type.strip():
        t = type.strip().upper()
        if t not in PLOVER_TYPES:
            raise FilterError("type", f"not a PLOVER event type: {type!r} (one of {', '.join(sorted(PLOVER_TYPES))})")
        out["type"] = t
    if modality and modality.strip():
        m = modality.strip().lower()
        if m not in MODALITIES:
            raise FilterError("modality", f"{modality!r} is not one of {', '.join(MODALITIES)}")
        out["modality"] = m
    code = _country(country)
    if code:
        out["country"] = code
    for key, value in (("doc", doc), ("story", story)):
        if value:
            if len(value) > MAX_ID_LEN:
                raise FilterError(key, "id too long")
            out[key] = value
    if since and since.strip():
        out["since"] = date_bound("since", since, end=False)
    if until and until.strip():
        out["until"] = date_bound("until", until, end=True)
    if "since" in out and "until" in out and out["since"] > out["until"]:
        raise FilterError("since", f"{out['since']} is after until ({out['until']})")
    return out


_country = country


def limit(value: str | int | None, default: int, lo: int = 1, hi: int | None = None, name: str = "limit") -> int:
    """A row count within [lo, hi]; the default when not given."""
    if value is None or value == "":
        return default
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise FilterError(name, f"not an integer: {value!r}") from None
    if n < lo or (hi is not None and n > hi):
        bound = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise FilterError(name, f"must be {bound}, got {n}")
    return n
