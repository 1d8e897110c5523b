"""The event coder's data files are read and validated in one place (storyline.events.lexicon)."""
from __future__ import annotations

import pytest

from storyline.events import lexicon as lx

WORDS_HEAD = "# version: test\nset\tword\tvalue\tsource\n"
TYPES_HEAD = "type\tcameo_root\tquad_class\tfamily\t" + "\t".join(lx.TYPE_FLAGS) + "\n"


@pytest.fixture
def data(monkeypatch):
    """Replace one data file's text for the duration of a test (caches cleared around it)."""
    real = lx._data
    files: dict[str, str] = {}

    def fake(name: str) -> str:
        return files[name] if name in files else real(name)

    monkeypatch.setattr(lx, "_data", fake)
    for fn in (lx._word_table, lx.plover_types):
        fn.cache_clear()
    yield files
    for fn in (lx._word_table, lx.plover_types):
        fn.cache_clear()


def _all_lists() -> str:
    """One valid row for every declared list."""
    rows = []
    for name, kind in lx.WORD_SETS.items():
        rows.append(f"{name}\tw\t{'1' if kind == 'map' else '-'}\thand-set")
    return "\n".join(rows) + "\n"


def test_shipped_files_load_and_every_list_is_used():
    assert len(lx.PLOVER_TYPES) == 16 and lx.CAMEO_ROOT["ASSAULT"] == "18"
    assert lx.SYMMETRIC_TYPES == {"CONSULT", "COOPERATE", "AGREE"}
    assert lx.FAMILY["AID"] == "COOPERATE"
    for name, kind in lx.WORD_SETS.items():
        got = {"set": lx.words, "list": lx.word_list, "map": lx.word_map}[kind](name)
        assert got, name
    assert lx.word_list("TARGET_PREPS")[:3] == ("against", "with", "between")  # an order of preference


def test_asking_for_an_unknown_list_or_the_wrong_kind_is_an_error():
    with pytest.raises(lx.LexiconError, match="no word list 'NOPE'"):
        lx.words("NOPE")
    with pytest.raises(lx.LexiconError, match="is a list, not a set"):
        lx.words("TARGET_PREPS")
    with pytest.raises(lx.LexiconError, match="no type property"):
        lx.types_where("aquatic")


@pytest.mark.parametrize("row, message", [
    ("NOPE\tword\t-\thand-set", "unknown list 'NOPE'"),
    ("MOTION\tgo", "2 tab-separated columns, expected 4"),
    ("MOTION\t \t-\thand-set", "an empty column"),
    ("MOTION\tGo\t-\thand-set", "lower case"),
    ("MOTION\tgo\t3\thand-set", "the value must be '-'"),
    ("NUMBER_WORDS\tone\t-\thand-set", "a value is needed"),
    ("MOTION\tw\t-\thand-set", "listed twice"),
])
def test_a_malformed_word_row_names_file_and_line(data, row, message):
    data["words.tsv"] = WORDS_HEAD + _all_lists() + row + "\n"
    with pytest.raises(lx.LexiconError, match=message) as err:
        lx.words("MOTION")
    assert "words.tsv line" in str(err.value)


def test_a_declared_list_without_rows_is_an_error(data):
    data["words.tsv"] = WORDS_HEAD + "MOTION\tgo\t-\thand-set\n"
    with pytest.raises(lx.LexiconError, match="no rows for"):
        lx.words("MOTION")


@pytest.mark.parametrize("row, message", [
    ("ASSAULT\t18\t4\tASSAULT\t" + "\t".join("0" * (len(lx.TYPE_FLAGS) - 1)), "columns, expected 14"),
    ("ASSAULT\t18\t4\tASSAULT\t" + "\t".join("2" * len(lx.TYPE_FLAGS)), "flags must be 0 or 1"),
    ("ASSAULT\t180\t4\tASSAULT\t" + "\t".join("0" * len(lx.TYPE_FLAGS)), "CAMEO root"),
    ("ASSAULT\t18\t4\tVIOLENCE\t" + "\t".join("0" * len(lx.TYPE_FLAGS)), "family 'VIOLENCE'"),
])
def test_a_malformed_type_row_is_an_error(data, row, message):
    data["types.tsv"] = TYPES_HEAD + row + "\n"
    with pytest.raises(lx.LexiconError, match=message):
        lx.plover_types()


def test_a_wrong_header_is_an_error(data):
    data["types.tsv"] = "type\tcameo\nASSAULT\t18\n"
    with pytest.raises(lx.LexiconError, match="types.tsv line 1: the header must be"):
        lx.plover_types()
