"""Broaden the trigger lexicon from the PETRARCH2 CAMEO verb dictionary (a general resource).

    python scripts/build_triggers_petrarch.py ../shared/bench > src/storyline/data/events/triggers_petrarch.tsv

and add "triggers_petrarch.tsv" to ``storyline.events.lexicon.TRIGGER_FILES``. Not shipped: on
the corpus (grouped 5-fold CV over train + dev) the event model scored lower with these rows
than without them (docs/EVENTS.md, "Lexicon broadening").

Each verb block of ``CAMEO.2.0.txt`` (Open Event Data Alliance, MIT) lists a head verb, its
synonyms and patterns with CAMEO codes. A verb becomes a candidate trigger here when the
codes of its block agree on one PLOVER type through ``CAMEO2PLOVER-2021.txt``: the block's
default code when it has one, otherwise the type of a clear majority (>= 60 %, >= 2
patterns) of its patterns. The rows are weak (weight 0.35-0.45): they add recall to the
rule layer, and the trained event model decides whether a candidate is an event. Rows of
the hand-written ``triggers.tsv`` come first and win.
"""
import re
import sys
from collections import Counter
from pathlib import Path

BLOCK = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---")
CODE = re.compile(r"\[([0-9]{2,4})[^\]]*\]")
SKIP_ROOTS = {"01", "02"}  # public statements and appeals: dropped by PLOVER


def plover_table(path: Path) -> dict[str, tuple[str, str | None]]:
    table = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)\s*,\s*([a-z_-]*)", line)
        if m:
            table[m[1]] = (m[2], m[3] or None)
    return table


def plover_of(code: str, table: dict) -> tuple[str, str | None] | None:
    for k in (code, code[:3], code[:2]):
        if k in table:
            typ, mode = table[k]
            return (typ, mode if k == code else None)
    return None


def blocks(path: Path):
    head, default, words, codes = None, None, [], []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        m = BLOCK.match(line)
        if m:
            if head:
                yield head, default, words, codes
            head, default, words, codes = m[1], m[2].strip(), [], []
            continue
        if head is None or not line.strip() or line.startswith("#"):
            continue
        if line.startswith("-"):
            c = CODE.search(line)
            if c:
                codes.append(c[1])
        elif re.match(r"^[A-Z]", line):
            words.append(line.split("#")[0].split("{")[0].strip())
    if head:
        yield head, default, words, codes


def main(bench: Path) -> None:
    table = plover_table(bench / "events/CAMEO2PLOVER-2021.txt")
    verbs = bench / "events/petrarch2/petrarch2/data/dictionaries/CAMEO.2.0.txt"
    print("# PETRARCH2 CAMEO verb dictionary (CAMEO.2.0.txt, Open Event Data Alliance, MIT) mapped through")
    print("# CAMEO2PLOVER-2021.txt; built by scripts/build_triggers_petrarch.py. Weak rows: the event model decides.")
    print("# columns as triggers.tsv: pos lemma cond type mode cameo weight")
    seen = set()
    for head, default, words, codes in blocks(verbs):
        choice = None
        if default and default != "---" and default[:2] not in SKIP_ROOTS:
            got = plover_of(default.split(":")[0], table)
            if got:
                choice, weight, cameo = got, 0.45, default[:2]
        if choice is None:
            types = Counter()
            for c in codes:
                if c[:2] in SKIP_ROOTS:
                    continue
                got = plover_of(c, table)
                if got:
                    types[(got[0], c[:2])] += 1
            if types:
                (typ, root), n = types.most_common(1)[0]
                if n >= 2 and n / sum(types.values()) >= 0.6:
                    choice, weight, cameo = (typ, None), 0.35, root
        if choice is None or choice[0] not in {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID",
                                               "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST",
                                               "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}:
            continue
        for w in [head] + words:
            lemma = w.strip().lower().replace("_", " ")
            if not lemma or " " in lemma or not lemma.isalpha() or lemma in seen:
                continue
            seen.add(lemma)
            print(f"V\t{lemma}\t-\t{choice[0]}\t{choice[1] or '-'}\t{cameo}\t{weight}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/bench"))
