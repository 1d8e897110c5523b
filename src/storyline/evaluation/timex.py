"""``storyline eval timex``: score the time stage on TimeML (``.tml``) files.

Why: the time stage is rule-based and must be held to the same numbers the reference
systems publish (TempEval-3 style: strict/relaxed span P/R/F1, type accuracy, value
accuracy and value F1), measured on TimeBank/AQUAINT (TBAQ-cleaned).

Reads each ``.tml`` file (directories are searched recursively), takes the TIMEX3 with
``functionInDocument="CREATION_TIME"`` as the publication date, strips the tags of the
``TEXT`` element to get the text and the gold TIMEX3 character offsets, annotates the texts
with spaCy in batches and runs :func:`storyline.time.extract_timexes`.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from pathlib import Path

BATCH_SIZE = 16


@dataclass
class GoldTimex:
    text: str
    type: str
    value: str | None
    start: int
    end: int


@dataclass
class TmlDoc:
    path: str
    text: str
    dct: dt.date | None
    dct_value: str | None
    gold: list[GoldTimex] = field(default_factory=list)


def find_tml(paths: list[str]) -> list[str]:
    """All ``.tml`` files under the given files/directories, sorted, de-duplicated."""
    found: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, files in os.walk(p):
                found.extend(os.path.join(root, f) for f in files if f.endswith(".tml"))
        elif p.endswith(".tml") and os.path.exists(p):
            found.append(p)
    return sorted(dict.fromkeys(found))


def _walk(elem: ET.Element, parts: list[str], gold: list[GoldTimex], pos: list[int]) -> None:
    """Depth-first text collection that records TIMEX3 offsets in the stripped text."""
    if elem.text:
        parts.append(elem.text)
        pos[0] += len(elem.text)
    for child in elem:
        start = pos[0]
        _walk(child, parts, gold, pos)
        if child.tag == "TIMEX3":
            text = "".join(parts)[start:pos[0]]
            gold.append(GoldTimex(text, child.get("type", "DATE"), child.get("value"), start, pos[0]))
        if child.tail:
            parts.append(child.tail)
            pos[0] += len(child.tail)


def load_tml(path: str) -> TmlDoc:
    """Parse one TimeML file into text, DCT and gold timexes (offsets into the text)."""
    root = ET.parse(path).getroot()
    dct_value = None
    for t in root.iter("TIMEX3"):
        if t.get("functionInDocument") == "CREATION_TIME":
            dct_value = t.get("value")
            break
    dct = None
    if dct_value:
        try:
            dct = dt.date.fromisoformat(dct_value[:10])
        except ValueError:
            dct = None
    text_el = root.find("TEXT")
    parts: list[str] = []
    gold: list[GoldTimex] = []
    if text_el is not None:
        _walk(text_el, parts, gold, [0])
    gold = [g for g in gold if g.text.strip()]
    gold.sort(key=lambda g: g.start)
    return TmlDoc(path, "".join(parts), dct, dct_value, gold)


@dataclass
class Counts:
    """Raw counts for the TempEval-3 style metrics (summed over files)."""

    gold: int = 0
    system: int = 0
    strict: int = 0  # exact span matches
    relaxed: int = 0  # gold timexes with an overlapping system timex (one-to-one)
    type_ok: int = 0
    value_ok: int = 0

    def add(self, other: "Counts") -> None:
        for f in ("gold", "system", "strict", "relaxed", "type_ok", "value_ok"):
            setattr(self, f, getattr(self, f) + getattr(other, f))


def _prf(tp_p: int, n_sys: int, tp_r: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_p / n_sys if n_sys else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


def norm_value(value: str | None) -> str | None:
    """Values compared as the TempEval-3 scorer does (case-insensitive, stripped)."""
    if value is None:
        return None
    return value.strip().upper()


def match(gold: list, system: list) -> tuple[Counts, list[tuple]]:
    """One-to-one matching of system to gold timexes by overlap (largest overlap first).

    Returns the counts and the (gold, system) pairs (either side may be None) so the
    caller can list errors.
    """
    c = Counts(gold=len(gold), system=len(system))
    cands = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            ov = min(g.end, s.end) - max(g.start, s.start)
            if ov > 0:
                cands.append((-(ov), gi, si))
    cands.sort()
    used_g: dict[int, int] = {}
    used_s: set[int] = set()
    for _ov, gi, si in cands:
        if gi in used_g or si in used_s:
            continue
        used_g[gi] = si
        used_s.add(si)
    pairs: list[tuple] = []
    for gi, g in enumerate(gold):
        si = used_g.get(gi)
        if si is None:
            pairs.append((g, None))
            continue
        s = system[si]
        c.relaxed += 1
        if g.start == s.start and g.end == s.end:
            c.strict += 1
        if g.type == s.type:
            c.type_ok += 1
        if norm_value(g.value) == norm_value(s.value):
            c.value_ok += 1
        pairs.append((g, s))
    for si, s in enumerate(system):
        if si not in used_s:
            pairs.append((None, s))
    return c, pairs


def metrics(c: Counts) -> dict:
    """TempEval-3 style metrics from summed counts."""
    sp, sr, sf = _prf(c.strict, c.system, c.strict, c.gold)
    rp, rr, rf = _prf(c.relaxed, c.system, c.relaxed, c.gold)
    vp, vr, vf = _prf(c.value_ok, c.system, c.value_ok, c.gold)
    return {
        "gold": c.gold, "system": c.system,
        "strict_precision": sp, "strict_recall": sr, "strict_f1": sf,
        "relaxed_precision": rp, "relaxed_recall": rr, "relaxed_f1": rf,
        "type_accuracy": round(c.type_ok / c.relaxed, 4) if c.relaxed else 0.0,
        "value_accuracy": round(c.value_ok / c.relaxed, 4) if c.relaxed else 0.0,
        "value_precision": vp, "value_recall": vr, "value_f1": vf,
    }


_RANGE_SPLIT = re.compile(r"^(.*?\d{1,2}(?:st|nd|rd|th)?)(\s*(?:-|–|—|to|through|till|until|and)\s*)(\S.*)$", re.S)


def timeml_view(timexes: list) -> list:
    """The system's timexes in TimeML's conventions: a range is two TIMEX3s.

    storyline keeps "Jan. 29-31" as one expression with ``value_end`` (an event needs
    both ends); TimeML tags "Jan. 29" and "31" separately. Only the tagging changes here,
    not the values.
    """
    out = []
    for t in timexes:
        m = _RANGE_SPLIT.match(t.text) if t.value_end and t.type == "DATE" else None
        if m is None:
            out.append(t)
            continue
        a_end = t.start + len(m.group(1))
        b_start = a_end + len(m.group(2))
        out.append(replace(t, text=m.group(1), end=a_end, value_end=None))
        out.append(replace(t, text=m.group(3), start=b_start, value=t.value_end, value_end=None))
    return out


def run(paths: list[str], limit: int | None = None, errors: str | None = None,
        batch_size: int = BATCH_SIZE, quiet: bool = False, **_options) -> dict:
    """Score the time stage on the TimeML files under ``paths``; returns the metrics dict.

    Prints one line per file to stderr (unless ``quiet``). ``errors``: a path to write
    every mismatch as JSON Lines (for error analysis). ``limit``: first N files only.
    """
    from storyline.annotate import annotate, load_nlp
    from storyline.time import extract_timexes

    files = find_tml(paths)
    if limit:
        files = files[:limit]
    docs = [load_tml(f) for f in files]
    load_nlp()  # model loading is not parse time
    total = Counts()
    t_spacy = 0.0
    t_time = 0.0
    err_out = open(errors, "w", encoding="utf-8") if errors else None
    try:
        for b in range(0, len(docs), batch_size):
            batch = docs[b:b + batch_size]
            t0 = time.perf_counter()
            parsed = list(annotate([d.text for d in batch], batch_size=batch_size))
            t_spacy += time.perf_counter() - t0
            for d, sdoc in zip(batch, parsed):
                t0 = time.perf_counter()
                try:
                    system = timeml_view(extract_timexes(sdoc, d.dct))
                except Exception as exc:  # noqa: BLE001 - a failing file is reported, not fatal
                    print(f"{d.path}\tERROR {type(exc).__name__}: {exc}", file=sys.stderr)
                    system = []
                t_time += time.perf_counter() - t0
                c, pairs = match(d.gold, system)
                total.add(c)
                if not quiet:
                    m = metrics(c)
                    print(f"{Path(d.path).name}\tgold={c.gold}\tsys={c.system}\trelaxed_f1={m['relaxed_f1']}"
                          f"\tvalue_f1={m['value_f1']}", file=sys.stderr)
                if err_out:
                    for g, s in pairs:
                        if g is not None and s is not None and (g.start, g.end) == (s.start, s.end) \
                                and g.type == s.type and norm_value(g.value) == norm_value(s.value):
                            continue
                        ctx_s = g or s
                        err_out.write(json.dumps({
                            "file": Path(d.path).name, "dct": d.dct_value,
                            "gold": None if g is None else [g.text, g.type, g.value],
                            "sys": None if s is None else [s.text, s.type, s.value, s.anchor],
                            "ctx": d.text[max(0, ctx_s.start - 80):ctx_s.end + 60].replace("\n", " "),
                        }) + "\n")
    finally:
        if err_out:
            err_out.close()
    out = metrics(total)
    out.update({
        "files": len(docs),
        "seconds_spacy": round(t_spacy, 3),
        "seconds_time": round(t_time, 3),
        "time_to_spacy_ratio": round(t_time / t_spacy, 4) if t_spacy else None,
    })
    return out
