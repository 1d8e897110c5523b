"""Toponym resolution: pick the gazetteer entry a mention refers to, in document context.

Why a scored choice and not "most populous": news names collide ("Georgia", "Florida",
"Nara", "Lebanon"), and the document usually says which one is meant — countries and
places already named, demonyms, the caller's ``context_countries``, "Parkland, Florida"
patterns, distance to the other places. The score is a log-population prior plus feature
and main-name bonuses plus context bonuses; confidence is the softmax share of the winner.
"""
from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported by whoever parses; loading the gazetteer does not need it
    from spacy.tokens import Doc

from ..countries import country_entry
from ..errors import ModelError
from ..models import Place

from .gazetteer import Candidate, Gazetteer, NameGrid, haversine_km, load_gazetteer, name_key, valid_coordinate
from .recognize import COMMON_WORDS, DocFacts, Mention, recognize

__all__ = ["extract_places", "resolve_name", "Context", "score_candidates"]

FEATURE_BONUS = {
    "country": 2.0, "continent": 2.0, "admin1": 1.0, "admin2": 0.3, "river": 1.0, "lake": 1.0, "mountain": 1.0, "ocean": 1.5, "sea": 1.5, "strait": 1.0, "canal": 1.0,
    "island": 1.0, "base": 1.5, "airport": 1.5, "site": 1.0, "region": 1.0, "city": 0.0,
}
MAIN_NAME_BONUS = 0.7
COUNTRY_CTX = 2.5
ADMIN1_CTX = 2.0
CONTAINER_CTX = 4.0
LIST_CTX = 1.5
NEAR_KM = 250.0
# Distance to the nearest other place of the document → bonus: local news names places a
# few tens of km apart ("Chatham" next to Springfield, not the Chicago neighbourhood).
# (chosen on the dev half: 50 km +1.5 beat no 50 km step and a 100 km step)
NEAR_BONUS = ((50.0, 1.5), (NEAR_KM, 1.0), (4 * NEAR_KM, 0.4))
POP_WEIGHT = 1.3
BIG_CITY_POP = 1_000_000
CTX_FLOOR = 0.3
RANKER_FILE = "ranker.json"
# What the score of a candidate is made of, and the hand-set weights that make it.
RANK_FEATURES = (
    "log_population", "feature_bonus", "main_name", "namesake_district", "demonym_first", "variant_tail_class",
    "division_named_like_city", "country_in_context", "admin1_in_context", "near_50km", "near_250km",
    "near_1000km", "cue_preference", "cluster_support", "contains_the_town_before", "inside_the_container",
    "is_country", "is_admin1", "is_admin2", "log_readings", "log_km_nearest", "most_populous",
)
HAND_WEIGHTS = (POP_WEIGHT, 1.0, MAIN_NAME_BONUS, 1.0, 3.0, 4.0, -3.0, COUNTRY_CTX, ADMIN1_CTX,
                *(bonus for _, bonus in NEAR_BONUS), 1.0, 1.0, CONTAINER_CTX, CONTAINER_CTX, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


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
            if cand.admin1_code and cand.feature in ADMIN1_VOTERS:
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


def adjective_candidates(gaz: Gazetteer, text: str, demonym_only: bool = False) -> list[tuple[Candidate, bool]]:
    """The place an adjective or demonym points at ("Russian" → Russia, "African" → Africa).

    Only for resolving a span someone else marked as a toponym (evaluation on gold spans,
    other stages): the recogniser itself does not report demonyms as places.
    """
    key = name_key(text)
    if key.endswith("s") and key[:-1] in REGION_ADJECTIVES:
        key = key[:-1]
    if key in REGION_ADJECTIVES:
        return [(c, True) for c in gaz.lookup(REGION_ADJECTIVES[key])[:1]]
    hit = country_entry(text)
    if hit and hit[1] in (("demonym",) if demonym_only else ("demonym", "name", "abbrev")):
        c = gaz.country(hit[0])
        if c is not None:
            return [(c, True)]
    return []


def _prior(c: Candidate, main: bool) -> float:
    return POP_WEIGHT * math.log10(max(c.population, 1) + 1) + FEATURE_BONUS.get(c.feature, 0.0) + (MAIN_NAME_BONUS if main else 0.0)


# Words around a name that do not change where it is ("Oaxaca State", "Nyanza Province",
# "Birmingham City", "North Africa", "West Surrey"): tried when the whole name is unknown.
GENERIC_TAIL = {
    "state", "province", "county", "city", "district", "region", "municipality", "prefecture", "governorate",
    "department", "territory", "parish", "borough", "oblast", "area", "metro", "township", "town", "village",
    "emirate", "division", "republic",
}
DIRECTION_HEAD = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "northeast",
    "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern", "southwestern",
    "upper", "lower", "greater", "inner", "outer", "mid", "far",
}


def _variants(query: str) -> list[str]:
    """Shorter forms of an unknown name: generic tail words and direction heads dropped."""
    words = query.split()
    tails = [words]
    w = words
    while len(w) > 1 and w[-1].lower().strip(".,'’") in GENERIC_TAIL:
        w = w[:-1]
        tails.append(w)
    out: list[list[str]] = []
    for t in tails:
        if t is not words:
            out.append(t)
        h = t
        while len(h) > 1 and h[0].lower() in DIRECTION_HEAD | {"the"}:
            h = h[1:]
            out.append(h)
    return [" ".join(x) for x in out]


TAIL_FEATURE = {
    "state": "admin1", "province": "admin1", "region": "admin1", "prefecture": "admin1", "governorate": "admin1",
    "oblast": "admin1", "territory": "admin1", "emirate": "admin1", "department": "admin1",
    "county": "admin2", "district": "admin2", "parish": "admin2", "borough": "admin2", "municipality": "admin2",
    "city": "city", "town": "city", "village": "city", "township": "city",
}
PART_FEATURES = ("country", "admin1", "continent")
PART_MIN_CITY_POP = 100_000
PART_MIN_ADMIN1_POP = 200_000


def _part_pairs(gaz: Gazetteer, query: str) -> list[tuple[Candidate, bool]]:
    """The longest place name inside an unknown name ("University of California" → California,
    "Manila Cathedral" → Manila): only a country, first-level division or continent, or a
    town of 100k+ people by its main name, so institution words ("University", "Hall") that
    happen to be villages somewhere do not count."""
    words = [w for w in re.split(r"[\s\-–/]+", query) if w]
    n = len(words)
    for size in range(n - 1, 0, -1):
        for i in range(0, n - size + 1):
            part = words[i:i + size]
            if not part[0][:1].isupper() or not part[-1][:1].isupper():
                continue
            bare = part[0].lower().strip(".")
            if size == 1 and (len(bare) < 3 or bare in DIRECTION_HEAD | GENERIC_TAIL or bare in COMMON_WORDS):
                continue
            pairs = gaz.lookup_scored(" ".join(part))
            if any((c.feature in PART_FEATURES and (c.feature != "admin1" or c.population >= PART_MIN_ADMIN1_POP))
                   or (c.feature == "city" and main and c.population >= PART_MIN_CITY_POP) for c, main in pairs):
                return pairs
    return []


def _unshadowed(pairs: list[tuple[Candidate, bool]]) -> list[tuple[Candidate, bool]]:
    """Without the towns that have the name only as an alternate name while a bigger town has
    it as its main name: "Pittsburgh" is Pittsburgh, Pennsylvania, never the Californian
    Pittsburg that lists the spelling among its variants, whatever the document names."""
    main_pop = max((c.population for c, main in pairs if main and c.feature == "city"), default=0)
    if not main_pop:
        return pairs
    return [(c, main) for c, main in pairs if main or c.feature != "city" or c.population > main_pop]


def candidate_pairs(gaz: Gazetteer, query: str) -> tuple[list[tuple[Candidate, bool]], str]:
    """(candidate, main-name) pairs for a name and how they were found: ``name`` (the name
    itself), ``demonym`` ("Canadian" → Canada), ``variant`` (generic words dropped) or
    ``part`` (a place name inside a longer unknown name)."""
    pairs = gaz.lookup_scored(query)
    adj = adjective_candidates(gaz, query, demonym_only=True)
    if adj:
        # "Canadian" is the country's adjective before it is a town in Texas
        seen = {id(c) for c, _ in pairs}
        return adj + [p for p in pairs if id(p[0]) not in seen], "demonym"
    if pairs:
        return _unshadowed(pairs), "name"
    adj = adjective_candidates(gaz, query)
    if adj:
        return adj, "demonym"
    for v in _variants(query):
        pairs = gaz.lookup_scored(v)
        if pairs:
            tail = query.split()[-1].lower().strip(".,'’") if len(query.split()) > len(v.split()) else ""
            return pairs, f"variant:{tail}"
    pairs = _part_pairs(gaz, query)
    if pairs:
        return pairs, "part"
    return [], "none"


def score_candidates(
    gaz: Gazetteer, query: str, ctx: Context | None = None, container: list[Candidate] | None = None,
    prefer: dict[str, float] | None = None, contained: list[Candidate] | None = None,
    cluster: dict[int, float] | None = None, ranker: tuple[float, ...] | None = None,
    trace: list | None = None,
) -> list[tuple[float, Candidate]]:
    """Scored candidates for a name, best first. ``cluster``: GeoNames id → bonus for lying
    among the candidates of the document's other names (see ``cluster_support``). The score
    is a weighted sum of ``RANK_FEATURES``: the hand-set weights (``HAND_WEIGHTS``) or a
    learned ``ranker``'s. ``trace`` collects (candidate, feature values) for training."""
    pairs, how = candidate_pairs(gaz, query)
    if not pairs:
        return []
    # a division named like its main city ("Tokyo", "Nara", "Dubai", "New York") is usually the city
    big_city_admins = {
        c.admin1_code for c, _ in pairs if c.feature == "city" and c.population >= 50_000 and c.admin1_code
    }
    big_main_city = any(c.feature == "city" and main and c.population >= BIG_CITY_POP for c, main in pairs)
    namesake_prior: dict[str, float] = {}
    for c, main in pairs:
        if c.feature == "admin2" and c.admin1_code in big_city_admins:
            namesake_prior[c.admin1_code] = max(namesake_prior.get(c.admin1_code, 0.0), _prior(c, main))
    scored: list[tuple[float, Candidate]] = []
    for k, (c, main) in enumerate(pairs):
        f = [0.0] * len(RANK_FEATURES)
        own = _prior(c, main)
        f[0] = math.log10(max(c.population, 1) + 1)
        f[1] = FEATURE_BONUS.get(c.feature, 0.0)
        f[2] = float(main)
        if c.feature == "city" and c.population >= 50_000 and c.admin1_code in namesake_prior:
            # the city carries the weight of its namesake district ("Geneva", "Paris")
            f[3] = max(0.0, namesake_prior[c.admin1_code] - own)
        if how == "demonym" and k == 0:
            f[4] = 1.0
        elif how.startswith("variant:") and c.feature == TAIL_FEATURE.get(how[8:]):
            f[5] = 1.0  # "Oaxaca State" is the state, "Suffolk County" the county
        if c.feature in ("admin1", "admin2") and (c.admin1_code in big_city_admins or (big_main_city and not main)):
            f[6] = 1.0  # "Paris", "Madrid": the city, not the département/province of the same name;
            # "Moscow": the city, not the oblast that has it as an alternate name
        if ctx is not None:
            if c.country and c.country in ctx.countries:
                share = ctx.countries[c.country] / sum(ctx.countries.values())
                f[7] = CTX_FLOOR + (1 - CTX_FLOOR) * share
            if c.feature in ("city", "admin2") and c.admin1_code and c.admin1_code in ctx.admin1:
                f[8] = 1.0
            if ctx.points and c.feature in ("city", "admin1", "admin2", "base", "airport", "site", "island"):
                d = min(haversine_km(c.lat, c.lon, la, lo) for la, lo, _ in ctx.points)
                step = next((n for n, (km, _) in enumerate(NEAR_BONUS) if d < km), None)
                if step is not None:
                    f[9 + step] = 1.0
                f[20] = math.log10(1 + d) - 4.0  # 0 at 10,000 km, negative nearer
        if prefer:
            f[12] = prefer.get(c.feature, 0.0)
        if cluster and c.geonameid is not None:
            f[13] = cluster.get(c.geonameid, 0.0)
        if contained and c.feature in ("admin1", "country"):
            # "Tacoma, Washington": the second name contains the first
            key = "country" if c.feature == "country" else "admin1_code"
            if any(getattr(k, key) == getattr(c, key) and k.feature in ("city", "admin2") for k in contained[:8]):
                f[14] = 1.0
        if container:
            for k in container:
                if k.feature == "country" and c.country == k.country and c.feature != "country":
                    f[15] = 1.0
                    break
                if k.feature == "admin1" and c.admin1_code == k.admin1_code and c.feature in ("city", "admin2"):
                    f[15] = 1.0
                    break
        f[16] = float(c.feature in ("country", "continent"))
        f[17] = float(c.feature == "admin1")
        f[18] = float(c.feature == "admin2")
        f[19] = math.log1p(len(pairs))
        f[21] = float(k == 0 and how != "demonym")
        weights = HAND_WEIGHTS if ranker is None else ranker
        scored.append((sum(w * v for w, v in zip(weights, f) if v), c))
        if trace is not None:
            trace.append((c, f))
    scored.sort(key=lambda p: -p[0])
    return scored


CLUSTER_FEATURES = ("city", "admin2", "island", "base", "airport", "site")
CLUSTER_TOP = 25  # candidates per name that take part (most populous first)
CLUSTER_CELL_DEG = 1.0  # grid cell; a candidate looks at its own and the 8 cells around it
# bonus per supporting name and its cap (dev half: weight 1 → 1.5 → 2 → 3 gave end-to-end
# 0.771 → 0.772 → 0.773 → 0.773; cap 5 the same as 3)
CLUSTER_WEIGHT = 2.0
CLUSTER_CAP = 3.0


def _prior_of(c: Candidate) -> float:
    return _prior(c, False)


def cluster_support(gaz: Gazetteer, queries: list[str]) -> dict[str, dict[int, float]]:
    """Name → {GeoNames id of one of its candidates → bonus}: how many of the document's other
    names have a local candidate (town, county, base, island …) within about a degree of it,
    each counted 1/sqrt(its number of local candidates) (an unambiguous town is stronger
    evidence than a "Springfield"), capped. Only names whose candidates are all towns or
    counties get a bonus: a name that can be a country or continent, or whose likeliest
    reading is a division, is left to the other rules ("Mexico" is the country, not Mexico
    City among US towns; "New Brunswick" beside Ontario the province).

    Why: local news names several places of one area and often never the state ("Paris",
    "Henry County", "Puryear"); the reading where they lie together is the likely one
    (spatial minimality, as in Lieberman et al.'s local lexicons)."""
    names: dict[str, list[Candidate]] = {}
    choose: set[str] = set()
    for q in queries:
        k = name_key(q)
        if not k or k in names:
            continue
        cands = gaz.lookup(q)[:CLUSTER_TOP]
        names[k] = [c for c in cands if c.feature in CLUSTER_FEATURES and c.geonameid is not None]
        if len(cands) > 1 and max(cands, key=_prior_of).feature in ("city", "admin2") \
                and not any(c.feature in ("country", "continent") for c in cands):
            choose.add(k)
    if len(names) < 2 or not choose:
        return {}
    grid = NameGrid(CLUSTER_CELL_DEG)
    for k, cands in names.items():
        grid.add(k, cands, 1.0 / math.sqrt(len(cands)) if cands else 0.0)
    out: dict[str, dict[int, float]] = {}
    for k in choose:
        bonus: dict[int, float] = {}
        for c in names[k]:
            near = grid.near(c, k)
            if near:
                bonus[c.geonameid] = CLUSTER_WEIGHT * min(CLUSTER_CAP, sum(near.values()))
        out[k] = bonus
    return out


# A town, a county or a division votes for its division ("Pike County" says the state).
ADMIN1_VOTERS = ("admin1", "city", "admin2")


def _vote(ctx: Context, best: Candidate) -> None:
    """A resolved place's vote: its country, its first-level division, its position."""
    if best.country:
        ctx.countries[best.country] += 1
    if best.admin1_code and best.feature in ADMIN1_VOTERS:
        ctx.admin1[best.admin1_code] += 1
    if best.feature not in ("country", "continent", "ocean", "sea", "region"):
        ctx.points.append((best.lat, best.lon, 1.0))


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


STATE_WORDS = ("state", "province", "prefecture", "county")
LIST_GAPS = {",", "and", ", and", "or", ", or", "&", "/"}


def _cues(mentions: list[Mention], text: str) -> list[dict[str, float]]:
    """Feature preferences from the words around each mention: "Washington state", "the state
    of New York" (a division, not the city)."""
    out: list[dict[str, float]] = []
    for m in mentions:
        after = text[m.end:m.end + 12].lower()
        before = text[max(0, m.start - 12):m.start].lower()
        cue: dict[str, float] = {}
        if after.startswith(tuple(" " + w for w in ("state ", "state,", "state.", "state'", "state’"))) or \
                before.endswith(("state of ", "states of ")):
            cue["admin1"] = 5.0
        out.append(cue)
    return out


def _list_neighbours(mentions: list[Mention], text: str) -> list[list[int]]:
    """Indices of the mentions coordinated with each one ("Ohio, Oregon, Washington and Utah")."""
    nb: list[list[int]] = [[] for _ in mentions]
    for i in range(len(mentions) - 1):
        gap = " ".join(text[mentions[i].end:mentions[i + 1].start].split()).lower()
        if gap in LIST_GAPS:
            nb[i].append(i + 1)
            nb[i + 1].append(i)
    return nb


def _place(m: Mention, cand: Candidate | None, conf: float, gaz: Gazetteer) -> Place:
    if cand is None or not valid_coordinate(cand.lat, cand.lon):
        return Place(text=m.text, start=m.start, end=m.end, confidence=round(m.score * 0.5, 3))
    name = cand.name
    feature = cand.feature
    geonameid = cand.geonameid
    if feature == "vicinity":
        return Place(text=m.text, start=m.start, end=m.end, name=m.text, country=cand.country,
                     lat=round(cand.lat, 5), lon=round(cand.lon, 5), geonameid=None, feature="vicinity",
                     admin1=cand.admin1, confidence=round(m.score * conf, 3))
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


@functools.lru_cache(maxsize=1)
def ranker_weights() -> tuple[float, ...] | None:
    """The learned weights of ``RANK_FEATURES`` (``data/places/ranker.json``, written by
    ``scripts/train_ranker.py``), or None: the hand-set weights."""
    path = resources.files("storyline.data.places").joinpath(RANKER_FILE)
    if not path.is_file():
        return None
    d = json.loads(path.read_text(encoding="utf-8"))
    if tuple(d["features"]) != RANK_FEATURES:
        raise ModelError(f"{RANKER_FILE}: its features differ from this version's; run scripts/train_ranker.py")
    return tuple(float(w) for w in d["weights"])


def resolve_mentions(
    mentions: list[Mention], text: str, context_countries: Iterable[str] | None = None,
    demonym_countries: Iterable[str] | None = None, gaz: Gazetteer | None = None, vicinity: bool = True,
    ranker: tuple[float, ...] | None = None, trace: dict[int, list] | None = None,
) -> list[tuple[Candidate | None, float]]:
    """Resolve mentions of one document together (two passes: priors, then context).

    ``ranker``: weights of ``RANK_FEATURES`` for the second pass (default: the shipped
    learned ranker when there is one, else the hand-set weights); ``trace``: filled with
    mention index → [(candidate, features)] of the second pass (training the ranker).

    ``vicinity``: a name the gazetteer does not hold (a street, a building, a neighbourhood)
    gets the position of the local place the document names nearest to it, marked as
    feature ``vicinity`` with no GeoNames id (see ``vicinity_candidate``); without a local
    place in the document it stays unresolved."""
    gaz = gaz or load_gazetteer()
    weights = ranker if ranker is not None else ranker_weights()
    base = Context()
    for code in context_countries or ():
        if code:
            base.countries[code.upper()] += 2
    for code in demonym_countries or ():
        if code and len(code) == 3:
            base.countries[code] += 1
    containers = _containers(mentions, text, gaz)
    contained = {i + 1: gaz.lookup(mentions[i].query) for i in containers}
    cues = _cues(mentions, text)
    neighbours = _list_neighbours(mentions, text)
    support = cluster_support(gaz, [q for m in mentions for q in _queries(m)])
    # pass 1: priors only; confident winners vote for their country, division and position
    first: list[Candidate | None] = []
    first_any: list[Candidate | None] = []
    ctx = Context(Counter(base.countries), Counter(), [])
    for i, m in enumerate(mentions):
        scored = []
        for q in _queries(m):
            scored = score_candidates(gaz, q, None, containers.get(i), cues[i], contained.get(i),
                                      support.get(name_key(q)))
            if scored:
                break
        best = scored[0][1] if scored else None
        first_any.append(best)
        margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 9.0
        if best is not None and (margin >= 1.0 or best.feature == "country" or i in containers):
            first.append(best)
            _vote(ctx, best)
        else:
            first.append(None)
    prefers = []
    for i in range(len(mentions)):
        prefer = dict(cues[i])
        for j in neighbours[i]:
            # a list of names is usually a list of the same kind ("Ohio, Oregon, Washington")
            c = first_any[j]
            if c is not None and c.feature in ("admin1", "country"):
                prefer[c.feature] = prefer.get(c.feature, 0.0) + LIST_CTX
        prefers.append(prefer)

    def with_context(ctx: Context, own: list[Candidate | None]) -> list[tuple[Candidate | None, float]]:
        out: list[tuple[Candidate | None, float]] = []
        for i, m in enumerate(mentions):
            scored = []
            for q in _queries(m):
                rows: list | None = [] if trace is not None else None
                scored = score_candidates(gaz, q, ctx.copy_without(own[i]), containers.get(i), prefers[i],
                                          contained.get(i), support.get(name_key(q)), weights, rows)
                if scored:
                    if trace is not None:
                        trace[i] = rows
                    break
            if not scored:
                out.append((None, 0.0))
                continue
            best = scored[0][1]
            box = containers.get(i)
            if box and best.feature in ("city", "admin2") and not any(
                    c.feature in ("admin1", "country") for _, c in scored) and not any(
                    (k.feature == "country" and best.country == k.country) or
                    (k.feature == "admin1" and best.admin1_code == k.admin1_code) for k in box):
                # "Stroud, Ontario" with no Stroud in Ontario: not the Stroud in England
                out.append((None, 0.0))
                continue
            out.append((best, _confidence(scored)))
        return out

    # pass 2: everything with the document context (minus the mention's own vote)
    out = with_context(ctx, first)
    if vicinity:
        for i, (cand, _) in enumerate(out):
            if cand is not None and cand.feature in ("admin1", "country") and name_key(cand.name) != name_key(mentions[i].query) \
                    and candidate_pairs(gaz, mentions[i].query)[1] == "part":
                # "Colorado State University" in a story about Fort Collins: the town, not the state
                anchor = _vicinity_anchor(i, mentions, out, [cand])
                if anchor is not None and anchor is not cand and anchor.feature in LOCAL_FEATURES:
                    out[i] = (vicinity_candidate(anchor), VICINITY_CONF)
                continue
            if cand is None:
                box = [c for c in (containers.get(i) or []) if out[i + 1][0] is not None
                       and c.geonameid == out[i + 1][0].geonameid] or containers.get(i, [])[:1]
                anchor = _vicinity_anchor(i, mentions, out, box)
                if anchor is not None:
                    out[i] = (vicinity_candidate(anchor), VICINITY_CONF)
    return out


LOCAL_FEATURES = ("city", "admin2", "base", "airport", "site", "island")
VICINITY_CONF = 0.2


def vicinity_candidate(anchor: Candidate) -> Candidate:
    """An unknown local name (street, building, neighbourhood) placed at the town the document
    is about: the anchor's coordinate, no GeoNames id, feature ``vicinity``."""
    return Candidate(None, anchor.name, anchor.country, anchor.lat, anchor.lon, "vicinity", anchor.admin1,
                     0, f"vicinity of {anchor.name} ({anchor.geonameid})", anchor.admin1_code)


def _vicinity_anchor(i: int, mentions: list[Mention], out: list[tuple[Candidate | None, float]],
                     container: list[Candidate] | None = None) -> Candidate | None:
    """The local place (town, county, site) named nearest to the mention, inside its container
    when the text gives one ("Pingilikani, Kenya"; else the container itself), else the
    division named most often; None when the document names none."""
    def inside(c: Candidate) -> bool:
        if not container:
            return True
        return any((k.feature == "country" and c.country == k.country) or
                   (k.feature == "admin1" and c.admin1_code == k.admin1_code) for k in container)

    best: tuple[float, Candidate] | None = None
    for j, (c, _) in enumerate(out):
        if c is None or c.feature not in LOCAL_FEATURES or j == i or not inside(c):
            continue
        dist = abs(mentions[i].start - mentions[j].start)
        if best is None or dist < best[0]:
            best = (dist, c)
    if best is not None:
        return best[1]
    if container:
        return container[0]
    admins = Counter(c.admin1_code for c, _ in out if c is not None and c.feature == "admin1")
    if admins:
        code = admins.most_common(1)[0][0]
        return next(c for c, _ in out if c is not None and c.feature == "admin1" and c.admin1_code == code)
    return None


# Country-code domains sold as generic names (".tv", ".io", ".fm"): they say nothing of the outlet.
GENERIC_CCTLDS = {"tv", "io", "fm", "me", "co", "ly", "ai", "cc", "ws", "to", "am", "gg", "eu", "su", "im", "la", "nu",
                  "tk", "ml", "ga", "cf", "gq", "sh", "ac", "vc", "gd"}


def url_country(url: str | None, gaz: Gazetteer | None = None) -> str | None:
    """Alpha-3 code of the outlet's country from its web address' country-code domain
    ("www.irishtimes.ie" → IRL, "bbc.co.uk" → GBR); None for ".com" and generic domains."""
    if not url:
        return None
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip().lower()).split("/", 1)[0].split(":", 1)[0]
    tld = host.rsplit(".", 1)[-1]
    if len(tld) != 2 or not tld.isalpha() or tld in GENERIC_CCTLDS:
        return None
    c = (gaz or load_gazetteer()).country("GB" if tld == "uk" else tld.upper())
    return c.country if c is not None else None


def extract_places(doc: Doc, context_countries: list[str] | None = None, vicinity: bool = True,
                   url: str | None = None) -> list[Place]:
    """Every toponym in ``doc`` with character offsets; resolved ones carry coordinates.

    Unknown names stay unresolved (``lat``/``lon`` None) — never a made-up coordinate.
    ``context_countries`` are alpha-3 codes known from elsewhere (e.g. the actors); ``url``,
    the article's address, adds the outlet's country when its domain has one (``url_country``).
    """
    gaz = load_gazetteer()
    home = url_country(url, gaz)
    if home:
        context_countries = [*(context_countries or ()), home]
    facts = DocFacts.of(doc)
    mentions, demonyms = recognize(doc, gaz, facts)
    resolved = resolve_mentions(mentions, facts.text, context_countries, [d[0] for d in demonyms], gaz, vicinity)
    # a small town heading an organisation name ("Slidell Police Department") only when the
    # document places other names in that country ("Grave Crimes Court" is no Dutch town)
    countries = {c.country for m, (c, _) in zip(mentions, resolved)
                 if c is not None and m.source != "embedded-local" and c.feature != "vicinity"}
    countries |= {d[0] for d in demonyms} | {c.upper() for c in context_countries or ()}
    return [_place(m, cand, conf, gaz) for m, (cand, conf) in zip(mentions, resolved)
            if m.source != "embedded-local" or (cand is not None and cand.country in countries)]
