"""Toponym resolution: pick the gazetteer entry a mention refers to, in document context.

Why a scored choice and not "most populous": news names collide ("Georgia", "Florida",
"Nara", "Lebanon"), and the document usually says which one is meant — countries and
places already named, demonyms, the caller's ``context_countries``, "Parkland, Florida"
patterns, distance to the other places. The score is a log-population prior plus feature
and main-name bonuses plus context bonuses; confidence is the softmax share of the winner.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc

from storyline.models import Place

from .gazetteer import Candidate, Gazetteer, haversine_km, load_gazetteer, name_key, valid_coordinate
from .recognize import Mention, recognize

__all__ = ["extract_places", "resolve_name", "Context", "score_candidates"]

FEATURE_BONUS = {
    "country": 2.0, "continent": 2.0, "admin1": 1.0, "admin2": 0.3, "river": 1.0, "lake": 1.0, "mountain": 1.0, "ocean": 1.5, "sea": 1.5, "strait": 1.0, "canal": 1.0,
    "island": 1.0, "base": 1.5, "airport": 1.5, "site": 1.0, "region": 1.0, "city": 0.0,
}
MAIN_NAME_BONUS = 0.7
COUNTRY_CTX = 2.5
ADMIN1_CTX = 2.0
CONTAINER_CTX = 4.0
NEAR_KM = 250.0
POP_WEIGHT = 1.3
CTX_FLOOR = 0.3


@dataclass
class Context:
    """What the document says about where it is."""

    countries: Counter = field(default_factory=Counter)  # alpha-3 → weight
    admin1: Counter = field(default_factory=Counter)  # "US.FL" → weight
    points: list[tuple[float, float, float]] = field(default_factory=list)  # lat, lon, weight

    def copy_without(self, cand: Candidate | None, weight: float = 1.0) -> Context:
        """The context minus one mention's own contribution (a place does not vote for itself)."""
        ctx = Context(Counter(self.countries), Counter(self.admin1), list(self.points))
        if cand is not None:
            if cand.country:
                ctx.countries[cand.country] -= weight
                if ctx.countries[cand.country] <= 0:
                    del ctx.countries[cand.country]
            if cand.admin1_code and cand.feature in ("admin1", "city"):
                ctx.admin1[cand.admin1_code] -= weight
                if ctx.admin1[cand.admin1_code] <= 0:
                    del ctx.admin1[cand.admin1_code]
            try:
                ctx.points.remove((cand.lat, cand.lon, weight))
            except ValueError:
                pass
        return ctx


# Adjectives of places that are not countries (country demonyms come from storyline.countries).
REGION_ADJECTIVES = {
    "african": "Africa", "european": "Europe", "asian": "Asia", "north american": "North America",
    "south american": "South America", "latin american": "Latin America", "middle eastern": "Middle East",
    "mideast": "Middle East", "mediterranean": "Mediterranean Sea", "caribbean": "Caribbean Sea",
    "balkan": "Balkans", "caucasian": "Caucasus", "kurdish": "Kurdistan", "scandinavian": "Scandinavia",
    "siberian": "Siberia", "crimean": "Crimea", "tibetan": "Tibet", "kashmiri": "Kashmir",
    "palestinian": "Palestine", "arctic": "Arctic Ocean", "atlantic": "Atlantic Ocean", "pacific": "Pacific Ocean",
}


def adjective_candidates(gaz: Gazetteer, text: str) -> list[tuple[Candidate, bool]]:
    """The place an adjective or demonym points at ("Russian" → Russia, "African" → Africa).

    Only for resolving a span someone else marked as a toponym (evaluation on gold spans,
    other stages): the recogniser itself does not report demonyms as places.
    """
    key = name_key(text)
    if key.endswith("s") and key[:-1] in REGION_ADJECTIVES:
        key = key[:-1]
    if key in REGION_ADJECTIVES:
        return [(c, True) for c in gaz.lookup(REGION_ADJECTIVES[key])[:1]]
    try:
        from storyline.countries import country_entry
    except Exception:  # pragma: no cover
        return []
    hit = country_entry(text)
    if hit and hit[1] in ("demonym", "name", "abbrev"):
        c = gaz.country(hit[0])
        if c is not None:
            return [(c, True)]
    return []


def _prior(c: Candidate, main: bool) -> float:
    return POP_WEIGHT * math.log10(max(c.population, 1) + 1) + FEATURE_BONUS.get(c.feature, 0.0) + (MAIN_NAME_BONUS if main else 0.0)


def score_candidates(
    gaz: Gazetteer, query: str, ctx: Context | None = None, container: list[Candidate] | None = None,
) -> list[tuple[float, Candidate]]:
    """Scored candidates for a name, best first."""
    pairs = gaz.lookup_scored(query) or adjective_candidates(gaz, query)
    if not pairs:
        return []
    # a division named like its main city ("Tokyo", "Nara", "Dubai", "New York") is usually the city
    big_city_admins = {
        c.admin1_code for c, _ in pairs if c.feature == "city" and c.population >= 50_000 and c.admin1_code
    }
    scored: list[tuple[float, Candidate]] = []
    for c, main in pairs:
        s = _prior(c, main)
        if c.feature == "admin1" and c.admin1_code in big_city_admins:
            s -= 3.0
        if ctx is not None:
            if c.country and c.country in ctx.countries:
                share = ctx.countries[c.country] / sum(ctx.countries.values())
                s += COUNTRY_CTX * (CTX_FLOOR + (1 - CTX_FLOOR) * share)
            if c.feature in ("city", "admin2") and c.admin1_code and c.admin1_code in ctx.admin1:
                s += ADMIN1_CTX
            if ctx.points and c.feature in ("city", "admin1", "admin2", "base", "airport", "site", "island"):
                d = min(haversine_km(c.lat, c.lon, la, lo) for la, lo, _ in ctx.points)
                if d < NEAR_KM:
                    s += 1.0
                elif d < 4 * NEAR_KM:
                    s += 0.4
        if container:
            for k in container:
                if k.feature == "country" and c.country == k.country and c.feature != "country":
                    s += CONTAINER_CTX
                    break
                if k.feature == "admin1" and c.admin1_code == k.admin1_code and c.feature in ("city", "admin2"):
                    s += CONTAINER_CTX
                    break
        scored.append((s, c))
    scored.sort(key=lambda p: -p[0])
    return scored


def _confidence(scored: list[tuple[float, Candidate]]) -> float:
    if not scored:
        return 0.0
    top = scored[0][0]
    z = sum(math.exp(s - top) for s, _ in scored[:20])
    return 1.0 / z


def resolve_name(
    name: str, context_countries: Iterable[str] | None = None, gaz: Gazetteer | None = None,
    ctx: Context | None = None,
) -> tuple[Candidate, float] | None:
    """Best candidate (and confidence) for a bare name, with optional country context."""
    gaz = gaz or load_gazetteer()
    if ctx is None:
        ctx = Context()
        for code in context_countries or ():
            ctx.countries[code] += 1
    scored = score_candidates(gaz, name, ctx)
    if not scored:
        return None
    return scored[0][1], _confidence(scored)


def _queries(m: Mention) -> list[str]:
    qs = [m.query]
    if m.host:
        qs.append(m.host)
    return qs


def _containers(mentions: list[Mention], text: str, gaz: Gazetteer) -> dict[int, list[Candidate]]:
    """'Parkland, Florida' / 'Wonju, South Korea': the second names a container of the first."""
    out: dict[int, list[Candidate]] = {}
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        gap = text[a.end:b.start]
        if gap.strip() in {",", "("} and len(gap) <= 3:
            cands = [c for c in gaz.lookup(b.query) if c.feature in ("country", "admin1")]
            if cands:
                out[i] = cands
    return out


def _place(m: Mention, cand: Candidate | None, conf: float, gaz: Gazetteer) -> Place:
    if cand is None or not valid_coordinate(cand.lat, cand.lon):
        return Place(text=m.text, start=m.start, end=m.end, confidence=round(m.score * 0.5, 3))
    name = cand.name
    feature = cand.feature
    geonameid = cand.geonameid
    if m.host and name_key(m.text) != name_key(m.host) and not gaz.has(m.text):
        # "Naha air base" resolved through its host town: say so in the feature
        feature = "base" if any(w in m.text.lower() for w in ("base", "garrison")) else (
            "airport" if "airport" in m.text.lower() or "airfield" in m.text.lower() else feature)
        name = m.text
        geonameid = cand.geonameid if feature == cand.feature else None
    admin1 = cand.admin1 if cand.feature != "country" else None
    return Place(
        text=m.text, start=m.start, end=m.end, name=name, country=cand.country,
        lat=round(cand.lat, 5), lon=round(cand.lon, 5), geonameid=geonameid, feature=feature,
        admin1=admin1, confidence=round(m.score * (0.4 + 0.6 * conf), 3),
    )


def resolve_mentions(
    mentions: list[Mention], text: str, context_countries: Iterable[str] | None = None,
    demonym_countries: Iterable[str] | None = None, gaz: Gazetteer | None = None,
) -> list[tuple[Candidate | None, float]]:
    """Resolve mentions of one document together (two passes: priors, then context)."""
    gaz = gaz or load_gazetteer()
    base = Context()
    for code in context_countries or ():
        if code:
            base.countries[code.upper()] += 2
    for code in demonym_countries or ():
        if code and len(code) == 3:
            base.countries[code] += 1
    containers = _containers(mentions, text, gaz)
    # pass 1: priors only; confident winners vote for their country, division and position
    first: list[Candidate | None] = []
    ctx = Context(Counter(base.countries), Counter(), [])
    for i, m in enumerate(mentions):
        scored = []
        for q in _queries(m):
            scored = score_candidates(gaz, q, None, containers.get(i))
            if scored:
                break
        best = scored[0][1] if scored else None
        margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 9.0
        if best is not None and (margin >= 1.0 or best.feature == "country" or i in containers):
            first.append(best)
            if best.country:
                ctx.countries[best.country] += 1
            if best.admin1_code and best.feature in ("admin1", "city"):
                ctx.admin1[best.admin1_code] += 1
            if best.feature not in ("country", "continent", "ocean", "sea", "region"):
                ctx.points.append((best.lat, best.lon, 1.0))
        else:
            first.append(None)
    # pass 2: everything with the document context (minus the mention's own vote)
    out: list[tuple[Candidate | None, float]] = []
    for i, m in enumerate(mentions):
        own = ctx.copy_without(first[i])
        scored = []
        for q in _queries(m):
            scored = score_candidates(gaz, q, own, containers.get(i))
            if scored:
                break
        if not scored:
            out.append((None, 0.0))
            continue
        out.append((scored[0][1], _confidence(scored)))
    return out


def extract_places(doc: Doc, context_countries: list[str] | None = None) -> list[Place]:
    """Every toponym in ``doc`` with character offsets; resolved ones carry coordinates.

    Unknown names stay unresolved (``lat``/``lon`` None) — never a made-up coordinate.
    ``context_countries`` are alpha-3 codes known from elsewhere (e.g. the actors).
    """
    gaz = load_gazetteer()
    mentions, demonyms = recognize(doc, gaz)
    resolved = resolve_mentions(mentions, doc.text, context_countries, [d[0] for d in demonyms], gaz)
    return [_place(m, cand, conf, gaz) for m, (cand, conf) in zip(mentions, resolved)]
