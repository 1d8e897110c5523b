"""Choose the articles of the storyline event corpus (run once; the result is corpus/docs.jsonl).

Candidates: TimeBank/AQUAINT, GeoWebNews, ECB+ topics 1-35, MEANTIME and the NGEC synthetic
stories. An article qualifies by length (60-900 words) and by the share of its words that are
general political vocabulary (a fixed word list below, not fitted to any annotation); the
most political articles of each source are taken up to a quota, ECB+ at most 3 per topic
(its topics are clusters of reprints). The 15 docs-dev articles are left out (they have their
own gold). The split is frozen by SHA-1 of the article's group (see ``corpus.split_for``).

    python scripts/corpus_select.py ../shared/bench > corpus/docs.jsonl
"""
import hashlib
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from storyline.evaluation.corpus import _ngec, group_of, key_for, load_text, split_for  # noqa: E402

POLITICAL = set("""minister ministers president government governments army military troops police
protest protesters protests talks summit meeting visit visited sanctions sanction attack attacked
attacks killed kill bombing bomb rebels rebel militants officials official parliament election
elections opposition party court sentenced arrested arrest detained accused accuse condemned
demanded urged agreed agreement treaty deal signed negotiations diplomats embassy ambassador
war forces soldiers strike strikes clashes missile missiles nuclear threatened warned vowed
rejected refused denied ceasefire withdrawal withdraw aid assistance security defense defence
foreign united nations nato eu secretary prime state spokesman spokeswoman leader leaders
president's ministry authorities regime coalition hostages hostage seized raid invasion
occupation peace cooperation cooperate support supported backing talks envoy delegation""".split())
DOCS_DEV = {"gwn:1", "gwn:20", "gwn:128", "gwn:174", "gwn:201", "gwn:209", "gwn:235", "gwn:193", "gwn:297",
            "gwn:291", "gwn:257", "ecb:8_8ecbplus.xml", "ecb:19_1ecb.xml", "ecb:12_1ecbplus.xml", "ecb:12_9ecb.xml"}
QUOTA = {"tbaq": 90, "gwn": 105, "ecb": 65, "meantime": 12, "ngec": 38}  # first pass: 70, 85, 55
WORD = re.compile(r"[a-z']+")


def candidates(bench: Path):
    for sub in ("TimeBank", "AQUAINT"):
        for f in sorted((bench / "temporal/TBAQ-cleaned" / sub).glob("*.tml")):
            yield f"tbaq:{sub}/{f.name}"
    import xml.etree.ElementTree as ET
    for a in ET.parse(bench / "geo/gritta/GWN.xml").getroot().iter("article"):
        yield f"gwn:{a.get('file')}"
    for topic in range(1, 36):
        for f in sorted((bench / "coref/ecbplus/ECB+" / str(topic)).glob("*.xml")):
            yield f"ecb:{f.name}"
    for f in sorted((bench / "coref/meantime/intra_cross-doc_annotation").glob("*/*.xml")):
        yield f"meantime:{f.parent.name}/{f.name}"
    for h in sorted(_ngec(str(bench))):
        yield f"ngec:{h}"


def main(bench: Path) -> None:
    scored = defaultdict(list)
    for cid in candidates(bench):
        if cid in DOCS_DEV:
            continue
        text, published = load_text(cid, bench)
        words = WORD.findall(text.lower())
        if not 60 <= len(words) <= 900:
            continue
        density = sum(w in POLITICAL for w in words) / len(words)
        tie = hashlib.sha1(cid.encode()).hexdigest()
        scored[cid.split(":")[0]].append((-density, tie, cid, published))
    per_topic = defaultdict(int)
    for kind, rows in scored.items():
        rows.sort()
        if kind == "ngec":  # synthetic stories are all political: a deterministic sample
            rows.sort(key=lambda r: hashlib.sha256(("sample:" + r[2]).encode()).hexdigest())
        taken = 0
        for _, _, cid, published in rows:
            if taken >= QUOTA[kind]:
                break
            if kind == "ecb":
                group = group_of(cid)
                if per_topic[group] >= 3:
                    continue
                per_topic[group] += 1
            taken += 1
            print(json.dumps({"key": key_for(cid), "corpus_id": cid, "split": split_for(group_of(cid)),
                              "given_published": published.isoformat() if published else None}))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/bench"))
