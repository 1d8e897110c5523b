from storyline.dedup import THRESHOLD, Deduplicator, body, signature, sketch
from storyline.identity import content_hash

STORY = ("The foreign ministers of the two countries met in the capital on Monday and agreed to resume "
         "talks on a fisheries accord that collapsed last year, officials said. The talks will continue "
         "next month in the port city, where both delegations are expected to sign a memorandum.")

# a made-up wire story of about 80 words, with headline, dateline and sign-off
WIRE = ("Harbour workers end strike after pay deal\n\n"
        "PORTVILLE, March 3 (Tidewire) - Dock workers in the northern port ended a nine-day strike on Tuesday "
        "after the port authority agreed to raise night-shift pay by twelve percent and to hire forty more "
        "crane operators before the summer season, a union spokeswoman said. Ships that had waited at anchor "
        "for a week began to unload on Tuesday evening, and the authority said the backlog of containers "
        "should be cleared within ten days. The union had walked out over staffing after two accidents at "
        "the container terminal in January.\n\n"
        "(Reporting by A. Writer; Editing by B. Desk)")


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
    sig, n = signature(STORY)
    fresh.seed("a", content_hash(STORY), sig, None, n)
    assert fresh.add("b", STORY + " Editing by a desk editor.") == "a"


def test_forget_allows_a_replaced_document_to_be_canonical_again():
    d = Deduplicator()
    d.add("a", STORY)
    d.forget("a")
    assert d.add("b", STORY) is None


def test_body_drops_headline_dateline_and_sign_off():
    b = body(WIRE, "Harbour workers end strike after pay deal")
    assert b.startswith("Dock workers in the northern port") and b.endswith("in January.")


def test_reprint_with_a_new_headline_and_two_words_changed_is_a_duplicate():
    """Issue 10: the whole texts compare at about 0.76, under the 0.8 threshold."""
    reprint = (WIRE.replace("Harbour workers end strike after pay deal", "Port strike over as night pay rises")
               .replace("nine-day strike", "nine-day walkout").replace("forty more", "forty new"))
    whole = sketch(WIRE.replace("\n\n", " "))[0].jaccard(sketch(reprint.replace("\n\n", " "))[0])
    assert whole < THRESHOLD  # what the old comparison saw
    d = Deduplicator()
    assert d.add("first", WIRE, "Harbour workers end strike after pay deal") is None
    assert d.add("second", reprint, "Port strike over as night pay rises") == "first"


def test_a_longer_story_is_not_a_duplicate_of_a_short_one_it_contains():
    """Containment is of the new document in the earlier one: a brief must not swallow the full story."""
    brief = WIRE.split("\n\n")[1].split(". Ships")[0] + "."
    d = Deduplicator()
    assert d.add("brief", brief) is None
    assert d.add("full", WIRE) is None
    d = Deduplicator()
    assert d.add("full", WIRE) is None
    assert d.add("unrelated", "Farmers in the valley planted rice early this year because the rains came "
                              "in February, the agriculture office said on Monday.") is None
