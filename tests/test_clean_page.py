"""clean stage, page-level passes: trimming to trafilatura's precision core, link-teaser and
caption lines found in the page's DOM, date-time stamp lines, link-list headings."""
from __future__ import annotations

from storyline.clean import (
    _load_tree,
    caption_keys,
    clean,
    drop_dom_lines,
    is_junk_line,
    link_keys,
    trim_to_core,
    trimmable,
)
from storyline.models import RawDoc

STORY = [
    "The city council approved the new budget on Monday after a long debate about school funding.",
    "Council members voted nine to four in favour, with the opposition asking for more money for roads.",
    "The mayor said the plan would be reviewed again in the spring when tax receipts are known.",
]


def _lines(*parts: str) -> str:
    return "\n".join(parts)


def test_trim_to_core_drops_short_tail_and_list_items_after_the_core():
    standard = _lines("Council approves budget", *STORY, "Thanks for signing up!",
                      "- Other story one: a teaser about something else entirely",
                      "- Other story two: another teaser about a different thing")
    precise = _lines(*STORY)
    assert trimmable(standard)
    assert trim_to_core(standard, precise) == _lines(*STORY)


def test_trim_to_core_keeps_prose_around_the_core():
    lead = "In a vote that surprised many observers, the council backed the spending plan by a wide margin."
    end = "The next council meeting, where the roads budget will be discussed again, is set for 14 March."
    standard = _lines(lead, *STORY, end)
    # precision mode lost the lead and the last paragraph: both read as text, both stay
    assert trim_to_core(standard, _lines(*STORY[1:])) == standard
    assert not trimmable(standard)


def test_trim_to_core_ignores_a_core_that_is_another_block():
    standard = _lines("Council approves budget", *STORY, "Most read")
    # precision mode picked a small other block: less than half of the words, nothing trimmed
    assert trim_to_core(standard, "Most read") == standard
    assert trim_to_core(standard, "nothing in common") == standard


def _page(body: str) -> str:
    return (f"<html><head><title>Council approves budget</title></head><body><article>"
            f"<h1>Council approves budget</h1>{body}</article></body></html>")


def test_link_teasers_and_captions_are_found_in_the_dom():
    tree = _load_tree(_page(
        '<p><a href="/news/other-story">Storm closes schools across the region</a></p>'
        '<p><a href="#budget">Budget in numbers today</a></p>'
        '<figure><img src="x.jpg"><figcaption>The mayor at the council meeting</figcaption></figure>'
        '<p class="image-caption">Council members before the vote (Photo: city)</p>'
        "<p>" + STORY[0] + "</p>"))
    assert "storm closes schools across the region" in link_keys(tree)
    assert "budget in numbers today" not in link_keys(tree)  # in-page link: a contents entry
    assert {"the mayor at the council meeting", "council members before the vote photo city"} <= caption_keys(tree)
    text = _lines(STORY[0], "Storm closes schools across the region", "SEE MORE: Storm closes schools across the region",
                  "Budget in numbers today", "The mayor at the council meeting", STORY[1])
    assert drop_dom_lines(text, tree) == _lines(STORY[0], "Budget in numbers today", STORY[1])


def test_clean_drops_a_teaser_link_paragraph_inside_the_article():
    html = _page("".join(f"<p>{s}</p>" for s in STORY[:2])
                 + '<p><a href="/news/2024/storm-closes-schools">Storm closes schools across the whole region</a></p>'
                 + f"<p>{STORY[2]}</p>")
    doc = clean(RawDoc(id="p", source="p", html=html))
    assert "Storm closes schools" not in doc.text
    assert all(s in doc.text for s in STORY)


def test_date_time_stamp_lines_in_any_language():
    for stamp in ("segunda-feira, 22 de janeiro de 2018 às 0:13", "기사입력 :[ 2018-09-28 17:32 ]",
                  "November 20, 2019 - 11:28 AMT", "Mittwoch, 3. März 2021, 14:05 Uhr"):
        assert is_junk_line(stamp), stamp
    # a sentence with a year and a clock time is story text
    assert not is_junk_line("The ceasefire began at 6:00 on 3 March 2021.")
    assert not is_junk_line("Polls close at 20:00 and the first results of the 2024 vote are expected overnight")


def test_link_list_headings():
    for heading in ("DON'T MISS", "You may also like...", "See more", "Related articles…"):
        assert is_junk_line(heading), heading
    assert not is_junk_line("You may also like the new park, the mayor said...")
