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

from .events import BENCH, GOLD_DOCS, doc_events

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


# ---------------------------------------------------------------- MEANTIME pronouns


def _meantime_doc(path: Path) -> tuple[str, dict[str, tuple[int, int, str]], dict[str, str], dict[str, str]]:
    """(text, mention id → (start, end, syntactic type), mention id → entity id, entity id → type)."""
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    parts: list[str] = []
    offs: dict[str, tuple[int, int]] = {}
    pos, last_sent = 0, None
    for tok in root.iter("token"):
        sent = tok.get("sentence")
        if last_sent is not None:
            sep = "\n\n" if last_sent == "0" and sent != "0" else " "
            parts.append(sep)
            pos += len(sep)
        word = tok.text or ""
        offs[tok.get("t_id")] = (pos, pos + len(word))
        parts.append(word)
        pos += len(word)
        last_sent = sent
    mentions: dict[str, tuple[int, int, str]] = {}
    entity_type: dict[str, str] = {}
    markables = root.find("Markables")
    for m in markables if markables is not None else []:
        if m.tag == "ENTITY_MENTION":
            ids = [a.get("t_id") for a in m.findall("token_anchor") if a.get("t_id") in offs]
            if ids:
                mentions[m.get("m_id")] = (min(offs[i][0] for i in ids), max(offs[i][1] for i in ids),
                                           m.get("syntactic_type") or "")
        elif m.tag == "ENTITY":
            entity_type[m.get("m_id")] = m.get("ent_type") or ""
    refers: dict[str, str] = {}
    relations = root.find("Relations")
    for r in relations if relations is not None else []:
        if r.tag == "REFERS_TO":
            t = r.find("target")
            if t is not None:
                for src in r.findall("source"):
                    refers[src.get("m_id")] = t.get("m_id")
    return "".join(parts), mentions, refers, entity_type


def score_meantime(folder: str, limit: int | None = None) -> dict:
    """Pronoun resolution on MEANTIME's intra-document entity coreference (PER/ORG entities).

    A gold pronoun counts when its entity has a named or nominal mention before it; it is
    correct when the actor the pronoun was attached to has a (non-pronoun) mention overlapping
    one of those antecedent mentions.
    """
    from ..annotate import annotate_one
    from ..places import extract_places
    from ..actors import extract_actors

    files = sorted(Path(folder).rglob("*.xml"))[:limit] if limit else sorted(Path(folder).rglob("*.xml"))
    total = attempted = correct = 0
    for f in files:
        text, mentions, refers, etype = _meantime_doc(f)
        gold: list[tuple[int, int, list[tuple[int, int]]]] = []
        for mid, (a, b, typ) in mentions.items():
            ent = refers.get(mid)
            if typ != "PRO" or ent is None or etype.get(ent) not in ("PER", "ORG"):
                continue
            ante = [(x, y) for m2, (x, y, t2) in mentions.items()
                    if refers.get(m2) == ent and t2 in ("NAM", "NOM", "APP", "CONJ") and y <= a]
            if ante:
                gold.append((a, b, ante))
        if not gold:
            continue
        doc = annotate_one(text)
        acts = extract_actors(doc, extract_places(doc, None))
        for a, b, ante in gold:
            total += 1
            owner = next((x for x in acts for m in x.mentions if m.start == a and m.end == b), None)
            if owner is None:
                continue
            attempted += 1
            own = [(m.start, m.end) for m in owner.mentions if not (m.start == a and m.end == b)
                   and m.text.lower() not in PRONOUNS]
            correct += any(x < y2 and x2 < y for x, y in own for x2, y2 in ante)
    return {"pronouns": total, "resolved": attempted, "correct": correct,
            "precision": round(correct / max(1, attempted), 3), "recall": round(correct / max(1, total), 3)}


def run(paths: list[str], **options) -> dict:
    """docs gold files (JSON) → argument countries; a MEANTIME folder → pronoun resolution."""
    paths = paths or [GOLD_DOCS]
    results = {}
    for p in paths:
        if Path(p).is_dir():
            results[p] = {"format": "meantime", **score_meantime(p, options.get("limit"))}
        else:
            results[p] = {"format": "docs", **score_file(p, options.get("limit"))}
    out: dict = {"task": "actors", "files": results}
    docs = [r for r in results.values() if r["format"] == "docs"]
    if docs:
        out["headline"], out["country_recall"] = "country_recall", docs[-1]["country_recall"]
    mt = [r for r in results.values() if r["format"] == "meantime"]
    if mt:
        out["pronoun_precision"], out["pronoun_recall"] = mt[-1]["precision"], mt[-1]["recall"]
        out.setdefault("headline", "pronoun_recall")
    return out
