"""``storyline eval geo FILE...``: geoparsing scores on Gritta-style XML corpora.

Reads GeoWebNews (``GWN.xml``: ``<toponym>`` with ``<start>/<end>/<latitude>/<longitude>``),
GeoVirus (``<location>`` with ``<name>/<start>/<end>/<lat>/<lon>``) and the LGL/WikToR style
(``<toponym><phrase><gaztag geonameid><lat><lon>``). Gold toponyms are the annotated spans
that carry coordinates (GeoWebNews' non-toponym, language, homonym and expression types
have none and are not scored).

Metrics (Gritta et al., "A Pragmatic Guide to Geoparsing Evaluation"):
  * recognition P/R/F1, exact span and any overlap, over all gold toponyms and over the
    gold without adjectival modifiers ("Irish", "Syrian"): storyline treats demonyms as
    affiliations, not places, so the second figure is the one the design aims at;
  * geocoding on gold toponyms (resolution only: the resolver gets the gold span text and
    the document's context): Acc@161 km, mean and median error (km), and AUC of the sorted
    log(1 + error) curve normalised by log(20039) (lower is better); an unresolved toponym
    counts as 20039 km (half the Earth's circumference);
  * end-to-end Acc@161: a gold toponym missed by the recogniser (no overlapping place)
    counts as a miss;
  * both conventions for demonyms: GeoWebNews counts adjectives ("Irish") as toponyms,
    storyline reports them as country context only, so recognition F1 and end-to-end are
    also given with the recogniser's demonyms counted as toponyms of their country
    (``*_with_demonyms``) and over the gold without adjectives;
  * geocoding on gold spans with and without the vicinity fallback (unknown local names
    placed at the nearest town the document names).
"""
from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from . import SPLITS, split_of

MAX_KM = 20039.0
ACC_KM = 161.0
BATCH_SIZE = 16

# Regional outlets of GeoWebNews (both halves), labelled by the outlet alone: a paper, TV or
# radio station or government site whose audience is one city, county, state/province or
# (UK/Irish) county, in the US, UK, Ireland, Canada or Australia. National and international
# outlets ("washingtonpost.com", "bbc.co.uk", "cbc.ca", "thehindu.com") are not listed. The
# groups say where local news stands (issue 14: unseen local news scores lower).
LOCAL_OUTLETS = frozenset("""
12news.com abc7ny.com accesswdun.com al.com anglocelt.ie atlantic.ctvnews.ca bakersfieldnow.com
bangordailynews.com belfasttelegraph.co.uk bradenton.com burtonmail.co.uk cambridge-news.co.uk
chicagotribune.com chron.com clactonandfrintongazette.co.uk cleveland.com clickondetroit.com
dailyecho.co.uk dailyjournal.net derryjournal.com eagletribune.com eastoregonian.com essexlive.news
fox11online.com fox13memphis.com fox2now.com gainesville.com gloucestershirelive.co.uk
good4utah.com heraldonline.com hulldailymail.co.uk illawarramercury.com.au independent.com
inyourarea.co.uk islandpacket.com kiro7.com kob.com live5news.com lmfm.ie meathchronicle.ie
messenger-inquirer.com nbcnewyork.com news.gov.bc.ca news4jax.com newschannel5.com
newschannel6now.com newsday.com newsletter.co.uk newswest9.com nj.com nola.com
northpassaic.dailyvoice.com sacbee.com saskatoon.ctvnews.ca simcoe.com smh.com.au southernminn.com
star-telegram.com sun-sentinel.com theherald.com.au thecourier.co.uk theolympian.com thespec.com
timescolonist.com timesfreepress.com tipperarystar.ie toronto.ctvnews.ca tri-cityherald.com
tribtown.com wakefieldexpress.co.uk walesonline.co.uk watoday.com.au winnipeg.ctvnews.ca
wkbn.com wsau.com wsaw.com wsiltv.com wsoctv.com wsvn.com wtsp.com wusa9.com yourerie.com 96fm.ie
""".split())


def outlet_group(url: str | None) -> str | None:
    """'local' (a regional outlet, :data:`LOCAL_OUTLETS`), 'international' (any other outlet)
    or None (no URL: GeoVirus)."""
    if not url:
        return None
    host = urlparse(url).netloc.lower().split(":")[0]
    host = host[4:] if host.startswith("www.") else host
    return "local" if host in LOCAL_OUTLETS else "international"


@dataclass
class GoldToponym:
    text: str
    start: int
    end: int
    lat: float
    lon: float
    geonameid: int | None = None
    kind: str | None = None  # GeoWebNews type (Literal, Metonymic, ...)
    adjective: bool = False


@dataclass
class Article:
    id: str
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)
    url: str | None = None  # GeoWebNews' <link>: the outlet's address


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _align(text: str, name: str, start: int, end: int) -> tuple[int, int]:
    """Fix off-by-one offsets (GeoVirus counts from 1): the nearest shift where the name is."""
    if text[start:end] == name or not name:
        return start, end
    for d in (-1, 1, -2, 2):
        if text[start + d:end + d] == name:
            return start + d, end + d
    return start, end


def read_corpus(path: str | Path) -> list[Article]:
    """Articles with their gold toponyms from one Gritta-style XML file."""
    root = ET.parse(path).getroot()
    out: list[Article] = []
    for n, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        arts = Article(art.get("file") or str(n), text, url=(art.findtext("link") or "").strip() or None)
        for t in art.iter("toponym"):  # GeoWebNews / LGL
            start, end = int(t.findtext("start")), int(t.findtext("end"))
            g = t.find("gaztag")
            if g is not None:  # LGL / WikToR
                lat, lon = _float(g.findtext("lat")), _float(g.findtext("lon"))
                gid = g.get("geonameid")
                phrase = t.findtext("phrase") or text[start:end]
                kind, adjective = None, False
            else:
                lat, lon = _float(t.findtext("latitude")), _float(t.findtext("longitude"))
                gid = t.findtext("geonamesID")
                phrase = t.findtext("extractedName") or text[start:end]
                kind = t.findtext("type")
                adjective = (t.findtext("modifierType") or "") == "Adjective"
            if lat is None or lon is None:
                continue
            start, end = _align(text, phrase, start, end)
            arts.toponyms.append(GoldToponym(phrase, start, end, lat, lon, int(gid) if gid else None, kind, adjective))
        for loc in art.iter("location"):  # GeoVirus
            lat, lon = _float(loc.findtext("lat")), _float(loc.findtext("lon"))
            if lat is None or lon is None:
                continue
            start, end = int(loc.findtext("start")), int(loc.findtext("end"))
            start, end = _align(text, loc.findtext("name") or "", start, end)
            arts.toponyms.append(GoldToponym(loc.findtext("name") or text[start:end], start, end, lat, lon))
        out.append(arts)
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def recognition_scores(pred: list[tuple[int, int]], gold: list[tuple[int, int]],
                       ignore: list[tuple[int, int]] = ()) -> dict:
    """tp/pred/gold counts, exact and overlap; predictions overlapping ``ignore`` spans are not counted."""
    pred = [p for p in pred if not any(_overlaps(p, i) for i in ignore)]
    gold_set = set(gold)
    exact = sum(1 for p in pred if p in gold_set)
    used: set[int] = set()
    overlap = 0
    for p in pred:
        for k, g in enumerate(gold):
            if k not in used and _overlaps(p, g):
                used.add(k)
                overlap += 1
                break
    return {"exact": exact, "overlap": overlap, "pred": len(pred), "gold": len(gold)}


def geocoding_scores(errors: list[float]) -> dict:
    """Acc@161, mean/median error and the AUC of sorted log errors (Gritta et al.)."""
    if not errors:
        return {"n": 0}
    logs = sorted(math.log(1 + e) for e in errors)
    if len(logs) > 1:
        area = sum((logs[i] + logs[i + 1]) / 2 for i in range(len(logs) - 1))  # trapezoid, dx = 1
        auc = area / (math.log(MAX_KM) * (len(logs) - 1))
    else:
        auc = logs[0] / math.log(MAX_KM)
    return {
        "n": len(errors),
        "acc161": round(sum(1 for e in errors if e < ACC_KM) / len(errors), 4),
        "mean_km": round(statistics.fmean(errors), 1),
        "median_km": round(statistics.median(errors), 1),
        "auc": round(auc, 4),
    }


def _empty() -> dict:
    return {"rec_all": {"exact": 0, "overlap": 0, "pred": 0, "gold": 0},
            "rec_noun": {"exact": 0, "overlap": 0, "pred": 0, "gold": 0},
            "rec_dem": {"exact": 0, "overlap": 0, "pred": 0, "gold": 0},
            "geo_err": [], "geo_err_novic": [], "e2e_hits": 0, "e2e_hits_dem": 0, "e2e_hits_noun": 0,
            "n_gold": 0, "n_noun": 0}


def _add(acc: dict, other: dict) -> None:
    for k, v in other.items():
        if isinstance(v, dict):
            for kk, vv in v.items():
                acc[k][kk] += vv
        elif isinstance(v, list):
            acc[k].extend(v)
        else:
            acc[k] += v


def _summary(raw: dict, documents: int) -> dict:
    ra, rn, rd = raw["rec_all"], raw["rec_noun"], raw["rec_dem"]
    n, nn = raw["n_gold"], raw["n_noun"]
    return {
        "documents": documents,
        "recognition": {"exact": _prf(ra["exact"], ra["pred"], ra["gold"]),
                        "overlap": _prf(ra["overlap"], ra["pred"], ra["gold"])},
        "recognition_without_adjectives": {"exact": _prf(rn["exact"], rn["pred"], rn["gold"]),
                                           "overlap": _prf(rn["overlap"], rn["pred"], rn["gold"])},
        "recognition_with_demonyms": {"exact": _prf(rd["exact"], rd["pred"], rd["gold"]),
                                      "overlap": _prf(rd["overlap"], rd["pred"], rd["gold"])},
        "geocoding_gold": geocoding_scores(raw["geo_err"]),
        "geocoding_gold_no_vicinity": geocoding_scores(raw["geo_err_novic"]),
        "end_to_end": {"n": n, "acc161": round(raw["e2e_hits"] / n, 4) if n else 0.0,
                       "acc161_with_demonyms": round(raw["e2e_hits_dem"] / n, 4) if n else 0.0,
                       "acc161_without_adjectives": round(raw["e2e_hits_noun"] / nn, 4) if nn else 0.0},
    }


def article_split(path: str | Path, article: Article) -> str:
    """'dev' or 'test' for one article: SHA-1 of '<file name>:<article id>' (frozen split)."""
    return split_of(f"{Path(path).name}:{article.id}")


def _timed(it):
    """(generator over ``it``, box): ``box[0]`` sums the seconds spent producing items, so a
    lazy parse (``nlp.pipe``) is timed apart from the work done on each item."""
    box = [0.0]

    def gen():
        while True:
            t0 = time.perf_counter()
            try:
                item = next(it)
            except StopIteration:
                box[0] += time.perf_counter() - t0
                return
            box[0] += time.perf_counter() - t0
            yield item
    return gen(), box


def _score_file(path: str, limit: int | None, batch_size: int, error_rows: list[dict] | None,
                split: str | None = None) -> dict:
    from storyline.annotate import annotate
    from storyline.places import extract_places
    from storyline.places.gazetteer import haversine_km, load_gazetteer
    from storyline.places.recognize import Mention, recognize
    from storyline.places.resolve import adjective_candidates, resolve_mentions, url_country

    gaz = load_gazetteer()
    articles = read_corpus(path)
    if split not in (None, "all"):
        articles = [a for a in articles if article_split(path, a) == split]
    if limit:
        articles = articles[:limit]
    halves = {"dev": _empty(), "test": _empty()}
    counts = {"dev": 0, "test": 0}
    groups: dict[str, dict] = {}  # (half, outlet group) -> raw counts
    by_kind: dict[str, list[float]] = {}
    docs, parse_box = _timed(iter(annotate([a.text for a in articles], batch_size=batch_size)))
    places_s = 0.0
    for art, doc in zip(articles, docs):
        part = article_split(path, art)
        counts[part] += 1
        raw = _empty()
        t0 = time.perf_counter()
        places = extract_places(doc, url=art.url)
        places_s += time.perf_counter() - t0
        _, demonyms = recognize(doc, gaz)
        pred = [(p.start, p.end) for p in places]
        dem_spans = [(s, e) for _, s, e in demonyms if not any(_overlaps((s, e), q) for q in pred)]
        gold = [(t.start, t.end) for t in art.toponyms]
        for k, v in recognition_scores(pred, gold).items():
            raw["rec_all"][k] += v
        for k, v in recognition_scores(pred + dem_spans, gold).items():
            raw["rec_dem"][k] += v
        noun_gold = [(t.start, t.end) for t in art.toponyms if not t.adjective]
        adj_gold = [(t.start, t.end) for t in art.toponyms if t.adjective]
        for k, v in recognition_scores(pred, noun_gold, adj_gold).items():
            raw["rec_noun"][k] += v
        # resolution only: gold spans, document context (demonyms from the parse)
        mentions = [Mention(t.text, t.start, t.end, "GPE", t.text, None, "gold", 1.0) for t in art.toponyms]
        home = [c for c in (url_country(art.url, gaz),) if c]
        resolved = resolve_mentions(mentions, art.text, home, [d[0] for d in demonyms], gaz)
        plain = resolve_mentions(mentions, art.text, home, [d[0] for d in demonyms], gaz, vicinity=False)
        group = outlet_group(art.url)
        for t, (cand, _conf), (cand0, _) in zip(art.toponyms, resolved, plain):
            err = haversine_km(t.lat, t.lon, cand.lat, cand.lon) if cand is not None else MAX_KM
            raw["geo_err"].append(err)
            raw["geo_err_novic"].append(haversine_km(t.lat, t.lon, cand0.lat, cand0.lon) if cand0 is not None else MAX_KM)
            by_kind.setdefault(t.kind or "all", []).append(err)
            # end to end: the recognised place overlapping the gold span
            hit = next((p for p in places if _overlaps((p.start, p.end), (t.start, t.end))), None)
            e2e = haversine_km(t.lat, t.lon, hit.lat, hit.lon) if hit is not None and hit.lat is not None else None
            raw["n_gold"] += 1
            ok = e2e is not None and e2e < ACC_KM
            raw["e2e_hits"] += ok
            if not t.adjective:
                raw["n_noun"] += 1
                raw["e2e_hits_noun"] += ok
            if not ok and hit is None:
                # the GeoWebNews convention: a demonym ("Irish") is a toponym for its country
                dem = next((d for d in demonyms if _overlaps((d[1], d[2]), (t.start, t.end))), None)
                cands = adjective_candidates(gaz, art.text[dem[1]:dem[2]]) if dem else []
                if cands and haversine_km(t.lat, t.lon, cands[0][0].lat, cands[0][0].lon) < ACC_KM:
                    raw["e2e_hits_dem"] += 1
            else:
                raw["e2e_hits_dem"] += ok
            if error_rows is not None and (err >= ACC_KM or e2e is None or e2e >= ACC_KM):
                error_rows.append({
                    "file": Path(path).name, "article": art.id, "group": group, "text": t.text, "kind": t.kind,
                    "adjective": t.adjective,
                    "gold": [t.lat, t.lon], "resolved": None if cand is None else [cand.name, cand.country, cand.feature],
                    "err_km": round(err), "recognised": None if hit is None else hit.text,
                    "recognised_as": None if hit is None else [hit.name, hit.country, hit.feature, hit.admin1],
                    "e2e_km": None if e2e is None else round(e2e),
                    "context": art.text[max(0, t.start - 60):t.end + 60].replace("\n", " "),
                })
        _add(halves[part], raw)
        if group:
            _add(groups.setdefault(f"{part}/{group}", {**_empty(), "documents": 0}), {**raw, "documents": 1})
        if error_rows is not None:
            gold_spans = set(gold)
            for p in places:
                if not any(_overlaps((p.start, p.end), g) for g in gold_spans):
                    error_rows.append({"file": Path(path).name, "article": art.id, "false_positive": p.text,
                                       "resolved": p.name, "context": art.text[max(0, p.start - 40):p.end + 40].replace("\n", " ")})
    total = _empty()
    for h in halves.values():
        _add(total, h)
    out = _summary(total, len(articles))
    out["halves"] = {k: _summary(v, counts[k]) for k, v in halves.items()}
    out["_raw"] = halves
    out["_groups"] = groups
    out["_seconds"] = {"parse": parse_box[0], "places": places_s}
    if len(by_kind) > 1:
        out["geocoding_by_type"] = {k: geocoding_scores(v)["acc161"] for k, v in sorted(by_kind.items())}
        out["gold_by_type"] = {k: len(v) for k, v in sorted(by_kind.items())}
    return out


def _headline(summary: dict) -> dict:
    r = summary["recognition"]["exact"]
    return {
        "toponym_p": r["precision"], "toponym_r": r["recall"], "toponym_f1": r["f1"],
        "toponym_f1_overlap": summary["recognition"]["overlap"]["f1"],
        "toponym_f1_no_adjectives": summary["recognition_without_adjectives"]["exact"]["f1"],
        "toponym_f1_overlap_no_adjectives": summary["recognition_without_adjectives"]["overlap"]["f1"],
        "toponym_f1_with_demonyms": summary["recognition_with_demonyms"]["exact"]["f1"],
        "geocoding_gold": summary["geocoding_gold"],
        "acc161_gold_no_vicinity": summary["geocoding_gold_no_vicinity"].get("acc161"),
        "end_to_end_acc161": summary["end_to_end"]["acc161"],
        "end_to_end_acc161_with_demonyms": summary["end_to_end"]["acc161_with_demonyms"],
        "end_to_end_acc161_without_adjectives": summary["end_to_end"]["acc161_without_adjectives"],
    }


# Peak RSS from /proc (VmHWM belongs to the new address space; ru_maxrss can carry the forking
# parent's peak over exec), ru_maxrss where /proc is missing.
_LOAD_PROBE = (
    "import re, resource, time\n"
    "t0, c0 = time.perf_counter(), time.process_time()\n"
    "from storyline.places import load_gazetteer\n"
    "n = len(load_gazetteer())\n"
    "t, c = time.perf_counter() - t0, time.process_time() - c0\n"
    "try:\n"
    "    kb = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
    "except (OSError, AttributeError):\n"
    "    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "print(t, c, kb / 1024, n)\n"
)


def gazetteer_cost() -> dict:
    """Load time (package import included; wall and CPU, as the wall time of a shared machine
    varies with its load) and peak resident memory of a fresh process that only loads the
    gazetteer: what every worker pays once."""
    import storyline

    env = dict(os.environ)
    root = str(Path(storyline.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([root] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    res = subprocess.run([sys.executable, "-c", _LOAD_PROBE], capture_output=True, text=True, env=env, check=True)
    seconds, cpu, rss_mb, entries = res.stdout.split()
    return {"load_seconds": round(float(seconds), 2), "load_cpu_seconds": round(float(cpu), 2),
            "rss_mb": round(float(rss_mb), 1), "entries": int(entries)}


def run(paths: list[str], limit: int | None = None, errors: str | None = None,
        batch_size: int = BATCH_SIZE, quiet: bool = False, split: str | None = None, **_options) -> dict:
    """Score the places stage on Gritta-style XML files; returns the metrics dict.

    ``limit``: first N articles of each file (after the split). ``split``: "dev" or "test"
    scores only that half (:func:`article_split`); default all, with both halves reported
    under ``halves``. ``errors``: write geocoding misses and recognition false positives as
    JSON Lines to this path (error analysis; use it on dev only).
    """
    if split not in (None, *SPLITS):
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    files = []
    for p in paths:
        path = Path(p)
        files.extend(sorted(path.glob("*.xml")) if path.is_dir() else [path])
    error_rows: list[dict] | None = [] if errors else None
    t0 = time.time()
    per_file: dict[str, dict] = {}
    halves = {"dev": _empty(), "test": _empty()}
    docs = {"dev": 0, "test": 0}
    seconds = {"parse": 0.0, "places": 0.0}
    groups: dict[str, dict] = {}
    for f in files:
        res = _score_file(str(f), limit, batch_size, error_rows, split)
        for k, v in res.pop("_seconds").items():
            seconds[k] += v
        for k, h in res.pop("_raw").items():
            _add(halves[k], h)
            docs[k] += res["halves"][k]["documents"]
        for k, g in res.pop("_groups").items():
            _add(groups.setdefault(k, {**_empty(), "documents": 0}), g)
        per_file[f.name] = res
        if not quiet:
            view = {k: v for k, v in res.items() if k != "halves"}
            print(f"{f.name}: {json.dumps(view)}", file=sys.stderr)
    total = _empty()
    for h in halves.values():
        _add(total, h)
    if error_rows is not None:
        with open(errors, "w", encoding="utf-8") as fh:
            for row in error_rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    summary = _summary(total, docs["dev"] + docs["test"])
    return {
        "task": "geo",
        "files": [f.name for f in files],
        "split": split or "all",
        "documents": summary["documents"],
        **_headline(summary),
        "halves": {k: {"documents": docs[k], **_headline(_summary(h, docs[k]))} for k, h in halves.items()
                   if docs[k]},
        # "<half>/local" and "<half>/international": GeoWebNews by outlet (:func:`outlet_group`)
        "groups": {k: {"documents": g["documents"], **_headline(_summary(g, g["documents"]))}
                   for k, g in sorted(groups.items())},
        "per_file": per_file,
        "gazetteer": gazetteer_cost(),
        "speed": {"parse_seconds": round(seconds["parse"], 2), "places_seconds": round(seconds["places"], 2),
                  "places_per_parse": round(seconds["places"] / seconds["parse"], 3) if seconds["parse"] else None},
        "seconds": round(time.time() - t0, 1),
    }
