#!/usr/bin/env python3
"""Dev harness for the events stage on a document gold file (default: docs-dev).

Builds each document's events by calling the stage functions directly (annotate → time →
places → actors → events), with published = the gold's given_published or the time
stage's inferred date, then judges every gold event with the same ``matches`` logic as
``../shared/tools/score_docs.py``. Prints one line per gold event and a JSON summary;
``--verbose`` lists, for each missed gold event, the same-type predictions nearest to it
with the gold keys they fail.

    .venv/bin/python scripts/dev_events.py [--gold FILE] [--verbose] [--doc d05]
"""
from __future__ import annotations

import argparse
import collections
import json
import sys

from storyline.evaluation.events import GOLD_DOCS, doc_events, failures, matches


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=GOLD_DOCS)
    ap.add_argument("--doc", help="only this document key")
    ap.add_argument("--verbose", action="store_true", help="print near misses of missed gold events")
    ap.add_argument("--near", type=int, default=4, help="near misses shown per gold event")
    a = ap.parse_args()
    gold = json.load(open(a.gold))
    keys = [k for k in gold["docs"] if not a.doc or k == a.doc]
    preds = doc_events(gold, keys)
    ok = 0
    total = 0
    blame: collections.Counter = collections.Counter()
    for g in gold["events"]:
        if g["doc"] not in keys:
            continue
        total += 1
        hit = any(matches(e, g) for e in preds[g["doc"]])
        ok += hit
        print(f"{'ok  ' if hit else 'MISS'} {g['id']:8s} {'/'.join(g['types']):18s} {g['what'][:90]}")
        if hit:
            continue
        near = sorted(((failures(e, g), e) for e in preds[g["doc"]]), key=lambda x: len(x[0]))
        best = near[0][0] if near else ["types"]
        blame[",".join(best) if len(best) <= 2 else "3+"] += 1
        if a.verbose:
            gk = {k: g[k] for k in ("source", "target", "actors", "date", "near", "modality", "quantity") if k in g}
            print(f"       gold {gk}")
            for fails, e in near[: a.near]:
                s = (e.get("source") or {}).get("country")
                t = (e.get("target") or {}).get("country")
                loc = (e.get("location") or {}).get("name")
                print(f"       ~ {e['type']} {s}->{t} {e['date']}..{e.get('date_end')} {e['modality']} "
                      f"loc={loc} q={[q['value'] for q in e['quantities']]} trig={e.get('trigger')} FAIL={fails}")
    n_ev = sum(len(v) for v in preds.values())
    print("nearest-miss failing keys:", dict(blame.most_common()))
    print(json.dumps({"recall": round(ok / max(1, total), 3), "found": ok, "gold": total,
                      "events_per_doc": round(n_ev / max(1, len(keys)), 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
