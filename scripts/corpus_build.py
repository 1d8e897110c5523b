"""Validate the event corpus annotations, add offsets, write gold files per split.

    python scripts/corpus_build.py [--bench ../shared/bench] [--check FILE ...]

Without --check: reads corpus/docs.jsonl and corpus/annotations/*.jsonl and writes
build/corpus/{train,dev,test,all}.json (docs-dev gold format with inline text, for
../shared/tools/score_docs_prf.py) and prints counts.
With --check: validates the given annotation files only and lists every problem.
Exit 1 when any annotation is invalid.
"""
import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from storyline.evaluation.corpus import build_gold, read_annotations, read_docs, validate_doc  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench"))
    ap.add_argument("--check", nargs="*", help="annotation files to validate")
    ap.add_argument("--out", default=str(ROOT / "build" / "corpus"))
    a = ap.parse_args()
    docs = {d["key"]: d for d in read_docs(ROOT / "corpus" / "docs.jsonl")}
    files = [Path(f) for f in a.check] if a.check else sorted((ROOT / "corpus" / "annotations").glob("*.jsonl"))
    problems = 0
    annotated = {}
    for f in files:
        for line_no, row in read_annotations(f):
            errs = validate_doc(row, docs, a.bench)
            for e in errs:
                print(f"{f.name}:{line_no}: {row.get('key')}: {e}")
            problems += len(errs)
            annotated[row.get("key")] = row
    if a.check is not None and a.check:
        print(f"{len(annotated)} articles, {sum(len(r.get('events', [])) for r in annotated.values())} events, {problems} problems")
        return 1 if problems else 0
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    counts = Counter()
    for split in ("train", "dev", "test", "all"):
        gold = build_gold(docs, annotated, a.bench, None if split == "all" else split)
        (out / f"{split}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=0), encoding="utf-8")
        counts[split] = (len(gold["docs"]), len(gold["events"]))
    for k, v in counts.items():
        print(f"{k}: {v[0]} articles, {v[1]} events")
    print(f"{problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
