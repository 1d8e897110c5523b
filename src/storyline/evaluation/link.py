"""``storyline eval link DIR``: cross-document linking (stories, event clusters) on ECB+.

ECB+ (``../shared/bench/coref/ecbplus``) groups news documents by topic, and each topic
by two seminal events: the ECB subtopic (``*ecb.xml``) and the ECB+ subtopic
(``*ecbplus.xml``) — two different earthquakes, two different ship hijackings. The
documents of the development topics (2, 5, 12, 18, 21, 23, 34, 35; ``--split dev``, the
default) or of the training topics (the other topics of 1–35; ``--split train``, what
``scripts/train_link.py`` fits the linking models on) are ingested into a temporary store
with the real pipeline and the real linking pass, then scored twice. Topics 36–45 are
reserved for independent checks and refused.

* stories: two documents tell the same story when they share topic and subtopic. A
  document's story is the story of most of its events. Pairwise precision / recall / F1
  over pairs of documents that have events, and B³ over those documents; ``coverage`` is
  the share of documents with at least one event (storyline codes political events only,
  so documents about award shows have none).
* event clusters: an event is mapped to the gold ACTION mention its trigger falls in (in
  the sentences ECB+ validated); for pairs of mapped events of different documents, gold
  says "same event" when both mentions are in one cross-document chain. Pairwise P / R / F1
  of storyline's ``event_cluster``.

A folder with a ``gold.json`` (``tests/fixtures/stories``: made-up dated political reports
with look-alikes) is scored on stories only.

ECB+ documents carry no publication date; storyline infers one from the text or leaves
events undated, which is the situation of many scraped pages, so no date is given.
"""
from __future__ import annotations

import csv
import json
import re
import sys
import tempfile
import textwrap
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from ..errors import CorpusError

DEV_TOPICS = (2, 5, 12, 18, 21, 23, 34, 35)
# dev topics whose seminal events are political or legal (storyline's domain): pirates taken by a
# navy, two murder charges, a surgeon-general nomination, a DUI arrest; the others are an awards
# host, a coach fired and hired, a climber's death
POLITICAL_DEV_TOPICS = (12, 18, 21, 34, 35)
RESERVED_TOPICS = tuple(range(36, 46))  # independent checks only: never read, trained or tuned on
TRAIN_TOPICS = tuple(t for t in range(1, 36) if t not in DEV_TOPICS)  # 15 and 17 are absent from the corpus
NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "n't", "'"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "``", '"'}


def _document(path: Path, validated: set[int]) -> tuple[str, dict[str, tuple[int, int]], dict[str, str]]:
    """The text, gold ACTION mention spans (m_id → char span) and m_id → chain id."""
    text, mentions, chains, _ = _read_document(path, validated)
    return text, mentions, chains


# How the texts are rebuilt from ECB+'s tokens (``--form``): the same reports in other
# typography, so that how much the figures move with the text's form is measured.
# tokens: the tokens as given, PTB quotes (``, '') included, one space between words;
# spaced: straight quotes and contractions set apart by spaces ("do n't", " said ");
# typeset: curly quotes attached to the words they enclose, contractions joined;
# wrapped: typeset, with a hard line break every 60-odd characters inside a paragraph.
TEXT_FORMS = ("tokens", "spaced", "typeset", "wrapped")
_OPENING, _CLOSING = {"``", "“"}, {"''", "”"}  # double quotes (a lone ’ is mostly an apostrophe)


def _form_word(word: str, form: str, open_quote: bool) -> tuple[str, str]:
    """(the token as written in ``form``, its role: "open", "close" or "" for a word)."""
    quote = word in _OPENING | _CLOSING or word == '"'
    if not quote or form == "tokens":
        return word, ("open" if word in _OPENING else "close" if word in _CLOSING else "")
    role = "open" if word in _OPENING or (word == '"' and not open_quote) else "close"
    if form == "spaced":
        return '"', role
    return ("“" if role == "open" else "”"), role


def _separator(text: str, word: str, role: str, prev_role: str, form: str) -> str:
    """What goes between the text so far and the next token inside a sentence."""
    if form == "spaced":
        return " " if text[-1] not in "([{$\n" and word not in NO_SPACE_BEFORE - {"'s", "n't"} else ""
    if word in NO_SPACE_BEFORE or text[-1] in "([{$\n" or text.endswith("``"):
        return ""
    if form != "tokens" and (role == "close" or prev_role == "open"):
        return ""
    if form == "wrapped" and len(text) - (text.rfind("\n") + 1) >= 60:
        return "\n"
    return " "


def _read_document(path: Path, validated: set[int], form: str = "tokens") -> tuple[str, dict, dict, list[tuple[int, int]]]:
    """``_document`` and the character spans of the validated sentences, the text in ``form``."""
    if form not in TEXT_FORMS:
        raise CorpusError(f"text form {form!r}: not one of {', '.join(TEXT_FORMS)}")
    root = ET.parse(path).getroot()
    text, spans, last_sent, role, open_quote = "", {}, None, "", False
    for tok in root.iter("token"):
        sent = int(tok.get("sentence"))
        word, new_role = _form_word(tok.text or "", form, open_quote)
        if last_sent is not None and sent != last_sent:
            text += "\n\n" if last_sent == 0 else _separator(text, "", "", "", form) or " "
        elif text:
            text += _separator(text, word, new_role, role, form)
        role = new_role
        open_quote = role == "open" or (open_quote and role != "close")
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
    sentences: dict[int, list[int]] = {}
    for start, end, sent in spans.values():
        if sent in validated:
            lo_hi = sentences.setdefault(sent, [start, end])
            lo_hi[0], lo_hi[1] = min(lo_hi[0], start), max(lo_hi[1], end)
    return text, mentions, chains, sorted((a, b) for a, b in sentences.values())


def _validated(folder: Path) -> dict[str, set[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    index = folder / "ECBplus_coreference_sentences.csv"
    if index.exists():
        with open(index, newline="") as fh:
            for row in csv.DictReader(fh):
                out[f"{row['Topic']}_{row['File']}.xml"].add(int(row["Sentence Number"]))
    return out


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "pairs_gold": tp + fn, "pairs_pred": tp + fp}


def _pairwise(pred: dict, gold: dict, keys: list) -> dict:
    tp = fp = fn = 0
    for a, b in combinations(keys, 2):
        same_pred, same_gold = pred[a] == pred[b], gold[a] == gold[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return _prf(tp, fp, fn)


def cross_doc_pairwise(cluster_of: dict[str, str], chain: dict[str, str], doc_of: dict[str, str]) -> dict:
    """Pairwise P/R/F1 of event clusters over the pairs of gold-mapped mentions of different documents."""
    keys = sorted(chain)
    tp = fp = fn = 0
    for a, b in combinations(keys, 2):
        if doc_of[a] == doc_of[b]:
            continue
        same_pred, same_gold = cluster_of[a] == cluster_of[b], chain[a] == chain[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return _prf(tp, fp, fn)


def _bcubed(pred: dict, gold: dict, keys: list) -> dict:
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for k in keys:
        by_pred[pred[k]].add(k)
        by_gold[gold[k]].add(k)
    p = sum(len(by_pred[pred[k]] & by_gold[gold[k]]) / len(by_pred[pred[k]]) for k in keys) / max(len(keys), 1)
    r = sum(len(by_pred[pred[k]] & by_gold[gold[k]]) / len(by_gold[gold[k]]) for k in keys) / max(len(keys), 1)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def _resolve(folder: Path) -> tuple[Path, dict[str, set[int]]]:
    """The folder of topic folders and the validated sentences of each file."""
    corpus = folder / "ECB+" if (folder / "ECB+").is_dir() else folder
    return corpus, _validated(folder if (folder / "ECBplus_coreference_sentences.csv").exists() else folder.parent)


def topics_of(split: str | None) -> tuple[int, ...]:
    """The ECB+ topics of a split: ``dev`` (default) or ``train``; 36–45 are never used."""
    if split in (None, "dev"):
        return DEV_TOPICS
    if split == "train":
        return TRAIN_TOPICS
    raise CorpusError(f"ECB+ link evaluation has the splits train and dev, not {split!r}")


def write_topics(folder: Path, topics: tuple[int, ...], out: Path, limit: int | None = None,
                 form: str = "tokens") -> dict[str, dict]:
    """Rebuild the texts of ``topics`` from their tokens into ``out`` (one ``.txt`` per document,
    in the text form ``form``, ``TEXT_FORMS``); returns doc stem → gold story, text, gold
    mentions and chains."""
    if set(topics) & set(RESERVED_TOPICS):
        raise CorpusError(f"ECB+ topics {sorted(set(topics) & set(RESERVED_TOPICS))} are reserved for independent checks")
    corpus, validated = _resolve(folder)
    if not corpus.is_dir():
        raise CorpusError(f"{folder}: no ECB+ topic folders here")
    docs: dict[str, dict] = {}
    for topic in topics:
        files = sorted((corpus / str(topic)).glob("*.xml"))
        for f in files[:limit] if limit else files:
            text, mentions, chains, sentences = _read_document(f, validated.get(f.name, set()), form)
            (out / f"{f.stem}.txt").write_text(text, encoding="utf-8")
            docs[f.stem] = {"gold_story": f"{topic}:{'ecbplus' if f.stem.endswith('ecbplus') else 'ecb'}",
                            "text": text, "mentions": mentions, "chains": chains, "sentences": sentences}
    return docs


def gold_chains(docs: dict[str, dict], events: list[dict], stored: list[tuple]) -> tuple[dict[str, str], dict[str, list[dict]]]:
    """event_id → gold chain of the ACTION mention its trigger falls in (events outside the
    validated sentences are left out), and file stem → its stored events."""
    mention_of, by_doc = gold_mentions(docs, events, stored)
    chain = {}
    for eid, key in mention_of.items():
        if key is not None:
            stem, m_id = key.split(".xml_")
            chain[eid] = docs[stem]["chains"].get(m_id, f"{stem}:{m_id}")
    return chain, by_doc


def gold_mentions(docs: dict[str, dict], events: list[dict], stored: list[tuple]
                  ) -> tuple[dict[str, str | None], dict[str, list[dict]]]:
    """event_id → the CoNLL id (``<file>.xml_<m_id>``) of the gold ACTION mention its trigger
    falls in, or None for an event of a validated sentence that no gold mention covers
    (events outside the validated sentences are left out: ECB+ annotated only those);
    and file stem → its stored events."""
    stem_of = {doc_id: Path(source or "").stem for doc_id, source, _ in stored}  # store id → file stem
    text_of_stem = {Path(source or "").stem: text for _, source, text in stored}
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for e in events:
        by_doc[stem_of.get(e["doc_id"], "")].append(e)
    out: dict[str, str | None] = {}
    for d, info in docs.items():
        clean = text_of_stem.get(d) or ""
        shift = info["text"].find(clean[:200]) if clean else 0
        for e in sorted(by_doc.get(d, []), key=lambda e: e["event_id"]):
            trigger = (e.get("trigger") or "").strip()
            pos = e["sentence"].find(trigger) if trigger else -1
            if pos < 0:
                continue
            start = e["start"] + pos + max(shift, 0)
            hit = next((m_id for m_id, (ms, me) in info["mentions"].items()
                        if ms <= start < me or start <= ms < start + len(trigger)), None)
            if hit is not None:
                out[e["event_id"]] = f"{d}.xml_{hit}"
            elif any(a <= start < b for a, b in info.get("sentences", ())):
                out[e["event_id"]] = None
    return out, by_doc


def _topic(mention: str) -> int:
    return int(mention.split("_", 1)[0])


def _lemma_baseline(docs: dict[str, dict], key: dict[str, str]) -> dict[str, str]:
    """mention → its head lemma (spaCy's lemma of the mention's syntactic root): the published
    same-lemma baseline puts mentions of one topic with the same lemma in one cluster."""
    from ..annotate import load_nlp

    nlp = load_nlp()
    out = {}
    for stem, info in sorted(docs.items()):
        doc = nlp(info["text"])
        for m_id, (ms, me) in info["mentions"].items():
            mention = f"{stem}.xml_{m_id}"
            if mention in key:
                span = doc.char_span(ms, me, alignment_mode="expand")
                lemma = span.root.lemma_.lower() if span is not None and len(span) else info["text"][ms:me].lower()
                out[mention] = lemma
    return out


def conll_key(folder: Path, docs: dict[str, dict], split: str | None) -> dict[str, str]:
    """The CoNLL key of the split: the shipped ``evt_gold_dev.keyfile`` for dev; otherwise
    built the same way from the documents (gold ACTION mentions of the validated sentences,
    a mention in no chain a singleton)."""
    from .conll import read_key

    keyfile = (folder if (folder / "ECB+").is_dir() else folder.parent) / "evt_gold_dev.keyfile"
    if split in (None, "dev") and keyfile.exists():
        return read_key(keyfile)
    return {f"{stem}.xml_{m_id}": info["chains"].get(m_id, f"{stem}:{m_id}")
            for stem, info in docs.items() for m_id in info["mentions"]}


def conll_scores(docs: dict[str, dict], events: list[dict], stored: list[tuple], key: dict[str, str],
                 baseline: dict[str, str] | None = None) -> dict:
    """CoNLL F1 of storyline's event clusters against the key, in three settings and three
    topic groups (all dev topics, the political/legal ones, the rest):

    * ``gold_mentions``: every key mention, in the cluster of the storyline event mapped to it
      (a mention storyline codes no event for is a singleton) — the published setting;
    * ``gold_mentions_political_filter``: only the key mentions storyline codes as a political
      event (what the linker is answerable for), key restricted alike;
    * ``system_mentions``: storyline's events of the validated sentences, a mapped event under
      its gold mention's id, any other as a mention of its own.

    ``baseline`` (mention → head lemma) gives the same-lemma baseline on the same mentions,
    within gold topics (as published) and without them (as storyline works), and the
    all-singletons response is scored too."""
    from .conll import conll

    mention_of, _ = gold_mentions(docs, events, stored)
    cluster = {e["event_id"]: e["event_cluster"] for e in events}
    gold_resp: dict[str, str] = {}
    system: dict[str, str] = {}
    for eid in sorted(mention_of):
        m = mention_of[eid]
        if m is not None and m in key and m not in gold_resp:
            gold_resp[m] = cluster[eid]
            system[m] = cluster[eid]
        else:
            system[f"sys:{eid}"] = cluster[eid]
    stem_of = {doc_id: Path(source or "").stem for doc_id, source, _ in stored}
    topic_of = {f"sys:{e['event_id']}": _topic(stem_of[e["doc_id"]]) for e in events}  # extra system mentions
    topics_here = {_topic(stem) for stem in docs}
    groups = {"all": topics_here, "political_legal": topics_here & set(POLITICAL_DEV_TOPICS),
              "other": topics_here - set(POLITICAL_DEV_TOPICS)}
    out: dict = {}
    for name, topics in groups.items():
        k = {m: c for m, c in key.items() if _topic(m) in topics}
        full = {m: gold_resp.get(m, f"single:{m}") for m in k}
        kept = {m: c for m, c in k.items() if m in gold_resp}
        row = {"gold_mentions": conll(k, full),
               "gold_mentions_political_filter": conll(kept, {m: gold_resp[m] for m in kept}),
               "system_mentions": conll(k, {m: c for m, c in system.items()
                                            if (topic_of[m] if m in topic_of else _topic(m)) in topics})}
        row["singletons_baseline_gold_mentions"] = conll(k, {m: m for m in k})
        if baseline is not None:
            within = {m: f"{_topic(m)}:{lemma}" for m, lemma in baseline.items()}  # gold topics given
            row["same_lemma_baseline_gold_mentions"] = conll(k, {m: within[m] for m in k})
            row["same_lemma_baseline_political_filter"] = conll(kept, {m: within[m] for m in kept})
            # storyline is given no topics: the same baseline over all the split's mentions at once
            row["same_lemma_no_topics_political_filter"] = conll(kept, {m: baseline[m] for m in kept})
        out[name] = row
    return out


def _ingest(paths: list[Path], db: str) -> tuple[object, list[dict], list[tuple]]:
    from ..ingest import ingest
    from ..store import connect, event_records

    summary = ingest([str(p) for p in paths], db=db)
    con = connect(db, read_only=True)
    try:
        return summary, event_records(con), con.execute("SELECT doc_id, source, text FROM documents").fetchall()
    finally:
        con.close()


def _story_scores(by_doc: dict[str, list[dict]], gold: dict[str, str]) -> dict:
    """Document-level story scores over the documents that have events."""
    with_events = sorted(d for d in gold if by_doc.get(d))
    story = {d: Counter(e["story_id"] for e in by_doc[d]).most_common(1)[0][0] for d in with_events}
    gold_story = {d: gold[d] for d in with_events}
    return {
        "documents": len(gold), "documents_with_events": len(with_events),
        "coverage": round(len(with_events) / max(len(gold), 1), 3),
        "stories_pairwise": _pairwise(story, gold_story, with_events),
        "stories_bcubed": _bcubed(story, gold_story, with_events),
        "stories_of_documents_with_events": len(set(story.values())),
        "gold_stories": len(set(gold_story.values())),
    }


_QUOTED = re.compile(r'"([^"\n]{1,400})"')


def reform(text: str, form: str) -> str:
    """A plain text in another text form (``TEXT_FORMS``: the same report, other typography):
    ``spaced`` sets straight quotes and contractions apart ("do n't", "Russia 's"),
    ``typeset`` curls quotes and apostrophes, ``wrapped`` breaks paragraphs into lines of
    60-odd characters; ``tokens`` leaves the text as it is."""
    if form not in TEXT_FORMS:
        raise CorpusError(f"text form {form!r}: not one of {', '.join(TEXT_FORMS)}")
    if form == "spaced":
        text = text.replace("“", '"').replace("”", '"').replace("’", "'")
        text = _QUOTED.sub(r'" \1 "', text)
        return re.sub(r"(\w)(n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1 \2", text)
    if form == "typeset":
        return _QUOTED.sub(r"“\1”", text).replace("'", "’")
    if form == "wrapped":
        return "\n".join(textwrap.fill(line, 60) if len(line) > 100 else line for line in text.split("\n"))
    return text


def run_fixture(folder: Path, form: str = "tokens") -> dict:
    """Stories of a folder of dated reports with a ``gold.json`` (``{"stories": {stem: story}}``),
    the texts in ``form`` (``reform``)."""
    try:
        gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))["stories"]
    except (OSError, ValueError, KeyError) as exc:
        raise CorpusError(f"{folder / 'gold.json'}: not a story gold file ({exc})") from exc
    with tempfile.TemporaryDirectory(prefix="storyline-eval-link-") as tmp:
        paths = []
        for path in sorted(folder.glob("*.txt")):
            paths.append(Path(tmp) / path.name)
            paths[-1].write_text(reform(path.read_text(encoding="utf-8"), form), encoding="utf-8")
        summary, events, stored = _ingest(paths, str(Path(tmp) / "eval.duckdb"))
    stem_of = {doc_id: Path(source or "").stem for doc_id, source, _ in stored}
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for e in events:
        by_doc[stem_of.get(e["doc_id"], "")].append(e)
    metrics = {"task": "link", "corpus": str(folder), "form": form, "events": len(events),
               "stories": summary.stories, "clusters": summary.clusters, **_story_scores(by_doc, gold),
               "partition": partition(by_doc)}
    print(json.dumps({k: v for k, v in metrics.items() if k.endswith("pairwise")}), file=sys.stderr)
    return metrics


def partition(by_doc: dict[str, list[dict]]) -> dict[str, list]:
    """The stories (sorted lists of file stems) and event clusters (sorted lists of events, each
    named by its report, type, mode, countries, date and trigger) of a run, in a form that does not depend on
    the text's form: two runs over the same reports in other typography compare equal when
    they make the same stories and clusters of the same events."""
    stories: dict[str, set] = defaultdict(set)
    clusters: dict[str, list] = defaultdict(list)
    for stem, events in by_doc.items():
        for e in events:
            stories[e["story_id"]].add(stem)
            sides = [(e.get(k) or {}).get("country") for k in ("source", "target")]
            trigger = (e.get("trigger") or "").lower().replace("’", "'").replace("“", '"').replace("”", '"')
            clusters[e["event_cluster"]].append("|".join(str(x) for x in (
                stem, e["type"], e.get("mode"), *sides, e.get("date"), " ".join(trigger.split()))))
    return {"stories": sorted(sorted(x) for x in stories.values()),
            "clusters": sorted(sorted(x) for x in clusters.values())}


def run(paths: list[str], limit: int | None = None, split: str | None = None, form: str = "tokens",
        **_options) -> dict:
    """Ingest the ECB+ documents of a split's topics and score stories and event clusters; a
    folder with a ``gold.json`` of stories is scored on stories only. ``form``: the text form
    the reports are written in (``TEXT_FORMS``)."""
    folder = Path(paths[0])
    if (folder / "gold.json").exists():
        return run_fixture(folder, form)
    topics = topics_of(split)
    with tempfile.TemporaryDirectory(prefix="storyline-eval-link-") as tmp:
        docs = write_topics(folder, topics, Path(tmp), limit, form)
        summary, events, stored = _ingest([Path(tmp)], str(Path(tmp) / "eval.duckdb"))
    chain, by_doc = gold_chains(docs, events, stored)
    key = conll_key(folder, docs, split)
    cluster_of = {e["event_id"]: e["event_cluster"] for e in events}
    doc_of = {e["event_id"]: e["doc_id"] for e in events}
    metrics = {
        "task": "link", "corpus": "ECB+", "split": split or "dev", "form": form, "topics": list(topics),
        "events": len(events), "stories": summary.stories, "clusters": summary.clusters,
        **_story_scores(by_doc, {d: info["gold_story"] for d, info in docs.items()}),
        "events_mapped_to_gold_mentions": len(chain),
        "clusters_pairwise_cross_doc": cross_doc_pairwise(cluster_of, chain, doc_of),
        "clusters_conll": conll_scores(docs, events, stored, key, _lemma_baseline(docs, key)),
    }
    print(json.dumps({k: v for k, v in metrics.items() if k.endswith("pairwise")}), file=sys.stderr)
    return metrics
