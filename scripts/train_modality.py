"""Train the modality classifier (the cue rules propose, the model decides).

    make train            # runs scripts/train_events.py, then this

1. Rebuild the corpus texts and gold (train + dev; the test split is never read) and run the
   pipeline with ``events_decider="candidates"``: every rule candidate, with its modality
   cues in ``explain.modality_cues`` (events/modality.py ``cue_features``).
2. Label a candidate with the gold event's first modality when the corpus matcher pairs
   them (``evaluation.modality.pair``) or its trigger overlaps the gold trigger.
3. MEANTIME (CC BY 4.0): articles of the train and dev splits of the same hash
   (``corpus.split_for``) not already in the corpus give more rows: a candidate whose
   trigger is a MEANTIME event mention takes the mapped class
   (``evaluation.modality.meantime_class``, docs/EVENTS.md).
4. Grouped 5-fold cross-validation over the corpus rows (an ECB+ topic stays in one fold;
   MEANTIME rows of the other folds' articles are added to each training fold) chooses C,
   the class-weight power, the embedding parts, the MEANTIME row weight and the margin by
   which the model's class must beat the rules' answer to replace it, by the class-balanced
   macro-F1; among the settings within ``TIE`` of the best, by macro-F1.
5. Refit on all rows with the chosen setting and write ``src/storyline/data/events/modality/``
   (weights.npz, model.json, metrics.json). lbfgs is deterministic: same data, same files.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # small fits: threads only contend (40x slower on a busy 2-core box)

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from train_events import candidates, load_gold, standardise, vocabulary  # noqa: E402

from storyline.evaluation.corpus import group_of  # noqa: E402
from storyline.evaluation.modality import meantime_gold, pair, prf, token_events  # noqa: E402
from storyline.events.decide import indicator_matrix  # noqa: E402
from storyline.events.modality_model import (MODALITY_DIR, ModalityModel, cue_dict, dense_context,  # noqa: E402
                                              rule_stands)

CLASSES = ("asserted", "planned", "negated", "hypothetical", "reported")
GRID_C = (0.005, 0.01, 0.02, 0.05, 0.2)
GRID_POWER = (0.5, 0.75, 1.0, 1.25)  # class weight = (n / (k * n_class)) ** power
GRID_DENSE = ((), ("window",))
GRID_MEANTIME = (0.0, 0.3, 1.0)  # weight of a MEANTIME row against a corpus row
GRID_MARGIN = (0.0, 0.1, 0.2, 0.3, 0.5)  # the rules' answer stands unless the model's class beats it by this
TIE = 0.01  # balanced macro-F1 differences below this are noise (one row of the smallest class, 22
# reported rows, moves it by about 0.01): the plain macro-F1 decides


def corpus_rows(gold: dict, cands: dict[str, list[dict]]) -> tuple[list[tuple[dict, str, str]], set[str]]:
    """(candidate, class, document key) for every candidate paired with a gold event, and the
    ids of the gold events that have such a candidate."""
    by_doc: dict[str, list[dict]] = {}
    for g in gold["events"]:
        by_doc.setdefault(g["doc"], []).append(g)
    rows: dict[int, tuple[dict, str, str]] = {}
    covered: set[str] = set()
    for key in sorted(gold["docs"]):
        events = cands.get(key, [])
        for g in by_doc.get(key, []):
            cls = (g.get("modality") or ["asserted"])[0]
            chosen = [pair(events, g)]
            span = g.get("trigger_span")
            if span:
                chosen += [e for e in events if (e.get("explain") or {}).get("trigger_start", -1) < span[1]
                           and span[0] < (e.get("explain") or {}).get("trigger_end", -1)]
            for e in chosen:
                if e is not None:
                    covered.add(g["id"])
                    rows.setdefault(id(e), (e, cls, key))
    return list(rows.values()), covered


def training_rows(pool: dict, bench: str, cache: Path) -> tuple[list, list, dict[str, str]]:
    """(corpus rows, MEANTIME rows, MEANTIME key -> corpus id); rows are (event, class, doc key).
    Cached by the code and the corpus that made them."""
    src = sorted((ROOT / "src" / "storyline").rglob("*.py")) + sorted((ROOT / "src" / "storyline" / "data").rglob("*.tsv")) \
        + sorted((ROOT / "src" / "storyline" / "data" / "events" / "trigger_model").glob("*"))  # it proposes candidates
    digest = hashlib.sha1(b"".join(p.read_bytes() for p in src) + json.dumps(sorted(pool["docs"])).encode()
                          + json.dumps([g["id"] for g in pool["events"]]).encode()).hexdigest()[:16]
    path = cache / f"modality-rows-{digest}.json"
    if path.exists():
        return tuple(json.loads(path.read_text()))
    t0 = time.time()
    rows, covered = corpus_rows(pool, candidates(pool, cache))
    missed = {"docs": pool["docs"], "events": [g for g in pool["events"] if g["id"] not in covered]}
    tok_rows = [(e, (g.get("modality") or ["asserted"])[0], g["doc"]) for g, e in token_events(missed)]
    in_corpus = {d["source"] for d in pool["docs"].values()}
    mt = meantime_gold(Path(bench) / "coref" / "meantime", ("train", "dev"))
    mt["docs"] = {k: d for k, d in mt["docs"].items() if d["source"] not in in_corpus}
    mt["events"] = [g for g in mt["events"] if g["doc"] in mt["docs"]]
    mt_rows = [(e, g["modality"][0], g["doc"]) for g, e in token_events(mt)]
    count = lambda rs: {c: sum(r[1] == c for r in rs) for c in CLASSES}  # noqa: E731
    print(f"corpus candidate rows {len(rows)} {count(rows)}; corpus gold triggers without a candidate "
          f"{len(tok_rows)} {count(tok_rows)}; MEANTIME rows {len(mt_rows)} {count(mt_rows)} ({time.time() - t0:.0f} s)")
    out = (rows + tok_rows, mt_rows, {k: d["source"] for k, d in mt["docs"].items()})
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out))
    return out


def balanced_macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Macro-F1 as if every class had as many gold rows: each row weighs 1 / (its gold class's
    count), so a precision is not dominated by the asserted majority (an analyst filtering on
    one class sees the recall of every class, and unseen samples are closer to balanced)."""
    n = {c: sum(g == c for g, _ in pairs) for c in CLASSES}
    f1s = []
    for c in CLASSES:
        if not n[c]:
            continue
        tp = sum(1 for g, p in pairs if g == c and p == c) / n[c]
        pred = sum(1 / n[g] for g, p in pairs if p == c)
        prec, rec = (tp / pred if pred else 0.0), tp
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return round(sum(f1s) / max(1, len(f1s)), 4)


def fold_of(group: str, k: int) -> int:
    return int(hashlib.sha1(group.encode()).hexdigest(), 16) % k


def class_weights(y: list[str], power: float) -> dict[str, float]:
    counts = {c: y.count(c) for c in set(y)}
    return {c: (len(y) / (len(counts) * n)) ** power for c, n in counts.items()}


def fit(x: np.ndarray, y: list[str], w: np.ndarray, c: float, power: float):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=5000, class_weight=class_weights(y, power))
    clf.fit(x, y, sample_weight=w)
    return clf


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench"))
    ap.add_argument("--out", default=str(MODALITY_DIR))
    ap.add_argument("--cache", default=str(ROOT / "build" / "corpus"))
    ap.add_argument("--folds", type=int, default=5)
    a = ap.parse_args()
    t0 = time.time()
    gold = load_gold(a.bench)
    pool = {"about": "train + dev", "docs": {**gold["train"]["docs"], **gold["dev"]["docs"]},
            "events": gold["train"]["events"] + gold["dev"]["events"]}
    rows, mt_rows, mt_docs = training_rows(pool, a.bench, Path(a.cache))
    events = [r[0] for r in rows] + [r[0] for r in mt_rows]
    y = [r[1] for r in rows] + [r[1] for r in mt_rows]
    is_mt = np.array([False] * len(rows) + [True] * len(mt_rows))
    groups = [group_of(pool["docs"][r[2]]["source"]) for r in rows] + [mt_docs[r[2]] for r in mt_rows]
    fold = np.array([fold_of(g, a.folds) for g in groups])
    vocab = vocabulary([cue_dict(e) for e in events])
    sym = indicator_matrix((cue_dict(e) for e in events), vocab)
    dense = {parts: dense_context(events, parts) for parts in GRID_DENSE}
    corpus_idx = np.where(~is_mt)[0]
    results = []
    for parts in GRID_DENSE:
        x = np.hstack([sym, dense[parts]])
        for mt_w in GRID_MEANTIME:
            w = np.where(is_mt, mt_w, 1.0)
            for power in GRID_POWER:
                for c in GRID_C:
                    proba = np.zeros((len(events), len(CLASSES)))
                    for k in range(a.folds):
                        tr = np.where((fold != k) & (w > 0))[0]
                        te = np.where((fold == k) & ~is_mt)[0]
                        mean, scale = standardise(x[tr], len(vocab))
                        clf = fit((x[tr] - mean) / scale, [y[i] for i in tr], w[tr], c, power)
                        cols = [list(clf.classes_).index(cl) for cl in CLASSES]
                        proba[te] = clf.predict_proba((x[te] - mean) / scale)[:, cols]
                    shell = ModalityModel(vocab, list(CLASSES), np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0))
                    for margin in GRID_MARGIN:
                        shell.margin = margin
                        pairs = [(y[i], events[i]["modality"] if rule_stands(events[i])
                                  else shell.choose(proba[i], events[i]["modality"])) for i in corpus_idx]
                        m = prf(pairs)
                        m["balanced_macro_f1"] = balanced_macro_f1(pairs)
                        results.append((m["macro_f1"], min(v["recall"] for v in m["per_class"].values()),
                                        parts, mt_w, power, c, margin, m))
                        print(f"  dense={'+'.join(parts) or '-'} meantime={mt_w} power={power} C={c} "
                              f"margin={margin}: macro-F1 {m['macro_f1']:.3f} min recall {results[-1][1]:.3f} "
                              f"balanced {m['balanced_macro_f1']:.3f}", flush=True)
    rule = prf([(y[i], events[i]["modality"]) for i in corpus_idx])
    # chosen by the class-balanced macro-F1: the corpus is 84 % asserted, the news a user filters
    # (and the independent check, sampled per class: its asserted precision was 0.47) far less,
    # so every class's recall counts as much as asserted precision. Settings within TIE of the
    # best are equally good on ~1,100 rows (a minority class moves by one row at a time); among
    # them the best plain macro-F1 wins
    top = max(r[7]["balanced_macro_f1"] for r in results)
    best = max((r for r in results if r[7]["balanced_macro_f1"] >= top - TIE), key=lambda r: (r[0], r[1]))
    _, _, parts, mt_w, power, c, margin, cv = best
    rule["balanced_macro_f1"] = balanced_macro_f1([(y[i], events[i]["modality"]) for i in corpus_idx])
    print(f"rules on the same rows: macro-F1 {rule['macro_f1']} (balanced {rule['balanced_macro_f1']}); "
          f"model CV: macro-F1 {cv['macro_f1']} (balanced {cv['balanced_macro_f1']}) "
          f"(dense={parts}, meantime weight {mt_w}, power {power}, C={c}, margin {margin})")
    for cls in CLASSES:
        print(f"  {cls:13s} rules P/R {rule['per_class'][cls]['precision']}/{rule['per_class'][cls]['recall']}  "
              f"model P/R {cv['per_class'][cls]['precision']}/{cv['per_class'][cls]['recall']}")
    x = np.hstack([sym, dense[parts]])
    w = np.where(is_mt, mt_w, 1.0)
    keep = np.where(w > 0)[0]
    mean, scale = standardise(x[keep], len(vocab))
    clf = fit((x[keep] - mean) / scale, [y[i] for i in keep], w[keep], c, power)
    labels = list(clf.classes_)
    model = ModalityModel(vocab=vocab, labels=labels, weights=clf.coef_.T.astype(np.float32),
                          bias=clf.intercept_.astype(np.float32), mean=mean.astype(np.float32),
                          scale=scale.astype(np.float32), dense=tuple(parts), margin=margin,
                          meta={"C": c, "class_weight_power": power, "meantime_weight": mt_w,
                                "trained_on": {"corpus_rows": len(rows), "meantime_rows": len(mt_rows),
                                               "classes": {cl: y.count(cl) for cl in CLASSES}},
                                "embeddings": "model2vec distillation of all-MiniLM-L6-v2, 128 dims (data/embeddings)"})
    model.save(Path(a.out))
    metrics = {"cv_folds": a.folds, "rules": rule, "model_cv": cv,
               "selected": {"C": c, "class_weight_power": power, "dense": list(parts), "meantime_weight": mt_w,
                            "margin": margin},
               "note": "corpus train + dev rows (candidates paired with gold events), grouped cross-validation; "
                       "MEANTIME train/dev articles outside the corpus as extra rows; the test split is not read"}
    (Path(a.out) / "metrics.json").write_text(json.dumps(metrics, indent=1, sort_keys=True), encoding="utf-8")
    print(f"wrote {a.out} in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
