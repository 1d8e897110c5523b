"""The ``storyline`` command: a thin layer over the library functions."""
from __future__ import annotations

import datetime as dt
import json
import sys
import time

import click

from .errors import StorylineError
from .models import DocResult, Failure
from .store import DEFAULT_DB
from .tables import format_table, print_timeline


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date (YYYY-MM-DD)") from None


def _checked(check, *args, **kwargs):
    """A value checked by ``storyline.filters`` (as the API checks it); a bad one is a usage error."""
    from .filters import FilterError

    try:
        return check(*args, **kwargs)
    except FilterError as exc:
        raise click.BadParameter(exc.detail, param_hint=f"--{exc.param}") from None


def _fail(exc: StorylineError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2)


db_option = click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB store file.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="storyline")
@click.option("-v", "--verbose", is_flag=True, help="Log stage errors with tracebacks.")
def cli(verbose: bool) -> None:
    """storyline: news in, a linked record of political events out."""
    import logging

    logging.basicConfig(level=logging.INFO if verbose else logging.CRITICAL, format="%(levelname)s %(message)s")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", callback=_date, help="Publication date for documents that have none (YYYY-MM-DD).")
@click.option("--parse-processes", type=click.IntRange(min=0), default=None, metavar="N",
              help="Run the spaCy parse in N child processes while this one runs the later stages; "
                   "1: all in this process; 0: one per CPU, at most 2. Default: "
                   "$STORYLINE_PARSE_PROCESSES, else 0.")
def process(paths: tuple[str, ...], published: dt.date | None, parse_processes: int | None) -> None:
    """Print one JSON line per document (no store needed). PATH may be '-' for JSON Lines on stdin."""
    from .pipeline import Options, process_paths, resolve_parse_processes

    try:
        options = Options(parse_processes=resolve_parse_processes(parse_processes, default=0))
    except StorylineError as exc:
        _fail(exc)
    ok = bad = 0
    for item in process_paths(paths, published=published, options=options):
        if isinstance(item, Failure):
            bad += 1
            click.echo(f"error: {item.line()}", err=True)
            continue
        ok += 1
        click.echo(json.dumps(item.to_dict(), ensure_ascii=False))
    if ok == 0:
        sys.exit(1)


@cli.command()
@db_option
@click.option("--full", is_flag=True, help="Recompute every event cluster and story of the store.")
def link(db, full) -> None:
    """Link the store again: around the events never linked, or all of it with --full."""
    from .ingest import relink_store

    try:
        stats = relink_store(db, full=full)
    except StorylineError as exc:
        _fail(exc)
    click.echo(f"{stats['events']} events in {stats['clusters']} clusters and {stats['stories']} stories")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--workers", type=int, help="Run the stages on a local Dask cluster of N worker processes.")
@click.option("--scheduler", help="Address of a running Dask scheduler (tcp://host:8786).")
@click.option("--published", callback=_date, help="Publication date for documents that have none.")
@click.option("--batch-size", type=int, default=16, show_default=True)
@click.option("--publish-every", type=float, default=2.0, show_default=True, metavar="SECONDS",
              help="Publish a snapshot for readers at most this often while writing (less often as "
                   "the store grows: never more than a tenth of the time is spent copying it).")
@click.option("--quiet", "-q", is_flag=True, help="No progress line.")
@click.option("--full-relink", is_flag=True, help="Link the whole store again, not only around the new documents.")
def ingest(paths, db, workers, scheduler, published, batch_size, publish_every, quiet, full_relink) -> None:
    """Read documents into the store (idempotent: unchanged documents are skipped)."""
    from .ingest import ingest as run_ingest

    tty = sys.stderr.isatty()
    last = [0.0]

    def progress(s):
        # a terminal gets one line rewritten in place; a log file a line every 10 seconds
        if quiet:
            return
        line = s.counts()
        if tty:
            click.echo(f"\r{line}", nl=False, err=True)
        elif time.monotonic() - last[0] >= 10:
            last[0] = time.monotonic()
            click.echo(line, err=True)

    try:
        summary = run_ingest(paths, db=db, workers=workers, scheduler=scheduler, published=published,
                             batch_size=batch_size, progress=progress, publish_every=publish_every,
                             full_relink=full_relink)
    except StorylineError as exc:
        _fail(exc)
    if not quiet and tty:
        click.echo("", err=True)
    for f in summary.failures:
        click.echo(f"error: {f.line()}", err=True)
    click.echo(summary.line())
    if summary.read == 0 and summary.failed:
        sys.exit(1)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@db_option
@click.option("--interval", type=float, default=300, show_default=True, help="Seconds between polls of a source.")
@click.option("--max-backoff", type=float, default=3600, show_default=True,
              help="Longest wait after repeated errors (seconds); the wait doubles with each failure.")
@click.option("--once", is_flag=True, help="Poll every source once, ingest what is new, and exit.")
@click.option("--workers", type=int, help="Run the stages on a local Dask cluster of N worker processes.")
@click.option("--scheduler", help="Address of a running Dask scheduler (tcp://host:8786).")
@click.option("--batch-size", type=int, default=16, show_default=True)
def watch(sources, db, interval, max_backoff, once, workers, scheduler, batch_size) -> None:
    """Keep ingesting new items from RSS/Atom feed URLs and folders (Ctrl-C stops)."""
    from .watch import describe, watch as run_watch, watch_once

    def report(cycle) -> None:
        for exc in cycle.errors:
            click.echo(f"error: {exc}", err=True)
        if cycle.summary is not None:
            for f in cycle.summary.failures:
                click.echo(f"error: {f.line()}", err=True)
        click.echo(describe(cycle))

    options = {"interval": interval, "max_backoff": max_backoff, "workers": workers, "scheduler": scheduler,
               "batch_size": batch_size}
    try:
        if once:
            cycle = watch_once(list(sources), db, force=True, **options)
            report(cycle)
            if cycle.errors and len(cycle.errors) == len(cycle.polled):
                sys.exit(1)
            return
        click.echo(f"watching {len(sources)} source{'s' if len(sources) != 1 else ''} every {interval:g} s "
                   f"into {db} (Ctrl-C stops)", err=True)
        run_watch(list(sources), db, report=report, **options)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    except StorylineError as exc:
        _fail(exc)


def _open(db: str):
    """The store as readers see it (its newest snapshot): an ingest running meanwhile never blocks it."""
    from .store import open_reader

    try:
        return open_reader(db)[0]
    except StorylineError as exc:
        _fail(exc)


EVENT_COLUMNS = ["date", "type", "mode", "modality", "source", "target", "location", "doc_id", "event_cluster"]


@cli.command()
@db_option
@click.option("--type", "type_", help="PLOVER type, e.g. CONSULT (any case).")
@click.option("--modality", help="asserted, planned, negated, hypothetical or reported.")
@click.option("--country", help="ISO alpha-3 code on either side (any case).")
@click.option("--doc", help="Document id.")
@click.option("--story", help="Story id.")
@click.option("--since", help="YYYY-MM-DD, YYYY-MM or YYYY (from its first day).")
@click.option("--until", help="YYYY-MM-DD, YYYY-MM or YYYY (to its last day).")
@click.option("--limit", default="200", show_default=True, help="At most this many rows (1 or more).")
@click.option("--json", "as_json", is_flag=True, help="EVENT records as JSON Lines.")
def events(db, type_, modality, country, doc, story, since, until, limit, as_json) -> None:
    """Events in date order."""
    from . import filters as F
    from .store import event_records, events as query_events

    filters = _checked(F.event_filters, type=type_, modality=modality, country=country, doc=doc, story=story,
                       since=since, until=until)
    limit = _checked(F.limit, limit, 200)
    con = _open(db)
    if as_json:
        for rec in event_records(con, **filters)[:limit]:
            click.echo(json.dumps(rec, ensure_ascii=False))
        return
    rows = query_events(con, limit=limit, **filters)
    table = [{
        "date": _when(r), "type": r["type"], "mode": r["mode"] or "", "modality": r["modality"],
        "source": _side(r, "source"), "target": _side(r, "target"),
        "location": r["location_name"] or "", "doc_id": r["doc_id"], "event_cluster": r["event_cluster"] or "",
    } for r in rows]
    click.echo(format_table(table, EVENT_COLUMNS))


def _when(r: dict) -> str:
    if r["date"] is None:
        return "?"
    if r["date_end"] and r["date_end"] != r["date"]:
        return f"{r['date']}..{r['date_end']}"
    return str(r["date"]) if r["date_precision"] in (None, "day") else f"{r['date']} ({r['date_precision']})"


def _side(r: dict, side: str) -> str:
    name, country = r[f"{side}_name"], r[f"{side}_country"]
    if not name and not country:
        return ""
    return f"{name or '?'} ({country})" if country else name


@cli.command()
@db_option
@click.option("--timeline/--no-timeline", default=False, help="Print each story's dated events.")
@click.option("--min-events", type=int, default=1, show_default=True)
def stories(db, timeline, min_events) -> None:
    """Stories: threads of related event clusters over time."""
    from .store import events as query_events, stories as query_stories

    con = _open(db)
    rows = [s for s in query_stories(con) if s["n_events"] >= min_events]
    if not timeline:
        click.echo(format_table(rows, ["story_id", "first_date", "last_date", "n_events", "n_docs", "title"], full=("title",)))
        return
    for s in rows:
        print_timeline(s, query_events(con, story=s["story_id"]), click.echo)


@cli.command()
@db_option
@click.option("--country", help="Only actors of this country (alpha-3).")
def actors(db, country) -> None:
    """Actors merged across documents."""
    from .filters import country as check_country
    from .store import actors as query_actors

    country = _checked(check_country, country)
    rows = query_actors(_open(db), country=country)
    for r in rows:
        r["aliases"] = "; ".join(r["aliases"][:4])
    click.echo(format_table(rows, ["name", "country", "agent", "role", "n_docs", "mentions", "aliases"]))


@cli.command()
@db_option
def failures(db) -> None:
    """Documents that could not be processed, with stage, error and message."""
    from .store import failures as query_failures

    rows = query_failures(_open(db))
    if not rows:
        click.echo("no failures")
        return
    click.echo(format_table(rows, ["doc", "stage", "error", "message"], full=("doc", "message")))


@cli.command()
@db_option
@click.option("--what", type=click.Choice(["events", "stories", "docs", "actors"]), required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet", "csv"]), default="jsonl", show_default=True)
@click.option("-o", "--output", help="Output file ('-' or absent: stdout, for jsonl and csv).")
def export(db, what, fmt, output) -> None:
    """Export events, stories, documents or actors."""
    from .store import export as run_export

    try:
        n = run_export(_open(db), what, fmt, output)
    except StorylineError as exc:
        _fail(exc)
    if output and output != "-":
        click.echo(f"wrote {n} {what} to {output}", err=True)


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (0.0.0.0 exposes it).")
@click.option("--port", type=int, default=8765, show_default=True)
def serve(db, host, port) -> None:
    """HTTP API (JSON, /openapi.json) and the web UI: timeline, map, actor network."""
    from .server import serve as run_server

    _open(db).close()  # a missing store is a clear error before the server starts
    run_server(db, host=host, port=port)  # prints the one banner


@cli.command(name="eval")
@click.argument("task", type=click.Choice(["timex", "geo", "boilerplate", "events", "link", "actors", "corpus",
                                           "modality"]))
@click.argument("paths", nargs=-1, required=True)
@click.option("--limit", type=int, help="Only the first N files/documents (quick run).")
@click.option("--split", type=click.Choice(["train", "dev", "test", "all"]), default=None,
              help="boilerplate, geo and events (NGEC stories): the dev or test half of a corpus that has no "
                   "upstream split (parity of SHA-1 of the page id / article id / story text); default all. corpus, "
                   "modality, actors (given corpus/ and the benchmark folder): the event corpus' frozen split "
                   "(train, dev, test); default dev. link: the ECB+ train or dev topics; default dev.")
@click.option("--decider", type=click.Choice(["model", "rules"]), default="model",
              help="corpus, modality: score the trained event model (default) or the rules alone.")
@click.option("--modality", "modality_decider", type=click.Choice(["model", "rules"]), default="model",
              help="corpus, modality: modality from the trained classifier (default) or the cue rules alone.")
@click.option("--form", type=click.Choice(["tokens", "spaced", "typeset", "wrapped"]), default=None,
              help="link: write the reports in another text form (quotes, contractions, line breaks) to "
                   "measure how much the figures move with it; default tokens (as given).")
def evaluate(task, paths, limit, split, decider, modality_decider, form) -> None:
    """Score a stage on a public benchmark; the last stdout line is a JSON object of metrics."""
    import importlib

    if split and task not in ("boilerplate", "geo", "events", "corpus", "modality", "actors", "link"):
        raise click.UsageError("--split applies to `eval boilerplate`, `eval geo`, `eval events`, `eval modality`, "
                               "`eval actors` (on the event corpus), `eval link` and `eval corpus` only")
    if split == "train" and task not in ("corpus", "modality", "actors", "link"):
        raise click.UsageError("--split train applies to `eval modality`, `eval actors`, `eval link` and `eval corpus` "
                               "only")
    if form and task != "link":
        raise click.UsageError("--form applies to `eval link` only")
    if split in ("test", "all") and task == "link":
        raise click.UsageError("`eval link` has the ECB+ splits train and dev (topics 36-45 are reserved)")
    module = importlib.import_module(f"storyline.evaluation.{task}")
    options = {"limit": limit} if limit else {}
    if split:
        options["split"] = split
    if form:
        options["form"] = form
    if task in ("corpus", "modality"):
        options["decider"] = decider
        options["modality_decider"] = modality_decider
    try:
        metrics = module.run(list(paths), **options)
    except StorylineError as exc:
        _fail(exc)
    click.echo(json.dumps(metrics, default=str))


def main() -> None:
    cli(prog_name="storyline")


if __name__ == "__main__":
    main()
