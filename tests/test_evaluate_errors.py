"""The gold report's error classes, one invented article at a time."""
from __future__ import annotations

import pytest

from sitrep.evaluate.errors import CLASSES, classify, counts
from sitrep.evaluate.matching import match_incidents
from sitrep.records import Claim, Count, Incident, Location

DAY = "2016-05-02"


def inc(name: str, admin1: str | None = "Idlib", *, precision: str = "town",
        event: str = "air_strike", date: str = DAY, lat: float | None = None,
        lon: float | None = None, country: str = "SY", perp: tuple[str, ...] = ("unknown",),
        target: str | None = None, claims: list[Claim] | None = None) -> Incident:
    return Incident(event, date, None, "day", Location(name, admin1, country, lat, lon, precision),
                    list(perp), target, claims if claims is not None else [Claim("reporter")])


def classes(gold: list[Incident], pred: list[Incident], has_record: bool = True) -> list[str]:
    return [e["class"] for e in classify("a", gold, pred, match_incidents(gold, pred), has_record)]


def test_every_class_names_an_issue_class():
    assert all(meaning[:1] in "123456789-" for meaning in CLASSES.values())


def test_the_province_for_a_village_is_too_coarse():
    assert classes([inc("Saraqib")], [inc("Idlib", precision="admin1")]) == ["place_too_coarse"]


def test_the_country_for_a_village_is_too_coarse():
    assert classes([inc("Saraqib")], [inc("Syria", None, precision="country")]) == ["place_too_coarse"]


def test_a_town_for_the_province_is_too_fine():
    assert classes([inc("Idlib", precision="admin1")], [inc("Saraqib")]) == ["place_too_fine"]


def test_another_town_of_the_province_is_elsewhere():
    assert classes([inc("Saraqib")], [inc("Binnish")]) == ["place_elsewhere"]


def test_the_gold_name_in_another_province_is_ambiguous():
    assert classes([inc("Qasr", "Homs")], [inc("Qasr", "Daraa")]) == ["place_ambiguous"]


def test_another_name_in_another_province_is_a_miss_and_a_spurious_act():
    assert classes([inc("Saraqib")], [inc("Tadmur", "Homs")]) == ["missed_act", "spurious_act"]


def test_a_prediction_two_days_off_explains_nothing():
    assert classes([inc("Saraqib")], [inc("Idlib", precision="admin1", date="2016-05-05")]) \
        == ["missed_act", "spurious_act"]


def test_one_prediction_explains_one_missed_act():
    got = classes([inc("Saraqib"), inc("Binnish")], [inc("Idlib", precision="admin1")])
    assert sorted(got) == ["missed_act", "place_too_coarse"]


def test_one_act_recorded_twice_is_split():
    gold = [inc("Saraqib")]
    pred = [inc("Saraqib"), inc("Saraqib", event="air_strike", lat=35.9, lon=36.9)]
    # the second prediction lies far from the town: not the same place, but the same act
    assert classes(gold, pred) == ["split_act"]


def test_two_acts_in_one_prediction_are_merged():
    gold = [inc("Saraqib"), inc("Binnish")]
    assert classes(gold, [inc("Saraqib")]) == ["acts_merged"]


def test_article_without_a_record():
    assert classes([inc("Saraqib"), inc("Binnish")], [], has_record=False) == ["no_record"] * 2


def test_numbers_missing_extra_and_wrong():
    def claim(killed: int | None = None, injured: int | None = None) -> Claim:
        return Claim("reporter", killed={"total": Count(best=killed)} if killed else {},
                     injured={"total": Count(best=injured)} if injured else {})
    gold = [inc("Saraqib", claims=[claim(killed=5)]), inc("Binnish", claims=[claim(killed=3)]),
            inc("Taftanaz", claims=[claim()])]
    pred = [inc("Saraqib", claims=[claim()]), inc("Binnish", claims=[claim(killed=4)]),
            inc("Taftanaz", claims=[claim(injured=2)])]
    assert classes(gold, pred) == ["numbers_missing", "numbers_wrong", "numbers_extra"]


def test_victim_taken_as_perpetrator():
    gold = [inc("Saraqib", perp=("Syrian government forces",), target="Islamic State positions")]
    assert classes(gold, [inc("Saraqib", perp=("Islamic State",))]) == ["victim_as_perpetrator"]
    assert classes(gold, [inc("Saraqib", perp=("Russian forces",))]) == ["perpetrator_wrong"]


def test_claimants_missing_junk_and_extra():
    gold = [inc("Saraqib", claims=[Claim("Civil Defence"), Claim("reporter")])]
    pred = [inc("Saraqib", claims=[Claim("reporter"), Claim("killing three farmers"),
                                   Claim("Local Council")])]
    found = classify("a", gold, pred, match_incidents(gold, pred))
    assert [(e["class"], e["detail"]) for e in found] == [
        ("claimant_missing", "civil defence"), ("claimant_junk", "killing three farmers"),
        ("claimant_extra", "Local Council")]


def test_counts_keep_the_class_order():
    items = [{"class": "spurious_act"}, {"class": "place_too_coarse"}, {"class": "spurious_act"}]
    assert list(counts(items).items()) == [("place_too_coarse", 1), ("spurious_act", 2)]


@pytest.mark.parametrize("field", ["event_type", "date"])
def test_field_errors_of_a_matched_pair(field):
    pred = inc("Saraqib", event="shelling") if field == "event_type" else inc("Saraqib", date="2016-05-03")
    assert classes([inc("Saraqib")], [pred]) == [f"{field}_wrong"]
