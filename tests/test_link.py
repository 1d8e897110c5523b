import datetime as dt

from storyline.coref import interval, interval_gap
from storyline.link import LinkEvent, cluster_events, link, same_event

D = dt.date


def ev(i, doc, typ="CONSULT", src="KOR", tgt="JPN", date=D(2026, 1, 29), end=None, mode="visit", sa=None, ta=None):
    return LinkEvent(i, doc, typ, mode, src, tgt, date, end, sa, ta)


def test_planned_range_and_realised_day_are_one_event():
    planned = ev("e1", "d1", date=D(2026, 1, 29), end=D(2026, 1, 31))
    done = ev("e2", "d2", date=D(2026, 1, 29))
    assert same_event(planned, done)
    clusters = cluster_events([planned, done], model=None)
    assert clusters["e1"] == clusters["e2"]


def test_different_type_mode_sides_or_dates_are_separate():
    base = ev("e1", "d1")
    assert not same_event(base, ev("e2", "d2", typ="AGREE"))
    assert not same_event(base, ev("e3", "d2", mode="phone"))
    assert not same_event(base, ev("e4", "d2", date=D(2025, 12, 10)))
    assert not same_event(ev("a", "d1", typ="ACCUSE", src="JPN", tgt="PRK"), ev("b", "d2", typ="ACCUSE", src="PRK", tgt="JPN"))
    assert not same_event(base, ev("e5", "d2", date=None))


def test_symmetric_types_ignore_direction():
    assert same_event(ev("a", "d1"), ev("b", "d2", src="JPN", tgt="KOR"))


def test_ids_do_not_depend_on_order():
    events = [ev("e1", "d1"), ev("e2", "d2"), ev("e3", "d3", typ="ACCUSE", src="JPN", tgt="PRK", mode=None)]
    a = link(events, models=False)
    b = link(list(reversed(events)), models=False)
    assert a[0] == b[0] and a[1] == b[1]
    assert [s.story_id for s in a[2]] == [s.story_id for s in b[2]]


def test_stories_join_clusters_of_a_country_pair_within_a_window():
    events = [
        ev("v1", "d1", date=D(2026, 1, 29), end=D(2026, 1, 31)),
        ev("t1", "d1", mode="meet", date=D(2026, 1, 30)),
        ev("r1", "d2", typ="COOPERATE", src="JPN", tgt="KOR", mode=None, date=D(2026, 1, 28)),
        ev("far", "d3", date=D(2024, 7, 1)),
        ev("m1", "d4", typ="ASSAULT", src="PRK", tgt="JPN", mode=None, date=D(2026, 1, 27)),
    ]
    clusters, cluster_story, stories = link(events, models=False)
    story = {e: cluster_story[clusters[e]] for e in clusters}
    assert story["v1"] == story["t1"] == story["r1"]
    assert story["far"] != story["v1"]
    assert story["m1"] != story["v1"]
    top = stories[0]
    assert top.n_events == 3 and top.first_date == D(2026, 1, 28) and top.last_date == D(2026, 1, 31)
    assert top.title.startswith("JPN–KOR")


def test_month_wide_mentions_do_not_chain_distant_meetings():
    # November talks, a December mention, a vague January mention and a January 29 trip:
    # each neighbour pair is compatible, but November and January 29 are not one event.
    events = [
        ev("nov", "d1", date=D(2025, 11, 1), end=D(2025, 11, 30), mode=None),
        ev("nov-dec", "d1", date=D(2025, 11, 20), end=D(2025, 12, 10), mode=None),
        ev("dec-jan", "d2", date=D(2025, 12, 5), end=D(2026, 1, 31), mode=None),
        ev("trip", "d2", date=D(2026, 1, 29)),
        ev("trip2", "d3", date=D(2026, 1, 29), end=D(2026, 1, 31)),
    ]
    clusters = cluster_events(events, model=None)
    assert clusters["trip"] == clusters["trip2"]
    assert clusters["nov"] != clusters["trip"]
    assert len({clusters[e.event_id] for e in events}) >= 2
    assert cluster_events(list(reversed(events)), model=None) == clusters


def test_different_named_people_are_different_meetings():
    summit = LinkEvent("s", "d1", "CONSULT", None, "KOR", "JPN", D(2026, 1, 1), D(2026, 1, 31),
                       source_person="p-lee", target_person="p-takaichi")
    trip = LinkEvent("t", "d2", "CONSULT", "visit", "KOR", "JPN", D(2026, 1, 29), None,
                     source_person="p-ahn")
    talks = LinkEvent("k", "d2", "CONSULT", None, "KOR", "JPN", D(2026, 1, 29), D(2026, 1, 31),
                      source_person="p-ahn", target_person="p-koizumi")
    state = LinkEvent("g", "d3", "CONSULT", None, "KOR", "JPN", D(2026, 1, 29), None)
    assert not same_event(summit, trip)
    assert same_event(trip, talks) and same_event(state, talks)
    clusters = cluster_events([summit, trip, talks, state], model=None)
    assert clusters["t"] == clusters["k"] == clusters["g"] != clusters["s"]


def test_events_of_one_report_form_one_story_unless_countries_differ():
    a = ev("a", "d1", typ="AID", src="USA", tgt=None, mode=None, date=D(2008, 12, 10))
    b = ev("b", "d1", typ="REJECT", src=None, tgt=None, mode=None, date=D(2008, 12, 9))
    c = ev("c", "d1", typ="ASSAULT", src="RUS", tgt="GEO", mode=None, date=D(2008, 12, 11))
    d = ev("d", "d2", typ="REJECT", src=None, tgt=None, mode=None, date=D(2008, 12, 12))
    clusters, cluster_story, stories = link([a, b, c, d], models=False)
    story = {e: cluster_story[clusters[e]] for e in "abcd"}
    assert story["a"] == story["b"]
    assert story["c"] != story["a"]
    assert story["d"] != story["b"]  # another report, nothing in common


def test_undated_mentions_need_a_person_or_a_precise_place():
    dated = LinkEvent("d", "d1", "ASSAULT", None, "USA", "SOM", D(2009, 4, 12), None, source_person="p-x",
                      location="gulf of aden|")
    same_person = LinkEvent("u1", "d2", "ASSAULT", None, "USA", "SOM", None, None, source_person="p-x")
    same_place = LinkEvent("u2", "d3", "ASSAULT", None, "USA", None, None, None, location="gulf of aden|")
    only_countries = LinkEvent("u3", "d4", "ASSAULT", None, "USA", "SOM", None, None)
    assert same_event(dated, same_person) and same_event(dated, same_place)
    assert not same_event(dated, only_countries)
    clusters = cluster_events([dated, same_person, same_place, only_countries], model=None)
    assert clusters["d"] == clusters["u1"] == clusters["u2"] != clusters["u3"]


# ---------------------------------------------------------------- indexes give the all-pairs answer


def _random_events(n, seed):
    import dataclasses
    import random

    rnd = random.Random(seed)
    out = []
    for i in range(n):
        typ = rnd.choice(["CONSULT", "ACCUSE", "ASSAULT"])
        date = D(2026, 1, 1) + dt.timedelta(days=rnd.randrange(0, 90)) if rnd.random() < 0.85 else None
        end = date + dt.timedelta(days=rnd.choice([0, 0, 0, 2, 30])) if date else None
        e = ev(f"e{i:03d}", f"d{rnd.randrange(n // 3)}", typ=typ, src=rnd.choice(["KOR", "JPN", "PRK", None]),
               tgt=rnd.choice(["KOR", "JPN", "USA", None]), date=date, end=end, mode=rnd.choice([None, None, "visit"]),
               sa=rnd.choice([None, "a1", "a2", "a3"]), ta=rnd.choice([None, "b1", "b2"]))
        people = rnd.choice([(None, None), ("Kim", None), ("Lee", None), (None, "Abe")])
        out.append(dataclasses.replace(e, source_person=people[0], target_person=people[1],
                                       location=rnd.choice([None, "Seoul", "Tokyo"])))
    return out


def _all_pairs_clusters(events):
    """Reference: complete linkage checked over every pair of the two clusters."""
    from storyline import link as L

    uf = L._UnionFind([e.event_id for e in events])
    members = {e.event_id: [e] for e in events}
    cands = []
    for a in events:
        for b in events:
            if a.date and b.date and (a.date, a.event_id) >= (b.date, b.event_id):
                continue  # dated pairs are taken in date order, as the linker does
            if not (a.date and b.date) and a.event_id >= b.event_id:
                continue
            if L.same_event(a, b):
                if a.date and b.date:
                    gap = interval_gap(interval(a), interval(b)) or 0
                    width = sum(((e.date_end or e.date) - e.date).days for e in (a, b))
                    cands.append((gap, width, a.event_id, b.event_id))
                elif a.doc_id == b.doc_id or L._anchors(a) & L._anchors(b):
                    cands.append((10**6, 0, a.event_id, b.event_id))
    for _, _, x, y in sorted(cands):
        rx, ry = uf.find(x), uf.find(y)
        if rx != ry and all(L._may_share_cluster(p, q) for p in members[rx] for q in members[ry]):
            uf.union(rx, ry)
            merged = members.pop(rx) + members.pop(ry)
            members[uf.find(rx)] = merged
    return {m: min(g) for g in uf.groups().values() for m in g}


def test_cluster_index_and_summaries_match_all_pairs():
    for seed in range(4):
        events = _random_events(150, seed)
        got = cluster_events(events, model=None)
        want = _all_pairs_clusters(events)
        by_got, by_want = {}, {}
        for e in events:
            by_got.setdefault(got[e.event_id], set()).add(e.event_id)
            by_want.setdefault(want[e.event_id], set()).add(e.event_id)
        assert sorted(map(sorted, by_got.values())) == sorted(map(sorted, by_want.values()))


def test_story_candidates_cover_every_joinable_pair():
    from storyline import link as L

    events = _random_events(200, 7)
    clusters = cluster_events(events, model=None)
    members = {}
    for e in events:
        members.setdefault(clusters[e.event_id], []).append(e)
    info = {c: L._thread(v) for c, v in members.items()}
    placed = sorted(c for c in members if info[c].countries)
    cands = set(L._story_candidates(placed, info))
    for i, a in enumerate(placed):
        for b in placed[i + 1:]:
            ta, tb = info[a], info[b]
            gap = interval_gap(ta.span, tb.span)
            if gap is not None and gap > L.STORY_WINDOW_DAYS:
                continue
            if (gap is not None and (ta.pairs & tb.pairs or ta.actors & tb.actors)) \
                    or (gap is None and ta.people & tb.people) or (ta.docs & tb.docs and ta.countries & tb.countries):
                assert (a, b) in cands


def test_story_title_counts_a_surname_for_the_full_name():
    import dataclasses

    from storyline.link import story_title

    evs = [dataclasses.replace(ev(f"e{i}", "d1", typ="REQUEST", src="USA", tgt="CHN", mode=None), people=(p,))
           for i, p in enumerate(["Donald Trump", "Trump", "Trump", "Xi Jinping"])]
    assert story_title(evs) == "CHN–USA: request, Jan 2026 — Donald Trump, Xi Jinping"


def test_story_title_names_the_central_event_and_its_month():
    import dataclasses

    from storyline.link import story_title

    # the talks are told by two reports, the accusation and the visit by one each
    talks = [ev("t1", "d1", src="KOR", tgt="JPN", mode=None), ev("t2", "d2", src="JPN", tgt="KOR", mode=None)]
    other = [ev("a1", "d1", typ="ACCUSE", src="JPN", tgt="PRK", date=D(2026, 1, 27), mode=None),
             dataclasses.replace(ev("v1", "d3", date=D(2025, 11, 3)), people=("Ahn Gyu-back",))]
    clusters = {"t1": "c-talks", "t2": "c-talks", "a1": "c-accuse", "v1": "c-visit"}
    assert story_title(talks + other, clusters) == "JPN–KOR: talks, Jan 2026 — Ahn Gyu-back"
    assert story_title(list(reversed(talks + other)), clusters) == story_title(talks + other, clusters)
    # each mention its own event: the earliest dated to a day is central
    assert story_title(other) == "JPN–KOR: talks (visit), Nov 2025 — Ahn Gyu-back"


# ---------------------------------------------------------------- the trained models (data/link)


def told(i, doc, day, modality="asserted", typ="CONSULT", src=None, tgt="EST", trigger="met", sentence="",
         precision="day"):
    return LinkEvent(i, doc, typ, None, src, tgt, day, None, modality=modality, date_precision=precision,
                     trigger=trigger, sentence=sentence)


def test_two_days_are_two_events_whoever_decides():
    # a Wednesday meeting of ambassadors and a Friday meeting of ministers, same sides
    wed = told("n1", "d1", D(2026, 3, 11), sentence="Alliance ambassadors met in Brussels on Wednesday to back Estonia.")
    fri = told("u1", "d2", D(2026, 3, 13), modality="planned", trigger="meet",
               sentence="Foreign ministers will meet in Brussels on Friday to discuss Estonia.")
    assert not same_event(wed, fri)
    for model in (None, True):
        clusters = cluster_events([wed, fri], model=model)
        assert clusters["n1"] != clusters["u1"]


def test_the_model_joins_a_plan_and_its_realisation_on_the_same_day():
    plan = told("p", "d1", D(2026, 3, 13), modality="planned", trigger="meet", src="FRA",
                sentence="French and Estonian ministers will meet in Tallinn on Friday.")
    done = told("r", "d2", D(2026, 3, 13), trigger="met", src="FRA",
                sentence="French and Estonian ministers met in Tallinn on Friday.")
    other = told("o", "d3", D(2026, 3, 13), typ="ACCUSE", trigger="accused", src="RUS",
                 sentence="Russia accused Estonia of provocations on Friday.")
    clusters = cluster_events([plan, done, other])
    assert clusters["p"] == clusters["r"] != clusters["o"]


def test_average_linkage_keeps_a_look_alike_out():
    from storyline.coref import average_linkage

    # a, b, c tell one story; x shares something with a only
    scores = {("a", "b"): 0.9, ("b", "c"): 0.8, ("a", "c"): 0.7, ("a", "x"): 0.6}
    groups = average_linkage(["a", "b", "c", "x"], scores, 0.45)
    assert groups["a"] == groups["b"] == groups["c"] != groups["x"]
    assert average_linkage(["a", "b", "c", "x"], scores, 0.95) == {n: n for n in "abcx"}


def test_models_give_ids_that_do_not_depend_on_order():
    events = [told("e1", "d1", D(2026, 3, 11), src="LVA", sentence="Latvia and Estonia met on Wednesday."),
              told("e2", "d2", D(2026, 3, 11), src="LVA", sentence="Latvian and Estonian envoys met on Wednesday."),
              told("e3", "d3", D(2026, 3, 12), typ="ACCUSE", src="RUS", trigger="accused",
                   sentence="Russia accused Estonia of spying on Thursday.")]
    a, b = link(events), link(list(reversed(events)))
    assert a[0] == b[0] and a[1] == b[1] and [s.story_id for s in a[2]] == [s.story_id for s in b[2]]


def _stream():
    """Made-up reports in two ingests: a border-post shooting between two made-up-date rows of
    Armenia and Azerbaijan told over three days, talks on it, and look-alikes of the same week."""
    rows = [  # (event, doc, day, type, source, target, trigger, sentence)
        ("e01", "r1", 4, "ASSAULT", "AZE", "ARM", "shelled", "Azerbaijani troops shelled an Armenian border post near Sotk on Monday."),
        ("e02", "r2", 4, "ASSAULT", "AZE", "ARM", "fired", "Azerbaijani forces fired on the Sotk border post on Monday, Yerevan said."),
        ("e03", "r3", 5, "ACCUSE", "ARM", "AZE", "accused", "Armenia accused Azerbaijan of the attack on the Sotk post."),
        ("e04", "r4", 5, "CONSULT", "ARM", "GEO", "met", "Armenian and Georgian officials met in Tbilisi on Tuesday to discuss rail freight tariffs."),
        ("e05", "r5", 6, "CONSULT", "ARM", "AZE", "talks", "Armenian and Azerbaijani officials held talks on the Sotk shelling on Wednesday."),
        ("e06", "r6", 6, "ASSAULT", "AZE", "ARM", "shelling", "The shelling of the Sotk post on Monday killed two soldiers, Armenia said."),
        ("e07", "r7", 6, "AGREE", "AZE", "TUR", "signed", "Azerbaijan and Turkey signed a gas deal in Baku on Wednesday."),
        ("e08", "r8", 7, "ACCUSE", "AZE", "ARM", "denied", "Azerbaijan denied shelling the Sotk border post and accused Armenia of lying."),
    ]
    events = [LinkEvent(i, d, t, None, s, g, D(2026, 5, day), None, modality="asserted", date_precision="day",
                        trigger=trig, sentence=sent) for i, d, day, t, s, g, trig, sent in rows]
    leads = {e.doc_id: e.sentence for e in events}
    return events, leads


def test_incremental_linking_equals_a_full_relink_on_a_stream():
    from storyline.link import link_incremental

    events, leads = _stream()
    first = [e for e in events if e.doc_id in {"r1", "r3", "r4", "r7"}]
    c1, s1, _ = link_incremental(first, {}, {e.doc_id for e in first}, leads=leads)  # nothing linked: full
    assert (c1, s1) == link(first, leads=leads)[:2]
    previous = {e.event_id: (c1[e.event_id], s1[c1[e.event_id]]) for e in first}
    previous["gone"] = (c1["e03"], s1[c1["e03"]])  # a mention its report no longer has
    changed = {e.doc_id for e in events} - {"r1", "r3", "r4", "r7"}
    inc_c, inc_s, inc_stories = link_incremental(events, previous, changed, leads=leads)
    full_c, full_s, full_stories = link(events, leads=leads)
    assert inc_c == full_c and inc_s == full_s
    assert [s.story_id for s in inc_stories] == [s.story_id for s in full_stories]
    story = {e.doc_id: inc_s[inc_c[e.event_id]] for e in events}
    # the running story grew: the shooting's new reports joined the reports already linked
    assert story["r2"] == story["r1"] == story["r3"] == story["r6"]


def test_specific_words_leave_out_countries_and_weigh_rare_words():
    from storyline.coref import content_words, word_weights

    words = content_words(["Russian troops shelled Sotk in Armenia on Monday."])
    assert {"troops", "shelled", "sotk", "monday"} <= words and not {"russian", "armenia", "in", "on"} & words
    w = word_weights({"a": frozenset({"sotk", "said"}), "b": frozenset({"said", "tariffs"}), "c": frozenset({"said"})})
    assert w["said"] == 0.0 and w["sotk"] > 0


def test_linking_reads_every_text_form_alike():
    """The same mentions with their sentences and leads in other typography (quotes set apart,
    curly, contractions spaced, hard line breaks) give the same clusters and stories."""
    from dataclasses import replace
    from itertools import combinations

    import numpy as np

    from storyline.coref import mention_vectors, story_features
    from storyline.evaluation.link import TEXT_FORMS, reform
    from storyline.link import link_features, reports

    events, leads = _stream()
    quoted = {"e03": "Armenia accused Azerbaijan of the attack: \"It wasn't an accident,\" Yerevan's envoy said.",
              "e08": "Azerbaijan denied shelling the post and said Armenia's claim \"doesn't hold\" up."}
    events = [replace(e, sentence=quoted.get(e.event_id, e.sentence)) for e in events]
    base = link(events, leads=leads)

    def features(evs, lds):
        """Every pair's features: equal features give equal scores, whatever the thresholds."""
        vec = mention_vectors(evs)
        docs = reports(evs, base[0], vec, lds)
        pairs = [link_features(a, b, vec) for a, b in combinations(evs, 2) if a.type == b.type]
        return np.concatenate(pairs + [story_features(docs[a], docs[b]) for a, b in combinations(sorted(docs), 2)])

    want = features(events, leads)
    for form in TEXT_FORMS:
        other = [replace(e, sentence=reform(e.sentence, form)) for e in events]
        other_leads = {d: reform(t, form) for d, t in leads.items()}
        assert np.allclose(features(other, other_leads), want), form
        got = link(other, leads=other_leads)
        assert got[:2] == base[:2], form
        assert [s.title for s in got[2]] == [s.title for s in base[2]]


def test_a_new_report_bridges_two_running_stories():
    """Two reports of the shooting linked apart in a first ingest; the reports of the next
    ingest sit between them, and the incremental relink merges the two running stories as a
    full relink does."""
    from storyline.link import link_incremental

    events, leads = _stream()
    first = [e for e in events if e.doc_id in {"r1", "r2"}]
    c1, s1, _ = link(first, leads=leads)
    assert s1[c1["e01"]] != s1[c1["e02"]]
    previous = {e.event_id: (c1[e.event_id], s1[c1[e.event_id]]) for e in first}
    inc_c, inc_s, _ = link_incremental(events, previous, {e.doc_id for e in events} - {"r1", "r2"}, leads=leads)
    assert (inc_c, inc_s) == link(events, leads=leads)[:2]
    assert inc_s[inc_c["e01"]] == inc_s[inc_c["e02"]]
