"""The time stage on real spaCy parses: recognition, normalisation, anchors, inference.

Sentences are written for these tests; the two example stories are the repo's own.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from storyline.annotate import annotate_one
from storyline.time import event_date, extract_timexes, infer_published
from storyline.text.datescan import scan, scan_slow

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "news"
THU = dt.date(2026, 1, 29)  # a Thursday
WED = dt.date(2026, 1, 21)  # a Wednesday


def tx(text: str, published: dt.date | None):
    return extract_timexes(annotate_one(text), published)


def by_text(timexes) -> dict:
    return {t.text: t for t in timexes}


def value_of(text: str, phrase: str, published: dt.date | None = THU):
    found = by_text(tx(text, published))
    assert phrase in found, f"{phrase!r} not found in {list(found)}"
    return found[phrase]


def check_invariants(doc_text: str, timexes) -> None:
    prev_end = -1
    for t in timexes:
        assert doc_text[t.start:t.end] == t.text
        assert t.start >= prev_end, "overlapping or unsorted timexes"
        prev_end = t.end
        assert t.type in ("DATE", "TIME", "DURATION", "SET")
        assert t.precision in ("day", "month", "year", "week", "season", "time", "duration", "set", "unknown",
                               "quarter", "decade", "century")
        assert 0.0 <= t.confidence <= 1.0
        assert t.anchor in ("publication", "absolute", "none") or t.anchor.startswith("text:")


# ------------------------------------------------------------------ weekdays and tense

@pytest.mark.parametrize("sentence, phrase, expected", [
    ("The minister arrived in Tokyo on Thursday.", "Thursday", "2026-01-29"),  # the publication day
    ("The summit is set for Friday.", "Friday", "2026-01-30"),  # plan: the next Friday
    ("The envoys are expected to meet on Friday.", "Friday", "2026-01-30"),
    ("The talks will resume on Monday.", "Monday", "2026-02-02"),
    ("Police arrested the suspect on Tuesday.", "Tuesday", "2026-01-27"),  # past: the last Tuesday
    ("On Wednesday, the delegation made a stop in Busan.", "Wednesday", "2026-01-28"),
    ("The ministry said last Thursday that it would act.", "last Thursday", "2026-01-22"),
    ("The court will rule next Thursday.", "next Thursday", "2026-02-05"),
    # a plan reported in the past still points ahead; "had planned" does not
    ("The team planned to leave Nairobi on Friday.", "Friday", "2026-01-30"),
    ("The team had planned to leave Nairobi on Tuesday.", "Tuesday", "2026-01-27"),
    # future in the past, and its past-perfect counterpart
    ("He said he would travel to Washington Monday.", "Monday", "2026-02-02"),
    ("He could have left on Monday.", "Monday", "2026-01-26"),
    # simple present of an action verb schedules; a reporting verb does not
    ("The foreign minister meets his counterpart on Monday.", "Monday", "2026-02-02"),
    ("The foreign minister says on Monday that talks failed.", "Monday", "2026-01-26"),
    ("The vote is on Friday.", "Friday", "2026-01-30"),
    # "since ... Tuesday's attack" looks back; the possessive keeps the past
    ("Police have been searching since the Tuesday attack.", "Tuesday", "2026-01-27"),
    # the purpose of a journey already made lies ahead of it; a meeting's purpose does not
    ("The minister flew to Paris to attend the summit on Friday.", "Friday", "2026-01-30"),
    ("He met the president on Friday to discuss trade.", "Friday", "2026-01-23"),
])
def test_weekday_follows_tense(sentence, phrase, expected):
    t = value_of(sentence, phrase)
    assert (t.type, t.value, t.precision) == ("DATE", expected, "day")


# ------------------------------------------------------------------ deictic and anaphoric days

def test_yesterday_today_tomorrow():
    found = by_text(tx("He left yesterday, is here today and goes tomorrow.", THU))
    assert found["yesterday"].value == "2026-01-28"
    assert found["today"].value == "2026-01-29"
    assert found["tomorrow"].value == "2026-01-30"


def test_previous_day_and_later_anchor_to_text_dates():
    text = "The vote took place on March 3. Two days later the results came."
    found = by_text(tx(text, dt.date(2026, 3, 10)))
    assert found["March 3"].value == "2026-03-03"
    later = found["Two days later"]
    assert later.value == "2026-03-05" and later.anchor == f"text:{found['March 3'].start}"

    found = by_text(tx("Rebels seized the town on March 3. The day before, the army had withdrawn.",
                       dt.date(2026, 3, 10)))
    assert found["The day before"].value == "2026-03-02"
    assert found["The day before"].anchor.startswith("text:")

    found = by_text(tx("Troops crossed the border on March 3. A day earlier, talks had failed.",
                       dt.date(2026, 3, 10)))
    assert found["A day earlier"].value == "2026-03-02"


def test_chained_anaphora_and_previous_weekday():
    found = by_text(tx("The delegation arrived on Jan. 5, 2026. Two days later, talks began. "
                       "The next day, they left. Prices fell from the previous Friday.", WED))
    assert found["Two days later"].value == "2026-01-07"
    nxt = found["The next day"]
    assert nxt.value == "2026-01-08" and nxt.anchor.startswith("text:")
    prev = found["the previous Friday"]
    assert prev.value == "2026-01-02" and prev.anchor.startswith("text:")


def test_conflicting_anchor_is_ignored_with_lower_confidence():
    # the only text date lies after publication; a past "the day before" cannot hang on it
    found = by_text(tx("The summit opens on Feb. 10, 2026. The day before, troops had withdrawn.", WED))
    t = found["The day before"]
    assert t.anchor == "publication" and t.confidence < 0.75


def test_previous_day_without_text_anchor_uses_publication():
    t = value_of("Officials said the plane landed the previous day.", "the previous day")
    assert t.value == "2026-01-28" and t.anchor == "publication"


# ------------------------------------------------------------------ relative months, weeks, years

def test_relative_units_against_publication():
    found = by_text(tx("Sales fell last month and earlier this month; they will rise later this year. "
                       "She visits next week and left this week. Last year was hard.", WED))
    assert found["last month"].value == "2025-12"
    assert found["earlier this month"].value == "2026-01"
    assert found["later this year"].value == "2026"
    nw = found["next week"]
    # ISO 8601: 2026-01-21 is in W04, so next week is W05 (26 Jan - 1 Feb)
    assert (nw.value, nw.precision) == ("2026-W05", "week")
    assert found["this week"].value == "2026-W04"
    assert found["Last year"].value == "2025"


def test_months_years_and_mid_year():
    found = by_text(tx("They met in early November and again in July 2024, in mid-2024, in November and in 2019.",
                       WED))
    assert (found["early November"].value, found["early November"].precision) == ("2025-11", "month")
    assert (found["July 2024"].value, found["July 2024"].precision) == ("2024-07", "month")
    assert (found["mid-2024"].value, found["mid-2024"].precision) == ("2024", "year")
    assert found["November"].value == "2025-11"
    assert found["2019"].value == "2019"


def test_time_of_day_takes_the_day_of_its_sentence():
    found = by_text(tx("The blast happened at around 3:50 pm on Tuesday. Another came at 5 p.m.", THU))
    t = found["around 3:50 pm"]
    assert (t.type, t.value, t.precision) == ("TIME", "2026-01-27T15:50", "time")
    # no day in its sentence: the day the previous sentence names (past narrative) ...
    assert found["5 p.m."].value == "2026-01-27T17:00"
    # ... else the publication day
    assert value_of("A second blast came at 5 p.m.", "5 p.m.").value == "2026-01-29T17:00"


# ------------------------------------------------------------------ explicit dates and ranges

def test_month_direction_from_tense_and_modifiers():
    found = by_text(tx("The ruling, which is expected in December, was delayed. He was shot last Oct. 23. "
                       "Police have searched since the Oct. 12 raid. A hearing is set for the week of March 6.",
                       WED))
    assert found["December"].value == "2026-12"
    assert found["last Oct. 23"].value == "2025-10-23"
    assert found["Oct. 12"].value == "2025-10-12"
    wk = found["the week of March 6"]
    assert (wk.value, wk.precision) == ("2026-W10", "week")


def test_ranges():
    found = by_text(tx("The fair runs Jan. 29-31, then January 29-31, then from Jan 29 to 31, "
                       "and between March 3 and 5.", WED))
    for phrase in ("Jan. 29-31", "January 29-31", "Jan 29 to 31"):
        t = found[phrase]
        assert (t.value, t.value_end, t.precision) == ("2026-01-29", "2026-01-31", "day")
    assert (found["March 3 and 5"].value, found["March 3 and 5"].value_end) == ("2026-03-03", "2026-03-05")


def test_explicit_dates():
    found = by_text(tx("He was born April 5th, 2018, or 5 April 2018, or 2018-04-05, and returns Jan. 29.", WED))
    for phrase in ("April 5th, 2018", "5 April 2018", "2018-04-05"):
        assert found[phrase].value == "2018-04-05" and found[phrase].anchor == "absolute"
    assert found["Jan. 29"].value == "2026-01-29"


# ------------------------------------------------------------------ durations, sets, references

def test_durations_sets_and_present_ref():
    found = by_text(tx("A three-day trip lasted about 1 and half years; stay for two weeks; meet every week, "
                       "annually and daily. Now prices are currently high.", THU))
    assert (found["three-day"].type, found["three-day"].value) == ("DURATION", "P3D")
    assert found["about 1 and half years"].value == "P1Y6M"
    assert found["two weeks"].value == "P2W"
    assert (found["every week"].type, found["every week"].value) == ("SET", "P1W")
    assert found["annually"].type == "SET" and found["daily"].value == "P1D"
    assert found["Now"].value == "PRESENT_REF" and found["currently"].value == "PRESENT_REF"


def test_seasons_and_fiscal_years():
    found = by_text(tx("This summer the fiscal 2025 results came.", THU))
    season = [t for t in found.values() if "summer" in t.text][0]
    assert (season.value, season.precision) == ("2026-SU", "season")
    fiscal = [t for t in found.values() if "fiscal" in t.text][0]
    assert (fiscal.value, fiscal.precision) == ("2025", "year")


def test_business_shorthand_and_year_ranges():
    found = by_text(tx("Revenue rose in FY2025, in Q3 2025, in 3Q25 and in H1 2026; q3 is a typo. "
                       "Results for the 2025-26 fiscal year and the 1990-91 recession.", WED))
    assert found["FY2025"].value == "2025"
    assert found["Q3 2025"].value == "2025-Q3" and found["3Q25"].value == "2025-Q3"
    assert found["H1 2026"].value == "2026-H1"
    assert not [t for t in found.values() if t.text.lower().startswith("q3 is")]
    fy = found["2025-26 fiscal year"]
    assert (fy.type, fy.value, fy.value_end) == ("DATE", "2025", "2026")
    assert (found["1990-91"].value, found["1990-91"].value_end) == ("1990", "1991")


def test_years_later_count_from_the_year_in_the_story():
    t = value_of("The plant opened in 2010. Three years later it closed.", "Three years later", WED)
    assert t.value == "2013" and t.anchor.startswith("text:")


def test_financial_quarters():
    found = by_text(tx("Third-quarter profit rose. A year earlier the company lost money.", dt.date(1999, 10, 20)))
    assert found["Third-quarter"].value == "1999-Q3"
    assert found["A year earlier"].value == "1998-Q3"


# ------------------------------------------------------------------ bad input never raises

def test_bad_inputs_keep_text_with_low_confidence():
    found = by_text(tx("The deal was signed on February 30 and the plan runs to 2090.", THU))
    bad = found["February 30"]
    assert bad.value in (None, "2026-02") and bad.confidence <= 0.3
    assert found["2090"].confidence < 1.0
    assert extract_timexes(annotate_one(""), THU) == []
    assert extract_timexes(annotate_one("%%% 99/99/9999 ::: 31/31"), THU) is not None


def test_far_dates_keep_their_year_with_lower_confidence():
    t = value_of("The lease expires on May 1, 2391.", "May 1, 2391", WED)
    assert t.value == "2391-05-01" and t.confidence < 1.0
    t = value_of("The treaty was signed on Sept. 1, 1658.", "Sept. 1, 1658", WED)
    assert t.value == "1658-09-01" and t.confidence < 1.0
    t = value_of("Grain stores date from the 1620s and fiscal '33.", "fiscal '33", WED)
    assert t.value == "2033" and t.confidence < 1.0


def test_long_compounds_and_vague_decades():
    found = by_text(tx("A day-long strike ended decades-long rule; a 6-year-old boy watched.", THU))
    assert (found["A day-long"].type, found["A day-long"].value) == ("DURATION", "P1D")
    assert found["decades-long"].value == "PXY"
    assert not [t for t in found.values() if "old" in t.text]


def test_clock_times_with_relative_days_and_previous_sentence():
    found = by_text(tx("Shares fell at mid-afternoon yesterday.", THU))
    t = found["mid-afternoon yesterday"]
    assert (t.type, t.value) == ("TIME", "2026-01-28TAF")
    found = by_text(tx("Police said the attack happened on Tuesday. The gunman opened fire at 10 p.m. and fled.",
                       THU))
    t = found["10 p.m."]
    assert t.value == "2026-01-27T22:00" and t.anchor == f"text:{found['Tuesday'].start}"


def test_vague_stretches_and_dated_today():
    found = by_text(tx("Over the years prices rose; in the weeks ahead they may fall. "
                       "Today's session opened late, but today's youth did not care.", THU))
    assert found["the years"].value == "PXY" and found["the weeks ahead"].value == "PXW"
    todays = [t for t in found.values() if t.text == "Today"]
    assert todays and todays[0].value == "2026-01-29"
    assert "today" not in found  # "today's youth" is generic


def test_vague_stretches_are_durations():
    found = by_text(tx("In recent years prices rose, over the past decade and the past few years; "
                       "in the coming weeks they may fall. Recently they fell.", THU))
    assert (found["recent years"].type, found["recent years"].value) == ("DURATION", "PXY")
    assert found["the past decade"].value == "P10Y" and found["the past few years"].value == "PXY"
    assert found["the coming weeks"].value == "PXW"
    assert found["Recently"].value == "PAST_REF"


def test_two_days_joined_by_and():
    t = value_of("The talks were held on April 24 and 25.", "April 24 and 25", dt.date(2026, 5, 2))
    assert (t.value, t.value_end) == ("2026-04-24", "2026-04-25")
    found = by_text(tx("On May 3 and 25 people died.", dt.date(2026, 5, 4)))
    assert "May 3 and 25" not in found and found["May 3"].value == "2026-05-03"


def test_extents_leave_out_prepositions_and_noun_articles():
    found = by_text(tx("Jobs held over the past 20 years; a deal within two weeks; five hours on the ground; "
                       "the 1996 Olympics; a third-quarter loss; its fourth quarter; the 14-day deadline; "
                       "the 1988 period and the next two years.", THU))
    for phrase in ("the past 20 years", "two weeks", "five hours", "1996", "third-quarter", "fourth quarter",
                   "14-day", "the 1988 period", "the next two years"):
        assert phrase in found, (phrase, list(found))


def test_fractional_years_and_quarter_century():
    assert value_of("Refugees lived there for 2 1/2 years.", "2 1/2 years").value == "P2Y6M"
    assert not [t for t in tx("Unemployment hit its quarter-century low.", THU) if "quarter" in t.text]


def test_extreme_publication_dates_and_hints_never_raise():
    text = ("Talks ran Jan. 29-31 and on February 30; two days later, at 10 p.m., the day before "
            "Christmas 1500 and Dec. 31, 9999, FY25 and 3Q25 ended 12:61 99/99/9999.")
    doc = annotate_one(text)
    for pub in (None, dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2000, 2, 29)):
        timexes = extract_timexes(doc, pub)
        check_invariants(doc.text, timexes)
        for i in range(len(doc)):
            event_date(doc, i, timexes, pub)
    infer_published(doc, hints=[dt.date(9999, 12, 31), dt.date(1, 1, 1), "2026-13-45"])  # no error


def test_two_digit_years_and_no_publication_date():
    t = value_of("Profits rose in fiscal '98.", "fiscal '98", dt.date(1999, 3, 1))
    assert t.value == "1998" and t.confidence < 1.0
    t = value_of("Fighting resumed on Friday.", "Friday", None)
    assert t.anchor == "none" and t.value == "XXXX-WXX-5"
    assert value_of("It rained yesterday.", "yesterday", None).value is None


def test_lower_case_month_words_are_not_dates():
    assert not [t for t in tx("You may march in the square if you fall in line.", THU) if t.type == "DATE"]


# ------------------------------------------------------------------ the two example stories

def _dated_example() -> str:
    raw = (EXAMPLES / "000_5143d63dd3b7bfc1.txt").read_text(encoding="utf-8").lstrip()
    assert raw.startswith("date 2026-01-29 ")
    return raw[len("date 2026-01-29 "):]


def test_dated_example_story():
    text = _dated_example()
    doc = annotate_one(text)
    timexes = extract_timexes(doc, THU)
    check_invariants(doc.text, timexes)
    found = {t.text: t for t in timexes}
    assert found["Thursday"].value == "2026-01-29"
    assert found["Friday"].value == "2026-01-30"
    assert found["the previous day"].value == "2026-01-28"
    assert found["Wednesday"].value == "2026-01-28"
    assert [t.value for t in timexes if t.text == "Tuesday"] == ["2026-01-27", "2026-01-27"]
    time = found["around 3:50 pm"]
    assert (time.type, time.value) == ("TIME", "2026-01-27T15:50")


def test_undated_example_story_infers_publication_and_resolves():
    text = (EXAMPLES / "002_38564130ac801ad3.txt").read_text(encoding="utf-8")
    doc = annotate_one(text)
    guess = infer_published(doc)
    assert guess is not None
    published, confidence = guess
    assert published == WED and 0.5 <= confidence <= 1.0
    timexes = extract_timexes(doc, published)
    check_invariants(doc.text, timexes)
    found = {t.text: t for t in timexes}
    nw = found["next week"]
    assert nw.value == "2026-W05"  # the ISO week holding Jan 29-31
    r = found["January 29-31"]
    assert (r.value, r.value_end) == ("2026-01-29", "2026-01-31")
    assert found["earlier this month"].value == "2026-01"
    assert found["last month"].value == "2025-12"
    assert found["November"].value == "2025-11"
    assert found["early November"].value == "2025-11"
    assert found["July 2024"].value == "2024-07"
    assert found["three-day"].value == "P3D"


def test_infer_published_cross_document_hints():
    doc = annotate_one("Sources said on Wednesday that the minister will visit Tokyo next week.")
    assert infer_published(doc) is None  # no explicit date in the text
    day, conf = infer_published(doc, hints=[dt.date(2026, 1, 20)])
    assert day == WED and 0.2 <= conf <= 0.5  # the Wednesday right after the dated story
    # hints of every shape; junk is ignored, and text clues still count
    day, conf = infer_published(doc, hints=["2026-01-22", (dt.date(2025, 6, 1), 0.2), "junk", None, 5])
    assert day == WED
    undated = annotate_one((EXAMPLES / "002_38564130ac801ad3.txt").read_text(encoding="utf-8"))
    assert infer_published(undated, hints=[dt.date(2026, 1, 21)])[0] == WED
    assert infer_published(undated, hints=[dt.date(2019, 5, 5)])[0] == WED  # a far hint loses to the text
    assert infer_published(annotate_one("Nothing here has a date."), hints=[]) is None


def test_infer_published_is_modest_when_no_clue_fixes_the_year():
    assert infer_published(annotate_one("Police said on Friday that the Oct. 23 attack killed two.")) is None
    day, conf = infer_published(annotate_one(
        "Police said on Friday that the Oct. 23 attack, the worst since 2019, killed two people."))
    assert day.month in (10, 11) and conf <= 0.3  # soon after Oct. 23; no clue fixes the year
    day, conf = infer_published(annotate_one(
        "The revolution began on Jan. 1, 1959. Its veterans met on Jan. 3, 2026, and said on Monday "
        "that talks would resume on Jan. 20."))
    assert day.year == 2026 and conf >= 0.4  # the recent dates win over the anniversary


def test_infer_published_weak_evidence():
    only_year = infer_published(annotate_one("The bridge was finished in 1998 after long delays."))
    assert only_year is not None and only_year[0] == dt.date(1998, 1, 1) and only_year[1] <= 0.2
    assert infer_published(annotate_one("Nothing here has a date.")) is None


# ------------------------------------------------------------------ event_date

def test_event_date_prefers_the_trigger_own_modifier():
    doc = annotate_one("Ahn departed on Thursday for talks set for Friday. "
                       "The defence chief is expected to visit Japan next week.")
    timexes = extract_timexes(doc, THU)
    idx = {t.text: t.i for t in doc}
    t, how = event_date(doc, idx["departed"], timexes, THU)
    assert t.text == "Thursday" and how == "dependency"
    t, how = event_date(doc, idx["talks"], timexes, THU)
    assert t.text == "Friday"
    t, how = event_date(doc, idx["visit"], timexes, THU)
    assert t.text == "next week"


def test_event_date_falls_back_to_sentence_or_none():
    doc = annotate_one("On Monday, after a long night, the rebels attacked. Nothing else happened.")
    timexes = extract_timexes(doc, THU)
    idx = {t.text: t.i for t in doc}
    t, how = event_date(doc, idx["attacked"], timexes, THU)
    assert t is not None and t.text == "Monday" and how in ("dependency", "clause", "sentence")
    assert event_date(doc, idx["happened"], timexes, THU) == (None, "none")
    assert event_date(doc, 10_000, timexes, THU) == (None, "none")


# ------------------------------------------------------------------ the fast scanner

def test_fast_scan_finds_everything_the_full_scan_finds():
    for text in (_dated_example(), (EXAMPLES / "002_38564130ac801ad3.txt").read_text(encoding="utf-8")):
        fast = {(c.start, c.end, c.rule) for c in scan(text)}
        slow = {(c.start, c.end, c.rule) for c in scan_slow(text)}
        assert slow <= fast


# ---------------------------------------------------------------- the byline date of a story's head


@pytest.mark.parametrize("text,want", [
    ("Judge sentences man to death POSTED: 05/02/07, 9:00 PM PDT | A judge on Thursday upheld the verdict.",
     "2007-05-02"),
    ("Cable cuts block internet in some areas On Tue, 16/08/2011 - 13:42 An undersea cable was cut on Monday.",
     "2011-08-16"),
    ("Turkmen election to have 2 parties 2013-09-26 For the first time in its history, the country votes.",
     "2013-09-26"),
    ("Farewell to the old dairy Tuesday, August 7, 2012 A fire destroyed the warehouse early this morning.",
     "2012-08-07"),
    ("Colts beat Chiefs December 23, 2012 On a day when the Chiefs rushed for 226 yards, the Colts won.",
     "2012-12-23"),
    ("Ram-raiders hit jewellery store Published: 09 Sep 2013 11:25 GMT Ram-raiders ploughed their car in.",
     "2013-09-09"),
    # tokenised text (ECB+ style) keeps spaces inside numbers
    ("Kraft Shooting: Worker Charged 09 / 10 / 10 08: 23 PM ET A worker who had been suspended was charged.",
     "2010-09-10"),
])
def test_header_date_is_the_publication_date(text, want):
    from storyline.time import infer_published

    got = infer_published(annotate_one(text))
    assert got is not None and got[0].isoformat() == want and got[1] >= 0.7


def test_a_lead_sentence_date_is_not_a_header():
    from storyline.text.dates import header_date

    assert header_date("On July 26, 2005, the district attorney filed charges against the man.") is None
    assert header_date("Police said the man, arrested in March 3, 2011, was released.") is None
    # a URL's date path is read as the URL's, not as a byline of the path's parts
    assert header_date("http://example.com/news/2013-07-21/fire-in-town/ Fire in town") == dt.date(2013, 7, 21)
    assert header_date("http://example.com/news/2013/07/fire-in-town/ Fire in town") is None


def test_head_stamp_ends_a_sentence():
    """The headline and its timestamp are not read into the story's first sentence."""
    doc = annotate_one("Judge sentences man to death POSTED: 05 / 02 / 07, 9: 00 PM PDT | A Norwalk judge on "
                       "Thursday upheld the jury's recommendation.")
    assert any(s.text.startswith("| A Norwalk judge") or s.text.startswith("A Norwalk judge") for s in doc.sents)
    doc = annotate_one("Colts beat Chiefs December 23, 2012 On a day when the Chiefs rushed for 226 yards, the Colts won.")
    assert [s.text for s in doc.sents][-1].startswith("On a day")


@pytest.mark.parametrize("url,want", [
    ("http://watchingamerica.com/WA/2018/04/05/the-new-cold-war-3/", "2018-04-05"),
    ("https://www.emirates247.com/sports/star-bags-rights-2018-04-06-1.667773", "2018-04-06"),
    ("https://www.timesofmalta.com/articles/view/20180405/business/index.675488", "2018-04-05"),
    ("http://www.theguardian.com/environment/2009/apr/28/obama-species", "2009-04-28"),
    ("https://www.newstatesman.com/culture/2018/04/two-tributes", None),  # a month is not a day
    ("http://www.asianews.it/news-en/Beijing-bans-online-Bible-sales-43540.html", None),
])
def test_url_date(url, want):
    from storyline.text.dates import url_date

    got = url_date(url)
    assert (got.isoformat() if got else None) == want


def test_a_url_in_the_head_dates_the_story_and_a_given_url_too():
    import storyline
    from storyline.time import infer_published

    doc = annotate_one("TITLE: The New Cold War LINK: http://example.org/WA/2018/04/05/the-new-cold-war/ "
                       "Fyodor Lukyanov talks about relations with the West on Tuesday.")
    assert infer_published(doc)[0] == dt.date(2018, 4, 5)
    r = storyline.process_text("Police arrested 12 protesters in Cairo on Monday, officials said.",
                               url="https://news.example.com/world/2018/04/05/cairo-arrests")
    assert (r.published, r.published_source) == (dt.date(2018, 4, 5), "url")


def test_no_publication_date_in_the_future():
    from storyline.time import infer_published

    guess = infer_published(annotate_one("The summit is due on March 3, 2091, officials said on Monday."))
    assert guess is None or guess[0] <= dt.date.today()


def test_a_bug_in_a_normalisation_rule_surfaces(monkeypatch):
    """Only an impossible date is absorbed (no value); any other exception is a bug and raises."""
    import importlib

    N = importlib.import_module("storyline.time.normalize")  # the package re-exports a function of that name
    from storyline.text.datescan import scan

    cand = next(c for c in scan("The talks began on 2025-02-14.") if c.rule == "iso")
    ctx = N.Ctx(pub=dt.date(2025, 2, 20), doc=None)

    def impossible(c, ctx):
        return dt.date(2025, 2, 30)

    def buggy(c, ctx):
        return c.groups["no such group"]

    monkeypatch.setitem(N.RULE_FUNCS, "iso", impossible)
    assert N.normalize(cand, ctx).value is None
    monkeypatch.setitem(N.RULE_FUNCS, "iso", buggy)
    with pytest.raises(KeyError):
        N.normalize(cand, ctx)
