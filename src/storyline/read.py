"""The read stage: files, folders, globs and stdin in; ``RawDoc`` (or ``Failure``) out.

Why a stage of its own: news arrives in many containers (wire ``.txt`` with a date header,
saved web pages, JSON Lines exports, WARC crawls, RSS/Atom feeds, any of them gzipped) and
every later stage wants one shape. Reading never stops a batch: a bad file or line becomes
a :class:`~storyline.models.Failure` naming ``path[:line]`` and the reader moves on.
Multi-record containers (JSON Lines, WARC, feeds) are streamed record by record so that
memory does not grow with the size of the file.

See docs/INPUT.md for the formats, ids and error codes.
"""
from __future__ import annotations

import codecs
import datetime as dt
import glob
import gzip
from html import unescape as html_unescape
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from typing import IO

from .errors import (BinaryDocument, EmptyDocument, InputError, MalformedRecord, TooLargeDocument,
                     UndecodableDocument, UnsupportedFormat)
from .identity import doc_id
from .models import Failure, RawDoc

STAGE = "read"


TooLarge = TooLargeDocument  # the name read and clean use

TEXT_EXT = {".txt", ".text"}
HTML_EXT = {".html", ".htm", ".xhtml", ".shtml"}
JSONL_EXT = {".jsonl", ".ndjson"}
WARC_EXT = {".warc"}
FEED_EXT = {".xml", ".rss", ".atom"}
SUPPORTED = sorted(TEXT_EXT | HTML_EXT | JSONL_EXT | WARC_EXT | FEED_EXT)

# a single document (txt/html) larger than this is refused rather than read into memory
MAX_DOC_BYTES = 64 * 1024 * 1024
# a JSON Lines line longer than this is refused (one record must fit in memory)
MAX_LINE_BYTES = 64 * 1024 * 1024

_DATE_HEADER = re.compile(r"\A[\s\ufeff]*date[ \t]*:?[ \t]*(\d{4}-\d{2}-\d{2})(?:[ \t]+|[ \t]*\r?\n|\Z)", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.-]+)["']""", re.I)
_LEAD_BYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


# --------------------------------------------------------------------------- helpers

def parse_published(value: object) -> dt.date | None:
    """A publication date from a record field (ISO date/datetime, RFC 822, epoch) or None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(float(value), tz=dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    s = str(value).strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", s)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    try:  # RFC 822 (RSS pubDate) and other free forms
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        from dateutil import parser as du

        return du.parse(s).date()
    except (ValueError, OverflowError, TypeError, ImportError):
        return None


def _split_ext(path: str) -> tuple[str, bool]:
    """(format extension, gzipped?) of a path: ``a.jsonl.gz`` → (``.jsonl``, True)."""
    name = os.path.basename(path).lower()
    gz = False
    if name.endswith(".gz"):
        gz, name = True, name[:-3]
    elif name.endswith(".tgz"):
        return ".tgz", False
    return os.path.splitext(name)[1], gz


def _stem(path: str) -> str:
    """File name without its format (and .gz) extension: the document id of a file."""
    name = os.path.basename(path)
    if name.lower().endswith(".gz"):
        name = name[:-3]
    return os.path.splitext(name)[0]


# file signatures of binary formats that servers and crawlers label text/html
_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"PK\x03\x04", b"RIFF",
                 b"OggS", b"ID3", b"\x00asm", b"7z\xbc\xaf", b"Rar!", b"\xd0\xcf\x11\xe0", b"fLaC",
                 b"\x1a\x45\xdf\xa3", b"wOFF", b"wOF2", b"BZh", b"\xfd7zXZ", b"(\xb5/\xfd")


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text.

    A known binary signature (PDF, images, archives, media, fonts), NUL bytes (outside
    UTF-16, with or without BOM), or more than 5 % control bytes in the first 8 KB.
    """
    head = data[:8192]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if head.lstrip()[:8].startswith(_BINARY_MAGIC) or head[4:12].startswith((b"ftyp",)):
        return True
    if b"\x00" in head:
        return _utf16_without_bom(head) is None
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > 0.05


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode a stray byte in UTF-8 text as Windows-1252 (or Latin-1)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    b = exc.object[exc.start:exc.start + 1]
    try:
        return b.decode("cp1252"), exc.start + 1
    except UnicodeDecodeError:
        return b.decode("latin-1"), exc.start + 1


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few stray single-byte characters (pages that mix encodings).

    Returns the text with those bytes read as Windows-1252, or None when the bytes are
    not mostly UTF-8 (then the declared/detected encoding is used).
    """
    bad = pos = 0
    while pos < len(data):
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            bad += 1
            pos += exc.start + 1
            if bad > 50:
                return None
    multi = len(_LEAD_BYTE.findall(data)) - bad
    # a few stray bytes among many UTF-8 characters, or a very few in a mostly ASCII text
    # (a stray byte read as Windows-1252 is also right for a Windows-1252 text)
    if bad == 0 or (multi < 4 * bad and bad > max(2, len(data) // 20000)):
        return None
    codecs.register_error("storyline_cp1252", _cp1252_fallback)
    return data.decode("utf-8", errors="storyline_cp1252")


# charset labels as browsers read them (WHATWG Encoding Standard): the label names a
# superset that real pages use (a "Shift_JIS" page has Windows-31J characters, a
# "gb2312" page GBK characters, an "iso-8859-1" page Windows-1252 quotes).
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
    "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "iso-8859-9": "cp1254",
    "latin5": "cp1254", "tis-620": "cp874", "iso-8859-11": "cp874",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "windows-31j": "cp932", "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
    "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "big5": "big5hkscs", "utf8": "utf-8", "unicode": "utf-8",
    "x-user-defined": "cp1252",
}


def normalise_charset(label: str | None) -> str | None:
    """A Python codec name for a charset label (HTTP header, meta tag, XML declaration)."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    enc = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(enc).name
    except LookupError:
        return None


def charset_from_content_type(value: str | None) -> str | None:
    """The ``charset=`` of an HTTP ``Content-Type`` header value, or None."""
    if not value:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.\-]+)", value, re.I)
    return m.group(1) if m else None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' for BOM-less UTF-16 text (every other byte NUL), else None."""
    head = data[:4096]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset a page or XML file declares in its first bytes (meta tag, XML declaration)."""
    m = _XML_ENCODING.search(data[:512]) or _META_CHARSET.search(data[:16384])
    return m.group(1).decode("ascii", "ignore") if m else None


def decode_bytes(data: bytes, doc: str, html: bool = False, charset: str | None = None) -> str:
    """Decode text bytes without mojibake; raises ``UndecodableDocument`` when nothing fits.

    Order: BOM; strict UTF-8 (a non-ASCII text that is valid UTF-8 is UTF-8 whatever its
    headers say, since servers often declare ISO-8859-1 for UTF-8 pages); mostly UTF-8 with
    stray bytes; the HTTP charset (``charset``, from a WARC record's Content-Type); the
    declared charset (HTML ``<meta>``, XML declaration); BOM-less UTF-16;
    ``charset_normalizer`` detection.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    labels = [charset]
    if html:
        labels.append(declared_charset(data))
    tried = []
    for label in labels:
        enc = normalise_charset(label)
        if enc is None or enc in tried or enc == "utf-8" or enc.startswith("utf-16"):
            continue
        tried.append(enc)
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            pass
    u16 = _utf16_without_bom(data)
    if u16:
        try:
            return data.decode(u16)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:262144]).best()
    if best is not None and best.encoding is not None:
        enc = normalise_charset(best.encoding) or best.encoding
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass
    for enc in tried:  # a declared charset with a few invalid bytes: replace those
        text = data.decode(enc, errors="replace")
        if text.count("\ufffd") <= max(2, len(text) // 1000):
            return text
    raise UndecodableDocument(doc, "undecodable bytes: not UTF-8 and no character encoding could be detected")


def _fail(doc: str, code: str, message: str) -> Failure:
    return Failure(doc=doc, stage=STAGE, error=code, message=f"{doc}: {message}")


def _fail_exc(doc: str, exc: BaseException) -> Failure:
    """A Failure from an exception met while reading ``doc``."""
    if isinstance(exc, InputError):
        code = exc.code
        return Failure(doc=exc.doc or doc, stage=STAGE, error=code, message=f"{exc.doc or doc}: {exc.message}")
    if isinstance(exc, EOFError):
        return _fail(doc, "truncated_gzip", "gzip stream is truncated (unexpected end of file)")
    if isinstance(exc, (gzip.BadGzipFile, zlib.error)):
        return _fail(doc, "bad_gzip", f"not a valid gzip stream ({exc})")
    if isinstance(exc, FileNotFoundError):
        return _fail(doc, "not_found", "no such file")
    if isinstance(exc, PermissionError):
        return _fail(doc, "unreadable", "permission denied")
    if isinstance(exc, OSError):
        return _fail(doc, "unreadable", f"cannot read ({exc.strerror or exc})")
    return _fail(doc, type(exc).__name__, str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__)


def _open(path: str, gz: bool) -> IO[bytes]:
    return gzip.open(path, "rb") if gz else open(path, "rb")


def _read_all(path: str, gz: bool) -> bytes:
    """All bytes of a single-document file (decompressed), refusing huge ones."""
    with _open(path, gz) as fh:
        data = fh.read(MAX_DOC_BYTES + 1)
    if len(data) > MAX_DOC_BYTES:
        raise TooLarge(path, f"document larger than {MAX_DOC_BYTES // (1024 * 1024)} MB; split it")
    return data


def _check_text(data: bytes, doc: str) -> None:
    if not data.strip():
        raise EmptyDocument(doc, "empty file (no text)")
    if looks_binary(data):
        raise BinaryDocument(doc, "binary file (NUL or control bytes), not text")


# --------------------------------------------------------------------------- single docs

def split_date_header(text: str) -> tuple[dt.date | None, str]:
    """Split a leading ``date YYYY-MM-DD`` header off a text: (date or None, rest).

    The story may follow on the same line. An impossible date leaves the text as it is.
    """
    m = _DATE_HEADER.match(text)
    if not m:
        return None, text
    try:
        day = dt.date.fromisoformat(m.group(1))
    except ValueError:
        return None, text
    return day, text[m.end():]


def read_txt(path: str, gz: bool = False, published: dt.date | None = None) -> RawDoc:
    """A plain-text story; a leading date header is its publication date."""
    data = _read_all(path, gz)
    _check_text(data, path)
    text = decode_bytes(data, path)
    day, body = split_date_header(text)
    if not body.strip():
        raise EmptyDocument(path, "no text after the date header")
    return RawDoc(id=_stem(path), source=path, text=body, published=day or published, id_given=True)


def read_html(path: str, gz: bool = False) -> RawDoc:
    """A saved web page; the publication date is looked up in the page by ``clean``."""
    data = _read_all(path, gz)
    if data[:2] == b"\x1f\x8b" and not gz:  # saved with its Content-Encoding: gzip
        try:
            data = gzip.decompress(data)[:MAX_DOC_BYTES + 1]
        except (OSError, EOFError, zlib.error) as exc:
            raise BinaryDocument(path, f"gzip-compressed page that does not decompress ({exc})") from None
    _check_text(data, path)
    html = decode_bytes(data, path, html=True)
    return RawDoc(id=_stem(path), source=path, html=html, id_given=True)


# --------------------------------------------------------------------------- JSON Lines

def _record(obj: object, doc: str, published: dt.date | None) -> RawDoc:
    """One JSON Lines record → RawDoc (raises MalformedRecord / EmptyDocument)."""
    if not isinstance(obj, dict):
        raise MalformedRecord(doc, f"JSON line is a {type(obj).__name__}, not an object")
    text, html = obj.get("text"), obj.get("html")
    if text is not None and not isinstance(text, str):
        raise MalformedRecord(doc, "'text' is not a string")
    if html is not None and not isinstance(html, str):
        raise MalformedRecord(doc, "'html' is not a string")
    if text is None and html is None:
        raise MalformedRecord(doc, "JSON line has neither 'text' nor 'html'")
    if not (text or "").strip() and not (html or "").strip():
        raise EmptyDocument(doc, "'text'/'html' is empty")
    day = parse_published(obj.get("published") or obj.get("date"))
    if text is not None and text.strip():
        hdr, text = split_date_header(text)
        day = day or hdr
        html = None if not (html or "").strip() else html
    else:
        text = None
    rid = obj.get("id")
    given = rid is not None and str(rid).strip() != ""
    if not given:
        rid = doc_id(text if text is not None else html)
    title = obj.get("title")
    url = obj.get("url")
    return _with_author(RawDoc(
        id=str(rid), source=doc, text=text, html=html,
        url=str(url) if url else None,
        # the CLI date only fills plain-text records: a page's own date wins (see clean)
        published=day or (published if text is not None else None),
        title=str(title) if title else None, id_given=given,
    ), obj.get("author"))


def _jsonl_lines(fh: IO[bytes], name: str, published: dt.date | None) -> Iterator[RawDoc | Failure]:
    lineno = 0
    while True:
        doc = f"{name}:{lineno + 1}"
        try:
            line = fh.readline(MAX_LINE_BYTES + 1)
        except Exception as exc:  # truncated gzip, I/O error
            yield _fail_exc(doc, exc)
            return
        if not line:
            return
        lineno += 1
        if len(line) > MAX_LINE_BYTES:
            yield _fail(doc, "malformed", f"JSON line longer than {MAX_LINE_BYTES} bytes")
            # skip the rest of that line
            while line and not line.endswith(b"\n"):
                line = fh.readline(MAX_LINE_BYTES)
            continue
        if lineno == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[3:]
        if not line.strip():
            continue
        if b"\x00" in line:
            yield _fail(doc, "binary", "NUL bytes in a JSON line (binary data, not JSON Lines)")
            continue
        try:
            s = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield _fail(doc, "undecodable", f"JSON line is not UTF-8 (byte {exc.start})")
            continue
        try:
            obj = json.loads(s)
        except json.JSONDecodeError as exc:
            yield _fail(doc, "malformed", f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        try:
            yield _record(obj, doc, published)
        except InputError as exc:
            yield _fail_exc(doc, exc)


def read_jsonl_stream(stream: IO, name: str = "<stdin>", published: dt.date | None = None
                      ) -> Iterator[RawDoc | Failure]:
    """JSON Lines records from an open stream (text or binary), one RawDoc or Failure per line.

    Record fields: ``id``, ``text`` or ``html``, ``url``, ``published``, ``title``.
    """
    fh = stream.buffer if hasattr(stream, "buffer") else stream
    if isinstance(fh, io.TextIOBase):  # a text stream without a buffer (StringIO)
        fh = io.BytesIO(fh.read().encode("utf-8"))
    yield from _jsonl_lines(fh, name, published)


def read_jsonl(path: str, gz: bool = False, published: dt.date | None = None) -> Iterator[RawDoc | Failure]:
    try:
        fh = _open(path, gz)
    except OSError as exc:
        yield _fail_exc(path, exc)
        return
    with fh:
        try:
            head = fh.peek(8192)[:8192] if hasattr(fh, "peek") else b""
        except Exception as exc:
            yield _fail_exc(path, exc)
            return
        if not head.strip() and not fh.peek(1):
            yield _fail(path, "empty", "empty file (no records)")
            return
        yield from _jsonl_lines(fh, path, published)


# --------------------------------------------------------------------------- WARC

_WARC_TYPES = {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion",
               "continuation"}


def read_warc(path: str) -> Iterator[RawDoc | Failure]:
    """HTML ``response`` (and ``resource``) records of a WARC file, streamed record by record."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        yield _fail(path, "unsupported_format", "reading WARC needs the 'warcio' package (pip install warcio)")
        return

    n = 0
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield _fail_exc(path, exc)
        return
    with fh:
        if not fh.peek(1):
            yield _fail(path, "empty", "empty file (no WARC records)")
            return
        try:
            for record in ArchiveIterator(fh, arc2warc=False):
                n += 1
                doc = f"{path}:{n}"
                if (record.rec_type not in _WARC_TYPES
                        or record.rec_headers.get_header("Content-Length") is None):
                    yield _fail(doc, "truncated", "truncated or malformed WARC record "
                                "(incomplete header; the file may have been cut short)")
                    continue
                if record.rec_type not in ("response", "resource"):
                    continue
                ctype = ""
                if record.http_headers is not None:
                    if record.rec_type == "response":
                        status = record.http_headers.get_statuscode()
                        if status and not str(status).startswith("2"):
                            continue
                    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                if not ctype:
                    ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
                if "html" not in ctype and "xml" not in ctype:
                    continue
                try:
                    data = record.content_stream().read(MAX_DOC_BYTES + 1)
                    if len(data) > MAX_DOC_BYTES:
                        yield _fail(doc, "too_large", f"record body larger than {MAX_DOC_BYTES // (1024 * 1024)} MB")
                        continue
                    _check_text(data, doc)
                    html = decode_bytes(data, doc, html=True, charset=charset_from_content_type(ctype))
                except InputError as exc:
                    yield _fail_exc(doc, exc)
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                # WARC-Date is the crawl date, not the publication date: clean() looks for
                # the page's own date and the pipeline falls back on the CLI date.
                yield RawDoc(id=doc_id(html), source=doc, html=html, url=url, id_given=False)
        except ArchiveLoadFailed as exc:
            yield _fail(f"{path}:{n + 1}", "malformed", f"invalid WARC record ({str(exc).strip()[:200]})")
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            yield _fail_exc(f"{path}:{n + 1}", exc)
        except Exception as exc:  # noqa: BLE001 - one bad archive must not stop the batch
            yield _fail(f"{path}:{n + 1}", "malformed", f"cannot read WARC ({type(exc).__name__}: {exc})")
    if n == 0:
        yield _fail(path, "malformed", "no WARC records found")


# --------------------------------------------------------------------------- RSS / Atom

def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _feed_item(el, doc: str) -> RawDoc:
    """One RSS ``item`` / Atom ``entry`` → RawDoc (content, else summary)."""
    fields: dict[str, str] = {}
    link = None
    for child in el:
        name = _local(child.tag)
        if name == "link":
            href = child.get("href")
            rel = child.get("rel", "alternate")
            if href and rel == "alternate" and link is None:
                link = href.strip()
            elif child.text and child.text.strip() and link is None:
                link = child.text.strip()
            continue
        if name == "author" and len(child):  # Atom <author><name>…</name><email>…</email></author>
            names = [c for c in child if _local(c.tag) == "name"]
            value = (names[0].text or "").strip() if names else ""
            if value and "author" not in fields:
                fields["author"] = value
            continue
        value = "".join(child.itertext()).strip() if len(child) and name != "content" else (child.text or "").strip()
        if name == "content" and len(child):  # Atom xhtml content
            from lxml import etree

            value = "".join(etree.tostring(c, encoding="unicode") for c in child)
        if value and name not in fields:
            fields[name] = value
    body = fields.get("encoded") or fields.get("content") or fields.get("description") or fields.get("summary")
    if not body:
        raise MalformedRecord(doc, "feed item has no content, summary or description")
    day = None
    for key in ("pubdate", "published", "date", "issued", "updated", "modified", "created"):
        if key in fields:
            day = parse_published(fields[key])
            if day:
                break
    is_html = bool(re.search(r"<[a-zA-Z][^>]*>", body))
    if not is_html:  # escaped twice by the feed, or an entity inside CDATA: "&amp;" → "&"
        body = html_unescape(body)
    title = html_unescape(fields["title"]) if fields.get("title") else None
    raw = RawDoc(
        id=doc_id(body), source=doc,
        text=None if is_html else body, html=body if is_html else None,
        url=link or (fields["guid"] if fields.get("guid", "").startswith("http") else None),
        published=day, title=title, id_given=False,
    )
    return _with_author(raw, fields.get("creator") or _rss_author(fields.get("author")))


def _rss_author(value: str | None) -> str | None:
    """RSS ``<author>`` is "email (Name)" or a name: the name."""
    if not value:
        return None
    m = re.match(r"^\S+@\S+\s*\((.+)\)\s*$", value)
    if m:
        return m.group(1).strip()
    return None if re.fullmatch(r"\S+@\S+", value.strip()) else value.strip()


def _with_author(raw: RawDoc, author: object) -> RawDoc:
    """Attach the record's author (feed ``dc:creator``/``author``, JSON Lines ``author``).

    ``clean`` reads it as the byline.
    """
    if author:
        raw.author = str(author).strip() or None
    return raw


_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}
_AMP = re.compile(rb"&(#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)?")


def _fix_amp(m: re.Match) -> bytes:
    ref = m.group(1)
    if ref is None:
        return b"&amp;"  # a bare "&" ("R&D", "Q&A")
    name = ref[:-1]
    if ref.startswith(b"#") or name in _XML_ENTITIES:
        return m.group(0)
    import html.entities

    cp = html.entities.name2codepoint.get(name.decode("ascii"))
    return f"&#{cp};".encode() if cp is not None else b"&amp;" + ref


class _EntityFixer(io.RawIOBase):
    """A byte stream that makes feed XML well-formed as to ``&``, chunk by chunk.

    Feeds carry HTML entities XML does not define (``&nbsp;``, ``&mdash;``) and bare
    ampersands ("R&D"); the strict parser stops there and recovery mode drops text. They
    become numeric references / ``&amp;``. A possible entity cut by a chunk boundary is
    held back until the next read, so memory stays flat.
    """

    def __init__(self, fh: IO[bytes]):
        self.fh = fh
        self.carry = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        chunk = self.fh.read(max(len(b) // 2, 1024))
        data = self.carry + chunk
        self.carry = b""
        if chunk:
            cut = data.rfind(b"&", max(0, len(data) - 40))
            if cut != -1 and b";" not in data[cut:]:
                data, self.carry = data[:cut], data[cut:]
        fixed = _AMP.sub(_fix_amp, data)
        if len(fixed) > len(b):  # room for the expansion: keep the rest for the next read
            self.carry = fixed[len(b):] + self.carry  # fixing is idempotent on fixed bytes
            fixed = fixed[:len(b)]
        b[:len(fixed)] = fixed
        return len(fixed)


def _feed_encoding(head: bytes) -> str | None:
    """The encoding of a feed that declares none and is not UTF-8 (detected), else None.

    A feed with an XML declaration or a BOM is decoded by the XML parser as declared.
    """
    if not head or head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if _XML_ENCODING.search(head[:512]):
        return None
    try:
        head.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut by the end of the peeked bytes
            return None
    if _mostly_utf8(head) is not None:  # UTF-8 with a few bad bytes: the parser reports them
        return None
    from charset_normalizer import from_bytes
    from lxml import etree

    best = from_bytes(head).best()
    enc = normalise_charset(best.encoding) if best is not None and best.encoding else None
    alias = enc.replace("iso8859", "iso-8859").replace("_", "-") if enc else None
    for name in (enc, alias, best.encoding if best is not None else None, "cp1252"):
        if not name:
            continue
        try:
            etree.XMLParser(encoding=name)  # an encoding libxml2 knows
            return name
        except LookupError:
            continue
    return None


def read_feed(path: str, gz: bool = False) -> Iterator[RawDoc | Failure]:
    """Items of an RSS 2.0 / RSS 1.0 / Atom feed, parsed incrementally (lxml iterparse)."""
    try:
        fh = _open(path, gz)
    except OSError as exc:
        yield _fail_exc(path, exc)
        return
    yield from _feed_items(fh, path)


def read_feed_bytes(data: bytes, name: str) -> Iterator[RawDoc | Failure]:
    """Items of a feed fetched from ``name`` (a URL): what ``storyline watch`` reads."""
    yield from _feed_items(io.BufferedReader(io.BytesIO(data)), name)


def _feed_items(fh: IO[bytes], path: str) -> Iterator[RawDoc | Failure]:
    """The items of an open feed, failures in their place; ``path`` names it in messages."""
    from lxml import etree

    n_items = 0
    root_seen = False
    with fh:
        try:
            head = fh.peek(1) if hasattr(fh, "peek") else b"x"
        except Exception as exc:
            yield _fail_exc(path, exc)
            return
        if not head:
            yield _fail(path, "empty", "empty file (no feed)")
            return
        try:
            head = fh.peek(65536)[:65536] if hasattr(fh, "peek") else b""
            encoding = _feed_encoding(head)
            utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
                b"\x00" in head[:200]) or "16" in (encoding or "")
            src = fh if utf16 else io.BufferedReader(_EntityFixer(fh), buffer_size=65536)
            # recover: real feeds carry HTML entities (&nbsp;) and stray "&": the parser
            # goes on past them and the errors are reported once, after the items
            context = etree.iterparse(src, events=("start", "end"), resolve_entities=False,
                                      no_network=True, huge_tree=False, encoding=encoding, recover=True)
            for event, el in context:
                name = _local(el.tag)
                if event == "start":
                    if not root_seen:
                        root_seen = True
                        if name not in ("rss", "feed", "rdf", "channel"):
                            yield _fail(path, "unsupported_format",
                                        f"XML root <{name}> is not an RSS or Atom feed")
                            return
                    continue
                if name in ("item", "entry"):
                    n_items += 1
                    doc = f"{path}:{el.sourceline or n_items}"
                    try:
                        yield _feed_item(el, doc)
                    except InputError as exc:
                        yield _fail_exc(doc, exc)
                    el.clear()
                    parent = el.getparent()
                    if parent is not None:  # drop processed items: memory stays flat
                        while el.getprevious() is not None:
                            del parent[0]
        except etree.XMLSyntaxError as exc:
            line = getattr(exc, "lineno", None) or getattr(exc, "position", (None,))[0]
            doc = f"{path}:{line}" if line else path
            yield _fail(doc, "invalid_feed", f"invalid feed XML ({exc.msg if hasattr(exc, 'msg') else exc})")
            return
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            yield _fail_exc(path, exc)
            return
        errors = [e for e in context.error_log if e.level_name in ("ERROR", "FATAL")]
        if errors and root_seen:
            first = errors[0]
            yield _fail(f"{path}:{first.line}", "invalid_feed",
                        f"invalid feed XML ({len(errors)} error{'s' if len(errors) > 1 else ''}, first: "
                        f"{first.message.strip()}); items were read in recovery mode")
        elif not root_seen:
            yield _fail(path, "invalid_feed", "invalid feed XML (no root element)")
            return
    if n_items == 0:
        yield _fail(path, "empty", "feed has no items")


# --------------------------------------------------------------------------- dispatch

def read_file(path: str, published: dt.date | None = None) -> Iterator[RawDoc | Failure]:
    """Every document of one file, by its extension (``.gz`` allowed on all formats)."""
    ext, gz = _split_ext(path)
    try:
        if ext in TEXT_EXT:
            yield read_txt(path, gz, published)
        elif ext in HTML_EXT:
            yield read_html(path, gz)
        elif ext in JSONL_EXT:
            yield from read_jsonl(path, gz, published)
        elif ext in WARC_EXT:
            yield from read_warc(path)
        elif ext in FEED_EXT:
            yield from read_feed(path, gz)
        else:
            shown = ext or "(none)"
            raise UnsupportedFormat(path, f"unsupported file extension {shown}; expected one of "
                                          f"{' '.join(SUPPORTED)} (optionally .gz)")
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        yield _fail_exc(path, exc)


def _walk(folder: str) -> Iterator[str]:
    """Files under a folder, recursively, in sorted order, skipping hidden files and folders."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.startswith("."):
                yield os.path.join(root, f)


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files named by ``paths`` (files, folders, globs, ``-``), in order."""
    for p in paths:
        p = str(p)
        if p == "-":
            yield p
        elif os.path.isdir(p):
            yield from _walk(p)
        elif os.path.exists(p):
            yield p
        elif glob.has_magic(p):
            hits = sorted(glob.glob(p, recursive=True))
            if not hits:
                yield p  # reported as matching nothing
            for hit in hits:
                if os.path.basename(hit).startswith("."):
                    continue
                if os.path.isdir(hit):
                    yield from _walk(hit)
                else:
                    yield hit
        else:
            yield p  # read_file reports it as not found


def missing_paths(paths: Iterable[str]) -> list[str]:
    """The paths that name nothing: no file, no folder, no glob match (``-`` is stdin)."""
    return [str(p) for p in paths
            if str(p) != "-" and not os.path.exists(p) and not (glob.has_magic(str(p)) and glob.glob(str(p), recursive=True))]


def read_paths(paths: Iterable[str], published: dt.date | None = None) -> Iterator[RawDoc | Failure]:
    """Read every document under ``paths``; never raises for one bad document.

    ``published`` is the publication date of plain-text documents that carry none (HTML
    pages keep the date found in the page; the pipeline falls back on it afterwards).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for path in expand_paths(paths):
        if path == "-":
            yield from read_jsonl_stream(sys.stdin, "<stdin>", published)
            continue
        if not os.path.exists(path):
            msg = "no file matches this pattern" if glob.has_magic(path) else "no such file or folder"
            yield _fail(path, "not_found", msg)
            continue
        yield from read_file(path, published)
