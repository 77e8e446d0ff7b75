"""Wire copies: reprints of one agency story are grouped; rewrites of the same facts are not."""
import pytest

from sitrep.link.wire import WireDoc, agency_credits, copy_pairs, wire_groups

STORY = (
    "A motorcycle bomber killed at least 16 people and wounded 40 on Tuesday in a suicide "
    "attack on a Kurdish-populated district of the northeastern Syrian city of Hasakeh, an "
    "official said. A Kurdish police source confirmed the death toll to an AFP correspondent "
    "and said the assailant blew himself up in front of a bakery. \"A suicide bomber on a "
    "motorcycle blew himself up in the Salihiah neighbourhood of Hasakeh city,\" said Rami "
    "Abdel Rahman, head of the Syrian Observatory for Human Rights, adding that 15 of the "
    "wounded were in critical condition. The attack came on the eve of the feast marking the "
    "end of Ramadan, when the bakery was crowded with families buying bread and sweets.")

ORIGINAL = "Motorbike bomber kills 16 outside bakery in Syria's Hasakeh AFP Tuesday 5 Jul 2016 " + STORY

# another outlet: its own headline, the credit in brackets, a sentence cut, its own ending
REPRINT = (
    "Suicide attack on bakery leaves 16 dead in northeast Syria (AFP) "
    + STORY.replace(" The attack came on the eve of the feast marking the end of Ramadan, when "
                    "the bakery was crowded with families buying bread and sweets.", "")
    + " Hasakeh city is the capital of the province of the same name.")

# the same facts told in other words: not a copy
REWRITE = (
    "Sixteen civilians died outside a bakery in Hasakeh on Tuesday when an attacker riding a "
    "motorcycle detonated explosives, according to local Kurdish police. Forty more were hurt, "
    "fifteen of them critically, the Britain-based monitoring group reported. Shoppers had "
    "queued for bread ahead of the Eid holiday in the Salihiah district, a mainly Kurdish area "
    "of the city. No group immediately claimed responsibility for the bombing.")

OTHER_STORY = (
    "Government air strikes on the rebel-held town of Ariha in Idlib province killed at least "
    "27 people on Monday when a warplane crashed into a crowded market during a bombing run, "
    "activists said. The Local Coordination Committees said the plane came down in the town "
    "centre, destroying several homes, and that it was not clear whether it had been shot "
    "down. Rescue workers searched the rubble for survivors well into the night.")


def doc(key, text, outlet="x", published="2016-07-05", title=None):
    return WireDoc(key, text, title, outlet, published)


def test_a_reprint_with_another_headline_and_credit_is_a_copy():
    assert wire_groups([doc(1, ORIGINAL, "ahram"), doc(2, REPRINT, "dailysabah")]) == [[1, 2]]


def test_a_rewrite_of_the_same_facts_is_not_a_copy():
    assert wire_groups([doc(1, ORIGINAL, "ahram"), doc(2, REWRITE, "alaraby")]) == []


def test_different_stories_are_not_copies():
    assert wire_groups([doc(1, ORIGINAL, "ahram"), doc(2, OTHER_STORY, "ahram")]) == []


def test_copies_must_be_published_close_together():
    assert wire_groups([doc(1, ORIGINAL, "a", "2016-07-05"), doc(2, REPRINT, "b", "2016-07-20")]) == []
    assert wire_groups([doc(1, ORIGINAL, "a", "2016-07-05"), doc(2, REPRINT, "b", None)]) == [[1, 2]]


def _half_copy():
    # the head of the story, then the outlet's own reporting: about a third is shared
    half = STORY[: len(STORY) * 2 // 5]
    return half + " " + REWRITE + " " + OTHER_STORY.replace("Ariha", "Maarat")


def test_a_shared_credit_lowers_the_bar_across_outlets_only():
    partial = "Syria bakery bombing AFP Tuesday 5 Jul 2016 " + _half_copy()
    (a, b, contain, shared), = copy_pairs([doc(1, ORIGINAL), doc(2, partial)])
    assert 0.3 <= contain < 0.5
    assert wire_groups([doc(1, ORIGINAL, "ahram"), doc(2, partial, "alaraby")]) == [[1, 2]]
    # within one outlet, two dispatches of one agency share its paragraphs: no lower bar
    assert wire_groups([doc(1, ORIGINAL, "ahram"), doc(2, partial, "ahram")]) == []
    # without the credit, a third is not enough
    uncredited = _half_copy().replace("AFP", "the")
    assert wire_groups([doc(1, ORIGINAL.replace("AFP", "the"), "ahram"), doc(2, uncredited, "alaraby")]) == []


def test_an_outlets_boilerplate_is_not_evidence():
    boiler = (" More than 280,000 people have been killed and millions displaced since the "
              "conflict erupted in March 2011 with the brutal repression of anti-government "
              "protests, and the war has drawn in regional and world powers ever since then.")
    stories = [ORIGINAL, OTHER_STORY, REWRITE]
    days = ["2016-07-05", "2016-07-20", "2016-08-10"]
    docs = [doc(k + 1, s + boiler * 3, "trt", d) for k, (s, d) in enumerate(zip(stories, days))]
    assert wire_groups(docs) == []


def test_a_roundup_quoting_two_stories_does_not_join_them():
    roundup = ORIGINAL + " In other news, " + OTHER_STORY
    groups = wire_groups([doc(1, ORIGINAL, "a"), doc(2, OTHER_STORY, "b"), doc(3, roundup, "c")])
    assert [1, 2] not in groups and not any({1, 2} <= set(g) for g in groups)
    assert any({1, 3} <= set(g) for g in groups) or any({2, 3} <= set(g) for g in groups)


@pytest.mark.parametrize("text, expected", [
    ("Strike kills 5 AFP Tuesday 3 Oct 2017 A US-led strike killed five people", {"AFP"}),
    ("(Reuters Photo) A warplane crashed into the market on Monday", set()),
    ("The attack was confirmed to an AFP correspondent by police.", {"AFP"}),
    ("\"We lost everything,\" a resident told Reuters by telephone.", {"Reuters"}),
    ("Rebels fired rockets at the city. (TRT World and Agencies)", {"Agencies"}),
    # a bare name in the body is no credit (only at the head or the foot)
    (OTHER_STORY + " The Associated Press could not verify the footage. " + REWRITE, set()),
    ("The footage could not be verified, the Associated Press reported.", {"AP"}),
    ("Several people were killed in the town, officials said.", set()),
])
def test_agency_credits(text, expected):
    assert agency_credits(text) == expected


def _credits_without_prefilter(text, title=None):
    """agency_credits as it reads with every agency's patterns tried on every text."""
    from sitrep.link.wire import HEAD_CHARS, TAIL_CHARS, _PATTERNS
    body = text[len(title):] if title and text.startswith(title) else text
    head, tail = body[:HEAD_CHARS], body[-TAIL_CHARS:]
    return {name for name, _, bare, attributed in _PATTERNS
            if bare.search(head) or bare.search(tail) or attributed.search(body)}


def test_the_agency_prefilter_changes_no_credit():
    """Skipping the agencies whose name a text never holds finds the same credits, on the
    FA-KES dev articles where present and on texts that name agencies in every way."""
    import csv
    from pathlib import Path
    texts = [ORIGINAL, REPRINT, REWRITE, OTHER_STORY, "Agence France-Presse said", "(dpa)",
             "told the Associated Press", "Anadolu Agency reported", "agencies said",
             "a Tass correspondent", "(Reuters Photo) A warplane", "AA reported"]
    dev = Path(__file__).resolve().parents[2] / "shared" / "data" / "fakes-dev.csv"
    if dev.exists():
        with open(dev, encoding="utf-8", errors="replace", newline="") as fh:
            texts += [" ".join(str(v) for v in row.values()) for row in csv.DictReader(fh)]
    found = 0
    for t in texts:
        expected = _credits_without_prefilter(t)
        assert agency_credits(t) == expected, t[:80]
        found += bool(expected)
    assert found >= 10


def test_shared_counts_are_those_of_every_pair_of_each_shingle():
    """The shared-shingle counts, computed a few docs at a time, are the pair counts of an
    inverted index (one entry per shingle and pair), in (a, b) order."""
    import numpy as np
    from collections import Counter
    from itertools import combinations
    from sitrep.link.wire import _shared_counts
    rng = np.random.default_rng(0)
    n = 40
    doc = np.repeat(np.arange(n), rng.integers(0, 30, n))
    flat = rng.integers(0, 60, len(doc))
    pairs = {(int(d), int(f)) for d, f in zip(doc, flat)}   # a doc holds a shingle once
    doc = np.array([d for d, _ in sorted(pairs)])
    flat = np.array([f for _, f in sorted(pairs)])
    expected = Counter()
    for f in set(flat.tolist()):
        for a, b in combinations(sorted(doc[flat == f].tolist()), 2):
            expected[(a, b)] += 1
    a, b, s = _shared_counts(flat, doc, n, rows=7)
    assert list(zip(a.tolist(), b.tolist())) == sorted(expected)
    assert dict(zip(zip(a.tolist(), b.tolist()), s.tolist())) == expected
