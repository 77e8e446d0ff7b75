"""Whether a clause tells an act that happened, from the verb that governs its trigger
(issue 9, class 4: habits, plans, hypotheticals and history are no acts). Our own sentences."""
import pytest

import sitrep
from sitrep.extract import victims
from sitrep.extract.factuality import is_factual
from sitrep.extract.pipeline import default_pipeline
from sitrep.records import Article


def _factual(sentence: str, trigger: str) -> bool:
    doc = victims.parse(sentence)
    if doc is None:
        pytest.skip("the spaCy model is not installed")
    return is_factual(doc, sentence.index(trigger))


@pytest.mark.parametrize("sentence,trigger", [
    ("Warplanes struck the market of the town on Monday.", "struck"),
    ("Rebels have captured the hilltop village after heavy fighting.", "fighting"),
    ("The army said its artillery shelled the rebel positions overnight.", "shelled"),
    ("The towns shelled by government forces this week include two border villages.", "shelled"),
    ("The hospital is being shelled by government forces, doctors said.", "shelled"),
    ("The market was struck by two missiles.", "struck"),
])
def test_acts_that_happened(sentence, trigger):
    assert _factual(sentence, trigger)


@pytest.mark.parametrize("sentence,trigger", [
    # the purpose of an act told as done is as real as the act
    ("Riot police fired tear gas to disperse students during clashes outside parliament.", "clashes"),
])
def test_the_purpose_of_a_finite_act(sentence, trigger):
    assert _factual(sentence, trigger)


@pytest.mark.parametrize("sentence,trigger", [
    ("Rebels accuse the militia of working with the army to cut the road by intensifying attacks.",
     "attacks"),
    ("The rebels plan to launch rockets at the airport.", "rockets"),
])
def test_a_purpose_of_no_act_told(sentence, trigger):
    assert not _factual(sentence, trigger)


@pytest.mark.parametrize("sentence,trigger", [
    ("The neighbouring state backs militias fighting in the east.", "fighting"),
    ("Government jets could strike the town again if talks fail.", "strike"),
    ("Insurgents have often used the hills to launch rockets at the city.", "rockets"),
    ("Such a chemical agent had never been used before in the war.", "chemical agent"),
    ("The armed group controls the road and shells the villages around it.", "shells"),
    # the same in the passive
    ("Families say they are driven from their homes by siege and shelling.", "shelling"),
    ("The border crossing is guarded by tanks and targeted by snipers.", "targeted"),
])
def test_habits_plans_and_negations_are_no_acts(sentence, trigger):
    assert not _factual(sentence, trigger)


def test_a_habit_without_a_toll_gives_no_incident_beside_the_act():
    text = ("Government warplanes struck the town of Saraqib in Idlib province on Monday, "
            "killing seven people, rescuers said. Rebel fighters often launch rockets from the "
            "hills near Kafr Nabl, residents say.")
    record = default_pipeline()(Article("f1", text, None, "2019-02-05"))
    names = [i.location.name for i in record.incidents]
    assert "Saraqib" in names
    assert all("Kafr" not in n for n in names), names


def test_a_rare_past_form_the_tagger_takes_for_a_present_is_past():
    assert _factual("Government forces retook the town of Maarat al-Numan on Monday, state media said.", "retook")
    assert _factual("Insurgents overran the army post near the border overnight.", "overran")


@pytest.mark.parametrize("sentence,trigger", [
    # a caption's or a headline's present, dated to its day, tells that day's act
    ("Riot police fire tear gas at students outside parliament, Tuesday.", "fire tear gas"),
    ("A protester throws a petrol bomb at police lines in the capital on Sunday.", "throws"),
    ("A demonstrator throws a chair at riot police in the capital, March 3, 2021.", "throws"),
])
def test_a_present_dated_to_one_day_is_an_act(sentence, trigger):
    assert _factual(sentence, trigger)


def test_a_present_every_weekday_is_still_a_habit():
    assert not _factual("The militia shells the villages every Friday.", "shells")


@pytest.mark.parametrize("text", [
    # an act named only as what someone answers for or reacts to, with no figure of its own
    "The defence ministry denied any involvement in the attack on the aid convoy near Aleppo.",
    "Moscow expelled four diplomats on Friday over the bombing of its embassy.",
    "The rebel group's spokesman said it was not responsible for the shelling of the market.",
    "UN investigators are looking into the alleged gas attack on the town on Wednesday.",
    # an attack that is no violence
    "Hackers launched a cyber attack on the defence ministry's servers on Monday.",
])
def test_an_act_only_referred_to_is_no_incident(text):
    assert sitrep.extract(text, published="2024-03-10").incidents == []


def test_a_claim_of_responsibility_for_an_act_with_a_toll_is_the_act():
    rec = sitrep.extract("Islamic State claimed responsibility for a car bomb that killed eight "
                         "people in Kirkuk on Friday.", published="2024-03-10")
    assert [(i.event_type, i.perpetrator) for i in rec.incidents] == [("explosion", ["Islamic State"])]


def test_an_act_named_by_an_earlier_year_is_history_not_an_act():
    rec = sitrep.extract("Government forces captured two villages near Khan Sheikhoun, the scene of "
                         "a deadly 2017 chemical attack, on Tuesday.", published="2019-08-14")
    assert [i.event_type for i in rec.incidents] == ["territory_change"]


def test_acts_summed_over_recent_weeks_are_background():
    text = ("Militants stormed an air base near Tabqa on Sunday, a monitor said. The group has captured three "
            "other bases in Hasakah province in recent weeks.")
    rec = sitrep.extract(text, published="2014-08-24")
    assert [i.location.name for i in rec.incidents] == ["Tabqa"]


def test_what_a_force_is_still_trying_to_do_is_no_act():
    # nor the scene of the tellings that follow it
    text = ("Air strikes on villages in northern Syria killed at least 85 civilians on Tuesday, activists "
            "said. The villages are near the stronghold of Manbij, a town that the SDF have been trying to "
            "capture in a long offensive. The Observatory said 56 civilians were killed in the strikes.")
    rec = sitrep.extract(text, published="2016-07-19")
    assert "Manbij" not in {i.location.name for i in rec.incidents}
