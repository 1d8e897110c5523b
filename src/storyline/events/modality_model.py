"""The modality classifier: the cue rules propose, a trained model decides.

The rules in ``modality.py`` read negation, modal verbs, plan words, hedges and reporting
verbs off the parse and take the nearest cue as the answer. That answer is wrong where cues
combine ("did not rule out" is an open possibility, not a denial; a past-tense "planned
meeting" dated before publication happened). Here every cue the rules saw
(``explain.modality_cues``: the cue, where it sits, tense, the reporting verb above, the
hedges of the sentence, the date against publication, the rules' own answer) and a static
embedding of the words around the trigger feed a multinomial logistic regression over the
five classes, trained on the annotated corpus (and MEANTIME) by
``scripts/train_modality.py``. Inference is numpy only; the weights live in
``storyline/data/events/modality/``. Without them the rules' answer stands.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..models import Event
from .decide import _get, embed_columns, indicator_matrix, load_linear, save_linear, softmax, trigger_window

MODALITY_DIR = Path(__file__).resolve().parent.parent / "data" / "events" / "modality"
# constructions too rare in the corpus for the classifier to learn (fewer than five rows),
# or whose reading the issue fixes, read compositionally by the rules, whose answer then
# stands: a plan called off in a coordinated clause ("were set to refuel …, but Tokyo
# scrapped the plan"), a negated negating verb ("did not rule out sending troops"), a hedge
# on the trigger itself ("allegedly executed", one corpus row), a plan dated before
# publication in the past tense ("the decision to expel … earlier this week", 11 of 13 rows
# asserted), a claim the other side contests in the same sentence ("…, which Hezbollah denied")
RULE_STANDS = ("cancelled_plan", "double_negation", "hedged", "past_dated_plan", "contested")


def rule_stands(e: Any) -> bool:
    """The event has a construction whose rule reading stands (``RULE_STANDS``)."""
    cues = (_get(e, "explain") or {}).get("modality_cues") or {}
    return any(k in cues for k in RULE_STANDS)


def cue_dict(e: Any) -> dict[str, float]:
    """The named cue features of one event (empty when the coder recorded none)."""
    return dict((_get(e, "explain") or {}).get("modality_cues") or {}, bias=1.0)


def dense_context(events: list[Any], parts: tuple[str, ...]) -> np.ndarray:
    """Embeddings of the trigger window (and the sentence, when asked), side by side."""
    texts = [[trigger_window(e)[1] if part == "window" else (_get(e, "sentence") or "") for e in events]
             for part in parts]
    return np.hstack(embed_columns(*texts)) if texts else np.zeros((len(events), 0), dtype=np.float32)


@dataclass
class ModalityModel:
    """A multinomial logistic regression over the five modality classes."""

    vocab: dict[str, int]
    labels: list[str]
    weights: np.ndarray  # (n_features, n_labels)
    bias: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    dense: tuple[str, ...] = ("window",)
    margin: float = 0.0  # the model overrides the rules' answer only when its class is this much more probable
    meta: dict = field(default_factory=dict)

    def matrix(self, events: list[Any]) -> np.ndarray:
        x = indicator_matrix((cue_dict(e) for e in events), self.vocab)
        if self.dense and events:
            x = np.hstack([x, dense_context(events, self.dense)])
        return (x - self.mean) / self.scale

    def probabilities(self, events: list[Any]) -> np.ndarray:
        if not events:
            return np.zeros((0, len(self.labels)))
        return softmax(self.matrix(events) @ self.weights + self.bias)

    def choose(self, row: np.ndarray, rule: str | None) -> str:
        """The model's class, unless the rules' own answer is within ``margin`` of it: a clear
        cue the corpus has seldom seen ("scrapped the plan") keeps its reading."""
        best = int(np.argmax(row))
        if rule in self.labels and row[best] - row[self.labels.index(rule)] < self.margin:
            return rule
        return self.labels[best]

    def predict(self, events: list[Any]) -> list[str]:
        """The class of each event (Event objects or their dicts), as ``decide_modality`` sets it."""
        out = []
        for e, row in zip(events, self.probabilities(events)):
            ex = _get(e, "explain") or {}
            rule = ex.get("modality_rule") or _get(e, "modality")
            out.append(rule if rule_stands(e) else self.choose(row, rule))
        return out

    def save(self, folder: Path) -> None:
        save_linear(folder, self, dict(self.meta, vocab=self.vocab, labels=self.labels, dense=list(self.dense),
                                       margin=self.margin))

    @classmethod
    def load(cls, folder: Path) -> "ModalityModel":
        common, meta = load_linear(folder)
        return cls(**common, dense=tuple(meta.pop("dense")), margin=float(meta.pop("margin", 0.0)), meta=meta)


@lru_cache(maxsize=1)
def default_modality_model() -> ModalityModel | None:
    """The shipped classifier, or None when the package was built without one."""
    if not (MODALITY_DIR / "model.json").exists():
        return None
    return ModalityModel.load(MODALITY_DIR)


def decide_modality(events: list[Event], use_model: bool = True, model: ModalityModel | None = None) -> list[Event]:
    """Set each event's modality from the classifier (the rules' answer stays without one) and
    record the scores in ``explain.modality_scores``; the cue features leave ``explain``. An
    event whose speaker is its own source loses the attribution when it is told as a fact
    ("Police said they arrested 30"); a plan, a possibility, a denial or a claim keeps it ("Oslo
    said it would expel …", "The rebels deny they attacked …"): the guide asks for their speaker."""
    model = model or (default_modality_model() if use_model else None)
    todo = [e for e in events if e.explain]
    if model is not None and todo:
        for e, row in zip(todo, model.probabilities(todo)):
            ranked = sorted(zip(row.tolist(), model.labels), reverse=True)
            if rule_stands(e):
                e.explain["modality_rule_stands"] = True
            else:
                e.modality = model.choose(row, e.modality)
            e.explain["modality_scores"] = {lab: round(p, 3) for p, lab in ranked[:3]}
    for e in todo:
        e.explain.pop("modality_cues", None)
        if e.explain.pop("attribution_is_source", False) and e.modality == "asserted":
            # "Police said they arrested 30": the speech act already names who
            e.attribution = None
            e.explain.pop("attribution_text", None)
            e.explain.pop("attribution_country", None)
    return events
