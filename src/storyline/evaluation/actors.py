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

On the annotated event corpus (``storyline eval actors corpus/ ../shared/bench --split dev``,
the two folders as for ``storyline eval corpus``) the full pipeline runs on the articles of the
split and every emitted event is paired with the gold event it type-matches (as ``eval corpus``
pairs them: a gold type, the gold evidence on the event's sentence, the closest such gold
event). On those pairs, per side:

* ``span_precision`` / ``span_recall`` / ``span_f1`` — the predicted side's mention against the
  gold ``source_text`` / ``target_text``: a hit when one contains the other at word boundaries
  (a name or head noun inside the gold phrase, or the gold name inside a predicted phrase),
  determiners and possessives aside; the resolved name of a pronoun also counts.
  ``span_exact_f1`` asks for the same words;
* ``source_country`` / ``target_country`` — accuracy of the side's country where the gold event
  gives codes for that side (``actors`` codes count for both sides);
* ``igo_recall`` — gold sides whose codes name an international organisation (a code of the
  IGO table: UN, NATO, EU, AU, …; former states such as YUG are states) that get an IGO code of theirs;
  ``igo_precision`` — predicted IGO sides that are right.

The last stdout line of ``storyline eval actors`` is the JSON of these metrics
(headline ``country_recall`` for docs gold files, ``country_accuracy`` — the mean of source and
target accuracy — for the corpus).
"""
from __future__ import annotations

import json
import re
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


# ---------------------------------------------------------------- annotated event corpus

_DET = re.compile(r"^(?:the|a|an|his|her|its|their|our|this|that|these|those)\s+")
_POSS = re.compile(r"(?:'s|’s|')$")


def mention_words(text: str | None) -> str:
    """A side mention for comparison: lower case, quotes and punctuation at the ends gone,
    leading determiner and trailing possessive dropped."""
    from .corpus import norm

    s = norm(text).strip(" ,.;:\"'`()")
    s = _DET.sub("", s)
    return _POSS.sub("", s).strip()


def _inside(a: str, b: str) -> bool:
    return bool(a) and bool(b) and re.search(rf"(?<!\w){re.escape(a)}(?!\w)", b) is not None


def span_hit(arg: dict, gold_text: str) -> tuple[bool, bool]:
    """(nested match, exact match) of a predicted side against the gold side text."""
    g = mention_words(gold_text)
    forms = {mention_words(arg.get("text")), mention_words(arg.get("name"))} - {""}
    return (any(_inside(f, g) or _inside(g, f) for f in forms), g in forms)


def _is_igo(code: str) -> bool:
    """An organisation's code: one of the IGO table, or any code not shaped like an alpha-3
    state code. Former states the gold still codes (YUG, SUN, CSK) are states, not IGOs."""
    return _igo_code(code) or not (len(code) == 3 and code.isalpha() and code.isupper())


def _igo_code(code: str) -> bool:
    from ..countries import igo_entry

    return igo_entry(code) is not None


def score_pairs(events_by_doc: dict[str, list[dict]], gold: dict) -> dict:
    """Side metrics on the type-matched (emitted event, gold event) pairs of a corpus split."""
    from .corpus import best_gold, gold_by_doc, typed_golds

    by_doc = gold_by_doc(gold)
    c = {k: 0 for k in ("pairs", "pred", "gold", "hit", "exact", "src_n", "src_ok", "tgt_n", "tgt_ok",
                        "igo_n", "igo_ok", "igo_pred", "igo_pred_ok")}
    misses: dict[str, int] = {}
    for key in gold["docs"]:
        for ev in events_by_doc.get(key, []):
            typed = typed_golds(ev, by_doc.get(key, []))
            if not typed:
                continue
            g = best_gold(ev, typed)
            c["pairs"] += 1
            for side, short in (("source", "src"), ("target", "tgt")):
                arg = ev.get(side) or {}
                has_pred = bool((arg.get("text") or "").strip())
                gold_text = g.get(f"{side}_text")
                c["pred"] += has_pred
                c["gold"] += bool(gold_text)
                if has_pred and gold_text:
                    nested, exact = span_hit(arg, gold_text)
                    c["hit"] += nested
                    c["exact"] += exact
                codes = g.get(side) or g.get("actors") or []
                pred = _c(arg)
                if codes:
                    c[f"{short}_n"] += 1
                    c[f"{short}_ok"] += pred in codes
                    if pred not in codes:
                        label = f"{side}:{'igo' if any(map(_is_igo, codes)) else 'state'}:" \
                                f"{'none' if not pred else 'igo' if _is_igo(pred) else 'other'}"
                        misses[label] = misses.get(label, 0) + 1
                igos = [x for x in codes if _is_igo(x)]
                if igos:
                    c["igo_n"] += 1
                    c["igo_ok"] += pred in igos
                if pred and _is_igo(pred):
                    c["igo_pred"] += 1
                    c["igo_pred_ok"] += pred in codes
    p, r = c["hit"] / max(1, c["pred"]), c["hit"] / max(1, c["gold"])
    pe, re_ = c["exact"] / max(1, c["pred"]), c["exact"] / max(1, c["gold"])
    src, tgt = c["src_ok"] / max(1, c["src_n"]), c["tgt_ok"] / max(1, c["tgt_n"])
    return {"typed_pairs": c["pairs"], "pred_sides": c["pred"], "gold_sides": c["gold"],
            "span_precision": round(p, 4), "span_recall": round(r, 4),
            "span_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "span_exact_f1": round(2 * pe * re_ / (pe + re_), 4) if pe + re_ else 0.0,
            "source_country": round(src, 4), "source_sides": c["src_n"],
            "target_country": round(tgt, 4), "target_sides": c["tgt_n"],
            "country_accuracy": round((src + tgt) / 2, 4),
            "igo_recall": round(c["igo_ok"] / max(1, c["igo_n"]), 4), "igo_sides": c["igo_n"],
            "igo_precision": round(c["igo_pred_ok"] / max(1, c["igo_pred"]), 4), "igo_predicted": c["igo_pred"],
            "country_misses": dict(sorted(misses.items(), key=lambda kv: -kv[1]))}


def score_corpus(folder: str, bench: str, split: str | None = "dev", limit: int | None = None) -> dict:
    """The event corpus' split through the whole pipeline, sides scored on type-matched pairs."""
    from .corpus import run_pipeline, split_gold

    gold = split_gold([folder, bench], split, limit, task="actors")
    return score_pairs(run_pipeline(gold), gold)


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
    """docs gold files (JSON) → argument countries; a MEANTIME folder → pronoun resolution;
    the corpus folder and the benchmark folder → sides on the corpus split (``--split``)."""
    paths = paths or [GOLD_DOCS]
    if len(paths) == 2 and (Path(paths[0]) / "docs.jsonl").is_file():
        split = options.get("split") or "dev"
        m = score_corpus(paths[0], paths[1], split, options.get("limit"))
        return {"task": "actors", "format": "corpus", "split": split, **m, "headline": "country_accuracy"}
    if options.get("split"):
        from ..errors import CorpusError

        raise CorpusError("eval actors --split applies to the event corpus (give corpus/ and the benchmark folder)")
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
