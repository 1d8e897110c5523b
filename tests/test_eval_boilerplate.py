"""eval boilerplate: both benchmark layouts, on a tiny fixture and a slice of the real corpus."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from storyline.evaluation import boilerplate
from storyline.evaluation.boilerplate import count_snippets, doc_averaged, match_counts, snippet_scores

FIX = Path(__file__).parent / "fixtures" / "read"
BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench" / "boilerplate" / "trafilatura-eval"


def test_snippet_counts_and_scores():
    item = {"with": ["keep this", "and  this"], "without": ["drop me", "menu"]}
    assert count_snippets(item, "keep this\nand this text with a menu") == (2, 1, 0, 1)
    assert count_snippets(item, None) == (0, 0, 2, 2)
    s = snippet_scores(2, 1, 0, 1)
    assert s["precision"] == round(2 / 3, 4) and s["recall"] == 1.0
    assert s["accuracy"] == 0.75 and s["f1"] == 0.8


def test_token_matching_is_normalised_per_document():
    tp, fp, fn = match_counts("a b c d", "a b c x y", 1)
    assert (tp, fp, fn) == pytest.approx((3 / 6, 2 / 6, 1 / 6))
    m = doc_averaged([(tp, fp, fn), (1.0, 0.0, 0.0)])
    assert m["precision"] == round((0.6 + 1) / 2, 4) and m["recall"] == round((0.75 + 1) / 2, 4)


def test_article_extraction_benchmark_layout_fixture():
    res = boilerplate.run([str(FIX / "aeb")])
    assert res["layout"] == "article-extraction-benchmark" and res["pages"] == 2
    sl, tf = res["storyline"], res["trafilatura"]
    for block in (sl, tf):
        assert {"precision", "recall", "f1", "shingle_f1", "pages_per_s"} <= block.keys()
    assert sl["recall"] > 0.95 and sl["precision"] >= tf["precision"]
    json.dumps(res)


def test_evaldata_layout_tiny_copy(tmp_path):
    """Layout 1 on a corpus made here: evaldata.json + eval/ (gzipped page)."""
    (tmp_path / "eval").mkdir()
    shutil.copy(FIX / "good" / "page2.html.gz", tmp_path / "eval" / "p.html.gz")
    (tmp_path / "evaldata.json").write_text(json.dumps({"https://x.example/p": {
        "file": "p.html",
        "with": ["Analysts said the agreement", "resume regular security talks"],
        "without": ["Most read", "All rights reserved", "Spread the love"],
    }}))
    res = boilerplate.run([str(tmp_path)])
    assert res["layout"] == "trafilatura-evaldata" and res["pages"] == 1
    assert res["storyline"]["tp"] == 2 and res["storyline"]["fp"] == 0
    assert res["storyline"]["f1"] >= res["trafilatura"]["f1"]


@pytest.mark.skipif(not (BENCH / "evaldata.json").exists(), reason=f"benchmark not present at {BENCH}")
def test_trafilatura_corpus_slice():
    res = boilerplate.run([str(BENCH)], limit=25)
    assert res["pages"] == 25 and res["missing_files"] == 0
    assert res["storyline"]["f1"] >= 0.85
    assert res["storyline"]["f1"] >= res["trafilatura"]["f1"] - 0.02
    assert res["storyline"]["pages_per_s"] > 0


def test_no_benchmark_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="evaldata.json"):
        boilerplate.run([str(tmp_path)])


def test_article_extraction_layout_plain_html_and_missing_page(tmp_path):
    """ground-truth.json + html/ with an uncompressed page and an entry whose page is absent."""
    (tmp_path / "html").mkdir()
    body = ("Officials in Lima said on Monday that talks with the miners' union would resume next week. "
            "The strike has closed three mines since January, the ministry said.")
    page = (f"<html><head><title>Talks | Example News</title></head><body><nav><a href='/'>Home</a>"
            f"<a href='/w'>World</a></nav><article><h1>Talks</h1><p>{body}</p><p>Share this article</p>"
            f"</article><footer>© 2026 Example News</footer></body></html>")
    (tmp_path / "html" / "p1.html").write_text(page)
    (tmp_path / "ground-truth.json").write_text(json.dumps({
        "p1": {"articleBody": body, "url": "https://x.example/p1"},
        "p2": {"articleBody": "absent page", "url": "https://x.example/p2"},
    }))
    res = boilerplate.run([str(tmp_path)])
    assert res["layout"] == "article-extraction-benchmark"
    assert res["pages"] == 1 and res["missing_files"] == 1
    assert res["storyline"]["recall"] == 1.0 and res["storyline"]["precision"] == 1.0


def test_dev_test_split_is_by_page_id_parity():
    # parity of SHA-1 of the page id: a fixed, reproducible half for anyone with the corpus
    assert boilerplate.page_split("a2") == "dev" and boilerplate.page_split("a1") == "test"
    ids = [f"page{i}" for i in range(200)]
    dev = [i for i in ids if boilerplate.page_split(i) == "dev"]
    assert 70 < len(dev) < 130 and dev == [i for i in ids if boilerplate.in_split(i, "dev")]
    assert all(boilerplate.in_split(i, "all") and boilerplate.in_split(i, None) for i in ids)


def test_split_option_on_both_layouts(tmp_path):
    dev = boilerplate.run([str(FIX / "aeb")], split="dev")
    test = boilerplate.run([str(FIX / "aeb")], split="test")
    assert (dev["pages"], test["pages"], dev["split"], test["split"]) == (1, 1, "dev", "test")
    assert boilerplate.run([str(FIX / "aeb")], split="all")["pages"] == 2
    with pytest.raises(ValueError, match="split"):
        boilerplate.run([str(FIX / "aeb")], split="train")
    res = boilerplate.run([str(FIX / "aeb")], split="dev", details=True)
    assert [row["id"] for row in res["per_page"]] == ["a2"] and "f1" in res["per_page"][0]["storyline"]


def test_cli_split_option():
    from click.testing import CliRunner

    from storyline.cli import cli

    out = CliRunner().invoke(cli, ["eval", "boilerplate", str(FIX / "aeb"), "--split", "test"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output.strip().splitlines()[-1])["pages"] == 1
    bad = CliRunner().invoke(cli, ["eval", "timex", str(FIX / "aeb"), "--split", "dev"])
    assert bad.exit_code != 0 and "`eval corpus` only" in bad.output
