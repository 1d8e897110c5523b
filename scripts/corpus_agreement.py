"""Agreement between the two independent annotations of the agreement sample.

    python scripts/corpus_agreement.py [--bench ../shared/bench]

First annotation: corpus/annotations/*.jsonl; second: corpus/double/*.jsonl. Prints event F1,
typed event F1 and per-field agreement as JSON (the figures in docs/ANNOTATION.md).
"""
import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from storyline.evaluation.corpus import agreement, read_annotated, read_docs  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench"))
    a = ap.parse_args()
    docs = {d["key"]: d for d in read_docs(ROOT / "corpus" / "docs.jsonl")}
    first, second = (read_annotated(ROOT / "corpus" / name, docs) for name in ("annotations", "double"))
    print(json.dumps(agreement(first, second, docs, a.bench), indent=1))


if __name__ == "__main__":
    main()
