"""read stage: every reader, ids, dates, and every bad-input case (fixtures in fixtures/read)."""
from __future__ import annotations

import datetime as dt
import io
import json
import random
import sys
from pathlib import Path

import pytest

from storyline.models import Failure, RawDoc
from storyline.identity import doc_id as content_id
from storyline.read import read_jsonl_stream, read_paths, split_date_header

FIX = Path(__file__).parent / "fixtures" / "read"
GOOD, BAD = FIX / "good", FIX / "bad"
NEWS = Path(__file__).parent.parent / "examples" / "news"


def _read(*paths, **kw):
    return list(read_paths([str(p) for p in paths], **kw))


def _by_source(items):
    return {i.source if isinstance(i, RawDoc) else i.doc: i for i in items}


def test_good_folder_all_formats_no_failures():
    items = _read(GOOD)
    fails = [i for i in items if isinstance(i, Failure)]
    assert fails == []
    sources = [i.source for i in items]
    # recursive, sorted, hidden files skipped
    assert str(GOOD / "sub" / "d02.txt") in sources
    assert not any(".hidden" in s for s in sources)
    files = list(dict.fromkeys(s.rsplit(":", 1)[0] if s.rsplit(":", 1)[-1].isdigit() else s for s in sources))
    names = [Path(f).name for f in files]
    assert names[:-1] == sorted(names[:-1]) and names[-1] == "d02.txt"  # folder files, then sub/


def test_txt_date_header_same_line_and_file_stem_id():
    (doc,) = _read(GOOD / "d01.txt")
    assert doc.id == "d01" and doc.id_given
    assert doc.published == dt.date(2026, 1, 29)
    assert doc.text.startswith("Seoul, Jan 29 (IANS) South Korea")
    assert "date 2026" not in doc.text


def test_example_txt_header_after_space():
    (doc,) = _read(NEWS / "000_5143d63dd3b7bfc1.txt")
    assert doc.id == "000_5143d63dd3b7bfc1"
    assert doc.published == dt.date(2026, 1, 29)
    assert doc.text.startswith("Seoul, Jan 29 (IANS)")


def test_cli_date_only_when_file_has_none():
    given = dt.date(2020, 5, 5)
    d01, = _read(GOOD / "d01.txt", published=given)
    d02, = _read(GOOD / "sub" / "d02.txt", published=given)
    assert d01.published == dt.date(2026, 1, 29)
    assert d02.published == given
    assert d02.text.startswith("SEOUL (AP)")  # BOM removed


def test_split_date_header_variants():
    assert split_date_header("\ufeff  date 2026-01-02\nText") == (dt.date(2026, 1, 2), "Text")
    assert split_date_header("date 2026-13-40 Text")[0] is None
    assert split_date_header("Updated date 2026-01-02")[0] is None


def test_latin1_txt_and_html_decoded_without_mojibake():
    (txt,) = _read(GOOD / "latin1.txt")
    assert "Café owners in Montréal" in txt.text
    (page,) = _read(GOOD / "page_latin1.htm")
    assert "café" in page.html and "Brücke" in page.html and "—" in page.html
    assert "Ã" not in page.html and "â€" not in page.html


def test_html_and_gz():
    items = _by_source(_read(GOOD / "page.html", GOOD / "page2.html.gz"))
    page = items[str(GOOD / "page.html")]
    assert page.id == "page" and page.html.startswith("<!DOCTYPE html>")
    assert items[str(GOOD / "page2.html.gz")].id == "page2"


def test_jsonl_ids_fields_and_gz():
    items = _read(GOOD / "records.jsonl", GOOD / "records2.jsonl.gz")
    j1, anon, html, z1 = items
    assert (j1.id, j1.id_given, j1.source) == ("j1", True, f"{GOOD / 'records.jsonl'}:1")
    assert j1.published == dt.date(2026, 3, 3) and j1.url == "https://example.org/j1"
    assert j1.title == "Ukraine and Poland sign border deal"
    assert not anon.id_given and anon.id == content_id(anon.text) and len(anon.id) == 16
    assert html.id == "7" and html.html and html.text is None and html.published == dt.date(2026, 2, 5)
    assert z1.id == "z1" and z1.source.endswith("records2.jsonl.gz:1")


def test_jsonl_stdin_dash(monkeypatch):
    lines = json.dumps({"id": "s1", "text": "Accra: Ghana's parliament met on Monday."}) + "\n{bad\n"
    fake = io.TextIOWrapper(io.BytesIO(lines.encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    doc, bad = _read("-")
    assert doc.id == "s1" and doc.source == "<stdin>:1"
    assert isinstance(bad, Failure) and bad.doc == "<stdin>:2" and bad.error == "malformed"


def test_read_jsonl_stream_text_stream():
    items = list(read_jsonl_stream(io.StringIO('{"text": "Lima: talks resumed on Monday."}\n'), name="x"))
    assert items[0].source == "x:1" and not items[0].id_given


def test_warc_streams_html_responses_only():
    items = _read(GOOD / "crawl.warc.gz")
    assert [type(i) for i in items] == [RawDoc, RawDoc]  # warcinfo and the PNG are skipped
    a, b = items
    assert a.url == "https://warc.example.org/a" and "Peru" in a.html
    assert not a.id_given and a.id == content_id(a.html)
    assert a.source.endswith("crawl.warc.gz:2")


def test_rss_and_atom_items():
    rss = _read(GOOD / "feed.rss")
    assert len(rss) == 2
    first, second = rss
    assert first.url == "https://wire.example.org/chile-argentina"
    assert first.published == dt.date(2026, 2, 3) and first.title.startswith("Chile and Argentina")
    assert "<p>SANTIAGO (AP)" in first.html
    assert second.text.startswith("Maputo:") and second.published == dt.date(2026, 2, 4)
    (atom,) = _read(GOOD / "feed.atom")
    assert atom.url == "https://atom.example.org/ghana-summit"
    assert atom.published == dt.date(2026, 2, 6) and "ACCRA (Reuters)" in atom.html


@pytest.mark.parametrize("name, error, words", [
    ("empty.txt", "empty", "empty file"),
    ("blank.html", "empty", "empty file"),
    ("binary.txt", "binary", "binary file"),
    ("notes.docx", "unsupported_format", "unsupported file extension .docx"),
    ("undecodable.txt", "undecodable", "undecodable"),
])
def test_bad_single_files(name, error, words):
    (fail,) = _read(BAD / name)
    assert isinstance(fail, Failure) and fail.stage == "read"
    assert fail.error == error and words in fail.message
    assert str(BAD / name) in fail.message and "\n" not in fail.message


def test_bad_jsonl_lines_do_not_stop_the_file():
    items = _read(BAD / "mixed.jsonl")
    kinds = [(type(i).__name__, getattr(i, "error", None)) for i in items]
    assert kinds == [("RawDoc", None), ("Failure", "malformed"), ("Failure", "malformed"),
                     ("Failure", "malformed"), ("RawDoc", None)]
    assert items[1].doc.endswith("mixed.jsonl:2") and "invalid JSON" in items[1].message
    assert "neither 'text' nor 'html'" in items[2].message


def test_truncated_gzip_yields_records_then_failure():
    items = _read(BAD / "truncated.jsonl.gz")
    assert all(isinstance(i, RawDoc) for i in items[:-1]) and len(items) > 2
    last = items[-1]
    assert isinstance(last, Failure) and last.error == "truncated_gzip" and "truncated" in last.message


def test_truncated_warc_and_invalid_feed():
    warc = _read(BAD / "truncated.warc.gz")
    assert isinstance(warc[0], RawDoc) and isinstance(warc[-1], Failure)
    assert warc[-1].error == "truncated"
    feed = _read(BAD / "broken.rss")
    assert isinstance(feed[0], RawDoc) and feed[0].text.startswith("Dakar:")
    assert isinstance(feed[-1], Failure) and feed[-1].error == "invalid_feed"
    assert "broken.rss:" in feed[-1].doc


def test_missing_paths_and_globs():
    miss, = _read(FIX / "nope.txt")
    assert miss.error == "not_found"
    nomatch, = _read(str(FIX / "*.nothing"))
    assert nomatch.error == "not_found" and "no file matches" in nomatch.message
    hits = _read(str(GOOD / "*.txt"))
    assert [h.id for h in hits] == ["d01", "latin1"]


def test_whole_bad_folder_goes_on():
    items = _read(BAD, GOOD / "d01.txt")
    assert isinstance(items[-1], RawDoc) and items[-1].id == "d01"
    assert sum(isinstance(i, Failure) for i in items) >= 9


def test_reading_twice_gives_same_ids():
    first = [(i.id, i.source) for i in _read(GOOD) if isinstance(i, RawDoc)]
    again = [(i.id, i.source) for i in _read(GOOD) if isinstance(i, RawDoc)]
    assert first == again


def test_jsonl_streams_large_file(tmp_path):
    """Records come out one by one: the first arrives before the file is read to the end."""
    path = tmp_path / "big.jsonl"
    with path.open("w") as fh:
        for i in range(2000):
            fh.write(json.dumps({"id": f"r{i}", "text": f"Story {i} about the summit."}) + "\n")
    gen = read_paths([str(path)])
    assert next(gen).id == "r0"
    assert sum(1 for _ in gen) == 1999


def test_utf8_page_with_stray_latin1_bytes_is_not_mojibake(tmp_path):
    page = ("<html><head><meta charset='utf-8'></head><body><p>Grüße aus Köln, schöne Straße. "
            "Überall Menschen.</p><!-- M\xe4scot --></body></html>").encode("utf-8").replace(b"\xc3\xa4scot", b"\xe4scot")
    (tmp_path / "mixed.html").write_bytes(page)
    (doc,) = _read(tmp_path / "mixed.html")
    assert "Grüße aus Köln" in doc.html and "Mäscot" in doc.html


# --------------------------------------------------------------------------- encodings

ENC = FIX / "enc"
MOJIBAKE = ("Ã", "â€", "\ufffd", "Â")


@pytest.mark.parametrize("name, expected", [
    ("cp1252.html", "« nous sommes prêts » à Genève, où l’accord coûte 5 €"),
    ("latin1_declared.html", "Die Brücke über die Straße"),  # iso-8859-1 read as Windows-1252
    ("latin1_declared.html", "It’s “done”"),
    ("sjis.html", "東京都の小池百合子知事は２９日"),
    ("sjis.html", "㈱日本放送の調査では①から③"),  # Windows-31J characters in a "Shift_JIS" page
    ("sjis_undeclared.txt", "政府は２９日の閣議で"),
    ("utf16le_bom.txt", "Négociations à Genève"),
    ("utf16be_nobom.html", "Négociations à Genève"),
    ("cp1251_undeclared.txt", "Министр иностранных дел России"),
    ("utf8_declared_latin1.html", "Der Außenminister traf in Köln"),  # valid UTF-8 wins over the label
])
def test_encodings_decoded_without_mojibake(name, expected):
    (doc,) = _read(ENC / name)
    assert isinstance(doc, RawDoc), doc
    text = doc.text if doc.text is not None else doc.html
    assert expected in text
    assert not any(m in text for m in MOJIBAKE)


def test_warc_http_charset_is_used():
    (doc,) = _read(ENC / "http_charset.warc.gz")
    assert "Premier Polski powiedział w poniedziałek w Gdańsku" in doc.html
    assert "Zażółć gęślą jaźń" in doc.html


def test_feed_without_declaration_in_cp1252_and_its_author():
    (doc,) = _read(ENC / "cp1252_undeclared.rss")
    assert doc.text.startswith("Genève: Les négociations") and "« C’est un premier pas »" in doc.text
    assert doc.title == "Café talks" and getattr(doc, "author", None) == "Anne Müller"


def test_decode_bytes_order():
    from storyline.read import decode_bytes, normalise_charset

    assert normalise_charset("Shift_JIS") == "cp932" and normalise_charset("ISO-8859-1") == "cp1252"
    assert normalise_charset("no-such-charset") is None
    latin = "café".encode("latin-1")
    assert decode_bytes(latin, "x", charset="iso-8859-1") == "café"
    # the HTTP charset beats the meta tag
    body = '<meta charset="windows-1251"><p>Zażółć</p>'.encode("iso-8859-2")
    assert "Zażółć" in decode_bytes(body, "x", html=True, charset="iso-8859-2")


# --------------------------------------------------------------------------- streaming

def _write_warc(path: Path, n: int, gz: bool = True) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        rng = random.Random(7)
        words = "ministers met Geneva Monday discuss ceasefire talks border troops said officials".split()
        for i in range(n):
            story = " ".join(rng.choice(words) + str(rng.randrange(1000)) for _ in range(400))
            body = (f"<html><head><title>Story {i}</title></head><body><article><p>Story {i}: {story}"
                    "</p></article></body></html>").encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://s.example.org/{i}", "response",
                                                          payload=io.BytesIO(body), http_headers=headers))


@pytest.mark.parametrize("gz", [True, False])
def test_warc_records_are_yielded_lazily(tmp_path, monkeypatch, gz):
    """The first record comes out after reading a small part of the file, and all come out."""
    import storyline.read as read_mod

    path = tmp_path / ("big.warc.gz" if gz else "big.warc")
    _write_warc(path, 400, gz=gz)
    size = path.stat().st_size
    consumed = [0]

    class Counting(io.RawIOBase):
        def __init__(self, fh):
            self.fh = fh

        def readable(self):
            return True

        def readinto(self, b):
            n = self.fh.readinto(b)
            consumed[0] += n or 0
            return n

        def close(self):
            self.fh.close()
            super().close()

    real_open = open

    def counting_open(p, mode="r", *a, **kw):
        if str(p) == str(path):
            return io.BufferedReader(Counting(real_open(p, "rb", buffering=0)), buffer_size=8192)
        return real_open(p, mode, *a, **kw)

    monkeypatch.setattr(read_mod, "open", counting_open, raising=False)
    gen = read_paths([str(path)])
    first = next(gen)
    assert isinstance(first, RawDoc) and "Story 0:" in first.html
    assert consumed[0] < size / 20, (consumed[0], size)
    rest = list(gen)
    assert len(rest) == 399 and all(isinstance(r, RawDoc) for r in rest)
    assert rest[-1].source.endswith(":400") and consumed[0] >= size * 0.95


# --------------------------------------------------------------------------- binary served as HTML

@pytest.mark.parametrize("payload", [
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" * 20,
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    b"PK\x03\x04" + b"word/document.xml" * 50,
])
def test_binary_served_as_html_is_a_named_failure(tmp_path, payload):
    (tmp_path / "page.html").write_bytes(payload)
    (fail,) = _read(tmp_path / "page.html")
    assert isinstance(fail, Failure) and fail.error == "binary"


def test_binary_record_in_warc_fails_alone(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "mixed.warc.gz"
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for url, body in (("https://x.example.org/pdf", b"%PDF-1.4\n" + bytes(range(256)) * 8),
                          ("https://x.example.org/ok", b"<html><body><p>Lima: talks resumed on Monday.</p></body></html>")):
            hh = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=hh))
    fail, doc = _read(path)
    assert isinstance(fail, Failure) and fail.error == "binary" and fail.doc.endswith("mixed.warc.gz:1")
    assert isinstance(doc, RawDoc) and doc.url == "https://x.example.org/ok"


def test_gzip_encoded_page_saved_as_html(tmp_path):
    import gzip as gz

    (tmp_path / "p.html").write_bytes(gz.compress("<html><body><p>Genève: talks.</p></body></html>".encode()))
    (doc,) = _read(tmp_path / "p.html")
    assert "Genève: talks." in doc.html


def test_ascii_page_with_one_stray_byte_and_corrupt_feed_encoding(tmp_path):
    page = b"<html><head><meta charset='utf-8'></head><body><p>The caf\xe9 reopened on Monday, the council said.</p></body></html>"
    (tmp_path / "one.html").write_bytes(page)
    (doc,) = _read(tmp_path / "one.html")
    assert "The café reopened" in doc.html
    # a UTF-8 feed with a corrupt byte: a named failure, not a guessed exotic encoding
    feed = ("<rss><channel><item><title>Ok</title><description>Lima: talks resumed on Monday. Café."
            "</description></item><item><description>Second \u00e9 item</description></item></channel></rss>").encode()
    (tmp_path / "bad.rss").write_bytes(feed.replace("Second".encode(), b"Sec\xffnd"))
    items = _read(tmp_path / "bad.rss")
    assert isinstance(items[0], RawDoc) and "Café" in items[0].text
    assert all(isinstance(i, RawDoc) or i.error == "invalid_feed" for i in items)


def test_feed_html_entities_and_bare_ampersands_across_chunks(tmp_path):
    """&nbsp;, &mdash; and "R&D" in a long feed: every item read, text intact, no failure."""
    items = "".join(
        f"<item><title>Item {i} &mdash; R&D &amp; more</title><link>https://f.example.org/{i}</link>"
        f"<description>Lima:&nbsp;talks {i} resumed &eacute;t&eacute; &#233; &#xE9; Q&A{'x' * (i % 37)}.</description></item>"
        for i in range(3000))
    path = tmp_path / "ent.rss"
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>')
    docs = _read(path)
    assert len(docs) == 3000 and all(isinstance(d, RawDoc) for d in docs)
    for i, d in enumerate(docs):
        assert d.title == f"Item {i} — R&D & more"
        assert d.text == f"Lima:\u00a0talks {i} resumed été é é Q&A{'x' * (i % 37)}."
    broken = tmp_path / "broken.rss"
    broken.write_text('<rss><channel><item><description>Lima: one.</description></item>'
                      '<item><description>two<b></description></item>'
                      '<item><description>Quito: three.</description></item></channel></rss>')
    got = _read(broken)
    assert got[0].text == "Lima: one." and got[-1].error == "invalid_feed"
    assert "recovery mode" in got[-1].message
