"""Train the linking models on ECB+: which mentions are one event, which reports one story.

    make train            # runs this after the event model (scripts/train_events.py)

1. Rebuild the texts of the ECB+ training topics (1–35 minus the development topics of
   ``storyline.evaluation.link``) and of the development topics from their tokens, and run
   the real pipeline on them (``storyline ingest`` into a temporary store). Topics 36–45
   are reserved for independent checks and never read.
2. Event pairs: the candidate pairs linking proposes (``storyline.link.candidate_pairs``,
   nothing contradicting) whose two mentions both fall in gold ACTION mentions; a pair is
   positive when the two mentions are in one gold coreference chain. Fit a logistic
   regression on the training topics' pairs (``coref.FEATURES``).
3. Pick the average-linkage threshold that gives the best cross-document cluster pairwise
   F1 on the development topics among those with precision at least ``PRECISION_FLOOR``
   (a cluster is shown to a reader as one event: a wrong merge costs more than a split).
4. Report pairs: the pairs story detection proposes (``storyline.link.report_pairs``) over
   the clusters of step 3; positive when both reports are of one ECB+ topic and subtopic
   (one seminal event: the other subtopic is a look-alike of the same kind). Fit on the
   training topics; pick the average-linkage threshold with the best story pairwise F1 on
   the development topics.
5. Write ``src/storyline/data/link/pair_model.json``, ``story_model.json`` and
   ``metrics.json``. lbfgs logistic regression on the same stores gives the same files.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.coref import (FEATURES, MODEL_DIR, STORY_FEATURES, LinearModel, mention_vectors,  # noqa: E402
                             story_features)
from storyline.evaluation.link import (DEV_TOPICS, TRAIN_TOPICS, _pairwise, cross_doc_pairwise,  # noqa: E402
                                       gold_chains, write_topics)
from storyline.link import (_may_share_cluster, candidate_pairs, cluster_events, link_features,  # noqa: E402
                            report_pairs, reports, story_of_reports)

GRID_C = 1.0
PRECISION_FLOOR = 0.9  # a cluster is shown as one event: the pair threshold keeps dev precision at least this
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.2, 0.95, 0.05))


def load_split(bench: Path, topics: tuple[int, ...], cache: Path | None) -> dict:
    """LinkEvents, gold chain per mapped event, gold story per document, for ``topics``.

    With ``cache`` the ingested store is kept there (the pipeline is the slow part) and
    linking's view of it is read again on every run."""
    from storyline.ingest import document_leads, ingest, link_events
    from storyline.store import StoreWriter, connect, event_records

    with tempfile.TemporaryDirectory(prefix="storyline-train-link-") as tmp:
        folder = cache / f"ecbplus-{'-'.join(map(str, topics))}" if cache else Path(tmp)
        db = folder / "store.duckdb"
        folder.mkdir(parents=True, exist_ok=True)
        docs = write_topics(bench, topics, folder)
        if not db.exists():
            ingest([str(p) for p in sorted(folder.glob("*.txt"))], db=str(db))
        con = connect(str(db), read_only=True)
        records = event_records(con)
        stored = con.execute("SELECT doc_id, source, text FROM documents").fetchall()
        con.close()
        writer = StoreWriter(str(db))
        events, _ = link_events(writer)
        leads = document_leads(writer)
        writer.close()
    chain, _ = gold_chains(docs, records, stored)
    stem_of = {doc_id: Path(source or "").stem for doc_id, source, _ in stored}
    return {"events": events, "chain": chain, "leads": leads,
            "gold_story": {doc_id: docs[stem]["gold_story"] for doc_id, stem in stem_of.items() if stem in docs}}


def event_pairs(split: dict, vec: dict) -> tuple[np.ndarray, np.ndarray]:
    chain = split["chain"]
    by_type: dict[str, list] = {}
    for e in split["events"]:
        by_type.setdefault(e.type, []).append(e)
    rows, labels = [], []
    for t in sorted(by_type):
        for a, b in candidate_pairs(by_type[t]):
            if a.event_id in chain and b.event_id in chain and _may_share_cluster(a, b, strict=False):
                rows.append(link_features(a, b, vec))
                labels.append(chain[a.event_id] == chain[b.event_id])
    return np.vstack(rows), np.array(labels)


def fit(x: np.ndarray, y: np.ndarray, features: tuple[str, ...]) -> LinearModel:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    mean[0], scale[0] = 0.0, 1.0  # the bias column stays 1
    scale[scale < 1e-9] = 1.0
    clf = LogisticRegression(C=GRID_C, max_iter=5000, class_weight="balanced")
    clf.fit((x - mean) / scale, y)
    return LinearModel(features, clf.coef_[0], float(clf.intercept_[0]), mean, scale, 0.5)


def with_threshold(m: LinearModel, t: float) -> LinearModel:
    return LinearModel(m.features, m.weights, m.intercept, m.mean, m.scale, float(t))


def cluster_f1(split: dict, model: LinearModel) -> tuple[dict, dict]:
    clusters = cluster_events(split["events"], model)
    doc_of = {e.event_id: e.doc_id for e in split["events"]}
    return cross_doc_pairwise(clusters, split["chain"], doc_of), clusters


def story_pairs(split: dict, clusters: dict, vec: dict) -> tuple[np.ndarray, np.ndarray]:
    docs = reports(split["events"], clusters, vec, split["leads"])
    gold = split["gold_story"]
    rows, labels = [], []
    for a, b in report_pairs(docs):
        rows.append(story_features(docs[a], docs[b]))
        labels.append(gold[a] == gold[b])
    return np.vstack(rows), np.array(labels)


def story_f1(split: dict, clusters: dict, vec: dict, model: LinearModel) -> dict:
    docs = reports(split["events"], clusters, vec, split["leads"])
    story = story_of_reports(docs, model)
    keys = sorted(story)
    return {**_pairwise(story, split["gold_story"], keys), "stories": len(set(story.values())),
            "gold_stories": len({split["gold_story"][k] for k in keys})}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench" / "coref" / "ecbplus"))
    ap.add_argument("--cache", default=None, help="keep the ingested topics here between runs")
    args = ap.parse_args()
    cache = Path(args.cache) if args.cache else None
    train = load_split(Path(args.bench), TRAIN_TOPICS, cache)
    dev = load_split(Path(args.bench), DEV_TOPICS, cache)
    vec_train, vec_dev = mention_vectors(train["events"]), mention_vectors(dev["events"])

    x, y = event_pairs(train, vec_train)
    pm = fit(x, y, FEATURES)
    print(f"event pairs: {len(y)} train ({int(y.sum())} positive)", file=sys.stderr)
    best = None
    for t in THRESHOLDS:
        score, clusters = cluster_f1(dev, with_threshold(pm, t))
        print(f"  threshold {t:.2f}: dev cluster {score}", file=sys.stderr)
        rank = (score["precision"] >= PRECISION_FLOOR, score["f1"])
        if best is None or rank > best[3]:
            best = (score, t, clusters, rank)
    pair_dev, pm = best[0], with_threshold(pm, best[1])
    _, train_clusters = cluster_f1(train, pm)

    xs, ys = story_pairs(train, train_clusters, vec_train)
    sm = fit(xs, ys, STORY_FEATURES)
    print(f"report pairs: {len(ys)} train ({int(ys.sum())} positive)", file=sys.stderr)
    best_s = None
    for t in THRESHOLDS:
        score = story_f1(dev, best[2], vec_dev, with_threshold(sm, t))
        print(f"  threshold {t:.2f}: dev stories {score}", file=sys.stderr)
        if best_s is None or score["f1"] > best_s[0]["f1"]:
            best_s = (score, t)
    sm = with_threshold(sm, best_s[1])

    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    (MODEL_DIR / "pair_model.json").write_text(json.dumps(pm.to_json(), indent=1) + "\n", encoding="utf-8")
    (MODEL_DIR / "story_model.json").write_text(json.dumps(sm.to_json(), indent=1) + "\n", encoding="utf-8")
    metrics = {"train_topics": list(TRAIN_TOPICS), "dev_topics": list(DEV_TOPICS),
               "event_pairs_train": int(len(y)), "event_pairs_train_positive": int(y.sum()),
               "report_pairs_train": int(len(ys)), "report_pairs_train_positive": int(ys.sum()),
               "dev_clusters_cross_doc_mapped": pair_dev, "dev_stories_all_reports": best_s[0],
               "pair_threshold": pm.threshold, "story_threshold": sm.threshold}
    (MODEL_DIR / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(metrics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
