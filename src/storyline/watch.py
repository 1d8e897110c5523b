"""watch: keep a store up to date with RSS/Atom feeds and folders (``storyline watch``).

Each source is polled every ``interval`` seconds:

- a feed URL with a conditional GET (``If-None-Match`` / ``If-Modified-Since`` from the last
  answer's ``ETag`` / ``Last-Modified``): an unchanged feed costs one 304 and no parsing;
  the feed is parsed by storyline's own reader (``storyline.read``, lxml), as
  ``storyline ingest feed.xml`` does;
- a folder (or file, or glob) by listing it: files that are new or changed (size,
  modification time) are read.

New items go through ``storyline.ingest.ingest_raws``, the same path as ``ingest``. An error
(network, HTTP status, a feed that does not parse) puts the source on exponential backoff
(``interval · 2^failures``, at most ``max_backoff``) and the other sources go on.

State (validators, the items and files already taken, backoff) is a JSON file next to the
store, ``<db>.watch.json``, written atomically after each ingest. An item is marked taken
only once its ingest committed, and ingest itself skips a document stored with the same
content, so an item is never ingested twice, also across a crash or a restart.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import SourceUnavailable, StoreError
from .ingest import IngestSummary, ingest_raws
from .models import Failure, RawDoc
from .store import DEFAULT_DB

USER_AGENT = "storyline-watch (+https://github.com/storyline)"
SEEN_LIMIT = 20_000  # item keys remembered per feed (a feed shows its last 10–100 items)
TIMEOUT = 30.0


@dataclass
class SourceState:
    """What is known of one source between polls."""

    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0  # consecutive failed polls
    next_poll: float = 0.0  # epoch seconds
    last_error: str | None = None
    seen: list[str] = field(default_factory=list)  # feed item keys already ingested, oldest first
    files: dict[str, list[int]] = field(default_factory=dict)  # path → [size, mtime_ns] ingested


class WatchState:
    """The state of every source, kept in ``<db>.watch.json`` (atomic rewrite)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.sources: dict[str, SourceState] = {}
        if self.path.exists():
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.sources = {k: SourceState(**v) for k, v in data.get("sources", {}).items()}

    def get(self, source: str) -> SourceState:
        return self.sources.setdefault(source, SourceState())

    def save(self) -> None:
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"sources": {k: asdict(v) for k, v in self.sources.items()}}), encoding="utf-8")
        os.replace(tmp, self.path)


def state_path(db: str | Path) -> Path:
    return Path(str(db) + ".watch.json")


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def item_key(raw: RawDoc) -> str:
    """What identifies a feed item across polls: its link, else its content id."""
    return raw.url or raw.id


@dataclass
class Poll:
    """What one poll of one source found."""

    source: str
    raws: list[RawDoc | Failure] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # feed items to mark taken after the ingest
    files: dict[str, list[int]] = field(default_factory=dict)  # files to mark taken
    # the feed answer's ETag / Last-Modified: kept only once its items are in
    validators: dict = field(default_factory=dict)
    not_modified: bool = False


def fetch(url: str, state: SourceState, timeout: float = TIMEOUT) -> tuple[bytes | None, dict]:
    """GET ``url`` conditionally: (body, the answer's validators); body None when the server
    says nothing changed (304)."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, application/xml, "
                                                  "text/xml;q=0.9, */*;q=0.5"}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
            data = response.read()
            etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return None, {}
        raise SourceUnavailable(url, f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceUnavailable(url, f"cannot fetch: {reason}") from None
    return data, {"etag": etag, "last_modified": modified}


def poll_feed(url: str, state: SourceState, timeout: float = TIMEOUT) -> Poll:
    """The items of the feed at ``url`` not taken yet."""
    from .read import read_feed_bytes

    poll = Poll(url)
    data, poll.validators = fetch(url, state, timeout)
    if data is None:
        poll.not_modified = True
        return poll
    seen = set(state.seen)
    items = list(read_feed_bytes(data, url))
    fails = [i for i in items if isinstance(i, Failure)]
    docs = [i for i in items if not isinstance(i, Failure)]
    if fails and not docs:
        raise SourceUnavailable(url, fails[0].message)
    for raw in docs:
        key = item_key(raw)
        if key not in seen and key not in poll.keys:
            poll.raws.append(raw)
            poll.keys.append(key)
    poll.raws.extend(fails)  # bad items are recorded as failures, the good ones go in
    return poll


def poll_files(source: str, state: SourceState) -> Poll:
    """The files under ``source`` (folder, file or glob) that are new or changed."""
    from .read import expand_paths, read_paths

    poll = Poll(source)
    changed = []
    for path in expand_paths([source]):
        try:
            st = os.stat(path)
        except OSError:
            continue
        sig = [st.st_size, st.st_mtime_ns]
        if state.files.get(path) != sig:
            changed.append(path)
            poll.files[path] = sig
    if changed:
        poll.raws = list(read_paths(changed))
    return poll


def _backoff(state: SourceState, interval: float, max_backoff: float) -> float:
    return min(max_backoff, interval * 2 ** state.failures)


@dataclass
class Cycle:
    """What one round over the sources did."""

    polled: list[str] = field(default_factory=list)
    new_items: int = 0
    errors: list[SourceUnavailable] = field(default_factory=list)
    summary: IngestSummary | None = None


def watch_once(sources: Iterable[str], db: str = DEFAULT_DB, interval: float = 300.0,
               max_backoff: float = 3600.0, state: WatchState | None = None, force: bool = False,
               **ingest_options) -> Cycle:
    """Poll every source that is due (all of them with ``force``) and ingest what is new."""
    state = state or WatchState(state_path(db))
    now = time.time()
    cycle = Cycle()
    polls: list[Poll] = []
    for source in sources:
        st = state.get(source)
        if not force and st.next_poll > now:
            continue
        cycle.polled.append(source)
        try:
            poll = poll_feed(source, st) if is_url(source) else poll_files(source, st)
        except SourceUnavailable as exc:
            st.failures += 1
            st.last_error = exc.message
            st.next_poll = now + _backoff(st, interval, max_backoff)
            cycle.errors.append(exc)
            continue
        polls.append(poll)
    raws = [r for poll in polls for r in poll.raws]
    if raws:
        try:
            cycle.summary = ingest_raws(raws, db=db, **ingest_options)
        except StoreError as exc:  # e.g. a `storyline ingest` holds the store: next round
            cycle.errors.append(SourceUnavailable(db, f"{exc} (retrying at the next poll)"))
            for poll in polls:
                state.get(poll.source).next_poll = now + interval
            state.save()
            return cycle
    for poll in polls:  # the items are in: remember them, and the validators
        st = state.get(poll.source)
        st.failures, st.last_error, st.next_poll = 0, None, now + interval
        if poll.validators:
            st.etag, st.last_modified = poll.validators["etag"], poll.validators["last_modified"]
        st.seen = (st.seen + poll.keys)[-SEEN_LIMIT:]
        st.files.update(poll.files)
        cycle.new_items += len(poll.keys) + len(poll.files)
    state.save()
    return cycle


def watch(sources: list[str], db: str = DEFAULT_DB, interval: float = 300.0, max_backoff: float = 3600.0,
          stop: threading.Event | None = None, report: Callable[[Cycle], None] | None = None,
          **ingest_options) -> None:
    """Poll ``sources`` until ``stop`` is set (or forever), ingesting new items as they come.

    State is saved after every round, so a restarted watch goes on where it stopped.
    """
    stop = stop or threading.Event()
    state = WatchState(state_path(db))
    first = True
    while not stop.is_set():
        cycle = watch_once(sources, db, interval, max_backoff, state, force=first, **ingest_options)
        first = False
        if report and (cycle.polled or cycle.errors):
            report(cycle)
        due = min((state.get(s).next_poll for s in sources), default=time.time() + interval)
        stop.wait(max(0.05, due - time.time()))


def describe(cycle: Cycle) -> str:
    """One line per round, as the CLI prints it."""
    when = dt.datetime.now().strftime("%H:%M:%S")
    line = f"{when} polled {len(cycle.polled)} source{'s' if len(cycle.polled) != 1 else ''}: {cycle.new_items} new"
    if cycle.summary is not None:
        line += f"; {cycle.summary.line()}"
    return line
