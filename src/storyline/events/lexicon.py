"""The event coder's knowledge, read and validated here from ``storyline/data/events``.

``types.tsv`` (the PLOVER types and their properties) is read at import: the type list and
the "types that ..." sets are module constants. The trigger, modality and agent lexicons
load lazily on first use.

Why data files: the PLOVER coding decisions (which lemma means which type and mode, which
type behaves how) are reviewable and extendable without touching the matching code.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources

class LexiconError(ValueError):
    """A data file of ``storyline/data/events`` is malformed (the message names file and line)."""


def _data(name: str) -> str:
    return (resources.files("storyline") / "data" / "events" / name).read_text(encoding="utf-8")


def _numbered_rows(name: str):
    """(line number, fields) of each data row: blank lines and '#' comments skipped."""
    for n, line in enumerate(_data(name).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        yield n, line.rstrip("\n").split("\t")


def _table(name: str, columns: tuple[str, ...]):
    """(where, fields) of each data row of a file whose first row is the header ``columns``."""
    header_seen = False
    for n, row in _numbered_rows(name):
        where = f"{name} line {n}"
        if not header_seen:
            if tuple(row) != columns:
                raise LexiconError(f"{where}: the header must be {' '.join(columns)}, not {' '.join(row)}")
            header_seen = True
            continue
        if len(row) != len(columns):
            raise LexiconError(f"{where}: {len(row)} tab-separated columns, expected {len(columns)}")
        yield where, row


def _rows(name: str):
    for _, row in _numbered_rows(name):
        yield row


# ---------------------------------------------------------------- PLOVER types (types.tsv)

# the yes/no columns of types.tsv, in file order (what each means: the file's header)
TYPE_FLAGS = ("symmetric", "material", "physical", "reactive", "domestic", "thing_target", "place_target",
              "at_sea", "destination", "counterpart")
_TYPE_COLUMNS = ("type", "cameo_root", "quad_class", "family") + TYPE_FLAGS


@dataclass(frozen=True)
class TypeInfo:
    """One PLOVER type's row of types.tsv."""

    name: str
    cameo_root: str
    quad_class: int
    family: str
    flags: frozenset[str]


@functools.lru_cache(maxsize=1)
def plover_types() -> dict[str, TypeInfo]:
    """PLOVER type -> its properties, in file order; a malformed row raises LexiconError."""
    table: dict[str, TypeInfo] = {}
    for where, row in _table("types.tsv", _TYPE_COLUMNS):
        name, root, quad, family, *flags = row
        if not name.isupper() or name in table:
            raise LexiconError(f"{where}: type {name!r} is not an upper-case name or is listed twice")
        if not (len(root) == 2 and root.isdigit()) or quad not in ("1", "2", "3", "4"):
            raise LexiconError(f"{where}: CAMEO root {root!r} (two digits) or quad class {quad!r} (1-4) malformed")
        if any(f not in ("0", "1") for f in flags):
            raise LexiconError(f"{where}: flags must be 0 or 1, got {flags}")
        table[name] = TypeInfo(name, root, int(quad), family,
                               frozenset(f for f, v in zip(TYPE_FLAGS, flags) if v == "1"))
    for info in table.values():
        if info.family not in table:
            raise LexiconError(f"types.tsv: family {info.family!r} of {info.name} is not a type")
    if not table:
        raise LexiconError("types.tsv: no types")
    return table


def types_where(flag: str) -> frozenset[str]:
    """The PLOVER types whose ``flag`` column is 1."""
    if flag not in TYPE_FLAGS:
        raise LexiconError(f"no type property {flag!r} (one of {', '.join(TYPE_FLAGS)})")
    return frozenset(t for t, info in plover_types().items() if flag in info.flags)


PLOVER_TYPES = tuple(plover_types())
# PLOVER type -> default CAMEO root (CAMEO2PLOVER-2021 read backwards)
CAMEO_ROOT = {t: info.cameo_root for t, info in plover_types().items()}
FAMILY = {t: info.family for t, info in plover_types().items()}
SYMMETRIC_TYPES = types_where("symmetric")
MATERIAL_TYPES = types_where("material")
PHYSICAL_TYPES = types_where("physical")
REACTIVE_TYPES = types_where("reactive")
DOMESTIC_TYPES = types_where("domestic")
THING_TARGET_TYPES = types_where("thing_target")
PLACE_TARGET_TYPES = types_where("place_target")
AT_SEA_TYPES = types_where("at_sea")
DESTINATION_TYPES = types_where("destination")
COUNTERPART_TYPES = types_where("counterpart")

# ---------------------------------------------------------------- word lists (words.tsv)

# Every list of words.tsv and its kind: "set" (membership), "list" (ordered: an order of
# preference) or "map" (word -> value). A list not declared here is an error, both in the
# file and when asked for.
WORD_SETS = {
    # arguments
    "PRONOUNS": "set", "FIRST_PERSON": "set", "RELATIVE": "set", "TARGET_PREPS": "list",
    "NOUN_TARGET_PREPS": "list", "OBJECT_CONTROL": "set", "LOC_PREPS": "set", "DEST_PREPS": "set",
    "PLACE_PREPS": "set", "PREVENTING": "set", "JUDGING": "set",
    # modality
    "REPORTING": "set", "FUTURE_REPORTING": "set", "PRESUPPOSE": "set", "ONGOING": "set", "STATES": "set",
    "ENACTED_BY_ANNOUNCING": "set", "PRESUPPOSING": "set", "FACTUAL_MARKS": "set", "PARTICIPATE": "set",
    "CONDITION_WORDS": "set", "DOUBT_VERBS": "set",
    # triggers and quantities
    "QUANTIFIERS": "set", "NUMBER_WORDS": "map", "NUMBER_SCALES": "map", "UNIT_NAMES": "map", "MONEY": "set",
    "COMPOUND_UNITS": "set", "NOT_COUNTED": "set", "NUMBER_FILLERS": "set",
    # coder
    "MOTION": "set", "ACCUSING": "set", "ROLE_NOUNS": "set", "ENACTING": "set", "PATIENT_NOUNS": "set",
    "UNDERGO": "set", "THING_PREPS": "list", "GROUP_NOUNS": "set", "GROUP_WORDS": "set", "DEFINITE": "set",
    "DOMESTIC_AGENTS": "set", "SETTING_FEATURES": "set", "WATER_FEATURES": "set", "EXPEL": "set",
    "APPEAL_MODALS": "set", "NOT_ADDRESSEES": "set",
}
_WORD_COLUMNS = ("set", "word", "value", "source")


@functools.lru_cache(maxsize=1)
def _word_table() -> dict[str, list[tuple[str, str]]]:
    """List name -> [(word, value)] in file order; a malformed row raises LexiconError."""
    table: dict[str, list[tuple[str, str]]] = {}
    for where, row in _table("words.tsv", _WORD_COLUMNS):
        if not all(x.strip() for x in row):
            raise LexiconError(f"{where}: an empty column in {row}")
        name, word, value, _source = row
        kind = WORD_SETS.get(name)
        if kind is None:
            raise LexiconError(f"{where}: unknown list {name!r} (declare it in WORD_SETS of events/lexicon.py)")
        if word != word.strip() or (word != word.lower() and name != "DOMESTIC_AGENTS"):
            raise LexiconError(f"{where}: word {word!r} must be lower case with no surrounding space")
        if (kind == "map") == (value == "-"):
            raise LexiconError(f"{where}: {name} is a {kind}: " + ("a value is needed" if kind == "map"
                                                                  else f"the value must be '-', not {value!r}"))
        entries = table.setdefault(name, [])
        if any(w == word for w, _ in entries):
            raise LexiconError(f"{where}: {word!r} is listed twice in {name}")
        entries.append((word, value))
    missing = sorted(set(WORD_SETS) - set(table))
    if missing:
        raise LexiconError(f"words.tsv: no rows for {', '.join(missing)}")
    return table


def _word_rows(name: str, kind: str) -> list[tuple[str, str]]:
    declared = WORD_SETS.get(name)
    if declared is None:
        raise LexiconError(f"no word list {name!r} in words.tsv (one of {', '.join(sorted(WORD_SETS))})")
    if declared != kind:
        raise LexiconError(f"word list {name!r} is a {declared}, not a {kind}")
    return _word_table()[name]


def words(name: str) -> frozenset[str]:
    """The words of a "set" list of words.tsv."""
    return frozenset(w for w, _ in _word_rows(name, "set"))


def word_list(name: str) -> tuple[str, ...]:
    """The words of an ordered "list" of words.tsv, in file order."""
    return tuple(w for w, _ in _word_rows(name, "list"))


def word_map(name: str) -> dict[str, str]:
    """word -> value of a "map" list of words.tsv."""
    return dict(_word_rows(name, "map"))


# modes with a CAMEO root of their own: ACCUSE with mode investigate is CAMEO 09, ASSAULT
# modes of mass violence are 20, of heavy weapons 19
_MODE_ROOT = {("ACCUSE", "investigate"): "09", ("ASSAULT", "massacre"): "20",
              ("ASSAULT", "cleansing"): "20", ("ASSAULT", "unconventional"): "20",
              ("ASSAULT", "heavy-weapons"): "19", ("ASSAULT", "firearms"): "19",
              ("ASSAULT", "aerial"): "19", ("ASSAULT", "drone"): "19"}


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
    source: str = "lexicon"  # "lexicon" (a row of a trigger file) or "model" (the trained proposer)


@dataclass
class ModalityCues:
    by_kind: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)

    def has(self, kind: str, where: str, word: str) -> bool:
        return word in self.by_kind.get(kind, {}).get(where, frozenset())


def _conds(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    if text in ("-", ""):
        return ()
    out = []
    for part in text.split(";"):
        key, _, vals = part.partition("=")
        out.append((key.strip(), frozenset(v.strip().lower() for v in vals.split("|") if v.strip())))
    return tuple(out)


# Trigger files, read in order (a later file never overrides a lemma an earlier one has).
# The PETRARCH2 CAMEO verbs (PETRARCH_FILE below) as candidate rows lowered the event model's
# score on the corpus (grouped 5-fold CV), so they are read only as features of the trained
# proposer (docs/EVENTS.md, "Lexicon broadening").
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


# The PETRARCH2 verbs (scripts/build_triggers_petrarch.py): read as *features* of the trained
# trigger proposer (events/proposer.py), not as candidate rows (as rows they added noise).
PETRARCH_FILE = "triggers_petrarch.tsv"


@functools.lru_cache(maxsize=4)
def lexicon_types(name: str) -> dict[tuple[str, str], frozenset[str]]:
    """(pos, lemma) -> every type a trigger file's rows give it, conditions ignored: what the
    lexicon knows about a word, as evidence for a model rather than a rule."""
    table: dict[tuple[str, str], set[str]] = {}
    for row in _rows(name):
        pos, lemma, _cond, typ = (row + ["-"] * 4)[:4]
        table.setdefault((pos, lemma.lower()), set()).add(typ)
    return {k: frozenset(v) for k, v in table.items()}


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
