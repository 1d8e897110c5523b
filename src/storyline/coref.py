"""coref: the trained pairwise model of cross-document event coreference.

Linking (``storyline.link``) proposes pairs of event mentions that share a type and a key
(a side's country, a person, a place, a report or the trigger word) within a few days; this
module says how likely each pair is to be one real-world event. The features are what a
reader weighs: whether the sides and their countries agree, how far apart the dates are and
how precise they are, how far apart the places are, whether the modalities can describe one
event (a plan and its realisation can; a denial and an assertion rarely do), and how close
the triggers and the sentences are in the static embedding space the event model uses. A
logistic regression fitted on ECB+ training topics (``scripts/train_link.py``) weighs them;
inference is numpy only, the weights live in ``storyline/data/link/``.

Mentions are read by attribute (``storyline.link.LinkEvent``), so this module needs nothing
from the linking stage above it.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .countries import country_code
from .errors import ModelError
from .places.gazetteer import haversine_km

MODEL_DIR = Path(__file__).resolve().parent / "data" / "link"
MODALITY_PAIRS = ("asserted|planned", "asserted|reported", "asserted|negated", "negated|planned")
FEATURES = (
    "bias", "same_doc", "shared_side", "both_sides_named", "one_side_unnamed", "same_actor", "same_person",
    "both_dated", "one_dated", "gap_0", "gap_1", "gap_2plus", "day_precise_both", "wide_date",
    "same_modality", *(f"modality={p}" for p in MODALITY_PAIRS), "modality_other",
    "same_place", "place_differs", "near_50km", "near_500km", "far_500km",
    "same_trigger", "trigger_cos", "sentence_cos", "same_mode",
    "weak_date", "weak_same_day", "sides_conflict", "people_conflict",
)


REPORT_LAG_DAYS = 7  # an event dated only by its report happened that day or in the week before


def interval(e: Any) -> tuple | None:
    """A mention's (first day, last day), None when undated or dated only weakly (``date_weak``:
    a day counted from a publication date guessed from the text is no evidence of when it
    happened, so it neither keeps two mentions apart nor brings them together). A mention
    dated only by its report's publication day happened on that day or in the days before it."""
    if not e.date or getattr(e, "date_weak", False):
        return None
    if getattr(e, "date_precision", None) == "publication":
        return e.date - dt.timedelta(days=REPORT_LAG_DAYS), e.date
    return e.date, e.date_end or e.date


def interval_gap(a: tuple | None, b: tuple | None) -> int | None:
    """Days between two (first, last) ranges (0 when they overlap), None when one is missing."""
    if a is None or b is None:
        return None
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def gap_days(a: Any, b: Any) -> int | None:
    """Days between two mentions' date ranges (0 when they overlap), None when one is undated."""
    return interval_gap(interval(a), interval(b))


def swept_pairs(bucket: list[str], span: dict[str, tuple | None], window: int, undated: bool = True):
    """Pairs of one blocking bucket: dated items whose (first, last) spans lie within ``window``
    days of each other (a sweep in date order, not all pairs), and, when ``undated``, each
    undated item with every other item of the bucket."""
    dated = sorted((x for x in bucket if span[x]), key=lambda x: (span[x], x))
    for i, a in enumerate(dated):
        end = span[a][1]
        for b in dated[i + 1:]:
            if (span[b][0] - end).days > window:
                break
            yield a, b
    if undated:
        for u in (x for x in bucket if not span[x]):
            for o in bucket:
                if o != u:
                    yield u, o


def day_precise(e: Any) -> bool:
    """A mention dated to one day by a time expression (not a range, not the publication day)."""
    return (bool(e.date) and (e.date_end is None or e.date_end == e.date) and getattr(e, "date_precision", None) == "day"
            and not getattr(e, "date_weak", False))


def different_days(a: Any, b: Any) -> bool:
    """Both mentions are dated to a day, and the days differ: two meetings, not one."""
    return day_precise(a) and day_precise(b) and a.date != b.date


def _km(a: Any, b: Any) -> float | None:
    if None in (getattr(a, "lat", None), getattr(a, "lon", None), getattr(b, "lat", None), getattr(b, "lon", None)):
        return None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def trigger_key(e: Any) -> str:
    """The trigger word as a blocking key: lower case, at most its first word."""
    return _trigger_word(getattr(e, "trigger", None) or "")


@lru_cache(maxsize=65536)
def _trigger_word(trigger: str) -> str:
    """Cached: a relink asks for the key of every mention of the store several times, and a
    store has far fewer distinct triggers than mentions (a tenth of the relink's CPU)."""
    words = plain_text(trigger).lower().split()
    return words[0] if words else ""


def pair_features(a: Any, b: Any, vec: dict[str, np.ndarray] | None = None, symmetric: bool = False,
                  conflicts: tuple[bool, bool] = (False, False)) -> np.ndarray:
    """The feature vector of one pair of mentions (order does not matter), in ``FEATURES`` order.

    ``vec`` maps ``"t:" + event_id`` (trigger) and ``"s:" + event_id`` (sentence) to unit vectors;
    ``conflicts``: whether a side is told differently, whether two different people of one
    country are named (``link`` knows; the model weighs them instead of forbidding the pair).
    """
    f = dict.fromkeys(FEATURES, 0.0)
    f["bias"] = 1.0
    f["same_doc"] = float(a.doc_id == b.doc_id)
    sa = [a.source_country, a.target_country]
    sb = [b.source_country, b.target_country]
    if symmetric:
        shared = len({c for c in sa if c} & {c for c in sb if c})
    else:
        shared = sum(1 for x, y in zip(sa, sb) if x and y and x == y)
    f["shared_side"] = min(shared, 2) / 2
    f["both_sides_named"] = float(all(sa) and all(sb))
    f["one_side_unnamed"] = float(not any(sa) or not any(sb))
    f["same_actor"] = float(bool({x for x in (a.source_actor, a.target_actor) if x}
                                 & {x for x in (b.source_actor, b.target_actor) if x}))
    f["same_person"] = float(bool({x for x in (a.source_person, a.target_person) if x}
                                  & {x for x in (b.source_person, b.target_person) if x}))
    gap = gap_days(a, b)
    f["both_dated"] = float(gap is not None)
    f["one_dated"] = float(bool(a.date) != bool(b.date))
    if gap is not None:
        f["gap_0" if gap == 0 else "gap_1" if gap == 1 else "gap_2plus"] = 1.0
        f["day_precise_both"] = float(day_precise(a) and day_precise(b))
        f["wide_date"] = float(any(((e.date_end or e.date) - e.date).days > 3 for e in (a, b)))
    ma, mb = getattr(a, "modality", None) or "asserted", getattr(b, "modality", None) or "asserted"
    pair = "|".join(sorted((ma, mb)))
    if ma == mb:
        f["same_modality"] = 1.0
    elif pair in MODALITY_PAIRS:
        f[f"modality={pair}"] = 1.0
    else:
        f["modality_other"] = 1.0
    la, lb = getattr(a, "location", None), getattr(b, "location", None)
    f["same_place"] = float(bool(la) and la == lb)
    f["place_differs"] = float(bool(la) and bool(lb) and la != lb)
    km = _km(a, b)
    if km is not None:
        f["near_50km" if km < 50 else "near_500km" if km < 500 else "far_500km"] = 1.0
    f["same_trigger"] = float(bool(trigger_key(a)) and trigger_key(a) == trigger_key(b))
    if vec is not None:
        f["trigger_cos"] = float(vec[f"t:{a.event_id}"] @ vec[f"t:{b.event_id}"])
        f["sentence_cos"] = float(vec[f"s:{a.event_id}"] @ vec[f"s:{b.event_id}"])
    f["same_mode"] = float(bool(a.mode) and a.mode == b.mode)
    weak = getattr(a, "date_weak", False) or getattr(b, "date_weak", False)
    f["weak_date"] = float(weak)
    if weak and a.date and b.date:
        f["weak_same_day"] = float(interval_gap((a.date, a.date_end or a.date), (b.date, b.date_end or b.date)) == 0)
    f["sides_conflict"], f["people_conflict"] = float(conflicts[0]), float(conflicts[1])
    return np.array([f[k] for k in FEATURES], dtype=np.float64)


_FORM = ((re.compile(r"[\"“”„‟″]|``|''"), " "), (re.compile(r"[‘’‚‛′]"), "'"),
         (re.compile(r"(\w) (n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1\2"), (re.compile(r"\s+"), " "),
         (re.compile(r" ([,.;:!?])"), r"\1"))


def plain_text(text: str) -> str:
    """A text in one typographic form: no double quotes (of any style), straight apostrophes,
    contractions joined, one space for any run of spaces and line breaks. Linking reads
    sentences and leads through it, so that the same report typeset differently ("do n't",
    “curly” quotes, hard line breaks) gives the same vectors and words."""
    for pattern, repl in _FORM:
        text = pattern.sub(repl, text)
    return text.strip()


def mention_vectors(events: list[Any]) -> dict[str, np.ndarray]:
    """Unit vectors of each mention's trigger and sentence (the event model's static embeddings),
    read in one text form (``plain_text``)."""
    from .events.decide import embed_columns

    if not events:
        return {}
    triggers, sentences = embed_columns([plain_text(getattr(e, "trigger", None) or "") for e in events],
                                        [plain_text(getattr(e, "sentence", None) or "") for e in events])
    out = {}
    for e, t, s in zip(events, triggers.astype(np.float64), sentences.astype(np.float64)):
        out[f"t:{e.event_id}"] = t
        out[f"s:{e.event_id}"] = s
    return out


def text_vectors(texts: dict[str, str]) -> dict[str, np.ndarray]:
    """key → unit vector of its text (the same static embeddings)."""
    from .events.decide import embed_columns

    if not texts:
        return {}
    keys = sorted(texts)
    (vecs,) = embed_columns([plain_text(texts[k]) for k in keys])
    return dict(zip(keys, vecs.astype(np.float64)))


@dataclass(frozen=True)
class LinearModel:
    """A logistic regression over standardised named features, and the threshold tuned on dev."""

    features: tuple[str, ...]
    weights: np.ndarray
    intercept: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float  # link (merge two clusters, join two reports) when the score is at least this

    def score(self, x: np.ndarray) -> np.ndarray:
        """Probability that each row's pair belongs together."""
        z = ((x - self.mean) / self.scale) @ self.weights + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict:
        return {"features": list(self.features), "weights": [round(float(w), 6) for w in self.weights],
                "intercept": round(float(self.intercept), 6), "mean": [round(float(m), 6) for m in self.mean],
                "scale": [round(float(s), 6) for s in self.scale], "threshold": self.threshold}

    @classmethod
    def load(cls, path: Path, features: tuple[str, ...]) -> "LinearModel | None":
        """The model in ``path``, or None when none has been trained (linking then uses its rules)."""
        if not path.exists():
            return None
        d = json.loads(path.read_text(encoding="utf-8"))
        if tuple(d["features"]) != tuple(features):
            raise ModelError(f"{path}: its features differ from this version's; run `make train`")
        return cls(tuple(features), np.array(d["weights"]), float(d["intercept"]), np.array(d["mean"]),
                   np.array(d["scale"]), float(d["threshold"]))


PairModel = LinearModel


@lru_cache(maxsize=1)
def pair_model() -> LinearModel | None:
    """The shipped pairwise coreference model (``data/link/pair_model.json``)."""
    return LinearModel.load(MODEL_DIR / "pair_model.json", FEATURES)


# ---------------------------------------------------------------- stories: pairs of reports

STORY_FEATURES = (
    "bias", "shared_clusters", "shared_cluster_share", "shared_pairs", "shared_actors", "shared_people",
    "shared_places", "shared_countries", "country_differs", "no_country", "sentence_similarity", "trigger_similarity",
    "both_dated", "gap_0_2", "gap_3_7", "gap_8_30", "gap_31plus", "specific_words",
    "lead_similarity",
)
WORD = re.compile(r"[^\W\d_][\w'-]+")


@lru_cache(maxsize=65536)
def _content_word(word: str) -> bool:
    """A word that can tell one situation from another: not a country's name or adjective
    ("Russian" is in every report of a country pair), at least three letters."""
    return len(word) >= 3 and country_code(word) is None


def content_words(texts: list[str]) -> frozenset[str]:
    """The lower-cased content words of a report's event sentences (``_content_word``)."""
    return frozenset(w.lower() for t in texts for w in WORD.findall(plain_text(t)) if _content_word(w.lower()))


def word_weights(words: dict[str, frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency of each word over the reports being linked (smoothed: a word
    in every report weighs 0), so that only words few reports share count as specific."""
    df: dict[str, int] = {}
    for ws in words.values():
        for w in ws:
            df[w] = df.get(w, 0) + 1
    n = len(words)
    return {w: math.log((1 + n) / (1 + k)) for w, k in df.items()}


@dataclass
class Report:
    """What story detection compares between two reports: the keys of their events and the
    gist of what they tell (the mean of the unit vectors of their event sentences and of their
    triggers: the dot product of two gists is the mean cosine over all sentence pairs)."""

    doc_id: str
    clusters: set
    pairs: set
    actors: set
    people: set
    places: set
    countries: set
    triggers: set
    span: tuple | None
    gist: np.ndarray | None = None
    trigger_gist: np.ndarray | None = None
    lead: np.ndarray | None = None  # unit vector of the report's title and first paragraphs
    words: dict = field(default_factory=dict)  # content word → its weight (``word_weights``)
    words_norm: float = 0.0


def _overlap(a: set, b: set) -> float:
    return float(min(len(a & b), 3)) / 3


def story_features(a: Report, b: Report) -> np.ndarray:
    """The feature vector of one pair of reports, in ``STORY_FEATURES`` order."""
    f = dict.fromkeys(STORY_FEATURES, 0.0)
    f["bias"] = 1.0
    shared = len(a.clusters & b.clusters)
    f["shared_clusters"] = min(shared, 3) / 3
    f["shared_cluster_share"] = shared / max(1, min(len(a.clusters), len(b.clusters)))
    f["shared_pairs"] = _overlap(a.pairs, b.pairs)
    f["shared_actors"] = _overlap(a.actors, b.actors)
    f["shared_people"] = _overlap(a.people, b.people)
    f["shared_places"] = _overlap(a.places, b.places)
    f["shared_countries"] = _overlap(a.countries, b.countries)
    f["country_differs"] = float(bool(a.countries) and bool(b.countries) and not a.countries & b.countries)
    f["no_country"] = float(not a.countries or not b.countries)
    if a.gist is not None and b.gist is not None:
        f["sentence_similarity"] = float(a.gist @ b.gist)
        f["trigger_similarity"] = float(a.trigger_gist @ b.trigger_gist)
    if a.span and b.span:
        f["both_dated"] = 1.0
        gap = interval_gap(a.span, b.span)
        f["gap_0_2" if gap <= 2 else "gap_3_7" if gap <= 7 else "gap_8_30" if gap <= 30 else "gap_31plus"] = 1.0
    if a.lead is not None and b.lead is not None:
        f["lead_similarity"] = float(a.lead @ b.lead)
    if a.words_norm and b.words_norm:
        small, big = (a.words, b.words) if len(a.words) <= len(b.words) else (b.words, a.words)
        f["specific_words"] = sum(w * w for k, w in small.items() if k in big) / (a.words_norm * b.words_norm)
    return np.array([f[k] for k in STORY_FEATURES], dtype=np.float64)


@lru_cache(maxsize=1)
def story_model() -> LinearModel | None:
    """The shipped model of "two reports tell one story" (``data/link/story_model.json``)."""
    return LinearModel.load(MODEL_DIR / "story_model.json", STORY_FEATURES)


def average_linkage(nodes: list[str], scores: dict[tuple[str, str], float], threshold: float,
                    sizes: dict[str, int] | None = None, merge: Any = None) -> dict[str, str]:
    """node → group root: agglomerative clustering that merges the two groups with the highest
    mean score over all their cross pairs (pairs never scored count 0) while it is at least
    ``threshold``. ``sizes``: nodes that stand for a group already formed (a running story
    of that many reports; its scores are sums over its members), 1 for the others.

    Why it stays near linear: only scored pairs are visited; a merge moves the smaller
    neighbour table into the larger; the heap keeps upper bounds (the mean of two groups
    after a merge is a weighted mean of means already in the heap) and an entry is
    recomputed only when it reaches the top. Ties are broken by ids (deterministic).
    ``merge(keep, gone)``: asked before two groups merge (by their roots); False forbids it
    (hard constraints: a group that cannot merge never can once it grows).
    """
    import heapq

    parent = {n: n for n in nodes}
    size = {n: (sizes or {}).get(n, 1) for n in nodes}
    nbr: dict[str, dict[str, float]] = {n: {} for n in nodes}
    for (a, b), s in scores.items():
        if a != b:
            nbr[a][b] = nbr[a].get(b, 0.0) + s
            nbr[b][a] = nbr[b].get(a, 0.0) + s

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    heap = [(-s / (size[a] * size[b]), a, b) for a in sorted(nbr) for b, s in sorted(nbr[a].items()) if a < b]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if -neg < threshold:
            break
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        mean = nbr[ra].get(rb, 0.0) / (size[ra] * size[rb])
        if mean < -neg - 1e-12:  # stale: the groups grew since; put back its current mean
            if mean >= threshold:
                heapq.heappush(heap, (-mean, min(ra, rb), max(ra, rb)))
            continue
        keep, gone = (ra, rb) if len(nbr[ra]) >= len(nbr[rb]) else (rb, ra)
        if merge is not None and not merge(keep, gone):
            continue
        parent[gone] = keep
        size[keep] += size[gone]
        moved = nbr.pop(gone)
        nbr[keep].pop(gone, None)
        for k, s in moved.items():
            if k == keep:
                continue
            nbr[keep][k] = nbr[keep].get(k, 0.0) + s
            row = nbr[k]
            row[keep] = row.get(keep, 0.0) + row.pop(gone)
    return {n: find(n) for n in nodes}
