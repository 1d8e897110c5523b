"""Bring the corpus labels in line with the annotation guide, mechanically and uniformly.

    python scripts/fix_corpus_labels.py            # report what would change
    python scripts/fix_corpus_labels.py --write    # rewrite corpus/annotations and corpus/double

Why a script: a guide decision taken after annotation must reach every split the same way
(train, dev and test alike), by what the annotation says — the trigger word and the
evidence — and never by reading a model's errors. Each rule below cites the PLOVER manual
(`../shared/bench/events/PLOVER_MANUAL.pdf`) or docs/ANNOTATION.md. Running it twice changes
nothing the second time.

1. **Summoning an ambassador is ACCUSE, not CONSULT** (PLOVER manual 3.2.1 and 3.9.2:
   "summoning an in-country ambassador to present such grievances is just coded ACCUSE, not
   CONSULT"). An event whose trigger is a form of *summon* typed CONSULT becomes ACCUSE
   (mode ``null``, as the guide writes ACCUSE).
2. **A denial that something happened makes it `reported`**, not `negated` (guide,
   "modality"; PLOVER REJECT is a rejection or refusal, so the denial itself is no event):
   an event whose evidence has a form of *deny* before its trigger, the trigger not being
   the denial itself, with first modality ``negated`` gets ``reported``. A denied request
   or motion ("denied the motions") is a refusal and stays REJECT.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "corpus" / "annotations").glob("*.jsonl")) + sorted((ROOT / "corpus" / "double").glob("*.jsonl"))
SUMMON = re.compile(r"^summon(s|ed|ing)?\b", re.I)
DENY = re.compile(r"\b(deny|denies|denied|denying|denial)\b", re.I)


def summon_is_accuse(e: dict) -> str | None:
    """Rule 1; the change it made, or None."""
    if SUMMON.match((e.get("trigger") or "").strip()) and e.get("types", [None])[0] == "CONSULT":
        e["types"] = ["ACCUSE"] + [t for t in e["types"][1:] if t != "ACCUSE"]
        e["mode"] = None
        return "summon: CONSULT -> ACCUSE"
    return None


def denied_is_reported(e: dict) -> str | None:
    """Rule 2; the change it made, or None."""
    evidence, trigger = e.get("evidence") or "", e.get("trigger") or ""
    at = evidence.find(trigger) if trigger else -1
    if at <= 0 or DENY.search(trigger) or not DENY.search(evidence[:at]):
        return None
    modality = e.get("modality") or []
    if modality and modality[0] == "negated":
        e["modality"] = ["reported"] + [m for m in modality[1:] if m != "reported"]
        return "denied: negated -> reported"
    return None


RULES = (summon_is_accuse, denied_is_reported)


def fix_file(path: Path, write: bool) -> list[tuple[str, str, str]]:
    """(article key, trigger, change) of every label the rules change in one file."""
    changes, lines = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            lines.append(line)
            continue
        doc = json.loads(line)
        for e in doc.get("events", []):
            for rule in RULES:
                change = rule(e)
                if change:
                    changes.append((doc["key"], e.get("trigger") or "", change))
        lines.append(json.dumps(doc, ensure_ascii=False))
    if write and changes:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="rewrite the files (default: report only)")
    a = ap.parse_args()
    total = 0
    for path in FILES:
        for key, trigger, change in fix_file(path, a.write):
            print(f"{path.relative_to(ROOT)}\t{key}\t{trigger}\t{change}")
            total += 1
    print(f"{total} label(s) {'changed' if a.write else 'to change'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
