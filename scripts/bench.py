#!/usr/bin/env python3
"""storyline's benchmark: speed of the pipeline per stage, and quality on the dev data.

Run with `make bench` from the repo root. Speed is reported as documents/s and words/s and
as each stage's share of the spaCy parse time in the same run (ratios, since machines are
shared and noisy). Quality runs every `storyline eval` task on ../shared/bench (dev
splits) and the whole-document scorer; results print as Markdown for docs/BENCHMARKS.md.
Tasks whose data folder is missing are skipped with a note.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BENCH = SHARED / "bench"
# the storyline command of the Python running this script (make bench: .venv/bin/storyline)
STORYLINE = str(Path(sys.executable).with_name("storyline"))

EVALS = [
    ("timex", [BENCH / "temporal" / "TBAQ-cleaned"]),
    ("geo", [BENCH / "geo" / "gritta" / "GWN.xml", BENCH / "geo" / "gritta" / "GeoVirus.xml"]),
    ("boilerplate", [BENCH / "boilerplate" / "trafilatura-eval"]),
    ("events", [BENCH / "events" / "universalpetrarch" / "UniversalPetrarch" / "data" / "text" /
                "PETR2_GSR_validation.xml"]),
    ("events", [BENCH / "events" / "docs-dev" / "gold.json"]),
    ("link", [BENCH / "coref" / "ecbplus"]),
]
NGEC = BENCH / "events" / "ngec" / "setup" / "train_classifiers" / "gpt_synthetic_events_2023-10-19_19.csv.zip"
EVALS += [("events", [NGEC], ["--split", "dev"]), ("events", [NGEC], ["--split", "test"])]
# modality and attribution on the corpus dev split, and the MEANTIME-derived check (issue 12)
EVALS += [("modality", [ROOT / "corpus", BENCH], ["--split", "dev"]),
          ("modality", [ROOT / "corpus", BENCH], ["--split", "dev", "--modality", "rules"]),
          ("modality", [BENCH / "coref" / "meantime"]),
          ("modality", [BENCH / "coref" / "meantime"], ["--modality", "rules"])]


def speed(paths: list[str], repeat: int, decider: str = "model") -> dict:
    """Time the in-process pipeline on ``paths`` (after one warm-up document)."""
    from storyline.annotate import load_nlp
    from storyline.pipeline import Options, process_paths

    load_nlp()
    timings: Counter = Counter()
    docs = words = 0
    t0 = time.perf_counter()
    for _ in range(repeat):
        for res in process_paths(paths, options=Options(timings=timings, events_decider=decider)):
            if hasattr(res, "text"):
                docs += 1
                words += len(res.text.split())
    wall = time.perf_counter() - t0
    parse = timings["annotate"] or 1e-9
    return {
        "documents": docs, "words": words, "seconds": round(wall, 2),
        "docs_per_s": round(docs / wall, 2), "words_per_s": round(words / wall),
        "stage_seconds": {k: round(v, 3) for k, v in timings.items()},
        "ratio_to_parse": {k: round(v / parse, 3) for k, v in timings.items() if k != "annotate"},
    }


GWN = BENCH / "geo" / "gritta" / "GWN.xml"
STAGES = ("read", "clean", "dedup", "annotate", "time", "places", "actors", "events", "assemble", "serialise")


def news_jsonl(out: Path, xml: Path = GWN) -> Path | None:
    """The 200 GeoWebNews articles (dev data) as JSON Lines for ``storyline process -``."""
    if not xml.exists():
        return None
    from storyline.evaluation.geo import read_corpus

    with out.open("w", encoding="utf-8") as fh:
        for art in read_corpus(xml):
            fh.write(json.dumps({"id": f"gwn-{art.id}", "text": art.text}, ensure_ascii=False) + "\n")
    return out


def profile(jsonl: Path, batch_size: int = 16) -> dict:
    """Every stage of ``storyline process -`` on ``jsonl``, timed in one run with one clock.

    The same functions ``process_docs`` calls, run stage by stage: read (JSON Lines), clean,
    dedup, then per batch the spaCy parse and the stages (``Options.timings``), the rest of
    the batch (building the result records) as ``assemble``, and the JSON output
    (``serialise``). ``other`` is the wall time no stage accounts for, so the shares add up
    to the whole. Model and lexicon loading is timed apart (``load``), on a made-up text.
    """
    from storyline.dedup import Deduplicator
    from storyline.models import Failure
    from storyline.pipeline import Options, clean_docs, process_clean, process_text
    from storyline.read import read_jsonl

    clock = time.perf_counter
    t0 = clock()
    process_text("date 2026-03-02 The foreign ministers of Peru and Chile met in Lima on Monday.")
    load = clock() - t0
    timings: Counter = Counter()
    start = clock()
    t0 = clock()
    raws = list(read_jsonl(str(jsonl)))
    timings["read"] += clock() - t0
    t0 = clock()
    cleaned = [c for c in clean_docs(raws) if not isinstance(c, Failure)]
    timings["clean"] += clock() - t0
    t0 = clock()
    dedup = Deduplicator()
    for c in cleaned:
        c.duplicate_of = dedup.add(c.id, c.text, c.title)
    timings["dedup"] += clock() - t0
    options = Options(batch_size=batch_size, timings=timings)
    words = 0
    for i in range(0, len(cleaned), batch_size):
        before = sum(timings.values())
        t0 = clock()
        results = process_clean(cleaned[i:i + batch_size], options)
        spent = clock() - t0
        timings["assemble"] += spent - (sum(timings.values()) - before)
        t0 = clock()
        for r in results:
            if not isinstance(r, Failure):
                words += len(r.text.split())
                json.dumps(r.to_dict(), ensure_ascii=False)
        timings["serialise"] += clock() - t0
    wall = clock() - start
    timings["other"] = wall - sum(timings[k] for k in STAGES)
    return {"documents": len(cleaned), "words": words, "seconds": round(wall, 2), "load_seconds": round(load, 2),
            "stage_seconds": {k: round(timings[k], 3) for k in (*STAGES, "other")},
            "stage_share": {k: round(timings[k] / wall, 3) for k in (*STAGES, "other")},
            "share_sum": round(sum(timings[k] for k in (*STAGES, "other")) / wall, 3)}


SPACY_ALONE = """
import json, sys, time
t0 = time.perf_counter()
import spacy
from storyline.annotate import MODEL
nlp = spacy.load(MODEL)
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
for doc in nlp.pipe(texts, batch_size=16):
    pass
"""


def _timed(cmd: list[str], stdin: Path | None, env: dict | None = None) -> tuple[float, float, str]:
    """Wall seconds and CPU seconds (user + system, the process and its children) of one
    whole process, and its stderr."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with open(stdin or os.devnull, "rb") as fin:
        p = subprocess.run(cmd, stdin=fin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, p.stderr.decode()[-400:] if p.returncode else ""


def versus_spacy(jsonl: Path, rounds: int = 2) -> dict:
    """Whole processes of ``storyline process -`` (the parse in this process, and with the
    default: in child processes alongside the stages) and of bare spaCy ``nlp.pipe`` (same
    model, same texts, both loading their model), interleaved ``rounds`` times. Each ratio
    is spaCy's time over storyline's (1.0 = as fast as the parser alone), by wall time and
    by CPU time (the children included: the parse processes' CPU counts)."""
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    env.pop("STORYLINE_PARSE_PROCESSES", None)
    runs = {"storyline, one process": [STORYLINE, "process", "--parse-processes", "1", "-"],
            "storyline, default (parse processes)": [STORYLINE, "process", "-"],
            "spacy": [sys.executable, "-c", SPACY_ALONE, str(jsonl)]}
    walls: dict[str, list[float]] = {k: [] for k in runs}
    cpus: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(rounds):
        for name, cmd in runs.items():
            wall, cpu, err = _timed(cmd, None if name == "spacy" else jsonl, env)
            if err:
                return {"error": f"{name}: {err}"}
            walls[name].append(wall)
            cpus[name].append(cpu)
    words = sum(len(json.loads(line)["text"].split()) for line in jsonl.open(encoding="utf-8"))
    best_wall = {k: min(v) for k, v in walls.items()}
    best_cpu = {k: min(v) for k, v in cpus.items()}
    return {"words": words, "load_average": os.getloadavg()[0],
            "wall_seconds": {k: [round(x, 1) for x in v] for k, v in walls.items()},
            "cpu_seconds": {k: [round(x, 1) for x in v] for k, v in cpus.items()},
            "ratio_spacy_to_storyline_wall": {k: round(best_wall["spacy"] / v, 2) for k, v in best_wall.items()
                                              if k != "spacy"},
            "ratio_spacy_to_storyline_cpu": {k: round(best_cpu["spacy"] / v, 2) for k, v in best_cpu.items()
                                             if k != "spacy"}}


def overlap(jsonl: Path, rounds: int = 2) -> dict:
    """How the parse processes split the work, in one process per round: CPU seconds of this
    process (reading, cleaning, the stages, receiving the parsed documents) and of its
    parse processes, for ``process_docs`` over ``jsonl`` after the models are loaded. On an
    idle machine with two cores the wall time is bounded below by the larger of this
    process's CPU time and half of the total, which is what this reports alongside the
    measured wall time (on a shared machine the measured one is not that)."""
    import resource

    from storyline.pipeline import Options, process_docs, warm_up
    from storyline.read import read_jsonl

    warm_up()
    raws = list(read_jsonl(str(jsonl)))
    out: dict[str, list] = {}
    for _ in range(rounds):
        for n in (1, 2):
            s0, c0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            for _res in process_docs(raws, Options(parse_processes=n)):
                pass
            wall = time.perf_counter() - t0
            s1, c1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
            own = s1.ru_utime + s1.ru_stime - s0.ru_utime - s0.ru_stime
            kids = c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime
            out.setdefault(f"parse_processes={n}", []).append(
                {"wall": round(wall, 2), "cpu_this_process": round(own, 2), "cpu_parse_processes": round(kids, 2),
                 "two_core_bound": round(max(own, (own + kids) / 2), 2)})
    return out


def hot_spots(jsonl: Path, top: int = 15, limit: int = 60) -> list[dict]:
    """The functions with the most own time (cProfile) over the first ``limit`` articles."""
    import cProfile
    import pstats

    from storyline.pipeline import Options, process_docs
    from storyline.read import read_jsonl

    prof = cProfile.Profile()
    raws = list(read_jsonl(str(jsonl)))[:limit]
    prof.enable()
    for _ in process_docs(raws, Options()):
        pass
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]
    return [{"function": f"{Path(k[0]).name}:{k[1]}:{k[2]}", "calls": v[1], "own_share": round(v[2] / total, 3),
             "cumulative_share": round(v[3] / total, 3)} for k, v in rows]


def meantime_corpus(out: Path) -> Path | None:
    """All 120 MEANTIME Wikinews articles as `.txt` files (dev data; speed corpus)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_examples import MEANTIME, convert

    if not MEANTIME.exists():
        return None
    out.mkdir(parents=True, exist_ok=True)
    for xml in sorted(MEANTIME.glob("*/*.xml")):
        try:
            doc_id, text = convert(xml)
        except StopIteration:  # no creation time: not a usable article
            continue
        (out / f"meantime_{doc_id}.txt").write_text(text, encoding="utf-8")
    return out


def ingest_speed(folder: Path, workers: int, rss: bool = False) -> dict:
    """Wall time of a whole `storyline ingest` (new store) with in-process or Dask workers;
    with ``rss`` also the ingesting process's peak resident memory (GNU time's ``%M``)."""
    with tempfile.TemporaryDirectory(dir=ROOT / "build") as tmp:
        cmd = [STORYLINE, "ingest", str(folder), "--db", str(Path(tmp) / "b.duckdb"), "-q"]
        if workers:
            cmd += ["--workers", str(workers)]
        if rss:
            cmd = ["/usr/bin/time", "-f", "peak_rss_kb=%M", *cmd]
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - t0
    out = {"workers": workers or "in-process", "seconds": round(wall, 2), "rc": p.returncode,
           "summary": (p.stdout.strip().splitlines() or [p.stderr.strip()[-200:]])[-1]}
    if rss:
        kb = [line.split("=")[1] for line in p.stderr.splitlines() if line.startswith("peak_rss_kb=")]
        out["peak_rss_mb"] = round(int(kb[-1]) / 1024) if kb else None
    return out


def scaled_corpus(source: Path, out: Path, n: int, sentences: int = 15, seed: int = 13) -> Path:
    """``n`` distinct dated articles of ``sentences`` sentences each, drawn at random (fixed
    seed) from the sentences of the articles in ``source`` (JSON Lines): a run long enough for
    the model loads to amortise, with texts that the deduplicator does not fold together."""
    import random
    import re

    pool = [s for line in source.open(encoding="utf-8")
            for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", json.loads(line)["text"]) if 40 <= len(s) <= 400]
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    for i in range(n):
        rnd = random.Random(seed * 1_000_003 + i)
        body = rnd.sample(pool, sentences)
        day = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        paras = "\n\n".join(" ".join(body[j:j + 3]) for j in range(0, len(body), 3))
        (out / f"synthetic_{i:06d}.txt").write_text(f"date {day} Report {i}\n\n{paras}\n", encoding="utf-8")
    return out


def ingest_scaling(source: Path, sizes: tuple[int, ...] = (250, 1000), workers: int = 2) -> list[dict]:
    """Whole ``storyline ingest`` runs (new store, model loads included) in process and with
    ``--workers``, interleaved, at each corpus size: where Dask starts to pay. Each run's
    peak RSS (``/usr/bin/time``, the ingesting process; Dask workers are separate processes)
    is reported with it."""
    rows = []
    for n in sizes:
        folder = scaled_corpus(source, ROOT / "build" / f"scaled-{n}", n)
        runs = {mode: ingest_speed(folder, mode, rss=True) for mode in (0, workers)}
        rows.append({"articles": n, "in_process": runs[0], f"workers_{workers}": runs[workers],
                     "speed-up": round(runs[0]["seconds"] / runs[workers]["seconds"], 2)})
    return rows


def relink_child(db: str, mode: str, changed: int = 10) -> dict:
    """One relink phase of the store ``db`` in this (fresh) process: ``read`` (the rows a relink
    reads: ``ingest.link_events``, the leads and the previous links), ``incremental`` (the
    relink after ``changed`` documents were rewritten) or ``full``. CPU seconds of the phase,
    and peak RSS after the imports and at the end."""
    sys.path.insert(0, str(ROOT / "src"))
    from storyline import coref, ingest, link  # noqa: F401  (imports outside the measurement)
    from storyline.store import StoreWriter

    def peak() -> int:
        """This process's peak RSS in MB: VmHWM, not ru_maxrss, which Linux carries over exec
        from the parent (here the process that built the store)."""
        with open("/proc/self/status") as f:
            return next(round(int(line.split()[1]) / 1024) for line in f if line.startswith("VmHWM:"))

    out = {"mode": mode, "rss_after_imports_mb": peak()}
    writer = StoreWriter(db, publish_every=1e9)
    try:
        docs = {r[0] for r in writer.con.execute(
            "SELECT doc_id FROM documents ORDER BY hash(doc_id) LIMIT ?", [changed]).fetchall()}
        t0 = time.process_time()
        if mode == "read":
            events, _ = ingest.link_events(writer)
            rows = (len(events), len(ingest.document_leads(writer)), len(writer.link_rows()))
            out["rows_read"] = dict(zip(("events", "leads", "links"), rows))
        else:
            seen: dict[str, int] = {}
            if mode == "incremental":  # how much of what was read the relink needed
                clustered, scored = link._neighbourhood, link._embedded_scores

                def neighbourhood(*args, **kw):
                    reached = clustered(*args, **kw)
                    seen["events_reclustered"] = len(reached)
                    return reached

                def embedded(docs, pairs, *args, **kw):
                    seen["reports_scored"] = len({d for p in pairs for d in p})
                    return scored(docs, pairs, *args, **kw)

                link._neighbourhood, link._embedded_scores = neighbourhood, embedded
            out.update(ingest.relink(writer, None if mode == "full" else docs), **seen)
        out["cpu_s"] = round(time.process_time() - t0, 2)
    finally:
        writer.con.close()
    out["peak_rss_mb"] = peak()
    return out


def relink_cost(sizes: tuple[tuple[int, int], ...] = ((20_000, 4_000), (100_000, 20_000)),
                changed: int = 10) -> list[dict]:
    """What a relink costs at two store sizes (``scripts/synth_store.py`` stores under build/,
    linked once in full first): reading the rows alone, an incremental relink after
    ``changed`` rewritten documents, and a full relink, each in a fresh process."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from synth_store import build

    rows = []
    for n_events, n_docs in sizes:
        db = str(ROOT / "build" / f"relink-{n_events}.duckdb")
        build(db, n_events, n_docs)

        def phase(mode: str) -> dict:
            p = subprocess.run([sys.executable, __file__, "--relink-child", db, mode], capture_output=True, text=True)
            return json.loads(p.stdout.strip().splitlines()[-1]) if p.returncode == 0 else {"error": p.stderr[-400:]}

        phase("full")  # the stored links are the linker's
        runs = {mode: phase(mode) for mode in ("read", "incremental", "full")}
        inc = runs["incremental"]
        rows.append({"events": n_events, "documents": n_docs, **runs,
                     "incremental_cpu_share_of_full": round(inc.get("cpu_s", 0) / max(runs["full"].get("cpu_s", 1), 1e-9), 2)})
    return rows


def print_relink_cost(heading: str) -> None:
    print(f"{heading} link: relink cost at two store sizes (synthetic stores, fresh process per phase)\n")
    print("```json\n" + json.dumps(relink_cost(), indent=1) + "\n```\n")


def run_eval(task: str, paths: list[Path], limit: int | None, extra: list[str] = ()) -> dict:
    cmd = [STORYLINE, "eval", task, *map(str, paths), *extra] + (["--limit", str(limit)] if limit else [])
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return {"error": p.stderr.strip()[-400:]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def score_docs() -> dict:
    p = subprocess.run([sys.executable, str(SHARED / "tools" / "score_docs.py"), "--cmd", STORYLINE],
                       capture_output=True, text=True, cwd=ROOT)
    lines = p.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {"error": p.stderr[-400:]}


def read_speed(mb: int = 30) -> dict:
    """WARC records/s, RSS and clean pages/s on a generated WARC (scripts/warc_stream_check.py)."""
    p = subprocess.run([sys.executable, str(ROOT / "scripts" / "warc_stream_check.py"), "--mb", str(mb),
                        "--clean", "200"], capture_output=True, text=True, cwd=ROOT)
    lines = p.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {"error": p.stderr[-400:]}


def country_lookup_speed(n: int = 20_000) -> dict:
    """Lookups per second of ``country_code`` on a known possessive and an unknown name
    (was a timing assertion in the tests; speed is measured here, not asserted there)."""
    from storyline.countries import country_code

    country_code("Japan")  # load the tables first
    t0 = time.perf_counter()
    for _ in range(n):
        country_code("Japan's")
        country_code("Some Unknown Name")
    return {"lookups": 2 * n, "per_second": round(2 * n / (time.perf_counter() - t0))}


def _synthetic_mentions(n: int, rnd, first: int = 0) -> list:
    """N synthetic mentions (16 types, 30 countries, 200 people, 60 days, 10 trigger words),
    eight to a report, ids from ``first``."""
    import datetime as dt

    from storyline.link import LinkEvent

    types = ["CONSULT", "AGREE", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
             "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
    countries = [f"C{i:02d}" for i in range(30)]
    triggers = ["met", "talks", "visit", "accused", "sanctions", "attack", "agreed", "protest", "aid", "warned"]
    modalities = ["asserted", "asserted", "planned", "reported", "negated"]
    events = []
    for i in range(first, first + n):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=rnd.randrange(60))
        person = rnd.choice([None, None, f"P{rnd.randrange(200)}"])
        events.append(LinkEvent(f"e{i:07d}", f"d{i // 8:06d}", rnd.choice(types), None, rnd.choice(countries),
                                rnd.choice(countries + [None]), day if rnd.random() < 0.9 else None, None,
                                source_actor=person, source_person=person,
                                people=(person,) if person else (), modality=rnd.choice(modalities),
                                date_precision="day", trigger=rnd.choice(triggers),
                                sentence=f"{rnd.choice(triggers)} report {rnd.randrange(max(n, 4000) // 4)}"))
    return events


def link_scale(sizes=(5_000, 20_000, 40_000), seed: int = 1) -> dict:
    """Seconds to link N synthetic mentions (``_synthetic_mentions``; the trained pair and story
    models and their embeddings included): the relink after every ingest must stay near
    linear in the size of the store."""
    import random

    from storyline.link import link

    rnd = random.Random(seed)
    out = {}
    for n in sizes:
        events = _synthetic_mentions(n, rnd)
        t0 = time.perf_counter()
        clusters, _, stories = link(events)
        out[n] = {"seconds": round(time.perf_counter() - t0, 2), "clusters": len(set(clusters.values())),
                  "stories": len(stories)}
    return out


def link_incremental_scale(n: int = 40_000, new_docs: int = 100, seed: int = 1) -> dict:
    """Adding ``new_docs`` reports (eight mentions each) to a store of ``n`` linked mentions:
    seconds of the incremental relink (``link.link_incremental``) and of a full relink, in
    one run, their ratio, and how many mentions the two put in another cluster or story."""
    import random

    from storyline.link import link, link_incremental

    rnd = random.Random(seed)
    old = _synthetic_mentions(n, rnd)
    new = _synthetic_mentions(8 * new_docs, rnd, first=n)
    leads = {e.doc_id: f"report {e.doc_id}: {e.sentence}" for e in old + new}
    c0, s0, _ = link(old, leads=leads)
    previous = {e.event_id: (c0[e.event_id], s0[c0[e.event_id]]) for e in old}
    events = old + new
    t0 = time.perf_counter()
    inc_c, inc_s, _ = link_incremental(events, previous, {e.doc_id for e in new}, leads=leads)
    t_inc = time.perf_counter() - t0
    t0 = time.perf_counter()
    full_c, full_s, _ = link(events, leads=leads)
    t_full = time.perf_counter() - t0
    return {"mentions": len(events), "new_reports": new_docs, "incremental_seconds": round(t_inc, 2),
            "full_seconds": round(t_full, 2), "incremental_over_full": round(t_inc / t_full, 3),
            "cluster_differs": sum(inc_c[e] != full_c[e] for e in full_c),
            "story_differs": sum(inc_s[inc_c[e]] != full_s[full_c[e]] for e in full_c),
            "story_report_pairs_f1_vs_full": partition_agreement(
                _report_story(events, inc_c, inc_s), _report_story(events, full_c, full_s))}


def _report_story(events: list, clusters: dict, cluster_story: dict) -> dict:
    """Each report's story: the story of most of its mentions."""
    from collections import Counter, defaultdict

    votes: dict = defaultdict(Counter)
    for e in events:
        votes[e.doc_id][cluster_story[clusters[e.event_id]]] += 1
    return {d: min(v.items(), key=lambda kv: (-kv[1], kv[0]))[0] for d, v in votes.items()}


def partition_agreement(a: dict, b: dict) -> float:
    """Pairwise F1 of partition ``a`` against ``b`` (same items), from the contingency table."""
    from collections import Counter

    pairs = lambda counts: sum(n * (n - 1) // 2 for n in counts.values())  # noqa: E731
    both, in_a, in_b = pairs(Counter((a[k], b[k]) for k in a)), pairs(Counter(a.values())), pairs(Counter(b.values()))
    return round(2 * both / (in_a + in_b), 4) if in_a + in_b else 1.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, help="files per eval task (quick run)")
    ap.add_argument("--repeat", type=int, default=2, help="passes over the examples for the speed run")
    ap.add_argument("--skip-quality", action="store_true")
    ap.add_argument("--scaling", action="store_true",
                    help="only the ingest scaling runs: in process vs --workers 2 at two corpus sizes, peak RSS")
    ap.add_argument("--sizes", default="250,1000", help="corpus sizes of the scaling runs (articles)")
    ap.add_argument("--relink", action="store_true",
                    help="only the relink cost: reading, incremental and full relink at two synthetic store sizes")
    ap.add_argument("--relink-child", nargs=2, metavar=("DB", "MODE"), help=argparse.SUPPRESS)
    ap.add_argument("--profile", action="store_true",
                    help="only the speed profile: every stage in one run, and storyline process - vs bare spaCy")
    a = ap.parse_args()
    if a.relink_child:
        print(json.dumps(relink_child(*a.relink_child)))
        return 0
    machine = f"{platform.node()} · {platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()}"
    print(f"# storyline benchmark — {time.strftime('%Y-%m-%d %H:%M')} — {machine}\n")
    if a.relink:
        print_relink_cost("##")
        return 0
    jsonl = news_jsonl(Path(tempfile.gettempdir()) / "storyline-bench-gwn.jsonl")
    if a.scaling:
        if jsonl:
            sizes = tuple(int(x) for x in a.sizes.split(","))
            print("## Ingest scaling: in process vs `--workers 2`, whole CLI runs, peak RSS\n")
            print("```json\n" + json.dumps(ingest_scaling(jsonl, sizes), indent=1) + "\n```\n")
        return 0
    if jsonl:
        print("## Profile: every stage of `storyline process -` in one run (200 GeoWebNews articles)\n")
        print("```json\n" + json.dumps(profile(jsonl), indent=1) + "\n```\n")
        print("## `storyline process -` vs bare spaCy `nlp.pipe`, whole processes, same model and texts\n")
        print("```json\n" + json.dumps(versus_spacy(jsonl), indent=1) + "\n```\n")
        print("## Parse processes: CPU of this process and of the parse processes, models loaded\n")
        print("```json\n" + json.dumps(overlap(jsonl), indent=1) + "\n```\n")
        print("## Hot spots (cProfile, own time, first 60 articles)\n")
        print("```json\n" + json.dumps(hot_spots(jsonl), indent=1) + "\n```\n")
    if a.profile:
        return 0
    sp = speed([str(ROOT / "examples" / "news")], a.repeat)
    print("## Speed (in-process, examples/news)\n")
    print("```json\n" + json.dumps(sp, indent=1) + "\n```\n")
    corpus = meantime_corpus(Path(tempfile.gettempdir()) / "storyline-bench-meantime")
    if corpus:
        print("## Speed (in-process, 120 MEANTIME Wikinews articles)\n")
        print("```json\n" + json.dumps(speed([str(corpus)], 1), indent=1) + "\n```\n")
        print("## Speed, the same articles with the rules alone (events_decider='rules')\n")
        print("```json\n" + json.dumps(speed([str(corpus)], 1, "rules"), indent=1) + "\n```\n")
        runs = [ingest_speed(corpus, 0), ingest_speed(corpus, 2)]
        runs[1]["ratio_to_in_process"] = round(runs[1]["seconds"] / runs[0]["seconds"], 2)
        print("## Ingest wall time (CLI, new store, 120 articles; model load included)\n")
        print("```json\n" + json.dumps(runs, indent=1) + "\n```\n")
    print("## Read and clean speed (generated 30 MB WARC)\n")
    print("```json\n" + json.dumps(read_speed(), indent=1) + "\n```\n")
    print("### countries: country_code lookups\n")
    print("```json\n" + json.dumps(country_lookup_speed(), indent=1) + "\n```\n")
    print("### link: seconds to relink N synthetic mentions (one run)\n")
    print("```json\n" + json.dumps(link_scale(), indent=1) + "\n```\n")
    print("### link: adding 100 reports to 40,000 linked mentions, incremental vs full (one run)\n")
    print("```json\n" + json.dumps(link_incremental_scale(), indent=1) + "\n```\n")
    print_relink_cost("###")
    if a.skip_quality:
        return 0
    if not BENCH.exists():
        print(f"(quality skipped: {BENCH} is absent)")
        return 0
    print("## Quality (dev splits)\n")
    for task, paths, *extra in EVALS:
        extra = extra[0] if extra else []
        if not all(p.exists() for p in paths):
            print(f"- {task} {paths}: data absent, skipped")
            continue
        t0 = time.perf_counter()
        metrics = run_eval(task, paths, a.limit, extra)
        print(f"### eval {task} {' '.join(p.name for p in paths)} {' '.join(extra)} "
              f"({time.perf_counter() - t0:.0f} s)\n")
        print("```json\n" + json.dumps(metrics, indent=1, default=str) + "\n```\n")
    print("### score_docs.py (events/docs-dev/gold.json)\n")
    print("```json\n" + json.dumps(score_docs(), indent=1) + "\n```")
    return 0


if __name__ == "__main__":
    sys.exit(main())
