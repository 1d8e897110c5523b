"""Plain-text tables and timelines for the terminal."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

MAX_CELL = 60


def _cell(value, limit: int | None = MAX_CELL) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def format_table(rows: list[dict], columns: list[str], full: tuple[str, ...] = ()) -> str:
    """Left-aligned columns with a header line; an empty table says so.

    Cells are cut at MAX_CELL characters except in the ``full`` columns (paths, messages
    a user must be able to copy).
    """
    if not rows:
        return "(no rows)"
    cells = [[_cell(r.get(c), None if c in full else MAX_CELL) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)


def describe_event(e: dict) -> str:
    """One readable line: who did what to whom, where, how certain."""
    src = e.get("source_name") or "?"
    if e.get("source_country"):
        src += f" [{e['source_country']}]"
    tgt = e.get("target_name") or ""
    if tgt and e.get("target_country"):
        tgt += f" [{e['target_country']}]"
    what = e["type"] + (f"/{e['mode']}" if e.get("mode") else "")
    where = f" @ {e['location_name']}" if e.get("location_name") else ""
    arrow = f" → {tgt}" if tgt else ""
    return f"{what:22s} {src}{arrow}{where}  ({e['modality']})"


def _when(e: dict) -> str:
    if not e.get("date"):
        return "undated".ljust(23)
    d = str(e["date"])
    if e.get("date_end") and e["date_end"] != e["date"]:
        d += f"..{str(e['date_end'])[5:]}"
    elif e.get("date_precision") and e["date_precision"] != "day":
        d = {"month": d[:7], "year": d[:4], "publication": f"{d} (pub)"}.get(e["date_precision"],
                                                                      d + f" ({e['date_precision']})")
    return d.ljust(23)


def _width_days(e: dict) -> int:
    if not e.get("date"):
        return 10**6
    start, end = str(e["date"]), str(e.get("date_end") or e["date"])
    return (dt.date.fromisoformat(end[:10]) - dt.date.fromisoformat(start[:10])).days


def _representative(mentions: list[dict]) -> dict:
    """The mention that says most: most precise date, both sides named, then confidence."""
    return min(mentions, key=lambda e: (_width_days(e), not e.get("source_name"), not e.get("target_name"),
                                        not e.get("location_name"), -(e.get("confidence") or 0), e["event_id"]))


def _report_day(e: dict) -> str:
    """The day a report came out (its publication date, else the event's own date), for ordering."""
    d = e.get("doc_published") or e.get("published") or e.get("date")
    return str(d)[:10] if d else "9999-12-31"


# when one report tells an event in several ways, the way it tells it most often counts, and
# on a tie the more decisive one (a denial or a realisation over a plan or a report of it)
MODALITY_RANK = {"negated": 0, "asserted": 1, "reported": 2, "planned": 3, "hypothetical": 4}


def modality_history(mentions: list[dict]) -> list[dict]:
    """How the reports of one event cluster told it, in the order they came out.

    Each report counts once, with the modality it gives the event most often, and there is
    one step per change (planned → asserted → negated), each with the report and day it
    first came from: a plan previewed on Monday and carried out on Thursday is ``planned``
    then ``asserted``, not a bag of labels. Reports are ordered by publication day, then id,
    so the history depends only on the mentions. Empty when every report told it the same way.
    """
    by_doc: dict[str, list[dict]] = {}
    for e in mentions:
        by_doc.setdefault(e.get("doc_id") or "", []).append(e)
    told = []
    for doc, ms in by_doc.items():
        counts: dict[str, int] = {}
        for e in ms:
            counts[e.get("modality")] = counts.get(e.get("modality"), 0) + 1
        modality = min(counts, key=lambda m: (-counts[m], MODALITY_RANK.get(m, 9), str(m)))
        first = min((e for e in ms if e.get("modality") == modality),
                    key=lambda e: (e.get("start") if e.get("start") is not None else e.get("start_char") or 0,
                                   e.get("event_id") or ""))
        told.append((_report_day(first), doc, modality, first))
    steps: list[dict] = []
    for day, doc, modality, e in sorted(told, key=lambda t: t[:2]):
        if steps and steps[-1]["modality"] == modality:
            continue
        steps.append({"modality": modality, "event_id": e.get("event_id"), "doc_id": doc,
                      "doc_title": e.get("doc_title") or e.get("title"),
                      "reported": None if day.startswith("9999") else day,
                      "date": str(e["date"])[:10] if e.get("date") else None})
    return steps if len(steps) > 1 else []


def history_text(steps: list[dict]) -> str:
    """``planned (01-21) → asserted (01-29)``: the modality steps with the day of their report."""
    return " → ".join(f"{s['modality']} ({s['reported'][5:] if s.get('reported') else 'undated'})" for s in steps)


def print_timeline(story: dict, events: list[dict], echo: Callable[[str], None]) -> None:
    """A story header and its events in date order, one event cluster per line.

    Each line shows the cluster's most precise mention; when reports differ in modality
    (planned in one, realised in a later one) the line ends with the modality history in
    report order.
    """
    echo(f"== Story {story['story_id']}: {story['title']}  "
         f"({story['n_events']} event mentions, {story['n_docs']} documents, "
         f"{story['first_date']} → {story['last_date']})")
    groups: dict[str, list[dict]] = {}
    for e in events:
        groups.setdefault(e.get("event_cluster") or e["event_id"], []).append(e)
    lines = []
    for key, mentions in groups.items():
        rep = _representative(mentions)
        n_docs = len({e["doc_id"] for e in mentions})
        steps = modality_history(mentions)
        extra = (f"  reports: {history_text(steps)}" if steps else "") + (f"  [{n_docs} docs]" if n_docs > 1 else "")
        lines.append((str(rep.get("date") or "9999"), key, f"  {_when(rep)} {describe_event(rep)}{extra}"))
    for _, _, line in sorted(lines):
        echo(line)
    echo("")
