"""Places stage: gazetteer, recognition and resolution on real spaCy parses."""
from __future__ import annotations

from pathlib import Path

import pytest

from storyline.annotate import annotate_one
from storyline.places import Gazetteer, extract_places, load_gazetteer
from storyline.places.gazetteer import haversine_km, name_key, valid_coordinate
from storyline.places.resolve import resolve_name

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "news"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _places(text: str, context=None):
    return extract_places(annotate_one(text), context)


def _find(places, text):
    hits = [p for p in places if p.text == text]
    assert hits, f"{text!r} not recognised in {[p.text for p in places]}"
    return hits[0]


def _near(p, lat, lon, km=50.0):
    assert p.lat is not None and p.lon is not None, p
    assert haversine_km(p.lat, p.lon, lat, lon) < km, p


def test_name_key_normalises():
    assert name_key("St. Louis") == name_key("Saint Louis")
    assert name_key("the Philippines") == "philippines"
    assert name_key("Japan's") == "japan"
    assert name_key("U.S.") == "us"


def test_gazetteer_layers(gaz):
    assert gaz is load_gazetteer()  # cached
    feats = {c.feature for c in gaz.lookup("Okinawa")}
    assert "admin1" in feats
    assert any(c.feature == "country" and c.country == "USA" for c in gaz.lookup("U.S."))
    assert any(c.feature == "admin1" and c.name == "Kentucky" for c in gaz.lookup("Ky."))
    assert any(c.feature == "sea" for c in gaz.lookup("East Sea"))
    assert any(c.name == "Dokdo" for c in gaz.lookup("Takeshima"))
    assert gaz.lookup("Qwxzzy") == []
    for c in gaz.lookup("Paris")[:20]:
        assert valid_coordinate(c.lat, c.lon)


def test_country_centroid_not_capital(gaz):
    canada = gaz.country("CAN")
    assert haversine_km(canada.lat, canada.lon, 45.42, -75.70) > 1000  # not Ottawa
    assert gaz.country("KR").country == "KOR"


@pytest.mark.parametrize("name,ctx,country,feature", [
    ("Nara", ["KOR", "JPN"], "JPN", "city"),
    ("Nara", None, "JPN", "city"),
    ("Florida", None, "USA", "admin1"),
    ("Georgia", ["USA"], "USA", "admin1"),
    ("Georgia", ["RUS"], "GEO", "country"),
    ("Tokyo", None, "JPN", "city"),
    ("Washington", None, "USA", "city"),
])
def test_resolve_name_priors_and_context(name, ctx, country, feature):
    cand, conf = resolve_name(name, ctx)
    assert cand.country == country and cand.feature == feature, cand
    assert 0 < conf <= 1


def test_demonyms_are_not_places_but_give_context():
    places = _places("The Japanese delegation arrived in Nara on Tuesday for talks with Korean officials.")
    assert all(p.text != "Japanese" for p in places)
    nara = _find(places, "Nara")
    assert nara.country == "JPN"
    _near(nara, 34.685, 135.805)


def test_directional_modifier_trimmed():
    places = _places("Heavy rain fell in northern Pyongyang on Sunday.")
    p = _find(places, "Pyongyang")
    assert p.country == "PRK"


def test_container_pattern_us_town():
    places = _places("A shooting at a school in Parkland, Florida, left 17 people dead.")
    p = _find(places, "Parkland")
    assert p.country == "USA" and p.admin1 == "Florida"
    _near(p, 26.31, -80.24)


def test_unknown_name_stays_unresolved():
    text = "Refugees reached the village of Zqarwindel near Mosul on Friday."
    # a name the gazetteer lacks is never given a made-up GeoNames reading: it stays
    # unresolved, or takes the vicinity of the local place the text names (Mosul)
    places = _places(text)
    assert _find(places, "Mosul").country == "IRQ"
    for p in places:
        if "Zqarwindel" in p.text:
            assert p.geonameid is None and p.feature in (None, "vicinity") and p.country in (None, "IRQ")
    for p in extract_places(annotate_one(text), vicinity=False):
        if "Zqarwindel" in p.text:
            assert p.lat is None and p.lon is None and p.geonameid is None


def test_bases_seas_islets():
    text = ("The destroyer left Yokosuka base and sailed into the Sea of Japan, which Seoul calls the East Sea, "
            "past the Dokdo islets, while jets scrambled from Naha air base in Okinawa.")
    places = _places(text)
    texts = [p.text for p in places]
    yk = next(p for p in places if p.text.startswith("Yokosuka"))
    assert yk.country == "JPN"
    _near(yk, 35.28, 139.67, 10)
    soj = next(p for p in places if "Sea of Japan" in p.text)
    assert soj.feature == "sea"
    assert any("East Sea" in t for t in texts)
    dokdo = next(p for p in places if p.text.startswith("Dokdo"))
    assert dokdo.country == "KOR" and dokdo.feature == "island"
    naha = next(p for p in places if p.text.startswith("Naha"))
    assert naha.country == "JPN" and naha.feature == "base"
    oki = _find(places, "Okinawa")
    assert oki.country == "JPN"


def test_coordinates_valid_and_confidence():
    places = _places("Talks in Geneva between Iran and the U.S. ended, officials in Tehran and Washington said.")
    assert {p.country for p in places if p.lat is not None} >= {"CHE", "IRN", "USA"}
    for p in places:
        assert 0.0 <= p.confidence <= 1.0
        if p.lat is not None:
            assert valid_coordinate(p.lat, p.lon)
            assert p.country and p.geonameid is not None


@pytest.mark.parametrize("text,country,lat,lon", [
    ("Yokosuka", "JPN", 35.28, 139.67),
    ("Wonju", "KOR", 37.35, 127.95),
    ("Nara", "JPN", 34.685, 135.805),
    ("Kuala Lumpur", "MYS", 3.14, 101.69),
    ("Incheon International Airport", "KOR", 37.46, 126.44),
    ("Pyongyang", "PRK", 39.03, 125.75),
    ("Dubai", "ARE", 25.08, 55.31),
    ("Tokyo", "JPN", 35.69, 139.69),
    ("Seoul", "KOR", 37.57, 126.98),
    ("Dokdo", "KOR", 37.24, 131.87),
])
def test_example_stories(text, country, lat, lon, example_places):
    hits = [p for p in example_places if p.text == text]
    assert hits, f"{text} not found"
    for p in hits:
        assert p.country == country, p
        _near(p, lat, lon)


def test_example_stories_bases_and_seas(example_places):
    naha = [p for p in example_places if p.text.startswith("Naha")]
    assert naha and all(p.country == "JPN" for p in naha)
    _near(naha[0], 26.2, 127.65, 30)
    assert any("Sea of Japan" in p.text and p.feature == "sea" for p in example_places)
    assert any(p.text == "Okinawa" and p.country == "JPN" for p in example_places)


@pytest.fixture(scope="module")
def example_places():
    out = []
    files = sorted(EXAMPLES.glob("0*.txt"))
    if not files:
        pytest.skip("example stories not present")
    for f in files:
        out.extend(extract_places(annotate_one(f.read_text(encoding="utf-8"))))
    return out


# ---------------------------------------------------------------- resolution on given spans

def _resolve_spans(text: str, names: list[str], vicinity: bool = True):
    from storyline.places.recognize import Mention
    from storyline.places.resolve import resolve_mentions

    mentions = []
    for n in names:
        i = text.index(n)
        mentions.append(Mention(n, i, i + len(n), "GPE", n, None, "gold", 1.0))
    return resolve_mentions(mentions, text, None, None, load_gazetteer(), vicinity)


def test_demonym_span_is_its_country_not_a_town():
    (c, _), = _resolve_spans("The Canadian team left early.", ["Canadian"])
    assert c.feature == "country" and c.country == "CAN"


def test_state_cue_list_and_container_pick_the_division():
    out = _resolve_spans("A farm in Washington state reported the case.", ["Washington"])
    assert out[0][0].feature == "admin1"
    out = _resolve_spans("Cases rose in Ohio, Oregon, Washington and Utah.", ["Ohio", "Oregon", "Washington", "Utah"])
    assert out[2][0].feature == "admin1" and out[2][0].admin1_code == "US.WA"
    out = _resolve_spans("She grew up in Tacoma, Washington before moving.", ["Tacoma", "Washington"])
    assert out[1][0].feature == "admin1"


def test_unknown_names_variants_parts_and_vicinity():
    out = _resolve_spans("Police in Oaxaca State said the road to Juchitan was cut.", ["Oaxaca State"])
    assert out[0][0].admin1_code and out[0][0].feature == "admin1"
    out = _resolve_spans("He studied at the University of Kentucky.", ["University of Kentucky"])
    assert out[0][0].name == "Kentucky"
    text = "A fire broke out in Boise on Tuesday. Firefighters closed Quarrelsome Lane for hours."
    out = _resolve_spans(text, ["Boise", "Quarrelsome Lane"])
    assert out[1][0].feature == "vicinity" and out[1][0].geonameid is None
    assert haversine_km(out[1][0].lat, out[1][0].lon, 43.61, -116.20) < 30
    assert _resolve_spans(text, ["Boise", "Quarrelsome Lane"], vicinity=False)[1][0] is None
    # no local place in the document: nothing to anchor on, stays unresolved
    assert _resolve_spans("Quarrelsome Lane was closed.", ["Quarrelsome Lane"])[0][0] is None


def test_vicinity_place_has_text_name_and_no_geonameid():
    ps = _places("Firefighters in Boise, Idaho closed Quarrelsome Lane on Tuesday.")
    lane = [p for p in ps if "Quarrelsome" in p.text]
    if lane:  # only when the recogniser takes the street as a place
        assert lane[0].feature == "vicinity" and lane[0].geonameid is None and lane[0].name == lane[0].text


def test_abbreviations_and_world_regions(gaz):
    assert gaz.lookup("NSW")[0].name == "New South Wales"
    assert gaz.lookup("T&T")[0].country == "TTO"
    assert gaz.lookup("North Africa")[0].feature == "region"
    assert gaz.lookup("Darfur")[0].country == "SDN"


# ---------------------------------------------------------------- recognition

def test_ruler_does_not_cut_multiword_names():
    ps = _places("Venezuela signed an agreement with South Africa to mine diamonds.")
    assert _find(ps, "South Africa").country == "ZAF"
    assert not [p for p in ps if p.text == "Africa"]


def test_toponyms_inside_organisation_names():
    ps = _places("Officials at the California Department of Public Health in Sacramento said the Kidney "
                 "Foundation of Canada agreed.")
    assert _find(ps, "California").feature == "admin1"
    assert _find(ps, "Canada").country == "CAN"


def test_not_places_diseases_surnames_common_words():
    ps = _places("Three farm workers caught West Nile virus. Marburg virus is spreading. "
                 "The mayor, John Nelson, spoke on Monday. Nelson said the Centre had failed.")
    texts = {p.text for p in ps}
    assert not texts & {"West Nile", "Nile", "Marburg", "Nelson", "Centre"}, texts


def test_cued_small_towns_and_document_propagation():
    ps = _places("Cholera spread in Malakal last week. Malakal is still short of clean water.")
    hits = [p for p in ps if p.text == "Malakal"]
    assert len(hits) == 2 and all(p.country == "SSD" for p in hits)


def test_town_at_the_start_of_a_local_organisation():
    ps = _places("A spokesman for the Slidell Police Department said the suspect was arrested in Louisiana.")
    assert not [p for p in _places("In December a Grave Crimes Court convicted him.") if p.text == "Grave"]
    assert _find(ps, "Slidell").country == "USA"


def test_acronyms_that_are_only_division_codes_are_not_places():
    ps = _places("NATO ministers met as BA cancelled flights to the US.")
    texts = {p.text for p in ps}
    assert "NATO" not in texts and "BA" not in texts
    assert "US" in texts


def test_capitalised_direction_stays_part_of_the_name():
    ps = _places("The storm hit South Florida on Sunday, news reports said.")
    p = _find(ps, "South Florida")
    assert p.country == "USA" and p.admin1 == "Florida"


def test_street_names_are_places_near_their_town():
    ps = _places("Fire crews in New Orleans closed Royal Street on Friday.")
    st = [p for p in ps if p.text == "Royal Street"]
    if st:  # spaCy may or may not tag it; when taken it sits in New Orleans
        _near(st[0], 29.95, -90.07, km=30)


def test_city_not_its_namesake_district_and_weak_cues():
    ps = _places("He moved to Paris and then to Madrid.")
    assert _find(ps, "Paris").feature == "city" and _find(ps, "Madrid").feature == "city"
    ps = _places("She received a letter from Smith on Monday.")
    assert not [p for p in ps if p.text == "Smith"]


def test_town_outside_its_stated_division_is_not_taken():
    out = _resolve_spans("The crash happened on Highway 11 in Stroud, Ontario, Canada.", ["Stroud", "Ontario", "Canada"])
    stroud = out[0][0]
    assert stroud is None or stroud.country == "CAN"


def test_names_inside_names_skip_common_words():
    out = _resolve_spans("Crowds filled the Convention Centre for the concert.", ["Convention Centre"], vicinity=False)
    assert out[0][0] is None


def test_country_heading_an_institution_name():
    ps = _places("In announcing the package, the US State Department praised the kingdom.")
    assert _find(ps, "US").country == "USA"


def test_arabic_article_may_be_dropped_only_for_arab_countries():
    from storyline.places import load_gazetteer

    g = load_gazetteer()
    assert any(c.country == "SYR" for c in g.lookup("Qamishli"))  # Al Qamishli
    assert any(c.country == "YEM" for c in g.lookup("Hodeidah"))  # Al Hudaydah
    assert not any(c.country == "USA" for c in g.lookup("Paso"))  # El Paso keeps its article


def test_wire_dateline_in_capitals_is_a_place():
    ps = _places("DAYTON, Ohio (AP) — Two men were arrested after a robbery at a gas station.")
    _near(_find(ps, "DAYTON"), 39.76, -84.19)
    ps = _places("BRUSSELS — Ministers met on Monday to discuss farm subsidies.")
    _near(_find(ps, "BRUSSELS"), 50.85, 4.35)
    ps = _places("POLICE — A stolen car was found on Monday.")
    assert not [p for p in ps if p.text == "POLICE"]


def test_names_listed_with_a_place_are_places():
    ps = _places("Storm damage was reported in Moonbi, Parkes, Berry and Wyong in regional NSW.")
    for name in ("Parkes", "Berry"):
        assert _find(ps, name).country == "AUS"
    ps = _places("In Dayton, Jones said the plant would close.")
    assert not [p for p in ps if p.text == "Jones"]  # a person after a place, not a list


def test_demonym_is_a_place_only_before_a_place_noun():
    ps = _places("Shells hit several Syrian villages on Monday. Kenyan officials said aid was on the way.")
    assert _find(ps, "Syrian").country == "SYR" and _find(ps, "Syrian").feature == "country"
    assert not [p for p in ps if p.text == "Kenyan"]


def test_places_named_together_are_read_together():
    from storyline.places.resolve import cluster_support

    g = load_gazetteer()
    support = cluster_support(g, ["Paris", "Henry County", "Puryear", "Springville"])
    paris = support.get("paris", {})
    tn = next(c for c in g.lookup("Paris") if c.admin1 == "Tennessee")
    fr = g.lookup("Paris")[0]
    assert fr.country == "FRA" and paris.get(tn.geonameid, 0) > paris.get(fr.geonameid, 0)
    assert "mexico" not in cluster_support(g, ["Mexico", "Guerrero", "Acapulco"])  # the country is left alone
    # the state is never named: the towns and counties lie together in western Tennessee
    ps = _places("Commissioners from Henry County and Benton County met in Paris on Monday with the mayor "
                 "of Camden and officials from Huntingdon.")
    for name in ("Paris", "Camden", "Henry County"):
        assert _find(ps, name).admin1 == "Tennessee"


def test_speakers_and_split_first_names_are_not_places():
    ps = _places("Noma had moved out of an informal settlement near Cape Town. \"I cry every day,\" said Noma. "
                 "Noma works as a domestic worker. Moscow said the report was false.")
    assert not [p for p in ps if p.text == "Noma"]
    assert _find(ps, "Moscow").feature == "city"  # a capital speaks for its government


def test_outlet_country_from_the_address():
    from storyline.places.resolve import url_country

    assert url_country("https://www.irishtimes.ie/news/a.html") == "IRL"
    assert url_country("http://www.bbc.co.uk/news") == "GBR"
    assert url_country("https://www.nola.com/x") is None and url_country("https://x.tv/") is None
    assert url_country(None) is None


def test_an_event_takes_its_own_clause_place_else_the_dateline():
    import storyline

    res = storyline.process_text(
        "DAYTON, Ohio (AP) — Police arrested two protesters on Tuesday. Protesters in Columbus clashed "
        "with police outside the statehouse on Monday, officials said.", published="2026-03-04")
    where = {e.type: (e.location.name if e.location else None) for e in res.events}
    assert where.get("ASSAULT") == "Columbus"  # its own clause, not the dateline
    assert where.get("COERCE") == "Dayton"  # no place in its clause: where the story is filed from


def test_town_words_stay_places_with_a_cue():
    ps = _places("The rally in Providence, R.I., drew thousands. The Centre said it would act.")
    _near(_find(ps, "Providence"), 41.82, -71.41)
    assert not [p for p in ps if p.text == "Centre"]


def test_a_demonym_place_is_not_where_an_event_happened():
    import storyline

    res = storyline.process_text("Turkish troops pushed into a Syrian Kurdish enclave on Monday.", published="2026-03-04")
    assert any(p.text == "Syrian" and p.country == "SYR" for p in res.places)  # a place in the text ...
    assert all(e.location is None or e.location.name != "Syria" for e in res.events)  # ... not the act's place


def test_name_grid_finds_the_other_names_nearby(gaz):
    from storyline.places.gazetteer import NameGrid

    grid = NameGrid(1.0)
    ripley = [c for c in gaz.lookup("Ripley") if c.admin1 == "West Virginia"]
    grid.add("ripley", ripley, 1.0)
    grid.add("glasgow", [c for c in gaz.lookup("Glasgow") if c.country == "GBR"], 0.5)
    ravenswood = next(c for c in gaz.lookup("Ravenswood") if c.admin1 == "West Virginia")
    assert grid.near(ravenswood, "ravenswood") == {"ripley": 1.0}
    assert grid.near(ripley[0], "ripley") == {}  # a name is not its own neighbour


def test_alternate_spelling_does_not_beat_a_bigger_main_name(gaz):
    """"Pittsburgh" is the Pennsylvanian city even in a story that names California (the
    Californian Pittsburg has the spelling only among its alternate names)."""
    from storyline.places.resolve import candidate_pairs

    pairs, how = candidate_pairs(gaz, "Pittsburgh")
    assert how == "name" and all(main or c.feature != "city" for c, main in pairs)
    best, _ = resolve_name("Pittsburgh", ["USA"])
    assert best.admin1 == "Pennsylvania"
    doc = annotate_one("Doctors in Pittsburgh and in Sacramento, California, treated the patients.")
    assert next(p for p in extract_places(doc) if p.text == "Pittsburgh").admin1 == "Pennsylvania"
