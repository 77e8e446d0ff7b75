"""The pair score on hand-written incident pairs."""
import numpy as np
import pytest

from linkfix import ALEPPO, HAMDANIYAH, SALAHEDDINE, World, incident
from sitrep.link.features import from_incidents
from sitrep.link.scoring import DEFAULT, TYPE_FIT, part_scores, score_pairs
from sitrep.records import EVENT_TYPES

STRIKE = ("Air strikes by Syrian government warplanes on a market in the Aleppo district of "
          "al-Hamdaniyah killed 12 civilians including four children on Wednesday")
STRIKE_RETOLD = ("Government warplanes struck the crowded market of al-Hamdaniyah in Aleppo, "
                 "killing at least 12 civilians, four of them children, a monitor said")
ROCKETS = ("Rebel rocket fire on the government-held Salaheddine neighbourhood wounded "
           "dozens of residents, state media reported")


def pair(a, b, lead_a="", lead_b=""):
    w = World()
    w.article(lead_a, incidents=[a])
    w.article(lead_b, incidents=[b])
    table, _ = from_incidents(w.incidents, w.articles)
    i, j = np.array([0]), np.array([1])
    parts = {k: float(v[0]) for k, v in part_scores(table, i, j).items()}
    return parts, float(score_pairs(table, i, j)[0])


def test_two_tellings_of_one_strike_link():
    a = incident(HAMDANIYAH, precision="point", perp=["Syrian government forces"], killed=12, evidence=STRIKE)
    b = incident(HAMDANIYAH, precision="point", perp=["Syrian government forces"], killed=12,
                 evidence=STRIKE_RETOLD)
    parts, score = pair(a, b, STRIKE, STRIKE_RETOLD)
    assert parts["etype"] == parts["perp"] == parts["figures"] == parts["place"] == parts["date"] == 1.0
    assert parts["text"] > 0.2
    assert score >= DEFAULT.threshold


def test_rockets_and_a_strike_in_one_city_on_one_day_do_not_link():
    a = incident(HAMDANIYAH, precision="point", perp=["Syrian government forces"], killed=12, evidence=STRIKE)
    b = incident(SALAHEDDINE, event="shelling", precision="point", perp=["Syrian opposition forces"],
                 evidence=ROCKETS)
    parts, score = pair(a, b, STRIKE, ROCKETS)
    assert parts["perp"] == 0.0            # opposing sides
    assert parts["place"] < 0.5            # two quarters of one city are two places
    assert score < DEFAULT.threshold


def test_event_types_that_cannot_be_one_act_veto():
    a = incident(ALEPPO, event="shooting_or_execution", evidence=STRIKE)
    b = incident(ALEPPO, event="air_strike", evidence=STRIKE)
    parts, score = pair(a, b, STRIKE, STRIKE)
    assert parts["etype"] == 0.0 and score == 0.0


def test_related_event_types_fit_in_part():
    assert TYPE_FIT[EVENT_TYPES.index("suicide_bombing"), EVENT_TYPES.index("explosion")] == 0.8
    assert TYPE_FIT[EVENT_TYPES.index("air_strike"), EVENT_TYPES.index("shelling")] == 0.6
    assert TYPE_FIT[EVENT_TYPES.index("abduction"), EVENT_TYPES.index("air_strike")] == 0.0
    assert (TYPE_FIT == TYPE_FIT.T).all() and (np.diag(TYPE_FIT) == 1).all()
    text = "A car bomb exploded at the Atmeh crossing killing 29 rebels on Thursday"
    a = incident(ALEPPO, event="suicide_bombing", killed=29, evidence=text)
    b = incident(ALEPPO, event="explosion", killed=29, evidence=text)
    assert pair(a, b, text, text)[1] >= DEFAULT.threshold


@pytest.mark.parametrize("pa, pb, expected", [
    (["Syrian government forces"], ["Syrian government forces"], 1.0),
    (["Syrian government forces"], ["Russian forces"], 0.6),          # allies: one side
    (["Syrian government forces", "Russian forces"], ["Russian forces"], 1.0),
    (["Syrian opposition forces"], ["Syrian government forces"], 0.0),
    (["unknown"], ["Islamic State"], 0.5),
])
def test_perpetrators(pa, pb, expected):
    assert pair(incident(perp=pa), incident(perp=pb))[0]["perp"] == expected


@pytest.mark.parametrize("ka, kb, expected", [
    (58, 70, 1.0),     # within a fifth: tolls rise as the dead are counted
    (12, 12, 1.0),
    (40, 70, 0.6),     # same order
    (4, 112, 0.2),     # far apart
    (None, 12, 0.5),   # no evidence either way
])
def test_figures(ka, kb, expected):
    assert pair(incident(killed=ka), incident(killed=kb))[0]["figures"] == expected


def test_dates():
    assert pair(incident(date="2016-08-10"), incident(date="2016-08-10"))[0]["date"] == 1.0
    assert pair(incident(date="2016-08-10"), incident(date="2016-08-11"))[0]["date"] == 0.0
    reported = incident(date="2016-08-11", date_precision="report")
    assert pair(incident(date="2016-08-10"), reported)[0]["date"] == 0.6


def test_text_similarity():
    same = pair(incident(evidence=STRIKE), incident(evidence=STRIKE))[0]["text"]
    other = pair(incident(evidence=STRIKE), incident(evidence=ROCKETS))[0]["text"]
    assert same == pytest.approx(1.0, abs=1e-5) and other < 0.1


def test_leads_of_the_articles():
    parts, _ = pair(incident(), incident(), STRIKE, STRIKE_RETOLD)
    assert parts["doc"] > 0.2
    assert pair(incident(), incident(), STRIKE, ROCKETS)[0]["doc"] < 0.1
    assert pair(incident(), incident())[0]["doc"] == 0.5    # no text: no evidence either way


def test_score_is_the_weighted_sum():
    a = incident(HAMDANIYAH, precision="point", killed=12, evidence=STRIKE)
    b = incident(HAMDANIYAH, precision="point", killed=13, evidence=STRIKE_RETOLD)
    parts, score = pair(a, b, STRIKE, STRIKE_RETOLD)
    w = DEFAULT
    expected = sum(getattr(w, k) * v for k, v in parts.items())
    assert score == pytest.approx(expected)
