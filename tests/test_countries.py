"""country_code / country_name: names, variants, demonyms, capitals, IGOs, unknowns."""

import pytest

from storyline.countries import country_code, country_entry, country_name

CASES = {
    "South Korea": "KOR", "Republic of Korea": "KOR", "ROK": "KOR", "S. Korea": "KOR",
    "N. Korea": "PRK", "North Korea": "PRK", "DPRK": "PRK", "North Korea's": "PRK",
    "U.S.": "USA", "US": "USA", "USA": "USA", "the United States": "USA", "America": "USA",
    "Britain": "GBR", "UK": "GBR", "United Kingdom": "GBR",
    "South Korean": "KOR", "Japanese": "JPN", "American": "USA", "Russian": "RUS",
    "Iraqis": "IRQ", "South Koreans": "KOR", "Swedish": "SWE", "Icelandic": "ISL", "Slovenian": "SVN",
    "Nepali": "NPL", "Puerto Ricans": "PRI",
    "Seoul": "KOR", "Tokyo": "JPN", "Washington": "USA", "Moscow": "RUS", "Beijing": "CHN",
    "Pyongyang": "PRK", "the Kremlin": "RUS",
    "Japan's": "JPN", "Japan\u2019s": "JPN", "the Philippines": "PHL", "Philippines'": "PHL",
    "japan": "JPN", "SOUTH KOREA": "KOR", "Côte d'Ivoire": "CIV", "Ivory Coast": "CIV",
    "Türkiye": "TUR", "Turkey": "TUR", "Viet Nam": "VNM", "Vietnam": "VNM",
    "UN": "UN", "United Nations": "UN", "EU": "EU", "European Union": "EU", "NATO": "NATO",
    "Nato": "NATO", "ASEAN": "ASEAN", "Association of Southeast Asian Nations": "ASEAN",
    "IAEA": "IAEA", "AU": "AU", "African Union": "AU", "IMF": "IMF", "WHO": "WHO",
    "World Health Organization": "WHO", "OPEC": "OPEC",
}


@pytest.mark.parametrize("text,code", sorted(CASES.items()))
def test_country_code(text, code):
    assert country_code(text) == code


@pytest.mark.parametrize("text", [
    "Kurdish", "Kurds", "Arab", "who", "us", "un", "", "Xyzland", "Black Eagles",
    "Yokosuka", "Nara", "Okinawa", "Ahn Gyu-back", "the", "Sea of Japan",
])
def test_unknown_or_not_a_state(text):
    assert country_code(text) is None


def test_entry_kind():
    assert country_entry("Seoul") == ("KOR", "capital")
    assert country_entry("Japanese")[1] == "demonym"
    assert country_entry("Japan")[1] == "name"


def test_country_name():
    assert country_name("KOR") == "South Korea"
    assert country_name("PRK") == "North Korea"
    assert country_name("usa") == "United States"
    assert country_name("NATO") == "North Atlantic Treaty Organization"
    assert country_name("ZZZ") is None
    assert country_name("") is None


# ---------------------------------------------------------------- international organisations (issue 11)


def test_igo_bodies_share_their_family_code():
    from storyline.countries import igo_body, igo_entry, igo_seat

    assert country_code("the UN Security Council") == "UN"
    assert igo_body("the UN Security Council").name == "United Nations Security Council"
    assert igo_entry("UN").name == "United Nations"
    assert country_code("European Parliament") == "EU" and igo_body("European Parliament").agent == "LEG"
    assert country_code("Arab League") == "ARL" and country_code("Organization of African Unity") == "OAU"
    assert country_code("International Atomic Energy Agency") == "IAEA"  # an agency with its own code
    assert igo_seat("Brussels").code == "EU" and igo_seat("Paris") is None
    assert country_code("Brussels") == "BEL"  # the city itself stays Belgian


def test_may_start_country_admits_every_name_and_rejects_plain_words():
    from storyline.countries import may_start_country

    for w in ("Japanese", "Japan's", "U.S.", "the", "South", "UN", "Kremlin"):
        assert may_start_country(w), w
    for w in ("counterpart", "missiles", "yesterday"):
        assert not may_start_country(w), w


def test_plural_demonyms_and_common_word_names():
    # plurals the tables do not list: the demonym's country, only when written with a capital
    assert country_entry("Belarusians") == ("BLR", "demonym")
    assert country_code("Syrians") == "SYR" and country_code("Afghans") == "AFG"
    assert country_code("belarusians") is None and country_code("Kurds") is None
    # "member states" are not the United States; "the States" are
    assert country_code("states") is None and country_code("the States") == "USA"
