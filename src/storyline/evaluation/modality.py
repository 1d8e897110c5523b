"""``storyline eval modality``: modality and attribution on the annotated event corpus.

Why its own scorer: the corpus scorer (``eval corpus``) folds modality into a full match, so a
wrong modality and a wrong date look alike. Here each gold event is paired with the emitted
event the corpus matcher pairs it with (same document, a shared type, the emitted sentence
holds the gold evidence or one of its ``also`` mentions; a candidate whose trigger overlaps the
gold trigger is preferred), and only modality and attribution are judged.

* **Multi-label gold.** ``modality`` lists the readings the annotator accepts, best first. A
  prediction among them is right, and counts for the class it names; a prediction outside
  them is wrong and its gold class is the first one listed.
* **matched**: over gold events that have a partner — the classifier's own quality.
* **end_to_end**: a gold event with no partner counts as a miss of its (first) class, and an
  emitted event that pairs with no gold event counts as a wrong prediction of its class —
  the user's view, where a missed event and a spurious one are errors too (spurious: an
  emitted event on a sentence that holds no gold event's evidence).
* **Attribution**: over matched gold events that name a speaker, the share whose emitted
  speaker is the same (they share a content word, or the emitted mention text equals the
  gold one, e.g. a pronoun); over matched non-asserted gold events with no speaker, the
  share given one (``invented``). The annotation guide asks for the speaker of claims,
  plans and denials only, so an asserted gold event's missing speaker is not a "none": a
  speaker given to it ("the ministry said troops shelled …", asserted and attributed by
  design) is counted as ``speaker_on_asserted``. Both are also given for the non-asserted
  gold events alone, where the speaker of a plan, denial or allegation is what an analyst
  filters on.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..filters import MODALITIES
from .corpus import on, run_pipeline, split_gold

STOP = {"the", "a", "an", "of", "'s", "s", "his", "her", "its", "their", "and", "in", "at", "for", "to", "on",
        "said", "says", "told", "according"}
_WORD = re.compile(r"[\w'-]+")


def content_words(s: str | None) -> set[str]:
    return {w for w in _WORD.findall((s or "").lower().replace("\u2019", "'")) if w not in STOP}


def same_speaker(pred: str | None, mention: str | None, gold: str | None) -> bool:
    """The emitted speaker (name, or its mention text) names the gold speaker."""
    if not gold or not (pred or mention):
        return False
    g = content_words(gold)
    if mention and content_words(mention) == g and g:
        return True
    return bool(g & (content_words(pred) | content_words(mention)))


def _mentions(g: dict) -> list[str]:
    return [g["evidence"], *(g.get("also") or [])]


def pair(events: list[dict], g: dict) -> dict | None:
    """The emitted event the corpus matcher pairs with gold event ``g`` (trigger overlap first)."""
    typed = [e for e in events if (e.get("type") or "").upper() in g["types"]
             and any(on(e.get("sentence", ""), m) for m in _mentions(g))]
    if not typed:
        return None
    span = g.get("trigger_span")

    def overlap(e: dict) -> bool:
        ex = e.get("explain") or {}
        return bool(span) and ex.get("trigger_start", -1) < span[1] and span[0] < ex.get("trigger_end", -1)
    return max(typed, key=lambda e: (overlap(e), -abs((e.get("start") or 0) - ((g.get("evidence_span") or [0])[0]))))


def gold_class(pred: str | None, gold: list[str]) -> str:
    return pred if pred in gold else gold[0]


def prf(pairs: list[tuple[str, str | None]], extra_pred: list[str] = ()) -> dict:
    """Per-class precision / recall / F1 and macro-F1 (over the classes the gold has) from
    (gold, predicted) pairs; ``extra_pred`` are predictions with no gold partner (wrong)."""
    out, f1s = {}, []
    present = [c for c in MODALITIES if any(g == c for g, _ in pairs)]
    for c in MODALITIES:
        tp = sum(1 for g, p in pairs if g == c and p == c)
        n_pred = sum(1 for _, p in pairs if p == c) + sum(1 for p in extra_pred if p == c)
        n_gold = sum(1 for g, _ in pairs if g == c)
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        if c in present:
            f1s.append(f)
        out[c] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "gold": n_gold,
                  "predicted": n_pred}
    right = sum(1 for g, p in pairs if g == p)
    return {"per_class": out, "macro_f1": round(sum(f1s) / max(1, len(f1s)), 4),
            "accuracy": round(right / max(1, len(pairs)), 4), "n": len(pairs)}


def _asserted(g: dict) -> bool:
    return (g.get("modality") or ["asserted"])[0] == "asserted"


def _attribution(rows: list[tuple[dict, dict]]) -> dict:
    """Speaker accuracy over gold events naming one; ``invented`` over gold claims, plans,
    denials and possibilities with no speaker. The guide (docs/ANNOTATION.md) asks for the
    speaker of those only: an asserted event's null speaker is "not asked", not "none", so a
    speaker the pipeline gives ordinary "X said Y did" news is counted apart
    (``speaker_on_asserted``), not as invented."""
    attributed = [(g, e) for g, e in rows if g.get("attribution")]
    unattributed = [(g, e) for g, e in rows if not g.get("attribution") and not _asserted(g)]
    asserted = [(g, e) for g, e in rows if not g.get("attribution") and _asserted(g)]
    right = sum(same_speaker(e.get("attribution"), (e.get("explain") or {}).get("attribution_text"), g["attribution"])
                for g, e in attributed)
    invented = sum(bool(e.get("attribution")) for _, e in unattributed)
    on_asserted = sum(bool(e.get("attribution")) for _, e in asserted)
    return {"accuracy": round(right / max(1, len(attributed)), 4), "attributed": len(attributed), "right": right,
            "invented": round(invented / max(1, len(unattributed)), 4), "unattributed": len(unattributed),
            "invented_n": invented, "speaker_on_asserted": round(on_asserted / max(1, len(asserted)), 4),
            "asserted_unattributed": len(asserted)}


def score(events_by_doc: dict[str, list[dict]], gold: dict) -> dict:
    """Modality and attribution scores of emitted events against corpus gold (see module doc)."""
    by_doc: dict[str, list[dict]] = {}
    for g in gold["events"]:
        by_doc.setdefault(g["doc"], []).append(g)
    matched: list[tuple[str, str]] = []
    e2e: list[tuple[str, str | None]] = []
    rows: list[tuple[dict, dict]] = []
    spurious: list[str] = []
    for key in gold["docs"]:
        events = events_by_doc.get(key, [])
        used: set[int] = set()
        for g in by_doc.get(key, []):
            mods = g.get("modality") or ["asserted"]
            e = pair(events, g)
            if e is None:
                e2e.append((mods[0], None))
                continue
            used.add(id(e))
            c = gold_class(e.get("modality"), mods)
            matched.append((c, e.get("modality")))
            e2e.append((c, e.get("modality")))
            rows.append((g, e))
        spurious += [e.get("modality") for e in events if id(e) not in used
                     and not any(on(e.get("sentence", ""), m) for g in by_doc.get(key, []) for m in _mentions(g))]
    non_asserted = [(g, e) for g, e in rows if not _asserted(g)]
    return {"gold_events": len(gold["events"]), "matched": prf(matched), "end_to_end": prf(e2e, spurious),
            "spurious_events": len(spurious),
            "attribution": _attribution(rows), "attribution_non_asserted": _attribution(non_asserted)}


def run(paths: list[str], split: str | None = "dev", limit: int | None = None, decider: str = "model",
        modality_decider: str = "model", **_options) -> dict:
    """``storyline eval modality CORPUS_DIR BENCH_DIR --split train|dev|test``, or with the
    MEANTIME folder alone (``../shared/bench/coref/meantime``) the MEANTIME-derived check."""
    if len(paths) == 1 and (Path(paths[0]) / MEANTIME_DIR).is_dir():
        return run_meantime(paths[0], limit, modality_decider)
    gold = split_gold(paths, split, limit, "modality")
    events = run_pipeline(gold, decider=decider, modality_decider=modality_decider)
    m = score(events, gold)
    return {"task": "modality", "split": split or "all", "decider": decider, "modality_decider": modality_decider,
            **m, "headline": "end_to_end.macro_f1"}


# ---------------------------------------------------------------- MEANTIME-derived check

MEANTIME_DIR = "intra_cross-doc_annotation"


def meantime_class(attrs: dict[str, str]) -> str | None:
    """One of the five classes for a MEANTIME event mention, or None when it maps to none.

    MEANTIME (NewsReader guidelines, NWR-2014-2-2) gives each event mention a ``polarity``
    (POS/NEG/UNDERSPECIFIED), a ``certainty`` (CERTAIN/PROBABLE/POSSIBLE/UNDERSPECIFIED), a
    ``time`` relative to the document (NON_FUTURE/FUTURE/UNDERSPECIFIED) and ``special_cases``
    (GEN generic, COND_IF_CLAUSE / COND_MAIN_CLAUSE conditionals). It marks no source, so
    ``reported`` has no counterpart. Generic and underspecified mentions are left out.
    """
    pol, cert = attrs.get("polarity", ""), attrs.get("certainty", "")
    time, special = attrs.get("time", ""), attrs.get("special_cases", "")
    if special == "GEN" or "" in (pol, cert, time) or "UNDERSPECIFIED" in (pol, cert):
        return None
    if pol == "NEG":
        return "negated"
    if special.startswith("COND") or cert == "POSSIBLE":
        return "hypothetical"
    if time == "FUTURE":
        return "planned"  # CERTAIN or PROBABLE future: announced, scheduled, expected
    if time == "NON_FUTURE" and cert == "CERTAIN":
        return "asserted"
    return None


def meantime_article(path: Path, text: str) -> list[tuple[int, int, str]]:
    """(start, end, class) of the mapped event mentions of one MEANTIME article, as character
    offsets into ``text`` (the article rebuilt by ``corpus.load_text``)."""
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    offs: dict[str, tuple[int, int]] = {}
    pos = 0
    for tok in root.iter("token"):
        word = tok.text or ""
        at = text.find(word, pos)
        if at < 0:
            continue
        offs[tok.get("t_id")] = (at, at + len(word))
        pos = at + len(word)
    out = []
    markables = root.find("Markables")
    for m in markables if markables is not None else []:
        if m.tag != "EVENT_MENTION":
            continue
        cls = meantime_class(m.attrib)
        ids = [a.get("t_id") for a in m.findall("token_anchor") if a.get("t_id") in offs]
        if cls and ids:
            out.append((min(offs[i][0] for i in ids), max(offs[i][1] for i in ids), cls))
    return out


def meantime_gold(meantime: str | Path, splits: tuple[str, ...]) -> dict:
    """The English MEANTIME articles whose frozen corpus split (``corpus.split_for``, the same
    hash the event corpus uses, so its 12 MEANTIME articles fall on the same side) is in
    ``splits``, with their mapped event mentions: ``{"docs": {key: {...}}, "events": [...]}``."""
    from .corpus import _meantime_dct, group_of, key_for, load_text, split_for

    root = Path(meantime)
    gold: dict = {"about": f"MEANTIME, splits {'+'.join(splits)}", "docs": {}, "events": []}
    bench = root.parents[1]
    for path in sorted((root / MEANTIME_DIR).glob("*/*.xml")):
        corpus_id = f"meantime:{path.parent.name}/{path.name}"
        split = split_for(group_of(corpus_id))
        if split not in splits:
            continue
        key = key_for(corpus_id)
        text, _ = load_text(corpus_id, bench)
        dct = _meantime_dct(path)
        gold["docs"][key] = {"source": corpus_id, "text": text, "split": split,
                             **({"given_published": dct.isoformat()} if dct else {})}
        for n, (s, e, cls) in enumerate(meantime_article(path, text), 1):
            gold["events"].append({"id": f"{key}-M{n}", "doc": key, "span": [s, e], "modality": [cls]})
    return gold


def token_event(tok, published: str | None = None, date: str | None = None, how: str | None = None,
                type_: str | None = None) -> dict:
    """An event-like record for the trigger token ``tok`` (a spaCy token) with the evidence the
    events stage records (``explain.modality_cues``), for annotated triggers that the rule coder
    proposes no candidate for (MEANTIME's economic events, missed corpus events). The date is
    the annotated one; the rules' answer gets the stage's "dated after / before publication" steps."""
    from ..events.modality import cue_features, evidence, modality, past_dated_plan

    rule, _ = modality(tok, None)
    cues = cue_features(tok, None)
    if rule == "asserted" and date and published and how not in (None, "none") and date > published:
        rule = "planned"
    elif rule == "planned" and how not in (None, "none") and past_dated_plan(cues, date, published):
        rule = "asserted"
        cues["past_dated_plan"] = 1.0
    sent = tok.sent
    return {"sentence": sent.text, "start": sent.start_char, "trigger": tok.text, "modality": rule,
            "explain": {"trigger_start": tok.idx, "trigger_end": tok.idx + len(tok.text), "modality_rule": rule,
                        "modality_cues": evidence(cues, rule, date, published, how, type_)}}


def token_events(gold: dict) -> list[tuple[dict, dict]]:
    """(gold event, token event) for every gold event with a character span (``span``, else
    ``trigger_span``), the documents parsed by the annotate stage."""
    from ..annotate import annotate

    by_doc: dict[str, list[dict]] = {}
    for g in gold["events"]:
        by_doc.setdefault(g["doc"], []).append(g)
    keys = sorted(k for k in gold["docs"] if by_doc.get(k))
    out = []
    for key, doc in zip(keys, annotate(gold["docs"][k]["text"] for k in keys)):
        published = gold["docs"][key].get("given_published")
        for g in by_doc[key]:
            span = g.get("span") or g.get("trigger_span")
            cs = doc.char_span(span[0], span[1], alignment_mode="expand") if span else None
            if cs is None or not len(cs):
                continue
            date = (g.get("date") or [None])[0]
            out.append((g, token_event(cs.root, published, date, "dependency" if date else "none",
                                       (g.get("types") or [None])[0])))
    return out


def run_meantime(meantime: str, limit: int | None = None, modality_decider: str = "model") -> dict:
    """The MEANTIME-derived check: every mapped event mention of the held-out (test-split)
    MEANTIME articles, classified from its trigger token's cues as the events stage would
    (mentions, not candidates: most MEANTIME events are economic, which the coder skips)."""
    from ..events.modality_model import default_modality_model

    gold = meantime_gold(meantime, ("test",))
    if limit:
        keep = sorted(gold["docs"])[:limit]
        gold["docs"] = {k: gold["docs"][k] for k in keep}
        gold["events"] = [e for e in gold["events"] if e["doc"] in gold["docs"]]
    pairs = token_events(gold)
    model = default_modality_model() if modality_decider == "model" else None
    labels = model.predict([e for _, e in pairs]) if model is not None else [e["modality"] for _, e in pairs]
    m = prf([(g["modality"][0], lab) for (g, _), lab in zip(pairs, labels)])
    return {"task": "modality", "check": "meantime", "split": "test", "modality_decider": modality_decider,
            "articles": len(gold["docs"]), "mapped_mentions": len(gold["events"]), **m, "headline": "macro_f1"}
