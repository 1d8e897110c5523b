"""ingest: read documents into the store, in batches, optionally on a Dask cluster.

The scheduler is chosen like dask does: explicitly (``scheduler=`` address or
``workers=N`` for a local cluster) → the ``STORYLINE_SCHEDULER`` environment setting →
in-process. Workers run the same pipeline functions; this process is the store's only
writer and writes batches in input order, so a run's result does not depend on which
worker finishes first.
"""
from __future__ import annotations

import datetime as dt
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .dedup import Deduplicator
from .errors import NotFound, StoreError
from .identity import content_hash
from .models import Actor, CleanDoc, DocResult, Failure, RawDoc
from .pipeline import Options, clean_docs, parse_date, process_clean
from .store import DEFAULT_DB, StoreWriter

# document notes that also go to the failures table: the document is kept (with its
# language) but nothing was coded from it, and the user must be told
RECORDED = {"non_english"}
# seconds between the snapshots readers see while an ingest writes (at least; see store.snapshot)
PUBLISH_EVERY = 2.0


@dataclass
class IngestSummary:
    read: int = 0
    processed: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failed: int = 0
    events: int = 0
    clusters: int = 0
    stories: int = 0
    dated_by_hints: int = 0
    failures: list[Failure] = field(default_factory=list)

    def counts(self) -> str:
        """The document counts: the progress line, and the start of the final summary."""
        return (f"{self.read} documents read: {self.processed} processed, {self.unchanged} unchanged, "
                f"{self.duplicates} near-duplicates, {self.failed} failed")

    def line(self) -> str:
        hinted = f", {self.dated_by_hints} undated dated from related reports" if self.dated_by_hints else ""
        return (f"{self.counts()}{hinted}; store has {self.events} "
                f"events in {self.clusters} clusters and {self.stories} stories")


def raw_hash(raw: RawDoc) -> str:
    return content_hash((raw.text or "") + "\x00" + (raw.html or "") + "\x00" + str(raw.published or ""))


class WarmUp:
    """Dask worker plugin: each worker loads the models once, as it starts (not in a task).

    Registered with ``Client.register_plugin``; ``setup`` runs on every worker, also on one
    that joins the cluster later.
    """

    name = "storyline-warm-up"
    idempotent = True

    def setup(self, worker) -> None:
        from .pipeline import warm_up

        warm_up()

    def teardown(self, worker) -> None:
        pass

    def transition(self, key, start, finish, **kwargs) -> None:
        pass


def _local_cluster(workers: int):
    """A local cluster of ``workers`` processes, each loading the models once as it starts.

    Workers are spawned, not forked: this process runs threads (Dask's event loop, BLAS) by
    the time they start, and a child forked from a threaded process can hang on a lock one of
    those threads held (it did, in the test suite).
    """
    from distributed import LocalCluster

    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                        dashboard_address=None, silence_logs=40)


@contextmanager
def _executor(workers: int | None, scheduler: str | None):
    """Yield a Dask client whose workers have their models loaded, or None (in process)."""
    scheduler = scheduler or os.environ.get("STORYLINE_SCHEDULER") or None
    if not workers and not scheduler:
        yield None
        return
    from distributed import Client
    from distributed.diagnostics.plugin import WorkerPlugin

    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = _local_cluster(workers)
        client = Client(cluster)
    try:
        client.register_plugin(type("StorylineWarmUp", (WarmUp, WorkerPlugin), {})())
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _batches(items: Iterator[CleanDoc | Failure], size: int) -> Iterator[tuple[list[CleanDoc], list[Failure]]]:
    docs, fails = [], []
    for item in items:
        (fails if isinstance(item, Failure) else docs).append(item)
        if len(docs) >= size:
            yield docs, fails
            docs, fails = [], []
    if docs or fails:
        yield docs, fails


def ingest(paths: Iterable[str], db: str = DEFAULT_DB, workers: int | None = None,
           scheduler: str | None = None, published: str | dt.date | None = None,
           batch_size: int = 16, progress: Callable[[IngestSummary], None] | None = None,
           publish_every: float = PUBLISH_EVERY, full_relink: bool = False) -> IngestSummary:
    """Read ``paths`` into the store at ``db``; idempotent and resumable.

    Readers see the store through snapshots the writer publishes at most every
    ``publish_every`` seconds (and less often as the file grows; ``store.snapshot``).
    Linking is redone around the new documents only, or over the whole store with
    ``full_relink``."""
    from .read import missing_paths, read_paths

    paths = list(paths)
    missing = missing_paths(paths)
    if missing and len(missing) == len(paths):
        # nothing to read: say so before a store is created for nothing
        raise NotFound(missing[0], "no such file or folder" + (f" (nor {', '.join(missing[1:])})" if missing[1:] else ""))
    day = parse_date(published)
    return ingest_raws(read_paths(paths, published=day), db=db, workers=workers, scheduler=scheduler,
                       published=day, batch_size=batch_size, progress=progress, publish_every=publish_every,
                       full_relink=full_relink)


def ingest_raws(raws: Iterable[RawDoc | Failure], db: str = DEFAULT_DB, workers: int | None = None,
                scheduler: str | None = None, published: str | dt.date | None = None,
                batch_size: int = 16, progress: Callable[[IngestSummary], None] | None = None,
                publish_every: float = PUBLISH_EVERY, full_relink: bool = False) -> IngestSummary:
    """Read documents already read (files, a fetched feed) into the store at ``db``.

    What ``ingest`` does after reading its paths, and what ``storyline watch`` calls with
    each poll's new items; the same idempotence (a document stored with the same raw
    content is skipped).
    """
    options = Options(batch_size=batch_size, published=parse_date(published))
    summary = IngestSummary()
    writer = StoreWriter(db, publish_every=publish_every)
    changed: set[str] = set()  # documents written: linking is redone around them
    try:
        known = writer.known()
        hashes: dict[str, str] = {}

        def fresh(raws: Iterable[RawDoc | Failure]) -> Iterator[RawDoc | Failure]:
            for raw in raws:
                if isinstance(raw, Failure):
                    yield raw
                    continue
                summary.read += 1
                h = raw_hash(raw)
                if known.get(raw.id) == h or hashes.get(raw.id) == h:
                    summary.unchanged += 1
                    continue
                if raw.id in known:
                    dedup.forget(raw.id)
                hashes[raw.id] = h
                yield raw

        dedup = Deduplicator()
        writer.seed(dedup)
        cleaned = clean_docs(fresh(raws))

        def with_dedup(items):
            for item in items:
                if not isinstance(item, Failure):
                    item.duplicate_of = dedup.add(item.id, item.text, item.title)
                yield item

        with _executor(workers, scheduler) as client:
            pending: deque = deque()
            # batches in flight: each worker has one running and two queued, so none waits while
            # this process writes a finished batch (written in input order as it completes)
            limit = 3 * max(1, workers or len(client.scheduler_info().get("workers", {}))) if client else 1

            def flush(entry) -> None:
                docs, fails, future = entry
                results = future.result() if client is not None else future
                results, extra = _split(results)
                fails = fails + extra + [Failure(r.source or r.doc_id, e["stage"], e["error"], e["message"])
                                         for r in results for e in r.errors if e.get("error") in RECORDED]
                writer.write_batch([(r, hashes.get(r.doc_id, "")) for r in results], fails)
                changed.update(r.doc_id for r in results)
                # a document kept but not coded (not English) counts as failed only
                kept = [r for r in results if not any(e.get("error") in RECORDED for e in r.errors)]
                summary.processed += sum(1 for r in kept if not r.duplicate_of)
                summary.duplicates += sum(1 for r in kept if r.duplicate_of)
                summary.failed += len(fails)
                summary.failures.extend(fails)
                if progress:
                    progress(summary)

            for docs, fails in _batches(with_dedup(cleaned), batch_size):
                if client is not None:
                    pending.append((docs, fails, client.submit(_safe_process, docs, options, pure=False)))
                    while len(pending) >= limit:
                        flush(pending.popleft())
                else:
                    flush((docs, fails, _safe_process(docs, options)))
            while pending:
                flush(pending.popleft())
            # on the workers too, so that this process never loads the models
            summary.dated_by_hints = date_from_related(writer, options, client, changed)
        stats = relink(writer, None if full_relink else changed)
        summary.events, summary.clusters, summary.stories = stats["events"], stats["clusters"], stats["stories"]
        if progress:
            progress(summary)  # the last progress line shows the final counts
    finally:
        writer.close()
    return summary


def date_from_related(writer: StoreWriter, options: Options, client=None, changed: set[str] | None = None) -> int:
    """Give undated documents a publication date from the documents on the same story.

    A document with no date of its own (no header, metadata or dateline, and nothing in
    its text to infer one) is analysed again with hints: the publication dates of the
    stored documents sharing at least two named people, organisations or places of
    interest with it. Its relative dates ("on Friday") then resolve against that date,
    flagged ``published_source = "inferred_with_hints"``. Each undated document is tried
    once, in the ingest that brought it (a rerun after a crash tries what was left);
    returns how many got a date (their ids are added to ``changed``). With a Dask ``client``
    the analysis runs on a worker.
    """
    from dataclasses import replace

    from .store.query import undated_documents

    dated, tried, jobs = 0, [], []
    for row in undated_documents(writer.con):
        tried.append(row["doc_id"])
        hints = publication_hints(writer, row["doc_id"])
        if not hints:
            continue
        clean = CleanDoc(id=row["doc_id"], source=row["source"], text=row["text"], title=row["title"],
                         byline=row["author"], dateline=row["dateline"], url=row["url"],
                         language=row["language"], content_hash=row["content_hash"])
        hinted = replace(options, published_hints={clean.id: hints})
        # every document's analysis is submitted before the first is awaited: all workers busy
        jobs.append((row, client.submit(_safe_process, [clean], hinted, pure=False) if client else ([clean], hinted)))
    for row, job in jobs:
        done = job.result() if client else _safe_process(*job)
        results, fails = _split(done)
        if results and results[0].published is not None:
            writer.write_batch([(results[0], row["raw_hash"])], fails)
            dated += 1
            if changed is not None:
                changed.add(row["doc_id"])
    writer.mark_related_checked(tried)
    return dated


def publication_hints(writer: StoreWriter, doc_id: str, limit: int = 5) -> list[tuple[dt.date, float]]:
    """Publication dates of the documents sharing the most named people, organisations and
    facilities with ``doc_id``, each with a weight in [0, 1].

    Generic bodies ("the Navy", "the Indian Navy", "police") do not count: every story
    about a country's navy names them.
    """
    from .store.query import HINT_MIN_SHARED, shared_entities

    scored = []
    for other, published, names in shared_entities(writer.con, doc_id):
        shared = sum(not generic_name(n) for n in names)
        if shared >= HINT_MIN_SHARED:
            scored.append((-shared, other, published))
    scored.sort()
    return [(published, min(1.0, -neg / 5)) for neg, _, published in scored[:limit]]


def generic_name(name: str) -> bool:
    """An entity name that identifies no story: a national body made of country words and
    an agent noun ("the Indian Navy", "Navy", "police")."""
    from .actors.lexicon import lookup
    from .countries import country_code

    words = [w for w in name.lower().split() if w not in ("the", "'s")]
    rest = [w for w in words if country_code(w) is None]
    return not rest or lookup(" ".join(rest)) is not None


def link_events(writer: StoreWriter) -> tuple[list, dict[str, str]]:
    """The store's events as linking reads them (``LinkEvent``), with the actors merged across
    documents, and that merge (actor id → canonical id, written back with the links)."""
    import json

    from .actors import merge_across_documents
    from .link import LinkEvent, weak_date

    actor_rows = writer.actor_rows()
    per_doc: dict[str, list[Actor]] = {}
    for doc_id, aid, name, country, agent, role, kind, aliases in actor_rows:
        per_doc.setdefault(doc_id, []).append(Actor(id=aid, name=name, country=country, agent=agent, role=role,
                                                    kind=kind, aliases=json.loads(aliases or "[]")))
    canonical = merge_across_documents(list(per_doc.values())) if per_doc else {}
    # only a named actor identifies a story across reports: a state is already its country,
    # and "a diplomat", "officials" or "the embassy" are in every report of a kind
    named = {aid for _, aid, name, _, _, _, kind, _ in actor_rows if kind != "state" and not generic_name(name)}
    persons = {aid: name for _, aid, name, _, _, _, kind, _ in actor_rows if kind == "person" and aid in named}

    def actor(aid: str | None) -> str | None:
        return canonical.get(aid, aid) if aid in named else None

    def person(aid: str | None) -> str | None:
        return canonical.get(aid, aid) if aid in persons else None

    events = [
        LinkEvent(event_id=r[0], doc_id=r[1], type=r[2], mode=r[3], source_country=r[4], target_country=r[5],
                  date=r[6], date_end=r[7], source_actor=actor(r[8]),
                  target_actor=actor(r[9]), source_person=person(r[8]), target_person=person(r[9]),
                  location=_place_key(r[10], r[11]),
                  people=tuple(persons[a] for a in (r[8], r[9]) if a in persons),
                  modality=r[12], date_precision=r[13], trigger=r[14], sentence=r[15], lat=r[16], lon=r[17],
                  date_weak=weak_date(r[6], r[13], r[18], r[19]))
        for r in writer.event_rows()
    ]
    return events, canonical


def relink_store(db: str = DEFAULT_DB, full: bool = False) -> dict[str, int]:
    """``storyline link``: link the store again — the whole of it with ``full``, otherwise
    around the documents whose events were never linked (an ingest stopped before its link)."""
    if not Path(db).exists():
        raise StoreError(f"{db}: no such store (run `storyline ingest PATH --db {db}` first)")
    writer = StoreWriter(db)
    try:
        if full:
            return relink(writer, None)
        linked = {eid for eid, _, _ in writer.link_rows()}
        return relink(writer, {r[1] for r in writer.event_rows() if r[0] not in linked})
    finally:
        writer.close()


def document_leads(writer: StoreWriter) -> dict[str, str]:
    """doc_id → its title and first paragraphs, for story detection (``link.LEAD_CHARS``)."""
    from .link import LEAD_CHARS

    out = {}
    for doc_id, title, lead in writer.document_leads(LEAD_CHARS):
        lead, title = lead or "", (title or "").strip()
        out[doc_id] = lead if not title or lead.startswith(title) else f"{title}\n\n{lead}"
    return out


def relink(writer: StoreWriter, changed: set[str] | None = None) -> dict[str, int]:
    """Merge actors across documents and recompute event clusters and stories over the store.

    ``changed``: the documents written since the last relink; only their neighbourhood is
    linked again (``link.link_incremental``). None: a full relink of the whole store.
    Orchestration, not storage: the store hands over its rows and takes the result.
    """
    from .link import link, link_incremental

    events, canonical = link_events(writer)
    leads = document_leads(writer)
    if changed is None:
        clusters, cluster_story, stories = link(events, leads=leads)
    else:
        previous = {eid: (c, s) for eid, c, s in writer.link_rows()}
        clusters, cluster_story, stories = link_incremental(events, previous, changed, leads=leads)
    writer.write_links(canonical, clusters, cluster_story, [
        {"story_id": s.story_id, "title": s.title, "first_date": s.first_date, "last_date": s.last_date,
         "n_events": s.n_events, "n_docs": s.n_docs, "n_clusters": len(s.clusters)} for s in stories])
    return {"events": len(events), "clusters": len(set(clusters.values())), "stories": len(stories)}


def _place_key(name: str | None, country: str | None) -> str | None:
    """A place precise enough to identify an undated event: a city or base, not a country."""
    from .countries import country_code

    if not name or country_code(name):
        return None
    return f"{name.lower()}|{country or ''}"


def _safe_process(docs: list[CleanDoc], options: Options) -> list[DocResult | Failure]:
    """Process a batch; if the batch as a whole fails, retry document by document."""
    try:
        return process_clean(docs, options)
    except Exception:  # noqa: BLE001
        out: list[DocResult | Failure] = []
        for d in docs:
            try:
                out.extend(process_clean([d], options))
            except Exception as exc:  # noqa: BLE001
                out.append(Failure(d.source or d.id, "annotate", type(exc).__name__, str(exc)[:500]))
        return out


def _split(results: list) -> tuple[list[DocResult], list[Failure]]:
    ok = [r for r in results if isinstance(r, DocResult)]
    bad = [r for r in results if isinstance(r, Failure)]
    return ok, bad
