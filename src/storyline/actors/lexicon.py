"""Actor vocabularies: agent nouns, titles/roles, named organisations (loaded once, lazily).

Data lives in ``storyline/data/actors``: ``agents.tsv`` (derived from the NGEC agent
dictionary), ``titles.tsv`` (hand-written titles, organisation nouns, portfolio words;
wins over agents.tsv) and ``orgs.tsv`` (named media, national bodies, armed groups).
Keys are *folded*: lower case, hyphens/underscores as spaces, British spellings folded to
American ("defence" → "defense") so that either spelling finds the entry.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Token

from ..organisations import NamedOrg, armed_groups, fold, named_org, named_orgs  # noqa: F401 - re-exported
from ..organisations import read_table as _read


@dataclass(frozen=True)
class Term:
    """One lexicon entry: agent (None = inherit), type (title/org/group/portfolio/agent), role."""

    agent: str | None
    type: str
    role: str | None


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, Term], dict[str, Term]]:
    out: dict[str, Term] = {}
    for phrase, agent in (r[:2] for r in _read("agents.tsv")):
        out[fold(phrase)] = Term(agent, "agent", None)
    portfolio: dict[str, Term] = {}
    for phrase, agent, typ, role in (r[:4] for r in _read("titles.tsv")):
        term = Term(None if agent == "-" else agent, typ, None if role == "-" else role)
        if typ == "portfolio":
            portfolio[fold(phrase)] = term
        else:
            out[fold(phrase)] = term
    return out, portfolio


def terms() -> dict[str, Term]:
    """folded phrase → Term; titles.tsv overrides the generated agents.tsv."""
    return _tables()[0]


def portfolio() -> dict[str, Term]:
    """Words that qualify a title: "defence" in "defence minister" (folded key → Term)."""
    return _tables()[1]


def lookup(phrase: str) -> Term | None:
    return terms().get(fold(phrase))


def longest_suffix(words: list[str]) -> tuple[int, Term] | None:
    """Longest lexicon phrase ending the word list: (number of words used, Term)."""
    table = terms()
    for i in range(len(words)):
        t = table.get(fold(" ".join(words[i:])))
        if t is not None:
            return len(words) - i, t
    return None


def person_key(name: str) -> str:
    """Key of ``persons.tsv``: accents folded, lower case, dots dropped, hyphens as spaces."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().replace(".", " ")
    text = re.sub(r"(?:'s|')$", "", text.strip())
    return re.sub(r"[\s_\-\u2010\u2011]+", " ", text).strip()


@functools.lru_cache(maxsize=1)
def _persons() -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for r in _read("persons.tsv"):
        if len(r) >= 3:
            out[r[0]] = (r[1], None if r[2] in ("-", "") else r[2])
    return out


def known_person(name: str) -> tuple[str, str | None] | None:
    """(country, agent) of a well-known office holder by full name ("Robert Gates" → USA, GOV).

    From the Phoenix country dictionary (office holders to 2014) and ``persons_extra.tsv``
    (later ones); only names of two words or more are listed.
    """
    key = person_key(name)
    if " " not in key:
        return None
    return _persons().get(key)


# agents of the Phoenix codes (the three letters after the country)
OFFICE_AGENTS = {"GOV", "MIL", "ELI", "LEG", "JUD", "OPP", "REB", "SPY", "COP", "BUS", "MED", "CVL", "LAB", "EDU",
                 "HLH", "REL", "NGO", "AGR", "ENV", "REF", "CRM", "UAF"}


@functools.lru_cache(maxsize=1)
def _offices() -> tuple[dict[str, list[tuple[tuple[str, int, int], ...]]], int]:
    """``office_holders.tsv``: folded name → entries of (code, first, last) ranges; the cut-off day."""
    table: dict[str, list[tuple[tuple[str, int, int], ...]]] = {}
    cutoff = 0
    text = resources.files("storyline.data.actors").joinpath("office_holders.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("# cutoff\t"):
            cutoff = int(line.split("\t")[1])
        if not line or line.startswith("#"):
            continue
        names, ranges = line.split("\t")
        entry = []
        for r in ranges.split(";"):
            code, span = r.split(":")
            first, last = span.split("-")
            entry.append((code, int(first or 0), int(last or 0)))
        for n in names.split("|"):
            table.setdefault(n, []).append(tuple(entry))
    return table, cutoff


def _office_in(entry: tuple[tuple[str, int, int], ...], day: int) -> str | None:
    """The entry's code on ``day``: a range that holds it (an office before "elite"; the latest
    begun first), else the undated default code."""
    live = [(code[3:6] != "ELI", first, code) for code, first, last in entry
            if (first or last) and (not first or first <= day) and (not last or day < last)]
    if live:
        return max(live)[2]
    return next((code for code, first, last in entry if not first and not last), None)


def office_at(name: str, day: dt.date) -> tuple[str, str | None] | None:
    """(country, agent) of a listed office holder on ``day`` ("Colin Powell" on 2003-02-05 → USA,
    GOV; on 1995-06-01 → USA with no office), from the dated Phoenix table (``office_holders.tsv``).
    None for a name not listed, one that two countries' entries claim on that day, a day before
    the person's first dated office (the table often starts a career late: no evidence), or a day
    after the table's cut-off (early 2015; ``known_person`` answers those)."""
    key = person_key(name)
    table, cutoff = _offices()
    n = day.year * 10000 + day.month * 100 + day.day
    if " " not in key or n > cutoff or key not in table:
        return None
    found: set[tuple[str, str | None]] = set()
    for entry in table[key]:
        if all(first > n for _, first, _ in entry if first):
            continue  # before the first dated office: the table has no record of the years before
        code = _office_in(entry, n)
        if code is not None:
            found.add((code[:3], code[3:6] if code[3:6] in OFFICE_AGENTS else None))
        else:
            found.update((c, None) for c in {code[:3] for code, _, _ in entry})
    if len({c for c, _ in found}) != 1:
        return None
    return max(found, key=lambda x: x[1] is not None)


@functools.lru_cache(maxsize=1)
def _surnames() -> dict[str, Counter]:
    """family name → Counter of countries over the listed names bearing it (first or last word)."""
    out: dict[str, Counter] = {}
    for key, (country, _agent) in _persons().items():
        words = key.split()
        if len(words) >= 2:
            for w in {words[0], words[-1]}:  # family name last ("Obama") or first ("Park", "Wang")
                if len(w) > 2:
                    out.setdefault(w, Counter())[country] += 1
    return out


@functools.lru_cache(maxsize=1)
def _leader_surnames() -> dict[str, set[str]]:
    """Family names of the hand-written list of prominent leaders (``persons_extra.tsv``)."""
    out: dict[str, set[str]] = {}
    for r in _read("persons_extra.tsv"):
        if len(r) < 2:
            continue
        for n in r[0].split("|"):
            words = person_key(n).split()
            if len(words) >= 2:
                for w in {words[0], words[-1]}:
                    if len(w) > 2:
                        out.setdefault(w, set()).add(r[1])
    return out


def known_surname(name: str, titled: bool = False) -> str | None:
    """Country of a one-word family name: a prominent leader's ("Obama", "Putin"), else one that
    every listed office holder with it shares ("Gates" → USA; "Brown", "Lee" → None)."""
    key = person_key(name)
    if " " in key or len(key) <= 2:
        return None
    listed = _surnames().get(key, Counter())
    leaders = _leader_surnames().get(key)
    if leaders and len(leaders) == 1:
        code = next(iter(leaders))
        # a leader's name that is also common elsewhere ("Kim", "Johnson") is not enough
        if listed[code] * 2 >= sum(listed.values()):
            return code
        return None
    if len(listed) == 1:
        return next(iter(listed))
    if titled and listed:  # "President Bush": the country most office holders of that name served
        code, n = listed.most_common(1)[0]
        if n * 3 >= sum(listed.values()) * 2 and n >= 2:
            return code
    return None


# a group these words qualify belongs to no single country ("Western diplomats", "foreign
# journalists", "international observers"): neither the story's nor the sentence's country
NON_NATIONAL_MODIFIERS = {"western", "foreign", "international", "overseas", "multinational", "global",
                          "outside"}
FOREIGN_HEADS = {"foreigner", "expatriate", "expat", "tourist", "outsider"}


def non_national(head: Token) -> bool:
    """Whether the group headed by ``head`` is explicitly of no one country: a foreigner, or a group
    qualified "Western", "foreign", "international" … (the home country is not its default)."""
    if fold(head.lemma_) in FOREIGN_HEADS or fold(head.text).rstrip("s") in FOREIGN_HEADS:
        return True
    if any(c.dep_ in ("amod", "compound", "nmod") and c.i < head.i and fold(c.text) in NON_NATIONAL_MODIFIERS
           for c in head.children):
        return True
    # "Western diplomats and intelligence officials": the qualifier of the first conjunct
    return head.dep_ == "conj" and head.head.i < head.i and head.head.pos_ in ("NOUN", "PROPN") \
        and not any(c.dep_ in ("amod", "compound", "poss") for c in head.children if c.ent_type_ in ("GPE", "NORP")) \
        and non_national(head.head)
