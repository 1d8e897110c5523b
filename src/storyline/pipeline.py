"""The pipeline: read → clean → dedup → annotate → time → places → actors → events.

Library first: ``process_text`` and ``process_docs`` are what the CLI, the store and the
Dask workers call. Each stage is a plain function in its own module; this module only
wires them together and turns a stage's exception into a recorded error so that one bad
document never stops a batch.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
import os
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import annotate as annotate_stage
from .identity import content_hash, doc_id as text_id
from .errors import ConfigError, InputError, TooLargeDocument
from .models import CleanDoc, DocResult, Failure, RawDoc

log = logging.getLogger(__name__)

BATCH_SIZE = 16
ENGLISH = {"en", None}
# characters of cleaned text one document may have (spaCy's own max_length; a news article
# is a few thousand): longer input is recorded as a failure, not parsed
MAX_CHARS = 1_000_000
# an inferred publication date weaker than this (a bare year mentioned in the text) is not
# used: anchoring "on Tuesday" to January 1st of that year would date events wrongly
MIN_INFERRED_CONFIDENCE = 0.15  # measured on ECB+ dev (eval link): clusters F1 0.33 -> 0.46


@dataclass
class Options:
    """Pipeline settings (one list, like datasette's settings)."""

    batch_size: int = BATCH_SIZE
    # publication date to use for documents that carry none
    published: dt.date | None = None
    # seconds spent per stage, filled in when given (the benchmark script reads it)
    timings: Counter | None = None
    # doc id → publication dates of other documents on the same event, with weights in
    # [0, 1]: hints for inferring the date of a document that has none
    published_hints: dict[str, list[tuple[dt.date, float]]] | None = None
    # who decides which rule candidates are events: "model" (the trained event model),
    # "rules" (the hand-written filter alone) or "candidates" (all, for training)
    events_decider: str = "model"
    # who decides each event's modality: "model" (the trained modality classifier over the
    # rule cues, docs/EVENTS.md) or "rules" (the cue rules alone)
    modality_decider: str = "model"
    # processes that run the spaCy parse while this one runs the stages (``process_docs``):
    # 1 parses in this process; 0 means one per CPU this process may use, at most 2; None:
    # $STORYLINE_PARSE_PROCESSES, else 1 (``resolve_parse_processes``)
    parse_processes: int | None = None


PARSE_PROCESSES_ENV = "STORYLINE_PARSE_PROCESSES"


def resolve_parse_processes(value: int | None, default: int = 1) -> int:
    """The number of parse processes for a setting: the value, else the environment's
    ``STORYLINE_PARSE_PROCESSES``, else ``default``; 0 (or ``auto``) means one per usable CPU,
    at most 2 (on two cores a third parse process only competes with the stages)."""
    if value is None:
        raw = os.environ.get(PARSE_PROCESSES_ENV, "").strip().lower()
        if not raw:
            value = default
        elif raw == "auto":
            value = 0
        else:
            try:
                value = int(raw)
            except ValueError:
                raise ConfigError(f"{PARSE_PROCESSES_ENV}={raw!r}: give a whole number of processes, or 'auto'") from None
    if value < 0:
        raise ConfigError(f"parse processes: {value}; give 1 or more, or 0 for one per CPU")
    if value == 0:
        value = min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    return value


def parse_date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def clean_docs(raws: Iterable[RawDoc | Failure]) -> Iterator[CleanDoc | Failure]:
    """Clean each document, turning a read or clean error into a ``Failure``."""
    from .clean import clean

    for raw in raws:
        if isinstance(raw, Failure):
            yield raw
            continue
        try:
            yield clean(raw)
        except InputError as exc:
            yield Failure(raw.source or raw.id, "clean", getattr(exc, "code", "input"), exc.message)
        except Exception as exc:  # a bug in a stage must not stop the batch
            log.exception("clean failed on %s", raw.source)
            yield Failure(raw.source or raw.id, "clean", type(exc).__name__, str(exc)[:500])


def _stage(result: DocResult, stage: str, func, *args, default=None, timings: Counter | None = None):
    """Run one stage; on an exception record it in ``result.errors`` and go on."""
    t0 = time.perf_counter()
    try:
        return func(*args)
    except Exception as exc:  # noqa: BLE001 - recorded, not swallowed
        log.exception("stage %s failed on %s", stage, result.doc_id)
        result.errors.append({"stage": stage, "error": type(exc).__name__, "message": str(exc)[:500]})
        return default
    finally:
        if timings is not None:
            timings[stage] += time.perf_counter() - t0


def analyse(clean: CleanDoc, doc, timings: Counter | None = None,
            hints: list[tuple[dt.date, float]] | None = None, decide: str = "model",
            modality: str = "model") -> DocResult:
    """Run the per-document stages on an annotated document."""
    from .actors import extract_actors
    from .events import extract_events
    from .places import extract_places
    from .time import extract_timexes, infer_published

    published, inferred = clean.published, False
    result = _result(clean)
    result.entities = annotate_stage.entities(doc)
    result.sentences = annotate_stage.sentences(doc)
    if published is None:
        guess = _stage(result, "time", infer_published, doc, hints, timings=timings)
        if guess is not None and guess[1] >= MIN_INFERRED_CONFIDENCE:
            published, inferred = guess[0], True
            result.published, result.published_inferred = published, True
            result.published_source = "inferred_with_hints" if hints else "inferred"
            result.published_confidence = round(guess[1], 3)
    result.timexes = _stage(result, "time", extract_timexes, doc, published, default=[], timings=timings)
    result.places = _stage(result, "places", extract_places, doc, None, True, clean.url, default=[], timings=timings)
    result.actors = _stage(result, "actors", extract_actors, doc, result.places, published, default=[], timings=timings)
    result.events = _stage(
        result, "events", extract_events, doc, clean.id, published,
        result.timexes, result.places, result.actors, decide, modality, default=[], timings=timings,
    )
    return result


def skipped(clean: CleanDoc, reason: dict) -> DocResult:
    """A document kept in the record but not sent to the English coder."""
    result = _result(clean)
    result.errors.append(reason)
    return result


def _result(clean: CleanDoc) -> DocResult:
    """A document's record before analysis: its text and the metadata cleaning found."""
    return DocResult(
        doc_id=clean.id, title=clean.title, published=clean.published, published_inferred=False,
        text=clean.text, url=clean.url, source=clean.source, language=clean.language,
        duplicate_of=clean.duplicate_of, content_hash=clean.content_hash or content_hash(clean.text),
        author=clean.byline, dateline=clean.dateline,
        published_source=clean.published_source if clean.published else None,
        published_confidence=clean.published_confidence if clean.published else None,
    )


def check_size(clean: CleanDoc) -> None:
    """Raise :class:`TooLargeDocument` for more text than the parser takes."""
    if len(clean.text) > MAX_CHARS:
        name = clean.source or clean.id
        raise TooLargeDocument(name, f"{name}: {len(clean.text):,} characters of text; the limit is "
                                     f"{MAX_CHARS:,} (one article is a few thousand): split it into articles")


def _triage(c: CleanDoc, options: Options) -> DocResult | Failure | None:
    """What a cleaned document gets without a parse (a failure, or a record kept but not
    coded), or None when it goes to the parser."""
    if c.published is None and options.published is not None:
        c.published, c.published_source = options.published, "given"
    try:
        check_size(c)
    except TooLargeDocument as exc:
        return Failure(exc.doc, "clean", exc.code, exc.message)
    if c.language not in ENGLISH:
        return skipped(c, {"stage": "annotate", "error": "non_english",
                           "message": f"{c.source}: language '{c.language}' is not English; kept, not coded"})
    if c.duplicate_of:
        return skipped(c, {"stage": "dedup", "error": "duplicate",
                           "message": f"near-duplicate of {c.duplicate_of}; events come from that document"})
    return None


def process_clean(cleans: list[CleanDoc], options: Options | None = None) -> list[DocResult | Failure]:
    """Annotate a batch of cleaned documents with ``nlp.pipe`` and run the stages.

    A document too large to parse comes back as a :class:`Failure` in its place.
    """
    options = options or Options()
    out: list[DocResult | Failure | None] = [_triage(c, options) for c in cleans]
    todo = [i for i, o in enumerate(out) if o is None]
    t0 = time.perf_counter()
    docs = list(annotate_stage.annotate([cleans[i].text for i in todo], batch_size=options.batch_size))
    if options.timings is not None:
        options.timings["annotate"] += time.perf_counter() - t0
    for i, doc in zip(todo, docs):
        hints = (options.published_hints or {}).get(cleans[i].id)
        out[i] = analyse(cleans[i], doc, options.timings, hints, options.events_decider, options.modality_decider)
    return [r for r in out if r is not None]


def process_docs(raws: Iterable[RawDoc | Failure], options: Options | None = None,
                 dedup: bool = True) -> Iterator[DocResult | Failure]:
    """Stream results in input order; failures are yielded, never raised.

    One ``nlp.pipe`` runs over the whole stream, so that with ``options.parse_processes``
    above 1 the parse runs in that many child processes while this one runs the stages on
    the documents already parsed (docs/ARCHITECTURE.md, "Parse processes").
    """
    from .dedup import Deduplicator

    options = options or Options()
    dedupe = Deduplicator() if dedup else None
    # every item in input order, from the moment it is read until it is yielded: a
    # ``CleanDoc`` waits for its parse, anything else is ready
    pending: deque[CleanDoc | DocResult | Failure] = deque()

    def texts() -> Iterator[str]:
        for item in clean_docs(raws):
            if isinstance(item, Failure):
                pending.append(item)
                continue
            if dedupe is not None:
                item.duplicate_of = dedupe.add(item.id, item.text, item.title)
            done = _triage(item, options)
            pending.append(done if done is not None else item)
            if done is None:
                yield item.text

    def ready() -> Iterator[DocResult | Failure]:
        while pending and not isinstance(pending[0], CleanDoc):
            yield pending.popleft()

    timings = options.timings
    docs = annotate_stage.annotate(texts(), batch_size=options.batch_size,
                                   n_process=resolve_parse_processes(options.parse_processes))
    while True:
        t0 = time.perf_counter()
        doc = next(docs, None)
        if timings is not None:
            timings["annotate"] += time.perf_counter() - t0
        yield from ready()
        if doc is None:
            break
        clean = pending.popleft()
        hints = (options.published_hints or {}).get(clean.id)
        yield analyse(clean, doc, timings, hints, options.events_decider, options.modality_decider)


def process_paths(paths: Iterable[str], published: str | dt.date | None = None,
                  options: Options | None = None) -> Iterator[DocResult | Failure]:
    """Read, clean and analyse every document under ``paths``."""
    from .read import read_paths

    options = options or Options()
    pub = parse_date(published)
    if pub is not None:
        options.published = pub
    yield from process_docs(read_paths(list(paths), published=pub), options)


WARM_UP_TEXT = ("date 2026-03-02 The foreign ministers of Peru and Chile met in Lima on Monday to discuss "
                "a trade agreement, officials said.")


def warm_up() -> None:
    """Load every model and lexicon the stages use (spaCy, gazetteer, event model, language
    identifier) now, by analysing a made-up text: what a Dask worker does when it starts, so
    that no task pays for it."""
    process_text(WARM_UP_TEXT)


def process_text(text: str, published: str | dt.date | None = None, doc_id: str | None = None,
                 title: str | None = None, url: str | None = None) -> DocResult:
    """Analyse one text; raises :class:`storyline.errors.InputError` if it is unusable."""
    from .clean import clean

    pub = parse_date(published)
    raw = RawDoc(id=doc_id or text_id(text), source=doc_id or "<text>", text=text,
                 url=url, published=pub, title=title, id_given=doc_id is not None)
    cleaned = clean(raw)
    check_size(cleaned)
    if cleaned.published is None and pub is not None:
        cleaned.published, cleaned.published_source = pub, "given"
    return process_clean([cleaned])[0]
