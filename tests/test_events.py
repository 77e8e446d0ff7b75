import pytest

from sitrep.extract.events import dominant_type, find_triggers


def types(text):
    return dominant_type(find_triggers(text))


def test_each_event_type_has_a_trigger():
    assert types("Russian air strikes hit the town") == "air_strike"
    assert types("helicopters dropped barrel bombs on the district") == "air_strike"
    assert types("mortar rounds fired by rebels hit the old city") == "shelling"
    assert types("fierce clashes broke out near the airport") == "armed_clash"
    assert types("a car bomb went off near the market") == "explosion"
    assert types("a suicide bomber blew himself up at the checkpoint") == "suicide_bombing"
    assert types("dozens suffered suffocation after a chlorine attack") == "chemical_attack"
    assert types("militants executed 12 prisoners in the square") == "shooting_or_execution"
    assert types("gunmen kidnapped four aid workers") == "abduction"
    assert types("the army recaptured the town on Friday") == "territory_change"


def test_specific_type_beats_generic():
    # a suicide car bomb is both an explosion and a suicide bombing: the specific one wins
    assert types("a suicide car bomb exploded at the gate") == "suicide_bombing"
    assert types("shells that contained toxic gases hit the suburb") == "chemical_attack"


def test_offsets_are_article_offsets():
    text = "xx Rockets hit the port"
    t = find_triggers(text[3:], offset=3)[0]
    assert text[t.start:t.end] == "Rockets"


def test_no_trigger_in_diplomacy():
    assert types("The foreign ministers met in Geneva to discuss a ceasefire") is None


def test_fighters_eliminated_is_a_fight():
    from sitrep.extract.events import dominant_type, find_triggers
    assert dominant_type(find_triggers("The army said it had eliminated 25 militants near the town.")) == "armed_clash"


@pytest.mark.parametrize("sentence,kind", [
    ("Rebels blew up a bridge on the highway near the town.", "explosion"),
    ("Police and insurgents exchanged fire near the village for two hours.", "armed_clash"),
    ("Two militants were killed in an encounter with the police in the forest.", "armed_clash"),
    ("A fierce gun battle broke out between the two groups.", "armed_clash"),
])
def test_other_words_for_blasts_and_fights(sentence, kind):
    """Issue 9, class 2: wordings of other registers (Indian English 'encounter')."""
    from sitrep.extract.events import dominant_type, find_triggers
    assert dominant_type(find_triggers(sentence)) == kind


def test_an_aerial_assault_is_an_air_strike():
    assert types("The regime stepped up its aerial assault on the city") == "air_strike"
    assert types("an aerial campaign against the rebel-held towns") == "air_strike"


def test_places_targeted_by_a_force_are_its_acts_of_the_kind_the_article_reports():
    import sitrep
    rec = sitrep.extract("Other places targeted by government troops this week include the towns of "
                         "Arbin and Zamalka.", title="Warplanes bomb rebel towns near Damascus",
                         published="2015-02-12")
    assert sorted((i.location.name, i.event_type) for i in rec.incidents) == [
        ("Arbin", "air_strike"), ("Zamalka", "air_strike")]
    # "attacks" says there was violence, not which kind: the article's kind types it
    rec = sitrep.extract("Attacks on the town of Arbin on Monday killed four people, activists said.",
                         title="Jets pound towns east of Damascus", published="2015-02-12")
    assert [i.event_type for i in rec.incidents] == ["air_strike"]


def test_celebratory_gunfire_is_no_attack():
    import sitrep
    rec = sitrep.extract("There was celebratory gunfire in Raqqa on Sunday after the fall of the base.",
                         published="2014-08-24")
    assert [i for i in rec.incidents if i.event_type == "shooting_or_execution"] == []


def test_a_states_bombs_fall_from_the_air_and_a_groups_are_planted():
    import sitrep
    rec = sitrep.extract("Two children were killed by regime bombs in a rebel-held area of Aleppo on Friday.",
                         published="2016-07-01")
    assert [i.event_type for i in rec.incidents] == ["air_strike"]
    rec = sitrep.extract("Two children were killed by bombs planted by militants in Aleppo on Friday.",
                         published="2016-07-01")
    assert [i.event_type for i in rec.incidents] != ["air_strike"]
