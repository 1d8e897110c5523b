"""Named organisations and armed groups (``data/actors/orgs.tsv``, ``groups.tsv``).

Why a module of its own, beside ``countries``: the places stage must know that "Hamas"
is an organisation and not the town of Hamm, and it runs before the actors stage, so this
knowledge sits below both (docs/ARCHITECTURE.md). Keys are *folded* (:func:`fold`).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from .countries import normalise

_FOLD = (("defence", "defense"), ("organisation", "organization"), ("programme", "program"),
         ("labour", "labor"), ("centre", "center"))
_NONWORD = re.compile(r"[\s\-_\u2010-\u2015/]+")


def fold(text: str) -> str:
    """Lexicon key for a phrase (see module doc)."""
    text = text.lower().replace("\u2019", "'").replace(".", "")
    for a, b in _FOLD:
        text = text.replace(a, b)
    return _NONWORD.sub(" ", text).strip()


@dataclass(frozen=True)
class NamedOrg:
    name: str
    country: str | None
    agent: str


def read_table(name: str) -> list[list[str]]:
    """Rows of a tab-separated file in ``data/actors`` (comments and blank lines skipped)."""
    text = (resources.files("storyline") / "data" / "actors" / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _org_table(filename: str) -> dict[str, NamedOrg]:
    """Rows ``names|variants, country, agent`` → normalised variant → NamedOrg."""
    out: dict[str, NamedOrg] = {}
    for names, country, agent in (r[:3] for r in read_table(filename)):
        variants = [n.strip() for n in names.split("|") if n.strip()]
        org = NamedOrg(variants[0], None if country == "-" else country, agent)
        for v in variants:
            out.setdefault(fold(normalise(v)), org)
    return out


@functools.lru_cache(maxsize=1)
def named_orgs() -> dict[str, NamedOrg]:
    """normalised organisation name or variant → NamedOrg (media, national bodies, armed groups)."""
    return _org_table("orgs.tsv")


@functools.lru_cache(maxsize=1)
def armed_groups() -> dict[str, NamedOrg]:
    """Named non-state armed groups from ``groups.tsv`` (Phoenix MilNonState); orgs.tsv wins."""
    return _org_table("groups.tsv")


def named_org(text: str, groups: bool = True) -> NamedOrg | None:
    """The named organisation for an entity text; short all-caps acronyms must be in capitals.

    ``groups``: also look in the armed-group table (off for PERSON entities: it lists leaders).
    """
    key = fold(normalise(text))
    org = named_orgs().get(key)
    if org is None and groups:
        org = armed_groups().get(key)
    if org is None:
        return None
    if len(key) <= 3 and any(ch.islower() for ch in text.replace("'s", "")):
        return None
    return org
