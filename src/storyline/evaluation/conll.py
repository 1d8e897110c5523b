"""CoNLL coreference scores: MUC, B³, CEAF-e and their mean, as the reference CoNLL scorer
defines them (Pradhan et al. 2014), so that storyline's event clusters can be set beside the
published ECB+ figures.

A clustering is a mapping mention id → cluster id. Key and response may hold different
mentions (system mentions): a mention missing from one side counts as a singleton of its own
in MUC's partitions and adds nothing to the overlaps of B³ and CEAF-e, as in the reference
scorer. Singletons are kept (ECB+ is scored with them).
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..errors import CorpusError


def read_key(path: Path) -> dict[str, str]:
    """mention id → cluster id of a CoNLL key file of one-token lines (``… <mention> (<n>)``)."""
    out: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read the CoNLL key ({exc})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split()
        label = cols[-1].strip("()|")
        if len(cols) < 2 or not label.isdigit():
            raise CorpusError(f"{path}:{n}: not a one-mention CoNLL line: {line!r}")
        out[cols[-2]] = label
    return out


def _groups(clustering: dict[str, str]) -> list[set[str]]:
    by: dict[str, set[str]] = defaultdict(set)
    for m, c in clustering.items():
        by[c].add(m)
    return [by[c] for c in sorted(by)]


def _prf(p_num: float, p_den: float, r_num: float, r_den: float) -> dict:
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _muc_side(a: list[set[str]], b_of: dict[str, str]) -> tuple[int, int]:
    """Σ(|k| − |partitions of k by the other side|) and Σ(|k| − 1) over the clusters ``a``."""
    num = den = 0
    for k in a:
        parts = {b_of[m] for m in k if m in b_of}
        parts_n = len(parts) + sum(1 for m in k if m not in b_of)
        num += len(k) - parts_n
        den += len(k) - 1
    return num, den


def muc(key: dict[str, str], response: dict[str, str]) -> dict:
    """Links kept: recall over the key's links, precision over the response's (Vilain et al. 1995)."""
    r_num, r_den = _muc_side(_groups(key), response)
    p_num, p_den = _muc_side(_groups(response), key)
    return _prf(p_num, p_den, r_num, r_den)


def _b3_side(a: list[set[str]], b: list[set[str]]) -> tuple[float, int]:
    of = {m: i for i, g in enumerate(b) for m in g}
    num = 0.0
    for k in a:
        overlap: dict[int, int] = defaultdict(int)
        for m in k:
            if m in of:
                overlap[of[m]] += 1
        num += sum(n * n for n in overlap.values()) / len(k)
    return num, sum(len(k) for k in a)


def bcubed(key: dict[str, str], response: dict[str, str]) -> dict:
    """Per-mention precision and recall of its cluster, averaged over the mentions (Bagga and Baldwin 1998)."""
    k, r = _groups(key), _groups(response)
    r_num, r_den = _b3_side(k, r)
    p_num, p_den = _b3_side(r, k)
    return _prf(p_num, p_den, r_num, r_den)


def ceafe(key: dict[str, str], response: dict[str, str]) -> dict:
    """Entity-level CEAF with φ4 = 2|K∩R| / (|K|+|R|) under the best one-to-one alignment (Luo 2005).

    The alignment is solved per connected component of overlapping clusters (most clusters
    overlap one or two others), so the assignment problems stay small."""
    from scipy.optimize import linear_sum_assignment

    k, r = _groups(key), _groups(response)
    r_of = {m: i for i, g in enumerate(r) for m in g}
    edges: dict[int, set[int]] = defaultdict(set)  # key cluster → overlapping response clusters
    for i, g in enumerate(k):
        edges[i] = {r_of[m] for m in g if m in r_of}
    # connected components over key (i) and response (~j) nodes
    seen_k: set[int] = set()
    back: dict[int, set[int]] = defaultdict(set)
    for i, js in edges.items():
        for j in js:
            back[j].add(i)
    total = 0.0
    for start in range(len(k)):
        if start in seen_k or not edges[start]:
            continue
        comp_k, comp_r, todo = {start}, set(), [start]
        seen_k.add(start)
        while todo:
            i = todo.pop()
            for j in edges[i]:
                if j not in comp_r:
                    comp_r.add(j)
                    for i2 in back[j]:
                        if i2 not in seen_k:
                            seen_k.add(i2)
                            comp_k.add(i2)
                            todo.append(i2)
        ks, rs = sorted(comp_k), sorted(comp_r)
        sim = [[2 * len(k[i] & r[j]) / (len(k[i]) + len(r[j])) for j in rs] for i in ks]
        rows, cols = linear_sum_assignment(sim, maximize=True)
        total += sum(sim[a][b] for a, b in zip(rows, cols))
    return _prf(total, len(r), total, len(k))


def conll(key: dict[str, str], response: dict[str, str]) -> dict:
    """MUC, B³ and CEAF-e (precision, recall, F1, rounded) and CoNLL F1, their mean F1."""
    scores = {"muc": muc(key, response), "bcubed": bcubed(key, response), "ceafe": ceafe(key, response)}
    out = {name: {m: round(v, 4) for m, v in s.items()} for name, s in scores.items()}
    out["conll_f1"] = round(sum(s["f1"] for s in scores.values()) / 3, 4)
    out["mentions_key"], out["mentions_response"] = len(key), len(response)
    return out
