"""actors stage: real spaCy on short sentences and the two bundled example stories."""
from pathlib import Path

import pytest

from storyline.actors import actor_for_span, extract_actors, merge_across_documents
from storyline.annotate import annotate_one
from storyline.models import Actor

NEWS = Path(__file__).resolve().parents[1] / "examples" / "news"


def _text(name: str) -> str:
    text = (NEWS / name).read_text(encoding="utf-8").lstrip()
    if text.startswith("date "):
        text = text.split(" ", 2)[2]
    return text


@pytest.fixture(scope="module")
def story1():
    text = _text("000_5143d63dd3b7bfc1.txt")
    return text, extract_actors(annotate_one(text))


@pytest.fixture(scope="module")
def story2():
    text = _text("002_38564130ac801ad3.txt")
    return text, extract_actors(annotate_one(text))


def actors_of(text: str) -> list[Actor]:
    return extract_actors(annotate_one(text))


def by_name(actors: list[Actor], name: str) -> Actor:
    hits = [a for a in actors if a.name == name]
    assert hits, f"{name} not in {[a.name for a in actors]}"
    return hits[0]


def check(a: Actor, country, agent, role=None, kind=None):
    assert (a.country, a.agent) == (country, agent), a
    if role is not None:
        assert a.role == role, a
    if kind is not None:
        assert a.kind == kind, a


# ---------------------------------------------------------------- example stories

def test_story1_people(story1):
    _, actors = story1
    ahn = by_name(actors, "Ahn Gyu-back")
    check(ahn, "KOR", "GOV", "defence minister", "person")
    assert {"Ahn", "Ahn Gyu Back", "Ahn Gyu-back"} <= set(ahn.aliases)
    check(by_name(actors, "Shinjiro Koizumi"), "JPN", "GOV", "defence minister", "person")
    check(by_name(actors, "Sanae Takaichi"), "JPN", "GOV", "prime minister", "person")
    chung = by_name(actors, "Chung Binna")
    check(chung, "KOR", "GOV", "spokesperson", "person")
    assert "Chung" in chung.aliases and len(chung.mentions) == 3


def test_story1_organisations_and_states(story1):
    text, actors = story1
    check(by_name(actors, "Kyodo News"), "JPN", "MED")
    check(by_name(actors, "Yonhap News Agency"), "KOR", "MED")
    check(by_name(actors, "Joint Chiefs of Staff"), "KOR", "MIL")
    check(by_name(actors, "North Korea"), "PRK", "GOV", kind="state")
    japan = by_name(actors, "Japan")
    check(japan, "JPN", "GOV", kind="state")
    # "Japan condemned North Korea": Japan acts
    i = text.index("Japan condemned")
    assert actor_for_span(actors, i, i + 5) is japan
    # "departed via Incheon ... for the Japanese port city": no actor for a place
    ministries = [a for a in actors if a.name == "Defence Ministry"]
    assert {a.country for a in ministries} == {"KOR", "JPN"}
    kor = next(a for a in ministries if a.country == "KOR")
    assert "defence ministry" in kor.aliases  # the unqualified one, from the Seoul dateline
    # "the Japanese government" is the state actor Japan, not a node of its own
    i = text.index("Japanese government lodged") + len("Japanese ")
    assert actor_for_span(actors, i, i + len("government")) is japan
    assert not [a for a in actors if a.name == "Government"]
    check(by_name(actors, "Air self-defence forces"), "JPN", "MIL")
    check(by_name(actors, "Military"), "KOR", "MIL")
    check(by_name(actors, "Black Eagles"), "KOR", "MIL")


def test_story1_minister_anaphor(story1):
    text, actors = story1
    i = text.index("the minister's latest")
    assert actor_for_span(actors, i + 4, i + 12).name == "Ahn Gyu-back"


def test_story2(story2):
    text, actors = story2
    check(by_name(actors, "Ahn Gyu-back"), "KOR", "GOV", "defence minister", "person")
    check(by_name(actors, "Shinjiro Koizumi"), "JPN", "GOV", "defence minister", "person")
    check(by_name(actors, "Lee Jae Myung"), "KOR", "GOV", "president", "person")
    takaichi = by_name(actors, "Sanae Takaichi")
    check(takaichi, "JPN", "GOV", "prime minister")
    # "Takaichi's hometown" is tagged GPE by the small model: still the person
    i = text.index("Takaichi\u2019s hometown")
    assert actor_for_span(actors, i, i + 8) is takaichi
    check(by_name(actors, "Yomiuri Shimbun"), "JPN", "MED")
    check(by_name(actors, "Black Eagles"), "KOR", "MIL")
    japan = by_name(actors, "Japan")
    assert "Tokyo" in japan.aliases  # "Tokyo scrapped the plan"
    i = text.index("Tokyo scrapped")
    assert actor_for_span(actors, i, i + 5) is japan
    # Nara is a place, not an actor
    assert all(a.name != "Nara" for a in actors)


def test_mentions_are_spans(story1, story2):
    for text, actors in (story1, story2):
        for a in actors:
            assert a.mentions and a.aliases
            for m in a.mentions:
                assert text[m.start:m.end] == m.text


def test_ids_stable(story1):
    text, actors = story1
    again = extract_actors(annotate_one(text))
    assert [a.id for a in actors] == [a.id for a in again]


# ---------------------------------------------------------------- short sentences

@pytest.mark.parametrize("text,name,country,agent", [
    ("Police fired tear gas at protesters on Monday.", "Police", None, "COP"),
    ("Police fired tear gas at protesters on Monday.", "Protesters", None, "CVL"),
    ("Rebels attacked the town overnight.", "Rebels", None, "REB"),
    ("The court sentenced him to ten years.", "Court", None, "JUD"),
    ("Prosecutors charged the former mayor.", "Prosecutors", None, "JUD"),
    ("Opposition lawmakers walked out of the session.", "Lawmakers", None, "OPP"),
    ("The Japanese government lodged a protest.", "Japan", "JPN", "GOV"),
    ("NATO and the UN condemned the attack.", "North Atlantic Treaty Organization", "NATO", "IGO"),
    ("NATO and the UN condemned the attack.", "United Nations", "UN", "IGO"),
    ("Xinhua reported the meeting.", "Xinhua", "CHN", "MED"),
    ("Palestinians protested in Gaza on Friday.", "Palestinians", "PSE", "CVL"),
])
def test_common_actors(text, name, country, agent):
    check(by_name(actors_of(text), name), country, agent)


def test_titles_and_countries():
    actors = actors_of("Japanese Prime Minister Sanae Takaichi met South Korean President Lee Jae Myung "
                       "and Chinese Foreign Minister Wang Yi in Tokyo.")
    check(by_name(actors, "Sanae Takaichi"), "JPN", "GOV", "prime minister")
    check(by_name(actors, "Lee Jae Myung"), "KOR", "GOV", "president")
    check(by_name(actors, "Wang Yi"), "CHN", "GOV", "foreign minister")
    assert all(a.kind != "state" for a in actors)  # "in Tokyo" is a place


def test_apposition_right():
    actors = actors_of("Chung Binna, a South Korean defence ministry spokesperson, said the talks went well.")
    check(by_name(actors, "Chung Binna"), "KOR", "GOV", "spokesperson")


def test_former_official():
    a = by_name(actors_of("Former Defence Minister Shin Won-sik visited Tokyo."), "Shin Won-sik")
    assert a.role == "former defence minister" and a.agent == "ELI"


def test_state_as_actor_and_location():
    text = "Japan lodged a protest with China. Ahn departed for Yokosuka in Japan."
    actors = actors_of(text)
    japan = by_name(actors, "Japan")
    assert len(japan.mentions) == 1 and japan.mentions[0].start == 0
    check(by_name(actors, "China"), "CHN", "GOV", kind="state")


def test_capital_metonym():
    actors = actors_of("Seoul rejected the proposal, while Pyongyang warned of consequences.")
    check(by_name(actors, "South Korea"), "KOR", "GOV", kind="state")
    check(by_name(actors, "North Korea"), "PRK", "GOV", kind="state")


def test_dateline_gives_country_to_domestic_organs():
    actors = actors_of("TOKYO (Reuters) - The defence ministry said the military was on alert.")
    check(by_name(actors, "Defence ministry"), "JPN", "GOV")
    check(by_name(actors, "Military"), "JPN", "MIL")


# ---------------------------------------------------------------- merging & spans

def test_merge_across_documents(story1, story2):
    _, a1 = story1
    _, a2 = story2
    short = [a for a in actors_of("Koizumi said the talks were useful.") if a.name == "Koizumi"]
    canon = merge_across_documents([a1, a2, short])
    ahn1, ahn2 = by_name(a1, "Ahn Gyu-back"), by_name(a2, "Ahn Gyu-back")
    assert canon[ahn1.id] == canon[ahn2.id]
    k1 = by_name(a1, "Shinjiro Koizumi")
    assert short and canon[short[0].id] == canon[k1.id]
    assert canon[by_name(a1, "Japan").id] == canon[by_name(a2, "Japan").id]
    assert canon[ahn1.id] != canon[k1.id]
    # every id is mapped
    assert set(canon) == {a.id for a in a1 + a2 + short}


def test_merge_keeps_countries_apart():
    a = Actor(id="a", name="Defence Ministry", country="KOR", agent="GOV", kind="organisation")
    b = Actor(id="b", name="Defence Ministry", country="JPN", agent="GOV", kind="organisation")
    c = Actor(id="c", name="Kim", country="KOR", kind="person")
    d = Actor(id="d", name="Kim Jong Un", country="PRK", kind="person")
    canon = merge_across_documents([[a, c], [b, d]])
    assert canon["a"] != canon["b"] and canon["c"] != canon["d"]


def test_actor_for_span_prefers_tightest(story1):
    text, actors = story1
    i = text.index("South Korea's Defence Minister Ahn Gyu-back")
    j = i + len("South Korea's Defence Minister Ahn Gyu-back")
    assert actor_for_span(actors, i, j).name == "Ahn Gyu-back"
    assert actor_for_span(actors, 0, 0) is None


# ---------------------------------------------------------------- coreference, story country, tables

def actors_with_places(text: str) -> list[Actor]:
    from storyline.places import extract_places

    doc = annotate_one(text)
    return extract_actors(doc, extract_places(doc, None))


def owner_of(actors: list[Actor], text: str, word: str, nth: int = 0) -> Actor | None:
    i = -1
    for _ in range(nth + 1):
        i = text.index(word, i + 1)
    return actor_for_span(actors, i, i + len(word))


def test_pronouns_join_their_antecedent():
    text = ("South Korean Defence Minister Kim Min-su arrived in Tokyo on Monday. "
            "He met Japanese officials and said his visit would help.")
    actors = actors_of(text)
    kim = by_name(actors, "Kim Min-su")
    assert owner_of(actors, text, "He") is kim and owner_of(actors, text, "his") is kim
    assert all(m.text != "He" for m in kim.mentions[:1])  # the name stays the first mention
    assert "He" not in kim.aliases


def test_it_and_expletive_it():
    text = "Japan's foreign ministry said it would lodge a protest. It is expected that talks will follow."
    actors = actors_of(text)
    assert owner_of(actors, text, "it").name == "Foreign ministry"
    assert owner_of(actors, text, "It") is None


def test_they_prefers_a_group():
    text = "Police arrested dozens of protesters on Sunday. They were released later, officials said."
    actors = actors_of(text)
    assert owner_of(actors, text, "They").agent in ("CVL", "COP")


def test_quoted_first_person_is_the_speaker():
    text = "\u201cWe will respond firmly,\u201d Chinese Foreign Minister Wang Yi said on Friday."
    actors = actors_of(text)
    assert owner_of(actors, text, "We").name == "Wang Yi"


def test_the_company_is_the_named_company():
    text = "Boeing won the tanker contract on Friday. The company said it would start work soon."
    boeing = by_name(actors_of(text), "Boeing")
    assert boeing.agent == "BUS" and any(m.text == "company" for m in boeing.mentions)


def test_well_known_office_holders():
    actors = actors_of("Angela Merkel met Narendra Modi and later spoke with Donald Trump.")
    check(by_name(actors, "Angela Merkel"), "DEU", "GOV", kind="person")
    check(by_name(actors, "Narendra Modi"), "IND", "GOV", kind="person")
    check(by_name(actors, "Donald Trump"), "USA", "GOV", kind="person")


def test_owner_person_gives_country():
    text = "Donald Trump signed the order. The Trump administration said the order takes effect today."
    assert by_name(actors_of(text), "Administration").country == "USA"


def test_subnational_place_and_postmodifier():
    text = ("California Governor Gavin Newsom criticised the plan, while the governors of Texas "
            "and Arizona backed it.")
    actors = actors_with_places(text)
    assert by_name(actors, "Gavin Newsom").country == "USA"
    assert by_name(actors, "Governors").country == "USA"


def test_story_country_without_dateline():
    text = ("Thousands of protesters marched through Athens on Saturday. Police fired tear gas "
            "and arrested 12 people near Syntagma Square, the Greek capital's main square.")
    actors = actors_with_places(text)
    check(by_name(actors, "Police"), "GRC", "COP")
    check(by_name(actors, "Protesters"), "GRC", "CVL")


def test_dateline_not_named_in_the_story_is_only_the_bureau():
    text = ("BEIRUT (AP) \u2014 Protesters marched in Damascus and Aleppo in Syria on Friday, and police "
            "detained dozens in Homs, Syrian activists said.")
    actors = actors_with_places(text)
    assert by_name(actors, "Protesters").country == "SYR"


def test_byline_and_agency_dateline():
    text = ("By JOHN SMITH and JANE DOE, Associated Press WASHINGTON (AP) \u2014 The defence ministry "
            "said on Friday the military was on alert.")
    actors = actors_of(text)
    assert not any("SMITH" in a.name or "DOE" in a.name for a in actors)
    check(by_name(actors, "Military"), "USA", "MIL")


def test_armed_groups_and_first_conjunct():
    actors = actors_of("The PKK claimed the attack. Somali and Yemeni pirates seized a tanker.")
    check(by_name(actors, "PKK"), "TUR", "REB")
    assert by_name(actors, "Pirates").country == "SOM"


def test_time_zone_is_not_part_of_a_name():
    actors = actors_of("At 0900 IST Navy ships intercepted the boat.")
    assert all(not a.name.startswith("IST") for a in actors)


def test_possessive_in_an_adjunct_is_the_object():
    text = "Japan condemned North Korea for its ballistic missile launch."
    actors = actors_of(text)
    assert owner_of(actors, text, "its").name == "North Korea"


def test_merge_short_organisation_names_and_generic_nouns():
    d1 = actors_of("Halvorsen Maritime Corp won the contract. Companies protested the decision.")
    d2 = actors_of("Halvorsen said on Monday it would appeal. Companies welcomed the ruling.")
    canon = merge_across_documents([d1, d2])
    assert canon[by_name(d2, "Halvorsen").id] == canon[by_name(d1, "Halvorsen Maritime Corp").id]
    c1, c2 = by_name(d1, "Companies"), by_name(d2, "Companies")
    assert c1.id != c2.id and canon[c1.id] != canon[c2.id]  # no country: two different groups


def test_eval_actors_on_docs_dev():
    from storyline.evaluation import actors as ev

    if not Path(ev.GOLD_DOCS).exists():
        pytest.skip(f"docs-dev gold not found at {ev.GOLD_DOCS}")
    m = ev.run([ev.GOLD_DOCS], limit=2)
    assert m["headline"] == "country_recall" and 0 <= m["country_recall"] <= 1
    f = m["files"][ev.GOLD_DOCS]
    assert f["pronoun_args_resolved"] <= f["pronoun_args"]


def test_leader_family_name_and_of_an_organisation():
    actors = actors_of("President Putin met Obama. Qatar expelled leaders of Egypt's Muslim Brotherhood.")
    assert by_name(actors, "Putin").country == "RUS"
    assert by_name(actors, "Obama").country == "USA"
    assert by_name(actors, "Leaders").country == "EGY"
    from storyline.actors.lexicon import known_surname

    assert known_surname("Brown") is None and known_surname("Kim") is None  # shared by many countries


def test_titled_person_over_a_place_reading():
    from storyline.models import Place

    text = "President Bush met exiled dissidents on Thursday."
    doc = annotate_one(text)
    place = Place("Bush", 10, 14, name="Bush", country="EGY", lat=30.8, lon=31.1, feature="city")
    actors = extract_actors(doc, [place])
    check(by_name(actors, "Bush"), "USA", "GOV", kind="person")


def test_object_control_possessive_and_participle_speaker():
    text = "The European Commission forced Apple Inc. to lower its prices."
    actors = actors_of(text)
    assert owner_of(actors, text, "its").name == "Apple Inc."
    text = "Steve Jobs resigned in a letter to the board stating, \u201cI can no longer meet my duties.\u201d"
    actors = actors_of(text)
    assert owner_of(actors, text, "I").name == "Steve Jobs"


def test_eval_actors_meantime_pronouns():
    from storyline.evaluation import actors as ev

    folder = ev.BENCH / "coref" / "meantime" / "intra_cross-doc_annotation"
    if not folder.exists():
        pytest.skip(f"MEANTIME not found at {folder}")
    m = ev.run([str(folder)], limit=6)
    assert m["headline"] == "pronoun_recall" and 0 <= m["pronoun_precision"] <= 1


def test_quote_running_over_a_paragraph():
    text = ("Senator Sam Brownback said \u201cIt is stunning that we lost the contract.\n\n"
            "I will be calling upon the Secretary of Defense for a debriefing.\u201d")
    actors = actors_of(text)
    i = text.index("I will")
    assert actor_for_span(actors, i, i + 1).name == "Sam Brownback"


def test_agent_noun_apposition():
    a = by_name(actors_of("Yulia Skripal, a Russian citizen, was visiting her father."), "Yulia Skripal")
    assert (a.country, a.agent, a.role) == ("RUS", "CVL", "citizen")


def test_surname_before_a_later_full_name_is_another_person():
    text = ("The plan was criticised on Monday. Governor Brown said she would refuse. "
            "Later, California Governor Jerry Brown said he was unwilling to commit.")
    actors = actors_of(text)
    assert owner_of(actors, text, "Brown").name == "Brown"
    assert by_name(actors, "Jerry Brown").mentions[0].text == "Jerry Brown"


def test_subject_pronoun_is_not_its_verbs_object():
    text = "Senator Ben Sasse spoke on Friday. Donald Trump was unhappy. He called Trump reckless."
    actors = actors_of(text)
    assert owner_of(actors, text, "He").name == "Ben Sasse"


def test_national_bodies_without_a_country_word():
    """Units and offices whose name carries no country still belong to one (SAS, Scotland Yard)."""
    got = {a.name: a.country for a in actors_of("The SAS soldier was killed near Manbij. Scotland Yard opened "
                                                "an inquiry on Friday.")}
    assert got.get("SAS") == "GBR" and got.get("Scotland Yard") == "GBR"


def test_country_word_before_a_plain_modifier():
    """"North Korean youth leaders" are North Korean, whatever city the sentence names."""
    got = {a.name: a.country for a in actors_of("North Korean youth leaders pledged to rekindle the bombing "
                                                "campaign against Seoul.")}
    assert got.get("Leaders") == "PRK"


# ---------------------------------------------------------------- issue 11: IGOs, metonymy, one state actor


def test_igo_bodies_keep_their_name_under_the_family_code():
    acts = actors_of("The UN Security Council condemned the attack. The Council urged both sides to stop. "
                     "The Organization of African Unity said it would send observers.")
    council = by_name(acts, "United Nations Security Council")
    check(council, "UN", "IGO", kind="organisation")
    assert "Council" in [m.text for m in council.mentions]  # "the Council" after the Security Council
    check(by_name(acts, "Organization of African Unity"), "OAU", "IGO")


def test_seat_acts_as_its_organisation_and_stays_a_place_otherwise():
    acts = actors_of("Brussels condemned the decision on Monday.")
    check(by_name(acts, "European Union"), "EU", "IGO")
    acts = actors_of("Thousands of farmers protested in Brussels on Monday.")
    assert not [a for a in acts if a.country in ("EU", "BEL") and a.kind != "organisation"]
    assert "European Union" not in [a.name for a in acts]


def test_capital_as_subject_is_the_state_and_as_visited_place_is_not():
    text = "Moscow rejected the demand. Later the envoy visited Moscow."
    acts = actors_of(text)
    russia = by_name(acts, "Russia")
    check(russia, "RUS", "GOV", kind="state")
    second = text.rindex("Moscow")
    assert actor_for_span(acts, second, second + 6) is None


def test_country_its_seat_and_its_government_are_one_state_actor():
    acts = actors_of("The Kremlin denied the report. The Russian government said Russia would not respond.")
    states = [a for a in acts if a.country == "RUS"]
    assert len(states) == 1 and states[0].kind == "state" and states[0].name == "Russia", states


def test_apposition_gives_a_person_the_country_of_its_qualifier():
    acts = actors_of("Slovak police detained Tomas Reyes, a Chilean engineer on a work visa from Santiago, "
                     "on Tuesday in Bratislava.")
    assert by_name(acts, "Tomas Reyes").country == "CHL"


def test_western_or_foreign_groups_take_no_country():
    acts = actors_of("Western diplomats and intelligence officials said on Friday that the rebels "
                     "led by Omar Haddad, a Yemeni cleric, had left the port.")
    assert by_name(acts, "Diplomats").country is None
    assert by_name(acts, "Officials").country is None
    acts = actors_of("Kenyan police said they arrested six foreigners near the border town of Moyale.")
    assert all(a.country is None for a in acts if a.name.lower().startswith("foreigner"))


def test_office_holders_by_publication_date():
    import datetime as dt

    from storyline.actors.lexicon import known_person, office_at

    assert office_at("Colin Powell", dt.date(2003, 2, 5)) == ("USA", "GOV")  # Secretary of State
    assert office_at("Colin Powell", dt.date(1995, 6, 1)) == ("USA", None)  # between offices
    assert office_at("Bill Clinton", dt.date(2005, 1, 1)) == ("USA", "ELI")  # after the presidency
    assert office_at("Bill Clinton", dt.date(2024, 1, 1)) is None  # after the table's cut-off
    assert known_person("Bill Clinton") == ("USA", "GOV")  # the undated table stays the fallback
    text = "Former president Bill Clinton praised the accord on Monday."
    acts = extract_actors(annotate_one(text), None, dt.date(1996, 3, 4))
    assert by_name(acts, "Bill Clinton").country == "USA"


def test_office_holder_table_is_built_from_dated_entries(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_office_holders", Path(__file__).resolve().parents[1] / "scripts" / "build_office_holders.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    src = tmp_path / "actors.txt"
    src.write_text("ZEMBLA_  [ZEM]\nANNA_K._VOROS_  # made up\n+MINISTER_ANNA_VOROS\n"
                   "\t[ZEMELI 700101-991231]\n\t[ZEMGOVMIL 000101-050630]\n\t[ZEMELI]\n"
                   "PETER_OKANE_\n\t[IRLLEG >120301]\n", encoding="utf-8")
    lines, cutoff = mod.build(src)
    assert cutoff == 20120301
    assert "anna k voros|anna voros\tZEMELI:19700101-19991231;ZEMGOVMIL:20000101-20050630;ZEMELI:-" in lines
    assert "peter okane\tIRLLEG:20120301-" in lines


def test_a_qualifier_of_the_other_side_is_not_the_actors_country():
    acts = actors_of("On Monday the emir detained Jordan's Interior Minister Ali Nasser at the palace.")
    assert by_name(acts, "Ali Nasser").country == "JOR"
    assert by_name(acts, "emir").country is None  # not Jordan against itself


def test_nordic_and_other_demonyms_qualify_titles():
    acts = actors_of("Swedish Prime Minister Karin Lund met Slovenian President Marko Zupan in Ljubljana.")
    assert by_name(acts, "Karin Lund").country == "SWE"
    assert by_name(acts, "Marko Zupan").country == "SVN"


def test_event_side_is_not_given_the_other_sides_country_by_default():
    import datetime as dt

    from storyline.events import extract_events
    from storyline.places import extract_places

    doc = annotate_one("On Monday the emir detained Jordan's Interior Minister Ali Nasser at the palace.")
    places = extract_places(doc, None)
    events = extract_events(doc, "d", dt.date(2024, 3, 1), [], places, extract_actors(doc, places), decide="rules")
    coerce = [e for e in events if e.type == "COERCE"]
    assert coerce and coerce[0].target.country == "JOR"
    assert coerce[0].source is None or coerce[0].source.country != "JOR"


def test_listed_leaders_are_whole_person_names():
    acts = actors_of("Austrian Chancellor Anna Berger said she had urged Russian President Vladimir Putin "
                     "to free the two journalists.")
    putin = by_name(acts, "Vladimir Putin")
    assert putin.kind == "person" and putin.country == "RUS"


def test_igo_short_forms_and_nominals():
    text = ("EU member states agreed on Monday to impose new sanctions on Iran. "
            "The bloc also summoned the Iranian ambassador. "
            "The European Union imposed sanctions on Syria. "
            "NATO allies met in Brussels on Friday. The alliance condemned the strikes. "
            "The UN refugee agency said Greece had pushed back migrants. The agency urged Athens to investigate.")
    actors = actors_with_places(text)
    assert owner_of(actors, text, "EU").country == "EU"
    assert owner_of(actors, text, "bloc").country == "EU"
    assert owner_of(actors, text, "European Union").country == "EU"  # tagged LOC by the small model
    assert owner_of(actors, text, "alliance").country == "NATO"
    assert owner_of(actors, text, "agency", nth=1).country == "UN"


def test_bloc_without_an_igo_is_no_actor():
    text = "Opposition parties formed a bloc in parliament. The bloc said it would vote against the budget."
    assert owner_of(actors_of(text), text, "bloc", nth=1) is None


def test_titled_agent_phrase_is_a_person_pronouns_can_reach():
    text = "Ukraine's foreign minister said on Monday that he had urged Hungary to lift its veto."
    actors = actors_of(text)
    minister = owner_of(actors, text, "foreign minister")
    assert minister.kind == "person" and minister.country == "UKR"
    assert owner_of(actors, text, "he") is minister


def test_plural_demonym_object_is_a_population_actor():
    text = "Polish police arrested three Belarusians near the border on Monday."
    assert owner_of(actors_of(text), text, "Belarusians").country == "BLR"
