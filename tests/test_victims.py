"""Victims read from the dependency parse: people named one by one, lists, nouns the
lexicon does not know (issue 9, classes 2 and 7). Sentences are our own."""
import pytest

from sitrep.extract import victims
from sitrep.extract.pipeline import default_pipeline
from sitrep.records import Article


def _figures(sentence: str) -> dict[tuple[str, str], int | None]:
    doc = victims.parse(sentence)
    if doc is None:
        pytest.skip("the spaCy model is not installed")
    return {(f.outcome, f.category): f.count.best
            for f in victims.figures_from_parse(doc, 0, len(sentence), 0)}


def test_a_list_of_single_victims_is_counted_one_each():
    got = _figures("A teacher, a shopkeeper and one policeman were killed when gunmen raided the market.")
    assert got[("killed", "total")] == 3
    assert got[("killed", "combatants")] == 1


def test_a_man_and_his_relatives():
    got = _figures("Armed men killed a farmer, his wife and their daughter near the river.")
    assert got[("killed", "total")] == 3


def test_a_victim_named_by_person_counts_as_one():
    got = _figures("Insurgents murdered Omar Haddad on Tuesday, saying he had spied for the army.")
    assert got == {("killed", "total"): 1}


def test_any_victim_noun_with_a_number():
    got = _figures("Four cadres of the rebel front were killed in an exchange of fire.")
    assert got[("killed", "total")] == 4


def test_killed_and_injured_in_two_clauses():
    got = _figures("A soldier was killed and two others were injured when the patrol hit a mine.")
    assert got[("killed", "total")] == 1
    assert got[("injured", "total")] == 2


def test_killed_or_wounded_is_one_lump_and_gives_no_figure():
    got = _figures("Fifteen fighters were killed or wounded in the shelling.")
    assert got == {}


def test_a_plural_without_a_number_is_no_figure():
    assert _figures("The militia killed civilians in the village.") == {}


def test_a_negated_killing_is_no_figure():
    assert _figures("Nobody was hurt and the gunmen did not kill the driver.") == {}


def test_through_the_pipeline_the_list_total_replaces_its_first_part():
    text = ("Three policemen and a civilian were killed on Monday when militants attacked a "
            "checkpoint in Kandahar, Afghanistan, officials said.")
    record = default_pipeline()(Article("t1", text, None, "2021-03-02"))
    killed = [c.killed for i in record.incidents for c in i.claims if c.killed]
    assert killed and killed[0]["total"].best == 4
    assert killed[0]["combatants"].best == 3 and killed[0]["civilians"].best == 1


def test_a_list_the_grammar_counted_in_part_keeps_its_other_figures():
    """The grammar reads "116 rebels" and the commander; the parse adds the loyalists."""
    from sitrep.extract.counts import find_figures

    text = "The fighting claimed the lives of 129 loyalists and 116 rebels including a commander."
    doc = victims.parse(text)
    if doc is None:
        pytest.skip("the spaCy model is not installed")
    got = victims.combine(find_figures(text, 0), victims.figures_from_parse(doc, 0, len(text), 0))
    totals = [f.count.best for f in got if f.outcome == "killed" and f.category == "total"]
    assert totals[0] == 245
    assert any(f.count.best == 1 and f.category == "combatants" for f in got)


def test_a_body_found_is_one_killed():
    assert _figures("The body of Omar Haddad, a shepherd, was found near the river.") == {("killed", "total"): 1}
    assert _figures("His bullet-riddled body was recovered from a field on Monday.") == {("killed", "total"): 1}


def test_one_member_of_a_plural_noun():
    got = _figures("A police personnel was killed and two others were hurt in the ambush.")
    assert got[("killed", "total")] == 1


def test_the_parse_corrects_the_outcome_the_grammar_gave_a_list():
    """The grammar reads "killed and eight others" as killed; the parse makes them injured."""
    from sitrep.extract.counts import find_figures

    text = ("A guard was killed and eight others, including two civilians, were injured when "
            "gunmen opened fire.")
    doc = victims.parse(text)
    if doc is None:
        pytest.skip("the spaCy model is not installed")
    got = victims.combine(find_figures(text, 0), victims.figures_from_parse(doc, 0, len(text), 0))
    first = {}
    for f in got:
        first.setdefault((f.outcome, f.category), f.count.best)
    assert first[("killed", "total")] == 1
    assert first[("injured", "total")] == 8


@pytest.mark.parametrize("sentence,dead", [
    ("A villager was axed to death outside his house by the rebels.", 1),
    ("Gunmen beat a shopkeeper, Ali Omar, to death in the market.", 1),
    ("The militants burnt an old man along with his grandson alive in their hut.", 2),
    ("A commander was killed along with three fighters in the clash.", 4),
])
def test_killings_told_by_manner_and_companions(sentence, dead):
    assert _figures(sentence)[("killed", "total")] == dead
