"""The storyline event corpus: whole news articles from the public benchmarks, annotated exhaustively.

The repository holds only the annotations (``corpus/``): document keys, the corpus id each
text is rebuilt from, character offsets and short verbatim evidence strings. The texts stay
in the benchmark folders (``../shared/bench``) under their publishers' terms and are rebuilt
here, deterministically, from the corpus id:

* ``tbaq:<TimeBank|AQUAINT>/<file>.tml`` — the TimeML ``<TEXT>`` with tags stripped; the
  document creation time is the publication date.
* ``gwn:<file>`` — the ``<text>`` of ``<article file=...>`` in ``GWN.xml``; the day in the
  article's URL, when it has one, is the publication date.
* ``ecb:<topic>_<n>ecb[plus].xml`` — the ECB+ tokens joined as ``storyline eval link`` does;
  no publication date.
* ``meantime:<corpus>/<file>.xml`` — the MEANTIME tokens; the creation-time TIMEX3 when present.
* ``ngec:<sha1 prefix>`` — an NGEC synthetic story (MIT); no publication date.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import CorpusError
from ..events.lexicon import PLOVER_TYPES
from ..filters import MODALITIES

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class CorpusText:
    key: str
    corpus_id: str
    text: str
    published: dt.date | None


def split_for(group: str) -> str:
    """Frozen split of an article by its group (ECB+ topic, else the article): 60/15/25 by SHA-1."""
    b = hashlib.sha1(group.encode("utf-8")).digest()[0] * 100 // 256
    return "test" if b < 25 else "dev" if b < 40 else "train"


def group_of(corpus_id: str) -> str:
    """Articles that report the same seminal event (an ECB+ topic) share a split."""
    if corpus_id.startswith("ecb:"):
        return "ecb-topic-" + corpus_id[4:].split("_", 1)[0]
    return corpus_id


def key_for(corpus_id: str) -> str:
    kind, _, rest = corpus_id.partition(":")
    stem = re.sub(r"\.(tml|xml)$", "", rest.split("/")[-1])
    short = {"tbaq": "tb", "gwn": "gwn", "ecb": "ecb", "meantime": "mt", "ngec": "ngec"}[kind]
    if kind == "meantime":
        stem = stem.split("_", 1)[0]
    return f"{short}-{re.sub(r'[^A-Za-z0-9._-]', '_', stem)}"


@lru_cache(maxsize=4)
def _gwn(bench: str) -> dict[str, tuple[str, str]]:
    root = ET.parse(Path(bench) / "geo/gritta/GWN.xml").getroot()
    return {a.get("file"): (a.findtext("text") or "", a.findtext("link") or "") for a in root.iter("article")}


URL_DAY = re.compile(r"/(20\d\d|19\d\d)[/-](\d\d?)[/-](\d\d?)(?:/|\b)")


def url_day(url: str) -> dt.date | None:
    """The day in a GeoWebNews article's URL (how its publication date was frozen in docs.jsonl)."""
    from ..text.dates import safe_date

    m = URL_DAY.search(url or "")
    return safe_date(int(m[1]), int(m[2]), int(m[3])) if m else None


@lru_cache(maxsize=2)
def _ngec(bench: str) -> dict[str, str]:
    from .events import read_ngec

    path = Path(bench) / "events/ngec/setup/train_classifiers/gpt_synthetic_events_2023-10-19_19.csv.zip"
    return {hashlib.sha1(r["text"].encode("utf-8")).hexdigest()[:12]: r["text"] for r in read_ngec(str(path))}


def _tokens_text(path: Path) -> str:
    from .link import _document

    return _document(path, set())[0]


def _meantime_dct(path: Path) -> dt.date | None:
    root = ET.parse(path).getroot()
    for t in root.iter("TIMEX3"):
        if t.get("functionInDocument") == "CREATION_TIME" and (t.get("value") or "")[:10].count("-") == 2:
            try:
                return dt.date.fromisoformat(t.get("value")[:10])
            except ValueError:
                return None
    return None


def load_text(corpus_id: str, bench: str | Path) -> tuple[str, dt.date | None]:
    """(text, publication date or None) of one corpus id, rebuilt from the benchmark folder."""
    bench = str(bench)
    kind, _, rest = corpus_id.partition(":")
    try:
        if kind == "tbaq":
            from .timex import load_tml

            doc = load_tml(str(Path(bench) / "temporal/TBAQ-cleaned" / rest))
            return doc.text.strip("\n"), doc.dct
        if kind == "gwn":
            text, link = _gwn(bench)[rest]
            return text, url_day(link)
        if kind == "ecb":
            topic = rest.split("_", 1)[0]
            return _tokens_text(Path(bench) / "coref/ecbplus/ECB+" / topic / rest), None
        if kind == "meantime":
            path = Path(bench) / "coref/meantime/intra_cross-doc_annotation" / rest
            from .actors import _meantime_doc

            return _meantime_doc(path)[0], _meantime_dct(path)
        if kind == "ngec":
            return _ngec(bench)[rest], None
    except (KeyError, OSError, ET.ParseError) as e:
        raise CorpusError(f"{corpus_id}: {e}") from e
    raise CorpusError(f"{corpus_id}: unknown corpus kind {kind!r}")


def read_docs(path: str | Path) -> list[dict]:
    """The corpus document list (``corpus/docs.jsonl``): key, corpus_id, split, given_published."""
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def find_span(text: str, needle: str, near: int = 0) -> tuple[int, int] | None:
    """Offsets of ``needle`` in ``text``: the occurrence closest to ``near``, whitespace-tolerant."""
    if not needle:
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in needle.split()))
    hits = [(m.start(), m.end()) for m in pattern.finditer(text)]
    if not hits:
        return None
    return min(hits, key=lambda h: abs(h[0] - near))


TYPES = PLOVER_TYPES
AGENTS = ("GOV", "MIL", "POL", "JUD", "LEG", "OPP", "REB", "PTY", "MED", "BUS", "CVL", "IGO", "NGO", "CRM")
CODE = re.compile(r"^(?:[A-Z]{3}|[A-Z]{2,6})$")


def read_annotations(path: str | Path):
    """(line number, row) of an annotation file; a line that is not JSON yields an error row."""
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as e:
                yield n, {"key": None, "_error": f"not JSON: {e}"}


def _norm_ws(s: str) -> str:
    return re.sub(r"\s+", " ", s or "").strip()


def read_annotated(folder: Path, docs: dict) -> dict[str, dict]:
    """The annotation rows of ``folder/*.jsonl`` by document key (known keys only; a later
    file's row for a key replaces an earlier one)."""
    return {row["key"]: row for f in sorted(Path(folder).glob("*.jsonl"))
            for _, row in read_annotations(f) if row.get("key") in docs}


def validate_event(ev: dict, text: str) -> list[str]:
    """Problems of one annotated event against its article text (empty when valid)."""
    errs = []
    evidence = ev.get("evidence") or ""
    span = find_span(text, evidence)
    if span is None:
        errs.append(f"evidence not found verbatim: {evidence[:60]!r}")
    elif not 3 <= len(evidence.split()) <= 25:
        errs.append(f"evidence has {len(evidence.split())} words (guide: 4-20, accepted 3-25): {evidence[:60]!r}")
    trig = ev.get("trigger") or ""
    if not trig or _norm_ws(trig).lower() not in _norm_ws(evidence).lower():
        errs.append(f"trigger {trig!r} not inside evidence")
    types = ev.get("types") or []
    if not types or any(t not in TYPES for t in types):
        errs.append(f"bad types {types}")
    mods = ev.get("modality") or []
    if not mods or any(m not in MODALITIES for m in mods):
        errs.append(f"bad modality {mods}")
    for side in ("source", "target", "actors"):
        codes = ev.get(side)
        if codes is None:
            continue
        if not isinstance(codes, list) or any(not isinstance(c, str) or not CODE.match(c) for c in codes):
            errs.append(f"bad {side} codes {codes}")
    for side in ("source_agent", "target_agent"):
        if ev.get(side) not in (None, *AGENTS):
            errs.append(f"bad {side} {ev.get(side)!r}")
    for side in ("source_text", "target_text", "place_text", "date_text"):
        if ev.get(side) and find_span(text, ev[side]) is None:
            errs.append(f"{side} not found verbatim: {ev[side][:40]!r}")
    date = ev.get("date")
    if date is not None:
        try:
            a, b = (dt.date.fromisoformat(d) for d in date)
            if b < a:
                errs.append(f"date range reversed {date}")
        except (TypeError, ValueError):
            errs.append(f"bad date {date}")
    near = ev.get("near")
    if near is not None and not (isinstance(near, list) and len(near) == 3 and -90 <= near[0] <= 90
                                 and -180 <= near[1] <= 180 and near[2] > 0):
        errs.append(f"bad near {near}")
    q = ev.get("quantity")
    if q is not None and not isinstance(q, int):
        errs.append(f"quantity must be an integer: {q!r}")
    for other in ev.get("also") or []:
        if find_span(text, other) is None:
            errs.append(f"also-evidence not found verbatim: {other[:60]!r}")
    return errs


def validate_doc(row: dict, docs: dict, bench: str | Path) -> list[str]:
    if row.get("_error"):
        return [row["_error"]]
    key = row.get("key")
    if key not in docs:
        return [f"unknown key {key!r}"]
    text, _ = load_text(docs[key]["corpus_id"], bench)
    errs = []
    for i, ev in enumerate(row.get("events") or [], 1):
        errs.extend(f"event {i}: {e}" for e in validate_event(ev, text))
    return errs


GOLD_KEYS = ("types", "source", "target", "actors", "date", "near", "modality", "quantity")


def gold_event(ev: dict, key: str, n: int, text: str) -> dict:
    """One annotation as a docs-dev gold event (with offsets and the extra corpus fields)."""
    out = {"id": f"{key}-E{n}", "doc": key, "what": ev.get("what") or "", "evidence": ev["evidence"]}
    for k in GOLD_KEYS:
        if ev.get(k) not in (None, []):
            out[k] = ev[k]
    span = find_span(text, ev["evidence"])
    out["evidence_span"] = list(span) if span else None
    if span:
        inside = find_span(text[span[0]:span[1]], ev.get("trigger") or "")  # the trigger of this evidence
        t = (span[0] + inside[0], span[0] + inside[1]) if inside else None
        out["trigger_span"] = list(t) if t else None
    for side in ("source", "target", "place"):
        mention = ev.get(f"{side}_text")
        if mention:
            s = find_span(text, mention, span[0] if span else 0)
            out[f"{side}_span"] = list(s) if s else None
    for k in ("trigger", "mode", "source_text", "source_agent", "target_text", "target_agent", "attribution", "also"):
        if ev.get(k) not in (None, []):
            out[k] = ev[k]
    return out


def build_gold(docs: dict, annotated: dict, bench: str | Path, split: str | None) -> dict:
    """docs-dev style gold (inline texts) for the annotated articles of one split."""
    gold = {"about": f"storyline event corpus, split {split or 'all'}", "docs": {}, "events": []}
    for key, row in sorted(annotated.items()):
        doc = docs.get(key)
        if doc is None or (split and doc["split"] != split):
            continue
        text, _ = load_text(doc["corpus_id"], bench)
        gold["docs"][key] = {"source": doc["corpus_id"], "text": text, "split": doc["split"]}
        if doc.get("given_published"):
            gold["docs"][key]["given_published"] = doc["given_published"]
        for n, ev in enumerate(row.get("events") or [], 1):
            if not validate_event(ev, text):
                gold["events"].append(gold_event(ev, key, n, text))
    return gold


# ---------------------------------------------------------------- scoring (as score_docs_prf)

_WORDS = re.compile(r"\w+")


def norm(s: str | None) -> str:
    s = (s or "").replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", s).strip().lower()


def on(sentence: str, evidence: str) -> bool:
    """An emitted event's sentence holds a gold event's evidence (the independent checks' rule)."""
    s, e = norm(sentence), norm(evidence)
    if e and e in s:
        return True
    ew, sw = _WORDS.findall(e), set(_WORDS.findall(s))
    return bool(ew) and sum(w in sw for w in ew) / len(ew) >= 0.6


def _f1(p: float, r: float) -> float:
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def gold_by_doc(gold: dict) -> dict[str, list[dict]]:
    """The gold events of a docs-style gold file, by document key."""
    by_doc: dict[str, list[dict]] = {}
    for g in gold["events"]:
        by_doc.setdefault(g["doc"], []).append(g)
    return by_doc


def typed_golds(ev: dict, golds: list[dict]) -> list[dict]:
    """The gold events an emitted event type-matches: one of its types, evidence on its sentence."""
    t = (ev.get("type") or "").upper()
    return [g for g in golds if t in g["types"] and on(ev.get("sentence", ""), g["evidence"])]


def best_gold(ev: dict, typed: list[dict]) -> dict:
    """Of the type-matched gold events, the one the emitted event agrees with most (its pair)."""
    from .events import failures

    return min(typed, key=lambda g: len(failures(ev, g)))


def score_events(events_by_doc: dict[str, list[dict]], gold: dict) -> dict:
    """Type and full-field precision / recall on exhaustive gold, as ``score_docs_prf.py``
    computes them; plus per-field agreement of the type-matched pairs."""
    from .events import failures, matches

    by_doc = gold_by_doc(gold)
    n_e = type_tp = full_tp = 0
    type_hit, full_hit = set(), set()
    field_miss: dict[str, int] = {}
    pairs = 0
    for key in gold["docs"]:
        events = events_by_doc.get(key, [])
        n_e += len(events)
        for ev in events:
            typed = typed_golds(ev, by_doc.get(key, []))
            if typed:
                type_tp += 1
                type_hit.update(g["id"] for g in typed)
                pairs += 1
                for f in failures(ev, best_gold(ev, typed)):
                    field_miss[f] = field_miss.get(f, 0) + 1
            if any(matches(ev, g) for g in typed):
                full_tp += 1
        for g in by_doc.get(key, []):
            if any(matches(ev, g) for ev in events):
                full_hit.add(g["id"])
    n_g = len(gold["events"])
    tp_, tr_ = type_tp / max(1, n_e), len(type_hit) / max(1, n_g)
    fp_, fr_ = full_tp / max(1, n_e), len(full_hit) / max(1, n_g)
    return {"docs": len(gold["docs"]), "gold_events": n_g, "events_out": n_e,
            "type_precision": round(tp_, 4), "type_recall": round(tr_, 4), "type_f1": _f1(tp_, tr_),
            "full_precision": round(fp_, 4), "full_recall": round(fr_, 4), "full_f1": _f1(fp_, fr_),
            "field_agreement": {f: round(1 - n / max(1, pairs), 3) for f, n in sorted(field_miss.items())},
            "typed_pairs": pairs}


def run_pipeline(gold: dict, decider: str = "model", batch_size: int = 16,
                 modality_decider: str = "model") -> dict[str, list[dict]]:
    """The storyline events of every gold document, as EVENT dicts keyed by document key."""
    from dataclasses import asdict

    from ..models import Failure, RawDoc
    from ..pipeline import Options, process_docs

    raws = [RawDoc(id=key, source=f"{key}.txt", text=d["text"], id_given=True,
                   published=dt.date.fromisoformat(d["given_published"]) if d.get("given_published") else None)
            for key, d in gold["docs"].items()]
    out: dict[str, list[dict]] = {key: [] for key in gold["docs"]}
    opts = Options(batch_size=batch_size, events_decider=decider, modality_decider=modality_decider)
    for res in process_docs(raws, opts, dedup=False):
        if isinstance(res, Failure):
            continue
        out[res.doc_id] = [asdict(e) for e in res.events]
    return out


def split_gold(paths: list[str], split: str | None, limit: int | None, task: str = "corpus") -> dict:
    """The gold of one split (or all) from ``[CORPUS_DIR, BENCH_DIR]``, the first ``limit``
    articles only when given; a clear error for anything else."""
    if len(paths) != 2:
        raise CorpusError(f"eval {task} takes two paths: the corpus folder (corpus/) and the benchmark folder")
    folder, bench = Path(paths[0]), paths[1]
    if not (folder / "docs.jsonl").is_file():
        raise CorpusError(f"{folder}: no docs.jsonl (give the corpus folder of the repository, corpus/)")
    docs = {d["key"]: d for d in read_docs(folder / "docs.jsonl")}
    annotated = read_annotated(folder / "annotations", docs)
    gold = build_gold(docs, annotated, bench, None if split in (None, "all") else split)
    if limit:
        keep = sorted(gold["docs"])[:limit]
        gold["docs"] = {k: gold["docs"][k] for k in keep}
        gold["events"] = [e for e in gold["events"] if e["doc"] in gold["docs"]]
    return gold


def run(paths: list[str], split: str | None = "dev", limit: int | None = None, decider: str = "model",
        modality_decider: str = "model", **_options) -> dict:
    """``storyline eval corpus CORPUS_DIR BENCH_DIR --split dev|test``: the event corpus scored
    in process exactly as ``score_docs_prf.py`` scores exhaustively annotated articles."""
    gold = split_gold(paths, split, limit)
    m = score_events(run_pipeline(gold, decider=decider, modality_decider=modality_decider), gold)
    return {"task": "corpus", "split": split or "all", "decider": decider, **m, "headline": "full_f1"}


# ---------------------------------------------------------------- inter-annotator agreement


def _same_mention(a: dict, b: dict, text: str) -> bool:
    """Two annotations point at the same mention: overlapping evidence spans in the text."""
    sa, sb = find_span(text, a.get("evidence") or ""), find_span(text, b.get("evidence") or "")
    return bool(sa and sb and sa[0] < sb[1] and sb[0] < sa[1])


def _field_agrees(field: str, a: dict, b: dict) -> bool | None:
    """Whether two annotations of one event agree on a field (None: neither annotated it)."""
    if field == "type":
        return bool(set(a.get("types") or []) & set(b.get("types") or []))
    if field == "modality":
        return bool(set(a.get("modality") or []) & set(b.get("modality") or []))
    if field in ("source", "target"):
        ca = set(a.get(field) or a.get("actors") or [])
        cb = set(b.get(field) or b.get("actors") or [])
        return None if not ca and not cb else bool(ca & cb)
    if field == "date":
        da, db = a.get("date"), b.get("date")
        if not da and not db:
            return None
        return bool(da and db and da[0] <= db[1] and db[0] <= da[1])
    if field == "place":
        na, nb = a.get("near"), b.get("near")
        if not na and not nb:
            return None
        if not (na and nb):
            return False
        from .events import _km

        return _km(na[0], na[1], nb[0], nb[1]) <= max(na[2], nb[2])
    if field == "quantity":
        qa, qb = a.get("quantity"), b.get("quantity")
        return None if qa is None and qb is None else qa == qb
    raise ValueError(field)


AGREEMENT_FIELDS = ("type", "source", "target", "date", "place", "modality", "quantity")


def agreement(first: dict[str, dict], second: dict[str, dict], docs: dict, bench: str | Path) -> dict:
    """Event-level F1 between two annotators (an event of one is found by the other when their
    evidence overlaps; ``typed`` also needs a shared type) and per-field agreement on found pairs."""
    found = typed = n_a = n_b = 0
    fields = {f: [0, 0] for f in AGREEMENT_FIELDS}
    keys = sorted(set(first) & set(second))
    for key in keys:
        text, _ = load_text(docs[key]["corpus_id"], bench)
        a_events, b_events = first[key].get("events") or [], second[key].get("events") or []
        n_a, n_b = n_a + len(a_events), n_b + len(b_events)
        used: set[int] = set()
        for a in a_events:
            cands = [(j, b) for j, b in enumerate(b_events) if j not in used and _same_mention(a, b, text)]
            if not cands:
                continue
            j, b = max(cands, key=lambda jb: _field_agrees("type", a, jb[1]))
            used.add(j)
            found += 1
            typed += _field_agrees("type", a, b)
            for f in AGREEMENT_FIELDS:
                ok = _field_agrees(f, a, b)
                if ok is not None:
                    fields[f][0] += ok
                    fields[f][1] += 1
    p, r = found / max(1, n_b), found / max(1, n_a)
    tp, tr = typed / max(1, n_b), typed / max(1, n_a)
    return {"articles": len(keys), "events_first": n_a, "events_second": n_b,
            "event_f1": _f1(r, p), "typed_event_f1": _f1(tr, tp),
            "fields": {f: {"agree": round(ok / max(1, n), 3), "pairs": n} for f, (ok, n) in fields.items()}}
