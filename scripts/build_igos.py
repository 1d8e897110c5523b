"""Build ``src/storyline/data/actors/igos.tsv``: international organisations, their bodies and names.

    python scripts/build_igos.py [PETRARCH2_DICTIONARY_DIR] [NGEC_ASSETS_DIR]

defaults: ``../shared/bench/events/petrarch2/petrarch2/data/dictionaries`` and
``../shared/bench/events/ngec/NGEC/assets``.

Sources (MIT, © Open Event Data Alliance / Computational Event Data System Project):

* ``igos_scheme.tsv`` (written for storyline): the code scheme — one code per organisation
  family, the bodies that share it, the agent, hand-checked names, and which Phoenix codes
  belong to each family (a code ending in ``*`` takes every code that starts with it: ``IGOUNO*``).
* ``Phoenix.International.actors.txt`` (PETRARCH2): every entry whose code starts with ``IGO``.
  An entry is an organisation name when it has an organisation word (Organization, Council,
  Bank, Court …) or is one acronym; people (office holders) are left out. Its Phoenix code picks
  the family by longest prefix; a name that is not yet a variant of that family becomes one of its
  bodies (e.g. "International Civil Aviation Organization", code UN). The entries of an unmapped
  code whose one acronym is the initials of their full name (SEATO) become a family of their own;
  other unmapped entries are skipped.
* ``PLOVER_agents.txt`` (NGEC): its ``[~IGO]`` agent nouns (peacekeeping troops, international
  organization …) are written as comment lines for reference only — they name no organisation
  and are already in ``agents.tsv``.

A variant claimed by two families is dropped from both (it would name neither reliably).
"""
from __future__ import annotations

import re
import sys
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "storyline" / "data" / "actors"
BENCH = ROOT.parent / "shared" / "bench" / "events"

ORG_WORDS = {"ORGANIZATION", "ORGANISATION", "UNION", "COUNCIL", "COMMISSION", "COMMITTEE", "BANK", "FUND",
             "AGENCY", "COURT", "TRIBUNAL", "ASSEMBLY", "PARLIAMENT", "COMMUNITY", "ASSOCIATION", "LEAGUE",
             "GROUP", "PROGRAM", "PROGRAMME", "NATIONS", "ALLIANCE", "TREATY", "SECRETARIAT", "OFFICE",
             "INSTITUTE", "AUTHORITY", "PANEL", "FEDERATION", "COOPERATION", "CO-OPERATION", "MARKET",
             "CONFERENCE", "MISSION", "FORCE", "PARTNERSHIP", "MOVEMENT", "INITIATIVE", "COALITION", "UNIT",
             "STATES", "COUNTRIES", "CENTRE", "CENTER", "BOARD", "FORUM", "SYSTEM", "NETWORK"}
PERSON_WORDS = {"SECRETARY", "PRESIDENT", "CHIEF", "DIRECTOR", "SPOKESMAN", "SPOKESWOMAN", "SPOKESPERSON",
                "ENVOY", "AMBASSADOR", "OFFICIAL", "OFFICIALS", "CHAIRMAN", "HEAD", "MINISTER", "MINISTERS",
                "REPRESENTATIVE", "COUNTRIES", "STATES", "MEMBERS", "TROOPS", "PEACEKEEPER", "SOLDIERS",
                "OBSERVER", "OBSERVERS", "INSPECTOR", "INSPECTORS", "DELEGATE", "DELEGATION", "STAFF",
                "EMPLOYEE", "WORKER", "WORKERS", "OFFICER", "OFFICERS", "GENERAL", "COMMANDER", "LEADER",
                "LEADERS", "NEPAL", "BASED", "HAGUE-BASED"}
# names the source files under a family they do not belong to
NOT_MEMBERS = {"western european union"}
SMALL = {"of", "the", "for", "and", "on", "in", "to", "a", "an", "de", "la", "des", "du", "et", "al"}


def scheme() -> list[dict]:
    rows = []
    for line in (DATA / "igos_scheme.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, agent, names, prefixes = line.split("\t")
        rows.append({"code": code, "agent": agent, "names": [n for n in names.split("|") if n],
                     "prefixes": [] if prefixes.strip() == "-" else prefixes.split()})
    return rows


def phoenix_entries(path: Path):
    """(phrase words, code) of each IGO-coded name in a Phoenix actors file (synonyms included)."""
    group: list[str] = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        body = raw.split("#")[0].rstrip()
        if not body.strip():
            group = []
            continue
        phrase = body.split("[")[0].strip()
        if phrase and not raw.startswith(("\t", " ")):
            group = group + [phrase[1:]] if phrase.startswith("+") else [phrase]
        codes = re.findall(r"\[(IGO[A-Z]*)(?:\s[^\]]*)?\]", body)
        for code in codes:
            for p in group:
                yield p, code
        if codes and not raw.startswith(("\t", " ")) and "[" in body:
            group = []


def words_of(phrase: str) -> list[str]:
    return [w for w in re.sub(r"\(.*?\)", "", phrase).replace("_", " ").split() if w]


def is_acronym(words: list[str]) -> bool:
    return len(words) == 1 and re.fullmatch(r"[A-Z][A-Z0-9.+&-]{1,7}", words[0]) is not None


def is_org_name(words: list[str]) -> bool:
    up = [p for w in words for p in w.upper().split("-")]
    if any(w in PERSON_WORDS for w in up):
        return False
    return is_acronym(words) or any(w.strip(",.'") in ORG_WORDS for w in up)


def title(words: list[str], acronyms: set[str]) -> str:
    if is_acronym(words):
        return words[0]
    out = []
    for i, w in enumerate(words):
        low = w.lower()
        if w.replace(".", "").upper() in acronyms:
            out.append(w.upper())
        else:
            out.append(low if i and low in SMALL else "-".join(p[:1].upper() + p[1:] for p in low.split("-")))
    return " ".join(out)


def norm(name: str) -> str:
    s = re.sub(r"[^a-z0-9+]+", " ", name.lower().replace("organisation", "organization")).strip()
    return s[4:] if s.startswith("the ") else s


def initials_match(acronym: str, words: list[str]) -> bool:
    """An acronym is the initials of a name's significant words (SEATO: South East Asia Treaty Organization)."""
    init = "".join(w[0] for w in re.split(r"[\s-]+", " ".join(words).upper()) if w and w.lower() not in SMALL)
    return init == acronym.replace(".", "").upper()


def build(dictionaries: Path, ngec: Path) -> tuple[list[tuple[str, str, list[str]]], list[str]]:
    rows = scheme()
    family_of_prefix = {p: r for r in rows for p in r["prefixes"]}
    acronyms = {n.replace(".", "").upper() for r in rows for n in r["names"] if is_acronym([n])}
    first = OrderedDict()
    for r in rows:
        first.setdefault(r["code"], r)
    known = {norm(n): r["code"] for r in rows for n in r["names"]}
    extra: "OrderedDict[str, dict]" = OrderedDict()  # new body rows by normalised name
    own: "OrderedDict[str, dict]" = OrderedDict()  # unmapped organisations with their own acronym
    by_group: dict[str, list[list[str]]] = {}
    for phrase, code in phoenix_entries(dictionaries / "Phoenix.International.actors.txt"):
        words = words_of(phrase)
        if not words or not is_org_name(words):
            continue
        pref = max((p for p in family_of_prefix if code == p or p.endswith("*") and code.startswith(p[:-1])),
                   key=len, default=None)
        if pref is None:
            by_group.setdefault(code, []).append(words)
            continue
        fam = family_of_prefix[pref]
        key = norm(" ".join(words))
        if key in known or len(key) < 2 or key in NOT_MEMBERS:
            continue
        if is_acronym(words) and (len(key) <= 3 or len(key) > 5 and not key.upper().startswith(fam["code"])):
            continue  # a short acronym ("EC") is ambiguous; a long one-word entry is a surname (SUBROTO)
        agent = "JUD" if "JUD" in code[3:] else "LEG" if "LEG" in code[3:] else fam["agent"] if fam["prefixes"] else "IGO"
        extra.setdefault(key, {"code": fam["code"], "agent": agent, "names": [title(words, acronyms)]})
        known[key] = fam["code"]
    # unmapped codes: an organisation named by a one-word acronym among its entries gets that code
    for code, names in by_group.items():
        acr = sorted({w[0] for w in names if is_acronym(w) and len(w[0]) >= 3})
        full = [w for w in names if not is_acronym(w) and len(acr) == 1 and initials_match(acr[0], w)]
        if not full:
            continue
        c = acr[0].replace(".", "").upper()
        if c in first or c in own or any(norm(" ".join(w)) in known for w in full):
            continue
        own[c] = {"code": c, "agent": "JUD" if "JUD" in code[3:] else "IGO",
                  "names": list(dict.fromkeys([title(w, acronyms) for w in full] + acr))}
        for w in full + [[a] for a in acr]:
            known[norm(" ".join(w))] = c
    out: list[tuple[str, str, list[str]]] = []
    for r in rows:
        out.append((r["code"], r["agent"], list(r["names"])))
    for r in list(extra.values()) + list(own.values()):
        out.append((r["code"], r["agent"], r["names"]))
    # a variant claimed by two families names neither
    claims: dict[str, set[str]] = {}
    for code, _, names in out:
        for n in names:
            claims.setdefault(norm(n), set()).add(code)
    clash = {k for k, v in claims.items() if len(v) > 1}
    out = [(c, a, [n for n in names if norm(n) not in clash]) for c, a, names in out]
    out = [row for row in out if row[2]]
    igo_nouns = []
    agents = ngec / "PLOVER_agents.txt"
    if agents.is_file():
        for line in agents.read_text(encoding="utf-8", errors="replace").splitlines():
            if "[~IGO]" in line:
                igo_nouns.append(line.split("[")[0].split("{")[0].strip().replace("_", " ").lower())
    return out, igo_nouns


def main() -> None:
    dictionaries = Path(sys.argv[1]) if len(sys.argv) > 1 else BENCH / "petrarch2" / "petrarch2" / "data" / "dictionaries"
    ngec = Path(sys.argv[2]) if len(sys.argv) > 2 else BENCH / "ngec" / "NGEC" / "assets"
    rows, nouns = build(dictionaries, ngec)
    lines = [
        "# International organisations: code<TAB>agent<TAB>name|variant|...  (first name is canonical)",
        "# GENERATED by scripts/build_igos.py from igos_scheme.tsv (the code scheme, see docs/ACTORS.md)",
        "# and Phoenix.International.actors.txt (PETRARCH2, MIT, (c) Open Event Data Alliance). Do not edit.",
        "# The first row of a code is the organisation; later rows of the same code are its bodies.",
        "# NGEC PLOVER_agents.txt [~IGO] agent nouns (in agents.tsv, no organisation): " + "; ".join(nouns),
    ]
    lines += [f"{c}\t{a}\t{'|'.join(names)}" for c, a, names in rows]
    (DATA / "igos.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"igos.tsv: {len(rows)} rows, {len({r[0] for r in rows})} codes, "
          f"{sum(len(r[2]) for r in rows)} names")


if __name__ == "__main__":
    main()
