#!/usr/bin/env python3
"""Dev harness for the events stage on a document gold file (default: docs-dev).

Builds each document's events by calling the stage functions directly (annotate → time →
places → actors → events), with published = the gold's given_published or the time
stage's inferred date, then judges every gold event with the same ``matches`` logic as
``../shared/tools/score_docs.py``. Prints one line per gold event and a JSON summary.

    .venv/bin/python scripts/dev_events.py [--gold FILE] [--verbose] [--doc d05]
"""
from __future__ import annotations

import argparse
import json
import sys

from storyline.evaluation.events import GOLD_DOCS, doc_events, matches


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=GOLD_DOCS)
    ap.add_argument("--doc", help="only this document key")
    ap.add_argument("--verbose", action="store_true", help="print the predicted events of missed docs")
    a = ap.parse_args()
    gold = json.load(open(a.gold))
    keys = [k for k in gold["docs"] if not a.doc or k == a.doc]
    preds = doc_events(gold, keys)
    ok = 0
    total = 0
    for g in gold["events"]:
        if g["doc"] not in keys:
            continue
        total += 1
        hit = any(matches(e, g) for e in preds[g["doc"]])
        ok += hit
        print(f"{'ok  ' if hit else 'MISS'} {g['id']:8s} {'/'.join(g['types']):18s} {g['what'][:90]}")
        if not hit and a.verbose:
            for e in preds[g["doc"]]:
                if e["type"] in g["types"]:
                    s = (e.get("source") or {}).get("country")
                    t = (e.get("target") or {}).get("country")
                    loc = (e.get("location") or {}).get("name")
                    print(f"       ~ {e['type']} {s}->{t} {e['date']}..{e.get('date_end')} {e['modality']} "
                          f"loc={loc} q={[q['value'] for q in e['quantities']]} trig={e.get('trigger')}")
    n_ev = sum(len(v) for v in preds.values())
    print(json.dumps({"recall": round(ok / max(1, total), 3), "found": ok, "gold": total,
                      "events_per_doc": round(n_ev / max(1, len(keys)), 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
