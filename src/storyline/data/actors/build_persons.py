"""Build ``persons.tsv`` (full person name → country, agent) from the Phoenix country dictionary.

    .venv/bin/python src/storyline/data/actors/build_persons.py \
        ../shared/bench/events/petrarch2/petrarch2/data/dictionaries/Phoenix.Countries.actors.txt

Phoenix.Countries.actors.txt (CountryInfo, MIT, © Open Event Data Alliance) lists, per country,
heads of state, ministers and other office holders with date-ranged CAMEO codes
("ROBERT_M._GATES_" [USAGOVMIL 061218-110701]). We keep names of at least two words
(primary name and synonyms, middle initials dropped as a second variant; synonyms that start
with a title such as "PRESIDENT_" are skipped), the country (first three letters of the codes)
and the agent of the most recent non-ELI code. Names claimed by two countries are dropped.
``persons_extra.tsv`` (hand-written, office holders after 2014) is appended and wins.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
TITLE_START = {"PRESIDENT", "PRESIDENT-ELECT", "MR", "MR.", "MRS", "MRS.", "MS", "MS.", "DR", "DR.", "SENATOR",
               "GOVERNOR", "PRIME", "MINISTER", "GENERAL", "GEN", "GEN.", "SECRETARY", "FORMER", "KING", "QUEEN",
               "PRINCE", "SHEIKH", "THE", "US", "U.S.", "AMERICAN", "DEFENSE", "DEFENCE", "FOREIGN", "VICE",
               "AMBASSADOR", "CHANCELLOR", "PREMIER", "LEADER", "CHAIRMAN", "JUDGE", "JUSTICE", "ADMIRAL",
               "COLONEL", "CAPTAIN", "SIR", "LORD", "DEPUTY", "UNITED", "SEN", "SEN.", "REP", "REP.", "GOV", "GOV.",
               "SECRETATY", "FIRST", "CROWN", "EMIR", "SULTAN", "AYATOLLAH", "MULLAH", "PRES", "PRES."}
SKIP_WORDS = {"ADMINISTRATION", "GOVERNMENT", "REGIME", "CABINET", "MINISTRY", "PARTY", "FORCES", "ARMY"}
AGENTS = {"GOV", "MIL", "ELI", "LEG", "JUD", "OPP", "REB", "SPY", "COP", "BUS", "MED", "CVL", "LAB", "EDU",
          "HLH", "REL", "IGO", "NGO", "AGR", "ENV", "REF", "CRM", "UAF", "SPY"}


def key(name: str) -> str:
    """Lookup key: accents folded, lower case, dots dropped, hyphens/underscores as spaces."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace(".", " ").replace("\u2019", "'")
    return re.sub(r"[\s_\-]+", " ", text).strip()


def variants(raw: str) -> list[str]:
    words = [w for w in raw.strip("_ ").split("_") if w]
    if len(words) < 2 or words[0].upper() in TITLE_START or any(w.upper() in SKIP_WORDS for w in words):
        return []
    if any(not re.fullmatch(r"[A-Z][A-Z'.\-]*", w) for w in words):
        return []
    out = [" ".join(words)]
    bare = [w for w in words if not re.fullmatch(r"[A-Z]\.?", w)]
    if len(bare) >= 2 and bare != words:
        out.append(" ".join(bare))
    return out


def _day(d: str) -> int:
    """A Phoenix date (yymmdd, two-digit years > 30 are 19xx, or yyyymmdd) as yyyymmdd."""
    if len(d) == 6:
        d = ("19" if int(d[:2]) > 30 else "20") + d
    return int(d)


def date_range(span: str) -> tuple[int, int]:
    """(first, last) day of a Phoenix date range as yyyymmdd, 0 where open: "061218-110701",
    ">20120219" (from then on), "<990101" (until then), "" (undated: the default code)."""
    m = re.fullmatch(r"(\d{6,8})-(\d{6,8})", span)
    if m:
        return _day(m.group(1)), _day(m.group(2))
    m = re.fullmatch(r"([<>])(\d{6,8})", span)
    if m:
        return (_day(m.group(2)), 0) if m.group(1) == ">" else (0, _day(m.group(2)))
    return 0, 0


def _start(span: str) -> int:
    """Start day of a Phoenix date range as yyyymmdd (0 when open or undated)."""
    return date_range(span)[0]


def read_entries(path: str) -> list[tuple[list[str], list[tuple[str, str]]]]:
    """The person entries of the Phoenix country dictionary: (raw names, [(code, date range)])."""
    entries: list[tuple[list[str], list[tuple[str, str]]]] = []
    cur: tuple[list[str], list[tuple[str, str]]] | None = None
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        body = line.split("#")[0]
        if not body.strip():
            continue
        if body.startswith(("\t", " ")) and body.strip().startswith("["):
            if cur is not None:
                parts = body.strip().strip("[]").split()
                cur[1].append((parts[0], parts[1] if len(parts) > 1 else ""))
            continue
        if body.startswith("+"):
            if cur is not None:
                cur[0].append(body[1:].strip())
            continue
        if re.match(r"[A-Z]", body):
            name = body.strip()
            if "[" in name:  # a country header "CYPRUS_  [CYP]"
                cur = None
                continue
            cur = ([name], [])
            entries.append(cur)
    return entries


def parse(path: str) -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    clash: set[str] = set()
    for names, codes in read_entries(path):
        dated = [(c, _start(d)) for c, d in codes if re.fullmatch(r"[A-Z]{3}[A-Z]*", c)]
        if not dated:
            continue
        countries = {c[:3] for c, _ in dated}
        if len(countries) != 1:
            continue
        country = countries.pop()
        agents = sorted(((d, c[3:6]) for c, d in dated if c[3:6] in AGENTS and c[3:6] != "ELI"))
        agent = agents[-1][1] if agents else ("ELI" if any(c[3:6] == "ELI" for c, _ in dated) else "-")
        for raw in names:
            for v in variants(raw):
                k = key(v)
                if k in table and table[k][0] != country:
                    clash.add(k)
                table.setdefault(k, (country, agent))
    for k in clash:
        table.pop(k, None)
    return table


def main() -> None:
    src = sys.argv[1] if len(sys.argv) > 1 else str(
        HERE.parents[4] / "shared" / "bench" / "events" / "petrarch2" / "petrarch2" / "data" / "dictionaries"
        / "Phoenix.Countries.actors.txt")
    table = parse(src)
    extra = HERE / "persons_extra.tsv"
    for line in extra.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        names, country, agent = line.split("\t")[:3]
        for n in names.split("|"):
            table[key(n)] = (country, agent)
    out = HERE / "persons.tsv"
    with open(out, "w", encoding="utf-8") as f:
        f.write("# generated by build_persons.py from Phoenix.Countries.actors.txt (MIT) + persons_extra.tsv\n")
        f.write("# folded full name<TAB>country<TAB>agent\n")
        for k in sorted(table):
            f.write(f"{k}\t{table[k][0]}\t{table[k][1]}\n")
    print(f"{len(table)} names -> {out}")


if __name__ == "__main__":
    main()
