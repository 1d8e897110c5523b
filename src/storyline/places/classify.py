"""The toponym classifier: which candidate spans of a document are places.

Why learned: the hand rules of ``places.recognize`` each fix one pattern and trade recall
against precision by hand-set thresholds. Here they only *propose*: every span a rule
accepts or a filter rejects, every named entity of any label and every capitalised token
run the gazetteer knows is a candidate, described by general features (the parser's label,
the gazetteer's feature class and population, how ambiguous the name is with common words
and person names, capitalisation, the words around it, the name's other mentions, the
rules' own verdict). A gradient-boosted tree ensemble trained on the development half of
GeoWebNews + GeoVirus (``scripts/train_toponyms.py``) scores each, and the best-scoring
non-overlapping spans above the model's threshold are the toponyms.
"""
from __future__ import annotations

import functools
import json
import math
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

from spacy.symbols import AUX, PROPN, VERB

from ..errors import ModelError
from .gazetteer import Gazetteer, NameGrid
from .recognize import (
    COMMON_WORDS, DIRECTIONS, DISEASE_HEADS, LOC_PREPS, LOCAL_NOUNS, LOCAL_ORG_HEADS, OF_HEADS, ORG_WORDS, PLACE_HEADS,
    PLACE_LABELS, SITE_NOUNS,
    WEAK_PREPS, DocFacts, Mention, _cue, _facility_host, _is_demonym, _strong, _town, _trim,
)
from .resolve import CLUSTER_CAP, CLUSTER_CELL_DEG, CLUSTER_FEATURES, CLUSTER_TOP

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

MODEL_FILE = "toponym_model.json"
SOURCES = ("ner", "ner-relabel", "gazetteer", "embedded", "embedded-local", "street", "dateline", "list",
           "demonym", "propagated", "entity", "scan")
LABELS = ("GPE", "LOC", "FAC", "ORG", "PERSON", "NORP", "OTHER", "NONE")
CLASSES = ("country", "admin1", "admin2", "city", "other", "none")
# Entity labels that never hold a place name ("5 km", "Monday").
NUMERIC_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENT"}
ORG_HEADS = LOCAL_ORG_HEADS | ORG_WORDS
TITLES = {"mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.", "president", "sen.", "rep.", "gov.", "judge"}
SCAN_TOKENS = 4
FEATURES = (
    *(f"src={s}" for s in SOURCES), "rule_accept",
    *(f"ent={x}" for x in LABELS), "ent_exact", "ent_longer",
    "in_gazetteer", "log_readings", *(f"class={c}" for c in CLASSES), "log_population", "main_name", "strong", "town",
    "tokens", "log_chars", "all_caps", "has_period", "sent_start", "propn", "common_word", "lower_elsewhere",
    "first_name", "last_name", "person_word", "speaker",
    "prev_loc_prep", "prev_weak_prep", "prev_of_head", "prev_the", "prev_title", "prev_cap",
    "next_comma_division", "next_site_noun", "next_local_noun", "next_cap", "next_possessive", "next_verb",
    "cue", "same_text", "same_text_place_entity", "demonym", "disease_next", "digits", "doc_position",
    "in_parentheses", "head_place_word", "head_org_word",
    "local_support", "in_named_admin1",
)


@dataclass(frozen=True)
class TreeModel:
    """Gradient-boosted regression trees over ``FEATURES`` (exported from scikit-learn):
    the sum of the trees' leaf values times ``rate`` plus ``init`` is the log-odds that a
    span is a toponym. The trees are stored as one flat node table (children as absolute
    indices, -1 at leaves) so that all trees walk down together, one level per step."""

    init: float
    rate: float
    roots: np.ndarray
    left: np.ndarray
    right: np.ndarray
    feature: np.ndarray
    cut: np.ndarray
    value: np.ndarray
    depth: int
    threshold: float

    def score(self, x: np.ndarray) -> np.ndarray:
        """Probability per row of ``x`` (candidates × features)."""
        node = np.broadcast_to(self.roots, (len(x), len(self.roots)))
        rows = np.arange(len(x))[:, None]
        for _ in range(self.depth):
            leaf = self.left[node] < 0
            go_left = x[rows, self.feature[node]] <= self.cut[node]
            node = np.where(leaf, node, np.where(go_left, self.left[node], self.right[node]))
        z = self.init + self.rate * self.value[node].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-z))

    @classmethod
    def from_json(cls, d: dict) -> "TreeModel":
        if tuple(d["features"]) != FEATURES:
            raise ModelError(f"{MODEL_FILE}: its features differ from this version's; run scripts/train_toponyms.py")
        roots, left, right, feature, cut, value = [], [], [], [], [], []
        depth = 0
        for t in d["trees"]:
            base = len(left)
            roots.append(base)
            left += [c + base if c >= 0 else -1 for c in t["left"]]
            right += [c + base if c >= 0 else -1 for c in t["right"]]
            feature += [max(f, 0) for f in t["feature"]]
            cut += t["threshold"]
            value += t["value"]
            depth = max(depth, int(t["depth"]))
        return cls(float(d["init"]), float(d["rate"]), np.array(roots), np.array(left), np.array(right),
                   np.array(feature), np.array(cut, dtype=float), np.array(value, dtype=float),
                   depth, float(d["threshold"]))


@functools.lru_cache(maxsize=1)
def toponym_model() -> TreeModel | None:
    """The shipped classifier (``data/places/toponym_model.json``), or None (rules alone)."""
    path = resources.files("storyline.data.places").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    return TreeModel.from_json(json.loads(path.read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=1)
def name_words() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, last names) of the people in the actors' persons lexicon (office holders
    worldwide): a place name that is also a common given name or surname is ambiguous."""
    first: set[str] = set()
    last: set[str] = set()
    text = resources.files("storyline.data.actors").joinpath("persons.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        words = [w for w in line.split("\t", 1)[0].split() if len(w) > 2]
        if len(words) >= 2:
            first.add(words[0])
            last.add(words[-1])
    return frozenset(first), frozenset(last)


def _extra_candidates(doc: Doc, gaz: Gazetteer, facts: DocFacts) -> list[Mention]:
    """Spans no rule proposed: every entity of a non-numeric label (trimmed of modifiers,
    and cut to its leading place name) that is a place entity, a gazetteer name, a facility
    of one or ends in a place word ("... Street", "... Park"), and every run of up to four
    capitalised tokens that the gazetteer knows, whatever its size."""
    out: list[Mention] = []
    for ent in facts.ents:
        if ent.label_ in NUMERIC_LABELS or ent.label_ == "NORP" or _is_demonym(ent.text):
            continue  # a demonym is an affiliation; only the rules' "Syrian villages" make it a place
        for cut in (False, True) if len(ent) > 1 else (False,):
            span = _trim(ent, gaz, cut_prefix=cut)
            if span is None or not span.text[:1].isupper():
                continue
            known = gaz.has(span.text)
            host = None if known else _facility_host(span, gaz)
            if not (known or host or ent.label_ in PLACE_LABELS or span[-1].lower_.strip(".") in PLACE_HEADS):
                continue  # a person or an organisation the gazetteer does not know: almost never a place
            out.append(Mention(span.text, span.start_char, span.end_char, ent.label_, span.text, host, "entity", 0.6))
    words, starts = facts.words, facts.starts
    n = len(words)
    for i, w in enumerate(words):
        if not w[:1].isupper():
            continue
        for j in range(i + 1, min(n, i + SCAN_TOKENS) + 1):
            last = words[j - 1]
            if not last[:1].isupper():
                if last in ("-", "."):
                    continue
                break
            a, b = starts[i], starts[j - 1] + len(last)
            name = facts.text[a:b]
            if gaz.has(name) and not _is_demonym(name):
                out.append(Mention(name, a, b, "GPE", name, None, "scan", 0.6))
    return out


def candidates(doc: Doc, gaz: Gazetteer, accepted: list[Mention], rejected: list[Mention],
               facts: DocFacts) -> list[tuple[Mention, bool]]:
    """(mention, accepted by the rules) for each distinct span, the rules' own proposals first."""
    seen: dict[tuple[int, int], tuple[Mention, bool]] = {}
    for group, ok in ((accepted, True), (rejected, False), (_extra_candidates(doc, gaz, facts), False)):
        for m in group:
            seen.setdefault((m.start, m.end), (m, ok))
    return list(seen.values())


class _DocContext:
    """What the features of one document's candidates share."""

    def __init__(self, doc: Doc, gaz: Gazetteer, cands: list[tuple[Mention, bool]], facts: DocFacts):
        self.doc = doc
        self.text = facts.text
        self.persons = facts.persons
        self.speakers = facts.speakers
        self.words, self.starts, self.pos, self.sent_start = facts.words, facts.starts, facts.pos, facts.sent_start
        self.lower = {w for w in facts.words if w.islower()}
        self.ents = {}
        for ent in facts.ents:
            for k in range(ent.start, ent.end):
                self.ents[k] = ent
        self.counts = Counter(m.text for m, _ in cands)
        self.place_entities = {e.text for e in facts.ents if e.label_ in PLACE_LABELS}
        self.names: dict[str, list[float]] = {}  # name → _name_features
        # where the names the rules accept lie: local news names several places of one area
        # and often its state ("Clinton" beside "DeWitt" and "Fulton, Ill." is the Iowa town)
        self.grid = NameGrid(CLUSTER_CELL_DEG)
        self.admin1: set[str] = set()
        self.local: dict[str, list[float]] = {}  # name → _local_features
        for m, ok in cands:
            if not ok:
                continue
            readings = gaz.lookup(m.query)[:CLUSTER_TOP]
            local = _local_readings(readings)
            if local:
                self.grid.add(gaz.key(m.query), local, 1.0 / math.sqrt(len(local)))
            self.admin1.update(c.admin1_code for c in readings if c.feature == "admin1" and c.admin1_code)

    def local_features(self, gaz: Gazetteer, name: str) -> list[float]:
        """[how many accepted names (1/sqrt(their readings) each, capped) have a local reading
        within about a degree of one of this name's, whether one of its local readings lies in a
        first-level division an accepted name names]."""
        found = self.local.get(name)
        if found is None:
            key = gaz.key(name)
            local = _local_readings(gaz.lookup(name)[:CLUSTER_TOP])
            support = max((sum(self.grid.near(c, key).values()) for c in local), default=0.0)
            found = self.local[name] = [min(CLUSTER_CAP, support),
                                        float(any(c.admin1_code in self.admin1 for c in local))]
        return found


def _local_readings(readings: list) -> list:
    return [c for c in readings if c.feature in CLUSTER_FEATURES and c.geonameid is not None]


def _name_features(gaz: Gazetteer, name: str) -> list[float]:
    """What the gazetteer says about a name: known, how many readings, the likeliest
    reading's class, the largest population, a main-name match, strong, a town."""
    readings = gaz.lookup_scored(name)
    top = readings[0][0] if readings else None
    cls = "none" if top is None else top.feature if top.feature in CLASSES else "other"
    pop = max((c.population or 0 for c, _ in readings), default=0)
    return ([float(bool(readings)), math.log1p(len(readings))] + [float(cls == c) for c in CLASSES]
            + [math.log10(pop + 1), float(any(main for _, main in readings)),
               float(bool(readings) and _strong(gaz, name)), float(bool(readings) and _town(gaz, name))])


def _features(ctx: _DocContext, gaz: Gazetteer, m: Mention, ok: bool) -> list[float] | None:
    doc = ctx.doc
    span: Span | None = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    first_names, last_names = name_words()
    name = m.query if m.host is None or gaz.has(m.query) else m.host
    found = ctx.names.get(name)
    if found is None:
        found = ctx.names[name] = _name_features(gaz, name)
    i, j, n = span.start, span.end, len(ctx.words)
    ent = ctx.ents.get(i)
    label = "NONE" if ent is None else ent.label_ if ent.label_ in LABELS else "OTHER"
    words = m.text.split()
    key = gaz.key(m.text)
    pos, text_of = ctx.pos, ctx.words
    prev = text_of[i - 1].lower() if i > 0 else ""
    prev2 = text_of[i - 2].lower() if i > 1 else ""
    nxt_word = text_of[j] if j < n else ""
    nxt = nxt_word.lower()
    division_next = False
    if nxt == "," and j + 1 < n and ctx.words[j + 1][:1].isupper():
        for k in range(min(n, j + 3), j + 1, -1):
            name_after = ctx.text[ctx.starts[j + 1]:ctx.starts[k - 1] + len(ctx.words[k - 1])]
            if any(c.feature in ("admin1", "country") for c in gaz.lookup(name_after)):
                division_next = True
                break
    after = ctx.text[m.end:m.end + 30].lower().split()
    letters = m.text.replace(".", "")
    tail = words[-1].lower().strip(".")
    row = [float(m.source == s) for s in SOURCES] + [float(ok)]
    row += [float(label == x) for x in LABELS]
    row += [float(ent is not None and ent.start == i and ent.end == j),
            float(ent is not None and (ent.start < i or ent.end > j))]
    row += found
    row += [float(j - i), math.log(len(m.text) + 1), float(letters.isupper() and len(letters) > 1),
            float("." in m.text), float(ctx.sent_start[i] == 1), float(pos[i] == PROPN),
            float(key in COMMON_WORDS or key in DIRECTIONS), float(len(words) == 1 and m.text.lower() in ctx.lower),
            float(words[0].lower() in first_names), float(tail in last_names),
            float(len(words) == 1 and m.text in ctx.persons), float(m.text in ctx.speakers)]
    row += [float(prev in LOC_PREPS), float(prev in WEAK_PREPS), float(prev == "of" and prev2 in OF_HEADS),
            float(prev == "the"), float(prev in TITLES),
            float(i > 0 and ctx.words[i - 1][:1].isupper() and pos[i - 1] == PROPN and ctx.sent_start[i - 1] != 1)]
    row += [float(division_next), float(nxt in SITE_NOUNS), float(nxt in LOCAL_NOUNS),
            float(nxt_word[:1].isupper() and pos[j] == PROPN), float(nxt_word in ("'s", "’s")),
            float(j < n and pos[j] in (VERB, AUX))]
    row += [float(_cue(doc, span, gaz)), math.log(ctx.counts[m.text]), float(m.text in ctx.place_entities),
            float(_is_demonym(m.text) is not None),
            float(bool(after) and after[0].strip(".,;:()") in DISEASE_HEADS),
            float(any(ch.isdigit() for ch in m.text)), m.start / max(1, len(ctx.text)), float(prev == "("),
            float(len(words) > 1 and tail in PLACE_HEADS), float(len(words) > 1 and tail in ORG_HEADS)]
    row += ctx.local_features(gaz, name)
    return row


def feature_rows(doc: Doc, gaz: Gazetteer, accepted: list[Mention], rejected: list[Mention],
                 facts: DocFacts | None = None) -> tuple[list[Mention], list[bool], np.ndarray]:
    """The candidates of one document, the rules' verdicts and their feature matrix."""
    facts = facts or DocFacts.of(doc)
    cands = candidates(doc, gaz, accepted, rejected, facts)
    ctx = _DocContext(doc, gaz, cands, facts)
    kept, verdicts, rows = [], [], []
    for m, ok in cands:
        row = _features(ctx, gaz, m, ok)
        if row is not None:
            kept.append(m)
            verdicts.append(ok)
            rows.append(row)
    return kept, verdicts, np.array(rows, dtype=float).reshape(len(rows), len(FEATURES))


def select(mentions: list[Mention], probs: np.ndarray, threshold: float) -> list[Mention]:
    """The most probable non-overlapping mentions at or above ``threshold``, in text order."""
    out: list[Mention] = []
    for k in sorted(range(len(mentions)), key=lambda k: (-probs[k], mentions[k].start)):
        m = mentions[k]
        if probs[k] < threshold or any(o.start < m.end and m.start < o.end for o in out):
            continue
        out.append(m)
    return sorted(out, key=lambda m: m.start)


def choose(doc: Doc, gaz: Gazetteer, model: TreeModel, accepted: list[Mention], rejected: list[Mention],
           facts: DocFacts | None = None) -> list[Mention]:
    """The toponyms of ``doc`` among the candidates, by the model."""
    mentions, _, x = feature_rows(doc, gaz, accepted, rejected, facts)
    if not mentions:
        return []
    return select(mentions, model.score(x), model.threshold)
