from storyline.dedup import Deduplicator, content_hash, signature

STORY = ("The foreign ministers of the two countries met in the capital on Monday and agreed to resume "
         "talks on a fisheries accord that collapsed last year, officials said. The talks will continue "
         "next month in the port city, where both delegations are expected to sign a memorandum.")


def test_content_hash_ignores_case_and_whitespace():
    assert content_hash("A  b\nC") == content_hash("a b c")
    assert content_hash("a b c") != content_hash("a b d")


def test_exact_and_near_duplicates_point_to_first_seen():
    d = Deduplicator()
    assert d.add("a", STORY) is None
    assert d.add("b", STORY.upper()) == "a"  # exact after normalisation
    reprint = STORY + " Reporting by a staff writer."
    assert d.add("c", reprint) == "a"
    assert d.add("d", "An unrelated report about a football match and the weather on the coast today.") is None


def test_same_id_is_stable_and_seed_restores_state():
    d = Deduplicator()
    d.add("a", STORY)
    assert d.add("a", STORY) is None
    fresh = Deduplicator()
    fresh.seed("a", content_hash(STORY), signature(STORY))
    assert fresh.add("b", STORY + " Editing by a desk editor.") == "a"


def test_forget_allows_a_replaced_document_to_be_canonical_again():
    d = Deduplicator()
    d.add("a", STORY)
    d.forget("a")
    assert d.add("b", STORY) is None
