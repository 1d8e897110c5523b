"""The HTTP API and web UI of ``storyline serve`` (Starlette app, uvicorn server).

The server reads the newest read-only snapshot the writer publishes
(``storyline.store.snapshot``), never the file an ingest writes: requests are answered
while an ingest runs, with data at most a few seconds old, and ``/api/health`` and
``/api/updates`` say how old. Every query is parameterised; every error is a JSON body
``{"error": {"status", "message"}}`` that names no local path.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import filters as F
from ..errors import StoreError
from ..store import connect, query, snapshot
from ..store.schema import SCHEMA_VERSION
from ..tables import modality_history
from .openapi import openapi_spec

EVENT_PARAMS = F.EVENT_PARAMS
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
STORIES_LIMIT = 1000  # stories per answer by default: the largest ones
STORY_EVENTS_LIMIT = 100  # events of a story's timeline per answer by default (its first ones), as /api/events
NETWORK_LIMIT = query.NETWORK_LIMIT  # edges (and nodes) of a network answer: the busiest ones
ANSWERS_BYTES = 64 * 2**20  # answers kept per snapshot generation (``Answers``)

# the page loads only its own script, style and data: no inline code, nothing from elsewhere
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CSP.encode()),
]


class ApiError(HTTPException):
    """An error answered as JSON with its status code."""


def _clean(value: Any) -> Any:
    """JSON-safe copy: dates as ISO text, NaN as null, Decimals as floats."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _plain(value: Any) -> Any:
    """``json.dumps``'s hook for the store values it does not know (dates, Decimals)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def render_json(content: Any) -> bytes:
    """The JSON body of ``content``, as ``_clean`` then ``json.dumps`` would write it: dates
    and Decimals are converted as the encoder meets them, and only an answer holding a
    non-finite float (rare) takes the slower copy through ``_clean`` (a million-event
    store's answers are large: the copy was most of a story timeline's time)."""
    try:
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_plain)
    except ValueError:
        text = json.dumps(_clean(content), ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


class JSON(JSONResponse):
    """JSON response that accepts store values (dates, NaN) and keeps non-ASCII text."""

    def render(self, content: Any) -> bytes:
        return render_json(content)


def _error(status: int, message: str) -> JSON:
    return JSON({"error": {"status": status, "message": message}}, status_code=status)


class SecurityHeaders:
    """Adds CSP and friends to every response (pure ASGI, so streaming files stay cheap)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


# ---------------------------------------------------------------- parameters

def _check_params(request: Request, allowed: tuple[str, ...]) -> None:
    """Unknown query parameters are a 400: a typo must not silently widen a query."""
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        allowed_text = ", ".join(allowed) if allowed else "none"
        raise ApiError(400, f"unknown parameter(s): {', '.join(unknown)} (allowed: {allowed_text})")


def _checked(check, *args, **kwargs):
    """A value checked by ``storyline.filters`` (as the CLI checks it); a bad one is a 400."""
    try:
        return check(*args, **kwargs)
    except F.FilterError as exc:
        raise ApiError(400, str(exc)) from None


def _int_param(request: Request, name: str, default: int, lo: int, hi: int) -> int:
    return _checked(F.limit, request.query_params.get(name), default, lo, hi, name=name)


def event_filters(request: Request) -> dict[str, str]:
    """Validated event filters from the query string (values only; SQL stays fixed)."""
    return _checked(F.event_filters, **{k: request.query_params.get(k) for k in EVENT_PARAMS})


# ---------------------------------------------------------------- store access

class Store:
    """The store as readers see it: its newest published snapshot (see
    ``storyline.store.snapshot``), so a running ingest never blocks a request.

    One connection per snapshot generation is kept and each request gets its own cursor on
    it (DuckDB cursors are safe to use from the server's threads); a newer generation is
    picked up at the next request. A store with no snapshot (written by an older version,
    or never by ``StoreWriter``) is opened read-only per request, as before.
    """

    def __init__(self, db: str):
        self.db = str(db)
        self._lock = threading.Lock()
        self._snap: snapshot.Snapshot | None = None
        self._con: duckdb.DuckDBPyConnection | None = None

    def _current(self) -> tuple[duckdb.DuckDBPyConnection, snapshot.Snapshot] | None:
        """The connection to the newest snapshot (opened on first use), or None if none."""
        snap = snapshot.latest(self.db)
        with self._lock:
            if snap is not None and (self._snap is None or snap.generation > self._snap.generation):
                try:
                    con = connect(snap.path, read_only=True)
                except (StoreError, duckdb.Error):
                    con = None  # replaced meanwhile: keep reading the one we have
                if con is not None:
                    self._con, self._snap = con, snap
            if self._con is None:
                return None
            return self._con.cursor(), self._snap

    @contextmanager
    def open(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if not Path(self.db).exists():
            raise ApiError(503, "no such store (run `storyline ingest` first)")
        current = self._current()
        if current is None:
            try:
                con = connect(self.db, read_only=True)
            except StoreError as exc:
                raise ApiError(503, _without_path(str(exc), self.db)) from exc
            except duckdb.Error as exc:  # a writer of an older version holds the lock
                raise ApiError(503, "store busy: an ingest is writing it; retry in a few seconds") from exc
        else:
            con = current[0]
        try:
            yield con
        finally:
            con.close()

    def status(self) -> dict:
        """How fresh the data read is: the snapshot's time and whether a writer is at work."""
        snap = snapshot.latest(self.db)
        writing = snapshot.writer_active(self.db)
        if snap is None:
            return {"generation": None, "as_of": None, "age_seconds": None, "ingest_running": writing}
        age = max(0.0, time.time() - snap.published)
        return {"generation": str(snap.generation),
                "as_of": dt.datetime.fromtimestamp(snap.published, dt.timezone.utc).isoformat(timespec="seconds"),
                # with no writer at work the snapshot is the store: nothing is stale
                "age_seconds": round(age, 1) if writing else 0.0, "ingest_running": writing}


class Answers:
    """Bodies of the read endpoints' answers, kept for the snapshot they were computed on.

    A snapshot never changes, so the same URL gets the same answer until the writer
    publishes a new generation; then the kept answers are dropped. Least recently used
    answers go first once ``max_bytes`` are kept; an answer over an eighth of that is not
    kept.
    """

    def __init__(self, max_bytes: int = ANSWERS_BYTES):
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._bodies: OrderedDict[tuple, bytes] = OrderedDict()
        self._size = 0

    def get(self, generation: int, key: tuple) -> bytes | None:
        with self._lock:
            if generation != self._generation:
                return None
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
            return body

    def put(self, generation: int, key: tuple, body: bytes) -> None:
        if len(body) > self.max_bytes // 8:
            return
        with self._lock:
            if generation != self._generation:
                if self._generation is not None and generation < self._generation:
                    return  # computed on a generation already replaced
                self._bodies.clear()
                self._size, self._generation = 0, generation
            old = self._bodies.pop(key, None)
            self._size += len(body) - (len(old) if old is not None else 0)
            self._bodies[key] = body
            while self._size > self.max_bytes:
                _, dropped = self._bodies.popitem(last=False)
                self._size -= len(dropped)


def kept(store: Store, answers: Answers, endpoint):
    """``endpoint`` with its answers kept per snapshot generation (``Answers``): a repeated
    request is answered without a query. Only successful answers computed entirely on one
    generation are kept; a store without snapshots is always queried."""

    def answer(request: Request) -> Response:
        snap = snapshot.latest(store.db)
        if snap is None:
            return endpoint(request)
        key = (request.url.path, tuple(sorted(request.query_params.multi_items())))
        body = answers.get(snap.generation, key)
        if body is not None:
            return Response(body, media_type="application/json")
        response = endpoint(request)
        after = snapshot.latest(store.db)
        if response.status_code == 200 and after is not None and after.generation == snap.generation:
            answers.put(snap.generation, key, bytes(response.body))
        return response

    return answer


def _without_path(message: str, db: str) -> str:
    """A store error as the API shows it: without the server's local file path."""
    return message.replace(f"{db}: ", "").replace(db, "the store")


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def _record(row: dict) -> dict:
    """The EVENT object of a flat events row, plus doc_id, event_cluster and story_id."""
    try:
        rec = json.loads(row["record"]) if row.get("record") else {}
    except ValueError:
        rec = {}
    if not rec:  # a row without its JSON: rebuild the essentials from the columns
        rec = {k: row.get(k) for k in ("event_id", "type", "mode", "cameo", "modality", "date", "date_end",
                                       "date_precision", "date_text", "attribution", "sentence", "confidence")}
        rec.update(start=row.get("start_char"), end=row.get("end_char"))
    rec.setdefault("explain", None)  # why the event is there; null for events stored before it existed
    rec.update(doc_id=row.get("doc_id"), event_cluster=row.get("event_cluster"), story_id=row.get("story_id"))
    return rec


def _other_reports(cluster: list[dict], doc_id: str) -> list[dict]:
    """The other documents that report the event: one entry per document (its first mention),
    never the event's own document, in the order they came out."""
    seen: dict[str, dict] = {}
    for m in sorted(cluster, key=lambda m: (str(m["published"] or "9999"), m["doc_id"], m["start_char"] or 0)):
        if m["doc_id"] != doc_id and m["doc_id"] not in seen:
            seen[m["doc_id"]] = {"event_id": m["event_id"], "doc_id": m["doc_id"], "title": m["title"],
                                 "published": m["published"], "date": m["date"], "modality": m["modality"],
                                 "attribution": m["attribution"]}
    return list(seen.values())


ORDER = query.ORDER


# ---------------------------------------------------------------- endpoints

def make_routes(store: Store) -> list:
    """The API endpoints bound to one store."""

    def counts() -> dict[str, int]:
        with store.open() as con:
            return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ("documents", "events", "stories", "failures")}

    def health(request: Request) -> Response:
        _check_params(request, ())
        try:
            numbers = counts()
        except ApiError as exc:
            return JSON({"status": "unavailable", "error": {"status": 503, "message": exc.detail}},
                        status_code=503)
        return JSON({"status": "ok", "schema_version": SCHEMA_VERSION, "counts": numbers,
                     "data": store.status()})

    def updates(request: Request) -> Response:
        _check_params(request, ("since",))
        since = request.query_params.get("since")
        status = store.status()
        out = {**status, "changed": since != status["generation"]}
        if out["changed"]:
            out["counts"] = counts()
        return JSON(out)

    def events(request: Request) -> Response:
        _check_params(request, (*EVENT_PARAMS, "limit", "offset"))
        filters = event_filters(request)
        limit = _int_param(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        offset = _int_param(request, "offset", 0, 0, 10**9)
        with store.open() as con:
            total, rows = query.event_page(con, limit, offset, **filters)
        return JSON({"total": total, "limit": limit, "offset": offset, "filters": filters,
                     "events": [_record(r) for r in rows]})

    def event(request: Request) -> Response:
        _check_params(request, ())
        event_id = request.path_params["event_id"]
        with store.open() as con:
            rows = _rows(con, query.EVENTS_SQL + " WHERE e.event_id = ?", [event_id])
            if not rows:
                raise ApiError(404, f"no event {event_id!r}")
            rec = _record(rows[0])
            doc = _rows(con, "SELECT doc_id, title, url, published, source FROM documents WHERE doc_id = ?",
                        [rec["doc_id"]])
            cluster = []
            if rec.get("event_cluster"):
                cluster = _rows(con, """
                    SELECT e.event_id, e.doc_id, d.title, e.date, e.modality, e.attribution, d.published,
                           e.start_char
                    FROM events e JOIN event_clusters c USING (event_id) LEFT JOIN documents d USING (doc_id)
                    WHERE c.event_cluster = ? ORDER BY e.date NULLS LAST, e.event_id
                """, [rec["event_cluster"]])
        d = doc[0] if doc else {"doc_id": rec["doc_id"], "title": None, "url": None, "published": None,
                                "source": None}
        d["href"] = f"/api/docs/{rec['doc_id']}"
        rec["doc"] = d
        keys = ("event_id", "doc_id", "title", "date", "modality", "attribution")
        rec["same_event"] = [{k: m[k] for k in keys} for m in cluster if m["event_id"] != event_id]
        rec["also_reported_in"] = _other_reports(cluster, rec["doc_id"])
        rec["modality_history"] = modality_history(cluster)
        return JSON(rec)

    def stories(request: Request) -> Response:
        _check_params(request, ("limit", "offset"))
        limit = _int_param(request, "limit", STORIES_LIMIT, 1, 10_000)
        offset = _int_param(request, "offset", 0, 0, 10**9)
        with store.open() as con:
            total = con.execute("SELECT count(*) FROM stories").fetchone()[0]
            return JSON({"total": total, "limit": limit, "offset": offset,
                         "stories": query.stories(con, limit, offset)})

    def story(request: Request) -> Response:
        _check_params(request, ("limit", "offset"))
        story_id = request.path_params["story_id"]
        limit = _int_param(request, "limit", STORY_EVENTS_LIMIT, 1, 10_000)
        offset = _int_param(request, "offset", 0, 0, 10**9)
        with store.open() as con:
            rows = _rows(con, "SELECT * FROM stories WHERE story_id = ?", [story_id])
            if not rows:
                raise ApiError(404, f"no story {story_id!r}")
            total = con.execute("SELECT count(*) FROM story_events WHERE story_id = ?", [story_id]).fetchone()[0]
            page = _rows(con, "SELECT e.event_id, e.event_cluster, e.story_id, e.doc_id, e.start_char, e.modality, "
                              "e.date FROM story_events e WHERE e.story_id = ?" + ORDER + " LIMIT ? OFFSET ?",
                         [story_id, limit, offset])
            records = {r["event_id"]: r for r in query.records_by_id(
                con, [r["event_id"] for r in page], {r["event_id"]: (r["event_cluster"], r["story_id"]) for r in page})}
            docs = _rows(con, """
                SELECT doc_id, title, url, published FROM documents
                WHERE doc_id IN (SELECT DISTINCT doc_id FROM story_events WHERE story_id = ?)
                ORDER BY published NULLS LAST, doc_id""", [story_id])
        out = rows[0]
        out.update(events_total=total, limit=limit, offset=offset)
        out["events"] = [_record(records[r["event_id"]]) for r in page if r["event_id"] in records]
        out["docs"] = docs
        titles = {d["doc_id"]: (d["title"], d["published"]) for d in docs}
        by_cluster: dict[str, list[dict]] = {}
        for r in page:  # what the modality history reads of a mention: its report's title and day
            r["doc_title"], r["doc_published"] = titles.get(r["doc_id"], (None, None))
            by_cluster.setdefault(r["event_cluster"] or r["event_id"], []).append(r)
        out["modality_history"] = {c: h for c, ms in by_cluster.items() if (h := modality_history(ms))}
        return JSON(out)

    def actors(request: Request) -> Response:
        _check_params(request, ("country",))
        country = _checked(F.country, request.query_params.get("country"))
        with store.open() as con:
            return JSON({"actors": query.actors(con, country=country)})

    def network(request: Request) -> Response:
        _check_params(request, (*EVENT_PARAMS, "level", "limit"))
        level = (request.query_params.get("level") or "actor").lower()
        if level not in ("actor", "country"):
            raise ApiError(400, f"level: want 'actor' or 'country', got {level!r}")
        filters = event_filters(request)
        limit = _int_param(request, "limit", NETWORK_LIMIT, 1, 5000)
        with store.open() as con:
            return JSON(query.network(con, level, limit, **filters))

    def doc(request: Request) -> Response:
        _check_params(request, ())
        doc_id = request.path_params["doc_id"]
        with store.open() as con:
            rows = _rows(con, """
                SELECT doc_id, title, url, published, published_inferred, source, language, duplicate_of, text
                FROM documents WHERE doc_id = ?""", [doc_id])
            if not rows:
                raise ApiError(404, f"no document {doc_id!r}")
            evs = _rows(con, """
                SELECT e.event_id, e.type, e.modality, e.date, e.start_char AS start, e.end_char AS "end",
                       c.story_id
                FROM events e LEFT JOIN event_clusters c USING (event_id)
                WHERE e.doc_id = ? ORDER BY e.start_char, e.event_id""", [doc_id])
        out = rows[0]
        out["events"] = evs
        return JSON(out)

    def failures(request: Request) -> Response:
        _check_params(request, ())
        with store.open() as con:
            return JSON({"failures": query.failures(con)})

    def openapi(request: Request) -> Response:
        return JSON(openapi_spec())

    answers = Answers()

    def keep(endpoint):
        return kept(store, answers, endpoint)

    return [
        Route("/api/health", health),
        Route("/api/updates", updates),
        Route("/api/events", keep(events)),
        Route("/api/events/{event_id:path}", keep(event)),
        Route("/api/stories", keep(stories)),
        Route("/api/stories/{story_id:path}", keep(story)),
        Route("/api/actors", keep(actors)),
        Route("/api/network", keep(network)),
        Route("/api/docs/{doc_id:path}", keep(doc)),
        Route("/api/failures", keep(failures)),
        Route("/openapi.json", openapi),
    ]


# ---------------------------------------------------------------- app

async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _error(exc.status_code, str(exc.detail))


async def _server_error(request: Request, exc: Exception) -> Response:
    return _error(500, f"internal error: {type(exc).__name__}")


def _index(request: Request) -> Response:
    html = resources.files("storyline.server").joinpath("static", "index.html").read_bytes()
    return Response(html, media_type="text/html; charset=utf-8", headers={"cache-control": "no-cache"})


def create_app(db: str) -> ASGIApp:
    """The ASGI app for one store (the store is opened read-only per request)."""
    store = Store(db)
    app = Starlette(
        routes=[
            Route("/", _index),
            *make_routes(store),
            Mount("/static", StaticFiles(packages=[("storyline.server", "static")]), name="static"),
        ],
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    app.state.db = store.db
    return SecurityHeaders(app)


def serve(db: str, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve the API and the UI until interrupted; fails fast (StoreError) on a missing store."""
    import uvicorn

    connect(db, read_only=True).close()
    print(f"storyline: serving {db} on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")
