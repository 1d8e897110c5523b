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

from .dedup import Deduplicator, content_hash
from .models import CleanDoc, DocResult, Failure, RawDoc
from .pipeline import Options, clean_docs, parse_date, process_clean
from .store import DEFAULT_DB, StoreWriter

# document notes that also go to the failures table: the document is kept (with its
# language) but nothing was coded from it, and the user must be told
RECORDED = {"non_english"}


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

    def line(self) -> str:
        hinted = f", {self.dated_by_hints} undated dated from related reports" if self.dated_by_hints else ""
        return (f"{self.read} documents read: {self.processed} processed, {self.unchanged} unchanged, "
                f"{self.duplicates} near-duplicates, {self.failed} failed{hinted}; store has {self.events} "
                f"events in {self.clusters} clusters and {self.stories} stories")


def raw_hash(raw: RawDoc) -> str:
    return content_hash((raw.text or "") + "\x00" + (raw.html or "") + "\x00" + str(raw.published or ""))


@contextmanager
def _executor(workers: int | None, scheduler: str | None):
    """Yield a function that maps a batch to results: in-process or on Dask."""
    scheduler = scheduler or os.environ.get("STORYLINE_SCHEDULER") or None
    if not workers and not scheduler:
        yield None
        return
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    try:
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
           batch_size: int = 16, progress: Callable[[IngestSummary], None] | None = None) -> IngestSummary:
    """Read ``paths`` into the store at ``db``; idempotent and resumable."""
    from .read import read_paths

    options = Options(batch_size=batch_size, published=parse_date(published))
    summary = IngestSummary()
    writer = StoreWriter(db)
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
        cleaned = clean_docs(fresh(read_paths(list(paths), published=options.published)))

        def with_dedup(items):
            for item in items:
                if not isinstance(item, Failure):
                    item.duplicate_of = dedup.add(item.id, item.text)
                yield item

        with _executor(workers, scheduler) as client:
            pending: deque = deque()
            limit = 2 * (workers or 2)

            def flush(entry) -> None:
                docs, fails, future = entry
                results = future.result() if client is not None else future
                results, extra = _split(results)
                fails = fails + extra + [Failure(r.source or r.doc_id, e["stage"], e["error"], e["message"])
                                         for r in results for e in r.errors if e.get("error") in RECORDED]
                writer.write_batch([(r, hashes.get(r.doc_id, "")) for r in results], fails)
                summary.processed += sum(1 for r in results if not r.duplicate_of)
                summary.duplicates += sum(1 for r in results if r.duplicate_of)
                summary.failed += len(fails)
                summary.failures.extend(fails)
                if progress:
                    progress(summary)

            for docs, fails in _batches(with_dedup(cleaned), batch_size):
                if client is not None:
                    pending.append((docs, fails, client.submit(process_clean, docs, options, pure=False)))
                    while len(pending) >= limit:
                        flush(pending.popleft())
                else:
                    flush((docs, fails, _safe_process(docs, options)))
            while pending:
                flush(pending.popleft())
        summary.dated_by_hints = date_from_related(writer, options)
        stats = writer.relink()
        summary.events, summary.clusters, summary.stories = stats["events"], stats["clusters"], stats["stories"]
    finally:
        writer.close()
    return summary


def date_from_related(writer: StoreWriter, options: Options) -> int:
    """Give undated documents a publication date from the documents on the same story.

    A document with no date of its own (no header, metadata or dateline, and nothing in
    its text to infer one) is analysed again with hints: the publication dates of the
    stored documents sharing at least two named people, organisations or places of
    interest with it. Its relative dates ("on Friday") then resolve against that date,
    flagged ``published_source = "inferred_with_hints"``. Returns how many got a date.
    """
    from dataclasses import replace

    from .store.query import publication_hints, undated_documents

    dated = 0
    for row in undated_documents(writer.con):
        hints = publication_hints(writer.con, row["doc_id"])
        if not hints:
            continue
        clean = CleanDoc(id=row["doc_id"], source=row["source"], text=row["text"], title=row["title"],
                         byline=row["author"], dateline=row["dateline"], url=row["url"],
                         language=row["language"], content_hash=row["content_hash"])
        results, fails = _split(_safe_process([clean], replace(options, published_hints={clean.id: hints})))
        if results and results[0].published is not None:
            writer.write_batch([(results[0], row["raw_hash"])], fails)
            dated += 1
    return dated


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
