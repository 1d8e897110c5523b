"""Trigger candidates for the event lexicon, induced from the NGEC synthetic stories.

Why: the lexicon (``src/storyline/data/events/triggers.tsv``) is written by hand; this
lists, per PLOVER type, the verb and noun lemmas of the lead sentences of stories labelled
with that type that the coder *missed*, ranked by how specific they are to that label
(lift over the other labels). A person reviews the list and adds general rows by hand;
nothing is added automatically. Only the ``dev`` half of the corpus is read (see
``storyline.evaluation.events.in_split``), so ``storyline eval events --split test`` stays a
fair check.

    .venv/bin/python scripts/lexicon_candidates.py [NGEC_CSV_OR_ZIP] [--top 20] [--limit N]
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

from storyline.annotate import annotate
from storyline.evaluation.events import BENCH, analyse_text, in_split, read_ngec

NGEC = BENCH / "events" / "ngec" / "setup" / "train_classifiers" / "gpt_synthetic_events_2023-10-19_19.csv.zip"
LEXICON = Path(__file__).resolve().parents[1] / "src" / "storyline" / "data" / "events" / "triggers.tsv"


def known() -> set[tuple[str, str, str]]:
    """(pos, lemma, type) rows already in the lexicon."""
    rows = set()
    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            f = line.split("\t")
            if len(f) >= 4:
                rows.add((f[0], f[1], f[3]))
    return rows


def lead_lemmas(doc, n_sents: int = 2) -> set[tuple[str, str]]:
    out = set()
    for i, sent in enumerate(doc.sents):
        if i >= n_sents:
            break
        for t in sent:
            if t.pos_ == "VERB" and t.lemma_.isalpha():
                out.add(("V", t.lemma_.lower()))
            elif t.pos_ == "NOUN" and t.lemma_.isalpha() and t.dep_ in ("nsubj", "dobj", "pobj", "nsubjpass", "ROOT"):
                out.add(("N", t.lemma_.lower()))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default=str(NGEC))
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--limit", type=int)
    a = ap.parse_args()
    stories = [r for r in read_ngec(a.path) if in_split(r["text"], "dev")][: a.limit]
    by_label: dict[str, Counter] = defaultdict(Counter)
    missed: dict[str, Counter] = defaultdict(Counter)
    n_label: Counter = Counter()
    n_missed: Counter = Counter()
    for story, doc in zip(stories, annotate(r["text"] for r in stories)):
        lab = story["label"]
        lem = lead_lemmas(doc)
        n_label[lab] += 1
        by_label[lab].update(lem)
        events, _ = analyse_text(story["text"], None, "story", doc=doc)
        if lab not in {e.get("type") for e in events}:
            n_missed[lab] += 1
            missed[lab].update(lem)
    have = known()
    total = sum(n_label.values())
    for lab in sorted(n_label):
        if not n_missed[lab]:
            continue
        print(f"\n## {lab}: missed {n_missed[lab]}/{n_label[lab]}")
        scored = []
        for (pos, lemma), c in missed[lab].items():
            if c < 3 or (pos, lemma, lab) in have:
                continue
            inside = by_label[lab][(pos, lemma)] / n_label[lab]
            outside = (sum(by_label[o][(pos, lemma)] for o in by_label if o != lab) + 1) / (total - n_label[lab])
            scored.append((inside / outside, c, pos, lemma))
        for lift, c, pos, lemma in sorted(scored, reverse=True)[: a.top]:
            print(f"  {pos} {lemma:18s} missed-stories {c:3d}  lift {lift:5.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
