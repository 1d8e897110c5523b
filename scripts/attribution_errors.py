"""Where attribution (who says, claims, plans or denies an event) goes wrong, by kind.

    python scripts/attribution_errors.py --split dev [--show KIND]

Train or dev of the event corpus, never test. Reads the cached parses of
``train_events.py`` and asks the speaker finder (``events.modality.attribution_token``)
for the speaker of every gold trigger, so a missed event does not hide a speaker error
(``storyline eval modality`` scores the emitted events; this scores the finder). The
speaker found is compared with the gold speaker as the scorer does
(``evaluation.modality.same_speaker``); each error is sorted into one kind:

- ``none: according to`` / ``none: quote`` / ``none: passive quoted`` / ``none: other
  sentence`` / ``none: in sentence``: the gold names a speaker, the finder none; the kind
  says where the gold speaker stands (an "according to" phrase, inside or around a
  quotation, "was quoted as saying", another sentence, elsewhere in the sentence);
- ``wrong: nested``: another speaker of the same sentence (a reporter against the quoted
  source, "X said Y claimed");
- ``wrong: other``: any other mention;
- ``invented``: a non-asserted gold event with no speaker got one (the guide asks for the
  speaker of claims, plans and denials only, so asserted events are not counted).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_events import load_gold, parse  # noqa: E402

from storyline.evaluation.modality import content_words, same_speaker  # noqa: E402
from storyline.events.modality import attribution_token, key, reporting_speakers, speaker_phrase  # noqa: E402


def phrase(tok) -> str:
    return speaker_phrase(tok).text


def _asserted(g: dict) -> bool:
    return (g.get("modality") or ["asserted"])[0] == "asserted"


def kind_of(g: dict, tok, who) -> str | None:
    """The kind of attribution error of gold event ``g`` whose trigger is ``tok``, or None."""
    gold = g.get("attribution")
    found = phrase(who) if who is not None else None
    if not gold:
        return "invented" if found and not _asserted(g) else None
    if found and same_speaker(None, found, gold):
        return None
    sent = tok.sent
    words = content_words(gold)
    if found:
        nested = [s for s in reporting_speakers(sent) if content_words(phrase(s)) & words]
        return "wrong: nested" if nested else "wrong: other"
    text = sent.text.lower()
    if not words & content_words(sent.text):
        return "none: other sentence"
    if "according to" in text:
        return "none: according to"
    if "quoted" in text:
        return "none: passive quoted"
    if any(q in sent.text for q in ('"', "\u201c", "\u201d", "``", "''")):
        return "none: quote"
    return "none: in sentence"


def emitted_kind(g: dict, e: dict, doc) -> str | None:
    """The kind of attribution error of the emitted event ``e`` paired with gold event ``g``
    (as ``storyline eval modality`` scores it), or None when it is right or not scored."""
    ex = e.get("explain") or {}
    pred, text = e.get("attribution"), ex.get("attribution_text")
    if not g.get("attribution"):
        return "invented" if pred and not _asserted(g) else None
    if same_speaker(pred, text, g["attribution"]):
        return None
    cs = doc.char_span(ex.get("trigger_start", 0), ex.get("trigger_end", 0), alignment_mode="expand")
    tok = cs.root if cs is not None and len(cs) else None
    if tok is None:
        return "emitted: no trigger"
    if not pred:
        who = attribution_token(tok)
        if who is not None and same_speaker(None, phrase(who), g["attribution"]):
            return f"dropped as own source ({e.get('modality')})"
    k = kind_of(g, tok, attribution_token(tok))
    if k is None and pred:
        return "resolved to another name"
    return f"{k or 'right mention, not kept'} (emitted)"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev", choices=("train", "dev", "both"))
    ap.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench"))
    ap.add_argument("--cache", default=str(ROOT / "build" / "corpus"))
    ap.add_argument("--show", default=None, help="print the cases of this kind (prefix; 'all': every error)")
    a = ap.parse_args()
    from dataclasses import asdict

    from storyline.evaluation.modality import _attribution, pair
    from storyline.events import extract_events

    gold = load_gold(a.bench)
    pool = {"about": "train + dev", "docs": {**gold["train"]["docs"], **gold["dev"]["docs"]},
            "events": gold["train"]["events"] + gold["dev"]["events"]}
    splits = ("train", "dev") if a.split == "both" else (a.split,)
    keys = {k for s in splits for k in gold[s]["docs"]}
    parsed = {k: (doc, r) for k, doc, r in parse(pool, Path(a.cache)) if k in keys}
    emitted = {k: [asdict(e) for e in extract_events(doc, k, r.published, r.timexes, r.places, list(r.actors))]
               for k, (doc, r) in parsed.items()}
    golds = [g for g in pool["events"] if g["doc"] in parsed]
    show = (lambda k: True) if a.show == "all" else (lambda k: bool(a.show) and k.startswith(a.show))  # noqa: E731
    shown = []
    # 1. the emitted events, as the scorer pairs them
    rows = [(g, e) for g in golds if (e := pair(emitted[g["doc"]], g)) is not None]
    for name, rs in (("all", rows), ("non-asserted", [(g, e) for g, e in rows if not _asserted(g)])):
        m = _attribution(rs)
        print(f"emitted, {name} gold: accuracy {m['accuracy']:.3f} ({m['right']}/{m['attributed']}), invented "
              f"{m['invented']:.3f} ({m['invented_n']}/{m['unattributed']})")
    kinds: Counter = Counter()
    for g, e in rows:
        k = emitted_kind(g, e, parsed[g["doc"]][0])
        if k is not None:
            kinds[k] += 1
            if show(k):
                shown.append((k, g["modality"][0], e.get("modality"), e.get("trigger"), g.get("attribution"),
                              e.get("attribution"), e["sentence"].replace("\n", " ")[:240]))
    for k, v in kinds.most_common():
        print(f"  {k:40} {v}")
    # 2. the speaker finder on every gold trigger
    kinds = Counter()
    n: Counter = Counter()
    for g in golds:
        doc = parsed[g["doc"]][0]
        span = g.get("trigger_span")
        cs = doc.char_span(span[0], span[1], alignment_mode="expand") if span else None
        if cs is None or not len(cs):
            continue
        tok = cs.root
        who = attribution_token(tok)
        if g.get("attribution"):
            n["attributed"] += 1
        elif not _asserted(g):
            n["unattributed_non_asserted"] += 1
        k = kind_of(g, tok, who)
        if k is None:
            continue
        kinds[k] += 1
        if show(k):
            shown.append((k, g["modality"][0], tok.text, key(tok), g.get("attribution"),
                          phrase(who) if who is not None else None, tok.sent.text.replace("\n", " ")[:240]))
    wrong = sum(v for k, v in kinds.items() if k.startswith(("wrong", "none")))
    print(f"finder on gold triggers: right {(n['attributed'] - wrong) / max(1, n['attributed']):.3f} "
          f"({n['attributed'] - wrong}/{n['attributed']}); invented "
          f"{kinds['invented'] / max(1, n['unattributed_non_asserted']):.3f} "
          f"({kinds['invented']}/{n['unattributed_non_asserted']} non-asserted unattributed, before the "
          f"own-source step)")
    for k, v in kinds.most_common():
        print(f"  {k:40} {v}")
    for row in shown:
        print(" | ".join(str(x) for x in row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
