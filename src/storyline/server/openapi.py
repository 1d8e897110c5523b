"""The OpenAPI 3.1 description of the storyline HTTP API (hand-written, kept next to the code)."""
from __future__ import annotations

from typing import Any

from ..events.lexicon import PLOVER_TYPES
from ..filters import MODALITIES

_PLOVER = list(PLOVER_TYPES)
_MODALITIES = list(MODALITIES)


def _q(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


def _p(name: str, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": {"type": "string"}}


_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
EVENT_FILTER_PARAMS = [
    _q("type", "PLOVER 2.0 event type (case-insensitive)", {"type": "string", "enum": _PLOVER}),
    _q("modality", "asserted, planned, negated, hypothetical or reported", {"type": "string", "enum": _MODALITIES}),
    _q("country", "ISO 3166-1 alpha-3 code (or IGO acronym) of the source or the target"),
    _q("doc", "document id"),
    _q("story", "story id"),
    _q("since", "events ending on or after this date (YYYY-MM-DD; YYYY-MM or YYYY = start of period)", _DATE),
    _q("until", "events starting on or before this date (YYYY-MM-DD; YYYY-MM or YYYY = end of period)", _DATE),
]


def _ok(description: str, ref: str) -> dict:
    return {"200": {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}}


def _errors(*codes: str) -> dict:
    text = {"400": "bad parameter value (or unknown parameter)", "404": "unknown id",
            "503": "store missing or of another schema"}
    return {c: {"description": text[c], "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            for c in codes}


def _get(summary: str, responses: dict, params: list | None = None, tag: str = "api") -> dict:
    op: dict[str, Any] = {"summary": summary, "tags": [tag], "responses": responses}
    if params:
        op["parameters"] = params
    return {"get": op}


_OBJ = {"type": "object", "additionalProperties": True}
_NSTR = {"type": ["string", "null"]}
_HISTORY_STEP = {"type": "object", "properties": {
    "modality": {"type": "string"}, "event_id": {"type": "string"}, "doc_id": {"type": "string"}, "doc_title": _NSTR,
    "reported": _NSTR, "date": _NSTR}}

# EVENT.explain: why the event is there (the coder's evidence, the decision model's scores)
_HOW = ("how the side was found: a dependency relation to the trigger ('nsubj', 'dobj', 'poss', 'agent>pobj', "
        "'prep>pobj', 'conj>nsubj' …; 'far': elsewhere in the sentence; 'other'), 'document' (a document-level "
        "pass filled it from earlier in the article), 'ranker:REL' (the trained side ranker chose this side; REL "
        "is its relation to the trigger, e.g. 'with>pobj', 'far'), or 'none' (no such side)")
EXPLAIN = {
    "type": ["object", "null"],
    "additionalProperties": True,
    "description": "Why the event is there: the rule that proposed it, how each side, the date and the place "
                   "were found, and the decision model's scores. Additive; null for events stored before it "
                   "existed. source_score, target_score and retyped_from appear only when they apply.",
    "properties": {
        "rule": {"type": "string", "description": "'lexicon:LEMMA/POS' (the trigger lexicon row, POS V = verb, "
                                                  "N = noun), 'model:LEMMA/POS' (proposed by the trained trigger "
                                                  "model, no lexicon row) or another rule's name (e.g. 'appeal')"},
        "proposer": {"type": "string", "description": "'rules' (a lexicon row or rule) or 'trigger_model'"},
        "trigger_model": {"type": "object", "description": "the trained trigger model on the trigger word: 'score' "
                                                           "(P(an event word)) and 'types' (its three most likely "
                                                           "types); absent for words it does not score"},
        "rule_type": {"type": "string", "description": "the PLOVER type the rule proposed"},
        "rule_weight": {"type": "number", "description": "the lexicon row's weight"},
        "trigger_start": {"type": "integer", "description": "character offset of the trigger in the document text"},
        "trigger_end": {"type": "integer"},
        "trigger_pos": {"type": "string", "description": "spaCy part of speech of the trigger (VERB, NOUN …)"},
        "trigger_dep": {"type": "string", "description": "dependency relation of the trigger"},
        "light_verb": {"type": ["string", "null"], "description": "the verb carrying a noun trigger ('hold' talks)"},
        "source_how": {"type": "string", "description": _HOW},
        "target_how": {"type": "string", "description": _HOW},
        "source_score": {"type": "number", "description": "the side ranker's score, when it chose the source"},
        "target_score": {"type": "number", "description": "the side ranker's score, when it chose the target"},
        "date_how": {"type": "string", "description": "dependency, clause, sentence, inherited (from a nearby "
                                                      "event), fallback (publication day) or none"},
        "place_how": {"type": "string", "description": "attached, sentence, destination, inherited, document or none"},
        "sentence_index": {"type": "integer"},
        "candidates_in_sentence": {"type": "integer"},
        "actorless": {"type": "boolean", "description": "the rules found no side with a country"},
        "model_keep": {"type": "number", "description": "the decision model's probability that the event is real"},
        "model_types": {"type": "object", "additionalProperties": {"type": "number"},
                        "description": "the model's three most likely types with their probabilities"},
        "retyped_from": {"type": "string", "description": "the rule's type, when the model changed it"},
    },
}


def openapi_spec() -> dict:
    """The OpenAPI document served at ``/openapi.json``."""
    event = {
        "type": "object",
        "description": "EVENT (see DESIGN.md) plus doc_id, event_cluster (same real-world event across documents) "
                       "and story_id. start/end are character offsets into the document text.",
        "properties": {
            "event_id": {"type": "string"}, "type": {"type": "string", "enum": _PLOVER}, "mode": _NSTR,
            "cameo": _NSTR, "source": {"type": ["object", "null"]}, "target": {"type": ["object", "null"]},
            "date": _NSTR, "date_end": _NSTR, "date_precision": _NSTR, "date_text": _NSTR,
            "location": {"type": ["object", "null"]}, "modality": {"type": "string", "enum": _MODALITIES},
            "attribution": _NSTR, "quantities": {"type": "array", "items": _OBJ}, "sentence": {"type": "string"},
            "start": {"type": "integer"}, "end": {"type": "integer"}, "confidence": {"type": "number"},
            "trigger": _NSTR, "destination": {"type": ["object", "null"]}, "explain": EXPLAIN,
            "doc_id": {"type": "string"}, "event_cluster": _NSTR, "story_id": _NSTR,
        },
        "required": ["event_id", "type", "modality", "doc_id"],
    }
    schemas = {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "properties": {"status": {"type": "integer"}, "message": {"type": "string"}}}}},
        "Health": {"type": "object", "properties": {
            "status": {"type": "string", "enum": ["ok", "unavailable"]}, "schema_version": {"type": "integer"},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "data": {"$ref": "#/components/schemas/DataStatus"}}},
        "DataStatus": {"type": "object", "description": "How fresh the data read is", "properties": {
            "generation": _NSTR, "as_of": _NSTR,
            "age_seconds": {"type": ["number", "null"],
                            "description": "how far the data may lag the store: the snapshot's age while an "
                                           "ingest runs, 0 when none does"},
            "ingest_running": {"type": "boolean"}}},
        "Updates": {"type": "object", "properties": {
            "generation": _NSTR, "as_of": _NSTR, "age_seconds": {"type": ["number", "null"]},
            "ingest_running": {"type": "boolean"}, "changed": {"type": "boolean"},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"},
                       "description": "present when changed"}}},
        "Event": event,
        "EventPage": {"type": "object", "properties": {
            "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
            "filters": _OBJ, "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}},
        "EventDetail": {"allOf": [{"$ref": "#/components/schemas/Event"}, {"type": "object", "properties": {
            "doc": {"type": "object", "description": "doc_id, title, url, published, source, href (API link)"},
            "same_event": {"type": "array", "items": _OBJ,
                           "description": "other mentions of the same real-world event (same event_cluster)"},
            "also_reported_in": {"type": "array", "items": _OBJ,
                                 "description": "the other documents reporting the event, one entry each, "
                                                "in publication order; never the event's own document"},
            "modality_history": {"type": "array", "items": _HISTORY_STEP,
                                 "description": "one step per change of modality, in report order"}}}]},
        "Story": {"type": "object", "properties": {
            "story_id": {"type": "string"}, "title": _NSTR, "first_date": _NSTR, "last_date": _NSTR,
            "n_events": {"type": "integer"}, "n_docs": {"type": "integer"}, "n_clusters": {"type": "integer"}}},
        "StoryList": {"type": "object", "properties": {
            "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
            "stories": {"type": "array", "items": {"$ref": "#/components/schemas/Story"}}}},
        "StoryDetail": {"allOf": [{"$ref": "#/components/schemas/Story"}, {"type": "object", "properties": {
            "events_total": {"type": "integer", "description": "the story's events (``events`` is one page)"},
            "limit": {"type": "integer"}, "offset": {"type": "integer"},
            "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
            "docs": {"type": "array", "items": _OBJ},
            "modality_history": {"type": "object", "additionalProperties": {"type": "array", "items": _HISTORY_STEP},
                                 "description": "event_cluster → its modality steps, for clusters whose "
                                                "reports differ in modality"}}}]},
        "ActorList": {"type": "object", "properties": {"actors": {"type": "array", "items": {
            "type": "object", "properties": {
                "actor_id": {"type": "string"}, "name": {"type": "string"}, "country": _NSTR, "agent": _NSTR,
                "role": _NSTR, "kind": _NSTR, "n_docs": {"type": "integer"}, "mentions": {"type": "integer"},
                "docs": {"type": "array", "items": {"type": "string"}},
                "aliases": {"type": "array", "items": {"type": "string"}}}}}}},
        "Network": {"type": "object", "properties": {
            "level": {"type": "string", "enum": ["actor", "country"]}, "filters": _OBJ,
            "n_events": {"type": "integer"}, "n_nodes": {"type": "integer"}, "n_edges": {"type": "integer"},
            "nodes": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string"}, "label": {"type": "string"}, "country": _NSTR, "agent": _NSTR,
                "kind": {"type": "string"}, "n_events": {"type": "integer"},
                "types": {"type": "object", "additionalProperties": {"type": "integer"}}}}},
            "edges": {"type": "array", "items": {"type": "object", "properties": {
                "source": {"type": "string"}, "target": {"type": "string"}, "count": {"type": "integer"},
                "types": {"type": "object", "additionalProperties": {"type": "integer"}},
                "modalities": {"type": "object", "additionalProperties": {"type": "integer"}},
                "events": {"type": "array", "items": {"type": "string"}}}}}}},
        "Document": {"type": "object", "properties": {
            "doc_id": {"type": "string"}, "title": _NSTR, "url": _NSTR, "published": _NSTR,
            "published_inferred": {"type": ["boolean", "null"]}, "source": _NSTR, "language": _NSTR,
            "duplicate_of": _NSTR, "text": {"type": "string"},
            "events": {"type": "array", "items": {"type": "object", "properties": {
                "event_id": {"type": "string"}, "type": {"type": "string"}, "modality": {"type": "string"},
                "date": _NSTR, "start": {"type": "integer"}, "end": {"type": "integer"}, "story_id": _NSTR}}}}},
        "FailureList": {"type": "object", "properties": {"failures": {"type": "array", "items": {
            "type": "object", "properties": {"doc": {"type": "string"}, "stage": {"type": "string"},
                                             "error": {"type": "string"}, "message": {"type": "string"}}}}}},
    }
    paging = [_q("limit", "page size (1–1000, default 100)", {"type": "integer", "minimum": 1, "maximum": 1000}),
              _q("offset", "rows to skip (default 0)", {"type": "integer", "minimum": 0})]
    paths = {
        "/api/health": _get("Store reachable? Row counts.", {
            **_ok("store is readable", "#/components/schemas/Health"),
            "503": {"description": "store missing",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}}),
        "/api/updates": _get("Has the data changed since a generation? For polling (the web UI does, every 5 s).",
                             {**_ok("the current generation", "#/components/schemas/Updates"),
                              **_errors("400", "503")},
                             [_q("since", "the generation the client has (from /api/health or /api/updates)")]),
        "/api/events": _get("Events in date order, filtered and paged.",
                            {**_ok("a page of events", "#/components/schemas/EventPage"), **_errors("400", "503")},
                            EVENT_FILTER_PARAMS + paging),
        "/api/events/{event_id}": _get("One event with its document link and the other mentions of it.",
                                       {**_ok("the event", "#/components/schemas/EventDetail"),
                                        **_errors("404", "503")}, [_p("event_id", "event id")]),
        "/api/stories": _get("Stories (threads of related events), largest first, paged.",
                             {**_ok("a page of stories", "#/components/schemas/StoryList"), **_errors("400", "503")},
                             [_q("limit", "page size (1–10000, default 1000)",
                                 {"type": "integer", "minimum": 1, "maximum": 10000}),
                              _q("offset", "stories to skip (default 0)", {"type": "integer", "minimum": 0})]),
        "/api/stories/{story_id}": _get("One story with its events in date order and its documents.",
                                        {**_ok("the story", "#/components/schemas/StoryDetail"),
                                         **_errors("400", "404", "503")},
                                        [_p("story_id", "story id"),
                                         _q("limit", "events per answer (1–10000, default 1000)",
                                            {"type": "integer", "minimum": 1, "maximum": 10000}),
                                         _q("offset", "events to skip (default 0)", {"type": "integer", "minimum": 0})]),
        "/api/actors": _get("Cross-document actors.",
                            {**_ok("actors", "#/components/schemas/ActorList"), **_errors("400", "503")},
                            [_q("country", "ISO 3166-1 alpha-3 code or IGO acronym")]),
        "/api/network": _get("Actor (or country) network: nodes and directed edges counted by event type.",
                             {**_ok("the network", "#/components/schemas/Network"), **_errors("400", "503")},
                             EVENT_FILTER_PARAMS + [_q("level", "actor (default) or country",
                                                       {"type": "string", "enum": ["actor", "country"]}),
                                                    _q("limit", "edges kept, busiest first (1–5000, default 500)",
                                                       {"type": "integer", "minimum": 1, "maximum": 5000})]),
        "/api/docs/{doc_id}": _get("A document's text and metadata, with its events' character spans.",
                                   {**_ok("the document", "#/components/schemas/Document"),
                                    **_errors("404", "503")}, [_p("doc_id", "document id")]),
        "/api/failures": _get("Documents that could not be processed, with stage and error.",
                              {**_ok("failures", "#/components/schemas/FailureList"), **_errors("503")}),
        "/openapi.json": _get("This document.", {"200": {"description": "OpenAPI 3.1 document",
                                                         "content": {"application/json": {}}}}, tag="meta"),
        "/": _get("The web UI (timeline, map, actor network, sources).",
                  {"200": {"description": "HTML page", "content": {"text/html": {}}}}, tag="meta"),
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "storyline", "version": "1",
                 "description": "Read-only access to a storyline store: PLOVER events with dates, places, actors, "
                                "source sentences, cross-document clusters and stories. Errors are "
                                "{\"error\": {\"status\", \"message\"}}."},
        "paths": paths,
        "components": {"schemas": schemas},
    }
