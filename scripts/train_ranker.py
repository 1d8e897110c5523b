"""Learn the weights of the toponym resolver's score (``places.resolve.RANK_FEATURES``) on the
development half of GeoWebNews + GeoVirus.

    PYTHONPATH=src .venv/bin/python scripts/train_ranker.py [--cache build/geo-dev.spacy] [--write]

1. Parse the dev-half articles (the test half is never read here); resolve their gold
   toponym spans as ``storyline eval geo`` does, tracing the candidates of the second
   (context) pass and their features. A candidate is right when it lies within 161 km of
   the gold coordinate.
2. A conditional logit (softmax over one mention's candidates; L2 penalty) learns the
   weights; five-fold cross-validation grouped by article compares its top candidate with
   the hand-set weights' (``HAND_WEIGHTS``) on the same candidates: Acc@161 over every
   gold toponym.
3. ``--write`` stores ``src/storyline/data/places/ranker.json`` (weights, CV figures) — only
   worth doing when the learned weights win in cross-validation.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_toponyms import dev_articles, parse  # noqa: E402

from storyline.places.gazetteer import haversine_km, load_gazetteer  # noqa: E402
from storyline.places.recognize import Mention, recognize  # noqa: E402
from storyline.places.resolve import (HAND_WEIGHTS, RANK_FEATURES, RANKER_FILE, resolve_mentions,  # noqa: E402
                                      url_country)

FOLDS = 5
PENALTY = 0.1  # L2 on the weights (the features are on comparable scales: 0/1, log10, small bonuses)
ACC_KM = 161.0


def traced(arts, docs, gaz) -> list[list[tuple[np.ndarray, np.ndarray]]]:
    """Per article, per gold toponym: (feature matrix of its candidates, right or not);
    an empty matrix when the name has no candidate."""
    out = []
    for (_, art), doc in zip(arts, docs):
        _, demonyms = recognize(doc, gaz)
        mentions = [Mention(t.text, t.start, t.end, "GPE", t.text, None, "gold", 1.0) for t in art.toponyms]
        home = [c for c in (url_country(art.url, gaz),) if c]
        trace: dict[int, list] = {}
        resolve_mentions(mentions, art.text, home, [d[0] for d in demonyms], gaz, vicinity=False,
                         ranker=HAND_WEIGHTS, trace=trace)
        rows = []
        for i, t in enumerate(art.toponyms):
            cands = trace.get(i, [])
            x = np.array([f for _, f in cands], dtype=float).reshape(len(cands), len(RANK_FEATURES))
            y = np.array([haversine_km(t.lat, t.lon, c.lat, c.lon) < ACC_KM for c, _ in cands], dtype=bool)
            rows.append((x, y))
        out.append(rows)
    return out


def fit(groups: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Weights maximising the log-likelihood that a mention's right candidates win."""
    from scipy.optimize import minimize

    groups = [(x, y) for x, y in groups if len(x) > 1 and y.any() and not y.all()]

    def loss(w):
        total, grad = PENALTY * w @ w, 2 * PENALTY * w
        for x, y in groups:
            s = x @ w
            s = s - s.max()
            e = np.exp(s)
            p_all = e / e.sum()
            p_pos = e * y / (e * y).sum()
            total -= np.log((e * y).sum()) - np.log(e.sum())
            grad -= (p_pos - p_all) @ x
        return total, grad

    res = minimize(loss, np.array(HAND_WEIGHTS, dtype=float), jac=True, method="L-BFGS-B")
    return res.x


def accuracy(rows: list[tuple[np.ndarray, np.ndarray]], w: np.ndarray) -> float:
    hits = sum(bool(len(x)) and bool(y[int(np.argmax(x @ w))]) for x, y in rows)
    return hits / len(rows) if rows else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench")
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--write", action="store_true", help=f"write src/storyline/data/places/{RANKER_FILE}")
    args = ap.parse_args()
    gaz = load_gazetteer()
    arts = dev_articles(args.bench)
    docs = parse([a.text for _, a in arts], args.cache)
    per_article = traced(arts, docs, gaz)
    hand = np.array(HAND_WEIGHTS, dtype=float)
    folds = [list(range(k, len(per_article), FOLDS)) for k in range(FOLDS)]
    cv_hand, cv_learned, n = 0.0, 0.0, 0
    for held in folds:
        train = [r for a, rows in enumerate(per_article) if a not in held for r in rows]
        test = [r for a in held for r in per_article[a]]
        w = fit(train)
        cv_hand += accuracy(test, hand) * len(test)
        cv_learned += accuracy(test, w) * len(test)
        n += len(test)
    w = fit([r for rows in per_article for r in rows])
    metrics = {"dev_articles": len(arts), "gold": n, "cv_acc161_hand": round(cv_hand / n, 4),
               "cv_acc161_learned": round(cv_learned / n, 4)}
    print(json.dumps({**metrics, "weights": dict(zip(RANK_FEATURES, np.round(w, 3).tolist()))}))
    if args.write:
        out = ROOT / "src" / "storyline" / "data" / "places" / RANKER_FILE
        out.write_text(json.dumps({"features": list(RANK_FEATURES), "weights": [round(float(v), 6) for v in w],
                                   "metrics": metrics}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
