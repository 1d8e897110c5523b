"""Read-only snapshots of a store, so that readers never wait for the writer.

DuckDB lets one process hold a file for writing, and while it does nobody can open it
read-only. So the writer publishes, after a commit, a copy of the checkpointed file:
``<db>.snapshots/<generation>.duckdb``, written under a temporary name and renamed into
place (atomic), with ``generation`` the publication time in nanoseconds. Readers (the
server, the CLI's read commands) open the newest snapshot; each generation has its own file
name, so a reader's open connection keeps the generation it started with and DuckDB's
per-process cache of open databases never hands back an old one under a new name.

Publishing costs one checkpoint and one copy of the whole file, so the writer publishes at
most every ``interval`` seconds (``storyline ingest --publish-every``, default 2) and spends at
most a tenth of its time copying: a copy that took ``c`` seconds is not repeated within
``10 c`` seconds, so the interval grows with the file (a 700 MB store that copies in 1.5 s is
published every 15 s or so), plus once when it opens and once when it closes. While an
ingest runs the data read is at most that interval old.
``writer.json`` in the same folder says whether a writer is at work, so a reader can tell
"current" from "up to N seconds stale".
"""
from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

SUFFIX = ".snapshots"
STATUS = "writer.json"
KEEP = 3  # generations kept: a reader that just listed the folder still finds its file


@dataclass(frozen=True)
class Snapshot:
    """One published generation of a store."""

    path: Path
    generation: int

    @property
    def published(self) -> float:
        """Publication time (seconds since the epoch)."""
        return self.generation / 1e9


def folder(db: str | Path) -> Path:
    return Path(str(db) + SUFFIX)


def latest(db: str | Path) -> Snapshot | None:
    """The newest published snapshot of ``db``, or None when none was published."""
    try:
        names = os.listdir(folder(db))
    except OSError:
        return None
    gens = [int(n[:-7]) for n in names if n.endswith(".duckdb") and n[:-7].isdigit()]
    if not gens:
        return None
    gen = max(gens)
    return Snapshot(folder(db) / f"{gen}.duckdb", gen)


def publish(con: duckdb.DuckDBPyConnection, db: str | Path) -> Snapshot:
    """Checkpoint the writer's connection and publish a copy of the file (atomic rename)."""
    con.execute("CHECKPOINT")
    out = folder(db)
    out.mkdir(exist_ok=True)
    last = latest(db)
    gen = max(time.time_ns(), last.generation + 1 if last else 0)
    tmp = out / f".{gen}.tmp"
    shutil.copyfile(db, tmp)
    os.replace(tmp, out / f"{gen}.duckdb")
    _prune(out, gen)
    return Snapshot(out / f"{gen}.duckdb", gen)


def _prune(out: Path, newest: int) -> None:
    """Drop all but the newest KEEP generations and any temporary file left by a crash."""
    gens = sorted((int(n[:-7]) for n in os.listdir(out) if n.endswith(".duckdb") and n[:-7].isdigit()),
                  reverse=True)
    stale = [f"{g}.duckdb" for g in gens[KEEP:]]
    stale += [n for n in os.listdir(out) if n.endswith(".tmp") and n != f".{newest}.tmp"]
    for name in stale:
        try:
            os.unlink(out / name)
        except OSError:  # a concurrent prune got it first
            pass


def set_writer(db: str | Path, active: bool) -> None:
    """Record whether a writer is at work on ``db`` (its pid and start time), atomically."""
    out = folder(db)
    out.mkdir(exist_ok=True)
    tmp = out / f".{STATUS}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"pid": os.getpid(), "active": active, "since": time.time()}))
    os.replace(tmp, out / STATUS)


def writer_active(db: str | Path) -> bool:
    """True while a live process says it writes ``db`` (a crashed writer does not count)."""
    try:
        status = json.loads((folder(db) / STATUS).read_text())
    except (OSError, ValueError):
        return False
    if not status.get("active"):
        return False
    try:
        os.kill(int(status["pid"]), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError, KeyError, TypeError):
        return bool(status.get("pid"))
    return True


class Publisher:
    """Publishes snapshots for one writer, no more often than ``interval`` seconds, nor more
    than ``share`` of the time: a copy that took ``c`` seconds is not repeated within
    ``c / share`` seconds, so a large store does not spend its ingest copying itself.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, db: str | Path, interval: float = 2.0, share: float = 0.1):
        self.con, self.db, self.interval, self.share = con, str(db), interval, share
        self.last = 0.0
        self.cost = 0.0
        self.dirty = False
        self.published = 0  # snapshots published by this writer

    def publish(self) -> Snapshot:
        t0 = time.monotonic()
        snap = publish(self.con, self.db)
        self.last = time.monotonic()
        self.cost = self.last - t0
        self.dirty = False
        self.published += 1
        return snap

    def due(self) -> bool:
        """True when the last snapshot is old enough for another one."""
        return time.monotonic() - self.last >= max(self.interval, self.cost / self.share)

    def committed(self) -> None:
        """A transaction was committed: publish if the last snapshot is old enough."""
        self.dirty = True
        if self.due():
            self.publish()
