"""The event model: the rules propose, a trained model decides.

Every candidate the rule coder proposes carries its evidence in ``Event.explain`` (the
lexicon row, how each side was found, date and place cues, modality). This module turns
that evidence, plus static embeddings of the sentence and of the words around the trigger,
into one feature vector, and a multinomial logistic regression trained on the annotated
corpus (``corpus/``, ``scripts/train_events.py``) says whether the candidate is an event
and of which PLOVER type. Inference is numpy only; the weights live in
``storyline/data/events/model/`` and load once per process.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from ..models import Event

MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "events" / "model"
EMBEDDINGS_DIR = Path(__file__).resolve().parent.parent / "data" / "embeddings"
NONE = "NONE"
WINDOW_WORDS = 4  # words each side of the trigger that make its context vector
WORD = re.compile(r"\S+")


def _get(e: Any, name: str, default=None):
    return e.get(name, default) if isinstance(e, dict) else getattr(e, name, default)


def _country(arg: Any) -> str | None:
    return _get(arg, "country") if arg else None


def _bin(x: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if x <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def symbolic_features(e: Any) -> dict[str, float]:
    """The rule evidence of one candidate as named features (categorical ones as name=value).

    Modality is left out on purpose: whether a candidate is an event does not depend on
    whether it happened (planned, denied and alleged events are events), and the corpus has
    too few negated events for the model to learn that on its own."""
    ex = _get(e, "explain") or {}
    src, tgt = _get(e, "source"), _get(e, "target")
    sc, tc = _country(src), _country(tgt)
    sentence = _get(e, "sentence") or ""
    f: dict[str, float] = {
        "bias": 1.0,
        "rule_weight": float(ex.get("rule_weight") or 0.0),
        "has_source_country": float(bool(sc)),
        "has_target_country": float(bool(tc)),
        "same_country": float(bool(sc) and sc == tc),
        "source_igo": float(bool(sc) and len(sc) != 3),
        "target_igo": float(bool(tc) and len(tc) != 3),
        "source_agent": float(bool(_get(src, "agent")) if src else 0.0),
        "target_agent": float(bool(_get(tgt, "agent")) if tgt else 0.0),
        "attribution": float(bool(_get(e, "attribution"))),
        "has_place": float(_get(e, "location") is not None),
        "has_quantity": float(bool(_get(e, "quantities"))),
        "actorless": float(bool(ex.get("actorless"))),
        "light_verb": float(bool(ex.get("light_verb"))),
        "quoted": float('"' in sentence or "“" in sentence),
        "question": float(sentence.rstrip().endswith("?")),
    }
    cats = {
        "rule_type": ex.get("rule_type") or _get(e, "type"),
        "rule_kind": (ex.get("rule") or "").split(":", 1)[0],
        "trigger_pos": ex.get("trigger_pos"),
        "trigger_dep": ex.get("trigger_dep"),
        "source_how": ex.get("source_how"),
        "target_how": ex.get("target_how"),
        "date_how": ex.get("date_how"),
        "place_how": ex.get("place_how"),
        "mode": _get(e, "mode") or "-",
        "sentence_index": _bin(int(ex.get("sentence_index") or 0), (0, 1, 4, 10)),
        "in_sentence": _bin(int(ex.get("candidates_in_sentence") or 1), (1, 2, 4)),
        "sentence_words": _bin(len(sentence.split()), (12, 25, 40)),
    }
    for k, v in cats.items():
        f[f"{k}={v}"] = 1.0
    proposed = ex.get("proposer") == "trigger_model"
    f.update(proposer_features(ex.get("trigger_model_p") if proposed else None, cats["rule_type"]))
    f[f"type_x_source={cats['rule_type']}:{cats['source_how']}"] = 1.0
    f[f"type_x_dep={cats['rule_type']}:{cats['trigger_dep']}"] = 1.0
    return f


def proposer_features(dist: dict[str, float] | None, rule_type: str | None) -> dict[str, float]:
    """The trained proposer's distribution over a word it proposed: evidence to keep or retype.

    A lexicon candidate is judged on its rule evidence alone: the proposer learnt from the
    corpus's words, and a row written for a construction the corpus rarely has (refuelling
    abroad) would be vetoed by it (cross-validation: reading it for every candidate did not
    raise type F1, docs/EVENTS.md)."""
    if not dist:
        return {"tm_absent": 1.0}
    best = max((lab for lab in dist if lab != NONE), key=lambda lab: dist[lab])
    f = {f"tm:{lab}": float(p) for lab, p in dist.items()}
    f["tm_rule_type"] = float(dist.get(rule_type or "", 0.0))
    f[f"tm_best={best}"] = 1.0
    f["tm_best_is_rule"] = float(best == rule_type)
    return f


def trigger_window(e: Any) -> tuple[str, str]:
    """(trigger words, the trigger with WINDOW_WORDS words each side) from the sentence."""
    ex = _get(e, "explain") or {}
    sentence = _get(e, "sentence") or ""
    start = int(ex.get("trigger_start", -1)) - int(_get(e, "start") or 0)
    trig = _get(e, "trigger") or ""
    if not 0 <= start <= len(sentence):
        start = max(0, sentence.find(trig))
    words = [(m.start(), m.group()) for m in WORD.finditer(sentence)]
    at = next((i for i, (pos, w) in enumerate(words) if pos + len(w) > start), 0)
    window = " ".join(w for _, w in words[max(0, at - WINDOW_WORDS):at + WINDOW_WORDS + 1])
    return trig, window


@lru_cache(maxsize=1)
def embedder():
    """The static embedding model (model2vec), built from the local files as
    ``StaticModel.from_pretrained`` builds it, without importing ``huggingface_hub`` (half a
    second per process) to resolve a folder that is already on disk."""
    from model2vec import StaticModel
    from safetensors import safe_open
    from tokenizers import Tokenizer

    config = json.loads((EMBEDDINGS_DIR / "config.json").read_text(encoding="utf-8"))
    tensors = safe_open(str(EMBEDDINGS_DIR / "model.safetensors"), framework="numpy")
    names = set(tensors.keys())
    return StaticModel(vectors=tensors.get_tensor("embeddings"),
                       tokenizer=Tokenizer.from_file(str(EMBEDDINGS_DIR / "tokenizer.json")),
                       config=config, normalize=config.get("normalize", False),
                       weights=tensors.get_tensor("weights") if "weights" in names else None,
                       token_mapping=tensors.get_tensor("mapping") if "mapping" in names else None,
                       max_length=config.get("max_length", 512))


def embed(texts: list[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    v = np.asarray(embedder().encode(texts), dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.maximum(norms, 1e-6)


def embed_columns(*columns: list[str]) -> list[np.ndarray]:
    """One matrix of unit vectors per column of texts; each distinct text is embedded once
    (sentences repeat across a document's candidates)."""
    uniq = sorted(set().union(*columns))
    index = {t: i for i, t in enumerate(uniq)}
    vec = embed(uniq)
    return [vec[[index[t] for t in texts]] for texts in columns]


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise class probabilities of a linear model's scores."""
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def dense_features(events: list[Any]) -> np.ndarray:
    """Sentence, trigger-window and trigger vectors, side by side (one row per candidate)."""
    if not events:
        return np.zeros((0, 0), dtype=np.float32)
    sentences = [_get(e, "sentence") or "" for e in events]
    trig, window = zip(*(trigger_window(e) for e in events))
    return np.hstack(embed_columns(sentences, list(window), list(trig)))


def indicator_matrix(features: Iterable[dict[str, float]], vocab: dict[str, int]) -> np.ndarray:
    """Named features (one dict per row) as a dense matrix over ``vocab``; unknown names are dropped."""
    rows = list(features)
    x = np.zeros((len(rows), len(vocab)), dtype=np.float32)
    for i, f in enumerate(rows):
        for k, v in f.items():
            j = vocab.get(k)
            if j is not None:
                x[i, j] = v
    return x


def event_matrix(events: list[Any], vocab: dict[str, int], dense: bool = True) -> np.ndarray:
    """The keep/type model's unstandardised input: rule features, then the embeddings."""
    sym = indicator_matrix((symbolic_features(e) for e in events), vocab)
    return np.hstack([sym, dense_features(events)]) if events and dense else sym


def save_linear(folder: Path, model: Any, meta: dict) -> None:
    """A linear model's ``weights``/``bias``/``mean``/``scale`` (float32, weights.npz) and its
    metadata (model.json, sorted keys: the same model gives the same bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(folder / "weights.npz", **{k: getattr(model, k).astype(np.float32)
                                                   for k in ("weights", "bias", "mean", "scale")})
    (folder / "model.json").write_text(json.dumps(meta, indent=1, sort_keys=True), encoding="utf-8")


def load_linear(folder: Path) -> tuple[dict, dict]:
    """(the fields every linear model has — vocab, labels, weights, bias, mean, scale — and the
    rest of its metadata) as ``save_linear`` wrote them."""
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    arr = np.load(folder / "weights.npz")
    common = {"vocab": meta.pop("vocab"), "labels": meta.pop("labels"),
              **{k: arr[k] for k in ("weights", "bias", "mean", "scale")}}
    return common, meta


@dataclass
class EventModel:
    """A multinomial logistic regression over NONE and the PLOVER types."""

    vocab: dict[str, int]
    labels: list[str]
    weights: np.ndarray  # (n_features, n_labels)
    bias: np.ndarray  # (n_labels,)
    mean: np.ndarray  # feature standardisation
    scale: np.ndarray
    keep_threshold: float  # keep a candidate when P(not NONE) >= this
    retype: float | None  # retype when the model's best type beats the rule's by this much (None: never)
    meta: dict
    keep_actorless: bool = True  # False: a candidate with no actor on either side is dropped, as the rules do
    proposed_threshold: float | None = None  # the keep threshold of words only the trained proposer proposed

    def threshold_for(self, e: Any) -> float:
        """The keep threshold of one candidate: a word no lexicon row proposed has less evidence
        behind it than a rule's candidate, so it may have to clear a higher bar."""
        ex = _get(e, "explain") or {}
        if self.proposed_threshold is not None and ex.get("proposer") == "trigger_model":
            return self.proposed_threshold
        return self.keep_threshold

    def keeps(self, e: Any, row: np.ndarray) -> bool:
        """Is the candidate an event: the model's score over the threshold (and an actor, unless allowed)."""
        if not self.keep_actorless and (_get(e, "explain") or {}).get("actorless"):
            return False
        return 1.0 - float(row[self.labels.index(NONE)]) >= self.threshold_for(e)

    def matrix(self, events: list[Any]) -> np.ndarray:
        return (event_matrix(events, self.vocab, self.meta.get("dense", True)) - self.mean) / self.scale

    def probabilities(self, events: list[Any]) -> np.ndarray:
        return softmax(self.matrix(events) @ self.weights + self.bias)

    def chosen_type(self, row: np.ndarray, rule_type: str) -> str:
        """The rule's type, unless the model prefers another one by the retype margin."""
        none = self.labels.index(NONE)
        best = max((j for j in range(len(self.labels)) if j != none), key=lambda j: row[j])
        own = row[self.labels.index(rule_type)] if rule_type in self.labels else 0.0
        if self.retype is not None and row[best] - own >= self.retype:
            return self.labels[best]
        return rule_type

    def save(self, folder: Path) -> None:
        save_linear(folder, self, dict(self.meta, vocab=self.vocab, labels=self.labels,
                                       keep_threshold=self.keep_threshold, retype=self.retype,
                                       keep_actorless=self.keep_actorless,
                                       proposed_threshold=self.proposed_threshold))

    @classmethod
    def load(cls, folder: Path) -> "EventModel":
        common, meta = load_linear(folder)
        return cls(**common, keep_threshold=float(meta.pop("keep_threshold")), retype=meta.pop("retype"),
                   keep_actorless=bool(meta.pop("keep_actorless", True)),
                   proposed_threshold=meta.pop("proposed_threshold", None), meta=meta)


@lru_cache(maxsize=1)
def default_model() -> EventModel | None:
    """The shipped model, or None when the package was built without one."""
    if not (MODEL_DIR / "model.json").exists():
        return None
    return EventModel.load(MODEL_DIR)


def _compact(e: Event) -> Event:
    """The explanation users see: without the list of alternative mentions."""
    if e.explain:
        e.explain.pop("mentions", None)
        e.explain.pop("variant", None)
        e.explain.pop("trigger_model_p", None)
        e.explain.pop("rule_sides", None)
        e.explain.pop("grouped", None)
    return e


def decide_events(events: list[Event], model: EventModel | None = None) -> list[Event]:
    """Keep, drop or retype the rules' candidates and record the scores in ``explain`` (the
    side ranker has run before, on the drafts: ``coder._rank_drafts``)."""
    model = model or default_model()
    if model is None or not events:
        return [_compact(e) for e in events if not (e.explain or {}).get("actorless")]
    p = model.probabilities(events)
    none = model.labels.index(NONE)
    out = []
    for e, row in zip(events, p):
        keep = 1.0 - float(row[none])
        ranked = sorted(((float(row[j]), lab) for j, lab in enumerate(model.labels) if lab != NONE), reverse=True)
        rule_type = e.type
        best = model.chosen_type(row, rule_type)
        ex = dict(e.explain or {})
        ex["model_keep"] = round(keep, 3)
        ex["model_types"] = {lab: round(s, 3) for s, lab in ranked[:3]}
        if not model.keeps(e, row):
            continue
        if best != rule_type:
            from .lexicon import cameo_root

            e.type, e.mode, e.cameo = best, None, cameo_root(best, None)
            ex["retyped_from"] = rule_type
        e.confidence = round(min(0.99, max(0.05, keep)), 3)
        e.explain = ex
        out.append(_compact(e))
    return out


def label_weights(labels: Iterable[str]) -> dict[str, float]:
    """Inverse-frequency class weights, damped (square root) so rare types are not overfitted."""
    counts: dict[str, int] = {}
    for lab in labels:
        counts[lab] = counts.get(lab, 0) + 1
    total = sum(counts.values())
    return {lab: math.sqrt(total / (len(counts) * n)) for lab, n in counts.items()}


# ---------------------------------------------------------------- the argument ranker

PRONOUNS = {"he", "she", "his", "her", "him", "it", "its", "they", "their", "them", "we", "our", "i"}
ROLES = ("source", "target")


def mention_features(e: Any, m: dict, role: str) -> dict[str, float]:
    """One (candidate, actor mention, side) triple as named features, prefixed by the side."""
    ex = _get(e, "explain") or {}
    typ = ex.get("rule_type") or _get(e, "type")
    other = "target" if role == "source" else "source"
    other_arg = _get(e, other)
    own_arg = _get(e, role)
    rel = m.get("rel") or "far"
    f = {
        "bias": 1.0,
        f"rel={rel}": 1.0,
        f"type_rel={typ}:{rel}": 1.0,
        f"before={m.get('before')}": 1.0,
        f"type_before={typ}:{m.get('before')}": 1.0,
        f"distance={_bin(int(m.get('distance') or 0), (1, 3, 6, 12))}": 1.0,
        "rule_same": float(role in (m.get("rule") or [])),
        "rule_other": float(other in (m.get("rule") or [])),
        "rule_has_none": float(not _country(own_arg)),
        "same_as_other_side": float(bool(_country(other_arg)) and m.get("country") == _country(other_arg)),
        f"agent={m.get('agent') or '-'}": 1.0,
        f"kind={m.get('kind') or '-'}": 1.0,
        f"ent={m.get('ent') or '-'}": 1.0,
        "pronoun": float((m.get("text") or "").lower() in PRONOUNS),
        "igo": float(len(m.get("country") or "") not in (0, 3)),
        "no_country": float(not m.get("country")),
        f"mentions={_bin(len(ex.get('mentions') or []), (1, 2, 4))}": 1.0,
        # the reporting speaker is rarely the target of what they report
        "speaker": float(bool(m.get("speaker"))),
        f"type_speaker={typ}:{bool(m.get('speaker'))}": 1.0,
        f"rel_agent={rel}:{m.get('agent') or '-'}": 1.0,
        # the dependency path: steps up to the common head, down to the trigger, own clauses
        f"up={m.get('up')}": 1.0,
        f"down={m.get('down')}": 1.0,
        f"path={m.get('up')}:{m.get('down')}": 1.0,
        f"clause={m.get('clause')}": 1.0,
        f"rel_clause={rel}:{m.get('clause')}": 1.0,
    }
    return {f"{role}:{k}": v for k, v in f.items()}


def _out_of_reach(m: dict, role: str, noun: bool) -> bool:
    """A mention the ranker may not give a side the rules did not: one inside a relative clause
    that does not hold the trigger ("Yokosuka, where the US 7th Fleet is based, to attend the
    talks"), or the speaker of a reporting verb as the target ("…, Yonhap reported") or as the
    doer of an event noun ("…, the spokesman said, referring to the refuelling of …")."""
    return bool(m.get("relative")) or bool(m.get("speaker")) and (role == "target" or noun)


@dataclass
class SideRanker:
    """A logistic regression scoring each actor mention of the sentence for each side."""

    vocab: dict[str, int]
    weights: np.ndarray
    bias: float
    min_score: float  # a mention replaces the rule's side only above this score ...
    margin: float  # ... and this far above the rule's own choice

    def score(self, e: Any, mentions: list[dict], role: str) -> np.ndarray:
        x = indicator_matrix((mention_features(e, m, role) for m in mentions), self.vocab)
        return 1 / (1 + np.exp(-(x @ self.weights + self.bias)))

    def choose(self, e: Any, role: str) -> tuple[dict, float] | None:
        """The mention that should fill ``role`` instead of the rule's choice, or None.

        The other side's own mention is never a candidate: one actor is not both sides."""
        ex = _get(e, "explain") or {}
        mentions = ex.get("mentions") or []
        if not mentions or ex.get("variant") or ex.get("grouped"):
            return None
        other_role = "target" if role == "source" else "source"
        noun = ex.get("trigger_pos") == "NOUN"
        other = _get(e, other_role)
        taken = {_get(other, "text"), _get(other, "actor_id")} - {None} if other else set()
        s = self.score(e, mentions, role)
        other_words = f" {' '.join(WORD.findall((_get(other, 'text') or '').lower()))} " if other else "  "
        for i, m in enumerate(mentions):
            own_words = f" {' '.join(WORD.findall((m.get('text') or '').lower()))} "
            inside_other = own_words.strip() != "" and other_words.strip() != "" and (
                own_words in other_words or other_words in own_words)
            if (m.get("text") in taken or m.get("actor_id") in taken or inside_other or not m.get("country")
                    or other_role in (m.get("within") or []) or _out_of_reach(m, role, noun)) and role not in (m.get("rule") or []):
                s[i] = -1.0  # "its" inside "its embassy" is the other side, not this one; no country: the rules' only
        best = int(np.argmax(s))
        if s[best] < 0:
            return None
        if role in (mentions[best].get("rule") or []):
            return None
        rule = [float(s[i]) for i, m in enumerate(mentions) if role in (m.get("rule") or [])]
        own = max(rule) if rule else 0.0
        if s[best] >= self.min_score and s[best] - own >= self.margin:
            return mentions[best], float(s[best])
        return None

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "sides.npy", self.weights.astype(np.float32))
        (folder / "sides.json").write_text(json.dumps({"vocab": self.vocab, "bias": self.bias,
                                                       "min_score": self.min_score, "margin": self.margin},
                                                      indent=1, sort_keys=True), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "SideRanker":
        meta = json.loads((folder / "sides.json").read_text(encoding="utf-8"))
        return cls(meta["vocab"], np.load(folder / "sides.npy"), float(meta["bias"]), float(meta["min_score"]),
                   float(meta["margin"]))


@lru_cache(maxsize=1)
def default_ranker() -> SideRanker | None:
    if not (MODEL_DIR / "sides.json").exists():
        return None
    return SideRanker.load(MODEL_DIR)


def rank_sides(e: Any, ranker: SideRanker) -> dict[str, tuple[dict, float]]:
    """Let the ranker replace the sides the rules chose (or missed), side after side, on
    anything with ``type``, ``source``, ``target`` and ``explain`` (a draft's ``SideChoice``);
    say so in ``explain``. Returns the chosen mention and its score by side."""
    from ..models import EventArg

    ex = e.explain if e.explain is not None else {}
    chosen = {}
    for role in ROLES:
        got = ranker.choose(e, role)
        if got is None:
            continue
        m, s = got
        setattr(e, role, EventArg(m["text"], m.get("name"), m["country"], m.get("agent"), m.get("actor_id")))
        ex[f"{role}_how"] = f"ranker:{m.get('rel')}"
        ex[f"{role}_score"] = round(s, 3)
        chosen[role] = got
    e.explain = ex
    return chosen


def side_view(ev: dict) -> dict:
    """A candidate (an EVENT dict from ``extract_events``) as the ranker saw it on its draft:
    the rule type and the rules' own sides, before the ranker and the document passes."""
    ex = ev.get("explain") or {}
    rule = ex.get("rule_sides") or {}
    return {"type": ex.get("rule_type") or ev.get("type"), "source": rule.get("source"),
            "target": rule.get("target"), "explain": ex}
