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

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class CorpusText:
    key: str
    corpus_id: str
    text: str
    published: dt.date | None


class CorpusError(Exception):
    """A corpus id whose text cannot be rebuilt from the benchmark folder."""


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
    m = URL_DAY.search(url or "")
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


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


TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
MODALITIES = ("asserted", "planned", "negated", "hypothetical", "reported")
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


def validate_event(ev: dict, text: str) -> list[str]:
    """Problems of one annotated event against its article text (empty when valid)."""
    errs = []
    evidence = ev.get("evidence") or ""
    span = find_span(text, evidence)
    if span is None:
        errs.append(f"evidence not found verbatim: {evidence[:60]!r}")
    elif not 3 <= len(evidence.split()) <= 25:
        errs.append(f"evidence has {len(evidence.split())} words (4-20): {evidence[:60]!r}")
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
        t = find_span(text, ev.get("trigger") or "", span[0])
        out["trigger_span"] = list(t) if t else None
    for side in ("source", "target", "place"):
        mention = ev.get(f"{side}_text")
        if mention:
            s = find_span(text, mention, span[0] if span else 0)
            out[f"{side}_span"] = list(s) if s else None
    for k in ("trigger", "mode", "source_agent", "target_agent", "attribution", "also"):
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
