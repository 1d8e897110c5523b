"""``storyline eval boilerplate DIR``: how well the clean stage keeps the story and drops the rest.

Why: boilerplate that reaches the event coder becomes false events, and story text lost
here is lost for good. This scores storyline's ``clean`` (trafilatura + post-cleaning
rules) against trafilatura alone (the baseline) on two public benchmark layouts:

1. trafilatura's evaluation corpus (``evaldata.json`` + ``eval/``/``cache/`` HTML, maybe
   gzipped): each page lists snippets that must be in the output ("with") and snippets
   that must not ("without"). Counts are summed over pages (micro average) with
   whitespace-normalised substring matching, as trafilatura's evaluation does:
   precision = tp/(tp+fp), recall = tp/(tp+fn), accuracy = (tp+tn)/all, F1 = 2tp/(2tp+fp+fn).
   A crash or an empty result counts as a page where nothing was found.
2. Scrapinghub's article-extraction-benchmark (``ground-truth.json`` + ``html/*.html.gz``):
   the ``articleBody`` of each page is compared with the output as multisets of tokens
   (``\\w+``; ``token_*``) and of 4-token shingles (the benchmark's own measure,
   ``shingle_*``), each page normalised so long pages do not weigh more; precision and
   recall are averaged over documents and F1 is taken from the two averages.

On layout 1 the corpus also gives each page's date, title and author; the result's
``storyline_metadata`` block scores storyline's ``published`` (same day), ``title`` and
``byline`` (case, spacing and punctuation ignored) against them.

The result dict has one block per system with the metrics, errors, seconds and pages/s:
``storyline`` (the cleaned text, what the event coder reads), ``storyline_title`` (title
+ text: storyline moves the headline out of the text into ``title``, and the trafilatura
corpus counts headlines as main content) and ``trafilatura`` (alone, the baseline).
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

from . import SPLITS, in_split, split_of  # noqa: F401  (SPLITS, in_split: part of this module's API)

# trafilatura's canonical evaluation settings (its "standard" row)
BASELINE_OPTS = {"include_comments": False, "include_tables": True, "include_formatting": False}

_WS = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+", re.UNICODE)


def page_split(page_id: str) -> str:
    """'dev' or 'test': the half a page belongs to (see ``storyline.evaluation``).

    The id is the article-extraction-benchmark key (or the URL in ``evaldata.json``).
    """
    return split_of(page_id)


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _gunzip_if_needed(data: bytes) -> bytes:
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


# --------------------------------------------------------------------------- systems

def run_trafilatura(html: bytes) -> str | None:
    """Baseline: trafilatura alone, on the raw bytes, with its evaluation settings."""
    import trafilatura

    return trafilatura.extract(html, **BASELINE_OPTS)


def clean_page(html: bytes):
    """storyline's read decoding + clean stage on one page (a CleanDoc, or None if empty)."""
    from ..clean import clean
    from ..errors import InputError
    from ..models import RawDoc
    from ..read import decode_bytes

    try:
        page = decode_bytes(html, "page", html=True)
        return clean(RawDoc(id="page", source="page", html=page))
    except InputError:
        return None


def run_storyline(html: bytes) -> dict[str, Any]:
    """Both storyline outputs of one page: the clean text, and title + text (and the doc)."""
    doc = clean_page(html)
    if doc is None:
        return {"storyline": None, "storyline_title": None, "_doc": None}
    titled = f"{doc.title}\n\n{doc.text}" if doc.title else doc.text
    return {"storyline": doc.text, "storyline_title": titled, "_doc": doc}


def _meta_norm(value: Any) -> str:
    """Comparison key of a title or author: case, spacing and punctuation ignored."""
    if isinstance(value, list):
        value = " ".join(map(str, value))
    return " ".join(re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", str(value or "")).casefold()).split())


def _gold_day(value: Any):
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(value or ""))
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def metadata_counts(item: dict, doc) -> Counter:
    """Counts for the page metadata the corpus gives (date, title, author) against a CleanDoc.

    date: ``date_gold`` pages with a gold date, ``date_found`` of them dated by storyline,
    ``date_correct`` same day; ``date_extra`` dates on pages without a gold date.
    title/author: exact match after case and whitespace normalisation.
    """
    c: Counter = Counter()
    gold_day = _gold_day(item.get("date"))
    day = getattr(doc, "published", None) if doc is not None else None
    if gold_day is not None:
        c["date_gold"] += 1
        c["date_found"] += day is not None
        c["date_correct"] += day == gold_day
    elif "date" in item and day is not None:
        c["date_extra"] += 1
    for key, attr in (("title", "title"), ("author", "byline")):
        if item.get(key):
            c[f"{key}_gold"] += 1
            got = getattr(doc, attr, None) if doc is not None else None
            c[f"{key}_correct"] += _meta_norm(got) == _meta_norm(item[key])
    return c


def metadata_scores(c: Counter) -> dict[str, Any]:
    def ratio(a: str, b: str) -> float | None:
        return round(c[a] / c[b], 4) if c[b] else None

    return {
        "date_precision": ratio("date_correct", "date_found"), "date_recall": ratio("date_correct", "date_gold"),
        "title_accuracy": ratio("title_correct", "title_gold"), "author_accuracy": ratio("author_correct", "author_gold"),
        **{k: c[k] for k in sorted(c)},
    }


def run_all(html: bytes, secs: dict[str, float], errors: Counter) -> dict[str, Any]:
    """Outputs of every system on one page, timing each and counting crashes."""
    out: dict[str, str | None] = {}
    t0 = time.perf_counter()
    try:
        out.update(run_storyline(html))
    except Exception:  # noqa: BLE001 - a crash is scored as a miss, like trafilatura's eval
        out.update(storyline=None, storyline_title=None, _doc=None)
        errors["storyline"] += 1
    secs["storyline"] += time.perf_counter() - t0
    t0 = time.perf_counter()
    try:
        out["trafilatura"] = run_trafilatura(html)
    except Exception:  # noqa: BLE001
        out["trafilatura"] = None
        errors["trafilatura"] += 1
    secs["trafilatura"] += time.perf_counter() - t0
    return out


SYSTEMS = ("storyline", "storyline_title", "trafilatura")
_TIMED = {"storyline": "storyline", "storyline_title": "storyline", "trafilatura": "trafilatura"}


def _system_block(name: str, pages: int, secs: dict, errors: Counter) -> dict:
    s = secs[_TIMED[name]]
    return {"errors": errors[_TIMED[name]], "seconds": round(s, 2),
            "pages_per_s": round(pages / s, 2) if s else None}


# --------------------------------------------------------------------------- layout 1

def _find_page(root: str, filename: str) -> str | None:
    for sub in ("cache", "eval", "html", ""):
        for name in (filename, filename + ".gz"):
            path = os.path.join(root, sub, name)
            if os.path.isfile(path):
                return path
    return None


def count_snippets(item: dict, result: str | None) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one page: 'with' snippets found, 'without' snippets found."""
    if not result:
        return 0, 0, len(item["with"]), len(item["without"])
    res = _norm(result)
    tp = sum(1 for s in item["with"] if _norm(s) in res)
    fp = sum(1 for s in item["without"] if _norm(s) in res)
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


def snippet_scores(tp: int, fp: int, fn: int, tn: int) -> dict[str, float]:
    total = tp + fp + fn + tn
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 0.0,
        "accuracy": round((tp + tn) / total, 4) if total else 0.0,
        "f1": round(2 * tp / (2 * tp + fp + fn), 4) if tp + fp + fn else 0.0,
    }


def _pages_evaldata(root: str, limit: int | None, split: str | None = None) -> Iterator[tuple[str, dict, bytes | None]]:
    path = root if os.path.isfile(root) else os.path.join(root, "evaldata.json")
    base = os.path.dirname(path)
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    pages = [(url, item) for url, item in data.items() if in_split(url, split)]
    for i, (url, item) in enumerate(pages):
        if limit is not None and i >= limit:
            break
        page = _find_page(base, item["file"])
        if page is None:
            yield url, item, None
            continue
        with open(page, "rb") as fh:
            yield url, item, _gunzip_if_needed(fh.read())


def eval_snippets(root: str, limit: int | None = None, details: bool = False,
                  split: str | None = None) -> dict[str, Any]:
    """Layout 1 (trafilatura's evaldata.json)."""
    counts = {name: [0, 0, 0, 0] for name in SYSTEMS}
    secs = {"storyline": 0.0, "trafilatura": 0.0}
    errors: Counter = Counter()
    missing = pages = 0
    per_page: list[dict] = []
    meta: Counter = Counter()
    for url, item, html in _pages_evaldata(root, limit, split):
        if html is None:
            missing += 1
            continue
        pages += 1
        outs = run_all(html, secs, errors)
        row: dict[str, Any] = {"url": url}
        for name in SYSTEMS:
            c = count_snippets(item, outs[name])
            for k in range(4):
                counts[name][k] += c[k]
            row[name] = c
        mc = metadata_counts(item, outs.get("_doc"))
        meta += mc
        if details:
            row["metadata"] = dict(mc)
            per_page.append(row)
    result: dict[str, Any] = {
        "task": "boilerplate", "layout": "trafilatura-evaldata", "path": root, "split": split or "all",
        "pages": pages, "missing_files": missing,
    }
    for name in SYSTEMS:
        tp, fp, fn, tn = counts[name]
        result[name] = {**snippet_scores(tp, fp, fn, tn), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
                        **_system_block(name, pages, secs, errors)}
    result["storyline_metadata"] = metadata_scores(meta)
    if details:
        result["per_page"] = per_page
    return result


# --------------------------------------------------------------------------- layout 2

def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def _grams(tokens: list[str], n: int) -> Counter:
    if n == 1:
        return Counter(tokens)
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def match_counts(true: str, pred: str, n: int = 1) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one document over multisets of n-grams of ``\\w+`` tokens."""
    t, p = _grams(_tokens(true), n), _grams(_tokens(pred), n)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def doc_averaged(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    """Precision and recall averaged per document, F1 from the two averages."""
    ps = [_precision(*r) for r in rows if r[0] + r[1] > 0]
    rs = [_recall(*r) for r in rows if r[0] + r[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def eval_article_body(root: str, limit: int | None = None, details: bool = False,
                      split: str | None = None) -> dict[str, Any]:
    """Layout 2 (article-extraction-benchmark: ground-truth.json + html/*.html.gz)."""
    with open(os.path.join(root, "ground-truth.json"), encoding="utf-8") as fh:
        truth = {k: v for k, v in json.load(fh).items() if in_split(k, split)}
    per_page: list[dict] = []
    rows: dict[str, dict[int, list]] = {name: {1: [], 4: []} for name in SYSTEMS}
    secs = {"storyline": 0.0, "trafilatura": 0.0}
    errors: Counter = Counter()
    pages = missing = 0
    for i, (key, gold) in enumerate(sorted(truth.items())):
        if limit is not None and i >= limit:
            break
        path = _find_page(root, f"{key}.html")
        if path is None:
            missing += 1
            continue
        with open(path, "rb") as fh:
            html = _gunzip_if_needed(fh.read())
        pages += 1
        body = gold.get("articleBody", "") if isinstance(gold, dict) else str(gold)
        outs = run_all(html, secs, errors)
        row: dict[str, Any] = {"id": key}
        for name in SYSTEMS:
            for n in (1, 4):
                rows[name][n].append(match_counts(body, outs[name] or "", n))
            row[name] = doc_averaged([rows[name][1][-1]])
        if details:
            per_page.append(row)
    result: dict[str, Any] = {
        "task": "boilerplate", "layout": "article-extraction-benchmark", "path": root, "split": split or "all",
        "pages": pages, "missing_files": missing,
    }
    for name in SYSTEMS:
        tok, sh = doc_averaged(rows[name][1]), doc_averaged(rows[name][4])
        result[name] = {**tok, **{f"shingle_{k}": v for k, v in sh.items()},
                        **_system_block(name, pages, secs, errors)}
    if details:
        result["per_page"] = per_page
    return result


# --------------------------------------------------------------------------- entry point

def detect_layout(path: str) -> str:
    """'evaldata' or 'aeb' for a benchmark folder (or an evaldata.json file)."""
    if os.path.isfile(path) and path.endswith(".json") and os.path.basename(path) != "ground-truth.json":
        return "evaldata"
    if os.path.isfile(os.path.join(path, "evaldata.json")):
        return "evaldata"
    if os.path.isfile(os.path.join(path, "ground-truth.json")):
        return "aeb"
    if os.path.basename(path) == "ground-truth.json":
        return "aeb"
    raise FileNotFoundError(f"{path}: neither evaldata.json (trafilatura layout) nor ground-truth.json "
                            "(article-extraction-benchmark layout) found")


def _find_benchmarks(path: str) -> list[str]:
    """The benchmark folders at or (one or two levels) under ``path``."""
    try:
        detect_layout(path)
        return [path]
    except FileNotFoundError:
        pass
    found = []
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("eval", "cache", "html"))
        if root.count(os.sep) - path.rstrip(os.sep).count(os.sep) > 2:
            dirs[:] = []
        if "evaldata.json" in files or "ground-truth.json" in files:
            found.append(root)
    return found


def _warm_up() -> None:
    """Load trafilatura, its stoplists and the language model before anything is timed."""
    page = ("<html><body><article><p>" + "The council met on Monday to discuss the budget. " * 8
            + "</p></article></body></html>").encode()
    run_trafilatura(page)
    clean_page(page)


def run(paths: list[str], **options: Any) -> dict:
    """Score storyline's clean and trafilatura alone on every benchmark found under ``paths``.

    Options: ``limit`` (first N pages of each benchmark), ``split`` ("dev", "test" or
    "all": the half of the pages given by :func:`page_split`), ``details`` (per-page
    counts or scores), ``mode`` ("standard", "precision" or "recall": the trafilatura setting
    storyline's clean uses for this run, to measure it).
    """
    from .. import clean as clean_stage

    limit = options.get("limit")
    mode = options.get("mode")
    split = options.get("split")
    if split not in (None, *SPLITS):
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    _warm_up()
    saved = dict(clean_stage.TRAFILATURA_OPTIONS)
    if mode:
        clean_stage.TRAFILATURA_OPTIONS.update(favor_precision=mode == "precision", favor_recall=mode == "recall")
    results = []
    try:
        for p in paths:
            benches = _find_benchmarks(p)
            if not benches:
                raise FileNotFoundError(f"{p}: no boilerplate benchmark (evaldata.json or ground-truth.json) found")
            for b in benches:
                evaluate = eval_snippets if detect_layout(b) == "evaldata" else eval_article_body
                results.append(evaluate(b, limit, bool(options.get("details")), split))
    finally:
        clean_stage.TRAFILATURA_OPTIONS.clear()
        clean_stage.TRAFILATURA_OPTIONS.update(saved)
    if len(results) == 1:
        out = results[0]
    else:
        out = {"task": "boilerplate", "benchmarks": results, **{n: results[0][n] for n in SYSTEMS}}
    out["clean_mode"] = mode or ("precision" if saved.get("favor_precision") else "standard")
    return out
