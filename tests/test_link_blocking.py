"""Blocking: candidates only close in time and place, found by keys, never by all pairs."""
import numpy as np
import pytest

from linkfix import AL_BAB, ALEPPO, DOUMA, IDLIB, KHAN_SHEIKHOUN, MANBIJ, SARAQIB, World, incident
from sitrep.link import blocking
from sitrep.link.blocking import KM_PER_DEG, candidate_pairs, dates_touch, place_agrees
from sitrep.link.features import from_incidents


def pairs_of(world):
    table, _ = from_incidents(world.incidents)
    i, j = candidate_pairs(table)
    return {(int(a) + 1, int(b) + 1) for a, b in zip(i, j)}   # incident pks


def two(a, b):
    w = World()
    w.article(incidents=[a])
    w.article(incidents=[b])
    return pairs_of(w)


def north_of(km, name="P", admin1="Aleppo", lat=36.0, lon=37.0):
    return (name, admin1, lat + km / KM_PER_DEG, lon)


def test_same_place_same_day_is_a_candidate():
    assert two(incident(ALEPPO), incident(ALEPPO)) == {(1, 2)}


@pytest.mark.parametrize("gap", [2, 3, 10, 400])
def test_never_days_apart(gap):
    later = (np.datetime64("2016-08-10") + gap).astype(str)
    assert two(incident(ALEPPO), incident(ALEPPO, later)) == set()


def test_a_day_apart_is_a_candidate():
    assert two(incident(ALEPPO, "2016-08-10"), incident(ALEPPO, "2016-08-11")) == {(1, 2)}


def test_never_far_apart():
    assert two(incident(AL_BAB), incident(MANBIJ)) == set()                  # 37 km, towns
    assert two(incident(SARAQIB), incident(KHAN_SHEIKHOUN)) == set()         # 47 km
    assert two(incident(DOUMA), incident(ALEPPO)) == set()                   # 300 km


@pytest.mark.parametrize("prec_a, prec_b, near_km, far_km", [
    ("point", "point", 5, 7),          # 3 + 3 km
    ("point", "town", 10, 12),         # 3 + 8
    ("town", "town", 15, 17),          # 8 + 8
    ("town", "district", 27, 29),      # 8 + 20
    ("district", "district", 39, 41),  # 20 + 20
])
def test_distance_depends_on_precision(prec_a, prec_b, near_km, far_km):
    a = incident(north_of(0, "A"), precision=prec_a)
    assert two(a, incident(north_of(near_km, "B"), precision=prec_b)) == {(1, 2)}
    assert two(a, incident(north_of(far_km, "B"), precision=prec_b)) == set()


def test_admin1_precision_meets_its_whole_division_only():
    vague = incident(("Aleppo", "Aleppo", 36.2, 37.16), precision="admin1")
    assert two(vague, incident(MANBIJ)) == {(1, 2)}            # 80 km, same province
    assert two(vague, incident(IDLIB)) == set()                # another province
    assert two(incident(MANBIJ), incident(north_of(100, "Far", "Aleppo", 36.5, 37.95))) == set()


def test_a_place_named_like_its_division_may_be_the_division():
    # "Idlib" in Idlib: texts often mean the province, so it meets Khan Sheikhoun (55 km)
    assert two(incident(IDLIB), incident(KHAN_SHEIKHOUN)) == {(1, 2)}
    assert two(incident(SARAQIB), incident(KHAN_SHEIKHOUN)) == set()


def test_same_name_without_coordinates():
    tokhar = ("Tokhar", "Aleppo", None, None)
    assert two(incident(tokhar), incident(tokhar)) == {(1, 2)}
    assert two(incident(tokhar), incident(("Other", "Aleppo", None, None))) == set()


def test_report_dated_acts_may_be_of_the_day_before():
    # dated by the report of 2016-08-11: the act is of that day or the day before
    reported = incident(ALEPPO, "2016-08-11", date_precision="report")
    assert two(reported, incident(ALEPPO, "2016-08-09")) == {(1, 2)}
    assert two(reported, incident(ALEPPO, "2016-08-08")) == set()
    assert two(reported, incident(ALEPPO, "2016-08-12")) == {(1, 2)}
    assert two(reported, incident(ALEPPO, "2016-08-13")) == set()


def test_ranges_and_vague_dates():
    span = incident(ALEPPO, "2016-08-01", date_end="2016-08-03", date_precision="range")
    assert two(span, incident(ALEPPO, "2016-08-04")) == {(1, 2)}
    assert two(span, incident(ALEPPO, "2016-08-05")) == set()
    month = incident(ALEPPO, "2016-08-01", date_precision="month")
    assert two(month, incident(ALEPPO, "2016-08-01")) == set()
    country = incident(("Syria", None, 35.0, 38.0), precision="country")
    assert two(country, incident(ALEPPO)) == set()


def test_never_within_one_article():
    w = World()
    w.article(incidents=[incident(ALEPPO), incident(ALEPPO)])
    assert pairs_of(w) == set()


@pytest.mark.parametrize("pairs_at_a_time", [None, 7])
def test_blocking_finds_exactly_the_pairs_the_rules_allow(pairs_at_a_time, monkeypatch):
    """On random incidents, the keys find every allowed pair and no other (checked against
    all pairs here, which blocking itself never forms), however few pairs are joined at a
    time."""
    if pairs_at_a_time:
        monkeypatch.setattr(blocking, "_PAIRS", pairs_at_a_time)
    rng = np.random.default_rng(7)
    w = World()
    precs = ["point", "town", "town", "district", "admin1"]
    for _ in range(150):
        incs = []
        for _ in range(rng.integers(1, 4)):
            lat, lon = 36.0 + rng.uniform(0, 0.6), 37.0 + rng.uniform(0, 0.6)
            admin1 = "A" if lat < 36.3 else "B"
            name = f"p{rng.integers(0, 40)}"
            day = (np.datetime64("2016-01-01") + int(rng.integers(0, 20))).astype(str)
            kind = rng.choice(["day", "day", "report", "range"])
            end = (np.datetime64(day) + int(rng.integers(1, 4))).astype(str) if kind == "range" else None
            incs.append(incident((name, admin1, lat, lon), day, precision=str(rng.choice(precs)),
                                 date_precision=str(kind), date_end=end))
        w.article(incidents=incs)
    table, _ = from_incidents(w.incidents)
    i, j = candidate_pairs(table, chunk=37)
    found = set(zip(i.tolist(), j.tolist()))
    n = len(table)
    a, b = np.triu_indices(n, 1)
    ok = (table.article[a] != table.article[b]) & place_agrees(table, a, b) & dates_touch(table, a, b)
    expected = set(zip(a[ok].tolist(), b[ok].tolist()))
    assert found == expected
    assert 0 < len(found) < n * (n - 1) // 20
