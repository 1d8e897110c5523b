#!/usr/bin/env python3
"""Rebuild the bundled MEANTIME examples (Wikinews, CC BY 4.0) in examples/news/.

Dev-only: reads ../shared/bench/coref/meantime; the output is committed so users do not
need that folder. Each article becomes `meantime_<id>.txt` with a `date YYYY-MM-DD`
header (its creation date), the title as the first paragraph and the body below.
"""
from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEANTIME = ROOT.parent / "shared" / "bench" / "coref" / "meantime" / "intra_cross-doc_annotation"
ARTICLES = [
    "corpus_airbus/100911_Northrop_Grumman_and_Airbus_parent_EADS_defeat_Boeing.xml",
    "corpus_airbus/108294_Government_Accountability_Office_requests_rerun_of_US_Air_Force_tanker_bid.xml",
    "corpus_airbus/102977_Airbus_parent_EADS_wins_13_billion_UK_RAF_airtanker_contract.xml",
    "corpus_gm/118147_US_automaker_bailout_deal_fails_to_pass_Senate.xml",
    "corpus_gm/118175_White_House_considering_auto_rescue_plan.xml",
    "corpus_gm/123881_GM_and_Chrysler_receive_Canadian_loans_amid_US_restructuring_ultimata.xml",
    "corpus_gm/127227_Barack_Obama_presents_rescue_plan_after_GM_declaration_of_bankruptcy.xml",
    "corpus_gm/39951_Australian_government_announces_52.5_million_financial_assistance_package_for_Ford.xml",
    "corpus_stock/113227_Russian_stock_markets_suspended_amid_market_turmoil.xml",
    "corpus_stock/113267_Russian_markets_to_remain_closed_until_Friday.xml",
]
NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "n't", "''", "'"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}


def detokenize(tokens: list[str]) -> str:
    out = ""
    for tok in tokens:
        if out and tok not in NO_SPACE_BEFORE and not tok.startswith("'") and out[-1] not in "([{$" and not out.endswith("``"):
            out += " "
        out += tok
    return out.replace("``", "\u201c").replace("''", "\u201d")


def convert(path: Path) -> tuple[str, str]:
    root = ET.parse(path).getroot()
    sents: dict[int, list[str]] = {}
    for tok in root.iter("token"):
        sents.setdefault(int(tok.get("sentence")), []).append(tok.text or "")
    dct = next(t.get("value") for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME")
    lines = [detokenize(sents[k]) for k in sorted(sents)]
    # sentence 0 is the headline, sentence 1 the date line; the rest is the body
    title, body = lines[0], [l for l in lines[2:] if l]
    text = f"date {dct[:10]} {title}\n\n" + "\n\n".join(body) + "\n"
    return root.get("doc_id"), re.sub(r" +", " ", text)


def main() -> int:
    out = ROOT / "examples" / "news"
    out.mkdir(parents=True, exist_ok=True)
    for rel in ARTICLES:
        doc_id, text = convert(MEANTIME / rel)
        (out / f"meantime_{doc_id}.txt").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
