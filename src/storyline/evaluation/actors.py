"""``storyline eval actors [GOLD.json ...]``: how well event arguments carry the right countries.

On a document-level gold file (docs-dev ``gold.json`` format, see
``../shared/bench/events/docs-dev/README.md``) every document goes through annotate → time →
places → actors → events (as ``storyline eval events`` does). For each gold event, the
*candidates* are the predicted events of its document with an accepted type. Reported:

* ``type_recall`` — gold events with at least one candidate;
* ``source_recall`` / ``target_recall`` — gold events with a ``source`` (``target``) key that have a
  candidate whose source (target) country is accepted; symmetric gold (``actors``) counts for both
  when all its codes appear on one candidate;
* ``country_recall`` — gold events with a candidate satisfying every country key at once
  (the ceiling that countries put on the full match of ``score_docs.py``);
* ``country_given_type`` — country_recall / type_recall;
* ``pronoun_args`` — predicted arguments whose text is a bare pronoun, and how many of them carry
  an actor (a resolved name) — pronouns that leak unresolved show up here;
* ``args_with_country`` — share of predicted source/target arguments with a country.

The last stdout line of ``storyline eval actors`` is the JSON of these metrics
(headline ``country_recall``).
"""
from __future__ import annotations

import json
from pathlib import Path

from .events import GOLD_DOCS, doc_events

PRONOUNS = {"he", "she", "it", "they", "his", "her", "its", "their", "him", "them", "i", "we", "our", "us",
            "my", "me"}


def _c(arg) -> str:
    return ((arg or {}).get("country") or "").upper()


def _side_ok(ev: dict, g: dict, side: str) -> bool:
    return _c(ev.get(side)) in g[side]


def _countries_ok(ev: dict, g: dict) -> bool:
    if "source" in g and not _side_ok(ev, g, "source"):
        return False
    if "target" in g and not _side_ok(ev, g, "target"):
        return False
    if "actors" in g and not set(g["actors"]) <= {_c(ev.get("source")), _c(ev.get("target"))}:
        return False
    return True


def score_file(path: str, limit: int | None = None) -> dict:
    gold = json.loads(Path(path).read_text(encoding="utf-8"))
    keys = list(gold["docs"])[:limit] if limit else list(gold["docs"])
    preds = doc_events(gold, keys)
    n = typed = both = 0
    src_n = src_ok = tgt_n = tgt_ok = 0
    misses: list[dict] = []
    for g in gold["events"]:
        if g["doc"] not in keys:
            continue
        n += 1
        cands = [e for e in preds[g["doc"]] if (e.get("type") or "").upper() in g["types"]]
        typed += bool(cands)
        sym = "actors" in g
        if "source" in g or sym:
            src_n += 1
            src_ok += any(_side_ok(e, g, "source") if not sym else _countries_ok(e, g) for e in cands)
        if "target" in g or sym:
            tgt_n += 1
            tgt_ok += any(_side_ok(e, g, "target") if not sym else _countries_ok(e, g) for e in cands)
        ok = any(_countries_ok(e, g) for e in cands)
        both += ok
        if cands and not ok:
            misses.append({"id": g["id"], "gold": {k: g[k] for k in ("source", "target", "actors") if k in g},
                           "predicted": sorted({f"{_c(e.get('source')) or '-'}->{_c(e.get('target')) or '-'}"
                                                for e in cands})[:6]})
    args = [e.get(side) for evs in preds.values() for e in evs for side in ("source", "target")]
    args = [a for a in args if a and (a.get("text") or "").strip()]
    pron = [a for a in args if a["text"].strip().lower() in PRONOUNS]
    return {
        "gold_events": n,
        "type_recall": round(typed / max(1, n), 3),
        "source_recall": round(src_ok / max(1, src_n), 3),
        "target_recall": round(tgt_ok / max(1, tgt_n), 3),
        "country_recall": round(both / max(1, n), 3),
        "country_given_type": round(both / max(1, typed), 3),
        "args_with_country": round(sum(bool(a.get("country")) for a in args) / max(1, len(args)), 3),
        "pronoun_args": len(pron),
        "pronoun_args_resolved": sum(bool(a.get("name")) for a in pron),
        "country_misses": misses,
    }


def run(paths: list[str], **options) -> dict:
    paths = paths or [GOLD_DOCS]
    results = {p: score_file(p, options.get("limit")) for p in paths}
    last = list(results.values())[-1]
    out = {"task": "actors", "files": results, "headline": "country_recall",
           "country_recall": last["country_recall"]}
    return out
