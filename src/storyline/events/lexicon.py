"""Trigger, modality and agent lexicons, loaded lazily from ``storyline/data/events``.

Why data files: the PLOVER coding decisions (which lemma means which type and mode) are
reviewable and extendable without touching the matching code.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources

# PLOVER type -> default CAMEO root (CAMEO2PLOVER-2021 read backwards); ACCUSE with mode
# investigate is CAMEO 09, ASSAULT modes of mass violence are 20.
CAMEO_ROOT = {
    "AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07",
    "CONCEDE": "08", "RETREAT": "08", "REQUEST": "10", "ACCUSE": "11", "REJECT": "12",
    "THREATEN": "13", "PROTEST": "14", "MOBILIZE": "15", "SANCTION": "16", "COERCE": "17",
    "ASSAULT": "18",
}
_MODE_ROOT = {("ACCUSE", "investigate"): "09", ("ASSAULT", "massacre"): "20",
              ("ASSAULT", "cleansing"): "20", ("ASSAULT", "unconventional"): "20",
              ("ASSAULT", "heavy-weapons"): "19", ("ASSAULT", "firearms"): "19",
              ("ASSAULT", "aerial"): "19", ("ASSAULT", "drone"): "19"}

PLOVER_TYPES = tuple(CAMEO_ROOT)


def cameo_root(type_: str, mode: str | None) -> str | None:
    """CAMEO root code (2 digits) for a PLOVER type and mode."""
    return _MODE_ROOT.get((type_, mode or "")) or CAMEO_ROOT.get(type_)


@dataclass(frozen=True)
class Entry:
    """One lexicon row: the conditions under which a lemma codes a type/mode."""

    pos: str
    lemma: str
    conds: tuple[tuple[str, frozenset[str]], ...]
    type: str
    mode: str | None
    cameo: str | None
    weight: float


@dataclass
class ModalityCues:
    by_kind: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)

    def has(self, kind: str, where: str, word: str) -> bool:
        return word in self.by_kind.get(kind, {}).get(where, frozenset())


def _data(name: str) -> str:
    return (resources.files("storyline") / "data" / "events" / name).read_text(encoding="utf-8")


def _rows(name: str):
    for line in _data(name).splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        yield line.rstrip("\n").split("\t")


def _conds(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    if text in ("-", ""):
        return ()
    out = []
    for part in text.split(";"):
        key, _, vals = part.partition("=")
        out.append((key.strip(), frozenset(v.strip().lower() for v in vals.split("|") if v.strip())))
    return tuple(out)


# Trigger files, read in order (a later file never overrides a lemma an earlier one has).
# scripts/build_triggers_petrarch.py can add the PETRARCH2 CAMEO verbs as a second file; on
# the corpus (grouped 5-fold CV) that lowered the event model's score, so it is not shipped
# (docs/EVENTS.md, "Lexicon broadening").
TRIGGER_FILES = ("triggers.tsv",)


@functools.lru_cache(maxsize=1)
def triggers() -> dict[tuple[str, str], list[Entry]]:
    """(pos, lemma) -> entries in file order (first matching entry wins)."""
    table: dict[tuple[str, str], list[Entry]] = {}
    for name in TRIGGER_FILES:
        curated = set(table)
        for row in _rows(name):
            pos, lemma, cond, typ, mode, cameo, weight = (row + ["-"] * 7)[:7]
            entry = Entry(pos, lemma.lower(), _conds(cond), typ, None if mode == "-" else mode,
                          None if cameo == "-" else cameo, float(weight))
            if (pos, entry.lemma) in curated:
                continue  # the hand-written rows of a lemma (with their conditions) decide it
            table.setdefault((pos, entry.lemma), []).append(entry)
    return table


@functools.lru_cache(maxsize=1)
def modality_cues() -> ModalityCues:
    cues = ModalityCues()
    for kind, where, words in _rows("modality.tsv"):
        cues.by_kind.setdefault(kind, {})[where] = frozenset(w.lower() for w in words.split("|"))
    return cues


@functools.lru_cache(maxsize=1)
def agents() -> dict[str, tuple[str, bool]]:
    """Generic head noun -> (agent code, is a domestic state organ / population group)."""
    return {lemma: (agent, dom == "1") for lemma, agent, dom in _rows("agents.tsv")}
