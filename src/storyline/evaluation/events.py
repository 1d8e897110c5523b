"""``storyline eval events FILE...``: PLOVER/CAMEO event coding scores.

Two gold formats, chosen by file content:

* PETRARCH validation XML (``PETR2_GSR_validation.xml``: ``<Sentence>`` records with
  ``<EventCoding eventcode= sourcecode= targetcode=>`` and ``<Text>``). Each sentence is run
  through annotate → time → places → actors → events; predicted CAMEO root codes (derived
  from PLOVER type + mode) are compared with the gold root codes per sentence: micro
  precision/recall/F1 over (sentence, root) pairs, with ``noevents`` sentences counting
  against false positives; the same with source/target country (first three letters of the
  Phoenix actor code) required; and PLOVER-type agreement, gold codes mapped through
  CAMEO2PLOVER (CAMEO 01 public statements have no PLOVER type and are left out; 02
  appeals are REQUEST).
* A document gold file (docs-dev ``gold.json``): each gold event is found when some
  predicted event of its document satisfies every key present (the ``matches`` logic of
  ``../shared/tools/score_docs.py``); reports recall overall, by type and by modality, and
  events per document.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import math
import os
import re
from collections import Counter
from pathlib import Path

from . import in_split as _in_split

ROOT = Path(__file__).resolve().parents[3]
BENCH = Path(os.environ.get("STORYLINE_BENCH", ROOT.parent / "shared" / "bench"))
GOLD_DOCS = str(BENCH / "events" / "docs-dev" / "gold.json")
CAMEO2PLOVER = BENCH / "events" / "CAMEO2PLOVER-2021.txt"


# ---------------------------------------------------------------- running the stages


def analyse_text(text: str, published: dt.date | None, doc_id: str = "doc", doc=None) -> tuple[list[dict], dt.date | None]:
    """Events (as dicts) of one text, stages called directly; the publication date used.

    ``doc`` is the text's spaCy parse when the caller already has it (batched parsing)."""
    from ..actors import extract_actors
    from ..annotate import annotate_one
    from ..events import extract_events
    from ..models import to_dict
    from ..places import extract_places
    from ..time import extract_timexes, infer_published

    doc = annotate_one(text) if doc is None else doc
    if published is None:
        guess = infer_published(doc)
        published = guess[0] if guess else None
    timexes = extract_timexes(doc, published)
    places = extract_places(doc, None)
    actors = extract_actors(doc, places)
    events = extract_events(doc, doc_id, published, timexes, places, actors)
    return [to_dict(e) for e in events], published


def doc_events(gold: dict, keys: list[str] | None = None) -> dict[str, list[dict]]:
    """Predicted events per document key of a docs gold file."""
    out: dict[str, list[dict]] = {}
    for key, d in gold["docs"].items():
        if keys is not None and key not in keys:
            continue
        pub = dt.date.fromisoformat(d["given_published"]) if d.get("given_published") else None
        out[key], _ = analyse_text(d["text"], pub, key)
    return out


# ---------------------------------------------------------------- docs gold (score_docs.py logic)


def _day(s):
    try:
        return dt.date.fromisoformat(str(s)[:10])
    except (TypeError, ValueError):
        return None


def _interval(ev: dict):
    start = _day(ev.get("date"))
    if start is None:
        return None
    end = _day(ev.get("date_end")) or start
    prec = ev.get("date_precision")
    if prec == "month" and end == start:
        nxt = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        start, end = start.replace(day=1), nxt - dt.timedelta(days=1)
    elif prec == "year" and end == start:
        start, end = start.replace(month=1, day=1), start.replace(month=12, day=31)
    return start, end


def _km(a, b, c, d):
    p = math.pi / 180
    h = math.sin((c - a) * p / 2) ** 2 + math.cos(a * p) * math.cos(c * p) * math.sin((d - b) * p / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def _country(x) -> str:
    return ((x or {}).get("country") or "").upper()


def matches(ev: dict, g: dict) -> bool:
    """Does predicted event ``ev`` satisfy every key of gold event ``g`` (as score_docs.py)?"""
    t = (ev.get("type") or "").upper()
    mod = ev.get("modality")
    alt = g.get("or_type_asserted")
    if t not in g["types"]:
        return False
    if "modality" in g and mod not in g["modality"] and not (alt and t == alt and mod == "asserted"):
        return False
    src, tgt = _country(ev.get("source")), _country(ev.get("target"))
    if "source" in g and src not in g["source"]:
        return False
    if "target" in g and tgt not in g["target"]:
        return False
    if "actors" in g and not set(g["actors"]) <= {src, tgt}:
        return False
    if "date" in g:
        iv = _interval(ev)
        lo, hi = _day(g["date"][0]), _day(g["date"][1])
        if iv is None or iv[1] < lo or iv[0] > hi or (iv[1] - iv[0]).days > 62:
            return False
    if "near" in g:
        loc = ev.get("location") or {}
        try:
            if _km(float(loc["lat"]), float(loc["lon"]), g["near"][0], g["near"][1]) > g["near"][2]:
                return False
        except (KeyError, TypeError, ValueError):
            return False
    if "quantity" in g:
        vals = [q.get("value") for q in ev.get("quantities") or []]
        if g["quantity"] not in vals:
            return False
    return True


def failures(ev: dict, g: dict) -> list[str]:
    """Gold keys of ``g`` that predicted event ``ev`` fails (empty = match); for diagnostics."""
    out = []
    for key in ("types", "modality", "source", "target", "actors", "date", "near", "quantity"):
        if key not in g:
            continue
        sub = {"id": g.get("id"), "types": g["types"] if key != "types" else g["types"], key: g[key]}
        if key != "types":
            sub["types"] = [(ev.get("type") or "").upper()]
        if key == "modality" and g.get("or_type_asserted"):
            sub["or_type_asserted"] = g["or_type_asserted"]
        if not matches(ev, sub):
            out.append(key)
    return out


def score_docs(path: str, limit: int | None = None) -> dict:
    gold = json.load(open(path, encoding="utf-8"))
    keys = list(gold["docs"])[:limit] if limit else list(gold["docs"])
    preds = doc_events(gold, keys)
    found, by_type, by_mod = 0, Counter(), Counter()
    tot_type, tot_mod = Counter(), Counter()
    n = 0
    missed = []
    for g in gold["events"]:
        if g["doc"] not in preds:
            continue
        n += 1
        hit = any(matches(e, g) for e in preds[g["doc"]])
        found += hit
        t0, m0 = g["types"][0], (g.get("modality") or ["-"])[0]
        tot_type[t0] += 1
        tot_mod[m0] += 1
        by_type[t0] += hit
        by_mod[m0] += hit
        if not hit:
            missed.append(g["id"])
    # type-only recall: some predicted event of the doc has an accepted type
    type_only = sum(any((e.get("type") or "") in g["types"] for e in preds[g["doc"]])
                    for g in gold["events"] if g["doc"] in preds)
    n_ev = sum(len(v) for v in preds.values())
    return {
        "docs": len(keys), "gold_events": n, "found": found,
        "recall": round(found / max(1, n), 3),
        "type_recall": round(type_only / max(1, n), 3),
        "events_per_doc": round(n_ev / max(1, len(keys)), 2),
        "recall_by_type": {k: f"{by_type[k]}/{v}" for k, v in sorted(tot_type.items())},
        "recall_by_modality": {k: f"{by_mod[k]}/{v}" for k, v in sorted(tot_mod.items())},
        "missed": missed,
    }


# ---------------------------------------------------------------- PETRARCH validation XML


@functools.lru_cache(maxsize=1)
def cameo_to_plover() -> dict[str, str]:
    """CAMEO code -> PLOVER type from CAMEO2PLOVER-2021 (02 appeals -> REQUEST)."""
    table = {"02": "REQUEST"}
    if CAMEO2PLOVER.exists():
        for line in CAMEO2PLOVER.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^(\d{2,4}):\s*([A-Z]+)", line)
            if m:
                table[m[1]] = m[2]
    return table


def plover_of(code: str) -> str | None:
    table = cameo_to_plover()
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def read_petrarch(path: str) -> list[dict]:
    """Sentences with date, text and gold codings (root, source, target)."""
    raw = Path(path).read_text(encoding="utf-8", errors="replace")
    out = []
    for block in raw.split("<Sentence ")[1:]:
        head = block.split(">", 1)[0]
        date = re.search(r'date="(\d{8})"', head)
        sid = re.search(r'id="([^"]+)"', head)
        text = re.search(r"<Text>(.*?)</Text>", block, re.S)
        if text is None:
            continue
        codings = []
        for m in re.finditer(r"<EventCoding\s+([^>]*)/?>", block):
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', m[1]))
            if "eventcode" in attrs:
                codings.append((attrs["eventcode"], attrs.get("sourcecode", ""), attrs.get("targetcode", "")))
        d = date[1] if date else None
        out.append({
            "id": sid[1] if sid else str(len(out)),
            "published": dt.date(int(d[:4]), int(d[4:6]), int(d[6:])) if d else None,
            "text": " ".join(text[1].split()),
            "gold": codings,
        })
    return out


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def score_petrarch(path: str, limit: int | None = None) -> dict:
    sents = read_petrarch(path)[:limit] if limit else read_petrarch(path)
    tp = fp = fn = 0
    ftp = ffp = ffn = 0
    ptp = pfp = pfn = 0
    correct_sent = 0
    for s in sents:
        events, _ = analyse_text(s["text"], s["published"], s["id"])
        pred = Counter(e["cameo"] for e in events if e.get("cameo"))
        gold = Counter(c[:2] for c, _, _ in s["gold"])
        inter = pred & gold
        tp += sum(inter.values())
        fp += sum((pred - gold).values())
        fn += sum((gold - pred).values())
        if pred.keys() == gold.keys():
            correct_sent += 1
        pfull = Counter((e["cameo"], _country(e.get("source"))[:3], _country(e.get("target"))[:3]) for e in events)
        gfull = Counter((c[:2], src[:3], tgt[:3]) for c, src, tgt in s["gold"])
        i2 = pfull & gfull
        ftp += sum(i2.values())
        ffp += sum((pfull - gfull).values())
        ffn += sum((gfull - pfull).values())
        ptypes = Counter(e["type"] for e in events)
        gtypes = Counter(t for t in (plover_of(c) for c, _, _ in s["gold"]) if t)
        i3 = ptypes & gtypes
        ptp += sum(i3.values())
        pfp += sum((ptypes - gtypes).values())
        pfn += sum((gtypes - ptypes).values())
    return {
        "sentences": len(sents), "gold_codings": sum(len(s["gold"]) for s in sents),
        "cameo_root": _prf(tp, fp, fn),
        "cameo_root_sentence_accuracy": round(correct_sent / max(1, len(sents)), 3),
        "cameo_root_with_countries": _prf(ftp, ffp, ffn),
        "plover_type": _prf(ptp, pfp, pfn),
    }


# ---------------------------------------------------------------- NGEC synthetic stories


NGEC_MODES = {"PRIMATIVE": "primitive", "SIEZE": "seize"}  # the corpus' spellings


def in_split(key: str, split: str | None) -> bool:
    """The NGEC halves: parity of the *first* byte of SHA-1 of the story text (the lexicon
    rows induced from this corpus were read off the ``dev`` half of exactly this split)."""
    return _in_split(key, split, byte=0)


def read_ngec(path: str) -> list[dict]:
    """Stories of the NGEC synthetic corpus (``.csv`` or the ``.csv.zip`` it ships as)."""
    import csv
    import io
    import zipfile

    if path.endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            name = next(n for n in z.namelist() if n.endswith(".csv"))
            raw = z.read(name).decode("utf-8")
    else:
        raw = Path(path).read_text(encoding="utf-8")
    csv.field_size_limit(1 << 26)
    rows = []
    for r in csv.DictReader(io.StringIO(raw)):
        if r.get("text") and r.get("label"):
            mode = (r.get("mode") or "").strip().upper()
            rows.append({"text": r["text"], "label": r["label"].strip().upper(),
                         "mode": NGEC_MODES.get(mode, mode.lower()) or None})
    return rows


def score_ngec(path: str, limit: int | None = None, split: str | None = None) -> dict:
    """Story-level agreement with the NGEC pseudo-labels (one PLOVER type, maybe a mode, per story).

    The labels name the story's main event, so: ``label_recall`` = share of stories with some
    event of the label type; ``mode_recall`` = the same with the mode, over stories whose label
    has one; ``lead_accuracy`` = the first event of the story has the label type (news puts the
    main event first); ``label_share`` = share of all predicted events that have the story's
    label type (a rough precision: stories also report other, secondary events).
    """
    from ..annotate import annotate

    stories = [r for r in read_ngec(path) if in_split(r["text"], split)]
    if limit:
        stories = stories[:limit]
    hit = lead = mode_hit = mode_n = n_ev = n_label_ev = 0
    tot, got, lead_by = Counter(), Counter(), Counter()
    confusion: Counter = Counter()
    for story, doc in zip(stories, annotate(r["text"] for r in stories)):
        events, _ = analyse_text(story["text"], None, "story", doc=doc)
        types = [e.get("type") for e in events]
        lab = story["label"]
        ok = lab in types
        tot[lab] += 1
        got[lab] += ok
        hit += ok
        first = types[0] if types else None
        lead += first == lab
        lead_by[lab] += first == lab
        if first != lab:
            confusion[f"{lab}->{first}"] += 1
        if story["mode"]:
            mode_n += 1
            mode_hit += any(e.get("type") == lab and (e.get("mode") or "") == story["mode"] for e in events)
        n_ev += len(events)
        n_label_ev += sum(t == lab for t in types)
    n = max(1, len(stories))
    return {
        "stories": len(stories), "split": split or "all",
        "label_recall": round(hit / n, 3),
        "lead_accuracy": round(lead / n, 3),
        "mode_recall": round(mode_hit / max(1, mode_n), 3),
        "label_share": round(n_label_ev / max(1, n_ev), 3),
        "events_per_story": round(n_ev / n, 2),
        "label_recall_by_type": {k: round(got[k] / v, 2) for k, v in sorted(tot.items())},
        "lead_accuracy_by_type": {k: round(lead_by[k] / v, 2) for k, v in sorted(tot.items())},
        "top_lead_confusions": dict(confusion.most_common(12)),
    }


# ---------------------------------------------------------------- entry point


def run(paths: list[str], **options) -> dict:
    """Score each file (format by content); the last file's metrics are also top-level."""
    limit = options.get("limit")
    results: dict[str, dict] = {}
    for path in paths:
        if path.endswith((".csv", ".csv.zip")):
            results[path] = {"format": "ngec", **score_ngec(path, limit, options.get("split"))}
            continue
        head = Path(path).read_text(encoding="utf-8", errors="replace")[:4000]
        if "<Sentence" in head or "<Validation" in head or "<Sentences" in head:
            results[path] = {"format": "petrarch", **score_petrarch(path, limit)}
        else:
            results[path] = {"format": "docs", **score_docs(path, limit)}
    out: dict = {"task": "events", "files": results}
    if results:
        last = list(results.values())[-1]
        if last["format"] == "docs":
            out["headline"] = "events_recall"
            out["events_recall"] = last["recall"]
        elif last["format"] == "ngec":
            out["headline"] = "label_recall"
            out["label_recall"] = last["label_recall"]
        else:
            out["headline"] = "cameo_root_f1"
            out["cameo_root_f1"] = last["cameo_root"]["f1"]
    return out
