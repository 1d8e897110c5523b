"""clean stage: the two bundled examples, general boilerplate rules, HTML, idempotence."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from storyline.clean import clean, find_dateline, is_comment_policy, post_clean
from storyline.identity import content_hash
from storyline.errors import EmptyDocument
from storyline.models import RawDoc
from storyline.read import read_paths

NEWS = Path(__file__).parent.parent / "examples" / "news"
GOOD = Path(__file__).parent / "fixtures" / "read" / "good"


def _one(path: Path):
    (raw,) = list(read_paths([str(path)]))
    return raw, clean(raw)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def test_example_002_boilerplate_title_and_start():
    raw, doc = _one(NEWS / "002_38564130ac801ad3.txt")
    assert doc.title == ("South Korean defence chief to visit Japan next week for talks with "
                         "Japanese counterpart: sources")
    assert doc.text.startswith("Seoul: South Korean defence Minister Ahn Gyu-back is expected")
    for bad in ("Spread the love", "Subscribe", "Notify of", "wpDiscuz", "Exit mobile version",
                "opinions, views, and thoughts expressed by the readers", "personal attacks",
                "comments clean and worthful", "Inline Feedbacks", "View all comments",
                "Home Agency News", "0 Comments", "please comment"):
        assert bad not in doc.text, bad
    assert doc.text.count("South Korean defence chief to visit Japan") == 0
    assert doc.text.rstrip().endswith("visited Tokyo for ministerial talks in July 2024.")
    assert doc.dateline == "Seoul"
    assert doc.language == "en" and doc.published is None


def test_example_000_keeps_every_story_paragraph():
    raw, doc = _one(NEWS / "000_5143d63dd3b7bfc1.txt")
    for bad in ("Read More", "--IANS", "akl/jk/"):
        assert bad not in doc.text
    story = [p for p in _paragraphs(raw.text) if p not in ("Read More", "--IANS", "akl/jk/")]
    assert _paragraphs(doc.text) == story
    assert doc.text.startswith("Seoul, Jan 29 (IANS) South Korea's Defence Minister")
    assert doc.dateline == "Seoul, Jan 29 (IANS)"
    assert doc.published == dt.date(2026, 1, 29) and doc.published_source == "given"
    assert doc.id == "000_5143d63dd3b7bfc1" and doc.content_hash == content_hash(doc.text)


def test_all_examples_clean_without_losing_story_text():
    for path in sorted(NEWS.glob("*.txt")):
        raw, doc = _one(path)
        if path.name.startswith("meantime"):
            # wire-style text without boilerplate: nothing may be removed
            assert _paragraphs(doc.text) == _paragraphs(raw.text)
            assert doc.title == _paragraphs(raw.text)[0]
        assert doc.language == "en"


def test_idempotent_same_input_same_id_text_hash():
    a = [clean(r) for r in read_paths([str(NEWS), str(GOOD)])]
    b = [clean(r) for r in read_paths([str(NEWS), str(GOOD)])]
    assert [(d.id, d.text, d.content_hash, d.title) for d in a] == [(d.id, d.text, d.content_hash, d.title) for d in b]
    # cleaning a cleaned text changes nothing
    for d in a:
        again = clean(RawDoc(id=d.id, source=d.source, text=d.text))
        assert again.text == d.text, d.id


def test_html_page_main_text_and_metadata():
    raw, doc = _one(GOOD / "page.html")
    assert doc.title == "Ministers agree to resume defence talks"
    assert doc.text.startswith("TOKYO (AP) — The defence ministers")
    assert doc.dateline == "TOKYO (AP)"
    assert doc.published == dt.date(2026, 1, 30) and doc.published_source == "page"
    assert doc.byline == "Jane Doe"
    assert doc.url == "https://news.example.org/world/ministers-agree-talks"
    for bad in ("Share on", "Spread the love", "Also read", "Most read", "Leave a Reply", "All rights reserved", "Privacy"):
        assert bad not in doc.text, bad
    assert "Analysts said the agreement" in doc.text


def test_given_date_wins_over_page_date():
    html = (GOOD / "page.html").read_text()
    doc = clean(RawDoc(id="x", source="x", html=html, published=dt.date(2026, 2, 1)))
    assert doc.published == dt.date(2026, 2, 1) and doc.published_source == "given"


def test_feed_fragment_and_warc():
    docs = {d.source.rsplit("/", 1)[-1]: d for d in map(clean, read_paths([str(GOOD / "feed.rss"), str(GOOD / "crawl.warc.gz")]))}
    rss = docs["feed.rss:7"]
    assert rss.text.startswith("SANTIAGO (AP) — Chile") and "Share this article" not in rss.text
    warc = docs["crawl.warc.gz:2"]
    assert warc.text.startswith("LIMA (AP)") and warc.published == dt.date(2026, 1, 12)


@pytest.mark.parametrize("line", [
    "Read More", "Spread the love", "Subscribe", "Notify of", "0 Comments", "12 comments",
    "Inline Feedbacks", "View all comments", "Also read: Storm kills 12 in the north",
    "Follow us on Twitter and Facebook", "Sign up for our daily newsletter to get the news in your inbox",
    "--IANS", "-- PTI", "akl/jk/", "ksk/", "(Reporting by Hyonhee Shin; Editing by Ed Davies)",
    "Photo: Reuters", "(Photo: IANS)", "File photo", "Share this article", "Exit mobile version",
    "Leave a Reply", "Click here to join our WhatsApp channel", "© 2026 Example Media Ltd.",
])
def test_junk_lines_removed(line):
    text = f"Seoul: Ministers met on Monday to discuss trade, officials said.\n\n{line}\n\nThey will meet again in May."
    out = post_clean(text).text
    assert line not in out
    assert out.startswith("Seoul: Ministers met") and out.endswith("meet again in May.")


@pytest.mark.parametrize("line", [
    "Readers of the newspaper protested outside its office on Monday, police said.",
    "The minister said the comments were taken out of context and did not reflect government policy.",
    "Follow-up talks are scheduled for next week, the ministry said.",
    "Subscribers to the service lost access on Monday after the outage.",
    "Share prices fell 3% on Tuesday.",
])
def test_story_lines_kept(line):
    text = f"Seoul: Ministers met on Monday to discuss trade, officials said.\n\n{line}"
    assert line in post_clean(text).text


def test_glued_signoff_crumb_and_repeated_headline_become_title():
    text = ("Troops withdraw from border town, officials say\n\n"
            "akl/jk/Home Agency News Troops withdraw from border town, officials...\n\n"
            "Troops withdraw from border town, officials say\n\n"
            "Kabul: Troops withdrew from the border town on Sunday, officials said.\n\n"
            "Troops withdraw from border town, officials say")
    out = post_clean(text)
    assert out.title == "Troops withdraw from border town, officials say"
    assert out.text == "Kabul: Troops withdrew from the border town on Sunday, officials said."


def test_comment_policy_detection():
    assert is_comment_policy("The views expressed in comments are those of the readers and do not reflect "
                             "the opinions of this site, which is not responsible for them.")
    assert not is_comment_policy("Opposition readers of the report said the government's views did not "
                                 "reflect public opinion, the lawmaker said.")


@pytest.mark.parametrize("text, dateline", [
    ("Seoul, Jan 29 (IANS) South Korea's minister left.", "Seoul, Jan 29 (IANS)"),
    ("SEOUL (AP) — North Korea fired missiles.", "SEOUL (AP)"),
    ("Seoul: South Korean defence Minister Ahn.", "Seoul"),
    ("LONDON, Jan 29 (Reuters) - Britain said.", "LONDON, Jan 29 (Reuters)"),
    ("WASHINGTON — The Senate voted.", "WASHINGTON"),
    ("NEW DELHI: India said on Monday.", "NEW DELHI"),
    ("Update: the vote was delayed.", None),
    ("The Senate voted on Monday.", None),
])
def test_datelines(text, dateline):
    assert find_dateline(text) == dateline


def test_empty_documents_raise():
    with pytest.raises(EmptyDocument):
        clean(RawDoc(id="e", source="e", text="  \n "))
    with pytest.raises(EmptyDocument):
        clean(RawDoc(id="e", source="e", text="Read More\n\nSubscribe\n\n--IANS"))
    with pytest.raises(EmptyDocument):
        clean(RawDoc(id="e", source="e", html="<html><body><script>x()</script></body></html>"))


def test_language_detection():
    fr = clean(RawDoc(id="f", source="f", text="Le gouvernement français a annoncé lundi de nouvelles mesures "
                                               "pour soutenir les agriculteurs touchés par la sécheresse."))
    assert fr.language == "fr"


# --------------------------------------------------------------------------- metadata

_BODY = "".join(f"<p>Paragraph {i}: the foreign ministers met in Geneva on Monday to discuss the ceasefire "
                "and an exchange of prisoners, officials said.</p>" for i in range(6))


def _page(head: str = "", body: str = _BODY, title: str = "Talks") -> str:
    return f"<html><head><title>{title}</title>{head}</head><body><article>{body}</article></body></html>"


def test_json_ld_date_author_and_title_without_site_name():
    ld = ('<meta property="og:site_name" content="The Daily Planet"><script type="application/ld+json">'
          '{"@context":"https://schema.org","@type":"NewsArticle","headline":"Ministers meet in Geneva",'
          '"datePublished":"2026-01-28T10:00:00Z","author":{"@type":"Person","name":"Kim Min-jun"}}</script>')
    doc = clean(RawDoc(id="a", source="a", html=_page(ld, title="Ministers meet in Geneva | The Daily Planet")))
    assert doc.title == "Ministers meet in Geneva"
    assert doc.published == dt.date(2026, 1, 28) and doc.published_source == "page"
    assert doc.byline == "Kim Min-jun" and doc.language == "en"


def test_url_date_when_the_page_has_none():
    raw = RawDoc(id="b", source="b", html=_page(), url="https://news.example.org/world/2026/01/27/geneva-talks")
    doc = clean(raw)
    assert doc.published == dt.date(2026, 1, 27) and doc.published_source == "page"
    assert doc.url == "https://news.example.org/world/2026/01/27/geneva-talks"


def test_canonical_url_from_the_page():
    head = '<link rel="canonical" href="https://news.example.org/geneva-talks">'
    assert clean(RawDoc(id="c", source="c", html=_page(head))).url == "https://news.example.org/geneva-talks"


def test_dateline_date_with_year():
    body = ("<p>LONDON, Jan. 29, 2026 (Reuters) - Britain said on Thursday that talks would resume next week "
            "in the capital after the break.</p>" + _BODY)
    doc = clean(RawDoc(id="d", source="d", html=_page(body=body)))
    assert doc.dateline == "LONDON, Jan. 29, 2026 (Reuters)"
    assert doc.published == dt.date(2026, 1, 29) and doc.published_source == "dateline"
    txt = clean(RawDoc(id="e", source="e", text="PARIS, 3 March 2025 (AFP) - France said talks resumed."))
    assert txt.published == dt.date(2025, 3, 3)
    # a year-less dateline gives no date here (the time stage infers one from the text)
    assert clean(RawDoc(id="f", source="f", text="Seoul, Jan 29 (IANS) Talks resumed.")).published is None


def test_visible_date_in_the_page_header():
    body = "<p class='date'>Posted on 12 March 2025</p>" + _BODY
    doc = clean(RawDoc(id="g", source="g", html=_page(body=body)))
    assert doc.published == dt.date(2025, 3, 12)


@pytest.mark.parametrize("title, site, host, expected", [
    ("Talks resume in Geneva | The Daily Planet", "The Daily Planet", None, "Talks resume in Geneva"),
    ("Talks resume in Geneva - Daily Planet", None, "www.dailyplanet.com", "Talks resume in Geneva"),
    ("DAILYPLANET | Talks resume in Geneva", None, "dailyplanet.co.uk", "Talks resume in Geneva"),
    ("Geneva - talks resume after a pause", None, "news.example.org", "Geneva - talks resume after a pause"),
    ("Single title", "Site", None, "Single title"),
    ("Running in winter › Northern Blog", "Northern Blog", None, "Running in winter"),
    ("»No money left for the rent« (daily planet)", None, "www.daily-planet.de", "»No money left for the rent«"),
    ("Talks stall (Update 2)", None, "www.example.com", "Talks stall (Update 2)"),
])
def test_clean_title(title, site, host, expected):
    from storyline.clean import clean_title

    assert clean_title(title, site, host) == expected


@pytest.mark.parametrize("author, expected", [
    ("View all posts by Daniel Lemire", "Daniel Lemire"), ("Par Attac France", "Attac France"),
    ("Admin", None), ("Name", None), ("责任编辑：孔德明", "孔德明"), ("Jane Doe; John Roe", "Jane Doe; John Roe"),
    ("Art Edwards says", None),
])
def test_clean_author(author, expected):
    from storyline.clean import clean_author

    assert clean_author(author) == expected


def test_feed_and_jsonl_author_become_byline(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "x", "text": "Accra: Ghana\'s parliament met on Monday to debate the budget.", '
                    '"author": "Ama Mensah"}\n')
    (raw,) = list(read_paths([str(path)]))
    assert clean(raw).byline == "Ama Mensah"
    enc = Path(__file__).parent / "fixtures" / "read" / "enc" / "cp1252_undeclared.rss"
    (item,) = list(read_paths([str(enc)]))
    doc = clean(item)
    assert doc.byline == "Anne Müller" and doc.language == "fr" and doc.url == "https://wire.example.org/cafe"


# --------------------------------------------------------------------------- bad pages

def test_page_with_no_body_or_only_navigation_is_empty():
    with pytest.raises(EmptyDocument, match="no main text"):
        clean(RawDoc(id="n", source="n", html="<html><head><title>x</title></head></html>"))
    nav = "<nav><ul>" + "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(80)) + "</ul></nav>"
    page = f"<html><head><title>Home</title></head><body>{nav}<footer>© 2026 Example</footer></body></html>"
    with pytest.raises(EmptyDocument):
        clean(RawDoc(id="m", source="m", html=page))


def test_huge_pages_are_shrunk_or_refused():
    from storyline.clean import MAX_PAGE_CHARS
    from storyline.read import TooLarge

    script = "<script>var data='" + "A" * 6_000_000 + "';</script>"
    doc = clean(RawDoc(id="s", source="s", html=_page(script)))  # 6 MB of script: removed, story kept
    assert "foreign ministers met in Geneva" in doc.text
    links = "<ul>" + "<li><a href='/x'>Link to a page</a></li>" * (MAX_PAGE_CHARS // 40 + 10) + "</ul>"
    with pytest.raises(TooLarge) as exc:
        clean(RawDoc(id="l", source="l", html=_page(body=_BODY + links)))
    assert exc.value.code == "too_large" and "too large" in exc.value.message


@pytest.mark.parametrize("line", [
    "Read more: Looted colonial art: Germany to set up new contact office", "Auch interessant:",
    "Le puede interesar: Tres nuevos casos", "(Credit: Jane Doe / Agency)", "Keine Kommentare", "12 Kommentare",
    "Titelbild: Agentur/Fotograf", "Sign up to get the best content of the week, and great deals.",
    "Never miss the latest news by signing up to our newsletter today!", "NOTAS RELACIONADAS",
    "To view the full story, please subscribe to The Harbour Gazette. You can choose a monthly plan.",
    "Follow The Daily on Twitter and Instagram @TheDaily and on Facebook.", "Last Modified: 03-10-2004 2:20pm",
    "Weitere Informationen:", "Lesen Sie auch:", "5 min read", "ANZEIGE", "Inhaltsverzeichnis",
])
def test_more_junk_lines_removed(line):
    text = f"Seoul: Ministers met on Monday to discuss trade, officials said.\n\n{line}\n\nThey will meet again in May."
    out = post_clean(text).text
    assert line not in out and out.endswith("meet again in May.")


@pytest.mark.parametrize("line", [
    "Source: the ministry said on Monday that talks would resume after the break.",
    "More than 200 people were arrested on Monday, police said.",
    "Contents of the letter were not disclosed.",
    "Stand-off at the border continued on Tuesday.",
])
def test_more_story_lines_kept(line):
    text = f"Seoul: Ministers met on Monday to discuss trade, officials said.\n\n{line}"
    assert line in post_clean(text).text


@pytest.mark.parametrize("line", [
    "This material may not be published, broadcast, rewritten or redistributed without permission.",
    "Associated Press writer Jane Doe in Seoul contributed to this report.", "(AFP)", "/ANI",
    "— With assistance from Jane Doe.", "Listen to this article 4 min", "Story continues below advertisement",
    "Updated 3:45 PM ET, Mon January 29, 2026", "AFP via Getty Images", "(Photo by Jane Doe/AFP via Getty Images)",
    "Jane Doe/AP", "We use cookies to improve your experience.", "Click to share on Twitter (Opens in new window)",
    "Already a subscriber? Log in", "This article was originally published on The Conversation.",
    "The views expressed in this article are the author's own.", "READ MORE:", "Also Read |",
])
def test_english_news_furniture_removed(line):
    text = f"Seoul: Ministers met on Monday to discuss trade, officials said.\n\n{line}\n\nThey will meet again in May."
    assert line not in post_clean(text).text


@pytest.mark.parametrize("line", [
    "Related talks were held in Geneva on Monday, officials said.",
    "Reporters from 12 countries contributed to the investigation, which took two years.",
    "Published in 2019, the report found widespread abuse.",
    "Breaking the deadlock, the two sides agreed on a ceasefire.",
    "Written by a former official, the book alleges corruption.",
    "Loading of the ships resumed on Monday.",
])
def test_english_story_lines_kept(line):
    text = f"Seoul: Ministers met on Monday to discuss trade, officials said.\n\n{line}"
    assert line in post_clean(text).text


def test_50_mb_pages_from_disk(tmp_path):
    """A 50 MB page of inline script keeps its story; 50 MB of links is a named failure."""
    from storyline.pipeline import clean_docs

    script = "<script>var d='" + "A" * 50_000_000 + "';</script>"
    (tmp_path / "big.html").write_text(_page(script))
    links = "<ul>" + "<li><a href='/x'>Link to a page</a></li>" * 1_300_000 + "</ul>"
    (tmp_path / "links.html").write_text(_page(body=_BODY + links))
    big, nav = list(clean_docs(read_paths([str(tmp_path / "big.html"), str(tmp_path / "links.html")])))
    assert "foreign ministers met in Geneva" in big.text
    assert nav.stage == "clean" and nav.error == "too_large" and "links.html" in nav.doc


_UNWRAPPED = (
    "ASUNCION (Reuters) - Paraguay's foreign minister said on Tuesday that talks with Bolivia "
    "over the Pilcomayo river dams would resume next month in La Paz.\n\n"
    "The two governments suspended the talks in March after a dispute over water levels, "
    "officials said.\n\n"
    "- Bolivia wants a joint survey\n"
    "- Paraguay asks for a new treaty"
)


def test_hard_wrapped_paragraphs_are_joined():
    """A text wrapped at 60 characters gives the same paragraphs as the unwrapped one;
    list items and one-paragraph-per-line texts keep their lines."""
    import textwrap

    wrapped = "\n".join(textwrap.fill(ln, 60) if len(ln) > 60 else ln for ln in _UNWRAPPED.split("\n"))
    assert wrapped.count("\n") > _UNWRAPPED.count("\n") + 2
    assert post_clean(wrapped).text == _UNWRAPPED
    assert post_clean(_UNWRAPPED).text == _UNWRAPPED
    one_per_line = "Ministers met in Oslo on Monday.\nThey agreed on a fishing quota.\nTalks go on."
    assert post_clean(one_per_line).text == one_per_line
