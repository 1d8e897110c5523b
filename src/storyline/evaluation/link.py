"""``storyline eval link DIR``: cross-document linking (stories, event clusters) on ECB+.

ECB+ (``../shared/bench/coref/ecbplus``) groups news documents by topic, and each topic
by two seminal events: the ECB subtopic (``*ecb.xml``) and the ECB+ subtopic
(``*ecbplus.xml``) — two different earthquakes, two different ship hijackings. The
documents of the development topics (2, 5, 12, 18, 21, 23, 34, 35) are ingested into a
temporary store with the real pipeline and the real linking pass, then scored twice:

* stories: two documents tell the same story when they share topic and subtopic. A
  document's story is the story of most of its events. Pairwise precision / recall / F1
  over pairs of documents that have events, and B³ over those documents; ``coverage`` is
  the share of documents with at least one event (storyline codes political events only,
  so documents about award shows have none).
* event clusters: an event is mapped to the gold ACTION mention its trigger falls in (in
  the sentences ECB+ validated); for pairs of mapped events of different documents, gold
  says "same event" when both mentions are in one cross-document chain. Pairwise P / R / F1
  of storyline's ``event_cluster``.

ECB+ documents carry no publication date; storyline infers one from the text or leaves
events undated, which is the situation of many scraped pages, so no date is given.
"""
from __future__ import annotations

import csv
import json
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

DEV_TOPICS = (2, 5, 12, 18, 21, 23, 34, 35)
NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "n't", "'"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "``", '"'}


def _document(path: Path, validated: set[int]) -> tuple[str, dict[str, tuple[int, int]], dict[str, str]]:
    """The text, gold ACTION mention spans (m_id → char span) and m_id → chain id."""
    root = ET.parse(path).getroot()
    text, spans, last_sent = "", {}, None
    for tok in root.iter("token"):
        sent, word = int(tok.get("sentence")), tok.text or ""
        if last_sent is not None and sent != last_sent:
            text += "\n\n" if last_sent == 0 else " "
        elif text and word not in NO_SPACE_BEFORE and text[-1] not in "([{$\n" and not text.endswith("``"):
            text += " "
        start = len(text)
        text += word
        spans[tok.get("t_id")] = (start, len(text), sent)
        last_sent = sent
    mentions: dict[str, tuple[int, int]] = {}
    markables = root.find("Markables")
    for m in (markables if markables is not None else []):
        if not m.tag.startswith(("ACTION", "NEG_ACTION")):
            continue
        toks = [spans[a.get("t_id")] for a in m.findall("token_anchor") if a.get("t_id") in spans]
        if toks and toks[0][2] in validated:
            mentions[m.get("m_id")] = (min(t[0] for t in toks), max(t[1] for t in toks))
    chains: dict[str, str] = {}
    relations = root.find("Relations")
    for rel in (relations if relations is not None else []):
        if rel.tag == "CROSS_DOC_COREF":
            chain = rel.get("note") or f"x{rel.get('r_id')}"
        elif rel.tag == "INTRA_DOC_COREF":
            chain = f"{path.name}:{rel.get('r_id')}"
        else:
            continue
        for src in rel.findall("source"):
            chains.setdefault(src.get("m_id"), chain)
    return text, mentions, chains


def _validated(folder: Path) -> dict[str, set[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    index = folder / "ECBplus_coreference_sentences.csv"
    if index.exists():
        with open(index, newline="") as fh:
            for row in csv.DictReader(fh):
                out[f"{row['Topic']}_{row['File']}.xml"].add(int(row["Sentence Number"]))
    return out


def _pairwise(pred: dict, gold: dict, keys: list) -> dict:
    tp = fp = fn = 0
    for a, b in combinations(keys, 2):
        same_pred, same_gold = pred[a] == pred[b], gold[a] == gold[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "pairs_gold": tp + fn, "pairs_pred": tp + fp}


def _bcubed(pred: dict, gold: dict, keys: list) -> dict:
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for k in keys:
        by_pred[pred[k]].add(k)
        by_gold[gold[k]].add(k)
    p = sum(len(by_pred[pred[k]] & by_gold[gold[k]]) / len(by_pred[pred[k]]) for k in keys) / max(len(keys), 1)
    r = sum(len(by_pred[pred[k]] & by_gold[gold[k]]) / len(by_gold[gold[k]]) for k in keys) / max(len(keys), 1)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def run(paths: list[str], limit: int | None = None, topics: tuple[int, ...] = DEV_TOPICS, **_options) -> dict:
    """Ingest the ECB+ documents of ``topics`` and score stories and event clusters."""
    from ..ingest import ingest
    from ..store import connect, event_records

    folder = Path(paths[0])
    corpus = folder / "ECB+" if (folder / "ECB+").is_dir() else folder
    validated = _validated(folder if (folder / "ECBplus_coreference_sentences.csv").exists() else folder.parent)
    docs: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="storyline-eval-link-") as tmp:
        for topic in topics:
            files = sorted((corpus / str(topic)).glob("*.xml"))
            for f in files[:limit] if limit else files:
                text, mentions, chains = _document(f, validated.get(f.name, set()))
                doc_id = f.stem
                (Path(tmp) / f"{doc_id}.txt").write_text(text, encoding="utf-8")
                docs[doc_id] = {"gold_story": f"{topic}:{'ecbplus' if f.stem.endswith('ecbplus') else 'ecb'}",
                                "text": text, "mentions": mentions, "chains": chains}
        db = str(Path(tmp) / "eval.duckdb")
        summary = ingest([str(Path(tmp))], db=db)
        con = connect(db, read_only=True)
        events = event_records(con)
        stored = con.execute("SELECT doc_id, source, text FROM documents").fetchall()
        con.close()
    stem_of = {doc_id: Path(source or "").stem for doc_id, source, _ in stored}  # store id → file stem
    text_of_stem = {Path(source or "").stem: text for _, source, text in stored}
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for e in events:
        by_doc[stem_of.get(e["doc_id"], "")].append(e)
    # stories, document level
    with_events = sorted(d for d in docs if by_doc.get(d))
    story = {d: Counter(e["story_id"] for e in by_doc[d]).most_common(1)[0][0] for d in with_events}
    gold_story = {d: docs[d]["gold_story"] for d in with_events}
    # event clusters, mention level
    mapped: dict[str, str] = {}
    gold_chain: dict[str, str] = {}
    for d in with_events:
        info = docs[d]
        clean = text_of_stem.get(d) or ""
        shift = info["text"].find(clean[:200]) if clean else 0
        for e in by_doc[d]:
            trigger = (e.get("trigger") or "").strip()
            pos = e["sentence"].find(trigger) if trigger else -1
            if pos < 0:
                continue
            start = e["start"] + pos + max(shift, 0)
            for m_id, (ms, me) in info["mentions"].items():
                if ms <= start < me or start <= ms < start + len(trigger):
                    mapped[e["event_id"]] = e["event_cluster"]
                    gold_chain[e["event_id"]] = info["chains"].get(m_id, f"{d}:{m_id}")
                    break
    doc_of = {e["event_id"]: e["doc_id"] for e in events}
    ev_keys = sorted(mapped)
    cross = [(a, b) for a, b in combinations(ev_keys, 2) if doc_of[a] != doc_of[b]]
    tp = sum(mapped[a] == mapped[b] and gold_chain[a] == gold_chain[b] for a, b in cross)
    fp = sum(mapped[a] == mapped[b] and gold_chain[a] != gold_chain[b] for a, b in cross)
    fn = sum(mapped[a] != mapped[b] and gold_chain[a] == gold_chain[b] for a, b in cross)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    metrics = {
        "task": "link", "corpus": "ECB+", "topics": list(topics), "documents": len(docs),
        "documents_with_events": len(with_events), "coverage": round(len(with_events) / max(len(docs), 1), 3),
        "events": len(events), "stories": summary.stories, "clusters": summary.clusters,
        "stories_pairwise": _pairwise(story, gold_story, with_events),
        "stories_bcubed": _bcubed(story, gold_story, with_events),
        "gold_stories": len(set(gold_story.values())),
        "events_mapped_to_gold_mentions": len(mapped),
        "clusters_pairwise_cross_doc": {"precision": round(p, 3), "recall": round(r, 3),
                                        "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
                                        "pairs_gold": tp + fn, "pairs_pred": tp + fp},
    }
    print(json.dumps({k: v for k, v in metrics.items() if k.endswith("pairwise")}), file=sys.stderr)
    return metrics
