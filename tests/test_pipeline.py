import json

import pytest

import sitrep
from sitrep.extract.pipeline import DEFAULT_PIPELINE, NotEnglish, Pipeline, default_pipeline, looks_english
from sitrep.records import Article, ArticleRecord

TEXT = (
    "Saturday 7 October 2017\n"
    "Air strikes by Syrian or Russian warplanes killed at least 14 civilians, including five "
    "children, in the eastern town of Mayadeen on Friday, the Syrian Observatory for Human "
    "Rights said.\n"
    "More than 300,000 people have been killed in Syria since the war began in 2011."
)


def test_extract_api_returns_typed_record_that_round_trips_through_json():
    rec = sitrep.extract(TEXT, published="2017-10-08", article_id="t1")
    assert isinstance(rec, ArticleRecord)
    assert rec.published == "2017-10-07"  # the printed dateline wins over the argument
    again = ArticleRecord.from_dict(json.loads(json.dumps(rec.to_dict())))
    assert again == rec
    assert list(rec.to_dict()) == ["article_id", "published", "incidents", "summary"]


def test_extract_one_incident_with_claim_figures_and_evidence():
    rec = sitrep.extract(TEXT, article_id="t1")
    assert len(rec.incidents) == 1  # the cumulative war toll is background
    inc = rec.incidents[0]
    assert inc.event_type == "air_strike"
    assert inc.date == "2017-10-06" and inc.date_precision == "day"
    assert inc.location.name == "Mayadeen" and inc.location.admin1 == "Deir ez-Zor"
    assert inc.location.country == "SY" and inc.location.lat is not None
    assert sorted(inc.perpetrator) == ["Russian forces", "Syrian government forces"]
    claim = inc.claims[0]
    assert claim.claimed_by == "Syrian Observatory for Human Rights"
    assert claim.killed["civilians"].low == 14 and claim.killed["civilians"].best == 14
    assert claim.killed["children"].best == 5
    for span in claim.evidence:
        assert TEXT[span.start:span.end] == span.text
    assert rec.summary.location == "deir ezzor"
    assert rec.summary.actor == "syrian government or russian troops"
    assert rec.summary.nb_civilians == 14 and rec.summary.nb_children == 5


def test_article_with_no_incident_gives_an_empty_record():
    rec = sitrep.extract("Foreign ministers met in Geneva on Monday to discuss a ceasefire plan.",
                         published="2018-12-10")
    assert rec.incidents == []
    assert rec.summary.date == "2018-12-10" and rec.summary.cause_of_death == "unknown"


def test_pipeline_is_built_from_configuration_and_checked():
    assert Pipeline(DEFAULT_PIPELINE)
    with pytest.raises(ValueError, match="unknown pipeline component"):
        Pipeline(["sentences", "no-such-thing"])
    with pytest.raises(ValueError, match="requires"):
        Pipeline(["mentions"])
    # a pipeline without the summary still yields a record (with an empty summary)
    rec = Pipeline([n for n in DEFAULT_PIPELINE if n != "summary"])(Article("x", TEXT, published="2017-10-07"))
    assert rec.incidents and rec.summary.location == ""


def test_non_english_text_is_refused():
    french = ("Au moins douze civils ont été tués vendredi dans une attaque contre un village "
              "du centre du Mali, selon les autorités locales qui ont dénoncé une attaque terroriste.")
    assert not looks_english(french)
    with pytest.raises(NotEnglish):
        Pipeline()(Article("fr", french))


def test_model_missing_degrades_with_a_warning(monkeypatch, caplog):
    from sitrep.extract import nlp
    nlp.load_nlp.cache_clear()
    monkeypatch.setattr(nlp, "MODEL_PACKAGE", "no_such_spacy_model_package")
    try:
        with caplog.at_level("WARNING", logger="sitrep"):
            spans = nlp.sentence_spans("Shells hit the town. Nine people died.")
        assert len(spans) == 2
        assert "could not be loaded" in caplog.text
        assert nlp.load_nlp()[1] is True
    finally:
        nlp.load_nlp.cache_clear()


def one(text, published="2016-10-31", title=None):
    rec = sitrep.extract(text, published=published, title=title)
    return rec


def test_the_models_saved_tokenizer_is_the_one_its_language_makes():
    # load_nlp leaves the model's saved tokenizer unread: English's own must be the same
    from sitrep.extract.nlp import MODEL_PACKAGE, load_parser
    from sitrep.spacy_import import import_spacy
    import_spacy()
    module = __import__(MODEL_PACKAGE)
    saved = module.load(exclude=["ner", "tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"])
    # its rules and exceptions (the vocabulary grows with every text read)
    assert saved.tokenizer.to_bytes(exclude=["vocab"]) == load_parser().tokenizer.to_bytes(exclude=["vocab"])


def test_a_statements_day_dates_the_report_not_the_act():
    rec = one("The army announced in a statement on Monday that its forces had killed 12 "
              "militants in the town of Khan Touman.", published="2016-05-30")
    inc = rec.incidents[0]
    assert (inc.date, inc.date_precision) == ("2016-05-30", "report")


def test_one_toll_across_quarters_of_one_city_is_located_at_the_city():
    rec = one("Rebels fired rocket shells on the neighborhoods of al-Hamdaniyah and Salaheddine "
              "in Aleppo on Sunday, killing four people, a police source told SANA.")
    assert [i.location.name for i in rec.incidents] == ["Aleppo"]
    assert rec.incidents[0].location.precision == "town"


def test_military_sources_are_a_claimant_apart_from_the_army():
    rec = one("Government troops advanced on the town of Khan Touman on Sunday, military sources said.")
    assert rec.incidents[0].claims[0].claimed_by == "Syrian military sources"


def test_summary_takes_the_headlines_perpetrator_when_the_text_leaves_it_open():
    text = "Air strikes killed nine civilians in the town of Atareb in Aleppo province on Sunday, a monitor said."
    assert one(text, title=None).summary.actor == "unknown"
    rec = one(text, title="Regime air strikes kill nine in Atareb")
    assert rec.incidents[0].perpetrator == ["unknown"]  # the record keeps what the sentence says
    assert rec.summary.actor == "syrian government or russian troops"


def test_a_national_body_named_without_its_nation_takes_the_articles_country():
    rec = one("KABUL, Aug 3 — A car bomb exploded in the Sherpur district of Kabul on Tuesday "
              "evening. The interior ministry said eight people were killed and 20 wounded.",
              published="2021-08-05")
    claimants = {c.claimed_by for i in rec.incidents for c in i.claims}
    assert "Afghan interior ministry" in claimants


def test_related_links_after_the_story_are_not_its_news():
    """Issue 9, class 4: the headlines a page lists after the story are other stories."""
    story = ("Government warplanes struck the town of Saraqib in Idlib province on Monday, "
             "killing seven people, rescuers said. The strikes hit a market and a bakery in the "
             "centre of the town, residents told reporters by telephone. Civil defence teams were "
             "still searching the rubble on Monday evening for survivors, they added.")
    links = " Print Tweet Views 512 Related Rebels shell Aleppo district killing 12 Car bomb kills 9 in Azaz"
    record = default_pipeline()(Article("r1", story + links, None, "2019-02-05"))
    names = {i.location.name for i in record.incidents}
    assert "Saraqib" in names
    assert not names & {"Aleppo", "Azaz", "A'zaz"}, names


def test_an_act_told_twice_with_one_toll_is_one_incident():
    """Issue 9, class 3: a second telling of the same killing at a finer place is the same act."""
    text = ("Gunmen shot dead a teacher in Idlib province on Monday, activists said. "
            "The teacher was killed on Monday in the town of Saraqib as he left the school, "
            "a relative said.")
    record = default_pipeline()(Article("m1", text, None, "2019-02-05"))
    killed = [i for i in record.incidents if any(c.killed for c in i.claims)]
    assert len(killed) == 1, [(i.location.name, i.event_type) for i in record.incidents]
    assert killed[0].location.name == "Saraqib"
    assert {c.claimed_by for c in killed[0].claims} >= {"activists"}


def test_a_source_speaking_later_of_the_act_is_a_claim_on_it():
    """Spec ruling 9 and issue 9, class 3: a statement days later about "the attack" is a claim
    on the act, dated to the act's day, not an incident of the statement's day."""
    text = ("Government warplanes struck the market of Saraqib in Idlib province on Monday, "
            "killing nine people, rescuers said. On Wednesday the Turkish foreign ministry said "
            "the attack was a war crime.")
    record = default_pipeline()(Article("c1", text, None, "2019-02-07"))
    assert len(record.incidents) == 1, [(i.date, i.location.name) for i in record.incidents]
    assert record.incidents[0].date == "2019-02-04"


def test_an_act_whose_text_names_no_place_is_kept_unlocated():
    # A snippet with no dateline, no place and no country: the act is recorded for a reader
    # to place, not lost.
    incs = one("Gunmen opened fire on worshippers leaving a mosque on Friday, killing nine "
               "people, police said.").incidents
    assert [(i.event_type, i.location.name, i.location.country, i.location.precision)
            for i in incs] == [("shooting_or_execution", "", None, "country")]
    assert incs[0].claims[0].killed["total"].best == 9


def test_two_acts_known_only_to_their_country_are_not_taken_for_a_total():
    # A country-level toll beside a located act is a total split into parts; beside another
    # country-level act it is an act of its own.
    incs = one("Militants ambushed an army convoy in Mali on Monday, killing four soldiers. "
               "On Tuesday, gunmen kidnapped three aid workers in Mali.").incidents
    assert sorted(i.event_type for i in incs) == ["abduction", "armed_clash"]
    assert {i.location.country for i in incs} == {"ML"}


@pytest.mark.parametrize("towns", ["Harasta, Arbin, Zamalka and Kafr Batna",
                                   # commas lost in a scraped text
                                   "Harasta Arbin Zamalka and Kafr Batna"])
def test_each_town_of_a_listed_act_is_an_incident(towns):
    # spec ruling 3: separate towns named in one act give one incident each
    rec = one(f"Government warplanes struck the towns of {towns} in Eastern Ghouta on Monday.",
              published="2015-02-10")
    assert [i.location.name for i in rec.incidents] == ["Harasta", "Arbin", "Zamalka", "Kafr Batna"]


def test_a_lead_at_the_province_and_the_body_at_the_town_are_one_act():
    # the lead tells the act at its province with no toll; the body gives the town and the toll
    rec = sitrep.extract("Gunmen executed prisoners in Hama province on Tuesday. In the town of Suran, "
                         "Islamic State militants shot dead 12 prisoners, the Syrian Observatory for "
                         "Human Rights said.", published="2016-05-04")
    [inc] = rec.incidents
    assert (inc.location.name, inc.perpetrator) == ("Suran", ["Islamic State"])
    # a province-wide toll beside one town's telling stays: the town may be one part of it
    rec = sitrep.extract("Air strikes in Hama province killed 30 people on Tuesday, activists said. "
                         "One raid hit the town of Suran.", published="2016-05-04")
    assert len(rec.incidents) == 2


def test_a_wire_subhead_between_dashes_is_no_act_of_its_own():
    text = ("Rebels shelled the town of Nubl on Monday, killing four people, the Syrian Observatory for "
            "Human Rights said. The war began in 2011. - Air raids kill dozens - Meanwhile warplanes "
            "struck the village of Hayan on Tuesday, killing six people, the Observatory said.")
    rec = sitrep.extract(text, published="2016-05-04")
    assert sorted(i.location.name for i in rec.incidents) == ["Hayan", "Nubl"]
    assert sorted(c.killed["total"].value() for i in rec.incidents for c in i.claims if "total" in c.killed) == [4, 6]


def test_an_act_told_separately_is_another_incident_in_the_region_just_named():
    text = ("Islamic State fighters fired rockets at an army post near the town of Tal Tamr on Monday, "
            "killing three soldiers, the army said. Separately, two shepherds "
            "were killed in clashes in the same region, the army added.")
    rec = sitrep.extract(text, published="2016-09-07")
    assert sorted((i.event_type, i.location.name) for i in rec.incidents) == [
        ("armed_clash", "Tal Tamr"), ("shelling", "Tal Tamr")]
    clash = next(i for i in rec.incidents if i.event_type == "armed_clash")
    assert clash.perpetrator == ["unknown"]
    assert clash.date == "2016-09-05"


def test_a_toll_given_place_by_place_is_one_incident_per_place():
    rec = sitrep.extract("Shelling killed 12 people in Idlib province on Monday, 7 in Saraqib and 5 in "
                         "Ariha, activists said.", published="2016-11-30")
    assert sorted((i.location.name, [c.killed["total"].value() for c in i.claims]) for i in rec.incidents) == [
        ("Ariha", [5]), ("Saraqib", [7])]


def test_an_act_in_a_town_beside_a_city_is_no_total_of_the_citys_quarters():
    rec = sitrep.extract("Jets bombed a factory in the town of Haritan on Tuesday. Air strikes on Aleppo city "
                         "killed 17 people on Tuesday, 9 in the Ansari neighbourhood and 8 in Salah al-Din.",
                         published="2016-11-30")
    assert len(rec.incidents) == 3
    assert sorted(c.killed["total"].value() for i in rec.incidents for c in i.claims if c.killed) == [8, 9]


def test_a_toll_over_the_past_few_days_is_no_act():
    rec = sitrep.extract("Hundreds of civilians have been killed in Aleppo over the past few days, "
                         "activists said.", published="2016-11-30")
    assert rec.incidents == []


def test_an_act_a_day_before_the_one_told_and_its_village_told_after():
    text = ("Rebel rockets killed three children at a school in Aleppo on Thursday, state media said. "
            "Rebels regularly fire rockets into the west of the city. The deaths came a day after UNICEF said 22 children had been killed in air strikes on a "
            "school in Idlib province. The strikes by Russian or Syrian warplanes hit the village of "
            "Hass, the Observatory said.")
    rec = sitrep.extract(text, published="2016-10-27")
    strike = [i for i in rec.incidents if i.event_type == "air_strike"]
    assert [(i.location.name, i.date) for i in strike] == [("Hass", "2016-10-26")]
    assert [c.killed["children"].value() for c in strike[0].claims if "children" in c.killed] == [22]



def test_a_province_named_with_its_seats_name_is_the_province_not_the_town():
    # a headline run into the lead: "massacre in Hama" is the province the lead places the
    # village in, not the city of Hama
    rec = sitrep.extract("Outrage over the massacre in Hama Government jets bombed the village of Kafr Zita "
                         "in Hama province on Monday, killing 12 people.", published="2016-05-04")
    assert [(i.location.name, i.location.precision) for i in rec.incidents] == [("Kafr Zita", "town")]


def test_an_act_told_without_a_place_is_at_the_first_acts_scene_not_the_headlines_town():
    rec = sitrep.extract("Fear grips Hama as jets return Government jets bombed the town of Saraqib in Idlib "
                         "province on Monday, killing 12 people. Rebels later shelled an army checkpoint, "
                         "killing four soldiers.", published="2016-05-04")
    assert sorted((i.event_type, i.location.name) for i in rec.incidents) == [
        ("air_strike", "Saraqib"), ("shelling", "Saraqib")]


@pytest.mark.parametrize("text, event_type, perpetrator", [
    # the state's forces named without their nation, in an article about its war
    ("Security forces shot dead 30 people in Homs on Friday, a rights group said.",
     "shooting_or_execution", "Syrian government forces"),
    # a force killing fighters and no other word for the act: a battle
    ("Rebels killed 14 soldiers near Homs on Friday.", "armed_clash", "Syrian opposition forces"),
])
def test_a_killing_told_only_by_who_killed_whom_has_its_kind(text, event_type, perpetrator):
    rec = sitrep.extract(text, published="2012-03-03")
    assert [(i.event_type, i.perpetrator) for i in rec.incidents] == [(event_type, [perpetrator])]


def test_a_killing_by_an_unknown_hand_stays_unclassified():
    rec = sitrep.extract("Gunmen killed five people in Homs on Friday.", published="2012-03-03")
    assert [(i.event_type, i.perpetrator) for i in rec.incidents] == [("other", ["unknown"])]


def test_a_force_and_the_coalition_it_fights_within_are_one_doer_of_one_act():
    text = ("Coalition air strikes killed 20 civilians in the village of Tokhar near Manbij on Tuesday, "
            "activists said. A militant news agency said 60 civilians were killed in Tokhar in American "
            "air strikes on Tuesday.")
    rec = sitrep.extract(text, published="2016-07-19")
    assert [(i.location.name, i.perpetrator, sorted(c.killed["total"].value() for c in i.claims))
            for i in rec.incidents] == [("Tokhar", ["US-led coalition"], [20, 60])]


def test_another_sources_toll_at_the_province_is_a_claim_on_the_one_act_in_it():
    text = ("Jets struck the village of Hass in Idlib province on Tuesday, killing 22 people, rescuers said. "
            "The Observatory said 30 people were killed in air strikes in Idlib province on Tuesday.")
    rec = sitrep.extract(text, published="2016-10-26")
    assert [(i.location.name, sorted(c.killed["total"].value() for c in i.claims if c.killed))
            for i in rec.incidents] == [("Hass", [22, 30])]
    # the same source's toll for the province is its total, not another account of the village
    text = text.replace("The Observatory said", "Rescuers said")
    assert len(sitrep.extract(text, published="2016-10-26").incidents) == 2


def test_a_counter_accusation_is_a_claim_on_the_act_and_leaves_its_doer_open():
    text = ("The opposition accused government forces of killing over 1000 civilians with poison gas in "
            "Douma on Wednesday. The government accused rebels of launching the chemical attacks to provoke "
            "a reaction.")
    rec = sitrep.extract(text, published="2013-08-22")
    assert [(i.event_type, i.perpetrator, [c.claimed_by for c in i.claims]) for i in rec.incidents] == [
        ("chemical_attack", ["Syrian government forces", "Syrian opposition forces"],
         ["opposition", "Syrian government"])]


def test_where_a_source_is_is_not_where_the_act_was():
    text = ("Gas was used in an attack on the town of Saraqib on Monday, which killed 40 people according "
            "to the directorate of health in Hama province.")
    rec = sitrep.extract(text, published="2017-04-04")
    assert {i.location.name for i in rec.incidents} == {"Saraqib"}


def test_carrying_out_an_attack_is_no_execution():
    rec = sitrep.extract("Those who executed the attack on Saraqib on Monday must be punished, the monitor said.",
                         published="2017-04-04")
    assert all(i.event_type != "shooting_or_execution" for i in rec.incidents)
    rec = sitrep.extract("Militants executed five men in Saraqib on Monday.", published="2017-04-04")
    assert [i.event_type for i in rec.incidents] == ["shooting_or_execution"]


def test_a_body_speaking_is_not_the_force_its_bare_name_could_be():
    text = ("The Syrian Coalition called for an inquiry. Jets struck the town of Saraqib on Monday the "
            "Coalition said.")
    rec = sitrep.extract(text, published="2017-04-04")
    assert [(i.perpetrator, [c.claimed_by for c in i.claims]) for i in rec.incidents] == [
        (["unknown"], ["Syrian Coalition"])]


def test_earlier_on_the_day_is_the_day_of_the_act_told_before():
    # (the toll of the week between them is no day to count from)
    text = ("Shells killed 14 people in Aleppo on Thursday, state media said. At least 57 civilians have "
            "been killed in attacks on the city this week. Earlier on the day gunmen fired rockets on the "
            "al-Midan neighbourhood, killing a man and his wife.")
    rec = sitrep.extract(text, published="2016-04-29")
    assert {i.date for i in rec.incidents} == {"2016-04-28"}


def test_a_days_casualties_coming_after_strikes_on_another_day_date_those_strikes():
    text = ("Air strikes on the village of Tokhar killed 56 civilians on Tuesday, a monitor said. Tuesday's "
            "casualties come on the heels of similar air strikes on the town of Manbij on Monday when at "
            "least 15 civilians were killed.")
    rec = sitrep.extract(text, published="2016-07-19")
    assert sorted((i.location.name, i.date) for i in rec.incidents) == [
        ("Manbij", "2016-07-18"), ("Tokhar", "2016-07-19")]


def test_later_sources_of_an_act_over_two_villages_stay_with_the_first():
    """Issue 9, classes 3 and 9 (spec rulings 3 and 9): the undivided tolls, the lead's
    country-wide one among them, and the sources that speak of "the strikes on the villages"
    afterwards go with the first village; the second keeps what the clause naming it said."""
    text = ("Air strikes on rebel-held villages in northern Syria killed at least 40 civilians on "
            "Monday, opposition activists said. Residents blamed government warplanes for the strikes "
            "that targeted two villages Kafr Batna and Hamouriyeh which are held by rebels. The "
            "Britain-based Syrian Observatory for Human Rights said at least 23 civilians were killed "
            "in the strikes on the villages.")
    rec = sitrep.extract(text, published="2018-02-20")
    got = [(i.location.name, sorted(c.claimed_by for c in i.claims)) for i in rec.incidents]
    assert got == [("Kafr Batna", ["Syrian Observatory for Human Rights", "activists", "residents"]),
                   (rec.incidents[1].location.name, ["residents"])]


def test_a_country_wide_toll_and_another_sources_toll_at_the_one_town_are_one_act():
    """Issue 9, class 3 (spec ruling 9): "in northern Iraq" by one source and "in X" by
    another, one act and nothing else with a toll: one incident, two claims."""
    text = ("A car bomb killed at least 19 people in northern Iraq on Sunday, police said. The "
            "provincial health directorate said 16 people were killed in the blast in Tuz Khurmatu.")
    rec = sitrep.extract(text, published="2019-05-13")
    assert len(rec.incidents) == 1
    inc = rec.incidents[0]
    assert inc.location.name != "Iraq"
    assert sorted(c.killed["total"].best for c in inc.claims) == [16, 19]


def test_the_group_the_dead_came_from_is_not_the_doer_through_its_modifiers():
    """Issue 9, class 8: "fighters from Somalia's al-Qaeda-linked Shabaab group were killed in
    US strikes": the Shabaab are the dead."""
    rec = sitrep.extract("Nine fighters from Somalias al-Qaeda-linked al-Shabaab militant group "
                         "including two commanders were killed in US air strikes on Tuesday in Jubaland.",
                         published="2019-05-15")
    assert [i.perpetrator for i in rec.incidents] == [["US forces"]]


def test_a_place_cue_ends_with_its_sentence():
    """Issue 9, class 1: "east of the town. Around 30 ..." names no town "Around"."""
    text = ("A soldier was killed in Hasakah province on Monday in a village east of the town. "
            "Ambush attacks have risen since then.")
    rec = sitrep.extract(text, published="2019-05-15")
    assert [i.location.precision for i in rec.incidents] == ["admin1"]


def test_fights_between_forces_are_a_clash():
    for text in ("Eight militants were killed during fights with the army near Sirte on Friday.",
                 "Eight soldiers have died since Tuesday in the fight over the Sirte air base, a monitor said."):
        rec = sitrep.extract(text, published="2016-06-12")
        assert [i.event_type for i in rec.incidents] == ["armed_clash"], text


def test_a_gas_attack_retold_as_carried_out_by_jets_is_the_same_attack_and_names_its_doers():
    """Issue 9, classes 3 and 8: "the attack, believed carried out by X or Y jets, killed 40"
    after a gas attack was told: one chemical attack, with X or Y as its doer, and the
    source's toll as a claim on it."""
    text = ("Aircraft dropped chlorine on the town of Sarmin on Wednesday, suffocating dozens of people. "
            "A monitoring group said the attack believed to have been carried out by Syrian or Russian "
            "jets killed at least 40 people.")
    rec = sitrep.extract(text, published="2017-06-08")
    assert [(i.event_type, sorted(i.perpetrator), len(i.claims)) for i in rec.incidents] == [
        ("chemical_attack", ["Russian forces", "Syrian government forces"], 2)]


def test_a_days_act_named_by_its_day_is_the_act_of_that_day():
    """Issue 9, class 3: "Wednesday's massacre" said by another source is a claim on the act
    told for Wednesday, not a new act."""
    text = ("Government jets bombed a market in the town of Maarat al-Numan on Wednesday, killing 30 "
            "people, a monitor said. An opposition official said Wednesday's massacre was the worst in months.")
    rec = sitrep.extract(text, published="2017-06-08")
    assert len(rec.incidents) == 1
    assert len(rec.incidents[0].claims) == 2


def test_the_home_of_the_people_an_act_aimed_at_is_not_its_place():
    """Issue 9, class 1: "the strike aimed to drive the residents of X away" keeps the act at
    the place it was told at."""
    text = ("Jets struck a bakery in the town of Kafr Nabl on Monday, killing nine people, a monitor "
            "said. The strike targeted civilians to force the residents of Maarat al-Numan to flee, "
            "a rescuer said.")
    rec = sitrep.extract(text, published="2017-06-08")
    assert {i.location.name for i in rec.incidents} == {rec.incidents[0].location.name}
    assert rec.incidents[0].location.name != "Maarat al-Numan"


def test_an_act_told_with_no_doer_is_credited_to_whom_it_is_blamed_on():
    """Issue 9, class 8: the only attribution the text gives is a blame ("pointed the finger
    at", "blamed ... on"); a doer a telling names stands, and "no one claimed it" leaves it open."""
    text = ("A rocket attack killed 12 people in the town of Marib on Sunday. Several governments "
            "pointed the finger at the Houthis.")
    assert [i.perpetrator for i in sitrep.extract(text, published="2019-03-05").incidents] == [["Houthis"]]
    text = ("A rocket attack killed 12 people in the town of Marib on Sunday. Several governments "
            "pointed the finger at the Houthis. Officials said the rockets were fired by Islamic State militants.")
    assert [i.perpetrator for i in sitrep.extract(text, published="2019-03-05").incidents] == [["Islamic State"]]
    text = ("A bomb killed 12 people in the town of Marib on Sunday. No one has claimed responsibility "
            "for the attack, which the government blamed on the Houthis.")
    rec = sitrep.extract(text, published="2019-03-05")
    assert [(i.event_type, i.perpetrator) for i in rec.incidents] == [("explosion", ["unknown"])]


def test_a_vague_tally_in_the_present_perfect_with_no_day_is_no_act():
    """Issue 9, class 4: "rebels have responded by firing rockets, killing scores" tells
    what a side has been doing for weeks; "dozens have been killed in a strike" is one act."""
    text = "Insurgents have retaliated by firing rockets into the government-held west of Mosul killing scores of civilians."
    assert sitrep.extract(text, published="2016-11-02").incidents == []
    text = "Dozens of people have been killed in a car bomb attack on a market in Mosul, police said."
    assert [i.event_type for i in sitrep.extract(text, published="2016-11-02").incidents] == ["explosion"]


def test_an_aid_convoy_entering_a_town_is_no_fight():
    text = "A 30-truck aid convoy on Tuesday entered the besieged town of Madaya with food for 40000 people."
    assert sitrep.extract(text, published="2016-11-02").incidents == []
    text = "Government troops entered the town of Madaya on Tuesday after heavy clashes."
    assert [i.event_type for i in sitrep.extract(text, published="2016-11-02").incidents] == ["armed_clash"]


def test_a_town_taken_at_an_unnamed_quarter_is_the_quarter_named_after():
    """Issue 9, class 3: "seized a neighbourhood on the edge of X" then "full control of the
    Y district" (a quarter of X): one capture, at Y. A quarter fought over is another act."""
    text = ("Government forces on Tuesday seized a rebel-held neighbourhood on the western edge of "
            "Homs, a monitor said. The monitor said troops had full control of the Waer district after "
            "heavy clashes. It also reported intense fighting for the neighbouring district of Bab Amr.")
    rec = sitrep.extract(text, published="2016-07-26")
    got = sorted((i.event_type, i.location.name) for i in rec.incidents)
    assert ("territory_change", "Homs") not in got
    assert [t for t, _ in got].count("territory_change") == 1 and "armed_clash" in [t for t, _ in got]


def test_what_a_place_has_been_used_for_is_background():
    text = ("Fighting raged on Tuesday in the district of Bani Zeid in Aleppo. The district has been "
            "used by rebels to launch rockets into the west of the city.")
    rec = sitrep.extract(text, published="2016-07-26")
    assert [i.perpetrator for i in rec.incidents] == [["unknown"]]


def test_an_act_whose_doer_the_text_says_is_not_known_has_none():
    """Issue 9, class 8: "it was not clear who carried out the attack" leaves the doer open,
    whatever party a word near the act named (here the place's holder)."""
    text = ("Tags Mayadin airstrikes IS Syria airstrikes Overnight air strikes on the Islamic State groups "
            "stronghold Mayadin killed 25 civilians, "
            "a monitor said. Activists were not immediately able to determine who carried out the raids.")
    rec = sitrep.extract(text, published="2017-06-21")
    assert [i.perpetrator for i in rec.incidents] == [["unknown"]]


def test_an_accusation_of_a_kind_of_act_is_no_act_but_one_of_an_act_at_a_place_is():
    """Issue 9, class 4: "have accused rebels of using toxic gas" names a kind of act, not
    one; "accused rebels of firing mortars on the X district" tells one, as a claim."""
    text = ("Barrels of chlorine fell on the town of Sarmin in Syria's Idlib province on Monday, wounding "
            "30 people. The regime and Russia have accused rebels of using toxic gas.")
    rec = sitrep.extract(text, published="2016-08-03")
    assert [(i.event_type, i.location.name, i.perpetrator, [c.claimed_by for c in i.claims])
            for i in rec.incidents] == [("chemical_attack", "Sarmin", ["unknown"], ["reporter"])]
    text = ("A defence ministry statement on Sunday accused rebel groups of firing mortars on the "
            "Sheikh Maqsoud district of Aleppo in Syria.")
    rec = sitrep.extract(text, published="2016-08-03")
    assert [i.event_type for i in rec.incidents] == ["shelling"]


def test_an_answer_to_an_act_at_no_place_of_its_own_is_neither_an_act_nor_its_doer():
    """Issue 9, classes 4 and 8: "army units then targeted the sources of the shelling" is
    the army's answer; the shelling's doer stays unnamed."""
    text = ("On Wednesday ten civilians were killed in shelling on residential neighbourhoods of Aleppo. "
            "Army units then targeted the sources of the shelling.")
    rec = sitrep.extract(text, published="2016-04-29")
    assert [(i.event_type, i.perpetrator) for i in rec.incidents] == [("shelling", ["unknown"])]


def test_a_blame_that_opens_the_story_is_about_the_act_it_goes_on_to_tell():
    """Issue 9, class 8: "X called for the army to be held accountable for the crime in Y.
    Gas was used in the attack, which killed 40" (the blame first, then the act)."""
    text = ("Rights groups called on the Security Council to hold the Assad regime accountable for the "
            "crime in the town of Kafr Zita in Hama on Monday. Gas was used in the attack, which killed "
            "at least 40 people, according to the local health directorate.")
    rec = sitrep.extract(text, published="2017-09-02")
    assert [i.perpetrator for i in rec.incidents] == [["Syrian government forces"]]


def test_a_massacre_names_no_means_and_the_next_sentence_may():
    """Issue 9, classes 3 and 8: "the army committed a massacre in X, killing 25. The victims
    were hit by airstrikes" is one air strike by the army, not a shooting and a strike."""
    text = ("The army on Tuesday committed a massacre in the town of Kafr Nabl in Idlib province, killing "
            "at least 25 civilians. The victims were hit by airstrikes while fleeing.")
    rec = sitrep.extract(text, published="2016-11-30")
    assert [(i.event_type, i.perpetrator, i.claims[0].killed["total"].best or i.claims[0].killed["total"].low)
            for i in rec.incidents] == [("air_strike", ["Syrian government forces"], 25)]
    # ... and a massacre told again as gunmen attacking a bar is a one-sided killing, no battle
    text = ("Officials say there has been a massacre in the northern state, while news media say gunmen "
            "attacked a bar in the city of Belem and killed 11 people.")
    assert [i.event_type for i in sitrep.extract(text, published="2019-05-20").incidents] == [
        "shooting_or_execution"]


def test_an_act_told_as_also_done_is_of_the_day_just_told():
    """Issue 9, date: "Regime aircraft also bombed X" has no day of its own: it is another act
    of the day the report was telling, not of the day it was published; one told "a day
    after" another is not."""
    text = ("Government forces shelled the town of Kafr Nabl in Idlib province on Tuesday, killing five "
            "people. Regime aircraft also bombed a bakery in the town of Saraqib.")
    rec = sitrep.extract(text, published="2016-11-30")
    assert [(i.location.name, i.date) for i in rec.incidents] == [
        ("Kafranbel", "2016-11-29"), ("Saraqib", "2016-11-29")]


def test_one_figure_for_each_of_a_list_of_places():
    """Issue 9, class 6: "20 killed, including 9 in X, 8 in Y and 1 in each of A, B and C":
    each listed place is a part with one dead."""
    text = ("A total of 20 civilians were killed in air strikes on Aleppo on Tuesday, including 9 in the "
            "neighbourhood of Sukkari, 8 in Bustan al-Qasr and 1 in each of the districts of Al-Marjeh, "
            "Al-Ferdous and Salaheddine.")
    rec = sitrep.extract(text, published="2016-11-30")
    assert sorted((i.location.name, i.claims[0].killed["total"].best) for i in rec.incidents) == [
        ("Al-Ferdous", 1), ("Al-Marjeh", 1), ("Bustan al-Qasr", 8), ("Salaheddine", 1), ("Sukkari", 9)]


def test_fighters_killed_trying_to_storm_a_village_is_a_fight_not_a_storm():
    """Issue 9, class 2: "killed as they tried to storm the village" is a failed assault;
    the verb is no weather (a storm that killed people is still no act)."""
    text = "Twelve militants were killed on Saturday as they tried to storm the village of Kafr Nabl in Idlib province."
    rec = sitrep.extract(text, published="2016-10-09")
    assert [(i.event_type, i.claims[0].killed["combatants"].best) for i in rec.incidents] == [("armed_clash", 12)]
    text = "A storm killed three people in the village of Kafr Nabl in Idlib province on Saturday."
    assert sitrep.extract(text, published="2016-10-09").incidents == []


def test_an_aircraft_shot_down_is_a_fight_and_its_side_the_target():
    """Issue 9, classes 4 and 8, spec ruling 8: an aircraft shot down is an armed clash by
    whoever shot it down, not an air strike, and not one by the aircraft's own side; a crash
    is no act."""
    got = lambda text: [(i.event_type, i.perpetrator) for i in sitrep.extract(text, published="2016-08-03").incidents]
    assert got("Rebels shot down a Syrian army helicopter near Saraqib in Idlib province on Monday, "
               "killing its two pilots.") == [("armed_clash", ["Syrian opposition forces"])]
    assert got("A Syrian army helicopter was shot down near Saraqib in Idlib province on Monday.") == [
        ("armed_clash", ["unknown"])]
    assert got("A Syrian army helicopter crashed near Saraqib in Idlib province on Monday.") == []


def test_a_gas_attack_and_the_bombs_that_carried_it_are_one_act():
    """Issue 9, class 3: "barrels containing toxic gas fell on X" and "barrel bombs fell on X
    on Monday, wounding many" are one chemical attack, told twice."""
    text = ("Barrels containing toxic gas fell on the town of Saraqib in Idlib province, a rescue worker "
            "said. The Observatory said barrel bombs fell on Saraqib late on Monday, wounding dozens.")
    rec = sitrep.extract(text, published="2016-08-03")
    assert [(i.event_type, i.date) for i in rec.incidents] == [("chemical_attack", "2016-08-01")]


def test_of_two_sides_fighting_the_one_a_later_telling_makes_the_agent():
    """Issue 9, class 8, spec ruling 2: "a battle between the rebels and the army in X", then
    "the army is advancing against the rebels in X": the army's act."""
    text = ("A tough battle is underway between the rebels and the Syrian army in the town of Khan Touman "
            "in Aleppo province, military sources said on Wednesday. The Syrian army and its allies are "
            "advancing against the rebels in Khan Touman, the sources said.")
    rec = sitrep.extract(text, published="2016-05-26")
    assert [i.perpetrator for i in rec.incidents] == [["Syrian government forces"]]


def test_where_the_victims_were_going_is_not_where_the_act_was():
    """Issue 9, class 5: "ambushed while trying to sneak to the town of X in P province": X
    is where the fighters were going; the act is placed no finer than the province."""
    text = ("The army killed about 40 militants on Monday in an ambush while they were trying to sneak to "
            "the town of Douma in Damascus countryside.")
    rec = sitrep.extract(text, published="2013-09-02")
    assert [(i.location.name, i.location.precision) for i in rec.incidents] == [("Rural Damascus", "admin1")]


def test_the_one_place_a_sentence_soon_after_names_is_the_scene_of_an_act_told_at_its_country():
    """Issue 9, class 1: "a suicide bomber killed four in Syria ... A man drove an ambulance
    packed with explosives into the X hospital": the act is at X. "It was unclear whether he
    was a hostage" tells no abduction."""
    text = ("A suicide bomber driving an ambulance killed four people in Syria on Sunday in an attack on a "
            "hospital, the Observatory said. A man drove an ambulance packed with explosives into the parking "
            "of the Qardaha hospital. Another man was in the vehicle but it was unclear whether he was an "
            "accomplice or a hostage.")
    rec = sitrep.extract(text, published="2015-02-22")
    assert [(i.event_type, i.location.name) for i in rec.incidents] == [("suicide_bombing", "Al Qardahah")]


def test_an_act_in_a_village_it_leaves_unnamed_does_not_take_the_place_told_before():
    """Issue 9, class 5: "troops executed 48 people in a northern village" after an act in X
    is not at X; the later sentence that names the village places it."""
    text = ("Rebels shelled the town of Kafr Nabl in Idlib province on Sunday, killing two people. The "
            "Observatory said troops had executed 48 people earlier this week in a northern village. The 48 "
            "were executed in the village of Rityan in Aleppo province, the Observatory said.")
    rec = sitrep.extract(text, published="2015-02-22")
    assert sorted(i.location.name for i in rec.incidents) == ["Kafranbel", "Rityan"]


def test_the_attack_pointing_back_at_an_act_of_history_and_strikes_only_considered_are_no_acts():
    """Issue 9, class 4: "a statement called for a response to an August 21 chemical attack.
    X says the regime was behind the attack, in which 1400 were killed, and is considering
    air strikes": the attack is history (told as such in a clause that reacts to it), the
    strikes are a plan."""
    text = ("Kerry said many were leaning toward supporting a statement that called for a strong response "
            "following an August 21 chemical attack in Syria. Washington and Paris say forces loyal to "
            "President Assad were behind the attack in which more than 1400 are estimated to have been killed "
            "and they are considering air strikes to try to deter him.")
    assert sitrep.extract(text, published="2013-09-08").incidents == []


def test_a_province_toll_and_its_namesake_citys_quarter_are_told_apart():
    """Issue 9, classes 3 and 6: a province's toll split into a village's and an unnamed quarter
    of the city of the province's name, that quarter then named: the parts, not the total."""
    text = ("Airstrikes on opposition-held areas in the northern province of Aleppo on Monday killed at least "
            "36 people, activists said. Most of the deaths were in the village of Hreitan, where at least 23 "
            "people were killed, the Observatory said. More than a dozen people were also killed in a besieged "
            "eastern opposition-held neighborhood in Aleppo. The Observatory said Monday's airstrikes hit the "
            "Marjeh neighborhood.")
    rec = sitrep.extract(text, published="2016-10-18")
    assert sorted((i.location.name, max(c.killed["total"].best or c.killed["total"].low or 0
                                        for c in i.claims if "total" in c.killed)) for i in rec.incidents) == [
        ("Al-Marjeh", 12), ("Hreitan", 23)]


def test_the_summary_carries_the_headline_total_the_article_splits_into_parts():
    """Spec ruling 10: "Airstrikes kill 36 in Aleppo province", the text then giving 23 in a
    village and 12 in a quarter: the records hold the parts, the summary the headline's 36."""
    text = ("Airstrikes on opposition-held areas in the northern province of Aleppo on Monday killed at least "
            "36 people, activists said. Most of the deaths were in the village of Hreitan, where at least 23 "
            "people were killed, the Observatory said. More than a dozen people were also killed in the "
            "Marjeh neighbourhood of Aleppo.")
    rec = one(text, title="Aleppo airstrikes kill 36 people in opposition-held areas", published="2016-10-17")
    assert sorted(i.location.name for i in rec.incidents) == ["Al-Marjeh", "Hreitan"]
    assert rec.summary.nb_civilians == 36


def test_a_vague_toll_of_plural_strikes_in_the_present_perfect_is_a_tally():
    """Issue 9, class 4: "the airstrikes have claimed hundreds of lives" after a day's act is
    the campaign's tally, not more of that act ("the air strike has killed dozens" is one)."""
    text = ("More than a dozen people were killed in the Marjeh neighbourhood of Aleppo on Monday. The eastern "
            "parts of the city have been subjected in recent weeks to the worst aerial attacks in years. The "
            "airstrikes have claimed hundreds of lives wounded many others and demolished entire buildings.")
    rec = sitrep.extract(text, published="2016-10-17")
    assert [(i.location.name, i.claims[0].killed["total"].low, i.claims[0].injured) for i in rec.incidents] == [
        ("Al-Marjeh", 12, {})]


def test_the_dead_told_again_give_their_act_its_scene():
    """Issue 9, class 1: "N fighters died in clashes in P ... The fighters were killed outside
    the town of X": the second sentence counts no one new; it tells where the act
    just told happened, a town of that province."""
    import sitrep
    text = ("Nine fighters died in clashes in Aleppo province on Tuesday, a monitor said. The fighters were "
            "killed on a road outside the town of Khan Touman.")
    [inc] = sitrep.extract(text, published="2017-03-07").incidents
    assert (inc.location.name, inc.date) == ("Khan Touman", "2017-03-07")
    # a place in another province is no scene of it
    text = ("Nine fighters died in clashes in Aleppo province on Tuesday, a monitor said. Their bodies were "
            "taken to the town of Salamiyah.")
    [inc] = sitrep.extract(text, published="2017-03-07").incidents
    assert inc.location.name == "Aleppo"


def test_a_citys_toll_from_another_source_is_a_second_account_of_its_quarters_act():
    """Spec ruling 9 (issue 9, class 3): a blast's toll at a quarter from one source and the
    city's toll that day from another, for the attack already told, are two claims on one
    act; rebel shelling the other source tells in the city is another act."""
    import sitrep
    lead = "A car bomb killed 12 people in the Zahraa neighbourhood of Homs on Monday, the Observatory said. "
    [inc] = sitrep.extract(lead + "Speaking to reporters, the Homs governor reported the deadly attack, giving "
                           "a toll of nine killed in Homs.", published="2017-03-07").incidents
    assert inc.location.name == "Zahraa"
    assert sorted(c.killed["total"].best for c in inc.claims) == [9, 12]
    incs = sitrep.extract(lead + "State media said rebel shelling killed nine people in Homs.",
                          published="2017-03-07").incidents
    assert sorted(i.event_type for i in incs) == ["explosion", "shelling"]


def test_an_opening_after_phrase_names_the_places_of_an_earlier_act():
    """Issue 9, class 1: "After taking X the army captured Y", its comma lost: the act the
    clause tells is at Y; the parse finds where the opening phrase ends."""
    import sitrep
    for text in ("After taking control of the town of Maarat al-Numan the army advanced and captured the village of "
                 "Hass on Monday, killing three rebels.",
                 "After taking control of the town of Maarat al-Numan, the army advanced and captured the village of "
                 "Hass on Monday, killing three rebels."):
        [inc] = sitrep.extract(text, published="2016-06-08").incidents
        assert inc.location.name == "Hass", text


@pytest.mark.parametrize("tail", [
    " RELATED NEWS Rebels shell Aleppo", " Read more: Rebels shell Aleppo", " See also: the war",
    " You may also like Rebels shell Aleppo", " Views 12 Related Rebels shell Aleppo",
    " \u017fee al\u017fo: the war", " no links here, already read", ""])
def test_the_related_links_are_cut_where_the_pattern_alone_cuts_them(tail):
    """The words every link marker holds are looked for before the pattern: the same cut."""
    from sitrep.extract.pipeline import MIN_BODY_CHARS, _RELATED, _before_related_links
    text = "x" * (MIN_BODY_CHARS + 10) + "." + tail
    sentences = [(0, MIN_BODY_CHARS + 11), (MIN_BODY_CHARS + 12, len(text))]
    m = _RELATED.search(text, MIN_BODY_CHARS)
    cut = [(s, min(e, m.start())) for s, e in sentences if s < m.start() and text[s:min(e, m.start())].strip()] \
        if m else sentences
    assert _before_related_links(text, sentences, 0) == cut


def test_the_collector_threshold_is_raised_while_extracting_and_put_back_after():
    import gc

    from sitrep.extract import pipeline as P
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        seen = []
        pipe = Pipeline()
        original = pipe._run_batch

        def spy(batch, splitter):
            seen.append(gc.get_threshold())
            yield from original(batch, splitter)

        pipe._run_batch = spy
        arts = [Article(article_id="a", text="Shelling killed two civilians in Aleppo on Monday.")]
        assert len(list(pipe.pipe(arts))) == 1
        assert seen == [(P.YOUNG_THRESHOLD, 10, 10)]
        assert gc.get_threshold() == (700, 10, 10)
        # where automatic collection is off (a first threshold of 0), it stays off
        gc.set_threshold(0, 10, 10)
        seen.clear()
        assert len(list(pipe.pipe(arts))) == 1
        assert seen == [(0, 10, 10)] and gc.get_threshold() == (0, 10, 10)
    finally:
        gc.set_threshold(*before)
