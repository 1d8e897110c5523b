"""Where the sides of events go wrong, by kind (train or dev of the event corpus; never test).

    python scripts/side_errors.py --split dev [--show KIND]

Runs the events stage (with the shipped models) on the cached parses of ``train_events.py``,
pairs every emitted event with the gold event of its type on its sentence (as ``storyline
eval actors``), and sorts each side whose country is wrong (or missing) into one kind:

- ``swapped``: the other side's country is this side's gold country;
- ``ranked lower``: the gold mention is a candidate with the gold country, another was chosen;
- ``actors: wrong country`` / ``actors: no country``: the gold mention is an actor mention of
  the sentence, but the actors stage gave it another country or none;
- ``no mention: <shape>``: the gold mention is in the sentence but no actor mention covers
  it (shape: pronoun, possessive, object of a preposition, subject, object, other);
- ``other sentence``: the gold mention is outside the event's sentence;
- ``implicit (no gold mention)``: the gold side has codes but names no mention (talks
  "between" two countries named elsewhere);
- ``gold side, no country``: the gold side names an actor without a country code (not
  scored; counted for the record);
- ``gold has none, we give one``: the gold event has no such side, the emitted one has a
  country (not scored by the country accuracy; it costs the full match).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_events import load_gold, parse  # noqa: E402

from storyline.evaluation.actors import score_pairs, span_hit  # noqa: E402
from storyline.evaluation.corpus import best_gold, find_span, gold_by_doc, typed_golds  # noqa: E402

PRONOUNS = {"he", "she", "his", "her", "him", "it", "its", "they", "their", "them", "we", "our", "i", "us",
            "who", "which", "that"}


def shape(doc, lo: int, hi: int) -> str:
    """The grammatical shape of a gold mention no actor covers."""
    span = doc.char_span(lo, hi, alignment_mode="expand")
    if span is None or not len(span):
        return "?"
    root = span.root
    if root.lower_ in PRONOUNS:
        return "pronoun"
    if root.dep_ == "poss" or any(c.dep_ == "case" for c in root.children):
        return "possessive"
    if root.dep_ == "pobj":
        return f"prep:{root.head.lower_}"
    if root.dep_ in ("nsubj", "nsubjpass", "dobj", "conj", "appos", "compound"):
        return root.dep_
    return "other"


def kind_of(ev: dict, g: dict, side: str, doc, actors) -> str | None:
    codes = g.get(side) or g.get("actors") or []
    arg = ev.get(side) or {}
    pred = arg.get("country")
    if not codes:
        if g.get(f"{side}_text"):
            return "gold side, no country"
        return "gold has none, we give one" if pred else None
    if pred in codes:
        return None
    other = ev.get("target" if side == "source" else "source") or {}
    other_codes = g.get("target" if side == "source" else "source") or []
    if pred and pred in other_codes and other.get("country") in codes:
        return "swapped"
    mentions = (ev.get("explain") or {}).get("mentions") or []
    text = g.get(f"{side}_text")
    if not text:
        return "implicit (no gold mention)"
    if any(m.get("country") in codes and span_hit(m, text)[0] for m in mentions):
        return "ranked lower"
    s0, s1 = ev["start"], ev["end"]
    at = find_span(doc.text[s0:s1], text)
    if at is None:
        return "other sentence"
    lo, hi = s0 + at[0], s0 + at[1]
    for a in actors:
        for m in a.mentions:
            if m.start < hi and lo < m.end:
                if not a.country:
                    return "actors: no country"
                return "actors: wrong country" if a.country not in codes else "actors: right, not a candidate"
    return f"no mention: {shape(doc, lo, hi)}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev", choices=("train", "dev"))
    ap.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench"))
    ap.add_argument("--cache", default=str(ROOT / "build" / "corpus"))
    ap.add_argument("--show", default=None, help="print the cases of this kind (prefix)")
    a = ap.parse_args()
    import storyline.events.decide as decide
    from dataclasses import asdict

    from storyline.events import extract_events

    decide._compact = lambda e: e  # keep the mentions the ranker chose from
    gold = load_gold(a.bench)
    pool = {"about": "train + dev", "docs": {**gold["train"]["docs"], **gold["dev"]["docs"]},
            "events": gold["train"]["events"] + gold["dev"]["events"]}
    split = gold[a.split]
    parsed = {k: (doc, r) for k, doc, r in parse(pool, Path(a.cache)) if k in split["docs"]}
    events = {}
    for key, (doc, r) in parsed.items():
        events[key] = [asdict(e) for e in extract_events(doc, key, r.published, r.timexes, r.places, list(r.actors))]
    m = score_pairs(events, split)
    print(f"{a.split}: source country {m['source_country']} ({m['source_sides']}), target country "
          f"{m['target_country']} ({m['target_sides']}), typed pairs {m['typed_pairs']}")
    by_doc = gold_by_doc(split)
    kinds: Counter = Counter()
    shown = []
    for key, evs in events.items():
        doc, r = parsed[key]
        for ev in evs:
            typed = typed_golds(ev, by_doc.get(key, []))
            if not typed:
                continue
            g = best_gold(ev, typed)
            for side in ("source", "target"):
                k = kind_of(ev, g, side, doc, r.actors)
                if k is None:
                    continue
                pred = (ev.get(side) or {}).get("country")
                kinds[(side, k, "none" if not pred else "other")] += 1
                if a.show and k.startswith(a.show):
                    shown.append((side, k, ev["sentence"][:200].replace("\n", " "), ev.get("trigger"), (ev.get(side) or {}).get("text"),
                                  pred, g.get(f"{side}_text"), g.get(side) or g.get("actors")))
    print(f"{'side':7} {'kind':32} {'pred none':>9} {'pred other':>10}")
    for side in ("source", "target"):
        names = sorted({k for s, k, _ in kinds if s == side}, key=lambda k: -(kinds[(side, k, 'none')] + kinds[(side, k, 'other')]))
        for k in names:
            print(f"{side:7} {k:32} {kinds[(side, k, 'none')]:9} {kinds[(side, k, 'other')]:10}")
    for row in shown:
        print(" | ".join(str(x) for x in row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
