"""The one per-document record the actors stage hands the events stage.

Why: the events stage needs, for every argument it resolves, the actor at a character span,
the country of a person named anywhere in the text, and the story's home (and counterpart)
country. Deriving them twice — once here, once in the event coder — gave two answers for one
document. ``extract_actors`` builds the record once (``document_context``) and leaves it on the
parsed ``Doc``; the events stage reads it from there.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..models import Actor, Place
from .merge import mention_score

USER_DATA_KEY = "storyline.actors.context"

# country votes of the home country (tuned with the event coder, issue 15)
HOME_MIN_VOTES = 4  # fewer votes is no home country: a one-line text naming a country once
COUNTERPART_MARGIN = 2  # the counterpart country has at least this many times the third one's votes
HEAD_CHARS = 80  # a place in the first characters (the dateline) votes HEAD_PLACE_VOTES
HEAD_PLACE_VOTES = 3
LOCAL_PLACE_VOTES = 2  # a city or province says where the story is set
NATIONAL_PLACE_VOTES = 1  # a country, continent or region
PERSON_VOTES = 0.5  # a person whose country is known


@dataclass
class DocContext:
    """Actors, their index, person → country and the home/counterpart countries of one document."""

    actors: list[Actor]
    person_country: dict[str, str] = field(default_factory=dict)
    home: str | None = None
    counterpart: str | None = None
    dateline: str | None = None
    _starts: list[int] = field(default_factory=list, repr=False)
    _mentions: list[tuple[int, int, Actor]] = field(default_factory=list, repr=False)
    _longest: int = 0

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        """Rebuild the mention index (after actors were added)."""
        ms = sorted(((m.start, m.end, a) for a in self.actors for m in a.mentions), key=lambda x: (x[0], x[1]))
        self._mentions = ms
        self._starts = [m[0] for m in ms]
        self._longest = max((e - s for s, e, _ in ms), default=0)

    def named_only_within(self, code: str, start: int, end: int, places: list[Place] | None = None) -> bool:
        """Whether every mention of an actor of country ``code`` (and every place in it, when given)
        lies in [start, end): the country is known only from that stretch of text (one phrase)."""
        if any(a.country == code and not start <= s < end for s, _, a in self._mentions):
            return False
        return not any(p.country == code and not start <= p.start < end for p in places or [])

    def actor_at(self, start: int, end: int) -> Actor | None:
        """The actor with a mention overlapping [start, end): most overlap, then the tightest
        mention (as ``actor_for_span``), found through the sorted mention index."""
        lo = bisect.bisect_left(self._starts, start - self._longest)
        hi = bisect.bisect_left(self._starts, end)
        best, best_actor = None, None
        for s, e, a in self._mentions[lo:hi]:
            score = mention_score(a, s, e, start, end)
            if score is not None and (best is None or score > best):
                best, best_actor = score, a
        return best_actor


def _name_keys(text: str) -> list[str]:
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    return [text.strip()] + ([words[-1], words[0]] if len(words) > 1 else [])


def person_countries(actors: list[Actor]) -> dict[str, str]:
    """Each person's names (full name, family and given name, every alias) → country."""
    out: dict[str, str] = {}
    for a in actors:
        if a.kind != "person" or not a.country:
            continue
        for alias in [a.name, *a.aliases]:
            for key in _name_keys(alias):
                out.setdefault(key, a.country)
    return out


def country_votes(places: list[Place], actors: list[Actor], persons: dict[str, str]) -> Counter:
    """Where the story is set: places (a dateline or a city more than a country), actors by
    their number of mentions, people with a known country."""
    votes: Counter = Counter()
    for p in places:
        if p.country:
            w = NATIONAL_PLACE_VOTES if (p.feature or "") in ("country", "continent", "region", "") else LOCAL_PLACE_VOTES
            votes[p.country] += HEAD_PLACE_VOTES if p.start < HEAD_CHARS else w
    for a in actors:
        if a.country:
            votes[a.country] += max(1, len(a.mentions))
    for c in persons.values():
        votes[c] += PERSON_VOTES
    return votes


def home_and_counterpart(votes: Counter) -> tuple[str | None, str | None]:
    """The home country (first in the votes, with at least ``HOME_MIN_VOTES`` and no tie) and the
    one foreign country a bilateral story is about (second, with at least ``HOME_MIN_VOTES`` and
    ``COUNTERPART_MARGIN`` times the third)."""
    ranked = votes.most_common(3)
    home = None
    if ranked and ranked[0][1] >= HOME_MIN_VOTES and not (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        home = ranked[0][0]
    other = None
    if len(ranked) >= 2 and ranked[1][1] >= HOME_MIN_VOTES and not (
            len(ranked) == 3 and ranked[1][1] < COUNTERPART_MARGIN * ranked[2][1]):
        other = ranked[1][0]
    return home, other


def document_context(doc: Doc, places: list[Place] | None, actors: list[Actor],
                     dateline: str | None = None) -> DocContext:
    """The record of one document (see the module docstring); also left on ``doc.user_data``."""
    persons = person_countries(actors)
    home, other = home_and_counterpart(country_votes(places or [], actors, persons))
    ctx = DocContext(actors=actors, person_country=persons, home=home, counterpart=other, dateline=dateline)
    doc.user_data[USER_DATA_KEY] = ctx
    return ctx


def context_of(doc: Doc, places: list[Place] | None, actors: list[Actor]) -> DocContext:
    """The record ``extract_actors`` left on ``doc`` for these actors, else one built now
    (actors that came from elsewhere, e.g. a stored document)."""
    ctx = doc.user_data.get(USER_DATA_KEY)
    if isinstance(ctx, DocContext) and ctx.actors is actors:
        ctx.reindex()
        return ctx
    return document_context(doc, places, actors)
