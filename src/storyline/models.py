"""The typed records that flow between pipeline stages.

Every stage reads and writes these dataclasses; ``to_dict`` gives the JSON shape of
``storyline process`` (see docs/INTERFACES.md). Offsets (``start``/``end``) are
character offsets into the cleaned document text.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any


def to_dict(obj: Any) -> Any:
    """JSON-ready form of a record (dates as ISO strings, private fields dropped)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: to_dict(getattr(obj, f.name))
            for f in dataclasses.fields(obj)
            if not f.name.startswith("_") and f.metadata.get("json", True)
        }
    if isinstance(obj, (list, tuple)):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


@dataclass
class RawDoc:
    """A document as read from disk/stdin, before cleaning."""

    id: str
    source: str  # path (or "<stdin>:LINE") it came from
    text: str | None = None
    html: str | None = None
    url: str | None = None
    published: date | None = None
    title: str | None = None
    # when True the id was given (jsonl id, file stem) rather than a content hash
    id_given: bool = False
    author: str | None = None  # feed dc:creator/author, JSON Lines "author"


@dataclass
class CleanDoc:
    """Main text of a document plus the metadata found in it."""

    id: str
    source: str
    text: str
    title: str | None = None
    byline: str | None = None
    dateline: str | None = None
    url: str | None = None
    published: date | None = None
    # where ``published`` came from: "given" (header/jsonl/CLI), "page" (HTML meta),
    # "inferred" (from the text), or None when unknown
    published_source: str | None = None
    published_confidence: float | None = None
    language: str | None = None
    content_hash: str = ""
    duplicate_of: str | None = None


@dataclass
class Entity:
    text: str
    label: str
    start: int
    end: int


@dataclass
class Sentence:
    text: str
    start: int
    end: int


@dataclass
class Timex:
    """A TIMEX3-like time expression.

    ``value`` is a TIMEX3 value (``2026-01-30``, ``2026-01``, ``2026-W05``, ``P3D``,
    ``XXXX-XX-XX``) or None when unresolvable; ``value_end`` closes a range
    ("Jan. 29-31"). ``precision`` is one of day, month, year, week, season, time,
    duration, set, unknown. ``anchor`` names what the value was computed from
    ("publication", "text:<start>", "absolute", "none").
    """

    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str | None
    start: int
    end: int
    precision: str = "day"
    value_end: str | None = None
    anchor: str = "absolute"
    confidence: float = 1.0


@dataclass
class Place:
    """A toponym; resolved when ``lat``/``lon`` are set, else only its text is known."""

    text: str
    start: int
    end: int
    name: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-3
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str | None = None  # country, admin1, city, island, sea, base, region …
    admin1: str | None = None
    confidence: float = 0.0


@dataclass
class Mention:
    text: str
    start: int
    end: int


@dataclass
class Actor:
    """A person, government, military or organisation mentioned in a document."""

    id: str
    name: str
    country: str | None = None  # ISO alpha-3 or IGO acronym
    agent: str | None = None  # GOV, MIL, LEG, JUD, OPP, REB, MED, BUS, CVL, IGO, ...
    role: str | None = None
    kind: str | None = None  # person, state, organisation
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list, metadata={"json": False})


@dataclass
class EventArg:
    text: str
    name: str | None = None
    country: str | None = None
    agent: str | None = None
    actor_id: str | None = None


@dataclass
class Location:
    name: str | None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


@dataclass
class Quantity:
    text: str
    value: float | int | None
    unit: str | None = None


@dataclass
class Event:
    event_id: str
    type: str
    mode: str | None
    cameo: str | None
    source: EventArg | None
    target: EventArg | None
    date: str | None
    date_end: str | None
    date_precision: str | None
    date_text: str | None
    location: Location | None
    modality: str
    attribution: str | None
    quantities: list[Quantity]
    sentence: str
    start: int
    end: int
    confidence: float
    trigger: str | None = None
    # added: where a launch or strike went when the text also says where it started
    destination: Location | None = None
    # added: why the event is there — the rule that proposed it, how each side was found,
    # the decision model's score (docs/EVENTS.md, "Every event explains itself")
    explain: dict | None = None


@dataclass
class DocResult:
    """Everything storyline knows about one document: the ``process`` JSON line."""

    doc_id: str
    title: str | None
    published: date | None
    published_inferred: bool
    text: str
    entities: list[Entity] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    url: str | None = None
    source: str | None = None
    language: str | None = None
    duplicate_of: str | None = None
    # added: byline, dateline, and where ``published`` came from ("given", "page",
    # "dateline", "inferred") with its confidence
    author: str | None = None
    dateline: str | None = None
    published_source: str | None = None
    published_confidence: float | None = None
    sentences: list[Sentence] = field(default_factory=list, metadata={"json": False})
    content_hash: str = field(default="", metadata={"json": False})

    def to_dict(self) -> dict:
        return to_dict(self)


@dataclass
class Failure:
    """A document (or line) that could not be processed, and why."""

    doc: str  # path, path:line, or doc id
    stage: str
    error: str  # exception class / short code
    message: str

    def line(self) -> str:
        """``doc: stage: message`` for a terminal, naming the document once (messages start with it)."""
        message = self.message
        if message.startswith(f"{self.doc}: "):
            message = message[len(self.doc) + 2:]
        return f"{self.doc}: {self.stage}: {message}"
