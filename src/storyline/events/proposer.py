"""The trained trigger proposer: a second way for the coder to propose candidates.

Why: the hand-written lexicon proposes only the words and constructions someone wrote a row
for, so about a quarter of the corpus's events were never proposed and another quarter only
with the wrong type, and no keep/drop model can recover those. This model scores every
plausible trigger word of a sentence (verbs; nouns and adjectives the lexicons know; nouns
heading a subject, object or prepositional object in a sentence that names an actor) over
NONE and the 16 PLOVER types, from the word, its parse, what the lexicons say about it (the
shipped rows and the PETRARCH2 verbs, as *features*), whether an actor is its subject or
object, and static embeddings of the word, its window and its sentence. A word over the
threshold that no rule proposed becomes a candidate of the model's type; the coder reads its
arguments off the parse as for any trigger and the keep/type model decides, reading this
model's distribution too. Trained by ``scripts/train_events.py``; numpy only at run time.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np
from spacy.tokens import Doc, Span, Token

from ..models import Actor
from .decide import NONE, embed_columns, load_linear, save_linear, softmax
from .lexicon import PETRARCH_FILE, TRIGGER_FILES, Entry, cameo_root, lexicon_types, modality_cues
from .triggers import _POS, Trigger, match_entry

MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "events" / "trigger_model"
WINDOW_TOKENS = 4  # tokens each side of the word that make its context vector
NOUN_DEPS = ("nsubj", "nsubjpass", "dobj", "pobj", "ROOT", "conj", "attr", "appos")
SUBJ_DEPS = ("nsubj", "nsubjpass", "agent", "csubj")
OBJ_DEPS = ("dobj", "dative", "attr", "oprd", "obj")


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _known(tok: Token) -> frozenset[str]:
    """Every type a shipped trigger file gives the word (conditions ignored)."""
    pos = _POS.get(tok.pos_)
    if pos is None:
        return frozenset()
    out: set[str] = set()
    for name in TRIGGER_FILES:
        out |= lexicon_types(name).get((pos, _lemma(tok)), frozenset())
    return frozenset(out)


def actor_tokens(doc: Doc, actors: Iterable[Actor]) -> dict[int, bool]:
    """Token index -> whether the actor mentioned there has a country (every mentioned token)."""
    out: dict[int, bool] = {}
    for a in actors:
        for m in a.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            for t in span or ():
                out[t.i] = out.get(t.i, False) or bool(a.country)
    return out


def plausible(tok: Token, sentence_has_actor: bool) -> bool:
    """Can the word be an event trigger: any verb; a noun or adjective a lexicon knows; a noun
    heading a subject, object or prepositional object of a sentence that names an actor."""
    if tok.pos_ == "VERB":
        return True
    if tok.pos_ in ("NOUN", "ADJ") and (_known(tok) or _lemma(tok) in _petrarch_nouns()):
        return True
    return tok.pos_ == "NOUN" and sentence_has_actor and tok.dep_ in NOUN_DEPS


@lru_cache(maxsize=1)
def _petrarch_nouns() -> frozenset[str]:
    """PETRARCH2 verbs that are also nouns ("protest", "attack"): read for nouns too."""
    return frozenset(lemma for (_pos, lemma) in lexicon_types(PETRARCH_FILE))


def _phrase_actor(tok: Token, actors: dict[int, bool]) -> tuple[bool, bool]:
    """(an actor is named in the phrase the token heads, one with a country)."""
    idx = range(tok.left_edge.i, tok.right_edge.i + 1)
    hits = [actors[i] for i in idx if i in actors]
    return bool(hits), any(hits)


def token_features(tok: Token, actors: dict[int, bool], n_actors: int) -> dict[str, float]:
    """One word as named features: word and parse, lexicon evidence, actor-bearing arguments."""
    lem, pos, dep = _lemma(tok), tok.pos_, tok.dep_
    f: dict[str, float] = {"bias": 1.0, f"lemma={lem}": 1.0, f"pos={pos}": 1.0, f"dep={pos}:{dep}": 1.0,
                           f"tag={tok.tag_}": 1.0, f"actors={min(n_actors, 3)}": 1.0}
    if tok.head != tok:
        f[f"head={_lemma(tok.head)}"] = 1.0
        f[f"head_pos={tok.head.pos_}"] = 1.0
        for typ in _known(tok.head):
            f[f"head_lex={typ}"] = 1.0
    for typ in _known(tok):
        f[f"lex={typ}"] = 1.0
        f[f"lex_pos={typ}:{pos}"] = 1.0
    entry = match_entry(tok)
    if entry is not None:
        f[f"lex_match={entry.type}"] = 1.0
    for typ in lexicon_types(PETRARCH_FILE).get(("V", lem), ()):
        f[f"petr={typ}:{pos}"] = 1.0
    if tok.i in actors:
        f["in_actor"] = 1.0
    for c in tok.children:
        d = c.dep_
        if d == "neg":
            f["negated"] = 1.0
        elif d == "ccomp":
            f["clause_object"] = 1.0  # "denied that …", "said that …": the act is in the clause
        elif d == "prt":
            f[f"prt={_lemma(c)}"] = 1.0
        elif d in ("aux", "auxpass") and c.tag_ == "MD":
            f["modal"] = 1.0
        kind = "subj" if d in SUBJ_DEPS else "obj" if d in OBJ_DEPS else "prep" if d == "prep" else None
        if kind is None:
            continue
        if kind == "prep":
            f[f"prep={_lemma(c)}"] = 1.0
            heads = [g for g in c.children if g.dep_ == "pobj"]
        else:
            heads = [c]
            if kind == "obj":
                f[f"obj={_lemma(c)}"] = 1.0
        for h in heads:
            named, country = _phrase_actor(h, actors)
            if named:
                f[f"{kind}_actor"] = 1.0
            if country:
                f[f"{kind}_country"] = 1.0
    if pos == "NOUN":
        named, country = _phrase_actor(tok, actors)
        if country and tok.i not in actors:
            f["own_phrase_country"] = 1.0  # "Russia's invasion", "the US-China talks"
    return f


def denies_a_clause(tok: Token) -> bool:
    """"Minsk denied that its jets crossed the border": the denial is no event of its own (no
    REJECT: nothing was asked), it makes the event of its clause `reported` (docs/ANNOTATION.md).
    A denial is a governing cue the modality lexicon reads both as negating and as reporting."""
    cues, lem = modality_cues(), _lemma(tok)
    return (cues.has("reported", "gov", lem) and cues.has("negated", "gov", lem)
            and any(c.dep_ == "ccomp" for c in tok.children))


def _window(tok: Token, sent: Span) -> str:
    lo, hi = max(sent.start, tok.i - WINDOW_TOKENS), min(sent.end, tok.i + WINDOW_TOKENS + 1)
    return tok.doc[lo:hi].text


def token_rows(doc: Doc, actors: Iterable[Actor]) -> list[tuple[Token, dict[str, float], str, str, str]]:
    """(word, features, word text, window, sentence) of every plausible trigger of the document."""
    at = actor_tokens(doc, actors)
    out = []
    for sent in doc.sents:
        n_actors = sum(1 for i in range(sent.start, sent.end) if i in at)
        for tok in sent:
            if plausible(tok, n_actors > 0):
                out.append((tok, token_features(tok, at, n_actors), tok.lower_, _window(tok, sent), sent.text))
    return out


@dataclass
class TriggerModel:
    """A multinomial logistic regression over NONE and the PLOVER types, one row per word:
    sparse named features (unscaled), then three standardised embeddings."""

    vocab: dict[str, int]
    labels: list[str]
    weights: np.ndarray  # (len(vocab) + dense dims, n_labels)
    bias: np.ndarray
    mean: np.ndarray  # of the dense columns
    scale: np.ndarray
    threshold: float  # propose a word when P(not NONE) >= this
    meta: dict

    def probabilities(self, feats: list[dict[str, float]], texts: tuple[list[str], list[str], list[str]]) -> np.ndarray:
        if not feats:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        n = len(self.vocab)
        z = ((np.hstack(embed_columns(*texts)) - self.mean) / self.scale) @ self.weights[n:] + self.bias
        for i, f in enumerate(feats):
            cols = [(self.vocab[k], v) for k, v in f.items() if k in self.vocab]
            if cols:
                idx, val = zip(*cols)
                z[i] += np.asarray(val, dtype=np.float32) @ self.weights[list(idx)]
        return softmax(z)

    def save(self, folder: Path) -> None:
        save_linear(folder, self, dict(self.meta, vocab=self.vocab, labels=self.labels, threshold=self.threshold))

    @classmethod
    def load(cls, folder: Path) -> "TriggerModel":
        common, meta = load_linear(folder)
        return cls(**common, threshold=float(meta.pop("threshold")), meta=meta)


@lru_cache(maxsize=1)
def default_trigger_model() -> TriggerModel | None:
    """The shipped proposer, or None when the package was built without one."""
    if not (MODEL_DIR / "model.json").exists():
        return None
    return TriggerModel.load(MODEL_DIR)


class Proposals:
    """The proposer's distribution over every plausible word of one document."""

    def __init__(self, model: TriggerModel, doc: Doc, actors: Iterable[Actor]):
        rows = token_rows(doc, actors)
        self.model = model
        p = model.probabilities([r[1] for r in rows], ([r[2] for r in rows], [r[3] for r in rows],
                                                       [r[4] for r in rows]))
        self.by_token = {r[0].i: row for r, row in zip(rows, p)}
        self.none = model.labels.index(NONE)

    def distribution(self, tok: Token) -> dict[str, float] | None:
        """P(label) of the word (None: not a plausible trigger)."""
        row = self.by_token.get(tok.i)
        return None if row is None else {lab: float(p) for lab, p in zip(self.model.labels, row)}

    def extend(self, sent: Span, trigs: list[Trigger]) -> list[Trigger]:
        """The rules' triggers plus a new one for each word over the threshold that no rule
        proposed (nor uses as its light verb or merged noun); a noun under a verb proposed
        with the same type is that verb's event."""
        taken = {t.token.i for t in trigs} | {t.verb.i for t in trigs if t.verb is not None} \
            | {t.noun.i for t in trigs if t.noun is not None}
        new: dict[int, Trigger] = {}
        for tok in sent:
            row = self.by_token.get(tok.i)
            if row is None or tok.i in taken or 1.0 - float(row[self.none]) < self.model.threshold \
                    or denies_a_clause(tok):
                continue
            best = max((j for j in range(len(row)) if j != self.none), key=lambda j: row[j])
            typ = self.model.labels[best]
            entry = Entry(_POS[tok.pos_], _lemma(tok), (), typ, None, cameo_root(typ, None),
                          round(1.0 - float(row[self.none]), 3), source="model")
            new[tok.i] = Trigger(tok, entry, tok if tok.pos_ == "VERB" else None)
        out = list(trigs)
        for i, t in sorted(new.items()):
            tok, head = t.token, t.token.head
            if tok.pos_ == "NOUN" and head != tok and head.pos_ in ("VERB", "AUX") and tok.dep_ in OBJ_DEPS + SUBJ_DEPS:
                if head.i in new and new[head.i].entry.type == t.entry.type:
                    new[head.i].noun = tok
                    continue  # "voiced support": one event, coded on the verb
                if head.i not in taken:
                    t.verb = head
            out.append(t)
        return sorted(out, key=lambda t: t.token.i)
