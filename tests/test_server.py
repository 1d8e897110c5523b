"""The HTTP API in-process (Starlette TestClient) on a small synthetic store.

Covers every endpoint, the filters, 400/404/503 as JSON, OpenAPI, security headers, and that
store text containing markup comes back as data and never reaches the HTML page.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from storyline.models import Actor, DocResult, Event, EventArg, Location, Mention, Quantity, Sentence
from storyline.server import create_app
from storyline.store import StoreWriter
from storyline.store.schema import rebuild_stories

XSS = "<script>alert('pwned')</script>"
PLACES = {
    "Yokosuka": ("JPN", 35.28, 139.67, 1848313),
    "Seoul": ("KOR", 37.566, 126.978, 1835848),
    "Kyiv": ("UKR", 50.45, 30.52, 703448),
    "Brussels": ("BEL", 50.85, 4.35, 2800866),
}
ACTORS = {
    "ahn": Actor(id="a-ahn", name="Ahn Gyu-back", country="KOR", agent="GOV", role="defence minister", kind="person",
                 aliases=["Ahn"]),
    "jpn": Actor(id="a-jpn", name="Japan", country="JPN", agent="GOV", kind="state"),
    "rus": Actor(id="a-rus", name="Russian forces", country="RUS", agent="MIL", kind="organisation"),
    "ukr": Actor(id="a-ukr", name="Ukraine", country="UKR", agent="GOV", kind="state"),
    "eu": Actor(id="a-eu", name="European Union", country="EU", agent="IGO", kind="organisation"),
}

# doc_id, published, title, url, [(sentence, type, mode, modality, source, target, date, place)]
DOCS = [
    ("d1", "2026-01-27", "Ahn to visit Japan", "https://example.org/news/d1",
     [("Defence Minister Ahn Gyu-back will visit Japan on Friday.", "CONSULT", "visit", "planned",
       "ahn", "jpn", "2026-01-30", "Yokosuka")]),
    ("d2", "2026-01-30", "Ahn arrives in Yokosuka", "https://example.org/news/d2",
     [("Ahn Gyu-back arrived in Yokosuka on Friday for talks.", "CONSULT", "visit", "asserted",
       "ahn", "jpn", "2026-01-30", "Yokosuka"),
      ("Japan did not agree to share radar data, officials said.", "AGREE", None, "negated",
       "jpn", "ahn", "2026-01-30", "Yokosuka")]),
    ("d3", "2026-01-31", f"Reprint {XSS}", "javascript:alert(1)",
     [(f"Ahn met Japanese officials {XSS} in Yokosuka.", "CONSULT", "visit", "asserted",
       "ahn", "jpn", "2026-01-30", "Yokosuka")]),
    ("d4", "2024-03-14", "Shelling in Kyiv", "https://example.org/news/d4",
     [("Russian forces shelled Kyiv on Wednesday.", "ASSAULT", "aerial", "asserted",
       "rus", "ukr", "2024-03-13", "Kyiv"),
      ("The European Union imposed new sanctions on Russia.", "SANCTION", None, "asserted",
       "eu", "rus", "2024-03-14", "Brussels")]),
    # the awkward cases: no date, no target, no place, no actor ids, a month-long range
    ("d5", "2025-05-20", "Unrest", None,
     [("Thousands protested in the capital, organisers said.", "PROTEST", None, "reported",
       EventArg("Thousands", "Protesters"), None, None, None),
      ("Iran may threaten shipping in June.", "THREATEN", None, "hypothetical",
       EventArg("Iran", "Iran", "IRN", "GOV"), EventArg("shipping"), "2025-06-01/2025-06-30", None)]),
]


# why each event is there (EVENT.explain); events without an entry have none, as in a store
# written before the field existed. d3-e1's carries markup in every text field the UI shows.
EXPLAIN = {
    "d1-e1": {"rule": "lexicon:visit/V", "rule_type": "CONSULT", "rule_weight": 0.8, "trigger_pos": "VERB",
              "trigger_dep": "ROOT", "light_verb": None, "source_how": "nsubj", "target_how": "dobj",
              "date_how": "dependency", "place_how": "document", "sentence_index": 0, "candidates_in_sentence": 1,
              "actorless": False, "model_keep": 0.91, "model_types": {"CONSULT": 0.85, "AGREE": 0.03}},
    "d2-e2": {"rule": "lexicon:share/V", "rule_type": "CONSULT", "rule_weight": 0.6, "trigger_pos": "VERB",
              "trigger_dep": "xcomp", "light_verb": None, "source_how": "nsubj", "target_how": "ranker:with>pobj",
              "target_score": 0.71, "date_how": "inherited", "place_how": "inherited", "sentence_index": 1,
              "candidates_in_sentence": 1, "actorless": False, "model_keep": 0.87,
              "model_types": {"AGREE": 0.8, "CONSULT": 0.05}, "retyped_from": "CONSULT"},
    "d3-e1": {"rule": f"lexicon:{XSS}/V", "rule_type": "CONSULT", "light_verb": XSS, "source_how": XSS,
              "target_how": f"ranker:{XSS}>pobj", "target_score": 0.5, "model_keep": 0.66, "retyped_from": XSS},
}


def arg(who: str | EventArg | None, used: set) -> EventArg | None:
    """An event argument: a known actor (by key), a given EventArg, or none."""
    if who is None or isinstance(who, EventArg):
        return who
    used.add(who)
    a = ACTORS[who]
    return EventArg(a.name, a.name, a.country, a.agent, a.id)


def make_doc(doc_id: str, published: str, title: str, url: str, specs: list) -> DocResult:
    """A DocResult whose events' offsets point at their sentences in the text."""
    text, sentences, events, used = "", [], [], set()
    for i, (sent, etype, mode, modality, src, tgt, date, place) in enumerate(specs):
        start = len(text)
        text += sent + " "
        sentences.append(Sentence(sent, start, start + len(sent)))
        date, _, date_end = (date or "").partition("/")
        events.append(Event(
            event_id=f"{doc_id}-e{i + 1}", type=etype, mode=mode, cameo="04", date=date or None,
            date_end=date_end or None, source=arg(src, used), target=arg(tgt, used),
            date_precision="month" if date_end else "day" if date else None, date_text="Friday" if date else None,
            location=Location(place, *PLACES[place]) if place else None,
            modality=modality, attribution="officials" if modality == "negated" else None,
            quantities=[Quantity("two", 2, "ship")] if i == 0 else [], sentence=sent, start=start,
            end=start + len(sent), confidence=0.8, explain=EXPLAIN.get(f"{doc_id}-e{i + 1}"),
        ))
    text = text.strip() + " (Reuters)"
    actors = [Actor(**{**ACTORS[k].__dict__, "mentions": [Mention(ACTORS[k].name, 0, 1)]}) for k in sorted(used)]
    return DocResult(doc_id=doc_id, title=title, published=dt.date.fromisoformat(published), published_inferred=False,
                     text=text, url=url, actors=actors, events=events, sentences=sentences, content_hash=doc_id,
                     source=f"{doc_id}.txt")


CLUSTERS = {  # event_id → (event_cluster, story_id): fixed here so the tests do not depend on link heuristics
    "d1-e1": ("c-plan", "s-visit"), "d2-e1": ("c-visit", "s-visit"), "d3-e1": ("c-visit", "s-visit"),
    "d2-e2": ("c-radar", "s-visit"), "d4-e1": ("c-shell", "s-kyiv"), "d4-e2": ("c-sanction", "s-kyiv"),
    "d5-e1": ("c-protest", "s-unrest"), "d5-e2": ("c-threat", "s-unrest"),
}
STORIES = [("s-visit", "Ahn Gyu-back visits Japan", "2026-01-30", "2026-01-30", 4, 3, 3),
           ("s-kyiv", "Russian forces shell Kyiv; EU sanctions", "2024-03-13", "2024-03-14", 2, 1, 2),
           ("s-unrest", "Unrest and threats", "2025-06-01", "2025-06-30", 2, 1, 2)]


def make_store(path: Path) -> Path:
    """Write the synthetic store: 5 documents, 8 events in 3 stories, 1 failure.

    Documents go through ``StoreWriter``; clusters, stories and the failure row are written
    on its connection directly, so these tests depend on neither the link stage nor actor merging.
    """
    w = StoreWriter(path)
    w.write_batch([(make_doc(*d), f"h-{d[0]}") for d in DOCS], [])
    con = w.con
    con.executemany("INSERT INTO event_clusters VALUES (?, ?, ?)", [(e, c, s) for e, (c, s) in CLUSTERS.items()])
    con.executemany("INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?)", STORIES)
    rebuild_stories(con)  # as a relink does
    con.execute("INSERT INTO failures VALUES (?, ?, ?, ?)", ["bad.bin", "read", "binary", f"bad.bin: binary {XSS}"])
    w.close()
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return make_store(tmp_path_factory.mktemp("srv") / "s.duckdb")


@pytest.fixture(scope="module")
def client(db) -> TestClient:
    with TestClient(create_app(str(db))) as c:
        yield c


def get(client: TestClient, url: str, status: int = 200, **params) -> dict:
    r = client.get(url, params=params)
    assert r.status_code == status, (url, r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def test_health(client):
    body = get(client, "/api/health")
    assert body["status"] == "ok"
    assert body["counts"] == {"documents": 5, "events": 8, "stories": 3, "failures": 1}


def test_health_on_missing_store_is_503(tmp_path):
    with TestClient(create_app(str(tmp_path / "nope.duckdb"))) as c:
        r = c.get("/api/health")
        assert r.status_code == 503 and r.json()["status"] == "unavailable"
        assert "no such store" in r.json()["error"]["message"]
        assert c.get("/api/events").status_code == 503


def test_events_all_in_date_order(client):
    body = get(client, "/api/events")
    assert body["total"] == 8 and body["limit"] == 100 and body["offset"] == 0
    dates = [e["date"] for e in body["events"]]
    assert dates[-1] is None and dates[:-1] == sorted(dates[:-1])  # undated last
    e = body["events"][0]
    for key in ("event_id", "type", "mode", "modality", "source", "target", "date", "location", "sentence", "start",
                "end", "confidence", "doc_id", "event_cluster", "story_id"):
        assert key in e, key
    assert e["location"]["lat"] is not None


@pytest.mark.parametrize("params,ids", [
    ({"type": "consult"}, {"d1-e1", "d2-e1", "d3-e1"}),
    ({"modality": "negated"}, {"d2-e2"}),
    ({"modality": "planned", "type": "CONSULT"}, {"d1-e1"}),
    ({"country": "rus"}, {"d4-e1", "d4-e2"}),
    ({"country": "EU"}, {"d4-e2"}),
    ({"doc": "d2"}, {"d2-e1", "d2-e2"}),
    ({"since": "2026-01-01"}, {"d1-e1", "d2-e1", "d2-e2", "d3-e1"}),
    ({"until": "2024-03"}, {"d4-e1", "d4-e2"}),
    ({"since": "2024-03-14", "until": "2024"}, {"d4-e2"}),
    ({"doc": "nope"}, set()),
    ({"doc": "d1' OR '1'='1"}, set()),
])
def test_event_filters(client, params, ids):
    body = get(client, "/api/events", **params)
    assert {e["event_id"] for e in body["events"]} == ids
    assert body["total"] == len(ids)


def test_event_story_filter_and_paging(client):
    story = get(client, "/api/events/d2-e1")["story_id"]
    in_story = get(client, "/api/events", story=story)
    assert in_story["total"] >= 3 and all(e["story_id"] == story for e in in_story["events"])
    page1 = get(client, "/api/events", limit=2)
    page2 = get(client, "/api/events", limit=2, offset=2)
    assert page1["total"] == page2["total"] == 8
    assert len(page1["events"]) == len(page2["events"]) == 2
    assert not {e["event_id"] for e in page1["events"]} & {e["event_id"] for e in page2["events"]}
    assert get(client, "/api/events", offset=100)["events"] == []


@pytest.mark.parametrize("params,needle", [
    ({"since": "yesterday"}, "since"),
    ({"until": "2026-13-01"}, "until"),
    ({"since": "2026-02-01", "until": "2026-01-01"}, "after"),
    ({"type": "BOMB"}, "type"),
    ({"modality": "maybe"}, "modality"),
    ({"country": "K0R"}, "country"),
    ({"limit": "ten"}, "limit"),
    ({"limit": "0"}, "limit"),
    ({"limit": "100000"}, "limit"),
    ({"offset": "-1"}, "offset"),
    ({"colour": "red"}, "unknown parameter"),
])
def test_bad_filters_are_400(client, params, needle):
    body = get(client, "/api/events", 400, **params)
    assert body["error"]["status"] == 400 and needle in body["error"]["message"]


def test_event_detail(client):
    e = get(client, "/api/events/d2-e1")
    assert e["type"] == "CONSULT" and e["modality"] == "asserted"
    assert e["doc"]["doc_id"] == "d2" and e["doc"]["url"] == "https://example.org/news/d2"
    assert e["doc"]["href"] == "/api/docs/d2"
    doc = get(client, e["doc"]["href"])
    assert doc["text"][e["start"]:e["end"]] == e["sentence"]
    # the planned visit, the visit and its reprint: the visit's other mention is d3's
    assert {s["event_id"] for s in e["same_event"]} >= {"d3-e1"}


def test_unknown_ids_are_404(client):
    for url in ("/api/events/nope", "/api/stories/nope", "/api/docs/nope", "/api/nothing-here"):
        body = get(client, url, 404)
        assert body["error"]["status"] == 404


def test_wrong_method_is_json(client):
    r = client.post("/api/events")
    assert r.status_code == 405 and r.json()["error"]["status"] == 405


def test_stories_and_story(client):
    stories = get(client, "/api/stories")["stories"]
    assert len(stories) >= 2
    assert all(s["story_id"] and s["n_events"] >= 1 for s in stories)
    visit = next(s for s in stories if s["first_date"] and s["first_date"].startswith("2026"))
    body = get(client, f"/api/stories/{visit['story_id']}")
    assert body["story_id"] == visit["story_id"]
    dates = [e["date"] for e in body["events"]]
    assert dates == sorted(dates) and len(body["events"]) == visit["n_events"]
    assert {d["doc_id"] for d in body["docs"]} == {e["doc_id"] for e in body["events"]}
    page = get(client, "/api/stories", limit=1, offset=1)
    assert page["total"] == len(stories) and page["stories"] == stories[1:2]
    get(client, "/api/stories", 400, limit=0)


def test_actors(client):
    actors = get(client, "/api/actors")["actors"]
    names = {a["name"] for a in actors}
    assert {"Ahn Gyu-back", "Japan", "European Union"} <= names
    kor = get(client, "/api/actors", country="kor")["actors"]
    assert [a["name"] for a in kor] == ["Ahn Gyu-back"] and kor[0]["aliases"] == ["Ahn"]
    get(client, "/api/actors", 400, country="<b>")


def test_network(client):
    net = get(client, "/api/network")
    ids = {n["id"] for n in net["nodes"]}
    assert net["level"] == "actor" and net["n_events"] == 8
    assert all(e["source"] in ids and e["target"] in ids for e in net["edges"])
    top = net["edges"][0]
    assert top["count"] == 3 and top["types"] == {"CONSULT": 3}
    assert top["modalities"] == {"asserted": 2, "planned": 1}
    by_country = get(client, "/api/network", level="country", since="2024-01-01", until="2024-12-31")
    assert {n["id"] for n in by_country["nodes"]} == {"RUS", "UKR", "EU"}
    assert {n["label"] for n in by_country["nodes"]} >= {"Ukraine"}
    assert {(e["source"], e["target"]) for e in by_country["edges"]} == {("RUS", "UKR"), ("EU", "RUS")}
    get(client, "/api/network", 400, level="planet")
    busiest = get(client, "/api/network", limit=1)  # only the busiest edge, with its nodes
    assert busiest["edges"] == net["edges"][:1] and busiest["n_edges"] == len(net["edges"]) > 1
    assert {n["id"] for n in busiest["nodes"]} == {top["source"], top["target"]}
    story = get(client, "/api/events/d4-e1")["story_id"]
    assert get(client, "/api/network", story=story)["n_events"] >= 1


def test_awkward_events(client):
    """No date, no target, no place, no actor id, a date range: all still come back and draw."""
    undated = get(client, "/api/events", type="PROTEST")["events"][0]
    assert undated["date"] is None and undated["target"] is None and undated["location"] is None
    ranged = get(client, "/api/events", since="2025-06-15", until="2025-06-20")["events"]
    assert [e["event_id"] for e in ranged] == ["d5-e2"] and ranged[0]["date_end"] == "2025-06-30"
    net = get(client, "/api/network", story="s-unrest")
    assert net["n_events"] == 2
    assert {n["id"] for n in net["nodes"]} == {"?:Protesters", "IRN:Iran", "?:shipping"}
    assert [(e["source"], e["target"]) for e in net["edges"]] == [("IRN:Iran", "?:shipping")]
    story = get(client, "/api/stories/s-unrest")
    assert [e["event_id"] for e in story["events"]] == ["d5-e2", "d5-e1"]
    doc = get(client, "/api/docs/d5")
    assert doc["url"] is None and len(doc["events"]) == 2


def test_events_explain_themselves(client):
    """EVENT.explain comes back as stored, in the list, the detail and the story; null when absent."""
    by_id = {e["event_id"]: e for e in get(client, "/api/events", doc="d2")["events"]}
    assert by_id["d2-e2"]["explain"] == EXPLAIN["d2-e2"]
    assert "explain" in by_id["d2-e1"] and by_id["d2-e1"]["explain"] is None  # the field is always there
    detail = get(client, "/api/events/d3-e1")
    assert detail["explain"] == EXPLAIN["d3-e1"] and XSS in detail["explain"]["rule"]  # markup stays data
    story = get(client, "/api/stories/s-visit")
    assert {e["event_id"]: e["explain"] for e in story["events"]}["d1-e1"] == EXPLAIN["d1-e1"]


def test_explain_of_an_ingested_document(tmp_path):
    """A real document through the real pipeline: every event the API serves says why it is
    there, exactly as `storyline process` said it."""
    import storyline
    from storyline.ingest import ingest

    path = Path(__file__).resolve().parents[1] / "examples" / "news" / "000_5143d63dd3b7bfc1.txt"
    db = tmp_path / "real.duckdb"
    assert ingest([str(path)], db=str(db)).processed == 1
    processed = {e["event_id"]: e["explain"] for res in storyline.process_paths([str(path)])
                 for e in res.to_dict()["events"]}
    with TestClient(create_app(str(db))) as c:
        events = get(c, "/api/events", limit=1000)["events"]
        assert events and {e["event_id"] for e in events} == set(processed)
        for e in events:
            x = e["explain"]
            assert isinstance(x, dict) and x == processed[e["event_id"]], e["event_id"]
            assert x["rule"] and x["rule_type"] and x["source_how"] and x["target_how"]
            assert 0 <= x["model_keep"] <= 1 and x["model_types"]
            if "retyped_from" in x:  # only when the model changed the rule's type
                assert x["retyped_from"] == x["rule_type"] != e["type"]
        one = events[0]
        assert get(c, f"/api/events/{one['event_id']}")["explain"] == one["explain"]


def test_doc(client):
    doc = get(client, "/api/docs/d2")
    assert doc["title"] == "Ahn arrives in Yokosuka" and doc["published"] == "2026-01-30"
    assert doc["url"] == "https://example.org/news/d2"
    assert [e["event_id"] for e in doc["events"]] == ["d2-e1", "d2-e2"]
    for e in doc["events"]:
        assert doc["text"][e["start"]:e["end"]]


def test_failures(client):
    f = get(client, "/api/failures")["failures"]
    assert [(x["doc"], x["stage"], x["error"]) for x in f] == [("bad.bin", "read", "binary")]


def test_markup_in_store_is_returned_as_data(client):
    doc = get(client, "/api/docs/d3")
    assert XSS in doc["title"] and XSS in doc["text"]
    ev = get(client, "/api/events/d3-e1")
    assert XSS in ev["sentence"] and ev["doc"]["url"] == "javascript:alert(1)"
    raw = client.get("/api/docs/d3")
    assert raw.headers["content-type"] == "application/json"
    assert raw.headers["x-content-type-options"] == "nosniff"
    assert XSS in json.loads(raw.text)["title"]


def test_page_and_static_never_carry_store_text(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>alert" not in page.text and "pwned" not in page.text
    for name in ("app.js", "style.css", "world.json"):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200, name
        assert "pwned" not in r.text
    # the UI never feeds store data to innerHTML/outerHTML/insertAdjacentHTML/document.write
    js = client.get("/static/app.js").text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in js, sink
    # every src/href in the page is local
    assert "http://" not in page.text.replace("http://www.w3.org", "") and "https://" not in page.text


def test_openapi_lists_every_endpoint(client):
    spec = get(client, "/openapi.json")
    assert spec["openapi"].startswith("3.")
    for path in ("/api/health", "/api/events", "/api/events/{event_id}", "/api/stories", "/api/stories/{story_id}",
                 "/api/actors", "/api/network", "/api/docs/{doc_id}", "/api/failures"):
        assert "get" in spec["paths"][path], path
    explain = spec["components"]["schemas"]["Event"]["properties"]["explain"]
    assert explain["type"] == ["object", "null"]
    assert {"rule", "rule_type", "source_how", "target_how", "source_score", "target_score", "model_keep",
            "model_types", "retyped_from", "date_how", "place_how"} <= set(explain["properties"])
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert params == {"type", "modality", "country", "doc", "story", "since", "until", "limit", "offset"}
    # every $ref resolves
    refs = {m for m in _walk(spec) if isinstance(m, str) and m.startswith("#/components/schemas/")}
    assert refs and all(r.rsplit("/", 1)[1] in spec["components"]["schemas"] for r in refs)
    # and the routes served match the ones described
    app_paths = {"/api/health", "/api/events", "/api/stories", "/api/actors", "/api/network", "/api/failures"}
    assert app_paths <= set(spec["paths"])


def _walk(obj):
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk(v)
    else:
        yield obj


def test_store_is_opened_read_only(db, client):
    """A writer can open the store between requests: the server holds no connection."""
    get(client, "/api/events")
    w = StoreWriter(db)
    w.close()
    get(client, "/api/events")


def test_event_detail_lists_other_reports_and_modality_history(client):
    e = get(client, "/api/events/d2-e1")
    # "Also reported in": other documents only, one entry each
    assert [s["doc_id"] for s in e["also_reported_in"]] == ["d3"]
    assert e["modality_history"] == []  # both reports told it as asserted


def test_other_reports_never_list_the_events_own_document():
    from storyline.server.api import _other_reports

    day = dt.date(2026, 3, 11)
    cluster = [{"event_id": f"x{i}", "doc_id": doc, "title": doc, "published": day, "date": day,
                "modality": "asserted", "attribution": None, "start_char": i} for i, doc in enumerate("aabcc")]
    assert [s["event_id"] for s in _other_reports(cluster, "a")] == ["x2", "x3"]
    assert [s["doc_id"] for s in _other_reports(cluster, "c")] == ["a", "b"]


def test_network_and_events_of_a_country_read_through_event_sides(client, db):
    """With a country filter the network and the event page read ``event_sides`` (one
    country's rows); they must say what the events table says."""
    from storyline.store import connect, query

    full = get(client, "/api/network")
    full_pairs = {(e["source"], e["target"]) for e in full["edges"]}
    con = connect(db, read_only=True)
    countries = {c for pair in con.execute("SELECT source_country, target_country FROM events").fetchall()
                 for c in pair if c}
    assert len(countries) >= 4
    for country in sorted(countries):
        mine = {r[0] for r in con.execute("SELECT event_id FROM events WHERE source_country = ? OR target_country = ?",
                                          [country, country]).fetchall()}
        net = get(client, "/api/network", country=country)
        assert net["n_events"] == len(mine), country
        assert {x for e in net["edges"] for x in e["events"]} <= mine
        assert {(e["source"], e["target"]) for e in net["edges"]} <= full_pairs
        assert all(e["count"] == len(e["events"]) == sum(e["types"].values()) for e in net["edges"])
        page = get(client, "/api/events", country=country, limit=100)
        assert page["total"] == len(mine) and {e["event_id"] for e in page["events"]} == mine
    con.close()


def test_answers_are_kept_per_snapshot_generation(tmp_path):
    """A repeated request is answered from the kept body; a new snapshot (an ingest wrote)
    is read at once, never an answer of the old one."""
    db = make_store(tmp_path / "k.duckdb")
    with TestClient(create_app(str(db))) as c:
        first = c.get("/api/stories")
        again = c.get("/api/stories")
        assert first.status_code == again.status_code == 200
        assert again.content == first.content and again.headers["content-type"].startswith("application/json")
        assert "x-content-type-options" in again.headers  # the security headers on kept answers too
        assert c.get("/api/events", params={"type": "NOPE"}).status_code == 400  # errors are never kept
        w = StoreWriter(db)
        w.con.execute("INSERT INTO stories VALUES ('s-new', 'A new story', DATE '2026-02-01', DATE '2026-02-02', "
                      "99, 1, 1)")
        w.close()  # publishes a new generation
        newer = c.get("/api/stories").json()
        assert newer["total"] == 4 and newer["stories"][0]["story_id"] == "s-new"


def test_kept_answers_are_bounded_and_dropped_with_their_generation():
    from storyline.server.api import Answers

    a = Answers(max_bytes=800)
    a.put(1, ("x",), b"a" * 100)
    assert a.get(1, ("x",)) == b"a" * 100 and a.get(2, ("x",)) is None
    a.put(1, ("big",), b"b" * 101)  # over an eighth of the bound: not kept
    assert a.get(1, ("big",)) is None
    for i in range(9):
        a.put(1, (i,), b"c" * 100)
    assert a.get(1, ("x",)) is None and a.get(1, (8,)) is not None  # least recently used went first
    a.put(2, ("y",), b"d")
    assert a.get(1, (8,)) is None and a.get(2, ("y",)) == b"d"
    a.put(1, ("late",), b"e")  # computed on a replaced generation: not kept
    assert a.get(2, ("y",)) == b"d" and a.get(1, ("late",)) is None


def test_json_bodies_hold_dates_decimals_and_no_nan():
    import decimal

    from storyline.server.api import _clean, render_json

    value = {"d": dt.date(2026, 1, 2), "t": (1, 2), "x": decimal.Decimal("1.5"), "s": "ü"}
    assert render_json(value) == json.dumps(_clean(value), ensure_ascii=False, separators=(",", ":")).encode()
    assert json.loads(render_json({"n": float("nan"), "m": [decimal.Decimal("NaN")]})) == {"n": None, "m": [None]}


def test_story_timeline_is_paged(client):
    story = get(client, "/api/events/d2-e1")["story_id"]
    whole = get(client, f"/api/stories/{story}")
    assert whole["events_total"] == len(whole["events"]) >= 3 and whole["limit"] == 100
    page = get(client, f"/api/stories/{story}", limit=1, offset=1)
    assert [e["event_id"] for e in page["events"]] == [whole["events"][1]["event_id"]]
    assert page["events_total"] == whole["events_total"] and page["docs"] == whole["docs"]
    get(client, f"/api/stories/{story}", 400, limit=0)


def test_event_stored_without_its_record_is_answered_from_its_columns(tmp_path):
    """The pages read each event's record only; an event stored without one (a store written
    by hand, or by an older version) is rebuilt from its columns, in the events page and in
    its story's timeline, with its cluster and story."""
    db = make_store(tmp_path / "bare.duckdb")
    w = StoreWriter(db)
    w.con.execute("UPDATE events SET record = NULL WHERE event_id = 'd3-e1'")
    w.close()
    with TestClient(create_app(str(db))) as c:
        page = get(c, "/api/events", story="s-visit")
        story = get(c, "/api/stories/s-visit")
    for events in (page["events"], story["events"]):
        bare = next(e for e in events if e["event_id"] == "d3-e1")
        assert bare["type"] and bare["doc_id"] == "d3" and bare["event_cluster"] == "c-visit"
        assert bare["story_id"] == "s-visit" and bare["start"] is not None
    assert [e["event_id"] for e in page["events"]] == [e["event_id"] for e in story["events"]]
